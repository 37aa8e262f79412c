/*
 * lint_interface.c - interface rules: kernel uapi copies (one finding per
 * header sync), the QAPI schema, command-line and monitor options.
 */
#include "analyse/lint_int.h"

#include <string.h>

/* ---- interface rules ---- */

int lint_is_kernel_header(const char *path)
{
	return lint_has_prefix(path, "linux-headers/") ||
	       lint_has_prefix(path, "include/standard-headers/");
}

/* The path a file diff changes, as the rules name it. */
const char *lint_fd_path(const struct patch *p,
				const struct file_diff *fd)
{
	const char *path = file_diff_target(fd, patch_strip_level(p));

	return path ? path : fd->new_path ? fd->new_path : fd->old_path;
}

/*
 * A header sync touches dozens of files: one finding for all of them, at
 * the first, naming a few.
 */
static void lint_kernel_headers(const struct patch *p, struct lint_result *out)
{
	struct strbuf names = STRBUF_INIT;
	const struct file_diff *first = NULL;
	const char *first_path = NULL;
	size_t i, n = 0;

	for (i = 0; i < p->nfiles; i++) {
		const char *path = lint_fd_path(p, &p->files[i]);

		if (!path || !lint_is_kernel_header(path))
			continue;
		if (!n++) {
			first = &p->files[i];
			first_path = path;
		} else if (n <= 3) {
			sb_addf(&names, ", %s", path);
		}
	}
	if (!n) {
		sb_release(&names);
		return;
	}
	if (n == 1)
		lint_add(out, p, LINT_INTERFACE, LINT_WARNING,
			 "kernel-headers-changed", first->lineno, first_path,
			 "changes the copy of the kernel's uapi headers: keep "
			 "it in step with the kernel (see 'backport-tool "
			 "headers')");
	else
		lint_add(out, p, LINT_INTERFACE, LINT_WARNING,
			 "kernel-headers-changed", first->lineno, first_path,
			 "changes %zu files of the copy of the kernel's uapi "
			 "headers (%s%s%s): a header sync drags in unrelated "
			 "changes (see 'backport-tool headers')", n,
			 first_path, names.buf ? names.buf : "",
			 n > 3 ? ", ..." : "");
	sb_release(&names);
}

void lint_interface(struct lint_ctx *c)
{
	const char *path = c->path;
	const char *tag = NULL, *what = NULL;

	if (lint_is_kernel_header(path) && c->fd == c->first_header) {
		lint_kernel_headers(c->p, c->out);
		return;
	}
	if ((lint_has_prefix(path, "qapi/") && lint_has_suffix(path, ".json")) ||
	    !strcmp(path, "qapi-schema.json")) {
		tag = "qapi-schema-changed";
		what = "the QAPI schema: QMP clients see the change";
	} else if (!strcmp(path, "qemu-options.hx")) {
		tag = "command-line-changed";
		what = "the command-line options";
	} else if (lint_has_prefix(path, "hmp-commands")) {
		tag = "monitor-commands-changed";
		what = "the human monitor commands";
	}
	if (tag)
		lint_add(c->out, c->p, LINT_INTERFACE, LINT_WARNING, tag,
			 c->fd->lineno, path, "changes %s", what);
}

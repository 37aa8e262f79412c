/*
 * lint_migration.c - migration rules: VMState descriptions and fields
 * added or removed, version ids changed, machine-type compat properties.
 */
#include "analyse/lint_int.h"

#include <string.h>

/* ---- migration rules ---- */

/* Does fd have a line of this kind whose trimmed text equals pl's? */
static int file_has_twin(const struct file_diff *fd, char kind,
			 const struct pline *pl)
{
	const char *a = pl->text;
	size_t alen = pl->len, h, i;

	lint_trim(&a, &alen);
	for (h = 0; h < fd->nhunks; h++)
		for (i = 0; i < fd->hunks[h].nlines; i++) {
			const struct pline *o = &fd->hunks[h].lines[i];
			const char *b = o->text;
			size_t blen = o->len;

			if (o->kind != kind)
				continue;
			lint_trim(&b, &blen);
			if (alen == blen && !memcmp(a, b, alen))
				return 1;
		}
	return 0;
}

/*
 * A line that is a VMSTATE_*( entry of a fields array (they start their
 * line), other than the list terminator; VMSTATE_IF(dev) and friends
 * inside expressions are casts, not fields.
 */
static int is_vmstate_field(const struct pline *pl)
{
	const char *m = pl->text, *end;
	size_t len = pl->len;

	lint_trim(&m, &len);
	end = m + len;
	if (len < 9 || strncmp(m, "VMSTATE_", 8) ||
	    !strncmp(m, "VMSTATE_END_OF_LIST", 19))
		return 0;
	m += 8;
	while (m < end && lint_is_ident(*m))
		m++;
	while (m < end && *m == ' ')
		m++;
	return m < end && *m == '(';
}

void lint_vmstate_line(struct lint_ctx *c, const struct lint_line *l)
{
	const struct pline *pl = l->pl;
	int added = pl->kind == '+';
	char ex[80];
	const char *vd;

	lint_line_excerpt(pl, ex, sizeof(ex));
	vd = lint_find_word(pl->text, pl->len, "VMStateDescription", 0);
	if (vd && memchr(vd, '=', pl->len - (size_t)(vd - pl->text))) {
		lint_add(c->out, c->p, LINT_MIGRATION, LINT_WARNING,
			 added ? "vmstate-description-added"
			       : "vmstate-description-removed",
			 l->lineno, c->path,
			 "%s a migration section (%s): check migration to and "
			 "from hosts without this patch",
			 added ? "adds" : "removes", ex);
		return;
	}
	if (is_vmstate_field(pl) &&
	    !file_has_twin(c->fd, added ? '-' : '+', pl))
		lint_add(c->out, c->p, LINT_MIGRATION, LINT_WARNING,
			 added ? "vmstate-field-added" : "vmstate-field-removed",
			 l->lineno, c->path,
			 "%s a migrated field (%s): the migration stream "
			 "changes", added ? "adds" : "removes", ex);
}

/* A '+' .version_id line whose hunk also removes one: the version moved. */
void lint_version_ids(struct lint_ctx *c, const struct lint_line *lines,
			     size_t n)
{
	static const char *const fields[] = { ".minimum_version_id",
					      ".version_id" };
	size_t i, j, f;

	for (f = 0; f < 2; f++)
		for (i = 0; i < n; i++) {
			const struct pline *pl = lines[i].pl;
			char ex[80];

			if (pl->kind != '+' ||
			    !lint_find_str(pl->text, pl->len, fields[f]) ||
			    (f == 1 && lint_find_str(pl->text, pl->len, fields[0])))
				continue;
			for (j = 0; j < n; j++) {
				const struct pline *o = lines[j].pl;

				if (o->kind == '-' &&
				    lint_find_str(o->text, o->len, fields[f]) &&
				    (f == 0 || !lint_find_str(o->text, o->len, fields[0])))
					break;
			}
			if (j == n)
				continue;
			lint_line_excerpt(pl, ex, sizeof(ex));
			lint_add(c->out, c->p, LINT_MIGRATION, LINT_WARNING,
				 "vmstate-version-changed", lines[i].lineno,
				 c->path,
				 "changes a migration version (%s): older "
				 "hosts may refuse the stream", ex);
		}
}

static int is_compat_text(const char *s, size_t len)
{
	return lint_find_str(s, len, "hw_compat_") || lint_find_str(s, len, "pc_compat_") ||
	       lint_find_str(s, len, "compat_props") ||
	       lint_find_word(s, len, "GlobalProperty", 0);
}

/* Changes to hw_compat_* arrays or a versioned machine's options. */
void lint_machine_compat(struct lint_ctx *c, const struct hunk *h,
				const struct lint_line *lines, size_t n)
{
	int func = h->func && (is_compat_text(h->func, h->func_len) ||
			       (lint_find_str(h->func, h->func_len, "_machine_") &&
				lint_find_str(h->func, h->func_len, "_options")));
	size_t i;

	for (i = 0; i < n; i++) {
		const struct pline *pl = lines[i].pl;

		if (pl->kind == ' ')
			continue;
		if (func || is_compat_text(pl->text, pl->len)) {
			lint_add(c->out, c->p, LINT_MIGRATION, LINT_WARNING,
				 "machine-compat-changed", lines[i].lineno,
				 c->path,
				 "changes machine-type compatibility "
				 "properties: versioned machines must keep "
				 "their guest ABI");
			return;
		}
	}
}

/* The QEMU set's hunk rules: version ids and machine-type compat. */
void lint_qemu_hunk(struct lint_ctx *c, const struct hunk *h,
		    const struct lint_line *lines, size_t n)
{
	if (!lint_is_c_source(c->path))
		return;
	lint_version_ids(c, lines, n);
	lint_machine_compat(c, h, lines, n);
}

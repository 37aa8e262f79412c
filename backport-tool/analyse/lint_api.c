/*
 * lint_api.c - generic API/ABI rules for a shared library: functions and
 * macros added, removed or changed in a public header, and changes to the
 * package's symbols files or the library's export lists.  A stable update
 * must not remove or change an exported symbol; one it adds needs the
 * symbols file and the shlibs dependency updated.
 *
 * Public header: a .h under an include/ directory, or in a lib/ directory
 * and not named internal/private.  QEMU installs no library, so with the
 * qemu rule set its include/ is not public.
 */
#include "analyse/lint_int.h"

#include <ctype.h>
#include <string.h>

static int is_public_header(const struct lint_ctx *c)
{
	static const char *const private_words[] = {
		"internal", "private", "priv", "_int.", "-int.", "config",
	};
	const char *path = c->path;
	size_t i;

	if (!lint_has_suffix(path, ".h") || lint_path_is_test(path) ||
	    (c->cfg->sets & LINT_SET_QEMU))
		return 0;
	for (i = 0; i < sizeof(private_words) / sizeof(private_words[0]); i++)
		if (strstr(path, private_words[i]))
			return 0;
	return lint_has_prefix(path, "include/") || strstr(path, "/include/") ||
	       lint_has_prefix(path, "lib/") || strstr(path, "/lib/");
}

static int is_symbols_file(const char *path)
{
	return (lint_has_prefix(path, "debian/") &&
		(lint_has_suffix(path, ".symbols") ||
		 !strcmp(path, "debian/symbols") ||
		 lint_has_suffix(path, ".shlibs"))) ||
	       lint_has_suffix(path, ".def") || lint_has_suffix(path, ".syms") ||
	       lint_has_suffix(path, ".map") || lint_has_suffix(path, ".sym");
}

/*
 * The name a header line declares into name: "#define NAME", or the first
 * lower- or mixed-case identifier followed by "(" on a line that is not a
 * statement (XMLPARSEAPI(void) and other all-caps macros are skipped).
 */
static int declared_name(const struct pline *pl, char *name, size_t size)
{
	const char *s = pl->text, *end, *p;
	size_t len = pl->len;

	lint_trim(&s, &len);
	end = s + len;
	if (!len || *s == '*' || *s == '/' || lint_find_str(s, len, "return ") ||
	    lint_find_str(s, len, " = "))
		return 0;
	if (*s == '#') {
		for (p = s + 1; p < end && *p == ' '; p++)
			;
		if ((size_t)(end - p) < 7 || strncmp(p, "define", 6) || p[6] != ' ')
			return 0;
		for (p += 7; p < end && *p == ' '; p++)
			;
		s = p;
		while (p < end && lint_is_ident(*p))
			p++;
		if (p == s)
			return 0;
		snprintf(name, size, "%.*s", (int)(p - s), s);
		return 1;
	}
	for (p = s; p < end; p++) {
		const char *b = p, *q;
		int lower = 0;

		if (!lint_is_ident(*p) || (p > s && lint_is_ident(p[-1])))
			continue;
		for (q = p; q < end && lint_is_ident(*q); q++)
			lower |= islower((unsigned char)*q);
		p = q;
		while (q < end && *q == ' ')
			q++;
		if (q < end && *q == '(' && lower && !isdigit((unsigned char)*b) &&
		    strncmp(b, "if", 2) && strncmp(b, "sizeof", 6)) {
			snprintf(name, size, "%.*s", (int)(p - b), b);
			return 1;
		}
	}
	return 0;
}

struct decl {
	char name[128];
	int macro;
	const struct pline *pl;
	long lineno;
};

static void collect(const struct file_diff *fd, char kind, struct decl **v,
		    size_t *n, size_t *alloc)
{
	size_t h, i;

	for (h = 0; h < fd->nhunks; h++) {
		const struct hunk *hk = &fd->hunks[h];
		long lineno = hk->lineno + 1;

		for (i = 0; i < hk->nlines; i++, lineno++) {
			const struct pline *pl = &hk->lines[i];
			char name[128];

			if (pl->kind == kind && declared_name(pl, name, sizeof(name))) {
				ALLOC_GROW(*v, *n + 1, *alloc);
				memcpy((*v)[*n].name, name, sizeof(name));
				(*v)[*n].macro = memchr(pl->text, '#', pl->len) != NULL &&
						 lint_find_word(pl->text, pl->len, "define", 0);
				(*v)[*n].pl = pl;
				(*v)[(*n)++].lineno = lineno;
			}
			if (pl->noeol)
				lineno++;
		}
	}
}

static const struct decl *find_decl(const struct decl *v, size_t n,
				    const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i].name, name))
			return &v[i];
	return NULL;
}

static void lint_public_header(struct lint_ctx *c)
{
	struct decl *del = NULL, *add = NULL;
	size_t nd = 0, na = 0, ad = 0, aa = 0, i;

	collect(c->fd, '-', &del, &nd, &ad);
	collect(c->fd, '+', &add, &na, &aa);
	for (i = 0; i < nd; i++)
		if (!find_decl(add, na, del[i].name))
			lint_add(c->out, c->p, LINT_API, LINT_WARNING,
				 "api-symbol-removed", del[i].lineno, c->path,
				 "removes '%s' from a public header: programs "
				 "built against the package may break",
				 del[i].name);
	for (i = 0; i < na; i++) {
		const struct decl *d = find_decl(del, nd, add[i].name);

		if (!d && add[i].macro)
			lint_add(c->out, c->p, LINT_API, LINT_WARNING,
				 "api-symbol-added", add[i].lineno, c->path,
				 "adds the macro '%s' to a public header: an "
				 "API addition programs may come to rely on",
				 add[i].name);
		else if (!d)
			lint_add(c->out, c->p, LINT_API, LINT_WARNING,
				 "api-symbol-added", add[i].lineno, c->path,
				 "adds '%s' to a public header: a new symbol "
				 "needs the symbols file and shlibs updated",
				 add[i].name);
		else if (d->pl->len != add[i].pl->len ||
			 memcmp(d->pl->text, add[i].pl->text, d->pl->len))
			lint_add(c->out, c->p, LINT_API, LINT_WARNING,
				 "api-symbol-changed", add[i].lineno, c->path,
				 "changes the declaration of '%s' in a public "
				 "header: check that the ABI stays the same",
				 add[i].name);
	}
	free(del);
	free(add);
}

static void lint_symbols_file(struct lint_ctx *c)
{
	size_t h, i, added = 0, removed = 0;

	for (h = 0; h < c->fd->nhunks; h++)
		for (i = 0; i < c->fd->hunks[h].nlines; i++) {
			const struct pline *pl = &c->fd->hunks[h].lines[i];
			const char *s = pl->text;
			size_t len = pl->len;

			lint_trim(&s, &len);
			if (!len || *s == '#' || *s == ';')
				continue;
			added += pl->kind == '+';
			removed += pl->kind == '-';
		}
	if (!added && !removed)
		return;
	lint_add(c->out, c->p, LINT_API, LINT_WARNING, "symbols-file-changed",
		 c->fd->lineno, c->path,
		 "changes the exported symbols (%zu line%s added, %zu "
		 "removed): an ABI change in a stable update", added,
		 added == 1 ? "" : "s", removed);
}

void lint_api_file(struct lint_ctx *c)
{
	if (is_symbols_file(c->path))
		lint_symbols_file(c);
	else if (is_public_header(c))
		lint_public_header(c);
}

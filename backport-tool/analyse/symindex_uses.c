/*
 * symindex_uses.c - a patch's side: what its post-images define, and
 * which identifiers its added lines use.
 */
#include "analyse/symindex_int.h"

#include <stdlib.h>
#include <string.h>

static void post_image_build(struct post_image *pi, const struct hunk *h)
{
	size_t i;
	long nl = h->new_start;

	sb_reset(&pi->text);
	pi->n = 0;
	for (i = 0; i < h->nlines; i++) {
		const struct pline *l = &h->lines[i];

		if (l->kind == '-')
			continue;
		ALLOC_GROW(pi->lines, pi->n + 1, pi->alloc);
		pi->lines[pi->n].kind = l->kind;
		pi->lines[pi->n].new_line = nl++;
		pi->lines[pi->n].patch_line = h->lineno + 1 + (long)i;
		pi->n++;
		sb_add(&pi->text, l->text, l->len);
		sb_addch(&pi->text, '\n');
	}
}

int sym_post_line_added(const struct post_image *pi, long line)
{
	return line >= 1 && (size_t)line <= pi->n && pi->lines[line - 1].kind == '+';
}

struct use_ctx {
	const struct post_image *pi;
	const char *path;
	struct sym_uses *out;
	struct symindex *seen;
};

static void collect_use(void *data, const char *s, size_t n, long line,
			int unused)
{
	struct use_ctx *u = data;
	const struct post_line *pl;
	struct sym_use *use;

	if (line < 1 || (size_t)line > u->pi->n)
		return;
	pl = &u->pi->lines[line - 1];
	if (pl->kind != '+' || sym_keyword(s, n) != KW_NONE ||
	    symindex_lookup(u->seen, s, n))
		return;
	sym_define(u->seen, 0, s, n, line, SYM_LOCAL);
	ALLOC_GROW(u->out->v, u->out->n + 1, u->out->alloc);
	use = &u->out->v[u->out->n++];
	use->name = xstrndup(s, n);
	use->path = u->path;
	use->line = pl->new_line;
	use->patch_line = pl->patch_line;
}

/* Run fn over the post-image of every hunk of p that changes a C file. */
static void for_each_post_image(const struct patch *p,
				void (*fn)(void *data, const struct post_image *pi,
					   const char *path),
				void *data)
{
	struct post_image pi = { STRBUF_INIT, NULL, 0, 0 };
	int strip = patch_strip_level(p);
	size_t f, h;

	sb_init(&pi.text);
	for (f = 0; f < p->nfiles; f++) {
		const struct file_diff *fd = &p->files[f];
		const char *path = file_diff_target(fd, strip);

		if (!path || fd->op == FILE_DELETE ||
		    !sym_is_c_source(path, strlen(path)))
			continue;
		for (h = 0; h < fd->nhunks; h++) {
			post_image_build(&pi, &fd->hunks[h]);
			fn(data, &pi, path);
		}
	}
	sb_release(&pi.text);
	free(pi.lines);
}

static void index_post_image(void *data, const struct post_image *pi,
			     const char *path)
{
	struct symindex *ix = data;
	struct parser ps = { 0 };

	ps.ix = ix;
	ps.file = sym_add_file_name(ix, path);
	ps.locals = 1;
	ps.pi = pi;
	sym_parse_text(&ps, pi->text.buf, pi->text.len, NULL, NULL);
	free(ps.stack);
}

void symindex_add_patch(struct symindex *ix, const struct patch *p)
{
	for_each_post_image(p, index_post_image, ix);
}

struct uses_run {
	struct symindex *own;
	struct symindex *seen;
	struct sym_uses raw;
};

static void uses_post_image(void *data, const struct post_image *pi,
			    const char *path)
{
	struct uses_run *r = data;
	struct use_ctx u = { pi, path, &r->raw, r->seen };
	struct parser ps = { 0 };

	ps.ix = r->own;
	ps.file = sym_add_file_name(r->own, path);
	ps.locals = 1;
	ps.pi = pi;
	sym_parse_text(&ps, pi->text.buf, pi->text.len, collect_use, &u);
	free(ps.stack);
}

void symindex_patch_uses(const struct patch *p, struct symindex *defs,
			 struct sym_uses *out)
{
	struct uses_run r = { symindex_new(), symindex_new(), { NULL, 0, 0 } };
	size_t i;

	for_each_post_image(p, uses_post_image, &r);
	for (i = 0; i < r.raw.n; i++) {
		struct sym_use *u = &r.raw.v[i];

		if (symindex_lookup(r.own, u->name, strlen(u->name))) {
			free(u->name);
			continue;
		}
		ALLOC_GROW(out->v, out->n + 1, out->alloc);
		out->v[out->n++] = *u;
	}
	free(r.raw.v);
	if (defs)
		symindex_add_patch(defs, p);
	symindex_free(r.own);
	symindex_free(r.seen);
}

void sym_uses_release(struct sym_uses *u)
{
	size_t i;

	for (i = 0; i < u->n; i++)
		free(u->v[i].name);
	free(u->v);
	u->v = NULL;
	u->n = u->alloc = 0;
}

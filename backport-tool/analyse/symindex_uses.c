/*
 * symindex_uses.c - a patch's side: what its post-images define, and
 * which identifiers its added lines use.
 */
#include "analyse/symindex_int.h"

#include <stdlib.h>
#include <ctype.h>
#include <string.h>

static void post_image_build(struct post_image *pi, const struct hunk *h)
{
	size_t i;
	long nl = h->new_start;

	sb_reset(&pi->text);
	pi->n = 0;
	pi->func = h->func;
	pi->func_len = h->func ? h->func_len : 0;
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

/*
 * The function a hunk begins in, as its @@ heading names it: the name
 * before the heading's first '(' ("static int f(struct a *p)" -> "f"),
 * or "@LINE" (the @@ line) when the heading names none.
 */
static void fragment_scope(struct parser *ps, const struct post_image *pi,
			   const char *path)
{
	const char *h = pi->func, *paren, *e, *b;

	sb_reset(&ps->scope);
	paren = h ? memchr(h, '(', pi->func_len) : NULL;
	for (e = paren; e && e > h && (e[-1] == ' ' || e[-1] == '\t');)
		e--;
	for (b = e; b && b > h && (isalnum((unsigned char)b[-1]) || b[-1] == '_');)
		b--;
	if (b && b < e)
		sb_addf(&ps->scope, "%s:%.*s", path, (int)(e - b), b);
	else
		sb_addf(&ps->scope, "%s:@%ld", path,
			pi->n ? pi->lines[0].patch_line - 1 : 0);
	ps->in_fragment = 1;
}

struct use_ctx {
	const struct post_image *pi;
	const char *path;
	struct sym_uses *out;
	const struct parser *ps;
};

static void collect_use(void *data, const char *s, size_t n, long line,
			const char *of)
{
	struct use_ctx *u = data;
	const struct post_line *pl;
	struct sym_use *use;

	if (line < 1 || (size_t)line > u->pi->n)
		return;
	pl = &u->pi->lines[line - 1];
	if (pl->kind != '+' || sym_keyword(s, n) != KW_NONE ||
	    s == u->ps->declared)
		return;
	ALLOC_GROW(u->out->v, u->out->n + 1, u->out->alloc);
	use = &u->out->v[u->out->n++];
	memset(use, 0, sizeof(*use));
	use->name = xstrndup(s, n);
	use->of = of ? xstrdup(of) : NULL;
	use->scope = xstrdup(u->ps->scope.buf);
	use->local_elsewhere = u->ps->in_fragment; /* settled after the pass */
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
	struct post_image pi = { NULL, 0, STRBUF_INIT, NULL, 0, 0 };
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
	struct parser ps;

	sym_parser_init(&ps, ix, path, 1);
	ps.pi = pi;
	fragment_scope(&ps, pi, path);
	sym_parse_text(&ps, pi->text.buf, pi->text.len, NULL, NULL);
	sym_parser_release(&ps);
}

void symindex_add_patch(struct symindex *ix, const struct patch *p)
{
	for_each_post_image(p, index_post_image, ix);
}

struct uses_run {
	struct symindex *own;
	struct sym_uses raw;
};

static void uses_post_image(void *data, const struct post_image *pi,
			    const char *path)
{
	struct uses_run *r = data;
	struct parser ps;
	struct use_ctx u = { pi, path, &r->raw, &ps };

	sym_parser_init(&ps, r->own, path, 1);
	ps.pi = pi;
	fragment_scope(&ps, pi, path);
	sym_parse_text(&ps, pi->text.buf, pi->text.len, collect_use, &u);
	sym_parser_release(&ps);
}

/* A parameter or local of the patch in scope ("PATH:FUNC"), or NULL. */
static const struct sym_def *own_decl(const struct symindex *own,
				      const char *name, const char *scope)
{
	struct strbuf sfx = STRBUF_INIT;
	const struct sym_def *d;

	sb_addch(&sfx, 1);
	sb_addstr(&sfx, scope);
	d = symindex_lookup_key(own, NULL, name, sfx.buf);
	sb_release(&sfx);
	return d;
}

/*
 * Does the patch itself define what u names?  A plain name: a definition
 * of its own, or a parameter or local of the function it is used in.  A
 * member: anything of that name the patch declares, in any scope.
 * For a member, the type of its chain's first name when the patch declares
 * it goes into u->base_type.
 */
static int own_defines(const struct symindex *own, struct sym_use *u)
{
	size_t len = strlen(u->name);
	const struct sym_def *d;
	char *base;

	if (!u->of) {
		if (symindex_lookup(own, u->name, len) ||
		    own_decl(own, u->name, u->scope))
			return 1;
		u->local_elsewhere = u->local_elsewhere &&
			symindex_lookup_key(own, NULL, u->name, "\x01*");
		return 0;
	}
	/*
	 * A hunk inside a struct body reads its members as variables (or
	 * locals in a block), and prose in a comment begun above the hunk
	 * reads as anything: any name of the patch counts.
	 */
	if (symindex_lookup(own, u->name, len) ||
	    symindex_lookup_key(own, NULL, u->name, "\x01*"))
		return 1;
	if (!*u->of)
		return 0;
	base = xstrndup(u->of, strcspn(u->of, "."));
	d = own_decl(own, base, u->scope);
	if (!d)
		d = symindex_lookup_key(own, "var ", base, NULL);
	if (d && d->type)
		u->base_type = xstrdup(d->type);
	free(base);
	return 0;
}

/* The key a use is counted once by: the name, or a member in its chain. */
static void use_key(const struct sym_use *u, struct strbuf *key)
{
	sb_reset(key);
	sb_addstr(key, u->name);
	if (u->of)
		sb_addf(key, "\x02%s\x02%s", u->of, u->scope);
}

static void use_release(struct sym_use *u)
{
	free(u->name);
	free(u->of);
	free(u->scope);
	free(u->base_type);
}

void symindex_patch_uses(const struct patch *p, struct symindex *defs,
			 struct sym_uses *out)
{
	struct uses_run r = { symindex_new(), { NULL, 0, 0 } };
	struct symindex *seen = symindex_new();
	struct strbuf key = STRBUF_INIT;
	size_t i;

	for_each_post_image(p, uses_post_image, &r);
	for (i = 0; i < r.raw.n; i++) {
		struct sym_use *u = &r.raw.v[i];

		use_key(u, &key);
		if (own_defines(r.own, u) || symindex_lookup(seen, key.buf, key.len)) {
			use_release(u);
			continue;
		}
		sym_define(seen, 0, key.buf, key.len, 0, SYM_LOCAL);
		ALLOC_GROW(out->v, out->n + 1, out->alloc);
		out->v[out->n++] = *u;
	}
	free(r.raw.v);
	sb_release(&key);
	if (defs)
		symindex_add_patch(defs, p);
	symindex_free(r.own);
	symindex_free(seen);
}

void sym_uses_release(struct sym_uses *u)
{
	size_t i;

	for (i = 0; i < u->n; i++)
		use_release(&u->v[i]);
	free(u->v);
	u->v = NULL;
	u->n = u->alloc = 0;
}

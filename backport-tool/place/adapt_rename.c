/*
 * adapt_rename.c - identifiers renamed between upstream and the target:
 * the map read from the aligned lines that differ only in names, refused
 * when it is not consistent, and applied to the added lines.
 */
#include "place/adapt_int.h"

#include <stdlib.h>
#include <string.h>

static const struct adapt_rename *map_find(const struct adapt_map *m,
					   const char *p, size_t n, int to)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		const char *s = to ? m->v[i].to : m->v[i].from;

		if (strlen(s) == n && !memcmp(s, p, n))
			return &m->v[i];
	}
	return NULL;
}

/* Add a -> b; -1 with why when a or b is already mapped otherwise. */
static int map_add(struct adapt_map *m, const struct adapt_tok *a,
		   const struct adapt_tok *b, struct strbuf *why)
{
	const struct adapt_rename *f = map_find(m, a->p, a->len, 0);
	const struct adapt_rename *r = map_find(m, b->p, b->len, 1);

	/* "int" against "long" is two lines that differ, not one name
	   spelled two ways: mapping it would rewrite the added lines' own
	   types ("int eleven" -> "long eleven") */
	if (c_is_keyword(a->p, a->len) || c_is_keyword(b->p, b->len)) {
		sb_addf(why, "%.*s -> %.*s is a keyword, not a renamed name",
			(int)a->len, a->p, (int)b->len, b->p);
		return -1;
	}
	if (f && r && f == r)
		return 0;
	if (f || r) {
		sb_addf(why, "inconsistent rename: %.*s -> %.*s and %s -> %s",
			(int)a->len, a->p, (int)b->len, b->p,
			f ? f->from : r->from, f ? f->to : r->to);
		return -1;
	}
	ALLOC_GROW(m->v, m->n + 1, m->alloc);
	m->v[m->n].from = xstrndup(a->p, a->len);
	m->v[m->n].to = xstrndup(b->p, b->len);
	m->v[m->n].commit = NULL;
	m->n++;
	return 0;
}

/* A renamed name kept as it is on an aligned line: -1 with why. */
static int map_check_kept(const struct adapt_map *m, const struct pline *pl,
			  long tline, struct strbuf *why)
{
	struct adapt_tok tk[ADAPT_MAX_TOKENS];
	int n = adapt_tokens(pl->text, pl->len, tk, ADAPT_MAX_TOKENS), k;

	for (k = 0; k < n; k++) {
		const struct adapt_rename *f;

		if (!tk[k].ident)
			continue;
		f = map_find(m, tk[k].p, tk[k].len, 0);
		if (f && strcmp(f->from, f->to)) {
			sb_addf(why, "inconsistent rename: %s -> %s, but %s "
				"kept at line %ld", f->from, f->to, f->from,
				tline + 1);
			return -1;
		}
	}
	return 0;
}

/* Is word (an identifier) a whole token of s? */
static int has_word(const char *s, size_t n, const char *word)
{
	struct adapt_tok tk[ADAPT_MAX_TOKENS];
	int nt = adapt_tokens(s, n, tk, ADAPT_MAX_TOKENS), k;
	size_t wl = strlen(word);

	for (k = 0; k < nt; k++)
		if (tk[k].ident && tk[k].len == wl && !memcmp(tk[k].p, word, wl))
			return 1;
	return 0;
}

/*
 * A rename is the same name spelled two ways, not two names: upstream's
 * name must be nowhere in the target file, the target's nowhere in the
 * hunk.  Otherwise the lines are two different lines (drift), and a map
 * from them would rewrite the added lines wrongly.
 */
static int map_check_absent(const struct adapt_map *m, const struct hunk *h,
			    const struct text *t, struct strbuf *why)
{
	size_t i, l;

	for (i = 0; i < m->n; i++) {
		for (l = 0; l < t->n; l++)
			if (has_word(t->lines[l].p, t->lines[l].len,
				     m->v[i].from)) {
				sb_addf(why, "inconsistent rename: %s -> %s, but "
					"%s is at line %zu", m->v[i].from,
					m->v[i].to, m->v[i].from, l + 1);
				return -1;
			}
		for (l = 0; l < h->nlines; l++)
			if (has_word(h->lines[l].text, h->lines[l].len,
				     m->v[i].to)) {
				sb_addf(why, "inconsistent rename: %s -> %s, but "
					"the hunk has %s", m->v[i].from,
					m->v[i].to, m->v[i].to);
				return -1;
			}
	}
	return 0;
}

int adapt_map_collect(struct adapt_map *m, const struct hunk *h,
		      const struct pline *const *pl, long np,
		      const long *match, const int *level,
		      const struct text *t, struct strbuf *why)
{
	struct adapt_tok ta[ADAPT_MAX_TOKENS], tb[ADAPT_MAX_TOKENS];
	long i;
	int k, n;

	for (i = 0; i < np; i++) {
		const struct text_line *tl;

		if (level[i] != MATCH_LOOSE)
			continue;
		tl = &t->lines[match[i]];
		n = adapt_tokens(pl[i]->text, pl[i]->len, ta, ADAPT_MAX_TOKENS);
		if (adapt_tokens(tl->p, tl->len, tb, ADAPT_MAX_TOKENS) != n)
			return -1; /* cannot happen: loose means same count */
		for (k = 0; k < n; k++)
			if (ta[k].len != tb[k].len ||
			    memcmp(ta[k].p, tb[k].p, ta[k].len))
				if (map_add(m, &ta[k], &tb[k], why))
					return -1;
	}
	for (i = 0; i < np; i++)
		if (level[i] >= MATCH_WS &&
		    map_check_kept(m, pl[i], match[i], why))
			return -1;
	/* a loose line may also keep a renamed name at another place */
	for (i = 0; i < np; i++) {
		if (level[i] != MATCH_LOOSE)
			continue;
		n = adapt_tokens(pl[i]->text, pl[i]->len, ta, ADAPT_MAX_TOKENS);
		adapt_tokens(t->lines[match[i]].p, t->lines[match[i]].len, tb,
			     ADAPT_MAX_TOKENS);
		for (k = 0; k < n; k++)
			if (ta[k].ident && ta[k].len == tb[k].len &&
			    !memcmp(ta[k].p, tb[k].p, ta[k].len) &&
			    map_find(m, ta[k].p, ta[k].len, 0)) {
				sb_addf(why, "inconsistent rename: %.*s kept "
					"at line %ld", (int)ta[k].len, ta[k].p,
					match[i] + 1);
				return -1;
			}
	}
	return map_check_absent(m, h, t, why);
}

void adapt_map_line(const struct adapt_map *m, const char *s, size_t n,
		    struct strbuf *out)
{
	struct adapt_tok tk[ADAPT_MAX_TOKENS];
	int nt = m->n ? adapt_tokens(s, n, tk, ADAPT_MAX_TOKENS) : 0, k;
	const char *p = s;

	if (nt < 0)
		nt = 0; /* too long to tokenise: written as it is */
	for (k = 0; k < nt; k++) {
		const struct adapt_rename *f;

		if (!tk[k].ident ||
		    !(f = map_find(m, tk[k].p, tk[k].len, 0)))
			continue;
		sb_add(out, p, (size_t)(tk[k].p - p));
		sb_addstr(out, f->to);
		p = tk[k].p + tk[k].len;
	}
	sb_add(out, p, (size_t)(s + n - p));
}

void adapt_map_release(struct adapt_map *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		free(m->v[i].from);
		free(m->v[i].to);
		free(m->v[i].commit);
	}
	free(m->v);
	memset(m, 0, sizeof(*m));
}

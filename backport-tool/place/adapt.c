/*
 * adapt.c - the driver of the adaptation (adapt.h): the candidate windows,
 * the refusal rules, and the adapted hunk of the one that qualifies.
 */
#include "place/adapt_int.h"

#include <ctype.h>
#include <limits.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ADAPT_MAX_ANCHORS 64
#define ADAPT_MAX_SLACK 40

/* The hunk's old side and what the search needs to know about it. */
struct oldside {
	const struct hunk *h;
	long limit;              /* target lines at or after it are not ours */
	const struct pline **pl; /* context and removed lines, in order */
	long *hidx;              /* their index in h->lines */
	long np;
	long anchor;             /* the line each candidate is anchored on */
};

struct cand {
	long at;       /* target line of the anchor (0-based) */
	long *match;
	int *level;
	struct adapt_map map;
	struct strbuf why;
	int ok;
};

static long patch_line(const struct oldside *o, long hi)
{
	return o->h->lineno + 1 + hi;
}

/*
 * The target's lines hashed by adapt_trim_hash, NULL when the hunk has no
 * removed line: a removed line matches a target line only exactly or
 * without white space at its ends (adapt_match_line), so never one of
 * another hash.  The anchor search compares only the lines of its hash.
 * Made once per text, for all its hunks (the lines never change).
 */
static const unsigned *target_hashes(const struct oldside *o,
				     const struct text *t)
{
	struct text *memo = (struct text *)t; /* only its hashes are set */
	long i;

	for (i = 0; i < o->np && o->pl[i]->kind != '-'; i++)
		;
	if (i == o->np)
		return NULL; /* no removed line: the anchor is context */
	return text_hashes(t, &memo->trim_hash, adapt_trim_hash);
}

/*
 * The first target line at or after lfl that old side line k may match,
 * or -1; then the next after i: any line, but for a removed line only
 * the lines of its hash in th, looked up by text_trim_index.
 */
static long may_first(const struct oldside *o, const struct text *t,
		      const unsigned *th, long k, unsigned hk, long lfl)
{
	long i, count;

	if (!th || o->pl[k]->kind != '-')
		return lfl < o->limit ? lfl : -1;
	for (i = text_trim_index_first(t, hk, &count); i >= 0 && i < lfl;)
		i = text_trim_index_next(t, i);
	return i < o->limit ? i : -1;
}

static long may_next(const struct oldside *o, const struct text *t,
		     const unsigned *th, long k, long i)
{
	if (!th || o->pl[k]->kind != '-')
		i++;
	else
		i = text_trim_index_next(t, i);
	return i >= 0 && i < o->limit ? i : -1;
}

/* How many target lines old side line k matches, counted up to cap. */
static long hits(const struct oldside *o, const struct text *t, long lfl,
		 const unsigned *th, long k, long cap)
{
	unsigned hk = adapt_trim_hash(o->pl[k]->text, o->pl[k]->len);
	unsigned sk = adapt_shape_hash(o->pl[k]->text, o->pl[k]->len);
	long i, n = 0;

	for (i = may_first(o, t, th, k, hk, lfl); i >= 0 && n < cap;
	     i = may_next(o, t, th, k, i))
		if (adapt_match_at(o->pl[k], sk, t, i))
			n++;
	return n;
}

/* The removed line whose hash the fewest target lines have (the first
   of them), or -1: its count of matches is a small first bound. */
static long rarest_hash(const struct oldside *o, const struct text *t)
{
	long k, count, best = -1, kb = -1;

	for (k = 0; k < o->np; k++) {
		if (o->pl[k]->kind != '-')
			continue;
		text_trim_index_first(t, adapt_trim_hash(o->pl[k]->text,
							 o->pl[k]->len), &count);
		if (best < 0 || count < best) {
			best = count;
			kb = k;
		}
	}
	return kb;
}

/*
 * The removed line found least often (the first of them), else the first
 * added run's neighbour: each candidate window is anchored there.  The
 * rarest hash is counted first; every other line only as far as it could
 * still win, so a line found everywhere ("}") is not counted through.
 */
static void pick_anchor(struct oldside *o, const struct text *t, long lfl,
			const unsigned *th)
{
	long k, kb = th ? rarest_hash(o, t) : -1;
	long best = kb >= 0 ? hits(o, t, lfl, th, kb, LONG_MAX) : -1;

	for (k = 0; kb >= 0 && k < o->np; k++) {
		long n;

		if (o->pl[k]->kind != '-' || k == kb)
			continue;
		n = hits(o, t, lfl, th, k, k < kb ? best + 1 : best);
		if (n < best || (n == best && k < kb)) {
			best = n;
			kb = k;
		}
	}
	if (kb < 0) {
		size_t i;

		for (i = 0, k = 0; i < o->h->nlines; i++) {
			if (o->h->lines[i].kind == '+')
				break;
			k++;
		}
		kb = k > 0 ? k - 1 : 0;
	}
	o->anchor = kb;
}

static int oldside_build(struct oldside *o, const struct hunk *h)
{
	size_t i;

	o->h = h;
	o->pl = xcalloc(h->nlines + 1, sizeof(*o->pl));
	o->hidx = xcalloc(h->nlines + 1, sizeof(*o->hidx));
	o->np = 0;
	for (i = 0; i < h->nlines; i++) {
		if (h->lines[i].noeol)
			return -1;
		if (h->lines[i].kind == '+')
			continue;
		o->hidx[o->np] = (long)i;
		o->pl[o->np++] = &h->lines[i];
	}
	return 0;
}


/* Is an added line's word one of the names loose pair k renames? */
static int renames_used(const struct oldside *o, const struct text *t,
			const struct cand *c, long k)
{
	struct adapt_tok ta[ADAPT_MAX_TOKENS], tb[ADAPT_MAX_TOKENS];
	struct adapt_tok tp[ADAPT_MAX_TOKENS];
	const struct text_line *tl = &t->lines[c->match[k]];
	int n = adapt_tokens(o->pl[k]->text, o->pl[k]->len, ta,
			     ADAPT_MAX_TOKENS), i, j, np;
	size_t l;

	adapt_tokens(tl->p, tl->len, tb, ADAPT_MAX_TOKENS);
	for (l = 0; l < o->h->nlines; l++) {
		const struct pline *pl = &o->h->lines[l];

		if (pl->kind != '+')
			continue;
		np = adapt_tokens(pl->text, pl->len, tp, ADAPT_MAX_TOKENS);
		for (i = 0; i < n; i++) {
			if (ta[i].len == tb[i].len &&
			    !memcmp(ta[i].p, tb[i].p, ta[i].len))
				continue;
			for (j = 0; j < np; j++)
				if (tp[j].len == ta[i].len &&
				    !memcmp(tp[j].p, ta[i].p, ta[i].len))
					return 1;
		}
	}
	return 0;
}

/*
 * A context line that matched only in shape, with names the added lines
 * do not use, is context the target has otherwise (drift), not a rename:
 * no map is made from it, and it is not found (not even as the anchor: an
 * added line next to it then has no place to land).
 */
static void cand_prune(const struct oldside *o, const struct text *t,
		       struct cand *c)
{
	long k;

	for (k = 0; k < o->np; k++)
		if (c->level[k] == MATCH_LOOSE && o->pl[k]->kind == ' ' &&
		    !renames_used(o, t, c, k)) {
			c->match[k] = -1;
			c->level[k] = MATCH_NONE;
		}
}

/*
 * One change of the hunk: a run of removed and added lines, hunk lines
 * [from, to), and the old-side lines around it: kp the context line
 * before (-1: none), kn the one after (np: none).
 */
struct block {
	size_t from, to;
	long kp, kn;
};

/* The target line a change's neighbour is at: -1 before the file, n
   after it; -2 when not found. */
static long neighbour_at(const struct oldside *o, const struct text *t,
			 const struct cand *c, long k)
{
	if (k < 0)
		return o->h->old_start <= 1 ? -1 : -2;
	if (k >= o->np)
		return t->noeol ? -2 : (long)t->n;
	return c->match[k] >= 0 ? c->match[k] : -2;
}

/*
 * Every removed line found, and the change between the same two
 * neighbours as upstream: both found, with nothing in the target between
 * them but the removed lines.  A drift right next to a change is refused:
 * the change may be about that very line.
 */
static int block_judge(const struct oldside *o, const struct text *t,
		       struct cand *c, const struct block *b)
{
	long k, left = neighbour_at(o, t, c, b->kp);
	long right = neighbour_at(o, t, c, b->kn), at = left;
	size_t i, first_added = 0;

	for (i = b->from; i < b->to && !first_added; i++)
		if (o->h->lines[i].kind == '+')
			first_added = i;
	for (k = b->kp + 1; k < b->kn; k++) {
		if (c->match[k] < 0) {
			sb_addf(&c->why, "removed line %ld missing",
				patch_line(o, o->hidx[k]));
			return -1;
		}
		if (left > -2 && c->match[k] != ++at) {
			sb_addf(&c->why, "target lines next to removed line %ld",
				patch_line(o, o->hidx[k]));
			return -1;
		}
	}
	if (left > -2 && right > -2 && right == at + 1)
		return 0;
	if (first_added)
		sb_addf(&c->why, "added line %ld has no place to land",
			patch_line(o, (long)first_added));
	else
		sb_addf(&c->why, "removed line %ld: the lines around it differ",
			patch_line(o, o->hidx[b->kp + 1]));
	return -1;
}

static int cand_blocks(const struct oldside *o, const struct text *t,
		       struct cand *c)
{
	struct block b;
	size_t i = 0;
	long k = 0; /* old-side lines before hunk line i */

	while (i < o->h->nlines) {
		if (o->h->lines[i].kind == ' ') {
			i++;
			k++;
			continue;
		}
		b.from = i;
		b.kp = k - 1;
		for (; i < o->h->nlines && o->h->lines[i].kind != ' '; i++)
			if (o->h->lines[i].kind == '-')
				k++;
		b.to = i;
		b.kn = k;
		if (block_judge(o, t, c, &b))
			return -1;
	}
	return 0;
}

/* The refusal rules; c->ok when none refuses. */
static void cand_judge(const struct oldside *o, const struct text *t,
		       struct cand *c)
{
	long k, found = 0;

	cand_prune(o, t, c);
	if (adapt_map_collect(&c->map, o->h, o->pl, o->np, c->match, c->level,
			      t, &c->why))
		return;
	if (cand_blocks(o, t, c))
		return;
	for (k = 0; k < o->np; k++)
		found += c->match[k] >= 0;
	if (found * 2 < o->np) {
		sb_addf(&c->why, "only %ld of %ld lines found", found, o->np);
		return;
	}
	c->ok = 1;
}

static void cand_align(const struct oldside *o, const struct text *t,
		       long lfl, struct cand *c)
{
	long a = o->anchor, np = o->np;
	long slack = np + 3 < ADAPT_MAX_SLACK ? np + 3 : ADAPT_MAX_SLACK;
	long lo = c->at - a - slack, hi = c->at + (np - a) + slack;

	if (lo < lfl)
		lo = lfl;
	if (hi > o->limit)
		hi = o->limit;
	c->match = xcalloc((size_t)np + 1, sizeof(*c->match));
	c->level = xcalloc((size_t)np + 1, sizeof(*c->level));
	adapt_lcs(o->pl, a, t, lo, c->at, c->match, c->level);
	c->match[a] = c->at;
	c->level[a] = adapt_match_line(o->pl[a], &t->lines[c->at]);
	adapt_lcs(o->pl + a + 1, np - a - 1, t, c->at + 1, hi,
		  c->match + a + 1, c->level + a + 1);
}

static void cand_release(struct cand *c)
{
	free(c->match);
	free(c->level);
	adapt_map_release(&c->map);
	sb_release(&c->why);
}

/* The neighbour whose indentation an added run takes: the line before it,
   or after it when that one is blank or missing.  -1: none. */
static long indent_source(const struct oldside *o, const struct cand *c,
			  long kp)
{
	if (kp >= 0 && c->match[kp] >= 0 &&
	    o->pl[kp]->len > adapt_lead(o->pl[kp]->text, o->pl[kp]->len))
		return kp;
	if (kp + 1 < o->np && c->match[kp + 1] >= 0)
		return kp + 1;
	return kp >= 0 && c->match[kp] >= 0 ? kp : -1;
}

static void add_line(struct adaptation *a, char kind, size_t target)
{
	ALLOC_GROW(a->lines, a->nlines + 1, a->alloc);
	a->lines[a->nlines].kind = kind;
	a->lines[a->nlines].target = target;
	a->lines[a->nlines].off = a->lines[a->nlines].len = 0;
	a->nlines++;
}

static void add_added(struct adaptation *a, const struct oldside *o,
		      const struct text *t, const struct cand *c, long kp,
		      const struct pline *pl)
{
	struct strbuf mapped = STRBUF_INIT;
	long k = indent_source(o, c, kp);
	size_t off = a->added.len;

	sb_init(&mapped);
	adapt_map_line(&c->map, pl->text, pl->len, &mapped);
	if (k >= 0) {
		const struct text_line *tl = &t->lines[c->match[k]];

		adapt_indent_line(o->pl[k]->text,
				  adapt_lead(o->pl[k]->text, o->pl[k]->len),
				  tl->p, adapt_lead(tl->p, tl->len),
				  mapped.buf, mapped.len, &a->added);
	} else {
		sb_add(&a->added, mapped.buf, mapped.len);
	}
	sb_release(&mapped);
	add_line(a, '+', 0);
	a->lines[a->nlines - 1].off = off;
	a->lines[a->nlines - 1].len = a->added.len - off;
}

/* The adapted hunk: the target's lines from the first found to the last,
   the removed ones marked, the added lines between their neighbours. */
static void build_result(struct adaptation *a, const struct oldside *o,
			 const struct text *t, const struct cand *c)
{
	long j = -1, k = -1, m;
	size_t i;

	for (m = 0; m < o->np && j < 0; m++)
		j = c->match[m];
	a->at = j + 1;
	for (i = 0; i < o->h->nlines; i++) {
		const struct pline *pl = &o->h->lines[i];

		if (pl->kind == '+') {
			add_added(a, o, t, c, k, pl);
			continue;
		}
		k++;
		if (c->match[k] < 0) {
			a->context_missing++;
			sb_add(&a->replaced, pl->text, pl->len);
			sb_addch(&a->replaced, '\n');
			continue;
		}
		for (; j < c->match[k]; j++) {
			add_line(a, ' ', (size_t)j);
			a->context_extra++;
		}
		add_line(a, pl->kind, (size_t)j++);
		if (c->level[k] == MATCH_WS)
			a->kinds |= ADAPT_WHITESPACE;
	}
	if (a->context_missing || a->context_extra)
		a->kinds |= ADAPT_DRIFT;
	if (c->map.n)
		a->kinds |= ADAPT_RENAME;
}

static void take_renames(struct adaptation *a, struct cand *c)
{
	a->renames = c->map.v;
	a->nrenames = a->ralloc = c->map.n;
	memset(&c->map, 0, sizeof(c->map));
}

/* Anchors: every target line after lfl the anchor line matches. */
static long find_anchors(const struct oldside *o, const struct text *t,
			 long lfl, const unsigned *th, long *at, long max)
{
	long i, n = 0;
	const struct pline *pl = o->pl[o->anchor];
	unsigned hk = adapt_trim_hash(pl->text, pl->len);
	unsigned sk = adapt_shape_hash(pl->text, pl->len);

	for (i = may_first(o, t, th, o->anchor, hk, lfl); i >= 0;
	     i = may_next(o, t, th, o->anchor, i))
		if (adapt_match_at(pl, sk, t, i)) {
			if (n == max)
				return max + 1;
			at[n++] = i;
		}
	return n;
}

/* The refusal: what was tried and why each candidate was refused. */
static void refuse(struct adaptation *a, const struct oldside *o,
		   const struct cand *c, long nc, long nok)
{
	long i, said = 0;

	if (!nc) {
		sb_addf(&a->why, "no line matches %s line %ld",
			o->pl[o->anchor]->kind == '-' ? "removed" : "context",
			patch_line(o, o->hidx[o->anchor]));
		return;
	}
	if (nok > 1)
		sb_addf(&a->why, "%ld candidates qualify, none preferred: ",
			nok);
	for (i = 0; i < nc && said < 3; i++) {
		if (nok > 1 && !c[i].ok)
			continue;
		sb_addf(&a->why, "%sat %ld", said ? nok > 1 ? ", " : "; " : "",
			c[i].at + 1);
		if (!c[i].ok)
			sb_addf(&a->why, ": %s", c[i].why.buf);
		said++;
	}
	if ((nok > 1 ? nok : nc) > said)
		sb_addf(&a->why, "; %ld more", (nok > 1 ? nok : nc) - said);
}

/* Is word (n bytes) a whole identifier somewhere in t? */
static int text_has_word(const struct text *t, const char *word, size_t n)
{
	size_t l;

	for (l = 0; l < t->n; l++) {
		const char *s = t->lines[l].p, *end = s + t->lines[l].len, *q;

		for (q = s; (q = memmem(q, (size_t)(end - q), word, n)); q++)
			if ((q == s || !(isalnum((unsigned char)q[-1]) || q[-1] == '_')) &&
			    (q + n == end || !(isalnum((unsigned char)q[n]) || q[n] == '_')))
				return 1;
	}
	return 0;
}

/*
 * The function the hunk is in, as its section heading names it ("static
 * void versal_create_admas(Versal *s, qemu_irq *pic)"), must be in the
 * target, under its name or the one the rename map gives it.  Otherwise the
 * hunk's code is in a function the release lacks, and a look-alike block
 * elsewhere is another feature: v4.2.0 has versal_create_gems() where v5.0
 * adds versal_create_admas(), and the same three lines with "gem" for
 * "adma" would have set the ADMA's bus width on the ethernet controllers.
 * 0 when it is there or the heading names no function, else -1 with why.
 */
static int function_in_target(const struct hunk *h, const struct text *t,
			      const struct adapt_map *m, struct strbuf *why)
{
	const char *paren, *b, *e;
	size_t i;

	if (!h->func || !(paren = memchr(h->func, '(', h->func_len)))
		return 0;
	for (e = paren; e > h->func && isspace((unsigned char)e[-1]); e--)
		;
	for (b = e; b > h->func && (isalnum((unsigned char)b[-1]) || b[-1] == '_'); b--)
		;
	if (b == e || isdigit((unsigned char)*b) ||
	    text_has_word(t, b, (size_t)(e - b)))
		return 0;
	for (i = 0; i < m->n; i++)
		if (strlen(m->v[i].from) == (size_t)(e - b) &&
		    !memcmp(m->v[i].from, b, (size_t)(e - b)) &&
		    text_has_word(t, m->v[i].to, strlen(m->v[i].to)))
			return 0;
	sb_addf(why, "upstream's function %.*s is not in the target", (int)(e - b), b);
	return -1;
}

static long usec_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (long)((t1.tv_sec - t0->tv_sec) * 1000000L +
		      (t1.tv_nsec - t0->tv_nsec) / 1000);
}

int adapt_hunk(const struct text *t, const struct hunk *h, long lfl,
	       long limit, struct adaptation *a)
{
	struct oldside o;
	struct cand *c = NULL;
	struct timespec t0;
	long at[ADAPT_MAX_ANCHORS], nc = 0, nok = 0, i, ok = -1;
	const unsigned *th;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(&o, 0, sizeof(o));
	o.limit = limit < (long)t->n ? limit : (long)t->n;
	if (oldside_build(&o, h) < 0 || !o.np) {
		sb_addstr(&a->why, o.np ? "no newline at end of file"
					: "the hunk has no old side");
		goto out;
	}
	th = target_hashes(&o, t);
	pick_anchor(&o, t, lfl, th);
	nc = find_anchors(&o, t, lfl, th, at, ADAPT_MAX_ANCHORS);
	if (nc > ADAPT_MAX_ANCHORS) {
		sb_addf(&a->why, "more than %d candidates", ADAPT_MAX_ANCHORS);
		goto out;
	}
	c = xcalloc((size_t)nc + 1, sizeof(*c));
	for (i = 0; i < nc; i++) {
		c[i].at = at[i];
		cand_align(&o, t, lfl, &c[i]);
		cand_judge(&o, t, &c[i]);
		if (c[i].ok && !nok++)
			ok = i;
	}
	a->candidates = nc;
	if (nok == 1 && function_in_target(h, t, &c[ok].map, &a->why) < 0) {
		; /* why says it */
	} else if (nok == 1) {
		build_result(a, &o, t, &c[ok]);
		if (!a->kinds)
			sb_addstr(&a->why, "nothing to adapt");
		else
			take_renames(a, &c[ok]);
	} else {
		refuse(a, &o, c, nc, nok);
	}
out:
	for (i = 0; c && i < nc; i++)
		cand_release(&c[i]);
	free(c);
	free(o.pl);
	free(o.hidx);
	a->usec = usec_since(&t0);
	return a->kinds != 0;
}

/*
 * Adaptation may not change what GNU patch does with the other hunks: the
 * file is placed once without it, and each hunk's window must end before
 * the next hunk that placement put somewhere (the line before it, 0-based
 * exclusive).  NULL when no hunk conflicts: nothing to adapt.
 */
long *adapt_limits(const struct file_diff *fd, const char *old,
		   size_t old_len, const struct place_opts *opts,
		   size_t nlines)
{
	struct place_opts o = *opts;
	struct hunk_result *r = xcalloc(fd->nhunks + 1, sizeof(*r));
	long *limits = NULL, next = (long)nlines;
	size_t i;
	enum verdict v = V_CLEAN;

	o.adapt = 0;
	o.text = NULL; /* the caller's placement holds it now */
	if (opts->prior) {
		memcpy(r, opts->prior, fd->nhunks * sizeof(*r));
		for (i = 0; i < fd->nhunks; i++)
			v = verdict_worst(v, r[i].verdict);
	} else {
		v = place_file(fd, old, old_len, &o, r, NULL);
	}
	if (v == V_CONFLICT) {
		limits = xcalloc(fd->nhunks + 1, sizeof(*limits));
		for (i = fd->nhunks; i-- > 0;) {
			limits[i] = next;
			if (r[i].verdict != V_CONFLICT && r[i].old_at > 0)
				next = r[i].old_at - 1;
		}
	}
	free(r);
	return limits;
}

void hunk_results_clear(struct hunk_result *res, size_t n)
{
	size_t i;

	for (i = 0; res && i < n; i++) {
		adaptation_free(res[i].adapt);
		res[i].adapt = NULL;
	}
}

int adapt_hunk_applied(const struct text *t, const struct hunk *h, long lfl,
		       long limit, struct adaptation *a)
{
	struct hunk rev = *h;
	struct pline *l = xcalloc(h->nlines + 1, sizeof(*l));
	size_t i;
	int ret;

	for (i = 0; i < h->nlines; i++) {
		l[i] = h->lines[i];
		if (l[i].kind != ' ')
			l[i].kind = l[i].kind == '+' ? '-' : '+';
	}
	rev.lines = l;
	rev.old_start = h->new_start;
	rev.old_count = h->new_count;
	ret = adapt_hunk(t, &rev, lfl, limit, a);
	free(l);
	return ret;
}

long adaptation_end(const struct adaptation *a)
{
	long end = 0;
	size_t i;

	for (i = 0; i < a->nlines; i++)
		if (a->lines[i].kind != '+' && (long)a->lines[i].target >= end)
			end = (long)a->lines[i].target + 1;
	return end;
}

void adaptation_release(struct adaptation *a)
{
	size_t i;

	free(a->lines);
	sb_release(&a->added);
	sb_release(&a->replaced);
	sb_release(&a->why);
	for (i = 0; i < a->nrenames; i++) {
		free(a->renames[i].from);
		free(a->renames[i].to);
		free(a->renames[i].commit);
	}
	free(a->renames);
	memset(a, 0, sizeof(*a));
}

void adaptation_free(struct adaptation *a)
{
	if (!a)
		return;
	adaptation_release(a);
	free(a);
}

void adaptation_kinds(const struct adaptation *a, struct strbuf *out)
{
	const char *sep = "";

	if (a->kinds & ADAPT_DRIFT) {
		sb_addstr(out, "drift");
		sep = ",";
	}
	if (a->kinds & ADAPT_WHITESPACE) {
		sb_addf(out, "%swhitespace", sep);
		sep = ",";
	}
	if (a->kinds & ADAPT_RENAME)
		sb_addf(out, "%srename", sep);
}

void adaptation_describe(const struct adaptation *a, struct strbuf *out)
{
	const char *sep = "";
	size_t i;

	if (a->kinds & ADAPT_DRIFT) {
		sb_addf(out, "context drift (%ld upstream line%s replaced, %ld "
			"target line%s kept)", a->context_missing,
			a->context_missing == 1 ? "" : "s", a->context_extra,
			a->context_extra == 1 ? "" : "s");
		sep = ", ";
	}
	if (a->kinds & ADAPT_WHITESPACE) {
		sb_addf(out, "%sre-indented", sep);
		sep = ", ";
	}
	for (i = 0; i < a->nrenames; i++) {
		sb_addf(out, "%s%s %s -> %s", sep, i ? "" : "renamed",
			a->renames[i].from, a->renames[i].to);
		if (a->renames[i].commit)
			sb_addf(out, " (commit %.10s)", a->renames[i].commit);
		sep = i + 1 < a->nrenames ? "," : ", ";
	}
}

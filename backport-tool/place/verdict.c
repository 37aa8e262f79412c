/*
 * verdict.c - the words of a verdict and the line index of a file (its
 * lines, their hashes, the lines by content): the vocabulary place.c's
 * search and every emitter share.
 */
#include "place/place.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Verdicts                                                           */

static const char *const verdict_names[] = {
	"clean", "offset", "fuzz", "merged", "adapted", "applied", "conflict"
};

static const char *const verdict_words[] = {
	"OK", "minor noise", "noise", "noise", "noise", "already applied",
	"conflict"
};

const char *verdict_name(enum verdict v)
{
	if ((unsigned)v > V_CONFLICT)
		return "?";
	return verdict_names[v];
}

const char *verdict_word(enum verdict v)
{
	if ((unsigned)v > V_CONFLICT)
		return "?";
	return verdict_words[v];
}

enum verdict verdict_worst(enum verdict a, enum verdict b)
{
	return a > b ? a : b;
}

/* ------------------------------------------------------------------ */
/* Line index of a file                                               */

struct text_index {
	unsigned *hash; /* of each line */
	long *next;     /* the next line of the same hash, -1 */
	struct index_slot {
		unsigned hash;
		long first, last, count; /* first -1: an empty slot */
	} *slot;
	size_t mask;
};

static void index_free(struct text_index *x)
{
	if (!x)
		return;
	free(x->hash);
	free(x->next);
	free(x->slot);
	free(x);
}

static void text_release_memo(struct text *t)
{
	index_free(t->index);
	index_free(t->ws_index);
	index_free(t->trim_index);
	free(t->trim_hash);
	free(t->shape_hash);
	free(t->ws_hash);
	t->index = NULL;
	t->ws_index = NULL;
	t->trim_index = NULL;
	t->trim_hash = NULL;
	t->shape_hash = NULL;
	t->ws_hash = NULL;
}

void text_split(struct text *t, const char *data, size_t len)
{
	const char *p = data, *end = data + len;

	text_release_memo(t);
	t->n = 0;
	t->noeol = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);

		ALLOC_GROW(t->lines, t->n + 1, t->alloc);
		t->lines[t->n].p = p;
		t->lines[t->n].len = l;
		t->n++;
		if (!nl) {
			t->noeol = 1;
			break;
		}
		p = nl + 1;
	}
}

static size_t index_memory(const struct text_index *x, size_t n)
{
	return x ? sizeof(*x) + n * (sizeof(*x->hash) + sizeof(*x->next)) +
			   (x->mask + 1) * sizeof(*x->slot)
		 : 0;
}

size_t text_memory(const struct text *t)
{
	size_t hashes = !!t->trim_hash + !!t->shape_hash + !!t->ws_hash;

	return sizeof(*t) + t->alloc * sizeof(*t->lines) +
	       hashes * (t->n + 1) * sizeof(unsigned) +
	       index_memory(t->index, t->n) + index_memory(t->ws_index, t->n) +
	       index_memory(t->trim_index, t->n);
}

void text_release(struct text *t)
{
	text_release_memo(t);
	free(t->lines);
	t->lines = NULL;
	t->n = t->alloc = 0;
	t->noeol = 0;
}

/* ------------------------------------------------------------------ */
/* Hashes and an index of the lines, made at the first ask             */

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Hashes are filters (equal lines hash the same; other lines may too),
   taken from a line's ends only: a file's lines hash in little time.
   Sixteen bytes packed in two words and mixed once, not a multiply for
   each byte (a chain that made the hash a third of the ws search). */
unsigned text_ws_hash(const char *s, size_t n)
{
	uint64_t head = 0, tail = 0;
	size_t i, j, kh = 0, kt = 0;

	/* the first and the last 8 bytes that are not white space, packed */
	for (i = 0; i < n && kh < 8; i++)
		if (!is_blank(s[i])) {
			head = head << 8 | (unsigned char)s[i];
			kh++;
		}
	for (j = n; j > i && kt < 8; j--)
		if (!is_blank(s[j - 1])) {
			tail = tail << 8 | (unsigned char)s[j - 1];
			kt++;
		}
	head = (head ^ kh << 60) * 0x9e3779b97f4a7c15ull;
	tail = (tail ^ kt << 60) * 0xc2b2ae3d27d4eb4full;
	return (unsigned)((head ^ tail) >> 32 ^ (head + tail));
}

const unsigned *text_hashes(const struct text *t, unsigned **memo,
			    unsigned (*hash)(const char *s, size_t n))
{
	size_t i;

	if (!*memo) {
		*memo = xmalloc((t->n + 1) * sizeof(**memo));
		for (i = 0; i < t->n; i++)
			(*memo)[i] = hash(t->lines[i].p, t->lines[i].len);
	}
	return *memo;
}

const unsigned *text_ws_hashes(const struct text *t)
{
	struct text *memo = (struct text *)t; /* only the memo is set */

	return text_hashes(t, &memo->ws_hash, text_ws_hash);
}

static struct index_slot *index_slot(const struct text_index *x, unsigned h)
{
	size_t k = h & x->mask;

	while (x->slot[k].first >= 0 && x->slot[k].hash != h)
		k = (k + 1) & x->mask;
	return &x->slot[k];
}

/* An index of t's lines by the hashes h (NULL: line_ends_hash); the
   hash array is the index's own. */
static struct text_index *index_build(const struct text *t, const unsigned *h)
{
	struct text_index *x;
	size_t i, size = 16;

	while (size < 2 * t->n)
		size *= 2;
	x = xcalloc(1, sizeof(*x));
	x->hash = xmalloc((t->n + 1) * sizeof(*x->hash));
	x->next = xmalloc((t->n + 1) * sizeof(*x->next));
	x->slot = xmalloc(size * sizeof(*x->slot));
	x->mask = size - 1;
	for (i = 0; i < size; i++)
		x->slot[i].first = -1;
	for (i = 0; i < t->n; i++) {
		struct index_slot *e;

		x->hash[i] = h ? h[i] : line_ends_hash(t->lines[i].p,
						       t->lines[i].len);
		x->next[i] = -1;
		e = index_slot(x, x->hash[i]);
		if (e->first < 0) {
			e->hash = x->hash[i];
			e->first = (long)i;
			e->count = 0;
		} else {
			x->next[e->last] = (long)i;
		}
		e->last = (long)i;
		e->count++;
	}
	return x;
}

static const struct text_index *text_index(const struct text *t)
{
	struct text *memo = (struct text *)t; /* only the memo is set */

	if (!t->index)
		memo->index = index_build(t, NULL);
	return t->index;
}

static const struct text_index *text_ws_index(const struct text *t)
{
	struct text *memo = (struct text *)t; /* only the memo is set */

	if (!t->ws_index)
		memo->ws_index = index_build(t, text_ws_hashes(t));
	return t->ws_index;
}

static long index_first(const struct text_index *x, unsigned h, long *count)
{
	const struct index_slot *e = index_slot(x, h);

	*count = e->first < 0 ? 0 : e->count;
	return e->first;
}

long text_index_first(const struct text *t, unsigned h, long *count)
{
	return index_first(text_index(t), h, count);
}

const unsigned *text_line_hashes(const struct text *t)
{
	return text_index(t)->hash;
}

long text_index_next(const struct text *t, long i)
{
	return text_index(t)->next[i];
}

long text_ws_index_first(const struct text *t, unsigned h, long *count)
{
	return index_first(text_ws_index(t), h, count);
}

long text_ws_index_next(const struct text *t, long i)
{
	return text_ws_index(t)->next[i];
}

static const struct text_index *text_trim_index(const struct text *t)
{
	struct text *memo = (struct text *)t; /* only the memo is set */

	if (!t->trim_index)
		memo->trim_index = index_build(t, t->trim_hash);
	return t->trim_index;
}

long text_trim_index_first(const struct text *t, unsigned h, long *count)
{
	return index_first(text_trim_index(t), h, count);
}

long text_trim_index_next(const struct text *t, long i)
{
	return text_trim_index(t)->next[i];
}

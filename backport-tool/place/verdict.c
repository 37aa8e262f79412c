/*
 * verdict.c - the words of a verdict and the line index of a file: the
 * vocabulary place.c's search and every emitter share.
 */
#include "place/place.h"

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

void text_split(struct text *t, const char *data, size_t len)
{
	const char *p = data, *end = data + len;

	t->n = 0;
	t->noeol = 0;
	free(t->trim_hash);
	t->trim_hash = NULL;
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

void text_release(struct text *t)
{
	free(t->lines);
	free(t->trim_hash);
	t->lines = NULL;
	t->trim_hash = NULL;
	t->n = t->alloc = 0;
	t->noeol = 0;
}

/*
 * deps_strset.c - a set of strings in insertion order, hashed, for the
 * names and paths deps collects.
 */
#include "analyse/deps_int.h"

#include <string.h>

static size_t str_hash(const char *s)
{
	size_t h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

int strset_add(struct strset *s, const char *str)
{
	size_t i;

	if ((s->n + 1) * 2 > s->size) {
		size_t j, size = s->size ? s->size * 2 : 256;

		free(s->tab);
		s->tab = xcalloc(size, sizeof(*s->tab));
		s->size = size;
		for (j = 0; j < s->n; j++) {
			for (i = str_hash(s->v[j]) & (size - 1); s->tab[i];
			     i = (i + 1) & (size - 1))
				;
			s->tab[i] = j + 1;
		}
	}
	for (i = str_hash(str) & (s->size - 1); s->tab[i];
	     i = (i + 1) & (s->size - 1))
		if (!strcmp(s->v[s->tab[i] - 1], str))
			return 0;
	ALLOC_GROW(s->v, s->n + 1, s->alloc);
	s->v[s->n++] = xstrdup(str);
	s->tab[i] = s->n;
	return 1;
}

void strset_release(struct strset *s, int keep_strings)
{
	size_t i;

	if (!keep_strings)
		for (i = 0; i < s->n; i++)
			free(s->v[i]);
	if (!keep_strings)
		free(s->v);
	free(s->tab);
	memset(s, 0, sizeof(*s));
}

int strset_has(const struct strset *s, const char *str, size_t len)
{
	size_t i;
	char *tmp;
	int found = 0;

	if (!s->size)
		return 0;
	tmp = xstrndup(str, len);
	for (i = str_hash(tmp) & (s->size - 1); s->tab[i]; i = (i + 1) & (s->size - 1))
		if (!strcmp(s->v[s->tab[i] - 1], tmp)) {
			found = (int)s->tab[i];
			break;
		}
	free(tmp);
	return found;
}

size_t strset_index(struct strset *s, const char *str, size_t len)
{
	char *tmp = xstrndup(str, len);
	int k;

	strset_add(s, tmp);
	k = strset_has(s, str, len);
	free(tmp);
	return (size_t)k - 1;
}

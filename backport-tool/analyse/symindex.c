/*
 * symindex.c - which identifiers a C tree defines, and which ones a patch
 * uses.  A hand-written single-pass lexer feeds a small declaration
 * recogniser; no preprocessing, no types, just what a reviewer greps for.
 *
 * This file is the index itself (a hash set of names over an arena); the
 * readers are symindex_lex.c (tokens), symindex_parse.c (declarations),
 * symindex_tree.c (directories, git revisions) and symindex_uses.c (a
 * patch's post-images and the names its added lines use).
 */
#include "analyse/symindex.h"
#include "analyse/symindex_int.h"

#include <stdlib.h>
#include <string.h>

static uint32_t hash_name(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

struct symindex *symindex_new(void)
{
	struct symindex *ix = xcalloc(1, sizeof(*ix));

	/*
	 * Small at first, grown as names come: deps keeps one index per patch
	 * of a series (what it defines), and 1,000 patches x 3 targets of
	 * 16,384 slots each were most of a release-sized run's memory.
	 */
	ix->size = 1 << 6;
	ix->tab = xcalloc(ix->size, sizeof(*ix->tab));
	return ix;
}

void symindex_free(struct symindex *ix)
{
	size_t i;

	if (!ix)
		return;
	for (i = 0; i < ix->nfiles; i++)
		free(ix->files[i]);
	for (i = 0; i < ix->narenas; i++)
		free(ix->arenas[i]);
	free(ix->files);
	free(ix->arenas);
	free(ix->tab);
	free(ix);
}

const char *sym_arena_copy(struct symindex *ix, const char *s, size_t len)
{
	char *p;

	if (len + 1 > ix->arena_left) {
		/* arenas double from 1 KiB to 64 KiB, for the same reason */
		size_t sz = ix->narenas >= 6 ? 65536 : (size_t)1024 << ix->narenas;

		if (sz < len + 1)
			sz = len + 1;

		ALLOC_GROW(ix->arenas, ix->narenas + 1, ix->arenas_alloc);
		ix->arenas[ix->narenas++] = ix->arena_next = xmalloc(sz);
		ix->arena_left = sz;
	}
	p = ix->arena_next;
	memcpy(p, s, len);
	p[len] = '\0';
	ix->arena_next += len + 1;
	ix->arena_left -= len + 1;
	return p;
}

static struct entry *slot(const struct symindex *ix, const char *s, size_t len,
			  uint32_t h)
{
	size_t mask = ix->size - 1, i = h & mask;

	for (;; i = (i + 1) & mask) {
		struct entry *e = &ix->tab[i];
		if (!e->name || (e->hash == h && e->len == len &&
				 !memcmp(e->name, s, len)))
			return e;
	}
}

static void grow(struct symindex *ix)
{
	struct entry *old = ix->tab;
	size_t i, n = ix->size;

	ix->size *= 2;
	ix->tab = xcalloc(ix->size, sizeof(*ix->tab));
	for (i = 0; i < n; i++)
		if (old[i].name)
			*slot(ix, old[i].name, old[i].len, old[i].hash) = old[i];
	free(old);
}

void sym_define(struct symindex *ix, uint32_t file, const char *s,
		   size_t len, long line, enum sym_kind kind)
{
	sym_define_typed(ix, file, s, len, line, kind, NULL, 0);
}

void sym_define_typed(struct symindex *ix, uint32_t file, const char *s,
		      size_t len, long line, enum sym_kind kind,
		      const char *type, size_t type_n)
{
	uint32_t h = hash_name(s, len);
	struct entry *e = slot(ix, s, len, h);

	if (e->name) {
		/* a definition beats a prototype seen earlier */
		if (e->kind == SYM_PROTOTYPE && kind == SYM_FUNCTION) {
			e->file = file;
			e->line = line;
			e->kind = kind;
		}
		return;
	}
	e->name = sym_arena_copy(ix, s, len);
	e->type = type ? sym_arena_copy(ix, type, type_n) : NULL;
	e->len = (uint32_t)len;
	e->hash = h;
	e->file = file;
	e->line = line;
	e->kind = kind;
	if (++ix->count * 2 > ix->size)
		grow(ix);
}

const struct sym_def *symindex_lookup(const struct symindex *ix,
				      const char *name, size_t len)
{
	struct entry *e = slot(ix, name, len, hash_name(name, len));
	struct sym_def *d = (struct sym_def *)&ix->last;

	if (!e->name)
		return NULL;
	d->name = e->name;
	d->file = e->file < ix->nfiles ? ix->files[e->file] : "";
	d->line = e->line;
	d->kind = (enum sym_kind)e->kind;
	d->type = e->type;
	return d;
}

size_t symindex_count(const struct symindex *ix)
{
	return ix->count;
}

size_t symindex_files(const struct symindex *ix)
{
	return ix->nfiles;
}

const char *sym_kind_name(enum sym_kind k)
{
	static const char *const names[] = {
		"function", "prototype", "macro", "enumerator", "tag",
		"typedef", "member", "variable", "local"
	};
	return (unsigned)k < sizeof(names) / sizeof(names[0]) ? names[k] : "?";
}

const struct sym_def *symindex_lookup_key(const struct symindex *ix,
					  const char *prefix, const char *name,
					  const char *suffix)
{
	struct strbuf sb = STRBUF_INIT;
	const struct sym_def *d;

	sb_addstr(&sb, prefix ? prefix : "");
	sb_addstr(&sb, name);
	sb_addstr(&sb, suffix ? suffix : "");
	d = symindex_lookup(ix, sb.buf, sb.len);
	sb_release(&sb);
	return d;
}

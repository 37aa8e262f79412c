/*
 * tree_memo.c - what callers work out from a file's content (apply: its
 * lines split and indexed), kept with the tree for the next ask about the
 * same content.  A series touches a file again a few commits later, often
 * while the file is still the target's: on a release's worth of QEMU
 * commits half the bytes placement splits are split again.
 *
 * Each content a tree holds has a serial (tree_file.serial) for as long
 * as it lives, never reused.  Memos are kept by serial, newest first,
 * within TREE_MEMO_BUDGET bytes; past it the oldest are freed.  A memo
 * whose content is gone is never asked for again (its serial is not
 * given out any more) and waits its turn to be freed.
 */
#include "tree/tree_memo.h"

#include <stdlib.h>

#include "util.h"

#define TREE_MEMO_BUDGET ((size_t)8 << 20)

struct memo {
	unsigned long serial;
	void *p;
	size_t bytes;
	void (*free)(void *);
	struct memo *chain;         /* the next in its slot */
	struct memo *older, *newer; /* the order of use */
};

static size_t slot_of(const struct tree_memos *m, unsigned long serial)
{
	return (size_t)(serial * 2654435761u) & (m->nslot - 1);
}

static struct memo **memo_link(struct tree_memos *m, unsigned long serial)
{
	struct memo **l = &m->slot[slot_of(m, serial)];

	while (*l && (*l)->serial != serial)
		l = &(*l)->chain;
	return l;
}

/* Take x out of the order of use. */
static void unlink_use(struct tree_memos *m, struct memo *x)
{
	if (x->older)
		x->older->newer = x->newer;
	else
		m->oldest = x->newer;
	if (x->newer)
		x->newer->older = x->older;
	else
		m->newest = x->older;
	x->older = x->newer = NULL;
}

static void make_newest(struct tree_memos *m, struct memo *x)
{
	if (m->newest == x)
		return;
	if (x->older || x->newer || m->oldest == x)
		unlink_use(m, x);
	x->older = m->newest;
	if (m->newest)
		m->newest->newer = x;
	m->newest = x;
	if (!m->oldest)
		m->oldest = x;
}

static void memo_drop(struct tree_memos *m, struct memo *x)
{
	struct memo **l = memo_link(m, x->serial);

	*l = x->chain;
	unlink_use(m, x);
	m->bytes -= x->bytes;
	m->used--;
	x->free(x->p);
	free(x);
}

static void memos_grow(struct tree_memos *m)
{
	struct memo **old = m->slot, *x, *next;
	size_t i, n = m->nslot;

	m->nslot = n ? 2 * n : 64;
	m->slot = xcalloc(m->nslot, sizeof(*m->slot));
	for (i = 0; i < n; i++)
		for (x = old[i]; x; x = next) {
			size_t k = slot_of(m, x->serial);

			next = x->chain;
			x->chain = m->slot[k];
			m->slot[k] = x;
		}
	free(old);
}

void *tree_memos_take(struct tree_memos *m, unsigned long serial)
{
	struct memo **l, *x;
	void *p;

	if (!serial || !m->nslot || !(x = *(l = memo_link(m, serial))))
		return NULL;
	*l = x->chain;
	unlink_use(m, x);
	m->bytes -= x->bytes;
	m->used--;
	p = x->p;
	free(x);
	return p;
}

void tree_memos_put(struct tree_memos *m, unsigned long serial, void *p,
		    size_t bytes, void (*free_fn)(void *))
{
	struct memo **l, *x;

	if (!serial) {
		free_fn(p);
		return;
	}
	if (2 * (m->used + 1) > m->nslot)
		memos_grow(m);
	l = memo_link(m, serial);
	if ((x = *l) != NULL) {
		if (x->p != p)
			x->free(x->p);
		m->bytes -= x->bytes;
	} else {
		x = xcalloc(1, sizeof(*x));
		x->serial = serial;
		*l = x;
		m->used++;
	}
	x->p = p;
	x->bytes = bytes;
	x->free = free_fn;
	m->bytes += bytes;
	make_newest(m, x);
	while (m->bytes > TREE_MEMO_BUDGET && m->oldest != x)
		memo_drop(m, m->oldest);
}

void tree_memos_clear(struct tree_memos *m)
{
	while (m->oldest)
		memo_drop(m, m->oldest);
	free(m->slot);
	m->slot = NULL;
	m->nslot = m->used = m->bytes = 0;
}

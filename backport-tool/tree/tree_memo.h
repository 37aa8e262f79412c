/*
 * tree_memo.h - the memos a tree keeps by content serial (tree_memo.c);
 * tree.h's tree_memo_take and tree_memo_put are the way in.
 */
#ifndef BT_TREE_MEMO_H
#define BT_TREE_MEMO_H

#include <stddef.h>

struct memo;

struct tree_memos {
	struct memo **slot;
	size_t nslot, used, bytes;
	struct memo *newest, *oldest;
};

void *tree_memos_take(struct tree_memos *m, unsigned long serial);
void tree_memos_put(struct tree_memos *m, unsigned long serial, void *p,
		    size_t bytes, void (*free_fn)(void *));
void tree_memos_clear(struct tree_memos *m);

#endif

/*
 * apply_move.c - a patch's file upstream renamed after the target's
 * release: found through the move hook (apply.h, set from gitsrc), the
 * hunks placed on the target's path, and the file result saying so.
 */
#include "place/apply.h"
#include "place/apply_int.h"
#include "input/gitsrc.h"

#include <stdlib.h>

int apply_moved_paths(const struct apply_state *s, struct tree *t,
		      const struct patch *p,
		      int (*fn)(const char *path, void *data), void *data)
{
	const char *rev = gitsrc_tree_rev(t);
	int strip = patch_strip_level(p), rc = 0;
	size_t i;

	if (!rev)
		rev = s->base;
	if (!s->adapt || !s->moved || !rev)
		return 0;
	for (i = 0; i < p->nfiles && !rc; i++) {
		const struct file_diff *fd = &p->files[i];
		const char *path = file_diff_path(fd, strip, 1);
		struct tree_file f;
		struct gitsrc_move m;

		if (fd->op != FILE_MODIFY || fd->is_binary || !fd->nhunks ||
		    !path || tree_get(t, path, &f) != TREE_ENOENT)
			continue;
		if (s->moved(s->renames_ctx, rev, p, fd, &m) == 1)
			rc = fn(m.path, data);
		gitsrc_move_release(&m);
	}
	return rc;
}

const char *apply_target_rev(const struct file_job *j)
{
	const char *rev = gitsrc_tree_rev(j->t);

	return rev ? rev : j->s->base;
}

int apply_job_moved(struct file_job *j, struct tree_file *f)
{
	const char *rev = apply_target_rev(j);
	struct file_result *fr = j->fr;
	struct gitsrc_move m;
	struct strbuf sb = STRBUF_INIT;
	int rc;

	if (!j->s->adapt || !j->s->moved || !rev || j->fd->is_binary ||
	    !j->fd->nhunks)
		return TREE_ENOENT;
	if (j->s->moved(j->s->renames_ctx, rev, j->p, j->fd, &m) != 1) {
		if (m.why) {
			sb_addf(&sb, "file missing; not moved: %s", m.why);
			fr->moved = sb_detach(&sb, NULL);
		}
		gitsrc_move_release(&m);
		return TREE_ENOENT;
	}
	rc = tree_get(j->t, m.path, f);
	if (rc == 0) {
		sb_addf(&sb, "moved: upstream's %s is %s here", fr->path,
			m.path);
		if (m.commit[0])
			sb_addf(&sb, " (renamed in commit %.10s)", m.commit);
		else
			sb_addstr(&sb, " (renamed upstream)");
		fr->moved = sb_detach(&sb, NULL);
		free(fr->path);
		fr->path = m.path;
		m.path = NULL;
	}
	gitsrc_move_release(&m);
	return rc;
}

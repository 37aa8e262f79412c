/*
 * apply_gitlink.c - the file diffs that carry no text to place: a
 * submodule's commit (a gitlink, "Subproject commit A" -> B) and a mode
 * change without hunks.  Each is judged by comparing both sides with what
 * the target has, and says so in the file's note.
 */
#include "place/apply_int.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

static int is_mode_only(const struct file_diff *fd)
{
	return !fd->nhunks && !fd->is_binary && fd->old_mode && fd->new_mode &&
	       fd->old_mode != fd->new_mode;
}

/*
 * A mode change without hunks: clean when the file has the old mode (the
 * new one is set), applied when it has the new, a conflict otherwise.
 * 1 when it was one.
 */
int apply_job_mode_only(struct file_job *j, const struct tree_file *f)
{
	const struct file_diff *fd = j->fd;
	struct file_result *fr = j->fr;
	struct strbuf note = STRBUF_INIT;

	if (!is_mode_only(fd))
		return 0;
	sb_addf(&note, "mode %06o -> %06o, target has %06o", fd->old_mode,
		fd->new_mode, f->mode);
	fr->note = sb_detach(&note, NULL);
	if (f->mode == fd->new_mode) {
		fr->verdict = V_APPLIED;
	} else if (f->mode == fd->old_mode) {
		fr->verdict = V_CLEAN;
		char *data = xmalloc(f->len + 1);

		if (f->len)
			memcpy(data, f->data, f->len);
		tree_put(j->t, fr->path, data, f->len, fd->new_mode);
	} else {
		apply_file_conflict(fr, fr->note);
	}
	return 1;
}

#define MODE_GITLINK 0160000

/* A git tree holds a gitlink as "Subproject commit <id>\n" (gitsrc_tree). */
static int gitlink_id(const struct tree_file *f, char *id)
{
	static const char word[] = "Subproject commit ";
	size_t n = sizeof(word) - 1;

	if (f->mode != MODE_GITLINK || f->len < n + 40 ||
	    memcmp(f->data, word, n))
		return 0;
	memcpy(id, f->data + n, 40);
	id[40] = '\0';
	return 1;
}

static void sub_side(struct strbuf *sb, const char *id)
{
	if (*id)
		sb_addf(sb, "%.10s", id);
	else
		sb_addstr(sb, "(none)");
}

/* "submodule roms/x: 1a2b3c4d5e -> 6f7a8b9c0d, target has ..." */
static char *sub_note(const struct file_diff *fd, const char *path,
		      const char *has)
{
	struct strbuf sb = STRBUF_INIT;

	sb_addf(&sb, "submodule %s: ", path);
	sub_side(&sb, fd->old_sub);
	sb_addstr(&sb, " -> ");
	sub_side(&sb, fd->new_sub);
	sb_addf(&sb, ", %s", has);
	return sb_detach(&sb, NULL);
}

static void job_put_gitlink(struct file_job *j, const char *id)
{
	struct strbuf sb = STRBUF_INIT;
	size_t len;
	char *data;

	sb_addf(&sb, "Subproject commit %s\n", id);
	data = sb_detach(&sb, &len);
	tree_put(j->t, j->fr->path, data, len, MODE_GITLINK);
}

/* Does the tree's .gitmodules name path?  2 yes, 1 no, 0 none, -1 error. */
static int gitmodules_has(struct tree *t, const char *path)
{
	struct tree_file f;
	const char *p, *end;
	size_t n = strlen(path);
	int rc = tree_get(t, ".gitmodules", &f);

	if (rc)
		return rc == TREE_ENOENT ? 0 : -1;
	for (p = f.data, end = f.data + f.len; p < end;) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *q = p, *e = eol ? eol : end;

		while (q < e && (*q == ' ' || *q == '\t'))
			q++;
		if (e - q > 4 && !memcmp(q, "path", 4)) {
			q += 4;
			while (q < e && (*q == ' ' || *q == '\t' || *q == '='))
				q++;
			while (e > q && (e[-1] == ' ' || e[-1] == '\t' ||
					 e[-1] == '\r'))
				e--;
			if ((size_t)(e - q) == n && !memcmp(q, path, n))
				return 2;
		}
		p = eol ? eol + 1 : end;
	}
	return 1;
}

/*
 * A submodule's commit changes: clean when the target's gitlink is the old
 * commit (the new one is put in its place), applied when it is the new, a
 * conflict naming what it has otherwise.  A directory target has no
 * gitlinks to compare: a conflict (check) or an input error (apply).
 */
int apply_job_submodule(struct file_job *j)
{
	const struct file_diff *fd = j->fd;
	struct file_result *fr = j->fr;
	struct strbuf has = STRBUF_INIT;
	struct tree_file f;
	char id[41] = "";
	int rc;

	if (tree_dir(j->t)) {
		if (j->s->submodule_error)
			return error_at(patch_where(j->p), fd->lineno,
					"%s: a submodule change cannot be "
					"applied to a directory", fr->path);
		rc = gitmodules_has(j->t, fr->path);
		if (rc < 0)
			return -1;
		fr->note = sub_note(fd, fr->path,
				    rc == 2   ? "not a git target: not compared "
						"(.gitmodules lists it)"
				    : rc == 1 ? "not a git target: not compared "
						"(.gitmodules does not list it)"
					      : "not a git target: not compared "
						"(no .gitmodules)");
		apply_judge_whole(fr, 0, fr->note);
		return 0;
	}
	rc = tree_get(j->t, fr->path, &f);
	if (rc < 0)
		return -1;
	if (rc == 0 && !gitlink_id(&f, id))
		sb_addstr(&has, "target has a file there");
	else if (rc == 0)
		sb_addf(&has, "target has %.10s", id);
	else
		sb_addstr(&has, "target has no submodule there");
	fr->note = sub_note(fd, fr->path, has.buf);
	sb_release(&has);
	if (rc == 0 && !*id)
		apply_judge_whole(fr, 0, fr->note);
	else if (!strcmp(id, fd->new_sub))
		apply_judge_whole(fr, 1, NULL);
	else if (strcmp(id, fd->old_sub))
		apply_judge_whole(fr, 0, fr->note);
	else if (fd->op == FILE_DELETE)
		tree_delete(j->t, fr->path);
	else
		job_put_gitlink(j, fd->new_sub);
	return 0;
}


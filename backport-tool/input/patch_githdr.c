/*
 * patch_githdr.c - git's extended headers (mode, index, rename/copy,
 * new/deleted file) and how they settle a file diff's names and operation.
 */
#include "input/patch_parse_int.h"

#include <stdlib.h>

static unsigned parse_mode(const struct line *l, size_t skip)
{
	const char *s = l->s + skip, *end = l->s + len_nocr(l);
	unsigned m = 0;

	while (s < end && *s >= '0' && *s <= '7')
		m = m * 8 + (unsigned)(*s++ - '0');
	return m;
}

void parse_file_head_release(struct file_head *fh)
{
	free(fh->from);
	free(fh->to);
	free(fh->old);
	free(fh->new);
	free(fh->bin_old);
	free(fh->bin_new);
}

/* s[0..len) are lower-case hex digits (the text is NUL-terminated). */
static int all_hex(const char *s, size_t len)
{
	return strspn(s, "0123456789abcdef") >= len;
}

/* "index 1a2b3c..4d5e6f [mode]": the blob ids, when they look like ids. */
static void read_index_ids(struct file_diff *fd, const struct line *l)
{
	const char *s = l->s + 6, *end = l->s + len_nocr(l);
	const char *dots = memmem(s, (size_t)(end - s), "..", 2), *b, *e;
	size_t alen, blen;

	if (!dots)
		return;
	alen = (size_t)(dots - s);
	b = dots + 2;
	for (e = b; e < end && *e != ' '; e++)
		;
	blen = (size_t)(e - b);
	if (!alen || !blen || alen >= sizeof(fd->old_id) ||
	    blen >= sizeof(fd->new_id) || !all_hex(s, alen) || !all_hex(b, blen))
		return;
	memcpy(fd->old_id, s, alen);
	fd->old_id[alen] = '\0';
	memcpy(fd->new_id, b, blen);
	fd->new_id[blen] = '\0';
}

/* Git extended header lines; 1 if l was one. */
int parse_git_header(struct file_diff *fd, struct file_head *fh,
			    const struct line *l)
{
	unsigned m;
	const char *sp;

	if (starts(l, "new file mode ")) {
		fd->new_mode = parse_mode(l, 14);
		fh->created = 1;
	} else if (starts(l, "deleted file mode ")) {
		fd->old_mode = parse_mode(l, 18);
		fh->deleted = 1;
	} else if (starts(l, "old mode ")) {
		fd->old_mode = parse_mode(l, 9);
	} else if (starts(l, "new mode ")) {
		fd->new_mode = parse_mode(l, 9);
	} else if (starts(l, "rename from ")) {
		free(fh->from);
		fh->from = parse_rest_name(l, 12);
		fh->renamed = 1;
	} else if (starts(l, "rename to ")) {
		free(fh->to);
		fh->to = parse_rest_name(l, 10);
		fh->renamed = 1;
	} else if (starts(l, "copy from ")) {
		free(fh->from);
		fh->from = parse_rest_name(l, 10);
		fh->copied = 1;
	} else if (starts(l, "copy to ")) {
		free(fh->to);
		fh->to = parse_rest_name(l, 8);
		fh->copied = 1;
	} else if (starts(l, "index ")) {
		read_index_ids(fd, l);
		sp = memchr(l->s + 6, ' ', len_nocr(l) - 6);
		if (sp) {
			m = parse_mode(l, (size_t)(sp + 1 - l->s));
			if (!fd->old_mode && !fh->created)
				fd->old_mode = m;
			if (!fd->new_mode && !fh->deleted)
				fd->new_mode = m;
		}
	} else if (!starts(l, "similarity index ") &&
		   !starts(l, "dissimilarity index ")) {
		return 0;
	}
	return 1;
}

#define MODE_GITLINK 0160000

/* "Subproject commit <40 hex>": the id into id, 1; else 0. */
static int subproject_id(const struct pline *l, char *id)
{
	static const char word[] = "Subproject commit ";
	size_t n = sizeof(word) - 1;

	if (l->len < n + 40 || memcmp(l->text, word, n) ||
	    !all_hex(l->text + n, 40))
		return 0;
	memcpy(id, l->text + n, 40);
	id[40] = '\0';
	return 1;
}

/*
 * A gitlink (mode 160000, a submodule): its one hunk names the commit on
 * each side, "-Subproject commit A" and "+Subproject commit B".
 */
static int parse_submodule(struct parser *ps, struct file_diff *fd)
{
	size_t i;

	if (!fd->is_git || (fd->old_mode != MODE_GITLINK &&
			    fd->new_mode != MODE_GITLINK))
		return 0;
	if ((fd->old_mode != MODE_GITLINK && fd->op != FILE_CREATE) ||
	    (fd->new_mode != MODE_GITLINK && fd->op != FILE_DELETE))
		return 0; /* a submodule replaced by a file: judged as a file */
	fd->is_submodule = 1;
	for (i = 0; fd->nhunks == 1 && i < fd->hunks[0].nlines; i++) {
		const struct pline *l = &fd->hunks[0].lines[i];

		if (!subproject_id(l, l->kind == '-' ? fd->old_sub
						     : fd->new_sub))
			break;
	}
	if (fd->nhunks > 1 || (fd->nhunks && i < fd->hunks[0].nlines) ||
	    (!fd->old_sub[0] && fd->op != FILE_CREATE) ||
	    (!fd->new_sub[0] && fd->op != FILE_DELETE))
		return error_at(ps->where, fd->lineno,
				"submodule diff without its 'Subproject "
				"commit' lines");
	return 0;
}

/* Settle names and operation of the file diff just read. */
int parse_file_finish(struct parser *ps, struct file_diff *fd,
		       struct file_head *fh)
{
	char *a = NULL, *b = NULL;

	if (fh->have_minus) {
		a = fh->old_null ? NULL : fh->old;
		b = fh->new_null ? NULL : fh->new;
		if (fh->old_null && fh->new_null)
			return error_at(ps->where, fd->lineno,
					"/dev/null on both sides of a file diff");
		if (fh->old_null)
			free(fh->old);
		if (fh->new_null)
			free(fh->new);
		fh->old = fh->new = NULL;
		if (fh->old_null)
			fh->created = 1;
		if (fh->new_null)
			fh->deleted = 1;
		/* diff -N: an epoch timestamp stands for a missing file */
		if (!fd->is_git && fh->old_epoch && fd->nhunks == 1 &&
		    fd->hunks[0].old_count == 0)
			fh->created = 1;
		if (!fd->is_git && fh->new_epoch && fd->nhunks == 1 &&
		    fd->hunks[0].new_count == 0)
			fh->deleted = 1;
	} else if (fh->git_line) {
		if (parse_git_line_names(fh->git_line, fh->git_len,
				   fh->from, fh->to, &a, &b))
			return error_at(ps->where, fd->lineno,
					"cannot tell the file names apart in 'diff --git' line");
	} else if (fh->bin_old) {
		a = fh->bin_old;
		b = fh->bin_new;
		fh->bin_old = fh->bin_new = NULL;
		if (!strcmp(a, "/dev/null")) {
			free(a);
			a = NULL;
			fh->created = 1;
		}
		if (b && !strcmp(b, "/dev/null")) {
			free(b);
			b = NULL;
			fh->deleted = 1;
		}
	}
	fd->old_path = a;
	fd->new_path = b;
	if (!a && !b)
		return error_at(ps->where, fd->lineno, "file diff names no file");
	if (fh->created && fh->deleted)
		return error_at(ps->where, fd->lineno,
				"file diff both creates and deletes its file");
	if (fh->renamed)
		fd->op = FILE_RENAME;
	else if (fh->copied)
		fd->op = FILE_COPY;
	else if (fh->created)
		fd->op = FILE_CREATE;
	else if (fh->deleted)
		fd->op = FILE_DELETE;
	if (fd->is_git && fd->op == FILE_CREATE && fd->old_path) {
		free(fd->old_path);
		fd->old_path = NULL;
	}
	if (fd->is_git && fd->op == FILE_DELETE && fd->new_path) {
		free(fd->new_path);
		fd->new_path = NULL;
	}
	if (!fd->new_path && fd->op != FILE_DELETE)
		return error_at(ps->where, fd->lineno,
				"file diff has no new file name");
	if (!fd->old_path && fd->op != FILE_CREATE)
		return error_at(ps->where, fd->lineno,
				"file diff has no old file name");
	return parse_submodule(ps, fd);
}

/*
 * The old and new names of a file diff, from two consecutive header lines
 * ("--- a" / "+++ b", or a context diff's "*** a" / "--- b").
 */
int parse_read_name_pair(struct parser *ps, struct file_head *fh,
			  const struct line *old, const struct line *new)
{
	fh->old = parse_header_name(old, &fh->old_null, &fh->old_epoch);
	if (!fh->old)
		return error_at(ps->where, ps->lineno, "badly quoted file name");
	advance(ps, old);
	fh->new = parse_header_name(new, &fh->new_null, &fh->new_epoch);
	if (!fh->new)
		return error_at(ps->where, ps->lineno, "badly quoted file name");
	advance(ps, new);
	fh->have_minus = 1;
	return 0;
}

/* "---" and "+++" lines; l is the "---" one. */
int parse_minus_plus(struct parser *ps, struct file_head *fh,
			    const struct line *l)
{
	struct line plus;

	if (!next_starts(ps, l, "+++ ", &plus))
		return error_at(ps->where, ps->lineno,
				"'---' line without a '+++' line after it");
	return parse_read_name_pair(ps, fh, l, &plus);
}

/* Lines after the last hunk that can only be miscounted hunk lines. */
int parse_check_after_hunks(struct parser *ps)
{
	struct line l;

	if (!cur(ps, &l) || !l.len)
		return 0;
	if (l.s[0] == ' ' || l.s[0] == '+' ||
	    (l.s[0] == '-' && !starts(&l, "--")))
		return error_at(ps->where, ps->lineno,
				"hunk has more lines than its header states");
	return 0;
}

/*
 * patch_context.c - context diffs (diff -c): the "***"/"---" sections of
 * each hunk merged into the unified lines the rest of the program reads.
 */
#include "input/patch_parse_int.h"

/* --- context diffs (diff -c) --------------------------------------------- */

/* "*** old" and "--- new" lines; l is the "***" one. */
static int parse_context_names(struct parser *ps, struct file_head *fh,
			       const struct line *l)
{
	struct line n;

	if (!line_at(l->next, ps->end, &n))
		return error_at(ps->where, ps->lineno, "'***' line without a '---' line");
	return parse_read_name_pair(ps, fh, l, &n);
}

/*
 * "*** A,B ****" or "--- A,B ----": lines A to B.  A single number is
 * ambiguous: diff -c writes it both for one line and for the empty range
 * after line A, so *single is set and the count is settled from the lines.
 */
static int parse_context_range(const struct line *l, char sign,
			       long *start, long *count, int *single)
{
	const char *s = l->s + 4, *end = l->s + len_nocr(l);
	long last;

	if (len_nocr(l) < 9 || l->s[0] != sign || l->s[1] != sign ||
	    l->s[2] != sign || l->s[3] != ' ')
		return -1;
	*start = parse_num(&s, end);
	if (*start < 0)
		return -1;
	last = *start;
	*single = !(s < end && *s == ',');
	if (!*single) {
		s++;
		last = parse_num(&s, end);
		if (last < *start)
			return -1;
	}
	if (end - s != 5 || s[0] != ' ' || s[1] != sign || s[2] != sign ||
	    s[3] != sign || s[4] != sign)
		return -1;
	*count = *start == 0 ? 0 : last - *start + 1;
	return 0;
}

static int is_context_new_header(const struct line *l)
{
	long a, b;
	int single;

	return parse_context_range(l, '-', &a, &b, &single) == 0;
}

/*
 * Read count lines of one section; marks: the change marks it may hold
 * besides "  " context ("-!" old, "+!" new).
 */
static int read_context_section(struct parser *ps, long count,
				const char *marks, struct pline **v,
				size_t *n, size_t *alloc)
{
	struct line l;

	*n = 0;
	for (;;) {
		struct pline *pl;
		char kind;

		if (cur(ps, &l) && l.len && l.s[0] == '\\') {
			if (!*n)
				return error_at(ps->where, ps->lineno,
						"'\\' line before any line of the hunk");
			(*v)[*n - 1].noeol = 1;
			advance(ps, &l);
			continue;
		}
		if (!count)
			return 0;
		if (!cur(ps, &l) || is_context_new_header(&l) ||
		    starts(&l, "***************"))
			return error_at(ps->where, ps->lineno,
					"hunk ends early: expected %ld more line%s",
					count, count == 1 ? "" : "s");
		if (!len_nocr(&l) || (len_nocr(&l) == 1 && l.s[0] == ' '))
			kind = ' '; /* "  " whose spaces a mailer ate */
		else if (strchr(marks, l.s[0]) || l.s[0] == ' ')
			kind = l.s[0];
		else
			kind = 0;
		if (!kind || (len_nocr(&l) >= 2 && l.s[1] != ' '))
			return error_at(ps->where, ps->lineno,
					"line in a context hunk does not start with '  ', '%c ' or '! '",
					marks[0]);
		ALLOC_GROW(*v, *n + 1, *alloc);
		pl = &(*v)[(*n)++];
		pl->kind = kind;
		pl->noeol = 0;
		pl->text = l.len >= 2 ? l.s + 2 : l.s + l.len;
		pl->len = l.len >= 2 ? l.len - 2 : 0;
		count--;
		advance(ps, &l);
	}
}

static void hunk_push(struct hunk *h, size_t *alloc, const struct pline *src,
		      char kind)
{
	ALLOC_GROW(h->lines, h->nlines + 1, *alloc);
	h->lines[h->nlines] = *src;
	h->lines[h->nlines++].kind = kind;
}

/*
 * Merge the old and new sections into unified lines: '!' runs become
 * '-' then '+', and context must read the same on both sides.  An omitted
 * section (no changes on that side) is the other side's context.
 */
static int context_merge(struct parser *ps, struct hunk *h, size_t no,
			 size_t nn, long at)
{
	const struct pline *o = ps->ctx_old, *n = ps->ctx_new;
	size_t i = 0, j = 0, alloc = 0;

	while (i < no || j < nn) {
		if (i < no && o[i].kind == '-') {
			hunk_push(h, &alloc, &o[i++], '-');
		} else if (j < nn && n[j].kind == '+') {
			hunk_push(h, &alloc, &n[j++], '+');
		} else if ((i < no && o[i].kind == '!') ||
			   (j < nn && n[j].kind == '!')) {
			while (i < no && o[i].kind == '!')
				hunk_push(h, &alloc, &o[i++], '-');
			while (j < nn && n[j].kind == '!')
				hunk_push(h, &alloc, &n[j++], '+');
		} else if (!nn || !no) {
			hunk_push(h, &alloc, no ? &o[i++] : &n[j++], ' ');
		} else if (i < no && j < nn && o[i].len == n[j].len &&
			   !memcmp(o[i].text, n[j].text, o[i].len)) {
			hunk_push(h, &alloc, &o[i++], ' ');
			h->lines[h->nlines - 1].noeol |= n[j++].noeol;
		} else {
			return error_at(ps->where, at,
					"context hunk's old and new context differ");
		}
	}
	return 0;
}

/*
 * The unified counts the merged lines imply: they must be the stated ones,
 * and settle the single-number ranges.
 */
static int context_settle_counts(struct parser *ps, struct hunk *h,
				 int old_single, int new_single, long at)
{
	long o = 0, n = 0;
	size_t i;

	for (i = 0; i < h->nlines; i++) {
		o += h->lines[i].kind != '+';
		n += h->lines[i].kind != '-';
	}
	if (old_single && o <= 1)
		h->old_count = o;
	if (new_single && n <= 1)
		h->new_count = n;
	if (o != h->old_count || n != h->new_count)
		return error_at(ps->where, at,
				"context hunk has %ld old and %ld new lines, its ranges say %ld and %ld",
				o, n, h->old_count, h->new_count);
	return 0;
}

/* One hunk: "***************", the old section, the new section. */
static int parse_context_hunk(struct parser *ps, const struct line *stars)
{
	struct file_diff *fd = parse_current_file(ps);
	struct hunk *h;
	struct line l;
	size_t no = 0, nn = 0;
	long at = ps->lineno;
	const char *f = stars->s + 15, *fe = stars->s + len_nocr(stars);
	int old_single, new_single;

	ALLOC_GROW(fd->hunks, fd->nhunks + 1, ps->hunks_alloc);
	h = &fd->hunks[fd->nhunks++];
	memset(h, 0, sizeof(*h));
	h->lineno = at;
	if (f < fe && *f == ' ')
		f++;
	h->func = f < fe ? f : NULL;
	h->func_len = (size_t)(fe - f);
	advance(ps, stars);
	if (!cur(ps, &l) ||
	    parse_context_range(&l, '*', &h->old_start, &h->old_count,
				&old_single))
		return error_at(ps->where, ps->lineno,
				"malformed context hunk header");
	if (h->old_count > MAX_HUNK_LINES)
		return parse_hunk_check_limits(ps, h, at);
	advance(ps, &l);
	if (cur(ps, &l) && !is_context_new_header(&l) &&
	    read_context_section(ps, h->old_count, "-!", &ps->ctx_old, &no,
				 &ps->ctx_old_alloc))
		return -1;
	if (!cur(ps, &l) ||
	    parse_context_range(&l, '-', &h->new_start, &h->new_count,
				&new_single))
		return error_at(ps->where, ps->lineno,
				"malformed context hunk header");
	if (parse_hunk_check_limits(ps, h, at))
		return -1;
	advance(ps, &l);
	if (cur(ps, &l) && h->new_count && l.len &&
	    (l.s[0] == ' ' || l.s[0] == '+' || l.s[0] == '!') &&
	    read_context_section(ps, h->new_count, "+!", &ps->ctx_new, &nn,
				 &ps->ctx_new_alloc))
		return -1;
	if (!no && !nn)
		return error_at(ps->where, at, "context hunk without lines");
	return context_merge(ps, h, no, nn, at) ||
	       context_settle_counts(ps, h, old_single, new_single, at) ? -1 : 0;
}

static int parse_context_hunks(struct parser *ps)
{
	struct line l;

	if (!cur(ps, &l) || !starts(&l, "***************"))
		return error_at(ps->where, ps->lineno,
				"expected a hunk ('***************')");
	while (cur(ps, &l) && starts(&l, "***************"))
		if (parse_context_hunk(ps, &l))
			return -1;
	return 0;
}

/* One file diff starting at l (a line parse_is_file_start accepted). */
int parse_file(struct parser *ps, struct line l)
{
	struct patch *p = ps->patch;
	struct file_diff *fd;
	struct file_head fh;
	int ret = -1;

	memset(&fh, 0, sizeof(fh));
	ALLOC_GROW(p->files, p->nfiles + 1, ps->files_alloc);
	fd = &p->files[p->nfiles++];
	memset(fd, 0, sizeof(*fd));
	fd->lineno = ps->lineno;
	ps->hunks_alloc = 0;

	if (starts(&l, "diff --git ")) {
		fd->is_git = 1;
		fh.git_line = l.s + 11;
		fh.git_len = len_nocr(&l) - 11;
		advance(ps, &l);
	} else if (!starts(&l, "--- ") && !parse_is_context_diff(ps, &l)) {
		advance(ps, &l); /* "diff -u ..." or "Index: ..." */
	}
	while (cur(ps, &l)) {
		if (starts(&l, "--- ")) {
			if (parse_minus_plus(ps, &fh, &l) || parse_hunks(ps))
				goto out;
			break;
		}
		if (parse_is_context_diff(ps, &l)) {
			if (parse_context_names(ps, &fh, &l) ||
			    parse_context_hunks(ps))
				goto out;
			break;
		}
		if (parse_is_file_start(ps, &l, 1))
			break;
		if (starts(&l, "@@ ")) {
			error_at(ps->where, ps->lineno,
				 "hunk without '---' and '+++' lines");
			goto out;
		}
		if (starts(&l, "GIT binary patch")) {
			fd->is_binary = 1;
			fd->binary_data = 1;
			advance(ps, &l);
			if (parse_read_binary_data(ps, fd) < 0)
				goto out;
			continue;
		}
		if (starts(&l, "Binary files ")) {
			fd->is_binary = 1;
			if (!fh.bin_old)
				parse_binary_line_names(&l, &fh.bin_old, &fh.bin_new);
		} else if (fd->is_git) {
			if (!parse_git_header(fd, &fh, &l) && parse_is_ed_command(&l))
				break;
		} else if (parse_is_ed_command(&l)) {
			break; /* refused by the caller */
		}
		advance(ps, &l);
	}
	if (fh.renamed && (!fh.from || !fh.to)) {
		error_at(ps->where, fd->lineno,
			 "rename without both 'rename from' and 'rename to'");
		goto out;
	}
	if (!fd->is_git && !fh.have_minus && !fd->is_binary) {
		/* "Index:" or "diff -r" with nothing after it: not a diff */
		p->nfiles--;
		ret = 0;
		goto out;
	}
	ret = parse_file_finish(ps, fd, &fh);
out:
	parse_file_head_release(&fh);
	return ret;
}

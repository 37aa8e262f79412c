/*
 * patch_unified.c - unified diff hunks: the "@@" line, the body read to
 * exactly the counts it states (as GNU patch does), and the limits on what
 * one patch may make us hold.
 */
#include "input/patch_parse_int.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>

/* --- file diffs and hunks ------------------------------------------------ */

/* A decimal number without sign; -1 when absent or too large. */
long parse_num(const char **sp, const char *end)
{
	const char *s = *sp;
	long v = 0;

	if (s >= end || !isdigit((unsigned char)*s))
		return -1;
	while (s < end && isdigit((unsigned char)*s)) {
		if (v > (LONG_MAX / 4 - 9) / 10)
			return -1;
		v = v * 10 + (*s++ - '0');
	}
	*sp = s;
	return v;
}

/* "START[,COUNT]" after the sign; COUNT defaults to 1. */
static int parse_range(const char **sp, const char *end, long *start,
		       long *count)
{
	*start = parse_num(sp, end);
	if (*start < 0)
		return -1;
	*count = 1;
	if (*sp < end && **sp == ',') {
		(*sp)++;
		*count = parse_num(sp, end);
		if (*count < 0)
			return -1;
	}
	return 0;
}

static int parse_hunk_header(const struct line *l, struct hunk *h)
{
	const char *s = l->s + 3, *end = l->s + len_nocr(l);

	if (s >= end || *s++ != '-' ||
	    parse_range(&s, end, &h->old_start, &h->old_count) ||
	    end - s < 2 || s[0] != ' ' || s[1] != '+')
		return -1;
	s += 2;
	if (parse_range(&s, end, &h->new_start, &h->new_count) ||
	    end - s < 3 || memcmp(s, " @@", 3))
		return -1;
	s += 3;
	if (s < end && *s == ' ')
		s++;
	h->func = s < end ? s : NULL;
	h->func_len = (size_t)(end - s);
	return 0;
}

struct file_diff *parse_current_file(struct parser *ps)
{
	return &ps->patch->files[ps->patch->nfiles - 1];
}

/* A hunk too large to hold is refused before its lines are read. */
int parse_hunk_check_limits(struct parser *ps, const struct hunk *h,
			     long at)
{
	long most = h->old_count > h->new_count ? h->old_count : h->new_count;

	if (most > MAX_HUNK_LINES)
		return error_at(ps->where, at,
				"hunk of %ld lines is over the limit of %ld",
				most, MAX_HUNK_LINES);
	ps->nlines += h->old_count + h->new_count;
	if (ps->nlines > MAX_PATCH_LINES)
		return error_at(ps->where, at,
				"patch has over %ld hunk lines, the limit",
				MAX_PATCH_LINES);
	return 0;
}

static long hunk_remaining(long o, long n)
{
	return o > n ? o : n;
}

/*
 * Read the lines of a hunk whose "@@" line is l, up to exactly its counts
 * and a "\ No newline" line after the last one.
 */
static int parse_hunk(struct parser *ps, const struct line *at)
{
	struct file_diff *fd = parse_current_file(ps);
	struct hunk *h;
	struct line l;
	size_t alloc = 0;
	long o, n;

	ALLOC_GROW(fd->hunks, fd->nhunks + 1, ps->hunks_alloc);
	h = &fd->hunks[fd->nhunks++];
	memset(h, 0, sizeof(*h));
	h->lineno = ps->lineno;
	if (parse_hunk_header(at, h))
		return error_at(ps->where, ps->lineno,
				"malformed hunk header: %.*s",
				(int)len_nocr(at), at->s);
	if (parse_hunk_check_limits(ps, h, ps->lineno))
		return -1;
	advance(ps, at);
	o = h->old_count;
	n = h->new_count;
	for (;;) {
		struct pline *pl;
		char kind;
		int bare;

		if (!cur(ps, &l)) {
			if (o || n)
				return error_at(ps->where, ps->lineno,
						"hunk ends early: expected %ld more line%s",
						hunk_remaining(o, n),
						hunk_remaining(o, n) == 1 ? "" : "s");
			break;
		}
		/* a bare "\n" or "\r\n": context whose space a mailer ate */
		bare = !l.len || (l.len == 1 && l.s[0] == '\r');
		kind = bare ? ' ' : l.s[0];
		if (kind == '\\') {
			if (!h->nlines)
				return error_at(ps->where, ps->lineno,
						"'\\' line before any line of the hunk");
			h->lines[h->nlines - 1].noeol = 1;
			advance(ps, &l);
			continue;
		}
		if (!o && !n)
			break;
		switch (kind) {
		case ' ':
			if (!o || !n)
				return error_at(ps->where, ps->lineno,
						"hunk has more lines than its header states (%s side)",
						o ? "new" : "old");
			o--, n--;
			break;
		case '-':
			if (!o)
				return error_at(ps->where, ps->lineno,
						"hunk has more removed lines than its header states");
			o--;
			break;
		case '+':
			if (!n)
				return error_at(ps->where, ps->lineno,
						"hunk has more added lines than its header states");
			n--;
			break;
		default:
			if (parse_is_file_start(ps, &l, 1) || starts(&l, "@@ "))
				return error_at(ps->where, ps->lineno,
						"hunk ends early: expected %ld more line%s",
						hunk_remaining(o, n),
						hunk_remaining(o, n) == 1 ? "" : "s");
			return error_at(ps->where, ps->lineno,
					"line in a hunk does not start with ' ', '-', '+' or '\\'");
		}
		ALLOC_GROW(h->lines, h->nlines + 1, alloc);
		pl = &h->lines[h->nlines++];
		pl->kind = kind;
		pl->noeol = 0;
		pl->text = bare ? l.s : l.s + 1;
		pl->len = bare ? l.len : l.len - 1;
		advance(ps, &l);
	}
	return 0;
}

/*
 * After "GIT binary patch": a "literal N" or "delta N" block of data lines
 * ending at a blank line, for the forward change, and usually one more for
 * the reverse.  The data is checked when it is decoded (binpatch.c); here
 * only the shape: a size, and lines to carry it.
 */
int parse_read_binary_data(struct parser *ps, struct file_diff *fd)
{
	struct line l;

	while (cur(ps, &l) && (starts(&l, "literal ") || starts(&l, "delta "))) {
		struct binary_hunk *bh = &fd->binary[fd->nbinary];
		const char *num = l.s + (starts(&l, "delta ") ? 6 : 8);
		char *end;
		unsigned long long size;

		if (fd->nbinary == 2)
			return error_at(ps->where, ps->lineno,
					"more than two blocks of binary data");
		bh->delta = starts(&l, "delta ");
		bh->lineno = ps->lineno;
		errno = 0;
		size = strtoull(num, &end, 10);
		if (end == num || errno || size > MAX_INPUT_SIZE ||
		    (size_t)(end - l.s) != len_nocr(&l))
			return error_at(ps->where, ps->lineno,
					"bad size of binary data");
		bh->size = (size_t)size;
		advance(ps, &l);
		bh->data = ps->p;
		while (cur(ps, &l) && len_nocr(&l)) {
			if (parse_is_file_start(ps, &l, 1))
				break;
			advance(ps, &l);
		}
		bh->len = (size_t)(ps->p - bh->data);
		if (!bh->len)
			return error_at(ps->where, bh->lineno,
					"binary data without its lines");
		fd->nbinary++;
		if (cur(ps, &l) && !len_nocr(&l))
			advance(ps, &l); /* the blank line ending the block */
	}
	if (!fd->nbinary)
		return error_at(ps->where, ps->lineno,
				"'GIT binary patch' without 'literal' or 'delta'");
	return 0;
}

/* Hunks of a file diff, with blank lines tolerated between them. */
int parse_hunks(struct parser *ps)
{
	struct line l, n;

	if (!cur(ps, &l) || !starts(&l, "@@ "))
		return error_at(ps->where, ps->lineno,
				"expected a hunk ('@@') after the '+++' line");
	for (;;) {
		if (parse_hunk(ps, &l))
			return -1;
		if (!cur(ps, &l))
			return 0;
		if (starts(&l, "@@ "))
			continue;
		if (!l.len || is_line(&l, "")) {
			const char *p = l.next;
			long skipped = 1;

			while (line_at(p, ps->end, &n) && !len_nocr(&n)) {
				p = n.next;
				skipped++;
			}
			if (line_at(p, ps->end, &n) && starts(&n, "@@ ")) {
				ps->p = p;
				ps->lineno += skipped;
				l = n;
				continue;
			}
		}
		return parse_check_after_hunks(ps);
	}
}

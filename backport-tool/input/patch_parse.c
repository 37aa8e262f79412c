/*
 * patch_parse.c - read unified and context diffs into the patch model.
 *
 * One pass over the buffer: the text before the first file diff becomes the
 * patch header (mail headers, DEP-3 fields, commit message), then each file
 * diff ("diff --git", "Index:", "diff -...", a bare "---"/"+++" pair, or a
 * context diff's "***"/"---" pair) is read with its git extended headers
 * and hunks.  Hunk lines point into the patch's own buffer; the only
 * allocations are the file, hunk and line arrays (grown geometrically) and
 * the path names.  Context diff hunks are merged into unified lines.
 *
 * A hunk ends exactly when the counts of its "@@" line are satisfied, as in
 * GNU patch, so mail trailers after the last hunk are never taken for diff
 * lines, and an empty line inside a hunk is an empty context line whose
 * trailing space a mailer removed.  Anything malformed is an error naming
 * the line; paths are stored as written (fsio checks them at apply time).
 *
 * The header fields (struct patch_meta) come from mail headers (RFC 2047
 * decoded, quoted-printable bodies decoded first), DEP-3, git log or hg
 * export.  The same file reads mboxes (git format-patch --stdout): one
 * patch per message, errors naming the line in the whole file.
 */
#include "input/patch.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/*
 * Limits on what one patch may make us hold: each hunk line costs a struct
 * pline (24 bytes) for 2 or 3 bytes of patch, so a crafted patch could ask
 * for ten times its size.  Real hunks stay far below: a whole generated
 * header added at once is some hundred thousand lines.
 */
#define MAX_HUNK_LINES  (1L << 22) /* either count of one hunk */
#define MAX_PATCH_LINES (1L << 24) /* hunk lines of one patch, all files */

struct line {
	const char *s;    /* start of the line */
	size_t len;       /* without the '\n' */
	const char *next; /* start of the following line */
};

struct parser {
	struct patch *patch;
	const char *where;   /* file name for messages */
	const char *p, *end; /* the next unread line */
	long lineno;         /* its number */
	size_t files_alloc;
	size_t hunks_alloc;  /* of the file diff being read */
	/* the two sections of a context diff hunk, before merging */
	struct pline *ctx_old, *ctx_new;
	size_t ctx_old_alloc, ctx_new_alloc;
	long nlines;         /* hunk lines so far, against MAX_PATCH_LINES */
};

/* Fills l with the line at p; 0 at the end of the text. */
static int line_at(const char *p, const char *end, struct line *l)
{
	const char *nl;

	if (p >= end)
		return 0;
	nl = memchr(p, '\n', (size_t)(end - p));
	l->s = p;
	l->len = nl ? (size_t)(nl - p) : (size_t)(end - p);
	l->next = nl ? nl + 1 : end;
	return 1;
}

static int cur(const struct parser *ps, struct line *l)
{
	return line_at(ps->p, ps->end, l);
}

static void advance(struct parser *ps, const struct line *l)
{
	ps->p = l->next;
	ps->lineno++;
}

static int starts(const struct line *l, const char *prefix)
{
	size_t n = strlen(prefix);
	return l->len >= n && !memcmp(l->s, prefix, n);
}

/* The line after l, if any, starts with prefix. */
static int next_starts(const struct parser *ps, const struct line *l,
		       const char *prefix, struct line *out)
{
	struct line tmp;

	if (!out)
		out = &tmp;
	return line_at(l->next, ps->end, out) && starts(out, prefix);
}

/* Length of l without a trailing '\r'. */
static size_t len_nocr(const struct line *l)
{
	return l->len && l->s[l->len - 1] == '\r' ? l->len - 1 : l->len;
}

static int is_line(const struct line *l, const char *text)
{
	return len_nocr(l) == strlen(text) && !memcmp(l->s, text, len_nocr(l));
}

static int is_context_diff(const struct parser *ps, const struct line *l);

/*
 * Does a file diff start at l?  after_file: a file diff was already read,
 * so a "---"/"+++" pair needs no "@@" after it.
 */
static int is_file_start(const struct parser *ps, const struct line *l,
			 int after_file)
{
	struct line n1, n2;

	if (starts(l, "diff --git "))
		return 1;
	if (starts(l, "diff -"))
		return next_starts(ps, l, "--- ", NULL) ||
		       next_starts(ps, l, "*** ", NULL) ||
		       next_starts(ps, l, "Binary files ", NULL);
	if (starts(l, "Index: "))
		return next_starts(ps, l, "====", NULL) ||
		       next_starts(ps, l, "--- ", NULL);
	if (starts(l, "--- ") && next_starts(ps, l, "+++ ", &n1))
		return after_file || next_starts(ps, &n1, "@@ ", &n2);
	return is_context_diff(ps, l);
}

/* "*** name" / "--- name" / "***************": a context diff. */
static int is_context_diff(const struct parser *ps, const struct line *l)
{
	struct line n1;

	return starts(l, "*** ") && next_starts(ps, l, "--- ", &n1) &&
	       next_starts(ps, &n1, "***************", NULL);
}

static const char *skip_digits(const char *s, const char *end)
{
	while (s < end && isdigit((unsigned char)*s))
		s++;
	return s;
}

/* "N", "N,M" followed by a, c or d, and the line ends: an ed command. */
static int is_ed_command(const struct line *l)
{
	const char *s = l->s, *end = l->s + len_nocr(l), *t;

	t = skip_digits(s, end);
	if (t == s)
		return 0;
	if (t < end && *t == ',') {
		s = t + 1;
		t = skip_digits(s, end);
		if (t == s)
			return 0;
	}
	return t + 1 == end && (*t == 'a' || *t == 'c' || *t == 'd');
}

/* "NcN", "N,NdN", "NaN,N": a normal (default format) diff command. */
static int is_normal_diff_command(const struct line *l)
{
	const char *s = l->s, *end = l->s + len_nocr(l), *t;
	int part;

	for (part = 0; part < 2; part++) {
		t = skip_digits(s, end);
		if (t == s)
			return 0;
		if (t < end && *t == ',') {
			s = t + 1;
			t = skip_digits(s, end);
			if (t == s)
				return 0;
		}
		if (part == 1)
			return t == end;
		if (t >= end || (*t != 'a' && *t != 'c' && *t != 'd'))
			return 0;
		s = t + 1;
	}
	return 0;
}

/* --- path names ---------------------------------------------------------- */

/*
 * Undo git's C-style quoting of a name that starts at s (on the opening
 * quote).  Returns the name and sets *stop past the closing quote, or NULL.
 */
static char *unquote_c(const char *s, const char *end, const char **stop)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = s + 1;

	sb_init(&sb);
	while (p < end && *p != '"') {
		int c = (unsigned char)*p++;

		if (c != '\\') {
			sb_addch(&sb, c);
			continue;
		}
		if (p >= end)
			break;
		c = (unsigned char)*p++;
		switch (c) {
		case 'a': c = '\a'; break;
		case 'b': c = '\b'; break;
		case 'f': c = '\f'; break;
		case 'n': c = '\n'; break;
		case 'r': c = '\r'; break;
		case 't': c = '\t'; break;
		case 'v': c = '\v'; break;
		case '\\': case '"': break;
		case '0': case '1': case '2': case '3':
			if (end - p < 2 || p[0] < '0' || p[0] > '7' ||
			    p[1] < '0' || p[1] > '7')
				goto bad;
			c = ((c - '0') << 6) | ((p[0] - '0') << 3) | (p[1] - '0');
			p += 2;
			if (!c)
				goto bad;
			break;
		default:
			goto bad;
		}
		sb_addch(&sb, c);
	}
	if (p >= end)
		goto bad;
	*stop = p + 1;
	return sb_detach(&sb, NULL);
bad:
	sb_release(&sb);
	return NULL;
}

/* " 2020-01-01" or " Mon Jan  1": where a diff timestamp starts. */
static int is_timestamp_at(const char *s, const char *end)
{
	if (end - s >= 11 && s[0] == ' ' && isdigit((unsigned char)s[1]) &&
	    isdigit((unsigned char)s[2]) && isdigit((unsigned char)s[3]) &&
	    isdigit((unsigned char)s[4]) && s[5] == '-' &&
	    isdigit((unsigned char)s[6]) && isdigit((unsigned char)s[7]) &&
	    s[8] == '-')
		return 1;
	return end - s >= 9 && s[0] == ' ' && isupper((unsigned char)s[1]) &&
	       islower((unsigned char)s[2]) && islower((unsigned char)s[3]) &&
	       s[4] == ' ' && isupper((unsigned char)s[5]) &&
	       islower((unsigned char)s[6]) && islower((unsigned char)s[7]) &&
	       s[8] == ' ';
}

/* The timestamp is the epoch: diff -N's way of saying "no such file". */
static int is_epoch(const char *ts, const char *end)
{
	size_t n = (size_t)(end - ts);

	return (n >= 10 && !memcmp(ts, "1970-01-01", 10)) ||
	       (n >= 10 && !memcmp(ts, "1969-12-31", 10)) ||
	       (n >= 24 && !memcmp(ts, "Thu Jan  1 00:00:00 1970", 24));
}

/*
 * The name of a "--- NAME\tstamp" / "+++ NAME" line.  *dev_null is set for
 * /dev/null, *epoch when the timestamp is the epoch.  NULL on bad quoting.
 */
static char *header_name(const struct line *l, int *dev_null, int *epoch)
{
	const char *s = l->s + 4, *end = l->s + len_nocr(l), *stop, *t;
	char *name;

	*dev_null = *epoch = 0;
	if (s < end && *s == '"') {
		name = unquote_c(s, end, &stop);
		if (!name)
			return NULL;
	} else {
		t = memchr(s, '\t', (size_t)(end - s));
		if (t) {
			stop = t;
		} else {
			for (t = s; t < end && !is_timestamp_at(t, end); t++)
				;
			stop = t;
			while (stop > s && (stop[-1] == ' '))
				stop--;
		}
		name = xstrndup(s, (size_t)(stop - s));
	}
	while (stop < end && (*stop == '\t' || *stop == ' '))
		stop++;
	*epoch = is_epoch(stop, end);
	*dev_null = !strcmp(name, "/dev/null");
	return name;
}

/* A name after "rename from " etc.: quoted, or the rest of the line. */
static char *rest_name(const struct line *l, size_t skip)
{
	const char *s = l->s + skip, *end = l->s + len_nocr(l), *stop;

	if (s < end && *s == '"')
		return unquote_c(s, end, &stop);
	return xstrndup(s, (size_t)(end - s));
}

/* The path after its first component, or NULL when it has only one. */
static const char *after_first(const char *s, const char *end)
{
	const char *slash = memchr(s, '/', (size_t)(end - s));
	return slash ? slash + 1 : NULL;
}

static int tail_is(const char *s, size_t n, const char *want)
{
	size_t w = strlen(want);
	return n >= w && !memcmp(s + n - w, want, w);
}

/*
 * Split the names of "diff --git A B".  Quoted names are unambiguous; for
 * unquoted ones find the space where both halves name the same file (or,
 * for renames and copies, end with the from and to names behind prefixes of
 * equal length).  Returns 0, or -1 when the line cannot be split.
 */
static int git_line_names(const char *s, size_t len, const char *from,
			  const char *to, char **a, char **b)
{
	const char *end = s + len, *stop, *sp;

	*a = *b = NULL;
	if (s < end && *s == '"') {
		*a = unquote_c(s, end, &stop);
		if (!*a || stop >= end || *stop != ' ')
			goto fail;
		s = stop + 1;
		if (s < end && *s == '"') {
			*b = unquote_c(s, end, &stop);
			if (!*b || stop != end)
				goto fail;
		} else {
			*b = xstrndup(s, (size_t)(end - s));
		}
		return 0;
	}
	if (len && end[-1] == '"') {
		for (sp = s; (sp = memchr(sp, ' ', (size_t)(end - sp))); sp++) {
			if (sp[1] != '"')
				continue;
			*b = unquote_c(sp + 1, end, &stop);
			if (*b && stop == end) {
				*a = xstrndup(s, (size_t)(sp - s));
				return 0;
			}
			free(*b);
			*b = NULL;
		}
	}
	for (sp = s; (sp = memchr(sp, ' ', (size_t)(end - sp))); sp++) {
		const char *b0 = sp + 1;
		size_t na = (size_t)(sp - s), nb = (size_t)(end - b0);
		int ok;

		if (from && to) {
			ok = tail_is(s, na, from) && tail_is(b0, nb, to) &&
			     na - strlen(from) == nb - strlen(to);
		} else {
			const char *ra = after_first(s, sp);
			const char *rb = after_first(b0, end);

			ok = (na == nb && !memcmp(s, b0, na)) ||
			     (ra && rb && sp - ra == end - rb &&
			      !memcmp(ra, rb, (size_t)(end - rb)) && ra < sp);
		}
		if (ok) {
			*a = xstrndup(s, na);
			*b = xstrndup(b0, nb);
			return 0;
		}
	}
fail:
	free(*a);
	free(*b);
	*a = *b = NULL;
	return -1;
}

/* "Binary files A and B differ" */
static void binary_line_names(const struct line *l, char **a, char **b)
{
	const char *s = l->s + strlen("Binary files "), *end = l->s + len_nocr(l);
	const char *and;
	size_t n = (size_t)(end - s);

	if (!tail_is(s, n, " differ"))
		return;
	end -= strlen(" differ");
	and = memmem(s, (size_t)(end - s), " and ", 5);
	if (!and)
		return;
	*a = xstrndup(s, (size_t)(and - s));
	*b = xstrndup(and + 5, (size_t)(end - and - 5));
}

/* --- file diffs and hunks ------------------------------------------------ */

/* A decimal number without sign; -1 when absent or too large. */
static long parse_num(const char **sp, const char *end)
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

static struct file_diff *current_file(struct parser *ps)
{
	return &ps->patch->files[ps->patch->nfiles - 1];
}

/* A hunk too large to hold is refused before its lines are read. */
static int hunk_check_limits(struct parser *ps, const struct hunk *h,
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
	struct file_diff *fd = current_file(ps);
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
	if (hunk_check_limits(ps, h, ps->lineno))
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
			if (is_file_start(ps, &l, 1) || starts(&l, "@@ "))
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
static int read_binary_data(struct parser *ps, struct file_diff *fd)
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
			if (is_file_start(ps, &l, 1))
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

static unsigned parse_mode(const struct line *l, size_t skip)
{
	const char *s = l->s + skip, *end = l->s + len_nocr(l);
	unsigned m = 0;

	while (s < end && *s >= '0' && *s <= '7')
		m = m * 8 + (unsigned)(*s++ - '0');
	return m;
}

/* State of the file diff being read, until its names are settled. */
struct file_head {
	const char *git_line; /* names part of "diff --git " */
	size_t git_len;
	char *from, *to;      /* rename/copy from/to */
	char *old, *new;      /* from "---" / "+++" */
	int have_minus;       /* saw the "---"/"+++" pair */
	int old_null, new_null;
	int old_epoch, new_epoch;
	char *bin_old, *bin_new;
	int created, deleted, renamed, copied;
};

static void file_head_release(struct file_head *fh)
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
static int parse_git_header(struct file_diff *fd, struct file_head *fh,
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
		fh->from = rest_name(l, 12);
		fh->renamed = 1;
	} else if (starts(l, "rename to ")) {
		free(fh->to);
		fh->to = rest_name(l, 10);
		fh->renamed = 1;
	} else if (starts(l, "copy from ")) {
		free(fh->from);
		fh->from = rest_name(l, 10);
		fh->copied = 1;
	} else if (starts(l, "copy to ")) {
		free(fh->to);
		fh->to = rest_name(l, 8);
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

/* Settle names and operation of the file diff just read. */
static int file_finish(struct parser *ps, struct file_diff *fd,
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
		if (git_line_names(fh->git_line, fh->git_len,
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
	return 0;
}

/*
 * The old and new names of a file diff, from two consecutive header lines
 * ("--- a" / "+++ b", or a context diff's "*** a" / "--- b").
 */
static int read_name_pair(struct parser *ps, struct file_head *fh,
			  const struct line *old, const struct line *new)
{
	fh->old = header_name(old, &fh->old_null, &fh->old_epoch);
	if (!fh->old)
		return error_at(ps->where, ps->lineno, "badly quoted file name");
	advance(ps, old);
	fh->new = header_name(new, &fh->new_null, &fh->new_epoch);
	if (!fh->new)
		return error_at(ps->where, ps->lineno, "badly quoted file name");
	advance(ps, new);
	fh->have_minus = 1;
	return 0;
}

/* "---" and "+++" lines; l is the "---" one. */
static int parse_minus_plus(struct parser *ps, struct file_head *fh,
			    const struct line *l)
{
	struct line plus;

	if (!next_starts(ps, l, "+++ ", &plus))
		return error_at(ps->where, ps->lineno,
				"'---' line without a '+++' line after it");
	return read_name_pair(ps, fh, l, &plus);
}

/* Lines after the last hunk that can only be miscounted hunk lines. */
static int check_after_hunks(struct parser *ps)
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

/* Hunks of a file diff, with blank lines tolerated between them. */
static int parse_hunks(struct parser *ps)
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
		return check_after_hunks(ps);
	}
}

/* --- context diffs (diff -c) --------------------------------------------- */

/* "*** old" and "--- new" lines; l is the "***" one. */
static int parse_context_names(struct parser *ps, struct file_head *fh,
			       const struct line *l)
{
	struct line n;

	if (!line_at(l->next, ps->end, &n))
		return error_at(ps->where, ps->lineno, "'***' line without a '---' line");
	return read_name_pair(ps, fh, l, &n);
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
	struct file_diff *fd = current_file(ps);
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
		return hunk_check_limits(ps, h, at);
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
	if (hunk_check_limits(ps, h, at))
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

/* One file diff starting at l (a line is_file_start accepted). */
static int parse_file(struct parser *ps, struct line l)
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
	} else if (!starts(&l, "--- ") && !is_context_diff(ps, &l)) {
		advance(ps, &l); /* "diff -u ..." or "Index: ..." */
	}
	while (cur(ps, &l)) {
		if (starts(&l, "--- ")) {
			if (parse_minus_plus(ps, &fh, &l) || parse_hunks(ps))
				goto out;
			break;
		}
		if (is_context_diff(ps, &l)) {
			if (parse_context_names(ps, &fh, &l) ||
			    parse_context_hunks(ps))
				goto out;
			break;
		}
		if (is_file_start(ps, &l, 1))
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
			if (read_binary_data(ps, fd) < 0)
				goto out;
			continue;
		}
		if (starts(&l, "Binary files ")) {
			fd->is_binary = 1;
			if (!fh.bin_old)
				binary_line_names(&l, &fh.bin_old, &fh.bin_new);
		} else if (fd->is_git) {
			if (!parse_git_header(fd, &fh, &l) && is_ed_command(&l))
				break;
		} else if (is_ed_command(&l)) {
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
	ret = file_finish(ps, fd, &fh);
out:
	file_head_release(&fh);
	return ret;
}

/* --- the whole patch ----------------------------------------------------- */

static int check_nul(const char *where, const char *buf, size_t len,
		     long first_line)
{
	const char *nul = memchr(buf, '\0', len), *s;
	long line = first_line;

	if (!nul)
		return 0;
	for (s = buf; (s = memchr(s, '\n', (size_t)(nul - s))); s++)
		line++;
	return error_at(where, line, "NUL byte in patch text");
}

/* Why a text without any file diff is not a patch we can read. */
static int no_diff_error(struct parser *ps)
{
	const char *p = ps->patch->raw;
	long lineno = ps->lineno - ps->patch->header_lines;
	struct line l, n;

	while (line_at(p, ps->end, &l)) {
		if (is_normal_diff_command(&l) &&
		    line_at(l.next, ps->end, &n) &&
		    (starts(&n, "< ") || starts(&n, "> ")))
			return error_at(ps->where, lineno,
					"normal diffs are not supported; use 'diff -u'");
		if (is_ed_command(&l))
			return error_at(ps->where, lineno,
					"ed scripts are not supported");
		if (starts(&l, "@@@ "))
			return error_at(ps->where, lineno,
					"combined diffs (merges) are not supported");
		if (starts(&l, "--- ") && next_starts(ps, &l, "@@ ", NULL))
			return error_at(ps->where, lineno,
					"'---' line without a '+++' line after it");
		p = l.next;
		lineno++;
	}
	return error_at(ps->where, 0, "no diff found");
}

/* Lines between file diffs: trailers and garbage, skipped with care. */
static int parse_between(struct parser *ps, const struct line *l)
{
	if (is_ed_command(l))
		return error_at(ps->where, ps->lineno,
				"ed scripts are not supported");
	if (starts(l, "@@ "))
		return error_at(ps->where, ps->lineno,
				"hunk outside a file diff");
	if (starts(l, "@@@ "))
		return error_at(ps->where, ps->lineno,
				"combined diffs (merges) are not supported");
	if (starts(l, "--- ") && next_starts(ps, l, "@@ ", NULL))
		return error_at(ps->where, ps->lineno,
				"'---' line without a '+++' line after it");
	advance(ps, l);
	return 0;
}

static void meta_parse(struct patch *p);
static size_t mail_decode_body(char *buf, size_t len);

static int parse_body(struct parser *ps)
{
	struct patch *p = ps->patch;
	struct line l;
	const char *hdr_end;

	while (cur(ps, &l) && !is_file_start(ps, &l, 0))
		advance(ps, &l);
	hdr_end = ps->p;
	p->header_len = (size_t)(hdr_end - p->raw);
	p->header = xstrndup(p->raw, p->header_len);
	p->header_lines = 0;
	for (const char *s = p->raw; (s = memchr(s, '\n', (size_t)(hdr_end - s)));
	     s++)
		p->header_lines++;
	if (!cur(ps, &l))
		return no_diff_error(ps);
	while (cur(ps, &l)) {
		if (is_file_start(ps, &l, 1)) {
			if (parse_file(ps, l))
				return -1;
		} else if (parse_between(ps, &l)) {
			return -1;
		}
	}
	if (!p->nfiles)
		return error_at(ps->where, 0, "no diff found");
	return 0;
}

/*
 * patch_parse() for text starting at line first_line of the file `where`
 * (an mbox holding several patches).
 */
static int patch_parse_at(struct patch *out, const char *name,
			  const char *where, long first_line, char *buf,
			  size_t len)
{
	struct parser ps;

	memset(out, 0, sizeof(*out));
	out->name = xstrdup(name);
	len = mail_decode_body(buf, len);
	out->raw = buf;
	out->raw_len = len;
	out->strip = -1;
	memset(&ps, 0, sizeof(ps));
	if (check_nul(where, buf, len, first_line))
		goto fail;
	ps.patch = out;
	ps.where = where;
	ps.p = buf;
	ps.end = buf + len;
	ps.lineno = first_line;
	if (parse_body(&ps))
		goto fail;
	free(ps.ctx_old);
	free(ps.ctx_new);
	meta_parse(out);
	return 0;
fail:
	free(ps.ctx_old);
	free(ps.ctx_new);
	patch_release(out);
	return -1;
}

int patch_parse(struct patch *out, const char *name, char *buf, size_t len)
{
	return patch_parse_at(out, name, name, 1, buf, len);
}

/* --- header fields: mail, DEP-3, git log --------------------------------- */

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* One RFC 2047 encoded word "=?cs?Q?text?=" at s; its end or NULL. */
static const char *decode_word(const char *s, const char *end,
			       struct strbuf *sb)
{
	const char *cs_end, *text, *text_end;
	int enc;

	if (end - s < 8 || s[0] != '=' || s[1] != '?')
		return NULL;
	cs_end = memchr(s + 2, '?', (size_t)(end - s - 2));
	if (!cs_end || end - cs_end < 4 || cs_end[2] != '?')
		return NULL;
	enc = toupper((unsigned char)cs_end[1]);
	text = cs_end + 3;
	text_end = memmem(text, (size_t)(end - text), "?=", 2);
	if (!text_end || (enc != 'Q' && enc != 'B'))
		return NULL;
	if (enc == 'Q') {
		for (const char *t = text; t < text_end; t++) {
			if (*t == '_')
				sb_addch(sb, ' ');
			else if (*t == '=' && text_end - t >= 3 &&
				 hexval(t[1]) >= 0 && hexval(t[2]) >= 0) {
				sb_addch(sb, hexval(t[1]) * 16 + hexval(t[2]));
				t += 2;
			} else
				sb_addch(sb, *t);
		}
	} else {
		unsigned acc = 0;
		int bits = 0, v;

		for (const char *t = text; t < text_end; t++) {
			if ((v = b64val((unsigned char)*t)) < 0)
				continue;
			acc = (acc << 6) | (unsigned)v;
			bits += 6;
			if (bits >= 8) {
				bits -= 8;
				sb_addch(sb, (int)((acc >> bits) & 0xff));
			}
		}
	}
	return text_end + 2;
}

/* Decode RFC 2047 words; whitespace between two of them disappears. */
static char *decode_header(const char *s, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	const char *end = s + n, *after, *ws = NULL;
	int last_encoded = 0;

	sb_init(&sb);
	while (s < end) {
		if (*s == '=' && (after = decode_word(s, end, &sb)) != NULL) {
			s = after;
			last_encoded = 1;
			continue;
		}
		if (last_encoded && (*s == ' ' || *s == '\t')) {
			ws = s;
			while (s < end && (*s == ' ' || *s == '\t'))
				s++;
			if (end - s >= 2 && s[0] == '=' && s[1] == '?')
				continue; /* dropped between encoded words */
			sb_add(&sb, ws, (size_t)(s - ws));
			last_encoded = 0;
			continue;
		}
		sb_addch(&sb, *s++);
		last_encoded = 0;
	}
	return sb_detach(&sb, NULL);
}

/*
 * The value of the header at s whose name (with ':') is klen long, unfolded
 * and RFC 2047 decoded; *next is set to the line after it.
 */
static char *header_value(const char *s, const char *end, size_t klen,
			  const char **next)
{
	struct strbuf sb = STRBUF_INIT;
	struct line l;
	const char *t, *e;
	char *v;

	if (!line_at(s, end, &l) || len_nocr(&l) < klen) {
		*next = end;
		return xstrdup("");
	}
	sb_init(&sb);
	sb_add(&sb, l.s + klen, len_nocr(&l) - klen);
	while (line_at(l.next, end, &l) && l.len &&
	       (l.s[0] == ' ' || l.s[0] == '\t')) {
		t = l.s;
		e = l.s + len_nocr(&l);
		while (t < e && (*t == ' ' || *t == '\t'))
			t++;
		sb_addch(&sb, ' ');
		sb_add(&sb, t, (size_t)(e - t));
		s = l.s;
	}
	line_at(s, end, &l);
	*next = l.next;
	t = sb.buf;
	e = sb.buf + sb.len;
	while (t < e && (*t == ' ' || *t == '\t'))
		t++;
	while (e > t && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	v = decode_header(t, (size_t)(e - t));
	sb_release(&sb);
	return v;
}

static int key_is(const struct line *l, const char *key)
{
	size_t n = strlen(key);
	return l->len >= n && !strncasecmp(l->s, key, n);
}

/* Is this a "Name: value" line (a mail or DEP-3 header)? */
static int is_header_line(const struct line *l)
{
	size_t i;

	for (i = 0; i < l->len; i++) {
		unsigned char c = (unsigned char)l->s[i];

		if (c == ':')
			return i > 0;
		if (!isalnum(c) && c != '-' && c != '_')
			return 0;
	}
	return 0;
}

/* Leading "[PATCH v2 3/5]", "[RFC PATCH]", "Re:" of a mail subject. */
static char *subject_clean(char *subj)
{
	char *s = subj;

	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!strncasecmp(s, "re:", 3)) {
			s += 3;
			continue;
		}
		if (*s == ':') {
			s++;
			continue;
		}
		if (*s == '[') {
			char *close = strchr(s, ']');

			if (close) {
				size_t n = (size_t)(close - s);
				char *in = xstrndup(s, n);
				int drop = strcasestr(in, "PATCH") ||
					   strcasestr(in, "RFC") ||
					   strcasestr(in, "PULL") ||
					   strchr(in, '/');

				free(in);
				if (drop) {
					s = close + 1;
					continue;
				}
			}
		}
		break;
	}
	memmove(subj, s, strlen(s) + 1);
	return subj;
}

static int is_hex_word(const char *s, size_t n)
{
	size_t i;

	if (n < 7)
		return 0;
	for (i = 0; i < n; i++)
		if (hexval((unsigned char)s[i]) < 0)
			return 0;
	return 1;
}

/* Trimmed of blank lines at both ends, or NULL when nothing is left. */
static char *body_dup(const char *s, const char *end)
{
	struct line l;

	while (line_at(s, end, &l) && !len_nocr(&l) && l.next < end)
		s = l.next;
	while (line_at(s, end, &l) && !len_nocr(&l) && l.next >= end)
		return NULL;
	while (end > s && (end[-1] == '\n' || end[-1] == '\r' ||
			   end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (end <= s)
		return NULL;
	return xstrndup(s, (size_t)(end - s));
}

static void set_field(char **field, char *value)
{
	if (*field || !value || !*value) {
		free(value);
		return;
	}
	*field = value;
}

static int is_hex_word(const char *s, size_t n);

static void set_commit(char **field, char *value)
{
	if (!*field && is_hex_word(value, strlen(value)))
		*field = value;
	else
		free(value);
}

static int is_inbody_header(const struct line *l)
{
	return key_is(l, "From: ") || key_is(l, "Date: ") ||
	       key_is(l, "Subject: ");
}

/*
 * "From:", "Date:" and "Subject:" lines opening the body, then a blank
 * line: the real author of a patch someone else sent (git format-patch
 * writes them, git am honours them).  They replace the mail's; returns
 * where the body proper starts.
 */
static const char *mail_inbody_headers(struct patch_meta *m, const char *s,
				       const char *end)
{
	const char *t = s, *after;
	struct line l;
	char **field;
	char *v;

	while (line_at(t, end, &l) && is_inbody_header(&l))
		free(header_value(t, end, 0, &t));
	if (t == s || !line_at(t, end, &l) || len_nocr(&l))
		return s;
	after = l.next; /* past the blank line */
	while (s < t) {
		line_at(s, end, &l);
		field = key_is(&l, "From:") ? &m->from :
			key_is(&l, "Date:") ? &m->date : &m->subject;
		v = header_value(s, end, key_is(&l, "Subject:") ? 8 : 5, &s);
		if (field == &m->subject)
			subject_clean(v);
		free(*field);
		*field = v;
	}
	return after;
}

/* Mail headers from s up to the blank line, then the body up to "---". */
static void meta_parse_mail(struct patch_meta *m, const char *s,
			    const char *end)
{
	struct line l;
	const char *body;

	while (line_at(s, end, &l) && len_nocr(&l)) {
		const char *next;

		if (!is_header_line(&l)) {
			s = l.next;
			continue;
		}
		if (key_is(&l, "From:"))
			set_field(&m->from, header_value(s, end, 5, &next));
		else if (key_is(&l, "Date:"))
			set_field(&m->date, header_value(s, end, 5, &next));
		else if (key_is(&l, "Subject:"))
			set_field(&m->subject,
				  subject_clean(header_value(s, end, 8, &next)));
		else if (key_is(&l, "Commit-Id:"))
			set_commit(&m->commit, header_value(s, end, 10, &next));
		else
			free(header_value(s, end, 0, &next));
		s = next;
	}
	if (line_at(s, end, &l))
		s = l.next;
	body = mail_inbody_headers(m, s, end);
	for (s = body; line_at(s, end, &l) && !is_line(&l, "---"); s = l.next)
		;
	m->body = body_dup(body, s);
}

/* "commit SHA" / "Author:" / "Date:" then the message indented by 4. */
static void meta_parse_gitlog(struct patch_meta *m, const char *s,
			      const char *end)
{
	struct strbuf subj = STRBUF_INIT, body = STRBUF_INIT;
	struct line l;
	int in_subject = 1;

	line_at(s, end, &l);
	{
		const char *h = l.s + 7, *e = l.s + len_nocr(&l), *sp;

		sp = memchr(h, ' ', (size_t)(e - h));
		if (sp)
			e = sp;
		if (is_hex_word(h, (size_t)(e - h)))
			m->commit = xstrndup(h, (size_t)(e - h));
	}
	s = l.next;
	while (line_at(s, end, &l) && len_nocr(&l)) {
		if (key_is(&l, "Author:"))
			set_field(&m->from, header_value(s, end, 7, &s));
		else if (key_is(&l, "Date:"))
			set_field(&m->date, header_value(s, end, 5, &s));
		else
			s = l.next;
	}
	sb_init(&subj);
	sb_init(&body);
	while (line_at(s, end, &l)) {
		const char *t = l.s, *e = l.s + len_nocr(&l);

		if (e - t >= 4 && !memcmp(t, "    ", 4))
			t += 4;
		else if (t != e)
			break;
		if (in_subject && subj.len && t == e)
			in_subject = 0;
		else if (in_subject && t != e) {
			if (subj.len)
				sb_addch(&subj, ' ');
			sb_add(&subj, t, (size_t)(e - t));
		} else if (!in_subject) {
			sb_add(&body, t, (size_t)(e - t));
			sb_addch(&body, '\n');
		}
		s = l.next;
	}
	if (subj.len)
		m->subject = sb_detach(&subj, NULL);
	m->body = body_dup(body.buf, body.buf + body.len);
	sb_release(&subj);
	sb_release(&body);
}

/*
 * "hg export": "# User", "# Date", "# Node ID" lines, then the message,
 * whose first line is the subject.
 */
static void meta_parse_hg(struct patch_meta *m, const char *s,
			  const char *end)
{
	struct line l;
	const char *body;

	for (; line_at(s, end, &l) && starts(&l, "# "); s = l.next) {
		const char *e = l.s + len_nocr(&l);

		if (starts(&l, "# User "))
			set_field(&m->from, xstrndup(l.s + 7, (size_t)(e - l.s - 7)));
		else if (starts(&l, "# Date "))
			set_field(&m->date, xstrndup(l.s + 7, (size_t)(e - l.s - 7)));
		else if (starts(&l, "# Node ID "))
			set_commit(&m->commit,
				   xstrndup(l.s + 10, (size_t)(e - l.s - 10)));
	}
	while (line_at(s, end, &l) && !len_nocr(&l))
		s = l.next;
	if (!line_at(s, end, &l))
		return;
	m->subject = xstrndup(l.s, len_nocr(&l));
	body = l.next;
	for (s = body; line_at(s, end, &l) && !is_line(&l, "---"); s = l.next)
		;
	m->body = body_dup(body, s);
}

/* A 40-hex commit id in a DEP-3 Origin: value. */
static char *origin_commit(const char *v)
{
	const char *s;

	for (s = v; *s; s++) {
		size_t n = 0;

		if (s > v && hexval((unsigned char)s[-1]) >= 0)
			continue;
		while (hexval((unsigned char)s[n]) >= 0)
			n++;
		if (n == 40)
			return xstrndup(s, n);
	}
	return NULL;
}

/* DEP-3: Description/Subject, Author/From, Origin, continuation lines. */
static void meta_parse_dep3(struct patch_meta *m, const char *s,
			    const char *end)
{
	struct line l;

	while (line_at(s, end, &l)) {
		int desc = key_is(&l, "Description:") || key_is(&l, "Subject:");
		size_t klen;

		if (!is_header_line(&l) ||
		    !(desc || key_is(&l, "Author:") || key_is(&l, "From:") ||
		      key_is(&l, "Origin:") || key_is(&l, "Date:"))) {
			s = l.next;
			continue;
		}
		klen = (size_t)((const char *)memchr(l.s, ':', l.len) - l.s) + 1;
		if (desc && !m->subject) {
			struct strbuf body = STRBUF_INIT;
			const char *t = l.s + klen, *e = l.s + len_nocr(&l);

			while (t < e && (*t == ' ' || *t == '\t'))
				t++;
			m->subject = xstrndup(t, (size_t)(e - t));
			if (key_is(&l, "Subject:"))
				subject_clean(m->subject);
			sb_init(&body);
			s = l.next;
			while (line_at(s, end, &l) && l.len &&
			       (l.s[0] == ' ' || l.s[0] == '\t')) {
				t = l.s + 1;
				e = l.s + len_nocr(&l);
				if (e - t == 1 && *t == '.')
					t = e;
				sb_add(&body, t, (size_t)(e - t));
				sb_addch(&body, '\n');
				s = l.next;
			}
			m->body = body_dup(body.buf, body.buf + body.len);
			sb_release(&body);
			continue;
		}
		if (key_is(&l, "Origin:")) {
			char *v = header_value(s, end, klen, &s);

			if (!m->commit)
				m->commit = origin_commit(v);
			free(v);
			continue;
		}
		if (key_is(&l, "Date:"))
			set_field(&m->date, header_value(s, end, klen, &s));
		else if (!desc)
			set_field(&m->from, header_value(s, end, klen, &s));
		else
			s = l.next;
	}
}

/* DEP-3 fields no mail header has, in the first paragraph. */
static int has_dep3_field(const char *s, const char *end)
{
	static const char *const keys[] = {
		"Description:", "Author:"
	};
	struct line l;
	size_t i;

	for (; line_at(s, end, &l) && len_nocr(&l); s = l.next)
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (key_is(&l, keys[i]))
				return 1;
	return 0;
}

/*
 * Is the paragraph at s a block of mail headers ("Name: value" lines and
 * their continuations, with a From: or Subject:)?
 */
static int is_mail_block(const char *s, const char *end)
{
	struct line l;
	int seen = 0;

	for (; line_at(s, end, &l) && len_nocr(&l); s = l.next) {
		if (l.s[0] == ' ' || l.s[0] == '\t')
			continue;
		if (!is_header_line(&l))
			return 0;
		if (key_is(&l, "From:") || key_is(&l, "Subject:"))
			seen = 1;
	}
	return seen;
}

/* "From <sha1> Mon Sep 17 00:00:00 2001": sets commit, returns the next line. */
static const char *mbox_from_line(struct patch_meta *m, const struct line *l)
{
	const char *h = l->s + 5, *e = l->s + len_nocr(l);
	const char *sp = memchr(h, ' ', (size_t)(e - h));

	if (sp && is_hex_word(h, (size_t)(sp - h)) && !m->commit)
		m->commit = xstrndup(h, (size_t)(sp - h));
	return l->next;
}

static int is_mbox_from(const struct line *l);

/*
 * Fill p->meta from the header: an mbox message ("From <sha1> ..." line),
 * bare mail headers (quilt mail, "From:"/"Subject:"), git log output
 * ("commit <sha1>"), a mail quoted after some words, or DEP-3 fields.
 */
static void meta_parse(struct patch *p)
{
	const char *s = p->header, *end = p->header + p->header_len, *t;
	struct line l;

	if (!line_at(s, end, &l))
		return;
	if (starts(&l, "commit ")) {
		meta_parse_gitlog(&p->meta, s, end);
		return;
	}
	if (is_line(&l, "# HG changeset patch")) {
		meta_parse_hg(&p->meta, l.next, end);
		return;
	}
	if (is_mbox_from(&l))
		s = mbox_from_line(&p->meta, &l);
	if (is_mail_block(s, end) && !has_dep3_field(s, end)) {
		meta_parse_mail(&p->meta, s, end);
		return;
	}
	if (!memmem(p->header, p->header_len, "Description:", 12)) {
		for (t = s; line_at(t, end, &l); t = l.next) {
			if (!is_mbox_from(&l))
				continue;
			t = mbox_from_line(&p->meta, &l);
			if (is_mail_block(t, end)) {
				meta_parse_mail(&p->meta, t, end);
				return;
			}
		}
	}
	meta_parse_dep3(&p->meta, s, end);
}

/*
 * A mail sent quoted-printable ("=3D", soft line breaks "=\n") would garble
 * every diff line, so its body is decoded in place, as git am does; line
 * numbers then count the decoded text.  Returns the new length.
 */
static size_t mail_decode_body(char *buf, size_t len)
{
	const char *end = buf + len, *s = buf, *v, *e;
	struct line l;
	char *r, *w;
	int qp = 0;

	if (!line_at(s, end, &l))
		return len;
	if (is_mbox_from(&l))
		s = l.next;
	if (!is_mail_block(s, end))
		return len;
	for (; line_at(s, end, &l) && len_nocr(&l); s = l.next) {
		if (!key_is(&l, "Content-Transfer-Encoding:"))
			continue;
		v = l.s + 26;
		e = l.s + len_nocr(&l);
		while (v < e && (*v == ' ' || *v == '\t'))
			v++;
		qp = e - v >= 16 && !strncasecmp(v, "quoted-printable", 16);
	}
	if (!qp || !line_at(s, end, &l))
		return len;
	for (r = w = (char *)l.next; r < end;) {
		if (*r != '=') {
			*w++ = *r++;
		} else if (end - r >= 2 && r[1] == '\n') {
			r += 2;
		} else if (end - r >= 3 && r[1] == '\r' && r[2] == '\n') {
			r += 3;
		} else if (end - r >= 3 && hexval((unsigned char)r[1]) >= 0 &&
			   hexval((unsigned char)r[2]) >= 0) {
			*w++ = (char)(hexval((unsigned char)r[1]) * 16 +
				      hexval((unsigned char)r[2]));
			r += 3;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	return (size_t)(w - buf);
}

/* --- release, paths ------------------------------------------------------ */

void patch_release(struct patch *p)
{
	size_t i, j;

	if (!p)
		return;
	for (i = 0; i < p->nfiles; i++) {
		struct file_diff *fd = &p->files[i];

		for (j = 0; j < fd->nhunks; j++)
			free(fd->hunks[j].lines);
		free(fd->hunks);
		free(fd->old_path);
		free(fd->new_path);
	}
	free(p->files);
	free(p->name);
	free(p->header);
	free(p->meta.from);
	free(p->meta.date);
	free(p->meta.subject);
	free(p->meta.commit);
	free(p->meta.body);
	free(p->raw);
	memset(p, 0, sizeof(*p));
	p->strip = -1;
}

/*
 * Strip -pN components as the tool made for the diff reads it.  In a plain
 * diff a run of slashes separates components as one slash does, as in GNU
 * patch (so quilt and dpkg-source): "diff -r a/ b/" once wrote
 * "a//src/x.c", which is src/x.c at -p1.  In a git diff, as in git apply,
 * "b//etc/passwd" is "/etc/passwd" (git never writes that).  A path
 * written absolute is returned whole, where GNU patch would strip it: so
 * path_check() refuses it instead of the strip quietly making it relative.
 */
const char *file_diff_path(const struct file_diff *fd, int strip, int which)
{
	const char *s = which ? fd->new_path : fd->old_path;

	if (!s)
		return NULL;
	if (*s == '/')
		return s;
	while (strip-- > 0) {
		s = strchr(s, '/');
		if (!s)
			return NULL;
		s++;
		while (!fd->is_git && *s == '/')
			s++;
	}
	return *s ? s : NULL;
}

const char *file_diff_target(const struct file_diff *fd, int strip)
{
	return fd->new_path ? file_diff_path(fd, strip, 1)
			    : file_diff_path(fd, strip, 0);
}

int patch_strip_level(const struct patch *p)
{
	return p->strip >= 0 ? p->strip : 1;
}

/* --- mboxes -------------------------------------------------------------- */

static int is_weekday_month(const char *s, const char *end)
{
	return end - s >= 8 && isupper((unsigned char)s[0]) &&
	       islower((unsigned char)s[1]) && islower((unsigned char)s[2]) &&
	       s[3] == ' ' && isupper((unsigned char)s[4]) &&
	       islower((unsigned char)s[5]) && islower((unsigned char)s[6]) &&
	       s[7] == ' ';
}

/* "From <sha1> Mon Sep 17 00:00:00 2001" or an mbox "From addr Date". */
static int is_mbox_from(const struct line *l)
{
	const char *s = l->s + 5, *end = l->s + l->len, *sp;

	if (!starts(l, "From "))
		return 0;
	sp = memchr(s, ' ', (size_t)(end - s));
	if (!sp || sp == s)
		return 0;
	if (sp - s == 40 && is_hex_word(s, 40))
		return 1;
	while (sp < end && *sp == ' ')
		sp++;
	return is_weekday_month(sp, end);
}

/* A cover letter: "[PATCH 0/N]" and no diff of its own. */
static int is_cover_letter(const char *s, const char *end)
{
	struct line l;

	while (line_at(s, end, &l) && len_nocr(&l)) {
		if (key_is(&l, "Subject:")) {
			const char *t = l.s, *e = l.s + l.len;

			for (; t + 2 < e; t++)
				if (*t == '/' && t > l.s &&
				    (t[-1] == '0') &&
				    (t - 1 == l.s || !isdigit((unsigned char)t[-2]) ||
				     t[-2] == '0'))
					break;
			if (t + 2 >= e)
				return 0;
			return !memmem(s, (size_t)(end - s), "\n@@ -", 5);
		}
		s = l.next;
	}
	return 0;
}

/* Where each message of an mbox starts (and on which line). */
struct mbox_split {
	const char **at;
	long *line;
	size_t n, alloc, alloc_line;
};

static void mbox_split(struct mbox_split *ms, const char *buf,
		       const char *end)
{
	const char *s, *t;
	struct line l;
	long lineno = 1;

	for (s = buf; line_at(s, end, &l); s = l.next, lineno++) {
		if (s != buf && !is_mbox_from(&l))
			continue;
		ALLOC_GROW(ms->at, ms->n + 1, ms->alloc);
		ALLOC_GROW(ms->line, ms->n + 1, ms->alloc_line);
		ms->at[ms->n] = s;
		ms->line[ms->n++] = lineno;
	}
	/*
	 * An mbox starts with a "From " line, after blank lines at most.  Any
	 * other text is one patch that quotes mails in its header (Debian's
	 * "Combined backport of ... From <sha1> ..." patches), not an mbox.
	 */
	if (ms->n < 2 || (line_at(buf, end, &l) && is_mbox_from(&l)))
		return;
	for (t = buf; t < ms->at[1] && isspace((unsigned char)*t); t++)
		;
	if (t < ms->at[1]) {
		ms->n = 1;
		return;
	}
	memmove(ms->at, ms->at + 1, --ms->n * sizeof(*ms->at));
	memmove(ms->line, ms->line + 1, ms->n * sizeof(*ms->line));
}

static int list_append(struct patch_list *list, struct patch *p)
{
	ALLOC_GROW(list->v, list->n + 1, list->alloc);
	list->v[list->n++] = *p;
	return 0;
}

/*
 * A regular file too large to read is refused before reading it, so that
 * a sparse 4 GB file costs a stat, not a gigabyte of memory.
 */
static int check_size(const char *path)
{
	struct stat st;

	if (strcmp(path, "-") && !stat(path, &st) && S_ISREG(st.st_mode) &&
	    (unsigned long long)st.st_size > MAX_INPUT_SIZE)
		return error_at(path, 0, "larger than %zu bytes, refused",
				MAX_INPUT_SIZE);
	return 0;
}

int patch_list_read_file(struct patch_list *list, const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	struct mbox_split ms = { NULL, NULL, 0, 0, 0 };
	struct patch p;
	const char *end;
	size_t i, k = 1;
	int ret = 0;

	if (check_size(path) || read_whole_file(path, MAX_INPUT_SIZE, &sb))
		return -1;
	end = sb.buf + sb.len;
	mbox_split(&ms, sb.buf, end);
	if (ms.n <= 1) {
		size_t n;
		char *buf = sb_detach(&sb, &n);

		free(ms.at);
		free(ms.line);
		if (patch_parse(&p, path, buf, n))
			return -1;
		return list_append(list, &p);
	}
	for (i = 0; i < ms.n && !ret; i++) {
		const char *s = ms.at[i];
		const char *e = i + 1 < ms.n ? ms.at[i + 1] : end;
		struct strbuf name = STRBUF_INIT;

		if (is_cover_letter(s, e))
			continue;
		sb_init(&name);
		sb_addf(&name, "%s:%zu", path, k++);
		ret = patch_parse_at(&p, name.buf, path, ms.line[i],
				     xstrndup(s, (size_t)(e - s)),
				     (size_t)(e - s));
		if (!ret)
			list_append(list, &p);
		sb_release(&name);
	}
	free(ms.at);
	free(ms.line);
	sb_release(&sb);
	return ret;
}

/*
 * gitsrc_format.c - a commit as the text git format-patch writes: mail
 * headers (RFC 2047, wrapped), the message, and the diff with git's rename
 * and copy detection, byte for byte where our tests compare.
 */
#include "input/gitsrc_int.h"

#include <ctype.h>
#include <string.h>

/* ---- commit -> format-patch text ---------------------------------- */

static int is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

/* git's rfc2047 "special" test (pretty.c): address words are stricter. */
static int rfc2047_special(unsigned char c, int address)
{
	if (c >= 0x80 || !isprint(c) || c == '=' || c == '?' || c == '_' ||
	    c == ' ')
		return 1;
	if (!address)
		return 0;
	return !(isalnum(c) || c == '!' || c == '*' || c == '+' || c == '-' ||
		 c == '/');
}

static size_t utf8_len(unsigned char c)
{
	if (c < 0xc0)
		return 1;
	if (c < 0xe0)
		return 2;
	if (c < 0xf0)
		return 3;
	return 4;
}

/* RFC 2047 Q-encoding the way git's add_rfc2047() writes it. */
static void add_rfc2047(struct strbuf *sb, const char *s, int address,
			size_t line_len)
{
	const size_t max = 76;
	size_t len = strlen(s);

	sb_addstr(sb, "=?UTF-8?q?");
	line_len += 10;
	while (len) {
		const unsigned char *p = (const unsigned char *)s;
		size_t n = utf8_len(*p), i;
		int special;
		size_t enc;

		if (n > len)
			n = len;
		special = n > 1 || rfc2047_special(*p, address);
		enc = special ? 3 * n : 1;
		if (line_len + enc + 2 > max) {
			sb_addstr(sb, "?=\n =?UTF-8?q?");
			line_len = 11;
		}
		for (i = 0; i < n; i++) {
			if (special)
				sb_addf(sb, "=%02X", p[i]);
			else
				sb_addch(sb, p[i]);
		}
		line_len += enc;
		s += n;
		len -= n;
	}
	sb_addstr(sb, "?=");
}

/* Word-wrap a subject at 78 columns, continuation lines indented by one. */
static void add_wrapped(struct strbuf *sb, const char *s, size_t col)
{
	const size_t width = 78;
	int first = 1;

	while (*s) {
		const char *w = s;
		size_t n;

		while (*s && *s != ' ')
			s++;
		n = (size_t)(s - w);
		if (!first && col + 1 + n > width) {
			sb_addstr(sb, "\n ");
			col = 1;
		} else if (!first) {
			sb_addch(sb, ' ');
			col++;
		}
		sb_add(sb, w, n);
		col += n;
		first = 0;
		while (*s == ' ')
			s++;
	}
}

static size_t last_line_length(const struct strbuf *sb)
{
	const char *nl = memrchr(sb->buf, '\n', sb->len);

	return nl ? sb->len - (size_t)(nl + 1 - sb->buf) : sb->len;
}

static int needs_rfc822_quoting(const char *s)
{
	return strpbrk(s, "()<>@,;:\\\".[]") != NULL;
}

static void add_from(struct strbuf *sb, const git_signature *a)
{
	sb_addstr(sb, "From: ");
	if (!is_ascii(a->name)) {
		add_rfc2047(sb, a->name, 1, 6);
	} else if (needs_rfc822_quoting(a->name)) {
		const char *c;

		sb_addch(sb, '"');
		for (c = a->name; *c; c++) {
			if (*c == '"' || *c == '\\')
				sb_addch(sb, '\\');
			sb_addch(sb, *c);
		}
		sb_addch(sb, '"');
	} else {
		sb_addstr(sb, a->name);
	}
	if (last_line_length(sb) + 3 + strlen(a->email) > 78)
		sb_addch(sb, '\n');
	sb_addf(sb, " <%s>\n", a->email);
}

/* "Date: Thu, 4 Jun 2020 12:13:36 +0200": git's RFC 2822 date. */
static void add_date(struct strbuf *sb, const git_time *when)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed",
					    "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr",
					      "May", "Jun", "Jul", "Aug",
					      "Sep", "Oct", "Nov", "Dec" };
	time_t t = (time_t)when->time + (time_t)when->offset * 60;
	int off = when->offset < 0 ? -when->offset : when->offset;
	struct tm tm;

	gmtime_r(&t, &tm);
	sb_addf(sb, "Date: %s, %d %s %d %02d:%02d:%02d %c%02d%02d\n",
		days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
		tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec,
		when->offset < 0 ? '-' : '+', off / 60, off % 60);
}

/*
 * Split a commit message as git does: the subject is the first paragraph
 * joined into one line, the body everything after the blank lines that
 * follow it, without trailing blank lines.
 */
static void message_split(const char *msg, struct strbuf *subject,
			  struct strbuf *body)
{
	const char *p = msg, *eol;

	while (*p == '\n')
		p++;
	while (*p && *p != '\n') {
		eol = strchrnul(p, '\n');
		if (subject->len)
			sb_addch(subject, ' ');
		sb_add(subject, p, (size_t)(eol - p));
		p = *eol ? eol + 1 : eol;
		if (*p == '\n')
			break;
	}
	while (subject->len && isspace((unsigned char)subject->buf[subject->len - 1]))
		subject->buf[--subject->len] = '\0';
	while (*p == '\n')
		p++;
	sb_addstr(body, p);
	while (body->len && isspace((unsigned char)body->buf[body->len - 1]))
		body->buf[--body->len] = '\0';
	if (body->len)
		sb_addch(body, '\n');
}

/* format-patch's options; binary_ids: a binary change without its data
   (gitsrc_binary_ids), as git diff --full-index writes it */
static void commit_diff_options(git_diff_options *opts, int binary_ids)
{
	git_diff_options_init(opts, GIT_DIFF_OPTIONS_VERSION);
	opts->flags = GIT_DIFF_INDENT_HEURISTIC;
	if (!binary_ids)
		opts->flags |= GIT_DIFF_SHOW_BINARY;
	opts->context_lines = 3;
	opts->id_abbrev = GIT_OID_HEXSZ;
}

static int commit_diff(git_diff **out, git_repository *repo,
		       git_commit *commit, int binary_ids)
{
	git_diff_options opts;
	git_diff_find_options find;
	git_tree *old = NULL, *new = NULL;
	git_commit *parent = NULL;
	int rc = -1;

	commit_diff_options(&opts, binary_ids);
	git_diff_find_options_init(&find, GIT_DIFF_FIND_OPTIONS_VERSION);
	find.flags = GIT_DIFF_FIND_RENAMES;
	if (git_commit_parentcount(commit) &&
	    (git_commit_parent(&parent, commit, 0) < 0 ||
	     git_commit_tree(&old, parent) < 0))
		goto out;
	if (git_commit_tree(&new, commit) < 0 ||
	    git_diff_tree_to_tree(out, repo, old, new, &opts) < 0)
		goto out;
	rc = git_diff_find_similar(*out, &find);
out:
	git_tree_free(old);
	git_tree_free(new);
	git_commit_free(parent);
	return rc;
}

/*
 * Does a "+++" line at p lead to no hunk?  libgit2 writes ---/+++ for
 * empty new files and binary patches, git does not.
 */
static int no_hunk_follows(const char *p, const char *end)
{
	const char *nl;

	if (end - p < 4 || memcmp(p, "+++ ", 4))
		return 0;
	nl = memchr(p, '\n', (size_t)(end - p));
	if (!nl)
		return 1;
	nl++;
	return end - nl < 3 || memcmp(nl, "@@ ", 3);
}

/*
 * git's rename score (diffcore-delta.c): cut each blob into chunks ending
 * at a newline or after 64 bytes, hash them as git does, and count the
 * bytes of the destination's chunks the source has too.  libgit2 measures
 * similarity differently, so the "similarity index" line is recomputed.
 */
#define SPAN_HASHBASE 107927u

struct span {
	unsigned hash, cnt;
};

static int span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return x->hash < y->hash ? -1 : x->hash > y->hash;
}

static size_t spans_of(const unsigned char *buf, size_t sz, int is_text,
		       struct span **out)
{
	struct span *v = NULL;
	size_t n = 0, alloc = 0, i, j;
	unsigned accum1 = 0, accum2 = 0, len = 0;

	while (sz) {
		unsigned c = *buf++, old1 = accum1;

		sz--;
		if (is_text && c == '\r' && sz && *buf == '\n')
			continue;
		accum1 = (accum1 << 7) ^ (accum2 >> 25);
		accum2 = (accum2 << 7) ^ (old1 >> 25);
		accum1 += c;
		if (++len < 64 && c != '\n')
			continue;
		ALLOC_GROW(v, n + 1, alloc);
		v[n].hash = (accum1 + accum2 * 0x9) % SPAN_HASHBASE;
		v[n++].cnt = len;
		len = accum1 = accum2 = 0;
	}
	if (len) {
		ALLOC_GROW(v, n + 1, alloc);
		v[n].hash = (accum1 + accum2 * 0x9) % SPAN_HASHBASE;
		v[n++].cnt = len;
	}
	if (n)
		qsort(v, n, sizeof(*v), span_cmp);
	for (i = j = 0; i < n; i++) {
		if (j && v[j - 1].hash == v[i].hash)
			v[j - 1].cnt += v[i].cnt;
		else
			v[j++] = v[i];
	}
	*out = v;
	return j;
}

static int git_similarity(git_repository *repo, const git_diff_delta *d)
{
	git_blob *a = NULL, *b = NULL;
	struct span *sa = NULL, *sb = NULL;
	size_t na, nb, i = 0, j = 0, asz, bsz, max;
	unsigned long long copied = 0;
	int text, score = -1;

	if (git_blob_lookup(&a, repo, &d->old_file.id) < 0 ||
	    git_blob_lookup(&b, repo, &d->new_file.id) < 0)
		goto out;
	asz = (size_t)git_blob_rawsize(a);
	bsz = (size_t)git_blob_rawsize(b);
	max = asz > bsz ? asz : bsz;
	text = !git_blob_is_binary(a) && !git_blob_is_binary(b);
	na = spans_of(git_blob_rawcontent(a), asz, text, &sa);
	nb = spans_of(git_blob_rawcontent(b), bsz, text, &sb);
	while (i < na && j < nb) {
		if (sa[i].hash < sb[j].hash) {
			i++;
		} else if (sa[i].hash > sb[j].hash) {
			j++;
		} else {
			copied += sa[i].cnt < sb[j].cnt ? sa[i].cnt : sb[j].cnt;
			i++;
			j++;
		}
	}
	score = bsz ? (int)(copied * 60000 / max * 100 / 60000) : 0;
out:
	free(sa);
	free(sb);
	git_blob_free(a);
	git_blob_free(b);
	return score;
}

/* The diff as libgit2 writes it, minus trailing blanks in @@ headings. */
static void add_diff(struct strbuf *sb, const char *p, size_t len,
		     git_repository *repo, git_diff *diff)
{
	const char *end = p + len;
	size_t delta = 0, ndeltas = diff ? git_diff_num_deltas(diff) : 0;
	int seen_header = 0;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n = eol ? (size_t)(eol - p) : (size_t)(end - p);

		if (n > 4 && !memcmp(p, "--- ", 4) && eol &&
		    no_hunk_follows(eol + 1, end)) {
			const char *next = memchr(eol + 1, '\n',
						  (size_t)(end - eol - 1));
			p = next ? next + 1 : end;
			continue;
		}
		if (n > 11 && !memcmp(p, "diff --git ", 11)) {
			if (seen_header)
				delta++;
			seen_header = 1;
		}
		if (n > 17 && !memcmp(p, "similarity index ", 17) &&
		    delta < ndeltas) {
			int score = git_similarity(repo,
						   git_diff_get_delta(diff, delta));
			if (score >= 0) {
				sb_addf(sb, "similarity index %d%%\n", score);
				p = eol ? eol + 1 : end;
				continue;
			}
		}
		if (n > 3 && !memcmp(p, "@@ ", 3))
			while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
				n--;
		sb_add(sb, p, n);
		if (eol)
			sb_addch(sb, '\n');
		p = eol ? eol + 1 : end;
	}
}

/* The commit's diff: from blob patches where only files' content changes
   or files are added (gitsrc_patch.c), else from libgit2's tree diff. */
static int commit_diff_text(struct strbuf *out, git_repository *repo,
			    git_commit *commit, int binary_ids)
{
	struct strbuf fast = STRBUF_INIT;
	git_diff_options opts;
	git_diff *diff = NULL;
	git_buf buf = { 0 };
	int rc;

	commit_diff_options(&opts, binary_ids);
	sb_init(&fast);
	rc = gitsrc_patch_text(&fast, repo, commit, &opts);
	if (rc == 0)
		add_diff(out, fast.buf, fast.len, repo, NULL);
	sb_release(&fast);
	if (rc == 0)
		return 0;
	rc = -1; /* 1 or -1: the tree diff says what it can */
	if (commit_diff(&diff, repo, commit, binary_ids) < 0 ||
	    git_diff_to_buf(&buf, diff, GIT_DIFF_FORMAT_PATCH) < 0)
		goto out;
	add_diff(out, buf.ptr, buf.size, repo, diff);
	rc = 0;
out:
	git_buf_dispose(&buf);
	git_diff_free(diff);
	return rc;
}

int gitsrc_commit_text(git_repository *repo, git_commit *commit,
		       int binary_ids, struct strbuf *out)
{
	const git_signature *a = git_commit_author(commit);
	struct strbuf subject = STRBUF_INIT, body = STRBUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	int rc;

	if (git_commit_parentcount(commit) > 1)
		return 1;
	sb_init(&subject);
	sb_init(&body);
	message_split(git_commit_message(commit), &subject, &body);
	git_oid_tostr(hex, sizeof(hex), git_commit_id(commit));
	sb_addf(out, "From %s Mon Sep 17 00:00:00 2001\n", hex);
	add_from(out, a);
	add_date(out, &a->when);
	sb_addstr(out, "Subject: [PATCH] ");
	if (!is_ascii(subject.buf))
		add_rfc2047(out, subject.buf, 0, 17);
	else
		add_wrapped(out, subject.buf, 17);
	sb_addch(out, '\n');
	if (!is_ascii(subject.buf) || !is_ascii(body.buf))
		sb_addstr(out, "MIME-Version: 1.0\n"
			       "Content-Type: text/plain; charset=UTF-8\n"
			       "Content-Transfer-Encoding: 8bit\n");
	sb_addch(out, '\n');
	sb_add(out, body.buf, body.len);
	sb_addch(out, '\n');
	rc = commit_diff_text(out, repo, commit, binary_ids);
	sb_release(&subject);
	sb_release(&body);
	return rc;
}

int gitsrc_format_commit(struct gitsrc *g, const char *rev, struct strbuf *out)
{
	git_commit *c;
	int rc;

	if (gitsrc_lookup_commit(&c, g->repo, rev) < 0)
		return gitsrc_fail("not a commit", rev);
	rc = gitsrc_commit_text(g->repo, c, g->binary_ids, out);
	if (rc < 0)
		gitsrc_fail("cannot format commit", rev);
	git_commit_free(c);
	return rc;
}

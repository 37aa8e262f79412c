/*
 * gitsrc.c - upstream git history through libgit2: commits become patches
 * (the text git format-patch writes), revisions become read-only trees, and
 * a commit's pre- and post-image drive the 3-way fallback of apply.c.
 */
#include "input/gitsrc.h"

#include <ctype.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct gitsrc {
	git_repository *repo;
	char *path;
};

static int git_fail(const char *what, const char *arg)
{
	const git_error *e = git_error_last();

	return error("%s '%s': %s", what, arg, e && e->message ? e->message
							    : "libgit2 error");
}

int gitsrc_open(struct gitsrc **out, const char *path)
{
	struct gitsrc *g;

	git_libgit2_init();
	g = xcalloc(1, sizeof(*g));
	if (git_repository_open_ext(&g->repo, path, GIT_REPOSITORY_OPEN_NO_SEARCH,
				    NULL) < 0) {
		git_fail("cannot open git repository", path);
		free(g);
		git_libgit2_shutdown();
		return -1;
	}
	g->path = xstrdup(path);
	*out = g;
	return 0;
}

void gitsrc_free(struct gitsrc *g)
{
	if (!g)
		return;
	git_repository_free(g->repo);
	free(g->path);
	free(g);
	git_libgit2_shutdown();
}

struct git_repository *gitsrc_repository(struct gitsrc *g)
{
	return g->repo;
}

const char *gitsrc_path(const struct gitsrc *g)
{
	return g->path;
}

static int lookup_commit(git_commit **out, git_repository *repo,
			 const char *rev)
{
	git_object *obj;
	int rc;

	if (git_revparse_single(&obj, repo, rev) < 0)
		return -1;
	rc = git_object_peel((git_object **)out, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	return rc;
}

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

static int commit_diff(git_diff **out, git_repository *repo,
		       git_commit *commit)
{
	git_diff_options opts;
	git_diff_find_options find;
	git_tree *old = NULL, *new = NULL;
	git_commit *parent = NULL;
	int rc = -1;

	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	git_diff_find_options_init(&find, GIT_DIFF_FIND_OPTIONS_VERSION);

	opts.flags = GIT_DIFF_SHOW_BINARY | GIT_DIFF_INDENT_HEURISTIC;
	opts.context_lines = 3;
	opts.id_abbrev = GIT_OID_HEXSZ;
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
	size_t delta = 0, ndeltas = git_diff_num_deltas(diff);
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

static int format_commit(git_repository *repo, git_commit *commit,
			 struct strbuf *out)
{
	const git_signature *a = git_commit_author(commit);
	struct strbuf subject = STRBUF_INIT, body = STRBUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	git_diff *diff = NULL;
	git_buf buf = { 0 };
	int rc = -1;

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
	if (commit_diff(&diff, repo, commit) < 0 ||
	    git_diff_to_buf(&buf, diff, GIT_DIFF_FORMAT_PATCH) < 0)
		goto out;
	add_diff(out, buf.ptr, buf.size, repo, diff);
	rc = 0;
out:
	git_buf_dispose(&buf);
	git_diff_free(diff);
	sb_release(&subject);
	sb_release(&body);
	return rc;
}

int gitsrc_format_commit(struct gitsrc *g, const char *rev, struct strbuf *out)
{
	git_commit *c;
	int rc;

	if (lookup_commit(&c, g->repo, rev) < 0)
		return git_fail("not a commit", rev);
	rc = format_commit(g->repo, c, out);
	if (rc < 0)
		git_fail("cannot format commit", rev);
	git_commit_free(c);
	return rc;
}

/* ---- commit specs ---------------------------------------------------- */

struct oid_set {
	git_oid *v;
	size_t n, alloc;
};

static int oid_set_has(const struct oid_set *s, const git_oid *id)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (git_oid_equal(&s->v[i], id))
			return 1;
	return 0;
}

static void oid_set_add(struct oid_set *s, const git_oid *id)
{
	if (oid_set_has(s, id))
		return;
	ALLOC_GROW(s->v, s->n + 1, s->alloc);
	git_oid_cpy(&s->v[s->n++], id);
}

/*
 * Resolve each end of "A..B" ourselves (an empty end is HEAD): libgit2's
 * own range parser leaks the first end when the second does not resolve.
 */
static int range_end(git_repository *repo, const char *s, size_t n,
		     git_oid *out)
{
	char *rev = n ? xstrndup(s, n) : xstrdup("HEAD");
	git_commit *c;
	int rc = lookup_commit(&c, repo, rev);

	free(rev);
	if (rc < 0)
		return -1;
	git_oid_cpy(out, git_commit_id(c));
	git_commit_free(c);
	return 0;
}

static int add_range(git_repository *repo, const char *spec,
		     struct oid_set *set)
{
	const char *dots = strstr(spec, "..");
	git_revwalk *walk;
	git_oid from, to, id;
	int rc;

	if (dots[2] == '.')
		return error("'%s': symmetric ranges (A...B) are not supported",
			     spec);
	if (range_end(repo, spec, (size_t)(dots - spec), &from) < 0 ||
	    range_end(repo, dots + 2, strlen(dots + 2), &to) < 0)
		return git_fail("bad range", spec);
	if (git_revwalk_new(&walk, repo) < 0)
		return git_fail("cannot walk", spec);
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
	if (git_revwalk_push(walk, &to) < 0 || git_revwalk_hide(walk, &from) < 0) {
		git_revwalk_free(walk);
		return git_fail("bad range", spec);
	}
	while ((rc = git_revwalk_next(&id, walk)) == 0)
		oid_set_add(set, &id);
	git_revwalk_free(walk);
	return rc == GIT_ITEROVER ? 0 : git_fail("cannot walk", spec);
}

static int add_one(git_repository *repo, const char *spec, const char *file,
		   long line, struct oid_set *set)
{
	git_commit *c;

	if (strstr(spec, ".."))
		return add_range(repo, spec, set);
	if (lookup_commit(&c, repo, spec) < 0) {
		const git_error *e = git_error_last();
		return error_at(file, line, "'%s' is not a commit: %s", spec,
				e && e->message ? e->message : "unknown");
	}
	oid_set_add(set, git_commit_id(c));
	git_commit_free(c);
	return 0;
}

/* @FILE: one commit (or range) per line, first word; '#' starts a comment. */
static int add_file(git_repository *repo, const char *path,
		    struct oid_set *set)
{
	struct strbuf sb;
	char *p, *eol;
	long line = 0;
	int rc = 0;

	if (read_whole_file(path, MAX_INPUT_SIZE, &sb) < 0)
		return -1;
	for (p = sb.buf; p < sb.buf + sb.len && !rc; p = eol + 1) {
		char *w, *end;

		eol = strchrnul(p, '\n');
		*eol = '\0';
		line++;
		for (w = p; w < eol && isspace((unsigned char)*w); w++)
			;
		if (w == eol || *w == '#')
			continue;
		for (end = w; end < eol && !isspace((unsigned char)*end); end++)
			;
		*end = '\0';
		rc = add_one(repo, w, path, line, set);
	}
	sb_release(&sb);
	return rc;
}

static int oid_cmp(const void *a, const void *b)
{
	return git_oid_cmp(a, b);
}

/*
 * Order the set as upstream merged it: walk from every commit down to the
 * merge base of them all, topologically, parents first.  Commits the walk
 * does not meet (unrelated histories) keep their given order, at the end.
 */
static int order_topologically(git_repository *repo, struct oid_set *set)
{
	struct oid_set out = { 0 };
	git_oid *sorted, base, id;
	git_revwalk *walk = NULL;
	size_t i;
	int rc;

	if (set->n < 2)
		return 0;
	sorted = xmalloc(set->n * sizeof(*sorted));
	memcpy(sorted, set->v, set->n * sizeof(*sorted));
	qsort(sorted, set->n, sizeof(*sorted), oid_cmp);
	if (git_revwalk_new(&walk, repo) < 0)
		goto fail;
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
	for (i = 0; i < set->n; i++)
		if (git_revwalk_push(walk, &set->v[i]) < 0)
			goto fail;
	if (git_merge_base_octopus(&base, repo, set->n, set->v) == 0) {
		if (bsearch(&base, sorted, set->n, sizeof(*sorted), oid_cmp))
			oid_set_add(&out, &base);
		if (git_revwalk_hide(walk, &base) < 0)
			goto fail;
	}
	while ((rc = git_revwalk_next(&id, walk)) == 0)
		if (bsearch(&id, sorted, set->n, sizeof(*sorted), oid_cmp))
			oid_set_add(&out, &id);
	if (rc != GIT_ITEROVER)
		goto fail;
	for (i = 0; i < set->n; i++)
		oid_set_add(&out, &set->v[i]);
	free(set->v);
	*set = out;
	free(sorted);
	git_revwalk_free(walk);
	return 0;
fail:
	free(sorted);
	free(out.v);
	git_revwalk_free(walk);
	return git_fail("cannot order commits in", "walk");
}

static int patch_from_commit(git_repository *repo, const git_oid *id,
			     struct patch *p)
{
	char hex[GIT_OID_HEXSZ + 1];
	struct strbuf text;
	git_commit *c;
	size_t len;
	char *buf;
	int rc;

	git_oid_tostr(hex, sizeof(hex), id);
	if (git_commit_lookup(&c, repo, id) < 0)
		return git_fail("cannot read commit", hex);
	sb_init(&text);
	rc = format_commit(repo, c, &text);
	if (rc) {
		if (rc > 0)
			warning("%.10s: a merge commit, skipped", hex);
		else
			git_fail("cannot format commit", hex);
		sb_release(&text);
		git_commit_free(c);
		return rc;
	}
	hex[10] = '\0';
	buf = sb_detach(&text, &len);
	rc = patch_parse(p, hex, buf, len);
	if (rc == 0 && !p->meta.commit) {
		git_oid_tostr(hex, sizeof(hex), id);
		p->meta.commit = xstrdup(hex);
	}
	git_commit_free(c);
	return rc;
}

static void patch_list_push(struct patch_list *list, struct patch *p)
{
	ALLOC_GROW(list->v, list->n + 1, list->alloc);
	list->v[list->n++] = *p;
}

/* Did we make this patch from a commit (the name is its abbreviated id)? */
static int patch_is_ours(const struct patch *p, git_oid *id)
{
	return p->meta.commit && p->name && strlen(p->name) == 10 &&
	       strlen(p->meta.commit) == GIT_OID_HEXSZ &&
	       !strncmp(p->name, p->meta.commit, 10) &&
	       git_oid_fromstr(id, p->meta.commit) == 0;
}

/*
 * The commits at the end of out that an earlier call added join this
 * call's set, so that "A B C" read one spec at a time still comes out in
 * upstream order; patch files before them keep their place.
 */
int gitsrc_read_commits_in(struct gitsrc *g, struct patch_list *out,
			   const char *const *specs, size_t n)
{
	struct oid_set set = { 0 };
	struct patch *old = NULL;
	size_t i, start = out->n, nold;
	git_oid id;
	int rc = 0;

	while (start > 0 && patch_is_ours(&out->v[start - 1], &id))
		start--;
	for (i = start; i < out->n; i++) {
		patch_is_ours(&out->v[i], &id);
		oid_set_add(&set, &id);
	}
	for (i = 0; i < n && !rc; i++)
		rc = specs[i][0] == '@' ? add_file(g->repo, specs[i] + 1, &set)
					: add_one(g->repo, specs[i], NULL, 0, &set);
	if (!rc)
		rc = order_topologically(g->repo, &set);
	if (rc) {
		free(set.v);
		return -1;
	}
	nold = out->n - start;
	if (nold) {
		old = xmalloc(nold * sizeof(*old));
		memcpy(old, out->v + start, nold * sizeof(*old));
		out->n = start;
	}
	for (i = 0; i < set.n; i++) {
		struct patch p;
		size_t k;

		for (k = 0; k < nold; k++)
			if (old[k].name && patch_is_ours(&old[k], &id) &&
			    git_oid_equal(&id, &set.v[i]))
				break;
		if (k < nold) {
			patch_list_push(out, &old[k]);
			old[k].name = NULL;
			continue;
		}
		if (rc < 0)
			continue;
		memset(&p, 0, sizeof(p));
		rc = patch_from_commit(g->repo, &set.v[i], &p);
		if (rc == 0)
			patch_list_push(out, &p);
		if (rc > 0)
			rc = 0;
	}
	free(old);
	free(set.v);
	return rc < 0 ? -1 : 0;
}

int gitsrc_read_commits(struct patch_list *out, const char *repo,
			const char *const *specs, size_t n)
{
	struct gitsrc *g;
	int rc;

	if (gitsrc_open(&g, repo) < 0)
		return -1;
	rc = gitsrc_read_commits_in(g, out, specs, n);
	gitsrc_free(g);
	return rc;
}

int gitsrc_is_revision(struct gitsrc *g, const char *arg)
{
	git_commit *c;

	if (arg[0] == '@')
		return arg[1] != '\0';
	if (strstr(arg, "..")) {
		const char *dots = strstr(arg, "..");
		git_oid a, b;

		return dots[2] != '.' &&
		       range_end(g->repo, arg, (size_t)(dots - arg), &a) == 0 &&
		       range_end(g->repo, dots + 2, strlen(dots + 2), &b) == 0;
	}
	if (lookup_commit(&c, g->repo, arg) < 0)
		return 0;
	git_commit_free(c);
	return 1;
}

/* ---- revisions as trees -------------------------------------------- */

struct git_tree_ctx {
	struct gitsrc *g;  /* owned when own_repo */
	int own_repo;
	git_tree *tree;
};

static int blob_read(git_repository *repo, const git_tree *tree,
		     const char *path, char **data, size_t *len,
		     unsigned *mode)
{
	git_tree_entry *e;
	git_blob *blob;
	unsigned m;
	int rc;

	rc = git_tree_entry_bypath(&e, tree, path);
	if (rc == GIT_ENOTFOUND)
		return TREE_ENOENT;
	if (rc < 0)
		return git_fail("cannot read", path);
	m = (unsigned)git_tree_entry_filemode(e);
	if (git_tree_entry_type(e) == GIT_OBJECT_TREE) {
		git_tree_entry_free(e);
		return TREE_ENOENT;
	}
	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB) {
		git_tree_entry_free(e);
		return error_at(path, 0, "a submodule, not a file");
	}
	rc = git_blob_lookup(&blob, repo, git_tree_entry_id(e));
	git_tree_entry_free(e);
	if (rc < 0)
		return git_fail("cannot read blob of", path);
	*len = (size_t)git_blob_rawsize(blob);
	*data = xmalloc(*len + 1);
	memcpy(*data, git_blob_rawcontent(blob), *len);
	(*data)[*len] = '\0';
	if (mode)
		*mode = m == GIT_FILEMODE_BLOB_EXECUTABLE ? 0100755
			: m == GIT_FILEMODE_LINK	  ? 0120000
							  : 0100644;
	git_blob_free(blob);
	return 0;
}

static int git_tree_read(void *ctx, const char *path, char **data,
			 size_t *len, unsigned *mode)
{
	struct git_tree_ctx *c = ctx;

	return blob_read(c->g->repo, c->tree, path, data, len, mode);
}

static void git_tree_free_ctx(void *ctx)
{
	struct git_tree_ctx *c = ctx;

	git_tree_free(c->tree);
	if (c->own_repo)
		gitsrc_free(c->g);
	free(c);
}

static const struct tree_backend git_backend = {
	"git", git_tree_read, git_tree_free_ctx
};

static int lookup_tree(git_tree **out, git_repository *repo, const char *rev)
{
	git_object *obj;
	int rc;

	if (git_revparse_single(&obj, repo, rev) < 0)
		return -1;
	rc = git_object_peel((git_object **)out, obj, GIT_OBJECT_TREE);
	git_object_free(obj);
	return rc;
}

static int open_tree(struct tree **out, struct gitsrc *g, int own,
		     const char *name, const char *rev)
{
	struct git_tree_ctx *c = xcalloc(1, sizeof(*c));

	if (lookup_tree(&c->tree, g->repo, rev) < 0) {
		free(c);
		return git_fail("no such revision", rev);
	}
	c->g = g;
	c->own_repo = own;
	*out = tree_new(name, &git_backend, c);
	return 0;
}

int gitsrc_open_tree_in(struct tree **out, struct gitsrc *g,
			const char *name, const char *rev)
{
	return open_tree(out, g, 0, name, rev);
}

int gitsrc_open_tree(struct tree **out, const char *name, const char *repo,
		     const char *rev)
{
	struct gitsrc *g;

	if (gitsrc_open(&g, repo) < 0)
		return -1;
	if (open_tree(out, g, 1, name, rev) < 0) {
		gitsrc_free(g);
		return -1;
	}
	return 0;
}

int gitsrc_tree_option(struct tree **out, const char *arg, struct gitsrc *g)
{
	const char *eq = strchr(arg, '=');
	char *name;
	int rc;

	if (!eq || strncmp(eq + 1, "git:", 4))
		return 1;
	if (eq == arg || !eq[5])
		return error("--tree %s: expected NAME=git:REV", arg);
	if (!g)
		return error("--tree %s: git: targets need --git REPO", arg);
	name = xstrndup(arg, (size_t)(eq - arg));
	rc = open_tree(out, g, 0, name, eq + 5);
	free(name);
	return rc;
}

int gitsrc_read_file(struct gitsrc *g, const char *rev, const char *path,
		     struct strbuf *out)
{
	git_tree *tree;
	char *data;
	size_t len;
	int rc;

	sb_init(out);
	if (lookup_tree(&tree, g->repo, rev) < 0)
		return git_fail("no such revision", rev);
	rc = blob_read(g->repo, tree, path, &data, &len, NULL);
	git_tree_free(tree);
	if (rc)
		return rc;
	sb_release(out);
	out->buf = data;
	out->len = len;
	out->alloc = len + 1;
	return 0;
}

/* ---- the 3-way fallback -------------------------------------------- */

static int commit_blob(struct gitsrc *g, git_commit *c, const char *path,
		       struct strbuf *out)
{
	git_tree *tree;
	char *data;
	size_t len;
	int rc;

	if (!path || git_commit_tree(&tree, c) < 0)
		return -1;
	rc = blob_read(g->repo, tree, path, &data, &len, NULL);
	git_tree_free(tree);
	if (rc)
		return -1;
	out->buf = data;
	out->len = len;
	out->alloc = len + 1;
	return 0;
}

int gitsrc_merge(void *ctx, const struct patch *p, const struct file_diff *fd,
		 const char *cur, size_t cur_len, struct strbuf *out)
{
	struct gitsrc *g = ctx;
	struct strbuf base = STRBUF_INIT, theirs = STRBUF_INIT;
	git_merge_file_input in_base, in_ours, in_theirs;
	git_merge_file_options opts;
	git_merge_file_result res = { 0 };
	git_commit *c = NULL, *parent = NULL;
	int strip = patch_strip_level(p), rc = -1;
	char label[GIT_OID_HEXSZ + 8];
	git_oid id;

	if (!g || !p->meta.commit || fd->op == FILE_CREATE ||
	    fd->op == FILE_DELETE || fd->is_binary ||
	    git_oid_fromstrp(&id, p->meta.commit) < 0 ||
	    git_commit_lookup(&c, g->repo, &id) < 0 ||
	    git_commit_parent(&parent, c, 0) < 0)
		goto out;
	git_merge_file_input_init(&in_base, GIT_MERGE_FILE_INPUT_VERSION);
	git_merge_file_input_init(&in_ours, GIT_MERGE_FILE_INPUT_VERSION);
	git_merge_file_input_init(&in_theirs, GIT_MERGE_FILE_INPUT_VERSION);
	git_merge_file_options_init(&opts, GIT_MERGE_FILE_OPTIONS_VERSION);
	if (commit_blob(g, parent, file_diff_path(fd, strip, 0), &base) < 0 ||
	    commit_blob(g, c, file_diff_path(fd, strip, 1), &theirs) < 0)
		goto out;
	in_base.ptr = base.buf;
	in_base.size = base.len;
	in_ours.ptr = cur;
	in_ours.size = cur_len;
	in_theirs.ptr = theirs.buf;
	in_theirs.size = theirs.len;
	snprintf(label, sizeof(label), "%.10s^", p->meta.commit);
	opts.ancestor_label = label;
	opts.our_label = "target";
	opts.their_label = p->name ? p->name : p->meta.commit;
	opts.flags = GIT_MERGE_FILE_STYLE_DIFF3;
	if (git_merge_file(&res, &in_base, &in_ours, &in_theirs, &opts) < 0)
		goto out;
	sb_reset(out);
	sb_add(out, res.ptr, res.len);
	rc = res.automergeable ? 0 : 1;
out:
	git_merge_file_result_free(&res);
	git_commit_free(parent);
	git_commit_free(c);
	sb_release(&base);
	sb_release(&theirs);
	return rc;
}

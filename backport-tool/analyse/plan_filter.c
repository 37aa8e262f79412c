/*
 * plan_filter.c - which commits plan leaves out of a chain, and why:
 *
 *   - fixes the target already carries: a directory target that is a
 *     Debian source package names them in debian/patches, by DEP-3 Origin
 *     (or Applied-Upstream) commit ids, "cherry picked from commit" lines,
 *     or the same diff (a patch id: the changed lines without white space
 *     and line numbers).  Neither a candidate nor a series patch it
 *     carries is carried again.
 *   - commits that touch only CI files or test lists, or change only
 *     comments or spelling: they join a chain only in a round where no
 *     other commit explains the conflict (then a hunk really needs one).
 */
#include "analyse/plan_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "input/gitsrc.h"


/* ---- patch ids ------------------------------------------------------ */

static unsigned long long fnv(unsigned long long h, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isspace((unsigned char)s[i])) {
			h ^= (unsigned char)s[i];
			h *= 1099511628211ULL;
		}
	return h;
}

/* A hash of the changed lines and the files they are in; 0 for a patch
   with no text change. */
static unsigned long long patch_id(const struct patch *p)
{
	unsigned long long h = 1469598103934665603ULL;
	int strip = patch_strip_level(p), any = 0;
	size_t f, k, l;

	for (f = 0; f < p->nfiles; f++) {
		const struct file_diff *fd = &p->files[f];
		const char *path = file_diff_target(fd, strip);

		if (path)
			h = fnv(h, path, strlen(path));
		for (k = 0; k < fd->nhunks; k++)
			for (l = 0; l < fd->hunks[k].nlines; l++) {
				const struct pline *pl = &fd->hunks[k].lines[l];

				if (pl->kind == ' ')
					continue;
				h = fnv(h, &pl->kind, 1);
				h = fnv(h, pl->text, pl->len);
				any = 1;
			}
	}
	return any ? h : 0;
}

/* ---- what a Debian target carries ----------------------------------- */


/* Hex runs of 7 to 40 digits in line[0..len) after the word "commit". */
static void add_commit_ids(struct plan_carried_patch *c, const char *line,
			   size_t len)
{
	const char *p = line, *end = line + len;

	while (p < end && (p = strstr(p, "commit")) && p < end) {
		const char *h = p + 6;
		size_t n;

		while (h < end && !isxdigit((unsigned char)*h) &&
		       strchr(" :/=s", *h))
			h++;
		for (n = 0; h + n < end && isxdigit((unsigned char)h[n]); n++)
			;
		if (n >= 7 && n <= 40 && (h + n == end ||
					  !isalnum((unsigned char)h[n]))) {
			c->ids = xrealloc(c->ids, (c->nids + 1) * sizeof(*c->ids));
			c->ids[c->nids++] = xstrndup(h, n);
		}
		p = h + n;
	}
}

/* The commit ids a DEP-3 header names: Origin and Applied-Upstream
   fields, "(cherry picked from commit X)" lines; the header ends at the
   first file diff. */
static void read_carried_header(struct plan_carried_patch *c, const char *s,
				const char *end)
{
	while (s && s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);
		const char *cp = memmem(s, len, "cherry picked from commit", 25);
		size_t before = c->nids;

		if (!strncmp(s, "--- ", 4) || !strncmp(s, "diff ", 5) ||
		    !strncmp(s, "Index: ", 7))
			break;
		if (!strncasecmp(s, "Origin:", 7) ||
		    !strncasecmp(s, "Applied-Upstream:", 17)) {
			add_commit_ids(c, s, len);
			if (c->nids > before && !c->how)
				c->how = "its DEP-3 Origin";
		} else if (cp) {
			add_commit_ids(c, cp + 19, len - (size_t)(cp + 19 - s));
			if (c->nids > before && !c->how)
				c->how = "its \"cherry picked from\" line";
		}
		s = nl ? nl + 1 : NULL;
	}
}

/* patch_id() of a patch file's text, read as quilt does (-p1), without
   parsing it: the run need not stop on a patch this tool cannot read. */
static unsigned long long text_patch_id(const char *s, const char *end)
{
	unsigned long long h = 1469598103934665603ULL;
	int in_hunk = 0, any = 0;

	while (s && s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);
		const char *next = nl ? nl + 1 : NULL;

		if (!strncmp(s, "--- ", 4) && next && next < end &&
		    !strncmp(next, "+++ ", 4)) {
			const char *side = strncmp(next + 4, "/dev/null", 9)
				? next + 4 : s + 4;
			size_t n = strcspn(side, "\t\n");
			const char *slash = memchr(side, '/', n);

			if (slash)
				h = fnv(h, slash + 1, n - (size_t)(slash + 1 - side));
			in_hunk = 0;
			next = memchr(next, '\n', (size_t)(end - next));
			next = next ? next + 1 : NULL;
		} else if (!strncmp(s, "@@ ", 3)) {
			in_hunk = 1;
		} else if (in_hunk && len && (*s == '+' || *s == '-')) {
			h = fnv(h, s, len);
			any = 1;
		} else if (in_hunk && len && *s != ' ' && *s != '\\') {
			in_hunk = 0;
		}
		s = next;
	}
	return any ? h : 0;
}

void plan_carried_release(struct plan_carried *pc)
{
	size_t i, j;

	for (i = 0; i < pc->n; i++) {
		free(pc->v[i].name);
		for (j = 0; j < pc->v[i].nids; j++)
			free(pc->v[i].ids[j]);
		free(pc->v[i].ids);
	}
	free(pc->v);
	memset(pc, 0, sizeof(*pc));
}

/* One entry of the series: its commit ids and its patch id. */
static void load_one(struct plan_carried *pc, const char *dir,
		     const char *name)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	struct plan_carried_patch *c;
	struct stat st;

	sb_init(&path);
	sb_addf(&path, "%s/debian/patches/%s", dir, name);
	if (lstat(path.buf, &st) || !S_ISREG(st.st_mode) ||
	    read_whole_file(path.buf, MAX_INPUT_SIZE, &text) < 0) {
		sb_release(&path);
		return;
	}
	pc->v = xrealloc(pc->v, (pc->n + 1) * sizeof(*pc->v));
	c = &pc->v[pc->n++];
	memset(c, 0, sizeof(*c));
	c->name = xstrdup(name);
	read_carried_header(c, text.buf, text.buf + text.len);
	c->pid = text_patch_id(text.buf, text.buf + text.len);
	sb_release(&text);
	sb_release(&path);
}

int plan_carried_load(struct plan_carried *pc, const char *spec)
{
	const char *eq = strchr(spec, '='), *dir = eq ? eq + 1 : spec;
	struct strbuf series = STRBUF_INIT, text = STRBUF_INIT;
	const char *p;
	struct stat st;

	memset(pc, 0, sizeof(*pc));
	if (!strncmp(dir, "git:", 4))
		return 0;
	sb_init(&series);
	sb_addf(&series, "%s/debian/patches/series", dir);
	if (lstat(series.buf, &st) || !S_ISREG(st.st_mode) ||
	    read_whole_file(series.buf, MAX_INPUT_SIZE, &text) < 0) {
		sb_release(&series);
		return 0;
	}
	for (p = text.buf; p && *p;) {
		size_t sp = strspn(p, " \t"), n = strcspn(p + sp, " \t\n#");
		const char *nl = strchr(p, '\n');

		if (n && p[sp] != '#') {
			char *name = xstrndup(p + sp, n);

			if (!strstr(name, "..") && name[0] != '/')
				load_one(pc, dir, name);
			free(name);
		}
		p = nl ? nl + 1 : NULL;
	}
	sb_release(&series);
	sb_release(&text);
	return 0;
}

/* The carried patch that is commit p (id commit), or NULL; *how says by
   what it was recognised. */
const char *plan_carried_by(const struct plan_carried *pc, const char *commit,
			    const struct patch *p, const char **how)
{
	unsigned long long pid = p ? patch_id(p) : 0;
	size_t i, j;

	for (i = 0; i < pc->n; i++) {
		for (j = 0; commit && j < pc->v[i].nids; j++)
			if (!strncasecmp(commit, pc->v[i].ids[j],
					 strlen(pc->v[i].ids[j]))) {
				*how = pc->v[i].how;
				return pc->v[i].name;
			}
		if (pid && pc->v[i].pid == pid) {
			*how = "the same diff";
			return pc->v[i].name;
		}
	}
	return NULL;
}

/* ---- commits that only touch CI, test lists, comments or spelling --- */

static int has_prefix(const char *s, const char *const *v)
{
	for (; *v; v++)
		if (!strncmp(s, *v, strlen(*v)))
			return 1;
	return 0;
}

static int is_ci_path(const char *path)
{
	static const char *const ci[] = {
		".github/", ".gitlab-ci", ".gitlab/", ".travis", ".cirrus",
		"appveyor", ".appveyor", ".circleci/", "azure-pipelines",
		".azure-pipelines/", ".ci/", ".builds/", ".woodpecker",
		".drone.yml", "Jenkinsfile", NULL
	};
	const char *base = strrchr(path, '/');

	return has_prefix(path, ci) ||
	       (base && has_prefix(base + 1, ci + 1)); /* a sub-project's */
}

/* A build file of a test directory: the list of tests it runs. */
static int is_test_list(const char *path)
{
	static const char *const lists[] = {
		"meson.build", "Makefile.am", "Makefile.in", "Makefile",
		"CMakeLists.txt", "Makefile.include", NULL
	};
	const char *base = strrchr(path, '/');
	size_t i;

	if (!base)
		return 0;
	for (i = 0; lists[i]; i++)
		if (!strcmp(base + 1, lists[i]))
			break;
	if (!lists[i])
		return 0;
	return !strncmp(path, "tests/", 6) || !strncmp(path, "test/", 5) ||
	       strstr(path, "/tests/") || strstr(path, "/test/");
}

/* Is the line a comment (or blank) in a C-like or '#'-comment file? */
static int is_comment_line(const char *path, const char *t, size_t n)
{
	const char *dot = strrchr(path, '.');
	int c_like = dot && (!strcmp(dot, ".c") || !strcmp(dot, ".h") ||
			     !strcmp(dot, ".cc") || !strcmp(dot, ".cpp") ||
			     !strcmp(dot, ".hpp") || !strcmp(dot, ".cxx"));

	while (n && isspace((unsigned char)*t))
		t++, n--;
	while (n && isspace((unsigned char)t[n - 1]))
		n--;
	if (!n)
		return 1;
	if (c_like)
		return (n >= 2 && (!strncmp(t, "/*", 2) || !strncmp(t, "//", 2))) ||
		       *t == '*';
	return *t == '#' || (n >= 3 && !strncmp(t, "dnl", 3));
}

/* Edit distance of two short words, capped at 3. */
static size_t word_distance(const char *a, size_t na, const char *b, size_t nb)
{
	size_t d[32][32], i, j;

	if (na >= 32 || nb >= 32)
		return 3;
	for (i = 0; i <= na; i++)
		d[i][0] = i;
	for (j = 0; j <= nb; j++)
		d[0][j] = j;
	for (i = 1; i <= na; i++)
		for (j = 1; j <= nb; j++) {
			size_t sub = d[i - 1][j - 1] +
				(tolower((unsigned char)a[i - 1]) !=
				 tolower((unsigned char)b[j - 1]));
			size_t del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;

			d[i][j] = sub < del ? sub : del;
			d[i][j] = d[i][j] < ins ? d[i][j] : ins;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < d[i][j])
				d[i][j] = d[i - 2][j - 2] + 1;
		}
	return d[na][nb] < 3 ? d[na][nb] : 3;
}

/* Do two lines differ only by one or two misspelt words? */
static int spelling_pair(const struct pline *a, const struct pline *b)
{
	const char *p = a->text, *q = b->text;
	const char *pe = p + a->len, *qe = q + b->len;
	size_t fixed = 0;

	for (;;) {
		size_t np, nq;

		while (p < pe && isspace((unsigned char)*p))
			p++;
		while (q < qe && isspace((unsigned char)*q))
			q++;
		if (p == pe || q == qe)
			return p == pe && q == qe && fixed > 0;
		for (np = 0; p + np < pe && !isspace((unsigned char)p[np]); np++)
			;
		for (nq = 0; q + nq < qe && !isspace((unsigned char)q[nq]); nq++)
			;
		if (np != nq || memcmp(p, q, np)) {
			if (++fixed > 2 || word_distance(p, np, q, nq) > 2 ||
			    !isalpha((unsigned char)*p) || !isalpha((unsigned char)*q))
				return 0;
		}
		p += np;
		q += nq;
	}
}

/* Is every change of the hunk a comment line, or a spelling fix? */
static int hunk_trivial(const char *path, const struct hunk *hk,
			int *comments, int *spelling)
{
	size_t l = 0;

	while (l < hk->nlines) {
		size_t m = l, p = l, nm, np, k;

		if (hk->lines[l].kind == ' ') {
			l++;
			continue;
		}
		while (m < hk->nlines && hk->lines[m].kind == '-')
			m++;
		p = m;
		while (p < hk->nlines && hk->lines[p].kind == '+')
			p++;
		nm = m - l;
		np = p - m;
		for (k = l; k < p; k++)
			if (!is_comment_line(path, hk->lines[k].text,
					     hk->lines[k].len))
				break;
		if (k == p) {
			*comments = 1;
		} else if (nm == np) {
			for (k = 0; k < nm; k++)
				if (!spelling_pair(&hk->lines[l + k],
						   &hk->lines[m + k]))
					return 0;
			*spelling = 1;
		} else {
			return 0;
		}
		l = p > l ? p : l + 1;
	}
	return 1;
}

const char *plan_trivial_reason(const struct patch *p)
{
	int strip = patch_strip_level(p), ci = 1, lists = 1;
	int comments = 0, spelling = 0, text = 1;
	size_t f, k;

	if (!p->nfiles)
		return NULL;
	for (f = 0; f < p->nfiles; f++) {
		const struct file_diff *fd = &p->files[f];
		const char *path = file_diff_target(fd, strip);

		if (!path)
			return NULL;
		ci &= is_ci_path(path);
		lists &= is_ci_path(path) || is_test_list(path);
		if (fd->is_binary || fd->is_submodule || fd->op != FILE_MODIFY)
			text = 0;
		for (k = 0; text && k < fd->nhunks; k++)
			text = hunk_trivial(path, &fd->hunks[k], &comments,
					    &spelling);
	}
	if (ci)
		return "touches only CI files";
	if (lists)
		return "touches only CI files and test lists";
	if (!text)
		return NULL;
	if (comments && spelling)
		return "changes only comments and spelling";
	return comments ? "changes only comments" : "fixes only spelling";
}

/* ---- a round's candidates ------------------------------------------- */

/* Move cand->v[i] to pt->skipped with note, unless it is there already. */
static void skip_candidate(struct plan_target *pt, struct plan_list *cand,
			   size_t i, char *note)
{
	if (plan_list_find(&pt->skipped, cand->v[i].commit)) {
		free(note);
		plan_commit_release(&cand->v[i]);
		memmove(&cand->v[i], &cand->v[i + 1],
			(cand->n - i - 1) * sizeof(*cand->v));
		cand->n--;
		return;
	}
	free(cand->v[i].note);
	cand->v[i].note = note;
	plan_list_move(cand, i, &pt->skipped);
}

/* A commit skipped in an earlier round that is named again and kept. */
static void unskip(struct plan_target *pt, const char *commit)
{
	size_t i;

	for (i = 0; i < pt->skipped.n; i++)
		if (!strcmp(pt->skipped.v[i].commit, commit)) {
			plan_commit_release(&pt->skipped.v[i]);
			memmove(&pt->skipped.v[i], &pt->skipped.v[i + 1],
				(pt->skipped.n - i - 1) * sizeof(*pt->skipped.v));
			pt->skipped.n--;
			return;
		}
}

static const struct patch *find_patch(const struct patch_list *l,
				      const char *commit)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].meta.commit && !strcmp(l->v[i].meta.commit, commit))
			return &l->v[i];
	return NULL;
}

int plan_filter_round(struct plan_run *run, struct plan_target *pt,
		      struct plan_list *cand, size_t *carried)
{
	struct patch_list pl = { 0 };
	const char **ids = xcalloc(cand->n + 1, sizeof(*ids));
	const char **why = xcalloc(cand->n + 1, sizeof(*why));
	size_t i, plain = 0;

	*carried = 0;
	for (i = 0; i < cand->n; i++)
		ids[i] = cand->v[i].commit;
	if (cand->n && gitsrc_read_commits_in(run->in->git, &pl, ids,
					      cand->n) < 0) {
		free(ids);
		free(why);
		return -1;
	}
	for (i = cand->n; i-- > 0;) {
		const struct patch *p = find_patch(&pl, cand->v[i].commit);
		const char *how = NULL, *by = run->carried
			? plan_carried_by(run->carried, cand->v[i].commit, p, &how)
			: NULL;

		if (by) {
			struct strbuf sb = STRBUF_INIT;

			sb_init(&sb);
			sb_addf(&sb, "already carried by debian/patches/%s (%s): "
				"not carried again", by, how);
			skip_candidate(pt, cand, i, sb_detach(&sb, NULL));
			memmove(&why[i], &why[i + 1], (cand->n - i) * sizeof(*why));
			(*carried)++;
			continue;
		}
		why[i] = p ? plan_trivial_reason(p) : NULL;
		plain += !why[i];
	}
	for (i = cand->n; i-- > 0;) {
		struct strbuf sb = STRBUF_INIT;

		if (!why[i])
			continue;
		sb_init(&sb);
		if (plain) {
			sb_addf(&sb, "skipped: it %s; carried only when nothing "
				"else explains a conflict", why[i]);
			skip_candidate(pt, cand, i, sb_detach(&sb, NULL));
		} else {
			sb_addf(&sb, "it %s, but nothing else explains the "
				"conflict", why[i]);
			free(cand->v[i].note);
			cand->v[i].note = sb_detach(&sb, NULL);
			unskip(pt, cand->v[i].commit);
		}
	}
	patch_list_release(&pl);
	free(ids);
	free(why);
	return 0;
}

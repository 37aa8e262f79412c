/*
 * test_gitsrc.c - upstream commits as patches, revisions as trees and the
 * 3-way fallback, on small repositories built with git in a temporary
 * directory.  git itself is the reference: the text we generate must equal
 * `git format-patch --no-stat --full-index --no-signature` byte for byte.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "input/gitsrc.h"
#include "input/gitsrc_int.h"
#include "input/patch.h"
#include "place/apply.h"
#include "place/place.h"
#include "tree/tree.h"
#include "util.h"

#include "tmpdir.h"

static char repo[4096];

/* A fresh directory under $TMPDIR (the system's default otherwise). */
static void make_temp_dir(char *buf, size_t size, const char *prefix)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(buf, size, "%s/%s-XXXXXX", tmp && *tmp ? tmp : P_tmpdir, prefix);
	assert_non_null(mkdtemp(buf));
}

/* Run a shell command in the repository; fail the test when it fails. */
static void sh(const char *fmt, ...)
{
	struct strbuf cmd = STRBUF_INIT;
	char buf[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	sb_addf(&cmd, "cd '%s' && { %s; } >/dev/null 2>&1", repo, buf);
	assert_int_equal(system(cmd.buf), 0);
	sb_release(&cmd);
}

/* Capture a command's standard output. */
static void sh_out(struct strbuf *out, const char *cmd)
{
	struct strbuf c = STRBUF_INIT;
	char chunk[4096];
	size_t n;
	FILE *f;

	sb_addf(&c, "cd '%s' && %s", repo, cmd);
	f = popen(c.buf, "r");
	assert_non_null(f);
	sb_init(out);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		sb_add(out, chunk, n);
	assert_int_equal(pclose(f), 0);
	sb_release(&c);
}

static char *rev_parse(const char *rev)
{
	struct strbuf out;
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "git rev-parse '%s'", rev);
	sh_out(&out, cmd);
	while (out.len && out.buf[out.len - 1] == '\n')
		out.buf[--out.len] = '\0';
	return sb_detach(&out, NULL);
}

/* gitsrc_merge and gitsrc_merge_judge on a target's bytes alone (no
   blob id, no split text: the proof makes its own set of lines). */
static int merge_text(struct gitsrc *g, const struct patch *p,
		      const struct file_diff *fd, const char *data, size_t len,
		      struct strbuf *out)
{
	struct merge_ours cur = { .data = data, .len = len };

	return gitsrc_merge(g, p, fd, &cur, out);
}

static int judge_text(struct gitsrc *g, const struct patch *p,
		      const struct file_diff *fd, const char *data, size_t len,
		      struct strbuf *out)
{
	struct merge_ours cur = { .data = data, .len = len };

	return gitsrc_merge_judge(g, p, fd, &cur, out);
}

/* merge_ours's has_line on a split text, as apply lends it */
static int has_line(const void *lines, unsigned h)
{
	long count;

	return text_index_first(lines, h, &count) >= 0;
}

/* The proof of a certain conflict on a target's bytes, with its own set
   of lines and on the lines split as apply lends them (placement's
   index): both say the same, which is returned. */
static int proof_both_ways(struct gitsrc *g, const struct file_diff *fd,
			   const char *data, size_t len)
{
	struct text t = { 0 };
	struct merge_ours bytes = { .data = data, .len = len };
	struct merge_ours split = { .data = data, .len = len,
				    .has_line = has_line, .lines = &t };
	git_oid base, theirs;
	int a, b;

	assert_int_equal(git_oid_fromstr(&base, fd->old_id), 0);
	assert_int_equal(git_oid_fromstr(&theirs, fd->new_id), 0);
	text_split(&t, data, len);
	a = gitsrc_merge_must_conflict(g, fd, &base, &theirs, &bytes);
	b = gitsrc_merge_must_conflict(g, fd, &base, &theirs, &split);
	text_release(&t);
	assert_int_equal(a, b);
	return a;
}

#define COMMIT(who, msg) \
	"git -c user.name='" who "' -c user.email=dev@example.org commit -q -a -m '" msg "'"

/*
 * History:  c1 init (lib.c, gone.c, names.txt)
 *           c2 long subject, body, rename, new empty file, deletion
 *           c3 author with a dot and umlaut, exec bit
 *           side branch s1 (new file) merged as m1
 *           c4 changes lib.c's function far from the target's edit
 */
static int setup_repo(void **state)
{
	make_temp_dir(repo, sizeof(repo), "bt-gitsrc");
	sh("git init -q . && git config core.autocrlf false");
	sh("printf 'int add(int a, int b)\\n{\\n\\treturn a + b;\\n}\\n' > lib.c"
	   " && seq 1 40 > names.txt && echo bye > gone.c && git add . && "
	   "GIT_AUTHOR_DATE='2020-06-04 12:13:36 +0200' " COMMIT("Ann Author", "init"));
	sh("git tag v1");
	sh("seq 1 41 > names.txt && git mv names.txt list.txt && "
	   "sed -i 's/^20$/twenty/' list.txt && : > empty.h && git add empty.h && "
	   "git rm -q gone.c && "
	   COMMIT("Ann Author", "a rather long subject line that surely goes past the seventy-eight column limit of mail headers\n\n"
		  "Body text.\n\nSigned-off-by: Ann Author <dev@example.org>"));
	sh("chmod +x lib.c && sed -i 's/a + b/b + a/' lib.c && "
	   COMMIT("J. R. M\xc3\xbcller", "lib: swap operands"));
	sh("git tag v2 && git checkout -q -b side && echo s > side.c && git add side.c && "
	   COMMIT("Ann Author", "side file") " && git checkout -q - && "
	   "git -c user.name=M -c user.email=m@x merge -q --no-ff -m merge side");
	*state = NULL;
	return 0;
}

static int teardown_repo(void **state)
{
	return tmpdir_remove(repo);
}

/* binary_ids: gitsrc_binary_ids on, git's --no-binary */
static void assert_formats_like_git_as(const char *rev, int binary_ids)
{
	struct strbuf ours, theirs;
	struct gitsrc *g;
	char cmd[256];

	assert_int_equal(gitsrc_open(&g, repo), 0);
	gitsrc_binary_ids(g, binary_ids);
	sb_init(&ours);
	assert_int_equal(gitsrc_format_commit(g, rev, &ours), 0);
	snprintf(cmd, sizeof(cmd), "git format-patch -1 --stdout --no-stat "
		 "--full-index --no-signature %s '%s'",
		 binary_ids ? "--no-binary" : "", rev);
	sh_out(&theirs, cmd);
	if (strcmp(ours.buf, theirs.buf)) {
		/* show the difference: cmocka truncates long strings */
		struct strbuf path = STRBUF_INIT;
		FILE *f;

		sb_addf(&path, "%s/ours.patch", repo);
		f = fopen(path.buf, "w");
		fputs(ours.buf, f);
		fclose(f);
		sb_reset(&path);
		sb_addf(&path, "%s/git.patch", repo);
		f = fopen(path.buf, "w");
		fputs(theirs.buf, f);
		fclose(f);
		sb_reset(&path);
		sb_addf(&path, "cd '%s' && diff -u git.patch ours.patch >&2", repo);
		assert_int_equal(system(path.buf), 0);
		sb_release(&path);
	}
	sb_release(&ours);
	sb_release(&theirs);
	gitsrc_free(g);
}

static void assert_formats_like_git(const char *rev)
{
	assert_formats_like_git_as(rev, 0);
}

static void test_format_matches_git(void **state)
{
	assert_formats_like_git("v1");   /* root commit: every file created */
	assert_formats_like_git("v1~0^{commit}~0"); /* any revision syntax */
	assert_formats_like_git("v2~1"); /* long subject, body, rename, delete */
	assert_formats_like_git("v2");  /* quoted, encoded name; mode change */
	assert_formats_like_git("side");
}

/*
 * A commit that only changes the content of text files, or adds some, is
 * diffed from blob patches (gitsrc_patch.c), here in a subdirectory, an
 * executable, a file without a final newline, new directories: the text
 * is still git's.  A binary file goes to the tree diff, which writes its
 * data, as do an empty new file and a move.
 */
static void test_format_content_only(void **state)
{
	struct strbuf out;
	struct gitsrc *g;

	sh("git checkout -q -b fast v2 && mkdir -p d/e && "
	   "printf 'one\\ntwo\\nthree' > d/e/x.c && "
	   "printf 'bin\\000ary\\n' > bin.dat && seq 1 30 > d/n.txt && "
	   "git add . && " COMMIT("Ann Author", "files to change") " && "
	   "printf 'one\\n2\\nthree' > d/e/x.c && sed -i 's/b + a/a + b/' lib.c && "
	   "seq 2 31 > d/n.txt && " COMMIT("Ann Author", "content only")
	   " && git tag f1 && printf 'bin\\000ary 2\\n' > bin.dat && "
	   COMMIT("Ann Author", "binary") " && git tag f2");
	/* files added, in new and existing directories (one executable,
	   one without a final newline), with a change: still blob patches */
	sh("git checkout -q f2 && mkdir -p d/new/deeper && "
	   "printf 'a\\nb\\n' > d/new/deeper/a.c && printf 'z' > d/new/z.h && "
	   "printf '#!/bin/sh\\n' > d/e/run.sh && chmod +x d/e/run.sh && "
	   "printf 'top\\n' > a.c && seq 3 32 > d/n.txt && git add . && "
	   COMMIT("Ann Author", "files added") " && git tag f3");
	/* an empty file added, and a file added where one is deleted (a
	   rename to detect): the tree diff */
	sh(": > d/empty.h && git add d/empty.h && "
	   COMMIT("Ann Author", "empty") " && git tag f4 && "
	   "git mv d/new/z.h d/z2.h && " COMMIT("Ann Author", "moved")
	   " && git tag f5");
	sh("git checkout -q master 2>/dev/null || git checkout -q main");
	assert_formats_like_git("f1");
	assert_formats_like_git("f3");
	assert_formats_like_git("f4");
	assert_formats_like_git("f5");
	assert_int_equal(gitsrc_open(&g, repo), 0);
	sb_init(&out);
	assert_int_equal(gitsrc_format_commit(g, "f2", &out), 0);
	assert_non_null(strstr(out.buf, "\nGIT binary patch\nliteral 10\n"));
	sb_release(&out);
	gitsrc_free(g);
	/* binary changes by ids: git's --no-binary text, from blob patches
	   (f2, f3b: changed and added, beside text) or the tree diff (f5b:
	   deleted, f5c: renamed and changed) */
	sh("git checkout -q f3 && printf 'new\\000bin' > d/new.bin && "
	   "printf 'bin\\000ary 3\\n' > bin.dat && seq 4 33 > d/n.txt && "
	   "git add . && " COMMIT("Ann Author", "binary added") " && git tag f3b && "
	   "git rm -q d/new.bin && " COMMIT("Ann Author", "binary deleted")
	   " && git tag f5b && seq 1 3000 | sed 's/^/line /' | tr '\\n' '\\000' > big.bin && "
	   "git add big.bin && " COMMIT("Ann Author", "big binary") " && "
	   "git mv big.bin big2.bin && printf 'x' >> big2.bin && git add big2.bin && "
	   COMMIT("Ann Author", "binary moved") " && git tag f5c");
	sh("git checkout -q master 2>/dev/null || git checkout -q main");
	assert_formats_like_git_as("f2", 1);
	assert_formats_like_git_as("f3b", 1);
	assert_formats_like_git_as("f5b", 1);
	assert_formats_like_git_as("f5c", 1);
	assert_formats_like_git_as("f1", 1); /* no binary: the same text */
}

static void test_format_refuses_merge(void **state)
{
	struct strbuf out;
	struct gitsrc *g;

	assert_int_equal(gitsrc_open(&g, repo), 0);
	sb_init(&out);
	assert_int_equal(gitsrc_format_commit(g, "HEAD", &out), 1);
	assert_int_equal(gitsrc_format_commit(g, "no-such-rev", &out), -1);
	sb_release(&out);
	gitsrc_free(g);
}

static void test_read_range_oldest_first(void **state)
{
	struct patch_list list = { 0 };
	const char *specs[] = { "v1..HEAD" };
	char *c2 = rev_parse("v2~1"), *c3 = rev_parse("v2");
	char *s1 = rev_parse("side");

	assert_int_equal(gitsrc_read_commits(&list, repo, specs, 1), 0);
	/* the merge is skipped; side's commit is topologically after v1 */
	assert_int_equal(list.n, 3);
	assert_string_equal(list.v[0].meta.commit, c2);
	assert_true(!strcmp(list.v[1].meta.commit, c3) ||
		    !strcmp(list.v[1].meta.commit, s1));
	assert_string_equal(list.v[0].meta.subject,
			    "a rather long subject line that surely goes past "
			    "the seventy-eight column limit of mail headers");
	assert_int_equal(list.v[0].nfiles, 3);
	assert_int_equal(strlen(list.v[0].name), 10); /* the abbreviated id */
	assert_memory_equal(list.v[0].name, c2, 10);
	patch_list_release(&list);
	free(c2);
	free(c3);
	free(s1);
}

static void test_read_ids_reordered_and_deduplicated(void **state)
{
	struct patch_list list = { 0 };
	char *c3 = rev_parse("v2"), *c2 = rev_parse("v2~1");
	const char *specs[] = { c3, "v2~1", c2 };

	assert_int_equal(gitsrc_read_commits(&list, repo, specs, 3), 0);
	assert_int_equal(list.n, 2);
	assert_string_equal(list.v[0].meta.commit, c2);
	assert_string_equal(list.v[1].meta.commit, c3);
	assert_string_equal(list.v[1].meta.subject, "lib: swap operands");
	patch_list_release(&list);
	free(c2);
	free(c3);
}

static void test_read_one_spec_at_a_time(void **state)
{
	struct patch_list list = { 0 };
	const char *c3[] = { "v2" }, *c2[] = { "v2~1" }, *side[] = { "side" };
	char *id2 = rev_parse("v2~1"), *id3 = rev_parse("v2");
	struct patch local;

	/* a local patch first: it keeps its place */
	memset(&local, 0, sizeof(local));
	local.name = xstrdup("local.patch");
	ALLOC_GROW(list.v, 1, list.alloc);
	list.v[list.n++] = local;
	assert_int_equal(gitsrc_read_commits(&list, repo, c3, 1), 0);
	assert_int_equal(gitsrc_read_commits(&list, repo, c2, 1), 0);
	assert_int_equal(list.n, 3);
	assert_string_equal(list.v[0].name, "local.patch");
	assert_string_equal(list.v[1].meta.commit, id2);
	assert_string_equal(list.v[2].meta.commit, id3);
	/* the same commit again is kept once */
	assert_int_equal(gitsrc_read_commits(&list, repo, c3, 1), 0);
	assert_int_equal(list.n, 3);
	assert_int_equal(gitsrc_read_commits(&list, repo, side, 1), 0);
	assert_int_equal(list.n, 4);
	patch_list_release(&list);
	free(id2);
	free(id3);
}

static void test_read_file_of_ids(void **state)
{
	struct patch_list list = { 0 };
	struct strbuf path = STRBUF_INIT;
	const char *specs[1];
	char *c3 = rev_parse("v2");
	FILE *f;

	sb_addf(&path, "@%s/ids", repo);
	f = fopen(path.buf + 1, "w");
	assert_non_null(f);
	fprintf(f, "# the fix\n%s lib: swap operands\n\n  v2~1\n", c3);
	fclose(f);
	specs[0] = path.buf;
	assert_int_equal(gitsrc_read_commits(&list, repo, specs, 1), 0);
	assert_int_equal(list.n, 2);
	assert_string_equal(list.v[1].meta.commit, c3);
	patch_list_release(&list);

	f = fopen(path.buf + 1, "w");
	fprintf(f, "v2\nnot-a-commit\n");
	fclose(f);
	assert_int_equal(gitsrc_read_commits(&list, repo, specs, 1), -1);
	patch_list_release(&list);
	sb_release(&path);
	free(c3);
}

static void test_read_bad_specs(void **state)
{
	struct patch_list list = { 0 };
	const char *bad[] = { "nope" }, *badrange[] = { "v1..nope" };
	const char *nofile[] = { "@/nonexistent/ids" };
	const char *symmetric[] = { "v1...v2" };

	assert_int_equal(gitsrc_read_commits(&list, repo, bad, 1), -1);
	assert_int_equal(gitsrc_read_commits(&list, repo, badrange, 1), -1);
	assert_int_equal(gitsrc_read_commits(&list, repo, nofile, 1), -1);
	assert_int_equal(gitsrc_read_commits(&list, "/nonexistent", bad, 1), -1);
	assert_int_equal(gitsrc_read_commits(&list, repo, symmetric, 1), -1);
	assert_int_equal(list.n, 0);
}

static void test_read_open_range(void **state)
{
	struct patch_list list = { 0 };
	const char *to_head[] = { "v2~1.." };
	char *c3 = rev_parse("v2");

	/* an empty end is HEAD: v2 and the side commit; the merge is skipped */
	assert_int_equal(gitsrc_read_commits(&list, repo, to_head, 1), 0);
	assert_int_equal(list.n, 2);
	assert_true(!strcmp(list.v[0].meta.commit, c3) ||
		    !strcmp(list.v[1].meta.commit, c3));
	patch_list_release(&list);
	free(c3);
}

static void test_is_revision(void **state)
{
	struct gitsrc *g;

	assert_int_equal(gitsrc_open(&g, repo), 0);
	assert_int_equal(gitsrc_is_revision(g, "v1"), 1);
	assert_int_equal(gitsrc_is_revision(g, "v1..v2"), 1);
	assert_int_equal(gitsrc_is_revision(g, "@ids"), 1);
	assert_int_equal(gitsrc_is_revision(g, "0001-foo.patch"), 0);
	assert_int_equal(gitsrc_is_revision(g, "v1..nope"), 0);
	gitsrc_free(g);
}

static void test_tree_reads_revision(void **state)
{
	struct tree_file f;
	struct tree *t;

	assert_int_equal(gitsrc_open_tree(&t, "old", repo, "v1"), 0);
	assert_string_equal(tree_name(t), "old");
	assert_null(tree_dir(t));
	assert_int_equal(tree_get(t, "names.txt", &f), 0);
	assert_int_equal(f.len, 111); /* seq 1 40: 9 * 2 + 31 * 3 bytes */
	assert_int_equal(f.mode, 0100644);
	/* the blob id, as git names the content (the merge's memo key) */
	{
		char *want = rev_parse("v1:names.txt");
		char hex[2 * TREE_ID_LEN + 1];
		int i;

		assert_non_null(f.id);
		for (i = 0; i < TREE_ID_LEN; i++)
			snprintf(hex + 2 * i, 3, "%02x", f.id[i]);
		assert_string_equal(hex, want);
		free(want);
	}
	assert_int_equal(tree_get(t, "list.txt", &f), TREE_ENOENT);
	assert_int_equal(tree_get(t, "gone.c", &f), 0);
	tree_free(t);

	assert_int_equal(gitsrc_open_tree(&t, "new", repo, "v2"), 0);
	assert_int_equal(tree_get(t, "lib.c", &f), 0);
	assert_int_equal(f.mode, 0100755);
	assert_non_null(memmem(f.data, f.len, "b + a", 5));
	assert_int_equal(tree_get(t, "gone.c", &f), TREE_ENOENT);
	tree_free(t);

	assert_int_equal(gitsrc_open_tree(&t, "x", repo, "no-such-tag"), -1);
}

static void test_tree_option(void **state)
{
	struct gitsrc *g;
	struct tree *t = NULL;
	struct tree_file f;

	assert_int_equal(gitsrc_open(&g, repo), 0);
	assert_int_equal(gitsrc_tree_option(&t, "rel=some/dir", g), 1);
	assert_int_equal(gitsrc_tree_option(&t, "rel=git:", g), -1);
	assert_int_equal(gitsrc_tree_option(&t, "=git:v1", g), -1);
	assert_int_equal(gitsrc_tree_option(&t, "rel=git:v1", NULL), -1);
	assert_int_equal(gitsrc_tree_option(&t, "rel=git:v1", g), 0);
	assert_string_equal(tree_name(t), "rel");
	assert_int_equal(tree_get(t, "gone.c", &f), 0);
	tree_free(t);
	gitsrc_free(g);
}

/*
 * A commit changes lines 10 and 16, one hunk whose middle context is line
 * 13; the target changed line 13.  Fuzz only forgives context at a hunk's
 * ends, so placement fails, but the upstream pre-image shows the three
 * changes do not touch, and a 3-way merge combines them.
 */
static void test_merge_clean_where_fuzz_fails(void **state)
{
	struct patch_list list = { 0 };
	const char *specs[] = { "HEAD" };
	struct strbuf out = STRBUF_INIT, cur = STRBUF_INIT;
	struct place_opts popts = { .max_fuzz = 2, .detect_applied = 0 };
	struct hunk_result res[4];
	struct gitsrc *g;
	int i;

	sh("git checkout -q -b m3 v1 && seq 1 30 > n.txt && git add n.txt && "
	   COMMIT("Ann Author", "numbers"));
	sh("sed -i -e 's/^10$/ten/' -e 's/^16$/sixteen/' n.txt && "
	   COMMIT("Ann Author", "words"));
	assert_int_equal(gitsrc_open(&g, repo), 0);
	assert_int_equal(gitsrc_read_commits_in(g, &list, specs, 1), 0);
	assert_int_equal(list.n, 1);
	assert_int_equal(list.v[0].files[0].nhunks, 1);
	for (i = 1; i <= 30; i++)
		sb_addf(&cur, i == 13 ? "t%d\n" : "%d\n", i);
	place_file(&list.v[0].files[0], cur.buf, cur.len, &popts, res, NULL);
	assert_int_equal(res[0].verdict, V_CONFLICT);
	sb_init(&out);
	assert_int_equal(merge_text(g, &list.v[0], &list.v[0].files[0],
				      cur.buf, cur.len, &out), 0);
	assert_non_null(strstr(out.buf, "9\nten\n11\n12\nt13\n14\n15\nsixteen\n17\n"));
	assert_null(strstr(out.buf, "<<<<<<<"));
	sb_release(&out);
	sb_release(&cur);
	patch_list_release(&list);
	gitsrc_free(g);
	sh("git checkout -q master 2>/dev/null || git checkout -q main");
}

static void test_merge_conflict_has_diff3_markers(void **state)
{
	struct patch_list list = { 0 };
	const char *specs[] = { "v2" };
	const char *cur = "int add(int a, int b)\n{\n\treturn a - b;\n}\n";
	struct strbuf out = STRBUF_INIT;
	struct gitsrc *g;

	assert_int_equal(gitsrc_open(&g, repo), 0);
	assert_int_equal(gitsrc_read_commits_in(g, &list, specs, 1), 0);
	sb_init(&out);
	assert_int_equal(merge_text(g, &list.v[0], &list.v[0].files[0], cur,
				      strlen(cur), &out), 1);
	assert_non_null(strstr(out.buf, "<<<<<<< target\n\treturn a - b;\n"));
	assert_non_null(strstr(out.buf, "||||||| "));
	assert_non_null(strstr(out.buf, "\treturn a + b;\n=======\n\treturn b + a;\n>>>>>>> "));
	sb_release(&out);
	patch_list_release(&list);
	gitsrc_free(g);
}

/*
 * Without markers to keep (check, apply without --merge), a merge that
 * must conflict is not made: the line the commit changes is not in the
 * target, nor is what it becomes (the first target), or the target does
 * not hold the change's lines with its neighbours as one run, neither as
 * they were nor as the commit made them (the last: a line inserted next
 * to the change).  Any other merge is made, and says what gitsrc_merge
 * says.
 */
static void test_merge_judge_skips_a_certain_conflict(void **state)
{
	static const char *const curs[] = {
		"int add(int a, int b)\n{\n\treturn a - b;\n}\n", /* certain */
		"int add(int a, int b)\n{\n\treturn b + a;\n}\n", /* there */
		"int add(int a, int b)\n{\n\treturn a + b;\n}\n/* x */\n",
		"/* x */\nint add(int a, int b)\n{\n\treturn c;\n\treturn b + a;\n}\n",
	};
	struct patch_list list = { 0 };
	const char *specs[] = { "v2" };
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	struct gitsrc *g;
	size_t i;

	assert_int_equal(gitsrc_open(&g, repo), 0);
	assert_int_equal(gitsrc_read_commits_in(g, &list, specs, 1), 0);
	for (i = 0; i < sizeof(curs) / sizeof(*curs); i++) {
		const struct file_diff *fd = &list.v[0].files[0];
		int ra, rb;

		sb_init(&a);
		sb_init(&b);
		sb_addstr(&b, "before");
		ra = merge_text(g, &list.v[0], fd, curs[i], strlen(curs[i]),
				  &a);
		rb = judge_text(g, &list.v[0], fd, curs[i],
					strlen(curs[i]), &b);
		assert_int_equal(ra, i == 0 || i == 3 ? 1 : 0);
		assert_int_equal(rb, ra);
		if (i == 0 || i == 3)
			assert_int_equal(b.len, 0); /* not made */
		else
			assert_string_equal(b.buf, a.buf);
		sb_release(&a);
		sb_release(&b);
	}
	patch_list_release(&list);
	gitsrc_free(g);
}

/*
 * The judge's proof of a conflict (gitsrc_conflict.c) against the merge
 * itself: a commit that replaces line 10, inserts after line 20 and
 * deletes line 25 of 30, and targets made from its pre-image by random
 * edits (lines removed, replaced, inserted, or changed as the commit
 * changes them).  Whenever the judge says conflict without merging, the
 * merge conflicts; and a target that changed only the lines around the
 * insertion is proven by that neighbour alone.
 */
static void test_merge_judge_proof_agrees_with_the_merge(void **state)
{
	struct patch_list list = { 0 };
	const char *specs[] = { "HEAD" };
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, cur = STRBUF_INIT;
	const struct file_diff *fd;
	uint32_t x = 2463534242u;
	size_t proven = 0, merged = 0, split_proven = 0, k;
	struct gitsrc *g;
	int i;

	sh("git checkout -q -b m4 v1 && seq -f 'line %%g' 1 30 > p.txt && "
	   "git add p.txt && " COMMIT("Ann Author", "lines"));
	sh("sed -i -e 's/^line 10$/TEN/' -e '/^line 20$/a new A' "
	   "-e '/^line 25$/d' p.txt && " COMMIT("Ann Author", "three changes"));
	/* the proof reads the commit's changes off its patch: checked
	   against the blobs' own diff on every ask (a mismatch exits 3) */
	setenv("BT_TEST_CHANGES", "verify", 1);
	assert_int_equal(gitsrc_open(&g, repo), 0);
	assert_int_equal(gitsrc_read_commits_in(g, &list, specs, 1), 0);
	fd = &list.v[0].files[0];

	/* only the insertion's neighbours changed: proven, not merged */
	for (i = 1; i <= 30; i++)
		sb_addf(&cur, i == 20 ? "ours %d\n" : "line %d\n", i);
	sb_init(&b);
	assert_int_equal(judge_text(g, &list.v[0], fd, cur.buf,
					    cur.len, &b), 1);
	assert_int_equal(b.len, 0);
	sb_init(&a);
	assert_int_equal(merge_text(g, &list.v[0], fd, cur.buf, cur.len,
				      &a), 1);

	for (k = 0; k < 400; k++) {
		sb_reset(&cur);
		for (i = 1; i <= 30; i++) {
			x ^= x << 13, x ^= x >> 17, x ^= x << 5;
			switch (x % 16) {
			case 0: break;                                  /* removed */
			case 1: sb_addf(&cur, "ours %u\n", x % 7); break; /* replaced */
			case 2: sb_addf(&cur, "line %d\nours %u\n", i, x % 5); break;
			case 3: /* as the commit changes it */
				if (i == 10)
					sb_addstr(&cur, "TEN\n");
				else if (i == 20)
					sb_addstr(&cur, "line 20\nnew A\n");
				else if (i != 25)
					sb_addf(&cur, "line %d\n", i);
				break;
			default: sb_addf(&cur, "line %d\n", i);
			}
		}
		sb_reset(&a);
		sb_reset(&b);
		sb_addstr(&b, "before");
		i = merge_text(g, &list.v[0], fd, cur.buf, cur.len, &a);
		assert_int_equal(judge_text(g, &list.v[0], fd, cur.buf,
					    cur.len, &b), i);
		if (i == 1 && b.len == 0)
			proven++;
		else
			merged++;
		/* the proof on placement's split lines says the same */
		split_proven += proof_both_ways(g, fd, cur.buf, cur.len);
	}
	assert_true(split_proven > 0);
	assert_true(proven > 0 && merged > 0); /* both paths taken */
	assert_int_equal(g->changes_read, 1);    /* one commit, one file */
	assert_int_equal(g->changes_diffed, 0);
	unsetenv("BT_TEST_CHANGES");
	sb_release(&a);
	sb_release(&b);
	sb_release(&cur);
	patch_list_release(&list);
	gitsrc_free(g);
	sh("git checkout -q master 2>/dev/null || git checkout -q main");
}

/*
 * A function added between two others: its blank line and closing brace
 * can slide, and git's indent heuristic (the patch's diff) places them
 * otherwise than the merge's plain diff does.  The commit also changes its
 * first line, which cannot slide.  A target whose first line differs is
 * proven to conflict by that change alone, read off the patch; one that
 * only renamed a function is not, and the proof diffs the blobs itself.
 * Both agree with the merge.
 */
static void test_merge_judge_diffs_what_can_slide(void **state)
{
	struct patch_list list = { 0 };
	const char *specs[] = { "HEAD" };
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, cur = STRBUF_INIT;
	const struct file_diff *fd;
	struct gitsrc *g;
	int ra, rb;

	sh("git checkout -q -b m5 v1 && "
	   "printf 'int a;\\n\\nvoid f1(void)\\n{\\n}\\n\\nvoid f3(void)\\n{\\n}\\n'"
	   " > s.c && git add s.c && " COMMIT("Ann Author", "two functions"));
	sh("printf 'int b;\\n\\nvoid f1(void)\\n{\\n}\\n\\nvoid f2(void)\\n{\\n}\\n"
	   "\\nvoid f3(void)\\n{\\n}\\n' > s.c && " COMMIT("Ann Author", "a third"));
	setenv("BT_TEST_CHANGES", "verify", 1);
	assert_int_equal(gitsrc_open(&g, repo), 0);
	assert_int_equal(gitsrc_read_commits_in(g, &list, specs, 1), 0);
	fd = &list.v[0].files[0];
	/* the first line changed otherwise: proven, nothing diffed */
	sb_addstr(&cur, "long a;\n\nvoid f1(void)\n{\n}\n\nvoid f3(void)\n{\n}\n");
	sb_init(&a);
	sb_init(&b);
	ra = merge_text(g, &list.v[0], fd, cur.buf, cur.len, &a);
	rb = judge_text(g, &list.v[0], fd, cur.buf, cur.len, &b);
	assert_int_equal(ra, 1);
	assert_int_equal(rb, 1);
	assert_int_equal(b.len, 0); /* not merged */
	assert_int_equal(g->changes_read, 1);
	assert_int_equal(g->changes_diffed, 0);
	/* a target whose f3 was renamed: a line near the insertion is gone */
	sb_reset(&cur);
	sb_reset(&a);
	sb_reset(&b);
	sb_addstr(&cur, "int a;\n\nvoid f1(void)\n{\n}\n\nvoid g3(void)\n{\n}\n");
	ra = merge_text(g, &list.v[0], fd, cur.buf, cur.len, &a);
	rb = judge_text(g, &list.v[0], fd, cur.buf, cur.len, &b);
	assert_int_equal(rb, ra);
	assert_int_equal(g->changes_read, 1);
	assert_int_equal(g->changes_diffed, 1);
	unsetenv("BT_TEST_CHANGES");
	sb_release(&a);
	sb_release(&b);
	sb_release(&cur);
	patch_list_release(&list);
	gitsrc_free(g);
	sh("git checkout -q master 2>/dev/null || git checkout -q main");
}

static void test_merge_needs_a_preimage(void **state)
{
	struct patch_list list = { 0 };
	const char *specs[] = { "v2~1" };
	struct strbuf out = STRBUF_INIT;
	struct gitsrc *g;
	struct patch copy;
	size_t i;

	assert_int_equal(gitsrc_open(&g, repo), 0);
	assert_int_equal(gitsrc_read_commits_in(g, &list, specs, 1), 0);
	sb_init(&out);
	for (i = 0; i < list.v[0].nfiles; i++) {
		const struct file_diff *fd = &list.v[0].files[i];
		int want = fd->op == FILE_CREATE || fd->op == FILE_DELETE ? -1 : 0;
		assert_int_equal(merge_text(g, &list.v[0], fd, "x\n", 2,
					      &out) < 0,
				 want < 0);
	}
	/* a patch that did not come from git */
	copy = list.v[0];
	copy.meta.commit = NULL;
	assert_int_equal(merge_text(g, &copy, &copy.files[0], "x\n", 2,
				      &out), -1);
	copy.meta.commit = "0000000000000000000000000000000000000001";
	assert_int_equal(merge_text(g, &copy, &copy.files[0], "x\n", 2,
				      &out), -1);
	sb_release(&out);
	patch_list_release(&list);
	gitsrc_free(g);
}

/*
 * The octopus merge base of a commit list is the commit libgit2's
 * git_merge_base_octopus finds, in every order: a line of commits, a
 * branch forked early, and a criss-cross merge (two merge bases, where
 * the fold's order decides which one comes out).
 */
static void test_octopus_base_as_libgit2(void **state)
{
	static const char *const names[] = { "a1", "a2", "a3", "a4", "b1",
					     "b2", "p1", "q1", "p2", "q2",
					     "p3", "q3", "a5" };
	const size_t n = sizeof(names) / sizeof(*names);
	char saved[sizeof(repo)];
	git_oid ids[13], pick[13], ours, theirs;
	struct gitsrc *g;
	unsigned seed = 1;
	size_t i, t;

	memcpy(saved, repo, sizeof(repo));
	make_temp_dir(repo, sizeof(repo), "bt-octopus");
#define C(name) "echo " name " >> f && git add f && " COMMIT("A", name) " && git tag " name
	sh("git init -q . && " C("a1") " && " C("a2") " && git checkout -q -b b && "
	   C("b1") " && " C("b2") " && git checkout -q - && " C("a3") " && "
	   C("a4") " && git checkout -q -b p a3 && echo p > p && git add p && "
	   COMMIT("A", "p1") " && git tag p1 && git checkout -q -b q a3 && "
	   "echo q > q && git add q && " COMMIT("A", "q1") " && git tag q1 && "
	   "git checkout -q p && git -c user.name=A -c user.email=a@x merge -q "
	   "--no-ff -m p2 q1 && git tag p2 && git checkout -q q && "
	   "git -c user.name=A -c user.email=a@x merge -q --no-ff -m q2 p1 && "
	   "git tag q2 && git checkout -q p && " C("p3") " && git checkout -q q && "
	   "echo q3 >> q && " COMMIT("A", "q3") " && git tag q3 && "
	   "git checkout -q master 2>/dev/null || git checkout -q main; " C("a5"));
#undef C
	assert_int_equal(gitsrc_open(&g, repo), 0);
	for (i = 0; i < n; i++) {
		char *hex = rev_parse(names[i]);

		assert_int_equal(git_oid_fromstr(&ids[i], hex), 0);
		free(hex);
	}
	for (t = 0; t < 300; t++) {
		size_t k = 2 + rand_r(&seed) % (n - 1);

		memcpy(pick, ids, sizeof(ids));
		for (i = n - 1; i > 0; i--) {
			size_t j = rand_r(&seed) % (i + 1);
			git_oid tmp = pick[i];

			pick[i] = pick[j];
			pick[j] = tmp;
		}
		assert_int_equal(git_merge_base_octopus(&theirs, gitsrc_repository(g),
							k, pick), 0);
		assert_int_equal(gitsrc_octopus_base(gitsrc_repository(g), pick, k,
						     &ours), 0);
		assert_true(git_oid_equal(&ours, &theirs));
	}
	gitsrc_free(g);
	assert_int_equal(tmpdir_remove(repo), 0);
	memcpy(repo, saved, sizeof(repo));
}

/* The commits of a revwalk sorted by time, hiding hide (or nothing). */
static size_t revwalk_ids(git_repository *r, const git_oid *from,
			  const git_oid *hide, git_oid *out, size_t max)
{
	git_revwalk *walk;
	git_oid id;
	size_t n = 0;

	assert_int_equal(git_revwalk_new(&walk, r), 0);
	git_revwalk_sorting(walk, GIT_SORT_TIME);
	assert_int_equal(git_revwalk_push(walk, from), 0);
	if (hide)
		assert_int_equal(git_revwalk_hide(walk, hide), 0);
	while (n < max && git_revwalk_next(&id, walk) == 0)
		out[n++] = id;
	git_revwalk_free(walk);
	return n;
}

/* The blob at path in commit id's tree (or its first parent's): zero if none. */
static void blob_at(git_repository *r, const git_oid *id, int parent,
		    const char *path, git_oid *out)
{
	git_commit *c, *p = NULL;
	git_tree *t;
	git_tree_entry *e;

	memset(out, 0, sizeof(*out));
	assert_int_equal(git_commit_lookup(&c, r, id), 0);
	if (parent && git_commit_parent(&p, c, 0) < 0) {
		git_commit_free(c);
		return;
	}
	assert_int_equal(git_commit_tree(&t, p ? p : c), 0);
	if (git_tree_entry_bypath(&e, t, path) == 0) {
		if (git_tree_entry_type(e) == GIT_OBJECT_BLOB)
			git_oid_cpy(out, git_tree_entry_id(e));
		git_tree_entry_free(e);
	}
	git_tree_free(t);
	git_commit_free(p);
	git_commit_free(c);
}

/*
 * gitsrc_path_history finds what a revwalk, commit by commit, finds: the
 * single-parent and root commits of the range whose blob at the path
 * differs from their parent's, newest first (children first in the same
 * second), for every range of the history and files that come, go, are
 * renamed, or were never there; asked in turns, so ranges are dropped and
 * made again.
 */
static void test_path_history_as_revwalk(void **state)
{
	static const char *const revs[] = { "HEAD", "HEAD^", "HEAD^2", "v2",
					    "v1", "side" };
	static const char *const paths[] = { "lib.c", "list.txt", "names.txt",
					     "gone.c", "side.c", "nope.c" };
	const size_t nrevs = sizeof(revs) / sizeof(*revs);
	git_oid ids[6], walk[16];
	struct gitsrc *g;
	size_t i, round, pi;

	assert_int_equal(gitsrc_open(&g, repo), 0);
	for (i = 0; i < nrevs; i++) {
		char *hex = rev_parse(revs[i]);

		assert_int_equal(git_oid_fromstr(&ids[i], hex), 0);
		free(hex);
	}
	for (round = 0; round < 3; round++)
	for (pi = 0; pi < sizeof(paths) / sizeof(*paths); pi++) {
		size_t from, hide;

		for (from = 0; from < nrevs; from++)
			for (hide = 0; hide <= nrevs; hide++) {
				git_repository *r = gitsrc_repository(g);
				const git_oid *h = hide < nrevs ? &ids[hide] : NULL;
				struct gitsrc_change *got;
				size_t n, k, nw, want = 0, j;

				assert_int_equal(gitsrc_path_history(g, &ids[from], h,
						&paths[pi], 1, &got, &n), 0);
				nw = revwalk_ids(r, &ids[from], h, walk, 16);
				for (k = 0; k < nw; k++) {
					git_commit *c;
					git_oid now, before;
					unsigned np;

					assert_int_equal(git_commit_lookup(&c, r, &walk[k]), 0);
					np = git_commit_parentcount(c);
					git_commit_free(c);
					if (np > 1)
						continue;
					blob_at(r, &walk[k], 0, paths[pi], &now);
					blob_at(r, &walk[k], 1, paths[pi], &before);
					if (git_oid_equal(&now, &before))
						continue;
					want++;
					for (j = 0; j < n; j++)
						if (git_oid_equal(&got[j].commit, &walk[k]))
							break;
					assert_true(j < n);
					assert_true(git_oid_equal(&got[j].after, &now));
					assert_true(git_oid_equal(&got[j].before, &before));
					assert_int_equal(got[j].nparents, np);
					assert_int_equal(got[j].path, 0);
				}
				assert_int_equal(n, want);
				for (k = 1; k < n; k++) {   /* newest first, children first */
					git_commit *a, *b;
					git_oid anc[16];
					size_t na = revwalk_ids(r, &got[k].commit, NULL, anc, 16);

					assert_int_equal(git_commit_lookup(&a, r, &got[k - 1].commit), 0);
					assert_int_equal(git_commit_lookup(&b, r, &got[k].commit), 0);
					assert_true(git_commit_time(a) >= git_commit_time(b));
					for (j = 0; j < na; j++)   /* k-1 is no ancestor of k */
						assert_false(git_oid_equal(&anc[j], &got[k - 1].commit));
					git_commit_free(a);
					git_commit_free(b);
				}
				free(got);
			}
	}
	gitsrc_free(g);
}

/*
 * A shallow clone: the walks stop at its boundary, as git's do, and the
 * boundary commit (whose parent is not there) is not diffed against
 * anything; no error.
 */
static void test_path_history_shallow(void **state)
{
	static const char *const paths[] = { "side.c", "lib.c" };
	char shallow[4096], *head = rev_parse("HEAD");
	struct strbuf cmd = STRBUF_INIT;
	struct gitsrc_change *ch;
	struct gitsrc *g;
	git_oid id;
	size_t n;

	/* HEAD (the merge) and its parents; the main line's grandparent is
	   not there */
	make_temp_dir(shallow, sizeof(shallow), "bt-shallow");
	sb_addf(&cmd, "git clone -q --depth 2 'file://%s' '%s/c' 2>/dev/null",
		repo, shallow);
	assert_int_equal(system(cmd.buf), 0);
	sb_reset(&cmd);
	sb_addf(&cmd, "%s/c", shallow);
	assert_int_equal(git_oid_fromstr(&id, head), 0);
	assert_int_equal(gitsrc_open(&g, cmd.buf), 0);
	/* the side commit, whose parent is there, added side.c */
	assert_int_equal(gitsrc_path_history(g, &id, NULL, &paths[0], 1, &ch, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(ch[0].nparents, 1);
	free(ch);
	/* the main line's commit changed lib.c, but its parent is missing */
	assert_int_equal(gitsrc_path_history(g, &id, NULL, &paths[1], 1, &ch, &n), 0);
	assert_int_equal(n, 0);
	free(ch);
	gitsrc_free(g);
	free(head);
	sb_release(&cmd);
	tmpdir_remove(shallow);
}

/*
 * The index and the memo are kept in the cache: the next run reads them
 * (an answer put before is there), and a damaged file is ignored, not
 * believed.
 */
static void test_history_kept_in_cache(void **state)
{
	static const char *const path = "lib.c";
	char cache[4096], *head = rev_parse("HEAD");
	struct gitsrc_change *a, *b;
	struct strbuf find = STRBUF_INIT;
	size_t na, nb, round;
	struct gitsrc *g;
	git_oid id;

	make_temp_dir(cache, sizeof(cache), "bt-histcache");
	setenv("BACKPORT_TOOL_CACHE", cache, 1);
	setenv("BT_TEST_HISTORY_MIN", "1", 1);
	assert_int_equal(git_oid_fromstr(&id, head), 0);
	assert_int_equal(gitsrc_open(&g, repo), 0);
	assert_int_equal(gitsrc_path_history(g, &id, NULL, &path, 1, &a, &na), 0);
	assert_null(gitsrc_memo_get(g, "question"));
	gitsrc_memo_put(g, "question", "answer");
	gitsrc_free(g);
	sb_addf(&find, "ls '%s/history' | wc -l | grep -qx 1", cache);
	assert_int_equal(system(find.buf), 0);
	for (round = 0; round < 2; round++) {
		assert_int_equal(gitsrc_open(&g, repo), 0);
		if (round == 0)
			assert_string_equal(gitsrc_memo_get(g, "question"), "answer");
		else
			assert_null(gitsrc_memo_get(g, "question"));
		assert_int_equal(gitsrc_path_history(g, &id, NULL, &path, 1, &b, &nb), 0);
		assert_int_equal(nb, na);
		assert_memory_equal(a, b, na * sizeof(*a));
		free(b);
		gitsrc_free(g);
		sb_reset(&find);   /* damage it: one byte of the records changed */
		sb_addf(&find, "cd '%s/history' && f=$(ls) && "
			"printf 'X' | dd of=$f bs=1 seek=100 conv=notrunc 2>/dev/null", cache);
		assert_int_equal(system(find.buf), 0);
		setenv("BT_TEST_HISTORY_MIN", "1000000", 1);   /* not again */
	}
	free(a);
	free(head);
	sb_release(&find);
	unsetenv("BT_TEST_HISTORY_MIN");
	unsetenv("BACKPORT_TOOL_CACHE");
	tmpdir_remove(cache);
}

struct seen_lines {
	struct strbuf text;
};

static int seen_line(const git_diff_delta *d, const git_diff_hunk *h,
		     const git_diff_line *l, void *data)
{
	struct seen_lines *s = data;

	sb_addch(&s->text, l->origin);
	sb_add(&s->text, l->content, l->content_len);
	return 0;
}

/*
 * gitsrc_blob_diff gives the lines git_diff_blobs gives, the first time
 * and again from what it kept, also from no old blob.
 */
static void test_blob_diff_as_libgit2(void **state)
{
	git_repository *r;
	struct gitsrc *g;
	git_object *oa, *ob;
	int round, from_nothing;

	assert_int_equal(gitsrc_open(&g, repo), 0);
	r = gitsrc_repository(g);
	assert_int_equal(git_revparse_single(&oa, r, "v1:lib.c"), 0);
	assert_int_equal(git_revparse_single(&ob, r, "HEAD:lib.c"), 0);
	for (round = 0; round < 4; round++) {
		struct seen_lines want = { STRBUF_INIT }, got = { STRBUF_INIT };
		const struct gitsrc_diff_line *lines;
		size_t n, i;

		from_nothing = round % 2;
		sb_init(&want.text);
		sb_init(&got.text);
		assert_int_equal(git_diff_blobs(from_nothing ? NULL : (git_blob *)oa,
						"lib.c", (git_blob *)ob, "lib.c", NULL,
						NULL, NULL, NULL, seen_line, &want), 0);
		assert_int_equal(gitsrc_blob_diff(g, from_nothing ? NULL : git_object_id(oa),
						  git_object_id(ob), "lib.c", &lines, &n), 0);
		for (i = 0; i < n; i++) {
			sb_addch(&got.text, lines[i].origin);
			sb_add(&got.text, lines[i].content, lines[i].len);
		}
		assert_true(want.text.len > 0);
		assert_string_equal(got.text.buf, want.text.buf);
		sb_release(&want.text);
		sb_release(&got.text);
	}
	git_object_free(oa);
	git_object_free(ob);
	gitsrc_free(g);
}

/*
 * gitsrc_commit_trees reads what git_commit_* read: root, plain, merge;
 * asked again, from what it kept.
 */
static void test_commit_trees_as_libgit2(void **state)
{
	static const char *const revs[] = { "v1", "v2", "HEAD", "HEAD^2" };
	const size_t nrevs = sizeof(revs) / sizeof(*revs);
	struct gitsrc *g;
	size_t i;

	assert_int_equal(gitsrc_open(&g, repo), 0);
	for (i = 0; i < 2 * nrevs; i++) {
		git_oid id, tree, parent_tree, zero;
		git_commit *c, *parent;
		unsigned n;
		char *hex = rev_parse(revs[i % nrevs]);

		assert_int_equal(git_oid_fromstr(&id, hex), 0);
		free(hex);
		assert_int_equal(git_commit_lookup(&c, gitsrc_repository(g), &id), 0);
		assert_int_equal(gitsrc_commit_trees(g, &id, &n, &tree, &parent_tree), 0);
		assert_int_equal(n, git_commit_parentcount(c));
		assert_true(git_oid_equal(&tree, git_commit_tree_id(c)));
		memset(&zero, 0, sizeof(zero));
		if (n) {
			assert_int_equal(git_commit_parent(&parent, c, 0), 0);
			assert_true(git_oid_equal(&parent_tree, git_commit_tree_id(parent)));
			git_commit_free(parent);
		} else {
			assert_true(git_oid_equal(&parent_tree, &zero));
		}
		git_commit_free(c);
	}
	gitsrc_free(g);
}

/* gitsrc_table.c: kept by blob ids and path, dropped past the budget. */
static int table_freed;

static void table_entry_free(struct gitsrc_entry *e)
{
	table_freed++;
	free(e->path);
	free(e);
}

static struct gitsrc_entry *table_entry(unsigned char a, unsigned char b,
					const char *path)
{
	struct gitsrc_entry *e = xcalloc(1, sizeof(*e));

	memset(e->a.id, a, sizeof(e->a.id));
	memset(e->b.id, b, sizeof(e->b.id));
	e->path = path ? xstrdup(path) : NULL;
	e->bytes = 100;
	e->free = table_entry_free;
	return e;
}

static void test_table_keeps_within_budget(void **state)
{
	struct gitsrc_table t = { 0 };
	struct gitsrc_entry *one = table_entry(1, 2, "x.c");
	struct gitsrc_entry *two = table_entry(1, 2, NULL);
	git_oid a, b, c;
	int i;

	memset(a.id, 1, sizeof(a.id));
	memset(b.id, 2, sizeof(b.id));
	memset(c.id, 3, sizeof(c.id));
	assert_null(gitsrc_table_get(&t, &a, &b, "x.c"));
	gitsrc_table_put(&t, one, 1000);
	gitsrc_table_put(&t, two, 1000);
	assert_ptr_equal(gitsrc_table_get(&t, &a, &b, "x.c"), one);
	assert_ptr_equal(gitsrc_table_get(&t, &a, &b, NULL), two);
	assert_null(gitsrc_table_get(&t, &a, &b, "y.c"));
	assert_null(gitsrc_table_get(&t, &a, &c, "x.c"));
	/* many more: the table grows, everything still found */
	for (i = 0; i < 600; i++) {
		char path[16];

		snprintf(path, sizeof(path), "f%d", i);
		gitsrc_table_put(&t, table_entry(1, 2, path), (size_t)-1);
	}
	assert_ptr_equal(gitsrc_table_get(&t, &a, &b, "x.c"), one);
	assert_non_null(gitsrc_table_get(&t, &a, &b, "f599"));
	assert_int_equal(table_freed, 0);
	/* past the budget: all dropped, the new one kept */
	gitsrc_table_put(&t, table_entry(3, 3, NULL), 1000);
	assert_int_equal(table_freed, 602);
	assert_null(gitsrc_table_get(&t, &a, &b, "x.c"));
	assert_non_null(gitsrc_table_get(&t, &c, &c, NULL));
	gitsrc_table_clear(&t);
	assert_int_equal(table_freed, 603);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_keeps_within_budget),
		cmocka_unit_test(test_format_matches_git),
		cmocka_unit_test(test_format_content_only),
		cmocka_unit_test(test_format_refuses_merge),
		cmocka_unit_test(test_read_range_oldest_first),
		cmocka_unit_test(test_read_ids_reordered_and_deduplicated),
		cmocka_unit_test(test_read_one_spec_at_a_time),
		cmocka_unit_test(test_read_file_of_ids),
		cmocka_unit_test(test_read_bad_specs),
		cmocka_unit_test(test_read_open_range),
		cmocka_unit_test(test_is_revision),
		cmocka_unit_test(test_tree_reads_revision),
		cmocka_unit_test(test_tree_option),
		cmocka_unit_test(test_merge_clean_where_fuzz_fails),
		cmocka_unit_test(test_merge_conflict_has_diff3_markers),
		cmocka_unit_test(test_merge_judge_skips_a_certain_conflict),
		cmocka_unit_test(test_merge_judge_proof_agrees_with_the_merge),
		cmocka_unit_test(test_merge_judge_diffs_what_can_slide),
		cmocka_unit_test(test_merge_needs_a_preimage),
		cmocka_unit_test(test_octopus_base_as_libgit2),
		cmocka_unit_test(test_path_history_as_revwalk),
		cmocka_unit_test(test_path_history_shallow),
		cmocka_unit_test(test_history_kept_in_cache),
		cmocka_unit_test(test_blob_diff_as_libgit2),
		cmocka_unit_test(test_commit_trees_as_libgit2),
	};

	return cmocka_run_group_tests(tests, setup_repo, teardown_repo);
}

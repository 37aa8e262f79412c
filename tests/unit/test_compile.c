/*
 * test_compile.c - the two pure parts of --build: reading a compiler's
 * diagnostics, and giving a line of the final file to the patch and hunk
 * that added it, through a later patch that moved it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyse/compile.h"
#include "input/gitsrc.h"
#include "place/apply.h"
#include "tree/tree.h"
#include "util.h"

#include "tmpdir.h"

static void test_parse_diag(void **state)
{
	struct compile_diag d;

	assert_int_equal(compile_parse_diag(
		"/c/src/hw/vfio/ccw.c:147:5: error: 'X' undeclared (first use)",
		"/c/src", "/c/obj/s390x-softmmu", &d), 1);
	assert_string_equal(d.file, "hw/vfio/ccw.c");
	assert_int_equal(d.line, 147);
	assert_int_equal(d.col, 5);
	assert_true(d.error);
	assert_string_equal(d.message, "'X' undeclared (first use)");
	free(d.file);
	free(d.message);

	assert_int_equal(compile_parse_diag("a.c:3:9: warning: unused variable 'u'",
					    "/nowhere", "/tmp", &d), 1);
	assert_false(d.error);
	assert_string_equal(d.file, "/tmp/a.c"); /* outside the sources */
	free(d.file);
	free(d.message);

	assert_int_equal(compile_parse_diag("x.h:15:10: fatal error: cpu.h: No such file",
					    "/s", "/s", &d), 1);
	assert_true(d.error);
	assert_string_equal(d.file, "x.h");
	assert_string_equal(d.message, "cpu.h: No such file");
	free(d.file);
	free(d.message);

	assert_int_equal(compile_parse_diag("make: *** [rules.mak:69: a.o] Error 1",
					    "/s", "/s", &d), 0);
	assert_int_equal(compile_parse_diag("  CC      hw/vfio/ccw.o", "/s", "/s", &d), 0);
	assert_int_equal(compile_parse_diag("a.c: In function 'main':", "/s", "/s", &d), 0);
	assert_int_equal(compile_parse_diag("a.c:x:1: error: no line", "/s", "/s", &d), 0);
}

static const char p1[] =
	"--- a/f.c\n+++ b/f.c\n@@ -2,4 +2,6 @@\n l2\n l3\n+X1\n+X2\n l4\n l5\n";
static const char p2[] =
	"--- a/f.c\n+++ b/f.c\n@@ -1,2 +1,3 @@\n+T\n l1\n l2\n"
	"@@ -9,3 +10,3 @@\n l7\n-l8\n+L8\n l9\n";

static void test_attribute(void **state)
{
	char dir[] = "/tmp/bt-compile-XXXXXX", path[64];
	struct patch_list q = { 0 };
	struct patch_result res[2];
	struct apply_state st;
	struct tree *t;
	FILE *f;
	size_t i, patch, hunk;
	static const struct { long line; size_t patch, hunk; } want[] = {
		{ 1, 2, 1 }, { 2, 0, 0 }, { 4, 0, 0 }, { 5, 1, 1 }, { 6, 1, 1 },
		{ 7, 0, 0 }, { 10, 0, 0 }, { 11, 2, 2 }, { 12, 0, 0 }, { 13, 0, 0 },
	};

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/f.c", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	for (i = 1; i <= 10; i++)
		fprintf(f, "l%zu\n", i);
	fclose(f);
	q.v = xcalloc(2, sizeof(*q.v));
	assert_int_equal(patch_parse(&q.v[0], "p1", xstrdup(p1), strlen(p1)), 0);
	assert_int_equal(patch_parse(&q.v[1], "p2", xstrdup(p2), strlen(p2)), 0);
	q.n = q.alloc = 2;
	assert_int_equal(tree_open_dir(&t, "t", dir), 0);
	apply_state_init(&st);
	for (i = 0; i < 2; i++) {
		assert_int_equal(apply_patch(&st, t, &q.v[i], &res[i]), 0);
		assert_int_equal(res[i].verdict, V_CLEAN);
	}
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		compile_attribute(&q, res, "f.c", want[i].line, &patch, &hunk);
		if (patch != want[i].patch || hunk != want[i].hunk)
			fail_msg("line %ld: patch %zu hunk %zu, want %zu %zu",
				 want[i].line, patch, hunk, want[i].patch,
				 want[i].hunk);
	}
	compile_attribute(&q, res, "other.c", 5, &patch, &hunk);
	assert_int_equal(patch, 0);
	for (i = 0; i < 2; i++)
		patch_result_release(&res[i]);
	tree_free(t);
	patch_list_release(&q);
	remove(path);
	remove(dir);
}

static int run_in(const char *dir, const char *cmd)
{
	struct strbuf sb = STRBUF_INIT;
	int rc;

	sb_addf(&sb, "cd '%s' && { %s; } >/dev/null 2>&1", dir, cmd);
	rc = system(sb.buf);
	sb_release(&sb);
	return rc;
}

/*
 * A bare clone whose tree has a submodule (a gitlink), a symlink and an
 * executable: export writes the files as they are and leaves out the
 * submodule whose history it was not given.  libgit2's checkout into a
 * target directory refuses a bare repository with a submodule.
 */
static void test_export_bare(void **state)
{
	char top[] = "/tmp/bt-export-XXXXXX";
	struct compile_opts none = { 0 };
	struct strbuf up = STRBUF_INIT, bare = STRBUF_INIT, out = STRBUF_INIT,
		      path = STRBUF_INIT;
	struct gitsrc *g;
	char link[64];
	struct stat st;
	ssize_t n;

	assert_non_null(mkdtemp(top));
	sb_addf(&up, "%s/up", top);
	sb_addf(&bare, "%s/up.git", top);
	sb_addf(&out, "%s/out", top);
	assert_int_equal(run_in(top, "git init -q up && cd up && "
		"printf 'int main;\\n' >main.c && printf '#!/bin/sh\\n' >run.sh && "
		"chmod +x run.sh && ln -s main.c alias.c && git add . && "
		"git update-index --add --cacheinfo "
		"160000,1111111111111111111111111111111111111111,sub && "
		"git -c user.name=A -c user.email=a@x commit -q -m one && "
		"git tag v1 && cd .. && git clone -q --bare up up.git"), 0);
	assert_int_equal(gitsrc_open(&g, bare.buf), 0);
	assert_int_equal(compile_export(g, "v1", out.buf, &none), 0);
	sb_addf(&path, "%s/main.c", out.buf);
	assert_int_equal(lstat(path.buf, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	sb_reset(&path);
	sb_addf(&path, "%s/run.sh", out.buf);
	assert_int_equal(stat(path.buf, &st), 0);
	assert_true(st.st_mode & 0100);
	sb_reset(&path);
	sb_addf(&path, "%s/alias.c", out.buf);
	n = readlink(path.buf, link, sizeof(link) - 1);
	assert_int_equal(n, 6);
	link[n] = '\0';
	assert_string_equal(link, "main.c");
	assert_int_equal(compile_export(g, "no-such-rev", out.buf, &none), -1);
	gitsrc_free(g);
	assert_int_equal(tmpdir_remove(top), 0);
	sb_release(&up);
	sb_release(&bare);
	sb_release(&out);
	sb_release(&path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_diag),
		cmocka_unit_test(test_attribute),
		cmocka_unit_test(test_export_bare),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

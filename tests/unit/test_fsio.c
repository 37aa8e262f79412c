/*
 * test_fsio.c - fsio: path checks, no-follow reads and writes, modes,
 * all-or-nothing commits and recovery from a run killed half-way.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "tree/fsio.h"
#include "tree/tree.h"
#include "util.h"

#define JOURNAL ".backport-tool-journal"

struct scratch {
	char dir[PATH_MAX - 64]; /* holds tree/ and outside/ */
	char tree[PATH_MAX];
	char outside[PATH_MAX];
	struct fs_root *root;
};

static int setup(void **state)
{
	struct scratch *s = calloc(1, sizeof(*s));
	const char *tmp = getenv("TMPDIR");
	char cache[PATH_MAX];

	umask(022);
	snprintf(s->dir, sizeof(s->dir), "%s/test_fsio.XXXXXX",
		 tmp && *tmp ? tmp : P_tmpdir);
	if (!mkdtemp(s->dir))
		return -1;
	snprintf(s->tree, sizeof(s->tree), "%s/tree", s->dir);
	snprintf(s->outside, sizeof(s->outside), "%s/outside", s->dir);
	if (mkdir(s->tree, 0755) || mkdir(s->outside, 0755))
		return -1;
	/* journal records (fsio_record.c) go to the scratch area */
	snprintf(cache, sizeof(cache), "%s/cache", s->dir);
	setenv("BACKPORT_TOOL_CACHE", cache, 1);
	s->root = fs_root_open(s->tree);
	if (!s->root)
		return -1;
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	struct scratch *s = *state;
	char cmd[PATH_MAX + 16];

	fs_root_close(s->root);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", s->dir);
	if (system(cmd) != 0)
		return -1;
	free(s);
	return 0;
}

/*
 * A root keeps the directories it opened (fsroot.h), so after the tree was
 * changed behind its back -- by another process or by the test itself --
 * a command would open a new one; so do the tests.
 */
static struct fs_root *reopen_root(struct scratch *s)
{
	fs_root_close(s->root);
	s->root = fs_root_open(s->tree);
	assert_non_null(s->root);
	return s->root;
}

/* Helpers on paths relative to the scratch tree. */
static void put(struct scratch *s, const char *path, const char *text,
		mode_t mode)
{
	char full[PATH_MAX * 2];
	FILE *f;

	snprintf(full, sizeof(full), "%s/%s", s->tree, path);
	f = fopen(full, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	chmod(full, mode);
}

static void mkdir_in(struct scratch *s, const char *path)
{
	char full[PATH_MAX * 2];

	snprintf(full, sizeof(full), "%s/%s", s->tree, path);
	assert_int_equal(mkdir(full, 0755), 0);
}

static void symlink_in(struct scratch *s, const char *target, const char *path)
{
	char full[PATH_MAX * 2];

	snprintf(full, sizeof(full), "%s/%s", s->tree, path);
	assert_int_equal(symlink(target, full), 0);
}

static int exists(const char *base, const char *path)
{
	char full[PATH_MAX * 2];
	struct stat st;

	snprintf(full, sizeof(full), "%s/%s", base, path);
	return !lstat(full, &st);
}

static mode_t perm_of(struct scratch *s, const char *path)
{
	char full[PATH_MAX * 2];
	struct stat st;

	snprintf(full, sizeof(full), "%s/%s", s->tree, path);
	assert_int_equal(lstat(full, &st), 0);
	return st.st_mode;
}

static char *slurp(const char *base, const char *path)
{
	char full[PATH_MAX * 2];
	struct strbuf sb;

	snprintf(full, sizeof(full), "%s/%s", base, path);
	if (read_whole_file(full, 0, &sb) < 0)
		return NULL;
	return sb_detach(&sb, NULL);
}

static struct fs_change change(const char *path, const char *text,
			       unsigned mode)
{
	struct fs_change c = { path, text, text ? strlen(text) : 0, mode,
			       !text };
	return c;
}

/* ---- path_check ---- */

static void test_path_check_accepts(void **state)
{
	assert_int_equal(path_check("hw/s390x/css.c", "p", 1), 0);
	assert_int_equal(path_check("Makefile", "p", 1), 0);
	assert_int_equal(path_check(".gitignore", "p", 1), 0);
	assert_int_equal(path_check("debian/patches/x..y", "p", 1), 0);
	assert_int_equal(path_check("a/...", "p", 1), 0);
	assert_int_equal(path_check("dir/.backport-tool-journal", "p", 1), 0);
	assert_int_equal(path_check("caf\xc3\xa9.c", "p", 1), 0);
}

static void test_path_check_refuses(void **state)
{
	static const char *const bad[] = {
		"", "/etc/passwd", "//x", "..", "../x", "a/../../x", "a/..",
		".", "./a", "a/./b", "a//b", "a/", "a\nb", "a\tb", "a\rb",
		"\x1b[2Jx", "a\x7f", ".git/config", "sub/.GIT/hooks/pre-commit",
		".backport-tool-journal/list",
	};
	char longpath[PATH_MAX + 10];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (path_check(bad[i], "p", 1) != -1)
			fail_msg("accepted '%s'", bad[i]);
	assert_int_equal(path_check(NULL, "p", 1), -1);
	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[sizeof(longpath) - 1] = '\0';
	for (i = 100; i < sizeof(longpath) - 1; i += 100)
		longpath[i] = '/';
	assert_int_equal(path_check(longpath, "p", 1), -1);
}

/* ---- fs_read ---- */

static void test_read_regular_and_modes(void **state)
{
	struct scratch *s = *state;
	char *data;
	size_t len;
	unsigned mode;

	mkdir_in(s, "d");
	put(s, "d/a.c", "int a;\n", 0644);
	put(s, "run.sh", "#!/bin/sh\n", 0755);
	assert_int_equal(fs_read(s->root, "d/a.c", &data, &len, &mode), 0);
	assert_int_equal(len, 7);
	assert_memory_equal(data, "int a;\n", 7);
	assert_int_equal(data[len], '\0');
	assert_int_equal(mode, 0100644);
	free(data);
	assert_int_equal(fs_read(s->root, "run.sh", &data, &len, &mode), 0);
	assert_int_equal(mode, 0100755);
	free(data);
}

static void test_read_absent(void **state)
{
	struct scratch *s = *state;
	char *data;
	size_t len;
	unsigned mode;

	assert_int_equal(fs_read(s->root, "nope.c", &data, &len, &mode),
			 TREE_ENOENT);
	assert_int_equal(fs_read(s->root, "no/dir/x.c", &data, &len, &mode),
			 TREE_ENOENT);
}

static void test_read_symlink_final(void **state)
{
	struct scratch *s = *state;
	char *data;
	size_t len;
	unsigned mode;

	symlink_in(s, "../outside/secret", "link");
	assert_int_equal(fs_read(s->root, "link", &data, &len, &mode), 0);
	assert_int_equal(mode, 0120000);
	assert_string_equal(data, "../outside/secret");
	assert_int_equal(len, strlen("../outside/secret"));
	free(data);
}

static void test_read_refuses_symlinked_dir(void **state)
{
	struct scratch *s = *state;
	char *data = NULL;
	size_t len;
	unsigned mode;
	FILE *f;
	char secret[PATH_MAX + 16];

	snprintf(secret, sizeof(secret), "%s/secret", s->outside);
	f = fopen(secret, "w");
	fputs("password\n", f);
	fclose(f);
	symlink_in(s, s->outside, "out");
	assert_int_equal(fs_read(s->root, "out/secret", &data, &len, &mode),
			 -1);
	assert_null(data);
}

static void test_read_refuses_fifo_and_dir(void **state)
{
	struct scratch *s = *state;
	char full[PATH_MAX * 2];
	char *data;
	size_t len;
	unsigned mode;

	snprintf(full, sizeof(full), "%s/fifo", s->tree);
	assert_int_equal(mkfifo(full, 0644), 0);
	mkdir_in(s, "dir");
	/* must return at once, not block opening the fifo */
	assert_int_equal(fs_read(s->root, "fifo", &data, &len, &mode), -1);
	assert_int_equal(fs_read(s->root, "dir", &data, &len, &mode), -1);
	put(s, "file", "x\n", 0644);
	assert_int_equal(fs_read(s->root, "file/sub", &data, &len, &mode), -1);
}

/* ---- fs_commit ---- */

static void test_commit_create_modify_modes(void **state)
{
	struct scratch *s = *state;
	struct fs_change c[3];
	char *t;

	put(s, "old.c", "old\n", 0755);
	c[0] = change("new/deep/dir/f.c", "new\n", 0100644);
	c[1] = change("old.c", "changed\n", 0100644);
	c[2] = change("tools/run", "#!/bin/sh\n", 0100755);
	assert_int_equal(fs_commit(s->root, c, 3, NULL), 0);
	t = slurp(s->tree, "new/deep/dir/f.c");
	assert_string_equal(t, "new\n");
	free(t);
	t = slurp(s->tree, "old.c");
	assert_string_equal(t, "changed\n");
	free(t);
	assert_int_equal(perm_of(s, "old.c") & 07777, 0644);
	assert_int_equal(perm_of(s, "tools/run") & 07777, 0755);
	assert_int_equal(perm_of(s, "new/deep/dir/f.c") & 07777, 0644);
	assert_false(exists(s->tree, JOURNAL));
}

static void test_commit_keeps_permissions(void **state)
{
	struct scratch *s = *state;
	struct fs_change c[3];

	put(s, "private", "secret\n", 0600);
	put(s, "group", "x\n", 0640);
	put(s, "tool", "#!/bin/sh\n", 0750);
	c[0] = change("private", "still secret\n", 0100644);
	c[1] = change("group", "#!/bin/sh\n", 0100755);
	c[2] = change("tool", "not a tool\n", 0100644);
	assert_int_equal(fs_commit(s->root, c, 3, NULL), 0);
	assert_int_equal(perm_of(s, "private") & 07777, 0600);
	assert_int_equal(perm_of(s, "group") & 07777, 0750);
	assert_int_equal(perm_of(s, "tool") & 07777, 0640);
}

static void test_commit_empty_file_and_binary(void **state)
{
	struct scratch *s = *state;
	struct fs_change c = { "bin", "a\0b\n", 4, 0100644, 0 };
	struct fs_change e = { "empty", NULL, 0, 0100644, 0 };
	char *data;
	size_t len;
	unsigned mode;

	assert_int_equal(fs_commit(s->root, &c, 1, NULL), 0);
	assert_int_equal(fs_commit(s->root, &e, 1, NULL), 0);
	assert_int_equal(fs_read(s->root, "bin", &data, &len, &mode), 0);
	assert_int_equal(len, 4);
	assert_memory_equal(data, "a\0b\n", 4);
	free(data);
	assert_int_equal(fs_read(s->root, "empty", &data, &len, &mode), 0);
	assert_int_equal(len, 0);
	free(data);
}

static void test_commit_delete_removes_empty_dirs(void **state)
{
	struct scratch *s = *state;
	struct fs_change c[2];

	mkdir_in(s, "a");
	mkdir_in(s, "a/b");
	put(s, "a/b/only.c", "x\n", 0644);
	mkdir_in(s, "keep");
	put(s, "keep/one.c", "1\n", 0644);
	put(s, "keep/two.c", "2\n", 0644);
	c[0] = change("a/b/only.c", NULL, 0);
	c[1] = change("keep/one.c", NULL, 0);
	assert_int_equal(fs_commit(s->root, c, 2, NULL), 0);
	assert_false(exists(s->tree, "a"));
	assert_false(exists(s->tree, "keep/one.c"));
	assert_true(exists(s->tree, "keep/two.c"));
	assert_true(exists(s->dir, "tree"));
}

/* A directory removed by one commit is made again by the next, same root. */
static void test_commit_recreates_removed_dir(void **state)
{
	struct scratch *s = *state;
	struct fs_change c = change("a/b/only.c", NULL, 0);
	char *data;
	size_t len;
	unsigned mode;

	mkdir_in(s, "a");
	mkdir_in(s, "a/b");
	put(s, "a/b/only.c", "x\n", 0644);
	assert_int_equal(fs_read(s->root, "a/b/only.c", &data, &len, &mode), 0);
	free(data);
	assert_int_equal(fs_commit(s->root, &c, 1, NULL), 0);
	assert_false(exists(s->tree, "a"));
	c = change("a/b/new.c", "y\n", 0100644);
	assert_int_equal(fs_commit(s->root, &c, 1, NULL), 0);
	data = slurp(s->tree, "a/b/new.c");
	assert_string_equal(data, "y\n");
	free(data);
}

static ino_t ino_of_fd(int fd)
{
	struct stat st;

	assert_int_equal(fstat(fd, &st), 0);
	return st.st_ino;
}

/*
 * The root keeps what it opened until told: a directory swapped behind its
 * back is still the old one, and forgetting "a/b" drops "a/b/c" with it
 * but not its neighbours "a/b-c" and "a/bc".
 */
static void test_root_keeps_and_forgets(void **state)
{
	static const char *const dirs[] = { "a", "a/b", "a/b/c", "a/b-c", "a/bc" };
	struct scratch *s = *state;
	ino_t old[5];
	char from[PATH_MAX * 2], to[PATH_MAX * 2];
	size_t i;

	for (i = 0; i < 5; i++)
		mkdir_in(s, dirs[i]);
	for (i = 0; i < 5; i++)
		old[i] = ino_of_fd(fs_root_dir(s->root, dirs[i],
					       strlen(dirs[i]), 0));
	/* replace every one below "a" by a new directory of the same name */
	for (i = 1; i < 5; i++) {
		if (i == 2)
			continue; /* a/b/c goes with a/b */
		snprintf(from, sizeof(from), "%s/%s", s->tree, dirs[i]);
		snprintf(to, sizeof(to), "%s/moved%zu", s->dir, i);
		assert_int_equal(rename(from, to), 0);
	}
	for (i = 1; i < 5; i++)
		mkdir_in(s, dirs[i]);
	for (i = 0; i < 5; i++)
		assert_true(ino_of_fd(fs_root_dir(s->root, dirs[i],
						  strlen(dirs[i]), 0)) ==
			    old[i]);
	fs_root_forget(s->root, "a/b", 3);
	for (i = 0; i < 5; i++) {
		int same = ino_of_fd(fs_root_dir(s->root, dirs[i],
						 strlen(dirs[i]), 0)) == old[i];
		assert_int_equal(same, i != 1 && i != 2);
	}
}

/* More directories than the root keeps open: still right, fds bounded. */
static void test_root_many_dirs(void **state)
{
	enum { NDIRS = 700 };
	struct scratch *s = *state;
	static char paths[NDIRS][32];
	static struct fs_change c[NDIRS];
	char name[32], *data;
	size_t i, len;
	unsigned mode;
	int probe;

	for (i = 0; i < NDIRS; i++) {
		snprintf(name, sizeof(name), "d%zu", i);
		mkdir_in(s, name);
		snprintf(paths[i], sizeof(paths[i]), "d%zu/f.c", i);
		put(s, paths[i], "old\n", 0644);
	}
	for (i = 0; i < NDIRS; i++) {
		assert_int_equal(fs_read(s->root, paths[i], &data, &len, &mode),
				 0);
		free(data);
		c[i] = change(paths[i], "new\n", 0100644);
	}
	assert_int_equal(fs_commit(s->root, c, NDIRS, NULL), 0);
	for (i = 0; i < NDIRS; i++) {
		data = slurp(s->tree, paths[i]);
		assert_string_equal(data, "new\n");
		free(data);
	}
	/* the lowest free fd shows how many are held (cmocka's included) */
	probe = open("/dev/null", O_RDONLY | O_CLOEXEC);
	assert_true(probe >= 0 && probe < 300);
	close(probe);
}

static void test_commit_delete_missing_refused(void **state)
{
	struct scratch *s = *state;
	struct fs_change c[2];

	c[0] = change("new.c", "x\n", 0100644);
	c[1] = change("gone.c", NULL, 0);
	assert_int_equal(fs_commit(s->root, c, 2, NULL), -1);
	assert_false(exists(s->tree, "new.c"));
	assert_false(exists(s->tree, JOURNAL));
}

static void test_commit_refuses_leading_symlink(void **state)
{
	struct scratch *s = *state;
	struct fs_change c[2];

	/* CVE-2015-1196 style: a directory symlink pointing out of the tree */
	symlink_in(s, s->outside, "out");
	c[0] = change("first.c", "x\n", 0100644);
	c[1] = change("out/pwned", "owned\n", 0100644);
	assert_int_equal(fs_commit(s->root, c, 2, NULL), -1);
	assert_false(exists(s->outside, "pwned"));
	assert_false(exists(s->tree, "first.c"));
	assert_false(exists(s->tree, JOURNAL));
}

static void test_commit_refuses_replacing_symlink(void **state)
{
	struct scratch *s = *state;
	struct fs_change c = change("link", "data\n", 0100644);
	char *t;
	char target[PATH_MAX + 16];
	FILE *f;

	snprintf(target, sizeof(target), "%s/victim", s->outside);
	f = fopen(target, "w");
	fputs("untouched\n", f);
	fclose(f);
	symlink_in(s, target, "link");
	assert_int_equal(fs_commit(s->root, &c, 1, NULL), -1);
	t = slurp(s->outside, "victim");
	assert_string_equal(t, "untouched\n");
	free(t);
	assert_int_equal(perm_of(s, "link") & S_IFMT, S_IFLNK);
	c.deleted = 1;
	assert_int_equal(fs_commit(s->root, &c, 1, NULL), -1);
	assert_true(exists(s->tree, "link"));
}

static void test_commit_symlinks_only_when_allowed(void **state)
{
	struct scratch *s = *state;
	struct fs_commit_opts allow = { 1 };
	struct fs_change c = change("l", "target/x", 0120000);
	char buf[64];
	ssize_t n;
	char full[PATH_MAX * 2];

	assert_int_equal(fs_commit(s->root, &c, 1, NULL), -1);
	assert_false(exists(s->tree, "l"));
	assert_int_equal(fs_commit(s->root, &c, 1, &allow), 0);
	snprintf(full, sizeof(full), "%s/l", s->tree);
	n = readlink(full, buf, sizeof(buf));
	assert_int_equal(n, 8);
	assert_memory_equal(buf, "target/x", 8);
	/* with allow_symlinks, the symlink itself may be changed or removed */
	c = change("l", "other", 0120000);
	assert_int_equal(fs_commit(s->root, &c, 1, &allow), 0);
	n = readlink(full, buf, sizeof(buf));
	assert_int_equal(n, 5);
	c = change("l", NULL, 0);
	assert_int_equal(fs_commit(s->root, &c, 1, &allow), 0);
	assert_false(exists(s->tree, "l"));
}

static void test_commit_refuses_write_below_new_symlink(void **state)
{
	struct scratch *s = *state;
	struct fs_commit_opts allow = { 1 };
	struct fs_change c[2];

	/* CVE-2023-23946 style: one change set makes "l" a symlink and
	   writes "l/x"; that would land in the symlink's target */
	c[0] = change("l", s->outside, 0120000);
	c[1] = change("l/x", "pwned\n", 0100644);
	assert_int_equal(fs_commit(s->root, c, 2, &allow), -1);
	assert_false(exists(s->tree, "l"));
	assert_false(exists(s->outside, "x"));
}

static void test_commit_refuses_bad_input(void **state)
{
	struct scratch *s = *state;
	struct fs_change c[2];

	c[0] = change("a.c", "1\n", 0100644);
	c[1] = change("a.c", "2\n", 0100644);
	assert_int_equal(fs_commit(s->root, c, 2, NULL), -1);
	c[1] = change("../escape", "2\n", 0100644);
	assert_int_equal(fs_commit(s->root, c, 2, NULL), -1);
	assert_false(exists(s->dir, "escape"));
	c[1] = change("b.c", "2\n", 0100600);
	assert_int_equal(fs_commit(s->root, c, 2, NULL), -1);
	c[1] = change(JOURNAL "/list", "2\n", 0100644);
	assert_int_equal(fs_commit(s->root, c, 2, NULL), -1);
	assert_false(exists(s->tree, "a.c"));
	assert_false(exists(s->tree, JOURNAL));
}

static void test_commit_refuses_non_regular(void **state)
{
	struct scratch *s = *state;
	struct fs_change c[2];
	char full[PATH_MAX * 2];

	snprintf(full, sizeof(full), "%s/fifo", s->tree);
	assert_int_equal(mkfifo(full, 0644), 0);
	mkdir_in(s, "dir");
	c[0] = change("ok.c", "1\n", 0100644);
	c[1] = change("fifo", "2\n", 0100644);
	assert_int_equal(fs_commit(s->root, c, 2, NULL), -1);
	assert_int_equal(perm_of(s, "fifo") & S_IFMT, S_IFIFO);
	c[1] = change("dir", "2\n", 0100644);
	assert_int_equal(fs_commit(s->root, c, 2, NULL), -1);
	assert_int_equal(perm_of(s, "dir") & S_IFMT, S_IFDIR);
	assert_false(exists(s->tree, "ok.c"));
}

static void test_commit_file_becomes_dir(void **state)
{
	struct scratch *s = *state;
	struct fs_change c[2];
	char *t;

	put(s, "a", "file\n", 0644);
	c[0] = change("a", NULL, 0);
	c[1] = change("a/b", "inside\n", 0100644);
	assert_int_equal(fs_commit(s->root, c, 2, NULL), 0);
	t = slurp(s->tree, "a/b");
	assert_string_equal(t, "inside\n");
	free(t);
	/* without the deletion it is refused */
	put(s, "f", "file\n", 0644);
	c[0] = change("f/g", "x\n", 0100644);
	assert_int_equal(fs_commit(s->root, c, 1, NULL), -1);
}

static void test_commit_refuses_when_journal_exists(void **state)
{
	struct scratch *s = *state;
	struct fs_change c = change("x.c", "x\n", 0100644);

	mkdir_in(s, JOURNAL);
	assert_int_equal(fs_commit(s->root, &c, 1, NULL), -1);
	assert_false(exists(s->tree, "x.c"));
	/* an empty journal (killed before its list) is simply removed */
	assert_int_equal(fs_recover(s->root), 1);
	assert_false(exists(s->tree, JOURNAL));
	assert_int_equal(fs_commit(s->root, &c, 1, NULL), 0);
	assert_int_equal(fs_recover(s->root), 0);
}

/* ---- fs_recover ---- */

static void write_at(struct scratch *s, const char *path, const char *text)
{
	put(s, path, text, 0644);
}

#define NONCE "0123456789abcdef0123456789abcdef"

/* The record fs_commit keeps outside the tree (fsio_record.c). */
static void write_record(struct scratch *s, const char *list)
{
	char path[PATH_MAX * 2];
	struct stat st;
	FILE *f;

	snprintf(path, sizeof(path), "mkdir -p '%s/cache/journals'", s->dir);
	assert_int_equal(system(path), 0);
	snprintf(path, sizeof(path), "%s/cache/journals/" NONCE, s->dir);
	assert_int_equal(stat(s->tree, &st), 0);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "backport-tool journal record 1\ntree %llu %llu\n%s",
		(unsigned long long)st.st_dev, (unsigned long long)st.st_ino,
		list);
	fclose(f);
}

static void test_recover_hand_made_journal(void **state)
{
	struct scratch *s = *state;
	const char *list = "backport-tool journal 2\n"
			   "nonce " NONCE "\n"
			   "d made\n"
			   "c 0 bw mod.c\n"
			   "c 1 nw made/new.c\n"
			   "c 2 bd sub/del.c\n"
			   "c 3 bw later.c\n";
	char *t;

	/* The state of a run killed after renaming 0.new and deleting "del",
	   before renaming 3.new: undo must restore all three. */
	put(s, "mod.c", "new\n", 0644);        /* 0: already replaced */
	mkdir_in(s, "made");
	put(s, "made/new.c", "new\n", 0644);   /* 1: created */
	put(s, "later.c", "orig later\n", 0644);/* 3: not yet replaced */
	mkdir_in(s, JOURNAL);
	/* as an earlier backport-tool wrote it: the nonce in a file */
	write_at(s, JOURNAL "/nonce", NONCE "\n");
	write_at(s, JOURNAL "/0.old", "orig mod\n");
	write_at(s, JOURNAL "/2.old", "orig del\n");
	write_at(s, JOURNAL "/3.new", "new later\n");
	write_at(s, JOURNAL "/3.old", "orig later\n");
	write_at(s, JOURNAL "/list", list);
	/* without its record the same journal is not obeyed */
	assert_int_equal(fs_recover(s->root), -1);
	t = slurp(s->tree, "mod.c");
	assert_string_equal(t, "new\n");
	free(t);
	write_record(s, list);
	assert_int_equal(fs_recover(s->root), 1);
	t = slurp(s->tree, "mod.c");
	assert_string_equal(t, "orig mod\n");
	free(t);
	t = slurp(s->tree, "sub/del.c");
	assert_string_equal(t, "orig del\n");
	free(t);
	t = slurp(s->tree, "later.c");
	assert_string_equal(t, "orig later\n");
	free(t);
	assert_false(exists(s->tree, "made"));
	assert_false(exists(s->tree, JOURNAL));
	assert_int_equal(fs_recover(s->root), 0);
}

/* A journal naming two records is not guessed at: neither is tried. */
static void test_recover_refuses_two_nonces(void **state)
{
	struct scratch *s = *state;
	const char *list = "backport-tool journal 2\n"
			   "nonce " NONCE "\n"
			   "c 0 bw mod.c\n";
	char path[PATH_MAX * 2], *t;

	put(s, "mod.c", "new\n", 0644);
	mkdir_in(s, JOURNAL);
	write_at(s, JOURNAL "/nonce." NONCE, "");
	write_at(s, JOURNAL "/nonce.fedcba9876543210fedcba9876543210", "");
	write_at(s, JOURNAL "/0.old", "orig mod\n");
	write_at(s, JOURNAL "/list", list);
	write_record(s, list);
	assert_int_equal(fs_recover(s->root), -1);
	t = slurp(s->tree, "mod.c");
	assert_string_equal(t, "new\n");
	free(t);
	assert_true(exists(s->tree, JOURNAL "/list"));
	/* one of them gone: the journal is proven, and undone */
	snprintf(path, sizeof(path), "%s/" JOURNAL
		 "/nonce.fedcba9876543210fedcba9876543210", s->tree);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(fs_recover(s->root), 1);
	t = slurp(s->tree, "mod.c");
	assert_string_equal(t, "orig mod\n");
	free(t);
}

static void test_recover_refuses_hostile_journal(void **state)
{
	struct scratch *s = *state;
	char *t;
	char victim[PATH_MAX + 16];
	FILE *f;

	snprintf(victim, sizeof(victim), "%s/victim", s->outside);
	f = fopen(victim, "w");
	fputs("keep me\n", f);
	fclose(f);
	symlink_in(s, s->outside, "out");
	mkdir_in(s, JOURNAL);
	write_at(s, JOURNAL "/list",
		 "backport-tool journal 1\n"
		 "c 0 n ../outside/victim\n");
	assert_int_equal(fs_recover(s->root), -1);
	write_at(s, JOURNAL "/list",
		 "backport-tool journal 1\n"
		 "c 0 n out/victim\n");
	assert_int_equal(fs_recover(s->root), -1);
	write_at(s, JOURNAL "/list", "garbage\n");
	assert_int_equal(fs_recover(s->root), -1);
	t = slurp(s->outside, "victim");
	assert_string_equal(t, "keep me\n");
	free(t);
	assert_true(exists(s->tree, JOURNAL));
}

/*
 * Kill a child in the middle of a large commit, at many points, and check
 * that after fs_recover() the tree is exactly its old or its new state.
 */
#define NFILES 120

static void tree_state(struct scratch *s, char *out, size_t size)
{
	char cmd[PATH_MAX + 128];
	FILE *p;
	size_t n;

	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && find . -printf '%%p %%y %%m\\n' | sort && "
		 "find . -type f | sort | xargs -r cat", s->tree);
	p = popen(cmd, "r");
	assert_non_null(p);
	n = fread(out, 1, size - 1, p);
	out[n] = '\0';
	pclose(p);
}

static void make_changes(struct fs_change *c, char (*paths)[32],
			 char (*texts)[32])
{
	size_t i;

	/* every 5th an existing file deleted, every 4th other a new file
	   in new directories, the rest existing files changed */
	for (i = 0; i < NFILES; i++) {
		if (i % 4 == 0 && i % 5)
			snprintf(paths[i], 32, "n%zu/sub/f%zu.c", i % 3, i);
		else
			snprintf(paths[i], 32, "d%zu/f%zu.c", i % 7, i);
		snprintf(texts[i], 32, "new %zu\n", i);
		if (i % 5 == 0)
			c[i] = change(paths[i], NULL, 0);
		else
			c[i] = change(paths[i], texts[i],
				      i % 3 ? 0100644 : 0100755);
	}
}

static void reset_old_state(struct scratch *s, char (*paths)[32])
{
	char cmd[PATH_MAX * 2];
	size_t i;

	snprintf(cmd, sizeof(cmd), "cd '%s' && rm -rf ./* && "
		 "for d in 0 1 2 3 4 5 6; do mkdir d$d; done", s->tree);
	assert_int_equal(system(cmd), 0);
	for (i = 0; i < NFILES; i++)
		if (paths[i][0] == 'd')
			put(s, paths[i], "old\n", 0644);
}

/* Commit in a child; kill it after delay_us (never when negative).
   Returns the microseconds the child lived. */
static long commit_in_child(struct scratch *s, const struct fs_change *c,
			    long delay_us)
{
	struct timespec t0, t1;
	int status;
	pid_t pid;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		struct fs_root *root = fs_root_open(s->tree);
		_exit(root && !fs_commit(root, c, NFILES, NULL) ? 0 : 1);
	}
	if (delay_us >= 0) {
		usleep((useconds_t)delay_us);
		kill(pid, SIGKILL);
	}
	waitpid(pid, &status, 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (delay_us < 0)
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	return (t1.tv_sec - t0.tv_sec) * 1000000L +
	       (t1.tv_nsec - t0.tv_nsec) / 1000L;
}

static void test_recover_after_kill(void **state)
{
	struct scratch *s = *state;
	static char paths[NFILES][32], texts[NFILES][32];
	static struct fs_change c[NFILES];
	static char before[1 << 16], after[1 << 16], now[1 << 16];
	int run, saw_old = 0, saw_new = 0, saw_journal = 0;
	long span;

	make_changes(c, paths, texts);
	reset_old_state(s, paths);
	tree_state(s, before, sizeof(before));
	/* a whole commit in a child, to time it as the killed ones run */
	span = commit_in_child(s, c, -1);
	tree_state(s, after, sizeof(after));
	assert_string_not_equal(before, after);
	assert_int_equal(fs_recover(s->root), 0);
	/* kill anywhere from the start to a little after the end */
	span = span * 6 / 5 + 1000;
	srand((unsigned)time(NULL));
	for (run = 0; run < 30; run++) {
		reset_old_state(s, paths);
		tree_state(s, now, sizeof(now));
		assert_string_equal(now, before);
		commit_in_child(s, c, rand() % span);
		if (exists(s->tree, JOURNAL))
			saw_journal++;
		assert_true(fs_recover(reopen_root(s)) >= 0);
		assert_false(exists(s->tree, JOURNAL));
		tree_state(s, now, sizeof(now));
		if (!strcmp(now, before))
			saw_old++;
		else if (!strcmp(now, after))
			saw_new++;
		else
			fail_msg("run %d: tree is neither old nor new:\n%s", run,
				 now);
	}
	print_message("# kill runs over %ld us: %d old, %d new, %d with a "
		      "journal\n", span, saw_old, saw_new, saw_journal);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_check_accepts),
		cmocka_unit_test(test_path_check_refuses),
		cmocka_unit_test_setup_teardown(test_read_regular_and_modes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_absent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_symlink_final, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_refuses_symlinked_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_refuses_fifo_and_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_commit_create_modify_modes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_commit_keeps_permissions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_commit_empty_file_and_binary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_commit_delete_removes_empty_dirs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_commit_recreates_removed_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_root_keeps_and_forgets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_root_many_dirs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_commit_delete_missing_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_commit_refuses_leading_symlink, setup, teardown),
		cmocka_unit_test_setup_teardown(test_commit_refuses_replacing_symlink, setup, teardown),
		cmocka_unit_test_setup_teardown(test_commit_symlinks_only_when_allowed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_commit_refuses_write_below_new_symlink, setup, teardown),
		cmocka_unit_test_setup_teardown(test_commit_refuses_bad_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_commit_refuses_non_regular, setup, teardown),
		cmocka_unit_test_setup_teardown(test_commit_file_becomes_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_commit_refuses_when_journal_exists, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recover_hand_made_journal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recover_refuses_two_nonces, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recover_refuses_hostile_journal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recover_after_kill, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

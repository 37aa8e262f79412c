/*
 * compile_cache.c - the build cache: a target revision exported (with the
 * submodules its build needs) and configured once, QEMU for the targets the
 * queue touches; and the file and command helpers the build runs with.
 */
#include "analyse/compile_int.h"

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>

/* ---- files -------------------------------------------------------- */

int compile_pathf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	return remove(path) < 0 && errno != ENOENT ? -1 : 0;
}

static int rm_rf(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	return nftw(path, rm_one, 32, FTW_DEPTH | FTW_PHYS);
}

int compile_write_file(const char *path, const char *data, size_t len,
		      unsigned mode)
{
	char dir[PATH_MAX];
	char *slash;
	FILE *f;

	compile_pathf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash) {
		*slash = '\0';
		if (mkdir_p(dir) < 0)
			return -1;
	}
	unlink(path);
	if (mode == 0120000) {
		char *target = xstrndup(data, len);
		int rc = symlink(target, path);

		free(target);
		return rc < 0 ? error("cannot create %s: %s", path, strerror(errno)) : 0;
	}
	f = fopen(path, "wb");
	if (!f || (len && fwrite(data, 1, len, f) != len) || fclose(f) != 0)
		return error("cannot write %s: %s", path, strerror(errno));
	chmod(path, mode & 0111 ? 0755 : 0644);
	return 0;
}

int compile_read_file(const char *path, struct strbuf *out)
{
	FILE *f = fopen(path, "rb");
	char buf[65536];
	size_t n;

	if (!f)
		return -1;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sb_add(out, buf, n);
	fclose(f);
	return 0;
}

static int exists(const char *dir, const char *name)
{
	char path[PATH_MAX];
	struct stat st;

	compile_pathf(path, sizeof(path), "%s/%s", dir, name);
	return stat(path, &st) == 0;
}

/* ---- exporting a revision ---------------------------------------- */

struct export_ctx {
	git_repository *repo;
	const char *dest;
	const struct compile_opts *o;
	const char *repo_path;
	const char *prefix;     /* of this (sub)tree in the top tree */
	int rc;
};

static int export_tree(git_repository *repo, const git_oid *tree_id,
		       const char *dest, const struct compile_opts *o,
		       const char *repo_path, const char *prefix);

/* The history of the submodule at path: an option, or REPO/modules/PATH. */
static git_repository *submodule_repo(const struct compile_opts *o,
				      const char *repo_path, const char *path)
{
	git_repository *r = NULL;
	char buf[PATH_MAX];
	size_t i, n = strlen(path);

	for (i = 0; i < o->nsubmodules; i++) {
		const char *s = o->submodules[i];

		if (!strncmp(s, path, n) && s[n] == '=')
			return git_repository_open(&r, s + n + 1) == 0 ? r : NULL;
	}
	compile_pathf(buf, sizeof(buf), "%s/modules/%s", repo_path, path);
	if (git_repository_open(&r, buf) == 0)
		return r;
	compile_pathf(buf, sizeof(buf), "%s/.git/modules/%s", repo_path, path);
	if (git_repository_open(&r, buf) == 0)
		return r;
	return NULL;
}

static int export_cb(const char *root, const git_tree_entry *e, void *data)
{
	struct export_ctx *x = data;
	char path[PATH_MAX], rel[PATH_MAX];
	git_object_t type = git_tree_entry_type(e);

	compile_pathf(rel, sizeof(rel), "%s%s", root, git_tree_entry_name(e));
	compile_pathf(path, sizeof(path), "%s/%s", x->dest, rel);
	if (type == GIT_OBJECT_TREE)
		return mkdir_p(path) < 0 ? (x->rc = -1) : 0;
	if (type == GIT_OBJECT_BLOB) {
		git_blob *b;
		int rc;

		if (git_blob_lookup(&b, x->repo, git_tree_entry_id(e)) < 0)
			return x->rc = -1;
		rc = compile_write_file(path, git_blob_rawcontent(b),
				(size_t)git_blob_rawsize(b),
				(unsigned)git_tree_entry_filemode(e));
		git_blob_free(b);
		return rc < 0 ? (x->rc = -1) : 0;
	}
	if (type == GIT_OBJECT_COMMIT) { /* a submodule */
		char full[PATH_MAX];
		git_repository *sub;
		git_commit *c;
		int rc = 0;

		compile_pathf(full, sizeof(full), "%s%s", x->prefix, rel);
		sub = submodule_repo(x->o, x->repo_path, full);
		if (!sub)
			return 0; /* left out; configure says if it needs it */
		if (git_commit_lookup(&c, sub, git_tree_entry_id(e)) == 0) {
			char pre[PATH_MAX];

			compile_pathf(pre, sizeof(pre), "%s/", full);
			rc = export_tree(sub, git_commit_tree_id(c), path, x->o,
					 x->repo_path, pre);
			git_commit_free(c);
		}
		git_repository_free(sub);
		return rc < 0 ? (x->rc = -1) : 0;
	}
	return 0;
}

static int export_tree(git_repository *repo, const git_oid *tree_id,
		       const char *dest, const struct compile_opts *o,
		       const char *repo_path, const char *prefix)
{
	struct export_ctx x = { repo, dest, o, repo_path, prefix, 0 };
	git_tree *t;
	int rc;

	if (mkdir_p(dest) < 0 || git_tree_lookup(&t, repo, tree_id) < 0)
		return error("cannot export %s", dest);
	rc = git_tree_walk(t, GIT_TREEWALK_PRE, export_cb, &x);
	git_tree_free(t);
	return rc < 0 || x.rc < 0 ? -1 : 0;
}

int compile_export(struct gitsrc *g, const char *rev, const char *dest,
		   const struct compile_opts *o)
{
	git_object *obj = NULL;
	git_commit *commit = NULL;
	int rc = -1;

	if (git_revparse_single(&obj, gitsrc_repository(g), rev) < 0 ||
	    git_object_peel((git_object **)&commit, obj, GIT_OBJECT_COMMIT) < 0)
		error("'%s' is not a revision of %s", rev, gitsrc_path(g));
	else
		rc = export_tree(gitsrc_repository(g), git_commit_tree_id(commit),
				 dest, o, gitsrc_path(g), "");
	git_commit_free(commit);
	git_object_free(obj);
	return rc;
}

/* ---- running commands --------------------------------------------- */

/* Run argv in dir; its output is appended to out and to the log. */
int compile_run(const char *const *argv, const char *dir, FILE *log,
	       struct strbuf *out)
{
	int fd[2], status;
	pid_t pid;
	char buf[8192];
	ssize_t n;
	size_t i;

	fprintf(log, "$ cd %s &&", dir);
	for (i = 0; argv[i]; i++)
		fprintf(log, " %s", argv[i]);
	fputc('\n', log);
	fflush(log);
	if (pipe(fd) < 0)
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		if (null >= 0)
			dup2(null, 0);
		dup2(fd[1], 1);
		dup2(fd[1], 2);
		close(fd[0]);
		close(fd[1]);
		if (chdir(dir) < 0)
			_exit(126);
		setenv("LC_ALL", "C", 1); /* messages as the parser reads them */
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(fd[1]);
	while ((n = read(fd[0], buf, sizeof(buf))) > 0) {
		fwrite(buf, 1, (size_t)n, log);
		if (out)
			sb_add(out, buf, (size_t)n);
	}
	close(fd[0]);
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	fflush(log);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* ---- the cache ------------------------------------------------------ */

static int is_qemu(const char *src)
{
	return exists(src, "configure") && exists(src, "VERSION") &&
	       exists(src, "qemu-options.hx");
}

/* QEMU's --target-list for the architectures the queue touches. */
void compile_guess_targets(const struct patch_list *q, struct strbuf *out)
{
	static const struct { const char *needle, *target; } arch[] = {
		{ "s390", "s390x-softmmu" }, { "/ccw", "s390x-softmmu" },
		{ "target/i386/", "x86_64-softmmu" }, { "target/arm/", "aarch64-softmmu" },
		{ "target/ppc/", "ppc64-softmmu" }, { "target/riscv/", "riscv64-softmmu" },
		{ "target/mips/", "mips64el-softmmu" },
	};
	size_t i, f, a;

	for (i = 0; i < q->n; i++)
		for (f = 0; f < q->v[i].nfiles; f++) {
			const char *path = file_diff_target(&q->v[i].files[f],
					patch_strip_level(&q->v[i]));

			for (a = 0; path && a < sizeof(arch) / sizeof(arch[0]); a++)
				if (strstr(path, arch[a].needle) &&
				    !strstr(path, "linux-headers/") &&
				    !strstr(out->buf ? out->buf : "", arch[a].target)) {
					sb_addf(out, "%s%s", out->len ? "," : "",
						arch[a].target);
				}
		}
}

/* Export the sources and configure them; the log is configure.log. */
static int cache_configure(const struct compile_opts *o, struct gitsrc *g,
			   const git_oid *commit_tree, const char *dir,
			   const char *src, const char *obj, const char *targets,
			   FILE *log, struct compile_result *out,
			   struct strbuf *objdir)
{
	if (rm_rf(src) < 0 || rm_rf(obj) < 0 ||
	    export_tree(gitsrc_repository(g), commit_tree, src, o,
			gitsrc_path(g), "") < 0) {
		out->error = xstrdup("cannot export the target's sources");
		return -1;
	}
	if (is_qemu(src)) {
		struct strbuf tl = STRBUF_INIT;
		const char *argv[] = { "../src/configure", NULL,
			"--disable-werror", "--disable-docs", "--disable-tools",
			"--disable-guest-agent", "--disable-slirp",
			"--disable-capstone", "--disable-gtk", "--disable-sdl",
			"--disable-vnc", "--disable-xen", "--disable-spice",
			"--disable-opengl", "--disable-libusb", "--disable-user",
			"--python=python3", NULL };
		const char *prep[] = { "make", "Makefile", NULL };
		char *first;

		if (!*targets)
			targets = "x86_64-softmmu";
		sb_addf(&tl, "--target-list=%s", targets);
		argv[1] = tl.buf;
		if (mkdir_p(obj) < 0 || compile_run(argv, obj, log, NULL) != 0) {
			sb_release(&tl);
			out->error = xstrdup("configure failed (see configure.log)");
			return -1;
		}
		sb_release(&tl);
		/* the generated headers every object needs */
		if (compile_run(prep, obj, log, NULL) != 0) {
			out->error = xstrdup("generating QEMU's headers failed "
					     "(see configure.log)");
			return -1;
		}
		first = xstrndup(targets, strcspn(targets, ","));
		sb_addf(objdir, "obj/%s", first);
		free(first);
	} else if (exists(src, "configure")) {
		const char *argv[] = { "./configure", NULL };

		if (compile_run(argv, src, log, NULL) != 0) {
			out->error = xstrdup("configure failed (see configure.log)");
			return -1;
		}
		sb_addstr(objdir, "src");
	} else if (exists(src, "Makefile") || exists(src, "makefile")) {
		sb_addstr(objdir, "src");
	} else {
		out->error = xstrdup("the target has no configure script or "
				     "Makefile to build with");
		return -1;
	}
	return 0;
}

/*
 * Export and configure once; the stamp file holds the directory make
 * runs in for objects, relative to dir.  0, or -1 with out->error set.
 */
int compile_cache_prepare(const struct compile_opts *o, struct gitsrc *g,
			 const git_oid *commit_tree, const char *dir,
			 const char *targets, struct compile_result *out,
			 struct strbuf *objdir)
{
	char src[PATH_MAX], obj[PATH_MAX], stamp[PATH_MAX];
	struct strbuf sb = STRBUF_INIT;
	FILE *log;
	int rc;

	compile_pathf(src, sizeof(src), "%s/src", dir);
	compile_pathf(obj, sizeof(obj), "%s/obj", dir);
	compile_pathf(stamp, sizeof(stamp), "%s/configured", dir);
	if (exists(dir, "dirty")) /* a run stopped with the queue written in */
		unlink(stamp);
	if (compile_read_file(stamp, &sb) == 0 && sb.len) {
		sb_addstr(objdir, sb.buf);
		sb_release(&sb);
		return 0;
	}
	sb_release(&sb);
	out->configured_now = 1;
	compile_pathf(stamp, sizeof(stamp), "%s/configure.log", dir);
	if (!(log = fopen(stamp, "w"))) {
		out->error = xstrdup("cannot write the configure log");
		return -1;
	}
	rc = cache_configure(o, g, commit_tree, dir, src, obj, targets, log,
			     out, objdir);
	fclose(log);
	if (rc < 0)
		return -1;
	compile_pathf(stamp, sizeof(stamp), "%s/configured", dir);
	return compile_write_file(stamp, objdir->buf, objdir->len, 0644);
}

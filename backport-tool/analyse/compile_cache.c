/*
 * compile_cache.c - the build cache: a target revision exported (with the
 * submodules its build needs) and configured once by its build system
 * (compile_sys.c); and the file and command helpers the build runs with.
 */
#include "analyse/compile_int.h"

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
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

int compile_exists(const char *dir, const char *name)
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
	struct strbuf *missing; /* blobs the clone lacks, left out: their
				   paths, or NULL: an error */
	int rc;
};

static int export_tree(git_repository *repo, const git_oid *tree_id,
		       const char *dest, const struct compile_opts *o,
		       const char *repo_path, const char *prefix,
		       struct strbuf *missing);

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

		if (git_blob_lookup(&b, x->repo, git_tree_entry_id(e)) < 0) {
			if (!x->missing)
				return x->rc = error("cannot read %s%s", x->prefix, rel);
			sb_addf(x->missing, "%s%s\n", x->prefix, rel);
			return 0;
		}
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
					 x->repo_path, pre, x->missing);
			git_commit_free(c);
		}
		git_repository_free(sub);
		return rc < 0 ? (x->rc = -1) : 0;
	}
	return 0;
}

static int export_tree(git_repository *repo, const git_oid *tree_id,
		       const char *dest, const struct compile_opts *o,
		       const char *repo_path, const char *prefix,
		       struct strbuf *missing)
{
	struct export_ctx x = { repo, dest, o, repo_path, prefix, missing, 0 };
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
				 dest, o, gitsrc_path(g), "", NULL);
	git_commit_free(commit);
	git_object_free(obj);
	return rc;
}

/* ---- running commands --------------------------------------------- */

int compile_run(const char *const *argv, const char *dir, FILE *log,
	       struct strbuf *out)
{
	return compile_run_env(argv, NULL, dir, log, out);
}

int compile_run_env(const char *const *argv, const char *const *env,
		    const char *dir, FILE *log, struct strbuf *out)
{
	int fd[2], status;
	pid_t pid;
	char buf[8192];
	ssize_t n;
	size_t i;

	fprintf(log, "$ cd %s &&", dir);
	for (i = 0; env && env[i]; i++)
		fprintf(log, " '%s'", env[i]);
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
		for (i = 0; env && env[i]; i++)
			putenv((char *)env[i]);
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

void compile_strvec_push(struct strvec *v, const char *s)
{
	ALLOC_GROW(v->v, v->n + 2, v->alloc);
	v->v[v->n++] = xstrdup(s);
	v->v[v->n] = NULL;
}

void compile_strvec_release(struct strvec *v)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		free(v->v[i]);
	free(v->v);
	memset(v, 0, sizeof(*v));
}

void compile_add_note(struct compile_result *out, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	sb_init(&sb);
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	ALLOC_GROW(out->notes, out->nnotes + 1, out->alloc_notes);
	out->notes[out->nnotes++] = sb_detach(&sb, NULL);
}

/* The notes of a configured cache, one a line in dir/notes. */
static void notes_read(struct compile_ctx *c)
{
	struct strbuf sb = STRBUF_INIT;
	char path[PATH_MAX];
	const char *p;

	compile_pathf(path, sizeof(path), "%s/notes", c->dir);
	if (compile_read_file(path, &sb) == 0 && sb.len)
		for (p = sb.buf; *p; p = strchr(p, '\n') + 1)
			compile_add_note(c->out, "%.*s", (int)strcspn(p, "\n"), p);
	sb_release(&sb);
}

static int notes_write(struct compile_ctx *c)
{
	struct strbuf sb = STRBUF_INIT;
	char path[PATH_MAX];
	size_t i;
	int rc;

	for (i = 0; i < c->out->nnotes; i++)
		sb_addf(&sb, "%s\n", c->out->notes[i]);
	compile_pathf(path, sizeof(path), "%s/notes", c->dir);
	rc = compile_write_file(path, sb.buf ? sb.buf : "", sb.len, 0644);
	sb_release(&sb);
	return rc;
}

/* Export the sources, find their build system and configure them. */
static int cache_configure(struct compile_ctx *c,
			   const struct compile_source *from,
			   const struct compile_sys **sys)
{
	struct strbuf missing = STRBUF_INIT;

	if (rm_rf(c->src) < 0 || rm_rf(c->obj) < 0 ||
	    (from->dir ? compile_dir_copy(from->dir, c->src)
		       : export_tree(gitsrc_repository(from->g), from->tree,
				     c->src, c->o, gitsrc_path(from->g), "",
				     &missing)) < 0) {
		sb_release(&missing);
		c->out->error = xstrdup("cannot export the target's sources");
		return -1;
	}
	if (missing.len) { /* a partial clone: say so, build without them */
		size_t n = 0;
		const char *p;

		for (p = missing.buf; *p; p++)
			n += *p == '\n';
		fprintf(c->log, "# not in the clone, left out:\n%s", missing.buf);
		compile_add_note(c->out, "%zu file%s the clone lacks left out "
				 "(first: %.*s)", n, n == 1 ? "" : "s",
				 (int)strcspn(missing.buf, "\n"), missing.buf);
	}
	sb_release(&missing);
	*sys = compile_sys_detect(c);
	if (!*sys)
		return -1;
	fprintf(c->log, "# build system: %s in %s\n", (*sys)->name,
		*c->sub ? c->sub : ".");
	compile_debian_flags(c);
	if (mkdir_p(c->obj) < 0) {
		c->out->error = xstrdup("cannot create the build directory");
		return -1;
	}
	return (*sys)->configure(c);
}

/*
 * The stamp "SYSTEM\tSUB\tFINGERPRINT\n" of a configured cache, or -1
 * (none, or a directory target's fingerprint fpr has changed).
 */
static int read_stamp(struct compile_ctx *c, const char *stamp,
		      const char *fpr, const struct compile_sys **sys)
{
	struct strbuf sb = STRBUF_INIT;
	char *tab, *tab2, *nl;
	int rc = -1;

	if (compile_read_file(stamp, &sb) == 0 && sb.buf && !strncmp(sb.buf, "obj/", 4) &&
	    !strchr(sb.buf, '\t') && !strcmp(fpr, "-")) {
		/* an older stamp, only QEMU's object folder: keep its build */
		*sys = &compile_sys_qemu;
		sb_release(&sb);
		return 0;
	}
	if (sb.len && (tab = strchr(sb.buf, '\t')) && (tab2 = strchr(tab + 1, '\t')) &&
	    (nl = strchr(tab2, '\n'))) {
		*tab = *tab2 = *nl = '\0';
		*sys = compile_sys_named(sb.buf);
		if (*sys && !strcmp(tab2 + 1, fpr)) {
			compile_pathf(c->sub, sizeof(c->sub), "%s", tab + 1);
			compile_pathf(c->root, sizeof(c->root), "%s%s%s", c->src,
				      *c->sub ? "/" : "", c->sub);
			rc = 0;
		}
	}
	sb_release(&sb);
	return rc;
}

/*
 * Export and configure once; the stamp file names the build system and
 * the folder it is in.  0, or -1 with out->error set (and out->log the
 * configure log).
 */
int compile_cache_prepare(struct compile_ctx *c,
			  const struct compile_source *from,
			  const struct compile_sys **sys)
{
	char stamp[PATH_MAX], logpath[PATH_MAX], fpr[32] = "-";
	struct strbuf sb = STRBUF_INIT;
	FILE *build_log = c->log;
	int rc;

	compile_pathf(c->src, sizeof(c->src), "%s/src", c->dir);
	compile_pathf(c->obj, sizeof(c->obj), "%s/obj", c->dir);
	compile_pathf(c->root, sizeof(c->root), "%s", c->src);
	compile_pathf(stamp, sizeof(stamp), "%s/configured", c->dir);
	if (compile_exists(c->dir, "dirty")) /* a run stopped with the queue in */
		unlink(stamp);
	if (from->dir && compile_dir_fingerprint(from->dir, fpr, sizeof(fpr)) < 0) {
		c->out->error = xstrdup("cannot read the target directory");
		return -1;
	}
	if (read_stamp(c, stamp, fpr, sys) == 0) {
		notes_read(c);
		return 0;
	}
	c->out->configured_now = 1;
	compile_pathf(logpath, sizeof(logpath), "%s/configure.log", c->dir);
	if (!(c->log = fopen(logpath, "w"))) {
		c->log = build_log;
		c->out->error = xstrdup("cannot write the configure log");
		return -1;
	}
	rc = cache_configure(c, from, sys);
	if (rc < 0 && c->out->error) /* the log says why, also when no
					command ran */
		fprintf(c->log, "# %s\n", c->out->error);
	fclose(c->log);
	c->log = build_log;
	if (rc < 0) {
		free(c->out->log); /* the log that says why */
		c->out->log = xstrdup(logpath);
		return -1;
	}
	sb_addf(&sb, "%s\t%s\t%s\n", (*sys)->name, c->sub, fpr);
	rc = notes_write(c) < 0 ? -1 : compile_write_file(stamp, sb.buf, sb.len, 0644);
	sb_release(&sb);
	return rc;
}

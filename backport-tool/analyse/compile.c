/*
 * compile.c - build the translation units a queue touches, in a cached,
 * configured copy of the target, and attribute the diagnostics to hunks
 * (see compile.h).  Commands run without a shell: make and configure get
 * argument vectors; their output goes to one log.
 */
#include "analyse/compile.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <git2.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "input/gitsrc.h"
#include "util.h"

/* ---- files -------------------------------------------------------- */

/* snprintf for paths: -1 (and a truncated, terminated buf) when too long. */
static int pathf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int pathf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

static int mkdir_p(const char *path)
{
	char buf[PATH_MAX];
	char *p;

	if (pathf(buf, sizeof(buf), "%s", path) < 0)
		return -1;
	for (p = buf + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			if (mkdir(buf, 0755) < 0 && errno != EEXIST)
				return -1;
			*p = '/';
		}
	return mkdir(buf, 0755) < 0 && errno != EEXIST ? -1 : 0;
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

static int write_file(const char *path, const char *data, size_t len,
		      unsigned mode)
{
	char dir[PATH_MAX];
	char *slash;
	FILE *f;

	pathf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash) {
		*slash = '\0';
		if (mkdir_p(dir) < 0)
			return error("cannot create %s: %s", dir, strerror(errno));
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

static int read_file(const char *path, struct strbuf *out)
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

	pathf(path, sizeof(path), "%s/%s", dir, name);
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
	pathf(buf, sizeof(buf), "%s/modules/%s", repo_path, path);
	if (git_repository_open(&r, buf) == 0)
		return r;
	pathf(buf, sizeof(buf), "%s/.git/modules/%s", repo_path, path);
	if (git_repository_open(&r, buf) == 0)
		return r;
	return NULL;
}

static int export_cb(const char *root, const git_tree_entry *e, void *data)
{
	struct export_ctx *x = data;
	char path[PATH_MAX], rel[PATH_MAX];
	git_object_t type = git_tree_entry_type(e);

	pathf(rel, sizeof(rel), "%s%s", root, git_tree_entry_name(e));
	pathf(path, sizeof(path), "%s/%s", x->dest, rel);
	if (type == GIT_OBJECT_TREE)
		return mkdir_p(path) < 0 ? (x->rc = -1) : 0;
	if (type == GIT_OBJECT_BLOB) {
		git_blob *b;
		int rc;

		if (git_blob_lookup(&b, x->repo, git_tree_entry_id(e)) < 0)
			return x->rc = -1;
		rc = write_file(path, git_blob_rawcontent(b),
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

		pathf(full, sizeof(full), "%s%s", x->prefix, rel);
		sub = submodule_repo(x->o, x->repo_path, full);
		if (!sub)
			return 0; /* left out; configure says if it needs it */
		if (git_commit_lookup(&c, sub, git_tree_entry_id(e)) == 0) {
			char pre[PATH_MAX];

			pathf(pre, sizeof(pre), "%s/", full);
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

/* ---- running commands --------------------------------------------- */

/* Run argv in dir; its output is appended to out and to the log. */
static int run(const char *const *argv, const char *dir, FILE *log,
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

/* ---- diagnostics -------------------------------------------------- */

int compile_parse_diag(const char *line, const char *srcdir, const char *cwd,
		       struct compile_diag *d)
{
	static const struct { const char *word; int error; } kinds[] = {
		{ ": fatal error: ", 1 }, { ": error: ", 1 }, { ": warning: ", 0 },
	};
	const char *p = line, *colon1, *colon2, *msg = NULL;
	char path[PATH_MAX], real[PATH_MAX];
	size_t i, k, srclen = strlen(srcdir);
	int err = 0;

	memset(d, 0, sizeof(*d));
	for (k = 0; k < 3 && !msg; k++)
		if ((msg = strstr(line, kinds[k].word))) {
			err = kinds[k].error;
			msg += strlen(kinds[k].word);
		}
	if (!msg)
		return 0;
	/* FILE:LINE:COL or FILE:LINE before the kind */
	colon1 = strchr(p, ':');
	if (!colon1 || colon1 == p)
		return 0;
	for (i = 1; colon1[i] >= '0' && colon1[i] <= '9'; i++)
		;
	if (i == 1 || colon1[i] != ':')
		return 0;
	d->line = strtol(colon1 + 1, NULL, 10);
	colon2 = colon1 + i;
	if (colon2[1] >= '0' && colon2[1] <= '9')
		d->col = strtol(colon2 + 1, NULL, 10);
	pathf(path, sizeof(path), "%s%s%.*s", p[0] == '/' ? "" : cwd,
		 p[0] == '/' ? "" : "/", (int)(colon1 - p), p);
	if (!realpath(path, real))
		pathf(real, sizeof(real), "%s", path);
	if (!strncmp(real, srcdir, srclen) && real[srclen] == '/')
		d->file = xstrdup(real + srclen + 1);
	else
		d->file = xstrdup(real);
	d->error = err;
	d->message = xstrdup(msg);
	return 1;
}

static long count_side(const struct hunk *h, char other)
{
	long n = 0;
	size_t i;

	for (i = 0; i < h->nlines; i++)
		n += h->lines[i].kind == ' ' || h->lines[i].kind == other;
	return n;
}

void compile_attribute(const struct patch_list *q,
		       const struct patch_result *res, const char *file,
		       long line, size_t *patch, size_t *hunk)
{
	char *cur = xstrdup(file);
	long l = line;
	size_t i, f, h, k;

	*patch = *hunk = 0;
	for (i = q->n; i-- > 0;) {
		const struct patch_result *r = &res[i];

		if (!r->kept)
			continue;
		for (f = 0; f < r->nfiles; f++) {
			const struct file_result *fr = &r->files[f];
			const struct file_diff *fd = fr->fd;
			long delta = 0;
			int inside = 0;

			if (!fr->path || strcmp(fr->path, cur))
				continue;
			for (h = 0; fr->hunks && h < fd->nhunks && !inside; h++) {
				const struct hunk *hk = &fd->hunks[h];
				const struct hunk_result *hr = &fr->hunks[h];
				long nstart = hr->at, ostart = hr->old_at;
				long nlen = count_side(hk, '+'), olen = count_side(hk, '-');
				long n, o;

				if (hr->verdict == V_APPLIED || hr->verdict == V_CONFLICT)
					continue;
				if (nlen == 0 && l >= nstart) { /* only removals */
					delta = nstart - (ostart + olen);
					continue;
				}
				if (l < nstart)
					break;
				if (l >= nstart + nlen) {
					delta = (nstart + nlen) - (ostart + olen);
					continue;
				}
				inside = 1;
				for (k = 0, n = nstart, o = ostart; k < hk->nlines; k++) {
					char kind = hk->lines[k].kind;

					if (kind == '-') {
						o++;
						continue;
					}
					if (n == l) {
						if (kind == '+') {
							*patch = i + 1;
							*hunk = h + 1;
							free(cur);
							return;
						}
						l = o;
						break;
					}
					n++;
					o++;
				}
			}
			if (!inside)
				l -= delta;
			if (fd->op == FILE_CREATE) {
				*patch = i + 1; /* every line of a new file */
				*hunk = 1;
				free(cur);
				return;
			}
			if (fd->op == FILE_RENAME || fd->op == FILE_COPY) {
				const char *old = file_diff_path(fd,
						patch_strip_level(r->patch), 0);
				if (old) {
					free(cur);
					cur = xstrdup(old);
				}
			}
			break;
		}
	}
	free(cur);
}

static void add_diag(struct compile_result *out, struct compile_diag *d)
{
	size_t i;

	for (i = 0; i < out->ndiags; i++) {
		const struct compile_diag *e = &out->diags[i];

		if (e->line == d->line && e->col == d->col &&
		    !strcmp(e->file, d->file) && !strcmp(e->message, d->message)) {
			free(d->file);
			free(d->message);
			return;
		}
	}
	ALLOC_GROW(out->diags, out->ndiags + 1, out->alloc_diags);
	out->diags[out->ndiags++] = *d;
}

static void parse_output(struct compile_result *out, const char *text,
			 const char *srcdir, const char *cwd,
			 const struct patch_list *q, const struct patch_result *res)
{
	const char *p = text;

	while (*p) {
		const char *eol = strchrnul(p, '\n');
		char *line = xstrndup(p, (size_t)(eol - p));
		struct compile_diag d;

		if (compile_parse_diag(line, srcdir, cwd, &d)) {
			compile_attribute(q, res, d.file, d.line, &d.patch, &d.hunk);
			add_diag(out, &d);
		}
		free(line);
		p = *eol ? eol + 1 : eol;
	}
}

/* ---- the cache ------------------------------------------------------ */

static int is_qemu(const char *src)
{
	return exists(src, "configure") && exists(src, "VERSION") &&
	       exists(src, "qemu-options.hx");
}

/* QEMU's --target-list for the architectures the queue touches. */
static void guess_targets(const struct patch_list *q, struct strbuf *out)
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

static char *default_cache(void)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	struct strbuf sb = STRBUF_INIT;

	if (xdg && *xdg)
		sb_addf(&sb, "%s/backport-tool/build", xdg);
	else
		sb_addf(&sb, "%s/.cache/backport-tool/build", home ? home : "/tmp");
	return sb_detach(&sb, NULL);
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
		if (mkdir_p(obj) < 0 || run(argv, obj, log, NULL) != 0) {
			sb_release(&tl);
			out->error = xstrdup("configure failed (see configure.log)");
			return -1;
		}
		sb_release(&tl);
		/* the generated headers every object needs */
		if (run(prep, obj, log, NULL) != 0) {
			out->error = xstrdup("generating QEMU's headers failed "
					     "(see configure.log)");
			return -1;
		}
		first = xstrndup(targets, strcspn(targets, ","));
		sb_addf(objdir, "obj/%s", first);
		free(first);
	} else if (exists(src, "configure")) {
		const char *argv[] = { "./configure", NULL };

		if (run(argv, src, log, NULL) != 0) {
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
static int cache_prepare(const struct compile_opts *o, struct gitsrc *g,
			 const git_oid *commit_tree, const char *dir,
			 const char *targets, struct compile_result *out,
			 struct strbuf *objdir)
{
	char src[PATH_MAX], obj[PATH_MAX], stamp[PATH_MAX];
	struct strbuf sb = STRBUF_INIT;
	FILE *log;
	int rc;

	pathf(src, sizeof(src), "%s/src", dir);
	pathf(obj, sizeof(obj), "%s/obj", dir);
	pathf(stamp, sizeof(stamp), "%s/configured", dir);
	if (exists(dir, "dirty")) /* a run stopped with the queue written in */
		unlink(stamp);
	if (read_file(stamp, &sb) == 0 && sb.len) {
		sb_addstr(objdir, sb.buf);
		sb_release(&sb);
		return 0;
	}
	sb_release(&sb);
	out->configured_now = 1;
	pathf(stamp, sizeof(stamp), "%s/configure.log", dir);
	if (!(log = fopen(stamp, "w"))) {
		out->error = xstrdup("cannot write the configure log");
		return -1;
	}
	rc = cache_configure(o, g, commit_tree, dir, src, obj, targets, log,
			     out, objdir);
	fclose(log);
	if (rc < 0)
		return -1;
	pathf(stamp, sizeof(stamp), "%s/configured", dir);
	return write_file(stamp, objdir->buf, objdir->len, 0644);
}

/* ---- writing the queue in and out ---------------------------------- */

struct saved_file {
	char *path;     /* absolute */
	char *data;     /* the pristine content, or NULL: did not exist */
	size_t len;
	unsigned mode;
};

struct swap_ctx {
	const char *src;
	struct saved_file *v;
	size_t n, alloc;
	struct strbuf units;    /* changed .c files, '\n'-separated */
	int rc;
};

static int swap_in(const char *path, const struct tree_file *f, int deleted,
		   void *data)
{
	struct swap_ctx *x = data;
	struct saved_file *s;
	struct strbuf old = STRBUF_INIT;
	struct stat st;
	char abs[PATH_MAX];
	size_t n = strlen(path);

	pathf(abs, sizeof(abs), "%s/%s", x->src, path);
	ALLOC_GROW(x->v, x->n + 1, x->alloc);
	s = &x->v[x->n++];
	memset(s, 0, sizeof(*s));
	s->path = xstrdup(abs);
	if (lstat(abs, &st) == 0 && S_ISREG(st.st_mode) && read_file(abs, &old) == 0) {
		s->len = old.len;
		s->data = old.buf ? sb_detach(&old, NULL) : xstrdup("");
		s->mode = st.st_mode & 0111 ? 0100755 : 0100644;
	}
	sb_release(&old);
	if (deleted) {
		unlink(abs);
		return 0;
	}
	if (write_file(abs, f->data, f->len, f->mode) < 0)
		return x->rc = -1;
	if (n > 2 && !strcmp(path + n - 2, ".c") && f->mode != 0120000)
		sb_addf(&x->units, "%s\n", path);
	return 0;
}

static void swap_out(struct swap_ctx *x)
{
	size_t i;

	for (i = 0; i < x->n; i++) {
		struct saved_file *s = &x->v[i];

		if (s->data)
			write_file(s->path, s->data, s->len, s->mode);
		else
			unlink(s->path);
		free(s->path);
		free(s->data);
	}
	free(x->v);
	sb_release(&x->units);
}

/* ---- the build ------------------------------------------------------ */

int compile_queue(const struct compile_opts *o, struct gitsrc *g,
		  const char *rev, struct tree *applied,
		  const struct patch_list *q, const struct patch_result *res,
		  struct compile_result *out)
{
	git_object *obj = NULL;
	git_commit *commit = NULL;
	struct strbuf dir = STRBUF_INIT, targets = STRBUF_INIT,
		      objdir = STRBUF_INIT, logpath = STRBUF_INIT;
	struct swap_ctx x;
	char id[41], src[PATH_MAX], realsrc[PATH_MAX], lockpath[PATH_MAX];
	char *cache = o->cache ? xstrdup(o->cache) : default_cache();
	FILE *log = NULL;
	int lock = -1, rc = -1;
	const char *p;

	memset(out, 0, sizeof(*out));
	memset(&x, 0, sizeof(x));
	if (git_revparse_single(&obj, gitsrc_repository(g), rev) < 0 ||
	    git_object_peel((git_object **)&commit, obj, GIT_OBJECT_COMMIT) < 0) {
		error("--build: cannot resolve %s", rev);
		goto done;
	}
	git_oid_tostr(id, sizeof(id), git_commit_id(commit));
	if (o->targets)
		sb_addstr(&targets, o->targets);
	else
		guess_targets(q, &targets);
	sb_addf(&dir, "%s/%.12s%s%s", cache, id, targets.len ? "-" : "",
		targets.len ? targets.buf : "");
	for (p = dir.buf + strlen(cache); *p; p++)
		if (*p == ',')
			dir.buf[p - dir.buf] = '+';
	if (mkdir_p(dir.buf) < 0) {
		error("--build: cannot create %s: %s", dir.buf, strerror(errno));
		goto done;
	}
	{
		char real[PATH_MAX];

		if (realpath(dir.buf, real)) { /* commands run elsewhere */
			sb_reset(&dir);
			sb_addstr(&dir, real);
		}
	}
	out->dir = xstrdup(dir.buf);
	pathf(lockpath, sizeof(lockpath), "%s/lock", dir.buf);
	lock = open(lockpath, O_RDWR | O_CREAT, 0644);
	if (lock < 0 || flock(lock, LOCK_EX) < 0) {
		error("--build: cannot lock %s", lockpath);
		goto done;
	}
	sb_addf(&logpath, "%s/build.log", dir.buf);
	log = fopen(logpath.buf, "w");
	if (!log) {
		error("--build: cannot write %s", logpath.buf);
		goto done;
	}
	out->log = sb_detach(&logpath, NULL);
	rc = 0;
	if (cache_prepare(o, g, git_commit_tree_id(commit), dir.buf,
			  targets.buf, out, &objdir) < 0)
		goto done;
	pathf(src, sizeof(src), "%s/src", dir.buf);
	if (!realpath(src, realsrc))
		pathf(realsrc, sizeof(realsrc), "%s", src);
	x.src = src;
	sb_init(&x.units);
	pathf(lockpath, sizeof(lockpath), "%s/dirty", dir.buf);
	if (write_file(lockpath, "", 0, 0644) < 0)
		goto done;
	tree_for_each_change(applied, swap_in, &x);
	if (x.rc == 0) {
		char makedir[PATH_MAX], real[PATH_MAX];
		const char *u = x.units.buf;

		pathf(makedir, sizeof(makedir), "%s/%s", dir.buf, objdir.buf);
		if (!realpath(makedir, real))
			pathf(real, sizeof(real), "%s", makedir);
		while (*u) {
			const char *eol = strchr(u, '\n');
			char *path = xstrndup(u, (size_t)(eol - u));
			char *objname = xstrdup(path);
			struct strbuf output = STRBUF_INIT;
			const char *argv[] = { "make", "-k", objname, NULL };
			struct compile_unit *cu;
			char objpath[PATH_MAX];
			int status;

			objname[strlen(objname) - 1] = 'o';
			pathf(objpath, sizeof(objpath), "%s/%s", real, objname);
			unlink(objpath);
			sb_init(&output);
			ALLOC_GROW(out->units, out->nunits + 1, out->alloc_units);
			cu = &out->units[out->nunits++];
			cu->path = path;
			status = run(argv, real, log, &output);
			cu->ok = status == 0 && access(objpath, F_OK) == 0;
			if (status == 127 && !output.len && !out->error)
				out->error = xstrdup("cannot run make");
			parse_output(out, output.buf, realsrc, real, q, res);
			unlink(objpath); /* built from patched sources */
			sb_release(&output);
			free(objname);
			u = eol + 1;
		}
	}
	swap_out(&x);
	unlink(lockpath);
done:
	if (log)
		fclose(log);
	if (lock >= 0)
		close(lock);
	git_commit_free(commit);
	git_object_free(obj);
	sb_release(&dir);
	sb_release(&targets);
	sb_release(&objdir);
	sb_release(&logpath);
	free(cache);
	return rc;
}

int compile_result_ok(const struct compile_result *r)
{
	size_t i;

	if (r->error)
		return 0;
	for (i = 0; i < r->nunits; i++)
		if (!r->units[i].ok)
			return 0;
	return 1;
}

void compile_result_release(struct compile_result *r)
{
	size_t i;

	for (i = 0; i < r->nunits; i++)
		free(r->units[i].path);
	free(r->units);
	for (i = 0; i < r->ndiags; i++) {
		free(r->diags[i].file);
		free(r->diags[i].message);
	}
	free(r->diags);
	free(r->error);
	free(r->log);
	free(r->dir);
	memset(r, 0, sizeof(*r));
}

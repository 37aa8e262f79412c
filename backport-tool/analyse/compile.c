/*
 * compile.c - build the translation units a queue touches, in a cached,
 * configured copy of the target, and attribute the diagnostics to hunks
 * (see compile.h).  Commands run without a shell: make and configure get
 * argument vectors; their output goes to one log.
 */
#include "analyse/compile.h"
#include "analyse/compile_int.h"
#include "place/adapt.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

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
	compile_pathf(path, sizeof(path), "%s%s%.*s", p[0] == '/' ? "" : cwd,
		 p[0] == '/' ? "" : "/", (int)(colon1 - p), p);
	if (!realpath(path, real))
		compile_pathf(real, sizeof(real), "%s", path);
	if (!strncmp(real, srcdir, srclen) && real[srclen] == '/')
		d->file = xstrdup(real + srclen + 1);
	else
		d->file = xstrdup(real);
	d->error = err;
	d->message = xstrdup(msg);
	return 1;
}

/* The lines of a hunk as placed: an adapted hunk's are its adaptation's. */
static size_t placed_nlines(const struct hunk *h, const struct hunk_result *hr)
{
	return hr->verdict == V_ADAPTED && hr->adapt ? hr->adapt->nlines
						     : h->nlines;
}

static char placed_kind(const struct hunk *h, const struct hunk_result *hr,
			size_t k)
{
	return hr->verdict == V_ADAPTED && hr->adapt ? hr->adapt->lines[k].kind
						     : h->lines[k].kind;
}

static long count_side(const struct hunk *h, const struct hunk_result *hr,
		       char other)
{
	long n = 0;
	size_t i;

	for (i = 0; i < placed_nlines(h, hr); i++)
		n += placed_kind(h, hr, i) == ' ' || placed_kind(h, hr, i) == other;
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
				long nlen = count_side(hk, hr, '+'), olen = count_side(hk, hr, '-');
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
				for (k = 0, n = nstart, o = ostart;
				     k < placed_nlines(hk, hr); k++) {
					char kind = placed_kind(hk, hr, k);

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

	compile_pathf(abs, sizeof(abs), "%s/%s", x->src, path);
	ALLOC_GROW(x->v, x->n + 1, x->alloc);
	s = &x->v[x->n++];
	memset(s, 0, sizeof(*s));
	s->path = xstrdup(abs);
	if (lstat(abs, &st) == 0 && S_ISREG(st.st_mode) && compile_read_file(abs, &old) == 0) {
		s->len = old.len;
		s->data = old.buf ? sb_detach(&old, NULL) : xstrdup("");
		s->mode = st.st_mode & 0111 ? 0100755 : 0100644;
	}
	sb_release(&old);
	if (deleted) {
		unlink(abs);
		return 0;
	}
	if (compile_write_file(abs, f->data, f->len, f->mode) < 0)
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
			compile_write_file(s->path, s->data, s->len, s->mode);
		else
			unlink(s->path);
		free(s->path);
		free(s->data);
	}
	free(x->v);
	sb_release(&x->units);
}

/* ---- the build ------------------------------------------------------ */

/*
 * The cache directory for a revision and target list: CACHE/<id>-<targets>
 * (commas as '+'), created, as an absolute path.  0 or -1.
 */
static int cache_dir(const char *cache, const char *id, const char *targets,
		     struct strbuf *dir)
{
	char real[PATH_MAX];
	char *p;

	sb_addf(dir, "%s/%.12s%s%s", cache, id, *targets ? "-" : "", targets);
	for (p = dir->buf + strlen(cache); *p; p++)
		if (*p == ',')
			*p = '+';
	if (mkdir_p(dir->buf) < 0)
		return -1;
	if (realpath(dir->buf, real)) { /* commands run elsewhere */
		sb_reset(dir);
		sb_addstr(dir, real);
	}
	return 0;
}

/* One unit: "make -k x.o" in makedir, its diagnostics into out. */
static void compile_unit(struct compile_result *out, const char *path,
			 const char *makedir, const char *srcdir, FILE *log,
			 const struct patch_list *q, const struct patch_result *res)
{
	char *objname = xstrdup(path);
	struct strbuf output = STRBUF_INIT;
	const char *argv[] = { "make", "-k", objname, NULL };
	struct compile_unit *cu;
	char objpath[PATH_MAX];
	int status;

	objname[strlen(objname) - 1] = 'o';
	compile_pathf(objpath, sizeof(objpath), "%s/%s", makedir, objname);
	unlink(objpath);
	ALLOC_GROW(out->units, out->nunits + 1, out->alloc_units);
	cu = &out->units[out->nunits++];
	cu->path = xstrdup(path);
	status = compile_run(argv, makedir, log, &output);
	cu->ok = status == 0 && access(objpath, F_OK) == 0;
	if (status == 127 && !output.len && !out->error)
		out->error = xstrdup("cannot run make");
	parse_output(out, output.buf, srcdir, makedir, q, res);
	unlink(objpath); /* built from patched sources */
	sb_release(&output);
	free(objname);
}

/*
 * With the cache prepared in dir: write the queue into its sources (a
 * "dirty" mark while they differ from the revision), build each changed
 * .c file, and put the pristine files back.
 */
static int compile_units(const char *dir, const char *objdir, FILE *log,
			 struct tree *applied, const struct patch_list *q,
			 const struct patch_result *res,
			 struct compile_result *out)
{
	char src[PATH_MAX], realsrc[PATH_MAX], dirty[PATH_MAX];
	char makedir[PATH_MAX], real[PATH_MAX];
	struct swap_ctx x;
	const char *u;

	memset(&x, 0, sizeof(x));
	compile_pathf(src, sizeof(src), "%s/src", dir);
	if (!realpath(src, realsrc))
		compile_pathf(realsrc, sizeof(realsrc), "%s", src);
	x.src = src;
	sb_init(&x.units);
	compile_pathf(dirty, sizeof(dirty), "%s/dirty", dir);
	if (compile_write_file(dirty, "", 0, 0644) < 0) {
		sb_release(&x.units);
		out->error = xstrdup("cannot mark the build cache as in use");
		return -1;
	}
	tree_for_each_change(applied, swap_in, &x);
	compile_pathf(makedir, sizeof(makedir), "%s/%s", dir, objdir);
	if (!realpath(makedir, real))
		compile_pathf(real, sizeof(real), "%s", makedir);
	for (u = x.units.buf; x.rc == 0 && *u; u = strchr(u, '\n') + 1) {
		char *path = xstrndup(u, strcspn(u, "\n"));

		compile_unit(out, path, real, realsrc, log, q, res);
		free(path);
	}
	swap_out(&x);
	unlink(dirty);
	return 0;
}

/* Lock dir for this process and open its build.log (out->log). */
static int cache_open(const char *dir, int *lock, FILE **log,
		      struct compile_result *out)
{
	char path[PATH_MAX];

	compile_pathf(path, sizeof(path), "%s/lock", dir);
	*lock = open(path, O_RDWR | O_CREAT, 0644);
	if (*lock < 0 || flock(*lock, LOCK_EX) < 0)
		return error("--build: cannot lock %s", path);
	compile_pathf(path, sizeof(path), "%s/build.log", dir);
	*log = fopen(path, "w");
	if (!*log)
		return error("--build: cannot write %s", path);
	out->log = xstrdup(path);
	return 0;
}

int compile_queue(const struct compile_opts *o, struct gitsrc *g,
		  const char *rev, struct tree *applied,
		  const struct patch_list *q, const struct patch_result *res,
		  struct compile_result *out)
{
	git_object *obj = NULL;
	git_commit *commit = NULL;
	struct strbuf dir = STRBUF_INIT, targets = STRBUF_INIT,
		      objdir = STRBUF_INIT;
	char id[41];
	char *cache = o->cache ? xstrdup(o->cache) : cache_path("build");
	FILE *log = NULL;
	int lock = -1, rc = -1;

	memset(out, 0, sizeof(*out));
	if (!cache)
		goto done;
	if (git_revparse_single(&obj, gitsrc_repository(g), rev) < 0 ||
	    git_object_peel((git_object **)&commit, obj, GIT_OBJECT_COMMIT) < 0) {
		error("--build: cannot resolve %s", rev);
		goto done;
	}
	git_oid_tostr(id, sizeof(id), git_commit_id(commit));
	if (o->targets)
		sb_addstr(&targets, o->targets);
	else
		compile_guess_targets(q, &targets);
	sb_addstr(&targets, ""); /* a buffer, also when empty */
	if (cache_dir(cache, id, targets.buf, &dir) < 0)
		goto done;
	out->dir = xstrdup(dir.buf);
	if (cache_open(dir.buf, &lock, &log, out) < 0)
		goto done;
	/* from here on, failures are the build's: out->error, exit 0 */
	rc = 0;
	if (compile_cache_prepare(o, g, git_commit_tree_id(commit), dir.buf,
				  targets.buf, out, &objdir) == 0)
		compile_units(dir.buf, objdir.buf, log, applied, q, res, out);
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

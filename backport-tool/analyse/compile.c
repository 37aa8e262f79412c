/*
 * compile.c - build the translation units a queue touches, in a cached,
 * configured copy of the target, and attribute the diagnostics to hunks
 * (see compile.h).  Commands run without a shell: make and configure get
 * argument vectors; their output goes to one log.  The build systems are
 * compile_sys.c and its drivers.
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

/* Take out the terminal's colour sequences (ESC [ ... m, ESC [ K). */
static void strip_colours(char *line)
{
	char *r = line, *w = line;

	while (*r) {
		if (r[0] == '\033' && r[1] == '[') {
			r += 2;
			while (*r && ((*r >= '0' && *r <= '9') || *r == ';'))
				r++;
			if (*r)
				r++;
			continue;
		}
		*w++ = *r++;
	}
	*w = '\0';
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

		strip_colours(line);
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
	struct strbuf config;   /* changed CMake and Meson files, the same */
	int rc;
};

/* A file CMake or Meson reads when it configures. */
static int is_config_file(const char *path)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t n = strlen(base);

	return !strcmp(base, "CMakeLists.txt") || !strcmp(base, "meson.build") ||
	       !strcmp(base, "meson_options.txt") || !strcmp(base, "meson.options") ||
	       (n > 6 && !strcmp(base + n - 6, ".cmake"));
}

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
	if (is_config_file(path))
		sb_addf(&x->config, "%s\n", path);
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
	sb_release(&x->config);
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

/* One unit, compiled by the build system; its diagnostics into out. */
static void compile_unit(struct compile_ctx *c, const struct compile_sys *sys,
			 const char *path, const char *srcdir,
			 const struct patch_list *q, const struct patch_result *res)
{
	struct strbuf output = STRBUF_INIT, cwd = STRBUF_INIT;
	struct compile_result *out = c->out;
	struct compile_unit *cu;

	ALLOC_GROW(out->units, out->nunits + 1, out->alloc_units);
	cu = &out->units[out->nunits++];
	memset(cu, 0, sizeof(*cu));
	cu->path = xstrdup(path);
	sys->compile(c, path, cu, &output, &cwd);
	if (cu->note)
		fprintf(c->log, "# %s: %s\n", path, cu->note);
	if (output.len)
		parse_output(out, output.buf, srcdir, cwd.buf ? cwd.buf : srcdir,
			     q, res);
	sb_release(&output);
	sb_release(&cwd);
}

/*
 * With the cache prepared: write the queue into its sources (a "dirty"
 * mark while they differ from the revision), build each changed .c file,
 * and put the pristine files back.
 */
static int compile_units(struct compile_ctx *c, const struct compile_sys *sys,
			 struct tree *applied, const struct patch_list *q,
			 const struct patch_result *res)
{
	char realsrc[PATH_MAX], dirty[PATH_MAX];
	struct swap_ctx x;
	const char *u;

	memset(&x, 0, sizeof(x));
	if (!realpath(c->src, realsrc))
		compile_pathf(realsrc, sizeof(realsrc), "%s", c->src);
	x.src = c->src;
	sb_init(&x.units);
	compile_pathf(dirty, sizeof(dirty), "%s/dirty", c->dir);
	if (compile_write_file(dirty, "", 0, 0644) < 0) {
		sb_release(&x.units);
		c->out->error = xstrdup("cannot mark the build cache as in use");
		return -1;
	}
	sb_init(&x.config);
	tree_for_each_change(applied, swap_in, &x);
	if (sys->fixed_config && x.config.len)
		compile_add_note(c->out, "the queue changes %.*s%s: the units "
				 "compile as the target configured them",
				 (int)strcspn(x.config.buf, "\n"), x.config.buf,
				 strchr(x.config.buf, '\n')[1] ? " and more" : "");
	for (u = x.units.buf; x.rc == 0 && u && *u; u = strchr(u, '\n') + 1) {
		char *path = xstrndup(u, strcspn(u, "\n"));

		compile_unit(c, sys, path, realsrc, q, res);
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

/*
 * Build q's units in the cache CACHE/<key>-<targets>, made from `from`
 * once.  0 (out->error says when nothing could be built) or -1.
 */
static int compile_from(const struct compile_opts *o, const char *key,
			const struct compile_source *from, struct tree *applied,
			const struct patch_list *q,
			const struct patch_result *res,
			struct compile_result *out)
{
	struct strbuf dir = STRBUF_INIT, targets = STRBUF_INIT;
	const struct compile_sys *sys = NULL;
	struct compile_ctx c;
	char *cache = o->cache ? xstrdup(o->cache) : cache_path("build");
	int lock = -1, rc = -1;

	memset(&c, 0, sizeof(c));
	if (o->targets)
		sb_addstr(&targets, o->targets);
	else
		compile_guess_targets(q, &targets);
	sb_addstr(&targets, ""); /* a buffer, also when empty */
	if (!cache || cache_dir(cache, key, targets.buf, &dir) < 0)
		goto done;
	out->dir = xstrdup(dir.buf);
	if (cache_open(dir.buf, &lock, &c.log, out) < 0)
		goto done;
	/* from here on, failures are the build's: out->error, exit 0 */
	rc = 0;
	c.o = o;
	c.out = out;
	c.targets = targets.buf;
	compile_pathf(c.dir, sizeof(c.dir), "%s", dir.buf);
	if (compile_cache_prepare(&c, from, &sys) == 0) {
		out->system = sys->name;
		compile_units(&c, sys, applied, q, res);
	}
done:
	if (c.log)
		fclose(c.log);
	if (lock >= 0)
		close(lock);
	compile_strvec_release(&c.env);
	compile_strvec_release(&c.args);
	compile_ccdb_release(&c);
	sb_release(&dir);
	sb_release(&targets);
	free(cache);
	return rc;
}

int compile_queue(const struct compile_opts *o, struct gitsrc *g,
		  const char *rev, struct tree *applied,
		  const struct patch_list *q, const struct patch_result *res,
		  struct compile_result *out)
{
	git_object *obj = NULL;
	git_commit *commit = NULL;
	struct compile_source from = { g, NULL, NULL };
	char id[41];
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (git_revparse_single(&obj, gitsrc_repository(g), rev) < 0 ||
	    git_object_peel((git_object **)&commit, obj, GIT_OBJECT_COMMIT) < 0) {
		error("--build: cannot resolve %s", rev);
	} else {
		git_oid_tostr(id, sizeof(id), git_commit_id(commit));
		from.tree = git_commit_tree_id(commit);
		rc = compile_from(o, id, &from, applied, q, res, out);
	}
	git_commit_free(commit);
	git_object_free(obj);
	return rc;
}

int compile_queue_dir(const struct compile_opts *o, const char *dir,
		      struct tree *applied, const struct patch_list *q,
		      const struct patch_result *res, struct compile_result *out)
{
	struct compile_source from = { NULL, NULL, NULL };
	char real[PATH_MAX], key[GIT_OID_HEXSZ + 8];
	git_oid oid;

	memset(out, 0, sizeof(*out));
	if (!realpath(dir, real))
		return error("--build: cannot read %s: %s", dir, strerror(errno));
	from.dir = real;
	/* one cache per directory; its fingerprint says when to remake it */
	memcpy(key, "dir-", 4);
	if (git_odb_hash(&oid, real, strlen(real), GIT_OBJECT_BLOB) < 0)
		return error("--build: cannot name a cache for %s", dir);
	git_oid_tostr(key + 4, sizeof(key) - 4, &oid);
	key[12] = '\0'; /* "dir-" and 8 hex digits, as long as a revision's */
	return compile_from(o, key, &from, applied, q, res, out);
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

	for (i = 0; i < r->nunits; i++) {
		free(r->units[i].path);
		free(r->units[i].note);
	}
	free(r->units);
	for (i = 0; i < r->nnotes; i++)
		free(r->notes[i]);
	free(r->notes);
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

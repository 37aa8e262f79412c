/*
 * headers.c - the header trimmer: from a linux-headers update, only what
 * the consumers need (see headers.h).
 *
 * The steps, each a function below:
 *   load the source  - a patch (each hunk's new side scanned as a fragment)
 *                      or a headers tree mapped as update-linux-headers.sh
 *                      maps it (standard-headers get the portable spelling)
 *   load the target  - the same files from the tree, scanned whole
 *   read consumers   - identifiers of '+' lines of patches, or of C files
 *   match            - which source declarations the target already has
 *   roots, closure   - what the consumers use that only the source has,
 *                      then what those need (refs, containers, contents)
 *   place            - after the nearest earlier sibling the target has
 *   check values     - enumerators renumbered, names redefined, values
 *                      that differ between the target and upstream
 *   emit             - one unified diff of pure insertions, 3 lines of
 *                      context, quilt style
 */
#include "analyse/headers.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analyse/cdecl.h"
#include "input/patch.h"

/* ------------------------------------------------------------ name index */

struct nent {
	char *name;
	int fi, di;
	struct nent *next;
};

struct nidx {
	struct nent **b;
	size_t nb;
};

static unsigned long hash_str(const char *s)
{
	unsigned long h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

static void nidx_init(struct nidx *x)
{
	x->nb = 4096;
	x->b = xcalloc(x->nb, sizeof(*x->b));
}

static void nidx_add(struct nidx *x, const char *name, int fi, int di)
{
	struct nent *e = xmalloc(sizeof(*e));
	unsigned long h = hash_str(name) % x->nb;

	e->name = xstrdup(name);
	e->fi = fi;
	e->di = di;
	e->next = x->b[h];
	x->b[h] = e;
}

/* First entry for name; iterate with nidx_next. */
static struct nent *nidx_next(struct nent *e, const char *name)
{
	for (; e; e = e->next)
		if (!strcmp(e->name, name))
			return e;
	return NULL;
}

static struct nent *nidx_get(const struct nidx *x, const char *name)
{
	return nidx_next(x->b[hash_str(name) % x->nb], name);
}

static void nidx_free(struct nidx *x)
{
	size_t i;

	for (i = 0; i < x->nb; i++)
		while (x->b[i]) {
			struct nent *e = x->b[i];
			x->b[i] = e->next;
			free(e->name);
			free(e);
		}
	free(x->b);
}

/* ------------------------------------------------------------ the model */

struct frag {
	char *text;
	size_t len;
	struct cdecl_file cd;
	unsigned char *plus; /* per line (1-based): an added line; NULL: whole */
	size_t *ls, nls;     /* line starts, built on first use */
	size_t base;         /* index of its first declaration in hfile.sd */
};

struct sdecl {
	int g, d;     /* fragment, declaration */
	int present;  /* the target has it */
	int tm;       /* the matching target declaration of this file, -1 */
	int kept;
	int root;     /* kept and emitted by itself */
	long tline;   /* roots: insert after this target line */
	int before;   /* placed before the next sibling (blank lines after) */
	int anchor;   /* the target declaration it follows, or -1 */
	char *why;
};

struct hfile {
	char *path;       /* target path */
	int portable;     /* include/standard-headers spelling */
	char *ttext;
	size_t tlen;
	struct cdecl_file td;
	unsigned char *tcond_used;
	struct frag *g;
	size_t ng, ag;
	struct sdecl *sd;
	size_t nsd;
};

struct trim {
	struct tree *t;
	const struct headers_opts *o;
	struct headers_report *r;
	struct hfile *f;
	size_t nf, af;
	struct nidx tidx, sidx; /* name -> (file, declaration) */
	struct nidx used, cdefs;
	struct nidx includes; /* "linux/x.h" the consumers include */
	int failed;
};

static struct cdecl *S(struct trim *x, int fi, size_t si)
{
	struct hfile *h = &x->f[fi];
	return &h->g[h->sd[si].g].cd.v[h->sd[si].d];
}

static struct cdecl *T(struct trim *x, int fi, int ti)
{
	return &x->f[fi].td.v[ti];
}

/* Source index of a declaration's container, or -1. */
static long s_up(struct trim *x, int fi, size_t si)
{
	struct hfile *h = &x->f[fi];
	struct cdecl *d = S(x, fi, si);

	return d->up < 0 ? -1 : (long)(h->g[h->sd[si].g].base + (size_t)d->up);
}

static long s_parent(struct trim *x, int fi, size_t si)
{
	struct hfile *h = &x->f[fi];
	struct cdecl *d = S(x, fi, si);

	return d->parent < 0 ? -1 :
			       (long)(h->g[h->sd[si].g].base + (size_t)d->parent);
}

/* The aggregate a member belongs to, as code names it: the nearest
   ancestor with a tag ("struct foo"), through anonymous ones. */
static const char *member_of(struct trim *x, int fi, size_t si)
{
	long a = s_parent(x, fi, si);

	while (a >= 0) {
		const struct cdecl *p = S(x, fi, (size_t)a);
		int tm = x->f[fi].sd[a].tm;
		if (p->name && strchr(p->name, ' '))
			return p->name;
		for (; p->partial && tm >= 0; tm = x->f[fi].td.v[tm].parent)
			if (x->f[fi].td.v[tm].name &&
			    strchr(x->f[fi].td.v[tm].name, ' '))
				return x->f[fi].td.v[tm].name;
		a = s_parent(x, fi, (size_t)a);
	}
	return NULL;
}

/* "system_event.ndata": the field as offsetof() names it in member_of(). */
static char *member_designator(struct trim *x, int fi, size_t si)
{
	struct strbuf sb = STRBUF_INIT;
	long a = (long)si;
	char *rest;

	sb_init(&sb);
	while (a >= 0) {
		const struct cdecl *p = S(x, fi, (size_t)a);
		if ((p->name && strchr(p->name, ' ')) || p->partial)
			break;
		if (p->name) {
			rest = sb_detach(&sb, NULL);
			sb_init(&sb);
			sb_addstr(&sb, p->name);
			if (*rest)
				sb_addf(&sb, ".%s", rest);
			free(rest);
		}
		a = s_parent(x, fi, (size_t)a);
	}
	return sb_detach(&sb, NULL);
}

static const char *decl_label(const struct cdecl *d)
{
	if (d->name)
		return d->name;
	if (d->value)
		return d->value;
	return cdecl_kind_name(d->kind);
}

/* ----------------------------------------------------- report helpers */

static void item_add_field(struct headers_items *v, const char *path,
			   const struct cdecl *d, const char *of,
			   char *designator, long lines, const char *why)
{
	struct headers_item *it;

	ALLOC_GROW(v->v, v->n + 1, v->alloc);
	it = &v->v[v->n++];
	it->path = xstrdup(path);
	it->name = xstrdup(decl_label(d));
	it->kind = cdecl_kind_name(d->kind);
	it->of = of ? xstrdup(of) : NULL;
	it->designator = designator;
	it->lines = lines;
	it->why = why ? xstrdup(why) : NULL;
}

static void item_add(struct headers_items *v, const char *path,
		     const struct cdecl *d, const char *of, long lines,
		     const char *why)
{
	item_add_field(v, path, d, of, NULL, lines, why);
}

static void value_add(struct headers_values *v, const char *path, long line,
		      const char *name, const char *tv, const char *rv,
		      const char *uv, const char *message)
{
	struct headers_value *e;

	ALLOC_GROW(v->v, v->n + 1, v->alloc);
	e = &v->v[v->n++];
	e->path = xstrdup(path);
	e->line = line;
	e->name = xstrdup(name);
	e->target = tv ? xstrdup(tv) : NULL;
	e->result = rv ? xstrdup(rv) : NULL;
	e->upstream = uv ? xstrdup(uv) : NULL;
	e->message = xstrdup(message);
}

/* ------------------------------------------------- portable spelling */

static void replace_first(struct strbuf *sb, const char *from, const char *to)
{
	char *p = strstr(sb->buf, from);
	struct strbuf out = STRBUF_INIT;

	if (!p)
		return;
	sb_init(&out);
	sb_add(&out, sb->buf, (size_t)(p - sb->buf));
	sb_addstr(&out, to);
	sb_addstr(&out, p + strlen(from));
	sb_release(sb);
	*sb = out;
}

/* s/PREFIX\([0-9][0-9]*\)/OPEN\1CLOSE/g */
static void replace_digits(struct strbuf *sb, const char *prefix,
			   const char *open, const char *close)
{
	struct strbuf out = STRBUF_INIT;
	size_t n = strlen(prefix), i = 0;

	sb_init(&out);
	while (i < sb->len) {
		if (!strncmp(sb->buf + i, prefix, n) &&
		    sb->buf[i + n] >= '0' && sb->buf[i + n] <= '9') {
			size_t j = i + n;
			while (sb->buf[j] >= '0' && sb->buf[j] <= '9')
				j++;
			sb_addstr(&out, open);
			sb_add(&out, sb->buf + i + n, j - i - n);
			sb_addstr(&out, close);
			i = j;
		} else {
			sb_addch(&out, sb->buf[i++]);
		}
	}
	sb_release(sb);
	*sb = out;
}

void headers_portable_line(const char *line, size_t len, struct strbuf *out)
{
	struct strbuf sb = STRBUF_INIT;
	int nl = len && line[len - 1] == '\n';
	char *p, *q;

	if (nl)
		len--;
	sb_init(&sb);
	sb_add(&sb, line, len);
	if (strstr(sb.buf, "\"drm.h\"") || strstr(sb.buf, "sys/ioctl.h") ||
	    strstr(sb.buf, "linux/ioctl.h")) {
		sb_release(&sb);
		return;
	}
	while ((p = strstr(sb.buf, "__aligned_u64"))) {
		struct strbuf o = STRBUF_INIT;
		sb_init(&o);
		sb_add(&o, sb.buf, (size_t)(p - sb.buf));
		sb_addstr(&o, "__u64 __attribute__((aligned(8)))");
		sb_addstr(&o, p + strlen("__aligned_u64"));
		sb_release(&sb);
		sb = o;
	}
	replace_digits(&sb, "__u", "uint", "_t");
	replace_digits(&sb, "u", "uint", "_t");
	replace_digits(&sb, "__s", "int", "_t");
	replace_digits(&sb, "__le", "uint", "_t");
	replace_digits(&sb, "__be", "uint", "_t");
	replace_first(&sb, "\"input-event-codes.h\"",
		      "\"standard-headers/linux/input-event-codes.h\"");
	if ((p = strstr(sb.buf, "<linux/")) && (q = strchr(p, '>'))) {
		struct strbuf o = STRBUF_INIT;
		sb_init(&o);
		sb_add(&o, sb.buf, (size_t)(p - sb.buf));
		sb_addstr(&o, "\"standard-headers/linux/");
		sb_add(&o, p + 7, (size_t)(q - p - 7));
		sb_addch(&o, '"');
		sb_addstr(&o, q + 1);
		sb_release(&sb);
		sb = o;
	}
	replace_first(&sb, "__bitwise", "");
	replace_first(&sb, "__attribute__((packed))", "QEMU_PACKED");
	replace_first(&sb, "__inline__", "inline");
	replace_first(&sb, "__BITS_PER_LONG", "HOST_LONG_BITS");
	replace_first(&sb, "SW_MAX", "SW_MAX_");
	replace_first(&sb, "atomic_t", "int");
	replace_first(&sb, "__kernel_long_t", "long");
	replace_first(&sb, "__kernel_ulong_t", "unsigned long");
	replace_first(&sb, "struct ethhdr", "struct eth_header");
	sb_add(out, sb.buf, sb.len);
	if (nl)
		sb_addch(out, '\n');
	if (strstr(sb.buf, "#define _LINUX_ETHTOOL_H"))
		sb_addstr(out, "\n#include \"net/eth.h\"\n");
	sb_release(&sb);
}

static char *portable_text(const char *buf, size_t len, size_t *outlen)
{
	struct strbuf out = STRBUF_INIT;
	size_t i = 0;

	sb_init(&out);
	while (i < len) {
		const char *nl = memchr(buf + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (buf + i)) + 1 : len - i;
		headers_portable_line(buf + i, n, &out);
		i += n;
	}
	return sb_detach(&out, outlen);
}

/* ------------------------------------------------------------- loading */

static int is_header_copy(const char *path)
{
	size_t n = strlen(path);

	return n > 2 && !strcmp(path + n - 2, ".h") &&
	       (!strncmp(path, "linux-headers/", 14) ||
		!strncmp(path, "include/standard-headers/", 25));
}

/* A QEMU stub that only includes another header ("linux/virtio_config.h"
   in linux-headers/ includes the standard-headers one): nothing to trim. */
static int is_redirect(const struct cdecl_file *cd)
{
	size_t i;

	for (i = 0; i < cd->n; i++) {
		const struct cdecl *d = &cd->v[i];
		if (d->kind == CD_INCLUDE || d->kind == CD_COND ||
		    d->kind == CD_COND_ELSE || d->kind == CD_PP_OTHER)
			continue;
		if (d->kind == CD_DEFINE && d->cond >= 0 &&
		    cd->v[d->cond].up < 0 && (!d->value || !*d->value))
			continue; /* the include guard */
		return 0;
	}
	return 1;
}

static struct hfile *file_find(struct trim *x, const char *path)
{
	size_t i;

	for (i = 0; i < x->nf; i++)
		if (!strcmp(x->f[i].path, path))
			return &x->f[i];
	return NULL;
}

/* Read the target's copy of path; 0, 1 when absent or a stub, -1. */
static int file_load_target(struct trim *x, struct hfile *h)
{
	struct tree_file tf;
	int rc = tree_get(x->t, h->path, &tf);

	if (rc)
		return rc < 0 ? -1 : 1;
	h->ttext = xmalloc(tf.len + 1);
	if (tf.len)
		memcpy(h->ttext, tf.data, tf.len);
	h->ttext[tf.len] = '\0';
	h->tlen = tf.len;
	cdecl_scan(&h->td, h->ttext, h->tlen);
	if (is_redirect(&h->td))
		return 1;
	h->tcond_used = xcalloc(h->td.n + 1, 1);
	return 0;
}

static void hfile_release(struct hfile *h)
{
	size_t i;

	free(h->path);
	free(h->ttext);
	cdecl_file_release(&h->td);
	free(h->tcond_used);
	for (i = 0; i < h->ng; i++) {
		free(h->g[i].text);
		free(h->g[i].plus);
		free(h->g[i].ls);
		cdecl_file_release(&h->g[i].cd);
	}
	free(h->g);
	for (i = 0; i < h->nsd; i++)
		free(h->sd[i].why);
	free(h->sd);
}

static struct hfile *file_add(struct trim *x, const char *path, int portable)
{
	struct hfile *h;

	ALLOC_GROW(x->f, x->nf + 1, x->af);
	h = &x->f[x->nf++];
	memset(h, 0, sizeof(*h));
	h->path = xstrdup(path);
	h->portable = portable;
	return h;
}

static struct frag *frag_add(struct hfile *h)
{
	struct frag *g;

	ALLOC_GROW(h->g, h->ng + 1, h->ag);
	g = &h->g[h->ng++];
	memset(g, 0, sizeof(*g));
	return g;
}

/* The new side of one hunk: context and added lines. */
static void frag_from_hunk(struct hfile *h, const struct hunk *hk)
{
	struct frag *g = frag_add(h);
	struct strbuf sb = STRBUF_INIT;
	size_t i, n = 0;
	char *heading = NULL;

	sb_init(&sb);
	g->plus = xcalloc(hk->nlines + 2, 1);
	for (i = 0; i < hk->nlines; i++) {
		const struct pline *l = &hk->lines[i];
		if (l->kind == '-')
			continue;
		sb_add(&sb, l->text, l->len);
		sb_addch(&sb, '\n');
		g->plus[++n] = l->kind == '+';
	}
	g->text = sb_detach(&sb, &g->len);
	if (hk->func && hk->func_len)
		heading = xstrndup(hk->func, hk->func_len);
	cdecl_scan_fragment(&g->cd, g->text, g->len, heading);
	free(heading);
}

static int load_source_patch(struct trim *x)
{
	struct patch_list own = { NULL, 0, 0 };
	const struct patch_list *list = x->o->source_list;
	size_t p, k, j, i;

	if (!list) {
		if (patch_list_read_file(&own, x->o->source_patch))
			return -1;
		list = &own;
	}
	for (p = 0; p < list->n; p++) {
		const struct patch *pa = &list->v[p];
		int strip = patch_strip_level(pa);
		for (k = 0; k < pa->nfiles; k++) {
			const struct file_diff *fd = &pa->files[k];
			const char *path = file_diff_target(fd, strip);
			struct hfile *h;
			if (!path || !is_header_copy(path) || fd->is_binary)
				continue;
			for (j = 0; j < fd->nhunks; j++)
				for (i = 0; i < fd->hunks[j].nlines; i++)
					if (fd->hunks[j].lines[i].kind != ' ')
						x->r->full_lines++;
			if (fd->op != FILE_MODIFY)
				continue;
			h = file_find(x, path);
			if (!h) {
				int rc;
				h = file_add(x, path, 0);
				rc = file_load_target(x, h);
				if (rc) {
					hfile_release(h);
					x->nf--;
					if (rc < 0) {
						patch_list_release(&own);
						return -1;
					}
					continue;
				}
			}
			for (j = 0; j < fd->nhunks; j++)
				frag_from_hunk(h, &fd->hunks[j]);
		}
	}
	patch_list_release(&own);
	return 0;
}

/* QEMU's asm-ARCH for a Debian multiarch triplet's CPU. */
static const char *arch_of_triplet(const char *t)
{
	static const char *const map[][2] = {
		{ "x86_64", "x86" }, { "i386", "x86" }, { "i686", "x86" },
		{ "aarch64", "arm64" }, { "arm", "arm" }, { "s390x", "s390" },
		{ "powerpc", "powerpc" }, { "mips", "mips" },
		{ "riscv64", "riscv" }, { "loongarch64", "loongarch" },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strncmp(t, map[i][0], strlen(map[i][0])))
			return map[i][1];
	return NULL;
}

/* One source header: load it for each target copy that exists. */
static int load_source_file(struct trim *x, const char *abs, const char *rel,
			    const char *arch)
{
	struct strbuf cand[2] = { STRBUF_INIT, STRBUF_INIT };
	int portable[2] = { 0, 1 };
	int n = 0, i, rc = 0;

	sb_init(&cand[0]);
	sb_init(&cand[1]);
	if (!strncmp(rel, "linux/", 6)) {
		sb_addf(&cand[n++], "linux-headers/%s", rel);
		sb_addf(&cand[n++], "include/standard-headers/%s", rel);
	} else if (!strncmp(rel, "asm-generic/", 12)) {
		sb_addf(&cand[n++], "linux-headers/%s", rel);
	} else if (!strncmp(rel, "asm/", 4) && arch) {
		sb_addf(&cand[n++], "linux-headers/asm-%s/%s", arch, rel + 4);
		sb_addf(&cand[n++], "include/standard-headers/asm-%s/%s", arch,
			rel + 4);
	} else if (!strncmp(rel, "drm/", 4) || !strncmp(rel, "rdma/", 5)) {
		sb_addf(&cand[n++], "include/standard-headers/%s", rel);
		portable[0] = 1;
	}
	for (i = 0; i < n && !rc; i++) {
		struct hfile *h;
		struct strbuf sb;
		struct frag *g;
		if (file_find(x, cand[i].buf))
			continue;
		h = file_add(x, cand[i].buf, portable[i]);
		rc = file_load_target(x, h);
		if (rc) {
			hfile_release(h);
			x->nf--;
			rc = rc < 0 ? -1 : 0;
			continue;
		}
		if (read_whole_file(abs, MAX_INPUT_SIZE, &sb)) {
			rc = -1;
			break;
		}
		g = frag_add(h);
		if (h->portable) {
			g->text = portable_text(sb.buf, sb.len, &g->len);
			sb_release(&sb);
		} else {
			g->text = sb_detach(&sb, &g->len);
		}
		cdecl_scan(&g->cd, g->text, g->len);
	}
	sb_release(&cand[0]);
	sb_release(&cand[1]);
	return rc;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk_dir(struct trim *x, const char *abs, const char *rel,
		    const char *arch)
{
	DIR *dir = opendir(abs);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, i;
	int rc = 0;

	if (!dir)
		return error_at(abs, 0, "%s", strerror(errno));
	while ((e = readdir(dir))) {
		if (e->d_name[0] == '.')
			continue;
		names = xrealloc(names, (n + 1) * sizeof(*names));
		names[n++] = xstrdup(e->d_name);
	}
	closedir(dir);
	qsort(names, n, sizeof(*names), cmp_name);
	for (i = 0; i < n && !rc; i++) {
		struct strbuf a = STRBUF_INIT, r = STRBUF_INIT;
		struct stat st;
		sb_init(&a);
		sb_init(&r);
		sb_addf(&a, "%s/%s", abs, names[i]);
		sb_addf(&r, "%s%s%s", rel, *rel ? "/" : "", names[i]);
		if (!stat(a.buf, &st) && S_ISDIR(st.st_mode))
			rc = walk_dir(x, a.buf, r.buf, arch);
		else if (!stat(a.buf, &st) && S_ISREG(st.st_mode) && r.len > 2 &&
			 !strcmp(r.buf + r.len - 2, ".h"))
			rc = load_source_file(x, a.buf, r.buf, arch);
		sb_release(&a);
		sb_release(&r);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

static int load_source_dir(struct trim *x)
{
	const char *top = x->o->source_dir;
	static const char *const dirs[] = { "linux", "asm-generic", "drm", "rdma" };
	char path[4096];
	struct stat st;
	DIR *dir;
	struct dirent *e;
	size_t i;

	if (stat(top, &st) || !S_ISDIR(st.st_mode))
		return error_at(top, 0, "not a directory");
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", top, dirs[i]);
		if (!stat(path, &st) && S_ISDIR(st.st_mode) &&
		    walk_dir(x, path, dirs[i], NULL))
			return -1;
	}
	snprintf(path, sizeof(path), "%s/asm", top);
	if (!stat(path, &st) && S_ISDIR(st.st_mode))
		return walk_dir(x, path, "asm",
				x->o->source_arch ? x->o->source_arch : "x86");
	/* linux-libc-dev: asm/ lives in the multiarch directory */
	if (!(dir = opendir(top)))
		return error_at(top, 0, "%s", strerror(errno));
	while ((e = readdir(dir))) {
		const char *arch;
		if (!strstr(e->d_name, "-linux-"))
			continue;
		arch = x->o->source_arch ? x->o->source_arch :
					   arch_of_triplet(e->d_name);
		snprintf(path, sizeof(path), "%s/%s/asm", top, e->d_name);
		if (arch && !stat(path, &st) && S_ISDIR(st.st_mode) &&
		    walk_dir(x, path, "asm", arch)) {
			closedir(dir);
			return -1;
		}
	}
	closedir(dir);
	return 0;
}

/* ----------------------------------------------------------- consumers */

struct ident_ctx {
	struct nidx *used;
	int on;
};

static void ident_add(void *ctx, const char *id, size_t len)
{
	struct ident_ctx *c = ctx;
	char buf[300];

	if (!c->on || len >= sizeof(buf))
		return;
	memcpy(buf, id, len);
	buf[len] = '\0';
	if (!nidx_get(c->used, buf))
		nidx_add(c->used, buf, 0, 0);
}

/* '#include "linux/x.h"' or <asm/x.h>: remember the kernel header. */
static void note_include(struct nidx *inc, const char *s, size_t len)
{
	const char *e = s + len, *a, *b;
	char buf[256];

	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	if (e - s < 9 || *s != '#')
		return;
	for (s++; s < e && (*s == ' ' || *s == '\t'); s++)
		;
	if (e - s < 7 || strncmp(s, "include", 7))
		return;
	for (a = s + 7; a < e && *a != '"' && *a != '<'; a++)
		;
	for (b = a + 1; b < e && *b != '"' && *b != '>'; b++)
		;
	if (a >= e || b >= e || (size_t)(b - a - 1) >= sizeof(buf))
		return;
	memcpy(buf, a + 1, (size_t)(b - a - 1));
	buf[b - a - 1] = '\0';
	if (strstr(buf, "..") || strstr(buf, "//"))
		return; /* not a path we look up */
	if ((!strncmp(buf, "linux/", 6) || !strncmp(buf, "asm/", 4) ||
	     !strncmp(buf, "asm-generic/", 12)) && !nidx_get(inc, buf))
		nidx_add(inc, buf, 0, 0);
}

/* "#define NAME" on a line: the consumer defines NAME itself. */
static void note_define(struct nidx *cdefs, const char *s, size_t len)
{
	size_t i = 0, j;
	char buf[300];

	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i >= len || s[i++] != '#')
		return;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (len - i < 7 || strncmp(s + i, "define", 6) ||
	    (s[i + 6] != ' ' && s[i + 6] != '\t'))
		return;
	i += 7;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	for (j = i; j < len && (s[j] == '_' || (s[j] >= 'A' && s[j] <= 'Z') ||
				(s[j] >= 'a' && s[j] <= 'z') ||
				(s[j] >= '0' && s[j] <= '9'));
	     j++)
		;
	if (j > i && j - i < sizeof(buf)) {
		memcpy(buf, s + i, j - i);
		buf[j - i] = '\0';
		nidx_add(cdefs, buf, 0, 0);
	}
}

static int is_c_path(const char *p)
{
	static const char *const ext[] = { ".c", ".h", ".inc", ".cc", ".cpp" };
	size_t i, n = strlen(p);

	for (i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		size_t e = strlen(ext[i]);
		if (n > e && !strcmp(p + n - e, ext[i]))
			return 1;
	}
	return 0;
}

static int looks_like_patch(const char *buf)
{
	return (!strncmp(buf, "From ", 5) || !strncmp(buf, "diff ", 5) ||
		!strncmp(buf, "--- ", 4) || strstr(buf, "\ndiff --git ") ||
		strstr(buf, "\n--- ")) &&
	       strstr(buf, "\n@@ -");
}

/* The identifiers of the added lines of C files in patches. */
static void read_consumer_list(struct trim *x, const struct patch_list *pl)
{
	size_t p, k, j, i;

	for (p = 0; p < pl->n; p++) {
		const struct patch *pa = &pl->v[p];
		int strip = patch_strip_level(pa);
		for (k = 0; k < pa->nfiles; k++) {
			const struct file_diff *fd = &pa->files[k];
			const char *fp = file_diff_target(fd, strip);
			if (!fp || is_header_copy(fp) || !is_c_path(fp))
				continue;
			for (j = 0; j < fd->nhunks; j++) {
				int in_comment = 0;
				struct ident_ctx c = { &x->used, 0 };
				for (i = 0; i < fd->hunks[j].nlines; i++) {
					const struct pline *l = &fd->hunks[j].lines[i];
					if (l->kind == '-')
						continue;
					c.on = l->kind == '+';
					cdecl_for_each_ident(l->text, l->len,
							     &in_comment, ident_add, &c);
					if (c.on) {
						note_define(&x->cdefs, l->text, l->len);
						note_include(&x->includes, l->text, l->len);
					}
				}
			}
		}
	}
}

static int read_consumer_patch(struct trim *x, const char *path)
{
	struct patch_list pl = { NULL, 0, 0 };

	if (patch_list_read_file(&pl, path))
		return -1;
	read_consumer_list(x, &pl);
	patch_list_release(&pl);
	return 0;
}

static int read_consumers(struct trim *x)
{
	size_t i;

	if (x->o->consumer_list)
		read_consumer_list(x, x->o->consumer_list);
	for (i = 0; i < x->o->nconsumers; i++) {
		const char *path = x->o->consumers[i];
		struct strbuf sb;
		if (read_whole_file(path, MAX_INPUT_SIZE, &sb))
			return -1;
		if (looks_like_patch(sb.buf)) {
			sb_release(&sb);
			if (read_consumer_patch(x, path))
				return -1;
		} else {
			struct ident_ctx c = { &x->used, 1 };
			int in_comment = 0;
			size_t a = 0;
			cdecl_for_each_ident(sb.buf, sb.len, &in_comment,
					     ident_add, &c);
			while (a < sb.len) {
				const char *nl = memchr(sb.buf + a, '\n', sb.len - a);
				size_t n = nl ? (size_t)(nl - sb.buf) - a : sb.len - a;
				note_define(&x->cdefs, sb.buf + a, n);
				note_include(&x->includes, sb.buf + a, n);
				a += n + 1;
			}
			sb_release(&sb);
		}
	}
	return 0;
}

/* ------------------------------------------------------------ indexing */

static int names_global(enum cdecl_kind k)
{
	return k != CD_MEMBER && k != CD_INCLUDE && k != CD_COND &&
	       k != CD_COND_ELSE && k != CD_PP_OTHER && k != CD_UNDEF;
}

/* Names other declarations and consumers can use: not fields, and not
   the member name of a nested "union { ... } u;". */
static int indexed(const struct cdecl *d)
{
	if (!names_global(d->kind))
		return 0;
	if ((d->kind == CD_STRUCT || d->kind == CD_UNION) && d->parent >= 0 &&
	    (!d->name || !strchr(d->name, ' ')))
		return 0;
	return 1;
}

static void index_all(struct trim *x)
{
	size_t fi, k, g;

	for (fi = 0; fi < x->nf; fi++) {
		struct hfile *h = &x->f[fi];
		for (k = 0; k < h->td.n; k++) {
			struct cdecl *d = &h->td.v[k];
			size_t n;
			if (!indexed(d))
				continue;
			for (n = 0; n < d->nnames; n++)
				nidx_add(&x->tidx, d->names[n], (int)fi, (int)k);
		}
		h->nsd = 0;
		for (g = 0; g < h->ng; g++)
			h->nsd += h->g[g].cd.n;
		h->sd = xcalloc(h->nsd + 1, sizeof(*h->sd));
		h->nsd = 0;
		for (g = 0; g < h->ng; g++) {
			h->g[g].base = h->nsd;
			for (k = 0; k < h->g[g].cd.n; k++) {
				struct sdecl *s = &h->sd[h->nsd++];
				struct cdecl *d = &h->g[g].cd.v[k];
				size_t n;
				s->g = (int)g;
				s->d = (int)k;
				s->tm = -1;
				if (!indexed(d) || d->partial)
					continue;
				for (n = 0; n < d->nnames; n++)
					nidx_add(&x->sidx, d->names[n], (int)fi,
						 (int)(h->nsd - 1));
			}
		}
	}
}

/* ------------------------------------------------------------ matching */

/* The target declaration of this file defining name, preferring kind. */
static int t_find(struct trim *x, int fi, const char *name, int parent)
{
	struct nent *e;
	int any = -1;

	for (e = nidx_get(&x->tidx, name); e; e = nidx_next(e->next, name)) {
		if (e->fi != fi)
			continue;
		if (parent < -1 || T(x, fi, e->di)->parent == parent)
			return e->di;
		if (any < 0)
			any = e->di;
	}
	return any;
}

/* A target member of aggregate tp (directly or in an anonymous one). */
static int t_find_member(struct trim *x, int fi, int tp, const char *name)
{
	struct hfile *h = &x->f[fi];
	size_t k;

	for (k = (size_t)tp + 1; k < h->td.n; k++) {
		struct cdecl *d = &h->td.v[k];
		int a = d->parent;
		if (d->line > h->td.v[tp].end_line)
			break;
		if (d->kind != CD_MEMBER && d->kind != CD_STRUCT &&
		    d->kind != CD_UNION)
			continue;
		if (!d->name || strcmp(d->name, name))
			if (!cdecl_defines(d, name))
				continue;
		while (a >= 0 && a != tp && !h->td.v[a].name)
			a = h->td.v[a].parent;
		if (a == tp)
			return (int)k;
	}
	return -1;
}

/* Source children (direct, through #if blocks) of container si. */
static int s_child_names_in_t(struct trim *x, int fi, size_t si, int tp)
{
	struct hfile *h = &x->f[fi];
	size_t k;

	for (k = si + 1; k < h->nsd; k++) {
		struct cdecl *d = S(x, fi, k);
		if (h->sd[k].g != h->sd[si].g)
			break;
		if (s_parent(x, fi, k) != (long)si || !d->name)
			continue;
		if (tp >= 0) {
			/* an anonymous aggregate of the same kind inside tp */
			int m = t_find_member(x, fi, tp, d->name);
			if (m >= 0 && T(x, fi, m)->parent != tp &&
			    T(x, fi, T(x, fi, m)->parent)->kind == S(x, fi, si)->kind)
				return T(x, fi, m)->parent;
		} else {
			int t = t_find(x, fi, d->name, -2);
			if (t >= 0 && T(x, fi, t)->parent >= 0 &&
			    T(x, fi, T(x, fi, t)->parent)->kind == CD_ENUM)
				return T(x, fi, t)->parent;
		}
	}
	return -1;
}

/* A field: a member, or a nested "struct { ... } name;". */
static int is_field(const struct cdecl *d)
{
	if (d->kind == CD_MEMBER)
		return d->name != NULL;
	return (d->kind == CD_STRUCT || d->kind == CD_UNION) && d->parent >= 0 &&
	       d->name && !strchr(d->name, ' ');
}

static int t_parent_by_fields(struct trim *x, int fi, size_t si)
{
	struct hfile *h = &x->f[fi];
	int *votes = xcalloc(h->td.n + 1, sizeof(int));
	int best = -1, tie = 0;
	size_t k, t;

	for (k = si + 1; k < h->nsd && h->sd[k].g == h->sd[si].g; k++) {
		const struct cdecl *c = S(x, fi, k);
		if (s_parent(x, fi, k) != (long)si || !is_field(c))
			continue;
		for (t = 0; t < h->td.n; t++)
			if (is_field(&h->td.v[t]) && h->td.v[t].parent >= 0 &&
			    !strcmp(h->td.v[t].name, c->name))
				votes[h->td.v[t].parent]++;
	}
	for (t = 0; t < h->td.n; t++) {
		if (!votes[t])
			continue;
		if (best < 0 || votes[t] > votes[best]) {
			best = (int)t;
			tie = 0;
		} else if (votes[t] == votes[best]) {
			tie = 1;
		}
	}
	free(votes);
	return tie ? -1 : best;
}

static int t_find_cond(struct trim *x, int fi, const struct cdecl *d, int tup)
{
	struct hfile *h = &x->f[fi];
	size_t k;
	int loose = -1;

	for (k = 0; k < h->td.n; k++) {
		struct cdecl *t = &h->td.v[k];
		if (t->kind != CD_COND || h->tcond_used[k] || !t->value ||
		    strcmp(t->value, d->value))
			continue;
		if (t->up == tup)
			return (int)k;
		if (loose < 0)
			loose = (int)k;
	}
	return loose;
}

static void match_one(struct trim *x, int fi, size_t si)
{
	struct hfile *h = &x->f[fi];
	struct sdecl *s = &h->sd[si];
	struct cdecl *d = S(x, fi, si);
	long up = s_up(x, fi, si), par = s_parent(x, fi, si);
	int tup = up >= 0 ? h->sd[up].tm : -1;
	size_t k;

	switch (d->kind) {
	case CD_COND:
		s->tm = t_find_cond(x, fi, d, tup);
		s->present = s->tm >= 0;
		if (s->present)
			h->tcond_used[s->tm] = 1;
		return;
	case CD_COND_ELSE:
		s->present = up < 0 || h->sd[up].present;
		if (up >= 0 && h->sd[up].tm >= 0)
			for (k = (size_t)h->sd[up].tm + 1; k < h->td.n; k++)
				if (h->td.v[k].kind == CD_COND_ELSE &&
				    h->td.v[k].up == h->sd[up].tm &&
				    !strcmp(h->td.v[k].value, d->value)) {
					s->tm = (int)k;
					break;
				}
		return;
	case CD_INCLUDE:
		for (k = 0; k < h->td.n; k++)
			if (h->td.v[k].kind == CD_INCLUDE && h->td.v[k].name &&
			    d->name && !strcmp(h->td.v[k].name, d->name)) {
				s->tm = (int)k;
				break;
			}
		s->present = s->tm >= 0;
		return;
	case CD_VAR:
		/* uapi headers declare no variables: a misread, never needed */
		s->present = 1;
		return;
	case CD_PP_OTHER:
	case CD_UNDEF:
	case CD_OTHER:
		s->present = 1;
		for (k = 0; k < h->td.n; k++)
			if (h->td.v[k].kind == d->kind && h->td.v[k].value &&
			    d->value && !strcmp(h->td.v[k].value, d->value)) {
				s->tm = (int)k;
				break;
			}
		return;
	case CD_MEMBER:
		if (par >= 0 && h->sd[par].tm >= 0 && d->name) {
			s->tm = t_find_member(x, fi, h->sd[par].tm, d->name);
			s->present = s->tm >= 0;
		} else {
			s->present = par >= 0 && h->sd[par].present &&
				     h->sd[par].tm < 0; /* unknown partial */
		}
		return;
	default:
		break;
	}
	if ((d->kind == CD_STRUCT || d->kind == CD_UNION) && par >= 0 &&
	    d->name && !strchr(d->name, ' ')) {
		/* "struct { ... } smm;" inside an aggregate: a member */
		if (h->sd[par].tm >= 0) {
			s->tm = t_find_member(x, fi, h->sd[par].tm, d->name);
			s->present = s->tm >= 0;
		} else {
			s->present = h->sd[par].present;
		}
		return;
	}
	if (d->name) {
		s->present = nidx_get(&x->tidx, d->name) != NULL;
		s->tm = t_find(x, fi, d->name, par >= 0 ? h->sd[par].tm : -1);
		return;
	}
	if (d->kind == CD_ENUM) {
		s->tm = s_child_names_in_t(x, fi, si, -1);
	} else if ((d->kind == CD_STRUCT || d->kind == CD_UNION) && par >= 0 &&
		   h->sd[par].tm >= 0) {
		s->tm = s_child_names_in_t(x, fi, si, h->sd[par].tm);
	} else if ((d->kind == CD_STRUCT || d->kind == CD_UNION) &&
		   d->partial && par < 0) {
		/* a hunk began inside an aggregate it does not name: the
		   target's aggregate with most of the fields it shows */
		s->tm = t_parent_by_fields(x, fi, si);
		s->present = 1;
		return;
	} else if (d->kind == CD_STRUCT || d->kind == CD_UNION) {
		/* anonymous: new with a new container, else unknown (a
		   fragment's partial container): assume the target has it */
		s->present = !(par >= 0 && !h->sd[par].present);
		return;
	} else {
		s->present = 1; /* unnamed declaration: defines nothing */
		return;
	}
	s->present = s->tm >= 0 || (d->partial && d->kind != CD_ENUM);
}

static void match_all(struct trim *x)
{
	size_t fi, si;

	for (fi = 0; fi < x->nf; fi++)
		for (si = 0; si < x->f[fi].nsd; si++)
			match_one(x, (int)fi, si);
}

/* --------------------------------------------------------------- values */

struct side {
	struct trim *x;
	int source; /* 1: look names up in the source, 0: in the target */
};

static int enumerator_value(struct trim *x, int source, int fi, long idx,
			    long long *out, int depth);

static int side_lookup(void *ctx, const char *name, long long *out, int depth)
{
	struct side *sd = ctx;
	struct trim *x = sd->x;
	struct nent *e = nidx_get(sd->source ? &x->sidx : &x->tidx, name);

	for (; e; e = nidx_next(e->next, name)) {
		struct cdecl *d = sd->source ? S(x, e->fi, (size_t)e->di) :
					       T(x, e->fi, e->di);
		if (d->kind == CD_DEFINE && d->value && *d->value)
			return cdecl_eval(d->value, side_lookup, ctx, depth, out);
		if (d->kind == CD_ENUMERATOR)
			return enumerator_value(x, sd->source, e->fi, e->di, out,
						depth);
	}
	return -1;
}

/* The value of enumerator idx: its own expression or the previous one's
   plus one, counted from its enum's start. */
static int enumerator_value(struct trim *x, int source, int fi, long idx,
			    long long *out, int depth)
{
	struct side sd = { x, source };
	long k = idx, off = 0;
	int parent;
	struct cdecl *d = source ? S(x, fi, (size_t)idx) : T(x, fi, (int)idx);

	parent = d->parent;
	for (;;) {
		struct cdecl *e = source ? S(x, fi, (size_t)k) : T(x, fi, (int)k);
		if (e->kind == CD_ENUMERATOR && e->parent == parent) {
			if (e->value && *e->value) {
				long long v;
				if (cdecl_eval(e->value, side_lookup, &sd, depth, &v))
					return -1;
				*out = v + off;
				return 0;
			}
			if (k != idx)
				off++;
		}
		if (k == 0)
			return -1;
		k--;
		e = source ? S(x, fi, (size_t)k) : T(x, fi, (int)k);
		if (source && x->f[fi].sd[k].g != x->f[fi].sd[idx].g)
			return -1;
		if (source ? (k == (long)(x->f[fi].g[x->f[fi].sd[idx].g].base + (size_t)parent))
			   : (k == parent)) {
			if (e->partial)
				return -1;
			*out = off;
			return 0;
		}
	}
}

/* The value of name in the target or the source, as text. */
static char *value_text(struct trim *x, int source, const char *name, int *known,
			long long *v)
{
	struct side sd = { x, source };
	struct nent *e = nidx_get(source ? &x->sidx : &x->tidx, name);
	char buf[64];

	*known = 0;
	if (!e)
		return NULL;
	if (!side_lookup(&sd, name, v, 0)) {
		*known = 1;
		snprintf(buf, sizeof(buf), "%lld", *v);
		return xstrdup(buf);
	}
	{
		struct cdecl *d = source ? S(x, e->fi, (size_t)e->di) :
					   T(x, e->fi, e->di);
		return d->value ? xstrdup(d->value) : NULL;
	}
}

/*
 * name is defined in both: do the values agree?  A difference is a
 * conflict: a declaration kept (or a consumer) would see the target's
 * value where upstream has another.
 */
static void check_value(struct trim *x, const char *name, const char *by)
{
	int tk, sk;
	long long tv, sv;
	char *tt, *st;
	struct nent *te = nidx_get(&x->tidx, name), *se = nidx_get(&x->sidx, name);
	struct strbuf msg = STRBUF_INIT;
	struct cdecl *td;
	size_t i;

	if (!te || !se)
		return;
	td = T(x, te->fi, te->di);
	if (td->kind != CD_DEFINE && td->kind != CD_ENUMERATOR)
		return;
	for (i = 0; i < x->r->conflicts.n; i++)
		if (!strcmp(x->r->conflicts.v[i].name, name))
			return;
	tt = value_text(x, 0, name, &tk, &tv);
	st = value_text(x, 1, name, &sk, &sv);
	if (tk && sk && tv != sv) {
		sb_init(&msg);
		if (by)
			sb_addf(&msg, "%s needs %s, which the target defines as %s, upstream as %s",
				by, name, tt, st);
		else
			sb_addf(&msg, "the consumers use %s, which the target defines as %s, upstream as %s",
				name, tt, st);
		value_add(&x->r->conflicts, x->f[te->fi].path, td->line, name,
			  tt, tt, st, msg.buf);
		sb_release(&msg);
	}
	free(tt);
	free(st);
}

/* ------------------------------------------------------------- closure */

static void keep(struct trim *x, int fi, size_t si, const char *why);

static void need_name(struct trim *x, const char *name, const char *by)
{
	struct nent *e;

	if (nidx_get(&x->tidx, name)) {
		check_value(x, name, by);
		return;
	}
	for (e = nidx_get(&x->sidx, name); e; e = nidx_next(e->next, name)) {
		struct strbuf why = STRBUF_INIT;
		sb_init(&why);
		sb_addf(&why, "needed by %s", by);
		keep(x, e->fi, (size_t)e->di, why.buf);
		sb_release(&why);
	}
}

/* A new declaration would define a name the target has: a redefinition. */
static void check_redefinition(struct trim *x, int fi, size_t si,
			       const char *in)
{
	struct cdecl *d = S(x, fi, si);
	struct nent *te;
	size_t n;

	if (!names_global(d->kind))
		return;
	for (n = 0; n < d->nnames; n++) {
		int tk, sk;
		long long tv, sv;
		char *tt, *st;
		struct strbuf msg = STRBUF_INIT;
		te = nidx_get(&x->tidx, d->names[n]);
		if (!te)
			continue;
		tt = value_text(x, 0, d->names[n], &tk, &tv);
		st = value_text(x, 1, d->names[n], &sk, &sv);
		if (tk && sk && tv == sv && d->kind == T(x, te->fi, te->di)->kind) {
			free(tt);
			free(st);
			continue; /* the same macro again: harmless */
		}
		sb_init(&msg);
		sb_addf(&msg, "%s would redefine %s, which the target has at %s:%ld%s%s",
			in, d->names[n], x->f[te->fi].path,
			T(x, te->fi, te->di)->line, tt ? " as " : "", tt ? tt : "");
		value_add(&x->r->conflicts, x->f[fi].path, d->line, d->names[n], tt,
			  st, st, msg.buf);
		sb_release(&msg);
		free(tt);
		free(st);
	}
}

static void keep_refs(struct trim *x, int fi, size_t si)
{
	struct cdecl *d = S(x, fi, si);
	size_t r;
	const char *by = decl_label(d);
	char *label;

	/* name what the report lists: an anonymous aggregate is part of
	   the tagged one around it */
	if ((d->kind == CD_STRUCT || d->kind == CD_UNION) && !d->name &&
	    member_of(x, fi, si))
		by = member_of(x, fi, si);
	label = xstrdup(by);
	for (r = 0; r < d->nrefs; r++)
		need_name(x, d->refs[r], label);
	free(label);
}

static void keep(struct trim *x, int fi, size_t si, const char *why)
{
	struct hfile *h = &x->f[fi];
	struct sdecl *s = &h->sd[si];
	struct cdecl *d = S(x, fi, si);
	long up;
	size_t k;

	if (s->kept || s->present)
		return;
	if (d->partial) {
		struct strbuf msg = STRBUF_INIT;
		sb_init(&msg);
		sb_addf(&msg, "%s is needed (%s) but the source shows only part of it",
			decl_label(d), why);
		value_add(&x->r->conflicts, h->path, 0, decl_label(d), NULL, NULL,
			  NULL, msg.buf);
		sb_release(&msg);
		return;
	}
	s->kept = 1;
	s->why = xstrdup(why);
	up = s_up(x, fi, si);
	if (up >= 0 && !h->sd[up].present) {
		struct strbuf w = STRBUF_INIT;
		sb_init(&w);
		sb_addf(&w, "holds %s", decl_label(d));
		keep(x, fi, (size_t)up, w.buf);
		sb_release(&w);
	}
	keep_refs(x, fi, si);
	if (d->kind == CD_STRUCT || d->kind == CD_UNION || d->kind == CD_ENUM) {
		/* a new aggregate comes whole: every line inside it */
		for (k = si + 1; k < h->nsd && h->sd[k].g == s->g; k++) {
			long a = s_up(x, fi, k);
			while (a >= 0 && a != (long)si)
				a = s_up(x, fi, (size_t)a);
			if (a != (long)si)
				continue;
			if (h->sd[k].present) {
				check_redefinition(x, fi, k, decl_label(d));
				continue;
			}
			h->sd[k].kept = 1;
			free(h->sd[k].why);
			h->sd[k].why = xstrdup("part of it");
			keep_refs(x, fi, k);
		}
	}
}

static int is_tag_user(struct trim *x, int fi, long si)
{
	struct cdecl *d;
	size_t n;

	while (si >= 0) {
		int tm = x->f[fi].sd[si].tm;
		d = S(x, fi, (size_t)si);
		for (n = 0; n < d->nnames; n++)
			if (nidx_get(&x->used, d->names[n]))
				return 1;
		/* a hunk's unnamed container: the target's names count */
		for (; d->partial && tm >= 0; tm = T(x, fi, tm)->parent)
			for (n = 0; n < T(x, fi, tm)->nnames; n++)
				if (nidx_get(&x->used, T(x, fi, tm)->names[n]))
					return 1;
		si = s_parent(x, fi, (size_t)si);
	}
	return 0;
}

/*
 * A used field sits in a nested aggregate upstream added around fields
 * the target has (a union member became a struct of two): inserting
 * lines cannot express that, so say what is missing.
 */
static void note_restructured(struct trim *x, int fi, size_t si)
{
	struct cdecl *d = S(x, fi, si);
	const char *of = member_of(x, fi, si);
	struct strbuf msg = STRBUF_INIT;
	long a = s_parent(x, fi, si);

	long wrap = -1;
	size_t k;
	int around = 0;

	while (a >= 0 && !x->f[fi].sd[a].present) {
		wrap = a;
		a = s_parent(x, fi, (size_t)a);
	}
	if (a < 0 || wrap < 0 || S(x, fi, (size_t)wrap)->name ||
	    x->f[fi].sd[a].tm < 0)
		return;
	/* the new anonymous aggregate holds a field the target has */
	for (k = (size_t)wrap + 1; k < x->f[fi].nsd &&
	     x->f[fi].sd[k].g == x->f[fi].sd[wrap].g; k++)
		if (s_parent(x, fi, k) == wrap && S(x, fi, k)->name &&
		    t_find_member(x, fi, x->f[fi].sd[a].tm, S(x, fi, k)->name) >= 0)
			around = 1;
	if (!around)
		return;
	sb_init(&msg);
	{
		char *des = member_designator(x, fi, si);
		sb_addf(&msg, "%s%s%s is in a nested aggregate upstream added around existing fields; a trimmed diff cannot add it",
			des, of ? " of " : "", of ? of : "");
		free(des);
	}
	value_add(&x->r->warnings, x->f[fi].path,
		  x->f[fi].g[x->f[fi].sd[si].g].plus ? 0 : d->line, d->name,
		  NULL, NULL, NULL, msg.buf);
	sb_release(&msg);
}

/*
 * A header the consumers include and use that the target has no copy of
 * (QEMU started copying it later): a trimmed diff adds declarations to
 * existing copies, it does not create files, so say what is missing.
 */
static void check_new_headers(struct trim *x)
{
	size_t b;
	struct nent *e;

	if (!x->o->source_dir)
		return;
	for (b = 0; b < x->includes.nb; b++)
		for (e = x->includes.b[b]; e; e = e->next) {
			struct strbuf path = STRBUF_INIT, tpath = STRBUF_INIT;
			struct strbuf text, msg = STRBUF_INIT;
			struct tree_file tf;
			struct cdecl_file cd;
			size_t k, used = 0;
			sb_init(&path);
			sb_init(&tpath);
			sb_addf(&path, "%s/%s", x->o->source_dir, e->name);
			sb_addf(&tpath, "linux-headers/%s", e->name);
			if (tree_get(x->t, tpath.buf, &tf) == TREE_ENOENT &&
			    !read_whole_file(path.buf, MAX_INPUT_SIZE, &text)) {
				sb_init(&msg);
				cdecl_scan(&cd, text.buf, text.len);
				for (k = 0; k < cd.n; k++) {
					const char *n = cd.v[k].name;
					if (!n || !indexed(&cd.v[k]) ||
					    !nidx_get(&x->used, n) ||
					    nidx_get(&x->tidx, n) || nidx_get(&x->cdefs, n))
						continue;
					sb_addf(&msg, "%s%s", used++ ? ", " : "", n);
					if (used == 5) {
						sb_addstr(&msg, ", ...");
						break;
					}
				}
				if (used) {
					struct strbuf m = STRBUF_INIT;
					sb_init(&m);
					sb_addf(&m, "the consumers include %s and use %s; the target has no copy of it, and a trimmed diff does not create files",
						e->name, msg.buf);
					value_add(&x->r->warnings, tpath.buf, 0, e->name,
						  NULL, NULL, NULL, m.buf);
					sb_release(&m);
				}
				cdecl_file_release(&cd);
				sb_release(&text);
				sb_release(&msg);
			}
			sb_release(&path);
			sb_release(&tpath);
		}
}

static void find_roots(struct trim *x)
{
	size_t b, fi, si;
	struct nent *e;

	for (b = 0; b < x->used.nb; b++)
		for (e = x->used.b[b]; e; e = e->next) {
			struct nent *se;
			int first = 1;
			x->r->nused++;
			if (nidx_get(&x->tidx, e->name)) {
				check_value(x, e->name, NULL);
				continue;
			}
			if (nidx_get(&x->cdefs, e->name))
				continue;
			for (se = nidx_get(&x->sidx, e->name); se;
			     se = nidx_next(se->next, e->name)) {
				struct cdecl *d = S(x, se->fi, (size_t)se->di);
				if (first)
					item_add(&x->r->needed, x->f[se->fi].path, d,
						 NULL, 0, NULL);
				first = 0;
				keep(x, se->fi, (size_t)se->di, "used");
			}
		}
	/* new fields of structs the target has, when both are used */
	for (fi = 0; fi < x->nf; fi++)
		for (si = 0; si < x->f[fi].nsd; si++) {
			struct cdecl *d = S(x, (int)fi, si);
			long par = s_parent(x, (int)fi, si);
			if (!is_field(d) || x->f[fi].sd[si].present || par < 0 ||
			    !nidx_get(&x->used, d->name) ||
			    !is_tag_user(x, (int)fi, par))
				continue;
			if (!x->f[fi].sd[par].present) {
				note_restructured(x, (int)fi, si);
				continue;
			}
			item_add_field(&x->r->needed, x->f[fi].path, d,
				       member_of(x, (int)fi, si),
				       member_designator(x, (int)fi, si), 0, NULL);
			keep(x, (int)fi, si, "used");
		}
}

/* ------------------------------------------------------------ placement */

/* The target container a source declaration sits in (-1: file level). */
static long s_key(struct trim *x, int fi, size_t si)
{
	long up = s_up(x, fi, si);

	if (up < 0)
		return -1;
	return x->f[fi].sd[up].tm >= 0 ? x->f[fi].sd[up].tm : -2 - up;
}

/* The target's include guard (the outermost #if), or -1. */
static int t_guard(struct hfile *h)
{
	size_t k;

	for (k = 0; k < h->td.n; k++)
		if (h->td.v[k].kind == CD_COND && h->td.v[k].up < 0)
			return (int)k;
	return -1;
}

static void place(struct trim *x, int fi, size_t si)
{
	struct hfile *h = &x->f[fi];
	struct sdecl *s = &h->sd[si];
	long key = s_key(x, fi, si), up = s_up(x, fi, si);
	size_t k;
	int guard;

	s->anchor = -1;
	for (k = si; k-- > 0;) {
		if (s_key(x, fi, k) != key)
			continue;
		if (h->sd[k].present && h->sd[k].tm >= 0) {
			s->tline = h->td.v[h->sd[k].tm].end_line;
			s->anchor = h->sd[k].tm;
			return;
		}
	}
	for (k = si + 1; k < h->nsd; k++) {
		if (s_key(x, fi, k) != key)
			continue;
		if (h->sd[k].present && h->sd[k].tm >= 0) {
			s->tline = h->td.v[h->sd[k].tm].cline - 1;
			s->before = 1;
			return;
		}
	}
	if (up >= 0 && h->sd[up].tm >= 0) {
		s->tline = h->td.v[h->sd[up].tm].open_line;
		return;
	}
	guard = t_guard(h);
	s->tline = guard >= 0 ? h->td.v[guard].close_line - 1 : h->td.nlines;
	s->before = 1;
}

/*
 * An enumerator placed after the target's last one, which has no comma:
 * upstream changed that line too, and an insertion alone would not
 * compile.  Refuse rather than write a broken header.
 */
static void check_comma(struct trim *x, int fi, size_t si)
{
	struct hfile *h = &x->f[fi];
	struct sdecl *s = &h->sd[si];
	struct cdecl *a;
	char *t;
	size_t n;

	if (S(x, fi, si)->kind != CD_ENUMERATOR || s->anchor < 0)
		return;
	a = &h->td.v[s->anchor];
	if (a->kind != CD_ENUMERATOR)
		return;
	t = cdecl_normalize(h->ttext, a->start, a->end);
	n = strlen(t);
	if (!n || t[n - 1] != ',') {
		struct strbuf msg = STRBUF_INIT;
		sb_init(&msg);
		sb_addf(&msg, "%s would follow %s, which has no comma in the target: upstream changed that line too",
			S(x, fi, si)->name, a->name);
		value_add(&x->r->conflicts, h->path, a->line, S(x, fi, si)->name,
			  NULL, NULL, NULL, msg.buf);
		sb_release(&msg);
	}
	free(t);
}

static void place_all(struct trim *x)
{
	size_t fi, si;

	for (fi = 0; fi < x->nf; fi++)
		for (si = 0; si < x->f[fi].nsd; si++) {
			struct sdecl *s = &x->f[fi].sd[si];
			long up = s_up(x, (int)fi, si);
			if (!s->kept || (up >= 0 && x->f[fi].sd[up].kept))
				continue;
			s->root = 1;
			place(x, (int)fi, si);
			check_comma(x, (int)fi, si);
		}
}

/* ---------------------------------------------------- enumerator values */

struct eslot {
	const char *name;
	const char *expr;  /* explicit value or NULL */
	long line2;        /* 2 * target line (+1 for insertions) */
	long order;
	int side;          /* 0 target, 1 inserted */
	long idx;
	long long v;
	int known;
	char *text;        /* symbolic "expr+off" when unknown */
};

static int eslot_cmp(const void *a, const void *b)
{
	const struct eslot *p = a, *q = b;

	if (p->line2 != q->line2)
		return p->line2 < q->line2 ? -1 : 1;
	return p->order < q->order ? -1 : p->order > q->order;
}

/* Values of a sequence of enumerators, evaluated against both sides. */
static void eslot_values(struct trim *x, struct eslot *v, size_t n)
{
	const char *base = NULL;
	long off = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		struct side t = { x, 0 }, s = { x, 1 };
		long long b = 0;
		int known;
		if (v[i].expr && *v[i].expr) {
			base = v[i].expr;
			off = 0;
		} else if (i > 0) {
			off++;
		}
		known = !base || !cdecl_eval(base, side_lookup, &t, 0, &b) ||
			!cdecl_eval(base, side_lookup, &s, 0, &b);
		v[i].known = known;
		v[i].v = b + off;
		if (!known) {
			struct strbuf sb = STRBUF_INIT;
			sb_init(&sb);
			sb_addf(&sb, "%s + %ld", base, off);
			v[i].text = sb_detach(&sb, NULL);
		} else {
			char buf[32];
			snprintf(buf, sizeof(buf), "%lld", v[i].v);
			v[i].text = xstrdup(buf);
		}
	}
}

static const struct eslot *eslot_find(const struct eslot *v, size_t n,
				      const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i].name, name))
			return &v[i];
	return NULL;
}

static void eslots_free(struct eslot *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].text);
	free(v);
}

/* Target enumerators of enum te plus inserted ones (all new ones when
   all is set) in their resulting order. */
static struct eslot *enum_result(struct trim *x, int fi, int te, long sparent,
				 int all, size_t *np)
{
	struct hfile *h = &x->f[fi];
	struct eslot *v = NULL;
	size_t n = 0, k;

	for (k = 0; k < h->td.n; k++) {
		struct cdecl *d = &h->td.v[k];
		if (d->kind != CD_ENUMERATOR || d->parent != te)
			continue;
		v = xrealloc(v, (n + 1) * sizeof(*v));
		memset(&v[n], 0, sizeof(*v));
		v[n].name = d->name;
		v[n].expr = d->value;
		v[n].line2 = 2 * d->line;
		v[n].order = (long)k;
		n++;
	}
	for (k = 0; k < h->nsd; k++) {
		struct cdecl *d = S(x, fi, k);
		struct sdecl *s = &h->sd[k];
		if (d->kind != CD_ENUMERATOR || s_parent(x, fi, k) != sparent ||
		    s->present || !(s->kept || all))
			continue;
		if (!s->kept)
			place(x, fi, k);
		v = xrealloc(v, (n + 1) * sizeof(*v));
		memset(&v[n], 0, sizeof(*v));
		v[n].name = d->name;
		v[n].expr = d->value;
		v[n].line2 = 2 * s->tline + 1;
		v[n].order = 1000000L + (long)k;
		v[n].side = 1;
		n++;
	}
	qsort(v, n, sizeof(*v), eslot_cmp);
	eslot_values(x, v, n);
	*np = n;
	return v;
}

static struct eslot *enum_source(struct trim *x, int fi, long sparent,
				 size_t *np)
{
	struct hfile *h = &x->f[fi];
	struct eslot *v = NULL;
	size_t n = 0, k;

	for (k = (size_t)sparent + 1; k < h->nsd; k++) {
		struct cdecl *d = S(x, fi, k);
		if (h->sd[k].g != h->sd[sparent].g)
			break;
		if (d->kind != CD_ENUMERATOR || s_parent(x, fi, k) != sparent)
			continue;
		v = xrealloc(v, (n + 1) * sizeof(*v));
		memset(&v[n], 0, sizeof(*v));
		v[n].name = d->name;
		v[n].expr = d->value;
		v[n].order = (long)k;
		n++;
	}
	eslot_values(x, v, n);
	*np = n;
	return v;
}

static int eslot_same(const struct eslot *a, const struct eslot *b)
{
	if (a->known && b->known)
		return a->v == b->v;
	return !strcmp(a->text, b->text);
}

static void check_enum(struct trim *x, int fi, long sparent)
{
	struct hfile *h = &x->f[fi];
	int te = h->sd[sparent].tm;
	struct cdecl *sd = S(x, fi, (size_t)sparent);
	size_t nr, nu, nt, i;
	struct eslot *res = enum_result(x, fi, te, sparent, 0, &nr);
	struct eslot *up = sd->partial ? enum_result(x, fi, te, sparent, 1, &nu) :
					 enum_source(x, fi, sparent, &nu);
	struct eslot *tv = enum_result(x, fi, te, -9, 0, &nt);

	for (i = 0; i < nr; i++) {
		const struct eslot *u = eslot_find(up, nu, res[i].name);
		const struct eslot *t = eslot_find(tv, nt, res[i].name);
		struct strbuf msg = STRBUF_INIT;
		long line = t ? T(x, fi, (int)t->order)->line : 0;
		if (u && !eslot_same(&res[i], u)) {
			sb_init(&msg);
			sb_addf(&msg, "%s would be %s after the trimmed diff, upstream has %s%s",
				res[i].name, res[i].text, u->text,
				t ? "" : ": keep the enumerators before it too");
			value_add(&x->r->conflicts, h->path, line, res[i].name,
				  t ? t->text : NULL, res[i].text, u->text, msg.buf);
		} else if (t && !eslot_same(&res[i], t)) {
			sb_init(&msg);
			sb_addf(&msg, "%s changes from %s to %s, as upstream",
				res[i].name, t->text, res[i].text);
			value_add(x->o->strict ? &x->r->conflicts : &x->r->changed,
				  h->path, line, res[i].name, t->text, res[i].text,
				  u ? u->text : NULL, msg.buf);
		}
		sb_release(&msg);
	}
	eslots_free(res, nr);
	eslots_free(up, nu);
	eslots_free(tv, nt);
}

/* ---------------------------------------------------- aggregate layout */

struct mslot {
	const char *name;
	char *text;   /* normalised declaration, "[0]" spelt "[]" */
	long line2;
	long order;
};

static int mslot_cmp(const void *a, const void *b)
{
	const struct mslot *p = a, *q = b;

	if (p->line2 != q->line2)
		return p->line2 < q->line2 ? -1 : 1;
	return p->order < q->order ? -1 : p->order > q->order;
}

static int is_layout(enum cdecl_kind k)
{
	return k == CD_MEMBER || k == CD_STRUCT || k == CD_UNION;
}

static char *layout_text(const char *buf, size_t start, size_t end)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i = start;
	char *t, *p;

	/* macros defined between the fields are not part of the layout */
	sb_init(&sb);
	while (i < end) {
		const char *nl = memchr(buf + i, '\n', end - i);
		size_t n = nl ? (size_t)(nl - (buf + i)) + 1 : end - i, k = 0;
		while (k < n && (buf[i + k] == ' ' || buf[i + k] == '\t'))
			k++;
		if (k == n || buf[i + k] != '#')
			sb_add(&sb, buf + i, n);
		else
			while (n >= 2 && buf[i + n - 2] == '\\' && i + n < end) {
				/* a continued directive: skip its next line too */
				const char *nl2 = memchr(buf + i + n, '\n', end - i - n);
				i += n;
				n = nl2 ? (size_t)(nl2 - (buf + i)) + 1 : end - i;
			}
		i += n;
	}
	t = cdecl_normalize(sb.buf, 0, sb.len);
	sb_release(&sb);

	while ((p = strstr(t, "[0]")))
		memmove(p + 1, p + 2, strlen(p + 2) + 1);
	return t;
}

static void mslot_add(struct mslot **v, size_t *n, const struct cdecl *d,
		      const char *buf, long line2, long order)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[*n].name = d->name ? d->name : "";
	(*v)[*n].text = layout_text(buf, d->start, d->end);
	(*v)[*n].line2 = line2;
	(*v)[*n].order = order;
	(*n)++;
}

static void mslots_free(struct mslot *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].text);
	free(v);
}

/*
 * Fields inserted into an aggregate the target has must give upstream's
 * layout: the result's members, in order, are upstream's first members.
 * A field upstream has between them, or one it respelt (pad[3] became
 * flags + pad[2]), would move every offset after it.
 */
/*
 * A hunk shows only some fields of the aggregate: they must appear, in
 * that order and next to each other, in the result (aligned on the first
 * one the target has).
 */
static void check_window(struct trim *x, int fi, size_t si,
			 const struct mslot *res, size_t nres,
			 const struct mslot *up, size_t nup)
{
	size_t i, j;
	long off = 0;
	int aligned = 0;

	for (i = 0; i < nup && !aligned; i++)
		for (j = 0; j < nres; j++)
			if (res[j].order < 1000000L && !strcmp(res[j].text, up[i].text)) {
				off = (long)j - (long)i;
				aligned = 1;
				break;
			}
	if (!aligned)
		return;
	for (i = 0; i < nup; i++) {
		long r = (long)i + off;
		struct strbuf msg = STRBUF_INIT;
		if (r < 0 || r >= (long)nres || !strcmp(res[r].text, up[i].text))
			continue;
		sb_init(&msg);
		sb_addf(&msg, "fields added to %s would not give upstream's layout: '%s' would be where upstream has '%s'",
			member_of(x, fi, si + 1) ? member_of(x, fi, si + 1) : "an aggregate",
			res[r].text, up[i].text);
		value_add(&x->r->conflicts, x->f[fi].path, 0, res[r].name, NULL,
			  res[r].text, up[i].text, msg.buf);
		sb_release(&msg);
		return;
	}
}

static void check_aggregate(struct trim *x, int fi, size_t si)
{
	struct hfile *h = &x->f[fi];
	int ta = h->sd[si].tm;
	struct mslot *res = NULL, *up = NULL;
	size_t nres = 0, nup = 0, k;

	for (k = 0; k < h->td.n; k++)
		if (h->td.v[k].parent == ta && is_layout(h->td.v[k].kind))
			mslot_add(&res, &nres, &h->td.v[k], h->ttext,
				  2 * h->td.v[k].line, (long)k);
	for (k = si + 1; k < h->nsd && h->sd[k].g == h->sd[si].g; k++) {
		struct cdecl *d = S(x, fi, k);
		const char *buf = h->g[h->sd[k].g].text;
		if (s_parent(x, fi, k) != (long)si || !is_layout(d->kind))
			continue;
		mslot_add(&up, &nup, d, buf, 0, (long)k);
		if (h->sd[k].root)
			mslot_add(&res, &nres, d, buf, 2 * h->sd[k].tline + 1,
				  1000000L + (long)k);
	}
	qsort(res, nres, sizeof(*res), mslot_cmp);
	if (S(x, fi, si)->partial) {
		check_window(x, fi, si, res, nres, up, nup);
		mslots_free(res, nres);
		mslots_free(up, nup);
		return;
	}
	for (k = 0; k < nres; k++) {
		struct strbuf msg = STRBUF_INIT;
		if (k < nup && !strcmp(res[k].text, up[k].text))
			continue;
		sb_init(&msg);
		sb_addf(&msg, "fields added to %s would not give upstream's layout: member %zu would be '%s', upstream has '%s'",
			decl_label(S(x, fi, si)), k + 1, res[k].text,
			k < nup ? up[k].text : "nothing");
		value_add(&x->r->conflicts, h->path, S(x, fi, si)->line,
			  decl_label(S(x, fi, si)), NULL, res[k].text,
			  k < nup ? up[k].text : NULL, msg.buf);
		sb_release(&msg);
		break;
	}
	mslots_free(res, nres);
	mslots_free(up, nup);
}

static void check_aggregates(struct trim *x)
{
	size_t fi, si, k;

	for (fi = 0; fi < x->nf; fi++) {
		struct hfile *h = &x->f[fi];
		for (si = 0; si < h->nsd; si++) {
			struct cdecl *d = S(x, (int)fi, si);
			int touched = 0;
			/* a union's members all sit at offset 0: adding one
			   moves nothing */
			if (d->kind != CD_STRUCT || !h->sd[si].present ||
			    h->sd[si].tm < 0 ||
			    h->td.v[h->sd[si].tm].kind != CD_STRUCT)
				continue;
			for (k = si + 1; k < h->nsd && h->sd[k].g == h->sd[si].g; k++)
				if (s_parent(x, (int)fi, k) == (long)si &&
				    h->sd[k].root && is_layout(S(x, (int)fi, k)->kind))
					touched = 1;
			if (touched)
				check_aggregate(x, (int)fi, si);
		}
	}
}

static void check_enums(struct trim *x)
{
	size_t fi, si, k;

	for (fi = 0; fi < x->nf; fi++) {
		struct hfile *h = &x->f[fi];
		for (si = 0; si < h->nsd; si++) {
			struct cdecl *d = S(x, (int)fi, si);
			int touched = 0;
			if (d->kind != CD_ENUM || !h->sd[si].present ||
			    h->sd[si].tm < 0)
				continue;
			for (k = si + 1; k < h->nsd && h->sd[k].g == h->sd[si].g; k++)
				if (s_parent(x, (int)fi, k) == (long)si &&
				    h->sd[k].kept)
					touched = 1;
			if (touched)
				check_enum(x, (int)fi, (long)si);
		}
	}
}

/* ---------------------------------------------------------------- text */

/* Start offset of line n of fragment g (1-based); past the end: len. */
static size_t frag_line_start(const struct frag *g, long n)
{
	struct frag *w = (struct frag *)g; /* the index is a cache */
	size_t i;

	if (!w->ls) {
		w->ls = xmalloc((size_t)(g->cd.nlines + 2) * sizeof(*w->ls));
		w->nls = 0;
		w->ls[w->nls++] = 0;
		w->ls[w->nls++] = 0;
		for (i = 0; i < g->len; i++)
			if (g->text[i] == '\n' && w->nls < (size_t)g->cd.nlines + 1)
				w->ls[w->nls++] = i + 1;
	}
	if (n < 1)
		return 0;
	if ((size_t)n >= w->nls)
		return g->len;
	return w->ls[n];
}

static int frag_line_blank(const struct frag *g, long n)
{
	const char *s = g->text + frag_line_start(g, n);

	while (*s == ' ' || *s == '\t')
		s++;
	return *s == '\n' || *s == '\0';
}

static void add_lines(struct strbuf *out, const struct frag *g, long a, long b)
{
	size_t s, e;

	if (a > b)
		return;
	s = frag_line_start(g, a);
	e = frag_line_start(g, b + 1);
	sb_add(out, g->text + s, e - s);
	if (e == g->len && (e == 0 || g->text[e - 1] != '\n'))
		sb_addch(out, '\n');
}

/* Blank lines directly above line a (not crossing into a declaration). */
static long lead_blank(const struct frag *g, long a)
{
	while (a > 1) {
		if (!frag_line_blank(g, a - 1))
			break;
		a--;
	}
	return a;
}

static long trail_blank(const struct frag *g, long b)
{
	while (b < g->cd.nlines) {
		if (!frag_line_blank(g, b + 1))
			break;
		b++;
	}
	return b;
}

static long decl_text(struct trim *x, int fi, size_t si, int before,
		      struct strbuf *out);

/* A new #if block with only its kept declarations. */
static void cond_text(struct trim *x, int fi, size_t si, struct strbuf *out)
{
	struct hfile *h = &x->f[fi];
	struct cdecl *d = S(x, fi, si);
	const struct frag *g = &h->g[h->sd[si].g];
	size_t k;

	add_lines(out, g, d->cline, d->open_line);
	for (k = si + 1; k < h->nsd && h->sd[k].g == h->sd[si].g; k++) {
		struct cdecl *c = S(x, fi, k);
		if (s_up(x, fi, k) != (long)si)
			continue;
		if (c->kind == CD_COND_ELSE)
			add_lines(out, g, c->line, c->end_line);
		else if (h->sd[k].kept)
			decl_text(x, fi, k, 0, out);
	}
	add_lines(out, g, d->close_line, d->end_line);
}

static long decl_text(struct trim *x, int fi, size_t si, int before,
		      struct strbuf *out)
{
	struct hfile *h = &x->f[fi];
	struct cdecl *d = S(x, fi, si);
	const struct frag *g = &h->g[h->sd[si].g];
	size_t len0 = out->len;
	long a = d->cline, b = d->end_line, n = 0;
	size_t i;

	if (!before)
		add_lines(out, g, lead_blank(g, a), a - 1);
	if (d->kind == CD_COND)
		cond_text(x, fi, si, out);
	else
		add_lines(out, g, a, b);
	if (before)
		add_lines(out, g, b + 1, trail_blank(g, b));
	for (i = len0; i < out->len; i++)
		n += out->buf[i] == '\n';
	return n;
}

/* ---------------------------------------------------------------- diff */

struct insertion {
	long tline;
	long order;
	char *text;
	long nlines;
};

static int ins_cmp(const void *a, const void *b)
{
	const struct insertion *p = a, *q = b;

	if (p->tline != q->tline)
		return p->tline < q->tline ? -1 : 1;
	return p->order < q->order ? -1 : p->order > q->order;
}

struct tlines {
	const char **p;
	size_t *len;
	long n;
};

static void tlines_split(struct tlines *t, const char *buf, size_t len)
{
	size_t i = 0;

	t->p = NULL;
	t->len = NULL;
	t->n = 0;
	while (i < len) {
		const char *nl = memchr(buf + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (buf + i)) : len - i;
		t->p = xrealloc(t->p, (size_t)(t->n + 1) * sizeof(*t->p));
		t->len = xrealloc(t->len, (size_t)(t->n + 1) * sizeof(*t->len));
		t->p[t->n] = buf + i;
		t->len[t->n] = n;
		t->n++;
		i += n + 1;
	}
}

static void hunk_range(struct strbuf *out, long start, long count)
{
	if (count == 1)
		sb_addf(out, "%ld", start);
	else
		sb_addf(out, "%ld,%ld", start, count);
}

/* Unified diff of pure insertions into the target file. */
static void emit_file(struct hfile *h, struct insertion *ins, size_t n,
		      struct strbuf *out)
{
	struct tlines t;
	size_t i = 0;
	long added_before = 0;

	tlines_split(&t, h->ttext, h->tlen);
	sb_addf(out, "--- a/%s\n+++ b/%s\n", h->path, h->path);
	while (i < n) {
		size_t j = i, k;
		long first, last, added = 0, l;
		/* group insertions whose contexts touch */
		while (j + 1 < n && ins[j + 1].tline - ins[j].tline <= 6)
			j++;
		first = ins[i].tline - 2;
		if (first < 1)
			first = 1;
		last = ins[j].tline + 3;
		if (last > t.n)
			last = t.n;
		for (k = i; k <= j; k++)
			added += ins[k].nlines;
		{
			long ocount = last - first + 1;
			long ostart = first;
			if (ocount <= 0) {
				ocount = 0;
				ostart = ins[i].tline;
			}
			sb_addstr(out, "@@ -");
			hunk_range(out, ostart, ocount);
			sb_addstr(out, " +");
			hunk_range(out, ocount ? ostart + added_before :
						 ostart + added_before + 1,
				   ocount + added);
			sb_addstr(out, " @@\n");
		}
		k = i;
		for (l = first; l <= last || k <= j; l++) {
			while (k <= j && ins[k].tline == l - 1) {
				const char *p = ins[k].text;
				while (*p) {
					const char *nl = strchr(p, '\n');
					size_t len = nl ? (size_t)(nl - p) : strlen(p);
					sb_addch(out, '+');
					sb_add(out, p, len);
					sb_addch(out, '\n');
					p += len + (nl ? 1 : 0);
				}
				k++;
			}
			if (l > last)
				break;
			if (l >= 1 && l <= t.n) {
				sb_addch(out, ' ');
				sb_add(out, t.p[l - 1], t.len[l - 1]);
				sb_addch(out, '\n');
			}
		}
		added_before += added;
		i = j + 1;
	}
	free(t.p);
	free(t.len);
}

/* Does the update add any line of d?  (Always, for a headers tree.) */
static int in_update(const struct frag *g, const struct cdecl *d)
{
	long l;

	if (!g->plus)
		return 1;
	for (l = d->cline; l <= d->end_line && l <= g->cd.nlines; l++)
		if (g->plus[l])
			return 1;
	return 0;
}

static void report_dropped(struct trim *x)
{
	size_t fi, si;

	for (fi = 0; fi < x->nf; fi++) {
		struct hfile *h = &x->f[fi];
		for (si = 0; si < h->nsd; si++) {
			struct sdecl *s = &h->sd[si];
			struct cdecl *d = S(x, (int)fi, si);
			long up = s_up(x, (int)fi, si);
			long lines;
			if (s->present || s->kept || d->partial ||
			    d->kind == CD_COND_ELSE)
				continue;
			if (up >= 0 && !h->sd[up].present &&
			    S(x, (int)fi, (size_t)up)->kind != CD_COND)
				continue; /* inside a dropped aggregate */
			if (up >= 0 && !h->sd[up].present && !h->sd[up].kept)
				continue; /* inside a dropped #if block */
			if (!in_update(&h->g[s->g], d))
				continue; /* context of a hunk: not the update's */
			lines = d->end_line - d->cline + 1;
			item_add_field(&x->r->dropped, h->path, d,
				       is_field(d) ? member_of(x, (int)fi, si) : NULL,
				       is_field(d) ? member_designator(x, (int)fi, si) : NULL,
				       lines, NULL);
			x->r->dropped_lines += lines;
		}
	}
}

static int emit(struct trim *x, struct strbuf *diff)
{
	size_t fi, si;

	for (fi = 0; fi < x->nf; fi++) {
		struct hfile *h = &x->f[fi];
		struct insertion *ins = NULL;
		size_t n = 0;
		for (si = 0; si < h->nsd; si++) {
			struct sdecl *s = &h->sd[si];
			struct cdecl *d = S(x, (int)fi, si);
			struct strbuf sb = STRBUF_INIT;
			if (!s->root)
				continue;
			sb_init(&sb);
			ins = xrealloc(ins, (n + 1) * sizeof(*ins));
			ins[n].tline = s->tline;
			ins[n].order = (long)si;
			ins[n].nlines = decl_text(x, (int)fi, si, s->before, &sb);
			ins[n].text = sb_detach(&sb, NULL);
			x->r->kept_lines += ins[n].nlines;
			item_add_field(&x->r->kept, h->path, d,
				       is_field(d) ? member_of(x, (int)fi, si) : NULL,
				       is_field(d) ? member_designator(x, (int)fi, si) : NULL,
				       ins[n].nlines, s->why);
			n++;
		}
		if (!n)
			continue;
		qsort(ins, n, sizeof(*ins), ins_cmp);
		emit_file(h, ins, n, diff);
		x->r->files = xrealloc(x->r->files,
				       (x->r->nfiles + 1) * sizeof(char *));
		x->r->files[x->r->nfiles++] = xstrdup(h->path);
		for (si = 0; si < n; si++)
			free(ins[si].text);
		free(ins);
	}
	return 0;
}

/* --------------------------------------------------------------- driver */

static int cmp_path(const void *a, const void *b)
{
	return strcmp(((const struct hfile *)a)->path,
		      ((const struct hfile *)b)->path);
}

int headers_trim(struct tree *t, const struct headers_opts *o,
		 struct strbuf *diff, struct headers_report *r)
{
	struct trim x;
	int rc = 0;
	size_t i;

	memset(r, 0, sizeof(*r));
	memset(&x, 0, sizeof(x));
	x.t = t;
	x.o = o;
	x.r = r;
	nidx_init(&x.tidx);
	nidx_init(&x.sidx);
	nidx_init(&x.used);
	nidx_init(&x.cdefs);
	nidx_init(&x.includes);
	sb_init(diff);
	if ((o->source_patch || o->source_list ? load_source_patch(&x) :
						 load_source_dir(&x)) ||
	    read_consumers(&x)) {
		rc = -1;
		goto out;
	}
	qsort(x.f, x.nf, sizeof(*x.f), cmp_path);
	index_all(&x);
	match_all(&x);
	find_roots(&x);
	check_new_headers(&x);
	place_all(&x);
	check_enums(&x);
	check_aggregates(&x);
	report_dropped(&x);
	emit(&x, diff);
	if (!o->source_patch && !o->source_list)
		r->full_lines = r->kept_lines + r->dropped_lines;
	if (r->conflicts.n) {
		sb_reset(diff);
		rc = 1;
	}
out:
	for (i = 0; i < x.nf; i++)
		hfile_release(&x.f[i]);
	free(x.f);
	nidx_free(&x.tidx);
	nidx_free(&x.sidx);
	nidx_free(&x.used);
	nidx_free(&x.cdefs);
	nidx_free(&x.includes);
	return rc;
}

/* -------------------------------------------------------------- report */

static void items_release(struct headers_items *v)
{
	size_t i;

	for (i = 0; i < v->n; i++) {
		free(v->v[i].path);
		free(v->v[i].name);
		free(v->v[i].of);
		free(v->v[i].designator);
		free(v->v[i].why);
	}
	free(v->v);
}

static void values_release(struct headers_values *v)
{
	size_t i;

	for (i = 0; i < v->n; i++) {
		free(v->v[i].path);
		free(v->v[i].name);
		free(v->v[i].target);
		free(v->v[i].result);
		free(v->v[i].upstream);
		free(v->v[i].message);
	}
	free(v->v);
}

void headers_report_release(struct headers_report *r)
{
	size_t i;

	items_release(&r->needed);
	items_release(&r->kept);
	items_release(&r->dropped);
	values_release(&r->changed);
	values_release(&r->conflicts);
	values_release(&r->warnings);
	for (i = 0; i < r->nfiles; i++)
		free(r->files[i]);
	free(r->files);
	memset(r, 0, sizeof(*r));
}

/* "define FOO", but "struct foo" rather than "struct struct foo". */
static const char *kind_prefix(const struct headers_item *it)
{
	size_t n = strlen(it->kind);

	return !strncmp(it->name, it->kind, n) && it->name[n] == ' ' ? "" :
								       it->kind;
}

static const char *kind_sep(const struct headers_item *it)
{
	return *kind_prefix(it) ? " " : "";
}

void headers_report_print(const struct headers_report *r, FILE *f)
{
	size_t i;

	for (i = 0; i < r->conflicts.n; i++)
		fprintf(f, PROGRAM_NAME ": %s:%ld: %s\n", r->conflicts.v[i].path,
			r->conflicts.v[i].line, r->conflicts.v[i].message);
	for (i = 0; i < r->changed.n; i++)
		fprintf(f, PROGRAM_NAME ": %s:%ld: warning: %s\n",
			r->changed.v[i].path, r->changed.v[i].line,
			r->changed.v[i].message);
	for (i = 0; i < r->warnings.n; i++)
		fprintf(f, PROGRAM_NAME ": %s:%ld: warning: %s\n",
			r->warnings.v[i].path, r->warnings.v[i].line,
			r->warnings.v[i].message);
	fprintf(f, "kept %zu declarations (%ld lines) in %zu files; dropped %zu (%ld lines); the full update has %ld lines\n",
		r->kept.n, r->kept_lines, r->nfiles, r->dropped.n,
		r->dropped_lines, r->full_lines);
	for (i = 0; i < r->kept.n; i++)
		fprintf(f, "  kept     %s: %s%s%s%s%s (%ld lines, %s)\n",
			r->kept.v[i].path, kind_prefix(&r->kept.v[i]),
			kind_sep(&r->kept.v[i]), r->kept.v[i].name,
			r->kept.v[i].of ? " in " : "",
			r->kept.v[i].of ? r->kept.v[i].of : "",
			r->kept.v[i].lines, r->kept.v[i].why);
	for (i = 0; i < r->dropped.n; i++)
		fprintf(f, "  dropped  %s: %s%s%s%s%s (%ld lines)\n",
			r->dropped.v[i].path, kind_prefix(&r->dropped.v[i]),
			kind_sep(&r->dropped.v[i]), r->dropped.v[i].name, r->dropped.v[i].of ? " in " : "",
			r->dropped.v[i].of ? r->dropped.v[i].of : "",
			r->dropped.v[i].lines);
}

static json_t *items_json(const struct headers_items *v)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < v->n; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "path", json_string(v->v[i].path));
		json_object_set_new(o, "name", json_string(v->v[i].name));
		json_object_set_new(o, "kind", json_string(v->v[i].kind));
		json_object_set_new(o, "of", v->v[i].of ? json_string(v->v[i].of) :
							  json_null());
		if (v->v[i].designator)
			json_object_set_new(o, "designator",
					    json_string(v->v[i].designator));
		json_object_set_new(o, "lines", json_integer(v->v[i].lines));
		if (v->v[i].why)
			json_object_set_new(o, "why", json_string(v->v[i].why));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *values_json(const struct headers_values *v)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < v->n; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "path", json_string(v->v[i].path));
		json_object_set_new(o, "line", json_integer(v->v[i].line));
		json_object_set_new(o, "name", json_string(v->v[i].name));
		json_object_set_new(o, "target", str_or_null(v->v[i].target));
		json_object_set_new(o, "result", str_or_null(v->v[i].result));
		json_object_set_new(o, "upstream", str_or_null(v->v[i].upstream));
		json_object_set_new(o, "message", json_string(v->v[i].message));
		json_array_append_new(a, o);
	}
	return a;
}

char *headers_report_json(const struct headers_report *r)
{
	json_t *o = json_object(), *files = json_array(), *sum = json_object();
	char *s, *copy;
	size_t i;

	for (i = 0; i < r->nfiles; i++)
		json_array_append_new(files, json_string(r->files[i]));
	json_object_set_new(o, "version", json_integer(1));
	json_object_set_new(o, "files", files);
	json_object_set_new(o, "needed", items_json(&r->needed));
	json_object_set_new(o, "kept", items_json(&r->kept));
	json_object_set_new(o, "dropped", items_json(&r->dropped));
	json_object_set_new(o, "changed", values_json(&r->changed));
	json_object_set_new(o, "conflicts", values_json(&r->conflicts));
	json_object_set_new(o, "warnings", values_json(&r->warnings));
	json_object_set_new(sum, "used", json_integer((json_int_t)r->nused));
	json_object_set_new(sum, "kept", json_integer((json_int_t)r->kept.n));
	json_object_set_new(sum, "kept_lines", json_integer(r->kept_lines));
	json_object_set_new(sum, "dropped", json_integer((json_int_t)r->dropped.n));
	json_object_set_new(sum, "dropped_lines", json_integer(r->dropped_lines));
	json_object_set_new(sum, "full_lines", json_integer(r->full_lines));
	json_object_set_new(o, "summary", sum);
	s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	copy = xstrdup(s);
	free(s);
	return copy;
}

int headers_is_sync(const struct patch *p)
{
	size_t i;

	for (i = 0; i < p->nfiles; i++) {
		const char *path = file_diff_target(&p->files[i],
						    patch_strip_level(p));
		if (!path || (strncmp(path, "linux-headers/", 14) &&
			      strncmp(path, "include/standard-headers/", 25)))
			return 0;
	}
	return p->nfiles > 0;
}

void headers_trimmed_patch(const struct patch *sync,
			   const struct headers_report *hr,
			   const struct strbuf *diff, struct strbuf *out)
{
	const char *sep = sync->header ? strstr(sync->header, "\n---\n") : NULL;
	size_t head = sep ? (size_t)(sep - sync->header) + 1 : sync->header_len;
	size_t i;

	if (head)
		sb_add(out, sync->header, head);
	sb_addf(out, "\n[backport: the full header sync trimmed to what the "
		     "backport uses (%ld of %ld changed lines); kept:",
		hr->kept_lines, hr->full_lines);
	for (i = 0; i < hr->kept.n; i++)
		sb_addf(out, "%s %s", i ? "," : "", hr->kept.v[i].name);
	sb_addstr(out, "]\n---\n");
	sb_add(out, diff->buf, diff->len);
}

/*
 * headers_load.c - the trimmer's inputs: the update (a patch or a headers
 * tree mapped as update-linux-headers.sh maps it), the target's copies,
 * and the identifiers the consumers use.
 */
#include "analyse/headers_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

void trim_hfile_release(struct hfile *h)
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

int trim_load_source_patch(struct trim *x)
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
					trim_hfile_release(h);
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
			trim_hfile_release(h);
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
			g->text = trim_portable_text(sb.buf, sb.len, &g->len);
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

int trim_load_source_dir(struct trim *x)
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
	if (!trim_nidx_get(c->used, buf))
		trim_nidx_add(c->used, buf, 0, 0);
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
	     !strncmp(buf, "asm-generic/", 12)) && !trim_nidx_get(inc, buf))
		trim_nidx_add(inc, buf, 0, 0);
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
		trim_nidx_add(cdefs, buf, 0, 0);
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

int trim_read_consumers(struct trim *x)
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

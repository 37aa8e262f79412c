/*
 * headers_int.h - the header trimmer's private model, shared by the
 * headers_*.c files (one step of headers_trim() each; see headers.c).
 *
 * A source declaration (sdecl) is a declaration of one fragment of the
 * update: a hunk's new side, or a whole file of a headers tree.  Target
 * declarations are the tree's file, scanned whole.  Both are cdecl_file
 * scans (cdecl.h); indices, not pointers, tie them together.
 */
#ifndef BT_HEADERS_INT_H
#define BT_HEADERS_INT_H

#include "analyse/cdecl.h"
#include "analyse/headers.h"
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

static inline struct cdecl *S(struct trim *x, int fi, size_t si)
{
	struct hfile *h = &x->f[fi];
	return &h->g[h->sd[si].g].cd.v[h->sd[si].d];
}

static inline struct cdecl *T(struct trim *x, int fi, int ti)
{
	return &x->f[fi].td.v[ti];
}

/* headers_model.c */
void trim_nidx_init(struct nidx *x);
void trim_nidx_add(struct nidx *x, const char *name, int fi, int di);
struct nent *trim_nidx_next(struct nent *e, const char *name);
struct nent *trim_nidx_get(const struct nidx *x, const char *name);
void trim_nidx_free(struct nidx *x);
long trim_s_up(struct trim *x, int fi, size_t si);
long trim_s_parent(struct trim *x, int fi, size_t si);
const char *trim_member_of(struct trim *x, int fi, size_t si);
char *trim_member_designator(struct trim *x, int fi, size_t si);
const char *trim_decl_label(const struct cdecl *d);
void trim_item_add_field(struct headers_items *v, const char *path,
			   const struct cdecl *d, const char *of,
			   char *designator, long lines, const char *why);
void trim_item_add(struct headers_items *v, const char *path,
		     const struct cdecl *d, const char *of, long lines,
		     const char *why);
void trim_value_add(struct headers_values *v, const char *path, long line,
		      const char *name, const char *tv, const char *rv,
		      const char *uv, const char *message);
/* headers_spell.c */
char *trim_portable_text(const char *buf, size_t len, size_t *outlen);
/* headers_load.c */
void trim_hfile_release(struct hfile *h);
int trim_load_source_patch(struct trim *x);
int trim_load_source_dir(struct trim *x);
int trim_read_consumers(struct trim *x);
/* headers_match.c */
int trim_names_global(enum cdecl_kind k);
int trim_indexed(const struct cdecl *d);
void trim_index_all(struct trim *x);
int trim_t_find_member(struct trim *x, int fi, int tp, const char *name);
int trim_is_field(const struct cdecl *d);
void trim_match_all(struct trim *x);
/* headers_closure.c */
void trim_keep(struct trim *x, int fi, size_t si, const char *why);
void trim_check_new_headers(struct trim *x);
void trim_find_roots(struct trim *x);
/* headers_place.c */
void trim_place(struct trim *x, int fi, size_t si);
void trim_place_all(struct trim *x);
/* headers_values.c */
char *trim_value_text(struct trim *x, int source, const char *name, int *known,
			long long *v);
void trim_check_value(struct trim *x, const char *name, const char *by);
void trim_check_aggregates(struct trim *x);
void trim_check_enums(struct trim *x);
/* headers_write.c */
void trim_report_dropped(struct trim *x);
int trim_emit(struct trim *x, struct strbuf *diff);

#endif

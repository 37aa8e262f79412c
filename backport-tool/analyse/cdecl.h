/*
 * cdecl.h - a preprocessor-aware scanner for C headers.
 *
 * It does not compile anything: it splits a header into the declarations
 * a kernel uapi header is made of (#define, enum and its members, struct
 * and union with their fields and nested types, typedefs, prototypes,
 * #if blocks), each with its exact extent in whole lines, the comment
 * block written directly above it, the names it defines and the
 * identifiers it uses.  The header trimmer (headers.c) decides from these
 * which declarations a backport needs and copies their lines verbatim.
 *
 * Names live in two spaces, as in C: ordinary identifiers ("FOO", "__u32")
 * and tags, written with their keyword ("struct vfio_bitmap").
 *
 * A buffer may also be a fragment of a header (the new side of one hunk):
 * cdecl_scan_fragment() then guesses whether it starts inside a comment or
 * inside an aggregate (named by the hunk's "@@ ... @@ struct foo {" line)
 * and marks such synthetic containers `partial`.
 */
#ifndef BT_CDECL_H
#define BT_CDECL_H

#include <stddef.h>

enum cdecl_kind {
	CD_DEFINE,     /* #define NAME body */
	CD_DEFINE_FN,  /* #define NAME(args) body */
	CD_UNDEF,
	CD_INCLUDE,    /* name: the path between <> or "" */
	CD_PP_OTHER,   /* #pragma, #error, #warning, #line */
	CD_COND,       /* #if/#ifdef/#ifndef ... #endif: a container */
	CD_COND_ELSE,  /* #elif/#else line inside a CD_COND */
	CD_STRUCT,     /* definitions with a body: containers */
	CD_UNION,
	CD_ENUM,
	CD_MEMBER,     /* a field of a struct or union */
	CD_ENUMERATOR, /* an enum member */
	CD_TYPEDEF,
	CD_FUNC,       /* prototype or inline function */
	CD_VAR,        /* other declaration: variable, forward "struct x;" */
	CD_OTHER       /* what we do not understand (kept as an anchor) */
};

struct cdecl {
	enum cdecl_kind kind;
	char *name;      /* main name: "FOO", "struct foo"; NULL if anonymous */
	char **names;    /* every name it defines (typedef names too) */
	size_t nnames;
	char **refs;     /* identifiers and tags it uses, unique */
	size_t nrefs;
	char *value;     /* CD_DEFINE*: body; CD_ENUMERATOR: "= expr" part;
			    CD_COND: the directive; whitespace normalised */
	int up;          /* innermost container (aggregate or #if), -1 */
	int parent;      /* innermost struct/union/enum, -1 */
	int cond;        /* innermost CD_COND, -1 */
	int partial;     /* opened before the fragment began: no text */
	size_t start, end;  /* byte extent, whole lines: [start, end) */
	long line, end_line;/* 1-based, inclusive */
	size_t cstart;   /* start of the attached comment, == start if none */
	long cline;
	size_t open_end; /* containers: end of the line holding '{' or #if */
	long open_line;
	long close_line; /* containers: line of the '}' or #endif */
};

struct cdecl_file {
	struct cdecl *v;
	size_t n, alloc;
	long nlines;
	int unbalanced;  /* braces or #if blocks did not match */
};

/* Scan a whole header.  Never fails: odd input gives CD_OTHER entries. */
void cdecl_scan(struct cdecl_file *f, const char *buf, size_t len);

/*
 * Scan a fragment that may start inside a comment or inside aggregates;
 * heading is the hunk's section heading ("struct foo {") or NULL.
 */
void cdecl_scan_fragment(struct cdecl_file *f, const char *buf, size_t len,
			 const char *heading);

void cdecl_file_release(struct cdecl_file *f);

/* buf[start, end) without comments, whitespace runs as one space. */
char *cdecl_normalize(const char *buf, size_t start, size_t end);

int cdecl_is_container(enum cdecl_kind k);
const char *cdecl_kind_name(enum cdecl_kind k);

/* Does d define name (main name or typedef names)? */
int cdecl_defines(const struct cdecl *d, const char *name);

/*
 * Evaluate an integer constant expression as the preprocessor would.
 * lookup(ctx, name, out) resolves identifiers (0 found, -1 not).  Returns
 * 0 and sets *out, or -1 when the expression is not a plain constant
 * (sizeof, a function-like macro, an unknown name).
 */
typedef int (*cdecl_lookup_fn)(void *ctx, const char *name, long long *out,
			       int depth);
int cdecl_eval(const char *expr, cdecl_lookup_fn lookup, void *ctx,
	       int depth, long long *out);

/*
 * Call fn for every identifier of C text outside comments, strings and
 * character constants; tags come as "struct x".  Used for consumers.
 */
typedef void (*cdecl_ident_fn)(void *ctx, const char *id, size_t len);
void cdecl_for_each_ident(const char *buf, size_t len, int *in_comment,
			  cdecl_ident_fn fn, void *ctx);

#endif

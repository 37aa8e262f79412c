/*
 * symindex.h - a C symbol index: which identifiers a tree defines, and
 * where.
 *
 * One fast pass over every *.c and *.h file (a directory, or a git
 * revision read through gitsrc) with a small lexer that skips comments,
 * strings, character literals and line continuations, and records what a
 * reviewer means by "defined": functions (definitions and prototypes),
 * macros, enum members, struct/union/enum tags, typedef names, struct
 * members and file-scope variables, with the type a declaration names
 * and the struct a member belongs to (enough to follow "p->a.b" to the
 * struct it reads).  It does not preprocess: both sides of an #if count,
 * and macros that generate definitions are not expanded.
 *
 * The other half answers "what does this patch use": the identifiers on
 * the '+' lines of a patch, minus C keywords and minus what the patch
 * defines itself (a parameter or local only in its own function).
 */
#ifndef BT_SYMINDEX_H
#define BT_SYMINDEX_H

#include <stddef.h>

#include "input/patch.h"

struct gitsrc;

enum sym_kind {
	SYM_FUNCTION,  /* a definition */
	SYM_PROTOTYPE,
	SYM_MACRO,
	SYM_ENUMERATOR,
	SYM_TAG,       /* struct/union/enum tag */
	SYM_TYPEDEF,
	SYM_MEMBER,    /* struct/union member */
	SYM_VARIABLE,  /* file scope */
	SYM_LOCAL      /* parameters and locals: only when indexing patches */
};

const char *sym_kind_name(enum sym_kind k);

struct sym_def {
	const char *name;
	const char *file;  /* as the index was given it */
	long line;
	enum sym_kind kind;
	const char *type;  /* its declared type, "struct TAG" or a name; or NULL */
};

struct symindex;

struct symindex *symindex_new(void);
void symindex_free(struct symindex *ix);

/* Every *.c and *.h below dir, paths recorded relative to it.  0 or -1. */
int symindex_add_dir(struct symindex *ix, const char *dir);

/*
 * The *.c and *.h files of revision rev, read from the object database;
 * with paths (n > 0), only those files.  0 or -1.
 */
int symindex_add_git(struct symindex *ix, struct gitsrc *g, const char *rev,
		     const char *const *paths, size_t n);

/*
 * Index one file's text.  The index keeps file (copied) and reads data
 * only during the call.  With locals, parameters and block-scope
 * declarations count too (used for a patch's own added code).
 */
void symindex_add_text(struct symindex *ix, const char *file,
		       const char *data, size_t len, int locals);

/*
 * The first definition recorded for name[0..len), or NULL.  The result
 * lives in the index and is overwritten by its next lookup.
 */
const struct sym_def *symindex_lookup(const struct symindex *ix,
				      const char *name, size_t len);
/*
 * Besides plain names the index holds keys that say more (all with their
 * declared type where the recogniser saw one):
 *   "struct TAG"          a struct or union body was read
 *   "struct TAG?"         ... and it has members the recogniser cannot
 *                         name (a macro, an anonymous union, a directive)
 *   "struct TAG.MEMBER"   a member of it (anonymous bodies get TAG "@N")
 *   "typedef NAME"        a typedef, its type the one it names
 *   "var NAME"            a file-scope variable
 *   "NAME\x01PATH:FUNC"   with locals: a parameter or local of FUNC in PATH
 *                         (a macro's parameters: FUNC is "#MACRO"; a hunk
 *                         begins in the function its @@ line names)
 *   "NAME\x01*"           with locals: such a name in any function
 * symindex_lookup_key() looks them up from parts.
 */
const struct sym_def *symindex_lookup_key(const struct symindex *ix,
					  const char *prefix, const char *name,
					  const char *suffix);
size_t symindex_count(const struct symindex *ix);
size_t symindex_files(const struct symindex *ix);

/* One identifier a patch's added lines use. */
struct sym_use {
	char *name;
	char *of;          /* a member: the access before it ("p.state"), "" when
			      not a chain of names; NULL for a plain name */
	char *scope;       /* "PATH:FUNC" it is used in */
	char *base_type;   /* a member: its chain's first name's declared type
			      when the patch declares it, else NULL */
	int local_elsewhere; /* scope is only the @@ line's guess and the
				patch has a parameter or local of this name
				in another function */
	const char *path;  /* the file the patch changes (points into the patch) */
	long line;         /* line in the new file */
	long patch_line;   /* line in the patch file */
};

struct sym_uses {
	struct sym_use *v;
	size_t n, alloc;
};

/*
 * The identifiers the '+' lines of p use, each once (its first use), in
 * patch order: C keywords, names after #include, and names the patch
 * itself defines (functions, macros and their parameters, types, members,
 * locals) are left out.  The definitions are added to defs when non-NULL,
 * so that later patches of a series see them.
 */
void symindex_patch_uses(const struct patch *p, struct symindex *defs,
			 struct sym_uses *out);
void sym_uses_release(struct sym_uses *u);

/* Index the definitions of p's added lines only. */
void symindex_add_patch(struct symindex *ix, const struct patch *p);

int sym_is_keyword(const char *s, size_t len);

#endif

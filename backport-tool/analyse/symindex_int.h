/*
 * symindex_int.h - what the symindex_*.c files share: the hash set of
 * names, the lexer's and the declaration recogniser's state, and a hunk's
 * post-image with where each line comes from (see symindex.c).
 */
#ifndef BT_SYMINDEX_INT_H
#define BT_SYMINDEX_INT_H

#include <stdint.h>
#include "analyse/symindex.h"
#include "util.h"

/* ---- the hash set ----------------------------------------------------- */

struct entry {
	const char *name; /* NULL: empty slot */
	uint32_t len, hash;
	uint32_t file;
	uint32_t kind;
	long line;
	const char *type;   /* a declaration's type ("struct a", "Foo"), or NULL */
};

struct symindex {
	struct entry *tab;
	size_t size, count; /* size: power of two */
	char **files;
	size_t nfiles, files_alloc;
	char **arenas;      /* name storage, in chunks */
	size_t narenas, arenas_alloc, arena_left;
	char *arena_next;
	unsigned anon;       /* anonymous struct bodies named so far */
	struct sym_def last; /* what lookup returns */
};

/* ---- keywords ------------------------------------------------------- */

enum kw { KW_NONE, KW_TYPE, KW_TYPEDEF, KW_STRUCT, KW_ENUM, KW_OTHER };

/* ---- the lexer -------------------------------------------------------- */

enum tok {
	T_EOF, T_IDENT, T_NUMBER, T_STRING, T_PUNCT,
	T_DEFINE,  /* "#define": the macro name follows */
	T_PP,      /* another directive: its tokens follow */
	T_PPEND    /* the end of a directive's line */
};

struct lexer {
	const char *p, *end;
	long line;
	int bol;   /* only blanks since the last newline */
	int in_pp; /* inside a directive */
	const char *s; /* the token */
	size_t n;
	long tline;
};

/* ---- the declaration recogniser ----------------------------------- */

enum scope_kind { SC_FILE, SC_STRUCT, SC_ENUM, SC_BLOCK, SC_INIT };

/* What we know about the declaration being read at one brace level. */
struct decl {
	int ntok;           /* tokens since the statement began */
	int first_ok;       /* it began with a type or identifier */
	int is_typedef;
	int init;           /* after '=': skipping the initializer */
	int depth;          /* ( and [ nesting */
	enum tok prev;      /* previous token at this level */
	char prevc;         /* its character, for T_PUNCT */
	enum kw prevkw;
	int pending;        /* 1 after struct/union, 2 after enum (and tag) */
	const char *tag;    /* the tag after struct/union/enum */
	size_t tag_n;
	long tag_line;
	const char *last;   /* declarator candidate */
	size_t last_n;
	long last_line;
	const char *fn;     /* function declarator */
	size_t fn_n;
	long fn_line;
	const char *fp;     /* (*name) */
	size_t fp_n;
	long fp_line;
	int fp_state;       /* 1 after '(', 2 after '(' '*' */
	int enum_expect;    /* an enumerator name comes next */
	int after_macro;    /* last follows "MACRO(...)": a macro-made type */
	int types;          /* type words seen (not static, const...) */
	int last_typed, fn_typed; /* a type word came before last / fn */
	int attr;           /* inside __attribute__((...)) after struct/enum */
	const char *type;   /* the statement's type name: a tag or an identifier */
	size_t type_n;
	int type_tag;       /* type is a struct/union tag */
	const char *cand;   /* the last plain identifier at depth 0: a type name? */
	size_t cand_n;
	const char *ptype;  /* the same for the parameter being read */
	size_t ptype_n;
	int ptype_tag;
	const char *pcand;
	size_t pcand_n;
	int ndecl;          /* declarators recorded in this statement */
};

struct scope {
	enum scope_kind kind;
	struct decl d;      /* the enclosing level's declaration, saved */
	const char *sname;  /* SC_STRUCT: its tag (or a made-up "@N") */
	size_t sname_n;
};

struct post_image;

struct parser {
	struct symindex *ix;
	uint32_t file;
	int locals;
	const struct post_image *pi; /* a patch: filter by line kind */
	struct scope *stack;
	size_t depth, alloc;
	struct decl d;
	/*
	 * With locals: "PATH:FUNCTION", the scope parameters and locals are
	 * recorded in (as "NAME\x01SCOPE"); a hunk's post-image starts in the
	 * function its @@ line names (in_fragment until it ends).
	 */
	struct strbuf scope;
	int in_fragment;
	const char *declared; /* the parameter just recorded: not a use */
};

/*
 * Read one text.  When uses is non-NULL, every identifier token is also
 * reported through it (with its line), for the patch side; of is NULL for
 * a plain name, and for a member (after '.' or '->') the access before it
 * ("p", "p.state.aptr"), or "" when that is not a chain of names.
 */
typedef void (*ident_fn)(void *data, const char *s, size_t n, long line,
			 const char *of);

/* ---- a patch's uses ------------------------------------------------- */

/* The post-image of one hunk, with where each of its lines comes from. */
struct post_line {
	char kind;
	long new_line, patch_line;
};

struct post_image {
	const char *func;   /* the @@ line's section heading */
	size_t func_len;
	struct strbuf text;
	struct post_line *lines;
	size_t n, alloc;
};

/* symindex.c */
void sym_define(struct symindex *ix, uint32_t file, const char *s,
		   size_t len, long line, enum sym_kind kind);
void sym_define_typed(struct symindex *ix, uint32_t file, const char *s,
		      size_t len, long line, enum sym_kind kind,
		      const char *type, size_t type_n);
const char *sym_arena_copy(struct symindex *ix, const char *s, size_t len);
/* symindex_lex.c */
enum kw sym_keyword(const char *s, size_t n);
enum tok sym_lex(struct lexer *lx);
/* symindex_parse.c */
void sym_parse_text(struct parser *ps, const char *data, size_t len,
		       ident_fn uses, void *udata);
void sym_parser_init(struct parser *ps, struct symindex *ix, const char *file,
		     int locals);
void sym_parser_release(struct parser *ps);
uint32_t sym_add_file_name(struct symindex *ix, const char *file);
/* symindex_tree.c */
int sym_is_c_source(const char *name, size_t n);
/* symindex_uses.c */
int sym_post_line_added(const struct post_image *pi, long line);

#endif

/*
 * util.h - the small things every module needs: checked allocation, a
 * growable string buffer, and the program's error and warning messages.
 *
 * Errors follow the GNU convention: "backport-tool: FILE:LINE: message" on
 * stderr, one line.  Functions report failure by returning -1 (after printing)
 * so that callers can unwind without losing the first, most precise message.
 */
#ifndef BT_UTIL_H
#define BT_UTIL_H

#include <stdarg.h>
#include <stddef.h>

#define PROGRAM_NAME "backport-tool"

/* Exit statuses every command shares. */
enum {
	EXIT_OK = 0,
	EXIT_CONFLICT = 1, /* the analysis found conflicts */
	EXIT_USAGE = 2     /* usage or input error */
};

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Grow an array *p of *alloc elements so that it holds at least n. */
#define ALLOC_GROW(p, n, alloc)                                               \
	do {                                                                  \
		if ((n) > (alloc)) {                                          \
			(alloc) = (alloc) < 16 ? 16 : (alloc) * 2;            \
			if ((alloc) < (n))                                    \
				(alloc) = (n);                                \
			(p) = xrealloc((p), (alloc) * sizeof(*(p)));          \
		}                                                             \
	} while (0)

struct strbuf {
	char *buf; /* always NUL-terminated once initialised */
	size_t len;
	size_t alloc;
};

#define STRBUF_INIT { NULL, 0, 0 }

void sb_init(struct strbuf *sb);
void sb_grow(struct strbuf *sb, size_t extra);
void sb_add(struct strbuf *sb, const void *data, size_t len);
void sb_addstr(struct strbuf *sb, const char *s);
void sb_addch(struct strbuf *sb, int c);
void sb_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
void sb_reset(struct strbuf *sb);
void sb_release(struct strbuf *sb);
char *sb_detach(struct strbuf *sb, size_t *len);

/*
 * A set of strings in insertion order (v[i] is the i-th added), found
 * again by hash; lookups take a length, so a string needs no NUL there.
 */
struct strset {
	char **v;
	size_t n, alloc;
	size_t *tab;       /* index + 1; 0 empty */
	size_t size;
};

/* Add str: 1 when it was not there, 0 when it was. */
int strset_add(struct strset *s, const char *str);
/* The index + 1 of str[0..len), 0 when it is not there. */
size_t strset_has(const struct strset *s, const char *str, size_t len);
/* The index of str[0..len), added when it is not there. */
size_t strset_index(struct strset *s, const char *str, size_t len);
/* keep_strings: the caller took v's strings (and v). */
void strset_release(struct strset *s, int keep_strings);

/*
 * Append s with what a terminal would act on written as C escapes: control
 * characters ("\033", "\n", "\t"), DEL, C1 controls and bytes that are
 * not UTF-8, so that a series line, patch name or path never clears the
 * screen or retitles the window.  Backslashes are left as they are.
 */
void sb_add_escaped(struct strbuf *sb, const char *s);
/* s escaped as sb_add_escaped() does, in a string the caller frees. */
char *xstrdup_escaped(const char *s);

/*
 * Messages.  error() and error_at() print and return -1; file may be NULL
 * and line 0 when unknown.  The whole line is escaped (sb_add_escaped), so
 * a message is always one line and never carries a terminal escape.
 */
int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * A file argument LOCATION_COMMIT "4b956a3999" is the text git format-patch
 * --no-stat writes for that commit (gitsrc.h): its messages read "commit
 * 4b956a3999 (format-patch --no-stat, line 36): ...", not as if a file
 * were named after the commit.
 */
#define LOCATION_COMMIT "\001commit "
/* After the commit's id: the text names its binary changes by blob ids
   (gitsrc_binary_ids), "(format-patch --no-stat --no-binary, line 36)". */
#define LOCATION_NO_BINARY "\001--no-binary"

int error_at(const char *file, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warning_at(const char *file, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Read a whole file ("-" is standard input) into out, which the caller
 * releases.  Refuses files larger than limit bytes (0: no limit).
 */
int read_whole_file(const char *path, size_t limit, struct strbuf *out);

/* Largest patch or tree file we are willing to hold in memory. */
#define MAX_INPUT_SIZE ((size_t)1 << 30)

/*
 * mkdir -p for the directories the program owns outside any target tree
 * (caches, --out): every missing component, mode 0755.  0, or -1 after an
 * error message naming the component that failed.
 */
int mkdir_p(const char *path);

/*
 * The program's cache, SUB appended when not NULL: $BACKPORT_TOOL_CACHE
 * (made absolute), else $XDG_CACHE_HOME/backport-tool, else ~/.cache/backport-tool (HOME,
 * or the password database when HOME is unset).  Relative values of those
 * are ignored, as the XDG spec says: a cache relative to the working directory
 * could land inside a target tree.  Malloc'ed; NULL after an error message
 * when no absolute place is known.
 */
char *cache_path(const char *sub);

/*
 * A hash of a line: its length and the bytes at its ends (FNV-1a over the
 * first and the last 8).  Equal lines hash the same; it is a filter, not
 * an identity, made for hashing every line of a file in little time
 * (placement's line index, the 3-way merge's proof of a conflict).
 */
static inline unsigned line_ends_hash(const char *s, size_t n)
{
	unsigned h = 2166136261u ^ (unsigned)n;
	size_t i, m = n < 8 ? n : 8;

	for (i = 0; i < m; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	for (i = n > 16 ? n - 8 : m; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* Is p[0..n) one of C's keywords (or bool/true/false/NULL)?  A renamed
   name is never one. */
int c_is_keyword(const char *p, size_t n);

/* 2 * n lower-case hex digits at s (an object id as git writes it) into
   out[0..n); 0, or -1 at anything else. */
int hex_to_bytes(const char *s, unsigned char *out, size_t n);

#endif

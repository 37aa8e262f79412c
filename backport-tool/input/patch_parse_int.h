/*
 * patch_parse_int.h - the diff reader's private state, shared by the
 * patch_*.c files that read one part of a patch each (see patch_parse.c).
 *
 * A struct line is a view into the patch's own buffer; the parser walks the
 * buffer one line at a time, counting lines for messages.
 */
#ifndef BT_PATCH_PARSE_INT_H
#define BT_PATCH_PARSE_INT_H

#include <string.h>

#include "input/patch.h"
#include "util.h"

/*
 * Limits on what one patch may make us hold: each hunk line costs a struct
 * pline (24 bytes) for 2 or 3 bytes of patch, so a crafted patch could ask
 * for ten times its size.  Real hunks stay far below: a whole generated
 * header added at once is some hundred thousand lines.
 */
#define MAX_HUNK_LINES  (1L << 22) /* either count of one hunk */

#define MAX_PATCH_LINES (1L << 24) /* hunk lines of one patch, all files */

struct line {
	const char *s;    /* start of the line */
	size_t len;       /* without the '\n' */
	const char *next; /* start of the following line */
};

struct parser {
	struct patch *patch;
	const char *where;   /* file name for messages */
	const char *p, *end; /* the next unread line */
	long lineno;         /* its number */
	long first_line;     /* number of the text's first line */
	size_t files_alloc;
	size_t hunks_alloc;  /* of the file diff being read */
	/* the two sections of a context diff hunk, before merging */
	struct pline *ctx_old, *ctx_new;
	size_t ctx_old_alloc, ctx_new_alloc;
	long nlines;         /* hunk lines so far, against MAX_PATCH_LINES */
	int allow_empty;     /* no file diff: an empty commit, not an error */
};

/* Fills l with the line at p; 0 at the end of the text. */
static inline int line_at(const char *p, const char *end, struct line *l)
{
	const char *nl;

	if (p >= end)
		return 0;
	nl = memchr(p, '\n', (size_t)(end - p));
	l->s = p;
	l->len = nl ? (size_t)(nl - p) : (size_t)(end - p);
	l->next = nl ? nl + 1 : end;
	return 1;
}

static inline int cur(const struct parser *ps, struct line *l)
{
	return line_at(ps->p, ps->end, l);
}

static inline void advance(struct parser *ps, const struct line *l)
{
	ps->p = l->next;
	ps->lineno++;
}

static inline int starts(const struct line *l, const char *prefix)
{
	size_t n = strlen(prefix);
	return l->len >= n && !memcmp(l->s, prefix, n);
}

/* The line after l, if any, starts with prefix. */
static inline int next_starts(const struct parser *ps, const struct line *l,
		       const char *prefix, struct line *out)
{
	struct line tmp;

	if (!out)
		out = &tmp;
	return line_at(l->next, ps->end, out) && starts(out, prefix);
}

/* Length of l without a trailing '\r'. */
static inline size_t len_nocr(const struct line *l)
{
	return l->len && l->s[l->len - 1] == '\r' ? l->len - 1 : l->len;
}

static inline int is_line(const struct line *l, const char *text)
{
	return len_nocr(l) == strlen(text) && !memcmp(l->s, text, len_nocr(l));
}

/* State of the file diff being read, until its names are settled. */
struct file_head {
	const char *git_line; /* names part of "diff --git " */
	size_t git_len;
	char *from, *to;      /* rename/copy from/to */
	char *old, *new;      /* from "---" / "+++" */
	int have_minus;       /* saw the "---"/"+++" pair */
	int old_null, new_null;
	int old_epoch, new_epoch;
	char *bin_old, *bin_new;
	int created, deleted, renamed, copied;
};

/* patch_parse.c */
int parse_is_file_start(const struct parser *ps, const struct line *l,
			 int after_file);
int parse_is_context_diff(const struct parser *ps, const struct line *l);
int parse_is_ed_command(const struct line *l);
/* patch_names.c */
char *parse_header_name(const struct line *l, int *dev_null, int *epoch);
char *parse_rest_name(const struct line *l, size_t skip);
int parse_git_line_names(const char *s, size_t len, const char *from,
			  const char *to, char **a, char **b);
void parse_binary_line_names(const struct line *l, char **a, char **b);
/* patch_unified.c */
long parse_num(const char **sp, const char *end);
struct file_diff *parse_current_file(struct parser *ps);
int parse_hunk_check_limits(struct parser *ps, const struct hunk *h,
			     long at);
int parse_read_binary_data(struct parser *ps, struct file_diff *fd);
int parse_hunks(struct parser *ps);
/* patch_githdr.c */
void parse_file_head_release(struct file_head *fh);
int parse_git_header(struct file_diff *fd, struct file_head *fh,
			    const struct line *l);
int parse_file_finish(struct parser *ps, struct file_diff *fd,
		       struct file_head *fh);
int parse_read_name_pair(struct parser *ps, struct file_head *fh,
			  const struct line *old, const struct line *new);
int parse_minus_plus(struct parser *ps, struct file_head *fh,
			    const struct line *l);
int parse_check_after_hunks(struct parser *ps);
/* patch_context.c */
int parse_file(struct parser *ps, struct line l);
/* patch_meta.c */
int parse_key_is(const struct line *l, const char *key);
int parse_is_hex_word(const char *s, size_t n);
void meta_parse(struct patch *p);
int meta_hexval(int c);
int meta_b64val(int c);
char *meta_header_value(const char *s, const char *end, size_t klen,
			const char **next);
int meta_is_mail_block(const char *s, const char *end);
/* patch_mime.c: decode a mail's MIME body; *bufp may be replaced.
   1 when it was decoded, 0 when it needed no decoding, -1 on error. */
int meta_decode_mail(const char *where, long first_line, char **bufp,
		     size_t *lenp);
/* patch_mbox.c */
int mbox_is_from(const struct line *l);

#endif

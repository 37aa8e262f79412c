/*
 * patch.h - the patch model every stage shares:
 *
 *     patch_list -> patch -> file_diff -> hunk -> pline
 *
 * A patch owns its raw text; hunks and lines point into it, so parsing a
 * series costs one read per file and no copies of the diff body.  The text
 * before the first file diff (mail headers, DEP-3 fields, commit message) is
 * kept verbatim in `header` so that emitters can write it back unchanged.
 */
#ifndef BT_PATCH_H
#define BT_PATCH_H

#include <stddef.h>

enum file_op {
	FILE_MODIFY,
	FILE_CREATE, /* old side is /dev/null or "new file mode" */
	FILE_DELETE, /* new side is /dev/null or "deleted file mode" */
	FILE_RENAME, /* git "rename from/to", possibly with hunks */
	FILE_COPY    /* git "copy from/to", possibly with hunks */
};

/* One line of a hunk.  text excludes the '\n' but keeps a '\r' (CRLF). */
struct pline {
	char kind;          /* ' ' context, '-' removed, '+' added */
	unsigned noeol : 1; /* followed by "\ No newline at end of file" */
	const char *text;
	size_t len;
};

struct hunk {
	long old_start, old_count; /* as the @@ line says (1-based) */
	long new_start, new_count;
	const char *func;          /* section heading after the second @@ */
	size_t func_len;
	struct pline *lines;
	size_t nlines;
	long lineno;               /* line of the @@ in the patch file */
};

/*
 * One side of a "GIT binary patch": "literal N" (the whole content) or
 * "delta N" (git's delta against the other side), N bytes once inflated,
 * carried as base85 lines of zlib data.  binpatch.h decodes it.
 */
struct binary_hunk {
	int delta;
	size_t size;
	const char *data; /* its data lines, in the patch text */
	size_t len;
	long lineno;      /* of the "literal"/"delta" line */
};

struct file_diff {
	char *old_path;       /* as written, before -p stripping; NULL = /dev/null */
	char *new_path;
	enum file_op op;
	unsigned old_mode;    /* from git headers; 0 when not given */
	unsigned new_mode;
	unsigned is_git : 1;  /* has a "diff --git" line */
	unsigned is_binary : 1; /* "Binary files differ" or "GIT binary patch" */
	unsigned binary_data : 1; /* "GIT binary patch" with literal/delta data */
	struct binary_hunk binary[2]; /* forward (old -> new), reverse */
	size_t nbinary;
	char old_id[65], new_id[65]; /* blob ids of git's "index A..B" line, or "" */
	unsigned is_submodule : 1; /* a gitlink (mode 160000): no file content */
	char old_sub[41], new_sub[41]; /* its "Subproject commit" ids, or "" */
	struct hunk *hunks;
	size_t nhunks;
	long lineno;          /* first header line of this file in the patch */
};

/* Fields read from the header, all NULL when absent.  Values are unfolded. */
struct patch_meta {
	char *from;     /* mbox From: or DEP-3 Author: */
	char *date;
	char *subject;  /* mbox Subject: with "[PATCH n/m]" removed, or DEP-3 Description: first line */
	char *commit;   /* "From <sha1> Mon Sep 17 00:00:00 2001" line, or commit id from git */
	char *body;     /* message body after the subject, trailers included */
};

struct patch {
	char *name;        /* how the user named it: file path, series entry, commit id */
	char *where;       /* what messages name its lines by, NULL: name (patch_where) */
	char *header;      /* verbatim text before the first file diff */
	size_t header_len;
	long header_lines; /* number of lines in header */
	struct patch_meta meta;
	int strip;         /* -pN to use; -1 = not said (guess: 1 for a/ b/, else 1) */
	unsigned whole_blobs : 1; /* each file's hunks are the whole diff of
			      the blobs its "index" line names, as git made
			      it (gitsrc's text of a commit, never edited):
			      a file that is the pre-image blob becomes the
			      post-image blob */
	unsigned binary_ids : 1; /* its binary changes are named by blob ids,
			      not carried (gitsrc_binary_ids): the text and
			      its line numbers are format-patch --no-binary's */
	struct file_diff *files;
	size_t nfiles;
	char *raw;         /* owns the text plines point into */
	size_t raw_len;
};

struct patch_list {
	struct patch *v;
	size_t n, alloc;
};

/*
 * Parse one patch from buf (which the patch takes ownership of; it must be
 * NUL-terminated at buf[len]).  name is used in messages: "NAME:LINE: ...".
 * Returns 0, or -1 after printing an error naming the line.
 */
int patch_parse(struct patch *out, const char *name, char *buf, size_t len);

/*
 * patch_parse() for text whose first line is line first_line of `where`,
 * which messages name instead of name ("SERIES:LINE: PATCH" for a series
 * entry, the mbox for one of its messages).
 */
int patch_parse_at(struct patch *out, const char *name, const char *where,
		   long first_line, char *buf, size_t len);

/*
 * patch_parse_at() for the text of a commit (first line 1): a text without
 * any file diff is an empty patch (nfiles 0, an empty commit), not an error.
 */
int patch_parse_commit(struct patch *out, const char *name, const char *where,
		       char *buf, size_t len);

/*
 * Read a file that may hold one patch or a whole mbox (git format-patch
 * --stdout) and append each patch to list.  "-" reads standard input.
 */
int patch_list_read_file(struct patch_list *list, const char *path);

/*
 * Read a quilt series file: one patch per line, "# comments", blank lines,
 * and per-patch options (-pN, -R is refused).  Patch paths are resolved
 * relative to the series file's directory, as quilt does.
 */
int patch_list_read_series(struct patch_list *list, const char *series_path);

/* What messages name a patch's lines by: LOCATION_COMMIT for a commit. */
const char *patch_where(const struct patch *p);

void patch_release(struct patch *p);
void patch_list_release(struct patch_list *list);

/*
 * The path a file diff names on one side after removing `strip` leading
 * components, or NULL when the side is /dev/null or has too few components.
 * which: 0 old side, 1 new side.  Returns a pointer into the stored path.
 */
const char *file_diff_path(const struct file_diff *fd, int strip, int which);

/* The path this file diff changes on the target: new side, else old side. */
const char *file_diff_target(const struct file_diff *fd, int strip);

/* The -p level for a patch: its `strip`, or 1 when not given. */
int patch_strip_level(const struct patch *p);

#endif

/*
 * patch_parse.c - read unified and context diffs into the patch model.
 *
 * One pass over the buffer: the text before the first file diff becomes the
 * patch header (mail headers, DEP-3 fields, commit message), then each file
 * diff ("diff --git", "Index:", "diff -...", a bare "---"/"+++" pair, or a
 * context diff's "***"/"---" pair) is read with its git extended headers
 * and hunks.  Hunk lines point into the patch's own buffer; the only
 * allocations are the file, hunk and line arrays (grown geometrically) and
 * the path names.  Context diff hunks are merged into unified lines.
 *
 * A hunk ends exactly when the counts of its "@@" line are satisfied, as in
 * GNU patch, so mail trailers after the last hunk are never taken for diff
 * lines, and an empty line inside a hunk is an empty context line whose
 * trailing space a mailer removed.  Anything malformed is an error naming
 * the line; paths are stored as written (fsio checks them at apply time).
 *
 * The header fields (struct patch_meta) come from mail headers (RFC 2047
 * decoded; MIME bodies decoded first, patch_mime.c), DEP-3, git log or hg
 * export.  Mboxes (git format-patch --stdout) give one patch per message,
 * errors naming the line in the whole file.
 *
 * This file holds the driver: where file diffs start and what may stand
 * between them.  The parts, one file each (their state: patch_parse_int.h):
 *   patch_names.c    "---"/"+++" and "diff --git" names
 *   patch_githdr.c   git extended headers; a file diff's operation
 *   patch_unified.c  "@@" hunks          patch_context.c  "***" hunks
 *   patch_meta.c     mail, DEP-3, git log and hg header fields
 *   patch_mime.c     a mail's MIME body: transfer encodings, multipart
 *   patch_mbox.c     mboxes and patch files
 */
#include "input/patch_parse_int.h"

#include <ctype.h>
#include <stdlib.h>

/*
 * Does a file diff start at l?  after_file: a file diff was already read,
 * so a "---"/"+++" pair needs no "@@" after it.
 */
int parse_is_file_start(const struct parser *ps, const struct line *l,
			 int after_file)
{
	struct line n1, n2;

	if (starts(l, "diff --git "))
		return 1;
	if (starts(l, "diff -"))
		return next_starts(ps, l, "--- ", NULL) ||
		       next_starts(ps, l, "*** ", NULL) ||
		       next_starts(ps, l, "Binary files ", NULL);
	if (starts(l, "Index: "))
		return next_starts(ps, l, "====", NULL) ||
		       next_starts(ps, l, "--- ", NULL);
	if (starts(l, "--- ") && next_starts(ps, l, "+++ ", &n1))
		return after_file || next_starts(ps, &n1, "@@ ", &n2);
	return parse_is_context_diff(ps, l);
}

/* "*** name" / "--- name" / "***************": a context diff. */
int parse_is_context_diff(const struct parser *ps, const struct line *l)
{
	struct line n1;

	return starts(l, "*** ") && next_starts(ps, l, "--- ", &n1) &&
	       next_starts(ps, &n1, "***************", NULL);
}

static const char *skip_digits(const char *s, const char *end)
{
	while (s < end && isdigit((unsigned char)*s))
		s++;
	return s;
}

/* "N" or "N,M" at s: where it ends, or NULL when s holds none. */
static const char *skip_range(const char *s, const char *end)
{
	const char *t = skip_digits(s, end);

	if (t == s)
		return NULL;
	if (t < end && *t == ',') {
		s = t + 1;
		t = skip_digits(s, end);
		if (t == s)
			return NULL;
	}
	return t;
}

static int is_ed_letter(char c)
{
	return c == 'a' || c == 'c' || c == 'd';
}

/* "N", "N,M" followed by a, c or d, and the line ends: an ed command. */
int parse_is_ed_command(const struct line *l)
{
	const char *end = l->s + len_nocr(l), *t = skip_range(l->s, end);

	return t && t + 1 == end && is_ed_letter(*t);
}

/* "NcN", "N,NdN", "NaN,N": a normal (default format) diff command. */
static int is_normal_diff_command(const struct line *l)
{
	const char *end = l->s + len_nocr(l), *t = skip_range(l->s, end);

	if (!t || t >= end || !is_ed_letter(*t))
		return 0;
	t = skip_range(t + 1, end);
	return t == end;
}

/* --- the whole patch ----------------------------------------------------- */

static int check_nul(const char *where, const char *buf, size_t len,
		     long first_line)
{
	const char *nul = memchr(buf, '\0', len), *s;
	long line = first_line;

	if (!nul)
		return 0;
	for (s = buf; (s = memchr(s, '\n', (size_t)(nul - s))); s++)
		line++;
	return error_at(where, line, "NUL byte in patch text");
}

/* Why a text without any file diff is not a patch we can read. */
static int no_diff_error(struct parser *ps)
{
	const char *p = ps->patch->raw;
	long lineno = ps->first_line;
	struct line l, n;

	while (line_at(p, ps->end, &l)) {
		if (is_normal_diff_command(&l) &&
		    line_at(l.next, ps->end, &n) &&
		    (starts(&n, "< ") || starts(&n, "> ")))
			return error_at(ps->where, lineno,
					"normal diffs are not supported; use 'diff -u'");
		if (parse_is_ed_command(&l))
			return error_at(ps->where, lineno,
					"ed scripts are not supported");
		if (starts(&l, "@@@ "))
			return error_at(ps->where, lineno,
					"combined diffs (merges) are not supported");
		if (starts(&l, "--- ") && next_starts(ps, &l, "@@ ", NULL))
			return error_at(ps->where, lineno,
					"'---' line without a '+++' line after it");
		p = l.next;
		lineno++;
	}
	return error_at(ps->where, ps->first_line, "no diff found");
}

/* Lines between file diffs: trailers and garbage, skipped with care. */
static int parse_between(struct parser *ps, const struct line *l)
{
	if (parse_is_ed_command(l))
		return error_at(ps->where, ps->lineno,
				"ed scripts are not supported");
	if (starts(l, "@@ "))
		return error_at(ps->where, ps->lineno,
				"hunk outside a file diff");
	if (starts(l, "@@@ "))
		return error_at(ps->where, ps->lineno,
				"combined diffs (merges) are not supported");
	if (starts(l, "--- ") && next_starts(ps, l, "@@ ", NULL))
		return error_at(ps->where, ps->lineno,
				"'---' line without a '+++' line after it");
	advance(ps, l);
	return 0;
}

static int parse_body(struct parser *ps)
{
	struct patch *p = ps->patch;
	struct line l;
	const char *hdr_end;

	while (cur(ps, &l) && !parse_is_file_start(ps, &l, 0))
		advance(ps, &l);
	hdr_end = ps->p;
	p->header_len = (size_t)(hdr_end - p->raw);
	p->header = xstrndup(p->raw, p->header_len);
	p->header_lines = 0;
	for (const char *s = p->raw; (s = memchr(s, '\n', (size_t)(hdr_end - s)));
	     s++)
		p->header_lines++;
	if (!cur(ps, &l) && ps->allow_empty)
		return 0; /* a commit that changes nothing */
	if (!cur(ps, &l))
		return no_diff_error(ps);
	while (cur(ps, &l)) {
		if (parse_is_file_start(ps, &l, 1)) {
			if (parse_file(ps, l))
				return -1;
		} else if (parse_between(ps, &l)) {
			return -1;
		}
	}
	if (!p->nfiles)
		return error_at(ps->where, ps->first_line, "no diff found");
	return 0;
}

static int parse_text(struct patch *out, const char *name, const char *where,
		      long first_line, char *buf, size_t len, int allow_empty)
{
	struct parser ps;
	char *decoded = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	out->name = xstrdup(name);
	out->raw = buf;
	out->raw_len = len;
	out->strip = -1;
	memset(&ps, 0, sizeof(ps));
	rc = meta_decode_mail(where, first_line, &out->raw, &out->raw_len);
	if (rc < 0)
		goto fail;
	if (rc > 0) {
		/* its line numbers count the decoded text, not the file's */
		struct strbuf sb = STRBUF_INIT;

		sb_init(&sb);
		sb_addf(&sb, "%s (MIME-decoded)", where);
		where = decoded = sb_detach(&sb, NULL);
	}
	buf = out->raw;
	len = out->raw_len;
	if (check_nul(where, buf, len, first_line))
		goto fail;
	ps.patch = out;
	ps.where = where;
	ps.p = buf;
	ps.end = buf + len;
	ps.lineno = first_line;
	ps.first_line = first_line;
	ps.allow_empty = allow_empty;
	if (parse_body(&ps))
		goto fail;
	free(ps.ctx_old);
	free(ps.ctx_new);
	meta_parse(out);
	out->where = decoded;
	return 0;
fail:
	free(ps.ctx_old);
	free(ps.ctx_new);
	free(decoded);
	patch_release(out);
	return -1;
}

/*
 * patch_parse() for text starting at line first_line of the file `where`
 * (an mbox holding several patches).
 */
int patch_parse_at(struct patch *out, const char *name,
			  const char *where, long first_line, char *buf,
			  size_t len)
{
	return parse_text(out, name, where, first_line, buf, len, 0);
}

int patch_parse(struct patch *out, const char *name, char *buf, size_t len)
{
	return parse_text(out, name, name, 1, buf, len, 0);
}

int patch_parse_commit(struct patch *out, const char *name, const char *where,
		       char *buf, size_t len)
{
	return parse_text(out, name, where, 1, buf, len, 1);
}

/* --- release, paths ------------------------------------------------------ */

void patch_release(struct patch *p)
{
	size_t i, j;

	if (!p)
		return;
	for (i = 0; i < p->nfiles; i++) {
		struct file_diff *fd = &p->files[i];

		for (j = 0; j < fd->nhunks; j++)
			free(fd->hunks[j].lines);
		free(fd->hunks);
		free(fd->old_path);
		free(fd->new_path);
	}
	free(p->files);
	free(p->name);
	free(p->where);
	free(p->header);
	free(p->meta.from);
	free(p->meta.date);
	free(p->meta.subject);
	free(p->meta.commit);
	free(p->meta.body);
	free(p->raw);
	memset(p, 0, sizeof(*p));
	p->strip = -1;
}

/*
 * Strip -pN components as the tool made for the diff reads it.  In a plain
 * diff a run of slashes separates components as one slash does, as in GNU
 * patch (so quilt and dpkg-source): "diff -r a/ b/" once wrote
 * "a//src/x.c", which is src/x.c at -p1.  In a git diff, as in git apply,
 * "b//etc/passwd" is "/etc/passwd" (git never writes that).  A path
 * written absolute is returned whole, where GNU patch would strip it: so
 * path_check() refuses it instead of the strip quietly making it relative.
 */
const char *patch_where(const struct patch *p)
{
	return p->where ? p->where : p->name;
}

const char *file_diff_path(const struct file_diff *fd, int strip, int which)
{
	const char *s = which ? fd->new_path : fd->old_path;

	if (!s)
		return NULL;
	if (*s == '/')
		return s;
	while (strip-- > 0) {
		s = strchr(s, '/');
		if (!s)
			return NULL;
		s++;
		while (!fd->is_git && *s == '/')
			s++;
	}
	return *s ? s : NULL;
}

const char *file_diff_target(const struct file_diff *fd, int strip)
{
	return fd->new_path ? file_diff_path(fd, strip, 1)
			    : file_diff_path(fd, strip, 0);
}

int patch_strip_level(const struct patch *p)
{
	return p->strip >= 0 ? p->strip : 1;
}

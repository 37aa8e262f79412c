/*
 * series.c - read a quilt series: debian/patches/series or any file in its
 * format, or a directory holding one; and release patch lists.
 *
 * One patch per line, named relative to the series file's directory; blank
 * lines and "#" comments (whole-line, or after whitespace) are skipped; a
 * patch may carry options: -pN sets its strip level.  Anything else (-R, a
 * reversed patch, or an option quilt would not know) is refused, naming
 * the series line, as is a patch named twice, because applying such a
 * series silently differently from quilt would be worse than not applying
 * it.
 */
#include "input/patch.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void patch_list_release(struct patch_list *list)
{
	size_t i;

	for (i = 0; i < list->n; i++)
		patch_release(&list->v[i]);
	free(list->v);
	list->v = NULL;
	list->n = list->alloc = 0;
}

/*
 * The series file to read: path itself, or for a directory the first of
 * DIR/series, DIR/patches/series and DIR/debian/patches/series that exists
 * (quilt's own places, and a Debian source tree's), else DIR/series.
 */
static char *series_file(const char *path)
{
	static const char *const tails[] = {
		"series", "patches/series", "debian/patches/series"
	};
	struct strbuf sb = STRBUF_INIT;
	struct stat st;
	size_t i, base;

	if (!strcmp(path, "-") || stat(path, &st) || !S_ISDIR(st.st_mode))
		return xstrdup(path);
	sb_init(&sb);
	sb_addstr(&sb, path);
	if (sb.len && sb.buf[sb.len - 1] != '/')
		sb_addch(&sb, '/');
	base = sb.len;
	for (i = 0; i < sizeof(tails) / sizeof(tails[0]); i++) {
		sb.len = base;
		sb_addstr(&sb, tails[i]);
		if (!stat(sb.buf, &st) && S_ISREG(st.st_mode))
			return sb_detach(&sb, NULL);
	}
	sb.len = base;
	sb_addstr(&sb, tails[0]);
	return sb_detach(&sb, NULL);
}

/* "dir/" of a file path ("" when it has none). */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? xstrndup(path, (size_t)(slash - path + 1)) : xstrdup("");
}

/* Cut a trailing "# comment" (a '#' at the start or after whitespace). */
static void cut_comment(char *s)
{
	char *p;

	for (p = s; *p; p++)
		if (*p == '#' && (p == s || isspace((unsigned char)p[-1]))) {
			*p = '\0';
			return;
		}
}

/* Options after the patch name: "-pN" (or "-p N"). */
static int series_options(char **tok, size_t ntok, const char *file,
			  long line, int *strip)
{
	size_t i;

	for (i = 0; i < ntok; i++) {
		const char *arg = tok[i];
		char *end;
		long n;

		if (!strcmp(arg, "-R"))
			return error_at(file, line,
					"reversed patches (-R) are not supported");
		if (strncmp(arg, "-p", 2))
			return error_at(file, line,
					"unknown option '%s' in series", arg);
		arg += 2;
		if (!*arg && i + 1 < ntok)
			arg = tok[++i];
		errno = 0;
		n = strtol(arg, &end, 10);
		if (!*arg || *end || errno || n < 0 || n > 64)
			return error_at(file, line, "bad strip level in '-p%s'",
					arg);
		*strip = (int)n;
	}
	return 0;
}

/* The patch files a series named so far, to refuse one named twice. */
struct series_seen {
	struct seen_file {
		dev_t dev;
		ino_t ino;
		long line;
	} *v;
	size_t n, alloc;
};

/*
 * quilt refuses a series that names a patch twice (its second push would
 * reverse the first), and so does git apply; so do we, naming both lines.
 * The same file under two spellings ("a.patch", "./a.patch") counts.
 */
static int series_check_twice(struct series_seen *seen, const struct stat *st,
			      const char *entry, const char *file, long line)
{
	size_t i;

	for (i = 0; i < seen->n; i++)
		if (seen->v[i].dev == st->st_dev && seen->v[i].ino == st->st_ino)
			return error_at(file, line,
					"patch '%s' is named twice in the series (also line %ld)",
					entry, seen->v[i].line);
	ALLOC_GROW(seen->v, seen->n + 1, seen->alloc);
	seen->v[seen->n].dev = st->st_dev;
	seen->v[seen->n].ino = st->st_ino;
	seen->v[seen->n++].line = line;
	return 0;
}

/* Read and parse one series entry. */
static int series_read_patch(struct patch_list *list, struct series_seen *seen,
			     const char *dir, const char *entry, int strip,
			     const char *file, long line)
{
	struct strbuf path = STRBUF_INIT, data = STRBUF_INIT, where = STRBUF_INIT;
	struct patch p;
	struct stat st;
	size_t len;
	char *buf;
	int ret = -1;

	sb_init(&path);
	if (entry[0] != '/')
		sb_addstr(&path, dir);
	sb_addstr(&path, entry);
	if (stat(path.buf, &st)) {
		error_at(file, line, "cannot read patch '%s': %s", entry,
			 strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		error_at(file, line, "patch '%s' is not a regular file", entry);
		goto out;
	}
	if (series_check_twice(seen, &st, entry, file, line))
		goto out;
	if ((unsigned long long)st.st_size > MAX_INPUT_SIZE) {
		error_at(file, line, "patch '%s' is larger than %zu bytes, refused",
			 entry, MAX_INPUT_SIZE);
		goto out;
	}
	if (read_whole_file(path.buf, MAX_INPUT_SIZE, &data))
		goto out;
	buf = sb_detach(&data, &len);
	/* "SERIES:LINE: PATCH:LINE: ...": which entry, and where in it */
	sb_init(&where);
	sb_addf(&where, "%s:%ld: %s", file, line, path.buf);
	if (patch_parse_at(&p, path.buf, where.buf, 1, buf, len))
		goto out;
	free(p.name);
	p.name = xstrdup(entry);
	p.strip = strip;
	ALLOC_GROW(list->v, list->n + 1, list->alloc);
	list->v[list->n++] = p;
	ret = 0;
out:
	sb_release(&path);
	sb_release(&where);
	return ret;
}

/* Split s in place at whitespace; returns the number of words. */
static size_t split_words(char *s, char **tok, size_t max)
{
	size_t n = 0;

	while (*s) {
		while (isspace((unsigned char)*s))
			*s++ = '\0';
		if (!*s)
			break;
		if (n == max)
			return max + 1;
		tok[n++] = s;
		while (*s && !isspace((unsigned char)*s))
			s++;
	}
	return n;
}

int patch_list_read_series(struct patch_list *list, const char *series_path)
{
	struct strbuf sb = STRBUF_INIT;
	struct series_seen seen = { NULL, 0, 0 };
	char *file = series_file(series_path);
	char *dir = dir_of(file);
	char *s, *nl, *next;
	struct stat st;
	long line = 0;
	int ret = 0;

	if ((!stat(file, &st) && S_ISREG(st.st_mode) &&
	     (unsigned long long)st.st_size > MAX_INPUT_SIZE &&
	     error_at(file, 0, "larger than %zu bytes, refused", MAX_INPUT_SIZE)) ||
	    read_whole_file(file, MAX_INPUT_SIZE, &sb)) {
		ret = -1;
		goto out;
	}
	if ((s = memchr(sb.buf, '\0', sb.len))) {
		for (nl = sb.buf; (nl = memchr(nl, '\n', (size_t)(s - nl))); nl++)
			line++;
		ret = error_at(file, line + 1, "NUL byte in series file");
		goto out;
	}
	for (s = sb.buf; *s && !ret; s = next) {
		char *tok[8];
		size_t ntok;
		int strip = -1;

		line++;
		nl = strchr(s, '\n');
		if (nl)
			*nl = '\0';
		next = nl ? nl + 1 : s + strlen(s);
		cut_comment(s);
		ntok = split_words(s, tok, 8);
		if (!ntok)
			continue;
		if (ntok > 8) {
			ret = error_at(file, line, "too many words in series line");
			break;
		}
		ret = series_options(tok + 1, ntok - 1, file, line, &strip);
		if (!ret)
			ret = series_read_patch(list, &seen, dir, tok[0], strip,
						file, line);
	}
out:
	sb_release(&sb);
	free(seen.v);
	free(file);
	free(dir);
	return ret;
}

/*
 * util.c - allocation that cannot fail silently, string buffers, messages.
 */
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

static void die_oom(size_t n)
{
	fprintf(stderr, PROGRAM_NAME ": out of memory (%zu bytes)\n", n);
	exit(EXIT_USAGE);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		die_oom(n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		die_oom(n * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die_oom(n);
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void sb_init(struct strbuf *sb)
{
	sb->buf = NULL;
	sb->len = sb->alloc = 0;
	sb_grow(sb, 0);
}

void sb_grow(struct strbuf *sb, size_t extra)
{
	size_t want = sb->len + extra + 1;
	if (want <= sb->alloc)
		return;
	if (want < sb->alloc * 2)
		want = sb->alloc * 2;
	if (want < 64)
		want = 64;
	sb->buf = xrealloc(sb->buf, want);
	sb->alloc = want;
	sb->buf[sb->len] = '\0';
}

void sb_add(struct strbuf *sb, const void *data, size_t len)
{
	sb_grow(sb, len);
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void sb_addstr(struct strbuf *sb, const char *s)
{
	sb_add(sb, s, strlen(s));
}

void sb_addch(struct strbuf *sb, int c)
{
	char ch = (char)c;
	sb_add(sb, &ch, 1);
}

void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list copy;
	int n;

	sb_grow(sb, 64);
	va_copy(copy, ap);
	n = vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, copy);
	va_end(copy);
	if (n < 0)
		return;
	if ((size_t)n >= sb->alloc - sb->len) {
		sb_grow(sb, (size_t)n);
		vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, ap);
	}
	sb->len += (size_t)n;
}

void sb_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vaddf(sb, fmt, ap);
	va_end(ap);
}

void sb_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

void sb_release(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->alloc = 0;
}

char *sb_detach(struct strbuf *sb, size_t *len)
{
	char *p;

	if (!sb->buf)
		sb_grow(sb, 0);
	p = sb->buf;
	if (len)
		*len = sb->len;
	sb->buf = NULL;
	sb->len = sb->alloc = 0;
	return p;
}

/* Length of the well-formed UTF-8 sequence at s that is no C1 control, or 0. */
static size_t utf8_printable(const unsigned char *s)
{
	size_t n, i;

	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	n = s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if (s[0] == 0xc2 && s[1] < 0xa0)
		return 0; /* U+0080..U+009F, C1 controls (0x9b is CSI) */
	return n;
}

void sb_add_escaped(struct strbuf *sb, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n;

	while (*s) {
		if (*s >= 0x20 && *s < 0x7f) {
			sb_addch(sb, *s++);
		} else if (*s >= 0x80 && (n = utf8_printable(s))) {
			sb_add(sb, s, n);
			s += n;
		} else if (*s == '\n' || *s == '\t' || *s == '\r') {
			sb_addch(sb, '\\');
			sb_addch(sb, *s == '\n' ? 'n' : *s == '\t' ? 't' : 'r');
			s++;
		} else {
			sb_addf(sb, "\\%03o", *s++);
		}
	}
}

char *xstrdup_escaped(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	sb_init(&sb);
	sb_add_escaped(&sb, s);
	return sb_detach(&sb, NULL);
}

static void vreport(const char *kind, const char *file, long line,
		    const char *fmt, va_list ap)
{
	struct strbuf raw = STRBUF_INIT, out = STRBUF_INIT;

	sb_init(&raw);
	sb_init(&out);
	if (file && !strncmp(file, LOCATION_COMMIT, strlen(LOCATION_COMMIT))) {
		int id_len;

		file += strlen(LOCATION_COMMIT);
		id_len = (int)strcspn(file, "\001");
		if (line > 0)
			sb_addf(&raw, "commit %.*s (format-patch --no-stat%s, "
				"line %ld): ", id_len, file,
				strcmp(file + id_len, LOCATION_NO_BINARY)
					? "" : " --no-binary", line);
		else
			sb_addf(&raw, "commit %.*s: ", id_len, file);
	} else if (file && line > 0)
		sb_addf(&raw, "%s:%ld: ", file, line);
	else if (file)
		sb_addf(&raw, "%s: ", file);
	if (kind)
		sb_addstr(&raw, kind);
	sb_vaddf(&raw, fmt, ap);
	sb_addstr(&out, PROGRAM_NAME ": ");
	sb_add_escaped(&out, raw.buf);
	sb_addch(&out, '\n');
	fwrite(out.buf, 1, out.len, stderr);
	sb_release(&raw);
	sb_release(&out);
}

int error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(NULL, NULL, 0, fmt, ap);
	va_end(ap);
	return -1;
}

int error_at(const char *file, long line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(NULL, file, line, fmt, ap);
	va_end(ap);
	return -1;
}

void warning(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport("warning: ", NULL, 0, fmt, ap);
	va_end(ap);
}

void warning_at(const char *file, long line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport("warning: ", file, line, fmt, ap);
	va_end(ap);
}

int read_whole_file(const char *path, size_t limit, struct strbuf *out)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	char chunk[65536];
	size_t n;

	if (!f)
		return error_at(path, 0, "%s", strerror(errno));
	sb_init(out);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (limit && out->len + n > limit) {
			if (f != stdin)
				fclose(f);
			sb_release(out);
			return error_at(path, 0, "larger than %zu bytes, refused",
					limit);
		}
		sb_add(out, chunk, n);
	}
	if (ferror(f)) {
		int e = errno;
		if (f != stdin)
			fclose(f);
		sb_release(out);
		return error_at(path, 0, "read error: %s", strerror(e));
	}
	if (f != stdin)
		fclose(f);
	return 0;
}

int mkdir_p(const char *path)
{
	char *copy = xstrdup(path), *p;
	int ret = 0;

	for (p = copy + 1; *p && ret == 0; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, 0755) < 0 && errno != EEXIST)
			ret = error("%s: %s", copy, strerror(errno));
		*p = '/';
	}
	if (ret == 0 && mkdir(copy, 0755) < 0 && errno != EEXIST)
		ret = error("%s: %s", copy, strerror(errno));
	free(copy);
	return ret;
}

char *cache_path(const char *sub)
{
	const char *env = getenv("BACKPORT_TOOL_CACHE");
	const struct passwd *pw;
	struct strbuf sb = STRBUF_INIT;

	char cwd[4096];

	if (env && *env == '/')
		sb_addstr(&sb, env);
	else if (env && *env && getcwd(cwd, sizeof(cwd)))
		sb_addf(&sb, "%s/%s", cwd, env); /* asked for: relative to here */
	else if ((env = getenv("XDG_CACHE_HOME")) && *env == '/')
		sb_addf(&sb, "%s/backport-tool", env);
	else if ((env = getenv("HOME")) && *env == '/')
		sb_addf(&sb, "%s/.cache/backport-tool", env);
	else if ((pw = getpwuid(getuid())) && pw->pw_dir && *pw->pw_dir == '/')
		sb_addf(&sb, "%s/.cache/backport-tool", pw->pw_dir);
	else {
		error("no cache directory: set BACKPORT_TOOL_CACHE or HOME "
		      "to an absolute path");
		return NULL;
	}
	if (sub)
		sb_addf(&sb, "/%s", sub);
	return sb_detach(&sb, NULL);
}

int c_is_keyword(const char *p, size_t n)
{
	static const char *const kw[] = {
		"auto", "break", "case", "char", "const", "continue",
		"default", "do", "double", "else", "enum", "extern", "float",
		"for", "goto", "if", "inline", "int", "long", "register",
		"restrict", "return", "short", "signed", "sizeof", "static",
		"struct", "switch", "typedef", "union", "unsigned", "void",
		"volatile", "while", "_Bool", "_Atomic", "_Noreturn",
		"bool", "true", "false", "NULL",
	};
	size_t i;

	for (i = 0; i < sizeof(kw) / sizeof(kw[0]); i++)
		if (strlen(kw[i]) == n && !memcmp(kw[i], p, n))
			return 1;
	return 0;
}

/* ---- strset --------------------------------------------------------- */

static size_t strset_hash(const char *s, size_t len)
{
	size_t h = 5381, i;

	for (i = 0; i < len; i++)
		h = h * 33 + (unsigned char)s[i];
	return h;
}

/* The slot of str[0..len): where it is, or the empty one it would take. */
static size_t strset_slot(const struct strset *s, const char *str, size_t len)
{
	size_t i;

	for (i = strset_hash(str, len) & (s->size - 1); s->tab[i];
	     i = (i + 1) & (s->size - 1)) {
		const char *q = s->v[s->tab[i] - 1];

		if (!strncmp(q, str, len) && !q[len])
			break;
	}
	return i;
}

static void strset_grow(struct strset *s)
{
	size_t j;

	free(s->tab);
	s->size = s->size ? 2 * s->size : 256;
	s->tab = xcalloc(s->size, sizeof(*s->tab));
	for (j = 0; j < s->n; j++)
		s->tab[strset_slot(s, s->v[j], strlen(s->v[j]))] = j + 1;
}

size_t strset_has(const struct strset *s, const char *str, size_t len)
{
	return s->size ? s->tab[strset_slot(s, str, len)] : 0;
}

size_t strset_index(struct strset *s, const char *str, size_t len)
{
	size_t i;

	if ((s->n + 1) * 2 > s->size)
		strset_grow(s);
	i = strset_slot(s, str, len);
	if (!s->tab[i]) {
		ALLOC_GROW(s->v, s->n + 1, s->alloc);
		s->v[s->n++] = xstrndup(str, len);
		s->tab[i] = s->n;
	}
	return s->tab[i] - 1;
}

int strset_add(struct strset *s, const char *str)
{
	size_t n = s->n;

	strset_index(s, str, strlen(str));
	return s->n > n;
}

void strset_release(struct strset *s, int keep_strings)
{
	size_t i;

	if (!keep_strings) {
		for (i = 0; i < s->n; i++)
			free(s->v[i]);
		free(s->v);
	}
	free(s->tab);
	memset(s, 0, sizeof(*s));
}

static int hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int hex_to_bytes(const char *s, unsigned char *out, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int hi = hex_value((unsigned char)s[2 * i]);
		int lo = hi < 0 ? -1 : hex_value((unsigned char)s[2 * i + 1]);

		if (lo < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

/*
 * buildlog.c - read the summary and the first error of an sbuild log (see
 * buildlog.h).
 */
#include <stdlib.h>
#include <string.h>

#include "buildd/buildlog.h"
#include "util.h"

/* Kinds of error lines, the most telling first: when a build fails, the
   compiler's message says more than the make and dpkg lines after it. */
enum err_kind {
	ERR_COMPILER,   /* file.c:3:1: error: ... */
	ERR_LINKER,     /* undefined reference to ... */
	ERR_DEPENDS,    /* Depends: x but it is not installable */
	ERR_TOOL,       /* dh_auto_build: error: ..., dpkg-source: error: ... */
	ERR_MAKE,       /* make[1]: *** [Makefile:3: all] Error 1 */
	ERR_GENERIC,    /* E: ... (sbuild, apt) */
	ERR_NKINDS
};

static int has(const char *line, size_t len, const char *needle)
{
	return memmem(line, len, needle, strlen(needle)) != NULL;
}

static int starts(const char *line, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && !memcmp(line, prefix, n);
}

static int classify(const char *line, size_t len)
{
	if (has(line, len, ": error: ") || has(line, len, ": fatal error: ")) {
		/* "dh_auto_build: error:", "dpkg-source: error:" are tools */
		const char *colon = memchr(line, ':', len);

		if (colon && colon + 1 < line + len && colon[1] == ' ')
			return ERR_TOOL;
		return ERR_COMPILER;
	}
	if (has(line, len, "undefined reference to"))
		return ERR_LINKER;
	if (has(line, len, "but it is not installable") ||
	    has(line, len, "but it is not going to be installed") ||
	    has(line, len, "but it is not available"))
		return ERR_DEPENDS;
	if ((starts(line, len, "make: *** ") || starts(line, len, "make[")) &&
	    has(line, len, "*** "))
		return ERR_MAKE;
	if (starts(line, len, "E: "))
		return ERR_GENERIC;
	return -1;
}

static char *trimmed(const char *p, size_t len)
{
	while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\r' || p[len - 1] == '\t'))
		len--;
	while (len > 0 && (*p == ' ' || *p == '\t'))
		p++, len--;
	return xstrndup(p, len);
}

static void summary_field(struct buildlog *b, const char *line, size_t len)
{
	static const struct { const char *name; size_t off; } fields[] = {
		{ "Status: ", offsetof(struct buildlog, status) },
		{ "Fail-Stage: ", offsetof(struct buildlog, fail_stage) },
		{ "Package: ", offsetof(struct buildlog, package) },
		{ "Version: ", offsetof(struct buildlog, version) },
		{ "Distribution: ", offsetof(struct buildlog, distribution) },
	};
	size_t i, n;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		n = strlen(fields[i].name);
		if (starts(line, len, fields[i].name)) {
			char **slot = (char **)((char *)b + fields[i].off);

			free(*slot);
			*slot = trimmed(line + n, len - n);
			return;
		}
	}
	if (starts(line, len, "Build-Time: "))
		b->build_time = strtol(line + 12, NULL, 10);
}

void buildlog_parse(const char *text, size_t len, struct buildlog *b)
{
	const char *p = text, *end = text + len, *nl;
	const char *first[ERR_NKINDS] = { 0 };
	size_t first_len[ERR_NKINDS] = { 0 };
	long first_line[ERR_NKINDS] = { 0 }, line = 0;
	int in_summary = 0, kind;

	memset(b, 0, sizeof(*b));
	b->build_time = -1;
	for (; p < end; p = nl + 1) {
		size_t l;

		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		l = (size_t)(nl - p);
		line++;
		if (starts(p, l, "| Summary ")) {
			/* a later summary (none in practice) wins */
			in_summary = 1;
			continue;
		}
		if (in_summary) {
			if (starts(p, l, "-----") && b->status)
				in_summary = 0;
			else
				summary_field(b, p, l);
			continue;
		}
		kind = classify(p, l);
		if (kind >= 0 && !first[kind]) {
			first[kind] = p;
			first_len[kind] = l;
			first_line[kind] = line;
		}
	}
	if (buildlog_ok(b))
		return;
	for (kind = 0; kind < ERR_NKINDS; kind++)
		if (first[kind]) {
			b->first_error = trimmed(first[kind], first_len[kind]);
			b->error_line = first_line[kind];
			break;
		}
}

int buildlog_read(const char *path, struct buildlog *b)
{
	struct strbuf sb = STRBUF_INIT;

	memset(b, 0, sizeof(*b));
	if (read_whole_file(path, MAX_INPUT_SIZE, &sb) < 0)
		return -1;
	buildlog_parse(sb.buf, sb.len, b);
	sb_release(&sb);
	return 0;
}

void buildlog_release(struct buildlog *b)
{
	free(b->status);
	free(b->fail_stage);
	free(b->package);
	free(b->version);
	free(b->distribution);
	free(b->first_error);
	memset(b, 0, sizeof(*b));
}

int buildlog_ok(const struct buildlog *b)
{
	return b->status && !strcmp(b->status, "successful");
}

void buildlog_describe(const struct buildlog *b, FILE *f)
{
	if (!b->status)
		fputs("no sbuild summary in the log", f);
	else if (buildlog_ok(b))
		fputs("built", f);
	else
		fprintf(f, "failed at %s (Status: %s)",
			b->fail_stage ? b->fail_stage : "an unknown step", b->status);
}

void buildlog_write_markdown(const struct buildlog *b, const char *log_path,
			     FILE *f)
{
	fputs("## Build\n\n", f);
	if (b->package && b->version)
		fprintf(f, "`%s %s`%s%s in sbuild: **", b->package, b->version,
			b->distribution ? " for " : "",
			b->distribution ? b->distribution : "");
	else
		fputs("sbuild: **", f);
	buildlog_describe(b, f);
	fputs("**", f);
	if (b->build_time >= 0 && buildlog_ok(b))
		fprintf(f, " in %ldm%02lds", b->build_time / 60, b->build_time % 60);
	fputs(".\n", f);
	if (b->first_error)
		fprintf(f, "\nFirst error (log line %ld):\n\n```\n%s\n```\n",
			b->error_line, b->first_error);
	if (log_path)
		fprintf(f, "\nLog: `%s`\n", log_path);
}

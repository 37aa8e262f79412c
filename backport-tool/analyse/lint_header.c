/*
 * lint_header.c - rules on a patch's header: WIP, DBG, HACK and other
 * subject markers, as markers only ("debug:", "[wip]"), never words of
 * the topic ("keep debug symbols").
 */
#include "analyse/lint_int.h"

#include <ctype.h>
#include <string.h>

/* ---- header rules ---- */

/* The first line of the header that starts with field (e.g. "Subject:"). */
static const char *header_field(const struct patch *p, const char *field,
				long *lineno, size_t *len)
{
	const char *s = p->header, *end = p->header + p->header_len;
	long n = 0;

	if (!s)
		return NULL;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t l = nl ? (size_t)(nl - s) : (size_t)(end - s);

		n++;
		if (l >= strlen(field) && !strncasecmp(s, field, strlen(field))) {
			*lineno = n;
			*len = l;
			return s;
		}
		if (!nl)
			break;
		s = nl + 1;
	}
	return NULL;
}

/* Line number in the patch file of the header's first line. */
static long header_base(const struct patch *p)
{
	long base = 1;

	if (p->nfiles && p->files[0].lineno > p->header_lines)
		base = p->files[0].lineno - p->header_lines;
	return base;
}

/* Words after "debug" that make it a topic, not a marker. */
static int unrelated_next(const char *at, const char *end)
{
	static const char *const topics[] = {
		"symbol", "info", "package", "build", "level", "option",
		"mode", "flag", "message", "output", "log", "print",
	};
	size_t i, n;

	while (at < end && *at == ' ')
		at++;
	for (i = 0; i < sizeof(topics) / sizeof(topics[0]); i++) {
		n = strlen(topics[i]);
		if ((size_t)(end - at) >= n && !strncasecmp(at, topics[i], n))
			return 1;
	}
	return 0;
}

/*
 * Where word is a marker in s: a whole word, in a marker's place -- in
 * brackets, before a colon, or first in the subject -- unless loose is
 * set (upper-case markers stand alone).  Never when the next word makes
 * it a topic ("debug symbols", "debug info").
 */
static const char *find_marker(const char *s, size_t len, const char *word,
			       int ci, int loose)
{
	const char *end = s + len, *at = s;
	size_t wl = strlen(word);

	while (at < end && (at = lint_find_word(at, (size_t)(end - at), word, ci))) {
		const char *next = at + wl, *prev = at;

		while (prev > s && prev[-1] == ' ')
			prev--;
		if (!unrelated_next(next, end) &&
		    (loose || prev == s || prev[-1] == '[' || prev[-1] == '(' ||
		     prev[-1] == ']' || prev[-1] == ':' ||
		     (next < end && strchr(":])", *next))))
			return at;
		at = next;
	}
	return NULL;
}

/* "RFC" as a marker, not "RFC 7230" (a standard the fix follows). */
static int rfc_marker(const char *s, size_t len)
{
	const char *at = find_marker(s, len, "RFC", 1, 1), *n;

	if (!at)
		return 0;
	for (n = at + 3; n < s + len && (*n == ' ' || *n == '-'); n++)
		;
	return !(n < s + len && isdigit((unsigned char)*n));
}

static const struct {
	const char *word;
	int ci, loose;
	enum lint_severity sev;
} subject_markers[] = {
	/* Upper case: the author's own warning that it is not finished. */
	{ "WIP", 0, 1, LINT_ERROR },    { "DBG", 0, 1, LINT_ERROR },
	{ "HACK", 0, 1, LINT_ERROR },   { "XXX", 0, 1, LINT_ERROR },
	{ "FIXME", 0, 1, LINT_ERROR },  { "DEBUG", 0, 1, LINT_ERROR },
	{ "DO NOT MERGE", 1, 1, LINT_ERROR },
	/* Any case, in a marker's place ("debug: ...", "[wip]"). */
	{ "wip", 1, 0, LINT_WARNING },  { "dbg", 1, 0, LINT_WARNING },
	{ "hack", 1, 0, LINT_WARNING }, { "fixme", 1, 0, LINT_WARNING },
	{ "debug", 1, 0, LINT_WARNING },
};

void lint_subject(const struct patch *p, const struct lint_config *cfg,
		  struct lint_result *out)
{
	const char *s;
	size_t len, i;
	long line = 0;

	(void)cfg;
	s = header_field(p, "Subject:", &line, &len);
	if (!s)
		s = header_field(p, "Description:", &line, &len);
	if (s)
		line += header_base(p) - 1;
	else if (p->meta.subject) {
		s = p->meta.subject;
		len = strlen(s);
	}
	if (!s)
		return;
	for (i = 0; i < sizeof(subject_markers) / sizeof(subject_markers[0]); i++) {
		if (!find_marker(s, len, subject_markers[i].word,
				 subject_markers[i].ci, subject_markers[i].loose))
			continue;
		if (subject_markers[i].sev == LINT_ERROR)
			lint_add(out, p, LINT_DEBUG, LINT_ERROR,
				 "subject-wip-marker", line, NULL,
				 "subject says '%s': a work-in-progress or "
				 "debugging patch, not one to upload",
				 subject_markers[i].word);
		else
			lint_add(out, p, LINT_DEBUG, LINT_WARNING,
				 "subject-wip-marker", line, NULL,
				 "subject marks it '%s': make sure it is not "
				 "a debugging or unfinished patch",
				 subject_markers[i].word);
		return;
	}
	if (rfc_marker(s, len))
		lint_add(out, p, LINT_DEBUG, LINT_WARNING, "subject-wip-marker",
			 line, NULL, "subject marks it 'RFC': posted for "
			 "comments; the merged version may differ");
}

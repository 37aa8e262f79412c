/*
 * lint_header.c - rules on a patch's header: WIP, DBG, HACK and other
 * subject markers.
 */
#include "analyse/lint_int.h"

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

static const struct {
	const char *word;
	int ci;
	enum lint_severity sev;
} subject_markers[] = {
	/* Upper case: the author's own warning that it is not finished. */
	{ "WIP", 0, LINT_ERROR },    { "DBG", 0, LINT_ERROR },
	{ "HACK", 0, LINT_ERROR },   { "XXX", 0, LINT_ERROR },
	{ "FIXME", 0, LINT_ERROR },  { "DEBUG", 0, LINT_ERROR },
	{ "DO NOT MERGE", 1, LINT_ERROR },
	/* Posted for comments; the merged version may differ. */
	{ "RFC", 1, LINT_WARNING },
	/* Any case: often fine ("fix debug output"), worth a look. */
	{ "wip", 1, LINT_WARNING },  { "dbg", 1, LINT_WARNING },
	{ "hack", 1, LINT_WARNING }, { "fixme", 1, LINT_WARNING },
	{ "debug", 1, LINT_WARNING },
};

void lint_subject(const struct patch *p, struct lint_result *out)
{
	const char *s;
	size_t len, i;
	long line = 0;

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
		if (!lint_find_word(s, len, subject_markers[i].word,
			       subject_markers[i].ci))
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
				 "subject mentions '%s': make sure it is not "
				 "a debugging or unfinished patch",
				 subject_markers[i].word);
		return;
	}
}

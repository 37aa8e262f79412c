/*
 * hunkspec.h - build struct file_diff values from unified-diff text in unit
 * tests, so that the placement and apply tests do not depend on the patch
 * parser.  Only what the tests write is understood: "@@ -a,b +c,d @@ func"
 * lines, ' ', '-', '+' lines and "\ No newline at end of file".
 */
#ifndef BT_TEST_HUNKSPEC_H
#define BT_TEST_HUNKSPEC_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/patch.h"
#include "util.h"

struct spec {
	struct file_diff fd;
	char *buf; /* the plines point into it */
};

static void spec_add_line(struct file_diff *fd, char kind, const char *p,
			  size_t len)
{
	struct hunk *h = &fd->hunks[fd->nhunks - 1];
	struct pline *pl;

	h->lines = xrealloc(h->lines, (h->nlines + 1) * sizeof(*h->lines));
	pl = &h->lines[h->nlines++];
	pl->kind = kind;
	pl->noeol = 0;
	pl->text = p;
	pl->len = len;
}

static void spec_add_hunk(struct file_diff *fd, const char *line, long lineno)
{
	struct hunk *h;
	const char *f;

	fd->hunks = xrealloc(fd->hunks, (fd->nhunks + 1) * sizeof(*fd->hunks));
	h = &fd->hunks[fd->nhunks++];
	memset(h, 0, sizeof(*h));
	h->old_count = h->new_count = 1;
	if (sscanf(line, "@@ -%ld,%ld +%ld,%ld @@", &h->old_start,
		   &h->old_count, &h->new_start, &h->new_count) != 4 &&
	    sscanf(line, "@@ -%ld +%ld,%ld @@", &h->old_start, &h->new_start,
		   &h->new_count) != 3 &&
	    sscanf(line, "@@ -%ld,%ld +%ld @@", &h->old_start, &h->old_count,
		   &h->new_start) != 3 &&
	    sscanf(line, "@@ -%ld +%ld @@", &h->old_start,
		   &h->new_start) != 2) {
		fprintf(stderr, "hunkspec: cannot read '%.40s'\n", line);
		abort();
	}
	f = strstr(line + 2, "@@");
	if (f && f[2] == ' ') {
		h->func = f + 3;
		h->func_len = strcspn(h->func, "\n");
	}
	h->lineno = lineno;
}

/*
 * Parse text (a unified diff body: hunks only) into a file diff for
 * old -> new with operation op.
 */
static struct spec *spec_new(const char *old, const char *new_,
			     enum file_op op, const char *text)
{
	struct spec *s = xcalloc(1, sizeof(*s));
	char *p, *nl;
	long lineno = 1;

	s->buf = xstrdup(text);
	s->fd.old_path = old ? xstrdup(old) : NULL;
	s->fd.new_path = new_ ? xstrdup(new_) : NULL;
	s->fd.op = op;
	s->fd.lineno = 1;
	for (p = s->buf; *p; p = nl + 1, lineno++) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		if (!strncmp(p, "@@ ", 3)) {
			spec_add_hunk(&s->fd, p, lineno);
		} else if (*p == '\\') {
			struct hunk *h = &s->fd.hunks[s->fd.nhunks - 1];
			h->lines[h->nlines - 1].noeol = 1;
		} else if (*p == ' ' || *p == '-' || *p == '+') {
			spec_add_line(&s->fd, *p, p + 1, (size_t)(nl - p - 1));
		}
		if (!*nl)
			break;
	}
	return s;
}

static void spec_free(struct spec *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->fd.nhunks; i++)
		free(s->fd.hunks[i].lines);
	free(s->fd.hunks);
	free(s->fd.old_path);
	free(s->fd.new_path);
	free(s->buf);
	free(s);
}

/* "L1\nL2\n...Ln\n" with each line "<prefix><i>". */
static char *spec_lines(const char *prefix, int from, int to)
{
	struct strbuf sb = STRBUF_INIT;
	int i;

	for (i = from; i <= to; i++)
		sb_addf(&sb, "%s%d\n", prefix, i);
	return sb_detach(&sb, NULL);
}

#endif

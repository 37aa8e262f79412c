/*
 * dep3.c - complete a patch's header with the DEP-3 fields it lacks,
 * keeping every byte it already has.
 */
#include "emit/dep3.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

void dep3_commit_url(const char *base, const char *commit, struct strbuf *out)
{
	if (!base || !*base || !commit || !*commit)
		return;
	sb_addstr(out, base);
	sb_addstr(out, commit);
}

void dep3_format_date(time_t t, struct strbuf *out)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	sb_addf(out, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1,
		tm.tm_mday);
}

/* Length of the line at p (without its '\n'), bounded by end. */
static size_t line_len(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	return nl ? (size_t)(nl - p) : (size_t)(end - p);
}

static const char *next_line(const char *p, const char *end)
{
	size_t n = line_len(p, end);

	return p + n < end ? p + n + 1 : end;
}

/* "Name: value" or "Name:" with an RFC 822 field name. */
static int is_field_line(const char *l, size_t n)
{
	size_t i = 0;

	if (!n || !isalpha((unsigned char)l[0]))
		return 0;
	while (i < n && (isalnum((unsigned char)l[i]) || l[i] == '-' ||
			 l[i] == '_'))
		i++;
	return i < n && l[i] == ':' &&
	       (i + 1 == n || l[i + 1] == ' ' || l[i + 1] == '\t');
}

static int line_is_field(const char *l, size_t n, const char *field)
{
	size_t f = strlen(field);

	return n > f && l[f] == ':' && !strncasecmp(l, field, f);
}

int dep3_has_field(const char *header, size_t len, const char *field)
{
	const char *alias = NULL, *p, *end = header + len;

	if (!strcasecmp(field, "Description"))
		alias = "Subject";
	else if (!strcasecmp(field, "Author"))
		alias = "From";
	for (p = header; p < end; p = next_line(p, end)) {
		size_t n = line_len(p, end);
		if (line_is_field(p, n, field) ||
		    (alias && line_is_field(p, n, alias)))
			return 1;
	}
	return 0;
}

/* An mbox separator, "From 0123abc... Mon Sep 17 00:00:00 2001". */
static int is_mbox_from(const char *l, size_t n)
{
	return n > 5 && !memcmp(l, "From ", 5);
}

/*
 * Where fields can be added to the header's first paragraph: the offset
 * just after its last line, or -1 when that paragraph is not all fields
 * (free text, or no paragraph at all).
 */
static long field_paragraph_end(const char *h, size_t len)
{
	const char *p = h, *end = h + len;
	int fields = 0;

	if (p < end && is_mbox_from(p, line_len(p, end)))
		p = next_line(p, end);
	for (; p < end; p = next_line(p, end)) {
		size_t n = line_len(p, end);

		if (n == 0 || (n == 1 && p[0] == '\r') ||
		    (n == 3 && !memcmp(p, "---", 3)))
			break;
		if (is_field_line(p, n))
			fields++;
		else if (!fields || (p[0] != ' ' && p[0] != '\t'))
			return -1;
	}
	return fields ? (long)(p - h) : -1;
}

/* "Description: subject" and the body folded as DEP-3 wants it. */
static void add_description(struct strbuf *out, const char *subject,
			    const char *body)
{
	const char *p, *end;

	sb_addf(out, "Description: %s\n", subject);
	if (!body)
		return;
	while (*body == '\n' || *body == '\r')
		body++;
	end = body + strlen(body);
	while (end > body && isspace((unsigned char)end[-1]))
		end--;
	for (p = body; p < end; p = next_line(p, end)) {
		size_t n = line_len(p, end);
		size_t blank = strspn(p, " \t\r");

		if (blank >= n)
			sb_addstr(out, " .\n");
		else
			sb_addf(out, " %.*s\n", (int)n, p);
	}
}

/* The fields the header lacks, in DEP-3's order. */
static int missing_fields(const struct patch *p, const struct dep3_info *in,
			  struct strbuf *f)
{
	const char *h = p->header ? p->header : "";
	size_t len = p->header ? p->header_len : 0;

	if (!dep3_has_field(h, len, "Description")) {
		if (p->meta.subject && *p->meta.subject)
			add_description(f, p->meta.subject, p->meta.body);
		else if (in->description && *in->description)
			add_description(f, in->description, NULL);
		else
			return error_at(patch_where(p), 1, "nothing describes this "
					"patch: give it a Subject: or "
					"Description: header");
	}
	if (!dep3_has_field(h, len, "Author") && p->meta.from)
		sb_addf(f, "Author: %s\n", p->meta.from);
	if (!dep3_has_field(h, len, "Origin") && in->commit_url)
		sb_addf(f, "Origin: %s, %s\n",
			in->backport ? "backport" : "upstream", in->commit_url);
	if (!dep3_has_field(h, len, "Bug-Ubuntu") && in->bug_ubuntu)
		sb_addf(f, "Bug-Ubuntu: https://bugs.launchpad.net/bugs/%s\n",
			in->bug_ubuntu);
	if (!dep3_has_field(h, len, "Bug-Debian") && in->bug_debian)
		sb_addf(f, "Bug-Debian: https://bugs.debian.org/%s\n",
			in->bug_debian);
	if (!dep3_has_field(h, len, "Applied-Upstream") &&
	    in->applied_upstream) {
		sb_addf(f, "Applied-Upstream: %s", in->applied_upstream);
		if (in->commit_url)
			sb_addf(f, ", %s", in->commit_url);
		sb_addch(f, '\n');
	}
	if (!dep3_has_field(h, len, "Last-Update") && in->last_update)
		sb_addf(f, "Last-Update: %s\n", in->last_update);
	return 0;
}

/*
 * "[backport: ...]" at the end of the message text of the header written
 * from `from` on: before its "---" line (a mail's end of message), else
 * at its end, after a blank line.
 */
static void add_backport_line(struct strbuf *out, size_t from,
			      const char *what)
{
	struct strbuf line = STRBUF_INIT;
	size_t at = out->len, i;

	for (i = from; i + 4 <= out->len; i++)
		if ((i == from || out->buf[i - 1] == '\n') &&
		    !memcmp(out->buf + i, "---\n", 4)) {
			at = i;
			break;
		}
	sb_init(&line);
	if (at > from && !(at >= from + 2 && out->buf[at - 1] == '\n' &&
			   out->buf[at - 2] == '\n'))
		sb_addch(&line, '\n');
	sb_addf(&line, "[backport: %s]\n", what);
	sb_grow(out, line.len);
	memmove(out->buf + at + line.len, out->buf + at, out->len - at);
	memcpy(out->buf + at, line.buf, line.len);
	out->len += line.len;
	out->buf[out->len] = '\0';
	sb_release(&line);
}

int dep3_complete(const struct patch *p, const struct dep3_info *info,
		  struct strbuf *out)
{
	size_t start = out->len;
	struct strbuf fields = STRBUF_INIT;
	const char *h = p->header ? p->header : "";
	size_t len = p->header ? p->header_len : 0;
	long at;

	sb_init(&fields);
	if (missing_fields(p, info, &fields)) {
		sb_release(&fields);
		return -1;
	}
	at = field_paragraph_end(h, len);
	if (at >= 0) {
		sb_add(out, h, (size_t)at);
		if (at > 0 && h[at - 1] != '\n')
			sb_addch(out, '\n');
		sb_add(out, fields.buf, fields.len);
		sb_add(out, h + at, len - (size_t)at);
	} else {
		sb_add(out, fields.buf, fields.len);
		sb_addstr(out, len ? "\n" : "---\n");
		sb_add(out, h, len);
	}
	if (out->len && out->buf[out->len - 1] != '\n')
		sb_addch(out, '\n');
	if (info->adapted && *info->adapted)
		add_backport_line(out, start, info->adapted);
	sb_release(&fields);
	return 0;
}

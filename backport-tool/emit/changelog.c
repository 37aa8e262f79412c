/*
 * changelog.c - debian/changelog: read the top entry, write a new one in
 * deb-changelog(5) format, the way dch would.
 */
#include "emit/changelog.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "emit/version.h"

void changelog_entry_release(struct changelog_entry *e)
{
	free(e->package);
	free(e->version);
	free(e->distribution);
	free(e->urgency);
	free(e->body);
	memset(e, 0, sizeof(*e));
}

/* "pkg (version) dist; urgency=medium" */
static int parse_header(const char *name, const char *line, size_t len,
			struct changelog_entry *e)
{
	const char *sp = memchr(line, ' ', len), *close, *semi, *u;
	const char *end = line + len;

	if (!sp || sp == line || sp[1] != '(')
		return error_at(name, 1, "not a changelog header: "
			       "expected 'package (version) distribution;'");
	close = memchr(sp, ')', (size_t)(end - sp));
	semi = close ? memchr(close, ';', (size_t)(end - close)) : NULL;
	if (!close || !semi || close[1] != ' ' || semi <= close + 2)
		return error_at(name, 1, "not a changelog header: "
			       "expected 'package (version) distribution;'");
	e->package = xstrndup(line, (size_t)(sp - line));
	e->version = xstrndup(sp + 2, (size_t)(close - sp - 2));
	e->distribution = xstrndup(close + 2, (size_t)(semi - close - 2));
	u = memmem(semi, (size_t)(end - semi), "urgency=", 8);
	if (u) {
		u += 8;
		e->urgency = xstrndup(u, strcspn(u, ", \n"));
	}
	if (!version_valid(e->version, NULL))
		return error_at(name, 1, "invalid version '%s'", e->version);
	return 0;
}

int changelog_read_top(const char *name, const char *data,
		       struct changelog_entry *e)
{
	const char *p, *nl, *body;
	long line = 1;

	memset(e, 0, sizeof(*e));
	nl = strchr(data, '\n');
	if (!nl || parse_header(name, data, (size_t)(nl - data), e)) {
		if (!nl)
			error_at(name, 1, "empty or truncated changelog");
		changelog_entry_release(e);
		return -1;
	}
	body = nl + 1;
	for (p = body; *p; p = nl + 1) {
		line++;
		nl = strchr(p, '\n');
		if (!strncmp(p, " -- ", 4)) {
			e->body = xstrndup(body, (size_t)(p - body));
			e->len = nl ? (size_t)(nl + 1 - data) : strlen(data);
			return 0;
		}
		if (!nl)
			break;
	}
	changelog_entry_release(e);
	return error_at(name, line, "first entry has no ' -- ' trailer line");
}

/* Append s to out with every run of white space made one space. */
static void add_squeezed(struct strbuf *out, const char *s)
{
	int space = 0;

	for (; *s; s++) {
		if (isspace((unsigned char)*s)) {
			space = out->len > 0;
			continue;
		}
		if (space)
			sb_addch(out, ' ');
		space = 0;
		sb_addch(out, *s);
	}
}

int changelog_entry_has_bullet(const struct changelog_entry *e,
			       const char *bullet)
{
	struct strbuf body = STRBUF_INIT, want = STRBUF_INIT;
	int found;

	sb_init(&body);
	sb_init(&want);
	add_squeezed(&body, e->body ? e->body : "");
	add_squeezed(&want, bullet);
	found = want.len && strstr(body.buf, want.buf) != NULL;
	sb_release(&body);
	sb_release(&want);
	return found;
}

int changelog_maintainer(const char *fullname, const char *email,
			 struct strbuf *out)
{
	if (email && strchr(email, '<') && strchr(email, '>')) {
		sb_addstr(out, email); /* DEBEMAIL="Name <email>" */
		return 0;
	}
	if (!fullname || !*fullname || !email || !*email)
		return error("no maintainer for the changelog: set DEBFULLNAME "
			     "and DEBEMAIL (e.g. DEBEMAIL=you@example.org)");
	if (strpbrk(fullname, "<>\n") || strpbrk(email, "<> \n"))
		return error("DEBFULLNAME or DEBEMAIL has '<', '>' or spaces in "
			     "the wrong place");
	sb_addf(out, "%s <%s>", fullname, email);
	return 0;
}

static const char *env_either(const char *first, const char *second)
{
	const char *v = getenv(first);

	return v && *v ? v : getenv(second);
}

int changelog_maintainer_env(struct strbuf *out)
{
	return changelog_maintainer(env_either("DEBFULLNAME", "NAME"),
				    env_either("DEBEMAIL", "EMAIL"), out);
}

int changelog_time(const char *source_date_epoch, time_t *out)
{
	char *end;
	long long v;

	if (!source_date_epoch) {
		*out = time(NULL);
		return 0;
	}
	errno = 0;
	v = strtoll(source_date_epoch, &end, 10);
	if (!*source_date_epoch || *end || errno || v < 0)
		return error("SOURCE_DATE_EPOCH '%s' is not a number of seconds",
			     source_date_epoch);
	*out = (time_t)v;
	return 0;
}

void changelog_format_date(time_t t, struct strbuf *out)
{
	static const char days[7][4] = { "Sun", "Mon", "Tue", "Wed",
					 "Thu", "Fri", "Sat" };
	static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr",
					    "May", "Jun", "Jul", "Aug",
					    "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;

	gmtime_r(&t, &tm); /* day and month names are C's, not the locale's */
	sb_addf(out, "%s, %02d %s %d %02d:%02d:%02d +0000", days[tm.tm_wday],
		tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour,
		tm.tm_min, tm.tm_sec);
}

/*
 * Length of the word at w; "LP: #1887930" and "Closes: #123" are one word,
 * so that a bug reference never breaks over two lines.
 */
static size_t word_len(const char *w)
{
	size_t n = strcspn(w, " \t\n");

	if (n && w[n - 1] == ':' && w[n] == ' ' && w[n + 1] == '#')
		n += 1 + strcspn(w + n + 1, " \t\n");
	return n;
}

/* The words of text[0..len) after lead, wrapped at CHANGELOG_WIDTH with
   continuation lines indented by indent columns. */
static void add_wrapped(struct strbuf *out, const char *text, size_t len,
			const char *lead, size_t indent)
{
	size_t col = strlen(lead) + 1, start = col;
	const char *w = text, *end = text + len;

	sb_addstr(out, lead);
	while (w < end) {
		size_t n;

		while (w < end && strchr(" \t\n", *w))
			w++;
		n = w < end ? word_len(w) : 0;
		if (n > (size_t)(end - w))
			n = (size_t)(end - w);
		if (!n)
			break;
		if (col > start && col + 1 + n > CHANGELOG_WIDTH) {
			sb_addf(out, "\n%*s", (int)indent - 1, "");
			col = start = indent;
		} else if (col > start) {
			col++;
		}
		sb_addch(out, ' ');
		sb_add(out, w, n);
		col += n;
		w += n;
	}
	sb_addch(out, '\n');
}

/*
 * "  * text" wrapped at CHANGELOG_WIDTH, continuation lines indented 4;
 * each "\n- item" after the text is a sub-item "    - item" whose
 * continuation lines are indented 6 (Ubuntu's security entries).
 */
void changelog_format_bullet(const char *text, struct strbuf *out)
{
	const char *sub = strstr(text, "\n- ");

	add_wrapped(out, text, sub ? (size_t)(sub - text) : strlen(text),
		    "  *", 4);
	while (sub) {
		const char *item = sub + 3;

		sub = strstr(item, "\n- ");
		add_wrapped(out, item, sub ? (size_t)(sub - item) : strlen(item),
			    "    -", 6);
	}
}

/* A field must be one non-empty line without the characters that would
   break the header's syntax. */
static int field_ok(const char *what, const char *v, const char *bad)
{
	if (!v || !*v || strpbrk(v, bad) || strchr(v, '\n'))
		return error("changelog %s '%s' is empty or invalid", what,
			     v ? v : "");
	return 0;
}

int changelog_format_entry(const struct changelog_new *n, struct strbuf *out)
{
	size_t i;

	if (field_ok("package", n->package, " ()") ||
	    field_ok("version", n->version, " ()") ||
	    field_ok("distribution", n->distribution, ";()") ||
	    field_ok("urgency", n->urgency, " ;,") ||
	    field_ok("maintainer", n->maintainer, "\n"))
		return -1;
	if (!version_valid(n->version, NULL))
		return error("changelog version '%s' is invalid", n->version);
	if (!n->nbullets)
		return error("a changelog entry needs at least one change");
	sb_addf(out, "%s (%s) %s; urgency=%s\n\n", n->package, n->version,
		n->distribution, n->urgency);
	for (i = 0; i < n->nbullets; i++)
		changelog_format_bullet(n->bullets[i], out);
	sb_addf(out, "\n -- %s  ", n->maintainer);
	changelog_format_date(n->when, out);
	sb_addstr(out, "\n\n");
	return 0;
}

int changelog_amend_top(const char *data, const struct changelog_entry *e,
			const char *const *bullets, size_t n,
			struct strbuf *out)
{
	const char *body = strchr(data, '\n');
	size_t at, i;

	if (!body || !e->body)
		return error("changelog: no top entry to amend");
	body++;
	/* after the body's last non-blank line */
	at = strlen(e->body);
	while (at > 0 && isspace((unsigned char)e->body[at - 1]))
		at--;
	if (at == 0)
		return error("changelog: the top entry has no changes to add to");
	while (e->body[at] && e->body[at] != '\n')
		at++;
	at += e->body[at] == '\n';
	at += (size_t)(body - data);
	sb_add(out, data, at);
	if (out->buf[out->len - 1] != '\n')
		sb_addch(out, '\n');
	for (i = 0; i < n; i++)
		changelog_format_bullet(bullets[i], out);
	sb_addstr(out, data + at);
	return 0;
}

/*
 * patch_names.c - the path names of a file diff: "---"/"+++" lines with
 * their timestamps, git's "diff --git a/x b/x" line (quoted or not, with
 * spaces), and "Binary files a and b differ".
 */
#include "input/patch_parse_int.h"

#include <ctype.h>
#include <stdlib.h>

/* --- path names ---------------------------------------------------------- */

/*
 * Undo git's C-style quoting of a name that starts at s (on the opening
 * quote).  Returns the name and sets *stop past the closing quote, or NULL.
 */
static char *unquote_c(const char *s, const char *end, const char **stop)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = s + 1;

	sb_init(&sb);
	while (p < end && *p != '"') {
		int c = (unsigned char)*p++;

		if (c != '\\') {
			sb_addch(&sb, c);
			continue;
		}
		if (p >= end)
			break;
		c = (unsigned char)*p++;
		switch (c) {
		case 'a': c = '\a'; break;
		case 'b': c = '\b'; break;
		case 'f': c = '\f'; break;
		case 'n': c = '\n'; break;
		case 'r': c = '\r'; break;
		case 't': c = '\t'; break;
		case 'v': c = '\v'; break;
		case '\\': case '"': break;
		case '0': case '1': case '2': case '3':
			if (end - p < 2 || p[0] < '0' || p[0] > '7' ||
			    p[1] < '0' || p[1] > '7')
				goto bad;
			c = ((c - '0') << 6) | ((p[0] - '0') << 3) | (p[1] - '0');
			p += 2;
			if (!c)
				goto bad;
			break;
		default:
			goto bad;
		}
		sb_addch(&sb, c);
	}
	if (p >= end)
		goto bad;
	*stop = p + 1;
	return sb_detach(&sb, NULL);
bad:
	sb_release(&sb);
	return NULL;
}

/* " 2020-01-01" or " Mon Jan  1": where a diff timestamp starts. */
static int is_timestamp_at(const char *s, const char *end)
{
	if (end - s >= 11 && s[0] == ' ' && isdigit((unsigned char)s[1]) &&
	    isdigit((unsigned char)s[2]) && isdigit((unsigned char)s[3]) &&
	    isdigit((unsigned char)s[4]) && s[5] == '-' &&
	    isdigit((unsigned char)s[6]) && isdigit((unsigned char)s[7]) &&
	    s[8] == '-')
		return 1;
	return end - s >= 9 && s[0] == ' ' && isupper((unsigned char)s[1]) &&
	       islower((unsigned char)s[2]) && islower((unsigned char)s[3]) &&
	       s[4] == ' ' && isupper((unsigned char)s[5]) &&
	       islower((unsigned char)s[6]) && islower((unsigned char)s[7]) &&
	       s[8] == ' ';
}

/* The timestamp is the epoch: diff -N's way of saying "no such file". */
static int is_epoch(const char *ts, const char *end)
{
	size_t n = (size_t)(end - ts);

	return (n >= 10 && !memcmp(ts, "1970-01-01", 10)) ||
	       (n >= 10 && !memcmp(ts, "1969-12-31", 10)) ||
	       (n >= 24 && !memcmp(ts, "Thu Jan  1 00:00:00 1970", 24));
}

/*
 * The name of a "--- NAME\tstamp" / "+++ NAME" line.  *dev_null is set for
 * /dev/null, *epoch when the timestamp is the epoch.  NULL on bad quoting.
 */
char *parse_header_name(const struct line *l, int *dev_null, int *epoch)
{
	const char *s = l->s + 4, *end = l->s + len_nocr(l), *stop, *t;
	char *name;

	*dev_null = *epoch = 0;
	if (s < end && *s == '"') {
		name = unquote_c(s, end, &stop);
		if (!name)
			return NULL;
	} else {
		t = memchr(s, '\t', (size_t)(end - s));
		if (t) {
			stop = t;
		} else {
			for (t = s; t < end && !is_timestamp_at(t, end); t++)
				;
			stop = t;
			while (stop > s && (stop[-1] == ' '))
				stop--;
		}
		name = xstrndup(s, (size_t)(stop - s));
	}
	while (stop < end && (*stop == '\t' || *stop == ' '))
		stop++;
	*epoch = is_epoch(stop, end);
	*dev_null = !strcmp(name, "/dev/null");
	return name;
}

/* A name after "rename from " etc.: quoted, or the rest of the line. */
char *parse_rest_name(const struct line *l, size_t skip)
{
	const char *s = l->s + skip, *end = l->s + len_nocr(l), *stop;

	if (s < end && *s == '"')
		return unquote_c(s, end, &stop);
	return xstrndup(s, (size_t)(end - s));
}

/* The path after its first component, or NULL when it has only one. */
static const char *after_first(const char *s, const char *end)
{
	const char *slash = memchr(s, '/', (size_t)(end - s));
	return slash ? slash + 1 : NULL;
}

static int tail_is(const char *s, size_t n, const char *want)
{
	size_t w = strlen(want);
	return n >= w && !memcmp(s + n - w, want, w);
}

/*
 * Split the names of "diff --git A B".  Quoted names are unambiguous; for
 * unquoted ones find the space where both halves name the same file (or,
 * for renames and copies, end with the from and to names behind prefixes of
 * equal length).  Returns 0, or -1 when the line cannot be split.
 */
int parse_git_line_names(const char *s, size_t len, const char *from,
			  const char *to, char **a, char **b)
{
	const char *end = s + len, *stop, *sp;

	*a = *b = NULL;
	if (s < end && *s == '"') {
		*a = unquote_c(s, end, &stop);
		if (!*a || stop >= end || *stop != ' ')
			goto fail;
		s = stop + 1;
		if (s < end && *s == '"') {
			*b = unquote_c(s, end, &stop);
			if (!*b || stop != end)
				goto fail;
		} else {
			*b = xstrndup(s, (size_t)(end - s));
		}
		return 0;
	}
	if (len && end[-1] == '"') {
		for (sp = s; (sp = memchr(sp, ' ', (size_t)(end - sp))); sp++) {
			if (sp[1] != '"')
				continue;
			*b = unquote_c(sp + 1, end, &stop);
			if (*b && stop == end) {
				*a = xstrndup(s, (size_t)(sp - s));
				return 0;
			}
			free(*b);
			*b = NULL;
		}
	}
	for (sp = s; (sp = memchr(sp, ' ', (size_t)(end - sp))); sp++) {
		const char *b0 = sp + 1;
		size_t na = (size_t)(sp - s), nb = (size_t)(end - b0);
		int ok;

		if (from && to) {
			ok = tail_is(s, na, from) && tail_is(b0, nb, to) &&
			     na - strlen(from) == nb - strlen(to);
		} else {
			const char *ra = after_first(s, sp);
			const char *rb = after_first(b0, end);

			ok = (na == nb && !memcmp(s, b0, na)) ||
			     (ra && rb && sp - ra == end - rb &&
			      !memcmp(ra, rb, (size_t)(end - rb)) && ra < sp);
		}
		if (ok) {
			*a = xstrndup(s, na);
			*b = xstrndup(b0, nb);
			return 0;
		}
	}
fail:
	free(*a);
	free(*b);
	*a = *b = NULL;
	return -1;
}

/* "Binary files A and B differ" */
void parse_binary_line_names(const struct line *l, char **a, char **b)
{
	const char *s = l->s + strlen("Binary files "), *end = l->s + len_nocr(l);
	const char *and;
	size_t n = (size_t)(end - s);

	if (!tail_is(s, n, " differ"))
		return;
	end -= strlen(" differ");
	and = memmem(s, (size_t)(end - s), " and ", 5);
	if (!and)
		return;
	*a = xstrndup(s, (size_t)(and - s));
	*b = xstrndup(and + 5, (size_t)(end - and - 5));
}

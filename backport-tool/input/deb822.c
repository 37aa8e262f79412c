/*
 * deb822.c - a small deb822 reader that remembers where each field is.
 */
#include "input/deb822.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

static struct deb822_para *para_new(struct deb822 *d, long line)
{
	struct deb822_para *p;

	ALLOC_GROW(d->paras, d->n + 1, d->alloc);
	p = &d->paras[d->n++];
	memset(p, 0, sizeof(*p));
	p->line = line;
	return p;
}

static int field_start(struct deb822 *d, struct deb822_para *p,
		       const char *s, size_t len, long line)
{
	const char *colon = memchr(s, ':', len);
	const char *v, *end = s + len;
	struct deb822_field *f;
	size_t i;

	if (!colon || colon == s)
		return error_at(d->path, line, "expected 'Field: value'");
	for (i = 0; s + i < colon; i++)
		if (!isgraph((unsigned char)s[i]))
			return error_at(d->path, line, "bad field name");
	for (v = colon + 1; v < end && (*v == ' ' || *v == '\t'); v++)
		;
	while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	ALLOC_GROW(p->fields, p->n + 1, p->alloc);
	f = &p->fields[p->n];
	f->name = xstrndup(s, (size_t)(colon - s));
	if (deb822_get(p, f->name)) {
		int ret = error_at(d->path, line, "field '%s' given twice",
				   f->name);
		free(f->name);
		return ret;
	}
	f->value = xstrndup(v, (size_t)(end - v));
	f->line = line;
	p->n++;
	return 0;
}

static void field_continue(struct deb822_field *f, const char *s, size_t len)
{
	struct strbuf sb = STRBUF_INIT;

	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	sb_addstr(&sb, f->value);
	if (sb.len)
		sb_addch(&sb, '\n');
	if (!(len == 1 && *s == '.'))
		sb_add(&sb, s, len);
	free(f->value);
	f->value = sb_detach(&sb, NULL);
}

int deb822_parse(struct deb822 *out, const char *path, const char *text,
		 size_t len)
{
	const char *s = text, *end = text + len;
	struct deb822_para *p = NULL;
	long line = 0;

	memset(out, 0, sizeof(*out));
	out->path = xstrdup(path);
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
		size_t blank = strspn(s, " \t\r");

		line++;
		if (blank >= n) {
			p = NULL;
		} else if (*s == '#') {
			/* a comment */
		} else if (*s == ' ' || *s == '\t') {
			if (!p || !p->n)
				return error_at(path, line,
						"continuation line without a field");
			field_continue(&p->fields[p->n - 1], s, n);
		} else {
			if (!p)
				p = para_new(out, line);
			if (field_start(out, p, s, n, line) < 0)
				return -1;
		}
		s += n + (nl != NULL);
	}
	if (!out->n)
		return error_at(path, line ? line : 1, "no fields");
	return 0;
}

int deb822_read(struct deb822 *out, const char *path)
{
	struct strbuf sb;
	int ret;

	memset(out, 0, sizeof(*out));
	if (read_whole_file(path, 1 << 20, &sb) < 0)
		return -1;
	ret = deb822_parse(out, path, sb.buf, sb.len);
	sb_release(&sb);
	return ret;
}

void deb822_release(struct deb822 *d)
{
	size_t i, j;

	for (i = 0; i < d->n; i++) {
		for (j = 0; j < d->paras[i].n; j++) {
			free(d->paras[i].fields[j].name);
			free(d->paras[i].fields[j].value);
		}
		free(d->paras[i].fields);
	}
	free(d->paras);
	free(d->path);
	memset(d, 0, sizeof(*d));
}

const struct deb822_field *deb822_get(const struct deb822_para *p,
				      const char *name)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (!strcasecmp(p->fields[i].name, name))
			return &p->fields[i];
	return NULL;
}

static int in_list(const char *name, const char *const *list)
{
	for (; *list; list++)
		if (!strcasecmp(name, *list))
			return 1;
	return 0;
}

int deb822_check_fields(const struct deb822 *d, const struct deb822_para *p,
			const char *const *allowed, const char *const *required)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (!in_list(p->fields[i].name, allowed))
			return error_at(d->path, p->fields[i].line,
					"unknown field '%s'", p->fields[i].name);
	for (; *required; required++)
		if (!deb822_get(p, *required))
			return error_at(d->path, p->line,
					"missing required field '%s'", *required);
	return 0;
}

/*
 * patch_meta.c - the header fields of a patch (struct patch_meta): mail
 * headers (RFC 2047 words), DEP-3, git log and hg export, read from the
 * text before the first file diff (MIME bodies: patch_mime.c).
 */
#include "input/patch_parse_int.h"

#include <ctype.h>
#include <stdlib.h>

/* --- header fields: mail, DEP-3, git log --------------------------------- */

int meta_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int meta_b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* One RFC 2047 encoded word "=?cs?Q?text?=" at s; its end or NULL. */
static const char *decode_word(const char *s, const char *end,
			       struct strbuf *sb)
{
	const char *cs_end, *text, *text_end;
	int enc;

	if (end - s < 8 || s[0] != '=' || s[1] != '?')
		return NULL;
	cs_end = memchr(s + 2, '?', (size_t)(end - s - 2));
	if (!cs_end || end - cs_end < 4 || cs_end[2] != '?')
		return NULL;
	enc = toupper((unsigned char)cs_end[1]);
	text = cs_end + 3;
	text_end = memmem(text, (size_t)(end - text), "?=", 2);
	if (!text_end || (enc != 'Q' && enc != 'B'))
		return NULL;
	if (enc == 'Q') {
		for (const char *t = text; t < text_end; t++) {
			if (*t == '_')
				sb_addch(sb, ' ');
			else if (*t == '=' && text_end - t >= 3 &&
				 meta_hexval(t[1]) >= 0 && meta_hexval(t[2]) >= 0) {
				sb_addch(sb, meta_hexval(t[1]) * 16 + meta_hexval(t[2]));
				t += 2;
			} else
				sb_addch(sb, *t);
		}
	} else {
		unsigned acc = 0;
		int bits = 0, v;

		for (const char *t = text; t < text_end; t++) {
			if ((v = meta_b64val((unsigned char)*t)) < 0)
				continue;
			acc = (acc << 6) | (unsigned)v;
			bits += 6;
			if (bits >= 8) {
				bits -= 8;
				sb_addch(sb, (int)((acc >> bits) & 0xff));
			}
		}
	}
	return text_end + 2;
}

/* Decode RFC 2047 words; whitespace between two of them disappears. */
static char *decode_header(const char *s, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	const char *end = s + n, *after, *ws = NULL;
	int last_encoded = 0;

	sb_init(&sb);
	while (s < end) {
		if (*s == '=' && (after = decode_word(s, end, &sb)) != NULL) {
			s = after;
			last_encoded = 1;
			continue;
		}
		if (last_encoded && (*s == ' ' || *s == '\t')) {
			ws = s;
			while (s < end && (*s == ' ' || *s == '\t'))
				s++;
			if (end - s >= 2 && s[0] == '=' && s[1] == '?')
				continue; /* dropped between encoded words */
			sb_add(&sb, ws, (size_t)(s - ws));
			last_encoded = 0;
			continue;
		}
		sb_addch(&sb, *s++);
		last_encoded = 0;
	}
	return sb_detach(&sb, NULL);
}

/*
 * The value of the header at s whose name (with ':') is klen long, unfolded
 * and RFC 2047 decoded; *next is set to the line after it.
 */
char *meta_header_value(const char *s, const char *end, size_t klen,
			const char **next)
{
	struct strbuf sb = STRBUF_INIT;
	struct line l;
	const char *t, *e;
	char *v;

	if (!line_at(s, end, &l) || len_nocr(&l) < klen) {
		*next = end;
		return xstrdup("");
	}
	sb_init(&sb);
	sb_add(&sb, l.s + klen, len_nocr(&l) - klen);
	while (line_at(l.next, end, &l) && l.len &&
	       (l.s[0] == ' ' || l.s[0] == '\t')) {
		t = l.s;
		e = l.s + len_nocr(&l);
		while (t < e && (*t == ' ' || *t == '\t'))
			t++;
		sb_addch(&sb, ' ');
		sb_add(&sb, t, (size_t)(e - t));
		s = l.s;
	}
	line_at(s, end, &l);
	*next = l.next;
	t = sb.buf;
	e = sb.buf + sb.len;
	while (t < e && (*t == ' ' || *t == '\t'))
		t++;
	while (e > t && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	v = decode_header(t, (size_t)(e - t));
	sb_release(&sb);
	return v;
}

int parse_key_is(const struct line *l, const char *key)
{
	size_t n = strlen(key);
	return l->len >= n && !strncasecmp(l->s, key, n);
}

/* Is this a "Name: value" line (a mail or DEP-3 header)? */
static int is_header_line(const struct line *l)
{
	size_t i;

	for (i = 0; i < l->len; i++) {
		unsigned char c = (unsigned char)l->s[i];

		if (c == ':')
			return i > 0;
		if (!isalnum(c) && c != '-' && c != '_')
			return 0;
	}
	return 0;
}

/* Leading "[PATCH v2 3/5]", "[RFC PATCH]", "Re:" of a mail subject. */
static char *subject_clean(char *subj)
{
	char *s = subj;

	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!strncasecmp(s, "re:", 3)) {
			s += 3;
			continue;
		}
		if (*s == ':') {
			s++;
			continue;
		}
		if (*s == '[') {
			char *close = strchr(s, ']');

			if (close) {
				size_t n = (size_t)(close - s);
				char *in = xstrndup(s, n);
				int drop = strcasestr(in, "PATCH") ||
					   strcasestr(in, "RFC") ||
					   strcasestr(in, "PULL") ||
					   strchr(in, '/');

				free(in);
				if (drop) {
					s = close + 1;
					continue;
				}
			}
		}
		break;
	}
	memmove(subj, s, strlen(s) + 1);
	return subj;
}

int parse_is_hex_word(const char *s, size_t n)
{
	size_t i;

	if (n < 7)
		return 0;
	for (i = 0; i < n; i++)
		if (meta_hexval((unsigned char)s[i]) < 0)
			return 0;
	return 1;
}

/* Trimmed of blank lines at both ends, or NULL when nothing is left. */
static char *body_dup(const char *s, const char *end)
{
	struct line l;

	while (line_at(s, end, &l) && !len_nocr(&l) && l.next < end)
		s = l.next;
	while (line_at(s, end, &l) && !len_nocr(&l) && l.next >= end)
		return NULL;
	while (end > s && (end[-1] == '\n' || end[-1] == '\r' ||
			   end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (end <= s)
		return NULL;
	return xstrndup(s, (size_t)(end - s));
}

static void set_field(char **field, char *value)
{
	if (*field || !value || !*value) {
		free(value);
		return;
	}
	*field = value;
}

static void set_commit(char **field, char *value)
{
	if (!*field && parse_is_hex_word(value, strlen(value)))
		*field = value;
	else
		free(value);
}

static int is_inbody_header(const struct line *l)
{
	return parse_key_is(l, "From: ") || parse_key_is(l, "Date: ") ||
	       parse_key_is(l, "Subject: ");
}

/*
 * "From:", "Date:" and "Subject:" lines opening the body, then a blank
 * line: the real author of a patch someone else sent (git format-patch
 * writes them, git am honours them).  They replace the mail's; returns
 * where the body proper starts.
 */
static const char *mail_inbody_headers(struct patch_meta *m, const char *s,
				       const char *end)
{
	const char *t = s, *after;
	struct line l;
	char **field;
	char *v;

	while (line_at(t, end, &l) && is_inbody_header(&l))
		free(meta_header_value(t, end, 0, &t));
	if (t == s || !line_at(t, end, &l) || len_nocr(&l))
		return s;
	after = l.next; /* past the blank line */
	while (s < t) {
		line_at(s, end, &l);
		field = parse_key_is(&l, "From:") ? &m->from :
			parse_key_is(&l, "Date:") ? &m->date : &m->subject;
		v = meta_header_value(s, end, parse_key_is(&l, "Subject:") ? 8 : 5, &s);
		if (field == &m->subject)
			subject_clean(v);
		free(*field);
		*field = v;
	}
	return after;
}

/* Mail headers from s up to the blank line, then the body up to "---". */
static void meta_parse_mail(struct patch_meta *m, const char *s,
			    const char *end)
{
	struct line l;
	const char *body;

	while (line_at(s, end, &l) && len_nocr(&l)) {
		const char *next;

		if (!is_header_line(&l)) {
			s = l.next;
			continue;
		}
		if (parse_key_is(&l, "From:"))
			set_field(&m->from, meta_header_value(s, end, 5, &next));
		else if (parse_key_is(&l, "Date:"))
			set_field(&m->date, meta_header_value(s, end, 5, &next));
		else if (parse_key_is(&l, "Subject:"))
			set_field(&m->subject,
				  subject_clean(meta_header_value(s, end, 8, &next)));
		else if (parse_key_is(&l, "Commit-Id:"))
			set_commit(&m->commit, meta_header_value(s, end, 10, &next));
		else
			free(meta_header_value(s, end, 0, &next));
		s = next;
	}
	if (line_at(s, end, &l))
		s = l.next;
	body = mail_inbody_headers(m, s, end);
	for (s = body; line_at(s, end, &l) && !is_line(&l, "---"); s = l.next)
		;
	m->body = body_dup(body, s);
}

/* "commit SHA" / "Author:" / "Date:" then the message indented by 4. */
static void meta_parse_gitlog(struct patch_meta *m, const char *s,
			      const char *end)
{
	struct strbuf subj = STRBUF_INIT, body = STRBUF_INIT;
	struct line l;
	int in_subject = 1;

	line_at(s, end, &l);
	{
		const char *h = l.s + 7, *e = l.s + len_nocr(&l), *sp;

		sp = memchr(h, ' ', (size_t)(e - h));
		if (sp)
			e = sp;
		if (parse_is_hex_word(h, (size_t)(e - h)))
			m->commit = xstrndup(h, (size_t)(e - h));
	}
	s = l.next;
	while (line_at(s, end, &l) && len_nocr(&l)) {
		if (parse_key_is(&l, "Author:"))
			set_field(&m->from, meta_header_value(s, end, 7, &s));
		else if (parse_key_is(&l, "Date:"))
			set_field(&m->date, meta_header_value(s, end, 5, &s));
		else
			s = l.next;
	}
	sb_init(&subj);
	sb_init(&body);
	while (line_at(s, end, &l)) {
		const char *t = l.s, *e = l.s + len_nocr(&l);

		if (e - t >= 4 && !memcmp(t, "    ", 4))
			t += 4;
		else if (t != e)
			break;
		if (in_subject && subj.len && t == e)
			in_subject = 0;
		else if (in_subject && t != e) {
			if (subj.len)
				sb_addch(&subj, ' ');
			sb_add(&subj, t, (size_t)(e - t));
		} else if (!in_subject) {
			sb_add(&body, t, (size_t)(e - t));
			sb_addch(&body, '\n');
		}
		s = l.next;
	}
	if (subj.len)
		m->subject = sb_detach(&subj, NULL);
	m->body = body_dup(body.buf, body.buf + body.len);
	sb_release(&subj);
	sb_release(&body);
}

/*
 * "hg export": "# User", "# Date", "# Node ID" lines, then the message,
 * whose first line is the subject.
 */
static void meta_parse_hg(struct patch_meta *m, const char *s,
			  const char *end)
{
	struct line l;
	const char *body;

	for (; line_at(s, end, &l) && starts(&l, "# "); s = l.next) {
		const char *e = l.s + len_nocr(&l);

		if (starts(&l, "# User "))
			set_field(&m->from, xstrndup(l.s + 7, (size_t)(e - l.s - 7)));
		else if (starts(&l, "# Date "))
			set_field(&m->date, xstrndup(l.s + 7, (size_t)(e - l.s - 7)));
		else if (starts(&l, "# Node ID "))
			set_commit(&m->commit,
				   xstrndup(l.s + 10, (size_t)(e - l.s - 10)));
	}
	while (line_at(s, end, &l) && !len_nocr(&l))
		s = l.next;
	if (!line_at(s, end, &l))
		return;
	m->subject = xstrndup(l.s, len_nocr(&l));
	body = l.next;
	for (s = body; line_at(s, end, &l) && !is_line(&l, "---"); s = l.next)
		;
	m->body = body_dup(body, s);
}

/* A 40-hex commit id in a DEP-3 Origin: value. */
static char *origin_commit(const char *v)
{
	const char *s;

	for (s = v; *s; s++) {
		size_t n = 0;

		if (s > v && meta_hexval((unsigned char)s[-1]) >= 0)
			continue;
		while (meta_hexval((unsigned char)s[n]) >= 0)
			n++;
		if (n == 40)
			return xstrndup(s, n);
	}
	return NULL;
}

/* DEP-3: Description/Subject, Author/From, Origin, continuation lines. */
static void meta_parse_dep3(struct patch_meta *m, const char *s,
			    const char *end)
{
	struct line l;

	while (line_at(s, end, &l)) {
		int desc = parse_key_is(&l, "Description:") || parse_key_is(&l, "Subject:");
		size_t klen;

		if (!is_header_line(&l) ||
		    !(desc || parse_key_is(&l, "Author:") || parse_key_is(&l, "From:") ||
		      parse_key_is(&l, "Origin:") || parse_key_is(&l, "Date:"))) {
			s = l.next;
			continue;
		}
		klen = (size_t)((const char *)memchr(l.s, ':', l.len) - l.s) + 1;
		if (desc && !m->subject) {
			struct strbuf body = STRBUF_INIT;
			const char *t = l.s + klen, *e = l.s + len_nocr(&l);

			while (t < e && (*t == ' ' || *t == '\t'))
				t++;
			m->subject = xstrndup(t, (size_t)(e - t));
			if (parse_key_is(&l, "Subject:"))
				subject_clean(m->subject);
			sb_init(&body);
			s = l.next;
			while (line_at(s, end, &l) && l.len &&
			       (l.s[0] == ' ' || l.s[0] == '\t')) {
				t = l.s + 1;
				e = l.s + len_nocr(&l);
				if (e - t == 1 && *t == '.')
					t = e;
				sb_add(&body, t, (size_t)(e - t));
				sb_addch(&body, '\n');
				s = l.next;
			}
			m->body = body_dup(body.buf, body.buf + body.len);
			sb_release(&body);
			continue;
		}
		if (parse_key_is(&l, "Origin:")) {
			char *v = meta_header_value(s, end, klen, &s);

			if (!m->commit)
				m->commit = origin_commit(v);
			free(v);
			continue;
		}
		if (parse_key_is(&l, "Date:"))
			set_field(&m->date, meta_header_value(s, end, klen, &s));
		else if (!desc)
			set_field(&m->from, meta_header_value(s, end, klen, &s));
		else
			s = l.next;
	}
}

/* DEP-3 fields no mail header has, in the first paragraph. */
static int has_dep3_field(const char *s, const char *end)
{
	static const char *const keys[] = {
		"Description:", "Author:"
	};
	struct line l;
	size_t i;

	for (; line_at(s, end, &l) && len_nocr(&l); s = l.next)
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (parse_key_is(&l, keys[i]))
				return 1;
	return 0;
}

/*
 * Is the paragraph at s a block of mail headers ("Name: value" lines and
 * their continuations, with a From: or Subject:)?
 */
int meta_is_mail_block(const char *s, const char *end)
{
	struct line l;
	int seen = 0;

	for (; line_at(s, end, &l) && len_nocr(&l); s = l.next) {
		if (l.s[0] == ' ' || l.s[0] == '\t')
			continue;
		if (!is_header_line(&l))
			return 0;
		if (parse_key_is(&l, "From:") || parse_key_is(&l, "Subject:"))
			seen = 1;
	}
	return seen;
}

/* "From <sha1> Mon Sep 17 00:00:00 2001": sets commit, returns the next line. */
static const char *mbox_from_line(struct patch_meta *m, const struct line *l)
{
	const char *h = l->s + 5, *e = l->s + len_nocr(l);
	const char *sp = memchr(h, ' ', (size_t)(e - h));

	if (sp && parse_is_hex_word(h, (size_t)(sp - h)) && !m->commit)
		m->commit = xstrndup(h, (size_t)(sp - h));
	return l->next;
}

/*
 * Fill p->meta from the header: an mbox message ("From <sha1> ..." line),
 * bare mail headers (quilt mail, "From:"/"Subject:"), git log output
 * ("commit <sha1>"), a mail quoted after some words, or DEP-3 fields.
 */
void meta_parse(struct patch *p)
{
	const char *s = p->header, *end = p->header + p->header_len, *t;
	struct line l;

	if (!line_at(s, end, &l))
		return;
	if (starts(&l, "commit ")) {
		meta_parse_gitlog(&p->meta, s, end);
		return;
	}
	if (is_line(&l, "# HG changeset patch")) {
		meta_parse_hg(&p->meta, l.next, end);
		return;
	}
	if (mbox_is_from(&l))
		s = mbox_from_line(&p->meta, &l);
	if (meta_is_mail_block(s, end) && !has_dep3_field(s, end)) {
		meta_parse_mail(&p->meta, s, end);
		return;
	}
	if (!memmem(p->header, p->header_len, "Description:", 12)) {
		for (t = s; line_at(t, end, &l); t = l.next) {
			if (!mbox_is_from(&l))
				continue;
			t = mbox_from_line(&p->meta, &l);
			if (meta_is_mail_block(t, end)) {
				meta_parse_mail(&p->meta, t, end);
				return;
			}
		}
	}
	meta_parse_dep3(&p->meta, s, end);
}

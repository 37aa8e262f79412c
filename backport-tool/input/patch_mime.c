/*
 * patch_mime.c - a mail's MIME body made plain text before the diff is read,
 * as git mailinfo does: the quoted-printable or base64 Content-Transfer-
 * Encoding of the mail or of its parts decoded, multipart boundaries and
 * part headers removed, the text parts (text/..., or a patch sent as
 * application/x-patch or x-diff) kept in order, other parts (signatures,
 * images) left out.  The patch text itself is not recoded (git am does not
 * recode it either).  An encoding we cannot decode is refused, naming the
 * line of the mail.  Later messages count the lines of the decoded text
 * (numbered from the mail's first line) and say so: "FILE (MIME-decoded):
 * LINE", since that line is not the file's.
 *
 * The mail headers are kept, with Content-Transfer-Encoding said as 8bit
 * (and a multipart Content-Type replaced by its first text part's), so that
 * a patch written back from them is not decoded a second time.
 */
#include "input/patch_parse_int.h"

#include <ctype.h>
#include <stdlib.h>

#define MIME_MAX_DEPTH 4

struct mime {
	const char *where; /* file name for messages */
	const char *buf;   /* the raw text, to count lines */
	long first_line;   /* line number of buf[0] */
	struct strbuf text; /* the decoded parts */
	char *first_type;  /* Content-Type of the first kept part */
};

/* Headers of the mail or of one part. */
struct mime_head {
	char *type;        /* Content-Type value, NULL when absent */
	char *cte;         /* Content-Transfer-Encoding value, lower case */
	const char *type_at, *cte_at; /* their lines */
	const char *body;  /* after the blank line */
};

/* The line of p in the mail; a header that is absent (p NULL) has none. */
static long mime_line(const struct mime *m, const char *p)
{
	long n = m->first_line;
	const char *s;

	if (!p || p < m->buf)
		return 0;
	for (s = m->buf; (s = memchr(s, '\n', (size_t)(p - s))); s++)
		n++;
	return n;
}

static void mime_head_release(struct mime_head *h)
{
	free(h->type);
	free(h->cte);
}

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/*
 * Read the header block at s; each header that is not Content-Type or
 * Content-Transfer-Encoding is copied to keep (when not NULL).
 */
static void mime_head_read(struct mime_head *h, const char *s,
			   const char *end, struct strbuf *keep)
{
	struct line l;
	const char *next;

	memset(h, 0, sizeof(*h));
	while (line_at(s, end, &l) && len_nocr(&l)) {
		if (parse_key_is(&l, "Content-Type:") && !h->type) {
			h->type_at = s;
			h->type = meta_header_value(s, end, 13, &next);
		} else if (parse_key_is(&l, "Content-Transfer-Encoding:") &&
			   !h->cte) {
			h->cte_at = s;
			h->cte = meta_header_value(s, end, 26, &next);
			lower(h->cte);
		} else {
			free(meta_header_value(s, end, 0, &next));
			if (keep)
				sb_add(keep, s, (size_t)(next - s));
		}
		s = next;
	}
	h->body = line_at(s, end, &l) ? l.next : end;
}

/* "type/subtype" of a Content-Type value, lower case ("text/plain" if none). */
static char *mime_type(const struct mime_head *h)
{
	const char *v = h->type ? h->type : "text/plain";
	size_t n = strcspn(v, "; \t");
	char *t = xstrndup(v, n);

	lower(t);
	return t;
}

/* The boundary="..." parameter of a Content-Type value, or NULL. */
static char *mime_boundary(const char *v)
{
	const char *p;

	for (p = v; (p = strchr(p, ';')); ) {
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncasecmp(p, "boundary=", 9))
			continue;
		p += 9;
		if (*p == '"') {
			const char *q = strchr(p + 1, '"');

			return q && q > p + 1 ? xstrndup(p + 1, (size_t)(q - p - 1))
					      : NULL;
		}
		return *p ? xstrndup(p, strcspn(p, "; \t")) : NULL;
	}
	return NULL;
}

static void decode_qp(struct strbuf *out, const char *r, const char *end)
{
	while (r < end) {
		if (*r != '=') {
			sb_addch(out, *r++);
		} else if (end - r >= 2 && r[1] == '\n') {
			r += 2;
		} else if (end - r >= 3 && r[1] == '\r' && r[2] == '\n') {
			r += 3;
		} else if (end - r >= 3 && meta_hexval((unsigned char)r[1]) >= 0 &&
			   meta_hexval((unsigned char)r[2]) >= 0) {
			sb_addch(out, meta_hexval((unsigned char)r[1]) * 16 +
					      meta_hexval((unsigned char)r[2]));
			r += 3;
		} else {
			sb_addch(out, *r++); /* as git mailinfo: kept */
		}
	}
}

static int decode_base64(struct mime *m, const char *r, const char *end)
{
	unsigned acc = 0;
	int bits = 0, v, pad = 0;

	for (; r < end; r++) {
		if (*r == '\n' || *r == '\r' || *r == ' ' || *r == '\t')
			continue;
		if (*r == '=') {
			pad = 1;
			continue;
		}
		v = meta_b64val((unsigned char)*r);
		if (v < 0 || pad)
			return error_at(m->where, mime_line(m, r),
					"bad base64 data in mail");
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			sb_addch(&m->text, (int)((acc >> bits) & 0xff));
		}
	}
	return 0;
}

/* Append the decoded text of [s, end) in encoding h->cte. */
static int mime_decode(struct mime *m, const struct mime_head *h,
		       const char *s, const char *end)
{
	const char *cte = h->cte ? h->cte : "";

	if (!*cte || !strcmp(cte, "7bit") || !strcmp(cte, "8bit") ||
	    !strcmp(cte, "binary"))
		sb_add(&m->text, s, (size_t)(end - s));
	else if (!strcmp(cte, "quoted-printable"))
		decode_qp(&m->text, s, end);
	else if (!strcmp(cte, "base64")) {
		if (decode_base64(m, s, end))
			return -1;
	} else
		return error_at(m->where, mime_line(m, h->cte_at),
				"unsupported content-transfer-encoding '%s'", cte);
	if (m->text.len && m->text.buf[m->text.len - 1] != '\n')
		sb_addch(&m->text, '\n');
	return 0;
}

/* A part we keep: text, or a patch sent as an application type. */
static int mime_is_text(const char *type)
{
	return !strncmp(type, "text/", 5) ||
	       !strcmp(type, "application/x-patch") ||
	       !strcmp(type, "application/x-diff");
}

/* "--boundary" or "--boundary--" (then only blanks): 1, 2 for the last. */
static int is_delimiter(const struct line *l, const char *b, size_t blen)
{
	const char *t, *e = l->s + len_nocr(l);

	if (l->len < blen + 2 || l->s[0] != '-' || l->s[1] != '-' ||
	    memcmp(l->s + 2, b, blen))
		return 0;
	t = l->s + 2 + blen;
	int last = e - t >= 2 && t[0] == '-' && t[1] == '-';
	if (last)
		t += 2;
	while (t < e && (*t == ' ' || *t == '\t'))
		t++;
	return t == e ? 1 + last : 0;
}

static int mime_part(struct mime *m, const struct mime_head *h,
		     const char *s, const char *end, int depth);

/* The parts of a multipart body [s, end); preamble and epilogue left out. */
static int mime_multipart(struct mime *m, const struct mime_head *h,
			  const char *s, const char *end, int depth)
{
	char *b = mime_boundary(h->type);
	const char *part = NULL;
	struct line l;
	int d = 0, ret = 0;

	if (!b)
		return error_at(m->where, mime_line(m, h->type_at),
				"multipart mail without a boundary");
	if (depth >= MIME_MAX_DEPTH) {
		free(b);
		return error_at(m->where, mime_line(m, h->type_at),
				"multipart mail nested too deep");
	}
	for (; !ret && line_at(s, end, &l); s = l.next) {
		if (!(d = is_delimiter(&l, b, strlen(b))))
			continue;
		if (part) {
			struct mime_head ph;

			mime_head_read(&ph, part, s, NULL);
			ret = mime_part(m, &ph, ph.body, s, depth + 1);
			mime_head_release(&ph);
		}
		part = l.next;
		if (d == 2)
			break;
	}
	if (!ret && d != 2)
		ret = error_at(m->where, mime_line(m, end),
			       part ? "multipart mail ends without its closing boundary"
				    : "multipart mail without any part");
	free(b);
	return ret;
}

/* One part (or the whole mail) of type h: decoded, skipped or split. */
static int mime_part(struct mime *m, const struct mime_head *h,
		     const char *s, const char *end, int depth)
{
	char *type = mime_type(h);
	int ret = 0;

	if (!strncmp(type, "multipart/", 10))
		ret = mime_multipart(m, h, s, end, depth);
	else if (mime_is_text(type) || depth == 0) {
		if (!m->first_type && h->type)
			m->first_type = xstrdup(h->type);
		ret = mime_decode(m, h, s, end);
	}
	free(type);
	return ret;
}

/* Does the mail need decoding at all? */
static int mime_needed(const struct mime_head *h)
{
	const char *cte = h->cte ? h->cte : "";
	char *type = mime_type(h);
	int multi = !strncmp(type, "multipart/", 10);

	free(type);
	return multi || (*cte && strcmp(cte, "7bit") && strcmp(cte, "8bit") &&
			 strcmp(cte, "binary"));
}

int meta_decode_mail(const char *where, long first_line, char **bufp,
		     size_t *lenp)
{
	const char *buf = *bufp, *end = buf + *lenp, *s = buf;
	struct mime m = { where, buf, first_line, STRBUF_INIT, NULL };
	struct strbuf out = STRBUF_INIT;
	struct mime_head h;
	struct line l;
	int ret;

	if (!line_at(s, end, &l))
		return 0;
	if (mbox_is_from(&l))
		s = l.next;
	if (!meta_is_mail_block(s, end))
		return 0;
	mime_head_read(&h, s, end, NULL);
	if (!mime_needed(&h)) {
		mime_head_release(&h);
		return 0;
	}
	mime_head_release(&h);
	sb_init(&out);
	sb_init(&m.text);
	sb_add(&out, buf, (size_t)(s - buf));
	mime_head_read(&h, s, end, &out);
	ret = mime_part(&m, &h, h.body, end, 0);
	if (!ret && !m.text.len)
		ret = error_at(where, mime_line(&m, h.type_at),
			       "no text part in multipart mail");
	if (!ret) {
		if (m.first_type)
			sb_addf(&out, "Content-Type: %s\n", m.first_type);
		sb_addstr(&out, "Content-Transfer-Encoding: 8bit\n\n");
		sb_add(&out, m.text.buf, m.text.len);
		free(*bufp);
		*bufp = sb_detach(&out, lenp);
		ret = 1;
	}
	mime_head_release(&h);
	free(m.first_type);
	sb_release(&m.text);
	sb_release(&out);
	return ret;
}

/*
 * binpatch.c - decode and apply the data of a "GIT binary patch".
 *
 * The format is git's (apply.c, base85.c, patch-delta.c): each data line
 * starts with its byte count ('A'..'Z' for 1..26, 'a'..'z' for 27..52)
 * followed by that many bytes in base85, five characters for every four
 * bytes; the bytes of all lines are one zlib stream that inflates to the
 * size the "literal N"/"delta N" line states.  A delta is two varint sizes
 * (source, result) then copy and insert instructions.  zlib inflates; the
 * rest is small enough to write here with every bound checked.
 */
#include "place/binpatch.h"

#include <git2.h>
#include <stdint.h>
#include <string.h>
#include <zlib.h>

static const char b85_chars[] =
	"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	"abcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~";

/* The value of a base85 character, or -1. */
static int b85_value(unsigned char c)
{
	const char *p = c ? strchr(b85_chars, c) : NULL;

	return p ? (int)(p - b85_chars) : -1;
}

/* Decode 5 * ceil(n / 4) characters of s into n bytes at out.  0 or -1. */
static int b85_decode(unsigned char *out, const char *s, size_t n)
{
	while (n) {
		unsigned long acc = 0;
		int i;

		for (i = 0; i < 5; i++) {
			int v = b85_value((unsigned char)*s++);

			if (v < 0 || acc > (0xffffffffUL - (unsigned long)v) / 85)
				return -1;
			acc = acc * 85 + (unsigned long)v;
		}
		for (i = 3; i >= 0 && n; i--, n--)
			*out++ = (unsigned char)(acc >> (i * 8));
	}
	return 0;
}

/* One data line (without its newline): append its bytes.  0 or -1. */
static int b85_line(const char *s, size_t len, struct strbuf *out)
{
	size_t n;

	if (len && s[len - 1] == '\r')
		len--;
	if (!len)
		return -1;
	if (*s >= 'A' && *s <= 'Z')
		n = (size_t)(*s - 'A') + 1;
	else if (*s >= 'a' && *s <= 'z')
		n = (size_t)(*s - 'a') + 27;
	else
		return -1;
	if (len - 1 != (n + 3) / 4 * 5)
		return -1;
	sb_grow(out, n);
	if (b85_decode((unsigned char *)out->buf + out->len, s + 1, n) < 0)
		return -1;
	out->len += n;
	out->buf[out->len] = '\0';
	return 0;
}

/* Inflate in to exactly size bytes.  0 or -1. */
static int inflate_exact(const struct strbuf *in, size_t size,
			 struct strbuf *out)
{
	z_stream z;
	int rc;

	memset(&z, 0, sizeof(z));
	if (inflateInit(&z) != Z_OK)
		return -1;
	sb_grow(out, size + 1);
	z.next_in = (unsigned char *)in->buf;
	z.avail_in = (uInt)in->len;
	z.next_out = (unsigned char *)out->buf;
	z.avail_out = (uInt)(size + 1); /* one more: a longer stream shows */
	rc = inflate(&z, Z_FINISH);
	inflateEnd(&z);
	if (rc != Z_STREAM_END || z.total_out != size || z.avail_in)
		return -1;
	out->len = size;
	out->buf[size] = '\0';
	return 0;
}

int binpatch_inflate(const struct binary_hunk *bh, const char *where,
		     struct strbuf *out)
{
	struct strbuf raw = STRBUF_INIT;
	const char *s = bh->data, *end = bh->data + bh->len;
	long line = bh->lineno + 1;
	int ret = 0;

	if (bh->len > (size_t)UINT32_MAX || bh->size > (size_t)UINT32_MAX - 1)
		return error_at(where, bh->lineno, "binary data too large");
	sb_init(&raw);
	while (s < end && !ret) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);

		if (b85_line(s, len, &raw) < 0)
			ret = error_at(where, line, "corrupt binary patch "
				       "(bad base85 line)");
		s += len + (nl ? 1 : 0);
		line++;
	}
	sb_reset(out);
	/* zlib inflates at most ~1032 bytes a byte: a larger size is a lie,
	   and must not make us allocate it */
	if (!ret && bh->size / 1032 > raw.len + 1)
		ret = error_at(where, bh->lineno, "corrupt binary patch (%zu "
			       "bytes cannot come from %zu)", bh->size, raw.len);
	if (!ret && inflate_exact(&raw, bh->size, out) < 0)
		ret = error_at(where, bh->lineno, "corrupt binary patch "
			       "(its data does not inflate to %zu bytes)",
			       bh->size);
	sb_release(&raw);
	return ret;
}

/* A delta's size header: 7 bits a byte, low bits first.  0 or -1. */
static int delta_size(const unsigned char **p, const unsigned char *end,
		      size_t *size)
{
	size_t v = 0;
	int shift = 0;

	do {
		if (*p == end || shift > 56)
			return -1;
		v |= (size_t)(**p & 0x7f) << shift;
		shift += 7;
	} while (*(*p)++ & 0x80);
	*size = v;
	return 0;
}

/* A copy instruction's offset and size, as its flag bits say.  0 or -1. */
static int delta_copy_args(unsigned cmd, const unsigned char **p,
			   const unsigned char *end, size_t *off, size_t *size)
{
	int i;

	*off = *size = 0;
	for (i = 0; i < 7; i++) {
		if (!(cmd & (1u << i)))
			continue;
		if (*p == end)
			return -1;
		if (i < 4)
			*off |= (size_t)*(*p)++ << (i * 8);
		else
			*size |= (size_t)*(*p)++ << ((i - 4) * 8);
	}
	if (!*size)
		*size = 0x10000;
	return 0;
}

int binpatch_apply_delta(const char *src, size_t src_len, const char *delta,
			 size_t delta_len, const char *where, long line,
			 struct strbuf *out)
{
	const unsigned char *p = (const unsigned char *)delta;
	const unsigned char *end = p + delta_len;
	size_t want_src, want_dst, off, size;

	sb_reset(out);
	if (delta_size(&p, end, &want_src) < 0 ||
	    delta_size(&p, end, &want_dst) < 0 || want_dst > MAX_INPUT_SIZE)
		return error_at(where, line, "corrupt binary delta (header)");
	if (want_src != src_len)
		return error_at(where, line, "binary delta is for a %zu-byte "
				"file, not %zu bytes", want_src, src_len);
	/* grown as the instructions produce it: the header is not trusted */
	while (p < end) {
		unsigned cmd = *p++;

		if (cmd & 0x80) {
			if (delta_copy_args(cmd, &p, end, &off, &size) < 0 ||
			    off > src_len || size > src_len - off ||
			    size > want_dst - out->len)
				return error_at(where, line, "corrupt binary "
						"delta (copy out of bounds)");
			sb_add(out, src + off, size);
		} else if (cmd) {
			if (cmd > (size_t)(end - p) ||
			    cmd > want_dst - out->len)
				return error_at(where, line, "corrupt binary "
						"delta (insert out of bounds)");
			sb_add(out, p, cmd);
			p += cmd;
		} else {
			return error_at(where, line, "corrupt binary delta "
					"(reserved instruction 0)");
		}
	}
	if (out->len != want_dst)
		return error_at(where, line, "corrupt binary delta (%zu bytes "
				"instead of %zu)", out->len, want_dst);
	return 0;
}

int binpatch_is_blob(const char *data, size_t len, const char *id)
{
	char hex[GIT_OID_HEXSZ + 1];
	git_oid oid;
	size_t n = strlen(id);
	int ok;

	if (!n || n > GIT_OID_HEXSZ)
		return 0;
	git_libgit2_init();
	ok = !git_odb_hash(&oid, data ? data : "", len, GIT_OBJECT_BLOB);
	git_libgit2_shutdown();
	git_oid_tostr(hex, sizeof(hex), &oid);
	return ok && !strncmp(hex, id, n);
}

/* An all-zero id stands for "no file" (a creation's pre-image). */
static int is_null_id(const char *id)
{
	return *id && strspn(id, "0") == strlen(id);
}

int binpatch_apply(const struct file_diff *fd, const char *where,
		   const char *old, size_t old_len, struct strbuf *out)
{
	const struct binary_hunk *bh = &fd->binary[0];
	struct strbuf delta = STRBUF_INIT;
	int ret;

	if (*fd->old_id && !is_null_id(fd->old_id) &&
	    !binpatch_is_blob(old, old_len, fd->old_id))
		return 1;
	if (!bh->delta)
		return binpatch_inflate(bh, where, out);
	ret = binpatch_inflate(bh, where, &delta);
	if (!ret)
		ret = binpatch_apply_delta(old ? old : "", old_len, delta.buf,
					   delta.len, where, bh->lineno, out);
	sb_release(&delta);
	return ret;
}

/*
 * worktree_sha1.c - SHA-1 (FIPS 180-4), to hash content as git hashes a
 * blob ("blob SIZE\0" + content): for worktree_fast.c, a file whose stat
 * data no longer matches the index, compared with the id git wrote; for
 * tree.c, the id of a file the series changed (tree_get_id), a key of
 * what is worked out from it.  Neither proves anything about hostile
 * input, and needs not: no collision detection.
 */
#include "tree/worktree_int.h"

#include <stdint.h>
#include <string.h>

static uint32_t rol(uint32_t x, int n)
{
	return x << n | x >> (32 - n);
}

/* The message schedule, 16 words kept: word i for i >= 16. */
#define W(i) (w[(i) & 15] = rol(w[((i) + 13) & 15] ^ w[((i) + 8) & 15] ^     \
				 w[((i) + 2) & 15] ^ w[(i) & 15], 1))
#define F1(b, c, d) ((d) ^ ((b) & ((c) ^ (d))))
#define F2(b, c, d) ((b) ^ (c) ^ (d))
#define F3(b, c, d) (((b) & (c)) | ((d) & ((b) | (c))))
/* One round; the five words rotate through the arguments. */
#define R(a, b, c, d, e, f, k, x)                                            \
	do {                                                                 \
		(e) += rol((a), 5) + f((b), (c), (d)) + (k) + (x);           \
		(b) = rol((b), 30);                                          \
	} while (0)
/* Five rounds from word i on (x: w[i] as is, or W(i) computed). */
#define R5(f, k, i, x)                                                       \
	do {                                                                 \
		R(a, b, cc, d, e, f, k, x(i));                               \
		R(e, a, b, cc, d, f, k, x((i) + 1));                         \
		R(d, e, a, b, cc, f, k, x((i) + 2));                         \
		R(cc, d, e, a, b, f, k, x((i) + 3));                         \
		R(b, cc, d, e, a, f, k, x((i) + 4));                         \
	} while (0)
#define W0(i) w[i]

static void sha1_block(struct wt_sha1 *c, const unsigned char *p)
{
	uint32_t w[16], a, b, cc, d, e;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	a = c->h[0], b = c->h[1], cc = c->h[2], d = c->h[3], e = c->h[4];
	R5(F1, 0x5a827999, 0, W0);
	R5(F1, 0x5a827999, 5, W0);
	R5(F1, 0x5a827999, 10, W0);
	R(a, b, cc, d, e, F1, 0x5a827999, w[15]);
	R(e, a, b, cc, d, F1, 0x5a827999, W(16));
	R(d, e, a, b, cc, F1, 0x5a827999, W(17));
	R(cc, d, e, a, b, F1, 0x5a827999, W(18));
	R(b, cc, d, e, a, F1, 0x5a827999, W(19));
	R5(F2, 0x6ed9eba1, 20, W);
	R5(F2, 0x6ed9eba1, 25, W);
	R5(F2, 0x6ed9eba1, 30, W);
	R5(F2, 0x6ed9eba1, 35, W);
	R5(F3, 0x8f1bbcdc, 40, W);
	R5(F3, 0x8f1bbcdc, 45, W);
	R5(F3, 0x8f1bbcdc, 50, W);
	R5(F3, 0x8f1bbcdc, 55, W);
	R5(F2, 0xca62c1d6, 60, W);
	R5(F2, 0xca62c1d6, 65, W);
	R5(F2, 0xca62c1d6, 70, W);
	R5(F2, 0xca62c1d6, 75, W);
	c->h[0] += a, c->h[1] += b, c->h[2] += cc, c->h[3] += d, c->h[4] += e;
}

void wt_sha1_init(struct wt_sha1 *c)
{
	static const uint32_t h0[5] = { 0x67452301, 0xefcdab89, 0x98badcfe,
					0x10325476, 0xc3d2e1f0 };

	memcpy(c->h, h0, sizeof(h0));
	c->len = 0;
}

void wt_sha1_update(struct wt_sha1 *c, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t have = (size_t)(c->len % 64);

	c->len += len;
	if (have) {
		size_t take = 64 - have < len ? 64 - have : len;

		memcpy(c->buf + have, p, take);
		p += take, len -= take, have += take;
		if (have < 64)
			return;
		sha1_block(c, c->buf);
	}
	for (; len >= 64; p += 64, len -= 64)
		sha1_block(c, p);
	memcpy(c->buf, p, len);
}

void wt_sha1_final(struct wt_sha1 *c, unsigned char *out)
{
	unsigned long long bits = c->len * 8;
	unsigned char pad[72] = { 0x80 };
	size_t padlen = 64 - (size_t)((c->len + 8) % 64);
	int i;

	if (padlen == 0)
		padlen = 64;
	for (i = 0; i < 8; i++)
		pad[padlen + i] = (unsigned char)(bits >> (56 - 8 * i));
	wt_sha1_update(c, pad, padlen + 8);
	for (i = 0; i < 20; i++)
		out[i] = (unsigned char)(c->h[i / 4] >> (24 - 8 * (i % 4)));
}

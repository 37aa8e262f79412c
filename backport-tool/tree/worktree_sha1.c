/*
 * worktree_sha1.c - SHA-1 (FIPS 180-4), for worktree_fast.c to hash a file
 * as git hashes a blob ("blob SIZE\0" + content) when its stat data no
 * longer matches the index.  Only ever compared with an id git wrote; it
 * proves nothing about hostile input, and needs not.
 */
#include "tree/worktree_int.h"

#include <stdint.h>
#include <string.h>

static uint32_t rol(uint32_t x, int n)
{
	return x << n | x >> (32 - n);
}

static void sha1_block(struct wt_sha1 *c, const unsigned char *p)
{
	uint32_t w[80], a, b, d, e, f, k, t, cc;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (i = 16; i < 80; i++)
		w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	a = c->h[0], b = c->h[1], cc = c->h[2], d = c->h[3], e = c->h[4];
	for (i = 0; i < 80; i++) {
		if (i < 20)
			f = (b & cc) | (~b & d), k = 0x5a827999;
		else if (i < 40)
			f = b ^ cc ^ d, k = 0x6ed9eba1;
		else if (i < 60)
			f = (b & cc) | (b & d) | (cc & d), k = 0x8f1bbcdc;
		else
			f = b ^ cc ^ d, k = 0xca62c1d6;
		t = rol(a, 5) + f + e + k + w[i];
		e = d, d = cc, cc = rol(b, 30), b = a, a = t;
	}
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

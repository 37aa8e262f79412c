/*
 * fuzz_patch_parse.c - libFuzzer harness for the patch parser: any bytes
 * must parse or be refused with an error, never crash, leak or read out of
 * bounds; whatever parses must be walkable by the accessors apply uses.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "input/patch.h"
#include "util.h"

/* Where walk() leaves its reads, so that the compiler keeps them. */
static volatile size_t sink;

static void walk(const struct patch *p)
{
	size_t i, h, l, sum = 0;

	for (i = 0; i < p->nfiles; i++) {
		const struct file_diff *fd = &p->files[i];
		int strip;

		for (strip = 0; strip < 3; strip++) {
			const char *t = file_diff_target(fd, strip);
			sum += t ? strlen(t) : 0;
		}
		for (h = 0; h < fd->nhunks; h++)
			for (l = 0; l < fd->hunks[h].nlines; l++) {
				const struct pline *pl = &fd->hunks[h].lines[l];
				if (pl->len)
					sum += (unsigned char)pl->text[pl->len - 1];
			}
	}
	sum += (size_t)patch_strip_level(p);
	sink = sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct patch p;
	char *buf = xmalloc(size + 1);

	memcpy(buf, data, size);
	buf[size] = '\0';
	if (patch_parse(&p, "fuzz", buf, size) == 0) {
		walk(&p);
		patch_release(&p);
	}
	return 0;
}

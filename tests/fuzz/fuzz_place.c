/*
 * fuzz_place.c - libFuzzer harness for the placement engine.  The input is
 * split at its first NUL byte: before it the target file, after it a
 * patch.  The first byte of the patch part, if a digit 0-2, picks the
 * fuzz factor.  Every file diff of the patch is placed on the file.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "input/patch.h"
#include "place/place.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	struct place_opts opts = { .max_fuzz = 2, .detect_applied = 1 };
	const char *old;
	size_t old_len, plen, i;
	struct patch p;
	char *buf;

	if (!nul)
		return 0;
	old_len = (size_t)(nul - data);
	old = xstrndup((const char *)data, old_len);
	plen = size - old_len - 1;
	buf = xmalloc(plen + 1);
	memcpy(buf, nul + 1, plen);
	buf[plen] = '\0';
	if (plen && buf[0] >= '0' && buf[0] <= '2')
		opts.max_fuzz = buf[0] - '0';
	if (patch_parse(&p, "fuzz", buf, plen) == 0) {
		for (i = 0; i < p.nfiles; i++) {
			const struct file_diff *fd = &p.files[i];
			struct hunk_result *res =
				xcalloc(fd->nhunks ? fd->nhunks : 1, sizeof(*res));
			struct strbuf out = STRBUF_INIT;

			sb_init(&out);
			place_file(fd, old, old_len, &opts, res, &out);
			sb_release(&out);
			free(res);
		}
		patch_release(&p);
	}
	free((char *)old);
	return 0;
}

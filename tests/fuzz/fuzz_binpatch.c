/*
 * fuzz_binpatch.c - libFuzzer harness for binary patch data.  The input is
 * split at its first NUL byte: before it a file, after it either a git
 * delta to apply to the file (when the input starts with 'D') or a patch
 * whose "GIT binary patch" data is decoded and applied to the file, as
 * apply does: base85 lines, inflating, every delta bound.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "place/binpatch.h"
#include "input/patch.h"
#include "util.h"

static void apply_patch_data(const char *old, size_t old_len,
			     const char *text, size_t len)
{
	char *buf = xmalloc(len + 1);
	struct strbuf out = STRBUF_INIT;
	struct patch p;
	size_t i;

	memcpy(buf, text, len);
	buf[len] = '\0';
	if (patch_parse(&p, "fuzz", buf, len))
		return;
	for (i = 0; i < p.nfiles; i++)
		if (p.files[i].binary_data)
			binpatch_apply(&p.files[i], "fuzz", old, old_len, &out);
	sb_release(&out);
	patch_release(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	struct strbuf out = STRBUF_INIT;
	const char *old = (const char *)data;
	size_t old_len, rest;

	if (!nul)
		return 0;
	old_len = (size_t)(nul - data);
	rest = size - old_len - 1;
	if (size && data[0] == 'D')
		binpatch_apply_delta(old, old_len, (const char *)nul + 1, rest,
				     "fuzz", 1, &out);
	else
		apply_patch_data(old, old_len, (const char *)nul + 1, rest);
	sb_release(&out);
	return 0;
}

/*
 * fuzz_cdecl.c - libFuzzer harness for the C declaration scanner: any
 * bytes, as a whole header and as a hunk fragment, must scan without a
 * crash, a leak or an out-of-bounds read, and every declaration's extent
 * must lie inside the input and be ordered.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyse/cdecl.h"
#include "util.h"

static void check_extents(const struct cdecl_file *f, const char *buf,
			  size_t size)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		const struct cdecl *d = &f->v[i];

		if (d->start > d->end || d->end > size || d->cstart > d->start ||
		    (d->up >= 0 && (size_t)d->up >= f->n))
			abort();
		if (d->start < d->end)
			free(cdecl_normalize(buf, d->start, d->end));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cdecl_file f = { 0 };
	char *buf = xmalloc(size + 1);

	memcpy(buf, data, size);
	buf[size] = '\0';
	cdecl_scan(&f, buf, size);
	check_extents(&f, buf, size);
	cdecl_file_release(&f);
	memset(&f, 0, sizeof(f));
	cdecl_scan_fragment(&f, buf, size, size > 8 ? "struct x {" : NULL);
	check_extents(&f, buf, size);
	cdecl_file_release(&f);
	free(buf);
	return 0;
}

/*
 * fuzz_mbox.c - libFuzzer harness for the mbox and mail-header reader:
 * the input is written to a file and read with patch_list_read_file, the
 * path git format-patch --stdout output and Debian patches take, so the
 * mbox splitting, header unfolding, RFC 2047 and quoted-printable
 * decoding and DEP-3 fields are all reached.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "input/patch.h"
#include "util.h"

static char path[4096];

static void cleanup(void)
{
	unlink(path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");
	int fd;

	snprintf(path, sizeof(path), "%s/bt-fuzz-mbox-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	fd = mkstemp(path);
	if (fd < 0)
		abort();
	close(fd);
	atexit(cleanup);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct patch_list list = { 0 };
	FILE *f = fopen(path, "wb");
	size_t i, sum = 0;

	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	if (patch_list_read_file(&list, path) == 0)
		for (i = 0; i < list.n; i++) {
			const struct patch_meta *m = &list.v[i].meta;

			sum += m->subject ? strlen(m->subject) : 0;
			sum += m->from ? strlen(m->from) : 0;
			sum += m->body ? strlen(m->body) : 0;
			sum += list.v[i].header_len;
		}
	patch_list_release(&list);
	return (int)(sum & 0);
}

/*
 * fuzz_path_check.c - libFuzzer harness for fsio's path_check, written as
 * a property test: whatever it accepts must be a relative path of plain
 * components (no "", ".", "..", ".git", no control bytes, not absolute),
 * and it must accept what is plainly safe.  A violation aborts.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tree/fsio.h"
#include "util.h"

static int component_bad(const char *c, size_t len)
{
	return len == 0 || (len == 1 && c[0] == '.') ||
	       (len == 2 && c[0] == '.' && c[1] == '.') ||
	       (len == 4 && !strncasecmp(c, ".git", 4));
}

static int plainly_unsafe(const char *path)
{
	const char *c, *end;

	if (!*path || *path == '/' || strlen(path) >= PATH_MAX)
		return 1;
	for (c = path; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return 1;
	for (c = path;; c = end + 1) {
		end = strchrnul(c, '/');
		if (component_bad(c, (size_t)(end - c)))
			return 1;
		if (!*end)
			return 0;
	}
}

/* Plain names: letters, digits and ._-+ only, no leading dot. */
static int plainly_safe(const char *path)
{
	const char *c;
	int start = 1;

	if (!*path || strlen(path) >= 256)
		return 0;
	for (c = path; *c; c++) {
		if (*c == '/') {
			if (start)
				return 0;
			start = 1;
			continue;
		}
		if (start && *c == '.')
			return 0;
		if (!(('a' <= *c && *c <= 'z') || ('A' <= *c && *c <= 'Z') ||
		      ('0' <= *c && *c <= '9') || strchr("._-+", *c)))
			return 0;
		start = 0;
	}
	return !start;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *path = xstrndup((const char *)data, size);
	int r = path_check(path, "fuzz", 1);

	if (r == 0 && plainly_unsafe(path))
		abort();
	if (r != 0 && plainly_safe(path))
		abort();
	free(path);
	return 0;
}

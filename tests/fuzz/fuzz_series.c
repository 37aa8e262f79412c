/*
 * fuzz_series.c - libFuzzer harness for the quilt series reader.  The
 * input is written as a series file in a private directory that also
 * holds three small patches (a.patch, b.patch, sub/c.patch), so entries
 * can name real patches as well as missing, odd or hostile ones.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input/patch.h"
#include "util.h"

static char series_dir[4096], series_path[4200];

static void cleanup(void)
{
	static const char *const names[] = { "series", "a.patch", "b.patch",
					     "sub/c.patch", "sub" };
	char path[4200];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", series_dir, names[i]);
		remove(path);
	}
	rmdir(series_dir);
}

static void put(const char *dir, const char *name, const char *text)
{
	char path[4200];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		abort();
	fputs(text, f);
	fclose(f);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char *dir = series_dir;
	const char *tmp = getenv("TMPDIR");
	char sub[4200];

	snprintf(dir, sizeof(series_dir), "%s/fuzz_series.XXXXXX",
		 tmp && *tmp ? tmp : P_tmpdir);
	if (!mkdtemp(dir))
		abort();
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	mkdir(sub, 0755);
	put(dir, "a.patch", "--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n");
	put(dir, "b.patch", "Subject: b\n\ndiff --git a/g b/g\nnew file mode 100644\n"
			    "--- /dev/null\n+++ b/g\n@@ -0,0 +1 @@\n+g\n");
	put(dir, "sub/c.patch", "--- a/h\n+++ b/h\n@@ -1,2 +1,2 @@\n x\n-y\n+z\n");
	snprintf(series_path, sizeof(series_path), "%s/series", dir);
	atexit(cleanup);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct patch_list list = { NULL, 0, 0 };
	FILE *f = fopen(series_path, "w");

	if (!f)
		abort();
	if (size && fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
	patch_list_read_series(&list, series_path);
	patch_list_release(&list);
	return 0;
}

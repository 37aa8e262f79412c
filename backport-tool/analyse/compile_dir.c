/*
 * compile_dir.c - a directory target (an unpacked Debian source package,
 * a work tree) as the build cache's sources: copied without its .git,
 * and a fingerprint of its files (paths, sizes, times, modes) that tells
 * a cache configured from it apart from one of an older content.
 */
#include "analyse/compile_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct walk {
	const char *to;         /* copy into, or NULL */
	uint64_t hash;          /* FNV-1a over what was seen */
	int rc;
};

static void hash_add(struct walk *w, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		w->hash ^= (unsigned char)s[i];
		w->hash *= 1099511628211ULL;
	}
}

static void walk_one(struct walk *w, const char *path, const char *rel,
		     const struct stat *st)
{
	char line[PATH_MAX + 96], dest[PATH_MAX];
	int n = snprintf(line, sizeof(line), "%s\t%lld\t%lld.%09ld\t%o\n", rel,
			 (long long)st->st_size, (long long)st->st_mtim.tv_sec,
			 st->st_mtim.tv_nsec, (unsigned)st->st_mode);

	hash_add(w, line, n > 0 ? (size_t)n : 0);
	if (!w->to || S_ISDIR(st->st_mode))
		return;
	if (compile_pathf(dest, sizeof(dest), "%s/%s", w->to, rel) < 0)
		w->rc = error("path too long: %s", rel);
	else if (S_ISLNK(st->st_mode)) {
		char target[PATH_MAX];
		ssize_t len = readlink(path, target, sizeof(target));

		if (len < 0 || compile_write_file(dest, target, (size_t)len, 0120000) < 0)
			w->rc = -1;
	} else if (S_ISREG(st->st_mode)) {
		struct strbuf data = STRBUF_INIT;

		if (compile_read_file(path, &data) < 0 ||
		    compile_write_file(dest, data.buf ? data.buf : "", data.len,
				       st->st_mode & 0111 ? 0100755 : 0100644) < 0)
			w->rc = error("cannot copy %s", path);
		sb_release(&data);
	}
}

/* Each entry under dir (rel its path from the top), sorted, no .git. */
static void walk_dir(struct walk *w, const char *dir, const char *rel)
{
	struct dirent **names;
	int i, n = scandir(dir, &names, NULL, alphasort);

	if (n < 0) {
		w->rc = error("cannot read %s: %s", dir, strerror(errno));
		return;
	}
	for (i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		char path[PATH_MAX], sub[PATH_MAX];
		struct stat st;

		if (strcmp(name, ".") && strcmp(name, "..") && strcmp(name, ".git") &&
		    w->rc == 0 &&
		    compile_pathf(path, sizeof(path), "%s/%s", dir, name) == 0 &&
		    compile_pathf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "",
				  name) == 0 &&
		    lstat(path, &st) == 0) {
			walk_one(w, path, sub, &st);
			if (S_ISDIR(st.st_mode))
				walk_dir(w, path, sub);
		}
		free(names[i]);
	}
	free(names);
}

int compile_dir_fingerprint(const char *dir, char *out, size_t size)
{
	struct walk w = { NULL, 14695981039346656037ULL, 0 };

	walk_dir(&w, dir, "");
	snprintf(out, size, "%016llx", (unsigned long long)w.hash);
	return w.rc;
}

int compile_dir_copy(const char *from, const char *to)
{
	struct walk w = { to, 14695981039346656037ULL, 0 };

	if (mkdir_p(to) < 0)
		return error("cannot create %s", to);
	walk_dir(&w, from, "");
	return w.rc;
}

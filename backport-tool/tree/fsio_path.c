/*
 * fsio_path.c - the paths a patch may name (no absolute paths, no "..",
 * no control characters), and reading a file below the tree's root without
 * following any symlink on the way.
 */
#include "tree/fsio_int.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tree/tree.h"

/* ---- path checks -------------------------------------------------------- */

/* Quote a path for a one-line message: control bytes as \ooo. */
static const char *path_quote(struct strbuf *sb, const char *path)
{
	const unsigned char *p;

	sb_init(sb);
	for (p = (const unsigned char *)path; *p; p++) {
		if (*p < 0x20 || *p == 0x7f || *p == '\\')
			sb_addf(sb, "\\%03o", *p);
		else
			sb_addch(sb, *p);
	}
	return sb->buf;
}

static int path_refuse(const char *path, const char *where, long line,
		       const char *why)
{
	struct strbuf q;

	error_at(where, line, "unsafe path '%s': %s", path_quote(&q, path),
		 why);
	sb_release(&q);
	return -1;
}

static int component_is(const char *c, size_t len, const char *name)
{
	return strlen(name) == len && !strncmp(c, name, len);
}

const char *path_problem(const char *path)
{
	const char *c, *end;
	size_t len;

	if (!path || !*path)
		return "empty path";
	for (c = path; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return "control character in path";
	if (strlen(path) >= PATH_MAX)
		return "path too long";
	if (*path == '/')
		return "absolute path";
	for (c = path; ; c = end + 1) {
		end = strchrnul(c, '/');
		len = (size_t)(end - c);
		if (!len)
			return "empty path component";
		if (component_is(c, len, ".."))
			return "'..' component";
		if (component_is(c, len, "."))
			return "'.' component";
		if (len == 4 && !strncasecmp(c, ".git", 4))
			return "inside a .git directory";
		if (c == path && component_is(c, len, JOURNAL_DIR))
			return "backport-tool's own journal";
		if (!*end)
			break;
	}
	return NULL;
}

int path_check(const char *path, const char *where, long line)
{
	const char *why = path_problem(path);

	if (!why)
		return 0;
	if (!path || !*path)
		return error_at(where, line, "unsafe path '': %s", why);
	return path_refuse(path, where, line, why);
}

/* ---- reading below the root without following symlinks ---------------- */

int fs_walk_error(const char *path, int err)
{
	if (err == ELOOP)
		return error_at(path, 0, "a leading component is a symlink, "
				"refusing to follow it");
	if (err == ENOTDIR)
		return error_at(path, 0, "a leading component is not a "
				"directory");
	return error_at(path, 0, "%s", strerror(err));
}

static unsigned mode_of(const struct stat *st)
{
	if (S_ISLNK(st->st_mode))
		return 0120000;
	return (st->st_mode & 0111) ? 0100755 : 0100644;
}

static int read_link(int dir, const char *base, const char *path,
		     const struct stat *st, char **data, size_t *len)
{
	size_t size = st->st_size > 0 ? (size_t)st->st_size : PATH_MAX;
	char *buf = xmalloc(size + 1);
	ssize_t n = readlinkat(dir, base, buf, size + 1);

	if (n < 0 || (size_t)n > size) {
		free(buf);
		return error_at(path, 0, "cannot read symlink: %s",
				n < 0 ? strerror(errno) : "changed while read");
	}
	buf[n] = '\0';
	*data = buf;
	*len = (size_t)n;
	return 0;
}

int fs_read_fd(int fd, const char *path, size_t size, char **data,
		   size_t *len)
{
	char *buf = xmalloc(size + 1);
	size_t got = 0;

	while (got < size) {
		ssize_t n = read(fd, buf + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			free(buf);
			return error_at(path, 0, "read error: %s",
					n < 0 ? strerror(errno) :
						"file shrank while read");
		}
		got += (size_t)n;
	}
	buf[got] = '\0';
	*data = buf;
	*len = got;
	return 0;
}

static int read_regular(int dir, const char *base, const char *path,
			char **data, size_t *len, unsigned *mode)
{
	struct stat st;
	int fd, ret;

	/* O_NONBLOCK: a fifo swapped in after the lstat must not hang us. */
	fd = openat(dir, base, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return error_at(path, 0, "%s", strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return error_at(path, 0, "not a regular file");
	}
	if ((unsigned long long)st.st_size > MAX_INPUT_SIZE) {
		close(fd);
		return error_at(path, 0, "larger than %zu bytes, refused",
				MAX_INPUT_SIZE);
	}
	ret = fs_read_fd(fd, path, (size_t)st.st_size, data, len);
	close(fd);
	if (!ret)
		*mode = mode_of(&st);
	return ret;
}

int fs_read(struct fs_root *root, const char *path, char **data, size_t *len,
	    unsigned *mode)
{
	const char *base;
	struct stat st;
	int dir, ret;

	dir = fs_root_parent(root, path, 0, &base);
	if (dir < 0)
		return errno == ENOENT ? TREE_ENOENT : fs_walk_error(path, errno);
	if (fstatat(dir, base, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		return errno == ENOENT ? TREE_ENOENT : error_at(path, 0, "%s",
							strerror(errno));
	}
	if (S_ISLNK(st.st_mode)) {
		ret = read_link(dir, base, path, &st, data, len);
		if (!ret)
			*mode = 0120000;
	} else if (S_ISREG(st.st_mode)) {
		ret = read_regular(dir, base, path, data, len, mode);
	} else {
		ret = error_at(path, 0, "not a regular file");
	}
	return ret;
}

/*
 * symindex_tree.c - index a whole tree: a directory walked without
 * following links, or a git revision read through libgit2.
 */
#include "analyse/symindex_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input/gitsrc.h"

/* ---- trees ---------------------------------------------------------- */

int sym_is_c_source(const char *name, size_t n)
{
	return n > 2 && name[n - 2] == '.' && (name[n - 1] == 'c' || name[n - 1] == 'h');
}

static int read_fd(int fd, struct strbuf *buf)
{
	struct stat st;
	ssize_t r;

	sb_reset(buf);
	if (fstat(fd, &st) == 0 && st.st_size > 0)
		sb_grow(buf, (size_t)st.st_size);
	for (;;) {
		sb_grow(buf, 65536);
		r = read(fd, buf->buf + buf->len, buf->alloc - buf->len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		buf->len += (size_t)r;
	}
	buf->buf[buf->len] = '\0';
	return r < 0 ? -1 : 0;
}

static int walk_dir(struct symindex *ix, int dfd, struct strbuf *path,
		    struct strbuf *buf)
{
	DIR *d = fdopendir(dfd);
	struct dirent *e;
	size_t base = path->len;

	if (!d) {
		close(dfd);
		return error_at(path->buf, 0, "%s", strerror(errno));
	}
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		int type = e->d_type;

		if (e->d_name[0] == '.' &&
		    (n == 1 || (n == 2 && e->d_name[1] == '.') ||
		     !strcmp(e->d_name, ".git") || !strcmp(e->d_name, ".pc")))
			continue;
		if (type == DT_UNKNOWN) {
			struct stat st;
			if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW))
				continue;
			type = S_ISDIR(st.st_mode) ? DT_DIR
			       : S_ISREG(st.st_mode) ? DT_REG : DT_LNK;
		}
		path->len = base;
		if (base)
			sb_addch(path, '/');
		sb_add(path, e->d_name, n);
		if (type == DT_DIR) {
			int sub = openat(dirfd(d), e->d_name,
					 O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
			if (sub >= 0)
				walk_dir(ix, sub, path, buf);
		} else if (type == DT_REG && sym_is_c_source(e->d_name, n)) {
			int fd = openat(dirfd(d), e->d_name, O_RDONLY | O_NOFOLLOW);
			if (fd < 0)
				continue;
			if (read_fd(fd, buf) == 0)
				symindex_add_text(ix, path->buf, buf->buf, buf->len, 0);
			close(fd);
		}
	}
	path->len = base;
	path->buf[base] = '\0';
	closedir(d);
	return 0;
}

int symindex_add_dir(struct symindex *ix, const char *dir)
{
	struct strbuf path = STRBUF_INIT, buf = STRBUF_INIT;
	int fd = open(dir, O_RDONLY | O_DIRECTORY), rc;

	if (fd < 0)
		return error_at(dir, 0, "%s", strerror(errno));
	sb_init(&path);
	sb_init(&buf);
	rc = walk_dir(ix, fd, &path, &buf);
	sb_release(&path);
	sb_release(&buf);
	return rc;
}

struct git_walk {
	struct symindex *ix;
	git_repository *repo;
	int rc;
};

static int git_walk_cb(const char *root, const git_tree_entry *e, void *data)
{
	struct git_walk *w = data;
	const char *name = git_tree_entry_name(e);
	struct strbuf path = STRBUF_INIT;
	git_blob *blob;

	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB ||
	    git_tree_entry_filemode(e) == GIT_FILEMODE_LINK ||
	    !sym_is_c_source(name, strlen(name)))
		return 0;
	if (git_blob_lookup(&blob, w->repo, git_tree_entry_id(e)) < 0) {
		w->rc = error("cannot read blob %s%s", root, name);
		return 0;
	}
	sb_addf(&path, "%s%s", root, name);
	symindex_add_text(w->ix, path.buf, git_blob_rawcontent(blob),
			  (size_t)git_blob_rawsize(blob), 0);
	sb_release(&path);
	git_blob_free(blob);
	return 0;
}

int symindex_add_git(struct symindex *ix, struct gitsrc *g, const char *rev,
		     const char *const *paths, size_t n)
{
	struct git_walk w = { ix, gitsrc_repository(g), 0 };
	git_object *obj;
	git_tree *tree;
	size_t i;

	if (git_revparse_single(&obj, w.repo, rev) < 0)
		return error("no such revision '%s'", rev);
	if (git_object_peel((git_object **)&tree, obj, GIT_OBJECT_TREE) < 0) {
		git_object_free(obj);
		return error("'%s' has no tree", rev);
	}
	git_object_free(obj);
	if (!n) {
		git_tree_walk(tree, GIT_TREEWALK_PRE, git_walk_cb, &w);
	} else {
		for (i = 0; i < n; i++) {
			struct strbuf blob = STRBUF_INIT;

			if (gitsrc_read_file(g, rev, paths[i], &blob) == 0)
				symindex_add_text(ix, paths[i], blob.buf, blob.len, 0);
			sb_release(&blob);
		}
	}
	git_tree_free(tree);
	return w.rc;
}

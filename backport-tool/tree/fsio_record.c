/*
 * fsio_record.c - the proof that a journal in a tree is this program's.
 *
 * The journal lives in the tree, and a tree may be an unpacked tarball:
 * anyone can ship a ".backport-tool-journal" whose list names files to
 * delete or restore.  So before acting on a journal, recovery asks for its
 * record, kept outside every tree, in $BACKPORT_TOOL_CACHE/journals/NONCE
 * (else $XDG_CACHE_HOME/backport-tool or ~/.cache/backport-tool): the
 * journal's random nonce names it, it names the tree (device and inode of
 * its root directory) and it holds a copy of the journal's list.  fs_commit
 * writes the record, list included (the list is known from the plan),
 * once, before the journal exists; a journal without a matching record is
 * refused, unless nothing in it is left to act on (fsio.c).
 */
#include "tree/fsio_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#define RECORD_MAGIC "backport-tool journal record 1\n"

/* The directory of the records; malloc'ed, NULL after an error. */
static char *record_dir(void)
{
	return cache_path("journals");
}

static int nonce_valid(const char *nonce)
{
	size_t i;

	for (i = 0; i < FS_NONCE_LEN; i++)
		if (!nonce[i] || !strchr("0123456789abcdef", nonce[i]))
			return 0;
	return !nonce[i];
}

/* The record's first lines, naming the tree; -1 when it cannot be named. */
static int record_head(struct fs_root *root, struct strbuf *sb)
{
	struct stat st;

	sb_addstr(sb, RECORD_MAGIC);
	if (fstat(fs_root_fd(root), &st) < 0)
		return error("cannot stat the tree: %s", strerror(errno));
	sb_addf(sb, "tree %llu %llu\n", (unsigned long long)st.st_dev,
		(unsigned long long)st.st_ino);
	return 0;
}

/* Is the directory dir on the tree's file system?  1 yes. */
static int record_beside(struct fs_root *root, const char *dir)
{
	struct stat ds, ts;

	return !stat(dir, &ds) && !fstat(fs_root_fd(root), &ts) &&
	       ds.st_dev == ts.st_dev;
}

/* Sync a directory's entries (a rename into it). */
static int record_sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), r;

	if (fd < 0)
		return -1;
	r = fsync(fd);
	close(fd);
	return r;
}

/*
 * Write the record durably: a temporary file, renamed.  It must be on disk
 * before the tree is changed, so that a crash can never leave a changed
 * tree whose journal cannot be proven.  On the tree's own file system the
 * journal's sync before the first change (fs_journal_write_list) covers it,
 * as it covers the journal: one wait instead of two.  Elsewhere (the cache
 * on another file system) it is synced here, file and directory.
 */
static int record_write(struct fs_root *root, const char *nonce,
			const struct strbuf *sb)
{
	char *dir = record_dir();
	struct strbuf tmp = STRBUF_INIT, final = STRBUF_INIT;
	FILE *f = NULL;
	int ret, sync;

	if (!dir)
		return -1;
	ret = mkdir_p(dir);
	sync = !ret && !record_beside(root, dir);

	sb_addf(&tmp, "%s/%s.tmp", dir, nonce);
	sb_addf(&final, "%s/%s", dir, nonce);
	if (!ret && !(f = fopen(tmp.buf, "w")))
		ret = -1;
	if (f && (fwrite(sb->buf, 1, sb->len, f) != sb->len || fflush(f) ||
		  (sync && fsync(fileno(f)))))
		ret = -1;
	if (f && fclose(f))
		ret = -1;
	if (f && !ret && rename(tmp.buf, final.buf) < 0)
		ret = -1;
	if (f && !ret && sync)
		ret = record_sync_dir(dir);
	if (ret && errno)
		error("cannot record the journal in %s: %s", dir,
		      strerror(errno));
	if (ret && f) {
		unlink(tmp.buf);
		unlink(final.buf);
	}
	free(dir);
	sb_release(&tmp);
	sb_release(&final);
	return ret ? -1 : 0;
}

int fs_record_nonce(char *nonce)
{
	unsigned char raw[FS_NONCE_LEN / 2];
	size_t i;

	if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw))
		return error("cannot make a journal nonce: %s", strerror(errno));
	for (i = 0; i < sizeof(raw); i++)
		snprintf(nonce + 2 * i, 3, "%02x", raw[i]);
	return 0;
}

int fs_record_new(struct fs_root *root, const char *nonce, const char *list,
		  size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	int ret;

	ret = record_head(root, &sb);
	sb_add(&sb, list, len);
	if (!ret)
		ret = record_write(root, nonce, &sb);
	sb_release(&sb);
	return ret;
}

/* Read a record quietly: a missing one only means "not proven". */
static int record_read(const char *path, struct strbuf *out)
{
	char buf[4096];
	size_t n;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0 &&
	       out->len < MAX_INPUT_SIZE)
		sb_add(out, buf, n);
	fclose(f);
	return 0;
}

int fs_record_check(struct fs_root *root, const char *nonce, const char *list,
		    size_t len)
{
	struct strbuf want = STRBUF_INIT, have = STRBUF_INIT, path = STRBUF_INIT;
	char *dir = record_dir();
	int ok;

	ok = dir && nonce_valid(nonce);
	sb_addf(&path, "%s/%s", dir ? dir : "", nonce);
	if (ok && record_read(path.buf, &have) < 0)
		ok = 0;
	if (record_head(root, &want) < 0)
		ok = 0;
	if (ok && list)
		sb_add(&want, list, len);
	ok = ok && have.len >= want.len &&
	     !memcmp(have.buf, want.buf, want.len);
	/* a list cut short: the record's list begins with it */
	if (ok && list && have.len > want.len)
		ok = 2;
	free(dir);
	sb_release(&want);
	sb_release(&have);
	sb_release(&path);
	return ok == 1 ? 0 : ok == 2 ? 2 : 1;
}

void fs_record_remove(const char *nonce)
{
	char *dir = record_dir();
	struct strbuf path = STRBUF_INIT;

	if (dir && nonce_valid(nonce)) {
		sb_addf(&path, "%s/%s", dir, nonce);
		unlink(path.buf);
	}
	free(dir);
	sb_release(&path);
}

/* A record's file name: NONCE, or NONCE.tmp while it is written. */
static int record_name(const char *name)
{
	char nonce[FS_NONCE_LEN + 1];

	if (strlen(name) != FS_NONCE_LEN &&
	    (strlen(name) != FS_NONCE_LEN + 4 || strcmp(name + FS_NONCE_LEN, ".tmp")))
		return 0;
	memcpy(nonce, name, FS_NONCE_LEN);
	nonce[FS_NONCE_LEN] = '\0';
	return nonce_valid(nonce);
}

/*
 * Remove the records of this tree other than keep's: left by runs killed
 * after their journal was gone.  Called once the new journal exists, when
 * no other journal can be in the tree (its directory was just made).
 */
void fs_record_sweep(struct fs_root *root, const char *keep)
{
	char *dir = record_dir();
	struct strbuf head = STRBUF_INIT, path = STRBUF_INIT, have = STRBUF_INIT;
	DIR *d = dir ? opendir(dir) : NULL;
	struct dirent *de;

	if (record_head(root, &head) < 0 && d) {
		closedir(d);
		d = NULL;
	}
	while (d && (de = readdir(d))) {
		if (!record_name(de->d_name) ||
		    !strncmp(de->d_name, keep, FS_NONCE_LEN))
			continue;
		sb_reset(&path);
		sb_addf(&path, "%s/%s", dir, de->d_name);
		sb_reset(&have);
		if (record_read(path.buf, &have) == 0 && have.len >= head.len &&
		    !memcmp(have.buf, head.buf, head.len))
			unlink(path.buf);
	}
	if (d)
		closedir(d);
	free(dir);
	sb_release(&head);
	sb_release(&path);
	sb_release(&have);
}

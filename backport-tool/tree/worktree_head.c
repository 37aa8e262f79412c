/*
 * worktree_head.c - HEAD's tree id, read the way git stores it, for
 * worktree_fast.c: HEAD, a loose ref or packed-refs, then the commit as a
 * loose object or an undeltified pack entry (idx version 2), in the
 * repository's objects or its alternates.  Anything else (a deltified
 * commit, reftable, SHA-256, a quoted alternate) is "cannot tell" (1),
 * and libgit2 answers instead; nothing here ever decides "clean" alone.
 */
#include "tree/worktree_int.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "util.h"

#define HEX_LEN (2 * WT_OID_LEN)

/* A small file read whole into sb (reset first); 0 or -1. */
static int read_small(const char *path, struct strbuf *sb)
{
	char buf[4096];
	ssize_t got;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	sb_reset(sb);
	if (fd < 0)
		return -1;
	while ((got = read(fd, buf, sizeof(buf))) > 0 && sb->len < (1 << 20))
		sb_add(sb, buf, (size_t)got);
	close(fd);
	return got < 0 ? -1 : 0;
}

/* 40 lower-case hex digits into oid; 0 or -1. */
static int parse_hex(const char *s, unsigned char *oid)
{
	return hex_to_bytes(s, oid, WT_OID_LEN);
}

/* ref (e.g. "refs/heads/main") in packed-refs; 0 found, 1 not. */
static int packed_ref(const char *gitdir, const char *ref, unsigned char *oid)
{
	struct strbuf path = STRBUF_INIT, sb = STRBUF_INIT;
	size_t rlen = strlen(ref);
	const char *p, *end;
	int ret = 1;

	sb_addf(&path, "%s/packed-refs", gitdir);
	if (read_small(path.buf, &sb) == 0 && sb.len)
		for (p = sb.buf; ret && p < sb.buf + sb.len; p = end + 1) {
			end = memchr(p, '\n', sb.buf + sb.len - p);
			if (!end)
				end = sb.buf + sb.len;
			if ((size_t)(end - p) == HEX_LEN + 1 + rlen &&
			    p[HEX_LEN] == ' ' &&
			    !memcmp(p + HEX_LEN + 1, ref, rlen))
				ret = parse_hex(p, oid) ? 1 : 0;
		}
	sb_release(&path);
	sb_release(&sb);
	return ret;
}

/* The commit HEAD names: detached, or one symbolic level. 0 or 1. */
static int head_commit(const char *gitdir, unsigned char *oid)
{
	struct strbuf path = STRBUF_INIT, sb = STRBUF_INIT;
	int ret = 1;

	sb_addf(&path, "%s/HEAD", gitdir);
	if (read_small(path.buf, &sb) < 0)
		goto out;
	if (sb.len == HEX_LEN + 1 && sb.buf[HEX_LEN] == '\n') {
		ret = parse_hex(sb.buf, oid) ? 1 : 0;
		goto out;
	}
	if (sb.len < 6 || strncmp(sb.buf, "ref: refs/", 10) ||
	    sb.buf[sb.len - 1] != '\n' || strstr(sb.buf, ".."))
		goto out;
	sb.buf[--sb.len] = '\0';
	sb_reset(&path);
	sb_addf(&path, "%s/%s", gitdir, sb.buf + 5);
	{
		struct strbuf ref = STRBUF_INIT;

		if (read_small(path.buf, &ref) == 0)
			ret = ref.len == HEX_LEN + 1 && ref.buf[HEX_LEN] == '\n' &&
			      !parse_hex(ref.buf, oid) ? 0 : 1;
		else
			ret = packed_ref(gitdir, sb.buf + 5, oid);
		sb_release(&ref);
	}
out:
	sb_release(&path);
	sb_release(&sb);
	return ret;
}

/*
 * The first bytes of a zlib stream (an object's start) into out; the
 * number of bytes, or -1.
 */
static long inflate_start(const unsigned char *in, size_t len,
			  unsigned char *out, size_t size)
{
	z_stream z;
	int r;

	memset(&z, 0, sizeof(z));
	if (inflateInit(&z) != Z_OK)
		return -1;
	z.next_in = (unsigned char *)in;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)size;
	r = inflate(&z, Z_SYNC_FLUSH);
	inflateEnd(&z);
	if (r != Z_OK && r != Z_STREAM_END && r != Z_BUF_ERROR)
		return -1;
	return (long)(size - z.avail_out);
}

/* "tree <hex>\n" at the start of a commit's body. 0 or 1. */
static int commit_tree(const unsigned char *body, long len, unsigned char *oid)
{
	if (len < 5 + HEX_LEN + 1 || memcmp(body, "tree ", 5) ||
	    body[5 + HEX_LEN] != '\n')
		return 1;
	return parse_hex((const char *)body + 5, oid) ? 1 : 0;
}

/* The commit as a loose object in objdir. 0, or 1 (absent or odd). */
static int loose_tree(const char *objdir, const char *hex, unsigned char *oid)
{
	struct strbuf path = STRBUF_INIT, sb = STRBUF_INIT;
	unsigned char out[256];
	const unsigned char *nul;
	long got = -1;

	sb_addf(&path, "%s/%.2s/%s", objdir, hex, hex + 2);
	if (read_small(path.buf, &sb) == 0 && sb.len)
		got = inflate_start((unsigned char *)sb.buf, sb.len, out,
				    sizeof(out));
	sb_release(&path);
	sb_release(&sb);
	if (got < 8 || memcmp(out, "commit ", 7) ||
	    !(nul = memchr(out, '\0', (size_t)got)))
		return 1;
	return commit_tree(nul + 1, got - (nul + 1 - out), oid);
}

/* oid's offset in a mapped version-2 pack index, or -1. */
static long long idx_find(const unsigned char *m, size_t len,
			  const unsigned char *oid)
{
	const unsigned char *fan = m + 8, *names = fan + 1024;
	uint32_t lo, hi, n;

	if (len < 8 + 1024 || memcmp(m, "\377tOc\0\0\0\2", 8))
		return -1;
	n = (uint32_t)fan[1020] << 24 | fan[1021] << 16 | fan[1022] << 8 | fan[1023];
	if (len < 8 + 1024 + (size_t)n * 28)
		return -1;
	lo = oid[0] ? (uint32_t)fan[4 * (oid[0] - 1)] << 24 |
			      fan[4 * (oid[0] - 1) + 1] << 16 |
			      fan[4 * (oid[0] - 1) + 2] << 8 |
			      fan[4 * (oid[0] - 1) + 3] : 0;
	hi = (uint32_t)fan[4 * oid[0]] << 24 | fan[4 * oid[0] + 1] << 16 |
	     fan[4 * oid[0] + 2] << 8 | fan[4 * oid[0] + 3];
	while (lo < hi && hi <= n) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = memcmp(names + (size_t)mid * WT_OID_LEN, oid, WT_OID_LEN);

		if (c < 0)
			lo = mid + 1;
		else if (c > 0)
			hi = mid;
		else {
			const unsigned char *o = names + (size_t)n * 24 +
						 (size_t)mid * 4;
			uint32_t v = (uint32_t)o[0] << 24 | o[1] << 16 |
				     o[2] << 8 | o[3];
			return v & 0x80000000u ? -1 : (long long)v; /* large: odd */
		}
	}
	return -1;
}

/* The commit at off in a pack: undeltified only.  0 or 1. */
static int pack_tree(const char *pack, long long off, unsigned char *oid)
{
	unsigned char in[1024], out[256];
	size_t i = 0;
	ssize_t got;
	long len;
	int fd = open(pack, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 1;
	got = pread(fd, in, sizeof(in), (off_t)off);
	close(fd);
	if (got < 16 || ((in[0] >> 4) & 7) != 1) /* OBJ_COMMIT */
		return 1;
	while (i < 10 && (in[i] & 0x80))
		i++;
	i++;
	len = inflate_start(in + i, (size_t)got - i, out, sizeof(out));
	return commit_tree(out, len, oid);
}

/* The commit in one of objdir's packs.  0, or 1. */
static int packed_tree(const char *objdir, const unsigned char *commit,
		       unsigned char *oid)
{
	struct strbuf path = STRBUF_INIT;
	DIR *d;
	struct dirent *de;
	int ret = 1;

	sb_addf(&path, "%s/pack", objdir);
	if (!(d = opendir(path.buf))) {
		sb_release(&path);
		return 1;
	}
	while (ret && (de = readdir(d))) {
		size_t len = strlen(de->d_name);
		struct stat st;
		void *m;
		long long off = -1;
		int fd;

		if (len < 5 || strcmp(de->d_name + len - 4, ".idx"))
			continue;
		sb_reset(&path);
		sb_addf(&path, "%s/pack/%s", objdir, de->d_name);
		if ((fd = open(path.buf, O_RDONLY | O_CLOEXEC)) < 0)
			continue;
		m = fstat(fd, &st) == 0 && st.st_size > 0 ?
			    mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0) :
			    MAP_FAILED;
		close(fd);
		if (m == MAP_FAILED)
			continue;
		off = idx_find(m, (size_t)st.st_size, commit);
		munmap(m, (size_t)st.st_size);
		if (off < 0)
			continue;
		sb_reset(&path);
		sb_addf(&path, "%s/pack/%.*s.pack", objdir, (int)(len - 4),
			de->d_name);
		ret = pack_tree(path.buf, off, oid);
		break; /* found: a deltified copy is not looked for elsewhere */
	}
	closedir(d);
	sb_release(&path);
	return ret;
}

static int alternates_tree(const char *objdir, const unsigned char *commit,
			   const char *hex, unsigned char *oid, int depth);

/* The commit in objdir, loose or packed, or in its alternates. 0, or 1. */
static int objdir_tree(const char *objdir, const unsigned char *commit,
		       const char *hex, unsigned char *oid, int depth)
{
	if (loose_tree(objdir, hex, oid) == 0 ||
	    packed_tree(objdir, commit, oid) == 0)
		return 0;
	return depth < 5 ? alternates_tree(objdir, commit, hex, oid, depth + 1)
			 : 1; /* git's limit of nested alternates */
}

/* Each alternate objects directory, until the commit is read. */
static int alternates_tree(const char *objdir, const unsigned char *commit,
			   const char *hex, unsigned char *oid, int depth)
{
	struct strbuf path = STRBUF_INIT, sb = STRBUF_INIT;
	char *p, *end;
	int ret = 1;

	sb_addf(&path, "%s/info/alternates", objdir);
	if (read_small(path.buf, &sb) < 0 || !sb.len) {
		sb_release(&path);
		sb_release(&sb);
		return 1;
	}
	for (p = sb.buf; ret && p < sb.buf + sb.len; p = end + 1) {
		end = memchr(p, '\n', sb.buf + sb.len - p);
		if (!end)
			end = sb.buf + sb.len;
		*end = '\0';
		if (!*p || *p == '#' || *p == '"')
			continue; /* a quoted path: left to libgit2 */
		sb_reset(&path);
		if (*p != '/')
			sb_addf(&path, "%s/", objdir);
		sb_addstr(&path, p);
		ret = objdir_tree(path.buf, commit, hex, oid, depth);
	}
	sb_release(&path);
	sb_release(&sb);
	return ret;
}

int worktree_head_tree(const char *gitdir, unsigned char *oid)
{
	struct strbuf objdir = STRBUF_INIT;
	unsigned char commit[WT_OID_LEN];
	char hex[HEX_LEN + 1];
	int i, ret;

	if (head_commit(gitdir, commit))
		return 1;
	for (i = 0; i < WT_OID_LEN; i++)
		snprintf(hex + 2 * i, 3, "%02x", commit[i]);
	sb_addf(&objdir, "%s/objects", gitdir);
	ret = objdir_tree(objdir.buf, commit, hex, oid, 0);
	sb_release(&objdir);
	return ret;
}

/*
 * worktree_fast.c - the common case of the uncommitted-work check without
 * libgit2: every path apply writes is tracked, unchanged since HEAD, and
 * its stat data in .git/index proves it (git's own rule for "unchanged").
 *
 * It reads the index itself (versions 2-4; HEAD's tree against the index's
 * cache tree says nothing is staged) and answers only "clean" (0) or
 * "cannot tell" (1).  Anything it does not fully understand is "cannot
 * tell": a config that moves the work tree or changes how paths compare,
 * an index extension that changes what entries mean (split or sparse
 * index), an entry git hides (assume-unchanged, skip-worktree,
 * intent-to-add), a conflict, a gitlink, an untracked file, and any stat
 * field that differs, or an entry as new as the index itself (racily
 * clean: its content may have changed within the same timestamp).  Then
 * worktree.c asks libgit2, which hashes what it must and words the refusal.
 */
#include "tree/worktree_int.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

/*
 * One index entry, as offsets: where it starts in the map, where its name
 * is from ix->base.  Eight bytes, not twenty-four: the array of a 10,000
 * entry index then comes from the heap, not from pages mapped and zeroed
 * afresh for the one or two paths an apply asks about.
 */
struct wt_entry {
	uint32_t disk;
	uint32_t name;
};

struct wt_index {
	struct wt_entry *v;
	size_t n;
	const unsigned char *map;       /* the index file */
	struct strbuf names;            /* version 4: the names, rebuilt */
	const char *base;               /* the names: in the map, or names */
	unsigned char root[WT_OID_LEN]; /* the cache tree's root, if valid */
	int root_valid;
	struct stat st;                 /* of the index file: racy git */
};

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* An entry's 16-bit flags, its extended ones (version 3+) folded in << 16. */
static unsigned entry_flags(const unsigned char *p)
{
	unsigned flags = (unsigned)p[60] << 8 | p[61];

	if (flags & 0x4000)
		flags |= ((unsigned)p[62] << 8 | p[63]) << 16;
	return flags;
}

/* Environment that moves the repository or its index: libgit2 decides. */
static int env_unusual(void)
{
	static const char *const vars[] = {
		"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE",
		"GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES",
		"GIT_COMMON_DIR", "GIT_CEILING_DIRECTORIES", "GIT_NAMESPACE",
		"GIT_CONFIG", "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT",
	};
	size_t i;

	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		if (getenv(vars[i]))
			return 1;
	return 0;
}

/*
 * Does the repository's config say anything that changes where the work
 * tree is or how its paths compare?  core.worktree, core.bare true,
 * core.ignorecase true, core.splitindex, includes, any extension.
 */
static int config_unusual(const char *gitdir)
{
	struct strbuf path = STRBUF_INIT, sb = STRBUF_INIT;
	char section[32] = "", *p, *end;
	int fd, bad = 0;
	char buf[4096];
	ssize_t got;

	sb_addf(&path, "%s/config", gitdir);
	fd = open(path.buf, O_RDONLY | O_CLOEXEC);
	sb_release(&path);
	if (fd < 0)
		return 1;
	while ((got = read(fd, buf, sizeof(buf))) > 0 && sb.len < (1 << 20))
		sb_add(&sb, buf, (size_t)got);
	close(fd);
	for (p = sb.buf; !bad && p && p < sb.buf + sb.len; p = end + 1) {
		size_t k = 0;

		end = memchr(p, '\n', sb.buf + sb.len - p);
		if (!end)
			end = sb.buf + sb.len;
		*end = '\0';
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '[') {
			for (p++; *p && *p != ']' && !isspace((unsigned char)*p) &&
				  *p != '"' && k + 1 < sizeof(section); p++)
				section[k++] = (char)tolower((unsigned char)*p);
			section[k] = '\0';
			bad = !strncmp(section, "include", 7) ||
			      !strcmp(section, "extensions");
			continue;
		}
		if (strcmp(section, "core"))
			continue;
		if (!strncasecmp(p, "worktree", 8) || !strncasecmp(p, "splitindex", 10))
			bad = 1;
		else if (!strncasecmp(p, "bare", 4) || !strncasecmp(p, "ignorecase", 10))
			bad = !strstr(p, "false");
	}
	sb_release(&sb);
	return bad;
}

/* The root of the TREE extension, when it is valid. */
static void index_cache_tree(struct wt_index *ix, const unsigned char *p,
			     size_t len)
{
	const unsigned char *nl;

	if (len < 2 || p[0] != '\0' || p[1] == '-') /* root path ""; -1 invalid */
		return;
	nl = memchr(p, '\n', len);
	if (!nl || (size_t)(nl + 1 - p) + WT_OID_LEN > len)
		return;
	memcpy(ix->root, nl + 1, WT_OID_LEN);
	ix->root_valid = 1;
}

/* The extensions after the entries: 0, or 1 for one that changes them. */
static int index_extensions(struct wt_index *ix, const unsigned char *p,
			    const unsigned char *end)
{
	while (p + 8 <= end) {
		uint32_t size = be32(p + 4);

		if ((size_t)(end - p - 8) < size)
			return 1;
		if (!memcmp(p, "TREE", 4))
			index_cache_tree(ix, p + 8, size);
		else if (memcmp(p, "REUC", 4) && memcmp(p, "UNTR", 4) &&
			 memcmp(p, "EOIE", 4) && memcmp(p, "IEOT", 4) &&
			 memcmp(p, "FSMN", 4))
			return 1; /* "link" (split), "sdir" (sparse), unknown */
		p += 8 + size;
	}
	return p == end ? 0 : 1;
}

/* git's varint (v4 name prefix): -1 on a truncated one. */
static long long index_varint(const unsigned char **pp, const unsigned char *end)
{
	const unsigned char *p = *pp;
	unsigned long long v;
	unsigned char c;

	if (p >= end)
		return -1;
	c = *p++;
	v = c & 127;
	while (c & 128) {
		if (p >= end || v > (1ULL << 40))
			return -1;
		c = *p++;
		v = ((v + 1) << 7) | (c & 127);
	}
	*pp = p;
	return (long long)v;
}

/*
 * One entry at *pp.  Versions 2 and 3 keep the name in place (m: the
 * map); version 4 rebuilds it in the arena from the previous entry's name
 * (last).  0, or 1 when malformed.
 */
static int index_entry(struct wt_index *ix, unsigned version,
		       const unsigned char *m, const unsigned char **pp,
		       const unsigned char *end, struct strbuf *last)
{
	const unsigned char *p = *pp, *name, *nul;
	struct wt_entry e = { (uint32_t)(p - m), 0 };
	size_t fixed = 62, size, len;

	if (end - p < 62)
		return 1;
	if (p[60] & 0x40) { /* extended flags */
		if (version < 3 || end - p < 64)
			return 1;
		fixed = 64;
	}
	name = p + fixed;
	if (version == 4) {
		long long strip = index_varint(&name, end);

		if (strip < 0 || (size_t)strip > last->len)
			return 1;
		last->len -= (size_t)strip;
		nul = memchr(name, '\0', (size_t)(end - name));
		if (!nul)
			return 1;
		sb_add(last, (const char *)name, (size_t)(nul - name));
		if (ix->names.len > UINT32_MAX - last->len - 1)
			return 1;
		e.name = (uint32_t)ix->names.len;
		sb_add(&ix->names, last->buf, last->len + 1); /* with its NUL */
		*pp = nul + 1;
	} else {
		len = entry_flags(p) & 0xfff; /* the name's length; 0xfff: longer */
		if (len < 0xfff && (size_t)(end - name) > len && !name[len])
			nul = name + len;
		else if (!(nul = memchr(name, '\0', (size_t)(end - name))))
			return 1;
		size = (fixed + (size_t)(nul - name) + 8) & ~(size_t)7;
		if ((size_t)(end - p) < size)
			return 1;
		e.name = (uint32_t)(name - m);
		*pp = p + size;
	}
	ix->v[ix->n++] = e;
	return 0;
}

/* Parse a mapped index.  0, or 1 for one this reader does not know. */
static int index_parse(struct wt_index *ix, const unsigned char *m, size_t len)
{
	const unsigned char *p = m + 12, *end = m + len - WT_OID_LEN;
	struct strbuf last = STRBUF_INIT;
	uint32_t version, count, i;
	int ret = 0;

	if (len < 12 + WT_OID_LEN || len > UINT32_MAX || memcmp(m, "DIRC", 4))
		return 1;
	ix->map = m;
	version = be32(m + 4);
	count = be32(m + 8);
	if (version < 2 || version > 4)
		return 1;
	if (count > (len - 12) / 62)
		return 1;
	ix->v = xmalloc((count ? count : 1) * sizeof(*ix->v));
	sb_addstr(&last, "");
	for (i = 0; i < count && !ret; i++)
		ret = index_entry(ix, version, m, &p, end, &last);
	sb_release(&last);
	ix->base = version == 4 ? ix->names.buf : (const char *)m;
	return ret ? 1 : index_extensions(ix, p, end);
}

static const struct wt_entry *index_find(const struct wt_index *ix,
					 const char *path)
{
	size_t lo = 0, hi = ix->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(ix->base + ix->v[mid].name, path);

		if (c < 0)
			lo = mid + 1;
		else if (c > 0)
			hi = mid;
		else
			return &ix->v[mid];
	}
	return NULL;
}

/* Is the file, hashed as git hashes a blob, the entry's blob? */
static int blob_unchanged(const char *full, const unsigned char *d,
			  const struct stat *st)
{
	unsigned char buf[65536], oid[WT_OID_LEN];
	struct wt_sha1 c;
	char head[32];
	off_t left = st->st_size;
	ssize_t got = 0;
	int fd;

	if (st->st_size > (64 << 20) ||
	    (fd = open(full, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return 0;
	wt_sha1_init(&c);
	wt_sha1_update(&c, head, (size_t)snprintf(head, sizeof(head), "blob %lld",
						  (long long)st->st_size) + 1);
	while (left > 0 && (got = read(fd, buf, sizeof(buf))) > 0) {
		got = got > left ? (ssize_t)left : got;
		wt_sha1_update(&c, buf, (size_t)got);
		left -= got;
	}
	close(fd);
	if (left || got < 0)
		return 0; /* it changed under us: not known */
	wt_sha1_final(&c, oid);
	return !memcmp(oid, d + 40, WT_OID_LEN);
}

/*
 * Is the file what the index recorded?  Its stat data says so when every
 * field git records is equal (stricter than core.checkStat and
 * core.trustctime can make git) and the entry is older than the index
 * (else it is racily clean: changed within the index's own timestamp);
 * otherwise its content is hashed, as git does.
 */
static int entry_unchanged(const struct wt_index *ix, const char *full,
			   const unsigned char *d, const struct stat *st)
{
	uint32_t mode = be32(d + 24);
	int exec = (st->st_mode & S_IXUSR) != 0;

	if (mode == 0120000 ? !S_ISLNK(st->st_mode)
			    : !S_ISREG(st->st_mode) ||
				      mode != (exec ? 0100755u : 0100644u))
		return 0;
	if (be32(d + 36) != (uint32_t)st->st_size)
		return 0;
	if (be32(d) == (uint32_t)st->st_ctim.tv_sec &&
	    be32(d + 4) == (uint32_t)st->st_ctim.tv_nsec &&
	    be32(d + 8) == (uint32_t)st->st_mtim.tv_sec &&
	    be32(d + 12) == (uint32_t)st->st_mtim.tv_nsec &&
	    be32(d + 16) == (uint32_t)st->st_dev &&
	    be32(d + 20) == (uint32_t)st->st_ino &&
	    be32(d + 28) == (uint32_t)st->st_uid &&
	    be32(d + 32) == (uint32_t)st->st_gid &&
	    ((uint32_t)ix->st.st_mtim.tv_sec > be32(d + 8) ||
	     ((uint32_t)ix->st.st_mtim.tv_sec == be32(d + 8) &&
	      (uint32_t)ix->st.st_mtim.tv_nsec > be32(d + 12))))
		return 1;
	return S_ISREG(st->st_mode) && blob_unchanged(full, d, st);
}

/* No index entry: a new file, unless something is there on disk or a
   gitlink in the index holds it. 1 clean, 0 cannot tell. */
static int path_absent(const struct wt_index *ix, const char *full,
		       const char *path)
{
	struct strbuf dir = STRBUF_INIT;
	const char *slash;
	struct stat st;
	int ok = lstat(full, &st) < 0 && errno == ENOENT;

	for (slash = path; ok && (slash = strchr(slash, '/')); slash++) {
		const struct wt_entry *e;

		sb_reset(&dir);
		sb_add(&dir, path, (size_t)(slash - path));
		e = index_find(ix, dir.buf);
		ok = !e; /* a file or gitlink where a directory would be */
	}
	sb_release(&dir);
	return ok;
}

/* One path: 1 unchanged since HEAD as far as stat data proves, 0 not known. */
static int path_clean(const struct wt_index *ix, const char *workdir,
		      const char *path)
{
	const struct wt_entry *e = index_find(ix, path), *first, *last;
	struct strbuf full = STRBUF_INIT;
	struct stat st;
	unsigned flags;
	int ok;

	sb_addf(&full, "%s/%s", workdir, path);
	if (!e) {
		ok = path_absent(ix, full.buf, path);
		sb_release(&full);
		return ok;
	}
	for (first = e; first > ix->v &&
	     !strcmp(ix->base + first[-1].name, path); first--)
		;
	for (last = e; last + 1 < ix->v + ix->n &&
	     !strcmp(ix->base + last[1].name, path); last++)
		;
	/* one stage-0 entry, none of assume-valid, skip-worktree,
	   intent-to-add */
	flags = entry_flags(ix->map + e->disk);
	ok = first == last && !(flags & 0x3000) && !(flags & 0x8000) &&
	     !(flags & (0x6000u << 16)) && lstat(full.buf, &st) == 0 &&
	     entry_unchanged(ix, full.buf, ix->map + e->disk, &st);
	sb_release(&full);
	return ok;
}

int worktree_fast_clean(const char *workdir, const char *gitdir,
			const char *prefix, const char *const *paths, size_t n)
{
	struct wt_index ix = { 0 };
	struct strbuf path = STRBUF_INIT;
	unsigned char head[WT_OID_LEN];
	void *m = MAP_FAILED;
	size_t i;
	int fd, ret = 1;

	if (env_unusual() || config_unusual(gitdir))
		return 1;
	sb_addf(&path, "%s/index", gitdir);
	fd = open(path.buf, O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && fstat(fd, &ix.st) == 0 && ix.st.st_size > 0)
		m = mmap(NULL, (size_t)ix.st.st_size, PROT_READ, MAP_PRIVATE,
			 fd, 0);
	if (fd >= 0)
		close(fd);
	if (m == MAP_FAILED)
		goto out;
	if (index_parse(&ix, m, (size_t)ix.st.st_size) || !ix.root_valid ||
	    worktree_head_tree(gitdir, head) ||
	    memcmp(head, ix.root, WT_OID_LEN))
		goto out; /* something is staged, or we cannot tell */
	ret = 0;
	for (i = 0; i < n && !ret; i++) {
		sb_reset(&path);
		sb_addf(&path, "%s%s", prefix, paths[i]);
		ret = path_clean(&ix, workdir, path.buf) ? 0 : 1;
	}
out:
	if (m != MAP_FAILED)
		munmap(m, (size_t)ix.st.st_size);
	free(ix.v);
	sb_release(&ix.names);
	sb_release(&path);
	return ret;
}

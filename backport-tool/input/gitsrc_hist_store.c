/*
 * gitsrc_hist_store.c - the history index in the cache, between runs:
 * $CACHE/history/<hash of the repository's path>, one file written whole
 * (a temporary file renamed over it, so a reader never sees half of one)
 * and read whole.
 *
 * Nothing in it can go stale: nodes and changes are facts about commits
 * named by their ids (gitsrc_hist_int.h), and the memo's keys name their
 * inputs by id.  What could change is the code that made the answers: the
 * header holds this program's version, libgit2's and the record sizes, and a file that does not read back
 * exactly (another version, short, a bad checksum) is ignored and written
 * again.  The memo grows with every range asked: past 256 MB it is
 * dropped and starts again.  Small histories (commits and answers) are not
 * saved: reading them again is cheaper
 * than the file (BT_TEST_HISTORY_MIN, commits, lowers the bar for
 * tests).
 */
#include "input/gitsrc_hist_int.h"

#include <elf.h>
#include <errno.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HIST_MAGIC "backport-tool history 1\n"
#define HIST_SAVE_MIN 1000
/* Past this the memo (which grows with every range asked) is dropped. */
#define HIST_MAX_BYTES ((size_t)256 << 20)

static uint64_t fnv(const unsigned char *p, size_t n, uint64_t h)
{
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

char *hist_store_file(const char *repo_path)
{
	char *real = realpath(repo_path, NULL), *dir, *file;
	uint64_t h;

	if (!real || (!getenv("HOME") && !getenv("BACKPORT_TOOL_CACHE") &&
		      !getenv("XDG_CACHE_HOME"))) {
		free(real);
		return NULL;   /* nowhere to keep it: the index lives one run */
	}
	h = fnv((const unsigned char *)real, strlen(real), 0xcbf29ce484222325ULL);
	free(real);
	dir = cache_path("history");
	if (!dir)
		return NULL;
	file = xmalloc(strlen(dir) + 18);
	sprintf(file, "%s/%016llx", dir, (unsigned long long)h);
	free(dir);
	return file;
}

/* dl_iterate_phdr's callback: the main program's GNU build id, in hex. */
static int build_id_of(struct dl_phdr_info *info, size_t size, void *data)
{
	struct strbuf *out = data;
	int i;

	for (i = 0; i < info->dlpi_phnum && !out->len; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		const char *p = (const char *)(info->dlpi_addr + ph->p_vaddr);
		const char *end = p + ph->p_memsz;

		if (ph->p_type != PT_NOTE)
			continue;
		while (end - p >= (long)sizeof(ElfW(Nhdr)) && !out->len) {
			const ElfW(Nhdr) *n = (const ElfW(Nhdr) *)p;
			const unsigned char *desc = (const unsigned char *)p +
				sizeof(*n) + ((n->n_namesz + 3) & ~3u);
			uint32_t k;

			if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 &&
			    !memcmp(p + sizeof(*n), "GNU", 4))
				for (k = 0; k < n->n_descsz; k++)
					sb_addf(out, "%02x", desc[k]);
			p = (const char *)desc + ((n->n_descsz + 3) & ~3u);
		}
	}
	return 1;   /* the first object is the program itself */
}

/*
 * The header: magic, this program's version and build (the memo keeps
 * answers its code made: a rebuild with the same version number may answer
 * otherwise), libgit2's version (and its diffs), the record sizes;
 * compared byte for byte.
 */
static void header(struct strbuf *sb)
{
	struct strbuf id = STRBUF_INIT;
	int major = 0, minor = 0, rev = 0;

	dl_iterate_phdr(build_id_of, &id);
	git_libgit2_version(&major, &minor, &rev);
	sb_addf(sb, "%s%s build-%s libgit2-%d.%d.%d %zu %zu\n", HIST_MAGIC,
		BT_VERSION, id.len ? id.buf : "unknown", major, minor, rev,
		sizeof(struct hist_node), sizeof(struct hist_change));
	sb_release(&id);
}

static void put_u64(struct strbuf *sb, uint64_t v)
{
	sb_add(sb, &v, sizeof(v));
}

static void put_strings(struct strbuf *sb, char *const *v, size_t n)
{
	size_t i;

	put_u64(sb, n);
	for (i = 0; i < n; i++)
		sb_add(sb, v[i], strlen(v[i]) + 1);
}

static size_t memo_size(const struct hist_memo *m)
{
	size_t i, n = 0;

	for (i = 0; i < m->keys.n; i++)
		n += strlen(m->keys.v[i]) + strlen(m->vals[i]) + 2;
	return n;
}

static int worth_saving(const struct hist *h)
{
	const char *env = getenv("BT_TEST_HISTORY_MIN");
	size_t min = env ? (size_t)strtoul(env, NULL, 10) : HIST_SAVE_MIN;

	if (h->n == h->loaded_nodes && h->nchanges == h->loaded_changes &&
	    h->memo.keys.n == h->loaded_memo)
		return 0;   /* nothing new */
	return h->n + h->memo.keys.n >= min;
}

int hist_store_save(const struct hist *h, const char *file)
{
	struct strbuf sb = STRBUF_INIT, tmp = STRBUF_INIT;
	char *slash;
	uint64_t sum;
	FILE *f;
	int rc = -1;

	if (!worth_saving(h))
		return 0;
	header(&sb);
	put_u64(&sb, h->n);
	sb_add(&sb, h->nodes, h->n * sizeof(*h->nodes));
	put_u64(&sb, h->nparents);
	sb_add(&sb, h->parents, h->nparents * sizeof(*h->parents));
	put_u64(&sb, h->nchanges);
	sb_add(&sb, h->changes, h->nchanges * sizeof(*h->changes));
	put_strings(&sb, h->paths.names.v, h->paths.names.n);
	if (sb.len + memo_size(&h->memo) <= HIST_MAX_BYTES) {
		put_strings(&sb, h->memo.keys.v, h->memo.keys.n);
		put_strings(&sb, h->memo.vals, h->memo.keys.n);
	} else {   /* the memo starts again; the graph is the repository's size */
		put_strings(&sb, NULL, 0);
		put_strings(&sb, NULL, 0);
	}
	sum = fnv((const unsigned char *)sb.buf, sb.len, 0xcbf29ce484222325ULL);
	put_u64(&sb, sum);

	slash = strrchr(file, '/');
	sb_add(&tmp, file, (size_t)(slash - file));
	if (mkdir_p(tmp.buf) < 0)
		goto out;
	sb_addf(&tmp, "/.tmp.%ld", (long)getpid());
	f = fopen(tmp.buf, "wb");
	if (!f)
		goto out;
	if (fwrite(sb.buf, 1, sb.len, f) != sb.len) {
		fclose(f);
		unlink(tmp.buf);
		goto out;
	}
	if (fclose(f) != 0 || rename(tmp.buf, file) < 0)
		unlink(tmp.buf);
	else
		rc = 0;
out:
	sb_release(&sb);
	sb_release(&tmp);
	return rc;   /* a cache that cannot be written costs time, not results */
}

/* A reader of the file's sections: each get fails once the data is short. */
struct reader {
	const char *p, *end;
	int bad;
};

static const void *get(struct reader *r, size_t n)
{
	const char *p = r->p;

	if (r->bad || (size_t)(r->end - r->p) < n) {
		r->bad = 1;
		return NULL;
	}
	r->p += n;
	return p;
}

static uint64_t get_u64(struct reader *r)
{
	const void *p = get(r, sizeof(uint64_t));
	uint64_t v = 0;

	if (p)
		memcpy(&v, p, sizeof(v));
	return v;
}

/* n NUL-terminated strings, pointing into the file's data. */
static const char **get_strings(struct reader *r, size_t *n)
{
	const char **v;
	size_t i;

	*n = get_u64(r);
	if (r->bad || *n > (size_t)(r->end - r->p)) {
		r->bad = 1;
		return NULL;
	}
	v = xcalloc(*n + 1, sizeof(*v));
	for (i = 0; i < *n && !r->bad; i++) {
		const char *nul = memchr(r->p, '\0', (size_t)(r->end - r->p));

		if (!nul)
			r->bad = 1;
		else {
			v[i] = r->p;
			r->p = nul + 1;
		}
	}
	return v;
}

/* Copy n records of size each into a fresh array. */
static void *get_array(struct reader *r, size_t each, size_t *n)
{
	const void *p;
	void *v;

	*n = get_u64(r);
	if (r->bad || *n > (size_t)(r->end - r->p) / each) {
		r->bad = 1;
		return NULL;
	}
	p = get(r, *n * each);
	v = xmalloc(*n * each + 1);
	memcpy(v, p, *n * each);
	return v;
}

static int hist_valid(const struct hist *h, size_t npaths)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		if (h->nodes[i].parents + (size_t)h->nodes[i].nparents > h->nparents ||
		    (h->nodes[i].diffed &&
		     h->nodes[i].changes + (size_t)h->nodes[i].nchanges > h->nchanges))
			return 0;
	for (i = 0; i < h->nparents; i++)
		if (h->parents[i] >= h->n)
			return 0;
	for (i = 0; i < h->nchanges; i++)
		if (h->changes[i].node >= h->n || h->changes[i].path >= npaths)
			return 0;
	return 1;
}

/* 0, or -1 when a path is there twice (its id would name another). */
static int hist_fill(struct hist *h, const char **paths, size_t npaths,
		     const char **keys, const char **vals, size_t nmemo)
{
	struct hist_change *changes = h->changes;
	size_t i, n = h->nchanges;

	for (i = 0; i < npaths; i++)
		hist_path_id(h, paths[i], strlen(paths[i]));
	if (h->paths.names.n != npaths) {
		hist_paths_release(&h->paths);
		return -1;
	}
	h->nchanges = h->changes_alloc = 0;
	h->changes = NULL;
	for (i = 0; i < n; i++)
		hist_add_change(h, changes[i].node, changes[i].path,
				&changes[i].before, &changes[i].after);
	free(changes);
	for (i = 0; i < nmemo; i++)
		hist_memo_put(&h->memo, keys[i], vals[i]);
	return 0;
}

int hist_store_load(struct hist *h, const char *file)
{
	struct strbuf data = STRBUF_INIT, head = STRBUF_INIT;
	struct reader r;
	const char **paths = NULL, **keys = NULL, **vals = NULL;
	size_t npaths = 0, nkeys = 0, nvals = 0, i;
	uint64_t sum;
	int rc = -1;

	if (access(file, R_OK) < 0 || read_whole_file(file, 0, &data) < 0)
		goto out;
	header(&head);
	if (data.len < head.len + 8 || memcmp(data.buf, head.buf, head.len))
		goto out;
	memcpy(&sum, data.buf + data.len - 8, 8);
	if (sum != fnv((const unsigned char *)data.buf, data.len - 8,
		       0xcbf29ce484222325ULL))
		goto out;
	r.p = data.buf + head.len;
	r.end = data.buf + data.len - 8;
	r.bad = 0;
	h->nodes = get_array(&r, sizeof(*h->nodes), &h->n);
	h->parents = get_array(&r, sizeof(*h->parents), &h->nparents);
	h->changes = get_array(&r, sizeof(*h->changes), &h->nchanges);
	paths = get_strings(&r, &npaths);
	keys = get_strings(&r, &nkeys);
	vals = get_strings(&r, &nvals);
	h->alloc = h->n;
	h->parents_alloc = h->nparents;
	if (r.bad || r.p != r.end || nkeys != nvals || !hist_valid(h, npaths))
		goto out;
	for (i = 0; i < h->n && h->nodes[i].loaded != HIST_MISSING; i++)
		;
	if (i < h->n)   /* a missing object may be there now: read it again, */
		for (i = 0; i < h->n; i++) {   /* and make every generation again */
			if (h->nodes[i].loaded == HIST_MISSING)
				h->nodes[i].loaded = 0;
			h->nodes[i].gen = 0;
		}
	if (hist_fill(h, paths, npaths, keys, vals, nkeys) < 0)
		goto out;
	hist_rehash(h);
	h->loaded_nodes = h->n;
	h->loaded_changes = h->nchanges;
	h->loaded_memo = h->memo.keys.n;
	rc = 0;
out:
	if (rc < 0) {   /* start empty */
		free(h->nodes);
		free(h->parents);
		free(h->changes);
		h->nodes = NULL;
		h->changes = NULL;
		h->parents = NULL;
		h->n = h->nparents = h->nchanges = 0;
		h->alloc = h->parents_alloc = h->changes_alloc = 0;
	}
	free(paths);
	free(keys);
	free(vals);
	sb_release(&data);
	sb_release(&head);
	return rc;
}

void gitsrc_hist_free(struct gitsrc *g)
{
	const struct hist *h = g->hist;

	if (!h)
		return;
	if (getenv("BT_TEST_HISTORY_STATS"))
		fprintf(stderr, "history: %zu commits (%zu from the cache), "
			"%zu answers (%zu from the cache)\n", h->n,
			h->loaded_nodes, h->memo.keys.n, h->loaded_memo);
	if (h->file)
		hist_store_save(g->hist, h->file);
	hist_release(g->hist);
	free(g->hist);
	g->hist = NULL;
}

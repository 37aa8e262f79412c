/*
 * deps_includes.c - the headers a series' files include, closed over the
 * target tree, so that the symbol index sees what the compiler would.
 */
#include "analyse/deps_int.h"

#include <string.h>

/* ---- include closure -------------------------------------------- */

/* dir + name with "." and ".." resolved; NULL when it leaves the tree. */
static char *path_join(const char *dir, size_t dirlen, const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p;

	sb_init(&sb);
	sb_add(&sb, dir, dirlen);
	for (p = name; *p;) {
		const char *e = strchrnul(p, '/');
		size_t n = (size_t)(e - p);

		if (n == 0 || (n == 1 && p[0] == '.')) {
			/* skip */
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			char *slash;

			if (!sb.len) {
				sb_release(&sb);
				return NULL;
			}
			slash = memrchr(sb.buf, '/', sb.len);
			sb.len = slash ? (size_t)(slash - sb.buf) : 0;
			sb.buf[sb.len] = '\0';
		} else {
			if (sb.len)
				sb_addch(&sb, '/');
			sb_add(&sb, p, n);
		}
		p = *e ? e + 1 : e;
	}
	return sb_detach(&sb, NULL);
}

static int include_name_ok(const char *s, size_t n)
{
	size_t i;

	if (!n)
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-' ||
		      c == '.' || c == '/' || c == '+'))
			return 0;
	}
	return 1;
}

static int tree_has(struct tree *t, const char *path)
{
	struct tree_file f;

	return tree_get(t, path, &f) == 0;
}

/* Resolve one #include of the file at path; the result is malloc'ed. */
static char *include_resolve(struct tree *t, const char *path,
			     const char *name, int quoted)
{
	static const char *const dirs[] = { "include", "linux-headers", "", "tcg" };
	const char *slash = strrchr(path, '/');
	char *cand;
	size_t i;

	if (quoted) {
		cand = path_join(path, slash ? (size_t)(slash - path) : 0, name);
		if (cand && tree_has(t, cand))
			return cand;
		free(cand);
	}
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		cand = path_join(dirs[i], strlen(dirs[i]), name);
		if (cand && tree_has(t, cand))
			return cand;
		free(cand);
	}
	return NULL;
}

static void scan_includes(struct tree *t, const char *path, const char *data,
			  size_t len, struct strset *seen, size_t max)
{
	const char *p = data, *end = data + len;

	while (p < end && seen->n < max) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *q = p;

		if (!eol)
			eol = end;
		while (q < eol && (*q == ' ' || *q == '\t'))
			q++;
		if (q < eol && *q == '#') {
			q++;
			while (q < eol && (*q == ' ' || *q == '\t'))
				q++;
			if (eol - q > 7 && !memcmp(q, "include", 7)) {
				const char *s, *e;
				char close;

				for (q += 7; q < eol && (*q == ' ' || *q == '\t'); q++)
					;
				close = q < eol && *q == '"' ? '"' : '>';
				if (q < eol && (*q == '"' || *q == '<')) {
					s = q + 1;
					e = memchr(s, close, (size_t)(eol - s));
					if (e && include_name_ok(s, (size_t)(e - s))) {
						char *name = xstrndup(s, (size_t)(e - s));
						char *res = include_resolve(t, path, name,
									    close == '"');
						if (res)
							strset_add(seen, res);
						free(res);
						free(name);
					}
				}
			}
		}
		p = eol + 1;
	}
}

void deps_include_closure(struct tree *t, const char *const *paths, size_t n,
			  size_t max, char ***out, size_t *nout)
{
	struct strset seen = { 0 };
	size_t i;

	for (i = 0; i < n; i++)
		if (tree_has(t, paths[i]))
			strset_add(&seen, paths[i]);
	for (i = 0; i < seen.n; i++) {
		struct tree_file f;

		if (tree_get(t, seen.v[i], &f) == 0)
			scan_includes(t, seen.v[i], f.data, f.len, &seen, max);
	}
	*out = seen.v;
	*nout = seen.n;
	strset_release(&seen, 1);
}

void deps_index_paths(struct symindex *ix, struct tree *t, char **paths,
			size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct tree_file f;

		if (tree_get(t, paths[i], &f) == 0)
			symindex_add_text(ix, paths[i], f.data, f.len, 0);
	}
}

/*
 * lint_pkg.c - generic scope rules in the package's terms: a patch that
 * touches only tests or documentation is low risk; otherwise, when the
 * target has a debian/control, which of its binary packages a patch
 * reaches, from debian/PKG.install and the build layout (a flavour built
 * from its own files, a program a package installs, the library a
 * package ships), or all of them and why it cannot be narrower.
 */
#include "analyse/lint_int.h"
#include "input/deb822.h"
#include "tree/fsio.h"
#include "tree/fsroot.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

struct lint_bin {
	char *name;
	struct str_globs { char **v; size_t n, alloc; } globs; /* *.install */
};

struct lint_pkg {
	struct lint_bin *v;
	size_t n, alloc;
};

static void read_install(struct fs_root *root, struct lint_bin *b,
			 int only)
{
	char path[512], *data = NULL, *s, *nl;
	size_t len;
	unsigned mode;

	snprintf(path, sizeof(path), "debian/%s.install", b->name);
	if (fs_read(root, path, &data, &len, &mode) &&
	    (!only || fs_read(root, "debian/install", &data, &len, &mode)))
		return; /* none: the package says nothing of its files */
	if ((mode & 0170000) == 0120000) {
		free(data);
		return; /* a symlink's text is no list of files */
	}
	for (s = data; s && s < data + len; s = nl ? nl + 1 : NULL) {
		char *tok;
		size_t tl;

		nl = memchr(s, '\n', (size_t)(data + len - s));
		tl = strcspn(s, " \t\n");
		if (nl && (size_t)(nl - s) < tl)
			tl = (size_t)(nl - s);
		if (!tl || *s == '#')
			continue;
		tok = xstrndup(s, tl);
		if (lint_has_prefix(tok, "debian/tmp/"))
			memmove(tok, tok + 11, strlen(tok + 11) + 1);
		ALLOC_GROW(b->globs.v, b->globs.n + 1, b->globs.alloc);
		b->globs.v[b->globs.n++] = tok;
	}
	free(data);
}

int lint_pkg_read(struct lint_pkg **out, const char *tree)
{
	struct fs_root *root = fs_root_open(tree);
	struct deb822 d = { 0 };
	struct lint_pkg *pkg;
	char *data = NULL, *where;
	size_t len, i;
	unsigned mode;
	int ret;

	*out = NULL;
	if (!root)
		return -1;
	if ((ret = fs_read(root, "debian/control", &data, &len, &mode))) {
		fs_root_close(root);
		return ret < 0 ? -1 : 0; /* not a Debian source package */
	}
	if ((mode & 0170000) == 0120000) {
		free(data);
		fs_root_close(root);
		return error("%s/debian/control: a symlink, not read", tree);
	}
	where = xmalloc(strlen(tree) + 20);
	sprintf(where, "%s/debian/control", tree);
	ret = deb822_parse(&d, where, data, len);
	free(where);
	free(data);
	if (ret < 0) {
		fs_root_close(root);
		return -1;
	}
	pkg = xcalloc(1, sizeof(*pkg));
	for (i = 0; i < d.n; i++) {
		const struct deb822_field *f = deb822_get(&d.paras[i], "Package");

		if (!f)
			continue;
		ALLOC_GROW(pkg->v, pkg->n + 1, pkg->alloc);
		memset(&pkg->v[pkg->n], 0, sizeof(pkg->v[0]));
		pkg->v[pkg->n++].name = xstrdup(f->value);
	}
	for (i = 0; i < pkg->n; i++)
		read_install(root, &pkg->v[i], pkg->n == 1);
	deb822_release(&d);
	fs_root_close(root);
	*out = pkg;
	return 0;
}

void lint_pkg_free(struct lint_pkg *pkg)
{
	size_t i, k;

	for (i = 0; pkg && i < pkg->n; i++) {
		for (k = 0; k < pkg->v[i].globs.n; k++)
			free(pkg->v[i].globs.v[k]);
		free(pkg->v[i].globs.v);
		free(pkg->v[i].name);
	}
	if (pkg)
		free(pkg->v);
	free(pkg);
}

/* ---- a touched path -> the binary packages ---- */

/* word (len bytes) is a directory of path or its file name's stem. */
static int has_component(const char *path, const char *word, size_t wl)
{
	const char *s = path;

	if (!wl)
		return 0;
	for (;;) {
		size_t n = strcspn(s, "/.");

		if (n == wl && !strncmp(s, word, wl))
			return 1;
		s += n;
		if (*s == '.') /* the stem ends at the first dot */
			s += strcspn(s, "/");
		if (!*s)
			return 0;
		s++;
	}
}

static int generic_part(const char *s, size_t n)
{
	static const char *const parts[] = { "dev", "doc", "dbg", "bin",
		"utils", "tools", "common", "data", "dbgsym", "udeb" };
	size_t i;

	if (n < 3 || !strncmp(s, "lib", 3))
		return 1;
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (strlen(parts[i]) == n && !strncmp(s, parts[i], n))
			return 1;
	return 0;
}

/* A name part without its version digits: "python3" -> "python". */
static size_t unversioned(const char *s, size_t n)
{
	while (n > 3 && s[n - 1] >= '0' && s[n - 1] <= '9')
		n--;
	return n;
}

static int name_has_part(const char *name, const char *part, size_t pl)
{
	while (*name) {
		size_t n = strcspn(name, "-");

		if (n == pl && !strncmp(name, part, pl))
			return 1;
		name += n + (name[n] == '-');
	}
	return 0;
}

/* A part of name (split at '-') that not every package has, in path. */
static int flavour_of(const struct lint_pkg *pkg, const char *name,
		      const char *path)
{
	const char *s = name;

	while (*s) {
		size_t n = strcspn(s, "-"), k, with = 0;

		if (!generic_part(s, n) && (has_component(path, s, n) ||
		    has_component(path, s, unversioned(s, n)))) {
			for (k = 0; k < pkg->n; k++)
				with += name_has_part(pkg->v[k].name, s, n);
			if (with < pkg->n)
				return 1;
		}
		s += n + (s[n] == '-');
	}
	return 0;
}

/*
 * The package ships path: pass 0, installed as it is (an .install glob
 * matches it); 1, a program it installs is named by a directory or the
 * file's stem; 2, a C file of the library it ships (under lib/, src/ or
 * the library's name); 3, a header, and it installs usr/include.
 */
static int ships(const struct lint_bin *b, const char *path, int pass)
{
	size_t k;

	for (k = 0; k < b->globs.n; k++) {
		const char *g = b->globs.v[k], *base = strrchr(g, '/'), *so;

		base = base ? base + 1 : g;
		if (pass == 0 && !fnmatch(g, path, 0))
			return 1;
		if (pass == 1 && (lint_has_prefix(g, "usr/bin/") ||
				  lint_has_prefix(g, "usr/sbin/") ||
				  lint_has_prefix(g, "bin/")) &&
		    !strchr(base, '*') && has_component(path, base, strlen(base)))
			return 1;
		if (pass == 2 && lint_is_c_source(path) &&
		    lint_has_prefix(base, "lib") &&
		    (so = strstr(base, ".so")) && so[3] == '.' &&
		    (!strchr(path, '/') || /* a flat layout: the library's */
		     has_component(path, "lib", 3) || has_component(path, "src", 3) ||
		     has_component(path, base + 3, (size_t)(so - base - 3)) ||
		     has_component(path, base, (size_t)(so - base))))
			return 1;
		if (pass == 3 && lint_has_suffix(path, ".h") &&
		    lint_has_prefix(g, "usr/include") &&
		    (strstr(path, "include/") || has_component(path, "lib", 3)))
			return 1;
	}
	return 0;
}

/* Mark the packages path reaches; 0 when nothing says which. */
static int map_path(const struct lint_pkg *pkg, const char *path,
		    unsigned char *mark)
{
	size_t i;
	int any = 0, pass;

	for (i = 0; i < pkg->n; i++)
		if (flavour_of(pkg, pkg->v[i].name, path))
			mark[i] = any = 1;
	for (pass = 0; pass < 3 && !any; pass++)
		for (i = 0; i < pkg->n; i++)
			if (ships(&pkg->v[i], path, pass))
				mark[i] = any = 1;
	/* a header also reaches the -dev package */
	for (i = 0; i < pkg->n; i++)
		if (ships(&pkg->v[i], path, 3))
			mark[i] = any = 1;
	return any;
}

static void names_of(const struct lint_pkg *pkg, const unsigned char *mark,
		     struct strbuf *sb)
{
	size_t i;
	int first = 1;

	for (i = 0; i < pkg->n; i++)
		if (!mark || mark[i]) {
			sb_addf(sb, "%s%s", first ? "" : ", ", pkg->v[i].name);
			first = 0;
		}
}

static void scope_binaries(const struct patch *p, const struct lint_pkg *pkg,
			   struct lint_result *out)
{
	unsigned char *mark = xcalloc(pkg->n + 1, 1);
	const char *unmapped = NULL;
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < p->nfiles && !unmapped; i++) {
		const char *path = lint_fd_path(p, &p->files[i]);

		if (path && !lint_path_is_test(path) && !lint_path_is_doc(path) &&
		    !map_path(pkg, path, mark))
			unmapped = path;
	}
	if (pkg->n == 1) {
		lint_add(out, p, LINT_SCOPE, LINT_INFO, "scope-binary-packages",
			 p->files[0].lineno, NULL, "reaches %s, the only binary "
			 "package built from this source", pkg->v[0].name);
	} else if (unmapped) {
		names_of(pkg, NULL, &sb);
		lint_add(out, p, LINT_SCOPE, LINT_INFO, "scope-binary-packages",
			 p->files[0].lineno, NULL, "could reach all %zu binary "
			 "packages built from this source (%s): neither "
			 "debian/*.install nor the build layout places %s in "
			 "fewer", pkg->n, sb.buf, unmapped);
	} else {
		names_of(pkg, mark, &sb);
		lint_add(out, p, LINT_SCOPE, LINT_INFO, "scope-binary-packages",
			 p->files[0].lineno, NULL, "reaches only %s of the %zu "
			 "binary packages built from this source", sb.buf,
			 pkg->n);
	}
	sb_release(&sb);
	free(mark);
}

void lint_scope_package(const struct patch *p, const struct lint_config *cfg,
			struct lint_result *out)
{
	int low = lint_patch_low_risk(p);

	if (!p->nfiles)
		return;
	if (low)
		lint_add(out, p, LINT_SCOPE, LINT_INFO,
			 low == 1 ? "scope-tests-only" : low == 2
				   ? "scope-docs-only" : "scope-tests-docs-only",
			 p->files[0].lineno, NULL,
			 "touches %s only: low risk, no shipped code changes",
			 low == 1 ? "tests" : low == 2 ? "documentation"
			 : "tests and documentation");
	else if (cfg->pkg && cfg->pkg->n)
		scope_binaries(p, cfg->pkg, out);
}

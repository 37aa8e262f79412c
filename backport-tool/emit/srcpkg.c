/*
 * srcpkg.c - dpkg-source -b and dpkg-genchanges -S on an unpacked source
 * tree (see srcpkg.h).
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "emit/changelog.h"
#include "emit/srcpkg.h"
#include "emit/version.h"
#include "proc.h"
#include "util.h"

/* The file names of a version: no epoch. */
static const char *version_noepoch(const char *v)
{
	const char *colon = strchr(v, ':');

	return colon ? colon + 1 : v;
}

/* The version of the changelog's second entry, or NULL when it has one
   entry only. */
static char *second_version(const char *data, size_t top_len)
{
	const char *p = data + top_len, *open, *close, *nl;

	for (; *p; p = nl + 1) {
		nl = strchrnul(p, '\n');
		if (p[strspn(p, " \t")] != '\n' && p[strspn(p, " \t")] != '\0')
			break;
		if (!*nl)
			return NULL;
	}
	if (!*p)
		return NULL;
	nl = strchrnul(p, '\n');
	open = memchr(p, '(', (size_t)(nl - p));
	close = open ? memchr(open, ')', (size_t)(nl - open)) : NULL;
	if (!close || close == open + 1)
		return NULL;
	return xstrndup(open + 1, (size_t)(close - open - 1));
}

static int is_native(const char *dir, const char *version)
{
	struct strbuf path = STRBUF_INIT, fmt = STRBUF_INIT;
	int native;

	sb_addf(&path, "%s/debian/source/format", dir);
	if (read_whole_file(path.buf, 4096, &fmt) == 0)
		native = strstr(fmt.buf, "native") != NULL;
	else
		native = strchr(version_noepoch(version), '-') == NULL;
	sb_release(&path);
	sb_release(&fmt);
	return native;
}

/* PARENT/PKG_UPSTREAM.orig.tar.* as dpkg-source looks for it. */
static int find_orig(const char *parent, const char *package,
		     const char *version, struct strbuf *found)
{
	static const char *const ext[] = { "xz", "gz", "bz2", "lzma", NULL };
	const char *v = version_noepoch(version), *dash = strrchr(v, '-');
	struct stat st;
	size_t i;

	for (i = 0; ext[i]; i++) {
		sb_reset(found);
		sb_addf(found, "%s/%s_%.*s.orig.tar.%s", parent, package,
			(int)(dash - v), v, ext[i]);
		if (stat(found->buf, &st) == 0 && S_ISREG(st.st_mode))
			return 0;
	}
	sb_reset(found);
	sb_addf(found, "%s_%.*s.orig.tar.xz", package, (int)(dash - v), v);
	return -1;
}

static int read_tree(const struct srcpkg_opts *o, const char *parent,
		     struct srcpkg *s)
{
	struct strbuf path = STRBUF_INIT, data = STRBUF_INIT, orig = STRBUF_INIT;
	struct changelog_entry top;
	struct stat st;
	int ret = -1;

	if (o->since && !version_valid(o->since, NULL))
		return error("--changes-since: '%s' is not a Debian version", o->since);
	sb_addf(&path, "%s/debian/changelog", o->dir);
	if (read_whole_file(path.buf, 64 << 20, &data) < 0 ||
	    changelog_read_top(path.buf, data.buf, &top) < 0)
		goto out;
	s->package = xstrdup(top.package);
	s->version = xstrdup(top.version);
	s->since = o->since ? xstrdup(o->since) : second_version(data.buf, top.len);
	changelog_entry_release(&top);
	sb_reset(&path);
	sb_addf(&path, "%s/debian/control", o->dir);
	if (stat(path.buf, &st) < 0) {
		error("%s: %s (not a source package tree)", path.buf, strerror(errno));
		goto out;
	}
	if (!is_native(o->dir, s->version) &&
	    find_orig(parent, s->package, s->version, &orig) < 0) {
		error("%s: no %s next to the tree: dpkg-source -b needs the "
		      "upstream tarball", o->dir, orig.buf);
		goto out;
	}
	ret = 0;
out:
	sb_release(&path);
	sb_release(&data);
	sb_release(&orig);
	return ret;
}

static char *file_next_to(const char *parent, const struct srcpkg *s,
			  const char *suffix)
{
	struct strbuf sb = STRBUF_INIT;

	sb_addf(&sb, "%s/%s_%s%s", parent, s->package,
		version_noepoch(s->version), suffix);
	return sb_detach(&sb, NULL);
}

static int tool_failed(const char *tool, int status, const char *log)
{
	if (status == 127)
		return error("%s: not found or not executable (install dpkg-dev); "
			     "see %s", tool, log);
	return error("%s failed (exit %d); see %s", tool, status, log);
}

int srcpkg_build(const struct srcpkg_opts *o, struct srcpkg *s)
{
	char *abs = realpath(o->dir, NULL), *copy = NULL, *parent;
	const char *base;
	struct strbuf since = STRBUF_INIT, changes_opt = STRBUF_INIT;
	int st, ret = -1;

	memset(s, 0, sizeof(*s));
	if (!abs)
		return error("%s: %s", o->dir, strerror(errno));
	copy = xstrdup(abs);
	parent = dirname(copy);
	base = strrchr(abs, '/') + 1;
	if (!*base) {
		error("%s: not a source package tree", o->dir);
		goto out;
	}
	if (read_tree(o, parent, s) < 0)
		goto out;
	s->dsc = file_next_to(parent, s, ".dsc");
	s->changes = file_next_to(parent, s, "_source.changes");
	s->log = file_next_to(parent, s, "_source.log");
	/* As dpkg-buildpackage -S does: --before-build pushes the quilt
	   series (when it is not applied yet), -b builds, --after-build pops
	   what --before-build pushed, so that package can run again. */
	sb_addf(&changes_opt, "./%s", base); /* never read as an option */
	{
		static const char *const steps[] = { "--before-build", "-b",
						      "--after-build" };
		static const char *const names[] = {
			"dpkg-source --before-build", "dpkg-source -b",
			"dpkg-source --after-build" };
		size_t i;

		for (i = 0; i < 3; i++) {
			const char *const argv[] = { "dpkg-source", steps[i],
						     changes_opt.buf, NULL };

			st = proc_run(argv, parent, s->log, i > 0);
			if (st != 0) {
				if (st > 0)
					tool_failed(names[i], st, s->log);
				goto out;
			}
		}
	}
	if (s->since)
		sb_addf(&since, "-v%s", s->since);
	sb_reset(&changes_opt);
	sb_addf(&changes_opt, "-O%s", s->changes);
	{
		const char *const argv[] = { "dpkg-genchanges", "-S", "-sd",
			changes_opt.buf, s->since ? since.buf : NULL, NULL };

		st = proc_run(argv, abs, s->log, 1);
		if (st != 0) {
			if (st > 0)
				tool_failed("dpkg-genchanges -S", st, s->log);
			goto out;
		}
	}
	ret = 0;
out:
	sb_release(&since);
	sb_release(&changes_opt);
	free(abs);
	free(copy);
	return ret;
}

void srcpkg_release(struct srcpkg *s)
{
	free(s->package);
	free(s->version);
	free(s->since);
	free(s->dsc);
	free(s->changes);
	free(s->log);
	memset(s, 0, sizeof(*s));
}

void srcpkg_print(const struct srcpkg *s)
{
	printf("source package: %s\n", s->dsc);
	printf("changes: %s (entries since %s; unsigned: debsign it, then "
	       "dput it)\n", s->changes, s->since ? s->since : "the top one only");
}

int srcpkg_check(const char *dir, const char *since)
{
	struct srcpkg_opts o = { dir, since };
	struct srcpkg s = { 0 };
	char *abs = realpath(dir, NULL), *parent;
	int ret;

	if (!abs)
		return error("%s: %s", dir, strerror(errno));
	parent = dirname(abs);
	ret = read_tree(&o, parent, &s);
	srcpkg_release(&s);
	free(abs);
	return ret;
}

int srcpkg_emit(const char *dir, const char *since)
{
	struct srcpkg_opts o = { dir, since };
	struct srcpkg s;
	int ret = EXIT_USAGE;

	if (srcpkg_build(&o, &s) == 0) {
		srcpkg_print(&s);
		ret = EXIT_OK;
	}
	srcpkg_release(&s);
	return ret;
}

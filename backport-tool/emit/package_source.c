/*
 * package_source.c - the source package as dpkg-source would build it:
 * its format and series, how many of its own patches quilt has applied,
 * and those patches applied to the in-memory tree the new ones land on.
 */
#include "emit/package.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Read <source>/<rel>: 0, 1 when it does not exist, -1 on error. */
int package_read_source_file(const struct package_opts *o, const char *rel,
			    struct strbuf *out)
{
	char *path = package_source_path(o, rel);
	struct stat st;
	int ret;

	if (lstat(path, &st)) {
		free(path);
		sb_init(out);
		return 1;
	}
	ret = read_whole_file(path, MAX_INPUT_SIZE, out);
	free(path);
	return ret;
}

int package_check_format(const struct package_opts *o)
{
	struct strbuf sb = STRBUF_INIT;
	int ret = package_read_source_file(o, "debian/source/format", &sb);

	if (ret == 0 && strncmp(sb.buf, "3.0 (quilt)", 11))
		ret = error_at("debian/source/format", 1, "source format '%.*s' "
			       "is not 3.0 (quilt): patches would not be "
			       "applied", (int)strcspn(sb.buf, "\n"), sb.buf);
	else if (ret == 1)
		ret = error("%s: no debian/source/format: not a 3.0 (quilt) "
			    "source package", o->source);
	sb_release(&sb);
	return ret ? -1 : 0;
}

/* The patch names of a series file: the first word of each entry. */
void package_series_names(const char *text, char ***out, size_t *n)
{
	const char *p = text;
	size_t alloc = 0;

	*out = NULL;
	*n = 0;
	while (*p) {
		size_t sp = strspn(p, " \t");
		size_t len = strcspn(p + sp, " \t\n#");
		size_t line = strcspn(p, "\n");

		if (len && p[sp] != '#') {
			ALLOC_GROW(*out, *n + 1, alloc);
			(*out)[(*n)++] = xstrndup(p + sp, len);
		}
		p += line;
		if (*p)
			p++;
	}
}

void package_free_names(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int is_carried_name(const struct package_run *run, const char *name)
{
	size_t i;

	for (i = 0; i < run->ncarried; i++)
		if (!strcmp(run->carried[i].name, name))
			return 1;
	return 0;
}

/*
 * quilt's state: .pc/applied-patches must list a prefix of the series
 * (what dpkg-source -x or quilt push leaves), and none of the patches we
 * are about to write.  Returns how many series patches are applied on
 * disk, or -1 after an error.
 */

/* .pc/NAME, when there, must say one of the values (quilt's record of
   QUILT_PATCHES and QUILT_SERIES). */
static int quilt_setting_ok(struct package_run *run, const char *name,
			    const char *a, const char *b)
{
	struct strbuf sb = STRBUF_INIT, rel = STRBUF_INIT;
	int got, ret = 0;

	sb_init(&rel);
	sb_addf(&rel, ".pc/%s", name);
	got = package_read_source_file(run->o, rel.buf, &sb);
	while (got == 0 && sb.len && (sb.buf[sb.len - 1] == '\n' ||
				      sb.buf[sb.len - 1] == '/'))
		sb.buf[--sb.len] = '\0';
	if (got < 0)
		ret = -1;
	else if (got == 0 && strcmp(sb.buf, a) && strcmp(sb.buf, b))
		ret = error_at(rel.buf, 1, "quilt state this tool does not "
			       "understand: '%s', not %s", sb.buf, a);
	sb_release(&sb);
	sb_release(&rel);
	return ret;
}

long package_quilt_applied(struct package_run *run)
{
	struct strbuf sb = STRBUF_INIT;
	char **applied;
	size_t n, i;
	long ret;
	int got;

	if (quilt_setting_ok(run, ".quilt_patches", "debian/patches",
			     "debian/patches") ||
	    quilt_setting_ok(run, ".quilt_series", "series",
			     "debian/patches/series"))
		return -1;
	got = package_read_source_file(run->o, ".pc/applied-patches", &sb);
	if (got) {
		sb_release(&sb);
		return got < 0 ? -1 : 0;
	}
	package_series_names(sb.buf, &applied, &n);
	ret = (long)n;
	for (i = 0; i < n && ret >= 0; i++) {
		if (i >= run->nentries || strcmp(applied[i], run->entries[i]))
			ret = error_at(".pc/applied-patches", (long)i + 1,
				       "quilt state this tool does not "
				       "understand: '%s' is applied but is not "
				       "patch %zu of debian/patches/series; "
				       "run 'quilt pop -a' or remove .pc",
				       applied[i], i + 1);
		else if (is_carried_name(run, applied[i]))
			ret = error_at(".pc/applied-patches", (long)i + 1,
				       "'%s' is applied on disk: run "
				       "'quilt pop -a' first", applied[i]);
	}
	package_free_names(applied, n);
	sb_release(&sb);
	return ret;
}

/* The source's own patches from..to-1 onto the overlay; after_new: they
   come after the new patches, which they must still apply on. */
int package_apply_own_patches(struct package_run *run, size_t from,
			      size_t to, int after_new)
{
	struct patch_list own = { NULL, 0, 0 };
	struct apply_state s;
	char *series = package_source_path(run->o, "debian/patches/series");
	size_t i;
	int ret = 0;

	if (!run->nentries) {
		free(series);
		return 0;
	}
	apply_state_init(&s);
	s.max_fuzz = 0; /* as dpkg-source */
	s.submodule_error = 1;
	if (patch_list_read_series(&own, series))
		ret = -1;
	else if (own.n != run->nentries)
		ret = error_at("debian/patches/series", 0, "read %zu patches, "
			       "expected %zu", own.n, run->nentries);
	for (i = from; i < own.n && i < to && !ret; i++) {
		struct patch_result r;

		if (is_carried_name(run, run->entries[i]))
			continue; /* ours, from an earlier run: redone below */
		if (apply_patch(&s, run->tree, &own.v[i], &r)) {
			ret = -1;
			break;
		}
		if (!r.kept && after_new) {
			error_at("debian/patches/series", 0, "'%s' does not "
				 "apply with fuzz 0 after the new patches: "
				 "they need another place in the series "
				 "(--before)", own.v[i].name);
			ret = 1;
		} else if (!r.kept) {
			ret = error_at("debian/patches/series", 0, "'%s' does "
				       "not apply with fuzz 0 to %s: fix the "
				       "source's own series first",
				       own.v[i].name, run->o->source);
		}
		patch_result_release(&r);
	}
	patch_list_release(&own);
	free(series);
	return ret;
}

/* A file-name slug: lower case, [a-z0-9] words joined by '-'. */
void package_add_slug(struct strbuf *out, const char *text, size_t max)
{
	size_t start = out->len, n = 0;
	int dash = 0;

	for (; *text && n < max; text++) {
		unsigned char c = (unsigned char)*text;

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    (c >= 'A' && c <= 'Z')) {
			if (dash && n)
				sb_addch(out, '-'), n++;
			sb_addch(out, (c >= 'A' && c <= 'Z') ? c + 32 : c);
			n++;
			dash = 0;
		} else {
			dash = 1;
		}
	}
	while (out->len > start && out->buf[out->len - 1] == '-')
		out->buf[--out->len] = '\0';
	if (out->len == start)
		sb_addstr(out, "patch");
}

/*
 * profile.c - read and validate release profiles and backport manifests.
 */
#include "input/profile.h"

#include <stdlib.h>
#include <string.h>

#include "input/deb822.h"
#include "util.h"

static const char *const profile_fields[] = {
	"Release", "Distribution", "Package", "Version", "Base", "Source",
	"Pocket", "Release-Number", "Vendor-Dir", "Changelog-Distribution",
	"Carry", "Insert-Before", NULL
};
static const char *const profile_required[] = {
	"Release", "Distribution", "Package", "Version", "Pocket", NULL
};
static const char *const manifest_fields[] = {
	"Description", "Bug-Ubuntu", "Bug-Debian", "Upstream", "Commit-Url",
	"Applied-Upstream", "Commits", "Headers", NULL
};
static const char *const manifest_required[] = {
	"Description", "Commits", NULL
};

static char *opt_value(const struct deb822_para *p, const char *name)
{
	const struct deb822_field *f = deb822_get(p, name);
	return f && *f->value ? xstrdup(f->value) : NULL;
}

/* Split a whitespace- or comma-separated list. */
static size_t split_words(const char *s, char ***out)
{
	size_t n = 0, alloc = 0;
	char **v = NULL;

	while (*s) {
		size_t len;

		s += strspn(s, " \t\n,");
		len = strcspn(s, " \t\n,");
		if (!len)
			break;
		ALLOC_GROW(v, n + 1, alloc);
		v[n++] = xstrndup(s, len);
		s += len;
	}
	*out = v;
	return n;
}

static void free_words(char **v, size_t n)
{
	while (n)
		free(v[--n]);
	free(v);
}

static int all_of(const char *s, const char *set)
{
	return *s && strspn(s, set) == strlen(s);
}

static int bad_value(const struct deb822 *d, const struct deb822_field *f,
		     const char *why)
{
	return error_at(d->path, f->line, "%s: '%s': %s", f->name, f->value, why);
}

/* Distribution and Pocket by name, without the library's own messages,
   so that the error can name the file and line. */
static int match_vendor(const char *s, enum vendor *out)
{
	if (!strcmp(s, "ubuntu"))
		*out = VENDOR_UBUNTU;
	else if (!strcmp(s, "debian"))
		*out = VENDOR_DEBIAN;
	else
		return -1;
	return 0;
}

static int match_pocket(const char *s, enum pocket *out)
{
	enum pocket p;

	for (p = POCKET_DEVEL; p <= POCKET_SECURITY; p++)
		if (!strcmp(s, pocket_name(p))) {
			*out = p;
			return 0;
		}
	return -1;
}

static int profile_check_values(const struct deb822 *d,
				const struct deb822_para *para,
				struct profile *p)
{
	const struct deb822_field *f;
	const char *why;

	f = deb822_get(para, "Distribution");
	if (match_vendor(f->value, &p->vendor) < 0)
		return bad_value(d, f, "expected ubuntu or debian");
	f = deb822_get(para, "Pocket");
	if (match_pocket(f->value, &p->pocket) < 0)
		return bad_value(d, f, "expected devel, sru, ppa, backports, stable or security");
	f = deb822_get(para, "Version");
	if (!version_valid(f->value, &why))
		return bad_value(d, f, why);
	f = deb822_get(para, "Release");
	if (!all_of(f->value, "abcdefghijklmnopqrstuvwxyz0123456789-"))
		return bad_value(d, f, "a release codename is lower-case letters");
	f = deb822_get(para, "Release-Number");
	if (f && !all_of(f->value, "0123456789."))
		return bad_value(d, f, "expected a number like 20.04 or 11");
	f = deb822_get(para, "Insert-Before");
	if (f && (!*f->value || strpbrk(f->value, " \t\n#") ||
		  f->value[0] == '/'))
		return bad_value(d, f, "expected one patch of the series");
	if (!deb822_get(para, "Base") && !deb822_get(para, "Source"))
		return error_at(d->path, para->line,
				"needs Base (an upstream tag) or Source (a Debian source version)");
	return 0;
}

int profile_read(struct profile *out, const char *path)
{
	struct deb822 d;
	const struct deb822_para *para;
	const struct deb822_field *carry;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	if (deb822_read(&d, path) < 0)
		goto done;
	if (d.n != 1) {
		error_at(path, d.paras[1].line, "a profile has one paragraph");
		goto done;
	}
	para = &d.paras[0];
	if (deb822_check_fields(&d, para, profile_fields, profile_required) < 0 ||
	    profile_check_values(&d, para, out) < 0)
		goto done;
	out->path = xstrdup(path);
	out->release = opt_value(para, "Release");
	out->package = opt_value(para, "Package");
	out->version = opt_value(para, "Version");
	out->base = opt_value(para, "Base");
	out->line = para->line;
	out->base_line = out->base ? deb822_get(para, "Base")->line : 0;
	out->source = opt_value(para, "Source");
	out->release_number = opt_value(para, "Release-Number");
	out->vendor_dir = opt_value(para, "Vendor-Dir");
	out->changelog_dist = opt_value(para, "Changelog-Distribution");
	out->insert_before = opt_value(para, "Insert-Before");
	if (!out->changelog_dist && out->pocket == POCKET_SECURITY) {
		struct strbuf sb = STRBUF_INIT;

		sb_init(&sb);
		sb_addf(&sb, "%s-security", out->release);
		out->changelog_dist = sb_detach(&sb, NULL);
	} else if (!out->changelog_dist)
		out->changelog_dist = xstrdup(out->release);
	carry = deb822_get(para, "Carry");
	if (carry)
		out->ncarry = split_words(carry->value, &out->carry);
	ret = 0;
done:
	deb822_release(&d);
	return ret;
}

void profile_release(struct profile *p)
{
	free(p->path);
	free(p->release);
	free(p->package);
	free(p->version);
	free(p->base);
	free(p->source);
	free(p->release_number);
	free(p->vendor_dir);
	free(p->changelog_dist);
	free(p->insert_before);
	free_words(p->carry, p->ncarry);
	memset(p, 0, sizeof(*p));
}

static int manifest_check_values(const struct deb822 *d,
				 const struct deb822_para *para,
				 struct manifest *m)
{
	const struct deb822_field *f;
	size_t i;

	for (i = 0; i < m->ncommits; i++)
		if (strlen(m->commits[i]) < 7 ||
		    !all_of(m->commits[i], "0123456789abcdef"))
			return error_at(d->path, deb822_get(para, "Commits")->line,
					"Commits: '%s' is not a commit id (7 to 40 hex digits)",
					m->commits[i]);
	if (!m->ncommits)
		return bad_value(d, deb822_get(para, "Commits"), "no commit named");
	f = deb822_get(para, "Headers");
	if (f && strcmp(f->value, "trim") && strcmp(f->value, "full"))
		return bad_value(d, f, "expected trim or full");
	m->trim_headers = f && !strcmp(f->value, "trim");
	if ((f = deb822_get(para, "Bug-Ubuntu")) && !all_of(f->value, "0123456789"))
		return bad_value(d, f, "expected a Launchpad bug number");
	if ((f = deb822_get(para, "Bug-Debian")) && !all_of(f->value, "0123456789"))
		return bad_value(d, f, "expected a Debian bug number");
	return 0;
}

static char *manifest_name(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t len;

	base = base ? base + 1 : path;
	len = strlen(base);
	if (len > 9 && !strcmp(base + len - 9, ".backport"))
		len -= 9;
	return xstrndup(base, len);
}

int manifest_read(struct manifest *out, const char *path)
{
	struct deb822 d;
	const struct deb822_para *para;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	if (deb822_read(&d, path) < 0)
		goto done;
	if (d.n != 1) {
		error_at(path, d.paras[1].line, "a manifest has one paragraph");
		goto done;
	}
	para = &d.paras[0];
	if (deb822_check_fields(&d, para, manifest_fields, manifest_required) < 0)
		goto done;
	out->ncommits = split_words(deb822_get(para, "Commits")->value,
				    &out->commits);
	if (manifest_check_values(&d, para, out) < 0) {
		manifest_release(out);
		goto done;
	}
	out->path = xstrdup(path);
	out->name = manifest_name(path);
	out->description = opt_value(para, "Description");
	out->bug_ubuntu = opt_value(para, "Bug-Ubuntu");
	out->bug_debian = opt_value(para, "Bug-Debian");
	out->upstream = opt_value(para, "Upstream");
	out->commit_url = opt_value(para, "Commit-Url");
	out->applied_upstream = opt_value(para, "Applied-Upstream");
	ret = 0;
done:
	deb822_release(&d);
	return ret;
}

void manifest_release(struct manifest *m)
{
	free(m->path);
	free(m->name);
	free(m->description);
	free(m->bug_ubuntu);
	free(m->bug_debian);
	free(m->upstream);
	free(m->commit_url);
	free(m->applied_upstream);
	free_words(m->commits, m->ncommits);
	memset(m, 0, sizeof(*m));
}

/* patches/ beside the series/ directory the profile lives in. */
static char *default_manifest_dir(const char *profile_path)
{
	char *copy = xstrdup(profile_path), *slash = strrchr(copy, '/');
	struct strbuf sb = STRBUF_INIT;

	if (slash) {
		*slash = '\0';
		sb_addf(&sb, "%s/../patches", copy);
	} else {
		sb_addstr(&sb, "../patches");
	}
	free(copy);
	return sb_detach(&sb, NULL);
}

int profile_load_manifests(const struct profile *p, const char *dir,
			   struct manifest **out, size_t *n)
{
	char *mdir = dir ? xstrdup(dir) : default_manifest_dir(p->path);
	struct manifest *v = xcalloc(p->ncarry + 1, sizeof(*v));
	size_t i;

	for (i = 0; i < p->ncarry; i++) {
		struct strbuf path = STRBUF_INIT;
		int ret;

		sb_addf(&path, "%s/%s.backport", mdir, p->carry[i]);
		ret = manifest_read(&v[i], path.buf);
		sb_release(&path);
		if (ret < 0) {
			while (i)
				manifest_release(&v[--i]);
			free(v);
			free(mdir);
			return -1;
		}
	}
	free(mdir);
	*out = v;
	*n = p->ncarry;
	return 0;
}

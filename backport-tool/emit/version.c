/*
 * version.c - the next Debian or Ubuntu version for an upload, by pocket.
 *
 * Each rule edits the end of the version string (where the distributions
 * put their suffixes), so the epoch and the upstream part are kept as they
 * are.  libdpkg parses every input and result and checks that the result
 * sorts where the pocket needs it, so a rule can never produce a version the
 * archive would reject as older.
 */
#define LIBDPKG_VOLATILE_API 1

#include "emit/version.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <dpkg/dpkg.h>
#include <dpkg/dpkg-db.h>
#include <dpkg/version.h>

static const char *const pocket_names[] = {
	[POCKET_DEVEL] = "devel",
	[POCKET_SRU] = "sru",
	[POCKET_PPA] = "ppa",
	[POCKET_BACKPORTS] = "backports",
	[POCKET_STABLE] = "stable",
	[POCKET_SECURITY] = "security",
};

int pocket_parse(const char *word, enum pocket *out)
{
	size_t i;

	for (i = 0; i < sizeof(pocket_names) / sizeof(pocket_names[0]); i++)
		if (!strcmp(word, pocket_names[i])) {
			*out = (enum pocket)i;
			return 0;
		}
	return error("unknown pocket '%s' (devel, sru, ppa, backports, "
		     "stable, security)",
		     word);
}

const char *pocket_name(enum pocket p)
{
	return pocket_names[p];
}

int vendor_parse(const char *word, enum vendor *out)
{
	if (!strcmp(word, "debian"))
		*out = VENDOR_DEBIAN;
	else if (!strcmp(word, "ubuntu"))
		*out = VENDOR_UBUNTU;
	else
		return error("unknown vendor '%s' (debian, ubuntu)", word);
	return 0;
}

const char *vendor_name(enum vendor v)
{
	return v == VENDOR_DEBIAN ? "debian" : "ubuntu";
}

enum vendor vendor_default(enum pocket p, const char *release)
{
	if (p == POCKET_STABLE)
		return VENDOR_DEBIAN;
	if (p == POCKET_BACKPORTS && release && !strchr(release, '.'))
		return VENDOR_DEBIAN;
	if (p == POCKET_SECURITY)
		return release && strchr(release, '.') ? VENDOR_UBUNTU
						       : VENDOR_DEBIAN;
	return VENDOR_UBUNTU;
}

const char *debian_release_number(const char *codename)
{
	static const struct {
		const char *name, *number;
	} releases[] = {
		{ "jessie", "8" },   { "stretch", "9" },  { "buster", "10" },
		{ "bullseye", "11" }, { "bookworm", "12" }, { "trixie", "13" },
		{ "forky", "14" },
	};
	size_t i, n;

	if (!codename)
		return NULL;
	n = strcspn(codename, "-");
	for (i = 0; i < sizeof(releases) / sizeof(releases[0]); i++)
		if (strlen(releases[i].name) == n &&
		    !strncmp(codename, releases[i].name, n))
			return releases[i].number;
	return NULL;
}

/* libdpkg parse; warnings (e.g. no leading digit) count as invalid. */
static int version_parse(const char *v, struct dpkg_version *out,
			 const char **why)
{
	static char msg[256];
	struct dpkg_error err = { DPKG_MSG_NONE, 0, NULL };

	if (parseversion(out, v, &err) == 0 && err.type == DPKG_MSG_NONE)
		return 0;
	snprintf(msg, sizeof(msg), "%s", err.str ? err.str : "invalid");
	dpkg_error_destroy(&err);
	*why = msg;
	return -1;
}

int version_valid(const char *v, const char **why)
{
	struct dpkg_version dv;
	const char *dummy;

	return version_parse(v, &dv, why ? why : &dummy) == 0;
}

int version_compare(const char *a, const char *b, int *cmp)
{
	struct dpkg_version va, vb;
	const char *why;

	if (version_parse(a, &va, &why))
		return error("invalid version '%s': %s", a, why);
	if (version_parse(b, &vb, &why))
		return error("invalid version '%s': %s", b, why);
	*cmp = dpkg_version_compare(&va, &vb);
	return 0;
}

/* The start of the last occurrence of word in s that a digit follows. */
static const char *find_last_numbered(const char *s, const char *word)
{
	const char *p, *last = NULL;
	size_t n = strlen(word);

	for (p = strstr(s, word); p; p = strstr(p + 1, word))
		if (isdigit((unsigned char)p[n]))
			last = p;
	return last;
}

/* Length of a run of digits at s. */
static size_t digits(const char *s)
{
	size_t n = 0;

	while (isdigit((unsigned char)s[n]))
		n++;
	return n;
}

/* s ends with digits: write s with that number plus one. */
static int bump_last_number(const char *s, struct strbuf *out)
{
	size_t len = strlen(s), start = len;

	while (start > 0 && isdigit((unsigned char)s[start - 1]))
		start--;
	if (start == len)
		return error("'%s' does not end in a number", s);
	sb_add(out, s, start);
	sb_addf(out, "%lu", strtoul(s + start, NULL, 10) + 1);
	return 0;
}

/* Does s end with prefix + digits?  Returns the prefix's start or NULL. */
static const char *suffix_numbered(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);
	const char *p = find_last_numbered(s, prefix);

	if (p && p[n + digits(p + n)] == '\0')
		return p;
	return NULL;
}

/* Ubuntu rebuilds ("2build1") give way to the first Ubuntu delta. */
static size_t len_without_build(const char *s)
{
	const char *b = suffix_numbered(s, "build");

	return b ? (size_t)(b - s) : strlen(s);
}

static int next_devel_ubuntu(const char *cur, struct strbuf *out)
{
	const char *u = find_last_numbered(cur, "ubuntu");

	if (u) {
		sb_add(out, cur, (size_t)(u - cur));
		sb_addf(out, "ubuntu%lu", strtoul(u + 6, NULL, 10) + 1);
	} else {
		sb_add(out, cur, len_without_build(cur));
		sb_addstr(out, "ubuntu1");
	}
	return 0;
}

static int next_devel_debian(const char *cur, struct strbuf *out)
{
	const char *rev = strrchr(cur, '-');

	if (!rev || !digits(rev + 1))
		return error("'%s' has no Debian revision to bump; a native "
			     "package needs a new upstream version", cur);
	sb_add(out, cur, (size_t)(rev + 1 - cur));
	sb_addf(out, "%lu", strtoul(rev + 1, NULL, 10) + 1);
	return 0;
}

/* "6" + ".20.04.N" with the given release, or NULL. */
static int has_release_form(const char *after, const char *release)
{
	size_t n = strlen(release);

	return after[0] == '.' && !strncmp(after + 1, release, n) &&
	       after[n + 1] == '.' && digits(after + n + 2) &&
	       after[n + 2 + digits(after + n + 2)] == '\0';
}

static int next_sru(const char *cur, const char *release, struct strbuf *out)
{
	const char *u = find_last_numbered(cur, "ubuntu");
	const char *after;

	if (!u) {
		sb_add(out, cur, len_without_build(cur));
		sb_addstr(out, "ubuntu0");
		if (release)
			sb_addf(out, ".%s", release);
		sb_addstr(out, ".1");
		return 0;
	}
	after = u + 6 + digits(u + 6);
	if (!*after) {
		sb_addstr(out, cur);
		if (release)
			sb_addf(out, ".%s", release);
		sb_addstr(out, ".1");
		return 0;
	}
	if (release && !has_release_form(after, release)) {
		sb_addf(out, "%s.%s.1", cur, release);
		return 0;
	}
	if (after[0] != '.' || !isdigit((unsigned char)after[strlen(after) - 1]))
		return error("'%s': cannot tell the SRU number after 'ubuntu'",
			     cur);
	return bump_last_number(cur, out);
}

static int next_stable(const char *cur, const char *release,
		       struct strbuf *out)
{
	const char *d = find_last_numbered(cur, "+deb");

	if (d) {
		const char *u = d + 4 + digits(d + 4);
		if (*u == 'u' && digits(u + 1) && !u[1 + digits(u + 1)])
			return bump_last_number(cur, out);
	}
	if (!release)
		return error("'%s' has no +debNuM suffix yet: the first stable "
			     "update needs --release-number (e.g. 11)", cur);
	sb_addf(out, "%s+deb%su1", cur, release);
	return 0;
}

static int next_backport(const char *cur, enum vendor v, const char *release,
			 struct strbuf *out)
{
	struct strbuf prefix = STRBUF_INIT;
	const char *b;
	int ret = 0;

	if (!release)
		return error("a backport needs --release-number (e.g. %s)",
			     v == VENDOR_DEBIAN ? "11" : "20.04");
	sb_init(&prefix);
	sb_addf(&prefix, v == VENDOR_DEBIAN ? "~bpo%s+" : "~bpo%s.", release);
	b = suffix_numbered(cur, prefix.buf);
	if (b)
		ret = bump_last_number(cur, out);
	else
		sb_addf(out, "%s%s1", cur, prefix.buf);
	sb_release(&prefix);
	return ret;
}

static int next_ppa(const char *cur, const struct version_req *req,
		    struct strbuf *out)
{
	struct version_req base = *req;
	struct strbuf target = STRBUF_INIT;

	if (suffix_numbered(cur, "~ppa"))
		return bump_last_number(cur, out);
	if (req->ppa_base == POCKET_PPA)
		return error("a ppa upload needs the pocket of the real upload");
	base.pocket = req->ppa_base;
	sb_init(&target);
	if (version_next(cur, &base, &target)) {
		sb_release(&target);
		return -1;
	}
	sb_addf(out, "%s~ppa1", target.buf);
	sb_release(&target);
	return 0;
}

static int next_by_rule(const char *cur, const struct version_req *req,
			struct strbuf *out)
{
	int ubuntu = req->vendor == VENDOR_UBUNTU;

	switch (req->pocket) {
	case POCKET_DEVEL:
		return ubuntu ? next_devel_ubuntu(cur, out)
			      : next_devel_debian(cur, out);
	case POCKET_SRU:
	case POCKET_STABLE:
	case POCKET_SECURITY:
		return ubuntu ? next_sru(cur, req->release, out)
			      : next_stable(cur, req->release, out);
	case POCKET_BACKPORTS:
		return next_backport(cur, req->vendor, req->release, out);
	case POCKET_PPA:
		return next_ppa(cur, req, out);
	}
	return error("unknown pocket");
}

int version_next(const char *cur, const struct version_req *req,
		 struct strbuf *out)
{
	const char *why;
	int cmp, below;

	if (!version_valid(cur, &why))
		return error("invalid version '%s': %s", cur, why);
	if (req->release && (!*req->release || strspn(req->release,
				"0123456789.") != strlen(req->release)))
		return error("invalid release number '%s' (e.g. 11, 20.04)",
			     req->release);
	sb_reset(out);
	if (!out->buf)
		sb_init(out);
	if (next_by_rule(cur, req, out))
		return -1;
	if (version_compare(out->buf, cur, &cmp))
		return -1;
	/* a new backport sorts below what it backports, all else above */
	below = req->pocket == POCKET_BACKPORTS && !strstr(cur, "~bpo");
	if (below ? cmp >= 0 : cmp <= 0)
		return error("'%s' would not sort %s '%s'", out->buf,
			     below ? "below" : "above", cur);
	return 0;
}

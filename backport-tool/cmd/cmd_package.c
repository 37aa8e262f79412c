/*
 * cmd_package.c - "backport-tool package": turn a series into an upload of a
 * Debian source package (3.0 (quilt)).
 *
 * The source's own debian/patches are applied to an in-memory overlay of
 * the unpacked tree (what dpkg-source would build), then each new patch is
 * placed on top (fuzz allowed) and written back refreshed: fuzz 0, quilt
 * style, DEP-3 header.  The new patches go to
 *
 *     debian/patches/<vendor-dir>/lp-<bug>-<n>-<slug>.patch   (Ubuntu)
 *     debian/patches[/<vendor-dir>]/bug-<bug>-<n>-<slug>.patch (Debian)
 *
 * are appended once to debian/patches/series, and a debian/changelog entry
 * with the next version for the pocket is prepended, saying "Non-maintainer
 * upload." when Debian's signer is not a maintainer; an Ubuntu delta also
 * gets Ubuntu's Maintainer field in debian/control (as update-maintainer
 * does).  Running it again changes nothing.  All debian/ files are written
 * with one fs_commit: all of them change, or none.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "place/apply.h"
#include "emit/changelog.h"
#include "cmd/commands.h"
#include "emit/dep3.h"
#include "tree/fsio.h"
#include "input/input.h"
#include "emit/refresh.h"
#include "emit/srcpkg.h"
#include "util.h"
#include "emit/version.h"
#include "tree/worktree.h"

static const char package_usage[] =
	"usage: " PROGRAM_NAME " package --source DIR [--bug N] --pocket POCKET\n"
	"                      [options] (--series FILE | PATCH...)\n"
	"       " PROGRAM_NAME " package --source DIR [--bug N] --pocket POCKET\n"
	"                      --git REPO [options] COMMIT|A..B...\n"
	"\n"
	"Add a series to a Debian source package (format 3.0 (quilt)) as an\n"
	"upload: the patches refreshed to apply with fuzz 0 on the source with\n"
	"its own patches applied, with DEP-3 headers, listed once in\n"
	"debian/patches/series, and a debian/changelog entry with the next\n"
	"version for the pocket.  Running it twice changes nothing.\n"
	"\n"
	"  -C, --source DIR          the unpacked source package (default: .)\n"
	"  -b, --bug N               the bug it fixes: Launchpad for Ubuntu,\n"
	"                            the Debian BTS for Debian; without it\n"
	"                            the patches are named backport-N-slug\n"
	"  -P, --pocket POCKET       devel, sru, ppa, backports or stable\n"
	"      --vendor V            ubuntu or debian (default: stable and a\n"
	"                            backport to a release like 11 are Debian's,\n"
	"                            the rest Ubuntu's)\n"
	"      --vendor-dir DIR      subdirectory of debian/patches for the new\n"
	"                            patches (default: ubuntu for Ubuntu, none\n"
	"                            for Debian)\n"
	"      --release-number R    20.04 or 11: for a first stable update, a\n"
	"                            backport, or an SRU of a version that is in\n"
	"                            two releases (...ubuntu0.20.04.1)\n"
	"      --distribution NAME   changelog distribution (default: the top\n"
	"                            entry's, without -security/-updates/\n"
	"                            -proposed; required for backports)\n"
	"      --ppa-base POCKET     ppa: the pocket of the real upload (sru)\n"
	"  -m, --message TEXT        one changelog bullet for the whole series\n"
	"                            (default: one bullet per patch)\n"
	"      --upstream-url URL    commit URLs are URL + commit id, e.g.\n"
	"                            https://gitlab.com/qemu-project/qemu/-/commit/\n"
	"      --applied-upstream V  the upstream version that has the patches\n"
	"      --amend               add the bullets to the top changelog entry\n"
	"                            instead of a new one (several series in\n"
	"                            one upload)\n"
	"      --force               overwrite debian/ files that have\n"
	"                            uncommitted git changes\n"
	"  -s, --series FILE         the new patches, as a quilt series\n"
	"      --git REPO            read the new patches as commits from REPO\n"
	"      --source-package      then build the upload next to DIR: .dsc,\n"
	"                            .debian.tar.xz and _source.changes (with\n"
	"                            the entries since the previous version)\n"
	"      --changes-since V     with --source-package: the .changes carries\n"
	"                            the entries after version V (dpkg-genchanges\n"
	"                            -v; default: the second changelog entry's)\n"
	"  -n, --dry-run             say what would change, write nothing\n"
	"  -h, --help                show this help\n"
	"\n"
	"DEBFULLNAME and DEBEMAIL name the maintainer; SOURCE_DATE_EPOCH, when\n"
	"set, is the date of the entry.\n"
	"\n"
	"Exit status: 0 done (or nothing to do), 1 a patch conflicts with the\n"
	"source, 2 usage or input error.\n";

struct package_opts {
	struct input in;
	const char *source, *bug, *vendor_dir, *release, *distribution;
	const char *message, *upstream_url, *applied_upstream, *changes_since;
	struct version_req req;
	int vendor_given, dry_run, amend, force, source_package;
};

/* One new patch as it will be carried. */
struct carried {
	char *name;     /* relative to debian/patches */
	char *text;     /* the refreshed patch */
	size_t len, diff_at;
	const char *subject;
	int changed;    /* the file on disk differs (or is missing) */
};

struct package_run {
	struct package_opts *o;
	struct tree *tree;
	struct changelog_entry top;
	struct strbuf changelog, series, control;
	char *new_version;          /* of the entry written, or NULL */
	char **entries;             /* patch names in debian/patches/series */
	size_t nentries;
	struct carried *carried;
	size_t ncarried;
};

static int parse_options(int argc, char **argv, struct package_opts *o)
{
	enum { O_VENDOR = 256, O_VENDOR_DIR, O_RELEASE, O_DIST, O_PPA_BASE,
	       O_URL, O_APPLIED, O_GIT, O_AMEND, O_FORCE, O_SRCPKG, O_SINCE };
	static const struct option longopts[] = {
		{ "source", required_argument, NULL, 'C' },
		{ "bug", required_argument, NULL, 'b' },
		{ "pocket", required_argument, NULL, 'P' },
		{ "vendor", required_argument, NULL, O_VENDOR },
		{ "vendor-dir", required_argument, NULL, O_VENDOR_DIR },
		{ "release-number", required_argument, NULL, O_RELEASE },
		{ "distribution", required_argument, NULL, O_DIST },
		{ "ppa-base", required_argument, NULL, O_PPA_BASE },
		{ "message", required_argument, NULL, 'm' },
		{ "upstream-url", required_argument, NULL, O_URL },
		{ "applied-upstream", required_argument, NULL, O_APPLIED },
		{ "amend", no_argument, NULL, O_AMEND },
		{ "force", no_argument, NULL, O_FORCE },
		{ "source-package", no_argument, NULL, O_SRCPKG },
		{ "changes-since", required_argument, NULL, O_SINCE },
		{ "series", required_argument, NULL, 's' },
		{ "git", required_argument, NULL, O_GIT },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c, pocket_given = 0;

	o->source = ".";
	o->req.ppa_base = POCKET_SRU;
	optind = 0; /* a fresh scan, also when called in-process */
	while ((c = getopt_long(argc, argv, "C:b:P:m:s:nh", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'C': o->source = optarg; break;
		case 'b': o->bug = optarg; break;
		case 'P':
			if (pocket_parse(optarg, &o->req.pocket))
				return -1;
			pocket_given = 1;
			break;
		case O_VENDOR:
			if (vendor_parse(optarg, &o->req.vendor))
				return -1;
			o->vendor_given = 1;
			break;
		case O_VENDOR_DIR: o->vendor_dir = optarg; break;
		case O_RELEASE: o->release = optarg; break;
		case O_DIST: o->distribution = optarg; break;
		case O_PPA_BASE:
			if (pocket_parse(optarg, &o->req.ppa_base))
				return -1;
			break;
		case 'm': o->message = optarg; break;
		case O_URL: o->upstream_url = optarg; break;
		case O_APPLIED: o->applied_upstream = optarg; break;
		case 's': o->in.series = optarg; break;
		case O_GIT: o->in.git_repo = optarg; break;
		case O_AMEND: o->amend = 1; break;
		case O_FORCE: o->force = 1; break;
		case O_SRCPKG: o->source_package = 1; break;
		case O_SINCE: o->changes_since = optarg; break;
		case 'n': o->dry_run = 1; break;
		case 'h':
			fputs(package_usage, stdout);
			exit(EXIT_OK);
		default:
			return -1; /* getopt said why */
		}
	}
	o->in.args = argv + optind;
	o->in.nargs = (size_t)(argc - optind);
	if (o->bug && (!*o->bug || strspn(o->bug, "0123456789") != strlen(o->bug)))
		return error("--bug takes a bug number, not '%s'",
			     o->bug ? o->bug : "");
	if (!pocket_given)
		return error("--pocket is required (devel, sru, ppa, backports, "
			     "stable)");
	if (!o->in.series && !o->in.nargs)
		return error("no patches: give PATCH... or --series FILE");
	if (o->vendor_dir && (!*o->vendor_dir || path_check(o->vendor_dir,
							    "--vendor-dir", 0)))
		return error("bad --vendor-dir '%s'", o->vendor_dir);
	return 0;
}

/* "<source>/<rel>" */
static char *source_path(const struct package_opts *o, const char *rel)
{
	struct strbuf sb = STRBUF_INIT;

	sb_init(&sb);
	sb_addf(&sb, "%s/%s", o->source, rel);
	return sb_detach(&sb, NULL);
}

/* Read <source>/<rel>: 0, 1 when it does not exist, -1 on error. */
static int read_source_file(const struct package_opts *o, const char *rel,
			    struct strbuf *out)
{
	char *path = source_path(o, rel);
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

static int check_format(const struct package_opts *o)
{
	struct strbuf sb = STRBUF_INIT;
	int ret = read_source_file(o, "debian/source/format", &sb);

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
static void series_names(const char *text, char ***out, size_t *n)
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

static void free_names(char **v, size_t n)
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
	got = read_source_file(run->o, rel.buf, &sb);
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

static long quilt_applied(struct package_run *run)
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
	got = read_source_file(run->o, ".pc/applied-patches", &sb);
	if (got) {
		sb_release(&sb);
		return got < 0 ? -1 : 0;
	}
	series_names(sb.buf, &applied, &n);
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
	free_names(applied, n);
	sb_release(&sb);
	return ret;
}

/* The source's own patches, the unapplied ones, onto the overlay. */
static int apply_own_patches(struct package_run *run, long napplied)
{
	struct patch_list own = { NULL, 0, 0 };
	struct apply_state s;
	char *series = source_path(run->o, "debian/patches/series");
	size_t i;
	int ret = 0;

	if (!run->nentries) {
		free(series);
		return 0;
	}
	apply_state_init(&s);
	s.max_fuzz = 0; /* as dpkg-source */
	if (patch_list_read_series(&own, series))
		ret = -1;
	else if (own.n != run->nentries)
		ret = error_at("debian/patches/series", 0, "read %zu patches, "
			       "expected %zu", own.n, run->nentries);
	for (i = (size_t)napplied; i < own.n && !ret; i++) {
		struct patch_result r;

		if (is_carried_name(run, run->entries[i]))
			continue; /* ours, from an earlier run: redone below */
		if (apply_patch(&s, run->tree, &own.v[i], &r)) {
			ret = -1;
			break;
		}
		if (!r.kept)
			ret = error_at("debian/patches/series", 0, "'%s' does "
				       "not apply with fuzz 0 to %s: fix the "
				       "source's own series first",
				       own.v[i].name, run->o->source);
		patch_result_release(&r);
	}
	patch_list_release(&own);
	free(series);
	return ret;
}

/* A file-name slug: lower case, [a-z0-9] words joined by '-'. */
static void add_slug(struct strbuf *out, const char *text, size_t max)
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

/* What a patch is about: its subject, else its file name. */
static const char *patch_subject(const struct patch *p)
{
	const char *base;

	if (p->meta.subject && *p->meta.subject)
		return p->meta.subject;
	base = strrchr(p->name, '/');
	return base ? base + 1 : p->name;
}

static const char *vendor_dir(const struct package_opts *o)
{
	if (o->vendor_dir)
		return o->vendor_dir;
	return o->req.vendor == VENDOR_UBUNTU ? "ubuntu" : NULL;
}

/* "ubuntu/lp-1887930-" + tail, or "bug-1024-" + tail for Debian;
   "backport-" + tail when the upload fixes no reported bug. */
static char *carried_prefix(const struct package_opts *o, const char *tail)
{
	struct strbuf sb = STRBUF_INIT;
	const char *dir = vendor_dir(o);

	sb_init(&sb);
	if (dir)
		sb_addf(&sb, "%s/", dir);
	if (!o->bug)
		sb_addf(&sb, "backport-%s", tail);
	else
		sb_addf(&sb, "%s-%s-%s", o->req.vendor == VENDOR_UBUNTU ? "lp" : "bug",
			o->bug, tail);
	return sb_detach(&sb, NULL);
}

static char *carried_name(const struct package_opts *o, const struct patch *p,
			  size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	char *prefix = carried_prefix(o, "");

	sb_init(&sb);
	sb_addf(&sb, "%s%zu-", prefix, n);
	free(prefix);
	if (p->meta.subject && *p->meta.subject) {
		add_slug(&sb, p->meta.subject, 50);
	} else {
		/* "0003-foo.patch" or "foo.diff": "foo" */
		const char *base = patch_subject(p), *dot = strrchr(base, '.');
		size_t digits = strspn(base, "0123456789");
		char *stem;

		if (digits && base[digits] == '-')
			base += digits + 1;
		stem = xstrndup(base, dot && dot > base ? (size_t)(dot - base)
							: strlen(base));
		add_slug(&sb, stem, 50);
		free(stem);
	}
	sb_addstr(&sb, ".patch");
	return sb_detach(&sb, NULL);
}

static void dep3_fill(const struct package_run *run, const struct patch *p,
		      struct dep3_info *in, struct strbuf *url,
		      struct strbuf *date)
{
	const struct package_opts *o = run->o;
	time_t when = 0;

	memset(in, 0, sizeof(*in));
	dep3_commit_url(o->upstream_url, p->meta.commit, url);
	if (!url->len && p->meta.commit && *p->meta.commit)
		sb_addf(url, "commit:%s", p->meta.commit); /* DEP-3's form */
	in->commit_url = url->len ? url->buf : NULL;
	if (o->req.vendor == VENDOR_UBUNTU)
		in->bug_ubuntu = o->bug;
	else
		in->bug_debian = o->bug;
	in->applied_upstream = o->applied_upstream;
	if (changelog_time(getenv("SOURCE_DATE_EPOCH"), &when) == 0) {
		dep3_format_date(when, date);
		in->last_update = date->buf;
	}
	in->description = o->message;
}

/* Is the file there with this diff (its header may have been edited)? */
static int carried_unchanged(const struct package_run *run,
			     const struct carried *c)
{
	struct strbuf rel = STRBUF_INIT, sb = STRBUF_INIT;
	size_t dl = c->len - c->diff_at;
	struct stat st;
	char *path;
	int same = 0;

	sb_init(&rel);
	sb_addf(&rel, "debian/patches/%s", c->name);
	path = source_path(run->o, rel.buf);
	if (!lstat(path, &st) && S_ISREG(st.st_mode) &&
	    read_whole_file(path, MAX_INPUT_SIZE, &sb) == 0)
		same = sb.len >= dl &&
		       !memcmp(sb.buf + sb.len - dl, c->text + c->diff_at, dl);
	free(path);
	sb_release(&rel);
	sb_release(&sb);
	return same;
}

/* How many of r's hunks are already in the target, of how many. */
static void count_applied(const struct patch_result *r, size_t *applied,
			  size_t *total)
{
	size_t i, j;

	*applied = *total = 0;
	for (i = 0; i < r->nfiles; i++) {
		const struct file_result *fr = &r->files[i];

		for (j = 0; j < fr->fd->nhunks; j++) {
			(*total)++;
			*applied += fr->hunks[j].verdict == V_APPLIED;
		}
		if (!fr->fd->nhunks) {
			(*total)++;
			*applied += fr->verdict == V_APPLIED;
		}
	}
}

/*
 * A patch that is (partly) in the target already: all of it is simply not
 * carried; part of it needs a human, who knows whether the rest still
 * makes sense.  The overlay is put back as it was either way.  Returns 2
 * (not carried) or 1 (conflict).
 */
static int carry_applied(struct package_run *run, const struct patch *p,
			 const struct patch_result *r,
			 const struct refresh_snapshot *snap, size_t applied,
			 size_t total)
{
	refresh_snapshot_restore(snap, run->tree);
	if (applied == total) {
		printf("%s: already in %s, not carried\n", p->name,
		       run->o->source);
		return 2;
	}
	error_at(p->name, r->reason_line, "%zu of %zu hunks are already in %s: "
		 "the rest needs a human", applied, total, run->o->source);
	return 1;
}

/* Place one new patch and refresh it: 0, 1 conflict, 2 nothing to carry,
   -1 error. */
static int carry_one(struct package_run *run, const struct patch *p,
		     struct carried *c)
{
	struct apply_state s;
	struct patch_result r;
	struct refresh_snapshot snap = { NULL, 0, 0 };
	struct dep3_info in;
	struct strbuf out = STRBUF_INIT, url = STRBUF_INIT, date = STRBUF_INIT;
	size_t applied, total;
	int ret;

	apply_state_init(&s);
	s.max_fuzz = 2;
	s.detect_applied = 1;
	input_setup_merge(&run->o->in, &s);
	if (refresh_snapshot_take(&snap, run->tree, p) ||
	    apply_patch(&s, run->tree, p, &r)) {
		refresh_snapshot_release(&snap);
		return -1;
	}
	if (!r.kept) {
		struct strbuf why = STRBUF_INIT;

		sb_init(&why);
		patch_result_describe(&r, &why);
		error_at(p->name, r.reason_line, "%s on %s: %s",
			 verdict_name(r.verdict), run->o->source, why.buf);
		sb_release(&why);
		patch_result_release(&r);
		refresh_snapshot_release(&snap);
		return 1;
	}
	count_applied(&r, &applied, &total);
	if (applied) {
		ret = carry_applied(run, p, &r, &snap, applied, total);
		patch_result_release(&r);
		refresh_snapshot_release(&snap);
		return ret;
	}
	sb_init(&out);
	sb_init(&url);
	sb_init(&date);
	dep3_fill(run, p, &in, &url, &date);
	ret = refresh_patch(p, &snap, run->tree, &in, &out, &c->diff_at);
	if (ret == 0) {
		c->text = sb_detach(&out, &c->len);
		c->subject = patch_subject(p);
		printf("%s: %s\n", p->name, verdict_name(r.verdict));
	} else if (ret == 1) {
		printf("%s: already in %s, not carried\n", p->name,
		       run->o->source);
		ret = 2;
	}
	sb_release(&out);
	sb_release(&url);
	sb_release(&date);
	patch_result_release(&r);
	refresh_snapshot_release(&snap);
	return ret;
}

/* "d/p/u/lp-1887930-1-x.patch" from "ubuntu/lp-1887930-1-x.patch" */
static void add_short_name(struct strbuf *sb, const char *name)
{
	sb_addstr(sb, "d/p/");
	if (!strncmp(name, "ubuntu/", 7)) {
		sb_addstr(sb, "u/");
		name += 7;
	}
	sb_addstr(sb, name);
}

static void add_bug_ref(struct strbuf *sb, const struct package_opts *o)
{
	if (!o->bug)
		return;
	sb_addf(sb, o->req.vendor == VENDOR_UBUNTU ? " (LP: #%s)"
						   : " (Closes: #%s)", o->bug);
}

/* The changelog bullets: one for the series with --message, else one per
   carried patch. */
static char **make_bullets(const struct package_run *run, size_t *n)
{
	const struct package_opts *o = run->o;
	struct strbuf sb = STRBUF_INIT;
	char **v;
	size_t i, k = 0;

	v = xcalloc(run->ncarried + 2, sizeof(*v)); /* + NMU bullet */
	for (i = 0; i < run->ncarried; i++) {
		const struct carried *c = &run->carried[i];

		if (!c->text)
			continue;
		sb_init(&sb);
		if (o->message) {
			char *glob = carried_prefix(o, "*");

			add_short_name(&sb, glob);
			free(glob);
			sb_addf(&sb, ": %s", o->message);
		} else {
			add_short_name(&sb, c->name);
			sb_addf(&sb, ": %s", c->subject);
		}
		add_bug_ref(&sb, o);
		v[k++] = sb_detach(&sb, NULL);
		if (o->message)
			break;
	}
	*n = k;
	return v;
}

/* The distribution for the entry: given, or the top entry's series. */
static char *entry_distribution(const struct package_run *run)
{
	const char *d = run->top.distribution;
	size_t n = strcspn(d, " ");
	const char *dash;

	if (run->o->distribution)
		return xstrdup(run->o->distribution);
	if (run->o->req.pocket == POCKET_BACKPORTS) {
		error("a backport needs --distribution (e.g. focal-backports, "
		      "bullseye-backports)");
		return NULL;
	}
	dash = memchr(d, '-', n);
	if (dash && (!strncmp(dash, "-security", 9) ||
		     !strncmp(dash, "-updates", 8) ||
		     !strncmp(dash, "-proposed", 9)))
		n = (size_t)(dash - d);
	return xstrndup(d, n);
}

/*
 * The value of a field of debian/control's first paragraph (continuation
 * lines joined), or NULL.  *at and *len, when not NULL, locate its line.
 */
static char *control_field(const char *text, const char *name, size_t *at,
			   size_t *len)
{
	size_t n = strlen(name);
	const char *p = text;

	while (*p && *p != '\n') {
		const char *end = p + strcspn(p, "\n");

		if (!strncasecmp(p, name, n) && p[n] == ':') {
			struct strbuf v = STRBUF_INIT;
			const char *q = p + n + 1;

			sb_init(&v);
			for (;;) {
				q += strspn(q, " \t");
				sb_add(&v, q, (size_t)(end - q));
				if (*end != '\n' || (end[1] != ' ' && end[1] != '\t'))
					break;
				q = end + 1;
				end = q + strcspn(q, "\n");
				sb_addch(&v, ' ');
			}
			if (at)
				*at = (size_t)(p - text);
			if (len)
				*len = (size_t)(end - p) + (*end == '\n');
			return sb_detach(&v, NULL);
		}
		p = *end ? end + 1 : end;
	}
	return NULL;
}

/* Is the signer ("Name <email>") the Maintainer or an Uploader? */
static int signer_maintains(const struct package_run *run, const char *signer)
{
	const char *lt = strchr(signer, '<');
	char *email, *m, *u;
	int found;

	if (!lt || !strchr(lt, '>'))
		return 0;
	email = xstrndup(lt, (size_t)(strchr(lt, '>') + 1 - lt));
	m = control_field(run->control.buf, "Maintainer", NULL, NULL);
	u = control_field(run->control.buf, "Uploaders", NULL, NULL);
	found = (m && strcasestr(m, email)) || (u && strcasestr(u, email));
	free(email);
	free(m);
	free(u);
	return found;
}

/*
 * Ubuntu's rule (update-maintainer, dpkg's Ubuntu vendor check): a version
 * with Ubuntu changes has Ubuntu Developers as Maintainer, the Debian
 * maintainer kept in XSBC-Original-Maintainer.  0 with the new control in
 * out, 1 when nothing needs to change.
 */
static int make_control(const struct package_run *run, struct strbuf *out)
{
	static const char ubuntu[] =
		"Ubuntu Developers <ubuntu-devel-discuss@lists.ubuntu.com>";
	const char *text = run->control.buf;
	char *m, *orig;
	size_t at = 0, len = 0;

	if (run->o->req.vendor != VENDOR_UBUNTU || !run->new_version ||
	    !strstr(run->new_version, "ubuntu"))
		return 1;
	m = control_field(text, "Maintainer", &at, &len);
	if (!m || strcasestr(m, "ubuntu")) {
		free(m);
		return 1;
	}
	orig = control_field(text, "XSBC-Original-Maintainer", NULL, NULL);
	sb_init(out);
	sb_add(out, text, at);
	sb_addf(out, "Maintainer: %s\n", ubuntu);
	if (!orig)
		sb_addf(out, "XSBC-Original-Maintainer: %s\n", m);
	sb_addstr(out, text + at + len);
	printf("debian/control: Maintainer: %s\n", ubuntu);
	free(m);
	free(orig);
	return 0;
}

/* Debian's rule: an upload by someone who is neither Maintainer nor
   Uploader says "Non-maintainer upload." first (as dch --nmu does). */
static void add_nmu_bullet(const struct package_run *run, const char *signer,
			   char **bullets, size_t *nb)
{
	if (run->o->req.vendor != VENDOR_DEBIAN || !run->control.len ||
	    signer_maintains(run, signer))
		return;
	memmove(bullets + 1, bullets, *nb * sizeof(*bullets));
	bullets[0] = xstrdup("Non-maintainer upload.");
	(*nb)++;
}

/* Prepend a new entry to the changelog text in out, unless the top entry
   already has every bullet.  0, 1 when nothing was needed, -1 on error. */
static int make_changelog(struct package_run *run, struct strbuf *out)
{
	struct package_opts *o = run->o;
	struct changelog_new n = { 0 };
	struct strbuf version = STRBUF_INIT, maint = STRBUF_INIT;
	char **bullets, *dist = NULL;
	size_t nb, i, have = 0;
	int ret = -1;

	bullets = make_bullets(run, &nb);
	for (i = 0; i < nb; i++)
		have += changelog_entry_has_bullet(&run->top, bullets[i]);
	if (nb && have == nb) {
		ret = 1;
		goto out;
	}
	if (!strcmp(run->top.distribution, "UNRELEASED") && !o->amend) {
		/* as dch: an entry still being prepared gets the changes */
		printf("debian/changelog: the top entry is UNRELEASED: adding "
		       "to it\n");
		o->amend = 1;
	}
	if (o->amend) {
		sb_init(out);
		ret = changelog_amend_top(run->changelog.buf, &run->top,
					  (const char *const *)bullets, nb, out);
		if (!ret) {
			run->new_version = xstrdup(run->top.version);
			printf("debian/changelog: %s (%s) amended\n",
			       run->top.package, run->top.version);
		}
		goto out;
	}
	sb_init(&version);
	sb_init(&maint);
	dist = entry_distribution(run);
	if (!dist)
		goto out;
	if (!o->req.release && o->req.vendor == VENDOR_DEBIAN)
		o->req.release = debian_release_number(dist);
	if (version_next(run->top.version, &o->req, &version) ||
	    changelog_maintainer(getenv("DEBFULLNAME"), getenv("DEBEMAIL"),
				 &maint) ||
	    changelog_time(getenv("SOURCE_DATE_EPOCH"), &n.when))
		goto out;
	add_nmu_bullet(run, maint.buf, bullets, &nb);
	run->new_version = xstrdup(version.buf);
	n.package = run->top.package;
	n.version = version.buf;
	n.distribution = dist;
	n.urgency = "medium";
	n.bullets = (const char *const *)bullets;
	n.nbullets = nb;
	n.maintainer = maint.buf;
	sb_init(out);
	if (changelog_format_entry(&n, out))
		goto out;
	sb_add(out, run->changelog.buf, run->changelog.len);
	printf("debian/changelog: %s (%s) %s\n", n.package, n.version, dist);
	ret = 0;
out:
	for (i = 0; i < nb; i++)
		free(bullets[i]);
	free(bullets);
	free(dist);
	sb_release(&version);
	sb_release(&maint);
	return ret;
}

/* The series text with the carried names it lacks appended; 1 when it
   already lists them all. */
static int make_series(const struct package_run *run, struct strbuf *out)
{
	size_t i, j, added = 0;

	sb_init(out);
	sb_add(out, run->series.buf, run->series.len);
	for (i = 0; i < run->ncarried; i++) {
		const struct carried *c = &run->carried[i];
		int listed = 0;

		if (!c->text)
			continue;
		for (j = 0; j < run->nentries; j++)
			listed |= !strcmp(run->entries[j], c->name);
		if (listed)
			continue;
		if (out->len && out->buf[out->len - 1] != '\n')
			sb_addch(out, '\n');
		sb_addf(out, "%s\n", c->name);
		added++;
	}
	if (added)
		printf("debian/patches/series: %zu appended\n", added);
	return added ? 0 : 1;
}

static void add_change(struct fs_change **v, size_t *n, size_t *alloc,
		       const char *path, const char *data, size_t len)
{
	ALLOC_GROW(*v, *n + 1, *alloc);
	(*v)[*n].path = path;
	(*v)[*n].data = data;
	(*v)[*n].len = len;
	(*v)[*n].mode = 0100644;
	(*v)[*n].deleted = 0;
	(*n)++;
}

/*
 * Write the changes: an interrupted earlier run is rolled back first, and
 * debian/ files with uncommitted git changes are not overwritten without
 * --force, as apply does.
 */
static int commit_changes(struct package_run *run, const struct fs_change *v,
			  size_t n)
{
	const char **paths = xcalloc(n + 1, sizeof(*paths));
	size_t i;
	struct fs_root *root;
	int ret = -1;

	for (i = 0; i < n; i++)
		paths[i] = v[i].path;
	root = fs_root_open(run->o->source);
	if (root && fs_recover(root) >= 0 &&
	    worktree_check_clean(run->o->source, paths, n, run->o->force) == 0)
		ret = fs_commit(root, v, n, NULL);
	fs_root_close(root);
	free(paths);
	return ret;
}

/* Every debian/ change at once, or none. */
static int write_changes(struct package_run *run)
{
	struct strbuf series = STRBUF_INIT, changelog = STRBUF_INIT;
	struct strbuf control = STRBUF_INIT;
	struct fs_change *v = NULL;
	char **paths;
	size_t n = 0, alloc = 0, i;
	int ret = 0;

	paths = xcalloc(run->ncarried + 1, sizeof(*paths));
	for (i = 0; i < run->ncarried; i++) {
		struct carried *c = &run->carried[i];
		struct strbuf sb = STRBUF_INIT;

		if (!c->text || carried_unchanged(run, c))
			continue;
		sb_init(&sb);
		sb_addf(&sb, "debian/patches/%s", c->name);
		paths[i] = sb_detach(&sb, NULL);
		add_change(&v, &n, &alloc, paths[i], c->text, c->len);
		printf("%s: %s\n", paths[i],
		       run->o->dry_run ? "would be written" : "written");
	}
	if (make_series(run, &series) == 0)
		add_change(&v, &n, &alloc, "debian/patches/series", series.buf,
			   series.len);
	ret = make_changelog(run, &changelog);
	if (ret == 0)
		add_change(&v, &n, &alloc, "debian/changelog", changelog.buf,
			   changelog.len);
	if (ret >= 0 && make_control(run, &control) == 0)
		add_change(&v, &n, &alloc, "debian/control", control.buf,
			   control.len);
	if (ret >= 0) {
		ret = 0;
		if (!n)
			printf("nothing to do: %s already carries the series\n",
			       run->o->source);
		else if (!run->o->dry_run)
			ret = commit_changes(run, v, n);
	}
	for (i = 0; i < run->ncarried; i++)
		free(paths[i]);
	free(paths);
	free(v);
	sb_release(&series);
	sb_release(&changelog);
	sb_release(&control);
	return ret;
}

static int read_debian(struct package_run *run)
{
	int got;

	if (check_format(run->o))
		return -1;
	got = read_source_file(run->o, "debian/changelog", &run->changelog);
	if (got)
		return got < 0 ? -1 : error("%s: no debian/changelog",
					    run->o->source);
	if (changelog_read_top("debian/changelog", run->changelog.buf,
			       &run->top))
		return -1;
	if (read_source_file(run->o, "debian/control", &run->control) < 0)
		return -1;
	got = read_source_file(run->o, "debian/patches/series", &run->series);
	if (got < 0)
		return -1;
	series_names(run->series.buf, &run->entries, &run->nentries);
	return 0;
}

static void run_release(struct package_run *run)
{
	size_t i;

	for (i = 0; i < run->ncarried; i++) {
		free(run->carried[i].name);
		free(run->carried[i].text);
	}
	free(run->carried);
	free_names(run->entries, run->nentries);
	changelog_entry_release(&run->top);
	sb_release(&run->changelog);
	sb_release(&run->series);
	sb_release(&run->control);
	free(run->new_version);
	if (run->tree)
		tree_free(run->tree);
}

static int package_run(struct package_run *run, struct patch_list *list)
{
	size_t i;
	long napplied;
	int ret = 0, carried = 0;

	run->carried = xcalloc(list->n + 1, sizeof(*run->carried));
	run->ncarried = list->n;
	for (i = 0; i < list->n; i++)
		run->carried[i].name = carried_name(run->o, &list->v[i], i + 1);
	napplied = quilt_applied(run);
	if (napplied < 0 || tree_open_dir(&run->tree, "source", run->o->source) ||
	    apply_own_patches(run, napplied))
		return EXIT_USAGE;
	for (i = 0; i < list->n && ret != 1; i++) {
		ret = carry_one(run, &list->v[i], &run->carried[i]);
		if (ret < 0)
			return EXIT_USAGE;
		carried += ret == 0;
	}
	if (ret == 1)
		return EXIT_CONFLICT;
	if (!carried) {
		printf("nothing to do: every patch is already in %s\n",
		       run->o->source);
		return EXIT_OK;
	}
	return write_changes(run) ? EXIT_USAGE : EXIT_OK;
}

int cmd_package(int argc, char **argv)
{
	struct package_opts o;
	struct package_run run;
	struct patch_list list = { NULL, 0, 0 };
	int ret;

	memset(&o, 0, sizeof(o));
	memset(&run, 0, sizeof(run));
	if (parse_options(argc, argv, &o))
		return EXIT_USAGE;
	if (!o.vendor_given)
		o.req.vendor = vendor_default(o.req.pocket, o.release);
	run.o = &o;
	if ((o.source_package && srcpkg_check(o.source, o.changes_since)) || read_debian(&run) || input_read_series(&o.in, NULL, &list)) {
		run_release(&run);
		patch_list_release(&list);
		input_release(&o.in);
		return EXIT_USAGE;
	}
	o.req.release = o.release;
	ret = package_run(&run, &list);
	if (ret == EXIT_OK && o.source_package && !o.dry_run)
		ret = srcpkg_emit(o.source, o.changes_since);
	run_release(&run);
	patch_list_release(&list);
	input_release(&o.in);
	return ret;
}

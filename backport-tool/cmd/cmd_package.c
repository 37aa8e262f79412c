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
 * (CVE-YYYY-N.patch in a security upload, for patches that name a CVE)
 * are added once to debian/patches/series (at its end, before --before's
 * entry, or before a "# add CVE patches before these" comment), and a debian/changelog entry
 * with the next version for the pocket is prepended, saying "Non-maintainer
 * upload." when Debian's signer is not a maintainer; an Ubuntu delta also
 * gets Ubuntu's Maintainer field in debian/control (as update-maintainer
 * does).  Running it again changes nothing.  All debian/ files are written
 * with one fs_commit: all of them change, or none.
 *
 * This file reads the options; the run itself is emit/package*.c.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/commands.h"
#include "cmd/options.h"
#include "emit/package.h"
#include "emit/srcpkg.h"
#include "input/input.h"
#include "util.h"

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
	"  -P, --pocket POCKET       devel, sru, ppa, backports, stable or\n"
	"                            security (bullseye-security, +debNuM;\n"
	"                            focal-security, ubuntuX.Y; patches that\n"
	"                            name a CVE are called CVE-YYYY-N.patch)\n"
	"      --vendor V            ubuntu or debian (default: stable and a\n"
	"                            backport to a release like 11 are Debian's,\n"
	"                            security follows the changelog's\n"
	"                            distribution, the rest Ubuntu's)\n"
	"      --vendor-dir DIR      subdirectory of debian/patches for the new\n"
	"                            patches (default: ubuntu for Ubuntu, none\n"
	"                            for Debian)\n"
	"      --release-number R    20.04 or 11: for a first stable update, a\n"
	"                            backport, or an SRU of a version that is in\n"
	"                            two releases (...ubuntu0.20.04.1)\n"
	"      --distribution NAME   changelog distribution (default: the top\n"
	"                            entry's, without -security/-updates/\n"
	"                            -proposed, and with -security for the\n"
	"                            security pocket; required for backports)\n"
	"      --ppa-base POCKET     ppa: the pocket of the real upload (sru)\n"
	"      --before PATCH        new series entries go before PATCH\n"
	"                            (default: before a comment such as\n"
	"                            \"# add CVE patches before these\", else\n"
	"                            at the end)\n"
	"      --cve ID              security: the CVE fixed by the patches\n"
	"                            whose text names none (CVE-2022-40674)\n"
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
	"      --base REV            with --git: the upstream revision the\n"
	"                            source is (adaptation maps names and files\n"
	"                            upstream renamed since)\n"
	"      --source-package      then build the upload next to DIR: .dsc,\n"
	"                            .debian.tar.xz and _source.changes (with\n"
	"                            the entries since the previous version)\n"
	"      --changes-since V     with --source-package: the .changes carries\n"
	"                            the entries after version V (dpkg-genchanges\n"
	"                            -v; default: the second changelog entry's)\n"
	"      --no-adapt            do not adapt a hunk nothing else places\n"
	"                            (by default it is written adapted, with a\n"
	"                            [backport: ...] line saying how)\n"
	"  -n, --dry-run             say what would change, write nothing\n"
	"  -h, --help                show this help\n"
	"\n"
	"DEBFULLNAME and DEBEMAIL (else NAME and EMAIL, as dch) name the\n"
	"maintainer; SOURCE_DATE_EPOCH, when set, is the date of the entry.\n"
	"\n"
	"Exit status: 0 done (or nothing to do), 1 a patch conflicts with the\n"
	"source, 2 usage or input error.\n";

static int parse_options(int argc, char **argv, struct package_opts *o)
{
	enum { O_VENDOR = 256, O_VENDOR_DIR, O_RELEASE, O_DIST, O_PPA_BASE,
	       O_URL, O_APPLIED, O_GIT, O_AMEND, O_FORCE, O_SRCPKG, O_SINCE,
	       O_NO_ADAPT, O_BEFORE, O_CVE, O_BASE };
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
		{ "before", required_argument, NULL, O_BEFORE },
		{ "cve", required_argument, NULL, O_CVE },
		{ "series", required_argument, NULL, 's' },
		{ "git", required_argument, NULL, O_GIT },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "no-adapt", no_argument, NULL, O_NO_ADAPT },
		{ "base", required_argument, NULL, O_BASE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c, pocket_given = 0;

	o->source = ".";
	o->req.ppa_base = POCKET_SRU;
	optind = 0; /* a fresh scan, also when called in-process */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":C:b:P:m:s:nh", longopts,
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
		case O_BEFORE: o->before = optarg; break;
		case O_CVE: o->cve = optarg; break;
		case 'n': o->dry_run = 1; break;
		case O_NO_ADAPT: o->no_adapt = 1; break;
		case O_BASE: o->base = optarg; break;
		case 'h':
			fputs(package_usage, stdout);
			exit(EXIT_OK);
		default:
			return options_bad_option("package", c, argv);
		}
	}
	o->in.args = argv + optind;
	o->in.nargs = (size_t)(argc - optind);
	if (o->bug && (!*o->bug || strspn(o->bug, "0123456789") != strlen(o->bug)))
		return error("--bug takes a bug number, not '%s'",
			     o->bug ? o->bug : "");
	if (!pocket_given)
		return error("--pocket is required (devel, sru, ppa, backports, "
			     "stable, security)");
	if (o->cve && !package_cve_valid(o->cve))
		return error("--cve takes a CVE id like CVE-2022-40674, not '%s'",
			     o->cve);
	if (o->cve && o->req.pocket != POCKET_SECURITY)
		return error("--cve is for --pocket security");
	if (!o->in.series && !o->in.nargs)
		return error("no patches: give PATCH... or --series FILE");
	if (o->base && !o->in.git_repo)
		return error("package: --base needs --git REPO");
	if (o->vendor_dir && (!*o->vendor_dir || path_check(o->vendor_dir,
							    "--vendor-dir", 0)))
		return error("bad --vendor-dir '%s'", o->vendor_dir);
	return 0;
}

/* A security upload's vendor, by its distribution: Debian's codenames
   and unstable are Debian's, the rest Ubuntu's. */
static enum vendor security_vendor(const char *dist)
{
	size_t n = strcspn(dist, "- ");

	if (debian_release_number(dist) ||
	    (n == 8 && !strncmp(dist, "unstable", 8)) ||
	    (n == 3 && !strncmp(dist, "sid", 3)) ||
	    (n == 12 && !strncmp(dist, "experimental", 12)))
		return VENDOR_DEBIAN;
	return VENDOR_UBUNTU;
}

/* "<source>/<rel>" */
char *package_source_path(const struct package_opts *o, const char *rel)
{
	struct strbuf sb = STRBUF_INIT;

	sb_init(&sb);
	sb_addf(&sb, "%s/%s", o->source, rel);
	return sb_detach(&sb, NULL);
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
	if ((o.source_package && srcpkg_check(o.source, o.changes_since)) ||
	    package_read_debian(&run) || input_read_series(&o.in, NULL, &list)) {
		package_run_release(&run);
		patch_list_release(&list);
		input_release(&o.in);
		return EXIT_USAGE;
	}
	o.req.release = o.release;
	if (!o.vendor_given && o.req.pocket == POCKET_SECURITY && !o.release)
		o.req.vendor = security_vendor(o.distribution
					       ? o.distribution
					       : run.top.distribution);
	ret = package_run(&run, &list);
	if (ret == EXIT_OK && o.source_package && !o.dry_run)
		ret = srcpkg_emit(o.source, o.changes_since);
	package_run_release(&run);
	patch_list_release(&list);
	input_release(&o.in);
	return ret;
}

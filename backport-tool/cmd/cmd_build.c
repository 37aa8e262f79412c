/*
 * cmd_build.c - "backport-tool build": build a source package (.dsc) where
 * its users build it, in a clean chroot of a Debian release with sbuild
 * (unshare mode; the chroot is made once with mmdebstrap and cached), and
 * say whether it built, or at which step it failed and the first error.
 * The work is in buildd/; this file parses the options and prints.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buildd/sbuild.h"
#include "buildd/suite.h"
#include "cmd/commands.h"
#include "cmd/options.h"
#include "util.h"

static const char build_usage[] =
	"usage: " PROGRAM_NAME " build [--suite SUITE] [--out DIR] [options] DSC\n"
	"\n"
	"Build a source package in a clean chroot of a Debian release with\n"
	"sbuild's unshare mode (no root daemon, no schroot).  The chroot is\n"
	"made once with mmdebstrap --variant=buildd and kept in the cache\n"
	"($BACKPORT_TOOL_CACHE, default ~/.cache/backport-tool, in chroot/).\n"
	"The log, the .debs and the binary .changes go to DIR; the last lines\n"
	"say \"built\" or the step that failed and the first error.\n"
	"\n"
	"  -d, --suite SUITE    the release to build for: bullseye, bookworm,\n"
	"                       trixie, sid (a changelog distribution such as\n"
	"                       bullseye-security works too; default: the\n"
	"                       Distribution of PKG_VERSION_source.changes\n"
	"                       next to the .dsc)\n"
	"  -o, --out DIR        where the log and the packages go (default: .)\n"
	"  -j, --jobs N         parallel build jobs (default: the CPUs online)\n"
	"      --arch-all       also build the Architecture: all packages\n"
	"      --no-arch-any    do not build the architecture-dependent ones\n"
	"                       (with --arch-all: only the arch:all packages)\n"
	"      --release-only   build against the release alone, without its\n"
	"                       -updates and -security suites\n"
	"      --mirror URL     Debian mirror (default: $BACKPORT_TOOL_MIRROR,\n"
	"                       else http://deb.debian.org)\n"
	"      --update-chroot  make the cached chroot anew first\n"
	"  -h, --help           show this help\n"
	"\n"
	"Exit status: 0 built, 1 the build failed, 2 usage or input error (or\n"
	"sbuild could not run).\n";

struct build_opts {
	struct cmd_options opt;   /* the arguments: one .dsc */
	const char *suite, *out, *mirror, *dsc, *jobs_arg;
	int jobs, release_only, update_chroot, arch_all, no_arch_any;
};

/* What the options say together, once every one is read. */
static int build_check_options(struct build_opts *o)
{
	char *end;
	long n;

	if (o->jobs_arg) {
		n = strtol(o->jobs_arg, &end, 10);
		if (*end || n < 1 || n > 1024)
			return error("build: --jobs takes a number from 1 to "
				     "1024, not '%s'", o->jobs_arg);
		o->jobs = (int)n;
	}
	if (!o->opt.in.nargs)
		return error("build: no source package: give PKG_VERSION.dsc");
	if (o->opt.in.nargs > 1)
		return error("build: unexpected argument '%s'", o->opt.in.args[1]);
	if (o->no_arch_any && !o->arch_all)
		return error("build: --no-arch-any without --arch-all builds nothing");
	o->dsc = o->opt.in.args[0];
	if (strlen(o->dsc) < 5 || strcmp(o->dsc + strlen(o->dsc) - 4, ".dsc"))
		return error("%s: not a .dsc file", o->dsc);
	if (strncmp(o->mirror, "http://", 7) && strncmp(o->mirror, "https://", 8) &&
	    strncmp(o->mirror, "file:", 5))
		return error("build: --mirror takes an http://, https:// or file: "
			     "URL, not '%s'", o->mirror);
	return 0;
}

static int build_parse_options(int argc, char **argv, struct build_opts *o)
{
	enum { OPT_MIRROR = OPT_LONG_ONLY, OPT_UPDATE, OPT_RELEASE_ONLY,
	       OPT_ARCH_ALL, OPT_NO_ARCH_ANY };
	typedef struct build_opts T;
	static const struct option_slot own[] = {
		OPT_STRING('d', "suite", T, suite),
		OPT_STRING('o', "out", T, out),
		OPT_STRING('j', "jobs", T, jobs_arg),
		OPT_FLAG(OPT_RELEASE_ONLY, "release-only", T, release_only),
		OPT_FLAG(OPT_ARCH_ALL, "arch-all", T, arch_all),
		OPT_FLAG(OPT_NO_ARCH_ANY, "no-arch-any", T, no_arch_any),
		OPT_STRING(OPT_MIRROR, "mirror", T, mirror),
		OPT_FLAG(OPT_UPDATE, "update-chroot", T, update_chroot),
		OPT_END
	};
	const char *env = getenv("BACKPORT_TOOL_MIRROR");
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	options_init(&o->opt, "build", 0, 0, FORMAT_TEXT);
	o->out = ".";
	o->mirror = env && *env ? env : "http://deb.debian.org";
	o->jobs = n > 0 ? (int)n : 1;
	if (options_parse(&o->opt, argc, argv, own, o, build_usage) < 0)
		return -1;
	return build_check_options(o);
}

/* The Distribution of PKG_VERSION_source.changes next to the .dsc. */
static char *suite_from_changes(const char *dsc)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	char *dist = NULL;
	const char *p;
	size_t len = strlen(dsc);

	if (len < 4)
		return NULL;
	sb_addf(&path, "%.*s_source.changes", (int)(len - 4), dsc);
	if (access(path.buf, R_OK) == 0 &&
	    read_whole_file(path.buf, 16 << 20, &text) == 0) {
		for (p = text.buf; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
			if (!strncmp(p, "Distribution:", 13)) {
				p += 13;
				p += strspn(p, " ");
				dist = xstrndup(p, strcspn(p, " \n"));
				break;
			}
	}
	sb_release(&path);
	sb_release(&text);
	return dist;
}

static void print_result(const struct sbuild_opts *so,
			 const struct sbuild_result *r)
{
	const struct buildlog *b = &r->summary;

	if (buildlog_ok(b)) {
		printf("built %s %s for %s/amd64", r->package, r->version,
		       so->suite.name);
		if (b->build_time >= 0)
			printf(" in %ldm%02lds", b->build_time / 60, b->build_time % 60);
		printf(": %zu .deb%s in %s\n", r->ndebs, r->ndebs == 1 ? "" : "s",
		       so->out);
	} else {
		printf("%s %s for %s/amd64: ", r->package, r->version, so->suite.name);
		buildlog_describe(b, stdout);
		putchar('\n');
		if (b->first_error)
			printf("first error (log line %ld): %s\n", b->error_line,
			       b->first_error);
	}
	printf("log: %s\n", r->log);
}

int cmd_build(int argc, char **argv)
{
	struct build_opts o = { 0 };
	struct sbuild_opts so = { 0 };
	struct sbuild_result r;
	char *from_changes = NULL;
	int ret = EXIT_USAGE;

	memset(&r, 0, sizeof(r));
	if (build_parse_options(argc, argv, &o) < 0)
		return EXIT_USAGE;
	if (!o.suite && !(o.suite = from_changes = suite_from_changes(o.dsc))) {
		error("build: no --suite, and no readable %.*s_source.changes to "
		      "take it from", (int)(strlen(o.dsc) - 4), o.dsc);
		return EXIT_USAGE;
	}
	if (suite_lookup(o.suite, &so.suite) < 0)
		goto out;
	so.dsc = o.dsc;
	so.out = o.out;
	so.mirror = o.mirror;
	so.jobs = o.jobs;
	so.refresh_chroot = o.update_chroot;
	so.release_only = o.release_only;
	so.arch_all = o.arch_all;
	so.no_arch_any = o.no_arch_any;
	if (sbuild_run(&so, &r) < 0)
		goto out;
	print_result(&so, &r);
	ret = buildlog_ok(&r.summary) ? EXIT_OK : EXIT_CONFLICT;
out:
	sbuild_result_release(&r);
	free(from_changes);
	options_release(&o.opt);
	return ret;
}

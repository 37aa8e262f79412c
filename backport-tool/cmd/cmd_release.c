/*
 * cmd_release.c - "backport-tool release": the main job.  For a release
 * profile (series/<release>), build the patch queue of every manifest it
 * carries into OUT/<release>/:
 *
 *   src/                 the upstream base exported from git, with a
 *                        debian/ holding the queue: patches/, series,
 *                        and a changelog entry for the next version
 *   work/                the inputs the queue was made from (the trimmed
 *                        header patch, the commits as patches)
 *   report.md            verdicts (full and trimmed), header trim, risks
 *
 * It composes the other stages and adds no analysis of its own: git input
 * (gitsrc), the header trimmer (headers), check, lint and report, and the
 * package command for refreshed DEP-3 patches, series and changelog.
 */
#include <errno.h>
#include <ftw.h>
#include <getopt.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "place/check.h"
#include "analyse/compile.h"
#include "analyse/plan.h"
#include "cmd/commands.h"
#include "cmd/options.h"
#include "input/gitsrc.h"
#include "analyse/headers.h"
#include "input/profile.h"
#include "emit/changelog.h"
#include "emit/report.h"
#include "util.h"

static const char release_usage[] =
	"usage: " PROGRAM_NAME " release --profile FILE [--git REPO] [--out DIR]\n"
	"\n"
	"Prepare the backports a release profile carries: export the profile's\n"
	"upstream base, trim header syncs the manifests mark \"Headers: trim\",\n"
	"judge the queue, and write refreshed DEP-3 patches, the series and a\n"
	"changelog entry into OUT/<release>/src/debian, with OUT/<release>/report.md.\n"
	"\n"
	"  -p, --profile FILE   a release profile, e.g. series/focal\n"
	"      --manifests DIR  where the manifests are (default: patches/ next\n"
	"                       to the profile's directory)\n"
	"      --git REPO       upstream history (default: $QEMU_GIT)\n"
	"  -o, --out DIR        output directory (default: build)\n"
	"  -h, --help           show this help\n"
	"\n"
	"Exit status: 0 the queue applies, 1 something conflicts (see the\n"
	"report), 2 usage or input error.\n";

struct release_opts {
	const char *profile, *manifests, *git, *out;
};

struct release {
	const struct release_opts *o;
	struct profile prof;
	struct gitsrc *g;
	char *dir;      /* OUT/<release> */
	char *src;      /* OUT/<release>/src */
	char *work;     /* OUT/<release>/work */
	FILE *report;
	int conflicts;
};

static int release_parse_options(int argc, char **argv, struct release_opts *o)
{
	enum { OPT_GIT = 256, OPT_MANIFESTS };
	static const struct option longopts[] = {
		{ "profile", required_argument, NULL, 'p' },
		{ "manifests", required_argument, NULL, OPT_MANIFESTS },
		{ "git", required_argument, NULL, OPT_GIT },
		{ "out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	o->out = "build";
	o->git = getenv("QEMU_GIT");
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":p:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'p': o->profile = optarg; break;
		case OPT_MANIFESTS: o->manifests = optarg; break;
		case OPT_GIT: o->git = optarg; break;
		case 'o': o->out = optarg; break;
		case 'h': fputs(release_usage, stdout); exit(EXIT_OK);
		default:
			return options_bad_option("release", c, argv);
		}
	}
	if (optind < argc)
		return error("release: unexpected argument '%s'", argv[optind]);
	if (!o->profile)
		return error("release: --profile FILE is required");
	if (!o->git || !*o->git)
		return error("release: no upstream history: give --git REPO or set QEMU_GIT");
	return 0;
}

static char *path_join(const char *a, const char *b)
{
	struct strbuf sb = STRBUF_INIT;

	sb_addf(&sb, "%s/%s", a, b);
	return sb_detach(&sb, NULL);
}

static int write_text(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "w");

	if (!f || fwrite(text, 1, len, f) != len || fclose(f) != 0)
		return error("%s: %s", path, strerror(errno));
	return 0;
}

/*
 * Export the profile's base into src/ from the object database: no work
 * tree of the repository is touched, and a bare clone serves as well
 * (libgit2's checkout into a target directory refuses one that has
 * submodules).  Submodules whose history the clone keeps come along.
 */
static int release_export(struct release *r)
{
	struct compile_opts none = { 0 };

	if (compile_export(r->g, r->prof.base, r->src, &none) < 0) {
		error_at(r->prof.path, r->prof.base_line,
			 "Base: cannot export '%s' from %s",
			 r->prof.base, r->o->git);
		return -1;
	}
	return 0;
}

/*
 * A debian/ for the exported tree: the profile's current version as the
 * top changelog entry (so that package computes the next one), format
 * 3.0 (quilt) and an empty series.  The entry says where it comes from.
 */
static int release_write_debian(struct release *r)
{
	struct strbuf cl = STRBUF_INIT;
	char *debian = path_join(r->src, "debian");
	char *source = path_join(debian, "source");
	char *patches = path_join(debian, "patches");
	char *changelog = path_join(debian, "changelog");
	char *format = path_join(source, "format");
	char *series = path_join(patches, "series");
	int ret = -1;

	sb_addf(&cl, "%s (%s) %s; urgency=medium\n\n"
		     "  * The version %s has, as its profile says (%s).\n\n"
		     " -- backport-tool <backport-tool@localhost>  "
		     "Thu, 01 Jan 1970 00:00:00 +0000\n",
		r->prof.package, r->prof.version, r->prof.release,
		r->prof.release, r->prof.path);
	if (mkdir_p(source) == 0 && mkdir_p(patches) == 0 &&
	    write_text(changelog, cl.buf, cl.len) == 0 &&
	    write_text(format, "3.0 (quilt)\n", 12) == 0 &&
	    write_text(series, "", 0) == 0)
		ret = 0;
	sb_release(&cl);
	free(debian);
	free(source);
	free(patches);
	free(changelog);
	free(format);
	free(series);
	return ret;
}

static char *save_patch(struct release *r, const struct patch *p, size_t n)
{
	struct strbuf name = STRBUF_INIT;
	char *path;

	sb_addf(&name, "%02zu-%.12s.patch", n + 1,
		p->meta.commit ? p->meta.commit : "local");
	path = path_join(r->work, name.buf);
	sb_release(&name);
	if (write_text(path, p->raw, p->raw_len) < 0) {
		free(path);
		return NULL;
	}
	return path;
}

/*
 * Trim sync (patch k of series) for the other patches of the series.
 * Returns the trimmed patch file's path, NULL to keep the full sync.
 */
static char *release_trim(struct release *r, const struct patch_list *series,
			  size_t k, char **files)
{
	struct headers_opts ho = { 0 };
	struct headers_report hr = { 0 };
	struct strbuf diff = STRBUF_INIT, text = STRBUF_INIT;
	const char **consumers = xcalloc(series->n, sizeof(*consumers));
	struct tree *t = NULL;
	char *path = NULL;
	size_t i;
	int ret;

	for (i = 0; i < series->n; i++)
		if (i != k)
			consumers[ho.nconsumers++] = files[i];
	ho.source_patch = files[k];
	ho.consumers = consumers;
	if (gitsrc_open_tree_in(&t, r->g, r->prof.release, r->prof.base) < 0)
		goto out;
	ret = headers_trim(t, &ho, &diff, &hr);
	fprintf(r->report, "\n### Trimmed header sync: %s\n\n",
		series->v[k].meta.subject ? series->v[k].meta.subject : "?");
	if (ret != 0) {
		fprintf(r->report, "The trim was refused; the full sync is kept.\n");
		goto out;
	}
	fprintf(r->report, "Kept %zu declarations (%ld lines) of the full sync's "
		"%ld changed lines; dropped %zu declarations (%ld lines).\n\n```\n",
		hr.kept.n, hr.kept_lines, hr.full_lines, hr.dropped.n,
		hr.dropped_lines);
	headers_report_print(&hr, r->report);
	fputs("```\n", r->report);
	headers_trimmed_patch(&series->v[k], &hr, &diff, &text);
	path = path_join(r->work, "trimmed-headers.patch");
	if (write_text(path, text.buf, text.len) < 0) {
		free(path);
		path = NULL;
	}
out:
	tree_free(t);
	headers_report_release(&hr);
	sb_release(&diff);
	sb_release(&text);
	free(consumers);
	return path;
}

/* Judge a series on the base; prints the reviewer table into the report. */
static int release_check(struct release *r, const struct patch_list *series,
			 const struct patch_list *upstream, const char *title,
			 struct report *rep, struct check_run *run)
{
	struct tree *t;

	check_run_init(run, series);
	run->state.merge = gitsrc_merge;
	run->state.merge_ctx = r->g;
	if (gitsrc_open_tree_in(&t, r->g, r->prof.release, r->prof.base) < 0)
		return -1;
	check_run_add_target(run, r->prof.release, t);
	if (check_run_all(run) < 0)
		return -1;
	fprintf(r->report, "\n### %s\n\n", title);
	check_print_markdown(run, r->report);
	if (rep) {
		struct report_input in = { .git = r->g }; /* cited ids resolve */

		report_build_with(rep, series, run, upstream, &in);
	}
	return 0;
}

/*
 * The prerequisites of the upstream commits on the base, for the report's
 * Prerequisites section: the chain that makes them apply at fuzz 0 and,
 * for a header sync, the trimmed alternative beside it (analyse/plan.h).
 */
static int release_plan(struct release *r, const struct patch_list *series,
			struct input *in, struct plan_run *plan)
{
	struct plan_opts po = { 0 };
	struct strbuf spec = STRBUF_INIT;
	int rc;

	in->git_repo = r->o->git;
	in->git = r->g; /* borrowed: not released with in */
	plan_run_init(plan, series, in, &po);
	sb_addf(&spec, "%s=git:%s", r->prof.release, r->prof.base);
	rc = plan_run_target(plan, spec.buf);
	sb_release(&spec);
	return rc;
}

/* Run the package command on src/ with the queue. */
static int release_package(struct release *r, const struct manifest *m,
			   char **files, size_t n)
{
	const char *argv[40 + 64];
	struct strbuf msg = STRBUF_INIT;
	size_t argc = 0, i, len = strcspn(m->description, "\n");
	int ret;

	if (n > 64)
		return error("%s: more than 64 patches", m->path);
	sb_addf(&msg, "%.*s", (int)len, m->description);
	argv[argc++] = "package";
	argv[argc++] = "--source";
	argv[argc++] = r->src;
	argv[argc++] = "--pocket";
	argv[argc++] = pocket_name(r->prof.pocket);
	argv[argc++] = "--vendor";
	argv[argc++] = vendor_name(r->prof.vendor);
	argv[argc++] = "--distribution";
	argv[argc++] = r->prof.changelog_dist;
	argv[argc++] = "-m";
	argv[argc++] = msg.buf;
	if (m->bug_ubuntu || m->bug_debian) {
		argv[argc++] = "--bug";
		argv[argc++] = r->prof.vendor == VENDOR_UBUNTU && m->bug_ubuntu
			? m->bug_ubuntu : m->bug_debian ? m->bug_debian : m->bug_ubuntu;
	}
	if (r->prof.insert_before) {
		argv[argc++] = "--before";
		argv[argc++] = r->prof.insert_before;
	}
	if (r->prof.vendor_dir) {
		argv[argc++] = "--vendor-dir";
		argv[argc++] = r->prof.vendor_dir;
	}
	/* For an SRU the release number would mean "this version is in two
	   releases" (...ubuntu0.20.04.1); a profile names one release. */
	if (r->prof.release_number && r->prof.pocket != POCKET_SRU &&
	    r->prof.pocket != POCKET_DEVEL &&
	    !(r->prof.pocket == POCKET_SECURITY &&
	      r->prof.vendor == VENDOR_UBUNTU)) {
		argv[argc++] = "--release-number";
		argv[argc++] = r->prof.release_number;
	}
	if (m->commit_url) {
		argv[argc++] = "--upstream-url";
		argv[argc++] = m->commit_url;
	}
	if (m->applied_upstream) {
		argv[argc++] = "--applied-upstream";
		argv[argc++] = m->applied_upstream;
	}
	for (i = 0; i < n; i++)
		argv[argc++] = files[i];
	argv[argc] = NULL;
	optind = 0; /* a fresh getopt for the subcommand */
	ret = cmd_package((int)argc, (char **)argv);
	sb_release(&msg);
	return ret;
}

static int release_manifest(struct release *r, const struct manifest *m)
{
	struct patch_list series = { 0 }, queue = { 0 };
	struct check_run full = { 0 }, trimmed = { 0 };
	struct plan_run plan = { 0 };
	struct input in = { 0 };
	struct report rep;
	char **files;
	size_t i, sync = (size_t)-1;
	int ret = -1, have_report = 0;

	fprintf(r->report, "\n## %s (%s)\n\n%s\n", m->name, m->path, m->description);
	if (gitsrc_read_commits_in(r->g, &series, (const char *const *)m->commits,
				   m->ncommits) < 0)
		return -1;
	files = xcalloc(series.n + 1, sizeof(*files));
	for (i = 0; i < series.n; i++) {
		if (!(files[i] = save_patch(r, &series.v[i], i)))
			goto out;
		if (m->trim_headers && sync == (size_t)-1 &&
		    headers_is_sync(&series.v[i]))
			sync = i;
	}
	if (release_check(r, &series, NULL, "Verdicts, upstream commits as they are",
			  sync == (size_t)-1 ? &rep : NULL, &full) < 0)
		goto out;
	have_report = sync == (size_t)-1;
	if (sync != (size_t)-1) {
		char *trim = release_trim(r, &series, sync, files);

		if (trim) {
			free(files[sync]);
			files[sync] = trim;
		}
		for (i = 0; i < series.n; i++) {
			if (patch_list_read_file(&queue, files[i]) < 0)
				goto out;
			free(queue.v[i].name);
			queue.v[i].name = xstrdup(series.v[i].name);
		}
		if (release_check(r, &queue, &series, "Verdicts, header sync trimmed",
				  &rep, &trimmed) < 0)
			goto out;
		have_report = 1;
	}
	r->conflicts += (sync != (size_t)-1 ? trimmed.conflicts : full.conflicts);
	if (release_plan(r, &series, &in, &plan) < 0)
		goto out;
	rep.plan = &plan;
	fputs("\n", r->report);
	report_write_markdown(&rep, r->report);
	if (r->conflicts) {
		fprintf(r->report, "\nThe queue does not apply: no patches written.\n");
		ret = 0;
		goto out;
	}
	ret = release_package(r, m, files, series.n) == EXIT_OK ? 0 : -1;
out:
	if (have_report)
		report_release(&rep);
	check_run_release(&full);
	check_run_release(&trimmed);
	plan_run_release(&plan);
	for (i = 0; i < series.n; i++)
		free(files[i]);
	free(files);
	patch_list_release(&queue);
	patch_list_release(&series);
	return ret;
}

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	return remove(path);
}

/* The previous run's output: removed whole, never following symlinks. */
static int remove_tree(const char *dir)
{
	struct stat st;

	if (lstat(dir, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	return nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static int release_prepare(struct release *r)
{
	struct strbuf sb = STRBUF_INIT;

	if (!r->prof.base)
		return error_at(r->prof.path, r->prof.line,
				"release needs Base (an upstream tag); Source profiles are for make demo");
	/* the changelog's signer, before the previous output is cleared */
	if (changelog_maintainer_env(&sb) < 0) {
		sb_release(&sb);
		return -1;
	}
	sb_reset(&sb);
	if (gitsrc_open(&r->g, r->o->git) < 0)
		return -1;
	if (r->prof.base[0] == '@' || strstr(r->prof.base, "..") ||
	    !gitsrc_is_revision(r->g, r->prof.base))
		return error_at(r->prof.path, r->prof.base_line,
				"Base: '%s' is not a commit of %s", r->prof.base,
				r->o->git);
	r->dir = path_join(r->o->out, r->prof.release);
	r->src = path_join(r->dir, "src");
	r->work = path_join(r->dir, "work");
	if (remove_tree(r->dir) < 0)
		return error("%s: cannot clear the previous output: %s", r->dir,
			     strerror(errno));
	if (mkdir_p(r->src) < 0 || mkdir_p(r->work) < 0 ||
	    release_export(r) < 0 || release_write_debian(r) < 0)
		return -1;
	sb_addf(&sb, "%s/report.md", r->dir);
	r->report = fopen(sb.buf, "w");
	sb_release(&sb);
	if (!r->report)
		return error("%s/report.md: %s", r->dir, strerror(errno));
	fprintf(r->report, "# Backports for %s (%s %s, base %s, pocket %s)\n",
		r->prof.release, r->prof.package, r->prof.version, r->prof.base,
		pocket_name(r->prof.pocket));
	return 0;
}

int cmd_release(int argc, char **argv)
{
	struct release_opts o = { 0 };
	struct release r = { 0 };
	struct manifest *m = NULL;
	size_t n = 0, i;
	int ret = EXIT_USAGE;

	r.o = &o;
	if (release_parse_options(argc, argv, &o) < 0 ||
	    profile_read(&r.prof, o.profile) < 0)
		return EXIT_USAGE;
	if (profile_load_manifests(&r.prof, o.manifests, &m, &n) < 0 ||
	    release_prepare(&r) < 0)
		goto out;
	for (i = 0; i < n; i++)
		if (release_manifest(&r, &m[i]) < 0)
			goto out;
	fprintf(stderr, PROGRAM_NAME ": %s: %s%s/report.md\n", r.prof.release,
		r.conflicts ? "conflicts, see " : "queue in src/debian/patches, report in ",
		r.dir);
	ret = r.conflicts ? EXIT_CONFLICT : EXIT_OK;
out:
	if (r.report)
		fclose(r.report);
	for (i = 0; i < n; i++)
		manifest_release(&m[i]);
	free(m);
	gitsrc_free(r.g);
	profile_release(&r.prof);
	free(r.dir);
	free(r.src);
	free(r.work);
	return ret;
}

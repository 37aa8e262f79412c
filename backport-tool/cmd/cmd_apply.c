/*
 * cmd_apply.c - "backport-tool apply": apply a series to a directory for
 * real.  The whole series is placed in memory first; the tree on disk is
 * changed only when every patch applied, in one all-or-nothing commit, so
 * a failed apply leaves the tree exactly as it was.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "place/apply.h"
#include "emit/changelog.h"
#include "place/check.h"
#include "cmd/commands.h"
#include "cmd/options.h"
#include "tree/fsio.h"
#include "input/input.h"
#include "emit/package.h"
#include "emit/refresh.h"
#include "util.h"
#include "tree/worktree.h"

static const char apply_usage[] =
	"usage: " PROGRAM_NAME " apply [options] [PATCH... | --series FILE]\n"
	"\n"
	"Apply a series to a directory.  Every patch must apply; otherwise\n"
	"nothing is written and the first failing patch is named.\n"
	"\n"
	"  -t, --tree [NAME=]DIR  the tree to change (default: .)\n"
	"  -s, --series FILE    a quilt series file (or its directory)\n"
	"      --git REPO       read commits from this repository; a file whose\n"
	"                       hunks do not apply is 3-way merged with the\n"
	"                       commit's pre-image, and each merged hunk named\n"
	"      --base REV       with --git: the upstream revision the tree is\n"
	"                       based on (adaptation maps names renamed since)\n"
	"  -F, --fuzz N         most context lines to ignore (0-2, default 0,\n"
	"                       as dpkg-source)\n"
	"      --no-ambiguous   refuse a hunk whose context also matches\n"
	"                       elsewhere (by default it is placed as GNU patch\n"
	"                       places it, and named)\n"
	"      --no-adapt       do not adapt a hunk nothing else places (by\n"
	"                       default it is rewritten for the tree when exactly\n"
	"                       one placement qualifies, and named)\n"
	"  -n, --dry-run        place the series, write nothing\n"
	"      --merge          with --git: where the 3-way merge conflicts too,\n"
	"                       keep its conflict markers for the human (exit 1)\n"
	"      --allow-symlinks let patches create symlinks (never followed)\n"
	"      --force          change files that have uncommitted git changes;\n"
	"                       with --recover, discard a journal this program\n"
	"                       did not write, without acting on it\n"
	"      --recover        only finish or roll back an interrupted apply\n"
	"  -o, --out DIR        also write each patch as carried on the tree\n"
	"                       (refreshed: fuzz 0, quilt style, DEP-3 header\n"
	"                       completed) and a series file into DIR; files\n"
	"                       end in .patch (commits: 0001-subject.patch)\n"
	"      --refresh        the same, into --out DIR (kept for clarity)\n"
	"      --upstream-url URL  with --out: Origin is URL + commit id\n"
	"  -v, --verbose        name each patch and how it applied\n"
	"  -h, --help           show this help\n"
	"\n"
	"Exit status: 0 applied, 1 a patch does not apply (tree unchanged),\n"
	"2 usage or input error.\n";

struct apply_opts {
	struct cmd_options opt;   /* --series, --git, --fuzz */
	const char *dir;          /* --tree [NAME=]DIR: one directory */
	char *name;               /* NAME, or DIR */
	const char *out;          /* --out DIR: refreshed patches go there */
	const char *upstream_url;
	const char *base;         /* --base REV: the tree's upstream revision */
	int dry_run, merge, allow_symlinks, force, recover, verbose;
	int refresh, no_ambiguous, no_adapt;
};

/* The refreshed patches, written only when the whole series applied;
   each change's path and data are owned here. */
struct refreshed {
	struct fs_change *v;
	size_t n, alloc;
	struct strbuf series;
};

/* --tree NAME=DIR, as check reads it; a git revision cannot be written. */
static int apply_tree_spec(struct apply_opts *o)
{
	const char *eq = strchr(o->dir, '=');

	if (eq == o->dir)
		return error("--tree '%s': empty name", o->dir);
	o->name = eq ? xstrndup(o->dir, (size_t)(eq - o->dir)) : xstrdup(o->dir);
	if (eq)
		o->dir = eq + 1;
	if (!strncmp(o->dir, "git:", 4))
		return error("apply: --tree %s: a git revision cannot be "
			     "written; give a directory", o->dir);
	return 0;
}

static int apply_parse_options(int argc, char **argv, struct apply_opts *o)
{
	enum { OPT_MERGE = OPT_LONG_ONLY, OPT_SYMLINKS, OPT_FORCE, OPT_RECOVER,
	       OPT_REFRESH, OPT_URL, OPT_NO_AMBIGUOUS, OPT_NO_ADAPT, OPT_BASE };
	static const struct option_slot own[] = {
		OPT_STRING('t', "tree", struct apply_opts, dir),
		OPT_FLAG('n', "dry-run", struct apply_opts, dry_run),
		OPT_FLAG(OPT_MERGE, "merge", struct apply_opts, merge),
		OPT_FLAG(OPT_NO_AMBIGUOUS, "no-ambiguous", struct apply_opts,
			 no_ambiguous),
		OPT_FLAG(OPT_NO_ADAPT, "no-adapt", struct apply_opts, no_adapt),
		OPT_STRING(OPT_BASE, "base", struct apply_opts, base),
		OPT_FLAG(OPT_SYMLINKS, "allow-symlinks", struct apply_opts,
			 allow_symlinks),
		OPT_FLAG(OPT_FORCE, "force", struct apply_opts, force),
		OPT_FLAG(OPT_RECOVER, "recover", struct apply_opts, recover),
		OPT_FLAG('v', "verbose", struct apply_opts, verbose),
		OPT_STRING('o', "out", struct apply_opts, out),
		OPT_FLAG(OPT_REFRESH, "refresh", struct apply_opts, refresh),
		OPT_STRING(OPT_URL, "upstream-url", struct apply_opts, upstream_url),
		OPT_END
	};

	options_init(&o->opt, "apply", OPTION_SERIES | OPTION_GIT | OPTION_FUZZ,
		     0, FORMAT_TEXT);
	o->opt.fuzz = APPLY_DEFAULT_FUZZ; /* dpkg-source's: exactly */
	o->dir = ".";
	if (options_parse(&o->opt, argc, argv, own, o, apply_usage) < 0)
		return -1;
	if (o->refresh && !o->out)
		return error("apply: --refresh needs --out DIR");
	if (o->merge && !o->opt.in.git_repo)
		return error("apply: --merge needs --git (the upstream pre-image)");
	if (o->base && !o->opt.in.git_repo)
		return error("apply: --base needs --git REPO");
	return apply_tree_spec(o);
}

/*
 * Before the first read: take the tree's lock (held until the commit, so
 * that no other run changes what this one read), then finish or roll back
 * what an interrupted run left.  A dry run writes nothing: it only refuses
 * a half-written tree.  0 or -1.
 */
static int apply_prepare_tree(const struct apply_opts *o, struct tree *t,
			      struct fs_recovered *rec)
{
	static const char *const said[] = {
		[FS_RECOVERED_EMPTY] = "removed an interrupted apply's empty "
				       "journal",
		[FS_RECOVERED_DISCARDED] = "removed an interrupted apply's "
					   "journal (the tree was not changed)",
		[FS_RECOVERED_ROLLED_BACK] = "rolled back an interrupted apply",
		[FS_RECOVERED_FINISHED] = "finished an interrupted apply",
		[FS_RECOVERED_FORCED] = "discarded a journal without acting on "
					"it (--force)",
		[FS_RECOVERED_LEFTOVER] = "removed a leftover journal with "
					  "nothing to undo or finish",
	};
	struct fs_root *root = tree_fs_root(t);

	memset(rec, 0, sizeof(*rec));
	if (o->dry_run && !o->recover) {
		if (fs_journal_pending(root))
			return error_at(o->dir, 0, "has an unfinished apply "
					"(.backport-tool-journal); run "
					"'backport-tool apply --recover' first");
		return 0;
	}
	if (fs_root_lock(root) < 0 && errno == EWOULDBLOCK)
		return error_at(o->dir, 0, "another backport-tool is applying "
				"to this tree");
	if (!fs_root_locked(root))
		return error_at(o->dir, 0, "cannot lock the tree: %s",
				strerror(errno));
	if (fs_recover_journal(root, o->recover && o->force, rec) < 0)
		return -1;
	if (rec->how != FS_RECOVERED_NOTHING)
		fprintf(stderr, PROGRAM_NAME ": %s: %s\n", o->dir, said[rec->how]);
	else if (o->recover)
		fprintf(stderr, PROGRAM_NAME ": %s: nothing to recover\n", o->dir);
	return 0;
}

/*
 * Test hook (HACKING.md): with BT_TEST_PAUSE_AFTER_READ=FILE, say "paused"
 * in FILE.paused once the series is placed, then wait (up to a minute)
 * until FILE exists, so that a test can run another apply in between.
 */
static void apply_test_pause(void)
{
	const char *go = getenv("BT_TEST_PAUSE_AFTER_READ");
	struct strbuf sb = STRBUF_INIT;
	FILE *f;
	int i;

	if (!go || !*go)
		return;
	sb_addf(&sb, "%s.paused", go);
	if ((f = fopen(sb.buf, "w")))
		fclose(f);
	for (i = 0; i < 6000 && access(go, F_OK) < 0; i++)
		usleep(10000);
	sb_release(&sb);
}

struct changed_paths {
	const char **v;
	size_t n, alloc;
};

static int collect_path(const char *path, const struct tree_file *f,
			int deleted, void *data)
{
	struct changed_paths *c = data;

	ALLOC_GROW(c->v, c->n + 1, c->alloc);
	c->v[c->n++] = path;
	return 0;
}

/* Refuse to overwrite uncommitted work unless --force. */
static int apply_check_worktree(struct apply_opts *o, struct tree *t)
{
	struct changed_paths c = { 0 };
	int ret;

	tree_for_each_change(t, collect_path, &c);
	ret = worktree_check_clean(o->dir, c.v, c.n, o->force);
	free(c.v);
	return ret;
}

/*
 * What a patch that applies did beyond placing its hunks where GNU patch
 * would without a doubt: each hunk placed where its context also matches
 * elsewhere, each hunk the 3-way fallback merged, each hunk adapted
 * (and how).  Never silent.
 */
static void apply_report_hunks(const struct patch *p,
			       const struct patch_result *r)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i, h;

	for (i = 0; i < r->nfiles; i++) {
		const struct file_result *fr = &r->files[i];

		if (fr->moved) /* the file upstream renamed: where it went */
			warning_at(patch_where(p), fr->fd->lineno, "%s",
				   fr->moved);
		for (h = 0; fr->hunks && h < fr->fd->nhunks; h++) {
			const struct hunk_result *hr = &fr->hunks[h];
			long line = fr->fd->hunks[h].lineno;

			sb_reset(&sb);
			hunk_result_name(fr, h, &sb);
			if (hr->verdict == V_ADAPTED) {
				sb_addstr(&sb, ": ");
				hunk_result_describe(fr, hr, &sb);
				warning_at(patch_where(p), line, "%s", sb.buf);
			} else if (hr->verdict == V_MERGED)
				warning_at(patch_where(p), line, "%s: 3-way merged with "
					   "the upstream pre-image (--git)",
					   sb.buf);
			else if (hr->ambiguous_at && hr->verdict == V_APPLIED)
				warning_at(patch_where(p), line, "%s: ambiguous "
					   "placement: already applied at %ld "
					   "(left as it is), its pre-image also "
					   "matches at %ld", sb.buf, hr->at,
					   hr->ambiguous_at);
			else if (hr->ambiguous_at && hr->verdict != V_CONFLICT)
				warning_at(patch_where(p), line, "%s: ambiguous "
					   "placement: applied at %ld, also "
					   "matches at %ld", sb.buf, hr->at,
					   hr->ambiguous_at);
		}
	}
	sb_release(&sb);
}

static void apply_report(const struct apply_opts *o, const struct patch *p,
			 const struct patch_result *r)
{
	struct strbuf sb = STRBUF_INIT;

	if (r->verdict != V_CONFLICT)
		apply_report_hunks(p, r);
	if (r->verdict == V_CONFLICT && r->kept) {
		patch_result_describe(r, &sb);
		error_at(patch_where(p), r->reason_line, "3-way merge left conflict "
			 "markers: %s", sb.buf);
	} else if (r->verdict == V_CONFLICT) {
		patch_result_describe(r, &sb);
		error_at(patch_where(p), r->reason_line, "does not apply: %s%s", sb.buf,
			 o->dry_run ? "" : " (tree unchanged)");
	} else if (o->verbose) {
		char *name = xstrdup_escaped(p->name);

		printf("%s: %s\n", name, verdict_name(r->verdict));
		free(name);
	}
	sb_release(&sb);
}

/*
 * The file name a refreshed patch gets in --out: as the series names it;
 * a commit as git format-patch names it (0001-subject.patch); a file by
 * its own name, with ".patch" added unless it ends in .patch or .diff.
 */
static char *refreshed_name(const struct patch *p, const struct input *in,
			    size_t nth)
{
	const char *slash = strrchr(p->name, '/');
	const char *base = slash ? slash + 1 : p->name;
	struct strbuf sb = STRBUF_INIT;
	size_t len;

	if (in->series && p->name[0] != '/' && strncmp(p->name, "../", 3) &&
	    !strstr(p->name, "/../"))
		return xstrdup(p->name);
	sb_init(&sb);
	if (in->git_repo && p->meta.commit) {
		sb_addf(&sb, "%04zu-", nth);
		package_add_slug(&sb, p->meta.subject ? p->meta.subject : base,
				 52);
		sb_addstr(&sb, ".patch");
		return sb_detach(&sb, NULL);
	}
	len = strlen(base);
	if (len > 5 && !strcmp(base + len - 5, ".mbox"))
		len -= 5; /* a mail: multi.mbox -> multi.patch */
	else if (len > 4 && !strcmp(base + len - 4, ".eml"))
		len -= 4;
	sb_add(&sb, base, len);
	if ((len < 6 || strncmp(base + len - 6, ".patch", 6)) &&
	    (len < 5 || strncmp(base + len - 5, ".diff", 5)))
		sb_addstr(&sb, ".patch");
	return sb_detach(&sb, NULL);
}

static int refresh_one(const struct apply_opts *o, struct tree *t,
		       const struct patch *p, const struct patch_result *r,
		       size_t nth,
		       const struct refresh_snapshot *snap,
		       struct refreshed *out)
{
	struct dep3_info info = { 0 };
	struct strbuf url = STRBUF_INIT, text = STRBUF_INIT, date = STRBUF_INIT;
	struct strbuf adapted = STRBUF_INIT;
	char *name = refreshed_name(p, &o->opt.in, nth);
	time_t when;
	int ret;

	dep3_commit_url(o->upstream_url, p->meta.commit, &url);
	info.commit_url = url.len ? url.buf : NULL;
	sb_init(&adapted);
	patch_result_adaptations(r, &adapted);
	info.adapted = adapted.buf;
	if (changelog_time(getenv("SOURCE_DATE_EPOCH"), &when) == 0) {
		dep3_format_date(when, &date);
		info.last_update = date.buf;
	}
	if (p->meta.subject || dep3_has_field(p->header, p->header_len,
					      "Description")) {
		ret = refresh_patch(p, snap, t, &info, &text, NULL);
	} else {
		/* nothing to describe it with: DEP-3 needs a human */
		warning_at(patch_where(p), 1, "no subject or description: refreshed "
			   "without DEP-3 fields");
		sb_add(&text, p->header, p->header_len);
		ret = refresh_diff(snap, t, &text);
	}
	sb_release(&url);
	sb_release(&date);
	sb_release(&adapted);
	if (ret != 0) {
		sb_release(&text);
		free(name);
		return ret < 0 ? -1 : 0; /* 1: it changed nothing here */
	}
	ALLOC_GROW(out->v, out->n + 1, out->alloc);
	out->v[out->n].path = name;
	out->v[out->n].mode = 0100644;
	out->v[out->n].deleted = 0;
	out->v[out->n].data = sb_detach(&text, &out->v[out->n].len);
	out->n++;
	sb_addf(&out->series, "%s\n", name);
	return 0;
}

/* Write --out DIR: the refreshed patches and their series, all or none. */
static int refreshed_write(const char *dir, struct refreshed *r)
{
	struct fs_commit_opts opts = { 0 };
	struct fs_root *root;
	int ret;

	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return error("%s: %s", dir, strerror(errno));
	if (!(root = fs_root_open(dir)))
		return -1;
	ALLOC_GROW(r->v, r->n + 1, r->alloc);
	r->v[r->n].path = "series";
	r->v[r->n].data = r->series.buf ? r->series.buf : "";
	r->v[r->n].len = r->series.len;
	r->v[r->n].mode = 0100644;
	r->v[r->n].deleted = 0;
	ret = fs_commit(root, r->v, r->n + 1, &opts);
	fs_root_close(root);
	return ret;
}

static void refreshed_release(struct refreshed *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free((char *)r->v[i].path);
		free((char *)r->v[i].data);
	}
	free(r->v);
	sb_release(&r->series);
}

/*
 * Place every patch in memory.  Returns 1 at the first conflict, -1 on
 * input errors, else 0; *markers counts patches kept with --merge's
 * conflict markers, which still make the exit status 1.
 */
static int apply_series(struct apply_opts *o, struct apply_state *s,
			struct tree *t, const struct patch_list *series,
			int *markers, struct refreshed *out)
{
	size_t i;

	for (i = 0; i < series->n; i++) {
		const struct patch *p = &series->v[i];
		struct refresh_snapshot snap = { 0 };
		struct patch_result r;
		int stop, bad = 0;

		if (o->out && refresh_snapshot_take_moved(&snap, t, s, p) < 0)
			return -1;
		if (apply_patch(s, t, p, &r) < 0) {
			refresh_snapshot_release(&snap);
			return -1;
		}
		apply_report(o, p, &r);
		stop = r.verdict == V_CONFLICT && !r.kept;
		if (r.verdict == V_CONFLICT && r.kept)
			(*markers)++;
		else if (o->out && r.kept && refresh_one(o, t, p, &r, i + 1, &snap, out) < 0)
			bad = 1;
		patch_result_release(&r);
		refresh_snapshot_release(&snap);
		if (bad)
			return -1;
		if (stop)
			return 1;
	}
	return 0;
}

int cmd_apply(int argc, char **argv)
{
	struct apply_opts o = { 0 };
	struct patch_list series = { 0 };
	struct fs_recovered rec = { 0 };
	struct apply_state s;
	struct tree *t = NULL;
	struct refreshed out = { 0 };
	int ret = EXIT_USAGE, r, markers = 0;

	if (apply_parse_options(argc, argv, &o) < 0 ||
	    tree_open_dir(&t, o.name, o.dir) < 0 ||
	    apply_prepare_tree(&o, t, &rec) < 0)
		goto out;
	if (o.recover) {
		ret = EXIT_OK;
		goto out;
	}
	if (input_read_series(&o.opt.in, o.dir, &series) < 0)
		goto out;
	apply_state_init(&s);
	s.max_fuzz = o.opt.fuzz;
	s.submodule_error = 1; /* a directory has no gitlinks to set */
	s.allow_symlinks = o.allow_symlinks;
	s.keep_conflicts = o.merge;
	s.no_ambiguous = o.no_ambiguous;
	s.done_deletes = (const char *const *)rec.deleted;
	s.ndone_deletes = rec.ndeleted;
	s.adapt = !o.no_adapt;
	apply_setup_merge(&s, &o.opt.in);
	s.base = o.base;
	r = apply_series(&o, &s, t, &series, &markers, &out);
	if (r < 0)
		goto out;
	if (r > 0) {
		ret = EXIT_CONFLICT;
		goto out;
	}
	if (o.out && !markers && refreshed_write(o.out, &out) < 0)
		goto out;
	if (o.dry_run) {
		ret = EXIT_OK;
		goto out;
	}
	apply_test_pause();
	if (apply_check_worktree(&o, t) < 0 || tree_write_out(t) < 0)
		goto out;
	ret = markers ? EXIT_CONFLICT : EXIT_OK;
out:
	refreshed_release(&out);
	tree_free(t);
	fs_recovered_release(&rec);
	patch_list_release(&series);
	options_release(&o.opt);
	free(o.name);
	return ret;
}

/*
 * package.c - a package run from start to end: read debian/, carry each
 * patch, and write every changed debian/ file in one fs_commit (all of
 * them change, or none).
 */
#include "emit/package.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tree/worktree.h"

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

		if (!c->text || package_carried_unchanged(run, c))
			continue;
		sb_init(&sb);
		sb_addf(&sb, "debian/patches/%s", c->name);
		paths[i] = sb_detach(&sb, NULL);
		add_change(&v, &n, &alloc, paths[i], c->text, c->len);
	}
	if (package_make_series(run, &series) == 0)
		add_change(&v, &n, &alloc, "debian/patches/series", series.buf,
			   series.len);
	ret = package_make_changelog(run, &changelog);
	if (ret == 0)
		add_change(&v, &n, &alloc, "debian/changelog", changelog.buf,
			   changelog.len);
	if (ret >= 0 && package_make_control(run, &control) == 0)
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
	/* said once they are: a later failure writes none of them */
	for (i = 0; i < run->ncarried && ret == 0; i++)
		if (paths[i])
			printf("%s: %s\n", paths[i],
			       run->o->dry_run ? "would be written" : "written");
	for (i = 0; i < run->ncarried; i++)
		free(paths[i]);
	free(paths);
	free(v);
	sb_release(&series);
	sb_release(&changelog);
	sb_release(&control);
	return ret;
}

int package_read_debian(struct package_run *run)
{
	int got;

	if (package_check_format(run->o))
		return -1;
	got = package_read_source_file(run->o, "debian/changelog", &run->changelog);
	if (got)
		return got < 0 ? -1 : error("%s: no debian/changelog",
					    run->o->source);
	if (changelog_read_top("debian/changelog", run->changelog.buf,
			       &run->top))
		return -1;
	if (package_read_source_file(run->o, "debian/control", &run->control) < 0)
		return -1;
	got = package_read_source_file(run->o, "debian/patches/series", &run->series);
	if (got < 0)
		return -1;
	package_series_names(run->series.buf, &run->entries, &run->nentries);
	return 0;
}

void package_run_release(struct package_run *run)
{
	size_t i;

	for (i = 0; i < run->ncarried; i++) {
		free(run->carried[i].name);
		free(run->carried[i].text);
		free(run->carried[i].cves);
	}
	free(run->carried);
	package_free_names(run->entries, run->nentries);
	changelog_entry_release(&run->top);
	sb_release(&run->changelog);
	sb_release(&run->series);
	sb_release(&run->control);
	free(run->new_version);
	if (run->tree)
		tree_free(run->tree);
}

/* Where the new entries go, said when the series decided it. */
static int find_insert_point(struct package_run *run, long napplied)
{
	if (package_insert_point(run, &run->insert_at, &run->insert_why,
				 &run->insert_line))
		return -1;
	run->insert_entry = run->insert_why
		? package_entries_before(run, run->insert_at) : run->nentries;
	if (run->insert_why && (size_t)napplied > run->insert_entry)
		return error("%s: quilt has patches applied past where the new "
			     "ones go: run 'quilt pop -a' first", run->o->source);
	if (run->insert_why && !strcmp(run->insert_why, "marker"))
		printf("debian/patches/series: new patches go before line %ld, "
		       "as its comment says\n", run->insert_line);
	return 0;
}

int package_run(struct package_run *run, struct patch_list *list)
{
	size_t i;
	long napplied;
	int ret = 0, carried = 0;

	run->carried = xcalloc(list->n + 1, sizeof(*run->carried));
	run->ncarried = list->n;
	for (i = 0; i < list->n; i++)
		run->carried[i].name = package_carried_name(run->o, &list->v[i], i + 1);
	package_security_names(run, list);
	napplied = package_quilt_applied(run);
	if (napplied < 0 || find_insert_point(run, napplied) ||
	    tree_open_dir(&run->tree, "source", run->o->source) ||
	    package_apply_own_patches(run, (size_t)napplied, run->insert_entry,
				      0))
		return EXIT_USAGE;
	for (i = 0; i < list->n && ret != 1; i++) {
		ret = package_carry_one(run, &list->v[i], &run->carried[i]);
		if (ret < 0)
			return EXIT_USAGE;
		carried += ret == 0;
	}
	if (ret == 1)
		return EXIT_CONFLICT;
	if (!carried) {
		printf("nothing to do: no patch left to carry into %s\n",
		       run->o->source);
		return EXIT_OK;
	}
	package_security_unclash(run);
	ret = package_apply_own_patches(run, run->insert_entry, run->nentries,
					1);
	if (ret)
		return ret > 0 ? EXIT_CONFLICT : EXIT_USAGE;
	return write_changes(run) ? EXIT_USAGE : EXIT_OK;
}

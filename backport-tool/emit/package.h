/*
 * package.h - a series carried into a Debian source package: the run that
 * "backport-tool package" (cmd/cmd_package.c) drives, in four files:
 *   package_source.c  the source as dpkg-source sees it, own patches applied
 *   package_carry.c   each new patch placed, refreshed, named and DEP-3'd
 *   package_debian.c  debian/changelog, debian/patches/series, debian/control
 *   package_security.c  CVE names and bullets, the series' insertion point
 *   package.c         reading debian/ and writing it back in one commit
 */
#ifndef BT_PACKAGE_H
#define BT_PACKAGE_H

#include "emit/changelog.h"
#include "place/apply.h"
#include "emit/version.h"
#include "input/input.h"
#include "tree/fsio.h"
#include "util.h"

struct package_opts {
	struct input in;
	const char *source, *bug, *vendor_dir, *release, *distribution;
	const char *message, *upstream_url, *applied_upstream, *changes_since;
	const char *before;         /* --before PATCH: new entries go there */
	const char *cve;            /* --cve ID: for patches that name none */
	struct version_req req;
	int vendor_given, dry_run, amend, force, source_package;
	int no_adapt;   /* --no-adapt: conflicting hunks stay conflicts */
	const char *base; /* --base REV: the source's upstream revision */
};

/* One new patch as it will be carried. */
struct carried {
	char *name;     /* relative to debian/patches */
	char *text;     /* the refreshed patch */
	size_t len, diff_at;
	const char *subject;
	char *cves;     /* "CVE-1_CVE-2" in a security upload, or NULL */
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
	size_t insert_at;           /* offset in series text for new entries */
	size_t insert_entry;        /* how many entries come before them */
	const char *insert_why;     /* "--before", "marker", or NULL: the end */
	long insert_line;
};

/* cmd_package.c */
char *package_source_path(const struct package_opts *o, const char *rel);
/* package_source.c */
int package_read_source_file(const struct package_opts *o, const char *rel,
			    struct strbuf *out);
int package_check_format(const struct package_opts *o);
void package_series_names(const char *text, char ***out, size_t *n);
void package_free_names(char **v, size_t n);
long package_quilt_applied(struct package_run *run);
int package_apply_own_patches(struct package_run *run, size_t from,
			      size_t to, int after_new);
void package_add_slug(struct strbuf *out, const char *text, size_t max);
/* package_carry.c */
const char *package_vendor_dir(const struct package_opts *o);
char *package_carried_prefix(const struct package_opts *o, const char *tail);
char *package_carried_name(const struct package_opts *o, const struct patch *p,
			  size_t n);
int package_carried_unchanged(const struct package_run *run,
			     const struct carried *c);
int package_carry_one(struct package_run *run, const struct patch *p,
		     struct carried *c);
void package_add_short_name(struct strbuf *sb, const char *name);
/* package_debian.c */
int package_make_control(const struct package_run *run, struct strbuf *out);
int package_make_changelog(struct package_run *run, struct strbuf *out);
int package_make_series(const struct package_run *run, struct strbuf *out);
/* package_security.c */
size_t package_patch_cves(const struct patch *p, char ***out);
int package_cve_valid(const char *id);
void package_security_names(struct package_run *run,
			    const struct patch_list *list);
char *package_security_bullet(const struct package_run *run, size_t i);
void package_security_unclash(struct package_run *run);
int package_insert_point(const struct package_run *run, size_t *at,
			 const char **why, long *lineno);
size_t package_entries_before(const struct package_run *run, size_t at);
/* package.c */
int package_read_debian(struct package_run *run);
void package_run_release(struct package_run *run);
int package_run(struct package_run *run, struct patch_list *list);

#endif

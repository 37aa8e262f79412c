/*
 * profile.h - release profiles (series/<release>) and backport manifests
 * (patches/<name>.backport), both deb822.
 *
 * A profile says what a release ships: distribution, package, current
 * version, the upstream base it was built from, the pocket an upload goes
 * to, and the manifests it carries.  A manifest says what to carry: the
 * bug, the description, the upstream repository and commits, and options
 * such as "Headers: trim".  Unknown fields, missing required fields and bad
 * values are refused with FILE:LINE, so a typo never silently changes an
 * upload.
 */
#ifndef BT_PROFILE_H
#define BT_PROFILE_H

#include <stddef.h>

#include "emit/version.h"

struct manifest {
	char *path;
	char *name;             /* file name without .backport */
	char *description;      /* first line: the changelog bullet's text */
	char *bug_ubuntu;       /* Launchpad bug number, or NULL */
	char *bug_debian;       /* Debian bug number, or NULL */
	char *upstream;         /* upstream repository URL, or NULL */
	char *commit_url;       /* base of a commit's web page, or NULL */
	char *applied_upstream; /* upstream version that has it, or NULL */
	char **commits;         /* upstream commit ids, oldest first */
	size_t ncommits;
	int trim_headers;       /* "Headers: trim" */
};

struct profile {
	char *path;
	char *release;          /* codename: focal, bullseye */
	enum vendor vendor;     /* Distribution: ubuntu or debian */
	char *package;          /* source package */
	char *version;          /* the version the release has now */
	char *base;             /* upstream base: a tag like v4.2.0 */
	long line, base_line;   /* of the paragraph and of Base, for messages */
	char *source;           /* Debian source version to fetch, or NULL */
	enum pocket pocket;
	char *release_number;   /* 20.04, 11; NULL when not given */
	char *vendor_dir;       /* debian/patches/<dir>/, or NULL */
	char *changelog_dist;   /* distribution in the changelog entry */
	char *insert_before;    /* Insert-Before: new series entries go
				   before this patch, or NULL */
	char **carry;           /* manifest names */
	size_t ncarry;
};

int profile_read(struct profile *out, const char *path);
void profile_release(struct profile *p);

int manifest_read(struct manifest *out, const char *path);
void manifest_release(struct manifest *m);

/*
 * The manifests a profile carries, read from dir (the patches/ directory
 * next to series/ when dir is NULL).  0 or -1.
 */
int profile_load_manifests(const struct profile *p, const char *dir,
			   struct manifest **out, size_t *n);

#endif

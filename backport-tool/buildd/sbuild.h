/*
 * sbuild.h - build a source package (.dsc) in a cached chroot with sbuild's
 * unshare mode, as one job: check the inputs before anything is written,
 * make or reuse the chroot (chroot.h), run sbuild with an argument vector
 * (never a shell), keep its log and parse it (buildlog.h), and list the
 * binary packages its .changes names.
 *
 * Unshare mode needs no root daemon and no schroot setup, but a
 * subordinate uid/gid range for the user (/etc/subuid, /etc/subgid), also
 * for root; sbuild_check_idmap says what to run when it is missing.
 */
#ifndef BT_SBUILD_H
#define BT_SBUILD_H

#include <stddef.h>

#include "buildd/buildlog.h"
#include "buildd/suite.h"

struct sbuild_opts {
	const char *dsc;
	struct suite suite;
	const char *out;      /* output directory (created) */
	const char *mirror;   /* http://deb.debian.org */
	int jobs;             /* parallel jobs, >= 1 */
	int refresh_chroot;   /* make the cached chroot anew */
	int release_only;     /* no -updates / -security */
	int arch_all;         /* also build Architecture: all packages */
	int no_arch_any;      /* do not build the architecture-dependent ones */
};

struct sbuild_result {
	char *package, *version;  /* from the .dsc */
	char *log;                /* OUT/PKG_VER_amd64.build */
	struct buildlog summary;
	char **debs;              /* .deb file names in out */
	size_t ndebs;
};

/* Source and Version of a .dsc (signed or not): 0, or -1 after an error. */
int sbuild_read_dsc(const char *path, char **package, char **version);

/* Has the current user a subordinate uid and gid range?  0, or -1 after
   an error saying how to add one. */
int sbuild_check_idmap(void);

/*
 * Run the build.  Returns 0 when sbuild ran (r->summary says whether the
 * build succeeded), -1 after an error (bad input, no chroot, sbuild could
 * not run).  Bad input is found before anything is written.
 */
int sbuild_run(const struct sbuild_opts *o, struct sbuild_result *r);
void sbuild_result_release(struct sbuild_result *r);

#endif

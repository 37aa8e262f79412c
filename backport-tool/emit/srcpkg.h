/*
 * srcpkg.h - an uploadable source package from an unpacked source tree:
 * the .dsc and .debian.tar.xz that dpkg-source -b builds next to it, and
 * the PKG_VERSION_source.changes that dpkg-genchanges -S writes, ready for
 * debsign and dput (a Launchpad PPA, the Debian upload queue).
 *
 * The .changes carries every changelog entry since the version the upload
 * updates (-v), and leaves the orig tarball out (-sd): a stable update or
 * an SRU builds on an upstream tarball the archive already has.  Both
 * tools run through proc_run (no shell); their output goes to a log next
 * to the tree, PKG_VERSION_source.log.
 */
#ifndef BT_SRCPKG_H
#define BT_SRCPKG_H

struct srcpkg_opts {
	const char *dir;   /* the unpacked source tree */
	const char *since; /* -v: NULL means the changelog's second entry */
};

struct srcpkg {
	char *package, *version, *since; /* since: NULL without -v */
	char *dsc, *changes, *log;       /* paths next to the tree */
};

/*
 * Check the tree (debian/changelog, debian/control, the orig tarball a
 * non-native format needs next to it) before anything is written, then
 * build.  Returns 0, or -1 after one error line (naming the log when a
 * tool failed).
 */
int srcpkg_build(const struct srcpkg_opts *o, struct srcpkg *out);
void srcpkg_release(struct srcpkg *s);

/* What package and release print after a build: the files and the next
   steps (debsign, dput). */
void srcpkg_print(const struct srcpkg *s);

/* The checks srcpkg_build starts with, for a caller that writes into the
   tree first (package): 0, or -1 after the error. */
int srcpkg_check(const char *dir, const char *since);

/* package --source-package: build from dir (since NULL: the second
   changelog entry), print; an exit status (EXIT_OK, or EXIT_USAGE after an
   error). */
int srcpkg_emit(const char *dir, const char *since);

#endif

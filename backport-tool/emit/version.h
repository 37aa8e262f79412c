/*
 * version.h - the next Debian or Ubuntu version for an upload, by pocket.
 *
 * Versions are parsed and compared with libdpkg (deb-version(5)), so what
 * "sorts above" means here is exactly what dpkg and the archive think.  The
 * rules are the distributions' own conventions (see DESIGN.md):
 *
 *   devel      Ubuntu 5ubuntu7 -> 5ubuntu8, 2.0-2 -> 2.0-2ubuntu1;
 *              Debian 2.0-2 -> 2.0-3
 *   sru        3ubuntu6.4 -> 3ubuntu6.5, 5ubuntu8 -> 5ubuntu8.1,
 *              2.0-2 -> 2.0-2ubuntu0.1; with a release number (the same
 *              version in two releases) 2.0-2 -> 2.0-2ubuntu0.20.04.1
 *   ppa        the version of the real upload (base pocket) + "~ppa1";
 *              X~ppaN -> X~ppa(N+1)
 *   backports  Ubuntu 2.0-2 -> 2.0-2~bpo20.04.1, Debian 2.0-2 -> 2.0-2~bpo11+1
 *              (both sort below the version they backport)
 *   stable     Debian 2.0-2+deb11u3 -> 2.0-2+deb11u4, 2.0-2 -> 2.0-2+deb11u1
 *   security   Debian as stable (+debNuM, one numbering for bullseye and
 *              bullseye-security); Ubuntu as sru (ubuntuX.Y), the pocket
 *              being the distribution's -security suffix
 *
 * Epochs are always kept.
 */
#ifndef BT_VERSION_H
#define BT_VERSION_H

#include "util.h"

enum pocket {
	POCKET_DEVEL,
	POCKET_SRU,
	POCKET_PPA,
	POCKET_BACKPORTS,
	POCKET_STABLE,
	POCKET_SECURITY
};

enum vendor {
	VENDOR_DEBIAN,
	VENDOR_UBUNTU
};

/* "devel" ... "security"; 0, or -1 after an error naming the word. */
int pocket_parse(const char *word, enum pocket *out);
const char *pocket_name(enum pocket p);

/* "debian" or "ubuntu"; 0, or -1 after an error. */
int vendor_parse(const char *word, enum vendor *out);
const char *vendor_name(enum vendor v);

/* The vendor a pocket implies when none is given: stable is Debian's,
   backports and security follow the release number's form (11 or 20.04;
   security without one is Debian's), the rest are Ubuntu's. */
enum vendor vendor_default(enum pocket p, const char *release);

/* The release number of a Debian codename ("bullseye" -> "11", with any
   "-security" or "-updates" suffix), or NULL when unknown. */
const char *debian_release_number(const char *codename);

struct version_req {
	enum pocket pocket;
	enum vendor vendor;
	const char *release;    /* "20.04", "11", or NULL when not given */
	enum pocket ppa_base;   /* ppa: the pocket of the real upload (sru) */
};

/*
 * The version after cur for req, in out (reset first).  Returns 0, or -1
 * after an error (cur is not a valid version, a rule needs a release number
 * it was not given).  The result is checked with libdpkg: it sorts above cur
 * (below it for backports, as the archives want).
 */
int version_next(const char *cur, const struct version_req *req,
		 struct strbuf *out);

/* Is v a valid Debian version?  1 or 0; *why (static) says why not. */
int version_valid(const char *v, const char **why);

/*
 * Compare two versions as dpkg does: *cmp < 0, 0 or > 0.  Returns 0, or -1
 * after an error when either is not a valid version.
 */
int version_compare(const char *a, const char *b, int *cmp);

#endif

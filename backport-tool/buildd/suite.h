/*
 * suite.h - the Debian releases backport-tool can make a build chroot for,
 * and the archive sources (apt lines) of each one: the release itself (what
 * the cached chroot is made of) and its -updates and -security suites where
 * the release has them (what a build adds, as Debian's buildds build
 * stable updates against them).
 */
#ifndef BT_SUITE_H
#define BT_SUITE_H

#include <stddef.h>

struct suite {
	const char *name;   /* the codename: bullseye */
	int updates;        /* has NAME-updates */
	int security;       /* has NAME-security on debian-security */
};

/*
 * The suite a name means: a codename (bullseye), an alias (unstable is
 * sid), or a changelog distribution of it (bullseye-security,
 * bookworm-proposed-updates).  0, or -1 after an error listing the known
 * suites.
 */
int suite_lookup(const char *name, struct suite *out);

/* The known codenames, space-separated, for messages and --help. */
const char *suite_known(void);

/*
 * The apt lines ("deb URL SUITE main") for mirror (e.g.
 * http://deb.debian.org, no trailing slash needed): the release's when
 * updates is 0, else its -updates and -security ones.  Returns how many
 * (at most 2) were written to lines, each malloc'd.
 */
size_t suite_sources(const struct suite *s, const char *mirror, int updates,
		     char *lines[2]);

#endif

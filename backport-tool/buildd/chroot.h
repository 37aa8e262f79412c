/*
 * chroot.h - the build chroots, kept as tarballs in the cache:
 *
 *     $BACKPORT_TOOL_CACHE/chroot/<suite>-amd64.tar.zst
 *     (default cache: $XDG_CACHE_HOME/backport-tool, ~/.cache/backport-tool)
 *
 * made once with "mmdebstrap --mode=unshare --variant=buildd" from
 * Debian's archive (no root daemon, no schroot configuration) and used by
 * sbuild's unshare mode, which unpacks a fresh copy for every build.  A
 * tarball is built beside its final name and renamed, under a lock, so
 * that several builds can ask for the same chroot at once.
 */
#ifndef BT_CHROOT_H
#define BT_CHROOT_H

#include "buildd/suite.h"


/*
 * The tarball for suite: made from mirror when it is missing or refresh is
 * set (progress in CACHE/chroot/<suite>-amd64.log).  *path is malloc'd.
 * Returns 0, or -1 after an error naming the log.
 */
int chroot_ensure(const struct suite *s, const char *mirror, int refresh,
		  char **path);

#endif

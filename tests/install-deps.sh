#!/bin/sh
# install-deps.sh - install the Debian packages that building and testing
# backport-tool need, when they are missing.  Does nothing when all are
# there, so "make check" can call it on every run.
#
#   build:      gcc, make, pkg-config, libgit2-dev, libjansson-dev,
#               libdpkg-dev (Debian version logic), zlib1g-dev (binary
#               patch data), libcmocka-dev
#   reference:  quilt, patch, git, dpkg-dev (the tools we compare with)
#   data:       apt (apt-get source), xz-utils, ca-certificates,
#               debian-archive-keyring (verifies the archive, also on Ubuntu)
#   bench:      hyperfine, eatmydata (shows what backport-tool's fsyncs cost),
#               wiggle (make fidelity compares with it)
#   tests:      jq (reads check --format json), lintian (judges the
#               patches and changelog that package writes)
#   safety:     clang, libclang-rt-dev (libFuzzer, ASan, UBSan), valgrind
#   build:      sbuild (backport-tool build), mmdebstrap (its chroot),
#               uidmap (newuidmap for sbuild's unshare mode), zstd (the
#               cached chroot tarball), dput (the upload, simulated)
#   --build:    autoconf, automake, libtool, cmake, meson, ninja-build (the
#               build systems t2120 configures its small projects with)
#
# sbuild's unshare mode also needs a subordinate uid/gid range for the
# user who builds (root too); one is added when the user has none.

PKGS="gcc make pkg-config libgit2-dev libjansson-dev libdpkg-dev zlib1g-dev libcmocka-dev
quilt patch git dpkg-dev debhelper xz-utils ca-certificates debian-archive-keyring
hyperfine eatmydata wiggle jq lintian
clang libclang-rt-dev valgrind
sbuild mmdebstrap uidmap zstd dput
autoconf automake libtool cmake meson ninja-build
$EXTRA_PKGS"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' ||
		missing="$missing $p"
done
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo

if [ -n "$missing" ]; then
	echo "install-deps: installing:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq >/dev/null &&
		$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null ||
		exit 1
fi

# A subuid/subgid range for sbuild --chroot-mode=unshare (and mmdebstrap).
user=$(id -un)
if ! grep -q "^$user:" /etc/subuid 2>/dev/null || ! grep -q "^$user:" /etc/subgid 2>/dev/null; then
	echo "install-deps: adding subuid/subgid range 100000-165535 for $user (sbuild unshare mode)" >&2
	$SUDO usermod --add-subuids 100000-165535 --add-subgids 100000-165535 "$user"
fi

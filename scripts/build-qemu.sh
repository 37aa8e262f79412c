#!/bin/sh
# build-qemu.sh - "make qemu": build QEMU for a release profile with the
# backport queue backport-tool prepared, and smoke-test the result.
#
#   RELEASE=focal|groovy   the profile in series/
#   QEMU_GIT=DIR           a QEMU clone with full history (and tags)
#   KEYCODEMAPDB_GIT=DIR   a clone of qemu's keycodemapdb, for the
#                          ui/keycodemapdb submodule configure needs; by
#                          default the clone's own submodule is used
#   BUILD=build            where backport-tool and the output live
#
# Steps: backport-tool release (queue + report), quilt push -a --fuzz=0 on
# the exported base, configure for s390x-softmmu only, build, then check
# that "-device help" lists vfio-ccw and that the channel path handling is
# compiled in (the CRW notifier and the schib store handler are in nm).
set -eu

say() { printf 'build-qemu: %s\n' "$*" >&2; }
die() { say "$*"; exit 2; }

RELEASE=${RELEASE:-}
BUILD=${BUILD:-build}
[ -n "$RELEASE" ] || die "set RELEASE=focal or RELEASE=groovy"
[ -f "series/$RELEASE" ] || die "series/$RELEASE: no such release profile"
[ -n "${QEMU_GIT:-}" ] || die "set QEMU_GIT to a QEMU clone with full history"
export QEMU_GIT
: "${DEBFULLNAME:=backport-tool}" "${DEBEMAIL:=backport-tool@localhost}"
export DEBFULLNAME DEBEMAIL

git_q() { # git on the clone, bare or not
	if [ -d "$QEMU_GIT/.git" ]; then git -C "$QEMU_GIT" "$@"; else git --git-dir="$QEMU_GIT" "$@"; fi
}

base=$(sed -n 's/^Base: *//p' "series/$RELEASE")
out="$BUILD/$RELEASE"
start=$(date +%s)

say "preparing the queue for $RELEASE (base $base)"
"$BUILD/backport-tool" release --profile "series/$RELEASE" --out "$BUILD" ||
	die "backport-tool release failed; see $out/report.md"

say "applying the queue with quilt"
(cd "$out/src" && QUILT_PATCHES=debian/patches quilt push -a --fuzz=0 -q) >"$out/quilt.log" 2>&1 ||
	die "quilt push failed; see $out/quilt.log"

# configure needs ui/keycodemapdb, a submodule a git export lacks.
kc=$(git_q ls-tree "$base" ui/keycodemapdb | awk '{ print $3 }')
if [ -n "$kc" ] && [ ! -e "$out/src/ui/keycodemapdb/tools/keymap-gen" ]; then
	src=${KEYCODEMAPDB_GIT:-}
	if [ -z "$src" ]; then
		for d in "$QEMU_GIT/.git/modules/ui/keycodemapdb" "$QEMU_GIT/modules/ui/keycodemapdb"; do
			[ -d "$d" ] && src=$d && break
		done
	fi
	[ -n "$src" ] || die "ui/keycodemapdb: set KEYCODEMAPDB_GIT to a clone of qemu's keycodemapdb (commit $kc)"
	say "ui/keycodemapdb at $kc"
	mkdir -p "$out/src/ui/keycodemapdb"
	if [ -d "$src/.git" ]; then git -C "$src" archive "$kc"; else git --git-dir="$src" archive "$kc"; fi |
		tar -x -C "$out/src/ui/keycodemapdb"
fi

say "configuring (s390x-softmmu only)"
mkdir -p "$out/obj"
(cd "$out/obj" && ../src/configure --target-list=s390x-softmmu --disable-werror \
	--disable-docs --disable-tools --disable-guest-agent --disable-slirp \
	--disable-capstone --disable-gtk --disable-sdl --disable-vnc --disable-xen \
	--disable-spice --disable-opengl --disable-libusb --disable-user \
	--python=python3) >"$out/configure.log" 2>&1 ||
	die "configure failed; see $out/configure.log"

say "building with $(nproc) jobs (log: $out/make.log)"
# binutils 2.40 rejects 4.2's option ROM link without this
make -C "$out/obj" -j"$(nproc)" LDFLAGS_NOPIE=-no-pie >"$out/make.log" 2>&1 ||
	die "the build failed; see $out/make.log"

bin="$out/obj/s390x-softmmu/qemu-system-s390x"
[ -x "$bin" ] || die "$bin was not built"
"$bin" -device help >"$out/devices.txt" 2>&1 || true
grep -q '"vfio-ccw"' "$out/devices.txt" || die "vfio-ccw is not among the devices"
for sym in vfio_ccw_crw_notifier_handler vfio_ccw_handle_store; do
	nm "$bin" | grep -q " $sym\$" || die "$sym is not in the binary"
done
say "ok: $bin lists vfio-ccw and has channel path handling; $(( $(date +%s) - start )) s"

#!/bin/sh
# sbuild.sh - "make sbuild RELEASE=bullseye": the demo's upload (bookworm's
# qemu patches packaged as a bullseye stable update, see demo.sh) built
# where Debian builds it, with "backport-tool build" in a clean bullseye
# chroot (sbuild, unshare mode), then lintian on its _source.changes and
# a report with the build's result.  Runs the demo first when its upload
# is missing.  Outside CI: a full qemu build takes hours (see README).
#
#   RELEASE=bullseye    the only release the demo prepares an upload for
#   SBUILD_OPTS=...     more options for backport-tool build, e.g.
#                       --release-only or --jobs 4
#
# What is built follows what the patches touch: the firmware under roms/
# and pc-bios/ is built only in qemu's arch:all build (build-indep:
# openbios, SLOF, s390-ccw, ...), the emulators only in its arch-any one.
# When every patched file is firmware, only the arch:all package
# (qemu-system-data) is built: it compiles exactly the patched code, in a
# fraction of the time of the emulators.
#
# Output in $BUILD/sbuild/$RELEASE: the sbuild log, the .debs,
# lintian.txt and report.md.
set -eu

BUILD=${BUILD:-build}
case "$BUILD" in /*) ;; *) BUILD="$(pwd)/$BUILD" ;; esac
BT="$BUILD/backport-tool"
RELEASE=${RELEASE:-bullseye}
OUT="$BUILD/sbuild/$RELEASE"
DEMO="$BUILD/demo"
export LC_ALL=C

die() { printf 'backport-tool: sbuild: %s\n' "$*" >&2; exit 2; }

case $RELEASE in
bullseye) ;;
focal | groovy)
	die "RELEASE=$RELEASE is Ubuntu's: its chroot needs Ubuntu's archive; build bullseye (the demo's upload)" ;;
*)
	die "RELEASE=$RELEASE: the demo prepares an upload for bullseye only" ;;
esac

if ! ls "$DEMO"/qemu_*_source.changes >/dev/null 2>&1; then
	echo "sbuild: no demo upload yet; running the demo first" >&2
	BUILD="$BUILD" sh scripts/demo.sh
fi
changes=$(ls "$DEMO"/qemu_*_source.changes | head -n 1)
dsc=${changes%_source.changes}.dsc
[ -f "$dsc" ] || die "no $dsc next to $changes"

touched=$(sed 's,^,'"$DEMO"'/selected/,' "$DEMO/selected/series" | xargs cat |
	sed -n 's,^+++ [^/]*/\([^	 ]*\).*,\1,p' | sort -u)
if [ -n "$touched" ] && ! printf '%s\n' "$touched" | grep -qv -e '^roms/' -e '^pc-bios/'; then
	what="--arch-all --no-arch-any"
	echo "sbuild: every patched file is firmware (roms/, pc-bios/): building the arch:all package" >&2
else
	what="--arch-all"
fi

rm -rf "$OUT" && mkdir -p "$OUT"
echo "sbuild: building $(basename "$dsc") for $RELEASE (log in $OUT; this takes long)" >&2
set +e
# shellcheck disable=SC2086 # SBUILD_OPTS and what are lists of options
"$BT" build --suite "$RELEASE" -o "$OUT" $what ${SBUILD_OPTS:-} "$dsc" >"$OUT/build.txt"
status=$?
set -e
cat "$OUT/build.txt"
[ $status -le 1 ] || exit $status

lintian "$changes" 2>&1 | grep -v "^running with root privileges" >"$OUT/lintian.txt" || true
log=$(sed -n 's/^log: //p' "$OUT/build.txt")
{
	"$BT" report --tree "$RELEASE=$DEMO/qemu-5.2" --series "$DEMO/selected/series" \
		--build-log "$log" 2>/dev/null || true
	echo
	echo "## lintian on $(basename "$changes")"
	echo
	if [ -s "$OUT/lintian.txt" ]; then
		echo '```'
		cat "$OUT/lintian.txt"
		echo '```'
	else
		echo "No tags."
	fi
} >"$OUT/report.md"
echo "sbuild: report in $OUT/report.md" >&2
exit $status

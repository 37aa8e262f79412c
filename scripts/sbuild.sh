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

rm -rf "$OUT" && mkdir -p "$OUT"
echo "sbuild: building $(basename "$dsc") for $RELEASE (log in $OUT; this takes long)" >&2
set +e
# shellcheck disable=SC2086 # SBUILD_OPTS is a list of options
"$BT" build --suite "$RELEASE" -o "$OUT" ${SBUILD_OPTS:-} "$dsc" >"$OUT/build.txt"
status=$?
set -e
cat "$OUT/build.txt"
[ $status -le 1 ] || exit $status

lintian "$changes" >"$OUT/lintian.txt" 2>&1 || true
log=$(sed -n 's/^log: //p' "$OUT/build.txt")
{
	"$BT" report --tree "$RELEASE=$DEMO/qemu-5.2" --series "$DEMO/selected/series" \
		--build-log "$log" 2>/dev/null || true
	echo
	echo "## lintian on $(basename "$changes")"
	echo
	echo '```'
	cat "$OUT/lintian.txt"
	echo '```'
} >"$OUT/report.md"
echo "sbuild: report in $OUT/report.md" >&2
exit $status

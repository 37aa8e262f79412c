#!/bin/sh
# demo.sh - "make demo": the whole flow on a real question, with real data
# from Debian's archive: which of bookworm's qemu 7.2 patches backport to
# bullseye's qemu 5.2, how noisy, with what risks?  The ones that apply are
# packaged as a bullseye stable update (.dsc and _source.changes, from
# package --source-package) and verified with quilt; a
# trimmed linux-headers update for QEMU 7.2's vfio code is shown; all of it
# ends in build/demo/report.md.
#
# Progress goes to a terminal only; piped, the demo prints one line.
set -eu

BUILD=${BUILD:-build}
case "$BUILD" in /*) ;; *) BUILD="$(pwd)/$BUILD" ;; esac
BT="$BUILD/backport-tool"
OUT="$BUILD/demo"
CACHE=${BACKPORT_TOOL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/backport-tool}
BULLSEYE=1:5.2+dfsg-11+deb11u3
BOOKWORM=1:7.2+dfsg-7+deb12u18
export CACHE LC_ALL=C
: "${DEBFULLNAME:=backport-tool demo}" "${DEBEMAIL:=demo@backport-tool.invalid}"
: "${SOURCE_DATE_EPOCH:=$(date +%s)}"
export DEBFULLNAME DEBEMAIL SOURCE_DATE_EPOCH

if [ -t 2 ]; then
	step() { printf '\033[1mdemo:\033[0m %s\n' "$*" >&2; }
else
	step() { :; }
	exec 3>&2 2>"$BUILD/demo.log"
fi
die() { printf 'backport-tool: demo: %s\n' "$*" >&"${DEMO_ERR:-2}"; exit 2; }
[ -t 2 ] || DEMO_ERR=3

. tests/lib/debsrc.sh

step "asking Debian's archive (cache: $CACHE)"
debsrc_available || die "Debian's archive does not answer"
step "qemu $BULLSEYE (bullseye) and $BOOKWORM (bookworm), linux-libc-dev (bookworm)"
bull=$(debsrc_unpacked qemu "$BULLSEYE") || die "cannot fetch qemu $BULLSEYE"
bullp=$(debsrc_patched qemu "$BULLSEYE") || die "cannot patch qemu $BULLSEYE"
book=$(debsrc_unpacked qemu "$BOOKWORM") || die "cannot fetch qemu $BOOKWORM"
lld=$(debbin_unpacked linux-libc-dev bookworm) || die "cannot fetch linux-libc-dev"

rm -rf "$OUT" && mkdir -p "$OUT/selected"

step "judging each of bookworm's $(grep -c '^[^#]' "$book/debian/patches/series") patches alone on bullseye"
set +e
"$BT" check --independent --tree bullseye="$bullp" --series "$book/debian/patches/series" \
	--format json >"$OUT/check.json" 2>"$OUT/check.log"
"$BT" check --independent --tree bullseye="$bullp" --series "$book/debian/patches/series" \
	--format markdown >"$OUT/verdicts.md" 2>>"$OUT/check.log"
set -e
[ -s "$OUT/check.json" ] || die "check failed"

# The candidates: patches that place (with at most fuzz), not those already
# there or conflicting.  Then keep only those that still apply together.
jq -r '.patches[] | select(.results[0].verdict | IN("clean","offset","fuzz")) | .name' \
	"$OUT/check.json" >"$OUT/selected/series"
while IFS= read -r p; do
	mkdir -p "$OUT/selected/$(dirname "$p")"
	cp "$book/debian/patches/$p" "$OUT/selected/$p"
done <"$OUT/selected/series"
while :; do
	set +e
	"$BT" check --tree bullseye="$bullp" --series "$OUT/selected/series" --format json \
		>"$OUT/together.json" 2>>"$OUT/check.log"
	set -e
	bad=$(jq -r '.patches[] | select(.results[0].verdict == "conflict") | .name' "$OUT/together.json" | head -n 1)
	[ -n "$bad" ] || break
	grep -vxF "$bad" "$OUT/selected/series" >"$OUT/selected/series.new" || true
	mv "$OUT/selected/series.new" "$OUT/selected/series"
done
n=$(grep -c . "$OUT/selected/series" || true)
[ "$n" -gt 0 ] || die "no bookworm patch backports to bullseye"
step "$n patches backport; linting them"
"$BT" lint --series "$OUT/selected/series" >"$OUT/lint.txt" 2>&1 || true

step "packaging them into bullseye's source as a stable update (.dsc, _source.changes)"
tree_copy "$bull" "$OUT/qemu-5.2" >/dev/null
ln -sf "$CACHE/src/qemu_5.2+dfsg.orig.tar.xz" "$OUT/"
"$BT" package --source "$OUT/qemu-5.2" --pocket stable --release-number 11 \
	${DEMO_BUG:+--bug "$DEMO_BUG"} -m "Backport fixes from qemu $BOOKWORM (bookworm)" \
	--series "$OUT/selected/series" --source-package >"$OUT/package.log" 2>&1 ||
	die "package failed; see $OUT/package.log"
version=$(cd "$OUT/qemu-5.2" && dpkg-parsechangelog -S Version)

step "verifying with quilt ($version; dpkg-source -b ran in package)"
(cd "$OUT/qemu-5.2" && QUILT_PATCHES=debian/patches quilt push -a --fuzz=0 -q &&
	QUILT_PATCHES=debian/patches quilt pop -a -q) >"$OUT/quilt.log" 2>&1 ||
	die "quilt push -a --fuzz=0 failed; see $OUT/quilt.log"

step "trimming bookworm's uapi headers to what qemu 7.2's hw/vfio uses"
"$BT" headers --tree "$bullp" --source-dir "$lld/usr/include" \
	$(for c in "$book"/hw/vfio/*.c; do printf -- '--consumer %s ' "$c"; done) \
	-o "$OUT/headers.patch" >"$OUT/headers.txt" 2>&1 || true

step "writing the report"
{
	"$BT" report --tree bullseye="$bullp" --series "$OUT/selected/series" 2>>"$OUT/check.log" || true
	echo
	echo "## All of bookworm's patches on bullseye, each alone"
	echo
	cat "$OUT/verdicts.md"
	echo
	echo "## The upload"
	echo
	echo "\`$version\`, verified with \`quilt push -a --fuzz=0\` and \`dpkg-source -b\`;"
	echo "the upload is \`$(basename "$(ls "$OUT"/qemu_*_source.changes)")\` (unsigned;"
	echo "\`make sbuild RELEASE=bullseye\` builds it in a clean chroot):"
	echo
	echo '```'
	sed -n '1,/^ -- /p' "$OUT/qemu-5.2/debian/changelog"
	echo '```'
	echo
	echo "## Trimmed linux-headers for qemu 7.2's hw/vfio on 5.2"
	echo
	echo '```'
	head -n 40 "$OUT/headers.txt"
	echo '```'
	echo
	echo "The trimmed diff: \`headers.patch\` ($(grep -c '^+[^+]' "$OUT/headers.patch" 2>/dev/null || echo 0) added lines)."
} >"$OUT/report.md"

printf 'backport-tool: demo: %s of %s bookworm patches backport (%s); report in %s\n' \
	"$n" "$(jq '.patches | length' "$OUT/check.json")" "$version" "$OUT/report.md" >&"${DEMO_ERR:-2}"

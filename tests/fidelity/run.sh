#!/bin/sh
# run.sh - `make fidelity`: GNU patch, git apply --3way, wiggle and
# backport-tool measured against the backports Debian's maintainers made by
# hand.
#
# Data, built when it runs: for each project of tests/fidelity/projects
# whose history variable (QEMU_GIT, LIBXML2_GIT, ...) is set, the Debian
# source packages of the listed releases are fetched from the archive
# (tests/lib/debsrc.sh: the private apt configuration, cached under
# ~/.cache/backport-tool), and every patch of their series that cites one
# upstream commit makes a pair.  score.sh says how each tool does on each
# pair; summary.pl writes the tables.  A project whose variable is unset is
# skipped, saying so.
#
#   FIDELITY_ONLY=PAT  only the projects whose name contains PAT
#   FIDELITY_OUT=DIR   where the results go (default $BUILD/fidelity)
#
# Output: $BUILD/fidelity/results.md, results.json, pairs.tsv (one line a
# patch) and diffs/ (the result of every tool that said it succeeded but
# differs from the maintainer's, as a diff from it).

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
BUILD=${BUILD:-build}
case "$BUILD" in /*) ;; *) BUILD="$top/$BUILD" ;; esac
BT="$BUILD/backport-tool"
CACHE=${BACKPORT_TOOL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/backport-tool}
OUT=${FIDELITY_OUT:-$BUILD/fidelity}
export BT LC_ALL=C TZ=UTC
. "$top/tests/lib/debsrc.sh"

log() { printf 'fidelity: %s\n' "$*" >&2; }

for t in patch git wiggle perl; do
	command -v "$t" >/dev/null || { log "$t is missing (make deps installs it)"; exit 2; }
done
[ -x "$BT" ] || { log "$BT is missing (make BUILD=... first)"; exit 2; }

# fetch_release PKG RELEASE: the unpacked tree of the newest version of PKG
# in RELEASE-security or RELEASE that the archive serves.
fetch_release() {
	_versions=$(for _s in "$2-security" "$2"; do
		debsrc_version "$1" "$_s" 2>/dev/null
	done | sort -u | {
		_all=""
		while read -r _v; do _all="$_all $_v"; done
		# newest first, by dpkg's order
		for _v in $_all; do
			_n=0
			for _w in $_all; do dpkg --compare-versions "$_w" gt "$_v" && _n=$((_n + 1)); done
			echo "$_n $_v"
		done | sort -n | cut -d' ' -f2
	})
	# the security archive answers 404 for some of its versions: the
	# next one is tried, and what went wrong is said only if none works
	for _v in $_versions; do
		debsrc_unpacked "$1" "$_v" 2>>"$work/fetch.log" && return 0
	done
	cat "$work/fetch.log" >&2
	log "no version of $1 in $2 could be fetched"
	return 1
}

rm -rf "$OUT" && mkdir -p "$OUT/diffs" || exit 2
work=$(mktemp -d "${TMPDIR:-/tmp}/backport-tool-fidelity.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
: >"$OUT/pairs.tsv"
: >"$OUT/sources"
sed 's/#.*//' tests/fidelity/projects | awk 'NF' >"$work/projects"
while read -r name var pkg releases; do
	case $name in *"${FIDELITY_ONLY:-}"*) ;; *) continue ;; esac
	eval "repo=\${$var:-}"
	if [ -z "$repo" ]; then
		log "skipping $name: $var is unset"
		echo "$name	$var is unset	not measured" >>"$OUT/sources"
		continue
	fi
	git -C "$repo" rev-parse --git-dir >/dev/null 2>&1 ||
		{ log "$var=$repo is not a git repository"; exit 2; }
	if [ -z "${archive:-}" ]; then
		debsrc_available || { log "the Debian archive does not answer"; exit 2; }
		archive=1
	fi
	for rel in $releases; do
		: >"$work/fetch.log"
		tree=$(fetch_release "$pkg" "$rel") || {
			echo "$name	$rel: could not be fetched	not measured" >>"$OUT/sources"
			continue
		}
		label="$rel:$(basename "$tree")"
		log "$name: scoring $label"
		echo "$name	$label" >>"$OUT/sources"
		rm -rf "$work/score" && mkdir "$work/score" || exit 2
		sh tests/fidelity/score.sh "$name" "$label" "$tree" "$repo" "$work/score" \
			>>"$OUT/pairs.tsv" </dev/null || exit 2
		for d in "$work/score/diffs"/*; do
			[ -e "$d" ] && mv "$d" "$OUT/diffs/"
		done
	done
done <"$work/projects"
perl tests/fidelity/summary.pl "$OUT" || exit 2
cat "$OUT/results.md"

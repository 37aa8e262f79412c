#!/bin/sh
# run.sh - `make bench`: backport-tool side by side with quilt, GNU patch
# and git on the same real input, timed with hyperfine.
#
# Method.  Every tool gets the same job on the same file system: a fresh
# tree and the same series.  Each command is timed by its own hyperfine run
# whose --prepare step makes the fresh tree and then syncs, so that no
# write-back of the preparation lands in the measured time.  hyperfine does
# not count --prepare in the timing, so the copying, which costs more than
# applying the series, is subtracted by construction; its cost is measured
# once and shown for scale.  The fresh tree is made by fresh-tree.sh: hard
# links into a private pristine copy, except the files the series touches,
# which are real copies (see that script for why this is a fair "fresh
# copy" for these tools; a plain cp -a of qemu's tree takes 6 to 30 s on a
# shared machine, which made the benchmark take many minutes).  hyperfine
# also subtracts the start-up time of its shell.  Every command is a small
# script run as `sh SCRIPT DIR`, the same wrapper for every tool.  After
# timing, the tree each tool left behind (its last timed run) is compared
# with quilt's (diff -r, file types and modes), and the pristine copy with
# its source: a tool that is fast but wrong makes the benchmark fail.
#
# The headline is ratios (how many times longer the other tool takes than
# backport-tool), not absolute times, which depend on the machine.  Results
# are printed and written to $BUILD/bench/results.md.
#
# Sections live in tests/bench/sections/NN-name.sh and are sourced in
# order; each uses the helpers below (bench_work, bench_pristine,
# bench_touched, bench_script, bench_time, bench_table, bench_same_trees).  Add a section by adding a file.
#
#   BENCH_RUNS=N     timed runs per command (default 5, after one warm-up)
#   BENCH_ONLY=PAT   only the sections whose file name contains PAT
#   BENCH_WORK=DIR   where the trees are made (default: a new directory in
#                    /var/tmp, removed at the end unless BENCH_KEEP=1).  It
#                    must not be inside a git work tree: backport-tool apply
#                    checks a work tree's status before writing, so a tree
#                    under this checkout's build/ would not be a fair test.

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
BUILD=${BUILD:-build}
case "$BUILD" in /*) ;; *) BUILD="$top/$BUILD" ;; esac
BT="$BUILD/backport-tool"
CACHE=${BACKPORT_TOOL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/backport-tool}
BENCH="$BUILD/bench"
RESULTS="$BENCH/results.md"
RUNS=${BENCH_RUNS:-5}
if [ -z "${BENCH_WORK:-}" ]; then
	BENCH_WORK=$(mktemp -d /var/tmp/backport-tool-bench.XXXXXX) || exit 2
	[ -n "${BENCH_KEEP:-}" ] || trap 'rm -rf "$BENCH_WORK"' EXIT
fi
export BT LC_ALL=C TZ=UTC
. "$top/tests/lib/debsrc.sh"

bench_log() { printf 'bench: %s\n' "$*" >&2; }
bench_fail() { bench_log "$*"; exit 1; }

# bench_md TEXT...: a line of the report, on stdout and in results.md.
bench_md() { printf '%s\n' "$*" | tee -a "$RESULTS"; }

# bench_work NAME: an empty work directory for a section.
bench_work() {
	rm -rf "$BENCH_WORK/$1" && mkdir -p "$BENCH_WORK/$1" &&
		echo "$BENCH_WORK/$1"
}

# bench_script FILE < BODY: a command script for hyperfine; it is run as
# `sh FILE DIR`, with $1 the tree to work on.
bench_script() {
	cat >"$1" && chmod +x "$1"
}

# bench_pristine WORK SRC: a private copy of SRC to make fresh trees from.
bench_pristine() {
	cp -a "$2" "$1/pristine" && echo "$1/pristine"
}

# bench_touched SERIES: every path the series' patches name (-p1), one a
# line; a few false hits (a "--- " line in a description) cost nothing.
bench_touched() {
	sed 's/#.*//' "$1" | awk 'NF { print $1 }' |
	while read -r p; do cat "$(dirname "$1")/$p"; done |
	sed -n 's/^\(---\|+++\|rename from\|rename to\|copy from\|copy to\) //p' |
	sed 's/\t.*//; /^\/dev\/null$/d; s|^[^/]*/||' | sort -u
}

# bench_fresh PRISTINE LIST DIR: the --prepare command for bench_time.
bench_fresh() {
	echo "sh '$top/tests/bench/fresh-tree.sh' '$1' '$2' '$3'"
}

# bench_time ID PREPARE DIR SCRIPT: time `sh SCRIPT DIR`, each run after
# PREPARE has made DIR fresh.  PREPARE is a shell command, or a directory
# to copy to DIR (cp -a, then sync).  Statistics go to $BENCH/ID.json.
bench_time() {
	bench_log "timing $1 ($RUNS runs)"
	prepare=$2
	[ -d "$2" ] && prepare="rm -rf '$3' && cp -a '$2' '$3' && sync"
	set -- "$1" "$prepare" "$3" "$4"
	hyperfine --style basic --warmup 1 --runs "$RUNS" --prepare "$2" \
		-n "$1" "sh '$4' '$3'" \
		--export-json "$BENCH/$1.json" >"$BENCH/$1.log" 2>&1 || {
		bench_log "$1 failed; once more, with its output:"
		sh -c "$2" && sh "$4" "$3" 2>&1 | tail -n 20 >&2
		bench_fail "$1 failed"
	}
}

# bench_stat ID FIELD: a statistic of a timed command in ms: a field of
# hyperfine's JSON (mean, median, stddev, user, system) or "cpu", the
# mean user + system time of the command and all its child processes.
bench_stat() {
	case $2 in
	cpu) jq -r "(.results[0].user + .results[0].system) * 1000" "$BENCH/$1.json" ;;
	*) jq -r ".results[0].$2 * 1000" "$BENCH/$1.json" ;;
	esac
}

# bench_table REF ID:LABEL...: the ratio table, REF (backport-tool) first.
# Wall-clock time is the median (robust to a busy machine's outliers); CPU
# time (user + system, children included) hardly depends on how many other
# processes share the CPUs, but leaves out time spent waiting for the disk.
bench_table() {
	ref=$1; shift
	bench_md ""
	bench_md "| tool | wall, median (ms) | σ (ms) | CPU (ms) | wall vs backport-tool | CPU vs backport-tool |"
	bench_md "|------|------------------:|-------:|---------:|----------------------:|---------------------:|"
	for entry in "$ref:backport-tool" "$@"; do
		id=${entry%%:*} label=${entry#*:}
		bench_md "$(awk -v l="$label" -v m="$(bench_stat "$id" median)" \
			-v s="$(bench_stat "$id" stddev)" -v c="$(bench_stat "$id" cpu)" \
			-v rm="$(bench_stat "$ref" median)" -v rc="$(bench_stat "$ref" cpu)" \
			'BEGIN { printf "| %s | %.1f | %.1f | %.1f | %.1fx | %.1fx |", l, m, s, c, m / rm, c / rc }')"
	done
}

# bench_ratio ID REF [FIELD]: how many times longer ID takes than REF, by
# median wall-clock time or FIELD (see bench_stat).
bench_ratio() {
	awk -v a="$(bench_stat "$1" "${3:-median}")" -v b="$(bench_stat "$2" "${3:-median}")" \
		'BEGIN { printf "%.1f", a / b }'
}

# bench_target ID REF MIN WHAT: say whether backport-tool (REF) is MIN times
# faster than ID, by wall-clock and by CPU time.
bench_target() {
	r=$(bench_ratio "$1" "$2") c=$(bench_ratio "$1" "$2" cpu)
	met() { awk -v r="$1" -v m="$2" 'BEGIN { exit !(r >= m) }' && echo met || echo "NOT met"; }
	bench_md "- $4: ${r}x wall-clock ($(met "$r" "$3")), ${c}x CPU ($(met "$c" "$3")); target >= ${3}x"
}

# manifest DIR: every path with its type and mode, without quilt's .pc.
bench_manifest() {
	(cd "$1" && find . -path ./.pc -prune -o -printf '%y %m %p -> %l\n' | sort)
}

# bench_same_trees REF DIR...: each DIR has the same files, contents and
# modes as REF (quilt's .pc aside).
bench_same_trees() {
	ref=$1; shift
	bench_manifest "$ref" >"$BENCH/manifest.ref"
	status=0
	for d in "$@"; do
		if diff -r --no-dereference -x .pc "$ref" "$d" >"$BENCH/diff.out" 2>&1 &&
			bench_manifest "$d" | cmp -s "$BENCH/manifest.ref" -; then
			bench_md "- same tree as $(basename "$ref"): $(basename "$d")"
		else
			cp "$BENCH/diff.out" "$BENCH/diff-$(basename "$d").out"
			bench_md "- DIFFERENT tree: $(basename "$d") (see $BENCH/diff-$(basename "$d").out)"
			status=1
		fi
	done
	return $status
}

git -C "$BENCH_WORK" rev-parse 2>/dev/null &&
	bench_fail "BENCH_WORK=$BENCH_WORK is inside a git work tree"
command -v hyperfine >/dev/null || bench_fail "hyperfine is not installed (make deps)"
[ -x "$BT" ] || bench_fail "no $BT: run make first"
mkdir -p "$BENCH" && : >"$RESULTS" || exit 2
bench_md "# backport-tool benchmarks"
bench_md ""
bench_md "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $RUNS runs per command after one warm-up;"
bench_md "hyperfine $(hyperfine --version | cut -d' ' -f2), quilt $(quilt --version), $(patch --version | head -n 1), $(git --version)."

failed=0
for section in "$top"/tests/bench/sections/*.sh; do
	case "$(basename "$section")" in *${BENCH_ONLY:-}*) ;; *) continue ;; esac
	( . "$section" ) || failed=1
done
bench_log "results in $RESULTS"
exit $failed

# 10-apply.sh - a whole quilt series applied to a fresh orig tree:
# qemu's bullseye series (73 patches) by backport-tool apply, quilt push -a,
# a loop of GNU patch, a loop of git apply, and one git apply of them all;
# beside them the floor (floor.pl: the touched files rewritten by temp file
# + rename, no patching).  Run twice: in BENCH_WORK (a disk, where creating
# and freeing files and syncing cost what they cost there) and, when
# BENCH_RAM (default /dev/shm) is a tmpfs, in memory, where what is left is
# what the tools themselves cost.  Sourced by tests/bench/run.sh.

APPLY_VERSION=1:5.2+dfsg-11+deb11u3

debsrc_available || bench_fail "Debian archive unreachable"
orig=$(debsrc_unpacked qemu "$APPLY_VERSION") || bench_fail "no qemu $APPLY_VERSION"
npatches=$(sed 's/#.*//' "$orig/debian/patches/series" | awk 'NF' | wc -l)

# apply_run ROOT ID TITLE: the comparison with its trees below ROOT, the
# timings stored as ID-*.json.
apply_run() {
	work="$1/apply" run=$2
	rm -rf "$work" && mkdir -p "$work" || exit 1
	pristine=$(bench_pristine "$work" "$orig") || exit 1
	bench_touched "$pristine/debian/patches/series" >"$work/touched"
	fresh() { bench_fresh "$pristine" "$work/touched" "$work/$1"; }

	# Every script gets the tree as $1 and reads the series inside it.
	bench_script "$work/bt.sh" <<'EOF'
cd "$1" && exec "$BT" apply --series debian/patches/series
EOF
	# The same, with syncing made a no-op: backport-tool makes its commit
	# durable (a syncfs of the tree's file system at each of the journal's two
	# commit points, an fsync of the journal list) and the other tools do not;
	# this row shows how much of its time that costs.
	bench_script "$work/bt-nosync.sh" <<'EOF'
cd "$1" && exec eatmydata "$BT" apply --series debian/patches/series
EOF
	bench_script "$work/quilt.sh" <<'EOF'
cd "$1" && QUILT_PATCHES=debian/patches exec quilt --quiltrc /dev/null push -a -q >/dev/null
EOF
	bench_script "$work/patch.sh" <<'EOF'
cd "$1" && sed 's/#.*//' debian/patches/series | while read -r p opts; do
	[ -n "$p" ] || continue
	patch ${opts:--p1} -F0 -s --no-backup-if-mismatch <"debian/patches/$p" || exit 1
done
EOF
	# git apply outside a repository acts like patch; the ceiling keeps git
	# from finding a repository above the work directory (e.g. this checkout).
	# --unidiff-zero: the series has hunks without context lines (diff -U0),
	# which git refuses otherwise and patch and quilt apply.
	bench_script "$work/git.sh" <<'EOF'
export GIT_CEILING_DIRECTORIES="$(dirname "$1")"
cd "$1" && sed 's/#.*//' debian/patches/series | while read -r p opts; do
	[ -n "$p" ] || continue
	git apply --unidiff-zero ${opts:--p1} "debian/patches/$p" || exit 1
done
EOF
	bench_script "$work/git1.sh" <<'EOF'
export GIT_CEILING_DIRECTORIES="$(dirname "$1")"
cd "$1" && exec git apply --unidiff-zero $(sed 's/#.*//' debian/patches/series |
	awk 'NF { print "debian/patches/" $1 }')
EOF

	# the floor: see floor.pl
	bench_script "$work/floor.sh" <<EOF
cd "\$1" && exec perl '$top/tests/bench/floor.pl' <'$work/touched'
EOF

	bench_md ""
	bench_md "## apply $3: qemu $APPLY_VERSION, $npatches patches onto the orig tree"
	bench_md ""
	bench_md "Each run starts from a fresh tree ($(du -sh "$orig" | cut -f1), $(wc -l <"$work/touched") files touched),"
	bench_md "made by hyperfine --prepare and not timed."

	# the preparation itself, for scale (not part of any figure below)
	hyperfine --style basic --runs 3 --export-json "$BENCH/$run-fresh.json" "$(fresh scratch)" \
		>"$BENCH/$run-fresh.log" 2>&1 && rm -rf "$work/scratch" &&
		bench_md "(Making one takes $(bench_stat "$run-fresh" mean | cut -d. -f1) ms.)"

	bench_time "$run-bt" "$(fresh bt)" "$work/bt" "$work/bt.sh"
	nosync=""
	if command -v eatmydata >/dev/null; then
		bench_time "$run-bt-nosync" "$(fresh bt-nosync)" "$work/bt-nosync" "$work/bt-nosync.sh"
		nosync="$run-bt-nosync:backport-tool without fsync (eatmydata)"
	fi
	bench_time "$run-quilt" "$(fresh quilt)" "$work/quilt" "$work/quilt.sh"
	bench_time "$run-patch" "$(fresh patch)" "$work/patch" "$work/patch.sh"
	bench_time "$run-git" "$(fresh git)" "$work/git" "$work/git.sh"
	bench_time "$run-git1" "$(fresh git1)" "$work/git1" "$work/git1.sh"
	bench_time "$run-floor" "$(fresh floor)" "$work/floor" "$work/floor.sh"

	bench_table "$run-bt" ${nosync:+"$nosync"} \
		"$run-quilt:quilt push -a" \
		"$run-patch:patch -p1 -F0 -s, one per patch" \
		"$run-git:git apply, one per patch" \
		"$run-git1:git apply, one call with all $npatches patches" \
		"$run-floor:floor: the touched files rewritten by temp file + rename (perl), no patching"
	bench_md ""
	bench_md "backport-tool is faster than:"
	bench_target "$run-quilt" "$run-bt" 50 "quilt push -a"
	bench_target "$run-patch" "$run-bt" 3 "a loop of GNU patch"
	bench_md "- a loop of git apply: $(bench_ratio "$run-git" "$run-bt")x wall-clock, $(bench_ratio "$run-git" "$run-bt" cpu)x CPU;" \
		"one git apply: $(bench_ratio "$run-git1" "$run-bt")x wall-clock, $(bench_ratio "$run-git1" "$run-bt" cpu)x CPU"
	bench_md ""
	bench_md ""
	bench_md "The floor alone takes $(bench_ratio "$run-floor" "$run-bt")x backport-tool's wall-clock time and $(bench_ratio "$run-floor" "$run-bt" cpu)x its CPU time;"
	bench_md "it is $(bench_ratio "$run-quilt" "$run-floor")x faster than quilt push -a and $(bench_ratio "$run-patch" "$run-floor")x faster than the GNU patch loop:"
	bench_md "the most any tool that writes by temp file + rename could reach here."
	if [ -n "$nosync" ]; then
		bench_md ""
		bench_md "Without its fsyncs (eatmydata; no other tool here syncs), backport-tool is"
		bench_md "faster than quilt push -a $(bench_ratio "$run-quilt" "$run-bt-nosync")x, the GNU patch loop $(bench_ratio "$run-patch" "$run-bt-nosync")x,"
		bench_md "the git apply loop $(bench_ratio "$run-git" "$run-bt-nosync")x and one git apply $(bench_ratio "$run-git1" "$run-bt-nosync")x (wall-clock)."
	fi
	bench_md ""
	bench_md "Result trees (last timed run of each):"
	bench_same_trees "$work/quilt" "$work/bt" ${nosync:+"$work/bt-nosync"} \
		"$work/patch" "$work/git" "$work/git1" &&
		bench_same_trees "$orig" "$pristine" "$work/floor"
}

apply_run "$BENCH_WORK" apply "on $(stat -f -c %T "$BENCH_WORK") ($BENCH_WORK)" || exit 1

ram=${BENCH_RAM:-/dev/shm}
need=$(du -sk "$orig" | awk '{ print 2 * $1 }')
if [ "$(stat -f -c %T "$ram" 2>/dev/null)" = tmpfs ] &&
	[ "$(df -Pk "$ram" | awk 'NR == 2 { print $4 }')" -gt "$need" ]; then
	ramwork=$(mktemp -d "$ram/backport-tool-bench.XXXXXX") || exit 1
	trap 'rm -rf "$ramwork"' EXIT
	apply_run "$ramwork" ram "in memory (tmpfs $ram)"
else
	bench_md ""
	bench_md "## apply in memory: skipped ($ram is not a tmpfs with $need KB free)"
fi

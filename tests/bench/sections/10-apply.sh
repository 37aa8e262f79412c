# 10-apply.sh - a whole quilt series applied to a fresh orig tree:
# qemu's bullseye series (73 patches) by backport-tool apply, quilt push -a,
# a loop of GNU patch, a loop of git apply, and one git apply of them all.
# Sourced by tests/bench/run.sh.

APPLY_VERSION=1:5.2+dfsg-11+deb11u3

debsrc_available || bench_fail "Debian archive unreachable"
orig=$(debsrc_unpacked qemu "$APPLY_VERSION") || bench_fail "no qemu $APPLY_VERSION"
work=$(bench_work apply) || exit 1
pristine=$(bench_pristine "$work" "$orig") || exit 1
bench_touched "$pristine/debian/patches/series" >"$work/touched"
fresh() { bench_fresh "$pristine" "$work/touched" "$work/$1"; }
npatches=$(sed 's/#.*//' "$orig/debian/patches/series" | awk 'NF' | wc -l)

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

bench_md ""
bench_md "## apply: qemu $APPLY_VERSION, $npatches patches onto the orig tree"
bench_md ""
bench_md "Each run starts from a fresh tree ($(du -sh "$orig" | cut -f1), $(wc -l <"$work/touched") files touched),"
bench_md "made by hyperfine --prepare and not timed."

# the preparation itself, for scale (not part of any figure below)
hyperfine --style basic --runs 3 --export-json "$BENCH/fresh.json" "$(fresh scratch)" \
	>"$BENCH/fresh.log" 2>&1 && rm -rf "$work/scratch" &&
	bench_md "(Making one takes $(bench_stat fresh mean | cut -d. -f1) ms.)"

bench_time apply-bt "$(fresh bt)" "$work/bt" "$work/bt.sh"
nosync=""
if command -v eatmydata >/dev/null; then
	bench_time apply-bt-nosync "$(fresh bt-nosync)" "$work/bt-nosync" "$work/bt-nosync.sh"
	nosync="apply-bt-nosync:backport-tool without fsync (eatmydata)"
fi
bench_time apply-quilt "$(fresh quilt)" "$work/quilt" "$work/quilt.sh"
bench_time apply-patch "$(fresh patch)" "$work/patch" "$work/patch.sh"
bench_time apply-git "$(fresh git)" "$work/git" "$work/git.sh"
bench_time apply-git1 "$(fresh git1)" "$work/git1" "$work/git1.sh"

bench_table apply-bt ${nosync:+"$nosync"} \
	"apply-quilt:quilt push -a" \
	"apply-patch:patch -p1 -F0 -s, one per patch" \
	"apply-git:git apply, one per patch" \
	"apply-git1:git apply, one call with all $npatches patches"
bench_md ""
bench_md "backport-tool is faster than:"
bench_target apply-quilt apply-bt 50 "quilt push -a"
bench_target apply-patch apply-bt 3 "a loop of GNU patch"
bench_md "- a loop of git apply: $(bench_ratio apply-git apply-bt)x wall-clock, $(bench_ratio apply-git apply-bt cpu)x CPU;" \
	"one git apply: $(bench_ratio apply-git1 apply-bt)x wall-clock, $(bench_ratio apply-git1 apply-bt cpu)x CPU"
if [ -n "$nosync" ]; then
	bench_md ""
	bench_md "Without its fsyncs (eatmydata; no other tool here syncs), backport-tool is"
	bench_md "faster than quilt push -a $(bench_ratio apply-quilt apply-bt-nosync)x, the GNU patch loop $(bench_ratio apply-patch apply-bt-nosync)x,"
	bench_md "the git apply loop $(bench_ratio apply-git apply-bt-nosync)x and one git apply $(bench_ratio apply-git1 apply-bt-nosync)x (wall-clock)."
fi
bench_md ""
bench_md "Result trees (last timed run of each):"
bench_same_trees "$work/quilt" "$work/bt" ${nosync:+"$work/bt-nosync"} \
	"$work/patch" "$work/git" "$work/git1" &&
	bench_same_trees "$orig" "$pristine"

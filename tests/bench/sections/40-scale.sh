# 40-scale.sh - a release's worth of upstream commits (issue 17), from a
# QEMU clone, every figure a ratio taken in this run:
#   - the 1,000 non-merge commits before ea2fe4dfe4 that v4.2.0 lacks
#     (submodule bumps included), judged on v5.0.0, v4.2.0 and v2.11.0
#     with --no-deps, against the CPU of `git log -p` over the same commits
#     (target: at most 3x), cold (an empty cache) and warm (the history
#     index of the run below in the cache: commit texts and merge answers);
#   - the same with the default prerequisite search, warm: the history
#     index already in the cache (target: at most 10x that git log -p),
#     its peak memory against the warm --no-deps run's (target: under 2x);
#   - the same cold, from an empty cache: the time, and the index's size;
#   - one patch applied by backport-tool apply and by GNU patch, in a git
#     work tree and in a plain directory (target: at most 2x GNU patch).
# The big runs are timed once each (BENCH_SCALE_RUNS=N for more) with
# /usr/bin/time: user + system CPU, and the peak RSS.  BENCH_SCALE_N=N
# takes N commits instead of 1,000.  Needs QEMU_GIT; skipped without it.
# Sourced by tests/bench/run.sh.

SCALE_TIP=ea2fe4dfe4
SCALE_N=${BENCH_SCALE_N:-1000}

if [ -z "${QEMU_GIT:-}" ]; then
	bench_md ""
	bench_md "## scale: skipped (QEMU_GIT not set)"
	return 0
fi
. "$top/tests/lib/qemugit.sh"
V5=$(qemugit_release v5.0.0) || bench_fail "QEMU_GIT has no v5.0.0"
V42=$(qemugit_release v4.2.0) || bench_fail "QEMU_GIT has no v4.2.0"
V211=$(qemugit_release v2.11.0) || bench_fail "QEMU_GIT has no v2.11.0"
git -C "$QEMU_GIT" rev-parse -q --verify "$SCALE_TIP^{commit}" >/dev/null ||
	bench_fail "QEMU_GIT has no $SCALE_TIP"
command -v /usr/bin/time >/dev/null || bench_fail "/usr/bin/time is not installed"
work=$(bench_work scale) || exit 1

git -C "$QEMU_GIT" rev-list --no-merges -n "$SCALE_N" "$SCALE_TIP" "^$V42" \
	>"$work/commits" || bench_fail "cannot list the commits"
ncommits=$(wc -l <"$work/commits")

# scale_time ID CMD...: run CMD ${BENCH_SCALE_RUNS:-1} times (output to
# $work/ID.out, exit status 0 or 1 accepted); $BENCH/ID.time gets the
# mean CPU (user + system) in ms and the largest peak RSS in MB.
scale_time() {
	id=$1; shift
	bench_log "timing $id (${BENCH_SCALE_RUNS:-1} runs)"
	: >"$BENCH/$id.raw"
	i=0
	while [ $i -lt "${BENCH_SCALE_RUNS:-1}" ]; do
		/usr/bin/time -a -o "$BENCH/$id.raw" -f '%U %S %M' "$@" \
			>"$work/$id.out" 2>"$work/$id.err"
		st=$?
		[ $st -le 1 ] || { tail -n 5 "$work/$id.err" >&2; return $st; }
		i=$((i + 1))
	done
	awk '!/^Command/ { c += ($1 + $2) * 1000; if ($3 > m) m = $3; n++ }
	     END { printf "%.0f %.0f\n", c / n, m / 1024 }' "$BENCH/$id.raw" \
		>"$BENCH/$id.time"
}
scale_cpu() { cut -d' ' -f1 "$BENCH/$1.time"; }
scale_rss() { cut -d' ' -f2 "$BENCH/$1.time"; }
# scale_target WHAT A B MAX: A / B against a ceiling MAX.
scale_target() {
	r=$(awk -v a="$2" -v b="$3" 'BEGIN { printf "%.1f", a / b }')
	met=$(awk -v r="$r" -v m="$4" 'BEGIN { print (r <= m) ? "met" : "NOT met" }')
	bench_md "- $1: ${r}x ($met; target <= ${4}x)"
}

# The history index lives in a cache of the bench's own: emptied before
# each cold run, kept for the warm ones.
SCALE_CACHE=$work/cache
export QEMU_GIT V5 V42 V211 SCALE_CACHE
bench_script "$work/check.sh" <<'EOF'
BACKPORT_TOOL_CACHE=$SCALE_CACHE exec "$BT" check --format json \
	--git "$QEMU_GIT" --tree v5=git:$V5 --tree v42=git:$V42 \
	--tree v211=git:$V211 "$@"
EOF
bench_script "$work/check-cold.sh" <<'EOF'
rm -rf "$SCALE_CACHE/history" && exec sh "${0%-cold.sh}.sh" "$@"
EOF
check_scale() { sh "$work/check.sh" "$@"; }

# Submodule bumps have verdicts of their own ("submodule roms/opensbi:
# A -> B, target has C"); should check ever stop on one again (exit 2),
# the bumps are left out and the report says so, rather than no figures.
git -C "$QEMU_GIT" log --no-walk=unsorted --format=%H --raw --stdin \
	<"$work/commits" |
	awk '/^[0-9a-f]+$/ { c = $1 } / 160000 |^:160000 / { print c }' |
	sort -u >"$work/gitlinks"
cp "$work/commits" "$work/judged"
if [ -s "$work/gitlinks" ]; then
	check_scale --no-deps "@$work/gitlinks" >/dev/null 2>"$work/probe.err"
	[ $? -ne 2 ] ||
		grep -v -x -F -f "$work/gitlinks" "$work/commits" >"$work/judged"
fi
njudged=$(wc -l <"$work/judged")

# each run reads the commits afresh (with BENCH_SCALE_RUNS > 1, one
# redirection around all of them left the later runs an empty list)
export SCALE_JUDGED="$work/judged"
bench_script "$work/gitlog.sh" <<'EOF'
exec git -C "$QEMU_GIT" log -p --no-walk=unsorted --stdin <"$SCALE_JUDGED"
EOF
scale_time scale-gitlog sh "$work/gitlog.sh" || bench_fail "git log -p failed"
scale_time scale-nodeps-cold sh "$work/check-cold.sh" --no-deps "@$work/judged" ||
	bench_fail "check --no-deps (cold) failed"
scale_time scale-deps-cold sh "$work/check-cold.sh" "@$work/judged" ||
	bench_fail "check (cold) failed"
index_mb=$(du -sm "$SCALE_CACHE/history" | cut -f1)
scale_time scale-nodeps sh "$work/check.sh" --no-deps "@$work/judged" ||
	bench_fail "check --no-deps failed"
scale_time scale-deps sh "$work/check.sh" "@$work/judged" ||
	bench_fail "check failed"
# scale_same A B: the two runs printed the same (but for timings)
scale_same() {
	[ "$(jq -c 'del(.. | .search_us?)' "$work/$1.out")" = \
	  "$(jq -c 'del(.. | .search_us?)' "$work/$2.out")" ] ||
		bench_fail "$1 and $2 said different things: the cache changed an answer"
}
scale_same scale-deps-cold scale-deps
scale_same scale-nodeps-cold scale-nodeps

bench_md ""
bench_md "## scale: $njudged upstream commits x 3 targets (v5.0.0, v4.2.0, v2.11.0)"
bench_md ""
bench_md "The non-merge commits of $SCALE_TIP that v4.2.0 lacks ($ncommits; $njudged judged:"
if [ "$njudged" -ne "$ncommits" ]; then
	bench_md "check stops on the submodule bumps, $(head -n 1 "$work/probe.err"),"
	bench_md "so they are left out: $(cut -c1-10 "$work/gitlinks" | tr '\n' ' '))."
else
	bench_md "submodule bumps included)."
fi
bench_md "CPU is user + system, mean of ${BENCH_SCALE_RUNS:-1} run(s); memory is the peak RSS."
bench_md "Cold: from an empty cache, the run builds the history index (the commit graph, each"
bench_md "commit's changed files, the answers computed from them) and saves it (${index_mb} MB);"
bench_md "warm: the next run reads it.  --no-deps keeps the commits' texts and the merges"
bench_md "that conflict there.  Cold and warm runs print the same (checked)."
bench_md ""
bench_md "| run | CPU (ms) | peak RSS (MB) |"
bench_md "|-----|---------:|--------------:|"
bench_md "| git log -p over the same commits | $(scale_cpu scale-gitlog) | $(scale_rss scale-gitlog) |"
bench_md "| check --no-deps, cold | $(scale_cpu scale-nodeps-cold) | $(scale_rss scale-nodeps-cold) |"
bench_md "| check --no-deps, warm | $(scale_cpu scale-nodeps) | $(scale_rss scale-nodeps) |"
bench_md "| check (prerequisite search), cold | $(scale_cpu scale-deps-cold) | $(scale_rss scale-deps-cold) |"
bench_md "| check (prerequisite search), warm | $(scale_cpu scale-deps) | $(scale_rss scale-deps) |"
bench_md ""
scale_target "check --no-deps, cold, vs git log -p, CPU" \
	"$(scale_cpu scale-nodeps-cold)" "$(scale_cpu scale-gitlog)" 3
scale_target "check --no-deps, warm, vs git log -p, CPU" \
	"$(scale_cpu scale-nodeps)" "$(scale_cpu scale-gitlog)" 3
scale_target "check with prerequisite search, warm, vs git log -p, CPU" \
	"$(scale_cpu scale-deps)" "$(scale_cpu scale-gitlog)" 10
bench_md "- check with prerequisite search, cold, vs git log -p, CPU: $(awk -v a="$(scale_cpu scale-deps-cold)" -v b="$(scale_cpu scale-gitlog)" 'BEGIN { printf "%.1f", a / b }')x (reported; no target)"
scale_target "peak memory, prerequisite search (warm) vs --no-deps (warm)" \
	"$(scale_rss scale-deps)" "$(scale_rss scale-nodeps)" 2
bench_md "- verdicts: $(jq -c '.summary' "$work/scale-nodeps.out")"

# One patch: the oldest judged commit after v5.0.0 that applies to it with fuzz 0,
# in a git work tree (a shared clone checked out, not timed) and in a plain
# directory, against GNU patch.  Each run starts from the pristine file.
git clone -q --shared --no-checkout "$QEMU_GIT" "$work/clone" &&
	git -C "$work/clone" -c advice.detachedHead=false checkout -q "$V5" ||
	bench_fail "cannot check out v5.0.0"
mkdir "$work/plain" && git -C "$QEMU_GIT" archive "$V5" | tar -x -C "$work/plain" ||
	bench_fail "cannot unpack v5.0.0"
one=
for c in $(tail -n 200 "$work/judged" | tac); do
	git -C "$QEMU_GIT" merge-base --is-ancestor "$c" "$V5" && continue
	git -C "$QEMU_GIT" format-patch -q -1 --stdout "$c" >"$work/one.patch"
	if grep -q '^@@' "$work/one.patch" &&
		patch -p1 -s -F0 --dry-run -d "$work/plain" <"$work/one.patch" >/dev/null 2>&1; then
		one=$c
		break
	fi
done
[ -n "$one" ] || bench_fail "none of the 200 oldest commits applies to v5.0.0"
sed -n 's|^+++ b/||p' "$work/one.patch" >"$work/one.touched"
# The two checkouts above wrote some 500 MB: apply's syncfs(2) would wait
# for the kernel to write them back during the first timed runs, a cost
# of this bench's setup, not of apply (README: apply waits for whatever
# else is unwritten on the tree's file system).  On disk first, then.
sync
mkdir "$work/one.pristine" &&
	tar -C "$work/plain" -cf - -T "$work/one.touched" | tar -C "$work/one.pristine" -xf - ||
	bench_fail "cannot save the touched files"
export SCALE_PATCH="$work/one.patch"
bench_script "$work/one-bt.sh" <<'EOF'
exec "$BT" apply -t "$1" "$SCALE_PATCH" >/dev/null
EOF
bench_script "$work/one-patch.sh" <<'EOF'
exec patch -p1 -s -F0 --no-backup-if-mismatch -d "$1" <"$SCALE_PATCH"
EOF
restore() { echo "tar -C '$work/one.pristine' -cf - . | tar -C '$1' -xf -"; }
# A run takes a few ms: 30 runs each (BENCH_ONE_RUNS), where 5 left the
# median to noise.
saved_runs=$RUNS
RUNS=${BENCH_ONE_RUNS:-30}
for where in clone plain; do
	bench_time scale-one-bt-$where "$(restore "$work/$where")" "$work/$where" "$work/one-bt.sh"
	bench_time scale-one-patch-$where "$(restore "$work/$where")" "$work/$where" "$work/one-patch.sh"
done
RUNS=$saved_runs
bench_md ""
bench_md "## scale: one patch ($(git -C "$QEMU_GIT" rev-parse --short=10 "$one"), $(grep -c '^@@' "$work/one.patch") hunks) on v5.0.0"
bench_md ""
bench_md "In a git work tree (apply checks that the files it writes have no"
bench_md "uncommitted work) and in a plain directory, against GNU patch; the"
bench_md "first row is backport-tool in the git work tree."
bench_table scale-one-bt-clone "scale-one-patch-clone:GNU patch, git work tree" \
	"scale-one-bt-plain:backport-tool, plain directory" \
	"scale-one-patch-plain:GNU patch, plain directory"
bench_md ""
for where in clone plain; do
	r=$(bench_ratio scale-one-bt-$where scale-one-patch-$where)
	c=$(bench_ratio scale-one-bt-$where scale-one-patch-$where cpu)
	met() { awk -v r="$1" 'BEGIN { print (r <= 2) ? "met" : "NOT met" }'; }
	bench_md "- apply vs GNU patch, $([ $where = clone ] && echo "git work tree" || echo "plain directory"): ${r}x wall-clock ($(met "$r")), ${c}x CPU ($(met "$c")); target <= 2x"
done

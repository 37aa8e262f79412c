# 26-plan-build.sh - plan --build for the vfio-ccw queue on v5.0.0 (the
# header sync, its chain and the five features), with a warm build cache,
# against one full `make` of the same configured s390x-softmmu tree: what
# a maintainer waits for to learn the same (the full build is timed once,
# with date, not hyperfine: it takes minutes).
# Needs QEMU_GIT and BENCH_BUILD=1 (and KEYCODEMAPDB_GIT unless the clone
# has modules/ui/keycodemapdb); skipped otherwise.
# Sourced by tests/bench/run.sh.

if [ -z "${QEMU_GIT:-}" ] || [ "${BENCH_BUILD:-}" != 1 ]; then
	bench_md ""
	bench_md "## plan --build: skipped (needs QEMU_GIT and BENCH_BUILD=1)"
	return 0
fi
work=$(bench_work plan-build) || exit 1
export QEMU_GIT PB_CACHE="$work/cache"
export PB_SUB="${KEYCODEMAPDB_GIT:+--build-submodule ui/keycodemapdb=$KEYCODEMAPDB_GIT}"
export PB_QUEUE="f76b348ec7 2a3b9cbaa7 46ea3841ed 690e29b911 f6dde1b012 f030532f2a"

bench_script "$work/plan-build-bt.sh" <<'EOS'
"$BT" plan --git "$QEMU_GIT" --tree v5=git:v5.0.0 --build --build-dir "$PB_CACHE" \
	$PB_SUB $PB_QUEUE >/dev/null
EOS
# export and configure once (not timed), then the timed runs
t0=$(date +%s)
sh "$work/plan-build-bt.sh" "$work" || bench_fail "plan --build failed"
t1=$(date +%s)
bench_time plan-build-bt "true" "$work" "$work/plan-build-bt.sh"

obj=$(ls -d "$PB_CACHE"/*/obj)
bench_log "timing one full make -j$(nproc) in $obj"
s=$(date +%s.%N)
make -C "$obj" -j"$(nproc)" >"$work/full.log" 2>&1 || bench_fail "the full build failed ($work/full.log)"
e=$(date +%s.%N)
full=$(awk -v s="$s" -v e="$e" 'BEGIN { printf "%.0f", (e - s) * 1000 }')
bt=$(bench_stat plan-build-bt median)

bench_md ""
bench_md "## plan --build: the vfio-ccw queue on v5.0.0, s390x-softmmu"
bench_md ""
bench_md "plan finds the chain, verifies it, writes the queue into the cached tree and"
bench_md "compiles the 4 translation units it touches (and again for the trimmed sync);"
bench_md "the export and configure it did once took $((t1 - t0)) s (not in the figures)."
bench_md ""
bench_md "| what | wall (ms) |"
bench_md "|------|----------:|"
bench_md "| backport-tool plan --build, warm cache (median) | $(printf %.0f "$bt") |"
bench_md "| make -j$(nproc), the whole configured tree, once | $full |"
bench_md ""
bench_md "- full build vs plan --build: $(awk -v a="$full" -v b="$bt" 'BEGIN { printf "%.1f", a / b }')x"

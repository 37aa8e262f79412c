# 25-plan.sh - the prerequisite chain of the vfio-ccw header sync
# f76b348ec7 on v4.2.0 and v5.0.0:
#   - backport-tool plan finds the chain (candidates, recursion, the
#     minimality pass) and verifies it by applying, in memory;
#   - the baseline is only the last step a maintainer does by hand once the
#     chain is known (found the way LP #1887930 shows): a worktree per
#     release and `git am -3` of each commit of the chain, then the sync.
#     Finding the chain by hand (git log and blame per conflicting file,
#     retrying) is not timed, so the ratio flatters the baseline.
# Needs QEMU_GIT (a clone with full history); skipped without it.
# Sourced by tests/bench/run.sh.

if [ -z "${QEMU_GIT:-}" ]; then
	bench_md ""
	bench_md "## plan: skipped (QEMU_GIT not set)"
	return 0
fi
. "$top/tests/lib/qemugit.sh"
V5=$(qemugit_release v5.0.0) ||
	bench_fail "QEMU_GIT has no v5.0.0"
V42=$(qemugit_release v4.2.0) ||
	bench_fail "QEMU_GIT has no v4.2.0"
work=$(bench_work plan) || exit 1
git clone -q --shared --no-checkout "$QEMU_GIT" "$work/clone" ||
	bench_fail "cannot clone $QEMU_GIT"

# The chains plan finds, computed once (not timed) for the baseline.
"$BT" plan --git "$QEMU_GIT" --tree v42=git:$V42 --tree v5=git:$V5 \
	--format json f76b348ec7 >"$work/plan.json" || bench_fail "plan failed"
export PLAN_V42_CHAIN="$(jq -r '.targets[0].chain[].commit' "$work/plan.json" | tr '\n' ' ')"
export PLAN_V5_CHAIN="$(jq -r '.targets[1].chain[].commit' "$work/plan.json" | tr '\n' ' ')"
export QEMU_GIT V5 V42 PLAN_CLONE="$work/clone"

bench_script "$work/plan-bt.sh" <<'EOS'
"$BT" plan --git "$QEMU_GIT" --tree v42=git:$V42 --tree v5=git:$V5 \
	f76b348ec7 >/dev/null
EOS
bench_script "$work/plan-am.sh" <<'EOS'
git -C "$PLAN_CLONE" worktree prune
for rel in v42 v5; do
	eval rev=\$$(echo $rel | tr a-z A-Z) chain=\$PLAN_$(echo $rel | tr a-z A-Z)_CHAIN
	wt="$1/wt-$rel"
	git -C "$PLAN_CLONE" worktree add -q --detach "$wt" $rev || exit 1
	for c in $chain f76b348ec7; do
		git -C "$PLAN_CLONE" format-patch -q -1 --stdout $c |
			git -C "$wt" -c user.name=b -c user.email=b@b am -q -3 \
				>/dev/null 2>&1 || exit 1
	done
done
EOS

bench_md ""
bench_md "## plan: the chain of f76b348ec7 on v4.2.0 ($(echo $PLAN_V42_CHAIN | wc -w) commits) and v5.0.0 ($(echo $PLAN_V5_CHAIN | wc -w))"
bench_md ""
bench_md "backport-tool plan finds and verifies the chain in memory; the baseline"
bench_md "only applies the already known chain and the sync with git am -3 in a"
bench_md "worktree per release (finding the chain by hand is not timed)."

bench_time plan-bt "rm -rf '$work/plan-bt' && mkdir '$work/plan-bt'" "$work/plan-bt" "$work/plan-bt.sh"
bench_time plan-am "rm -rf '$work/plan-am' && mkdir '$work/plan-am'" "$work/plan-am" "$work/plan-am.sh"
bench_table plan-bt "plan-am:git worktree add, then git am -3 of the known chain, two releases"
bench_md ""
bench_md "- plan (finding and verifying) vs git am -3 of the known chain: $(bench_ratio plan-am plan-bt)x"

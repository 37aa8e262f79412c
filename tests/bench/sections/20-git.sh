# 20-git.sh - upstream commits on release revisions, from a QEMU clone:
#   - check: the six vfio-ccw commits on v5.0.0 and v4.2.0 straight from
#     the object database, against what a maintainer does by hand: a
#     worktree per release and `git format-patch | git am -3` per commit
#     (a commit that fails is aborted, the next one still tried);
#   - deps: the upstream commit that introduced each name the feature
#     commits miss on v5.0.0, against `git log -S NAME v5.0.0..series`
#     for the same names.
# Needs QEMU_GIT (a clone with full history); skipped without it.
# Sourced by tests/bench/run.sh.

GIT_COMMITS="f76b348ec7 2a3b9cbaa7 46ea3841ed 690e29b911 f6dde1b012 f030532f2a"
GIT_FEATURES="2a3b9cbaa7 46ea3841ed 690e29b911 f6dde1b012 f030532f2a"


if [ -z "${QEMU_GIT:-}" ]; then
	bench_md ""
	bench_md "## git: skipped (QEMU_GIT not set)"
	return 0
fi
. "$top/tests/lib/qemugit.sh"
V5=$(qemugit_release v5.0.0) ||
	bench_fail "QEMU_GIT has no v5.0.0"
V42=$(qemugit_release v4.2.0) ||
	bench_fail "QEMU_GIT has no v4.2.0"
work=$(bench_work git) || exit 1

# git am needs a repository with a work tree: a shared clone (objects
# borrowed from QEMU_GIT, which stays untouched), made once, not timed.
git clone -q --shared --no-checkout "$QEMU_GIT" "$work/clone" ||
	bench_fail "cannot clone $QEMU_GIT"
export QEMU_GIT V5 V42 GIT_COMMITS GIT_FEATURES
export GIT_CLONE="$work/clone"

bench_script "$work/check-bt.sh" <<'EOF'
"$BT" check --git "$QEMU_GIT" --tree v5=git:$V5 --tree v42=git:$V42 \
	$GIT_COMMITS >/dev/null
[ $? -le 1 ]
EOF
bench_script "$work/check-am.sh" <<'EOF'
git -C "$GIT_CLONE" worktree prune
for rel in $V5 $V42; do
	wt="$1/wt-$rel"
	git -C "$GIT_CLONE" worktree add -q --detach "$wt" $rel || exit 1
	for c in $GIT_COMMITS; do
		git -C "$GIT_CLONE" format-patch -q -1 --stdout $c |
			git -C "$wt" -c user.name=b -c user.email=b@b am -q -3 \
				>/dev/null 2>&1 ||
			git -C "$wt" am --abort || exit 1
	done
done
EOF

bench_md ""
bench_md "## git: the six vfio-ccw commits on v5.0.0 and v4.2.0"
bench_md ""
bench_md "backport-tool check --git reads both trees from the object database;"
bench_md "git am -3 needs a worktree per release (created in the timed run, as a"
bench_md "maintainer would) and applies one commit at a time, aborting failures."

bench_time git-check-bt "rm -rf '$work/check-bt' && mkdir '$work/check-bt'" "$work/check-bt" "$work/check-bt.sh"
bench_time git-check-am "rm -rf '$work/check-am' && mkdir '$work/check-am'" "$work/check-am" "$work/check-am.sh"
bench_table git-check-bt "git-check-am:git worktree add, then git am -3 per commit, two releases"

# The names the feature commits miss on v5.0.0, found once.
"$BT" deps --git "$QEMU_GIT" --tree v5=git:$V5 --format json $GIT_FEATURES \
	>"$work/deps.json"
jq -r '[.patches[].results[].missing[].name] | unique[]' "$work/deps.json" \
	>"$work/names"
nnames=$(wc -l <"$work/names")
last=$(git -C "$QEMU_GIT" rev-parse f030532f2a)
export GIT_NAMES="$(tr '\n' ' ' <"$work/names")" GIT_LAST="$last"

bench_script "$work/deps-bt.sh" <<'EOF'
"$BT" deps --git "$QEMU_GIT" --tree v5=git:$V5 $GIT_FEATURES >/dev/null
[ $? -le 1 ]
EOF
bench_script "$work/deps-logS.sh" <<'EOF'
for n in $GIT_NAMES; do
	git -C "$QEMU_GIT" log -S"$n" --format=%h --reverse $V5..$GIT_LAST >/dev/null || exit 1
done
EOF

bench_md ""
bench_md "## git: who introduced the $nnames names the features miss on v5.0.0"
bench_md ""
bench_md "backport-tool deps (which also checks the five commits, indexes the"
bench_md "headers they include and traces every name) against one git log -S per"
bench_md "name over v5.0.0..f030532f2a ($(git -C "$QEMU_GIT" rev-list --count $V5..$last) commits)."

bench_time git-deps-bt "rm -rf '$work/deps-bt' && mkdir '$work/deps-bt'" "$work/deps-bt" "$work/deps-bt.sh"
bench_time git-deps-logS "rm -rf '$work/deps-logS' && mkdir '$work/deps-logS'" "$work/deps-logS" "$work/deps-logS.sh"
bench_table git-deps-bt "git-deps-logS:git log -S, one per name"
bench_md ""
bench_md "- check vs git am -3 on two worktrees: $(bench_ratio git-check-am git-check-bt)x"
bench_md "- deps vs git log -S: $(bench_ratio git-deps-logS git-deps-bt)x"

# The symbol index of a whole tree: deps without --git indexes every *.c
# and *.h of the target directory (v5.0.0 unpacked once, not timed).
mkdir -p "$work/v5" && git -C "$QEMU_GIT" archive $V5 | tar -x -C "$work/v5" ||
	bench_fail "cannot unpack v5.0.0"
git -C "$QEMU_GIT" format-patch -q -1 --stdout f030532f2a >"$work/f030532f2a.patch"
nsrc=$(find "$work/v5" -name '*.[ch]' | wc -l)
export GIT_V5_DIR="$work/v5" GIT_PATCH="$work/f030532f2a.patch"
bench_script "$work/index-bt.sh" <<'EOF'
"$BT" deps --tree "$GIT_V5_DIR" "$GIT_PATCH" >/dev/null
[ $? -le 1 ]
EOF
bench_script "$work/index-grep.sh" <<'EOF'
grep -r --include='*.[ch]' -c -E '^#[[:space:]]*define' "$GIT_V5_DIR" >/dev/null
EOF
bench_md ""
bench_md "## git: the symbol index of QEMU v5.0.0 ($nsrc C files)"
bench_md ""
bench_md "deps without --git indexes every definition of the tree, then checks"
bench_md "f030532f2a; for scale, one grep -r counting the #define lines."
bench_time git-index-bt "rm -rf '$work/index-bt' && mkdir '$work/index-bt'" "$work/index-bt" "$work/index-bt.sh"
bench_time git-index-grep "rm -rf '$work/index-grep' && mkdir '$work/index-grep'" "$work/index-grep" "$work/index-grep.sh"
bench_table git-index-bt "git-index-grep:grep -r -c '^#define'"

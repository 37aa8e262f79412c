#!/bin/sh
# t2950-plan-vfio-ccw: the plan for the vfio-ccw header sync f76b348ec7
# (LP: #1887930) on the v4.2.0 (focal) and v5.0.0 (groovy) release trees:
# the chain of earlier header syncs that makes it apply 47/47 hunks clean,
# verified by applying, compared with the list the SRU analysis made by
# hand; and, for the five feature commits beside it, the trimmed sync as
# the alternative to the chain.
#
# Needs QEMU_GIT: a QEMU clone with full history (a bare one is fine).
. "$(dirname "$0")/test-lib.sh"

[ -n "${QEMU_GIT:-}" ] || skip_all "QEMU_GIT not set: point it to a QEMU clone with full history"
git -C "$QEMU_GIT" rev-parse -q --verify f030532f2a^{commit} >/dev/null 2>&1 ||
	skip_all "QEMU_GIT=$QEMU_GIT lacks the vfio-ccw commits (f030532f2a)"

release() {
	git -C "$QEMU_GIT" rev-parse -q --verify "$1^{commit}" 2>/dev/null ||
		git -C "$QEMU_GIT" rev-parse -q --verify "$2^{commit}" 2>/dev/null
}
V5=$(release v5.0.0 fdd76fecdde1ad444ff4deb7f1c4f7e4a1ef97d6) ||
	skip_all "QEMU_GIT has no v5.0.0"
V42=$(release v4.2.0 b0ca999a43a22b38158a222233d3f5881648bb4f) ||
	skip_all "QEMU_GIT has no v4.2.0"

HEADERS=f76b348ec7
FEATURES="2a3b9cbaa7 46ea3841ed 690e29b911 f6dde1b012 f030532f2a"
# The bug's list for focal, in upstream order (the SRU analysis wrote it
# as f76b348ec7, dc6f8d458a, ddda37483d, 50fd0c375b, 2a886794f1).
BUG_CHAIN="2a886794f1 50fd0c375b ddda37483d dc6f8d458a"

chain() { # target
	jq -r ".targets[] | select(.target == \"$1\") | .chain[].commit[0:10]" plan.json
}

test_expect_success 'plan: the header sync on both releases, verified' '
	"$BT" plan --git "$QEMU_GIT" --tree v42=git:$V42 --tree v5=git:$V5 \
		--format json $HEADERS >plan.json &&
	jq -e ".ok == true and ([.targets[].status] | unique) == [\"ok\"]" plan.json
'

test_expect_success 'on v4.2.0 the chain is the bug list, in upstream order' '
	chain v42 >got &&
	printf "%s\n" $BUG_CHAIN >expect &&
	test_cmp expect got &&
	jq -r ".targets[0].chain[] | select(.header_sync | not) | .commit" plan.json >not-syncs &&
	test ! -s not-syncs
'

test_expect_success 'on v5.0.0 only dc6f8d458a is missing' '
	chain v5 >got &&
	echo dc6f8d458a >expect &&
	test_cmp expect got
'

test_expect_success 'the verification applies f76b348ec7 47/47 hunks clean on both' '
	for t in v42 v5; do
		jq -r ".targets[] | select(.target == \"$t\") | .verification[] |
			select(.series) | \"\(.patch) \(.verdict) \(.exact)/\(.hunks)\"" \
			plan.json >got &&
		echo "$HEADERS clean 47/47" >expect &&
		test_cmp expect got &&
		jq -e ".targets[] | select(.target == \"$t\") |
			[.verification[].verdict] | all(. == \"clean\")" plan.json ||
		return 1
	done
'

test_expect_success 'why: 50fd0c375b is needed by the syncs, not by f76b348ec7' '
	jq -r ".targets[0].chain[] | select(.commit | startswith(\"50fd0c375b\")) |
		\"\(.depth) \([.needed_by[].patch] | join(\",\"))\"" plan.json >got &&
	echo "2 ddda37483d,dc6f8d458a" >expect &&
	test_cmp expect got &&
	jq -r ".targets[0].chain[] | select(.commit | startswith(\"2a886794f1\")) |
		.needed_by[0].hunks" plan.json >hunks &&
	test_grep "linux-headers/asm-mips/unistd_n32.h hunk 1" hunks
'

test_expect_success 'the virtio-net compat fix is shown for review, not carried' '
	jq -r ".targets[] | .companions[].commit[0:10]" plan.json | sort -u >got &&
	echo 9904adfaca >expect &&
	test_cmp expect got
'

test_expect_success 'independently: plain git am (no 3-way) of the chain and f76b348ec7 on v4.2.0' '
	git clone -q --shared --no-checkout "$QEMU_GIT" clone &&
	git -C clone worktree add -q --detach ../wt $V42 &&
	for c in $BUG_CHAIN $HEADERS; do
		git -C clone format-patch -q -1 --stdout $c >$c.patch &&
		git -C wt -c user.name=t -c user.email=t@t am -q "$PWD/$c.patch" ||
		return 1
	done
'

test_expect_success 'with the five features: the trimmed sync beside the chain' '
	"$BT" plan --git "$QEMU_GIT" --tree v42=git:$V42 --tree v5=git:$V5 \
		--format json $HEADERS $FEATURES >feat.json &&
	for t in v42 v5; do
		jq -e ".targets[] | select(.target == \"$t\") | .status == \"ok\" and
			.trimmed.applies and .trimmed.kept_lines < 40 and
			.trimmed.full_lines > 800 and .summary.lines > 250" feat.json ||
		return 1
	done &&
	jq -r ".targets[] | select(.target == \"v42\") | .chain[].commit[0:10]" feat.json >got &&
	printf "%s\n" $BUG_CHAIN >expect &&
	test_cmp expect got &&
	"$BT" plan --git "$QEMU_GIT" --tree v42=git:$V42 --format markdown \
		$HEADERS $FEATURES >feat.md &&
	test_grep "^### Prerequisites on v42: verified" feat.md &&
	test_grep "^Alternative: $HEADERS trimmed to what the series uses" feat.md
'

test_done

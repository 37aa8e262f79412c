#!/bin/sh
# t2950-plan-vfio-ccw: the plan for the vfio-ccw header sync f76b348ec7
# (LP: #1887930) on the v4.2.0 (focal) and v5.0.0 (groovy) release trees:
# the chain of earlier header syncs that makes it apply 47/47 hunks clean,
# verified by applying, compared with the list the SRU analysis made by
# hand; and, for the five feature commits beside it, the trimmed sync as
# the alternative to the chain.
#
# Needs QEMU_GIT: a QEMU clone with full history (a bare one is fine).
# The --build scenarios also need QEMU_BUILD=1 (a first run exports and
# configures v5.0.0 for s390x-softmmu into the cache, a few minutes), QEMU's
# build dependencies, and KEYCODEMAPDB_GIT (qemu's keycodemapdb history)
# unless QEMU_GIT/modules/ui/keycodemapdb exists.
. "$(dirname "$0")/test-lib.sh"

[ -n "${QEMU_GIT:-}" ] || skip_all "QEMU_GIT not set: point it to a QEMU clone with full history"
git -C "$QEMU_GIT" rev-parse -q --verify f030532f2a^{commit} >/dev/null 2>&1 ||
	skip_all "QEMU_GIT=$QEMU_GIT lacks the vfio-ccw commits (f030532f2a)"

. "$TEST_DIRECTORY/lib/qemugit.sh"
V5=$(qemugit_release v5.0.0) ||
	skip_all "QEMU_GIT has no v5.0.0"
V42=$(qemugit_release v4.2.0) ||
	skip_all "QEMU_GIT has no v4.2.0"

HEADERS=$VFIO_HEADERS
FEATURES=$VFIO_FEATURES
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

if [ "${QEMU_BUILD:-}" = 1 ]; then
SUB=${KEYCODEMAPDB_GIT:+--build-submodule ui/keycodemapdb=$KEYCODEMAPDB_GIT}

test_expect_success 'plan --build on v5.0.0: chain and trimmed sync compile (s390x-softmmu)' '
	"$BT" plan --git "$QEMU_GIT" --tree v5=git:$V5 --build --build-dir "$CACHE/build" \
		$SUB --format json $HEADERS $FEATURES >build.json &&
	jq -e ".targets[0].build.error == null and
		(.targets[0].build.units | length) == 4 and
		(.targets[0].build.units | all(.ok)) and
		([.targets[0].verification[].build.status] | unique) == [\"builds\"]" build.json &&
	jq -r ".targets[0].build.units[].path" build.json >units &&
	printf "%s\n" hw/s390x/css.c hw/s390x/s390-ccw.c hw/vfio/ccw.c target/s390x/ioinst.c >expect &&
	test_cmp expect units &&
	jq -e ".targets[0].trimmed.build.error == null and
		(.targets[0].trimmed.build.units | all(.ok))" build.json &&
	grep -q "target-list=s390x-softmmu" "$(dirname "$(jq -r ".targets[0].build.log" build.json)")/configure.log" &&
		jq -e ".targets[0].trimmed.build.configured_now == false" build.json
'

test_expect_success 'plan --build: the features without the sync break the build, at their hunks' '
	test_expect_code 1 "$BT" plan --git "$QEMU_GIT" --tree v5=git:$V5 --build \
		--build-dir "$CACHE/build" $SUB --format json $FEATURES >broken.json &&
	jq -r ".targets[0].verification[] | select(.build.status == \"breaks build\") | .patch" \
		broken.json >breaking &&
	test_grep "^46ea3841ed$" breaking &&
	jq -r ".targets[0].verification[] | select(.patch == \"46ea3841ed\") | .build.error" \
		broken.json >msg &&
	test_grep "^hw/vfio/ccw.c:[0-9]*: .*(hunk [0-9]* of hw/vfio/ccw.c)$" msg &&
	jq -e "[.targets[0].build.units[] | select(.ok | not) | .path] == [\"hw/vfio/ccw.c\"]" broken.json
'
else
	say "the --build scenarios are skipped: set QEMU_BUILD=1 to run them"
fi

test_done

#!/bin/sh
# t2900-vfio-ccw-git: the six upstream commits that bring vfio-ccw channel
# path handling (LP: #1887930), read straight from a QEMU clone, judged on
# the v5.0.0 and v4.2.0 release trees, and what deps says is missing.
#
# Needs QEMU_GIT: a QEMU clone with full history (a bare one is fine).
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
SYNC=dc6f8d458a
COMPAT=9904adfaca

verdict() { # target patch-index
	jq -r ".patches[$2].results[] | select(.target == \"$1\") | .verdict" check.json
}

test_expect_success 'check: six commits on two release revisions' '
	test_expect_code 1 "$BT" check --git "$QEMU_GIT" --tree v5=git:$V5 \
		--tree v42=git:$V42 --format json $HEADERS $FEATURES >check.json &&
	jq -r ".patches[].name" check.json >names &&
	printf "%s\n" $HEADERS $FEATURES >expect &&
	test_cmp expect names
'

test_expect_success 'check: given out of order, they come in upstream order' '
	test_expect_code 1 "$BT" check --git "$QEMU_GIT" --tree v5=git:$V5 \
		--format json f030532f2a $HEADERS 46ea3841ed >order.json &&
	jq -r ".patches[].name" order.json >names &&
	printf "%s\n" $HEADERS 46ea3841ed f030532f2a >expect &&
	test_cmp expect names
'

test_expect_success 'the headers commit conflicts on both releases' '
	test "$(verdict v5 0)" = conflict &&
	test "$(verdict v42 0)" = conflict
'

test_expect_success 'its conflicts are in unrelated headers, not the vfio ones' '
	jq -r ".patches[0].results[] | .files[] | select(.verdict == \"conflict\") |
		.path" check.json | sort -u >conflicting &&
	test -s conflicting &&
	! grep -E "vfio(_ccw)?\.h" conflicting &&
	test_grep "linux-headers/linux/kvm.h" conflicting
'

test_expect_success 'the five feature commits apply on v5.0.0' '
	for i in 1 2 3 4 5; do
		v=$(verdict v5 $i) &&
		case "$v" in clean|offset|fuzz|merged) ;; *) echo "patch $i: $v"; false ;; esac ||
		return 1
	done
'

test_expect_success 'deps: the earlier header sync is a candidate prerequisite' '
	test_expect_code 1 "$BT" deps --git "$QEMU_GIT" --tree v5=git:$V5 \
		--tree v42=git:$V42 --format json $HEADERS $FEATURES >deps.json &&
	jq -r ".patches[0].results[] | select(.target == \"v5\") |
		.prerequisites[].commit" deps.json | cut -c1-10 >v5.pre &&
	test_grep "^$SYNC" v5.pre &&
	jq -r ".patches[0].results[] | select(.target == \"v5\") | .prerequisites[] |
		select(.commit | startswith(\"$SYNC\")) | .files" deps.json >files &&
	for h in virtio_ids.h linux/kvm.h linux/vhost.h; do
		test_grep "$h" files || return 1
	done
'

test_expect_success 'deps: the sync needs the virtio-net compat fix to compile' '
	jq -r ".patches[0].results[] | select(.target == \"v5\") | .prerequisites[] |
		select(.needed_by != null) | [.commit[0:10], .needed_by[0:10], .files,
		.guard] | join(\" \")" deps.json >companions &&
	echo "$COMPAT $SYNC hw/net/virtio-net.c VIRTIO_NET_HDR_F_RSC_INFO" >expect &&
	test_cmp expect companions &&
	printf "%s\n" $COMPAT $SYNC >expect &&
	test_cmp expect v5.pre
'

test_expect_success 'deps: on v4.2.0 a longer chain of syncs, oldest first' '
	jq -r ".patches[0].results[] | select(.target == \"v42\") |
		.prerequisites[] | select(.needed_by == null) | .commit" deps.json |
		cut -c1-10 >v42.pre &&
	test_grep "^$SYNC" v42.pre &&
	test "$(wc -l <v42.pre)" -gt "$(wc -l <v5.pre)" &&
	for c in $(cat v42.pre); do
		git -C "$QEMU_GIT" show -s --format=%s $c
	done >v42.subjects &&
	! grep -v -i "headers" v42.subjects &&
	test "$(tail -n 1 v42.pre)" = "$SYNC"
'

test_expect_success 'deps: the features miss what the headers commit defines' '
	jq -e "[.patches[1:][].results[] | select(.target == \"v5\") | .missing[]] |
		length > 0 and all(.series_patch == 1 and .confidence == \"high\")" deps.json &&
	jq -r ".patches[].results[] | select(.target == \"v5\") | .missing[].name" \
		deps.json >names &&
	test_grep "^VFIO_CCW_CRW_IRQ_INDEX$" names &&
	test_grep "^ccw_crw_region$" names
'

test_expect_success 'deps: the feature commits alone on v5.0.0 trace each name upstream' '
	test_expect_code 1 "$BT" deps --git "$QEMU_GIT" --tree v5=git:$V5 \
		--format json $FEATURES >alone.json &&
	jq -r "[.patches[].results[].missing[] | .introduced_by.commit // \"none\"] |
		unique[]" alone.json | cut -c1-10 >introducers &&
	echo $HEADERS >expect &&
	test_cmp expect introducers
'

test_expect_success 'check shows the prerequisites and missing names in its table' '
	jq -r ".patches[0].results[] | select(.target == \"v5\") | .deps" check.json >note &&
	test_grep "needs .*$SYNC" note &&
	test_grep "$COMPAT" note &&
	test_expect_code 1 "$BT" check --git "$QEMU_GIT" --tree v5=git:$V5 \
		--format markdown $HEADERS $FEATURES >table.md &&
	test_grep "^| 1 | $HEADERS | conflict: linux-headers/.* hunk .*needs .*$SYNC" table.md &&
	test_grep "^| 6 | f030532f2a | minor noise: .*missing (.*VFIO_CCW_CRW_IRQ_INDEX" table.md
'

test_expect_success 'check --no-deps leaves the notes out' '
	test_expect_code 1 "$BT" check --no-deps --git "$QEMU_GIT" --tree v5=git:$V5 \
		--format json $HEADERS $FEATURES >plain.json &&
	test "$(jq "[.patches[].results[].deps] | unique" -c plain.json)" = "[null]"
'

# The question of LP: #1887930, asked of check: with the header sync
# trimmed to what the five features use, does the queue apply on both
# releases?  (release answers it too; check alone, on one target each.)
test_expect_success 'check --trim-headers: the trimmed sync and the features apply on both releases' '
	for rev in $V5 $V42; do
		"$BT" check --git "$QEMU_GIT" --tree r=git:$rev --trim-headers \
			--format json $HEADERS $FEATURES >trim.json 2>err &&
		test "$(jq -r ".untrimmed.patches[0].results[0].verdict" trim.json)" = conflict &&
		test "$(jq -r ".patches[0].name" trim.json)" = "$HEADERS (trimmed)" &&
		test "$(jq -r "[.patches[].results[0].verdict] | map(select(. == \"conflict\")) | length" trim.json)" = 0 &&
		test "$(jq -r ".headers.summary.kept_lines" trim.json)" -lt 40 &&
		jq -e ".headers.kept | map(.name) | index(\"VFIO_CCW_CRW_IRQ_INDEX\")" trim.json ||
		return 1
	done
'

test_done

#!/bin/sh
# t2960-distance-vfio-ccw: the Ubuntu question of LP: #1887930 asked of
# every base at once: the vfio-ccw Channel Path Handling commits (the header
# sync f76b348ec7 and five features) over v4.2.0 (focal), v5.0.0 (groovy)
# and the release candidates between.  The chains are the ones
# t2950-plan-vfio-ccw.sh checks per target: v4.2.0 needs the four earlier
# syncs of the SRU analysis, v5.0.0 only dc6f8d458a.
#
# Needs QEMU_GIT: a QEMU clone with full history and its release tags.
. "$(dirname "$0")/test-lib.sh"

[ -n "${QEMU_GIT:-}" ] || skip_all "QEMU_GIT not set: point it to a QEMU clone with full history"
git -C "$QEMU_GIT" rev-parse -q --verify f030532f2a^{commit} >/dev/null 2>&1 ||
	skip_all "QEMU_GIT=$QEMU_GIT lacks the vfio-ccw commits (f030532f2a)"
for t in v4.2.0 v5.0.0-rc0 v5.0.0; do
	git -C "$QEMU_GIT" rev-parse -q --verify "refs/tags/$t" >/dev/null 2>&1 ||
		skip_all "QEMU_GIT=$QEMU_GIT has no tag $t (distance --tags needs the release tags)"
done

. "$TEST_DIRECTORY/lib/qemugit.sh"
SERIES="$VFIO_HEADERS $VFIO_FEATURES"
BUG_CHAIN="2a886794f1 50fd0c375b ddda37483d dc6f8d458a"

test_expect_success 'distance over v4.2.0..v5.0.0 with the -rc tags: JSON' '
	test_expect_code 1 "$BT" distance --git "$QEMU_GIT" --tags v4.2.0..v5.0.0 --rc \
		--format json $SERIES >d.json &&
	jq -r ".bases[].base" d.json >bases &&
	git -C "$QEMU_GIT" tag -l "v5.0.0-rc*" | sort -V >rcs &&
	{ echo v4.2.0; cat rcs; echo v5.0.0; } >expect &&
	test_cmp expect bases
'

test_expect_success 'v4.2.0 carries the four syncs of the SRU analysis, v5.0.0 only dc6f8d458a' '
	jq -r ".bases[] | select(.base == \"v4.2.0\") | .plan.chain[].commit[0:10]" d.json >got &&
	printf "%s\n" $BUG_CHAIN >expect &&
	test_cmp expect got &&
	jq -r ".bases[] | select(.base == \"v5.0.0\") | .plan.chain[].commit[0:10]" d.json >got &&
	echo dc6f8d458a >expect &&
	test_cmp expect got &&
	jq -e "[.bases[].plan.status] | all(. == \"ok\")" d.json
'

test_expect_success 'the counts are check'\''s, the answer names every base tied for the least' '
	test_expect_code 1 "$BT" check --no-deps --git "$QEMU_GIT" -t v5=git:v5.0.0 --format json $SERIES >c.json &&
	jq -c ".summary.v5" c.json >want &&
	jq -c ".bases[] | select(.base == \"v5.0.0\") | .verdicts | del(.empty)" d.json >got &&
	test_cmp want got &&
	jq -e ".answer.oldest == null" d.json &&
	jq -r ".bases[] | select(.plan.commits == 1) | .base" d.json >ties &&
	jq -r ".answer.least[]" d.json >got &&
	test_cmp ties got &&
	test_grep "^v5.0.0$" got
'

test_expect_success 'text and markdown: the table and the answer line' '
	test_expect_code 1 "$BT" distance --git "$QEMU_GIT" --tags v4.2.0..v5.0.0 \
		$SERIES >d.txt &&
	test_grep "^v4.2.0 .*  4 commits, [0-9]* lines: $BUG_CHAIN\$" d.txt &&
	test_grep "^v5.0.0 .*  1 commit, [0-9]* lines: dc6f8d458a\$" d.txt &&
	test_grep "^no base takes the series without prerequisites; least to carry: v5.0.0 (1 commit, [0-9]* lines)\$" d.txt &&
	test_expect_code 1 "$BT" distance --git "$QEMU_GIT" --tags v4.2.0..v5.0.0 \
		--format markdown $SERIES >d.md &&
	test_grep "^\*\*no base takes the series without prerequisites; least to carry: v5.0.0" d.md &&
	test_grep "^| v4.2.0 | " d.md
'

test_expect_success 'with the header sync carried, v5.0.0 takes the rest as it is' '
	"$BT" distance --git "$QEMU_GIT" --tags v4.2.0..v5.0.0 dc6f8d458a $SERIES >d2.txt &&
	test_grep "^oldest base that takes the series with no prerequisites: v5.0.0; " d2.txt
'

test_done

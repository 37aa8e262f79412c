#!/bin/sh
# t3900-headers-vfio-ccw: the case that motivated the trimmer.  The
# vfio-ccw channel-path feature (5 upstream commits) needs a few lines of
# the "Linux headers: update" commit f76b348ec7, whose full sync does not
# apply to v4.2.0 or v5.0.0.  Trimmed for the five commits, it must touch
# only linux-headers/linux/vfio.h and vfio_ccw.h, apply with fuzz 0, and
# let the feature commits apply on top.  Needs a QEMU clone in QEMU_GIT.
. "$(dirname "$0")/test-lib.sh"

[ -n "${QEMU_GIT:-}" ] || skip_all "QEMU_GIT not set: no QEMU history to trim"

. "$TEST_DIRECTORY/lib/qemugit.sh"

SYNC=$VFIO_HEADERS
FEATURES=$VFIO_FEATURES
v420=$(qemugit_release v4.2.0)
v500=$(qemugit_release v5.0.0)
git --git-dir="$QEMU_GIT" rev-parse -q --verify "$SYNC^{commit}" >/dev/null &&
	[ -n "$v420" ] && [ -n "$v500" ] ||
	skip_all "QEMU_GIT lacks $SYNC, v4.2.0 or v5.0.0"

test_expect_success 'export the sync, the feature commits and both trees' '
	git --git-dir="$QEMU_GIT" format-patch -1 --stdout $SYNC >sync.patch &&
	n=0 &&
	for c in $FEATURES; do
		n=$((n + 1)) &&
		git --git-dir="$QEMU_GIT" format-patch -1 --stdout $c >f$n.patch ||
		return 1
	done &&
	for v in v4.2.0:$v420 v5.0.0:$v500; do
		mkdir ${v%%:*} &&
		git --git-dir="$QEMU_GIT" archive ${v#*:} linux-headers hw include target |
			tar -x -C ${v%%:*} || return 1
	done
'

for v in v4.2.0 v5.0.0; do
	test_expect_success "$v: the full sync does not apply with fuzz 0" "
		cp -r $v full-$v &&
		! patch -s -d full-$v -p1 -F0 --dry-run <sync.patch >/dev/null
	"

	test_expect_success "$v: trimmed, it touches only vfio.h and vfio_ccw.h" "
		\"\$BT\" headers --tree $v --source sync.patch \
			-c f1.patch -c f2.patch -c f3.patch -c f4.patch -c f5.patch \
			-o trim-$v.patch 2>report-$v &&
		sed -n 's|^+++ b/||p' trim-$v.patch >files &&
		printf '%s\n' linux-headers/linux/vfio.h linux-headers/linux/vfio_ccw.h >expect &&
		test_cmp expect files
	"

	test_expect_success "$v: it adds what the features use and little else" "
		for s in VFIO_REGION_SUBTYPE_CCW_SCHIB VFIO_REGION_SUBTYPE_CCW_CRW \
			 VFIO_CCW_CRW_IRQ_INDEX 'struct ccw_schib_region' \
			 'struct ccw_crw_region' SCHIB_AREA_SIZE; do
			grep \"^+.*\$s\" trim-$v.patch >/dev/null || { echo \"missing \$s\"; return 1; }
		done &&
		! grep '^+.*MIGRATION' trim-$v.patch &&
		! grep '^+.*dirty' trim-$v.patch &&
		test \$(grep -c '^+[^+]' trim-$v.patch) -lt 40 &&
		test_grep 'VFIO_CCW_NUM_IRQS changes from 1 to 2, as upstream' report-$v
	"

	test_expect_success "$v: the trimmed diff applies with fuzz 0" "
		cp -r $v trimmed-$v &&
		patch -s -d trimmed-$v -p1 -F0 <trim-$v.patch
	"
done

test_expect_success 'v5.0.0: with it, the five feature commits apply with fuzz 0' '
	for n in 1 2 3 4 5; do
		patch -s -d trimmed-v5.0.0 -p1 -F0 <f$n.patch || return 1
	done
'

test_expect_success 'v5.0.0: without it, they do not' '
	cp -r v5.0.0 bare &&
	for n in 1 2 3 4 5; do
		patch -s -d bare -p1 -F0 <f$n.patch >/dev/null 2>&1 || true
	done &&
	! grep -q VFIO_REGION_SUBTYPE_CCW_SCHIB bare/linux-headers/linux/vfio.h &&
	grep -q VFIO_REGION_SUBTYPE_CCW_SCHIB bare/hw/vfio/ccw.c
'

test_expect_success 'with --git, from commits and git: trees directly, the same diff' '
	"$BT" headers --git "$QEMU_GIT" --tree git:$v500 --source $SYNC \
		-c 2a3b9cbaa7 -c 46ea3841ed -c 690e29b911 -c f6dde1b012 -c f030532f2a \
		-o git.patch 2>/dev/null &&
	test_cmp trim-v5.0.0.patch git.patch
'

test_expect_success 'the JSON report lists kept and dropped declarations' '
	"$BT" headers --tree v5.0.0 --source sync.patch \
		-c f1.patch -c f2.patch -c f3.patch -c f4.patch -c f5.patch \
		-o /dev/null --format json >report.json &&
	jq -e ".kept | map(.name) | index(\"struct ccw_crw_region\")" report.json &&
	jq -e ".dropped | map(.name) | index(\"struct vfio_device_migration_info\")" report.json &&
	jq -e ".summary.kept_lines < .summary.full_lines / 10" report.json
'

test_done

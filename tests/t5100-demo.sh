#!/bin/sh
# t5100-demo: "make demo", the README's first command, end to end on real
# Debian data: its report must name real verdicts and its upload must pass
# quilt and dpkg-source (the script itself stops when they fail).
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib/debsrc.sh"

debsrc_available || skip_all "Debian archive unreachable"

test_expect_success 'the demo runs end to end and says where its report is' '
	(cd "$SRCDIR" && BUILD="$TRASH/build" &&
	 mkdir -p "$BUILD" && cp "$BT" "$BUILD/backport-tool" &&
	 BUILD="$BUILD" sh scripts/demo.sh) >out 2>err </dev/null &&
	test_grep "^backport-tool: demo: [0-9]* of 38 bookworm patches backport (1:5.2+dfsg-11+deb11u4); report in .*/demo/report.md" err &&
	test ! -s out
'

test_expect_success 'the report names real verdicts for every bookworm patch' '
	r=build/demo/report.md &&
	test_grep "^| 1 | v7.2.1.diff | conflict: " $r &&
	test_grep "| openbios-array-bounds.diff | OK |" $r &&
	test_grep "| microvm-default-machine-type.patch | already applied: " $r &&
	test $(grep -c "^| [0-9]* | " $r) -ge 38
'

test_expect_success 'the upload is a bullseye stable update' '
	(cd build/demo/qemu-5.2 && dpkg-parsechangelog -S Version) >v &&
	echo "1:5.2+dfsg-11+deb11u4" >expect && test_cmp expect v &&
	ls build/demo/qemu_5.2+dfsg-11+deb11u4.dsc &&
	c=build/demo/qemu_5.2+dfsg-11+deb11u4_source.changes &&
	test_grep "^Version: 1:5.2+dfsg-11+deb11u4$" $c &&
	test_grep "^ qemu (1:5.2+dfsg-11+deb11u4) bullseye; urgency=medium$" $c &&
	! grep -q "^ qemu (1:5.2+dfsg-11+deb11u3)" $c &&
	test_grep "qemu_5.2+dfsg-11+deb11u4.debian.tar.xz$" $c &&
	! grep -q "orig.tar" $c &&
	test ! -s build/demo/qemu-5.2/.pc/applied-patches
'

test_expect_success 'the trimmed header diff applies to bullseye at fuzz 0' '
	test -s build/demo/headers.patch &&
	d=$(debsrc_patched qemu 1:5.2+dfsg-11+deb11u3) &&
	(cd "$d" && patch -p1 -F0 --dry-run -s) <build/demo/headers.patch
'

test_done

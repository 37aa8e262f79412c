#!/bin/sh
# t5200-build-sbuild: "backport-tool build" end to end in a real chroot
# made from Debian's archive: our own tiny package (tests/lib/tinypkg.sh)
# with a carried fix is packaged as a bullseye stable update, built with
# sbuild (unshare mode, the chroot made once with mmdebstrap and cached in
# $CACHE/chroot), and the .deb it makes runs the fixed program.  A patch
# that breaks the build is reported as failed at the build step with the
# compiler's error, in the build's output and in the report.  Bad input
# (no .dsc, an unknown suite) is refused before anything is written.
#
# Needs Debian's archive, sbuild, mmdebstrap and a subuid range (make deps
# sets them up); skipped without them.
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib/debsrc.sh"
. "$TEST_DIRECTORY/lib/tinypkg.sh"

for tool in sbuild mmdebstrap newuidmap dpkg-source dpkg-deb; do
	command -v $tool >/dev/null || skip_all "$tool not installed (make deps)"
done
grep -q "^$(id -un):" /etc/subuid 2>/dev/null ||
	skip_all "no subuid range for $(id -un) (make deps adds one)"
debsrc_available || skip_all "Debian's archive is not reachable"
export DEBFULLNAME="Jane Doe" DEBEMAIL=jane@example.org SOURCE_DATE_EPOCH=1700000000
V=1.0-1+deb11u1

test_expect_success 'a stable update of our own package, as an upload' '
	mkdir up && tinypkg_write up && tinypkg_patch fix.patch &&
	"$BT" package --source up/hello-bt-1.0 --pocket stable --release-number 11 \
		--bug 1024 --source-package fix.patch >package.out 2>&1 &&
	test -s up/hello-bt_$V.dsc
'

test_expect_success 'build makes the .deb in sbuild; the suite comes from the .changes' '
	# the variables of an outer make must not reach the package: CC=false would
	# break it (sbuild passes MAKEFLAGS on; build removes it)
	MAKEFLAGS=" -- CC=false" "$BT" build -o out up/hello-bt_$V.dsc >build.out 2>build.err &&
	test_grep "^built hello-bt $V for bullseye/amd64 in [0-9]*m[0-9]*s: [0-9] .debs* in out$" build.out &&
	test_grep "^log: .*/out/hello-bt_${V}_amd64.build$" build.out &&
	test_grep "^Status: successful$" out/hello-bt_${V}_amd64.build &&
	test -s out/hello-bt_${V}_amd64.deb && test -s out/hello-bt_${V}_amd64.changes &&
	test -s "$CACHE/chroot/bullseye-amd64.tar.zst"
'

test_expect_success 'the built program is the fixed one' '
	dpkg-deb -x out/hello-bt_${V}_amd64.deb root &&
	root/usr/bin/hello-bt >greeting &&
	echo "hello from a stable update" >expect &&
	test_cmp expect greeting
'

test_expect_success 'the build ran in bullseye, with its security suite' '
	test_grep "^Distribution: bullseye$" out/hello-bt_${V}_amd64.build &&
	test_grep "bullseye-security" out/hello-bt_${V}_amd64.build &&
	# built against bullseye glibc 2.31, not the host bookworm 2.36
	test_grep "^ libc6 (= 2\.31-" out/hello-bt_${V}_amd64.buildinfo
'

test_expect_success 'a patch that breaks the build: failed at build, the first error' '
	mkdir bad && tinypkg_write bad && tinypkg_bad_patch bad.patch &&
	"$BT" package --source bad/hello-bt-1.0 --pocket stable --release-number 11 \
		--source-package bad.patch >bad-package.out 2>&1 &&
	test_expect_code 1 "$BT" build --suite bullseye-security -o bad-out \
		bad/hello-bt_$V.dsc >bad.out 2>bad.err &&
	test_grep "^hello-bt $V for bullseye/amd64: failed at build (Status: attempted)$" bad.out &&
	test_grep "^first error (log line [0-9]*): hello.c:[0-9]*:[0-9]*: error: expected .*;.* before .*}.* token$" bad.out &&
	test_grep "^log: .*/bad-out/hello-bt_${V}_amd64.build$" bad.out &&
	! ls bad-out/*.deb 2>/dev/null
'

test_expect_success 'the chroot is made once: the second build reused the cache' '
	! grep -q "making the bullseye build chroot" bad.err
'

test_expect_success 'the report has a Build section from the log' '
	"$BT" report --tree bullseye=bad/hello-bt-1.0 bad.patch \
		--build-log bad-out/hello-bt_${V}_amd64.build >report.md 2>report.err;
	test_grep "^## Build$" report.md &&
	test_grep "^.hello-bt $V. for bullseye in sbuild: \*\*failed at build (Status: attempted)\*\*\.$" report.md &&
	test_grep "^hello.c:[0-9]*:[0-9]*: error: expected" report.md
'

test_expect_success 'no .dsc: one clear error, exit 2, nothing written' '
	test_expect_code 2 "$BT" build --suite bullseye -o none up/missing_1.0.dsc >o.txt 2>err &&
	test_grep "^backport-tool: up/missing_1.0.dsc: No such file or directory$" err &&
	test $(wc -l <err) -eq 1 && test ! -s o.txt && test ! -e none
'

test_expect_success 'an unknown suite, not a .dsc, nothing to build: exit 2, nothing written' '
	test_expect_code 2 "$BT" build --suite focal -o none up/hello-bt_$V.dsc >o.txt 2>err &&
	test_grep "^backport-tool: unknown suite .focal. (known: bullseye bookworm trixie sid (unstable))$" err &&
	test $(wc -l <err) -eq 1 && test ! -s o.txt && test ! -e none &&
	test_expect_code 2 "$BT" build -o none up/hello-bt-1.0/debian/control >o.txt 2>err &&
	test_grep "not a .dsc file" err && test ! -e none &&
	test_expect_code 2 "$BT" build --no-arch-any -o none up/hello-bt_$V.dsc >o.txt 2>err &&
	test_grep "^backport-tool: build: --no-arch-any without --arch-all builds nothing$" err &&
	test ! -e none
'

test_done

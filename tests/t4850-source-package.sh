#!/bin/sh
# t4850-source-package: "package --source-package" writes an upload that
# the real tools accept: dpkg-source -x extracts it to the same tree with
# the carried patch in its series, dput (simulating, against a PPA-like
# host in a config written here; nothing is uploaded) finds every file
# with the right checksum, lintian has nothing to say about the .changes,
# and the .changes carries the entries since the version it updates.  Bad
# input is refused before anything is written.  The package is our own
# (tests/lib/tinypkg.sh): no network needed.
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib/tinypkg.sh"

for tool in dpkg-source dpkg-genchanges dput lintian; do
	command -v $tool >/dev/null || skip_all "$tool not installed"
done
export DEBFULLNAME="Jane Doe" DEBEMAIL=jane@example.org SOURCE_DATE_EPOCH=1700000000
V=1.0-1+deb11u1

cat >dput.cf <<'EOF_CF'
[test-ppa]
fqdn = ppa.launchpad.net.invalid
method = ftp
incoming = ~backport-tool-tests/ubuntu/ppa/
login = anonymous
allow_unsigned_uploads = 1
EOF_CF

test_expect_success 'package --source-package writes .dsc, .debian.tar.xz and _source.changes' '
	mkdir up && tinypkg_write up && tinypkg_patch fix.patch &&
	"$BT" package --source up/hello-bt-1.0 --pocket stable --release-number 11 \
		--bug 1024 --source-package fix.patch >out 2>err &&
	test_grep "^source package: .*/up/hello-bt_$V.dsc$" out &&
	test_grep "^changes: .*/up/hello-bt_${V}_source.changes (entries since 1.0-1;" out &&
	test -s up/hello-bt_$V.dsc && test -s up/hello-bt_$V.debian.tar.xz &&
	test -s up/hello-bt_${V}_source.changes
'

test_expect_success 'the .changes is a source-only upload of the new entry, orig left out' '
	c=up/hello-bt_${V}_source.changes &&
	test_grep "^Architecture: source$" $c &&
	test_grep "^Version: $V$" $c &&
	test_grep "^Distribution: bullseye$" $c &&
	test_grep "^Closes: 1024$" $c &&
	test_grep "^ hello-bt ($V) bullseye; urgency=medium$" $c &&
	! grep -q "^ hello-bt (1.0-1)" $c &&
	! grep -q "orig.tar" $c &&
	test_grep " hello-bt_$V.dsc$" $c
'

test_expect_success 'the tree is left as it was: no quilt patches applied' '
	test ! -e up/hello-bt-1.0/.pc &&
	grep -q "hello from a backport" up/hello-bt-1.0/hello.c
'

test_expect_success 'dpkg-source -x gives back the tree with the patch applied' '
	(cd up && dpkg-source -x hello-bt_$V.dsc x) >x.log 2>&1 &&
	test_grep "applying bug-1024-1-hello-greet-the-stable-release.patch" x.log &&
	grep -q "hello from a stable update" up/x/hello.c &&
	cmp up/x/debian/patches/series up/hello-bt-1.0/debian/patches/series &&
	cmp up/x/debian/changelog up/hello-bt-1.0/debian/changelog &&
	diff -r -x .pc -x hello.c up/x up/hello-bt-1.0
'

test_expect_success 'dput --simulate to a PPA-like host finds every file and checksum' '
	dput -c dput.cf -s -u test-ppa up/hello-bt_${V}_source.changes >dput.out 2>&1 &&
	test_grep "Simulated upload" dput.out &&
	test_grep "hello-bt_$V.debian.tar.xz to ppa.launchpad.net.invalid" dput.out &&
	# and it would notice a changed file: the check is real
	cp -r up tampered && echo >>tampered/hello-bt_$V.dsc &&
	! dput -c dput.cf -s -u test-ppa tampered/hello-bt_${V}_source.changes >bad.out 2>&1 &&
	test_grep "Checksum doesn.t match" bad.out
'

test_expect_success 'lintian has no error or warning on the .changes' '
	lintian --fail-on error,warning up/hello-bt_${V}_source.changes >lintian.out 2>&1 ||
		{ cat lintian.out; false; }
'

test_expect_success 'a second upload carries both new entries with --changes-since' '
	cat >second.patch <<-\EOP &&
	From 3333333333333333333333333333333333333333 Mon Sep 17 00:00:00 2001
	From: Upstream Author <author@example.org>
	Subject: [PATCH] Makefile: clean the binary

	---
	diff --git a/Makefile b/Makefile
	--- a/Makefile
	+++ b/Makefile
	@@ -6 +6 @@ install:
	-clean:
	+clean: # the binary
	EOP
	"$BT" package --source up/hello-bt-1.0 --pocket stable --bug 1025 \
		--source-package --changes-since 1.0-1 second.patch >out2 2>err2 &&
	c=up/hello-bt_1.0-1+deb11u2_source.changes &&
	test_grep "^ hello-bt (1.0-1+deb11u2) bullseye" $c &&
	test_grep "^ hello-bt (1.0-1+deb11u1) bullseye" $c &&
	! grep -q "^ hello-bt (1.0-1) " $c &&
	test_grep "^Closes: 1024 1025$" $c
'

test_expect_success 'running package again rebuilds the same upload' '
	"$BT" package --source up/hello-bt-1.0 --pocket stable --bug 1025 \
		--source-package second.patch >out3 2>&1 &&
	test_grep "^nothing to do" out3 &&
	test_grep "entries since 1.0-1+deb11u1;" out3
'

test_expect_success 'no orig tarball: one clear error, exit 2, nothing written' '
	mkdir noorig && tinypkg_write noorig && rm noorig/hello-bt_1.0.orig.tar.xz &&
	cp -r noorig before &&
	test_expect_code 2 "$BT" package --source noorig/hello-bt-1.0 --pocket stable \
		--release-number 11 --source-package fix.patch >out 2>err &&
	test_grep "^backport-tool: noorig/hello-bt-1.0: no hello-bt_1.0.orig.tar.xz next to the tree" err &&
	test $(wc -l <err) -eq 1 &&
	diff -r before noorig
'

test_expect_success 'a bad --changes-since and a tree without debian/ are refused' '
	test_expect_code 2 "$BT" package --source noorig/hello-bt-1.0 --pocket stable \
		--release-number 11 --source-package --changes-since "not a version" \
		fix.patch >out 2>err &&
	test_grep "^backport-tool: --changes-since: .not a version. is not a Debian version" err &&
	mkdir -p plain/tree && cp up/hello-bt-1.0/hello.c plain/tree/ &&
	test_expect_code 2 "$BT" package --source plain/tree --pocket stable \
		--source-package fix.patch >out 2>err &&
	test $(wc -l <err) -eq 1 && test_grep "debian/changelog" err &&
	test "$(ls plain)" = tree
'

test_done

#!/bin/sh
# t4000-package.sh - "backport-tool package" on a small 3.0 (quilt) source
# package made here: refreshed patches that the real tools accept (quilt
# push --fuzz=0, dpkg-source, dpkg-parsechangelog), the same tree as the
# fuzzy originals, idempotence, the version of every pocket checked with
# dpkg --compare-versions, and the inputs it must refuse without writing.

. "$(dirname "$0")/test-lib.sh"

for tool in quilt dpkg-source dpkg-parsechangelog patch; do
	command -v $tool >/dev/null || skip_all "$tool not installed"
done

export DEBFULLNAME="Test Maintainer" DEBEMAIL="test@example.org"
export SOURCE_DATE_EPOCH=1700000000
unset QUILT_PATCHES QUILT_SERIES

# lines FROM TO: "line N" for each N, the body of the upstream file.
lines() {
	seq "$1" "$2" | sed 's/^/line /'
}

# The upstream tree: src/main.c of 40 lines, src/util.c of 20.
make_orig() {
	mkdir -p "$1/src" &&
	lines 1 40 >"$1/src/main.c" &&
	lines 1 20 >"$1/src/util.c" &&
	echo "hello" >"$1/README"
}

# make_source DIR VERSION DIST: the unpacked source package, with one
# patch of its own that adds three lines at the top of main.c (so upstream
# patches land at an offset) and changes "line 30" (so a hunk near it needs
# fuzz).
make_source() {
	make_orig "$1" &&
	mkdir -p "$1/debian/source" "$1/debian/patches" &&
	echo "3.0 (quilt)" >"$1/debian/source/format" &&
	cat >"$1/debian/changelog" <<-EOF &&
	hello ($2) $3; urgency=medium

	  * Initial release.

	 -- Test Maintainer <test@example.org>  Tue, 14 Nov 2023 22:13:20 +0000
	EOF
	cat >"$1/debian/control" <<-EOF &&
	Source: hello
	Section: misc
	Priority: optional
	Maintainer: Test Maintainer <test@example.org>
	Standards-Version: 4.6.2
	Rules-Requires-Root: no

	Package: hello
	Architecture: all
	Description: test package
	 A package for backport-tool's tests.
	EOF
	printf '#!/usr/bin/make -f\n%%:\n\tdh $@\n' >"$1/debian/rules" &&
	chmod +x "$1/debian/rules" &&
	cat >"$1/debian/patches/01-own.patch" <<-EOF &&
	Description: the package's own change
	Author: Test Maintainer <test@example.org>
	Forwarded: not-needed
	Last-Update: 2023-11-14
	---
	--- a/src/main.c
	+++ b/src/main.c
	@@ -1,3 +1,6 @@
	+own 1
	+own 2
	+own 3
	 line 1
	 line 2
	 line 3
	@@ -27,7 +30,7 @@
	 line 27
	 line 28
	 line 29
	-line 30
	+line 30 (debian)
	 line 31
	 line 32
	 line 33
	EOF
	printf '# the package'"'"'s own patches\n01-own.patch\n' \
		>"$1/debian/patches/series"
}

# Two upstream commits as git format-patch writes them: the first lands at
# an offset, the second needs fuzz 1 (its context has "line 30").
make_upstream() {
	mkdir -p "$1" &&
	cat >"$1/0001-main-say-ten.patch" <<-EOF &&
	From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001
	From: Up Stream <up@example.org>
	Date: Mon, 1 Jan 2024 00:00:00 +0000
	Subject: [PATCH 1/2] main: say ten

	Ten is louder.

	Signed-off-by: Up Stream <up@example.org>
	---
	 src/main.c | 2 +-
	 1 file changed, 1 insertion(+), 1 deletion(-)

	diff --git a/src/main.c b/src/main.c
	index 0123456..89abcde 100644
	--- a/src/main.c
	+++ b/src/main.c
	@@ -7,7 +7,7 @@
	 line 7
	 line 8
	 line 9
	-line 10
	+LINE 10
	 line 11
	 line 12
	 line 13
	-- 
	2.39.2

	EOF
	cat >"$1/0002-main-and-util-say-thirty-three.patch" <<-EOF &&
	From 2222222222222222222222222222222222222222 Mon Sep 17 00:00:00 2001
	From: Up Stream <up@example.org>
	Date: Mon, 1 Jan 2024 00:00:00 +0000
	Subject: [PATCH 2/2] main and util: say thirty-three

	Signed-off-by: Up Stream <up@example.org>
	---
	diff --git a/src/main.c b/src/main.c
	index 0123456..89abcde 100644
	--- a/src/main.c
	+++ b/src/main.c
	@@ -30,7 +30,7 @@
	 line 30
	 line 31
	 line 32
	-line 33
	+LINE 33
	 line 34
	 line 35
	 line 36
	diff --git a/src/util.c b/src/util.c
	index 0123456..89abcde 100644
	--- a/src/util.c
	+++ b/src/util.c
	@@ -1,3 +1,4 @@
	+/* util */
	 line 1
	 line 2
	 line 3
	--
	2.39.2

	EOF
	printf '0001-main-say-ten.patch\n0002-main-and-util-say-thirty-three.patch\n' \
		>"$1/series"
}

# Checksums of every file under DIR/debian, to see that nothing changed.
debian_sums() {
	(cd "$1" && find debian -type f | sort | xargs md5sum)
}

URL=https://gitlab.example.org/hello/-/commit/

test_expect_success 'setup: a source package, its orig tarball, upstream patches' '
	make_orig orig/hello-1.0 &&
	tar -C orig -czf hello_1.0.orig.tar.gz hello-1.0 &&
	make_source hello-1.0 1.0-2 unstable &&
	make_upstream up &&
	(cd hello-1.0 && QUILT_PATCHES=debian/patches quilt push -a --fuzz=0 &&
	 QUILT_PATCHES=debian/patches quilt pop -a) &&
	rm -rf hello-1.0/.pc
'

test_expect_success 'package --help and bad usage' '
	"$BT" package --help >help &&
	test_grep "pocket" help &&
	test_expect_code 2 "$BT" package --source hello-1.0 --bug LP1 --pocket sru up/0001-main-say-ten.patch 2>err &&
	test_grep "bug" err &&
	test_expect_code 2 "$BT" package --source hello-1.0 --bug 1 --pocket proposed up/0001-main-say-ten.patch 2>err &&
	test_grep "unknown pocket" err &&
	test_expect_code 2 "$BT" package --source hello-1.0 --bug 1x --pocket sru up/0001-main-say-ten.patch &&
	test_expect_code 2 "$BT" package --source hello-1.0 --bug 1 --pocket sru 2>err &&
	test_grep "no patches" err
'

test_expect_success 'package an Ubuntu SRU: refreshed patches, series, changelog' '
	cp -a hello-1.0 sru &&
	"$BT" package --source sru --bug 1887930 --pocket sru \
		--upstream-url "$URL" --series up/series >out &&
	cat out &&
	test -f sru/debian/patches/ubuntu/lp-1887930-1-main-say-ten.patch &&
	test -f sru/debian/patches/ubuntu/lp-1887930-2-main-and-util-say-thirty-three.patch &&
	cat >expect.series <<-EOF &&
	# the package'"'"'s own patches
	01-own.patch
	ubuntu/lp-1887930-1-main-say-ten.patch
	ubuntu/lp-1887930-2-main-and-util-say-thirty-three.patch
	EOF
	test_cmp expect.series sru/debian/patches/series &&
	test "$(dpkg-parsechangelog -l sru/debian/changelog -S Version)" = 1.0-2ubuntu0.1 &&
	test "$(dpkg-parsechangelog -l sru/debian/changelog -S Distribution)" = unstable &&
	test "$(dpkg-parsechangelog -l sru/debian/changelog -S Maintainer)" = "Test Maintainer <test@example.org>" &&
	test "$(dpkg-parsechangelog -l sru/debian/changelog -S Timestamp)" = 1700000000 &&
	dpkg-parsechangelog -l sru/debian/changelog -S Changes >changes &&
	test_grep "d/p/u/lp-1887930-1-main-say-ten.patch: main: say ten (LP: #1887930)" changes &&
	test_grep "^hello (1.0-2) unstable" sru/debian/changelog &&
	test_grep "^Maintainer: Ubuntu Developers <ubuntu-devel-discuss@lists.ubuntu.com>$" sru/debian/control &&
	test_grep "^XSBC-Original-Maintainer: Test Maintainer <test@example.org>$" sru/debian/control &&
	test "$(grep -c Maintainer: sru/debian/control)" = 2 &&
	awk "length > 79 { print; bad = 1 } END { exit bad }" sru/debian/changelog
'

test_expect_success 'the refreshed patches carry DEP-3 and no index lines or timestamps' '
	p1=sru/debian/patches/ubuntu/lp-1887930-1-main-say-ten.patch &&
	p2=sru/debian/patches/ubuntu/lp-1887930-2-main-and-util-say-thirty-three.patch &&
	test_grep "^Subject: \[PATCH 1/2\] main: say ten$" $p1 &&
	test_grep "^Origin: upstream, ${URL}1111111111111111111111111111111111111111$" $p1 &&
	test_grep "^Origin: backport, ${URL}2222222222222222222222222222222222222222$" $p2 &&
	test_grep "^Bug-Ubuntu: https://bugs.launchpad.net/bugs/1887930$" $p1 &&
	test_grep "^Last-Update: 2023-11-14$" $p2 &&
	test_grep "^@@ -10,7 +10,7 @@" $p1 &&
	test_grep "^ line 30 (debian)$" $p2 &&
	test_grep "^--- /dev/null$\|^--- a/src/util.c$" $p2 &&
	! grep -q "^index \|^diff --git\|^Index:\|^+++ .*	" $p1 $p2
'

test_expect_success 'quilt pushes the whole series with fuzz 0 and no offset' '
	cp -a sru quilt &&
	(cd quilt && QUILT_PATCHES=debian/patches quilt push -a --fuzz=0) >push.out &&
	cat push.out &&
	! grep -i "offset\|fuzz" push.out
'

test_expect_success 'the refreshed series gives the same tree as the fuzzy originals' '
	cp -a hello-1.0 fuzzy &&
	(cd fuzzy && P="patch --no-backup-if-mismatch -p1" &&
	 $P -F0 <debian/patches/01-own.patch &&
	 $P -F2 <../up/0001-main-say-ten.patch &&
	 $P -F2 <../up/0002-main-and-util-say-thirty-three.patch) &&
	cp -a sru exact &&
	(cd exact && for p in $(grep -v "^#" debian/patches/series); do
		patch --no-backup-if-mismatch -p1 -F0 <debian/patches/$p ||
		exit 1; done) &&
	diff -r -x debian fuzzy exact
'

test_expect_success 'dpkg-source --before-build and -b accept the result' '
	cp -a sru hello-build &&
	(cd hello-build && dpkg-source --before-build .) &&
	rm -rf hello-build && cp -a sru hello-build &&
	dpkg-source -b hello-build >build.out 2>&1 &&
	cat build.out &&
	test -f hello_1.0-2ubuntu0.1.dsc &&
	test -f hello_1.0-2ubuntu0.1.debian.tar.xz
'

test_expect_success 'packaging twice changes nothing' '
	debian_sums sru >before &&
	"$BT" package --source sru --bug 1887930 --pocket sru \
		--upstream-url "$URL" --series up/series >out2 &&
	test_grep "nothing to do" out2 &&
	debian_sums sru >after &&
	test_cmp before after
'

test_expect_success 'one --message bullet with a glob; a later day keeps the patch files' '
	cp -a hello-1.0 msg &&
	"$BT" package --source msg --bug 1887930 --pocket sru \
		-m "Enable Channel Path Handling for vfio-ccw" --series up/series &&
	dpkg-parsechangelog -l msg/debian/changelog -S Changes >changes &&
	test_grep "d/p/u/lp-1887930-\*: Enable Channel Path Handling for vfio-ccw" changes &&
	test_grep "(LP: #1887930)" changes &&
	debian_sums msg >before &&
	SOURCE_DATE_EPOCH=1800000000 "$BT" package --source msg --bug 1887930 \
		--pocket sru -m "Enable Channel Path Handling for vfio-ccw" \
		--series up/series &&
	debian_sums msg >after &&
	test_cmp before after
'

test_expect_success 'an upstream commit read with --git: Origin names it' '
	rm -rf gitup && mkdir gitup && cp -r orig/hello-1.0/src gitup/ &&
	(cd gitup && git init -q && git add . &&
	 git -c user.name=Up -c user.email=up@example.org commit -qm base &&
	 sed -i "s/^line 20\$/LINE 20/" src/main.c &&
	 git -c user.name=Up -c user.email=up@example.org commit -qam "main: say twenty") &&
	id=$(git -C gitup rev-parse HEAD) &&
	cp -a hello-1.0 fromgit &&
	"$BT" package --source fromgit --bug 3 --pocket sru --upstream-url "$URL" \
		--git gitup HEAD &&
	p=fromgit/debian/patches/ubuntu/lp-3-1-main-say-twenty.patch &&
	test_grep "^Origin: upstream, $URL$id$" $p &&
	test_grep "^Subject: .*main: say twenty" $p &&
	(cd fromgit && QUILT_PATCHES=debian/patches quilt push -a --fuzz=0)
'

test_expect_success 'a patch without a header: named after its file, described by --message' '
	cp -a hello-1.0 bare &&
	sed -n "/^--- a\/src\/util.c/,\$p" up/0002-main-and-util-say-thirty-three.patch |
		sed "/^--\$/,\$d" >up/0007-util-comment.diff &&
	test_expect_code 2 "$BT" package --source bare --bug 9 --pocket sru \
		up/0007-util-comment.diff 2>err &&
	test_grep "nothing describes" err &&
	test ! -d bare/debian/patches/ubuntu &&
	"$BT" package --source bare --bug 9 --pocket sru -m "Comment the util file" \
		up/0007-util-comment.diff &&
	p=bare/debian/patches/ubuntu/lp-9-1-util-comment.patch &&
	test_grep "^Description: Comment the util file$" $p &&
	test_grep "^Bug-Ubuntu: https://bugs.launchpad.net/bugs/9$" $p &&
	(cd bare && QUILT_PATCHES=debian/patches quilt push -a --fuzz=0)
'

test_expect_success '--amend adds a second series to the same entry' '
	cp -a hello-1.0 amend &&
	"$BT" package --source amend --bug 11 --pocket sru up/0001-main-say-ten.patch &&
	"$BT" package --source amend --bug 12 --pocket sru --amend \
		up/0002-main-and-util-say-thirty-three.patch &&
	test "$(dpkg-parsechangelog -l amend/debian/changelog -S Version)" = 1.0-2ubuntu0.1 &&
	test "$(grep -c "^hello (" amend/debian/changelog)" = 2 &&
	dpkg-parsechangelog -l amend/debian/changelog -S Changes >changes &&
	test_grep "lp-11-1-main-say-ten.patch: main: say ten (LP: #11)" changes &&
	test_grep "lp-12-1-main-and-util-say-thirty-three.patch" changes &&
	debian_sums amend >before &&
	"$BT" package --source amend --bug 12 --pocket sru --amend \
		up/0002-main-and-util-say-thirty-three.patch &&
	debian_sums amend >after &&
	test_cmp before after &&
	(cd amend && QUILT_PATCHES=debian/patches quilt push -a --fuzz=0)
'

test_expect_success 'Debian stable: bug-N names, Closes:, +debNuM' '
	make_source stable 1.0-2+deb11u3 bullseye-security &&
	cp stable/debian/control control.before &&
	"$BT" package --source stable --bug 1024 --pocket stable --series up/series &&
	test_cmp control.before stable/debian/control &&
	! grep -q "Non-maintainer upload" stable/debian/changelog &&
	test -f stable/debian/patches/bug-1024-1-main-say-ten.patch &&
	test_grep "^bug-1024-2-main-and-util-say-thirty-three.patch$" stable/debian/patches/series &&
	test_grep "^Bug-Debian: https://bugs.debian.org/1024$" stable/debian/patches/bug-1024-1-main-say-ten.patch &&
	# no --upstream-url: the commit id, as DEP-3 allows
	test_grep "^Origin: upstream, commit:1111111111111111111111111111111111111111$" \
		stable/debian/patches/bug-1024-1-main-say-ten.patch &&
	test "$(dpkg-parsechangelog -l stable/debian/changelog -S Version)" = 1.0-2+deb11u4 &&
	test "$(dpkg-parsechangelog -l stable/debian/changelog -S Distribution)" = bullseye &&
	test "$(dpkg-parsechangelog -l stable/debian/changelog -S Closes)" = 1024
'

test_expect_success 'no bug: backport-N names, no Closes, no Bug field' '
	make_source nobug 1.0-2+deb11u3 bullseye-security &&
	"$BT" package --source nobug --pocket stable --series up/series &&
	test -f nobug/debian/patches/backport-1-main-say-ten.patch &&
	test_grep "^backport-2-main-and-util-say-thirty-three.patch$" nobug/debian/patches/series &&
	! grep -q "^Bug" nobug/debian/patches/backport-1-main-say-ten.patch &&
	test "$(dpkg-parsechangelog -l nobug/debian/changelog -S Version)" = 1.0-2+deb11u4 &&
	test -z "$(dpkg-parsechangelog -l nobug/debian/changelog -S Closes)"
'

test_expect_success 'uncommitted debian/ changes in a git work tree are kept unless --force' '
	make_source gitsrc 1.0-2+deb11u3 bullseye-security &&
	(cd gitsrc && git init -q && git add -A &&
	 git -c user.name=t -c user.email=t@e commit -qm init) &&
	echo "# my local note" >>gitsrc/debian/patches/series &&
	cp gitsrc/debian/patches/series series.mine &&
	test_expect_code 2 "$BT" package --source gitsrc --pocket stable --series up/series 2>err &&
	test_grep "debian/patches/series" err &&
	test_cmp series.mine gitsrc/debian/patches/series &&
	"$BT" package --source gitsrc --pocket stable --force --series up/series &&
	test_grep "^# my local note" gitsrc/debian/patches/series &&
	test_grep "^backport-1-main-say-ten.patch" gitsrc/debian/patches/series
'

test_expect_success 'Debian: an upload by someone else says Non-maintainer upload. first' '
	make_source nmu 1.0-2+deb11u3 bullseye &&
	DEBEMAIL="Some One <some@example.org>" "$BT" package --source nmu --bug 7 \
		--pocket stable --series up/series &&
	dpkg-parsechangelog -l nmu/debian/changelog -S Changes >changes &&
	sed -n "4p" changes >first &&
	echo "  * Non-maintainer upload." >expect &&
	test_cmp expect first &&
	test "$(dpkg-parsechangelog -l nmu/debian/changelog -S Maintainer)" = "Some One <some@example.org>"
'

# pocket table: VERSION DIST ARGS... -> EXPECTED, and how it must sort
while read -r cur dist expect rel args; do
	test_expect_success "version: $cur $args -> $expect" '
		rm -rf v && make_source v "$cur" "$dist" &&
		"$BT" package --source v --bug 42 $args --series up/series >/dev/null &&
		got=$(dpkg-parsechangelog -l v/debian/changelog -S Version) &&
		echo "$got" && test "$got" = "$expect" &&
		dpkg --compare-versions "$got" "$rel" "$cur"
	'
done <<EOF
1.0-5ubuntu7 jammy 1.0-5ubuntu8 gt --pocket devel
1.0-2 jammy 1.0-2ubuntu1 gt --pocket devel
1.0-3ubuntu6.4 focal 1.0-3ubuntu6.5 gt --pocket sru
1.0-5ubuntu8 focal 1.0-5ubuntu8.1 gt --pocket sru
1:1.0-2 focal 1:1.0-2ubuntu0.1 gt --pocket sru
1.0-2 focal 1.0-2ubuntu0.20.04.1 gt --pocket sru --release-number 20.04
1.0-2ubuntu0.20.04.1 focal-security 1.0-2ubuntu0.20.04.2 gt --pocket sru --release-number 20.04
1.0-3ubuntu6.4 focal 1.0-3ubuntu6.5~ppa1 gt --pocket ppa
1.0-3ubuntu6.5~ppa1 focal 1.0-3ubuntu6.5~ppa2 gt --pocket ppa
1.0-5ubuntu7 jammy 1.0-5ubuntu8~ppa1 gt --pocket ppa --ppa-base devel
1.0-2ubuntu1 jammy 1.0-2ubuntu1~bpo20.04.1 lt --pocket backports --release-number 20.04 --distribution focal-backports
1.0-2 bookworm 1.0-2~bpo11+1 lt --pocket backports --release-number 11 --distribution bullseye-backports
1.0-2+deb11u3 bullseye 1.0-2+deb11u4 gt --pocket stable
1.0-2 bullseye 1.0-2+deb11u1 gt --pocket stable
1.0-2 bookworm 1.0-2+deb12u1 gt --pocket stable
1.0-2 trixie 1.0-3 gt --pocket devel --vendor debian
EOF

test_expect_success 'a PPA build sorts between the current version and the real upload' '
	dpkg --compare-versions 1.0-3ubuntu6.5~ppa1 gt 1.0-3ubuntu6.4 &&
	dpkg --compare-versions 1.0-3ubuntu6.5~ppa1 lt 1.0-3ubuntu6.5
'

test_expect_success 'no maintainer: a clear error and nothing written, nor said to be' '
	cp -a hello-1.0 nomaint &&
	debian_sums nomaint >before &&
	(unset DEBFULLNAME DEBEMAIL NAME EMAIL &&
	 test_expect_code 2 "$BT" package --source nomaint --bug 1 --pocket sru \
		--series up/series >out 2>err) &&
	test_grep "DEBFULLNAME" err &&
	test $(wc -l <err) -eq 1 &&
	! grep "written" out &&
	debian_sums nomaint >after &&
	test_cmp before after
'

test_expect_success 'the maintainer from NAME and EMAIL, as dch reads them' '
	cp -a hello-1.0 dchname &&
	(unset DEBFULLNAME DEBEMAIL &&
	 NAME="Dee Ch" EMAIL=dch@example.org "$BT" package --source dchname \
		--bug 1 --pocket sru --series up/series >out) &&
	test_grep "written" out &&
	test_grep "^ -- Dee Ch <dch@example.org>  " dchname/debian/changelog
'

test_expect_success 'a conflicting patch: exit 1 and nothing written' '
	cp -a hello-1.0 conflict &&
	cat >bad.patch <<-EOF &&
	Subject: does not fit
	--- a/src/util.c
	+++ b/src/util.c
	@@ -5,2 +5,2 @@
	 no such
	-line
	+here
	EOF
	debian_sums conflict >before &&
	test_expect_code 1 "$BT" package --source conflict --bug 1 --pocket sru \
		up/0001-main-say-ten.patch bad.patch 2>err &&
	test_grep "conflict" err &&
	debian_sums conflict >after &&
	test_cmp before after
'

test_expect_success 'an already applied patch is not carried' '
	cp -a sru again &&
	debian_sums again >before &&
	"$BT" package --source again --bug 5 --pocket sru up/0001-main-say-ten.patch >out &&
	test_grep "already in" out &&
	test_grep "nothing to do" out &&
	debian_sums again >after &&
	test_cmp before after
'

test_expect_success 'a partly applied patch needs a human: exit 1' '
	cp -a hello-1.0 partly &&
	sed -i "1i /* util */" partly/src/util.c &&
	test_expect_code 1 "$BT" package --source partly --bug 5 --pocket sru \
		up/0002-main-and-util-say-thirty-three.patch 2>err &&
	test_grep "1 of 2 hunks are already in" err &&
	test ! -d partly/debian/patches/ubuntu
'

test_expect_success 'quilt state it does not understand is refused' '
	cp -a hello-1.0 pc &&
	mkdir -p pc/.pc && echo other.patch >pc/.pc/applied-patches &&
	debian_sums pc >before &&
	test_expect_code 2 "$BT" package --source pc --bug 1 --pocket sru \
		--series up/series 2>err &&
	test_grep "quilt state" err &&
	debian_sums pc >after &&
	test_cmp before after
'

test_expect_success 'patches applied by quilt (as dpkg-source -x leaves them) are understood' '
	cp -a hello-1.0 pushed &&
	(cd pushed && QUILT_PATCHES=debian/patches quilt push -a --fuzz=0) &&
	"$BT" package --source pushed --bug 1887930 --pocket sru --upstream-url "$URL" \
		--series up/series &&
	diff -r -x .pc sru/debian pushed/debian &&
	(cd pushed && QUILT_PATCHES=debian/patches quilt push -a --fuzz=0)
'

test_expect_success 'our own patches applied on disk: refused until quilt pops them' '
	cp -a sru ourspushed &&
	(cd ourspushed && QUILT_PATCHES=debian/patches quilt push -a --fuzz=0) &&
	debian_sums ourspushed >before &&
	test_expect_code 2 "$BT" package --source ourspushed --bug 1887930 --pocket sru \
		--upstream-url "$URL" --series up/series 2>err &&
	test_grep "is applied on disk" err &&
	debian_sums ourspushed >after &&
	test_cmp before after &&
	(cd ourspushed && QUILT_PATCHES=debian/patches quilt pop -a) &&
	"$BT" package --source ourspushed --bug 1887930 --pocket sru \
		--upstream-url "$URL" --series up/series >out &&
	test_grep "nothing to do" out
'

test_expect_success 'a source whose own series does not apply at fuzz 0 is refused' '
	cp -a hello-1.0 brokenown &&
	sed -i "s/^line 29\$/line twenty-nine/" brokenown/src/main.c &&
	test_expect_code 2 "$BT" package --source brokenown --bug 1 --pocket sru \
		--series up/series 2>err &&
	test_grep "01-own.patch.* does not apply with fuzz 0" err &&
	test ! -d brokenown/debian/patches/ubuntu
'

test_expect_success 'a .pc made for another patches directory is refused' '
	cp -a hello-1.0 otherpc &&
	mkdir otherpc/.pc && echo patches >otherpc/.pc/.quilt_patches &&
	test_expect_code 2 "$BT" package --source otherpc --bug 1 --pocket sru \
		--series up/series 2>err &&
	test_grep "quilt_patches:1: quilt state this tool does not understand" err &&
	echo debian/patches >otherpc/.pc/.quilt_patches &&
	echo series >otherpc/.pc/.quilt_series &&
	"$BT" package --source otherpc --bug 1 --pocket sru --series up/series
'

test_expect_success '--dry-run says what it would write and writes nothing' '
	cp -a hello-1.0 dry &&
	debian_sums dry >before &&
	"$BT" package --source dry --bug 1 --pocket sru -n --series up/series >out &&
	test_grep "lp-1-2-main-and-util-say-thirty-three.patch: would be written" out &&
	test_grep "debian/changelog: hello (1.0-2ubuntu0.1)" out &&
	debian_sums dry >after &&
	test_cmp before after
'

test_expect_success 'an UNRELEASED top entry gets the changes, like dch' '
	make_source unrel 1.0-2ubuntu1 UNRELEASED &&
	"$BT" package --source unrel --bug 4 --pocket devel --series up/series >out &&
	test_grep "UNRELEASED" out &&
	test "$(dpkg-parsechangelog -l unrel/debian/changelog -S Version)" = 1.0-2ubuntu1 &&
	test "$(grep -c "^hello (" unrel/debian/changelog)" = 1 &&
	dpkg-parsechangelog -l unrel/debian/changelog -S Changes >changes &&
	test_grep "Initial release" changes &&
	test_grep "lp-4-1-main-say-ten.patch" changes
'

test_expect_success 'a source that is not 3.0 (quilt) is refused' '
	cp -a hello-1.0 native &&
	echo "3.0 (native)" >native/debian/source/format &&
	test_expect_code 2 "$BT" package --source native --bug 1 --pocket sru \
		--series up/series 2>err &&
	test_grep "not 3.0 (quilt)" err
'

# cve_upstream DIR: the two upstream patches with CVE ids, as upstream
# writes them: the first in its message body, the second in its subject;
# and both again naming one CVE (a fix in two commits).
cve_upstream() {
	mkdir -p "$1" &&
	sed "s/^Ten is louder.\$/Ten is louder (CVE-2024-11111)./" \
		up/0001-main-say-ten.patch >"$1/0001.patch" &&
	sed "s/^\(Subject: .*thirty-three\)\$/\1 (CVE-2024-22222)/" \
		up/0002-main-and-util-say-thirty-three.patch >"$1/0002.patch" &&
	sed "s/^Ten is louder.\$/Part one of CVE-2024-33333./" \
		up/0001-main-say-ten.patch >"$1/0003.patch" &&
	sed "s/^Signed-off-by: Up/Part two of cve-2024-33333.\n\nSigned-off-by: Up/" \
		up/0002-main-and-util-say-thirty-three.patch >"$1/0004.patch" &&
	printf "0001.patch\n0002.patch\n" >"$1/series" &&
	printf "0003.patch\n0004.patch\n" >"$1/series.one"
}

# sec_source DIR VERSION DIST: make_source in DIR/hello-1.0 with the orig
# tarball next to it, for dpkg-source -b.
sec_source() {
	mkdir -p "$1" && make_source "$1/hello-1.0" "$2" "$3" &&
	cp hello_1.0.orig.tar.gz "$1/"
}

# flavours DIR: two own patches after a marker comment, as curl's series
# has them (debian/rules pops them to build the other flavours).
flavours() {
	cat >"$1/debian/patches/90-flavour.patch" <<-EOF &&
	Description: another flavour
	Forwarded: not-needed
	---
	--- a/src/util.c
	+++ b/src/util.c
	@@ -18,3 +18,3 @@
	 line 18
	 line 19
	-line 20
	+line 20 (flavour)
	EOF
	cat >"$1/debian/patches/99-other.patch" <<-EOF &&
	Description: yet another flavour
	Forwarded: not-needed
	---
	--- a/README
	+++ b/README
	@@ -1 +1,2 @@
	 hello
	+other
	EOF
	printf "# Always add CVE patches before these two patches\n90-flavour.patch\n99-other.patch\n" \
		>>"$1/debian/patches/series"
}

test_expect_success 'setup: upstream fixes that name CVEs' '
	cve_upstream cve
'

test_expect_success 'a Debian security upload: +debNuM, -security kept, CVE names and bullets' '
	sec_source dsa 1.0-2+deb11u1 bullseye-security &&
	"$BT" package --source dsa/hello-1.0 --bug 1063238 --pocket security \
		--series cve/series >out &&
	cat out &&
	d=dsa/hello-1.0/debian &&
	test "$(dpkg-parsechangelog -l $d/changelog -S Version)" = 1.0-2+deb11u2 &&
	test "$(dpkg-parsechangelog -l $d/changelog -S Distribution)" = bullseye-security &&
	test "$(dpkg-parsechangelog -l $d/changelog -S Urgency)" = high &&
	test -f $d/patches/CVE-2024-11111.patch &&
	test -f $d/patches/CVE-2024-22222.patch &&
	test_grep "^CVE-2024-11111.patch$" $d/patches/series &&
	dpkg-parsechangelog -l $d/changelog -S Changes >changes &&
	test_grep "^  \* Fix CVE-2024-11111: main: say ten (Closes: #1063238)$" changes &&
	test_grep "^  \* Fix CVE-2024-22222: main and util: say thirty-three (Closes: #1063238)$" changes &&
	! grep "thirty-three (CVE" changes &&
	cp -a dsa/hello-1.0 dsa-quilt &&
	(cd dsa-quilt && QUILT_PATCHES=debian/patches quilt push -a --fuzz=0) &&
	(cd dsa && dpkg-source -b hello-1.0) &&
	test -f dsa/hello_1.0-2+deb11u2.dsc
'

test_expect_success 'the same fixes in the stable pocket: no CVE names, no -security' '
	sec_source stable 1.0-2+deb11u1 bullseye-security &&
	"$BT" package --source stable/hello-1.0 --bug 5 --pocket stable \
		--series cve/series &&
	d=stable/hello-1.0/debian &&
	test "$(dpkg-parsechangelog -l $d/changelog -S Distribution)" = bullseye &&
	test "$(dpkg-parsechangelog -l $d/changelog -S Urgency)" = medium &&
	test -f $d/patches/bug-5-1-main-say-ten.patch &&
	! ls $d/patches | grep CVE
'

test_expect_success 'a security upload: several commits for one CVE are -1, -2; lower case found' '
	sec_source one 1.0-2+deb11u1 bullseye &&
	"$BT" package --source one/hello-1.0 --pocket security \
		--series cve/series.one &&
	d=one/hello-1.0/debian &&
	test "$(dpkg-parsechangelog -l $d/changelog -S Distribution)" = bullseye-security &&
	printf "%s\n" CVE-2024-33333-1.patch CVE-2024-33333-2.patch >expect &&
	tail -n 2 $d/patches/series >actual &&
	test_cmp expect actual &&
	dpkg-parsechangelog -l $d/changelog -S Changes >changes &&
	test "$(grep -c "CVE-2024-33333" changes)" = 1 &&
	(cd one/hello-1.0 && QUILT_PATCHES=debian/patches quilt push -a --fuzz=0)
'

test_expect_success 'a patch naming no CVE keeps its plain name in a security upload' '
	sec_source nocve 1.0-2+deb11u1 bullseye-security &&
	"$BT" package --source nocve/hello-1.0 --bug 7 --pocket security \
		up/0001-main-say-ten.patch &&
	test -f nocve/hello-1.0/debian/patches/bug-7-1-main-say-ten.patch &&
	test "$(dpkg-parsechangelog -l nocve/hello-1.0/debian/changelog -S Version)" = 1.0-2+deb11u2
'

test_expect_success 'an Ubuntu security upload: ubuntuX.Y, focal-security, SECURITY UPDATE' '
	sec_source usn 1.0-2 focal &&
	"$BT" package --source usn/hello-1.0 --pocket security --series cve/series &&
	d=usn/hello-1.0/debian &&
	test "$(dpkg-parsechangelog -l $d/changelog -S Version)" = 1.0-2ubuntu0.1 &&
	test "$(dpkg-parsechangelog -l $d/changelog -S Distribution)" = focal-security &&
	test "$(dpkg-parsechangelog -l $d/changelog -S Urgency)" = medium &&
	test -f $d/patches/CVE-2024-11111.patch &&
	cat >expect <<-EOF &&
	  * SECURITY UPDATE: main: say ten
	    - debian/patches/CVE-2024-11111.patch: main: say ten.
	    - CVE-2024-11111
	  * SECURITY UPDATE: main and util: say thirty-three
	    - debian/patches/CVE-2024-22222.patch: main and util: say thirty-three.
	    - CVE-2024-22222
	EOF
	sed -n "/SECURITY UPDATE/,/^\$/p" $d/changelog | sed "/^\$/d" >actual &&
	test_cmp expect actual &&
	debian_sums usn/hello-1.0 >before &&
	"$BT" package --source usn/hello-1.0 --pocket security --series cve/series &&
	debian_sums usn/hello-1.0 >after &&
	test_cmp before after
'

test_expect_success 'the series marker: new patches go before "these two patches"' '
	sec_source mark 1.0-2+deb11u1 bullseye-security &&
	flavours mark/hello-1.0 &&
	"$BT" package --source mark/hello-1.0 --pocket security \
		--series cve/series >out &&
	test_grep "as its comment says" out &&
	cat >expect <<-EOF &&
	# the package'"'"'s own patches
	01-own.patch
	CVE-2024-11111.patch
	CVE-2024-22222.patch
	# Always add CVE patches before these two patches
	90-flavour.patch
	99-other.patch
	EOF
	test_cmp expect mark/hello-1.0/debian/patches/series &&
	(cd mark/hello-1.0 && QUILT_PATCHES=debian/patches quilt push -a --fuzz=0 &&
	 QUILT_PATCHES=debian/patches quilt pop 2 &&
	 grep "^LINE 10$" src/main.c && grep "^/\* util \*/$" src/util.c)
'

test_expect_success 'without a marker the new patches are appended' '
	sec_source nomark 1.0-2+deb11u1 bullseye-security &&
	flavours nomark/hello-1.0 &&
	sed -i "s/^# Always add.*/# the flavours/" nomark/hello-1.0/debian/patches/series &&
	"$BT" package --source nomark/hello-1.0 --pocket security \
		--series cve/series >out &&
	! grep "comment says" out &&
	test "$(tail -n 1 nomark/hello-1.0/debian/patches/series)" = CVE-2024-22222.patch
'

test_expect_success '--before PATCH puts them before that entry' '
	sec_source bef 1.0-2+deb11u1 bullseye-security &&
	flavours bef/hello-1.0 &&
	"$BT" package --source bef/hello-1.0 --pocket security \
		--before 99-other.patch --series cve/series >out &&
	test_grep "inserted at line 5 (--before)" out &&
	grep -v "^#" bef/hello-1.0/debian/patches/series >actual &&
	printf "%s\n" 01-own.patch 90-flavour.patch CVE-2024-11111.patch \
		CVE-2024-22222.patch 99-other.patch >expect &&
	test_cmp expect actual &&
	(cd bef/hello-1.0 && QUILT_PATCHES=debian/patches quilt push -a --fuzz=0)
'

test_expect_success '--before an entry the series lacks is refused, nothing written' '
	sec_source nobefore 1.0-2+deb11u1 bullseye-security &&
	debian_sums nobefore/hello-1.0 >before &&
	test_expect_code 2 "$BT" package --source nobefore/hello-1.0 \
		--pocket security --before 99-other.patch --series cve/series 2>err &&
	test_grep "no such entry" err &&
	debian_sums nobefore/hello-1.0 >after &&
	test_cmp before after
'

test_expect_success 'an own patch after the insertion point that no longer applies: conflict' '
	sec_source clash 1.0-2+deb11u1 bullseye-security &&
	flavours clash/hello-1.0 &&
	cat >clash/hello-1.0/debian/patches/90-flavour.patch <<-EOF &&
	Description: a flavour that changes what the fix changes
	Forwarded: not-needed
	---
	--- a/src/main.c
	+++ b/src/main.c
	@@ -12,3 +12,3 @@
	 line 9
	-line 10
	+line 10 (flavour)
	 line 11
	EOF
	(cd clash/hello-1.0 && QUILT_PATCHES=debian/patches quilt push -a --fuzz=0 &&
	 QUILT_PATCHES=debian/patches quilt pop -a && rm -rf .pc) &&
	debian_sums clash/hello-1.0 >before &&
	test_expect_code 1 "$BT" package --source clash/hello-1.0 \
		--pocket security --series cve/series 2>err &&
	test_grep "90-flavour.patch.*does not apply with fuzz 0 after the new patches" err &&
	debian_sums clash/hello-1.0 >after &&
	test_cmp before after
'

test_expect_success '--cve names the CVE of patches whose text names none' '
	sec_source given 1.0-2+deb11u1 bullseye-security &&
	"$BT" package --source given/hello-1.0 --pocket security \
		--cve CVE-2024-44444 --series up/series &&
	d=given/hello-1.0/debian &&
	printf "%s\n" CVE-2024-44444-1.patch CVE-2024-44444-2.patch >expect &&
	tail -n 2 $d/patches/series >actual &&
	test_cmp expect actual &&
	dpkg-parsechangelog -l $d/changelog -S Changes >changes &&
	test_grep "^  \* Fix CVE-2024-44444: main: say ten$" changes &&
	sec_source own 1.0-2+deb11u1 bullseye-security &&
	"$BT" package --source own/hello-1.0 --pocket security \
		--cve CVE-2024-44444 --series cve/series &&
	test -f own/hello-1.0/debian/patches/CVE-2024-11111.patch &&
	test_expect_code 2 "$BT" package --source own/hello-1.0 --pocket security \
		--cve CVE-24-1 --series cve/series 2>err &&
	test_grep "takes a CVE id" err &&
	test_expect_code 2 "$BT" package --source own/hello-1.0 --pocket stable \
		--cve CVE-2024-44444 --series cve/series 2>err &&
	test_grep "is for --pocket security" err
'

test_expect_success 'a security upload of a version from unstable needs --distribution' '
	sec_source sid 1.0-2 unstable &&
	debian_sums sid/hello-1.0 >before &&
	test_expect_code 2 "$BT" package --source sid/hello-1.0 --pocket security \
		--series cve/series 2>err &&
	test_grep "needs --distribution (e.g. bullseye-security): the top entry is for unstable" err &&
	debian_sums sid/hello-1.0 >after &&
	test_cmp before after &&
	"$BT" package --source sid/hello-1.0 --pocket security \
		--distribution bullseye-security --series cve/series &&
	d=sid/hello-1.0/debian &&
	test "$(dpkg-parsechangelog -l $d/changelog -S Version)" = 1.0-2+deb11u1 &&
	test "$(dpkg-parsechangelog -l $d/changelog -S Distribution)" = bullseye-security &&
	test -f $d/patches/CVE-2024-11111.patch
'

test_expect_success 'a bullet does not repeat the CVE ids of the subject, keeps the rest' '
	sed "s/^\(Subject: .*say ten\)\$/\1 (CVE-2024-55555, fixes #12)/" \
		up/0001-main-say-ten.patch >cve/0005.patch &&
	sed "s/^Subject: \[PATCH 1\/2\] /Subject: CVE-2024-66666: /" \
		up/0001-main-say-ten.patch >cve/0006.patch &&
	sec_source strip 1.0-2+deb11u1 bullseye-security &&
	"$BT" package --source strip/hello-1.0 --pocket security cve/0005.patch &&
	dpkg-parsechangelog -l strip/hello-1.0/debian/changelog -S Changes >changes &&
	test_grep "^  \* Fix CVE-2024-55555: main: say ten (fixes #12)$" changes &&
	sec_source strip2 1.0-2+deb11u1 bullseye-security &&
	"$BT" package --source strip2/hello-1.0 --pocket security cve/0006.patch &&
	dpkg-parsechangelog -l strip2/hello-1.0/debian/changelog -S Changes >changes &&
	test_grep "^  \* Fix CVE-2024-66666: main: say ten$" changes
'

test_expect_success 'a CVE name the package uses for another change is not overwritten' '
	sec_source clash2 1.0-2+deb11u1 bullseye-security &&
	d=clash2/hello-1.0/debian &&
	cp up/0002-main-and-util-say-thirty-three.patch $d/patches/CVE-2024-11111.patch &&
	echo CVE-2024-11111.patch >>$d/patches/series &&
	cp $d/patches/CVE-2024-11111.patch earlier &&
	"$BT" package --source clash2/hello-1.0 --pocket security \
		cve/0001.patch >out &&
	test_grep "debian/patches/CVE-2024-11111.patch: the package has it with another change: the new patch is CVE-2024-11111-2.patch" out &&
	test_cmp earlier $d/patches/CVE-2024-11111.patch &&
	test "$(tail -n 1 $d/patches/series)" = CVE-2024-11111-2.patch &&
	debian_sums clash2/hello-1.0 >before &&
	"$BT" package --source clash2/hello-1.0 --pocket security \
		cve/0001.patch >out &&
	debian_sums clash2/hello-1.0 >after &&
	test_cmp before after
'

test_done

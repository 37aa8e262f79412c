#!/bin/sh
# t4860-security-upload-debian.sh - "backport-tool package --pocket
# security" on real Debian data, two C packages with different build
# systems, each with an upstream CVE fix from its own git history that the
# Debian version does not carry yet:
#
#   expat 2.2.10-2+deb11u7 (autotools), bullseye-security's newest, and
#     CVE-2026-24515 (commit 86fc914a, whose message names no CVE: --cve);
#   openjpeg2 2.4.0-3 (CMake), bullseye's release, and CVE-2021-3575
#     (commit 7bd884f8, named in its subject); the first security upload
#     of a version that came from unstable.
#
# Each fix is judged with check --git, packaged as a security upload, and
# the upload is checked against Debian's security team conventions
# (+debNuM, bullseye-security, urgency=high, CVE-YYYY-N.patch, "Fix
# CVE-...:" bullet, the series kept and the new entry at its end) and by
# the real tools: quilt push -a --fuzz=0, dpkg-source -b, dpkg-source -x
# of the result.  Before packaging, check --build compiles the fix on the
# patched Debian source (the directory target: its build system found,
# dpkg-buildflags' flags), every touched unit without an error.
#
# Needs Debian's archive (tests/lib/debsrc.sh) and the upstream histories
# in EXPAT_GIT and OPENJPEG_GIT; a package whose history is not given is
# skipped, saying so.

. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib/debsrc.sh"

EXPAT=2.2.10-2+deb11u7
EXPAT_FIX=86fc914a7acc49246d5fde0ab6ed97eb8a0f15f9
EXPAT_CVE=CVE-2026-24515
OPENJPEG=2.4.0-3
OPENJPEG_FIX=7bd884f875
OPENJPEG_CVE=CVE-2021-3575

for tool in quilt dpkg-source dpkg-parsechangelog jq; do
	command -v $tool >/dev/null || skip_all "$tool not installed"
done
[ -n "$EXPAT_GIT$OPENJPEG_GIT" ] ||
	skip_all "neither EXPAT_GIT nor OPENJPEG_GIT names an upstream history"
debsrc_available || skip_all "Debian's archive is not reachable"

# The uploader is not the maintainer: Debian's security team and LTS
# uploads are NMUs, and say so.
export DEBFULLNAME="Security Tester" DEBEMAIL="security@example.org"
export SOURCE_DATE_EPOCH=1700000000
unset QUILT_PATCHES QUILT_SERIES

# builds REPO COMMIT TREE SYSTEM: check --build on the patched Debian tree
# finds SYSTEM, compiles every unit the fix touches, and no error.
builds() {
	"$BT" check --git "$1" --build --build-dir bcache --format json \
		-t "bullseye=$3" "$2" >build.json &&
	jq -e ".builds[0].system == \"$4\" and .builds[0].error == null and
		(.builds[0].units | length) > 0 and
		all(.builds[0].units[]; .ok) and
		([.builds[0].diagnostics[] | select(.severity == \"error\")] == [])" \
		build.json
}

# judge PKG REPO COMMIT TREE: check --git's verdict on the patched tree.
judge() {
	"$BT" check --git "$2" --format json -t "$1=$4" "$3" >"$1.check.json"
	jq -r ".patches[0].results[0].verdict" "$1.check.json"
}

# upload_ok DIR ORIG NAME VERSION: the real tools accept the upload in DIR
# (the source package NAME_VERSION, orig tarball ORIG), and the extracted
# result applies the whole series.  dpkg-source -b works on a copy, as it
# leaves the patches applied.
upload_ok() {
	tree_copy "$1" "$1.quilt" >/dev/null &&
	(cd "$1.quilt" && QUILT_PATCHES=debian/patches \
		quilt --quiltrc /dev/null push -a --fuzz=0) >"$1.push" &&
	tail -n 1 "$1.push" &&
	rm -rf "$1.quilt" &&
	ln -sf "$2" . &&
	tree_copy "$1" "$1.b" >/dev/null &&
	dpkg-source -b "$1.b" >"$1.build" 2>&1 &&
	test -f "$3_$4.dsc" &&
	dpkg-source -x "$3_$4.dsc" "$1.x" >"$1.extract" 2>&1 &&
	test_grep "applying CVE-" "$1.extract"
}

if [ -n "$EXPAT_GIT" ]; then
	expat_src=$(debsrc_unpacked expat $EXPAT) &&
	expat_patched=$(debsrc_patched expat $EXPAT) ||
		skip_all "cannot fetch expat $EXPAT"

	test_expect_success 'expat: the Debian version does not carry the fix' '
		! grep -rq "oldUnknownEncodingHandlerData" "$expat_patched/expat/lib" &&
		! grep -rq "$EXPAT_CVE" "$expat_src/debian" &&
		git --git-dir="$EXPAT_GIT" cat-file -e "$EXPAT_FIX^{commit}"
	'

	test_expect_success 'expat: check --git judges the upstream fix' '
		v=$(judge bullseye "$EXPAT_GIT" $EXPAT_FIX "$expat_patched") &&
		echo "$v" &&
		case $v in clean|offset|fuzz) ;; *) false ;; esac
	'

	test_expect_success 'expat: check --build compiles it on the Debian source (autotools)' '
		builds "$EXPAT_GIT" $EXPAT_FIX "$expat_patched" autotools
	'

	test_expect_success 'expat: packaged as a Debian security upload' '
		tree_copy "$expat_src" expat-2.2.10 >/dev/null &&
		"$BT" package --source expat-2.2.10 --pocket security \
			--cve $EXPAT_CVE --upstream-url https://github.com/libexpat/libexpat/commit/ \
			--git "$EXPAT_GIT" $EXPAT_FIX >out &&
		cat out &&
		c=expat-2.2.10/debian/changelog &&
		test "$(dpkg-parsechangelog -l $c -S Version)" = 2.2.10-2+deb11u8 &&
		test "$(dpkg-parsechangelog -l $c -S Distribution)" = bullseye-security &&
		test "$(dpkg-parsechangelog -l $c -S Urgency)" = high &&
		dpkg-parsechangelog -l $c -S Changes >changes &&
		test_grep "^  \* Non-maintainer upload.$" changes &&
		test_grep "^  \* Fix $EXPAT_CVE: lib: Make XML_ExternalEntityParserCreate copy" changes &&
		p=expat-2.2.10/debian/patches/$EXPAT_CVE.patch &&
		test_grep "^Origin: upstream, https://github.com/libexpat/libexpat/commit/$EXPAT_FIX$" $p &&
		test_grep "^+.*oldUnknownEncodingHandlerData" $p &&
		cp "$expat_src/debian/patches/series" expect &&
		echo $EXPAT_CVE.patch >>expect &&
		test_cmp expect expat-2.2.10/debian/patches/series
	'

	test_expect_success 'expat: quilt, dpkg-source -b and -x accept the upload' '
		upload_ok expat-2.2.10 "$CACHE/src/expat_2.2.10.orig.tar.gz" \
			expat 2.2.10-2+deb11u8 &&
		grep -q "oldUnknownEncodingHandlerData" expat-2.2.10.x/expat/lib/xmlparse.c
	'

	test_expect_success 'expat: without --cve the fix is not named after a CVE' '
		tree_copy "$expat_src" expat-nocve >/dev/null &&
		"$BT" package --source expat-nocve --pocket security \
			--git "$EXPAT_GIT" $EXPAT_FIX >out &&
		tail -n 1 expat-nocve/debian/patches/series >last &&
		test_grep "^backport-1-lib-make-xml-externalentityparsercreate-.*\.patch$" last &&
		! grep -q "$EXPAT_CVE" expat-nocve/debian/changelog
	'
else
	echo "# skipping expat: EXPAT_GIT is not set"
fi

if [ -n "$OPENJPEG_GIT" ]; then
	oj_src=$(debsrc_unpacked openjpeg2 $OPENJPEG) &&
	oj_patched=$(debsrc_patched openjpeg2 $OPENJPEG) ||
		skip_all "cannot fetch openjpeg2 $OPENJPEG"

	test_expect_success 'openjpeg2: a CMake package, and the fix it lacks' '
		test -f "$oj_src/CMakeLists.txt" && test ! -e "$oj_src/configure.ac" &&
		! grep -rq "$OPENJPEG_CVE" "$oj_src/debian" &&
		git --git-dir="$OPENJPEG_GIT" log -1 --format=%s $OPENJPEG_FIX >subject &&
		test_grep "$OPENJPEG_CVE" subject
	'

	test_expect_success 'openjpeg2: check --git judges the upstream fix' '
		v=$(judge bullseye "$OPENJPEG_GIT" $OPENJPEG_FIX "$oj_patched") &&
		echo "$v" &&
		case $v in clean|offset|fuzz) ;; *) false ;; esac
	'

	test_expect_success 'openjpeg2: check --build compiles it on the Debian source (CMake)' '
		builds "$OPENJPEG_GIT" $OPENJPEG_FIX "$oj_patched" cmake
	'

	test_expect_success 'openjpeg2: the first security upload needs its distribution' '
		tree_copy "$oj_src" oj-nodist >/dev/null &&
		test_expect_code 2 "$BT" package --source oj-nodist --pocket security \
			--git "$OPENJPEG_GIT" $OPENJPEG_FIX 2>err &&
		test_grep "needs --distribution" err &&
		test "$(dpkg-parsechangelog -l oj-nodist/debian/changelog -S Version)" = $OPENJPEG
	'

	test_expect_success 'openjpeg2: packaged as its first bullseye security upload' '
		tree_copy "$oj_src" openjpeg2-2.4.0 >/dev/null &&
		"$BT" package --source openjpeg2-2.4.0 --pocket security \
			--distribution bullseye-security \
			--git "$OPENJPEG_GIT" $OPENJPEG_FIX >out &&
		cat out &&
		c=openjpeg2-2.4.0/debian/changelog &&
		test "$(dpkg-parsechangelog -l $c -S Version)" = 2.4.0-3+deb11u1 &&
		test "$(dpkg-parsechangelog -l $c -S Distribution)" = bullseye-security &&
		test "$(dpkg-parsechangelog -l $c -S Urgency)" = high &&
		dpkg-parsechangelog -l $c -S Changes >changes &&
		test_grep "^  \* Fix $OPENJPEG_CVE: opj_decompress: fix off-by-one read" changes &&
		test_grep "when x0 and y0 are odd (fixes #1347)$" changes &&
		cp "$oj_src/debian/patches/series" expect &&
		echo $OPENJPEG_CVE.patch >>expect &&
		test_cmp expect openjpeg2-2.4.0/debian/patches/series
	'

	test_expect_success 'openjpeg2: quilt, dpkg-source -b and -x accept the upload' '
		upload_ok openjpeg2-2.4.0 "$CACHE/src/openjpeg2_2.4.0.orig.tar.xz" \
			openjpeg2 2.4.0-3+deb11u1
	'

	test_expect_success 'openjpeg2: packaging again changes nothing' '
		(cd openjpeg2-2.4.0 && find debian -type f | sort | xargs md5sum) >before &&
		"$BT" package --source openjpeg2-2.4.0 --pocket security \
			--distribution bullseye-security \
			--git "$OPENJPEG_GIT" $OPENJPEG_FIX >out &&
		test_grep "nothing to do" out &&
		(cd openjpeg2-2.4.0 && find debian -type f | sort | xargs md5sum) >after &&
		test_cmp before after
	'
else
	echo "# skipping openjpeg2: OPENJPEG_GIT is not set"
fi

test_done

#!/bin/sh
# t4800-package-debian.sh - "backport-tool package" on real Debian data:
# the patches of bookworm's qemu that apply to bullseye's 5.2 with at most
# fuzz (as backport-tool check judges them) packaged into bullseye's source
# as a stable upload, then judged by the real tools: quilt push --fuzz=0,
# dpkg-source --before-build and -b, dpkg-parsechangelog and lintian.  The
# same patches as an Ubuntu SRU and PPA upload get Ubuntu's versions.
#
# Needs Debian's archive (tests/lib/debsrc.sh); skipped without it.

. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib/debsrc.sh"

OLD=1:5.2+dfsg-11+deb11u3
NEW=1:7.2+dfsg-7+deb12u18

for tool in quilt dpkg-source dpkg-parsechangelog lintian jq; do
	command -v $tool >/dev/null || skip_all "$tool not installed"
done
debsrc_available || skip_all "Debian's archive is not reachable"
src=$(debsrc_unpacked qemu $OLD) &&
patched=$(debsrc_patched qemu $OLD) &&
bookworm=$(debsrc_unpacked qemu $NEW) ||
	skip_all "cannot fetch qemu $OLD and $NEW"
orig="$CACHE/src/qemu_5.2+dfsg.orig.tar.xz"
[ -f "$orig" ] || skip_all "no $orig"

# A stable upload is made by the package's maintainers: the first Uploader
# signs it (anyone else would be an NMU, which lintian wants said).
uploader=$(sed -n 's/^Uploaders: *\([^,]*\).*/\1/p' "$src/debian/control")
export DEBFULLNAME="" DEBEMAIL="$uploader" SOURCE_DATE_EPOCH=1700000000
unset QUILT_PATCHES QUILT_SERIES
BUG=1024
MSG="Backport ROM build and spelling fixes from bookworm"

# package_into DIR POCKET ARGS...: a fresh copy of bullseye's source,
# with the picked patches packaged into it.
package_into() {
	_dir=$1 _pocket=$2
	shift 2
	tree_copy "$src" "$_dir" >/dev/null &&
	"$BT" package --source "$_dir" --bug $BUG --pocket "$_pocket" -m "$MSG" \
		"$@" --series picked/series
}

test_expect_success 'pick the bookworm patches that apply to bullseye with at most fuzz' '
	mkdir picked &&
	for p in $(sed "s/#.*//" "$bookworm/debian/patches/series"); do
		# a patch bullseye already carries under that name is not new
		grep -qx "$p" "$src/debian/patches/series" && continue
		v=$("$BT" check --independent --format json \
			-t bullseye="$patched" "$bookworm/debian/patches/$p" 2>/dev/null |
			jq -r ".patches[0].results[0].verdict") || v=unreadable
		echo "$p: $v"
		case $v in
		clean|offset|fuzz)
			cp "$bookworm/debian/patches/$p" picked/ &&
			echo "$p" >>picked/series ;;
		esac
	done &&
	test -s picked/series &&
	cat picked/series
'

test_expect_success 'package them as a Debian stable upload' '
	package_into qemu-5.2+dfsg stable >out &&
	cat out &&
	test "$(dpkg-parsechangelog -l qemu-5.2+dfsg/debian/changelog -S Version)" = "1:5.2+dfsg-11+deb11u4" &&
	test "$(dpkg-parsechangelog -l qemu-5.2+dfsg/debian/changelog -S Distribution)" = bullseye &&
	test "$(dpkg-parsechangelog -l qemu-5.2+dfsg/debian/changelog -S Closes)" = $BUG &&
	dpkg --compare-versions 1:5.2+dfsg-11+deb11u4 gt $OLD &&
	n=$(wc -l <picked/series) &&
	test "$(grep -c "^bug-$BUG-" qemu-5.2+dfsg/debian/patches/series)" -eq "$n" &&
	head -n 2 "$src/debian/patches/series" >expect &&
	head -n 2 qemu-5.2+dfsg/debian/patches/series >actual &&
	test_cmp expect actual
'

test_expect_success 'packaging again changes nothing' '
	(cd qemu-5.2+dfsg && find debian -type f | sort | xargs md5sum) >before &&
	"$BT" package --source qemu-5.2+dfsg --bug $BUG --pocket stable -m "$MSG" \
		--series picked/series >out &&
	test_grep "nothing to do" out &&
	(cd qemu-5.2+dfsg && find debian -type f | sort | xargs md5sum) >after &&
	test_cmp before after
'

test_expect_success 'quilt pushes the whole series with fuzz 0' '
	tree_copy qemu-5.2+dfsg quilted >/dev/null &&
	(cd quilted && QUILT_PATCHES=debian/patches \
		quilt --quiltrc /dev/null push -a --fuzz=0) >push.out &&
	tail -n 1 push.out &&
	test_grep "^Now at patch bug-$BUG-" push.out &&
	rm -rf quilted
'

test_expect_success 'dpkg-source --before-build and dpkg-source -b accept it' '
	tree_copy qemu-5.2+dfsg before-build >/dev/null &&
	(cd before-build && dpkg-source --before-build .) &&
	rm -rf before-build &&
	ln -sf "$orig" . &&
	dpkg-source -b qemu-5.2+dfsg >build.out 2>&1 &&
	tail -n 2 build.out &&
	test -f qemu_5.2+dfsg-11+deb11u4.dsc
'

test_expect_success 'lintian: no patch or changelog tag above info level' '
	lintian --check-part debian/changelog,debian/patches,debian/patches/count,debian/patches/dep3,debian/patches/quilt,nmu \
		--display-info --tag-display-limit 0 \
		qemu_5.2+dfsg-11+deb11u4.dsc >lintian.out 2>&1 || true &&
	cat lintian.out &&
	# the checks ran: they have something to say at info level
	test_grep "^I: qemu source: .*debian/patches/" lintian.out &&
	! grep "^[EW]: " lintian.out
'

test_expect_success 'the same patches as an Ubuntu SRU and a PPA test build' '
	package_into sru sru >/dev/null &&
	v=$(dpkg-parsechangelog -l sru/debian/changelog -S Version) &&
	test "$v" = "1:5.2+dfsg-11+deb11u3ubuntu0.1" &&
	dpkg --compare-versions "$v" gt $OLD &&
	test "$(ls sru/debian/patches/ubuntu/lp-$BUG-*.patch | wc -l)" -eq "$(wc -l <picked/series)" &&
	dpkg-parsechangelog -l sru/debian/changelog -S Changes >changes &&
	test_grep "d/p/u/lp-$BUG-\*: Backport ROM" changes &&
	test_grep "(LP: #$BUG)" changes &&
	package_into ppa ppa >/dev/null &&
	p=$(dpkg-parsechangelog -l ppa/debian/changelog -S Version) &&
	test "$p" = "1:5.2+dfsg-11+deb11u3ubuntu0.1~ppa1" &&
	dpkg --compare-versions "$p" gt $OLD &&
	dpkg --compare-versions "$p" lt "$v" &&
	(cd ppa && QUILT_PATCHES=debian/patches \
		quilt --quiltrc /dev/null push -a -q --fuzz=0) >/dev/null
'

test_done

#!/bin/sh
# t8300-build-upstream: "check --build" on two real C libraries with
# different build systems, from their upstream git histories (EXPAT_GIT,
# TIFF_GIT; each part skips, saying so, without its variable):
#
#   expat  autotools in the expat/ folder of the repository (autoreconf:
#          the git tree has no configure), on R_2_5_0 (bookworm's 2.5.0):
#          the CVE-2024-45490 fix 5c1a3164 builds; ad9c01be (the external
#          entity parser inherits the reparse-deferral setting, its
#          xmlparse.c part) applies with an offset and does not compile,
#          because m_reparseDeferralEnabled exists only from 2.6.0: both
#          errors go to the patch's hunks 2 and 3.
#   tiff   CMake (--build-target cmake: the tree has autotools too) on
#          v4.5.0 (bookworm's): the TIFFReadDirectoryCheckOrder overflow
#          fix 54eeadb8 builds.
#
# The clones here may lack large test data blobs; the build says how many
# files it left out, and builds without them.
. "$(dirname "$0")/test-lib.sh"

command -v cc >/dev/null 2>&1 && command -v make >/dev/null 2>&1 &&
command -v jq >/dev/null 2>&1 || skip_all "no cc, make or jq"
[ -n "$EXPAT_GIT$TIFF_GIT" ] || skip_all "neither EXPAT_GIT nor TIFF_GIT is set"

if [ -n "$EXPAT_GIT" ] && command -v autoreconf >/dev/null 2>&1; then
test_expect_success 'expat: the CVE-2024-45490 fix builds on 2.5.0 (autotools in expat/)' '
	"$BT" check --git "$EXPAT_GIT" --tree bookworm=git:R_2_5_0 --build \
		--build-dir cache --format json 5c1a3164 >fix.json &&
	jq -e ".patches[0].results[0].verdict == \"offset\"" fix.json &&
	jq -e ".builds[0].system == \"autotools\" and .builds[0].error == null and
		.builds[0].configured_now and
		.builds[0].units == [{\"path\": \"expat/lib/xmlparse.c\", \"ok\": true}] and
		([.builds[0].diagnostics[] | select(.severity == \"error\")] == [])" fix.json &&
	grep -q "^\$ .*/expat && autoreconf -fi$" cache/*/configure.log &&
	grep -q "^\$ .*/obj/lib && make -k xmlparse.lo$" cache/*/build.log
'

test_expect_success 'expat: a fix that needs a 2.6 member: offset, but does not compile' '
	git -C "$EXPAT_GIT" format-patch -1 --stdout ad9c01be -- expat/lib/xmlparse.c \
		>inherit.patch &&
	test_expect_code 1 "$BT" check --git "$EXPAT_GIT" --tree bookworm=git:R_2_5_0 \
		--build --build-dir cache --format json inherit.patch >inherit.json &&
	jq -e ".patches[0].results[0].verdict == \"offset\"" inherit.json &&
	jq -e ".builds[0].configured_now == false and
		.builds[0].units == [{\"path\": \"expat/lib/xmlparse.c\", \"ok\": false}]" inherit.json &&
	jq -r ".builds[0].diagnostics[] | select(.severity == \"error\") |
		\"\(.patch) \(.hunk) \(.message)\"" inherit.json >got &&
	printf "1 %s %s\n" 2 "$(printf "\047struct XML_ParserStruct\047 has no member named \047m_reparseDeferralEnabled\047")" \
		3 "$(printf "\047struct XML_ParserStruct\047 has no member named \047m_reparseDeferralEnabled\047")" >expect &&
	test_cmp expect got
'
else
	say "no EXPAT_GIT (or autoreconf): the expat tests are skipped"
fi

if [ -n "$TIFF_GIT" ] && command -v cmake >/dev/null 2>&1; then
test_expect_success 'tiff: the TIFFReadDirectoryCheckOrder fix builds on 4.5.0 with CMake' '
	"$BT" check --git "$TIFF_GIT" --tree bookworm=git:v4.5.0 --build \
		--build-target cmake --build-dir cache --format json 54eeadb8 >tiff.json &&
	jq -e ".builds[0].system == \"cmake\" and .builds[0].error == null and
		.builds[0].units == [{\"path\": \"libtiff/tif_dirread.c\", \"ok\": true}]" tiff.json &&
	test -f cache/*-cmake/obj/compile_commands.json &&
	"$BT" check --git "$TIFF_GIT" --tree bookworm=git:v4.5.0 --build \
		--build-target cmake --build-dir cache --format json 54eeadb8 >tiff2.json &&
	jq -e ".builds[0].configured_now == false and
		.builds[0].units == [{\"path\": \"libtiff/tif_dirread.c\", \"ok\": true}]" tiff2.json
'
else
	say "no TIFF_GIT (or cmake): the tiff test is skipped"
fi

test_done

#!/bin/sh
# t1000-check: one patch judged on five trees, one per verdict, and the
# three output formats a reviewer or a script reads.
. "$(dirname "$0")/test-lib.sh"

lines() { seq "$1" "$2" | sed 's/^/line /'; }

test_expect_success 'setup: five trees and a patch' '
	mkdir -p base/src &&
	lines 1 30 >base/src/file.c &&
	cp -r base clean &&
	mkdir -p moved/src && { lines 101 105; lines 1 30; } >moved/src/file.c &&
	mkdir -p fuzzy/src && sed "s/^line 7$/line seven/" base/src/file.c >fuzzy/src/file.c &&
	mkdir -p done/src && sed "s/^line 10$/LINE 10/" base/src/file.c >done/src/file.c &&
	mkdir -p broken/src && sed "s/^line 10$/line ten/" base/src/file.c >broken/src/file.c &&
	cp -r base new && sed -i "s/^line 10$/LINE 10/" new/src/file.c &&
	(diff -u base/src/file.c new/src/file.c || true) |
		sed "1s|^--- base/|--- a/|; 2s|^+++ new/|+++ b/|" >upper.patch &&
	test_grep "^@@ -7,7 +7,7 @@" upper.patch
'

test_expect_success 'a patch at its stated lines is clean' '
	"$BT" check --tree clean upper.patch >out &&
	test_grep "upper.patch  *clean" out
'

test_expect_success 'each tree gets its own verdict column' '
	test_expect_code 1 "$BT" check -t clean -t moved -t fuzzy -t done -t broken \
		upper.patch >out &&
	test_grep "^patch  *clean  *moved  *fuzzy  *done  *broken" out &&
	test_grep "upper.patch  *clean  *offset  *fuzz  *applied  *conflict" out
'

test_expect_success 'a conflict is explained without -v' '
	test_grep "broken: " out
'

test_expect_success 'json carries offset, fuzz and the target line per hunk' '
	test_expect_code 1 "$BT" check -t clean -t moved -t fuzzy -t done -t broken \
		--format json upper.patch >out.json &&
	test "$(jq -r ".targets | join(\",\")" out.json)" = "clean,moved,fuzzy,done,broken" &&
	test "$(jq ".patches[0].results[1].files[0].hunks[0].offset" out.json)" = 5 &&
	test "$(jq ".patches[0].results[1].files[0].hunks[0].at" out.json)" = 12 &&
	test "$(jq ".patches[0].results[2].files[0].hunks[0].fuzz" out.json)" = 1 &&
	test "$(jq -r ".patches[0].results[3].word" out.json)" = "already applied" &&
	test "$(jq -r ".patches[0].results[4].verdict" out.json)" = conflict &&
	test "$(jq ".summary.broken.conflict" out.json)" = 1 &&
	test "$(jq ".patches[0].results[0].files[0].hunks[0].patch_line" out.json)" = 3
'

test_expect_success 'markdown is the reviewer table' '
	test_expect_code 1 "$BT" check -t clean -t moved -t fuzzy -t done -t broken \
		--format markdown upper.patch >out.md &&
	test_grep "^| # | patch | clean | moved | fuzzy | done | broken |" out.md &&
	test_grep "^| 1 | upper.patch | OK | minor noise: src/file.c hunk 1: offset +5 | noise: src/file.c hunk 1: fuzz 1; apply needs -F 1 | already applied: src/file.c hunk 1: found at line 7 | conflict: src/file.c hunk 1: " out.md
'

test_expect_success '-v shows each hunk with its target line' '
	"$BT" check -v -t moved upper.patch >out &&
	test_grep "moved: src/file.c hunk 1: offset +5, at 12 (stated 7)" out
'

test_expect_success 'setup: a second patch that needs the first' '
	cp -r new newer && sed -i "s/^line 11$/LINE 11/" newer/src/file.c &&
	(diff -u new/src/file.c newer/src/file.c || true) |
		sed "1s|^--- new/|--- a/|; 2s|^+++ newer/|+++ b/|" >second.patch &&
	printf "upper.patch\nsecond.patch\n" >series
'

test_expect_success 'by default a series is cumulative: each patch sees the ones before' '
	"$BT" check -t clean --series series >out &&
	test_grep "second.patch  *clean" out
'

# The JSON is written a patch at a time; it is still one document, laid
# out as jq lays out the same data (two spaces a level, as jansson).
test_expect_success 'json of a series on two targets is one document, as jq writes it' '
	{ "$BT" check -t clean -t moved --series series --format json >series.json
	  test $? -le 1; } &&
	test "$(jq ".patches | length" series.json)" = 2 &&
	jq . series.json >again.json &&
	test_cmp again.json series.json
'

test_expect_success '--independent judges each patch alone' '
	test_expect_code 1 "$BT" check --independent -t clean --series series >out &&
	test_grep "second.patch  *conflict" out
'

test_expect_success 'a series is read from standard input when no patch is named' '
	(cd clean && "$BT" check <../upper.patch >../out) &&
	test_grep "clean" out
'

test_expect_success 'a quilt series is found like quilt finds it' '
	mkdir -p clean2 && cp -r clean/src clean2/ && mkdir clean2/patches &&
	cp upper.patch second.patch series clean2/patches/ &&
	(cd clean2 && "$BT" check >../out </dev/null) &&
	test_grep "second.patch  *clean" out
'

test_expect_success 'check never writes to a tree' '
	(cd clean && find . -type f | sort | xargs md5sum) >before &&
	"$BT" check -t clean --series series >/dev/null &&
	(cd clean && find . -type f | sort | xargs md5sum) >after &&
	test_cmp before after
'

test_expect_success 'a series that names the same patch twice is refused, located' '
	mkdir -p twice && cp upper.patch second.patch twice/ &&
	printf "upper.patch\nsecond.patch\n# again\n./upper.patch -p1\n" >twice/series &&
	cp -r clean clean3 &&
	test_expect_code 2 "$BT" apply -t clean3 --series twice/series 2>err &&
	test $(wc -l <err) -eq 1 &&
	test_grep "^backport-tool: twice/series:4: patch .\./upper.patch. is named twice in the series (also line 1)\$" err &&
	diff -r clean clean3 &&
	test_expect_code 2 "$BT" check -t clean --series twice/series 2>err &&
	test_grep "twice/series:4: " err
'

test_expect_success 'two targets with the same name are refused' '
	test_expect_code 2 "$BT" check -t x=clean -t x=moved upper.patch 2>err &&
	test_grep "given twice" err
'

test_done

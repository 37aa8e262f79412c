#!/bin/sh
# t1400-truth: every success is true and every message says what happened
# (issue 19): a change already there is "applied" even where only fuzz
# finds it, ambiguous placements are named in every format and by apply,
# check says what apply will do with a fuzz verdict, the 3-way fallback of
# --git is said, and the messages name the real reason.
. "$(dirname "$0")/test-lib.sh"

lines() { seq "$1" "$2" | sed 's/^/line /'; }

# mkpatch OLD NEW PATH: a -p1 diff of two files, named a/PATH and b/PATH.
mkpatch() {
	diff -u "$1" "$2" | sed "1s|^--- .*|--- a/$3|; 2s|^+++ .*|+++ b/$3|"
}

test_expect_success 'setup: a fix already in the tree, found only with fuzz' '
	printf "%s\n" "#include \"dev.h\"" "" "/* reset the level */" \
		"static void reset_level(struct dev *d, int level)" "{" \
		"	d->level = level;" "}" "" "/* set the level */" \
		"static int set_level(struct dev *d, int level)" "{" \
		"	d->level = level;" "	return 0;" "}" >orig.c &&
	sed "/^static int set_level/,/^}/s/^\t\(d->level = level;\)$/\tif (level > MAX_LEVEL)\n\t\treturn -EINVAL;\n\t\1/" \
		orig.c >fixed.c &&
	test_grep "return -EINVAL" fixed.c &&
	{ mkpatch orig.c fixed.c dev.c || true; } >fix.patch &&
	mkdir -p done &&
	sed -e "s|^/\* set the level \*/|/* set the level, checked */|" \
	    -e "s|^static int set_level(struct dev \*d, int level)|static int set_level(struct dev *d, unsigned level)|" \
		fixed.c >done/dev.c &&
	cp done/dev.c done.orig
'

test_expect_success 'item 1: a change already there is applied, even where only fuzz finds it' '
	"$BT" check -t done -v fix.patch >out &&
	test_grep "^fix.patch  *applied" out &&
	test_grep "done: dev.c hunk 1: applied, at 9 (stated 9), also matches at 3" out
'

test_expect_success 'item 1: where the pre-image matches too, the choice is named' '
	"$BT" check -t done fix.patch >out &&
	test_grep "done: dev.c hunk 1: already applied at 9, its pre-image also matches at 3: ambiguous placement" out &&
	test_expect_code 1 "$BT" check --no-ambiguous -t done fix.patch >out &&
	test_grep "^fix.patch  *conflict" out
'

test_expect_success 'item 1: apply -F 2 does not write the change a second time' '
	"$BT" apply -F 2 --tree done fix.patch 2>err &&
	test_grep "fix.patch:3: warning: dev.c hunk 1: ambiguous placement: already applied at 9 (left as it is), its pre-image also matches at 3" err &&
	test_cmp done.orig done/dev.c &&
	test "$(grep -c "return -EINVAL" done/dev.c)" = 1
'

test_expect_success 'item 1: where the change is not there, GNU patch placement still holds' '
	mkdir -p notyet && cp orig.c notyet/dev.c &&
	"$BT" check -t notyet fix.patch >out &&
	test_grep "^fix.patch  *clean" out
'

# A hunk that only deletes has a post-image of context alone: with fuzz,
# two joined context lines ("return FATAL;", "}") are found almost
# anywhere, which says nothing about whether the lines were deleted.
test_expect_success 'setup: a deletion whose trimmed post-image is common' '
	{ printf "%s\n" "int init(struct r *r)" "{" "	a = calloc(1, n);" \
		"	if (a == NULL)" "		return FATAL;" "	b = calloc(1, n);" \
		"	if (b == NULL)" "		return FATAL;" "	} else {" \
		"		a = NULL;" "		b = NULL;" "	}" "" "	clear(r);" "}" &&
	  lines 100 140 &&
	  printf "%s\n" "int other(struct r *r)" "{" "	if (fail(r))" \
		"		return FATAL;" "	}" "	return 0;" "}"; } >del.c &&
	sed "9,11d" del.c >del.new &&
	{ mkpatch del.c del.new del.c || true; } >del.patch &&
	test_grep "^@@ -6,9 +6,6 @@" del.patch &&
	mkdir -p drifted &&
	sed "s/^		b = NULL;$/		b = 0;/" del.c >drifted/del.c &&
	cp drifted/del.c drifted.orig
'

test_expect_success 'item 1: a deletion is not "applied" where fuzz finds its joined context' '
	test_expect_code 1 "$BT" check -v -t drifted del.patch >out &&
	test_grep "^del.patch  *conflict" out &&
	! test_grep "applied" out &&
	test_expect_code 1 "$BT" apply -F 2 --tree drifted del.patch &&
	test_cmp drifted.orig drifted/del.c
'

block() { printf "x%s\n" 1 2 3 "$1" 5 6 7; }

test_expect_success 'setup: a block that is in the tree twice, fixed in one' '
	{ lines 1 19; block 4; lines 30 40; } >twin.old &&
	{ lines 1 19; block FOUR; lines 30 40; } >twin.new &&
	{ mkpatch twin.old twin.new file || true; } >twin.patch &&
	test_grep "^@@ -20,7 +20,7 @@" twin.patch &&
	mkdir -p near-fixed near-unfixed &&
	{ lines 1 10; block FOUR; lines 41 60; block 4; } >near-fixed/file &&
	{ lines 1 10; block 4; lines 41 60; block FOUR; } >near-unfixed/file
'

test_expect_success 'item 1: an exact copy of the change nearer than its twin is applied' '
	"$BT" check -v -t near-fixed twin.patch >out &&
	test_grep "^twin.patch  *applied" out &&
	cp near-fixed/file near-fixed.orig &&
	"$BT" apply --tree near-fixed twin.patch &&
	test_cmp near-fixed.orig near-fixed/file
'

test_expect_success 'item 1: a twin still without the change, nearer, gets it' '
	"$BT" check -v -t near-unfixed twin.patch >out &&
	test_grep "^twin.patch  *offset" out &&
	test_grep "near-unfixed: file hunk 1: offset -9, at 11" out
'

test_expect_success 'setup: a hunk whose context is in the tree twice' '
	mkdir -p twice &&
	{ lines 1 10; lines 1 10; } >twice/file &&
	lines 1 10 >one && sed "s/^line 5$/line five/" one >one.new &&
	{ mkpatch one one.new file || true; } >amb.patch &&
	sed -i "s/^@@ -2,7 +2,7 @@/@@ -7,7 +7,7 @@/" amb.patch &&
	test_grep "^@@ -7,7 +7,7 @@" amb.patch &&
	cp twice/file twice.orig
'

test_expect_success 'item 2: check names an ambiguous placement without -v' '
	"$BT" check -t twice amb.patch >out &&
	test_grep "^amb.patch  *offset" out &&
	test_grep "twice: file hunk 1: offset +5, at 12, also matches at 2: ambiguous placement" out
'

test_expect_success 'item 2: markdown names the other position' '
	"$BT" check -t twice --format markdown amb.patch >out.md &&
	test_grep "minor noise: file hunk 1: offset +5; ambiguous placement: file hunk 1 also matches at 2" out.md
'

test_expect_success 'item 2: a markdown cell counts the other ambiguous hunks' '
	mkdir -p twice2 && cp twice/file twice2/file && cp twice/file twice2/file2 &&
	{ cat amb.patch; sed "s|/file$|/file2|" amb.patch; } >amb2.patch &&
	"$BT" check -t twice2 --format markdown amb2.patch >out.md &&
	test_grep "ambiguous placement: file hunk 1 also matches at 2 (and 1 more hunk) |" out.md &&
	"$BT" check -t twice2 amb2.patch >out &&
	test_grep "twice2: file2 hunk 1: offset +5, at 12, also matches at 2: ambiguous placement" out
'

test_expect_success 'item 2: apply names every ambiguous placement it makes' '
	cp -r twice twice-a &&
	"$BT" apply --tree twice-a amb.patch 2>err &&
	test_grep "amb.patch:3: warning: file hunk 1: ambiguous placement: applied at 12, also matches at 2" err &&
	test "$(sed -n 15p twice-a/file)" = "line five"
'

test_expect_success 'item 2: apply --no-ambiguous refuses it and leaves the tree' '
	cp -r twice twice-b &&
	test_expect_code 1 "$BT" apply --no-ambiguous --tree twice-b amb.patch 2>err &&
	test_grep "amb.patch:3: does not apply: file hunk 1: ambiguous placement: at 12, also matches at 2 (tree unchanged)" err &&
	test_cmp twice.orig twice-b/file
'

test_expect_success 'item 2: check --no-ambiguous judges as apply --no-ambiguous' '
	test_expect_code 1 "$BT" check --no-ambiguous -t twice amb.patch >out &&
	test_grep "^amb.patch  *conflict" out
'

test_expect_success 'setup: a tree where the patch needs fuzz 1' '
	mkdir -p fuzzy && lines 1 30 >base && cp base fuzzy/file &&
	sed -i "s/^line 7$/line seven/" fuzzy/file &&
	sed "s/^line 10$/LINE 10/" base >new &&
	{ mkpatch base new file || true; } >upper.patch
'

test_expect_success 'item 3: check says that apply refuses a fuzz verdict without -F' '
	"$BT" check -t fuzzy upper.patch >out &&
	test_grep "^upper.patch  *fuzz" out &&
	test_grep "fuzzy: file hunk 1: fuzz 1: apply needs -F 1 (its default is fuzz 0, as dpkg-source)" out &&
	"$BT" check -t fuzzy --format markdown upper.patch >out.md &&
	test_grep "noise: file hunk 1: fuzz 1; apply needs -F 1" out.md &&
	"$BT" check -t fuzzy --format json upper.patch >out.json &&
	test "$(jq ".patches[0].results[0].apply_fuzz" out.json)" = 1 &&
	test_expect_code 1 "$BT" apply -n --tree fuzzy upper.patch &&
	"$BT" apply -n -F 1 --tree fuzzy upper.patch
'

test_expect_success 'item 5: re-indented lines are a whitespace difference' '
	mkdir -p indented && sed "s/^/  /" base >indented/file &&
	test_expect_code 1 "$BT" check --no-adapt -t indented upper.patch >out &&
	test_grep "indented: file hunk 1: context differs in whitespace" out &&
	mkdir -p short && lines 4 13 | sed "s/^/\t/" >short/file &&
	test_expect_code 1 "$BT" check --no-adapt -t short upper.patch >out &&
	test_grep "short: file hunk 1: context differs in whitespace" out &&
	"$BT" check -t indented upper.patch >out &&
	test_grep "indented: file hunk 1: adapted at 7: re-indented" out
'

test_expect_success 'item 5: ... also far from where the hunk says (the indexed search)' '
	mkdir -p far && { lines 100 139 && sed "s/^/    /" base; } >far/file &&
	test_expect_code 1 "$BT" check --no-adapt -t far upper.patch >out &&
	test_grep "far: file hunk 1: context differs in whitespace" out &&
	mkdir -p gone && { lines 100 139 && sed "s/^line 9$/nine/" base; } >gone/file &&
	sed -i "s/^line 1[01]$/  &/" gone/file &&
	test_expect_code 1 "$BT" check --no-adapt -t gone upper.patch >out &&
	test_grep "gone: file hunk 1: context differs$" out
'

test_expect_success 'item 8: a hunk of a missing file has no target line' '
	mkdir -p empty &&
	test_expect_code 1 "$BT" check -v -t empty upper.patch >out &&
	test_grep "empty: file hunk 1: conflict: file missing" out &&
	! grep "at 7" out
'

test_expect_success 'item 9: a created file is clean, new file, nothing stated' '
	: >nothing && printf "a\nb\n" >created &&
	{ diff -u nothing created || true; } |
		sed "1s|^--- .*|--- /dev/null|; 2s|^+++ .*|+++ b/created|" >create.patch &&
	"$BT" check -v -t empty create.patch >out &&
	test_grep "empty: created hunk 1: clean, new file$" out &&
	! grep "stated" out
'

test_expect_success 'item 10: check -v prints a conflicting hunk once' '
	mkdir -p broken && sed "s/^line 10$/line ten/" base >broken/file &&
	test_expect_code 1 "$BT" check -v -t broken upper.patch >out &&
	test "$(grep -c "hunk 1" out)" = 1
'

commit() {
	git -C up -c user.name="Ann Author" -c user.email=ann@example.org \
		commit -q -a -m "$1" &&
	git -C up rev-parse HEAD
}

test_expect_success 'setup: an upstream history for the 3-way fallback' '
	git init -q up &&
	seq 1 60 >up/numbers.txt &&
	printf "one\ntwo\n" >up/words.txt &&
	git -C up add . && commit init >/dev/null &&
	git -C up tag v1 &&
	sed -i -e "s/^10$/ten\nten-a\nten-b/" -e "s/^16$/sixteen/" -e "s/^50$/fifty/" \
		up/numbers.txt &&
	commit "numbers: words" >D &&
	sed -i "s/^20$/twenty/" up/numbers.txt &&
	sed -i "s/^two$/TWO/" up/words.txt &&
	commit "numbers and words" >E &&
	git -C up archive --prefix=mid/ v1 | tar xf - &&
	sed -i "s/^13$/t13/" mid/numbers.txt
'

test_expect_success 'item 4: apply --git says that it merged 3-way' '
	cp -r mid m1 &&
	"$BT" apply --git up --tree m1 "$(cat D)" 2>err &&
	test_grep "numbers.txt hunk 1: 3-way merged with the upstream pre-image" err &&
	test "$(sed -n 10p m1/numbers.txt)" = ten &&
	"$BT" apply --help >help &&
	test_grep "3-way" help
'

test_expect_success 'item 11: after a merged hunk, later hunks count its lines' '
	"$BT" check --git up -t mid --format json "$(cat D)" >out.json &&
	test "$(jq -r ".patches[0].results[0].verdict" out.json)" = merged &&
	test "$(jq ".patches[0].results[0].files[0].hunks[1].stated" out.json)" = 47 &&
	test "$(jq ".patches[0].results[0].files[0].hunks[1].at" out.json)" = 49
'

test_expect_success 'item 6: a 3-way merge that was tried and failed is said' '
	cp -r mid m2 && sed -i "s/^10$/TEN/" m2/numbers.txt &&
	test_expect_code 1 "$BT" apply --git up --tree m2 "$(cat D)" 2>err &&
	test_grep "numbers.txt hunk 1: context differs; 3-way merge conflicts" err &&
	test_expect_code 1 "$BT" check --git up -t m2 "$(cat D)" >out &&
	test_grep "3-way merge conflicts" out
'

test_expect_success 'item 7: apply --merge names the missing file, not another hunk' '
	cp -r mid m3 && sed -i "s/^20$/TWENTY/" m3/numbers.txt && rm m3/words.txt &&
	cp -r m3 m3.orig &&
	test_expect_code 1 "$BT" apply --git up --merge --force --tree m3 "$(cat E)" 2>err &&
	test_grep "words.txt: file missing (tree unchanged)" err &&
	! grep "context differs" err &&
	diff -r m3.orig m3
'

test_done

#!/bin/sh
# t1200-apply: applying for real.  The result equals GNU patch's; a series
# that does not apply, or bad input, leaves the tree exactly as it was.
. "$(dirname "$0")/test-lib.sh"

lines() { seq "$1" "$2" | sed 's/^/line /'; }
snapshot() { (cd "$1" && find . -print | sort && find . -type f | sort | xargs md5sum); }
mkpatch() { # mkpatch OLD NEW PATH > patch: a -p1 patch of OLD -> NEW for PATH
	(diff -u "$1" "$2" || true) | sed "1s|^--- .*|--- a/$3|; 2s|^+++ .*|+++ b/$3|"
}

test_expect_success 'setup: a tree and a two-patch series' '
	mkdir -p tree/src tmp &&
	lines 1 40 >tree/src/a.c &&
	lines 1 10 >tree/README &&
	sed "s/^line 5$/line five/" tree/src/a.c >tmp/a1 &&
	mkpatch tree/src/a.c tmp/a1 src/a.c >p1.patch &&
	sed "s/^line 30$/line thirty/" tmp/a1 >tmp/a2 &&
	mkpatch tmp/a1 tmp/a2 src/a.c >p2.patch &&
	printf "new file\n" >tmp/new &&
	mkpatch /dev/null tmp/new src/new.c | sed "1s|.*|--- /dev/null|" >p3.patch &&
	printf "p1.patch\np2.patch\np3.patch\n" >series &&
	cp -r tree ref &&
	(cd ref && for p in p1 p2 p3; do patch -s -p1 -F0 <../$p.patch || exit 1; done)
'

test_expect_success 'apply gives the same tree as GNU patch' '
	cp -r tree t1 &&
	"$BT" apply --tree t1 --series series &&
	diff -r ref t1
'

test_expect_success '--dry-run writes nothing' '
	cp -r tree t2 && snapshot t2 >before &&
	"$BT" apply -n --tree t2 --series series &&
	snapshot t2 >after && test_cmp before after
'

test_expect_success 'a series that does not apply changes nothing, not even its good patches' '
	cp -r tree t3 && sed -i "s/^line 30$/LINE 30/" t3/src/a.c && snapshot t3 >before &&
	test_expect_code 1 "$BT" apply --tree t3 --series series 2>err &&
	test_grep "^backport-tool: p2.patch:[0-9]*: does not apply: .*(tree unchanged)" err &&
	snapshot t3 >after && test_cmp before after
'

test_expect_success 'apply refuses fuzz unless asked, as dpkg-source does' '
	cp -r tree t4 && sed -i "s/^line 2$/line two/" t4/src/a.c &&
	test_expect_code 1 "$BT" apply --tree t4 p1.patch 2>err &&
	"$BT" apply --fuzz 1 --tree t4 p1.patch &&
	test_grep "line five" t4/src/a.c
'

test_expect_success 'a file the tree lacks is a conflict, not a crash' '
	cp -r tree t5 && rm t5/src/a.c &&
	test_expect_code 1 "$BT" apply --tree t5 p1.patch 2>err &&
	test_grep "src/a.c" err
'

# Bad input: exit 2, one line naming the file (and line), tree untouched.
bad_input() { # bad_input NAME PATCHFILE EXPECTED-MESSAGE
	test_expect_success "bad input: $1" "
		rm -rf tb && cp -r tree tb && snapshot tb >before &&
		test_expect_code 2 \"\$BT\" apply --tree tb $2 2>err &&
		test_grep \"$3\" err &&
		test \$(wc -l <err) -eq 1 &&
		snapshot tb >after && test_cmp before after
	"
}

test_expect_success 'setup: bad patches' '
	head -n 6 p1.patch >truncated.patch &&
	sed "s/^@@ -2,7 +2,7 @@/@@ -2,9 +2,7 @@/" p1.patch >counts.patch &&
	test_grep "@@ -2,9 +2,7 @@" counts.patch &&
	printf "diff --git a/bin b/bin\nindex 1234567..89abcde 100644\nBinary files a/bin and b/bin differ\n" >binary.patch &&
	sed "s|a/src/a.c|a/../outside|; s|b/src/a.c|b/../outside|" p1.patch >dotdot.patch &&
	sed "s|^--- a/src/a.c|--- /tmp/a.c|; s|^+++ b/src/a.c|+++ /tmp/a.c|" p1.patch >absolute.patch
'
bad_input 'a truncated hunk' truncated.patch 'truncated.patch:[0-9]*:'
bad_input 'wrong line counts' counts.patch 'counts.patch:[0-9]*:'
bad_input 'a binary patch without data' binary.patch 'binary.patch:[0-9]*:.*binary'
bad_input 'a missing patch file' missing.patch '^backport-tool: missing.patch'
bad_input 'a path with ..' dotdot.patch 'dotdot.patch:[0-9]*:.*\.\.'
bad_input 'an absolute path' absolute.patch 'absolute.patch:[0-9]*:.*absolute'

test_expect_success 'bad input: a symlink in the path is never followed' '
	rm -rf tb && cp -r tree tb && mkdir outside && lines 1 40 >outside/a.c &&
	rm -r tb/src && ln -s ../outside tb/src &&
	snapshot outside >before &&
	test_expect_code 2 "$BT" apply --tree tb p1.patch 2>err &&
	test_grep "symlink" err &&
	snapshot outside >after && test_cmp before after
'

test_expect_success 'setup: a tree where the series needs fuzz' '
	rm -rf tf && cp -r tree tf && sed -i "s/^line 2$/line two/" tf/src/a.c &&
	cp -r tf tf-ref &&
	(cd tf-ref && for p in p1 p2 p3; do patch -s -p1 -F1 --no-backup-if-mismatch <../$p.patch || exit 1; done)
'

test_expect_success 'apply --out writes refreshed patches that apply with fuzz 0' '
	cp -r tf tf1 && cp -r tf tf2 &&
	"$BT" apply --fuzz 1 --tree tf1 --series series --out refreshed 2>err &&
	diff -r tf-ref tf1 &&
	test_cmp series refreshed/series &&
	(cd tf2 && for p in p1 p2 p3; do patch -s -p1 -F0 <../refreshed/$p.patch || exit 1; done) &&
	diff -r tf-ref tf2
'

test_expect_success 'a refreshed patch is quilt style and carries the target context' '
	test_grep "^--- a/src/a.c" refreshed/p1.patch &&
	test_grep "^+++ b/src/a.c" refreshed/p1.patch &&
	! grep -q "^index \|^diff --git" refreshed/p1.patch &&
	test_grep "^ line two" refreshed/p1.patch
'

test_expect_success 'a mail-style patch keeps its header and gains DEP-3 fields' '
	{ printf "From: A U Thor <author@example.org>\nSubject: [PATCH] say five\n\nBecause.\n---\n" &&
	  cat p1.patch; } >mail.patch &&
	cp -r tf tf3 &&
	SOURCE_DATE_EPOCH=1600000000 "$BT" apply --fuzz 1 --tree tf3 --out mailout mail.patch &&
	test_grep "^Subject: \[PATCH\] say five" mailout/mail.patch &&
	test_grep "^Last-Update: 2020-09-13" mailout/mail.patch &&
	test_grep "^ line two" mailout/mail.patch
'

test_expect_success 'a series that does not apply writes no refreshed patch' '
	rm -rf none && cp -r tree t6 && sed -i "s/^line 30$/LINE 30/" t6/src/a.c &&
	test_expect_code 1 "$BT" apply --tree t6 --series series --out none 2>err &&
	test ! -e none
'

test_expect_success '--refresh without --out is a usage error' '
	test_expect_code 2 "$BT" apply --refresh --tree tree p1.patch 2>err &&
	test_grep "needs --out" err
'

test_done

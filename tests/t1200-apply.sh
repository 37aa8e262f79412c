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

test_expect_success 'apply --out: a file without .patch gains it, .diff is kept' '
	cp p1.patch say-five && cp p1.patch say-five.diff &&
	cp -r tf tf4 && "$BT" apply --fuzz 1 --tree tf4 --out sfx say-five &&
	test -f sfx/say-five.patch && test ! -e sfx/say-five &&
	test "$(cat sfx/series)" = say-five.patch &&
	cp -r tf tf5 && "$BT" apply --fuzz 1 --tree tf5 --out sfx2 say-five.diff &&
	test -f sfx2/say-five.diff && test ! -e sfx2/say-five.diff.patch &&
	cp p1.patch say-five.mbox &&
	cp -r tf tf6 && "$BT" apply --fuzz 1 --tree tf6 --out sfx3 say-five.mbox &&
	test "$(cat sfx3/series)" = say-five.patch && test -f sfx3/say-five.patch
'

test_expect_success 'apply --out: a commit is named as git format-patch names it' '
	rm -rf gup && mkdir gup && cp -r tf/src gup/ &&
	(cd gup && git init -q && git add . &&
	 git -c user.name=U -c user.email=u@example.org commit -qm base &&
	 sed -i "s/^line 20\$/LINE 20/" src/a.c &&
	 git -c user.name=U -c user.email=u@example.org commit -qam "a: say twenty") &&
	cp -r tf tf6 &&
	"$BT" apply --tree tf6 --out gout --git gup HEAD &&
	test -f gout/0001-a-say-twenty.patch &&
	test "$(cat gout/series)" = 0001-a-say-twenty.patch
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

# ---- Issue 19: the target tree's side (locking, recovery, file safety).

test_expect_success 'setup: a second change to src/a.c' '
	sed "s/^line 20$/line twenty/" tree/src/a.c >tmp/a20 &&
	mkpatch tree/src/a.c tmp/a20 src/a.c >p20.patch
'

# BT_TEST_PAUSE_AFTER_READ=FILE (a test-only hook, HACKING.md): the apply
# writes FILE.paused once it has read and placed the series, then waits
# for FILE.  Without a lock from the first read to the commit, the second
# apply wrote line twenty in between and the first one's commit lost it,
# both exiting 0.
test_expect_success 'two concurrent applies made deterministic (one paused after its reads)' '
	rm -rf c1 go go.paused && cp -r tree c1 &&
	(BT_TEST_PAUSE_AFTER_READ="$TRASH/go" "$BT" apply --tree c1 p1.patch \
		2>first.err; echo $? >first.rc) &
	i=0 && while [ ! -e go.paused ] && [ $i -lt 1000 ]; do sleep 0.01; i=$((i + 1)); done &&
	test -e go.paused &&
	st=0 && "$BT" apply --tree c1 p20.patch 2>second.err || st=$? &&
	touch go && wait &&
	test "$(cat first.rc)" = 0 &&
	test_grep "line five" c1/src/a.c &&
	test $st -eq 2 &&
	test_grep "^backport-tool: c1: another backport-tool is applying to this tree$" second.err &&
	test $(wc -l <second.err) -eq 1 &&
	"$BT" apply --tree c1 p20.patch &&
	test_grep "line five" c1/src/a.c && test_grep "line twenty" c1/src/a.c
'

test_expect_success 'apply -v says nothing about recovery when there is nothing to recover' '
	rm -rf tv && cp -r tree tv &&
	"$BT" apply -v --tree tv p1.patch >out 2>err &&
	test_grep "^p1.patch: clean" out &&
	test_cmp /dev/null err &&
	"$BT" apply --recover --tree tv 2>err &&
	test_grep "^backport-tool: tv: nothing to recover$" err
'

test_expect_success 'apply -t NAME=DIR, as check takes it' '
	rm -rf tn && cp -r tree tn &&
	"$BT" check -t mine=tn p1.patch >out &&
	"$BT" apply -t mine=tn p1.patch &&
	test_grep "line five" tn/src/a.c &&
	test_expect_code 2 "$BT" apply -t mine=git:HEAD p1.patch 2>err &&
	test_grep "a git revision cannot be written" err
'

test_expect_success 'a git patch that deletes a file that does not exist is a conflict' '
	rm -rf td && cp -r tree td && snapshot td >before &&
	printf "diff --git a/gone.c b/gone.c\ndeleted file mode 100644\nindex 1234567..0000000\n--- a/gone.c\n+++ /dev/null\n@@ -1 +0,0 @@\n-gone\n" >gone.patch &&
	test_expect_code 1 "$BT" apply --tree td gone.patch 2>err &&
	test_grep "^backport-tool: gone.patch:1: does not apply: gone.c: file to delete does not exist (tree unchanged)$" err &&
	test_expect_code 1 "$BT" check --tree td gone.patch >out &&
	test_grep "gone.c: file to delete does not exist" out &&
	snapshot td >after && test_cmp before after
'

# An apply killed half-way (BT_TEST_KILL_AT=4, test-only: after the list
# and the first rename) leaves a half-written tree and its journal.
test_expect_success '--dry-run on a half-written tree writes nothing and says why' '
	rm -rf th && cp -r tree th &&
	test_expect_code 137 env BT_TEST_KILL_AT=4 "$BT" apply --tree th p1.patch p3.patch 2>/dev/null &&
	test -f th/.backport-tool-journal/list &&
	snapshot th >before &&
	test_expect_code 2 "$BT" apply -n --tree th p1.patch 2>err &&
	test_grep "^backport-tool: th: has an unfinished apply (.backport-tool-journal); run .backport-tool apply --recover. first$" err &&
	test $(wc -l <err) -eq 1 &&
	snapshot th >after && test_cmp before after
'

test_expect_success 'check on a half-written tree says it has an unfinished apply' '
	snapshot th >before &&
	test_expect_code 2 "$BT" check --tree th p1.patch >out 2>err &&
	test_grep "^backport-tool: th: has an unfinished apply" err &&
	snapshot th >after && test_cmp before after &&
	"$BT" apply --recover --tree th 2>err &&
	test_grep "rolled back an interrupted apply" err &&
	"$BT" check --tree th p1.patch >out
'

test_expect_success 'a file owned by another user keeps its owner when root applies' '
	if [ "$(id -u)" != 0 ]; then say "skipped: needs root"; exit 0; fi &&
	rm -rf to && cp -r tree to && chown 1234:1234 to/src/a.c &&
	chmod 640 to/src/a.c &&
	"$BT" apply --tree to p1.patch &&
	test_grep "line five" to/src/a.c &&
	test "$(stat -c %u:%g:%a to/src/a.c)" = 1234:1234:640
'

# chattr +i: even root cannot replace the file.  The rename fails after
# README was replaced; undo must put README back and touch nothing else.
test_expect_success 'an immutable file: one line, the tree as it was, no journal left' '
	rm -rf ti && cp -r tree ti &&
	if ! chattr +i ti/src/a.c 2>/dev/null; then say "skipped: chattr +i not supported here"; exit 0; fi &&
	sed "s/^line 3$/line three/" tree/README >tmp/readme &&
	mkpatch tree/README tmp/readme README >readme.patch &&
	snapshot ti >before &&
	st=0 && "$BT" apply --tree ti readme.patch p1.patch 2>err || st=$? &&
	chattr -i ti/src/a.c &&
	test $st -eq 2 &&
	test $(wc -l <err) -eq 1 &&
	test_grep "^backport-tool: src/a.c: cannot write: Operation not permitted" err &&
	test ! -e ti/.backport-tool-journal &&
	snapshot ti >after && test_cmp before after &&
	"$BT" apply --tree ti readme.patch p1.patch
'

test_done

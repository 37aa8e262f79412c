#!/bin/sh
# t6100-crash: apply is all-or-nothing even when killed.  A 500-patch series
# (made here: changes, new files in new directories, deletions) is applied
# and the process is killed with SIGKILL at random moments, 50 times.  After
# each kill, recovery (apply --recover, or simply the next apply) must leave
# the tree exactly as it was or exactly as the whole series makes it.
#
# BT_CRASH_SEED=N repeats a run; BT_CRASH_RUNS=N changes the number of kills.
. "$(dirname "$0")/test-lib.sh"

[ -n "${BT_VALGRIND:-}" ] && skip_all "kill timing is meaningless under valgrind"

seed=${BT_CRASH_SEED:-$(date +%s)}
runs=${BT_CRASH_RUNS:-50}
say "seed $seed, $runs runs"

# Names, types, modes, symlink targets, then the content of every file.
snapshot() {
	(cd "$1" && find . -printf '%p %y %m %l\n' | sort &&
	 find . -type f -print0 | sort -z | xargs -0 -r md5sum)
}

# next_rand N: set R to a random integer in [0, N), from the seeded stream
# (an LCG in shell arithmetic, so that a seed repeats a run exactly).
rng=$seed
next_rand() {
	rng=$(( (rng * 1103515245 + 12345) % 2147483648 ))
	R=$(( (rng / 65536) % $1 ))
}

# now_ms: a monotonic-enough clock in milliseconds.
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

test_expect_success 'setup: a tree of 110 files and a 500-patch series' '
	mkdir -p orig/src orig/del patches &&
	awk -v dir=orig "BEGIN {
		for (f = 0; f < 100; f++) {
			out = dir \"/src/f\" f \".c\"
			for (n = 1; n <= 60; n++)
				print \"f\" f \" line \" n > out
			close(out)
		}
		for (f = 0; f < 10; f++) {
			out = dir \"/del/d\" f \".c\"
			print \"doomed \" f > out
			close(out)
		}
	}" &&
	chmod 755 orig/src/f7.c &&
	awk -v dir=patches "BEGIN {
		m = 0; d = 0
		for (i = 1; i <= 500; i++) {
			out = sprintf(\"%s/%04d.patch\", dir, i)
			printf \"Subject: change %d\\n\\n\", i > out
			if (i % 25 == 0) {
				p = \"new/n\" i \"/file\" i \".c\"
				printf \"--- /dev/null\\n+++ b/%s\\n@@ -0,0 +1,2 @@\\n+created by %d\\n+second line\\n\", p, i > out
			} else if (i % 50 == 13) {
				p = \"del/d\" d \".c\"
				printf \"--- a/%s\\n+++ /dev/null\\n@@ -1 +0,0 @@\\n-doomed %d\\n\", p, d > out
				d++
			} else {
				f = m % 100; k = int(m / 100); m++
				L = 5 + 12 * k
				p = \"src/f\" f \".c\"
				printf \"--- a/%s\\n+++ b/%s\\n@@ -%d,7 +%d,7 @@\\n\", p, p, L - 3, L - 3 > out
				for (n = L - 3; n < L; n++) printf \" f%d line %d\\n\", f, n > out
				printf \"-f%d line %d\\n+f%d line %d changed by %d\\n\", f, L, f, L, i > out
				for (n = L + 1; n <= L + 3; n++) printf \" f%d line %d\\n\", f, n > out
			}
			close(out)
			print sprintf(\"%04d.patch\", i) > (dir \"/series\")
		}
	}" &&
	test $(wc -l <patches/series) -eq 500 &&
	cp -a orig ref &&
	(cd ref && for p in $(cat ../patches/series); do
		patch -s -p1 -F0 <../patches/$p || exit 1; done) &&
	find ref -type d -empty -delete &&
	snapshot orig >old.sum && snapshot ref >new.sum &&
	! test_cmp old.sum new.sum >/dev/null
'

test_expect_success 'an uninterrupted apply gives the fully patched tree' '
	rm -rf work && cp -a orig work &&
	start=$(now_ms) &&
	"$BT" apply --tree work --series patches/series &&
	echo $(( $(now_ms) - start )) >duration &&
	say "a full apply takes $(cat duration) ms" &&
	snapshot work >got.sum && test_cmp new.sum got.sum
'

# One run: kill after DELAY ms, recover with MODE ("recover" or "next"),
# and print "old" or "new" ("+journal" when the kill left one), or why not.
crash_run() {
	rm -rf work && cp -a orig work || { echo "setup failed"; return; }
	"$BT" apply --tree work --series patches/series >/dev/null 2>&1 &
	pid=$!
	sleep "$(awk -v ms="$1" "BEGIN { printf \"%.3f\", ms / 1000 }")"
	kill -9 $pid 2>/dev/null || :
	wait $pid 2>/dev/null || :
	j=""
	if [ -d work/.backport-tool-journal ]; then j="+journal"; fi
	snapshot work >pre.sum
	if [ "$2" = next ]; then
		# the next apply finishes or rolls back first, then applies
		# the series (judged already applied on a complete tree)
		if ! "$BT" apply --tree work --series patches/series >/dev/null 2>rec.err; then
			echo "BAD: the next apply failed: $(cat rec.err)"; return
		fi
	elif ! "$BT" apply --recover --tree work >/dev/null 2>rec.err; then
		echo "BAD: recover failed: $(cat rec.err)"; return
	fi
	snapshot work >post.sum
	if cmp -s post.sum old.sum; then echo "old$j"
	elif cmp -s post.sum new.sum; then echo "new$j"
	else echo "BAD$j: $(diff old.sum post.sum | head -5 | tr '\n' ' ')"
	fi
}

# crash_runs SPAN DEADLINE: up to $runs runs, each line in "results";
# fails at the first run that is neither old nor new.
crash_runs() {
	i=0
	while [ $i -lt $runs ]; do
		i=$((i + 1))
		next_rand $1
		mode=recover
		[ $((i % 2)) -eq 0 ] && mode=next
		r=$(crash_run $R $mode)
		echo "run $i: kill at $R ms, $mode: $r" >>results
		case "$r" in
		old*|new*) ;;
		*) cat results; return 1 ;;
		esac
		if [ "$(date +%s)" -ge "$2" ]; then
			say "time limit after $i runs"
			break
		fi
	done
}

# A run killed before its journal exists, or after it is gone, leaves its
# record; these runs keep theirs in the trash, not in the user's cache.
test_expect_success "$runs kills at random moments: always old or new after recovery" '
	BACKPORT_TOOL_CACHE="$TRASH/rcache" && export BACKPORT_TOOL_CACHE &&
	span=$(( $(cat duration) * 6 / 5 + 20 )) &&
	: >results &&
	crash_runs $span $(( $(date +%s) + 110 )) &&
	say "$(grep -c ": old" results) old, $(grep -c ": new" results) new, $(grep -c journal results) killed mid-write" &&
	test $(wc -l <results) -ge 10
'

test_expect_success 'recovery leaves no journal, temporary file or backup behind' '
	! find work -name ".backport-tool-journal" -o -name "*.orig" -o -name "*.rej" | grep .
'

# Every step of the journal (fsio.c), one kill each (BT_TEST_KILL_AT=N, a
# test-only hook: the commit SIGKILLs itself after step N): a small series
# that changes, creates in a new directory and deletes (a git patch).
# Steps: 1 journal made, 2 files staged, 3 list written, 4-6 the deletion
# and the two renames, 7 list -> done (the commit point), 8 journal removed.
test_expect_success 'setup: a three-change series' '
	rm -rf s-orig s-new && mkdir -p s-orig/src &&
	printf "one\ntwo\nthree\n" >s-orig/src/mod.c &&
	printf "doomed\n" >s-orig/src/gone.c &&
	cat >s.patch <<-\EOF &&
	--- a/src/mod.c
	+++ b/src/mod.c
	@@ -1,3 +1,3 @@
	 one
	-two
	+TWO
	 three
	--- /dev/null
	+++ b/new/dir/made.c
	@@ -0,0 +1 @@
	+made
	diff --git a/src/gone.c b/src/gone.c
	deleted file mode 100644
	index 1234567..0000000
	--- a/src/gone.c
	+++ /dev/null
	@@ -1 +0,0 @@
	-doomed
	EOF
	cp -a s-orig s-new && "$BT" apply --tree s-new s.patch &&
	snapshot s-orig >s-old.sum && snapshot s-new >s-new.sum &&
	! test_cmp s-old.sum s-new.sum >/dev/null
'

# step_message N: what the run after a kill at step N must say.
step_message() {
	case $1 in
	1) echo "removed an interrupted apply.s empty journal" ;;
	2) echo "removed an interrupted apply.s journal (the tree was not changed)" ;;
	[3-6]) echo "rolled back an interrupted apply" ;;
	7) echo "finished an interrupted apply" ;;
	*) echo "" ;;
	esac
}

# kill_step N MODE: kill at step N, then "apply --recover" or the next
# apply (MODE recover or next); prints what went wrong, nothing when right.
kill_step() {
	rm -rf sw && cp -a s-orig sw &&
	st=0 && BT_TEST_KILL_AT=$1 "$BT" apply --tree sw s.patch 2>/dev/null || st=$?
	[ $st -eq 137 ] || { echo "step $1: not killed (exit $st)"; return; }
	if [ "$2" = recover ]; then
		"$BT" apply --recover --tree sw 2>msg || { echo "step $1: recover failed: $(cat msg)"; return; }
	elif [ $1 -ge 8 ]; then
		# no journal: a plain second apply, and the git deletion of a
		# file that is gone conflicts, as in git apply
		st=0 && "$BT" apply --tree sw s.patch 2>msg || st=$?
		[ $st -eq 1 ] && grep -q "src/gone.c: file to delete does not exist" msg ||
			echo "step $1: second apply: exit $st, $(cat msg)"
		: >msg
	else
		"$BT" apply --tree sw s.patch 2>msg || { echo "step $1: next apply failed: $(cat msg)"; return; }
	fi
	want=$(step_message $1)
	if [ -n "$want" ]; then
		grep -q "^backport-tool: sw: $want\$" msg || echo "step $1 ($2): said $(cat msg), not $want"
		[ $(wc -l <msg) -eq 1 ] || echo "step $1 ($2): more than one line: $(cat msg)"
	elif [ "$2" = next ] && [ -s msg ]; then
		echo "step $1 ($2): said $(cat msg)"
	fi
	[ -d sw/.backport-tool-journal ] && echo "step $1 ($2): journal left"
	snapshot sw >sw.sum
	if [ "$2" = next ] || [ $1 -ge 7 ]; then
		cmp -s sw.sum s-new.sum || echo "step $1 ($2): not the new tree"
	else
		cmp -s sw.sum s-old.sum || echo "step $1 ($2): not the old tree"
	fi
}

test_expect_success 'a kill at every journal step: old or complete after the next run, with the right message' '
	BACKPORT_TOOL_CACHE="$TRASH/jcache" && export BACKPORT_TOOL_CACHE &&
	: >steps &&
	for n in 1 2 3 4 5 6 7 8; do
		kill_step $n recover >>steps && kill_step $n next >>steps || return 1
	done &&
	rm -rf sw && cp -a s-orig sw &&
	BT_TEST_KILL_AT=9 "$BT" apply --tree sw s.patch &&
	test_cmp /dev/null steps
'

# A crash (power loss) while "list" was written can leave it cut short:
# the tree was not touched yet (it is synced before the first change), and
# the list is a beginning of the one in the journal's record.  Recovery
# removes the journal; a list that is not a beginning of it is refused.
test_expect_success 'a list cut short by a crash: the journal is removed, the tree as it was' '
	rm -rf sw && cp -a s-orig sw &&
	test_expect_code 137 env BT_TEST_KILL_AT=3 "$BT" apply --tree sw s.patch 2>/dev/null &&
	head -c 40 sw/.backport-tool-journal/list >cut &&
	cat cut >sw/.backport-tool-journal/list &&
	"$BT" apply --recover --tree sw 2>msg &&
	test_grep "^backport-tool: sw: removed an interrupted apply.s journal (the tree was not changed)$" msg &&
	test ! -e sw/.backport-tool-journal &&
	snapshot sw >sw.sum && test_cmp s-old.sum sw.sum
'

test_expect_success 'a list that is not the beginning of its record is refused' '
	rm -rf sw && cp -a s-orig sw &&
	test_expect_code 137 env BT_TEST_KILL_AT=3 "$BT" apply --tree sw s.patch 2>/dev/null &&
	sed "s/mod.c/MOD.c/" sw/.backport-tool-journal/list >cut &&
	cat cut >sw/.backport-tool-journal/list &&
	test_expect_code 2 "$BT" apply --recover --tree sw 2>msg &&
	test_grep "did not write for this tree; left untouched" msg &&
	test -d sw/.backport-tool-journal &&
	"$BT" apply --recover --force --tree sw 2>msg &&
	snapshot sw >sw.sum && test_cmp s-old.sum sw.sum
'

# A crash (power loss) during the commit point's sync: "list" -> "done" is
# synced together with the tree's renames and unlinks, so "done" may be on
# disk while some of them are not.  Made here by hand: killed after the
# deletion (step 4), the deleted file put back as the disk may have kept
# it (the original's inode, or its bytes where the backup is a copy), the
# renames still staged, and "list" renamed "done".  Recovery finishes the
# commit from the journal; a file that is no longer the original stays.
crash_in_commit_point() {
	rm -rf sw && cp -a s-orig sw &&
	test_expect_code 137 env BT_TEST_KILL_AT=4 "$BT" apply --tree sw s.patch 2>/dev/null &&
	j=sw/.backport-tool-journal &&
	k=$(sed -n "s|^c \([0-9]*\) bd src/gone.c$|\1|p" $j/list) &&
	test -n "$k" && test ! -e sw/src/gone.c && test -e $j/$k.old &&
	case $1 in
	link) ln $j/$k.old sw/src/gone.c ;;
	copy) cp $j/$k.old sw/src/gone.c ;;
	other) printf "not the original\n" >sw/src/gone.c ;;
	esac &&
	mv $j/list $j/done &&
	"$BT" apply --recover --tree sw 2>msg &&
	test_grep "^backport-tool: sw: finished an interrupted apply$" msg &&
	test ! -e $j
}

test_expect_success 'a crash in the commit point: "done" kept, a deletion and the renames lost' '
	crash_in_commit_point link &&
	snapshot sw >sw.sum && test_cmp s-new.sum sw.sum &&
	crash_in_commit_point copy &&
	snapshot sw >sw.sum && test_cmp s-new.sum sw.sum
'

test_expect_success 'finishing a commit leaves a file that is no longer the original' '
	crash_in_commit_point other &&
	test_grep "^not the original$" sw/src/gone.c &&
	rm sw/src/gone.c &&
	snapshot sw >sw.sum && test_cmp s-new.sum sw.sum
'

# The nonce that names the record is an empty file, "nonce.HEX": durable
# with the journal's directory, and no block to write or discard.
test_expect_success 'the journal names its record by an empty file' '
	BACKPORT_TOOL_CACHE="$TRASH/jcache" && export BACKPORT_TOOL_CACHE &&
	rm -rf sw && cp -a s-orig sw &&
	test_expect_code 137 env BT_TEST_KILL_AT=1 "$BT" apply --tree sw s.patch 2>/dev/null &&
	ls sw/.backport-tool-journal >entries &&
	test $(wc -l <entries) -eq 1 &&
	grep -q "^nonce\.[0-9a-f]\{32\}$" entries &&
	test ! -s sw/.backport-tool-journal/$(cat entries) &&
	test -f "$BACKPORT_TOOL_CACHE/journals/$(sed "s/^nonce\.//" entries)" &&
	"$BT" apply --recover --tree sw 2>msg &&
	test_grep "removed an interrupted apply.s empty journal" msg
'

# The journal's removal is not waited for: a crash (power loss) just after
# a commit may bring it back after its record went.  What comes back has
# nothing left to do, and recovery removes it, saying so; a journal with
# something left to do is still refused without its record.
test_expect_success 'a journal back after its record went, nothing left to do: removed' '
	BACKPORT_TOOL_CACHE="$TRASH/jcache" && export BACKPORT_TOOL_CACHE &&
	rm -rf sw && cp -a s-orig sw &&
	test_expect_code 137 env BT_TEST_KILL_AT=7 "$BT" apply --tree sw s.patch 2>/dev/null &&
	test -f sw/.backport-tool-journal/done &&
	rm "$BACKPORT_TOOL_CACHE"/journals/* &&
	"$BT" apply --recover --tree sw 2>msg &&
	test_grep "^backport-tool: sw: removed a leftover journal with nothing to undo or finish$" msg &&
	test ! -e sw/.backport-tool-journal &&
	snapshot sw >sw.sum && test_cmp s-new.sum sw.sum &&
	rm -rf sw && cp -a s-orig sw &&
	test_expect_code 137 env BT_TEST_KILL_AT=2 "$BT" apply --tree sw s.patch 2>/dev/null &&
	rm "$BACKPORT_TOOL_CACHE"/journals/* &&
	"$BT" apply --tree sw s.patch 2>msg &&
	test_grep "^backport-tool: sw: removed a leftover journal with nothing to undo or finish$" msg &&
	snapshot sw >sw.sum && test_cmp s-new.sum sw.sum
'

# Killed after the deletion and the first rename, "list" renamed "done"
# and the record gone: the second file is still staged.
test_expect_success 'a finished journal without its record, with a rename left to do: refused' '
	BACKPORT_TOOL_CACHE="$TRASH/jcache" && export BACKPORT_TOOL_CACHE &&
	rm -rf sw && cp -a s-orig sw &&
	test_expect_code 137 env BT_TEST_KILL_AT=5 "$BT" apply --tree sw s.patch 2>/dev/null &&
	mv sw/.backport-tool-journal/list sw/.backport-tool-journal/done &&
	rm "$BACKPORT_TOOL_CACHE"/journals/* &&
	snapshot sw >before.sum &&
	test_expect_code 2 "$BT" apply --recover --tree sw 2>msg &&
	test_grep "did not write for this tree; left untouched" msg &&
	test $(wc -l <msg) -eq 1 &&
	snapshot sw >after.sum && test_cmp before.sum after.sum
'

# Killed after both renames, the deletion put back as a crash in the
# commit point may have kept it, "list" renamed "done", the record gone.
test_expect_success 'a finished journal without its record, a deleted file still there: refused' '
	BACKPORT_TOOL_CACHE="$TRASH/jcache" && export BACKPORT_TOOL_CACHE &&
	rm -rf sw && cp -a s-orig sw &&
	test_expect_code 137 env BT_TEST_KILL_AT=6 "$BT" apply --tree sw s.patch 2>/dev/null &&
	j=sw/.backport-tool-journal &&
	k=$(sed -n "s|^c \([0-9]*\) bd src/gone.c$|\1|p" $j/list) &&
	ln $j/$k.old sw/src/gone.c &&
	mv $j/list $j/done &&
	rm "$BACKPORT_TOOL_CACHE"/journals/* &&
	test_expect_code 2 "$BT" apply --recover --tree sw 2>msg &&
	test_grep "did not write for this tree; left untouched" msg &&
	test -e sw/src/gone.c && test -d sw/.backport-tool-journal
'

test_expect_success 'no journal record is left outside the trees' '
	ls "$TRASH/jcache/journals" >records &&
	test_cmp /dev/null records
'

test_done

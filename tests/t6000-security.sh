#!/bin/sh
# t6000-security: a patch is untrusted input.  Each case below is an attack
# that worked on GNU patch or git apply (the CVE is named), or an input
# that must be refused for the same reasons.  Every one must end with exit
# status 2, one clear line on stderr, and the whole scratch area (the tree
# and the directory beside it) exactly as it was: no file written outside
# the tree, none inside it, no .orig/.rej/temporary litter, no journal.
. "$(dirname "$0")/test-lib.sh"

# area/tree is the target; area/outside stands for everything else the
# user owns.  The patches live outside area/ so that the snapshot covers
# only what an attack could change.
lines() { seq "$1" "$2" | sed 's/^/line /'; }

setup_area() {
	rm -rf area pwned ed-was-run &&
	mkdir -p area/tree/src area/outside &&
	lines 1 10 >area/tree/file.c &&
	lines 1 20 >area/tree/src/a.c &&
	lines 1 10 >area/outside/victim &&
	echo "keep me" >area/outside/secret
}

# Names, types, modes, symlink targets, then the content of every file.
snapshot() {
	(cd area && find . -printf '%p %y %m %l\n' | sort &&
	 find . -type f -print0 | sort -z | xargs -0 -r md5sum)
}

# A fake ed on PATH: if anything runs ed, it leaves a mark.
mkdir -p fakebin
printf '#!/bin/sh\ntouch "%s/ed-was-run"\n' "$TRASH" >fakebin/ed
chmod +x fakebin/ed
PATH="$TRASH/fakebin:$PATH"
export PATH

# expect_refused REGEX APPLY-ARGS...: exit 2, one line matching REGEX, the
# area unchanged, no command of the patch run.
expect_refused() {
	re=$1; shift
	snapshot >before
	status=0
	timeout 60 "$BT" apply --tree area/tree "$@" 2>err || status=$?
	if [ "$status" -ne 2 ] || [ "$(wc -l <err)" -ne 1 ]; then
		echo "expected exit 2 and one line, got exit $status and:" >&2
		sed 's/^/| /' err >&2
		return 1
	fi
	test_grep "^backport-tool: .*$re" err &&
	snapshot >after && test_cmp before after &&
	test ! -e pwned && test ! -e area/tree/pwned && test ! -e area/pwned &&
	test ! -e ed-was-run
}

# ---- GNU patch CVE-2015-1196: a git-style patch creates a symlink that
# points out of the tree, and a later file of the same patch is written
# below it.
test_expect_success 'CVE-2015-1196: a new symlink, then a file written through it' '
	setup_area &&
	cat >cve-2015-1196.patch <<-\EOF &&
	diff --git a/evil b/evil
	new file mode 120000
	index 0000000..8b1378f
	--- /dev/null
	+++ b/evil
	@@ -0,0 +1 @@
	+../outside
	\ No newline at end of file
	diff --git a/evil/pwned b/evil/pwned
	new file mode 100644
	index 0000000..e69de29
	--- /dev/null
	+++ b/evil/pwned
	@@ -0,0 +1 @@
	+owned
	EOF
	expect_refused "symlink" cve-2015-1196.patch &&
	test ! -e area/outside/pwned
'

test_expect_success 'CVE-2015-1196: refused with --allow-symlinks too' '
	setup_area &&
	expect_refused "symlink" --allow-symlinks cve-2015-1196.patch &&
	test ! -e area/outside/pwned
'

# ---- GNU patch CVE-2015-1395: "rename from/to" in a git diff naming a
# path outside the tree (the rename headers were not checked like ---/+++).
test_expect_success 'CVE-2015-1395: rename to a path outside the tree' '
	setup_area &&
	cat >cve-2015-1395.patch <<-\EOF &&
	diff --git a/file.c b/../outside/pwned
	similarity index 100%
	rename from file.c
	rename to ../outside/pwned
	EOF
	expect_refused "\.\." cve-2015-1395.patch
'

test_expect_success 'CVE-2015-1395: rename from a path outside the tree' '
	setup_area &&
	cat >cve-2015-1395-from.patch <<-\EOF &&
	diff --git a/../outside/secret b/stolen
	similarity index 100%
	rename from ../outside/secret
	rename to stolen
	EOF
	expect_refused "\.\." cve-2015-1395-from.patch
'

test_expect_success 'CVE-2015-1395: copy to an absolute path' '
	setup_area &&
	cat >cve-2015-1395-copy.patch <<-EOF &&
	diff --git a/file.c b/$TRASH/area/outside/pwned
	similarity index 100%
	copy from file.c
	copy to $TRASH/area/outside/pwned
	EOF
	expect_refused "absolute" cve-2015-1395-copy.patch
'

# ---- GNU patch CVE-2015-1396: the symlink comes from an earlier patch of
# a series and a later patch writes through it.
test_expect_success 'CVE-2015-1396: a series creates a symlink, then writes through it' '
	setup_area &&
	cat >0001-link.patch <<-\EOF &&
	diff --git a/docs b/docs
	new file mode 120000
	index 0000000..8b1378f
	--- /dev/null
	+++ b/docs
	@@ -0,0 +1 @@
	+../outside
	\ No newline at end of file
	EOF
	cat >0002-write.patch <<-\EOF &&
	diff --git a/docs/victim b/docs/victim
	index 1111111..2222222 100644
	--- a/docs/victim
	+++ b/docs/victim
	@@ -1,3 +1,3 @@
	 line 1
	-line 2
	+owned
	 line 3
	EOF
	printf "0001-link.patch\n0002-write.patch\n" >series-1396 &&
	expect_refused "symlink" --allow-symlinks --series series-1396 &&
	expect_refused "symlink" --series series-1396
'

test_expect_success 'CVE-2015-1396: a series creates a symlink to a file, then patches it' '
	setup_area &&
	cat >0001-filelink.patch <<-\EOF &&
	diff --git a/notes b/notes
	new file mode 120000
	index 0000000..8b1378f
	--- /dev/null
	+++ b/notes
	@@ -0,0 +1 @@
	+../outside/victim
	\ No newline at end of file
	EOF
	cat >0002-patchlink.patch <<-\EOF &&
	--- a/notes
	+++ b/notes
	@@ -1,3 +1,3 @@
	 line 1
	-line 2
	+owned
	 line 3
	EOF
	printf "0001-filelink.patch\n0002-patchlink.patch\n" >series-1396b &&
	expect_refused "symlink" --allow-symlinks --series series-1396b
'

# ---- GNU patch CVE-2018-1000156: an ed-style diff was piped to ed, whose
# "!" command runs a shell command.
test_expect_success 'CVE-2018-1000156: an ed script with a ! command' '
	setup_area &&
	cat >cve-2018-1000156.patch <<-\EOF &&
	--- a/file.c	2018-03-16 14:18:48.000000000 +0100
	+++ b/file.c	2018-03-16 14:19:49.000000000 +0100
	1a
	harmless
	.
	!touch pwned
	w file.c
	EOF
	expect_refused "ed script" cve-2018-1000156.patch
'

test_expect_success 'CVE-2018-1000156: a bare "diff -e" script' '
	setup_area &&
	printf "3c\nowned\n.\n!touch pwned\n" >ed-bare.patch &&
	expect_refused "ed script" ed-bare.patch
'

# ---- GNU patch CVE-2019-13636: the file to patch is a symlink (planted in
# the tree), and patch followed it when writing the result.
test_expect_success 'CVE-2019-13636: the target file is a symlink out of the tree' '
	setup_area &&
	rm area/tree/file.c && ln -s ../outside/victim area/tree/file.c &&
	cat >cve-2019-13636.patch <<-\EOF &&
	--- a/file.c
	+++ b/file.c
	@@ -1,3 +1,3 @@
	 line 1
	-line 2
	+owned
	 line 3
	EOF
	expect_refused "symlink" cve-2019-13636.patch
'

test_expect_success 'CVE-2019-13636: a symlink whose target text the patch matches' '
	setup_area &&
	ln -s ../outside/victim area/tree/link &&
	cat >retarget.patch <<-\EOF &&
	--- a/link
	+++ b/link
	@@ -1 +1 @@
	-../outside/victim
	\ No newline at end of file
	+../outside/secret
	\ No newline at end of file
	EOF
	expect_refused "symlink" retarget.patch
'

test_expect_success 'CVE-2019-13636: a new file whose name is a dangling symlink' '
	setup_area &&
	ln -s ../outside/pwned area/tree/new.c &&
	cat >dangling.patch <<-\EOF &&
	--- /dev/null
	+++ b/new.c
	@@ -0,0 +1 @@
	+owned
	EOF
	expect_refused "symlink\|exists" dangling.patch &&
	test ! -e area/outside/pwned
'

test_expect_success 'CVE-2019-13636: a leading directory is a symlink' '
	setup_area &&
	rm -r area/tree/src && ln -s ../outside area/tree/src &&
	cat >leading.patch <<-\EOF &&
	--- a/src/victim
	+++ b/src/victim
	@@ -1,3 +1,3 @@
	 line 1
	-line 2
	+owned
	 line 3
	EOF
	expect_refused "symlink" leading.patch
'

test_expect_success 'CVE-2019-13636: a non-regular target (fifo) is refused at once' '
	setup_area &&
	mkfifo area/tree/fifo &&
	cat >fifo.patch <<-\EOF &&
	--- a/fifo
	+++ b/fifo
	@@ -1 +1 @@
	-line 1
	+owned
	EOF
	expect_refused "regular" fifo.patch
'

# ---- GNU patch CVE-2019-13638: do_ed_script ran ed through the shell, so
# shell metacharacters in an ed-style diff (here in the file name) ran.
test_expect_success 'CVE-2019-13638: an ed diff with shell metacharacters' '
	setup_area &&
	cat >cve-2019-13638.patch <<-\EOF &&
	--- a/x;touch pwned;$(touch pwned)`touch pwned`
	+++ b/x;touch pwned;$(touch pwned)`touch pwned`
	1a
	owned
	.
	EOF
	expect_refused "ed script" cve-2019-13638.patch
'

# ---- git CVE-2023-23946: git apply renamed a symlink and then created a
# file beyond the renamed symlink, writing outside the work tree.
test_expect_success 'CVE-2023-23946: a renamed symlink, then a file beyond it' '
	setup_area &&
	ln -s ../outside area/tree/symlink &&
	cat >cve-2023-23946.patch <<-\EOF &&
	diff --git a/symlink b/renamed-symlink
	similarity index 100%
	rename from symlink
	rename to renamed-symlink
	--
	diff --git /dev/null b/renamed-symlink/create-me
	new file mode 100644
	index 0000000..039727e
	--- /dev/null
	+++ b/renamed-symlink/create-me
	@@ -0,0 +1,1 @@
	+busted
	EOF
	expect_refused "symlink" cve-2023-23946.patch &&
	expect_refused "symlink" --allow-symlinks cve-2023-23946.patch &&
	test ! -e area/outside/create-me
'

test_expect_success 'CVE-2023-23946: a symlink created, then patched as a regular file' '
	setup_area &&
	cat >cve-2023-23946b.patch <<-\EOF &&
	diff --git a/link b/link
	new file mode 120000
	index 0000000..8b1378f
	--- /dev/null
	+++ b/link
	@@ -0,0 +1 @@
	+../outside/victim
	\ No newline at end of file
	diff --git a/link b/link
	index 8b1378f..2222222 100644
	--- a/link
	+++ b/link
	@@ -1 +1 @@
	-../outside/victim
	\ No newline at end of file
	+owned
	EOF
	expect_refused "symlink\|twice" --allow-symlinks cve-2023-23946b.patch
'

# ---- Paths: every path a patch names is checked, whatever header names it.
path_case() { # path_case TITLE REGEX OLD NEW
	test_expect_success "path: $1" "
		setup_area &&
		printf -- '--- %s\n+++ %s\n@@ -1,3 +1,3 @@\n line 1\n-line 2\n+owned\n line 3\n' \
			'$3' '$4' >path.patch &&
		expect_refused '$2' path.patch
	"
}
path_case 'absolute on both sides' 'absolute' "$TRASH/area/outside/victim" "$TRASH/area/outside/victim"

# A run of slashes separates components as one slash does, as in GNU patch:
# "a//x" at -p1 is x, inside the tree -- never /x.
test_expect_success 'path: a run of slashes after -p1 stays inside the tree' '
	setup_area &&
	victim="$TRASH/area/outside/victim" &&
	printf -- "--- a//%s\n+++ b//%s\n@@ -1,3 +1,3 @@\n line 1\n-line 2\n+owned\n line 3\n" \
		"$victim" "$victim" >slashes.patch &&
	snapshot >before &&
	test_expect_code 1 "$BT" apply --tree area/tree slashes.patch 2>err &&
	test_grep "${victim#/}: file missing" err &&
	snapshot >after && test_cmp before after
'

test_expect_success 'path: "a//src/a.c" is src/a.c, as GNU patch reads it' '
	setup_area &&
	printf -- "--- a//src/a.c\n+++ b//src/a.c\n@@ -1,3 +1,3 @@\n line 1\n-line 2\n+two\n line 3\n" \
		>slashes.patch &&
	cp -r area/tree gnu &&
	(cd gnu && patch -s -p1 <../slashes.patch) &&
	"$BT" apply --tree area/tree slashes.patch &&
	diff -r gnu area/tree
'
path_case '.. component' '\.\.' 'a/src/../../outside/victim' 'b/src/../../outside/victim'
path_case '.. as a whole name' '\.\.' 'a/..' 'b/..'
path_case 'a path into .git' '\.git' 'a/.git/config' 'b/.git/config'
path_case "backport-tool's own journal" 'journal' 'a/.backport-tool-journal/list' 'b/.backport-tool-journal/list'

test_expect_success 'path: an escape character in a name' '
	setup_area &&
	printf -- "--- a/file\033[2J.c\n+++ b/file\033[2J.c\n@@ -0,0 +1 @@\n+x\n" >esc.patch &&
	expect_refused "control character" esc.patch
'

test_expect_success 'path: a newline in a git-quoted name' '
	setup_area &&
	cat >nl.patch <<-\EOF &&
	diff --git "a/evil\nname" "b/evil\nname"
	new file mode 100644
	--- /dev/null
	+++ "b/evil\nname"
	@@ -0,0 +1 @@
	+x
	EOF
	expect_refused "control character" nl.patch
'

test_expect_success 'path: a NUL in a git-quoted name (truncation attack)' '
	setup_area &&
	cat >nulq.patch <<-\EOF &&
	diff --git "a/file.c\000.txt" "b/file.c\000.txt"
	--- "a/file.c\000.txt"
	+++ "b/file.c\000.txt"
	@@ -1,3 +1,3 @@
	 line 1
	-line 2
	+owned
	 line 3
	EOF
	expect_refused "NUL\|control\|quot" nulq.patch
'

test_expect_success 'path: a raw NUL byte in the patch' '
	setup_area &&
	printf -- "--- a/file.c\000x\n+++ b/file.c\000x\n@@ -1,3 +1,3 @@\n line 1\n-line 2\n+owned\n line 3\n" >nul.patch &&
	expect_refused "NUL" nul.patch
'

# ---- Malformed file diffs.
test_expect_success '/dev/null on both sides' '
	setup_area &&
	printf -- "--- /dev/null\n+++ /dev/null\n@@ -0,0 +1 @@\n+x\n" >devnull.patch &&
	expect_refused "/dev/null" devnull.patch
'

test_expect_success 'the same file twice in one patch' '
	setup_area &&
	cat >twice.patch <<-\EOF &&
	--- a/file.c
	+++ b/file.c
	@@ -1,3 +1,3 @@
	 line 1
	-line 2
	+line two
	 line 3
	--- a/file.c
	+++ b/file.c
	@@ -1,3 +1,3 @@
	 line 1
	-line two
	+owned
	 line 3
	EOF
	expect_refused "twice\|more than once\|same file" twice.patch
'

test_expect_success 'the same file twice via a rename' '
	setup_area &&
	cat >twice-rename.patch <<-\EOF &&
	diff --git a/file.c b/moved.c
	similarity index 100%
	rename from file.c
	rename to moved.c
	diff --git a/file.c b/file.c
	index 1111111..2222222 100644
	--- a/file.c
	+++ b/file.c
	@@ -1,3 +1,3 @@
	 line 1
	-line 2
	+owned
	 line 3
	EOF
	expect_refused "twice\|more than once\|same file" twice-rename.patch
'

# ---- The user's own work and interrupted runs.
test_expect_success 'uncommitted changes in a git work tree are not overwritten' '
	setup_area &&
	(cd area/tree && git init -q && git add . &&
	 git -c user.name=T -c user.email=t@example.org commit -q -m base) &&
	echo "my edit" >>area/tree/file.c &&
	cat >edit.patch <<-\EOF &&
	--- a/file.c
	+++ b/file.c
	@@ -1,3 +1,3 @@
	 line 1
	-line 2
	+line two
	 line 3
	EOF
	snapshot >before &&
	test_expect_code 2 "$BT" apply --tree area/tree edit.patch 2>err &&
	test $(wc -l <err) -eq 1 &&
	test_grep "^backport-tool: file.c: has uncommitted changes; nothing written" err &&
	snapshot >after && test_cmp before after &&
	"$BT" apply --force --tree area/tree edit.patch 2>err &&
	test_grep "line two" area/tree/file.c &&
	test_grep "my edit" area/tree/file.c
'

# git hides these files' changes from status; apply must not.
for how in assume-unchanged skip-worktree; do
	test_expect_success "uncommitted changes git hides ($how) are not overwritten" "
		setup_area &&
		(cd area/tree && git init -q && git add . &&
		 git -c user.name=T -c user.email=t@example.org commit -q -m base &&
		 git update-index --$how file.c src/a.c) &&
		echo 'my edit' >>area/tree/file.c &&
		echo 'my edit' >>area/tree/src/a.c &&
		sed 's|file.c|src/a.c|g' edit.patch >edit2.patch &&
		snapshot >before &&
		test_expect_code 2 \"\$BT\" apply --tree area/tree edit.patch edit2.patch 2>err &&
		test \$(wc -l <err) -eq 1 &&
		test_grep '^backport-tool: file.c: has changes git hides ($how), and 1 more file with uncommitted work; nothing written' err &&
		snapshot >after && test_cmp before after &&
		\"\$BT\" apply --force --tree area/tree edit.patch 2>err &&
		test_grep 'line two' area/tree/file.c
	"
done

test_expect_success 'a journal left by a killed run is rolled back by the next apply' '
	setup_area &&
	snapshot >before &&
	# killed at step 4: the journal made, its list written, file.c replaced
	test_expect_code 137 env BT_TEST_KILL_AT=4 \
		"$BT" apply --tree area/tree edit.patch 2>err &&
	test -f area/tree/.backport-tool-journal/list &&
	test_grep "line two" area/tree/file.c &&
	"$BT" apply --recover --tree area/tree 2>err &&
	test_grep "^backport-tool: area/tree: rolled back an interrupted apply$" err &&
	snapshot >after && test_cmp before after
'

# A journal that arrives with the tree (an unpacked tarball or source
# package) is untrusted input: it must prove it is this program's (a record
# outside the tree, fsio_record.c) or it is refused and left as it is.
crafted_journal() {
	mkdir area/tree/.backport-tool-journal &&
	echo 0123456789abcdef0123456789abcdef \
		>area/tree/.backport-tool-journal/nonce &&
	ln -s /etc/shadow area/tree/.backport-tool-journal/0.old &&
	printf "backport-tool journal 2\nnonce 0123456789abcdef0123456789abcdef\nc 0 bw file.c\nc 1 nw src/a.c\n" \
		>area/tree/.backport-tool-journal/list
}

test_expect_success 'a crafted journal is refused, not obeyed' '
	setup_area && crafted_journal &&
	snapshot >before &&
	test_expect_code 2 "$BT" apply --tree area/tree edit.patch 2>err &&
	test $(wc -l <err) -eq 1 &&
	test_grep "^backport-tool: .backport-tool-journal: a journal this backport-tool did not write for this tree; left untouched" err &&
	test_expect_code 2 "$BT" apply --recover --tree area/tree 2>err &&
	test $(wc -l <err) -eq 1 &&
	snapshot >after && test_cmp before after &&
	test ! -L area/tree/file.c && test -f area/tree/src/a.c
'

test_expect_success 'a crafted journal: apply --recover --force discards it without acting on it' '
	setup_area && crafted_journal &&
	"$BT" apply --recover --force --tree area/tree 2>err &&
	test_grep "discarded a journal without acting on it" err &&
	test ! -e area/tree/.backport-tool-journal &&
	test ! -L area/tree/file.c && test_grep "^line 2$" area/tree/file.c &&
	test -f area/tree/src/a.c &&
	"$BT" apply --tree area/tree edit.patch &&
	test_grep "line two" area/tree/file.c
'

test_expect_success 'a hostile journal is refused, not obeyed' '
	setup_area &&
	mkdir area/tree/.backport-tool-journal &&
	printf "backport-tool journal 2\nc 0 nw ../outside/secret\n" \
		>area/tree/.backport-tool-journal/list &&
	snapshot >before &&
	test_expect_code 2 "$BT" apply --tree area/tree edit.patch 2>err &&
	test_grep "did not write" err &&
	test_expect_code 2 "$BT" apply --recover --tree area/tree 2>err &&
	test_grep "did not write" err &&
	snapshot >after && test_cmp before after
'

# A finished journal ("done") without its record is removed only when it
# has nothing left to do (a crash can bring one back after the record
# went, fsio.c); one naming an unsafe path, one that is not a journal, or
# one with a staged file left is refused, in one line, the tree untouched.
test_expect_success 'a crafted finished journal is refused, in one line, unless it has nothing to do' '
	setup_area &&
	snapshot >before &&
	j=area/tree/.backport-tool-journal &&
	mkdir $j &&
	for text in "c 0 bw ../outside/secret" "c 0 bd file.c" "garbage"; do
		printf "backport-tool journal 2\nnonce 0123456789abcdef0123456789abcdef\n%s\n" \
			"$text" >$j/done &&
		ln -f area/tree/file.c $j/0.old &&
		test_expect_code 2 "$BT" apply --recover --tree area/tree 2>err &&
		test $(wc -l <err) -eq 1 && test_grep "did not write" err || return 1
	done &&
	printf "backport-tool journal 2\nnonce 0123456789abcdef0123456789abcdef\nc 0 bw file.c\n" >$j/done &&
	echo staged >$j/0.new &&
	test_expect_code 2 "$BT" apply --recover --tree area/tree 2>err &&
	test $(wc -l <err) -eq 1 && test_grep "did not write" err &&
	rm $j/0.new $j/0.old &&
	"$BT" apply --recover --tree area/tree 2>err &&
	test_grep "removed a leftover journal with nothing to undo or finish" err &&
	test ! -e $j && snapshot >after && test_cmp before after
'

test_expect_success 'a real journal copied to another tree is not trusted there' '
	setup_area &&
	test_expect_code 137 env BT_TEST_KILL_AT=4 \
		"$BT" apply --tree area/tree edit.patch 2>err &&
	rm -rf copy && cp -a area/tree copy &&
	test_expect_code 2 "$BT" apply --recover --tree copy 2>err &&
	test_grep "did not write" err &&
	"$BT" apply --recover --tree area/tree 2>err &&
	test_grep "rolled back" err
'

# ---- Limits: oversized input fails fast, in bounded memory.  A sparse
# file costs no disk; reading it whole would cost gigabytes of memory.
# The memory cap (KiB of address space) keeps a regression from hurting
# the machine; ASan and valgrind need the address space, so they go
# without it.
mem_cap() {
	[ -n "${ASAN_OPTIONS:-}" ] || [ -n "${BT_NO_MEMCAP:-}" ] || ulimit -v "$1"
}

test_expect_success 'limits: a sparse 4 GB patch is refused by size, fast' '
	setup_area &&
	cat >big.patch <<-\EOF &&
	--- a/file.c
	+++ b/file.c
	@@ -1,3 +1,3 @@
	EOF
	truncate -s 4G big.patch &&
	start=$(date +%s) &&
	(mem_cap 500000 && expect_refused "larger than\|too large" big.patch) &&
	test $(( $(date +%s) - start )) -le 10
'

test_expect_success 'limits: a hunk claiming 10 million lines' '
	setup_area &&
	printf -- "--- a/file.c\n+++ b/file.c\n@@ -1,10000000 +1,10000000 @@\n line 1\n-line 2\n+owned\n" >claim.patch &&
	(mem_cap 300000 && expect_refused "claim.patch:[0-9]*:" claim.patch)
'

test_expect_success 'limits: a hunk that really has 10 million lines' '
	setup_area &&
	{ printf -- "--- /dev/null\n+++ b/big.txt\n@@ -0,0 +1,10000000 @@\n" &&
	  yes +x | head -n 10000000; } >lines.patch &&
	(mem_cap 300000 && expect_refused "lines.patch:[0-9]*:.*\(limit\|too many\|too large\|larger\)" lines.patch)
'

test_expect_success 'limits: hunk counts that overflow' '
	setup_area &&
	printf -- "--- a/file.c\n+++ b/file.c\n@@ -1,99999999999999999999999 +1,3 @@\n line 1\n" >overflow.patch &&
	expect_refused "overflow.patch:[0-9]*:" overflow.patch
'

test_done

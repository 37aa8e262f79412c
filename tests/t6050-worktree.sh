#!/bin/sh
# t6050 - the uncommitted-work check in a git work tree reads .git/index
# itself for the common case (worktree_fast.c): a clean file is proven by
# its stat data or by its hash, anything else goes to libgit2.  Each
# refusal here must still happen, each clean case must still apply.

. "$(dirname "$0")/test-lib.sh"

command -v git >/dev/null || skip_all "git is not installed"

GC="git -c user.name=T -c user.email=t@example.org"

lines() { i=$1; while [ "$i" -le "$2" ]; do echo "line $i"; i=$((i + 1)); done; }

# A repository with two files, committed; edit.patch changes file.c.
setup_repo() {
	rm -rf repo && mkdir -p repo/src &&
	lines 1 10 >repo/file.c && lines 1 20 >repo/src/a.c &&
	(cd repo && git init -q && git add . && $GC commit -q -m base) &&
	cat >edit.patch <<-\EOF
	--- a/file.c
	+++ b/file.c
	@@ -1,3 +1,3 @@
	 line 1
	-line 2
	+line two
	 line 3
	EOF
}

# The tree's files and contents (not .git).
snapshot() {
	(cd repo && find . -path ./.git -prune -o -type f -print | sort |
	 xargs md5sum)
}

test_expect_success 'a committed, untouched tree takes the patch' '
	setup_repo &&
	"$BT" apply --tree repo edit.patch &&
	test_grep "^line two$" repo/file.c
'

# The cost of a single apply (issue 17): libgit2 (and what it pulls in,
# its TLS certificates on init) is loaded only when the fast path cannot
# tell; LD_DEBUG=files names every library as it is loaded.  The plain
# directory is made outside the trash: CI builds inside the project's own
# checkout, where a directory of the trash is an untracked part of a work
# tree, which the fast path rightly leaves to libgit2.
test_expect_success 'a clean work tree and a plain directory: libgit2 is not loaded' '
	setup_repo &&
	LD_DEBUG=files "$BT" apply --tree repo edit.patch 2>err &&
	test_grep "^line two$" repo/file.c &&
	! grep "file=libgit2" err &&
	plain=$(mktemp -d) && lines 1 10 >"$plain/file.c" &&
	LD_DEBUG=files "$BT" apply --tree "$plain" edit.patch 2>err &&
	test_grep "^line two$" "$plain/file.c" &&
	rm -rf "$plain" &&
	! grep "file=libgit2" err
'

test_expect_success 'a dirty file: libgit2 is loaded, and words the refusal' '
	setup_repo &&
	echo "my edit" >>repo/file.c &&
	test_expect_code 2 env LD_DEBUG=files "$BT" apply --tree repo edit.patch 2>err &&
	test_grep "file=libgit2" err &&
	test_grep "^backport-tool: file.c: has uncommitted changes; nothing written" err
'

test_expect_success 'from a subdirectory of the work tree too' '
	setup_repo &&
	sed "s|file.c|a.c|g" edit.patch >sub.patch &&
	"$BT" apply --tree repo/src sub.patch &&
	test_grep "^line two$" repo/src/a.c
'

# Racy git: the stat data git recorded must not be trusted alone.  The
# edit keeps the size and puts back the exact mtime; the content differs.
test_expect_success 'an edit keeping size and mtime is still caught' '
	setup_repo &&
	touch -r repo/file.c stamp &&
	sed "s/^line 5$/LINE 5/" repo/file.c >tmp && cat tmp >repo/file.c &&
	touch -r stamp repo/file.c &&
	test $(stat -c %s repo/file.c) -eq $(lines 1 10 | wc -c) &&
	test "$(stat -c %y repo/file.c)" = "$(stat -c %y stamp)" &&
	snapshot >before &&
	test_expect_code 2 "$BT" apply --tree repo edit.patch 2>err &&
	test_grep "^backport-tool: file.c: has uncommitted changes; nothing written" err &&
	snapshot >after && test_cmp before after
'

test_expect_success 'the same content with new stat data is clean (hashed)' '
	setup_repo &&
	cp repo/file.c tmp && rm repo/file.c && cp tmp repo/file.c &&
	touch -d "2001-01-01 00:00:00" repo/file.c &&
	"$BT" apply --tree repo edit.patch &&
	test_grep "^line two$" repo/file.c
'

test_expect_success 'a staged change is refused' '
	setup_repo &&
	echo "staged" >>repo/file.c && (cd repo && git add file.c) &&
	snapshot >before &&
	test_expect_code 2 "$BT" apply --tree repo edit.patch 2>err &&
	test_grep "^backport-tool: file.c: has staged changes not committed" err &&
	snapshot >after && test_cmp before after
'

# The index matches the work tree and has a valid cache tree, but HEAD
# moved: the index differs from HEAD.
test_expect_success 'an index that differs from HEAD (reset --soft) is refused' '
	setup_repo &&
	sed "s/^line 9$/line nine/" repo/file.c >tmp && cat tmp >repo/file.c &&
	(cd repo && $GC commit -q -a -m second && git reset -q --soft HEAD~1) &&
	test_expect_code 2 "$BT" apply --tree repo edit.patch 2>err &&
	test_grep "^backport-tool: file.c: has staged changes not committed" err
'

test_expect_success 'an untracked file the patch changes is refused' '
	setup_repo &&
	lines 1 10 >repo/new.c &&
	sed "s|file.c|new.c|g" edit.patch >new.patch &&
	test_expect_code 2 "$BT" apply --tree repo new.patch 2>err &&
	test_grep "^backport-tool: new.c: is untracked" err &&
	test_grep "^line 2$" repo/new.c
'

test_expect_success 'a deleted tracked file is refused' '
	setup_repo &&
	cat >create.patch <<-\EOF &&
	--- /dev/null
	+++ b/file.c
	@@ -0,0 +1 @@
	+new
	EOF
	rm repo/file.c &&
	test_expect_code 2 "$BT" apply --tree repo create.patch 2>err &&
	test_grep "^backport-tool: file.c: is deleted but not committed" err
'

test_expect_success 'a new file is written' '
	setup_repo &&
	sed "s|b/file.c|b/src/new.c|" create.patch >create2.patch &&
	"$BT" apply --tree repo create2.patch &&
	test_grep "^new$" repo/src/new.c
'

# HEAD in a pack and packed-refs, and index version 4 (prefix-compressed
# names): read as well, clean applies and an edit is caught.
test_expect_success 'a packed repository with an index v4: clean applies, an edit is caught' '
	setup_repo &&
	(cd repo && git gc -q && git update-index --index-version 4) &&
	test ! -f repo/.git/refs/heads/$(cd repo && git symbolic-ref --short HEAD) &&
	"$BT" apply --tree repo edit.patch &&
	test_grep "^line two$" repo/file.c &&
	(cd repo && git checkout -q -- file.c) &&
	echo "my edit" >>repo/src/a.c &&
	sed "s|file.c|src/a.c|g" edit.patch >sub.patch &&
	test_expect_code 2 "$BT" apply --tree repo sub.patch 2>err &&
	test_grep "^backport-tool: src/a.c: has uncommitted changes" err
'

# skip-worktree is an extended flag: the index becomes version 3, and the
# entries that have it are two bytes longer.  The fast path reads past one
# (sorted before file.c) and proves file.c clean without libgit2 (once
# write-tree has made the cache tree valid again: update-index drops it).
test_expect_success 'an index version 3 (an extended flag before the file): clean, no libgit2' '
	setup_repo &&
	lines 1 5 >repo/0first.c &&
	(cd repo && git add 0first.c && $GC commit -q -m first &&
	 git update-index --skip-worktree 0first.c && git write-tree >/dev/null) &&
	test "$(od -An -tu1 -j7 -N1 repo/.git/index | tr -d " ")" = 3 &&
	LD_DEBUG=files "$BT" apply --tree repo edit.patch 2>err &&
	test_grep "^line two$" repo/file.c &&
	! grep "file=libgit2" err
'

test_expect_success 'a conflicted file is refused' '
	setup_repo &&
	(cd repo && git checkout -q -b other &&
	 sed "s/^line 2$/line II/" file.c >tmp && cat tmp >file.c && rm tmp &&
	 $GC commit -q -a -m other && git checkout -q - &&
	 sed "s/^line 2$/line 2!/" file.c >tmp && cat tmp >file.c && rm tmp &&
	 $GC commit -q -a -m mine &&
	 test_expect_code 1 $GC merge -q other >/dev/null 2>&1) &&
	cat >conf.patch <<-\EOF &&
	--- a/src/a.c
	+++ b/src/a.c
	@@ -1,3 +1,3 @@
	 line 1
	-line 2
	+line two
	 line 3
	EOF
	"$BT" apply --tree repo conf.patch &&
	test_grep "^line two$" repo/src/a.c &&
	printf "%s\n" "--- a/file.c" "+++ b/file.c" "@@ -1 +1 @@" "-line 1" "+line one" \
		>conf2.patch &&
	test_expect_code 2 "$BT" apply --tree repo conf2.patch 2>err &&
	test_grep "^backport-tool: file.c: has unresolved conflicts" err
'

test_done

#!/bin/sh
# t1300-binary: "GIT binary patch" data (git diff --binary, git format-patch)
# applied as git apply does: literal and delta blocks, creations, deletions,
# renames, beside text diffs; only the exact pre-image takes a change, the
# post-image counts as already applied, and corrupt data is an input error
# that leaves the tree alone.  git apply on the same input is the reference.
. "$(dirname "$0")/test-lib.sh"

GIT_CEILING_DIRECTORIES=$TRASH
export GIT_CEILING_DIRECTORIES
git_c() { git -C repo -c user.name=T -c user.email=t@example.org "$@"; }
snapshot() { (cd "$1" && find . -print | sort && find . -type f | sort | xargs md5sum); }
# export REV DIR: the revision's files in a plain directory
export_rev() { mkdir "$2" && git -C repo archive "$1" | tar -x -C "$2"; }
# git_apply DIR PATCH: the reference result, in a copy of DIR named DIR.git
git_apply() { cp -r "$1" "$1.git" && (cd "$1.git" && git apply "$TRASH/$2"); }

# binary N: N random bytes after a NUL, so that git always takes the file
# for binary (random bytes alone lack a NUL one time in seven for 500
# bytes, two in three for 100: the diff was then text, and test 4 failed
# now and then).
binary() { printf "\000"; head -c "$1" /dev/urandom; }

test_expect_success 'setup: a repository with binary files and one commit changing them' '
	git init -q repo &&
	binary 20000 >repo/blob.bin &&
	binary 100 >repo/small.bin &&
	binary 500 >repo/old.bin &&
	binary 30000 >repo/moving.bin &&
	printf "one\ntwo\nthree\n" >repo/notes.txt &&
	git_c add . && git_c commit -q -m base &&
	printf "XYZ" | dd of=repo/blob.bin bs=1 seek=10000 conv=notrunc 2>/dev/null &&
	binary 100 >repo/small.bin &&
	binary 300 >repo/new.bin &&
	git_c rm -q old.bin &&
	git_c mv moving.bin moved.bin &&
	printf "Q" | dd of=repo/moved.bin bs=1 seek=5 conv=notrunc 2>/dev/null &&
	printf "one\n2\nthree\n" >repo/notes.txt &&
	git_c add . && git_c commit -q -m "binary changes" &&
	git_c format-patch -q -1 --stdout >bin.patch &&
	export_rev HEAD~1 base
'

test_expect_success 'the patch has literal and delta blocks, a creation, a deletion, a rename' '
	test_grep "^delta " bin.patch &&
	test_grep "^literal " bin.patch &&
	test_grep "^new file mode" bin.patch &&
	test_grep "^deleted file mode" bin.patch &&
	test_grep "^rename from moving.bin" bin.patch
'

test_expect_success 'apply gives the tree git apply gives' '
	git_apply base bin.patch &&
	cp -r base t1 &&
	"$BT" apply --tree t1 bin.patch &&
	diff -r base.git t1 &&
	test ! -e t1/old.bin && test ! -e t1/moving.bin
'

test_expect_success 'check: clean on the base, already applied on the result' '
	"$BT" check --tree base bin.patch >out &&
	test_grep "^bin.patch  *clean" out &&
	"$BT" check --tree t1 --format json bin.patch >out.json &&
	test "$(jq -r ".patches[0].results[0].verdict" out.json)" = applied &&
	test "$(jq -r "[.patches[0].results[0].files[].verdict] | unique | join(\",\")" out.json)" = applied
'

test_expect_success 'check --git: the commit on its parent revision, no checkout' '
	"$BT" check --git repo --tree base=git:HEAD~1 HEAD >out &&
	test_grep "clean" out
'

test_expect_success 'another pre-image: a conflict, the tree unchanged' '
	cp -r base t2 &&
	printf "!" | dd of=t2/blob.bin bs=1 seek=3 conv=notrunc 2>/dev/null &&
	snapshot t2 >before &&
	test_expect_code 1 "$BT" apply --tree t2 bin.patch 2>err &&
	test_grep "blob.bin: binary file differs from the patch.s pre-image" err &&
	snapshot t2 >after && test_cmp before after &&
	test_expect_code 1 "$BT" check --tree t2 bin.patch >out &&
	test_grep "conflict" out
'

test_expect_success 'a creation over a different file is a conflict' '
	cp -r base t3 && echo other >t3/new.bin &&
	test_expect_code 1 "$BT" apply --tree t3 bin.patch 2>err &&
	test_grep "new.bin: file exists" err
'

# corrupt LINE-EDIT: bin.patch with a sed edit, applied to a copy of base:
# exit 2, one line naming the patch, the tree unchanged.
corrupt() {
	sed "$1" bin.patch >bad.patch &&
	! cmp -s bin.patch bad.patch &&
	rm -rf t4 && cp -r base t4 && snapshot t4 >before &&
	test_expect_code 2 "$BT" apply --tree t4 bad.patch 2>err &&
	test "$(wc -l <err)" -eq 1 &&
	test_grep "^backport-tool: bad.patch:[0-9]*: $2" err &&
	snapshot t4 >after && test_cmp before after
}

test_expect_success 'corrupt data: a character outside base85' '
	corrupt "/^delta /{n;s/^\(..\)./\1\"/}" "corrupt binary patch (bad base85 line)"
'

test_expect_success 'corrupt data: a line whose length does not match its count' '
	corrupt "/^delta /{n;s/.\$//}" "corrupt binary patch (bad base85 line)"
'

test_expect_success 'corrupt data: a size the data does not inflate to' '
	corrupt "0,/^literal \([0-9]*\)/s//literal 7/" "corrupt binary patch (its data does not inflate to 7 bytes)"
'

test_expect_success 'corrupt data: a size far beyond the data is refused before allocating it' '
	corrupt "0,/^literal \([0-9]*\)/s//literal 999999999/" "corrupt binary patch (999999999 bytes cannot come from"
'

test_expect_success 'malformed blocks: no size, or a header without data' '
	printf "diff --git a/x.bin b/x.bin\nindex 1234567..89abcde 100644\nGIT binary patch\nliteral x\n" >nosize.patch &&
	test_expect_code 2 "$BT" apply --tree base nosize.patch 2>err &&
	test_grep "nosize.patch:4: bad size of binary data" err &&
	printf "diff --git a/x.bin b/x.bin\nindex 1234567..89abcde 100644\nGIT binary patch\n" >nodata.patch &&
	test_expect_code 2 "$BT" apply --tree base nodata.patch 2>err &&
	test_grep "without .literal. or .delta." err
'

test_expect_success 'without its index line a binary change is a conflict, as in git apply' '
	sed "/^index /d" bin.patch >noindex.patch &&
	test_expect_code 1 "$BT" check --tree base noindex.patch >out &&
	test_grep "blob.bin: binary patch without an index line" out
'

test_expect_success 'a series: a later text patch sees the binary one' '
	printf "%s\n" "--- a/notes.txt" "+++ b/notes.txt" "@@ -1,3 +1,3 @@" \
		" one" "-2" "+two again" " three" >text.patch &&
	printf "bin.patch\ntext.patch\n" >series &&
	cp -r base t5 &&
	"$BT" apply --tree t5 --series series &&
	test "$(sed -n 2p t5/notes.txt)" = "two again" &&
	cmp base.git/blob.bin t5/blob.bin
'

# verdicts JSON: each file's path, verdict and reason, one per line
verdicts() { jq -r ".patches[0].results[0].files[] | [.path, .verdict, .reason // \"-\"] | join(\" \")" "$1"; }

test_expect_success 'setup: another revision: blob.bin edited, new.bin there already, old.bin deleted' '
	git -C repo checkout -q -b other HEAD~1 &&
	printf "!" | dd of=repo/blob.bin bs=1 seek=3 conv=notrunc 2>/dev/null &&
	binary 50 >repo/new.bin && git_c rm -q old.bin && git_c add . &&
	git_c commit -q -m other &&
	git -C repo checkout -q - &&
	export_rev HEAD dir-head && export_rev other dir-other
'

# On git: targets check judges a commit's binary changes by the blob ids
# of its text (format-patch --no-binary): what the data says on the same
# revisions, file for file, the rename that changes its file included.
test_expect_success 'check --git on git: targets judges binary changes by ids, as the data' '
	for rev in HEAD~1 HEAD other; do
		case $rev in HEAD~1) dir=base ;; HEAD) dir=dir-head ;; *) dir=dir-$rev ;; esac
		{ "$BT" check --no-deps --git repo --tree t=git:$rev --format json \
			HEAD >ids.json; test $? -le 1; } &&
		{ "$BT" check --tree $dir --format json bin.patch >data.json
		  test $? -le 1; } &&
		verdicts ids.json >ids.txt && verdicts data.json >data.txt &&
		test_cmp data.txt ids.txt &&
		test "$(jq -r ".patches[0].patch_text" ids.json)" = \
			"format-patch --no-stat --no-binary" || return 1
	done &&
	test_grep "^blob.bin conflict binary file differs" ids.txt &&
	test_grep "^new.bin conflict file exists" ids.txt &&
	test_grep "^old.bin applied" ids.txt
'

test_expect_success 'check --git beside a directory target: the data, as before' '
	"$BT" check --no-deps --git repo --tree a=git:HEAD~1 --tree b=base \
		--format json HEAD >mixed.json &&
	test "$(jq -r ".patches[0].patch_text // \"data\"" mixed.json)" = data &&
	test "$(jq -r "[.patches[0].results[].verdict] | join(\",\")" mixed.json)" = clean,clean
'

test_expect_success 'a commit of binary changes only, by ids: clean on its parent, not "nothing to apply"' '
	binary 120 >repo/small.bin && git_c commit -q -a -m "only binary" &&
	"$BT" check --no-deps --git repo --tree t=git:HEAD~1 --format json HEAD >only.json &&
	test "$(jq -r ".patches[0].results[0].verdict" only.json)" = clean &&
	test_expect_code 1 "$BT" check --no-deps --git repo --tree t=git:HEAD~2 HEAD >out &&
	test_grep "small.bin: binary file differs" out
'

test_expect_success 'apply --git after a check by ids: the data (the cache keeps the two texts apart)' '
	rm -rf c t6 && cp -r base t6 &&
	BT_TEST_HISTORY_MIN=1 BACKPORT_TOOL_CACHE=$TRASH/c "$BT" check \
		--no-deps --git repo --tree t=git:HEAD~2 HEAD~1 >out &&
	grep -r -l -a "patch-ids" c >/dev/null &&
	BACKPORT_TOOL_CACHE=$TRASH/c "$BT" apply --git repo --tree t6 HEAD~1 &&
	diff -r base.git t6 &&
	BACKPORT_TOOL_CACHE=$TRASH/c "$BT" check --no-deps --git repo \
		--tree t=git:HEAD~2 HEAD~1 >again &&
	test_cmp out again
'

test_done

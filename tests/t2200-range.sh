#!/bin/sh
# t2200-range: any upstream range as input.  Submodule (gitlink) bumps,
# mode-only changes and empty commits each get a verdict of their own and
# never abort a run; apply refuses a submodule change on a directory.  The
# history (a superproject with a submodule) is made here with git.
. "$(dirname "$0")/test-lib.sh"

g() {
	git -c user.name='Ann Author' -c user.email=ann@example.org \
		-c protocol.file.allow=always "$@"
}

test_expect_success 'setup: a superproject with a submodule bump, a mode change, an empty commit' '
	g init -q sub &&
	echo one >sub/s && g -C sub add s && g -C sub commit -q -m s1 &&
	g -C sub rev-parse HEAD >S1 &&
	echo two >sub/s && g -C sub commit -q -a -m s2 &&
	g -C sub rev-parse HEAD >S2 &&
	echo three >sub/s && g -C sub commit -q -a -m s3 &&
	g -C sub rev-parse HEAD >S3 &&
	g init -q up &&
	printf "a\nb\nc\n" >up/f && echo "echo hi" >up/run.sh &&
	g -C up add . && g -C up commit -q -m base &&
	g -C up submodule -q add ../sub roms/sub &&
	g -C up/roms/sub checkout -q "$(cat S1)" &&
	g -C up add roms/sub && g -C up commit -q -m "add roms/sub" &&
	g -C up tag v1 &&
	g -C up/roms/sub checkout -q "$(cat S2)" &&
	g -C up add roms/sub && g -C up commit -q -m "roms/sub: update" &&
	chmod +x up/run.sh && g -C up commit -q -a -m "run.sh: executable" &&
	g -C up commit -q --allow-empty -m "nothing at all" &&
	printf "a\nB\nc\n" >up/f && g -C up commit -q -a -m "f: capital B" &&
	g -C up tag v2 &&
	g -C up branch other v1 &&
	g -C up/roms/sub checkout -q "$(cat S3)" &&
	g -C up add roms/sub && g -C up commit -q -m "roms/sub: elsewhere" &&
	g -C up rev-parse HEAD >ELSEWHERE &&
	mkdir v1dir && g -C up archive v1 | tar -x -C v1dir
'

test_expect_success 'check over a range with a submodule bump finishes, each change judged' '
	"$BT" check --no-deps --git up -t v1=git:v1 v1..v2 >out &&
	s1=$(cut -c1-10 S1) s2=$(cut -c1-10 S2) &&
	test_grep "^[0-9a-f]\{10\}  clean" out &&
	test_grep "v1: submodule roms/sub: $s1 -> $s2, target has $s1" out &&
	test_grep "v1: run.sh: mode 100644 -> 100755, target has 100644" out &&
	test_grep "  empty" out &&
	test_grep "v1: empty commit: no change" out &&
	test $(grep -c "  clean" out) = 3
'

test_expect_success 'merge commits in a range: skipped, with one warning' '
	g clone -q up merges && g -C merges checkout -q -b trunk v2 &&
	g -C merges checkout -q -b topic v2 &&
	echo t1 >merges/t1 && g -C merges add t1 && g -C merges commit -q -m t1 &&
	g -C merges checkout -q - && echo m >merges/m && g -C merges add m &&
	g -C merges commit -q -m m &&
	g -C merges merge -q --no-ff -m "merge one" topic &&
	g -C merges checkout -q topic && echo t2 >merges/t2 && g -C merges add t2 &&
	g -C merges commit -q -m t2 && g -C merges checkout -q - &&
	g -C merges merge -q --no-ff -m "merge two" topic &&
	"$BT" check --no-deps --git merges -t v2=git:v2 v2..HEAD >out 2>err &&
	test $(grep -c "  clean" out) = 3 &&
	test_grep "^backport-tool: warning: 2 merge commits skipped ([0-9a-f]\{10\} and 1 more)$" err &&
	test $(wc -l <err) = 1 &&
	"$BT" check --no-deps --git merges -t v2=git:v2 HEAD >out 2>err &&
	test_grep "^backport-tool: warning: [0-9a-f]\{10\}: a merge commit, skipped$" err
'

test_expect_success 'on the newer tag the bump and the mode are already applied' '
	"$BT" check --no-deps --git up -t v2=git:v2 v1..v2 >out &&
	s2=$(cut -c1-10 S2) &&
	test_grep "v2: submodule roms/sub: .* -> $s2, target has $s2" out &&
	test_grep "v2: run.sh: mode 100644 -> 100755, target has 100755" out &&
	test $(grep -c "  applied" out) = 3
'

test_expect_success 'a target with another submodule commit: conflict naming it' '
	test_expect_code 1 "$BT" check --no-deps --git up \
		-t x=git:"$(cat ELSEWHERE)" "v1..v2~3" >out &&
	s3=$(cut -c1-10 S3) &&
	test_grep "  conflict" out &&
	test_grep "x: submodule roms/sub: .*, target has $s3" out
'

test_expect_success 'a directory target: the submodule is not compared, a conflict that says so' '
	test_expect_code 1 "$BT" check --no-deps --git up -t d=v1dir v1..v2 >out &&
	test_grep "d: submodule roms/sub: .*, not a git target: not compared (.gitmodules lists it)$" out &&
	mkdir empty && test_expect_code 1 "$BT" check --no-deps --git up -t e=empty "v1..v2~3" >out2 &&
	test_grep "e: submodule roms/sub: .*, not a git target: not compared (no .gitmodules)$" out2 &&
	test_grep "d: run.sh: mode 100644 -> 100755, target has 100644" out
'

test_expect_success 'JSON: the submodule ids, the note and the empty commit (additive fields)' '
	"$BT" check --no-deps --git up -t v1=git:v1 -f json v1..v2 >out.json &&
	jq -r ".patches[0].results[0].files[0].submodule.from" out.json >got &&
	test_cmp S1 got &&
	jq -r ".patches[0].results[0].files[0].submodule.to" out.json >got &&
	test_cmp S2 got &&
	jq -r ".patches[2].results[0] | [.verdict, .empty] | @tsv" out.json >got &&
	printf "clean\ttrue\n" >expect && test_cmp expect got &&
	jq -r ".patches[1].results[0].files[0].note" out.json >got &&
	echo "mode 100644 -> 100755, target has 100644" >expect && test_cmp expect got &&
	jq -e ".patches[3].results[0].empty == null" out.json
'

test_expect_success 'apply sets a mode-only change; applied again it is already there' '
	g -C up format-patch -q -o ../pp v1..v2 &&
	cp -r v1dir d2 && test ! -x d2/run.sh &&
	"$BT" apply -t d2 pp/0002-run.sh-executable.patch &&
	test -x d2/run.sh &&
	"$BT" apply -v -t d2 pp/0002-run.sh-executable.patch >out &&
	test_grep "applied" out
'

test_expect_success 'apply: a submodule change on a directory is an input error naming the patch, tree unchanged' '
	cp -r v1dir d3 &&
	test_expect_code 2 "$BT" apply -t d3 pp/0001-roms-sub-update.patch pp/0004-f-capital-B.patch 2>err &&
	test_grep "^backport-tool: pp/0001-roms-sub-update.patch:[0-9]*: roms/sub: a submodule change cannot be applied to a directory$" err &&
	test $(wc -l <err) = 1 &&
	diff -r v1dir d3
'

test_expect_success 'package: a submodule change is refused naming the patch; mode-only and empty commits are said, not skipped silently' '
	. "$TEST_DIRECTORY/lib/tinypkg.sh" &&
	mkdir tp && tinypkg_write tp &&
	cp -r v1dir pk && cp -r tp/hello-bt-1.0/debian pk/ &&
	test_expect_code 2 "$BT" package -C pk --pocket stable --git up v1..v2 >out 2>err &&
	test_grep "^backport-tool: commit [0-9a-f]\{10\} (format-patch --no-stat, line [0-9]*): roms/sub: a submodule change cannot be applied to a directory\$" err &&
	test $(wc -l <err) = 1 &&
	DEBFULLNAME="Ann Author" DEBEMAIL=ann@example.org \
		"$BT" package -C pk --pocket stable --git up v2~2 v2~1 v2 >out 2>err &&
	test_grep ": only a mode change, which a quilt patch cannot carry: not carried\$" out &&
	test_grep ": an empty commit, nothing to carry\$" out &&
	test_grep "warning: mode change not carried" err &&
	test "$(cat pk/debian/patches/series)" = backport-3-f-capital-b.patch
'

test_expect_success 'a submodule diff without its commit lines is refused' '
	sed "s/^+Subproject commit .*/+garbage/" pp/0001-roms-sub-update.patch >bad.patch &&
	test_expect_code 2 "$BT" check -t d=v1dir bad.patch 2>err &&
	test_grep "^backport-tool: bad.patch:[0-9]*: submodule diff without its .Subproject commit. lines$" err
'

test_done

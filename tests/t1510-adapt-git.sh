#!/bin/sh
# t1510-adapt-git: adaptation with the upstream history (issue 16, --git).
# A name the change writes that the target lacks is traced to the commit
# that brought it into the file; a rename there (one old name replaced by
# it, gone after it, the target has it) is mapped back, and the commit
# named.  Two old names possible: a conflict that says so.
. "$(dirname "$0")/test-lib.sh"

commit() {
	git -C up -c user.name='Ann Author' -c user.email=ann@example.org \
		commit -q -a -m "$1"
	git -C up rev-parse HEAD
}

# v1 has helper_old; upstream renames it (R), changes a line of f's
# context (Q), then fixes the line that calls it (F).  F's removed line is
# not in v1 as it is: no search, merge or hunk-only adaptation takes it.
test_expect_success 'setup: a function renamed after the release' '
	git init -q up &&
	printf "%s\n" "static int helper_old(int x)" "{" "	return x + 1;" "}" "" \
		"int f(int a)" "{" "	int x = a;" "	bar();" "	one();" \
		"	baz();" "	two();" "	return helper_old(x);" "}" >up/f.c &&
	git -C up add . && commit init >/dev/null && git -C up tag v1 &&
	sed -i "s/helper_old/helper_new/" up/f.c &&
	commit "f: rename helper_old to helper_new" >R &&
	sed -i "s/baz();/qux();/" up/f.c && commit "f: qux" >Q &&
	sed -i "s/return helper_new(x);/return helper_new(x) * 2;/" up/f.c &&
	commit "f: double" >F &&
	git -C up archive --prefix=rel/ v1 | tar -x &&
	sed "s/return helper_old(x);/return helper_old(x) * 2;/" rel/f.c >rename.expect
'

test_expect_success 'rename: without the history the hunk stays a conflict' '
	test_expect_code 1 "$BT" check --git up -t d=rel -v "$(cat F)" >out &&
	test_grep "d: f.c hunk 1: conflict.*not adapted: no line matches removed line" out &&
	test_expect_code 1 "$BT" check --git up -t t=git:v1 --no-adapt "$(cat F)" >out &&
	test_grep "conflict" out
'

test_expect_success 'rename: on git:REV the history maps the name back and names the commit' '
	"$BT" check --git up -t t=git:v1 -v "$(cat F)" >out &&
	test_grep "^$(cut -c1-10 F)  *adapted" out &&
	test_grep "t: f.c hunk 1: adapted, at 10 (stated 10): context drift (1 upstream line replaced, 1 target line kept), renamed helper_new -> helper_old (commit $(cut -c1-10 R))" out &&
	! grep "qux -> baz" out
'

# --no-deps judges without searching the history: on a release's worth of
# commits the rename and move walks cost more than the judging itself.
test_expect_success 'rename: check --no-deps does not search the history for it' '
	test_expect_code 1 "$BT" check --no-deps --git up -t t=git:v1 -v "$(cat F)" >out &&
	test_grep "^$(cut -c1-10 F)  *conflict" out &&
	! grep "helper_new -> helper_old" out
'

test_expect_success 'rename: json names the commit of the rename' '
	"$BT" check --git up --base v1 -t d=rel --format json "$(cat F)" >out.json &&
	jq -r ".patches[0].results[0].files[0].hunks[0].adaptation.renames[0] | [.from, .to, .commit] | join(\" \")" out.json >got &&
	echo "helper_new helper_old $(cat R)" >want &&
	test_cmp want got
'

test_expect_success 'rename: apply --base writes the release name and refreshes the patch' '
	cp -r rel rel2 &&
	"$BT" apply --git up --base v1 --tree rel2 --out outp "$(cat F)" 2>err &&
	test_grep "warning: f.c hunk 1 (f): adapted at 10: .*renamed helper_new -> helper_old (commit $(cut -c1-10 R))" err &&
	test_cmp rename.expect rel2/f.c &&
	test_grep "^\[backport: adapted f.c hunk 1 (f): .*renamed helper_new -> helper_old (commit $(cut -c1-10 R))\]" outp/0001-f-double.patch &&
	test_grep "^+	return helper_old(x) \* 2;" outp/0001-f-double.patch &&
	sed -n "/^--- a/,\$p" outp/0001-f-double.patch >body &&
	! grep helper_new body &&
	cp -r rel rel3 && (cd rel3 && patch -p1 -F0 -s <../outp/0001-f-double.patch) &&
	test_cmp rename.expect rel3/f.c
'

test_expect_success 'rename: apply --base needs --git' '
	test_expect_code 2 "$BT" apply --base v1 --tree rel2 up 2>err &&
	test_grep "^backport-tool: apply: --base needs --git REPO$" err
'

# Two functions merged into one upstream (both old names gone in the same
# commit): which one the release calls is a choice, so no rename is made.
test_expect_success 'setup: two old names replaced by one' '
	git init -q up2 &&
	printf "%s\n" "int g(int a)" "{" "	a = ga(a);" "	a = gb(a);" "	one();" \
		"	two();" "	three();" "	return a;" "}" >up2/g.c &&
	git -C up2 add . && git -C up2 -c user.name=A -c user.email=a@example.org \
		commit -q -m init && git -C up2 tag v1 &&
	sed -i "s/ga(a)/gx(a)/; s/gb(a)/gx(a)/" up2/g.c &&
	git -C up2 -c user.name=A -c user.email=a@example.org commit -q -a -m "g: one helper" &&
	git -C up2 rev-parse HEAD >M &&
	sed -i "s/^\ttwo();/\tdos();/" up2/g.c &&
	git -C up2 -c user.name=A -c user.email=a@example.org commit -q -a -m "g: dos" &&
	sed -i "0,/a = gx(a);/s//a = gx(a) + 1;/" up2/g.c &&
	git -C up2 -c user.name=A -c user.email=a@example.org commit -q -a -m "g: fix" &&
	git -C up2 rev-parse HEAD >G
'

test_expect_success 'ambiguous rename: a conflict that names both old names and the commit' '
	test_expect_code 1 "$BT" check --git up2 -t t=git:v1 -v "$(cat G)" >out &&
	test_grep "t: g.c hunk 1: conflict.*not adapted: gx was renamed from ga or gb in commit $(cut -c1-10 M): ambiguous" out
'

# v1 has b.c; upstream moves it into sub/ (M, changing a line too), then
# fixes a line of sub/b.c (F).  The target has the file at its old path.
test_expect_success 'setup: a file moved into a subfolder upstream' '
	git init -q mv &&
	seq 1 30 | sed "s/^/int v/; s/$/;/" >mv/b.c &&
	echo "int main(void) { return 0; }" >mv/main.c &&
	git -C mv add . && git -C mv -c user.name=A -c user.email=a@example.org \
		commit -q -m init && git -C mv tag v1 &&
	mkdir mv/sub && git -C mv mv b.c sub/b.c &&
	sed -i "s/^int v3;/int v3 = 3;/" mv/sub/b.c &&
	git -C mv -c user.name=A -c user.email=a@example.org commit -q -a -m "move b.c into sub" &&
	git -C mv rev-parse HEAD >MV &&
	sed -i "s/^int v20;/int v20 = 20;/" mv/sub/b.c &&
	git -C mv -c user.name=A -c user.email=a@example.org commit -q -a -m "b: fix v20" &&
	git -C mv rev-parse HEAD >FX &&
	git -C mv archive --prefix=mrel/ v1 | tar -x &&
	sed "s/^int v20;/int v20 = 20;/" mrel/b.c >moved.expect
'

test_expect_success 'moved file: without a revision for the target, or with --no-adapt, it is missing' '
	test_expect_code 1 "$BT" check --git mv -t d=mrel "$(cat FX)" >out &&
	test_grep "d: sub/b.c: file missing" out &&
	test_expect_code 1 "$BT" check --git mv --no-adapt -t t=git:v1 "$(cat FX)" >out &&
	test_grep "t: sub/b.c: file missing" out
'

test_expect_success 'moved file: check places it on the old path and says so' '
	"$BT" check --git mv -t t=git:v1 -v "$(cat FX)" >out &&
	test_grep "^$(cut -c1-10 FX)  *adapted" out &&
	test_grep "t: moved: upstream.s sub/b.c is b.c here (renamed in commit $(cut -c1-10 MV))" out &&
	test_grep "t: b.c hunk 1: clean, at 17" out &&
	"$BT" check --git mv -t t=git:v1 --format markdown "$(cat FX)" >out.md &&
	test_grep "| noise: moved: upstream.s sub/b.c is b.c here (renamed in commit $(cut -c1-10 MV)); b.c hunks placed as they are" out.md &&
	"$BT" check --git mv --base v1 -t d=mrel --format json "$(cat FX)" >out.json &&
	test "$(jq -r ".patches[0].results[0].files[0].path" out.json)" = b.c &&
	test "$(jq -r ".patches[0].results[0].files[0].verdict" out.json)" = adapted &&
	jq -r ".patches[0].results[0].files[0].moved" out.json >got &&
	echo "moved: upstream'"'"'s sub/b.c is b.c here (renamed in commit $(cut -c1-10 MV))" >want &&
	test_cmp want got
'

test_expect_success 'moved file: apply --base writes b.c, the refreshed patch names it' '
	cp -r mrel mrel2 &&
	"$BT" apply --git mv --base v1 --tree mrel2 --out mout "$(cat FX)" 2>err &&
	test_grep "warning: moved: upstream.s sub/b.c is b.c here (renamed in commit $(cut -c1-10 MV))" err &&
	test_cmp moved.expect mrel2/b.c &&
	! test -e mrel2/sub &&
	test_grep "^--- a/b.c$" mout/0001-b-fix-v20.patch &&
	test_grep "^+++ b/b.c$" mout/0001-b-fix-v20.patch &&
	test_grep "^\[backport: adapted moved: upstream.s sub/b.c is b.c here (renamed in commit $(cut -c1-10 MV))\]" mout/0001-b-fix-v20.patch &&
	cp -r mrel mrel3 && (cd mrel3 && patch -p1 -F0 -s <../mout/0001-b-fix-v20.patch) &&
	test_cmp moved.expect mrel3/b.c
'

test_expect_success 'moved file: package --base carries the patch on the source path' '
	command -v quilt >/dev/null || { say "quilt not installed"; return 0; }
	cp -r mrel pkg && mkdir -p pkg/debian/source pkg/debian/patches &&
	echo "3.0 (quilt)" >pkg/debian/source/format &&
	printf "%s\n" "b (1.0-1) unstable; urgency=medium" "" "  * Initial release." "" \
		" -- T <t@example.org>  Tue, 14 Nov 2023 22:13:20 +0000" >pkg/debian/changelog &&
	printf "%s\n" "Source: b" "Maintainer: T <t@example.org>" "" "Package: b" \
		"Architecture: all" "Description: b" " b" >pkg/debian/control &&
	DEBFULLNAME=T DEBEMAIL=t@example.org SOURCE_DATE_EPOCH=1700000000 \
		"$BT" package --source pkg --bug 7 --pocket sru --git mv --base v1 "$(cat FX)" &&
	p=$(ls pkg/debian/patches/*/*.patch) &&
	test_grep "^+++ b/b.c$" $p &&
	test_grep "moved: upstream.s sub/b.c is b.c here" $p &&
	(cd pkg && QUILT_PATCHES=debian/patches quilt push -a --fuzz=0 >/dev/null) &&
	test_cmp moved.expect pkg/b.c &&
	test_expect_code 2 "$BT" package --source pkg --bug 7 --pocket sru --base v1 "$(cat FX)" 2>err &&
	test_grep "^backport-tool: package: --base needs --git REPO$" err
'

test_expect_success 'moved file with drift: the 3-way merge reads upstream path, writes the target path' '
	sed -i "s/^int v12;/long v12;/" mv/sub/b.c &&
	git -C mv -c user.name=A -c user.email=a@example.org commit -q -a -m "b: v12 is long" &&
	sed -i "s/^int v9;/int v9 = 9;/; s/^int v15;/int v15 = 15;/" mv/sub/b.c &&
	git -C mv -c user.name=A -c user.email=a@example.org commit -q -a -m "b: fix v9, v15" &&
	git -C mv rev-parse HEAD >FXD &&
	"$BT" check --git mv -t t=git:v1 -v "$(cat FXD)" >out &&
	test_grep "^$(cut -c1-10 FXD)  *adapted" out &&
	test_grep "t: moved: upstream.s sub/b.c is b.c here (renamed in commit $(cut -c1-10 MV))" out &&
	test_grep "t: b.c hunk 1: merged, at 6 (stated 6)" out &&
	cp -r mrel mrel4 && "$BT" apply --git mv --base v1 --tree mrel4 "$(cat FXD)" 2>err &&
	test_grep "^int v12;$" mrel4/b.c && test_grep "^int v9 = 9;$" mrel4/b.c && test_grep "^int v15 = 15;$" mrel4/b.c
'

# The release has two files like the moved one, and upstream removed both:
# which one is the moved file is a choice, so it stays missing.
test_expect_success 'moved file: two similar files here are a conflict that names them' '
	git init -q mv2 &&
	seq 1 30 | sed "s/^/int v/; s/$/;/" >mv2/b.c &&
	sed "s/^int v30;/int w30;/" mv2/b.c >mv2/c.c &&
	git -C mv2 add . && git -C mv2 -c user.name=A -c user.email=a@example.org \
		commit -q -m init && git -C mv2 tag v1 &&
	mkdir mv2/sub && git -C mv2 mv b.c sub/b.c && git -C mv2 rm -q c.c &&
	git -C mv2 -c user.name=A -c user.email=a@example.org commit -q -m "merge b.c and c.c into sub/b.c" &&
	sed -i "s/^int v20;/int v20 = 20;/" mv2/sub/b.c &&
	git -C mv2 -c user.name=A -c user.email=a@example.org commit -q -a -m "b: fix v20" &&
	git -C mv2 rev-parse HEAD >FX2 &&
	test_expect_code 1 "$BT" check --git mv2 -t t=git:v1 "$(cat FX2)" >out &&
	test_grep "t: sub/b.c: file missing; not moved: b.c and c.c here are both similar to upstream.s sub/b.c" out
'

# A number is not a name: upstream turned a line "20" into "twenty" and a
# fix then adds "twenty-one" next to it.  Read as a rename twenty -> 20,
# the added line became "20-one" on the release, with exit 0.
test_expect_success 'a number is never a renamed name (no "20-one")' '
	git init -q num &&
	seq 1 40 >num/n.txt &&
	git -C num add . && git -C num -c user.name=A -c user.email=a@example.org \
		commit -q -m init && git -C num tag v1 &&
	sed -i "s/^20\$/twenty/" num/n.txt &&
	git -C num -c user.name=A -c user.email=a@example.org commit -q -a -m twenty &&
	sed -i "s/^21\$/twenty-one/" num/n.txt &&
	git -C num -c user.name=A -c user.email=a@example.org commit -q -a -m fix &&
	git -C num rev-parse HEAD >NF &&
	test_expect_code 1 "$BT" check -v --git num -t t=git:v1 "$(cat NF)" >out &&
	test_grep "^$(cut -c1-10 NF)  *conflict" out &&
	! grep "twenty -> 20" out &&
	rm -rf numt && mkdir numt && git -C num archive v1 | tar -x -C numt &&
	cp numt/n.txt n.orig &&
	test_expect_code 1 "$BT" apply --git num --base v1 -t numt "$(cat NF)" &&
	test_cmp n.orig numt/n.txt
'

test_done

#!/bin/sh
# t1500-adapt: the "adapted" verdict (issue 16).  A hunk that no exact,
# offset or fuzzy placement takes is rewritten for the target when exactly
# one placement qualifies: context drift, re-indentation, renamed
# identifiers; otherwise it stays a conflict that says why (two equal
# candidates, a missing removed line, an inconsistent rename, an added
# line with no place to land).  apply writes it, --out refreshes it at
# fuzz 0 with a "[backport: ...]" line, --no-adapt turns it off.
. "$(dirname "$0")/test-lib.sh"

# mkpatch OLD NEW PATH: a -p1 diff of two files, named a/PATH and b/PATH.
mkpatch() {
	diff -u "$1" "$2" | sed "1s|^--- .*|--- a/$3|; 2s|^+++ .*|+++ b/$3|"
}

# gnu_refuses DIR PATCH: GNU patch -F2 cannot place it (adaptation only
# ever runs where GNU patch fails).
gnu_refuses() {
	rm -rf gnu && cp -r "$1" gnu &&
	! patch -d gnu -p1 -F2 --dry-run -s <"$2" >/dev/null 2>&1
}

test_expect_success 'setup: context drift (upstream changed a line the target has otherwise)' '
	printf "%s\n" "int f(void)" "{" "	int x = 1;" "	bar();" "	one();" \
		"	baz();" "	two();" "	return x;" "}" >up.c &&
	sed -e "s/^\tbar();/&\n\tlog(x);/" -e "s/^\ttwo();/&\n\tlog(x + 1);/" \
		up.c >up-new.c &&
	{ mkpatch up.c up-new.c a.c || true; } >drift.patch &&
	mkdir -p drift && sed "s/baz/foo/" up.c >drift/a.c &&
	sed "s/baz/foo/" up-new.c >drift.expect &&
	gnu_refuses drift drift.patch
'

test_expect_success 'drift: check says adapted, and how' '
	"$BT" check -t drift drift.patch >out &&
	test_grep "^drift.patch  *adapted" out &&
	test_grep "drift: a.c hunk 1: adapted at 2: context drift (1 upstream line replaced, 1 target line kept)" out
'

test_expect_success 'drift: apply writes the added line between the same neighbours' '
	cp -r drift drift2 &&
	"$BT" apply --tree drift2 drift.patch 2>err &&
	test_grep "warning: a.c hunk 1: adapted at 2: context drift" err &&
	test_cmp drift.expect drift2/a.c
'

test_expect_success 'drift: once adapted, the change is found there: applied, and apply does nothing' '
	"$BT" check -t drift2 -v drift.patch >out &&
	test_grep "^drift.patch  *applied" out &&
	test_grep "drift2: a.c hunk 1: applied, at 2 (stated 2): context drift" out &&
	"$BT" apply --tree drift2 drift.patch &&
	test_cmp drift.expect drift2/a.c
'

test_expect_success 'drift: --no-adapt keeps the conflict (check and apply)' '
	test_expect_code 1 "$BT" check --no-adapt -t drift drift.patch >out &&
	test_grep "^drift.patch  *conflict" out &&
	cp -r drift drift3 &&
	test_expect_code 1 "$BT" apply --no-adapt --tree drift3 drift.patch 2>err &&
	test_cmp drift/a.c drift3/a.c
'

test_expect_success 'drift: json carries the evidence' '
	"$BT" check -t drift --format json drift.patch >out.json &&
	test "$(jq -r ".patches[0].results[0].files[0].hunks[0].verdict" out.json)" = adapted &&
	test "$(jq -r ".patches[0].results[0].word" out.json)" = noise &&
	test "$(jq -r ".patches[0].results[0].files[0].hunks[0].adaptation.kinds | join(\",\")" out.json)" = drift &&
	test "$(jq -r ".patches[0].results[0].files[0].hunks[0].adaptation.context_replaced[0]" out.json)" = "	baz();" &&
	test "$(jq -r ".summary.drift.adapted" out.json)" = 1
'

test_expect_success 'drift: markdown names it' '
	"$BT" check -t drift --format markdown drift.patch >out.md &&
	test_grep "| noise: a.c hunk 1: adapted at 2: context drift" out.md
'

test_expect_success 'moved code: the function moved within the file, with drift, is found' '
	mkdir -p moved && { seq 1 40 | sed "s/^/int v/; s/$/;/"; cat drift/a.c; } >moved/a.c &&
	{ seq 1 40 | sed "s/^/int v/; s/$/;/"; cat drift.expect; } >moved.expect &&
	gnu_refuses moved drift.patch &&
	"$BT" check -t moved drift.patch >out &&
	test_grep "moved: a.c hunk 1: adapted at 42: context drift" out &&
	"$BT" apply --tree moved drift.patch 2>/dev/null &&
	test_cmp moved.expect moved/a.c
'

test_expect_success 'setup: re-indented target (spaces where upstream has tabs)' '
	mkdir -p ws && sed "s/^\t/    /" up.c >ws/a.c &&
	sed "s/^\t/    /" up-new.c >ws.expect &&
	{ mkpatch up.c up-new.c a.c || true; } >ws.patch &&
	gnu_refuses ws ws.patch
'

test_expect_success 'whitespace: the added line is written in the target indentation' '
	"$BT" check -t ws ws.patch >out &&
	test_grep "ws: a.c hunk 1: adapted at 2: re-indented" out &&
	"$BT" apply --tree ws ws.patch 2>err &&
	test_cmp ws.expect ws/a.c
'

test_expect_success 'setup: an identifier renamed after the target release' '
	printf "%s\n" "static int f(int x)" "{" "	int r = new_name(x);" \
		"	if (r < 0)" "		return r;" "	return 0;" "}" >rn.c &&
	sed "s/^\tif (r < 0)$/\tif (r < 0 || new_name(0) < 0)/" rn.c >rn-new.c &&
	{ mkpatch rn.c rn-new.c r.c || true; } >rename.patch &&
	mkdir -p rename && sed "s/new_name/old_name/" rn.c >rename/r.c &&
	sed "s/new_name/old_name/g" rn-new.c >rename.expect &&
	gnu_refuses rename rename.patch
'

test_expect_success 'rename: the map is shown and applied to the added lines' '
	"$BT" check -t rename rename.patch >out &&
	test_grep "rename: r.c hunk 1: adapted at 1: renamed new_name -> old_name" out &&
	"$BT" check -t rename --format json rename.patch >out.json &&
	test "$(jq -r ".patches[0].results[0].files[0].hunks[0].adaptation.renames[0] | .from + \" \" + .to" out.json)" = "new_name old_name" &&
	"$BT" apply --tree rename rename.patch 2>err &&
	test_cmp rename.expect rename/r.c
'

test_expect_success 'refusal: two equal candidates' '
	{ cat up.c; cat up.c; } | sed "s/baz/foo/" >two.c &&
	mkdir -p two && cp two.c two/a.c &&
	test_expect_code 1 "$BT" check -t two drift.patch >out &&
	test_grep "^drift.patch  *conflict" out &&
	test_grep "not adapted: 2 candidates qualify, none preferred: at 4, at 13" out
'

test_expect_success 'refusal: a removed line missing in the target' '
	printf "%s\n" "int g(void)" "{" "	int x = 1;" "	old_call();" "	bar();" \
		"	return x;" "}" >mi.c &&
	sed "s/old_call/new_call/" mi.c >mi-new.c &&
	{ mkpatch mi.c mi-new.c m.c || true; } >missing.patch &&
	mkdir -p missing && grep -v old_call mi.c >missing/m.c &&
	test_expect_code 1 "$BT" check -t missing missing.patch >out &&
	test_grep "^missing.patch  *conflict" out &&
	test_grep "not adapted: no line matches removed line 7" out
'

test_expect_success 'refusal: an inconsistent rename' '
	printf "%s\n" "static int h(int x)" "{" "	int r = new_name(x);" \
		"	r += new_name(x);" "	if (r < 0)" "		return r;" \
		"	return 0;" "}" >ic.c &&
	sed "s/^\tif (r < 0)$/\tif (r < 0 || new_name(0) < 0)/" ic.c >ic-new.c &&
	{ mkpatch ic.c ic-new.c i.c || true; } >inconsistent.patch &&
	mkdir -p inconsistent &&
	sed -e "3s/new_name/old_name/" -e "4s/new_name/other_name/" ic.c \
		>inconsistent/i.c &&
	test_expect_code 1 "$BT" check -t inconsistent inconsistent.patch >out &&
	test_grep "^inconsistent.patch  *conflict" out &&
	test_grep "not adapted: at 5: inconsistent rename: new_name -> other_name and new_name -> old_name" out
'

# "int ten" against "long ten" is another line, not a name spelled two
# ways: mapping int -> long would write "long eleven" where upstream adds
# "int eleven".
test_expect_success 'refusal: a keyword is never taken for a renamed name' '
	{ seq 1 9; echo "int ten = 10;"; seq 11 20; } >kw.c &&
	sed "s/^int ten = 10;$/&\nint eleven = 11;/" kw.c >kw-new.c &&
	{ mkpatch kw.c kw-new.c kw.c || true; } >keyword.patch &&
	mkdir -p keyword && sed "s/^int ten/long ten/" kw.c >keyword/kw.c &&
	test_expect_code 1 "$BT" check -t keyword keyword.patch >out &&
	test_grep "^keyword.patch  *conflict" out &&
	test_grep "not adapted: .*int -> long is a keyword, not a renamed name" out
'

# The same three lines with "gem" for "adma" are another feature, not a
# rename: v5.0's versal_create_admas() against v4.2.0, which only has
# versal_create_gems().  The hunk's own function must be in the target.
test_expect_success 'refusal: a look-alike block in a function the hunk is not in' '
	printf "%s\n" "#include \"v.h\"" "" "static void create_admas(struct s *s)" "{" \
		"	int i;" "" "	for (i = 0; i < 8; i++) {" \
		"		dev = qdev_create(NULL, \"xlnx.zdma\");" \
		"		s->iou.adma[i] = BUS(dev);" "		add_child(s, dev);" \
		"		init(dev);" "	}" "}" >ad.c &&
	sed "s/^\t\ts->iou.adma\[i\] = BUS(dev);$/&\n\t\tset_int(s->iou.adma[i], 128);/" ad.c >ad-new.c &&
	{ diff -up ad.c ad-new.c | sed "1s|^--- .*|--- a/v.c|; 2s|^+++ .*|+++ b/v.c|" || true; } >adma.patch &&
	test_grep "^@@ .* @@ static void create_admas" adma.patch &&
	mkdir -p gems &&
	sed -e "s/create_admas/create_gems/" -e "s/xlnx.zdma/cadence_gem/" \
	    -e "s/adma\[i\]/gem[i]/" ad.c >gems/v.c &&
	test_expect_code 1 "$BT" check -v -t gems adma.patch >out &&
	test_grep "^adma.patch  *conflict" out &&
	test_grep "upstream.s function create_admas is not in the target" out &&
	! grep "adma -> gem" out
'

test_expect_success 'refusal: an added line with no place to land' '
	printf "%s\n" "int k(void)" "{" "	int x = 1;" "	bar();" "	return x;" \
		"}" >nl.c &&
	sed "s/^\tbar();/&\n\tlog(x);/" nl.c >nl-new.c &&
	{ mkpatch nl.c nl-new.c k.c || true; } >noland.patch &&
	mkdir -p noland && sed "s/^\tbar();/&\n\tcheck(x);/" nl.c >noland/k.c &&
	gnu_refuses noland noland.patch &&
	test_expect_code 1 "$BT" check -t noland noland.patch >out &&
	test_grep "^noland.patch  *conflict" out &&
	test_grep "not adapted: at 4: added line 7 has no place to land" out
'

test_expect_success 'refusal: a change whose neighbour line differs (the change may be about it)' '
	printf "%s\n" "void r(E *e)" "{" "	read(e);" "	e->off = lduw(off);" \
		"	swap(&e->flags);" "}" >adj.c &&
	grep -v "swap(&e->flags)" adj.c >adj-new.c &&
	{ mkpatch adj.c adj-new.c e.c || true; } >adjacent.patch &&
	mkdir -p adjacent &&
	printf "%s\n" "void r(E *e)" "{" "	read(e);" "	read_raw(&e->off);" \
		"	swap(&e->off);" "	swap(&e->flags);" "}" >adjacent/e.c &&
	gnu_refuses adjacent adjacent.patch &&
	test_expect_code 1 "$BT" check -t adjacent adjacent.patch >out &&
	test_grep "^adjacent.patch  *conflict" out &&
	test_grep "not adapted: at 6: removed line 7: the lines around it differ" out
'

test_expect_success 'apply --out: the adapted patch at fuzz 0, Origin: backport and [backport: ...]' '
	{ echo "From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001" &&
	  echo "From: A U Thor <author@example.org>" &&
	  echo "Subject: [PATCH] log x" && echo && echo "Log it." && echo "---" &&
	  cat drift.patch; } >mail.patch &&
	rm -rf drift4 && cp -r drift drift4 && cp -r drift drift5 &&
	"$BT" apply --tree drift4 --out refreshed \
		--upstream-url https://example.org/commit/ mail.patch 2>err &&
	test_grep "^Origin: backport, https://example.org/commit/0123456789abcdef0123456789abcdef01234567" refreshed/mail.patch &&
	test_grep "^\[backport: adapted a.c hunk 1: context drift (1 upstream line replaced, 1 target line kept)\]" refreshed/mail.patch &&
	patch -d drift5 -p1 -F0 -s <refreshed/mail.patch &&
	test_cmp drift.expect drift5/a.c
'

test_expect_success 'interdiff shows the adaptation against upstream' '
	test_expect_code 1 "$BT" interdiff mail.patch refreshed/mail.patch >out &&
	test_grep "^a.c: other context (2 lines)" out &&
	test_grep "^- 	baz();" out &&
	test_grep "^+ 	foo();" out
'

test_expect_success 'report explains the adaptation in words a sponsor reads' '
	test_expect_code 0 "$BT" report --tree drift=drift drift.patch >report.md &&
	test_grep "Patch 1 was adapted to drift (a.c hunk 1: adapted at 2: context drift" report.md &&
	test_grep "the hunk was rewritten to fit, and only where exactly one place qualifies" report.md
'

test_expect_success 'package carries the adapted patch: fuzz 0, [backport: ...]' '
	mkdir -p pkg/debian/source pkg/debian/patches && cp drift/a.c pkg/a.c &&
	echo "3.0 (quilt)" >pkg/debian/source/format &&
	printf "%s\n" "hello (1.0-2) unstable; urgency=medium" "" "  * Initial release." "" \
		" -- Test Maintainer <test@example.org>  Tue, 14 Nov 2023 22:13:20 +0000" \
		>pkg/debian/changelog &&
	printf "%s\n" "Source: hello" "Maintainer: Test Maintainer <test@example.org>" "" \
		"Package: hello" "Architecture: all" "Description: test" " test" \
		>pkg/debian/control &&
	: >pkg/debian/patches/series &&
	DEBFULLNAME="Test Maintainer" DEBEMAIL=test@example.org \
	"$BT" package --source pkg --bug 1887930 --pocket sru \
		--upstream-url https://example.org/commit/ mail.patch >out &&
	test_grep "mail.patch: adapted" out &&
	carried=$(find pkg/debian/patches -name "*log-x.patch") &&
	test -n "$carried" &&
	test_grep "^Origin: backport, https://example.org/commit/" "$carried" &&
	test_grep "^\[backport: adapted a.c hunk 1: context drift" "$carried" &&
	cp -r drift drift6 && patch -d drift6 -p1 -F0 -s <"$carried" &&
	test_cmp drift.expect drift6/a.c &&
	cp -a pkg pkg2 && DEBFULLNAME="Test Maintainer" DEBEMAIL=test@example.org \
	test_expect_code 1 "$BT" package --no-adapt --source pkg2 --bug 1887930 \
		--pocket sru mail.patch 2>err &&
	test_grep "conflict" err
'

test_done

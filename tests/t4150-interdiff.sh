#!/bin/sh
# t4150-interdiff: "backport-tool interdiff UPSTREAM CARRIED" on copies of a
# fixture patch edited the ways a backport edits them: moved (only the @@
# numbers), other context, other content; and its exit statuses.
. "$(dirname "$0")/test-lib.sh"

UP="$SRCDIR/tests/fixtures/lint/scope-s390x.patch"

test_expect_success 'interdiff --help prints its usage and exits 0' '
	"$BT" interdiff --help >out &&
	test_grep "usage: backport-tool interdiff" out
'

test_expect_success 'interdiff needs exactly two patch files' '
	test_expect_code 2 "$BT" interdiff "$UP" 2>err &&
	test_grep "give two patch files" err &&
	test_expect_code 2 "$BT" interdiff "$UP" no-such.patch 2>err &&
	test_grep "no-such.patch" err &&
	test_expect_code 2 "$BT" interdiff --format xml "$UP" "$UP" 2>err &&
	test_grep "unknown format" err
'

test_expect_success 'a file with two patches is refused' '
	cat "$UP" "$UP" >two.mbox &&
	test_expect_code 2 "$BT" interdiff "$UP" two.mbox 2>err &&
	test_grep "holds 2 patches" err
'

test_expect_success 'the same patch is the same change (exit 0)' '
	"$BT" interdiff "$UP" "$UP" >out &&
	test_grep "^hw/s390x/css.c: same change$" out &&
	test_grep "^target/s390x/ioinst.c: same change$" out
'

test_expect_success 'moved hunks are no difference, and are named' '
	sed "s/^@@ -200,6 +200,7 @@/@@ -231,6 +231,7 @@/" "$UP" >moved.patch &&
	"$BT" interdiff "$UP" moved.patch >out &&
	test_grep "^hw/s390x/css.c: same change, moved by +31 lines$" out &&
	! grep "^@@" out
'

test_expect_success 'other context is a difference (exit 1), shown as a diff of the hunks' '
	sed "s/^     css_queue_widget(chpid);/     css_queue_widget(chpid, 0);/" "$UP" >context.patch &&
	test_expect_code 1 "$BT" interdiff "$UP" context.patch >out &&
	test_grep "^hw/s390x/css.c: other context (2 lines)$" out &&
	test_grep "^@@ upstream hunk 1, carried hunk 1 @@$" out &&
	test_grep "^-     css_queue_widget(chpid);$" out &&
	test_grep "^+     css_queue_widget(chpid, 0);$" out &&
	test_grep "^target/s390x/ioinst.c: same change$" out
'

test_expect_success 'other added lines and a dropped file are differences' '
	sed "s/^+    css_widget_flush(cssid);/+    css_widget_flush(cssid, 1);/" "$UP" |
		sed "/^diff --git a\/hw/,/^ static void css_other/d" >content.patch &&
	test_expect_code 1 "$BT" interdiff "$UP" content.patch >out &&
	test_grep "^hw/s390x/css.c: only in the upstream patch (dropped)$" out &&
	test_grep "^target/s390x/ioinst.c: other changes (2 added/removed lines differ)$" out &&
	test_grep "^-+    css_widget_flush(cssid);$" out
'

if command -v jq >/dev/null 2>&1; then
test_expect_success 'interdiff --format json says the same' '
	sed "s/^     css_queue_widget(chpid);/     css_queue_widget(chpid, 0);/" "$UP" >context.patch &&
	test_expect_code 1 "$BT" interdiff --format json "$UP" context.patch >out.json &&
	test "$(jq -r .change out.json)" = context &&
	test "$(jq -r ".files[0].path" out.json)" = hw/s390x/css.c &&
	test "$(jq -r ".files[0].context_lines" out.json)" = 2 &&
	test "$(jq -r ".files[1].change" out.json)" = same
'
fi

test_expect_success 'a difference next to another hunk is shown under its own hunk' '
	seq 1 20 | sed "s/^/line /" >a &&
	sed "s/^line 5\$/LINE 5/; s/^line 12\$/LINE 12/" a >b &&
	{ diff -U2 a b || true; } | sed "1s|.*|--- a/f|; 2s|.*|+++ b/f|" >close-up.patch &&
	test $(grep -c "^@@" close-up.patch) -eq 2 &&
	sed "s/^ line 10\$/ line ten/" close-up.patch >close-car.patch &&
	test_expect_code 1 "$BT" interdiff close-up.patch close-car.patch >out &&
	sed -n "/^@@/,\$p" out >got &&
	printf "%s\n" "@@ upstream hunk 2, carried hunk 2 @@" "- line 10" "+ line ten" \
		"  line 11" " -line 12" >expect &&
	test_cmp expect got &&
	sed "s/^ line 6\$/ line six/" close-up.patch >close-car1.patch &&
	test_expect_code 1 "$BT" interdiff close-up.patch close-car1.patch >out &&
	sed -n "/^@@/,\$p" out >got &&
	printf "%s\n" "@@ upstream hunk 1, carried hunk 1 @@" " -line 5" " +LINE 5" "- line 6" \
		"+ line six" "  line 7" >expect &&
	test_cmp expect got
'

test_expect_success 'an ESC in a patch name or path reaches no output raw' '
	name=$(printf "u\033[2J.patch") &&
	sed "s|a/f\$|a/f\x1b]0;t\x07|; s|b/f\$|b/f\x1b]0;t\x07|" close-up.patch >"$name" &&
	test_expect_code 1 "$BT" interdiff "$name" close-car.patch >out &&
	! grep -q "$(printf "\033")" out && ! grep -q "$(printf "\007")" out &&
	test_grep "^--- u\\\\033\[2J.patch (upstream)\$" out &&
	test_grep "^f\\\\033]0;t\\\\007: only in the upstream patch (dropped)\$" out
'

test_done

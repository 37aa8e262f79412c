#!/bin/sh
# t1100-place-vs-gnu-patch: the placement engine agrees with GNU patch.
#
# Each case is a small file, a patch made by diff -u against one version of
# it, and a target that moved on (lines added or removed around the hunks,
# context lines changed, blocks repeated).  `patch --dry-run -p1 -F2` and
# `backport-tool check -v --format json -F 2` must then agree hunk by hunk
# on success or failure, the "succeeded at" line, the fuzz and the offset;
# where every hunk applies, `backport-tool apply -F 2` must write the same
# file as patch does.  Everything is generated here, deterministically.
. "$(dirname "$0")/test-lib.sh"

command -v patch >/dev/null || skip_all "GNU patch not installed"
command -v jq >/dev/null || skip_all "jq not installed"
patch --version | grep -q 'GNU patch' || skip_all "patch is not GNU patch"

# GNU patch's verdict per hunk: "N ok AT FUZZ OFFSET" or "N FAILED AT".
# -f: no questions, no guessing that a patch is reversed.
gnu_hunks() { # DIR PATCH
	(cd "$1" && patch --dry-run --verbose -f -p1 -F2 <"$2") |
	awk '/^Hunk #[0-9]+ FAILED at/ {
		n = $2; sub("#", "", n); at = $5; sub("[.]$", "", at)
		print n, "FAILED", at; next }
	/^Hunk #[0-9]+ succeeded at/ {
		n = $2; sub("#", "", n); at = $5; sub("[.]$", "", at)
		fuzz = 0; off = 0
		if (match($0, /with fuzz [0-9]+/))
			fuzz = substr($0, RSTART + 10, RLENGTH - 10)
		if (match($0, /offset -?[0-9]+ line/))
			off = substr($0, RSTART + 7, RLENGTH - 12)
		print n, "ok", at, fuzz, off }'
}

# The same from backport-tool's JSON (already applied counts as failed:
# patch -f does not look for it), without adaptation: GNU patch's search
# against ours.
bt_hunks() { # DIR PATCH
	"$BT" check -v --format json -F 2 --no-adapt --tree "$1" "$2" >"$1/../bt.json"
	test $? -le 1 || return 1
	jq -r '.patches[0].results[0].files[0].hunks[] |
		if .verdict == "conflict" or .verdict == "applied"
		then "\(.n) FAILED \(.at)"
		else "\(.n) ok \(.at) \(.fuzz) \(.offset)" end' "$1/../bt.json"
}

# With adaptation on (check's default), a hunk GNU patch fails may become
# "adapted" (or "applied", its change found there adapted); every other
# hunk keeps its verdict, offset and fuzz.
adapt_only_where_failed() { # NAME
	"$BT" check -v --format json -F 2 --tree "$1/t" "$1/p.diff" >"$1/bta.json"
	test $? -le 1 || return 1
	jq -r '.patches[0].results[0].files[0].hunks[] |
		if .verdict == "adapted" or (.verdict == "applied" and .adaptation != null)
		then "\(.n) FAILED"
		else "\(.n) \(.verdict) \(.fuzz) \(.offset)" end' "$1/bta.json" >"$1/bta" &&
	jq -r '.patches[0].results[0].files[0].hunks[] |
		if .verdict == "conflict" then "\(.n) FAILED"
		else "\(.n) \(.verdict) \(.fuzz) \(.offset)" end' "$1/bt.json" >"$1/btn" &&
	sed "s/ conflict .*/ FAILED/" "$1/bta" >"$1/bta.cmp" &&
	test_cmp "$1/btn" "$1/bta.cmp"
}

# compare NAME: case NAME/ holds old, new and target; diff -u makes the
# patch; both tools judge it; when every hunk applies, both write it.
compare() {
	c=$1
	(cd "$c" && diff -u old new | sed '1s|.*|--- a/f|;2s|.*|+++ b/f|' >p.diff)
	test -s "$c/p.diff" || return 0
	rm -rf "$c/t" "$c/g" && mkdir "$c/t" "$c/g" &&
	cp "$c/target" "$c/t/f" && cp "$c/target" "$c/g/f" &&
	gnu_hunks "$c/t" "$TRASH/$c/p.diff" >"$c/gnu" &&
	bt_hunks "$c/t" "$c/p.diff" >"$c/bt" &&
	test -s "$c/gnu" &&
	test_cmp "$c/gnu" "$c/bt" &&
	adapt_only_where_failed "$c" || return 1
	if ! grep -q FAILED "$c/gnu"; then
		(cd "$c/g" && patch -s -f -p1 -F2 <../p.diff) &&
		"$BT" apply -F 2 --tree "$c/t" "$c/p.diff" &&
		test_cmp "$c/g/f" "$c/t/f"
	fi
}

# lines FROM TO [PREFIX]
lines() { seq "$1" "$2" | sed "s/^/${3:-line }/"; }

# ---- Hand-made cases: one rule each.
test_expect_success 'clean, offset forward and backward' '
	mkdir clean fwd back &&
	lines 1 40 >clean/old && sed "s/^line 20$/changed/" clean/old >clean/new &&
	cp clean/old clean/target && compare clean &&
	grep -q "^1 ok 17 0 0$" clean/bt &&
	cp clean/old clean/new fwd/ && { lines 1 5 top; cat clean/old; } >fwd/target &&
	compare fwd && grep -q "^1 ok 22 0 5$" fwd/bt &&
	cp clean/old clean/new back/ && sed 1,3d clean/old >back/target &&
	compare back && grep -q "^1 ok 14 0 -3$" back/bt
'

test_expect_success 'fuzz 1 and fuzz 2' '
	mkdir fz1 fz2 &&
	lines 1 40 >fz1/old && sed "s/^line 20$/changed/" fz1/old >fz1/new &&
	sed "s/^line 17$/other/" fz1/old >fz1/target && compare fz1 &&
	grep -q "^1 ok 17 1 0$" fz1/bt &&
	cp fz1/old fz1/new fz2/ &&
	sed "s/^line 17$/other/;s/^line 23$/other/;s/^line 18$/x/" fz2/old >fz2/target &&
	compare fz2 && grep -q "^1 ok 17 2 0$" fz2/bt
'

test_expect_success 'repeated blocks: forward first at equal distance' '
	mkdir amb &&
	pad() { yes pad | head -n "$1"; } &&
	{ lines 1 5 a; pad 10; lines 1 5 a; pad 5; } >amb/old &&
	sed "18s/^a3$/A3/" amb/old >amb/new &&
	{ lines 1 5 a; pad 5; lines 1 5 a; pad 5; lines 1 5 a; pad 5; } >amb/target &&
	compare amb && grep -q "^1 ok 20 0 5$" amb/bt &&
	jq -e ".patches[0].results[0].files[0].hunks[0].ambiguous_at == 10" amb/bt.json
'

test_expect_success 'start and end of file: short context anchors the hunk' '
	mkdir sof eof &&
	lines 1 30 >sof/old && sed "s/^line 1$/first/" sof/old >sof/new &&
	{ echo extra; cat sof/old; } >sof/target && compare sof &&
	grep -q FAILED sof/bt &&
	lines 1 30 >eof/old && { cat eof/old; echo last; } >eof/new &&
	{ cat eof/old; echo extra; } >eof/target && compare eof &&
	grep -q FAILED eof/bt
'

test_expect_success 'two hunks: the second follows the first, growth counted' '
	mkdir two &&
	lines 1 60 >two/old &&
	sed "s/^line 10$/a\nb\nc/;s/^line 50$/changed/" two/old >two/new &&
	{ lines 1 4 top; sed "30d" two/old; } >two/target &&
	compare two && test "$(wc -l <two/bt)" -eq 2
'

test_expect_success 'a hunk that matches nowhere, then one that does' '
	mkdir conf &&
	lines 1 60 >conf/old &&
	sed "s/^line 10$/x/;s/^line 50$/y/" conf/old >conf/new &&
	sed "8,12s/^line/LINE/" conf/old >conf/target &&
	compare conf && grep -q "^1 FAILED" conf/bt && grep -q "^2 ok" conf/bt
'

# ---- A deterministic sweep: 60 variations of where the target moved,
# which context it changed, and which lines repeat.
test_expect_success 'sweep: 60 generated cases agree hunk by hunk' '
	k=1 && failed= &&
	while [ $k -le 60 ]; do
		c=sweep$k && mkdir $c &&
		awk -v k=$k "BEGIN {
			n = 40 + k % 17
			for (i = 1; i <= n; i++)
				print ((i * k) % 7 == 0 ? \"rep\" : \"l\" i)
		}" >$c/old &&
		awk -v k=$k "{
			if (NR == 5 + k % 9) print \"new\" NR
			else if (NR == 25 + k % 11) { print; print \"added\" NR }
			else if (NR == 35 + k % 5 && k % 3) next
			else print
		}" $c/old >$c/new &&
		awk -v k=$k "{
			if (NR == 1 && k % 4 == 1) { print \"t1\"; print \"t2\" }
			if (NR == 2 && k % 4 == 2) next
			if (NR == 3 + k % 5 && k % 5 == 3) { print \"ctx\" NR; next }
			if (NR == 20 + k % 6 && k % 2) { print \"mid\"; print \"mid\" }
			if (NR == 27 + k % 4 && k % 7 == 4) { print \"ctx\" NR; next }
			print
		}" $c/old >$c/target &&
		{ compare $c || failed="$failed $c"; } &&
		k=$((k + 1))
	done &&
	test -z "$failed" || { echo "differ:$failed"; false; }
'

test_done

#!/bin/sh
# t2220-history-cache: what the prerequisite search reads of a history is
# kept in the cache (the commit graph, each commit's changed files, the
# answers made from them), read again by the next run, extended by new
# commits and targets, and never believed when damaged: every run prints
# what a run without the cache prints.
. "$(dirname "$0")/test-lib.sh"

export BACKPORT_TOOL_CACHE="$PWD/cache" BT_TEST_HISTORY_STATS=1

commit() {
	git -C up -c user.name='Ann Author' -c user.email=ann@example.org \
		commit -q -a -m "$1" &&
	git -C up rev-parse HEAD
}

# v1 lacks "prep" (it spells ten) and "helper" (a function); the feature
# needs both: its context has prep's line, its new line calls helper.
test_expect_success 'setup: a release, two prerequisites after it, a feature' '
	git init -q up &&
	{ echo "int helper0(void);"; seq 1 20; } >up/f.c &&
	seq 1 10 >up/g.c &&
	git -C up add . && commit "init" >/dev/null &&
	git -C up tag v1 &&
	sed -i "s/^10$/int ten = 10;/" up/f.c && commit "prep: spell ten" >P &&
	echo "int helper(void) { return 1; }" >>up/g.c && commit "helper" >H &&
	sed -i "s/^int ten = 10;$/&\nint eleven = helper();/" up/f.c &&
	commit "feature: after ten" >F &&
	echo 30 >>up/g.c && commit "later" >L
'

run_check() {
	"$BT" check --git up -t v1=git:v1 --format json "$@" >"$out" 2>err
	test $? -eq 1 && grep "^history:" err >stats
}

test_expect_success 'without the cache (a small history is not saved)' '
	out=plain.json && run_check "$(cat F)" &&
	test_grep "from the cache" stats && test_grep "(0 from the cache), .* (0 from" stats &&
	! test -d cache/history &&
	jq -r ".patches[0].results[0].deps" plain.json >note &&
	test_grep "needs $(cut -c1-10 P)" note
'

# From here on, a history of any size is saved.
export BT_TEST_HISTORY_MIN=1

test_expect_success 'cold: the index is saved' '
	out=cold.json && run_check "$(cat F)" &&
	test_grep "(0 from the cache)" stats &&
	test $(ls cache/history | wc -l) -eq 1 &&
	jq -S "del(.. | .search_us?)" plain.json >a && jq -S "del(.. | .search_us?)" cold.json >b &&
	test_cmp a b
'

test_expect_success 'warm: read back whole, the same answers' '
	out=warm.json && run_check "$(cat F)" &&
	sed -n "s/^history: \([0-9]*\) commits (\([0-9]*\) from.*, \([0-9]*\) answers (\([0-9]*\) from.*/\1 \2 \3 \4/p" stats >n &&
	read all cached answers known <n &&
	test "$all" -gt 0 && test "$all" -eq "$cached" &&
	test "$answers" -gt 0 && test "$answers" -eq "$known" &&
	jq -S "del(.. | .search_us?)" warm.json >b && test_cmp a b
'

test_expect_success 'a newer commit extends the index, the old part still read' '
	sed -i "s/^int eleven = helper();$/int eleven = helper() + 0;/" up/f.c &&
	commit "tweak eleven" >M &&
	out=more.json && run_check "$(cat F)" "$(cat M)" &&
	sed -n "s/^history: \([0-9]*\) commits (\([0-9]*\) from.*/\1 \2/p" stats >n &&
	read all cached <n && test "$all" -gt "$cached" && test "$cached" -gt 0 &&
	jq -r ".patches[1].results[0].deps" more.json >note &&
	test_grep "needs $(cut -c1-10 P)" note &&
	out=more2.json && run_check "$(cat F)" "$(cat M)" &&
	sed -n "s/^history: \([0-9]*\) commits (\([0-9]*\) from.*/\1 \2/p" stats >n &&
	read all cached <n && test "$all" -eq "$cached" &&
	jq -S "del(.. | .search_us?)" more.json >c && jq -S "del(.. | .search_us?)" more2.json >d &&
	test_cmp c d
'

test_expect_success 'a damaged index is ignored and written again' '
	f=$(ls cache/history/*) &&
	printf "X" | dd of="$f" bs=1 seek=200 conv=notrunc 2>/dev/null &&
	out=damaged.json && run_check "$(cat F)" &&
	test_grep "(0 from the cache), .* (0 from the cache)" stats &&
	jq -S "del(.. | .search_us?)" damaged.json >b && test_cmp a b &&
	out=again.json && run_check "$(cat F)" &&
	! grep -q "(0 from the cache)" stats
'

# A file whose checksum holds but whose path list names a path twice (a
# path's id is its place in the list: the ids after it would shift).
test_expect_success 'an index that names a path twice is ignored too' '
	out=again2.json && run_check "$(cat F)" &&
	f=$(ls cache/history/*) &&
	perl -0777 -e '"'"'
		use integer;
		local $/; open(my $in, "<:raw", $ARGV[0]) or die; my $d = <$in>; close $in;
		$d = substr($d, 0, length($d) - 8);
		$d =~ s/f\.c\0g\.c\0/f.c\0f.c\0/ or $d =~ s/g\.c\0f\.c\0/g.c\0g.c\0/ or die "no paths";
		my $h = -3750763034362895579;   # 0xcbf29ce484222325
		$h = ($h ^ $_) * 1099511628211 for unpack("C*", $d);
		open(my $out, ">:raw", $ARGV[0]) or die; print $out $d, pack("q<", $h);
	'"'"' "$f" &&
	out=twice.json && run_check "$(cat F)" &&
	test_grep "(0 from the cache), .* (0 from the cache)" stats &&
	jq -S "del(.. | .search_us?)" twice.json >b && test_cmp a b
'

test_expect_success 'a truncated index is ignored too' '
	f=$(ls cache/history/*) && head -c 100 "$f" >t && mv t "$f" &&
	out=short.json && run_check "$(cat F)" &&
	jq -S "del(.. | .search_us?)" short.json >b && test_cmp a b
'

test_done

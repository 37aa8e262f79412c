#!/bin/sh
# t1600-fidelity: the harness of `make fidelity` on a tiny made-up project,
# without network: which patches make pairs, the base each pair is scored
# on, the three verdicts (identical, conflict, silently different) in the
# per-pair lines, the tables and the JSON, and what backport-tool check
# warns of a silently different case on the whole tree.
. "$(dirname "$0")/test-lib.sh"

for t in wiggle perl jq; do
	command -v $t >/dev/null || skip_all "$t is missing (make deps)"
done
FID="$SRCDIR/tests/fidelity"
lines() { seq "$1" "$2" | sed 's/^/line /'; }
commit() { git -C up add -A && git -C up -c user.name=u -c user.email=u@u.invalid commit -q -m "$1" &&
	git -C up rev-parse HEAD; }
# dep3 NAME SUBJECT CITE: a Debian patch of the tree's src/ against deb/,
# its header citing CITE; the tree's state after it becomes the new deb/.
dep3() {
	{ printf 'Subject: %s\n%s\n---\n' "$2" "$3"
	  (cd work && diff -ruN ../deb/src src | sed 's|^--- \.\./deb/|--- a/|; s|^+++ |+++ b/|') || true
	} >tree/debian/patches/$1
	echo "$1" >>tree/debian/patches/series
	rm -rf deb && cp -r work deb
}

test_expect_success 'setup: an upstream history and a release tree with six backports' '
	git init -q up && mkdir -p up/src &&
	lines 1 40 >up/src/a.c && lines 1 10 >up/src/b.c && echo news >up/NEWS &&
	printf "int g(void);\n" >up/src/g.h &&
	printf "#include \"g.h\"\n\nint g(void)\n{\n\treturn 1;\n}\n" >up/src/g.c &&
	c0=$(commit "release") &&
	mkdir -p tree/debian/patches && cp -r up/src tree/src && cp up/NEWS tree/ &&
	: >tree/debian/patches/series && cp -r tree deb && cp -r tree work &&
	sed -i "s/^line 20$/line twenty/" up/src/a.c && commit "upstream only" >/dev/null &&
	sed -i "s/^line 5$/line five/" up/src/a.c && echo "five" >>up/NEWS && cA=$(commit A) &&
	sed -i "s/^line twenty$/line twenty fixed/" up/src/a.c && cB=$(commit B) &&
	sed -i "s/^line 30$/line thirty/" up/src/a.c && cC=$(commit C) &&
	sed -i "s/^line 23$/line 23 new/" up/src/a.c && cD=$(commit D) &&
	sed -i "s/^line 5$/line five/" work/src/a.c &&
	dep3 a.patch "clean, NEWS left out" "Origin: upstream, https://example.invalid/commit/$cA" &&
	sed -i "s/^line 20$/line 20 fixed/" work/src/a.c &&
	dep3 b.patch "adapted by hand" "(cherry picked from commit $cB)" &&
	sed -i "s/^line 30$/line thirty/; s/^line 31$/line 31 adapted/" work/src/a.c &&
	sed -i "s/^line 1$/line one/" work/src/b.c &&
	dep3 c.patch "more than upstream" "Origin: upstream, commit:$(echo $cC | cut -c1-12)" &&
	echo local >>work/src/b.c && dep3 local.patch "a Debian change" "Forwarded: not-needed" &&
	sed -i "s/^line 23$/line 23 new/" work/src/a.c &&
	dep3 d.patch "needs fuzz" "Origin: backport, https://example.invalid/commit/$cD" &&
	echo gone >>work/src/b.c && dep3 e.patch "unknown commit" "Origin: https://example.invalid/commit/0123456789abcdef" &&
	sed -i "s/^line five$/line 5/" work/src/a.c &&
	dep3 f.patch "Revert \"A\"" "This reverts commit $cA." &&
	echo "int helper(void);" >>up/src/g.h &&
	printf "int helper(void)\n{\n\treturn 2;\n}\n" >up/src/h.c && commit helper >/dev/null &&
	sed -i "s/return 1;/return helper();/" up/src/g.c && cG=$(commit G) &&
	sed -i "s/return 1;/return 2;/" work/src/g.c &&
	dep3 g.patch "calls what the release lacks" "(cherry picked from commit $cG)" &&
	echo "$cA $cB $cC $cD $cG" >ids
'

col() { awk -F"\t" -v p="$1" -v c="$2" '$3 == p { print $c }' pairs.tsv; }

# backport-tool checks a git work tree before writing, so the pairs are
# scored outside the build directory, as run.sh does.
WORK=$(mktemp -d "${TMPDIR:-/tmp}/t1600.XXXXXX") || exit 1
trap 'rm -rf "$WORK"' EXIT

test_expect_success 'setup: score the tiny project' '
	sh "$FID/score.sh" tiny rel:tiny_1.0 "$PWD/tree" "$PWD/up" "$WORK" >pairs.tsv &&
	cat pairs.tsv && cp -r "$WORK/diffs" diffs
'

test_expect_success 'one line per patch, pairs only where one known commit is cited' '
	test $(wc -l <pairs.tsv) = 8 &&
	test "$(col a.patch 4)" = "$(cut -d" " -f1 ids | cut -c1-12)" &&
	test "$(col c.patch 4)" = "$(cut -d" " -f3 ids | cut -c1-12)" &&
	test "$(col local.patch 4)" = skip &&
	test "$(col local.patch 12)" = "cites no commit of the upstream history" &&
	test "$(col e.patch 12)" = "cites no commit of the upstream history" &&
	test "$(col f.patch 12)" = "reverts a commit"
'

test_expect_success 'a commit that applies as the maintainer did is identical for every tool' '
	test "$(col a.patch 5)" = dropped && test "$(col a.patch 6)" = 0 &&
	for c in 7 8 9 10 11; do test "$(col a.patch $c)" = identical || exit 1; done
'

test_expect_success 'a commit whose pre-image the release lacks is a conflict, and hand-adapted' '
	test "$(col b.patch 6)" = 1 &&
	for c in 7 8 10 11; do test "$(col b.patch $c)" = conflict || exit 1; done
'

test_expect_success 'a success that differs from the maintainer is silently different, its diff kept' '
	test "$(col c.patch 5)" = more && test "$(col c.patch 6)" = 1 &&
	for c in 7 8 9 10 11; do test "$(col c.patch $c)" = different || exit 1; done &&
	test_grep "^-line 31 adapted" diffs/tiny.rel_tiny_1.0.c.patch.bt.diff &&
	test_grep "^+line 31$" diffs/tiny.rel_tiny_1.0.c.patch.bt.diff
'

test_expect_success 'the base of a pair is the series before it: there d needs fuzz or a merge' '
	test "$(col d.patch 6)" = 1 &&
	test "$(col d.patch 7)" = identical && test "$(col d.patch 11)" = identical &&
	test "$(col d.patch 8)" = identical && test "$(col d.patch 10)" = identical
'

test_expect_success 'where backport-tool is silently different, what check says on the whole tree' '
	test "$(col a.patch 12)" = - && test "$(col b.patch 12)" = - &&
	test "$(col c.patch 12)" = none &&
	for c in 7 8 10 11; do test "$(col g.patch $c)" = different || exit 1; done &&
	test "$(col g.patch 12)" = "missing helper"
'

test_expect_success 'summary.pl: the table per project, overall and the hand-adapted row' '
	mkdir s && printf "tiny\trel:tiny_1.0\n" >s/sources && cp pairs.tsv s/ && cp -r diffs s/ &&
	perl "$FID/summary.pl" s &&
	test_grep "^| tiny | 5 | 4 | 2 / 1 / 2 | 2 / 1 / 2 | .* | 2 / 1 / 2 | 2 / 1 / 2 |$" s/results.md &&
	test_grep "^| \*\*all\*\* | 5 | 4 | 2 / 1 / 2 |" s/results.md &&
	test_grep "^| needed a hand adaptation | 4 | 4 | 1 / 1 / 2 | 1 / 1 / 2 |" s/results.md &&
	test_grep "other files in 1 pairs and left out files of the commit in 1" s/results.md &&
	test_grep "^- backport-tool: tiny rel:tiny_1.0 c.patch (.*maintainer changed more): +1 -1 lines" s/results.md &&
	test "$(jq ".all.pairs, .hand_adapted.pairs, .all.bt.different, .all.bt.identical" s/results.json | tr "\n" " ")" = "5 4 2 2 " &&
	test "$(jq -r ".skipped | length" s/results.json)" = 3
'

test_expect_success 'each silently different case says which tools agree, whether it is explained, what check warned' '
	test_grep "c.patch .*; the same result as GNU patch -F2, git apply --3way, wiggle (diffs/" s/results.md &&
	test_grep "^  - \*\*not explained\*\*$" s/results.md &&
	test_grep "^  - backport-tool check on the whole tree: no warning$" s/results.md &&
	test_grep "^  - backport-tool check on the whole tree: missing helper$" s/results.md &&
	test_grep "^4 cases, 4 not explained; backport-tool check warns on 2 of them.$" s/results.md &&
	{ echo "$(cut -d" " -f3 ids | cut -c1-12) * maintainer: line 31 adapted by hand" &&
	  echo "$(cut -d" " -f5 ids | cut -c1-12) * maintainer: the release has no helper()"; } >why &&
	FIDELITY_EXPLAINED=$PWD/why perl "$FID/summary.pl" s &&
	test_grep "^  - maintainer: line 31 adapted by hand$" s/results.md &&
	test_grep "^4 cases, 0 not explained; backport-tool check warns on 2 of them.$" s/results.md &&
	test "$(jq -r ".pairs[] | select(.patch == \"g.patch\") | .bt_check" s/results.json)" = "missing helper" &&
	test "$(jq -r ".pairs[] | select(.patch == \"c.patch\") | .explained.bt" s/results.json)" = \
		"maintainer: line 31 adapted by hand"
'

test_expect_success 'run.sh skips a project whose history variable is unset, saying so' '
	(unset QEMU_GIT; FIDELITY_ONLY=qemu FIDELITY_OUT=$PWD/out sh "$FID/run.sh") >out.txt 2>err.txt &&
	test_grep "^fidelity: skipping qemu: QEMU_GIT is unset$" err.txt &&
	test_grep "^Not measured: qemu (QEMU_GIT is unset)" out/results.md
'

test_done

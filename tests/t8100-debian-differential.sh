#!/bin/sh
# t8100-debian-differential: backport-tool against GNU patch on a real
# backport question: which of qemu's bookworm patches apply, each alone, to
# bullseye's patched tree?
#
# `check --independent --fuzz 2` judges each patch on its own; GNU patch
# 2.7 does the same with `patch -p1 --dry-run -F2 -N --verbose`, one patch
# at a time on an untouched copy.  For every hunk GNU patch places, check
# must give the same verdict class (clean / offset / fuzz), offset, fuzz and
# target line; every hunk patch fails, or skips for a missing file, must be a
# conflict.  Where patch skips a file as "Reversed (or previously applied)"
# after testing its first hunk, the file's other hunks are compared with
# what `patch -f` (no reverse detection) does with them.  A difference is
# accepted only for a reason this script proves on the spot:
#
#   applied   check says the change is already there.  Proof: the hunk's
#             new side (its context and added lines) is in the target at
#             the line check names, with at most the fuzz check names; for
#             a deletion, the file is gone.  (GNU patch only says "Reversed
#             (or previously applied) patch detected" for a file's first
#             hunk and skips the rest, or fails the hunk, or skips deleting
#             a missing file.)
#   vacuous   patch says "Reversed" of a hunk that deletes a whole file
#             whose content differs, and check says conflict.  A deletion
#             reversed has no lines to match, so patch "finds" it anywhere;
#             the file is there with other content, so the deletion is not
#             done.  Proof: the hunk has no new side and the file is not
#             empty.
#   context   patch says "Reversed" of a hunk that adds no line with a word
#             in it (a deletion), and check says conflict.  Such a hunk's
#             new side is context alone, and patch's reverse match, made
#             with fuzz, joins two context lines found almost anywhere;
#             check counts only the whole new side as "already there".
#             Proof: no added line has a letter or digit, and the whole new
#             side (fuzz 0) is nowhere in the file.
#
# Every other difference fails the test and is named (patch, file, hunk).
# Hunks where check also names another equally good position (ambiguous_at)
# are listed.  The reviewer table (check --format markdown) goes into the
# test log and $BUILD/test-results/.
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib/debsrc.sh"
. "$TEST_DIRECTORY/lib/gnupatch.sh"

TARGET_VERSION=1:5.2+dfsg-11+deb11u3    # bullseye
SERIES_VERSION=1:7.2+dfsg-7+deb12u18    # bookworm
FUZZ=2

debsrc_available || skip_all "Debian archive unreachable"

# series_entries SERIES: "NAME OPTIONS..." per patch (comments dropped).
series_entries() {
	sed 's/#.*//' "$1" | awk 'NF'
}

# hunk_cut PATCHFILE LINE PATH: the hunk whose @@ is at LINE, as a patch.
hunk_cut() {
	awk -v at="$2" -v path="$3" '
		NR == at {      # "@@ -a[,b] +c[,d] @@": b old lines, d new ones
			h = $0; sub(/^@@ -/, "", h); split(h, f, " ")
			old = (f[1] ~ /,/) ? substr(f[1], index(f[1], ",") + 1) + 0 : 1
			new = (f[2] ~ /,/) ? substr(f[2], index(f[2], ",") + 1) + 0 : 1
			printf "--- a/%s\n+++ b/%s\n%s\n", path, path, $0
			inhunk = 1; next
		}
		inhunk && (old > 0 || new > 0 || /^\\/) {
			print
			c = substr($0, 1, 1)
			if (c == " " || c == "") { old--; new-- } else if (c == "-") old--
			else if (c == "+") new--
			next
		}
		inhunk { exit }
	' "$1"
}

# prove_applied PATCHFILE LINE PATH AT FUZZ: the hunk whose @@ is at LINE
# of PATCHFILE is already in the target: its new side (context and added
# lines) is in gnu/PATH from line AT on, ignoring at most FUZZ (check's own
# figure) context lines at either end, as fuzz does.  AT "-" (a file the
# patch creates) means the whole file is the new side; a hunk that empties
# the file (a deletion) is there when the file is missing or empty.  Prints
# where the new side is when it is not at AT (the nearest place, or
# "nowhere").
prove_applied() {
	hunk_cut "$1" "$2" "$3" | sed -n "4,\$p" >proof.hunk
	if ! grep -q "^[ +]" proof.hunk; then      # it empties the file
		[ ! -s "gnu/$3" ] && return 0
		echo "nowhere: the file is still there"; return 1
	fi
	[ -f "gnu/$3" ] || { echo "nowhere: no such file"; return 1; }
	awk -v at="$4" -v fz="$5" '
		NR == FNR { c = substr($0, 1, 1)
			    if (c == "\\" || c == "-") next
			    n++; line[n] = substr($0, 2); ctx[n] = (c != "+"); next }
		{ file[FNR] = $0; nf = FNR }
		function match_at(l,    p, s, i, ok) {
			for (p = 0; p <= fz && p <= lead; p++)
				for (s = 0; s <= fz && s <= trail; s++) {
					ok = 1
					for (i = p + 1; i <= n - s && ok; i++)
						if (file[l + i - 1] != line[i]) ok = 0
					if (ok) return 1
				}
			return 0
		}
		END {
			for (lead = 0; lead < n && ctx[lead + 1]; lead++) ;
			for (trail = 0; trail < n && ctx[n - trail]; trail++) ;
			if (at == "-") { fz = 0; exit !(nf == n && match_at(1)) }
			if (match_at(at)) exit 0
			best = "nowhere"
			for (l = 1; l <= nf; l++)
				if (match_at(l) && (best == "nowhere" || (l > at ? l - at : at - l) < d))
					{ best = l; d = l > at ? l - at : at - l }
			print best
			exit 1
		}' proof.hunk "gnu/$3"
}

test_expect_success 'setup: bullseye patched tree, bookworm series' '
	debsrc_patched qemu "$TARGET_VERSION" >target.path &&
	debsrc_unpacked qemu "$SERIES_VERSION" >series.path &&
	patches="$(cat series.path)/debian/patches" &&
	series_entries "$patches/series" >series.entries &&
	cut -d" " -f1 series.entries >series.names &&
	test -s series.names &&
	tree_copy "$(cat target.path)" gnu >/dev/null &&
	say "$(wc -l <series.names) bookworm patches onto $(basename "$(cat target.path)")"
'

# The agreement is GNU patch's own search against check's with --no-adapt;
# a test below shows that adaptation changes nothing else.
test_expect_success 'check --independent judges every patch, each alone' '
	rc=0 &&
	"$BT" check --independent --no-adapt --fuzz $FUZZ \
		--tree bullseye="$(cat target.path)" \
		--series "$(cat series.path)/debian/patches/series" \
		--format json >check.json || rc=$? &&
	test $rc -le 1 &&
	test "$(jq -r .mode check.json)" = independent &&
	jq -r ".patches[].name" check.json >check.names &&
	test_cmp series.names check.names &&
	check_json_hunks <check.json >check.tsv &&
	test -s check.tsv
'

test_expect_success 'GNU patch places each patch alone (dry run, -F2)' '
	patches="$(cat series.path)/debian/patches" &&
	: >gnu.tsv &&
	while read -r name opts; do
		patch -d gnu ${opts:--p1} --dry-run -F$FUZZ -N -t --verbose \
			<"$patches/$name" >"gnu.$name.out" 2>&1 || true
		gnupatch_hunks "$patches/$name" "$name" <"gnu.$name.out" >>gnu.tsv || exit 1
	done <series.entries &&
	# where patch skipped a file as reversed after its first hunk, ask it
	# again with -f (no reverse detection) for a verdict on the others
	: >gnu-forced.tsv &&
	for name in $(awk -F"\t" "\$5 == \"reversed\" { print \$1 }" gnu.tsv | sort -u); do
		opts=$(awk -v n="$name" "\$1 == n { \$1 = \"\"; print }" series.entries)
		patch -d gnu ${opts:--p1} --dry-run -F$FUZZ -f --verbose \
			<"$patches/$name" >"gnu-forced.$name.out" 2>&1 || true
		gnupatch_hunks "$patches/$name" "$name" <"gnu-forced.$name.out" >>gnu-forced.tsv || exit 1
	done &&
	! grep "	unknown	" gnu.tsv gnu-forced.tsv &&
	test -s gnu.tsv &&
	say "GNU patch: $(grep -c "	placed	" gnu.tsv) hunks placed, $(grep -c "	failed	" gnu.tsv) failed, $(grep -c "	reversed	" gnu.tsv) in files it calls reversed, $(grep -c "	skipped	" gnu.tsv) skipped (missing file)"
'

# compare: one line per hunk GNU patch reported (or check alone knows):
#   CLASS  WHAT  GNU  CHECK  PATCH_LINE  PATH  GNU_STATUS  GNU_AT  VERDICT  AT  FUZZ
# CLASS is AGREE; CLAIM (check says "applied" where patch does not: to be
# proved); DIFFER; or, for a later hunk of a file patch skipped as reversed
# after testing its first hunk only, FORCED_AGREE or UNJUDGED by what
# patch -f (no reverse detection) says of it.
compare() {
	awk -F'\t' -v OFS='\t' '
	FILENAME == ARGV[1] { k = $1 SUBSEP $2 SUBSEP $3 SUBSEP $4
		    v[k] = $5; at[k] = $6; off[k] = $7; fz[k] = $8; amb[k] = $9; pl[k] = $10
		    next }
	FILENAME == ARGV[2] { k = $1 SUBSEP $2 SUBSEP $3 SUBSEP $4
		    fst[k] = $5; fat[k] = $6; foff[k] = $7; ffz[k] = $8
		    next }
	{
		k = $1 SUBSEP $2 SUBSEP $3 SUBSEP $4
		what = $1 " " $2 " hunk " $4 (($3 > 1) ? " (section " $3 ")" : "")
		gnu = $5 (($5 == "placed") ? " at " $6 " offset " $7 " fuzz " $8 : " at " $6)
		if (!(k in v)) { print "DIFFER", what, gnu, "no such hunk", "-", $2, $5, $6, "-", "-", "-"; next }
		bt = v[k] " at " at[k] " offset " off[k] " fuzz " fz[k]
		if (amb[k] != "-") bt = bt " ambiguous_at " amb[k]
		done[k] = 1
		if ($5 == "placed") {
			want = ($8 > 0) ? "fuzz" : ($7 != 0) ? "offset" : "clean"
			r = (v[k] == want && at[k] == $6 && off[k] == $7 && fz[k] == $8) ? "AGREE" : "DIFFER"
		} else if ($5 == "failed" || $5 == "skipped") {
			r = (v[k] == "conflict") ? "AGREE" : "DIFFER"
		} else if ($5 == "reversed") {
			r = (v[k] == "applied" && $4 == 1) ? "AGREE" : ($4 == 1) ? "DIFFER" : "UNJUDGED"
			if (r == "UNJUDGED" && (k in fst)) {
				fwant = (fst[k] != "placed") ? "conflict" : (ffz[k] > 0) ? "fuzz" : (foff[k] != 0) ? "offset" : "clean"
				if (v[k] == fwant && (fwant == "conflict" ||
				    (at[k] == fat[k] && off[k] == foff[k] && fz[k] == ffz[k])))
					r = "FORCED_AGREE"
				else
					r = "DIFFER"
				gnu = gnu "; with -f: " fst[k] " at " fat[k] " offset " foff[k] " fuzz " ffz[k]
			}
		} else r = "DIFFER"
		if (r != "AGREE" && v[k] == "applied") r = "CLAIM"
		print r, what, gnu, bt, pl[k], $2, $5, $6, v[k], at[k], fz[k]
	}
	END {
		for (k in v) if (!(k in done)) {
			split(k, f, SUBSEP)
			print "DIFFER", f[1] " " f[2] " hunk " f[4], "not reported by GNU patch", v[k], pl[k], f[2], "-", "-", v[k], at[k], fz[k]
		}
	}' check.tsv gnu-forced.tsv gnu.tsv
}

# judge < compare.tsv: settle every CLAIM and DIFFER; prints
#   ACCEPTED: WHAT: ... (why, proved)   or   DIFFERENCE: WHAT: ...
judge() {
	patches="$(cat series.path)/debian/patches"
	while IFS="	" read -r class what gnu bt pl path gst gat bv bat bfz; do
		[ "$class" = CLAIM ] || [ "$class" = DIFFER ] || continue
		name=${what%% *}
		head="$what: GNU patch: $gnu; check: $bt"
		if [ "$class" = CLAIM ]; then
			if where=$(prove_applied "$patches/$name" "$pl" "$path" "$bat" "$bfz"); then
				echo "ACCEPTED: $head: already applied, proved (its new side is there)"
			else
				echo "DIFFERENCE: $head: NOT proved: its new side is not at $bat but at $where"
			fi
			continue
		fi
		# "Reversed" on a hunk that empties a file is vacuous: the
		# reverse hunk has no lines to match, so it matches anywhere.
		if [ "$gst" = reversed ] && [ "$bv" = conflict ] && [ "$pl" != - ] &&
			! hunk_cut "$patches/$name" "$pl" "$path" | sed -n "4,\$p" | grep -q "^[ +]" &&
			[ -s "gnu/$path" ]; then
			echo "ACCEPTED: $head: the hunk deletes the file, whose content differs: patch only found the empty reverse hunk (vacuous)"
			continue
		fi
		if [ "$gst" = reversed ] && [ "$bv" = conflict ] && [ "$pl" != - ] &&
			! hunk_cut "$patches/$name" "$pl" "$path" | sed -n "4,\$p" | grep -q "^+.*[[:alnum:]]" &&
			[ "$(prove_applied "$patches/$name" "$pl" "$path" 1 0)" = nowhere ]; then
			echo "ACCEPTED: $head: the hunk adds no word and its whole new side is nowhere in the file: patch reversed it on context alone, with fuzz"
			continue
		fi
		note=""
		if [ "$gst" = reversed ] && [ "$pl" != - ]; then
			# patch's "ignored at" line is the stated one, not where
			# it found the reverse: look near it
			if where=$(prove_applied "$patches/$name" "$pl" "$path" "$gat" 0); then
				where=$gat
			fi
			case $where in [0-9]*)
				note=": the change is already there, at $where with fuzz 0, as GNU patch says" ;;
			esac
		fi
		echo "DIFFERENCE: $head$note"
	done
}

test_expect_success 'every hunk GNU patch places, check places the same way' '
	compare >compare.tsv &&
	judge <compare.tsv >judged &&
	grep -c "^AGREE" compare.tsv >agree.count &&
	! grep -q "^UNJUDGED" compare.tsv &&
	grep "^DIFFERENCE" judged >differences || true &&
	! test -s differences           # listed below the test line
'
if [ -f compare.tsv ]; then
	say "hunks: $(cat agree.count) agree with GNU patch," \
		"$(grep -c "^ACCEPTED" judged) differ for a proved reason," \
		"$(grep -c "^DIFFERENCE" judged) differ otherwise;" \
		"$(grep -c "^FORCED_AGREE" compare.tsv) agree with patch -f (later hunks of a file patch skipped as reversed)," \
		"$(grep -c "^UNJUDGED" compare.tsv) not judged by GNU patch"
	grep "^A[CG]" judged | while read -r l; do say "$l"; done
	grep "^DIFFERENCE" judged | while read -r l; do say "$l"; done
	grep "^UNJUDGED" compare.tsv | cut -f2,4 | sed "s/\t/: check: /" |
		while read -r l; do say "not judged by GNU patch: $l"; done
	grep "^AGREE" compare.tsv | grep "ambiguous_at" | cut -f2,4 | tr "\t" " " |
		while read -r l; do say "agrees, and check also names an equally good place: $l"; done
fi

# Adaptation only ever runs where GNU patch fails: with it on, every hunk
# check placed without it keeps its verdict, offset and fuzz; "adapted"
# (or "applied": the change found there in an adapted form) only replaces
# conflicts.
test_expect_success 'adaptation changes only hunks GNU patch fails' '
	rc=0 &&
	"$BT" check --independent --fuzz $FUZZ --tree bullseye="$(cat target.path)" \
		--series "$(cat series.path)/debian/patches/series" \
		--format json >adapt.json || rc=$? &&
	test $rc -le 1 &&
	hunks=".patches[] | .name as \$p | .results[0].files[] | .path as \$f | .hunks[] | \"\\(\$p) \\(\$f) \\(.n) \\(.verdict) \\(.offset) \\(.fuzz)\"" &&
	jq -r "$hunks" check.json >plain.hunks &&
	jq -r "$hunks" adapt.json >adapt.hunks &&
	paste -d" " plain.hunks adapt.hunks | awk "
		\$4 != \$10 && !(\$4 == \"conflict\" && (\$10 == \"adapted\" || \$10 == \"applied\")) { bad = 1; print }
		\$4 == \$10 && \$4 != \"conflict\" && (\$5 != \$11 || \$6 != \$12) { bad = 1; print }
		END { exit bad }" &&
	grep -c " adapted " adapt.hunks >adapted.count || true
'
if [ -f adapt.hunks ]; then
	say "adaptation: $(cat adapted.count) of $(grep -c " conflict " plain.hunks) conflicting hunks adapted," \
		"$(paste -d" " plain.hunks adapt.hunks | awk "\$4 == \"conflict\" && \$10 == \"applied\"" | wc -l) found already applied in an adapted form"
	jq -r '.patches[] | .name as $p | .results[0].files[] | .path as $f | .hunks[] | select(.adaptation) | .adaptation.search_us' adapt.json |
		sort -n | awk '{ v[NR] = $1; s += $1 } END { if (NR) printf "# adaptation search per conflicting hunk: %d hunks, median %d us, max %d us, total %d us\n", NR, v[int((NR + 1) / 2)], v[NR], s }'
fi

test_expect_success 'the reviewer table goes into the log' '
	rc=0 &&
	"$BT" check --independent --fuzz $FUZZ --tree bullseye="$(cat target.path)" \
		--series "$(cat series.path)/debian/patches/series" \
		--format markdown >table.md || rc=$? &&
	test $rc -le 1 &&
	test "$(grep -c "^| [0-9]" table.md)" = "$(wc -l <series.names)" &&
	mkdir -p "$BUILD/test-results" &&
	cp table.md "$BUILD/test-results/t8100-bookworm-on-bullseye.md" &&
	cp compare.tsv "$BUILD/test-results/t8100-hunks.tsv"
'
if [ -f check.json ]; then
	say "reviewer table, bookworm's $(wc -l <series.names) patches on bullseye:" \
		"$(jq -r '.patches[].results[0].word' check.json | sort | uniq -c |
			awk '{ n = $1; $1 = ""; printf "%s%s %s", sep, n, substr($0, 2); sep = ", " }')"
fi
sed 's/^/# /' table.md 2>/dev/null

test_done

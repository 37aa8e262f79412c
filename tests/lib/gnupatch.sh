# gnupatch.sh - what GNU patch did with each hunk, as a table, and the
# same table from backport-tool check's JSON, to compare the two.
#
# Sourced by scenario scripts that compare backport-tool with GNU patch.
#
#   gnupatch_hunks PATCHFILE [NAME] < OUTPUT
#
# reads the output of `patch --verbose -p1` (real or --dry-run) for one
# patch file, NAME being its name in the series (default: its base name),
# and prints one tab-separated line
# per hunk:
#
#   NAME  PATH  OCC  N  STATUS  AT  OFFSET  FUZZ
#
# PATH is the file (-p1), OCC counts how often PATH was met so far in this
# patch (1 for its first section), N is the hunk's number within its file
# section (patch restarts at 1 for every file).  STATUS is
#   placed    "Hunk #N succeeded at AT [with fuzz FUZZ] [(offset OFFSET lines)]"
#   failed    "Hunk #N FAILED at AT"
#   reversed  "ignored": patch saw "Reversed (or previously applied) patch"
#             (on the file's first hunk) and skipped the file
#   skipped   "ignored" for another reason: the file is missing ("can't find
#             file to patch", "Cannot rename file without two valid file
#             names") or cannot be patched
#   unknown   this parser did not understand patch's output: a test fails
# AT, OFFSET and FUZZ are "-" where patch does not say.
#
# patch does not always name the file a hunk belongs to (a rename whose
# source is missing, say), so the sections are taken from PATCHFILE itself:
# in verbose mode patch reports every hunk of every section in order, each
# section's numbers starting at #1, which pairs them up.  Where patch does
# name the file, the name must agree.

gnupatch_hunks() {
	awk -v name="${2:-${1##*/}}" -v q="'" '
	function strip(p) {            # the -p1 name of a "+++ b/x" line
		sub(/^(---|\+\+\+) /, "", p); sub(/\t.*/, "", p)
		if (p == "/dev/null") return ""
		if (substr(p, 1, 1) == "\"") p = substr(p, 2, length(p) - 2)
		sub(/^[^\/]*\//, "", p)
		return p
	}
	function count(h,    f, o, n) {  # old and new line counts of a @@ line
		sub(/^@@ -/, "", h); split(h, f, " ")
		left_old = (f[1] ~ /,/) ? substr(f[1], index(f[1], ",") + 1) + 0 : 1
		sub(/^\+/, "", f[2])
		left_new = (f[2] ~ /,/) ? substr(f[2], index(f[2], ",") + 1) + 0 : 1
	}
	# pass 1: the patch file: its file sections with hunks, in order
	NR == FNR {
		if (left_old > 0 || left_new > 0) {  # inside a hunk
			c = substr($0, 1, 1)
			if (c == " " || c == "") { left_old--; left_new-- }
			else if (c == "-") left_old--
			else if (c == "+") left_new--
			next
		}
		if ($0 ~ /^@@ -[0-9]/ && insec) { count($0); nh[nsec]++; next }
		insec = 0
		if ($0 ~ /^--- /) { old = strip($0); next }
		if ($0 ~ /^\+\+\+ /) {
			p = strip($0); if (p == "") p = old
			nsec++; sec[nsec] = p; occ[nsec] = ++seen[p]; insec = 1
		}
		next
	}
	# pass 2: what patch said
	/^\|/ { next }
	/^(checking|patching) file / {
		said = $0
		sub(/^(checking|patching) file /, "", said)
		sub(/ \((renamed|copied|read) from .*\)$/, "", said)
		if (substr(said, 1, 1) == q && substr(said, length(said)) == q)
			said = substr(said, 2, length(said) - 2)
		next
	}
	/^Reversed \(or previously applied\) patch detected!/ { reversed = 1; next }
	/^Hunk #[0-9]+ / {
		n = $2; sub(/^#/, "", n)
		if (n == 1) {                   # the next section begins
			k++; sec_reversed = reversed; reversed = 0
			ok = (k <= nsec && (said == "" || said == sec[k]))
			if (k > 1 && got != nh[k - 1]) ok = 0
			got = 0; said = ""
		}
		got++
		at = "-"; off = "-"; fuzz = "-"
		if (match($0, / at [0-9]+/)) at = substr($0, RSTART + 4, RLENGTH - 4)
		if ($0 ~ / succeeded at /) {
			status = "placed"; off = 0; fuzz = 0
			if (match($0, /with fuzz [0-9]+/)) fuzz = substr($0, RSTART + 10, RLENGTH - 10)
			if (match($0, /\(offset -?[0-9]+ line/)) off = substr($0, RSTART + 8, RLENGTH - 13)
		} else if ($0 ~ / FAILED at /) {
			status = "failed"
		} else if ($0 ~ / ignored at /) {
			status = sec_reversed ? "reversed" : "skipped"
		} else {
			status = "unknown"
		}
		if (!ok) status = "unknown"
		printf "%s\t%s\t%d\t%d\t%s\t%s\t%s\t%s\n", name, sec[k], occ[k], n, status, at, off, fuzz
	}
	END {
		if (k != nsec || (k > 0 && got != nh[k]))
			printf "%s\t%s\t0\t0\tunknown\t-\t-\t-\n", name, "(" nsec " file sections with hunks, patch reported " k ")"
	}
	' "$1" -
}

# check_json_hunks < JSON: the hunks of `backport-tool check --format json`
# (its first target) in the same key order as gnupatch_hunks:
#   NAME  PATH  OCC  N  VERDICT  AT  OFFSET  FUZZ  AMBIGUOUS_AT  PATCH_LINE
check_json_hunks() {
	jq -r '.patches[] | .name as $p | .results[0].files | to_entries[] |
		.key as $i | .value.path as $f | .value.hunks[] |
		[$p, $f, $i, .n, .verdict, (.at // "-"), (.offset // "-"),
		 (.fuzz // "-"), (.ambiguous_at // "-"), (.patch_line // "-")] |
		@tsv' |
	awk -F'\t' -v OFS='\t' '
		{ sec = $1 SUBSEP $3
		  if (!(sec in occ)) occ[sec] = ++seen[$1 SUBSEP $2]
		  $3 = occ[sec]; print }'
}

#!/bin/sh
# score.sh - the fidelity benchmark's core: every pair of one unpacked
# source package, scored for each tool against the maintainer's result.
#
#   sh score.sh PROJECT LABEL TREE REPO WORK >>pairs.tsv
#
# TREE is a source package unpacked without its patches (debian/patches/
# series and the patches in it), REPO the upstream git history, WORK an
# empty scratch directory.  A pair is a patch P of the series whose header
# cites exactly one commit C that REPO has.  The base B is the tree with the
# series applied up to just before P (as quilt pushes it, GNU patch fuzz 2);
# the maintainer's result M is B with P.  Each tool applies C's whole commit
# (git format-patch) to a copy of B, and is scored on the files both C and
# P change: "identical" (byte for byte equal to M), "conflict" (the tool
# said it failed) or "different" (it said it succeeded, the result differs
# from M).  "hand" is 1 when GNU patch -F0 of C fails or differs from M:
# the maintainer had to adapt the commit by hand.
#
# Only the files the series or the cited commits change are copied: the
# others are the same in B, M and every tool's result, and no tool reads
# them.  One line per patch is printed (tab separated):
#   project label patch commit flags hand gnu_patch git_3way wiggle bt bt_f2
#   bt_check
# or, for a patch that is not a pair, "skip" in the commit column and the
# reason in the last.  flags: "more" (P changes files C does not),
# "dropped" (C changes files P does not), or "-".  bt_check, where
# backport-tool's apply was silently different: what `backport-tool check`
# says of C on the whole tree at B (the source package with the series up
# to P), the judge a maintainer runs before applying: its warnings
# ("missing NAMES", "ambiguous placement", "conflict") or "none"; else "-".  The result trees of
# tools that were "different" are kept as WORK/diffs/PROJECT.LABEL.PATCH.
# TOOL.diff (diff -u from M; ":" and "/" made "_").  Needs $BT (backport-tool) and perl.  FIDELITY_PAIR=P
# stops after patch P and keeps its trees in WORK/pair (base, m, c.patch,
# one directory and .log per tool), to look at one case.

project=$1 label=$2 tree=$3 repo=$4 work=$5
here=$(cd "$(dirname "$0")" && pwd)
paths() { perl "$here/paths.pl" "$@"; }
log() { printf 'fidelity: %s\n' "$*" >&2; }

series="$tree/debian/patches/series"
[ -f "$series" ] || { log "$label: no debian/patches/series"; exit 0; }
objects=$(git -C "$repo" rev-parse --path-format=absolute --git-common-dir)/objects
mkdir -p "$work/diffs" || exit 2
sed 's/#.*//' "$series" | awk 'NF' >"$work/series"

# skip PATCH REASON
skip() {
	printf '%s\t%s\t%s\tskip\t-\t-\t-\t-\t-\t-\t-\t%s\n' "$project" "$label" "$1" "$2"
}

# strip_of OPTIONS: the -pN of a series line (1 without one).
strip_of() {
	case " $* " in
	*" -p0 "*) echo 0 ;; *" -p2 "*) echo 2 ;; *" -p3 "*) echo 3 ;; *) echo 1 ;;
	esac
}

# cite PATCH: the one commit of REPO the patch cites, or the reason not.
cite() {
	_c_ids=""
	for _c_h in $(paths cites "$1"); do
		_c_full=$(git -C "$repo" rev-parse -q --verify "$_c_h^{commit}" 2>/dev/null) ||
			continue
		case " $_c_ids " in *" $_c_full "*) ;; *) _c_ids="$_c_ids $_c_full" ;; esac
	done
	if paths reverts "$1"; then
		echo "reverts a commit"; return 1
	fi
	set -- $_c_ids
	case $# in
	0) echo "cites no commit of the upstream history"; return 1 ;;
	1) ;;
	*) echo "cites $# commits"; return 1 ;;
	esac
	if [ "$(git -C "$repo" rev-list --no-walk --count --min-parents=2 "$1")" != 0 ]; then
		echo "cites a merge"; return 1
	fi
	echo "$1"
}

# copy_files SRC DST < LIST: the listed files that exist in SRC, into DST.
copy_files() {
	mkdir -p "$2" &&
		(cd "$1" && while read -r _f; do
			[ -f "$_f" ] || [ -L "$_f" ] && printf '%s\n' "$_f"
		done | tar -cf - --no-recursion -T -) | tar -xf - -C "$2"
}

# same_on LIST A B: the files of LIST are equal (or absent in both) in A and B.
same_on() {
	while read -r _f; do
		if [ -e "$2/$_f" ] || [ -e "$3/$_f" ]; then
			cmp -s "$2/$_f" "$3/$_f" || return 1
		fi
	done <"$1"
}

gnu_patch() { # gnu_patch DIR FUZZ PATCH [STRIP]: GNU patch as a user runs it
	(cd "$1" && patch -p"${4:-1}" -F"$2" -f -s --no-backup-if-mismatch <"$3") >"$1.log" 2>&1
}

tool_gnu_patch() { gnu_patch "$1" 2 "$2"; }

tool_git_3way() {
	(cd "$1" && git init -q && echo "$objects" >.git/objects/info/alternates &&
		git add -A -f && git -c user.name=b -c user.email=b@b.invalid \
			commit -q --allow-empty -m base &&
		git -c core.autocrlf=false apply --3way "$2") >"$1.log" 2>&1
}

tool_wiggle() {
	gnu_patch "$1" 2 "$2" && return 0
	grep -q "can't find file" "$1.log" && return 1
	_w_rej=$(cd "$1" && find . -name '*.rej')
	[ -n "$_w_rej" ] || return 1
	for _w_r in $_w_rej; do
		[ -f "$1/${_w_r%.rej}" ] || return 1
		wiggle --replace "$1/${_w_r%.rej}" "$1/$_w_r" >>"$1.log" 2>&1 || return 1
	done
}

tool_bt() { "$BT" apply --git "$repo" -t "$1" "$3" >"$1.log" 2>&1; }
tool_bt_f2() { "$BT" apply -F 2 --git "$repo" -t "$1" "$3" >"$1.log" 2>&1; }

# whole_base P: the whole tree with the series before P, in $work/whole.
whole_base() {
	rm -rf "$work/whole" && cp -a "$tree" "$work/whole" || return 1
	while read -r _w_p _w_opts; do
		[ "$_w_p" = "$1" ] && return 0
		(cd "$work/whole" && patch -p"$(strip_of $_w_opts)" -F2 -f -s -E \
			--no-backup-if-mismatch <"$tree/debian/patches/$_w_p") \
			>/dev/null 2>&1 || return 1
	done <"$work/series"
}

# check_says P COMMIT: what backport-tool check warns of COMMIT on the
# whole tree before P (bt_check).
check_says() {
	whole_base "$1" || { echo "no whole tree"; return 0; }
	"$BT" check --git "$repo" --tree base="$work/whole" --format json "$2" \
		>"$work/check.json" 2>"$work/check.log"
	[ $? -le 1 ] || { echo "check failed"; return 0; }
	perl -MJSON::PP -e '
		local $/; my $j = decode_json(<STDIN>);
		my $r = $j->{patches}[0]{results}[0] or exit;
		my @w;
		push @w, "conflict" if $r->{verdict} eq "conflict";
		push @w, "missing $1" if ($r->{deps} // "") =~ /missing \(([^)]*)\)/;
		push @w, "ambiguous placement"
			if grep { defined $_->{ambiguous_at} } map { @{ $_->{hunks} } } @{ $r->{files} };
		print @w ? join("; ", @w) : "none";' <"$work/check.json"
}

# score_pair P STRIP COMMIT: one line for the pair; B is $work/cur.
score_pair() {
	_p=$1 _s=$2 _c=$3 _d="$work/pair"
	rm -rf "$_d" && mkdir -p "$_d" || return 1
	paths files "$_s" "$tree/debian/patches/$_p" >"$_d/p.files"
	git -C "$repo" diff-tree --no-commit-id --no-renames --name-only -r "$_c" |
		sort -u >"$_d/c.files"
	comm -12 "$_d/p.files" "$_d/c.files" >"$_d/both"
	[ -s "$_d/both" ] || { skip "$_p" "shares no file with its commit"; return 0; }
	_flags=""
	[ -n "$(comm -23 "$_d/p.files" "$_d/c.files")" ] && _flags="more"
	[ -n "$(comm -13 "$_d/p.files" "$_d/c.files")" ] && _flags="${_flags:+$_flags,}dropped"
	sort -u "$_d/p.files" "$_d/c.files" | copy_files "$work/cur" "$_d/base" || return 1
	cp -a "$_d/base" "$_d/m" &&
		gnu_patch "$_d/m" 2 "$tree/debian/patches/$_p" "$_s" ||
		{ skip "$_p" "the patch does not apply where quilt applied it"; return 0; }
	git -C "$repo" format-patch -1 --stdout "$_c" >"$_d/c.patch" 2>"$_d/c.log" ||
		{ skip "$_p" "the upstream history lacks its commit's objects"; return 0; }
	cp -a "$_d/base" "$_d/f0"
	_hand=1 _bt_differs=
	gnu_patch "$_d/f0" 0 "$_d/c.patch" && same_on "$_d/both" "$_d/m" "$_d/f0" && _hand=0
	_line="$project	$label	$_p	$(echo "$_c" | cut -c1-12)	${_flags:--}	$_hand"
	for _t in gnu_patch git_3way wiggle bt bt_f2; do
		cp -a "$_d/base" "$_d/$_t"
		if "tool_$_t" "$_d/$_t" "$_d/c.patch" "$_c"; then
			if same_on "$_d/both" "$_d/m" "$_d/$_t"; then
				_r=identical
			else
				_r=different
				while read -r _f; do
					diff -u "$_d/m/$_f" "$_d/$_t/$_f" |
						sed "1s|.*|--- m/$_f|; 2s|.*|+++ $_t/$_f|"
				done <"$_d/both" >"$work/diffs/$(echo "$project.$label.$_p" | tr :/ __).$_t.diff"
			fi
		else
			_r=conflict
		fi
		_line="$_line	$_r"
		case $_t,$_r in bt*,different) _bt_differs=1 ;; esac
	done
	_said=-
	[ -n "$_bt_differs" ] && _said=$(check_says "$_p" "$_c")
	printf '%s\t%s\n' "$_line" "$_said"
}

# The series' files and the cited commits' files, copied once.
rm -rf "$work/cur" "$work/cites" && mkdir -p "$work/cur" || exit 2
while read -r p opts; do
	c=$(cite "$tree/debian/patches/$p") || c="skip $c"
	printf '%s\t%s\n' "$p" "$c" >>"$work/cites"
	paths files "$(strip_of $opts)" "$tree/debian/patches/$p"
	case $c in skip*) ;; *) git -C "$repo" diff-tree --no-commit-id --no-renames --name-only -r "$c" ;; esac
done <"$work/series" | sort -u | copy_files "$tree" "$work/cur" || exit 2

while read -r p opts; do
	s=$(strip_of $opts)
	c=$(awk -F'\t' -v p="$p" '$1 == p { print $2; exit }' "$work/cites")
	case $c in
	skip*) skip "$p" "${c#skip }" ;;
	*) score_pair "$p" "$s" "$c" || exit 2 ;;
	esac
	[ "$p" = "${FIDELITY_PAIR:-}" ] && exit 0
	(cd "$work/cur" && patch -p"$s" -F2 -f -s -E --no-backup-if-mismatch \
		<"$tree/debian/patches/$p") >"$work/quilt.log" 2>&1 || {
		log "$label: $p does not apply as quilt would apply it:"
		tail -n 3 "$work/quilt.log" >&2
		exit 2
	}
done <"$work/series"
rm -rf "$work/cur" "$work/pair"

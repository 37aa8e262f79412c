#!/bin/sh
# t0100-layout: the source folders follow the pipeline of DESIGN.md, and
# includes go one way (HACKING.md, "Layout"): a stage includes only the
# stages it may read, so that the folder map stays true.
. "$(dirname "$0")/test-lib.sh"

SRC="$SRCDIR/backport-tool"

# The stages each folder may include, besides itself and the top level.
allowed() {
	case $1 in
	tree) echo "" ;;
	input) echo "tree emit" ;;   # emit: profile.h's version request
	place) echo "tree input" ;;
	analyse) echo "tree input place" ;;
	emit) echo "tree input place analyse buildd" ;;
	buildd) echo "" ;;
	cmd) echo "tree input place analyse emit buildd" ;;
	esac
}

test_expect_success 'every .c file is in a stage folder or at the top' '
	(cd "$SRC" && find . -name "*.c" | sed "s|^\./||; s|/[^/]*$||; /\.c$/d" |
		sort -u) >folders &&
	printf "%s\n" analyse buildd cmd emit input place tree >expect &&
	test_cmp expect folders
'

test_expect_success 'includes go one way between the stages' '
	: >bad &&
	for d in tree input place analyse emit buildd cmd; do
		ok="$d $(allowed $d)" &&
		grep -ho "^#include \"[a-z]*/" "$SRC/$d"/*.[ch] | sed "s/#include \"//; s|/||" |
			sort -u >used &&
		while read -r s; do
			case " $ok " in *" $s "*) ;; *) echo "$d includes $s" >>bad ;; esac
		done <used || exit 1
	done &&
	test_cmp /dev/null bad
'

test_expect_success 'input reaches a later stage only for the version request' '
	grep -l "^#include \"emit/" "$SRC"/input/*.[ch] | sed "s|.*/||" >input-emit &&
	echo profile.h >expect &&
	test_cmp expect input-emit
'

test_done

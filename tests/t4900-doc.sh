#!/bin/sh
# t4900-doc: the man page and the bash completion follow the program: every
# command of "backport-tool --help" has a section in doc/backport-tool.1
# naming every long option of its --help, the page renders without groff
# warnings, and the completion offers commands, options and option values.
. "$(dirname "$0")/test-lib.sh"

MAN="$SRCDIR/doc/backport-tool.1"
COMPLETION="$SRCDIR/completion/backport-tool"

"$BT" --help | awk '/^  [a-z]/ { print $1 }' >commands
[ -s commands ] || skip_all "backport-tool --help lists no commands"

test_expect_success 'the man page has a section for every command' '
	while read cmd; do
		grep -q "^\.SS $cmd\$" "$MAN" || { echo "no section for $cmd"; exit 1; }
	done <commands
'

test_expect_success 'each section names every long option of its --help' '
	while read cmd; do
		sed -n "/^\.SS $cmd\$/,/^\.S[SH] /p" "$MAN" | sed "s/\\\\-/-/g" >section &&
		"$BT" "$cmd" --help | grep -o -- "--[a-z][a-z-]*" | sort -u >options &&
		while read opt; do
			[ "$opt" = --help ] && continue
			grep -qw -- "$opt" section || { echo "$cmd: $opt missing"; exit 1; }
		done <options || exit 1
	done <commands
'

if command -v groff >/dev/null 2>&1; then
test_expect_success 'the man page renders without warnings' '
	groff -man -ww -z "$MAN" 2>warnings &&
	test ! -s warnings
'
fi

if command -v bash >/dev/null 2>&1; then
mkdir -p bin && ln -s "$BT" bin/backport-tool
# complete WORD...: the completions of the last word, one per line.
cat >complete.sh <<'EOS'
PATH="$PWD/bin:$PATH"
. "$COMPLETION"
COMP_WORDS=("$@")
COMP_CWORD=$(($# - 1))
_backport_tool
printf "%s\n" "${COMPREPLY[@]}"
EOS
export COMPLETION

test_expect_success 'completion: the commands' '
	bash complete.sh backport-tool "" >out &&
	while read cmd; do test_grep "^$cmd\$" out || exit 1; done <commands &&
	bash complete.sh backport-tool li >out &&
	test "$(cat out)" = lint
'

test_expect_success 'completion: a command'\''s options, from its --help' '
	bash complete.sh backport-tool report --up >out &&
	test "$(cat out)" = --upstream &&
	bash complete.sh backport-tool lint --s >out &&
	test_grep "^--series\$" out &&
	test_grep "^--strict\$" out
'

test_expect_success 'completion: option values' '
	bash complete.sh backport-tool report --format "" >out &&
	test "$(sort out | tr "\n" " ")" = "json markdown " &&
	bash complete.sh backport-tool package --pocket s >out &&
	test "$(sort out | tr "\n" " ")" = "security sru stable " &&
	bash complete.sh backport-tool build --suite b >out &&
	test "$(sort out | tr "\n" " ")" = "bookworm bullseye " &&
	bash complete.sh backport-tool check --build-target m >out &&
	test "$(sort out | tr "\n" " ")" = "make meson " &&
	mkdir -p trees/focal &&
	bash complete.sh backport-tool check --tree old=trees/f >out &&
	test "$(cat out)" = old=trees/focal
'
fi

test_done

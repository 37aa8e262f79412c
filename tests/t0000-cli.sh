#!/bin/sh
# t0000-cli: the command line contract scripts rely on: help, version,
# exit statuses, and one-line errors for bad usage.
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'make without the -dev packages names them on one line' '
	mkdir -p nopc &&
	test_expect_code 2 env PKG_CONFIG_LIBDIR="$PWD/nopc" PKG_CONFIG_PATH= \
		make -s --no-print-directory -C "$SRCDIR" BUILD="$PWD/b" >out 2>err &&
	test $(wc -l <err) -eq 1 &&
	test_grep "backport-tool: missing build packages: libgit2-dev libjansson-dev libdpkg-dev zlib1g-dev; run .make deps." err &&
	! grep -i "was not found" err &&
	test ! -e b
'

test_expect_success 'make deps and make clean do not need them' '
	env PKG_CONFIG_LIBDIR="$PWD/nopc" PKG_CONFIG_PATH= \
		make -n -C "$SRCDIR" BUILD="$PWD/b" deps clean >out 2>err &&
	test_grep "install-deps.sh" out &&
	! grep "missing build packages" err
'

test_expect_success 'no command is a usage error' '
	test_expect_code 2 "$BT" 2>err &&
	test_grep "usage: backport-tool" err
'

test_expect_success '--help lists the commands and exits 0' '
	"$BT" --help >out &&
	test_grep "check" out &&
	test_grep "apply" out
'

test_expect_success '--version names the program' '
	"$BT" --version >out &&
	test_grep "^backport-tool [0-9]" out
'

test_expect_success 'an unknown command says so on one line' '
	test_expect_code 2 "$BT" frobnicate 2>err &&
	test_grep "^backport-tool: .frobnicate. is not a command" err &&
	test $(wc -l <err) -eq 1
'

for cmd in check apply; do
	test_expect_success "$cmd --help prints its usage and exits 0" "
		\"\$BT\" $cmd --help >out &&
		test_grep \"usage: backport-tool $cmd\" out
	"
done

# getopt's own message and the whole usage made several lines: one says it
for cmd in check apply deps plan lint report interdiff package headers release build distance; do
	test_expect_success "$cmd with an unknown option: one line, exit 2" "
		test_expect_code 2 \"\$BT\" $cmd --no-such-option 2>err &&
		test_grep \"^backport-tool: $cmd: unknown option '--no-such-option'; see 'backport-tool $cmd --help'\\$\" err &&
		test \$(wc -l <err) -eq 1
	"
done

test_expect_success 'a missing option argument: one line naming the option, exit 2' '
	test_expect_code 2 "$BT" check -t 2>err &&
	test_grep "^backport-tool: check: option .-t. needs an argument$" err &&
	test $(wc -l <err) -eq 1 &&
	test_expect_code 2 "$BT" package --source 2>err &&
	test_grep "^backport-tool: package: option .--source. needs an argument$" err &&
	test $(wc -l <err) -eq 1
'

test_expect_success 'a short option in a cluster and a flag given a value are named as typed' '
	test_expect_code 2 "$BT" apply --force -xR 2>err &&
	test_grep "^backport-tool: apply: unknown option .-x.; see" err &&
	test_expect_code 2 "$BT" apply --force=1 2>err &&
	test_grep "^backport-tool: apply: option .--force. takes no argument$" err
'

test_expect_success 'check --fuzz refuses values GNU patch semantics do not cover' '
	test_expect_code 2 "$BT" check --fuzz 3 x.patch 2>err &&
	test_grep "fuzz takes 0, 1 or 2" err
'

test_expect_success 'check --format refuses an unknown format' '
	test_expect_code 2 "$BT" check --format yaml x.patch 2>err &&
	test_grep "unknown format" err
'

test_expect_success 'a missing patch file is an input error naming it' '
	test_expect_code 2 "$BT" check no-such.patch 2>err &&
	test_grep "^backport-tool: no-such.patch" err
'

# no_raw_controls FILE: no ESC, BEL, CSI or other control byte but '\n'.
no_raw_controls() {
	if LC_ALL=C grep -q "$(printf "[\001-\010\013-\037\177]")" "$1" ||
	   LC_ALL=C grep -q "$(printf "\302[\200-\237]")" "$1"; then
		echo "raw control characters in $1:" >&2
		od -c "$1" >&2
		return 1
	fi
}

test_expect_success 'setup: a tree and a patch that conflicts with it' '
	mkdir -p esc/src && printf "one\ntwo\nthree\n" >esc/src/f.c &&
	printf "%s\n" "--- a/src/f.c" "+++ b/src/f.c" "@@ -1,3 +1,3 @@" \
		" one" "-TWO" "+2" " three" >conflict.patch
'

test_expect_success 'an ESC in a patch file name reaches no output raw' '
	name=$(printf "x\033]0;pwned\007\033[2J.patch") &&
	cp conflict.patch "$name" &&
	test_expect_code 1 "$BT" check -t esc "$name" >out 2>err &&
	no_raw_controls out && no_raw_controls err &&
	test_grep "^x\\\\033]0;pwned\\\\007\\\\033\[2J.patch  *conflict" out &&
	test_expect_code 1 "$BT" check -v --format markdown -t esc "$name" >out &&
	no_raw_controls out && test_grep "x\\\\033]0;pwned" out &&
	test_expect_code 1 "$BT" apply -t esc "$name" >out 2>err &&
	no_raw_controls out && no_raw_controls err &&
	test $(wc -l <err) -eq 1 &&
	test_grep "^backport-tool: x\\\\033]0;pwned\\\\007\\\\033\[2J.patch:[0-9]*: does not apply" err
'

test_expect_success 'an ESC in a series line reaches no message raw' '
	printf "ok.patch\nevil\033]2;title\007.patch\n" >esc.series &&
	cp conflict.patch ok.patch &&
	test_expect_code 2 "$BT" check -t esc --series esc.series 2>err &&
	no_raw_controls err && test $(wc -l <err) -eq 1 &&
	test_grep "^backport-tool: esc.series:2: cannot read patch .evil\\\\033]2;title\\\\007.patch.: " err
'

test_expect_success 'an ESC in a path of the diff reaches no message raw' '
	sed "s|src/f.c|src/f\x1b[31m.c|" conflict.patch >path.patch &&
	test_expect_code 2 "$BT" check -v -t esc path.patch >out 2>err &&
	no_raw_controls out && no_raw_controls err &&
	test $(wc -l <err) -eq 1 &&
	test_grep "^backport-tool: path.patch:1: unsafe path .src/f\\\\033\[31m.c." err
'

# located CODE WANT CMD...: CMD exits CODE with one line on stderr that
# starts "backport-tool: FILE:LINE: " and holds WANT.
located() {
	loc_code=$1 loc_want=$2; shift 2
	test_expect_code "$loc_code" "$@" 2>err &&
	test $(wc -l <err) -eq 1 &&
	test_grep "^backport-tool: [^ ]*:[0-9][0-9]*: " err &&
	test_grep "$loc_want" err
}

test_expect_success 'input errors name FILE:LINE (series line, patch line)' '
	mkdir -p loc && printf "one\ntwo\nthree\n" >loc/f.c &&
	printf "Just a note.\nNo diff.\n" >note.txt &&
	located 2 "^backport-tool: note.txt:1: no diff found\$" \
		"$BT" check -t loc note.txt &&
	printf "conflict.patch\n/etc/passwd\n" >passwd.series &&
	cp conflict.patch loc.patch &&
	located 2 "^backport-tool: passwd.series:2: /etc/passwd:1: no diff found\$" \
		"$BT" check -t loc --series passwd.series &&
	printf "conflict.patch\nx\000y\n" >nul.series &&
	located 2 "^backport-tool: nul.series:2: NUL byte in series file\$" \
		"$BT" check -t loc --series nul.series &&
	printf "%s\n" "--- a/f.c" "+++ b/f.c" "@@ -1,3 +1,3 @@" " one" "-two" \
		"+2" "three" >bad-hunk.patch &&
	printf "ok.patch\nbad-hunk.patch\n" >bad.series &&
	located 2 "^backport-tool: bad.series:2: bad-hunk.patch:7: " \
		"$BT" check -t loc --series bad.series
'

test_expect_success 'errors in an mbox name the line in the whole file' '
	{ printf "From 1234567890123456789012345678901234567890 Mon Sep 17 00:00:00 2001\n" &&
	  printf "From: a <a@example.org>\nSubject: [PATCH 1/2] one\n\n" &&
	  cat conflict.patch &&
	  printf "From 2234567890123456789012345678901234567890 Mon Sep 17 00:00:00 2001\n" &&
	  printf "From: a <a@example.org>\nSubject: [PATCH 2/2] two\n\nno diff\n"; } >two.mbox &&
	line=$(grep -n "^From 2234" two.mbox | cut -d: -f1) &&
	located 2 "^backport-tool: two.mbox:$line: no diff found\$" \
		"$BT" check -t loc two.mbox
'

test_expect_success 'a bad range in an @FILE of commits names its line' '
	git init -q repo &&
	git -C repo -c user.name=a -c user.email=a@example.org commit -q \
		--allow-empty -m one &&
	printf "# commits\nHEAD\nHEAD...HEAD\n" >commits &&
	located 2 "^backport-tool: commits:3: .HEAD...HEAD.: symmetric ranges" \
		"$BT" check --git repo -t loc @commits &&
	printf "HEAD\nno-such..HEAD\n" >commits &&
	located 2 "^backport-tool: commits:2: bad range .no-such..HEAD." \
		"$BT" check --git repo -t loc @commits
'

test_done

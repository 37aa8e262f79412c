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
	test_expect_success "$cmd with an unknown option exits 2" "
		test_expect_code 2 \"\$BT\" $cmd --no-such-option 2>err &&
		test_grep usage err
	"
done

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

test_done

#!/bin/sh
# t5900-deb: the toolkit's own Debian package.  "make deb" builds it from a
# copy of the tree; lintian finds no error in the .deb; unpacked into a
# scratch root, the binary runs and the man page and bash completion are
# where Debian tools look for them.  The package build's own unit tests are
# skipped here (DEB_BUILD_OPTIONS=nocheck): this suite runs them anyway, and
# the whole script stays well under two minutes.
. "$(dirname "$0")/test-lib.sh"

command -v dpkg-buildpackage >/dev/null 2>&1 ||
	skip_all "dpkg-buildpackage missing: run tests/install-deps.sh"
command -v dh >/dev/null 2>&1 ||
	skip_all "debhelper missing: run tests/install-deps.sh"
git -C "$SRCDIR" rev-parse --is-inside-work-tree >/dev/null 2>&1 ||
	skip_all "not a git checkout: make deb copies the files git knows"

VERSION=$(sed -n '1s/.*(\(.*\)).*/\1/p' "$SRCDIR/debian/changelog")
DEB="$TRASH/deb/backport-tool_${VERSION}_$(dpkg --print-architecture).deb"

test_expect_success 'make deb builds the package under its build directory' '
	DEB_BUILD_OPTIONS=nocheck make -C "$SRCDIR" --no-print-directory \
		BUILD="$BUILD" DEB_BUILD="$TRASH/deb" deb >build.log 2>&1 ||
		{ tail -40 build.log; exit 1; } &&
	test -f "$DEB" &&
	! ls "$SRCDIR"/../backport-tool_* 2>/dev/null
'

test_expect_success 'the package depends on quilt and dpkg-dev and the libraries' '
	dpkg-deb -f "$DEB" Depends >depends &&
	test_grep "quilt" depends &&
	test_grep "dpkg-dev" depends &&
	test_grep "libgit2" depends &&
	test_grep "libjansson" depends &&
	test "$(dpkg-deb -f "$DEB" Version)" = "$VERSION"
'

if command -v lintian >/dev/null 2>&1; then
test_expect_success 'lintian finds no error in the .deb' '
	lintian --tag-display-limit 0 "$DEB" >lintian.out 2>&1 || true &&
	cat lintian.out &&
	! grep "^E: " lintian.out
'
else
	say "lintian missing: not judged (tests/install-deps.sh installs it)"
fi

test_expect_success 'unpacked into a scratch root, backport-tool --version runs' '
	dpkg -x "$DEB" root &&
	root/usr/bin/backport-tool --version >out &&
	test "$(cat out)" = "backport-tool $VERSION" &&
	root/usr/bin/backport-tool --help >out &&
	test_grep "^  report " out
'

test_expect_success 'the man page and the bash completion are installed' '
	test -f root/usr/share/man/man1/backport-tool.1.gz &&
	zcat root/usr/share/man/man1/backport-tool.1.gz | grep -q "^\.SS report" &&
	test -f root/usr/share/bash-completion/completions/backport-tool &&
	test -f root/usr/share/doc/backport-tool/copyright
'

test_done

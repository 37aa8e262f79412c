#!/bin/sh
# t8200-libxml2-lint-report: lint and report, end to end, on a non-QEMU
# Debian package: libxml2 as bookworm ships it (2.9.14+dfsg-1.3~deb12u4,
# fetched at test time by tests/lib/debsrc.sh) and upstream fixes from
# its history ($LIBXML2_GIT; those tests skip, saying so, without it).
# README.md shows the same run, shortened.
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib/debsrc.sh"

debsrc_available || skip_all "Debian archive unreachable"

VERSION=2.9.14+dfsg-1.3~deb12u4

test_expect_success 'fetch libxml2 as bookworm ships it' '
	debsrc_unpacked libxml2 "$VERSION" >orig &&
	tree_copy "$(cat orig)" bookworm >/dev/null &&
	test -f bookworm/debian/control
'

test_expect_success 'lint on the package own series: generic rules, in its binary packages' '
	"$BT" lint --tree bookworm --series bookworm/debian/patches/series >lint.out &&
	test_grep "^# rules: generic (the tree does not look like QEMU)$" lint.out &&
	test_grep "^install-html.patch:[0-9]*: info: scope: touches documentation only" lint.out &&
	test_grep "^CVE-2024-34459.patch:[0-9]*: info: scope: reaches only libxml2-utils of the 5 binary packages" lint.out &&
	test_grep "^CVE-2024-25062.patch:[0-9]*: info: scope: reaches only libxml2 of the 5 binary packages" lint.out &&
	test_grep "^python3-unicode-errors.patch:[0-9]*: info: scope: reaches only python3-libxml2 " lint.out &&
	test_grep "^CVE-2025-7425.patch:[0-9]*: warning: api: include/libxml/tree.h: adds the macro " lint.out &&
	! grep -e "subject-wip-marker" -e "vmstate" -e "every architecture" lint.out
'

if test -z "$LIBXML2_GIT" || ! git -C "$LIBXML2_GIT" rev-parse -q --verify 3ad7f81624^{commit} >/dev/null 2>&1; then
	say "LIBXML2_GIT not set (or without the CVE-2024-34459 fix): skipping the upstream report"
	test_done
	exit $?
fi

test_expect_success 'report on two upstream CVE fixes and a test-only commit' '
	"$BT" report --git "$LIBXML2_GIT" --tree bookworm=bookworm \
		3ad7f81624 1a66b17605 046f99c543 >report.md &&
	test_grep "^| 2 | \[CVE-2024-25062\] xmlreader: .* | minor noise |$" report.md &&
	test_grep "^ \* Fixes CVE-2021-3541, CVE-2024-25062, CVE-2024-34459 " report.md &&
	test_grep "^- upstream commit: .3ad7f81624572ebd5b9e6058c9f67d38207c10e2.$" report.md &&
	test_grep "^- lint info (scope), .046f99c543:[0-9]*.: touches tests only" report.md &&
	test_grep "^ \* Patch 3 reaches only libxml2-utils of the 5 binary packages built from this source\.$" report.md &&
	test_grep "^ \* Patch 2 reaches only libxml2 of the 5 " report.md &&
	test_grep "^ \* The series changes shipped code (xmlreader.c, xmllint.c)\.$" report.md &&
	! grep "every architecture" report.md
'

test_done

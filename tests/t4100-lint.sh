#!/bin/sh
# t4100-lint: "backport-tool lint" on the fixture patches of
# tests/fixtures/lint (one per finding, and a clean one): the
# FILE:LINE: severity: kind: message [tag] lines, --strict's exit status,
# the JSON form, --series, and bad input.
. "$(dirname "$0")/test-lib.sh"

FIX="$SRCDIR/tests/fixtures/lint"

# The findings of lint's text output: its lines but the "# rules:" one.
findings() {
	grep -v "^# rules: " "$1"
}

test_expect_success 'lint --help prints its usage and exits 0' '
	"$BT" lint --help >out &&
	test_grep "usage: backport-tool lint" out &&
	test_grep "[-]-strict" out
'

test_expect_success 'lint with an unknown option or format exits 2' '
	test_expect_code 2 "$BT" lint --no-such-option 2>err &&
	test_grep "^backport-tool: lint: unknown option .--no-such-option.; see .backport-tool lint --help.$" err &&
	test_expect_code 2 "$BT" lint --format yaml "$FIX/clean.patch" 2>err &&
	test_grep "unknown format .yaml." err
'

test_expect_success 'a missing patch file is an input error naming it' '
	test_expect_code 2 "$BT" lint no-such.patch 2>err &&
	test_grep "no-such.patch" err
'

test_expect_success 'a clean patch gives no findings and exits 0, even with --strict' '
	"$BT" lint --strict "$FIX/clean.patch" >out &&
	test_grep "^# rules: generic (no patch touches QEMU.s directories)$" out &&
	test $(wc -l <out) -eq 1
'

test_expect_success 'each fixture gives its finding at its patch line' '
	(cd "$FIX" && test_expect_code 1 "$BT" lint *.patch) >out &&
	test_grep "^vmstate-field.patch:22: warning: migration: hw/misc/widget.c: .*\[vmstate-field-added\]$" out &&
	test_grep "^vmstate-description.patch:21: warning: migration: .*\[vmstate-description-added\]$" out &&
	test_grep "^vmstate-version.patch:12: warning: migration: .*\[vmstate-version-changed\]$" out &&
	test_grep "^machine-compat.patch:11: warning: migration: hw/core/machine.c: .*\[machine-compat-changed\]$" out &&
	test_grep "^subject-wip.patch:4: error: debug: .*WIP.*\[subject-wip-marker\]$" out &&
	test_grep "^capability-overridden.patch:11: error: debug: .*has_fast.*\[capability-overridden\]$" out &&
	test_grep "^code-disabled.patch:11: warning: debug: .*\[code-disabled\]$" out &&
	test_grep "^debug-output.patch:25: warning: debug: .*\[debug-output\]$" out &&
	test_grep "^scope-s390x.patch:11: info: scope: .*limited to s390x \[scope-single-arch\]$" out &&
	test_grep "^interface-headers.patch:5: warning: interface: linux-headers/linux/widget.h: " out &&
	test_grep "^interface-headers-sync.patch:5: warning: interface: .*changes 2 files" out &&
	test_grep "^interface-qapi.patch:5: warning: interface: qapi/misc.json: " out &&
	test_grep "^interface-options.patch:5: warning: interface: qemu-options.hx: " out &&
	! grep "^clean.patch" out &&
	test_grep "^# rules: generic, qemu (a patch touches " out &&
	test $(findings out | wc -l) -eq 13
'

test_expect_success 'warnings do not fail lint; --strict fails on warnings and errors only' '
	"$BT" lint "$FIX/vmstate-field.patch" >out &&
	test -s out &&
	"$BT" lint "$FIX/code-disabled.patch" "$FIX/scope-s390x.patch" >out &&
	test_grep ": warning: " out &&
	test_expect_code 1 "$BT" lint --strict "$FIX/vmstate-field.patch" >out &&
	test_expect_code 1 "$BT" lint --strict "$FIX/subject-wip.patch" >out &&
	"$BT" lint --strict "$FIX/scope-s390x.patch" >out &&
	test_grep "\[scope-single-arch\]" out
'

test_expect_success 'an error-level finding fails lint, as a conflict fails check' '
	test_expect_code 1 "$BT" lint "$FIX/subject-wip.patch" >out &&
	test_grep ": error: debug: .*\[subject-wip-marker\]$" out &&
	test_expect_code 1 "$BT" lint "$FIX/clean.patch" "$FIX/capability-overridden.patch" >out &&
	test_grep "^.*capability-overridden.patch:11: error: " out &&
	test_expect_code 1 "$BT" lint --format json "$FIX/subject-wip.patch" >out.json &&
	grep -q "\"error\": 1" out.json
'

test_expect_success 'lint --series reads a quilt series and reports the same' '
	mkdir -p q &&
	cp "$FIX/debug-output.patch" "$FIX/clean.patch" "$FIX/interface-qapi.patch" q/ &&
	printf "# a comment\ndebug-output.patch\nclean.patch\ninterface-qapi.patch\n" >q/series &&
	"$BT" lint --series q/series >series.out &&
	test $(findings series.out | wc -l) -eq 2 &&
	grep -q "debug-output.patch:25: warning: debug: " series.out &&
	grep -q "interface-qapi.patch:5: warning: interface: " series.out
'

# mkpatch FILE SUBJECT PATH [new]: a git patch of PATH whose hunk is read
# from stdin (lines starting with " ", "-" or "+"); "new" creates PATH.
mkpatch() {
	cat >hunk.tmp &&
	old=$(grep -c "^[ -]" hunk.tmp || :) && new=$(grep -c "^[ +]" hunk.tmp || :)
	{
		printf "From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001\n"
		printf "From: A U Thor <a@example.org>\nSubject: [PATCH] %s\n\n" "$2"
		printf "Why.\n---\ndiff --git a/%s b/%s\n" "$3" "$3"
		if test "$4" = new; then
			printf "new file mode 100644\n--- /dev/null\n+++ b/%s\n@@ -0,0 +1,%s @@\n" "$3" "$new"
		else
			printf -- "--- a/%s\n+++ b/%s\n@@ -1,%s +1,%s @@\n" "$3" "$3" "$old" "$new"
		fi
		cat hunk.tmp
	} >"$1"
}

test_expect_success '--rules forces a set; an unknown one is a usage error' '
	"$BT" lint --rules qemu "$FIX/clean.patch" >out &&
	test_grep "^# rules: generic, qemu (--rules qemu)$" out &&
	"$BT" lint --rules generic "$FIX/vmstate-field.patch" >out &&
	test_grep "^# rules: generic (--rules generic)$" out &&
	! grep vmstate-field-added out &&
	test_expect_code 2 "$BT" lint --rules qemu2 "$FIX/clean.patch" 2>err &&
	test_grep "^backport-tool: lint: unknown rule set .qemu2." err
'

test_expect_success 'with --tree, qemu runs when the tree has hw/ and qapi/, linux-headers/ or target/' '
	mkdir -p qemu/hw qemu/qapi qemu/linux-headers other/hw &&
	"$BT" lint --tree qemu "$FIX/clean.patch" >out &&
	test_grep "^# rules: generic, qemu (the tree has hw/, qapi/, linux-headers/)$" out &&
	"$BT" lint --tree other "$FIX/vmstate-field.patch" >out &&
	test_grep "^# rules: generic (the tree does not look like QEMU)$" out &&
	! grep vmstate-field-added out
'

test_expect_success 'generic: configure checks, dependencies and sources added to the build' '
	mkpatch conf.patch "check for getrandom" configure.ac <<-\EOF &&
	 AC_INIT([foo], [1.0])
	+AC_CHECK_FUNCS([getrandom])
	+PKG_CHECK_MODULES([ZLIB], [zlib])
	 AC_OUTPUT
	EOF
	mkpatch am.patch "build the parser" lib/Makefile.am <<-\EOF &&
	 libfoo_la_SOURCES = a.c \
	+	parse.c \
	 	b.c
	EOF
	mkpatch cmake.patch "use openssl" CMakeLists.txt <<-\EOF &&
	 project(foo C)
	+find_package(OpenSSL REQUIRED)
	EOF
	mkpatch newsrc.patch "add a parser" lib/parse.c new <<-\EOF &&
	+int parse(void) { return 0; }
	EOF
	"$BT" lint conf.patch am.patch cmake.patch newsrc.patch >out &&
	test_grep "^conf.patch:12: warning: build: configure.ac: adds a configure check (.AC_CHECK_FUNCS(\[getrandom\]).): .*\[build-configure-check\]$" out &&
	test_grep "^conf.patch:13: warning: build: configure.ac: adds a dependency .*Build-Depends.*\[build-dependency-added\]$" out &&
	test_grep "^am.patch:12: warning: build: lib/Makefile.am: adds parse.c to the build.*\[build-source-added\]$" out &&
	test_grep "^cmake.patch:12: warning: build: CMakeLists.txt: adds a dependency (.find_package(OpenSSL REQUIRED).): .*\[build-dependency-added\]$" out &&
	test_grep "^newsrc.patch:7: warning: build: lib/parse.c: adds a new source file.*\[build-new-source\]$" out &&
	test $(findings out | wc -l) -eq 5
'

test_expect_success 'generic: a comment or a reordered list in a build file is not a finding' '
	mkpatch dnl.patch "explain the check" configure.ac <<-\EOF &&
	 AC_INIT([foo], [1.0])
	+dnl AC_CHECK_FUNCS is below
	+# PKG_CHECK_MODULES too
	 AC_OUTPUT
	EOF
	mkpatch reorder.patch "sort the sources" lib/Makefile.am <<-\EOF &&
	 libfoo_la_SOURCES = a.c \
	-	parse.c \
	 	b.c \
	+	parse.c \
	 	c.c
	EOF
	mkpatch edit.patch "fix parse" lib/parse.c <<-\EOF &&
	 int parse(void)
	-{ return 0; }
	+{ return 1; }
	EOF
	"$BT" lint dnl.patch reorder.patch edit.patch >out &&
	test $(findings out | wc -l) -eq 0
'

test_expect_success 'generic: symbols removed, added or changed in a public header' '
	mkpatch api.patch "rework the api" include/foo.h <<-\EOF &&
	 #include <stddef.h>
	-int foo_old(int x);
	-int foo_size(int x);
	+int foo_size(size_t x);
	+int foo_new(void);
	+#define FOO_NEW_FLAG 4
	EOF
	"$BT" lint api.patch >out &&
	test_grep "^api.patch:12: warning: api: include/foo.h: removes .foo_old. from a public header.*\[api-symbol-removed\]$" out &&
	test_grep "^api.patch:14: warning: api: include/foo.h: changes the declaration of .foo_size.*\[api-symbol-changed\]$" out &&
	test_grep "^api.patch:15: warning: api: include/foo.h: adds .foo_new. to a public header.*\[api-symbol-added\]$" out &&
	test_grep "^api.patch:16: warning: api: .*FOO_NEW_FLAG.*\[api-symbol-added\]$" out &&
	test $(findings out | wc -l) -eq 4
'

test_expect_success 'generic: a private header, a comment or an unchanged prototype is no API change' '
	mkpatch priv.patch "rework internals" lib/internal.h <<-\EOF &&
	-int foo_helper(int x);
	+int foo_helper(long x);
	EOF
	mkpatch comment.patch "document foo_size" include/foo.h <<-\EOF &&
	+/* foo_size() returns the size */
	 int foo_size(size_t x);
	EOF
	"$BT" lint priv.patch comment.patch >out &&
	test $(findings out | wc -l) -eq 0
'

test_expect_success 'generic: a change to a symbols file, not to its comments' '
	mkpatch sym.patch "export foo_new" debian/libfoo1.symbols <<-\EOF &&
	 libfoo.so.1 libfoo1 #MINVER#
	  foo_size@Base 1.0
	+ foo_new@Base 1.1
	EOF
	mkpatch symc.patch "explain" debian/libfoo1.symbols <<-\EOF &&
	 libfoo.so.1 libfoo1 #MINVER#
	+# foo_new is private
	EOF
	"$BT" lint sym.patch symc.patch >out &&
	test_grep "^sym.patch:7: warning: api: debian/libfoo1.symbols: changes the exported symbols (1 line added, 0 removed).*\[symbols-file-changed\]$" out &&
	test $(findings out | wc -l) -eq 1
'

test_expect_success 'generic: tests-only and docs-only patches are marked low risk, others not' '
	mkpatch t.patch "add a test" tests/test_parse.c <<-\EOF &&
	-int x;
	+int y;
	EOF
	mkpatch d.patch "document it" doc/foo.md <<-\EOF &&
	-old
	+new
	EOF
	mkpatch code.patch "fix it" lib/parse.c <<-\EOF &&
	-int x;
	+int y;
	EOF
	"$BT" lint t.patch d.patch code.patch >out &&
	test_grep "^t.patch:7: info: scope: touches tests only: low risk, no shipped code changes \[scope-tests-only\]$" out &&
	test_grep "^d.patch:7: info: scope: touches documentation only: low risk.*\[scope-docs-only\]$" out &&
	! grep "^code.patch" out
'

test_expect_success 'generic: debug markers, not words of the topic' '
	mkpatch sym-dbg.patch "keep debug symbols in libfoo1-dbg" lib/parse.c <<-\EOF &&
	-int x;
	+int y;
	EOF
	mkpatch rfc7230.patch "follow RFC 7230 for headers" lib/parse.c <<-\EOF &&
	-int x;
	+int y;
	EOF
	mkpatch marker.patch "debug: trace the parser" lib/parse.c <<-\EOF &&
	-int x;
	+int y;
	EOF
	mkpatch rfc.patch "RFC: a new parser" lib/parse.c <<-\EOF &&
	-int x;
	+int y;
	EOF
	mkpatch out.patch "fix parse" lib/parse.c <<-\EOF &&
	 int parse(int n) {
	+	printf("DEBUG: n=%d\n", n);
	+	printf("usage: foo FILE\n");
	+	fprintf(stderr, "foo: cannot read\n");
	EOF
	"$BT" lint sym-dbg.patch rfc7230.patch marker.patch rfc.patch out.patch >out &&
	! grep "^sym-dbg.patch" out &&
	! grep "^rfc7230.patch" out &&
	test_grep "^marker.patch:3: warning: debug: subject marks it .debug.*\[subject-wip-marker\]$" out &&
	test_grep "^rfc.patch:3: warning: debug: subject marks it .RFC.*\[subject-wip-marker\]$" out &&
	test_grep "^out.patch:12: warning: debug: lib/parse.c: adds output marked as debugging.*\[debug-output\]$" out &&
	test $(findings out | wc -l) -eq 3
'

test_expect_success 'generic: the binary packages a patch reaches, from debian/control and *.install' '
	mkdir -p pkg/debian &&
	printf "Source: foo\n\nPackage: libfoo1\n\nPackage: libfoo-dev\n\nPackage: foo-utils\n\nPackage: libfoo1-gnutls\n" >pkg/debian/control &&
	echo "usr/lib/*/libfoo.so.*" >pkg/debian/libfoo1.install &&
	printf "usr/include\nusr/lib/*/libfoo.so\n" >pkg/debian/libfoo-dev.install &&
	echo "usr/bin/foocat" >pkg/debian/foo-utils.install &&
	echo "usr/lib/*/libfoo-gnutls.so.*" >pkg/debian/libfoo1-gnutls.install &&
	mkpatch tls.patch "fix the gnutls backend" lib/vtls/gnutls.c <<-\EOF &&
	-int x;
	+int y;
	EOF
	mkpatch cat.patch "fix foocat" src/foocat/main.c <<-\EOF &&
	-int x;
	+int y;
	EOF
	mkpatch misc.patch "fix misc" misc/other.c <<-\EOF &&
	-int x;
	+int y;
	EOF
	mkpatch test.patch "fix a test" tests/test_parse.c <<-\EOF &&
	-int x;
	+int y;
	EOF
	"$BT" lint --tree pkg tls.patch cat.patch misc.patch test.patch >out &&
	test_grep "^tls.patch:7: info: scope: reaches only libfoo1-gnutls of the 4 binary packages built from this source \[scope-binary-packages\]$" out &&
	test_grep "^cat.patch:7: info: scope: reaches only foo-utils of the 4 " out &&
	test_grep "^misc.patch:7: info: scope: could reach all 4 binary packages built from this source (libfoo1, libfoo-dev, foo-utils, libfoo1-gnutls): neither debian/\*.install nor the build layout places misc/other.c in fewer \[scope-binary-packages\]$" out &&
	test_grep "^test.patch:7: info: scope: touches tests only" out &&
	! grep "^test.patch.*scope-binary-packages" out
'

test_expect_success 'generic: a symlinked *.install is not followed, a symlinked control refused' '
	mkdir -p sl/debian &&
	printf "Source: foo\n\nPackage: libfoo1\n\nPackage: foo-utils\n" >sl/debian/control &&
	ln -s ../../pkg/debian/foo-utils.install sl/debian/foo-utils.install &&
	mkpatch cat2.patch "fix foocat" src/foocat/main.c <<-\EOF &&
	-int x;
	+int y;
	EOF
	"$BT" lint --tree sl cat2.patch >out &&
	test_grep "could reach all 2 binary packages .* places src/foocat/main.c in fewer" out &&
	mv sl/debian/control sl/debian/control.real &&
	ln -s control.real sl/debian/control &&
	test_expect_code 2 "$BT" lint --tree sl cat2.patch 2>err &&
	test_grep "^backport-tool: sl/debian/control: a symlink, not read$" err
'

test_expect_success 'generic: a bad debian/control is an input error naming its line' '
	mkdir -p bad/debian &&
	printf "Source: foo\n bad continuation\n" >bad/debian/control.in &&
	printf " Package: x\n" >bad/debian/control &&
	test_expect_code 2 "$BT" lint --tree bad "$FIX/clean.patch" 2>err &&
	test_grep "bad/debian/control:1: " err
'

if command -v jq >/dev/null 2>&1; then
test_expect_success 'lint --format json carries every finding with its place' '
	(cd "$FIX" && test_expect_code 1 "$BT" lint --format json *.patch) >out.json &&
	(cd "$FIX" && test_expect_code 1 "$BT" lint *.patch) >out.txt &&
	test "$(jq ".version" out.json)" = 1 &&
	test "$(jq "[.patches[].findings[]] | length" out.json)" = "$(findings out.txt | wc -l)" &&
	test "$(jq -r ".rules.sets | join(\",\")" out.json)" = generic,qemu &&
	test "$(jq -r ".patches[] | select(.name == \"clean.patch\") | .findings | length" out.json)" = 0 &&
	jq -r ".patches[].findings[] | \"\(.file):\(.line): \(.severity): \(.kind): [\(.tag)]\"" out.json | sort >json.lines &&
	findings out.txt | awk -F": " "{ t = \$NF; sub(/.*\[/, \"[\", t); print \$1 \": \" \$2 \": \" \$3 \": \" t }" | sort >text.lines &&
	test_cmp text.lines json.lines &&
	test "$(jq ".summary.error" out.json)" = 2 &&
	test "$(jq ".summary.info" out.json)" = 1 &&
	test "$(jq ".summary.warning" out.json)" = 10
'
fi

test_done

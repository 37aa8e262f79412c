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
	test_grep usage err &&
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

#!/bin/sh
# t4200-report: "backport-tool report" on the fixture series of
# tests/fixtures/report (two targets, four carried patches, their upstream
# versions): the Markdown matches the reviewed snapshot expected.md, is
# stable from run to run, and the JSON carries the same facts.
. "$(dirname "$0")/test-lib.sh"

cp -R "$SRCDIR/tests/fixtures/report" fx && cd fx || exit 1
report() {
	"$BT" report --tree stable=stable --tree devel=devel \
		--series series/series --upstream upstream.mbox "$@"
}

test_expect_success 'report --help prints its usage and exits 0' '
	"$BT" report --help >out &&
	test_grep "usage: backport-tool report" out &&
	test_grep "[-]-upstream FILE" out
'

test_expect_success 'bad usage and bad input exit 2 with one line' '
	test_expect_code 2 "$BT" report --format html series/series 2>err &&
	test_grep "unknown format .html." err &&
	test_expect_code 2 "$BT" report --series no/such/series 2>err &&
	test_grep "no/such/series" err &&
	test_expect_code 2 "$BT" report --tree x=no-such-dir --series series/series 2>err &&
	test_grep "no-such-dir" err &&
	test_expect_code 2 report --upstream missing.mbox 2>err &&
	test_grep "missing.mbox" err
'

test_expect_success 'the Markdown report matches the reviewed snapshot' '
	report >report.md &&
	test_cmp expected.md report.md
'

test_expect_success 'the report is the same on every run and does not depend on the cwd' '
	report >one.md && report >two.md && test_cmp one.md two.md &&
	! grep -e "$SRCDIR" -e "$TRASH" one.md
'

test_expect_success 'a conflict does not fail the report' '
	report >/dev/null
'

test_expect_success 'the SRU template has its four sections and TODOs only where it cannot know' '
	report >report.md &&
	for s in "Impact" "Test Plan" "Where problems could occur" "Other Info"; do
		test_grep "^\[ $s \]$" report.md || return 1
	done &&
	sed -n "/^\[ Impact \]/,/^\[ Test Plan \]/p" report.md >impact &&
	test_grep "^ \* TODO: describe the bug" impact &&
	sed -n "/^\[ Test Plan \]/,/^\[ Where/p" report.md >plan &&
	test_grep "^ \* TODO: run them on s390x" plan &&
	test_grep "^ \* TODO: live-migrate" plan &&
	sed -n "/^\[ Where/,/^\[ Other/p" report.md >where &&
	test_grep "regression risk is limited to s390x" where &&
	test_grep "Patch 3, migration risk" where &&
	test_grep "Patch 4 does not apply to stable" where &&
	sed -n "/^\[ Other Info \]/,\$p" report.md >other &&
	test_grep "Patch 3 changed from upstream: hw/s390x/css.c: other context" other &&
	test_grep "Patch 5 changed from upstream: unknown" other &&
	test_grep "Patch 5 is already in stable: drop it there" other &&
	! grep "TODO" other
'

test_expect_success 'without --upstream, what changed from upstream is unknown, not claimed' '
	"$BT" report --tree stable=stable --series series/series >noup.md &&
	test_grep "Patch 3 changed from upstream: unknown" noup.md &&
	! grep "same as upstream" noup.md
'

test_expect_success 'without --tree there is no verdict matrix, and it says so' '
	"$BT" report --series series/series >notree.md &&
	test_grep "No target tree was given" notree.md &&
	! grep "^## Verdicts" notree.md &&
	test_grep "^\[ Impact \]" notree.md
'

if command -v git >/dev/null 2>&1; then
test_expect_success 'with --git, the commits are their own upstream versions' '
	rm -rf repo && cp -R devel repo &&
	git -C repo init -q &&
	git -C repo add . &&
	git -C repo -c user.name=T -c user.email=t@example.org commit -q -m base &&
	git -C repo -c user.name=T -c user.email=t@example.org am -q ../upstream.mbox &&
	"$BT" report --git repo --tree base=git:HEAD~4 HEAD~4..HEAD >git.md &&
	test_grep "^| 4 | s390x/ioinst: refresh the schib region on STSCH | OK |$" git.md &&
	test $(grep -c "changed from upstream: same as upstream\.$" git.md) -eq 4 &&
	! grep "unknown" git.md
'
fi

if command -v jq >/dev/null 2>&1; then
test_expect_success 'JSON: the same verdict matrix as the Markdown table' '
	report >report.md &&
	report --format json >report.json &&
	test "$(jq -r ".targets | join(\",\")" report.json)" = stable,devel &&
	sed -n "s/^| [0-9]* | .* | \(.*\) | \(.*\) |$/\1,\2/p" report.md >md.verdicts &&
	jq -r ".patches[] | [.results[].word] | join(\",\")" report.json >json.verdicts &&
	test_cmp md.verdicts json.verdicts &&
	test "$(jq ".summary.stable.conflict" report.json)" = 1 &&
	test "$(jq ".summary.devel.fuzz" report.json)" = 1
'

test_expect_success 'JSON: the same reasons, findings and interdiffs as the Markdown notes' '
	report >report.md &&
	report --format json >report.json &&
	sed -n "s/^- \(stable\|devel\): \*\*[^*]*\*\*: //p" report.md >md.reasons &&
	jq -r ".patches[].results[] | select(.reason != null) | .reason" report.json >json.reasons &&
	test_cmp md.reasons json.reasons &&
	sed -n "s/^- lint \([a-z]*\) (\([a-z]*\)), .\([^\`]*\).: .*\[\(.*\)\]$/\1 \2 \3 \4/p" report.md >md.findings &&
	jq -r "(.scope.arch) as \$a | .patches[].findings[] | select(\$a == null or .tag != \"scope-single-arch\") | \"\(.severity) \(.kind) \(.file):\(.line) \(.tag)\"" report.json >json.findings &&
	test_cmp md.findings json.findings &&
	test "$(jq -r .scope.arch report.json)" = s390x &&
	sed -n "s/^- changed from upstream (.*): //p" report.md >md.interdiff &&
	jq -r ".patches[] | select(.interdiff != null) | .interdiff.summary" report.json >json.interdiff &&
	test "$(jq "[.patches[] | select(.interdiff == null)] | length" report.json)" = 1 &&
	test_cmp md.interdiff json.interdiff &&
	test "$(jq -r ".patches[2].interdiff.files[0].change" report.json)" = context
'

test_expect_success 'JSON: the same SRU template items' '
	report >report.md &&
	report --format json >report.json &&
	sed -n "/^## SRU template/,\$s/^ \* //p" report.md >md.sru &&
	jq -r ".sru | .impact[], .test_plan[], .where_problems_could_occur[], .other_info[]" report.json >json.sru &&
	test_cmp md.sru json.sru
'
fi

test_done

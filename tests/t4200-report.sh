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

if command -v git >/dev/null 2>&1; then
# A small autotools-like library with a Debian directory, and its history:
# A (CVE fix) changes a line, B's context is the line A adds, T changes
# only a test.  Target "old" is base with A's line changed otherwise, so
# A conflicts there and B, after A is left out, too.
GIT="git -c user.name=T -c user.email=t@example.org"
test_expect_success 'setup: a non-QEMU library, its history and targets' '
	mkdir proj && cd proj && git init -q &&
	mkdir lib tests debian &&
	printf "int parse(const char *s)\n{\n\tint n = 0;\n\t/* the limit */\n\tint max = 10;\n\tif (n > max)\n\t\treturn -1;\n\treturn n;\n}\n" >lib/parse.c &&
	printf "int main(void)\n{\n\treturn parse(\"a\");\n}\n" >tests/test_parse.c &&
	printf "Source: foo\n\nPackage: libfoo1\n\nPackage: foo-utils\n" >debian/control &&
	echo "usr/lib/*/libfoo.so.*" >debian/libfoo1.install &&
	echo "usr/bin/foocat" >debian/foo-utils.install &&
	git add . && $GIT commit -q -m base && git tag base &&
	sed -i "s/max = 10/max = 64/" lib/parse.c &&
	$GIT commit -q -am "parse: raise the limit" -m "Fixes CVE-2023-11111 (an overflow)." &&
	sed -i "s/n > max/n >= max/" lib/parse.c &&
	$GIT commit -q -am "parse: stop at the limit" &&
	sed -i "s/parse(\"a\")/parse(\"ab\")/" tests/test_parse.c &&
	$GIT commit -q -am "tests: a longer name" &&
	git format-patch -q -o ../mails base..HEAD &&
	cd .. &&
	mkdir old && git -C proj archive base | tar -x -C old &&
	sed -i "s/max = 10/max = 8/" old/lib/parse.c &&
	mkdir new && git -C proj archive base | tar -x -C new
'

test_expect_success 'CVE ids from the message and the patch name, in [Impact] and per patch' '
	cp mails/0001-parse-raise-the-limit.patch CVE-2024-22222.patch &&
	"$BT" report --tree new=new CVE-2024-22222.patch >cve.md &&
	test_grep "^ \* Fixes CVE-2023-11111, CVE-2024-22222 (from the commit messages, DEP-3 fields and patch names)\.$" cve.md &&
	test_grep "^- CVE: CVE-2023-11111, CVE-2024-22222$" cve.md &&
	test_grep "^ \* Patch 1: parse: raise the limit (cited commit [0-9a-f]\{12\}, not checked; CVE-2023-11111, CVE-2024-22222)\.$" cve.md &&
	"$BT" report --tree new=new mails/0002-parse-stop-at-the-limit.patch >nocve.md &&
	! grep CVE nocve.md
'

test_expect_success 'a DEP-3 Bug field gives its CVE id too' '
	{ printf "Description: raise the limit\nBug: https://security-tracker.debian.org/tracker/CVE-2023-33333\n---\n" &&
	  sed -n "/^diff --git/,\$p" mails/0001-parse-raise-the-limit.patch; } >dep3.patch &&
	"$BT" report --tree new=new dep3.patch >dep3.md &&
	test_grep "^- CVE: CVE-2023-33333$" dep3.md
'

test_expect_success 'scope in the package terms: binary packages, no architecture for common code' '
	"$BT" report --tree new=new mails/0001-parse-raise-the-limit.patch >scope.md &&
	test_grep "^ \* The series changes shipped code (lib/parse.c)\.$" scope.md &&
	test_grep "^ \* Patch 1 reaches only libfoo1 of the 2 binary packages built from this source\.$" scope.md &&
	test_grep "^ \* Lint rules: generic (the tree does not look like QEMU)\.$" scope.md &&
	! grep "every architecture" scope.md &&
	"$BT" report --tree new=new mails/0003-tests-a-longer-name.patch >tests.md &&
	test_grep "^ \* The series touches tests and documentation only: low risk, no shipped code changes\.$" tests.md &&
	! grep "every architecture" tests.md &&
	! grep "reaches" tests.md
'

test_expect_success 'the QEMU wording stays for QEMU: common code could reach every architecture' '
	"$BT" report --rules qemu --tree new=new mails/0001-parse-raise-the-limit.patch >q.md &&
	test_grep "a regression could reach every architecture" q.md &&
	test_grep "^ \* Lint rules: generic, qemu (--rules qemu)\.$" q.md
'

test_expect_success 'a cited commit is an upstream commit only when --git has it' '
	"$BT" report --tree new=new mails/0001-parse-raise-the-limit.patch >cited.md &&
	test_grep "^- cited commit: .[0-9a-f]\{40\}. (not checked)$" cited.md &&
	sed "1s/^From [0-9a-f]*/From 0123456789abcdef0123456789abcdef01234567/" mails/0001-parse-raise-the-limit.patch >fake.patch &&
	"$BT" report --git proj --tree new=new fake.patch >fake.md &&
	test_grep "^- cited commit: .0123456789abcdef0123456789abcdef01234567. (not in --git.s history)$" fake.md &&
	! grep "upstream commit" fake.md &&
	"$BT" report --git proj --tree new=new mails/0001-parse-raise-the-limit.patch >real.md &&
	test_grep "^- upstream commit: .$(git -C proj rev-parse base~0 >/dev/null && git -C proj rev-parse HEAD~2).$" real.md
'

test_expect_success 'DEP-3 Origin URLs (github, cgit, gitweb) are resolved with --git' '
	sha=$(git -C proj rev-parse HEAD~2) &&
	for url in "https://github.com/foo/foo/commit/$sha" \
		   "https://git.example.org/foo.git/commit/?id=$sha" \
		   "https://example.org/?p=foo.git;a=commit;h=$sha"; do
		{ printf "Description: raise the limit\nOrigin: upstream, %s\n---\n" "$url" &&
		  sed -n "/^diff --git/,\$p" mails/0001-parse-raise-the-limit.patch; } >origin.patch &&
		"$BT" report --git proj --tree new=new origin.patch >origin.md &&
		test_grep "^- upstream commit: .$sha.$" origin.md || return 1
	done
'

test_expect_success 'a cumulative conflict names the left-out patch whose lines it needs' '
	"$BT" report --tree old=old mails/0001-parse-raise-the-limit.patch mails/0002-parse-stop-at-the-limit.patch >left.md &&
	test_grep "^- old: \*\*conflict\*\*: .*; depends on left-out mails/0001-parse-raise-the-limit.patch$" left.md &&
	test $(grep -c "depends on left-out" left.md) -eq 2 &&
	"$BT" report --independent --tree old=old mails/0001-parse-raise-the-limit.patch mails/0002-parse-stop-at-the-limit.patch >indep.md &&
	! grep "depends on left-out" indep.md
'

test_expect_success 'a commit that conflicts is not "same as upstream"' '
	"$BT" report --git proj --tree old=old base..HEAD~2 >conf.md &&
	test_grep "^- changed from upstream (.*): unknown (it does not apply to old: the backport will differ)$" conf.md &&
	test_grep "^ \* Patch 1 changed from upstream: unknown (it does not apply to old: the backport will differ)\.$" conf.md &&
	! grep "same as upstream" conf.md &&
	"$BT" report --git proj --tree new=new base..HEAD~2 >same.md &&
	test_grep "changed from upstream: same as upstream\.$" same.md
'

test_expect_success 'a conflict the plan verified is not "needs a manual backport"' '
	"$BT" report --plan --git proj --tree base=git:base HEAD~2..HEAD~1 >plan.md &&
	test_grep "verified" plan.md &&
	test_grep "^ \* Patch 1 does not apply to base alone (.*): it applies after the prerequisites of the plan (verified, see Prerequisites)\.$" plan.md &&
	! grep "needs a manual backport" plan.md &&
	test_grep "^- changed from upstream (.*): same as upstream$" plan.md
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

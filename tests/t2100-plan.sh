#!/bin/sh
# t2100-plan: "backport-tool plan" on small upstream histories this script
# builds with git: the prerequisite chain that makes a series apply with
# fuzz 0, in upstream order and verified by applying; a candidate blame
# names by mistake, dropped again; the depth and size limits; a conflict
# nothing explains; the trimmed header sync beside the chain; bad input;
# commits a Debian target already carries, never carried again; the time
# budget; a spelling commit taken only when nothing else explains; the
# commits that introduce the names a fix lacks, first and kept (--no-names:
# the context chain instead).
. "$(dirname "$0")/test-lib.sh"

commit() {
	git -C up -c user.name='Ann Author' -c user.email=ann@example.org \
		commit -q -a -m "$1" &&
	git -C up rev-parse --short=10 HEAD
}

# f.txt: A brings "line five", B "line eight" (its context holds line
# five), C "line eleven" (its context holds line eight, not five).
# g.txt: E brings "item shared" and "item twenty-one"; N, unrelated, is
# the newest commit adding "item shared" again; S needs only E.
# linux-headers/linux/foo.h: the syncs H1, H2 (H2's context is H1's);
# use.c: U uses what H2 adds.
test_expect_success 'setup: an upstream history' '
	git init -q up &&
	for i in $(seq 1 40); do echo "line $i"; done >up/f.txt &&
	for i in $(seq 1 40); do echo "item $i"; done >up/g.txt &&
	mkdir -p up/linux-headers/linux &&
	printf "#ifndef FOO_H\n#define FOO_H\n\n#define FOO_FIRST 1\n\n#endif\n" \
		>up/linux-headers/linux/foo.h &&
	printf "#include \"linux-headers/linux/foo.h\"\nint use(void)\n{\n\treturn FOO_FIRST;\n}\n" >up/use.c &&
	git -C up add . && commit init >/dev/null && git -C up tag v1 &&
	sed -i "s/^line 5$/line five/" up/f.txt && commit "A: five" >A &&
	sed -i "s/^line 8$/line eight/" up/f.txt && commit "B: eight" >B &&
	sed -i "s/^line 11$/line eleven/" up/f.txt && commit "C: eleven" >C &&
	sed -i -e "s/^item 20$/item shared/" -e "s/^item 21$/item twenty-one/" up/g.txt &&
	commit "E: shared, twenty-one" >E &&
	sed -i "s/^item 35$/item shared/" up/g.txt && commit "N: shared again" >N &&
	sed -i "s/^item 22$/item twenty-two/" up/g.txt && commit "S: twenty-two" >S &&
	sed -i "s/^#define FOO_FIRST 1$/&\n#define FOO_SECOND 2/" up/linux-headers/linux/foo.h &&
	commit "linux-headers: update (second)" >H1 &&
	sed -i "s/^#define FOO_SECOND 2$/&\n#define FOO_THIRD 3/" up/linux-headers/linux/foo.h &&
	commit "linux-headers: update (third)" >H2 &&
	sed -i "s/return FOO_FIRST;/return FOO_FIRST + FOO_THIRD;/" up/use.c &&
	commit "use: FOO_THIRD" >U &&
	git -C up worktree add -q ../v1dir v1
'

test_expect_success 'only the closure applies: C alone and B, C conflict on v1' '
	git -C up format-patch -q -o ../mails v1 &&
	test_expect_code 1 "$BT" check -F 0 --tree v1dir mails/0003-C-eleven.patch >out &&
	test_grep conflict out &&
	test_expect_code 1 "$BT" check -F 0 --tree v1dir --format json \
		mails/0002-B-eight.patch mails/0003-C-eleven.patch >out.json &&
	jq -e "[.patches[].results[0].verdict] == [\"conflict\", \"conflict\"]" out.json &&
	"$BT" check -F 0 --tree v1dir mails/0001-A-five.patch \
		mails/0002-B-eight.patch mails/0003-C-eleven.patch
'

test_expect_success 'check orders commits given newest-first the upstream way' '
	"$BT" check --no-deps --git up --tree v1=git:v1 \
		--format json "$(cat B)" "$(cat A)" "$(cat C)" >order.json &&
	jq -r ".patches[].name" order.json >names &&
	cat A B C >expect &&
	test_cmp expect names
'

test_expect_success 'plan: the chain A, B makes C apply, verified' '
	"$BT" plan --git up --tree v1=git:v1 "$(cat C)" >plan.txt &&
	test_grep "^v1: plan verified: 2 commits to carry" plan.txt &&
	grep "^  carry" plan.txt | cut -c9-18 >chain &&
	cat A B >expect &&
	test_cmp expect chain &&
	test_grep "carry $(cat A) A: five .*(depth 2)" plan.txt &&
	test_grep "needed by $(cat B): f.txt hunk 1" plan.txt &&
	test_grep "needed by $(cat C): f.txt hunk 1" plan.txt &&
	test_grep "3 $(cat C) clean    1/1 hunks exact (series)" plan.txt
'

test_expect_success 'plan --format json: the chain, why, size, verification' '
	"$BT" plan --git up --tree v1=git:v1 --format json "$(cat C)" >plan.json &&
	jq -e ".version == 1 and .ok == true" plan.json &&
	jq -e ".targets[0].status == \"ok\" and .targets[0].rounds == 3" plan.json &&
	jq -r ".targets[0].chain[] | \"\(.commit[0:10]) \(.depth) \(.files) +\(.added) -\(.removed) \(.header_sync)\"" \
		plan.json >got &&
	printf "%s 2 1 +1 -1 false\n%s 1 1 +1 -1 false\n" "$(cat A)" "$(cat B)" >expect &&
	test_cmp expect got &&
	jq -r ".targets[0].chain[1].needed_by[0] | \"\(.patch) \(.hunks) \(.lines)\"" plan.json >got &&
	echo "$(cat C) f.txt hunk 1 1" >expect &&
	test_cmp expect got &&
	jq -r ".targets[0].verification[] | \"\(.patch) \(.verdict) \(.exact)/\(.hunks) \(.series)\"" \
		plan.json >got &&
	printf "%s clean 1/1 false\n%s clean 1/1 false\n%s clean 1/1 true\n" \
		"$(cat A)" "$(cat B)" "$(cat C)" >expect &&
	test_cmp expect got &&
	jq -e ".targets[0].summary == {\"commits\": 2, \"files\": 2, \"lines\": 4}" plan.json &&
	jq -e ".targets[0].trimmed == null" plan.json
'

test_expect_success 'plan --format markdown: a table for the bug' '
	"$BT" plan --git up --tree v1=git:v1 --format markdown "$(cat C)" >plan.md &&
	test_grep "^### Prerequisites on v1: verified" plan.md &&
	test_grep "^| $(cat B) | B: eight | 1 files, +1 -1 | $(cat C): f.txt hunk 1 |" plan.md &&
	test_grep "^| 3 | $(cat C) (series) | clean | 1/1 |" plan.md
'

test_expect_success 'plan: a candidate blame names by mistake is dropped' '
	"$BT" plan --git up --tree v1=git:v1 --format json "$(cat S)" >drop.json &&
	jq -r ".targets[0].chain[].commit[0:10]" drop.json >chain &&
	cat E >expect && test_cmp expect chain &&
	jq -r ".targets[0].dropped[] | \"\(.commit[0:10]) \(.note)\"" drop.json >got &&
	echo "$(cat N) not needed: everything applies without it" >expect &&
	test_cmp expect got &&
	"$BT" plan --git up --tree v1=git:v1 "$(cat S)" >drop.txt &&
	test_grep "^  dropped $(cat N) N: shared again" drop.txt
'

test_expect_success 'plan: a series of patch files found by their From lines' '
	"$BT" plan --git up --tree v1=git:v1 --format json mails/0003-C-eleven.patch >files.json &&
	jq -r ".targets[0].chain[].commit[0:10]" files.json >chain &&
	cat A B >expect && test_cmp expect chain &&
	jq -r ".targets[0].verification[] | \"\(.patch) \(.series) \(.exact)/\(.hunks)\"" \
		files.json >got &&
	printf "%s false 1/1\n%s false 1/1\nmails/0003-C-eleven.patch true 1/1\n" \
		"$(cat A)" "$(cat B)" >expect &&
	test_cmp expect got
'

test_expect_success 'plan: a series that needs nothing says so' '
	"$BT" plan --git up --tree v1=git:v1 "$(cat A)" >none.txt &&
	test_grep "^v1: plan verified: nothing to carry (1 round)$" none.txt
'

test_expect_success 'plan on a directory target with --base; nothing is written' '
	(cd v1dir && git status --porcelain) >before &&
	"$BT" plan --git up --tree wt=v1dir --base v1 "$(cat C)" >dir.txt &&
	test_grep "^wt: plan verified: 2 commits" dir.txt &&
	(cd v1dir && git status --porcelain) >after &&
	test_cmp before after &&
	test "$(sed -n 5p v1dir/f.txt)" = "line 5"
'

test_expect_success 'plan: two targets, one plan each' '
	"$BT" plan --git up --tree v1=git:v1 --tree atB=git:"$(cat B)" \
		--format json "$(cat C)" >two.json &&
	jq -r ".targets[] | \"\(.target) \(.chain | length)\"" two.json >got &&
	printf "v1 2\natB 0\n" >expect &&
	test_cmp expect got
'

test_expect_success 'plan --max-depth: the limit is reported, exit 1' '
	test_expect_code 1 "$BT" plan --git up --tree v1=git:v1 --max-depth 1 \
		"$(cat C)" >limit.txt &&
	test_grep "^v1: plan depth limit reached: 1 commit to carry" limit.txt &&
	test_grep "max-depth 1 reached: 1 more candidate needed, the deepest at depth 2" limit.txt &&
	test_grep "^  left out $(cat A) A: five" limit.txt &&
	test_grep "the queue so far" limit.txt &&
	test_expect_code 1 "$BT" plan --git up --tree v1=git:v1 --max-depth 1 \
		--format json "$(cat C)" >limit.json &&
	jq -e ".ok == false and .targets[0].status == \"depth-limit\"" limit.json
'

test_expect_success 'plan --max-commits: the size limit is reported, exit 1' '
	test_expect_code 1 "$BT" plan --git up --tree v1=git:v1 --max-commits 1 \
		--format json "$(cat C)" >size.json &&
	jq -e ".targets[0].status == \"size-limit\"" size.json &&
	jq -r ".targets[0].message" size.json >msg &&
	test_grep "max-commits 1 reached: the chain has 1 and 1 more are needed" msg
'

test_expect_success 'plan: a conflict no upstream commit explains is stuck' '
	printf -- "--- a/f.txt\n+++ b/f.txt\n@@ -2,3 +2,3 @@\n line 2\n-line nowhere\n+line here\n line 4\n" >odd.patch &&
	test_expect_code 1 "$BT" plan --git up --tree v1=git:v1 odd.patch >stuck.txt &&
	test_grep "^v1: plan stuck" stuck.txt &&
	test_grep "odd.patch does not apply and no upstream commit of the range explains it: f.txt hunk 1" stuck.txt
'

test_expect_success 'plan: the header sync trimmed, beside its chain' '
	"$BT" plan --git up --tree v1=git:v1 --format json "$(cat H2)" "$(cat U)" >trim.json &&
	jq -r ".targets[0].chain[] | \"\(.commit[0:10]) \(.header_sync)\"" trim.json >got &&
	echo "$(cat H1) true" >expect && test_cmp expect got &&
	jq -e ".targets[0].trimmed.sync == \"$(cat H2)\" and .targets[0].trimmed.applies == true" trim.json &&
	jq -e ".targets[0].trimmed.kept_lines == 1 and .targets[0].trimmed.kept == 1" trim.json &&
	"$BT" plan --git up --tree v1=git:v1 "$(cat H2)" "$(cat U)" >trim.txt &&
	test_grep "alternative: $(cat H2) trimmed to what the series uses: 1 declaration, 1 line" trim.txt
'

test_expect_success 'report --plan: a Prerequisites section for the bug' '
	"$BT" report --git up --tree v1=git:v1 --plan "$(cat C)" >report.md &&
	test_grep "^## Prerequisites$" report.md &&
	test_grep "^### Prerequisites on v1: verified" report.md &&
	test_grep "^| $(cat A) | A: five |" report.md &&
	"$BT" report --git up --tree v1=git:v1 --plan --format json "$(cat C)" >report.json &&
	jq -e ".prerequisites.ok and (.prerequisites.targets[0].chain | length) == 2" report.json &&
	"$BT" report --git up --tree v1=git:v1 --format json "$(cat C)" >plain.json &&
	jq -e ".prerequisites == null" plain.json &&
	test_expect_code 2 "$BT" report --plan "$(cat C)" 2>err &&
	test_grep "plan needs --git REPO and a --tree" err
'

test_expect_success 'plan --help and bad usage: exit 2, a clear message' '
	"$BT" plan --help >out && test_grep "^usage: backport-tool plan" out &&
	test_expect_code 2 "$BT" plan --tree v1=git:v1 "$(cat C)" 2>err &&
	test_grep "^backport-tool: plan: --git REPO is required" err &&
	test_expect_code 2 "$BT" plan --git up "$(cat C)" 2>err &&
	test_grep "give a target with --tree" err &&
	test_expect_code 2 "$BT" plan --git up --tree v1=git:v1 2>err &&
	test_grep "no series" err &&
	test_expect_code 2 "$BT" plan --git up --tree v1=git:v1 --max-depth 0 "$(cat C)" 2>err &&
	test_grep "max-depth takes a number from 1 to 1000, not .0." err &&
	test_expect_code 2 "$BT" plan --git up --tree v1=git:v1 --max-commits x "$(cat C)" 2>err &&
	test_grep "max-commits takes a number" err &&
	test_expect_code 2 "$BT" plan --git up --tree v1=git:v1 --format xml "$(cat C)" 2>err &&
	test_expect_code 2 "$BT" plan --git up --tree v1=git:no-such-tag "$(cat C)" 2>err &&
	test_grep "no-such-tag" err &&
	test_expect_code 2 "$BT" plan --git up --tree v1=git:v1 no-such-commit 2>err &&
	test_grep "no-such-commit" err &&
	test_expect_code 2 "$BT" plan --git up --tree x=git:v1 --tree x=git:v1 "$(cat C)" 2>err &&
	test_grep "given twice" err &&
	test_expect_code 2 "$BT" plan --git /nonexistent --tree v1=git:v1 "$(cat C)" 2>err &&
	test_grep "cannot open git repository" err &&
	test_expect_code 2 "$BT" plan --no-such-option 2>err
'

# deb_target DIR HEADER: v1 with a debian/patches that carries A (not
# applied, as in an unpacked source) under the DEP-3 header HEADER.
deb_target() {
	mkdir -p "$1/debian/patches" &&
	git -C up archive v1 | tar -x -C "$1" &&
	{ printf "%b---\n" "$2" && git -C up diff "$(cat A)^" "$(cat A)"; } \
		>"$1/debian/patches/five.patch" &&
	echo five.patch >"$1/debian/patches/series"
}

test_expect_success 'plan: a commit the target carries by DEP-3 Origin is not carried again' '
	deb_target debo "Description: five\nOrigin: upstream, https://example.org/commit/$(git -C up rev-parse "$(cat A)")\n" &&
	test_expect_code 1 "$BT" plan --git up --tree debo --base v1 "$(cat C)" >carried.txt &&
	cat carried.txt &&
	test_grep "^debo: plan stuck: 1 commit to carry" carried.txt &&
	test_grep "does not apply, and the upstream commits that explain it are already carried by the target" carried.txt &&
	test_grep "^  carry $(cat B) B: eight" carried.txt &&
	test_grep "^  skipped $(cat A) A: five" carried.txt &&
	test_grep "already carried by debian/patches/five.patch (its DEP-3 Origin): not carried again" carried.txt &&
	! grep "^  carry $(cat A)" carried.txt
'

test_expect_success 'plan: ... by a "cherry picked from" line, or by the same diff' '
	deb_target debc "Subject: five\n\n(cherry picked from commit $(git -C up rev-parse --short=12 "$(cat A)"))\n" &&
	test_expect_code 1 "$BT" plan --git up --tree debc --base v1 "$(cat C)" >cherry.txt &&
	test_grep "already carried by debian/patches/five.patch (its \"cherry picked from\" line)" cherry.txt &&
	deb_target debd "Description: five, backported\n" &&
	test_expect_code 1 "$BT" plan --git up --tree debd --base v1 --format json "$(cat C)" >diff.json &&
	jq -r ".targets[0].skipped[0].note" diff.json >note &&
	test_grep "already carried by debian/patches/five.patch (the same diff)" note &&
	jq -e "[.targets[0].chain[].commit[0:10]] == [\"$(cat B)\"]" diff.json
'

test_expect_success 'plan: a series patch the target carries is not planned again' '
	"$BT" plan --git up --tree debo --base v1 "$(cat A)" >series.txt &&
	test_grep "^debo: plan verified: nothing to carry" series.txt &&
	test_grep "$(cat A) of the series: already carried by debian/patches/five.patch (its DEP-3 Origin), not planned again" series.txt
'

test_expect_success 'plan: another commit in Origin and another diff are not taken for it' '
	deb_target debn "Description: five\nOrigin: upstream, https://example.org/commit/$(git -C up rev-parse "$(cat E)")\n" &&
	sed -i "s/^+line five\$/+line FIVE/" debn/debian/patches/five.patch &&
	"$BT" plan --git up --tree debn --base v1 "$(cat C)" >other.txt &&
	test_grep "^debn: plan verified: 2 commits to carry" other.txt &&
	! grep "skipped" other.txt
'

test_expect_success 'plan --time-budget: stops with what it has and what is left, exit 1' '
	test_expect_code 1 "$BT" plan --git up --tree v1=git:v1 --time-budget 0 \
		"$(cat C)" >budget.txt &&
	test_grep "^v1: plan time budget ran out: 0 commits to carry (1 round)" budget.txt &&
	test_grep "time-budget 0s ran out after 1 round: the chain has 0 commits, 1 more named and not tried" budget.txt &&
	test_grep "^  left out $(cat B) B: eight" budget.txt &&
	test_grep "the queue so far" budget.txt &&
	test_expect_code 1 "$BT" plan --git up --tree v1=git:v1 --time-budget 0 \
		--format json "$(cat C)" >budget.json &&
	jq -e ".ok == false and .targets[0].status == \"time-limit\"" budget.json &&
	"$BT" plan --git up --tree v1=git:v1 --time-budget 600 "$(cat C)" >long.txt &&
	test_grep "^v1: plan verified: 2 commits" long.txt &&
	test_expect_code 2 "$BT" plan --git up --tree v1=git:v1 --time-budget -1 "$(cat C)" 2>err &&
	test_grep "time-budget takes seconds" err &&
	test_expect_code 2 "$BT" plan --git up --tree v1=git:v1 --time-budget soon "$(cat C)" 2>err &&
	test_grep "time-budget takes seconds" err
'

# h.txt (from v2): SP fixes a spelling in line 10, R changes line 12; X,
# the fix, changes line 11 with both in its context.
test_expect_success 'setup: a spelling commit and a real one in a fix'"'"'s context' '
	for i in $(seq 1 30); do echo "row $i"; done >up/h.txt &&
	sed -i "s/^row 10\$/row 10 recieve/" up/h.txt &&
	git -C up add h.txt && commit "h: add" >/dev/null && git -C up tag v2 &&
	sed -i "s/recieve/receive/" up/h.txt && commit "h: fix a spelling" >SP &&
	sed -i "s/^row 12\$/row twelve/" up/h.txt && commit "R: twelve" >R &&
	sed -i "s/^row 11\$/row eleven/" up/h.txt && commit "X: eleven" >X
'

test_expect_success 'plan: a spelling commit waits for a round where nothing else explains' '
	"$BT" plan --git up --tree v2=git:v2 --format json "$(cat X)" >sp.json &&
	jq -e ".targets[0].status == \"ok\" and .targets[0].rounds == 3" sp.json &&
	jq -r ".targets[0].chain[] | \"\(.commit[0:10]) \(.note)\"" sp.json >got &&
	printf "%s %s\n%s null\n" "$(cat SP)" "it fixes only spelling, but nothing else explains the conflict" "$(cat R)" >expect &&
	test_cmp expect got &&
	jq -e ".targets[0].skipped == []" sp.json
'

# Adaptation (issue 16).  ad/d.txt: D1 and D2, unrelated, change and add
# lines between the two lines the fix F changes (drift inside its hunk,
# which no fuzz skips).  ad/lib.c: L adds helper() and drifts the context
# of G, which calls it.  ad/linux-headers/linux/bar.h: B1 changes a
# define between the two that the sync B2 changes.
adcommit() {
	git -C ad -c user.name='Ann Author' -c user.email=ann@example.org \
		commit -q -a -m "$1" &&
	git -C ad rev-parse --short=10 HEAD
}

test_expect_success 'setup: fixes whose conflicts adapt' '
	git init -q ad &&
	for i in $(seq 1 30); do echo "row $i"; done >ad/d.txt &&
	printf "int one(void)\n{\n\treturn 1;\n}\n\nint use(void)\n{\n\tint a = 1;\n\tint b = 2;\n\tint c = 3;\n\tint d = 4;\n\tint e = 5;\n\treturn a + b + c + d + e;\n}\n" >ad/lib.c &&
	mkdir -p ad/linux-headers/linux &&
	for i in $(seq 1 20); do echo "#define BAR_$i $i"; done >ad/linux-headers/linux/bar.h &&
	git -C ad add . && adcommit init >/dev/null && git -C ad tag v1 &&
	sed -i "s/^row 14\$/row fourteen/" ad/d.txt && adcommit "D1: fourteen" >D1 &&
	sed -i "s/^row 15\$/&\nrow 15b/" ad/d.txt && adcommit "D2: 15b" >D2 &&
	sed -i -e "s/^row 12\$/row twelve/" -e "s/^row 18\$/row eighteen/" ad/d.txt &&
	adcommit "F: twelve, eighteen" >F &&
	sed -i -e "s/^int one(void)\$/int helper(void)\n{\n\treturn 7;\n}\n\n&/" \
		-e "s/^\tint c = 3;\$/\tint c = 3; \/* three *\//" ad/lib.c &&
	adcommit "L: helper" >L &&
	sed -i -e "s/^\tint a = 1;\$/\tint a = helper();/" -e "s/^\tint e = 5;\$/\tint e = 6;/" ad/lib.c &&
	adcommit "G: use helper" >G &&
	sed -i "s/^#define BAR_5 5\$/#define BAR_5 55/" ad/linux-headers/linux/bar.h &&
	adcommit "linux-headers: update (bar 5)" >B1 &&
	sed -i -e "s/^#define BAR_3 3\$/#define BAR_3 33/" \
		-e "s/^#define BAR_7 7\$/#define BAR_7 77/" ad/linux-headers/linux/bar.h &&
	adcommit "linux-headers: update (bar 3, 7)" >B2 &&
	git -C ad worktree add -q ../ad1 v1 &&
	for c in F G B2; do
		git -C ad format-patch -q --stdout -1 "$(cat $c)" >$c.patch || return 1
	done &&
	"$BT" check --tree ad1 --format json F.patch G.patch B2.patch >adc.json &&
	jq -e "[.patches[].results[0].verdict] == [\"adapted\", \"adapted\", \"adapted\"]" adc.json
'

test_expect_success 'plan adapts a drift-only conflict, and shows both sizes' '
	"$BT" plan --git ad --tree v1=git:v1 "$(cat F)" >adapt.txt &&
	test_grep "^v1: plan verified: nothing to carry (1 round)$" adapt.txt &&
	test_grep "^  adapt $(cat F) 1 hunk (drift) instead of carrying 2 commits, 3 lines$" adapt.txt &&
	test_grep "^     1 $(cat F) adapted  0/1 hunks exact (series)" adapt.txt &&
	! grep "^  carry" adapt.txt &&
	"$BT" plan --git ad --tree v1=git:v1 --format json "$(cat F)" >adapt.json &&
	jq -e ".targets[0].chain == [] and .targets[0].not_adapted == [] and
		.targets[0].verification[0].adapted ==
		{\"hunks\": 1, \"kinds\": \"drift\",
		 \"instead\": {\"commits\": 2, \"lines\": 3}, \"instead_note\": null}" adapt.json &&
	"$BT" plan --git ad --tree v1=git:v1 --format markdown "$(cat F)" >adapt.md &&
	test_grep "^- adapt $(cat F) 1 hunk (drift) instead of carrying 2 commits, 3 lines$" adapt.md
'

test_expect_success 'report --plan: the same choice as plan, beside check'"'"'s adapted' '
	"$BT" report --git ad --tree v1=git:v1 --plan "$(cat F)" >adapt-report.md &&
	test_grep "^## Prerequisites$" adapt-report.md &&
	test_grep "^- adapt $(cat F) 1 hunk (drift) instead of carrying 2 commits, 3 lines$" adapt-report.md &&
	test_grep "^### Prerequisites on v1: verified, nothing to carry$" adapt-report.md
'

test_expect_success 'plan --no-adapt carries the chain, as before' '
	"$BT" plan --git ad --tree v1=git:v1 --no-adapt --format json "$(cat F)" >noad.json &&
	jq -r ".targets[0].chain[].commit[0:10]" noad.json >got &&
	printf "%s\n%s\n" "$(cat D1)" "$(cat D2)" >expect &&
	test_cmp expect got &&
	jq -e ".targets[0].verification[2].adapted == null and
		.targets[0].verification[2].verdict == \"clean\"" noad.json &&
	"$BT" plan --git ad --tree v1=git:v1 --no-adapt "$(cat F)" >noad.txt &&
	! grep "adapt" noad.txt
'

test_expect_success 'plan: a fix that needs a missing function keeps its chain' '
	"$BT" plan --git ad --tree v1=git:v1 "$(cat G)" >need.txt &&
	test_grep "^  not adapted: $(cat G): uses names the target lacks (helper): the commit that defines them is the prerequisite$" need.txt &&
	test_grep "^  carry $(cat L) L: helper" need.txt &&
	"$BT" plan --git ad --tree v1=git:v1 --format json "$(cat G)" >need.json &&
	jq -e ".targets[0].not_adapted[0].patch == \"$(cat G)\" and
		[.targets[0].verification[].adapted] == [null, null]" need.json
'

test_expect_success 'plan: a header sync is never adapted' '
	"$BT" plan --git ad --tree v1=git:v1 "$(cat B2)" >sync.txt &&
	test_grep "^  not adapted: $(cat B2): a header sync: its prerequisites are carried, never adapted$" sync.txt &&
	test_grep "^  carry $(cat B1) " sync.txt &&
	"$BT" plan --git ad --tree v1=git:v1 --format json "$(cat F)" "$(cat B2)" >sync.json &&
	jq -e ".targets[0].trimmed.applies and .targets[0].trimmed.reason == null" sync.json
'

test_expect_success 'plan: nor a change confined to uapi headers, nor an "update headers" commit' '
	mkdir -p ad/include/uapi/linux ad/src &&
	for i in $(seq 1 20); do echo "#define BAZ_$i $i"; done >ad/include/uapi/linux/baz.h &&
	for i in $(seq 1 20); do echo "#define QUX_$i $i"; done >ad/src/qux.h &&
	git -C ad add . && adcommit "baz, qux" >/dev/null && git -C ad tag v2 &&
	sed -i "s/^#define BAZ_5 5\$/#define BAZ_5 55/" ad/include/uapi/linux/baz.h &&
	sed -i "s/^#define QUX_5 5\$/#define QUX_5 55/" ad/src/qux.h &&
	adcommit "baz, qux: five" >Z1 &&
	sed -i -e "s/^#define BAZ_3 3\$/#define BAZ_3 33/" \
		-e "s/^#define BAZ_7 7\$/#define BAZ_7 77/" ad/include/uapi/linux/baz.h &&
	adcommit "baz: three, seven" >Z2 &&
	sed -i -e "s/^#define QUX_3 3\$/#define QUX_3 33/" \
		-e "s/^#define QUX_7 7\$/#define QUX_7 77/" ad/src/qux.h &&
	adcommit "Update headers from the kernel" >Z3 &&
	"$BT" plan --git ad --tree v2=git:v2 --format json "$(cat Z2)" "$(cat Z3)" >uapi.json &&
	jq -r ".targets[0].not_adapted[] | \"\(.patch) \(.why)\"" uapi.json >got &&
	printf "%s a header sync: its prerequisites are carried, never adapted\n" \
		"$(cat Z2)" "$(cat Z3)" >expect &&
	test_cmp expect got &&
	jq -e "[.targets[0].chain[].commit[0:10]] == [\"$(cat Z1)\"]" uapi.json
'

# A C history (repo "cu", from v1): A adds helper_new() and caller() to
# lib.c; B, a refactor, moves both to the top of the file (above f2's 30
# lines, so that the diff moves A's lines and blame names B for them); U, unrelated,
# drifts main.c far from anything a fix touches.  FX fixes caller()
# (its context is A's lines, which B moved) by calling helper_new();
# FM calls helper_new() from main.c, whose context v1 has.  SPL renames
# recieve_value (v1 has it) to receive_value: a change plan_filter.c
# takes for a spelling fix; FR calls both new names.
# Each commit a second after the one before, so that upstream order is
# not a tie of committer times.
ccommit() {
	cn=$(( ${cn:-0} + 1 )) &&
	GIT_COMMITTER_DATE="2020-01-01 00:00:$cn +0000" \
	git -C cu -c user.name='Ann Author' -c user.email=ann@example.org \
		commit -q -a -m "$1" &&
	git -C cu rev-parse --short=10 HEAD
}

test_expect_success 'setup: a function added by A, moved by B, used by fixes' '
	git init -q cu &&
	{ printf "int f1(int a)\n{\n\treturn a + 1;\n}\n\nint f2(int a)\n{\n"; \
	  for i in $(seq 1 30); do printf "\ta += %s;\n" $i; done; \
	  printf "\treturn a;\n}\n"; } >cu/lib.c &&
	printf "int f1(int a);\nint f2(int a);\n" >cu/lib.h &&
	printf "int recieve_value(int a)\n{\n\treturn a;\n}\n" >cu/io.c &&
	printf "int recieve_value(int a);\n" >cu/io.h &&
	{ printf "#include \"lib.h\"\n#include \"io.h\"\n\nint main(void)\n{\n\tint v = 0;\n\n"; \
	  for i in $(seq 1 12); do printf "\tv = f1(v); /* step %s */\n" $i; done; \
	  printf "\treturn v;\n}\n"; } >cu/main.c &&
	git -C cu add . && ccommit init >/dev/null && git -C cu tag v1 &&
	printf "\nint helper_new(int x)\n{\n\treturn x * 2;\n}\n\nint caller(int x)\n{\n\tint y = x;\n\n\ty += 1;\n\ty += 2;\n\ty += 3;\n\ty = f2(y);\n\ty -= 1;\n\ty -= 2;\n\treturn y;\n}\n" >>cu/lib.c &&
	printf "int helper_new(int x);\nint caller(int x);\n" >>cu/lib.h &&
	ccommit "A: add helper_new" >CA &&
	{ sed -n "41,\$p" cu/lib.c; echo; sed -n "1,39p" cu/lib.c; } >cu/lib.c.new &&
	mv cu/lib.c.new cu/lib.c &&
	ccommit "B: lib: sort the functions" >CB &&
	sed -i "s|/\* step 12 \*/|/* step twelve */|" cu/main.c &&
	ccommit "U: main: a comment" >CU &&
	sed -i "s/^\ty = f2(y);\$/\ty = f2(helper_new(y));/" cu/lib.c &&
	ccommit "FX: caller doubles first" >FX &&
	sed -i "s|^\tv = f1(v); /\* step 3 \*/\$|\tv = helper_new(v); /* step 3 */|" cu/main.c &&
	ccommit "FM: main doubles at step 3" >FM &&
	sed -i "s/recieve_value/receive_value/" cu/io.c cu/io.h &&
	ccommit "io: fix the spelling of receive_value" >SPL &&
	sed -i "s|^\tv = f1(v); /\* step 8 \*/\$|\tv = receive_value(helper_new(v)); /* step 8 */|" cu/main.c &&
	ccommit "FR: main receives at step 8" >FR &&
	! git -C cu grep -q helper_new v1 -- lib.c
'

test_expect_success 'plan: a fix whose context a refactor moved carries the introducer, not the refactor' '
	"$BT" plan --git cu --tree v1=git:v1 "$(cat FX)" >nm.txt &&
	test_grep "^v1: plan verified: 1 commit to carry" nm.txt &&
	test_grep "carry $(cat CA) A: add helper_new" nm.txt &&
	test_grep "needed for helper_new: $(cat FX) uses it" nm.txt &&
	! grep "$(cat CB)" nm.txt &&
	"$BT" plan --git cu --tree v1=git:v1 --format json "$(cat FX)" >nm.json &&
	jq -e ".targets[0].rounds == 1 and .targets[0].dropped == []" nm.json &&
	jq -e ".targets[0].verification[1].verdict == \"offset\"" nm.json &&
	jq -e ".targets[0].chain[0].depth == 1" nm.json &&
	jq -e ".targets[0].chain[0].needed_by | map(select(.name == \"helper_new\")) | length == 1" nm.json
'

test_expect_success 'plan --no-names: the context chain of before (the refactor B)' '
	"$BT" plan --git cu --tree v1=git:v1 --no-names --format json "$(cat FX)" >nn.json &&
	jq -r ".targets[0].chain[].commit[0:10]" nn.json >got &&
	cat CB >expect && test_cmp expect got &&
	jq -e ".targets[0].rounds == 2 and .targets[0].dropped == []" nn.json &&
	jq -e "[.targets[0].chain[0].needed_by[].name] == [null]" nn.json
'

test_expect_success 'plan: a fix that applies as it is still carries the introducer of a name it calls' '
	"$BT" plan --git cu --tree v1=git:v1 "$(cat FM)" >fm.txt &&
	test_grep "^v1: plan verified: 1 commit to carry" fm.txt &&
	test_grep "carry $(cat CA) A: add helper_new" fm.txt &&
	test_grep "needed for helper_new: $(cat FM) uses it" fm.txt &&
	! grep "$(cat CB)\|$(cat CU)" fm.txt &&
	"$BT" plan --git cu --tree v1=git:v1 --format markdown "$(cat FM)" >fm.md &&
	test_grep "$(cat FM): needed for helper_new" fm.md &&
	"$BT" plan --git cu --tree v1=git:v1 --no-names "$(cat FM)" >fm0.txt &&
	test_grep "^v1: plan verified: nothing to carry" fm0.txt
'

test_expect_success 'plan: every introducer of a name is carried, a rename that looks like spelling too' '
	"$BT" plan --git cu --tree v1=git:v1 --format json "$(cat FR)" >fr.json &&
	jq -r ".targets[0].chain[] | \"\(.commit[0:10]) \([.needed_by[].name] | join(\",\"))\"" fr.json >got &&
	printf "%s helper_new\n%s receive_value\n" "$(cat CA)" "$(cat SPL)" >expect &&
	test_cmp expect got &&
	jq -e ".targets[0].status == \"ok\" and .targets[0].skipped == []" fr.json
'

test_expect_success 'plan --max-commits: more introducers than the limit stop the plan, exit 1' '
	test_expect_code 1 "$BT" plan --git cu --tree v1=git:v1 --max-commits 1 \
		"$(cat FR)" >frl.txt &&
	test_grep "^v1: plan size limit reached" frl.txt &&
	test_grep "max-commits 1 reached: the series uses names that 2 upstream commits introduce" frl.txt &&
	"$BT" plan --git cu --tree v1=git:v1 --max-commits 1 --format json "$(cat FR)" \
		>frl.json || :
	jq -r ".targets[0].pending[].commit[0:10]" frl.json | sort >got &&
	sort CA SPL >expect && test_cmp expect got
'

test_expect_success 'plan: an introducer the Debian target carries is not carried again' '
	mkdir -p debn/debian/patches &&
	git -C cu archive v1 | tar -x -C debn &&
	{ printf "Description: helper\nOrigin: upstream, https://example.org/commit/%s\n---\n" \
		"$(git -C cu rev-parse "$(cat CA)")" &&
	  git -C cu diff "$(cat CA)^" "$(cat CA)"; } >debn/debian/patches/helper.patch &&
	echo helper.patch >debn/debian/patches/series &&
	"$BT" plan --git cu --tree debn --base v1 "$(cat FM)" >debn.txt &&
	test_grep "^debn: plan verified: nothing to carry" debn.txt &&
	test_grep "^  skipped $(cat CA) A: add helper_new" debn.txt &&
	test_grep "already carried by debian/patches/helper.patch (its DEP-3 Origin): not carried again" debn.txt
'

test_done

#!/bin/sh
# t2210-distance: "backport-tool distance" on a small history with release
# tags: a fix that applies as it is on the newer tags only and needs one
# earlier commit on the older ones; the answer line, text, markdown and
# JSON, --tags with and without --rc, exit codes and bad input.
. "$(dirname "$0")/test-lib.sh"

g() {
	git -C up -c user.name='Ann Author' -c user.email=ann@example.org "$@"
}

test_expect_success 'setup: a history with tags, a prerequisite and a fix' '
	git init -q up &&
	seq 1 40 >up/n.txt && printf "int f(void);\n" >up/lib.h &&
	g add . && g commit -q -m init && g tag v1.0 &&
	sed -i "s/^5\$/five/" up/n.txt && g commit -q -a -m "n: five" &&
	g tag v1.1-rc1 &&
	echo "int g(void);" >>up/lib.h && g commit -q -a -m "lib: g" &&
	g tag v1.1 &&
	sed -i "s/^20\$/twenty/" up/n.txt && g commit -q -a -m "n: twenty" &&
	g rev-parse HEAD >PRE && g tag v1.2-rc1 && g tag v1.2 &&
	sed -i "s/^30\$/thirty/" up/n.txt && g commit -q -a -m "n: thirty" &&
	g tag v1.3-rc1 && g tag not-a-version &&
	sed -i "s/^21\$/twenty-one/" up/n.txt && g commit -q -a -m "n: twenty-one" &&
	g rev-parse HEAD >FIX && g tag v2.0
'

test_expect_success 'text: a row a base in version order, the answer, exit 0' '
	"$BT" distance --git up --tags v1.0..v1.3-rc1 --rc "$(cat FIX)" >out &&
	awk "NR > 1 && !/^oldest|^no base/ { print \$1 }" out >bases &&
	printf "%s\n" v1.0 v1.1-rc1 v1.1 v1.2-rc1 v1.2 v1.3-rc1 >expect &&
	test_cmp expect bases &&
	pre=$(cut -c1-10 PRE) &&
	test_grep "^v1.0 .* 0 *1  1 commit, 2 lines: $pre\$" out &&
	test_grep "^v1.2-rc1 *1 .*  none\$" out &&
	test_grep "^oldest base that takes the series with no prerequisites: v1.2-rc1; least to carry: v1.2-rc1, v1.2, v1.3-rc1 (nothing)\$" out
'

test_expect_success '--tags without --rc leaves the -rc tags between out' '
	"$BT" distance --git up --tags v1.0..v1.2 "$(cat FIX)" >out &&
	awk "NR > 1 && !/^oldest|^no base/ { print \$1 }" out >bases &&
	printf "%s\n" v1.0 v1.1 v1.2 >expect &&
	test_cmp expect bases &&
	test_grep "takes the series with no prerequisites: v1.2;" out
'

test_expect_success 'no base takes it as it is: the least to carry, exit 1' '
	test_expect_code 1 "$BT" distance --git up --tags v1.0..v1.1 "$(cat FIX)" >out &&
	test_grep "^no base takes the series without prerequisites; least to carry: v1.0, v1.1 (1 commit, 2 lines each)\$" out
'

test_expect_success 'bases as revisions, with a tag range after them' '
	test_expect_code 0 "$BT" distance --git up -t old=git:v1.0 \
		--tags v1.2..v2.0 "$(cat FIX)" >out &&
	awk "NR > 1 && !/^oldest|^no base/ { print \$1 }" out >bases &&
	printf "%s\n" old v1.2 v2.0 >expect &&
	test_cmp expect bases &&
	test_grep "^v2.0 .* 1 *0  none\$" out
'

test_expect_success 'markdown: the answer in bold, then the table' '
	"$BT" distance --git up --tags v1.1..v1.2 -f markdown "$(cat FIX)" >out.md &&
	head -1 out.md >first &&
	echo "**oldest base that takes the series with no prerequisites: v1.2; least to carry: v1.2 (nothing)**" >expect &&
	test_cmp expect first &&
	test_grep "^| base | clean | offset | fuzz | merged | adapted | applied | conflict | prerequisites |\$" out.md &&
	test_grep "^| v1.1 | 0 | 0 | 0 | 0 | 0 | 0 | 1 | 1 commit, 2 lines: $(cut -c1-10 PRE) |\$" out.md
'

test_expect_success 'JSON: bases, counts, chains and the answer' '
	"$BT" distance --git up --tags v1.1..v1.2 -f json "$(cat FIX)" >out.json &&
	jq -r ".bases[] | [.base, .verdicts.conflict, .plan.status, .plan.commits, .takes_series] | @tsv" out.json >got &&
	printf "v1.1\t1\tok\t1\tfalse\nv1.2\t0\tok\t0\ttrue\n" >expect &&
	test_cmp expect got &&
	jq -r ".bases[0].plan.chain[0].commit" out.json >got && test_cmp PRE got &&
	jq -r ".answer.oldest, (.answer.least | join(\",\"))" out.json >got &&
	printf "v1.2\nv1.2\n" >expect && test_cmp expect got
'

if command -v cc >/dev/null 2>&1 && command -v make >/dev/null 2>&1; then
test_expect_success '--build: a base where the series applies but breaks the build does not take it' '
	git init -q bu &&
	printf "extern int base_value;\n" >bu/lib.h &&
	printf "#include \"lib.h\"\n\nint base_value = 1;\n\nint main(void)\n{\n\treturn 0;\n}\n" >bu/a.c &&
	printf "CFLAGS = -Wall -O0\nall: a.o\n" >bu/Makefile &&
	git -C bu add . && git -C bu -c user.name=A -c user.email=a@example.org commit -q -m init &&
	git -C bu tag v1 &&
	printf "extern int base_value[2];\n" >bu/lib.h &&
	sed -i "s/^int base_value = 1;\$/int base_value[2] = { 1, 2 };/" bu/a.c &&
	git -C bu -c user.name=A -c user.email=a@example.org commit -q -a -m "base_value: an array" &&
	git -C bu tag v2 &&
	sed -i "s/^\treturn 0;\$/\treturn base_value[1];/" bu/a.c &&
	git -C bu -c user.name=A -c user.email=a@example.org commit -q -a -m "a.c: use base_value[1]" &&
	git -C bu rev-parse HEAD >BFIX &&
	"$BT" distance --git bu --tags v1..v2 "$(cat BFIX)" >out &&
	test_grep "no prerequisites: v1;" out &&
	test_expect_code 0 "$BT" distance --git bu --tags v1..v2 --build --build-dir cache \
		"$(cat BFIX)" >out 2>err &&
	test_grep "^base .*  build         prerequisites\$" out &&
	test_grep "^v1 .*  breaks build  none\$" out &&
	test_grep "^v2 .*  builds        none\$" out &&
	test_grep "^oldest base that takes the series with no prerequisites: v2; least to carry: v2 (nothing)\$" out &&
	"$BT" distance --git bu --tags v1..v2 --build --build-dir cache -f json \
		"$(cat BFIX)" >out.json &&
	jq -r ".bases[] | [.base, .build, .takes_series] | @tsv" out.json >got &&
	printf "v1\tbreaks build\tfalse\nv2\tbuilds\ttrue\n" >expect &&
	test_cmp expect got
'
fi

test_expect_success 'bad input: one line, exit 2' '
	test_expect_code 2 "$BT" distance --tags v1.0..v1.2 "$(cat FIX)" 2>err &&
	test_grep "^backport-tool: distance: --git REPO is required" err &&
	test_expect_code 2 "$BT" distance --git up "$(cat FIX)" 2>err &&
	test_grep "^backport-tool: distance: give the bases" err &&
	test_expect_code 2 "$BT" distance --git up --tags v1.0 "$(cat FIX)" 2>err &&
	test_grep "^backport-tool: --tags takes A..B (two tags), not .v1.0.\$" err &&
	test_expect_code 2 "$BT" distance --git up --tags v1.0..v9.9 "$(cat FIX)" 2>err &&
	test_grep "^backport-tool: --tags v1.0..v9.9: no tag .v9.9. in the repository\$" err &&
	test_expect_code 2 "$BT" distance --git up --tags v1.2..v1.0 "$(cat FIX)" 2>err &&
	test_grep "is newer than" err &&
	test_expect_code 2 "$BT" distance --git up --tags v1.0..not-a-version "$(cat FIX)" 2>err &&
	test_grep "are not versions of one kind" err &&
	test_expect_code 2 "$BT" distance --git up --rc -t a=git:v1.0 "$(cat FIX)" 2>err &&
	test_grep "^backport-tool: distance: --rc goes with --tags A..B\$" err &&
	test_expect_code 2 "$BT" distance --git up -t a=git:nosuch "$(cat FIX)" 2>err &&
	test $(wc -l <err) = 1 &&
	test_expect_code 2 "$BT" distance --git up --tags v1.0..v1.2 --format xml "$(cat FIX)" 2>err &&
	test_expect_code 2 "$BT" distance --git up --tags v1.0..v1.2 --build-dir x "$(cat FIX)" 2>err &&
	test_grep "go with --build" err
'

test_done

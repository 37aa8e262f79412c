#!/bin/sh
# t2110-plan-build: "plan --build" and "check --build" on a small upstream history with a
# Makefile: the queue is compiled on the patched target in a cache, and
# each error or warning is given to the patch and hunk whose added line it
# points at -- through a later patch that moved the lines; the cache keeps
# the pristine target; bad input.
. "$(dirname "$0")/test-lib.sh"

command -v cc >/dev/null 2>&1 && command -v make >/dev/null 2>&1 ||
	skip_all "no cc or make"

commit() {
	git -C up -c user.name='Ann Author' -c user.email=ann@example.org \
		commit -q -a -m "$1" &&
	git -C up rev-parse --short=10 HEAD
}

# P1 adds two() (builds); P2 adds a comment on top (hunk 1) and uses an
# undeclared name in main (hunk 2); P3 adds an unused variable in two(),
# above P2's line, so the error's line has moved when it is reported.
test_expect_success 'setup: an upstream history that builds with make' '
	git init -q up &&
	printf "int one(void);\n" >up/lib.h &&
	printf "#include \"lib.h\"\n\nint one(void)\n{\n\treturn 1;\n}\n\nint main(void)\n{\n\treturn one();\n}\n" >up/a.c &&
	printf "CFLAGS = -Wall -O0\nall: a.o\n" >up/Makefile &&
	git -C up add . && commit init >/dev/null && git -C up tag v1 &&
	printf "int one(void);\nint two(void);\n" >up/lib.h &&
	sed -i "s/^int main(void)$/int two(void)\n{\n\treturn 2;\n}\n\n&/" up/a.c &&
	commit "P1: two" >P1 &&
	sed -i "1i /* a.c: numbers */" up/a.c &&
	sed -i "s/^\treturn one();$/\treturn one() + three_value;/" up/a.c &&
	commit "P2: three" >P2 &&
	sed -i "s/^\treturn 2;$/\tint unused = 0;\n\treturn 2;/" up/a.c &&
	commit "P3: unused" >P3
'

test_expect_success 'plan --build: the error is P2 hunk 2, the warning P3' '
	test_expect_code 1 "$BT" plan --git up --tree v1=git:v1 --build \
		--build-dir cache --format json v1..$(cat P3) >build.json 2>err &&
	jq -r ".targets[0].verification[] | \"\(.patch) \(.build.status) \(.build.warnings)\"" \
		build.json >got &&
	printf "%s builds 0\n%s breaks build 0\n%s builds 1\n" \
		"$(cat P1)" "$(cat P2)" "$(cat P3)" >expect &&
	test_cmp expect got &&
	jq -r ".targets[0].verification[1].build.error" build.json >msg &&
	test_grep "^a.c:17: .three_value. undeclared.*(hunk 2 of a.c)$" msg &&
	jq -e ".targets[0].build.units == [{\"path\": \"a.c\", \"ok\": false}]" build.json &&
	jq -e "[.targets[0].build.diagnostics[] | select(.severity == \"warning\") |
		.patch] == [3]" build.json &&
	jq -e ".targets[0].build.configured_now" build.json
'

test_expect_success 'the cache keeps the target as released' '
	src=$(ls -d cache/*/src) &&
	git -C up show v1:a.c >expect &&
	test_cmp expect "$src/a.c" &&
	test ! -e "$src/a.o" &&
	test ! -e "$(dirname "$src")/dirty"
'

test_expect_success 'plan --build: a queue that builds, the cache reused' '
	"$BT" plan --git up --tree v1=git:v1 --build --build-dir cache \
		"$(cat P1)" >ok.txt &&
	test_grep "^       builds$" ok.txt &&
	test_grep "^  build: 1/1 translation unit compiled (log: " ok.txt &&
	! grep "configured now" ok.txt
'

test_expect_success 'plan --build --format markdown: a build column' '
	test_expect_code 1 "$BT" plan --git up --tree v1=git:v1 --build \
		--build-dir cache --format markdown v1..$(cat P3) >build.md &&
	test_grep "^| 2 | $(cat P2) (series) | clean | 2/2 | breaks build: a.c:17: " build.md &&
	test_grep "^Build with the chain: 0/1 translation unit compiled.$" build.md
'

test_expect_success 'report --plan --build: a Build section names the hunk' '
	XDG_CACHE_HOME="$PWD/xdg" "$BT" report --git up --tree v1=git:v1 --plan --build \
		"v1..$(cat P3)" >report.md &&
	test_grep "^## Build$" report.md &&
	test_grep "^- v1, with the chain: 0/1 translation unit compiled$" report.md &&
	test_grep "^  - $(cat P2) breaks the build: a.c:17: .*(hunk 2 of a.c)$" report.md &&
	test -d xdg/backport-tool/build &&
	test_expect_code 2 "$BT" report --git up --tree v1=git:v1 --build "$(cat P1)" 2>err &&
	test_grep "build goes with --plan" err
'

test_expect_success 'plan --build: bad usage' '
	test_expect_code 2 "$BT" plan --git up --tree v1=git:v1 --build-dir cache \
		"$(cat P1)" 2>err &&
	test_grep "go with --build" err &&
	test_expect_code 2 "$BT" plan --git up --tree v1=git:v1 --build \
		--build-submodule nothing "$(cat P1)" 2>err &&
	test_grep "build-submodule takes PATH=GITDIR" err &&
	git -C up worktree add -q ../v1dir v1
'

test_expect_success 'plan --build on a directory target' '
	"$BT" plan --git up --tree wt=v1dir --base v1 --build \
		--build-dir cache-plandir --format json "$(cat P1)" >plandir.json &&
	jq -e ".targets[0].build.units == [{\"path\": \"a.c\", \"ok\": true}] and
		.targets[0].build.system == \"make\"" plandir.json &&
	test -d cache-plandir/dir-*/src
'

# check --build: the series as it is (no chain), built on the target as
# check left it; the same attribution as plan's, in check's own output.
test_expect_success 'check --build: the error is P2 hunk 2, the warning P3' '
	test_expect_code 1 "$BT" check --git up --tree v1=git:v1 --build \
		--build-dir cache v1..$(cat P3) >check.out 2>err &&
	test_grep "^build on v1:$" check.out &&
	test_grep "^    FAILED a.c$" check.out &&
	test_grep "^    a.c:17: error: .three_value. undeclared.* ($(cat P2), hunk 2)$" check.out &&
	test_grep "^    a.c:11: warning: unused variable .unused.* ($(cat P3), hunk 1)$" check.out &&
	"$BT" check --git up --tree v1=git:v1 --build --build-dir cache \
		"$(cat P1)" >ok.out &&
	test_grep "^  build: 1/1 translation unit compiled (log: " ok.out
'

test_expect_success 'check --build --format json: "builds" beside schema 1' '
	test_expect_code 1 "$BT" check --git up --tree v1=git:v1 --build \
		--build-dir cache --format json v1..$(cat P3) >check.json &&
	jq -e ".version == 1 and (.patches | length) == 3" check.json &&
	jq -e ".builds[0].target == \"v1\" and
		.builds[0].units == [{\"path\": \"a.c\", \"ok\": false}]" check.json &&
	jq -r ".builds[0].diagnostics[] | \"\(.patch) \(.hunk) \(.severity)\"" \
		check.json | sort >got &&
	printf "2 2 error\n3 1 warning\n" >expect &&
	test_cmp expect got
'

test_expect_success 'check --build: bad usage, nothing built' '
	test_expect_code 2 "$BT" check --git up --tree v1=git:v1 --build \
		--independent "$(cat P1)" 2>err &&
	test_grep "not with --independent" err &&
	test_expect_code 2 "$BT" check --git up --tree v1=git:v1 \
		--build-dir cache3 "$(cat P1)" 2>err &&
	test_grep "go with --build" err &&
	test ! -e cache3
'

# A directory target (an unpacked source package, a work tree): copied
# into a cache of its own, without .git; made again when its files change.
test_expect_success 'check --build on a directory target, remade when it changes' '
	"$BT" check --git up --tree wt=v1dir --build --build-dir cache3 \
		--format json "$(cat P1)" >dir.json &&
	jq -e ".builds[0].system == \"make\" and .builds[0].configured_now and
		.builds[0].units == [{\"path\": \"a.c\", \"ok\": true}]" dir.json &&
	test ! -e cache3/dir-*/src/.git &&
	"$BT" check --git up --tree wt=v1dir --build --build-dir cache3 \
		--format json "$(cat P1)" >dir2.json &&
	jq -e ".builds[0].configured_now == false" dir2.json &&
	printf "# a comment\n" >>v1dir/Makefile &&
	"$BT" check --git up --tree wt=v1dir --build --build-dir cache3 \
		--format json "$(cat P1)" >dir3.json &&
	jq -e ".builds[0].configured_now" dir3.json &&
	tail -1 cache3/dir-*/src/Makefile >last &&
	printf "# a comment\n" >expect &&
	test_cmp expect last &&
	test_expect_code 1 "$BT" check --git up --tree wt=v1dir --build \
		--build-dir cache3 "v1..$(cat P3)" >dir.out &&
	test_grep "^    a.c:17: error: .three_value. undeclared.* ($(cat P2), hunk 2)$" dir.out
'

# An adapted hunk is built like any other: the fix (a patch file, so that
# no 3-way merge can place it) misses an upstream line between its two
# changes (context drift: the adapted hunk is one line shorter than
# upstream's), and its second change uses a name the target lacks.
test_expect_success 'setup: a fix that adapts but breaks the build' '
	git init -q ad &&
	printf "#include <stdio.h>\n\nint main(void)\n{\n\tint a = 1;\n\tint b = 2;\n\tint c = 3;\n\tint d = 4;\n\tint e = 5;\n\tint f = 6;\n\tint g = 7;\n\tprintf(\"%%d\\\\n\", a + b + c + d + e + f + g);\n\treturn 0;\n}\n" >ad/a.c &&
	printf "CFLAGS = -Wall -O0\nall: a.o\n" >ad/Makefile &&
	git -C ad add . && git -C ad -c user.name=A -c user.email=a@example.org \
		commit -q -m init && git -C ad tag v1 &&
	sed -i -e "s/^\tint d = 4;$/&\n\tint x = 0;/" \
		-e "s/^#include <stdio.h>$/&\n\nstatic int limit = 9;/" ad/a.c &&
	git -C ad -c user.name=A -c user.email=a@example.org commit -q -a -m drift &&
	sed -i -e "s/^\tint c = 3;$/\tint c = 4;/" \
		-e "s/^\tint g = 7;$/\tint g = 7 + limit;/" ad/a.c &&
	git -C ad diff | grep -v "^index" >fix.patch &&
	git -C ad checkout -q a.c
'

test_expect_success 'check --build: adapted, breaks build: FILE:LINE: error' '
	test_expect_code 1 "$BT" check --git ad --tree v1=git:v1 --build \
		--build-dir cache fix.patch >adb.out 2>err &&
	test_grep "^fix.patch  adapted" adb.out &&
	test_grep "^    adapted, breaks build: a.c:11: .limit. undeclared.* (fix.patch, hunk 1)$" adb.out &&
	test_expect_code 1 "$BT" check --git ad --tree v1=git:v1 --build \
		--build-dir cache --format json fix.patch >adb.json &&
	jq -e ".builds[0].diagnostics == [.builds[0].diagnostics[0]] and
		.builds[0].diagnostics[0].line == 11 and
		.builds[0].diagnostics[0].patch == 1 and
		.builds[0].diagnostics[0].adapted.kinds == \"drift\"" adb.json
'

test_expect_success 'check --build --no-adapt: a conflict, nothing of it built' '
	test_expect_code 1 "$BT" check --git ad --tree v1=git:v1 --build \
		--build-dir cache --no-adapt --format json fix.patch >na.json &&
	jq -e ".patches[0].results[0].verdict == \"conflict\" and
		.builds[0].diagnostics == []" na.json
'

# plan --build: an adaptation must build to stand in for a chain.  D
# gives one() a parameter and drifts the context of F, which calls one(2)
# (a name the target has, so deps sees nothing missing).
test_expect_success 'setup: a fix that adapts where its call does not compile' '
	git init -q ab &&
	printf "int one(void)\n{\n\treturn 1;\n}\n\nint main(void)\n{\n\tint a = 1;\n\tint b = 2;\n\tint c = 3;\n\tint d = 4;\n\tint e = 5;\n\tint f = 6;\n\tint g = 7;\n\treturn a + b + c + d + e + f + g;\n}\n" >ab/a.c &&
	printf "CFLAGS = -Wall -O0\nall: a.o\n" >ab/Makefile &&
	git -C ab add . && git -C ab -c user.name=A -c user.email=a@example.org \
		commit -q -m init && git -C ab tag v1 &&
	sed -i -e "s/^int one(void)\$/int one(int x)/" -e "s/^\treturn 1;\$/\treturn x;/" \
		-e "s/^\tint e = 5;\$/\tint e = 5; \/* five *\//" ab/a.c &&
	git -C ab -c user.name=A -c user.email=a@example.org commit -q -a -m "D: one(x)" &&
	git -C ab rev-parse --short=10 HEAD >D &&
	sed -i -e "s/^\tint c = 3;\$/\tint c = 4;/" -e "s/^\tint g = 7;\$/\tint g = 7 + one(2);/" ab/a.c &&
	git -C ab -c user.name=A -c user.email=a@example.org commit -q -a -m "F: one(2)" &&
	git -C ab rev-parse --short=10 HEAD >F
'

test_expect_success 'plan adapts it without --build; --build refuses it, carries D' '
	"$BT" plan --git ab --tree v1=git:v1 "$(cat F)" >pa.txt &&
	test_grep "^  adapt $(cat F) 1 hunk (drift) instead of carrying 1 commit, " pa.txt &&
	"$BT" plan --git ab --tree v1=git:v1 --build --build-dir cache "$(cat F)" >pb.txt &&
	test_grep "^  not adapted: $(cat F): adapted, breaks build: a.c:14: too many arguments to function .one." pb.txt &&
	test_grep "^  carry $(cat D) D: one(x)" pb.txt &&
	test_grep "^  build: 1/1 translation unit compiled" pb.txt &&
	"$BT" plan --git ab --tree v1=git:v1 --build --build-dir cache --format json \
		"$(cat F)" >pb.json &&
	jq -e ".targets[0].not_adapted[0].why | startswith(\"adapted, breaks build: a.c:14: \")" pb.json &&
	jq -e "[.targets[0].verification[].adapted] == [null, null]" pb.json
'

test_done

#!/bin/sh
# t2000-git-input: upstream commits as the series, git revisions as the
# targets, the 3-way fallback, and deps' missing names and prerequisites,
# on a small upstream history this script builds with git.
. "$(dirname "$0")/test-lib.sh"

commit() {
	git -C up -c user.name='Ann Author' -c user.email=ann@example.org \
		commit -q -a -m "$1"
	git -C up rev-parse HEAD
}

test_expect_success 'setup: an upstream history' '
	git init -q up &&
	printf "/* lib.h */\nint old_api(void);\n\n/* end of api */\n" >up/lib.h &&
	printf "#include \"lib.h\"\nint old_api(void)\n{\n\treturn 1;\n}\n" >up/lib.c &&
	printf "#include \"lib.h\"\nint main(void)\n{\n\treturn old_api();\n}\n" >up/main.c &&
	seq 1 30 >up/numbers.txt &&
	git -C up add . && commit "init" >/dev/null &&
	git -C up tag v1 &&
	printf "int new_api(int x)\n{\n\treturn x;\n}\n" >>up/lib.c &&
	sed -i "s|^int old_api(void);|&\nint new_api(int x);|" up/lib.h &&
	commit "lib: add new_api" >A &&
	sed -i "s|^/\* end of api \*/|/* end of the api, see lib.c */|" up/lib.h &&
	commit "lib: reword the closing comment" >B &&
	sed -i "s|return old_api();|return old_api() + new_api(2);|" up/main.c &&
	sed -i "s|^/\* end of the api, see lib.c \*/|#define API_LEVEL 2\n&|" up/lib.h &&
	commit "main: use new_api" >C &&
	sed -i -e "s/^10$/ten/" -e "s/^16$/sixteen/" up/numbers.txt &&
	commit "numbers: words" >D &&
	git -C up tag v2 &&
	git -C up worktree add -q ../v1dir v1 &&
	git -C up worktree add -q -b mid ../middir v1 &&
	sed -i "s/^13$/t13/" middir/numbers.txt
'

test_expect_success 'deps --help and bad usage' '
	"$BT" deps --help >out && test_grep "^usage: backport-tool deps" out &&
	test_expect_code 2 "$BT" deps --no-such-option 2>err &&
	test_expect_code 2 "$BT" deps --format xml x.patch 2>err &&
	test_grep "deps: unknown format .xml. (text, json)" err &&
	test_expect_code 2 "$BT" deps --base v1 x.patch 2>err &&
	test_grep "needs --git" err
'

test_expect_success 'check reads commits and a range, oldest first' '
	test_expect_code 1 "$BT" check --git up --tree v2=git:v2 --format json "$(cat A)..v2" >out.json &&
	jq -r ".patches[].subject" out.json >subjects &&
	printf "%s\n" "lib: reword the closing comment" "main: use new_api" \
		"numbers: words" >expect &&
	test_cmp expect subjects &&
	jq -r ".patches[].name" out.json >names &&
	{ cut -c1-10 B; cut -c1-10 C; cut -c1-10 D; } >expect &&
	test_cmp expect names
'

test_expect_success 'a git:REV target is read without a checkout' '
	test_expect_code 1 "$BT" check --git up --tree old=git:v1 "$(cat C)" >out &&
	test_grep "conflict" out &&
	"$BT" check --git up --tree mid=git:"$(cat B)" "$(cat C)" >out &&
	test_grep "clean" out &&
	test ! -e up/lib.h.orig
'

test_expect_success 'a bad revision or a missing --git is an input error' '
	test_expect_code 2 "$BT" check --git up --tree x=git:no-such-tag "$(cat C)" 2>err &&
	test_grep "no-such-tag" err &&
	test_expect_code 2 "$BT" check --git up no-such-commit 2>err &&
	test_grep "no-such-commit" err &&
	test_expect_code 2 "$BT" check --git /nonexistent "$(cat C)" 2>err &&
	test_grep "cannot open git repository" err
'

test_expect_success 'an error in a commit names the commit and the line of its format-patch' '
	mkdir c1 && cp v1dir/*.[ch] v1dir/numbers.txt c1/ &&
	test_expect_code 1 "$BT" apply --git up -t c1 "$(cat C)" 2>err &&
	test $(wc -l <err) -eq 1 &&
	line=$(git -C up format-patch --no-stat -1 --stdout "$(cat C)" |
		grep -n "^@@" | head -n 1 | cut -d: -f1) &&
	test_grep "^backport-tool: commit $(cut -c1-10 C) (format-patch --no-stat, line $line): does not apply: lib.h hunk 1: " err &&
	! grep "$(cut -c1-10 C):[0-9]" err &&
	git -C up format-patch --no-stat -1 --stdout "$(cat C)" | sed -n "${line}p" >hunk &&
	test_grep "^@@ -2,4 +2,5 @@" hunk
'

test_expect_success '3-way resolves what fuzz cannot: verdict merged' '
	"$BT" check --git up --tree mid=middir --format json "$(cat D)" >out.json &&
	jq -e ".patches[0].results[0].verdict == \"merged\"" out.json &&
	test_expect_code 1 "$BT" check --no-adapt --tree mid=middir --format json \
		"$(git -C up format-patch -1 --stdout "$(cat D)" >D.patch && echo D.patch)" >plain.json &&
	jq -e ".patches[0].results[0].verdict == \"conflict\"" plain.json &&
	"$BT" check --tree mid=middir --format json D.patch >adapted.json &&
	jq -e ".patches[0].results[0].verdict == \"adapted\"" adapted.json
'

test_expect_success 'apply --merge: a clean 3-way merge is written' '
	git -C up worktree add -q --detach ../m1 v1 &&
	sed -i "s/^13$/t13/" m1/numbers.txt &&
	"$BT" apply --git up --merge --force --tree m1 "$(cat D)" 2>err &&
	test_grep "^backport-tool: commit $(cut -c1-10 D) (format-patch --no-stat, line [0-9]*): warning: numbers.txt hunk 1.*: 3-way merged" err &&
	sed -n "10,16p" m1/numbers.txt >got &&
	printf "%s\n" ten 11 12 t13 14 15 sixteen >expect &&
	test_cmp expect got
'

test_expect_success 'apply --merge: a real conflict leaves diff3 markers, exit 1' '
	git -C up worktree add -q --detach ../m2 v1 &&
	sed -i "s/^10$/TEN/" m2/numbers.txt &&
	test_expect_code 1 "$BT" apply --git up --merge --force --tree m2 "$(cat D)" 2>err &&
	test_grep "^<<<<<<< target$" m2/numbers.txt &&
	test_grep "^||||||| $(cut -c1-10 D)^$" m2/numbers.txt &&
	test_grep "^>>>>>>> $(cut -c1-10 D)$" m2/numbers.txt &&
	test_grep "^sixteen$" m2/numbers.txt
'

test_expect_success 'deps: a missing function traced to the commit that added it' '
	test_expect_code 1 "$BT" deps --git up --tree old=git:v1 --format json \
		"$(cat C)" >deps.json &&
	jq -e ".patches[0].results[0].missing | map(.name) | index(\"new_api\")" deps.json &&
	jq -r ".patches[0].results[0].missing[] | select(.name == \"new_api\") |
		.introduced_by.commit" deps.json >got &&
	test_cmp A got &&
	jq -e ".patches[0].results[0].missing[] | select(.name == \"new_api\") |
		.confidence == \"high\" and .path == \"main.c\" and .line == 4" deps.json
'

test_expect_success 'deps: the commits that changed the lost context are prerequisites' '
	jq -r ".patches[0].results[0].prerequisites[].commit" deps.json >got &&
	cat A B >expect &&
	test_cmp expect got &&
	jq -e ".patches[0].results[0].verdict == \"conflict\"" deps.json
'

test_expect_success 'deps: text output names both' '
	test_expect_code 1 "$BT" deps --git up --tree old=git:v1 "$(cat C)" >out &&
	test_grep "candidate prerequisite $(cut -c1-10 B) lib: reword the closing comment" out &&
	test_grep "main.c:4: missing new_api (prototype at lib.h:3 upstream): introduced by $(cut -c1-10 A)" out
'

test_expect_success 'deps: an earlier patch of the series that applied defines it' '
	"$BT" deps --git up --tree mid=git:"$(cat B)" "$(cat A)" "$(cat C)" >out 2>err ||
	{ cat out; false; } &&
	! grep missing out
'

test_expect_success 'deps: names defined by a patch that did not apply are blamed on it' '
	test_expect_code 1 "$BT" deps --git up --tree old=git:v1 "$(cat B)" "$(cat C)" >out &&
	test_grep "new_api" out
'

test_expect_success 'deps without git: unknown names, low confidence' '
	git -C up format-patch -q -1 -o "$TRASH/p" "$(cat C)" &&
	test_expect_code 1 "$BT" deps --tree v1dir --format json p/*.patch >nogit.json &&
	jq -e ".patches[0].results[0].missing[] | select(.name == \"new_api\") |
		.confidence == \"low\" and .introduced_by == null" nogit.json &&
	jq -e "[.patches[0].results[0].missing[].name] | index(\"old_api\") == null" nogit.json
'

test_expect_success 'setup: a header sync that breaks a compat fallback' '
	git init -q up2 &&
	printf "/* hdr.h */\n#define OLD 1\n" >up2/hdr.h &&
	printf "#include \"hdr.h\"\n#ifndef FEATURE_X\n#define FEATURE_X 1\nint fallback(void);\n#endif\nint user(void);\n" >up2/user.c &&
	git -C up2 add . && git -C up2 -c user.name=A -c user.email=a@x commit -q -m init &&
	git -C up2 tag v1 &&
	printf "#include \"hdr.h\"\n#ifndef FEATURE_X\n#define FEATURE_X 1\n#endif\nint fallback(void);\nint user(void);\n" >up2/user.c &&
	git -C up2 -c user.name=A -c user.email=a@x commit -q -a -m "user: fallback without the guard" &&
	git -C up2 rev-parse HEAD >F &&
	printf "#define FEATURE_X 1\n" >>up2/hdr.h &&
	git -C up2 -c user.name=A -c user.email=a@x commit -q -a -m "hdr: sync" &&
	git -C up2 rev-parse HEAD >S &&
	printf "#define NEWER 2\n" >>up2/hdr.h &&
	git -C up2 -c user.name=A -c user.email=a@x commit -q -a -m "hdr: newer" &&
	git -C up2 rev-parse HEAD >U
'

test_expect_success 'deps: a sync that starts to define a guarded macro needs the fix' '
	test_expect_code 1 "$BT" deps --git up2 --tree old=git:v1 --format json \
		"$(cat U)" >sync.json &&
	jq -r ".patches[0].results[0].prerequisites[] |
		[.commit, .needed_by // \"-\", .guard // \"-\"] | join(\" \")" sync.json >got &&
	printf "%s - -\n%s %s FEATURE_X\n" "$(cat S)" "$(cat F)" "$(cat S)" | sort >expect &&
	sort got >got.sorted &&
	test_cmp expect got.sorted &&
	test_expect_code 1 "$BT" deps --git up2 --tree old=git:v1 "$(cat U)" >out &&
	test_grep "needed by $(cut -c1-10 S): user.c tests FEATURE_X" out
'

test_expect_success 'a commit with a binary blob applies from the object database' '
	git clone -q up blobs &&
	printf "\000\001\002firmware" >blobs/fw.bin &&
	git -C blobs add fw.bin &&
	git -C blobs -c user.name=A -c user.email=a@e commit -q -m "add firmware" &&
	printf "\000\003" >>blobs/fw.bin &&
	echo 31 >>blobs/numbers.txt &&
	git -C blobs -c user.name=A -c user.email=a@e commit -q -a -m "update firmware and numbers" &&
	"$BT" check --no-deps --git blobs --tree base=git:HEAD~1 \
		--format json HEAD >blob.json &&
	test "$(jq -r ".patches[0].results[0].files[] | select(.path == \"fw.bin\") | .verdict" blob.json)" = clean
'

test_expect_success 'where the blob is not the pre-image it is a conflict cell, not the end of the run' '
	test_expect_code 1 "$BT" check --no-deps --git blobs --tree base=git:HEAD~2 \
		--format json HEAD >blob.json &&
	test "$(jq -r ".patches[0].results[0].verdict" blob.json)" = conflict &&
	jq -r ".patches[0].results[0].reason" blob.json >why &&
	test_grep "fw.bin: file missing" why
'

test_done

#!/bin/sh
# t2070-check-base: check --git names prerequisites only from the commits
# the target lacks: a git:REV target's history ends at REV, a directory
# target's at --base REV (as deps and plan take it).
. "$(dirname "$0")/test-lib.sh"

commit() {
	git -C up -c user.name='Ann Author' -c user.email=ann@example.org \
		commit -q -a -m "$1"
	git -C up rev-parse HEAD
}

# The release v1 contains "prep"; the distribution changed prep's line in
# its own tree (the mid branch, and a directory of it).  The feature's
# context has prep's line, so it conflicts there; prep is no prerequisite.
test_expect_success 'setup: a release containing the commit the context lost' '
	git init -q up &&
	seq 1 20 >up/f.c &&
	git -C up add . && commit "init" >/dev/null &&
	sed -i "s/^10$/int ten = 10;/" up/f.c &&
	commit "prep: spell ten" >P &&
	git -C up tag v1 &&
	sed -i "s/^int ten = 10;$/&\nint eleven = 11;/" up/f.c &&
	commit "feature: after ten" >F &&
	git -C up branch mid v1 &&
	git -C up worktree add -q ../mid mid &&
	sed -i "s/^int ten = 10;$/long ten = 10;/" mid/f.c &&
	git -C mid -c user.name=D -c user.email=d@example.org commit -q -a -m ours &&
	rm -rf dir && git -C up archive --prefix=dir/ mid | tar -x
'

test_expect_success 'check --help and bad usage of --base' '
	"$BT" check --help >out && test_grep "^      --base REV" out &&
	test_expect_code 2 "$BT" check --base v1 -t dir "$(cat F)" 2>err &&
	test_grep "^backport-tool: check: --base needs --git REPO$" err &&
	test_expect_code 2 "$BT" check --git up --base v1 --no-deps -t dir \
		"$(cat F)" 2>err &&
	test_grep "check: --base limits" err
'

test_expect_success 'deps on the directory without a base names the release own commit' '
	test_expect_code 1 "$BT" deps --git up -t d=dir "$(cat F)" >out &&
	test_grep "candidate prerequisite $(cut -c1-10 P) prep: spell ten" out
'

test_expect_success 'check --base: a commit the base contains is never a prerequisite' '
	test_expect_code 1 "$BT" check --git up -t d=dir --format json "$(cat F)" >nobase.json &&
	jq -r ".patches[0].results[0].deps" nobase.json >note &&
	test_grep "needs $(cut -c1-10 P)" note &&
	test_expect_code 1 "$BT" check --git up --base v1 -t d=dir --format json \
		"$(cat F)" >base.json &&
	jq -e ".patches[0].results[0].verdict == \"conflict\"" base.json &&
	jq -r ".patches[0].results[0].deps // \"none\"" base.json >note &&
	! grep "$(cut -c1-10 P)" note
'

test_expect_success 'check on git:REV: the base is REV itself' '
	test_expect_code 1 "$BT" check --git up -t m=git:mid --format json "$(cat F)" >rev.json &&
	jq -e ".patches[0].results[0].verdict == \"conflict\"" rev.json &&
	jq -r ".patches[0].results[0].deps // \"none\"" rev.json >note &&
	! grep "$(cut -c1-10 P)" note
'

test_expect_success 'check --base with a revision that does not exist is an input error' '
	test_expect_code 2 "$BT" check --git up --base no-such-rev -t d=dir "$(cat F)" 2>err &&
	test_grep "no-such-rev" err
'

test_done

#!/bin/sh
# t2230-conflict-proof-history: the 3-way merge's proof of a conflict
# (gitsrc_conflict.c) reads a commit's changes off its own patch, those
# whose groups of changed lines cannot slide, and diffs the two blobs when
# they prove nothing and another can.  On real histories, with
# BT_TEST_CHANGES=verify, every change read off a patch is compared with
# the blobs' own diff (a difference exits 3), and the run says how many
# were read and how many diffed: both kinds occur.
# With BT_TEST_PROOF=verify every merge proven to conflict is made all the
# same, and one that merges cleanly exits 3.
#
# Needs QEMU_GIT or one of LIBXML2_GIT, EXPAT_GIT, LIBARCHIVE_GIT,
# OPENJPEG_GIT, TIFF_GIT, SUDO_GIT (clones with full history).
. "$(dirname "$0")/test-lib.sh"

[ -n "${QEMU_GIT:-}${LIBXML2_GIT:-}${EXPAT_GIT:-}${LIBARCHIVE_GIT:-}${OPENJPEG_GIT:-}${TIFF_GIT:-}${SUDO_GIT:-}" ] ||
	skip_all "no upstream history set (QEMU_GIT, LIBXML2_GIT, EXPAT_GIT, LIBARCHIVE_GIT, OPENJPEG_GIT, TIFF_GIT or SUDO_GIT)"

# proof_verified NAME REPO COMMITS TARGET...: judge COMMITS (a file of
# ids) on each TARGET revision from an empty cache, every derived change
# verified; "read diffed" counts in NAME.counts.
proof_verified() {
	name=$1 repo=$2 commits=$3; shift 3
	trees=
	i=0
	for t in "$@"; do
		i=$((i + 1))
		trees="$trees --tree t$i=git:$t"
	done
	rm -rf "$TRASH/cache-$name" || return 1
	st=0
	BT_TEST_CHANGES=verify BT_TEST_PROOF=verify \
	BACKPORT_TOOL_CACHE="$TRASH/cache-$name" \
		"$BT" check --git "$repo" $trees --no-deps --format json \
		"@$commits" >"$name.json" 2>"$name.err" || st=$?
	if [ $st -gt 1 ]; then
		cat "$name.err" >&2
		return 1
	fi
	sed -n 's/^backport-tool: BT_TEST_CHANGES: \([0-9]*\) read off.* \([0-9]*\) diffed$/\1 \2/p' \
		"$name.err" >"$name.counts" &&
	read nread ndiffed <"$name.counts" &&
	nproofs=$(sed -n "s/^backport-tool: BT_TEST_PROOF: \([0-9]*\) proofs.*/\1/p" "$name.err") &&
	say "$name: $nread changes read off the patches and verified, $ndiffed diffed; ${nproofs:-0} proofs checked by merging" &&
	test "$nread" -gt 0 && test "$ndiffed" -gt 0 && test "${nproofs:-0}" -gt 0
}

if [ -n "${QEMU_GIT:-}" ]; then
	. "$TEST_DIRECTORY/lib/qemugit.sh"
	V42=$(qemugit_release v4.2.0) || V42=
	V211=$(qemugit_release v2.11.0) || V211=
	test_expect_success 'qemu: 200 commits after v4.2.0, on v4.2.0 and v2.11.0' '
		test -n "$V42" && test -n "$V211" &&
		git -C "$QEMU_GIT" rev-list --no-merges -n 200 ea2fe4dfe4 "^$V42" >qemu.commits &&
		proof_verified qemu "$QEMU_GIT" qemu.commits "$V42" "$V211"
	'
fi

# A library's 200 newest commits on the revisions a third and half way
# down its first-parent history.
for lib in LIBXML2 EXPAT LIBARCHIVE OPENJPEG TIFF SUDO; do
	eval "repo=\${${lib}_GIT:-}"
	[ -n "$repo" ] || continue
	name=$(echo "$lib" | tr A-Z a-z)
	test_expect_success "$name: 200 commits on two older revisions" '
		git -C "$repo" rev-list --first-parent HEAD >"$name.fp" &&
		n=$(wc -l <"$name.fp") &&
		a=$(sed -n "$((n / 3))p" "$name.fp") &&
		b=$(sed -n "$((n / 2))p" "$name.fp") &&
		git -C "$repo" rev-list --no-merges -n 200 HEAD >"$name.commits" &&
		proof_verified "$name" "$repo" "$name.commits" $a $b
	'
done

test_done

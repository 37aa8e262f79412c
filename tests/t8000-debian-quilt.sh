#!/bin/sh
# t8000-debian-quilt: real Debian series, compared with quilt.
#
# qemu's bullseye and bookworm source packages (the versions issue 7 names)
# and trixie's current one are downloaded from Debian's archive at test
# time (tests/lib/debsrc.sh).  For each, `backport-tool apply`
# of debian/patches/series onto the orig tree must give exactly the tree
# `quilt push -a` gives (contents, file types and modes), and `check` on the
# orig tree must judge every patch OK or minor noise: these series are what
# dpkg-source applied when the packages were built, so anything worse is a
# wrong verdict.  Each hunk's offset and line must also be the ones GNU
# patch reports when it applies the series one patch after the other.
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib/debsrc.sh"
. "$TEST_DIRECTORY/lib/gnupatch.sh"

debsrc_available || skip_all "Debian archive unreachable"

RELEASES="bullseye=1:5.2+dfsg-11+deb11u3 bookworm=1:7.2+dfsg-7+deb12u18"
trixie=$(debsrc_version qemu trixie) && RELEASES="$RELEASES trixie=$trixie"

# manifest DIR: every path with its type and mode (and a symlink's target),
# ignoring quilt's .pc; the contents are compared by diff -r.
manifest() {
	(cd "$1" && find . -path ./.pc -prune -o -printf '%y %m %p -> %l\n' | sort)
}

# series_names SERIES: the patch names of a quilt series, in order.
series_names() {
	sed 's/#.*//' "$1" | awk 'NF { print $1 }'
}

for rel in $RELEASES; do
	name=${rel%%=*} version=${rel#*=}

	test_expect_success "$name: fetch qemu $version, plain and quilt-pushed" "
		debsrc_unpacked qemu '$version' >$name.orig &&
		debsrc_patched qemu '$version' >$name.quilt &&
		series_names \"\$(cat $name.orig)/debian/patches/series\" >$name.series &&
		test -s $name.series
	"

	test_expect_success "$name: apply --series gives quilt's tree" "
		tree_copy \"\$(cat $name.orig)\" $name.bt >/dev/null &&
		\"\$BT\" apply --tree $name.bt --series $name.bt/debian/patches/series &&
		diff -r --no-dereference -x .pc \"\$(cat $name.quilt)\" $name.bt &&
		manifest \"\$(cat $name.quilt)\" >$name.quilt.manifest &&
		manifest $name.bt >$name.bt.manifest &&
		test_cmp $name.quilt.manifest $name.bt.manifest
	"

	test_expect_success "$name: check judges every patch OK or minor noise" "
		\"\$BT\" check --tree $name=\"\$(cat $name.orig)\" \
			--series \"\$(cat $name.orig)/debian/patches/series\" \
			--format json >$name.json &&
		jq -r '.patches[].name' $name.json >$name.checked &&
		test_cmp $name.series $name.checked &&
		jq -r '.patches[] | .name + \" \" + .results[0].verdict + \" \" + .results[0].word' \
			$name.json >$name.verdicts &&
		! grep -v ' \\(clean OK\\|offset minor noise\\)\$' $name.verdicts
	"
	test_expect_success "$name: every hunk lands where GNU patch puts it" "
		tree_copy \"\$(cat $name.orig)\" $name.gnu >/dev/null &&
		: >$name.gnu.tsv &&
		sed 's/#.*//' $name.gnu/debian/patches/series | awk 'NF' |
		while read -r p opts; do
			patch -d $name.gnu \${opts:--p1} -F0 --no-backup-if-mismatch --verbose \
				<$name.gnu/debian/patches/\$p >$name.gnu.out 2>&1 || exit 1
			gnupatch_hunks $name.gnu/debian/patches/\$p \$p <$name.gnu.out >>$name.gnu.tsv
		done &&
		check_json_hunks <$name.json >$name.check.tsv &&
		test \$(wc -l <$name.gnu.tsv) = \$(wc -l <$name.check.tsv) &&
		awk -F'\t' '
			NR == FNR { k = \$1 SUBSEP \$2 SUBSEP \$3 SUBSEP \$4; v[k] = \$5 \" at \" \$6 \" offset \" \$7; next }
			{ k = \$1 SUBSEP \$2 SUBSEP \$3 SUBSEP \$4
			  want = (\$5 != \"placed\") ? \$5 : (\$7 != 0) ? \"offset\" : \"clean\"
			  want = want \" at \" \$6 \" offset \" \$7
			  if (v[k] != want) print \$1, \$2, \"hunk\", \$4 \": GNU patch:\", want, \"check:\", v[k] }
		' $name.check.tsv $name.gnu.tsv >$name.hunkdiff &&
		test_cmp /dev/null $name.hunkdiff
	"
	[ -s $name.verdicts ] &&
		say "$name: $(wc -l <$name.series) patches: $(grep -c ' clean ' $name.verdicts) clean, $(grep -c ' offset ' $name.verdicts) offset;" \
			"$(wc -l <$name.gnu.tsv 2>/dev/null) hunks, $(grep -c '	placed	[0-9]*	[1-9-]' $name.gnu.tsv 2>/dev/null) with an offset"
done

test_done

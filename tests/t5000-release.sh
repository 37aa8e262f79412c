#!/bin/sh
# t5000-release: the main job, "prepare the vfio-ccw backport for focal and
# groovy".  Needs a QEMU clone with full history in QEMU_GIT.
. "$(dirname "$0")/test-lib.sh"

export DEBFULLNAME="Test Maintainer" DEBEMAIL=test@example.org
export SOURCE_DATE_EPOCH=1600000000

test_expect_success 'release refuses to run without upstream history' '
	(unset QEMU_GIT; test_expect_code 2 "$BT" release --profile "$SRCDIR/series/focal" 2>err) &&
	test_grep "no upstream history: give --git REPO or set QEMU_GIT" err
'

test_expect_success 'release refuses a profile with a typo, naming the line' '
	sed "s/^Pocket:/Pockets:/" "$SRCDIR/series/focal" >focal &&
	test_expect_code 2 "$BT" release --git . --profile focal 2>err &&
	test_grep "^backport-tool: focal:[0-9]*: unknown field .Pockets." err
'

test_expect_success 'release without a maintainer stops before touching its output' '
	mkdir -p keep/focal && echo previous >keep/focal/report.md &&
	(unset DEBFULLNAME DEBEMAIL NAME EMAIL &&
	 test_expect_code 2 "$BT" release --git . --profile "$SRCDIR/series/focal" \
		--out keep >said 2>err) &&
	test $(wc -l <err) -eq 1 &&
	test_grep "^backport-tool: no maintainer for the changelog: set DEBFULLNAME" err &&
	! grep written said &&
	test "$(cat keep/focal/report.md)" = previous
'

test_expect_success 'a Base the clone lacks: its profile line, and the output untouched' '
	git init -q small &&
	git -C small -c user.name=a -c user.email=a@example.org commit -q \
		--allow-empty -m one &&
	line=$(grep -n "^Base:" "$SRCDIR/series/focal" | cut -d: -f1) &&
	test_expect_code 2 "$BT" release --git small --profile "$SRCDIR/series/focal" \
		--out keep 2>err &&
	test $(wc -l <err) -eq 1 &&
	test_grep "^backport-tool: .*series/focal:$line: Base: .v4.2.0. is not a commit of small\$" err &&
	test "$(cat keep/focal/report.md)" = previous
'

test_expect_success 'a profile without Base names the line its paragraph starts on' '
	mkdir -p prof/series prof/patches && cp "$SRCDIR"/patches/*.backport prof/patches/ &&
	sed "s/^Base: .*/Source: 1:4.2-3ubuntu6/" "$SRCDIR/series/focal" >prof/series/src &&
	line=$(grep -n "^[A-Z]" prof/series/src | head -n 1 | cut -d: -f1) &&
	test_expect_code 2 "$BT" release --git small --profile prof/series/src --out keep 2>err &&
	test $(wc -l <err) -eq 1 &&
	test_grep "^backport-tool: prof/series/src:$line: release needs Base" err
'

test_expect_success 'a profile with no fields names its last line' '
	printf "# only a comment\n\n" >empty &&
	test_expect_code 2 "$BT" release --git small --profile empty 2>err &&
	test $(wc -l <err) -eq 1 &&
	test_grep "^backport-tool: empty:2: no fields\$" err
'

if [ -z "${QEMU_GIT:-}" ] || ! git --git-dir="$QEMU_GIT" rev-parse -q --verify v4.2.0 >/dev/null 2>&1 &&
   ! git -C "$QEMU_GIT" rev-parse -q --verify v4.2.0 >/dev/null 2>&1; then
	say "QEMU_GIT not set (or without tags v4.2.0, v5.0.0): skipping the release scenarios"
	test_done
	exit $?
fi

for rel in groovy focal; do
	test_expect_success "$rel: release writes a queue and a report" "
		\"\$BT\" release --profile \"\$SRCDIR/series/$rel\" --out out >log 2>&1 &&
		test -s out/$rel/report.md &&
		test \$(wc -l <out/$rel/src/debian/patches/series) -eq 6
	"

	test_expect_success "$rel: the full header sync conflicts, the trimmed one is OK" "
		grep -A3 \"upstream commits as they are\" out/$rel/report.md >full &&
		test_grep \"| 1 | f76b348ec7 | conflict\" out/$rel/report.md &&
		test_grep \"^| 1 | f76b348ec7 | OK\" out/$rel/report.md
	"

	test_expect_success "$rel: the trimmed sync touches only vfio.h and vfio_ccw.h" "
		grep \"^+++ \" out/$rel/src/debian/patches/ubuntu/lp-1887930-1-*.patch |
			sort >touched &&
		printf \"+++ b/linux-headers/linux/vfio.h\\n+++ b/linux-headers/linux/vfio_ccw.h\\n\" >expect &&
		test_cmp expect touched
	"

	test_expect_success "$rel: the queue applies with quilt at fuzz 0" "
		(cd out/$rel/src && QUILT_PATCHES=debian/patches quilt push -a --fuzz=0 >../quilt.log 2>&1) &&
		grep -q VFIO_CCW_CRW_IRQ_INDEX out/$rel/src/linux-headers/linux/vfio.h &&
		grep -q vfio_ccw_crw_notifier_handler out/$rel/src/hw/vfio/ccw.c
	"

	test_expect_success "$rel: every patch has DEP-3 Origin and Bug-Ubuntu" "
		for p in out/$rel/src/debian/patches/ubuntu/*.patch; do
			grep -q \"^Origin: \\(upstream\\|backport\\), https://\" \$p &&
			grep -q \"^Bug-Ubuntu: https://bugs.launchpad.net/bugs/1887930\" \$p || exit 1
		done &&
		grep -q \"^Origin: backport, \" out/$rel/src/debian/patches/ubuntu/lp-1887930-1-*.patch
	"
done

# The report's Prerequisites: the chain that would make the full sync apply
# (what the maintainers listed by hand on LP #1887930), beside the trim.
test_expect_success 'the report lists the prerequisites of the full sync' '
	sed -n "/^## Prerequisites/,/^## Patches/p" out/focal/report.md >focal.pre &&
	test_grep "^### Prerequisites on focal: verified" focal.pre &&
	for c in 2a886794f1 50fd0c375b ddda37483d dc6f8d458a; do
		test_grep "^| $c | " focal.pre || exit 1
	done &&
	test_grep "^| 5 | f76b348ec7 (series) | clean | 47/47 |" focal.pre &&
	test_grep "^Alternative: f76b348ec7 trimmed to what the series uses, 22 lines" focal.pre &&
	! grep "was refused" focal.pre &&
	sed -n "/^## Prerequisites/,/^## Patches/p" out/groovy/report.md >groovy.pre &&
	test_grep "^| dc6f8d458a | " groovy.pre &&
	test $(grep -c "^| [0-9a-f]\{10\} | " groovy.pre) -eq 1
'

test_expect_success 'groovy (devel) gets the next ubuntu version, focal (sru) the next SRU' '
	(cd out/groovy/src && dpkg-parsechangelog -S Version) >v &&
	echo "1:5.0-5ubuntu3" >expect && test_cmp expect v &&
	(cd out/focal/src && dpkg-parsechangelog -S Version) >v &&
	echo "1:4.2-3ubuntu6.5" >expect && test_cmp expect v &&
	(cd out/focal/src && dpkg-parsechangelog -S Distribution) >d &&
	echo focal >expect && test_cmp expect d &&
	test_grep "LP: #1887930" out/focal/src/debian/changelog
'

test_expect_success 'release twice gives the same queue' '
	cp -r out/focal/src/debian/patches first &&
	"$BT" release --profile "$SRCDIR/series/focal" --out out >log 2>&1 &&
	diff -r first out/focal/src/debian/patches
'

test_done

#!/bin/sh
# t6900-fuzz: every libFuzzer harness (patch parser, mbox/DEP-3 reader,
# series reader, C declaration scanner, placement engine, path_check) runs
# for BT_FUZZ_SECONDS (60) from its seed corpus and must find nothing.
. "$(dirname "$0")/test-lib.sh"

command -v clang >/dev/null 2>&1 || skip_all "clang not installed: no libFuzzer"
[ -n "${BT_VALGRIND:-}" ] && skip_all "fuzzing under valgrind makes no sense"
seconds=${BT_FUZZ_SECONDS:-60}

test_expect_success "each harness runs ${seconds}s and finds no crash, leak or UB" '
	make -s -C "$SRCDIR" BUILD="$TRASH/build" FUZZ_SECONDS=$seconds fuzz >fuzz.out 2>&1 ||
		{ cat fuzz.out; exit 1; } &&
	n=$(grep -c "^fuzz: " fuzz.out) &&
	test "$n" -eq $(ls "$SRCDIR"/tests/fuzz/fuzz_*.c | wc -l) &&
	! grep -q "ERROR\|runtime error" fuzz.out &&
	sed "s/^/# /" fuzz.out
'

test_done

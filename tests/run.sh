#!/bin/sh
# run.sh - run every test (cmocka unit tests, then scenario scripts) and end
# with one line "N passed, N failed, N skipped" that CI reads.
#
# TEST_ONLY=pattern limits the scenario scripts to those matching it.

BUILD=${BUILD:-build}
export BUILD
export CMOCKA_MESSAGE_OUTPUT=TAP
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
log="$BUILD/test-results"
mkdir -p "$log"

passed=0 failed=0 skipped=0 failed_names=""

count() {
	# $1: name, $2: TAP output file, $3: exit status
	p=$(grep -c '^ok ' "$2")
	f=$(grep -c '^not ok ' "$2")
	if grep -q '^1\.\.0 # SKIP' "$2"; then
		skipped=$((skipped + 1))
		printf '%-40s skipped: %s\n' "$1" "$(sed -n 's/^1\.\.0 # SKIP //p' "$2")"
		return
	fi
	if [ "$3" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1 # died before reporting
	fi
	passed=$((passed + p)) failed=$((failed + f))
	[ "$f" -gt 0 ] && failed_names="$failed_names $1"
	printf '%-40s %d ok, %d not ok\n' "$1" "$p" "$f"
}

for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	# a unit test that hangs is a failure, not a stuck CI run
	timeout 600 "$t" >"$log/$name.out" 2>&1
	count "$name" "$log/$name.out" $?
done

for t in tests/t[0-9]*.sh; do
	[ -f "$t" ] || continue
	case "$t" in *${TEST_ONLY:-}*) ;; *) continue ;; esac
	name=$(basename "$t" .sh)
	sh "$t" >"$log/$name.out" 2>&1
	count "$name" "$log/$name.out" $?
done

for n in $failed_names; do
	echo "--- $n"
	grep -v '^ok ' "$log/$n.out" | head -60
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]

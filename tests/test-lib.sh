# test-lib.sh - a small git-style scenario library for backport-tool's tests.
#
# A test script sources this file, then calls
#     test_expect_success 'what it shows' 'shell commands'
# for each scenario and test_done at the end.  Each scenario runs in the
# script's own trash directory; its output is shown only when it fails (or
# with -v).  Results are printed as TAP ("ok N - ..."), which tests/run.sh
# counts.  A script that cannot run (missing data, no network) calls
# skip_all "reason", which prints the reason and counts as skipped.

TEST_NAME=$(basename "$0" .sh)
TEST_DIRECTORY=$(cd "$(dirname "$0")" && pwd)
SRCDIR=$(cd "$TEST_DIRECTORY/.." && pwd)
BUILD=${BUILD:-build}
case "$BUILD" in /*) ;; *) BUILD="$SRCDIR/$BUILD" ;; esac
BT="$BUILD/backport-tool"
TRASH="$BUILD/trash/$TEST_NAME"
CACHE=${BACKPORT_TOOL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/backport-tool}
export BT SRCDIR BUILD CACHE TEST_DIRECTORY
export LC_ALL=C TZ=UTC

test_count=0
test_failed=0
verbose=${TEST_VERBOSE:-}
[ "${1:-}" = "-v" ] && verbose=1

rm -rf "$TRASH" && mkdir -p "$TRASH" && cd "$TRASH" || exit 1

say() { printf '# %s\n' "$*"; }

skip_all() {
	echo "1..0 # SKIP $*"
	echo "$TEST_NAME: skipped: $*" >&2
	exit 0
}

test_expect_success() {
	test_count=$((test_count + 1))
	if [ -n "$verbose" ]; then
		(set -e; eval "$2")
	else
		(set -e; eval "$2") >"$TRASH/.out" 2>&1
	fi
	if [ $? -eq 0 ]; then
		echo "ok $test_count - $1"
	else
		test_failed=$((test_failed + 1))
		echo "not ok $test_count - $1"
		[ -z "$verbose" ] && sed 's/^/#   /' "$TRASH/.out"
	fi
}

# test_expect_code CODE CMD...: run CMD, succeed only if it exits CODE.
test_expect_code() {
	want=$1; shift
	"$@" && got=0 || got=$?
	if [ "$got" != "$want" ]; then
		echo "expected exit $want, got $got: $*" >&2
		return 1
	fi
}

# test_cmp EXPECTED ACTUAL: show the difference when they differ.
test_cmp() {
	diff -u "$1" "$2"
}

# test_grep PATTERN FILE: like grep -q, but shows the file on failure.
test_grep() {
	if ! grep -q -- "$1" "$2"; then
		echo "no '$1' in $2:" >&2
		sed 's/^/| /' "$2" >&2
		return 1
	fi
}

test_done() {
	echo "1..$test_count"
	[ "$test_failed" -eq 0 ]
}

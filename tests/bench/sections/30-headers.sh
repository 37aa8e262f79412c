# 30-headers.sh - the header scanner and trimmer on real data: scanning
# every header of linux-libc-dev (bookworm, Linux 6.1), and trimming those
# headers for QEMU 7.2's hw/vfio on QEMU 5.2's tree (as t3800 does), next
# to the sizes of the trimmed diff and of the full update.
# Sourced by tests/bench/run.sh.

HEADERS_TARGET=1:5.2+dfsg-11+deb11u3
HEADERS_CONSUMER=1:7.2+dfsg-7+deb12u18

debsrc_available || bench_fail "Debian archive unreachable"
deb=$(debbin_unpacked linux-libc-dev bookworm) || bench_fail "no linux-libc-dev"
target=$(debsrc_patched qemu "$HEADERS_TARGET") || bench_fail "no qemu $HEADERS_TARGET"
consumer=$(debsrc_patched qemu "$HEADERS_CONSUMER") || bench_fail "no qemu $HEADERS_CONSUMER"
work=$(bench_work headers) || exit 1
mkdir -p "$work/empty"

bench_script "$work/scan.sh" <<EOF
exec "\$BT" headers --scan "$deb/usr/include" >/dev/null
EOF
consumers=$(for f in "$consumer"/hw/vfio/*.c; do printf ' -c %s' "$f"; done)
bench_script "$work/trim.sh" <<EOF
exec "\$BT" headers --tree "$target" --source-dir "$deb/usr/include" \
	$consumers -o /dev/null 2>/dev/null
EOF

bench_md ""
bench_md "## headers: scan and trim linux-libc-dev $(cat "$deb.version" 2>/dev/null)"
bench_md ""
bench_md "$("$BT" headers --scan "$deb/usr/include" | sed 's/, [0-9.]* s$//')."

# QEMU 7.2's own header sync onto 5.2, as a plain diff: trimming it for
# hw/vfio next to applying all of it with GNU patch.
mkdir -p "$work/old/include" "$work/new/include" &&
	cp -a "$target/linux-headers" "$work/old/" &&
	cp -a "$target/include/standard-headers" "$work/old/include/" &&
	cp -a "$consumer/linux-headers" "$work/new/" &&
	cp -a "$consumer/include/standard-headers" "$work/new/include/" || exit 1
(cd "$work" && diff -ruN old new >sync.patch; test $? -eq 1) ||
	bench_fail "no header sync diff"
bench_script "$work/trim-patch.sh" <<SCRIPT
exec "\$BT" headers --tree "\$1" --source "$work/sync.patch" \
	$consumers -o /dev/null 2>/dev/null
SCRIPT
bench_script "$work/full-patch.sh" <<SCRIPT
exec patch -s -d "\$1" -p1 -F2 <"$work/sync.patch" >/dev/null
SCRIPT

bench_time headers-scan "$work/empty" "$work/x" "$work/scan.sh"
bench_time headers-trim "$work/empty" "$work/y" "$work/trim.sh"
bench_time headers-trim-patch "$work/old" "$work/z" "$work/trim-patch.sh"
bench_time headers-full-patch "$work/old" "$work/w" "$work/full-patch.sh"

sh "$work/trim.sh" >/dev/null
"$BT" headers --tree "$target" --source-dir "$deb/usr/include" $consumers \
	-o /dev/null --format json >"$BENCH/headers-report.json" 2>/dev/null ||
	bench_fail "headers trim failed"
bench_md ""
bench_md "| job | mean (ms) | σ (ms) |"
bench_md "|-----|----------:|-------:|"
bench_md "$(awk -v m="$(bench_stat headers-scan mean)" -v s="$(bench_stat headers-scan stddev)" \
	'BEGIN { printf "| scan every header | %.1f | %.1f |", m, s }')"
bench_md "$(awk -v m="$(bench_stat headers-trim mean)" -v s="$(bench_stat headers-trim stddev)" \
	'BEGIN { printf "| trim Linux 6.1 for hw/vfio (QEMU 7.2 on 5.2) | %.1f | %.1f |", m, s }')"
bench_md "$(awk -v m="$(bench_stat headers-trim-patch mean)" -v s="$(bench_stat headers-trim-patch stddev)" \
	-v n="$(wc -l <"$work/sync.patch")" \
	'BEGIN { printf "| trim QEMU 7.2 header sync (%d-line diff) for hw/vfio | %.1f | %.1f |", n, m, s }')"
bench_md "$(awk -v m="$(bench_stat headers-full-patch mean)" -v s="$(bench_stat headers-full-patch stddev)" \
	'BEGIN { printf "| apply that whole sync with GNU patch | %.1f | %.1f |", m, s }')"
bench_md ""
bench_md "- trimmed diff: $(jq .summary.kept_lines "$BENCH/headers-report.json") added lines" \
	"($(jq .summary.kept "$BENCH/headers-report.json") declarations);" \
	"the update has $(jq .summary.full_lines "$BENCH/headers-report.json") lines of new declarations" \
	"($(jq .summary.dropped "$BENCH/headers-report.json") dropped)"

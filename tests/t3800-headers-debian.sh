#!/bin/sh
# t3800-headers-debian: the trimmer on real Debian data.
#
# Target: QEMU 5.2 as bullseye ships it (qemu 1:5.2+dfsg-11+deb11u3, its
# patches applied).  Source: linux-libc-dev's /usr/include from bookworm
# (Linux 6.1).  Consumers: QEMU 7.2's hw/vfio/*.c from bookworm.  The
# trimmed diff must apply with fuzz 0; a probe translation unit using every
# symbol the report says the consumers need must compile against the
# trimmed tree and fail against the untrimmed one; and every declaration
# the diff adds must be used by the consumers or needed by one that is.
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib/debsrc.sh"

debsrc_available || skip_all "Debian archive unreachable"
command -v jq >/dev/null || skip_all "jq not installed"

# probe REPORT: a C file that fails to compile unless every "needed"
# declaration of the report is there.
probe() {
	echo '#include <stddef.h>'
	echo '#include <stdint.h>'
	echo '#define QEMU_PACKED __attribute__((packed))'
	jq -r '.needed | map(.path) | unique | .[]' "$1" | while read -r p; do
		case "$p" in
		linux-headers/*) echo "#include <${p#linux-headers/}>" ;;
		include/*) echo "#include \"${p#include/}\"" ;;
		esac
	done
	jq -r '.needed | to_entries[] | [.key, .value.kind, .value.name, (.value.of // "-"), (.value.designator // .value.name)] | join("|")' "$1" |
	while IFS='|' read -r n kind name of field; do
		[ "$of" = - ] && of=""
		[ -n "$of" ] && kind=field
		case "$kind" in
		field) printf 'int probe_%s = offsetof(%s, %s);\n' "$n" "$of" "$field" ;;
		define) printf '#ifndef %s\n#error %s missing\n#endif\n' "$name" "$name" ;;
		enumerator) printf 'int probe_%s = %s;\n' "$n" "$name" ;;
		struct|union|enum) printf 'int probe_%s = sizeof(%s);\n' "$n" "$name" ;;
		typedef) printf 'int probe_%s = sizeof(%s);\n' "$n" "$name" ;;
		function) printf 'void *probe_%s = (void *)%s;\n' "$n" "$name" ;;
		*) printf 'int probe_%s = sizeof(%s);\n' "$n" "$name" ;;
		esac
	done
}

# compile TREE: the probe against TREE's copies (asm/ as QEMU's configure
# links it), never the system's newer headers for what TREE has.
compile() {
	rm -rf inc && mkdir inc &&
	ln -s "$1/linux-headers/asm-x86" inc/asm &&
	cc -fsyntax-only -Iinc -I"$1/linux-headers" -I"$1/include" probe.c
}

test_expect_success 'fetch qemu 5.2, qemu 7.2 and linux-libc-dev 6.1' '
	debsrc_patched qemu 1:5.2+dfsg-11+deb11u3 >target.path &&
	debsrc_patched qemu 1:7.2+dfsg-7+deb12u18 >consumer.path &&
	debbin_unpacked linux-libc-dev bookworm >deb.path &&
	test -f "$(cat deb.path)/usr/include/linux/vfio.h" &&
	tree_copy "$(cat target.path)" target >/dev/null &&
	tree_copy "$(cat target.path)" untrimmed >/dev/null
'

test_expect_success 'trim Linux 6.1 for hw/vfio of QEMU 7.2' '
	for f in "$(cat consumer.path)"/hw/vfio/*.c; do
		echo "-c $f" || return 1
	done >consumers &&
	"$BT" headers --tree target --source-dir "$(cat deb.path)/usr/include" \
		$(cat consumers) -o trim.patch --format json >report.json 2>err &&
	test -s trim.patch &&
	say "$(jq -c .summary report.json)" &&
	test "$(jq ".needed | length" report.json)" -gt 0
'

test_expect_success 'the trimmed diff is a small part of the update' '
	jq -e ".summary.kept_lines * 20 < .summary.full_lines" report.json &&
	jq -e ".summary.dropped > 100" report.json
'

test_expect_success 'the trimmed diff applies with fuzz 0' '
	patch -s -d target -p1 -F0 --dry-run <trim.patch &&
	patch -s -d target -p1 -F0 <trim.patch
'

test_expect_success 'the probe compiles against the trimmed tree only' '
	probe report.json >probe.c &&
	compile "$PWD/target" &&
	! compile "$PWD/untrimmed" 2>err &&
	test_grep "error" err
'

test_expect_success 'everything added is used by the consumers or needed by what is' '
	jq -r ".kept[] | select(.why == \"used\") | .name" report.json >used &&
	test -s used &&
	while read -r name; do
		grep -qw -- "${name#* }" "$(cat consumer.path)"/hw/vfio/*.c ||
			{ echo "$name is kept but no consumer uses it"; return 1; }
	done <used &&
	jq -r ".kept[] | .why" report.json | sed -n "s/^needed by //p" >by &&
	while read -r name; do
		jq -e --arg n "$name" ".kept | map(.name) | index(\$n)" report.json >/dev/null ||
			{ echo "$name needs declarations but is not kept"; return 1; }
	done <by &&
	jq -r ".kept[] | .why" report.json | grep -v -e "^used\$" -e "^needed by " -e "^holds " >other || true &&
	test ! -s other
'

test_expect_success 'each added line belongs to a kept declaration' '
	kept_lines=$(jq ".summary.kept_lines" report.json) &&
	added=$(grep -c "^+[^+]\|^+\$" trim.patch) &&
	test "$added" -eq "$kept_lines"
'

test_expect_success 'QEMU 7.2'"'"'s own header sync as the source: the same lines' '
	q7="$(cat consumer.path)" q5="$(cat target.path)" &&
	mkdir -p a/include b/include &&
	cp -r "$q5/linux-headers" a/ && cp -r "$q5/include/standard-headers" a/include/ &&
	cp -r "$q7/linux-headers" b/ && cp -r "$q7/include/standard-headers" b/include/ &&
	{ diff -ruN a b >sync.patch; test $? -eq 1; } &&
	"$BT" headers --tree untrimmed --source sync.patch $(cat consumers) \
		-o from-patch.patch 2>report &&
	grep "^+" trim.patch >expect &&
	grep "^+" from-patch.patch >actual &&
	test_cmp expect actual
'

test_done

#!/bin/sh
# t3000-headers: `backport-tool headers` on small headers written here: the
# command line contract, a patch and a headers tree as the source, the
# portable spelling of include/standard-headers, a new #ifdef block, value
# conflicts (exit 1), and --scan.
. "$(dirname "$0")/test-lib.sh"

# A small QEMU-like target and a newer "usr/include" for it.
mkdir -p target/linux-headers/linux target/include/standard-headers/linux \
	usr/linux hw
cat >target/linux-headers/linux/vfio.h <<'EOF'
#ifndef _LINUX_VFIO_H
#define _LINUX_VFIO_H

#include <linux/types.h>

/* region types */
#define VFIO_REGION_TYPE_GFX                    (1)
#define VFIO_REGION_TYPE_CCW			(2)

/* sub-types for VFIO_REGION_TYPE_CCW */
#define VFIO_REGION_SUBTYPE_CCW_ASYNC_CMD	(1)

enum {
	VFIO_CCW_IO_IRQ_INDEX,
	VFIO_CCW_NUM_IRQS
};

struct vfio_region_info {
	__u32	argsz;
	__u32	flags;
};

#endif /* _LINUX_VFIO_H */
EOF
cat >usr/linux/vfio.h <<'EOF'
#ifndef _LINUX_VFIO_H
#define _LINUX_VFIO_H

#include <linux/types.h>

/* region types */
#define VFIO_REGION_TYPE_GFX                    (1)
#define VFIO_REGION_TYPE_CCW			(2)
#define VFIO_REGION_TYPE_MIGRATION              (3)

/* sub-types for VFIO_REGION_TYPE_CCW */
#define VFIO_REGION_SUBTYPE_CCW_ASYNC_CMD	(1)
#define VFIO_REGION_SUBTYPE_CCW_SCHIB		(2)
#define VFIO_REGION_SUBTYPE_CCW_CRW		(3)

#ifdef __s390x__
/* channel report words */
#define VFIO_CCW_CRW_MASK(x) \
	((x) & 0xffff)
#define VFIO_CCW_CRW_UNUSED 7
#endif

enum {
	VFIO_CCW_IO_IRQ_INDEX,
	VFIO_CCW_CRW_IRQ_INDEX,
	VFIO_CCW_NUM_IRQS
};

struct vfio_region_info {
	__u32	argsz;
	__u32	flags;
};

/*
 * Used for returning a Channel Report Word to userspace.
 */
struct ccw_crw_region {
	__u32 crw;
	__u32 pad;
} __attribute__((packed));

struct vfio_unused_neighbour {
	__u64 x;
};

#endif /* _LINUX_VFIO_H */
EOF
cat >target/include/standard-headers/linux/virtio_x.h <<'EOF'
#ifndef _LINUX_VIRTIO_X_H
#define _LINUX_VIRTIO_X_H
#include "standard-headers/linux/types.h"

#define VIRTIO_X_F_A	0

#endif
EOF
cat >usr/linux/virtio_x.h <<'EOF'
#ifndef _LINUX_VIRTIO_X_H
#define _LINUX_VIRTIO_X_H
#include <linux/types.h>

#define VIRTIO_X_F_A	0

struct virtio_x_config {
	__le32 size;
	__u8 flags;
} __attribute__((packed));

#endif
EOF
cat >hw/ccw.c <<'EOF'
#include "linux/vfio.h"
/* VFIO_REGION_TYPE_MIGRATION is mentioned only in a comment */
static const char *s = "VFIO_CCW_CRW_UNUSED";
int f(void)
{
	struct ccw_crw_region r;
	return VFIO_REGION_SUBTYPE_CCW_CRW + VFIO_CCW_CRW_IRQ_INDEX +
	       VFIO_CCW_CRW_MASK(r.crw);
}
EOF
cp -r target pristine

test_expect_success 'headers --help prints its usage and exits 0' '
	"$BT" headers --help >out &&
	test_grep "usage: backport-tool headers" out &&
	test_grep "source-dir DIR" out
'

test_expect_success 'bad usage exits 2 with one line' '
	test_expect_code 2 "$BT" headers --source-dir usr -c hw/ccw.c 2>err &&
	test_grep "backport-tool: headers: --tree is required" err &&
	test $(wc -l <err) -eq 1 &&
	test_expect_code 2 "$BT" headers --tree target -c hw/ccw.c 2>err &&
	test_grep "one of --source and --source-dir" err &&
	test_expect_code 2 "$BT" headers --tree target --source x --source-dir usr -c hw/ccw.c 2>err &&
	test_expect_code 2 "$BT" headers --tree target --source-dir usr 2>err &&
	test_grep "at least one --consumer" err &&
	test_expect_code 2 "$BT" headers --tree target --source-dir usr -c hw/ccw.c --format xml 2>err &&
	test_expect_code 2 "$BT" headers --no-such-option 2>err &&
	test_grep "unknown option" err
'

test_expect_success 'unreadable input exits 2 naming it' '
	test_expect_code 2 "$BT" headers --tree target --source-dir usr -c nonexistent.c 2>err &&
	test_grep "nonexistent.c" err &&
	test_expect_code 2 "$BT" headers --tree target --source nonexistent.patch -c hw/ccw.c 2>err &&
	test_grep "nonexistent.patch" err &&
	test_expect_code 2 "$BT" headers --tree nonexistent --source-dir usr -c hw/ccw.c 2>err &&
	test_grep "nonexistent" err
'

test_expect_success 'a headers tree as the source: the diff on stdout, the report on stderr' '
	"$BT" headers --tree target --source-dir usr -c hw/ccw.c >trim.patch 2>report &&
	test_grep "^--- a/linux-headers/linux/vfio.h" trim.patch &&
	test_grep "^+#define VFIO_REGION_SUBTYPE_CCW_CRW" trim.patch &&
	test_grep "^+	VFIO_CCW_CRW_IRQ_INDEX," trim.patch &&
	test_grep "^+struct ccw_crw_region {" trim.patch &&
	test_grep "^+ \* Used for returning a Channel Report Word" trim.patch &&
	test_grep "kept .*VFIO_REGION_SUBTYPE_CCW_CRW" report &&
	test_grep "dropped .*struct vfio_unused_neighbour" report &&
	test_grep "warning: VFIO_CCW_NUM_IRQS changes from 1 to 2, as upstream" report
'

test_expect_success 'nothing the consumer does not use: neighbours, comments, strings' '
	! grep "^+.*SCHIB" trim.patch &&
	! grep "^+.*VFIO_REGION_TYPE_MIGRATION" trim.patch &&
	! grep "^+.*vfio_unused_neighbour" trim.patch &&
	! grep "^+.*VFIO_CCW_CRW_UNUSED" trim.patch
'

test_expect_success 'a needed macro inside a new #ifdef block comes with the block' '
	sed -n "/^+#ifdef __s390x__/,/^+#endif/p" trim.patch >block &&
	cat >expect <<-\EOF &&
	+#ifdef __s390x__
	+/* channel report words */
	+#define VFIO_CCW_CRW_MASK(x) \
	+	((x) & 0xffff)
	+#endif
	EOF
	test_cmp expect block
'

test_expect_success 'the trimmed diff applies with fuzz 0 and compiles' '
	cp -r target bt-applied &&
	"$BT" apply --tree bt-applied trim.patch &&
	patch -s -d target -p1 -F0 <trim.patch &&
	diff -r target bt-applied &&
	printf "#include <stdint.h>\n#include <stddef.h>\n#include \"linux/vfio.h\"\nint x = sizeof(struct ccw_crw_region) + VFIO_CCW_CRW_IRQ_INDEX;\n" >probe.c &&
	cc -fsyntax-only -Itarget/linux-headers -D__s390x__ probe.c
'

test_expect_success 'trimming the trimmed tree again adds nothing' '
	"$BT" headers --tree target --source-dir usr -c hw/ccw.c -o again.patch 2>report &&
	test ! -s again.patch &&
	test_grep "kept 0 declarations" report
'

test_expect_success 'include/standard-headers get the portable spelling' '
	cat >hw/virtio.c <<-\EOF &&
	struct virtio_x_config c;
	EOF
	"$BT" headers --tree pristine --source-dir usr -c hw/virtio.c -o std.patch 2>/dev/null &&
	test_grep "^+++ b/include/standard-headers/linux/virtio_x.h" std.patch &&
	test_grep "^+	uint32_t size;" std.patch &&
	test_grep "^+	uint8_t flags;" std.patch &&
	test_grep "^+} QEMU_PACKED;" std.patch &&
	! grep "linux-headers" std.patch
'

test_expect_success 'a header-update patch as the source, a patch as the consumer' '
	(cd pristine && cp -r . ../old && cd .. && cp -r pristine new &&
	 cp usr/linux/vfio.h new/linux-headers/linux/vfio.h &&
	 diff -ru old new >sync.patch; test $? -eq 1) &&
	cat >feature.patch <<-\EOF &&
	--- a/hw/ccw.c
	+++ b/hw/ccw.c
	@@ -1,2 +1,3 @@
	 #include "linux/vfio.h"
	+int schib = VFIO_REGION_SUBTYPE_CCW_SCHIB;
	 /* VFIO_REGION_TYPE_MIGRATION is mentioned only in a comment */
	EOF
	"$BT" headers --tree pristine --source sync.patch -c feature.patch -o p.patch 2>report &&
	test_grep "^+#define VFIO_REGION_SUBTYPE_CCW_SCHIB" p.patch &&
	test $(grep -c "^+[^+]" p.patch) -eq 1 &&
	cp -r pristine p && patch -s -d p -p1 -F0 <p.patch
'

# A target that drifted from the one the sync was made on (a distribution
# carries another enumerator): the full sync no longer applies, the
# trimmed one does.
test_expect_success 'check --trim-headers: the full sync conflicts, the trimmed one is clean' '
	cp -r pristine drift && cp -r hw drift/ &&
	sed -i "s/^\tVFIO_CCW_IO_IRQ_INDEX,/&\n\tVFIO_CCW_REQ_IRQ_INDEX,/" \
		drift/linux-headers/linux/vfio.h &&
	cp -r drift drift.before &&
	test_expect_code 1 "$BT" check --tree drift sync.patch feature.patch >plain &&
	"$BT" check --tree drift --trim-headers sync.patch feature.patch >out &&
	test_grep "^== The series as it is ==" out &&
	test_grep "^sync.patch  *conflict" out &&
	test_grep "^== Header sync trimmed: sync.patch ==" out &&
	test_grep "kept .*define VFIO_REGION_SUBTYPE_CCW_SCHIB" out &&
	test_grep "^== The series, header sync trimmed ==" out &&
	test_grep "^sync.patch (trimmed)  *clean" out &&
	test_grep "^feature.patch  *clean" out &&
	diff -r drift.before drift
'

test_expect_success 'check --trim-headers --format json/markdown: both runs and the trim' '
	"$BT" check --tree drift --trim-headers --format json sync.patch feature.patch >out.json &&
	jq -e ".version == 1" out.json &&
	jq -e ".patches[0].name == \"sync.patch (trimmed)\"" out.json &&
	jq -e ".patches[0].results[0].verdict == \"clean\"" out.json &&
	jq -e ".untrimmed.patches[0].results[0].verdict == \"conflict\"" out.json &&
	jq -e ".headers.kept | map(.name) == [\"VFIO_REGION_SUBTYPE_CCW_SCHIB\"]" out.json &&
	"$BT" check --tree drift --trim-headers --format markdown sync.patch feature.patch >out.md &&
	test_grep "^### The series as it is" out.md &&
	test_grep "^| 1 | sync.patch | conflict" out.md &&
	test_grep "^| 1 | sync.patch (trimmed) | OK |" out.md
'

# The feature relies on upstream value of a name the target defines
# otherwise: the trimmer refuses, and the full sync is what is judged.
test_expect_success 'check --trim-headers: a refused trim keeps the full sync' '
	cp -r drift refuse &&
	sed -i "s/VFIO_REGION_TYPE_CCW\t\t\t(2)/VFIO_REGION_TYPE_CCW (9)/" \
		refuse/linux-headers/linux/vfio.h &&
	cat >feature2.patch <<-\EOF &&
	--- a/hw/ccw.c
	+++ b/hw/ccw.c
	@@ -1,2 +1,3 @@
	 #include "linux/vfio.h"
	+int t = VFIO_REGION_TYPE_CCW + VFIO_REGION_SUBTYPE_CCW_SCHIB;
	 /* VFIO_REGION_TYPE_MIGRATION is mentioned only in a comment */
	EOF
	test_expect_code 1 "$BT" check --tree refuse --trim-headers sync.patch \
		feature2.patch >out 2>err &&
	test_grep "The trim was refused; the full sync is kept." out &&
	test_grep "VFIO_REGION_TYPE_CCW, which the target defines as 9" out &&
	! grep "^== The series, header sync trimmed" out &&
	test_expect_code 1 "$BT" check --tree refuse --trim-headers --format json \
		sync.patch feature2.patch >r.json &&
	jq -e "has(\"untrimmed\") | not" r.json &&
	jq -e ".patches[0].name == \"sync.patch\"" r.json &&
	jq -e ".headers.conflicts | length > 0" r.json
'

test_expect_success 'check --trim-headers: no header sync, or two targets' '
	"$BT" check --tree drift --trim-headers feature.patch >out 2>err &&
	test_grep "no patch of the series touches only linux-headers/" err &&
	test_grep "^feature.patch  *clean" out &&
	test_expect_code 2 "$BT" check --tree pristine --tree drift --trim-headers \
		sync.patch feature.patch 2>err &&
	test_grep "takes one --tree" err
'

test_expect_success 'with --git: commits as source and consumer, git:REV as target' '
	git init -q repo &&
	cp -r pristine/linux-headers repo/ &&
	(cd repo && git add . && git -c user.name=T -c user.email=t@example.org \
		commit -q -m base) &&
	cp usr/linux/vfio.h repo/linux-headers/linux/vfio.h &&
	(cd repo && git -c user.name=T -c user.email=t@example.org \
		commit -q -a -m "Linux headers: update") &&
	mkdir -p repo/hw && cp hw/ccw.c repo/hw/ccw.c &&
	(cd repo && git add hw && git -c user.name=T -c user.email=t@example.org \
		commit -q -m "feature") &&
	"$BT" headers --git repo --tree git:HEAD~2 --source HEAD~1 -c HEAD \
		-o git.patch 2>report &&
	"$BT" headers --tree pristine --source-dir usr -c hw/ccw.c -o dir.patch 2>/dev/null &&
	test_cmp dir.patch git.patch &&
	test_expect_code 2 "$BT" headers --git repo --tree git:HEAD --source no-such-rev \
		-c HEAD 2>err &&
	test_grep "no-such-rev: neither a file nor a commit" err
'

test_expect_success '--format json: the report on stdout when the diff goes to a file' '
	"$BT" headers --tree pristine --source-dir usr -c hw/ccw.c -o j.patch --format json >report.json &&
	jq -e ".version == 1" report.json &&
	jq -e ".files == [\"linux-headers/linux/vfio.h\"]" report.json &&
	jq -e ".needed | map(.name) | index(\"VFIO_CCW_CRW_IRQ_INDEX\")" report.json &&
	jq -e ".changed[0].name == \"VFIO_CCW_NUM_IRQS\"" report.json &&
	jq -e ".summary.kept_lines == $(grep -c "^+[^+]\|^+\$" j.patch)" report.json
'

test_expect_success 'a value conflict refuses the trim: exit 1, no diff' '
	cp -r pristine conflict &&
	sed -i "s/VFIO_REGION_TYPE_CCW\t\t\t(2)/VFIO_REGION_TYPE_CCW (9)/" \
		conflict/linux-headers/linux/vfio.h &&
	cat >hw/type.c <<-\EOF &&
	int t = VFIO_REGION_TYPE_CCW + VFIO_REGION_SUBTYPE_CCW_CRW;
	EOF
	test_expect_code 1 "$BT" headers --tree conflict --source-dir usr \
		-c hw/type.c -o c.patch 2>err &&
	test_grep "VFIO_REGION_TYPE_CCW, which the target defines as 9, upstream as 2" err &&
	test ! -e c.patch
'

test_expect_success '--strict refuses even a renumbering upstream made' '
	test_expect_code 1 "$BT" headers --tree pristine --source-dir usr \
		-c hw/ccw.c --strict -o s.patch 2>err &&
	test_grep "VFIO_CCW_NUM_IRQS changes from 1 to 2" err
'

test_expect_success '--scan counts declarations, --format json lists them' '
	"$BT" headers --scan usr >out &&
	test_grep "^scanned 2 headers" out &&
	"$BT" headers --scan usr/linux/vfio.h --format json >scan.json 2>/dev/null &&
	jq -e ".[0].declarations | map(select(.name == \"struct ccw_crw_region\"))[0] | .comment_line < .line" scan.json &&
	test_expect_code 2 "$BT" headers --scan 2>err &&
	test_expect_code 2 "$BT" headers --scan nonexistent 2>err &&
	test_grep "nonexistent: cannot read" err
'

test_done

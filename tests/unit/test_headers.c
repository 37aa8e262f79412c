/*
 * test_headers.c - the header trimmer on small headers written here: a
 * define between two the target has, an enumerator inserted mid-enum, a
 * packed struct with its array-size macro, a nested union's field type,
 * an unused neighbour that must be dropped, value conflicts that must be
 * refused, the portable spelling of include/standard-headers, a patch as
 * the source and a patch as the consumer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "analyse/headers.h"
#include "tree/tree.h"
#include "util.h"

struct fixture {
	char dir[64];
	struct strbuf diff;
	struct headers_report r;
	int rc;
};

static void write_file(const char *top, const char *rel, const char *text)
{
	struct strbuf path = STRBUF_INIT;
	char *p;
	FILE *f;

	sb_init(&path);
	sb_addf(&path, "%s/%s", top, rel);
	for (p = path.buf + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path.buf, 0755);
		*p = '/';
	}
	f = fopen(path.buf, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	sb_release(&path);
}

static int setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof(*fx));

	strcpy(fx->dir, "/tmp/test_headers.XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	struct strbuf cmd = STRBUF_INIT;

	sb_init(&cmd);
	sb_addf(&cmd, "rm -rf '%s'", fx->dir);
	assert_int_equal(system(cmd.buf), 0);
	sb_release(&cmd);
	sb_release(&fx->diff);
	headers_report_release(&fx->r);
	free(fx);
	return 0;
}

/* Target file in DIR/t/REL, source in DIR/s/SREL, one consumer C file. */
static void given(struct fixture *fx, const char *rel, const char *target,
		  const char *srel, const char *source)
{
	char t[128], s[128];

	snprintf(t, sizeof(t), "%s/t", fx->dir);
	snprintf(s, sizeof(s), "%s/s", fx->dir);
	write_file(t, rel, target);
	write_file(s, srel, source);
}

static int trim_with(struct fixture *fx, const char *consumer, int strict,
		     const char *source_patch)
{
	struct headers_opts o;
	struct tree *t;
	char tdir[128], sdir[128], cpath[128];
	const char *consumers[1];

	snprintf(tdir, sizeof(tdir), "%s/t", fx->dir);
	snprintf(sdir, sizeof(sdir), "%s/s", fx->dir);
	snprintf(cpath, sizeof(cpath), "%s/consumer.c", fx->dir);
	write_file(fx->dir, "consumer.c", consumer);
	consumers[0] = cpath;
	memset(&o, 0, sizeof(o));
	if (source_patch)
		o.source_patch = source_patch;
	else
		o.source_dir = sdir;
	o.consumers = consumers;
	o.nconsumers = 1;
	o.strict = strict;
	assert_int_equal(tree_open_dir(&t, "t", tdir), 0);
	sb_release(&fx->diff);
	headers_report_release(&fx->r);
	fx->rc = headers_trim(t, &o, &fx->diff, &fx->r);
	tree_free(t);
	return fx->rc;
}

static int trim(struct fixture *fx, const char *consumer)
{
	return trim_with(fx, consumer, 0, NULL);
}

static int kept(const struct fixture *fx, const char *name)
{
	size_t i;

	for (i = 0; i < fx->r.kept.n; i++)
		if (!strcmp(fx->r.kept.v[i].name, name))
			return 1;
	return 0;
}

static int dropped(const struct fixture *fx, const char *name)
{
	size_t i;

	for (i = 0; i < fx->r.dropped.n; i++)
		if (!strcmp(fx->r.dropped.v[i].name, name))
			return 1;
	return 0;
}

#define VFIO "linux-headers/linux/vfio.h"

static void test_define_between(void **state)
{
	struct fixture *fx = *state;

	given(fx, VFIO,
	      "#ifndef _LINUX_VFIO_H\n#define _LINUX_VFIO_H\n\n"
	      "#define V_A (1)\n#define V_C (3)\n\n#endif\n",
	      "linux/vfio.h",
	      "#ifndef _LINUX_VFIO_H\n#define _LINUX_VFIO_H\n\n"
	      "#define V_A (1)\n#define V_B (2)\n#define V_C (3)\n"
	      "#define V_D (4)\n\n#endif\n");
	assert_int_equal(trim(fx, "int x = V_B;\n"), 0);
	assert_string_equal(fx->diff.buf,
			    "--- a/" VFIO "\n+++ b/" VFIO "\n"
			    "@@ -2,6 +2,7 @@\n"
			    " #define _LINUX_VFIO_H\n"
			    " \n"
			    " #define V_A (1)\n"
			    "+#define V_B (2)\n"
			    " #define V_C (3)\n"
			    " \n"
			    " #endif\n");
	assert_true(kept(fx, "V_B"));
	assert_true(dropped(fx, "V_D"));
	assert_int_equal(fx->r.kept_lines, 1);
	assert_int_equal(fx->r.needed.n, 1);

	/* nothing used that the target lacks: an empty diff */
	assert_int_equal(trim(fx, "int x = V_A + V_C;\n"), 0);
	assert_int_equal(fx->diff.len, 0);
	assert_int_equal(fx->r.kept.n, 0);
}

static const char enum_target[] =
	"#ifndef _LINUX_VFIO_H\n#define _LINUX_VFIO_H\n"
	"enum {\n\tX_A,\n\tX_NUM\n};\n#endif\n";

static void test_enum_middle(void **state)
{
	struct fixture *fx = *state;

	given(fx, VFIO, enum_target, "linux/vfio.h",
	      "#ifndef _LINUX_VFIO_H\n#define _LINUX_VFIO_H\n"
	      "enum {\n\tX_A,\n\tX_NEW,\n\tX_NUM\n};\n#endif\n");
	assert_int_equal(trim(fx, "f(X_NEW);\n"), 0);
	assert_non_null(strstr(fx->diff.buf, " \tX_A,\n+\tX_NEW,\n \tX_NUM\n"));
	/* X_NUM moves from 1 to 2, as it does upstream: a warning */
	assert_int_equal(fx->r.changed.n, 1);
	assert_string_equal(fx->r.changed.v[0].name, "X_NUM");
	assert_string_equal(fx->r.changed.v[0].target, "1");
	assert_string_equal(fx->r.changed.v[0].result, "2");
	assert_int_equal(fx->r.conflicts.n, 0);
	/* --strict refuses it */
	assert_int_equal(trim_with(fx, "f(X_NEW);\n", 1, NULL), 1);
	assert_int_equal(fx->diff.len, 0);
	assert_int_equal(fx->r.conflicts.n, 1);
}

/* After the target's last enumerator, which has no comma: refused. */
static void test_enum_append_no_comma(void **state)
{
	struct fixture *fx = *state;

	given(fx, VFIO,
	      "#ifndef _LINUX_VFIO_H\n#define _LINUX_VFIO_H\n"
	      "enum e {\n\tE_A,\n\tE_B\n};\n#endif\n",
	      "linux/vfio.h",
	      "#ifndef _LINUX_VFIO_H\n#define _LINUX_VFIO_H\n"
	      "enum e {\n\tE_A,\n\tE_B,\n\tE_C,\n};\n#endif\n");
	assert_int_equal(trim(fx, "int c = E_C;\n"), 1);
	assert_non_null(strstr(fx->r.conflicts.v[0].message, "no comma"));
	/* with the comma there, it is a plain insertion */
	given(fx, VFIO,
	      "#ifndef _LINUX_VFIO_H\n#define _LINUX_VFIO_H\n"
	      "enum e {\n\tE_A,\n\tE_B,\n};\n#endif\n",
	      "linux/vfio.h",
	      "#ifndef _LINUX_VFIO_H\n#define _LINUX_VFIO_H\n"
	      "enum e {\n\tE_A,\n\tE_B,\n\tE_C,\n};\n#endif\n");
	assert_int_equal(trim(fx, "int c = E_C;\n"), 0);
	assert_non_null(strstr(fx->diff.buf, " \tE_B,\n+\tE_C,\n };\n"));
	assert_int_equal(fx->r.changed.n, 0);
}

static void test_value_conflict(void **state)
{
	struct fixture *fx = *state;

	/* upstream inserted two; keeping only X_NEW would make it 1, not 2 */
	given(fx, VFIO, enum_target, "linux/vfio.h",
	      "#ifndef _LINUX_VFIO_H\n#define _LINUX_VFIO_H\n"
	      "enum {\n\tX_A,\n\tX_OTHER,\n\tX_NEW,\n\tX_NUM\n};\n#endif\n");
	assert_int_equal(trim(fx, "f(X_NEW);\n"), 1);
	assert_int_equal(fx->diff.len, 0);
	assert_true(fx->r.conflicts.n >= 1);
	assert_string_equal(fx->r.conflicts.v[0].name, "X_NEW");
	assert_string_equal(fx->r.conflicts.v[0].result, "1");
	assert_string_equal(fx->r.conflicts.v[0].upstream, "2");
}

static void test_define_conflict(void **state)
{
	struct fixture *fx = *state;

	/* a kept struct needs a size the target has with another value */
	given(fx, VFIO,
	      "#ifndef _LINUX_VFIO_H\n#define _LINUX_VFIO_H\n"
	      "#define R_SIZE 48\n#endif\n",
	      "linux/vfio.h",
	      "#ifndef _LINUX_VFIO_H\n#define _LINUX_VFIO_H\n"
	      "#define R_SIZE 52\n"
	      "struct r {\n\t__u8 a[R_SIZE];\n};\n#endif\n");
	assert_int_equal(trim(fx, "struct r x;\n"), 1);
	assert_string_equal(fx->r.conflicts.v[0].name, "R_SIZE");
	assert_string_equal(fx->r.conflicts.v[0].target, "48");
	assert_string_equal(fx->r.conflicts.v[0].upstream, "52");
	/* a consumer using the stale value directly is refused too */
	assert_int_equal(trim(fx, "int n = R_SIZE;\n"), 1);
}

static void test_packed_struct_and_macro_size(void **state)
{
	struct fixture *fx = *state;

	given(fx, "linux-headers/linux/vfio_ccw.h",
	      "#ifndef _VFIO_CCW_H_\n#define _VFIO_CCW_H_\n\n"
	      "struct ccw_cmd_region {\n\t__u32 command;\n} __attribute__((packed));\n"
	      "\n#endif\n",
	      "linux/vfio_ccw.h",
	      "#ifndef _VFIO_CCW_H_\n#define _VFIO_CCW_H_\n\n"
	      "#define CRW_PAD 2\n\n"
	      "struct ccw_cmd_region {\n\t__u32 command;\n} __attribute__((packed));\n"
	      "\n/*\n * The schib.\n */\n"
	      "struct ccw_schib_region {\n#define SCHIB_AREA_SIZE 52\n"
	      "\t__u8 schib_area[SCHIB_AREA_SIZE];\n"
	      "\t__u32 pad[CRW_PAD];\n"
	      "} __attribute__((packed));\n"
	      "\nstruct ccw_unused {\n\tint x;\n};\n"
	      "\n#endif\n");
	assert_int_equal(trim(fx, "struct ccw_schib_region *r;\n"), 0);
	assert_non_null(strstr(fx->diff.buf,
			       "+/*\n+ * The schib.\n+ */\n"
			       "+struct ccw_schib_region {\n"
			       "+#define SCHIB_AREA_SIZE 52\n"
			       "+\t__u8 schib_area[SCHIB_AREA_SIZE];\n"
			       "+\t__u32 pad[CRW_PAD];\n"
			       "+} __attribute__((packed));\n"));
	/* the array size defined outside comes along, in upstream order */
	assert_true(kept(fx, "CRW_PAD"));
	assert_true(strstr(fx->diff.buf, "+#define CRW_PAD 2\n") <
		    strstr(fx->diff.buf, "+struct ccw_schib_region"));
	/* the unused neighbour is dropped */
	assert_null(strstr(fx->diff.buf, "ccw_unused"));
	assert_true(dropped(fx, "struct ccw_unused"));
}

static void test_nested_union(void **state)
{
	struct fixture *fx = *state;

	given(fx, VFIO,
	      "#ifndef _LINUX_VFIO_H\n#define _LINUX_VFIO_H\n#define V_A 1\n#endif\n",
	      "linux/vfio.h",
	      "#ifndef _LINUX_VFIO_H\n#define _LINUX_VFIO_H\n#define V_A 1\n"
	      "struct inner {\n\t__u64 v;\n};\n"
	      "struct lonely {\n\t__u64 v;\n};\n"
	      "struct outer {\n\t__u32 kind;\n\tunion {\n\t\t__u32 a;\n"
	      "\t\tstruct inner in;\n\t};\n};\n#endif\n");
	assert_int_equal(trim(fx, "void f(struct outer *o);\n"), 0);
	assert_true(kept(fx, "struct outer"));
	assert_true(kept(fx, "struct inner"));
	assert_false(kept(fx, "struct lonely"));
	assert_non_null(strstr(fx->diff.buf, "+\t\tstruct inner in;\n"));
}

static void portable(const char *line, struct strbuf *sb)
{
	headers_portable_line(line, strlen(line), sb);
}

static void test_portable(void **state)
{
	struct fixture *fx = *state;
	struct strbuf sb = STRBUF_INIT;

	given(fx, "include/standard-headers/linux/virtio_x.h",
	      "#ifndef _LINUX_VIRTIO_X_H\n#define _LINUX_VIRTIO_X_H\n"
	      "#include \"standard-headers/linux/types.h\"\n"
	      "#define VX_A 1\n#endif\n",
	      "linux/virtio_x.h",
	      "#ifndef _LINUX_VIRTIO_X_H\n#define _LINUX_VIRTIO_X_H\n"
	      "#include <linux/types.h>\n"
	      "#define VX_A 1\n"
	      "struct vx {\n\t__le32 a;\n\t__u8 b;\n} __attribute__((packed));\n"
	      "#endif\n");
	assert_int_equal(trim(fx, "struct vx v;\n"), 0);
	assert_non_null(strstr(fx->diff.buf,
			       "+struct vx {\n+\tuint32_t a;\n+\tuint8_t b;\n+} QEMU_PACKED;\n"));

	sb_init(&sb);
	portable("#include <linux/virtio_ids.h>\n", &sb);
	assert_string_equal(sb.buf, "#include \"standard-headers/linux/virtio_ids.h\"\n");
	sb_reset(&sb);
	portable("\t__aligned_u64 x; __s16 y; __be64 z;", &sb);
	assert_string_equal(sb.buf,
			    "\tuint64_t __attribute__((aligned(8))) x; int16_t y; uint64_t z;");
	sb_reset(&sb);
	portable("#include <sys/ioctl.h>\n", &sb);
	assert_int_equal(sb.len, 0);
	portable("#include <linux/ioctl.h>\n", &sb);
	assert_int_equal(sb.len, 0);
	portable("\tstruct ethhdr h; atomic_t a; __u16 x __bitwise;\n", &sb);
	assert_string_equal(sb.buf, "\tstruct eth_header h; int a; uint16_t x ;\n");
	sb_reset(&sb);
	portable("#define _LINUX_ETHTOOL_H\n", &sb);
	assert_string_equal(sb.buf, "#define _LINUX_ETHTOOL_H\n\n#include \"net/eth.h\"\n");
	sb_release(&sb);
}

/* The source is a patch: each hunk's new side, anchored in the target. */
static void test_patch_source(void **state)
{
	struct fixture *fx = *state;
	char path[128];

	given(fx, VFIO,
	      "#ifndef _LINUX_VFIO_H\n#define _LINUX_VFIO_H\n"
	      "/* one */\n#define V_A 1\n\nenum {\n\tI_IO,\n\tI_NUM\n};\n"
	      "\n#define V_Z 9\n#endif\n",
	      "unused.h", "");
	snprintf(path, sizeof(path), "%s/sync.patch", fx->dir);
	write_file(fx->dir, "sync.patch",
		   "Subject: [PATCH] Linux headers: update\n\n---\n"
		   "diff --git a/" VFIO " b/" VFIO "\n"
		   "--- a/" VFIO "\n+++ b/" VFIO "\n"
		   "@@ -100,4 +100,6 @@\n"
		   " /* one */\n #define V_A 1\n+#define V_B 2\n+#define V_UNUSED 3\n"
		   " \n"
		   " enum {\n"
		   "@@ -200,3 +202,4 @@ enum {\n"
		   " \tI_IO,\n+\tI_CRW,\n \tI_NUM\n };\n"
		   "-- \n2.30.0\n");
	assert_int_equal(trim_with(fx, "x = V_B + I_CRW;\n", 0, path), 0);
	assert_non_null(strstr(fx->diff.buf, " #define V_A 1\n+#define V_B 2\n \n"));
	assert_non_null(strstr(fx->diff.buf, " \tI_IO,\n+\tI_CRW,\n \tI_NUM\n"));
	assert_null(strstr(fx->diff.buf, "V_UNUSED"));
	assert_true(dropped(fx, "V_UNUSED"));
	assert_int_equal(fx->r.full_lines, 3);
}

/* A plain diff -u hunk (no heading) that starts inside a struct and on
   the tail of a macro: the struct is found by the fields it shows. */
static void test_patch_source_no_heading(void **state)
{
	struct fixture *fx = *state;
	char path[128];

	given(fx, VFIO,
	      "#ifndef _LINUX_VFIO_H\n#define _LINUX_VFIO_H\n"
	      "struct other {\n\t__u32 a;\n};\n"
	      "#define LONG_MACRO \\\n\t(1)\n"
	      "struct zs {\n\t__u32 a;\n\t__u32 b;\n};\n#endif\n",
	      "unused.h", "");
	snprintf(path, sizeof(path), "%s/sync.patch", fx->dir);
	write_file(fx->dir, "sync.patch",
		   "--- a/" VFIO "\n+++ b/" VFIO "\n"
		   "@@ -7,3 +7,4 @@\n"
		   " \t(1)\n"
		   "+#define NEWM 2\n"
		   " struct zs {\n"
		   " \t__u32 a;\n"
		   "@@ -10,3 +11,4 @@\n"
		   " \t__u32 a;\n \t__u32 b;\n+\t__u32 c;\n };\n");
	assert_int_equal(trim_with(fx, "struct zs *z; z->c = 0;\n", 0, path), 0);
	assert_non_null(strstr(fx->diff.buf, " \t__u32 b;\n+\t__u32 c;\n };\n"));
	assert_string_equal(fx->r.kept.v[0].of, "struct zs");
	assert_int_equal(fx->r.kept.n, 1);
}

/* A patch as the consumer: only its added lines count. */
static void test_patch_consumer(void **state)
{
	struct fixture *fx = *state;
	char cpath[128], sdir[128], tdir[128];
	const char *consumers[1] = { cpath };
	struct headers_opts o;
	struct tree *t;

	given(fx, VFIO,
	      "#ifndef _LINUX_VFIO_H\n#define _LINUX_VFIO_H\n#define V_A 1\n#endif\n",
	      "linux/vfio.h",
	      "#ifndef _LINUX_VFIO_H\n#define _LINUX_VFIO_H\n#define V_A 1\n"
	      "#define V_OLD 2\n#define V_NEW 3\n#endif\n");
	snprintf(cpath, sizeof(cpath), "%s/feature.patch", fx->dir);
	snprintf(sdir, sizeof(sdir), "%s/s", fx->dir);
	snprintf(tdir, sizeof(tdir), "%s/t", fx->dir);
	write_file(fx->dir, "feature.patch",
		   "--- a/hw/vfio/ccw.c\n+++ b/hw/vfio/ccw.c\n"
		   "@@ -1,3 +1,3 @@\n"
		   " int a;\n-int b = V_OLD;\n+int b = V_NEW; /* not V_OLD */\n int c;\n");
	memset(&o, 0, sizeof(o));
	o.source_dir = sdir;
	o.consumers = consumers;
	o.nconsumers = 1;
	assert_int_equal(tree_open_dir(&t, "t", tdir), 0);
	assert_int_equal(headers_trim(t, &o, &fx->diff, &fx->r), 0);
	tree_free(t);
	assert_true(kept(fx, "V_NEW"));
	assert_false(kept(fx, "V_OLD"));
}

static void test_bad_input(void **state)
{
	struct fixture *fx = *state;
	struct headers_opts o;
	struct tree *t;
	char tdir[128];
	const char *consumers[1] = { "/nonexistent/consumer.c" };

	given(fx, VFIO, "#define V_A 1\n", "linux/vfio.h", "#define V_A 1\n");
	snprintf(tdir, sizeof(tdir), "%s/t", fx->dir);
	memset(&o, 0, sizeof(o));
	o.source_dir = "/nonexistent/source";
	o.consumers = consumers;
	o.nconsumers = 1;
	assert_int_equal(tree_open_dir(&t, "t", tdir), 0);
	assert_int_equal(headers_trim(t, &o, &fx->diff, &fx->r), -1);
	headers_report_release(&fx->r);
	o.source_dir = NULL;
	o.source_patch = "/nonexistent/sync.patch";
	sb_release(&fx->diff);
	assert_int_equal(headers_trim(t, &o, &fx->diff, &fx->r), -1);
	tree_free(t);
}

/* Fields added to a struct the target has must give upstream's layout. */
static void test_struct_fields(void **state)
{
	struct fixture *fx = *state;
	static const char tgt[] =
		"#ifndef _LINUX_VFIO_H\n#define _LINUX_VFIO_H\n"
		"struct s {\n\t__u32 a;\n\t__u8 pad[3];\n};\n#endif\n";

	/* appended after what the target has: fine */
	given(fx, VFIO, tgt, "linux/vfio.h",
	      "#ifndef _LINUX_VFIO_H\n#define _LINUX_VFIO_H\n"
	      "struct s {\n\t__u32 a;\n\t__u8 pad[3];\n\t__u32 b;\n\t__u32 c;\n};\n#endif\n");
	assert_int_equal(trim(fx, "struct s *p; p->b = 1;\n"), 0);
	assert_non_null(strstr(fx->diff.buf, " \t__u8 pad[3];\n+\t__u32 b;\n };\n"));
	assert_non_null(fx->r.kept.v[0].of);
	assert_string_equal(fx->r.kept.v[0].of, "struct s");
	/* a field used without its struct's tag is not taken */
	assert_int_equal(trim(fx, "int b;\n"), 0);
	assert_int_equal(fx->diff.len, 0);
	/* keeping c alone would put it where upstream has b */
	assert_int_equal(trim(fx, "struct s *p; p->c = 1;\n"), 1);
	assert_string_equal(fx->r.conflicts.v[0].name, "struct s");

	/* upstream spent padding on a field: pad[3] became flags + pad[2] */
	given(fx, VFIO, tgt, "linux/vfio.h",
	      "#ifndef _LINUX_VFIO_H\n#define _LINUX_VFIO_H\n"
	      "struct s {\n\t__u32 a;\n\t__u8 flags;\n\t__u8 pad[2];\n};\n#endif\n");
	assert_int_equal(trim(fx, "struct s *p; p->flags = 1;\n"), 1);
	assert_int_equal(fx->diff.len, 0);
	assert_non_null(strstr(fx->r.conflicts.v[0].message, "upstream's layout"));
}

/* Upstream wrapped a field the target has into a new anonymous struct:
   no insertion can express that, the report says so. */
static void test_restructured(void **state)
{
	struct fixture *fx = *state;

	given(fx, VFIO,
	      "#ifndef _LINUX_VFIO_H\n#define _LINUX_VFIO_H\n"
	      "struct m {\n\tunion {\n\t\t__u8 ar;\n\t\t__u32 off;\n\t};\n};\n#endif\n",
	      "linux/vfio.h",
	      "#ifndef _LINUX_VFIO_H\n#define _LINUX_VFIO_H\n"
	      "struct m {\n\tunion {\n\t\tstruct {\n\t\t\t__u8 ar;\n\t\t\t__u8 key;\n\t\t};\n"
	      "\t\t__u32 off;\n\t};\n};\n#endif\n");
	assert_int_equal(trim(fx, "struct m *p; p->key = 1;\n"), 0);
	assert_int_equal(fx->diff.len, 0);
	assert_int_equal(fx->r.warnings.n, 1);
	assert_non_null(strstr(fx->r.warnings.v[0].message, "key of struct m"));
}

/* A header the target has no copy of: named, not created. */
static void test_new_header(void **state)
{
	struct fixture *fx = *state;
	char s[128];

	given(fx, VFIO, "#ifndef _LINUX_VFIO_H\n#define _LINUX_VFIO_H\n#define V_A 1\n#endif\n",
	      "linux/vfio.h", "#ifndef _LINUX_VFIO_H\n#define _LINUX_VFIO_H\n#define V_A 1\n#endif\n");
	snprintf(s, sizeof(s), "%s/s", fx->dir);
	write_file(s, "linux/iommufd.h", "#define IOMMU_X 1\n#define IOMMU_UNUSED 2\n");
	assert_int_equal(trim(fx, "#include \"linux/iommufd.h\"\n"
				  "#include \"linux/../../etc/passwd\"\n"
				  "int x = IOMMU_X + V_A;\n"), 0);
	assert_int_equal(fx->diff.len, 0);
	assert_int_equal(fx->r.warnings.n, 1);
	assert_string_equal(fx->r.warnings.v[0].name, "linux/iommufd.h");
	assert_non_null(strstr(fx->r.warnings.v[0].message, "use IOMMU_X;"));
	/* not used: no warning */
	assert_int_equal(trim(fx, "#include \"linux/iommufd.h\"\nint x = V_A;\n"), 0);
	assert_int_equal(fx->r.warnings.n, 0);
}

static void test_json(void **state)
{
	struct fixture *fx = *state;
	char *js;

	given(fx, VFIO, enum_target, "linux/vfio.h",
	      "#ifndef _LINUX_VFIO_H\n#define _LINUX_VFIO_H\n"
	      "enum {\n\tX_A,\n\tX_NEW,\n\tX_NUM\n};\n#define X_DROP 1\n#endif\n");
	assert_int_equal(trim(fx, "f(X_NEW);\n"), 0);
	js = headers_report_json(&fx->r);
	assert_non_null(strstr(js, "\"version\": 1"));
	assert_non_null(strstr(js, "\"name\": \"X_NEW\""));
	assert_non_null(strstr(js, "\"name\": \"X_DROP\""));
	assert_non_null(strstr(js, "\"kept_lines\": 1"));
	free(js);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_define_between, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enum_middle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_value_conflict, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enum_append_no_comma, setup, teardown),
		cmocka_unit_test_setup_teardown(test_define_conflict, setup, teardown),
		cmocka_unit_test_setup_teardown(test_packed_struct_and_macro_size, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nested_union, setup, teardown),
		cmocka_unit_test_setup_teardown(test_portable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_patch_source, setup, teardown),
		cmocka_unit_test_setup_teardown(test_patch_source_no_heading, setup, teardown),
		cmocka_unit_test_setup_teardown(test_patch_consumer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_struct_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restructured, setup, teardown),
		cmocka_unit_test_setup_teardown(test_new_header, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_cdecl.c - the header scanner: each kind of declaration with its
 * extent, attached comment, names and references; #if nesting; hunk
 * fragments that start inside a comment or an aggregate; the constant
 * evaluator; identifiers of consumer code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "analyse/cdecl.h"
#include "util.h"

static const char hdr[] =
	"/* SPDX */\n"                                   /* 1 */
	"#ifndef _T_H\n"                                 /* 2 */
	"#define _T_H\n"                                 /* 3 */
	"\n"                                             /* 4 */
	"#include <linux/types.h>\n"                     /* 5 */
	"\n"                                             /* 6 */
	"/* the base */\n"                               /* 7 */
	"#define T_BASE 0x10\n"                          /* 8 */
	"#define T_CALL(x, y) \\\n"                      /* 9 */
	"\t((x) + T_BASE + (y))\n"                       /* 10 */
	"\n"                                             /* 11 */
	"/*\n"                                           /* 12 */
	" * A packed region.\n"                          /* 13 */
	" */\n"                                          /* 14 */
	"struct t_region {\n"                            /* 15 */
	"#define T_AREA_SIZE 52\n"                       /* 16 */
	"\t__u8 area[T_AREA_SIZE];\n"                    /* 17 */
	"\tunion {\n"                                    /* 18 */
	"\t\t__u32 a;\n"                                 /* 19 */
	"\t\tstruct t_other o; /* a comment\n"           /* 20 */
	"\t\t\t\t    that goes on */\n"                  /* 21 */
	"\t};\n"                                         /* 22 */
	"} __attribute__((packed));\n"                   /* 23 */
	"\n"                                             /* 24 */
	"enum t_idx {\n"                                 /* 25 */
	"\tT_A,\n"                                       /* 26 */
	"\tT_B = T_BASE + 1,\n"                          /* 27 */
	"\tT_NUM\n"                                      /* 28 */
	"};\n"                                           /* 29 */
	"\n"                                             /* 30 */
	"#ifdef __x86_64__\n"                            /* 31 */
	"typedef struct t_pair { int a, b; } t_pair_t;\n"/* 32 */
	"#else\n"                                        /* 33 */
	"typedef unsigned long t_word;\n"                /* 34 */
	"#endif\n"                                       /* 35 */
	"int t_func(struct t_region *r, int n);\n"       /* 36 */
	"typedef void (*t_cb)(int);\n"                   /* 37 */
	"#endif\n";                                      /* 38 */

static const struct cdecl *find(const struct cdecl_file *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (f->v[i].name && !strcmp(f->v[i].name, name))
			return &f->v[i];
	fail_msg("no declaration %s", name);
	return NULL;
}

static int has_ref(const struct cdecl *d, const char *name)
{
	size_t i;

	for (i = 0; i < d->nrefs; i++)
		if (!strcmp(d->refs[i], name))
			return 1;
	return 0;
}

static void test_kinds_and_extents(void **state)
{
	struct cdecl_file f;
	const struct cdecl *d;

	cdecl_scan(&f, hdr, strlen(hdr));
	assert_false(f.unbalanced);
	assert_int_equal(f.nlines, 38);

	d = find(&f, "T_BASE");
	assert_int_equal(d->kind, CD_DEFINE);
	assert_string_equal(d->value, "0x10");
	assert_int_equal(d->line, 8);
	assert_int_equal(d->cline, 7); /* its comment */
	assert_int_equal(d->cstart, (size_t)(strstr(hdr, "/* the base") - hdr));

	d = find(&f, "T_CALL");
	assert_int_equal(d->kind, CD_DEFINE_FN);
	assert_int_equal(d->line, 9);
	assert_int_equal(d->end_line, 10);
	assert_true(has_ref(d, "T_BASE"));
	assert_false(has_ref(d, "x")); /* a parameter */

	d = find(&f, "struct t_region");
	assert_int_equal(d->kind, CD_STRUCT);
	assert_int_equal(d->line, 15);
	assert_int_equal(d->end_line, 23);
	assert_int_equal(d->cline, 12);
	assert_int_equal(d->close_line, 23);
	assert_int_equal(d->open_line, 15);
	assert_int_equal(d->start, (size_t)(strstr(hdr, "struct t_region {") - hdr));
	assert_int_equal(d->end, (size_t)(strstr(hdr, "\nenum") - hdr));
	cdecl_file_release(&f);
}

static void test_nesting(void **state)
{
	struct cdecl_file f;
	const struct cdecl *s, *d, *u;

	cdecl_scan(&f, hdr, strlen(hdr));
	s = find(&f, "struct t_region");
	d = find(&f, "T_AREA_SIZE");
	assert_int_equal(d->kind, CD_DEFINE);
	assert_ptr_equal(&f.v[d->parent], s);
	d = find(&f, "area");
	assert_int_equal(d->kind, CD_MEMBER);
	assert_true(has_ref(d, "T_AREA_SIZE"));
	assert_true(has_ref(d, "__u8"));
	d = find(&f, "o");
	assert_int_equal(d->kind, CD_MEMBER);
	assert_true(has_ref(d, "struct t_other"));
	assert_int_equal(d->end_line, 21); /* its trailing comment */
	u = &f.v[d->parent];
	assert_int_equal(u->kind, CD_UNION);
	assert_null(u->name);
	assert_ptr_equal(&f.v[u->parent], s);
	/* everything sits inside the include guard */
	assert_int_equal(f.v[s->cond].kind, CD_COND);
	assert_string_equal(f.v[s->cond].value, "#ifndef _T_H");
	cdecl_file_release(&f);
}

static void test_enum_and_conditionals(void **state)
{
	struct cdecl_file f;
	const struct cdecl *e, *d;

	cdecl_scan(&f, hdr, strlen(hdr));
	e = find(&f, "enum t_idx");
	assert_int_equal(e->kind, CD_ENUM);
	d = find(&f, "T_A");
	assert_int_equal(d->kind, CD_ENUMERATOR);
	assert_null(d->value);
	assert_ptr_equal(&f.v[d->parent], e);
	d = find(&f, "T_B");
	assert_string_equal(d->value, "T_BASE + 1");
	assert_true(has_ref(d, "T_BASE"));
	d = find(&f, "T_NUM");
	assert_int_equal(d->line, 28);

	d = find(&f, "struct t_pair");
	assert_true(cdecl_defines(d, "t_pair_t"));
	assert_string_equal(f.v[d->cond].value, "#ifdef __x86_64__");
	d = find(&f, "t_word");
	assert_int_equal(d->kind, CD_TYPEDEF);
	assert_string_equal(f.v[d->cond].value, "#ifdef __x86_64__");
	assert_int_equal(f.v[d->cond].end_line, 35);
	d = find(&f, "t_func");
	assert_int_equal(d->kind, CD_FUNC);
	assert_true(has_ref(d, "struct t_region"));
	d = find(&f, "t_cb");
	assert_int_equal(d->kind, CD_TYPEDEF);
	cdecl_file_release(&f);
}

/* A hunk that starts in a comment and inside an enum the heading names. */
static void test_fragment(void **state)
{
	static const char frag[] =
		" * end of some comment\n"
		" */\n"
		"\tVFIO_X_A,\n"
		"\tVFIO_X_NEW,\n"
		"\tVFIO_X_NUM\n"
		"};\n"
		"\n"
		"#define AFTER 1\n";
	struct cdecl_file f;
	const struct cdecl *d;

	cdecl_scan_fragment(&f, frag, strlen(frag), "enum {");
	d = find(&f, "VFIO_X_NEW");
	assert_int_equal(d->kind, CD_ENUMERATOR);
	assert_int_equal(d->line, 4);
	assert_true(d->parent >= 0);
	assert_true(f.v[d->parent].partial);
	assert_int_equal(f.v[d->parent].kind, CD_ENUM);
	d = find(&f, "AFTER");
	assert_int_equal(d->parent, -1);
	cdecl_file_release(&f);

	/* members without a closing brace: the heading says where we are */
	cdecl_scan_fragment(&f, "\t__u32 flags;\n\t__u32 more;\n",
			    strlen("\t__u32 flags;\n\t__u32 more;\n"),
			    "struct vfio_foo {");
	d = find(&f, "more");
	assert_int_equal(d->kind, CD_MEMBER);
	assert_string_equal(f.v[d->parent].name, "struct vfio_foo");
	cdecl_file_release(&f);
}

/* Hunks with no heading (diff -u) that start inside things. */
static void test_fragment_guesses(void **state)
{
	static const char in_comment[] =
		" * text of a long comment that neither opens\n"
		" * nor closes here: int not_a_decl;\n";
	static const char in_struct[] =
		"\tstruct uffdio_range range;\n"
		"#define MODE_X 1\n"
		"\t__u64 mode;\n";
	static const char in_func[] =
		"\treturn x + 1;\n"
		"}\n"
		"#define AFTER 2\n";
	static const char top[] =
		"struct fwd;\n"
		"#define TOP 1\n";
	struct cdecl_file f;
	const struct cdecl *d;
	size_t i;

	cdecl_scan_fragment(&f, in_comment, strlen(in_comment), NULL);
	assert_int_equal(f.n, 0);
	cdecl_file_release(&f);

	cdecl_scan_fragment(&f, in_struct, strlen(in_struct), NULL);
	d = find(&f, "range");
	assert_int_equal(d->kind, CD_MEMBER);
	assert_true(f.v[d->parent].partial);
	assert_int_equal(find(&f, "mode")->kind, CD_MEMBER);
	cdecl_file_release(&f);

	cdecl_scan_fragment(&f, in_func, strlen(in_func), NULL);
	for (i = 0; i < f.n; i++)
		assert_true(f.v[i].kind != CD_VAR && f.v[i].kind != CD_FUNC);
	assert_int_equal(find(&f, "AFTER")->up, -1);
	cdecl_file_release(&f);

	cdecl_scan_fragment(&f, top, strlen(top), NULL);
	assert_int_equal(find(&f, "TOP")->up, -1);
	assert_int_equal(f.v[0].kind, CD_VAR);
	assert_int_equal(f.v[0].up, -1);
	cdecl_file_release(&f);
}

static int lookup(void *ctx, const char *name, long long *out, int depth)
{
	if (!strcmp(name, "BASE")) {
		*out = 0x10;
		return 0;
	}
	return -1;
}

static void test_eval(void **state)
{
	long long v;

	assert_int_equal(cdecl_eval("(1 << 3) | 1", lookup, NULL, 0, &v), 0);
	assert_int_equal(v, 9);
	assert_int_equal(cdecl_eval("BASE + 2 * 3", lookup, NULL, 0, &v), 0);
	assert_int_equal(v, 0x16);
	assert_int_equal(cdecl_eval("(__u32)0xffU", lookup, NULL, 0, &v), 0);
	assert_int_equal(v, 255);
	assert_int_equal(cdecl_eval("1 ? 4 : 5", lookup, NULL, 0, &v), 0);
	assert_int_equal(v, 4);
	assert_int_equal(cdecl_eval("UNKNOWN + 1", lookup, NULL, 0, &v), -1);
	assert_int_equal(cdecl_eval("_IO(1, 2)", lookup, NULL, 0, &v), -1);
	assert_int_equal(cdecl_eval("", lookup, NULL, 0, &v), -1);
	assert_int_equal(cdecl_eval("1 / 0", lookup, NULL, 0, &v), -1);
}

struct idlist {
	char ids[32][64];
	int n;
};

static void collect(void *ctx, const char *id, size_t len)
{
	struct idlist *l = ctx;

	if (l->n < 32 && len < 64) {
		memcpy(l->ids[l->n], id, len);
		l->ids[l->n][len] = '\0';
		l->n++;
	}
}

static void test_idents(void **state)
{
	static const char code[] =
		"x = FOO; /* BAR */ s = \"BAZ\"; struct vfio_x *p; // QUX\n"
		"y = 'c'; z = 0x1f; /* open\n";
	struct idlist l = { .n = 0 };
	int in_comment = 0;

	cdecl_for_each_ident(code, strlen(code), &in_comment, collect, &l);
	assert_int_equal(l.n, 7);
	assert_string_equal(l.ids[1], "FOO");
	assert_string_equal(l.ids[3], "struct vfio_x");
	assert_string_equal(l.ids[4], "p");
	assert_int_equal(in_comment, 1);
	l.n = 0;
	cdecl_for_each_ident(" still */ AFTER", 15, &in_comment, collect, &l);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.ids[0], "AFTER");
	assert_int_equal(in_comment, 0);
}

/* Odd input never crashes and says it did not balance. */
static void test_unbalanced(void **state)
{
	static const char bad[] = "struct x {\n\tint a;\n#if 1\n";
	struct cdecl_file f;

	cdecl_scan(&f, bad, strlen(bad));
	assert_true(f.unbalanced);
	assert_true(find(&f, "struct x")->partial);
	cdecl_file_release(&f);
	cdecl_scan(&f, "}}};;\n#endif\n", 13);
	assert_true(f.unbalanced);
	cdecl_file_release(&f);
	cdecl_scan(&f, "", 0);
	assert_int_equal(f.n, 0);
	cdecl_file_release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds_and_extents),
		cmocka_unit_test(test_nesting),
		cmocka_unit_test(test_enum_and_conditionals),
		cmocka_unit_test(test_fragment),
		cmocka_unit_test(test_fragment_guesses),
		cmocka_unit_test(test_eval),
		cmocka_unit_test(test_idents),
		cmocka_unit_test(test_unbalanced),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

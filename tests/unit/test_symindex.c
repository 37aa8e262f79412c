/*
 * test_symindex.c - what the C symbol index calls "defined", and what a
 * patch's added lines use.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "input/patch.h"
#include "analyse/symindex.h"
#include "util.h"

static const char source[] =
	"/* struct fake_comment { int x; }; */\n"                /* 1 */
	"#include <stdio.h>\n"
	"#define LIMIT 16\n"
	"#define MAX(a, b) \\\n"
	"\t((a) > (b) ? (a) : (b))\n"                           /* 5 */
	"enum color { RED, GREEN = 2, BLUE = (1 << 3) };\n"
	"struct point {\n"
	"\tint x, y;\n"
	"\tunsigned flags : 3;\n"
	"\tvoid (*notify)(struct point *p, int why);\n"          /* 10 */
	"\tstruct { int inner; } u;\n"
	"};\n"
	"typedef struct Shape { int sides; } Shape;\n"
	"typedef int (*visit_fn)(void *opaque);\n"
	"struct forward;\n"                                      /* 15 */
	"static const char *names[] = { \"struct nope {\", NULL };\n"
	"int counter = 3, other;\n"
	"extern int declared_elsewhere(struct point *p);\n"
	"static int helper(int a, char *b)\n"
	"{\n"                                                    /* 20 */
	"\tint local_var = a;\n"
	"\tstruct point *pp = NULL;\n"
	"\treturn local_var + sizeof(pp);\n"
	"}\n"
	"type_init(register_types)\n"                            /* 25 */
	"#ifdef __cplusplus\n"
	"extern \"C\" {\n"
	"#endif\n"
	"void inside_extern_c(void);\n"
	"char ch = '}';\n"                                       /* 30 */
	"struct point *make_point(void) { return 0; }\n";

static struct symindex *index_source(void)
{
	struct symindex *ix = symindex_new();

	symindex_add_text(ix, "src/a.c", source, sizeof(source) - 1, 0);
	return ix;
}

static void assert_def(struct symindex *ix, const char *name,
		       enum sym_kind kind, long line)
{
	const struct sym_def *d = symindex_lookup(ix, name, strlen(name));

	if (!d)
		fail_msg("%s is not defined", name);
	if (d->kind != kind || d->line != line)
		fail_msg("%s: %s at %ld, want %s at %ld", name,
			 sym_kind_name(d->kind), d->line, sym_kind_name(kind),
			 line);
	assert_string_equal(d->file, "src/a.c");
}

static void assert_undef(struct symindex *ix, const char *name)
{
	const struct sym_def *d = symindex_lookup(ix, name, strlen(name));

	if (d)
		fail_msg("%s should not be defined (%s at %ld)", name,
			 sym_kind_name(d->kind), d->line);
}

static void test_every_kind(void **state)
{
	struct symindex *ix = index_source();

	assert_def(ix, "LIMIT", SYM_MACRO, 3);
	assert_def(ix, "MAX", SYM_MACRO, 4);
	assert_def(ix, "color", SYM_TAG, 6);
	assert_def(ix, "RED", SYM_ENUMERATOR, 6);
	assert_def(ix, "GREEN", SYM_ENUMERATOR, 6);
	assert_def(ix, "BLUE", SYM_ENUMERATOR, 6);
	assert_def(ix, "point", SYM_TAG, 7);
	assert_def(ix, "x", SYM_MEMBER, 8);
	assert_def(ix, "y", SYM_MEMBER, 8);
	assert_def(ix, "flags", SYM_MEMBER, 9);
	assert_def(ix, "notify", SYM_MEMBER, 10);
	assert_def(ix, "inner", SYM_MEMBER, 11);
	assert_def(ix, "u", SYM_MEMBER, 11);
	assert_def(ix, "Shape", SYM_TAG, 13); /* the tag comes first */
	assert_def(ix, "sides", SYM_MEMBER, 13);
	assert_def(ix, "visit_fn", SYM_TYPEDEF, 14);
	assert_def(ix, "forward", SYM_TAG, 15);
	assert_def(ix, "names", SYM_VARIABLE, 16);
	assert_def(ix, "counter", SYM_VARIABLE, 17);
	assert_def(ix, "other", SYM_VARIABLE, 17);
	assert_def(ix, "declared_elsewhere", SYM_PROTOTYPE, 18);
	assert_def(ix, "helper", SYM_FUNCTION, 19);
	assert_def(ix, "inside_extern_c", SYM_PROTOTYPE, 29);
	assert_def(ix, "ch", SYM_VARIABLE, 30);
	assert_def(ix, "make_point", SYM_FUNCTION, 31);
	assert_int_equal(symindex_files(ix), 1);
	symindex_free(ix);
}

static void test_not_definitions(void **state)
{
	struct symindex *ix = index_source();

	assert_undef(ix, "fake_comment");   /* in a comment */
	assert_undef(ix, "nope");           /* in a string */
	assert_undef(ix, "stdio");          /* #include */
	assert_undef(ix, "a");              /* macro and function parameters */
	assert_undef(ix, "b");
	assert_undef(ix, "local_var");      /* block scope */
	assert_undef(ix, "pp");
	assert_undef(ix, "p");
	assert_undef(ix, "why");
	assert_undef(ix, "opaque");
	assert_undef(ix, "type_init");      /* a macro call, not a prototype */
	assert_undef(ix, "register_types");
	assert_undef(ix, "NULL");
	assert_undef(ix, "int");
	symindex_free(ix);
}

static void test_prototype_then_definition(void **state)
{
	struct symindex *ix = symindex_new();
	const char *h = "int work(void);\n", *c = "\n\nint work(void)\n{\n}\n";
	const struct sym_def *d;

	symindex_add_text(ix, "w.h", h, strlen(h), 0);
	symindex_add_text(ix, "w.c", c, strlen(c), 0);
	d = symindex_lookup(ix, "work", 4);
	assert_non_null(d);
	assert_int_equal(d->kind, SYM_FUNCTION);
	assert_string_equal(d->file, "w.c");
	assert_int_equal(d->line, 3);
	assert_int_equal(symindex_files(ix), 2);
	symindex_free(ix);
}

static void test_macro_made_declarations(void **state)
{
	static const char qemu[] =
		"typedef enum __attribute__ ((__packed__)) {\n"   /* 1 */
		"\tkind_a,\n"
		"} Packed;\n"
		"static QLIST_HEAD(, Foo) foo_list;\n"
		"typedef QSIMPLEQ_HEAD(ACLList, ACLRule) ACLList;\n" /* 5 */
		"struct s { QTAILQ_ENTRY(s) next; };\n"
		"void stop(void) QEMU_NORETURN;\n"
		"type_init(a)\n"
		"type_init(b)\n"
		"static void after(void) { }\n";                  /* 10 */
	struct symindex *ix = symindex_new();
	const struct sym_def *d;

	symindex_add_text(ix, "src/a.c", qemu, sizeof(qemu) - 1, 0);
	assert_def(ix, "kind_a", SYM_ENUMERATOR, 2);
	assert_def(ix, "Packed", SYM_TYPEDEF, 3);
	assert_def(ix, "foo_list", SYM_VARIABLE, 4);
	assert_def(ix, "ACLList", SYM_TYPEDEF, 5);
	assert_def(ix, "next", SYM_MEMBER, 6);
	assert_def(ix, "stop", SYM_PROTOTYPE, 7);
	assert_def(ix, "after", SYM_FUNCTION, 10);
	assert_undef(ix, "QEMU_NORETURN");
	assert_undef(ix, "QLIST_HEAD");
	assert_undef(ix, "QSIMPLEQ_HEAD");
	assert_undef(ix, "type_init");
	assert_undef(ix, "b");
	d = symindex_lookup(ix, "s", 1);
	assert_non_null(d);
	symindex_free(ix);
}

/* key's declared type, or "" when it has none; NULL when key is absent */
static const char *key_type(const struct symindex *ix, const char *key)
{
	const struct sym_def *d = symindex_lookup(ix, key, strlen(key));

	return d ? (d->type ? d->type : "") : NULL;
}

static void test_locals_mode(void **state)
{
	struct symindex *ix = symindex_new();

	symindex_add_text(ix, "src/a.c", source, sizeof(source) - 1, 1);
	/* a parameter or local is defined only in its own function */
	assert_null(symindex_lookup(ix, "local_var", 9));
	assert_null(symindex_lookup(ix, "pp", 2));
	assert_null(symindex_lookup(ix, "a", 1));
	assert_string_equal(key_type(ix, "local_var\001src/a.c:helper"), "");
	assert_string_equal(key_type(ix, "pp\001src/a.c:helper"), "struct point");
	assert_non_null(key_type(ix, "a\001src/a.c:helper"));
	assert_non_null(key_type(ix, "a\001src/a.c:#MAX")); /* MAX(a, b) */
	assert_null(key_type(ix, "a\001src/a.c:declared_elsewhere"));
	assert_string_equal(key_type(ix, "p\001src/a.c:declared_elsewhere"),
			    "struct point");
	assert_null(symindex_lookup(ix, "type_init", 9));
	symindex_free(ix);
}

static void test_types_and_members(void **state)
{
	static const char more[] =
		"typedef struct point Point;\n"
		"struct bm { DECLARE_BITMAP(bits, 8); int n; };\n"
		"struct un { union { int i; long l; }; };\n"
		"Point *origin;\n";
	struct symindex *ix = index_source();

	symindex_add_text(ix, "src/b.h", more, sizeof(more) - 1, 0);
	assert_non_null(key_type(ix, "struct point"));
	assert_string_equal(key_type(ix, "struct point.x"), "");
	assert_non_null(key_type(ix, "struct point.y"));
	assert_non_null(key_type(ix, "struct point.flags"));
	assert_non_null(key_type(ix, "struct point.notify"));
	assert_string_equal(key_type(ix, "struct point.u"), "struct @1");
	assert_non_null(key_type(ix, "struct @1.inner"));
	assert_null(key_type(ix, "struct point.inner"));
	assert_null(key_type(ix, "struct point?"));
	assert_string_equal(key_type(ix, "typedef Shape"), "struct Shape");
	assert_non_null(key_type(ix, "struct Shape.sides"));
	assert_string_equal(key_type(ix, "typedef Point"), "struct point");
	assert_string_equal(key_type(ix, "var origin"), "Point");
	assert_non_null(key_type(ix, "var counter"));
	/* members the recogniser cannot name make the struct incomplete */
	assert_non_null(key_type(ix, "struct bm.n"));
	assert_non_null(key_type(ix, "struct bm?"));
	assert_non_null(key_type(ix, "struct un?"));
	symindex_free(ix);
}

static void test_directory(void **state)
{
	const char *tmp = getenv("TMPDIR");
	struct strbuf cmd = STRBUF_INIT;
	struct symindex *ix = symindex_new();
	const struct sym_def *d;
	char dir[4096];

	snprintf(dir, sizeof(dir), "%s/bt-symindex-XXXXXX", tmp && *tmp ? tmp : P_tmpdir);
	assert_non_null(mkdtemp(dir));
	sb_addf(&cmd, "cd %s && mkdir -p sub .git && "
		"printf 'int in_sub(void);\\n' > sub/x.h && "
		"printf 'int not_c(void);\\n' > sub/x.txt && "
		"printf 'int in_git(void);\\n' > .git/y.c && "
		"printf '#define TOP 1\\n' > top.c", dir);
	assert_int_equal(system(cmd.buf), 0);
	assert_int_equal(symindex_add_dir(ix, dir), 0);
	d = symindex_lookup(ix, "in_sub", 6);
	assert_non_null(d);
	assert_string_equal(d->file, "sub/x.h");
	assert_non_null(symindex_lookup(ix, "TOP", 3));
	assert_null(symindex_lookup(ix, "not_c", 5));
	assert_null(symindex_lookup(ix, "in_git", 6));
	assert_int_equal(symindex_files(ix), 2);
	assert_int_equal(symindex_add_dir(ix, "/nonexistent/dir"), -1);
	sb_reset(&cmd);
	sb_addf(&cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd.buf), 0);
	sb_release(&cmd);
	symindex_free(ix);
}

static void test_grows_past_initial_size(void **state)
{
	struct symindex *ix = symindex_new();
	struct strbuf sb = STRBUF_INIT;
	char name[32];
	int i;

	for (i = 0; i < 50000; i++)
		sb_addf(&sb, "#define SYM_%d %d\n", i, i);
	symindex_add_text(ix, "big.h", sb.buf, sb.len, 0);
	assert_int_equal(symindex_count(ix), 50000);
	for (i = 0; i < 50000; i += 997) {
		const struct sym_def *d;

		snprintf(name, sizeof(name), "SYM_%d", i);
		d = symindex_lookup(ix, name, strlen(name));
		assert_non_null(d);
		assert_int_equal(d->line, i + 1);
	}
	sb_release(&sb);
	symindex_free(ix);
}

static const char patch_text[] =
	"From 0123456789012345678901234567890123456789 Mon Sep 17 00:00:00 2001\n"
	"From: A <a@example.org>\n"
	"Subject: [PATCH] use things\n"
	"\n"
	"diff --git a/hw/dev.c b/hw/dev.c\n"                   /* 5 */
	"index 1111111..2222222 100644\n"
	"--- a/hw/dev.c\n"
	"+++ b/hw/dev.c\n"
	"@@ -10,3 +10,12 @@ static int old_fn(void)\n"
	" /* a comment that starts here\n"                     /* 10 */
	"+   mentions not_a_use in the comment */\n"
	" int existing;\n"
	"+#define SCALE(v) ((v) * FACTOR)\n"
	"+static int new_helper(DevState *s, int n)\n"
	"+{\n"                                                 /* 15 */
	"+    int ret = target_fn(s->field, n);\n"
	"+    const char *m = \"string_not_a_use\";\n"
	"+    if (!m) goto out_label;\n"
	"+    return ret + SCALE(n) + new_helper(s, 0) + existing;\n"
	"+}\n"
	" int tail;\n"                                         /* 21 */
	"diff --git a/README b/README\n"
	"--- a/README\n"
	"+++ b/README\n"
	"@@ -1 +1,2 @@\n"
	" readme\n"
	"+prose_is_not_c\n";

static void test_patch_uses(void **state)
{
	struct sym_uses uses = { 0 };
	struct symindex *defs = symindex_new();
	struct patch p;
	/*
	 * "existing" is a context line at the top of the hunk: maybe a local
	 * of old_fn, so not a definition for new_helper (the target's index
	 * has it if it is a global)
	 */
	const char *want[] = { "FACTOR", "DevState", "target_fn", "field",
			       "existing" };
	size_t i;

	memset(&p, 0, sizeof(p));
	assert_int_equal(patch_parse(&p, "t.patch", xstrdup(patch_text),
				     sizeof(patch_text) - 1), 0);
	symindex_patch_uses(&p, defs, &uses);
	for (i = 0; i < uses.n && i < 5; i++)
		assert_string_equal(uses.v[i].name, want[i]);
	assert_int_equal(uses.n, 5);
	/* a member: the access before it and its first name's declared type */
	assert_null(uses.v[2].of);
	assert_string_equal(uses.v[3].of, "s");
	assert_string_equal(uses.v[3].scope, "hw/dev.c:new_helper");
	assert_string_equal(uses.v[3].base_type, "DevState");
	assert_string_equal(uses.v[0].path, "hw/dev.c");
	assert_int_equal(uses.v[0].line, 13);       /* new-file line */
	assert_int_equal(uses.v[0].patch_line, 13); /* patch line */
	assert_int_equal(uses.v[2].line, 16);
	/* what the patch defines is there for later patches */
	assert_non_null(symindex_lookup(defs, "new_helper", 10));
	assert_non_null(symindex_lookup(defs, "SCALE", 5));
	assert_null(symindex_lookup(defs, "target_fn", 9));
	sym_uses_release(&uses);
	patch_release(&p);
	symindex_free(defs);
}

static void test_keywords(void **state)
{
	assert_true(sym_is_keyword("return", 6));
	assert_true(sym_is_keyword("unsigned", 8));
	assert_true(sym_is_keyword("_Bool", 5));
	assert_false(sym_is_keyword("returns", 7));
	assert_false(sym_is_keyword("g_malloc", 8));
	assert_false(sym_is_keyword("", 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_kind),
		cmocka_unit_test(test_not_definitions),
		cmocka_unit_test(test_prototype_then_definition),
		cmocka_unit_test(test_macro_made_declarations),
		cmocka_unit_test(test_locals_mode),
		cmocka_unit_test(test_types_and_members),
		cmocka_unit_test(test_directory),
		cmocka_unit_test(test_grows_past_initial_size),
		cmocka_unit_test(test_patch_uses),
		cmocka_unit_test(test_keywords),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

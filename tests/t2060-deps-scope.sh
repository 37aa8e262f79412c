#!/bin/sh
# t2060-deps-scope: deps resolves a member against the struct its
# expression names (the declared type of the pointer, through typedefs and
# member chains) and counts a parameter or local only in its own function.
. "$(dirname "$0")/test-lib.sh"

# diff_patch DIR-A DIR-B FILE: a one-file patch, a/ b/ prefixes
diff_patch() {
	diff -up "$1/$3" "$2/$3" | sed -e "s|^--- $1/|--- a/|" -e "s|^+++ $2/|+++ b/|"
}

test_expect_success 'setup: a target with two structs, a typedef and a chain' '
	mkdir t &&
	printf "struct a {\n\tint x;\n\tstruct inner in;\n};\n" >t/a.h &&
	sed -i "1i struct inner {\n\tint depth;\n};" t/a.h &&
	printf "struct b {\n\tint user;\n};\ntypedef struct a A;\nint other(int param);\n" >>t/a.h &&
	printf "#include \"a.h\"\nint f(struct a *p)\n{\n\tint r = 0;\n\treturn r;\n}\n\nint g(A *q)\n{\n\treturn 0;\n}\n\nint other(int param)\n{\n\treturn param;\n}\n" >t/x.c &&
	cp -r t new
'

test_expect_success 'a member only another struct has is missing from the right one' '
	sed -i "s/^\treturn r;/\tr += p->user;\n&/" new/x.c &&
	diff_patch t new x.c >member.patch &&
	test_expect_code 1 "$BT" deps -t t member.patch >out &&
	test_grep "x.c:5: missing member user of struct a (struct a at a.h:4 has no user)" out &&
	test_expect_code 1 "$BT" deps -t t --format json member.patch >out.json &&
	jq -e ".patches[0].results[0].missing[0] | .name == \"user\" and .kind == \"member\"
		and .struct == \"a\" and .confidence == \"high\" and .line == 5
		and .struct_at.file == \"a.h\" and .struct_at.line == 4" out.json
'

test_expect_success 'through a typedef and a member chain, a present member is not missing' '
	rm -rf new && cp -r t new &&
	sed -i "s/^\treturn 0;/\tq->x = q->in.depth;\n&/" new/x.c &&
	diff_patch t new x.c >present.patch &&
	"$BT" deps -t t present.patch >out &&
	test_grep "present.patch.*: clean$" out &&
	! grep missing out
'

test_expect_success 'a chain that reaches a struct without the member: missing' '
	rm -rf new && cp -r t new &&
	sed -i "s/^\treturn 0;/\tq->in.user = 1;\n&/" new/x.c &&
	diff_patch t new x.c >chain.patch &&
	test_expect_code 1 "$BT" deps -t t chain.patch >out &&
	test_grep "missing member user of struct inner (struct inner at a.h:1 has no user)" out
'

test_expect_success 'an unknown type is not a claim: the member falls back to its name' '
	rm -rf new && cp -r t new &&
	sed -i "s/^\treturn r;/\tr += ((struct a *)0)->user + unknown_thing->x;\n&/" new/x.c &&
	diff_patch t new x.c >cast.patch &&
	test_expect_code 1 "$BT" deps -t t cast.patch >out &&
	test_grep "unknown unknown_thing" out &&
	! grep "missing member" out
'

test_expect_success 'a parameter of another function does not define a name' '
	rm -rf new && cp -r t new &&
	sed -i "s/^\treturn r;/\tr += param;\n&/" new/x.c &&
	diff_patch t new x.c >param.patch &&
	test_expect_code 1 "$BT" deps -t t param.patch >out &&
	test_grep "x.c:5: unknown param: defined nowhere in the target" out
'

test_expect_success 'nor does a parameter of a function the patch adds' '
	cat >own.patch <<-\EOP &&
	--- a/x.c
	+++ b/x.c
	@@ -1,6 +1,12 @@
	 #include "a.h"
	+static int h(int fresh)
	+{
	+	return fresh;
	+}
	+
	 int f(struct a *p)
	 {
	 	int r = 0;
	+	r += fresh;
	 	return r;
	 }
	EOP
	test_expect_code 1 "$BT" deps -t t own.patch >out &&
	test_grep "x.c:10: unknown fresh: defined nowhere in the target" out &&
	test $(grep -c fresh out) = 1
'

test_expect_success 'nor a parameter of a function an earlier patch of the series added' '
	cat >1-add.patch <<-\EOP &&
	--- a/x.c
	+++ b/x.c
	@@ -1,2 +1,7 @@
	 #include "a.h"
	+static int h(int fresh)
	+{
	+	return fresh;
	+}
	+
	 int f(struct a *p)
	EOP
	cat >2-use.patch <<-\EOP &&
	--- a/x.c
	+++ b/x.c
	@@ -8,4 +8,5 @@ int f(struct a *p)
	 {
	 	int r = 0;
	+	r += fresh;
	 	return r;
	 }
	EOP
	printf "1-add.patch\n2-use.patch\n" >series &&
	test_expect_code 1 "$BT" deps -t t --series series >out &&
	test_grep "x.c:10: unknown fresh: defined nowhere in the target" out
'

test_expect_success 'a local of the function the hunk is in still counts there' '
	cat >local.patch <<-\EOP &&
	--- a/x.c
	+++ b/x.c
	@@ -3,4 +3,5 @@ int f(struct a *p)
	 {
	 	int r = 0;
	+	r += r + p->x;
	 	return r;
	 }
	EOP
	"$BT" deps -t t local.patch >out &&
	! grep -e missing -e unknown out
'

test_done

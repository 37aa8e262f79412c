#!/bin/sh
# t2120-build-systems: "check --build" on small projects of each common C
# build system (autotools from a git tree without configure, CMake, Meson
# in a folder below the top): an error given to the right patch and hunk,
# a queue that builds says so, the second run reuses the configured cache;
# a Debian source package's build flags; a configure that fails names a
# log that says why; a clone that lacks a blob.
. "$(dirname "$0")/test-lib.sh"

command -v cc >/dev/null 2>&1 && command -v make >/dev/null 2>&1 &&
command -v jq >/dev/null 2>&1 || skip_all "no cc, make or jq"

commit() {
	git -C "$1" -c user.name='Ann Author' -c user.email=ann@example.org \
		commit -q -a -m "$2" &&
	git -C "$1" rev-parse --short=10 HEAD
}

# history REPO DIR: src/a.c in DIR of REPO (the build files already
# there), tagged v1; P1 adds two() (builds), P2 a comment on top (hunk 1)
# and an undeclared name in sum() (hunk 2), P3 an unused variable in two().
history() {
	r=$1 d=$1${2:+/$2} &&
	mkdir -p "$d/src" &&
	printf "int one(void);\n" >"$d/src/num.h" &&
	printf "#include \"num.h\"\n\nint one(void)\n{\n\treturn 1;\n}\n\nint sum(void)\n{\n\treturn one();\n}\n" >"$d/src/a.c" &&
	git -C "$r" add . && commit "$r" init >/dev/null && git -C "$r" tag v1 &&
	printf "int one(void);\nint two(void);\n" >"$d/src/num.h" &&
	sed -i "s/^int sum(void)$/int two(void)\n{\n\treturn 2;\n}\n\n&/" "$d/src/a.c" &&
	commit "$r" "P1: two" >"$r.P1" &&
	sed -i "1i /* a.c: numbers */" "$d/src/a.c" &&
	sed -i "s/^\treturn one();$/\treturn one() + three_value;/" "$d/src/a.c" &&
	commit "$r" "P2: three" >"$r.P2" &&
	sed -i "s/^\treturn 2;$/\tint unused = 0;\n\treturn 2;/" "$d/src/a.c" &&
	commit "$r" "P3: unused" >"$r.P3"
}

# check_system REPO SYSTEM UNIT: the error is P2's hunk 2, the warning
# P3's hunk 1 (the warnings of the target's own lines that follow from the
# error are not counted); P1 alone builds, and the cache configured by the first run
# is reused by the second.
check_system() {
	test_expect_code 1 "$BT" check --git "$1" --tree v1=git:v1 --build \
		--build-dir "cache-$1" --format json "v1..$(cat "$1.P3")" >"$1.json" &&
	jq -e ".builds[0].system == \"$2\" and .builds[0].configured_now and
		.builds[0].units == [{\"path\": \"$3\", \"ok\": false}]" "$1.json" &&
	jq -r ".builds[0].diagnostics[] | select(.patch > 0 or .severity == \"error\") |
		\"\(.file) \(.severity) \(.patch) \(.hunk)\"" "$1.json" | sort -u >"$1.got" &&
	printf "%s error 2 2\n%s warning 3 1\n" "$3" "$3" >"$1.expect" &&
	test_cmp "$1.expect" "$1.got" &&
	"$BT" check --git "$1" --tree v1=git:v1 --build --build-dir "cache-$1" \
		--format json "$(cat "$1.P1")" >"$1.ok.json" &&
	jq -e ".builds[0].configured_now == false and .builds[0].error == null and
		.builds[0].units == [{\"path\": \"$3\", \"ok\": true}] and
		.builds[0].diagnostics == []" "$1.ok.json" &&
	git -C "$1" show "v1:$3" >"$1.pristine" &&
	test_cmp "$1.pristine" "$(ls -d cache-$1/*/src)/$3"
}

if command -v autoreconf >/dev/null 2>&1 && command -v libtoolize >/dev/null 2>&1; then
test_expect_success 'setup: an autotools library (libtool) with no configure script' '
	git init -q at &&
	printf "AC_INIT([num], [1])\nAM_INIT_AUTOMAKE([foreign subdir-objects])\nAC_PROG_CC\nLT_INIT\nAC_CONFIG_FILES([Makefile])\nAC_OUTPUT\n" >at/configure.ac &&
	printf "lib_LTLIBRARIES = libnum.la\nlibnum_la_SOURCES = src/a.c src/num.h\nlibnum_la_CFLAGS = -Wall\n" >at/Makefile.am &&
	history at
'

test_expect_success 'autotools: autoreconf, configure, the error is P2 hunk 2' '
	check_system at autotools src/a.c &&
	grep -q "^\$ .* autoreconf -fi$" cache-at/*/configure.log &&
	grep -q "make -k src/libnum_la-a.lo$" cache-at/*/build.log
'

test_expect_success 'check --build text: the error named with its patch and hunk' '
	test_expect_code 1 "$BT" check --git at --tree v1=git:v1 --build \
		--build-dir cache-at "v1..$(cat at.P3)" >at.out &&
	test_grep "^    build system: autotools$" at.out &&
	test_grep "^    FAILED src/a.c$" at.out &&
	test_grep "^    src/a.c:17: error: .three_value. undeclared.* ($(cat at.P2), hunk 2)$" at.out
'
else
	say "no autoreconf or libtoolize: the autotools tests are skipped"
fi

if command -v cmake >/dev/null 2>&1; then
test_expect_success 'setup: a CMake library' '
	git init -q cm &&
	printf "cmake_minimum_required(VERSION 3.10)\nproject(num C)\nadd_library(num src/a.c)\ntarget_compile_options(num PRIVATE -Wall)\n" >cm/CMakeLists.txt &&
	history cm
'

test_expect_success 'cmake: configured with compile_commands.json, the error is P2 hunk 2' '
	check_system cm cmake src/a.c &&
	test -f cache-cm/*/obj/compile_commands.json
'

# A new source file that the queue adds to CMakeLists.txt: the cache was
# configured from the target's, so the file has no compile command; it is
# not counted as built, and the notes say why.
test_expect_success 'cmake: a unit the configured build does not know is not built' '
	printf "int three(void) { return 3; }\n" >cm/src/b.c &&
	sed -i "s|src/a.c|src/a.c src/b.c|" cm/CMakeLists.txt &&
	git -C cm add src/b.c && commit cm "P4: b.c" >cm.P4 &&
	test_expect_code 1 "$BT" check --git cm --tree v1=git:v1 --build \
		--build-dir cache-cm --format json "$(cat cm.P4)" >cm4.json &&
	jq -e ".builds[0].configured_now == false and
		.builds[0].units == [{\"path\": \"src/b.c\", \"ok\": false,
			\"note\": \"not in the build\u0027s compile commands\"}] and
		.builds[0].notes == [\"the queue changes CMakeLists.txt: the units compile as the target configured them\"]" cm4.json
'

# debian/rules: hardening from DEB_BUILD_MAINT_OPTIONS (fortify needs
# -O2: a warning only the package's flags give) and a -D flag that the
# code needs to compile; a second revision whose flags need make.
test_expect_success 'setup: a CMake project packaged for Debian' '
	git init -q deb &&
	printf "cmake_minimum_required(VERSION 3.10)\nproject(num C)\nif(NUM_READY)\nadd_compile_definitions(NUM_READY)\nendif()\nadd_library(num src/a.c)\n" >deb/CMakeLists.txt &&
	mkdir deb/debian deb/src &&
	printf "#!/usr/bin/make -f\nexport DEB_BUILD_MAINT_OPTIONS = hardening=+all\n%%:\n\tdh \$@\n\noverride_dh_auto_configure:\n\tdh_auto_configure -- \\\\\n\t\t-DNUM_READY=ON\n" >deb/debian/rules &&
	printf "#ifndef NUM_READY\n#error built without debian/rules flags\n#endif\nint one(void);\n" >deb/src/num.h &&
	printf "#include \"num.h\"\nint one(void)\n{\n\treturn 1;\n}\n" >deb/src/a.c &&
	git -C deb add . && commit deb init >/dev/null && git -C deb tag v1 &&
	sed -i "s/-DNUM_READY=ON/-DNUM_READY=\$(READY)/" deb/debian/rules &&
	commit deb "rules: flags from a variable" >deb.R2 &&
	printf "#include \"num.h\"\nint one(void)\n{\n\treturn 1 + 0;\n}\n" >deb/src/a.c &&
	commit deb "P1: one" >deb.P1
'

test_expect_success 'debian: dpkg-buildflags and the dh_auto_configure flags are used' '
	"$BT" check --git deb --tree v1=git:v1 --build --build-dir cache-deb \
		--format json "$(cat deb.P1)" >deb.json &&
	jq -e ".builds[0].units == [{\"path\": \"src/a.c\", \"ok\": true}]" deb.json &&
	jq -r ".builds[0].notes[]" deb.json >deb.notes &&
	test_grep "^debian: configure flags from debian/rules:7$" deb.notes &&
	test_grep "^debian: CFLAGS, CPPFLAGS and LDFLAGS from dpkg-buildflags$" deb.notes &&
	grep -q "DEB_BUILD_MAINT_OPTIONS=hardening=+all.* dpkg-buildflags --get CFLAGS" \
		cache-deb/*/configure.log &&
	grep -q "_FORTIFY_SOURCE" cache-deb/*/obj/compile_commands.json
'

test_expect_success 'debian: flags that need make are not used, and a note says so' '
	test_expect_code 1 "$BT" check --git deb --tree r2=git:$(cat deb.R2) --build \
		--build-dir cache-deb --format json "$(cat deb.P1)" >deb2.json &&
	jq -r ".builds[0].notes[]" deb2.json >deb2.notes &&
	test_grep "^debian: configure flags of debian/rules:7 not used: they need make to read$" deb2.notes &&
	jq -e ".builds[0].units == [{\"path\": \"src/a.c\", \"ok\": false}]" deb2.json &&
	jq -e "[.builds[0].diagnostics[].message] | index(\"#error built without debian/rules flags\") != null" deb2.json
'

test_expect_success 'debian: rules that run cmake themselves: a note, their flags not used' '
	git -C deb checkout -q -b own v1 &&
	sed -i "s/^\tdh_auto_configure -- \\\\$/\tmkdir -p b \&\& cd b \&\& cmake .. \\\\/" deb/debian/rules &&
	grep -q "cd b && cmake" deb/debian/rules &&
	commit deb "rules: cmake by hand" >deb.R3 &&
	git -C deb checkout -q - &&
	test_expect_code 1 "$BT" check --git deb --tree r3=git:$(cat deb.R3) --build \
		--build-dir cache-deb --format json "$(cat deb.P1)" >deb3.json &&
	jq -r ".builds[0].notes[]" deb3.json >deb3.notes &&
	test_grep "^debian: debian/rules:7 runs configure itself; its flags not used$" deb3.notes &&
	jq -e ".builds[0].units == [{\"path\": \"src/a.c\", \"ok\": false}]" deb3.json
'

test_expect_success 'debian: an unpacked source package as the target, the same flags' '
	git -C deb worktree add -q ../debdir v1 &&
	"$BT" check --git deb --tree sid=debdir --build --build-dir cache-deb \
		--format json "$(cat deb.P1)" >debdir.json &&
	jq -e ".builds[0].units == [{\"path\": \"src/a.c\", \"ok\": true}] and
		.builds[0].configured_now" debdir.json &&
	jq -r ".builds[0].notes[]" debdir.json >debdir.notes &&
	test_cmp deb.notes debdir.notes
'

test_expect_success 'a configure that fails: its last line, and the log that has it' '
	git init -q bad &&
	printf "cmake_minimum_required(VERSION 3.10)\nproject(num C)\nmessage(FATAL_ERROR \"no frobnicator found\")\n" >bad/CMakeLists.txt &&
	printf "int one(void) { return 1; }\n" >bad/a.c &&
	git -C bad add . && commit bad init >/dev/null && git -C bad tag v1 &&
	printf "int one(void) { return 2; }\n" >bad/a.c &&
	commit bad P1 >bad.P1 &&
	test_expect_code 1 "$BT" check --git bad --tree v1=git:v1 --build \
		--build-dir cache-bad "$(cat bad.P1)" >bad.out &&
	test_grep "^  build: cmake failed: .* (.*/configure.log)$" bad.out &&
	grep -q "no frobnicator found" cache-bad/*/configure.log
'
else
	say "no cmake: the CMake tests are skipped"
fi

if command -v meson >/dev/null 2>&1 && command -v ninja >/dev/null 2>&1; then
test_expect_success 'setup: a Meson library in a folder below the top' '
	git init -q ms &&
	mkdir ms/lib &&
	printf "project(\047num\047, \047c\047)\nlibrary(\047num\047, \047src/a.c\047)\n" >ms/lib/meson.build &&
	printf "the library is in lib/\n" >ms/README &&
	history ms lib
'

test_expect_success 'meson: found in lib/, the error is P2 hunk 2' '
	check_system ms meson lib/src/a.c
'
else
	say "no meson or ninja: the Meson tests are skipped"
fi

# A clone that lacks a blob (as partial mirrors lack large test data): the
# build goes on without the file, and says so.
# debian/rules chooses: lib/ has CMake and Meson files (CMake would be
# found first); dh runs Meson there.
test_expect_success 'debian: debian/rules --buildsystem and --sourcedirectory are followed' '
	git init -q dhs &&
	mkdir -p dhs/lib/src dhs/debian &&
	printf "project(\047num\047, \047c\047)\nlibrary(\047num\047, \047src/a.c\047)\n" >dhs/lib/meson.build &&
	printf "cmake_minimum_required(VERSION 3.10)\nproject(num C)\nadd_library(num src/a.c)\n" >dhs/lib/CMakeLists.txt &&
	printf "#!/usr/bin/make -f\n%%:\n\tdh \$@ --buildsystem=meson --sourcedirectory=lib\n" >dhs/debian/rules &&
	printf "int one(void) { return 1; }\n" >dhs/lib/src/a.c &&
	git -C dhs add . && commit dhs init >/dev/null && git -C dhs tag v1 &&
	printf "int one(void) { return 2; }\n" >dhs/lib/src/a.c &&
	commit dhs P1 >dhs.P1 &&
	"$BT" check --git dhs --tree v1=git:v1 --build --build-dir cache-dhs \
		--format json "$(cat dhs.P1)" >dhs.json &&
	jq -e ".builds[0].system == \"meson\" and
		.builds[0].units == [{\"path\": \"lib/src/a.c\", \"ok\": true}]" dhs.json &&
	jq -r ".builds[0].notes[]" dhs.json >dhs.notes &&
	test_grep "^debian: the build system of debian/rules (meson)$" dhs.notes &&
	test_grep "^debian: the sources in lib/, as debian/rules says$" dhs.notes &&
	"$BT" check --git dhs --tree v1=git:v1 --build --build-dir cache-dhs \
		--build-target cmake --format json "$(cat dhs.P1)" >dhs2.json &&
	jq -e ".builds[0].system == \"cmake\"" dhs2.json &&
	test_expect_code 1 "$BT" check --git dhs --tree v1=git:v1 --build \
		--build-dir cache-dhs --build-target cmak "$(cat dhs.P1)" >dhs3.out &&
	test_grep "^  build: --build-target names no build system (autotools, cmake, meson, make, qemu) and no QEMU target (" dhs3.out
'

test_expect_success 'a file the clone lacks is left out, and a note says so' '
	git init -q part &&
	printf "all: a.o\n" >part/Makefile &&
	printf "int one(void) { return 1; }\n" >part/a.c &&
	printf "large test data\n" >part/big.xml &&
	git -C part add . && commit part init >/dev/null && git -C part tag v1 &&
	printf "int one(void) { return 2; }\n" >part/a.c &&
	commit part P1 >part.P1 &&
	blob=$(git -C part rev-parse v1:big.xml) &&
	rm "part/.git/objects/$(echo $blob | cut -c1-2)/$(echo $blob | cut -c3-)" &&
	! git -C part cat-file -e $blob &&
	"$BT" check --git part --tree v1=git:v1 --build --build-dir cache-part \
		--format json "$(cat part.P1)" >part.json &&
	jq -e ".builds[0].system == \"make\" and
		.builds[0].units == [{\"path\": \"a.c\", \"ok\": true}] and
		.builds[0].notes == [\"1 file the clone lacks left out (first: big.xml)\"]" part.json &&
	test ! -e cache-part/*/src/big.xml
'

test_expect_success 'a target with no build system says which files it looks for' '
	git init -q none &&
	printf "int one(void) { return 1; }\n" >none/a.c &&
	git -C none add . && commit none init >/dev/null && git -C none tag v1 &&
	printf "int one(void) { return 2; }\n" >none/a.c &&
	commit none P1 >none.P1 &&
	test_expect_code 1 "$BT" check --git none --tree v1=git:v1 --build \
		--build-dir cache-none "$(cat none.P1)" >none.out &&
	test_grep "^  build: the target has no build system to build with (configure.ac, configure, CMakeLists.txt, meson.build or Makefile) (.*/configure.log)$" none.out &&
	grep -q "^# the target has no build system to build with" cache-none/*/configure.log
'

test_done

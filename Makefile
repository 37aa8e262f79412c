# Makefile - builds backport-tool, runs its tests and benchmarks.
#
#   make            build $(BUILD)/backport-tool
#   make check      every test (unit, scenario, real Debian data); ends "N passed, N failed"
#   make bench      hyperfine side by side with quilt, GNU patch and git
#   make fidelity   GNU patch, git apply --3way, wiggle and backport-tool against
#                   Debian maintainers' hand backports (needs QEMU_GIT, LIBXML2_GIT, ...)
#   make deps       install the Debian packages building and testing need
#
# BUILD= puts objects elsewhere, so that several builds can share a checkout.

BUILD    ?= build
CC       ?= cc
PKGS     := libgit2 jansson libdpkg zlib
CFLAGS   ?= -O2 -g
CFLAGS   += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter -Ibackport-tool \
            $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS   += $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# libgit2 is not linked but loaded on its first call (backport-tool/gitlib.c):
# a stub for each function the objects call, generated from its headers.
LDLIBS   := $(filter-out -lgit2,$(LDLIBS)) -ldl
GIT2_INC := $(shell pkg-config --variable=includedir libgit2 2>/dev/null)

# The Debian package that ships each pkg-config module: what "make" names
# when one is missing, instead of a compiler error per file.
DEB_libgit2 := libgit2-dev
DEB_jansson := libjansson-dev
DEB_libdpkg := libdpkg-dev
DEB_zlib    := zlib1g-dev

# Goals that install the packages themselves (tests/install-deps.sh) before
# they compile anything; every other goal compiles, so it stops at once,
# on one line, when a library is missing.
SELF_INSTALLING := deps check clean demo qemu deb sbuild
ifneq ($(if $(MAKECMDGOALS),$(filter-out $(SELF_INSTALLING),$(MAKECMDGOALS)),all),)
ifneq ($(shell pkg-config --exists $(PKGS) 2>/dev/null && echo ok),ok)
MISSING := $(if $(shell command -v pkg-config),,pkg-config) \
           $(foreach m,$(PKGS),$(if $(shell pkg-config --exists $(m) 2>/dev/null && echo ok),,$(DEB_$(m))))
$(error backport-tool: missing build packages: $(strip $(MISSING)); run 'make deps' (or apt-get install $(strip $(MISSING))))
endif
endif
VERSION  := $(shell sed -n '1s/.*(\(.*\)).*/\1/p' debian/changelog 2>/dev/null || echo 0)
CFLAGS   += -DBT_VERSION='"$(VERSION)"'

# One folder per pipeline stage (see HACKING.md); util.c and main.c at the top.
STAGES   := input tree place analyse emit buildd cmd
SRC      := $(filter-out backport-tool/main.c,$(wildcard backport-tool/*.c \
            $(STAGES:%=backport-tool/%/*.c)))
OBJ      := $(SRC:%.c=$(BUILD)/obj/%.o)
DEP      := $(OBJ:.o=.d) $(BUILD)/obj/backport-tool/main.d
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

all: $(BUILD)/backport-tool
.PHONY: all check test-run bench fidelity deps clean

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

# $(call gitlib_stubs,OBJECTS): write $@, a stub for each libgit2 function
# the objects call (backport-tool/gitlib.c).
gitlib_stubs = @echo "generating $@ (libgit2 stubs)" && \
	nm -u $(1) | awk '$$1 == "U" && $$2 ~ /^git_/ { print $$2 }' | sort -u | \
	perl scripts/gitlib-stubs.pl $(GIT2_INC) >$@.tmp && mv $@.tmp $@

$(BUILD)/gitlib_stubs.c: $(OBJ) scripts/gitlib-stubs.pl
	$(call gitlib_stubs,$(OBJ))

$(BUILD)/obj/gitlib_stubs.o: $(BUILD)/gitlib_stubs.c
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/libbt.a: $(OBJ) $(BUILD)/obj/gitlib_stubs.o
	rm -f $@ && ar rcs $@ $^

$(BUILD)/backport-tool: $(BUILD)/obj/backport-tool/main.o $(BUILD)/libbt.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libbt.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libbt.a $(LDLIBS) -lcmocka

# check installs missing packages first, then builds in a fresh make so that
# pkg-config sees the libraries it just installed.
check:
	@sh tests/install-deps.sh
	@$(MAKE) --no-print-directory test-run

test-run: $(BUILD)/backport-tool $(UNIT_BIN)
	@BUILD=$(BUILD) sh tests/run.sh

bench: $(BUILD)/backport-tool
	@BUILD=$(BUILD) sh tests/bench/run.sh

fidelity: $(BUILD)/backport-tool
	@BUILD=$(BUILD) sh tests/fidelity/run.sh

deps:
	sh tests/install-deps.sh

clean:
	rm -rf $(BUILD)

-include $(DEP)

# ---- safety: fuzzing, sanitizers, valgrind ----------------------------------
#   make fuzz            libFuzzer harnesses tests/fuzz/fuzz_*.c (clang), each run
#                        for FUZZ_SECONDS (60) from the seeds in tests/fuzz/corpus/
#   make check-asan      the whole test suite on an ASan+UBSan build in ASAN_BUILD
#   make check-valgrind  the scenario tests with the binary under valgrind memcheck
.PHONY: fuzz fuzz-build check-asan check-valgrind

FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZ_BUILD   ?= $(BUILD)/fuzz
SAN_FLAGS    := -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
                -fno-sanitize-recover=undefined
FUZZ_OBJ     := $(SRC:%.c=$(FUZZ_BUILD)/%.o)
FUZZ_BIN     := $(patsubst tests/fuzz/%.c,$(FUZZ_BUILD)/%,$(wildcard tests/fuzz/fuzz_*.c))

$(FUZZ_OBJ): $(FUZZ_BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CFLAGS) $(SAN_FLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

$(FUZZ_BUILD)/gitlib_stubs.c: $(FUZZ_OBJ) scripts/gitlib-stubs.pl
	$(call gitlib_stubs,$(FUZZ_OBJ))

$(FUZZ_BUILD)/gitlib_stubs.o: $(FUZZ_BUILD)/gitlib_stubs.c
	$(FUZZ_CC) $(CFLAGS) $(SAN_FLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_BUILD)/libbt.a: $(FUZZ_OBJ) $(FUZZ_BUILD)/gitlib_stubs.o
	rm -f $@ && ar rcs $@ $^

$(FUZZ_BIN): $(FUZZ_BUILD)/%: tests/fuzz/%.c $(FUZZ_BUILD)/libbt.a
	$(FUZZ_CC) $(CFLAGS) $(SAN_FLAGS) -fsanitize=fuzzer \
		-o $@ $< $(FUZZ_BUILD)/libbt.a $(LDLIBS)

fuzz-build: $(FUZZ_BIN)

# New inputs go to $(FUZZ_BUILD)/corpus/NAME, crashes to $(FUZZ_BUILD)/crash-*;
# the committed seeds are only read.  stderr of the target is closed
# (-close_fd_mask=2): its error messages are the normal path, not news.
fuzz: $(FUZZ_BIN)
	@fail=0; for f in $(FUZZ_BIN); do \
		n=$${f##*/fuzz_}; mkdir -p $(FUZZ_BUILD)/corpus/$$n; \
		echo "fuzz: $$n for $(FUZZ_SECONDS)s"; \
		if ! $$f -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
			-max_len=65536 -close_fd_mask=2 -print_final_stats=1 \
			-artifact_prefix=$(FUZZ_BUILD)/crash-$$n- \
			$(FUZZ_BUILD)/corpus/$$n tests/fuzz/corpus/$$n \
			>$(FUZZ_BUILD)/$$n.log 2>&1; then \
			fail=1; grep -A25 -m1 'ERROR:\|runtime error' $(FUZZ_BUILD)/$$n.log; \
			grep 'Test unit written' $(FUZZ_BUILD)/$$n.log; \
		fi; \
		grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE)' $(FUZZ_BUILD)/$$n.log | tail -1 | sed 's/^/  /'; \
		grep -E 'stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' \
			$(FUZZ_BUILD)/$$n.log | sed 's/^/  /'; \
	done; exit $$fail

ASAN_BUILD ?= build-asan
check-asan:
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
		$(MAKE) --no-print-directory BUILD=$(ASAN_BUILD) \
		CC="$(CC) $(SAN_FLAGS)" test-run

# A wrapper stands in for the binary; every valgrind report goes to a log,
# and any report at all (error or leak) fails the run, whatever the tests'
# own exit-status checks saw.  Timing-based tests skip themselves.
VG_BUILD ?= $(BUILD)/valgrind
check-valgrind: $(BUILD)/backport-tool
	@rm -rf $(VG_BUILD) && mkdir -p $(VG_BUILD)/logs
	@printf '#!/bin/sh\nexec valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --log-file=%s/logs/vg.%%p %s "$$@"\n' \
		"$(abspath $(VG_BUILD))" "$(abspath $(BUILD))/backport-tool" >$(VG_BUILD)/backport-tool
	@chmod +x $(VG_BUILD)/backport-tool
	@BUILD=$(VG_BUILD) BT_VALGRIND=1 BT_NO_MEMCAP=1 sh tests/run.sh; s=$$?; \
	for l in $(VG_BUILD)/logs/vg.*; do \
		[ -s "$$l" ] || continue; echo "--- valgrind: $$l"; head -40 "$$l"; s=1; \
	done; \
	echo "valgrind: $$(ls $(VG_BUILD)/logs | wc -l) runs, $$(find $(VG_BUILD)/logs -type f -size +0 | wc -l) with reports"; \
	exit $$s

-include $(FUZZ_OBJ:.o=.d)

# ---- the toolkit's own Debian package ---------------------------------------
#   make deb   dpkg-buildpackage -us -uc -b on a copy of the working tree in
#              $(DEB_BUILD)/backport-tool-$(VERSION), so that nothing is
#              written next to the checkout; the .deb lands in $(DEB_BUILD)
.PHONY: deb
DEB_BUILD ?= $(BUILD)/deb
DEB_SRC   := $(DEB_BUILD)/backport-tool-$(VERSION)
deb:
	@rm -rf $(DEB_BUILD) && mkdir -p $(DEB_SRC)
	@if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
		git ls-files --cached --others --exclude-standard | \
			grep -v -e '^$(BUILD)/' -e '^build' | \
			while IFS= read -r f; do [ -e "$$f" ] && echo "$$f"; done; \
	else \
		find . -path ./build -prune -o -path ./.git -prune -o -type f -print; \
	fi | tar -cf - -T - | tar -xf - -C $(DEB_SRC)
	cd $(DEB_SRC) && dpkg-buildpackage -us -uc -b
	@ls $(DEB_BUILD)/*.deb

# ---- the main job ------------------------------------------------------------
#   make demo                       the README's first command: bookworm's qemu
#                                   patches judged, packaged and reported for
#                                   bullseye, from Debian's archive
#   make qemu RELEASE=focal|groovy QEMU_GIT=DIR
#                                   the vfio-ccw queue for that release, applied
#                                   with quilt, and qemu-system-s390x built and
#                                   smoke-tested
#   make sbuild RELEASE=bullseye    the demo's upload built with sbuild in a
#                                   clean bullseye chroot (outside CI: a full
#                                   qemu build takes hours); SBUILD_OPTS=
#                                   passes options to backport-tool build
.PHONY: demo qemu sbuild
demo:
	@sh tests/install-deps.sh
	@$(MAKE) --no-print-directory -s $(BUILD)/backport-tool
	@BUILD=$(BUILD) sh scripts/demo.sh

qemu:
	@EXTRA_PKGS="libglib2.0-dev libpixman-1-dev zlib1g-dev flex bison python3 ninja-build binutils" \
		sh tests/install-deps.sh
	@$(MAKE) --no-print-directory -s $(BUILD)/backport-tool
	@BUILD=$(BUILD) RELEASE=$(RELEASE) sh scripts/build-qemu.sh

sbuild:
	@sh tests/install-deps.sh
	@$(MAKE) --no-print-directory -s $(BUILD)/backport-tool
	@BUILD=$(BUILD) RELEASE=$(RELEASE) SBUILD_OPTS="$(SBUILD_OPTS)" sh scripts/sbuild.sh

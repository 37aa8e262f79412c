# Makefile - builds backport-tool, runs its tests and benchmarks.
#
#   make            build $(BUILD)/backport-tool
#   make check      every test (unit, scenario, real Debian data); ends "N passed, N failed"
#   make bench      hyperfine side by side with quilt, GNU patch and git
#   make deps       install the Debian packages building and testing need
#
# BUILD= puts objects elsewhere, so that several builds can share a checkout.

BUILD    ?= build
CC       ?= cc
PKGS     := libgit2 jansson libdpkg
CFLAGS   ?= -O2 -g
CFLAGS   += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter \
            $(shell pkg-config --cflags $(PKGS))
LDLIBS   += $(shell pkg-config --libs $(PKGS))
VERSION  := $(shell sed -n '1s/.*(\(.*\)).*/\1/p' debian/changelog 2>/dev/null || echo 0)
CFLAGS   += -DBT_VERSION='"$(VERSION)"'

SRC      := $(filter-out backport-tool/main.c,$(wildcard backport-tool/*.c))
OBJ      := $(SRC:%.c=$(BUILD)/%.o)
DEP      := $(OBJ:.o=.d) $(BUILD)/backport-tool/main.d
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

all: $(BUILD)/backport-tool
.PHONY: all check test-run bench deps clean

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/libbt.a: $(OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/backport-tool: $(BUILD)/backport-tool/main.o $(BUILD)/libbt.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libbt.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Ibackport-tool -o $@ $< $(BUILD)/libbt.a $(LDLIBS) -lcmocka

# check installs missing packages first, then builds in a fresh make so that
# pkg-config sees the libraries it just installed.
check:
	@sh tests/install-deps.sh
	@$(MAKE) --no-print-directory test-run

test-run: $(BUILD)/backport-tool $(UNIT_BIN)
	@BUILD=$(BUILD) sh tests/run.sh

bench: $(BUILD)/backport-tool
	@BUILD=$(BUILD) sh tests/bench/run.sh

deps:
	sh tests/install-deps.sh

clean:
	rm -rf $(BUILD)

-include $(DEP)

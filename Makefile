# earlywall - build, configure, test, demo, install.
#
#   make                      build/earlywall from .config (or the default defconfig)
#   make menuconfig           edit .config (also nconfig, defconfig, olddefconfig,
#                             savedefconfig, <name>_defconfig from board/*/)
#   make demo | test          see README.md
#   make O=DIR CONFIG=FILE    build another configuration into another directory
#   make V=1                  show full command lines

VERSION := 0.1.0
O ?= build
CONFIG ?= $(if $(wildcard .config),.config,board/rpi/rpi_defconfig)
PREFIX ?=
DESTDIR ?=
CROSS_COMPILE ?=
IPTABLES_SRC ?=
EW_FAULTS ?= 0

TRIPLET := $(if $(CROSS_COMPILE),$(CROSS_COMPILE:%-=%),$(shell gcc -dumpmachine 2>/dev/null))
ifeq ($(origin CC),default)
CC := $(if $(CROSS_COMPILE),$(CROSS_COMPILE)gcc -specs /usr/lib/$(subst -gnu,-musl,$(TRIPLET))/musl-gcc.specs,musl-gcc)
endif
STRIP ?= $(CROSS_COMPILE)strip
HOSTCC ?= gcc
LIBIPTC ?= build/libiptc/$(TRIPLET)
# libiptc is built under LIBIPTC by scripts/libiptc.sh, unless LIBIPTC_LIBS
# names one built elsewhere (Buildroot: the static libs in its staging).
LIBIPTC_CFLAGS ?= -I$(LIBIPTC)/include -isystem $(LIBIPTC)/kh
LIBIPTC_LIBS ?= $(LIBIPTC)/lib/libip4tc.a $(LIBIPTC)/lib/libip6tc.a
LIBIPTC_DEP = $(if $(filter nftables,$(BACKEND)),,$(if $(filter file,$(origin LIBIPTC_LIBS)),$(LIBIPTC)/.done))
# Kconfig front ends (Buildroot passes its own, see board/rpi/buildroot/).
KCONFIG_CONF ?= kconfig-conf
KCONFIG_MCONF ?= kconfig-mconf
KCONFIG_NCONF ?= kconfig-nconf

WARN := -Wall -Wextra -Werror
CFLAGS ?= -Os
EW_CFLAGS := $(WARN) -std=gnu99 -ffunction-sections -fdata-sections \
	-fno-asynchronous-unwind-tables -fno-unwind-tables \
	-DEW_VERSION='"$(VERSION)"' -DEW_FAULTS=$(EW_FAULTS) -Isrc -I$(O)/gen $(LIBIPTC_CFLAGS) \
	-MMD -MP
LDFLAGS ?=
STATIC ?= -static
EW_LDFLAGS := $(STATIC) -Wl,--gc-sections -Wl,--build-id=none -Wl,-z,noseparate-code \
	-Wl,-z,norelro

ifeq ($(V),1)
Q :=
else
Q := @
endif

.DELETE_ON_ERROR:
.SUFFIXES:
.PHONY: all clean distclean demo test test-fresh deps deps-demo deps-cross cross bench install \
	menuconfig nconfig defconfig olddefconfig savedefconfig size cc-check

# The tree is the index (see README, Layout): src/policy (pure), src/backend/xt
# and src/backend/nft, src/boot (PID 1), src/cli (commands), src/util; gen/ is
# the host-side generator, which shares the grammar with the binary.
HOST_SRCS := $(wildcard gen/*.c) src/policy/parse.c src/policy/format.c
# The BACKEND_* choice decides which backends are compiled in: libiptc's
# folder, and the parts of nftables' that commit (reading nftables, for
# verify's foreign tables, is in every build).
BACKEND := $(or $(if $(shell grep -s '^CONFIG_BACKEND_NFTABLES=y' $(CONFIG)),nftables),$(if \
	$(shell grep -s '^CONFIG_BACKEND_IPTABLES=y' $(CONFIG)),iptables),auto)
NFT_COMMIT_SRCS := $(filter-out src/backend/nft/netlink.c src/backend/nft/dump.c, \
	$(wildcard src/backend/nft/*.c))
BACKEND_OUT := $(if $(filter nftables,$(BACKEND)),$(wildcard src/backend/xt/*.c)) \
	$(if $(filter iptables,$(BACKEND)),$(NFT_COMMIT_SRCS))
SRCS := $(filter-out $(if $(filter 1,$(EW_FAULTS)),,src/util/faults.c) $(BACKEND_OUT), \
	src/main.c $(wildcard src/*/*.c src/*/*/*.c))
OBJS := $(SRCS:src/%.c=$(O)/obj/%.o) $(O)/obj/policy_table.o
HOSTGEN ?= build/host/ewgen
SUITES ?=

all: $(O)/earlywall

# The configuration, completed with Kconfig's defaults.
# kconfig's warnings (and unknown symbols) fail the build: scripts/kconfig.sh.
$(O)/config: $(CONFIG) Kconfig scripts/kconfig.sh
	@mkdir -p $(@D)
	$(Q)scripts/kconfig.sh "$(KCONFIG_CONF)" Kconfig $(CONFIG) $@

$(HOSTGEN): $(HOST_SRCS) gen/gen.h src/policy/parse.h
	@mkdir -p $(@D)
	@echo "  HOSTCC   $@"
	$(Q)$(HOSTCC) $(WARN) -std=gnu99 -O2 -Isrc -o $@ $(HOST_SRCS)

# Validate every entry; a bad one fails the build here, before any compiling.
$(O)/gen/config.h $(O)/gen/policy_table.c &: $(HOSTGEN) $(O)/config
	@mkdir -p $(@D)
	@echo "  GEN      $(O)/gen (from $(CONFIG))"
	$(Q)$(HOSTGEN) $(CONFIG) $(O)/config $(O)/gen

# A missing compiler is named, with the target that installs it.
cc-check:
	@command -v $(firstword $(CC)) >/dev/null 2>&1 || { \
		echo "earlywall: the compiler '$(firstword $(CC))' is missing: run 'make $(if $(CROSS_COMPILE),deps-cross,deps-demo)' to install it" >&2; exit 1; }
	$(if $(CROSS_COMPILE),@spec=/usr/lib/$(subst -gnu,-musl,$(TRIPLET))/musl-gcc.specs; [ -f $$spec ] || { \
		echo "earlywall: musl for $(TRIPLET) is missing ($$spec): run 'make deps-cross' to install it" >&2; exit 1; })

$(LIBIPTC)/.done: scripts/libiptc.sh | cc-check
	$(Q)scripts/libiptc.sh $(LIBIPTC) "$(CC)" $(TRIPLET) $(IPTABLES_SRC)

$(O)/obj/%.o: src/%.c $(O)/gen/config.h | cc-check $(LIBIPTC_DEP)
	@mkdir -p $(@D)
	@echo "  CC       $@"
	$(Q)$(CC) $(CFLAGS) $(EW_CFLAGS) -c -o $@ $<

$(O)/obj/policy_table.o: $(O)/gen/policy_table.c | $(LIBIPTC_DEP)
	@mkdir -p $(@D)
	@echo "  CC       $@"
	$(Q)$(CC) $(CFLAGS) $(EW_CFLAGS) -c -o $@ $<

$(O)/earlywall: $(OBJS) $(LIBIPTC_DEP)
	@echo "  LD       $@"
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $(EW_LDFLAGS) -o $@.unstripped $(OBJS) \
		$(if $(filter nftables,$(BACKEND)),,$(LIBIPTC_LIBS))
	$(Q)$(if $(NOSTRIP),cp $@.unstripped $@,$(STRIP) -s -R .comment -o $@ $@.unstripped)

# The test build with fault injection points (see src/faults.c).
build/earlywall-faults: FORCE
	$(Q)$(MAKE) --no-print-directory O=build/faults EW_FAULTS=1 all
	$(Q)cp build/faults/earlywall $@

.PHONY: FORCE
FORCE:

# Fuzzing (libFuzzer, with ASan and UBSan): make fuzz FUZZ_TIME=seconds-per-target.
# Seeds are committed under tests/fuzz/corpus/; what the fuzzers find grows
# build/fuzz/corpus-*, and crashes land in build/fuzz/crash-*.
FUZZ_CC ?= clang
FUZZ_TIME ?= 60
FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-DEW_FAULTS=0 -Isrc -I$(LIBIPTC)/include $(WARN)
FUZZ_POLICY_SRCS := src/policy/parse.c src/policy/format.c src/policy/policy.c src/policy/text.c \
	src/policy/render.c src/backend/xt/entry.c src/backend/xt/header.c \
	src/backend/xt/decode.c src/backend/xt/modules.c
FUZZERS := build/fuzz/fuzz_parse build/fuzz/fuzz_policy build/fuzz/fuzz_decode \
	build/fuzz/fuzz_netlink
.PHONY: fuzz fuzz-build

build/fuzz/fuzz_parse: tests/fuzz/fuzz_parse.c src/policy/parse.c src/policy/format.c \
		src/policy/parse.h
	@mkdir -p $(@D)
	@echo "  FUZZCC   $@"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ tests/fuzz/fuzz_parse.c src/policy/parse.c \
		src/policy/format.c

build/fuzz/fuzz_policy: tests/fuzz/fuzz_policy.c $(FUZZ_POLICY_SRCS) | $(LIBIPTC)/.done
	@mkdir -p $(@D)
	@echo "  FUZZCC   $@"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ tests/fuzz/fuzz_policy.c $(FUZZ_POLICY_SRCS)

build/fuzz/fuzz_decode: tests/fuzz/fuzz_decode.c $(FUZZ_POLICY_SRCS) | $(LIBIPTC)/.done
	@mkdir -p $(@D)
	@echo "  FUZZCC   $@"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ tests/fuzz/fuzz_decode.c $(FUZZ_POLICY_SRCS)

build/fuzz/fuzz_netlink: tests/fuzz/fuzz_netlink.c src/backend/nft/dump.c src/backend/nft/dump.h \
		src/backend/nft/netlink.c src/backend/nft/netlink.h src/backend/nft/canon.c \
		src/backend/nft/canon.h
	@mkdir -p $(@D)
	@echo "  FUZZCC   $@"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ tests/fuzz/fuzz_netlink.c src/backend/nft/dump.c \
		src/backend/nft/netlink.c src/backend/nft/canon.c

fuzz-build: $(FUZZERS)

fuzz: deps fuzz-build
	$(Q)for t in parse policy decode netlink; do \
		mkdir -p build/fuzz/corpus-$$t && \
		echo "  FUZZ     $$t for $(FUZZ_TIME) s" && \
		build/fuzz/fuzz_$$t -max_total_time=$(FUZZ_TIME) -print_final_stats=1 \
			-artifact_prefix=build/fuzz/ build/fuzz/corpus-$$t tests/fuzz/corpus/$$t \
			2>build/fuzz/$$t.log || { tail -40 build/fuzz/$$t.log; exit 1; }; \
		grep -E 'stat::number_of_executed_units' build/fuzz/$$t.log; \
	done

size: $(O)/earlywall
	@stat -c '%s bytes  %n' $<

-include $(OBJS:.o=.d)

# Kconfig front ends; they edit $(CONFIG) (.config by default).
KCONF = KCONFIG_CONFIG=.config
menuconfig:
	$(KCONF) $(KCONFIG_MCONF) Kconfig
nconfig:
	$(KCONF) $(KCONFIG_NCONF) Kconfig
defconfig: board/rpi/rpi_defconfig
	$(KCONF) $(KCONFIG_CONF) --defconfig=$< Kconfig
olddefconfig:
	$(KCONF) $(KCONFIG_CONF) --olddefconfig Kconfig
savedefconfig:
	$(KCONF) $(KCONFIG_CONF) --savedefconfig=defconfig Kconfig
%_defconfig:
	@f=$$(ls board/*/$@ 2>/dev/null | head -n1); \
	[ -n "$$f" ] || { echo "no board/*/$@" >&2; exit 2; }; \
	$(KCONF) $(KCONFIG_CONF) --defconfig=$$f Kconfig

# Dependencies in tiers (scripts/deps.sh): the demo installs only what the
# build and the demo use, the tests the rest. Nothing is ever removed.
deps:
	$(Q)scripts/deps.sh test

deps-demo:
	$(Q)scripts/deps.sh demo

demo: deps-demo
	$(Q)$(MAKE) --no-print-directory all
	$(Q)scripts/demo.sh $(O)/earlywall

test: deps deps-cross
	$(Q)$(MAKE) --no-print-directory all
	$(Q)scripts/run-tests.sh $(SUITES)

# make demo, then make test, in a freshly debootstrapped Debian 12 that
# shares this kernel: what a new machine gives (scripts/test-fresh.sh).
test-fresh:
	$(Q)scripts/test-fresh.sh

deps-cross:
	$(Q)scripts/deps-cross.sh

# Raspberry Pi builds: aarch64 (64-bit OS: Pi 3/4/5, Zero 2 W) and armv7
# hard-float (32-bit OS: Pi 2/3/4).
cross: deps-cross
	$(Q)$(MAKE) --no-print-directory CROSS_COMPILE=aarch64-linux-gnu- O=$(O)/aarch64 all
	$(Q)$(MAKE) --no-print-directory CROSS_COMPILE=arm-linux-gnueabihf- O=$(O)/armhf all
	@stat -c '%s bytes  %n' $(O)/aarch64/earlywall $(O)/armhf/earlywall

# Speed and size, side by side with iptables-legacy-restore, nft and the
# seed recipe; prints a markdown table, writes build/bench/results.csv.
bench: deps
	$(Q)scripts/bench.sh

install: $(O)/earlywall
	install -D -m 0755 $< $(DESTDIR)$(PREFIX)/sbin/earlywall

clean:
	rm -rf build

distclean: clean
	rm -f .config .config.old defconfig

# br-stub.mk - just enough of Buildroot to run the earlywall package's own
# steps, as written in board/rpi/buildroot/package/earlywall/earlywall.mk,
# without Buildroot's sources. Used by tests/buildroot.bats:
#
#   make -f tests/buildroot/br-stub.mk ROOT=<tree> T=<scratch> TARGET
#
# The variables are the ones Buildroot defines for packages (its Makefile,
# package/Makefile.in, package/pkg-generic.mk, package/pkg-kconfig.mk),
# set for a native musl build: TARGET_CC is musl-gcc, STAGING_DIR is a
# directory laid out like Buildroot's staging, and Buildroot's own kconfig
# "conf" is stood in for by tests/buildroot/buildroot-conf. The recipes
# repeat, in the same order, what Buildroot's package infrastructure runs
# for a local-site kconfig package: rsync the tree, install the
# configuration file, "make olddefconfig", then EARLYWALL_BUILD_CMDS and
# EARLYWALL_INSTALL_TARGET_CMDS, taken from earlywall.mk unchanged.

.DEFAULT_GOAL := target-installed
# As Buildroot does: variables given to this make are not passed on to the
# package's make.
MAKEOVERRIDES :=

# The Buildroot configuration: what kconfig-conf made of the external tree's
# Config.in files (tests/buildroot.bats writes it). Buildroot includes its
# .config the same way, and exports BR2_CONFIG naming it.
BR2_CONFIG := $(T)/buildroot.config
include $(BR2_CONFIG)
export BR2_CONFIG

# Buildroot's generated .br2-external.mk sets this one, unquoted.
BR2_EXTERNAL_EARLYWALL_PATH := $(ROOT)/board/rpi/buildroot

# Buildroot's Makefile and package/Makefile.in
qstrip = $(strip $(subst ",,$(1)))
BUILD_DIR := $(T)/build
STAGING_DIR := $(T)/staging
TARGET_DIR := $(T)/target
HOSTCC := gcc
HOSTCC_NOCCACHE := gcc
# Buildroot's TARGET_CC is its toolchain wrapper, which passes
# --sysroot=$(STAGING_DIR): staging's headers are system headers. musl-gcc
# gets the same for the include path from -isystem.
TARGET_CC := musl-gcc -isystem $(STAGING_DIR)/usr/include
# As Buildroot composes them for a static-only build with the default
# optimisation (-Os), no debugging, and _FORTIFY_SOURCE=1.
TARGET_CFLAGS := -D_LARGEFILE_SOURCE -D_LARGEFILE64_SOURCE -D_FILE_OFFSET_BITS=64 -Os -g0 -D_FORTIFY_SOURCE=1 -static
TARGET_LDFLAGS := -static
TARGET_MAKE_ENV := PATH="$(PATH)"
INSTALL := install
RSYNC_VCS_EXCLUSIONS := --exclude .svn --exclude .git --exclude .hg --exclude .bzr --exclude CVS
# package/pkg-utils.mk (only used inside the kernel's configuration step)
KCONFIG_ENABLE_OPT = echo $(1)=y

# package/pkg-generic.mk and pkg-kconfig.mk: what inner-generic-package and
# inner-kconfig-package define before the package's variables are used.
pkgdir = $(dir $(lastword $(MAKEFILE_LIST)))
PKG_KCONFIG_COMMON_OPTS = HOSTCC="$(HOSTCC_NOCCACHE)"
kconfig-package =
EARLYWALL_PKGDIR := $(BR2_EXTERNAL_EARLYWALL_PATH)/package/earlywall/
EARLYWALL_DIR := $(BUILD_DIR)/earlywall
EARLYWALL_KCONFIG_DOTCONFIG := .config

include $(BR2_EXTERNAL_EARLYWALL_PATH)/external.mk

D := $(EARLYWALL_DIR)

# The package's steps, in Buildroot's order.
$(D)/.stamp_rsynced:
	mkdir -p $(@D)
	rsync -au --chmod=u=rwX,go=rX $(EARLYWALL_OVERRIDE_SRCDIR_RSYNC_EXCLUSIONS) $(RSYNC_VCS_EXCLUSIONS) $(call qstrip,$(EARLYWALL_SITE))/ $(@D)
	touch $@

$(D)/.stamp_kconfig_fixup_done: $(D)/.stamp_rsynced
	$(INSTALL) -m 0644 -D $(EARLYWALL_KCONFIG_FILE) $(@D)/$(EARLYWALL_KCONFIG_DOTCONFIG)
	$(if $(EARLYWALL_KCONFIG_FRAGMENT_FILES),@echo "br-stub.mk: fragments are not supported" >&2; exit 1)
	$(MAKE) -C $(@D) $(PKG_KCONFIG_COMMON_OPTS) $(EARLYWALL_KCONFIG_OPTS) olddefconfig
	touch $@

$(D)/.stamp_built: $(D)/.stamp_kconfig_fixup_done
	$(EARLYWALL_BUILD_CMDS)
	touch $@

$(D)/.stamp_target_installed: $(D)/.stamp_built
	$(EARLYWALL_INSTALL_TARGET_CMDS)
	touch $@

.PHONY: target-installed savedefconfig show-vars
target-installed: $(D)/.stamp_target_installed

# earlywall-savedefconfig
savedefconfig: $(D)/.stamp_kconfig_fixup_done
	$(MAKE) -C $(D) $(PKG_KCONFIG_COMMON_OPTS) $(EARLYWALL_KCONFIG_OPTS) savedefconfig

# Expand every EARLYWALL_ variable, so that "make --warn-undefined-variables"
# names any variable earlywall.mk uses that Buildroot does not define.
show-vars:
	@:$(foreach v,$(sort $(filter EARLYWALL_%,$(.VARIABLES))),$(info $(v) = $($(v))))

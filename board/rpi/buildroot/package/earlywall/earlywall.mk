################################################################################
#
# earlywall
#
################################################################################

# The earlywall tree this br2-external tree is part of (board/rpi/buildroot).
EARLYWALL_SITE = $(BR2_EXTERNAL_EARLYWALL_PATH)/../../..
EARLYWALL_SITE_METHOD = local
# Only the sources: not the tree's own builds or configuration.
EARLYWALL_OVERRIDE_SRCDIR_RSYNC_EXCLUSIONS = \
	--exclude=/build --exclude=/.config --exclude=/.config.old \
	--exclude=/defconfig
EARLYWALL_LICENSE = GPL-2.0
EARLYWALL_LICENSE_FILES = LICENSE
# libip4tc.a and libip6tc.a in staging (static with BR2_STATIC_LIBS)
EARLYWALL_DEPENDENCIES = iptables

EARLYWALL_KCONFIG_FILE = $(call qstrip,$(BR2_PACKAGE_EARLYWALL_CONFIG))
EARLYWALL_KCONFIG_FRAGMENT_FILES = $(call qstrip,$(BR2_PACKAGE_EARLYWALL_CONFIG_FRAGMENT_FILES))
EARLYWALL_KCONFIG_EDITORS = menuconfig

# earlywall's Makefile runs kconfig-frontends' kconfig-conf and kconfig-mconf
# unless told otherwise. Here it runs Buildroot's own conf and mconf, through
# kconfig.sh, which explains the difference.
EARLYWALL_KCONFIG_OPTS = \
	KCONFIG_CONF="$(SHELL) $(EARLYWALL_PKGDIR)/kconfig.sh $(BUILD_DIR)/buildroot-config/conf" \
	KCONFIG_MCONF="$(SHELL) $(EARLYWALL_PKGDIR)/kconfig.sh $(BUILD_DIR)/buildroot-config/mconf"

# The build links Buildroot's static libiptc from staging instead of building
# its own. Its headers need no flag: staging is the compiler's sysroot.
# tests/buildroot.bats runs these same commands, from this file, against a
# staging-like directory.
EARLYWALL_MAKE_OPTS = \
	$(EARLYWALL_KCONFIG_OPTS) \
	CC="$(TARGET_CC)" \
	CFLAGS="$(TARGET_CFLAGS)" \
	LDFLAGS="$(TARGET_LDFLAGS)" \
	HOSTCC="$(HOSTCC)" \
	STATIC=-static \
	NOSTRIP=1 \
	CONFIG=.config \
	LIBIPTC_CFLAGS= \
	LIBIPTC_LIBS="$(STAGING_DIR)/usr/lib/libip4tc.a $(STAGING_DIR)/usr/lib/libip6tc.a"

define EARLYWALL_BUILD_CMDS
	$(TARGET_MAKE_ENV) $(MAKE) -C $(@D) $(EARLYWALL_MAKE_OPTS) all
endef

define EARLYWALL_INSTALL_TARGET_CMDS
	$(TARGET_MAKE_ENV) $(MAKE) -C $(@D) $(EARLYWALL_MAKE_OPTS) \
		DESTDIR=$(TARGET_DIR) PREFIX= install
endef

# What the compiled policy needs, for a kernel built by Buildroot. Options
# already set, as modules like in the Raspberry Pi defconfigs, stay modules:
# earlywall loads them itself, compressed ones through the kernel's own
# decompression. BR2_PACKAGE_IPTABLES already adds the IPv4 table and filter.
define EARLYWALL_LINUX_CONFIG_FIXUPS
	$(call KCONFIG_ENABLE_OPT,CONFIG_MODULE_DECOMPRESS)
	$(call KCONFIG_ENABLE_OPT,CONFIG_IPV6)
	$(call KCONFIG_ENABLE_OPT,CONFIG_NETFILTER_ADVANCED)
	$(call KCONFIG_ENABLE_OPT,CONFIG_IP6_NF_IPTABLES)
	$(call KCONFIG_ENABLE_OPT,CONFIG_IP6_NF_IPTABLES_LEGACY)
	$(call KCONFIG_ENABLE_OPT,CONFIG_IP6_NF_FILTER)
	$(call KCONFIG_ENABLE_OPT,CONFIG_NF_CONNTRACK)
	$(call KCONFIG_ENABLE_OPT,CONFIG_NETFILTER_XT_MATCH_CONNTRACK)
	$(call KCONFIG_ENABLE_OPT,CONFIG_NETFILTER_XT_MATCH_MULTIPORT)
	$(call KCONFIG_ENABLE_OPT,CONFIG_NETFILTER_XT_MATCH_LIMIT)
	$(call KCONFIG_ENABLE_OPT,CONFIG_NETFILTER_XT_TARGET_LOG)
endef

# earlywall-menuconfig runs Buildroot's mconf: build it first, as Buildroot's
# own "make menuconfig" does.
earlywall-menuconfig: $(BUILD_DIR)/buildroot-config/mconf

$(eval $(kconfig-package))

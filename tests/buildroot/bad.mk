###########################
#
# earlywall
#
################################################################################
EARLYWALL_SITE=somewhere
EARLYWALL_SITE = $(TOPDIR)/x  
FOO_LICENSE = GPL-2.0
EARLYWALL_INSTALL_TARGET = YES
ifdef BR2_FOO
EARLYWALL_CONF = ${STAGING_DIR}/x  \


endif
define EARLYWALL_BUILD_CMDS
    $(MAKE) -C $(@D) DESTDIR=$(HOST_DIR)/usr
endef
  EARLYWALL_X = 1
$(eval $(generic-package))
$(eval $(kconfig-package))

#!/bin/bash -e
# pi-gen sub-stage, run on the build host with ROOTFS_DIR set: install
# earlywall, its overlay and init=/sbin/earlywall into ${ROOTFS_DIR}.
# EARLYWALL_BIN, EARLYWALL_OVERLAY and EARLYWALL_INITRAMFS=0 are honoured
# (see ../earlywall-install.sh). The initramfs-tools hook takes effect when
# pi-gen's export-image/05-finalise runs `update-initramfs -k all -c`.
stage=$(cd "$(dirname "$0")/.." && pwd)
"${stage}/earlywall-install.sh" "${ROOTFS_DIR:?pi-gen sets ROOTFS_DIR}"

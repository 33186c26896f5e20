#!/bin/bash -e
# pi-gen: start this stage's root filesystem as a copy of the previous
# stage's (pi-gen's copy_previous), as pi-gen's own stages do.
if [ ! -d "${ROOTFS_DIR}" ]; then
	copy_previous
fi

#!/bin/bash -e
# run-stage.sh STAGE_DIR WORK_DIR PREV_ROOTFS_DIR: run a pi-gen stage the way
# pi-gen's build.sh does (run_stage and run_sub_stage, RPi-Distro/pi-gen
# master 314262cb), for the parts a stage without packages, debconf,
# patches or chroot scripts uses:
#
#   STAGE="$(basename "${STAGE_DIR}")"
#   STAGE_WORK_DIR="${WORK_DIR}/${STAGE}"
#   ROOTFS_DIR="${STAGE_WORK_DIR}"/rootfs
#   if [ ! -f SKIP_IMAGES ]; then if [ -f "${STAGE_DIR}/EXPORT_IMAGE" ]; then EXPORT_DIRS=...
#   if [ -x prerun.sh ]; then ./prerun.sh; fi
#   for SUB_STAGE_DIR in "${STAGE_DIR}"/*; do
#     if [ -d "${SUB_STAGE_DIR}" ] && [ ! -f "${SUB_STAGE_DIR}/SKIP" ]; then run_sub_stage
#   run_sub_stage: pushd "${SUB_STAGE_DIR}"; for i in {00..99}; do
#     if [ -x ${i}-run.sh ]; then ./${i}-run.sh ...
#
# copy_previous is pi-gen's (scripts/common), with rsync as there. A
# sub-stage that needs what this driver does not emulate (NN-packages,
# NN-debconf, NN-patches, NN-run-chroot.sh) makes it fail. The environment
# it adds (EARLYWALL_*) passes through, as variables exported in pi-gen's
# config do. Prints "EXPORT_IMAGE IMG_SUFFIX=..." when the stage exports.
STAGE_DIR=$(realpath "$1")
WORK_DIR=$2
PREV_ROOTFS_DIR=$3
STAGE="$(basename "${STAGE_DIR}")"
STAGE_WORK_DIR="${WORK_DIR}/${STAGE}"
ROOTFS_DIR="${STAGE_WORK_DIR}"/rootfs
export STAGE STAGE_DIR STAGE_WORK_DIR ROOTFS_DIR PREV_ROOTFS_DIR WORK_DIR
export ARCH=${ARCH:-arm64}

log() {
	echo "[run-stage] $*"
}
export -f log

copy_previous() {
	if [ ! -d "${PREV_ROOTFS_DIR}" ]; then
		echo "Previous stage rootfs not found"
		false
	fi
	mkdir -p "${ROOTFS_DIR}"
	rsync -aHAXx --exclude var/cache/apt/archives "${PREV_ROOTFS_DIR}/" "${ROOTFS_DIR}/"
}
export -f copy_previous

run_sub_stage() {
	log "Begin ${SUB_STAGE_DIR}"
	pushd "${SUB_STAGE_DIR}" >/dev/null
	for i in {00..99}; do
		for unsupported in "${i}-debconf" "${i}-packages-nr" "${i}-packages" "${i}-patches" "${i}-run-chroot.sh"; do
			if [ -e "$unsupported" ]; then
				echo "run-stage.sh: ${SUB_STAGE_DIR}/$unsupported needs a real pi-gen" >&2
				exit 1
			fi
		done
		if [ -x "${i}-run.sh" ]; then
			log "Begin ${SUB_STAGE_DIR}/${i}-run.sh"
			"./${i}-run.sh"
			log "End ${SUB_STAGE_DIR}/${i}-run.sh"
		elif [ -f "${i}-run.sh" ]; then
			log "Skip ${SUB_STAGE_DIR}/${i}-run.sh (not executable)"
		fi
	done
	popd >/dev/null
	log "End ${SUB_STAGE_DIR}"
}

pushd "${STAGE_DIR}" >/dev/null
if [ ! -f SKIP_IMAGES ] && [ -f "${STAGE_DIR}/EXPORT_IMAGE" ]; then
	(
		USE_QEMU=0 # read by EXPORT_IMAGE
		export USE_QEMU
		# shellcheck source=/dev/null
		source "${STAGE_DIR}/EXPORT_IMAGE"
		echo "EXPORT_IMAGE IMG_SUFFIX=${IMG_SUFFIX}"
	)
fi
if [ ! -f SKIP ]; then
	if [ -x prerun.sh ]; then
		log "Begin ${STAGE_DIR}/prerun.sh"
		./prerun.sh
		log "End ${STAGE_DIR}/prerun.sh"
	fi
	for SUB_STAGE_DIR in "${STAGE_DIR}"/*; do
		if [ -d "${SUB_STAGE_DIR}" ] && [ ! -f "${SUB_STAGE_DIR}/SKIP" ]; then
			run_sub_stage
		fi
	done
fi
popd >/dev/null

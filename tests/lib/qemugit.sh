# qemugit.sh - the vfio-ccw job's facts about a QEMU clone (QEMU_GIT), for
# the scenario scripts and bench sections that need one.
#
#   qemugit_release TAG   the release commit: its tag when the clone has it,
#                         else its "Update version for TAG release" commit
#                         (some clones, e.g. aik/qemu, carry no tags)
#
# QEMU_GIT may be bare or not; nothing here writes to it.

VFIO_HEADERS=f76b348ec7
VFIO_FEATURES="2a3b9cbaa7 46ea3841ed 690e29b911 f6dde1b012 f030532f2a"

qemugit_release() {
	git -C "$QEMU_GIT" rev-parse -q --verify "$1^{commit}" 2>/dev/null ||
		git -C "$QEMU_GIT" log --all --format=%H -1 \
			--grep="^Update version for $1 release\$" 2>/dev/null | grep .
}

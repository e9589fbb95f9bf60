#!/bin/sh
# Check kernel/patches/ the way a maintainer would:
#  - scripts/checkpatch.pl --strict on every patch, which must be clean.
#    The one warning tolerated is "does MAINTAINERS need updating?" for a
#    patch that adds files, and only when every file it adds is covered by
#    the F: lines of the MAINTAINERS entry the series adds (patch 1).
#  - with --build ARCH: every patch applied in turn builds the arm_rmm
#    directory with W=1 and no warning (the series bisects).
set -eu

REPO=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${SROSCOPE_CACHE:-$HOME/.cache/sroscope}
SRC=$CACHE/linux
die() { echo "check-series: $*" >&2; exit 1; }

"$REPO/scripts/kernel-build.sh" --prepare-only >/dev/null
covered=$(sed -n '/^+F:\t/s/^+F:\t//p' "$REPO"/kernel/patches/0001-*.patch)
[ -n "$covered" ] || die "patch 1 adds no MAINTAINERS entry"
bad=0
for p in "$REPO"/kernel/patches/*.patch; do
	out=$("$SRC/scripts/checkpatch.pl" --strict --no-tree -q \
		--ignore FILE_PATH_CHANGES "$p" 2>&1) || {
		echo "$out"
		bad=1
	}
	# Files the patch creates.
	for f in $(awk '/^diff --git / { f = substr($4, 3) } /^new file mode/ { print f }' "$p"); do
		ok=0
		for c in $covered; do
			case "$f" in "$c"*) ok=1 ;; esac
		done
		[ "$f" = MAINTAINERS ] && ok=1
		[ $ok = 1 ] || { echo "$(basename "$p"): $f not in MAINTAINERS"; bad=1; }
	done
done
[ $bad = 0 ] || die "checkpatch found problems"
echo "check-series: checkpatch --strict clean ($(ls "$REPO"/kernel/patches/*.patch | wc -l) patches)"

[ "${1:-}" = --build ] || exit 0
ARCH=${2:-x86_64}
case $ARCH in
x86_64) KARCH=x86_64; CROSS= ;;
arm64) KARCH=arm64; CROSS=aarch64-linux-gnu- ;;
*) die "unknown ARCH $ARCH" ;;
esac
BUILD=$CACHE/build-$ARCH
[ -f "$BUILD/.config" ] || die "no configured $BUILD: run make kernel ARCH=$ARCH first"
tmp=$(mktemp -d)
trap 'git -C "$SRC" worktree remove --force "$tmp/tree" >/dev/null 2>&1; rm -rf "$tmp"' EXIT
git -C "$SRC" worktree add -q --detach "$tmp/tree" sroscope-base
mkdir -p "$tmp/o"
cp "$BUILD/.config" "$tmp/o/.config"
make -s -C "$tmp/tree" O="$tmp/o" ARCH=$KARCH CROSS_COMPILE=$CROSS olddefconfig >/dev/null
make -s -C "$tmp/tree" O="$tmp/o" ARCH=$KARCH CROSS_COMPILE=$CROSS -j"$(nproc)" prepare >/dev/null 2>&1
for p in "$REPO"/kernel/patches/*.patch; do
	git -C "$tmp/tree" -c user.name=x -c user.email=x@x am -q "$p"
	# Turn on whatever the series offers so far, so the step really builds.
	grep -h '^CONFIG_ARM_RMM' "$REPO"/kernel/config/*.config >>"$tmp/o/.config"
	make -s -C "$tmp/tree" O="$tmp/o" ARCH=$KARCH CROSS_COMPILE=$CROSS olddefconfig >/dev/null
	log=$(make -s -C "$tmp/tree" O="$tmp/o" ARCH=$KARCH CROSS_COMPILE=$CROSS \
		-j"$(nproc)" W=1 drivers/firmware/arm_rmm/ 2>&1) || { echo "$log"; die "$(basename "$p") does not build"; }
	if echo "$log" | grep -q "warning:"; then
		echo "$log"
		die "$(basename "$p") builds with warnings"
	fi
	built=$(ls "$tmp/o/drivers/firmware/arm_rmm/"*.o 2>/dev/null | wc -l)
	[ "$built" -gt 0 ] || die "$(basename "$p"): nothing built in arm_rmm"
	echo "check-series: $(basename "$p") builds with W=1, no warning ($(grep -c '^CONFIG_ARM_RMM.*=y' "$tmp/o/.config") ARM_RMM options on, $built objects)"
done

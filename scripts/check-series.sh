#!/bin/sh
# Check kernel/patches/ the way a maintainer would:
#  - scripts/checkpatch.pl --strict on every patch, which must be clean.
#    The one warning tolerated is "does MAINTAINERS need updating?" for a
#    patch that adds files, and only when every file it adds is covered by
#    the F: lines of the MAINTAINERS entry the series adds (patch 1).
#  - with --build ARCH: every patch applied in turn builds the arm_rmm
#    directory with W=1 and no warning (the series bisects), in three
#    configurations of the test base:
#      minimal   tinyconfig + 64BIT + ARM_RMM_SRO: no debugfs, tracing,
#                BPF, KUnit or CONTIG_ALLOC (every optional part absent)
#      defconfig the architecture's defconfig + every ARM_RMM option
#                that survives its dependencies, KUnit and the SRO
#                KUnit suite as modules
#      test      the sroscope test kernel's configuration (everything on)
set -eu

REPO=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${SROSCOPE_CACHE:-$HOME/.cache/sroscope}
SRC=$CACHE/linux
PROGRESS_NAME=check-series
. "$REPO/scripts/lib/progress.sh"
die() { progress_stop; echo "check-series: $*" >&2; exit 1; }

"$REPO/scripts/kernel-build.sh" --prepare-only >/dev/null
covered=$(sed -n '/^+F:\t/s/^+F:\t//p' "$REPO"/kernel/patches/0001-*.patch)
[ -n "$covered" ] || die "patch 1 adds no MAINTAINERS entry"
bad=0
for p in "$REPO"/kernel/patches/*.patch; do
	# From the kernel tree: checkpatch reads its settings from the
	# directory it runs in.
	out=$(cd "$SRC" && scripts/checkpatch.pl --strict --no-tree -q \
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
K="make -s -C $tmp/tree ARCH=$KARCH CROSS_COMPILE=$CROSS"
CONFIGS="minimal defconfig test"
for c in $CONFIGS; do
	mkdir -p "$tmp/$c"
	case $c in
	minimal)
		$K O="$tmp/$c" tinyconfig >/dev/null
		printf 'CONFIG_64BIT=y\n' >>"$tmp/$c/.config" ;;
	defconfig)
		$K O="$tmp/$c" defconfig >/dev/null
		printf 'CONFIG_KUNIT=m\n' >>"$tmp/$c/.config" ;;
	test)
		cp "$BUILD/.config" "$tmp/$c/.config" ;;
	esac
	$K O="$tmp/$c" olddefconfig >/dev/null 2>&1
	echo "check-series: preparing the $c configuration" >&2
	progress_start "preparing the $c configuration"
	$K O="$tmp/$c" -j"$(nproc)" prepare >/dev/null 2>&1 || die "$c: prepare failed"
	progress_stop
done
for p in "$REPO"/kernel/patches/*.patch; do
	git -C "$tmp/tree" -c user.name=x -c user.email=x@x am -q "$p"
	for c in $CONFIGS; do
		# Turn on what the series offers so far, so the step really
		# builds: only the SRO core in the minimal configuration.
		case $c in
		minimal) echo CONFIG_ARM_RMM_SRO=y >>"$tmp/$c/.config" ;;
		defconfig) grep -h '^CONFIG_ARM_RMM' "$REPO"/kernel/config/*.config |
			sed 's/^\(CONFIG_ARM_RMM_SRO_KUNIT_TEST\)=y/\1=m/' >>"$tmp/$c/.config" ;;
		*) grep -h '^CONFIG_ARM_RMM' "$REPO"/kernel/config/*.config >>"$tmp/$c/.config" ;;
		esac
		$K O="$tmp/$c" olddefconfig >/dev/null 2>&1
		progress_start "building $(basename "$p") in $c"
		log=$($K O="$tmp/$c" -j"$(nproc)" W=1 drivers/firmware/arm_rmm/ 2>&1) ||
			{ echo "$log"; die "$(basename "$p") does not build ($c)"; }
		progress_stop
		if echo "$log" | grep -q "warning:"; then
			echo "$log"
			die "$(basename "$p") builds with warnings ($c)"
		fi
		built=$(ls "$tmp/$c/drivers/firmware/arm_rmm/"*.o 2>/dev/null | wc -l)
		[ "$built" -gt 0 ] || die "$(basename "$p"): nothing built in arm_rmm ($c)"
		echo "check-series: $(basename "$p") builds with W=1, no warning in $c ($(grep -c '^CONFIG_ARM_RMM.*=[ym]' "$tmp/$c/.config") ARM_RMM options on, $built objects)"
	done
done

#!/bin/sh
# Build the sroscope test kernel: Debian's linux-source-6.12 with the series
# in kernel/patches/ applied, configured from kernel/config/ onto tinyconfig.
#
#   kernel-build.sh ARCH            ARCH = x86_64 | arm64; prints the image
#   kernel-build.sh --prepare-only  only make the patched source tree
#
# Everything lives in a cache outside the repository and is reused while
# its inputs are unchanged ($SROSCOPE_CACHE, default ~/.cache/sroscope):
#   linux/          git tree: tag sroscope-base = pristine, branch sroscope
#   build-ARCH/     out-of-tree build (O=)
# KSRC=DIR builds a developer's own tree as it is, without applying the
# series. DEBUG=1 builds the sanitizer kernel (kernel/config/debug.config)
# in build-ARCH-debug/. BARE=1 builds, in build-ARCH-bare/, the same kernel
# with the series' trace events compiled out (NOTRACE in the objects that
# fire them, so every clock read they guard goes too): make bench sets its
# allocation path beside the usual one (its own build directory: built
# once in full, then incrementally like the others). V=1 shows the commands.
set -eu

REPO=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${SROSCOPE_CACHE:-$HOME/.cache/sroscope}
TARBALL=/usr/src/linux-source-6.12.tar.xz
SRC=$CACHE/linux
V=${V:-0}

PROGRESS_NAME=kernel-build
. "$REPO/scripts/lib/progress.sh"

die() { progress_stop; echo "kernel-build: $*" >&2; exit 1; }
say() { echo "kernel-build: $*" >&2; }

series_hash() {
	cat "$REPO"/kernel/patches/*.patch 2>/dev/null | sha256sum | cut -c1-16
}

# Pristine source as a git tree, then the series on branch "sroscope".
prepare_source() {
	[ -f "$TARBALL" ] || die "$TARBALL missing: run scripts/install-deps.sh"
	if [ ! -d "$SRC/.git" ]; then
		say "extracting linux-source-6.12 into $SRC (once, 2-3 minutes)"
		progress_start "extracting and committing linux-source-6.12"
		rm -rf "$SRC.tmp"
		mkdir -p "$SRC.tmp"
		tar -I "xz -T0" -xf "$TARBALL" -C "$SRC.tmp" --strip-components=1
		(
			cd "$SRC.tmp"
			git init -q
			git config user.name "sroscope"
			git config user.email "sroscope@invalid"
			# Debian's tarball ignores "/*" at the top level: force.
			git add -A -f >/dev/null
			git commit -q -m "Linux 6.12 (Debian linux-source-6.12)"
			git tag sroscope-base
		)
		mv "$SRC.tmp" "$SRC"
		progress_stop
	fi
	want=$(series_hash)
	have=$(cat "$CACHE/linux.series" 2>/dev/null || true)
	[ "$want" = "$have" ] && return 0
	say "applying kernel/patches ($(ls "$REPO"/kernel/patches/*.patch 2>/dev/null | wc -l) patches)"
	git -C "$SRC" am --abort >/dev/null 2>&1 || true
	# Only files the series touches change, so builds stay incremental.
	git -C "$SRC" checkout -q -f -B sroscope sroscope-base
	git -C "$SRC" clean -q -f -d -x
	if ls "$REPO"/kernel/patches/*.patch >/dev/null 2>&1; then
		git -C "$SRC" am -q --whitespace=nowarn "$REPO"/kernel/patches/*.patch ||
			die "the series does not apply"
	fi
	echo "$want" >"$CACHE/linux.series"
}

[ $# -ge 1 ] || die "usage: kernel-build.sh x86_64|arm64|--prepare-only"
mkdir -p "$CACHE"
if [ "$1" = "--prepare-only" ]; then
	prepare_source
	exit 0
fi

ARCH=$1
case "$ARCH" in
x86_64) KARCH=x86_64; CROSS=; IMAGE=arch/x86/boot/bzImage; TARGET=bzImage ;;
arm64) KARCH=arm64; CROSS=aarch64-linux-gnu-; IMAGE=arch/arm64/boot/Image; TARGET=Image ;;
*) die "unknown ARCH '$ARCH' (x86_64 or arm64)" ;;
esac

if [ -n "${KSRC:-}" ]; then
	TREE=$(cd "$KSRC" && pwd)
	BUILD=$CACHE/build-$ARCH-dev
	tree_id="ksrc:$TREE"
else
	prepare_source
	TREE=$SRC
	BUILD=$CACHE/build-$ARCH
	tree_id="series:$(series_hash)"
fi
FRAGS="$REPO/kernel/config/common.config $REPO/kernel/config/$ARCH.config"
if [ "${DEBUG:-0}" = 1 ]; then
	BUILD=$BUILD-debug
	FRAGS="$FRAGS $REPO/kernel/config/debug.config"
fi

# Debug info is there for BTF, which pahole makes from the types alone:
# gcc's variable-location tracking (most of -g's cost) is not needed, and
# leaving it out builds the kernel about 6% faster with the same BTF.
KCFLAGS=-fno-var-tracking
inputs=$(printf '%s\n' "$tree_id" "$KCFLAGS" | cat - $FRAGS | sha256sum | cut -c1-16)
config_inputs=$inputs
NOTRACE=
if [ "${BARE:-0}" = 1 ]; then
	[ -z "${KSRC:-}" ] && [ "${DEBUG:-0}" != 1 ] ||
		die "BARE=1 builds the series' own kernel only (no KSRC, no DEBUG)"
	BUILD=$BUILD-bare
	inputs=$(echo "$inputs bare" | sha256sum | cut -c1-16)
	for o in sro sro_mem sro_policy; do
		NOTRACE="$NOTRACE CFLAGS_$o.o=-DNOTRACE"
	done
fi
mkdir -p "$BUILD"

# Nothing changed since the last build of the series: done in a second.
if [ -z "${KSRC:-}" ] && [ -f "$BUILD/$IMAGE" ] &&
   [ "$(cat "$BUILD/.sroscope-built" 2>/dev/null)" = "$inputs" ]; then
	say "kernel up to date"
	echo "$BUILD/$IMAGE"
	exit 0
fi

MAKE="make -C $TREE O=$BUILD ARCH=$KARCH -j$(nproc) KCFLAGS=$KCFLAGS"
if command -v ccache >/dev/null; then
	MAKE="$MAKE CC=ccache\ ${CROSS}gcc"
	export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}
	# Depend mode: a miss costs no extra preprocessor run. In ccache's
	# default mode a first build from an empty cache took 459 s here
	# against 294 s in this mode (docs/first-hour.md).
	export CCACHE_DEPEND=1
fi
[ -n "$CROSS" ] && MAKE="$MAKE CROSS_COMPILE=$CROSS"
MAKE="$MAKE$NOTRACE"
# The build itself is not -s: its "  CC  file" lines go to the log, and
# counting them is the progress shown every 30 s.
BUILD_MAKE=$MAKE
[ "$V" = 1 ] || MAKE="$MAKE -s"

if [ "$(cat "$BUILD/.sroscope-config" 2>/dev/null)" != "$config_inputs" ]; then
	say "configuring $ARCH"
	eval "$MAKE tinyconfig" >/dev/null
	(cd "$BUILD" && ARCH=$KARCH CROSS_COMPILE=$CROSS \
		"$TREE/scripts/kconfig/merge_config.sh" -m -O "$BUILD" \
		"$BUILD/.config" $FRAGS >/dev/null)
	eval "$MAKE olddefconfig" >/dev/null
	# Every =y asked for must have survived olddefconfig.
	missing=""
	for opt in $(grep -h '^CONFIG_.*=y' $FRAGS | cut -d= -f1 | sort -u); do
		grep -q "^$opt=y" "$BUILD/.config" || missing="$missing $opt"
	done
	[ -z "$missing" ] || die "options not enabled:$missing"
	# Every option turned off must have stayed off (nothing selects it).
	for opt in $(sed -n 's/^# \(CONFIG_[A-Z0-9_]*\) is not set$/\1/p' $FRAGS | sort -u); do
		if grep -q "^$opt=" "$BUILD/.config"; then missing="$missing $opt"; fi
	done
	[ -z "$missing" ] || die "options not turned off (something selects them):$missing"
	echo "$config_inputs" >"$BUILD/.sroscope-config"
fi

# Progress: build steps logged so far, against the last full build's (or,
# the first time, the count kernel/config/build-steps gives), and the time
# left at the pace so far.
STEPS=$CACHE/kernel-steps-$(basename "$BUILD")
steps_done() {
	n=$(grep -c '^  [A-Z]' "$BUILD/build.log" || true)
	total=$(cat "$STEPS" 2>/dev/null ||
		awk -v b="$(basename "$BUILD")" '$1 == b { print $2 }' \
			"$REPO/kernel/config/build-steps")
	if [ -n "$total" ] && [ "$n" -gt 0 ] && [ "$n" -lt "$total" ]; then
		echo "$n of about $total steps, about $((($(date +%s) - start) * (total - n) / n)) s left"
	elif [ -n "$total" ] && [ "$n" -ge "$total" ]; then
		echo "$n steps (about $total expected), nearly done"
	else
		echo "$n steps"
	fi
}
say "building $ARCH kernel (log: $BUILD/build.log)"
start=$(date +%s)
progress_start "building $ARCH kernel" steps_done
if ! eval "$BUILD_MAKE $TARGET" >"$BUILD/build.log" 2>&1; then
	progress_stop
	grep -E "error|Error" "$BUILD/build.log" | head -40 >&2
	die "build failed, see $BUILD/build.log"
fi
progress_stop
# A build from scratch sets the scale for the next one's progress.
n=$(grep -c '^  [A-Z]' "$BUILD/build.log" || true)
[ "$n" -lt "$(cat "$STEPS" 2>/dev/null || echo 0)" ] || echo "$n" >"$STEPS"
[ "$V" = 1 ] && cat "$BUILD/build.log" >&2
grep -E "warning:" "$BUILD/build.log" >&2 || true
say "built in $(($(date +%s) - start)) s"
[ -n "${KSRC:-}" ] || echo "$inputs" >"$BUILD/.sroscope-built"
echo "$BUILD/$IMAGE"

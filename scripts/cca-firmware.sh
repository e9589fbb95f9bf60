#!/bin/sh
# Build the real Arm CCA firmware for QEMU's virt machine: TF-RMM v0.9.0
# (the RMM, at R-EL2) inside TF-A v2.15.0 (EL3), whose BL33 is a Linux
# Image that QEMU preloads at 0x60000000. Prints the path of qemu_fw.bios
# (BL1 + FIP, for qemu-system-aarch64 -bios).
#
#   cca-firmware.sh
#
# Sources: the pristine upstream tarballs in $CCA_DEPS (default
# ../shared/deps/cca next to the repository), each checked against the
# sha256 in its MANIFEST. Nothing of them is kept in the repository.
# Everything else lives in $SROSCOPE_CACHE/cca (default ~/.cache/sroscope):
#   src/             the unpacked trees (git work trees: TF-RMM's CMake
#                    runs git submodule update and git apply on ext/*)
#   build/           the TF-RMM and TF-A build directories
#   *.log            the build logs
#   fw-KEY/          the result, KEY a hash of the tarballs, the build
#                    options and this script: a second run takes a second
# Exit status: 0, 1 (build failed), 2 (tarballs missing).
set -eu
# From make with ARCH=arm64 on its command line (make test's real-RMM
# step): that reaches TF-A's make through MAKEFLAGS and the environment,
# where ARCH means aarch64 or aarch32. Neither build wants make's state.
unset MAKEFLAGS MFLAGS MAKELEVEL ARCH

REPO=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${SROSCOPE_CACHE:-$HOME/.cache/sroscope}
DEPS=${CCA_DEPS:-$(dirname "$REPO")/shared/deps/cca}
DIR=$CACHE/cca
# TF-RMM's toolchain file and TF-A's Makefile both read it.
export CROSS_COMPILE=aarch64-linux-gnu-
JOBS=$(nproc)

TFA_TAR=tf-a-v2.15.0.tar.xz
RMM_TAR=tf-rmm-v0.9.0.tar.xz
RMM_EXTS="mbedtls qcbor t_cose libspdm spdm-emu minicoro"

# Release: a Debug RMM asserts FEAT_PMUv3p7 at RMI_FEATURES, and QEMU's
# max CPU has PMUv3p5 (RMI 2.0 does not use the PMU).
RMM_OPTS="-DRMM_CONFIG=qemu_virt_defcfg -DCMAKE_BUILD_TYPE=Release"
# ENABLE_ASSERTIONS=0: with assertions a DEBUG TF-A stops on a CPTR_EL3
# check of the realm context. The Linux kernel is BL33, put in memory by
# QEMU (-device loader) rather than packed into the FIP.
TFA_OPTS="PLAT=qemu ENABLE_RME=1 DEBUG=1 ENABLE_ASSERTIONS=0
QEMU_USE_GIC_DRIVER=QEMU_GICV3 ARM_LINUX_KERNEL_AS_BL33=1
PRELOADED_BL33_BASE=0x60000000"

PROGRESS_NAME=cca-firmware
. "$REPO/scripts/lib/progress.sh"
say() { echo "cca-firmware: $*" >&2; }
die() { progress_stop; echo "cca-firmware: $*" >&2; exit 1; }

# The tarballs, and their sha256 from the MANIFEST.
TARS="$TFA_TAR $RMM_TAR"
for e in $RMM_EXTS; do
	TARS="$TARS tf-rmm-v0.9.0-ext-$e.tar.xz"
done
missing=""
[ -f "$DEPS/MANIFEST" ] || missing=" MANIFEST"
for t in $TARS; do
	[ -f "$DEPS/$t" ] || missing="$missing $t"
done
if [ -n "$missing" ]; then
	say "missing in $DEPS:$missing"
	say "(the CCA firmware sources; set CCA_DEPS=DIR to look elsewhere)"
	exit 2
fi
sums=""
for t in $TARS; do
	want=$(sed -n "s/^# *\([0-9a-f]\{64\}\)  *$t\$/\1/p" "$DEPS/MANIFEST")
	[ -n "$want" ] || die "$DEPS/MANIFEST has no sha256 for $t"
	have=$(sha256sum "$DEPS/$t" | cut -d' ' -f1)
	[ "$have" = "$want" ] || die "$DEPS/$t: sha256 $have, MANIFEST says $want"
	sums="$sums$t $have
"
done

# One build at a time (make -j, two VMs starting at once); the others
# wait, then find it done.
mkdir -p "$DIR"
exec 9>"$DIR/lock"
flock 9

self=$(sha256sum "$0" | cut -d' ' -f1)
RMM_KEY=$(printf '%s\n' "$sums" "$RMM_OPTS" "$self" | grep -v "^$TFA_TAR " |
	sha256sum | cut -c1-16)
KEY=$(printf '%s\n' "$sums" "$RMM_OPTS" "$TFA_OPTS" "$self" | sha256sum | cut -c1-16)
OUT=$DIR/fw-$KEY
if [ -f "$OUT/qemu_fw.bios" ]; then
	say "firmware up to date"
	echo "$OUT/qemu_fw.bios"
	exit 0
fi
mkdir -p "$DIR/src" "$DIR/build"

# run LABEL LOG CMD...: CMD's output to LOG, a line every 30 s meanwhile;
# on failure the end of LOG.
run() { progress_run "$@"; }

# A tree as a git work tree with one commit; .gitmodules out of the
# index, so that `git submodule update` finds nothing to fetch.
git_tree() {
	(
		cd "$1"
		git init -q
		git add -A -f >/dev/null
		git rm -q --cached --ignore-unmatch .gitmodules
		git -c user.name=sroscope -c user.email=sroscope@invalid -c gc.auto=0 \
			commit -q --no-verify -m "$2"
	)
}

# TF-RMM, with its submodules unpacked into ext/ as separate work trees.
RMM_IMG=$DIR/build/rmm-$RMM_KEY/rmm.img
if [ ! -f "$RMM_IMG" ]; then
	stamp_all=$(printf '%s' "$sums" | grep -v "^$TFA_TAR " | sha256sum | cut -c1-16)
	if [ "$(cat "$DIR/src/tf-rmm.stamp" 2>/dev/null)" != "$stamp_all" ]; then
		say "unpacking TF-RMM v0.9.0 and its submodules into $DIR/src/tf-rmm"
		rm -rf "$DIR/src/tf-rmm" "$DIR/src/tf-rmm.tmp" "$DIR/src/tf-rmm.stamp"
		mkdir -p "$DIR/src/tf-rmm.tmp"
		tar -xf "$DEPS/$RMM_TAR" -C "$DIR/src/tf-rmm.tmp" --strip-components=1
		# ext/ stays out of TF-RMM's own commit: its subtrees are repos.
		git_tree "$DIR/src/tf-rmm.tmp" "tf-rmm-v0.9.0 (from $RMM_TAR)"
		git -C "$DIR/src/tf-rmm.tmp" tag tf-rmm-v0.9.0
		for e in $RMM_EXTS; do
			d=$DIR/src/tf-rmm.tmp/ext/$e
			rm -rf "$d"
			mkdir -p "$d"
			tar -xf "$DEPS/tf-rmm-v0.9.0-ext-$e.tar.xz" -C "$d" --strip-components=1
			git_tree "$d" "ext/$e as pinned by tf-rmm-v0.9.0"
		done
		mv "$DIR/src/tf-rmm.tmp" "$DIR/src/tf-rmm"
		echo "$stamp_all" >"$DIR/src/tf-rmm.stamp"
	fi
	# TF-RMM's build runs python3 scripts that import elftools: when the
	# python3 on PATH has no python3-pyelftools (a pyenv's), Debian's.
	if ! python3 -c 'import elftools' 2>/dev/null; then
		/usr/bin/python3 -c 'import elftools' 2>/dev/null ||
			die "no python3 with elftools: run scripts/install-deps.sh"
		mkdir -p "$DIR/bin"
		ln -sf /usr/bin/python3 "$DIR/bin/python3"
		PATH=$DIR/bin:$PATH
	fi
	b=$DIR/build/rmm-$RMM_KEY
	rm -rf "$DIR"/build/rmm-*
	log=$DIR/rmm-build.log
	: >"$log"
	say "building TF-RMM v0.9.0 (log: $log)"
	# shellcheck disable=SC2086
	run "configuring TF-RMM" "$log" \
		cmake -S "$DIR/src/tf-rmm" -B "$b" $RMM_OPTS
	run "building TF-RMM" "$log" \
		cmake --build "$b" -j "$JOBS"
	img=$(find "$b" -name rmm.img -type f | head -1)
	[ -n "$img" ] || die "no rmm.img in $b (log: $log)"
	[ "$img" = "$RMM_IMG" ] || cp "$img" "$RMM_IMG"
fi

# TF-A, from scratch whenever its inputs changed. qemu_fw.bios is BL1
# with the FIP at 256 KiB; `all` makes it only when BL33 is in the FIP.
tfa_stamp=$(printf '%s' "$sums" | grep "^$TFA_TAR ")
if [ "$(cat "$DIR/src/tf-a.stamp" 2>/dev/null)" != "$tfa_stamp" ]; then
	say "unpacking TF-A v2.15.0 into $DIR/src/tf-a"
	rm -rf "$DIR/src/tf-a" "$DIR/src/tf-a.tmp" "$DIR/src/tf-a.stamp"
	mkdir -p "$DIR/src/tf-a.tmp"
	tar -xf "$DEPS/$TFA_TAR" -C "$DIR/src/tf-a.tmp" --strip-components=1
	mv "$DIR/src/tf-a.tmp" "$DIR/src/tf-a"
	echo "$tfa_stamp" >"$DIR/src/tf-a.stamp"
fi
b=$DIR/build/tf-a
rm -rf "$b"
log=$DIR/tfa-build.log
: >"$log"
say "building TF-A v2.15.0 (log: $log)"
# shellcheck disable=SC2086
run "building TF-A" "$log" make -C "$DIR/src/tf-a" -j "$JOBS" \
	BUILD_BASE="$b" $TFA_OPTS RMM="$RMM_IMG" all fip qemu_fw.bios
bios=$b/qemu/debug/qemu_fw.bios
[ -f "$bios" ] || die "no qemu_fw.bios in $b/qemu/debug (log: $log)"

rm -rf "$DIR"/fw-* "$OUT.tmp"
mkdir -p "$OUT.tmp"
cp "$bios" "$RMM_IMG" "$OUT.tmp/"
mv "$OUT.tmp" "$OUT"
echo "$OUT/qemu_fw.bios"

#!/bin/sh
# Install the Debian 12 packages sroscope needs to build kernels, boot them
# under QEMU and build the user-space tools and the CCA firmware, and any
# packages named as arguments (make bench: bpftrace). Idempotent: does
# nothing when everything is already there. apt's and dpkg's output go to
# $SROSCOPE_CACHE/install-deps.log; its tail is shown if apt fails.
set -eu

CACHE=${SROSCOPE_CACHE:-$HOME/.cache/sroscope}
LOG=$CACHE/install-deps.log

# cmake, python3-pyelftools, device-tree-compiler: TF-RMM and TF-A
# (scripts/cca-firmware.sh); patch: the CCA set's fuzz check;
# python3-jsonschema: tests/host/t-schemas.sh.
PKGS="build-essential bc bison flex cpio kmod xz-utils rsync git ccache file
libelf-dev libssl-dev zlib1g-dev dwarves pkg-config
libjson-c-dev libcmocka-dev libmicrohttpd-dev libcap-dev libseccomp-dev
prometheus curl jq bc iproute2 jsonnet
scdoc man-db bash-completion debhelper debootstrap lintian strace libcap2-bin
clang llvm lld libclang-rt-14-dev
gcc-aarch64-linux-gnu libc6-dev-arm64-cross
cmake python3-pyelftools device-tree-compiler patch
python3-jsonschema
busybox-static
linux-source-6.12
libelf-dev:arm64 zlib1g-dev:arm64 libjson-c-dev:arm64 libmicrohttpd-dev:arm64 libcap-dev:arm64 libseccomp-dev:arm64
$*"

# QEMU comes from bookworm-backports (10.0): bookworm's 7.2 cannot emulate
# FEAT_RME (-cpu max,x-rme=on), which the real TF-RMM needs. Both system
# emulators share qemu-system-common, so they move together.
QEMU_PKGS="qemu-system-arm qemu-system-x86 qemu-system-common qemu-system-data"
QEMU_MIN=1:8

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
qemu_old=""
for p in $QEMU_PKGS; do
	v=$(dpkg-query -W -f='${Status} ${Version}' "$p" 2>/dev/null |
		sed -n 's/.*ok installed //p')
	{ [ -n "$v" ] && dpkg --compare-versions "$v" ge "$QEMU_MIN"; } ||
		qemu_old="$qemu_old $p"
done
[ -z "$missing$qemu_old" ] && exit 0

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
mkdir -p "$CACHE"

# arm64 libraries to link the arm64 sroscope (Debian multiarch).
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	$SUDO dpkg --add-architecture arm64
fi

# linux-source-6.12 and QEMU 10 live in bookworm-backports.
if ! grep -rqs bookworm-backports /etc/apt/sources.list /etc/apt/sources.list.d/; then
	echo "deb http://deb.debian.org/debian bookworm-backports main" |
		$SUDO tee /etc/apt/sources.list.d/bookworm-backports.list >/dev/null
fi

# One line on the terminal; dpkg's per-package lines go to the log.
apt_install() {
	if ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
		--no-install-recommends -o Dpkg::Use-Pty=0 "$@" >>"$LOG" 2>&1; then
		tail -30 "$LOG" >&2
		echo "install-deps: apt-get install failed (log: $LOG)" >&2
		exit 1
	fi
}

$SUDO apt-get update -qq >>"$LOG" 2>&1 || true
if [ -n "$missing" ]; then
	echo "install-deps: installing:$missing"
	# shellcheck disable=SC2086 # one word per package
	apt_install $missing
fi
if [ -n "$qemu_old" ]; then
	echo "install-deps: installing QEMU from bookworm-backports:$qemu_old"
	# shellcheck disable=SC2086 # one word per package
	apt_install -t bookworm-backports $QEMU_PKGS
fi

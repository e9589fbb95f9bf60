#!/bin/sh
# Install the Debian 12 packages sroscope needs to build kernels, boot them
# under QEMU and build the user-space tools, and any packages named as
# arguments (make bench: bpftrace). Idempotent: does nothing when
# everything is already there.
set -eu

PKGS="build-essential bc bison flex cpio kmod xz-utils rsync git ccache file
libelf-dev libssl-dev zlib1g-dev dwarves pkg-config
libjson-c-dev libcmocka-dev libmicrohttpd-dev libcap-dev
prometheus curl jq bc iproute2
scdoc man-db bash-completion debhelper debootstrap lintian strace libcap2-bin
clang llvm lld libclang-rt-14-dev
gcc-aarch64-linux-gnu libc6-dev-arm64-cross
qemu-system-x86 qemu-system-arm busybox-static
linux-source-6.12
libelf-dev:arm64 zlib1g-dev:arm64 libjson-c-dev:arm64 libmicrohttpd-dev:arm64 libcap-dev:arm64
$*"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo

# arm64 libraries to link the arm64 sroscope (Debian multiarch).
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	$SUDO dpkg --add-architecture arm64
fi

# linux-source-6.12 lives in bookworm-backports.
if ! grep -rqs bookworm-backports /etc/apt/sources.list /etc/apt/sources.list.d/; then
	echo "deb http://deb.debian.org/debian bookworm-backports main" |
		$SUDO tee /etc/apt/sources.list.d/bookworm-backports.list >/dev/null
fi
echo "install-deps: installing:$missing"
$SUDO apt-get update -qq || true
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing

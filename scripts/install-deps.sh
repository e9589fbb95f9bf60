#!/bin/sh
# Install the Debian 12 packages sroscope needs to build kernels, boot them
# under QEMU and build the user-space tools and the CCA firmware, and any
# packages named as arguments (make bench: bpftrace). Idempotent: does
# nothing when everything is already there. apt's and dpkg's output go to
# $SROSCOPE_CACHE/install-deps.log; its tail is shown if apt fails.
#
#   install-deps.sh [PKG...]              everything make test needs
#   install-deps.sh --demo ARCH [PKG...]  only what make demo ARCH=ARCH
#                                         needs, so a first demo starts
#                                         sooner (no arm64 architecture for
#                                         an x86_64 demo, no test tools)
set -eu

CACHE=${SROSCOPE_CACHE:-$HOME/.cache/sroscope}
LOG=$CACHE/install-deps.log

# The demo: build a kernel and sroscope, boot them with busybox. python3:
# the kernel's libbpf generates its helper definitions with a script.
DEMO_PKGS="build-essential bc bison flex cpio kmod xz-utils rsync git ccache
file libelf-dev libssl-dev zlib1g-dev dwarves pkg-config python3
libjson-c-dev libmicrohttpd-dev libcap-dev libseccomp-dev libcap2-bin
clang llvm busybox-static linux-source-6.12"
# arm64: the cross compiler and the libraries sroscope links (multiarch).
ARM64_PKGS="gcc-aarch64-linux-gnu libc6-dev-arm64-cross
libelf-dev:arm64 zlib1g-dev:arm64 libjson-c-dev:arm64 libmicrohttpd-dev:arm64 libcap-dev:arm64 libseccomp-dev:arm64"
# The tests, the manual, the package and the CCA firmware. cmake,
# python3-pyelftools, device-tree-compiler: TF-RMM and TF-A
# (scripts/cca-firmware.sh); patch: the CCA set's fuzz check;
# python3-jsonschema: tests/host/t-schemas.sh.
TEST_PKGS="libcmocka-dev prometheus curl jq iproute2 jsonnet
scdoc man-db bash-completion debhelper debootstrap lintian strace
lld libclang-rt-14-dev
cmake python3-pyelftools device-tree-compiler patch
python3-jsonschema"

# QEMU comes from bookworm-backports (10.0): bookworm's 7.2 cannot emulate
# FEAT_RME (-cpu max,x-rme=on), which the real TF-RMM needs. Both system
# emulators share qemu-system-common, so they move together.
QEMU_X86="qemu-system-x86 qemu-system-common qemu-system-data"
QEMU_ARM="qemu-system-arm qemu-system-common qemu-system-data"
QEMU_MIN=1:8
# The VMs' virtio-net ROM (efi-virtio.rom): qemu-system-x86 depends on it,
# qemu-system-arm only recommends it. From bookworm, not checked against
# QEMU_MIN.
QEMU_ROMS=ipxe-qemu

if [ "${1:-}" = "--demo" ]; then
	case "${2:-}" in
	x86_64) PKGS=$DEMO_PKGS QEMU_PKGS=$QEMU_X86 ;;
	arm64) PKGS="$DEMO_PKGS $ARM64_PKGS $QEMU_ROMS" QEMU_PKGS=$QEMU_ARM ;;
	*) echo "install-deps: --demo x86_64|arm64, not '${2:-}'" >&2; exit 2 ;;
	esac
	shift 2
else
	PKGS="$DEMO_PKGS $ARM64_PKGS $TEST_PKGS $QEMU_ROMS"
	QEMU_PKGS="qemu-system-arm $QEMU_X86"
fi
PKGS="$PKGS $*"

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
if echo "$missing" | grep -q ":arm64" &&
   ! dpkg --print-foreign-architectures | grep -qx arm64; then
	$SUDO dpkg --add-architecture arm64
fi

# linux-source-6.12 and QEMU 10 live in bookworm-backports.
if ! grep -rqs bookworm-backports /etc/apt/sources.list /etc/apt/sources.list.d/; then
	echo "deb http://deb.debian.org/debian bookworm-backports main" |
		$SUDO tee /etc/apt/sources.list.d/bookworm-backports.list >/dev/null
fi

PROGRESS_NAME=install-deps
. "$(dirname "$0")/lib/progress.sh"

# One line on the terminal, and every 30 s how many packages are set up;
# dpkg's per-package lines go to the log.
apt_install() {
	n0=$(grep -c '^Setting up ' "$LOG" 2>/dev/null || true)
	progress_start "installing" \
		"echo \$((\$(grep -c '^Setting up ' '$LOG' || true) - ${n0:-0})) packages set up"
	if ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
		--no-install-recommends -o Dpkg::Use-Pty=0 "$@" >>"$LOG" 2>&1; then
		progress_stop
		tail -30 "$LOG" >&2
		echo "install-deps: apt-get install failed (log: $LOG)" >&2
		exit 1
	fi
	progress_stop
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

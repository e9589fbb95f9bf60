#!/bin/sh
# Build libbpf 1.5 (from the linux-source-6.12 tree) for another
# architecture, to link the arm64 sroscope that runs in the arm64 test VM.
# Needs Debian's arm64 libelf-dev and zlib1g-dev (multiarch), which
# install-deps.sh installs. Prints the install prefix.
set -eu
ARCH=${1:?usage: build-libbpf-cross.sh arm64}
CACHE=${SROSCOPE_CACHE:-$HOME/.cache/sroscope}
REPO=$(cd "$(dirname "$0")/.." && pwd)
OUT=$CACHE/bpftools-$ARCH
case "$ARCH" in
arm64) CROSS=aarch64-linux-gnu- ;;
*) echo "build-libbpf-cross: unsupported $ARCH" >&2; exit 1 ;;
esac
if [ -f "$OUT/lib/libbpf.a" ]; then
	echo "$OUT"
	exit 0
fi
"$REPO/scripts/build-bpftools.sh" >/dev/null	# the tree, and the headers
SRC=$CACHE/linux
mkdir -p "$OUT/build"
make -s -C "$SRC/tools/lib/bpf" -j"$(nproc)" CC="${CROSS}gcc" \
	LD="${CROSS}ld" AR="${CROSS}ar" \
	BUILD_STATIC_ONLY=1 OUTPUT="$OUT/build/" DESTDIR="$OUT" prefix= \
	libdir=/lib includedir=/include install >/dev/null
mkdir -p "$OUT/include/linux"
cp "$CACHE/bpftools/include/linux/"*.h "$OUT/include/linux/"
echo "$OUT"

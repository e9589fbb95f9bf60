#!/bin/sh
# Build libbpf and bpftool for sroscope's BPF programs and tools.
#
# Debian 12's libbpf (1.1.2) has no struct_ops link mode, and the bpftool of
# bookworm-backports (7.5) writes skeletons that need libbpf >= 1.5. The
# linux-source-6.12 tree carries libbpf 1.5.0 and a matching bpftool, which
# build here in well under a minute, so sroscope always builds and links
# these (statically for libbpf; libelf and zlib stay dynamic) and its
# binaries behave the same on every distribution.
#
# Output (prints the prefix): $CACHE/bpftools/{bin/bpftool,include,lib/libbpf.a}
set -eu

REPO=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${SROSCOPE_CACHE:-$HOME/.cache/sroscope}
OUT=$CACHE/bpftools
SRC=$CACHE/bpftools-src

if [ -x "$OUT/bin/bpftool" ] && [ -f "$OUT/lib/libbpf.a" ]; then
	echo "$OUT"
	exit 0
fi

mkdir -p "$OUT/bin" "$OUT/lib" "$OUT/include" "$OUT/libbpf-build" "$OUT/bpftool-build"
if [ ! -d "$SRC/tools/lib/bpf" ]; then
	rm -rf "$SRC"
	mkdir -p "$SRC"
	# Only the user-space tools are needed, not the whole kernel tree.
	tar -xf /usr/src/linux-source-6.12.tar.xz -C "$SRC" --strip-components=1 \
		linux-source-6.12/tools linux-source-6.12/scripts \
		linux-source-6.12/include linux-source-6.12/kernel/bpf \
		linux-source-6.12/Makefile linux-source-6.12/arch/x86/include \
		linux-source-6.12/arch/arm64/include
fi

J=$(nproc)
make -s -C "$SRC/tools/lib/bpf" -j"$J" BUILD_STATIC_ONLY=1 \
	OUTPUT="$OUT/libbpf-build/" DESTDIR="$OUT" prefix= libdir=/lib \
	includedir=/include install >/dev/null
make -s -C "$SRC/tools/bpf/bpftool" -j"$J" \
	OUTPUT="$OUT/bpftool-build/" >/dev/null 2>&1 ||
	make -C "$SRC/tools/bpf/bpftool" -j"$J" OUTPUT="$OUT/bpftool-build/"
cp "$OUT/bpftool-build/bpftool" "$OUT/bin/bpftool"
# The UAPI headers libbpf 1.5 was written against (Debian 12's are 6.1).
mkdir -p "$OUT/include/linux"
cp "$SRC/tools/include/uapi/linux/bpf.h" "$SRC/tools/include/uapi/linux/bpf_common.h" \
	"$SRC/tools/include/uapi/linux/btf.h" "$OUT/include/linux/"
echo "$OUT"

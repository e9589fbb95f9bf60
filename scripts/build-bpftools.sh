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
# The kernel tree the test kernels build from: the series touches nothing
# under tools/, and unpacking the tarball again would cost as much as the
# build. Everything built goes to $OUT, so the tree stays clean.
SRC=$CACHE/linux

if [ -x "$OUT/bin/bpftool" ] && [ -f "$OUT/lib/libbpf.a" ]; then
	echo "$OUT"
	exit 0
fi

"$REPO/scripts/kernel-build.sh" --prepare-only >&2
mkdir -p "$OUT/bin" "$OUT/lib" "$OUT/include" "$OUT/libbpf-build" "$OUT/bpftool-build"

. "$REPO/scripts/lib/progress.sh"
LOG=$OUT/build.log
: >"$LOG"
J=$(nproc)
# About a minute the first time, quiet but for a line every 30 s; the
# compilers' output goes to the log, shown if a step fails.
progress_run "building libbpf (log: $LOG)" "$LOG" \
	make -C "$SRC/tools/lib/bpf" -j"$J" BUILD_STATIC_ONLY=1 \
	OUTPUT="$OUT/libbpf-build/" DESTDIR="$OUT" prefix= libdir=/lib \
	includedir=/include install
progress_run "building bpftool" "$LOG" \
	make -C "$SRC/tools/bpf/bpftool" -j"$J" OUTPUT="$OUT/bpftool-build/"
cp "$OUT/bpftool-build/bpftool" "$OUT/bin/bpftool"
# The UAPI headers libbpf 1.5 was written against (Debian 12's are 6.1).
mkdir -p "$OUT/include/linux"
cp "$SRC/tools/include/uapi/linux/bpf.h" "$SRC/tools/include/uapi/linux/bpf_common.h" \
	"$SRC/tools/include/uapi/linux/btf.h" "$OUT/include/linux/"
echo "$OUT"

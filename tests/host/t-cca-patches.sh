#!/bin/sh
# The CCA host-tree set (make kernel-patches OUT=DIR writes it to DIR/cca):
# patch 1 carries the provider, its sources, policy hook and trace events
# as new files byte for byte as the 6.12 series builds them (one
# implementation, not two); patch 2 touches only rmi.c, Kconfig and
# Makefile and calls only what patch 1 declares; checkpatch --strict is
# clean but for the MAINTAINERS question patch 1's new files raise.
set -u
REPO=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${SROSCOPE_CACHE:-$HOME/.cache/sroscope}
fail() { echo "  FAIL    cca-patches: $*"; exit 1; }
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

"$REPO/scripts/kernel-series.sh" format "$W/out" >/dev/null 2>&1 ||
	fail "kernel-series.sh format failed"
C=$W/out/cca
[ "$(ls "$C" | wc -l)" = 3 ] || fail "want a cover letter and 2 patches in cca/, got: $(ls "$C")"
p1=$(ls "$C"/0001-*.patch) p2=$(ls "$C"/0002-*.patch)

# Patch 1 applied to nothing gives exactly the shared files, as the
# series leaves them in the 6.12 tree.
git -C "$W" init -q t
git -C "$W/t" apply "$p1" || fail "patch 1 does not apply to an empty tree"
shared=$(sed -n '/^CCA_SHARED="/,/"$/p' "$REPO/scripts/kernel-series.sh" | tr -d '"' | sed 's/^CCA_SHARED=//')
n=0
for f in $shared; do
	n=$((n + 1))
	git -C "$CACHE/linux" show "HEAD:$f" >"$W/want" 2>/dev/null || fail "$f is not in the 6.12 series"
	cmp -s "$W/want" "$W/t/$f" || fail "$f differs from the 6.12 series' copy"
done
[ "$(cd "$W/t" && find . -path ./.git -prune -o -type f -print | wc -l)" = "$n" ] ||
	fail "patch 1 adds files beyond the $n shared ones"

# Patch 2: only the glue files.
files=$(sed -n 's|^+++ b/||p' "$p2" | sort -u | tr '\n' ' ')
[ "$files" = "drivers/firmware/arm_rmm/Kconfig drivers/firmware/arm_rmm/Makefile drivers/firmware/arm_rmm/rmi.c " ] ||
	fail "patch 2 touches: $files"
# ... and it calls only what patch 1 declares.
for fn in $(grep '^+' "$p2" | grep -o 'rmi_mem_[a-z_]*(' | tr -d '(' | sort -u); do
	grep -q "[ *]$fn(" "$W/t/include/linux/arm-rmi-mem.h" || fail "patch 2 calls $fn, not in arm-rmi-mem.h"
done
for ev in $(grep '^+' "$p2" | grep -o 'trace_sro_[a-z_]*(' | sed 's/^trace_//; s/($//' | sort -u); do
	grep -Eq "^(TRACE_EVENT|DEFINE_EVENT)\(([a-z_]+, *)?$ev," "$W/t/include/trace/events/sro.h" ||
		fail "patch 2 fires $ev, not an sro event"
done
for st in $(grep '^+' "$p2" | grep -o 'sro_stats\.[a-z_]*' | sed 's/.*\.//' | sort -u); do
	grep -q "atomic64_t $st;" "$W/t/drivers/firmware/arm_rmm/sro_internal.h" || fail "patch 2 counts sro_stats.$st, not a counter"
done

CP=$CACHE/linux/scripts/checkpatch.pl
out=$("$CP" --strict -q "$p2" 2>&1) || fail "checkpatch on patch 2: $out"
out=$("$CP" --strict -q "$p1" 2>&1 | grep -E "^(ERROR|WARNING|CHECK)" | grep -v "does MAINTAINERS need updating")
[ -z "$out" ] || fail "checkpatch on patch 1: $out"
echo "  PASS    cca-patches: $n shared files identical to the 6.12 series, glue in rmi.c/Kconfig/Makefile only, checkpatch clean"

#!/bin/sh
# The CCA host-tree set (kernel/cca/) against the upstream files it is
# written for: apply it with no fuzz, then compile rmi.o and the provider
# objects in a Linux 6.12 arm64 tree, W=1, failing on any warning.
#
#   cca-upstream-check.sh UPSTREAM_DIR
#
# UPSTREAM_DIR holds, at their paths in the CCA host tree, the files the
# set touches and the headers rmi.c needs that Linux 6.12 lacks
# (docs/cca-upstream.md says where to get them):
#   drivers/firmware/arm_rmm/{rmi.c,Kconfig,Makefile}
#   include/linux/arm-rmi-cmds.h, include/linux/arm-smccc-rmi.h
#   MAINTAINERS (patch 1 adds the set's entry to it)
# They are not in this repository, so this is not part of `make test`.
#
# Exit 0: applied exactly, every new file in the set's MAINTAINERS entry,
# and built without a warning; 1: it did not;
# 2: UPSTREAM_DIR not given or incomplete. Work goes to
# $SROSCOPE_CACHE/cca-check/ (the 6.12 tree, its O= build, the logs).
set -eu

REPO=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${SROSCOPE_CACHE:-$HOME/.cache/sroscope}
W=$CACHE/cca-check
CROSS=aarch64-linux-gnu-
D=drivers/firmware/arm_rmm
NEEDED="$D/rmi.c $D/Kconfig $D/Makefile include/linux/arm-rmi-cmds.h
include/linux/arm-smccc-rmi.h MAINTAINERS"
# Patch 1's MAINTAINERS entry (the 6.12 series' own).
ENTRY="ARM CCA RMM SRO HOST SUPPORT"

say() { echo "cca-upstream-check: $*"; }
fail() { say "FAIL: $*"; exit 1; }
incomplete() {
	say "$*"
	say "see docs/cca-upstream.md for the repository, commit and paths"
	exit 2
}

if [ $# -ne 1 ] || [ -z "$1" ]; then
	incomplete "usage: cca-upstream-check.sh UPSTREAM_DIR (make cca-upstream-check UPSTREAM=DIR)"
fi
[ -d "$1" ] || incomplete "no such directory: $1"
UP=$(cd "$1" && pwd)
missing=""
for f in $NEEDED; do
	[ -s "$UP/$f" ] || missing="$missing $f"
done
[ -z "$missing" ] || incomplete "$UP lacks:$missing"
for t in git "${CROSS}gcc" "${CROSS}ld" "${CROSS}nm"; do
	command -v "$t" >/dev/null || fail "$t not found: run scripts/install-deps.sh"
done
command -v patch >/dev/null || fail "patch not found: apt-get install patch"

mkdir -p "$W"
say "upstream files (git blob ids, to compare with docs/cca-upstream.md):"
for f in $NEEDED; do
	echo "  $(git hash-object "$UP/$f" | cut -c1-12)  $f"
done

# The set as posted, and the 6.12 tree it is built from.
rm -rf "$W/series"
"$REPO/scripts/kernel-series.sh" format "$W/series" >"$W/series.log" 2>&1 ||
	fail "kernel-series.sh format failed: $W/series.log"
SRC=$CACHE/linux
p1=$(ls "$W"/series/cca/0001-*.patch)
p2=$(ls "$W"/series/cca/0002-*.patch)

# Every header the upstream files include must be in UPSTREAM_DIR or in
# Linux 6.12 (arm64): say which one is not, instead of a compiler error.
in612() { git -C "$SRC" cat-file -e "sroscope-base:$1" 2>/dev/null; }
lacking=""
todo="$D/rmi.c"
seen=""
while [ -n "$todo" ]; do
	# shellcheck disable=SC2086
	set -- $todo
	f=$1
	shift
	todo="$*"
	case " $seen " in *" $f "*) continue ;; esac
	seen="$seen $f"
	for h in $(sed -n 's/^#include <\([^>]*\)>.*/\1/p' "$UP/$f"); do
		if [ -f "$UP/include/$h" ]; then
			todo="$todo include/$h"
		elif ! in612 "include/$h" && ! in612 "arch/arm64/include/$h" &&
		     ! in612 "include/uapi/$h" && ! in612 "arch/arm64/include/uapi/$h" &&
		     ! { case $h in asm/*) in612 "include/asm-generic/${h#asm/}" ;; *) false ;; esac; }; then
			lacking="$lacking $h(from $f)"
		fi
	done
done
[ -z "$lacking" ] || incomplete "headers in neither $UP nor Linux 6.12:$lacking"

# Patch 2 sets the provider's ctx->gfp: patch 1 must carry it.
if grep -q '^+.*\.gfp = gfp' "$p2" && ! grep -q '^+.*gfp_t gfp;' "$p1"; then
	fail "patch 2 passes gfp in struct rmi_mem_ctx, which the provider (patch 1, made from kernel/patches) lacks: see docs/cca-upstream.md"
fi

# Apply: onto a copy of the upstream files, patch(1) with no fuzz allowed,
# reporting any offset; then git apply, which never fuzzes, for real.
A=$W/apply
rm -rf "$A"
mkdir -p "$A"
# shellcheck disable=SC2086
(cd "$UP" && tar -cf - $NEEDED) | tar -xf - -C "$A"
git -C "$A" init -q
git -C "$A" add -A
git -C "$A" -c user.name=x -c user.email=x@invalid commit -q -m upstream
for p in "$p1" "$p2"; do
	n=$(basename "$p")
	(cd "$A" && patch -p1 --dry-run --fuzz=0 <"$p") >"$W/$n.dry" 2>&1 ||
		{ cat "$W/$n.dry"; fail "$n does not apply to the upstream files"; }
	if grep -Eq 'fuzz|offset' "$W/$n.dry"; then
		cat "$W/$n.dry"
		fail "$n applies only with an offset or fuzz: not against these files"
	fi
	git -C "$A" apply --whitespace=error-all "$p" ||
		fail "git apply $n failed"
done
newfiles=$(git -C "$A" ls-files -o --exclude-standard)
new=$(echo "$newfiles" | wc -l)
say "applied: $(basename "$p1") ($new new files, MAINTAINERS), $(basename "$p2") ($(sed -n 's|^+++ b/||p' "$p2" | tr '\n' ' ')): exactly, no fuzz, no offset"

# The 6.12 tree: pristine Debian linux-source-6.12 (not the 6.12 series,
# whose own arm_rmm/ would be in the way), the applied files on top.
T=$W/linux
if [ ! -d "$T/.git" ]; then
	rm -rf "$T"
	git clone -q --shared --no-checkout "$SRC" "$T"
fi
git -C "$T" checkout -q -f --detach sroscope-base
git -C "$T" clean -q -f -d -x
(cd "$A" && tar --exclude=.git -cf - .) | tar -xf - -C "$T"

# Harness: what the CCA host tree has around these files and 6.12 lacks.
cat >>"$T/drivers/firmware/Kconfig" <<'EOF'

# sroscope cca-upstream-check harness: arm64 selects ARCH_SUPPORTS_RMM
# and sources arm_rmm/ in the CCA host tree.
config SROSCOPE_CCA_HARNESS
	def_bool ARM64
	select ARCH_SUPPORTS_RMM
source "drivers/firmware/arm_rmm/Kconfig"
EOF
echo 'obj-y				+= arm_rmm/' >>"$T/drivers/firmware/Makefile"
say "harness: drivers/firmware/Kconfig sources arm_rmm/Kconfig and selects ARCH_SUPPORTS_RMM, drivers/firmware/Makefile descends into arm_rmm/"

# Every file the set creates is in its MAINTAINERS entry, as the
# kernel's get_maintainer.pl reads the patched upstream MAINTAINERS;
# other entries that cover it too are said.
uncovered="" also=""
for f in $newfiles; do
	secs=$(cd "$T" && perl scripts/get_maintainer.pl --no-git --no-git-fallback \
		--sections -f "$f" 2>/dev/null | awk 'NF && !/^[A-Z]:\t/')
	echo "$secs" | grep -qxF "$ENTRY" || uncovered="$uncovered $f"
	also=$(printf '%s\n%s\n' "$also" "$(echo "$secs" | grep -vxF "$ENTRY" | sed "s|\$| ($(dirname "$f")/)|")")
done
[ -z "$uncovered" ] || fail "not in MAINTAINERS' $ENTRY:$uncovered"
say "maintainers: all $new new files in $ENTRY; also covered by:"
echo "$also" | sed '/^$/d' | sort | uniq -c | sed 's/^ *\([0-9]*\) \(.*\)/  \2: \1 files/'

# Shims, for what the upstream files use and this 6.12 lacks (newer
# kernels have them); each is said. "use|defined-as|shim".
SHIM=$W/cca-compat.h
printf '/* cca-upstream-check: APIs newer than Linux 6.12 */\n#include <linux/cleanup.h>\n#include <linux/gfp.h>\n#include <linux/slab.h>\n' >"$SHIM"
shims=""
while IFS='|' read -r use def shim; do
	grep -rqE "$use" "$A/$D" "$A/include" || continue
	git -C "$SRC" grep -qE "$def" sroscope-base -- include && continue
	echo "$shim" >>"$SHIM"
	shims="$shims $use"
done <<'EOF'
__free\(free_page\)|DEFINE_FREE\(free_page,|DEFINE_FREE(free_page, void *, if (_T) free_page((unsigned long)_T))
kmalloc_obj\(|define kmalloc_obj\(|#define kmalloc_obj(v) ((typeof(v) *)kmalloc(sizeof(v), GFP_KERNEL))
FIELD_MODIFY\(|define FIELD_MODIFY\(|#define FIELD_MODIFY(m, p, v) (*(p) = (*(p) & ~(m)) | FIELD_PREP(m, v))
EOF
if [ -n "$shims" ]; then
	say "shims (Linux 6.12 lacks them), for rmi.o only, in $SHIM:"
	sed -n '5,$p' "$SHIM" | sed 's/^/  /'
else
	say "shims: none needed"
fi

# Configure: the series' options for arm64 (4K pages), with the CCA
# host tree's symbols instead of the 6.12 series' ones.
O=$W/build-arm64
mkdir -p "$O"
FRAG=$W/cca.config
{
	# The 6.12 series' own options (emulator, KUnit, the test host)
	# do not exist in the host tree's Kconfig.
	grep -v '^CONFIG_ARM_RMM' "$REPO/kernel/config/common.config"
	grep -v '^CONFIG_ARM_RMM' "$REPO/kernel/config/arm64.config"
	echo "CONFIG_ARM_RMM_RMI=y"
	echo "CONFIG_ARM_RMM_SRO_POLICY=y"
	echo "# CONFIG_ARM_RMM_RSI is not set"
} >"$FRAG"
MAKE="make -C $T O=$O ARCH=arm64 CROSS_COMPILE=$CROSS -j$(nproc) -s"
say "configuring (log: $W/config.log)"
{
	$MAKE tinyconfig
	(cd "$O" && ARCH=arm64 CROSS_COMPILE=$CROSS \
		"$T/scripts/kconfig/merge_config.sh" -m -O "$O" "$O/.config" "$FRAG")
	$MAKE olddefconfig
} >"$W/config.log" 2>&1 || fail "configuration failed: $W/config.log"
lost=""
for opt in $(grep '^CONFIG_.*=y' "$FRAG" | cut -d= -f1); do
	grep -q "^$opt=y" "$O/.config" || lost="$lost $opt"
done
[ -z "$lost" ] || fail "options not enabled:$lost"
grep -q '^# CONFIG_ARM_RMM_RSI is not set' "$O/.config" || fail "CONFIG_ARM_RMM_RSI still set"

# Build: prepare first (6.12's own files, not W=1), then the directory
# with W=1, where every warning counts.
say "building (logs: $W/prepare.log, $W/build.log)"
$MAKE prepare >"$W/prepare.log" 2>&1 || fail "make prepare failed: $W/prepare.log"
rm -f "$O/$D"/*.o "$O/$D"/built-in.a
if ! $MAKE W=1 "CFLAGS_rmi.o=-include $SHIM" "$D/" >"$W/build.log" 2>&1; then
	grep -E 'error|warning' "$W/build.log" | head -40
	fail "build failed: $W/build.log"
fi
warnings=$(grep -c 'warning:' "$W/build.log" || true)

built="" notbuilt=""
for o in rmi.o sro_trace.o sro_mem.o sro_sources.o sro_contig.o sro_pool.o sro_policy.o; do
	if [ -s "$O/$D/$o" ]; then built="$built $o"; else notbuilt="$notbuilt $o"; fi
done
[ -z "$notbuilt" ] || fail "not built:$notbuilt (see $W/build.log)"

# Within the set, every rmi_* and sro_* symbol one object uses another
# defines: rmi.c and the provider fit together.
"${CROSS}ld" -r -o "$W/arm_rmm.o" --whole-archive "$O/$D/built-in.a"
unresolved=$("${CROSS}nm" -u "$W/arm_rmm.o" | awk '{ print $2 }' |
	grep -E '^(rmi_|sro_|__tracepoint_sro_|__traceiter_sro_)' | tr '\n' ' ' || true)
[ -z "$unresolved" ] || fail "used and not defined by the set: $unresolved"

gccv=$("${CROSS}gcc" -dumpfullversion)
say "built: Linux $(make -s -C "$T" kernelversion) arm64 (ARM64_4K_PAGES), ${CROSS}gcc $gccv, W=1, $D/:$built"
say "symbols: every rmi_*/sro_* reference among them resolved within the set"
say "not built: rsi.o (CONFIG_ARM_RMM_RSI=n; rsi.c is not among the files fetched), the rest of the CCA host tree (KVM, headers beyond the two above), vmlinux (not linked), nothing booted or run against an RMM"
if [ "$warnings" -ne 0 ]; then
	grep 'warning:' "$W/build.log"
	fail "$warnings warnings"
fi
say "PASS: 0 warnings"

#!/bin/sh
# The series speaks RMI as the real RMM does: every RMI function id, status
# code and request/descriptor field position in include/linux/arm-rmi-sro.h
# equals TF-RMM's own definition (lib/smc/include/smc-rmi.h of the release
# in ../shared/deps/cca), and the command names the "sro" events and
# sroscope print are those ids. Needs the 6.12 tree prepared with the
# series (make kernel does it) and the TF-RMM tarball; says which is
# missing otherwise.
set -u
REPO=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${SROSCOPE_CACHE:-$HOME/.cache/sroscope}
DEPS=${CCA_DEPS:-$REPO/../shared/deps/cca}
TARBALL=$DEPS/tf-rmm-v0.9.0.tar.xz
fail() { echo "  FAIL    rmi-ids: $*"; exit 1; }

TREE=${SRO_TREE:-$CACHE/linux}
HDR=$TREE/include/linux/arm-rmi-sro.h
EVT=$TREE/include/trace/events/sro.h
[ -f "$HDR" ] || fail "$HDR missing: run 'scripts/kernel-build.sh --prepare-only'"
[ -f "$TARBALL" ] || fail "$TARBALL missing (TF-RMM v0.9.0 sources: see ../shared/deps/cca/MANIFEST)"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
tar -xJOf "$TARBALL" tf-rmm/lib/smc/include/smc-rmi.h >"$W/smc-rmi.h" ||
	fail "no lib/smc/include/smc-rmi.h in $TARBALL"

# TF-RMM: SMC_RMI_NAME = SMC64_RMI_FID(U(off)), id 0xC4000150 + off.
sed -nE 's/^#define SMC_RMI_([A-Z0-9_]+)[[:space:]]+SMC64_RMI_FID\(U\((0x[0-9A-Fa-f]+)\)\).*/\1 \2/p' \
	"$W/smc-rmi.h" | while read -r name off; do
		echo "$name $((off + 0x150))"
	done | sort >"$W/rmm.ids"
[ "$(wc -l <"$W/rmm.ids")" -gt 40 ] || fail "could not read TF-RMM's ids"

# The series: RMI_NAME RMI_FID(0xNNN).
sed -nE 's/^#define RMI_([A-Z0-9_]+)[[:space:]]+RMI_FID\((0x[0-9a-fA-F]+)\).*/\1 \2/p' "$HDR" |
	while read -r name id; do
		echo "$name $((id))"
	done | sort >"$W/ours.ids"
n=$(wc -l <"$W/ours.ids")
[ "$n" -gt 20 ] || fail "could not read the series' ids"

bad=""
while read -r name id; do
	want=$(awk -v n="$name" '$1 == n { print $2 }' "$W/rmm.ids")
	if [ -z "$want" ]; then
		# Defined by RMI 2.0 but not by this release (checked by name).
		case $name in REALM_TERMINATE) continue ;; esac
		bad="$bad $name(not in TF-RMM)"
	elif [ "$want" != "$id" ]; then
		bad="$bad $name($(printf '%#x' "$id") != $(printf '%#x' "$want"))"
	fi
done <"$W/ours.ids"
[ -z "$bad" ] || fail "ids differ from TF-RMM v0.9.0:$bad"

# Status codes the host acts on.
for st in ERROR_INPUT:RMI_ERROR_INPUT BUSY:RMI_BUSY INCOMPLETE:RMI_INCOMPLETE \
	  BLOCKED:RMI_BLOCKED ERROR_GLOBAL:RMI_ERROR_GLOBAL; do
	ours=$(awk -v n="${st#*:}" '$1 == "#define" && $2 == n { print $3 }' "$HDR")
	theirs=$(awk -v n="RMI_${st%%:*}" '$1 == "#define" && $2 == n { v = $3; gsub(/[^0-9]/, "", v); print v }' "$W/smc-rmi.h")
	[ -n "$ours" ] && [ "$ours" = "$theirs" ] || fail "status ${st#*:} is '$ours', TF-RMM's '$theirs'"
done

# Field positions: the request's state starts at bit 17, a descriptor's
# address at 12 and its state at 62 (RMI 2.0 widened both to two bits;
# TF-RMM v0.9 writes the low one of the request's, 1 bit at 63 of the
# descriptor's, which agree for DELEGATED, the only state it asks for).
grep -q 'RMI_OP_DONATE_MEM_STATE_SHIFT[[:space:]]*17' "$W/smc-rmi.h" ||
	fail "TF-RMM's donate state is no longer at bit 17"
grep -q 'define RMI_DONATE_STATE[[:space:]]*GENMASK_ULL(18, 17)' "$HDR" ||
	fail "the series' donate state is not bits 18:17"
grep -q 'define RMI_DESC_STATE[[:space:]]*GENMASK_ULL(63, 62)' "$HDR" ||
	fail "the series' descriptor state is not bits 63:62"

# The names the events and sroscope print are the header's ids.
for tbl in "$EVT" "$REPO/user/lib/format.c"; do
	grep -oE '(0xC4000|SRO_RMI_FID\(0x)[0-9a-fA-F]+\)?, "[A-Z0-9_]+"' "$tbl" |
		sed -E 's/^0xC4000/0x/; s/^SRO_RMI_FID\(//; s/\)?, "/ /; s/"$//' |
		while read -r id name; do
			want=$(awk -v n="$name" '$1 == n { print $2 }' "$W/ours.ids")
			[ "$want" = "$(printf '%d' "$id")" ] || echo "$name"
		done >"$W/badnames"
	[ -s "$W/badnames" ] && fail "$(basename "$tbl") names ids the header does not: $(tr '\n' ' ' <"$W/badnames")"
done
echo "  PASS    rmi-ids: $n RMI ids, 5 status codes and the state fields equal TF-RMM v0.9.0's; event and sroscope names follow them"

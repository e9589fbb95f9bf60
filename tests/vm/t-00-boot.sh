#!/bin/sh
# The guest has what every other test relies on.
. ./lib/sro.sh
[ -f /sys/kernel/btf/vmlinux ] || fail "no kernel BTF"
[ -d /sys/kernel/tracing/events/sro ] || fail "no sro trace events"
[ -f "$SRO_STATS" ] || fail "no $SRO_STATS"
[ -d "$EMU" ] || fail "no emulated RMM at $EMU"
grep -q " /sys/fs/bpf bpf " /proc/mounts || fail "bpffs not mounted"
for e in sro_op_start sro_op_end sro_donate_req sro_alloc sro_alloc_fail \
	 sro_donate sro_donate_result sro_reclaim sro_free sro_leak \
	 sro_delegate sro_fail sro_policy; do
	[ -d /sys/kernel/tracing/events/sro/$e ] || fail "event $e missing"
done
echo "boot ok: $(uname -r) $(uname -m)"

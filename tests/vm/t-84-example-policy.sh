#!/bin/sh
# The example policy of docs/writing-a-policy.md (docs/examples/
# contigpool.bpf.c) does what the tutorial's table says: host granules,
# RECs and devices from exact; contiguous SMMU tables from the pool; an
# 8 MiB region, more than a pool chunk, from contig. Loaded by its path,
# as the tutorial does.
. ./lib/sro.sh
new_realm r
pool_setup $((8 << 20)) $((4 << 20))
# sources: "exact contig pool" block counts in the trace (every purpose)
sources() {
	for s in exact contig pool; do
		printf '%s ' "$(count sro_alloc "source=$s")"
	done
}

policy load /sroscope/lib/sroscope/examples/contigpool.bpf.o
expect_eq "policy in charge" "$(cat "$POOL/policy")" contigpool
trace_start
emu "realm_create $r" "rtt_create $r 2" "rec_create $r 1" "pdev_create $r 5"
trace_cut
# RD + 2 RTTs + REC granule + 16 REC blocks + 5 device blocks
expect_eq "host granules, REC, device: exact" "$(sources)" "25 0 0 "
emu "smmu_activate $r 24" "smmu_st_l2_create $r"
trace_cut
expect_eq "SMMU tables and L2: pool" "$(sources)" "0 0 4 "
emu "huge $r 8388608"
trace_cut
expect_eq "8 MiB: contig" "$(sources)" "0 1 0 "
expect_eq "pool grown to what it wants, not more" "$(stat pool_bytes)" $((8 << 20))
policy unload
emu "realm_destroy $r"
trace_stop
check_books
check_realm_gone $r
expect_eq "pool fully free again" "$(stat pool_free_bytes)" "$(stat pool_bytes)"
echo 0 >"$POOL/pool_size"

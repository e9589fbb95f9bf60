#!/bin/sh
# Each shipped policy decides as its source says, checked through the
# trace (source of every block) and the per-source accounting; above
# MAX_PAGE_ORDER (8 MiB contiguous) the built-in default fails, as the
# CCA host tree does, while contig and pool serve it.
. ./lib/sro.sh
pool_setup $((32 << 20)) $((16 << 20))
expect_eq "policy without one loaded" "$(cat "$POOL/policy")" default

# srcs: "exact contig pool" block counts of the SRO blocks in the trace
srcs() {
	for s in exact contig pool; do
		printf '%s ' "$(count sro_alloc "source=$s purpose=sro")"
	done
}

trace_start
emu "realm_create 30" "rec_create 30 1"
emu_fails "huge 30 8388608"
trace_cut
expect_eq "default: REC from exact" "$(srcs)" "16 0 0 "
expect_eq "default: 8 MiB too large" "$(count sro_fail 'reason=too_large')" 1

policy load exact
emu "rec_create 30 1"
emu_fails "huge 30 8388608"
trace_cut
expect_eq "exact: REC from exact" "$(srcs)" "16 0 0 "
expect_eq "policy named in debugfs" "$(cat "$POOL/policy")" exact

policy swap contig
emu "rec_create 30 1" "smmu_activate 30 24" "huge 30 8388608"
trace_cut
# REC: 16 x 4 KiB exact; SMMU: 2 MiB table contig, 2 queues exact; 8 MiB contig
expect_eq "contig: small from exact, large from contig" "$(srcs)" "18 2 0 "
expect_eq "contig: 8 MiB served by contig" "$(count sro_alloc 'size=8388608 order=11 source=contig')" 1

policy swap pool
emu "rec_create 30 1" "huge 30 8388608"
trace_cut
expect_eq "pool: small and 8 MiB from the pool" "$(srcs)" "0 0 17 "
expect_eq "pool free bytes (REC: 16 blocks + its granule, 8 MiB)" "$(stat pool_free_bytes)" $(( (32 << 20) - 17 * GRANULE - (8 << 20) ))

policy swap adaptive
emu "rec_create 30 1" "huge 30 8388608"
trace_cut
expect_eq "adaptive: small and 8 MiB from the pool while it has room" "$(srcs)" "0 0 17 "

policy unload
expect_eq "back to the default" "$(cat "$POOL/policy")" default
emu "realm_destroy 30"
trace_stop
check_books
check_realm_gone 30
expect_eq "pool fully free again" "$(stat pool_free_bytes)" $((32 << 20))
expect_eq "source contig out bytes" "$(stat source contig out_bytes)" 0
expect_eq "source pool out bytes" "$(stat source pool out_bytes)" 0
echo 0 >"$POOL/pool_size"

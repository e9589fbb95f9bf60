#!/bin/sh
# Each shipped policy decides as its source says, checked through the
# trace (source of every block) and the per-source accounting. Above
# MAX_PAGE_ORDER (8 MiB contiguous) the kernel's own order serves from
# contig, with or without a policy: a policy that names only exact is
# completed by it, never left to fail.
. ./lib/sro.sh
new_realm r
pool_setup $((32 << 20)) $((16 << 20))
expect_eq "policy without one loaded" "$(cat "$POOL/policy")" default

# srcs: "exact contig pool" block counts of the SRO blocks in the trace
srcs() {
	for s in exact contig pool; do
		printf '%s ' "$(count sro_alloc "source=$s purpose=sro")"
	done
}

trace_start
emu "realm_create $r" "rec_create $r 1" "huge $r 8388608"
trace_cut
expect_eq "default: REC from exact, 8 MiB from contig" "$(srcs)" "16 1 0 "
expect_eq "default: 8 MiB not a fallback" "$(count sro_alloc 'size=8388608 order=11 source=contig purpose=sro .* fallback=0')" 1
expect_eq "default: no failure" "$(count sro_fail)" 0

policy load exact
emu "rec_create $r 1" "huge $r 8388608"
trace_cut
expect_eq "exact: REC from exact, 8 MiB completed by contig" "$(srcs)" "16 1 0 "
expect_eq "exact: 8 MiB too large for exact" "$(count sro_alloc_fail 'source=exact')" 1
expect_eq "exact: no failure" "$(count sro_fail)" 0
expect_eq "policy named in debugfs" "$(cat "$POOL/policy")" exact

policy swap contig
emu "rec_create $r 1" "smmu_activate $r 24" "huge $r 8388608"
trace_cut
# REC: 16 x 4 KiB exact; SMMU: 2 MiB table contig, 2 queues exact; 8 MiB contig
expect_eq "contig: small from exact, large from contig" "$(srcs)" "18 2 0 "
expect_eq "contig: 8 MiB served by contig" "$(count sro_alloc 'size=8388608 order=11 source=contig')" 1

policy swap pool
emu "rec_create $r 1" "huge $r 8388608"
trace_cut
expect_eq "pool: small and 8 MiB from the pool" "$(srcs)" "0 0 17 "
expect_eq "pool free bytes (REC: 16 blocks + its granule, 8 MiB)" "$(stat pool_free_bytes)" $(( (32 << 20) - 17 * GRANULE - (8 << 20) ))

policy swap adaptive
emu "rec_create $r 1" "huge $r 8388608"
trace_cut
expect_eq "adaptive: small and 8 MiB from the pool while it has room" "$(srcs)" "0 0 17 "

# Built against fewer sources, with the first ABI's three-nibble verdicts.
inv=$(stat policy_invalid)
policy swap "$TEST_POLICIES/two_sources.bpf.o"
emu "rec_create $r 1"
trace_cut
expect_eq "two_sources: a policy built for two sources sends all to contig" "$(srcs)" "0 16 0 "
expect_eq "two_sources: its three-nibble verdicts valid" "$(( $(stat policy_invalid) - inv ))" 0

policy unload
expect_eq "back to the default" "$(cat "$POOL/policy")" default
emu "realm_destroy $r"
trace_stop
check_books
check_realm_gone $r
expect_eq "pool fully free again" "$(stat pool_free_bytes)" $((32 << 20))
expect_eq "source contig out bytes" "$(stat source contig out_bytes)" 0
expect_eq "source pool out bytes" "$(stat source pool out_bytes)" 0
echo 0 >"$POOL/pool_size"

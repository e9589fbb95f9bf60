#!/bin/sh
# A pre-delegated pool: its chunks are delegated once when they join it,
# so a realm served from it makes no delegate or undelegate call at all
# (TF-RMM takes one RMI call per granule), and every block goes back to
# the pool still delegated.
. ./lib/sro.sh
new_realm r
echo 0 >"$POOL/pool_size"
base_free=$(truth delegated_free)
pool_setup $((8 << 20)) $((4 << 20)) 1
expect_eq "pool chunks delegated, in granules" "$(( $(truth delegated_free) - base_free ))" 2048
base_calls=$(truth delegate_calls)
base_ucalls=$(truth undelegate_calls)
policy load pool
trace_start
emu "realm_create $r" "rtt_create $r 2" "rec_create $r 4" "realm_destroy $r"
trace_stop
policy unload
expect_eq "delegate calls for the realm" "$(( $(truth delegate_calls) - base_calls ))" 0
expect_eq "undelegate calls for the realm" "$(( $(truth undelegate_calls) - base_ucalls ))" 0
expect_eq "blocks from the pool" "$(count sro_alloc 'source=pool')" $((1 + 2 + 4 + 4 * 16))
check_books
check_realm_gone $r
expect_eq "pool fully free again" "$(stat pool_free_bytes)" $((8 << 20))
echo 0 >"$POOL/pool_size"
expect_eq "delegated granules after the pool is gone" "$(truth delegated_free)" "$base_free"
echo 0 >"$POOL/pool_delegated"

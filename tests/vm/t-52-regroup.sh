#!/bin/sh
# The RMM may give memory back in ranges that do not match the blocks the
# host donated (fault regroup: 3-granule ranges). A REC's 16 one-granule
# blocks, carved side by side from the pool, come back in ranges that
# each span three blocks; a 2 MiB block comes back in 171 ranges that cut
# it. The host takes back exactly what came back: the books and the RMM
# agree granule by granule after each, nothing is refused, nothing is
# left out.
. ./lib/sro.sh
new_realm r
bad=$(stat bad_reclaims) exact_out=$(stat source exact out_bytes)
pool_setup $((4 << 20)) $((4 << 20))
policy load pool
trace_start
emu "realm_create $r" "rec_create $r 1"
policy unload
emu "huge $r 2097152"
trace_cut
check_books

emu "fault regroup 1" "rec_destroy $r 1"
books_agree
expect_eq "REC: 16 granules held by none" "$(truth held $r)" 512
emu "fault regroup 1" "realm_destroy $r"
trace_stop
expect_eq "regroup fired twice" "$(awk '$1 == "fault" && $2 == "regroup" { print $6 }' "$EMU/state")" 2
expect_eq "REC ranges span blocks: each block back whole" \
	"$(count sro_reclaim 'size=4096 source=pool purpose=sro')" 16
expect_eq "2 MiB block cut into 170 3-granule pieces" \
	"$(count sro_reclaim 'size=12288 source=exact purpose=sro')" 170
expect_eq "... and one of 2 granules" \
	"$(count sro_reclaim 'size=8192 source=exact purpose=sro')" 1
expect_eq "reclaimed bytes" "$(sum_field sro_reclaim size 'purpose=sro')" $(( 16 * GRANULE + (2 << 20) ))
expect_eq "nothing refused" "$(count sro_fail 'reason=bad_reclaim')" 0
expect_eq "bad reclaims" "$(( $(stat bad_reclaims) - bad ))" 0
check_books
check_realm_gone $r
expect_eq "source exact out bytes" "$(stat source exact out_bytes)" "$exact_out"
expect_eq "source pool out bytes" "$(stat source pool out_bytes)" 0
expect_eq "pool fully free again" "$(stat pool_free_bytes)" $((4 << 20))
echo 0 >"$POOL/pool_size"

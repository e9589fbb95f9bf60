#!/bin/sh
# Each shipped policy loaded, then swapped live (exact, contig, pool,
# adaptive in turn) while RECs are created and destroyed on both CPUs: the
# real RMM takes pool, contig and exact memory alike, no request fails,
# every block goes back to its own source, and the pool (delegated ahead:
# no GRANULE_RANGE_DELEGATE per REC granule) serves REC donations.
. ./lib.sh
new_realm r1 r2
pool_setup $((4 << 20)) $((2 << 20)) 1
trace_start 65536
host "realm_create $r1" "realm_create $r2"
# The source each policy picks for a REC's 4 KiB blocks: contig keeps
# exact for small blocks, adaptive the pool while it has room; the test
# policy force_contig makes the RMM take alloc_contig_pages() memory.
for p in exact:exact contig:exact pool:pool adaptive:pool "$TEST_POLICIES/force_contig.bpf.o:contig"; do
	policy load "${p%:*}"
	trace_cut
	host "rec_create $r1 1" "rec_destroy $r1 1"
	policy unload
	trace_cut
	expect_eq "${p%:*}: REC donations from ${p##*:}" \
		"$(count sro_donate "source=${p##*:} purpose=sro")" 16
	# Pool blocks are delegated ahead: only other blocks are delegated.
	expect_eq "${p%:*}: delegations" "$(count sro_delegate ': delegate pa')" \
		"$(( $(count sro_alloc) - $(count sro_alloc 'source=pool') ))"
done

rm -f /tmp/stop
worker() {
	n=0
	while [ ! -f /tmp/stop ]; do
		on "$2" "rec_create $1 1" "rec_destroy $1 1"
		on_wait
		n=$((n + 1))
	done
	echo "$n rounds"
}
policy load exact
worker $r1 0 >/tmp/w1.log 2>&1 &
w1=$!
worker $r2 1 >/tmp/w2.log 2>&1 &
w2=$!
sroscope policy cycle exact,contig,pool,adaptive --count 40 || fail "swaps failed"
touch /tmp/stop
wait $w1 || { cat /tmp/w1.log; fail "worker on realm $r1 failed"; }
wait $w2 || { cat /tmp/w2.log; fail "worker on realm $r2 failed"; }
echo "workers: $(cat /tmp/w1.log) and $(cat /tmp/w2.log)"
policy unload
host "realm_destroy $r1" "realm_destroy $r2"
trace_stop
expect_eq "failed allocations" "$(count sro_fail)" 0
expect_eq "ops that did not succeed" "$(grep ' sro_op_end: ' /tmp/trace.txt | grep -vc 'status=0 ')" 0
[ "$(count sro_donate 'source=pool purpose=sro')" -gt 0 ] || fail "the pool served no REC donation"
check_accounted $r1 $r2
books_empty $r1
books_empty $r2
expect_eq "pool blocks out" "$(awk '$1 == "source" && $2 == "pool" && $3 == "out_bytes" { print $4 }' "$SRO_STATS")" 0

#!/bin/sh
# 1000 policy swaps (exact, contig, pool, adaptive in turn) while realms
# are built and torn down on every CPU: no request fails or is lost,
# every block goes back to its own source, the ground truth balances.
. ./lib/sro.sh
new_realm r1 r2
SWAPS=${SWAPS:-1000}
pool_setup $((16 << 20)) $((4 << 20))
base_free=$(truth delegated_free)
policy load exact
swaps0=$(stat policy_swaps)
rm -f /tmp/stop
worker() {
	n=0
	while [ ! -f /tmp/stop ]; do
		emu "rec_create $1 2" "pdev_create $1" "rec_destroy $1 2" "pdev_destroy $1"
		n=$((n + 1))
		usleep 10000	# bounded event rate: no trace event may be lost
	done
	echo "$n rounds"
}
trace_start 65536
emu "realm_create $r1" "realm_create $r2"
worker $r1 >/tmp/w1.log 2>&1 &
w1=$!
worker $r2 >/tmp/w2.log 2>&1 &
w2=$!
sleep 1
# The swaps run on one CPU while the workers keep the others busy.
sroscope policy cycle exact,contig,pool,adaptive --count "$SWAPS" ||
	fail "swaps failed"
touch /tmp/stop
wait $w1 || { cat /tmp/w1.log; fail "worker on realm $r1 failed"; }
wait $w2 || { cat /tmp/w2.log; fail "worker on realm $r2 failed"; }
echo "workers: $(cat /tmp/w1.log) and $(cat /tmp/w2.log)"
trace_stop
expect_eq "swaps done" "$(( $(stat policy_swaps) - swaps0 ))" "$SWAPS"
policy unload
expect_eq "failed allocations" "$(count sro_fail)" 0
expect_eq "ops that did not succeed" "$(grep ' sro_op_end: ' /tmp/trace.txt | grep -vc 'status=0 ')" 0
check_books
emu "realm_destroy $r1" "realm_destroy $r2"
check_realm_gone $r1
check_realm_gone $r2
for s in exact contig pool; do
	echo "blocks from $s: $(count sro_alloc "source=$s")"
done
expect_eq "pool fully free again" "$(stat pool_free_bytes)" $((16 << 20))
echo 0 >"$POOL/pool_size"
expect_eq "delegated granules nobody owns" "$(truth delegated_free)" "$base_free"

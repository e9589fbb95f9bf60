#!/bin/sh
# The pool is bounded by the administrator: pool_max caps what a write or
# a policy can ask for; a hostile policy asking for 2^64 - 1 bytes on
# every request gets the ceiling and no more; unloading it takes the pool
# back to the administrator's size; under memory pressure (drop_caches
# runs the shrinkers) empty chunks are given back.
. ./lib/sro.sh
new_realm r
MB=$((1 << 20))

# wait_pool BYTES: the pool resizes in the background; wait up to 30 s.
wait_pool() {
	_i=0
	while [ "$(stat pool_bytes)" != "$1" ] && [ $_i -lt 300 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
}
max0=$(cat "$SRO_PARAMS/pool_max")
mem=$(awk '$1 == "MemTotal:" { print $2 * 1024 }' /proc/meminfo)
expect_eq "default ceiling: a quarter of memory" "$(( max0 > mem / 4 - 64 * MB && max0 <= mem / 4 ))" 1

pool_setup 0 $((4 * MB))
echo $((64 * MB)) >"$SRO_PARAMS/pool_max" || fail "cannot set pool_max"
echo 16M >"$SRO_PARAMS/pool_size" || fail "cannot set pool_size"
expect_eq "pool_size in sysfs, with a suffix" "$(stat pool_bytes)" $((16 * MB))
expect_eq "sysfs reads back bytes" "$(cat "$SRO_PARAMS/pool_size")" $((16 * MB))
echo 1099511627776 >"$SRO_PARAMS/pool_size" || fail "cannot ask for 1 TiB"
expect_eq "1 TiB asked: the ceiling" "$(stat pool_bytes)" $((64 * MB))
echo 1099511627776 >"$POOL/pool_size" || fail "cannot ask debugfs for 1 TiB"
expect_eq "1 TiB through debugfs: the ceiling" "$(stat pool_bytes)" $((64 * MB))
if echo 12X >"$SRO_PARAMS/pool_size" 2>/dev/null; then
	fail "pool_size took '12X'"
fi
echo 16M >"$SRO_PARAMS/pool_size"
expect_eq "back to 16 MiB" "$(stat pool_bytes)" $((16 * MB))

trace_start
emu "realm_create $r"
policy load "$TEST_POLICIES/pool_hog.bpf.o"
emu "rec_create $r 1" "rec_create $r 1"
wait_pool $((64 * MB))
expect_eq "hostile policy: the pool at the ceiling" "$(stat pool_bytes)" $((64 * MB))
echo $((32 * MB)) >"$SRO_PARAMS/pool_max"
expect_eq "ceiling lowered: the pool follows" "$(stat pool_bytes)" $((32 * MB))
emu "rec_create $r 1"
sleep 1
expect_eq "and stays under it" "$(stat pool_bytes)" $((32 * MB))
policy unload
wait_pool $((16 * MB))
expect_eq "policy gone: back to the administrator's 16 MiB" "$(stat pool_bytes)" $((16 * MB))
emu "realm_destroy $r"
trace_stop
check_books
check_realm_gone $r

echo 3 >/proc/sys/vm/drop_caches
expect_eq "memory pressure: empty chunks given back" "$(stat pool_bytes)" 0
echo "$max0" >"$SRO_PARAMS/pool_max"
echo 0 >"$SRO_PARAMS/pool_size"

#!/bin/sh
# The emulator's harsh fragmenter ("fragment MB ORDER"): it leaves no free
# block of ORDER or above (here 9: 2 MiB) and compaction cannot make one,
# while smaller blocks stay free. Then a 2 MiB block comes from nowhere but
# a pool filled before (a policy that asks it first), 1 MiB still from
# alloc_pages_exact(); unfragment
# gives it all back.
. ./lib/sro.sh
new_realm r
# Free blocks of order 9 and above, all zones.
big() { awk '{ for (i = 14; i <= NF; i++) n += $i } END { print n + 0 }' /proc/buddyinfo; }
order8() { awk '{ n += $13 } END { print n + 0 }' /proc/buddyinfo; }
[ "$(big)" -gt 100 ] || fail "fresh memory has $(big) free blocks of order 9 or more"
pool_setup $((4 << 20)) $((4 << 20))
# The pool fills in the background: full before the memory is fragmented.
i=0
until [ "$(stat pool_bytes)" = $((4 << 20)) ]; do
	i=$((i + 1))
	[ $i -le 100 ] || fail "the pool did not fill: $(stat pool_bytes) bytes"
	sleep 0.1
done
# The trace buffer first: taken from fragmented memory, its pages would
# keep every block from coming back whole at unfragment.
trace_start
emu "realm_create $r" "fragment 65536 9"
# Memory in use while it ran (a process, a kernel buffer) may be freed
# since and complete a block now and then: one or two, never more.
n=$(big)
[ "$n" -le 2 ] || fail "$n free blocks of order 9 or more after fragment 65536 9"
[ "$(order8)" -gt 100 ] || fail "only $(order8) free blocks of order 8 left"
pinned=$(truth fragment_pages)
[ "$pinned" -gt 100 ] || fail "$pinned pages pinned"
echo "ok: $pinned pages pinned (one per 2 MiB), $(order8) free blocks of order 8, $n of order 9 or more"
emu "huge $r 1048576"
# From a pool filled before, all of it (first, and all: a high-order
# allocation that fails reclaims, and the pool's shrinker gives up what
# it has free).
policy load "$TEST_POLICIES/force_pool.bpf.o"
emu "huge $r 2097152" "huge $r 2097152"
# Six 2 MiB blocks from alloc_pages_exact(), then two from
# alloc_contig_pages(): only such a stray block can serve one.
policy swap exact
# Again: what the commands since freed cannot complete a block either.
emu "fragment 65536 9"
ok=0
for i in 1 2 3 4 5 6; do
	echo "huge $r 2097152" >"$EMU/ctl" 2>/dev/null && ok=$((ok + 1))
done
policy swap "$TEST_POLICIES/force_contig.bpf.o"
for i in 1 2; do
	echo "huge $r 2097152" >"$EMU/ctl" 2>/dev/null && ok=$((ok + 1))
done
policy unload
trace_stop
expect_eq "1 MiB from exact" "$(count sro_alloc 'size=1048576 order=8 source=exact')" 1
expect_eq "2 MiB from the pool" "$(count sro_alloc 'size=2097152 order=9 source=pool')" 2
served=$(( $(count sro_alloc 'size=2097152 order=9 source=exact') + $(count sro_alloc 'size=2097152 order=9 source=contig') ))
echo "2 MiB from exact or contig: $ok of 8 served"
expect_eq "2 MiB outside the pool: the blocks traced" "$served" "$ok"
[ "$ok" -le 4 ] || fail "$ok of 8 blocks of 2 MiB found outside the pool"
emu unfragment
expect_eq "pages pinned after unfragment" "$(truth fragment_pages)" 0
[ "$(big)" -gt 100 ] || fail "only $(big) free blocks of order 9 or more after unfragment"
emu "realm_destroy $r"
check_realm_gone $r
echo 0 >"$POOL/pool_size"

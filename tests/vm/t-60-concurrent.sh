#!/bin/sh
# Realms built and torn down on every CPU at once (the issue's example:
# 4 realms, 8 RECs each, 2 devices, an SMMU, destroy 2, a realm that keeps
# 3 granules), then everything destroyed. No event may be lost, and the
# trace must account for every granule the emulator saw.
. ./lib/sro.sh
base_free=$(truth delegated_free)
# Earlier tests may leave operations pending in the RMM.
base_pending=$(truth ops_pending)
trace_start
worker() {
	for r in "$@"; do
		emu "realm_create $r" "rtt_create $r 2" "rec_create $r 8" \
		    "pdev_create $r" "pdev_create $r" "smmu_activate $r 16" \
		    "smmu_st_l2_create $r" "rec_destroy $r 2"
	done
}
worker 20 21 22 23 >/tmp/w1.log 2>&1 &
w1=$!
worker 24 25 26 27 >/tmp/w2.log 2>&1 &
w2=$!
wait $w1 || { cat /tmp/w1.log; fail "worker 1"; }
wait $w2 || { cat /tmp/w2.log; fail "worker 2"; }
for r in 20 21 22 23 24 25 26 27; do
	expect_eq "realm $r held" "$(truth held $r)" $((6 * 16 + 2 * 3 + 2 + 1 + 1 + 1))
done
emu "leak 21 3"
(emu "realm_destroy 20" "realm_destroy 21" "realm_destroy 22" "realm_destroy 23") &
d1=$!
emu "realm_destroy 24" "realm_destroy 25" "realm_destroy 26" "realm_destroy 27"
wait $d1 || fail "destroy worker"
trace_stop
check_books
expect_eq "realm 21 kept 3 blocks" "$([ "$(truth leaked 21)" -ge 3 ] && echo yes)" yes
check_realm_gone 21 "$(truth leaked 21)"
for r in 20 22 23 24 25 26 27; do
	check_realm_gone $r
done
expect_eq "delegated granules nobody owns" "$(truth delegated_free)" "$base_free"
expect_eq "ops pending in the RMM" "$(truth ops_pending)" "$base_pending"

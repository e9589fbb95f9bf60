#!/bin/sh
# Realms built and torn down on every CPU at once (the issue's example:
# 4 realms, 8 RECs each, 2 devices, an SMMU, destroy 2, a realm that keeps
# 3 granules), then everything destroyed. No event may be lost, and the
# trace must account for every granule the emulator saw.
. ./lib/sro.sh
new_realm a1 a2 a3 a4 b1 b2 b3 b4
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
worker $a1 $a2 $a3 $a4 >/tmp/w1.log 2>&1 &
w1=$!
worker $b1 $b2 $b3 $b4 >/tmp/w2.log 2>&1 &
w2=$!
wait $w1 || { cat /tmp/w1.log; fail "worker 1"; }
wait $w2 || { cat /tmp/w2.log; fail "worker 2"; }
for r in $a1 $a2 $a3 $a4 $b1 $b2 $b3 $b4; do
	expect_eq "realm $r held" "$(truth held $r)" $((6 * 16 + 2 * 3 + 2 + 1 + 1 + 1))
done
emu "leak $a2 3"
(emu "realm_destroy $a1" "realm_destroy $a2" "realm_destroy $a3" "realm_destroy $a4") &
d1=$!
emu "realm_destroy $b1" "realm_destroy $b2" "realm_destroy $b3" "realm_destroy $b4"
wait $d1 || fail "destroy worker"
trace_stop
check_books
expect_eq "realm $a2 kept 3 blocks" "$([ "$(truth leaked $a2)" -ge 3 ] && echo yes)" yes
check_realm_gone $a2 "$(truth leaked $a2)"
for r in $a1 $a3 $a4 $b1 $b2 $b3 $b4; do
	check_realm_gone $r
done
expect_eq "delegated granules nobody owns" "$(truth delegated_free)" "$base_free"
expect_eq "ops pending in the RMM" "$(truth ops_pending)" "$base_pending"

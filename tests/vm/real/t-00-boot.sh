#!/bin/sh
# The kernel found the real RMM and brought it up as the CCA host does
# (RMI_VERSION 2.0, FEATURES, RMM_CONFIG_SET, RMM_ACTIVATE through the
# executor); the emulator stood down; KUnit passed; the driver is there.
. ./lib.sh
expect_eq "RMM found" "$(dmesg | grep -c 'arm_rmm: RMM found, RMI version 0x20000')" 1
expect_eq "RMM brought up" "$(dmesg | grep -c 'arm_rmm: RMM active, RMI 2.0')" 1
expect_eq "emulator stood down" "$(dmesg | grep -c 'rmm_emu: a real RMM is present')" 1
expect_eq "no emulator control" "$([ -e /sys/kernel/debug/rmm_emu ] && echo present)" ""
K=/sys/kernel/debug/kunit/rmi_sro/results
[ -f $K ] || fail "no KUnit results"
expect_eq "KUnit failures" "$(grep -c '^ *not ok' $K)" 0
[ "$(grep -c '^ *ok ' $K)" -ge 10 ] || fail "KUnit: too few cases passed: $(cat $K)"
[ -w "$HOST/ctl" ] || fail "no $HOST/ctl"
# Bad commands are refused and cost nothing: ids out of range, and one
# no realm has.
new_realm none
allocs=$(stat "source exact allocs")
for c in "bogus" "realm_create 0" "realm_create $((HOST_MAX_REALMS + 1))" "rec_create $none 1" \
	 "realm_destroy $none" "rec_create $none 100000"; do
	host_fails "$c"
done
expect_eq "allocations for refused commands" "$(stat "source exact allocs")" "$allocs"

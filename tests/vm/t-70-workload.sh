#!/bin/sh
# The "workload" command builds whole realms in one write; the kernel's
# own counters (debugfs sro/stats) agree with the trace and the emulator.
. ./lib/sro.sh
live() { awk '$1 == "realm" && $3 == "live" && $4 == 1 { print $2 }' "$EMU/state"; }
before=$(live)
trace_start
emu "workload 2 4 1 1"
trace_stop
new=$(live | grep -vxF "${before:-none}")
[ -n "$new" ] || fail "workload created no realm"
for r in $new; do
	expect_eq "realm $r held (4 RECs, 1 device, 1 SMMU)" "$(truth held $r)" $((4 * 16 + 3 + 2 + 1 + 1))
	expect_eq "realm $r held bytes (stats vs emulator)" "$(stat realm $r held_bytes)" $(( ($(truth held $r) + $(truth host $r)) * GRANULE ))
done
check_books
for r in $new; do
	emu "realm_destroy $r"
	check_realm_gone $r
done
expect_eq "bytes cached in running ops" "$(stat cached_bytes)" 0

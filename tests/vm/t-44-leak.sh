#!/bin/sh
# A realm whose teardown does not return 3 blocks: the trace shows exactly
# what the realm world still holds after destroy.
. ./lib/sro.sh
new_realm r
trace_start
emu "realm_create $r" "rec_create $r 2" "pdev_create $r" "leak $r 3" "realm_destroy $r"
trace_stop
check_realm_gone $r 3
expect_eq "leaked granules (truth)" "$(truth leaked $r)" 3
expect_eq "realm $r bytes still held (trace)" "$(books held_bytes $r)" $((3 * GRANULE))
check_books

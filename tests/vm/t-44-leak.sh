#!/bin/sh
# A realm whose teardown does not return 3 blocks: the trace shows exactly
# what the realm world still holds after destroy.
. ./lib/sro.sh
trace_start
emu "realm_create 7" "rec_create 7 2" "pdev_create 7" "leak 7 3" "realm_destroy 7"
trace_stop
check_realm_gone 7 3
expect_eq "leaked granules (truth)" "$(truth leaked 7)" 3
expect_eq "realm 7 bytes still held (trace)" "$(books held_bytes 7)" $((3 * GRANULE))
check_books

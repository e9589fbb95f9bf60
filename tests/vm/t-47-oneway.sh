#!/bin/sh
# A one-way (TDX-like) donation of 8 granules: never reclaimed, still held
# by the realm world after the realm is gone, and the trace says so.
. ./lib/sro.sh
new_realm r
trace_start
emu "realm_create $r" "oneway $r 8" "rec_create $r 1" "realm_destroy $r"
trace_stop
check_realm_gone $r 8
expect_eq "one-way granules" "$(truth one_way $r)" 8
expect_eq "realm $r bytes still held (trace)" "$(books held_bytes $r)" $((8 * GRANULE))
check_books

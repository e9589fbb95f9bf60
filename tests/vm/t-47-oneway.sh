#!/bin/sh
# A one-way (TDX-like) donation of 8 granules: never reclaimed, still held
# by the realm world after the realm is gone, and the trace says so.
. ./lib/sro.sh
trace_start
emu "realm_create 10" "oneway 10 8" "rec_create 10 1" "realm_destroy 10"
trace_stop
check_realm_gone 10 8
expect_eq "one-way granules" "$(truth one_way 10)" 8
expect_eq "realm 10 bytes still held (trace)" "$(books held_bytes 10)" $((8 * GRANULE))
check_books

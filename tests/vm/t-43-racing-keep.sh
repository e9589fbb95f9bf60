#!/bin/sh
# A racing operation keeps one block of a REC being destroyed (a page
# table reused at another address): REC_DESTROY returns 15 granules, the
# last one comes back at realm destroy.
. ./lib/sro.sh
trace_start
emu "realm_create 6" "rec_create 6 2" "fault racing_keep 1" "rec_destroy 6 1"
expect_eq "held granules" "$(truth held 6)" 17
expect_eq "kept granules" "$(truth kept 6)" 1
trace_stop
check_books
emu "realm_destroy 6"
check_realm_gone 6

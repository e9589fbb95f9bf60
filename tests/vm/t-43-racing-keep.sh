#!/bin/sh
# A racing operation keeps one block of a REC being destroyed (a page
# table reused at another address): REC_DESTROY returns 15 granules, the
# last one comes back at realm destroy.
. ./lib/sro.sh
new_realm r
trace_start
emu "realm_create $r" "rec_create $r 2" "fault racing_keep 1" "rec_destroy $r 1"
expect_eq "held granules" "$(truth held $r)" 17
expect_eq "kept granules" "$(truth kept $r)" 1
trace_stop
check_books
emu "realm_destroy $r"
check_realm_gone $r

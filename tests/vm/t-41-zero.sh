#!/bin/sh
# Zero consumption (a racing donor already served the request): the host
# keeps the 16 blocks cached and serves the repeated request from them.
. ./lib/sro.sh
new_realm r
trace_start
emu "realm_create $r" "fault zero 1" "rec_create $r 1"
trace_stop
expect_eq "donate requests" "$(count sro_donate_req 'count=16 ')" 2
expect_eq "first result: all cached" "$(count sro_donate_result 'consumed=0 cached=16 ')" 1
expect_eq "second result: all consumed" "$(count sro_donate_result 'offered=16 consumed=16 cached=0 ')" 1
expect_eq "blocks allocated for SRO" "$(count sro_alloc 'purpose=sro')" 16
expect_eq "fault fired" "$(awk '$2 == "zero" { print $6 }' "$EMU/state")" 1
check_books
emu "realm_destroy $r"
check_realm_gone $r

#!/bin/sh
# Delegation of one block fails: it goes straight back to the allocator
# (reason undo) and the host tries once more, so the RMM still gets its
# 16 blocks in one request. (A REC granule the host cannot delegate fails
# rec_create itself: checked first.)
. ./lib/sro.sh
trace_start
emu "realm_create 9" "fault delegate_fail 1"
emu_fails "rec_create 9 1"
expect_eq "REC granules after the failed create" "$(truth host 9)" 1
emu "fault delegate_fail 1" "pdev_create 9 16"
trace_stop
expect_eq "freed as undo" "$(count sro_free 'reason=undo')" 2
expect_eq "delegate failure reported" "$(count sro_fail 'reason=delegate')" 2
expect_eq "one request for all 16" "$(grep ' sro_donate_req: ' /tmp/trace.txt | grep -o 'count=[0-9]*' | tr '\n' ' ')" "count=16 "
expect_eq "held granules" "$(truth held 9)" 16
check_books
emu "realm_destroy 9"
check_realm_gone 9

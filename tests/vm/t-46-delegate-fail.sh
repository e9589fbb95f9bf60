#!/bin/sh
# Delegation of one block fails: it goes straight back to the allocator
# (reason undo) and the host tries once more, so the RMM still gets its
# 16 blocks in one request. (A REC granule the host cannot delegate fails
# rec_create itself: checked first.) A request the RMM does not let the
# host cancel is tried again, backing off, and the operation is abandoned
# (sro_fail reason=abandoned) only when every try fails.
. ./lib/sro.sh
trace_start
emu "realm_create 9" "fault delegate_fail 1"
emu_fails "rec_create 9 1"
expect_eq "REC granules after the failed create" "$(truth host 9)" 1
emu "fault delegate_fail 1" "pdev_create 9 16"
trace_cut
expect_eq "freed as undo" "$(count sro_free 'reason=undo')" 2
expect_eq "delegate failure reported" "$(count sro_fail 'reason=delegate')" 2
expect_eq "one request for all 16" "$(grep ' sro_donate_req: ' /tmp/trace.txt | grep -o 'count=[0-9]*' | tr '\n' ' ')" "count=16 "
expect_eq "held granules" "$(truth held 9)" 16

# Four refusals: the first block fails twice in the fill and twice in
# the first retry; the second retry serves the request in full.
retries=$(stat donate_retries)
emu "fault delegate_fail 4" "pdev_create 9 5"
trace_cut
expect_eq "retries" "$(( $(stat donate_retries) - retries ))" 2
expect_eq "the request traced once" "$(count sro_donate_req)" 1
expect_eq "not abandoned" "$(count sro_fail 'reason=abandoned')" 0
expect_eq "held granules" "$(truth held 9)" 21

# Every try refused: the operation is abandoned, nothing is lost.
abandoned=$(stat ops_abandoned)
pending=$(truth ops_pending)
echo 2 >"$SRO_PARAMS/donate_retries"
emu "fault delegate_fail 1000"
emu_fails "pdev_create 9 3"
emu "fault delegate_fail 0"
trace_cut
echo 10 >"$SRO_PARAMS/donate_retries"
expect_eq "abandoned" "$(( $(stat ops_abandoned) - abandoned ))" 1
expect_eq "abandoned reported" "$(count sro_fail 'reason=abandoned')" 1
expect_eq "the RMM's operation left pending" "$(( $(truth ops_pending) - pending ))" 1
expect_eq "held granules" "$(truth held 9)" 21
trace_stop
check_books
emu "realm_destroy 9"
check_realm_gone 9

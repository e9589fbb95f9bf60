#!/bin/sh
# Delegation of one block fails: it goes straight back to the allocator
# (reason undo) and the host tries once more, so the RMM still gets its
# 16 blocks in one request. (A REC granule the host cannot delegate fails
# rec_create itself: checked first.) A request the RMM does not let the
# host cancel is tried again, backing off, until it is served.
. ./lib/sro.sh
new_realm r
trace_start
emu "realm_create $r" "fault delegate_fail 1"
emu_fails "rec_create $r 1"
expect_eq "REC granules after the failed create" "$(truth host $r)" 1
emu "fault delegate_fail 1" "pdev_create $r 16"
trace_cut
expect_eq "freed as undo" "$(count sro_free 'reason=undo')" 2
expect_eq "delegate failure reported" "$(count sro_fail 'reason=delegate')" 2
expect_eq "one request for all 16" "$(grep ' sro_donate_req: ' /tmp/trace.txt | grep -o 'count=[0-9]*' | tr '\n' ' ')" "count=16 "
expect_eq "held granules" "$(truth held $r)" 16

# Four refusals: the first block fails twice in the fill and twice in
# the first retry; the second retry serves the request in full.
retries=$(stat donate_retries)
emu "fault delegate_fail 4" "pdev_create $r 5"
trace_cut
expect_eq "retries" "$(( $(stat donate_retries) - retries ))" 2
expect_eq "the request traced once" "$(count sro_donate_req)" 1
expect_eq "not abandoned" "$(count sro_fail 'reason=abandoned')" 0
expect_eq "held granules" "$(truth held $r)" 21

# Refusals outlast the warning threshold (2 tries here): an operation
# the RMM does not let the host cancel is resumed, never abandoned (TF-RMM
# would keep its object and an operation slot for good), and completes
# when delegation works again: 12 refusals, 2 per fill, 6 tries.
abandoned=$(stat ops_abandoned)
pending=$(truth ops_pending)
retries=$(stat donate_retries)
warned=$(dmesg | grep -c 'still trying')
echo 2 >"$SRO_PARAMS/donate_retries"
emu "fault delegate_fail 12" "pdev_create $r 3"
trace_cut
echo 10 >"$SRO_PARAMS/donate_retries"
expect_eq "tries" "$(( $(stat donate_retries) - retries ))" 6
expect_eq "not abandoned" "$(( $(stat ops_abandoned) - abandoned ))" 0
expect_eq "no abandoned event" "$(count sro_fail 'reason=abandoned')" 0
expect_eq "the RMM's operations all finished" "$(truth ops_pending)" "$pending"
expect_eq "held granules" "$(truth held $r)" 24
expect_eq "the wait is in the log" "$(( $(dmesg | grep -c 'still trying') - warned ))" 1
trace_stop
check_books
emu "realm_destroy $r"
check_realm_gone $r

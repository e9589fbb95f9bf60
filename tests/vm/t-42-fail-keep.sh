#!/bin/sh
# A failing REC_CREATE that keeps half of its donation: it hands back the
# other half, fails, and the kept half only comes back at realm destroy.
# The spec does not promise more; the books must still balance.
. ./lib/sro.sh
new_realm r
trace_start
emu "realm_create $r" "fault fail_keep 1"
emu_fails "rec_create $r 1"
expect_eq "kept granules" "$(truth kept $r)" 8
expect_eq "held granules" "$(truth held $r)" 8
expect_eq "host granules (RD only: REC granule returned)" "$(truth host $r)" 1
trace_stop
expect_eq "REC_CREATE failed with RMI_ERROR_INPUT" "$(count sro_op_end 'cmd=REC_CREATE status=1 ')" 1
expect_eq "granules reclaimed by the failed op" "$(( $(sum_field sro_reclaim size 'purpose=sro') / GRANULE ))" 8
check_books
trace_start
emu "realm_destroy $r"
trace_stop
expect_eq "kept granules reclaimed at destroy" "$(( $(sum_field sro_reclaim size 'purpose=sro') / GRANULE ))" 8
check_realm_gone $r

# TF-RMM's late failure (seen on the real RMM: tests/vm/real/t-20,
# examples/workloads/tfrmm.srotrace): a REC_CREATE that took all 16
# granules gives every one back, yields once more, then fails. Nothing
# is kept; the REC granule goes back to the host.
trace_start
emu "realm_create $r" "fault fail_late 1"
emu_fails "rec_create $r 1"
trace_stop
expect_eq "fail_late: REC_CREATE failed with RMI_ERROR_INPUT" "$(count sro_op_end 'cmd=REC_CREATE status=1 rounds=3 ')" 1
expect_eq "fail_late: granules given back by the failed op" "$(( $(sum_field sro_reclaim size 'purpose=sro') / GRANULE ))" 16
expect_eq "fail_late: held granules" "$(truth held $r)" 0
expect_eq "fail_late: host granules (RD only)" "$(truth host $r)" 1
check_books
emu "realm_destroy $r"
check_realm_gone $r

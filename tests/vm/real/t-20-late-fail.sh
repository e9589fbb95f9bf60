#!/bin/sh
# A REC create the RMM fails late (an MPIDR out of sequence): it takes the
# 16 granules it asked for, gives all 16 back, then answers ERROR_INPUT.
# sroscope leaks is exact: nothing unreturned for the realm, before and
# after its destroy, and the REC granule went back to the host.
. ./lib.sh
new_realm r
trace_start
scope lk leaks --json -a 0
host "realm_create $r" "rec_create $r 1"
# rec_create_bad succeeds only if the RMM failed the create late.
host "rec_create_bad $r"
host "rec_destroy $r 1" "realm_destroy $r"
scope_end lk
trace_stop
expect_eq "the late failure" "$(count sro_op_end 'cmd=REC_CREATE status=1 ')" 1
fop=$(grep ' sro_op_end: ' /tmp/trace.txt | grep 'cmd=REC_CREATE status=1 ' | sed 's/.*op=\([0-9]*\) .*/\1/')
expect_eq "the failed create: donated" "$(sum_field sro_donate size "op=$fop .*purpose=sro")" $((16 * GRANULE))
expect_eq "the failed create: given back in the same op" "$(sum_field sro_reclaim size "op=$fop ")" $((16 * GRANULE))
check_accounted $r
books_empty $r
R=/tmp/lk.out
expect_eq "leaks: reliable" "$(nj get $R reliable)" true
expect_eq "leaks: unreturned bytes" "$(nj get $R unreturned_bytes)" 0
expect_eq "leaks: realms that kept memory" "$(nj len $R destroyed)" 0

#!/bin/sh
# Partial consumption: the RMM takes a third of what it is owed each time
# and asks again for only the rest (16 -> 10 -> 6 -> 4 -> done). The host
# caches what was offered and not taken and offers it again, so exactly
# 16 blocks are allocated and none is freed unused.
. ./lib/sro.sh
new_realm r
trace_start
emu "realm_create $r" "fault partial 3" "rec_create $r 1"
expect_eq "held granules" "$(truth held $r)" 16
trace_stop
expect_eq "requests 16, 10, 6, 4" "$(grep ' sro_donate_req: ' /tmp/trace.txt | grep -o 'count=[0-9]*' | tr '\n' ' ')" "count=16 count=10 count=6 count=4 "
expect_eq "consumed per round" "$(grep -o 'consumed=[0-9]*' /tmp/trace.txt | tr '\n' ' ')" "consumed=6 consumed=4 consumed=2 consumed=4 "
expect_eq "blocks allocated for SRO" "$(count sro_alloc 'purpose=sro')" 16
expect_eq "blocks freed unused" "$(count sro_free 'reason=cache')" 0
expect_eq "REC_CREATE rounds" "$(count sro_op_end 'cmd=REC_CREATE status=0 rounds=5 ')" 1
check_books
emu "realm_destroy $r"
check_realm_gone $r

#!/bin/sh
# REC create/destroy as TF-RMM does it: DONATE 16 x 4 KiB non-contiguous
# delegated (X2 = 0x40), NONE, SUCCESS; destroy: RECLAIM of the 16 merged,
# NONE, SUCCESS. The events must show exactly that, granule for granule.
. ./lib/sro.sh
new_realm r
trace_start
emu "realm_create $r" "rtt_create $r 2" "rec_create $r 3"
expect_eq "held granules after 3 RECs" "$(truth held $r)" 48
expect_eq "host granules (RD + 2 RTT + 3 REC)" "$(truth host $r)" 6
emu "rec_destroy $r 3"
expect_eq "held after destroy" "$(truth held $r)" 0
trace_stop

expect_eq "donate requests" "$(count sro_donate_req 'req=0x40 ')" 3
expect_eq "SRO blocks donated" "$(count sro_donate 'purpose=sro')" 48
expect_eq "REC_CREATE ops" "$(count sro_op_start cmd=REC_CREATE)" 3
expect_eq "REC_CREATE rounds (DONATE, NONE)" "$(count sro_op_end 'cmd=REC_CREATE status=0 rounds=2 ')" 3
expect_eq "REC_DESTROY rounds (RECLAIM, NONE)" "$(count sro_op_end 'cmd=REC_DESTROY status=0 rounds=2 ')" 3
expect_eq "SRO blocks reclaimed" "$(count sro_reclaim 'purpose=sro')" 48
expect_eq "granules delegated for SRO (one call each)" "$(grep ' sro_delegate: delegate' /tmp/trace.txt | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^calls=/) n += substr($i, 7) } END { print n }')" 54
check_books
emu "realm_destroy $r"
expect_eq "realm $r held after destroy" "$(truth held $r)" 0
expect_eq "realm $r host granules after destroy" "$(truth host $r)" 0
expect_eq "delegated granules nobody owns" "$(truth delegated_free)" 0

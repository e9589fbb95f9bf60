#!/bin/sh
# Two realms with two RECs each, created and destroyed on both CPUs at
# once. Every REC create is the RMM's own request (one DONATE of 16 x 4 KiB
# delegated, non-contiguous blocks: RmiOpMemDonateReq 0x40), every REC
# destroy gives all 16 granules back, and sroscope trace sees exactly what
# tracefs sees.
. ./lib.sh
new_realm r1 r2
trace_start
scope json trace --json
on 0 "realm_create $r1" "rec_create $r1 2"
on 1 "realm_create $r2" "rec_create $r2 2"
on_wait
on 0 "rec_destroy $r1 2" "realm_destroy $r1"
on 1 "rec_destroy $r2 2" "realm_destroy $r2"
on_wait
scope_end json
trace_stop

expect_eq "REC creates ended SUCCESS" "$(count sro_op_end 'cmd=REC_CREATE status=0 ')" 4
expect_eq "REC destroys ended SUCCESS" "$(count sro_op_end 'cmd=REC_DESTROY status=0 ')" 4
expect_eq "requests: 16 x 4 KiB non-contiguous delegated" \
	"$(count sro_donate_req 'req=0x40 level=L3 block=4096 count=16 contig=0 state=delegated')" \
	"$(count sro_donate_req)"
expect_eq "REC donations" "$(count sro_donate 'size=4096 source=exact purpose=sro state=delegated')" 64
expect_eq "consumed by the RMM" "$(sum_field sro_donate_result consumed)" 64
expect_eq "reclaimed bytes" "$(sum_field sro_reclaim size 'purpose=sro')" $((64 * GRANULE))
expect_eq "REC creates on both CPUs" \
	"$(grep ' sro_op_start: ' /tmp/trace.txt | grep 'cmd=REC_CREATE' | awk '{ print $2 }' | sort -u | wc -l)" 2
expect_eq "no failure" "$(count sro_fail)" 0
check_accounted $r1 $r2
books_empty $r1
books_empty $r2

J=/tmp/json.out
for ev in op_start op_end donate_req alloc donate donate_result reclaim free delegate; do
	expect_eq "$ev events (sroscope vs tracefs)" "$(nj count $J event=$ev)" "$(count sro_$ev)"
done
expect_eq "REC_CREATE donations named" "$(nj count $J event=donate cmd=REC_CREATE)" 64
grep -q "^LOST" /tmp/json.err && fail "events lost: $(cat /tmp/json.err)"
true

#!/bin/sh
# With a one-descriptor reclaim list the RMM reclaims in as many rounds as
# it has merged runs of granules: REC_DESTROY takes (runs + 1) rounds.
. ./lib/sro.sh
new_realm r
echo 1 >"$SRO_PARAMS/reclaim_list"
trace_start
emu "realm_create $r" "rec_create $r 1" "rec_destroy $r 1"
trace_stop
echo 256 >"$SRO_PARAMS/reclaim_list"
runs=$(grep ' sro_reclaim: ' /tmp/trace.txt | grep 'purpose=sro' |
	sed 's/.* pa=\(0x[0-9a-f]*\) size=\([0-9]*\) .*/\1 \2/' |
	while read -r pa size; do echo "$((pa)) $size"; done |
	sort -n | awk '$1 != end { n++ } { end = $1 + $2 } END { print n }')
echo "merged runs: $runs"
expect_eq "REC_DESTROY rounds" "$(count sro_op_end "cmd=REC_DESTROY status=0 rounds=$((runs + 1)) ")" 1
check_books
emu "realm_destroy $r"
check_realm_gone $r

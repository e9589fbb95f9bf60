#!/bin/sh
# sroscope trace sees exactly what the kernel's own tracefs sees: the same
# number of events of every type, the same bytes donated and reclaimed,
# and per realm the bytes the emulated RMM says its realm world holds.
. ./lib/sro.sh
new_realm ra rb
trace_start
scope json trace --json
scope text trace -T
scope big trace --json -e donate,reclaim -m 2M
scope rb trace --json -R $rb
emu "realm_create $ra" "rec_create $ra 2" "pdev_create $ra" \
    "smmu_activate $ra 16" "smmu_st_l2_create $ra" "huge $ra 2097152" \
    "realm_create $rb" "rec_create $rb 1" "rec_destroy $ra 1" "fault undelegate_fail 1" \
    "rec_destroy $rb 1" "realm_destroy $rb"
scope_end json
scope_end text
scope_end big
scope_end rb
trace_stop

J=/tmp/json.out
expect_eq "NDJSON events" "$(nj_events $J)" "$(grep -c ' sro_[a-z_]*: ' /tmp/trace.txt)"
keep $J sroscope-trace.t-90.ndjson
for ev in op_start op_end donate_req alloc alloc_fail donate donate_result \
	  reclaim free leak delegate fail quarantine; do
	expect_eq "$ev events (sroscope vs tracefs)" "$(nj count $J event=$ev)" "$(count sro_$ev)"
done
expect_eq "text lines" "$(grep -c '^[0-9:]* *[0-9.]* ' /tmp/text.out)" "$(grep -c ' sro_[a-z_]*: ' /tmp/trace.txt)"
expect_eq "donated bytes" "$(nj sum $J size event=donate)" "$(books donated_bytes)"
expect_eq "reclaimed bytes" "$(nj sum $J size event=reclaim)" "$(books reclaimed_bytes)"
expect_eq "quarantined bytes (refused once, then freed)" "$(nj sum $J size event=quarantine)" "$((1 * GRANULE))"
expect_eq "freed after quarantine" "$(nj sum $J size event=free reason=quarantine)" "$((1 * GRANULE))"
expect_eq "leaked bytes" "$(nj sum $J size event=leak)" 0
for r in $ra $rb; do
	held=$(( $(nj sum $J size event=donate realm=$r) - $(nj sum $J size event=reclaim realm=$r) ))
	expect_eq "realm $r held bytes (sroscope vs emulator)" "$held" \
		"$(( ($(truth held $r) + $(truth host $r)) * GRANULE ))"
done
expect_eq "REC_CREATE donations named" "$(nj count $J event=donate cmd=REC_CREATE)" 48
expect_eq "-m 2M: only the 2 MiB block and the stream table" "$(nj_events /tmp/big.out)" \
	"$(grep ' sro_donate: \| sro_reclaim: ' /tmp/trace.txt | grep -c 'size=2097152')"
expect_eq "-R $rb: realm $rb's events only" "$(nj_events /tmp/rb.out)" "$(nj count $J realm=$rb)"
expect_eq "-R $rb: no other realm" "$(nj count /tmp/rb.out realm=$ra)" 0
grep -q "^LOST" /tmp/json.err && fail "events lost: $(cat /tmp/json.err)"
check_books
emu "realm_destroy $ra"

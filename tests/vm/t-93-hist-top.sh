#!/bin/sh
# sroscope hist counts every request, block and lifetime the kernel
# traced; sroscope top shows per realm what the emulated RMM holds.
. ./lib/sro.sh

# hist_count FILE TITLE: the event count of histogram TITLE.
hist_count() {
	awk -v t="$2" '$0 == t { on = 1; next }
		on && /^\(no events\)/ { print 0; exit }
		on && /^count / { sub(",", "", $2); print $2; exit }' "$1"
}

new_realm ra rb
trace_start
scope h hist
scope top top -C 1
emu "realm_create $ra" "rec_create $ra 2" "smmu_activate $ra 16" "pdev_create $ra 5" \
    "huge $ra 2097152" "realm_create $rb" "rec_create $rb 1" "rec_destroy $rb 1" \
    "fault partial 2" "rec_create $rb 1"
sleep 2
scope_end h
scope_end top
trace_stop
H=/tmp/h.out
expect_eq "non-contiguous requests" "$(hist_count $H 'Donate request size (non-contiguous)')" \
	"$(count sro_donate_req 'contig=0')"
expect_eq "contiguous requests" "$(hist_count $H 'Donate request size (contiguous)')" \
	"$(count sro_donate_req 'contig=1')"
expect_eq "allocated blocks (order)" "$(hist_count $H 'Allocated block order')" "$(count sro_alloc)"
expect_eq "operations" "$(hist_count $H 'SRO operation duration')" "$(count sro_op_end)"
expect_eq "allocation latencies (exact)" "$(hist_count $H 'Allocation latency, source exact')" \
	"$(count sro_alloc 'source=exact')"
expect_eq "lifetimes (exact)" "$(hist_count $H 'Donation lifetime, source exact')" \
	"$(count sro_reclaim 'source=exact')"
grep -q "^Allocated block order" $H || fail "no order histogram"
# The 2 MiB block is order 9.
grep -q "^ *9 : 1 " $H || fail "order 9 bucket: $(grep -A12 '^Allocated block order' $H)"

# top: the last view, one row per realm, HELD as the emulator says.
T=/tmp/top.out
last=$(grep -n '^sroscope top:' $T | tail -1 | cut -d: -f1)
tail -n +"$last" $T >/tmp/top.last
cat /tmp/top.last
for r in $ra $rb; do
	want=$(human $(( ($(truth held $r) + $(truth host $r)) * GRANULE )))
	got=$(awk -v r=$r '$1 == r { print $2, $3 }' /tmp/top.last)
	expect_eq "top: realm $r held" "$got" "$want"
done
# The VMM column, from the kernel's accounts: this shell made the realms.
expect_eq "top: realm $ra's VMM" "$(awk -v r=$ra '$1 == r { print $NF }' /tmp/top.last)" \
	"$(cat /proc/$$/comm)[$$]"
expect_eq "top: realm $ra ranks first" "$(awk '$1 == "REALM" { getline; print $1 }' /tmp/top.last)" "$ra"
grep -q "^sroscope top: 2 realms" /tmp/top.last || fail "top header"
check_books
emu "realm_destroy $ra" "realm_destroy $rb"

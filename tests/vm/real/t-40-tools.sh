#!/bin/sh
# sroscope top, hist and export on the real RMM, started before realms
# take RECs: they answer, and agree with each other and with the kernel's
# own books (sro/stats).
. ./lib.sh
M=/tmp/export.prom
new_realm ra rb
scope h hist
scope top top -C 1
scope ex export
host "realm_create $ra" "rec_create $ra 2" "realm_create $rb" "rec_create $rb 1"
sleep 2
wget -q -O $M http://127.0.0.1:29435/metrics || fail "scrape failed"
scope_end h
scope_end top
scope_end ex
last=$(grep -n '^sroscope top:' /tmp/top.out | tail -1 | cut -d: -f1)
tail -n +"$last" /tmp/top.out >/tmp/top.last
cat /tmp/top.last
for r in $ra $rb; do
	want=$(awk -v r="$r" '$1 == "realm" && $2 == r && $3 == "held_bytes" { print $4 }' "$SRO_STATS")
	[ -n "$want" ] || fail "realm $r: no held bytes in the kernel's stats"
	got=$(awk -v r="$r" 'index($1, "sroscope_held_bytes{realm=\"" r "\",") == 1 { n += $2 } END { print n + 0 }' $M)
	expect_eq "realm $r held bytes (export vs kernel)" "$got" "$want"
	expect_eq "realm $r held (top vs kernel)" "$(awk -v r="$r" '$1 == r { print $2, $3 }' /tmp/top.last)" "$(human "$want")"
done
expect_eq "top: realm $ra ranks first" "$(awk '$1 == "REALM" { getline; print $1 }' /tmp/top.last)" "$ra"
expect_eq "hist: the RMM's three requests" \
	"$(awk '$0 == "Donate request size (non-contiguous)" { on = 1; next }
		on && /^count / { sub(",", "", $2); print $2; exit }' /tmp/h.out)" 3
host "realm_destroy $ra" "realm_destroy $rb"
books_empty $ra
books_empty $rb

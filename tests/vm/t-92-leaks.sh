#!/bin/sh
# sroscope leaks against the emulated RMM's ground truth, across every
# fault mode: each destroyed realm's unreturned bytes are exactly what the
# RMM kept, the memory the host gave up is exactly the undelegations
# refused, realms that returned everything are not reported, and live
# realms' holdings are exact.
. ./lib/sro.sh
# One realm per fault mode, in this order (reports list realms by id).
new_realm partial zero failkeep racing leak3 refused delfail oneway leak20 live text small
# Refused undelegations are given up at once (the kernel's quarantine
# and its retries are t-45's).
refusals_final on
scope lk leaks --json -a 0
scope st leaks --json -a 0 --stacks
emu "realm_create $partial" "fault partial 3" "rec_create $partial 1" "realm_destroy $partial" \
    "realm_create $zero" "fault zero 1" "rec_create $zero 1" "realm_destroy $zero" \
    "realm_create $failkeep" "fault fail_keep 1"
emu_fails "rec_create $failkeep 1"
emu "realm_destroy $failkeep" \
    "realm_create $racing" "rec_create $racing 2" "fault racing_keep 1" "rec_destroy $racing 1" "realm_destroy $racing" \
    "realm_create $leak3" "rec_create $leak3 2" "pdev_create $leak3" "leak $leak3 3" "realm_destroy $leak3" \
    "realm_create $refused" "rec_create $refused 1" "fault undelegate_fail 2" "rec_destroy $refused 1" "realm_destroy $refused" \
    "realm_create $delfail" "fault delegate_fail 1"
emu_fails "rec_create $delfail 1"
emu "realm_destroy $delfail" \
    "realm_create $oneway" "oneway $oneway 8" "rec_create $oneway 1" "realm_destroy $oneway" \
    "realm_create $leak20" "rec_create $leak20 1" "pdev_create $leak20 5" "leak $leak20 20" "realm_destroy $leak20" \
    "realm_create $live" "rec_create $live 1" "pdev_create $live"
scope_end lk
scope_end st
keep /tmp/lk.out sroscope-leaks.t-92.json
keep /tmp/st.out sroscope-leaks.t-92-stacks.json
refusals_final off
R=/tmp/lk.out
expect_eq "report reliable" "$(nj get $R reliable)" true
n=$(nj len $R destroyed)
got=""
i=0
while [ $i -lt "$n" ]; do
	r=$(nj get $R destroyed.$i.realm)
	got="$got $r"
	expect_eq "realm $r unreturned bytes (report vs emulator)" \
		"$(nj get $R destroyed.$i.unreturned_bytes)" "$(( $(truth held $r) * GRANULE ))"
	expect_eq "realm $r return" "$(nj get $R destroyed.$i.returned)" \
		partial
	i=$((i + 1))
done
# Exactly the realms the emulator says kept memory: no leak missed, none invented.
want=""
for r in $partial $zero $failkeep $racing $leak3 $refused $delfail $oneway $leak20; do
	[ "$(truth held $r)" != 0 ] && want="$want $r"
done
expect_eq "realms reported as not returning memory" "$got" "$want"
expect_eq "realms that kept memory ($leak3, $oneway, $leak20)" "$want" " $leak3 $oneway $leak20"
expect_eq "total unreturned bytes" "$(nj get $R unreturned_bytes)" "$(( (3 + 8 + 20) * GRANULE ))"
expect_eq "given up: realm" "$(nj get $R given_up.0.realm)" "$refused"
expect_eq "given up: bytes" "$(nj get $R given_up.0.bytes)" "$((2 * GRANULE))"
expect_eq "given up: one realm" "$(nj len $R given_up)" 1
expect_eq "live realm $live held (report vs emulator)" "$(nj get $R held_over_age_bytes)" \
	"$(( ($(truth held $live) + $(truth host $live)) * GRANULE ))"

# With --stacks: the same books, and the kernel stack that donated.
expect_eq "--stacks: total unreturned bytes" "$(nj get /tmp/st.out unreturned_bytes)" "$(nj get $R unreturned_bytes)"
expect_eq "--stacks: stacks lost" "$(nj get /tmp/st.out losses.stacks_lost)" 0
stack=$(nj get /tmp/st.out destroyed.0.by_op.0.stack)
echo "$stack" | grep -q '^\["rmi_mem_donated+' || fail "the stack does not start at the provider: $stack"
echo "$stack" | grep -q '"emu_ctl_write+' || fail "no emulator frame in the donating stack: $stack"
echo "ok: realm $(nj get /tmp/st.out destroyed.0.realm) kept memory donated from: $(echo "$stack" | cut -c1-200)"

# The text report says the same.
scope txt leaks -a 0
emu "realm_create $text" "rec_create $text 1" "leak $text 2" "realm_destroy $text"
scope_end txt
cat /tmp/txt.out
grep -q "^Not returned at realm destroy: 8.0 KiB" /tmp/txt.out || fail "text report: unreturned"
grep -q "^  $text .* partial" /tmp/txt.out || fail "text report: realm $text"
grep -q "complete" /tmp/txt.out || fail "text report: reliability"
emu "realm_destroy $live"

# A map too small for the workload: the report must not claim to be
# complete, and must say why.
scope small leaks --json -a 0 --max-donations 8
scope smalltxt leaks -a 0 --max-donations 8
emu "realm_create $small" "rec_create $small 1" "leak $small 2" "realm_destroy $small"
scope_end small
scope_end smalltxt
expect_eq "full map: report reliable" "$(nj get /tmp/small.out reliable)" false
[ "$(nj get /tmp/small.out losses.outstanding_full)" -gt 0 ] || fail "no map-full loss counted"
grep -q "UNRELIABLE" /tmp/smalltxt.out || fail "the text report does not say it is unreliable"
grep -q "^LOST: .* donations not tracked (map full)" /tmp/smalltxt.out || fail "the text report does not say what was lost"
echo "ok: $(grep '^LOST' /tmp/smalltxt.out)"

#!/bin/sh
# sroscope leaks against the emulated RMM's ground truth, across every
# fault mode: each destroyed realm's unreturned bytes are exactly what the
# RMM kept, the memory the host gave up is exactly the undelegations
# refused, realms that returned everything are not reported, and live
# realms' holdings are exact.
. ./lib/sro.sh
# Realm 50's refused undelegations are given up at once (the kernel's
# quarantine and its retries are t-45's).
refusals_final on
scope lk leaks --json -a 0
scope st leaks --json -a 0 --stacks
emu "realm_create 45" "fault partial 3" "rec_create 45 1" "realm_destroy 45" \
    "realm_create 46" "fault zero 1" "rec_create 46 1" "realm_destroy 46" \
    "realm_create 47" "fault fail_keep 1"
emu_fails "rec_create 47 1"
emu "realm_destroy 47" \
    "realm_create 48" "rec_create 48 2" "fault racing_keep 1" "rec_destroy 48 1" "realm_destroy 48" \
    "realm_create 49" "rec_create 49 2" "pdev_create 49" "leak 49 3" "realm_destroy 49" \
    "realm_create 50" "rec_create 50 1" "fault undelegate_fail 2" "rec_destroy 50 1" "realm_destroy 50" \
    "realm_create 51" "fault delegate_fail 1"
emu_fails "rec_create 51 1"
emu "realm_destroy 51" \
    "realm_create 52" "oneway 52 8" "rec_create 52 1" "realm_destroy 52" \
    "realm_create 53" "rec_create 53 1" "pdev_create 53 5" "leak 53 20" "realm_destroy 53" \
    "realm_create 54" "rec_create 54 1" "pdev_create 54"
scope_end lk
scope_end st
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
for r in 45 46 47 48 49 50 51 52 53; do
	[ "$(truth held $r)" != 0 ] && want="$want $r"
done
expect_eq "realms reported as not returning memory" "$got" "$want"
expect_eq "realms that kept memory (49, 52, 53)" "$want" " 49 52 53"
expect_eq "total unreturned bytes" "$(nj get $R unreturned_bytes)" "$(( (3 + 8 + 20) * GRANULE ))"
expect_eq "given up: realm" "$(nj get $R given_up.0.realm)" 50
expect_eq "given up: bytes" "$(nj get $R given_up.0.bytes)" "$((2 * GRANULE))"
expect_eq "given up: one realm" "$(nj len $R given_up)" 1
expect_eq "live realm 54 held (report vs emulator)" "$(nj get $R held_over_age_bytes)" \
	"$(( ($(truth held 54) + $(truth host 54)) * GRANULE ))"

# With --stacks: the same books, and the kernel stack that donated.
expect_eq "--stacks: total unreturned bytes" "$(nj get /tmp/st.out unreturned_bytes)" "$(nj get $R unreturned_bytes)"
expect_eq "--stacks: stacks lost" "$(nj get /tmp/st.out losses.stacks_lost)" 0
stack=$(nj get /tmp/st.out destroyed.0.by_op.0.stack)
echo "$stack" | grep -q '^\["rmi_mem_donated+' || fail "the stack does not start at the provider: $stack"
echo "$stack" | grep -q '"emu_ctl_write+' || fail "no emulator frame in the donating stack: $stack"
echo "ok: realm $(nj get /tmp/st.out destroyed.0.realm) kept memory donated from: $(echo "$stack" | cut -c1-200)"

# The text report says the same.
scope txt leaks -a 0
emu "realm_create 55" "rec_create 55 1" "leak 55 2" "realm_destroy 55"
scope_end txt
cat /tmp/txt.out
grep -q "^Not returned at realm destroy: 8.0 KiB" /tmp/txt.out || fail "text report: unreturned"
grep -q "^  55 .* partial" /tmp/txt.out || fail "text report: realm 55"
grep -q "complete" /tmp/txt.out || fail "text report: reliability"
emu "realm_destroy 54"

# A map too small for the workload: the report must not claim to be
# complete, and must say why.
scope small leaks --json -a 0 --max-donations 8
scope smalltxt leaks -a 0 --max-donations 8
emu "realm_create 58" "rec_create 58 1" "leak 58 2" "realm_destroy 58"
scope_end small
scope_end smalltxt
expect_eq "full map: report reliable" "$(nj get /tmp/small.out reliable)" false
[ "$(nj get /tmp/small.out losses.outstanding_full)" -gt 0 ] || fail "no map-full loss counted"
grep -q "UNRELIABLE" /tmp/smalltxt.out || fail "the text report does not say it is unreliable"
grep -q "^LOST: .* donations not tracked (map full)" /tmp/smalltxt.out || fail "the text report does not say what was lost"
echo "ok: $(grep '^LOST' /tmp/smalltxt.out)"

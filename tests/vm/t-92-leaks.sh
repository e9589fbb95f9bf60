#!/bin/sh
# sroscope leaks against the emulated RMM's ground truth, across every
# fault mode: each destroyed realm's unreturned bytes are exactly what the
# RMM kept, the memory the host gave up is exactly the undelegations
# refused, realms that returned everything are not reported, and live
# realms' holdings are exact.
. ./lib/sro.sh
scope lk leaks --json -a 0
scope st leaks --json -a 0 --stacks
emu "realm_create 30" "fault partial 3" "rec_create 30 1" "realm_destroy 30" \
    "realm_create 31" "fault zero 1" "rec_create 31 1" "realm_destroy 31" \
    "realm_create 32" "fault fail_keep 1"
emu_fails "rec_create 32 1"
emu "realm_destroy 32" \
    "realm_create 33" "rec_create 33 2" "fault racing_keep 1" "rec_destroy 33 1" "realm_destroy 33" \
    "realm_create 34" "rec_create 34 2" "pdev_create 34" "leak 34 3" "realm_destroy 34" \
    "realm_create 35" "rec_create 35 1" "fault undelegate_fail 2" "rec_destroy 35 1" "realm_destroy 35" \
    "realm_create 36" "fault delegate_fail 1"
emu_fails "rec_create 36 1"
emu "realm_destroy 36" \
    "realm_create 37" "oneway 37 8" "rec_create 37 1" "realm_destroy 37" \
    "realm_create 38" "rec_create 38 1" "pdev_create 38 5" "leak 38 20" "realm_destroy 38" \
    "realm_create 39" "rec_create 39 1" "pdev_create 39"
scope_end lk
scope_end st
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
for r in 30 31 32 33 34 35 36 37 38; do
	[ "$(truth held $r)" != 0 ] && want="$want $r"
done
expect_eq "realms reported as not returning memory" "$got" "$want"
expect_eq "realms that kept memory (34, 37, 38)" "$want" " 34 37 38"
expect_eq "total unreturned bytes" "$(nj get $R unreturned_bytes)" "$(( (3 + 8 + 20) * GRANULE ))"
expect_eq "given up: realm" "$(nj get $R given_up.0.realm)" 35
expect_eq "given up: bytes" "$(nj get $R given_up.0.bytes)" "$((2 * GRANULE))"
expect_eq "given up: one realm" "$(nj len $R given_up)" 1
expect_eq "live realm 39 held (report vs emulator)" "$(nj get $R held_over_age_bytes)" \
	"$(( ($(truth held 39) + $(truth host 39)) * GRANULE ))"

# With --stacks: the same books, and the kernel stack that donated.
expect_eq "--stacks: total unreturned bytes" "$(nj get /tmp/st.out unreturned_bytes)" "$(nj get $R unreturned_bytes)"
expect_eq "--stacks: stacks lost" "$(nj get /tmp/st.out losses.stacks_lost)" 0
stack=$(nj get /tmp/st.out destroyed.0.by_op.0.stack)
echo "$stack" | grep -q '^\["rmi_mem_donated+' || fail "the stack does not start at the provider: $stack"
echo "$stack" | grep -q '"emu_ctl_write+' || fail "no emulator frame in the donating stack: $stack"
echo "ok: realm $(nj get /tmp/st.out destroyed.0.realm) kept memory donated from: $(echo "$stack" | cut -c1-200)"

# The text report says the same.
scope txt leaks -a 0
emu "realm_create 40" "rec_create 40 1" "leak 40 2" "realm_destroy 40"
scope_end txt
cat /tmp/txt.out
grep -q "^Not returned at realm destroy: 8.0 KiB" /tmp/txt.out || fail "text report: unreturned"
grep -q "^  40 .* partial" /tmp/txt.out || fail "text report: realm 40"
grep -q "complete" /tmp/txt.out || fail "text report: reliability"
emu "realm_destroy 39"

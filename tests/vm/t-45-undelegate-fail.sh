#!/bin/sh
# The RMM refuses to undelegate two reclaimed blocks. The host quarantines
# them: they stay in its books, nothing frees or reuses them, and they are
# tried again after a backoff and freed once the RMM lets go. With no
# retries allowed (quarantine_tries 0) they are given up for good
# (sro_leak), still never freed back to the allocator.
. ./lib/sro.sh
new_realm r q
base_free=$(truth delegated_free)
base_leak=$(stat leaked_bytes)
base_qfreed=$(stat quarantine_freed_bytes)
base_retries=$(stat quarantine_retries)
trace_start
emu "realm_create $r" "rec_create $r 1" "fault undelegate_fail 2" "rec_destroy $r 1"
quarantine_settled
trace_stop
expect_eq "sro_quarantine events (first refusals)" "$(count sro_quarantine 'tries=0')" 2
expect_eq "quarantined bytes traced" "$(sum_field sro_quarantine size)" $((2 * GRANULE))
expect_eq "freed after quarantine" "$(count sro_free 'reason=quarantine')" 2
expect_eq "quarantine freed bytes" "$(( $(stat quarantine_freed_bytes) - base_qfreed ))" $((2 * GRANULE))
[ "$(( $(stat quarantine_retries) - base_retries ))" -ge 2 ] || fail "no retries counted"
expect_eq "sro_leak events" "$(count sro_leak)" 0
expect_eq "leaked bytes (stats)" "$(( $(stat leaked_bytes) - base_leak ))" 0
expect_eq "delegated granules left behind" "$(( $(truth delegated_free) - base_free ))" 0
check_books

emu "realm_destroy $r"
check_realm_gone $r

# No retries: given up at the first refusal.
refusals_final on
trace_start
emu "realm_create $q" "rec_create $q 1" "fault undelegate_fail 2" "rec_destroy $q 1"
trace_stop
refusals_final off
expect_eq "sro_leak events" "$(count sro_leak)" 2
expect_eq "no quarantine" "$(count sro_quarantine)" 0
expect_eq "leaked bytes (stats)" "$(( $(stat leaked_bytes) - base_leak ))" $((2 * GRANULE))
expect_eq "delegated granules the host gave up" "$(( $(truth delegated_free) - base_free ))" 2
expect_eq "books: leaked bytes" "$(books leaked_bytes)" $((2 * GRANULE))
check_books
emu "realm_destroy $q"
check_realm_gone $q

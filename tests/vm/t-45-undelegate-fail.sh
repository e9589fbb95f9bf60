#!/bin/sh
# The RMM refuses to undelegate two reclaimed blocks: the host must give
# them up for good (sro_leak), never free them back to the allocator.
. ./lib/sro.sh
base_free=$(truth delegated_free)
base_leak=$(stat leaked_bytes)
trace_start
emu "realm_create 8" "rec_create 8 1" "fault undelegate_fail 2" "rec_destroy 8 1"
trace_stop
expect_eq "sro_leak events" "$(count sro_leak)" 2
expect_eq "leaked bytes (stats)" "$(( $(stat leaked_bytes) - base_leak ))" $((2 * GRANULE))
expect_eq "delegated granules the host gave up" "$(( $(truth delegated_free) - base_free ))" 2
expect_eq "books: leaked bytes" "$(books leaked_bytes)" $((2 * GRANULE))
check_books
emu "realm_destroy 8"
check_realm_gone 8

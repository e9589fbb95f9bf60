#!/bin/sh
# Contiguous requests: 2 MiB (one L2 block) is within MAX_PAGE_ORDER and
# served; 8 MiB is not: alloc_pages_exact cannot, the failure is traced
# as too_large and the cancellable operation is cancelled, nothing held.
. ./lib/sro.sh
trace_start
emu "realm_create 11" "huge 11 2097152"
emu_fails "huge 11 8388608"
expect_eq "held granules" "$(truth held 11)" 512
trace_stop
expect_eq "2 MiB as one L2 block" "$(count sro_donate_req 'level=L2 block=2097152 count=1 contig=1')" 1
expect_eq "8 MiB as four L2 blocks" "$(count sro_donate_req 'level=L2 block=2097152 count=4 contig=1')" 1
expect_eq "too_large failure" "$(count sro_fail 'reason=too_large arg=0x800000')" 1
expect_eq "cancelled op" "$(count sro_op_end 'cancelled=1')" 1
check_books
emu "realm_destroy 11"
check_realm_gone 11

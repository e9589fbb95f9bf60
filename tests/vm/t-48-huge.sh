#!/bin/sh
# Contiguous requests with no policy loaded: 2 MiB (one L2 block) is within
# MAX_PAGE_ORDER and served by alloc_pages_exact; 8 MiB and 16 MiB are
# above it and served by alloc_contig_pages, the kernel's own order, with
# no failure traced. All of it comes back at destroy.
. ./lib/sro.sh
new_realm r
expect_eq "no policy" "$(cat "$POOL/policy")" default
trace_start
emu "realm_create $r" "huge $r 2097152" "huge $r 8388608" "huge $r 16777216"
expect_eq "held granules" "$(truth held $r)" $(( (2 + 8 + 16) * 256 ))
trace_stop
expect_eq "2 MiB as one L2 block" "$(count sro_donate_req 'level=L2 block=2097152 count=1 contig=1')" 1
expect_eq "8 MiB as four L2 blocks" "$(count sro_donate_req 'level=L2 block=2097152 count=4 contig=1')" 1
expect_eq "16 MiB as eight L2 blocks" "$(count sro_donate_req 'level=L2 block=2097152 count=8 contig=1')" 1
expect_eq "2 MiB from exact" "$(count sro_alloc 'size=2097152 order=9 source=exact')" 1
expect_eq "8 MiB from contig" "$(count sro_alloc 'size=8388608 order=11 source=contig')" 1
expect_eq "16 MiB from contig" "$(count sro_alloc 'size=16777216 order=12 source=contig')" 1
expect_eq "nothing failed" "$(count sro_fail)" 0
expect_eq "nothing cancelled" "$(count sro_op_end 'cancelled=1')" 0
check_books
emu "realm_destroy $r"
check_realm_gone $r
expect_eq "source contig out bytes" "$(stat source contig out_bytes)" 0

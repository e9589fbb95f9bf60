#!/bin/sh
# SMMU activate: a contiguous stream table sized by the SID bits (2 x 4 KiB
# at 16 bits, one 2 MiB L2 block at 24 bits), then command and event
# queues; an SMMU L2 table; devices of 3 and 72 granules. Realm destroy
# hands it all back.
. ./lib/sro.sh
new_realm r
trace_start
emu "realm_create $r" "smmu_activate $r 16" "smmu_activate $r 24" \
    "smmu_st_l2_create $r" "pdev_create $r" "pdev_create $r 72"
expect_eq "held granules" "$(truth held $r)" $((2 + 1 + 1 + 512 + 1 + 1 + 1 + 3 + 72))
emu "realm_destroy $r"
trace_stop
expect_eq "8 KiB stream table: L3 x2 contig" "$(count sro_donate_req 'level=L3 block=4096 count=2 contig=1')" 1
expect_eq "2 MiB stream table: one L2 block" "$(count sro_donate_req 'level=L2 block=2097152 count=1 contig=1')" 1
expect_eq "queues and L2 table: L3 x1 contig" "$(count sro_donate_req 'level=L3 block=4096 count=1 contig=1')" 5
expect_eq "device of 3 granules" "$(count sro_donate_req 'count=3 contig=0')" 1
expect_eq "device of 72 granules" "$(count sro_donate_req 'count=72 contig=0')" 1
check_books
expect_eq "held after destroy" "$(truth held $r)" 0
expect_eq "delegated granules nobody owns" "$(truth delegated_free)" 0

#!/bin/sh
# NONE-only yields: RTT_DATA_MAP with 3 NONE rounds, no memory requested.
. ./lib/sro.sh
new_realm r
base=$(truth none_yields)
trace_start
emu "realm_create $r" "none_rounds 3" "data_map $r 2" "none_rounds 0"
trace_stop
expect_eq "DATA_MAP ops with 3 rounds" "$(count sro_op_end 'cmd=RTT_DATA_MAP status=0 rounds=3 ')" 2
expect_eq "NONE yields" "$(( $(truth none_yields) - base ))" 6
expect_eq "data granules delegated by the host" "$(count sro_donate 'purpose=data')" 2
check_books
emu "realm_destroy $r"
check_realm_gone $r

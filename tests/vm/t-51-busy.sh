#!/bin/sh
# RMI_BUSY and RMI_BLOCKED (TF-RMM: another CPU holds what the command
# needs, or every operation slot is taken) change nothing in the RMM: the
# host issues the same call again, counted in busy_retries, and the
# operation ends as if the RMM had never been busy. Before the host has
# brought the RMM up (version, features, config, activation) every realm
# call is refused; the boot did it, activation through the executor.
. ./lib/sro.sh
new_realm r
fired() {
	awk -v f="$1" '$1 == "fault" && $2 == f { print $6 }' "$EMU/state"
}
expect_eq "RMM activated at boot" "$(dmesg | grep -c 'arm_rmm: RMM active, RMI 2.0')" 1
trace_start
busy=$(stat busy_retries)
b0=$(fired busy) k0=$(fired blocked)
emu "realm_create $r" "fault busy 3" "rec_create $r 1" "fault blocked 5" "rec_create $r 1"
expect_eq "calls issued again" "$(( $(stat busy_retries) - busy ))" 8
expect_eq "faults fired" "$(( $(fired busy) - b0 )) $(( $(fired blocked) - k0 ))" "3 5"
emu "fault busy 2" "fault blocked 2" "rec_destroy $r 2"
trace_stop
expect_eq "calls issued again" "$(( $(stat busy_retries) - busy ))" 12
expect_eq "REC creates ended SUCCESS" "$(count sro_op_end 'cmd=REC_CREATE status=0 ')" 2
expect_eq "REC destroys ended SUCCESS" "$(count sro_op_end 'cmd=REC_DESTROY status=0 ')" 2
expect_eq "no failure traced" "$(count sro_fail)" 0
check_books
emu "realm_destroy $r"
check_realm_gone $r

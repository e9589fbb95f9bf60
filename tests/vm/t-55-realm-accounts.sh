#!/bin/sh
# The kernel's own per-realm accounts (/sys/kernel/sro), kept with no tool
# running: what each realm holds, gave back and lost, and the process
# that created it. A clean teardown leaves nothing; a teardown that keeps
# memory, and memory the RMM never lets the host undelegate, stay as
# leaks. Then sroscope export, started only afterwards, shows the leaks
# and names the VMM (process, cgroup, systemd unit) that created them.
. ./lib/sro.sh
K=/sys/kernel/sro
M=/tmp/accounts.prom
CG=/sys/fs/cgroup
UNIT=sro-vmm-test.service
new_realm clean kept lost

acct() { cat "$K/realms/$2/$1"; }
metric() { awk -v k="$1" '$1 == k { print $2 }' "$M"; }

for f in held_bytes donated_bytes returned_bytes given_up_bytes quarantined_bytes realms_untracked; do
	[ -r "$K/$f" ] || fail "no $K/$f"
done
given_up0=$(cat "$K/given_up_bytes")

# A realm created by this shell: the emulator's realms belong to the
# process that asked for them.
emu "realm_create $clean" "rec_create $clean 4"
[ -d "$K/realms/$clean" ] || fail "no $K/realms/$clean"
expect_eq "realm $clean: owner pid" "$(acct owner_pid $clean)" $$
expect_eq "realm $clean: owner comm" "$(acct owner_comm $clean)" "$(cat /proc/$$/comm)"
expect_eq "realm $clean: gone" "$(acct gone $clean)" 0
expect_eq "realm $clean: held (accounts vs RMM)" "$(acct held_bytes $clean)" \
	$((($(truth host $clean) + $(truth held $clean)) * GRANULE))
expect_eq "realm $clean: held (accounts vs sro/stats)" "$(acct held_bytes $clean)" \
	"$(stat "realm $clean held_bytes")"
emu "rec_destroy $clean 4" "realm_destroy $clean"
[ -d "$K/realms/$clean" ] && fail "realm $clean: gone and settled, yet $K/realms/$clean is still there"

# A VMM in a systemd-like unit: its own cgroup (v2, mounted here).
grep -q " $CG cgroup2 " /proc/mounts || mount -t cgroup2 none "$CG" || fail "cannot mount cgroup2"
mkdir -p "$CG/$UNIT" || fail "cannot make cgroup $UNIT"
sh -c "echo \$\$ >$CG/$UNIT/cgroup.procs && echo 'realm_create $kept' >$EMU/ctl && echo \$\$ >/tmp/vmm.pid" ||
	fail "the VMM stand-in could not create realm $kept"
vmm=$(cat /tmp/vmm.pid)
cgid=$(ls -di "$CG/$UNIT" | awk '{ print $1 }')
expect_eq "realm $kept: owner pid" "$(acct owner_pid $kept)" "$vmm"
expect_eq "realm $kept: owner cgroup" "$(acct owner_cgroup $kept)" "$cgid"
# Its teardown keeps 3 granules: a leak, with nothing tracing.
emu "rec_create $kept 2" "leak $kept 3" "realm_destroy $kept"
expect_eq "realm $kept: gone" "$(acct gone $kept)" 1
expect_eq "realm $kept: held after destroy (accounts vs RMM)" "$(acct held_bytes $kept)" \
	$(($(truth leaked $kept) * GRANULE))
expect_eq "realm $kept: kept granules" "$(truth leaked $kept)" 3

# Memory the RMM never lets go: given up at once (no retries).
refusals_final on
emu "realm_create $lost" "rec_create $lost 1" "fault undelegate_fail 2" "rec_destroy $lost 1"
refusals_final off
lost_bytes=$(acct given_up_bytes $lost)
expect_eq "realm $lost: given up" "$lost_bytes" $((2 * GRANULE))
expect_eq "given up in all (totals)" "$(cat "$K/given_up_bytes")" $((given_up0 + lost_bytes))
emu "realm_destroy $lost"
expect_eq "realm $lost: gone, kept for what it lost" "$(acct gone $lost)" 1

# The exporter, started after all that: the kernel's accounts are whole.
scope ex export -l 127.0.0.1:29440
wget -q -O "$M" "http://127.0.0.1:29440/metrics" || fail "scrape failed"
scope_end ex
expect_eq "accounts read" "$(metric sroscope_kernel_realm_accounts_up)" 1
expect_eq "realm $kept: held (metric)" "$(metric "sroscope_kernel_realm_held_bytes{realm=\"$kept\"}")" \
	$((3 * GRANULE))
expect_eq "realm $kept: gone (metric)" "$(metric "sroscope_kernel_realm_gone{realm=\"$kept\"}")" 1
expect_eq "realm $lost: given up (metric)" \
	"$(metric "sroscope_kernel_realm_given_up_bytes_total{realm=\"$lost\"}")" "$lost_bytes"
info="sroscope_realm_info{realm=\"$kept\",pid=\"$vmm\",comm=\"sh\",cgroup=\"/$UNIT\",unit=\"$UNIT\"}"
expect_eq "realm $kept: its VMM named (metric)" "$(metric "$info")" 1
grep -q "sroscope_kernel_realm_held_bytes{realm=\"$clean\"}" "$M" &&
	fail "realm $clean settled, yet it has a series"

# sroscope leaks, also started afterwards, names the VMM of each leak.
out=$(sroscope leaks 1 1 2>&1) || fail "sroscope leaks failed: $out"
echo "$out" | grep -q "^  $kept  *destroyed  *12.0 KiB  *0 B$" ||
	fail "leaks does not list realm $kept's kept memory: $out"
echo "$out" | grep -q "VMM pid $vmm (sh), unit $UNIT, cgroup /$UNIT$" ||
	fail "leaks does not name realm $kept's VMM: $out"
out=$(sroscope leaks --json 1 1) || fail "sroscope leaks --json failed"
echo "$out" | grep -q "\"unit\": *\"$UNIT\"" || fail "leaks --json names no unit: $out"

# A bound on the series: with one, the rest are summed as "other".
scope ex1 export -l 127.0.0.1:29441 --realm-series 1
wget -q -O "$M" "http://127.0.0.1:29441/metrics" || fail "scrape failed"
scope_end ex1
expect_eq "series with --realm-series 1" "$(grep -c '^sroscope_kernel_realm_held_bytes{realm="[0-9]' "$M")" 1
grep -q '^sroscope_kernel_realm_held_bytes{realm="other"}' "$M" || fail "no realm=\"other\" series"
echo "PASS"

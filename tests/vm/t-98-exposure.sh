#!/bin/sh
# What the SRO code and sroscope expose, and to whom: the emulator's
# control file is root's to write only and its state root's to read, the
# kernel's counters root's; the policy's pin lives in a directory only
# root can enter, the pin itself 0600. (That the emulator is its own
# Kconfig option, off unless asked for, tests/host/t-kconfig.sh checks.)
. ./lib/sro.sh
mode() { ls -ld "$1" | cut -c1-10; }
expect_eq "emulator ctl: root writes only" "$(mode "$EMU/ctl")" --w-------
expect_eq "emulator state: root reads only" "$(mode "$EMU/state")" -r--------
expect_eq "sro/stats: root reads only" "$(mode "$SRO_STATS")" -r--------
expect_eq "debugfs: root only" "$(mode /sys/kernel/debug)" drwx------
policy load exact
expect_eq "pin directory" "$(mode /sys/fs/bpf/sroscope)" drwx------
expect_eq "policy pin" "$(mode /sys/fs/bpf/sroscope/policy)" -rw-------
policy unload

# The control file's parser (fuzzed in user space: fuzz_emu_ctl) refuses,
# in the kernel too, what it cannot run: unknown words, wrong argument
# counts, junk numbers, realm ids out of range, any number over its
# ceiling (none clamped or truncated).
new_realm r
emu "realm_create $r"
held=$(truth held $r)
# $EMU_MAX_REALMS: the first id out of range.
for bad in "bogus $r" "realm_create" "realm_create $r 2" "realm_create 4x" \
	"realm_create $EMU_MAX_REALMS" "realm_create -1" "rec_create $r 65537" \
	"rtt_create $r 1 1 1 1" "fault" "fault nosuch 1" "huge $r 4097" \
	"workload 1 2 3" "pdev_create $r 18446744073709551616" \
	"pdev_create $r 65537" "smmu_activate $r 65537" "huge $r 2147483648" \
	"fault zero 65537" "delegate_delay_ns 1000001" "cancellable 2" \
	"none_rounds 9" "workload 65537 1 1 1" "bench_alloc 10000001 4096" \
	"fragment 65537" "fragment 18446744073709551615"; do
	emu_fails "$bad"
done
expect_eq "realm $r: granules the RMM holds, after the refused commands" "$(truth held $r)" "$held"
emu "rec_create $r 1" "realm_destroy $r"
echo "ok: the emulator refuses 13 malformed commands"

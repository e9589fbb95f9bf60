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

#!/bin/sh
# The emulated RMM must never reach a real host's kernel by default: its
# Kconfig option has no default (off) and needs debugfs; the trace events
# and the provider do not depend on it.
set -u
P=$(dirname "$0")/../../kernel/patches
k=$(cat "$P"/*.patch | awk '/^\+config ARM_RMM_EMULATOR$/ { on = 1; next } on && (/^\+config / || !/^\+/) { on = 0 } on')
fail() { echo "  FAIL    kconfig: $*"; exit 1; }
[ -n "$k" ] || fail "no ARM_RMM_EMULATOR option in the series"
echo "$k" | grep -q "default" && fail "ARM_RMM_EMULATOR has a default: $k"
echo "$k" | grep -q "depends on .*DEBUG_FS" || fail "ARM_RMM_EMULATOR does not depend on DEBUG_FS"
cat "$P"/*.patch | awk '/^\+config ARM_RMM_SRO$/ { on = 1; next } on && (/^\+config / || !/^\+/) { on = 0 } on' |
	grep -q "depends on.*EMULATOR" && fail "ARM_RMM_SRO depends on the emulator"
echo "  PASS    kconfig: the emulated RMM is off unless asked for, and needs debugfs"

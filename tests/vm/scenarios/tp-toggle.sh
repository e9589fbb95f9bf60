#!/bin/sh
# Tracepoint re-patching under load (make tp-toggle; not in make test):
# the hunt for the int3 oops of the first stress run (docs/int3.md).
#
# Enabling or disabling a tracepoint re-patches its call sites while
# other CPUs may be running them: on x86 the static key's jump and the
# static call are rewritten with text_poke_bp(), which plants an int3,
# syncs every CPU, writes the rest, syncs, writes the first byte, syncs.
# A CPU that traps on that int3 after the last sync finds no patch in
# progress and the kernel dies with "int3: 0000".
#
# One CPU runs the load while this shell toggles TOGGLE_EVENT (a tracefs
# path under events/, default "sro": all sro events) on and off for
# TOGGLE_SECS (default 300). TOGGLE_LOAD=emustress (the default) runs
# every SRO path, reclaims included, as the stress did; TOGGLE_LOAD=alloc
# runs rmi_mem_alloc() and rmi_mem_free() in a loop in the kernel (the
# emulator's bench_alloc), so the sro_alloc call site is always hot. A kernel
# event (e.g. kmem/kmalloc) instead of sro's is the control: the same
# patching of code the series never touches. The VM dying (vm-run exits
# 125, the oops in the console log) is the finding; surviving prints the
# number of re-patchings done.
cd "$(dirname "$0")/.." || exit 1
. ./lib/sro.sh
EV=${TOGGLE_EVENT:-sro}
SECS=${TOGGLE_SECS:-300}
EN=$TRACE/events/$EV/enable

[ -w "$EN" ] || fail "no tracefs event $EV"
dmesg -c >/dev/null
LOADKIND=${TOGGLE_LOAD:-emustress}
case $LOADKIND in
emustress)
	# Enough operations to outlast the toggling; stopped when it ends.
	emustress 100000000 1 7 >/tmp/emustress.out 2>&1 &
	;;
alloc)
	while echo "bench_alloc 100000 4096" >"$EMU/ctl"; do :; done \
		>/tmp/emustress.out 2>&1 &
	;;
*) fail "TOGGLE_LOAD is emustress or alloc, not $LOADKIND" ;;
esac
LOAD=$!
n=0
end=$(( $(date +%s) + SECS ))
while [ "$(date +%s)" -lt "$end" ]; do
	# 50 on/off pairs between two looks at the clock; echo is a builtin.
	i=0
	while [ $i -lt 50 ]; do
		echo 1 >"$EN"
		echo 0 >"$EN"
		i=$((i + 1))
	done
	n=$((n + 100))
	kill -0 $LOAD 2>/dev/null || fail "the $LOADKIND load ended early: $(tail -3 /tmp/emustress.out)"
done
# emustress's worker is a child of $LOAD: stop them all.
kill $LOAD 2>/dev/null
killall emustress 2>/dev/null
wait $LOAD 2>/dev/null
if dmesg | grep -qE "int3|Oops|BUG:|WARNING:"; then
	dmesg | grep -B5 -A30 -E "int3|Oops|BUG:|WARNING:" | head -80
	fail "the kernel reported a bug"
fi
echo "tp-toggle: $EV enabled and disabled $((n / 2)) times in $SECS s on $(nproc) CPUs under $LOADKIND, no oops"

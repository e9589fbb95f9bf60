#!/bin/sh
# "policy unload" racing "policy swap", PAIRS times: one of them wins,
# and what both report is what the kernel then has. The unload names the
# policy it unloaded, which says whether it came before the swap (exact)
# or after it (contig); the state after the last of them is the one the
# kernel must show (debugfs sro/policy, and whether the pin is there).
. ./lib/sro.sh
PAIRS=${PAIRS:-100}
PIN=/sys/fs/bpf/sroscope/policy
i=0
swap_first=0
unload_first=0
while [ $i -lt "$PAIRS" ]; do
	i=$((i + 1))
	policy load exact >/dev/null
	sroscope policy swap contig >/tmp/swap.out 2>&1 &
	sp=$!
	sroscope policy unload >/tmp/unload.out 2>&1 &
	up=$!
	wait $sp
	ss=$?
	wait $up
	us=$?
	now=$(cat "$POOL/policy")
	pin=no
	[ -e "$PIN" ] && pin=yes
	what="pair $i: swap exited $ss: $(cat /tmp/swap.out); unload exited $us: $(cat /tmp/unload.out); now $now, pin $pin"

	swapped=no
	grep -q "^policy exact replaced by contig" /tmp/swap.out && swapped=yes
	unloaded=$(sed -n 's/^policy \([a-z]*\) unloaded.*/\1/p' /tmp/unload.out)
	# An exit status that says the opposite of the output is a lie too.
	[ "$ss" = 0 ] && [ $swapped = no ] && fail "$what (swap: status 0, no swap)"
	[ "$ss" != 0 ] && [ $swapped = yes ] && fail "$what (swap: failed, but swapped)"
	[ "$us" = 0 ] && [ -z "$unloaded" ] && fail "$what (unload: status 0, nothing unloaded)"
	[ "$us" != 0 ] && [ -n "$unloaded" ] && fail "$what (unload: failed, but unloaded)"

	# Replay the reports in the order they imply.
	want=exact
	if [ "$unloaded" = exact ]; then
		want=default
		unload_first=$((unload_first + 1))
	fi
	[ $swapped = yes ] && want=contig
	if [ "$unloaded" = contig ]; then
		[ $swapped = yes ] || fail "$what (unloaded a policy nobody swapped in)"
		want=default
		swap_first=$((swap_first + 1))
	fi
	[ -n "$unloaded" ] || fail "$what (the unload did not win either way)"
	want_pin=yes
	[ $want = default ] && want_pin=no
	[ "$now $pin" = "$want $want_pin" ] ||
		fail "$what: the reports say $want is in charge, pin $want_pin"
	[ $pin = no ] || policy unload >/dev/null
done
echo "ok: $PAIRS pairs: the swap came first $swap_first times, the unload $unload_first times"
expect_eq "policy in charge at the end" "$(cat "$POOL/policy")" default

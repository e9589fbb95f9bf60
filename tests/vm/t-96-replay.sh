#!/bin/sh
# sroscope replay on the reference workloads, under the four shipped
# policies: the replay asks what the recording asked (requests and bytes),
# every request is served or failed, the bytes the replay saw held equal
# the emulated RMM's ground truth, and what the recorded RMM kept or made
# the host give up is kept and given up again. A damaged trace is refused
# with the reader's error.
. ./lib/sro.sh
W=/sroscope/share/workloads
for w in leaky smmu tfrmm; do
	J=/tmp/$w.json
	sroscope replay "$W/$w.srotrace" -o "$J" 2>/tmp/$w.err ||
		fail "replay of $w failed: $(cat /tmp/$w.err)"
	kept=$(( $(nj get $J recorded.donated_bytes) - $(nj get $J recorded.reclaimed_bytes) ))
	expect_eq "$w: four runs" "$(nj len $J runs)" 4
	i=0
	while [ $i -lt 4 ]; do
		p=$(nj get $J runs.$i.policy)
		expect_eq "$w/$p: requests as recorded" "$(nj get $J runs.$i.requests)" "$(nj get $J recorded.requests)"
		expect_eq "$w/$p: bytes requested as recorded" "$(nj get $J runs.$i.requested_bytes)" "$(nj get $J recorded.requested_bytes)"
		expect_eq "$w/$p: served + failed = requested" \
			"$(( $(nj get $J runs.$i.served) + $(nj get $J runs.$i.failed) ))" "$(nj get $J runs.$i.requests)"
		expect_eq "$w/$p: held (replay) = held (emulator)" \
			"$(nj get $J runs.$i.held_bytes)" "$(nj get $J runs.$i.emulator_held_bytes)"
		# tfrmm (the real RMM) tears realms down with plain calls: the
		# descriptor coming back ends the realm in the replay too, and its
		# late-failing create fails again.
		expect_eq "$w/$p: kept as recorded" "$(nj get $J runs.$i.held_bytes)" "$kept"
		expect_eq "$w/$p: failed as recorded" "$(nj get $J runs.$i.failed)" "$(nj get $J recorded.failed)"
		expect_eq "$w/$p: reclaimed as recorded" "$(nj get $J runs.$i.reclaimed_bytes)" "$(nj get $J recorded.reclaimed_bytes)"
		expect_eq "$w/$p: no emulator command failed" "$(nj get $J runs.$i.commands_failed)" 0
		i=$((i + 1))
	done
done
expect_eq "leaky: the recorded RMM kept 9 granules" "$(( $(nj get /tmp/leaky.json recorded.donated_bytes) - $(nj get /tmp/leaky.json recorded.reclaimed_bytes) ))" $((9 * GRANULE))
expect_eq "leaky: 2 granules given up again" "$(nj get /tmp/leaky.json runs.0.given_up_bytes)" $((2 * GRANULE))
[ "$(nj get /tmp/leaky.json runs.2.allocs.pool)" -gt 0 ] || fail "the pool run allocated nothing from the pool"
expect_eq "results file mode" "$(ls -l /tmp/leaky.json | cut -c1-10)" "-rw-------"
# Results never go through a symbolic link: refused before anything runs.
echo secret >/tmp/target
ln -sf /tmp/target /tmp/link.json
if sroscope replay "$W/leaky.srotrace" -p exact -o /tmp/link.json 2>/tmp/link.err; then
	fail "results written through a symbolic link"
fi
grep -q "symbolic link" /tmp/link.err || fail "unclear error: $(cat /tmp/link.err)"
expect_eq "the link's target" "$(cat /tmp/target)" secret
[ "$(nj get /tmp/smmu.json runs.1.allocs.contig)" -gt 0 ] || fail "the contig run allocated nothing with alloc_contig_pages"

# The report: the same numbers, a verdict, and a page that needs nothing
# from the network.
sroscope report /tmp/leaky.json /tmp/smmu.json --json --html /tmp/r.html >/tmp/r.json ||
	fail "report failed"
keep /tmp/leaky.json sroscope-replay.t-96-leaky.json
keep /tmp/smmu.json sroscope-replay.t-96-smmu.json
keep /tmp/r.json sroscope-report.t-96.json
for k in 0 1; do
	R=/tmp/$( [ $k = 0 ] && echo leaky || echo smmu ).json
	[ -n "$(nj get /tmp/r.json workloads.$k.verdict)" ] || fail "no verdict for workload $k"
	i=0
	while [ $i -lt 4 ]; do
		expect_eq "report $k/$i: served + failed = requests" \
			"$(( $(nj get /tmp/r.json workloads.$k.runs.$i.served) + $(nj get /tmp/r.json workloads.$k.runs.$i.failed) ))" \
			"$(nj get /tmp/r.json workloads.$k.runs.$i.requests)"
		expect_eq "report $k/$i: held at the end = the emulator's" \
			"$(nj get /tmp/r.json workloads.$k.runs.$i.held_end_bytes)" "$(nj get $R runs.$i.emulator_held_bytes)"
		i=$((i + 1))
	done
done
expect_eq "report: charts" "$(grep -c '<svg' /tmp/r.html)" 10
if sroscope report /tmp/leaky.json --html /tmp/link.json 2>/tmp/link.err; then
	fail "a report written through a symbolic link"
fi
expect_eq "the link's target" "$(cat /tmp/target)" secret
expect_eq "report: nothing fetched or run" "$(grep -ci '<script\|src=\|href="http\|url(' /tmp/r.html)" 0
out=$(sroscope report "$W/leaky.srotrace" 2>&1) && fail "a trace taken for results"
echo "$out" | grep -q "leaky.srotrace" || fail "unclear error: $out"

# Options out of range: refused before anything runs, saying what is accepted.
for bad in "-S nan" "-S inf" "-S -1" "-S 0x10" "-F 99999999" "--pool 2048G" \
	   "-p exact,,pool" "-p a,b,c,d,e,f,g,h,i"; do
	# shellcheck disable=SC2086
	if sroscope replay -n $bad "$W/leaky.srotrace" >/dev/null 2>/tmp/opt.err; then
		fail "replay $bad accepted"
	fi
	grep -q "from\|empty policy name\|more than 8" /tmp/opt.err || fail "replay $bad: unclear error: $(cat /tmp/opt.err)"
done
echo "ok: $(head -1 /tmp/opt.err)"
# A policy given as a file, as `policy load` takes it: replayed, unloaded
# after. The pool is a condition of every run, not of a policy's name:
# pool.bpf.o given as a file gets the pool "pool" gets, and the pool a run
# starts with is idle for no one.
sroscope replay -p /sroscope/lib/sroscope/policies/pool.bpf.o,exact "$W/leaky.srotrace" \
	-o /tmp/file.json >/dev/null 2>/tmp/file.err || fail "replay of a policy file: $(cat /tmp/file.err)"
expect_eq "policy after a replay" "$(grep '^policy ' /sys/kernel/debug/sro/stats)" "policy default"
[ "$(nj get /tmp/file.json runs.0.allocs.pool)" -gt 0 ] || fail "the pool policy as a file got no pool"
expect_eq "pool, as a file: the run's own pool not idle" "$(nj get /tmp/file.json runs.0.idle.pool_free_bytes)" 0
expect_eq "exact: the pool it never used not idle" "$(nj get /tmp/file.json runs.1.idle.pool_free_bytes)" 0
expect_eq "results version" "$(nj get /tmp/file.json version)" 3

# A damaged trace (a byte flipped in its second block): the reader's
# error, nothing replayed.
cp "$W/churn.srotrace" /tmp/bad.srotrace
printf '\377' | dd of=/tmp/bad.srotrace bs=1 seek=1000 conv=notrunc 2>/dev/null
if sroscope replay /tmp/bad.srotrace -o /tmp/bad.json 2>/tmp/bad.err; then
	fail "a damaged trace was replayed"
fi
grep -q "offset.*CRC" /tmp/bad.err || fail "unclear error: $(cat /tmp/bad.err)"
[ ! -e /tmp/bad.json ] || fail "results written for a damaged trace"
echo "ok: $(cat /tmp/bad.err)"

# A trace cut short (a recorder killed, a copy cut) replays its intact
# blocks and says so: churn cut in its third block keeps 3495 events.
head -c 70000 "$W/churn.srotrace" >/tmp/cut.srotrace
sroscope replay -n /tmp/cut.srotrace >/tmp/cut.plan 2>/tmp/cut.err ||
	fail "a cut trace was refused: $(cat /tmp/cut.err)"
grep -q "cut short.*the 3495 events of its intact blocks" /tmp/cut.err ||
	fail "unclear message: $(cat /tmp/cut.err)"
grep -q "^# truncated: .*offset 65750: truncated" /tmp/cut.plan || fail "the plan does not say it was cut"
sroscope replay /tmp/cut.srotrace -p exact -o /tmp/cut.json 2>/tmp/cut.err ||
	fail "replay of a cut trace: $(cat /tmp/cut.err)"
expect_eq "cut trace: results say truncated" "$(nj get /tmp/cut.json recorded.truncated)" true
expect_eq "cut trace: no emulator command failed" "$(nj get /tmp/cut.json runs.0.commands_failed)" 0
echo "ok: $(head -1 /tmp/cut.err)"

# An interrupted replay puts the host back. SIGTERM mid-run, then SIGINT:
# the policy, pool, quarantine_tries, fragmenter and realms as before, no
# results.
# SIGKILL: the next replay puts them back, says so, and runs.
host_now() {
	grep "^policy " /sys/kernel/debug/sro/stats
	echo "pool $(cat /sys/kernel/debug/sro/pool_size) $(cat /sys/kernel/debug/sro/pool_delegated)"
	echo "quarantine_tries $(cat "$SRO_PARAMS/quarantine_tries")"
	grep "fragment_pages" "$EMU/state"
	echo "live realms $(grep -c ' live 1$' "$EMU/state")"
}
# Starts a slow replay (about 50 s a run) and waits until it is mid-run.
slow_replay() {
	sroscope replay -S 0.01 -F 64 -p pool "$W/churn.srotrace" -o /tmp/int.json \
		>/dev/null 2>/tmp/int.err &
	pid=$!
	i=0
	until grep -q "^policy pool" /sys/kernel/debug/sro/stats &&
	      grep -q ' live 1$' "$EMU/state"; do
		kill -0 $pid 2>/dev/null || fail "the replay ended early: $(cat /tmp/int.err)"
		i=$((i + 1))
		[ $i -le 600 ] || fail "the replay did not start"
		sleep 0.1
	done
	sleep 1
}
host_now >/tmp/host.before
slow_replay
host_now >/tmp/host.during
cmp -s /tmp/host.before /tmp/host.during && fail "the replay changed nothing to put back"
kill -TERM $pid
# A second signal (a second Ctrl-C) while it puts the host back: held
# until that is done, so it changes nothing.
sleep 0.3
kill -INT $pid 2>/dev/null
wait $pid && fail "a replay stopped by SIGTERM exited 0"
grep -q "interrupted: the host is as it was" /tmp/int.err || fail "unclear: $(cat /tmp/int.err)"
host_now >/tmp/host.after
cmp -s /tmp/host.before /tmp/host.after || {
	diff /tmp/host.before /tmp/host.after
	fail "SIGTERM left the host changed"
}
[ ! -e /tmp/int.json ] || fail "results written by an interrupted replay"
echo "ok: SIGTERM: $(tail -1 /tmp/int.err)"

slow_replay
kill -KILL $pid
wait $pid 2>/dev/null
host_now >/tmp/host.killed
cmp -s /tmp/host.before /tmp/host.killed && fail "SIGKILL left nothing changed: nothing tested"
sroscope replay -p exact "$W/leaky.srotrace" -o /tmp/after.json 2>/tmp/after.err ||
	fail "the replay after a killed one failed: $(cat /tmp/after.err)"
grep -q "was killed before it put the host back; done now: .*policy pool unloaded" /tmp/after.err ||
	fail "no word of the killed replay's leftovers: $(cat /tmp/after.err)"
host_now >/tmp/host.after
cmp -s /tmp/host.before /tmp/host.after || {
	diff /tmp/host.before /tmp/host.after
	fail "the host differs after recovering from a SIGKILL"
}
echo "ok: SIGKILL: $(grep "was killed" /tmp/after.err)"

#!/bin/sh
# The policy supervisor (sroscope policy supervise): with a preferred
# policy that turns bad after 40 requests (test-policies/turn_bad), it
# swaps to the safe policy within its window, saying why with the
# numbers, retries the preferred one after the backoff, swaps away again
# when it is still bad with the backoff doubled; a policy swapped in by
# hand is left alone (takeover = no) until restore-default puts the
# preferred one back, and replaced with takeover = yes; on stop it
# unloads only what it put in charge; the safe policy found in charge at
# start is adopted; configuration errors name the file, line and key.
. ./lib/sro.sh
new_realm r
CONF=/tmp/supervise.conf
LOG=/tmp/supervise.log
in_charge() { cat "$POOL/policy"; }
# Centiseconds since boot.
now_cs() { tr -d . </proc/uptime | cut -d' ' -f1; }

# supervise CONF: start it in the background, its stderr in $LOG.
supervise() {
	: >"$LOG"
	sroscope policy supervise --config "$1" 2>>"$LOG" &
	SUP=$!
}

# stop_supervisor: SIGTERM, and it must exit 0.
stop_supervisor() {
	kill -TERM "$SUP"
	wait "$SUP" || fail "the supervisor exited $?: $(tail -3 "$LOG")"
}

# wait_for NAME MAX_CS: until NAME is in charge; how long it took (cs)
# in $TOOK; fails after MAX_CS.
wait_for() {
	_t0=$(now_cs)
	while [ "$(in_charge)" != "$1" ]; do
		TOOK=$(($(now_cs) - _t0))
		[ "$TOOK" -le "$2" ] ||
			fail "$1 not in charge after $TOOK cs ($(in_charge) is); log: $(cat "$LOG")"
		sleep 0.05
	done
	TOOK=$(($(now_cs) - _t0))
}

# wait_log PATTERN MAX_CS: until the log has a line matching PATTERN.
wait_log() {
	_t0=$(now_cs)
	until grep -q -- "$1" "$LOG"; do
		[ $(($(now_cs) - _t0)) -le "$2" ] ||
			fail "no '$1' in the log after $2 cs: $(cat "$LOG")"
		sleep 0.05
	done
}

sroscope policy unload >/dev/null 2>&1
cat >"$CONF" <<EOF
# t-8a: a short interval, window and backoff
preferred = $TEST_POLICIES/turn_bad.bpf.o
safe = exact	# the default, said again
interval = 200ms
window = 2s
min_requests = 5
max_invalid = 0
backoff_initial = 2s
backoff_max = 8s
EOF
emu "realm_create $r"
supervise "$CONF"
wait_for turn_bad 500
echo "ok: the preferred policy turn_bad put in charge"

# 34 requests: good ones. A window later it is still in charge.
emu "rec_create $r 2"
sleep 2.5
expect_eq "turn_bad still in charge after 34 good requests" "$(in_charge)" turn_bad

# 17 more: 11 invalid verdicts, over max_invalid = 0.
inv=$(stat policy_invalid)
emu "rec_create $r 1"
wait_for exact 200
echo "ok: swapped to exact $TOOK cs after the policy turned bad (window 2 s)"
bad=$(( $(stat policy_invalid) - inv ))
expect_eq "invalid verdicts of turn_bad" "$bad" 11
line=$(grep 'turn_bad over its limits' "$LOG")
echo "log: $line"
n=$(echo "$line" | sed -n 's/.*invalid verdicts \([0-9]*\) > 0 (\([0-9]*\) requests, .*/\1/p')
[ -n "$n" ] && [ "$n" -ge 1 ] && [ "$n" -le "$bad" ] ||
	fail "the log line does not give the invalid verdicts: $line"
echo "$line" | grep -q "swapped to exact; retrying $TEST_POLICIES/turn_bad.bpf.o in 2.0 s" ||
	fail "the log line does not say what it did: $line"

# The backoff: 2 s, then turn_bad again.
wait_for turn_bad 400
[ "$TOOK" -ge 150 ] || fail "turn_bad retried after $TOOK cs, before its 2 s backoff"
echo "ok: turn_bad retried after the backoff ($TOOK cs after the swap was seen)"
grep -q "retrying $TEST_POLICIES/turn_bad.bpf.o after 2.0 s on exact" "$LOG" ||
	fail "no retry line: $(cat "$LOG")"
# Still bad (its prepared copy keeps its count): away again, and the
# backoff doubled.
emu "rec_create $r 1"
wait_for exact 200
echo "ok: swapped to exact again $TOOK cs after more requests"
grep "over its limits" "$LOG" | tail -1 | grep -q "invalid verdicts 17 > 0.*retrying $TEST_POLICIES/turn_bad.bpf.o in 4.0 s" ||
	fail "the second swap does not say 17 invalid verdicts and a 4 s backoff: $(tail -2 "$LOG")"
echo "ok: backoff doubled to 4 s"

# A hand swap during the backoff: left alone, not retried over.
policy swap pool >/dev/null
wait_log "pool was put in charge by someone else.*leaving it alone (takeover = no)" 100
sleep 5
expect_eq "the hand-swapped pool left in charge past the backoff" "$(in_charge)" pool
# restore-default: the preferred one back, and judged again.
sroscope policy restore-default --config "$CONF" >/tmp/restore.out ||
	fail "restore-default: $(cat /tmp/restore.out)"
grep -q "^policy turn_bad (preferred in $CONF) in charge in place of pool" /tmp/restore.out ||
	fail "restore-default said: $(cat /tmp/restore.out)"
expect_eq "restore-default put turn_bad back" "$(in_charge)" turn_bad
wait_log "the preferred policy turn_bad is back in charge" 100
echo "ok: the supervisor judges it again"
stop_supervisor
expect_eq "stop unloaded the policy it put in charge" "$(in_charge)" default
grep -q "stopping; turn_bad unloaded" "$LOG" || fail "no stop line: $(tail -2 "$LOG")"
cat "$LOG"

# The safe policy in charge at start is adopted, the preferred retried;
# a hand swap is left in charge on stop.
cat >/tmp/supervise2.conf <<EOF
preferred = contig
interval = 100ms
window = 1s
backoff_initial = 1s
backoff_max = 1s
EOF
policy load exact >/dev/null
supervise /tmp/supervise2.conf
wait_log "the safe policy exact already in charge" 100
wait_for contig 300
echo "ok: the safe policy adopted at start, the preferred one in charge $TOOK cs later"
policy swap pool >/dev/null
wait_log "leaving it alone" 100
stop_supervisor
expect_eq "stop left the hand-swapped policy in charge" "$(in_charge)" pool
grep -q "stopping; the policy in charge was not put there by the supervisor" "$LOG" ||
	fail "no stop line: $(tail -2 "$LOG")"

# takeover = yes: a hand swap is undone.
echo "takeover = yes" >>/tmp/supervise2.conf
supervise /tmp/supervise2.conf
wait_for contig 200
policy swap pool >/dev/null
wait_for contig 100
grep -q "pool was put in charge by someone else.*takeover = yes: putting contig back" "$LOG" ||
	fail "no takeover line: $(cat "$LOG")"
echo "ok: takeover = yes swapped contig back in $TOOK cs"
stop_supervisor
expect_eq "stopped: the built-in default" "$(in_charge)" default

# restore-default without a configuration: the built-in default.
if [ ! -e /etc/sroscope/policy.conf ]; then
	policy load pool >/dev/null
	sroscope policy restore-default >/tmp/restore.out 2>&1 ||
		fail "restore-default without a configuration: $(cat /tmp/restore.out)"
	grep -q "no /etc/sroscope/policy.conf: the kernel's built-in default is in charge" /tmp/restore.out ||
		fail "restore-default said: $(cat /tmp/restore.out)"
	expect_eq "restore-default without a configuration" "$(in_charge)" default
fi

# Configuration errors: exit 2, the file, the line, the key, what is accepted.
refused() {	# WHAT EXPECTED-MESSAGE
	if sroscope policy supervise --config /tmp/bad.conf >/tmp/bad.out 2>&1; then
		fail "$1 accepted"
	else
		s=$?
	fi
	[ "$s" = 2 ] || fail "$1: exit $s, want 2: $(cat /tmp/bad.out)"
	grep -q -- "$2" /tmp/bad.out || fail "$1: $(cat /tmp/bad.out)"
	echo "ok: $1: $(cat /tmp/bad.out)"
}
printf 'preferred = contig\nwindw = 3s\n' >/tmp/bad.conf
refused "an unknown key" "/tmp/bad.conf:2: unknown key 'windw': expected preferred, safe, interval"
printf '# x\ninterval = 0.5\n' >/tmp/bad.conf
refused "a bad duration" "/tmp/bad.conf:2: invalid interval '0.5': .*from 100ms to 1h, is expected"
printf 'max_fallback_ratio = lots\n' >/tmp/bad.conf
refused "a bad ratio" "/tmp/bad.conf:1: invalid max_fallback_ratio 'lots': a number from 0 to 1 is expected"
printf 'takeover = maybe\n' >/tmp/bad.conf
refused "a bad boolean" "/tmp/bad.conf:1: invalid takeover 'maybe': yes or no is expected"
printf 'safe = nosuch\n' >/tmp/bad.conf
refused "an unknown policy" "/tmp/bad.conf:1: safe: no policy named 'nosuch'"
rm -f /tmp/bad.conf
refused "a missing file" "cannot read /tmp/bad.conf: No such file or directory"
expect_eq "nothing loaded by the refused ones" "$(in_charge)" default
emu "realm_destroy $r"

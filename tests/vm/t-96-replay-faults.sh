#!/bin/sh
# A recording of every fault the emulated RMM can show in a trace replays
# as recorded, under every policy: creates it failed keeping memory or
# giving it all back, donations taken in part or not at all, refused
# delegations, undelegations refused and given up, a destroy keeping a
# block for a racing operation, blocks kept for good, one-way donations.
# Requests, failures, bytes requested, donated, reclaimed, given up and
# held at the end equal the recording's, for a realm destroyed before the
# recording stopped and one still live when it did. Then replays of
# exact, pool and exact again: each run starts from the same state, and
# the second exact run has no idle memory the pool run left. It runs
# after the pool tests: a block the RMM keeps for good pins its pool chunk,
# so the pool can never be emptied again in this boot.
. ./lib/sro.sh
new_realm a b
tries=$(cat "$SRO_PARAMS/quarantine_tries")
# Refusals given up at once, as the replay makes them.
echo 0 >"$SRO_PARAMS/quarantine_tries"
scope rec record /tmp/faults.srotrace
for r in $a $b; do
	emu "realm_create $r" "rec_create $r 1"
	emu "fault fail_keep 1"
	emu_fails "rec_create $r 1"
	emu "fault fail_late 1"
	emu_fails "pdev_create $r 4"
	emu "fault partial 1" "rec_create $r 1" "fault zero 1" "pdev_create $r 3"
	emu "fault delegate_fail 1" "pdev_create $r 5"
	emu "fault racing_keep 1" "rec_destroy $r 1"
	emu "fault undelegate_fail 2" "pdev_destroy $r"
	emu "oneway $r 2" "leak $r 1" "pdev_destroy $r"
done
emu "realm_destroy $a"
scope_end rec
echo "$tries" >"$SRO_PARAMS/quarantine_tries"
emu "reset_faults"

sroscope replay -n /tmp/faults.srotrace >/tmp/faults.plan || fail "plan: $(cat /tmp/faults.plan)"
for f in fail_keep fail_late partial zero delegate_fail undelegate_fail; do
	expect_eq "fault $f armed for both realms" "$(grep -c " fault $f " /tmp/faults.plan)" 2
done
# The block kept for good by the live realm's device is, until that realm
# goes, a block kept for a racing operation: both hold it to the end.
expect_eq "racing keeps (and the live realm's kept block)" "$(grep -c " fault racing_keep " /tmp/faults.plan)" 3
expect_eq "kept for good by the destroyed realm" \
	"$(awk '$2 == "leak" { n += $4 } END { print n }' /tmp/faults.plan)" 1
expect_eq "one-way donations replayed as such" "$(grep -c ' oneway [0-9]* 2$' /tmp/faults.plan)" 2
expect_eq "failed creates marked" "$(grep -c '# fails, as recorded' /tmp/faults.plan)" 4

J=/tmp/faults.json
sroscope replay /tmp/faults.srotrace -o $J 2>/tmp/faults.err ||
	fail "replay: $(cat /tmp/faults.err)"
keep $J sroscope-replay.t-96-faults.json
rec() { nj get $J "recorded.$1"; }
expect_eq "recorded: 4 failed creates' requests" "$(rec failed)" 4
kept=$(( $(rec donated_bytes) - $(rec reclaimed_bytes) ))
[ "$(rec given_up_bytes)" -gt 0 ] || fail "no refusal given up in the recording"
i=0
while [ $i -lt "$(nj len $J runs)" ]; do
	p=$(nj get $J runs.$i.policy)
	for k in requests failed requested_bytes donated_bytes reclaimed_bytes given_up_bytes; do
		expect_eq "$p: $k as recorded" "$(nj get $J runs.$i.$k)" "$(rec $k)"
	done
	expect_eq "$p: held at the end as recorded" "$(nj get $J runs.$i.held_bytes)" "$kept"
	expect_eq "$p: held = the emulator's" "$(nj get $J runs.$i.held_bytes)" "$(nj get $J runs.$i.emulator_held_bytes)"
	expect_eq "$p: every command as recorded" "$(nj get $J runs.$i.commands_failed)" 0
	i=$((i + 1))
done
expect_eq "four runs" "$i" 4

# The same state for every run: exact after pool as before it.
W=/sroscope/share/workloads
J=/tmp/iso.json
sroscope replay -p exact,pool,exact "$W/leaky.srotrace" -o $J 2>/tmp/iso.err ||
	fail "replay: $(cat /tmp/iso.err)"
[ "$(nj get $J runs.1.allocs.pool)" -gt 0 ] || fail "the pool run used no pool"
for k in idle.pool_free_bytes idle.cached_bytes; do
	expect_eq "exact after pool: $k" "$(nj get $J runs.2.$k)" 0
	expect_eq "exact before pool: $k" "$(nj get $J runs.0.$k)" 0
done
for k in requests failed held_bytes given_up_bytes delegate_calls undelegate_calls; do
	expect_eq "exact after pool: $k as before" "$(nj get $J runs.2.$k)" "$(nj get $J runs.0.$k)"
done
expect_eq "results version" "$(nj get $J version)" 3
# Its one-way donation and the block it kept for good stay with the RMM.
emu "realm_destroy $b"
check_realm_gone $b 3

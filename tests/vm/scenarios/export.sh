#!/bin/sh
# The guest half of tests/host/t-prometheus.sh (not part of run.sh): runs
# `sroscope export` on 0.0.0.0:29435 (QEMU forwards a host port to it) and
# an emulated workload while the host's Prometheus scrapes every second.
# Phases are paced by the exporter's own scrape counter, so the host need
# not talk back. Lines "@@TRUTH<phase> KEY VALUE" give the host the ground
# truth (emulator and kernel), "@@CHECK<phase>@@" when it holds.
cd "$(dirname "$0")/.." || exit 1
. ./lib/sro.sh

# Scrapes served to Prometheus: the exporter's count less our own reads.
OWN=0
prom_scrapes() {
	_v=$(wget -q -O - http://127.0.0.1:29435/metrics |
		awk '$1 == "sroscope_exporter_scrapes_total" { print $2 }')
	PROM_SCRAPES=$(( ${_v:-0} - OWN ))
	OWN=$((OWN + 1))
}

# Wait until Prometheus has scraped N more times (at most 120 s).
wait_scrapes() {
	prom_scrapes
	_end=$((PROM_SCRAPES + $1))
	_i=0
	while [ "$PROM_SCRAPES" -lt "$_end" ]; do
		_i=$((_i + 1))
		[ $_i -le 240 ] || fail "Prometheus stopped scraping"
		sleep 0.5
		prom_scrapes
	done
}

# The boot's KUnit cases give up memory of their own: count from here.
leaked0=$(stat leaked_bytes)

truth_line() {
	echo "@@TRUTH$1 $2 $3"
}

# What the emulator and the kernel say now; $1: the phase.
report() {
	for r in 60 61 62 63 59; do
		h=$(truth held $r)
		d=$(truth host $r)
		truth_line "$1" "held_$r" "$(( (${h:-0} + ${d:-0}) * GRANULE ))"
	done
	truth_line "$1" kernel_held "$(stat held_bytes)"
	truth_line "$1" kernel_host "$(stat host_bytes)"
	truth_line "$1" kernel_given_up "$(( $(stat leaked_bytes) - leaked0 ))"
	truth_line "$1" policy "$(cat /sys/kernel/debug/sro/policy)"
	for s in exact contig pool; do
		truth_line "$1" "decisions_$s" "$(stat policy_decisions $s)"
	done
	truth_line "$1" pool_bytes "$(stat pool_bytes)"
	truth_line "$1" pool_free "$(stat pool_free_bytes)"
	truth_line "$1" swaps "$(stat policy_swaps)"
}

sroscope export -l 0.0.0.0:29435 --accounts-interval 1s >/tmp/ex.out 2>/tmp/ex.err &
EX=$!
i=0
until grep -q "Hit Ctrl-C" /tmp/ex.err 2>/dev/null; do
	kill -0 $EX 2>/dev/null || fail "sroscope export exited: $(cat /tmp/ex.err)"
	i=$((i + 1))
	[ $i -le 600 ] || fail "sroscope export did not start"
	sleep 0.1
done
echo "@@SERVING@@"
wait_scrapes 3

# Phase 1, paced so that rates show: a live realm, a realm destroyed with
# memory kept by the RMM, one whose undelegations are refused (memory
# given up), one that gives everything back; under the pool policy.
# Realm ids 59-63 are fixed, not new_realm's: the host half asks
# Prometheus for them by number, and this scenario runs alone in its own
# VM boot (tests/host/t-realm-ids.sh lets it).
pool_setup $((16 << 20)) $((4 << 20))
policy load pool
emu "realm_create 60" "rec_create 60 2"
sleep 1
emu "realm_create 61" "rec_create 61 1" "pdev_create 61" "leak 61 3" "realm_destroy 61"
sleep 1
refusals_final on
emu "realm_create 62" "rec_create 62 1" "fault undelegate_fail 2" "rec_destroy 62 1" "realm_destroy 62"
refusals_final off
sleep 1
emu "realm_create 63" "rec_create 63 2" "rec_destroy 63 2" "realm_destroy 63"
emuloop 50 "pdev_create 60" "pdev_destroy 60" >/dev/null ||
	fail "churn on realm 60 failed"
wait_scrapes 2
report 1
echo "@@CHECK1@@"
wait_scrapes 5

# Phase 2: the exporter keeps going through a policy swap and realm
# churn (a destroyed realm, a new one, an id reused).
policy swap contig
emu "rec_destroy 60 2" "realm_destroy 60" "realm_create 59" "rec_create 59 1" "huge 59 2097152" \
    "realm_create 63" "rec_create 63 1" "rec_destroy 63 1" "realm_destroy 63"
wait_scrapes 2
report 2
echo "@@CHECK2@@"
wait_scrapes 3

# SIGTERM: a clean exit, promptly.
kill -TERM $EX
i=0
while kill -0 $EX 2>/dev/null; do
	i=$((i + 1))
	[ $i -le 50 ] || fail "sroscope export did not exit within 5 s of SIGTERM"
	sleep 0.1
done
wait $EX || fail "sroscope export exited with $? on SIGTERM: $(cat /tmp/ex.err)"
grep -q "stopped after" /tmp/ex.err || fail "no clean stop: $(cat /tmp/ex.err)"
policy unload
echo "@@DONE@@"

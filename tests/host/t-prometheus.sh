#!/bin/bash
# `sroscope export` scraped by a real Prometheus: the test VM runs the
# exporter and an emulated workload (tests/vm/scenarios/export.sh), QEMU
# forwards a loopback port to it, and a Prometheus server started here on
# loopback scrapes it every second with the alert and recording rules of
# dashboards/ loaded. Then, against the guest's ground truth:
#   - a direct scrape passes `promtool check metrics`; the exporter answers
#     HEAD, refuses POST (405) and unknown paths (404);
#   - the values Prometheus stored equal the emulator's and kernel's books,
#     before and after a policy swap and realm churn;
#   - every PromQL expression of every dashboard panel returns data, every
#     metric the rules use exists, every rule evaluates cleanly, every
#     recording rule records, and the leak alerts are active for exactly
#     the leaking realms;
#   - the exporter stops cleanly on SIGTERM.
#
#   tests/host/t-prometheus.sh [x86_64|arm64]
set -u
ARCH=${1:-x86_64}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
W=$(mktemp -d)
PROM_PID=""
VM_PID=""
failures=0

cleanup() {
	[ -n "$VM_PID" ] && kill "$VM_PID" 2>/dev/null
	[ -n "$PROM_PID" ] && kill "$PROM_PID" 2>/dev/null
	wait 2>/dev/null
	if [ "$failures" = 0 ]; then
		rm -rf "$W"
	else
		echo "  (kept $W: vm.out, prometheus.log, alerts.json, metrics.txt)"
	fi
}
trap cleanup EXIT

fail() {
	echo "  FAIL    prometheus-$ARCH: $*"
	failures=$((failures + 1))
}
die() {
	fail "$*"
	exit 1
}

# A loopback TCP port no socket uses, below the ephemeral range (32768
# up) so that no client connection can take it meanwhile.
free_port() {
	local p
	while :; do
		p=$((10000 + RANDOM % 20000))
		ss -Htan "sport = :$p" | grep -q . || { echo "$p"; return; }
	done
}

HP=$(free_port)
PP=$(free_port)
[ "$HP" = "$PP" ] && PP=$((PP + 1))
PROM=http://127.0.0.1:$PP
EXP=http://127.0.0.1:$HP

cat >"$W/prometheus.yml" <<YML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files:
  - $REPO/dashboards/prometheus/sroscope-alerts.yml
  - $REPO/dashboards/prometheus/sroscope-rules.yml
scrape_configs:
  - job_name: sroscope
    static_configs:
      - targets: ["127.0.0.1:$HP"]
YML
prometheus --config.file="$W/prometheus.yml" --storage.tsdb.path="$W/data" \
	--web.listen-address="127.0.0.1:$PP" --log.level=warn \
	>"$W/prometheus.log" 2>&1 &
PROM_PID=$!
for _ in $(seq 100); do
	curl -sf "$PROM/-/ready" >/dev/null && break
	sleep 0.2
done
curl -sf "$PROM/-/ready" >/dev/null || die "Prometheus did not start: $(tail -5 "$W/prometheus.log")"

VM_HOSTFWD="tcp:127.0.0.1:$HP-:29435" VM_TIMEOUT=900 \
	"$REPO/scripts/vm-run.sh" "$ARCH" 'sh tests/vm/scenarios/export.sh' \
	>"$W/vm.out" 2>&1 &
VM_PID=$!

# Follow the guest; at each @@CHECK<n>@@ note the time, and at the
# second also what only a live exporter can tell.
declare -A T
while kill -0 "$VM_PID" 2>/dev/null; do
	for n in 1 2; do
		[ -z "${T[$n]:-}" ] && grep -q "@@CHECK$n@@" "$W/vm.out" || continue
		T[$n]=$(date +%s.%N)
		if [ "$n" = 1 ]; then
			curl -sf "$EXP/metrics" >"$W/metrics.txt" || fail "direct scrape failed"
			code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
			[ "$(code -I "$EXP/metrics")" = 200 ] || fail "HEAD /metrics is not 200"
			[ "$(code -X POST -d x "$EXP/metrics")" = 405 ] || fail "POST /metrics is not refused with 405"
			[ "$(code "$EXP/nope")" = 404 ] || fail "GET /nope is not 404"
			ctype=$(curl -s -o /dev/null -w '%{content_type}' "$EXP/metrics")
			[ "$ctype" = "text/plain; version=0.0.4; charset=utf-8" ] ||
				fail "content type '$ctype'"
		else
			sleep 3	# let the rules see phase 2
			curl -sf "$PROM/api/v1/alerts" >"$W/alerts.json" || fail "cannot read alerts"
			curl -sf "$PROM/api/v1/rules" >"$W/rules.json" || fail "cannot read rules"
		fi
	done
	sleep 0.2
done
wait "$VM_PID"
rc=$?
VM_PID=""
grep -q "@@DONE@@" "$W/vm.out" && [ "$rc" = 0 ] ||
	die "the guest scenario failed (rc $rc): $(grep -v '^@@' "$W/vm.out" | tail -20)"
[ -n "${T[1]:-}" ] && [ -n "${T[2]:-}" ] || die "the guest never reached both checks"

# --- promtool check metrics on a direct scrape
if ! lint=$(promtool check metrics <"$W/metrics.txt" 2>&1); then
	fail "promtool check metrics: $lint"
fi

# truth PHASE KEY: what the guest said.
truth() {
	awk -v k="@@TRUTH$1" -v n="$2" '$1 == k && $2 == n { print $3 }' "$W/vm.out" | tr -d '\r'
}

# q TIME EXPR: the results of an instant query as "VALUE" lines.
q() {
	curl -sf "$PROM/api/v1/query" --data-urlencode "time=$1" \
		--data-urlencode "query=$2" | jq -r '.data.result[] | .value[1]'
}

# seen PHASE: the time of Prometheus's first successful scrape once the
# guest said the phase holds (it stays there for 3 to 5 more exporter
# scrapes). Not a fixed delay: with QEMU on every core a starved
# Prometheus scraped more than 2 s late.
seen() {
	curl -sf "$PROM/api/v1/query" --data-urlencode "time=$(echo "${T[$1]} + 60" | bc)" \
		--data-urlencode 'query=up{job="sroscope"}[60s]' |
		jq -r --argjson t "${T[$1]}" \
			'[.data.result[0].values[] | select(.[0] >= $t and .[1] == "1") | .[0]] | min // empty'
}
declare -A AT
for n in 1 2; do
	AT[$n]=$(seen $n)
	[ -n "${AT[$n]}" ] || die "Prometheus scraped nothing successfully in phase $n"
done

# expect PHASE NAME EXPR WANT: a one-result query equals WANT.
expect() {
	local t got
	t=${AT[$1]}
	got=$(q "$t" "$3")
	if [ "$got" != "$4" ]; then
		fail "$2: Prometheus has '$got', the guest says '$4' ($3)"
	else
		checks=$((checks + 1))
	fi
}
checks=0

# --- values equal the ground truth (phase 1: pool policy, 4 realms)
expect 1 "realm 60 held" 'sum(sroscope_held_bytes{realm="60"})' "$(truth 1 held_60)"
expect 1 "realm 63 held (gave all back)" 'sum(sroscope_held_bytes{realm="63"})' "$(truth 1 held_63)"
expect 1 "realm 61 unreturned at destroy" 'sroscope_realm_unreturned_bytes{realm="61"}' "$(truth 1 held_61)"
expect 1 "realm 61 keeps 3 granules" 'sroscope_realm_unreturned_bytes{realm="61"}' 12288
expect 1 "realm 62 given up" 'sroscope_given_up_bytes_total{realm="62"}' "$(truth 1 kernel_given_up)"
expect 1 "realm 62 given up, 2 granules" 'sroscope_given_up_bytes_total{realm="62"}' 8192
expect 1 "kernel held" 'sroscope_kernel_held_bytes' "$(truth 1 kernel_held)"
expect 1 "outstanding = kernel held + host delegated" \
	'sroscope_outstanding_bytes{age_le="+Inf"}' \
	"$(( $(truth 1 kernel_held) + $(truth 1 kernel_host) ))"
expect 1 "policy in charge" 'sroscope_policy_info{policy="'"$(truth 1 policy)"'"}' 1
expect 1 "policy is pool" 'count(sroscope_policy_info{policy="pool"})' 1
for s in exact contig pool; do
	expect 1 "decisions $s" "sroscope_policy_decisions_total{source=\"$s\"}" "$(truth 1 "decisions_$s")"
done
expect 1 "pool size" 'sroscope_pool_bytes' "$(truth 1 pool_bytes)"
expect 1 "pool free" 'sroscope_pool_free_bytes' "$(truth 1 pool_free)"
expect 1 "blocks served by the pool > 0" 'sroscope_source_allocs_total{source="pool"} > bool 0' 1
expect 1 "donations per second > 0 in the last minute" 'sum(rate(sroscope_donations_total[1m])) > bool 0' 1

# --- phase 2: after a policy swap and realm churn, without a restart
expect 2 "policy after the swap" 'count(sroscope_policy_info{policy="contig"})' 1
expect 2 "swaps" 'sroscope_policy_swaps_total' "$(truth 2 swaps)"
expect 2 "realm 60 destroyed" 'sroscope_realm_destroyed{realm="60"}' 1
expect 2 "realm 60 unreturned" 'sroscope_realm_unreturned_bytes{realm="60"}' "$(truth 2 held_60)"
expect 2 "realm 59 held" 'sum(sroscope_held_bytes{realm="59"})' "$(truth 2 held_59)"
expect 2 "realm 59 from contig" 'sroscope_held_bytes{realm="59",source="contig"} > bool 0' 1
expect 2 "realm 63 (id reused) destroyed again, all back" 'sroscope_realm_unreturned_bytes{realm="63"}' "$(truth 2 held_63)"
expect 2 "kernel held" 'sroscope_kernel_held_bytes' "$(truth 2 kernel_held)"
expect 2 "outstanding = kernel held + host delegated" \
	'sroscope_outstanding_bytes{age_le="+Inf"}' \
	"$(( $(truth 2 kernel_held) + $(truth 2 kernel_host) ))"
expect 2 "no scrape failed since the exporter served" \
	"count_over_time((up == 0)[$(echo "${T[2]} - ${T[1]} + 2" | bc | cut -d. -f1)s:1s])" ""
expect 2 "no map read failed" 'sroscope_exporter_scrape_errors_total' 0
expect 2 "nothing lost" 'sum(sroscope_lost_events_total) + sum(sroscope_bpf_recursion_misses_total)' 0

# --- every dashboard panel's expression returns data
t2=${AT[2]}
panels=0
while IFS= read -r expr; do
	e=${expr//\$__rate_interval/1m}
	e=${e//\$__range/5m}
	e=${e//\$job/.+}
	e=${e//\$instance/.+}
	n=$(curl -sf "$PROM/api/v1/query" --data-urlencode "time=$t2" \
		--data-urlencode "query=$e" | jq '.data.result | length')
	if [ "${n:-0}" -gt 0 ]; then
		panels=$((panels + 1))
	else
		fail "dashboard query returns no data: $e"
	fi
done < <(jq -r '.. | objects | select(has("expr")) | .expr' "$REPO"/dashboards/grafana/*.json)

# --- rules: all evaluate, every metric they use exists, every recording
# rule records, and the leak alerts are active for exactly the leaking
# realms
bad=$(jq -r '.data.groups[].rules[] | select(.health != "ok") | "\(.name): \(.lastError)"' "$W/rules.json")
[ -z "$bad" ] || fail "rules that do not evaluate: $bad"
nrules=$(jq '[.data.groups[].rules[]] | length' "$W/rules.json")
for f in sroscope-alerts.yml sroscope-rules.yml; do
	for m in $(grep -o '\([a-z_]*:\)\{0,1\}sroscope_[a-z_]*\(:[a-z0-9_]*\)\{0,1\}' "$REPO/dashboards/prometheus/$f" | sort -u); do
		[ "$(q "$t2" "count($m)")" != "" ] || fail "$f uses or records $m, which Prometheus does not have"
	done
done
active() {
	jq -r --arg a "$1" '[.data.alerts[] | select(.labels.alertname == $a) | .labels.realm] | sort | join(" ")' "$W/alerts.json"
}
[ "$(active SroRealmMemoryNotReturned)" = "61" ] ||
	fail "SroRealmMemoryNotReturned active for realms '$(active SroRealmMemoryNotReturned)', want 61"
given_up=$(jq -r '[.data.alerts[] | select(.labels.alertname == "SroHostMemoryGivenUp")] | length' "$W/alerts.json")
[ "$given_up" = 1 ] ||
	fail "SroHostMemoryGivenUp active $given_up times, want once (realm 62 gave up 2 granules)"
# The KUnit suite, run at boot, abandons one operation on purpose (a 1 GiB
# request that cannot be cancelled): the standing alert must show it.
abandoned=$(jq -r '[.data.alerts[] | select(.labels.alertname == "SroOperationAbandoned")] | length' "$W/alerts.json")
[ "$abandoned" = 1 ] ||
	fail "SroOperationAbandoned active $abandoned times, want once (KUnit's 1 GiB request at boot)"
others=$(jq -r '[.data.alerts[] | .labels.alertname | select(. != "SroRealmMemoryNotReturned" and . != "SroHostMemoryGivenUp" and . != "SroOperationAbandoned")] | join(" ")' "$W/alerts.json")
[ -z "$others" ] || fail "alerts that should not be active: $others"

if [ "$failures" = 0 ]; then
	echo "  PASS    prometheus-$ARCH: $checks values equal the ground truth, $panels dashboard queries return data, $nrules rules evaluate, the leak alert for realm 61, the given-up and the abandoned (KUnit) alerts only"
	exit 0
fi
exit 1

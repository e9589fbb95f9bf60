#!/bin/bash
# The Grafana dashboards and Prometheus alert rules of dashboards/, checked
# without a server: JSON valid, provisioning-ready (a "datasource"
# variable, no __inputs), job and instance variables, every panel with a
# description, a unit and the datasource variable, every rate window
# $__rate_interval or $__range; then `promtool check rules` and the rules'
# unit tests (`promtool test rules`). t-prometheus.sh runs every query
# against real data.
set -u
REPO=$(cd "$(dirname "$0")/../.." && pwd)
failures=0
fail() {
	echo "  FAIL    dashboards: $*"
	failures=$((failures + 1))
}

n=0
for d in "$REPO"/dashboards/grafana/*.json; do
	name=$(basename "$d")
	n=$((n + 1))
	jq -e . "$d" >/dev/null 2>&1 || { fail "$name is not valid JSON"; continue; }
	jq -e 'has("__inputs") | not' "$d" >/dev/null ||
		fail "$name has __inputs (an export for sharing, not for provisioning)"
	jq -e '.uid | type == "string" and length > 0' "$d" >/dev/null || fail "$name has no uid"
	for v in datasource job instance; do
		jq -e --arg v "$v" '.templating.list | any(.name == $v)' "$d" >/dev/null ||
			fail "$name has no '$v' variable"
	done
	jq -e '.templating.list[] | select(.name == "datasource") | .type == "datasource" and .query == "prometheus"' "$d" >/dev/null ||
		fail "$name: the datasource variable is not a Prometheus data source variable"
	bad=$(jq -r '.panels[] | select(.type != "row") |
		select((.description // "") == "" or (.fieldConfig.defaults.unit // "") == "" or .datasource.uid != "${datasource}") | .title' "$d")
	[ -z "$bad" ] || fail "$name: panels without a description, a unit or the datasource variable: $bad"
	bad=$(jq -r '.panels[] | .targets[]? | select(.datasource.uid != "${datasource}") | .expr' "$d")
	[ -z "$bad" ] || fail "$name: queries not on the datasource variable: $bad"
	bad=$(jq -r '.panels[] | .targets[]?.expr' "$d" | grep -v 'job=~"\$job",instance=~"\$instance"')
	[ -z "$bad" ] || fail "$name: queries not filtered by \$job and \$instance: $bad"
	bad=$(jq -r '.panels[] | .targets[]?.expr' "$d" | grep -E '\[[0-9]+[smhd]\]')
	[ -z "$bad" ] || fail "$name: fixed rate windows (use \$__rate_interval): $bad"
	jq -e '[.panels[] | .id] | length == (unique | length)' "$d" >/dev/null || fail "$name: panel ids repeat"
done
[ "$n" -ge 3 ] || fail "expected at least 3 dashboards, found $n"
uids=$(jq -r .uid "$REPO"/dashboards/grafana/*.json | sort | uniq -d)
[ -z "$uids" ] || fail "dashboard uids repeat: $uids"
out=$(promtool check rules "$REPO/dashboards/prometheus/sroscope-alerts.yml" 2>&1) ||
	fail "promtool check rules: $out"
out=$(cd "$REPO/dashboards/prometheus" && promtool test rules sroscope-alerts.test.yml 2>&1) ||
	fail "promtool test rules: $out"
[ "$failures" = 0 ] || exit 1
echo "  PASS    dashboards: $n dashboards well formed, alert rules valid and their unit tests pass"

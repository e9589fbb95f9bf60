#!/bin/bash
# Print what each panel of the sroscope Grafana dashboards shows now, as
# text, from a Prometheus server: for each dashboard and panel, every
# query's series and current value. Where Grafana is not at hand (it is
# not in Debian), this is the panels' data without the pictures.
#
#   scripts/dashboard-data.sh [PROMETHEUS_URL] [RATE_WINDOW]
#   (defaults: http://127.0.0.1:9090 and 1m for $__rate_interval)
set -eu
PROM=${1:-http://127.0.0.1:9090}
WIN=${2:-1m}
REPO=$(cd "$(dirname "$0")/.." && pwd)

for d in "$REPO"/dashboards/grafana/*.json; do
	printf '\n## %s\n' "$(jq -r .title "$d")"
	jq -c '.panels[] | {title, unit: .fieldConfig.defaults.unit, targets: [.targets[] | {expr, legend: .legendFormat}]}' "$d" |
	while IFS= read -r p; do
		printf '\n%s [%s]\n' "$(jq -r .title <<<"$p")" "$(jq -r .unit <<<"$p")"
		jq -c '.targets[]' <<<"$p" | while IFS= read -r t; do
			e=$(jq -r .expr <<<"$t")
			e=${e//\$__rate_interval/$WIN}
			e=${e//\$__range/5m}
			e=${e//\$job/.+}
			e=${e//\$instance/.+}
			legend=$(jq -r .legend <<<"$t")
			curl -sf "$PROM/api/v1/query" --data-urlencode "query=$e" |
				jq -r --arg lf "$legend" '.data.result[] |
					(.metric | del(.__name__)) as $m |
					(if $lf == "" then
						($m | to_entries | map("\(.key)=\(.value)") | join(" "))
					 else
						reduce ($m | to_entries[]) as $kv ($lf;
							gsub("{{ *" + $kv.key + " *}}"; $kv.value))
					 end) as $name |
					"  " + (if $name == "" then "(total)" else $name end)
					+ " = " + .value[1]' | sort -V | head -12
		done
	done
done

#!/bin/sh
# Write the files of the monitoring mixin (dashboards/mixin/) under DIR:
# DIR/grafana/*.json, the dashboards, and DIR/prometheus/*.yml, the alert
# and recording rules; print their paths. jsonnet writes them, jq formats
# the JSON (two spaces, as jq prints it). `make mixin` runs it with DIR
# dashboards; tests/host/t-dashboards.sh into a temporary directory, to
# find checked-in files that differ from the source.
#
#   scripts/mixin.sh DIR
set -eu
[ $# = 1 ] || { echo "usage: scripts/mixin.sh DIR" >&2; exit 2; }
REPO=$(cd "$(dirname "$0")/.." && pwd)
OUT=$1
command -v jsonnet >/dev/null ||
	{ echo "mixin: no jsonnet: run scripts/install-deps.sh (make deps)" >&2; exit 1; }
mkdir -p "$OUT/grafana" "$OUT/prometheus"
files=$(jsonnet -J "$REPO/dashboards/mixin" -S -m "$OUT" "$REPO/dashboards/mixin/generate.jsonnet")
for f in $files; do
	case $f in
	*.json) jq . "$f" >"$f.tmp" && mv "$f.tmp" "$f" ;;
	esac
done
printf '%s\n' "$files"

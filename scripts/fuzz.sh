#!/bin/sh
# Run libFuzzer targets (built by mk/fuzz.mk in build/fuzz/):
#
#   scripts/fuzz.sh [--grow] SECONDS TARGET...
#
# Each target first replays its committed corpus (tests/fuzz/corpus/
# TARGET/, every input must pass), then fuzzes for SECONDS. New inputs go
# to build/fuzz/TARGET.new, or with --grow into the committed corpus
# (minimized with -merge=1). A crash fails the run; its input is kept as
# build/fuzz/crash-* to become a regression input in the corpus.
set -eu
grow=0
[ "${1:-}" = --grow ] && { grow=1; shift; }
secs=$1
shift
out=build/fuzz
status=0
for t in "$@"; do
	corpus=tests/fuzz/corpus/$t
	new=$out/$t.new
	mkdir -p "$corpus" "$new"
	# -rss_limit_mb: the reader must not balloon on hostile input.
	opts="-rss_limit_mb=512 -timeout=10 -artifact_prefix=$out/ -print_final_stats=1"
	# shellcheck disable=SC2086
	if ! "$out/$t" $opts -runs=0 "$corpus" >"$out/$t.replay.log" 2>&1; then
		tail -30 "$out/$t.replay.log"
		echo "  FAIL    $t: an input of the committed corpus fails"
		status=1
		continue
	fi
	# shellcheck disable=SC2086
	if "$out/$t" $opts -max_total_time="$secs" "$new" "$corpus" >"$out/$t.log" 2>&1; then
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$t.log")
		echo "  PASS    $t: corpus of $(ls "$corpus" | wc -l) replayed, ${execs:-?} runs in $secs s, no crash"
	else
		tail -40 "$out/$t.log"
		echo "  FAIL    $t: crash; input in $(ls -t $out/crash-* $out/timeout-* $out/oom-* 2>/dev/null | head -1)"
		status=1
		continue
	fi
	if [ "$grow" = 1 ]; then
		# shellcheck disable=SC2086
		"$out/$t" -merge=1 "$corpus" "$new" >"$out/$t.merge.log" 2>&1
		rm -rf "$new"
	fi
done
exit $status

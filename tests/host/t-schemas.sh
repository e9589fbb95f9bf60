#!/bin/bash
# The JSON sroscope writes, validated against its schemas (schemas/,
# JSON Schema draft 2020-12) by Debian's python3-jsonschema
# (tests/tools/schema-check.py):
#
#  - `sroscope trace FILE --json` of every reference workload
#    (examples/workloads/) and of each trace file in the DIRs (the unit
#    tests': every event type, every field at its extremes);
#  - `sroscope report --json` of every results file in the DIRs and of
#    the fuzzer's version-1 seed (older results files still read), and
#    those results files themselves;
#  - every other file of the DIRs by the format its name starts with
#    (sroscope-leaks.*, sroscope-report.*, ...): what the unit tests made
#    through the emitters (build/unit/keep, make unit) and what the VM
#    tests brought back (build/ARCH/vm-keep, make vm-test).
#
# Each schema must have validated something, or the test fails: a schema
# nothing exercises checks nothing. The vocabularies of the schemas are
# tests/unit/test_vocab.c's.
#
#   t-schemas.sh SROSCOPE DIR...
set -u
REPO=$(cd "$(dirname "$0")/../.." && pwd)
SROSCOPE=${1:?usage: t-schemas.sh SROSCOPE DIR...}
shift
CHECK=$REPO/tests/tools/schema-check.py
S=$REPO/schemas
failures=0
fail() {
	echo "FAIL: schemas: $*"
	failures=$((failures + 1))
}
[ -x "$SROSCOPE" ] || { echo "FAIL: schemas: no $SROSCOPE (make tools ARCH=x86_64)"; exit 1; }
/usr/bin/python3 -c 'import jsonschema' 2>/dev/null ||
	{ echo "FAIL: schemas: no python3-jsonschema (scripts/install-deps.sh)"; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
declare -A used

# validate FORMAT FILE...: FILEs against schemas/FORMAT.schema.json.
validate() {
	local format=$1 out
	shift
	[ -f "$S/$format.schema.json" ] || { fail "no schema for $*: $format"; return; }
	if out=$("$CHECK" "$S/$format.schema.json" "$@" 2>&1); then
		used[$format]=$((${used[$format]:-0} + $#))
	else
		fail "$(echo "$out" | grep -v '^ok: ' | sed '1s/^FAIL: //' | head -20)"
	fi
}

n=0
traces=("$REPO"/examples/workloads/*.srotrace)
results=("$REPO/tests/fuzz/corpus/fuzz_report/seed-valid")
for d in "$@"; do
	[ -d "$d" ] || { fail "no directory $d"; continue; }
	for f in "$d"/*; do
		[ -f "$f" ] || continue
		case ${f##*/} in
		*.srotrace) traces+=("$f") ;;
		sroscope-trace.*) validate sroscope-trace "$f" ;;
		sroscope-replay.*) results+=("$f"); validate sroscope-replay "$f" ;;
		sroscope-*.*) f0=${f##*/}; validate "${f0%%.*}" "$f" ;;
		*) fail "$f: no format in its name (sroscope-NAME.*)" ;;
		esac
	done
done
# emitted FORMAT NAME ARG...: `sroscope ARG... --json`, validated.
emitted() {
	local format=$1 o
	n=$((n + 1))
	o=$T/$n.$3-json.$(basename "$2")
	shift 2
	"$SROSCOPE" "$@" --json >"$o" 2>"$T/err" || fail "sroscope $* --json: $(cat "$T/err")"
	validate "$format" "$o"
}
for f in "${traces[@]}"; do
	emitted sroscope-trace "$f" trace "$f"
done
for f in "${results[@]}"; do
	emitted sroscope-report "$f" report "$f"
done
# Every results file at once: one document, one workload each.
emitted sroscope-report all report "${results[@]}"

for s in "$S"/*.schema.json; do
	format=$(basename "$s" .schema.json)
	[ "${used[$format]:-0}" -gt 0 ] || fail "$format: nothing validated against $s"
done
[ "$failures" = 0 ] || exit 1
summary=""
for format in "${!used[@]}"; do
	summary="$summary, $format ${used[$format]}"
done
echo "ok: schemas: files valid against their schema:${summary#,}"

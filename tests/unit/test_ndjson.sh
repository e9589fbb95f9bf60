#!/bin/sh
# tests/tools/ndjson on the host: test_ndjson.sh PATH-TO-NDJSON
set -u

N=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
runs=0

# expect WANT-STDOUT WANT-RC ndjson-args...
expect() {
	want=$1 rc=$2
	shift 2
	runs=$((runs + 1))
	got=$("$N" "$@" 2>"$T/err")
	got_rc=$?
	if [ "$got" != "$want" ] || [ "$got_rc" != "$rc" ]; then
		echo "FAIL: ndjson $*: got '$got' rc $got_rc, want '$want' rc $rc" >&2
		sed 's/^/  stderr: /' "$T/err" >&2
		fails=$((fails + 1))
	fi
}

cat >"$T/ev" <<'EOF'
{"event":"donate","size":4096,"realm":7,"contig":false,"lifetime_ns":null}
{"event":"donate","size":8192,"realm":8,"contig":true}
{"event":"reclaim","size":4096,"realm":7,"lifetime_ns":500}
{"event":"op_end","ratio":1.50,"big":18446744073709551615}
EOF
expect 4 0 check "$T/ev"
expect 4 0 count "$T/ev"
expect 2 0 count "$T/ev" event=donate
expect 1 0 count "$T/ev" event=donate realm=7
expect 0 0 count "$T/ev" event=donate realm=9
expect 1 0 count "$T/ev" contig=true
expect 1 0 count "$T/ev" ratio=1.50
expect 1 0 count "$T/ev" lifetime_ns=null
expect 16384 0 sum "$T/ev" size
expect 12288 0 sum "$T/ev" size event=donate
expect 500 0 sum "$T/ev" lifetime_ns
expect 18446744073709551615 0 sum "$T/ev" big
expect 0 0 sum "$T/ev" nothing
expect "" 1 sum "$T/ev" ratio
expect "" 1 sum "$T/ev" event
expect "" 2 count "$T/ev" no-equals-sign

printf '{"a":1}\n\n' >"$T/blank"
expect "" 1 check "$T/blank"
printf '{"a":1}\n[1]\n' >"$T/array"
expect "" 1 check "$T/array"
printf '{"a":1} x\n' >"$T/junk"
expect "" 1 check "$T/junk"
printf '{"a":1}' >"$T/nonl"
expect 1 0 check "$T/nonl"
printf '{"s":-1}\n' >"$T/neg"
expect "" 1 sum "$T/neg" s
printf '{"s":18446744073709551615}\n{"s":1}\n' >"$T/over"
expect "" 1 sum "$T/over" s
expect "" 2 check "$T/none"

cat >"$T/doc" <<'EOF'
{"reliable": true,
 "realms": [{"id": 7, "unreturned_bytes": 0, "name": "r7"},
            {"id": 8, "unreturned_bytes": 4096, "x": null}],
 "o": {"a": 1, "b": []}}
EOF
expect true 0 get "$T/doc" reliable
expect 0 0 get "$T/doc" realms.0.unreturned_bytes
expect 4096 0 get "$T/doc" realms.1.unreturned_bytes
expect r7 0 get "$T/doc" realms.0.name
expect null 0 get "$T/doc" realms.1.x
expect '{"id":8,"unreturned_bytes":4096,"x":null}' 0 get "$T/doc" realms.1
expect '{"a":1,"b":[]}' 0 get "$T/doc" o
expect "" 1 get "$T/doc" realms.2
expect "" 1 get "$T/doc" realms.x
expect "" 1 get "$T/doc" nope
expect "" 1 get "$T/doc" realms.0.name.z
expect 2 0 len "$T/doc" realms
expect 0 0 len "$T/doc" o.b
expect "" 1 len "$T/doc" reliable
expect "" 1 get "$T/ev" event
expect "" 2 get "$T/doc"

echo "ndjson: $((runs - fails)) of $runs passed"
[ "$fails" = 0 ]

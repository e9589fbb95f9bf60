#!/bin/sh
# The KUnit suite of the executor and provider ran at boot and passed.
. ./lib/sro.sh
r=/sys/kernel/debug/kunit/rmi_sro/results
[ -f "$r" ] || fail "KUnit suite rmi_sro did not run"
cat "$r"
ok=$(grep -c "^    ok " "$r")
bad=$(grep -c "^    not ok " "$r")
[ "$bad" = 0 ] || fail "$bad KUnit cases failed"
[ "$ok" -ge 25 ] || fail "only $ok KUnit cases ran (25 expected)"

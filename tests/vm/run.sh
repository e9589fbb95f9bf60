#!/bin/sh
# The in-VM test suite: runs every tests/vm/t-*.sh in name order, each in
# its own shell, and reports TAP-like lines and a closing summary line
# "N passed, N failed". Exit status 1 if any test failed.
#
# Run it inside the test VM: make vm-test ARCH=x86_64|arm64
# Run one test: make vm-run CMD='sh tests/vm/t-20-rec.sh'
# "run.sh real" runs tests/vm/real/ instead: the suite against the real
# RMM (make real-rmm-test).
KEEP_OUT=$(cd "$(dirname "$0")" && pwd)/keep-out.sh
cd "$(dirname "$0")/${1:-.}" || exit 1
pass=0
fail=0
n=0
for t in ./t-*.sh; do
	n=$((n + 1))
	name=$(basename "$t" .sh)
	start=$(date +%s)
	# A test that runs long says so every 30 s (a TAP comment).
	(
		while sleep 30 >/dev/null 2>&1; do
			echo "# $name: running, $(($(date +%s) - start)) s"
		done
	) &
	tick=$!
	st=0
	sh "$t" >"/tmp/$name.log" 2>&1 || st=$?
	kill "$tick"
	wait "$tick" 2>/dev/null
	if [ "$st" = 0 ]; then
		pass=$((pass + 1))
		echo "ok $n $name ($(($(date +%s) - start)) s)"
	else
		fail=$((fail + 1))
		echo "not ok $n $name"
		sed 's/^/#   /' "/tmp/$name.log" | tail -40
	fi
done
# A WARN or BUG from the kernel fails the run even if every test passed.
if dmesg | grep -qE "WARNING:|BUG:|Oops|Call Trace"; then
	fail=$((fail + 1))
	echo "not ok $((n + 1)) kernel-log-clean"
	dmesg | grep -B5 -A20 -E "WARNING:|BUG:|Oops" | sed 's/^/#   /' | head -60
else
	pass=$((pass + 1))
	echo "ok $((n + 1)) kernel-log-clean"
fi
# The JSON the tests kept, for the host to validate (keep-out.sh).
sh "$KEEP_OUT"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]

#!/bin/sh
# On a kernel without the sro events (this build host's), every tracing
# command stops with a clear error instead of a libbpf dump, and replay
# (the what-if lab, which the package ships: docs/architecture.md) stops
# before it changes anything on a host without the emulated RMM. Needs
# root (as the commands do) and an x86_64 host; skipped otherwise.
set -u
SROSCOPE=${1:-build/x86_64/vmroot/bin/sroscope}
if [ "$(id -u)" != 0 ] || [ "$(uname -m)" != x86_64 ]; then
	echo "  SKIP    no-sro-events (needs root on x86_64)"
	exit 0
fi
if [ -e /sys/kernel/tracing/events/sro ]; then
	echo "  SKIP    no-sro-events (this kernel has them)"
	exit 0
fi
for c in trace top hist leaks "record /tmp/sroscope-host-test.srotrace"; do
	# shellcheck disable=SC2086
	if $SROSCOPE $c >/tmp/sroscope-host.out 2>&1; then
		echo "  FAIL    sroscope $c succeeded on a kernel without sro events"
		exit 1
	fi
	# Without BTF the first thing said is that; both are clear.
	if ! grep -q "this kernel has no 'sro' trace events\|this kernel has no BTF" /tmp/sroscope-host.out; then
		echo "  FAIL    sroscope $c: unclear error:"
		cat /tmp/sroscope-host.out
		exit 1
	fi
done
rm -f /tmp/sroscope-host-test.srotrace /tmp/sroscope-host.out
REPO=$(cd "$(dirname "$0")/../.." && pwd)
if [ -e /run/sroscope ]; then
	echo "  SKIP    no-sro-events: replay (/run/sroscope exists here)"
elif $SROSCOPE replay "$REPO/examples/workloads/churn.srotrace" -o /tmp/sroscope-host.json \
	>/tmp/sroscope-host.out 2>&1; then
	echo "  FAIL    sroscope replay succeeded without an emulated RMM"
	exit 1
elif ! grep -q "no emulated RMM here" /tmp/sroscope-host.out ||
     [ -e /run/sroscope ] || [ -e /tmp/sroscope-host.json ]; then
	echo "  FAIL    sroscope replay: unclear error, or it left something behind:"
	cat /tmp/sroscope-host.out
	rm -rf /run/sroscope /tmp/sroscope-host.json
	exit 1
fi
rm -f /tmp/sroscope-host.out
echo "  PASS    no-sro-events: 5 commands refuse with a clear error, replay changes nothing"

#!/bin/sh
# On a kernel without the sro events (this build host's), every tracing
# command stops with a clear error instead of a libbpf dump. Needs root
# (as the commands do) and an x86_64 host; skipped otherwise.
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
echo "  PASS    no-sro-events: 5 commands refuse with a clear error"

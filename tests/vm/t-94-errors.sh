#!/bin/sh
# Clear errors: bad arguments, missing privileges, and a kernel without
# the sro events (simulated: the BPF object cannot find them).
. ./lib/sro.sh

# must_fail STATUS PATTERN CMD...: exits STATUS and says PATTERN.
must_fail() {
	want=$1 pat=$2
	shift 2
	"$@" >/tmp/out.txt 2>&1
	st=$?
	[ $st = "$want" ] || fail "'$*' exited $st, not $want: $(cat /tmp/out.txt)"
	grep -q -- "$pat" /tmp/out.txt || fail "'$*' did not say '$pat': $(cat /tmp/out.txt)"
	echo "ok: $*: $(grep -- "$pat" /tmp/out.txt | head -1)"
}
must_fail 2 "invalid interval" sroscope top 0
must_fail 2 "invalid count" sroscope hist 1 x
must_fail 2 "unexpected argument" sroscope hist 1 2 3
must_fail 2 "unknown event 'donut'" sroscope trace -e donut
must_fail 2 "invalid size" sroscope leaks -m 4X
must_fail 2 "invalid age" sroscope leaks -a forever
must_fail 2 "power of two" sroscope trace --ringbuf-size 3000
must_fail 2 "which FILE" sroscope record
must_fail 2 "invalid realm" sroscope top -R 0
must_fail 2 "unknown command" sroscope tarce
must_fail 1 "No such file" sroscope trace /nonexistent
# Without any capability (root's uid kept): each command says which.
for c in trace top hist leaks "record /tmp/x.srotrace"; do
	# shellcheck disable=SC2086
	must_fail 1 "missing capabilities: CAP_BPF CAP_PERFMON" dropcaps sroscope $c
done
for c in trace top hist leaks record; do
	sroscope $c --help | grep -q "EXAMPLES:" || fail "$c --help has no EXAMPLES"
done
echo "ok: every command's --help has EXAMPLES"

#!/bin/sh
# The numbers of the command line: each option takes a range, and a
# number out of it, a fraction or a unit the option does not take is a
# usage error (status 2) that says what is accepted. "top -C 18446744073
# 3" used to wrap the deadline around and print its 3 reports at once.
. ./lib/sro.sh

# refused 'MESSAGE' CMD...: exits 2 at once and prints MESSAGE.
refused() {
	_want=$1
	shift
	"$@" >/tmp/num.out 2>&1
	_st=$?
	[ $_st = 2 ] || fail "'$*' exited $_st, not 2: $(cat /tmp/num.out)"
	grep -qF -- "$_want" /tmp/num.out || fail "'$*' did not say \"$_want\": $(cat /tmp/num.out)"
	echo "ok: $*: $_want"
}

refused "invalid interval '18446744073': a whole number of seconds, or one with a unit (ns, us, ms, s, m, h), from 1ms to 24h" \
	sroscope top -C 18446744073 3
refused "invalid interval '1.5': a whole number of seconds" sroscope top 1.5
refused "invalid interval '999us'" sroscope hist 999us
refused "invalid count '0': a whole number, from 1 to 1000000000" sroscope hist 1 0
refused "invalid count '18446744073709551616'" sroscope leaks 1 18446744073709551616
refused "invalid row count '100001': a whole number, from 1 to 100000" sroscope top -r 100001
refused "invalid age '8761h'" sroscope leaks -a 8761h
refused "invalid duration '0': " sroscope trace -d 0
refused "invalid realm '4294967296': a whole number, from 1 to 4294967295" sroscope trace -R 4294967296
refused "invalid size '2T': a whole number of bytes, or one with a unit (K, M, G), from 0 to 1024G" \
	sroscope hist -m 2T
refused "invalid donation count '16777217'" sroscope top --max-donations 16777217
refused "a power of two from 4K to 1G" sroscope trace --ringbuf-size 3000
refused "invalid count '0': a whole number, from 1 to 10000000" sroscope policy cycle exact --count 0

# An edge is taken: 10 ms intervals, and as many reports as asked.
sroscope hist -w size 10ms 3 >/tmp/num.out 2>&1 || fail "hist 10ms 3: $(cat /tmp/num.out)"
expect_eq "hist 10ms 3: reports" "$(grep -c '^Donate request size (contiguous)' /tmp/num.out)" 3

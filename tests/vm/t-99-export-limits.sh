#!/bin/sh
# sroscope export against slow and greedy clients (tests/tools/slowclient.c)
# on loopback: the hostile ones from 127.0.0.1 and 127.0.0.3, a good
# scraper from 127.0.0.2 (Linux routes all of 127/8 on lo).
#  - 64 connections from one address, each sending one header line every
#    10 s, do not keep a scrape out: it is answered within 5 s;
#  - a connection that trickles a header line every second is closed at
#    the request deadline (5 s), however long it would go on;
#  - a request larger than a connection's memory is refused (431).
. ./lib/sro.sh
ADDR=127.0.0.1:29437

# good: one whole scrape from 127.0.0.2 within 5 s, of the sro metrics.
good() {
	out=$(slowclient get -s 127.0.0.2 -t 5 -o /tmp/limits.prom $ADDR) ||
		fail "$1: the scrape did not get through in 5 s"
	expect_eq "$1: scrape status" "${out% *}" 200
	grep -q '^sroscope_exporter_scrapes_total ' /tmp/limits.prom ||
		fail "$1: no sroscope metrics in the answer"
	echo "$1: scrape answered in ${out#* } ms"
}

scope lim export -l $ADDR
good "alone"

slowclient trickle -n 64 -i 10 -d 24 -s 127.0.0.1 $ADDR >/tmp/trickle64 &
T=$!
sleep 4
for i in 1 2 3; do
	good "64 slow clients, scrape $i"
	sleep 4
done
wait $T || fail "slowclient trickle failed"
cat /tmp/trickle64

# One header line a second: never idle, but late; cut at 5 s (the
# reaper may run a little after that on a busy VM).
slowclient trickle -n 4 -i 1 -d 14 -s 127.0.0.3 $ADDR >/tmp/trickle4 ||
	fail "slowclient trickle failed"
cat /tmp/trickle4
read -r _ opened _ closed _ longest _ oldest </tmp/trickle4
[ "$closed" -ge 4 ] || fail "trickling connections were not closed ($(cat /tmp/trickle4))"
awk -v l="$longest" -v o="$oldest" 'BEGIN { exit !(l >= 4.5 && l <= 7.5 && o <= 7.5) }' ||
	fail "a trickling connection lived outside 4.5-7.5 s ($(cat /tmp/trickle4))"

# Request headers past the connection's 16 KiB.
out=$(slowclient get -s 127.0.0.3 -t 5 -H 20000 $ADDR) || fail "a big request got no answer"
expect_eq "20000-byte header: status" "${out% *}" 431
good "after all that"
scope_end lim
echo "ok: a scrape got through 64 slow clients; trickling requests cut at ${longest} s"

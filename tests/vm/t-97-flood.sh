#!/bin/sh
# No false leak from lost events: a trace whose ring buffer is far too
# small for an event flood loses events and says how many, while leaks,
# which keeps its books in maps and not from the ring buffer, stays exact
# against the emulator and reliable. (A full donation map is t-92's: the
# report is then marked unreliable.)
. ./lib/sro.sh
new_realm gone busy
# The emulator counts per realm id for good: what this test adds is the
# difference (0 before it: new_realm never hands out an id used before).
h0=$(truth held $gone)
h0=${h0:-0}
scope lk leaks --json -a 0
scope tr trace --json --ringbuf-size 4K
emu "realm_create $busy" "rec_create $busy 2" "realm_create $gone" "rec_create $gone 1"
# The flood: thousands of events in a burst, the trace reader polling
# every 100 ms behind a 4 KiB buffer.
emuloop 300 "pdev_create $busy 8" "pdev_destroy $busy" >/dev/null || fail "flood failed"
emu "pdev_create $gone 5" "leak $gone 2" "realm_destroy $gone"
scope_end tr
scope_end lk
lost=$(grep -o '[0-9]* events dropped\|lost [0-9]*' /tmp/tr.err | grep -o '[0-9]*' | head -1)
[ "${lost:-0}" -gt 0 ] || fail "a 4 KiB ring buffer lost nothing in a flood? ($(cat /tmp/tr.err))"
events=$(nj_events /tmp/tr.out)
echo "ok: trace delivered $events events and says $lost were lost"
expect_eq "leaks: reliable (its maps lost nothing)" "$(nj get /tmp/lk.out reliable)" true
expect_eq "leaks: ring buffer losses are not its own" "$(nj get /tmp/lk.out losses.ringbuf_drops)" 0
expect_eq "leaks: realm $gone unreturned (vs emulator)" "$(nj get /tmp/lk.out destroyed.0.unreturned_bytes)" \
	"$(( ($(truth held $gone) - h0) * GRANULE ))"
expect_eq "leaks: realm $gone is the only one" "$(nj len /tmp/lk.out destroyed)" 1
expect_eq "leaks: realm $busy held (vs emulator)" "$(nj get /tmp/lk.out held_over_age_bytes)" \
	"$(( ($(truth held $busy) + $(truth host $busy)) * GRANULE ))"
emu "realm_destroy $busy"

#!/bin/sh
# sroscope record keeps every event: read back with "trace FILE", the file
# gives what a live "trace --json" saw, field for field (but the time and
# CPU, which each tracer takes itself). A damaged file is refused with a
# clear error, after the events before the damage.
. ./lib/sro.sh
new_realm r rk
trace_start
scope rec record /tmp/run.srotrace
scope live trace --json
emu "realm_create $r" "fault partial 2" "rec_create $r 2" "oneway $r 4" \
    "fault zero 1" "pdev_create $r" "fault undelegate_fail 1" "rec_destroy $r 1" \
    "huge $r 2097152" "realm_destroy $r"
scope_end rec
scope_end live
trace_stop
grep -q "events written to /tmp/run.srotrace" /tmp/rec.err || fail "record: $(cat /tmp/rec.err)"

sroscope trace /tmp/run.srotrace --json >/tmp/back.out 2>/tmp/back.err ||
	fail "trace FILE: $(cat /tmp/back.err)"
n=$(nj_events /tmp/live.out)
expect_eq "events read back" "$(nj_events /tmp/back.out)" "$n"
expect_eq "events in tracefs" "$n" "$(grep -c ' sro_[a-z_]*: ' /tmp/trace.txt)"
# Field for field, but the times each tracer takes itself (ts, and a
# lifetime from two such times) and cpu. Two tracers may see events of two
# CPUs in a different order: compare sorted.
strip() {
	sed 's/"ts":[0-9]*,//; s/"cpu":[0-9]*,//; s/"lifetime_ns":[0-9]*/"lifetime_ns":T/' "$1" | sort
}
strip /tmp/live.out >/tmp/live.cmp
strip /tmp/back.out >/tmp/back.cmp
cmp -s /tmp/live.cmp /tmp/back.cmp || {
	diff /tmp/live.cmp /tmp/back.cmp | grep "^[-+]" | head -6
	fail "the file differs from the live trace"
}
echo "ok: $n events identical to the live trace"
expect_eq "realm $r held after destroy (file vs emulator)" \
	"$(( $(nj sum /tmp/back.out size event=donate) - $(nj sum /tmp/back.out size event=reclaim) ))" \
	"$(( $(truth held $r) * GRANULE ))"

# A trace holds physical addresses: its owner's only; an existing file is
# replaced only with --force, a symbolic link never.
expect_eq "trace file mode" "$(ls -l /tmp/run.srotrace | cut -c1-10)" "-rw-------"
cp /tmp/run.srotrace /tmp/keep.srotrace
if sroscope record -d 1s /tmp/run.srotrace 2>/tmp/again.err; then
	fail "an existing trace was replaced without --force"
fi
grep -q "exists: give --force" /tmp/again.err || fail "unclear error: $(cat /tmp/again.err)"
cmp -s /tmp/run.srotrace /tmp/keep.srotrace || fail "a refused recording changed the file"
echo secret >/tmp/target
ln -sf /tmp/target /tmp/link.srotrace
if sroscope record -f -d 1s /tmp/link.srotrace 2>/tmp/link.err; then
	fail "recorded through a symbolic link"
fi
grep -q "symbolic link" /tmp/link.err || fail "unclear error: $(cat /tmp/link.err)"
expect_eq "the link's target" "$(cat /tmp/target)" secret
sroscope record -f -d 1s /tmp/keep.srotrace 2>/tmp/force.err || fail "record -f: $(cat /tmp/force.err)"
sroscope trace /tmp/keep.srotrace >/dev/null 2>&1 || fail "the replaced trace does not read back"
expect_eq "replaced trace mode" "$(ls -l /tmp/keep.srotrace | cut -c1-10)" "-rw-------"
echo "ok: $(cat /tmp/again.err); $(cat /tmp/link.err)"

# Damage: cut in the middle, flip a byte, a newer version, not a trace.
size=$(wc -c </tmp/run.srotrace)
head -c $((size / 2)) /tmp/run.srotrace >/tmp/cut.srotrace
if sroscope trace /tmp/cut.srotrace >/tmp/cut.out 2>/tmp/cut.err; then
	fail "a truncated file was accepted"
fi
grep -q "truncated\|offset" /tmp/cut.err || fail "no clear error: $(cat /tmp/cut.err)"
echo "ok: truncated file: $(cat /tmp/cut.err)"
cp /tmp/run.srotrace /tmp/flip.srotrace
printf '\377' | dd of=/tmp/flip.srotrace bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
if sroscope trace /tmp/flip.srotrace >/dev/null 2>/tmp/flip.err; then
	fail "a corrupted file was accepted"
fi
echo "ok: corrupted file: $(cat /tmp/flip.err)"
cp /tmp/run.srotrace /tmp/new.srotrace
printf '\011' | dd of=/tmp/new.srotrace bs=1 seek=8 conv=notrunc 2>/dev/null
if sroscope trace /tmp/new.srotrace >/dev/null 2>/tmp/new.err; then
	fail "a future version was accepted"
fi
grep -q "version" /tmp/new.err || fail "no clear error: $(cat /tmp/new.err)"
echo "ok: newer version: $(cat /tmp/new.err)"
if sroscope trace /sroscope/bin/sroscope >/dev/null 2>/tmp/bad.err; then
	fail "a non-trace file was accepted"
fi
echo "ok: not a trace: $(cat /tmp/bad.err)"

# Replay takes what a cut recording holds, and says it was cut: the file
# without its trailer (88 bytes) plans as the whole; a recorder killed
# (SIGKILL) after a flush leaves a file that plans its flushed blocks.
head -c $((size - 88)) /tmp/run.srotrace >/tmp/notrailer.srotrace
sroscope replay -n /tmp/run.srotrace >/tmp/whole.plan 2>/dev/null || fail "replay -n of the recording failed"
sroscope replay -n /tmp/notrailer.srotrace >/tmp/notrailer.plan 2>/tmp/notrailer.err ||
	fail "a recording without its trailer was refused: $(cat /tmp/notrailer.err)"
grep -q "truncated: no trailer.*cut short" /tmp/notrailer.err || fail "unclear: $(cat /tmp/notrailer.err)"
expect_eq "plan without the trailer" "$(grep -v '^#' /tmp/notrailer.plan | md5sum)" "$(grep -v '^#' /tmp/whole.plan | md5sum)"
scope killed record /tmp/killed.srotrace
emu "realm_create $rk" "rec_create $rk 1"
sleep 1.5
# The first event a second after the last flush flushes the block.
emu "rec_destroy $rk 1" "realm_destroy $rk"
sleep 0.5
eval "kill -KILL \$SCOPE_killed"
wait "$SCOPE_killed" 2>/dev/null
sroscope replay -n /tmp/killed.srotrace >/tmp/killed.plan 2>/tmp/killed.err ||
	fail "a killed recorder's file was refused: $(cat /tmp/killed.err)"
grep -q "cut short" /tmp/killed.err || fail "unclear: $(cat /tmp/killed.err)"
grep -q "rec_create $rk 1" /tmp/killed.plan || fail "the flushed block is not in the plan: $(cat /tmp/killed.plan)"
echo "ok: $(cat /tmp/killed.err)"
check_books

#!/bin/sh
# Prepared policies: load and swap keep each policy they loaded pinned as
# ready-DIGEST, and a later swap to the same object reuses it instead of
# loading it again; an object whose bytes changed is loaded afresh; a
# swap to the policy in charge does nothing; at most 8 are kept, never
# the one in charge; unload drops them all.
. ./lib/sro.sh
new_realm r
PIN_DIR=/sys/fs/bpf/sroscope
POLICY_DIR=$(dirname "$(command -v sroscope)")/../lib/sroscope/policies
ready() { ls "$PIN_DIR" | grep -c '^ready-'; }
in_charge() { cat "$POOL/policy"; }
swaps() { stat policy_swaps; }
# swap NAME: run it, its output in /tmp/swap.out
swap() {
	sroscope policy swap "$1" >/tmp/swap.out 2>&1 ||
		fail "swap $1: $(cat /tmp/swap.out)"
}

policy load exact >/dev/null
expect_eq "load keeps its policy prepared" "$(ready)" 1

swap contig
expect_eq "first swap to contig loads it" "$(grep -c '(prepared)' /tmp/swap.out)" 0
expect_eq "contig in charge" "$(in_charge)" contig
expect_eq "contig prepared too" "$(ready)" 2

s0=$(swaps)
swap exact
grep -q '^policy contig replaced by exact (prepared) in ' /tmp/swap.out ||
	fail "swap back to exact did not reuse it: $(cat /tmp/swap.out)"
expect_eq "exact in charge again" "$(in_charge)" exact
swap contig
grep -q '(prepared)' /tmp/swap.out || fail "contig not reused: $(cat /tmp/swap.out)"
expect_eq "contig in charge again" "$(in_charge)" contig
expect_eq "two swaps counted" "$(( $(swaps) - s0 ))" 2

# The prepared copy decides as a fresh one does.
trace_start
emu "realm_create $r" "huge $r 8388608"
trace_stop
expect_eq "prepared contig serves 8 MiB from contig" "$(count sro_alloc 'size=8388608 order=11 source=contig purpose=sro .* fallback=0')" 1

s0=$(swaps)
swap contig
expect_eq "swap to the policy in charge" "$(cat /tmp/swap.out)" "policy contig is already in charge; nothing done"
expect_eq "nothing swapped" "$(( $(swaps) - s0 ))" 0

# By content, not by name: a copy of the same bytes is the same policy;
# the same name with other bytes is another.
cp "$POLICY_DIR/exact.bpf.o" /tmp/exact.bpf.o
swap /tmp/exact.bpf.o
grep -q '(prepared)' /tmp/swap.out || fail "same bytes not reused: $(cat /tmp/swap.out)"
printf 'x' >>/tmp/exact.bpf.o
swap /tmp/exact.bpf.o
expect_eq "changed object loaded afresh" "$(grep -c '(prepared)' /tmp/swap.out)" 0
expect_eq "exact in charge" "$(in_charge)" exact
expect_eq "three prepared" "$(ready)" 3

# Bounded: ten more distinct objects, never more than 8 kept, and the
# one in charge always among them.
i=0
while [ $i -lt 10 ]; do
	i=$((i + 1))
	printf '%s' "$i" >>/tmp/exact.bpf.o
	swap /tmp/exact.bpf.o
	n=$(ready)
	[ "$n" -le 8 ] || fail "$n prepared policies kept"
done
s0=$(swaps)
swap /tmp/exact.bpf.o
expect_eq "the last one, in charge, still prepared" "$(grep -c 'already in charge' /tmp/swap.out)" 1

# Something else pinned under a prepared name is not trusted as one.
policy unload >/dev/null
policy load contig >/dev/null
name=$(ls "$PIN_DIR" | grep '^ready-')
policy swap exact >/dev/null
rm "$PIN_DIR/$name"
ln -s /sys/fs/bpf/sroscope/policy "$PIN_DIR/$name" ||
	fail "cannot make a symbolic link on bpffs"
swap contig
expect_eq "not a prepared policy: contig loaded afresh" "$(grep -c '(prepared)' /tmp/swap.out)" 0
expect_eq "contig in charge" "$(in_charge)" contig
[ -L "$PIN_DIR/$name" ] && fail "the symbolic link is still there"
[ -e "$PIN_DIR/$name" ] || fail "contig not prepared again"

policy unload >/dev/null
expect_eq "unload drops the prepared policies" "$(ready)" 0
expect_eq "default in charge" "$(in_charge)" default
policy load adaptive >/dev/null
expect_eq "load after unload prepares afresh" "$(ready)" 1
policy unload >/dev/null
emu "realm_destroy $r"
check_realm_gone $r
echo "prepared policies: OK"

#!/bin/sh
# Bad policies lose nothing: an out-of-range verdict is replaced by the
# default (counted, traced), a source that always fails falls back to
# alloc_pages_exact() (counted), a program that writes to the request
# is refused by the verifier with its log shown, and a file that is not
# a BPF object is refused with libbpf's reason (not "Unknown error").
. ./lib/sro.sh
new_realm r
echo 0 >"$POOL/pool_size"
trace_start
emu "realm_create $r"
trace_cut

inv=$(stat policy_invalid)
policy load "$TEST_POLICIES/bad_verdict.bpf.o"
emu "rec_create $r 1"
trace_cut
expect_eq "invalid verdicts counted" "$(( $(stat policy_invalid) - inv ))" 17
expect_eq "invalid verdicts traced" "$(count sro_policy 'action=invalid_verdict')" 17
expect_eq "blocks served by exact" "$(count sro_alloc 'source=exact')" 17

fb=$(stat policy_fallbacks)
policy swap "$TEST_POLICIES/always_fail.bpf.o"
emu "rec_create $r 1"
trace_cut
expect_eq "fallbacks counted" "$(( $(stat policy_fallbacks) - fb ))" 17
expect_eq "pool attempts failed" "$(count sro_alloc_fail 'source=pool')" 17
expect_eq "blocks served by exact as fallback" "$(count sro_alloc 'source=exact' | tr -d ' ')" 17
expect_eq "fallback flag on them" "$(count sro_alloc 'fallback=1')" 17

if sroscope policy swap "$TEST_POLICIES/bad_write.bpf.o" >/tmp/bad.log 2>&1; then
	fail "a policy writing to the request was accepted"
fi
cat /tmp/bad.log
grep -q "verifier" /tmp/bad.log || fail "no verifier log shown"
expect_eq "the previous policy is still in charge" "$(cat "$POOL/policy")" always_fail

if sroscope policy load exact >/tmp/busy.log 2>&1; then
	fail "a second policy was loaded over the first"
fi
grep -q "already" /tmp/busy.log || fail "no clear error for a second load: $(cat /tmp/busy.log)"
policy unload
# With no policy loaded, so that the file itself is what is refused.
if sroscope policy load /sroscope/tests/vm/run.sh >/tmp/notbpf.log 2>&1; then
	fail "a file that is not a policy was loaded"
fi
cat /tmp/notbpf.log
# libbpf's own error code (LIBBPF_ERRNO__FORMAT), in libbpf's words.
grep -q "is not a BPF object: BPF object format invalid" /tmp/notbpf.log ||
	fail "no readable reason for a file that is not a BPF object"
emu "realm_destroy $r"
trace_stop
check_books
check_realm_gone $r

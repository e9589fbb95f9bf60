# Shell helpers for the suite against the real RMM (sourced; busybox sh).
#
# The RMM is TF-RMM under QEMU's RME emulation and the host side is the
# test-only driver rmm_host (CONFIG_ARM_RMM_HOST_TEST): it plays what KVM
# would do, so every realm, RTT and REC below is the RMM's own, and every
# donation the RMM's own request. There is no emulator and no ground truth
# but the RMM's answers, which the trace carries: what the RMM consumed
# (sro_donate_result) and the ranges it gave back (sro_reclaim).
LIB=../lib
. ../lib/sro.sh
HOST=/sys/kernel/debug/rmm_host
# The driver's realm ids are 1 to HOST_MAX_REALMS (rmm_host.c): new_realm
# hands out those.
HOST_MAX_REALMS=16
REALM_ID_MAX=$HOST_MAX_REALMS

# host CMD...: commands to the driver; host_fails CMD: one it must refuse.
host() { ctl rmm_host "$HOST/ctl" "$@"; }
host_fails() { ctl_refused rmm_host "$HOST/ctl" "$1"; }

# on CPU CMD...: host CMD... from a shell pinned to CPU, in the
# background; on_wait waits for all of them and fails if one failed.
ON_PIDS=""
on() {
	_cpu=$1
	shift
	taskset -c "$_cpu" sh -c 'for c; do echo "$c" >'"$HOST"'/ctl || { echo "rmm_host: $c failed" >&2; exit 1; }; done' sh "$@" &
	ON_PIDS="$ON_PIDS $!"
}
on_wait() {
	for _p in $ON_PIDS; do
		wait "$_p" || fail "commands on a CPU failed"
	done
	ON_PIDS=""
}

# The provider's books hold nothing for realm R.
books_empty() {
	expect_eq "realm $1 blocks in the provider's books" \
		"$(awk -v r="$1" '$3 == "realm" && $4 == r' "$POOL/blocks" | wc -l)" 0
}

# Every granule the RMM said it consumed was donated, and every one
# donated came back: per realm, from the trace alone.
check_accounted() {
	for _r in "$@"; do
		_cons=$(sum_field sro_donate_result consumed "realm=$_r ")
		_don=$(sum_field sro_donate size "realm=$_r .*purpose=sro")
		_rec=$(sum_field sro_reclaim size "realm=$_r .*purpose=sro")
		expect_eq "realm $_r: donated = consumed by the RMM" "$_don" "$((_cons * GRANULE))"
		expect_eq "realm $_r: reclaimed = donated" "$_rec" "$_don"
		# RD, RTT and REC granules: the host's, given back at destroy.
		expect_eq "realm $_r: host objects given back" \
			"$(sum_field sro_reclaim size "realm=$_r ")" "$(sum_field sro_donate size "realm=$_r ")"
		expect_eq "realm $_r held bytes (books from the trace)" "$(books held_bytes "$_r")" 0
	done
	expect_eq "books errors" "$(books errors)" 0
}

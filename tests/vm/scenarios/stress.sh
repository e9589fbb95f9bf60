#!/bin/sh
# Stress (make stress; a short run in make test), on the sanitizer kernel:
# emustress drives the emulated RMM from every CPU at random with every
# fault mode, its page and slab allocations failing at random (fault
# injection), while policies are swapped continually and sroscope leaks
# and sroscope export watch. At the end: every granule balances against
# the emulator's ground truth (held by the RMM only where it kept or was
# given memory for good), granule by granule against the RMM's own map,
# the provider saw no double free or bad reclaim,
# sroscope's books equal the emulator's, kmemleak finds nothing of ours,
# and the kernel log has no KASAN, lockdep or BUG report.
#
#   STRESS_OPS (default 20000), FAIL_PROB percent (default 1), STRESS_SEED,
#   KEEP_MB (default 256: what leaks and one-way donations may keep)
cd "$(dirname "$0")/.." || exit 1
. ./lib/sro.sh
OPS=${STRESS_OPS:-20000}
PROB=${FAIL_PROB:-1}
SEED=${STRESS_SEED:-$(date +%s)}
FI=/sys/kernel/debug

[ -e $FI/kmemleak ] || fail "not the sanitizer kernel (no kmemleak): boot with VM_DEBUG=1"
dmesg -c >/dev/null
pool_setup $((16 << 20)) $((4 << 20))
policy load exact
cp "$SRO_STATS" /tmp/stats.base
base_leaked=$(stat leaked_bytes)
base_double=$(stat double_frees)
base_bad=$(stat bad_reclaims)
base_abandoned=$(stat ops_abandoned)
base_pending=$(truth ops_pending)

# Page and slab allocations of the marked tasks (emustress) fail at random.
for f in fail_page_alloc failslab; do
	echo Y >$FI/$f/task-filter
	echo "$PROB" >$FI/$f/probability
	echo 1 >$FI/$f/interval
	echo -1 >$FI/$f/times
	echo 0 >$FI/$f/verbose
	echo N >$FI/$f/ignore-gfp-wait
done
echo N >$FI/fail_page_alloc/ignore-gfp-highmem
echo 0 >$FI/fail_page_alloc/min-order

# Both attached before the first operation: a tracer started late misses
# donations, and a destroyed realm's unreturned bytes would differ.
scope lk leaks --json -a 0 --max-donations 1048576
scope ex export --max-donations 1048576
rm -f /tmp/stop
(
	n=0
	while [ ! -f /tmp/stop ]; do
		sroscope policy cycle exact,contig,pool,adaptive --count 20 >/dev/null 2>&1 || exit 1
		n=$((n + 20))
	done
	echo "$n" >/tmp/swaps
) &
SWAPPER=$!

start=$(date +%s)
echo "stress: tracer, exporter and policy swaps running; $OPS operations from $(nproc) CPUs"
# A long run says how far it is every 30 s (the kernel's operation count).
(
	while sleep 30 && [ ! -f /tmp/stop ]; do
		echo "stress: $(( $(date +%s) - start )) s, $(( $(stat ops) - $(awk '$1 == "ops" { print $2 }' /tmp/stats.base) )) SRO operations so far"
	done
) &
TICKER=$!
FAIL=1 emustress "$OPS" "$(nproc)" "$SEED" >/tmp/stress.out || fail "emustress: $(cat /tmp/stress.out)"
secs=$(( $(date +%s) - start ))
echo "emustress ($secs s, seed $SEED):"
sed 's/^/  /' /tmp/stress.out
touch /tmp/stop
kill $TICKER 2>/dev/null
wait $SWAPPER || fail "policy swaps failed"
for f in fail_page_alloc failslab; do
	echo 0 >$FI/$f/probability
done
policy unload
# Refused undelegations still being retried end freed or given up.
quarantine_settled
if ! wget -q -O /tmp/metrics http://127.0.0.1:29435/metrics; then
	# Alive or not (a status of 159 is SIGSYS: its seccomp filter).
	kill -0 "$SCOPE_ex" 2>/dev/null && how="still running" ||
		{ wait "$SCOPE_ex"; how="exited with $?"; }
	fail "the exporter stopped answering ($how): $(tail -5 /tmp/ex.err)"
fi
scope_end ex
scope_end lk

# Operations the host abandoned (a request it could neither serve nor
# cancel, even after retrying) are the ones the RMM still has pending.
abandoned=$(( $(stat ops_abandoned) - base_abandoned ))
expect_eq "operations the RMM has pending = operations the kernel abandoned" \
	"$(( $(truth ops_pending) - base_pending ))" "$abandoned"

# Ground truth, realm by realm: once destroyed, a realm's RMM holds only
# what it kept for good (leak), was given one way, or holds in operations
# the host abandoned. The REC granule of an abandoned REC create is the
# host's loss: it gave it up (undelegate refused), the RMM keeps it.
held=0
realms=0
stranded=0
for r in $(awk '$1 == "realm" && $3 == "live" { print $2 }' "$EMU/state"); do
	realms=$((realms + 1))
	h=$(truth held "$r")
	rec=$(truth pending_rec "$r")
	if [ "$(truth live "$r")" = 0 ]; then
		want=$(( $(truth leaked "$r") + $(truth one_way "$r") + $(truth pending_held "$r") ))
		[ "$h" = "$want" ] ||
			fail "realm $r: the RMM holds $h granules, kept for good or pending $want"
		[ "$(truth host "$r")" = "$rec" ] ||
			fail "realm $r: $(truth host "$r") host granules not back, $rec in abandoned creates"
	fi
	held=$((held + h + $(truth host "$r") - rec))
	stranded=$((stranded + rec))
done
if [ "$(( $(stat held_bytes) + $(stat host_bytes) ))" != "$((held * GRANULE))" ] ||
   [ "$(truth protocol_errors)" != 0 ]; then
	# Counters as "now (+ during the stress)".
	grep -vE "^realm |^source " "$SRO_STATS" | awk '
		FNR == NR { v = $NF; $NF = ""; base[$0] = v; next }
		{ v = $NF; $NF = ""; printf "  sro/stats: %s%s (+%s)\n", $0, v, v - base[$0] }' \
		/tmp/stats.base -
	grep -vE "^realm " "$EMU/state" | sed 's/^/  emulator: /'
	grep -E "^realm " "$EMU/state" | grep -E " (pending_held|pending_rec|live|host|held) " |
		grep -vE " 0$" | sed 's/^/  emulator: /' | head -60
	# The emulator's and the executor's warnings, not the policy swaps.
	dmesg | grep -E "rmm_emu|sro|arm_rmm|WARNING" | grep -v "sro: policy" |
		head -40 | sed 's/^/  dmesg: /'
fi
books_agree
expect_eq "kernel held = emulator held (bytes)" "$(( $(stat held_bytes) + $(stat host_bytes) ))" "$((held * GRANULE))"
# The kernel's per-realm accounts (its xarray of realms) add up to its
# per-CPU totals, after every fault, failing allocations included:
# nothing counted twice or lost. sro/stats lists every realm; the
# directories are best effort (realms_untracked have none).
K=/sys/kernel/sro
expect_eq "per-realm held = total held (sro/stats, bytes)" \
	"$(awk '$1 == "realm" && $3 == "held_bytes" { n += $4 } $1 == "other_realms_held_bytes" { n += $2 } END { print n + 0 }' "$SRO_STATS")" \
	"$(stat held_bytes)"
expect_eq "total held (/sys/kernel/sro = sro/stats)" "$(cat $K/held_bytes)" "$(stat held_bytes)"
shown=$(cat $K/realms/*/held_bytes 2>/dev/null | awk '{ n += $1 } END { print n + 0 }')
if [ "$(cat $K/realms_untracked)" = 0 ]; then
	expect_eq "per-realm held = total held (/sys/kernel/sro)" "$shown" "$(cat $K/held_bytes)"
else
	[ "$shown" -le "$(cat $K/held_bytes)" ] || fail "realm directories show $shown bytes held, more than the total"
	echo "ok: $(cat $K/realms_untracked) realms without a directory (failing allocations); the others hold $shown bytes"
fi
# Given up in all also counts blocks the host had not donated yet.
gu=$(cat $K/realms/*/given_up_bytes 2>/dev/null | awk '{ n += $1 } END { print n + 0 }')
[ "$gu" -le "$(cat $K/given_up_bytes)" ] ||
	fail "the realms gave up $gu bytes, more than the $(cat $K/given_up_bytes) given up in all"
echo "ok: per-realm given up ($gu) within the total ($(cat $K/given_up_bytes))"
expect_eq "double frees" "$(( $(stat double_frees) - base_double ))" 0
expect_eq "bad reclaims" "$(( $(stat bad_reclaims) - base_bad ))" 0
expect_eq "emulator protocol errors" "$(truth protocol_errors)" 0
expect_eq "sroscope leaks reliable" "$(nj get /tmp/lk.out reliable)" true
expect_eq "sroscope leaks: given up = kernel" "$(nj get /tmp/lk.out given_up_bytes)" \
	"$(( $(stat leaked_bytes) - base_leaked ))"
unret=$(awk -F' ' '$1 ~ /^sroscope_realm_unreturned_bytes\{/ { n += $2 } END { print n + 0 }' /tmp/metrics)
expect_eq "exporter: scrape errors" "$(awk '$1 == "sroscope_exporter_scrape_errors_total" { print $2 }' /tmp/metrics)" 0
if [ "$(nj get /tmp/lk.out unreturned_bytes)" != "$unret" ]; then
	# Which realms differ, and whether each tool agrees with itself: the
	# exporter's outstanding blocks against its counters.
	echo "  exporter: outstanding blocks $(awk '$1 ~ /^sroscope_outstanding_bytes\{/ { n += $2 } END { print n + 0 }' /tmp/metrics) bytes," \
		"held by the counters $(awk '$1 ~ /^sroscope_held_bytes\{/ { n += $2 } END { print n + 0 }' /tmp/metrics) bytes"
	n=$(nj len /tmp/lk.out destroyed)
	i=0
	while [ "$i" -lt "$n" ]; do
		r=$(nj get /tmp/lk.out "destroyed.$i.realm")
		echo "  realm $r: leaks $(nj get /tmp/lk.out "destroyed.$i.unreturned_bytes") (donated $(nj get /tmp/lk.out "destroyed.$i.donated_bytes"))," \
			"exporter $(awk -v k="sroscope_realm_unreturned_bytes{realm=\"$r\"}" '$1 == k { print $2 }' /tmp/metrics)"
		i=$((i + 1))
	done
	grep -E '^sroscope_(realm_unreturned|held)_bytes' /tmp/metrics | sed 's/^/  metrics: /' | head -200
fi
expect_eq "sroscope leaks = exporter (unreturned bytes)" "$(nj get /tmp/lk.out unreturned_bytes)" "$unret"
expect_eq "sroscope leaks = exporter (unknown reclaims)" "$(nj get /tmp/lk.out losses.unknown_reclaims)" \
	"$(awk '$1 == "sroscope_lost_events_total{reason=\"unknown_reclaim\"}" { print $2 }' /tmp/metrics)"

# kmemleak: nothing allocated by the SRO code left unreferenced.
echo scan >$FI/kmemleak
sleep 1
echo scan >$FI/kmemleak
if grep -qE "sro_|rmi_|emu_|rmm" $FI/kmemleak; then
	grep -B2 -A20 -E "sro_|rmi_|emu_|rmm" $FI/kmemleak | head -60
	fail "kmemleak: unreferenced objects from the SRO code"
fi
if dmesg | grep -qE "KASAN|BUG:|WARNING:|possible circular locking|inconsistent lock state|Oops"; then
	dmesg | grep -B5 -A30 -E "KASAN|BUG:|WARNING:|circular locking|inconsistent lock|Oops" | head -80
	fail "the kernel reported a bug"
fi
echo "stress: $(awk '$1 == "ops" { print $2 }' /tmp/stress.out) operations on $(nproc) CPUs in $secs s (seed $SEED), $(awk '$1 == "failed" { print $2 }' /tmp/stress.out) refused," \
	"faults armed: $(awk '$1 ~ /^fault_/ || $1 == "leak_armed" || $1 == "oneway" { sub(/^fault_/, "", $1); printf "%s%s %s", n++ ? ", " : "", $1, $2 }' /tmp/stress.out)" \
	"($(awk '$1 == "keep_capped" { print $2 }' /tmp/stress.out) leak/one-way skipped at the keep cap)," \
	"$(cat /tmp/swaps) policy swaps, $(( $(stat donate_retries) )) donations retried, $abandoned operations abandoned ($stranded REC granules stranded)," \
	"$(awk '$1 == "realm" && $3 == "donated" { n += $4 } END { print n }' "$EMU/state") granules donated over $realms realm ids, all accounted;" \
	"$GRANULES granules the RMM owns checked one by one against the host's books;" \
	"allocations failing at $PROB%; KASAN, lockdep, kmemleak clean"

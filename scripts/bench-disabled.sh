#!/bin/sh
# make bench: what the series' observability costs when nobody looks.
# The provider's allocation path (sroscope-bench-alloc) on the test
# kernel as built, events off and nothing attached, beside the same
# kernel with the trace events compiled out (kernel-build.sh BARE=1:
# NOTRACE, which also removes every clock read they guard). Both keep
# the per-CPU counters: they are the sro/stats totals, not tracing.
# The two kernels boot in turns, BENCH_BOOTS pairs, so a machine that
# slows down mid-run slows both. Markdown on stdout.
#
# Under QEMU -icount (the default, BENCH_ICOUNT=1) the guest's clock is
# its instruction counter, one nanosecond per instruction: the figures
# are guest instructions per operation, the same from boot to boot and
# whatever else the host runs. TCG's wall time (BENCH_ICOUNT=0) varied
# 0.63-1.48x between boot pairs here, too noisy to tell 1.02x from
# 1.10x. Instructions are not cycles (no cache or branch effects are
# modelled), but what the series adds with nobody looking is
# instructions: static-branch NOPs, a few tests, per-CPU adds.
set -eu
REPO=$(cd "$(dirname "$0")/.." && pwd)
ICOUNT=${BENCH_ICOUNT:-1}
if [ "$ICOUNT" = 1 ]; then
	BOOTS=${BENCH_BOOTS:-2}
	QARGS="-icount shift=0,sleep=off"
	UNIT="guest instructions per operation (QEMU -icount: deterministic)"
else
	BOOTS=${BENCH_BOOTS:-6}
	QARGS=
	UNIT="ns per operation (TCG wall time: read the ratio)"
fi
N=${BENCH_ALLOC_N:-100000}
ROUNDS=${BENCH_ROUNDS:-5}
die() { echo "bench-disabled: $*" >&2; exit 1; }

BARE_IMAGE=$(BARE=1 "$REPO/scripts/kernel-build.sh" x86_64) || die "no bare kernel"
runs=$(mktemp)
trap 'rm -f "$runs"' EXIT
i=1
while [ $i -le "$BOOTS" ]; do
	for k in off out; do
		img=
		[ $k = out ] && img=$BARE_IMAGE
		echo "bench-disabled: boot $i/$BOOTS, events $k" >&2
		KIMAGE=$img VM_TIMEOUT=${BENCH_BOOT_TIMEOUT:-300} \
			VM_QEMU_ARGS="$QARGS" \
			"$REPO/scripts/vm-run.sh" x86_64 \
			"sroscope-bench-alloc $N 4096 $ROUNDS" | tr -d '\r' |
			awk -v k=$k -v b=$i '$1 == "bench-alloc" { print b, k, $2 }' >>"$runs"
	done
	i=$((i + 1))
done
# A boot that gave no figures (a hang under TCG, say) drops its pair,
# said here and in the table; with fewer than half the pairs, no verdict.
got=$(wc -l <"$runs")
[ "$got" -eq $((BOOTS * ROUNDS * 2)) ] ||
	echo "bench-disabled: $got of $((BOOTS * ROUNDS * 2)) rounds: incomplete pairs are left out" >&2

echo "## The allocation path with tracing off vs compiled out"
echo
echo "rmi_mem_alloc() + rmi_mem_free() of 4 KiB ($N per round, undelegated,"
echo "no RMM, nothing attached): the test kernel with its sro events off"
echo "beside the same kernel built with them compiled out. $BOOTS boots of"
echo "each in turns, $ROUNDS rounds per boot; $UNIT."
echo "Goal: <= 1.02x."
echo
echo "| boot | off: median per op | compiled out: median per op | ratio |"
echo "|---|---|---|---|"
# Per boot pair, the ratio of the medians; then the median of those and
# their spread.
awk -v boots="$BOOTS" -v rounds="$ROUNDS" '
function med(a, n,   i, j, t) {
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
			t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
		}
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
{ v[$1, $2, ++n[$1, $2]] = $3 }
END {
	np = 0
	for (b = 1; b <= boots; b++) {
		if (n[b, "off"] != rounds || n[b, "out"] != rounds) {
			printf "| %d | %s | %s | left out |\n", b,
				n[b, "off"] + 0 " rounds", n[b, "out"] + 0 " rounds"
			continue
		}
		for (k = 1; k <= n[b, "off"]; k++) x[k] = v[b, "off", k]
		off = med(x, n[b, "off"])
		for (k = 1; k <= n[b, "out"]; k++) y[k] = v[b, "out", k]
		out = med(y, n[b, "out"])
		r = off / out
		printf "| %d | %d | %d | %.3f |\n", b, off, out, r
		s[++np] = r
		if (np == 1 || r < lo) lo = r
		if (np == 1 || r > hi) hi = r
	}
	if (np * 2 < boots) {
		printf "\nonly %d of %d boot pairs complete: no ratio\n", np, boots
		exit 1
	}
	printf "\nratio off / compiled out: median %.3fx over %d boot pairs (%.3f to %.3f)\n", med(s, np), np, lo, hi
}' "$runs"

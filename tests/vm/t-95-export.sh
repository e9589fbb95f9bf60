#!/bin/sh
# sroscope export on its own (t-prometheus.sh on the host adds a real
# Prometheus): loopback by default, clear errors for a bad address or a
# port in use, exact per-source books against the emulator, a full
# donation map shown as lost events, histograms well formed, and the
# metrics served without the kernel's counters when they cannot be read.
# Serving, it is nobody, without capabilities, under its seccomp filter:
# started as root, within the packaged unit's capabilities (capsh), and
# on a kernel without seccomp (noseccomp).
. ./lib/sro.sh
M=/tmp/export.prom
new_realm kept live full

# metric NAME{LABELS}: the value of one sample of the last scrape.
metric() {
	awk -v k="$1" '$1 == k { print $2 }' "$M"
}
scrape() {
	wget -q -O "$M" "http://127.0.0.1:${1:-29435}/metrics" || fail "scrape failed"
}
# confined NAME PID CAPBND: every thread of exporter PID serves as nobody
# (65534, the VM has no user database), without capabilities (bounding
# set CAPBND), with no_new_privs and a seccomp filter.
confined() {
	for task in /proc/$2/task/*; do
		st() { awk -v k="$1:" '$1 == k { $1 = ""; print substr($0, 2) }' "$task/status"; }
		t="$1 thread $(basename "$task")"
		for c in CapInh CapPrm CapEff CapAmb; do
			expect_eq "$t $c" "$(st $c)" 0000000000000000
		done
		expect_eq "$t CapBnd" "$(st CapBnd)" "$3"
		expect_eq "$t Uid" "$(st Uid | tr -s '\t ' ' ')" "65534 65534 65534 65534"
		expect_eq "$t Gid" "$(st Gid | tr -s '\t ' ' ')" "65534 65534 65534 65534"
		expect_eq "$t Groups" "$(st Groups | tr -d '\t ')" ""
		expect_eq "$t NoNewPrivs" "$(st NoNewPrivs)" 1
		expect_eq "$t Seccomp" "$(st Seccomp)" 2
	done
}

out=$(sroscope export -l nowhere 2>&1)
expect_eq "bad address: exit status" "$?" 2
echo "$out" | grep -q "invalid listen address 'nowhere'" || fail "unclear error: $out"
out=$(sroscope export -l '::1:29435' 2>&1)
expect_eq "IPv6 without brackets: exit status" "$?" 2
# A port out of range is refused, not taken modulo 65536.
for p in 99999 0 65536 +80 9435x; do
	out=$(timeout 20 sroscope export -l "127.0.0.1:$p" 2>&1)
	expect_eq "port '$p': exit status" "$?" 2
	echo "$out" | grep -q "invalid port in listen address '127.0.0.1:$p' (a number from 1 to 65535)" ||
		fail "unclear error for port '$p': $out"
done
out=$(sroscope export --user no-such-user 2>&1)
expect_eq "unknown user: exit status" "$?" 2
echo "$out" | grep -q "no such user 'no-such-user' (a user name or a numeric uid)" ||
	fail "unclear error: $out"

echo 1 >/proc/sys/kernel/bpf_stats_enabled || fail "cannot turn BPF statistics on"
scope ex export
out=$(timeout 20 sroscope export 2>&1)
expect_eq "port in use: exit status" "$?" 1
echo "$out" | grep -q "cannot listen on 127.0.0.1:29435" || fail "unclear error: $out"
grep -q "serving http://127.0.0.1:29435/metrics" /tmp/ex.err || fail "not on loopback by default: $(cat /tmp/ex.err)"
# Loaded and listening, it is nobody with no capability (every thread,
# bounding set included: root may empty it) under its seccomp filter,
# and the scrapes below still read the maps and the kernel's counters.
confined ex $SCOPE_ex 0000000000000000

emu "realm_create $kept" "rec_create $kept 2" "pdev_create $kept" "leak $kept 3" "realm_destroy $kept" \
    "realm_create $live" "rec_create $live 1"
scrape
expect_eq "realm $kept unreturned (exporter vs emulator)" \
	"$(metric "sroscope_realm_unreturned_bytes{realm=\"$kept\"}")" "$(( $(truth held $kept) * GRANULE ))"
expect_eq "realm $live held (exporter vs emulator)" \
	"$(metric "sroscope_held_bytes{realm=\"$live\",source=\"exact\"}")" \
	"$(( ($(truth held $live) + $(truth host $live)) * GRANULE ))"
# Per source, all realms: blocks donated - reclaimed = blocks still out.
expect_eq "blocks donated - reclaimed = outstanding blocks" \
	"$(( $(metric 'sroscope_donations_total{source="exact"}') - $(metric 'sroscope_reclaims_total{source="exact"}') ))" \
	"$(metric 'sroscope_map_entries{map="outstanding"}')"
expect_eq "realm $kept destroyed" "$(metric "sroscope_realm_destroyed{realm=\"$kept\"}")" 1
expect_eq "no destroyed series for a live realm" "$(metric "sroscope_realm_destroyed{realm=\"$live\"}")" ""
expect_eq "no per-realm counters but held, given up and destroyed" \
	"$(grep -E '^sroscope_(donated|reclaimed)_bytes_total\{realm|^sroscope_(donations|reclaims|alloc_failures)_total\{realm' "$M")" ""
expect_eq "no unreturned series for a live realm" "$(metric "sroscope_realm_unreturned_bytes{realm=\"$live\"}")" ""
expect_eq "kernel counters read" "$(metric sroscope_kernel_stats_up)" 1
# BPF run-time statistics: sro_donate ran once per donation.
expect_eq "bpf_stats_enabled" "$(metric sroscope_bpf_stats_enabled)" 1
expect_eq "runs of sro_donate = blocks donated" \
	"$(metric 'sroscope_bpf_runs_total{program="sro_donate"}')" \
	"$(awk '$1 ~ /^sroscope_donations_total\{/ { n += $2 } END { print n }' "$M")"
awk '$1 == "sroscope_bpf_run_seconds_total{program=\"sro_donate\"}" { exit !($2 > 0) }' "$M" ||
	fail "no run time for sro_donate"
expect_eq "kernel held" "$(metric sroscope_kernel_held_bytes)" "$(stat held_bytes)"

# Histograms: buckets never decrease, +Inf equals _count.
awk '
/_bucket\{/ {
	name = $1; sub(/_bucket\{.*/, "", name)
	key = $1; sub(/le="[^"]*"/, "", key)
	if (key == last && $2 + 0 < prev + 0) { print "decreasing: " $1; bad = 1 }
	last = key; prev = $2
	if ($1 ~ /le="\+Inf"/) inf[key] = $2
}
/_count[{ ]/ {
	key = $1; sub(/_count/, "_bucket", key)
	if (key !~ /\{/) key = key "{}"
	sub(/\}$/, ",}", key); sub(/\{,\}/, "{}", key)
	cnt[key] = $2
}
END {
	for (k in inf) if (!(k in cnt) || cnt[k] != inf[k]) { print "+Inf != _count: " k; bad = 1 }
	exit bad
}' "$M" || fail "histograms are not well formed"
expect_eq "alloc latency count = blocks allocated (exact)" \
	"$(metric 'sroscope_alloc_latency_seconds_count{source="exact"}')" \
	"$(metric 'sroscope_source_allocs_total{source="exact"}')"
scope_end ex
grep -q "stopped after" /tmp/ex.err || fail "no clean stop: $(cat /tmp/ex.err)"

# Room for 4 donations (a ring of 4 and a hash of 4, so 8): what does
# not fit is counted, not hidden.
scope ex2 export -l 127.0.0.1:29436 --max-donations 4 --kernel-stats /nonexistent
emu "realm_create $full" "rec_create $full 2"
scrape 29436
expect_eq "map full: entries" "$(metric 'sroscope_map_entries{map="outstanding"}')" 8
expect_eq "map full: capacity" "$(metric 'sroscope_map_max_entries{map="outstanding"}')" 8
lost=$(metric 'sroscope_lost_events_total{reason="outstanding_map_full"}')
[ "${lost:-0}" -gt 0 ] || fail "a full map lost nothing? ($lost)"
expect_eq "without sro/stats: kernel counters down" "$(metric sroscope_kernel_stats_up)" 0
expect_eq "without sro/stats: no policy metric" "$(metric 'sroscope_policy_info{policy="default"}')" ""
scope_end ex2
# As the packaged unit starts it: root with only the unit's
# CapabilityBoundingSet= and no_new_privs (capsh: make tools copies the
# build host's when it runs here). Without CAP_SETPCAP it cannot empty
# the bounding set; it must still start, become nobody and serve.
U=/sroscope/share/systemd/sroscope-export.service
if command -v capsh >/dev/null; then
	keep=$(sed -n 's/^CapabilityBoundingSet=//p' $U | tr 'A-Z ' 'a-z\n' | grep .)
	[ -n "$keep" ] || fail "no CapabilityBoundingSet= in $U"
	drop=$(capsh --print | sed -n 's/^Bounding set =//p' | tr ',' '\n' |
		grep -v -x -F "$keep" | tr '\n' ',' | sed 's/,$//')
	unit() {
		exec capsh --drop="$drop" --no-new-privs --shell=/bin/sh -- -c "exec $*"
	}
	bnd=$(unit "awk '\$1 == \"CapBnd:\" { print \$2 }' /proc/self/status")
	[ "$bnd" != 0000000000000000 ] || fail "capsh left no bounding set"
	scope_cmd unit unit sroscope export -l 127.0.0.1:29438
	confined unit $SCOPE_unit "$bnd"
	new_realm ru
	emu "realm_create $ru" "rec_create $ru 1"
	scrape 29438
	expect_eq "unit: kernel counters read" "$(metric sroscope_kernel_stats_up)" 1
	expect_eq "unit: realm $ru held (exporter vs emulator)" \
		"$(metric "sroscope_held_bytes{realm=\"$ru\",source=\"exact\"}")" \
		"$(( ($(truth held $ru) + $(truth host $ru)) * GRANULE ))"
	scope_end unit
	grep -q "stopped after" /tmp/unit.err || fail "no clean stop: $(cat /tmp/unit.err)"
	emu "rec_destroy $ru 1" "realm_destroy $ru"
	echo "ok: export started within CapabilityBoundingSet=$(echo $keep), served as nobody"
else
	echo "note: no capsh in this VM (make tools copies the host's, libcap2-bin, when ARCH is the host's): the unit's bounds not checked"
fi
# On a kernel without seccomp (as noseccomp makes it look) it serves all
# the same, as nobody, and says once that it has no filter. Its serving
# line names the address bound, not the one asked for.
scope_cmd nosec noseccomp sroscope export -l :29439
grep -q "serving http://0.0.0.0:29439/metrics" /tmp/nosec.err ||
	fail "not the address bound: $(cat /tmp/nosec.err)"
expect_eq "no seccomp: notices" \
	"$(grep -c "this kernel has no seccomp: serving without a system call filter" /tmp/nosec.err)" 1
expect_eq "no seccomp: Uid" \
	"$(awk '$1 == "Uid:" { print $2 }' /proc/$SCOPE_nosec/status)" 65534
scrape 29439
expect_eq "no seccomp: kernel counters read" "$(metric sroscope_kernel_stats_up)" 1
scope_end nosec
emu "rec_destroy $live 1" "realm_destroy $live" "rec_destroy $full 2" "realm_destroy $full"
echo 0 >/proc/sys/kernel/bpf_stats_enabled
echo "ok: $lost donations not tracked by a 4-entry map, and said so"

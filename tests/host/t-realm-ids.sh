#!/bin/sh
# Realm ids in the in-VM tests come from new_realm (tests/vm/lib/sro.sh),
# never from the test: no script under tests/vm sends a create command
# with a literal id, but the two that run alone in their own VM boot.
# new_realm itself, with busybox sh as in the VM, against a stand-in for
# the emulator's state: ids in increasing order, none handed out twice
# to shells one after another or to jobs at once, none the emulator has
# seen, none past REALM_ID_MAX, then a failure that says so.
set -u
REPO=$(cd "$(dirname "$0")/../.." && pwd)
VM=$REPO/tests/vm
fail() { echo "  FAIL    realm-ids: $*"; exit 1; }
command -v busybox >/dev/null || fail "no busybox (scripts/install-deps.sh installs busybox-static)"

# A literal id (1 and up) after any *_create command: "realm_create 4x"
# (not a number) and "realm_create 0" (not an id) are not ids.
LITERAL='create[a-z_]*[[:space:]]+0*[1-9][0-9]*([^0-9A-Za-z_]|$)'
# Alone in their own VM boot, so no test shares their ids: the host half
# of export.sh (tests/host/t-prometheus.sh) asks for its ids by number;
# units.sh runs under systemd in the Debian root (tests/host/t-deb.sh).
ALONE="scenarios/export.sh systemd/units.sh"

# The pattern flags what it should and only that.
for l in 'emu "realm_create 31"' 'host "rec_create_bad 3"' '"smmu_st_l2_create 2"' \
	 'emu "realm_create 64"' "echo \"rec_create 7 1\" >\$CTL" 'emu "rec_create 12"'; do
	echo "$l" | grep -qE "$LITERAL" || fail "the check misses: $l"
done
for l in 'emu "realm_create $r"' '"realm_create 4x"' '"realm_create 0"' \
	 '"realm_create $((HOST_MAX_REALMS + 1))"' '"rec_create $r 65537"' '# creates'; do
	echo "$l" | grep -qE "$LITERAL" && fail "the check flags: $l"
done

for f in $ALONE; do
	[ -f "$VM/$f" ] || fail "tests/vm/$f, let through as running alone, is gone: update ALONE"
done
bad=$(cd "$VM" && grep -rnE "$LITERAL" . | sed 's|^\./||' | while IFS= read -r hit; do
	case " $ALONE " in *" ${hit%%:*} "*) continue ;; esac
	echo "    tests/vm/$hit"
done)
[ -z "$bad" ] || fail "literal realm ids (take them from new_realm, tests/vm/lib/sro.sh):
$bad"
n=$(cd "$VM" && grep -rlw new_realm --include='t-*.sh' . | wc -l)
[ "$n" -gt 20 ] || fail "only $n tests take ids from new_realm"

# new_realm, in busybox sh. ids SCRIPT: what SCRIPT prints after sourcing
# lib/sro.sh with the emulator's state in $D/state and the counter in
# $D/ids; new_realm's failure exits 1 with its FAIL line.
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
ids() {
	(cd "$VM" && busybox sh -c '. ./lib/sro.sh; EMU=$1; REALM_IDS=$1/ids; shift; eval "$1"' \
		sh "$D" "$1")
}
: >"$D/state"
expect() {
	[ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"
}
expect "a first test" "$(ids 'new_realm a b; echo $a $b')" "1 2"
expect "the test after it" "$(ids 'new_realm a; echo $a')" "3"
# Realms the emulator has seen (its "workload", a replay) are skipped.
printf 'ops 3\nrealm 4 live 0\nrealm 4 held 0\nrealm 5 live 1\nrealm 9 live 0\n' >"$D/state"
expect "ids the emulator has seen skipped" "$(ids 'new_realm a b c; echo $a $b $c')" "6 7 8"
expect "and again" "$(ids 'new_realm a; echo $a')" "10"

# Eight jobs at once, six ids each, one at a time: 48 ids, no two alike.
i=0
while [ $i -lt 8 ]; do
	ids 'for k in 1 2 3 4 5 6; do new_realm a; echo $a; done' >"$D/job$i" &
	i=$((i + 1))
done
wait
cat "$D"/job* | sort -n >"$D/all"
expect "ids taken by 8 jobs at once" "$(wc -l <"$D/all")" 48
expect "ids given twice" "$(uniq -d "$D/all" | tr '\n' ' ')" ""
expect "ids at once: from 11, seen ones skipped" "$(head -1 "$D/all") $(tail -1 "$D/all")" "11 58"
[ ! -e "$D/ids.lock" ] || fail "the lock is left behind"

# The last ids, then a loud failure, and still none given twice.
out=$(ids 'while :; do new_realm a; echo $a; done')
expect "exit status when ids run out" "$?" 1
expect "the last ids" "$(echo "$out" | grep -v FAIL | tr '\n' ' ')" "$(seq 59 127 | tr '\n' ' ')"
echo "$out" | grep -q "^FAIL: new_realm: no realm id left for a (1 to 127, each used once a boot)$" ||
	fail "no clear failure when ids run out: $out"
out=$(ids 'new_realm a; echo "got $a"')
expect "after that" "$?:$(echo "$out" | grep -c '^got')" "1:0"

# A counter from another boot counts for nothing; the real-RMM suite's
# driver takes ids up to 16.
echo "another-boot 40" >"$D/ids"
: >"$D/state"
expect "a counter from another boot" "$(ids 'new_realm a; echo $a')" "1"
out=$(ids 'REALM_ID_MAX=16; while :; do new_realm a; echo $a; done')
expect "REALM_ID_MAX 16: the ids" "$(echo "$out" | grep -vc FAIL)" 15
expect "REALM_ID_MAX 16: the last" "$(echo "$out" | grep -v FAIL | tail -1)" 16
echo "  PASS    realm-ids: no literal realm id in tests/vm ($n tests use new_realm); new_realm: 48 ids to 8 jobs at once, none twice, a failure when none is left"

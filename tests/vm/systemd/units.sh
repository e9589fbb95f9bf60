#!/bin/bash
# Run by tests/host/t-deb.sh in the test VM booted with systemd as PID 1
# (vm-run.sh VM_ROOT): the Debian 12 root with the package installed.
# The package's units as shipped, run by systemd with their sandboxing,
# capability bounds and system call filters: the policy unit's supervisor
# is ready once its policy is in charge and unloads it on stop, but not a
# policy swapped in by hand, which it reports at warning priority; the exporter starts, serves what the emulated
# RMM does, holds no capability and no root, restarts and stops; neither
# fails or restarts on its own. Prints systemd-analyze security's
# exposure of both as systemd itself rates them.
set -u
fails=0
ok() { echo "ok: $*"; }
bad() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}
POLICY=/sys/kernel/debug/sro/policy
CTL=/sys/kernel/debug/rmm_emu/ctl
prop() { systemctl show -p "$2" --value "$1"; }
journal() { journalctl -q -o cat --no-pager -u "$1"; }

# GET /metrics from HOST:PORT with bash's /dev/tcp (no wget in minbase).
scrape() {
	local host=${1%:*} port=${1##*:}
	timeout 20 bash -c "exec 3<>/dev/tcp/$host/$port &&
		printf 'GET /metrics HTTP/1.0\r\nHost: %s\r\n\r\n' '$1' >&3 && cat <&3"
}

# The address the exporter says it serves, once it says so (30 s).
serving() {	# UNIT N: the N-th "serving" line of UNIT's journal
	local i a
	for i in $(seq 60); do
		a=$(journal "$1" | sed -n 's|.*serving http://\([^/]*\)/metrics.*|\1|p' | sed -n "${2}p")
		[ -n "$a" ] && { echo "$a"; return 0; }
		sleep 0.5
	done
	return 1
}

# This runs as a unit ordered after multi-user.target: the system is up
# (and "starting" until this unit ends).
ok "systemd $(systemctl --version | sed -n '1s/systemd \([0-9]*\).*/\1/p') is PID 1 ($(cat /proc/1/comm)), $(systemctl list-units --no-legend --plain --state=active | wc -l) units active"
failed=$(systemctl --failed --plain --no-legend | awk '{ print $1 }' | tr '\n' ' ')
[ -z "$failed" ] || echo "note: units failed at boot (not ours): $failed"
[ -e "$CTL" ] || bad "no emulated RMM at $CTL"

# --- sroscope-policy.service ---------------------------------------------
# The preferred policy of the conffile, adaptive when it leaves it out.
want=$(sed -n 's/^[[:space:]]*preferred[[:space:]]*=[[:space:]]*\([^[:space:]#]*\).*/\1/p' /etc/sroscope/policy.conf)
want=${want:-adaptive}
for round in 1 2; do
	systemctl start sroscope-policy || bad "start sroscope-policy: $(journal sroscope-policy | tail -3)"
	[ "$(prop sroscope-policy ActiveState)" = active ] ||
		bad "sroscope-policy is $(prop sroscope-policy ActiveState) after start"
	p=$(cat $POLICY)
	[ "$p" = "$want" ] && ok "start $round: sroscope-policy put $want in charge" ||
		bad "start $round: policy in charge '$p', want '$want'"
	systemctl stop sroscope-policy || bad "stop sroscope-policy"
	p=$(cat $POLICY)
	[ "$p" = default ] && ok "stop $round: the built-in default is back in charge" ||
		bad "stop $round: policy in charge '$p', want default"
done
# A policy swapped in by hand: left alone, said at warning priority, and
# left in charge on stop.
hand=exact
[ "$want" = exact ] && hand=contig
systemctl start sroscope-policy
sroscope policy swap $hand >/dev/null || bad "sroscope policy swap $hand"
for i in $(seq 30); do
	journalctl -q -o cat --no-pager -u sroscope-policy -p warning | grep -q "leaving it alone" && break
	sleep 0.2
done
w=$(journalctl -q -o cat --no-pager -u sroscope-policy -p warning | grep "leaving it alone")
[ -n "$w" ] && ok "a hand swap reported at warning priority: $w" ||
	bad "no warning for the hand swap: $(journal sroscope-policy | tail -3)"
systemctl stop sroscope-policy || bad "stop sroscope-policy"
p=$(cat $POLICY)
[ "$p" = $hand ] && ok "stop: the hand-swapped $hand left in charge" ||
	bad "stop: policy in charge '$p', want the hand-swapped $hand"
sroscope policy unload >/dev/null || bad "sroscope policy unload"
systemctl start sroscope-policy

# --- sroscope-export.service ---------------------------------------------
systemctl start sroscope-export || bad "start sroscope-export"
if addr=$(serving sroscope-export 1); then
	ok "sroscope-export serves on $addr"
else
	bad "sroscope-export never said it serves: $(journal sroscope-export | tail -5)"
	addr=127.0.0.1:0
fi
pid=$(prop sroscope-export MainPID)
# Realm 7, a fixed id: this runs alone in its own VM boot
# (tests/host/t-realm-ids.sh lets it).
echo "realm_create 7" >$CTL && echo "rec_create 7 1" >$CTL || bad "emulator commands failed"
m=$(scrape "$addr")
held=$(echo "$m" | awk '/^sroscope_held_bytes\{realm="7"/ { s += $2 } END { print s + 0 }')
[ "$held" -gt 0 ] && ok "a scrape shows realm 7 holding $held bytes" ||
	bad "no held bytes for realm 7 in the scrape: $(echo "$m" | head -5)"
echo "$m" | grep -q '^sroscope_kernel_' && ok "and the kernel's sro/stats metrics" ||
	bad "no sroscope_kernel_ metrics (sro/stats unread under the unit)"
s=/proc/$pid/status
if [ -r "$s" ]; then
	eff=$(awk '$1 == "CapEff:" { print $2 }' "$s")
	prm=$(awk '$1 == "CapPrm:" { print $2 }' "$s")
	uid=$(awk '$1 == "Uid:" { print $3 }' "$s")
	sec=$(awk '$1 == "Seccomp:" { print $2 }' "$s")
	[ "$eff$prm" = 00000000000000000000000000000000 ] &&
		ok "serving with no capability (CapEff $eff, CapPrm $prm)" ||
		bad "capabilities kept while serving: CapEff $eff CapPrm $prm"
	[ "$uid" != 0 ] && ok "serving as uid $uid" || bad "serving as uid 0"
	[ "$sec" = 2 ] && ok "under a seccomp filter (Seccomp: 2)" ||
		bad "Seccomp: $sec while serving, want 2 (filter)"
else
	bad "no process $pid for sroscope-export"
fi

systemctl restart sroscope-export || bad "restart sroscope-export"
if a2=$(serving sroscope-export 2); then
	[ "$(prop sroscope-export MainPID)" != "$pid" ] || bad "restart kept PID $pid"
	# One REC donated before the restart, one after: the new process
	# knows the second's blocks, the first's come back unknown to it.
	echo "rec_create 7 1" >$CTL && echo "rec_destroy 7 2" >$CTL ||
		bad "emulator commands failed after restart"
	m=$(scrape "$a2")
	rec=$(echo "$m" | awk '/^sroscope_reclaims_total\{/ { n += $2 } END { print n + 0 }')
	[ "$rec" -gt 0 ] &&
		ok "restarted, serving again on $a2, seeing $rec reclaims" ||
		bad "after restart: no reclaims in the scrape"
	unk=$(echo "$m" | awk '/^sroscope_lost_events_total\{reason="unknown_reclaim"/ { print $2 }')
	[ "${unk:-0}" -gt 0 ] && ok "and $unk reclaims of blocks donated before it started" ||
		bad "after restart: no unknown reclaims (the REC donated before)"
else
	bad "sroscope-export did not serve again after restart: $(journal sroscope-export | tail -5)"
fi
systemctl stop sroscope-export || bad "stop sroscope-export"
[ "$(prop sroscope-export ActiveState)" = inactive ] && ok "stopped: inactive" ||
	bad "sroscope-export is $(prop sroscope-export ActiveState) after stop"
scrape "$a2" >/dev/null 2>&1 && bad "still answering on $a2 after stop"
for u in sroscope-export sroscope-policy; do
	n=$(prop $u NRestarts)
	[ "$n" = 0 ] || bad "$u restarted $n times on its own: $(journal $u | grep -v '^Start\|^Stop' | tail -3)"
	r=$(prop $u Result)
	[ "$r" = success ] || bad "$u result $r"
done
complaints=$(journal sroscope-export | grep -i 'cannot\|error\|denied' | head -3)
[ -z "$complaints" ] || bad "the exporter complained: $complaints"
systemctl stop sroscope-policy

for u in sroscope-policy sroscope-export; do
	e=$(systemd-analyze security --no-pager $u.service 2>&1 |
		sed -n 's/.*Overall exposure level for.*: \([0-9.]* [A-Z]*\).*/\1/p')
	[ -n "$e" ] && ok "$u.service exposure (systemd-analyze security, online): $e" ||
		bad "systemd-analyze security $u.service gave no exposure"
done
[ "$fails" = 0 ] && echo "ok: all passed under systemd"
exit "$fails"

#!/bin/bash
# The Debian package (make deb), as a user gets it:
#
#  0. lintian finds no error or warning;
#  1. installed with apt in a clean Debian 12 chroot (debootstrap minbase,
#     Depends from the archive): sroscope runs and lists the four shipped
#     policies from /usr/lib/sroscope/policies, the pages render with man,
#     the completion, units, dashboards, rules, JSON schemas, docs and
#     /etc/default file
#     are where they should be, `systemd-analyze verify` accepts the units,
#     and `dpkg -r` then `dpkg -P` leave only what Debian allows;
#  2. run from the installed paths in the test VM on the project's kernel
#     (the package's tree is the guest's /usr, /etc, /lib/systemd):
#     /usr/sbin/sroscope traces and records what the emulated RMM does,
#     the same events as the kernel's tracefs, and loads a policy from
#     /usr/lib/sroscope/policies, and the sroscope-policy unit's commands
#     work within its CapabilityBoundingSet= and SystemCallFilter= (when
#     this host has capsh and strace to check them);
#  3. that root booted in the test VM with systemd as PID 1: both units
#     started, stopped and restarted by systemd as shipped, the exporter
#     serving with no capability, no root and a seccomp filter
#     (tests/vm/systemd/units.sh), systemd-analyze security's figures.
#
#   t-deb.sh [PACKAGE.deb]     default build/deb/sroscope_VERSION_amd64.deb
#
# Needs root (chroot, mounts) and network access to the Debian archive
# (DEB_MIRROR, default http://deb.debian.org/debian). The debootstrapped
# base is kept as $SROSCOPE_CACHE/deb-chroot/bookworm-minbase.tar.gz and
# made again when older than DEB_CHROOT_MAX_DAYS (7); the .debs apt
# downloads are kept beside it. T_DEB_VM=0 leaves out parts 2 and 3.
set -u
REPO=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${SROSCOPE_CACHE:-$HOME/.cache/sroscope}
MIRROR=${DEB_MIRROR:-http://deb.debian.org/debian}
MAX_DAYS=${DEB_CHROOT_MAX_DAYS:-7}
CHROOT_CACHE=$CACHE/deb-chroot
BASE=$CHROOT_CACHE/bookworm-minbase.tar.gz
VERSION=$(sed -n 's/^#define SROSCOPE_VERSION[[:space:]]*"\(.*\)"/\1/p' "$REPO/user/lib/common.h")
DEB=$(realpath -m "${1:-$REPO/build/deb/sroscope_${VERSION}_amd64.deb}")
failures=0
fail() {
	echo "FAIL: deb: $*"
	failures=$((failures + 1))
}
die() {
	progress_stop
	echo "FAIL: deb: $*"
	exit 1
}
PROGRESS_NAME=deb
. "$REPO/scripts/lib/progress.sh"

[ "$(id -u)" = 0 ] || die "needs root (chroot and mounts): sudo $0 $*"
[ -f "$DEB" ] || die "no $DEB (make deb)"
for c in debootstrap lintian jq; do
	command -v "$c" >/dev/null || "$REPO/scripts/install-deps.sh" debootstrap lintian >/dev/null ||
		die "cannot install $c"
done

# Mounts under a directory, deepest first, are undone before anything
# there is removed: an rm -rf through a bind mount of /dev would empty
# the host's.
umount_under() {
	local m
	awk -v d="$1/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r |
		while read -r m; do
			umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
		done
	! awk -v d="$1/" 'index($2, d) == 1 { found = 1 } END { exit !found }' /proc/mounts
}
remove_tree() {
	[ -n "$1" ] && [ -d "$1" ] || return 0
	if umount_under "$1"; then
		rm -rf "$1"
	else
		echo "FAIL: deb: still mounted under $1, left as it is:" >&2
		grep " $1/" /proc/mounts >&2
		return 1
	fi
}
WORK=$(mktemp -d /tmp/t-deb.XXXXXX)
BUILD_TMP=""
cleanup() {
	remove_tree "$WORK"
	[ -z "$BUILD_TMP" ] || remove_tree "$BUILD_TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ROOT=$WORK/root
in_root() {	# CMD...: run as root in the chroot, a clean environment
	chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
		LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive TERM=dumb "$@"
}
mount_root() {	# the chroot's /proc, a minimal /dev, name resolution
	mount -t proc proc "$ROOT/proc" || return 1
	local d
	for d in null zero full random urandom tty; do
		[ -e "$ROOT/dev/$d" ] || touch "$ROOT/dev/$d"
		mount --bind "/dev/$d" "$ROOT/dev/$d" || return 1
	done
	cp -L /etc/resolv.conf "$ROOT/etc/resolv.conf"
}

# in_vm TAG WHAT DONE CMD [VAR=VALUE...]: CMD in the x86_64 test VM with
# vm-run.sh's settings VAR=VALUE; its "ok:"/"FAIL:" lines shown under TAG;
# passed when it exits 0 having printed DONE.
in_vm() {
	local tag=$1 what=$2 done=$3 cmd=$4 t0 rc
	shift 4
	t0=$(date +%s)
	[ -f "$CACHE/build-x86_64/arch/x86/boot/bzImage" ] ||
		die "no x86_64 kernel in $CACHE (make kernel ARCH=x86_64)"
	env VM_TIMEOUT="${T_DEB_VM_TIMEOUT:-600}" "$@" "$REPO/scripts/vm-run.sh" x86_64 "$cmd" \
		>"$WORK/$tag.out" 2>&1
	rc=$?
	tr -d '\r' <"$WORK/$tag.out" | grep -v '^\s*$' |
		sed "s/^ok: /ok: $tag: /; s/^FAIL: /FAIL: deb: $tag: /"
	if [ $rc = 0 ] && tr -d '\r' <"$WORK/$tag.out" | grep -q "^$done"; then
		echo "ok: $what ($(($(date +%s) - t0)) s)"
	else
		fail "$what (exit $rc; console: $CACHE/vm-x86_64.log)"
	fi
}

# --- The clean Debian 12 base, debootstrapped once and cached ---------
t0=$(date +%s)
if [ ! -f "$BASE" ] || [ -n "$(find "$BASE" -mtime +"$MAX_DAYS")" ]; then
	mkdir -p "$CHROOT_CACHE"
	BUILD_TMP=$(mktemp -d "$CHROOT_CACHE/new.XXXXXX")
	echo "ok: debootstrap --variant=minbase bookworm $MIRROR (a few minutes, once)"
	# A line every 30 s with debootstrap's last step.
	progress_start debootstrap "tail -1 '$BUILD_TMP/log'"
	if ! debootstrap --variant=minbase bookworm "$BUILD_TMP/root" "$MIRROR" \
		>"$BUILD_TMP/log" 2>&1; then
		tail -20 "$BUILD_TMP/log"
		die "debootstrap failed (log above)"
	fi
	progress_stop
	umount_under "$BUILD_TMP" || die "debootstrap left mounts under $BUILD_TMP"
	# debootstrap leaves the archive's package lists: apt works offline
	# of an update until they are stale (then this is made again).
	rm -f "$BUILD_TMP/root/etc/resolv.conf"
	tar -C "$BUILD_TMP/root" -czf "$BUILD_TMP/base.tar.gz" . || die "cannot pack the base"
	mv "$BUILD_TMP/base.tar.gz" "$BASE"
	remove_tree "$BUILD_TMP"
	BUILD_TMP=""
fi
mkdir -p "$ROOT"
tar -C "$ROOT" -xzf "$BASE" || die "cannot unpack $BASE"
mount_root || die "cannot mount /proc and /dev in the chroot"
# The packages apt downloads, kept for the next run.
mkdir -p "$CHROOT_CACHE/archives/partial"
mount --bind "$CHROOT_CACHE/archives" "$ROOT/var/cache/apt/archives" ||
	die "cannot bind the apt cache"
echo "ok: a fresh Debian $(cat "$ROOT/etc/debian_version") minbase chroot ($(($(date +%s) - t0)) s)"

# --- The package itself ------------------------------------------------------
[ "$(dpkg-deb -f "$DEB" Package)" = sroscope ] || fail "$(basename "$DEB") is not the sroscope package"
[ "$(dpkg-deb -f "$DEB" Version)" = "$VERSION" ] ||
	fail "package version $(dpkg-deb -f "$DEB" Version), SROSCOPE_VERSION $VERSION"
[ "$(dpkg-deb -f "$DEB" Architecture)" = amd64 ] || fail "not an amd64 package"
# Lintian: no error or warning (debian/README.source says what is left).
out=$(lintian -I --pedantic --fail-on error,warning "$DEB" 2>&1)
rc=$?
out=$(printf '%s\n' "$out" | grep -v 'running with root privileges')
if [ $rc = 0 ]; then
	echo "ok: lintian: no error or warning ($(printf '%s\n' "$out" | grep -c '^[IPX]:') info and pedantic tags)"
else
	fail "lintian: $(printf '%s\n' "$out" | grep '^[EW]:')"
fi

# --- Install with apt: the Depends from the archive ----------------------
cp "$DEB" "$ROOT/tmp/"
debname=$(basename "$DEB")
apt_install() {	# ARGS...: apt-get install; on stale package lists, update and retry
	in_root sh -c "cd /tmp && apt-get install -y -q $*" >"$WORK/apt.log" 2>&1 && return 0
	grep -q "Unable to fetch\|404\|Unable to locate" "$WORK/apt.log" || return 1
	in_root apt-get update -q >>"$WORK/apt.log" 2>&1 &&
		in_root sh -c "cd /tmp && apt-get install -y -q $*" >>"$WORK/apt.log" 2>&1
}
t0=$(date +%s)
if ! apt_install "./$debname"; then
	tail -20 "$WORK/apt.log"
	die "apt-get install ./$debname failed (above)"
fi
pulled=$(sed -n 's/^Setting up \([^: ]*\).*/\1/p' "$WORK/apt.log" | grep -vx sroscope | sort | tr '\n' ' ')
echo "ok: apt-get install ./$debname in $(($(date +%s) - t0)) s, with: ${pulled:-nothing else}"
missing=$(in_root ldd /usr/sbin/sroscope | grep "not found")
[ -z "$missing" ] || fail "shared libraries not installed by the Depends: $missing"
[ -z "$missing" ] && echo "ok: every shared library of /usr/sbin/sroscope comes with the Depends"
ldd_out=$(in_root ldd /usr/sbin/sroscope)
[[ $ldd_out == *libbpf* ]] && fail "sroscope needs a shared libbpf (Debian 12's is too old)"

# --- The command ---------------------------------------------------------
v=$(in_root sroscope --version 2>&1)
if [ "$v" = "sroscope $VERSION" ]; then
	echo "ok: sroscope --version: $v"
else
	fail "sroscope --version: '$v', want 'sroscope $VERSION'"
fi
if help=$(in_root sroscope --help 2>&1) && [[ $help == *"Commands:"* ]] && [[ $help == *"policy"* ]]; then
	echo "ok: sroscope --help lists the commands"
else
	fail "sroscope --help: $help"
fi
# The shipped policies: those of bpf/policies/, none of the tests'.
want=$(find "$REPO/bpf/policies" -maxdepth 1 -name '*.bpf.c' -printf '%f\n' | sed 's/\.bpf\.c$//' | sort | tr '\n' ' ')
list=$(in_root sroscope policy list 2>&1)
got=""
while read -r name path; do
	real=$(in_root realpath -e "$path" 2>/dev/null)
	if [ "$real" = "/usr/lib/sroscope/policies/$name.bpf.o" ]; then
		got="$got$name "
	else
		fail "policy list: $name is $path, not in /usr/lib/sroscope/policies"
	fi
done < <(printf '%s\n' "$list" | awk '/^  [^ (]/ && /\.bpf\.o$/ { print $1, $2 }')
got=$(echo "$got" | tr ' ' '\n' | grep . | sort | tr '\n' ' ')
if [ -n "$got" ] && [ "$got" = "$want" ]; then
	echo "ok: sroscope policy list: ${got% } from /usr/lib/sroscope/policies"
else
	fail "sroscope policy list: [${got% }], want [${want% }]: $list"
fi
[ -e "$ROOT/usr/lib/sroscope/test-policies" ] && fail "the tests' policies are in the package"
extra=$(dpkg-deb -c "$DEB" | awk '{ print $6 }' | grep -E 'test-polic|/bin/(ndjson|emu|dropcaps|sroscope-)|/share/workloads|\.sh$')
[ -z "$extra" ] || fail "test and VM files in the package: $extra"

# --- Files where they belong ----------------------------------------------
f0=$failures
want_files="/usr/sbin/sroscope /etc/default/sroscope /etc/sroscope/policy.conf
/usr/share/bash-completion/completions/sroscope
/lib/systemd/system/sroscope-export.service /lib/systemd/system/sroscope-policy.service
/usr/share/sroscope/prometheus/prometheus.yml /usr/share/sroscope/prometheus/sroscope-alerts.yml
/usr/share/sroscope/prometheus/sroscope-rules.yml
/usr/share/sroscope/dashboards/grafana/provisioning/dashboards/sroscope.yml
/usr/share/sroscope/dashboards/grafana/provisioning/datasources/prometheus.yml
/usr/share/doc/sroscope/README.md /usr/share/doc/sroscope/README.Debian
/usr/share/doc/sroscope/copyright /usr/share/doc/sroscope/changelog.gz
/usr/share/man/man5/srotrace.5.gz"
for f in $want_files; do
	[ -f "$ROOT$f" ] || fail "no $f"
done
for f in "$REPO"/dashboards/grafana/*.json; do
	i=$ROOT/usr/share/sroscope/dashboards/grafana/$(basename "$f")
	cmp -s "$f" "$i" || fail "dashboard $(basename "$f") not in /usr/share/sroscope/dashboards/grafana"
done
for f in "$REPO"/schemas/*.schema.json; do
	cmp -s "$f" "$ROOT/usr/share/sroscope/schemas/$(basename "$f")" ||
		fail "schema $(basename "$f") not in /usr/share/sroscope/schemas"
done
for f in "$REPO"/man/*.scd; do
	p=$(basename "$f" .scd)
	[ -f "$ROOT/usr/share/man/man${p##*.}/$p.gz" ] || fail "no page $p in /usr/share/man/man${p##*.}"
done
for f in "$REPO"/docs/*.md; do
	[ -f "$ROOT/usr/share/doc/sroscope/docs/$(basename "$f")" ] || fail "no docs/$(basename "$f") in /usr/share/doc/sroscope"
done
[ "$failures" = "$f0" ] && echo "ok: command, policies, pages, completion, units, dashboards, rules, JSON schemas, docs, /etc/default/sroscope in place"
# The documentation's relative links and images resolve where installed
# as they do in the tree (a link broken there is the pages' business).
f0=$failures
nlinks=0
for md in "$ROOT"/usr/share/doc/sroscope/README.md "$ROOT"/usr/share/doc/sroscope/docs/*.md; do
	src=$REPO/${md#"$ROOT"/usr/share/doc/sroscope/}
	while read -r l; do
		[ -e "$(dirname "$src")/$l" ] || {
			echo "note: ${src#"$REPO"/} links $l, which is not in the tree either"
			continue
		}
		nlinks=$((nlinks + 1))
		[ -e "$(dirname "$md")/$l" ] || fail "${md#"$ROOT"}: link $l goes nowhere"
	done < <(grep -o '](\([^)#:]*\)' "$md" | sed 's/^](//' | sort -u)
done
[ "$failures" = "$f0" ] && echo "ok: the $nlinks relative links of the installed Markdown pages resolve"
# shellcheck disable=SC2016 # dpkg-query's format, not the shell's
in_root dpkg-query -W -f='${Conffiles}\n' sroscope | grep -q "^ /etc/default/sroscope " ||
	fail "/etc/default/sroscope is not a conffile"
# shellcheck disable=SC2016 # dpkg-query's format, not the shell's
in_root dpkg-query -W -f='${Conffiles}\n' sroscope | grep -q "^ /etc/sroscope/policy.conf " ||
	fail "/etc/sroscope/policy.conf is not a conffile"
# As shipped, every key shown at its default, commented out; uncommented
# they are all accepted.
sed 's/^#\([a-z_]* = \)/\1/' "$ROOT/etc/sroscope/policy.conf" >"$ROOT/tmp/policy.conf"
n=$(grep -c '^[a-z_]* = ' "$ROOT/tmp/policy.conf")
[ "$n" = 12 ] || fail "/etc/sroscope/policy.conf shows $n keys at their defaults, want 12"
# (Read before anything else: on this host, then, no sro/stats.)
out=$(in_root timeout 5 sroscope policy supervise --config /tmp/policy.conf 2>&1)
[[ $out == *"cannot read /sys/kernel/debug/sro/stats"* ]] ||
	fail "/etc/sroscope/policy.conf with its keys uncommented is refused: $out"
rm -f "$ROOT/tmp/policy.conf"
grep -q '^#\?SROSCOPE_POLICY=' "$ROOT/etc/default/sroscope" || fail "/etc/default/sroscope does not document SROSCOPE_POLICY"
# Units: the commands they run are the package's; installed, not enabled.
for u in sroscope-export sroscope-policy; do
	bad=$(grep '^Exec' "$ROOT/lib/systemd/system/$u.service" | grep -v '^Exec[A-Za-z]*=-\{0,1\}/usr/sbin/sroscope ')
	[ -z "$bad" ] || fail "$u.service runs something other than /usr/sbin/sroscope: $bad"
	find "$ROOT/etc/systemd" -name "$u.service" 2>/dev/null | grep -q . && fail "$u.service is enabled"
done
# Grafana's provisioning finds the dashboards; Prometheus its rules.
prov=$(awk '$1 == "path:" { print $2 }' "$ROOT/usr/share/sroscope/dashboards/grafana/provisioning/dashboards/sroscope.yml")
n=$(find "$ROOT$prov" -name '*.json' 2>/dev/null | wc -l)
if [ "$n" -ge 3 ]; then
	echo "ok: the Grafana provisioning's path $prov holds the $n dashboards"
else
	fail "the Grafana provisioning's path '$prov' holds $n dashboards"
fi
for f in "$ROOT"/usr/share/sroscope/dashboards/grafana/*.json; do
	jq -e . "$f" >/dev/null 2>&1 || fail "$(basename "$f") is not valid JSON"
done
if command -v promtool >/dev/null; then
	if out=$(promtool check config "$ROOT/usr/share/sroscope/prometheus/prometheus.yml" 2>&1); then
		echo "ok: promtool check config: the installed prometheus.yml and its rules"
	else
		fail "promtool check config: $out"
	fi
fi
# Completion, sourced by bash as bash-completion would.
c=$(in_root bash -c '. /usr/share/bash-completion/completions/sroscope && complete -p sroscope' 2>&1)
if [[ $c == *"-F _sroscope sroscope" ]]; then
	echo "ok: the completion registers _sroscope"
else
	fail "completion: $c"
fi

# --- Pages and units, with man-db and systemd in the chroot ---------------
t0=$(date +%s)
if apt_install --no-install-recommends man-db systemd; then
	for p in sroscope-trace:1 srotrace:5; do
		page=$(in_root sh -c "MANWIDTH=80 man ${p#*:} ${p%:*} 2>&1")
		if [[ $page == *"${p%:*} - "* ]]; then
			echo "ok: man ${p#*:} ${p%:*} renders"
		else
			fail "man ${p#*:} ${p%:*}: $(echo "$page" | head -5)"
		fi
	done
	# Also checks the ExecStart binaries and the man: and file:
	# documentation the units name.
	if out=$(in_root systemd-analyze verify /lib/systemd/system/sroscope-policy.service \
		/lib/systemd/system/sroscope-export.service 2>&1) && [ -z "$out" ]; then
		echo "ok: systemd-analyze verify: both units ($(($(date +%s) - t0)) s with man-db and systemd)"
	else
		fail "systemd-analyze verify: $out"
	fi
	for u in sroscope-policy sroscope-export; do
		s=$(in_root systemd-analyze security --offline=yes "/lib/systemd/system/$u.service" 2>/dev/null |
			sed -n 's/.*Overall exposure level for.*: \([0-9.]* [A-Z]*\).*/\1/p')
		echo "ok: $u.service exposure (systemd-analyze security): ${s:-?}"
	done
else
	tail -5 "$WORK/apt.log"
	fail "cannot install man-db and systemd in the chroot"
fi

# --- The units as shipped: systemd as PID 1 in the test VM -----------------
# This root (the package and systemd installed by apt) booted with
# systemd as init: the units run with every sandboxing option they set
# (tests/vm/systemd/units.sh says what is checked).
if [ "${T_DEB_VM:-1}" = 0 ]; then
	echo "ok: (T_DEB_VM=0: the units not run under systemd)"
elif [ ! -x "$ROOT/lib/systemd/systemd" ]; then
	fail "no systemd in the chroot: the units not run"
else
	in_vm systemd "the units under systemd as PID 1" "ok: all passed under systemd" \
		'bash tests/vm/systemd/units.sh' VM_ROOT="$ROOT" VM_OVERLAY=/nonexistent
fi

# --- Remove, then purge ------------------------------------------------------
in_root dpkg -L sroscope >"$WORK/files" || fail "dpkg -L sroscope"
if in_root dpkg -r sroscope >"$WORK/remove.log" 2>&1; then
	left=""
	while read -r f; do
		[ -e "$ROOT$f" ] && [ ! -d "$ROOT$f" ] && [ "$f" != /etc/default/sroscope ] &&
			[ "$f" != /etc/sroscope/policy.conf ] && left="$left $f"
	done <"$WORK/files"
	if [ -z "$left" ]; then
		echo "ok: dpkg -r: only the conffiles /etc/default/sroscope and /etc/sroscope/policy.conf left"
	else
		fail "dpkg -r left:$left"
	fi
	[ -f "$ROOT/etc/default/sroscope" ] && [ -f "$ROOT/etc/sroscope/policy.conf" ] ||
		fail "dpkg -r removed a conffile"
else
	fail "dpkg -r sroscope: $(cat "$WORK/remove.log")"
fi
if in_root dpkg -P sroscope >"$WORK/purge.log" 2>&1; then
	left=""
	while read -r f; do
		[ "$f" = /. ] && continue
		[ -e "$ROOT$f" ] || continue
		# A directory stays when another package has it too.
		[ -d "$ROOT$f" ] && in_root dpkg -S "$f" >/dev/null 2>&1 && continue
		left="$left $f"
	done <"$WORK/files"
	left="$left $(find "$ROOT/etc" "$ROOT/var/lib/systemd" -name '*sroscope*' 2>/dev/null | sed "s|^$ROOT||" | tr '\n' ' ')"
	left=$(printf '%s' "$left" | xargs)
	if [ -z "$left" ]; then
		echo "ok: dpkg -P: nothing of the package left"
	else
		fail "dpkg -P left: $left"
	fi
	in_root dpkg -s sroscope >/dev/null 2>&1 && fail "dpkg -s: sroscope still known after dpkg -P"
else
	fail "dpkg -P sroscope: $(cat "$WORK/purge.log")"
fi
in_root apt-get autoclean -q >/dev/null 2>&1	# the cache keeps current versions only
umount_under "$ROOT" || fail "cannot unmount the chroot"

# --- From the installed paths, in the test VM -------------------------------
if [ "${T_DEB_VM:-1}" = 0 ]; then
	echo "ok: (T_DEB_VM=0: not run in the VM)"
else
	# The guest is a busybox initramfs: vm-run.sh copies VM_OVERLAY to
	# /sroscope and the shared libraries of its ELF programs to /lib
	# (LD_LIBRARY_PATH=/lib), as for build/x86_64/vmroot; the guest
	# script moves the package's tree to /usr, /etc and /lib.
	OVL=$WORK/overlay
	mkdir -p "$OVL/tests/vm"
	dpkg-deb -x "$DEB" "$OVL" || die "dpkg-deb -x failed"
	# To run the policy unit's commands within its CapabilityBoundingSet=
	# (capsh) and check their system calls against its SystemCallFilter=
	# (strace; the filter expanded here by systemd-analyze), when this
	# host has the tools: /sroscope/deb-tools in the guest.
	if command -v capsh >/dev/null && command -v strace >/dev/null; then
		mkdir -p "$OVL/deb-tools"
		cp "$(command -v capsh)" "$(command -v strace)" "$OVL/deb-tools/"
		expand_filter() {	# the system calls of systemd filter words
			local w
			for w in "$@"; do
				case $w in
				@*) # shellcheck disable=SC2046 # words
					expand_filter $(systemd-analyze syscall-filter "$w" 2>/dev/null |
						sed -n 's/^ \{1,\}\([-@a-z0-9_]\{1,\}\)$/\1/p') ;;
				*) echo "$w" ;;
				esac
			done
		}
		# shellcheck disable=SC2046 # words
		expand_filter $(sed -n 's/^SystemCallFilter=//p' \
			"$OVL/lib/systemd/system/sroscope-policy.service") |
			sort -u >"$OVL/deb-tools/allowed-syscalls"
	else
		echo "note: no capsh or strace here (libcap2-bin, strace): the policy unit's bounds not checked"
	fi
	cat >"$OVL/tests/vm/deb-installed.sh" <<'GUEST'
#!/bin/sh
# Run by tests/host/t-deb.sh in the test VM: the package's tree is /usr,
# /etc and /lib/systemd; nothing else of sroscope's is in the guest.
. ./lib/sro.sh
mv /sroscope/usr /usr && mv /sroscope/etc /etc && mkdir -p /lib && mv /sroscope/lib/systemd /lib/ ||
	fail "cannot put the package's tree in place"
export PATH=/usr/sbin:/bin
unset SROSCOPE_POLICY_DIR
[ "$(command -v sroscope)" = /usr/sbin/sroscope ] || fail "sroscope is $(command -v sroscope)"
[ -e /sroscope/bin/sroscope ] || [ -e /sroscope/lib/sroscope ] && fail "the build tree's sroscope is in the guest"
v=$(sroscope --version) || fail "/usr/sbin/sroscope does not run: $v"
echo "ok: $v runs in the guest from /usr/sbin with its libraries"

# Trace (text and NDJSON) and record, live, while the emulated RMM
# creates a realm with a REC and destroys it; then read the record back.
trace_start
scope text trace -T
scope json trace --json
scope rec record /tmp/deb.srotrace
emu "realm_create 5" "rec_create 5 1" "rec_destroy 5 1" "realm_destroy 5"
scope_end text
scope_end json
scope_end rec
trace_stop
sroscope trace /tmp/deb.srotrace --json >/tmp/back.out 2>/tmp/back.err ||
	fail "trace FILE: $(cat /tmp/back.err)"
n=$(grep -c ' sro_[a-z_]*: ' /tmp/trace.txt)
[ "$n" -gt 20 ] || fail "only $n events in tracefs"
expect_eq "trace -T lines (sroscope vs tracefs)" "$(grep -c '^[0-9:]* *[0-9.]* ' /tmp/text.out)" "$n"
expect_eq "trace --json lines (sroscope vs tracefs)" "$(grep -c '^{"ts":' /tmp/json.out)" "$n"
expect_eq "record, trace FILE lines (sroscope vs tracefs)" "$(grep -c '^{"ts":' /tmp/back.out)" "$n"
for ev in donate reclaim alloc free; do
	expect_eq "$ev events (trace --json vs tracefs)" \
		"$(grep -c "\"event\":\"$ev\"" /tmp/json.out)" "$(count sro_$ev)"
done
expect_eq "realm 5 donations seen" "$(grep '"event":"donate"' /tmp/json.out | grep -c '"realm":5[,}]')" "$(count sro_donate 'realm=5 ')"
grep -q "^LOST" /tmp/json.err && fail "events lost: $(cat /tmp/json.err)"

# A policy from /usr/lib/sroscope/policies: by name, no SROSCOPE_POLICY_DIR.
out=$(sroscope policy load exact) || fail "policy load exact: $out"
p=$(echo "$out" | sed -n 's/^policy .* loaded from \(.*\)$/\1/p')
expect_eq "policy exact loaded from" "$(realpath "$p")" /usr/lib/sroscope/policies/exact.bpf.o
expect_eq "policy in charge" "$(cat "$POOL/policy")" exact
out=$(sroscope policy unload) || fail "policy unload: $out"
expect_eq "policy after unload" "$(cat "$POOL/policy")" default
# The same binary elsewhere finds them by the fixed path alone.
cp /usr/sbin/sroscope /tmp/sroscope
out=$(/tmp/sroscope policy load exact) || fail "/tmp/sroscope policy load exact: $out"
expect_eq "by its fixed path, policy exact loaded from" \
	"$(echo "$out" | sed -n 's/^policy .* loaded from \(.*\)$/\1/p')" /usr/lib/sroscope/policies/exact.bpf.o
/tmp/sroscope policy unload >/dev/null || fail "policy unload"

# sroscope-policy.service's command, as systemd runs it: ExecStart, the
# supervisor, until the preferred policy of /etc/sroscope/policy.conf is
# in charge, then SIGTERM, as systemctl stop sends it (no ExecStop).
U=/lib/systemd/system/sroscope-policy.service
want=$(sed -n 's/^[[:space:]]*preferred[[:space:]]*=[[:space:]]*\([^[:space:]#]*\).*/\1/p' /etc/sroscope/policy.conf)
want=${want:-adaptive}
start=$(sed -n 's/^ExecStart=//p' $U)
grep -q '^ExecStop' $U && fail "sroscope-policy.service has an ExecStop: $(grep '^ExecStop' $U)"
T=/sroscope/deb-tools
if [ -x $T/capsh ]; then
	# Within the unit's CapabilityBoundingSet=, system calls recorded.
	sed -n 's/^CapabilityBoundingSet=//p' $U | tr 'A-Z ' 'a-z\n' | grep . >/tmp/keep
	drop=$($T/capsh --print | sed -n 's/^Bounding set =//p' | tr ',' '\n' |
		grep -v -x -F -f /tmp/keep | tr '\n' ',' | sed 's/,$//')
	run() {	# NAME CMD: CMD as the unit runs it, traced into /tmp/NAME.st
		$T/capsh --shell=/bin/sh --drop="$drop" -- -c \
			"$T/strace -f -qq -o /tmp/$1.st $2" >/tmp/unit.out 2>&1
	}
	bounds=" within CapabilityBoundingSet=$(tr '\n' ' ' </tmp/keep | sed 's/ $//')"
else
	run() { eval "$2" >/tmp/unit.out 2>&1; }
	bounds=""
fi
run start "$start" &
job=$!
i=0
while [ "$(cat "$POOL/policy")" != "$want" ]; do
	i=$((i + 1))
	[ $i -le 300 ] || fail "the unit's ExecStart$bounds: $want not in charge after 30 s: $(cat /tmp/unit.out)"
	sleep 0.1
done
echo "ok: policy $want in charge by the unit's ExecStart$bounds"
sleep 2	# a few intervals of supervision, traced
kill -TERM "$(pidof sroscope)"
wait $job || fail "the unit's ExecStart$bounds exited $? on SIGTERM: $(cat /tmp/unit.out)"
expect_eq "policy after SIGTERM$bounds" "$(cat "$POOL/policy")" default
if [ -f $T/allowed-syscalls ]; then
	used=$(cat /tmp/start.st | sed -n 's/^[0-9]* *\([a-z_0-9]*\)(.*/\1/p' | sort -u)
	[ -n "$used" ] || fail "no system calls recorded"
	bad=$(echo "$used" | grep -v -x -F -f $T/allowed-syscalls | tr '\n' ' ')
	[ -z "$bad" ] || fail "the unit's commands make system calls its SystemCallFilter= denies: $bad"
	echo "ok: its $(echo "$used" | wc -l) system calls are all in its SystemCallFilter="
fi
echo "ok: all passed in the guest"
GUEST
	in_vm vm "the installed tree in the VM" "ok: all passed in the guest" \
		'cd tests/vm && sh ./deb-installed.sh' VM_OVERLAY="$OVL"
fi

if [ "$failures" != 0 ]; then
	echo "FAIL: deb: $failures checks failed"
	exit 1
fi
echo "ok: deb: every check passed"

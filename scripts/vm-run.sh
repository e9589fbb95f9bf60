#!/bin/sh
# Boot the sroscope test kernel under QEMU and run one command in it, like
# `vng -- CMD`:
#
#   vm-run.sh ARCH 'CMD'     ARCH = x86_64 | arm64
#
# The guest is a busybox initramfs with the project's files under
# /sroscope (build/ARCH/vmroot from the repo, and tests/vm), /sroscope/bin
# on PATH, proc, sys, devtmpfs, debugfs, tracefs and bpffs mounted. CMD
# runs with `sh -c` in /sroscope; its output streams to this stdout and
# this script exits with its status (124: timeout, 125: the guest died).
#
# Environment: VM_MEM (default 2G), VM_CPUS (2), VM_TIMEOUT (600 s),
# VM_APPEND (extra kernel arguments), VM_OVERLAY (dir copied to /sroscope),
# VM_CONSOLE=1 (show the kernel console live instead of logging it),
# VM_ACCEL (QEMU's -accel, default tcg: multi-threaded, one host thread
# per vCPU; tcg,thread=single runs them all on one),
# VM_DEBUG=1 (boot the sanitizer kernel), VM_HOSTFWD (QEMU user-network
# forwards, e.g.
# "tcp:127.0.0.1:19435-:29435": the guest is 10.0.2.15 on eth0).
#
# VM_RMM=real (arm64 only): boot on the real Arm CCA firmware instead,
# TF-A at EL3 and TF-RMM at R-EL2 under QEMU's FEAT_RME emulation
# (scripts/cca-firmware.sh builds it; VM_FIRMWARE=FILE uses another
# qemu_fw.bios), the kernel as TF-A's BL33 at NS-EL2. The firmware's
# console shares the kernel's serial, in the log.
#
# VM_ROOT=DIR: boot DIR, a Debian root with systemd, instead of busybox:
# systemd is PID 1 and runs CMD as a service once the system is up, with
# /sroscope as above (no shared libraries copied: the root has its own).
# DIR is packed as it is, one file system deep (mounts under it are left
# out), and not changed (tests/host/t-deb.sh: the units as shipped).
set -eu

REPO=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${SROSCOPE_CACHE:-$HOME/.cache/sroscope}

die() { echo "vm-run: $*" >&2; exit 125; }

[ $# -ge 2 ] || die "usage: vm-run.sh x86_64|arm64 'COMMAND'"
ARCH=$1
shift
CMD=$*
MEM=${VM_MEM:-2G}
CPUS=${VM_CPUS:-2}
TIMEOUT=${VM_TIMEOUT:-600}
OVERLAY=${VM_OVERLAY:-$REPO/build/$ARCH/vmroot}

case "$ARCH" in
x86_64)
	IMAGE=$CACHE/build-$ARCH/arch/x86/boot/bzImage
	QEMU="qemu-system-x86_64 -M pc -cpu max"
	CONSOLE=ttyS0
	ARCH_APPEND=""
	LIBDIRS="/lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu"
	;;
arm64)
	IMAGE=$CACHE/build-$ARCH/arch/arm64/boot/Image
	# Implementation-defined pointer auth is much cheaper under TCG.
	QEMU="qemu-system-aarch64 -M virt -cpu max,pauth-impdef=on"
	CONSOLE=ttyAMA0
	ARCH_APPEND=""
	LIBDIRS="/usr/aarch64-linux-gnu/lib /usr/lib/aarch64-linux-gnu /lib/aarch64-linux-gnu"
	;;
*) die "unknown ARCH '$ARCH'" ;;
esac
# VM_DEBUG=1: the sanitizer kernel (make kernel DEBUG=1).
if [ "${VM_DEBUG:-0}" = 1 ]; then
	IMAGE=$(echo "$IMAGE" | sed "s|/build-$ARCH/|/build-$ARCH-debug/|")
	# Under KASAN and TCG the ACPI interpreter runs _PRT past its 30 s
	# loop limit: PCI gets no interrupt routing, the virtio console loses
	# the guest's output and boot takes a minute. The BIOS's PIRQ table
	# routes them instead (acpi=off would also lose the second CPU).
	[ "$ARCH" = x86_64 ] && ARCH_APPEND="$ARCH_APPEND pci=noacpi"
fi
# The emulated RMM answers only when asked (it stands down by itself when
# a real RMM is there).
ARCH_APPEND="$ARCH_APPEND rmm_emu.enable=1"
[ -n "${KIMAGE:-}" ] && IMAGE=$KIMAGE
[ -f "$IMAGE" ] || die "no kernel at $IMAGE: run 'make kernel ARCH=$ARCH' first"

RMM=${VM_RMM:-}
case "$RMM" in
"") ;;
real)
	[ "$ARCH" = arm64 ] || die "VM_RMM=real needs ARCH=arm64"
	FIRMWARE=${VM_FIRMWARE:-$("$REPO/scripts/cca-firmware.sh")} ||
		die "no CCA firmware"
	[ -f "$FIRMWARE" ] || die "no firmware at $FIRMWARE"
	# EL3 and RME for TF-A; GICv3 as TF-A is built for; no ACPI, so the
	# kernel takes the device tree TF-A hands over.
	QEMU="qemu-system-aarch64 -M virt,virtualization=on,secure=on,gic-version=3,acpi=off -cpu max,x-rme=on,pauth-impdef=on"
	;;
*) die "unknown VM_RMM '$RMM' (only 'real')" ;;
esac

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ROOT=$WORK/root
mkdir -p "$ROOT/bin" "$ROOT/dev" "$ROOT/proc" "$ROOT/sys" "$ROOT/tmp" \
	"$ROOT/sroscope/bin" "$ROOT/sroscope/tests"
[ -d "$OVERLAY" ] && cp -a "$OVERLAY/." "$ROOT/sroscope/"
cp -a "$REPO/tests/vm" "$ROOT/sroscope/tests/"

# Shared libraries of the dynamically linked programs in the overlay.
copy_libs() {
	for f in $(find "$ROOT/sroscope" -type f -perm -u+x); do
		head -c 4 "$f" | grep -q ELF || continue
		interp=$(readelf -l "$f" 2>/dev/null | sed -n 's/.*interpreter: \(.*\)]/\1/p')
		[ -n "$interp" ] || continue
		for d in $LIBDIRS; do
			if [ -e "$d/$(basename "$interp")" ]; then
				mkdir -p "$ROOT$(dirname "$interp")"
				cp -L "$d/$(basename "$interp")" "$ROOT$interp"
				break
			fi
		done
		todo=$(readelf -d "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
		while [ -n "$todo" ]; do
			next=""
			for lib in $todo; do
				[ -e "$ROOT/lib/$lib" ] && continue
				for d in $LIBDIRS; do
					[ -e "$d/$lib" ] || continue
					mkdir -p "$ROOT/lib"
					cp -L "$d/$lib" "$ROOT/lib/$lib"
					next="$next $(readelf -d "$d/$lib" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')"
					break
				done
			done
			todo=$next
		done
	done
}

printf '%s\n' "$CMD" >"$ROOT/cmd"
if [ -n "${VM_ROOT:-}" ]; then
	[ -x "$VM_ROOT/lib/systemd/systemd" ] || die "no systemd in $VM_ROOT"
	rmdir "$ROOT/bin" "$ROOT/dev" "$ROOT/proc" "$ROOT/sys" "$ROOT/tmp"
	# CMD as a service once the system is up; its exit status to the
	# serial console; then an immediate reboot, which ends QEMU. No
	# getty on the consoles: the virtio one carries CMD's output.
	S=$ROOT/etc/systemd/system
	mkdir -p "$S/multi-user.target.wants"
	cat >"$S/sroscope-vm.service" <<'UNIT'
[Unit]
Description=vm-run.sh: the command
After=multi-user.target

[Service]
Type=oneshot
WorkingDirectory=/sroscope
Environment=PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
ExecStart=/bin/sh -c 'echo @@SROSCOPE-START@@ >/dev/console; sh /cmd >/dev/hvc0 2>&1 </dev/null; echo "@@SROSCOPE-EXIT=$?@@" >/dev/console; systemctl reboot -ff'
UNIT
	ln -s ../sroscope-vm.service "$S/multi-user.target.wants/"
	ln -s /dev/null "$S/serial-getty@.service"
	ln -s /dev/null "$S/getty@.service"
	ARCH_APPEND="$ARCH_APPEND rdinit=/lib/systemd/systemd"
	# The root first, then these files over it: the kernel unpacks
	# cpio archives one after the other.
	{
		(cd "$VM_ROOT" && find . -xdev | cpio -o -H newc --quiet)
		(cd "$ROOT" && find . | cpio -o -H newc --quiet)
	} | gzip -1 >"$WORK/initramfs.gz"
else
BUSYBOX=$("$REPO/scripts/fetch-busybox.sh" "$ARCH")
cp "$BUSYBOX" "$ROOT/bin/busybox"
copy_libs
cat >"$ROOT/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp
mount -t debugfs debugfs /sys/kernel/debug
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mount -t bpf bpf /sys/fs/bpf
ip link set lo up
# QEMU's user network (VM_HOSTFWD): the guest is 10.0.2.15.
if [ -e /sys/class/net/eth0 ]; then
	ip link set eth0 up
	ip addr add 10.0.2.15/24 dev eth0
	ip route add default via 10.0.2.2
fi
export PATH=/sroscope/bin:/sroscope/tests/vm:/bin
export LD_LIBRARY_PATH=/lib
export HOME=/tmp
cd /sroscope
# The virtio console can show up late (a sanitizer kernel probes slowly).
i=0
while [ ! -e /dev/hvc0 ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
out=$(ls /dev/hvc0 2>/dev/null || echo /dev/console)
echo @@SROSCOPE-START@@ >/dev/console
sh /cmd >"$out" 2>&1 </dev/null
echo "@@SROSCOPE-EXIT=$?@@" >/dev/console
reboot -f
INIT
chmod +x "$ROOT/init"
(cd "$ROOT" && find . | cpio -o -H newc --quiet | gzip -1) >"$WORK/initramfs.gz"
fi

# The console log of this run; kept as $CACHE/vm-ARCH.log at the end
# (vm-arm64-rmm-real.log with VM_RMM=real), so that two VMs running at
# once do not write into each other's.
LOG=$WORK/console.log
KEEP=$CACHE/vm-$ARCH${RMM:+-rmm-$RMM}.log
trap 'cp "$LOG" "$KEEP" 2>/dev/null; rm -rf "$WORK"' EXIT
if [ "${VM_CONSOLE:-0}" = 1 ]; then
	SERIAL="-serial file:/dev/stderr"
else
	SERIAL="-serial file:$LOG"
fi
NET=""
if [ -n "${VM_HOSTFWD:-}" ]; then
	fwd=""
	for f in $VM_HOSTFWD; do
		fwd="$fwd,hostfwd=$f"
	done
	NET="-netdev user,id=n0,restrict=on$fwd -device virtio-net-pci,netdev=n0"
fi
# How the kernel and its initramfs get in, as QEMU's arguments.
if [ "$RMM" = real ]; then
	# TF-A jumps to the Image where it was built to find it (its
	# PRELOADED_BL33_BASE) and hands it QEMU's device tree. With firmware,
	# QEMU only puts -kernel and -initrd in fw_cfg, which TF-A does not
	# read, but still writes -append into the device tree's bootargs. So
	# both go in with QEMU's generic loader, and the kernel is told where
	# the initramfs is (initrd=ADDR,SIZE). 0x48000000 is free RAM: above
	# the device tree (0x40000000) and the RMM's carve-out (up to
	# 0x41900000), below the kernel. -kernel is there only because QEMU
	# takes -append with it alone.
	INITRD_ADDR=0x48000000
	size=$(stat -c %s "$WORK/initramfs.gz")
	[ "$size" -lt $((0x18000000)) ] || die "initramfs too large: $size bytes"
	ARCH_APPEND="$ARCH_APPEND initrd=$INITRD_ADDR,$size"
	# The secure UART is TF-A's crash console.
	set -- -bios "$FIRMWARE" -kernel "$IMAGE" \
		-device "loader,file=$IMAGE,addr=0x60000000,force-raw=on" \
		-device "loader,file=$WORK/initramfs.gz,addr=$INITRD_ADDR,force-raw=on" \
		-serial "file:$WORK/secure.log"
	trap '[ -s "$WORK/secure.log" ] && [ -f "$LOG" ] &&
		{ echo "--- secure UART ---"; cat "$WORK/secure.log"; } >>"$LOG"
		cp "$LOG" "$KEEP" 2>/dev/null; rm -rf "$WORK"' EXIT
else
	set -- -kernel "$IMAGE" -initrd "$WORK/initramfs.gz"
fi
# A slow boot (the sanitizer kernel under TCG: about 40 s) says so every
# 30 s until the guest writes that it starts the command.
BOOT_TICK=""
if [ "${VM_CONSOLE:-0}" != 1 ]; then
	(
		t0=$(date +%s)
		while sleep 30 >/dev/null 2>&1 && kill -0 $$ 2>/dev/null &&
			! grep -qs @@SROSCOPE-START@@ "$LOG"; do
			echo "vm-run: booting the $ARCH VM, $(($(date +%s) - t0)) s" >&2
		done
	) &
	BOOT_TICK=$!
fi
rc=0
# shellcheck disable=SC2086
timeout "$TIMEOUT" $QEMU -accel "${VM_ACCEL:-tcg}" -smp "$CPUS" -m "$MEM" \
	-nodefaults -no-reboot -display none $SERIAL "$@" \
	-append "console=$CONSOLE panic=-1 quiet loglevel=4 $ARCH_APPEND ${VM_APPEND:-}" \
	-device virtio-serial-pci \
	-chardev file,id=out,path=/dev/stdout,append=on \
	-device virtconsole,chardev=out $NET ${VM_QEMU_ARGS:-} </dev/null || rc=$?
[ -z "$BOOT_TICK" ] || kill "$BOOT_TICK" 2>/dev/null || true
[ "$rc" = 124 ] && { echo "vm-run: timed out after $TIMEOUT s" >&2; exit 124; }
[ "${VM_CONSOLE:-0}" = 1 ] && exit 0
status=$(sed -n 's/.*@@SROSCOPE-EXIT=\([0-9]*\)@@.*/\1/p' "$LOG" | tail -1)
if [ -z "$status" ]; then
	echo "vm-run: the guest never finished the command; console ($KEEP):" >&2
	tail -40 "$LOG" >&2
	exit 125
fi
exit "$status"

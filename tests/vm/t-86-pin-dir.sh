#!/bin/sh
# The policy's pin directory is root's alone. This VM mounts bpffs without
# mode=, so /sys/fs/bpf is 1777 and any user can create
# /sys/fs/bpf/sroscope before root does; a policy pinned in it could then
# be removed by that user, putting the built-in default back in charge.
# "policy load" refuses a directory someone else owns, one that lets
# group or others in, and a symbolic link, saying why and what to do; it
# works once the directory is root's, and then the user cannot touch it.
. ./lib/sro.sh
D=/sys/fs/bpf/sroscope
mode() { ls -ld "$1" | cut -c1-10; }

expect_eq "bpffs open to every user (mounted without mode=)" "$(mode /sys/fs/bpf)" drwxrwxrwt
expect_eq "policy in charge at the start" "$(cat "$POOL/policy")" default
[ ! -e "$D/policy" ] || fail "a policy is pinned at the start"
rm -rf "$D"
# Whatever happens, leave no directory of eve's for the tests after.
trap '[ "$(busybox stat -c %u "$D" 2>/dev/null)" = 0 ] || rm -rf "$D"; rm -rf /sys/fs/bpf/eve' EXIT

# eve: an unprivileged user (busybox su needs only /etc/passwd).
mkdir -p /etc
grep -q '^eve:' /etc/passwd 2>/dev/null ||
	echo 'eve:x:1000:1000:eve:/tmp:/bin/sh' >>/etc/passwd
grep -q '^eve:' /etc/group 2>/dev/null || echo 'eve:x:1000:' >>/etc/group
as_eve() { su eve -s /bin/sh -c "$1"; }
expect_eq "eve's uid" "$(as_eve 'id -u')" 1000

# refused PATTERN: "policy load exact" fails, says PATTERN, pins nothing.
refused() {
	if sroscope policy load exact >/tmp/load.out 2>&1; then
		fail "policy load pinned into an untrusted $D: $(cat /tmp/load.out)"
	fi
	cat /tmp/load.out
	grep -q -- "$1" /tmp/load.out || fail "the refusal does not say '$1'"
	expect_eq "policy in charge after the refusal" "$(cat "$POOL/policy")" default
}

as_eve "mkdir $D" || fail "eve cannot create $D"
expect_eq "eve's directory" "$(busybox stat -c '%u %a' "$D")" "1000 755"
refused "owned by uid 1000, not root"
grep -q "rm -r $D" /tmp/load.out || fail "the refusal does not say what to do"
expect_eq "nothing pinned in eve's directory" "$(ls -A "$D")" ""
# list and status (no lock, nothing created) warn and see no policy.
sroscope policy list >/tmp/list.out 2>&1
grep -q "owned by uid 1000" /tmp/list.out || fail "list does not warn: $(cat /tmp/list.out)"
grep -q "^loaded: none" /tmp/list.out || fail "list sees a policy: $(cat /tmp/list.out)"

# Even made mode 0700: still eve's.
as_eve "chmod 0700 $D"
refused "owned by uid 1000"
rmdir "$D"

# A symbolic link to a directory eve owns.
as_eve "mkdir /sys/fs/bpf/eve && ln -s /sys/fs/bpf/eve $D" ||
	fail "eve cannot create the link"
refused "is a symbolic link, not a directory"
expect_eq "nothing pinned through the link" "$(ls -A /sys/fs/bpf/eve)" ""
rm -f "$D"
rm -rf /sys/fs/bpf/eve

# root's, but group and others may enter.
mkdir -m 0750 "$D"
refused "has mode 0750"
rmdir "$D"

# Root's and 0700: created so when missing, and accepted when there.
policy load exact
expect_eq "pin directory created" "$(busybox stat -c '%u %a' "$D")" "0 700"
expect_eq "policy in charge" "$(cat "$POOL/policy")" exact
if as_eve "rm -f $D/policy" 2>/dev/null; then
	[ -e "$D/policy" ] || fail "eve removed the pinned policy"
fi
expect_eq "policy in charge after eve tried to remove its pin" "$(cat "$POOL/policy")" exact
policy unload
policy load contig
expect_eq "loaded into the existing directory" "$(cat "$POOL/policy")" contig
policy unload
expect_eq "policy in charge at the end" "$(cat "$POOL/policy")" default

#!/bin/sh
# Print the path of a static busybox for ARCH, fetching Debian's
# busybox-static for that architecture into the cache when needed.
set -eu
ARCH=$1
CACHE=${SROSCOPE_CACHE:-$HOME/.cache/sroscope}
case "$ARCH" in
x86_64) DEB_ARCH=amd64 ;;
arm64) DEB_ARCH=arm64 ;;
*) echo "fetch-busybox: unknown ARCH $ARCH" >&2; exit 1 ;;
esac
if [ "$DEB_ARCH" = "$(dpkg --print-architecture)" ] && [ -x /bin/busybox ] &&
   file -L /bin/busybox | grep -q static; then
	echo /bin/busybox
	exit 0
fi
OUT=$CACHE/busybox-$DEB_ARCH
if [ ! -x "$OUT/bin/busybox" ]; then
	if ! dpkg --print-foreign-architectures | grep -qx "$DEB_ARCH"; then
		dpkg --add-architecture "$DEB_ARCH"
		apt-get update -qq >&2 || true
	fi
	tmp=$(mktemp -d)
	# As root: apt's _apt user cannot write into a root's mktemp directory
	# (apt would say so, then download as root anyway).
	(cd "$tmp" && apt-get download -qq -o APT::Sandbox::User=root \
		"busybox-static:$DEB_ARCH" >&2)
	rm -rf "$OUT"
	dpkg-deb -x "$tmp"/busybox-static_*.deb "$OUT"
	rm -rf "$tmp"
fi
echo "$OUT/bin/busybox"

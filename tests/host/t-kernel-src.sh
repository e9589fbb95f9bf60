#!/bin/sh
# make kernel-src round-trips: the series materialised as a git tree
# (scripts/kernel-series.sh checkout, into a temporary directory) has one
# commit per patch of kernel/patches/, lists exactly the files they touch,
# and exported untouched gives kernel/patches/ back byte for byte. It
# leaves a tree holding work alone: an uncommitted change, then a commit
# not exported; put back as checkout made it, the tree is reused.
# kernel/patches/ itself is never written. Needs the cached Linux tree
# (make kernel, or make kernel-src, makes it).
set -u
REPO=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${SROSCOPE_CACHE:-$HOME/.cache/sroscope}
S=$REPO/scripts/kernel-series.sh
P=$REPO/kernel/patches
fail() { echo "  FAIL    kernel-src: $*"; exit 1; }
if [ ! -d "$CACHE/linux/.git" ]; then
	echo "  SKIP    kernel-src (no cached Linux tree in $CACHE/linux: make kernel-src makes it)"
	exit 0
fi
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
before=$(cat "$P"/* | sha256sum)

"$S" checkout "$W/src" >"$W/files" 2>"$W/log" || fail "checkout failed: $(cat "$W/log")"
n=$(ls "$P"/*.patch | wc -l)
[ "$(git -C "$W/src" rev-list --count sroscope-base..HEAD)" = "$n" ] ||
	fail "want $n commits above sroscope-base, got $(git -C "$W/src" rev-list --count sroscope-base..HEAD)"
[ "$(git -C "$W/src" branch --show-current)" = sroscope ] || fail "not on branch sroscope"
want=$(sed -n 's|^diff --git a/\([^ ]*\) b/.*|\1|p' "$P"/*.patch | LC_ALL=C sort -u)
got=$(sed "s|^$W/src/||" "$W/files" | LC_ALL=C sort)
[ "$got" = "$want" ] || fail "the file list is not the files the patches touch: $(echo "$got" | tr "\n" " ")"

# The drift check: the untouched tree exports to kernel/patches/.
"$S" export "$W/src" "$W/out" >/dev/null 2>&1 || fail "export failed"
diff -r "$P" "$W/out" >"$W/diff" || fail "export of the untouched tree differs from kernel/patches/: $(head -20 "$W/diff")"

# Work in the tree is never overwritten.
made=$(git -C "$W/src" rev-parse HEAD)
echo "/* t-kernel-src */" >>"$W/src/drivers/firmware/arm_rmm/sro.c"
"$S" checkout "$W/src" >/dev/null 2>"$W/log" && fail "checkout reset a tree with an uncommitted change"
grep -q "uncommitted changes" "$W/log" || fail "no reason given for an uncommitted change: $(cat "$W/log")"
git -C "$W/src" -c user.name=t -c user.email=t@invalid commit -q -a --fixup=HEAD~1
"$S" checkout "$W/src" >/dev/null 2>"$W/log" && fail "checkout reset a tree with a commit not exported"
grep -q "not exported" "$W/log" || fail "no reason given for a commit not exported: $(cat "$W/log")"
tail -1 "$W/src/drivers/firmware/arm_rmm/sro.c" | grep -q t-kernel-src || fail "the change is gone"
git -C "$W/src" reset -q --hard "$made"
"$S" checkout "$W/src" >/dev/null 2>"$W/log" || fail "checkout of its own untouched tree failed: $(cat "$W/log")"
grep -q "already holds" "$W/log" || fail "the untouched tree was not reused: $(cat "$W/log")"
[ "$(cat "$P"/* | sha256sum)" = "$before" ] || fail "kernel/patches/ changed"
echo "  PASS    kernel-src: $n commits on branch sroscope, $(echo "$want" | wc -l) files listed, export reproduces kernel/patches/ byte for byte, work in the tree left alone"

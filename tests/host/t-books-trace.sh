#!/bin/sh
# tests/vm/lib/books.awk, the books kept from the sro trace events, must
# follow donations by their id (a reclaim names its donation, not an
# address) and see each kind of imbalance, with busybox awk as in the VM.
set -u
AWK="busybox awk"
fail() { echo "  FAIL    books-trace: $*"; exit 1; }
command -v busybox >/dev/null || fail "no busybox (scripts/install-deps.sh installs busybox-static)"
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
books() { $AWK -f "$(dirname "$0")/../vm/lib/books.awk" "$D/t" 2>"$D/err"; }
val() { books | sed -n "s/^$1 //p"; }
# The line tracefs prints, fields as in TP_printk.
ev() {
	name=$1
	shift
	echo "  emustress-88 [001] ..... 12.345678: $name: $*"
}
alloc() { ev sro_alloc "op=1 realm=$1 pa=$2 size=$3 order=0 source=exact purpose=rtt latency_ns=10 fallback=0"; }
donate() { ev sro_donate "op=1 realm=$1 pa=$2 size=$3 source=exact purpose=rtt state=delegated donation=$4"; }
reclaim() { ev sro_reclaim "op=2 realm=$1 pa=$2 size=$3 source=exact purpose=rtt state=delegated donation=$4"; }
free() { ev sro_free "op=2 realm=$1 pa=$2 size=$3 source=exact reason=reclaim"; }
expect() {
	[ "$(val "$1")" = "$2" ] || { cat "$D/err"; fail "$3: $1 $(val "$1"), expected $2"; }
}

# A donation of 3 granules given back in two pieces, tail first.
{
	alloc 7 0x10000 12288
	donate 7 0x10000 12288 5
	reclaim 7 0x12000 4096 5
	free 7 0x12000 4096
	reclaim 7 0x10000 8192 5
	free 7 0x10000 8192
} >"$D/t"
expect errors 0 "a donation back in two pieces"
expect held_bytes 0 "a donation back in two pieces"
expect reclaimed_bytes 12288 "a donation back in two pieces"

# Its head back while the rest is out, the head's address donated
# again: two donations, each returned under its own id.
{
	alloc 7 0x10000 12288
	donate 7 0x10000 12288 5
	reclaim 7 0x10000 4096 5
	donate 8 0x10000 4096 6
	reclaim 8 0x10000 4096 6
} >"$D/t"
expect errors 0 "an address donated again while its donation's rest is out"
expect "realm 7 held_bytes" 8192 "the first donation's rest"
expect "realm 8 held_bytes" 0 "the second donation"

# Each imbalance on its own.
printf '%s\n' "$(donate 7 0x10000 4096 5)" "$(donate 7 0x10000 4096 6)" >"$D/t"
expect errors 1 "an address donated twice"
grep -q "donated twice 0x10000" "$D/err" || fail "the double donation is not named"
printf '%s\n' "$(donate 7 0x10000 4096 5)" "$(reclaim 7 0x10000 4096 9)" >"$D/t"
expect errors 1 "a reclaim under an unknown donation"
printf '%s\n' "$(donate 7 0x10000 4096 5)" "$(reclaim 7 0x10000 8192 5)" >"$D/t"
expect errors 1 "a reclaim larger than its donation"
printf '%s\n' "$(donate 7 0x10000 4096 5)" "$(donate 7 0x20000 4096 5)" >"$D/t"
expect errors 1 "a donation id used twice"
printf '%s\n' "$(donate 7 0x10000 8192 5)" "$(free 7 0x10000 8192)" >"$D/t"
expect errors 1 "a free of memory still donated"
echo "  PASS    books-trace: donations followed by id, every imbalance seen"

#!/bin/sh
# tests/vm/lib/books-diff.awk, the granule-by-granule check of the RMM's
# map against the provider's books, must see each kind of disagreement
# (and nothing when they agree), with busybox awk as in the VM.
set -u
AWK="busybox awk"
fail() { echo "  FAIL    books-diff: $*"; exit 1; }
command -v busybox >/dev/null || fail "no busybox (scripts/install-deps.sh installs busybox-static)"
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
diff_of() { $AWK -f "$(dirname "$0")/../vm/lib/books-diff.awk" "$D/g" "$D/b"; }
# expect WHAT "granules sro host only other": the summary for $D/g, $D/b.
expect() {
	got=$(diff_of | tail -n 1)
	set -- "$1" $2
	[ "$got" = "books granules $2 rmm_only_sro $3 rmm_only_host $4 host_only $5 other_realm $6" ] ||
		fail "$1: $got"
}

# Agreement: an SRO block of 2 granules, an RTT granule, delegated-free
# memory the books do not list, a host-owned block.
printf '0x1000 0x3000 sro 1\n0x3000 0x4000 host 1\n0x4000 0x6000 delegated 0\n' >"$D/g"
printf '0x1000 8192 realm 1 pool 0 delegated\n0x3000 4096 realm 1 exact 2 delegated\n0x7000 4096 host - exact 0 delegated\n' >"$D/b"
expect "agreeing books" "3 0 0 0 0"

# Each disagreement on its own.
printf '0x1000 0x3000 sro 1\n0x3000 0x4000 host 1\n0x5000 0x6000 sro 2\n0x6000 0x7000 host 3\n' >"$D/g"
printf '0x1000 8192 realm 1 pool 0 delegated\n0x5000 4096 host - exact 0 delegated\n0x6000 4096 realm 2 exact 1 delegated\n0x9000 8192 realm 4 exact 0 delegated\n' >"$D/b"
expect "disagreeing books" "5 1 1 2 1"
diff_of | grep -q "^books: 0x5000 RMM: sro 2, host: its own, exact block at 0x5000$" ||
	fail "a granule the RMM holds and the host thinks its own is not named"

# High addresses (above 4 GiB) stay exact.
printf '0x1fffff000 0x200001000 sro 5\n' >"$D/g"
printf '0x1fffff000 8192 realm 5 contig 0 delegated\n' >"$D/b"
expect "addresses above 4 GiB" "2 0 0 0 0"
echo "  PASS    books-diff: the RMM's map against the provider's books, granule by granule"

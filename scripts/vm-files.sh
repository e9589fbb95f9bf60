#!/bin/sh
# The console of a VM run (stdin) to stdout as it comes, but for the
# files the guest printed as "@@FILE NAME", base64 lines, "@@END"
# (tests/vm/keep-out.sh, scripts/vm/sroscope-whatif), which are written
# to DIR/NAME instead:
#
#   scripts/vm-run.sh x86_64 'CMD' | vm-files.sh DIR
set -eu
[ $# = 1 ] || { echo "usage: vm-files.sh DIR" >&2; exit 2; }
mkdir -p "$1"
stdbuf -oL tr -d '\r' |
	awk -W interactive -v d="$1" '
	/^@@FILE / { f = d "/" $2 ".b64"; next }
	/^@@END/ { close(f); f = ""; next }
	f { print > f; next }
	{ print; fflush() }'
for f in "$1"/*.b64; do
	[ -e "$f" ] || continue
	base64 -d "$f" >"${f%.b64}"
	rm "$f"
done

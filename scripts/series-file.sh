#!/bin/sh
# Print a file as kernel/patches/ creates it, without a kernel tree: for
# kernel code also built in user space (the emulator's command parser,
# fuzzed by tests/fuzz/fuzz_emu_ctl.c).
#
#   scripts/series-file.sh PATH
#
# PATH must be a file one patch creates and no later patch changes (a
# change would have to be applied, which this does not do): it fails
# otherwise.
set -eu
REPO=$(cd "$(dirname "$0")/.." && pwd)
path=$1
made=0
for p in "$REPO"/kernel/patches/*.patch; do
	grep -q "^diff --git a/$path b/$path\$" "$p" || continue
	[ $made = 0 ] || { echo "series-file: $path is changed again by $(basename "$p")" >&2; exit 1; }
	made=1
	awk -v f="$path" '
		/^diff --git / { in_f = ($3 == "a/" f); hunk = 0; next }
		in_f && /^deleted file mode/ { exit 2 }
		in_f && /^index / && !seen_new { exit 3 }
		in_f && /^new file mode/ { seen_new = 1; next }
		in_f && /^@@ / { hunk = 1; next }
		in_f && hunk && /^\+/ { print substr($0, 2) }
		in_f && hunk && /^-- $/ { in_f = 0 }
	' "$p" || { echo "series-file: $(basename "$p") does not create $path" >&2; exit 1; }
done
[ $made = 1 ] || { echo "series-file: no patch creates $path" >&2; exit 1; }

#!/bin/sh
# The CCA host-tree set (make kernel-patches OUT=DIR writes it to DIR/cca):
# patch 1 carries the provider, its sources, policy hook and trace events
# as new files byte for byte as the 6.12 series builds them (one
# implementation, not two), and to MAINTAINERS the 6.12 series' entry with
# an F: line for exactly each of those files; patch 2 touches only rmi.c,
# Kconfig and Makefile, calls only what patch 1 declares and sets only
# fields patch 1's struct rmi_mem_ctx has; checkpatch --strict is clean.
#
# The upstream files are not here, so patch 2 and patch 1's MAINTAINERS
# hunk are checked against the preimage their own hunks describe: every
# hunk keeps three lines of context unless it starts the file or ends it,
# only patch 2's Makefile hunk may end its file, and git apply and patch
# --fuzz=0 take them, at no offset, on files rebuilt from those hunks.
# scripts/cca-upstream-check.sh does the real thing, given the upstream
# files.
set -u
REPO=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${SROSCOPE_CACHE:-$HOME/.cache/sroscope}
fail() {
	progress_stop
	echo "  FAIL    cca-patches: $*"
	exit 1
}
PROGRESS_NAME=cca-patches
. "$REPO/scripts/lib/progress.sh"
# 15 to 40 s (the set is made from the series with git, checkpatch twice).
progress_start "checking the CCA host-tree set"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

"$REPO/scripts/kernel-series.sh" format "$W/out" >/dev/null 2>&1 ||
	fail "kernel-series.sh format failed"
C=$W/out/cca
[ "$(ls "$C" | wc -l)" = 3 ] || fail "want a cover letter and 2 patches in cca/, got: $(ls "$C")"
p1=$(ls "$C"/0001-*.patch) p2=$(ls "$C"/0002-*.patch)

# Patch 1 applied to nothing (but MAINTAINERS) gives exactly the shared
# files, as the series leaves them in the 6.12 tree.
git -C "$W" init -q t
git -C "$W/t" apply --exclude=MAINTAINERS "$p1" || fail "patch 1 does not apply to an empty tree"
shared=$(sed -n '/^CCA_SHARED="/,/"$/p' "$REPO/scripts/kernel-series.sh" | tr -d '"' | sed 's/^CCA_SHARED=//')
n=0
for f in $shared; do
	n=$((n + 1))
	git -C "$CACHE/linux" show "HEAD:$f" >"$W/want" 2>/dev/null || fail "$f is not in the 6.12 series"
	cmp -s "$W/want" "$W/t/$f" || fail "$f differs from the 6.12 series' copy"
done
[ "$(cd "$W/t" && find . -path ./.git -prune -o -type f -print | wc -l)" = "$n" ] ||
	fail "patch 1 adds files beyond the $n shared ones"

# Patch 1's MAINTAINERS entry: the 6.12 series' name, maintainer, list
# and status, and an F: line for each file patch 1 creates, no more.
sed -n '/^diff --git a\/MAINTAINERS /,/^diff --git /p' "$p1" | sed '$d' >"$W/maint.patch"
[ -s "$W/maint.patch" ] || fail "patch 1 adds no MAINTAINERS entry"
entry=$(sed -n 's/^+//p' "$W/maint.patch" | sed '/^++ /d; /^F:/d; /^$/d')
want=$(git -C "$CACHE/linux" show HEAD:MAINTAINERS | sed -n '/^ARM CCA RMM SRO HOST SUPPORT$/,/^$/p' | sed '/^F:/d; /^$/d')
[ -n "$want" ] && [ "$entry" = "$want" ] || fail "patch 1's MAINTAINERS entry is not the 6.12 series' one: $entry"
created=$(awk '/^diff --git / { f = substr($4, 3) } /^new file mode/ { print f }' "$p1" | LC_ALL=C sort)
listed=$(sed -n 's/^+F:\t//p' "$W/maint.patch")
[ "$listed" = "$created" ] ||
	fail "MAINTAINERS F: lines ($(echo $listed)) are not the files patch 1 creates ($(echo $created)), sorted"

# Patch 2: only the glue files.
files=$(sed -n 's|^+++ b/||p' "$p2" | sort -u | tr '\n' ' ')
[ "$files" = "drivers/firmware/arm_rmm/Kconfig drivers/firmware/arm_rmm/Makefile drivers/firmware/arm_rmm/rmi.c " ] ||
	fail "patch 2 touches: $files"
# ... and it calls only what patch 1 declares.
for fn in $(grep '^+' "$p2" | grep -o 'rmi_mem_[a-z_]*(' | tr -d '(' | sort -u); do
	grep -q "[ *]$fn(" "$W/t/include/linux/arm-rmi-mem.h" || fail "patch 2 calls $fn, not in arm-rmi-mem.h"
done
for ev in $(grep '^+' "$p2" | grep -o 'trace_sro_[a-z_]*(' | sed 's/^trace_//; s/($//' | sort -u); do
	grep -Eq "^(TRACE_EVENT|DEFINE_EVENT)\(([a-z_]+, *)?$ev," "$W/t/include/trace/events/sro.h" ||
		fail "patch 2 fires $ev, not an sro event"
done
for st in $(grep '^+' "$p2" | grep -o 'sro_stats\.[a-z_]*' | sed 's/.*\.//' | sort -u); do
	grep -q "atomic64_t $st;" "$W/t/drivers/firmware/arm_rmm/sro_internal.h" || fail "patch 2 counts sro_stats.$st, not a counter"
done
# ... and the context fields it sets or reads are struct rmi_mem_ctx's:
# the gfp of rmi_sro_memxfer_execute() reaches the sources through it.
grep -q '^+.*\.gfp = gfp' "$p2" || fail "patch 2 no longer hands rmi_sro_memxfer_execute()'s gfp to the provider"
members=" $(sed -n '/^struct rmi_mem_ctx {/,/^};/p' "$W/t/include/linux/arm-rmi-mem.h" |
	sed -n 's/^[[:space:]]*[a-z0-9_ ]*[ *]\([a-z_]*\);.*/\1/p' | tr '\n' ' ')"
for m in $(grep '^+' "$p2" | grep -oE 'ctx(->|\.)[a-z_]+|[{,][[:space:]]*\.[a-z_]+ =|^\+[[:space:]]+\.[a-z_]+ =' |
	   sed -E 's/^ctx(->|\.)//; s/^[{,+][[:space:]]*\.//; s/ =$//' | sort -u); do
	case $members in
	*" $m "*) ;;
	*) fail "patch 2 uses struct rmi_mem_ctx.$m, which patch 1's arm-rmi-mem.h lacks (the provider change in docs/cca-upstream.md)" ;;
	esac
done

# Patch 2's hunks and patch 1's MAINTAINERS hunk, file by file: context
# as a patch made with diff -U3 has it, and applying without fuzz on the
# preimage they describe.
# preimage PATCH DIR: DIR/ the files PATCH's hunks describe, DIR/bad what
# is wrong with them, DIR/eof the files a hunk ends.
preimage() {
mkdir -p "$2"
awk -v dir="$2" '
function flush_file() {
	if (file == "")
		return
	# After the last hunk: more file, unless the hunk ends it.
	if (trail >= 3)
		for (i = 0; i < 3; i++)
			print "sroscope filler after " line >> out
	if (trail < 3)
		print file > (dir "/eof")
	close(out)
}
/^diff --git / { in_hunk = 0 }
/^--- a\// { flush_file(); file = substr($0, 7); out = dir "/" file
	     sub(/\/[^\/]*$/, "", out); system("mkdir -p \"" out "\"")
	     out = dir "/" file; line = 1; hunks = 0; next }
/^\+\+\+ / { next }
/^@@ / {
	split($2, o, ","); start = substr(o[1], 2) + 0; len = (2 in o) ? o[2] + 0 : 1
	if (hunks > 0 && trail < 3)
		printf "%s: hunk %d has %d lines of trailing context\n", file, hunks, trail > (dir "/bad")
	if (len == 0)
		start++
	if (start < line)
		printf "%s: hunk %d overlaps the one before\n", file, hunks + 1 > (dir "/bad")
	for (; line < start; line++)
		print "sroscope filler " line >> out
	hunks++; in_hunk = 1; lead = 0; seen = 0; trail = 0; hstart = start
	next
}
# The first change of a hunk: three lines above it, or the top of the file.
function change() {
	if (!seen && lead < 3 && hstart != 1)
		printf "%s: hunk %d has %d lines of leading context\n", file, hunks, lead > (dir "/bad")
	seen = 1; trail = 0
}
in_hunk && /^-- $/ { in_hunk = 0; next }
in_hunk && /^ / { print substr($0, 2) >> out; line++
		  if (seen) trail++; else lead++; next }
in_hunk && /^-/ { print substr($0, 2) >> out; line++; change(); next }
in_hunk && /^\+/ { change(); next }
END { flush_file() }
' "$1"
}
preimage "$p2" "$W/pre"
preimage "$W/maint.patch" "$W/prem"
[ ! -s "$W/pre/bad" ] || fail "patch 2 context: $(cat "$W/pre/bad")"
[ ! -s "$W/prem/bad" ] || fail "patch 1's MAINTAINERS context: $(cat "$W/prem/bad")"
[ ! -s "$W/prem/eof" ] || fail "patch 1's MAINTAINERS hunk ends the file: fewer than 3 lines after the entry"
[ "$(cat "$W/pre/eof")" = "drivers/firmware/arm_rmm/Makefile" ] ||
	fail "patch 2 ends these files with its last hunk, only the Makefile's may: $(cat "$W/pre/eof" | tr '\n' ' ')"
rm -f "$W/pre/eof"
# applies_on DIR PATCH WHAT: PATCH applies to DIR, exactly.
applies_on() {
	git -C "$1" init -q
	git -C "$1" apply --check --whitespace=error-all "$2" ||
		fail "git apply rejects $3 on its own preimage"
	# patch(1) says where a hunk lands; git apply does not. Not every CI
	# image has it.
	if command -v patch >/dev/null; then
		out=$(cd "$1" && patch -p1 --dry-run --fuzz=0 <"$2" 2>&1) ||
			fail "patch --fuzz=0 rejects $3 on its own preimage: $out"
		case $out in *offset* | *fuzz*) fail "$3 lands off its line numbers: $out" ;; esac
	fi
}
applies_on "$W/pre" "$p2" "patch 2"
applies_on "$W/prem" "$W/maint.patch" "patch 1's MAINTAINERS hunk"

CP=$CACHE/linux/scripts/checkpatch.pl
out=$("$CP" --strict -q "$p2" 2>&1) || fail "checkpatch on patch 2: $out"
out=$("$CP" --strict -q "$p1" 2>&1) || fail "checkpatch on patch 1: $out"
progress_stop
echo "  PASS    cca-patches: $n shared files identical to the 6.12 series, each in patch 1's MAINTAINERS entry, glue in rmi.c/Kconfig/Makefile only, hunks well-formed and fuzz-free on their preimage, checkpatch clean"

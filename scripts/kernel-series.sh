#!/bin/sh
# The kernel patch series lives in kernel/patches/ as `git format-patch`
# files, applied in name order onto Debian's linux-source-6.12.
#
#   kernel-series.sh export TREE   write TREE's commits since the tag
#                                  sroscope-base into kernel/patches/
#                                  (for developers working in a git tree)
#   kernel-series.sh format OUT    write the series as it would be posted:
#                                  numbered patches plus a cover letter
#                                  built from kernel/cover-letter.txt, and
#                                  in OUT/cca/ the set for the Arm CCA host
#                                  tree (kernel/cca/)
set -eu

REPO=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${SROSCOPE_CACHE:-$HOME/.cache/sroscope}
PATCHES=$REPO/kernel/patches

die() { echo "kernel-series: $*" >&2; exit 1; }

# Stable output: no commit ids or signature that change on every export.
FP_OPTS="--zero-commit --no-signature"

# The files of the provider, its sources, the policy hook and the trace
# events: one implementation, built by the 6.12 series and carried as
# new files by the CCA host-tree set.
CCA_SHARED="include/linux/arm-rmi-mem.h include/linux/sro_policy.h
include/trace/events/sro.h drivers/firmware/arm_rmm/sro_internal.h
drivers/firmware/arm_rmm/sro_mem.c drivers/firmware/arm_rmm/sro_sources.c
drivers/firmware/arm_rmm/sro_contig.c drivers/firmware/arm_rmm/sro_pool.c
drivers/firmware/arm_rmm/sro_policy.c drivers/firmware/arm_rmm/sro_trace.c"

# Patch 1's MAINTAINERS hunk goes into the host tree's MAINTAINERS
# (kernel-patches/bpf e4e0f90fbf1b, docs/cca-upstream.md) between ARM
# ARCHITECTED TIMER DRIVER and ARM ETHOS-U NPU DRIVER: CCA_MAINT_LINE is
# the line there of the first of CCA_MAINT_ABOVE, the last lines before
# the new entry (the first names the hunk, the next three are its
# context); CCA_MAINT_BELOW are the three after it. Nothing else of that
# file is known here, so its blob id stays out of the patch.
CCA_MAINT_LINE=2208
CCA_MAINT_ABOVE='F:	arch/arm64/include/asm/arch_timer.h
F:	drivers/clocksource/arm_arch_timer.c
F:	drivers/clocksource/arm_arch_timer_mmio.c
'
CCA_MAINT_BELOW='ARM ETHOS-U NPU DRIVER
M:	Rob Herring (Arm) <robh@kernel.org>
M:	Tomeu Vizoso <tomeu@tomeuvizoso.net>'

# cca_format OUT TREE: the CCA host-tree set (kernel/cca/) into OUT, its
# patch 1 made from TREE (the 6.12 tree with the series applied), patch 2
# the glue in kernel/cca/, and a cover letter from kernel/cca/.
cca_format() {
	cout=$1
	ctree=$2
	ctmp=$(mktemp -d)
	git -C "$ctmp" init -q
	# The base: as much of the host tree's MAINTAINERS as the hunk shows,
	# at its line numbers.
	awk -v n="$CCA_MAINT_LINE" 'BEGIN { while (++i < n) print "" }' >"$ctmp/MAINTAINERS"
	printf '%s\n%s\n' "$CCA_MAINT_ABOVE" "$CCA_MAINT_BELOW" >>"$ctmp/MAINTAINERS"
	git -C "$ctmp" add MAINTAINERS
	git -C "$ctmp" -c user.name=x -c user.email=x@invalid commit -q -m base
	for f in $CCA_SHARED; do
		mkdir -p "$ctmp/$(dirname "$f")"
		cp "$ctree/$f" "$ctmp/$f"
	done
	# The entry: the 6.12 series' own (name, maintainer, list, status),
	# with an F: line for each file this patch adds.
	centry=$(sed -n '/^ARM CCA RMM SRO HOST SUPPORT$/,/^$/p' "$ctree/MAINTAINERS" | grep -v '^F:' | sed '/^$/d')
	[ -n "$centry" ] || die "$ctree/MAINTAINERS has no ARM CCA RMM SRO HOST SUPPORT entry"
	{
		printf '%s\n' "$CCA_MAINT_ABOVE"
		printf '%s\n' "$centry"
		# shellcheck disable=SC2086
		printf 'F:\t%s\n' $CCA_SHARED | LC_ALL=C sort
		echo
		printf '%s\n' "$CCA_MAINT_BELOW"
	} | awk -v n="$CCA_MAINT_LINE" 'BEGIN { while (++i < n) print "" } { print }' >"$ctmp/MAINTAINERS"
	git -C "$ctmp" add -f .
	# Reproducible: dated by the last change to kernel/cca/.
	GIT_AUTHOR_DATE=$(git -C "$REPO" log -1 --format=%aD -- kernel/cca 2>/dev/null)
	export GIT_AUTHOR_DATE=${GIT_AUTHOR_DATE:-$(date -R)}
	git -C "$ctmp" -c user.name="sroscope developers" \
		-c user.email=dev@sroscope.invalid commit -q -s \
		-F "$REPO/kernel/cca/provider-commit.txt"
	rm -rf "$cout"
	mkdir -p "$cout"
	# shellcheck disable=SC2086
	git -C "$ctmp" format-patch $FP_OPTS -1 -o "$cout" >/dev/null
	rm -rf "$ctmp"
	p1=$(ls "$cout"/0001-*.patch)
	# The stand-in's blob ids are not the host tree's: no index line.
	sed -i -e '0,/^Subject: \[PATCH\]/s//Subject: [PATCH 1\/2]/' \
		-e '/^diff --git a\/MAINTAINERS b\/MAINTAINERS$/{n;/^index /d}' "$p1"
	p2=$cout/0002-$(basename "$REPO"/kernel/cca/0002-*.patch | cut -d- -f2-)
	sed '0,/^Subject: \[PATCH\]/s//Subject: [PATCH 2\/2]/' \
		"$REPO"/kernel/cca/0002-*.patch >"$p2"
	{
		echo "From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001"
		echo "From: sroscope developers <dev@sroscope.invalid>"
		echo "Subject: [PATCH 0/2] $(sed -n 1p "$REPO/kernel/cca/cover-letter.txt")"
		echo
		sed -n '3,$p' "$REPO/kernel/cca/cover-letter.txt"
		echo
		for p in "$p1" "$p2"; do
			awk '/^Subject: / { s = $0; while ((getline l) > 0 && l ~ /^ /) s = s l
				sub(/^Subject: \[PATCH [12]\/2\] /, "  ", s); print s; exit }' "$p"
		done
	} >"$cout/0000-cover-letter.patch"
}

case "${1:-}" in
export)
	tree=${2:?usage: kernel-series.sh export TREE}
	git -C "$tree" rev-parse -q --verify sroscope-base >/dev/null ||
		die "$tree has no sroscope-base tag"
	rm -rf "$PATCHES.new"
	mkdir -p "$PATCHES.new"
	# shellcheck disable=SC2086
	git -C "$tree" format-patch $FP_OPTS -o "$PATCHES.new" sroscope-base..HEAD >/dev/null
	rm -rf "$PATCHES"
	mv "$PATCHES.new" "$PATCHES"
	ls "$PATCHES"
	;;
format)
	out=${2:?usage: kernel-series.sh format OUT}
	[ -n "$(ls "$PATCHES"/*.patch 2>/dev/null)" ] || die "no patches in $PATCHES"
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	# Apply onto a throw-away clone of the pristine source so that the
	# output carries real commits, exactly as a reader would get them.
	"$REPO/scripts/kernel-build.sh" --prepare-only >/dev/null
	git clone -q --shared --no-checkout "$CACHE/linux" "$tmp/linux"
	git -C "$tmp/linux" checkout -q sroscope-base
	git -C "$tmp/linux" -c user.name="sroscope" -c user.email="sroscope@invalid" \
		am -q "$PATCHES"/*.patch
	mkdir -p "$out"
	rm -f "$out"/*.patch
	subject=$(sed -n 1p "$REPO/kernel/cover-letter.txt")
	# shellcheck disable=SC2086
	git -C "$tmp/linux" -c user.name="sroscope developers" \
		-c user.email=dev@sroscope.invalid format-patch $FP_OPTS --cover-letter \
		--subject-prefix="PATCH" -o "$out" sroscope-base..HEAD >/dev/null
	cover=$(ls "$out"/0000-cover-letter.patch)
	# Fill in the cover letter's subject and blurb.
	awk -v subject="$subject" -v blurb="$REPO/kernel/cover-letter.txt" '
		/\*\*\* SUBJECT HERE \*\*\*/ { sub(/\*\*\* SUBJECT HERE \*\*\*/, subject) }
		/\*\*\* BLURB HERE \*\*\*/ {
			n = 0
			while ((getline line < blurb) > 0)
				if (n++ >= 2)
					print line
			next
		}
		{ print }' "$cover" >"$cover.new"
	mv "$cover.new" "$cover"
	cca_format "$out/cca" "$tmp/linux"
	ls "$out" "$out/cca"
	;;
*)
	die "usage: kernel-series.sh export TREE | format OUT"
	;;
esac

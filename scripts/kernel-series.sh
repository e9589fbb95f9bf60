#!/bin/sh
# The kernel patch series lives in kernel/patches/ as `git format-patch`
# files, applied in name order onto Debian's linux-source-6.12.
#
#   kernel-series.sh checkout [DIR]
#                                  the series as a git tree to edit, in DIR
#                                  (default kernel/src): a clone of the
#                                  cached Linux tree, branch sroscope =
#                                  tag sroscope-base + kernel/patches/;
#                                  prints the files the series touches.
#                                  Refuses to reset a DIR holding work that
#                                  is not in kernel/patches/
#   kernel-series.sh export TREE [DIR]
#                                  write TREE's commits since the tag
#                                  sroscope-base into kernel/patches/ (or
#                                  DIR); kernel/README.md has the loop
#   kernel-series.sh check         checkpatch --strict on kernel/patches/
#                                  (scripts/check-series.sh, no build)
#   kernel-series.sh format OUT    write the series as it would be posted:
#                                  numbered patches plus a cover letter
#                                  built from kernel/cover-letter.txt, and
#                                  in OUT/cca/ the set for the Arm CCA host
#                                  tree (kernel/cca/)
set -eu

REPO=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${SROSCOPE_CACHE:-$HOME/.cache/sroscope}
PATCHES=$REPO/kernel/patches

TARBALL=/usr/src/linux-source-6.12.tar.xz

die() { echo "kernel-series: $*" >&2; exit 1; }
say() { echo "kernel-series: $*" >&2; }

# Stable output: no commit ids or signature that change on every export.
FP_OPTS="--zero-commit --no-signature"

# The files of the provider, its sources, the policy hook and the trace
# events: one implementation, built by the 6.12 series and carried as
# new files by the CCA host-tree set.
CCA_SHARED="include/linux/arm-rmi-mem.h include/linux/sro_policy.h
include/trace/events/sro.h drivers/firmware/arm_rmm/sro_internal.h
drivers/firmware/arm_rmm/sro_mem.c drivers/firmware/arm_rmm/sro_realms.c
drivers/firmware/arm_rmm/sro_sources.c
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

# export_to TREE REV OUT: REV's commits above sroscope-base as patches in
# OUT (emptied first).
export_to() {
	rm -rf "$3"
	mkdir -p "$3"
	# shellcheck disable=SC2086
	git -C "$1" format-patch $FP_OPTS -o "$3" "sroscope-base..$2" >/dev/null
}

# exported TREE REV: REV's commits export to kernel/patches/ byte for byte.
exported() {
	xtmp=$(mktemp -d)
	export_to "$1" "$2" "$xtmp/p" && diff -r -q "$PATCHES" "$xtmp/p" >/dev/null
	xrc=$?
	rm -rf "$xtmp"
	return $xrc
}

# The cached tree (tag sroscope-base), made from Debian's tarball by
# kernel-build.sh the first time, as make kernel would.
need_cache() {
	[ -d "$CACHE/linux/.git" ] && return 0
	[ -f "$TARBALL" ] || die "no cached Linux tree in $CACHE/linux, and no $TARBALL to make it from: run make deps (it installs linux-source-6.12 from bookworm-backports, with the other build dependencies), then run this again"
	say "no cached Linux tree in $CACHE/linux: making it from $TARBALL (once, a few minutes)"
	# It says how it goes every 30 s.
	"$REPO/scripts/kernel-build.sh" --prepare-only ||
		die "could not make $CACHE/linux (see above)"
}

# guard DIR: die unless resetting DIR loses nothing: no change left
# uncommitted, and HEAD and branch sroscope each either as checkout made
# them or exported (their patches are kernel/patches/).
guard() {
	g=$1
	git -C "$g" rev-parse -q --verify refs/tags/sroscope-base >/dev/null ||
		die "$g is not a tree made by kernel-series.sh checkout (no sroscope-base tag): move it away, or use another directory (make kernel-src KERNEL_SRC=DIR)"
	gdir=$(git -C "$g" rev-parse --absolute-git-dir)
	for s in rebase-merge rebase-apply MERGE_HEAD CHERRY_PICK_HEAD; do
		[ ! -e "$gdir/$s" ] ||
			die "$g: a rebase, am or merge is under way there: finish it (--continue) or abort it (--abort) first"
	done
	dirty=$(git -C "$g" status --porcelain)
	[ -z "$dirty" ] || die "$g has uncommitted changes (git -C $g status), so it is left alone:
  keep them:    commit (git commit --fixup=COMMIT), squash
                (GIT_SEQUENCE_EDITOR=: git rebase -i --autosquash sroscope-base),
                then scripts/kernel-series.sh export $g
  or drop them: git -C $g reset -q --hard && git -C $g clean -q -fd
  then run this again (kernel/README.md has the loop)"
	made=$(cat "$gdir/sroscope-checkout" 2>/dev/null || true)
	for ref in HEAD refs/heads/sroscope; do
		c=$(git -C "$g" rev-parse -q --verify "$ref^{commit}") || continue
		[ "$c" = "$made" ] || exported "$g" "$c" || die "$g: $ref has commits not exported to kernel/patches/, so it is left alone:
$(git -C "$g" log --format='  %h %s' "sroscope-base..$c")
  keep them:    scripts/kernel-series.sh export $g
  or drop them: rm -rf $g
  then run this again"
	done
}

case "${1:-}" in
checkout)
	dst=${2:-$REPO/kernel/src}
	dst=${dst%/}
	n=$(ls "$PATCHES"/*.patch 2>/dev/null | wc -l)
	[ "$n" -gt 0 ] || die "no patches in $PATCHES"
	need_cache
	# git's progress on a terminal, nothing else of it.
	prog=
	[ -t 2 ] && prog=--progress
	if [ -e "$dst/.git" ]; then
		guard "$dst"
		if exported "$dst" HEAD; then
			say "$dst already holds kernel/patches/"
		else
			# Kept: other branches, and files git ignores.
			git -C "$dst" fetch -q --no-tags "$CACHE/linux" \
				+refs/tags/sroscope-base:refs/tags/sroscope-base
			say "resetting $dst to sroscope-base"
			reset=1
		fi
	else
		[ ! -e "$dst" ] || [ -z "$(ls -A "$dst")" ] ||
			die "$dst exists and is not a git tree: move it away, or use another directory (make kernel-src KERNEL_SRC=DIR)"
		say "cloning $CACHE/linux into $dst"
		git clone -q $prog --no-checkout "$CACHE/linux" "$dst"
		# Standalone: the cache's own branch may not be kernel/patches/.
		git -C "$dst" remote remove origin
		say "checking out Linux 6.12 (80,000 files, under a minute)"
		reset=1
	fi
	if [ "${reset:-0}" = 1 ]; then
		git -C "$dst" checkout -q $prog -f -B sroscope sroscope-base
		say "applying kernel/patches/ ($n patches)"
		git -C "$dst" -c user.name=sroscope -c user.email=sroscope@invalid \
			am -q --whitespace=nowarn "$PATCHES"/*.patch || {
			git -C "$dst" am --abort
			die "the series does not apply onto sroscope-base"
		}
		git -C "$dst" rev-parse HEAD >"$(git -C "$dst" rev-parse --absolute-git-dir)/sroscope-checkout"
	fi
	say "$dst: branch $(git -C "$dst" branch --show-current), $(git -C "$dst" rev-list --count sroscope-base..HEAD) commits above sroscope-base; the files they touch:"
	git -C "$dst" diff --name-only sroscope-base HEAD | sed "s|^|$dst/|"
	say "edit, commit --fixup, squash, export: kernel/README.md"
	;;
export)
	tree=${2:?usage: kernel-series.sh export TREE [DIR]}
	out=${3:-$PATCHES}
	out=${out%/}
	git -C "$tree" rev-parse -q --verify sroscope-base >/dev/null ||
		die "$tree has no sroscope-base tag"
	[ -z "$(git -C "$tree" status --porcelain -uno)" ] ||
		say "$tree has uncommitted changes: not exported (commit them first)"
	export_to "$tree" HEAD "$out.new"
	rm -rf "$out"
	mv "$out.new" "$out"
	ls "$out"
	;;
check)
	exec "$REPO/scripts/check-series.sh"
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
	die "usage: kernel-series.sh checkout [DIR] | export TREE [DIR] | check | format OUT"
	;;
esac

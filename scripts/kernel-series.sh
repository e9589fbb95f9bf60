#!/bin/sh
# The kernel patch series lives in kernel/patches/ as `git format-patch`
# files, applied in name order onto Debian's linux-source-6.12.
#
#   kernel-series.sh export TREE   write TREE's commits since the tag
#                                  sroscope-base into kernel/patches/
#                                  (for developers working in a git tree)
#   kernel-series.sh format OUT    write the series as it would be posted:
#                                  numbered patches plus a cover letter
#                                  built from kernel/cover-letter.txt
set -eu

REPO=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${SROSCOPE_CACHE:-$HOME/.cache/sroscope}
PATCHES=$REPO/kernel/patches

die() { echo "kernel-series: $*" >&2; exit 1; }

# Stable output: no commit ids or signature that change on every export.
FP_OPTS="--zero-commit --no-signature"

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
	ls "$out"
	;;
*)
	die "usage: kernel-series.sh export TREE | format OUT"
	;;
esac

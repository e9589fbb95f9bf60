#!/bin/bash
# The manual pages (man/*.scd, built into build/man/ by mk/man.mk): each
# renders with man(1) without a warning and has the usual sections; every
# command of `sroscope --help` has a page and every policy sub-command an
# entry; every option that `sroscope CMD --help` prints has an entry in
# CMD's page with the same short option and argument name, and no page
# documents an option the binary does not have, so an option added or
# renamed without its documentation fails here; every example of a page
# is accepted by the binary.
set -u
REPO=$(cd "$(dirname "$0")/../.." && pwd)
SROSCOPE=${1:-$REPO/build/x86_64/vmroot/bin/sroscope}
MANDIR=$REPO/build/man
failures=0
fail() {
	echo "FAIL: man: $*"
	failures=$((failures + 1))
}

command -v man >/dev/null || { echo "FAIL: man: no man(1) here (Debian: apt-get install man-db)"; exit 1; }
[ -x "$SROSCOPE" ] || { echo "FAIL: man: no $SROSCOPE (make tools ARCH=x86_64)"; exit 1; }
make -C "$REPO" --no-print-directory -f mk/man.mk man >/dev/null ||
	{ echo "FAIL: man: cannot build the pages (make -f mk/man.mk man)"; exit 1; }

version=$("$SROSCOPE" --version) || fail "'sroscope --version' failed"
section() {	# PAGE NAME: the roff of one section (.SH NAME to the next .SH)
	awk -v s=".SH \"$2\"" '$0 == s || $0 == ".SH " $2 { on = 1; next } /^\.SH / { on = 0 } on' "$1"
}
# has_line LIST LINE: LINE is a line of LIST (no subshell: this runs a lot).
has_line() {
	[[ $'\n'$1$'\n' == *$'\n'"$2"$'\n'* ]]
}
WARN=$(mktemp)
trap 'rm -f "$WARN"' EXIT

# Every page: no warnings, the sections a page of its kind needs, its own
# name, the binary's version. The text, 80 columns, is kept for later.
declare -A text
# The pages of the sources in man/: a page left in build/man/ by a source
# since removed does not count.
pages=()
for f in "$REPO"/man/*.scd; do
	[ -e "$f" ] || continue
	f=${f##*/}
	pages+=("$MANDIR/${f%.scd}")
done
[ "${#pages[@]}" -gt 0 ] || { echo "FAIL: man: no pages in $REPO/man"; exit 1; }
f0=$failures
for p in "${pages[@]}"; do
	page=$(basename "$p")
	name=${page%.*}
	t=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$p" 2>"$WARN")
	text[$page]=$t
	[ -s "$WARN" ] && fail "$page: man --warnings: $(cat "$WARN")"
	case $page in
	*.1) want="NAME:SYNOPSIS:DESCRIPTION:OPTIONS:EXIT STATUS:EXAMPLES:SEE ALSO" ;;
	*) want="NAME:DESCRIPTION:SEE ALSO" ;;
	esac
	IFS=: read -ra sections <<<"$want"
	for s in "${sections[@]}"; do
		has_line "$t" "$s" || fail "$page: no $s section"
	done
	[[ $t == *$'\n'"NAME"$'\n'"       $name - "* ]] || fail "$page: NAME is not '$name - ...'"
	[[ $t == *$'\n'"$version  "* ]] || fail "$page: the footer does not say '$version'"
done
[ "$failures" = "$f0" ] && echo "ok: ${#pages[@]} pages render without warnings, with their sections, names and '$version'"

# The options of `sroscope CMD --help` as the entries scdoc makes of them:
# "  -d, --duration=DURATION" is \fB-d\fR, \fB--duration\fR=\fIDURATION\fR.
help_entries() {
	"$SROSCOPE" "$@" --help |
		sed -n -E 's/^  (-([^ ]), |    )--([a-z][a-z0-9-]*)(=([^ ]+))?.*/\2|\3|\5/p' |
		while IFS='|' read -r short long arg; do
			e="\\fB--$long\\fR"
			[ -n "$short" ] && e="\\fB-$short\\fR, $e"
			[ -n "$arg" ] && e="$e=\\fI$arg\\fR"
			printf '%s\n' "$e"
		done
}
# The option entries of a page: a bold option line opening an indented
# block; without scdoc's \& (no end of sentence).
page_entries() {
	section "$1" OPTIONS | sed 's/\\&//g' |
		awk '/^\\fB-/ { l = $0; next } /^\.RS/ && l != "" { print l } { l = "" }'
}

commands=$("$SROSCOPE" --help | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1; next } on { exit }')
[ -n "$commands" ] || fail "no commands in 'sroscope --help'"
for c in $commands; do
	p=$MANDIR/sroscope-$c.1
	if [ ! -f "$REPO/man/sroscope-$c.1.scd" ]; then
		fail "sroscope $c has no page (man/sroscope-$c.1.scd)"
		continue
	fi
	grep -qx "\\\\fB$c\\\\fR" "$MANDIR/sroscope.1" || fail "sroscope.1 has no entry for '$c'"
	[[ ${text[sroscope.1]} == *"sroscope-$c(1)"* ]] || fail "sroscope.1 does not refer to sroscope-$c(1)"
	n=0
	f0=$failures
	entries=$(page_entries "$p")
	while IFS= read -r e; do
		n=$((n + 1))
		has_line "$entries" "$e" ||
			fail "sroscope-$c.1: no entry '$e' for an option of 'sroscope $c --help'"
	done < <(help_entries "$c")
	[ "$n" -gt 2 ] || fail "sroscope $c --help: only $n options read"
	# The other way: an option the page has, the binary must have.
	helptext=$("$SROSCOPE" "$c" --help)
	for o in $(printf '%s\n' "$entries" | grep -o -- '--[a-z][a-z0-9-]*' | sort -u); do
		[[ $helptext == *"$o "* || $helptext == *"$o="* ]] ||
			fail "sroscope-$c.1 documents $o, which 'sroscope $c --help' does not have"
	done
	[ "$failures" = "$f0" ] &&
		echo "ok: sroscope-$c.1 documents the $n options of 'sroscope $c --help'"
done
for p in "$REPO"/man/sroscope-*.1.scd; do
	c=${p##*/sroscope-}
	c=${c%.1.scd}
	has_line "$commands" "$c" || fail "man/$(basename "$p"): no command '$c' in 'sroscope --help'"
done

# sroscope.1: the options main() takes itself.
f0=$failures
for e in '\fB-h\fR, \fB--help\fR, \fBhelp\fR' '\fB-V\fR, \fB--version\fR'; do
	page_entries "$MANDIR/sroscope.1" | grep -qxF -- "$e" || fail "sroscope.1: no entry '$e'"
done
[ "$("$SROSCOPE" -V)" = "$version" ] || fail "'sroscope -V' differs from 'sroscope --version'"
[ "$failures" = "$f0" ] && echo "ok: sroscope.1 lists every command and documents --help and --version"

# The policy sub-commands, the event types and the histogram names.
pcmds=$("$SROSCOPE" policy --help | awk '/^COMMANDS:/ { on = 1; next } on && /^$/ { exit } on && /^  [a-z]/ { print $1 }')
f0=$failures
[ -n "$pcmds" ] || fail "no COMMANDS in 'sroscope policy --help'"
for c in $pcmds; do
	section "$MANDIR/sroscope-policy.1" COMMANDS | grep -q "^\\\\fB$c\\\\fR\\( \\|$\\)" ||
		fail "sroscope-policy.1 has no entry for 'policy $c'"
done
[ "$failures" = "$f0" ] &&
	echo "ok: sroscope-policy.1 documents the policy commands: ${pcmds//$'\n'/ }"
list_words() {	# CMD TITLE: the words of "TITLE: a b c (default ...)." in the help
	"$SROSCOPE" "$1" --help | awk -v t="$2:" '$1 == t { on = 1; $1 = "" } on && /^$/ { exit }
		on { sub(/\(.*/, ""); print; if (/\(/) exit }' | tr ' ' '\n' | grep .
}
for cw in trace:EVENTS hist:WHICH; do
	c=${cw%:*}
	[ -f "$REPO/man/sroscope-$c.1.scd" ] || continue
	f0=$failures
	words=$(list_words "$c" "${cw#*:}")
	[ -n "$words" ] || fail "no ${cw#*:} list in 'sroscope $c --help'"
	for w in $words; do
		grep -qF "\\fB$w\\fR" "$MANDIR/sroscope-$c.1" || fail "sroscope-$c.1 does not name '$w'"
	done
	[ "$failures" = "$f0" ] && echo "ok: sroscope-$c.1 names every ${cw#*:} word: ${words//$'\n'/ }"
done

# Examples: each "sroscope ..." line of EXAMPLES, up to a redirection or a
# pipe, parsed by the binary (options and arguments checked, then --help
# stops it before it needs a kernel or files). An example must fit in 80
# columns: a wrapped one would be two command lines.
n=0
f0=$failures
for p in "${pages[@]}"; do
	page=$(basename "$p")
	[[ $page == *.1 ]] || continue
	prev=''
	while IFS= read -r line; do
		if [[ $line == "       "[^\ ]* ]]; then
			[[ $prev == "       "[^\ ]* ]] &&
				fail "$page: example wider than 80 columns: '${prev#"       "} ...'"
			cmd=${line#       }
			if [[ $cmd == "sroscope "* ]]; then
				cmd=${cmd%%[>|]*}
				# As a shell splits it, quotes removed, globs left as they are.
				set -f
				eval "set -- $cmd"
				set +f
				shift
				n=$((n + 1))
				out=$("$SROSCOPE" "$@" --help 2>&1 >/dev/null) ||
					fail "$page: example '$cmd' refused: $out"
			fi
		fi
		prev=$line
	done < <(printf '%s\n' "${text[$page]}" | sed -n '/^EXAMPLES$/,/^SEE ALSO$/p' | sed '1d;$d')
done
[ "$n" -gt 20 ] || fail "only $n examples found"
[ "$failures" = "$f0" ] && echo "ok: the $n examples of the pages fit in 80 columns and are accepted by sroscope"

if [ "$failures" != 0 ]; then
	echo "FAIL: man: $failures checks failed"
	exit 1
fi
echo "ok: man: every check passed"

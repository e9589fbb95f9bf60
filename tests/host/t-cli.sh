#!/bin/bash
# The command lines, as the binary prints them (docs/cli.md): for every
# command of `sroscope --help` and every policy command of `sroscope policy
# --help`, the "-x, --long" pairs of its --help. It fails when a letter
# stands for two long options anywhere (or a long option for two letters),
# when -h does not print the same help as --help and exit 0, when docs/cli.md
# has no row for a letter, or when a bad value of an option, an interval or
# a count is refused without saying what is expected. Parsing only: nothing
# is traced or loaded, no privileges needed.
set -u
REPO=$(cd "$(dirname "$0")/../.." && pwd)
SROSCOPE=${1:-$REPO/build/x86_64/vmroot/bin/sroscope}
CLIDOC=$REPO/docs/cli.md
failures=0
fail() {
	echo "FAIL: cli: $*"
	failures=$((failures + 1))
}

[ -x "$SROSCOPE" ] || { echo "FAIL: cli: no $SROSCOPE (make tools ARCH=x86_64)"; exit 1; }
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT

commands=$("$SROSCOPE" --help | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1; next } on { exit }')
[ -n "$commands" ] || { echo "FAIL: cli: no commands in 'sroscope --help'"; exit 1; }
verbs=$("$SROSCOPE" policy --help | awk '/^COMMANDS:/ { on = 1; next } on && /^$/ { exit } on && /^  [a-z]/ { print $1 }')
[ -n "$verbs" ] || fail "no COMMANDS in 'sroscope policy --help'"
# Every command line to check, one a line: "trace", "policy cycle".
cmdlines=$commands
for v in $verbs; do
	cmdlines+=$'\n'"policy $v"
done

# letter[x]: the long option of -x and where it was first seen; long[--l]:
# its letter ("" for none). main() itself takes -h, --help and -V, --version.
declare -A letter=([h]="--help|sroscope" [V]="--version|sroscope" ['?']="--help|argp")
declare -A long=([--help]="?|argp" [--version]="V|sroscope")
declare -A takes	# "CMD --long" -> its argument's name
npairs=0
while IFS= read -r c; do
	# shellcheck disable=SC2086 # "policy cycle": two words
	help=$("$SROSCOPE" $c --help 2>&1)
	st=$?
	if [ $st != 0 ] || [[ $help != "Usage: sroscope $c "* ]]; then
		fail "'sroscope $c --help' exited $st: $(head -n 1 <<<"$help")"
		continue
	fi
	# -h: the same help, status 0.
	# shellcheck disable=SC2086
	h=$("$SROSCOPE" $c -h 2>&1)
	st=$?
	[ $st = 0 ] || fail "'sroscope $c -h' exited $st: $(head -n 1 <<<"$h")"
	[ "$h" = "$help" ] || fail "'sroscope $c -h' is not its --help"
	# "  -d, --duration=DURATION  ...", "      --max-donations=N  ...",
	# "  -x  ..." (a letter alone), "-x, --long[=ARG]" (optional value).
	while IFS='|' read -r s l a; do
		[ -n "$s$l" ] || continue
		npairs=$((npairs + 1))
		[ -n "$l" ] && [ -n "$a" ] && takes["$c $l"]=$a
		if [ -n "$s" ]; then
			if [ -z "${letter[$s]+set}" ]; then
				letter[$s]="$l|$c"
			elif [ "${letter[$s]%%|*}" != "$l" ]; then
				fail "-$s is ${l:-a letter alone} in '$c' but ${letter[$s]%%|*} in '${letter[$s]#*|}'"
			fi
		fi
		if [ -n "$l" ]; then
			if [ -z "${long[$l]+set}" ]; then
				long[$l]="$s|$c"
			elif [ "${long[$l]%%|*}" != "$s" ]; then
				fail "$l is ${s:+-}${s:-without a letter} in '$c' but ${long[$l]%%|*} in '${long[$l]#*|}'"
			fi
		fi
	done < <(sed -n -E \
		-e 's/^  -([^ ]), --([a-z][a-z0-9-]*)(\[?=([^] ]+)\]?)?( .*)?$/\1|--\2|\4/p' \
		-e 's/^      --([a-z][a-z0-9-]*)(\[?=([^] ]+)\]?)?( .*)?$/|--\1|\3/p' \
		-e 's/^  -([^ ])(  .*| [A-Z][^ ]*( .*)?)?$/\1||/p' <<<"$help")
done <<<"$cmdlines"
[ "$npairs" -gt 40 ] || fail "only $npairs options read from the commands' --help"
[ "$failures" = 0 ] &&
	echo "ok: $npairs options of $(wc -l <<<"$cmdlines") command lines: one long option per letter, one letter per long option, -h as --help"

# docs/cli.md: a table row for each letter, with its long option.
f0=$failures
if [ ! -f "$CLIDOC" ]; then
	fail "no $CLIDOC"
else
	for s in "${!letter[@]}"; do
		l=${letter[$s]%%|*}
		grep -qF -- "\`-$s\`" "$CLIDOC" || { fail "docs/cli.md has no row for -$s"; continue; }
		[ -z "$l" ] || grep -F -- "\`-$s\`" "$CLIDOC" | grep -qF -- "\`$l" ||
			fail "docs/cli.md: the row of -$s does not say $l"
	done
fi
[ "$failures" = "$f0" ] && echo "ok: docs/cli.md has a row for each of the ${#letter[@]} letters"

# refused STATUS CMD...: exits STATUS at once, saying what is expected.
refused() {
	local want=$1
	shift
	timeout 20 "$SROSCOPE" "$@" </dev/null >"$OUT" 2>&1
	st=$?
	if [ $st != "$want" ]; then
		fail "'sroscope $*' exited $st, not $want: $(head -n 1 "$OUT")"
	elif ! grep -q "expected" "$OUT"; then
		fail "'sroscope $*' does not say what is expected: $(head -n 1 "$OUT")"
	fi
}

# Every option that takes a value, given one no option accepts; values that
# are names of files or users are any string, and checked when used.
BAD='1.5x,,%'
f0=$failures
n=0
for k in "${!takes[@]}"; do
	c=${k% *}
	o=${k##* }
	case ${takes[$k]} in
	FILE | PATH | USER) continue ;;
	esac
	# shellcheck disable=SC2086
	refused 2 $c "$o=$BAD"
	n=$((n + 1))
done
# The arguments: intervals and counts, one too many, unknown commands.
for c in top hist leaks; do
	refused 2 $c 1.5
	refused 2 $c 1 0
	refused 2 $c 1 2 3
	n=$((n + 3))
done
refused 2 trace a.srotrace b.srotrace
refused 2 trace -r a.srotrace
refused 2 record a.srotrace b.srotrace
refused 2 replay a.srotrace b.srotrace
refused 2 export extra
refused 2 tarce
refused 2 policy
refused 2 policy tarce
refused 2 policy load
refused 2 policy cycle
refused 2 policy list extra
refused 2 policy load a b
n=$((n + 12))
[ "$failures" = "$f0" ] && echo "ok: $n bad values and arguments refused (status 2), each saying what is expected"
grep -q "^COMMANDS:" <("$SROSCOPE" policy 2>&1) || fail "'sroscope policy' does not list its commands"

if [ "$failures" != 0 ]; then
	echo "FAIL: cli: $failures checks failed"
	exit 1
fi
echo "ok: cli: every check passed"

#!/bin/bash
# The bash completion (completions/sroscope) against the real binary: the
# commands, each command's options and the policy sub-commands it offers
# are exactly those of the binary's --help, policy names are those of
# `sroscope policy list`, file arguments offer the right files; without
# the binary, its static lists still name every command. Sourced after
# bash-completion's own script when that is installed, alone otherwise.
set -u
REPO=$(cd "$(dirname "$0")/../.." && pwd)
SROSCOPE=$(realpath "${1:-$REPO/build/x86_64/vmroot/bin/sroscope}")
POLICIES=$REPO/build/x86_64/vmroot/lib/sroscope/policies
failures=0
fail() {
	echo "FAIL: completion: $*"
	failures=$((failures + 1))
}

[ -x "$SROSCOPE" ] || { echo "FAIL: completion: no $SROSCOPE (make tools ARCH=x86_64)"; exit 1; }
[ -d "$POLICIES" ] || { echo "FAIL: completion: no $POLICIES (make tools ARCH=x86_64)"; exit 1; }
BASH_COMPLETION=${BASH_COMPLETION:-/usr/share/bash-completion/bash_completion}
if [ -f "$BASH_COMPLETION" ]; then
	# It reads unset variables: not under set -u.
	set +u
	# shellcheck source=/dev/null
	. "$BASH_COMPLETION"
	set -u
	echo "ok: with bash-completion's helpers loaded ($BASH_COMPLETION)"
else
	echo "ok: without bash-completion (not installed): the script alone"
fi
# shellcheck source=/dev/null
. "$REPO/completions/sroscope"
complete -p sroscope 2>/dev/null | grep -q -- '-F _sroscope sroscope$' ||
	fail "'complete -F _sroscope sroscope' not registered"

PATH=$(dirname "$SROSCOPE"):$PATH
export SROSCOPE_POLICY_DIR=$POLICIES
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 1
touch a.srotrace b.srotrace notes.txt r1.json page.html my.bpf.o
mkdir sub

# The completions of a command line whose last word is being completed,
# sorted, one line: complete sroscope trace --
complete_line() {
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMP_LINE="$*"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_sroscope sroscope "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}" 2>/dev/null
	printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//'
}

# expect "WANT" WORD...: the completions of WORD... are exactly WANT.
expect() {
	local want=$1 got
	shift
	# shellcheck disable=SC2086 # split into words on purpose
	want=$(printf '%s\n' $want | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')
	got=$(complete_line "$@")
	if [ "$got" = "$want" ]; then
		echo "ok: '$*' -> $got"
	else
		fail "'$*': expected [$want], got [$got]"
	fi
}

# What the binary says, as the pages' test reads it.
commands=$("$SROSCOPE" --help | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1; next } on { exit }')
[ -n "$commands" ] || fail "no commands in 'sroscope --help'"
long_opts() {	# CMD [VERB]
	"$SROSCOPE" "$@" --help | sed -n -E 's/^  (-[^ ], |    )(--[a-z][a-z0-9-]*)(=[^ ]+)?.*/\2\3/p' |
		sed -E 's/=.*/=/'
}
policy_cmds=$("$SROSCOPE" policy --help | awk '/^COMMANDS:/ { on = 1; next } on && /^$/ { exit } on && /^  [a-z]/ { print $1 }')
policies=$("$SROSCOPE" policy list | awk '/^  [^ (]/ && /\.bpf\.o$/ { print $1 }')
[ -n "$policies" ] || fail "'sroscope policy list' lists no policy in $POLICIES"

expect "$commands" sroscope ""
expect "trace" sroscope tr
expect "--help --version" sroscope -
for c in $commands; do
	expect "$(long_opts "$c")" sroscope "$c" --
done
expect "$policy_cmds" sroscope policy ""
expect "$policy_cmds" sroscope policy -v ""
for v in $policy_cmds; do
	expect "$(long_opts policy "$v")" sroscope policy "$v" --
done
expect "$policies my.bpf.o" sroscope policy load ""
expect "$(echo "$policies" | grep '^p')" sroscope policy swap p
expect "$(echo "$policies" | grep -v '^exact$' | sed 's/^/exact,/')" sroscope policy cycle --count 10 exact,
expect "$(echo "$policies" | grep '^p' | sed 's/^/--policy=/')" sroscope replay --policy=p

# Files where an option or argument takes one.
expect "a.srotrace b.srotrace sub" sroscope trace ""
expect "a.srotrace b.srotrace sub" sroscope trace -R 7 ""
expect "r1.json sub" sroscope replay --output = ""
expect "--html=page.html" sroscope report --html=p
expect "a.srotrace b.srotrace sub" sroscope record -d 10s ""
expect "" sroscope record f.srotrace ""
expect "a.srotrace b.srotrace sub" sroscope replay -p exact ""
expect "r1.json sub" sroscope replay -o ""
expect "r1.json sub" sroscope report r1.json ""
expect "page.html sub" sroscope report --html ""

# Lists: event and histogram names, from the binary's help.
expect "donate donate_req donate_result" sroscope trace -e don
expect "donate,reclaim" sroscope record --events donate,re
expect "latency lifetime" sroscope hist -w l
expect "" sroscope top 1 ""

# Without the binary on PATH: the static lists, which must match it.
PATH=/usr/bin:/bin
_sroscope_cache=()
expect "$commands" sroscope ""
expect "$policy_cmds" sroscope policy ""
expect "$policies my.bpf.o" sroscope policy load ""

if [ "$failures" != 0 ]; then
	echo "FAIL: completion: $failures checks failed"
	exit 1
fi
echo "ok: completion: every check passed"

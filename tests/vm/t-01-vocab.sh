#!/bin/sh
# include/sro_vocab.h against the running kernel: the numbers and names of
# sources, purposes, states, free and fail reasons and RMI commands as the
# "sro" trace events print them, the set of events, and the emulator's
# fault modes. A name or number changed on one side only fails here.
. ./lib/sro.sh

EV=$TRACE/events/sro
want=/tmp/vocab.want
got=/tmp/vocab.got
vocab_dump | sort >"$want" || fail "vocab_dump failed"

# symbolic LIST EVENT FIELD: the { value, "name" } pairs the print format
# of EVENT gives FIELD, as "LIST value name" lines (hex values converted).
symbolic() {
	sed -n 's/^print fmt: //p' "$EV/$2/format" | awk -v list="$1" -v f="$3" '
	function num(s,   n, i, c) {
		if (s !~ /^0[xX]/)
			return s + 0
		n = 0
		s = tolower(substr(s, 3))
		for (i = 1; i <= length(s); i++) {
			c = index("0123456789abcdef", substr(s, i, 1)) - 1
			n = n * 16 + c
		}
		return n
	}
	{
		i = index($0, "__print_symbolic(REC->" f ",")
		if (!i)
			exit 1
		s = substr($0, i)
		s = substr(s, 1, index(s, ")"))
		while (match(s, /\{ *[0-9A-Fa-fxX]+ *, *"[^"]*" *\}/)) {
			t = substr(s, RSTART + 1, RLENGTH - 2)
			s = substr(s, RSTART + RLENGTH)
			split(t, a, ",")
			gsub(/[ "]/, "", a[1])
			gsub(/[ "]/, "", a[2])
			printf "%s %.0f %s\n", list, num(a[1]), a[2]
		}
	}' || fail "no __print_symbolic for $3 in $2's format"
}

{
	symbolic source sro_alloc_fail source
	symbolic purpose sro_alloc_fail purpose
	symbolic state sro_donate_req state
	symbolic free sro_free reason
	symbolic fail sro_alloc_fail reason
	symbolic cmd sro_op_start cmd
	for d in "$EV"/sro_*; do
		e=${d##*/sro_}
		# sro_policy reports policy changes, not memory: no event type.
		[ "$e" = policy ] || echo "event $e"
	done
	awk '$1 == "fault" { print "fault " $2 }' "$EMU/state"
} | sort >"$got"

# Each side must have found something of every list, or the parsing broke.
for l in source purpose state free fail cmd event fault; do
	grep -q "^$l " "$got" || fail "nothing read from the kernel for '$l'"
done
if ! diff -u "$want" "$got"; then
	fail "include/sro_vocab.h (-) and the kernel (+) disagree"
fi
echo "vocabulary: $(wc -l <"$want") entries agree with the kernel"

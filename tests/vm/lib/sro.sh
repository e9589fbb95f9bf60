# Shell helpers for the in-VM tests (sourced; busybox sh).
#
# A test scripts the emulated RMM through $EMU/ctl, records the "sro" trace
# events with the kernel's own tracefs, and checks the books kept from the
# events (lib/books.awk) against the emulator's ground truth ($EMU/state)
# and the kernel's counters ($SRO_STATS). Everything in bytes or granules.

EMU=/sys/kernel/debug/rmm_emu
SRO_STATS=/sys/kernel/debug/sro/stats
TRACE=/sys/kernel/tracing
# Scenarios (scenarios/*.sh) change to tests/vm before sourcing this;
# the real-RMM suite (real/) sets LIB itself.
[ -n "${LIB:-}" ] || LIB=$(dirname "$0")/lib
[ -d "$LIB" ] || LIB=./lib
GRANULE=4096

fail() {
	echo "FAIL: $*"
	exit 1
}

# ctl WHO FILE CMD...: one command per write to a control file (the
# emulator's, or the real-RMM host driver's); any failure fails the test.
ctl() {
	_who=$1
	_file=$2
	shift 2
	for _c in "$@"; do
		echo "$_c" >"$_file" || fail "$_who command '$_c' failed"
	done
}

# ctl_refused WHO FILE CMD: a command that is expected to fail.
ctl_refused() {
	if echo "$3" >"$2" 2>/dev/null; then
		fail "$1 command '$3' should have failed"
	fi
}

emu() { ctl emulator "$EMU/ctl" "$@"; }
emu_fails() { ctl_refused emulator "$EMU/ctl" "$1"; }

# Realm ids: the emulator takes 1 to EMU_MAX_REALMS - 1 (the real-RMM
# suite lowers REALM_ID_MAX to its driver's). The emulator's ground truth
# per id (held, kept, leaked, ...) and the kernel's per-realm counters
# last for the whole boot, destroyed realms' too, so an id used once
# would carry its numbers into the next test that took it: no id is used
# twice in a boot, and tests do not pick ids, they ask new_realm.
EMU_MAX_REALMS=128
REALM_ID_MAX=$((EMU_MAX_REALMS - 1))
REALM_IDS=/tmp/sro-realm-ids

# new_realm VAR...: sets each VAR to a realm id of its own, in increasing
# order: above every id new_realm has handed out in this boot (the last
# one is kept in $REALM_IDS, read and written under a mkdir lock, so
# tests one after another and background jobs at once each get their
# own), and none the emulator has seen ("workload" and sroscope replay
# choose theirs). No id left fails the test.
new_realm() {
	_nr_i=0
	until mkdir "$REALM_IDS.lock" 2>/dev/null; do
		_nr_i=$((_nr_i + 1))
		[ $_nr_i -le 100 ] || fail "new_realm: $REALM_IDS.lock held for 10 s (a test killed while taking an id?)"
		sleep 0.1
	done
	# A counter left by an earlier boot (a /tmp that lasts) counts for nothing.
	_nr_boot=$(cat /proc/sys/kernel/random/boot_id)
	_nr_last=0
	if [ -f "$REALM_IDS" ]; then
		read -r _nr_b _nr_n <"$REALM_IDS"
		[ "$_nr_b" = "$_nr_boot" ] && _nr_last=$_nr_n
	fi
	for _nr_v in "$@"; do
		_nr_id=$((_nr_last + 1))
		while [ $_nr_id -le "$REALM_ID_MAX" ] && grep -qs "^realm $_nr_id " "$EMU/state"; do
			_nr_id=$((_nr_id + 1))
		done
		if [ $_nr_id -gt "$REALM_ID_MAX" ]; then
			rmdir "$REALM_IDS.lock"
			fail "new_realm: no realm id left for $_nr_v (1 to $REALM_ID_MAX, each used once a boot)"
		fi
		_nr_last=$_nr_id
		eval "$_nr_v=\$_nr_id"
	done
	echo "$_nr_boot $_nr_last" >"$REALM_IDS"
	rmdir "$REALM_IDS.lock"
}

# truth KEY [REALM]: a value of the emulator's ground truth.
truth() {
	if [ $# = 2 ]; then
		awk -v r="$2" -v k="$1" '$1 == "realm" && $2 == r && $3 == k { print $4 }' "$EMU/state"
	else
		awk -v k="$1" '$1 == k { print $2 }' "$EMU/state"
	fi
}

# stat KEY: a value of /sys/kernel/debug/sro/stats ("source exact allocs").
stat() {
	awk -v k="$*" '{ v = $NF; $NF = ""; sub(/ $/, ""); if ($0 == k) print v }' "$SRO_STATS"
}

# Start recording the sro events into an empty buffer of ${1:-32768} KiB
# per CPU.
trace_start() {
	echo 0 >"$TRACE/tracing_on"
	echo 0 >"$TRACE/events/enable"
	echo "${1:-32768}" >"$TRACE/buffer_size_kb"
	echo >"$TRACE/trace"
	echo 1 >"$TRACE/events/sro/enable"
	echo 1 >"$TRACE/tracing_on"
	TRACE_BASE=0
}

# Stop and keep the events in /tmp/trace.txt; lost events fail the test,
# since the books would then be wrong.
trace_stop() {
	echo 0 >"$TRACE/tracing_on"
	cat "$TRACE/trace" >/tmp/trace.txt
	rm -f /tmp/books.txt
	lost=$(cat "$TRACE"/per_cpu/cpu*/stats | awk '/^overrun:|^dropped events:/ { n += $NF } END { print n + 0 }')
	[ "$lost" = 0 ] || fail "$lost trace events lost"
}

# Keep tracing, but put the events since the last cut (or start) in
# /tmp/trace.txt for count(); trace_stop then gives the whole recording.
trace_cut() {
	cat "$TRACE/trace" >/tmp/trace.all
	grep -v '^#' /tmp/trace.all | tail -n +$((${TRACE_BASE:-0} + 1)) >/tmp/trace.txt
	TRACE_BASE=$(grep -vc '^#' /tmp/trace.all)
	rm -f /tmp/books.txt
}

# books KEY [REALM]: a value of the books kept from /tmp/trace.txt.
books() {
	[ -f /tmp/books.txt ] || awk -f "$LIB/books.awk" /tmp/trace.txt >/tmp/books.txt
	if [ $# = 2 ]; then
		awk -v r="$2" -v k="$1" '$1 == "realm" && $2 == r && $3 == k { print $4 }' /tmp/books.txt
	else
		awk -v k="$1" '$1 == k { print $2 }' /tmp/books.txt
	fi
}

# count EVENT [FILTER]: events in /tmp/trace.txt, optionally matching FILTER.
count() {
	grep " $1: " /tmp/trace.txt | grep -c -- "${2:-}"
}

expect_eq() {
	[ "$2" = "$3" ] || fail "$1: expected $3, got $2"
	echo "ok: $1 = $3"
}

# The RMM's granules against the provider's books, one by one
# (lib/books-diff.awk): nothing either side has that the other does not,
# but the REC granules of REC creates the host abandoned. Sets GRANULES
# to the number compared.
books_agree() {
	awk -f "$LIB/books-diff.awk" "$EMU/granules" "$POOL/blocks" >/tmp/books-diff.txt
	grep '^books: ' /tmp/books-diff.txt | sort | sed 's/^/  /'
	_stranded=$(awk '$1 == "realm" && $3 == "pending_rec" { n += $4 } END { print n + 0 }' "$EMU/state")
	set -- $(tail -1 /tmp/books-diff.txt)
	GRANULES=$3
	expect_eq "granules the RMM owns and the host's books do not (REC granules stranded)" \
		"$5 $7" "0 $_stranded"
	expect_eq "granules the host's books give a realm and the RMM does not own, or owns for another" \
		"$9 ${11}" "0 0"
}

# The books balance: no error, and for every realm in the trace the bytes
# the events say the realm world holds are what the emulator says it holds
# (for a destroyed realm: what it never gave back).
check_books() {
	rm -f /tmp/books.txt
	expect_eq "books errors" "$(books errors)" 0
	# Only realms this trace saw from their start: each test has its own.
	for r in $(awk '$1 == "realm" { print $2 }' /tmp/books.txt); do
		want=$(( ($(truth held "$r") + $(truth host "$r")) * GRANULE ))
		got=$(books held_bytes "$r")
		expect_eq "realm $r held bytes (trace vs emulator)" "${got:-0}" "$want"
	done
	expect_eq "emulator protocol errors" "$(truth protocol_errors)" 0
	books_agree
}

# The SRO executor's parameters (built in: /sys/module/arm_rmm_sro).
SRO_PARAMS=/sys/module/arm_rmm_sro/parameters

# Wait (up to 10 s) until the provider has retried every undelegation the
# RMM refused: quarantined blocks are tried again 10 ms after a refusal,
# doubling, 8 times by default (about 2.5 s).
quarantine_settled() {
	_i=0
	until [ "$(stat quarantined_bytes)" = 0 ]; do
		_i=$((_i + 1))
		[ $_i -le 100 ] || fail "quarantine not settled: $(stat quarantined_bytes) bytes"
		sleep 0.1
	done
}

# Refused undelegations given up at once (sro_leak) or, with "on", tried
# again as the kernel does by default.
refusals_final() {
	case $1 in
	on) echo 0 >"$SRO_PARAMS/quarantine_tries" ;;
	off) echo 8 >"$SRO_PARAMS/quarantine_tries" ;;
	esac
}

# sum_field EVENT FIELD [FILTER]: the sum of FIELD over matching events.
sum_field() {
	grep " $1: " /tmp/trace.txt | grep -- "${3:-}" |
		awk -v f="$2" '{ for (i = 1; i <= NF; i++) if (index($i, f "=") == 1) n += substr($i, length(f) + 2) } END { print n + 0 }'
}

# Realm R is gone and everything it held came back, except KEEP granules.
check_realm_gone() {
	expect_eq "realm $1 live" "$(truth live "$1")" 0
	expect_eq "realm $1 host granules" "$(truth host "$1")" 0
	expect_eq "realm $1 held granules" "$(truth held "$1")" "${2:-0}"
}

POOL=/sys/kernel/debug/sro
TEST_POLICIES=/sroscope/lib/sroscope/test-policies

# An empty pool, then CHUNK-sized chunks up to SIZE bytes (delegated: D).
pool_setup() {
	echo 0 >"$POOL/pool_size" || fail "cannot empty the pool"
	echo "${3:-0}" >"$POOL/pool_delegated" || fail "cannot set pool mode"
	echo "$2" >"$POOL/pool_chunk" || fail "cannot set pool chunk"
	echo "$1" >"$POOL/pool_size" || fail "cannot size the pool"
	expect_eq "pool size" "$(cat "$POOL/pool_size")" "$1"
}

policy() {
	sroscope policy "$@" || fail "sroscope policy $* failed"
}

# scope NAME ARGS...: run "sroscope ARGS" in the background, stdout in
# /tmp/NAME.out and stderr in /tmp/NAME.err, and wait until it traces.
scope() {
	_n=$1
	shift
	scope_cmd "$_n" sroscope "$@"
}

# scope_cmd NAME CMD...: the same for a command that runs sroscope (under
# capsh, for example).
scope_cmd() {
	_n=$1
	shift
	"$@" >"/tmp/$_n.out" 2>"/tmp/$_n.err" &
	eval "SCOPE_$_n=$!"
	_i=0
	until grep -q "Hit Ctrl-C" "/tmp/$_n.err" 2>/dev/null; do
		kill -0 $! 2>/dev/null || fail "$* exited: $(cat "/tmp/$_n.err")"
		_i=$((_i + 1))
		[ $_i -le 600 ] || fail "$* did not start"
		sleep 0.1
	done
}

# scope_end NAME: Ctrl-C the sroscope started as NAME; it must exit 0.
scope_end() {
	eval "_p=\$SCOPE_$1"
	kill -INT "$_p"
	wait "$_p" || fail "sroscope $1 exited with $?: $(cat "/tmp/$1.err")"
}

# nj ARGS...: ndjson (tests/tools/ndjson.c); failing is a test failure.
nj() {
	ndjson "$@" || fail "ndjson $* failed"
}

# nj_events FILE: the events of a `trace --json` stream; its first line,
# the header, is checked and not counted.
nj_events() {
	[ "$(head -n 1 "$1" | ndjson get - format)" = sroscope-trace ] ||
		fail "$1: no sroscope-trace header line: $(head -c 200 "$1")"
	echo $(( $(nj check "$1") - 1 ))
}

# keep FILE NAME: FILE, JSON sroscope wrote, for the host to validate
# against schemas/ (tests/host/t-schemas.sh). NAME starts with its format
# (sroscope-leaks.t-92.json); keep-out.sh prints what was kept at the end
# of run.sh, and make vm-test takes it out of the console.
KEEP_DIR=/tmp/keep
keep() {
	mkdir -p "$KEEP_DIR" && cp "$1" "$KEEP_DIR/$2" || fail "keep $1 $2 failed"
}

# The human size top prints: as format_bytes() (user/lib/format.c).
human() {
	awk -v b="$1" 'BEGIN { split("B KiB MiB GiB", u, " "); i = 1; d = b
		while (d >= 1024 && i < 4) { d /= 1024; i++ }
		if (i == 1) printf "%d B\n", b; else printf "%.1f %s\n", d, u[i] }'
}

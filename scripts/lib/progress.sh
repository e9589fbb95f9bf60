# shellcheck shell=sh
# A line on stderr every 30 s while a long, quiet step runs, so that no
# step of make demo or make test looks hung. Sourced by the build scripts.
#
#   progress_start LABEL [STATUS]  start ticking: "LABEL, 90 s[, STATUS]",
#                                  STATUS a command whose output ends the line
#   progress_stop                  stop ticking (die() should call it)
#   progress_run LABEL LOG CMD...  CMD's output to LOG, ticking meanwhile;
#                                  on failure the end of LOG, and exit
PROGRESS_PID=""
PROGRESS_NAME=${PROGRESS_NAME:-$(basename "$0" .sh)}

progress_start() {
	progress_stop
	# sleep's output goes nowhere: killed, the loop leaves no holder of
	# stderr behind (a pipe reader would otherwise wait for it). A script
	# that exits without progress_stop (killed, say) ends it at its next
	# tick: it sets no trap, so the script's own traps stay as they are.
	_parent=$$
	(
		t0=$(date +%s)
		while sleep 30 >/dev/null 2>&1 && kill -0 "$_parent" 2>/dev/null; do
			line="$PROGRESS_NAME: $1, $(($(date +%s) - t0)) s"
			if [ -n "${2:-}" ]; then
				st=$(eval "$2" 2>/dev/null) && [ -n "$st" ] &&
					line="$line, $st"
			fi
			echo "$line" >&2
		done
	) &
	PROGRESS_PID=$!
}

progress_stop() {
	[ -n "$PROGRESS_PID" ] || return 0
	kill "$PROGRESS_PID" 2>/dev/null || true
	wait "$PROGRESS_PID" 2>/dev/null || true
	PROGRESS_PID=""
}

progress_run() {
	label=$1 log=$2
	shift 2
	t0=$(date +%s)
	progress_start "$label"
	rc=0
	"$@" >>"$log" 2>&1 </dev/null || rc=$?
	progress_stop
	if [ "$rc" != 0 ]; then
		tail -30 "$log" >&2
		echo "$PROGRESS_NAME: $label failed (status $rc, log: $log)" >&2
		exit 1
	fi
	echo "$PROGRESS_NAME: $label: $(($(date +%s) - t0)) s" >&2
}

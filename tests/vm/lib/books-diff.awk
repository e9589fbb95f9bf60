# awk -f books-diff.awk $EMU/granules /sys/kernel/debug/sro/blocks
#
# The RMM's view against the host's, granule by granule: every granule the
# emulated RMM owns for a realm ("sro" donated through SRO, "host" an RD,
# RTT or REC granule) must be in a block the provider's books say that
# realm holds, and the other way round. Prints each disagreeing range
# (the first 40) and a summary line:
#
#   books granules N rmm_only_sro A rmm_only_host B host_only C other_realm D
#
# rmm_only_host is expected to equal the REC granules of REC creates the
# host abandoned (the RMM keeps them, the host gave them up); every other
# count must be 0.
FNR == 1 { file++ }

# rmm_emu/granules: first end kind realm (addresses in hex, end exclusive)
file == 1 {
	if ($3 != "sro" && $3 != "host")
		next
	for (g = $1 + 0; g < $2 + 0; g += 4096)
		rmm[g] = $3 " " $4
	next
}

# sro/blocks: pa bytes ("realm" R | "host" -) source purpose delegated
file == 2 {
	for (g = $1 + 0; g < $1 + $2; g += 4096)
		if ($3 == "realm")
			host[g] = $4
		else
			own[g] = $5 " block at " $1
}

function report(g, what) {
	if (shown++ < 40)
		printf "books: %#x %s\n", g, what
}

END {
	for (g in rmm) {
		n++
		split(rmm[g], k, " ")
		if (!(g in host)) {
			if (k[1] == "sro")
				sro++
			else
				hst++
			report(g, "RMM: " rmm[g] ", host: " \
			       (g in own ? "its own, " own[g] : "not in the books"))
		} else if (host[g] != k[2]) {
			other++
			report(g, "RMM: " rmm[g] ", host: held by realm " host[g])
		}
	}
	for (g in host)
		if (!(g in rmm)) {
			only++
			report(g, "host: held by realm " host[g] ", RMM: not owned")
		}
	printf "books granules %d rmm_only_sro %d rmm_only_host %d host_only %d other_realm %d\n",
	       n, sro, hst, only, other
}

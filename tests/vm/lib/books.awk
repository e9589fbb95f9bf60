# Keep the books of the SRO host path from its trace events alone.
#
# Input: the text of /sys/kernel/tracing/trace with the "sro" events on.
# Output: "key value" lines the tests compare with the emulated RMM's
# ground truth and with /sys/kernel/debug/sro/stats:
#   realm R held_bytes N     bytes the realm world holds for realm R
#   held_bytes N             the same, all realms
#   out_bytes N              allocated by the provider, not freed or leaked
#   leaked_bytes N           given up for good (undelegate refused)
#   donated_bytes N / reclaimed_bytes N / freed_bytes N / allocated_bytes N
#   errors N                 books that do not balance (details on stderr)
# Every donation is tracked by its id and its address, so a double
# donation, a reclaim of memory never donated or a free of memory still
# donated shows up as an error even when the totals happen to balance.

function field(name,    i) {
	for (i = 1; i <= NF; i++)
		if (index($i, name "=") == 1)
			return substr($i, length(name) + 2)
	return ""
}

function num(s) {
	return s + 0
}

function bad(msg) {
	errors++
	if (errors <= 20)
		print "books: " msg " at line " NR > "/dev/stderr"
}

/ sro_alloc: / {
	allocated += num(field("size"))
	source[field("pa")] = field("source")
	next
}

# A donation is named by its id (donation=), unique since boot; its
# address may be donated again once the RMM gives back that granule,
# while the rest of the donation is still out.
/ sro_donate: / {
	pa = field("pa"); size = num(field("size")); r = field("realm")
	id = field("donation")
	if (pa in live)
		bad("donated twice " pa " (donations " live[pa] " and " id ")")
	if (id == "" || id in held_size)
		bad("donation id '" id "' missing or reused at " pa)
	live[pa] = id
	held_size[id] = size; held_realm[id] = r
	realm_held[r] += size
	donated += size
	next
}

# A reclaim may bring back part of a donation (several pieces, each
# naming its donation's id): the donation is out until every byte of
# it is back.
/ sro_reclaim: / {
	pa = field("pa"); size = num(field("size")); id = field("donation")
	if (!(id in held_size) || held_size[id] < size) {
		bad("reclaim of " pa "+" size " (donation " id ") not donated as such")
		next
	}
	realm_held[held_realm[id]] -= size
	held_size[id] -= size
	delete live[pa]
	if (!held_size[id]) {
		delete held_size[id]; delete held_realm[id]
	}
	reclaimed += size
	next
}

/ sro_free: / {
	pa = field("pa"); size = num(field("size"))
	# The head of a donation may come back while the rest is still out.
	if (pa in live)
		bad("free of " pa " while the realm world holds it")
	# Every block goes back to the source it came from (a tail freed
	# after a split starts inside a block: not checked here).
	if (pa in source && source[pa] != field("source"))
		bad("block " pa " from " source[pa] " freed to " field("source"))
	delete source[pa]
	freed += size
	next
}

/ sro_leak: / {
	delete source[field("pa")]
	leaked += num(field("size"))
	next
}

END {
	held = 0
	for (r in realm_held) {
		printf "realm %s held_bytes %d\n", r, realm_held[r]
		held += realm_held[r]
	}
	printf "held_bytes %d\n", held
	printf "allocated_bytes %d\n", allocated
	printf "donated_bytes %d\n", donated
	printf "reclaimed_bytes %d\n", reclaimed
	printf "freed_bytes %d\n", freed
	printf "leaked_bytes %d\n", leaked
	printf "out_bytes %d\n", allocated - freed - leaked
	printf "errors %d\n", errors
}

#!/bin/sh
# What the tests kept (lib/sro.sh keep: JSON sroscope wrote) on stdout,
# each file as "@@FILE NAME", its base64, "@@END", for the host to take
# out of the console (make vm-test: build/ARCH/vm-keep/) and validate
# against schemas/ (tests/host/t-schemas.sh). Run at the end of run.sh,
# or after one test: make vm-run CMD='cd tests/vm; sh t-92-leaks.sh; sh keep-out.sh'.
for f in /tmp/keep/*; do
	[ -f "$f" ] || continue
	echo "@@FILE ${f##*/}"
	base64 "$f"
	echo "@@END"
done

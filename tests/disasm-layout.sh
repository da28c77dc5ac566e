#!/bin/sh
# disasm prints pprof's layout with capstone's instruction text, so its
# output must match go tool pprof's in everything but that text: the
# routine headers and totals, and for each instruction its flat and cum
# values, its address and the ";function file:line" annotation (which
# pprof puts on a line of its own before instructions of 40 characters
# or more).  For C binaries, which cpprof symbolizes with inline frames
# and annotates from the line table as objdump -l does, the annotations
# are left out of the comparison.
# usage: disasm-layout.sh CPPROF TESTDATA GOLDEN_ID... (ids of golden/)
cpprof=$1 testdata=$2
shift 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

# Instruction rows as "flat|cum|address|annotation"; other lines as they are.
normalize() {
	awk -v annotations="$1" '
		/^ {74};/ { pending = substr($0, 76); next }
		/^ *[^ ]+ +[^ ]+ +[0-9a-f]+: / {
			flat = substr($0, 1, 10); cum = substr($0, 12, 10); addr = substr($0, 23, 10)
			rest = substr($0, 35); ann = pending; pending = ""
			n = index(rest, ";")
			if (n && ann == "") ann = substr(rest, n + 1)
			if (annotations == "no") ann = ""
			print flat "|" cum "|" addr "|" ann
			next
		}
		{ print }'
}

for id in "$@"; do
	line=$(grep "^$id	" "$testdata/golden/manifest.tsv")
	[ -n "$line" ] || { echo "no golden case $id"; failed=$((failed + 1)); continue; }
	args=$(printf '%s\n' "$line" | cut -f4- | tr '\t' '\n')
	annotations=yes
	case "$args" in *bin/cpuhog* | *bin/heaphog*) annotations=no ;; esac
	(cd "$testdata" && printf '%s\n' "$args" | TZ=UTC HOME="$tmp" xargs -d '\n' "$cpprof") >"$tmp/out" 2>"$tmp/err"
	if grep -q "parsing profile: unrecognized profile format" "$tmp/err"; then
		echo "skip $id: its profile format cannot be read yet"
		continue
	fi
	normalize $annotations <"$tmp/out" >"$tmp/got"
	normalize $annotations <"$testdata/golden/expected/$id.out" >"$tmp/want"
	if cmp -s "$tmp/got" "$tmp/want"; then
		echo "ok $id"
	else
		echo "FAIL $id"
		head -3 "$tmp/err"
		diff "$tmp/want" "$tmp/got" | head -10
		failed=$((failed + 1))
	fi
done
[ "$failed" -eq 0 ]

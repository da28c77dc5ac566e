#!/bin/sh
# -proto writes a profile that reads back as the same profile: for every
# profile cpprof reads, the -raw report of its -proto output equals its
# own (both show the profile as pprof merges it), and protobuf-c's
# unpacker (an independent reader) finds the same samples, locations and
# functions when the output goes round once more.  -topproto writes one sample
# per node of the top report: it must be well-formed and load.
# usage: proto-roundtrip.sh CPPROF UNPACK_PROFILE TESTDATA
cpprof=$1
unpack=$2
testdata=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0

fail() {
	failed=$((failed + 1))
	echo "FAIL $1: $2" >&2
}

# The tables an independent reader finds, without the mappings: a
# profile without any gets cpprof's placeholder mapping.
tables() {
	"$unpack" "$1" | sed 's/ mappings [0-9]*//; s/ strings [0-9]*//'
}

for p in "$testdata"/profiles/*; do
	[ -f "$p" ] || continue
	name=$(basename "$p")
	"$cpprof" -top "$p" >"$tmp/top" 2>/dev/null || continue	# not a profile cpprof reads
	"$cpprof" -raw "$p" >"$tmp/want" 2>/dev/null
	if ! "$cpprof" -proto "$p" >"$tmp/x.pb.gz" 2>"$tmp/err"; then	# warnings on stderr are fine
		fail "$name" "-proto failed: $(head -1 "$tmp/err")"
		continue
	fi
	if ! "$cpprof" -raw "$tmp/x.pb.gz" >"$tmp/got" 2>"$tmp/err"; then
		fail "$name" "its -proto output does not load: $(head -1 "$tmp/err")"
		continue
	fi
	if ! cmp -s "$tmp/want" "$tmp/got"; then
		fail "$name" "-raw differs after the round trip"
		diff "$tmp/want" "$tmp/got" | head -5 >&2
		continue
	fi
	if ! tables "$tmp/x.pb.gz" >"$tmp/unpacked"; then
		fail "$name" "protobuf-c rejects the -proto output"
		continue
	fi
	if ! "$cpprof" -topproto "$p" >"$tmp/top.pb.gz" 2>"$tmp/err" ||
		! tables "$tmp/top.pb.gz" >"$tmp/top.tables" ||
		! "$cpprof" -top "$tmp/top.pb.gz" >/dev/null 2>&1; then
		fail "$name" "-topproto output is not a profile: $(head -1 "$tmp/err")"
		continue
	fi
	nodes=$(sed -n '/ flat%/,$p' "$tmp/top" | tail -n +2 | wc -l)
	samples=$(sed 's/^samples \([0-9]*\).*/\1/' "$tmp/top.tables")
	if [ "$nodes" -ne "$samples" ]; then
		fail "$name" "-topproto has $samples samples for the $nodes nodes of -top"
		continue
	fi
	"$cpprof" -proto "$tmp/x.pb.gz" >"$tmp/x2.pb.gz" 2>/dev/null
	if ! tables "$tmp/x2.pb.gz" | cmp -s - "$tmp/unpacked"; then
		fail "$name" "tables differ after a second round: $(cat "$tmp/unpacked") / $(tables "$tmp/x2.pb.gz")"
		continue
	fi
	passed=$((passed + 1))
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]

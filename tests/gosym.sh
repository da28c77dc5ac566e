#!/bin/sh
# Go binaries are symbolized as go tool pprof symbolizes them: a profile
# of addresses spread over a binary's code must give, at -addresses
# granularity, the top report go tool pprof 1.19 printed for it
# (tests/symbolize/expected/), for a binary with DWARF and for a stripped
# one, whose names and lines come from its pclntab alone.
# usage: gosym.sh CPPROF MKPROFILE TESTDATA EXPECTED_DIR
cpprof=$1 mkprofile=$2 testdata=$3 expected=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TZ=UTC HOME="$tmp"
failed=0
command -v strip >/dev/null || { echo "strip not found: skipped"; exit 77; }
strip -o "$tmp/contend-stripped" "$testdata/bin/contend"
for case in "havlak-600 $testdata/bin/havlak" "contend-stripped-600 $tmp/contend-stripped"; do
	set -- $case
	"$mkprofile" "$2" 600 "$tmp/$1.pb" >/dev/null
	"$cpprof" -top -addresses -nodefraction=0 "$2" "$tmp/$1.pb" >"$tmp/$1.out" 2>"$tmp/$1.err"
	if cmp -s "$tmp/$1.out" "$expected/$1.out"; then
		echo "ok $1"
	else
		echo "FAIL $1"
		diff "$expected/$1.out" "$tmp/$1.out" | head -10
		failed=$((failed + 1))
	fi
done
[ "$failed" -eq 0 ]

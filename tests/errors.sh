#!/bin/sh
# Bad inputs must each get one clear message naming the input and exit
# status 2: never a crash, a hang or a silent wrong answer.
# usage: errors.sh CPPROF TESTDATA
cpprof=$1
testdata=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0

# expect NAME STATUS PATTERN -- ARGS...: runs cpprof, checks status and stderr.
expect() {
	name=$1 status=$2 pattern=$3
	shift 4
	timeout 20 "$cpprof" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	got=$?
	if [ "$got" -eq "$status" ] && grep -q -- "$pattern" "$tmp/err"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL $name: exit $got (want $status), stderr:" >&2
		head -5 "$tmp/err" >&2
	fi
}

printf '' >"$tmp/empty.pb"
head -c 3000 "$testdata/profiles/havlak-cpu.pb.gz" >"$tmp/truncated.pb.gz"
gzip -dc "$testdata/profiles/havlak-cpu.pb.gz" >"$tmp/raw.pb"
head -c 20000 "$tmp/raw.pb" >"$tmp/cut.pb"
gzip -c "$tmp/cut.pb" >"$tmp/cut.pb.gz"
printf '\037\213\010\000garbage' >"$tmp/badgzip.pb.gz"
mkdir "$tmp/dir"
# A sample whose location id names no location.
printf '\012\004\010\001\020\002\022\005\012\001\143\020\001\062\000\062\001a\062\001b' >"$tmp/nilloc.pb"

cpu=$testdata/profiles/havlak-cpu.pb.gz
expect missing 2 "nope.pb.gz: open .*nope.pb.gz: no such file or directory" -- -top "$tmp/nope.pb.gz"
expect directory 2 "dir: read .*: is a directory" -- -top "$tmp/dir"
expect empty 2 "empty.pb: parsing profile: empty input file" -- -top "$tmp/empty.pb"
expect truncated-gzip 2 "truncated.pb.gz: decompressing profile: unexpected EOF" -- -top "$tmp/truncated.pb.gz"
expect bad-gzip 2 "badgzip.pb.gz: decompressing profile" -- -top "$tmp/badgzip.pb.gz"
expect cut-proto 2 "cut.pb: parsing profile: unrecognized profile format" -- -top "$tmp/cut.pb"
expect cut-proto-gz 2 "cut.pb.gz: parsing profile: unrecognized profile format" -- -top "$tmp/cut.pb.gz"
expect nil-location 2 "nilloc.pb: malformed profile: sample has nil location" -- -top "$tmp/nilloc.pb"
expect unknown-flag 2 "flag provided but not defined: -bogus" -- -top -bogus "$cpu"
expect bad-float 2 'invalid value "x" for flag -nodefraction' -- -top -nodefraction=x "$cpu"
expect bad-bool 2 'invalid boolean value "maybe" for -trim' -- -top -trim=maybe "$cpu"
expect missing-arg 2 "flag needs an argument: -nodecount" -- -top -nodecount
expect si-range 2 "sample_index 7 is outside the range \[0..1\]" -- -top -sample_index=7 "$cpu"
expect divide-zero 2 "zero divisor specified" -- -top -divide_by=0 "$cpu"
expect granularity-clash 2 "conflicting options set" -- -top -lines -files "$cpu"
expect normalize-alone 2 "must have base profile to normalize by" -- -top -normalize "$cpu"
expect oneshot-noarg 2 "command list requires an argument" -- list "$cpu"
expect help 0 "usage:" -- -help
expect peek-regexp 2 'parsing argument regexp (: error parsing regexp: missing closing ): `(`' -- -peek='(' "$cpu"
expect peek-nomatch 2 "no matches found for regexp: nosuchfunction" -- -peek=nosuchfunction "$cpu"
expect output-dir 2 "open $tmp/nodir/x.dot: no such file or directory" -- -dot -output="$tmp/nodir/x.dot" "$cpu"
expect output-ok 0 "Generating report in $tmp/x.dot" -- -dot -output="$tmp/x.dot" "$cpu"
expect proto-write 0 "Generating report in $tmp/x.pb.gz" -- -proto -output="$tmp/x.pb.gz" "$cpu"
expect proto-reread 0 "Generating report in $tmp/x.txt" -- -tree -output="$tmp/x.txt" "$tmp/x.pb.gz"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

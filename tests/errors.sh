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
input=/dev/null	# stdin of the cases

# expect NAME STATUS PATTERN -- ARGS...: runs cpprof, checks status and stderr.
expect() {
	name=$1 status=$2 pattern=$3
	shift 4
	timeout 20 "$cpprof" "$@" >"$tmp/out" 2>"$tmp/err" <"$input"
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

# Two sample types, the default one (the last) all zero.
printf '\012\004\010\001\020\002\012\004\010\003\020\004\022\006\010\001\022\002\005\000\042\006\010\001\042\002\010\001\052\004\010\001\020\005\062\000\062\015alloc_objects\062\005count\062\013inuse_space\062\005bytes\062\004main' >"$tmp/zero.pb"
# Legacy formats: malformed lines are named by number.
printf 'heap profile: 1: 2 [1: 2] @ heapprofile\n1: 2 [1: 2] @ 0x1\n0: 5 [1: 2] @ 0x2\n' >"$tmp/bad.heap"
printf 'heap profile: 1: 2 [1: 2] @ heap_v2/512\n1: 2 [1: 2] @ 0x10000000000000000\n' >"$tmp/hex.heap"
printf 'goroutine profile: total 3\n1 @ 0x1 0x2\n2 @ 0xzz\n' >"$tmp/bad-goroutine.txt"
{ printf -- '--- mutex:\n'; head -c 70000 /dev/zero | tr '\0' 7; } >"$tmp/long.txt"
head -c 100 "$testdata/profiles/cpuhog.prof" >"$tmp/cut.prof"

# 300 samples of location 1; sample 250 names no location; in ranged.pb
# sample 20 does too, and sample 250 has a label whose key is no string.
sample='\022\005\012\001\001\020\001'
{
	printf '\012\004\010\001\020\002'
	i=0
	while [ $i -lt 300 ]; do
		if [ $i -eq 250 ]; then printf '\022\005\012\001\143\020\001'; else printf "$sample"; fi
		i=$((i + 1))
	done
	printf '\042\002\010\001\062\000\062\001a\062\001b'
} >"$tmp/late-nilloc.pb"
{
	printf '\012\004\010\001\020\002'
	i=0
	while [ $i -lt 300 ]; do
		case $i in
		20) printf '\022\005\012\001\143\020\001' ;;
		250) printf '\022\011\012\001\001\020\001\032\002\010\011' ;;
		*) printf "$sample" ;;
		esac
		i=$((i + 1))
	done
	printf '\042\002\010\001\062\000\062\001a\062\001b'
} >"$tmp/ranged.pb"

cpu=$testdata/profiles/havlak-cpu.pb.gz
expect missing 2 "nope.pb.gz: open .*nope.pb.gz: no such file or directory" -- -top "$tmp/nope.pb.gz"
expect directory 2 "dir: read .*: is a directory" -- -top "$tmp/dir"
expect empty 2 "empty.pb: parsing profile: empty input file" -- -top "$tmp/empty.pb"
expect truncated-gzip 2 "truncated.pb.gz: decompressing profile: unexpected EOF" -- -top "$tmp/truncated.pb.gz"
expect bad-gzip 2 "badgzip.pb.gz: decompressing profile" -- -top "$tmp/badgzip.pb.gz"
expect cut-proto 2 "cut.pb: parsing profile: unrecognized profile format" -- -top "$tmp/cut.pb"
expect cut-proto-gz 2 "cut.pb.gz: parsing profile: unrecognized profile format" -- -top "$tmp/cut.pb.gz"
expect nil-location 2 "nilloc.pb: malformed profile: sample has nil location" -- -top "$tmp/nilloc.pb"
# Checked in four ranges: the first invalid sample is found in a later
# range, and a malformed sample fails the profile before an invalid one.
export CPPROF_THREADS=4 CPPROF_MIN_RANGE=1
expect late-nil-location 2 "late-nilloc.pb: malformed profile: sample has nil location" -- -top "$tmp/late-nilloc.pb"
expect malformed-first 2 "ranged.pb: parsing profile: unrecognized profile format" -- -top "$tmp/ranged.pb"
unset CPPROF_THREADS CPPROF_MIN_RANGE
expect malformed-first-1 2 "ranged.pb: parsing profile: unrecognized profile format" -- -top "$tmp/ranged.pb"
expect unknown-flag 2 "flag provided but not defined: -bogus" -- -top -bogus "$cpu"
expect bad-float 2 'invalid value "x" for flag -nodefraction' -- -top -nodefraction=x "$cpu"
expect bad-bool 2 'invalid boolean value "maybe" for -trim' -- -top -trim=maybe "$cpu"
expect missing-arg 2 "flag needs an argument: -nodecount" -- -top -nodecount
expect si-range 2 "sample_index 7 is outside the range \[0..1\]" -- -top -sample_index=7 "$cpu"
expect divide-zero 2 "zero divisor specified" -- -top -divide_by=0 "$cpu"
expect granularity-clash 2 "conflicting options set" -- -top -lines -files "$cpu"
expect normalize-alone 2 "must have base profile to normalize by" -- -top -normalize "$cpu"
expect oneshot-noarg 2 "command list requires an argument" -- list "$cpu"
heap=$testdata/profiles/havlak-heap.pb.gz
expect focus-regexp 2 'parsing focus regexp: error parsing regexp: missing closing ): `(`' -- -top -focus='(' "$cpu"
expect backreference 2 'parsing hide regexp: error parsing regexp: invalid escape sequence: `\\1`' -- -top -hide='(a)\1' "$cpu"
expect lookahead 2 'parsing show regexp: error parsing regexp: invalid or unsupported Perl syntax: `(?=`' -- -top -show='(?=a)' "$cpu"
expect tagfocus-regexp 2 'parsing tagfocus regexp: error parsing regexp: missing closing \]' -- -top -tagfocus='tenant=[a-' "$cpu"
expect tagshow-regexp 2 'parsing tagshow regexp: error parsing regexp' -- -top -tagshow='a**' "$cpu"
expect tagfocus-huge 2 'failed to parse int 99999999999999999999' -- -top -tagfocus=99999999999999999999b "$heap"
expect merge-mismatch 2 'problem fetching source profiles: period type: incompatible types: {cpu nanoseconds 0 0} {space bytes 0 0}' -- -top "$cpu" "$heap"
expect base-mismatch 2 'period type: incompatible types: {cpu nanoseconds 0 0} {space bytes 0 0}' -- -top -base="$heap" "$cpu"
expect base-missing 2 'failed to fetch any base profiles' -- -top -diff_base="$tmp/nope.pb.gz" "$cpu"
expect normalize-mismatch 2 'incompatible period types' -- -top -normalize -base="$heap" "$cpu"
expect help 0 "usage:" -- -help
expect shell-eof 0 "Entering interactive mode" -- "$cpu"
expect shell-zero-total 0 'Try "sample_index" command to analyze different sample values.' -- "$tmp/zero.pb"
input=$tmp/dir
expect shell-read-error 2 "read /dev/stdin: is a directory" -- "$cpu"
input=/dev/null
expect heap-line 2 "bad.heap: parsing profile: line 3: inuse count was 0 but inuse bytes was 5" -- -top "$tmp/bad.heap"
expect heap-hex 2 "hex.heap: parsing profile: line 2: malformed sample: .*: failed to parse as hex 64-bit number: 0x10000000000000000" -- -top "$tmp/hex.heap"
expect goroutine-line 2 "bad-goroutine.txt: parsing profile: line 3: malformed profile format" -- -top "$tmp/bad-goroutine.txt"
expect long-line 2 "long.txt: parsing profile: line 2: bufio.Scanner: token too long" -- -top "$tmp/long.txt"
expect cut-cpu 2 "cut.prof: parsing profile: unrecognized profile format" -- -top "$tmp/cut.prof"
# A binary cut short is still an ELF file: symbolization and disasm must cope.
head -c 300000 "$testdata/bin/havlak" >"$tmp/cut-binary"
expect disasm-cut-binary 2 "no matches found for regexp: main" -- -disasm=main "$tmp/cut-binary" "$cpu"
expect disasm-no-binary 2 "no matches found for regexp: main.numberDFS" -- -disasm=main.numberDFS "$cpu"
expect list-nomatch 2 "no matches found for regexp: nothing" -- -list=nothing "$cpu"
expect peek-regexp 2 'parsing argument regexp (: error parsing regexp: missing closing ): `(`' -- -peek='(' "$cpu"
expect peek-nomatch 2 "no matches found for regexp: nosuchfunction" -- -peek=nosuchfunction "$cpu"
expect output-dir 2 "open $tmp/nodir/x.dot: no such file or directory" -- -dot -output="$tmp/nodir/x.dot" "$cpu"
expect output-ok 0 "Generating report in $tmp/x.dot" -- -dot -output="$tmp/x.dot" "$cpu"
expect proto-write 0 "Generating report in $tmp/x.pb.gz" -- -proto -output="$tmp/x.pb.gz" "$cpu"
expect proto-reread 0 "Generating report in $tmp/x.txt" -- -tree -output="$tmp/x.txt" "$tmp/x.pb.gz"
# The web UI's address, as pprof reads it (a port in use is tested by web.py).
expect http-no-port 2 "could not split http address: address foo: missing port in address" -- -http=foo "$cpu"
expect http-colons 2 "could not split http address: address a:b:1: too many colons in address" -- -http=a:b:1 "$cpu"
expect http-port 2 'invalid port number: strconv.Atoi: parsing "abc": invalid syntax' -- -http=localhost:abc "$cpu"
expect http-range 2 "listen tcp: address 70000: invalid port" -- -http=localhost:70000 "$cpu"
expect http-format 2 "-http is not compatible with an output format on the command line" -- -http=:1 -top "$cpu"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/bin/sh
# Fetching profiles over HTTP and HTTPS from a server on 127.0.0.1 that
# this script starts (tests/fetch/server.py), and saving them: a served
# profile reports exactly as the same file does, is saved where and as
# pprof saves it, and every failure gets its message, exit status 2 and
# leaves nothing in the save directory.
# usage: fetch.sh CPPROF TESTDATA FETCH_DIR
cpprof=$1
testdata=$2
dir=$3
profiles=$testdata/profiles
for tool in python3 openssl timeout; do
	command -v "$tool" >/dev/null || { echo "$tool not found, skipping"; exit 77; }
done
export TZ=UTC
unset PPROF_TMPDIR PPROF_BINARY_PATH http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
tmp=$(mktemp -d)
servers=""
cleanup() {
	for pid in $servers; do kill "$pid" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT
passed=0
failed=0

fail() {
	failed=$((failed + 1))
	echo "FAIL $*" >&2
	head -5 "$tmp/err" >&2
}

# start NAME [CERT KEY]: runs a server, sets $port once it listens.
start() {
	name=$1
	shift
	python3 "$dir/server.py" "$profiles" "$tmp/$name.port" "$tmp/$name.log" "$@" 2>"$tmp/$name.stderr" &
	servers="$servers $!"
	for _ in $(seq 100); do
		[ -s "$tmp/$name.port" ] && break
		sleep 0.1
	done
	port=$(cat "$tmp/$name.port" 2>/dev/null) || { echo "server $name did not start" >&2; cat "$tmp/$name.stderr" >&2; exit 1; }
}

# run ARGS...: cpprof with a fresh empty HOME (and PPROF_TMPDIR=$save_dir
# if set), output in $tmp/out and $tmp/err.
save_dir=
run() {
	rm -rf "$tmp/home"
	mkdir "$tmp/home"
	HOME=$tmp/home timeout 60 env ${save_dir:+PPROF_TMPDIR="$save_dir"} "$cpprof" "$@" \
		>"$tmp/out" 2>"$tmp/err" </dev/null
	status=$?
}

# same NAME FILE ARGS...: stdout of ARGS equals cpprof's report of FILE.
same() {
	name=$1 file=$2
	shift 2
	run "$@"
	HOME=$tmp/home "$cpprof" -top "$file" >"$tmp/want" 2>/dev/null
	if [ "$status" -eq 0 ] && cmp -s "$tmp/out" "$tmp/want"; then
		passed=$((passed + 1))
	else
		fail "$name: exit $status, stdout differs from $file:"
		diff "$tmp/want" "$tmp/out" | head -5 >&2
	fi
}

# stderr_has NAME TEXT: the last run said TEXT (a fixed string) on stderr.
stderr_has() {
	if grep -qF -- "$2" "$tmp/err"; then
		passed=$((passed + 1))
	else
		fail "$1: stderr lacks \"$2\":"
	fi
}

# fails NAME MESSAGE ARGS...: exit 2, MESSAGE on stderr, nothing saved.
fails() {
	name=$1 message=$2
	shift 2
	run "$@"
	if [ "$status" -eq 2 ] && grep -qF -- "$message" "$tmp/err" && [ ! -e "$tmp/home/pprof" ]; then
		passed=$((passed + 1))
	else
		fail "$name: exit $status (want 2), want \"$message\", saved: $(ls "$tmp/home/pprof" 2>/dev/null)"
	fi
}

start plain
url=http://127.0.0.1:$port
log=$tmp/plain.log

# Every profile of Go's net/http/pprof reports as the file does.
for kind in profile:havlak-cpu heap:havlak-heap allocs:havlak-allocs goroutine:contend-goroutine \
	block:contend-block mutex:contend-mutex threadcreate:contend-threadcreate; do
	path=/debug/pprof/${kind%%:*}
	same "$path" "$profiles/${kind#*:}.pb.gz" -top "$url$path"
	stderr_has "$path" "Fetching profile over HTTP from $url$path"
	stderr_has "$path" "Saved profile in $tmp/home/pprof/pprof."
done

# host:port means http://host:port/debug/pprof/profile; the saved copy loads back.
same host-port "$profiles/havlak-cpu.pb.gz" -top "127.0.0.1:$port"
stderr_has host-port "Fetching profile over HTTP from $url/debug/pprof/profile"
saved=$tmp/home/pprof/pprof.havlak.samples.cpu.001.pb.gz
stderr_has host-port "Saved profile in $saved"
cp "$saved" "$tmp/saved.pb.gz" 2>/dev/null
same saved-loads "$profiles/havlak-cpu.pb.gz" -top "$tmp/saved.pb.gz"
go=/usr/lib/go-1.19/bin/go
if [ -x "$go" ]; then
	HOME=$tmp/home "$go" tool pprof -top "$tmp/saved.pb.gz" >"$tmp/go-saved" 2>/dev/null
	HOME=$tmp/home "$go" tool pprof -top "$profiles/havlak-cpu.pb.gz" >"$tmp/go-file" 2>/dev/null
	if cmp -s "$tmp/go-saved" "$tmp/go-file"; then
		passed=$((passed + 1))
	else
		fail "saved profile does not load in go tool pprof as the original does"
	fi
fi

# Numbering: the next save of the same kind is 002; the binary named on the command line names it.
save_dir=$tmp/keep/deeper/dir
run -top "$url/debug/pprof/heap"
run -top "$url/debug/pprof/heap"
stderr_has numbering "Saved profile in $tmp/keep/deeper/dir/pprof.havlak.alloc_objects.alloc_space.inuse_objects.inuse_space.002.pb.gz"
save_dir=$tmp/keep
run -top "$testdata/bin/contend" "$url/debug/pprof/goroutine"
stderr_has binary-name "Saved profile in $tmp/keep/pprof.contend.goroutine.001.pb.gz"
if [ -z "$(find "$tmp/keep" -name '.pprof-save-*')" ]; then
	passed=$((passed + 1))
else
	fail "temporary files left in the save directory"
fi

# An unusable PPROF_TMPDIR falls back to $HOME/pprof; an uncompressed profile is saved gzipped.
save_dir=$testdata/README.md
run -top "$url/raw/havlak-heap.pb.gz"
save_dir=
stderr_has tmpdir-file "Could not use temp dir $testdata/README.md: mkdir $testdata/README.md: not a directory"
stderr_has tmpdir-file "Saved profile in $tmp/home/pprof/pprof.havlak.alloc_objects.alloc_space.inuse_objects.inuse_space.001.pb.gz"
if gzip -t "$tmp/home/pprof/"*.pb.gz 2>/dev/null; then passed=$((passed + 1)); else fail "raw profile not saved gzipped"; fi

# Several URLs merge as the same files do, and a base profile may be a URL.
# want_files ARGS...: cpprof's report of local files, to compare the last run with.
want_files() {
	HOME=$tmp/home "$cpprof" "$@" >"$tmp/want" 2>/dev/null
	if [ "$status" -eq 0 ] && cmp -s "$tmp/out" "$tmp/want"; then
		passed=$((passed + 1))
	else
		fail "$*: exit $status, the URLs report differently from the files:"
		diff "$tmp/want" "$tmp/out" | head -5 >&2
	fi
}
run -top "$url/raw/havlak-cpu.pb.gz" "$url/raw/havlak-cpu-map.pb.gz"
want_files -top "$profiles/havlak-cpu.pb.gz" "$profiles/havlak-cpu-map.pb.gz"
merged=$tmp/home/pprof/pprof.havlak.samples.cpu.001.pb.gz
stderr_has merged-save "Saved profile in $merged"
cp "$merged" "$tmp/merged.pb.gz" 2>/dev/null
run -top "$tmp/merged.pb.gz"
want_files -top "$profiles/havlak-cpu.pb.gz" "$profiles/havlak-cpu-map.pb.gz"
run -top -diff_base="$url/raw/havlak-cpu-map.pb.gz" "$url/raw/havlak-cpu.pb.gz"
want_files -top -diff_base="$profiles/havlak-cpu-map.pb.gz" "$profiles/havlak-cpu.pb.gz"
run -top -base="$url/raw/havlak-heap.pb.gz" "$profiles/havlak-cpu.pb.gz"
if [ "$status" -eq 2 ] && grep -qF "period type: incompatible types" "$tmp/err"; then
	passed=$((passed + 1))
else
	fail "a URL base of another type: exit $status"
fi

# -seconds: the query, the wait message, the server sleeping; other parameters are kept, sorted.
start_time=$(date +%s)
same seconds "$profiles/havlak-heap.pb.gz" -top -seconds=2 "$url/debug/pprof/heap?gc=1"
elapsed=$(($(date +%s) - start_time))
stderr_has seconds "Fetching profile over HTTP from $url/debug/pprof/heap?gc=1&seconds=2"
stderr_has seconds "Please wait... (2s)"
if grep -qF "GET /debug/pprof/heap?gc=1&seconds=2" "$log" && [ "$elapsed" -ge 2 ]; then
	passed=$((passed + 1))
else
	fail "seconds: the server did not get ?seconds=2 or did not wait ($elapsed s)"
fi
run -top -seconds=90 -timeout=1 "$url/status/404"
stderr_has duration "Please wait... (1m30s)"

# One-shot commands and redirects.
run top3 "127.0.0.1:$port/debug/pprof/mutex"
"$cpprof" top3 "$profiles/contend-mutex.pb.gz" >"$tmp/want" 2>/dev/null
if [ "$status" -eq 0 ] && cmp -s "$tmp/out" "$tmp/want"; then passed=$((passed + 1)); else fail "one-shot top3"; fi
same redirect "$profiles/havlak-heap.pb.gz" -top "$url/redirect"

# Several sources are fetched at once; those that fail are reported.
same partial "$profiles/havlak-heap.pb.gz" -top "$url/debug/pprof/heap" "$url/status/404"
stderr_has partial "$url/status/404: server response: 404 Not Found"
stderr_has partial "Fetched 1 source profiles out of 2"
start_time=$(date +%s)
run -top -seconds=2 "$url/debug/pprof/heap" "$url/debug/pprof/profile" "$url/debug/pprof/block"
elapsed=$(($(date +%s) - start_time))
if [ "$elapsed" -lt 6 ]; then passed=$((passed + 1)); else fail "three 2-second fetches took $elapsed s"; fi

# Failures.
fails refused "127.0.0.1:1: Get \"http://127.0.0.1:1/debug/pprof/profile\": dial tcp 127.0.0.1:1: connect: connection refused" -top 127.0.0.1:1
stderr_has refused "failed to fetch any source profiles"
# A label longer than 63 bytes fails in the resolver itself: no query leaves the machine.
long=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.invalid
fails dns "dial tcp: lookup $long: no such host" -top "$long:80"
fails 404 "$url/status/404: server response: 404 Not Found" -top "$url/status/404"
fails 500 "server response: 500 Internal Server Error" -top "$url/status/500"
fails pprof-error "server response: 500 Internal Server Error - Could not enable CPU profiling: cpu profiling already in use" -top "$url/pprof-error"
fails garbage "$url/garbage: parsing profile: unrecognized profile format" -top "$url/garbage"
fails empty "$url/empty: parsing profile: empty input file" -top "$url/empty"
fails closed "Get \"$url/close\": EOF" -top "$url/close"
fails scheme "unsupported protocol scheme \"ftp\"" -top "ftp://127.0.0.1:$port/x"
start_time=$(date +%s)
fails timeout "$url/hang: Get \"$url/hang\": net/http: timeout awaiting response headers" -top -timeout=1 "$url/hang" "$url/hang-body"
elapsed=$(($(date +%s) - start_time))
stderr_has timeout "$url/hang-body: context deadline exceeded (Client.Timeout or context cancellation while reading body)"
if [ "$elapsed" -ge 6 ] && [ "$elapsed" -lt 12 ]; then passed=$((passed + 1)); else fail "timeout after $elapsed s, want 6"; fi

# Remote symbolization: addresses are posted to the profile's /debug/pprof/symbol.
run -top "$url/unsym/debug/pprof/profile"
if [ "$status" -eq 0 ] && cmp -s "$tmp/out" "$dir/unsym-top.out"; then passed=$((passed + 1)); else fail "remote symbolization"; fi
if grep -qF "BODY 0x401000+0x401100+0x401200+0x401300" "$log"; then passed=$((passed + 1)); else fail "symbol query"; fi
run -top -symbolize=remote "$url/unsym-file/debug/pprof/profile"
{ echo "File: remote"; cat "$dir/unsym-top.out"; } >"$tmp/want"
if [ "$status" -eq 0 ] && cmp -s "$tmp/out" "$tmp/want"; then passed=$((passed + 1)); else fail "-symbolize=remote"; fi
run -top -symbolize=none "$url/unsym/debug/pprof/profile"
if [ "$status" -eq 0 ] && cmp -s "$tmp/out" "$dir/unsym-none-top.out"; then passed=$((passed + 1)); else fail "-symbolize=none"; fi
fails symbol-404 "http post $url/nosym/debug/pprof/symbol: server response: 404 Not Found" -top "$url/nosym/debug/pprof/profile"

# TLS with a self-signed certificate: verified unless https+insecure, or trusted with -tls_ca.
if openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/key.pem" -out "$tmp/cert.pem" -days 1 \
	-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1; then
	start tls "$tmp/cert.pem" "$tmp/key.pem"
	fails tls-verify "Get \"https://127.0.0.1:$port/debug/pprof/profile\": x509: certificate signed by unknown authority" -top "https://127.0.0.1:$port/"
	same tls-insecure "$profiles/havlak-cpu.pb.gz" -top "https+insecure://127.0.0.1:$port/"
	stderr_has tls-insecure "Fetching profile over HTTP from https+insecure://127.0.0.1:$port/debug/pprof/profile"
	same tls-ca "$profiles/havlak-cpu.pb.gz" -top -tls_ca="$tmp/cert.pem" "https://127.0.0.1:$port/debug/pprof/profile"
	fails tls-ca-missing "could not load CA specified by -tls_ca: open $tmp/nope.pem: no such file or directory" -top -tls_ca="$tmp/nope.pem" "https+insecure://127.0.0.1:$port/"
	fails tls-key-alone "-tls_key is specified, so -tls_cert must also be specified" -top -tls_key="$tmp/key.pem" "https+insecure://127.0.0.1:$port/"
	fails not-tls "tls: first record does not look like a TLS handshake" -top "https://127.0.0.1:${url##*:}/"
else
	fail "openssl could not make a certificate"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

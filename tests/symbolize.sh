#!/bin/sh
# Symbolization end to end: a PIE and a shared library built here, in
# several segment layouts, sample themselves and write a profile; cpprof
# must name every sample's function, file and line (inlined frames
# included), find binaries as pprof does, and say what it could not do.
# usage: symbolize.sh CPPROF CC SOURCEDIR
cpprof=$1 cc=$2 src=$3
command -v "$cc" >/dev/null || { echo "no C compiler: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" TZ=UTC
unset PPROF_BINARY_PATH DEBUGINFOD_URLS
mkdir -p "$HOME"
passed=0
failed=0

fail() {
	failed=$((failed + 1))
	echo "FAIL $1" >&2
	[ -f "$tmp/out" ] && head -20 "$tmp/out" >&2
	[ -f "$tmp/err" ] && head -5 "$tmp/err" >&2
}

pass() {
	passed=$((passed + 1))
}

# build DIR FLAGS...: the library and the program in DIR, linked with FLAGS.
build() {
	dir=$1
	shift
	mkdir -p "$dir"
	"$cc" -g -O1 -fPIC -shared -I"$src" -o "$dir/libshape.so" "$src/shape.c" &&
		"$cc" -g -O1 -I"$src" -o "$dir/prog" "$src/prog.c" -L"$dir" -lshape -Wl,-rpath,"$dir" "$@"
}

# Every "function line" the program printed must show up as "function FILE:line" in -top -lines.
expect_samples() {
	name=$1 expect=$2
	ok=true
	while read -r fn line; do
		grep -q " $fn [^ ]*/\(prog\|shape\)\.c:$line\( (inline)\)\?$" "$tmp/out" || ok=false
	done <"$expect"
	if $ok && [ -s "$expect" ]; then pass; else fail "$name"; fi
}

for layout in "pie -fPIE -pie -Wl,-z,separate-code" "pie-noseparate -fPIE -pie -Wl,-z,noseparate-code" \
	"exec -fno-PIE -no-pie -Wl,-z,separate-code" "exec-noseparate -fno-PIE -no-pie -Wl,-z,noseparate-code"; do
	set -- $layout
	name=$1
	shift
	dir="$tmp/$name"
	build "$dir" "$@" || { fail "$name: build"; continue; }
	"$dir/prog" "$dir/prof.pb" >"$dir/expect" || { fail "$name: run"; continue; }
	"$cpprof" -top -lines "$dir/prog" "$dir/prof.pb" >"$tmp/out" 2>"$tmp/err"
	expect_samples "$name" "$dir/expect"
done

dir="$tmp/pie"
# The mapping's recorded path with a matching build ID is trusted.
"$cpprof" -top -lines "$dir/prof.pb" >"$tmp/out" 2>"$tmp/err"
expect_samples "recorded path with build ID" "$dir/expect"

# A binary that moved is found on PPROF_BINARY_PATH, by name or under its build ID.
mkdir -p "$tmp/moved/search"
cp -r "$dir" "$tmp/moved/run" && "$tmp/moved/run/prog" "$tmp/moved/prof.pb" >"$tmp/moved/expect"
mv "$tmp/moved/run/prog" "$tmp/moved/search/prog"
"$cpprof" -top -lines "$tmp/moved/prof.pb" >"$tmp/out" 2>"$tmp/err"
if grep -q "^Local symbolization failed for prog (build ID [0-9a-f]*): open $tmp/moved/run/prog: no such file or directory$" "$tmp/err" &&
	grep -q "^Try setting PPROF_BINARY_PATH to the search path for local binaries.$" "$tmp/err"; then
	pass
else
	fail "missing binary message"
fi
PPROF_BINARY_PATH="$tmp/nowhere:$tmp/moved/search" "$cpprof" -top -lines "$tmp/moved/prof.pb" >"$tmp/out" 2>"$tmp/err"
expect_samples "PPROF_BINARY_PATH by name" "$tmp/moved/expect"
id=$(sed -n 's/^Build ID: //p' "$tmp/out")
mkdir -p "$tmp/byid/$id" && cp "$tmp/moved/search/prog" "$tmp/byid/$id/whatever"
PPROF_BINARY_PATH="$tmp/byid" "$cpprof" -top -lines "$tmp/moved/prof.pb" >"$tmp/out" 2>"$tmp/err"
expect_samples "PPROF_BINARY_PATH by build ID" "$tmp/moved/expect"
mkdir -p "$HOME/pprof/binaries" && cp "$tmp/moved/search/prog" "$HOME/pprof/binaries/prog"
"$cpprof" -top -lines "$tmp/moved/prof.pb" >"$tmp/out" 2>"$tmp/err"
expect_samples "HOME/pprof/binaries" "$tmp/moved/expect"
rm -r "$HOME/pprof"

# Another build with the same name is refused.
mkdir -p "$tmp/other" && cp "$tmp/exec/prog" "$tmp/other/prog"
PPROF_BINARY_PATH="$tmp/other" "$cpprof" -top "$tmp/moved/prof.pb" >"$tmp/out" 2>"$tmp/err"
if grep -q "^Ignoring local file $tmp/other/prog: build-id mismatch ($id != [0-9a-f]*)$" "$tmp/err"; then
	pass
else
	fail "build-id mismatch"
fi

# Without build IDs, only the binary named on the command line is symbolized:
# the library keeps its addresses, and nothing is said about it.
"$dir/prog" "$tmp/nobuildid.pb" nobuildid >"$tmp/nobuildid.expect"
"$cpprof" -top -lines "$dir/prog" "$tmp/nobuildid.pb" >"$tmp/out" 2>"$tmp/err"
if grep -q " compute [^ ]*/prog\.c:[0-9]*$" "$tmp/out" && grep -q " \[libshape\.so\]$" "$tmp/out" &&
	! grep -q "shape_area" "$tmp/out" && ! [ -s "$tmp/err" ]; then
	pass
else
	fail "mapping without build ID"
fi

# Separate debug information, found by .gnu_debuglink.
mkdir -p "$tmp/split/.debug"
cp "$dir/prog" "$tmp/split/prog"
objcopy --only-keep-debug "$tmp/split/prog" "$tmp/split/.debug/prog.debug" &&
	objcopy --strip-debug --add-gnu-debuglink="$tmp/split/.debug/prog.debug" "$tmp/split/prog"
"$cpprof" -top -lines "$tmp/split/prog" "$dir/prof.pb" >"$tmp/out" 2>"$tmp/err"
if grep -q " compute [^ ]*/prog\.c:[0-9]*$" "$tmp/out"; then pass; else fail "debug link"; fi

# -symbolize=none keeps addresses; fastlocal gives names without lines.
"$cpprof" -top -symbolize=none "$dir/prog" "$dir/prof.pb" >"$tmp/out" 2>"$tmp/err"
if grep -q " \[prog\]$" "$tmp/out" && ! grep -q "compute" "$tmp/out"; then pass; else fail "symbolize=none"; fi
"$cpprof" -top -lines -symbolize=fastlocal "$dir/prog" "$dir/prof.pb" >"$tmp/out" 2>"$tmp/err"
if grep -q " compute$" "$tmp/out" && ! grep -q "prog\.c" "$tmp/out"; then pass; else fail "symbolize=fastlocal"; fi
"$cpprof" -top -symbolize=bogus "$dir/prog" "$dir/prof.pb" >"$tmp/out" 2>"$tmp/err"
if grep -q "^ignoring unrecognized symbolization option: bogus$" "$tmp/err"; then pass; else fail "symbolize=bogus"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

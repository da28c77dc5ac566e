#!/bin/sh
# The symbolizer's frames for addresses of a binary must be exactly what
# GNU addr2line -f -i prints for each of them, read as pprof reads it:
# "??" is no function, "??:0" and "FILE:?" no position, discriminators
# are dropped, and frames that say nothing are left out.
# usage: oracle.sh ADDR2FRAMES BINARY (-gperftools PROFILE | ADDR...)
tool=$1 binary=$2
shift 2
command -v addr2line >/dev/null || { echo "addr2line not found: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ "$1" = -gperftools ]; then
	"$tool" -gperftools "$2" >"$tmp/addrs" || { echo "cannot read $2"; exit 1; }
else
	printf '%s\n' "$@" >"$tmp/addrs"
fi
[ -s "$tmp/addrs" ] || { echo "no addresses"; exit 1; }

"$tool" "$binary" $(cat "$tmp/addrs") >"$tmp/got" || exit 1
while read -r addr; do
	echo "@$addr"
	addr2line -f -i -e "$binary" "$addr" | awk '
		NR % 2 == 1 { fn = ($0 == "??") ? "" : $0; next }
		{
			sub(/ \(discriminator [0-9]+\)$/, "")
			file = $0; line = 0
			n = match(file, /:[0-9]+$/)
			if (n) { line = substr(file, n + 1) + 0; file = substr(file, 1, n - 1) }
			else { file = ""; line = 0 }
			if (file == "??" && line == 0) file = ""
			if (fn != "" || file != "" || line != 0) print fn "|" file "|" line
		}'
done <"$tmp/addrs" >"$tmp/want"
if cmp -s "$tmp/got" "$tmp/want"; then
	echo "$(wc -l <"$tmp/addrs") addresses: frames as addr2line prints them"
	exit 0
fi
diff "$tmp/want" "$tmp/got" | head -40
exit 1

#!/bin/sh
# Graphs, folded stacks and flame graphs, with no `dot` program on PATH:
# cpprof draws with Graphviz in-process.
# usage: graphics.sh CPPROF DRAW_DOT TESTDATA TESTS_DIR
cpprof=$1
draw=$2
testdata=$3
tests=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/nodot"
passed=0
failed=0

pass() { passed=$((passed + 1)); }
fail() {
	failed=$((failed + 1))
	echo "FAIL $*" >&2
}
# Runs cpprof (or another program) with only an empty directory on PATH.
nodot() { PATH="$tmp/nodot" "$@"; }

cd "$testdata" || exit 1

# The SVG shows the graph of the DOT: pprof's DOT of the dot goldens,
# drawn as -svg draws the DOT report, node by node and edge by edge.
for id in cpu-dot cpu-dot-nf cpu-lines-dot heap-dot-inuse lab-dot-tagfocus node-dot block-dot-calltree; do
	if nodot "$draw" svg "golden/expected/$id.out" >"$tmp/$id.svg" &&
		python3 "$tests/svg_graph_check.py" "golden/expected/$id.out" "$tmp/$id.svg"; then
		pass
	else
		fail "$id: the SVG does not show the DOT's graph"
	fi
done

# Every format, without dot; the PDF opens in pdftoppm and gives a picture.
for format in pdf png gif ps; do
	if nodot "$draw" $format golden/expected/cpu-dot.out >"$tmp/graph.$format" && [ -s "$tmp/graph.$format" ]; then
		pass
	else
		fail "cpu-dot drawn as $format"
	fi
done
if pdftoppm -png -r 50 "$tmp/graph.pdf" "$tmp/page" && [ -s "$tmp/page-1.png" ] &&
	[ "$(head -c 4 "$tmp/page-1.png" | od -An -c | tr -d ' ')" = '211PNG' ]; then
	pass
else
	fail "pdftoppm could not read the PDF"
fi

# Folded stacks add up to the profile's samples, for every sample type.
check_folded() {
	profile=$1 index=$2
	shift 2
	if nodot "$cpprof" -folded -sample_index="$index" "$@" "$profile" >"$tmp/folded" &&
		python3 "$tests/folded_check.py" "$profile" "$index" <"$tmp/folded"; then
		pass
	else
		fail "-folded $* -sample_index=$index $profile"
	fi
}
for name in havlak-cpu havlak-heap contend-block contend-mutex contend-goroutine labels-cpu node-wall; do
	profile=profiles/$name.pb.gz
	types=$(python3 "$tests/folded_check.py" --sample-types "$profile")
	index=0
	while [ "$index" -lt "$types" ]; do
		check_folded "$profile" "$index"
		index=$((index + 1))
	done
done
for granularity in -lines -files -addresses -filefunctions -noinlines; do
	check_folded profiles/havlak-cpu.pb.gz 1 "$granularity"
done
if nodot "$cpprof" -folded -lines profiles/havlak-cpu.pb.gz | grep -q '^main\.main\.func2 [^;]*/main\.go:[0-9]*;'; then
	pass
else
	fail "-folded -lines names frames by function and line"
fi

# The flame graph opens in a browser without script errors and shows the
# root's total as -top -unit=auto prints it; #zoom=NAME zooms into a frame.
browser() {
	timeout 120 chromium --headless --no-sandbox --disable-gpu --user-data-dir="$tmp/chromium" \
		--enable-logging=stderr --v=0 --dump-dom "$1" 2>"$tmp/browser.log"
}
total=$(nodot "$cpprof" -top -nodecount=1 -unit=auto profiles/havlak-cpu.pb.gz | sed -n 's/.* of \(.*\) total$/\1/p')
if nodot "$cpprof" -flame profiles/havlak-cpu.pb.gz >"$tmp/flame.svg" && browser "file://$tmp/flame.svg" >"$tmp/dom" &&
	grep -q 'data-flame="ready"' "$tmp/dom" && ! grep -q 'Uncaught' "$tmp/browser.log" &&
	tr '\n' ' ' <"$tmp/dom" | grep -q "<title>root $total (100%)</title>"; then
	pass
else
	fail "-flame in a browser (total $total)"
	grep -i 'console' "$tmp/browser.log" | head -5 >&2
fi
# The graph's pan/zoom script: a wheel turn towards the reader zooms in
# around the pointer, a drag moves the graph by as much as the pointer.
cat >"$tmp/probe.js" <<'PROBE'
window.addEventListener("load", function () {
	var root = document.documentElement, viewport = document.getElementById("viewport");
	function matrix() { return viewport.transform.baseVal.consolidate().matrix; }
	var before = matrix();
	root.dispatchEvent(new WheelEvent("wheel", { deltaY: -120, clientX: 100, clientY: 100, cancelable: true }));
	var zoomed = matrix();
	root.dispatchEvent(new MouseEvent("mousedown", { button: 0, clientX: 100, clientY: 100 }));
	root.dispatchEvent(new MouseEvent("mousemove", { clientX: 150, clientY: 130 }));
	root.dispatchEvent(new MouseEvent("mouseup", {}));
	var moved = matrix();
	/* the point of the graph under the pointer stays there */
	var fixed = Math.abs((100 - zoomed.e) / zoomed.a - (100 - before.e) / before.a) < 0.05;
	var ok = zoomed.a > before.a && fixed && Math.abs(moved.e - zoomed.e - 50) < 0.01 &&
		Math.abs(moved.f - zoomed.f - 30) < 0.01 && moved.a === zoomed.a;
	root.setAttribute("data-probe", ok ? "ok" : [before.a, zoomed.a, zoomed.e, moved.e, moved.f].join(" "));
});
PROBE
{ sed 's|</svg>||' "$tmp/cpu-dot.svg"; printf '<script type="text/ecmascript"><![CDATA[\n'; cat "$tmp/probe.js"
	printf ']]></script>\n</svg>\n'; } >"$tmp/probe.svg"
if browser "file://$tmp/probe.svg" >"$tmp/dom" && grep -q 'data-panzoom="ready"' "$tmp/dom" &&
	grep -q 'data-probe="ok"' "$tmp/dom" && ! grep -q 'Uncaught' "$tmp/browser.log"; then
	pass
else
	fail "the graph's pan/zoom script in a browser: $(grep -o 'data-probe="[^"]*"' "$tmp/dom")"
	grep -i 'console' "$tmp/browser.log" | head -5 >&2
fi
if browser "file://$tmp/flame.svg#zoom=main.FindLoops" >"$tmp/dom" &&
	tr '\n' ' ' <"$tmp/dom" | grep -q '<title>main.FindLoops [^<]*</title><rect x="10.00" y="[0-9]*" width="1180.00"'; then
	pass
else
	fail "-flame zooms into a frame"
fi

# Away from a terminal: a graph meant for a terminal goes to profileNNN.svg.
mkdir "$tmp/tty" && cp profiles/havlak-cpu.pb.gz "$tmp/tty/"
if ! script -qec true /dev/null >/dev/null 2>&1; then
	echo "no pseudo-terminal here: -flame on a terminal not checked"
elif (cd "$tmp/tty" && TERM=xterm script -qec "'$cpprof' -flame havlak-cpu.pb.gz" /dev/null >"$tmp/tty.log" 2>&1) &&
	grep -q 'Generating report in profile001.svg' "$tmp/tty.log" && grep -q 'data-flame' "$tmp/tty/profile001.svg"; then
	pass
else
	fail "-flame on a terminal"
	cat "$tmp/tty.log" >&2
fi

# In the shell a drawing goes to profileNNN.svg too; `>file` sends a report to file.
mkdir "$tmp/shell"
if (cd "$tmp/shell" && printf 'flame\nflame\nfolded >stacks.txt\nquit\n' |
	nodot "$cpprof" "$testdata/profiles/havlak-cpu.pb.gz" >"$tmp/shell.out" 2>"$tmp/shell.err") &&
	grep -q '^Generating report in profile001.svg$' "$tmp/shell.err" &&
	grep -q '^Generating report in profile002.svg$' "$tmp/shell.err" &&
	grep -q 'data-flame' "$tmp/shell/profile002.svg" && [ -s "$tmp/shell/stacks.txt" ]; then
	pass
else
	fail "flame and folded in the shell"
	cat "$tmp/shell.err" >&2
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

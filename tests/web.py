#!/usr/bin/env python3
"""The web UI (-http) against the command line: every page must say what
the equivalent command prints, errors must read as on the command line,
and the server must start, refuse a port in use and stop on SIGTERM.

usage: web.py CPPROF TESTDATA
"""
import gzip
import html
import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import urllib.parse

CPPROF, TESTDATA = sys.argv[1], sys.argv[2]
HEAP = os.path.join(TESTDATA, "profiles", "havlak-heap.pb.gz")
failures = []
passed = 0


def check(name, ok, detail=""):
    global passed
    if ok:
        passed += 1
    else:
        failures.append(name)
        print("FAIL %s %s" % (name, detail), file=sys.stderr)


def start(address, *args):
    """Starts a server; returns the process and the port it serves on."""
    proc = subprocess.Popen([CPPROF, "-http=" + address, "-no_browser"] + list(args),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    line = proc.stderr.readline()
    m = re.match(r"Serving web UI on http://[^:]+:(\d+)$", line.strip())
    if not m:
        proc.kill()
        sys.exit("web.py: server did not start: %r" % line)
    return proc, int(m.group(1))


def get(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path)
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, dict(resp.getheaders()), body


def cli(*args):
    r = subprocess.run([CPPROF] + list(args), capture_output=True, text=True)
    return r.returncode, r.stdout, r.stderr


def cli_rows(text):
    """The top report's rows as (flat, flat%, sum%, cum, cum%, name)."""
    lines = text.split("\n")
    start = next(i for i, l in enumerate(lines) if l.split()[:1] == ["flat"]) + 1
    rows = []
    for line in lines[start:]:
        if line.strip():
            parts = line.split(None, 5)
            rows.append(tuple(parts))
    return rows


def web_rows(page):
    rows = []
    for tr in re.findall(r"<tr data-name=[^>]*>(.*?)</tr>", page, re.S):
        cells = [html.unescape(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
        rows.append(tuple(cells))
    return rows


def pre_text(page):
    m = re.search(r"<pre>(.*?)</pre>", page, re.S)
    return html.unescape(m.group(1)) if m else None


proc, port = start("localhost:", HEAP)
try:
    # Everything lives under /ui/; other paths are sent there with their query.
    status, headers, _ = get(port, "/?si=alloc_space")
    check("redirect", status == 307 and headers.get("Location") == "/ui/?si=alloc_space", (status, headers))
    status, _, body = get(port, "/ui/nothing")
    check("not-found", status == 404 and body == b"404 page not found\n", (status, body))

    # The graph: Graphviz's drawing of the dot report, inline.
    status, headers, body = get(port, "/ui/")
    page = body.decode()
    _, top, _ = cli("-top", "-nodecount=500", HEAP)
    first = re.sub(r" \((partial-)?inline\)$", "", cli_rows(top)[0][5])
    first_re = re.sub(r"([().*\[\]])", r"\\\1", first)
    check("graph", status == 200 and headers.get("Content-Type") == "text/html" and "<svg" in page and
          'id="viewport"' in page and first.split(".")[-1] in page, status)
    check("title", "<title>havlak inuse_space</title>" in page)
    # The graph's legend stands in the details box, not in the drawing.
    legend = re.search(r'<div id="ui-legend">(.*?)</div>', page, re.S)
    check("legend", 'class="cluster"' not in page and legend and
          "Showing nodes accounting for" in legend.group(1), legend)
    check("sample-menu", page.count("?si=") == 4 and 'class="ui-current">inuse_space<' in page)

    # The top table has the rows of -top -nodecount=500, with any setting of the URL.
    for query, flags in [("", []), ("?si=alloc_space", ["-sample_index=alloc_space"]),
                         ("?f=FindLoops&g=lines", ["-focus=FindLoops", "-lines"]),
                         ("?h=runtime&sort=cum", ["-hide=runtime", "-cum"])]:
        status, _, body = get(port, "/ui/top" + query)
        _, text, _ = cli("-top", "-nodecount=500", *flags, HEAP)
        want, got = cli_rows(text), web_rows(body.decode())
        check("top" + query, status == 200 and want and got == want, (status, len(got), len(want)))

    # Peek, source and disassembly: the text reports of the functions f matches.
    status, _, body = get(port, "/ui/peek?f=" + urllib.parse.quote(first_re))
    _, text, _ = cli("-peek=" + first_re, "-focus=" + first_re, "-lines", HEAP)
    check("peek", status == 200 and pre_text(body.decode()) == text, status)

    # The source view is weblist's listing.
    status, _, body = get(port, "/ui/source?f=" + urllib.parse.quote(first_re))
    check("source", status == 200 and b'<div class="weblist">' in body, status)

    # Errors: 400 and the command line's words.
    for query, flags in [("/ui/top?f=(", ["-top", "-focus=("]),
                         ("/ui/top?si=zzz", ["-top", "-sample_index=zzz"]),
                         ("/ui/peek?f=nosuchfunction", ["-peek=nosuchfunction", "-focus=nosuchfunction"])]:
        status, headers, body = get(port, query)
        code, _, err = cli(*flags, HEAP)
        message = body.decode().strip()
        check("error " + query, status == 400 and code == 2 and message and message in err,
              (status, message, err))
    # The report's warnings stand above it, as they go to stderr on the command line.
    status, _, body = get(port, "/ui/top?f=nosuchfunction")
    _, _, err = cli("-top", "-focus=nosuchfunction", HEAP)
    m = re.search(r'<div id="ui-notes">(.*?)</div>', body.decode(), re.S)
    check("notes", status == 200 and m and html.unescape(m.group(1)) == err, (status, m, err))
    status, _, body = get(port, "/ui/top?n=abc")
    check("bad-setting", status == 400 and body ==
          b'error setting config field nodecount: strconv.Atoi: parsing "abc": invalid syntax\n', body)

    # The flame graph, and the profile itself.
    status, _, body = get(port, "/ui/flamegraph?si=alloc_space")
    check("flame", status == 200 and b"Flame graph" in body and b"<svg" in body, status)
    status, headers, body = get(port, "/ui/download")
    tmp = tempfile.mkdtemp()
    saved = os.path.join(tmp, "profile.pb.gz")
    with open(saved, "wb") as f:
        f.write(body)
    check("download", status == 200 and headers.get("Content-Disposition") ==
          "attachment;filename=profile.pb.gz" and gzip.decompress(body) and
          cli("-top", saved)[1] == cli("-top", HEAP)[1], status)

    # Served on localhost, only 127.0.0.1 and ::1 are let in, as pprof checks.
    import socket
    sock = socket.socket()
    sock.bind(("127.0.0.2", 0))
    sock.connect(("127.0.0.1", port))
    sock.sendall(b"GET /ui/ HTTP/1.0\r\n\r\n")
    answer = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            break
        answer += chunk
    sock.close()
    check("remote-client", answer.startswith(b"HTTP/1.1 403") and answer.endswith(b"\r\n\r\npermission denied\n"),
          answer[:200])

    # A port in use is refused with Go's words.
    code, _, err = cli("-http=127.0.0.1:%d" % port, "-no_browser", HEAP)
    check("port-in-use", code == 2 and
          "listen tcp 127.0.0.1:%d: bind: address already in use" % port in err, (code, err))

    # In a browser the scripts run to their end: pages, graph pan/zoom, flame graph.
    browser = shutil.which("chromium")
    if browser:
        for path, mark in [("/ui/", 'data-panzoom="ready"'), ("/ui/top", 'data-ui="ready"'),
                           ("/ui/flamegraph", 'data-flame="ready"')]:
            dom = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom",
                                  "http://localhost:%d%s" % (port, path)],
                                 capture_output=True, text=True, timeout=120).stdout
            check("browser " + path, mark in dom and 'data-ui="ready"' in dom)
    shutil.rmtree(tmp)
finally:
    proc.send_signal(signal.SIGTERM)
    try:
        code = proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        code = "hung"
check("stop", code == 0, code)

# weblist: list's lines, each sampled line followed by the instructions sampled on it,
# disassembled as -disasm prints them.
tmp = tempfile.mkdtemp()
page = os.path.join(tmp, "weblist.html")
args = ["-source_path=" + os.path.join(TESTDATA, "src"), "-trim_path=/build",
        os.path.join(TESTDATA, "bin", "havlak"), os.path.join(TESTDATA, "profiles", "havlak-cpu.pb.gz")]
code, _, err = cli("-weblist=numberDFS", "-output=" + page, *args)
text = open(page).read() if code == 0 else ""
rows = [html.unescape(m) for m in re.findall(r"<span(?: class=\"live\")?>(.*?)\n</span>", text, re.S)]
_, listing, _ = cli("-list=numberDFS", *args)
want = [l for l in listing.split("\n") if re.match(r"^ +\S+ +\S+ +\d+:", l)]
# cum may differ: a sample through two instructions of one line counts on both
def flat_and_source(line):
    flat, _, rest = line.split(None, 2)
    return flat, rest
check("weblist-lines", code == 0 and len(want) > 10 and
      [flat_and_source(l) for l in rows] == [flat_and_source(l) for l in want], (code, err, len(rows), len(want)))
_, disasm, _ = cli("-disasm=numberDFS", *args)
instructions = dict(re.findall(r"^ +\S+ +\S+ +([0-9a-f]+): (.*?)(?: +;.*)?$", disasm, re.M))
asm = re.findall(r"^ +\S+ +\S+ +([0-9a-f]+): (.*)$", "".join(re.findall(r'<span class="asm">(.*?)</span>', text, re.S)),
                 re.M)
check("weblist-asm", asm and all(instructions.get(a) == html.unescape(t) for a, t in asm),
      [(a, t, instructions.get(a)) for a, t in asm if instructions.get(a) != html.unescape(t)][:3])
shutil.rmtree(tmp)

# Without -no_browser a browser ($BROWSER first) is started on the first page, whose URL
# carries the command line's settings; it must not inherit the server's blocked signals.
tmp = tempfile.mkdtemp()
record = os.path.join(tmp, "browser.txt")
script = os.path.join(tmp, "browser.py")
with open(script, "w") as f:  # not a shell script: shells clear their signal mask
    f.write("#!%s\nimport os, sys\n"
            "blocked = [l for l in open('/proc/self/status') if l.startswith('SigBlk')][0]\n"
            "open(%r, 'w').write(sys.argv[1] + '\\n' + blocked)\n"
            "os.rename(%r, %r)\n" % (sys.executable, record + ".part", record + ".part", record))
os.chmod(script, 0o755)
env = dict(os.environ, BROWSER=script)
proc = subprocess.Popen([CPPROF, "-http=localhost:", "-focus=main", "-nodecount=10", HEAP],
                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
line = proc.stderr.readline()
for _ in range(100):
    if os.path.exists(record):
        break
    subprocess.run(["sleep", "0.1"])
proc.send_signal(signal.SIGINT)
code = proc.wait(timeout=20)
lines = open(record).read().split("\n") if os.path.exists(record) else ["", ""]
m = re.match(r"Serving web UI on (http://localhost:\d+)$", line.strip())
check("browser-url", m and lines[0] == m.group(1) + "?f=main&n=10", (line, lines))
check("browser-signals", lines[1].split() == ["SigBlk:", "0000000000000000"], lines)
check("interrupt", code == 0, code)
shutil.rmtree(tmp)

# The pages' scripts, driven in headless Chromium: selecting, searching, sorting, the menus.
browser_path = shutil.which("chromium")
if browser_path:
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from browser import Browser
    proc, port = start("localhost:", "-source_path=" + os.path.join(TESTDATA, "src"), "-trim_path=/build",
                       os.path.join(TESTDATA, "bin", "havlak"), os.path.join(TESTDATA, "profiles", "havlak-cpu.pb.gz"))
    base = "http://localhost:%d/ui/" % port
    try:
        with Browser(browser_path) as b:
            # a click on a graph node selects it and writes its name as a regexp into the search box
            b.open(base)
            search = b.eval("""(function () {
                var g = Array.prototype.filter.call(document.querySelectorAll("#ui-graph g.node"),
                    function (g) { return /^N\\d+$/.test(g.querySelector("title").textContent); })[0];
                g.dispatchEvent(new MouseEvent("click", { bubbles: true }));
                return g.classList.contains("ui-selected") ? document.getElementById("ui-search").value : null;
            })()""")
            check("js-select-node", search and re.match(r"^\^.*\$$", search), search)
            # View > Peek takes the selection to the peek page
            b.eval('document.querySelector("a[href^=\'./peek\']").click()')
            ok = b.wait_for('location.pathname === "/ui/peek" && document.querySelector("pre") !== null')
            check("js-view-peek", ok and b.eval("new URL(location.href).searchParams.get('f')") == search,
                  b.eval("location.href"))
            # typing highlights the rows it matches; Refine > Ignore ignores them
            b.open(base + "top")
            counts = b.eval("""(function () {
                var s = document.getElementById("ui-search");
                s.value = "runtime";
                s.dispatchEvent(new Event("input"));
                var rows = document.querySelectorAll("#ui-top tbody tr");
                var want = Array.prototype.filter.call(rows, function (r) { return /runtime/.test(r.getAttribute("data-name")); });
                return [document.querySelectorAll("#ui-top tr.ui-match").length, want.length];
            })()""")
            check("js-search", counts and counts[0] == counts[1] > 0, counts)
            b.eval('document.querySelector("a[data-param=i]").click()')
            ok = b.wait_for('location.pathname === "/ui/top" && location.search === "?i=runtime"')
            check("js-refine-ignore", ok and b.eval('document.querySelector("#ui-top tr[data-name^=runtime]")') is None,
                  b.eval("location.href"))
            # a click on a column's header sorts the table by it
            b.open(base + "top")
            cums = b.eval("""(function () {
                document.querySelectorAll("#ui-top th")[3].click();
                return Array.prototype.map.call(document.querySelectorAll("#ui-top tbody tr"),
                    function (r) { return Math.abs(Number(r.cells[3].getAttribute("data-v"))); });
            })()""")
            check("js-sort", cums and cums == sorted(cums, reverse=True) and cums != b.eval(
                "Array.prototype.map.call(document.querySelectorAll('#ui-top tbody tr'), function (r) { return 0; })"),
                  cums[:5] if cums else cums)
            # weblist: a click on a sampled line shows its instructions
            b.open(base + "source?f=numberDFS")
            shown = b.eval("""(function () {
                var line = document.querySelector(".weblist .live");
                line.dispatchEvent(new MouseEvent("click", { bubbles: true }));
                var asm = line.nextElementSibling;
                return asm.classList.contains("shown") && getComputedStyle(asm).display !== "none" ? asm.textContent : null;
            })()""")
            check("js-weblist", shown and re.search(r"[0-9a-f]+: \S", shown), shown)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)

print("%d passed, %d failed" % (passed, len(failures)))
sys.exit(1 if failures else 0)

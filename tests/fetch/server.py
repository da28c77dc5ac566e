#!/usr/bin/env python3
"""A pprof endpoint on 127.0.0.1 for cpprof's fetch tests.

usage: server.py PROFILES_DIR PORT_FILE LOG_FILE [CERT KEY]

Serves the shared test profiles under Go's net/http/pprof paths, plus
paths that misbehave on purpose.  It listens on an ephemeral loopback
port, writes the port number to PORT_FILE once it accepts connections,
appends every request line to LOG_FILE, and exits by itself after
LIFETIME seconds so that it never outlives a test run.  With CERT and KEY
it speaks TLS.

Paths:
  /debug/pprof/profile     havlak-cpu.pb.gz, after sleeping ?seconds=N
  /debug/pprof/NAME        heap, allocs, goroutine, block, mutex, threadcreate
  /file/NAME               any file of PROFILES_DIR, as it is
  /raw/NAME                a .pb.gz of PROFILES_DIR, inflated
  /unsym/debug/pprof/...   an unsymbolized profile (the mapping has no file)
  /unsym-file/debug/pprof/... the same, its mapping names /build/remote/remote
  /unsym*/debug/pprof/symbol  answers symbol queries (POST) as net/http/pprof
  /nosym/debug/pprof/profile  the unsymbolized profile; its symbol path is 404
  /status/N                that HTTP status, with Python's HTML body
  /pprof-error             500 from a pprof handler: X-Go-Pprof, text body
  /redirect                302 to /debug/pprof/heap
  /hang                    accepts the request, never answers
  /hang-body               answers the headers, then never sends the body
  /close                   closes the connection without an answer
  /garbage                 200 with a body that is no profile
  /empty                   200 with an empty body
"""

import gzip
import http.server
import os
import ssl
import sys
import threading
import time
import urllib.parse

LIFETIME = 300
MAX_SLEEP = 30

PROFILES = {
    "profile": "havlak-cpu.pb.gz",
    "heap": "havlak-heap.pb.gz",
    "allocs": "havlak-allocs.pb.gz",
    "goroutine": "contend-goroutine.pb.gz",
    "block": "contend-block.pb.gz",
    "mutex": "contend-mutex.pb.gz",
    "threadcreate": "contend-threadcreate.pb.gz",
}

# The unsymbolized profile's functions, by address.
SYMBOLS = {
    0x401000: "main.leaf",
    0x401100: "main.middle",
    0x401200: "main.main",
    0x401300: "runtime.main",
}


def varint(v):
    out = bytearray()
    while v >= 0x80:
        out.append((v & 0x7F) | 0x80)
        v >>= 7
    out.append(v)
    return bytes(out)


def field_varint(n, v):
    return varint(n << 3) + varint(v)


def field_bytes(n, b):
    return varint(n << 3 | 2) + varint(len(b)) + b


def packed(n, values):
    return field_bytes(n, b"".join(varint(v) for v in values))


def unsymbolized_profile(mapping_file):
    """A CPU profile whose locations have addresses but no lines."""
    strings = ["", "samples", "count", "cpu", "nanoseconds", mapping_file]
    index = {s: i for i, s in enumerate(strings)}
    msg = b""
    for t, u in (("samples", "count"), ("cpu", "nanoseconds")):
        msg += field_bytes(1, field_varint(1, index[t]) + field_varint(2, index[u]))
    stacks = [
        ([0x401000, 0x401100, 0x401200, 0x401300], 70),
        ([0x401100, 0x401200, 0x401300], 20),
        ([0x401200, 0x401300], 10),
    ]
    for stack, n in stacks:
        ids = [list(SYMBOLS).index(a) + 1 for a in stack]
        msg += field_bytes(2, packed(1, ids) + packed(2, [n, n * 10000000]))
    mapping = field_varint(1, 1) + field_varint(2, 0x400000) + field_varint(3, 0x800000)
    mapping += field_varint(5, index[mapping_file])
    msg += field_bytes(3, mapping)
    for i, addr in enumerate(SYMBOLS):
        msg += field_bytes(4, field_varint(1, i + 1) + field_varint(2, 1) + field_varint(3, addr))
    for s in strings:
        msg += field_bytes(6, s.encode())
    msg += field_varint(9, 1700000000 * 10**9)
    msg += field_varint(10, 10**9)
    msg += field_bytes(11, field_varint(1, index["cpu"]) + field_varint(2, index["nanoseconds"]))
    msg += field_varint(12, 10000000)
    return gzip.compress(msg, mtime=0)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def log_request_line(self):
        with open(self.server.log_file, "a") as log:
            log.write("%s %s\n" % (self.command, self.path))

    def send_body(self, body, content_type="application/octet-stream", status=200, headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def read_profile(self, name):
        with open(os.path.join(self.server.profiles, os.path.basename(name)), "rb") as f:
            return f.read()

    def do_GET(self):
        self.log_request_line()
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        path = url.path
        if path.startswith("/debug/pprof/") and path[13:] in PROFILES:
            seconds = query.get("seconds", ["0"])[0]
            time.sleep(min(max(int(seconds), 0), MAX_SLEEP) if seconds.isdigit() else 0)
            return self.send_body(self.read_profile(PROFILES[path[13:]]))
        if path.startswith("/file/"):
            return self.send_body(self.read_profile(path[6:]))
        if path.startswith("/raw/"):
            return self.send_body(gzip.decompress(self.read_profile(path[5:])))
        if path in ("/unsym/debug/pprof/profile", "/nosym/debug/pprof/profile"):
            return self.send_body(unsymbolized_profile(""))
        if path == "/unsym-file/debug/pprof/profile":
            return self.send_body(unsymbolized_profile("/build/remote/remote"))
        if path.startswith("/status/"):
            return self.send_error(int(path[8:]))
        if path == "/pprof-error":
            body = b"Could not enable CPU profiling: cpu profiling already in use\n"
            return self.send_body(body, "text/plain; charset=utf-8", 500,
                                  [("X-Go-Pprof", "1"), ("X-Content-Type-Options", "nosniff")])
        if path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/debug/pprof/heap")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if path == "/hang":
            time.sleep(MAX_SLEEP)
            return
        if path == "/hang-body":
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b"\x1f\x8b")
            self.wfile.flush()
            time.sleep(MAX_SLEEP)
            return
        if path == "/close":
            self.close_connection = True
            return
        if path == "/garbage":
            return self.send_body(b"this is not a profile\n", "text/plain")
        if path == "/empty":
            return self.send_body(b"")
        return self.send_error(404)

    def do_POST(self):
        self.log_request_line()
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length).decode()
        if self.path not in ("/unsym/debug/pprof/symbol", "/unsym-file/debug/pprof/symbol"):
            return self.send_error(404)
        with open(self.server.log_file, "a") as log:
            log.write("BODY %s\n" % body)
        # net/http/pprof's Symbol handler: a count line, then "ADDR NAME" per known address.
        out = "num_symbols: 1\n"
        for word in body.split("+"):
            addr = int(word, 0)
            if addr in SYMBOLS:
                out += "%#x %s\n" % (addr, SYMBOLS[addr])
        return self.send_body(out.encode(), "text/plain; charset=utf-8")


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


def main():
    profiles, port_file, log_file = sys.argv[1:4]
    server = Server(("127.0.0.1", 0), Handler)
    server.profiles = profiles
    server.log_file = log_file
    if len(sys.argv) == 6:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[4], sys.argv[5])
        server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Timer(LIFETIME, os._exit, [0]).start()
    tmp = port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.rename(tmp, port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()

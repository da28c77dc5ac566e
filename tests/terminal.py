#!/usr/bin/env python3
"""Drives cpprof's shell on a pseudo-terminal, as a user at a keyboard
would: tab completion of a command, a variable name, a variable value and
a function name; history recall with the up arrow, across sessions too
($HOME/.pprof_history); Ctrl-C dropping a line; Ctrl-D leaving.

usage: terminal.py CPPROF TESTDATA
"""
import os
import pty
import re
import select
import sys
import tempfile
import time

ESCAPES = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>]|\r|\x07")
failures = 0


class Session:
    """cpprof on a pty; `out` collects what the terminal shows, escapes removed."""

    def __init__(self, cpprof, testdata, home, profile):
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home,
               "TERM": "xterm", "TZ": "UTC", "LANG": "C.UTF-8"}
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.chdir(testdata)
            os.execve(cpprof, [cpprof, profile], env)
        self.raw = b""

    @property
    def out(self):
        return ESCAPES.sub(b"", self.raw).decode("utf-8", "replace")

    def read(self, timeout):
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return False
        try:
            data = os.read(self.fd, 65536)
        except OSError:
            return False
        self.raw += data
        return bool(data)

    def expect(self, pattern, count=1, timeout=60):
        """Waits until pattern (a regex) has appeared count times in the output."""
        deadline = time.time() + timeout
        while len(re.findall(pattern, self.out)) < count:
            left = deadline - time.time()
            if left <= 0 or not self.read(left):
                return False
        return True

    def send(self, keys):
        os.write(self.fd, keys.encode())

    def prompt(self, n):
        return self.expect(r"\(pprof\) ", n)

    def exit_status(self, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return os.waitstatus_to_exitcode(status)
            self.read(0.1)
        os.kill(self.pid, 9)
        os.waitpid(self.pid, 0)
        return None


def check(what, ok, session):
    global failures
    if ok:
        return
    failures += 1
    print("FAIL %s; the terminal shows:\n%s" % (what, session.out[-3000:]), file=sys.stderr)


def main():
    cpprof, testdata = os.path.abspath(sys.argv[1]), sys.argv[2]
    try:
        master, slave = os.openpty()
        os.close(master)
        os.close(slave)
    except OSError as e:
        print("no pseudo-terminal to test with (%s): skipped" % e)
        return 77	# meson's exit status for a skipped test
    home = tempfile.mkdtemp()
    s = Session(cpprof, testdata, home, "profiles/havlak-heap.pb.gz")
    check("greeting", s.expect(r"Entering interactive mode") and s.prompt(1), s)

    s.send("optio\t\n")		# a command
    check("command completion", s.expect(r"sample_index +\= inuse_space +//: \[alloc_objects") and
          s.prompt(2), s)

    s.send("sample_ind\talloc_s\t\n")	# a variable, then a value
    check("variable completion", s.prompt(3), s)
    s.send("o\n")
    check("value completion", s.expect(r"sample_index +\= alloc_space ") and s.prompt(4), s)

    s.send("top2 FindL\t\n")		# a function name, found by substring
    check("function completion", s.expect(r"focus=main\.FindLoops\n") and s.prompt(5), s)

    s.send("granularity=f\t\t")		# ambiguous: extends to "f", then lists
    check("candidates listed", s.expect(r"filefunctions +files +functions"), s)
    time.sleep(0.5)			# let the candidates' redraw finish before editing
    s.send("\x15")			# Ctrl-U: kill the line
    time.sleep(0.5)

    s.send("top1\n")
    check("top1", s.expect(r"Showing top 1 nodes out of") and s.prompt(7), s)
    s.send("\x1b[A\n")			# up arrow recalls top1
    check("history recall", s.expect(r"Showing top 1 nodes out of", 2) and s.prompt(8), s)

    s.send("garbage")
    time.sleep(0.3)
    s.send("\x03")			# Ctrl-C drops the line
    check("Ctrl-C", s.expect(r"\^C") and s.prompt(9), s)
    s.send("\x04")			# Ctrl-D leaves
    status = s.exit_status()
    check("Ctrl-D exit status %r" % status, status == 0, s)
    check("Ctrl-C ran nothing", "garbage" not in s.out.split("^C")[-1] and
          'unrecognized command: "garbage"' not in s.out, s)

    history = open(os.path.join(home, ".pprof_history")).read().splitlines()
    check("history file %r" % history, history[-2:] == ["top2 main.FindLoops ", "top1"] and
          "options" in history, s)

    s = Session(cpprof, testdata, home, "profiles/havlak-heap.pb.gz")
    check("second session", s.prompt(1), s)
    s.send("\x1b[A\x1b[A\n")		# two lines back: the history file was read
    check("history across sessions", s.expect(r"focus=main\.FindLoops\n") and s.prompt(2), s)
    s.send("quit\n")
    check("quit", s.exit_status() == 0, s)

    print("%d failed" % failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

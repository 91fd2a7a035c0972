#!/usr/bin/env python3
"""ptydrive: run a terminal program in a pseudo-terminal and time what it draws.

Used by bench/run; standard library only. Every program runs in a new
pseudo-terminal of --cols x --rows (120x40), in its own session with the
pty as its controlling terminal, with the environment bench/run gives. No
one answers the program's terminal queries (as on a terminal that does not
know them): keyhole and the floor program face the same silence.

  first-frame  start -> first appearance of a marker in the output
               (ANSI sequences stripped), the programs interleaved run by
               run; prints {"name": [ms, ...], ...}
  keys         keypress -> frame for a program that needs no setup (the
               floor program); prints {"j": [ms...], "pgdown": [...],
               "bytes": {...}, "tick_bytes": [...], "lost": N}
  keyhole-big  keyhole on a config whose first provider's first saved
               request is a big body: Enter selects the provider (the
               composer fills with that request), ctrl+s sends it, and the
               driver times ctrl+s -> "200 OK" and -> the body's status row
               ("line 1/"), reads the peak resident set from /proc, moves
               the focus to the Response pane (3 x tab) and times scroll
               keys to frame; prints one JSON object per session.
  keyhole-spec keyhole on a config whose first provider's openapi is a
               big spec (73 MB): o opens the picker, which starts loading
               the spec off the UI loop; the driver types into the filter
               at once ("r", then backspace, and again) and times each key
               to its frame while the spec loads, then o -> the operations
               listed (--listed, a path fragment, on screen), a few keys
               more with the operations in the list, enter -> the composer
               filled (--filled), and reads the peak resident set; prints
               one JSON object per session.

A frame is the burst of output that follows a key: from the key's write to
the last byte of the burst (no byte for --gap ms after it). keyhole redraws
its token countdown every second; so as not to take that redraw for a
key's frame, keys are sent only in the 0.6 s after a countdown redraw,
when the next one is about 0.4 s away; the sizes of the key frames and of
the countdown redraws are kept, to show the two apart. Between keys the
driver pauses a random 5-22 ms: Bubble Tea draws on a ticker (60 Hz by default, keyhole 120), and
keys sent in step with it would all wait the same part of a tick.
"""

import argparse
import fcntl
import json
import os
import random
import re
import select
import shlex
import shutil
import signal
import struct
import subprocess
import sys
import termios
import time

KEYS = {
    "j": b"j",
    "k": b"k",
    "pgdown": b"\x1b[6~",
    "pgup": b"\x1b[5~",
    "tab": b"\t",
    "enter": b"\r",
    "ctrl+s": b"\x13",
    "q": b"q",
    "o": b"o",
    "r": b"r",
    "backspace": b"\x7f",
    "esc": b"\x1b",
}
# Scroll keys are sent in pairs (down, then back up), as the in-process
# benchmark does, so every key moves the view.
BACK = {"j": "k", "pgdown": "pgup"}

ANSI = re.compile(
    rb"\x1b(?:\[[0-?]*[ -/]*[@-~]"  # CSI
    rb"|\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC
    rb"|[PX^_][^\x1b]*\x1b\\"  # DCS, SOS, PM, APC
    rb"|[ -/]*[0-~])"  # two- and three-byte escapes
)

LIVE = []


def now():
    return time.perf_counter()


def _ctty():
    # In the child, after setsid (start_new_session): the pty becomes the
    # controlling terminal, as a terminal emulator's shell has it.
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Pty:
    def __init__(self, argv, cols, rows, dump=None):
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.fd = master
        self.buf = bytearray()
        self.reads = []  # (end offset in buf, time) of every read
        self.dump = open(dump, "ab") if dump else None
        self.t0 = now()
        self.proc = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            start_new_session=True,
            preexec_fn=_ctty,
            close_fds=True,
        )
        os.close(slave)
        LIVE.append(self)
        self.eof = False

    def read(self, timeout):
        """Read what is there within timeout seconds; returns (bytes, time)."""
        if self.eof:
            return b"", now()
        r, _, _ = select.select([self.fd], [], [], max(0.0, timeout))
        if not r:
            return b"", now()
        try:
            data = os.read(self.fd, 1 << 16)
        except OSError:
            data = b""
        t = now()
        if not data:
            self.eof = True
        self.buf += data
        self.reads.append((len(self.buf), t))
        if self.dump:
            self.dump.write(data)
        return data, t

    def wait_text(self, text, since, timeout):
        """Wait until text appears, ANSI stripped, in the output from offset
        since; returns the time of the read that completed it, or None."""
        deadline = now() + timeout
        needle = text.encode()
        while needle not in ANSI.sub(b"", bytes(self.buf[since:])):
            left = deadline - now()
            if left <= 0 or self.eof:
                return None
            self.read(left)
        for end, t in self.reads:
            if end > since and needle in ANSI.sub(b"", bytes(self.buf[since:end])):
                return t
        return now()

    def drain(self, quiet, limit=5.0):
        """Read until no byte comes for quiet seconds; returns the time of
        the last byte read (or None)."""
        last = None
        deadline = now() + limit
        while now() < deadline:
            data, t = self.read(quiet)
            if not data:
                return last
            last = t

    def send(self, key):
        os.write(self.fd, KEYS[key])
        return now()

    def frame(self, key, gap, timeout=2.0):
        """Send key; return (ms to the last byte of the burst it caused, bytes)."""
        start = len(self.buf)
        t = self.send(key)
        data, first = self.read(timeout)
        if not data:
            return None, 0
        last = first
        while True:
            data, tt = self.read(gap)
            if not data:
                break
            last = tt
        return (last - t) * 1000, len(self.buf) - start

    def status(self):
        out = {}
        try:
            with open(f"/proc/{self.proc.pid}/status") as f:
                for line in f:
                    k, _, v = line.partition(":")
                    if k in ("VmHWM", "VmRSS"):
                        out[k] = int(v.split()[0])  # KiB
        except OSError:
            pass
        return out

    def close(self, quit_key="q"):
        if self.proc.poll() is None:
            try:
                self.send(quit_key)
            except OSError:
                pass
            deadline = now() + 3
            while self.proc.poll() is None and now() < deadline:
                self.read(0.05)
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except OSError:
                pass
            self.proc.wait()
        os.close(self.fd)
        if self.dump:
            self.dump.close()
        LIVE.remove(self)


def kill_all(*_):
    for p in list(LIVE):
        try:
            os.killpg(p.proc.pid, signal.SIGKILL)
        except OSError:
            pass
    sys.exit(1)


def first_frame(a):
    progs = []
    for spec in a.prog:
        name, _, cmd = spec.partition("=")
        progs.append((name, shlex.split(cmd)))
    out = {name: [] for name, _ in progs}
    for i in range(a.warmup + a.runs):
        for name, argv in progs:
            p = Pty(argv, a.cols, a.rows, a.dump)
            t = p.wait_text(a.marker, 0, a.timeout)
            if t is None:
                tail = ANSI.sub(b"", bytes(p.buf[-400:])).decode(errors="replace")
                p.close()
                sys.exit(f"ptydrive: {name}: no {a.marker!r} on screen within {a.timeout}s; it printed: {tail!r}")
            ms = (t - p.t0) * 1000
            p.drain(0.05, limit=1)
            p.close()
            if i >= a.warmup:
                out[name].append(round(ms, 3))
    print(json.dumps(out))


def scroll_keys(p, a, tick_sync):
    """Time a.keys samples of each scroll key; keys in down/up pairs."""
    res = {"j": [], "pgdown": [], "bytes": {"j": [], "pgdown": []}, "tick_bytes": [], "lost": 0}
    p.drain(0.1)
    for key in ("j", "pgdown"):
        pending = [key, BACK[key]] * ((a.keys + 1) // 2)
        while pending:
            if tick_sync:
                start = len(p.buf)
                data, tick = p.read(1.5)  # the next countdown redraw
                if not data:
                    sys.exit("ptydrive: no countdown redraw within 1.5 s; cannot sync to it")
                p.drain(a.gap / 1000)
                res["tick_bytes"].append(len(p.buf) - start)
            else:
                tick = now()
            while pending and now() - tick < 0.6:
                k = pending.pop(0)
                ms, n = p.frame(k, a.gap / 1000)
                if ms is None:
                    res["lost"] += 1
                    continue
                res[key].append(round(ms, 3))
                res["bytes"][key].append(n)
                # A random pause: Bubble Tea draws on a ticker (60 or 120 Hz), and
                # keys sent in step with it would all wait the same time.
                time.sleep(random.uniform(0.005, 0.005 + 1 / 60))
        res[key] = res[key][: a.keys]
    return res


def keys(a):
    p = Pty(shlex.split(a.cmd), a.cols, a.rows, a.dump)
    if p.wait_text(a.marker, 0, a.timeout) is None:
        p.close()
        sys.exit(f"ptydrive: no {a.marker!r} on screen")
    res = scroll_keys(p, a, tick_sync=False)
    p.close()
    print(json.dumps(res))


def keyhole_big(a):
    sessions = []
    for _ in range(a.sessions):
        p = Pty(shlex.split(a.cmd), a.cols, a.rows, a.dump)
        s = {}
        if p.wait_text("Providers", 0, a.timeout) is None:
            p.close()
            sys.exit("ptydrive: keyhole drew no Providers pane")
        p.drain(0.2)
        mark = len(p.buf)
        p.send("enter")  # select the first provider: the composer takes its first saved request
        if p.wait_text(a.path, mark, a.timeout) is None or p.wait_text("valid", mark, a.timeout) is None:
            tail = ANSI.sub(b"", bytes(p.buf[-2000:])).decode(errors="replace")
            p.close()
            sys.exit(f"ptydrive: after enter, no {a.path!r} in the composer and a valid token; screen: {tail!r}")
        p.drain(0.2)
        mark = len(p.buf)
        t = p.send("ctrl+s")
        t_status = p.wait_text("200 OK", mark, a.timeout)
        t_body = p.wait_text("line 1/", mark, a.timeout)
        if t_status is None or t_body is None:
            tail = ANSI.sub(b"", bytes(p.buf[-2000:])).decode(errors="replace")
            p.close()
            sys.exit(f"ptydrive: the body did not show within {a.timeout}s; screen: {tail!r}")
        text = ANSI.sub(b"", bytes(p.buf[mark:])).decode(errors="replace")
        m = re.search(r"200 OK · ([0-9.]+) (ms|s) · [0-9.]+ [KMG]?B", text)
        s["send_to_status_ms"] = round((t_status - t) * 1000, 1)
        s["send_to_body_ms"] = round((t_body - t) * 1000, 1)
        if m:
            resp = float(m.group(1)) * (1000 if m.group(2) == "s" else 1)
            s["response_ms"] = resp  # keyhole's own: request sent -> last byte of the body
            s["response_to_body_ms"] = round(s["send_to_body_ms"] - resp, 1)
        time.sleep(0.5)
        p.drain(0.05)
        s.update(p.status())
        for _ in range(3):  # Providers -> Token -> Request -> Response
            p.send("tab")
            p.drain(0.05)
        s.update(scroll_keys(p, a, tick_sync=True))
        p.close()
        sessions.append(s)
    print(json.dumps(sessions))


def keyhole_spec(a):
    sessions = []
    for _ in range(a.sessions):
        if a.clear:
            shutil.rmtree(a.clear, ignore_errors=True)  # a cold cache every session
        p = Pty(shlex.split(a.cmd), a.cols, a.rows, a.dump)
        if p.wait_text("Providers", 0, a.timeout) is None:
            p.close()
            sys.exit("ptydrive: keyhole drew no Providers pane")
        # Anything drawn while idle would be taken for a key's frame: say so.
        p.drain(0.2)
        mark = len(p.buf)
        p.drain(1.0, limit=1.0)
        s = {"idle_bytes": len(p.buf) - mark, "loading": [], "loaded": [], "bytes": [], "lost": 0}
        mark = len(p.buf)
        t_open = p.send("o")
        p.drain(a.gap / 1000, limit=1.0)
        # Type while the spec loads: each key is answered by a frame (the
        # filter's echo), the list then changing with it once it is there.
        listed, after = None, 0
        seq = ["r", "backspace"]
        i = 0
        deadline = now() + a.timeout
        while after < a.keys and now() < deadline:
            k = seq[i % 2]
            i += 1
            # What is left of the last frame is read first, not taken
            # for this key's.
            p.drain(a.gap / 1000, limit=0.5)
            t_key = now()
            ms, n = p.frame(k, a.gap / 1000)
            if listed is None and "{owner}".encode() in ANSI.sub(b"", bytes(p.buf[mark:])) and a.listed.encode() in ANSI.sub(b"", bytes(p.buf[mark:])):
                listed = p.wait_text(a.listed, mark, 0)
            if ms is None:
                s["lost"] += 1
                continue
            # A key sent before the list appeared was answered while the
            # spec loaded (its frame may be the one that listed them).
            if listed is None or t_key < listed:
                s["loading"].append(round(ms, 3))
                s.setdefault("loading_at_ms", []).append(round((t_key - t_open) * 1000, 1))
            else:
                s["loaded"].append(round(ms, 3))
                after += 1
            s["bytes"].append(n)
            time.sleep(random.uniform(0.005, 0.005 + 1 / 60))
        if listed is None:
            tail = ANSI.sub(b"", bytes(p.buf[-2000:])).decode(errors="replace")
            p.close()
            sys.exit(f"ptydrive: no {a.listed!r} listed within {a.timeout}s of o; screen: {tail!r}")
        s["open_to_listed_ms"] = round((listed - t_open) * 1000, 1)
        # The filter is empty again (keys in pairs): choose the first
        # operation, and wait for the composer to show its path.
        if i % 2:
            p.frame("backspace", a.gap / 1000)
        p.drain(0.1)
        mark = len(p.buf)
        t = p.send("enter")
        filled = p.wait_text(a.filled, mark, a.timeout)
        if filled is not None:
            s["enter_to_filled_ms"] = round((filled - t) * 1000, 1)
        time.sleep(0.3)
        p.drain(0.05)
        s.update(p.status())
        p.close(quit_key="esc")
        sessions.append(s)
    print(json.dumps(sessions))


def main():
    signal.signal(signal.SIGTERM, kill_all)
    signal.signal(signal.SIGINT, kill_all)
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cols", type=int, default=120)
    ap.add_argument("--rows", type=int, default=40)
    ap.add_argument("--timeout", type=float, default=15)
    ap.add_argument("--gap", type=float, default=8, help="ms of silence that ends a frame's burst")
    ap.add_argument("--dump", help="append everything the programs print to this file")
    sub = ap.add_subparsers(dest="cmd_name", required=True)
    f = sub.add_parser("first-frame")
    f.add_argument("--prog", action="append", required=True, help="NAME=COMMAND")
    f.add_argument("--marker", default="Providers")
    f.add_argument("--runs", type=int, default=20)
    f.add_argument("--warmup", type=int, default=2)
    f.set_defaults(run=first_frame)
    k = sub.add_parser("keys")
    k.add_argument("--cmd", required=True)
    k.add_argument("--marker", default="Providers")
    k.add_argument("--keys", type=int, default=20)
    k.set_defaults(run=keys)
    b = sub.add_parser("keyhole-big")
    b.add_argument("--cmd", required=True)
    b.add_argument("--path", default="/api/big", help="what the composer shows once the provider is selected (the path; the query has its own field)")
    b.add_argument("--sessions", type=int, default=3)
    b.add_argument("--keys", type=int, default=10)
    b.set_defaults(run=keyhole_big)
    sp = sub.add_parser("keyhole-spec")
    sp.add_argument("--cmd", required=True)
    sp.add_argument("--listed", default="{owner}/{repo}", help="what an operation's row shows once the spec is listed")
    sp.add_argument("--filled", default="{{owner}}", help="what the composer shows once an operation is chosen")
    sp.add_argument("--clear", help="a folder removed before each session (the spec cache: every session loads cold)")
    sp.add_argument("--sessions", type=int, default=3)
    sp.add_argument("--keys", type=int, default=10, help="keys timed after the operations are listed")
    sp.set_defaults(run=keyhole_spec)
    a = ap.parse_args()
    a.run(a)


if __name__ == "__main__":
    main()

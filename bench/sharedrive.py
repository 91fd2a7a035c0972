#!/usr/bin/env python3
"""sharedrive: time `keyhole share` with viewers watching through OpenSSH.

Used by bench/run (row 11); standard library only, with ptydrive's Pty.
The presenter runs `keyhole share` in a 120x40 pseudo-terminal; each
viewer is OpenSSH's own `ssh` client in an 80x24 pseudo-terminal, typing
the join code the presenter's screen shows at the keyboard-interactive
prompt. One session:

  0. enter selects the first provider (its token, its countdown)
  1. the presenter alone: j/k in the Providers pane, keypress -> frame
  2. --viewers viewers join; the same keys: the presenter's keypress ->
     frame, and for every viewer keypress -> the viewer's frame (the last
     byte of the burst the key caused on its terminal)
  3. --idle seconds with no key: the bytes each viewer's terminal got
     (the countdown redraws once a second)
  4. one viewer stalled (its ssh process stopped: it reads nothing, the
     server's writes to it block) for --stall seconds: the presenter's
     keys again, spread over the stall

Keys are sent just after a countdown redraw, as ptydrive does, once the
viewers' copies of that redraw have arrived too. Prints one JSON object.
"""

import argparse
import json
import os
import random
import re
import select
import shlex
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ptydrive import ANSI, KEYS, Pty, now  # noqa: E402

CODE = re.compile(rb"join code ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})")


def quiet_all(ptys, gap, limit=2.0):
    """Read every pty until none has had a byte for gap seconds."""
    deadline = now() + limit
    last = now()
    while now() < deadline and now() - last < gap:
        fds = {p.fd: p for p in ptys if not p.eof}
        r, _, _ = select.select(list(fds), [], [], gap)
        for fd in r:
            data, t = fds[fd].read(0)
            if data:
                last = t


def key_round(pres, viewers, key, gap, timeout=2.0):
    """Send key to the presenter; return (presenter ms, [viewer ms]) to the
    last byte of each one's burst, None where nothing came."""
    ptys = [pres] + viewers
    first = {p.fd: None for p in ptys}
    last = {p.fd: None for p in ptys}
    t = pres.send(key)
    deadline = t + timeout
    while now() < deadline:
        fds = {p.fd: p for p in ptys if not p.eof}
        r, _, _ = select.select(list(fds), [], [], gap)
        if not r:
            # Quiet for gap: done once every terminal had its burst.
            if all(first[p.fd] is not None for p in ptys):
                break
            continue
        for fd in r:
            data, tt = fds[fd].read(0)
            if data:
                if first[fd] is None:
                    first[fd] = tt
                last[fd] = tt
    ms = lambda p: None if last[p.fd] is None else round((last[p.fd] - t) * 1000, 3)
    return ms(pres), [ms(v) for v in viewers]


def sync_tick(pres, viewers, gap):
    """Wait for the presenter's next countdown redraw and for the viewers'
    copies of it; returns its time."""
    data, tick = pres.read(1.5)
    if not data:
        sys.exit("sharedrive: no countdown redraw within 1.5 s")
    quiet_all([pres] + viewers, 0.08)
    return tick


def keys_phase(pres, viewers, n, gap, spread=0.0):
    """n presenter keys (j/k pairs), sent just after countdown redraws;
    with spread, a few after each redraw, so that they last about that
    many seconds."""
    out = {"presenter": [], "viewers": [], "lost": 0}
    pending = ["j", "k"] * ((n + 1) // 2)
    # With spread: about one key a countdown redraw (a second), so that
    # the keys last at least spread seconds.
    per_tick = max(1, len(pending) // int(spread)) if spread else len(pending)
    start = now()
    while pending:
        tick = sync_tick(pres, viewers, gap)
        sent = 0
        while pending and sent < per_tick and now() - tick < 0.55:
            k = pending.pop(0)
            sent += 1
            p, vs = key_round(pres, viewers, k, gap)
            if p is None:
                out["lost"] += 1
                continue
            out["presenter"].append(p)
            out["viewers"].extend(v for v in vs if v is not None)
            out["lost"] += sum(1 for v in vs if v is None)
            time.sleep(random.uniform(0.005, 0.005 + 1 / 60))
    out["seconds"] = round(now() - start, 1)
    return out


def join(a, code, i):
    argv = shlex.split(a.ssh) + ["-p", str(a.port), f"viewer{i}@127.0.0.1"]
    v = Pty(argv, 80, 24, a.dump)
    if v.wait_text("Join code", 0, a.timeout) is None:
        sys.exit(f"sharedrive: viewer {i} got no join code prompt: {ANSI.sub(b'', bytes(v.buf[-300:]))!r}")
    os.write(v.fd, code + b"\r")
    if v.wait_text("read-only", 0, a.timeout) is None:
        sys.exit(f"sharedrive: viewer {i} never showed the session: {ANSI.sub(b'', bytes(v.buf[-300:]))!r}")
    return v


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cmd", required=True, help="keyhole share ... (the presenter)")
    ap.add_argument("--ssh", default="ssh -tt -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o PreferredAuthentications=keyboard-interactive")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--viewers", type=int, default=10)
    ap.add_argument("--keys", type=int, default=40)
    ap.add_argument("--idle", type=float, default=60)
    ap.add_argument("--stall", type=float, default=30)
    ap.add_argument("--gap", type=float, default=8)
    ap.add_argument("--timeout", type=float, default=15)
    ap.add_argument("--dump")
    a = ap.parse_args()
    gap = a.gap / 1000
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))

    pres = Pty(shlex.split(a.cmd), 120, 40, a.dump)
    if pres.wait_text("join code", 0, a.timeout) is None:
        sys.exit(f"sharedrive: the presenter shows no join code: {ANSI.sub(b'', bytes(pres.buf[-400:]))!r}")
    code = CODE.search(ANSI.sub(b"", bytes(pres.buf))).group(1)
    # Enter selects the first provider: its token (cached by the rows
    # before) and its countdown, which redraws every second.
    mark = len(pres.buf)
    os.write(pres.fd, b"\r")
    if pres.wait_text("expires in", mark, a.timeout) is None:
        sys.exit(f"sharedrive: no token on the presenter's screen: {ANSI.sub(b'', bytes(pres.buf[-400:]))!r}")
    quiet_all([pres], 0.2)
    res = {"alone": keys_phase(pres, [], a.keys, gap)}

    viewers = [join(a, code, i) for i in range(a.viewers)]
    quiet_all([pres] + viewers, 0.3)
    res["watched"] = keys_phase(pres, viewers, a.keys, gap)

    marks = [len(v.buf) for v in viewers]
    t0 = now()
    while now() - t0 < a.idle:
        quiet_all([pres] + viewers, 0.5, limit=a.idle - (now() - t0))
    secs = now() - t0
    res["idle"] = {"seconds": round(secs, 1), "bytes_per_second": [round((len(v.buf) - m) / secs, 1) for v, m in zip(viewers, marks)]}

    stalled = viewers[-1]
    os.kill(stalled.proc.pid, signal.SIGSTOP)
    res["stalled"] = keys_phase(pres, viewers[:-1], a.keys, gap, spread=a.stall)
    os.kill(stalled.proc.pid, signal.SIGCONT)

    pres.close()
    for v in viewers:
        v.close(quit_key="q")
    print(json.dumps(res))


if __name__ == "__main__":
    main()

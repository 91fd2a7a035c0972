#!/usr/bin/env python3
"""interleave: time commands run by run, in turn, for a fair ratio.

Used by bench/run for the small call (row 2); standard library only.
hyperfine runs each command's runs in one block, so the machine's drift
from one block to the next (another process, the CPU's clock) lands on one
command only; here the commands take turns, and which goes first swaps
every round, so the drift lands on both alike. Each command is exec'd
directly (no shell), its output discarded; a run that fails stops it.

  interleave.py --runs N --warmup W --export-json OUT -c NAME 'CMD' [-c NAME 'CMD' ...]

OUT is hyperfine's shape: {"results": [{"command": NAME, "times": [s, ...]}]}.
"""

import argparse
import json
import shlex
import subprocess
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, required=True)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--export-json", required=True)
    ap.add_argument("-c", dest="cmds", nargs=2, action="append", metavar=("NAME", "CMD"), required=True)
    a = ap.parse_args()
    progs = [(n, shlex.split(c)) for n, c in a.cmds]
    times = {n: [] for n, _ in progs}
    for i in range(a.warmup + a.runs):
        order = progs if i % 2 == 0 else progs[::-1]
        for name, argv in order:
            t0 = time.perf_counter()
            r = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            t = time.perf_counter() - t0
            if r.returncode != 0:
                sys.exit(f"interleave: {name} exited {r.returncode}: {r.stderr.decode(errors='replace')[-300:]}")
            if i >= a.warmup:
                times[name].append(t)
    with open(a.export_json, "w") as f:
        json.dump({"results": [{"command": n, "times": times[n]} for n, _ in progs]}, f)


if __name__ == "__main__":
    main()

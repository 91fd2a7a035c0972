#!/usr/bin/env python3
"""report: the Markdown table of one bench/run, from the raw data it left in DIR.

  python3 bench/report.py DIR

Every figure is the median of the repeated runs with the min-max range in
brackets; a ratio is keyhole's median over its peer's median in the same
run. Standard library only.
"""

import json
import os
import re
import statistics
import sys
from collections import defaultdict

D = sys.argv[1]


def load(name):
    with open(os.path.join(D, name)) as f:
        return json.load(f)


def lines(name):
    with open(os.path.join(D, name)) as f:
        return f.read().splitlines()


def ms(v):
    if v < 1:
        return f"{v:.2f} ms"
    if v < 100:
        return f"{v:.1f} ms"
    if v < 1000:
        return f"{v:.0f} ms"
    return f"{v / 1000:.2f} s"


def rng(vals, fmt=ms):
    """median (min–max)"""
    lo, hi = fmt(min(vals)), fmt(max(vals))
    if lo.split()[1:] == hi.split()[1:]:
        lo = lo.split()[0]
    return f"{fmt(statistics.median(vals))} ({lo}–{hi})"


def mib(kib):
    return f"{kib / 1024:.0f} MiB"


def ratio(a, b):
    return f"{statistics.median(a) / statistics.median(b):.2f}x"


def verdict(ok):
    return "met" if ok else "**missed**"


rows = []


def row(num, what, keyhole, peer="—", r="—", target="—", result="—"):
    rows.append(f"| {num} | {what} | {keyhole} | {peer} | {r} | {target} | {result} |")


meta = load("meta.json")
size = load("bigsize.json")
body_mb = size["raw_bytes"] / 1e6
body_mib = size["raw_bytes"] / (1 << 20)


def hyper(prefix):
    """hyperfine's times in ms per command, merged over the rounds."""
    out = defaultdict(list)
    for f in sorted(os.listdir(D)):
        if re.fullmatch(prefix + r"_\d+\.json", f):
            for res in load(f)["results"]:
                out[res["command"]] += [t * 1000 for t in res["times"]]
    return out


# 1. first frame
ff = load("firstframe.json")
k, f = ff["keyhole"], ff["floor"]
rk = statistics.median(k) / statistics.median(f)
row(1, "start → first frame, 120x40 pty (Providers pane drawn)", rng(k), "floor: " + rng(f), ratio(k, f), "≤ 1.25x floor", verdict(rk <= 1.25))
if "keyhole_cgo" in ff:
    row("1", "… both built with cgo, as `go run .` builds", rng(ff["keyhole_cgo"]), "floor: " + rng(ff["floor_cgo"]), ratio(ff["keyhole_cgo"], ff["floor_cgo"]), "—", "—")

# 2. small GET
sm = hyper("small")
rk = statistics.median(sm["keyhole"]) / statistics.median(sm["curl"])
row(2, "`keyhole call` GET /api/me, cached token", rng(sm["keyhole"]), "curl: " + rng(sm["curl"]), ratio(sm["keyhole"], sm["curl"]), "≤ 1.25x curl", verdict(rk <= 1.25))
if "keyhole_cgo" in sm:
    row("2", "… keyhole built with cgo, as `go run .` builds", rng(sm["keyhole_cgo"]), "curl: " + rng(sm["curl"]), ratio(sm["keyhole_cgo"], sm["curl"]), "—", "—")
row("2", "… the same against HTTPie", rng(sm["keyhole"]), "http: " + rng(sm["http"]), ratio(sm["keyhole"], sm["http"]), "—", "—")

# 3. 100 calls
c = load("calls100.json")
whole = load("run.json")["token_requests_whole_run"]
row(3, f"100 sequential `keyhole call`s ({c['api_me']} answered, {c['ms'] / 100:.1f} ms each on average): token requests the server saw",
    f"{c['token_requests']} (whole run: {whole})", "—", "—", "1", verdict(c["token_requests"] == 1 and whole == 1 and c["failures"] == 0))

# 4. 50 MiB pretty
bg = hyper("big")
rk = statistics.median(bg["keyhole"]) / statistics.median(bg["curl_jq"])
row(4, f"fetch + pretty-print {body_mib:.0f} MiB of JSON ({body_mb:.1f} MB → {size['pretty_bytes'] / 1e6:.1f} MB), to /dev/null",
    "`call --pretty`: " + rng(bg["keyhole"]), "`curl \\| jq .`: " + rng(bg["curl_jq"]), ratio(bg["keyhole"], bg["curl_jq"]), "≤ 0.5x", verdict(rk <= 0.5))
row("4", "… for reference: the same body unformatted", "`call --raw`: " + rng(bg["keyhole_raw"]), "curl: " + rng(bg["curl_raw"]), ratio(bg["keyhole_raw"], bg["curl_raw"]), "—", "—")

# 5. peak RSS
rk_kib = [int(x) for x in lines("rss_keyhole.txt") if x.strip()]
rc_kib = [int(x) for x in lines("rss_curljq.txt") if x.strip()]
pk = statistics.median(rk_kib)
row(5, f"peak RSS of 4. (per MB of body)", f"{rng(rk_kib, lambda v: mib(v))} = {pk / 1024 / body_mb:.1f} MiB/MB",
    "curl + jq: " + rng(rc_kib, lambda v: mib(v)), ratio(rk_kib, rc_kib), "< 300 MiB, < 10 MiB/MB", verdict(pk / 1024 < 300 and pk / 1024 / body_mb < 10))

tui = load("tui_big.json")
hwm = [s["VmHWM"] for s in tui]
row("5", f"peak RSS of the TUI with the {body_mib:.0f} MiB body open", f"{rng(hwm, lambda v: mib(v))} = {statistics.median(hwm) / 1024 / body_mb:.1f} MiB/MB",
    "—", "—", "< 10 MiB/MB", verdict(statistics.median(hwm) / 1024 / body_mb < 10))
after = [s["response_to_body_ms"] for s in tui if "response_to_body_ms" in s]
total = [s["send_to_body_ms"] for s in tui]
if after:
    row("5", f"TUI: the body on screen after its last byte arrived (ctrl+s → on screen: {rng(total)})", rng(after), "—", "—", "≤ 1.5 s", verdict(statistics.median(after) <= 1500))
else:
    row("5", "TUI: ctrl+s → the body on screen (response time not read)", rng(total), "—", "—", "≤ 1.5 s", verdict(statistics.median(total) <= 1500))

# 6. keypress to frame
bench = defaultdict(list)
for line in lines("gobench.txt"):
    m = re.match(r"^Benchmark(\w+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op", line)
    if m:
        bench[m.group(1)].append(float(m.group(2)) / 1e6)
kp = bench.get("KeypressToFrame", [])
pd = bench.get("PageDownToFrame", [])
if kp:
    row(6, "keypress (j/k) → frame in-process, 50 MB loaded (`BenchmarkKeypressToFrame`)", rng(kp), "—", "—", "< 16 ms", verdict(statistics.median(kp) < 16))
    kw = bench.get("KeypressToFrameWatched", [])
    if kw:
        row("6", "… the same while 10 viewers watch (the frame for them made in Update; `BenchmarkKeypressToFrameWatched`)", rng(kw), "not watched: " + rng(kp),
            ratio(kw, kp), "≤ 1.2x", verdict(statistics.median(kw) / statistics.median(kp) <= 1.2))
if pd:
    row("6", "pgdown/pgup → frame in-process (`BenchmarkPageDownToFrame`)", rng(pd), "—", "—", "< 16 ms", verdict(statistics.median(pd) < 16))
pf = bench.get("PickerFilterKeystroke", [])
if pf:
    row("6", "a key typed in the picker's filter → frame in-process, 1,200 operations listed (`BenchmarkPickerFilterKeystroke`)", rng(pf), "—", "—", "< 16 ms", verdict(statistics.median(pf) < 16))
fk = load("floor_keys.json")
for key, label in (("j", "j/k"), ("pgdown", "pgdown/pgup")):
    ks = [v for s in tui for v in s[key]]
    row("6", f"{label} → frame through the pty, {body_mib:.0f} MiB body open ({len(ks)} keys)", rng(ks), "floor: " + rng(fk[key]),
        ratio(ks, fk[key]), "< 50 ms", verdict(statistics.median(ks) < 50))

kb = [n for s in tui for k in ("j", "pgdown") for n in s["bytes"][k]]
tb = [n for s in tui for n in s["tick_bytes"]]
lost = sum(s["lost"] for s in tui)
notes = [f"Through the pty, every key's frame was {min(kb)}–{max(kb)} bytes and every countdown redraw "
         f"{min(tb) if tb else 0}–{max(tb) if tb else 0} bytes"
         + (": no countdown redraw was taken for a key's frame" if not tb or min(kb) > max(tb) else ": **some key frames may be countdown redraws**")
         + (f"; {lost} keys drew nothing within 2 s." if lost else "; no key went without a frame.")]

# 7. init
def inits(name):
    runs, cur = [], None
    for line in lines(name):
        if line.startswith("=== run"):
            cur = {}
            runs.append(cur)
            continue
        m = re.match(r"^init (\S+) @[\d.]+ ms, ([\d.]+) ms clock, (\d+) bytes, (\d+) allocs", line)
        if m and cur is not None:
            cur[m.group(1)] = cur.get(m.group(1), 0) + float(m.group(2))
    return runs


ki, fi = inits("init_keyhole.txt"), inits("init_floor.txt")
kt, ft = [sum(r.values()) for r in ki], [sum(r.values()) for r in fi]
row(7, f"package `init` at start, summed (`GODEBUG=inittrace=1 keyhole version`, {len(ki[0])} packages)", rng(kt),
    f"floor: {rng(ft)} ({len(fi[0])} packages)", ratio(kt, ft), "small (DESIGN.md)", "see below")

# 8. first minute
if os.path.exists(os.path.join(D, "firstminute.json")):
    fm = load("firstminute.json")
    parts = ", ".join(f"{k} {fm[k]['wall_s']:.1f} s" for k in ("clone", "download", "compile", "frame"))
    row(8, f"a newcomer's first minute, empty caches: git clone → `go run .` → first frame ({parts}; "
           f"{fm['modules']} module zips, {fm['modcache_mb']} MB of module cache)",
        f"{fm['total_s']:.1f} s", "—", "—", "≤ 60 s", verdict(fm["total_s"] <= 60))
    row("8", "… compiling alone, empty build cache, no network (CPU seconds in brackets)",
        f"{fm['compile']['wall_s']:.1f} s ({fm['compile']['cpu_s']:.0f} CPU s)", "—", "—", "≤ 60 s", verdict(fm["compile"]["wall_s"] <= 60))

# 9. the OpenAPI spec
if os.path.exists(os.path.join(D, "specsize.json")):
    ss = load("specsize.json")

    def hf(name):
        return [t * 1000 for res in load(name)["results"] for t in res["times"]]

    def kib(name):
        return [int(x) for x in lines(name) if x.strip()]

    for n, size, what in (("gh", ss["github_bytes"], "GitHub's size"), ("deref", ss["deref_bytes"], "GitHub's dereferenced size")):
        cold, cached = hf(f"spec_{n}_cold.json"), hf(f"spec_{n}_cached.json")
        rc, rw = kib(f"rss_spec_{n}_cold.txt"), kib(f"rss_spec_{n}_cached.txt")
        label = f"`keyhole ops` on a {size / 1e6:.1f} MB spec ({what}, 1,200 operations)"
        if n == "gh":
            row(9, f"{label}: parsed and listed, empty spec cache", rng(cold), "—", "—", "≤ 1.0 s", verdict(statistics.median(cold) <= 1000))
            row("9", "… the same, the index from the spec cache", rng(cached), "—", "—", "≤ 0.2 s", verdict(statistics.median(cached) <= 200))
            row("9", f"… peak RSS with an empty spec cache (from the cache: {rng(rw, lambda v: mib(v))})", rng(rc, lambda v: mib(v)), "—", "—", "≤ 300 MB",
                verdict(max(rc + rw) / 1024 * (1 << 20) / 1e6 <= 300))
        else:
            row("9", f"{label}: listed, empty spec cache (from the cache: {rng(cached)})", rng(cold), "—", "—", "works", "met")
            row("9", f"… peak RSS with an empty spec cache (from the cache: {rng(rw, lambda v: mib(v))})", rng(rc, lambda v: mib(v)), "—", "—", "≤ 1 GB",
                verdict(max(rc + rw) * 1024 <= 1e9))

    ts = load("tui_spec.json")
    dmb = ss["deref_bytes"] / 1e6
    during = [v for s in ts for v in s["loading"]]
    after = [v for s in ts for v in s["loaded"]]
    slow = sorted(v for v in during if v >= 50)
    q90 = sorted(during)[int(0.9 * (len(during) - 1))]
    row("9", f"TUI, the picker opened on the {dmb:.0f} MB spec, cold: a key typed in its filter → frame, while the spec loads "
             f"({len(during)} keys over {len(ts)} sessions; 90th percentile {ms(q90)}; {len(slow)} keys ≥ 50 ms: "
             + (", ".join(ms(v) for v in slow) if slow else "none") + ")",
        rng(during), "—", "—", "< 50 ms, every key", verdict(not slow))
    row("9", f"… a key typed in the filter → frame, its 1,200 operations listed ({len(after)} keys)", rng(after), "—", "—", "< 50 ms",
        verdict(statistics.median(after) < 50))
    row("9", "… `o` → the operations listed (read and indexed off the UI loop)", rng([s["open_to_listed_ms"] for s in ts]), "—", "—", "—", "—")
    filled = [s["enter_to_filled_ms"] for s in ts if "enter_to_filled_ms" in s]
    if filled:
        row("9", "… enter on an operation → the composer filled (the first parses the whole document, off the UI loop)", rng(filled), "—", "—", "—", "—")
    thwm = [s["VmHWM"] for s in ts]
    row("9", f"… peak RSS of the TUI, the {dmb:.0f} MB spec listed, filtered, an operation in the composer", rng(thwm, lambda v: mib(v)), "—", "—", "≤ 1 GB",
        verdict(max(thwm) * 1024 <= 1e9))
    idle = sum(s["idle_bytes"] for s in ts)
    lost_s = sum(s["lost"] for s in ts)
    notes.append(f"With the spec's picker: {idle} bytes drawn in the idle second before `o` (nothing that could be taken for a key's frame)"
                 + (f"; {lost_s} keys drew nothing within 2 s." if lost_s else "; no key went without a frame."))

# 10. keyhole run
if os.path.exists(os.path.join(D, "run100.json")):
    rr = {res["command"]: [t * 1000 for t in res["times"]] for res in load("run100.json")["results"]}
    rt = load("run100_tokens.json")
    rk = statistics.median(rr["keyhole"]) / statistics.median(rr["curl"])
    row(10, f"`keyhole run` of 100 requests with checks ({rt['passed']} passed; token requests during the timed runs: {rt['token_requests']})",
        rng(rr["keyhole"]), "100 curl calls: " + rng(rr["curl"]), ratio(rr["keyhole"], rr["curl"]), "≤ 1.5x", verdict(rk <= 1.5 and rt["passed"] == 100))

# 11. keyhole share
if os.path.exists(os.path.join(D, "share.json")):
    sh = load("share.json")
    alone, watched, stalled = sh["alone"]["presenter"], sh["watched"]["presenter"], sh["stalled"]["presenter"]
    nv = len(sh["idle"]["bytes_per_second"])
    rw = statistics.median(watched) / statistics.median(alone)
    row(11, f"`keyhole share`: the presenter's keypress → frame with {nv} viewers watching in ssh", rng(watched), "no viewer: " + rng(alone),
        ratio(watched, alone), "≤ 1.2x", verdict(rw <= 1.2))
    row("11", f"… a viewer's terminal: the presenter's keypress → the viewer's frame ({len(sh['watched']['viewers'])} frames, {sh['watched']['lost']} missed)",
        rng(sh["watched"]["viewers"]), "—", "—", "< 50 ms", verdict(statistics.median(sh["watched"]["viewers"]) < 50))
    bps = sh["idle"]["bytes_per_second"]
    row("11", f"… bytes a second each viewer gets while nothing happens but the countdown ({sh['idle']['seconds']:.0f} s)",
        f"{statistics.median(bps):.0f} B/s ({min(bps):.0f}–{max(bps):.0f})", "—", "—", "< 200 B/s", verdict(max(bps) < 200))
    rs = statistics.median(stalled) / statistics.median(watched)
    row("11", f"… the presenter's keypress → frame while one viewer is stalled ({sh['stalled']['seconds']:.0f} s; the others: {rng(sh['stalled']['viewers'])})",
        rng(stalled), "not stalled: " + rng(watched), ratio(stalled, watched), "unchanged", verdict(rs <= 1.2 and sh["stalled"]["lost"] == 0))

# in-process references
ref = []
if bench.get("FirstFrame"):
    ref.append(f"| `BenchmarkFirstFrame` (New + first View at 120x40) | {rng(bench['FirstFrame'])} |")
if bench.get("OpenBigResponse"):
    ref.append(f"| `BenchmarkOpenBigResponse` (format the 50 MB body + first frame) | {rng(bench['OpenBigResponse'])} |")
peaks = []
for line in lines("rssprobe.txt"):
    m = re.match(r"^RSS peak\s+([\d.]+) MiB = ([\d.]+) MiB per MB", line)
    if m:
        peaks.append((float(m.group(1)), float(m.group(2))))
if peaks:
    pm = statistics.median(p[0] for p in peaks)
    ref.append(f"| `internal/rssprobe` peak RSS, viewer with a 50 MB body | {pm:.0f} MiB ({min(p[0] for p in peaks):.0f}–{max(p[0] for p in peaks):.0f}) = {statistics.median(p[1] for p in peaks):.1f} MiB/MB |")

# init by package
pk_ms = defaultdict(list)
for r in ki:
    for p, v in r.items():
        pk_ms[p].append(v)
top = sorted(pk_ms.items(), key=lambda kv: -statistics.median(kv[1]))
TOP = 15
med_total = statistics.median(kt)

out = []
out.append(f"Run of {meta['date']}: {meta['nproc']} cores ({meta['cpu']}), {meta['mem']} RAM, {meta['os']}, Linux {meta['kernel']}, {meta['go']}; "
           f"keyhole `{meta['rev']}`; {meta['curl']}, jq {meta['jq'].removeprefix('jq-')}, {meta['http']}, {meta['hf']}. "
           f"The run took {meta['secs']} s; load average (1, 5, 15 min) {meta['load_start']} at its start, {meta['load_end']} at its end. "
           f"Binaries: keyhole {int(meta['kh_size']) / 1e6:.1f} MB, floor {int(meta['floor_size']) / 1e6:.1f} MB.")
out.append("")
out.append(f"Medians with (min–max) over {meta['frame_runs']} first frames, {meta['runs']} small calls, {meta['big_runs']} big-body runs "
           f"(3 for peak RSS), {meta['sessions']} TUI sessions × {meta['keys']} keys of each kind, 5 `go test -bench` counts, 10 inittrace runs. "
           f"Ratio: keyhole's median over the peer's, in this run.")
out.append("")
out.append("| # | measure | keyhole | peer | ratio | target | |")
out.append("|---|---|---|---|---|---|---|")
out.extend(rows)
out.append("")
out.extend(notes)
out.append("")
if ref:
    out.append("In-process, for reference:")
    out.append("")
    out.append("| | |")
    out.append("|---|---|")
    out.extend(ref)
    out.append("")
out.append(f"Package `init` at start (7.), the {TOP} costliest of {len(pk_ms)}, median over the runs:")
out.append("")
out.append("| package | init (ms) | share |")
out.append("|---|---|---|")
for p, v in top[:TOP]:
    out.append(f"| `{p}` | {statistics.median(v):.3f} | {statistics.median(v) / med_total:.0%} |")
rest = sum(statistics.median(v) for _, v in top[TOP:])
out.append(f"| {len(top) - TOP} other packages | {rest:.3f} | {rest / med_total:.0%} |")
out.append(f"| **total** (median of the runs' sums) | {med_total:.3f} | |")
print("\n".join(out))

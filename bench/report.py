#!/usr/bin/python3
# bench/report.py RAW_DIR OUTPUT_DIR: turns the raw measurements of bench/run into one JSON
# document (OUTPUT_DIR/latest.json) and a table for people (OUTPUT_DIR/latest.txt, also
# printed), with the targets marked met or missed.
import json
import os
import sys

raw, out = sys.argv[1], sys.argv[2]


def load(name):
    with open(os.path.join(raw, name)) as f:
        return json.load(f)


meta = load("meta.json")
hyperfine = {r["command"]: r for r in load("hyperfine.json")["results"]}
latency = {"seed": load("latency-seed.json"), "none": load("latency-none.json")}
if os.path.exists(os.path.join(raw, "latency-nested.json")):
    latency["nested"] = load("latency-nested.json")
with open(os.path.join(raw, "throughput.jsonl")) as f:
    throughput = [json.loads(line) for line in f if line.strip()]
jobs_run = load("jobs.json")
daemon_cpu = {}
if os.path.exists(os.path.join(raw, "daemon-cpu.jsonl")):
    with open(os.path.join(raw, "daemon-cpu.jsonl")) as f:
        daemon_cpu = {d["name"]: d for d in (json.loads(line) for line in f if line.strip())}

LABELS = {
    "confinectl-seed": "confinectl run, seed set",
    "confinectl-none": "confinectl run, no properties",
    "confinectl-startup": "confinectl --version (client start)",
    "confinectl-full-startup": "confinectl-full --version (GIO start)",
    "busctl-seed": "busctl call Spawn, seed set (to exec)",
    "bwrap": "bwrap, same isolation + seccomp",
    "firejail": "firejail, comparable flags",
    "unshare": "unshare -mnpuif",
    "true": "/bin/true",
    "systemd-run": "systemd-run --wait, seed set",
}

commands = {}
for name, r in hyperfine.items():
    commands[name] = {
        "command": meta["commands"].get(name, ""),
        "median_ms": r["median"] * 1e3,
        "mean_ms": r["mean"] * 1e3,
        "stddev_ms": (r["stddev"] or 0) * 1e3,
        "min_ms": r["min"] * 1e3,
        "max_ms": r["max"] * 1e3,
        "user_ms": r["user"] * 1e3,
        "system_ms": r["system"] * 1e3,
        "runs": len(r["times"]),
    }


def ratio(a, b):
    if a not in commands or b not in commands or commands[b]["median_ms"] <= 0:
        return None
    return commands[a]["median_ms"] / commands[b]["median_ms"]


for name, c in commands.items():
    c["vs_bwrap"] = ratio(name, "bwrap")

tp = {}
for t in throughput:
    tp.setdefault(t["props"], {})[str(t["clients"])] = t

res = meta["resources"]
idle, before, after, retained = res["idle"], res["before"], res["after"], res["retained"]

targets = []


def target(what, value, limit, unit, ok):
    targets.append({"target": what, "value": value, "limit": limit, "unit": unit,
                    "met": bool(ok) if value is not None else None})


def le(what, value, limit, unit=""):
    target(what, value, limit, unit, value is not None and value <= limit)


def ge(what, value, limit, unit=""):
    target(what, value, limit, unit, value is not None and value >= limit)


# Issue 18's targets.
le("confinectl seed / bwrap", ratio("confinectl-seed", "bwrap"), 0.7, "x")
le("confinectl seed / unshare -mnpuif (aim)", ratio("confinectl-seed", "unshare"), 1.5, "x")
le("Spawn-to-exec p50, seed set", latency["seed"]["spawn_to_exec"]["p50_ms"], 1.5, "ms")
le("Spawn-to-exec p99, seed set", latency["seed"]["spawn_to_exec"]["p99_ms"], 3.0, "ms")
le("Spawn-to-exit p50, seed set", latency["seed"]["spawn_to_exit"]["p50_ms"], 2.0, "ms")
ge("spawns/s, 16 clients, seed set", tp.get("seed", {}).get("16", {}).get("per_sec"), 600, "/s")
ge("spawns/s, 16 clients, no properties", tp.get("none", {}).get("16", {}).get("per_sec"), 1000, "/s")
le("daemon RSS idle", idle["rss_kib"] / 1024, 4.0, "MiB")
le(f"daemon RSS after {meta['jobs']} jobs", after["rss_kib"] / 1024, 6.0, "MiB")
le("daemon fd growth", after["fds"] - idle["fds"], 0, "")
le("zombies", after["zombies"] + retained["zombies"], 0, "")

doc = {
    "meta": {k: v for k, v in meta.items() if k not in ("commands", "resources")},
    "commands": commands,
    "library_latency": latency,
    "throughput": throughput,
    "jobs_run": jobs_run,
    "daemon_cpu": daemon_cpu,
    "resources": res,
    "targets": targets,
}

L = []
m = doc["meta"]
L.append(f"confine benchmark, {m['date']}, commit {m['commit']}, {m['build']} build")
L.append(f"machine: {m['cpu']}, {m['cpus']} CPUs, Linux {m['kernel']}; "
         f"load average {m['load_start'][0]:.2f} at start, {m['load_end'][0]:.2f} at end")
L.append(f"daemon: {m['daemon']}")
L.append("")
L.append(f"Command latency (hyperfine, median of {m['runs']} runs after 5 warmup runs, shell start subtracted)")
L.append(f"  {'':38} {'median':>9} {'mean ± σ':>17}  {'vs bwrap':>8}")
for name in LABELS:
    if name not in commands:
        continue
    c = commands[name]
    vb = f"{c['vs_bwrap']:.2f}x" if c["vs_bwrap"] is not None else ""
    L.append(f"  {LABELS[name]:38} {c['median_ms']:6.2f} ms {c['mean_ms']:6.2f} ± {c['stddev_ms']:5.2f} ms  {vb:>8}")
for k, note in (("firejail", m["firejail"]), ("systemd-run", m["systemd_run"])):
    if note:
        L.append(f"  {k}: {note}")
L.append("")
L.append("Library level (sd-bus Spawn of /bin/true, then Wait; no CLI process), "
         f"{latency['seed']['count']} jobs each")
L.append(f"  {'':16} {'Spawn-to-exec p50':>18} {'p99':>9} {'Spawn-to-exit p50':>18} {'p99':>9}")
for props, label in (("seed", "seed set"), ("none", "no properties"), ("nested", "seed, nested")):
    if props not in latency:
        continue
    e, d = latency[props]["spawn_to_exec"], latency[props]["spawn_to_exit"]
    L.append(f"  {label:16} {e['p50_ms']:15.2f} ms {e['p99_ms']:6.2f} ms {d['p50_ms']:15.2f} ms {d['p99_ms']:6.2f} ms")
if daemon_cpu:
    L.append("")
    L.append("The daemon's own time per job in those runs (schedstat of its threads): CPU of the event-loop")
    L.append("thread, its wait for a CPU, and CPU of all its threads (with the network-namespace refill)")
    L.append(f"  {'':16} {'loop CPU':>10} {'loop wait':>10} {'all threads':>12}")
    for props, label in (("seed", "seed set"), ("none", "no properties")):
        d = daemon_cpu.get(f"latency-{props}")
        if d:
            L.append(f"  {label:16} {d['loop_cpu_ms_per_job']:7.3f} ms {d['loop_wait_ms_per_job']:7.3f} ms "
                     f"{d['all_cpu_ms_per_job']:9.3f} ms")


def share(props, c):
    d = daemon_cpu.get(f"throughput-{props}-{c}")
    return f"{d['all_cpu_share'] * 100:5.0f}%" if d and d["all_cpu_share"] is not None else "   n/a"


L.append("")
L.append("Throughput (Spawn+Wait of /bin/true per second, each client its own connection), with the")
L.append("daemon's CPU (all threads) as a share of one core")
L.append(f"  {'clients':>7} {'seed set':>10} {'daemon':>7} {'no properties':>14} {'daemon':>7}")
for c in ("1", "4", "16", "64"):
    s = tp.get("seed", {}).get(c, {}).get("per_sec")
    n = tp.get("none", {}).get(c, {}).get("per_sec")
    if s is None and n is None:
        continue
    L.append(f"  {c:>7} {s if s is not None else float('nan'):8.0f}/s {share('seed', c):>7} "
             f"{n if n is not None else float('nan'):12.0f}/s {share('none', c):>7}")
L.append("")
L.append(f"Daemon (pid's RSS, open fds, zombie children); {m['jobs']} jobs at "
         f"{jobs_run['per_sec']:.0f}/s, {jobs_run['errors']} errors")
for key, label in (("idle", "idle, at start"), ("before", f"before the {m['jobs']} jobs"),
                   ("retained", "right after, exited jobs kept"),
                   ("after", f"after KeepExitedSec={m['keep_exited_sec']}")):
    r = res[key]
    L.append(f"  {label:34} RSS {r['rss_kib'] / 1024:5.2f} MiB  fds {r['fds']:3d}  zombies {r['zombies']}")
L.append("")
L.append("Targets")
for t in targets:
    v = t["value"]
    mark = "n/a " if t["met"] is None else ("met " if t["met"] else "MISS")
    vs = "n/a" if v is None else (f"{v:.2f}" if isinstance(v, float) else str(v))
    op = ">=" if t["target"].startswith("spawns/s") else "<="
    L.append(f"  [{mark}] {t['target']:42} {vs:>8}{t['unit']} (target {op} {t['limit']}{t['unit']})")
text = "\n".join(L) + "\n"

os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "latest.json"), "w") as f:
    json.dump(doc, f, indent=2)
    f.write("\n")
with open(os.path.join(out, "latest.txt"), "w") as f:
    f.write(text)
print(text, end="")

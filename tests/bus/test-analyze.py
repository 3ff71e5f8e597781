#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Manager.Analyze and `confinectl analyze`, against the real daemon and polkitd:

- the exposure score moves the right way as each property is added, through confinectl -p, as uid
  65534 (the unprivileged caller);
- it agrees with `systemd-analyze security --offline=yes` on an equivalent unit file, check by
  check (weight, badness, range) and in the overall score, for several requests: systemd 252's
  checks are the table's;
- the action and its reason, with and without privilege, and Profile= loosened;
- the broker's findings (PID namespace, host network, system bus, caller paths looked up as the
  caller) and confinectl's --threshold;
- Analyze starts nothing and asks polkit nothing (the deny rules still answer it).

Bad input to Analyze is in test-bad-input.py, next to Spawn's. Run under tests/with-bus with
--profile-dir=data/profiles, as root."""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import confinetest as ct  # noqa: E402

t = ct.Tap(timeout=240)
ct.install_child_cleanup(t)
conn = ct.connect()
PRIVILEGED = "org.confine.Confine1.spawn-privileged"
SPAWN = "org.confine.Confine1.spawn"
PROFILES = os.path.join(ct.REPO, "data", "profiles")


def analyze_ctl(props, as_nobody=True, extra=()):
    args = ["analyze", "--json"] + list(extra)
    for p in props:
        args += ["-p", p]
    r = ct.confinectl(args + ["--", "/bin/true"], as_nobody=as_nobody)
    if r.returncode not in (0, 1):
        raise RuntimeError("confinectl analyze %s: status %d: %s" % (props, r.returncode, r.stderr))
    return json.loads(r.stdout), r.returncode


def badness_sum(report):
    """The score's numerator: it moves with each check, where the tenths may not."""
    total = 0
    for c in report["checks"]:
        if c["badness"] is not None:
            total += -(-c["badness"] * c["weight"] // c["range"])
    return total


# --- the score moves the right way --------------------------------------------------------

STEPS = [
    "PrivateNetwork=yes", "PrivateTmp=yes", "PrivateDevices=yes", "ProtectSystem=strict", "ProtectHome=yes",
    "ProtectKernelTunables=yes", "ProtectKernelModules=yes", "ProtectControlGroups=yes", "ProtectHostname=yes",
    "RestrictSUIDSGID=yes", "RestrictRealtime=yes", "LockPersonality=yes", "MemoryDenyWriteExecute=yes",
    "RestrictNamespaces=yes", "RestrictAddressFamilies=AF_UNIX", "SystemCallArchitectures=native",
    "SystemCallFilter=@system-service", "SystemCallFilter=~@privileged @resources", "ProtectProc=invisible",
    "ProcSubset=pid", "UMask=0077", "PrivateIPC=yes",
]

with t.case("the exposure falls with each property added (confinectl analyze -p …, as uid 65534)"):
    applied = []
    before, _ = analyze_ctl([])
    t.check(before["exposure_tenths"] >= 60, "a bare request is exposed: %s" % before["exposure"])
    first = before
    for step in STEPS:
        applied.append(step)
        after, _ = analyze_ctl(applied)
        t.check(badness_sum(after) < badness_sum(before) and after["exposure_tenths"] <= before["exposure_tenths"],
                "%s: %s → %s" % (step, before["exposure"], after["exposure"]))
        before = after
    t.diag("bare %s %s → all %d properties %s %s" % (first["exposure"], first["level"], len(STEPS),
                                                      before["exposure"], before["level"]))
    t.check(before["exposure_tenths"] <= 15, "all of them: %s" % before["exposure"])

with t.case("loosening raises it: PrivateNetwork=no after yes"):
    a, _ = analyze_ctl(["PrivateNetwork=yes"])
    b, _ = analyze_ctl(["PrivateNetwork=yes", "PrivateNetwork=no"])
    t.check(badness_sum(b) > badness_sum(a), "%s → %s" % (a["exposure"], b["exposure"]))

# --- agreement with systemd-analyze security --offline=yes ------------------------------

SYSTEMD_ANALYZE = shutil.which("systemd-analyze")


def offline_supported():
    if not SYSTEMD_ANALYZE:
        return "no systemd-analyze"
    h = subprocess.run([SYSTEMD_ANALYZE, "--help"], capture_output=True, text=True)
    if "--offline" not in h.stdout:
        return "systemd-analyze has no --offline (before systemd 250)"
    v = subprocess.run([SYSTEMD_ANALYZE, "--version"], capture_output=True, text=True).stdout.split()
    if len(v) < 2 or v[1] != "252":
        return "the table is systemd 252's; this systemd-analyze is %s" % (v[1] if len(v) > 1 else "?")
    return None


def systemd_security(unit_lines):
    """Runs systemd-analyze security --offline=yes on a unit; returns ({name: (weight, badness, range)}, tenths)."""
    d = tempfile.mkdtemp(prefix="confine-analyze.")
    try:
        path = os.path.join(d, "confine-equivalent.service")
        with open(path, "w") as f:
            f.write("[Service]\nExecStart=/bin/true\n" + "".join(line + "\n" for line in unit_lines))
        env = dict(os.environ, SYSTEMD_ANALYZE_DEBUG="1", SYSTEMD_COLORS="0", LC_ALL="C.UTF-8")
        r = subprocess.run([SYSTEMD_ANALYZE, "security", "--offline=yes", "--no-pager", path], capture_output=True,
                           text=True, env=env)
    finally:
        shutil.rmtree(d)
    checks, score = {}, None
    for line in r.stdout.splitlines():
        m = re.search(r"Overall exposure level for \S+: (\d+)\.(\d)", line)
        if m:
            score = int(m.group(1)) * 10 + int(m.group(2))
            continue
        tok = line.split()
        if len(tok) < 5 or tok[0] == "NAME":
            continue
        if tok[0] in ("✓", "✗"):
            tok = tok[1:]
        nums = tok[-4:] if "." in tok[-1] else tok[-3:]
        if "." in tok[-1]:
            nums = nums[:3]
        try:
            weight, badness, rng = (int(x) for x in nums)
        except ValueError:
            continue
        checks[tok[0]] = (weight, None if badness == 2**64 - 1 else badness, rng)
    if score is None:
        raise RuntimeError("systemd-analyze: no score\n%s\n%s" % (r.stdout, r.stderr))
    return checks, score


def profile_lines(name):
    with open(os.path.join(PROFILES, name + ".conf")) as f:
        return [line.strip() for line in f if line.strip() and not line.startswith("#")]


def equivalent_unit(lines, report, as_root):
    """The unit that runs what confine would run: the same lines, the identity, the settings the
    spawn tier forces, and what confine does without a property (the checks marked fixed)."""
    unit = list(lines)
    if not as_root:
        unit += ["User=nobody", "NoNewPrivileges=yes", "CapabilityBoundingSet="]
    fixed = {c["name"]: c["badness"] for c in report["checks"] if c["fixed"]}
    if fixed.get("PrivateMounts=") == 0:
        unit.append("PrivateMounts=yes")
    if fixed.get("RemoveIPC=") == 0:
        unit.append("RemoveIPC=yes")
    return unit


CASES = [
    ("a bare request", [], False),
    ("a bare request from root", [], True),
    ("Profile=seed's lines", profile_lines("seed"), False),
    ("Profile=thumbnailer's lines", profile_lines("thumbnailer"), False),
    ("a mixed set", ["ProtectSystem=full", "ProtectHome=read-only", "RestrictAddressFamilies=AF_UNIX AF_INET",
                     "SystemCallFilter=~@mount @debug @swap", "UMask=0027", "ProtectProc=noaccess",
                     "RestrictNamespaces=~user net", "DevicePolicy=strict", "DeviceAllow=/dev/null r",
                     "PrivateIPC=yes", "RootDirectory=/", "KeyringMode=shared"], False),
    ("a deny-list of families and caps kept by root", ["RestrictAddressFamilies=~AF_PACKET AF_NETLINK",
                                                      "CapabilityBoundingSet=CAP_NET_RAW CAP_KILL",
                                                      "ProtectHome=tmpfs", "ProtectSystem=yes",
                                                      "SystemCallFilter=@system-service @clock"], True),
]

skip = offline_supported()
for desc, lines, as_root in CASES:
    with t.case("%s: the same checks, badness and score as systemd-analyze security --offline=yes" % desc):
        if skip:
            t.diag("skipped: " + skip)
            continue
        report, _ = analyze_ctl(lines, as_nobody=not as_root)
        unit = equivalent_unit(lines, report, as_root)
        theirs, score = systemd_security(unit)
        ours = {c["name"]: (c["weight"], c["badness"], c["range"]) for c in report["checks"]}
        t.eq(sorted(ours), sorted(theirs), "the check names")
        diffs = ["%s: ours %s, systemd's %s" % (n, ours[n], theirs.get(n)) for n in ours if ours[n] != theirs.get(n)]
        t.check(not diffs, "every check agrees", "\n".join(diffs + ["unit: %s" % unit]))
        t.eq(report["exposure_tenths"], score, "the overall exposure (unit: %s)" % unit)

# --- the action and why ---------------------------------------------------------------

with t.case("root: no action, the reason says why; nobody: spawn, with what is forced"):
    a = ct.analyze(conn, ["/bin/true"])
    t.eq(a["action"], "", "root's action")
    t.contains(a["reason"], "root", "root's reason")
    n = ct.run_client([{"op": "analyze", "argv": ["/bin/true"]}], as_nobody=True)[0]
    t.eq(n["action"], SPAWN, "nobody's action")
    t.contains(n["reason"], "no added privilege", "nobody's reason")
    props = dict((p[0], p[1]) for p in n["properties"])
    t.eq(props.get("NoNewPrivileges"), True, "NoNewPrivileges forced in the effective spec")
    t.eq(props.get("CapabilityBoundingSet"), 0, "the bounding set emptied in the effective spec")
    t.eq(n["details"].get("user"), "nobody", "details: user")
    t.eq(n["details"].get("command_line"), "/bin/true", "details: command_line")

with t.case("what needs spawn-privileged says so and names the property, without a prompt"):
    for props, needle in ([("User", "s", "root")], "User="), ([("AmbientCapabilities", "t", 1 << 10)], "Ambient"), \
                         ([("NoNewPrivileges", "b", False)], "NoNewPrivileges"):
        a = ct.run_client([{"op": "analyze", "argv": ["/bin/true"], "props": [list(p) for p in props]}],
                          as_nobody=True)[0]
        t.eq(a.get("action"), PRIVILEGED, "action for %s" % props)
        t.contains(a.get("reason", ""), needle, "reason for %s" % props)

with t.case("Profile=: within it, details say so; loosened, spawn-privileged names the property"):
    a = ct.run_client([{"op": "analyze", "argv": ["/bin/true"],
                        "props": [["Profile", "s", "seed"], ["MemoryDenyWriteExecute", "b", True]]}],
                      as_nobody=True)[0]
    t.eq(a["action"], SPAWN, "tightened: action")
    t.eq(a["details"].get("profile"), "seed", "details: profile")
    t.eq(a["details"].get("within_profile"), "yes", "details: within_profile")
    b = ct.run_client([{"op": "analyze", "argv": ["/bin/true"],
                        "props": [["Profile", "s", "seed"], ["PrivateNetwork", "b", False]]}], as_nobody=True)[0]
    t.eq(b["action"], PRIVILEGED, "loosened: action")
    t.contains(b["reason"], "PrivateNetwork", "loosened: the reason names the property")
    t.eq(b["details"].get("within_profile"), "no", "loosened: within_profile")

# --- the broker's findings ------------------------------------------------------------------

def finding_ids(report):
    return [f[0] for f in report["findings"]]


with t.case("findings: no PID namespace, host network and the system bus, until the properties close them"):
    bare = ct.run_client([{"op": "analyze", "argv": ["/bin/true"]}], as_nobody=True)[0]
    for fid in ("signal-other-processes", "host-network", "system-bus-reachable"):
        t.check(fid in finding_ids(bare), "bare: %s" % fid, bare["findings"])
    # The daemon's own bus (the test's) is reachable too, wherever it is.
    test_bus = os.path.dirname(re.search(r"path=([^,;]+)", os.environ["DBUS_SYSTEM_BUS_ADDRESS"]).group(1))
    closed = ct.run_client([{"op": "analyze", "argv": ["/bin/true"], "props": [
        ["PrivatePIDs", "b", True], ["PrivateNetwork", "b", True],
        ["InaccessiblePaths", "as", ["-/run/dbus", "-" + test_bus]]]}], as_nobody=True)[0]
    t.eq(finding_ids(closed), [], "PrivatePIDs, PrivateNetwork, InaccessiblePaths=/run/dbus and the test bus: "
         "no finding")
    only_std = ct.run_client([{"op": "analyze", "argv": ["/bin/true"], "props": [
        ["InaccessiblePaths", "as", ["-/run/dbus"]]]}], as_nobody=True)[0]
    t.check(any(f[0] == "system-bus-reachable" and test_bus in f[2] for f in only_std["findings"]),
            "hiding /run/dbus alone leaves the daemon's own bus (%s) reachable" % test_bus, only_std["findings"])
    strict = ct.run_client([{"op": "analyze", "argv": ["/bin/true"], "props": [["ProtectSystem", "s", "strict"]]}],
                           as_nobody=True)[0]
    t.check("system-bus-reachable" in finding_ids(strict), "ProtectSystem=strict leaves connect() to the bus",
            strict["findings"])

with t.case("findings: caller paths are looked up with the caller's ids (nobody: /root is not its own)"):
    props = [["WorkingDirectory", "s", "/root"], ["BindReadOnlyPaths", "a(ssbt)", [["/etc/shadow", "/mnt", False, 0]]],
             ["ReadOnlyPaths", "as", ["/nonexistent-confine", "-/nonexistent-confine-2"]]]
    a = ct.run_client([{"op": "analyze", "argv": ["/bin/true"], "props": props}], as_nobody=True)[0]
    paths = [(f[1], f[2]) for f in a["findings"] if f[0] == "unresolvable-path"]
    t.eq([p for p, _ in paths], ["WorkingDirectory", "BindReadOnlyPaths", "ReadOnlyPaths"], "the failing properties")
    t.contains(" ".join(d for _, d in paths), "Permission denied", "EACCES named")
    t.contains(" ".join(d for _, d in paths), "/nonexistent-confine would fail: No such file", "ENOENT named")
    t.check("nonexistent-confine-2" not in " ".join(d for _, d in paths), "a '-' path may be missing")
    r = ct.analyze(conn, ["/bin/true"], [("WorkingDirectory", "s", "/root"),
                                          ("BindReadOnlyPaths", "a(ssbt)", [("/etc/shadow", "/mnt", False, 0)])])
    t.eq([f for f in r["findings"] if f[0] == "unresolvable-path"], [], "root may reach them: no finding")

with t.case("findings: argv[0] as confine-exec's execvpe() finds it; WorkingDirectory's '-' and '~'"):
    def path_findings(argv, props=(), as_nobody=True):
        a = ct.run_client([{"op": "analyze", "argv": argv, "props": [list(p) for p in props]}], as_nobody=as_nobody)[0]
        return [(f[1], f[2]) for f in a["findings"] if f[0] == "unresolvable-path"]
    for argv, errno_text in ((["/nonexistent/prog"], "No such file"), (["/usr"], "Permission denied"),
                             (["confine-no-such-command"], "No such file"), (["/etc/passwd"], "Permission denied")):
        got = path_findings(argv)
        t.check(len(got) == 1 and got[0][0] == "argv" and errno_text in got[0][1], "%s: %s" % (argv[0], errno_text), got)
    t.eq(path_findings(["true"]), [], "a name found along PATH")
    t.eq(path_findings(["/bin/true"], [("RootDirectory", "s", "/")]), [], "a path below RootDirectory=/")
    t.eq(path_findings(["/bin/true"], [("WorkingDirectory", "s", "-/nonexistent-confine")]), [],
         "WorkingDirectory=-/missing may be missing")
    got = path_findings(["/bin/true"], [("WorkingDirectory", "s", "~")])
    t.check(len(got) == 1 and got[0][0] == "WorkingDirectory", "nobody's ~ (its HOME, /nonexistent) is missing", got)
    t.eq(path_findings(["/bin/true"], [("WorkingDirectory", "s", "~")], as_nobody=False), [], "root's ~ is /root")

with t.case("confinectl analyze --threshold: exit 1 above it, 0 at or below"):
    report, rc = analyze_ctl(profile_lines("thumbnailer"), extra=["--threshold=100"])
    t.eq(rc, 0, "--threshold=100")
    e = report["exposure_tenths"]
    _, rc = analyze_ctl(profile_lines("thumbnailer"), extra=["--threshold=%d" % e])
    t.eq(rc, 0, "--threshold at the exposure (%d)" % e)
    _, rc = analyze_ctl(profile_lines("thumbnailer"), extra=["--threshold=%d.%d" % ((e - 1) // 10, (e - 1) % 10)])
    t.eq(rc, 1, "--threshold just below it")
    r = ct.confinectl(["analyze", "--threshold=11.0", "--", "/bin/true"])
    t.eq(r.returncode, 2, "--threshold=11.0 is a usage error")
    r = ct.confinectl(["analyze", "-p", "PrivateNetworks=yes", "--", "/bin/true"], as_nobody=True)
    t.eq(r.returncode, 2, "an unknown property is a usage error, as for run")
    t.contains(r.stderr, "PrivateNetworks", "and names it")

with t.case("Analyze starts no job and leaves no process"):
    t.eq(ct.njobs(conn), 0, "NJobs")
    t.eq(ct.job_cgroup_pids(), [], "processes in job cgroups")

t.done()

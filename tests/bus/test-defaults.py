#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""confined.conf's [Defaults] (tests/harness/defaults.conf: PrivatePIDs=yes,
RestrictAddressFamilies=~AF_NETLINK, Environment=CONFINE_SITE=test) are laid under every job.
From inside jobs of uid 65534, each a pair:

- a process of the same user outside the job can be signalled when a root caller lifts the
  default (PrivatePIDs=no), and cannot under the default;
- an AF_NETLINK socket opens when the default is reset (RestrictAddressFamilies=), and not under
  the default;
- the caller may tighten the defaults as plain spawn, and the lists merge as in systemd;
- loosening them is spawn-privileged (Analyze names the property; Spawn is AccessDenied under the
  test rules, which deny nobody that action);
- a bad [Defaults] line keeps confined from starting, naming the file, the line and the property.

Run under tests/with-bus --daemon-arg --config=tests/harness/defaults.conf, as root."""

import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import confinetest as ct  # noqa: E402

t = ct.Tap(timeout=180)
ct.install_child_cleanup(t)
conn = ct.connect()
SPAWN = "org.confine.Confine1.spawn"
PRIVILEGED = "org.confine.Confine1.spawn-privileged"
NOBODY = [("User", "s", "nobody")]

outside = subprocess.Popen(ct.SETPRIV_NOBODY + ["sleep", "120"])
t.cleanups.append(lambda: (outside.kill(), outside.wait()))
KILL_OUTSIDE = ["sh", "-c", "kill -0 %d && echo reached" % outside.pid]
NETLINK = ct.py_job("import socket\n"
                    "try:\n"
                    "    socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)\n"
                    "    print('netlink')\n"
                    "except OSError as e:\n"
                    "    print('refused', e.errno)\n")


def prop(analysis, name):
    return dict(analysis["properties"]).get(name)


with t.case("Job.Properties of a request with no properties show the defaults"):
    a = ct.analyze(conn, ["true"])
    t.eq(prop(a, "PrivatePIDs"), True, "PrivatePIDs")
    t.eq(prop(a, "RestrictAddressFamilies"), (False, ["AF_NETLINK"]), "RestrictAddressFamilies")
    t.contains(prop(a, "Environment"), "CONFINE_SITE=test", "Environment")

with t.case("without the default (root lifts it): the job signals a process of its user outside"):
    j = ct.run_job(conn, KILL_OUTSIDE, NOBODY + [("PrivatePIDs", "b", False)])
    t.eq((j.result, j.status, j.stdout), ("success", 0, "reached\n"), "kill -0 reached it")

with t.case("with the default: a job of uid 65534 cannot signal it (ESRCH)"):
    r = ct.nobody_spawn(KILL_OUTSIDE)
    t.eq(r.get("error"), None, "spawned (%s)" % r.get("message"))
    t.eq(r.get("result"), "exit-code", "kill -0 failed")
    t.contains(r.get("stderr", ""), "No such process", "ESRCH")

with t.case("without the default (reset by root): the job opens an AF_NETLINK socket"):
    j = ct.run_job(conn, NETLINK, NOBODY + [("RestrictAddressFamilies", "(bas)", (False, []))])
    t.eq(j.stdout, "netlink\n", "output")

with t.case("with the default: AF_NETLINK is refused (EAFNOSUPPORT) in a job of uid 65534"):
    r = ct.nobody_spawn(NETLINK)
    t.eq(r.get("stdout"), "refused 97\n", "output")

with t.case("the environment default reaches the job"):
    r = ct.nobody_spawn(["sh", "-c", 'echo "$CONFINE_SITE"'])
    t.eq(r.get("stdout"), "test\n", "output")

with t.case("tightening is plain spawn: another denied family merges with the default's"):
    req = [("RestrictAddressFamilies", "(bas)", (False, ["AF_PACKET"])), ("PrivateNetwork", "b", True)]
    a = ct.run_client([{"op": "analyze", "argv": ["true"], "props": [list(p) for p in req]}], as_nobody=True)[0]
    t.eq(a.get("action"), SPAWN, "action (%s)" % a.get("reason"))
    t.eq(a["details"].get("within_defaults"), "yes", "within_defaults")
    t.eq(sorted(dict(a["properties"])["RestrictAddressFamilies"][1]), ["AF_NETLINK", "AF_PACKET"],
         "both families denied")
    r = ct.nobody_spawn(NETLINK, req)
    t.eq(r.get("stdout"), "refused 97\n", "the default still holds")

LOOSENINGS = [
    ("PrivatePIDs=no", [("PrivatePIDs", "b", False)], "PrivatePIDs"),
    ("RestrictAddressFamilies= (reset)", [("RestrictAddressFamilies", "(bas)", (False, []))],
     "RestrictAddressFamilies"),
]
for what, req, name in LOOSENINGS:
    with t.case("loosening the defaults (%s) is spawn-privileged, and Analyze says which" % what):
        a = ct.run_client([{"op": "analyze", "argv": ["true"], "props": [list(p) for p in req]}],
                          as_nobody=True)[0]
        t.eq(a.get("action"), PRIVILEGED, "action")
        t.contains(a.get("reason", ""), "[Defaults]", "reason")
        t.contains(a.get("reason", ""), name, "reason names the property")
        t.eq(a["details"].get("within_defaults"), "no", "within_defaults")
        r = ct.nobody_spawn(["true"], req)
        t.eq(r.get("error"), ct.E_ACCESS_DENIED, "Spawn refused (%s)" % r.get("message"))

BAD = [
    ("PrivatePIDs=maybe", "PrivatePIDs"),
    ("NoSuchProperty=1", "NoSuchProperty"),
    ("Profile=seed", "Profile"),
    ("ReadOnlyPaths=relative/path", "ReadOnlyPaths"),
]
confined = os.path.join(os.environ["CONFINE_BUILD_DIR"], "daemon", "confined")
for line, name in BAD:
    with t.case("a bad [Defaults] line (%s) keeps confined from starting, naming it" % line):
        with tempfile.NamedTemporaryFile("w", suffix=".conf") as f:
            f.write("[Jobs]\nMaxJobsPerUser=3\n\n[Defaults]\nPrivateTmp=yes\n%s\n" % line)
            f.flush()
            p = subprocess.run([confined, "--config=" + f.name, "--bus-address=unix:path=/nonexistent"],
                               capture_output=True, text=True, timeout=20)
            t.eq(p.returncode, 1, "exit status")
            t.contains(p.stderr, "%s:6: [Defaults] %s" % (f.name, line), "names file, line and text")
            t.contains(p.stderr.split("[Defaults]", 1)[1], name, "names the property")
            t.check("Cannot connect to the bus" not in p.stderr, "stopped before the bus", p.stderr)

ct.final_checks(t, conn)
t.done()

#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A profile granted to a group by an administrator's polkit rule (docs/design.md, "Granting a
profile to a group"): with tests/rules/profile-grant, the group nogroup may run jobs under
Profile=lowport (tests/harness/profiles/lowport.conf), which keeps CAP_NET_BIND_SERVICE and so
needs spawn-privileged, and nothing else. The rule matches polkit's details: profile and
within_profile. As uid 65534, against the real polkitd:

- the profile itself, and the profile tightened, are granted, and the job binds port 80;
- the same properties without Profile=, the profile loosened (a property off, a capability or an
  identity added, NoNewPrivileges=no) and another profile are not: AccessDenied;
- Analyze shows the details the rule sees.

Run under tests/with-bus --rules profile-grant --profile-dir=tests/harness/profiles, as root."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import confinetest as ct  # noqa: E402

t = ct.Tap(timeout=180)
ct.install_child_cleanup(t)
conn = ct.connect()
PRIVILEGED = "org.confine.Confine1.spawn-privileged"
CAP_NET_BIND_SERVICE = 10
CAP_NET_RAW = 13

BIND_80 = ct.py_job("import socket\n"
                    "s = socket.socket()\n"
                    "s.bind(('127.0.0.1', 80))\n"
                    "print('bound', s.getsockname()[1])\n")
PROFILE = [("Profile", "s", "lowport")]
# The profile's lines as explicit properties (lowport.conf).
EXPLICIT = [("PrivateNetwork", "b", True), ("PrivateTmp", "b", True), ("PrivatePIDs", "b", True),
            ("ProtectSystem", "s", "strict"), ("ProtectHome", "s", "yes"), ("NoNewPrivileges", "b", True),
            ("CapabilityBoundingSet", "t", 1 << CAP_NET_BIND_SERVICE),
            ("AmbientCapabilities", "t", 1 << CAP_NET_BIND_SERVICE)]


def nobody_analyze(props):
    return ct.run_client([{"op": "analyze", "argv": BIND_80, "props": [list(p) for p in props]}], as_nobody=True)[0]


with t.case("control: without the grant, binding port 80 as nobody fails (no capability)"):
    r = ct.nobody_spawn(BIND_80, [("PrivateNetwork", "b", True)])
    t.eq(r.get("result"), "exit-code", "the job failed")
    t.contains(r.get("stderr", ""), "Permission denied", "EACCES from bind")

with t.case("Profile=lowport is spawn-privileged, within its profile: the details the rule matches"):
    a = nobody_analyze(PROFILE)
    t.eq(a.get("action"), PRIVILEGED, "action")
    t.eq(a["details"].get("profile"), "lowport", "profile")
    t.eq(a["details"].get("within_profile"), "yes", "within_profile")

with t.case("the rule grants Profile=lowport to nogroup: the job binds port 80"):
    r = ct.nobody_spawn(BIND_80, PROFILE)
    t.eq(r.get("error"), None, "spawned (%s)" % r.get("message"))
    t.eq((r.get("result"), r.get("status")), ("success", 0), "exit")
    t.eq(r.get("stdout"), "bound 80\n", "output")

with t.case("tightened (MemoryDenyWriteExecute=, RestrictRealtime=, PrivateIPC=) it stays within, and is granted"):
    for extra in ([("MemoryDenyWriteExecute", "b", True)], [("RestrictRealtime", "b", True), ("PrivateIPC", "b", True)]):
        a = nobody_analyze(PROFILE + extra)
        t.eq(a["details"].get("within_profile"), "yes", "within_profile with %s" % extra)
        r = ct.nobody_spawn(BIND_80, PROFILE + extra)
        t.eq((r.get("error"), r.get("result")), (None, "success"), "granted with %s (%s)" % (extra, r.get("message")))

DENIED = [
    ("the same properties without Profile=", EXPLICIT, None),
    ("PrivateNetwork=no over it", PROFILE + [("PrivateNetwork", "b", False)], "PrivateNetwork"),
    ("CAP_NET_RAW added to the bounding set", PROFILE + [("CapabilityBoundingSet", "t", 1 << CAP_NET_RAW)],
     "CapabilityBoundingSet"),
    ("CAP_NET_RAW added to the ambient set", PROFILE + [("AmbientCapabilities", "t", 1 << CAP_NET_RAW)],
     "AmbientCapabilities"),
    ("NoNewPrivileges=no over it", PROFILE + [("NoNewPrivileges", "b", False)], "NoNewPrivileges"),
    ("User=root over it", PROFILE + [("User", "s", "root")], "User"),
    ("another profile with the same capability", [("Profile", "s", "seed"),
                                                   ("AmbientCapabilities", "t", 1 << CAP_NET_BIND_SERVICE)], None),
]

for desc, props, loosened in DENIED:
    with t.case("not granted: %s (AccessDenied, within_profile no)" % desc):
        a = nobody_analyze(props)
        t.eq(a.get("action"), PRIVILEGED, "action")
        t.eq(a["details"].get("within_profile"), "no", "within_profile")
        if loosened:
            t.contains(a.get("reason", ""), loosened, "the reason names what loosened it")
        r = ct.nobody_spawn(BIND_80, props)
        t.eq(r.get("error"), ct.E_ACCESS_DENIED, "Spawn: %s" % r.get("message"))

ct.final_checks(t, conn)
t.done()

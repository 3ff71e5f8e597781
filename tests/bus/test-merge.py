#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Bus test: an a(sv) that names a property more than once is merged as systemd merges a unit's
# repeated lines (load-fragment.c), and the result is checked from inside the job. The merged
# result, not each entry, is what the polkit tier and the profile's "only stricter" check judge.
#
# Run: tests/with-bus -- tests/bus/test-merge.py

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from confinetest import (E_ACCESS_DENIED, Tap, connect, final_checks, install_child_cleanup,  # noqa: E402
                         nobody_spawn, proc_status_field, py_job, run_job)

t = Tap(timeout=100)
install_child_cleanup(t)
conn = connect()

ALL64 = (1 << 64) - 1
CAP_CHOWN, CAP_KILL, CAP_NET_BIND_SERVICE, CAP_NET_RAW, CAP_SYS_ADMIN = 1 << 0, 1 << 5, 1 << 10, 1 << 13, 1 << 21
STATUS = ["/bin/cat", "/proc/self/status"]


def status_of(props):
    j = run_job(conn, STATUS, props)
    t.eq((j.result, j.status), ("success", 0), "the job ran")
    return j.stdout


def cap(text, field):
    return int(proc_status_field(text, field), 16)


with t.case("CapabilityBoundingSet twice on the wire: the lines add up (a unit's CAP_A / CAP_B lines)"):
    s = status_of([("CapabilityBoundingSet", "t", CAP_CHOWN), ("CapabilityBoundingSet", "t", CAP_KILL)])
    t.eq(cap(s, "CapBnd"), CAP_CHOWN | CAP_KILL, "CapBnd")

with t.case("CapabilityBoundingSet: a later ~ (systemd-run's complement) removes from the list"):
    s = status_of([("CapabilityBoundingSet", "t", CAP_CHOWN | CAP_KILL),
                   ("CapabilityBoundingSet", "t", ALL64 & ~CAP_KILL)])
    t.eq(cap(s, "CapBnd"), CAP_CHOWN, "CapBnd")

with t.case("CapabilityBoundingSet: ~ first is all but those, a later ~ takes more away"):
    s = status_of([("CapabilityBoundingSet", "t", ALL64 & ~CAP_SYS_ADMIN),
                   ("CapabilityBoundingSet", "t", ALL64 & ~CAP_NET_RAW)])
    t.check(cap(s, "CapBnd") & (CAP_SYS_ADMIN | CAP_NET_RAW) == 0 and cap(s, "CapBnd") & CAP_KILL,
            "neither CAP_SYS_ADMIN nor CAP_NET_RAW, CAP_KILL kept", hex(cap(s, "CapBnd")))

with t.case("AmbientCapabilities twice: merged (as User=nobody, CapAmb)"):
    s = status_of([("User", "s", "nobody"), ("AmbientCapabilities", "t", CAP_NET_BIND_SERVICE),
                   ("AmbientCapabilities", "t", CAP_NET_RAW)])
    t.eq(cap(s, "CapAmb"), CAP_NET_BIND_SERVICE | CAP_NET_RAW, "CapAmb")
    s = status_of([("User", "s", "nobody"), ("AmbientCapabilities", "t", CAP_NET_BIND_SERVICE | CAP_NET_RAW),
                   ("AmbientCapabilities", "t", ALL64 & ~CAP_NET_RAW)])
    t.eq(cap(s, "CapAmb"), CAP_NET_BIND_SERVICE, "CapAmb after a ~ line")

UNSHARE = py_job("import ctypes, os\n"
                 "libc = ctypes.CDLL(None, use_errno=True)\n"
                 "for name, flag in (('net', 0x40000000), ('ipc', 0x08000000), ('uts', 0x04000000)):\n"
                 "    pid = os.fork()\n"
                 "    if pid == 0:\n"
                 "        os._exit(0 if libc.unshare(flag) == 0 else 1)\n"
                 "    print(name, 'ok' if os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0 else 'denied')\n")
CLONE_NEWNET, CLONE_NEWIPC = 0x40000000, 0x08000000

with t.case("RestrictNamespaces twice: the first list sets, the second adds (net, then ipc; uts denied)"):
    j = run_job(conn, UNSHARE, [])
    t.eq(j.stdout.split(), ["net", "ok", "ipc", "ok", "uts", "ok"], "without it: all three")
    j = run_job(conn, UNSHARE, [("RestrictNamespaces", "t", CLONE_NEWNET), ("RestrictNamespaces", "t", CLONE_NEWIPC)])
    t.eq(j.stdout.split(), ["net", "ok", "ipc", "ok", "uts", "denied"], "with both lines")
    j = run_job(conn, UNSHARE, [("RestrictNamespaces", "t", CLONE_NEWNET | CLONE_NEWIPC),
                                ("RestrictNamespaces", "t", ALL64 & ~CLONE_NEWIPC)])
    t.eq(j.stdout.split(), ["net", "ok", "ipc", "denied", "uts", "denied"], "a ~ line removes ipc")

with t.case("Environment: an empty assignment resets what came before"):
    j = run_job(conn, ["/usr/bin/env"], [("Environment", "as", ["A=1"]), ("Environment", "as", []),
                                         ("Environment", "as", ["B=2"])])
    lines = j.stdout.splitlines()
    t.check("B=2" in lines and "A=1" not in lines, "B=2 only", lines)

CHROOT = py_job("import errno, os\n"
                "try:\n"
                "    os.chroot('/'); print('ok')\n"
                "except OSError as e:\n"
                "    print(errno.errorcode[e.errno])\n")

with t.case("SystemCallFilter twice, deny-lists with per-call errnos: the last errno given for a call wins"):
    j = run_job(conn, CHROOT, [])
    t.eq(j.stdout.strip(), "ok", "without it: chroot() works")
    j = run_job(conn, CHROOT, [("SystemCallFilter", "(bas)", (False, ["chroot:EUCLEAN"])),
                               ("SystemCallFilter", "(bas)", (False, ["@mount", "chroot:EACCES"]))])
    t.eq(j.stdout.strip(), "EACCES", "with both lines")
    j = run_job(conn, CHROOT, [("SystemCallFilter", "(bas)", (False, ["chroot:EUCLEAN"])),
                               ("SystemCallFilter", "(bas)", (True, ["chroot"]))])
    t.eq(j.stdout.strip(), "ok", "an allow line removes it from the deny-list")

with t.case("A scalar twice: the last value (PrivateNetwork yes, then no)"):
    j = run_job(conn, ["/bin/cat", "/proc/self/net/dev"], [("PrivateNetwork", "b", True),
                                                          ("PrivateNetwork", "b", False)])
    t.check(len(j.stdout.splitlines()) > 3, "the host's interfaces", j.stdout)

with t.case("as nobody: CapabilityBoundingSet= then CAP_NET_RAW merges into {CAP_NET_RAW}: spawn-privileged"):
    a = nobody_spawn(STATUS, [("CapabilityBoundingSet", "t", 0), ("CapabilityBoundingSet", "t", CAP_NET_RAW)])
    t.eq(a.get("error"), E_ACCESS_DENIED, "denied")

with t.case("as nobody: CapabilityBoundingSet=CAP_NET_RAW then ~CAP_NET_RAW merges into none: allowed"):
    a = nobody_spawn(STATUS, [("CapabilityBoundingSet", "t", CAP_NET_RAW),
                              ("CapabilityBoundingSet", "t", ALL64 & ~CAP_NET_RAW)])
    t.eq(a.get("result"), "success", "ran")
    t.eq(int(proc_status_field(a["stdout"], "CapBnd"), 16), 0, "CapBnd")

final_checks(t, conn)
t.done()

#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Bus test: issue 15's kernel surface through the daemon, where exec-run cannot show it: the names in
# SupportedProperties, Job.Properties, what the daemon adds (ProtectClock= implies DeviceAllow=char-rtc r,
# as in systemd).
# The escape pairs themselves are tests/escape/test-kernel-escapes.sh.
#
# Run: tests/with-bus -- tests/bus/test-kernel-properties.py

import os
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from confinetest import (  # noqa: E402
    JobReaper, Tap, connect, final_checks, get_prop, install_child_cleanup, kill_job, manager_prop, py_job, run_job,
    spawn, wait_job,
)

t = Tap(timeout=110)
install_child_cleanup(t)
conn = connect()
reaper = JobReaper()
t.add_cleanup(lambda: reaper.kill_all(conn))

NAMES = ["ProtectClock", "ProtectKernelLogs", "PrivateMounts", "KeyringMode", "Personality", "SecureBits",
         "NoExecPaths", "ExecPaths", "MountAPIVFS"]

with t.case("SupportedProperties lists the kernel surface"):
    supported = manager_prop(conn, "SupportedProperties")
    t.eq([n for n in NAMES if n not in supported], [], "missing names")

with t.case("Job.Properties reports ProtectClock, ProtectKernelLogs and the implied DeviceAllow=char-rtc r"):
    path, _ = spawn(conn, ["sleep", "1000"], [("ProtectClock", "b", True), ("ProtectKernelLogs", "b", True)])
    reaper.add(path)
    props = dict(get_prop(conn, path, "Properties"))
    t.eq((props.get("ProtectClock"), props.get("ProtectKernelLogs")), (True, True), "the switches")
    t.eq(props.get("DeviceAllow"), [("char-rtc", "r")], "DeviceAllow")
    kill_job(conn, path, signal.SIGKILL)
    wait_job(conn, path, 10)

with t.case("ProtectClock=yes closes the job's devices to the default set, as DeviceAllow= does"):
    probe = "test -e /dev/null && echo null; test -e /dev/kmsg && echo kmsg; true"
    j = run_job(conn, ["sh", "-c", probe])
    t.eq((j.result, j.stdout), ("success", "null\nkmsg\n"), "without\n" + j.stderr)
    j = run_job(conn, ["sh", "-c", probe], [("ProtectClock", "b", True)])
    t.eq((j.result, j.stdout), ("success", "null\n"), "with\n" + j.stderr)

with t.case("Job.Properties: KeyringMode is private unless set; PrivateMounts, Personality, SecureBits as set"):
    path, _ = spawn(conn, ["sleep", "1000"])
    reaper.add(path)
    props = dict(get_prop(conn, path, "Properties"))
    t.eq((props.get("KeyringMode"), "Personality" in props, "SecureBits" in props, "PrivateMounts" in props),
         ("private", False, False, False), "defaults")
    kill_job(conn, path, signal.SIGKILL)
    wait_job(conn, path, 10)
    path, _ = spawn(conn, ["sleep", "1000"], [("KeyringMode", "s", "shared"), ("PrivateMounts", "b", True),
                                              ("SecureBits", "i", 0x3), ("Personality", "s", "")])
    reaper.add(path)
    props = dict(get_prop(conn, path, "Properties"))
    t.eq((props.get("KeyringMode"), props.get("PrivateMounts"), props.get("SecureBits"), "Personality" in props),
         ("shared", True, 3, False), "as set")
    kill_job(conn, path, signal.SIGKILL)
    wait_job(conn, path, 10)

with t.case("KeyringMode=inherit jobs share the daemon's session keyring; private ones each get their own"):
    # keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0): the serial of the session keyring.
    code = ("import ctypes, platform; nr = {'x86_64': 250, 'aarch64': 219}[platform.machine()]; "
            "print(ctypes.CDLL(None, use_errno=True).syscall(nr, 0, -3, 0))")

    def serial(props):
        j = run_job(conn, py_job(code), props)
        t.eq(j.result, "success", "job\n" + j.stderr)
        return int(j.stdout)

    inherit = [serial([("KeyringMode", "s", "inherit")]) for _ in range(2)]
    private = [serial([]) for _ in range(2)]
    t.eq(inherit[0], inherit[1], "two inherit jobs see one keyring")
    t.check(private[0] > 0 and private[1] > 0 and private[0] != private[1] and inherit[0] not in private,
            "private keyrings are new and distinct", "%r %r" % (inherit, private))

final_checks(t, conn, reaper)
t.done()

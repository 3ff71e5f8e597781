#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Bus test: issue 15's kernel surface through the daemon, where exec-run cannot show it: the names in
# SupportedProperties, Job.Properties, what the daemon adds (ProtectClock= implies DeviceAllow=char-rtc r,
# as in systemd).
# The escape pairs themselves are tests/escape/test-kernel-escapes.sh.
#
# Run: tests/with-bus -- tests/bus/test-kernel-properties.py

import ctypes
import os
import signal
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from confinetest import (  # noqa: E402
    JobReaper, Tap, connect, final_checks, get_prop, install_child_cleanup, kill_job, manager_prop, poll_until,
    proc_status_field, py_job, run_job, spawn, wait_job,
)

t = Tap(timeout=110)
install_child_cleanup(t)
conn = connect()
reaper = JobReaper()
t.add_cleanup(lambda: reaper.kill_all(conn))

NAMES = ["ProtectClock", "ProtectKernelLogs", "PrivateMounts", "KeyringMode", "Personality", "SecureBits",
         "NoExecPaths", "ExecPaths", "MountAPIVFS", "RemoveIPC", "PrivateUsers",
         "UnsetEnvironment", "IgnoreSIGPIPE", "TimerSlackNSec", "CoredumpFilter", "OOMScoreAdjust", "CPUAffinity",
         "IOSchedulingClass", "IOSchedulingPriority", "CPUSchedulingPolicy", "CPUSchedulingPriority",
         "CPUSchedulingResetOnFork", "KillMode", "KillSignal", "FinalKillSignal", "SendSIGKILL", "TimeoutStopUSec"]

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

with t.case("Job.Properties and what a User=nobody job sees of the process attributes"):
    props = [("UnsetEnvironment", "as", ["HOME"]), ("IgnoreSIGPIPE", "b", True), ("TimerSlackNSec", "t", 1000000),
             ("CoredumpFilter", "t", 0x11), ("OOMScoreAdjust", "i", 300), ("CPUAffinity", "ay", b"\x01"),
             ("IOSchedulingClass", "i", 3), ("CPUSchedulingPolicy", "i", 3)]
    j = run_job(conn, ["sh", "-c", "echo ${HOME:-unset}; cat /proc/self/timerslack_ns /proc/self/coredump_filter "
                       "/proc/self/oom_score_adj; grep -E 'SigIgn|Cpus_allowed_list' /proc/self/status; ionice; "
                       "chrt -p $$ | head -1"], props + [("User", "s", "nobody")])
    t.eq(j.result, "success", "job\n" + j.stderr)
    t.eq(j.stdout.split(), ["unset", "1000000", "00000011", "300", "SigIgn:", "0000000000001000",
                            "Cpus_allowed_list:", "0", "idle", "pid", j.stdout.split()[10], "current", "scheduling",
                            "policy:", "SCHED_BATCH"], "what the job sees")
    path, _ = spawn(conn, ["sleep", "1000"], props)
    reaper.add(path)
    p = dict(get_prop(conn, path, "Properties"))
    t.eq((p.get("UnsetEnvironment"), p.get("IgnoreSIGPIPE"), p.get("TimerSlackNSec"), p.get("CoredumpFilter"),
          p.get("OOMScoreAdjust"), bytes(p.get("CPUAffinity", b"")), p.get("IOSchedulingClass"),
          p.get("IOSchedulingPriority"), p.get("CPUSchedulingPolicy"), p.get("CPUSchedulingPriority")),
         (["HOME"], True, 1000000, 0x11, 300, b"\x01", 3, 4, 3, 0), "Properties")
    kill_job(conn, path, signal.SIGKILL)
    wait_job(conn, path, 10)

# RemoveIPC=: a job of User=daemon (uid 1, which runs nothing on a test host) leaves a System V shared
# memory segment and a POSIX one (/dev/shm) behind. Without the property they outlive it; with it the
# daemon removes them when the job ends, unless a process of that uid still runs on the host.
IPC_JOB = ("import ctypes, os; libc = ctypes.CDLL(None, use_errno=True); "
           "shmid = libc.shmget(0, 4096, 0o1600); "
           "fd = os.open('/dev/shm/' + os.environ['NAME'], os.O_CREAT | os.O_WRONLY, 0o600); "
           "print(shmid)")


def shm_ids():
    with open("/proc/sysvipc/shm") as f:
        return {int(line.split()[1]) for line in f.readlines()[1:]}


def ipc_job(props, name):
    j = run_job(conn, py_job(IPC_JOB), [("User", "s", "daemon"), ("Environment", "as", ["NAME=" + name])] + props)
    t.eq((j.result, j.status), ("success", 0), "the IPC job\n" + j.stderr)
    return int(j.stdout)


def ipc_cleanup(shmid, name):
    ctypes.CDLL(None).shmctl(shmid, 0, None)  # IPC_RMID
    if os.path.exists("/dev/shm/" + name):
        os.unlink("/dev/shm/" + name)


with t.case("RemoveIPC: without it, the job's IPC objects outlive it"):
    name = "confine-test-ipc-%d" % os.getpid()
    shmid = ipc_job([], name)
    t.check(shmid in shm_ids() and os.path.exists("/dev/shm/" + name), "both remain", str(shmid))
    ipc_cleanup(shmid, name)

with t.case("RemoveIPC=yes: the daemon removes them when the job ends"):
    shmid = ipc_job([("RemoveIPC", "b", True)], name)
    t.check(shmid not in shm_ids() and not os.path.exists("/dev/shm/" + name), "both removed", str(shmid))
    ipc_cleanup(shmid, name)

with t.case("RemoveIPC=yes while another process of that uid runs: they stay"):
    sleeper = subprocess.Popen(["setpriv", "--reuid=1", "--regid=1", "--clear-groups", "sleep", "60"])
    try:
        t.check(poll_until(lambda: proc_status_field(open("/proc/%d/status" % sleeper.pid).read(), "Uid")
                           .split()[0] == "1", 5), "the sleeper runs as uid 1")
        shmid = ipc_job([("RemoveIPC", "b", True)], name)
        t.check(shmid in shm_ids() and os.path.exists("/dev/shm/" + name), "both remain", str(shmid))
    finally:
        sleeper.kill()
        sleeper.wait()
        ipc_cleanup(shmid, name)

final_checks(t, conn, reaper)
t.done()

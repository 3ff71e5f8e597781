#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Bus test: running jobs as root: exit codes, signals, Wait, Kill, spawn failures, fd
# passing, job properties, GetJob/ListJobs, and the refusal of bad requests.
#
# Run: tests/with-bus -- tests/bus/test-run.py

import os
import select
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from confinetest import (  # noqa: E402
    E_INVALID_ARGS, E_INVALID_PROPERTY, E_NO_SUCH_JOB, E_SPAWN_FAILED, E_UNKNOWN_PROPERTY, GLib,
    JOB_IFACE, JOB_PATH_PREFIX, MANAGER_IFACE, MANAGER_PATH, AsyncCall, JobReaper, Tap, confinectl,
    connect, final_checks, get_all, get_job, get_prop, install_child_cleanup, iterate_until, kill_job,
    list_jobs, manager_prop, njobs, pid_alive, poll_until, py_job, read_pipes, run_job, spawn, wait_job,
)

SUPPORTED = ["Environment", "WorkingDirectory", "StandardInputFileDescriptor",
             "StandardOutputFileDescriptor", "StandardErrorFileDescriptor", "ExtraFileDescriptors",
             "User", "Group", "NoNewPrivileges", "CapabilityBoundingSet", "PrivateNetwork", "PrivateTmp"]

t = Tap(timeout=150)
install_child_cleanup(t)
conn = connect()
reaper = JobReaper()
t.add_cleanup(lambda: reaper.kill_all(conn))


def now_us():
    return time.time_ns() // 1000


# ---------------------------------------------------------------------------------------
with t.case("Manager properties: Version, SupportedProperties, NJobs = 0 at start"):
    v = manager_prop(conn, "Version")
    t.check(isinstance(v, str) and v != "", "Version is a non-empty string", repr(v))
    sp = manager_prop(conn, "SupportedProperties")
    for name in SUPPORTED:
        t.contains(sp, name, "SupportedProperties")
    t.eq(njobs(conn), 0, "NJobs")

# ---------------------------------------------------------------------------------------
# Exit codes and signals.

with t.case("exit 0 → Result success, ExitStatus 0"):
    j = run_job(conn, ["sh", "-c", "exit 0"])
    t.eq((j.result, j.status), ("success", 0), "Wait()")
    t.eq(get_prop(conn, j.path, "Result"), "success", "Result")
    t.eq(get_prop(conn, j.path, "ExitStatus"), 0, "ExitStatus")
    t.eq(get_prop(conn, j.path, "State"), "exited", "State")

DAEMON_PID = int(os.environ["CONFINE_DAEMON_PID"])


def daemon_fds():
    return sorted(int(x) for x in os.listdir("/proc/%d/fd" % DAEMON_PID))


fds_baseline = daemon_fds()

with t.case("exit 7 → Result exit-code, ExitStatus 7"):
    j = run_job(conn, ["sh", "-c", "exit 7"])
    t.eq((j.result, j.status), ("exit-code", 7), "Wait()")
    t.eq(get_prop(conn, j.path, "Result"), "exit-code", "Result")
    t.eq(get_prop(conn, j.path, "ExitStatus"), 7, "ExitStatus")

with t.case("killed by SIGKILL → Result signal, ExitStatus 9"):
    j = run_job(conn, ["sh", "-c", "kill -9 $$"])
    t.eq((j.result, j.status), ("signal", 9), "Wait()")
    t.eq(get_prop(conn, j.path, "Result"), "signal", "Result")
    t.eq(get_prop(conn, j.path, "ExitStatus"), 9, "ExitStatus")

with t.case("confinectl run exits with the job's status: 0, 7, 137 (SIGKILL), output passed through"):
    r = confinectl(["run", "--", "sh", "-c", "echo out-$((6*7)); echo err-1 >&2; exit 0"])
    t.eq((r.returncode, r.stdout, r.stderr), (0, "out-42\n", "err-1\n"), "run exit 0 (status, stdout, stderr)")
    r = confinectl(["run", "--", "sh", "-c", "exit 7"])
    t.eq(r.returncode, 7, "run exit 7: status\n" + r.stderr)
    r = confinectl(["run", "--", "sh", "-c", "kill -9 $$"])
    t.eq(r.returncode, 137, "run kill -9: status\n" + r.stderr)

with t.case("confinectl run exits as env(1) and systemd-run: 125 setup failed, 126 cannot execute, 127 not found"):
    r = confinectl(["run", "-p", "WorkingDirectory=/nonexistent", "--", "true"])
    t.eq(r.returncode, 125, "WorkingDirectory=/nonexistent: status\n" + r.stderr)
    t.contains(r.stderr, "chdir", "stderr")
    r = confinectl(["run", "--", "/nonexistent/confine-no-such-program"])
    t.eq(r.returncode, 127, "missing program: status\n" + r.stderr)
    r = confinectl(["run", "--", "confine-no-such-program-in-path"])
    t.eq(r.returncode, 127, "program not in PATH: status\n" + r.stderr)
    r = confinectl(["run", "--", "/etc/passwd"])
    t.eq(r.returncode, 126, "a file without x (EACCES): status\n" + r.stderr)
    r = confinectl(["run", "--", "/usr"])
    t.eq(r.returncode, 126, "a directory (EACCES): status\n" + r.stderr)

with t.case("SpawnFailed ends in its fixed fields: [step=STEP errno=ENAME property=NAME]"):
    e = t.raises(E_SPAWN_FAILED, spawn, conn, ["true"], [("WorkingDirectory", "s", "/nonexistent")])
    t.check(e.message.endswith(" [step=chdir errno=ENOENT property=WorkingDirectory]"), "chdir fields", e.message)
    e = t.raises(E_SPAWN_FAILED, spawn, conn, ["/nonexistent/confine-no-such-program"])
    t.check(e.message.endswith(" [step=execve errno=ENOENT]"), "execve fields", e.message)
    e = t.raises(E_SPAWN_FAILED, spawn, conn, ["/etc/passwd"])
    t.check(e.message.endswith(" [step=execve errno=EACCES]"), "EACCES fields", e.message)
    e = t.raises(E_SPAWN_FAILED, spawn, conn, ["true"], [("ReadOnlyPaths", "as", ["/nonexistent-confine-ro"])])
    t.check(e.message.endswith(" [step=mount errno=ENOENT property=ReadOnlyPaths]"), "mount fields", e.message)

# ---------------------------------------------------------------------------------------
# Wait and Kill.

with t.case("Wait() called before the exit returns at exit, to every waiter; and again after"):
    r, w = os.pipe()
    try:
        path, job_id = spawn(conn, ["sh", "-c", "read x; exit 3"], [("StandardInputFileDescriptor", "h", r)])
        reaper.add(path)
    finally:
        os.close(r)
    w1 = AsyncCall(conn, path, JOB_IFACE, "Wait", None, "(si)")
    w2 = AsyncCall(conn, path, JOB_IFACE, "Wait", None, "(si)")
    iterate_until(lambda: w1.done or w2.done, 0.5)
    t.check(not w1.done and not w2.done, "Wait() must not return while the job runs",
            "w1=%r/%r w2=%r/%r" % (w1.result, w1.error, w2.result, w2.error))
    t.eq(get_prop(conn, path, "State"), "running", "State while blocked in read")
    os.write(w, b"go\n")
    os.close(w)
    iterate_until(lambda: w1.done and w2.done, 15)
    t.check(w1.done and w2.done, "both Wait() calls answered after the exit")
    t.eq((w1.error, w1.result), (None, ("exit-code", 3)), "first Wait()")
    t.eq((w2.error, w2.result), (None, ("exit-code", 3)), "second Wait()")
    t.eq(wait_job(conn, path, 5), ("exit-code", 3), "Wait() after the exit")

with t.case("Kill(SIGTERM) → Result killed, ExitStatus 15, the process is gone"):
    path, job_id = spawn(conn, ["sleep", "1000"])
    reaper.add(path)
    pid = get_prop(conn, path, "MainPID")
    t.check(pid_alive(pid), "MainPID %d alive before Kill" % pid)
    t.eq(get_prop(conn, path, "State"), "running", "State before Kill")
    kill_job(conn, path, signal.SIGTERM)
    t.eq(wait_job(conn, path), ("killed", 15), "Wait()")
    t.eq(get_prop(conn, path, "Result"), "killed", "Result")
    t.eq(get_prop(conn, path, "ExitStatus"), 15, "ExitStatus")
    t.check(poll_until(lambda: not pid_alive(pid), 5), "pid %d gone after the kill" % pid)

with t.case("Kill() with signal 0 or -1 → InvalidArgs; Kill() on an exited job is harmless"):
    path, job_id = spawn(conn, ["sleep", "1000"])
    reaper.add(path)
    t.raises(E_INVALID_ARGS, kill_job, conn, path, 0)
    t.raises(E_INVALID_ARGS, kill_job, conn, path, -1)
    t.eq(get_prop(conn, path, "State"), "running", "State after the refused kills")
    kill_job(conn, path, signal.SIGKILL)
    t.eq(wait_job(conn, path), ("killed", 9), "Wait()")
    kill_job(conn, path, signal.SIGKILL)
    t.eq(get_prop(conn, path, "Result"), "killed", "Result after a second Kill")

with t.case("when the main process exits, what it left behind in the job is killed"):
    j = run_job(conn, ["sh", "-c", "sleep 1000 </dev/null >/dev/null 2>&1 & echo $!"])
    t.eq((j.result, j.status), ("success", 0), "Wait()")
    orphan = int(j.stdout)
    t.check(poll_until(lambda: not pid_alive(orphan), 5), "the background sleep (pid %d) is gone" % orphan)

with t.case("Kill(SIGTERM) also ends a child that left the job's session (setsid)"):
    r, w = os.pipe()
    try:
        path, job_id = spawn(conn, ["sh", "-c", "setsid sleep 1000 </dev/null >/dev/null 2>&1 & echo $!; wait"],
                             [("StandardOutputFileDescriptor", "h", w)])
        reaper.add(path)
        os.close(w)
        w = -1
        line = b""
        while not line.endswith(b"\n"):
            ready = select.select([r], [], [], 10)[0]
            t.check(ready, "the job printed its child's pid")
            c = os.read(r, 1)
            t.check(c, "the job printed its child's pid")
            line += c
    finally:
        os.close(r)
        if w >= 0:
            os.close(w)
    child = int(line)
    t.check(pid_alive(child), "the setsid child %d runs" % child)
    kill_job(conn, path, signal.SIGTERM)
    t.eq(wait_job(conn, path), ("killed", 15), "Wait()")
    t.check(poll_until(lambda: not pid_alive(child), 5), "the setsid child (pid %d) is gone" % child)

with t.case("the Spawn reply comes after execve(): MainPID already runs the target program"):
    path, job_id = spawn(conn, ["sleep", "1000"])
    reaper.add(path)
    pid = get_prop(conn, path, "MainPID")
    exe = os.readlink("/proc/%d/exe" % pid)
    t.eq(os.path.basename(exe), "sleep", "/proc/%d/exe (%s)" % (pid, exe))
    kill_job(conn, path, signal.SIGKILL)
    wait_job(conn, path)

with t.case("20 Spawn calls in flight at once: all answered, distinct ids, all succeed"):
    calls = [AsyncCall(conn, MANAGER_PATH, MANAGER_IFACE, "Spawn",
                       GLib.Variant("(asa(sv)t)", (["sh", "-c", "exit %d" % i], [], 0)), "(ot)")
             for i in range(20)]
    iterate_until(lambda: all(c.done for c in calls), 20)
    t.eq([c.error for c in calls], [None] * 20, "errors")
    for c in calls:
        reaper.add(c.result[0])
    t.eq(len({c.result[1] for c in calls}), 20, "distinct ids")
    t.eq([wait_job(conn, c.result[0]) for c in calls],
         [("success", 0)] + [("exit-code", i) for i in range(1, 20)], "Wait() of each, in order")

with t.case("ten jobs at once: NJobs is 10, each listed as running; all killed → NJobs 0"):
    paths = []
    for i in range(10):
        path, job_id = spawn(conn, ["sleep", "1000"])
        paths.append(reaper.add(path))
    t.eq(njobs(conn), 10, "NJobs")
    running = {x[5] for x in list_jobs(conn) if x[1] == "running"}
    t.eq(running, set(paths), "running jobs in ListJobs")
    for p in paths:
        kill_job(conn, p, signal.SIGKILL)
    t.eq([wait_job(conn, p) for p in paths], [("killed", 9)] * 10, "Wait() of each")
    t.eq(njobs(conn), 0, "NJobs after the kills")

# ---------------------------------------------------------------------------------------
# Spawn failures.

# NJobs counts jobs "starting or running". A failed spawn leaves the count before the
# SpawnFailed reply is sent; the strict check below reads it right after the reply.

with t.case("WorkingDirectory=/nonexistent → SpawnFailed naming chdir and the property; NJobs unchanged"):
    before = njobs(conn)
    ids_before = [x[0] for x in list_jobs(conn)]
    e = t.raises(E_SPAWN_FAILED, spawn, conn, ["true"], [("WorkingDirectory", "s", "/nonexistent")])
    t.contains(e.message, "chdir", "error message")
    t.contains(e.message, "WorkingDirectory=/nonexistent", "error message")
    t.contains(e.message, "No such file or directory", "error message")
    t.eq(njobs(conn), before, "NJobs after the SpawnFailed reply")
    # New ids only: an exited job listed before may reach KeepExitedSec meanwhile (a slow VM).
    t.eq([i for i, *_ in list_jobs(conn) if i not in ids_before], [],
         "new ListJobs ids (the failed job is never listed)")

with t.case("missing program → SpawnFailed naming execve and the program; NJobs unchanged"):
    before = njobs(conn)
    e = t.raises(E_SPAWN_FAILED, spawn, conn, ["confine-no-such-program-xyz"])
    t.contains(e.message, "execve", "error message")
    t.contains(e.message, "confine-no-such-program-xyz", "error message")
    t.contains(e.message, "No such file or directory", "error message")
    t.eq(njobs(conn), before, "NJobs")

with t.case("NJobs does not count a spawn that already failed (read right after the SpawnFailed "
            "reply, 100 times; PrivateTmp, execve ENOENT, confined pinned to one CPU)"):
    # Pinning confined (and so confine-exec) to one CPU and this test to another makes the
    # window between the SpawnFailed reply and the reaping of confine-exec easy to hit.
    cpus = sorted(os.sched_getaffinity(DAEMON_PID))
    old_daemon, old_self = os.sched_getaffinity(DAEMON_PID), os.sched_getaffinity(0)
    os.sched_setaffinity(DAEMON_PID, {cpus[0]})
    if len(cpus) > 1:
        os.sched_setaffinity(0, {cpus[1]})
    try:
        before = njobs(conn)
        seen = []
        for i in range(100):
            t.raises(E_SPAWN_FAILED, spawn, conn, ["/nonexistent/confine-no-such-program"],
                     [("PrivateTmp", "b", True)])
            seen.append(njobs(conn))
    finally:
        os.sched_setaffinity(DAEMON_PID, old_daemon)
        os.sched_setaffinity(0, old_self)
    bad = [(i, n) for i, n in enumerate(seen) if n != before]
    poll_until(lambda: njobs(conn) == before, 2)
    t.eq(bad, [], "(attempt, NJobs) read right after SpawnFailed that differ from %d" % before)

# ---------------------------------------------------------------------------------------
# fds, environment, working directory.

with t.case("StandardOutputFileDescriptor: the job writes into the caller's pipe"):
    r, w = os.pipe()
    try:
        path, _ = spawn(conn, ["sh", "-c", "echo via-stdout-$((40+2))"], [("StandardOutputFileDescriptor", "h", w)])
        reaper.add(path)
        os.close(w)
        w = -1
        out = read_pipes([r], 10)[r]
    finally:
        os.close(r)
        if w >= 0:
            os.close(w)
    t.eq(out, b"via-stdout-42\n", "pipe contents")
    t.eq(wait_job(conn, path), ("success", 0), "Wait()")

with t.case("the daemon keeps no copy of the caller's fds: EOF as soon as the running job closes them"):
    r, w = os.pipe()
    try:
        path, _ = spawn(conn, ["sh", "-c", "exec >&- 2>&-; echo x >&3; exec 3>&-; exec sleep 1000"],
                        [("StandardOutputFileDescriptor", "h", w), ("StandardErrorFileDescriptor", "h", w),
                         ("ExtraFileDescriptors", "a(hs)", [(w, "again")])])
        reaper.add(path)
        os.close(w)
        w = -1
        out = read_pipes([r], 5)[r]      # raises if no EOF
    finally:
        os.close(r)
        if w >= 0:
            os.close(w)
    t.eq(out, b"x\n", "pipe contents")
    t.eq(get_prop(conn, path, "State"), "running", "the job still runs")
    kill_job(conn, path, signal.SIGKILL)
    wait_job(conn, path)

with t.case("ExtraFileDescriptors: one fd → fd 3, LISTEN_FDS=1, LISTEN_FDNAMES, LISTEN_PID"):
    r, w = os.pipe()
    try:
        j = run_job(conn, ["sh", "-c", 'echo "$LISTEN_FDS|$LISTEN_FDNAMES|$LISTEN_PID|$$"; echo to-fd3 >&3'],
                    [("ExtraFileDescriptors", "a(hs)", [(w, "myfd")])])
        os.close(w)
        w = -1
        extra = read_pipes([r], 10)[r]
    finally:
        os.close(r)
        if w >= 0:
            os.close(w)
    t.eq((j.result, j.status, j.stderr), ("success", 0, ""), "job (result, status, stderr)")
    fds, names, lpid, pid = j.stdout.strip().split("|")
    t.eq((fds, names), ("1", "myfd"), "LISTEN_FDS, LISTEN_FDNAMES")
    t.eq(lpid, pid, "LISTEN_PID is the job's pid")
    t.eq(extra, b"to-fd3\n", "what the job wrote to fd 3")

with t.case("ExtraFileDescriptors: two fds → fd 3 and 4, LISTEN_FDS=2, LISTEN_FDNAMES=alpha:beta"):
    p1, p2 = os.pipe(), os.pipe()
    try:
        j = run_job(conn, ["sh", "-c", 'echo "$LISTEN_FDS|$LISTEN_FDNAMES"; echo A >&3; echo B >&4'],
                    [("ExtraFileDescriptors", "a(hs)", [(p1[1], "alpha"), (p2[1], "beta")])])
        os.close(p1[1])
        os.close(p2[1])
        got = read_pipes([p1[0], p2[0]], 10)
    finally:
        for fd in (p1[0], p2[0]):
            os.close(fd)
    t.eq((j.result, j.stdout), ("success", "2|alpha:beta\n"), "job (result, stdout)")
    t.eq((got[p1[0]], got[p2[0]]), (b"A\n", b"B\n"), "fd 3 and fd 4")

with t.case("Environment (given twice: accumulates) and WorkingDirectory=/tmp"):
    j = run_job(conn, ["sh", "-c", 'echo "$CONFINE_A|$CONFINE_B|$(pwd)"'],
                [("Environment", "as", ["CONFINE_A=one"]), ("Environment", "as", ["CONFINE_B=two words"]),
                 ("WorkingDirectory", "s", "/tmp")])
    t.eq((j.result, j.stdout), ("success", "one|two words|/tmp\n"), "job (result, stdout)")

# ---------------------------------------------------------------------------------------
# Job properties, GetJob, ListJobs.

BUSY = """
import os, time
print(os.getpid(), flush=True)
while time.process_time() < 0.3:
    pass
b = b"x" * (32 << 20)
print(len(b))
"""

with t.case("job properties: Id, Owner, Argv, MainPID, timestamps, CPUUsageNSec, MemoryPeak, Properties"):
    argv = py_job(BUSY)
    t0 = now_us()
    j = run_job(conn, argv, [("WorkingDirectory", "s", "/tmp")])
    t1 = now_us()
    t.eq((j.result, j.status), ("success", 0), "Wait()")
    lines = j.stdout.split()
    t.eq(len(lines), 2, "job output lines: %r / %r" % (j.stdout, j.stderr))
    p = get_all(conn, j.path)
    t.eq(p["Id"], j.id, "Id")
    t.eq(j.path, JOB_PATH_PREFIX + str(j.id), "object path")
    t.eq(p["Owner"], 0, "Owner")
    t.eq(p["Argv"], argv, "Argv")
    t.eq(p["State"], "exited", "State")
    t.check(p["MainPID"] > 0, "MainPID > 0", p["MainPID"])
    t.eq(p["MainPID"], int(lines[0]), "MainPID is the pid the job saw")
    t.check(t0 <= p["StartTimestamp"] <= p["ExitTimestamp"] <= t1,
            "caller before ≤ StartTimestamp ≤ ExitTimestamp ≤ caller after",
            (t0, p["StartTimestamp"], p["ExitTimestamp"], t1))
    t.check(p["CPUUsageNSec"] >= 300_000_000, "CPUUsageNSec ≥ 0.3 s for a job that burned 0.3 s of CPU",
            p["CPUUsageNSec"])
    t.check(p["CPUUsageNSec"] < 60 * 10**9, "CPUUsageNSec is plausible (< 60 s)", p["CPUUsageNSec"])
    t.check(p["MemoryPeak"] >= 32 << 20, "MemoryPeak ≥ 32 MiB for a job that filled 32 MiB", p["MemoryPeak"])
    props = dict(p["Properties"])
    t.eq(props.get("WorkingDirectory"), "/tmp", "Properties: WorkingDirectory")
    t.eq(props.get("PrivateNetwork"), False, "Properties: PrivateNetwork")

with t.case("a running job: State running, ExitTimestamp 0, listed by ListJobs; GetJob(id) gives its path"):
    before = njobs(conn)
    path, job_id = spawn(conn, ["sleep", "1000"])
    reaper.add(path)
    p = get_all(conn, path)
    t.eq(p["State"], "running", "State")
    t.eq(p["ExitTimestamp"], 0, "ExitTimestamp while running")
    t.check(p["StartTimestamp"] > 0, "StartTimestamp > 0", p["StartTimestamp"])
    t.eq(get_job(conn, job_id), path, "GetJob(%d)" % job_id)
    entry = [x for x in list_jobs(conn) if x[0] == job_id]
    t.eq(entry, [(job_id, "running", 0, p["MainPID"], "sleep", path)], "ListJobs entry")
    t.eq(njobs(conn), before + 1, "NJobs with one more job running")
    kill_job(conn, path, signal.SIGKILL)
    t.eq(wait_job(conn, path), ("killed", 9), "Wait()")
    entry = [x for x in list_jobs(conn) if x[0] == job_id]
    t.eq([(x[0], x[1], x[2]) for x in entry], [(job_id, "exited", 0)], "ListJobs entry after exit")
    t.eq(njobs(conn), before, "NJobs after the exit")

with t.case("GetJob(unknown id) → NoSuchJob"):
    t.raises(E_NO_SUCH_JOB, get_job, conn, 987654321)
    t.raises(E_NO_SUCH_JOB, get_job, conn, 0)

# ---------------------------------------------------------------------------------------
# Bad requests: refused with the right error, and nothing started.


def refused(desc, error, argv, props=(), flags=0, names=()):
    with t.case(desc):
        before = njobs(conn)
        ids_before = [x[0] for x in list_jobs(conn)]
        e = t.raises(error, spawn, conn, argv, props, flags)
        for n in names:
            t.contains(e.message, n, "error message")
        t.eq(njobs(conn), before, "NJobs")
        t.eq([i for i, *_ in list_jobs(conn) if i not in ids_before], [], "new ListJobs ids")


refused("unknown property → UnknownProperty naming it", E_UNKNOWN_PROPERTY,
        ["true"], [("NoSuchConfineProperty", "s", "x")], names=["NoSuchConfineProperty"])
refused("PrivateNetwork with signature s → InvalidProperty naming PrivateNetwork", E_INVALID_PROPERTY,
        ["true"], [("PrivateNetwork", "s", "yes")], names=["PrivateNetwork"])
refused("unknown flag bit 16 → InvalidArgs", E_INVALID_ARGS, ["true"], flags=16)
refused("flag bit 63 → InvalidArgs", E_INVALID_ARGS, ["true"], flags=1 << 63)
refused("empty argv → InvalidArgs", E_INVALID_ARGS, [])
refused("argv[0] empty → InvalidArgs", E_INVALID_ARGS, [""])
refused("relative WorkingDirectory → InvalidProperty naming WorkingDirectory", E_INVALID_PROPERTY,
        ["true"], [("WorkingDirectory", "s", "tmp")], names=["WorkingDirectory"])
refused("WorkingDirectory with .. → InvalidProperty", E_INVALID_PROPERTY,
        ["true"], [("WorkingDirectory", "s", "/tmp/../etc")], names=["WorkingDirectory"])
refused("Environment entry without = → InvalidProperty naming Environment", E_INVALID_PROPERTY,
        ["true"], [("Environment", "as", ["NOEQUALSIGN"])], names=["Environment"])

opath = os.open("/dev/null", os.O_PATH | os.O_CLOEXEC)
refused("an O_PATH fd as StandardOutputFileDescriptor → InvalidProperty", E_INVALID_PROPERTY,
        ["true"], [("StandardOutputFileDescriptor", "h", opath)], names=["StandardOutputFileDescriptor"])
os.close(opath)
dirfd = os.open("/", os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
refused("a directory fd in ExtraFileDescriptors → InvalidProperty", E_INVALID_PROPERTY,
        ["true"], [("ExtraFileDescriptors", "a(hs)", [(dirfd, "root")])], names=["ExtraFileDescriptors"])
os.close(dirfd)

with t.case("the daemon still serves after the bad requests"):
    j = run_job(conn, ["sh", "-c", "echo still-here"])
    t.eq((j.result, j.stdout), ("success", "still-here\n"), "job")

with t.case("the daemon's fd count is back to its baseline once the jobs are gone"):
    reaper.kill_all(conn)
    poll_until(lambda: daemon_fds() == fds_baseline, 3)
    t.eq(daemon_fds(), fds_baseline, "fds of confined (pid %d)" % DAEMON_PID)

final_checks(t, conn, reaper)
t.done()

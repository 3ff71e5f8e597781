#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Bus test: PrivatePIDs=yes keeps what confined promises about a job: its exit status (exit code,
# death by a signal with the right number), Kill() with any signal (SIGTERM to a program with no
# handler, which a PID 1 would never see), RuntimeMaxUSec=, and that nothing outlives the job. It
# also checks what the job sees (its own /proc, PID 2 under confine-exec's init) and Job.Properties.
#
# Run: tests/with-bus -- tests/bus/test-private-pids.py

import os
import select
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from confinetest import (  # noqa: E402
    JOB_IFACE, Gio, GLib, JobReaper, Tap, confinectl, connect, final_checks, get_prop, install_child_cleanup, kill_job,
    pid_alive, poll_until, read_pipes, run_job, spawn, wait_job,
)

t = Tap(timeout=110)
install_child_cleanup(t)
conn = connect()
reaper = JobReaper()
t.add_cleanup(lambda: reaper.kill_all(conn))

PIDS = [("PrivatePIDs", "b", True)]


def spawn_reading(argv, props):
    """Spawn argv with stdout on a pipe; returns (path, first line of its output)."""
    r, w = os.pipe()
    try:
        path, _ = spawn(conn, argv, list(props) + [("StandardOutputFileDescriptor", "h", w)])
        reaper.add(path)
        os.close(w)
        w = -1
        line = b""
        while not line.endswith(b"\n"):
            if not select.select([r], [], [], 10)[0]:
                break
            c = os.read(r, 1)
            if not c:
                break
            line += c
        return path, line.decode().strip()
    finally:
        os.close(r)
        if w >= 0:
            os.close(w)


with t.case("PrivatePIDs=yes: the job is PID 2 under confine-exec's init, and /proc lists only its namespace"):
    j = run_job(conn, ["sh", "-c", "echo $$; cat /proc/1/comm; ls /proc | grep -c '^[0-9]*$'"], PIDS)
    t.eq((j.result, j.status), ("success", 0), "Wait()\n" + j.stderr)
    lines = j.stdout.split()
    t.eq(lines[:2], ["2", "confine-exec"], "$$ and PID 1's name")
    t.check(len(lines) == 3 and int(lines[2]) <= 6, "at most a handful of pids in /proc", j.stdout)

with t.case("PrivatePIDs=no: the job sees the host's PID 1 and its own host pid"):
    j = run_job(conn, ["sh", "-c", "echo $$; ls /proc | grep -c '^[0-9]*$'"], [("PrivatePIDs", "b", False)])
    lines = j.stdout.split()
    t.check(int(lines[0]) > 2 and int(lines[1]) > 10, "a host pid and many processes", j.stdout)

with t.case("PrivatePIDs=yes: exit 7 → Result exit-code, ExitStatus 7"):
    j = run_job(conn, ["sh", "-c", "exit 7"], PIDS)
    t.eq((j.result, j.status), ("exit-code", 7), "Wait()")
    t.eq(get_prop(conn, j.path, "ExitStatus"), 7, "ExitStatus")

with t.case("PrivatePIDs=yes: death by a signal → Result signal with that signal's number"):
    for sig in (signal.SIGUSR1, signal.SIGTERM, signal.SIGKILL):
        j = run_job(conn, ["sh", "-c", "kill -%d $$" % sig], PIDS)
        t.eq((j.result, j.status), ("signal", int(sig)), "kill -%s $$" % sig.name)

# A core dump: the job's cwd is its private /tmp, so that the core file goes away with it.
CORE = [("PrivateTmp", "b", True), ("WorkingDirectory", "s", "/tmp"), ("LimitCORE", "t", 2**64 - 1)]
with t.case("without PrivatePIDs=: a job killed by SIGSEGV with cores allowed → core-dump (or signal, where the "
            "host's core_pattern writes none), 11"):
    j = run_job(conn, ["sh", "-c", "kill -SEGV $$"], CORE)
    t.check(j.result in ("signal", "core-dump") and j.status == 11, "Result, 11", (j.result, j.status))
    t.diag("this host: %s" % j.result)

with t.case("PrivatePIDs=yes: a job that dumps core → the right signal number, 11"):
    j = run_job(conn, ["sh", "-c", "kill -SEGV $$"], PIDS + CORE)
    t.check(j.result in ("signal", "core-dump") and j.status == 11, "Result signal or core-dump, 11", (j.result, j.status))

with t.case("PrivatePIDs=yes: a job that dumps core → Result core-dump", todo="confined reads the status of "
            "confine-exec's outer process, which ends by the job's signal but does not dump core itself"):
    j = run_job(conn, ["sh", "-c", "kill -SEGV $$"], PIDS + CORE)
    t.eq((j.result, j.status), ("core-dump", 11), "Wait()")

with t.case("PrivatePIDs=yes: Kill(SIGTERM) ends a plain sleep (no handler) → killed, 15"):
    path, _ = spawn(conn, ["sleep", "1000"], PIDS)
    reaper.add(path)
    pid = get_prop(conn, path, "MainPID")
    t.check(pid_alive(pid), "MainPID %d alive" % pid)
    kill_job(conn, path, signal.SIGTERM)
    t.eq(wait_job(conn, path, 10), ("killed", 15), "Wait()")
    t.check(poll_until(lambda: not pid_alive(pid), 5), "MainPID %d gone" % pid)

with t.case("PrivatePIDs=yes: Kill(SIGINT) and Kill(SIGKILL) → killed with that number"):
    for sig in (signal.SIGINT, signal.SIGKILL):
        path, _ = spawn(conn, ["sleep", "1000"], PIDS)
        reaper.add(path)
        kill_job(conn, path, sig)
        t.eq(wait_job(conn, path, 10), ("killed", int(sig)), "Kill(%s)" % sig.name)

with t.case("PrivatePIDs=yes: Kill(SIGUSR1) reaches the job's handler, which decides the exit status"):
    path, line = spawn_reading(["sh", "-c", "trap 'exit 3' USR1; echo ready; while :; do sleep 0.05; done"], PIDS)
    t.eq(line, "ready", "the handler is set")
    kill_job(conn, path, signal.SIGUSR1)
    t.eq(wait_job(conn, path, 10), ("exit-code", 3), "Wait()")

with t.case("PrivatePIDs=yes: Kill(SIGSTOP) stops the job, Kill(SIGCONT) lets it go on"):
    path, line = spawn_reading(["sh", "-c", "echo ready; while :; do sleep 0.05; done"], PIDS)
    kill_job(conn, path, signal.SIGSTOP)
    pid = get_prop(conn, path, "MainPID")

    def states():
        """The state of each process in the job's process group (the outer process's)."""
        out = {}
        for d in os.listdir("/proc"):
            try:
                with open("/proc/%s/stat" % d) as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except (OSError, ValueError):
                continue
            if int(fields[2]) == pid:
                out[int(d)] = fields[0]
        return out

    def all_stopped():
        # D: a shell waiting in vfork() for a child that was stopped before its execve().
        s = states()
        return len(s) >= 3 and set(s.values()) <= {"T", "D"} and "T" in s.values()
    t.check(poll_until(all_stopped, 5), "the job is stopped", states())
    kill_job(conn, path, signal.SIGCONT)
    t.check(poll_until(lambda: "T" not in states().values(), 5), "the job runs again", states())
    t.eq(get_prop(conn, path, "State"), "running", "State")
    kill_job(conn, path, signal.SIGTERM)
    t.eq(wait_job(conn, path, 10), ("killed", 15), "Wait()")

with t.case("PrivatePIDs=yes: RuntimeMaxUSec=1s → Result timeout"):
    path, _ = spawn(conn, ["sleep", "1000"], PIDS + [("RuntimeMaxUSec", "t", 1000000)])
    reaper.add(path)
    t.eq(wait_job(conn, path, 15)[0], "timeout", "Result")

with t.case("PrivatePIDs=yes: what the job leaves behind, even out of its session, ends with it"):
    j = run_job(conn, ["sh", "-c", "setsid sleep 4242.5 </dev/null >/dev/null 2>&1 & echo $!"], PIDS)
    t.eq((j.result, j.status), ("success", 0), "Wait()")

    def leftover():
        for d in os.listdir("/proc"):
            try:
                with open("/proc/%s/cmdline" % d, "rb") as f:
                    if f.read() == b"sleep\x004242.5\x00":
                        return True
            except OSError:
                pass
        return False
    t.check(poll_until(lambda: not leftover(), 5),
            "no sleep 4242.5 left on the host")

with t.case("PrivatePIDs=yes: Kill(SIGTERM) ends a job whose main process left the session too"):
    path, line = spawn_reading(["sh", "-c", "exec setsid -w sh -c 'echo ready; exec sleep 1000'"], PIDS)
    t.eq(line, "ready", "the job runs in a session of its own")
    kill_job(conn, path, signal.SIGTERM)
    t.eq(wait_job(conn, path, 10), ("killed", 15), "Wait()")

with t.case("PrivatePIDs=yes: ExtraFileDescriptors reach the job, LISTEN_PID is its pid in the namespace (2)"):
    r, w = os.pipe()
    try:
        j = run_job(conn, ["sh", "-c", 'echo "$LISTEN_FDS|$LISTEN_PID|$$"; echo to-fd3 >&3'],
                    PIDS + [("ExtraFileDescriptors", "a(hs)", [(w, "myfd")])])
        os.close(w)
        w = -1
        extra = read_pipes([r], 10)[r]
    finally:
        os.close(r)
        if w >= 0:
            os.close(w)
    t.eq((j.result, j.stdout.strip(), extra), ("success", "1|2|2", b"to-fd3\n"), "result, LISTEN_FDS|LISTEN_PID|$$, fd 3")

with t.case("PrivatePIDs=yes with flag 4: the job reads input from its terminal and has it as controlling tty"):
    path, _ = spawn(conn, ["sh", "-c", "read x; echo got:$x; ps -o tty= -p $$ | grep -c pts"], PIDS, 4)
    reaper.add(path)
    res, fds = conn.call_with_unix_fd_list_sync(
        "org.confine.Confine1", path, JOB_IFACE, "GetTerminal", None, GLib.VariantType("(h)"),
        Gio.DBusCallFlags.NONE, 10000, None, None)
    master = fds.get(res.unpack()[0])
    try:
        os.write(master, b"hello\n")
        out = b""
        while True:
            if not select.select([master], [], [], 10)[0]:
                break
            try:
                data = os.read(master, 4096)
            except OSError:
                break
            if not data:
                break
            out += data
    finally:
        os.close(master)
    t.eq(wait_job(conn, path, 10), ("success", 0), "Wait()")
    text = out.decode(errors="replace").replace("\r\n", "\n")
    t.contains(text, "got:hello\n1\n", "what the job read back, and that ps finds its pts as its tty")

with t.case("Job.Properties reports PrivatePIDs, ProtectProc and ProcSubset"):
    path, _ = spawn(conn, ["sleep", "1000"], PIDS + [("ProtectProc", "s", "invisible"), ("ProcSubset", "s", "pid")])
    reaper.add(path)
    props = dict(get_prop(conn, path, "Properties"))
    t.eq((props.get("PrivatePIDs"), props.get("ProtectProc"), props.get("ProcSubset")),
         (True, "invisible", "pid"), "Properties")
    kill_job(conn, path, signal.SIGKILL)
    wait_job(conn, path, 10)

with t.case("confinectl run -p PrivatePIDs=yes exits with the job's status: 0, 7, 138 (SIGUSR1)"):
    r = confinectl(["run", "-p", "PrivatePIDs=yes", "--", "sh", "-c", "echo $$"])
    t.eq((r.returncode, r.stdout), (0, "2\n"), "run echo $$\n" + r.stderr)
    r = confinectl(["run", "-p", "PrivatePIDs=yes", "--", "sh", "-c", "exit 7"])
    t.eq(r.returncode, 7, "run exit 7\n" + r.stderr)
    r = confinectl(["run", "-p", "PrivatePIDs=yes", "--", "sh", "-c", "kill -USR1 $$"])
    t.eq(r.returncode, 138, "run kill -USR1\n" + r.stderr)

final_checks(t, conn, reaper)
t.done()

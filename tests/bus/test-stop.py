#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Bus test: how a job is stopped (issue 15, part 4): Kill() with the job's KillSignal=, and
# RuntimeMaxUSec=, follow KillMode=, TimeoutStopUSec=, SendSIGKILL= and FinalKillSignal=, as systemd
# stops a unit. The job ignores or handles SIGTERM, so that what ends it is the final signal.
#
# Run: tests/with-bus -- tests/bus/test-stop.py

import os
import signal
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from confinetest import (  # noqa: E402
    JobReaper, Tap, connect, final_checks, get_prop, install_child_cleanup, kill_job, py_job, spawn, wait_job,
)

t = Tap(timeout=110)
install_child_cleanup(t)
conn = connect()
reaper = JobReaper()
t.add_cleanup(lambda: reaper.kill_all(conn))

# The main process ignores SIGTERM; its child, in the same process group, notes SIGTERM in a file.
STUBBORN = ("import os, signal, subprocess, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
            "subprocess.Popen([sys.executable, '-c', 'import signal, sys, time\\n"
            "def h(*a):\\n open(sys.argv[1], \"w\").write(\"term\"); sys.exit(0)\\n"
            "signal.signal(signal.SIGTERM, h)\\nwhile True: time.sleep(0.05)', sys.argv[1]]); "
            "time.sleep(1000)")


def stubborn(props, mark):
    path, _ = spawn(conn, py_job(STUBBORN) + [mark], props)
    reaper.add(path)
    time.sleep(0.4)  # the child is up and has its handler
    return path


def state(path):
    return get_prop(conn, path, "State")


with t.case("Job.Properties shows systemd's defaults: control-group, SIGTERM, SIGKILL, yes, 90 s"):
    path, _ = spawn(conn, ["sleep", "1000"])
    reaper.add(path)
    p = dict(get_prop(conn, path, "Properties"))
    t.eq((p.get("KillMode"), p.get("KillSignal"), p.get("FinalKillSignal"), p.get("SendSIGKILL"),
          p.get("TimeoutStopUSec")), ("control-group", 15, 9, True, 90000000), "Properties")
    kill_job(conn, path, signal.SIGKILL)
    wait_job(conn, path, 10)

with tempfile.TemporaryDirectory() as d:
    os.chmod(d, 0o777)

    with t.case("Kill(SIGTERM), default TimeoutStopUSec: a job ignoring SIGTERM still runs a second later"):
        path = stubborn([], d + "/a")
        kill_job(conn, path, signal.SIGTERM)
        time.sleep(1)
        t.eq(state(path), "running", "State")
        t.eq(open(d + "/a").read() if os.path.exists(d + "/a") else "", "term", "the child got SIGTERM (control-group)")
        kill_job(conn, path, signal.SIGKILL)
        wait_job(conn, path, 10)

    with t.case("Kill(SIGTERM) with TimeoutStopUSec=300ms: SIGKILL follows, Result killed, status 9"):
        path = stubborn([("TimeoutStopUSec", "t", 300000)], d + "/b")
        start = time.monotonic()
        kill_job(conn, path, signal.SIGTERM)
        t.eq(wait_job(conn, path, 10), ("killed", signal.SIGKILL), "Wait()")
        t.check(0.25 < time.monotonic() - start < 5, "after the timeout", time.monotonic() - start)

    with t.case("FinalKillSignal=SIGUSR2: the final signal is that one"):
        path = stubborn([("TimeoutStopUSec", "t", 300000), ("FinalKillSignal", "i", signal.SIGUSR2)], d + "/c")
        kill_job(conn, path, signal.SIGTERM)
        t.eq(wait_job(conn, path, 10), ("killed", signal.SIGUSR2), "Wait()")

    with t.case("SendSIGKILL=no: after the timeout nothing more is sent"):
        path = stubborn([("TimeoutStopUSec", "t", 300000), ("SendSIGKILL", "b", False)], d + "/d")
        kill_job(conn, path, signal.SIGTERM)
        time.sleep(1)
        t.eq(state(path), "running", "State")
        kill_job(conn, path, signal.SIGKILL)
        wait_job(conn, path, 10)

    with t.case("KillMode=process: SIGTERM reaches the main process only, not its child"):
        path = stubborn([("KillMode", "s", "process"), ("TimeoutStopUSec", "t", 500000)], d + "/e")
        kill_job(conn, path, signal.SIGTERM)
        t.eq(wait_job(conn, path, 10), ("killed", signal.SIGKILL), "Wait()")
        t.check(not os.path.exists(d + "/e"), "the child never got SIGTERM")

    with t.case("KillMode=mixed: SIGTERM to the main process only, the final SIGKILL to all"):
        path = stubborn([("KillMode", "s", "mixed"), ("TimeoutStopUSec", "t", 300000)], d + "/m")
        kill_job(conn, path, signal.SIGTERM)
        t.eq(wait_job(conn, path, 10), ("killed", signal.SIGKILL), "Wait()")
        t.check(not os.path.exists(d + "/m"), "the child never got SIGTERM")

    with t.case("KillMode=none: Kill(SIGTERM) sends nothing"):
        path = stubborn([("KillMode", "s", "none"), ("TimeoutStopUSec", "t", 200000)], d + "/f")
        kill_job(conn, path, signal.SIGTERM)
        time.sleep(0.8)
        t.check(state(path) == "running" and not os.path.exists(d + "/f"), "still running, child untouched")
        kill_job(conn, path, signal.SIGKILL)
        wait_job(conn, path, 10)

    with t.case("KillSignal=SIGINT: Kill(SIGINT) is the stop, and Kill(SIGTERM) a plain signal"):
        path = stubborn([("KillSignal", "i", signal.SIGINT), ("TimeoutStopUSec", "t", 300000)], d + "/g")
        kill_job(conn, path, signal.SIGTERM)  # plain: the main process ignores it
        time.sleep(0.6)
        t.eq(state(path), "running", "after SIGTERM")
        kill_job(conn, path, signal.SIGINT)  # Python's SIGINT handler raises; whether or not, SIGKILL follows
        t.check(wait_job(conn, path, 10)[0] in ("killed", "exit-code"), "ended after the stop")

    with t.case("RuntimeMaxUSec=300ms with TimeoutStopUSec=300ms: stopped, then killed, Result timeout"):
        path = stubborn([("RuntimeMaxUSec", "t", 300000), ("TimeoutStopUSec", "t", 300000)], d + "/h")
        t.eq(wait_job(conn, path, 10), ("timeout", signal.SIGKILL), "Wait()")
        t.eq(open(d + "/h").read() if os.path.exists(d + "/h") else "", "term", "SIGTERM came first")

final_checks(t, conn, reaper)
t.done()

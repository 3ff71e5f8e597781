#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Bus test: job signals are unicast to the owner connection only, and flag 1 (kill the job
# when the caller leaves the bus).
#
# Run: tests/with-bus -- tests/bus/test-signals.py
#
# Connections:
#   A  root, spawns jobs; adds NO match rule, so it can only get signals addressed to it.
#   B  root, a second connection; AddMatch for every signal from org.confine.Confine1.
#   C  nobody (a subprocess), with the same match rule.
# B and C must receive nothing at all, from any job (A's, nobody's, or flag-1 jobs).

import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from confinetest import (  # noqa: E402
    CONFINECTL, JOB_IFACE, MANAGER_IFACE, MANAGER_PATH, NOBODY_UID, JobReaper, SignalRecorder, Tap, connect,
    final_checks, get_all, get_prop, install_child_cleanup, kill_job, list_jobs, nobody_spawn, pid_alive,
    poll_until, read_json_line, run_job, spawn, start_client, start_listener, wait_job,
)

t = Tap(timeout=150)
install_child_cleanup(t)
root = connect()            # for inspection and cleanup
reaper = JobReaper()
t.add_cleanup(lambda: reaper.kill_all(root))

A = connect()
rec_a = SignalRecorder(A, match=False)
B = connect()
rec_b = SignalRecorder(B, match=True)
listener, ready = start_listener(as_nobody=True)


def finish_listener():
    """C's answer (ends the listener): {"signals", "control", "control_path"}."""
    listener.stdin.close()
    ans = read_json_line(listener, 15)
    listener.wait(5)
    return ans


with t.case("the listeners are set up: C runs as nobody, B and C have unique names"):
    t.eq(ready.get("uid"), NOBODY_UID, "C's uid")
    t.check(ready.get("ready", "").startswith(":"), "C's unique name", ready)
    t.check(B.get_unique_name() != A.get_unique_name(), "A and B are two connections")

# ---------------------------------------------------------------------------------------
# A's job: A gets JobNew, Exited, PropertiesChanged(State), JobRemoved, all addressed to it.

with t.case("the owner (A) receives JobNew, Exited(exit-code, 5), PropertiesChanged(State=exited), "
            "JobRemoved, addressed to it"):
    j = run_job(A, ["sh", "-c", "exit 5"])
    reaper.add(j.path)
    t.eq((j.result, j.status), ("exit-code", 5), "Wait()")
    t.check(rec_a.wait_for("JobRemoved", MANAGER_PATH, 10), "JobRemoved received", rec_a.snapshot())
    time.sleep(0.2)
    mine = [s for s in rec_a.snapshot()
            if s["path"] == j.path or (s["path"] == MANAGER_PATH and s["args"] and s["args"][0] == j.id)]
    got = [(s["path"], s["interface"], s["member"], tuple(s["args"])) for s in mine]
    t.eq(got, [
        (MANAGER_PATH, MANAGER_IFACE, "JobNew", (j.id, j.path)),
        (j.path, JOB_IFACE, "Exited", ("exit-code", 5)),
        (j.path, "org.freedesktop.DBus.Properties", "PropertiesChanged", (JOB_IFACE, {"State": "exited"}, [])),
        (MANAGER_PATH, MANAGER_IFACE, "JobRemoved", (j.id, j.path, "exit-code", 5)),
    ], "signals A received for job %d, in order" % j.id)
    t.eq({s["destination"] for s in mine}, {A.get_unique_name()}, "destinations")

with t.case("the owner gets Exited(killed, 9) and JobRemoved after Kill"):
    r, w = os.pipe()
    try:
        path, job_id = spawn(A, ["sleep", "1000"], [("StandardInputFileDescriptor", "h", r)])
        reaper.add(path)
    finally:
        os.close(r)
        os.close(w)
    kill_job(A, path, signal.SIGKILL)
    t.eq(wait_job(A, path), ("killed", 9), "Wait()")
    t.check(rec_a.wait_for("JobRemoved", MANAGER_PATH, 10), "JobRemoved")
    t.check(poll_until(lambda: [s for s in rec_a.find("JobRemoved") if s["args"][0] == job_id], 5),
            "JobRemoved for job %d" % job_id, rec_a.snapshot())
    ex = [tuple(s["args"]) for s in rec_a.find("Exited", path)]
    t.eq(ex, [("killed", 9)], "Exited signals for job %d" % job_id)
    rm = [tuple(s["args"]) for s in rec_a.find("JobRemoved") if s["args"][0] == job_id]
    t.eq(rm, [(job_id, path, "killed", 9)], "JobRemoved")

with t.case("a job of nobody: its signals reach neither A nor B (nor C, checked at the end)"):
    n_a = len(rec_a.snapshot())
    a = nobody_spawn(["sh", "-c", "exit 4"])
    t.check("error" not in a, "nobody's spawn works", a)
    t.eq((a["result"], a["status"]), ("exit-code", 4), "nobody's job")
    time.sleep(0.3)
    t.eq(rec_a.snapshot()[n_a:], [], "signals A received for nobody's job")
    t.eq(rec_b.snapshot(), [], "signals B received")

# ---------------------------------------------------------------------------------------
# Flag 1: kill the job when its owner leaves the bus.


def job_gone_checks(path, pid, expect):
    t.eq(wait_job(root, path, 10), expect, "Wait() from another root connection")
    p = get_all(root, path)
    t.eq((p["State"], p["Result"], p["ExitStatus"]), ("exited",) + expect, "(State, Result, ExitStatus)")
    t.check(poll_until(lambda: not pid_alive(pid), 5), "the job's process %d is gone" % pid)


with t.case("flag 1: a caller process SIGKILLed → its job is killed, Result owner-gone"):
    p = start_client([{"op": "spawn", "argv": ["sleep", "1001"], "flags": 1}, {"op": "pause"}])
    a = read_json_line(p, 15)
    t.check("path" in a, "the client's spawn works", a)
    reaper.add(a["path"])
    t.eq(get_prop(root, a["path"], "State"), "running", "State while the caller lives")
    t.check(pid_alive(a["pid"]), "sleep (pid %d) runs" % a["pid"])
    p.kill()
    p.wait(5)
    job_gone_checks(a["path"], a["pid"], ("owner-gone", 9))

with t.case("flag 1: confinectl run -- sleep 1002, then confinectl SIGKILLed → job killed, owner-gone"):
    p = subprocess.Popen([CONFINECTL, "run", "--", "sleep", "1002"], stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        def find_job():
            for (job_id, state, owner, pid, prog, path) in list_jobs(root):
                if state == "running" and get_prop(root, path, "Argv") == ["sleep", "1002"]:
                    return path, pid
            return None
        found = poll_until(find_job, 10, 0.05)
        t.check(found, "confinectl's job shows up in ListJobs")
        path, pid = found
        reaper.add(path)
        t.eq(p.poll(), None, "confinectl is still waiting")
    finally:
        p.kill()
        p.wait(5)
    job_gone_checks(path, pid, ("owner-gone", 9))

with t.case("flag 1: a nobody caller that disconnects (exits normally) → its job is killed, owner-gone"):
    p = start_client([{"op": "spawn", "argv": ["sleep", "1003"], "flags": 1}], as_nobody=True,
                     stdin=subprocess.DEVNULL)
    a = read_json_line(p, 15)
    t.check("path" in a, "nobody's spawn works", a)
    reaper.add(a["path"])
    t.eq(p.wait(10), 0, "the client exits")
    job_gone_checks(a["path"], a["pid"], ("owner-gone", 9))

with t.case("without flag 1 the job survives its caller's disconnect (then Kill → killed)"):
    p = start_client([{"op": "spawn", "argv": ["sleep", "1004"], "flags": 0}], stdin=subprocess.DEVNULL)
    a = read_json_line(p, 15)
    t.check("path" in a, "the client's spawn works", a)
    reaper.add(a["path"])
    t.eq(p.wait(10), 0, "the client exits")
    time.sleep(0.5)
    t.eq(get_prop(root, a["path"], "State"), "running", "State 0.5 s after the caller left")
    t.check(pid_alive(a["pid"]), "sleep (pid %d) still runs" % a["pid"])
    kill_job(root, a["path"], signal.SIGKILL)
    job_gone_checks(a["path"], a["pid"], ("killed", 9))

with t.case("without flag 1, a SIGKILLed caller's job survives too (then Kill → killed)"):
    p = start_client([{"op": "spawn", "argv": ["sleep", "1005"], "flags": 0}, {"op": "pause"}])
    a = read_json_line(p, 15)
    t.check("path" in a, "the client's spawn works", a)
    reaper.add(a["path"])
    p.kill()
    p.wait(5)
    time.sleep(0.5)
    t.eq(get_prop(root, a["path"], "State"), "running", "State 0.5 s after the caller died")
    kill_job(root, a["path"], signal.SIGTERM)
    job_gone_checks(a["path"], a["pid"], ("killed", 15))

# ---------------------------------------------------------------------------------------
# Nobody else heard anything.

time.sleep(0.3)
with t.case("B (root, second connection, match rule for all the daemon's signals) received no signal"):
    t.eq(rec_b.snapshot(), [], "signals B received")

with t.case("control: B does receive the signals of its own job (its recorder works); A does not"):
    n_a = len(rec_a.snapshot())
    j = run_job(B, ["true"])
    reaper.add(j.path)
    t.check(rec_b.wait_for("JobRemoved", MANAGER_PATH, 10), "B got JobRemoved", rec_b.snapshot())
    t.eq([s["member"] for s in rec_b.snapshot()], ["JobNew", "Exited", "PropertiesChanged", "JobRemoved"],
         "B's signals for its own job")
    time.sleep(0.2)
    t.eq(rec_a.snapshot()[n_a:], [], "signals A received for B's job")

c_ans = None
with t.case("C (nobody, match rule for all the daemon's signals) received no signal"):
    c_ans = finish_listener()
    t.eq(c_ans["signals"], [], "signals C received")

with t.case("control: C does receive the signals of its own job (its recorder works)"):
    t.check(c_ans is not None, "C answered")
    t.eq([(s["member"], s["destination"]) for s in c_ans["control"]],
         [(m, ready["ready"]) for m in ("JobNew", "Exited", "PropertiesChanged", "JobRemoved")],
         "C's signals for its own job (member, destination)")

with t.case("A received signals only about its own jobs, all addressed to it"):
    a_jobs = {s["args"][0] for s in rec_a.find("JobNew")}
    others = [s for s in rec_a.snapshot()
              if s["destination"] != A.get_unique_name()
              or (s["path"] == MANAGER_PATH and s["args"][0] not in a_jobs)
              or (s["path"] != MANAGER_PATH and int(s["path"].rsplit("/", 1)[1]) not in a_jobs)]
    t.eq(others, [], "foreign signals")
    t.eq(len(a_jobs), 2, "A's JobNew count")

final_checks(t, root, reaper)
t.done()

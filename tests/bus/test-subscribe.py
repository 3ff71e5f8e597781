#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Bus test: Manager.Subscribe and Unsubscribe. A subscriber receives the signals of every
# job (JobNew, Output, Exited, PropertiesChanged, JobRemoved), unicast, until it
# unsubscribes or leaves the bus; it does not hold the Output window; Subscribe needs
# polkit's manage-jobs (root is not asked). The mode must match the harness's options:
#
#   tests/with-bus -- tests/bus/test-subscribe.py default
#   tests/with-bus --rules deny -- tests/bus/test-subscribe.py deny
#   tests/with-bus --rules allow-all -- tests/bus/test-subscribe.py allow-all
#   tests/with-bus --no-polkit -- tests/bus/test-subscribe.py no-polkit

import hashlib
import os
import shutil
import signal
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from confinetest import (  # noqa: E402
    E_ACCESS_DENIED, E_NO_SUCH_JOB, E_UNKNOWN_OBJECT, NOBODY_UID, JobReaper, Tap, bus_call, call, connect,
    daemon_unique_name, detect_mode, final_checks, kill_job,
    install_child_cleanup, poll_until, read_json_line, spawn, wait_job,
)
from gi.repository import Gio, GLib  # noqa: E402
from jobstream import FLAG_PIPE, JobEvents, start_client, subscribe, unsubscribe  # noqa: E402

MODES = ("default", "deny", "allow-all", "no-polkit")


t = Tap(timeout=150)
install_child_cleanup(t)
detected = detect_mode()
mode = sys.argv[1] if len(sys.argv) > 1 else detected
if mode not in MODES or mode != detected:
    t.ok(False, "mode %r matches the harness (detected %r)" % (mode, detected))
    print("Bail out! wrong harness options for mode %s" % mode)
    sys.exit(1)
t.diag("mode: %s" % mode)

A = connect()                   # root, spawns jobs
ev_a = JobEvents(A)
S = connect()                   # root, subscribes
ev_s = JobEvents(S)
reaper = JobReaper()
t.add_cleanup(lambda: reaper.kill_all(A))
datadir = tempfile.mkdtemp(prefix="confine-subscribe-")
os.chmod(datadir, 0o755)
t.add_cleanup(lambda: shutil.rmtree(datadir, ignore_errors=True))


def members_for(ev, path):
    return [e["member"] for e in ev.snapshot(path) if e["kind"] == "signal"]


def name_gone(name):
    return not bus_call(A, "NameHasOwner", GLib.Variant("(s)", (name,)), "(b)")[0]


# Data on stdout and on stderr, then an EOF for each.
ALL_SIGNALS = ["JobNew", "Output", "Output", "Output", "Output", "Exited", "PropertiesChanged", "JobRemoved"]

with t.case("root: Subscribe succeeds, and again (the same as once)"):
    subscribe(S)
    subscribe(S)

with t.case("the subscriber gets every signal of another connection's flag-2 job, addressed to it, "
            "in order; the owner gets them too"):
    path, _ = spawn(A, ["sh", "-c", "echo hi; echo oops >&2; exit 2"], [], FLAG_PIPE)
    reaper.add(path)
    t.eq(wait_job(A, path), ("exit-code", 2), "Wait()")
    ev_s.wait_exited(path, 10)
    ev_a.wait_exited(path, 10)
    for who, ev, conn in (("subscriber", ev_s, S), ("owner", ev_a, A)):
        t.eq(ev.order_problems(path), [], "%s: the sequence" % who)
        t.eq(sorted(members_for(ev, path)), sorted(ALL_SIGNALS), "%s: the signals, once each" % who)
        t.eq((ev.output(path, "stdout"), ev.output(path, "stderr")), (b"hi\n", b"oops\n"), "%s: output" % who)
        t.eq({e["destination"] for e in ev.snapshot(path)}, {conn.get_unique_name()}, "%s: destinations" % who)

if mode in ("default", "allow-all"):
    with t.case("the subscriber gets the signals of uid 65534's job, Output included"):
        p = start_client([{"op": "pipe_spawn", "argv": ["sh", "-c", "id -u; exit 7"]}, {"op": "pipe_collect"}],
                         uid=NOBODY_UID)
        a = read_json_line(p, 15)
        t.check("path" in a, "nobody's spawn works", a)
        reaper.add(a["path"])
        c = read_json_line(p, 30)
        p.wait(10)
        t.eq((c["result"], c["order_problems"]), (["exit-code", 7], []), "what the owner (nobody) saw")
        ev_s.wait_exited(a["path"], 10)
        t.eq(ev_s.order_problems(a["path"]), [], "the sequence the subscriber saw")
        t.eq(ev_s.output(a["path"], "stdout"), b"%d\n" % NOBODY_UID, "stdout seen by the subscriber")
        t.eq(ev_a.snapshot(a["path"]), [], "signals that A (neither owner nor subscriber) got")

with t.case("a subscriber that owns the job gets each of its signals once"):
    path, _ = spawn(S, ["sh", "-c", "echo self; echo e >&2"], [], FLAG_PIPE)
    reaper.add(path)
    t.eq(wait_job(S, path), ("success", 0), "Wait()")
    ev_s.wait_exited(path, 10)
    t.eq(sorted(members_for(ev_s, path)), sorted(ALL_SIGNALS), "the signals, once each")
    t.eq(ev_a.snapshot(path), [], "signals that A got")

with t.case("a stopped subscriber does not hold the Output window: the owner gets 8 MiB and Exited"):
    fpath = os.path.join(datadir, "eight")
    data = os.urandom(8 * 1024 * 1024)
    with open(fpath, "wb") as f:
        f.write(data)
    os.chmod(fpath, 0o644)
    p = start_client([{"op": "record"}, {"op": "subscribe"}, {"op": "pause"}])
    read_json_line(p, 15)
    t.eq(read_json_line(p, 15), {}, "the second subscriber's Subscribe")
    os.kill(p.pid, signal.SIGSTOP)
    try:
        path, _ = spawn(A, ["head", "-c", str(len(data)), fpath], [], FLAG_PIPE)
        reaper.add(path)
        t.eq(wait_job(A, path, 60), ("success", 0), "Wait()")
        ev_a.wait_exited(path, 10)
        t.eq(ev_a.sha256(path, "stdout"), hashlib.sha256(data).hexdigest(), "sha256 of what the owner got")
        t.eq(ev_a.order_problems(path), [], "the owner's sequence")
    finally:
        os.kill(p.pid, signal.SIGCONT)
        p.kill()
        p.wait(5)


class Monitor:
    """A root connection turned into a bus monitor for everything the daemon sends."""

    def __init__(self):
        self.conn = connect()
        daemon = daemon_unique_name(self.conn)
        self.seen = []
        self.conn.add_filter(self._filter, None)
        call(self.conn, "/org/freedesktop/DBus", "org.freedesktop.DBus.Monitoring", "BecomeMonitor",
             GLib.Variant("(asu)", (["sender='%s'" % daemon], 0)), None, dest="org.freedesktop.DBus")

    def _filter(self, conn, msg, incoming, _data):
        if not incoming:
            return msg
        t = msg.get_message_type()
        if t in (Gio.DBusMessageType.METHOD_RETURN, Gio.DBusMessageType.ERROR):
            return msg      # BecomeMonitor's reply; monitored replies have serials unknown here
        self.seen.append((msg.get_destination(), msg.get_member(), msg.get_path()))
        return None         # a monitor must not answer the method calls it sees

    def to(self, name):
        return [s for s in list(self.seen) if s[0] == name]


with t.case("a subscriber that leaves the bus gets nothing more: the daemon stops sending to it"):
    mon = Monitor()
    p = start_client([{"op": "record"}, {"op": "subscribe"}, {"op": "pause"}])
    name = read_json_line(p, 15)["name"]
    t.eq(read_json_line(p, 15), {}, "its Subscribe")
    path, _ = spawn(A, ["true"], [], FLAG_PIPE)
    reaper.add(path)
    wait_job(A, path)
    t.check(poll_until(lambda: [s for s in mon.to(name) if s[1] == "JobRemoved"], 5),
            "control: the monitor sees JobRemoved sent to the subscriber %s" % name, mon.seen[-10:])
    p.kill()
    p.wait(5)
    t.check(poll_until(lambda: name_gone(name), 5), "the subscriber's name is gone")
    time.sleep(0.2)
    n = len(mon.to(name))
    path, _ = spawn(A, ["sh", "-c", "echo x"], [], FLAG_PIPE)
    reaper.add(path)
    wait_job(A, path)
    ev_a.wait_exited(path, 10)
    time.sleep(0.2)
    t.eq(mon.to(name)[n:], [], "messages sent to the departed subscriber")
    t.check([s for s in mon.seen if s[0] == S.get_unique_name() and s[2] == path],
            "control: the monitor sees what goes to the remaining subscriber")

with t.case("Unsubscribe: no more signals for new jobs; Unsubscribe again succeeds"):
    unsubscribe(S)
    unsubscribe(S)
    path, _ = spawn(A, ["sh", "-c", "echo after"], [], FLAG_PIPE)
    reaper.add(path)
    wait_job(A, path)
    ev_a.wait_exited(path, 10)
    time.sleep(0.2)
    t.eq(ev_s.snapshot(path), [], "signals S got after Unsubscribe")

if mode == "allow-all":
    with t.case("uid 65534 allowed manage-jobs: Subscribe succeeds and it gets the signals of root's job"):
        p = start_client([{"op": "record"}, {"op": "subscribe"}, {"op": "pause"}, {"op": "signals"}],
                         uid=NOBODY_UID)
        name = read_json_line(p, 15)["name"]
        t.eq(read_json_line(p, 15), {}, "nobody's Subscribe")
        path, _ = spawn(A, ["sh", "-c", "echo for-nobody; echo e >&2"], [], FLAG_PIPE)
        reaper.add(path)
        wait_job(A, path)
        p.stdin.close()
        read_json_line(p, 15)   # the pause
        got = read_json_line(p, 15)
        p.wait(10)
        mine = [s for s in got["signals"] if s["path"] == path or (s.get("args") and s["args"][1] == path)]
        t.eq(sorted(s["member"] for s in mine), sorted(ALL_SIGNALS), "the signals nobody got")
        t.eq({s["destination"] for s in mine}, {name}, "destinations")
        t.eq(bytes.fromhex(got["data"].get("%s stdout" % path, "")), b"for-nobody\n", "stdout nobody got")
    with t.case("uid 65534 holding manage-jobs (subscribed): it finds, lists, reads and kills root's job"):
        path, job_id = spawn(A, ["/bin/sleep", "30"])
        reaper.add(path)
        p = start_client([{"op": "get_job", "id": job_id}, {"op": "subscribe"}, {"op": "get_job", "id": job_id},
                          {"op": "list_jobs"}, {"op": "get_all", "path": path}, {"op": "kill", "path": path,
                                                                                  "signal": 9}],
                         uid=NOBODY_UID)
        before, _, found, listed, props, killed = [read_json_line(p, 15) for _ in range(6)]
        p.wait(10)
        t.eq(before.get("error"), E_NO_SUCH_JOB, "GetJob before Subscribe (answer %r)" % before)
        t.eq(found, {"path": path}, "GetJob after Subscribe")
        t.check(any(j[5] == path for j in listed["jobs"]), "ListJobs shows root's job", listed)
        t.eq(props["properties"]["Owner"], 0, "the job's Owner, read by nobody")
        t.eq(killed, {}, "Kill by nobody")
        t.eq(wait_job(A, path), ("killed", 9), "root's job result")
else:
    with t.case("uid 65534 without manage-jobs (%s): root's job does not exist for it, even after a refused "
                "Subscribe" % mode):
        path, job_id = spawn(A, ["/bin/sleep", "30"])
        reaper.add(path)
        p = start_client([{"op": "subscribe"}, {"op": "get_job", "id": job_id}, {"op": "list_jobs"},
                          {"op": "kill", "path": path, "signal": 9}], uid=NOBODY_UID)
        sub, found, listed, killed = [read_json_line(p, 15) for _ in range(4)]
        p.wait(10)
        t.eq(sub.get("error"), E_ACCESS_DENIED, "Subscribe")
        t.eq(found.get("error"), E_NO_SUCH_JOB, "GetJob")
        t.check(not any(j[5] == path for j in listed["jobs"]), "ListJobs hides root's job", listed)
        t.eq(killed.get("error"), E_UNKNOWN_OBJECT, "Kill")
        kill_job(A, path)

    with t.case("uid 65534 without manage-jobs (%s): Subscribe is AccessDenied and it gets nothing" % mode):
        p = start_client([{"op": "record"}, {"op": "subscribe"}, {"op": "pause"}, {"op": "signals"}],
                         uid=NOBODY_UID)
        read_json_line(p, 15)
        a = read_json_line(p, 15)
        t.eq(a.get("error"), E_ACCESS_DENIED, "nobody's Subscribe (answer %r)" % a)
        path, _ = spawn(A, ["sh", "-c", "echo secret"], [], FLAG_PIPE)
        reaper.add(path)
        wait_job(A, path)
        p.stdin.close()
        read_json_line(p, 15)
        got = read_json_line(p, 15)
        p.wait(10)
        t.eq(got["signals"], [], "signals nobody got")

final_checks(t, A, reaper)
t.done()

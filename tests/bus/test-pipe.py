#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Bus test: spawn flag 2 ("pipe"). The job's stdout and stderr reach the owner as Output
# signals, byte-exact and in order, each ending with an empty Output (EOF), all before
# Exited and before any Wait() reply; WriteInput feeds its stdin with back-pressure and
# CloseInput ends it; flow control keeps a slow owner from losing bytes or swelling the
# daemon; the errors are named.
#
# Run: tests/with-bus -- tests/bus/test-pipe.py
#      tests/with-bus --daemon-arg --config=tests/harness/small-window.conf -- tests/bus/test-pipe.py small-window
# The second form runs the same checks with OutputWindowBytes=3000, smaller than one read.

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from confinetest import (  # noqa: E402
    BUILD_DIR, E_INVALID_ARGS, E_ACCESS_DENIED, E_UNKNOWN_OBJECT, NOBODY_UID, JobReaper, Tap, connect,
    daemon_unique_name, final_checks, get_prop, install_child_cleanup, kill_job, njobs, poll_until,
    proc_status_field, py_job, read_json_line, spawn, wait_job,
)
from jobstream import (  # noqa: E402
    E_FAILED, E_LIMITS_EXCEEDED, FLAG_PIPE, AsyncWrite, JobEvents, close_input, start_client, write_input,
)
from gi.repository import Gio  # noqa: E402

MiB = 1024 * 1024
SMALL_WINDOW = len(sys.argv) > 1 and sys.argv[1] == "small-window"
# With a 3000-byte window every 3000 bytes wait for a round trip: smaller amounts there.
BIG, MEDIUM, HUGE = (MiB, MiB // 2, 4 * MiB) if SMALL_WINDOW else (10 * MiB, 4 * MiB, 50 * MiB)

t = Tap(timeout=240)
install_child_cleanup(t)
A = connect()
ev = JobEvents(A, keep=True)
reaper = JobReaper()
t.add_cleanup(lambda: reaper.kill_all(A))

# Test data the jobs read (they run as root, the caller): random, so that byte-exactness
# means something.
datadir = tempfile.mkdtemp(prefix="confine-pipe-")
os.chmod(datadir, 0o755)
t.add_cleanup(lambda: shutil.rmtree(datadir, ignore_errors=True))


def data_file(name, size):
    path = os.path.join(datadir, name)
    with open(path, "wb") as f:
        f.write(os.urandom(size))
    os.chmod(path, 0o644)
    with open(path, "rb") as f:
        return path, hashlib.sha256(f.read()).hexdigest()


def pipe_spawn(argv, props=(), flags=FLAG_PIPE, conn=A):
    path, _ = spawn(conn, argv, props, flags)
    return reaper.add(path)


def finish(path, expect=("success", 0), timeout=60):
    """Wait() gives expect; Exited arrives; the signal sequence is right."""
    t.eq(wait_job(A, path, timeout), expect, "Wait()")
    ev.wait_exited(path, 10)
    t.eq(ev.order_problems(path), [], "the sequence of the job's signals")


def dbus_error_of(answer):
    return answer.get("error")


# ---------------------------------------------------------------------------------------
# Output

with t.case("flag 2: stdout and stderr arrive as Output, each ended by one empty Output, all before "
            "Exited, PropertiesChanged and JobRemoved, addressed to the owner"):
    path = pipe_spawn(["sh", "-c", "printf out1; printf err1 >&2; printf out2; exit 3"])
    finish(path, ("exit-code", 3))
    t.eq(ev.output(path, "stdout"), b"out1out2", "stdout")
    t.eq(ev.output(path, "stderr"), b"err1", "stderr")
    sigs = [e for e in ev.snapshot(path) if e["kind"] == "signal"]
    t.eq(sigs[0]["member"], "JobNew", "the first signal")
    t.eq({e["destination"] for e in sigs}, {A.get_unique_name()}, "destinations")

with t.case("a job that writes nothing: one empty Output per stream, then Exited"):
    path = pipe_spawn(["true"])
    finish(path)
    outs = [(e["stream"], e["size"]) for e in ev.snapshot(path) if e["member"] == "Output"]
    t.eq(sorted(outs), [("stderr", 0), ("stdout", 0)], "Output signals")

with t.case("%d MiB of random bytes on stdout arrive byte-exact (sha256), in Output chunks of at most 64 KiB"
            % (BIG // MiB)):
    f10, sha10 = data_file("ten", BIG)
    path = pipe_spawn(["head", "-c", str(BIG), f10])
    finish(path, timeout=90)
    t.eq(ev.size(path, "stdout"), BIG, "bytes received")
    t.eq(ev.sha256(path, "stdout"), sha10, "sha256 of stdout")
    sizes = [e["size"] for e in ev.snapshot(path) if e["member"] == "Output"]
    t.check(max(sizes) <= 64 * 1024, "largest Output: %d bytes" % max(sizes))
    t.eq(ev.output(path, "stderr"), b"", "stderr")

with t.case("stdout and stderr written at the same time (%d KiB of random bytes each) both arrive byte-exact"
            % (MEDIUM // 1024)):
    fa, sha_a = data_file("a", MEDIUM)
    fb, sha_b = data_file("b", MEDIUM)
    path = pipe_spawn(["sh", "-c", 'head -c "$2" "$0" & head -c "$2" "$1" >&2; wait', fa, fb, str(MEDIUM)])
    finish(path, timeout=90)
    t.eq((ev.size(path, "stdout"), ev.sha256(path, "stdout")), (MEDIUM, sha_a), "stdout (size, sha256)")
    t.eq((ev.size(path, "stderr"), ev.sha256(path, "stderr")), (MEDIUM, sha_b), "stderr (size, sha256)")

with t.case("interleaved numbered lines on stdout and stderr: each stream complete and in order"):
    code = ("import sys\n"
            "for i in range(3000):\n"
            "    sys.stdout.write('o%d\\n' % i); sys.stdout.flush()\n"
            "    sys.stderr.write('e%d\\n' % i); sys.stderr.flush()\n")
    path = pipe_spawn(py_job(code))
    finish(path, timeout=60)
    t.eq(ev.output(path, "stdout"), "".join("o%d\n" % i for i in range(3000)).encode(), "stdout")
    t.eq(ev.output(path, "stderr"), "".join("e%d\n" % i for i in range(3000)).encode(), "stderr")
    members = [(e["member"], e.get("stream")) for e in ev.snapshot(path) if e["member"] == "Output"]
    t.check(len(members) > 4, "more than one chunk per stream", members[:10])

with t.case("Wait() called while the output flows replies after every Output and after Exited"):
    f2, sha2 = data_file("two", 2 * MiB)
    path = pipe_spawn(["sh", "-c", 'sleep 0.3; head -c 2097152 "$0"; printf end >&2', f2])
    mark = len(ev.snapshot())
    box = {}
    th = threading.Thread(target=lambda: box.setdefault("r", wait_job(A, path, 60)))
    th.start()
    th.join(60)
    t.eq(box.get("r"), ("success", 0), "Wait()")
    ev.wait_exited(path, 10)
    evs = ev.snapshot()[mark:]
    ret = [i for i, e in enumerate(evs) if e["kind"] == "return"]
    last_output = max(i for i, e in enumerate(evs) if e["member"] == "Output" and e["path"] == path)
    exited = [i for i, e in enumerate(evs) if e["member"] == "Exited" and e["path"] == path]
    t.eq(len(ret), 1, "method returns after the Spawn reply (Wait's)")
    t.check(ret[0] > last_output, "Wait's reply (event %d) after the last Output (event %d)" % (ret[0], last_output))
    t.check(ret[0] > exited[0], "Wait's reply (event %d) after Exited (event %d)" % (ret[0], exited[0]))
    t.eq(ev.sha256(path, "stdout"), sha2, "sha256 of stdout")
    t.eq(ev.output(path, "stderr"), b"end", "stderr")
    t.eq(wait_job(A, path), ("success", 0), "Wait() on the exited job")

with t.case("Kill during the output: the Output stops with an EOF per stream, before Exited(killed)"):
    path = pipe_spawn(["sh", "-c", "while :; do echo yes; done"])
    poll_until(lambda: ev.size(path, "stdout") > 100000, 10)
    kill_job(A, path, signal.SIGKILL)
    finish(path, ("killed", 9))
    t.check(ev.size(path, "stdout") > 100000, "output before the kill")

# ---------------------------------------------------------------------------------------
# stdin

with t.case("WriteInput reaches the job's stdin; CloseInput gives it EOF"):
    path = pipe_spawn(["sh", "-c", "cat; echo after-eof"])
    write_input(A, path, b"hello\n")
    write_input(A, path, b"")
    write_input(A, path, b"world\n")
    close_input(A, path)
    finish(path)
    t.eq(ev.output(path, "stdout"), b"hello\nworld\nafter-eof\n", "stdout")

with t.case("WriteInput of 3 MiB to a job that reads only after 1.5 s: the reply waits until the bytes "
            "are in the pipe, a second WriteInput meanwhile is LimitsExceeded, and the job gets every byte"):
    data = os.urandom(3 * MiB)
    path = pipe_spawn(["sh", "-c", "sleep 1.5; exec sha256sum"])
    w = AsyncWrite(A, path, data)
    time.sleep(0.5)
    t.check(not w.done.is_set(), "the first WriteInput is still pending after 0.5 s")
    e = t.raises(E_LIMITS_EXCEEDED, write_input, A, path, b"more")
    t.contains(e.message, "WriteInput", "error message")
    took = w.wait(30)
    t.check(took >= 1.0, "the WriteInput reply took %.2f s (the job read after 1.5 s)" % took)
    close_input(A, path)
    finish(path)
    t.eq(ev.output(path, "stdout").decode(), hashlib.sha256(data).hexdigest() + "  -\n", "sha256sum's output")

with t.case("CloseInput sent while a WriteInput is pending closes stdin after those bytes (both succeed)"):
    data = os.urandom(MiB)
    path = pipe_spawn(["sh", "-c", "sleep 1; exec sha256sum"])
    w1 = AsyncWrite(A, path, data)
    time.sleep(0.3)
    w2 = AsyncWrite(A, path, None)
    w1.wait(30)
    w2.wait(30)
    finish(path)
    t.eq(ev.output(path, "stdout").decode(), hashlib.sha256(data).hexdigest() + "  -\n", "sha256sum's output")

with t.case("WriteInput and CloseInput on a job without flag 2: InvalidArgs"):
    r, wfd = os.pipe()
    try:
        path, _ = spawn(A, ["sleep", "100"], [("StandardInputFileDescriptor", "h", r)])
        reaper.add(path)
    finally:
        os.close(r)
        os.close(wfd)
    e = t.raises(E_INVALID_ARGS, write_input, A, path, b"x")
    t.contains(e.message, "flag 2", "WriteInput error")
    t.raises(E_INVALID_ARGS, close_input, A, path)
    kill_job(A, path)
    t.eq(wait_job(A, path), ("killed", 9), "Wait()")

with t.case("after CloseInput, WriteInput and CloseInput fail with Failed (stdin is closed)"):
    path = pipe_spawn(["sleep", "100"])
    close_input(A, path)
    e = t.raises(E_FAILED, write_input, A, path, b"x")
    t.contains(e.message, "stdin", "WriteInput error")
    t.contains(e.message, "closed", "WriteInput error")
    t.raises(E_FAILED, close_input, A, path)
    kill_job(A, path)
    finish(path, ("killed", 9))

with t.case("after the job has exited, WriteInput and CloseInput fail with Failed"):
    path = pipe_spawn(["true"])
    finish(path)
    t.raises(E_FAILED, write_input, A, path, b"x")
    t.raises(E_FAILED, close_input, A, path)

with t.case("a job that closed its stdin: WriteInput fails with Failed, naming it"):
    path = pipe_spawn(["sh", "-c", "exec 0<&-; echo closed; exec sleep 100"])
    t.check(poll_until(lambda: ev.output(path, "stdout") == b"closed\n", 10), "the job has closed its stdin")
    e = t.raises(E_FAILED, write_input, A, path, b"x" * 100000)
    t.contains(e.message, "the job closed it", "error message")
    t.raises(E_FAILED, write_input, A, path, b"x")
    kill_job(A, path)
    finish(path, ("killed", 9))

# ---------------------------------------------------------------------------------------
# Conflicting requests

for prop in ("StandardInputFileDescriptor", "StandardOutputFileDescriptor", "StandardErrorFileDescriptor"):
    with t.case("flag 2 with %s: InvalidArgs naming the conflict, and no job" % prop):
        n0 = njobs(A)
        fd = os.open("/dev/null", os.O_RDWR)
        try:
            e = t.raises(E_INVALID_ARGS, spawn, A, ["true"], [(prop, "h", fd)], FLAG_PIPE)
        finally:
            os.close(fd)
        t.contains(e.message, prop, "error message")
        t.contains(e.message.lower(), "flag 2", "error message")
        t.eq(njobs(A), n0, "NJobs")

with t.case("flags 2 and 4 together: InvalidArgs naming the conflict"):
    e = t.raises(E_INVALID_ARGS, spawn, A, ["true"], [], FLAG_PIPE | 4)
    t.contains(e.message, "pty", "error message")

# ---------------------------------------------------------------------------------------
# Who may write

with t.case("uid 65534 cannot WriteInput or CloseInput on root's flag-2 job, and the job's stdin gets nothing"):
    path = pipe_spawn(["cat"])
    p = start_client([{"op": "write_input", "path": path, "hex": b"intruder\n".hex()},
                      {"op": "close_input", "path": path}], uid=NOBODY_UID)
    answers = [read_json_line(p, 15), read_json_line(p, 15)]
    p.wait(10)
    for a in answers:
        t.check(a.get("error") in (E_UNKNOWN_OBJECT, E_ACCESS_DENIED), "nobody's call is refused", answers)
    write_input(A, path, b"owner\n")
    close_input(A, path)
    finish(path)
    t.eq(ev.output(path, "stdout"), b"owner\n", "what the job read")

with t.case("uid 65534's own flag-2 job: it gets the Output and may WriteInput; root may write too"):
    p = start_client([{"op": "pipe_spawn", "argv": ["sh", "-c", "cat; id -u >&2"]},
                      {"op": "write_input", "hex": b"from-nobody\n".hex()},
                      {"op": "pause"},
                      {"op": "pipe_collect"}], uid=NOBODY_UID)
    a = read_json_line(p, 15)
    t.check("path" in a, "nobody's spawn works", a)
    reaper.add(a["path"])
    t.eq(read_json_line(p, 15), {}, "nobody's WriteInput")
    write_input(A, a["path"], b"from-root\n")
    close_input(A, a["path"])
    p.stdin.close()     # ends the pause: the client collects
    t.eq(read_json_line(p, 15), {}, "the pause")
    c = read_json_line(p, 30)
    p.wait(10)
    t.eq(c["result"], ["success", 0], "Exited seen by nobody")
    t.eq(c["order_problems"], [], "the sequence nobody saw")
    t.eq(bytes.fromhex(c["stdout_hex"]), b"from-nobody\nfrom-root\n", "stdout seen by nobody")
    t.eq(bytes.fromhex(c["stderr_hex"]), b"%d\n" % NOBODY_UID, "stderr seen by nobody")

# ---------------------------------------------------------------------------------------
# The owner leaves

with t.case("flag 2 alone: when the owner leaves, the job's stdin reaches EOF and its stdout is closed "
            "(SIGPIPE on the next write)"):
    p = start_client([{"op": "pipe_spawn", "argv": ["sh", "-c", "read x; echo after"]}, {"op": "pause"}])
    a = read_json_line(p, 15)
    t.check("path" in a, "the client's spawn works", a)
    reaper.add(a["path"])
    time.sleep(0.3)
    t.eq(get_prop(A, a["path"], "State"), "running", "State while the owner is there")
    p.kill()
    p.wait(5)
    t.eq(wait_job(A, a["path"], 10), ("signal", signal.SIGPIPE), "Wait()")

with t.case("flags 1 and 2: when the owner leaves, the job is killed (owner-gone)"):
    p = start_client([{"op": "pipe_spawn", "argv": ["sleep", "100"], "flags": FLAG_PIPE | 1}, {"op": "pause"}])
    a = read_json_line(p, 15)
    t.check("path" in a, "the client's spawn works", a)
    reaper.add(a["path"])
    p.kill()
    p.wait(5)
    t.eq(wait_job(A, a["path"], 10), ("owner-gone", 9), "Wait()")

# ---------------------------------------------------------------------------------------
# Flow control


def daemon_rss():
    with open("/proc/%s/status" % os.environ["CONFINE_DAEMON_PID"]) as f:
        return int(proc_status_field(f.read(), "VmRSS").split()[0]) * 1024


with t.case("an owner that is stopped: the job blocks once the window is full, confined's RSS stays "
            "bounded, and after SIGCONT all %d MiB arrive byte-exact" % (HUGE // MiB)):
    fbig, sha_big = data_file("huge", HUGE)
    rss0 = daemon_rss()
    p = start_client([{"op": "pipe_spawn", "argv": ["head", "-c", str(HUGE), fbig], "keep": False},
                      {"op": "pipe_collect", "timeout": 110}])
    a = read_json_line(p, 15)
    os.kill(p.pid, signal.SIGSTOP)
    try:
        t.check("path" in a, "the client's spawn works", a)
        reaper.add(a["path"])
        peak = rss0
        for _ in range(20):
            time.sleep(0.15)
            peak = max(peak, daemon_rss())
        t.eq(get_prop(A, a["path"], "State"), "running", "State after 3 s with the owner stopped")
        pid = get_prop(A, a["path"], "MainPID")
        with open("/proc/%d/wchan" % pid) as f:
            wchan = f.read().strip()
        if wchan not in ("", "0"):
            t.contains(wchan, "pipe_write", "where the job waits (/proc/PID/wchan)")
        t.diag("confined VmRSS: %d KiB before, %d KiB at most while the owner was stopped" % (rss0 // 1024,
                                                                                           peak // 1024))
        t.check(peak - rss0 < 24 * MiB, "confined grew by %d KiB" % ((peak - rss0) // 1024))
    finally:
        os.kill(p.pid, signal.SIGCONT)
    c = read_json_line(p, 120)
    p.wait(10)
    t.eq(c["order_problems"], [], "the sequence the owner saw")
    t.eq((c["stdout_size"], c["stdout_sha256"]), (HUGE, sha_big), "stdout (size, sha256)")
    t.eq(c["result"], ["success", 0], "Exited")

class PingCounter:
    """Counts, on conn, the Output signals between consecutive Peer.Pings from the daemon: those
    sent while one Ping was unanswered, so all unacknowledged at once. Stalls conn's reading for
    stall_s at the first Output, as a slow owner would."""

    def __init__(self, conn, stall_s):
        self.conn, self.stall_s = conn, stall_s
        self.daemon = daemon_unique_name(conn)
        self.counts, self.current, self.stalled = [], 0, False
        self.filter_id = conn.add_filter(self._filter, None)

    def _filter(self, conn, msg, incoming, _data):
        if not incoming or msg.get_sender() != self.daemon:
            return msg
        kind = msg.get_message_type()
        if kind == Gio.DBusMessageType.METHOD_CALL and msg.get_member() == "Ping":
            self.counts.append(self.current)
            self.current = 0
        elif kind == Gio.DBusMessageType.SIGNAL and msg.get_member() == "Output":
            self.current += 1
            if not self.stalled:
                self.stalled = True
                time.sleep(self.stall_s)
        return msg

    def remove(self):
        self.conn.remove_filter(self.filter_id)


WINDOW = 3000 if SMALL_WINDOW else MiB
with t.case("a job writing 4 bytes at a time to an owner that stalls for 2 s: each Output counts at least 4 KiB "
            "against the window, so at most %d are unacknowledged at once, and Kill's reply is not stuck behind more"
            % -(-WINDOW // 4096)):
    pings = PingCounter(A, 2.0)
    try:
        path = pipe_spawn(["sh", "-c", "while :; do echo yes; done"])
        poll_until(lambda: ev.size(path, "stdout") > 200000, 60)
        t0 = time.monotonic()
        kill_job(A, path, signal.SIGKILL)
        took = time.monotonic() - t0
        finish(path, ("killed", 9))
    finally:
        pings.remove()
    sizes = [e["size"] for e in ev.snapshot(path) if e["member"] == "Output"]
    t.diag("%d Output signals, %d bytes, %d Pings; Outputs between Pings at most %d; Kill took %.3f s"
           % (len(sizes), sum(sizes), len(pings.counts), max(pings.counts, default=0), took))
    t.check(len(pings.counts) > 1, "the daemon pinged more than once (%d)" % len(pings.counts))
    t.check(max(pings.counts, default=0) <= -(-WINDOW // 4096),
            "Outputs sent while one Ping was unanswered: at most %d" % max(pings.counts, default=0))

with t.case("confined refuses to start with OutputWindowBytes=0, naming the key"):
    conf = os.path.join(datadir, "zero-window.conf")
    with open(conf, "w") as f:
        f.write("[Jobs]\nOutputWindowBytes=0\n")
    r = subprocess.run([os.path.join(BUILD_DIR, "daemon", "confined"), "--config=" + conf,
                        "--bus-address=unix:path=/nonexistent"], capture_output=True, text=True, timeout=30)
    t.check(r.returncode != 0, "confined exits with an error (status %d)" % r.returncode)
    t.contains(r.stderr, "invalid value OutputWindowBytes=0", "its message")

final_checks(t, A, reaper)
t.done()

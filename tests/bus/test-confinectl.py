#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Bus test: confinectl's own behaviour beyond plain `run`: --pipe (flag 2), --pty (flag 4,
# under a real terminal: raw mode, window size, SIGWINCH, restoring the terminal), monitor
# (Subscribe), list/status/kill/wait with and without --json, -p errors, --profile.
#
# Run: tests/with-bus -- tests/bus/test-confinectl.py

import fcntl
import json
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from confinetest import CONFINECTL, SETPRIV_NOBODY, Tap, confinectl, install_child_cleanup, poll_until  # noqa: E402

t = Tap(timeout=150)
install_child_cleanup(t)

DATA = os.urandom(3 * 1024 * 1024 + 17)


def run_bytes(args, stdin=b""):
    p = subprocess.run([CONFINECTL] + args, input=stdin, capture_output=True, timeout=60, cwd="/")
    return p.returncode, p.stdout, p.stderr


def job_id_of(pattern):
    """The id of the newest running job whose program is `pattern`, from confinectl list --json."""
    r = confinectl(["--json", "list"])
    jobs = [j for j in json.loads(r.stdout) if j["program"] == pattern and j["state"] == "running"]
    return max(j["id"] for j in jobs) if jobs else None


# ---------------------------------------------------------------------------------------
with t.case("--pipe: stdout, stderr and the exit status come through the daemon"):
    rc, out, err = run_bytes(["run", "--pipe", "--", "sh", "-c", "echo out; echo err >&2; exit 4"])
    t.eq((rc, out, err), (4, b"out\n", b"err\n"), "(status, stdout, stderr)")

with t.case("--pipe: 3 MiB of binary stdin to the job and back, byte for byte, as by fd"):
    rc, out, err = run_bytes(["run", "--pipe", "--", "cat"], DATA)
    t.eq((rc, err), (0, b""), "(status, stderr)")
    t.check(out == DATA, "stdout == stdin", "got %d bytes, want %d" % (len(out), len(DATA)))
    rc, out_fd, _ = run_bytes(["run", "--", "cat"], DATA)
    t.check(rc == 0 and out_fd == out, "the same bytes by fd")

with t.case("--pipe: a job that does not read its stdin still ends"):
    rc, out, _ = run_bytes(["run", "--pipe", "--", "echo", "ignored-stdin"], DATA)
    t.eq((rc, out), (0, b"ignored-stdin\n"), "(status, stdout)")

with t.case("--pipe and --pty together are refused before connecting (usage, 2)"):
    rc, out, err = run_bytes(["run", "--pipe", "--pty", "--", "true"])
    t.eq(rc, 2, "status")
    t.contains(err.decode(), "cannot be combined", "stderr")

# ---------------------------------------------------------------------------------------
# --pty under a terminal of our own.


def set_winsize(fd, rows, cols):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


class PtyRun:
    """confinectl with a new terminal as its stdin/stdout/stderr and controlling tty."""

    def __init__(self, args):
        self.master, slave = pty.openpty()
        set_winsize(slave, 30, 100)
        self.attrs_before = termios.tcgetattr(slave)
        self.slave = slave
        self.p = subprocess.Popen([CONFINECTL] + args, stdin=slave, stdout=slave, stderr=slave,
                                  start_new_session=True, cwd="/",
                                  preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0))
        self.out = b""

    def expect(self, needle, timeout=20):
        deadline = time.monotonic() + timeout
        while needle not in self.out:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("did not see %r in %r" % (needle, self.out[-500:]))
            r, _, _ = select.select([self.master], [], [], left)
            if r:
                try:
                    self.out += os.read(self.master, 65536)
                except OSError:
                    raise AssertionError("terminal closed before %r; got %r" % (needle, self.out[-500:]))

    def send(self, data):
        os.write(self.master, data)

    def wait(self, timeout=20):
        deadline = time.monotonic() + timeout
        while self.p.poll() is None and time.monotonic() < deadline:
            r, _, _ = select.select([self.master], [], [], 0.05)
            if r:
                try:
                    self.out += os.read(self.master, 65536)
                except OSError:
                    time.sleep(0.05)
        if self.p.poll() is None:
            raise AssertionError("confinectl still runs; its terminal shows %r" % self.out[-500:])
        return self.p.returncode

    def close(self):
        if self.p.poll() is None:
            self.p.kill()
            self.p.wait()
        os.close(self.master)
        os.close(self.slave)


with t.case("--pty: the job gets a new terminal, our window size, raw keys, and SIGWINCH"):
    stop = "/tmp/confine-pty-stop-%d" % os.getpid()
    # The job reports its terminal's size again on each SIGWINCH. confinectl sets the size again once
    # it holds the master, after the job has started, and a SIGWINCH then may interrupt the read:
    # it is tried again.
    r = PtyRun(["run", "--pty", "--", "sh", "-c",
                "trap 'stty size' WINCH; tty; stty size; for i in 1 2 3; do read a && break; done; echo got:$a; "
                "while [ ! -e %s ]; do sleep 0.05; done; echo done" % stop])
    try:
        r.expect(b"/dev/pts/")
        r.expect(b"30 100")
        # Our terminal is raw while the job runs: echo and line editing are the job's.
        attrs = termios.tcgetattr(r.slave)
        t.check(not (attrs[3] & termios.ICANON) and not (attrs[3] & termios.ECHO),
                "confinectl put our terminal in raw mode")
        r.send(b"hello\r")
        r.expect(b"got:hello")
        set_winsize(r.slave, 40, 120)
        os.killpg(r.p.pid, signal.SIGWINCH)
        r.expect(b"40 120")
        open(stop, "w").close()
        r.expect(b"done")
        t.eq(r.wait(), 0, "exit status")
        t.eq(termios.tcgetattr(r.slave), r.attrs_before, "our terminal's attributes are restored")
    finally:
        r.close()
        if os.path.exists(stop):
            os.unlink(stop)

with t.case("--pty: the job's first TIOCGWINSZ already sees our size (sent as TTYRows=/TTYColumns=)"):
    r = PtyRun(["run", "--pty", "--", "stty", "size"])
    try:
        t.eq(r.wait(), 0, "exit status")
        t.eq(r.out.replace(b"\r\n", b"\n").strip().splitlines()[-1:], [b"30 100"], "the job's output")
    finally:
        r.close()

with t.case("--pty: ^C is a key for the job's terminal, which interrupts the job (130)"):
    r = PtyRun(["run", "--pty", "--", "sleep", "1000"])
    try:
        # Once sleep runs (not while a shell is still on its way to it, which would catch it).
        deadline = time.monotonic() + 10
        pid = None
        while time.monotonic() < deadline and pid is None:
            jobs = json.loads(confinectl(["--json", "list"]).stdout)
            pids = [j["main_pid"] for j in jobs if j["program"] == "sleep" and j["state"] == "running"]
            if pids and open("/proc/%d/comm" % max(pids)).read().strip() == "sleep":
                pid = max(pids)
            time.sleep(0.05)
        t.check(pid is not None, "the job runs sleep")
        r.send(b"\x03")
        t.eq(r.wait(), 130, "exit status")
        t.eq(termios.tcgetattr(r.slave), r.attrs_before, "our terminal's attributes are restored")
    finally:
        r.close()

with t.case("--pty without a terminal of our own: output arrives, stdin's end is the job's EOF"):
    p = subprocess.run([CONFINECTL, "run", "--pty", "--", "sh", "-c", "cat; echo end; test -t 0 && echo tty"],
                       input=b"line\n", capture_output=True, timeout=30, cwd="/")
    t.eq(p.returncode, 0, "status")
    text = p.stdout.replace(b"\r\n", b"\n")
    t.check(text.endswith(b"line\nend\ntty\n"), "output", p.stdout)

# ---------------------------------------------------------------------------------------
# monitor


def start_monitor(args):
    p = subprocess.Popen([CONFINECTL] + args + ["monitor"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         cwd="/")
    return p


def read_lines_until(p, pred, timeout=20):
    lines = []
    deadline = time.monotonic() + timeout
    buf = b""
    while time.monotonic() < deadline:
        r, _, _ = select.select([p.stdout], [], [], 0.1)
        if r:
            chunk = os.read(p.stdout.fileno(), 65536)
            if not chunk:
                break
            buf += chunk
            *done, buf = buf.split(b"\n")
            lines += [x.decode() for x in done]
            if pred(lines):
                return lines
    raise AssertionError("monitor output so far: %r" % lines)


with t.case("monitor: a job's new, state, output, exited and removed events, in order"):
    mon = start_monitor([])
    try:
        time.sleep(0.5)  # subscribed
        rc, _, _ = run_bytes(["run", "--pipe", "--", "sh", "-c", "printf 12345; exit 3"])
        t.eq(rc, 3, "the job's status")
        lines = read_lines_until(mon, lambda ls: any(" removed " in x for x in ls))
        jid = lines[0].split()[0]
        mine = [x for x in lines if x.split()[0] == jid]
        kinds = [x.split()[1] for x in mine]
        t.eq(kinds[0], "new", "first event")
        t.contains(mine, "%s output stream=stdout bytes=5" % jid, "events")
        t.contains(mine, "%s exited result=exit-code status=3" % jid, "events")
        t.eq(mine[-1], "%s removed result=exit-code status=3" % jid, "last event")
        t.check(kinds.index("output") < kinds.index("exited"), "output before exited", mine)
        t.contains(kinds, "state", "events")
        mon.send_signal(signal.SIGINT)
        t.eq(mon.wait(timeout=10), 0, "monitor's exit status after SIGINT")
    finally:
        if mon.poll() is None:
            mon.kill()
            mon.wait()

with t.case("monitor --json: one object per line; another user's job is seen too"):
    mon = start_monitor(["--json"])
    try:
        time.sleep(0.5)
        r = subprocess.run(SETPRIV_NOBODY + [CONFINECTL, "run", "--", "true"], capture_output=True, timeout=30,
                           cwd="/")
        t.eq(r.returncode, 0, "nobody's job")
        lines = read_lines_until(mon, lambda ls: any('"removed"' in x for x in ls))
        events = [json.loads(x) for x in lines]
        t.eq(events[0]["event"], "new", "first event")
        t.eq(events[-1], {"id": events[0]["id"], "event": "removed", "result": "success", "status": 0},
             "last event")
    finally:
        mon.kill()
        mon.wait()

with t.case("monitor as nobody: Subscribe is refused, clearly (status 1)"):
    r = subprocess.run(SETPRIV_NOBODY + [CONFINECTL, "monitor"], capture_output=True, text=True, timeout=30, cwd="/")
    t.eq(r.returncode, 1, "status")
    t.contains(r.stderr, "confinectl: Subscribe:", "stderr")
    t.contains(r.stderr, "AccessDenied", "stderr")

# ---------------------------------------------------------------------------------------
# the other verbs

with t.case("list, status, kill, wait, with and without --json"):
    p = subprocess.Popen([CONFINECTL, "run", "--", "sleep", "1000"], stdin=subprocess.DEVNULL, cwd="/")
    try:
        jid = None
        deadline = time.monotonic() + 10
        while jid is None and time.monotonic() < deadline:
            jid = job_id_of("sleep")
            time.sleep(0.05)
        t.check(jid is not None, "the job is listed as running")
        r = confinectl(["list"])
        t.check(any(x.split()[:2] == [str(jid), "running"] for x in r.stdout.splitlines()), "text list", r.stdout)
        r = confinectl(["status", str(jid)])
        t.contains(r.stdout.splitlines(), "Argv=sleep 1000", "status")
        t.contains(r.stdout.splitlines(), "State=running", "status")
        r = confinectl(["--json", "status", str(jid)])
        rec = json.loads(r.stdout)
        t.eq((rec["Id"], rec["Argv"], rec["State"]), (jid, ["sleep", "1000"], "running"), "status --json")
        r = confinectl(["kill", str(jid), "USR1"])
        t.eq(r.returncode, 0, "kill status")
        r = confinectl(["wait", str(jid)])
        t.eq((r.returncode, r.stdout), (128 + signal.SIGUSR1, "killed %d\n" % signal.SIGUSR1), "wait")
        t.eq(p.wait(timeout=10), 128 + signal.SIGUSR1, "run's own status")
        r = confinectl(["--json", "wait", str(jid)])
        t.eq(json.loads(r.stdout)["Result"], "killed", "wait --json")
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()

with t.case("bad ids, signals and verbs are usage errors (2); an unknown job is NoSuchJob (1)"):
    for args in (["status", "x"], ["status", "0"], ["kill", "1", "NOSIG"], ["wait"], ["frobnicate"]):
        r = confinectl(args)
        t.eq(r.returncode, 2, "status of %s" % args)
    r = confinectl(["status", "999999"])
    t.eq(r.returncode, 1, "status of an unknown job")
    t.contains(r.stderr, "NoSuchJob", "stderr")

with t.case("-p: the shared parser's errors, before anything is sent (2)"):
    r = confinectl(["run", "-p", "Bogus=1", "--", "true"])
    t.eq((r.returncode, r.stderr), (2, "confinectl: -p Bogus=1: unknown property\n"), "unknown")
    r = confinectl(["run", "-p", "PrivateNetwork=maybe", "--", "true"])
    t.eq((r.returncode, r.stderr), (2, "confinectl: -p PrivateNetwork=maybe: invalid boolean\n"), "invalid")
    r = confinectl(["run", "-p", "RuntimeMaxSec=1min", "-p", "LimitNOFILE=64:128", "--json", "--",
                    "sh", "-c", "ulimit -Sn; ulimit -Hn"])
    t.eq(r.stdout.splitlines()[:2], ["64", "128"], "LimitNOFILE=SOFT:HARD reached the job")

with t.case("--profile NAME is Profile=NAME (an unknown profile is refused by the daemon)"):
    r = confinectl(["run", "--profile", "no-such-profile-here", "--", "true"])
    t.eq(r.returncode, 125, "status")
    t.contains(r.stderr, "no-such-profile-here", "stderr")

def bus_calls_of(args):
    """The method calls a `confinectl ARGS` run makes, from dbus-monitor: [(member, destination)]."""
    mon = subprocess.Popen(["dbus-monitor", "--address", os.environ["DBUS_SYSTEM_BUS_ADDRESS"]],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        time.sleep(0.3)  # its own Hello and BecomeMonitor first
        r = confinectl(args)
        time.sleep(0.3)
    finally:
        mon.terminate()
    out = mon.communicate(timeout=10)[0]
    calls, sender = [], None
    for line in out.splitlines():
        if not line.startswith("method call "):
            continue
        fields = dict(f.split("=", 1) for f in line.split() if "=" in f)
        if fields.get("member") == "Hello" and sender is None and fields.get("sender") != ":1.0":
            sender = fields["sender"]
        if fields.get("sender") == sender:
            calls.append((fields["member"].rstrip(";"), fields["destination"]))
    return r, calls


with t.case("run: Hello, then Spawn and the job's Exited: no GetNameOwner, no Wait"):
    r, calls = bus_calls_of(["run", "-p", "PrivateTmp=yes", "--", "sh", "-c", "exit 3"])
    t.eq(r.returncode, 3, "status")
    members = [m for m, _ in calls]
    t.eq([m for m in members if m != "AddMatch"], ["Hello", "Spawn"], "method calls besides the AddMatch")
    t.check(members.count("AddMatch") <= 1, "at most one AddMatch (the daemon's name)", str(calls))
    r, calls = bus_calls_of(["run", "--json", "--", "true"])  # confinectl-full, libconfine
    t.check("Wait" not in [m for m, _ in calls], "libconfine waits for its own job by Exited too", str(calls))

with t.case("run: the front sends -p as confinectl-full does (the job's Properties are the same)"):
    props = ["-p", "Environment=A=1 B=2", "-p", "SystemCallFilter=@system-service", "-p", "ProtectSystem=strict",
             "-p", "LimitNOFILE=64:128", "-p", "BindReadOnlyPaths=/etc:/mnt", "-p", "RuntimeMaxSec=5min",
             "-p", "CapabilityBoundingSet=~CAP_SYS_ADMIN", "-p", "Nice=5"]
    front = subprocess.Popen([CONFINECTL, "run"] + props + ["--", "sleep", "30"], stdout=subprocess.DEVNULL)
    try:
        front_id = poll_until(lambda: job_id_of("sleep"), 10)
        full = confinectl(["run", "--no-block", "-q"] + props + ["--", "true"])
        t.eq(full.returncode, 0, "confinectl-full's --no-block spawn")
        full_id = poll_until(lambda: max(j["id"] for j in json.loads(confinectl(["--json", "list"]).stdout)), 10)
        a = json.loads(confinectl(["--json", "status", str(front_id)]).stdout)["Properties"]
        b = json.loads(confinectl(["--json", "status", str(full_id)]).stdout)["Properties"]
        t.eq(a, b, "Properties through the front and through confinectl-full")
    finally:
        front.send_signal(signal.SIGTERM)
        t.eq(front.wait(timeout=20), 128 + signal.SIGTERM, "SIGTERM to the front goes to the job (143)")
    r = confinectl(["run", "-p", "LimitNOFILE=64:128", "--", "sh", "-c", "ulimit -Sn; ulimit -Hn"])
    t.eq((r.returncode, r.stdout.splitlines()), (0, ["64", "128"]), "LimitNOFILE=SOFT:HARD through the front")
    r = confinectl(["run", "--", "/nonexistent/program"])
    t.eq(r.returncode, 127, "a missing program is 127, as from confinectl-full")
    t.contains(r.stderr, "SpawnFailed", "stderr")

with t.case("--help lists the properties; --version prints the version"):
    r = confinectl(["--help"])
    t.eq(r.returncode, 0, "status")
    t.contains(r.stdout, " PrivateNetwork ", "help")
    t.contains(r.stdout, " CPUQuota", "help")
    r = confinectl(["--version"])
    t.check(r.returncode == 0 and r.stdout.strip()[0].isdigit(), "version", r.stdout)

t.done()

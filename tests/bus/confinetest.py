#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Shared helpers for the bus integration tests (tests/bus/test-*.py).

The tests run under tests/with-bus, which exports DBUS_SYSTEM_BUS_ADDRESS and the
CONFINE_* variables. They speak TAP on stdout and exit 0 only if every non-TODO check
passed.

Pieces:
  Tap              TAP output; `with tap.case("desc"): ...` is one test point; a failed
                   assertion or any exception inside makes it `not ok` with diagnostics.
                   A global watchdog (SIGALRM) bails out if the whole script hangs.
  connect()        a new private connection to the test bus.
  call(), get_prop(), spawn(), run_job(), wait_job(), kill_job()
                   thin wrappers around the D-Bus API, raising BusError(name, message).
  SignalRecorder   records every signal a connection receives from the daemon, with its
                   destination (a connection filter, so no dispatching is needed).
  run_client()     runs a request (or a list of them) in a separate process, as root or
                   as nobody (setpriv), and returns its JSON answers; see client_main().
  confinectl()     runs build/client/confinectl with a timeout.
  gi_env(), reexec_with_gi()
                   run Python that imports Confine (libconfine's GI binding) from the build.

This file is also the program that those separate processes run:
  python3 confinetest.py client JSON-REQUESTS     (see client_main)
  python3 confinetest.py listen                   (see listen_main)
"""

import contextlib
import glob
import json
import os
import pwd
import re
import select
import signal
import subprocess
import sys
import threading
import time
import traceback

sys.dont_write_bytecode = True

import gi  # noqa: E402

gi.require_version("Gio", "2.0")
gi.require_version("GLib", "2.0")
from gi.repository import Gio, GLib  # noqa: E402

BUS_NAME = "org.confine.Confine1"
MANAGER_PATH = "/org/confine/Confine1"
MANAGER_IFACE = "org.confine.Confine1.Manager"
JOB_IFACE = "org.confine.Confine1.Job"
JOB_PATH_PREFIX = "/org/confine/Confine1/job/"
ERROR_PREFIX = "org.confine.Confine1.Error."
E_UNKNOWN_PROPERTY = ERROR_PREFIX + "UnknownProperty"
E_INVALID_PROPERTY = ERROR_PREFIX + "InvalidProperty"
E_NOT_SUPPORTED = ERROR_PREFIX + "NotSupported"
E_NO_SUCH_JOB = ERROR_PREFIX + "NoSuchJob"
E_QUOTA = ERROR_PREFIX + "QuotaExceeded"
E_SPAWN_FAILED = ERROR_PREFIX + "SpawnFailed"
E_ACCESS_DENIED = "org.freedesktop.DBus.Error.AccessDenied"
E_INVALID_ARGS = "org.freedesktop.DBus.Error.InvalidArgs"
E_UNKNOWN_OBJECT = "org.freedesktop.DBus.Error.UnknownObject"

FLAG_KILL_ON_DISCONNECT = 1

NOBODY_UID = 65534
NOBODY_GID = 65534

# Jobs run with the daemon's default PATH; the system python is the one with python3-gi,
# and for jobs only the standard library is needed: name it absolutely.
PYTHON = "/usr/bin/python3"

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
BUILD_DIR = os.environ.get("CONFINE_BUILD_DIR") or os.path.join(REPO, "build")
# CONFINE_TEST_BUS=system (tests/with-bus): the installed confine on the running system bus.
INSTALLED = os.environ.get("CONFINE_TEST_BUS") == "system"
CONFINECTL = os.environ.get("CONFINE_CONFINECTL") or os.path.join(BUILD_DIR, "client", "confinectl")

CALL_TIMEOUT = 10.0     # seconds, any single D-Bus call
JOB_TIMEOUT = 20.0      # seconds, a job that should end by itself

SETPRIV_NOBODY = ["setpriv", "--reuid=%d" % NOBODY_UID, "--regid=%d" % NOBODY_GID, "--clear-groups"]


# ---------------------------------------------------------------------------------------
# TAP

class CheckFailed(Exception):
    pass


class Tap:
    """TAP producer. The plan is printed at the end (valid TAP), so that a script that
    dies half-way has no plan and is reported as failed."""

    def __init__(self, timeout=180):
        self.n = 0
        self.failed = []
        self.todo_failed = []
        self.cleanups = []       # callables, run (last first) at the end or on bail-out
        self._bailing = False
        sys.stdout.reconfigure(line_buffering=True)
        signal.signal(signal.SIGALRM, self._watchdog)
        signal.alarm(int(timeout))
        self.timeout = timeout
        self.t0 = time.monotonic()

    # -- output
    def diag(self, msg):
        for line in str(msg).splitlines() or [""]:
            print("# " + line)

    def ok(self, cond, desc, diag=None, todo=None):
        self.n += 1
        line = ("ok %d - %s" if cond else "not ok %d - %s") % (self.n, desc)
        if todo:
            line += " # TODO " + todo
        print(line)
        if not cond:
            if diag:
                self.diag(diag)
            (self.todo_failed if todo else self.failed).append(self.n)
        return cond

    @contextlib.contextmanager
    def case(self, desc, todo=None):
        """One test point. Inside, use check()/eq() or raise anything to fail it."""
        try:
            yield self
        except CheckFailed as e:
            self.ok(False, desc, str(e), todo)
        except BusError as e:
            self.ok(False, desc, "unexpected D-Bus error %s: %s\n%s" % (e.name, e.message,
                                                                      _short_tb()), todo)
        except Exception as e:  # noqa: BLE001 - every error fails the case, not the script
            self.ok(False, desc, "%s: %s\n%s" % (type(e).__name__, e, _short_tb()), todo)
        else:
            self.ok(True, desc, None, todo)

    # -- assertions (raise CheckFailed)
    def check(self, cond, what, detail=None):
        if not cond:
            raise CheckFailed(what + ("\n" + str(detail) if detail is not None else ""))

    def eq(self, actual, expected, what):
        if actual != expected:
            raise CheckFailed("%s:\n  expected: %r\n  actual:   %r" % (what, expected, actual))

    def contains(self, haystack, needle, what):
        if needle not in haystack:
            raise CheckFailed("%s: %r not found in %r" % (what, needle, haystack))

    def raises(self, name, fn, *args, **kwargs):
        """fn(*args) must fail with the D-Bus error `name`; returns the BusError."""
        try:
            r = fn(*args, **kwargs)
        except BusError as e:
            if e.name != name:
                raise CheckFailed("expected error %s, got %s: %s" % (name, e.name, e.message))
            return e
        raise CheckFailed("expected error %s, but the call succeeded: %r" % (name, r))

    # -- end
    def add_cleanup(self, fn):
        self.cleanups.append(fn)

    def _run_cleanups(self):
        while self.cleanups:
            fn = self.cleanups.pop()
            try:
                fn()
            except Exception as e:  # noqa: BLE001
                self.diag("cleanup %r failed: %s" % (fn, e))

    def _watchdog(self, signum, frame):
        if self._bailing:
            return
        self._bailing = True
        print("not ok %d - global timeout of %d s" % (self.n + 1, self.timeout))
        self.diag("".join(traceback.format_stack(frame)))
        print("Bail out! timeout")
        signal.alarm(10)   # the cleanup must not hang either
        signal.signal(signal.SIGALRM, lambda *a: os._exit(1))
        self._run_cleanups()
        os._exit(1)

    def done(self):
        self._run_cleanups()
        signal.alarm(0)
        print("1..%d" % self.n)
        self.diag("%.1f s" % (time.monotonic() - self.t0))
        if self.todo_failed:
            self.diag("TODO (known bugs) failing: %s" % ", ".join(map(str, self.todo_failed)))
        if self.failed:
            self.diag("FAILED: %s" % ", ".join(map(str, self.failed)))
        sys.exit(1 if self.failed else 0)


def _short_tb():
    return "".join(traceback.format_exc(limit=6)).rstrip()


# ---------------------------------------------------------------------------------------
# D-Bus

class BusError(Exception):
    def __init__(self, name, message):
        super().__init__("%s: %s" % (name, message))
        self.name = name
        self.message = message


def _bus_error(e):
    """GLib.Error → BusError for remote errors; others (timeouts...) unchanged."""
    name = Gio.DBusError.get_remote_error(e)
    if not name:
        return e
    msg = e.message
    prefix = "GDBus.Error:%s: " % name
    if msg.startswith(prefix):
        msg = msg[len(prefix):]
    return BusError(name, msg)


def connect():
    """A new, private connection to the test bus."""
    addr = os.environ.get("DBUS_SYSTEM_BUS_ADDRESS")
    if not addr:
        raise RuntimeError("DBUS_SYSTEM_BUS_ADDRESS is not set: run me under tests/with-bus")
    flags = Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION
    conn = Gio.DBusConnection.new_for_address_sync(addr, flags, None, None)
    conn.set_exit_on_close(False)
    return conn


def call(conn, path, iface, method, params=None, reply_sig=None, fdlist=None,
         timeout=CALL_TIMEOUT, dest=BUS_NAME):
    """Synchronous call; returns the unpacked reply tuple (or None)."""
    rt = GLib.VariantType(reply_sig) if reply_sig else None
    try:
        if fdlist is not None:
            res, _ = conn.call_with_unix_fd_list_sync(dest, path, iface, method, params, rt,
                                                      Gio.DBusCallFlags.NONE, int(timeout * 1000),
                                                      fdlist, None)
        else:
            res = conn.call_sync(dest, path, iface, method, params, rt, Gio.DBusCallFlags.NONE,
                                 int(timeout * 1000), None)
    except GLib.Error as e:
        raise _bus_error(e) from None
    return res.unpack() if res is not None else None


def bus_call(conn, method, params=None, reply_sig=None):
    """A call to the bus driver itself."""
    return call(conn, "/org/freedesktop/DBus", "org.freedesktop.DBus", method, params, reply_sig,
                dest="org.freedesktop.DBus")


def sync(conn):
    """A round trip to the bus: everything sent before (AddMatch...) has been processed."""
    bus_call(conn, "GetId", None, "(s)")


def daemon_unique_name(conn):
    return bus_call(conn, "GetNameOwner", GLib.Variant("(s)", (BUS_NAME,)), "(s)")[0]


def get_prop(conn, path, name, iface=JOB_IFACE):
    return call(conn, path, "org.freedesktop.DBus.Properties", "Get",
                GLib.Variant("(ss)", (iface, name)), "(v)")[0]


def get_all(conn, path, iface=JOB_IFACE):
    return call(conn, path, "org.freedesktop.DBus.Properties", "GetAll",
                GLib.Variant("(s)", (iface,)), "(a{sv})")[0]


def manager_prop(conn, name):
    return get_prop(conn, MANAGER_PATH, name, MANAGER_IFACE)


def njobs(conn):
    return manager_prop(conn, "NJobs")


def _build_properties(props, fdlist):
    """props: iterable of (name, signature, value). 'h' values are fds; 'a(hs)' values are
    lists of (fd, name): they go into fdlist and are replaced by their index."""
    items = []
    for name, sig, value in props:
        if sig == "h":
            value = fdlist.append(value)
        elif sig == "a(hs)":
            value = [(fdlist.append(fd), n) for fd, n in value]
        items.append((name, GLib.Variant(sig, value)))
    return items


def spawn(conn, argv, props=(), flags=0, timeout=CALL_TIMEOUT):
    """Spawn(argv, props, flags) → (job path, id)."""
    fdlist = Gio.UnixFDList.new()
    items = _build_properties(props, fdlist)
    params = GLib.Variant("(asa(sv)t)", (list(argv), items, flags))
    return call(conn, MANAGER_PATH, MANAGER_IFACE, "Spawn", params, "(ot)", fdlist=fdlist, timeout=timeout)


ANALYZE_REPLY = "(a(sv)ssa{ss}ua(suuusb)a(sss))"
NOT_APPLICABLE = 0xFFFFFFFF


def analyze(conn, argv, props=(), flags=0, timeout=CALL_TIMEOUT):
    """Analyze(argv, props, flags) → a dict: properties, action, reason, details, exposure (tenths),
    checks {name: (weight, badness, range, description, fixed)}, findings [(id, property, description)]."""
    fdlist = Gio.UnixFDList.new()
    items = _build_properties(props, fdlist)
    params = GLib.Variant("(asa(sv)t)", (list(argv), items, flags))
    props_out, action, reason, details, exposure, checks, findings = call(
        conn, MANAGER_PATH, MANAGER_IFACE, "Analyze", params, ANALYZE_REPLY, fdlist=fdlist, timeout=timeout)
    return {"properties": props_out, "action": action, "reason": reason, "details": details,
            "exposure": exposure, "checks": {c[0]: tuple(c[1:]) for c in checks},
            "check_order": [c[0] for c in checks], "findings": [tuple(f) for f in findings]}


def get_job(conn, job_id):
    return call(conn, MANAGER_PATH, MANAGER_IFACE, "GetJob", GLib.Variant("(t)", (job_id,)), "(o)")[0]


def list_jobs(conn):
    return call(conn, MANAGER_PATH, MANAGER_IFACE, "ListJobs", None, "(a(tsuuso))")[0]


def wait_job(conn, path, timeout=JOB_TIMEOUT):
    """Job.Wait() → (result, status)."""
    return call(conn, path, JOB_IFACE, "Wait", None, "(si)", timeout=timeout)


def kill_job(conn, path, sig=signal.SIGKILL):
    return call(conn, path, JOB_IFACE, "Kill", GLib.Variant("(i)", (int(sig),)), None)


class AsyncCall:
    """A method call whose reply is collected by a callback (needs the main context to be
    iterated: see iterate_until)."""

    def __init__(self, conn, path, iface, method, params=None, reply_sig=None, timeout=JOB_TIMEOUT):
        self.done = False
        self.result = None
        self.error = None
        rt = GLib.VariantType(reply_sig) if reply_sig else None
        conn.call(BUS_NAME, path, iface, method, params, rt, Gio.DBusCallFlags.NONE,
                  int(timeout * 1000), None, self._cb, None)

    def _cb(self, conn, res, _data):
        try:
            v = conn.call_finish(res)
            self.result = v.unpack() if v is not None else None
        except GLib.Error as e:
            self.error = _bus_error(e)
        self.done = True


def iterate_until(cond, timeout):
    """Iterate the default main context until cond() or timeout; returns cond()."""
    ctx = GLib.MainContext.default()
    deadline = time.monotonic() + timeout
    while True:
        while ctx.pending():
            ctx.iteration(False)
        if cond():
            return True
        if time.monotonic() >= deadline:
            return bool(cond())
        time.sleep(0.01)


def poll_until(cond, timeout, interval=0.02):
    """Poll cond() (no main loop) until true or timeout; returns its last value."""
    deadline = time.monotonic() + timeout
    while True:
        v = cond()
        if v or time.monotonic() >= deadline:
            return v
        time.sleep(interval)


class SignalRecorder:
    """Records every signal that reaches `conn` from the daemon (by its unique name), with
    its destination. With match=True it first asks the bus for every signal the daemon
    sends (an AddMatch for sender='org.confine.Confine1'), as an eavesdropping client would."""

    def __init__(self, conn, match=True):
        self.conn = conn
        self.daemon = daemon_unique_name(conn)
        self.signals = []
        self.lock = threading.Lock()
        self.filter_id = conn.add_filter(self._filter, None)
        if match:
            bus_call(conn, "AddMatch", GLib.Variant("(s)", ("type='signal',sender='%s'" % BUS_NAME,)))
        sync(conn)

    def _filter(self, conn, msg, incoming, _data):
        if incoming and msg.get_message_type() == Gio.DBusMessageType.SIGNAL and msg.get_sender() == self.daemon:
            body = msg.get_body()
            rec = {"destination": msg.get_destination(), "path": msg.get_path(),
                   "interface": msg.get_interface(), "member": msg.get_member(),
                   "args": body.unpack() if body is not None else ()}
            with self.lock:
                self.signals.append(rec)
        return msg

    def snapshot(self):
        with self.lock:
            return list(self.signals)

    def find(self, member, path=None):
        return [s for s in self.snapshot() if s["member"] == member and (path is None or s["path"] == path)]

    def wait_for(self, member, path=None, timeout=JOB_TIMEOUT):
        return poll_until(lambda: self.find(member, path), timeout)

    def close(self):
        self.conn.remove_filter(self.filter_id)


# ---------------------------------------------------------------------------------------
# Jobs with captured output

class JobRun:
    def __repr__(self):
        return "JobRun(%r)" % self.__dict__


def read_pipes(fds, timeout):
    """Read the given fds to EOF (all of them, concurrently). Returns {fd: bytes}."""
    out = {fd: b"" for fd in fds}
    open_fds = set(fds)
    deadline = time.monotonic() + timeout
    while open_fds:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("no EOF on the job's output after %.0f s (got %r)" % (timeout, out))
        r, _, _ = select.select(list(open_fds), [], [], left)
        for fd in r:
            data = os.read(fd, 65536)
            if data:
                out[fd] += data
            else:
                open_fds.discard(fd)
    return out


def run_job(conn, argv, props=(), flags=0, stdin=None, timeout=JOB_TIMEOUT):
    """Spawn argv with its stdout and stderr on pipes (and stdin from the given fd, if
    any), read both to EOF, then Wait(). Returns a JobRun with path, id, result, status,
    stdout, stderr (str)."""
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    try:
        p = list(props) + [("StandardOutputFileDescriptor", "h", out_w),
                           ("StandardErrorFileDescriptor", "h", err_w)]
        if stdin is not None:
            p.append(("StandardInputFileDescriptor", "h", stdin))
        try:
            path, job_id = spawn(conn, argv, p, flags)
        finally:
            os.close(out_w)
            os.close(err_w)
        out = read_pipes([out_r, err_r], timeout)
    finally:
        os.close(out_r)
        os.close(err_r)
    j = JobRun()
    j.path, j.id = path, job_id
    j.result, j.status = wait_job(conn, path, timeout)
    j.stdout = out[out_r].decode(errors="replace")
    j.stderr = out[err_r].decode(errors="replace")
    return j


def py_job(code):
    """argv for a job that runs a Python snippet."""
    return [PYTHON, "-c", code]


def proc_status_field(text, field):
    """The value of `field:` in a /proc/PID/status dump."""
    for line in text.splitlines():
        if line.startswith(field + ":"):
            return line.split(":", 1)[1].strip()
    return None


def pid_alive(pid):
    """True if pid exists and is not a zombie."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            stat = f.read()
    except FileNotFoundError:
        return False
    state = stat.rsplit(")", 1)[1].split()[0]
    return state not in ("Z", "X")


def job_cgroup_dir():
    """The daemon's job cgroup in the host's cgroup2 tree, or None."""
    cg = os.environ.get("CONFINE_CGROUP")
    if not cg:
        return None
    with open("/proc/self/mountinfo") as f:
        for line in f:
            pre, _, post = line.partition(" - ")
            if post.startswith("cgroup2 "):
                d = pre.split()[4] + cg
                return d if os.path.isdir(d) else None
    return None


def job_cgroup_pids():
    """Pids in job-* cgroups below the daemon's cgroup (the daemon's own excluded)."""
    base = job_cgroup_dir()
    pids = []
    if not base:
        return pids
    for root, _dirs, files in os.walk(base):
        if "job-" not in root[len(base):]:
            continue
        if "cgroup.procs" in files:
            try:
                with open(os.path.join(root, "cgroup.procs")) as f:
                    pids += [int(x) for x in f.read().split()]
            except FileNotFoundError:
                pass
    return pids


def detect_mode():
    """The polkit rule set the harness loaded (tests/rules/*: its log line names it), or
    "no-polkit" when with-bus ran without polkitd."""
    if not os.environ.get("CONFINE_POLKITD_PID"):
        return "no-polkit"
    text = ""
    for f in glob.glob(os.path.join(os.environ.get("CONFINE_HARNESS_DIR", "/nonexistent"), "rules.d", "*.rules")):
        with open(f) as fh:
            text += fh.read()
    m = re.search(r"confine test rules loaded: ([a-z-]+)", text)
    return m.group(1) if m else "unknown"


def daemon_alive():
    pid = os.environ.get("CONFINE_DAEMON_PID")
    return bool(pid) and pid_alive(int(pid))


# ---------------------------------------------------------------------------------------
# Cleanup of jobs and subprocesses

class JobReaper:
    """Remembers spawned jobs; kill_all() SIGKILLs those still running (from a root
    connection) and waits for them, so that a failed test leaves nothing behind."""

    def __init__(self):
        self.paths = []

    def add(self, path):
        self.paths.append(path)
        return path

    def kill_all(self, conn):
        for path in self.paths:
            try:
                if get_prop(conn, path, "State") != "exited":
                    kill_job(conn, path, signal.SIGKILL)
                    wait_job(conn, path, 10)
            except (BusError, GLib.Error):
                pass
        self.paths = []


def final_checks(tap, conn, reaper=None):
    """Kill leftovers, then check that nothing is left: NJobs 0, no job processes."""
    if reaper:
        reaper.kill_all(conn)
    with tap.case("nothing left behind: NJobs is 0, no running job, no process in a job cgroup"):
        poll_until(lambda: njobs(conn) == 0, 5)
        tap.eq(njobs(conn), 0, "NJobs")
        running = [j for j in list_jobs(conn) if j[1] != "exited"]
        tap.eq(running, [], "jobs not exited")
        poll_until(lambda: not job_cgroup_pids(), 5)
        tap.eq(job_cgroup_pids(), [], "processes in job cgroups")
        tap.check(daemon_alive(), "confined (pid %s) is alive" % os.environ.get("CONFINE_DAEMON_PID"))


# ---------------------------------------------------------------------------------------
# Subprocesses

_children = []


def _kill_children():
    for p in _children:
        if p.poll() is None:
            try:
                p.kill()
            except ProcessLookupError:
                pass
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                pass


def install_child_cleanup(tap):
    tap.add_cleanup(_kill_children)


def _child_env():
    env = dict(os.environ)
    env["PYTHONPATH"] = HERE
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def setpriv_argv(uid):
    """setpriv prefix that runs a command as uid (with its primary group, no other groups)."""
    gid = pwd.getpwuid(uid).pw_gid
    return ["setpriv", "--reuid=%d" % uid, "--regid=%d" % gid, "--clear-groups"]


def start_client(requests, as_nobody=False, stdin=subprocess.PIPE, uid=None):
    """Start `confinetest.py client` (see client_main) on the given requests, as root, as
    nobody, or as uid; returns the Popen (stdout a pipe of JSON lines, one per request)."""
    argv = [PYTHON, os.path.join(HERE, "confinetest.py"), "client", json.dumps(requests)]
    if as_nobody:
        argv = SETPRIV_NOBODY + argv
    elif uid is not None:
        argv = setpriv_argv(uid) + argv
    p = subprocess.Popen(argv, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=_child_env(), cwd="/")
    _children.append(p)
    return p


def start_listener(as_nobody=False):
    """Start `confinetest.py listen` (see listen_main); returns (Popen, ready answer).
    Close p.stdin, then read_json_line(p) gives {"signals": [...]}."""
    argv = [PYTHON, os.path.join(HERE, "confinetest.py"), "listen"]
    if as_nobody:
        argv = SETPRIV_NOBODY + argv
    p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=_child_env(), cwd="/")
    _children.append(p)
    return p, read_json_line(p, 15)


# A client's first answer also waits for the client to start: a Python process that imports
# GI and compiles these modules (the source dir may be read-only, so no bytecode cache) took
# over 15 s in the test VM under TCG on a busy host. It counts only while nothing has come.
CLIENT_START_SECONDS = 45


def read_json_line(p, timeout):
    """One JSON line from p.stdout, within timeout (plus CLIENT_START_SECONDS for the first)."""
    fd = p.stdout.fileno()
    buf = b""
    if not getattr(p, "confine_answered", False):
        timeout += CLIENT_START_SECONDS
    deadline = time.monotonic() + timeout
    while not buf.endswith(b"\n"):
        left = deadline - time.monotonic()
        r, _, _ = select.select([fd], [], [], max(left, 0))
        if not r:
            raise TimeoutError("no answer from client pid %d within %.0f s (got %r)" % (p.pid, timeout, buf))
        c = os.read(fd, 1)
        if not c:
            err = p.stderr.read().decode(errors="replace") if p.poll() is not None else ""
            raise RuntimeError("client pid %d ended without an answer (got %r, status %r)\n%s"
                               % (p.pid, buf, p.poll(), err))
        buf += c
    p.confine_answered = True
    return json.loads(buf)


def run_client(requests, as_nobody=False, timeout=30, uid=None):
    """Run requests in a separate process; returns the list of answers (see client_main)."""
    p = start_client(requests, as_nobody, stdin=subprocess.DEVNULL, uid=uid)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
        raise TimeoutError("client timed out after %d s: %r" % (timeout, requests))
    answers = [json.loads(line) for line in out.decode().splitlines() if line.strip()]
    if p.returncode != 0 or len(answers) != len(requests):
        raise RuntimeError("client failed (status %d, %d answers for %d requests)\nstdout: %s\nstderr: %s"
                           % (p.returncode, len(answers), len(requests), out.decode(errors="replace"),
                              err.decode(errors="replace")))
    return answers


def nobody_spawn(argv, props=(), flags=0, timeout=30):
    """Spawn as nobody, capture the output and wait. Returns the answer dict: either
    {"error": NAME, "message": MSG} or {"path", "id", "result", "status", "stdout",
    "stderr", "properties"} (properties: the job's Job properties as seen by nobody)."""
    req = {"op": "run", "argv": list(argv), "props": [list(p) for p in props], "flags": flags}
    return run_client([req], as_nobody=True, timeout=timeout)[0]


LIBCONFINE_DIR = os.path.join(BUILD_DIR, "client", "libconfine")


def _sanitizer_runtimes(library):
    """The ASan/UBSan runtimes an instrumented library needs: they must be loaded before
    anything else in an uninstrumented program (python3)."""
    out = subprocess.run(["ldd", library], capture_output=True, text=True).stdout
    return [line.split("=>")[1].split()[0] for line in out.splitlines()
            if "=>" in line and ("libasan" in line or "libubsan" in line)]


def gi_env(env=None):
    """An environment in which python3 finds the Confine typelib and libconfine of the build."""
    env = dict(os.environ if env is None else env)
    if INSTALLED:       # the installed typelib and library, where GI looks by default
        env["CONFINE_GI_ENV"] = "1"
        return env
    for var in ("GI_TYPELIB_PATH", "LD_LIBRARY_PATH"):
        env[var] = LIBCONFINE_DIR + (":" + env[var] if env.get(var) else "")
    preload = _sanitizer_runtimes(os.path.join(LIBCONFINE_DIR, "libconfine.so.0"))
    if preload:
        env["LD_PRELOAD"] = ":".join(preload + ([env["LD_PRELOAD"]] if env.get("LD_PRELOAD") else []))
        # python3 itself leaks by LeakSanitizer's standards; libconfine's leaks are the C tests' job.
        env["ASAN_OPTIONS"] = env.get("ASAN_OPTIONS", "") + ":detect_leaks=0"
    env["CONFINE_GI_ENV"] = "1"
    return env


def reexec_with_gi():
    """Restarts this script under gi_env(): the loader reads LD_LIBRARY_PATH and LD_PRELOAD
    only at the start of a process."""
    if os.environ.get("CONFINE_GI_ENV") != "1":
        os.execve(PYTHON, [PYTHON] + sys.argv, gi_env())


def confinectl(args, as_nobody=False, timeout=30, stdin=subprocess.DEVNULL):
    """Run confinectl ARGS; returns CompletedProcess (text)."""
    argv = [CONFINECTL] + list(args)
    if as_nobody:
        argv = SETPRIV_NOBODY + argv
    return subprocess.run(argv, stdin=stdin, capture_output=True, text=True, timeout=timeout, cwd="/")


# ---------------------------------------------------------------------------------------
# The client program (run in a separate process, possibly as nobody)

def _jsonable(v):
    if isinstance(v, dict):
        return {k: _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, bytes):
        return v.decode(errors="replace")
    return v


_recorder = None


def _client_request(conn, req):
    op = req["op"]
    props = [tuple(p) for p in req.get("props", [])]
    if op == "run":
        j = run_job(conn, req["argv"], props, req.get("flags", 0))
        return {"path": j.path, "id": j.id, "result": j.result, "status": j.status,
                "stdout": j.stdout, "stderr": j.stderr, "properties": get_all(conn, j.path)}
    if op == "spawn":
        path, job_id = spawn(conn, req["argv"], props, req.get("flags", 0))
        return {"path": path, "id": job_id, "pid": get_prop(conn, path, "MainPID")}
    if op == "analyze":
        return analyze(conn, req["argv"], props, req.get("flags", 0))
    if op == "get_job":
        return {"path": get_job(conn, req["id"])}
    if op == "list_jobs":
        return {"jobs": list_jobs(conn)}
    if op == "get_all":
        return {"properties": get_all(conn, req["path"], req.get("iface", JOB_IFACE))}
    if op == "kill":
        kill_job(conn, req["path"], req.get("signal", 15))
        return {}
    if op == "wait":
        r, s = wait_job(conn, req["path"], req.get("timeout", JOB_TIMEOUT))
        return {"result": r, "status": s}
    if op == "unique_name":
        return {"name": conn.get_unique_name()}
    if op == "record_signals":
        # The daemon's signals are unicast: they reach this connection without a match rule.
        global _recorder
        _recorder = SignalRecorder(conn, match=False)
        return {}
    if op == "recorded_signals":
        return {"signals": _recorder.snapshot() if _recorder else []}
    if op == "pause":
        # Keep the connection until stdin reaches EOF (the parent closes it or dies).
        sys.stdin.buffer.read()
        return {}
    raise ValueError("unknown op %r" % op)


def client_main(requests):
    """Run each request on one connection; print one JSON line per request:
    the result, or {"error": NAME, "message": MSG} for a D-Bus error."""
    signal.alarm(60)
    conn = connect()
    for req in requests:
        try:
            ans = _client_request(conn, req)
        except BusError as e:
            ans = {"error": e.name, "message": e.message}
        print(json.dumps(_jsonable(ans)), flush=True)
    conn.close_sync(None)


def listen_main():
    """Record every signal from the daemon that reaches this connection (after an AddMatch
    for all its signals). Prints {"ready": unique_name, "uid": uid} once listening, then, at
    EOF on stdin, {"signals": [...], "control": [...], "control_path": path}: "signals" is
    what arrived until then; "control" what arrived for a job that the listener then spawns
    itself (`true`), to prove that the recording works."""
    signal.alarm(120)
    conn = connect()
    rec = SignalRecorder(conn, match=True)
    print(json.dumps({"ready": conn.get_unique_name(), "uid": os.getuid()}), flush=True)
    sys.stdin.buffer.read()
    time.sleep(0.2)     # what was in flight arrives
    before = rec.snapshot()
    # Control: this connection's own job, whose signals it must get (proves the recorder works).
    path, _ = spawn(conn, ["true"])
    wait_job(conn, path)
    rec.wait_for("JobRemoved", MANAGER_PATH, 5)
    control = rec.snapshot()[len(before):]
    print(json.dumps({"signals": _jsonable(before), "control": _jsonable(control), "control_path": path}),
          flush=True)


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "client":
        client_main(json.loads(sys.argv[2]))
    elif len(sys.argv) >= 2 and sys.argv[1] == "listen":
        listen_main()
    else:
        sys.exit("usage: confinetest.py client JSON | listen")

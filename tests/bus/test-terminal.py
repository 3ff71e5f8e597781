#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Terminals: a job never gets its caller's terminal to type into.

Flag 4 gives a job a new pseudo-terminal (its controlling terminal), whose master the owner
takes with Job.GetTerminal(). TIOCSTI (push bytes into a terminal's input, as if typed) and
TIOCLINUX are refused inside any job that holds a terminal, even as root with CAP_SYS_ADMIN.
Each refusal is paired with the same injection working outside confine, on this kernel.

Run under tests/with-bus, as root."""

import fcntl
import json
import os
import select
import signal
import struct
import sys
import termios
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import confinetest as ct  # noqa: E402
from confinetest import (E_INVALID_ARGS, E_UNKNOWN_OBJECT, JOB_IFACE, SETPRIV_NOBODY, BusError, Tap,  # noqa: E402
                         call, connect, py_job, spawn, wait_job, _bus_error)

from gi.repository import Gio, GLib  # noqa: E402

FLAG_TERMINAL = 4

# Inside the job: try to inject into fd 0, report what happened as one JSON line on fd 1.
INJECT = r'''
import fcntl, json, os, struct, sys, termios
TIOCGSID = 0x5429  # not in the termios module
r = {"tty": os.ttyname(0) if os.isatty(0) else None, "fds": sorted(os.listdir("/proc/self/fd"))}
try:
    fcntl.ioctl(0, termios.TIOCSTI, b"X")
    r["tiocsti"] = "ok"
except OSError as e:
    r["tiocsti"] = e.errno
try:
    os.close(os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY))
    r["ctty"] = "yes"
except OSError as e:
    r["ctty"] = "errno %d" % e.errno
try:
    r["fd0_is_ctty"] = struct.unpack("i", fcntl.ioctl(0, TIOCGSID, bytes(4)))[0] == os.getsid(0)
except OSError as e:
    r["fd0_is_ctty"] = "errno %d" % e.errno
r["sid_is_pid"] = os.getsid(0) == os.getpid()
print(json.dumps(r), flush=True)
'''


def get_terminal(conn, path):
    try:
        res, fds = conn.call_with_unix_fd_list_sync(
            "org.confine.Confine1", path, JOB_IFACE, "GetTerminal", None, GLib.VariantType("(h)"),
            Gio.DBusCallFlags.NONE, 10000, None, None)
    except GLib.Error as e:
        raise _bus_error(e) from None
    return fds.get(res.unpack()[0])


def read_until_exit(master, timeout=20):
    out = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        r, _, _ = select.select([master], [], [], 0.2)
        if r:
            try:
                data = os.read(master, 65536)
            except OSError:      # EIO: the last slave fd is closed
                break
            if not data:
                break
            out += data
    return out


def run_on_terminal(conn, argv, props=(), before=None):
    """Spawn argv with flag 4, take the master, let before(master) act, read everything."""
    path, _ = spawn(conn, argv, props, FLAG_TERMINAL)
    master = get_terminal(conn, path)
    try:
        if before:
            before(master)
        out = read_until_exit(master)
    finally:
        os.close(master)
    result = wait_job(conn, path)
    return path, out.decode(errors="replace").replace("\r\n", "\n"), result


def json_line(text):
    for line in text.splitlines():
        if line.startswith("{"):
            return json.loads(line)
    raise ValueError("no JSON report in %r" % text)


def inject_outside(as_session_leader):
    """The escape itself, outside confine: a root process pushes a byte into a fresh pty,
    as its controlling terminal or not. Returns what the terminal's reader then sees."""
    master, slave = os.openpty()
    pid = os.fork()
    if pid == 0:
        try:
            if as_session_leader:
                os.setsid()
                fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
            fcntl.ioctl(slave, termios.TIOCSTI, b"X")
            os._exit(0)
        except OSError as e:
            os._exit(e.errno)
    _, st = os.waitpid(pid, 0)
    tc = termios.tcgetattr(slave)
    tc[3] &= ~(termios.ICANON | termios.ECHO)
    termios.tcsetattr(slave, termios.TCSANOW, tc)
    r, _, _ = select.select([slave], [], [], 0.5)
    seen = os.read(slave, 16) if r else b""
    os.close(master)
    os.close(slave)
    return os.waitstatus_to_exitcode(st), seen


def nobody_main():
    """Run as uid 65534: a flag-4 job of its own, reported as JSON."""
    conn = connect()
    _, out, result = run_on_terminal(conn, py_job(INJECT))
    print(json.dumps({"report": json_line(out), "result": list(result)}))


def main():
    tap = Tap(timeout=120)
    conn = connect()

    with tap.case("escape without confine: root pushes a byte into its own controlling pty (TIOCSTI)"):
        rc, seen = inject_outside(True)
        tap.eq((rc, seen), (0, b"X"), "TIOCSTI outcome and what the reader saw")

    with tap.case("escape without confine: root pushes a byte into a pty that is not its terminal"):
        rc, seen = inject_outside(False)
        tap.eq((rc, seen), (0, b"X"), "TIOCSTI outcome (CAP_SYS_ADMIN allows it) and what the reader saw")

    with tap.case("flag 4: the job runs on a new pty, its controlling terminal, in its own session"):
        _, out, result = run_on_terminal(conn, py_job(INJECT))
        r = json_line(out)
        tap.eq(result, ("success", 0), "job result")
        tap.check(r["tty"] and r["tty"].startswith("/dev/pts/"), "fd 0 is a pty", r)
        tap.eq((r["ctty"], r["fd0_is_ctty"]), ("yes", True), "the job has a controlling terminal, and it is fd 0")
        tap.check(r["sid_is_pid"], "the job leads its session", r)
        tap.eq(r["fds"], ["0", "1", "2", "3"], "open fds (3 is listdir's own)")

    with tap.case("flag 4 as root (CAP_SYS_ADMIN kept): TIOCSTI on its own terminal fails with EPERM"):
        _, out, _ = run_on_terminal(conn, py_job(INJECT))
        tap.eq(json_line(out)["tiocsti"], 1, "errno of TIOCSTI")

    with tap.case("flag 4 as root: TIOCSTI with garbage in the command's upper 32 bits fails too"):
        code = ("import ctypes, termios; libc = ctypes.CDLL(None, use_errno=True); "
                "r = libc.ioctl(0, ctypes.c_ulong((1 << 32) | termios.TIOCSTI), b'X'); "
                "print('RESULT', r, ctypes.get_errno(), flush=True)")
        _, out, _ = run_on_terminal(conn, py_job(code))
        tap.contains(out, "RESULT -1 1", "ioctl return value and errno")

    with tap.case("flag 4 as nobody: TIOCSTI fails with EPERM and the job is nobody's"):
        import subprocess
        p = subprocess.run(SETPRIV_NOBODY + [sys.executable, os.path.abspath(__file__), "nobody"],
                           capture_output=True, text=True, timeout=60)
        tap.eq(p.returncode, 0, "nobody client exit status\n" + p.stderr)
        r = json.loads(p.stdout)
        tap.eq(r["report"]["tiocsti"], 1, "errno of TIOCSTI")
        tap.eq(r["result"], ["success", 0], "job result")

    with tap.case("a caller's tty passed as stdin (no flag 4): the job, root with CAP_SYS_ADMIN, cannot type into it"):
        master, slave = os.openpty()
        my_tty = os.ttyname(slave)
        out_r, out_w = os.pipe()
        try:
            path, _ = spawn(conn, py_job(INJECT), [("StandardInputFileDescriptor", "h", slave),
                                                   ("StandardOutputFileDescriptor", "h", out_w)])
            os.close(out_w)
            out = b""
            while True:
                d = os.read(out_r, 65536)
                if not d:
                    break
                out += d
            wait_job(conn, path)
            r = json_line(out.decode())
            tap.eq(r["tty"], my_tty, "the job's fd 0 is the caller's tty")
            tap.eq(r["tiocsti"], 1, "errno of TIOCSTI")
            tap.eq(r["ctty"], "errno 6", "opening /dev/tty: the job has no controlling terminal (ENXIO)")
            tap.eq(r["fd0_is_ctty"], "errno 25", "TIOCGSID on the caller's tty: not the job's terminal (ENOTTY)")
            tc = termios.tcgetattr(slave)
            tc[3] &= ~(termios.ICANON | termios.ECHO)
            termios.tcsetattr(slave, termios.TCSANOW, tc)
            rr, _, _ = select.select([slave], [], [], 0.3)
            tap.eq(os.read(slave, 16) if rr else b"", b"", "bytes that appeared in the caller's tty input")
        finally:
            os.close(out_r)
            os.close(master)
            os.close(slave)

    with tap.case("flag 4: the job's terminal is not the caller's (the test's own tty, if any, is unreachable)"):
        cm, cs = os.openpty()
        try:
            _, out, _ = run_on_terminal(conn, py_job(INJECT))
            r = json_line(out)
            for fd in (0, 1, 2, cs):
                if os.isatty(fd):
                    tap.check(r["tty"] != os.ttyname(fd), "job tty differs from the caller's", r)
            tap.eq(r["fd0_is_ctty"], True, "its controlling terminal is its own pty")
        finally:
            os.close(cm)
            os.close(cs)

    with tap.case("flag 4: a window size set on the master reaches the job, with SIGWINCH"):
        code = ("import fcntl, signal, struct, sys, termios, time\n"
                "got = []\n"
                "signal.signal(signal.SIGWINCH, lambda *a: got.append(1))\n"
                "print('READY', flush=True)\n"
                "t = time.time()\n"
                "while not got and time.time() - t < 10: time.sleep(0.01)\n"
                "rows, cols = struct.unpack('HHHH', fcntl.ioctl(0, termios.TIOCGWINSZ, bytes(8)))[:2]\n"
                "print('WINCH', len(got), rows, cols, flush=True)\n")

        def resize(master):
            buf = b""
            while b"READY" not in buf:
                buf += os.read(master, 1024)
            fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", 33, 111, 0, 0))
        _, out, _ = run_on_terminal(conn, py_job(code), before=resize)
        tap.contains(out, "WINCH 1 33 111", "what the job saw")

    with tap.case("flag 4: input typed on the master reaches the job"):
        def type_line(master):
            os.write(master, b"hello\n")
        _, out, result = run_on_terminal(conn, ["/bin/sh", "-c", "read x; echo got:$x"], before=type_line)
        tap.contains(out, "got:hello", "job output")
        tap.eq(result, ("success", 0), "job result")

    with tap.case("confinectl run --pty as nobody, from nobody's own terminal: TIOCSTI fails on the job's "
                  "terminal and on the caller's (opened by path), and nothing reaches the caller's input"):
        import subprocess
        master, slave = os.openpty()
        caller_tty = os.ttyname(slave)
        os.chown(caller_tty, ct.NOBODY_UID, -1)   # as login(1) gives a user their terminal
        probe = ("import fcntl, os, termios\n"
                 "def tiocsti(fd):\n"
                 "    try:\n"
                 "        fcntl.ioctl(fd, termios.TIOCSTI, b'X'); return 'ok'\n"
                 "    except OSError as e:\n"
                 "        return e.errno\n"
                 "own = tiocsti(0)\n"
                 "try:\n"
                 "    caller = tiocsti(os.open(%r, os.O_RDWR | os.O_NOCTTY))\n"
                 "except OSError as e:\n"
                 "    caller = 'open errno %%d' %% e.errno\n"
                 "print('REPORT', own, caller, os.ttyname(0) != %r, flush=True)\n" % (caller_tty, caller_tty))
        try:
            p = subprocess.Popen(ct.SETPRIV_NOBODY + [ct.CONFINECTL, "run", "--pty", "--", ct.PYTHON, "-c", probe],
                                 stdin=slave, stdout=slave, stderr=slave, start_new_session=True,
                                 preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0))
            out = b""
            deadline = time.monotonic() + 20
            while p.poll() is None and time.monotonic() < deadline:
                r, _, _ = select.select([master], [], [], 0.2)
                if r:
                    out += os.read(master, 4096)
            p.wait(5)
            while select.select([master], [], [], 0.2)[0]:
                chunk = os.read(master, 4096)
                if not chunk:
                    break
                out += chunk
            text = out.decode(errors="replace")
            tap.eq(p.returncode, 0, "confinectl exit status; output:\n" + text)
            tap.contains(text, "REPORT 1 1 True", "TIOCSTI errno on its own terminal, on the caller's, and "
                                                  "whether the job's terminal is a new one")
            tap.check("X" not in text.replace("REPORT", ""), "no injected X echoed on the caller's terminal", text)
        finally:
            os.close(master)
            os.close(slave)

    with tap.case("flag 4 with StandardOutputFileDescriptor: InvalidArgs, no job"):
        r, w = os.pipe()
        try:
            e = tap.raises(E_INVALID_ARGS, spawn, conn, ["/bin/true"], [("StandardOutputFileDescriptor", "h", w)],
                           FLAG_TERMINAL)
            tap.contains(e.message, "Flag 4", "message")
        finally:
            os.close(r)
            os.close(w)

    with tap.case("TTYRows=/TTYColumns=: the job's first look at its terminal sees that size"):
        # Without them the new terminal is 0x0 until someone sizes it (the kernel's default).
        _, out, result = run_on_terminal(conn, ["stty", "size"])
        tap.eq((out, result), ("0 0\n", ("success", 0)), "without: the kernel's 0 0")
        path, out, result = run_on_terminal(conn, ["stty", "size"], [("TTYRows", "u", 33), ("TTYColumns", "u", 77)])
        tap.eq((out, result), ("33 77\n", ("success", 0)), "with: stty size")
        props = dict(ct.get_prop(conn, path, "Properties"))
        tap.eq((props.get("TTYRows"), props.get("TTYColumns")), (33, 77), "Job.Properties")

    with tap.case("TTYRows= without flag 4: InvalidArgs naming it; 65536 rows: InvalidProperty"):
        e = tap.raises(E_INVALID_ARGS, spawn, conn, ["/bin/true"], [("TTYRows", "u", 40)])
        tap.contains(e.message, "TTYRows", "message")
        e = tap.raises(ct.E_INVALID_PROPERTY, spawn, conn, ["/bin/true"], [("TTYColumns", "u", 65536)],
                       FLAG_TERMINAL)
        tap.contains(e.message, "TTYColumns", "message")

    with tap.case("GetTerminal on a job without flag 4: InvalidArgs"):
        path, _ = spawn(conn, ["/bin/sleep", "5"])
        try:
            e = tap.raises(E_INVALID_ARGS, get_terminal, conn, path)
            tap.contains(e.message, "flag 4", "message")
        finally:
            call(conn, path, JOB_IFACE, "Kill", GLib.Variant("(i)", (9,)))

    with tap.case("GetTerminal on another user's job: the job does not exist for nobody"):
        path, _ = spawn(conn, ["/bin/sleep", "5"], (), FLAG_TERMINAL)
        try:
            import subprocess
            p = subprocess.run(SETPRIV_NOBODY + ["busctl", "--system", "call", "org.confine.Confine1", path,
                                                 JOB_IFACE, "GetTerminal"], capture_output=True, text=True, timeout=20)
            tap.check(p.returncode != 0, "busctl failed", p.stdout)
            tap.check("Unknown object" in p.stderr or "UnknownObject" in p.stderr, "error", p.stderr)
        finally:
            call(conn, path, JOB_IFACE, "Kill", GLib.Variant("(i)", (9,)))

    tap.done()


if __name__ == "__main__":
    if sys.argv[1:] == ["nobody"]:
        nobody_main()
    else:
        main()

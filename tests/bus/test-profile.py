#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# Bus test: a whole hardening profile at once, as an administrator copies it from a unit file
# (the OpenSMTPD-style list of the systemd hardening guides), on a real program: a Python
# server that answers one request on a listening socket passed in through
# ExtraFileDescriptors, the way systemd socket activation does. It must work, and the
# protections must still hold inside it.
#
# Run: tests/with-bus -- tests/bus/test-profile.py

import os
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from confinetest import (  # noqa: E402
    JobReaper, Tap, connect, final_checks, install_child_cleanup, py_job, read_pipes, spawn, wait_job,
)

t = Tap(timeout=120)
install_child_cleanup(t)
conn = connect()
reaper = JobReaper()
t.add_cleanup(lambda: reaper.kill_all(conn))

CAP_NET_BIND_SERVICE = 1 << 10
NS_ALL = 0  # RestrictNamespaces=yes: no namespace type may be created

PROFILE = [
    ("User", "s", "nobody"),
    ("NoNewPrivileges", "b", True),
    ("CapabilityBoundingSet", "t", CAP_NET_BIND_SERVICE),
    ("ProtectSystem", "s", "strict"),
    ("ProtectHome", "s", "yes"),
    ("PrivateTmp", "b", True),
    ("PrivateDevices", "b", True),
    ("PrivateNetwork", "b", True),
    ("PrivateIPC", "b", True),
    ("ProtectHostname", "b", True),
    ("ProtectKernelTunables", "b", True),
    ("ProtectKernelModules", "b", True),
    ("ProtectControlGroups", "b", True),
    ("ReadOnlyPaths", "as", ["/var"]),
    ("InaccessiblePaths", "as", ["-/var/spool/cron"]),
    ("RestrictAddressFamilies", "(bas)", (True, ["AF_UNIX", "AF_INET", "AF_INET6"])),
    ("RestrictNamespaces", "t", NS_ALL),
    ("RestrictRealtime", "b", True),
    ("RestrictSUIDSGID", "b", True),
    ("LockPersonality", "b", True),
    ("MemoryDenyWriteExecute", "b", True),
    ("SystemCallArchitectures", "as", ["native"]),
    ("SystemCallFilter", "(bas)", (True, ["@system-service"])),
    ("SystemCallFilter", "(bas)", (False, ["@privileged", "@resources"])),
    ("SystemCallErrorNumber", "i", 1),  # EPERM
    ("UMask", "u", 0o077),
    ("LimitNOFILE", "t", 64),
    ("LimitNPROC", "t", 64),
    ("RuntimeMaxUSec", "t", 30_000_000),
]

SERVER = r"""
import os, socket, sys
assert os.environ["LISTEN_FDS"] == "1" and os.environ["LISTEN_FDNAMES"] == "http", os.environ
assert os.environ["LISTEN_PID"] == str(os.getpid())
s = socket.socket(fileno=3)
c, _ = s.accept()
req = c.recv(1024)
# What the job may still do, and what it may not, reported in the response.
checks = []
def attempt(name, fn):
    try:
        fn(); checks.append(name + "=allowed")
    except OSError as e:
        checks.append(name + "=" + (os.strerror(e.errno) if e.errno else str(e)))
attempt("write-usr", lambda: open("/usr/confine-profile-probe", "w"))
attempt("read-root", lambda: os.listdir("/root"))
attempt("write-var", lambda: open("/var/tmp/../confine-probe", "w"))
attempt("socket-netlink", lambda: socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0))
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
def unshare_user():
    if libc.unshare(0x10000000) != 0:
        raise OSError(ctypes.get_errno(), "unshare")
attempt("unshare-user", unshare_user)
attempt("sethostname", lambda: socket.sethostname("x"))
with open("/tmp/private", "w") as f:
    f.write("x")
mode = oct(os.stat("/tmp/private").st_mode & 0o777)
body = "hello %s from uid %d; umask file %s; %s" % (req.split()[1].decode(), os.getuid(), mode, " ".join(checks))
c.sendall(b"HTTP/1.0 200 OK\r\n\r\n" + body.encode())
c.close()
"""

with t.case("the full hardening profile serves one request on a passed-in socket"):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    try:
        path, job_id = spawn(conn, py_job(SERVER), PROFILE + [
            ("ExtraFileDescriptors", "a(hs)", [(listener.fileno(), "http")]),
            ("StandardOutputFileDescriptor", "h", out_w),
            ("StandardErrorFileDescriptor", "h", err_w),
        ])
        reaper.add(path)
    finally:
        os.close(out_w)
        os.close(err_w)
        listener.close()  # only the job holds it now

    client = socket.create_connection(("127.0.0.1", port), timeout=20)
    client.sendall(b"GET /confine HTTP/1.0\r\n\r\n")
    response = b""
    while True:
        data = client.recv(4096)
        if not data:
            break
        response += data
    client.close()
    out = read_pipes([out_r, err_r], 20)
    os.close(out_r)
    os.close(err_r)
    result = wait_job(conn, path)
    text = response.decode(errors="replace")
    t.diag("response: " + text.split("\r\n\r\n", 1)[-1])
    t.eq(result, ("success", 0), "job result (stderr: %r)" % out[err_r][-2000:])
    t.contains(text, "200 OK", "response")
    t.contains(text, "hello /confine from uid 65534", "served as nobody")
    t.contains(text, "umask file 0o600", "UMask=0077 applied")
    t.contains(text, "write-usr=Read-only file system", "ProtectSystem=strict holds inside the server")
    t.contains(text, "read-root=", "ProtectHome probe ran")
    t.check("read-root=allowed" not in text, "ProtectHome=yes holds: /root not listable", text)
    t.contains(text, "socket-netlink=", "RestrictAddressFamilies probe ran")
    t.check("socket-netlink=allowed" not in text, "RestrictAddressFamilies holds: no AF_NETLINK", text)
    t.check("unshare-user=allowed" not in text, "RestrictNamespaces=yes holds", text)
    t.check("sethostname=allowed" not in text, "ProtectHostname holds", text)

with t.case("the profile's effective spec is what was asked"):
    from confinetest import get_prop  # noqa: E402
    props = dict(get_prop(conn, path, "Properties"))
    t.eq(props.get("ProtectSystem"), "strict", "ProtectSystem")
    t.eq(props.get("SystemCallFilter", (None, None))[0], True, "SystemCallFilter is an allow-list")
    t.check("mount" not in props.get("SystemCallFilter", (True, []))[1], "mount is not allowed",
            props.get("SystemCallFilter"))
    t.check("setuid" not in props.get("SystemCallFilter", (True, []))[1],
            "~@privileged removed setuid from the allow-list", None)

final_checks(t, conn)
t.done()

#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Escape pairs for the network filters of issue 15, from inside jobs the daemon starts. The test runs
# a TCP and a UDP server on the host; each pair first shows the job reaching it WITHOUT the property,
# then blocked WITH it:
#  - IPAddressDeny=/IPAddressAllow= (cgroup skb programs): a UDP send fails with EPERM (the egress
#    program drops it); a TCP connect gets no answer (the SYN is dropped and the kernel retries it
#    until the connect times out, as under systemd), for localhost, any, a prefix, with Allow= winning;
#  - IPAccounting=: the job's egress bytes grow by at least what it sent, in Job's IPEgressBytes and
#    the rest, after it exited.
# Run: tests/with-bus -- tests/escape/test-network-escapes.py (as root)

import json
import os
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bus"))
from confinetest import (  # noqa: E402
    E_ACCESS_DENIED, E_INVALID_PROPERTY, SETPRIV_NOBODY, JobReaper, Tap, connect, final_checks, get_prop,
    install_child_cleanup, manager_prop, nobody_spawn, py_job, run_job,
)

t = Tap(timeout=110)
install_child_cleanup(t)
conn = connect()
reaper = JobReaper()
t.add_cleanup(lambda: reaper.kill_all(conn))


def host_address():
    """The address of eth0 (or another global IPv4 address of this host), for a peer that is not lo."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.connect(("192.0.2.200", 9))
        return s.getsockname()[0]
    except OSError:
        return None
    finally:
        s.close()


class Servers:
    """A TCP listener (accepts, reads to EOF) and a UDP socket on all addresses, v4 and v6."""

    def __init__(self):
        self.tcp = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        self.tcp.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        self.tcp.bind(("::", 0))
        self.tcp.listen(64)
        self.tcp_port = self.tcp.getsockname()[1]
        self.udp = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        self.udp.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        self.udp.bind(("::", 0))
        self.udp_port = self.udp.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()
        threading.Thread(target=self._receive, daemon=True).start()

    def _accept(self):
        while True:
            c, _ = self.tcp.accept()
            threading.Thread(target=self._drain, args=(c,), daemon=True).start()

    @staticmethod
    def _drain(c):
        while c.recv(65536):
            pass
        c.close()

    def _receive(self):
        while True:
            self.udp.recv(65536)


srv = Servers()

# The probe inside the job: "tcp HOST PORT BYTES" or "udp HOST PORT BYTES"; prints OK or the errno name.
PROBE = r"""
import errno, socket, sys
kind, host, port, size = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
family = socket.AF_INET6 if ":" in host else socket.AF_INET
try:
    if kind == "tcp":
        s = socket.socket(family, socket.SOCK_STREAM)
        s.settimeout(2)
        s.connect((host, port))
        s.sendall(b"x" * size)
        s.shutdown(socket.SHUT_WR)
        s.recv(1)
    else:
        s = socket.socket(family, socket.SOCK_DGRAM)
        s.sendto(b"y" * size, (host, port))
    print("OK")
except socket.timeout:
    print("ERR ETIMEDOUT")
except OSError as e:
    print("ERR " + errno.errorcode.get(e.errno, str(e.errno)))
"""


def probe(kind, host, props=(), size=100):
    port = srv.tcp_port if kind == "tcp" else srv.udp_port
    j = run_job(conn, py_job(PROBE) + [kind, host, str(port), str(size)], props)
    return j.stdout.strip() or ("no output: " + j.stderr.strip())


def prefixes(*entries):
    """(family, address text, prefix length) → the a(iayu) value."""
    return [(f, list(socket.inet_pton(f, a)), n) for f, a, n in entries]


V4, V6 = socket.AF_INET, socket.AF_INET6
DENY_ANY = ("IPAddressDeny", "a(iayu)", prefixes((V4, "0.0.0.0", 0), (V6, "::", 0)))
DENY_LOCALHOST = ("IPAddressDeny", "a(iayu)", prefixes((V4, "127.0.0.0", 8), (V6, "::1", 128)))
eth = host_address()

with t.case("SupportedProperties lists the network filters"):
    supported = manager_prop(conn, "SupportedProperties")
    t.eq([n for n in ("IPAddressAllow", "IPAddressDeny", "IPAccounting", "RestrictNetworkInterfaces",
                      "SocketBindAllow", "SocketBindDeny", "NetworkNamespacePath") if n not in supported], [],
         "missing")

with t.case("IPAddressDeny=localhost: a UDP send to 127.0.0.1 works without, fails with EPERM with it"):
    t.eq(probe("udp", "127.0.0.1"), "OK", "without")
    t.eq(probe("udp", "127.0.0.1", [DENY_LOCALHOST]), "ERR EPERM", "with")

with t.case("IPAddressDeny=localhost: a UDP send to ::1 works without, fails with EPERM with it"):
    t.eq(probe("udp", "::1"), "OK", "without")
    t.eq(probe("udp", "::1", [DENY_LOCALHOST]), "ERR EPERM", "with")

with t.case("IPAddressDeny=localhost: a TCP connect to 127.0.0.1 works without, gets no answer with it"):
    t.eq(probe("tcp", "127.0.0.1"), "OK", "without")
    t.eq(probe("tcp", "127.0.0.1", [DENY_LOCALHOST]), "ERR ETIMEDOUT", "with")

if not eth:
    t.ok(True, "IPAddressDeny=any: TCP and UDP to the host's own address blocked; IPAddressAllow= wins over it # SKIP no global IPv4 address on this host")
else:
    with t.case("IPAddressDeny=any: TCP and UDP to the host's own address blocked; IPAddressAllow= wins over it"):
        t.eq(probe("tcp", eth), "OK", "without")
        t.eq(probe("tcp", eth, [DENY_ANY]), "ERR ETIMEDOUT", "Deny=any, TCP")
        t.eq(probe("udp", eth, [DENY_ANY]), "ERR EPERM", "Deny=any, UDP")
        allow = ("IPAddressAllow", "a(iayu)", prefixes((V4, eth, 32)))
        t.eq(probe("tcp", eth, [DENY_ANY, allow]), "OK", "Deny=any Allow=%s/32" % eth)
        t.eq(probe("udp", "127.0.0.1", [DENY_ANY, allow]), "ERR EPERM", "... and 127.0.0.1 stays denied")

if not eth:
    t.ok(True, "IPAddressDeny= of a prefix: only what is inside it is blocked # SKIP no global IPv4 address on this host")
else:
    with t.case("IPAddressDeny= of a prefix: only what is inside it is blocked"):
        net = ("IPAddressDeny", "a(iayu)", prefixes((V4, eth, 24)))
        t.eq(probe("udp", eth, [net]), "ERR EPERM", "inside %s/24" % eth)
        t.eq(probe("udp", "127.0.0.1", [net]), "OK", "127.0.0.1 is outside it")

with t.case("IPAddressAllow= alone restricts nothing, as in systemd"):
    allow = ("IPAddressAllow", "a(iayu)", prefixes((V4, "10.0.0.0", 8)))
    t.eq(probe("udp", "127.0.0.1", [allow]), "OK", "Allow=10.0.0.0/8 only")

with t.case("IPAddressDeny= given empty resets the list"):
    t.eq(probe("udp", "127.0.0.1", [DENY_LOCALHOST, ("IPAddressDeny", "a(iayu)", [])]), "OK", "reset")

# Binds: "BIND tcp|udp 4|6 PORT"; prints OK or the errno name.
BIND = r"""
import errno, socket, sys
kind, version, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
family, host = (socket.AF_INET, "127.0.0.1") if version == "4" else (socket.AF_INET6, "::1")
try:
    s = socket.socket(family, socket.SOCK_STREAM if kind == "tcp" else socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((host, port))
    print("OK")
except OSError as e:
    print("ERR " + errno.errorcode.get(e.errno, str(e.errno)))
"""


def bind(kind, version, port, props=()):
    j = run_job(conn, py_job(BIND) + [kind, version, str(port)], props)
    return j.stdout.strip() or ("no output: " + j.stderr.strip())


def bind_rule(name, family=0, protocol=0, nr_ports=0, port_min=0):
    return (name, "a(iiqq)", [(family, protocol, nr_ports, port_min)])


TCP, UDP = socket.IPPROTO_TCP, socket.IPPROTO_UDP
PORT = 47000 + os.getpid() % 1000
BIND_DENY_ANY = bind_rule("SocketBindDeny")

with t.case("SocketBindDeny=any: a bind to port %d works without, fails with EPERM with it (TCP, UDP, v4, v6)" % PORT):
    t.eq([bind(k, v, PORT) for k in ("tcp", "udp") for v in "46"], ["OK"] * 4, "without")
    t.eq([bind(k, v, PORT, [BIND_DENY_ANY]) for k in ("tcp", "udp") for v in "46"], ["ERR EPERM"] * 4, "with")

with t.case("SocketBindDeny=any denies an explicit bind to port 0 as systemd's does; a port range does not"):
    t.eq(bind("tcp", "4", 0), "OK", "without")
    t.eq(bind("tcp", "4", 0, [BIND_DENY_ANY]), "ERR EPERM", "Deny=any")
    t.eq(bind("tcp", "4", 0, [bind_rule("SocketBindDeny", 0, 0, 65535, 1)]), "OK", "Deny=1-65535")

with t.case("SocketBindDeny=any leaves connect() alone: the kernel's own port passes no bind hook"):
    t.eq(probe("tcp", "127.0.0.1", [BIND_DENY_ANY]), "OK", "TCP connect")

with t.case("SocketBindAllow=tcp:PORT wins over SocketBindDeny=any; UDP and other ports stay denied"):
    allow = bind_rule("SocketBindAllow", 0, TCP, 1, PORT)
    t.eq(bind("tcp", "4", PORT, [BIND_DENY_ANY, allow]), "OK", "tcp:%d" % PORT)
    t.eq(bind("tcp", "6", PORT, [BIND_DENY_ANY, allow]), "OK", "tcp:%d over IPv6" % PORT)
    t.eq(bind("udp", "4", PORT, [BIND_DENY_ANY, allow]), "ERR EPERM", "udp:%d" % PORT)
    t.eq(bind("tcp", "4", PORT + 1, [BIND_DENY_ANY, allow]), "ERR EPERM", "tcp:%d" % (PORT + 1))

with t.case("SocketBindDeny=ipv6:udp:RANGE: only IPv6 UDP binds inside the range are denied"):
    deny = bind_rule("SocketBindDeny", V6, UDP, 10, PORT - 5)
    t.eq(bind("udp", "6", PORT, [deny]), "ERR EPERM", "udp6 inside")
    t.eq(bind("udp", "4", PORT, [deny]), "OK", "udp4")
    t.eq(bind("tcp", "6", PORT, [deny]), "OK", "tcp6")
    t.eq(bind("udp", "6", PORT + 5, [deny]), "OK", "udp6 just past the range")


def interfaces(allow, *names):
    return ("RestrictNetworkInterfaces", "(bas)", (allow, list(names)))


with t.case("RestrictNetworkInterfaces=~lo: traffic through lo works without, fails with EPERM with it"):
    t.eq(probe("udp", "127.0.0.1"), "OK", "without")
    t.eq(probe("udp", "127.0.0.1", [interfaces(False, "lo")]), "ERR EPERM", "~lo, UDP")
    t.eq(probe("udp", "::1", [interfaces(False, "lo")]), "ERR EPERM", "~lo, UDP over IPv6")
    t.eq(probe("tcp", "127.0.0.1", [interfaces(False, "lo")]), "ERR ETIMEDOUT", "~lo, TCP")

with t.case("RestrictNetworkInterfaces=eth0 (an allow-list without lo): lo is closed; =lo keeps it open"):
    t.eq(probe("udp", "127.0.0.1", [interfaces(True, "eth0")]), "ERR EPERM", "=eth0")
    t.eq(probe("udp", "127.0.0.1", [interfaces(True, "lo")]), "OK", "=lo")

with t.case("RestrictNetworkInterfaces= merges as systemd: lo then ~lo empties the allow-list, which restricts nothing"):
    t.eq(probe("udp", "127.0.0.1", [interfaces(True, "lo"), interfaces(False, "lo")]), "OK", "lo, ~lo")
    reset = ("RestrictNetworkInterfaces", "(bas)", (False, []))
    t.eq(probe("udp", "127.0.0.1", [interfaces(False, "lo"), reset]), "OK", "~lo, then the empty reset")

with t.case("RestrictNetworkInterfaces=~NAME of no interface here is left out, as systemd leaves it"):
    t.eq(probe("udp", "127.0.0.1", [interfaces(False, "confine-none0")]), "OK", "~confine-none0")

# NetworkNamespacePath=. The daemon runs in a mount namespace of its own (tests/with-bus), which does not
# see the /run/netns mounts made after it started, so a namespace is named by /proc/PID/ns/net of a
# process kept in it.
NETNS = "confine-t15-%d" % os.getpid()
holders = []


def hold(argv):
    """A process kept in a namespace; its /proc/PID/ns/net, once it is there."""
    p = subprocess.Popen(argv + ["sleep", "600"])
    holders.append(p)
    path = "/proc/%d/ns/net" % p.pid
    mine = os.readlink("/proc/self/ns/net")
    for _ in range(200):
        try:
            if os.readlink(path) != mine:
                return path, os.readlink(path)
        except OSError:
            pass
        time.sleep(0.01)
    raise RuntimeError("%r did not get into its namespace" % argv)


def stop_holders():
    for p in holders:
        p.kill()
        p.wait()
    subprocess.run(["ip", "netns", "del", NETNS], stderr=subprocess.DEVNULL)


t.add_cleanup(stop_holders)
SHOW_NETNS = ["readlink", "/proc/self/ns/net"]
nnp_ok = subprocess.run(["ip", "netns", "add", NETNS]).returncode == 0

if not nnp_ok:
    t.ok(True, "NetworkNamespacePath= # SKIP ip netns add failed")
else:
    root_ns_path, root_ns = hold(["ip", "netns", "exec", NETNS])
    with t.case("NetworkNamespacePath= of a namespace made with ip netns add: the job is in it, not in the host's"):
        j = run_job(conn, SHOW_NETNS)
        t.eq(j.stdout.strip(), os.readlink("/proc/self/ns/net"), "without: the host's")
        j = run_job(conn, SHOW_NETNS, [("NetworkNamespacePath", "s", root_ns_path)])
        t.eq((j.result, j.stdout.strip()), ("success", root_ns), "with: the namespace's\n" + j.stderr)
        j = run_job(conn, py_job("import socket; print(sorted(n for _, n in socket.if_nameindex()))"),
                    [("NetworkNamespacePath", "s", root_ns_path)])
        t.eq(j.stdout.strip(), "['lo']", "the interfaces the job sees")
        props = dict(get_prop(conn, j.path, "Properties"))
        t.eq(props.get("NetworkNamespacePath"), root_ns_path, "Job.Properties")

    with t.case("NetworkNamespacePath= wins over PrivateNetwork=yes, as in systemd"):
        j = run_job(conn, SHOW_NETNS, [("PrivateNetwork", "b", True), ("NetworkNamespacePath", "s", root_ns_path)])
        t.eq(j.stdout.strip(), root_ns, "the path's namespace")

    with t.case("NetworkNamespacePath= as uid 65534: a path it cannot open is refused, naming it"):
        a = nobody_spawn(SHOW_NETNS, [("NetworkNamespacePath", "s", root_ns_path)])
        t.eq(a.get("error"), E_INVALID_PROPERTY, "error: %r" % a)
        t.check("NetworkNamespacePath" in a["message"] and "Permission denied" in a["message"], a["message"])

    with t.case("NetworkNamespacePath= as uid 65534 of root's namespace it can open: needs spawn-privileged"):
        path, _ = hold(["ip", "netns", "exec", NETNS] + SETPRIV_NOBODY)
        a = nobody_spawn(SHOW_NETNS, [("NetworkNamespacePath", "s", path)])
        t.eq(a.get("error"), E_ACCESS_DENIED, "error: %r" % a)

    with t.case("NetworkNamespacePath= as uid 65534 of a namespace it owns: no privilege needed, the job is in it"):
        path, ns = hold(SETPRIV_NOBODY + ["unshare", "--user", "--net"])
        a = nobody_spawn(SHOW_NETNS, [("NetworkNamespacePath", "s", path)])
        t.eq((a.get("error"), a.get("result"), a.get("stdout", "").strip()), (None, "success", ns), "answer: %r" % a)

# Nested jobs: a Spawn from inside a job gives a job in a cgroup below the parent's, where the parent's
# programs keep running (BPF_F_ALLOW_MULTI: a packet or bind passes only if every program passes it).
BUS_SOCKET = "/run/dbus/system_bus_socket"
NESTED = r"""
import json, sys
from gi.repository import Gio, GLib
conn = Gio.DBusConnection.new_for_address_sync("unix:path=/run/dbus/system_bus_socket",
    Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)
def call(path, iface, method, args, sig):
    return conn.call_sync("org.confine.Confine1", path, iface, method, args, GLib.VariantType(sig),
                          Gio.DBusCallFlags.NONE, 30000, None).unpack()
def run(argv, props):
    r, w = __import__("os").pipe()
    fds = Gio.UnixFDList.new()
    i = fds.append(w)
    v = [(n, GLib.Variant(s, x)) for n, s, x in props] + [("StandardOutputFileDescriptor", GLib.Variant("h", i))]
    try:
        (path, _), _ = conn.call_with_unix_fd_list_sync("org.confine.Confine1", "/org/confine/Confine1",
            "org.confine.Confine1.Manager", "Spawn", GLib.Variant("(asa(sv)t)", (argv, v, 0)), GLib.VariantType("(ot)"),
            Gio.DBusCallFlags.NONE, 30000, fds, None)
    except GLib.Error as e:
        return "SPAWN " + e.message
    __import__("os").close(w)
    call(path, "org.confine.Confine1.Job", "Wait", None, "(si)")
    return __import__("os").read(r, 4096).decode().strip()
probe, cases = sys.argv[1], json.loads(sys.argv[2])
print(json.dumps([run([sys.executable, "-c", probe] + argv, props) for argv, props in cases]))
"""

with t.case("nested jobs keep the parent's filters and cannot loosen them (IPAddressDeny=, SocketBindDeny=)"):
    harness_bus = os.path.join(os.environ["CONFINE_HARNESS_DIR"], "bus")
    made = not os.path.exists(BUS_SOCKET)
    if made:
        os.makedirs(os.path.dirname(BUS_SOCKET), exist_ok=True)
        open(BUS_SOCKET, "w").close()
    try:
        udp = ["udp", "127.0.0.1", str(srv.udp_port), "10"]
        allow = ["IPAddressAllow", "a(iayu)", prefixes((V4, "127.0.0.0", 8), (V6, "::1", 128))]
        cases = [[udp, []], [udp, [allow]]]
        parent_props = [("BindPaths", "a(ssbt)", [(harness_bus, BUS_SOCKET, False, 0)]),
                        ("Environment", "as", ["DBUS_SYSTEM_BUS_ADDRESS=unix:path=" + BUS_SOCKET])]
        j = run_job(conn, py_job(NESTED) + [PROBE, json.dumps(cases)], parent_props)
        t.eq(j.stdout.strip(), '["OK", "OK"]', "control, a parent without filters\n" + j.stderr)
        j = run_job(conn, py_job(NESTED) + [PROBE, json.dumps(cases)], parent_props + [DENY_LOCALHOST])
        t.eq(j.stdout.strip(), '["ERR EPERM", "ERR EPERM"]', "IPAddressDeny=localhost parent\n" + j.stderr)
        bcases = [[["tcp", "4", str(PORT)], []], [["tcp", "4", str(PORT)], [["SocketBindAllow", "a(iiqq)", [[0, 0, 0, 0]]]]]]
        j = run_job(conn, py_job(NESTED) + [BIND, json.dumps(bcases)], parent_props + [BIND_DENY_ANY])
        t.eq(j.stdout.strip(), '["ERR EPERM", "ERR EPERM"]', "SocketBindDeny=any parent\n" + j.stderr)
        j = run_job(conn, py_job(NESTED) + [BIND, json.dumps([[["tcp", "4", "0"], [
            ["NetworkNamespacePath", "s", "/proc/1/ns/net"]]]])], parent_props)
        t.check("NetworkNamespacePath" in j.stdout and "SPAWN" in j.stdout,
                "a nested NetworkNamespacePath= is refused, naming it", j.stdout + j.stderr)
    finally:
        if made:
            os.unlink(BUS_SOCKET)

with t.case("Job.Properties reports IPAddressAllow, IPAddressDeny (masked), IPAccounting, RestrictNetworkInterfaces"):
    j = run_job(conn, ["true"], [("IPAddressDeny", "a(iayu)", prefixes((V4, "10.1.2.3", 8))),
                                 ("IPAddressAllow", "a(iayu)", prefixes((V6, "fe80::1", 64))),
                                 ("IPAccounting", "b", True), interfaces(False, "ifb0", "ifb1")])
    props = dict(get_prop(conn, j.path, "Properties"))
    t.eq(props.get("RestrictNetworkInterfaces"), (False, ["ifb0", "ifb1"]), "RestrictNetworkInterfaces")
    t.eq(props.get("IPAddressDeny"), [(V4, [10, 0, 0, 0], 8)], "IPAddressDeny")
    t.eq(props.get("IPAddressAllow"), [(V6, [0xfe, 0x80] + [0] * 14, 64)], "IPAddressAllow")
    t.eq(props.get("IPAccounting"), True, "IPAccounting")

with t.case("IPAccounting=: the job's egress bytes and packets grow by at least what it sent"):
    sent = 200000
    j = run_job(conn, py_job(PROBE) + ["tcp", "127.0.0.1", str(srv.tcp_port), str(sent)],
                [("IPAccounting", "b", True)])
    t.eq(j.stdout.strip(), "OK", "the job sent its bytes")
    out_bytes, out_packets = get_prop(conn, j.path, "IPEgressBytes"), get_prop(conn, j.path, "IPEgressPackets")
    in_bytes, in_packets = get_prop(conn, j.path, "IPIngressBytes"), get_prop(conn, j.path, "IPIngressPackets")
    t.diag("IPAccounting: sent %d; egress %d B in %d packets, ingress %d B in %d packets"
           % (sent, out_bytes, out_packets, in_bytes, in_packets))
    t.check(sent <= out_bytes < 10 * sent, "IPEgressBytes %d for %d bytes sent" % (out_bytes, sent))
    t.check(out_packets >= 4, "IPEgressPackets %d" % out_packets)
    t.check(0 < in_bytes < sent and in_packets >= 2, "IPIngress: %d bytes, %d packets (the ACKs)"
            % (in_bytes, in_packets))

with t.case("IPAccounting=: what IPAddressDeny= drops is not counted, as in systemd"):
    j = run_job(conn, py_job(PROBE) + ["udp", "127.0.0.1", str(srv.udp_port), "50000"],
                [("IPAccounting", "b", True), DENY_LOCALHOST])
    t.eq(j.stdout.strip(), "ERR EPERM", "the send was dropped")
    t.eq((get_prop(conn, j.path, "IPEgressBytes"), get_prop(conn, j.path, "IPEgressPackets")), (0, 0), "egress")

with t.case("IPAccounting=no: the counters are UINT64_MAX, as systemd shows them"):
    j = run_job(conn, ["true"])
    t.eq(get_prop(conn, j.path, "IPEgressBytes"), 2**64 - 1, "IPEgressBytes")

final_checks(t, conn, reaper)
t.done()

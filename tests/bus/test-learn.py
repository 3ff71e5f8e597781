#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Learn mode (Spawn flag 8, `confinectl learn`), the system calls, as uid 65534 against the real
daemon: confined is the listener of the job's SECCOMP_RET_USER_NOTIF filter.

- three real programs, each learned, its proposal verified (`--verify`: run again under it, the
  same exit status and, where two learning runs agreed on it, the same output), and its Analyze
  score before and after the proposal: a compressor on a file, a Python HTTP client fetching from a
  server on loopback, a program that writes a state directory below /var/lib;
- what else was learned: the files' modes, the endpoints and whether the network beyond loopback
  was used, the uses of arguments that a switch refuses (W+X, personality, realtime, namespaces,
  other processes), each keeping its switch out of the proposal while a program without them gets
  it, and stops the first program under it; capabilities held (none as uid 65534: the empty set;
  as root, narrowed by re-running without each);
- a program that makes a call outside its learned set is stopped under the proposal (killed by
  SIGSYS), and runs without that call: learning recorded what it did, not more;
- runs merge (--runs); a job with PrivatePIDs=yes, two forks below the process confined cloned, is
  learned too; bad input with flag 8 gets Spawn's errors;
- the learning overhead: a program's run time learned against plain.

Run under tests/with-bus, as root."""

import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import confinetest as ct  # noqa: E402

t = ct.Tap(timeout=300)
ct.install_child_cleanup(t)
conn = ct.connect()
PY = ct.PYTHON
work = tempfile.mkdtemp(prefix="confine-learn.")
os.chmod(work, 0o777)
t.add_cleanup(lambda: shutil.rmtree(work, ignore_errors=True))


def learn(props, argv, extra=(), as_nobody=True):
    """confinectl learn --json as uid 65534 (or root); returns (the JSON answer, the exit status)."""
    args = ["learn", "--json"] + list(extra)
    for p in props:
        args += ["-p", p]
    r = ct.confinectl(args + ["--"] + list(argv), as_nobody=as_nobody, timeout=240)
    lines = [line for line in r.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError("confinectl learn %s: status %d, no answer\n%s%s" % (argv, r.returncode, r.stdout, r.stderr))
    return json.loads(lines[-1]), r.returncode


def analyze(props):
    args = ["analyze", "--json"]
    for p in props:
        args += ["-p", p]
    r = ct.confinectl(args + ["--", "/bin/true"], as_nobody=True)
    return json.loads(r.stdout)


def exposure(props):
    return analyze(props)["exposure"]


def run_nobody(props, argv):
    args = ["run", "-q"]
    for p in props:
        args += ["-p", p]
    return ct.confinectl(args + ["--"] + list(argv), as_nobody=True, timeout=120)


def proposal_of(answer):
    return answer["options"]


VERIFIED = {"status": 0, "same": True, "output": "same"}
# Switches every program here is expected to get: none of them used what these refuse.
UNUSED = {"PrivateDevices": "yes", "CapabilityBoundingSet": "", "MemoryDenyWriteExecute": "yes",
          "LockPersonality": "yes", "RestrictRealtime": "yes", "RestrictSUIDSGID": "yes",
          "RestrictNamespaces": "yes", "PrivateIPC": "yes", "PrivatePIDs": "yes", "ProtectProc": "invisible",
          "ProtectKernelTunables": "yes", "ProtectKernelModules": "yes", "ProtectKernelLogs": "yes",
          "ProtectControlGroups": "yes", "ProtectClock": "yes", "ProtectHostname": "yes",
          "NoNewPrivileges": "yes", "SystemCallArchitectures": "native"}


def check_unused(answer):
    got = {k: answer["proposal"].get(k) for k in UNUSED}
    t.eq(got, UNUSED, "the switches of what it did not use (capabilities: none held as uid 65534)")
    t.eq((answer["uses"], answer["capabilities"]), ([], []), "no argument uses, no capabilities held")


def check_program(desc, props, argv, runs=1):
    with t.case("%s: learned (%d runs), verified under the proposal, and scored before and after" %
                (desc, max(runs, 2))):
        answer, rc = learn(props, argv, ["--verify", "--runs=%d" % runs])
        proposal = proposal_of(answer)
        t.diag("%s: %d calls, families %s → %s" % (desc, len(answer["system_calls"]), answer["address_families"],
                                                   " ".join(proposal)))
        t.eq(answer["runs"], [0] * max(runs, 2), "the learning runs succeeded (--verify makes two at least)")
        t.check(len(answer["system_calls"]) >= 10 and "execve" in answer["system_calls"], "calls were recorded",
                answer["system_calls"])
        t.eq(answer.get("verify"), VERIFIED, "verified: the same exit status and output under the proposal")
        t.eq(rc, 0, "confinectl learn --verify exit status")
        before, after = exposure(props), exposure(props + proposal)
        t.diag("%s: Analyze %s → %s" % (desc, before, after))
        t.check(after < before, "the proposal lowers the exposure: %s → %s" % (before, after))
        t.eq(analyze(props + proposal)["action"], "org.confine.Confine1.spawn",
             "nothing in the proposal needs more than Spawn's own action")
        return answer


# A compressor on a file: the output truncated and written again each run, so that every run does the same.
data = os.path.join(work, "data.txt")
with open(data, "w") as f:
    for i in range(20000):
        f.write("line %d of some text that compresses\n" % i)
os.chmod(data, 0o644)
answer = check_program("gzip on a file", ["PrivateNetwork=yes"], ["sh", "-c", "gzip -c %s > %s.gz" % (data, data)])
with t.case("gzip: no socket, and it wrote only in its directory below /tmp"):
    t.eq(answer["address_families"], [], "families")
    t.eq(answer["proposal"].get("RestrictAddressFamilies"), "none", "RestrictAddressFamilies")
    t.check("PrivateNetwork" not in answer["proposal"], "no PrivateNetwork= over the one given")
    t.check(data + ".gz" in answer["paths_written"], "the output file was recorded written", answer["paths_written"])
    t.eq(answer["proposal"].get("ProtectSystem"), "strict", "ProtectSystem")
    t.eq(answer["proposal"].get("ReadWritePaths"), "-" + work, "ReadWritePaths: its directory")
    t.check("PrivateTmp" not in answer["proposal"], "no PrivateTmp=: it works below /tmp")
    t.eq(answer["proposal"].get("ProtectHome"), "yes", "ProtectHome")
    t.check("r " + data in answer["files"], "its input recorded read", answer["files"])
    t.check(any(f.endswith(" " + data + ".gz") and "w" in f.split()[0] for f in answer["files"]),
            "its output recorded written", [f for f in answer["files"] if ".gz" in f])
    t.check(any(f.startswith("rx") and f.endswith("/gzip") for f in answer["files"]), "gzip recorded executed")
    t.eq((answer["endpoints"], answer["network"]), ([], "none"), "no endpoint")
    check_unused(answer)


# A Python HTTP client fetching from a server on loopback (the host's network: no PrivateNetwork).
class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: Quiet(*a, directory=work))
threading.Thread(target=server.serve_forever, daemon=True).start()
t.add_cleanup(server.shutdown)
url = "http://127.0.0.1:%d/data.txt" % server.server_address[1]
client = ("import urllib.request\n"
          "body = urllib.request.urlopen(%r, timeout=10).read()\n"
          "assert len(body) > 100000, len(body)\n" % url)
answer = check_program("a Python HTTP client on loopback", [], [PY, "-c", client])
with t.case("the HTTP client asked for AF_INET: allowed, no PrivateNetwork=; it wrote nothing"):
    t.check("AF_INET" in answer["address_families"], "AF_INET learned", answer["address_families"])
    t.contains(answer["proposal"].get("RestrictAddressFamilies", ""), "AF_INET", "RestrictAddressFamilies")
    t.check("PrivateNetwork" not in answer["proposal"], "the host's loopback stays reachable")
    t.eq(answer["proposal"].get("ProtectSystem"), "strict", "ProtectSystem")
    t.check("ReadWritePaths" not in answer["proposal"], "no ReadWritePaths=", answer["proposal"])
    t.eq((answer["proposal"].get("PrivateTmp"), answer["proposal"].get("ProtectHome")), ("yes", "yes"),
         "PrivateTmp and ProtectHome")
    t.check("connect AF_INET %s" % url.split("/")[2] in answer["endpoints"], "its connect() recorded",
            answer["endpoints"])
    t.eq(answer["network"], "loopback", "network: loopback only")
    check_unused(answer)

# A program that writes a state directory below /var/lib. Its first run creates it, later ones read
# what is there (cat of an existing file makes calls that a failed open does not): two runs, merged,
# cover both.
var_lib = tempfile.mkdtemp(prefix="confine-learn.", dir="/var/lib")
os.chown(var_lib, 65534, 65534)
t.add_cleanup(lambda: shutil.rmtree(var_lib, ignore_errors=True))
state = os.path.join(var_lib, "state")
writer = ("mkdir -p {s}/db && i=$(cat {s}/counter 2>/dev/null || echo 0) && echo $((i + 1)) > {s}/counter.new && "
          "mv {s}/counter.new {s}/counter && touch {s}/db/stamp").format(s=state)
answer = check_program("a program that writes a state directory", [], ["sh", "-c", writer], runs=2)
with t.case("the state writer: no socket, so PrivateNetwork=yes; its state directory's parent writable"):
    t.eq(answer["proposal"].get("RestrictAddressFamilies"), "none", "RestrictAddressFamilies")
    t.eq(answer["proposal"].get("PrivateNetwork"), "yes", "PrivateNetwork")
    t.eq(answer["proposal"].get("ProtectSystem"), "strict", "ProtectSystem")
    t.eq(answer["proposal"].get("ReadWritePaths"), "-" + var_lib, "ReadWritePaths: where it made state/")
    t.check(state + "/counter" in answer["paths_written"], "the counter recorded written", answer["paths_written"])
    t.check(any(f.split()[0].startswith("") and "c" in f.split()[0] and f.endswith(" " + state + "/db")
                for f in answer["files"]), "state/db recorded created", [f for f in answer["files"] if state in f])
    check_unused(answer)

# A call outside the learned set is stopped under the proposal.
extra_call = ("import os, sys\n"
              "if len(sys.argv) > 1:\n"
              "    os.getpriority(os.PRIO_PROCESS, 0)\n"
              "print('done')\n")
with t.case("a call outside the learned set is stopped under the proposal (SIGSYS), and only that"):
    answer, rc = learn(["PrivateNetwork=yes"], [PY, "-c", extra_call])
    t.check("getpriority" not in answer["system_calls"], "learned without getpriority()")
    proposal = proposal_of(answer)
    same = run_nobody(["PrivateNetwork=yes"] + proposal, [PY, "-c", extra_call])
    t.eq((same.returncode, same.stdout), (0, "done\n"), "the learned path runs under the proposal")
    other = run_nobody(["PrivateNetwork=yes"] + proposal, [PY, "-c", extra_call, "more"])
    t.eq(other.returncode, 128 + 31, "with getpriority() it is killed by SIGSYS (%s)" % other.stderr.strip())
    control = run_nobody(["PrivateNetwork=yes"], [PY, "-c", extra_call, "more"])
    t.eq(control.returncode, 0, "control: without the proposal, getpriority() is allowed")

with t.case("--runs merges the runs: a call one run made is in the proposal"):
    prog = ("import os, sys\n"
            "if os.path.exists(%r):\n"
            "    os.getpriority(os.PRIO_PROCESS, 0)\n"
            "else:\n"
            "    open(%r, 'w').close()\n") % (os.path.join(work, "flag"), os.path.join(work, "flag"))
    answer, _ = learn(["ReadWritePaths=" + work], [PY, "-c", prog], ["--runs=2"])
    t.eq(answer["runs"], [0, 0], "two runs")
    t.check("getpriority" in answer["system_calls"], "the second run's getpriority() is in the merged set")

with t.case("PrivatePIDs=yes: the job, two forks below the process confined cloned, is learned too"):
    props = ["PrivatePIDs=yes", "ProtectProc=invisible", "PrivateNetwork=yes"]
    answer, rc = learn(props, [PY, "-c", extra_call], ["--verify"])
    t.eq((answer["runs"], answer.get("verify")), ([0, 0], VERIFIED), "learned and verified")
    t.check("getpriority" not in answer["system_calls"] and "execve" in answer["system_calls"], "the calls")
    other = run_nobody(props + proposal_of(answer), [PY, "-c", extra_call, "more"])
    t.eq(other.returncode, 128 + 31, "getpriority() is killed by SIGSYS there too")


# What a switch refuses, used by a program: learned, kept out of the proposal, and the program stopped
# under the proposal of one that did not use it.
uses_prog = ("import ctypes, mmap, os\n"
             "libc = ctypes.CDLL(None, use_errno=True)\n"
             "m = mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)\n"
             "old = libc.personality(0xffffffff)\n"
             "libc.personality(old | 0x0040000)\n"  # ADDR_NO_RANDOMIZE
             "try:\n"
             "    os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(1))\n"
             "except OSError:\n"
             "    pass\n"
             "libc.unshare(0x10000000)\n"  # CLONE_NEWUSER, whether or not it is allowed here
             "try:\n"
             "    os.kill(1, 0)\n"
             "except OSError:\n"
             "    pass\n"
             "print('done')\n")
with t.case("uses of arguments (W+X, personality, realtime, a namespace, another process) keep their switches out"):
    answer, rc = learn(["PrivateNetwork=yes"], [PY, "-c", uses_prog], ["--verify"])
    t.diag("uses: %s → %s" % (answer["uses"], " ".join(answer["options"][1:])))
    t.eq(answer["uses"], ["namespace:user", "other-processes", "personality", "realtime", "write-execute"],
         "LearnedUses")
    for name in ("MemoryDenyWriteExecute", "LockPersonality", "RestrictRealtime", "PrivatePIDs", "ProtectProc"):
        t.check(name not in answer["proposal"], "%s= not proposed" % name)
    t.eq(answer["proposal"].get("RestrictNamespaces"), "user", "RestrictNamespaces: the one it made")
    t.eq((answer.get("verify"), rc), (VERIFIED, 0), "verified under its proposal")
    plain, _ = learn(["PrivateNetwork=yes"], [PY, "-c", "print('done')"])
    for name in ("MemoryDenyWriteExecute", "LockPersonality", "RestrictRealtime"):
        t.eq(plain["proposal"].get(name), "yes", "a program without the use gets %s=yes" % name)
    stopped = run_nobody(["PrivateNetwork=yes"] + proposal_of(plain), [PY, "-c", uses_prog])
    t.check(stopped.returncode != 0 and "done" not in stopped.stdout,
            "the first program under the second's proposal is stopped (%d: %s)" % (
                stopped.returncode, stopped.stderr.strip().splitlines()[-1:]))

with t.case("a program that talks only to itself on loopback gets PrivateNetwork=yes; it still runs"):
    port = 20000 + os.getpid() % 20000
    echo = ("import socket\n"
            "s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
            "s.bind(('127.0.0.1', %d)); s.listen()\n"
            "c = socket.create_connection(('127.0.0.1', %d)); a, _ = s.accept()\n"
            "c.sendall(b'ping'); print(a.recv(4).decode())\n" % (port, port))
    answer, rc = learn([], [PY, "-c", echo], ["--verify"])
    t.check("bind AF_INET 127.0.0.1:%d" % port in answer["endpoints"] and
            "connect AF_INET 127.0.0.1:%d" % port in answer["endpoints"], "bind and connect recorded",
            answer["endpoints"])
    t.eq((answer["network"], answer["proposal"].get("PrivateNetwork")), ("loopback", "yes"),
         "network loopback, its own: PrivateNetwork=yes")
    t.eq((answer.get("verify"), rc), (VERIFIED, 0), "verified: it prints the same under a private network")

with t.case("--verify compares the output: a program whose output differs under the proposal fails it"):
    # It prints whether it sees many processes: it named none of them, so PrivatePIDs=yes hides them.
    answer, rc = learn([], ["sh", "-c", "test $(ls /proc | grep -c '^[0-9]') -gt 10 && echo many || echo few"],
                       ["--verify"])
    t.eq(answer["proposal"].get("PrivatePIDs"), "yes", "PrivatePIDs=yes proposed (it named no other process)")
    t.eq((answer["deterministic"], answer["verify"]["status"], answer["verify"]["output"], rc),
         (True, 0, "different", 1), "same exit status, different output: exit 1")

with t.case("root's job holds capabilities: narrowed by re-running without each, to CAP_CHOWN"):
    target = os.path.join(work, "owned")
    chown = "rm -f {0} && touch {0} && chown 65534 {0}".format(target)
    answer, rc = learn(["ReadWritePaths=" + work, "PrivateNetwork=yes"], ["sh", "-c", chown], ["--verify"],
                       as_nobody=False)
    t.diag("held: %d capabilities → %s" % (len(answer["capabilities"]),
                                           answer["proposal"].get("CapabilityBoundingSet")))
    t.check("CAP_CHOWN" in answer["capabilities"] and len(answer["capabilities"]) > 1, "it held CAP_CHOWN and more")
    t.eq(answer["proposal"].get("CapabilityBoundingSet"), "CAP_CHOWN", "CapabilityBoundingSet: what chown needs")
    t.eq((answer.get("verify"), rc), (VERIFIED, 0), "verified")

DEVICE_CASE = "a device node PrivateDevices= lacks: DevicePolicy=closed with its DeviceAllow=, verified (root)"
if not os.path.exists("/dev/loop-control"):
    t.ok(True, DEVICE_CASE + " # SKIP no /dev/loop-control on this host")
else:
    with t.case(DEVICE_CASE):
        opener = ["sh", "-c", "exec 3</dev/loop-control && echo opened"]
        answer, rc = learn(["PrivateNetwork=yes"], opener, ["--verify"], as_nobody=False)
        t.check("rv /dev/loop-control" in answer["files"], "recorded read, a device node",
                [f for f in answer["files"] if "/dev/" in f])
        t.check("PrivateDevices" not in answer["proposal"], "no PrivateDevices=")
        t.eq([o for o in answer["options"] if o.startswith("Device")],
             ["DevicePolicy=closed", "DeviceAllow=/dev/loop-control r"], "DevicePolicy= and DeviceAllow=")
        t.eq(answer["proposal"].get("CapabilityBoundingSet"), "", "root opens its own 0600 node without a capability")
        t.eq((answer.get("verify"), rc), (VERIFIED, 0), "verified")
        plain, _ = learn(["PrivateNetwork=yes"], ["sh", "-c", "echo opened"], as_nobody=False)
        t.eq(plain["proposal"].get("PrivateDevices"), "yes", "a program without it gets PrivateDevices=yes")
        props = sum((["-p", o] for o in ["PrivateNetwork=yes"] + proposal_of(plain)), [])
        r = ct.confinectl(["run", "-q"] + props + ["--"] + opener, timeout=120)
        t.check(r.returncode != 0 and "opened" not in r.stdout,
                "under that proposal the opener is stopped (%d: %s)" % (r.returncode, r.stderr.strip()[-80:]))

with t.case("bad input with flag 8 is Spawn's"):
    r = ct.run_client([{"op": "spawn", "argv": ["/bin/true"], "props": [["PrivateNetworks", "b", True]], "flags": 8}],
                      as_nobody=True)[0]
    t.eq(r.get("error"), ct.E_UNKNOWN_PROPERTY, "an unknown property: UnknownProperty")
    r = ct.confinectl(["learn", "-p", "PrivateNetworks=yes", "--", "/bin/true"], as_nobody=True)
    t.eq(r.returncode, 2, "confinectl learn -p with an unknown name: a usage error, as for run")
    for props in ([["RestrictNamespaces", "t", 1 << 40]], [["PrivateUsers", "s", "yes"]],
                  [["ReadWritePaths", "as", ["relative/path"]]]):
        learned, plain = ct.run_client([{"op": "spawn", "argv": ["/bin/true"], "props": props, "flags": f}
                                        for f in (8, 0)], as_nobody=True)
        t.eq((learned.get("error"), learned.get("message")), (plain.get("error"), plain.get("message")),
             "%s with flag 8: Spawn's error (%s)" % (props[0][0], plain.get("error")))
        t.check(plain.get("error") and props[0][0] in (plain.get("message") or ""), "named, with the property",
                plain)

with t.case("learning overhead: run time learned against plain (diagnostic)"):
    big = os.path.join(work, "big.txt")
    with open(big, "w") as f:
        f.write(open(data).read() * 6)
    os.chmod(big, 0o644)
    props = ["PrivateNetwork=yes", "ReadWritePaths=" + work]

    def timed(fn):
        t0 = time.perf_counter()
        fn()
        return time.perf_counter() - t0
    for what, cmd in (("gzip of a 5 MB file", ["sh", "-c", "gzip -c %s > %s.gz" % (big, big)]),
                      ("20,000 stat() calls", [PY, "-c", "import os\nfor i in range(20000): os.stat('/')"])):
        plain = [timed(lambda: run_nobody(props, cmd)) for _ in range(5)]
        learned = [timed(lambda: learn(props, cmd)) for _ in range(5)]
        t.diag("%s: plain %.0f ms, learned %.0f ms (medians of 5, confinectl included)" % (
            what, statistics.median(plain) * 1000, statistics.median(learned) * 1000))
        t.check(min(learned) > 0 and min(plain) > 0, "measured")

ct.final_checks(t, conn)
t.done()

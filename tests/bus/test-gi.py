#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Bus test: libconfine from Python through GObject introspection. The contract first (the
# GIR and typelib exist, load with gi.require_version("Confine", "1.0"), expose the public
# API and nothing of the private generated proxies), then the API as a Python program
# uses it: spawn and wait, sync and async, output signals, stdin, kill, errors as GLib.Error
# of the Confine error domain, lookups and properties.
#
# Run: tests/with-bus -- tests/bus/test-gi.py

import errno
import os
import re
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import confinetest  # noqa: E402

confinetest.reexec_with_gi()

from confinetest import LIBCONFINE_DIR, GLib, Tap  # noqa: E402

t = Tap(timeout=120)
GIR = os.path.join(LIBCONFINE_DIR, "Confine-1.0.gir")
TYPELIB = os.path.join(LIBCONFINE_DIR, "Confine-1.0.typelib")

# ---------------------------------------------------------------------------------------
# The contract

with t.case("Confine-1.0.gir and Confine-1.0.typelib are built"):
    t.check(os.path.getsize(GIR) > 0, GIR)
    t.check(os.path.getsize(TYPELIB) > 0, TYPELIB)

with t.case("the GIR names the library and the header, and none of the generated proxies"):
    gir = open(GIR).read()
    t.check(re.search(r'<namespace name="Confine"\s+version="1.0"', gir), "namespace Confine 1.0")
    # (A sanitizer build lists the sanitizer runtimes first.)
    t.check(re.search(r'shared-library="([^"]*,)?libconfine\.so\.0"', gir), "shared-library libconfine.so.0")
    t.check('<c:include name="confine/confine.h"/>' in gir, "c:include confine/confine.h")
    t.check('<package name="confine-1"/>' in gir, "package confine-1")
    t.check("ConfineDBus" not in gir and "confine_dbus" not in gir, "no generated proxy in the GIR")
    t.check('glib:error-domain="confine-error-quark"' in gir, "the error domain")

with t.case('gi.require_version("Confine", "1.0") loads the typelib and the library'):
    import gi
    gi.require_version("Confine", "1.0")
    from gi.repository import Confine  # noqa: E402
    for name in ("Client", "Job", "PropertyBuilder", "SpawnFlags", "Stream", "Error"):
        t.check(hasattr(Confine, name), "Confine.%s" % name)
    t.eq(int(Confine.SpawnFlags.PIPE), 2, "SpawnFlags.PIPE")
    t.eq(int(Confine.Stream.STDERR), 2, "Stream.STDERR")
    t.check(not hasattr(Confine, "DBusManager") and not hasattr(Confine, "DBusJob"), "no private types")

with t.case("every _async has its _finish, a callback of scope async and its closure"):
    import xml.etree.ElementTree as ET
    ns = {"g": "http://www.gtk.org/introspection/core/1.0"}
    root = ET.parse(GIR).getroot()
    n = 0
    for cls in root.iterfind("g:namespace/g:class", ns):
        methods = {m.get("name"): m for m in cls.iterfind("g:method", ns)}
        for kind in ("g:function", "g:constructor"):
            methods.update({m.get("name"): m for m in cls.iterfind(kind, ns)})
        for name, m in methods.items():
            if not name.endswith("_async"):
                continue
            n += 1
            base = name[:-len("_async")]
            t.check(base + "_finish" in methods, "%s.%s_finish" % (cls.get("name"), base))
            params = [p for p in m.iterfind("g:parameters/g:parameter", ns)]
            names = [p.get("name") for p in params]
            cb = params[names.index("callback")]
            t.eq((cb.get("scope"), cb.get("closure")), ("async", str(names.index("user_data"))),
                 "%s.%s callback" % (cls.get("name"), name))
    t.check(n >= 10, "async functions found: %d" % n)

# ---------------------------------------------------------------------------------------
# The API from Python

client = Confine.Client.new(None)

with t.case("PropertyBuilder: Name=Value through the shared parser; errors are Confine.Error"):
    b = Confine.PropertyBuilder.new()
    b.add_text("PrivateNetwork=yes")
    b.add_text("LimitNOFILE=64:128")
    t.eq(b.end().unpack(), [("PrivateNetwork", True), ("LimitNOFILE", 128), ("LimitNOFILESoft", 64)], "a(sv)")
    try:
        b.add_text("NoSuchProperty=1")
        t.check(False, "an unknown property is refused")
    except GLib.Error as e:
        t.check(e.matches(Confine.error_quark(), Confine.Error.UNKNOWN_PROPERTY), "UNKNOWN_PROPERTY", e)
        t.eq(e.message, "NoSuchProperty=1: unknown property", "message")
    t.eq(b.get_n_properties(), 3, "nothing added by the refused one")
    t.check("CPUQuota" in Confine.PropertyBuilder.get_known_names(), "known names")

with t.case("spawn (sync) with PIPE: output signals carry GLib.Bytes; wait returns result and status"):
    job = client.spawn(["sh", "-c", "printf out; printf err >&2; exit 6"], None, None,
                       Confine.SpawnFlags.PIPE | Confine.SpawnFlags.KILL_ON_DISCONNECT, None)
    got = {Confine.Stream.STDOUT: b"", Confine.Stream.STDERR: b""}
    eofs = []

    def on_output(job, stream, data):
        if data.get_size() == 0:
            eofs.append(stream)
        got[stream] += data.get_data()
    job.connect("output", on_output)
    ok, result, status = job.wait(None)
    t.eq((ok, result, status), (True, "exit-code", 6), "wait")
    t.eq(got, {Confine.Stream.STDOUT: b"out", Confine.Stream.STDERR: b"err"}, "output")
    t.eq(sorted(eofs), [Confine.Stream.STDOUT, Confine.Stream.STDERR], "one EOF per stream")
    t.eq(job.get_exit_code(), 6, "exit code")
    t.eq(job.props.state, "exited", "state property")

with t.case("spawn_async, wait_async, kill_async in a GLib.MainLoop; notify::state; exited"):
    loop = GLib.MainLoop()
    seen = {"states": [], "exited": None}

    def on_waited(job, res):
        seen["wait"] = job.wait_finish(res)
        loop.quit()

    def on_killed(job, res):
        seen["killed"] = job.kill_finish(res)

    def on_spawned(client, res):
        job = client.spawn_finish(res)
        seen["job"] = job
        job.connect("notify::state", lambda j, p: seen["states"].append(j.props.state))
        job.connect("exited", lambda j, r, s: seen.__setitem__("exited", (r, s)))
        job.kill_async(signal.SIGTERM, None, on_killed)
        job.wait_async(None, on_waited)

    client.spawn_async(["sleep", "1000"], None, None, Confine.SpawnFlags.KILL_ON_DISCONNECT, None, on_spawned)
    GLib.timeout_add_seconds(20, loop.quit)
    loop.run()
    t.eq(seen.get("wait"), (True, "killed", signal.SIGTERM), "wait_finish")
    t.eq(seen.get("killed"), True, "kill_finish")
    t.eq(seen["exited"], ("killed", signal.SIGTERM), "exited signal")
    t.eq(seen["states"][-1:], ["exited"], "last state notified")
    t.eq(seen["job"].get_exit_code(), 128 + signal.SIGTERM, "exit code")

with t.case("write_input with GLib.Bytes, close_input: the job reads them, then EOF"):
    job = client.spawn(["sh", "-c", "cat; echo EOF"], None, None, Confine.SpawnFlags.PIPE, None)
    out = bytearray()
    job.connect("output", lambda j, s, d: out.extend(d.get_data()) if s == Confine.Stream.STDOUT else None)
    payload = bytes(range(256)) * 64
    t.check(job.write_input(GLib.Bytes.new(payload), None), "write_input")
    t.check(job.close_input(None), "close_input")
    job.wait(None)
    t.eq(bytes(out), payload + b"EOF\n", "stdout")

with t.case("fds from Python: the builder's fd list carries a pipe to the job's stdout"):
    r, w = os.pipe()
    b = Confine.PropertyBuilder.new()
    b.add_fd("StandardOutputFileDescriptor", w)
    os.close(w)
    job = client.spawn(["echo", "by-fd"], b.end(), b.get_fd_list(), 0, None)
    del b
    job.wait(None)
    t.eq(os.read(r, 100), b"by-fd\n", "read from the pipe")
    os.close(r)

with t.case("errors from the daemon are GLib.Error in the Confine domain, without GDBus's prefix"):
    try:
        client.spawn(["/nonexistent/confine-gi"], None, None, 0, None)
        t.check(False, "spawn of a missing program fails")
    except GLib.Error as e:
        t.check(e.matches(Confine.error_quark(), Confine.Error.SPAWN_FAILED), "SPAWN_FAILED", e)
        t.check(e.message.startswith("execve /nonexistent/confine-gi"), "message", e.message)
        t.eq(Confine.error_dup_name(e), "org.confine.Confine1.Error.SpawnFailed", "name")
        t.eq(Confine.error_describe(e), "the sandbox could not be set up", "description")
        f = Confine.spawn_failure_from_error(e)
        t.eq((f.step, f.error_name, f.error_number, f.property), ("execve", "ENOENT", errno.ENOENT, None),
             "ConfineSpawnFailure fields")
    try:
        client.get_job(987654321, None)
        t.check(False, "get_job of an unknown id fails")
    except GLib.Error as e:
        t.check(e.matches(Confine.error_quark(), Confine.Error.NO_SUCH_JOB), "NO_SUCH_JOB", e)

with t.case("get_job, list_jobs and refresh give the job's properties"):
    b = Confine.PropertyBuilder.new()
    b.add_boolean("PrivateTmp", True)
    job = client.spawn(["sleep", "1000"], b.end(), None, 0, None)
    same = client.get_job(job.get_id(), None)
    t.check(same is job, "one object per job")
    listed = [j for j in client.list_jobs(None) if j.get_id() == job.get_id()]
    t.eq([(j.get_program(), j.get_state()) for j in listed], [("sleep", "running")], "list_jobs")
    job.refresh(None)
    t.eq(job.get_argv(), ["sleep", "1000"], "argv")
    t.eq(job.props.owner, os.getuid(), "owner")
    t.check(job.props.main_pid > 0 and job.props.start_timestamp > 0, "pid and start")
    props = dict(job.get_sandbox_properties().unpack())
    t.eq(props.get("PrivateTmp"), True, "PrivateTmp in the effective spec")
    job.kill(signal.SIGKILL, None)
    job.wait(None)
    job.refresh(None)
    t.check(job.props.cpu_usage_nsec > 0 and job.props.memory_peak > 0, "CPU and memory",
            (job.props.cpu_usage_nsec, job.props.memory_peak))

with t.case("analyze and analyze_async: the Analysis's getters; bad input is Spawn's Confine.Error"):
    b = Confine.PropertyBuilder.new()
    b.add_text("PrivateNetwork=yes")
    a = client.analyze(["/bin/true"], b.end(), None, 0, None)
    t.eq(a.get_action(), "", "root: no action")
    t.check("root" in a.get_action_reason(), "reason", a.get_action_reason())
    t.eq(dict(a.get_effective_properties().unpack()).get("PrivateNetwork"), True, "effective spec")
    t.eq(a.get_action_details().unpack().get("program"), "/bin/true", "details")
    checks = {c[0]: c[1:] for c in a.get_checks().unpack()}
    t.eq(checks["PrivateNetwork="][1], 0, "PrivateNetwork= badness")
    t.eq(checks["SupplementaryGroups="][1], Confine.ANALYSIS_NOT_APPLICABLE, "not applicable for root")
    t.check(0 < a.get_exposure() <= 100 and a.get_exposure_level() in ("MEDIUM", "EXPOSED", "UNSAFE"),
            "exposure", (a.get_exposure(), a.get_exposure_level()))
    t.check("signal-other-processes" in [f[0] for f in a.get_findings().unpack()], "findings")
    loop = GLib.MainLoop()
    got = []

    def on_analyzed(c, res):
        got.append(c.analyze_finish(res))
        loop.quit()

    client.analyze_async(["/bin/true"], None, None, 0, None, on_analyzed)
    GLib.timeout_add_seconds(20, loop.quit)
    loop.run()
    t.check(got and got[0].get_exposure() > a.get_exposure(), "async, and without PrivateNetwork it is worse")
    b = Confine.PropertyBuilder.new()
    b.add_string("ProtectSystem", "sideways")
    try:
        client.analyze(["/bin/true"], b.end(), None, 0, None)
        t.check(False, "a bad value fails")
    except GLib.Error as e:
        t.check(e.matches(Confine.error_quark(), Confine.Error.INVALID_PROPERTY), "INVALID_PROPERTY", e)
        t.check("ProtectSystem" in e.message, "names the property", e.message)

with t.case("SpawnFlags.LEARN: the job's system calls, through get_learned_system_calls()"):
    job = client.spawn(["/bin/true"], None, None, Confine.SpawnFlags.LEARN, None)
    job.wait(None)
    job.refresh(None)
    calls = job.get_learned_system_calls()
    t.check("execve" in calls and "exit_group" in calls, "execve and exit_group recorded", calls)
    plain = client.spawn(["/bin/true"], None, None, 0, None)
    plain.wait(None)
    plain.refresh(None)
    t.eq(list(plain.get_learned_system_calls() or []), [], "without the flag: none")

t.done()

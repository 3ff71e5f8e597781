#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Helpers for the tests of spawn flag 2 (Output, WriteInput, CloseInput) and Subscribe.

  JobEvents        everything the daemon sends to a connection (signals, method returns and
                   errors) in arrival order; Output data kept per (job path, stream), as
                   bytes or only as a running sha256 and size (keep=False, for big streams).
  write_input(), close_input(), subscribe(), unsubscribe()
                   the D-Bus calls, raising confinetest.BusError.
  start_client()   runs `jobstream.py client JSON-REQUESTS` (below) in a separate process,
                   as root or as another uid; one JSON line per request on its stdout.

The client program knows confinetest's requests plus:
  {"op": "pipe_spawn", "argv": [...], "props": [...], "flags": 2}  → {"path", "id"}
  {"op": "pipe_collect", "path": P, "timeout": S}  → waits for Exited; see JobEvents.summary
  {"op": "write_input", "path": P, "hex": H} / {"op": "close_input", "path": P}
  {"op": "subscribe"} / {"op": "unsubscribe"}
  (a request without "path" uses the job of the last pipe_spawn)
  {"op": "record"}  starts recording every signal from the daemon (no match rule: only
                    what is addressed to this connection)
  {"op": "signals"} → {"signals": [...]}: what was recorded, Output data as hex
"""

import hashlib
import json
import os
import subprocess
import sys
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import confinetest  # noqa: E402
from confinetest import (  # noqa: E402
    JOB_IFACE, JOB_TIMEOUT, MANAGER_IFACE, MANAGER_PATH, PYTHON, BusError, call, connect, daemon_unique_name,
    poll_until, setpriv_argv, spawn,
)
from gi.repository import Gio, GLib  # noqa: E402

FLAG_PIPE = 2
E_FAILED = "org.freedesktop.DBus.Error.Failed"
E_LIMITS_EXCEEDED = "org.freedesktop.DBus.Error.LimitsExceeded"

HERE = os.path.dirname(os.path.abspath(__file__))


def bytes_variant(data):
    """An "ay" GVariant made in one piece (GLib.Variant("ay", ...) makes one child per byte:
    seconds for a few MiB)."""
    return GLib.Variant.new_from_bytes(GLib.VariantType("ay"), GLib.Bytes.new(bytes(data)), True)


def write_input(conn, path, data, timeout=JOB_TIMEOUT):
    params = GLib.Variant.new_tuple(bytes_variant(data))
    return call(conn, path, JOB_IFACE, "WriteInput", params, None, timeout=timeout)


def close_input(conn, path, timeout=JOB_TIMEOUT):
    return call(conn, path, JOB_IFACE, "CloseInput", None, None, timeout=timeout)


def subscribe(conn, timeout=30):
    return call(conn, MANAGER_PATH, MANAGER_IFACE, "Subscribe", None, None, timeout=timeout)


def unsubscribe(conn):
    return call(conn, MANAGER_PATH, MANAGER_IFACE, "Unsubscribe", None, None)


class AsyncWrite:
    """A WriteInput (or CloseInput, data=None) whose reply is awaited in a thread."""

    def __init__(self, conn, path, data):
        self.done = threading.Event()
        self.error = None
        self.t_reply = None
        self.t0 = time.monotonic()
        threading.Thread(target=self._run, args=(conn, path, data), daemon=True).start()

    def _run(self, conn, path, data):
        try:
            if data is None:
                close_input(conn, path, timeout=60)
            else:
                write_input(conn, path, data, timeout=60)
        except BusError as e:
            self.error = e
        except GLib.Error as e:  # a timeout
            self.error = e
        self.t_reply = time.monotonic()
        self.done.set()

    def wait(self, timeout):
        if not self.done.wait(timeout):
            raise TimeoutError("no reply after %.0f s" % timeout)
        if self.error:
            raise self.error
        return self.t_reply - self.t0


class JobEvents:
    """Records what the daemon sends to conn, in arrival order (a connection filter, so no
    main loop is needed). events: dicts with "kind" (signal/return/error), "member", "path",
    "destination", and for Output "stream" and "size"."""

    def __init__(self, conn, keep=True):
        self.conn = conn
        self.keep = keep
        self.daemon = daemon_unique_name(conn)
        self.events = []
        self.data = {}        # (path, stream) → bytearray (keep=True)
        self.hashes = {}      # (path, stream) → sha256 object
        self.sizes = {}       # (path, stream) → int
        self.lock = threading.Lock()
        self.filter_id = conn.add_filter(self._filter, None)

    def _filter(self, conn, msg, incoming, _data):
        if not incoming or msg.get_sender() != self.daemon:
            return msg
        t = msg.get_message_type()
        kind = {Gio.DBusMessageType.SIGNAL: "signal", Gio.DBusMessageType.METHOD_RETURN: "return",
                Gio.DBusMessageType.ERROR: "error"}.get(t)
        if kind is None:
            return msg
        ev = {"kind": kind, "member": msg.get_member(), "path": msg.get_path(),
              "destination": msg.get_destination(), "reply_serial": msg.get_reply_serial()}
        if kind == "signal" and msg.get_member() == "Output" and msg.get_interface() == JOB_IFACE:
            body = msg.get_body()
            stream = body.get_child_value(0).get_string()
            chunk = body.get_child_value(1).get_data_as_bytes().get_data()
            ev["stream"], ev["size"] = stream, len(chunk)
            key = (ev["path"], stream)
            with self.lock:
                self.hashes.setdefault(key, hashlib.sha256()).update(chunk)
                self.sizes[key] = self.sizes.get(key, 0) + len(chunk)
                if self.keep:
                    self.data.setdefault(key, bytearray()).extend(chunk)
        elif kind == "signal":
            body = msg.get_body()
            ev["args"] = body.unpack() if body is not None else ()
        with self.lock:
            self.events.append(ev)
        return msg

    def snapshot(self, path=None):
        with self.lock:
            return [e for e in self.events if path is None or e["path"] == path
                    or (e["path"] == MANAGER_PATH and e.get("args") and e["args"][1] == path)]

    def output(self, path, stream):
        with self.lock:
            return bytes(self.data.get((path, stream), b""))

    def sha256(self, path, stream):
        with self.lock:
            h = self.hashes.get((path, stream))
            return (h.copy() if h else hashlib.sha256()).hexdigest()

    def size(self, path, stream):
        with self.lock:
            return self.sizes.get((path, stream), 0)

    def eofs(self, path, stream):
        return [i for i, e in enumerate(self.snapshot(path))
                if e["member"] == "Output" and e["stream"] == stream and e["size"] == 0]

    def exited(self, path):
        return [e for e in self.snapshot(path) if e["member"] == "Exited"]

    def wait_exited(self, path, timeout=JOB_TIMEOUT):
        if not poll_until(lambda: self.exited(path), timeout):
            raise TimeoutError("no Exited for %s after %.0f s" % (path, timeout))
        time.sleep(0.1)     # what follows Exited (PropertiesChanged, JobRemoved) arrives

    def order_problems(self, path):
        """What is wrong with the sequence of the job's signals: every Output before Exited,
        one EOF per stream and no data after it, Exited then PropertiesChanged then
        JobRemoved."""
        evs = [e for e in self.snapshot(path) if e["kind"] == "signal"]
        members = [e["member"] for e in evs]
        problems = []
        if "Exited" not in members:
            return ["no Exited"]
        ex = members.index("Exited")
        late = [i for i, m in enumerate(members) if m == "Output" and i > ex]
        if late:
            problems.append("Output after Exited at %s" % late)
        for stream in ("stdout", "stderr"):
            outs = [e for e in evs if e["member"] == "Output" and e["stream"] == stream]
            eof = [i for i, e in enumerate(outs) if e["size"] == 0]
            if len(eof) != 1 or eof[0] != len(outs) - 1:
                problems.append("%s: EOF markers at %s of %d Output signals" % (stream, eof, len(outs)))
        tail = [m for m in members[ex:] if m != "Output"]
        if tail != ["Exited", "PropertiesChanged", "JobRemoved"]:
            problems.append("after Exited: %s" % tail)
        return problems

    def summary(self, path):
        ex = self.exited(path)
        out = {"order_problems": self.order_problems(path),
               "result": list(ex[0]["args"]) if ex else None}
        for stream in ("stdout", "stderr"):
            out[stream + "_sha256"] = self.sha256(path, stream)
            out[stream + "_size"] = self.size(path, stream)
            if self.keep:
                out[stream + "_hex"] = self.output(path, stream)[:65536].hex()
        return out

    def close(self):
        self.conn.remove_filter(self.filter_id)


def start_client(requests, uid=None):
    """Run `jobstream.py client` on requests (as uid, if given); returns the Popen. Read its
    answers with confinetest.read_json_line; closing its stdin ends a "pause"."""
    argv = [PYTHON, os.path.join(HERE, "jobstream.py"), "client", json.dumps(requests)]
    if uid is not None:
        argv = setpriv_argv(uid) + argv
    env = dict(os.environ, PYTHONPATH=HERE, PYTHONDONTWRITEBYTECODE="1")
    p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                         cwd="/")
    confinetest._children.append(p)
    return p


# ---------------------------------------------------------------------------------------
# The client program

_state = {}


def _request(conn, req):
    op = req["op"]
    if "path" not in req and "last_path" in _state:
        req = dict(req, path=_state["last_path"])
    if op == "pipe_spawn":
        if "events" not in _state:
            _state["events"] = JobEvents(conn, keep=req.get("keep", True))
        props = [tuple(p) for p in req.get("props", [])]
        path, job_id = spawn(conn, req["argv"], props, req.get("flags", FLAG_PIPE))
        _state["last_path"] = path
        return {"path": path, "id": job_id}
    if op == "pipe_collect":
        ev = _state["events"]
        ev.wait_exited(req["path"], req.get("timeout", JOB_TIMEOUT))
        return ev.summary(req["path"])
    if op == "write_input":
        write_input(conn, req["path"], bytes.fromhex(req["hex"]))
        return {}
    if op == "close_input":
        close_input(conn, req["path"])
        return {}
    if op == "subscribe":
        subscribe(conn)
        return {}
    if op == "unsubscribe":
        unsubscribe(conn)
        return {}
    if op == "record":
        _state["recorder"] = JobEvents(conn, keep=True)
        return {"name": conn.get_unique_name()}
    if op == "signals":
        time.sleep(0.2)
        rec = _state["recorder"]
        sigs = []
        for e in rec.snapshot():
            if e["kind"] != "signal":
                continue
            s = {"member": e["member"], "path": e["path"], "destination": e["destination"]}
            if e["member"] == "Output":
                s["stream"], s["size"] = e["stream"], e["size"]
            else:
                s["args"] = confinetest._jsonable(e["args"])
            sigs.append(s)
        data = {"%s %s" % k: v.hex() for k, v in rec.data.items()}
        return {"signals": sigs, "data": data}
    return confinetest._client_request(conn, req)


def client_main(requests):
    import signal
    signal.alarm(120)
    conn = connect()
    for req in requests:
        try:
            ans = _request(conn, req)
        except BusError as e:
            ans = {"error": e.name, "message": e.message}
        print(json.dumps(confinetest._jsonable(ans)), flush=True)
    conn.close_sync(None)


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "client":
        client_main(json.loads(sys.argv[2]))
    else:
        sys.exit("usage: jobstream.py client JSON")

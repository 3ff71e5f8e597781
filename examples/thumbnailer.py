#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Make a thumbnail of an untrusted image in a confine sandbox, through libconfine (GI).

    thumbnailer.py INPUT.ppm OUTPUT.ppm [SIZE]

The parent opens INPUT itself and hands the sandboxed helper only that open file, as fd 3
(ExtraFileDescriptors). The helper has no network (PrivateNetwork), a read-only root
(ProtectSystem=strict), its own empty /tmp (PrivateTmp), no capabilities, few fds and a
time limit; it writes the thumbnail to its stdout, which reaches us as Output
signals (Spawn flag 2, "pipe"), and a short report of what it could and could not do to
its stderr. At the end this prints the job's record: result, status, CPU time, memory.

Images are binary PPM (P6), which the helper parses itself in a few lines of Python: the
parser is the untrusted part a real thumbnailer would sandbox.

To run it from a build tree:
    GI_TYPELIB_PATH=build/client/libconfine LD_LIBRARY_PATH=build/client/libconfine \\
        examples/thumbnailer.py in.ppm out.ppm
"""

import os
import sys

import gi

gi.require_version("Confine", "1.0")
gi.require_version("GLib", "2.0")
from gi.repository import Confine, GLib  # noqa: E402

# The helper: reads a P6 image from fd 3, box-filters it down to SIZE, writes P6 to stdout,
# and reports on stderr what the sandbox let it do.
HELPER = r'''
import os, socket, sys

def report():
    def try_(what, fn):
        try:
            fn()
            return what + ": allowed"
        except OSError as e:
            return what + ": refused (" + os.strerror(e.errno) + ")"
    def connect():
        s = socket.create_connection(("1.1.1.1", 53), timeout=2)
        s.close()
    lines = [
        try_("write /usr", lambda: open("/usr/.confine-thumbnailer", "w")),
        try_("reach the network", connect),
        "network interfaces: " + " ".join(sorted(name for _, name in socket.if_nameindex())),
        "/tmp entries: %d" % len(os.listdir("/tmp")),
        "open fds: " + " ".join(sorted(os.listdir("/proc/self/fd"), key=int)),
    ]
    sys.stderr.write("".join("helper: " + l + "\n" for l in lines))

def read_ppm(f):
    data = f.read()
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos)
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    if fields[0] != b"P6" or int(fields[3]) != 255:
        raise ValueError("not a binary 8-bit PPM")
    w, h = int(fields[1]), int(fields[2])
    if not (0 < w <= 8192 and 0 < h <= 8192):
        raise ValueError("bad size")
    pixels = data[pos + 1:pos + 1 + 3 * w * h]
    if len(pixels) != 3 * w * h:
        raise ValueError("truncated")
    return w, h, pixels

def scale(w, h, pixels, size):
    f = max(1, -(-max(w, h) // size))
    tw, th = max(1, w // f), max(1, h // f)
    out = bytearray()
    for ty in range(th):
        for tx in range(tw):
            acc = [0, 0, 0]
            for y in range(ty * f, ty * f + f):
                row = (y * w + tx * f) * 3
                for x in range(f):
                    for c in range(3):
                        acc[c] += pixels[row + 3 * x + c]
            out += bytes(a // (f * f) for a in acc)
    return tw, th, bytes(out)

report()
w, h, pixels = read_ppm(os.fdopen(3, "rb"))
tw, th, thumb = scale(w, h, pixels, int(sys.argv[1]))
sys.stdout.buffer.write(b"P6\n%d %d\n255\n" % (tw, th) + thumb)
sys.stderr.write("helper: %dx%d -> %dx%d\n" % (w, h, tw, th))
'''


def sandbox(input_fd):
    """The properties, through the same Name=Value parser as `confinectl run -p`."""
    b = Confine.PropertyBuilder.new()
    for assignment in ("PrivateNetwork=yes",
                       "ProtectSystem=strict",
                       "PrivateTmp=yes",
                       "ProtectHome=yes",
                       "PrivateDevices=yes",
                       "NoNewPrivileges=yes",
                       "CapabilityBoundingSet=",
                       "LimitNOFILE=64",
                       "RuntimeMaxSec=1min"):
        b.add_text(assignment)
    b.add_extra_fd(input_fd, "input")
    return b


def main(argv):
    if len(argv) not in (3, 4):
        sys.stderr.write(__doc__)
        return 2
    src, dst = argv[1], argv[2]
    size = argv[3] if len(argv) == 4 else "64"

    # The parent opens the file with its own rights; the helper gets only this fd.
    input_fd = os.open(src, os.O_RDONLY | os.O_CLOEXEC)
    props = sandbox(input_fd)
    os.close(input_fd)

    client = Confine.Client.new(None)
    loop = GLib.MainLoop()
    thumbnail = bytearray()
    state = {}

    def on_output(job, stream, data):
        if stream == Confine.Stream.STDOUT:
            thumbnail.extend(data.get_data())
        else:
            sys.stderr.buffer.write(data.get_data())

    def on_waited(job, res):
        try:
            ok, result, status = job.wait_finish(res)
        except GLib.Error as e:
            state["error"] = e
        loop.quit()

    def on_spawned(client, res):
        try:
            job = client.spawn_finish(res)
        except GLib.Error as e:
            state["error"] = e
            loop.quit()
            return
        state["job"] = job
        job.connect("output", on_output)
        job.wait_async(None, on_waited)

    argv_job = ["/usr/bin/python3", "-I", "-c", HELPER, size]
    client.spawn_async(argv_job, props.end(), props.get_fd_list(),
                       Confine.SpawnFlags.PIPE | Confine.SpawnFlags.KILL_ON_DISCONNECT, None, on_spawned)
    loop.run()

    if "error" in state:
        e = state["error"]
        sys.stderr.write("thumbnailer: %s (%s)\n" % (e.message, Confine.error_describe(e)))
        return 1
    job = state["job"]
    job.refresh(None)  # CPU and memory, final now that the job has exited
    if job.get_exit_code() == 0:
        with open(dst, "wb") as f:
            f.write(thumbnail)
    print("job %d: result %s, status %d, cpu %.1f ms, memory peak %.1f MiB, %d bytes of output" % (
        job.get_id(), job.get_result(), job.get_exit_status(), job.get_cpu_usage_nsec() / 1e6,
        job.get_memory_peak() / 2**20, len(thumbnail)))
    return job.get_exit_code()


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Bus test: examples/thumbnailer.py, as a user would run it from the build tree. The
# thumbnail must be right, the helper must have been sandboxed (read-only root, no
# network, an empty /tmp, only the passed fd), and the end record printed.
#
# Run: tests/with-bus -- tests/bus/test-example-thumbnailer.py

import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import confinetest  # noqa: E402
from confinetest import PYTHON, REPO, Tap, gi_env  # noqa: E402

t = Tap(timeout=120)
EXAMPLE = os.path.join(REPO, "examples", "thumbnailer.py")
work = tempfile.mkdtemp(prefix="confine-thumb.")
os.chmod(work, 0o755)
src, dst = os.path.join(work, "in.ppm"), os.path.join(work, "out.ppm")
t.add_cleanup(lambda: subprocess.run(["rm", "-rf", work]))

# A 256x192 image: red rises left to right, green top to bottom, blue is 0x40.
W, H = 256, 192
with open(src, "wb") as f:
    f.write(b"P6\n# confine test\n%d %d\n255\n" % (W, H))
    f.write(bytes(v for y in range(H) for x in range(W) for v in (x, y * 255 // (H - 1), 0x40)))
os.chmod(src, 0o644)


def run(*args):
    return subprocess.run([PYTHON, EXAMPLE] + list(args), capture_output=True, text=True, env=gi_env(),
                          timeout=60, cwd="/")


with t.case("thumbnailer.py makes a 64x48 thumbnail and prints the end record"):
    r = run(src, dst)
    t.eq(r.returncode, 0, "exit status (stderr: %s)" % r.stderr)
    data = open(dst, "rb").read()
    t.check(data.startswith(b"P6\n64 48\n255\n"), "a P6 of 64x48", data[:20])
    pixels = data[len(b"P6\n64 48\n255\n"):]
    t.eq(len(pixels), 64 * 48 * 3, "pixel bytes")
    # Box means of 4x4: red of column 0 is mean(0..3), of the last column mean(252..255).
    t.eq((pixels[0], pixels[2], pixels[(64 - 1) * 3]), (1, 0x40, 253), "pixel values")
    t.check(r.stdout.startswith("job ") and "result success, status 0, cpu " in r.stdout
            and "memory peak " in r.stdout, "end record", r.stdout)

with t.case("the helper was sandboxed: read-only root, no network, an empty /tmp, fds 0-3 only"):
    report = [x for x in r.stderr.splitlines() if x.startswith("helper: ")]
    t.contains(report, "helper: write /usr: refused (Read-only file system)", "report")
    t.check(any(x.startswith("helper: reach the network: refused") for x in report), "network", report)
    t.contains(report, "helper: network interfaces: lo", "report")
    t.contains(report, "helper: /tmp entries: 0", "report")
    # 0-2 are the daemon's pipes, 3 the input, 4 the listing itself.
    t.contains(report, "helper: open fds: 0 1 2 3 4", "report")
    t.contains(report, "helper: 256x192 -> 64x48", "report")

with t.case("a file that is not a PPM: the helper fails, no thumbnail, the record says exit-code"):
    bad = os.path.join(work, "bad.ppm")
    with open(bad, "wb") as f:
        f.write(b"GIF89a not a ppm at all")
    out = os.path.join(work, "bad-out.ppm")
    r = run(bad, out)
    t.eq(r.returncode, 1, "exit status")
    t.check(not os.path.exists(out), "no output written")
    t.contains(r.stdout, "result exit-code, status 1", "end record")
    t.contains(r.stderr, "ValueError", "the helper's error reached our stderr")

with t.case("an input the parent cannot open never reaches the daemon"):
    r = run(os.path.join(work, "missing.ppm"), dst)
    t.check(r.returncode != 0 and "FileNotFoundError" in r.stderr, "fails in the parent", r.stderr[-300:])

t.done()

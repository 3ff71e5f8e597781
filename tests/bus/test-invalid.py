#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# Bus test: every property refuses bad input with InvalidProperty (or NotSupported) naming it,
# and a refused request changes nothing. Two parts:
#  - generic: for EVERY name in SupportedProperties, a value of the wrong signature;
#  - specific: out-of-range values, relative paths, "..", unknown names of caps, syscalls,
#    groups, families, namespaces, options.
# Requests are sent as nobody, the threat model, except where root is needed to get past
# authorization to the validation (it never is: validation comes first).
#
# Run: tests/with-bus -- tests/bus/test-invalid.py

import os
import sys


sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from confinetest import Tap, connect, final_checks, install_child_cleanup, manager_prop, njobs, spawn  # noqa: E402

E_INVALID = "org.confine.Confine1.Error.InvalidProperty"
E_UNKNOWN = "org.confine.Confine1.Error.UnknownProperty"

t = Tap(timeout=300)
install_child_cleanup(t)
conn = connect()
supported = manager_prop(conn, "SupportedProperties")


def refused(props, error, needle):
    before = njobs(conn)
    e = t.raises(error, spawn, conn, ["/bin/true"], props)
    t.contains(e.message, needle, "error message names %s" % needle)
    t.eq(njobs(conn), before, "NJobs unchanged")


with t.case("SupportedProperties is a non-empty list of unique names"):
    t.check(len(supported) > 50, "more than 50 properties", len(supported))
    t.eq(len(set(supported)), len(supported), "no duplicates")

# No property takes a double: "d" is the wrong signature for every one of them.
for name in supported:
    with t.case("%s with a value of the wrong signature → InvalidProperty naming it" % name):
        before = njobs(conn)
        e = t.raises(E_INVALID, spawn, conn, ["/bin/true"], [(name, "d", 1.5)])
        t.contains(e.message, name, "message names the property")
        t.contains(e.message, "expected signature", "message says what was expected")
        t.contains(e.message, "got 'd'", "message says what was sent")
        t.eq(njobs(conn), before, "NJobs unchanged")

with t.case("an unknown property → UnknownProperty naming it"):
    refused([("PrivateNetworks", "b", True)], E_UNKNOWN, "PrivateNetworks")

BAD = [
    ("WorkingDirectory", "s", "relative/dir", "WorkingDirectory"),
    ("WorkingDirectory", "s", "/usr/../etc", "WorkingDirectory"),
    ("Environment", "as", ["NOEQUALS"], "Environment"),
    ("Environment", "as", ["1BAD=x"], "Environment"),
    ("User", "s", "no such user!", "User"),
    ("User", "s", "-x", "User"),
    ("Group", "s", "-rf", "Group"),
    ("User", "s", "confine-no-such-user", "User"),
    ("SupplementaryGroups", "as", ["a:b"], "SupplementaryGroups"),
    ("CapabilityBoundingSet", "t", 1 << 50, "CapabilityBoundingSet"),
    ("AmbientCapabilities", "t", 1 << 45, "AmbientCapabilities"),
    ("UMask", "u", 0o1000, "UMask"),
    ("Nice", "i", 20, "Nice"),
    ("Nice", "i", -21, "Nice"),
    ("RuntimeMaxUSec", "t", 0, "RuntimeMaxUSec"),
    ("TasksMax", "t", 0, "TasksMax"),
    ("CPUQuotaPerSecUSec", "t", 5, "CPUQuotaPerSecUSec"),
    ("LimitNOFILE", "t", 1 << 40, "LimitNOFILE"),
    ("ProtectSystem", "s", "partly", "ProtectSystem"),
    ("ProtectHome", "s", "maybe", "ProtectHome"),
    ("ReadOnlyPaths", "as", ["relative"], "ReadOnlyPaths"),
    ("ReadWritePaths", "as", ["/var/../etc"], "ReadWritePaths"),
    ("InaccessiblePaths", "as", ["/a//b/.."], "InaccessiblePaths"),
    ("SystemCallFilter", "(bas)", (False, ["uname:ENOSUCH"]), "SystemCallFilter"),
    ("SystemCallFilter", "(bas)", (True, ["uname:EPERM"]), "SystemCallFilter"),
    ("ReadOnlyDirectories", "as", ["./x"], "ReadOnlyDirectories"),
    ("InaccessibleDirectories", "as", [""], "InaccessibleDirectories"),
    ("TemporaryFileSystem", "a(ss)", [("/srv", "suid")], "TemporaryFileSystem"),
    ("TemporaryFileSystem", "a(ss)", [("srv", "")], "TemporaryFileSystem"),
    ("BindPaths", "a(ssbt)", [("relative", "/mnt", False, 0)], "BindPaths"),
    ("BindReadOnlyPaths", "a(ssbt)", [("/etc", "/mnt/../x", False, 0)], "BindReadOnlyPaths"),
    ("RootDirectory", "s", "not/absolute", "RootDirectory"),
    ("SystemCallFilter", "(bas)", (True, ["@no-such-group"]), "SystemCallFilter"),
    ("SystemCallFilter", "(bas)", (False, ["no_such_syscall"]), "SystemCallFilter"),
    ("SystemCallErrorNumber", "i", 5000, "SystemCallErrorNumber"),
    ("SystemCallArchitectures", "as", ["sparc"], "SystemCallArchitectures"),
    ("RestrictAddressFamilies", "(bas)", (True, ["AF_NOPE"]), "RestrictAddressFamilies"),
    ("RestrictNamespaces", "t", 1, "RestrictNamespaces"),
    ("ExtraFileDescriptors", "a(hs)", [(0, "bad:name")], "ExtraFileDescriptors"),
]
for name, sig, value, needle in BAD:
    with t.case("%s=%r → refused, naming %s" % (name, value, needle)):
        before = njobs(conn)
        try:
            spawn(conn, ["/bin/true"], [(name, sig, value)])
            t.check(False, "accepted", None)
        except Exception as e:  # noqa: BLE001
            t.check(getattr(e, "name", "") in (E_INVALID, "org.confine.Confine1.Error.NotSupported"),
                    "InvalidProperty or NotSupported", getattr(e, "name", str(e)))
            t.contains(getattr(e, "message", ""), needle, "message names the property")
        t.eq(njobs(conn), before, "NJobs unchanged")

final_checks(t, conn)
t.done()

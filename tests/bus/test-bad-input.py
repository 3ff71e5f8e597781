#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The bad-input table: requests from uid 65534, the threat model, each of which must get
exactly the named error, a message naming the property or step, and change nothing.

The table runs in a child process as uid 65534 (setpriv). Around it, as root, this script
checks that nothing was left behind: NJobs, job processes and cgroups, uid 65534 files in
/tmp and /dev/shm, and the daemon's fd count and liveness.

Run under tests/with-bus (default polkit rules), as root."""

import json
import os
import signal
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import confinetest as ct  # noqa: E402
from confinetest import (E_ACCESS_DENIED, E_INVALID_ARGS, E_INVALID_PROPERTY, E_NO_SUCH_JOB, E_NOT_SUPPORTED,  # noqa: E402
                         E_QUOTA, E_SPAWN_FAILED, E_UNKNOWN_OBJECT, E_UNKNOWN_PROPERTY, JOB_IFACE,
                         MANAGER_IFACE, MANAGER_PATH, BUS_NAME, SETPRIV_NOBODY)

from gi.repository import Gio, GLib  # noqa: E402

# spawn-privileged is auth_admin_keep; uid 65534 has no session, so polkit says no outright.
E_NEEDS_ADMIN = E_ACCESS_DENIED
PRIVILEGED = "org.confine.Confine1.spawn-privileged"


def _daemon_has_cap(bit):
    """Whether confined itself holds capability bit: what it may grant depends on its own set, which
    under systemd (the VM's installed unit) is not the test's."""
    conn = ct.connect()
    name = ct.daemon_unique_name(conn)
    pid = ct.bus_call(conn, "GetConnectionUnixProcessID", GLib.Variant("(s)", (name,)), "(u)")[0]
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("CapEff:"):
                return bool(int(line.split()[1], 16) & (1 << bit))
    return False


HAVE_SYS_RESOURCE = _daemon_has_cap(24)  # CAP_SYS_RESOURCE


def _job_controllers():
    """The cgroup v2 controllers enabled for the job cgroups: without one, its properties are NotSupported
    before polkit is asked."""
    base = ct.job_cgroup_dir()
    try:
        with open(os.path.join(base, "cgroup.subtree_control")) as f:
            return f.read().split()
    except (OSError, TypeError):
        return []


JOB_CONTROLLERS = _job_controllers()


# The caller paths that Analyze looks up as the caller (daemon/path-check.c).
CALLER_PATH_PROPERTIES = ("WorkingDirectory", "RootDirectory", "ReadWritePaths", "ReadOnlyPaths", "InaccessiblePaths",
                          "BindPaths", "BindReadOnlyPaths", "StandardInputFile", "StandardOutputFile",
                          "StandardOutputFileToAppend", "EnvironmentFiles", "LoadCredential")


def table(fixtures):
    """(description, argv, properties, flags, error, needle). Properties with fds use the
    fds opened in fixtures."""
    f = fixtures
    T = []

    def add(desc, props, error, needle, argv=("/bin/true",), flags=0):
        T.append((desc, list(argv), props, flags, error, needle))

    # argv and flags
    add("empty argv", [], E_INVALID_ARGS, "argv", argv=())
    add("empty argv[0]", [], E_INVALID_ARGS, "argv", argv=("",))
    add("a 1 MiB argument", [], E_QUOTA, "MaxArgvBytes", argv=("/bin/echo", "x" * (1 << 20)))
    add("100,000 short arguments", [], E_QUOTA, "MaxArgvBytes", argv=["/bin/echo"] + ["ab"] * 100000)
    add("unknown flag bit 16", [], E_INVALID_ARGS, "flags", flags=16)
    add("flag 8 (learn) with an unknown property", [("PrivateNetworks", "b", True)], E_UNKNOWN_PROPERTY,
        "PrivateNetworks", flags=8)
    add("flag bit 63", [], E_INVALID_ARGS, "flags", flags=1 << 63)
    add("flag 8 (learn) with unknown flag bit 16", [], E_INVALID_ARGS, "flags", flags=8 | 16)
    add("flag 8 (learn) with a bad value", [("RestrictNamespaces", "t", 1 << 63)], E_INVALID_PROPERTY,
        "RestrictNamespaces", flags=8)
    add("flag 4 (terminal) with StandardOutputFileDescriptor", [("StandardOutputFileDescriptor", "h", f["wo"])],
        E_INVALID_ARGS, "Flag 4", flags=4)
    add("argv[0] that does not exist", [], E_SPAWN_FAILED, "execve /nonexistent/prog", argv=("/nonexistent/prog",))
    add("argv[0] that is a directory", [], E_SPAWN_FAILED, "Permission denied", argv=("/usr",))
    add("argv[0] not in PATH", [], E_SPAWN_FAILED, "No such file", argv=("confine-no-such-command",))

    # names, signatures, repetition, counts
    add("unknown property", [("PrivateNetworks", "b", True)], E_UNKNOWN_PROPERTY, "PrivateNetworks")
    add("empty property name", [("", "b", True)], E_UNKNOWN_PROPERTY, "property")
    add("property name in the wrong case", [("privatenetwork", "b", True)], E_UNKNOWN_PROPERTY, "privatenetwork")
    add("wrong signature (PrivateNetwork as s)", [("PrivateNetwork", "s", "yes")], E_INVALID_PROPERTY,
        "PrivateNetwork: expected signature 'b'")
    add("wrong signature (BindPaths as a(ss))", [("BindPaths", "a(ss)", [("/tmp", "/tmp")])], E_INVALID_PROPERTY,
        "BindPaths: expected signature")
    add("wrong signature (LimitNPROC as i)", [("LimitNPROC", "i", 5)], E_INVALID_PROPERTY, "LimitNPROC")
    # Repeated properties merge as systemd merges them (the last scalar wins, lists append, "~" removes):
    # the merged result is what is judged, so a repetition that ends loosened needs spawn-privileged.
    add("User given twice: the last one (root) counts", [("User", "s", "nobody"), ("User", "s", "root")],
        E_NEEDS_ADMIN, PRIVILEGED)
    add("CapabilityBoundingSet= then CAP_SYS_ADMIN: merged into {CAP_SYS_ADMIN}",
        [("CapabilityBoundingSet", "t", 0), ("CapabilityBoundingSet", "t", 1 << 21)], E_NEEDS_ADMIN, PRIVILEGED)
    add("NoNewPrivileges twice, the last no", [("NoNewPrivileges", "b", True), ("NoNewPrivileges", "b", False)],
        E_NEEDS_ADMIN, PRIVILEGED)
    add("StandardInputFileDescriptor twice, the second write-only", [("StandardInputFileDescriptor", "h", f["ro"]),
                                                                    ("StandardInputFileDescriptor", "h", f["wo"])],
        E_INVALID_PROPERTY, "StandardInputFileDescriptor")
    add("PrivateTmp then PrivateTmpEx=sometimes", [("PrivateTmp", "b", True), ("PrivateTmpEx", "s", "sometimes")],
        E_INVALID_PROPERTY, "PrivateTmpEx")
    add("257 properties (MaxProperties 256)", [("Environment", "as", ["A=1"])] * 257, E_QUOTA, "MaxProperties")
    add("100,000 properties", [("Environment", "as", ["A=1"])] * 100000, E_QUOTA, "MaxProperties")
    add("512 KiB of environment", [("Environment", "as", ["BIG=" + "y" * (512 << 10)])], E_QUOTA, "MaxEnvironmentBytes")
    add("2 MiB in one Environment value", [("Environment", "as", ["BIG=" + "y" * (2 << 20)])], E_INVALID_PROPERTY,
        "Environment: more than 4096 entries or 1048576 bytes")
    add("100,000 Environment entries in one value", [("Environment", "as", ["A%d=1" % i for i in range(100000)])],
        E_INVALID_PROPERTY, "Environment: more than 4096 entries")
    add("5,000 ReadOnlyPaths entries", [("ReadOnlyPaths", "as", ["/usr"] * 5000)], E_INVALID_PROPERTY,
        "ReadOnlyPaths: more than 4096 entries")
    add("5,000 BindPaths entries", [("BindPaths", "a(ssbt)", [("/usr", "/usr", False, 0)] * 5000)], E_INVALID_PROPERTY,
        "BindPaths: more than 4096 entries")

    # environment, identity, privilege
    add("Environment entry without =", [("Environment", "as", ["NOEQUALS"])], E_INVALID_PROPERTY, "Environment")
    add("Environment entry with an empty name", [("Environment", "as", ["=x"])], E_INVALID_PROPERTY, "Environment")
    add("User=root without privilege", [("User", "s", "root")], E_NEEDS_ADMIN, PRIVILEGED)
    add("Group=root without privilege", [("Group", "s", "root")], E_NEEDS_ADMIN, PRIVILEGED)
    add("SupplementaryGroups=root without privilege", [("SupplementaryGroups", "as", ["root"])], E_NEEDS_ADMIN, PRIVILEGED)
    add("AmbientCapabilities=CAP_NET_ADMIN without privilege", [("AmbientCapabilities", "t", 1 << 12)],
        E_NEEDS_ADMIN, PRIVILEGED)
    add("NoNewPrivileges=no without privilege", [("NoNewPrivileges", "b", False)], E_NEEDS_ADMIN, PRIVILEGED)
    add("CapabilityBoundingSet=CAP_SYS_ADMIN without privilege", [("CapabilityBoundingSet", "t", 1 << 21)],
        E_NEEDS_ADMIN, PRIVILEGED)
    add("flag 8 (learn) grants nothing: AmbientCapabilities=CAP_NET_ADMIN without privilege",
        [("AmbientCapabilities", "t", 1 << 12)], E_NEEDS_ADMIN, PRIVILEGED, flags=8)
    add("User that does not exist", [("User", "s", "confine-no-such-user")], E_INVALID_PROPERTY, "User")
    add("User with a slash", [("User", "s", "a/b")], E_INVALID_PROPERTY, "User")
    add("Group that does not exist", [("Group", "s", "confine-no-such-group")], E_INVALID_PROPERTY, "Group")
    add("SupplementaryGroups that does not exist", [("SupplementaryGroups", "as", ["confine-no-such-group"])],
        E_INVALID_PROPERTY, "SupplementaryGroups")
    add("CapabilityBoundingSet with bit 63", [("CapabilityBoundingSet", "t", 1 << 63)], E_INVALID_PROPERTY,
        "CapabilityBoundingSet")
    add("AmbientCapabilities with bit 62", [("AmbientCapabilities", "t", 1 << 62)], E_INVALID_PROPERTY,
        "AmbientCapabilities")

    # paths
    add("WorkingDirectory relative", [("WorkingDirectory", "s", "tmp")], E_INVALID_PROPERTY, "WorkingDirectory")
    add("WorkingDirectory with ..", [("WorkingDirectory", "s", "/tmp/../root")], E_INVALID_PROPERTY, "WorkingDirectory")
    add("WorkingDirectory=/root (0700, not nobody's)", [("WorkingDirectory", "s", "/root")], E_SPAWN_FAILED,
        "WorkingDirectory=/root: Permission denied")
    add("WorkingDirectory through a symlink to /root", [("WorkingDirectory", "s", f["link_root"])], E_SPAWN_FAILED,
        "Permission denied")
    add("RootDirectory relative", [("RootDirectory", "s", "srv")], E_INVALID_PROPERTY, "RootDirectory")
    add("RootDirectory=/root", [("RootDirectory", "s", "/root")], E_SPAWN_FAILED, "RootDirectory=/root: Permission denied")
    add("RootDirectory through a symlink to /root", [("RootDirectory", "s", f["link_root"])], E_SPAWN_FAILED,
        "Permission denied")
    add("RootDirectory that is a file", [("RootDirectory", "s", "/etc/passwd")], E_SPAWN_FAILED,
        "RootDirectory=/etc/passwd: Permission denied")
    add("ReadOnlyPaths relative", [("ReadOnlyPaths", "as", ["etc"])], E_INVALID_PROPERTY, "ReadOnlyPaths")
    add("ReadOnlyPaths with ..", [("ReadOnlyPaths", "as", ["/etc/../root"])], E_INVALID_PROPERTY, "ReadOnlyPaths")
    add("ReadOnlyPaths ending in ..", [("ReadOnlyPaths", "as", ["/etc/.."])], E_INVALID_PROPERTY, "ReadOnlyPaths")
    add("ReadOnlyPaths with // and .. (simplified, .. still refused)", [("ReadOnlyPaths", "as", ["//etc/./../root"])],
        E_INVALID_PROPERTY, "ReadOnlyPaths")
    add("BindPaths destination with ..", [("BindPaths", "a(ssbt)", [("/tmp", "/tmp/../root/x", False, 0)])],
        E_INVALID_PROPERTY, "BindPaths")
    add("BindPaths to a missing destination nobody cannot create", [("BindPaths", "a(ssbt)", [("/tmp", "/confine-no-such-dir/x", False, 0)])],
        E_SPAWN_FAILED, "create the mount point: Permission denied")
    add("TemporaryFileSystem on a missing path below /root", [("TemporaryFileSystem", "a(ss)", [("/root/confine-x", "")])],
        E_SPAWN_FAILED, "TemporaryFileSystem=/root/confine-x")
    add("ReadWritePaths that does not exist", [("ReadWritePaths", "as", ["/nonexistent-confine"])], E_SPAWN_FAILED,
        "ReadWritePaths=/nonexistent-confine: No such file")
    add("InaccessiblePaths below /root", [("InaccessiblePaths", "as", ["/root/.bashrc"])], E_SPAWN_FAILED,
        "InaccessiblePaths=/root/.bashrc: Permission denied")
    add("InaccessiblePaths empty string", [("InaccessiblePaths", "as", [""])], E_INVALID_PROPERTY, "InaccessiblePaths")
    add("BindReadOnlyPaths=/etc/shadow", [("BindReadOnlyPaths", "a(ssbt)", [("/etc/shadow", f["mnt"], False, 0)])],
        E_SPAWN_FAILED, "Permission denied")
    add("BindPaths=/root", [("BindPaths", "a(ssbt)", [("/root", f["mntdir"], False, 0)])], E_SPAWN_FAILED,
        "Permission denied")
    add("BindPaths through a symlink to /root", [("BindPaths", "a(ssbt)", [(f["link_root"], f["mntdir"], False, 0)])],
        E_SPAWN_FAILED, "Permission denied")
    add("BindReadOnlyPaths through /proc/self/root", [("BindReadOnlyPaths", "a(ssbt)",
                                                      [("/proc/self/root/etc/shadow", f["mnt"], False, 0)])],
        E_SPAWN_FAILED, "BindReadOnlyPaths=")
    add("BindPaths source with ..", [("BindPaths", "a(ssbt)", [("/tmp/../root", f["mntdir"], False, 0)])],
        E_INVALID_PROPERTY, "BindPaths")
    add("BindPaths destination relative", [("BindPaths", "a(ssbt)", [("/tmp", "mnt", False, 0)])],
        E_INVALID_PROPERTY, "BindPaths")
    add("BindPaths with unknown option bits", [("BindPaths", "a(ssbt)", [("/tmp", "/tmp", False, 1 << 40)])],
        E_INVALID_PROPERTY, "BindPaths")
    add("a path longer than PATH_MAX", [("ReadOnlyPaths", "as", ["/" + "a" * 5000])], E_INVALID_PROPERTY, "ReadOnlyPaths")
    add("TemporaryFileSystem with an unknown option", [("TemporaryFileSystem", "a(ss)", [("/srv", "suid")])],
        E_INVALID_PROPERTY, "TemporaryFileSystem")
    add("TemporaryFileSystem relative", [("TemporaryFileSystem", "a(ss)", [("srv", "")])], E_INVALID_PROPERTY,
        "TemporaryFileSystem")

    # seccomp and friends
    add("SystemCallFilter with an unknown group", [("SystemCallFilter", "(bas)", (True, ["@no-such-group"]))],
        E_INVALID_PROPERTY, "@no-such-group")
    add("SystemCallFilter with an unknown system call", [("SystemCallFilter", "(bas)", (False, ["no_such_call"]))],
        E_INVALID_PROPERTY, "no_such_call")
    add("SystemCallErrorNumber 5000", [("SystemCallErrorNumber", "i", 5000)], E_INVALID_PROPERTY, "SystemCallErrorNumber")
    add("SystemCallFilter allow-list with a per-call errno", [("SystemCallFilter", "(bas)", (True, ["read:EPERM"]))],
        E_INVALID_PROPERTY, "SystemCallFilter: \"read:EPERM\": only a denied system call")
    add("SystemCallFilter with an unknown errno name", [("SystemCallFilter", "(bas)", (False, ["chroot:EBOGUS"]))],
        E_INVALID_PROPERTY, "chroot:EBOGUS")
    add("SystemCallFilter with errno 4096", [("SystemCallFilter", "(bas)", (False, ["chroot:4096"]))],
        E_INVALID_PROPERTY, "chroot:4096")
    add("SystemCallFilter with an empty name before the colon", [("SystemCallFilter", "(bas)", (False, [":EPERM"]))],
        E_INVALID_PROPERTY, "SystemCallFilter")
    add("SystemCallFilter denying execve by errno", [("SystemCallFilter", "(bas)", (False, ["execve:EPERM"]))],
        E_INVALID_PROPERTY, "execve")
    add("SystemCallLog without privilege (the host's audit log)", [("SystemCallLog", "(bas)", (False, ["read"]))],
        E_NEEDS_ADMIN, PRIVILEGED)
    add("CapabilityBoundingSet with some unknown high bits", [("CapabilityBoundingSet", "t", 0xff << 56)],
        E_INVALID_PROPERTY, "CapabilityBoundingSet")
    add("RestrictNamespaces with some unknown high bits", [("RestrictNamespaces", "t", 1 << 63)],
        E_INVALID_PROPERTY, "RestrictNamespaces")
    add("SystemCallArchitectures=sparc", [("SystemCallArchitectures", "as", ["sparc"])], E_INVALID_PROPERTY,
        "SystemCallArchitectures")
    add("RestrictAddressFamilies=AF_NOPE", [("RestrictAddressFamilies", "(bas)", (True, ["AF_NOPE"]))],
        E_INVALID_PROPERTY, "AF_NOPE")
    add("RestrictNamespaces with a bit that is no namespace", [("RestrictNamespaces", "t", 1)], E_INVALID_PROPERTY,
        "RestrictNamespaces")

    # values
    add("UMask 010000", [("UMask", "u", 0o10000)], E_INVALID_PROPERTY, "UMask")
    add("Nice 20", [("Nice", "i", 20)], E_INVALID_PROPERTY, "Nice")
    add("Nice -21", [("Nice", "i", -21)], E_INVALID_PROPERTY, "Nice")
    add("LimitNOFILESoft above LimitNOFILE", [("LimitNOFILE", "t", 64), ("LimitNOFILESoft", "t", 128)],
        E_INVALID_PROPERTY, "LimitNOFILE")
    add("RuntimeMaxUSec 0", [("RuntimeMaxUSec", "t", 0)], E_INVALID_PROPERTY, "RuntimeMaxUSec")
    add("ProtectSystem=partly", [("ProtectSystem", "s", "partly")], E_INVALID_PROPERTY, "ProtectSystem")
    add("ProtectHome=maybe", [("ProtectHome", "s", "maybe")], E_INVALID_PROPERTY, "ProtectHome")
    add("PrivatePIDs as a string", [("PrivatePIDs", "s", "yes")], E_INVALID_PROPERTY, "PrivatePIDs")
    add("ProtectProc=hidden", [("ProtectProc", "s", "hidden")], E_INVALID_PROPERTY, "ProtectProc")
    add("ProtectProc=Invisible (case)", [("ProtectProc", "s", "Invisible")], E_INVALID_PROPERTY, "ProtectProc")
    # systemd's name is ptraceable (the kernel's hidepid= value); nothing else is taken for it.
    add("ProtectProc=ptraceraw", [("ProtectProc", "s", "ptraceraw")], E_INVALID_PROPERTY, "ProtectProc")
    add("ProtectProc as a boolean", [("ProtectProc", "b", True)], E_INVALID_PROPERTY, "ProtectProc")
    # Given twice, the last value counts (as in systemd), so a bad second one is refused.
    add("ProtectProc twice, the second bad", [("ProtectProc", "s", "invisible"), ("ProtectProc", "s", "nope")],
        E_INVALID_PROPERTY, "ProtectProc")
    add("ProcSubset=none", [("ProcSubset", "s", "none")], E_INVALID_PROPERTY, "ProcSubset")
    add("ProcSubset empty", [("ProcSubset", "s", "")], E_INVALID_PROPERTY, "ProcSubset")
    # Issue 15's kernel surface.
    add("ProtectClock as a string", [("ProtectClock", "s", "yes")], E_INVALID_PROPERTY, "ProtectClock")
    add("ProtectKernelLogs as an integer", [("ProtectKernelLogs", "i", 1)], E_INVALID_PROPERTY, "ProtectKernelLogs")
    add("NoExecPaths relative", [("NoExecPaths", "as", ["tmp"])], E_INVALID_PROPERTY, "NoExecPaths")
    add("ExecPaths with ..", [("ExecPaths", "as", ["/usr/../tmp"])], E_INVALID_PROPERTY, "ExecPaths")
    add("ExecPaths as a string", [("ExecPaths", "s", "/usr")], E_INVALID_PROPERTY, "ExecPaths")
    add("NoExecPaths with 5000 entries", [("NoExecPaths", "as", ["/x%d" % i for i in range(5000)])],
        E_INVALID_PROPERTY, "NoExecPaths")
    add("PrivateUsers as a string (systemd 257's PrivateUsersEx is not here)", [("PrivateUsers", "s", "self")],
        E_INVALID_PROPERTY, "PrivateUsers")
    add("RemoveIPC as a string", [("RemoveIPC", "s", "yes")], E_INVALID_PROPERTY, "RemoveIPC")
    add("MountAPIVFS as a string", [("MountAPIVFS", "s", "yes")], E_INVALID_PROPERTY, "MountAPIVFS")
    # StateDirectory= and the others (issue 15, part a).
    add("StateDirectory absolute", [("StateDirectory", "as", ["/var/lib/x"])], E_INVALID_PROPERTY, "StateDirectory")
    add("RuntimeDirectory with ..", [("RuntimeDirectory", "as", ["a/../../etc"])], E_INVALID_PROPERTY,
        "RuntimeDirectory")
    add("CacheDirectory ..", [("CacheDirectory", "as", [".."])], E_INVALID_PROPERTY, "CacheDirectory")
    add("LogsDirectory not normalized", [("LogsDirectory", "as", ["a//b"])], E_INVALID_PROPERTY, "LogsDirectory")
    add("ConfigurationDirectory empty string", [("ConfigurationDirectory", "as", [""])], E_INVALID_PROPERTY,
        "ConfigurationDirectory")
    add("StateDirectory private (DynamicUser='s layout)", [("StateDirectory", "as", ["private/x"])],
        E_INVALID_PROPERTY, "StateDirectory")
    add("StateDirectory with 100 paths", [("StateDirectory", "as", ["d%d" % i for i in range(100)])],
        E_INVALID_PROPERTY, "StateDirectory")
    add("StateDirectory as a string", [("StateDirectory", "s", "x")], E_INVALID_PROPERTY, "StateDirectory")
    add("StateDirectoryMode 010000", [("StateDirectoryMode", "u", 0o10000)], E_INVALID_PROPERTY, "StateDirectoryMode")
    add("RuntimeDirectoryMode as a string", [("RuntimeDirectoryMode", "s", "0755")], E_INVALID_PROPERTY,
        "RuntimeDirectoryMode")
    add("RuntimeDirectoryPreserve=maybe", [("RuntimeDirectoryPreserve", "s", "maybe")], E_INVALID_PROPERTY,
        "RuntimeDirectoryPreserve")
    # uid 65534 gets the user layout below its home, /nonexistent: created with its own rights, so refused,
    # and nothing appears in /var/lib.
    add("StateDirectory as uid 65534 (no home)", [("StateDirectory", "as", ["confine-bad-input"])], E_SPAWN_FAILED,
        "StateDirectory=confine-bad-input")
    add("DynamicUser as a string", [("DynamicUser", "s", "yes")], E_INVALID_PROPERTY, "DynamicUser")
    add("DynamicUser with User= not a valid name", [("DynamicUser", "b", True), ("User", "s", "bad:name")],
        E_INVALID_PROPERTY, "User")
    add("DynamicUser with User= a static user", [("DynamicUser", "b", True), ("User", "s", "root")],
        E_INVALID_PROPERTY, "DynamicUser")
    add("DynamicUser with another Group=", [("DynamicUser", "b", True), ("User", "s", "dyn"), ("Group", "s", "root")],
        E_INVALID_PROPERTY, "DynamicUser")
    add("DynamicUser=yes (a uid of the shared pool)", [("DynamicUser", "b", True)], E_NEEDS_ADMIN, PRIVILEGED)
    # With RootDirectory= the directory is bound onto the same path in the caller's root; a symlink planted
    # there is not followed (ELOOP; bus-directories checks the message, with /run/user/65534 in place), and
    # the directory made in /run/user/65534 is removed again. Without /run/user/65534 it fails earlier, named
    # the same way.
    add("RuntimeDirectory with a RootDirectory whose /run is a symlink",
        [("RuntimeDirectory", "as", ["confine-bad-input-rt"]), ("RootDirectory", "s", f["evil_root"])],
        E_SPAWN_FAILED, "RuntimeDirectory=confine-bad-input-rt")
    # Issue 15's process attributes: bad values, and what grants something (a lower OOM score, realtime).
    add("UnsetEnvironment with a blank", [("UnsetEnvironment", "as", ["A B"])], E_INVALID_PROPERTY, "UnsetEnvironment")
    add("UnsetEnvironment empty entry", [("UnsetEnvironment", "as", [""])], E_INVALID_PROPERTY, "UnsetEnvironment")
    add("IgnoreSIGPIPE as a string", [("IgnoreSIGPIPE", "s", "yes")], E_INVALID_PROPERTY, "IgnoreSIGPIPE")
    add("TimerSlackNSec 2^63", [("TimerSlackNSec", "t", 1 << 63)], E_INVALID_PROPERTY, "TimerSlackNSec")
    add("TTYRows without flag 4", [("TTYRows", "u", 40)], E_INVALID_ARGS, "TTYRows")
    add("TTYColumns 65536", [("TTYColumns", "u", 65536)], E_INVALID_PROPERTY, "TTYColumns", flags=4)
    add("TTYRows as a string", [("TTYRows", "s", "40")], E_INVALID_PROPERTY, "TTYRows", flags=4)
    add("CoredumpFilter bit 9", [("CoredumpFilter", "t", 1 << 9)], E_INVALID_PROPERTY, "CoredumpFilter")
    add("OOMScoreAdjust 1001", [("OOMScoreAdjust", "i", 1001)], E_INVALID_PROPERTY, "OOMScoreAdjust")
    add("OOMScoreAdjust as a string", [("OOMScoreAdjust", "s", "-5")], E_INVALID_PROPERTY, "OOMScoreAdjust")
    # Lowering needs CAP_SYS_RESOURCE: NotSupported where confined lacks it (some containers), else admin.
    add("OOMScoreAdjust -1", [("OOMScoreAdjust", "i", -1)],
        E_NEEDS_ADMIN if HAVE_SYS_RESOURCE else E_NOT_SUPPORTED, PRIVILEGED if HAVE_SYS_RESOURCE else "OOMScoreAdjust")
    add("CPUAffinity with CPU 8192", [("CPUAffinity", "ay", bytes(1024) + b"\x01")], E_INVALID_PROPERTY,
        "CPUAffinity")
    add("IOSchedulingClass 4", [("IOSchedulingClass", "i", 4)], E_INVALID_PROPERTY, "IOSchedulingClass")
    add("IOSchedulingPriority 8", [("IOSchedulingPriority", "i", 8)], E_INVALID_PROPERTY, "IOSchedulingPriority")
    add("IOSchedulingClass=realtime", [("IOSchedulingClass", "i", 1)], E_NEEDS_ADMIN, PRIVILEGED)
    add("CPUSchedulingPolicy 4", [("CPUSchedulingPolicy", "i", 4)], E_INVALID_PROPERTY, "CPUSchedulingPolicy")
    add("CPUSchedulingPolicy=fifo", [("CPUSchedulingPolicy", "i", 1)], E_NEEDS_ADMIN, PRIVILEGED)
    # Issue 15: stdio, EnvironmentFile=, credentials. Bad values; unsupported forms; contradictions; and
    # paths that only the caller's credentials decide (opened by confine-exec as uid 65534).
    add("StandardOutput unknown", [("StandardOutput", "s", "bogus")], E_INVALID_PROPERTY, "StandardOutput")
    add("StandardInput=inherit", [("StandardInput", "s", "inherit")], E_INVALID_PROPERTY, "StandardInput")
    add("StandardOutput=data", [("StandardOutput", "s", "data")], E_INVALID_PROPERTY, "StandardOutput")
    add("StandardOutput=file: on the wire", [("StandardOutput", "s", "file:/tmp/x")], E_INVALID_PROPERTY,
        "StandardOutputFile")
    add("StandardOutput=journal", [("StandardOutput", "s", "journal")], E_NOT_SUPPORTED, "StandardOutput")
    add("StandardInput=tty", [("StandardInput", "s", "tty")], E_NOT_SUPPORTED, "StandardInput")
    add("StandardError=fd:x", [("StandardError", "s", "fd:x")], E_NOT_SUPPORTED, "StandardError")
    add("StandardOutputFile relative", [("StandardOutputFile", "s", "out.log")], E_INVALID_PROPERTY,
        "StandardOutputFile")
    add("StandardInputFile with ..", [("StandardInputFile", "s", "/tmp/../etc/shadow")], E_INVALID_PROPERTY,
        "StandardInputFile")
    add("StandardOutputFileToAppend as ay", [("StandardOutputFileToAppend", "ay", b"/tmp/x")], E_INVALID_PROPERTY,
        "StandardOutputFileToAppend")
    add("StandardInputData as a string", [("StandardInputData", "s", "eA==")], E_INVALID_PROPERTY, "StandardInputData")
    add("StandardInputData over 1 MiB in one value", [("StandardInputData", "ay", bytes((1 << 20) + 1))],
        E_INVALID_PROPERTY, "StandardInputData")
    add("StandardOutput=null with StandardOutputFileDescriptor", [("StandardOutput", "s", "null"),
                                                                  ("StandardOutputFileDescriptor", "h", f["wo"])],
        E_INVALID_PROPERTY, "StandardOutput")
    add("StandardInputData with StandardInputFileDescriptor", [("StandardInputData", "ay", b"x"),
                                                               ("StandardInputFileDescriptor", "h", f["ro"])],
        E_INVALID_PROPERTY, "StandardInputData")
    add("StandardError=null with flag 2 (pipe)", [("StandardError", "s", "null")], E_INVALID_ARGS, "StandardError",
        flags=2)
    add("StandardInput=data with flag 4 (terminal)", [("StandardInput", "s", "data")], E_INVALID_ARGS,
        "StandardInput", flags=4)
    add("StandardInputData with StandardInput=null", [("StandardInput", "s", "null"),
                                                      ("StandardInputData", "ay", b"x")],
        E_INVALID_PROPERTY, "StandardInputData")
    add("StandardOutput=inherit with StandardInput=data", [("StandardInput", "s", "data"),
                                                           ("StandardOutput", "s", "inherit")],
        E_INVALID_PROPERTY, "StandardOutput=inherit")
    add("StandardInputFile=/etc/shadow (root's)", [("StandardInputFile", "s", "/etc/shadow")], E_SPAWN_FAILED,
        "StandardInputFile=/etc/shadow: Permission denied")
    add("StandardOutputFileToAppend=/etc/passwd (root's)", [("StandardOutputFileToAppend", "s", "/etc/passwd")],
        E_SPAWN_FAILED, "StandardOutputFileToAppend=/etc/passwd: Permission denied")
    add("StandardOutputFile in /etc (root's directory)", [("StandardOutputFile", "s", "/etc/confine-bad-input")],
        E_SPAWN_FAILED, "StandardOutputFile=/etc/confine-bad-input: Permission denied")
    add("EnvironmentFiles relative", [("EnvironmentFiles", "a(sb)", [("x.env", False)])], E_INVALID_PROPERTY,
        "EnvironmentFiles")
    add("EnvironmentFiles as as", [("EnvironmentFiles", "as", ["/x.env"])], E_INVALID_PROPERTY, "EnvironmentFiles")
    add("EnvironmentFiles, 65 of them", [("EnvironmentFiles", "a(sb)", [("/x.env", True)] * 65)],
        E_INVALID_PROPERTY, "EnvironmentFiles")
    add("EnvironmentFiles=/etc/shadow (root's)", [("EnvironmentFiles", "a(sb)", [("/etc/shadow", True)])],
        E_SPAWN_FAILED, "EnvironmentFile=/etc/shadow: Permission denied")
    add("EnvironmentFiles missing, not optional", [("EnvironmentFiles", "a(sb)", [("/nonexistent.env", False)])],
        E_SPAWN_FAILED, "EnvironmentFile=/nonexistent.env: No such file")
    add("LoadCredential with a / in the ID", [("LoadCredential", "a(ss)", [("a/b", "/etc/hostname")])],
        E_INVALID_PROPERTY, "LoadCredential")
    add("LoadCredential with an empty ID", [("LoadCredential", "a(ss)", [("", "/etc/hostname")])],
        E_INVALID_PROPERTY, "LoadCredential")
    add("LoadCredential with a relative path", [("LoadCredential", "a(ss)", [("a", "etc/hostname")])],
        E_INVALID_PROPERTY, "LoadCredential")
    add("LoadCredential of a credential from above", [("LoadCredential", "a(ss)", [("a", "a")])], E_NOT_SUPPORTED,
        "LoadCredential")
    add("LoadCredential=/etc/shadow (root's)", [("LoadCredential", "a(ss)", [("s", "/etc/shadow")])],
        E_SPAWN_FAILED, "LoadCredential=s:/etc/shadow: Permission denied")
    add("LoadCredential=/root (0700)", [("LoadCredential", "a(ss)", [("r", "/root")])],
        E_SPAWN_FAILED, "LoadCredential=r:/root: Permission denied")
    add("SetCredential over 1 MiB", [("SetCredential", "a(say)", [("big", bytes((1 << 20) + 1))])],
        E_INVALID_PROPERTY, "SetCredential")
    add("SetCredential with ':' in the ID", [("SetCredential", "a(say)", [("a:b", b"x")])], E_INVALID_PROPERTY,
        "SetCredential")
    add("SetCredential as a(ss)", [("SetCredential", "a(ss)", [("a", "x")])], E_INVALID_PROPERTY, "SetCredential")
    # SetCredentialEncrypted: the blob's header is judged before the key is looked for. A well-formed
    # blob from uid 65534 is NotSupported without a host key and spawn-privileged with one
    # (tests/escape/test-credential-escapes.sh).
    host_id = bytes.fromhex("5a1c6a86df9d4096b1d5a65e0862f19a")
    host_header = host_id + (32).to_bytes(4, "little") + (1).to_bytes(4, "little") + \
        (12).to_bytes(4, "little") + (16).to_bytes(4, "little") + bytes(16)
    add("SetCredentialEncrypted that is no credential", [("SetCredentialEncrypted", "a(say)", [("a", b"x")])],
        E_INVALID_PROPERTY, "SetCredentialEncrypted")
    add("SetCredentialEncrypted of an unknown key type", [("SetCredentialEncrypted", "a(say)", [("a", bytes(88))])],
        E_INVALID_PROPERTY, "SetCredentialEncrypted")
    add("SetCredentialEncrypted truncated before its tag",
        [("SetCredentialEncrypted", "a(say)", [("a", host_header + bytes(24 + 15))])],
        E_INVALID_PROPERTY, "SetCredentialEncrypted")
    add("SetCredentialEncrypted with a 64-bit tag", [("SetCredentialEncrypted", "a(say)",
                                                      [("a", host_header[:28] + (8).to_bytes(4, "little") +
                                                        bytes(16 + 24 + 8))])],
        E_INVALID_PROPERTY, "SetCredentialEncrypted")
    add("SetCredentialEncrypted over 1.125 MiB", [("SetCredentialEncrypted", "a(say)",
                                                    [("a", host_header + bytes(1152 * 1024))])],
        E_INVALID_PROPERTY, "SetCredentialEncrypted")
    add("SetCredentialEncrypted with a bad ID", [("SetCredentialEncrypted", "a(say)",
                                                   [("a/b", host_header + bytes(24 + 16))])],
        E_INVALID_PROPERTY, "SetCredentialEncrypted")
    add("SetCredentialEncrypted as a(ss)", [("SetCredentialEncrypted", "a(ss)", [("a", "x")])], E_INVALID_PROPERTY,
        "SetCredentialEncrypted")
    add("SetCredentialEncrypted sealed with a TPM2",
        [("SetCredentialEncrypted", "a(say)", [("a", bytes.fromhex("0c7cc07b117645919c4b0bea08bc20fe") + bytes(72))])],
        E_NOT_SUPPORTED, "TPM2")
    add("SetCredentialEncrypted with the null key (tpm2-absent)",
        [("SetCredentialEncrypted", "a(say)", [("a", bytes.fromhex("058469daf6f54324800549da0f8ea2fb") + bytes(72))])],
        E_NOT_SUPPORTED, "null key")
    add("LoadCredentialEncrypted (not built yet)", [("LoadCredentialEncrypted", "a(ss)", [("a", "/etc/hostname")])],
        E_NOT_SUPPORTED, "LoadCredentialEncrypted")
    add("CPUSchedulingPriority 5 for the other policy", [("CPUSchedulingPriority", "i", 5)], E_INVALID_PROPERTY,
        "CPUSchedulingPriority")
    add("CPUSchedulingPolicy=rr then CPUSchedulingPriority 100", [("CPUSchedulingPolicy", "i", 2),
                                                               ("CPUSchedulingPriority", "i", 100)],
        E_INVALID_PROPERTY, "CPUSchedulingPriority")
    # Issue 15's cgroup resources: bad values are refused whatever the host; a share above the default (or
    # memory protection) needs spawn-privileged where the controller is there, else it is NotSupported.
    add("MemoryHigh as a string", [("MemoryHigh", "s", "64M")], E_INVALID_PROPERTY, "MemoryHigh")
    add("MemoryHighScale 0", [("MemoryHighScale", "u", 0)], E_INVALID_PROPERTY, "MemoryHighScale")
    add("MemorySwapMax as an int32", [("MemorySwapMax", "i", 0)], E_INVALID_PROPERTY, "MemorySwapMax")
    add("MemoryLowScale 0", [("MemoryLowScale", "u", 0)], E_INVALID_PROPERTY, "MemoryLowScale")
    add("CPUWeight 10001", [("CPUWeight", "t", 10001)], E_INVALID_PROPERTY, "CPUWeight")
    add("CPUWeight as a string", [("CPUWeight", "s", "idle")], E_INVALID_PROPERTY, "CPUWeight")
    add("IOWeight 0", [("IOWeight", "t", 0)], E_INVALID_PROPERTY, "IOWeight")
    add("IOWeight 10001", [("IOWeight", "t", 10001)], E_INVALID_PROPERTY, "IOWeight")
    add("IOAccounting as a string", [("IOAccounting", "s", "yes")], E_INVALID_PROPERTY, "IOAccounting")
    for name, value, controller in (("CPUWeight", 200, "cpu"), ("IOWeight", 10000, "io"), ("MemoryLow", 1 << 20, "memory")):
        have = controller in JOB_CONTROLLERS
        add(f"{name}={value} without privilege", [(name, "t", value)], E_NEEDS_ADMIN if have else E_NOT_SUPPORTED,
            PRIVILEGED if have else name)
    if "io" not in JOB_CONTROLLERS:
        add("IOAccounting=yes without the io controller", [("IOAccounting", "b", True)], E_NOT_SUPPORTED, "IOAccounting")
    if "memory" not in JOB_CONTROLLERS:
        add("MemoryHigh=64M without the memory controller", [("MemoryHigh", "t", 64 << 20)], E_NOT_SUPPORTED,
            "MemoryHigh")
    add("RestrictFileSystems with an unknown name", [("RestrictFileSystems", "(bas)", (False, ["tmpfs", "nosuchfs"]))],
        E_INVALID_PROPERTY, "nosuchfs")
    add("RestrictFileSystems with an unknown group", [("RestrictFileSystems", "(bas)", (True, ["@nosuch"]))],
        E_INVALID_PROPERTY, "@nosuch")
    add("RestrictFileSystems with an empty name", [("RestrictFileSystems", "(bas)", (True, [""]))],
        E_INVALID_PROPERTY, "RestrictFileSystems")
    add("RestrictFileSystems as a string array", [("RestrictFileSystems", "as", ["~tmpfs"])], E_INVALID_PROPERTY,
        "RestrictFileSystems")
    add("KillMode=all", [("KillMode", "s", "all")], E_INVALID_PROPERTY, "KillMode")
    add("KillSignal 0", [("KillSignal", "i", 0)], E_INVALID_PROPERTY, "KillSignal")
    add("FinalKillSignal 65", [("FinalKillSignal", "i", 65)], E_INVALID_PROPERTY, "FinalKillSignal")
    add("SendSIGKILL as a string", [("SendSIGKILL", "s", "no")], E_INVALID_PROPERTY, "SendSIGKILL")
    add("TimeoutStopUSec as an integer", [("TimeoutStopUSec", "i", 5)], E_INVALID_PROPERTY, "TimeoutStopUSec")
    add("PrivateMounts as a string", [("PrivateMounts", "s", "yes")], E_INVALID_PROPERTY, "PrivateMounts")
    add("KeyringMode=public", [("KeyringMode", "s", "public")], E_INVALID_PROPERTY, "KeyringMode")
    add("KeyringMode empty", [("KeyringMode", "s", "")], E_INVALID_PROPERTY, "KeyringMode")
    # inherit would hand the job confined's own session keyring.
    add("KeyringMode=inherit", [("KeyringMode", "s", "inherit")], E_NEEDS_ADMIN, PRIVILEGED)
    add("Personality of another machine (s390)", [("Personality", "s", "s390")], E_INVALID_PROPERTY, "Personality")
    add("Personality=linux32 (not a systemd name)", [("Personality", "s", "linux32")], E_INVALID_PROPERTY,
        "Personality")
    add("SecureBits with bit 6 (no-cap-ambient-raise, not systemd's)", [("SecureBits", "i", 1 << 6)],
        E_INVALID_PROPERTY, "SecureBits")
    add("SecureBits negative", [("SecureBits", "i", -1)], E_INVALID_PROPERTY, "SecureBits")
    add("SecureBits as a string", [("SecureBits", "s", "noroot")], E_INVALID_PROPERTY, "SecureBits")
    add("PrivateTmpEx=sometimes", [("PrivateTmpEx", "s", "sometimes")], E_INVALID_PROPERTY, "PrivateTmpEx")
    add("DevicePolicy=open", [("DevicePolicy", "s", "open")], E_INVALID_PROPERTY, "DevicePolicy")
    add("DeviceAllow of a file that is no device", [("DeviceAllow", "a(ss)", [("/etc/passwd", "r")])],
        E_INVALID_PROPERTY, "DeviceAllow")
    add("DeviceAllow with ..", [("DeviceAllow", "a(ss)", [("/dev/../etc/passwd", "r")])], E_INVALID_PROPERTY,
        "DeviceAllow")
    add("DeviceAllow with bad access", [("DeviceAllow", "a(ss)", [("/dev/null", "rwz")])], E_INVALID_PROPERTY,
        "DeviceAllow")
    # network filters (AF_INET 2, AF_INET6 10)
    add("IPAddressDeny of family AF_UNIX", [("IPAddressDeny", "a(iayu)", [(1, [127, 0, 0, 1], 8)])],
        E_INVALID_PROPERTY, "IPAddressDeny: address family 1")
    add("IPAddressAllow with a 5-byte IPv4 address", [("IPAddressAllow", "a(iayu)", [(2, [10, 0, 0, 0, 1], 8)])],
        E_INVALID_PROPERTY, "IPAddressAllow: address of 5 bytes")
    add("IPAddressDeny with a 4-byte IPv6 address", [("IPAddressDeny", "a(iayu)", [(10, [0, 0, 0, 1], 8)])],
        E_INVALID_PROPERTY, "IPAddressDeny: address of 4 bytes")
    add("IPAddressDeny with an address of 64 KiB", [("IPAddressDeny", "a(iayu)", [(10, [0] * 65536, 8)])],
        E_INVALID_PROPERTY, "IPAddressDeny: address of more than 16 bytes")
    add("IPAddressDeny=10.0.0.0/33", [("IPAddressDeny", "a(iayu)", [(2, [10, 0, 0, 0], 33)])],
        E_INVALID_PROPERTY, "IPAddressDeny: prefix length 33")
    add("IPAddressAllow=::/129", [("IPAddressAllow", "a(iayu)", [(10, [0] * 16, 129)])],
        E_INVALID_PROPERTY, "IPAddressAllow: prefix length 129")
    add("5,000 IPAddressDeny prefixes", [("IPAddressDeny", "a(iayu)", [(2, [10, i // 256 % 256, i % 256, 0], 24)
                                                                      for i in range(5000)])],
        E_INVALID_PROPERTY, "IPAddressDeny: more than")
    add("RestrictNetworkInterfaces with a slash", [("RestrictNetworkInterfaces", "(bas)", (True, ["lo", "a/b"]))],
        E_INVALID_PROPERTY, 'RestrictNetworkInterfaces: invalid interface name "a/b"')
    add("RestrictNetworkInterfaces=~123 (an index, not a name)", [("RestrictNetworkInterfaces", "(bas)", (False, ["123"]))],
        E_INVALID_PROPERTY, "RestrictNetworkInterfaces: invalid interface name")
    add("RestrictNetworkInterfaces name of 200 bytes", [("RestrictNetworkInterfaces", "(bas)", (False, ["x" * 200]))],
        E_INVALID_PROPERTY, "RestrictNetworkInterfaces: invalid interface name")
    add("RestrictNetworkInterfaces as a plain list", [("RestrictNetworkInterfaces", "as", ["lo"])],
        E_INVALID_PROPERTY, "RestrictNetworkInterfaces: expected signature")
    add("SocketBindDeny of family AF_UNIX", [("SocketBindDeny", "a(iiqq)", [(1, 0, 1, 80)])],
        E_INVALID_PROPERTY, "SocketBindDeny: address family 1")
    add("SocketBindAllow of protocol SCTP", [("SocketBindAllow", "a(iiqq)", [(0, 132, 1, 80)])],
        E_INVALID_PROPERTY, "SocketBindAllow: protocol 132")
    add("SocketBindDeny of port 0", [("SocketBindDeny", "a(iiqq)", [(2, 6, 1, 0)])],
        E_INVALID_PROPERTY, "SocketBindDeny: 1 ports from port 0")
    add("SocketBindDeny of ports 65535-65536", [("SocketBindDeny", "a(iiqq)", [(2, 6, 2, 65535)])],
        E_INVALID_PROPERTY, "SocketBindDeny: 2 ports from port 65535")
    add("SocketBindDeny of any port from port 80", [("SocketBindDeny", "a(iiqq)", [(0, 0, 0, 80)])],
        E_INVALID_PROPERTY, "SocketBindDeny: 0 ports from port 80")
    add("129 SocketBindDeny rules", [("SocketBindDeny", "a(iiqq)", [(0, 6, 1, 1000 + i) for i in range(129)])],
        E_INVALID_PROPERTY, "SocketBindDeny: more than 128 entries")
    add("NetworkNamespacePath relative", [("NetworkNamespacePath", "s", "run/netns/x")], E_INVALID_PROPERTY,
        "NetworkNamespacePath: \"run/netns/x\" is not an absolute path")
    add("NetworkNamespacePath with ..", [("NetworkNamespacePath", "s", "/run/netns/../../proc/1/ns/net")],
        E_INVALID_PROPERTY, "NetworkNamespacePath: \"/run/netns/../../proc/1/ns/net\" is not an absolute path")
    add("NetworkNamespacePath of a file that is no namespace", [("NetworkNamespacePath", "s", "/etc/passwd")],
        E_INVALID_PROPERTY, 'NetworkNamespacePath: "/etc/passwd" is no network namespace')
    add("NetworkNamespacePath of another process's namespace", [("NetworkNamespacePath", "s", "/proc/1/ns/net")],
        E_INVALID_PROPERTY, 'NetworkNamespacePath: cannot open "/proc/1/ns/net" as the caller (uid 65534)')
    add("NetworkNamespacePath of a missing file", [("NetworkNamespacePath", "s", "/run/netns/confine-none")],
        E_INVALID_PROPERTY, "NetworkNamespacePath: cannot open")
    add("IPAccounting as a string", [("IPAccounting", "s", "yes")], E_INVALID_PROPERTY, "IPAccounting")
    add("Profile that does not exist", [("Profile", "s", "no-such-profile")], E_INVALID_PROPERTY, "Profile")
    add("Profile with a slash", [("Profile", "s", "../../etc/passwd")], E_INVALID_PROPERTY, "Profile")

    # file descriptors
    add("an O_PATH fd as stdout", [("StandardOutputFileDescriptor", "h", f["opath"])], E_INVALID_PROPERTY,
        "StandardOutputFileDescriptor: O_PATH")
    add("an O_PATH fd as stdin", [("StandardInputFileDescriptor", "h", f["opath"])], E_INVALID_PROPERTY,
        "StandardInputFileDescriptor: O_PATH")
    add("a directory fd as stdin", [("StandardInputFileDescriptor", "h", f["dir"])], E_INVALID_PROPERTY,
        "StandardInputFileDescriptor: file descriptor refers to a directory")
    add("a read-only fd as stdout", [("StandardOutputFileDescriptor", "h", f["ro"])], E_INVALID_PROPERTY,
        "StandardOutputFileDescriptor: file descriptor is open for reading only")
    add("a write-only fd as stdin", [("StandardInputFileDescriptor", "h", f["wo"])], E_INVALID_PROPERTY,
        "StandardInputFileDescriptor: file descriptor is open for writing only")
    add("a directory fd in ExtraFileDescriptors", [("ExtraFileDescriptors", "a(hs)", [(f["dir"], "d")])],
        E_INVALID_PROPERTY, "ExtraFileDescriptors")
    add("an O_PATH fd in ExtraFileDescriptors", [("ExtraFileDescriptors", "a(hs)", [(f["opath"], "p")])],
        E_INVALID_PROPERTY, "ExtraFileDescriptors")
    add("ExtraFileDescriptors name with a colon", [("ExtraFileDescriptors", "a(hs)", [(f["ro"], "a:b")])],
        E_INVALID_PROPERTY, "ExtraFileDescriptors")
    add("ExtraFileDescriptors with an empty name", [("ExtraFileDescriptors", "a(hs)", [(f["ro"], "")])],
        E_INVALID_PROPERTY, "ExtraFileDescriptors")
    return T


def raw_call(conn, path, iface, method, params, fdlist=None):
    try:
        if fdlist is not None:
            conn.call_with_unix_fd_list_sync(BUS_NAME, path, iface, method, params, None, Gio.DBusCallFlags.NONE,
                                             10000, fdlist, None)
        else:
            conn.call_sync(BUS_NAME, path, iface, method, params, None, Gio.DBusCallFlags.NONE, 10000, None)
    except GLib.Error as e:
        raise ct._bus_error(e) from None


def other_cases(conn):
    """Calls other than a well-formed Spawn: (description, callable, error, needle)."""
    own, _ = ct.spawn(conn, ["/bin/sleep", "30"])
    C = [
        ("Spawn with signature (as)", lambda: raw_call(conn, MANAGER_PATH, MANAGER_IFACE, "Spawn",
                                                        GLib.Variant("(as)", (["/bin/true"],))),
         E_INVALID_ARGS, ""),
        ("Spawn with signature (sa(sv)t)", lambda: raw_call(conn, MANAGER_PATH, MANAGER_IFACE, "Spawn",
                                                             GLib.Variant("(sa(sv)t)", ("/bin/true", [], 0))),
         E_INVALID_ARGS, ""),
        ("Spawn with an fd index past the message's fds", lambda: raw_call(
            conn, MANAGER_PATH, MANAGER_IFACE, "Spawn",
            GLib.Variant("(asa(sv)t)", (["/bin/true"], [("StandardInputFileDescriptor", GLib.Variant("h", 3))], 0)),
            Gio.UnixFDList.new()),
         E_INVALID_PROPERTY, "StandardInputFileDescriptor"),
        ("GetJob of an id that does not exist", lambda: ct.get_job(conn, 987654321), E_NO_SUCH_JOB, "987654321"),
        ("GetJob of id 0", lambda: ct.get_job(conn, 0), E_NO_SUCH_JOB, ""),
        ("a call on a job path that does not exist", lambda: ct.wait_job(conn, "/org/confine/Confine1/job/987654321"),
         E_UNKNOWN_OBJECT, ""),
        ("Kill with signal 0", lambda: ct.kill_job(conn, own, 0), E_INVALID_ARGS, "signal"),
        ("Kill with signal 1000", lambda: ct.kill_job(conn, own, 1000), E_INVALID_ARGS, "signal"),
        ("Kill with a wrong signature", lambda: raw_call(conn, own, JOB_IFACE, "Kill", GLib.Variant("(s)", ("9",))),
         E_INVALID_ARGS, ""),
        ("GetTerminal on a job started without flag 4", lambda: raw_call(conn, own, JOB_IFACE, "GetTerminal", None),
         E_INVALID_ARGS, "flag 4"),
    ]
    return own, C


# The table's fixtures in /tmp, named after this run's daemon: parallel runs share /tmp.
FIXTURE_PREFIX = "confine-bad.%s." % os.environ.get("CONFINE_DAEMON_PID", "")
NOBODY_RUN = "/run/user/%d" % ct.NOBODY_UID


def nobody_main():
    """The table, as uid 65534. Prints TAP test lines (no plan) on stdout."""
    signal.alarm(540)  # 20 s on the build host; the table takes over 240 s in the TCG VM, whose suites get 600 s
    conn = ct.connect()
    n = 0
    tmp = tempfile.mkdtemp(prefix=FIXTURE_PREFIX)
    os.chmod(tmp, 0o755)
    link_root = os.path.join(tmp, "link-to-root")
    os.symlink("/root", link_root)
    mnt = os.path.join(tmp, "mnt")
    open(mnt, "w").close()
    mntdir = os.path.join(tmp, "mntdir")
    os.mkdir(mntdir)
    evil_root = os.path.join(tmp, "evil-root")
    os.mkdir(evil_root, 0o755)
    os.symlink("/root", os.path.join(evil_root, "run"))
    r, w = os.pipe()
    fixtures = {
        "opath": os.open("/etc", os.O_PATH),
        "dir": os.open("/etc", os.O_RDONLY | os.O_DIRECTORY),
        "ro": r, "wo": w,
        "link_root": link_root, "mnt": mnt, "mntdir": mntdir, "evil_root": evil_root,
    }

    def report(desc, ok, diag=""):
        nonlocal n
        n += 1
        print("%s %d - %s" % ("ok" if ok else "not ok", n, desc), flush=True)
        if not ok:
            for line in diag.splitlines():
                print("#   " + line, flush=True)

    def check(desc, fn, error, needle):
        before = ct.njobs(conn)
        try:
            fn()
            report(desc, False, "accepted, expected %s" % error)
            return
        except ct.BusError as e:
            got = (e.name, e.message)
        after = ct.njobs(conn)
        good = got[0] == error and needle in got[1] and after == before
        report("%s → %s%s" % (desc, error.rsplit(".", 1)[-1], " naming %r" % needle if needle else ""), good,
               "got %s: %s\nNJobs %d → %d" % (got[0], got[1], before, after))

    def check_analyze(desc, argv, props, flags, error, needle):
        """Analyze gets Spawn's error for what Spawn refuses before polkit; what polkit or the sandbox
        would refuse, it reports: the action, or a caller path that would fail as a finding."""
        before = ct.njobs(conn)
        try:
            a = ct.analyze(conn, argv, props, flags, timeout=30)
        except ct.BusError as e:
            good = error not in (E_SPAWN_FAILED,) and not (error == E_NEEDS_ADMIN and needle == PRIVILEGED) and \
                e.name == error and needle in e.message and ct.njobs(conn) == before
            report("Analyze: %s → %s" % (desc, error.rsplit(".", 1)[-1]), good, "got %s: %s" % (e.name, e.message))
            return
        if error == E_NEEDS_ADMIN and needle == PRIVILEGED:
            report("Analyze: %s → action %s" % (desc, PRIVILEGED), a["action"] == PRIVILEGED, "got %r" % a["action"])
            return
        if error != E_SPAWN_FAILED:
            report("Analyze: %s → %s" % (desc, error.rsplit(".", 1)[-1]), False, "accepted: %r" % (a,))
            return
        name = props[0][0] if props else ""
        if desc.startswith("argv[0]"):
            found = [f for f in a["findings"] if f[0] == "unresolvable-path" and f[1] == "argv"]
            report("Analyze: %s → finding unresolvable-path argv" % desc, bool(found) and ct.njobs(conn) == before,
                   "findings: %r" % (a["findings"],))
        elif name in CALLER_PATH_PROPERTIES and "mount point" not in needle:
            found = [f for f in a["findings"] if f[0] == "unresolvable-path" and f[1] == name]
            report("Analyze: %s → finding unresolvable-path %s" % (desc, name), bool(found) and ct.njobs(conn) == before,
                   "findings: %r" % (a["findings"],))
        else:
            report("Analyze: %s → accepted, nothing started" % desc, ct.njobs(conn) == before)

    for desc, argv, props, flags, error, needle in table(fixtures):
        check(desc, lambda: ct.spawn(conn, argv, props, flags, timeout=30), error, needle)
        check_analyze(desc, argv, props, flags, error, needle)
    own, others = other_cases(conn)
    for desc, fn, error, needle in others:
        check(desc, fn, error, needle)
    ct.kill_job(conn, own, 9)
    ct.wait_job(conn, own)
    conn.close_sync(None)
    for fd in (fixtures["opath"], fixtures["dir"], r, w):
        os.close(fd)
    os.unlink(link_root)
    os.unlink(mnt)
    os.rmdir(mntdir)
    os.unlink(os.path.join(evil_root, "run"))
    os.rmdir(evil_root)
    os.rmdir(tmp)


def snapshot():
    def listing(d):
        try:
            return set(os.listdir(d))
        except FileNotFoundError:
            return set()

    def ours(d):
        """What a job (uid 65534) or the table's own fixtures could have left; other programs
        (other test runs too) share /tmp."""
        found = set()
        for name in listing(d):
            try:
                if name.startswith(FIXTURE_PREFIX) or os.lstat(os.path.join(d, name)).st_uid == ct.NOBODY_UID:
                    found.add(name)
            except FileNotFoundError:
                pass
        return found
    # Processes of this daemon's jobs (other test runs may have uid 65534 processes of their own).
    procs = set(ct.job_cgroup_pids())
    dpid = os.environ["CONFINE_DAEMON_PID"]
    dyn = set(os.listdir("/run/confine/dynamic-uid")) if os.path.isdir("/run/confine/dynamic-uid") else set()
    return {"tmp": ours("/tmp"), "shm": ours("/dev/shm"), "jobs": procs, "dynamic": dyn,
            "fds": len(os.listdir("/proc/%s/fd" % dpid)),
            "cgroups": sorted(d for d in listing(ct.job_cgroup_dir() or "/nonexistent") if d.startswith("job-"))}


def main():
    tap = ct.Tap(timeout=580)
    conn = ct.connect()
    before = snapshot()
    p = subprocess.Popen(SETPRIV_NOBODY + [sys.executable, os.path.abspath(__file__), "nobody"],
                         stdout=subprocess.PIPE, text=True, env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
    cases = 0
    for line in p.stdout:
        line = line.rstrip("\n")
        if line.startswith("ok ") or line.startswith("not ok "):
            cases += 1
            ok = line.startswith("ok ")
            tap.ok(ok, line.split(" - ", 1)[1])
        else:
            print(line)
    rc = p.wait()
    with tap.case("the uid 65534 client ran the whole table (at least 60 cases)"):
        tap.eq(rc, 0, "client exit status")
        tap.check(cases >= 60, "%d cases" % cases)
    with tap.case("nothing left behind: NJobs 0, no job process or cgroup, no uid 65534 file in /tmp or /dev/shm"):
        # Generous for slow CPUs (the TCG VM): it returns as soon as all is gone.
        ct.poll_until(lambda: ct.njobs(conn) == 0 and not snapshot()["cgroups"], 30)
        after = snapshot()
        tap.eq(ct.njobs(conn), 0, "NJobs")
        tap.eq(after["jobs"], set(), "processes in job cgroups")
        tap.eq(after["cgroups"], [], "job cgroups")
        tap.eq(after["tmp"] - before["tmp"], set(), "new files in /tmp")
        tap.eq(after["shm"] - before["shm"], set(), "new files in /dev/shm")
        tap.eq([d for d in ("/var/lib/confine-bad-input", "/var/lib/x", NOBODY_RUN + "/confine-bad-input-rt")
                if os.path.lexists(d)], [], "directories the StateDirectory= and RuntimeDirectory= rows named")
        tap.eq(after["dynamic"] - before["dynamic"], set(), "new DynamicUser= registry entries")
    with tap.case("the daemon is alive and holds no more fds than before"):
        tap.check(ct.daemon_alive(), "confined is alive")
        ct.poll_until(lambda: snapshot()["fds"] <= before["fds"], 5)
        tap.check(snapshot()["fds"] <= before["fds"], "fds: %d before, %d after" % (before["fds"], snapshot()["fds"]))
    tap.done()


if __name__ == "__main__":
    if sys.argv[1:] == ["nobody"]:
        nobody_main()
    else:
        main()

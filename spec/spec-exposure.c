/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The checks of `systemd-analyze security` as systemd 252 has them (names, weights, ranges and the
 * score), judged on a SandboxSpec. A check reads the spec through the property tables where it can
 * (a yes/no property is found by name in SPEC_SWITCHES), so a property added there is judged by its
 * check at once; a check no confine property decides is `fixed`, judged on what confine always does. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/capability.h>
#include <linux/sched.h>

#include "cap-names.h"
#include "macro.h"
#include "spec-exposure.h"
#include "spec-fields.h"
#include "strv.h"
#include "syscall-groups.h"

#define NOBODY_UID 65534

typedef struct ExposureRow ExposureRow;

/* Returns the badness (0 … range, or EXPOSURE_NOT_APPLICABLE) and may write a description. */
typedef uint32_t (*ExposureAssess)(const ExposureRow *row, const SandboxSpec *s, ExposureCheck *c);

struct ExposureRow {
        const char *name;
        uint32_t weight, range;
        ExposureAssess assess;
        const char *good, *bad;  /* the descriptions of badness 0 and of badness == range */
        const char *property;    /* assess_switch: the SPEC_SWITCHES name; assess_syscall_filter: the @group */
        uint64_t parameter;      /* a capability mask, a CLONE_NEW* flag, an address family kind, a badness */
        bool fixed;              /* no confine property decides it */
};

static void describe(ExposureCheck *c, const char *fmt, ...) _printf_(2, 3);
static void describe(ExposureCheck *c, const char *fmt, ...) {
        va_list ap;

        va_start(ap, fmt);
        (void) vsnprintf(c->description, sizeof c->description, fmt, ap);
        va_end(ap);
}

/* A yes/no property of SPEC_SWITCHES, yes being good. One this build does not have is off. */
static uint32_t assess_switch(const ExposureRow *row, const SandboxSpec *s, ExposureCheck *c) {
        const SpecField *f = spec_switch_lookup(row->property);

        c->fixed = !f;
        return f && spec_switch_get(s, f) ? 0 : 1;
}

/* What confine does without being asked: parameter is the badness. */
static uint32_t assess_fixed(const ExposureRow *row, const SandboxSpec *s, ExposureCheck *c) {
        return (uint32_t) row->parameter;
}

static uint32_t assess_user(const ExposureRow *row, const SandboxSpec *s, ExposureCheck *c) {
        if (s->dynamic_user) {
                describe(c, "Service runs under a transient non-root user identity");
                return 0;
        }
        if (s->uid == 0) {
                describe(c, "Service runs as root user");
                return 10;
        }
        if (s->uid == NOBODY_UID) {
                describe(c, "Service runs under as 'nobody' user, which should not be used for services");
                return 9;
        }
        describe(c, "Service runs under a static non-root user identity");
        return 0;
}

static uint32_t assess_supplementary_groups(const ExposureRow *row, const SandboxSpec *s, ExposureCheck *c) {
        if (s->uid == 0) {
                describe(c, "Service runs as root, option does not matter");
                return EXPOSURE_NOT_APPLICABLE;
        }
        return s->supplementary_groups && s->supplementary_groups[0];
}

/* A job gets a mount namespace of its own, with / made private, only when a property asks for one. */
static uint32_t assess_private_mounts(const ExposureRow *row, const SandboxSpec *s, ExposureCheck *c) {
        return !sandbox_spec_needs_mount_namespace(s);
}

static uint32_t assess_protect_home(const ExposureRow *row, const SandboxSpec *s, ExposureCheck *c) {
        switch (s->protect_home) {
        case PROTECT_HOME_YES:
                describe(c, "Service has no access to home directories");
                return 0;
        case PROTECT_HOME_READ_ONLY:
                describe(c, "Service has read-only access to home directories");
                return 5;
        case PROTECT_HOME_TMPFS:
                describe(c, "Service has access to fake empty home directories");
                return 1;
        default:
                describe(c, "Service has full access to home directories");
                return 10;
        }
}

static uint32_t assess_protect_system(const ExposureRow *row, const SandboxSpec *s, ExposureCheck *c) {
        switch (s->protect_system) {
        case PROTECT_SYSTEM_STRICT:
                describe(c, "Service has strict read-only access to the OS file hierarchy");
                return 0;
        case PROTECT_SYSTEM_FULL:
                describe(c, "Service has very limited write access to the OS file hierarchy");
                return 3;
        case PROTECT_SYSTEM_YES:
                describe(c, "Service has limited write access to the OS file hierarchy");
                return 5;
        default:
                describe(c, "Service has full access to the OS file hierarchy");
                return 10;
        }
}

static uint32_t assess_root_directory(const ExposureRow *row, const SandboxSpec *s, ExposureCheck *c) {
        return !s->root_directory || streq(s->root_directory, "/");
}

static uint32_t assess_no_new_privileges(const ExposureRow *row, const SandboxSpec *s, ExposureCheck *c) {
        return s->no_new_privileges != 1;
}

static uint32_t assess_bounding_set(const ExposureRow *row, const SandboxSpec *s, ExposureCheck *c) {
        return !!(s->capability_bounding_set & row->parameter);
}

static uint32_t assess_ambient(const ExposureRow *row, const SandboxSpec *s, ExposureCheck *c) {
        return s->ambient_capabilities != 0;
}

static uint32_t assess_umask(const ExposureRow *row, const SandboxSpec *s, ExposureCheck *c) {
        int m = s->umask < 0 ? 0022 : s->umask;

        if (!(m & 0002)) {
                describe(c, "Files created by service are world-writable by default");
                return 10;
        }
        if (!(m & 0004)) {
                describe(c, "Files created by service are world-readable by default");
                return 5;
        }
        if (!(m & 0020)) {
                describe(c, "Files created by service are group-writable by default");
                return 2;
        }
        if (!(m & 0040)) {
                describe(c, "Files created by service are group-readable by default");
                return 1;
        }
        describe(c, "Files created by service are accessible only by service's own user by default");
        return 0;
}

static uint32_t assess_protect_proc(const ExposureRow *row, const SandboxSpec *s, ExposureCheck *c) {
        switch (s->protect_proc) {
        case PROTECT_PROC_INVISIBLE:
        case PROTECT_PROC_PTRACEABLE:
                return 0;
        case PROTECT_PROC_NOACCESS:
                describe(c, "Service has some access to the process tree (/proc hidepid=noaccess)");
                return 1;
        default:
                return 3;
        }
}

static uint32_t assess_proc_subset(const ExposureRow *row, const SandboxSpec *s, ExposureCheck *c) {
        return s->proc_subset != PROC_SUBSET_PID;
}

/* confine does not remove a user's IPC objects; with PrivateIPC= they go with the job's namespace. */
static uint32_t assess_remove_ipc(const ExposureRow *row, const SandboxSpec *s, ExposureCheck *c) {
        if (s->uid == 0) {
                describe(c, "Service runs as root, option does not apply");
                return EXPOSURE_NOT_APPLICABLE;
        }
        if (s->private_ipc) {
                describe(c, "Service's SysV IPC objects go with its IPC namespace (PrivateIPC=)");
                return 0;
        }
        return 1;
}

static uint32_t assess_restrict_namespaces(const ExposureRow *row, const SandboxSpec *s, ExposureCheck *c) {
        return !!(s->restrict_namespaces & row->parameter);
}

/* As systemd reads RestrictAddressFamilies=: an allow-list restricts every kind it does not name, a
 * deny-list the kinds it names ("other" as soon as it names one exotic family). */
enum { AF_KIND_INET, AF_KIND_UNIX, AF_KIND_NETLINK, AF_KIND_PACKET, AF_KIND_OTHER };

static int af_kind(int family) {
        switch (family) {
        case AF_INET:
        case AF_INET6:
                return AF_KIND_INET;
        case AF_UNIX:
                return AF_KIND_UNIX;
        case AF_NETLINK:
                return AF_KIND_NETLINK;
        case AF_PACKET:
                return AF_KIND_PACKET;
        default:
                return AF_KIND_OTHER;
        }
}

static bool address_kind_restricted(const SandboxSpec *s, int kind) {
        bool restricted;

        if (s->address_family_mode < 0)
                return false;
        restricted = s->address_family_mode == 1;
        for (size_t i = 0; i < s->n_address_families; i++)
                if (af_kind(s->address_families[i]) == kind)
                        restricted = s->address_family_mode != 1;
        return restricted;
}

static uint32_t assess_address_families(const ExposureRow *row, const SandboxSpec *s, ExposureCheck *c) {
        return !address_kind_restricted(s, (int) row->parameter);
}

static uint32_t assess_architectures(const ExposureRow *row, const SandboxSpec *s, ExposureCheck *c) {
        if (s->syscall_native_only) {
                describe(c, "Service may execute system calls only with native ABI");
                return 0;
        }
        describe(c, "Service may execute system calls with all ABIs");
        return 10;
}

/* An allow-list is bad when it lets one call of the group through, a deny-list when it misses one. */
static uint32_t assess_syscall_filter(const ExposureRow *row, const SandboxSpec *s, ExposureCheck *c) {
        _cleanup_strv_free_ char **members = NULL;
        const char *group = row->property;
        bool allow = s->syscall_filter_mode == 1;

        if (s->syscall_filter_mode < 0) {
                describe(c, "Service does not filter system calls");
                return 10;
        }
        if (syscall_group_expand(group, &members) < 0) {
                describe(c, "%s is unknown to this build", group);
                return 10;
        }
        STRV_FOREACH(m, members)
                if (strv_contains(s->syscall_names, *m) == allow) {
                        if (allow) {
                                describe(c, "System call allow list defined for service, and %s is included "
                                         "(e.g. %s is allowed)", group, *m);
                                return 9;
                        }
                        describe(c, "System call deny list defined for service, and %s is not included "
                                 "(e.g. %s is allowed)", group, *m);
                        return 10;
                }
        describe(c, "System call %s list defined for service, and %s is %s", allow ? "allow" : "deny", group,
                 allow ? "not included" : "included");
        return 0;
}

/* systemd's PrivateDevices= implies DevicePolicy=closed; confine's gives a /dev with the same nodes. */
static uint32_t assess_device_allow(const ExposureRow *row, const SandboxSpec *s, ExposureCheck *c) {
        if (s->device_policy == DEVICE_POLICY_AUTO && !s->private_devices) {
                describe(c, "Service has no device ACL");
                return 10;
        }
        if (s->n_device_allow > 0) {
                describe(c, "Service has a device ACL with some special devices");
                return 5;
        }
        describe(c, "Service has a minimal device ACL");
        return 0;
}

/* As systemd-analyze: "deny all" is a /0 of each family in IPAddressDeny=; then what is allowed,
 * localhost (127.0.0.0/8, ::1/128) being the lesser exposure. */
static uint32_t assess_ip_address_deny(const ExposureRow *row, const SandboxSpec *s, ExposureCheck *c) {
        bool deny4 = false, deny6 = false, allow_localhost = false, allow_other = false;

        for (size_t i = 0; i < s->n_ip_address_deny; i++)
                if (s->ip_address_deny[i].prefixlen == 0) {
                        deny4 = deny4 || s->ip_address_deny[i].family == AF_INET;
                        deny6 = deny6 || s->ip_address_deny[i].family == AF_INET6;
                }
        for (size_t i = 0; i < s->n_ip_address_allow; i++) {
                const IPAddressPrefix *p = s->ip_address_allow + i;
                bool localhost = p->family == AF_INET ? p->address[0] == 127 && p->prefixlen >= 8 :
                                 p->prefixlen == 128 && p->address[15] == 1 &&
                                 memcmp(p->address, (const uint8_t[15]) {}, 15) == 0;
                if (localhost)
                        allow_localhost = true;
                else
                        allow_other = true;
        }
        if (!deny4 || !deny6) {
                describe(c, "Service does not define an IP address allow list");
                return 10;
        }
        if (allow_other) {
                describe(c, "Service defines IP address allow list with non-localhost entries");
                return 5;
        }
        if (allow_localhost) {
                describe(c, "Service defines IP address allow list with only localhost entries");
                return 2;
        }
        describe(c, "Service blocks all IP address ranges");
        return 0;
}

#define CAP(x) (UINT64_C(1) << (x))
#define SWITCH(id, w, prop, g, b) \
        { .name = id, .weight = w, .range = 1, .assess = assess_switch, .property = prop, .good = g, .bad = b }
#define BOUNDING(id, w, mask, g, b) \
        { .name = id, .weight = w, .range = 1, .assess = assess_bounding_set, .parameter = (mask), .good = g, .bad = b }
#define NAMESPACE(id, w, flag, what) \
        { .name = id, .weight = w, .range = 1, .assess = assess_restrict_namespaces, .parameter = (flag), \
          .good = "Service cannot create " what " namespaces", .bad = "Service may create " what " namespaces" }
#define FAMILY(id, w, kind, what) \
        { .name = id, .weight = w, .range = 1, .assess = assess_address_families, .parameter = (kind), \
          .good = "Service cannot allocate " what " sockets", .bad = "Service may allocate " what " sockets" }
#define FILTER(group, w) \
        { .name = "SystemCallFilter=~" group, .weight = w, .range = 10, .assess = assess_syscall_filter, .property = group }

static const ExposureRow exposure_rows[] = {
        { .name = "User=/DynamicUser=", .weight = 2000, .range = 10, .assess = assess_user },
        { .name = "SupplementaryGroups=", .weight = 200, .range = 1, .assess = assess_supplementary_groups,
          .good = "Service has no supplementary groups", .bad = "Service runs with supplementary groups" },
        SWITCH("PrivateDevices=", 1000, "PrivateDevices", "Service has no access to hardware devices",
               "Service potentially has access to hardware devices"),
        { .name = "PrivateMounts=", .weight = 1000, .range = 1, .assess = assess_private_mounts, .fixed = true,
          .good = "Service cannot install system mounts", .bad = "Service may install system mounts" },
        SWITCH("PrivateNetwork=", 2500, "PrivateNetwork", "Service has no access to the host's network",
               "Service has access to the host's network"),
        SWITCH("PrivateTmp=", 1000, "PrivateTmp", "Service has no access to other software's temporary files",
               "Service has access to other software's temporary files"),
        SWITCH("PrivateUsers=", 1000, "PrivateUsers", "Service does not have access to other users",
               "Service has access to other users"),
        SWITCH("ProtectControlGroups=", 1000, "ProtectControlGroups", "Service cannot modify the control group file system",
               "Service may modify the control group file system"),
        SWITCH("ProtectKernelModules=", 1000, "ProtectKernelModules", "Service cannot load or read kernel modules",
               "Service may load or read kernel modules"),
        SWITCH("ProtectKernelTunables=", 1000, "ProtectKernelTunables", "Service cannot alter kernel tunables (/proc/sys, …)",
               "Service may alter kernel tunables"),
        SWITCH("ProtectKernelLogs=", 1000, "ProtectKernelLogs",
               "Service cannot read from or write to the kernel log ring buffer",
               "Service may read from or write to the kernel log ring buffer"),
        SWITCH("ProtectClock=", 1000, "ProtectClock", "Service cannot write to the hardware clock or system clock",
               "Service may write to the hardware clock or system clock"),
        { .name = "ProtectHome=", .weight = 1000, .range = 10, .assess = assess_protect_home },
        SWITCH("ProtectHostname=", 50, "ProtectHostname", "Service cannot change system host/domainname",
               "Service may change system host/domainname"),
        { .name = "ProtectSystem=", .weight = 1000, .range = 10, .assess = assess_protect_system },
        { .name = "RootDirectory=/RootImage=", .weight = 200, .range = 1, .assess = assess_root_directory,
          .good = "Service has its own root directory/image", .bad = "Service runs within the host's root directory" },
        SWITCH("LockPersonality=", 100, "LockPersonality", "Service cannot change ABI personality",
               "Service may change ABI personality"),
        SWITCH("MemoryDenyWriteExecute=", 100, "MemoryDenyWriteExecute",
               "Service cannot create writable executable memory mappings",
               "Service may create writable executable memory mappings"),
        { .name = "NoNewPrivileges=", .weight = 1000, .range = 1, .assess = assess_no_new_privileges,
          .good = "Service processes cannot acquire new privileges", .bad = "Service processes may acquire new privileges" },
        BOUNDING("CapabilityBoundingSet=~CAP_SYS_ADMIN", 1500, CAP(CAP_SYS_ADMIN),
                 "Service has no administrator privileges", "Service has administrator privileges"),
        BOUNDING("CapabilityBoundingSet=~CAP_SET(UID|GID|PCAP)", 1500, CAP(CAP_SETUID) | CAP(CAP_SETGID) | CAP(CAP_SETPCAP),
                 "Service cannot change UID/GID identities/capabilities",
                 "Service may change UID/GID identities/capabilities"),
        BOUNDING("CapabilityBoundingSet=~CAP_SYS_PTRACE", 1500, CAP(CAP_SYS_PTRACE),
                 "Service has no ptrace() debugging abilities", "Service has ptrace() debugging abilities"),
        BOUNDING("CapabilityBoundingSet=~CAP_SYS_TIME", 1000, CAP(CAP_SYS_TIME),
                 "Service processes cannot change the system clock", "Service processes may change the system clock"),
        BOUNDING("CapabilityBoundingSet=~CAP_NET_ADMIN", 1000, CAP(CAP_NET_ADMIN),
                 "Service has no network configuration privileges", "Service has network configuration privileges"),
        BOUNDING("CapabilityBoundingSet=~CAP_SYS_RAWIO", 1000, CAP(CAP_SYS_RAWIO),
                 "Service has no raw I/O access", "Service has raw I/O access"),
        BOUNDING("CapabilityBoundingSet=~CAP_SYS_MODULE", 1000, CAP(CAP_SYS_MODULE),
                 "Service cannot load kernel modules", "Service may load kernel modules"),
        BOUNDING("CapabilityBoundingSet=~CAP_AUDIT_*", 500, CAP(CAP_AUDIT_CONTROL) | CAP(CAP_AUDIT_READ) | CAP(CAP_AUDIT_WRITE),
                 "Service has no audit subsystem access", "Service has audit subsystem access"),
        BOUNDING("CapabilityBoundingSet=~CAP_SYSLOG", 500, CAP(CAP_SYSLOG),
                 "Service has no access to kernel logging", "Service has access to kernel logging"),
        BOUNDING("CapabilityBoundingSet=~CAP_SYS_(NICE|RESOURCE)", 500, CAP(CAP_SYS_NICE) | CAP(CAP_SYS_RESOURCE),
                 "Service has no privileges to change resource use parameters",
                 "Service has privileges to change resource use parameters"),
        BOUNDING("CapabilityBoundingSet=~CAP_MKNOD", 500, CAP(CAP_MKNOD),
                 "Service cannot create device nodes", "Service may create device nodes"),
        BOUNDING("CapabilityBoundingSet=~CAP_(CHOWN|FSETID|SETFCAP)", 1000, CAP(CAP_CHOWN) | CAP(CAP_FSETID) | CAP(CAP_SETFCAP),
                 "Service cannot change file ownership/access mode/capabilities",
                 "Service may change file ownership/access mode/capabilities unrestricted"),
        BOUNDING("CapabilityBoundingSet=~CAP_(DAC_*|FOWNER|IPC_OWNER)", 1000,
                 CAP(CAP_DAC_OVERRIDE) | CAP(CAP_DAC_READ_SEARCH) | CAP(CAP_FOWNER) | CAP(CAP_IPC_OWNER),
                 "Service cannot override UNIX file/IPC permission checks",
                 "Service may override UNIX file/IPC permission checks"),
        BOUNDING("CapabilityBoundingSet=~CAP_KILL", 500, CAP(CAP_KILL),
                 "Service cannot send UNIX signals to arbitrary processes",
                 "Service may send UNIX signals to arbitrary processes"),
        BOUNDING("CapabilityBoundingSet=~CAP_NET_(BIND_SERVICE|BROADCAST|RAW)", 500,
                 CAP(CAP_NET_BIND_SERVICE) | CAP(CAP_NET_BROADCAST) | CAP(CAP_NET_RAW),
                 "Service has no elevated networking privileges", "Service has elevated networking privileges"),
        BOUNDING("CapabilityBoundingSet=~CAP_SYS_BOOT", 100, CAP(CAP_SYS_BOOT),
                 "Service cannot issue reboot()", "Service may issue reboot()"),
        BOUNDING("CapabilityBoundingSet=~CAP_MAC_*", 100, CAP(CAP_MAC_ADMIN) | CAP(CAP_MAC_OVERRIDE),
                 "Service cannot adjust SMACK MAC", "Service may adjust SMACK MAC"),
        BOUNDING("CapabilityBoundingSet=~CAP_LINUX_IMMUTABLE", 75, CAP(CAP_LINUX_IMMUTABLE),
                 "Service cannot mark files immutable", "Service may mark files immutable"),
        BOUNDING("CapabilityBoundingSet=~CAP_IPC_LOCK", 50, CAP(CAP_IPC_LOCK),
                 "Service cannot lock memory into RAM", "Service may lock memory into RAM"),
        BOUNDING("CapabilityBoundingSet=~CAP_SYS_CHROOT", 50, CAP(CAP_SYS_CHROOT),
                 "Service cannot issue chroot()", "Service may issue chroot()"),
        BOUNDING("CapabilityBoundingSet=~CAP_BLOCK_SUSPEND", 25, CAP(CAP_BLOCK_SUSPEND),
                 "Service cannot establish wake locks", "Service may establish wake locks"),
        BOUNDING("CapabilityBoundingSet=~CAP_WAKE_ALARM", 25, CAP(CAP_WAKE_ALARM),
                 "Service cannot program timers that wake up the system",
                 "Service may program timers that wake up the system"),
        BOUNDING("CapabilityBoundingSet=~CAP_LEASE", 25, CAP(CAP_LEASE),
                 "Service cannot create file leases", "Service may create file leases"),
        BOUNDING("CapabilityBoundingSet=~CAP_SYS_TTY_CONFIG", 25, CAP(CAP_SYS_TTY_CONFIG),
                 "Service cannot issue vhangup()", "Service may issue vhangup()"),
        BOUNDING("CapabilityBoundingSet=~CAP_SYS_PACCT", 25, CAP(CAP_SYS_PACCT),
                 "Service cannot use acct()", "Service may use acct()"),
        BOUNDING("CapabilityBoundingSet=~CAP_BPF", 25, CAP(CAP_BPF),
                 "Service may not load BPF programs", "Service may load BPF programs"),
        { .name = "UMask=", .weight = 100, .range = 10, .assess = assess_umask },
        /* Jobs keep the session keyring confined was started with: all jobs share it. */
        { .name = "KeyringMode=", .weight = 1000, .range = 1, .assess = assess_fixed, .parameter = 1, .fixed = true,
          .good = "Service doesn't share key material with other services",
          .bad = "Service shares key material with other service" },
        { .name = "ProtectProc=", .weight = 1000, .range = 3, .assess = assess_protect_proc,
          .good = "Service has restricted access to process tree (/proc hidepid=)",
          .bad = "Service has full access to process tree (/proc hidepid=)" },
        { .name = "ProcSubset=", .weight = 10, .range = 1, .assess = assess_proc_subset,
          .good = "Service has no access to non-process /proc files (/proc subset=)",
          .bad = "Service has full access to non-process /proc files (/proc subset=)" },
        { .name = "NotifyAccess=", .weight = 1000, .range = 1, .assess = assess_fixed, .parameter = 0, .fixed = true,
          .good = "Service child processes cannot alter service state",
          .bad = "Service child processes may alter service state" },
        { .name = "RemoveIPC=", .weight = 100, .range = 1, .assess = assess_remove_ipc, .fixed = true,
          .good = "Service user cannot leave SysV IPC objects around",
          .bad = "Service user may leave SysV IPC objects around" },
        { .name = "Delegate=", .weight = 100, .range = 1, .assess = assess_fixed, .parameter = 0, .fixed = true,
          .good = "Service does not maintain its own delegated control group subtree",
          .bad = "Service maintains its own delegated control group subtree" },
        SWITCH("RestrictRealtime=", 500, "RestrictRealtime", "Service realtime scheduling access is restricted",
               "Service may acquire realtime scheduling"),
        SWITCH("RestrictSUIDSGID=", 1000, "RestrictSUIDSGID", "SUID/SGID file creation by service is restricted",
               "Service may create SUID/SGID files"),
        NAMESPACE("RestrictNamespaces=~user", 1500, CLONE_NEWUSER, "user"),
        NAMESPACE("RestrictNamespaces=~mnt", 500, CLONE_NEWNS, "file system"),
        NAMESPACE("RestrictNamespaces=~ipc", 500, CLONE_NEWIPC, "IPC"),
        NAMESPACE("RestrictNamespaces=~pid", 500, CLONE_NEWPID, "process"),
        NAMESPACE("RestrictNamespaces=~cgroup", 500, CLONE_NEWCGROUP, "cgroup"),
        NAMESPACE("RestrictNamespaces=~net", 500, CLONE_NEWNET, "network"),
        NAMESPACE("RestrictNamespaces=~uts", 100, CLONE_NEWUTS, "hostname"),
        FAMILY("RestrictAddressFamilies=~AF_(INET|INET6)", 1500, AF_KIND_INET, "Internet"),
        FAMILY("RestrictAddressFamilies=~AF_UNIX", 25, AF_KIND_UNIX, "local"),
        FAMILY("RestrictAddressFamilies=~AF_NETLINK", 200, AF_KIND_NETLINK, "netlink"),
        FAMILY("RestrictAddressFamilies=~AF_PACKET", 1000, AF_KIND_PACKET, "packet"),
        FAMILY("RestrictAddressFamilies=~…", 1250, AF_KIND_OTHER, "exotic"),
        { .name = "SystemCallArchitectures=", .weight = 1000, .range = 10, .assess = assess_architectures },
        FILTER("@swap", 1000), FILTER("@obsolete", 250), FILTER("@clock", 1000), FILTER("@cpu-emulation", 250),
        FILTER("@debug", 1000), FILTER("@mount", 1000), FILTER("@module", 1000), FILTER("@raw-io", 1000),
        FILTER("@reboot", 1000), FILTER("@privileged", 700), FILTER("@resources", 700),
        { .name = "IPAddressDeny=", .weight = 1000, .range = 10, .assess = assess_ip_address_deny },
        { .name = "DeviceAllow=", .weight = 1000, .range = 10, .assess = assess_device_allow },
        { .name = "AmbientCapabilities=", .weight = 500, .range = 1, .assess = assess_ambient,
          .good = "Service process does not receive ambient capabilities",
          .bad = "Service process receives ambient capabilities" },
};

size_t exposure_checks_count(void) {
        return ELEMENTSOF(exposure_rows);
}

static uint64_t div_round_up(uint64_t a, uint64_t b) {
        return (a + b - 1) / b;
}

void exposure_report_add_finding(ExposureReport *r, const char *id, const char *property, const char *fmt, ...) {
        ExposureFinding *f;
        va_list ap;

        if (r->n_findings >= EXPOSURE_FINDINGS_MAX)
                return;
        f = &r->findings[r->n_findings++];
        f->id = id;
        (void) snprintf(f->property, sizeof f->property, "%s", property);
        va_start(ap, fmt);
        (void) vsnprintf(f->description, sizeof f->description, fmt, ap);
        va_end(ap);
}

/* Whether path (absolute, simplified) is path_prefix or below it. */
static bool path_is_below(const char *path, const char *prefix) {
        size_t n = strlen(prefix);

        if (streq(prefix, "/"))
                return true;
        while (n > 1 && prefix[n - 1] == '/')
                n--;
        return strneq(path, prefix, n) && (path[n] == '/' || path[n] == 0);
}

/* What hides the bus socket from the job: a path made inaccessible, a tmpfs over it, another root,
 * or no AF_UNIX sockets. Binds and read-only mounts do not: connect() needs only write access. */
static const char *bus_socket_hidden_by(const SandboxSpec *s, const char *socket) {
        if (address_kind_restricted(s, AF_KIND_UNIX))
                return "RestrictAddressFamilies";
        if (s->root_directory && !streq(s->root_directory, "/"))
                return "RootDirectory";
        for (size_t i = 0; i < s->n_inaccessible_paths; i++)
                if (!s->inaccessible_paths[i].below_root && path_is_below(socket, s->inaccessible_paths[i].path))
                        return "InaccessiblePaths";
        for (size_t i = 0; i < s->n_temporary_filesystems; i++)
                if (path_is_below(socket, s->temporary_filesystems[i].path))
                        return "TemporaryFileSystem";
        return NULL;
}

static void add_broker_findings(const SandboxSpec *s, char * const *bus_socket_paths, ExposureReport *r) {
        if (!s->private_pids)
                exposure_report_add_finding(r, "signal-other-processes", "PrivatePIDs",
                                            "The job can signal%s the other processes of uid %u, also outside "
                                            "confine: it has no PID namespace of its own",
                                            s->protect_proc == PROTECT_PROC_DEFAULT ? ", ptrace and read /proc of" : " and ptrace",
                                            (unsigned) s->uid);
        if (!s->private_network) {
                if (!address_kind_restricted(s, AF_KIND_INET))
                        exposure_report_add_finding(r, "host-network", "PrivateNetwork",
                                                    "The job uses the host's network: it can connect to services "
                                                    "on the host's loopback and on the networks the host reaches");
                else
                        exposure_report_add_finding(r, "host-network", "PrivateNetwork",
                                                    "The job is in the host's network namespace (no Internet "
                                                    "sockets, but abstract AF_UNIX sockets and what its other "
                                                    "families reach)");
        }
        STRV_FOREACH(p, bus_socket_paths)
                if (!bus_socket_hidden_by(s, *p)) {
                        exposure_report_add_finding(r, "system-bus-reachable", "InaccessiblePaths",
                                                    "The job can connect to the system bus at %s and call every "
                                                    "service there as uid %u", *p, (unsigned) s->uid);
                        break;
                }
}

int exposure_report_build(const SandboxSpec *spec, char * const *bus_socket_paths, ExposureReport *ret) {
        uint64_t badness_sum = 0, weight_sum = 0;
        ExposureReport r = {};

        r.checks = calloc(ELEMENTSOF(exposure_rows), sizeof *r.checks);
        if (!r.checks)
                return -ENOMEM;
        r.n_checks = ELEMENTSOF(exposure_rows);

        for (size_t i = 0; i < ELEMENTSOF(exposure_rows); i++) {
                const ExposureRow *row = &exposure_rows[i];
                ExposureCheck *c = &r.checks[i];

                *c = (ExposureCheck) {
                        .name = row->name,
                        .weight = row->weight,
                        .range = row->range,
                        .fixed = row->fixed,
                };
                c->badness = row->assess(row, spec, c);
                if (c->badness != EXPOSURE_NOT_APPLICABLE && c->badness > row->range)
                        c->badness = row->range;
                if (!c->description[0]) {
                        const char *d = c->badness == 0 ? row->good : c->badness == row->range ? row->bad : NULL;
                        describe(c, "%s", d ?: "");
                }
                if (c->badness == EXPOSURE_NOT_APPLICABLE)
                        continue;
                badness_sum += div_round_up((uint64_t) c->badness * row->weight, row->range);
                weight_sum += row->weight;
        }
        r.badness_sum = badness_sum;
        r.weight_sum = weight_sum;
        r.exposure = weight_sum > 0 ? (uint32_t) div_round_up(badness_sum * 100, weight_sum) : 0;

        add_broker_findings(spec, bus_socket_paths, &r);
        *ret = r;
        return 0;
}

void exposure_report_done(ExposureReport *r) {
        if (!r)
                return;
        free(r->checks);
        r->checks = NULL;
        r->n_checks = 0;
}

const char *exposure_level_name(uint32_t exposure) {
        static const struct {
                uint32_t from;
                const char *name;
        } levels[] = {
                { 100, "DANGEROUS" }, { 90, "UNSAFE" }, { 75, "EXPOSED" }, { 50, "MEDIUM" },
                { 10, "OK" },         { 1, "SAFE" },    { 0, "PERFECT" },
        };

        for (size_t i = 0; i < ELEMENTSOF(levels); i++)
                if (exposure >= levels[i].from)
                        return levels[i].name;
        return "PERFECT";
}

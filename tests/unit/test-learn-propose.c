/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Learn mode's proposal of the switches: each is proposed unless the record shows a use that it would
 * refuse, every line it makes is one the property table takes, and what the caller gave is left alone. */
#include <stdio.h>
#include <string.h>

#include "learn-propose.h"
#include "property-apply.h"
#include "strv.h"
#include "tap.h"

static char *none[] = { NULL };

static const char *value_of(char **proposal, const char *name) {
        size_t n = strlen(name);
        STRV_FOREACH(p, proposal)
                if (strncmp(*p, name, n) == 0 && (*p)[n] == '=')
                        return *p + n + 1;
        return NULL;
}

static bool all_apply(char **proposal) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = sandbox_spec_new();

        STRV_FOREACH(p, proposal) {
                _cleanup_free_ char *message = NULL;
                if (property_apply_text(s, *p, &message) < 0) {
                        printf("# %s: %s\n", *p, message ?: "?");
                        return false;
                }
        }
        return true;
}

static void test_nothing_used(void) {
        char *calls[] = { "read", "write", "openat", NULL }, *files[] = { "r /etc/passwd", "rw /dev/null", NULL };
        LearnRecord r = { calls, files, none, none, none };
        _cleanup_strv_free_ char **p = NULL;
        static const char *const strict[][2] = {
                { "PrivateNetwork", "yes" }, { "PrivateDevices", "yes" }, { "CapabilityBoundingSet", "" },
                { "MemoryDenyWriteExecute", "yes" }, { "LockPersonality", "yes" }, { "RestrictRealtime", "yes" },
                { "RestrictSUIDSGID", "yes" }, { "RestrictNamespaces", "yes" }, { "PrivateIPC", "yes" },
                { "PrivatePIDs", "yes" }, { "ProtectProc", "invisible" }, { "ProcSubset", "pid" },
                { "ProtectKernelTunables", "yes" }, { "ProtectKernelModules", "yes" }, { "ProtectKernelLogs", "yes" },
                { "ProtectControlGroups", "yes" }, { "ProtectClock", "yes" }, { "ProtectHostname", "yes" },
                { "PrivateMounts", "yes" }, { "NoNewPrivileges", "yes" }, { "SystemCallArchitectures", "native" },
        };

        ASSERT_OK(learn_propose(&r, NULL, NULL, &p));
        for (size_t i = 0; i < sizeof strict / sizeof strict[0]; i++)
                ASSERT_STREQ(value_of(p, strict[i][0]), strict[i][1]);
        ASSERT_TRUE(all_apply(p));
        ASSERT_STREQ(learn_network_reach(none), "none");
}

static void test_uses_keep_switches_off(void) {
        char *calls[] = { "shmget", "settimeofday", "sethostname", "init_module", "mount", "read@x86", NULL };
        char *uses[] = { "namespace:net", "namespace:user", "other-processes", "personality", "privileged-exec",
                         "realtime", "suid-sgid", "write-execute", NULL };
        char *files[] = { "rw /dev/kmsg", "r /proc/meminfo", "w /proc/sys/kernel/domainname",
                          "w /sys/fs/cgroup/x/cgroup.procs", NULL };
        char *caps[] = { "CAP_CHOWN", "CAP_NET_BIND_SERVICE", NULL };
        LearnRecord r = { calls, files, none, uses, caps };
        _cleanup_strv_free_ char **p = NULL;
        static const char *const off[] = { "MemoryDenyWriteExecute", "LockPersonality", "RestrictRealtime",
                                           "RestrictSUIDSGID", "PrivateIPC", "PrivatePIDs", "ProtectProc",
                                           "ProcSubset", "ProtectKernelTunables", "ProtectKernelModules",
                                           "ProtectKernelLogs", "ProtectControlGroups", "ProtectClock",
                                           "ProtectHostname", "PrivateMounts", "NoNewPrivileges",
                                           "SystemCallArchitectures" };

        ASSERT_OK(learn_propose(&r, NULL, NULL, &p));
        for (size_t i = 0; i < sizeof off / sizeof off[0]; i++) {
                printf("# %s\n", off[i]);
                ASSERT_TRUE(value_of(p, off[i]) == NULL);
        }
        ASSERT_STREQ(value_of(p, "RestrictNamespaces"), "net user");
        ASSERT_STREQ(value_of(p, "CapabilityBoundingSet"), "CAP_CHOWN CAP_NET_BIND_SERVICE");
        /* /dev/kmsg is no device node here (no "v"): only ProtectKernelLogs= is held back. */
        ASSERT_STREQ(value_of(p, "PrivateDevices"), "yes");
        ASSERT_TRUE(all_apply(p));
}

static void test_devices(void) {
        char *files[] = { "rwv /dev/null", "rv /dev/fuse", "rwv /dev/loop-control", "wv /dev/tty0", NULL };
        LearnRecord r = { none, files, none, none, none };
        _cleanup_strv_free_ char **p = NULL;
        size_t allowed = 0;

        ASSERT_OK(learn_propose(&r, NULL, NULL, &p));
        ASSERT_TRUE(value_of(p, "PrivateDevices") == NULL);
        ASSERT_STREQ(value_of(p, "DevicePolicy"), "closed");
        ASSERT_TRUE(strv_contains(p, "DeviceAllow=/dev/fuse r"));
        ASSERT_TRUE(strv_contains(p, "DeviceAllow=/dev/loop-control rw"));
        ASSERT_TRUE(strv_contains(p, "DeviceAllow=/dev/tty0 w"));
        STRV_FOREACH(l, p)
                allowed += strncmp(*l, "DeviceAllow=", 12) == 0;
        ASSERT_EQ(allowed, (size_t) 3);
        ASSERT_TRUE(all_apply(p));
}

static void test_network(void) {
        char *host_loopback[] = { "connect AF_INET 127.0.0.1:8000", NULL };
        char *self[] = { "bind AF_INET 127.0.0.1:9000", "connect AF_INET 127.0.0.1:9000", NULL };
        char *beyond[] = { "connect AF_INET6 [2001:db8::1]:443", NULL };
        char *listening[] = { "bind AF_INET 0.0.0.0:8080", NULL }; /* a server others reach */
        char *abstract[] = { "connect AF_UNIX @/tmp/.X11-unix/X0", NULL };
        char *client_port[] = { "bind AF_INET 0.0.0.0:0", "connect AF_INET 127.0.0.53:53", NULL };
        struct {
                char **endpoints;
                const char *reach;
                bool private_network;
        } cases[] = {
                { host_loopback, "loopback", false }, { self, "loopback", true }, { beyond, "beyond-loopback", false },
                { listening, "beyond-loopback", false }, { abstract, "none", false }, { client_port, "loopback", false },
        };

        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
                LearnRecord r = { none, none, cases[i].endpoints, none, none };
                _cleanup_strv_free_ char **p = NULL;

                ASSERT_STREQ(learn_network_reach(cases[i].endpoints), cases[i].reach);
                ASSERT_OK(learn_propose(&r, NULL, NULL, &p));
                ASSERT_EQ(value_of(p, "PrivateNetwork") != NULL, cases[i].private_network);
        }
}

static bool gave_private_network(const char *name, void *userdata) {
        return strcmp(name, "PrivateNetwork") == 0 || strcmp(name, "CapabilityBoundingSet") == 0;
}

static void test_given(void) {
        LearnRecord r = { none, none, none, none, none };
        _cleanup_strv_free_ char **p = NULL;

        ASSERT_OK(learn_propose(&r, gave_private_network, NULL, &p));
        ASSERT_TRUE(value_of(p, "PrivateNetwork") == NULL);
        ASSERT_TRUE(value_of(p, "CapabilityBoundingSet") == NULL);
        ASSERT_STREQ(value_of(p, "PrivateIPC"), "yes");
}

int main(void) {
        test_nothing_used();
        test_uses_keep_switches_off();
        test_devices();
        test_network();
        test_given();
        return tap_finish();
}

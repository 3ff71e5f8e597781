/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The seccomp properties: their text forms and their appliers (merging, validation). */
#include <sched.h>
#include <stdio.h>
#include <sys/socket.h>

#include "namespace-names.h"
#include "property-apply.h"
#include "strv.h"
#include "tap.h"

/* Applies a value; the message of a failure replaces *message. */
static int apply_value(SandboxSpec *s, const PropertyValue *v, char **message) {
        free(*message);
        *message = NULL;
        return property_apply(s, v, message);
}

/* Parses and applies "Name=Value"; the message of a failure replaces *message. */
static int apply_text(SandboxSpec *s, const char *assignment, char **message) {
        free(*message);
        return property_apply_text(s, assignment, message);
}

static void test_text(void) {
        PropertyValue v = { .fd = -EBADF };
        const char *reason = NULL;

        ASSERT_OK(property_value_parse("SystemCallFilter=~@mount @swap", &v, &reason));
        ASSERT_TRUE(!v.b);
        ASSERT_EQ(strv_length(v.strv), 2);
        ASSERT_STREQ(v.strv[1], "@swap");
        property_value_done(&v);

        ASSERT_OK(property_value_parse("SystemCallFilter=@system-service", &v, &reason));
        ASSERT_TRUE(v.b);
        property_value_done(&v);

        ASSERT_OK(property_value_parse("SystemCallFilter=", &v, &reason));
        ASSERT_TRUE(!v.b);
        ASSERT_EQ(strv_length(v.strv), 0);
        property_value_done(&v);

        ASSERT_OK(property_value_parse("SystemCallErrorNumber=EPERM", &v, &reason));
        ASSERT_EQ(v.i, EPERM);
        ASSERT_OK(property_value_parse("SystemCallErrorNumber=EUCLEAN", &v, &reason));
        ASSERT_EQ(v.i, EUCLEAN);
        ASSERT_OK(property_value_parse("SystemCallErrorNumber=4095", &v, &reason));
        ASSERT_EQ(v.i, 4095);
        ASSERT_OK(property_value_parse("SystemCallErrorNumber=kill", &v, &reason));
        ASSERT_EQ(v.i, 0);
        ASSERT_ERR(property_value_parse("SystemCallErrorNumber=0", &v, &reason), -EINVAL);
        ASSERT_ERR(property_value_parse("SystemCallErrorNumber=4096", &v, &reason), -EINVAL);
        ASSERT_ERR(property_value_parse("SystemCallErrorNumber=EBOGUS", &v, &reason), -EINVAL);
        ASSERT_ERR(property_value_parse("SystemCallErrorNumber=1x", &v, &reason), -EINVAL);

        ASSERT_OK(property_value_parse("RestrictNamespaces=yes", &v, &reason));
        ASSERT_EQ(v.t, 0);
        ASSERT_OK(property_value_parse("RestrictNamespaces=no", &v, &reason));
        ASSERT_TRUE(v.t == namespace_flags_all());
        ASSERT_OK(property_value_parse("RestrictNamespaces=", &v, &reason)); /* the reset */
        ASSERT_TRUE(v.t == UINT64_MAX);
        ASSERT_OK(property_value_parse("RestrictNamespaces=net ipc", &v, &reason));
        ASSERT_EQ(v.t, CLONE_NEWNET | CLONE_NEWIPC);
        ASSERT_OK(property_value_parse("RestrictNamespaces=~user", &v, &reason));
        ASSERT_TRUE(v.t == ~(uint64_t) CLONE_NEWUSER); /* the "~" survives, for the merge */
        ASSERT_OK(property_value_parse("RestrictNamespaces=cgroup ipc net mnt pid user uts time", &v, &reason));
        ASSERT_TRUE(v.t == namespace_flags_all());
        ASSERT_ERR(property_value_parse("RestrictNamespaces=bogus", &v, &reason), -EINVAL);

        ASSERT_OK(property_value_parse("RestrictAddressFamilies=none", &v, &reason));
        ASSERT_TRUE(v.b);
        ASSERT_STREQ(v.strv[0], "none");
        property_value_done(&v);
        ASSERT_OK(property_value_parse("RestrictAddressFamilies=~AF_PACKET", &v, &reason));
        ASSERT_TRUE(!v.b);
        ASSERT_STREQ(v.strv[0], "AF_PACKET");
        property_value_done(&v);

        ASSERT_OK(property_value_parse("SystemCallArchitectures=native x86-64", &v, &reason));
        ASSERT_EQ(strv_length(v.strv), 2);
        property_value_done(&v);

        ASSERT_OK(property_value_parse("MemoryDenyWriteExecute=yes", &v, &reason));
        ASSERT_TRUE(v.b);
}

static void test_system_call_filter(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = sandbox_spec_new(), *d = sandbox_spec_new();
        _cleanup_free_ char *m1 = NULL, *m2 = NULL, *m3 = NULL, *m4 = NULL, *m5 = NULL;
        size_t n;

        /* An allow-list starts from @default; a deny assignment removes names from it. */
        ASSERT_OK(apply_text(s, "SystemCallFilter=@system-service", &m1));
        ASSERT_EQ(s->syscall_filter_mode, 1);
        ASSERT_TRUE(strv_contains(s->syscall_names, "read"));
        ASSERT_TRUE(strv_contains(s->syscall_names, "execve"));
        ASSERT_TRUE(!strv_contains(s->syscall_names, "mount"));
        ASSERT_OK(apply_text(s, "SystemCallFilter=@mount", &m1));
        ASSERT_TRUE(strv_contains(s->syscall_names, "mount"));
        ASSERT_OK(apply_text(s, "SystemCallFilter=~mount", &m1));
        ASSERT_EQ(s->syscall_filter_mode, 1);
        ASSERT_TRUE(!strv_contains(s->syscall_names, "mount"));
        ASSERT_TRUE(strv_contains(s->syscall_names, "umount2"));
        n = strv_length(s->syscall_names);
        ASSERT_OK(apply_text(s, "SystemCallFilter=read read @basic-io", &m1));
        ASSERT_EQ(strv_length(s->syscall_names), n); /* each name once */

        /* Refused: the spec stays as it was. */
        ASSERT_ERR(apply_text(s, "SystemCallFilter=~execve", &m1), -EINVAL);
        ASSERT_STREQ(m1, "SystemCallFilter: execve cannot be denied: the job could not start");
        ASSERT_TRUE(strv_contains(s->syscall_names, "execve"));
        ASSERT_ERR(apply_text(s, "SystemCallFilter=read @nosuchgroup", &m2), -EINVAL);
        ASSERT_STREQ(m2, "SystemCallFilter: unknown system call or group \"@nosuchgroup\"");
        ASSERT_ERR(apply_text(s, "SystemCallFilter=foo", &m3), -EINVAL);
        ASSERT_STREQ(m3, "SystemCallFilter: unknown system call or group \"foo\"");
        /* An allow-listed call cannot take an error number (systemd warns and ignores it). */
        ASSERT_ERR(apply_text(s, "SystemCallFilter=read:EPERM", &m4), -EINVAL);
        ASSERT_EQ(strv_length(s->syscall_names), n);

        /* A deny-list; an allow assignment removes names from it. */
        ASSERT_OK(apply_text(d, "SystemCallFilter=~@mount", &m5));
        ASSERT_EQ(d->syscall_filter_mode, 0);
        ASSERT_TRUE(strv_contains(d->syscall_names, "mount"));
        ASSERT_TRUE(!strv_contains(d->syscall_names, "read"));
        ASSERT_OK(apply_text(d, "SystemCallFilter=mount", &m5));
        ASSERT_EQ(d->syscall_filter_mode, 0);
        ASSERT_TRUE(!strv_contains(d->syscall_names, "mount"));
        ASSERT_TRUE(strv_contains(d->syscall_names, "pivot_root"));
        ASSERT_ERR(apply_text(d, "SystemCallFilter=~@default", &m5), -EINVAL); /* holds execve */
        ASSERT_OK(apply_text(d, "SystemCallFilter=~@process", &m5)); /* execveat only: enforceable */

        /* The empty list resets. */
        ASSERT_OK(apply_text(d, "SystemCallFilter=", &m5));
        ASSERT_EQ(d->syscall_filter_mode, -1);
        ASSERT_EQ(strv_length(d->syscall_names), 0);
}

static void test_other_properties(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = sandbox_spec_new();
        _cleanup_free_ char *m = NULL, *m2 = NULL, *m3 = NULL;
        PropertyValue v = { .fd = -EBADF };

        ASSERT_OK(apply_text(s, "SystemCallErrorNumber=EPERM", &m));
        ASSERT_EQ(s->syscall_errno, EPERM);
        ASSERT_OK(apply_text(s, "SystemCallErrorNumber=kill", &m));
        ASSERT_EQ(s->syscall_errno, 0);
        v.info = property_info_lookup("SystemCallErrorNumber");
        v.i = INT32_MAX; /* systemd's "kill" */
        ASSERT_OK(apply_value(s, &v, &m));
        ASSERT_EQ(s->syscall_errno, 0);
        v.i = INT32_MAX - 1; /* systemd 252's SECCOMP_ERROR_NUMBER_KILL, what systemd-run sends for "kill" */
        s->syscall_errno = EPERM;
        ASSERT_OK(apply_value(s, &v, &m));
        ASSERT_EQ(s->syscall_errno, 0);
        v.i = 4096;
        ASSERT_ERR(apply_value(s, &v, &m), -EINVAL);
        /* systemd 252 has no SystemCallErrorNumber=log (systemd.exec(5) of 252: an errno, "" or "kill"). */
        {
                PropertyValue w = { .fd = -EBADF };
                const char *reason2 = NULL;
                ASSERT_ERR(property_value_parse("SystemCallErrorNumber=log", &w, &reason2), -EINVAL);
        }

        ASSERT_OK(apply_text(s, "SystemCallArchitectures=native", &m));
        ASSERT_TRUE(s->syscall_native_only);
        ASSERT_ERR(apply_text(s, "SystemCallArchitectures=s390", &m2), -EOPNOTSUPP);
        ASSERT_ERR(apply_text(s, "SystemCallArchitectures=vax", &m3), -EINVAL);
        ASSERT_STREQ(m3, "SystemCallArchitectures: unknown architecture \"vax\"");
        ASSERT_OK(apply_text(s, "SystemCallArchitectures=", &m2));
        ASSERT_TRUE(!s->syscall_native_only);

        ASSERT_OK(apply_text(s, "RestrictAddressFamilies=AF_UNIX AF_INET AF_UNIX", &m));
        ASSERT_EQ(s->address_family_mode, 1);
        ASSERT_EQ(s->n_address_families, 2);
        ASSERT_OK(apply_text(s, "RestrictAddressFamilies=~AF_INET", &m));
        ASSERT_EQ(s->address_family_mode, 1);
        ASSERT_EQ(s->n_address_families, 1);
        ASSERT_EQ(s->address_families[0], AF_UNIX);
        ASSERT_ERR(apply_text(s, "RestrictAddressFamilies=AF_NOPE", &m2), -EINVAL);
        ASSERT_STREQ(m2, "RestrictAddressFamilies: unknown address family \"AF_NOPE\"");
        ASSERT_OK(apply_text(s, "RestrictAddressFamilies=none", &m));
        ASSERT_EQ(s->address_family_mode, 1);
        ASSERT_EQ(s->n_address_families, 0);
        ASSERT_OK(apply_text(s, "RestrictAddressFamilies=", &m));
        ASSERT_EQ(s->address_family_mode, -1);
        ASSERT_OK(apply_text(s, "RestrictAddressFamilies=~AF_PACKET", &m));
        ASSERT_EQ(s->address_family_mode, 0);
        ASSERT_EQ(s->address_families[0], AF_PACKET);

        ASSERT_OK(apply_text(s, "RestrictNamespaces=~net", &m));
        ASSERT_EQ(s->restrict_namespaces, namespace_flags_all() & ~(uint64_t) CLONE_NEWNET);
        ASSERT_OK(apply_text(s, "RestrictNamespaces=no", &m));
        ASSERT_TRUE(s->restrict_namespaces == UINT64_MAX);
        v = (PropertyValue) { .fd = -EBADF, .info = property_info_lookup("RestrictNamespaces"), .t = 1 };
        ASSERT_ERR(apply_value(s, &v, &m), -EINVAL);

        ASSERT_OK(apply_text(s, "MemoryDenyWriteExecute=yes", &m));
        ASSERT_OK(apply_text(s, "LockPersonality=yes", &m));
        ASSERT_OK(apply_text(s, "RestrictSUIDSGID=yes", &m));
        ASSERT_OK(apply_text(s, "RestrictRealtime=yes", &m));
        ASSERT_TRUE(s->memory_deny_write_execute && s->lock_personality && s->restrict_suid_sgid &&
                    s->restrict_realtime);
}

int main(void) {
        test_text();
        test_system_call_filter();
        test_other_properties();
        return tap_finish();
}

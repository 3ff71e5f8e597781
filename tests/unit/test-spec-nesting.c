/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A nested job may only tighten its parent (spec-nesting.c, pure). */
#include <linux/capability.h>
#include <sys/resource.h>

#include "cap-names.h"
#include "property-apply.h"
#include "spec-nesting.h"
#include "strv.h"
#include "tap.h"

static SandboxSpec *spec_of(uid_t uid, const char *const *assignments) {
        SandboxSpec *s = sandbox_spec_new();

        s->uid = uid;
        s->gid = uid;
        for (size_t i = 0; assignments && assignments[i]; i++) {
                _cleanup_free_ char *message = NULL;
                if (property_apply_text(s, assignments[i], &message) < 0)
                        printf("# %s: %s\n", assignments[i], message);
        }
        return s;
}

static const char *loosens(const char *const *parent, const char *const *child) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *p = spec_of(65534, parent), *c = spec_of(65534, child);
        return spec_nested_loosens(c, p);
}

#define L(...) ((const char *const[]) { __VA_ARGS__, NULL })

int main(void) {
        const char *const *none = NULL;
        _cleanup_(sandbox_spec_freep) SandboxSpec *p = NULL, *c = NULL, *other = NULL;

        /* Nothing, or only tightening: the child is the parent's sandbox plus its own. */
        ASSERT_TRUE(loosens(L("PrivateNetwork=yes", "NoNewPrivileges=yes"), none) == NULL);
        ASSERT_TRUE(loosens(L("CapabilityBoundingSet=CAP_NET_RAW CAP_CHOWN"), L("CapabilityBoundingSet=CAP_CHOWN")) == NULL);
        ASSERT_TRUE(loosens(L("LimitNOFILE=1024"), L("LimitNOFILE=512")) == NULL);
        ASSERT_TRUE(loosens(L("Nice=5"), L("Nice=10")) == NULL);
        /* In the parent's namespaces, "no" of a namespace switch adds nothing: not a loosening. */
        ASSERT_TRUE(loosens(L("PrivateNetwork=yes"), L("PrivateNetwork=no")) == NULL);

        /* What the daemon would grant from outside the parent: refused, named. */
        ASSERT_STREQ(loosens(L("CapabilityBoundingSet=CAP_CHOWN"), L("CapabilityBoundingSet=CAP_SYS_ADMIN")),
                     "CapabilityBoundingSet");
        ASSERT_STREQ(loosens(L("CapabilityBoundingSet=CAP_CHOWN"), L("AmbientCapabilities=CAP_CHOWN")),
                     "AmbientCapabilities");
        ASSERT_STREQ(loosens(L("NoNewPrivileges=yes"), L("NoNewPrivileges=no")), "NoNewPrivileges");
        ASSERT_STREQ(loosens(L("LimitNOFILE=1024"), L("LimitNOFILE=4096")), "LimitNOFILE");
        ASSERT_STREQ(loosens(L("LimitNOFILE=1024"), L("LimitNOFILESoft=2048")), "LimitNOFILE");
        ASSERT_STREQ(loosens(L("Nice=5"), L("Nice=-5")), "Nice");
        ASSERT_STREQ(loosens(L("PrivateNetwork=yes"), L("NetworkNamespacePath=/proc/1/ns/net")), "NetworkNamespacePath");
        /* The parent's network programs hold below its cgroup: the child's own only add to them. */
        ASSERT_TRUE(loosens(L("IPAddressDeny=any"), L("IPAddressAllow=any", "SocketBindAllow=any")) == NULL);

        p = spec_of(65534, NULL);
        other = spec_of(0, NULL);
        ASSERT_STREQ(spec_nested_loosens(other, p), "User");
        other->uid = 65534;
        ASSERT_STREQ(spec_nested_loosens(other, p), "Group");

        /* Cgroup limits of its own: a nested job cannot have them. */
        c = spec_of(65534, L("MemoryMax=64M"));
        ASSERT_STREQ(spec_nested_unsupported(c), "MemoryMax");
        c = sandbox_spec_free(c);
        c = spec_of(65534, NULL);
        ASSERT_TRUE(spec_nested_unsupported(c) == NULL);

        /* Inheritance: the intersection of the bounding sets, NoNewPrivileges, the parent's limits. */
        p = sandbox_spec_free(p);
        p = spec_of(65534, L("CapabilityBoundingSet=CAP_CHOWN CAP_NET_RAW", "NoNewPrivileges=yes", "LimitNOFILE=100",
                             "LimitNPROC=50", "Nice=7"));
        c = sandbox_spec_free(c);
        c = spec_of(65534, L("CapabilityBoundingSet=CAP_NET_RAW CAP_KILL", "LimitNPROC=20"));
        spec_nested_inherit(c, p);
        ASSERT_EQ(c->capability_bounding_set, UINT64_C(1) << CAP_NET_RAW);
        ASSERT_EQ(c->no_new_privileges, 1);
        ASSERT_TRUE(c->rlimits[RLIMIT_NOFILE].hard_set && c->rlimits[RLIMIT_NOFILE].hard == 100);
        ASSERT_EQ(c->rlimits[RLIMIT_NPROC].hard, UINT64_C(20));
        ASSERT_TRUE(c->nice_set && c->nice == 7);
        /* One SystemCallFilter= list: only what both allow; the harsher action. */
        p = sandbox_spec_free(p);
        c = sandbox_spec_free(c);
        p = spec_of(65534, L("SystemCallFilter=read write openat close exit_group", "SystemCallErrorNumber=EPERM"));
        c = spec_of(65534, L("SystemCallFilter=read write pipe2"));
        ASSERT_OK(spec_nested_inherit(c, p));
        ASSERT_EQ(c->syscall_filter_mode, 1);
        ASSERT_TRUE(strv_contains(c->syscall_names, "read") && strv_contains(c->syscall_names, "write"));
        ASSERT_TRUE(!strv_contains(c->syscall_names, "openat")); /* the parent's only */
        ASSERT_TRUE(!strv_contains(c->syscall_names, "pipe2"));  /* the child's only */
        ASSERT_EQ(c->syscall_errno, 0); /* the child's: kill */
        c = sandbox_spec_free(c);
        c = spec_of(65534, L("SystemCallFilter=~write"));
        ASSERT_OK(spec_nested_inherit(c, p));
        ASSERT_EQ(c->syscall_filter_mode, 1);
        ASSERT_TRUE(strv_contains(c->syscall_names, "read") && !strv_contains(c->syscall_names, "write"));
        c = sandbox_spec_free(c);
        c = spec_of(65534, NULL);
        ASSERT_OK(spec_nested_inherit(c, p));
        ASSERT_EQ(c->syscall_filter_mode, 1);
        ASSERT_EQ(c->syscall_errno, 1); /* the parent's EPERM */
        p = sandbox_spec_free(p);
        c = sandbox_spec_free(c);
        p = spec_of(65534, L("SystemCallFilter=~mount"));
        c = spec_of(65534, L("SystemCallFilter=~umount2"));
        ASSERT_OK(spec_nested_inherit(c, p));
        ASSERT_EQ(c->syscall_filter_mode, 0);
        ASSERT_TRUE(strv_contains(c->syscall_names, "mount") && strv_contains(c->syscall_names, "umount2"));
        return tap_finish();
}

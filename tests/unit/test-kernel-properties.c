/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Issue 15's kernel surface: the text forms and their errors, the spec's serialization, the strictness
 * order, and what each adds to the mount plan (exec-mount-plan.c). */
#include <stdio.h>

#include "exec/exec-mount-plan.h"
#include "property-apply.h"
#include "spec-serialize.h"
#include "spec-strictness.h"
#include "strv.h"
#include "tap.h"

static int apply_text_msg(SandboxSpec *s, const char *assignment, char **ret_message) {
        return property_apply_text(s, assignment, ret_message);
}

static int apply_text(SandboxSpec *s, const char *assignment) {
        _cleanup_free_ char *message = NULL;
        return apply_text_msg(s, assignment, &message);
}

static const MountEntry *find(const MountPlan *p, const char *path) {
        for (size_t i = 0; i < p->n; i++)
                if (streq(p->entries[i].path, path))
                        return p->entries + i;
        return NULL;
}

static void test_protect_clock_and_kernel_logs(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = sandbox_spec_new(), *back = NULL, *base = sandbox_spec_new();
        _cleanup_(mount_plan_done) MountPlan p = {};
        _cleanup_free_ char *m = NULL;
        _cleanup_free_ uint8_t *data = NULL;
        const MountEntry *e;
        const char *looser = NULL;
        size_t size;

        ASSERT_STREQ(property_info_lookup("ProtectClock")->signature, "b");
        ASSERT_STREQ(property_info_lookup("ProtectKernelLogs")->signature, "b");

        /* ProtectClock= is seccomp, capabilities and devices: no mount namespace of its own. */
        ASSERT_OK(apply_text(s, "ProtectClock=yes"));
        ASSERT_TRUE(s->protect_clock);
        ASSERT_TRUE(sandbox_spec_wants_seccomp(s));
        ASSERT_TRUE(!sandbox_spec_needs_mount_namespace(s));
        ASSERT_OK(apply_text(s, "ProtectKernelLogs=yes"));
        ASSERT_TRUE(s->protect_kernel_logs);
        ASSERT_TRUE(sandbox_spec_needs_mount_namespace(s));

        ASSERT_ERR(apply_text_msg(s, "ProtectClock=sometimes", &m), -EINVAL);
        ASSERT_TRUE(m && strneq(m, "ProtectClock: ", strlen("ProtectClock: ")));
        ASSERT_TRUE(s->protect_clock); /* unchanged */

        ASSERT_OK(mount_plan_build(s, &p));
        e = find(&p, "/dev/kmsg");
        ASSERT_TRUE(e && e->mode == MOUNT_INACCESSIBLE && e->ignore_missing);
        ASSERT_STREQ(e->label, "ProtectKernelLogs=yes: /dev/kmsg");
        e = find(&p, "/proc/kmsg");
        ASSERT_TRUE(e && e->mode == MOUNT_INACCESSIBLE && e->ignore_missing);

        strv_extend(&s->argv, "/bin/true");
        ASSERT_OK(spec_serialize(s, &data, &size));
        ASSERT_OK(spec_deserialize(data, size, &back));
        ASSERT_TRUE(back->protect_clock && back->protect_kernel_logs);

        /* yes is the strict side, for profiles and nesting. */
        ASSERT_TRUE(spec_is_at_least_as_strict(s, base, &looser));
        ASSERT_TRUE(!spec_is_at_least_as_strict(base, s, &looser));
        ASSERT_STREQ(looser, "ProtectClock");
        base->protect_clock = true;
        ASSERT_TRUE(!spec_is_at_least_as_strict(base, s, &looser));
        ASSERT_STREQ(looser, "ProtectKernelLogs");
}

int main(void) {
        test_protect_clock_and_kernel_logs();
        return tap_finish();
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* PrivatePIDs=, ProtectProc= and ProcSubset=: text forms, appliers and their errors, the spec's
 * serialization, the strictness order, and the /proc entry of the mount plan (exec-mount-plan.c). */
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

static void test_appliers(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = sandbox_spec_new();
        _cleanup_free_ char *m1 = NULL, *m2 = NULL, *m3 = NULL;

        /* The defaults: nothing of the job's own. */
        ASSERT_TRUE(!s->private_pids);
        ASSERT_EQ(s->protect_proc, PROTECT_PROC_DEFAULT);
        ASSERT_EQ(s->proc_subset, PROC_SUBSET_ALL);
        ASSERT_TRUE(!sandbox_spec_needs_private_proc(s));
        ASSERT_TRUE(!sandbox_spec_needs_mount_namespace(s));

        ASSERT_OK(apply_text(s, "PrivatePIDs=yes"));
        ASSERT_TRUE(s->private_pids);
        ASSERT_TRUE(sandbox_spec_needs_private_proc(s));
        ASSERT_TRUE(sandbox_spec_needs_mount_namespace(s));
        ASSERT_OK(apply_text(s, "PrivatePIDs=no"));
        ASSERT_TRUE(!s->private_pids);

        static const char *const values[] = { "noaccess", "invisible", "ptraceable", "default" };
        for (size_t i = 0; i < ELEMENTSOF(values); i++) {
                char a[64];
                snprintf(a, sizeof a, "ProtectProc=%s", values[i]);
                ASSERT_OK(apply_text(s, a));
                ASSERT_STREQ(protect_proc_to_string(s->protect_proc), values[i]);
        }
        ASSERT_OK(apply_text(s, "ProcSubset=pid"));
        ASSERT_EQ(s->proc_subset, PROC_SUBSET_PID);
        ASSERT_TRUE(sandbox_spec_needs_private_proc(s));
        ASSERT_OK(apply_text(s, "ProcSubset=all"));
        ASSERT_EQ(s->proc_subset, PROC_SUBSET_ALL);

        /* Bad values are InvalidProperty (-EINVAL) with a message that names the property. */
        ASSERT_ERR(apply_text_msg(s, "ProtectProc=hidden", &m1), -EINVAL);
        ASSERT_TRUE(m1 && strneq(m1, "ProtectProc: ", strlen("ProtectProc: ")) && strstr(m1, "\"hidden\""));
        ASSERT_ERR(apply_text_msg(s, "ProcSubset=yes", &m2), -EINVAL);
        ASSERT_TRUE(m2 && strneq(m2, "ProcSubset: ", strlen("ProcSubset: ")));
        ASSERT_ERR(apply_text_msg(s, "PrivatePIDs=maybe", &m3), -EINVAL);
        ASSERT_TRUE(m3 && strneq(m3, "PrivatePIDs: ", strlen("PrivatePIDs: ")));
        ASSERT_ERR(apply_text(s, "ProtectProc="), -EINVAL);
        ASSERT_ERR(apply_text(s, "ProtectProc=Invisible"), -EINVAL);
        ASSERT_ERR(apply_text(s, "ProtectProc=ptraceraw"), -EINVAL);
        ASSERT_ERR(apply_text(s, "ProtectProc=2"), -EINVAL);
        ASSERT_ERR(apply_text(s, "ProcSubset=pid "), -EINVAL);
        /* A failed value changes nothing. */
        ASSERT_EQ(s->protect_proc, PROTECT_PROC_DEFAULT);
        ASSERT_EQ(s->proc_subset, PROC_SUBSET_ALL);

        /* The wire signatures are systemd's. */
        ASSERT_STREQ(property_info_lookup("PrivatePIDs")->signature, "b");
        ASSERT_STREQ(property_info_lookup("ProtectProc")->signature, "s");
        ASSERT_STREQ(property_info_lookup("ProcSubset")->signature, "s");
}

static void test_serialize(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = sandbox_spec_new(), *back = NULL;
        _cleanup_free_ uint8_t *data = NULL;
        size_t size;

        strv_extend(&s->argv, "/bin/true");
        s->private_pids = true;
        s->protect_proc = PROTECT_PROC_PTRACEABLE;
        s->proc_subset = PROC_SUBSET_PID;
        ASSERT_OK(spec_serialize(s, &data, &size));
        ASSERT_OK(spec_deserialize(data, size, &back));
        ASSERT_TRUE(back->private_pids);
        ASSERT_EQ(back->protect_proc, PROTECT_PROC_PTRACEABLE);
        ASSERT_EQ(back->proc_subset, PROC_SUBSET_PID);
        ASSERT_TRUE(!back->private_tmp);
}

/* A value out of range is refused by confine-exec's reader, not taken as some level. */
static void test_serialize_corrupt(void) {
        static const uint32_t tags[] = { 33, 34 }; /* TAG_PROTECT_PROC, TAG_PROC_SUBSET */
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = sandbox_spec_new();
        _cleanup_free_ uint8_t *data = NULL;
        size_t size;

        strv_extend(&s->argv, "/bin/true");
        ASSERT_OK(spec_serialize(s, &data, &size));
        for (size_t t = 0; t < ELEMENTSOF(tags); t++) {
                size_t off = 12;
                bool found = false;

                while (off + 8 <= size && !found) {
                        uint32_t tag, len;
                        memcpy(&tag, data + off, 4);
                        memcpy(&len, data + off + 4, 4);
                        if (tag == tags[t]) {
                                SandboxSpec *back = NULL;
                                uint32_t bad = 7, good;

                                memcpy(&good, data + off + 8, 4);
                                memcpy(data + off + 8, &bad, 4);
                                ASSERT_ERR(spec_deserialize(data, size, &back), -EBADMSG);
                                memcpy(data + off + 8, &good, 4);
                                found = true;
                        }
                        off += 8 + len;
                }
                TAP_POINT(found, "record %u is in the spec", (unsigned) tags[t]);
        }
}

static void check(const SandboxSpec *base, void (*change)(SandboxSpec *s), bool want_strict, const char *want_property,
                  const char *what) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = sandbox_spec_new();
        const char *p = NULL;
        bool strict;

        s->private_pids = base->private_pids;
        s->protect_proc = base->protect_proc;
        s->proc_subset = base->proc_subset;
        change(s);
        strict = spec_is_at_least_as_strict(s, base, &p);
        TAP_POINT(strict == want_strict && (want_strict || (p && streq(p, want_property))), "%s (%s, %s)", what,
                  strict ? "stricter or equal" : "looser", p ?: "-");
}

static void none(SandboxSpec *s) {}
static void pids_off(SandboxSpec *s) { s->private_pids = false; }
static void pids_on(SandboxSpec *s) { s->private_pids = true; }
static void proc_default(SandboxSpec *s) { s->protect_proc = PROTECT_PROC_DEFAULT; }
static void proc_noaccess(SandboxSpec *s) { s->protect_proc = PROTECT_PROC_NOACCESS; }
static void proc_ptraceable(SandboxSpec *s) { s->protect_proc = PROTECT_PROC_PTRACEABLE; }
static void subset_all(SandboxSpec *s) { s->proc_subset = PROC_SUBSET_ALL; }
static void subset_pid(SandboxSpec *s) { s->proc_subset = PROC_SUBSET_PID; }

static void test_strictness(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *profile = sandbox_spec_new(), *plain = sandbox_spec_new();

        /* The shipped profiles' settings. */
        profile->private_pids = true;
        profile->protect_proc = PROTECT_PROC_INVISIBLE;

        check(profile, none, true, NULL, "the profile itself");
        check(profile, pids_off, false, "PrivatePIDs", "PrivatePIDs=yes → no");
        check(profile, proc_default, false, "ProtectProc", "ProtectProc=invisible → default");
        check(profile, proc_noaccess, false, "ProtectProc", "ProtectProc=invisible → noaccess (lists others)");
        check(profile, proc_ptraceable, true, NULL, "ProtectProc=invisible → ptraceable (no gid exemption)");
        check(profile, subset_pid, true, NULL, "ProcSubset=pid added");
        check(plain, pids_on, true, NULL, "PrivatePIDs=no → yes");
        check(plain, proc_noaccess, true, NULL, "ProtectProc=default → noaccess");
        profile->proc_subset = PROC_SUBSET_PID;
        check(profile, subset_all, false, "ProcSubset", "ProcSubset=pid → all");
        profile->protect_proc = PROTECT_PROC_PTRACEABLE;
        check(profile, none, true, NULL, "ProtectProc=ptraceable kept");
        check(profile, proc_noaccess, false, "ProtectProc", "ProtectProc=ptraceable → noaccess");

        ASSERT_EQ(protect_proc_rank(PROTECT_PROC_DEFAULT), 0);
        ASSERT_TRUE(protect_proc_rank(PROTECT_PROC_NOACCESS) < protect_proc_rank(PROTECT_PROC_INVISIBLE));
        ASSERT_TRUE(protect_proc_rank(PROTECT_PROC_INVISIBLE) < protect_proc_rank(PROTECT_PROC_PTRACEABLE));
}

static const MountEntry *find(const MountPlan *p, const char *path) {
        for (size_t i = 0; i < p->n; i++)
                if (streq(p->entries[i].path, path))
                        return p->entries + i;
        return NULL;
}

static void test_plan(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = sandbox_spec_new(), *t = sandbox_spec_new();
        _cleanup_(mount_plan_done) MountPlan p = {}, q = {};
        const MountEntry *e;

        /* Under ProtectSystem=strict, /proc is a new instance, not the host's kept writable, and what
         * ProtectKernelTunables= puts below it comes after it. */
        ASSERT_OK(apply_text(s, "ProtectSystem=strict"));
        ASSERT_OK(apply_text(s, "ProtectKernelTunables=yes"));
        ASSERT_OK(apply_text(s, "PrivatePIDs=yes"));
        ASSERT_OK(apply_text(s, "ProtectProc=invisible"));
        ASSERT_OK(mount_plan_build(s, &p));
        e = find(&p, "/proc");
        ASSERT_TRUE(e && e->mode == MOUNT_PROCFS && !e->read_only && !e->ignore_missing && !e->caller_path);
        ASSERT_STREQ(e->label, "PrivatePIDs=yes: /proc");
        e = find(&p, "/proc/sys");
        ASSERT_TRUE(e && e->mode == MOUNT_READ_ONLY && e->ignore_missing);
        ASSERT_EQ(p.entries[mount_plan_parent(&p, (size_t) (e - p.entries))].mode, MOUNT_PROCFS);

        /* ProtectProc= alone asks for it too, and names itself in a failure. */
        ASSERT_OK(apply_text(t, "ProtectProc=noaccess"));
        ASSERT_OK(mount_plan_build(t, &q));
        ASSERT_EQ(q.n, 1);
        ASSERT_STREQ(q.entries[0].label, "ProtectProc=noaccess: /proc");
}

int main(void) {
        test_appliers();
        test_serialize();
        test_serialize_corrupt();
        test_strictness();
        test_plan();
        return tap_finish();
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Issue 15's kernel surface: the text forms and their errors, the spec's serialization, the strictness
 * order, and what each adds to the mount plan (exec-mount-plan.c). */
#include <stdio.h>

#include "environment.h"
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

static void test_process_attributes(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = sandbox_spec_new(), *back = NULL, *base = sandbox_spec_new();
        _cleanup_free_ char *m1 = NULL, *m2 = NULL, *m3 = NULL;
        _cleanup_free_ uint8_t *data = NULL;
        const char *looser = NULL;
        char text[128];
        size_t size;
        int bits;

        ASSERT_STREQ(property_info_lookup("KeyringMode")->signature, "s");
        ASSERT_STREQ(property_info_lookup("Personality")->signature, "s");
        ASSERT_STREQ(property_info_lookup("SecureBits")->signature, "i");
        ASSERT_STREQ(property_info_lookup("PrivateMounts")->signature, "b");
        ASSERT_STREQ(property_info_lookup("RemoveIPC")->signature, "b");
        ASSERT_STREQ(property_info_lookup("PrivateUsers")->signature, "b");
        ASSERT_OK(apply_text(s, "PrivateUsers=yes"));
        ASSERT_TRUE(s->private_users);
        ASSERT_OK(apply_text(s, "RemoveIPC=yes"));
        ASSERT_TRUE(s->remove_ipc);

        /* The defaults: systemd's for a service. */
        ASSERT_EQ(s->keyring_mode, KEYRING_MODE_PRIVATE);
        ASSERT_EQ(s->personality, -1);
        ASSERT_EQ(s->secure_bits, 0);

        ASSERT_OK(apply_text(s, "PrivateMounts=yes"));
        ASSERT_TRUE(s->private_mounts && sandbox_spec_needs_mount_namespace(s));
        ASSERT_OK(apply_text(s, "KeyringMode=shared"));
        ASSERT_EQ(s->keyring_mode, KEYRING_MODE_SHARED);
        ASSERT_ERR(apply_text_msg(s, "KeyringMode=public", &m1), -EINVAL);
        ASSERT_TRUE(m1 && strneq(m1, "KeyringMode: ", strlen("KeyringMode: ")) && strstr(m1, "\"public\""));
        ASSERT_EQ(s->keyring_mode, KEYRING_MODE_SHARED);

#if defined(__x86_64__)
        ASSERT_OK(apply_text(s, "Personality=x86"));
        ASSERT_EQ(s->personality, 8 /* PER_LINUX32 */);
        ASSERT_STREQ(personality_to_string(8), "x86");
        ASSERT_OK(apply_text(s, "Personality=x86-64"));
        ASSERT_EQ(s->personality, 0);
#endif
        ASSERT_ERR(apply_text_msg(s, "Personality=s390", &m2), -EINVAL);
        ASSERT_TRUE(m2 && strneq(m2, "Personality: ", strlen("Personality: ")));
        ASSERT_OK(apply_text(s, "Personality="));
        ASSERT_EQ(s->personality, -1);

        ASSERT_OK(secure_bits_from_string("noroot keep-caps-locked", &bits));
        ASSERT_EQ(bits, 0x21);
        ASSERT_STREQ(secure_bits_to_string(0x3f, text, sizeof text),
                     "keep-caps keep-caps-locked no-setuid-fixup no-setuid-fixup-locked noroot noroot-locked");
        ASSERT_OK(apply_text(s, "SecureBits=noroot noroot-locked"));
        ASSERT_EQ(s->secure_bits, 0x3);
        ASSERT_ERR(apply_text_msg(s, "SecureBits=noroot no-such-bit", &m3), -EINVAL);
        ASSERT_TRUE(m3 && strneq(m3, "SecureBits: ", strlen("SecureBits: ")));
        ASSERT_EQ(s->secure_bits, 0x3);
        ASSERT_OK(apply_text(s, "SecureBits="));
        ASSERT_EQ(s->secure_bits, 0);

        s->personality = 8;
        s->secure_bits = 0x3;
        strv_extend(&s->argv, "/bin/true");
        ASSERT_OK(spec_serialize(s, &data, &size));
        ASSERT_OK(spec_deserialize(data, size, &back));
        ASSERT_TRUE(back->private_mounts && back->private_users && back->remove_ipc);
        ASSERT_EQ(back->keyring_mode, KEYRING_MODE_SHARED);
        ASSERT_EQ(back->personality, 8);
        ASSERT_EQ(back->secure_bits, 0x3);

        /* Strictness: private > shared > inherit; noroot and the locks are the strict side of
         * SecureBits=, keep-caps and no-setuid-fixup the loose one. */
        base->keyring_mode = KEYRING_MODE_SHARED;
        s->private_mounts = false;
        s->private_users = false;
        s->remove_ipc = false;
        s->personality = -1;
        s->secure_bits = 0;
        ASSERT_TRUE(spec_is_at_least_as_strict(s, base, &looser));
        s->keyring_mode = KEYRING_MODE_INHERIT;
        ASSERT_TRUE(!spec_is_at_least_as_strict(s, base, &looser));
        ASSERT_STREQ(looser, "KeyringMode");
        s->keyring_mode = KEYRING_MODE_PRIVATE;
        s->secure_bits = 0x3;
        ASSERT_TRUE(spec_is_at_least_as_strict(s, base, &looser));
        s->secure_bits = 1 << 4; /* keep-caps */
        ASSERT_TRUE(!spec_is_at_least_as_strict(s, base, &looser));
        ASSERT_STREQ(looser, "SecureBits");
        base->secure_bits = 1; /* noroot */
        s->secure_bits = 0;
        ASSERT_TRUE(!spec_is_at_least_as_strict(s, base, &looser));
        ASSERT_STREQ(looser, "SecureBits");
        s->secure_bits = 3;
        ASSERT_TRUE(spec_is_at_least_as_strict(s, base, &looser));
        base->private_mounts = true;
        ASSERT_TRUE(!spec_is_at_least_as_strict(s, base, &looser));
        ASSERT_STREQ(looser, "PrivateMounts");
}

/* A value out of range is refused by confine-exec's reader. */
static void test_serialize_corrupt(void) {
        static const struct {
                uint32_t tag, bad;
        } cases[] = {
                { 38, 3 },     /* TAG_KEYRING_MODE */
                { 39, 0x42 },  /* TAG_PERSONALITY: not PER_LINUX or PER_LINUX32 */
                { 40, 0x40 },  /* TAG_SECURE_BITS: bit 6 */
        };
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = sandbox_spec_new();
        _cleanup_free_ uint8_t *data = NULL;
        size_t size;

        strv_extend(&s->argv, "/bin/true");
        ASSERT_OK(spec_serialize(s, &data, &size));
        for (size_t t = 0; t < ELEMENTSOF(cases); t++) {
                bool found = false;

                for (size_t off = 12; off + 8 <= size && !found;) {
                        uint32_t tag, len;
                        memcpy(&tag, data + off, 4);
                        memcpy(&len, data + off + 4, 4);
                        if (tag == cases[t].tag) {
                                SandboxSpec *back = NULL;
                                uint32_t good;

                                memcpy(&good, data + off + 8, 4);
                                memcpy(data + off + 8, &cases[t].bad, 4);
                                ASSERT_ERR(spec_deserialize(data, size, &back), -EBADMSG);
                                memcpy(data + off + 8, &good, 4);
                                found = true;
                        }
                        off += 8 + len;
                }
                TAP_POINT(found, "record %u is in the spec", (unsigned) cases[t].tag);
        }
}

static void test_exec_paths(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = sandbox_spec_new(), *back = NULL, *base = sandbox_spec_new();
        _cleanup_(mount_plan_done) MountPlan p = {};
        _cleanup_free_ char *m = NULL;
        _cleanup_free_ uint8_t *data = NULL;
        const MountEntry *e;
        const char *looser = NULL;
        size_t size;

        ASSERT_STREQ(property_info_lookup("NoExecPaths")->signature, "as");
        ASSERT_STREQ(property_info_lookup("ExecPaths")->signature, "as");
        ASSERT_OK(apply_text(s, "NoExecPaths=/ -/srv/missing"));
        ASSERT_OK(apply_text(s, "ExecPaths=/usr /srv/x /opt/same"));
        ASSERT_OK(apply_text(s, "NoExecPaths=/opt/same"));
        ASSERT_OK(apply_text(s, "ProtectSystem=strict"));
        ASSERT_OK(apply_text(s, "ReadWritePaths=/var/lib/x"));
        ASSERT_EQ(s->n_no_exec_paths, 3);
        ASSERT_EQ(s->n_exec_paths, 3);
        ASSERT_TRUE(s->no_exec_paths[1].ignore_missing);
        ASSERT_ERR(apply_text_msg(s, "ExecPaths=usr", &m), -EINVAL);
        ASSERT_TRUE(m && strneq(m, "ExecPaths: ", strlen("ExecPaths: ")));
        ASSERT_EQ(s->n_exec_paths, 3);

        ASSERT_OK(mount_plan_build(s, &p));
        mount_plan_resolve_attributes(&p);
        e = find(&p, "/");
        ASSERT_TRUE(e && e->read_only && e->noexec);
        /* ExecPaths= takes noexec away, not read-only: /usr stays read-only under strict. */
        e = find(&p, "/usr");
        ASSERT_TRUE(e && e->mode == MOUNT_EXEC && e->read_only && !e->noexec);
        ASSERT_STREQ(e->label, "ExecPaths=/usr");
        /* A writable path stays noexec below NoExecPaths=. */
        e = find(&p, "/var/lib/x");
        ASSERT_TRUE(e && !e->read_only && e->noexec);
        /* Both for one path: noexec wins. */
        e = find(&p, "/opt/same");
        ASSERT_TRUE(e && e->noexec);
        /* What the host has below them (/proc, /dev under strict) inherits noexec. */
        e = find(&p, "/proc");
        ASSERT_TRUE(e && !e->read_only && e->noexec);

        strv_extend(&s->argv, "/bin/true");
        ASSERT_OK(spec_serialize(s, &data, &size));
        ASSERT_OK(spec_deserialize(data, size, &back));
        ASSERT_EQ(back->n_no_exec_paths, 3);
        ASSERT_EQ(back->n_exec_paths, 3);
        ASSERT_STREQ(back->exec_paths[1].path, "/srv/x");

        /* NoExecPaths= only grows, ExecPaths= only shrinks. */
        {
                _cleanup_(sandbox_spec_freep) SandboxSpec *t = sandbox_spec_new();

                ASSERT_OK(apply_text(base, "NoExecPaths=/srv"));
                ASSERT_OK(apply_text(base, "ExecPaths=/srv/bin"));
                ASSERT_OK(apply_text(t, "NoExecPaths=/srv /home"));
                ASSERT_TRUE(spec_is_at_least_as_strict(t, base, &looser));
                ASSERT_OK(apply_text(t, "ExecPaths=/srv/bin"));
                ASSERT_TRUE(spec_is_at_least_as_strict(t, base, &looser));
                ASSERT_OK(apply_text(t, "ExecPaths=/srv/lib"));
                ASSERT_TRUE(!spec_is_at_least_as_strict(t, base, &looser));
                ASSERT_STREQ(looser, "ExecPaths");
                ASSERT_OK(apply_text(t, "ExecPaths="));
                ASSERT_OK(apply_text(t, "NoExecPaths="));
                ASSERT_OK(apply_text(t, "NoExecPaths=/home"));
                ASSERT_TRUE(!spec_is_at_least_as_strict(t, base, &looser));
                ASSERT_STREQ(looser, "NoExecPaths");
        }
}

static void test_mount_apivfs(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = sandbox_spec_new(), *base = sandbox_spec_new(), *back = NULL;
        _cleanup_(mount_plan_done) MountPlan p = {}, q = {};
        _cleanup_free_ uint8_t *data = NULL;
        const MountEntry *e;
        const char *looser = NULL;
        size_t size;

        ASSERT_STREQ(property_info_lookup("MountAPIVFS")->signature, "b");
        ASSERT_OK(apply_text(s, "MountAPIVFS=yes"));
        ASSERT_TRUE(s->mount_apivfs && sandbox_spec_needs_mount_namespace(s));
        ASSERT_OK(mount_plan_build(s, &p));
        e = find(&p, "/proc");
        ASSERT_TRUE(e && e->mode == MOUNT_PROCFS && e->if_unmounted);
        e = find(&p, "/sys");
        ASSERT_TRUE(e && e->mode == MOUNT_SYSFS && e->if_unmounted && !e->read_only);
        e = find(&p, "/dev");
        ASSERT_TRUE(e && e->mode == MOUNT_BIND && e->if_unmounted && streq(e->source, "/dev") && e->recursive);
        e = find(&p, "/run");
        ASSERT_TRUE(e && e->mode == MOUNT_TMPFS && e->if_unmounted);

        /* With a /proc of its own asked for, that one is mounted whatever is there; PrivateDevices= takes
         * /dev; ProtectKernelTunables= makes the new /sys read-only. */
        ASSERT_OK(apply_text(s, "ProtectProc=invisible"));
        ASSERT_OK(apply_text(s, "PrivateDevices=yes"));
        ASSERT_OK(apply_text(s, "ProtectKernelTunables=yes"));
        ASSERT_OK(mount_plan_build(s, &q));
        e = find(&q, "/proc");
        ASSERT_TRUE(e && e->mode == MOUNT_PROCFS && !e->if_unmounted);
        e = find(&q, "/dev");
        ASSERT_TRUE(e && e->mode == MOUNT_PRIVATE_DEV && !e->if_unmounted);
        e = find(&q, "/sys");
        ASSERT_TRUE(e && e->mode == MOUNT_SYSFS && e->read_only);

        strv_extend(&s->argv, "/bin/true");
        ASSERT_OK(spec_serialize(s, &data, &size));
        ASSERT_OK(spec_deserialize(data, size, &back));
        ASSERT_TRUE(back->mount_apivfs);

        /* More to see: yes is the loose side. */
        base->keyring_mode = s->keyring_mode;
        s->mount_apivfs = true;
        ASSERT_TRUE(!spec_is_at_least_as_strict(s, base, &looser));
        ASSERT_STREQ(looser, "MountAPIVFS");
}

static void test_part2_attributes(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = sandbox_spec_new(), *back = NULL, *base = sandbox_spec_new();
        _cleanup_free_ char *m1 = NULL, *m2 = NULL, *m3 = NULL;
        _cleanup_free_ uint8_t *data = NULL, *cpus = NULL;
        _cleanup_strv_free_ char **env = NULL;
        const char *looser = NULL;
        uint64_t mask;
        size_t size, n;

        ASSERT_STREQ(property_info_lookup("UnsetEnvironment")->signature, "as");
        ASSERT_STREQ(property_info_lookup("IgnoreSIGPIPE")->signature, "b");
        ASSERT_STREQ(property_info_lookup("TimerSlackNSec")->signature, "t");
        ASSERT_STREQ(property_info_lookup("CoredumpFilter")->signature, "t");
        ASSERT_STREQ(property_info_lookup("OOMScoreAdjust")->signature, "i");
        ASSERT_STREQ(property_info_lookup("CPUAffinity")->signature, "ay");
        ASSERT_STREQ(property_info_lookup("IOSchedulingClass")->signature, "i");
        ASSERT_STREQ(property_info_lookup("IOSchedulingPriority")->signature, "i");
        ASSERT_STREQ(property_info_lookup("CPUSchedulingPolicy")->signature, "i");
        ASSERT_STREQ(property_info_lookup("CPUSchedulingPriority")->signature, "i");
        ASSERT_STREQ(property_info_lookup("CPUSchedulingResetOnFork")->signature, "b");

        /* The value parsers. */
        ASSERT_OK(coredump_filter_from_string("default shared-dax", &mask));
        ASSERT_EQ(mask, 0x133);
        ASSERT_OK(coredump_filter_from_string("0x3", &mask));
        ASSERT_EQ(mask, 3);
        ASSERT_ERR(coredump_filter_from_string("0x200", &mask), -EINVAL);
        ASSERT_ERR(coredump_filter_from_string("private", &mask), -EINVAL);
        ASSERT_OK(cpu_set_from_string("0-2 9,11", &cpus, &n));
        ASSERT_TRUE(n == 2 && cpus[0] == 0x07 && cpus[1] == 0x0a);
        ASSERT_ERR(cpu_set_from_string("3-1", &cpus, &n), -EINVAL);
        ASSERT_ERR(cpu_set_from_string("8192", &cpus, &n), -EINVAL);
        ASSERT_ERR(cpu_set_from_string("a", &cpus, &n), -EINVAL);
        ASSERT_EQ(ioprio_class_from_string("best-effort"), 2);
        ASSERT_EQ(ioprio_class_from_string("3"), 3);
        ASSERT_ERR(ioprio_class_from_string("4"), -EINVAL);
        ASSERT_EQ(sched_policy_from_string("idle"), 5);
        ASSERT_ERR(sched_policy_from_string("4"), -EINVAL);
        ASSERT_ERR(sched_policy_from_string("deadline"), -EINVAL);

        /* The appliers, through the text forms systemd-run takes. */
        ASSERT_OK(apply_text(s, "UnsetEnvironment=A B=2"));
        ASSERT_ERR(apply_text_msg(s, "UnsetEnvironment=1A", &m1), -EINVAL);
        ASSERT_TRUE(m1 && strneq(m1, "UnsetEnvironment: ", strlen("UnsetEnvironment: ")));
        ASSERT_OK(apply_text(s, "IgnoreSIGPIPE=yes"));
        ASSERT_OK(apply_text(s, "TimerSlackNSec=50us"));
        ASSERT_EQ(s->timer_slack_nsec, 50000);
        ASSERT_OK(apply_text(s, "TimerSlackNSec=700"));
        ASSERT_EQ(s->timer_slack_nsec, 700);
        ASSERT_OK(apply_text(s, "TTYRows=40"));
        ASSERT_OK(apply_text(s, "TTYColumns=65535"));
        ASSERT_TRUE(s->tty_rows == 40 && s->tty_columns == 65535);
        ASSERT_ERR(apply_text(s, "TTYColumns=65536"), -EINVAL);
        ASSERT_ERR(apply_text(s, "TTYColumns=-1"), -EINVAL);
        ASSERT_ERR(apply_text(s, "TTYColumns=1x"), -EINVAL);
        ASSERT_EQ(s->tty_columns, 65535);
        ASSERT_OK(apply_text(s, "TTYRows="));
        ASSERT_EQ(s->tty_rows, UINT32_MAX);
        ASSERT_OK(apply_text(s, "CoredumpFilter=all"));
        ASSERT_EQ(s->coredump_filter, 0x1ff);
        ASSERT_OK(apply_text(s, "OOMScoreAdjust=-17"));
        ASSERT_ERR(apply_text(s, "OOMScoreAdjust=1001"), -EINVAL);
        ASSERT_EQ(s->oom_score_adjust, -17);
        ASSERT_OK(apply_text(s, "CPUAffinity=1"));
        ASSERT_TRUE(s->cpu_affinity_size == 1 && s->cpu_affinity[0] == 2);
        ASSERT_OK(apply_text(s, "IOSchedulingPriority=6"));
        ASSERT_TRUE(s->ioprio_class == 2 && s->ioprio_priority == 6);
        ASSERT_OK(apply_text(s, "IOSchedulingClass=idle"));
        ASSERT_TRUE(s->ioprio_class == 3 && s->ioprio_priority == 6);
        ASSERT_ERR(apply_text_msg(s, "CPUSchedulingPriority=5", &m2), -EINVAL);
        ASSERT_TRUE(m2 && strstr(m2, "CPUSchedulingPolicy=other"));
        ASSERT_OK(apply_text(s, "CPUSchedulingPolicy=rr"));
        ASSERT_EQ(s->cpu_sched_priority, 1); /* clamped into rr's range */
        ASSERT_OK(apply_text(s, "CPUSchedulingPriority=42"));
        ASSERT_ERR(apply_text_msg(s, "CPUSchedulingPriority=0", &m3), -EINVAL);
        ASSERT_OK(apply_text(s, "CPUSchedulingResetOnFork=yes"));

        /* UnsetEnvironment= as the last step: names and whole assignments. */
        strv_extend(&env, "A=1");
        strv_extend(&env, "B=2");
        strv_extend(&env, "B2=3");
        strv_extend(&env, "HOME=/");
        environment_unset(env, s->unset_environment);
        ASSERT_EQ(strv_length(env), 2);
        ASSERT_STREQ(env[0], "B2=3");

        strv_extend(&s->argv, "/bin/true");
        ASSERT_OK(spec_serialize(s, &data, &size));
        ASSERT_OK(spec_deserialize(data, size, &back));
        ASSERT_TRUE(back->ignore_sigpipe && back->timer_slack_nsec == 700 && back->coredump_filter == 0x1ff);
        ASSERT_TRUE(back->oom_score_adjust_set && back->oom_score_adjust == -17);
        ASSERT_TRUE(back->cpu_affinity_size == 1 && back->cpu_affinity[0] == 2);
        ASSERT_TRUE(back->ioprio_class == 3 && back->ioprio_priority == 6);
        ASSERT_TRUE(back->cpu_sched_policy == 2 && back->cpu_sched_priority == 42 && back->cpu_sched_reset_on_fork);

        /* What grants something is looser than a profile without it. */
        base->keyring_mode = s->keyring_mode;
        ASSERT_TRUE(!spec_is_at_least_as_strict(s, base, &looser));
        ASSERT_STREQ(looser, "OOMScoreAdjust");
        s->oom_score_adjust = 10;
        ASSERT_TRUE(!spec_is_at_least_as_strict(s, base, &looser));
        ASSERT_STREQ(looser, "CPUSchedulingPolicy");
        s->cpu_sched_policy = 3;
        s->cpu_sched_priority = 0;
        ASSERT_TRUE(spec_is_at_least_as_strict(s, base, &looser));
}

static void test_stop_properties(void) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = sandbox_spec_new(), *base = sandbox_spec_new();
        _cleanup_free_ char *m = NULL;
        const char *looser = NULL;

        ASSERT_STREQ(property_info_lookup("KillMode")->signature, "s");
        ASSERT_STREQ(property_info_lookup("KillSignal")->signature, "i");
        ASSERT_STREQ(property_info_lookup("FinalKillSignal")->signature, "i");
        ASSERT_STREQ(property_info_lookup("SendSIGKILL")->signature, "b");
        ASSERT_STREQ(property_info_lookup("TimeoutStopUSec")->signature, "t");
        ASSERT_TRUE(s->kill_mode == KILL_MODE_CONTROL_GROUP && s->kill_signal == 15 && s->final_kill_signal == 9 &&
                    s->send_sigkill && s->timeout_stop_usec == 90000000);

        ASSERT_OK(apply_text(s, "KillMode=mixed"));
        ASSERT_EQ(s->kill_mode, KILL_MODE_MIXED);
        ASSERT_ERR(apply_text_msg(s, "KillMode=all", &m), -EINVAL);
        ASSERT_TRUE(m && strneq(m, "KillMode: ", strlen("KillMode: ")));
        ASSERT_OK(apply_text(s, "KillSignal=SIGINT"));
        ASSERT_EQ(s->kill_signal, 2);
        ASSERT_OK(apply_text(s, "FinalKillSignal=USR2"));
        ASSERT_EQ(s->final_kill_signal, 12);
        ASSERT_ERR(apply_text(s, "KillSignal=SIGNOPE"), -EINVAL);
        ASSERT_OK(apply_text(s, "TimeoutStopSec=5s")); /* systemd-run's name, an alias */
        ASSERT_EQ(s->timeout_stop_usec, 5000000);
        ASSERT_OK(apply_text(s, "TimeoutStopSec=0"));
        ASSERT_EQ(s->timeout_stop_usec, UINT64_MAX);
        ASSERT_OK(apply_text(s, "TimeoutStopSec=5s"));

        base->keyring_mode = s->keyring_mode;
        base->kill_mode = KILL_MODE_MIXED;
        base->timeout_stop_usec = 5000000;
        ASSERT_TRUE(spec_is_at_least_as_strict(s, base, &looser));
        ASSERT_OK(apply_text(s, "KillMode=process"));
        ASSERT_TRUE(!spec_is_at_least_as_strict(s, base, &looser));
        ASSERT_STREQ(looser, "KillMode");
        ASSERT_OK(apply_text(s, "KillMode=control-group"));
        ASSERT_OK(apply_text(s, "SendSIGKILL=no"));
        ASSERT_TRUE(!spec_is_at_least_as_strict(s, base, &looser));
        ASSERT_STREQ(looser, "SendSIGKILL");
        ASSERT_OK(apply_text(s, "SendSIGKILL=yes"));
        ASSERT_OK(apply_text(s, "TimeoutStopSec=1min"));
        ASSERT_TRUE(!spec_is_at_least_as_strict(s, base, &looser));
        ASSERT_STREQ(looser, "TimeoutStopUSec");
}

int main(void) {
        test_stop_properties();
        test_part2_attributes();
        test_mount_apivfs();
        test_exec_paths();
        test_protect_clock_and_kernel_logs();
        test_process_attributes();
        test_serialize_corrupt();
        return tap_finish();
}

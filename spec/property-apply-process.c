/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Appliers for the process attributes that confine-exec sets on itself before the job runs
 * (exec-process.c): KeyringMode=, Personality=, SecureBits= and issue 15's part 2 (UnsetEnvironment=,
 * IgnoreSIGPIPE=, TimerSlackNSec=, CoredumpFilter=, OOMScoreAdjust=, CPUAffinity=, IOScheduling*=,
 * CPUScheduling*=). They only check and record. */
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "parse-util.h"
#include "property-appliers.h"
#include "strv.h"

#define process_invalid(msg, v, fmt, ...) property_fail((msg), -EINVAL, "%s: " fmt, (v)->info->name, ##__VA_ARGS__)

int apply_keyring_mode(SandboxSpec *s, const PropertyValue *v, char **msg) {
        KeyringMode m = keyring_mode_from_string(v->s);

        if (m < 0)
                return process_invalid(msg, v, "unknown value \"%s\", expected inherit, private or shared", v->s);
        s->keyring_mode = m;
        return 0;
}

/* "" resets, as in systemd. */
int apply_personality(SandboxSpec *s, const PropertyValue *v, char **msg) {
        unsigned long persona;

        if (!v->s[0]) {
                s->personality = -1;
                return 0;
        }
        if (personality_from_string(v->s, &persona) < 0)
                return process_invalid(msg, v, "\"%s\" is not this machine's architecture or its 32-bit twin", v->s);
        s->personality = (int) persona;
        return 0;
}

int apply_secure_bits(SandboxSpec *s, const PropertyValue *v, char **msg) {
        if (v->i < 0 || ((unsigned) v->i & ~SECURE_BITS_ALL))
                return process_invalid(msg, v, "invalid bits 0x%x, expected a combination of 0x%x",
                                       (unsigned) v->i, SECURE_BITS_ALL);
        s->secure_bits = v->i;
        return 0;
}

/* As systemd: names ("PATH") or assignments ("PATH=/bin", only that one) to drop from the job's final
 * environment, the daemon's own variables included; lists accumulate and "" resets. */
int apply_unset_environment(SandboxSpec *s, const PropertyValue *v, char **msg) {
        if (!v->strv || !v->strv[0]) {
                s->unset_environment = strv_free(s->unset_environment);
                return 0;
        }
        STRV_FOREACH(e, v->strv) {
                if (!env_assignment_is_valid(*e) && !env_name_is_valid(*e))
                        return process_invalid(msg, v, "\"%s\" is neither a variable name nor an assignment", *e);
                if (strv_length(s->unset_environment) >= 4096)
                        return process_invalid(msg, v, "more than 4096 entries");
                if (strv_extend(&s->unset_environment, *e) < 0)
                        return -ENOMEM;
        }
        return 0;
}

int apply_ignore_sigpipe(SandboxSpec *s, const PropertyValue *v, char **msg) {
        s->ignore_sigpipe = v->b;
        return 0;
}

/* UINT64_MAX ("infinity", as systemd prints an unset one) leaves the slack alone. */
/* TTYRows=/TTYColumns=: systemd reads a "u" and keeps UINT_MAX as unset; a window is 16 bits. */
int apply_tty_size(SandboxSpec *s, const PropertyValue *v, char **msg) {
        bool rows = streq(v->info->name, "TTYRows");

        if (v->u != UINT32_MAX && v->u > UINT16_MAX)
                return process_invalid(msg, v, "%" PRIu32 " is more than a terminal's %u %s", v->u,
                                       (unsigned) UINT16_MAX, rows ? "rows" : "columns");
        *(rows ? &s->tty_rows : &s->tty_columns) = v->u;
        return 0;
}

int apply_timer_slack(SandboxSpec *s, const PropertyValue *v, char **msg) {
        if (v->t != UINT64_MAX && v->t > (uint64_t) LONG_MAX)
                return process_invalid(msg, v, "%" PRIu64 " ns is too large", v->t);
        s->timer_slack_nsec = v->t;
        return 0;
}

int apply_coredump_filter(SandboxSpec *s, const PropertyValue *v, char **msg) {
        if (v->t & ~COREDUMP_FILTER_ALL)
                return process_invalid(msg, v, "unknown bits 0x%" PRIx64 ", expected a mask within 0x%" PRIx64,
                                       v->t & ~COREDUMP_FILTER_ALL, COREDUMP_FILTER_ALL);
        s->coredump_filter = v->t;
        s->coredump_filter_set = true;
        return 0;
}

int apply_oom_score_adjust(SandboxSpec *s, const PropertyValue *v, char **msg) {
        if (v->i < -1000 || v->i > 1000)
                return process_invalid(msg, v, "%" PRIi32 " is outside -1000…1000", v->i);
        s->oom_score_adjust = v->i;
        s->oom_score_adjust_set = true;
        return 0;
}

/* An empty mask resets, as in systemd. */
int apply_cpu_affinity(SandboxSpec *s, const PropertyValue *v, char **msg) {
        uint8_t *copy = NULL;
        size_t n = v->n_bytes;

        while (n > 0 && v->bytes[n - 1] == 0)
                n--;
        if (n > CPU_SET_MAX_CPUS / 8)
                return process_invalid(msg, v, "a CPU above %u", CPU_SET_MAX_CPUS - 1);
        if (n > 0) {
                copy = malloc(n);
                if (!copy)
                        return -ENOMEM;
                memcpy(copy, v->bytes, n);
        }
        free(s->cpu_affinity);
        s->cpu_affinity = copy;
        s->cpu_affinity_size = n;
        return 0;
}

/* As systemd: the class keeps the priority given (4, best-effort's default, until one is), the priority
 * alone goes with best-effort. */
int apply_io_scheduling_class(SandboxSpec *s, const PropertyValue *v, char **msg) {
        if (!ioprio_class_to_string(v->i))
                return process_invalid(msg, v, "unknown class %" PRIi32 ", expected 0…3", v->i);
        s->ioprio_class = v->i;
        if (s->ioprio_priority < 0)
                s->ioprio_priority = 4;
        return 0;
}

int apply_io_scheduling_priority(SandboxSpec *s, const PropertyValue *v, char **msg) {
        if (v->i < 0 || v->i > 7)
                return process_invalid(msg, v, "%" PRIi32 " is outside 0…7", v->i);
        s->ioprio_priority = v->i;
        if (s->ioprio_class < 0)
                s->ioprio_class = 2; /* best-effort */
        return 0;
}

/* As systemd's config parser: a policy clamps the priority given before into its range (1…99 for fifo
 * and rr, 0 for the others), and a priority given after must lie in it. */
int apply_cpu_scheduling_policy(SandboxSpec *s, const PropertyValue *v, char **msg) {
        if (!sched_policy_to_string(v->i))
                return process_invalid(msg, v, "unknown policy %" PRIi32, v->i);
        s->cpu_sched_policy = v->i;
        s->cpu_sched_priority = sched_policy_is_realtime(v->i) ? MAX(1, MIN(99, s->cpu_sched_priority)) : 0;
        return 0;
}

int apply_cpu_scheduling_priority(SandboxSpec *s, const PropertyValue *v, char **msg) {
        bool rt = sched_policy_is_realtime(s->cpu_sched_policy);

        if (rt ? v->i < 1 || v->i > 99 : v->i != 0)
                return process_invalid(msg, v, "%" PRIi32 " is outside %s for CPUSchedulingPolicy=%s", v->i,
                                       rt ? "1…99" : "0…0", sched_policy_to_string(MAX(s->cpu_sched_policy, 0)));
        s->cpu_sched_priority = v->i;
        return 0;
}

int apply_cpu_scheduling_reset_on_fork(SandboxSpec *s, const PropertyValue *v, char **msg) {
        s->cpu_sched_reset_on_fork = v->b;
        return 0;
}

int apply_kill_mode(SandboxSpec *s, const PropertyValue *v, char **msg) {
        KillMode m = kill_mode_from_string(v->s);

        if (m < 0)
                return process_invalid(msg, v, "unknown value \"%s\", expected control-group, process, mixed or none",
                                       v->s);
        s->kill_mode = m;
        return 0;
}

/* KillSignal= and FinalKillSignal=: as systemd's SIGNAL_VALID(), 1…_NSIG-1. */
int apply_kill_signal(SandboxSpec *s, const PropertyValue *v, char **msg) {
        if (v->i < 1 || v->i >= _NSIG)
                return process_invalid(msg, v, "%" PRIi32 " is no signal", v->i);
        *(streq(v->info->name, "KillSignal") ? &s->kill_signal : &s->final_kill_signal) = v->i;
        return 0;
}

int apply_send_sigkill(SandboxSpec *s, const PropertyValue *v, char **msg) {
        s->send_sigkill = v->b;
        return 0;
}

/* 0 is "no timeout" in systemd too (infinity). */
int apply_timeout_stop(SandboxSpec *s, const PropertyValue *v, char **msg) {
        s->timeout_stop_usec = v->t == 0 ? UINT64_MAX : v->t;
        return 0;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Learn mode, what a job's calls used beyond their names: the arguments that decide whether a
 * switch would stop them (realtime scheduling, a personality, a mapping both writable and executable,
 * the set-user-ID bit, namespaces, other processes, a privileged program run), its socket endpoints,
 * and the capabilities its programs held after each execve(). Read by value, or from the job's
 * memory while the call waits; recorded only, never decided on (a value read back could differ from
 * the one the kernel then uses, which does not matter for a record). No D-Bus. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/seccomp.h>
#include <sys/types.h>

typedef enum LearnUse {
        LEARN_USE_REALTIME        = 1 << 0,
        LEARN_USE_PERSONALITY     = 1 << 1,
        LEARN_USE_WRITE_EXECUTE   = 1 << 2,
        LEARN_USE_SUID_SGID       = 1 << 3,
        LEARN_USE_OTHER_PROCESSES = 1 << 4,
        LEARN_USE_PRIVILEGED_EXEC = 1 << 5,
} LearnUse;

#define LEARN_EXEC_PIDS_MAX 64

typedef struct LearnUses {
        uint32_t uses;                  /* LearnUse bits */
        uint64_t namespaces;            /* the CLONE_NEW* flags asked for */
        uint64_t capabilities;          /* permitted after an execve(), all of them together */
        char **endpoints;               /* "connect AF_INET 127.0.0.1:8080", sorted, each once */
        size_t n_endpoints;
        pid_t exec_pids[LEARN_EXEC_PIDS_MAX]; /* made execve(): their next call shows what they hold */
        size_t n_exec_pids;
} LearnUses;

void learn_uses_record(LearnUses *u, int listener_fd, const struct seccomp_notif *req);
/* A path the job named (after the listener checked the call is still valid): /proc/PID of another
 * process, or a program with the set-user-ID/set-group-ID bit or file capabilities that it ran. */
void learn_uses_path(LearnUses *u, pid_t pid, const char *path, bool executed);
/* "realtime", "write-execute", "namespace:net" …, sorted; NULL-terminated, never NULL on success. */
int learn_uses_names(const LearnUses *u, char ***ret);
/* The capabilities held ("cap_net_bind_service" …); an empty list when none was, NULL-terminated. */
int learn_uses_capabilities(const LearnUses *u, char ***ret);
void learn_uses_done(LearnUses *u);

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The value names of KeyringMode=, Personality= and SecureBits=, as systemd.exec(5) has them. */

typedef enum KeyringMode {
        KEYRING_MODE_INHERIT,   /* the session keyring of whoever started confine-exec: the daemon's */
        KEYRING_MODE_PRIVATE,   /* a new anonymous session keyring (systemd's default for services) */
        KEYRING_MODE_SHARED,    /* a new one, with the job user's user keyring linked into it */
        _KEYRING_MODE_MAX,
        _KEYRING_MODE_INVALID = -EINVAL,
} KeyringMode;

const char *keyring_mode_to_string(KeyringMode m);
KeyringMode keyring_mode_from_string(const char *s);
/* For the strictness order: inherit 0, shared 1, private 2. */
int keyring_mode_rank(KeyringMode m);

/* Personality=: the native architecture ("x86-64") is PER_LINUX, its 32-bit twin ("x86") PER_LINUX32,
 * as systemd's personality_from_string() takes them; anything else, also another machine's name, is
 * -EINVAL. */
int personality_from_string(const char *s, unsigned long *ret);
const char *personality_to_string(unsigned long persona);

/* SecureBits=: "keep-caps keep-caps-locked no-setuid-fixup no-setuid-fixup-locked noroot
 * noroot-locked", the SECBIT_* flags of <linux/securebits.h>. "" is 0; an unknown word is -EINVAL. */
#define SECURE_BITS_ALL 0x3fu
int secure_bits_from_string(const char *s, int *ret);
/* Into buf (at least 128 bytes), in the order above. */
const char *secure_bits_to_string(int bits, char *buf, size_t size);
/* The bits that let capabilities survive a change of uid (keep-caps, no-setuid-fixup): the loose side. */
#define SECURE_BITS_LOOSE ((1u << 4) | (1u << 2))

/* IOSchedulingClass=: "none" 0, "realtime" 1, "best-effort" 2, "idle" 3, or that number. */
int ioprio_class_from_string(const char *s);
const char *ioprio_class_to_string(int c);
#define IOPRIO_CLASS_RT_VALUE 1

/* CPUSchedulingPolicy=: "other" 0, "fifo" 1, "rr" 2, "batch" 3, "idle" 5, or that number. */
int sched_policy_from_string(const char *s);
const char *sched_policy_to_string(int p);
bool sched_policy_is_realtime(int p);

/* CoredumpFilter=: "private-anonymous shared-anonymous private-file-backed shared-file-backed
 * elf-headers private-huge shared-huge private-dax shared-dax", "default" (0x33), "all" (0x1ff), or a
 * hexadecimal mask; words add up. */
#define COREDUMP_FILTER_ALL UINT64_C(0x1ff)
int coredump_filter_from_string(const char *s, uint64_t *ret);

/* KillMode=: whom the stop of a job signals (daemon/job.c). */
typedef enum KillMode {
        KILL_MODE_CONTROL_GROUP, /* every process of the job's cgroup */
        KILL_MODE_PROCESS,       /* the main process only */
        KILL_MODE_MIXED,         /* KillSignal= to the main process, FinalKillSignal= to all */
        KILL_MODE_NONE,          /* nobody: the job ends when the daemon stops */
        _KILL_MODE_MAX,
        _KILL_MODE_INVALID = -EINVAL,
} KillMode;

const char *kill_mode_to_string(KillMode m);
KillMode kill_mode_from_string(const char *s);

/* CPUAffinity=: "0-3 5,7" into a bit mask of bytes (CPU n is bit n % 8 of byte n / 8), at most
 * CPU_SET_MAX_CPUS CPUs; "" is an empty mask (reset). */
#define CPU_SET_MAX_CPUS 8192u
int cpu_set_from_string(const char *s, uint8_t **ret, size_t *ret_size);

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <linux/securebits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>

#include "macro.h"
#include "process-names.h"

static const char *const keyring_mode_table[_KEYRING_MODE_MAX] = {
        [KEYRING_MODE_INHERIT] = "inherit",
        [KEYRING_MODE_PRIVATE] = "private",
        [KEYRING_MODE_SHARED] = "shared",
};

const char *keyring_mode_to_string(KeyringMode m) {
        return m >= 0 && m < _KEYRING_MODE_MAX ? keyring_mode_table[m] : NULL;
}

KeyringMode keyring_mode_from_string(const char *s) {
        for (int i = 0; i < _KEYRING_MODE_MAX; i++)
                if (streq(s, keyring_mode_table[i]))
                        return (KeyringMode) i;
        return _KEYRING_MODE_INVALID;
}

int keyring_mode_rank(KeyringMode m) {
        return m == KEYRING_MODE_PRIVATE ? 2 : m == KEYRING_MODE_SHARED ? 1 : 0;
}

#if defined(__x86_64__)
#define NATIVE_ARCH "x86-64"
#define SECONDARY_ARCH "x86"
#elif defined(__aarch64__)
#define NATIVE_ARCH "arm64"
#define SECONDARY_ARCH "arm"
#elif defined(__i386__)
#define NATIVE_ARCH "x86"
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define NATIVE_ARCH "ppc64"
#define SECONDARY_ARCH "ppc"
#elif defined(__powerpc64__)
#define NATIVE_ARCH "ppc64-le"
#elif defined(__s390x__)
#define NATIVE_ARCH "s390x"
#define SECONDARY_ARCH "s390"
#elif defined(__riscv) && __riscv_xlen == 64
#define NATIVE_ARCH "riscv64"
#endif

int personality_from_string(const char *s, unsigned long *ret) {
#ifdef NATIVE_ARCH
        if (streq(s, NATIVE_ARCH)) {
                *ret = PER_LINUX;
                return 0;
        }
#endif
#ifdef SECONDARY_ARCH
        if (streq(s, SECONDARY_ARCH)) {
                *ret = PER_LINUX32;
                return 0;
        }
#endif
        return -EINVAL;
}

const char *personality_to_string(unsigned long persona) {
#ifdef NATIVE_ARCH
        if (persona == PER_LINUX)
                return NATIVE_ARCH;
#endif
#ifdef SECONDARY_ARCH
        if (persona == PER_LINUX32)
                return SECONDARY_ARCH;
#endif
        return NULL;
}

static const struct {
        const char *name;
        int bit;
} secure_bit_names[] = {
        { "keep-caps",              SECURE_KEEP_CAPS },
        { "keep-caps-locked",       SECURE_KEEP_CAPS_LOCKED },
        { "no-setuid-fixup",        SECURE_NO_SETUID_FIXUP },
        { "no-setuid-fixup-locked", SECURE_NO_SETUID_FIXUP_LOCKED },
        { "noroot",                 SECURE_NOROOT },
        { "noroot-locked",          SECURE_NOROOT_LOCKED },
};

int secure_bits_from_string(const char *s, int *ret) {
        int bits = 0;

        for (const char *p = s;;) {
                size_t n;
                bool found = false;

                p += strspn(p, " \t\n");
                if (!*p)
                        break;
                n = strcspn(p, " \t\n");
                for (size_t i = 0; i < ELEMENTSOF(secure_bit_names) && !found; i++)
                        if (strlen(secure_bit_names[i].name) == n && strneq(p, secure_bit_names[i].name, n)) {
                                bits |= 1 << secure_bit_names[i].bit;
                                found = true;
                        }
                if (!found)
                        return -EINVAL;
                p += n;
        }
        *ret = bits;
        return 0;
}

const char *secure_bits_to_string(int bits, char *buf, size_t size) {
        size_t used = 0;

        buf[0] = 0;
        for (size_t i = 0; i < ELEMENTSOF(secure_bit_names); i++)
                if (bits & (1 << secure_bit_names[i].bit)) {
                        int n = snprintf(buf + used, size - used, "%s%s", used ? " " : "", secure_bit_names[i].name);
                        if (n < 0 || (size_t) n >= size - used)
                                break;
                        used += (size_t) n;
                }
        return buf;
}

static int name_or_number(const char *s, const char *const *table, size_t n, int max) {
        char *end;
        long v;

        for (size_t i = 0; i < n; i++)
                if (table[i] && streq(s, table[i]))
                        return (int) i;
        if (s[0] < '0' || s[0] > '9')
                return -EINVAL;
        errno = 0;
        v = strtol(s, &end, 10);
        if (errno != 0 || *end || v > max || (v < (long) n && !table[v]))
                return -EINVAL;
        return (int) v;
}

static const char *const ioprio_class_table[] = { "none", "realtime", "best-effort", "idle" };

int ioprio_class_from_string(const char *s) {
        return name_or_number(s, ioprio_class_table, ELEMENTSOF(ioprio_class_table), 3);
}

const char *ioprio_class_to_string(int c) {
        return c >= 0 && (size_t) c < ELEMENTSOF(ioprio_class_table) ? ioprio_class_table[c] : NULL;
}

static const char *const sched_policy_table[] = { "other", "fifo", "rr", "batch", NULL, "idle" };

int sched_policy_from_string(const char *s) {
        return name_or_number(s, sched_policy_table, ELEMENTSOF(sched_policy_table), 5);
}

const char *sched_policy_to_string(int p) {
        return p >= 0 && (size_t) p < ELEMENTSOF(sched_policy_table) ? sched_policy_table[p] : NULL;
}

bool sched_policy_is_realtime(int p) {
        return p == 1 || p == 2;
}

static const char *const coredump_filter_names[] = {
        "private-anonymous", "shared-anonymous", "private-file-backed", "shared-file-backed",
        "elf-headers", "private-huge", "shared-huge", "private-dax", "shared-dax",
};

int coredump_filter_from_string(const char *s, uint64_t *ret) {
        uint64_t mask = 0;

        for (const char *p = s;;) {
                char word[64], *end;
                size_t n;
                bool found = false;

                p += strspn(p, " \t\n");
                if (!*p)
                        break;
                n = strcspn(p, " \t\n");
                if (n >= sizeof word)
                        return -EINVAL;
                memcpy(word, p, n);
                word[n] = 0;
                p += n;
                if (streq(word, "default")) {
                        mask |= 0x33;
                        continue;
                }
                if (streq(word, "all")) {
                        mask |= COREDUMP_FILTER_ALL;
                        continue;
                }
                for (size_t i = 0; i < ELEMENTSOF(coredump_filter_names) && !found; i++)
                        if (streq(word, coredump_filter_names[i])) {
                                mask |= UINT64_C(1) << i;
                                found = true;
                        }
                if (found)
                        continue;
                errno = 0;
                uint64_t v = strtoull(word, &end, 16);
                if (errno != 0 || *end || end == word || word[0] == '-' || (v & ~COREDUMP_FILTER_ALL))
                        return -EINVAL;
                mask |= v;
        }
        *ret = mask;
        return 0;
}

int cpu_set_from_string(const char *s, uint8_t **ret, size_t *ret_size) {
        uint8_t bits[CPU_SET_MAX_CPUS / 8] = {};
        size_t size = 0;
        uint8_t *copy;

        for (const char *p = s;;) {
                unsigned long a, b;
                char *end;

                p += strspn(p, " \t\n,");
                if (!*p)
                        break;
                if (*p < '0' || *p > '9')
                        return -EINVAL;
                errno = 0;
                a = strtoul(p, &end, 10);
                b = a;
                if (errno == 0 && *end == '-') {
                        p = end + 1;
                        if (*p < '0' || *p > '9')
                                return -EINVAL;
                        b = strtoul(p, &end, 10);
                }
                if (errno != 0 || a > b || b >= CPU_SET_MAX_CPUS || (*end && !strchr(" \t\n,", *end)))
                        return -EINVAL;
                for (unsigned long c = a; c <= b; c++)
                        bits[c / 8] |= (uint8_t) (1u << (c % 8));
                size = MAX(size, b / 8 + 1);
                p = end;
        }
        copy = size ? malloc(size) : NULL;
        if (size && !copy)
                return -ENOMEM;
        if (size)
                memcpy(copy, bits, size);
        *ret = copy;
        *ret_size = size;
        return 0;
}

static const char *const kill_mode_table[_KILL_MODE_MAX] = {
        [KILL_MODE_CONTROL_GROUP] = "control-group",
        [KILL_MODE_PROCESS] = "process",
        [KILL_MODE_MIXED] = "mixed",
        [KILL_MODE_NONE] = "none",
};

const char *kill_mode_to_string(KillMode m) {
        return m >= 0 && m < _KILL_MODE_MAX ? kill_mode_table[m] : NULL;
}

KillMode kill_mode_from_string(const char *s) {
        for (int i = 0; i < _KILL_MODE_MAX; i++)
                if (streq(s, kill_mode_table[i]))
                        return (KillMode) i;
        return _KILL_MODE_INVALID;
}

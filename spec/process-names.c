/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <linux/securebits.h>
#include <stdio.h>
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

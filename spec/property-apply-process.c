/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Appliers for the process attributes that confine-exec sets on itself before the job runs
 * (exec-process.c): KeyringMode=, Personality=, SecureBits=. They only check and record. */
#include "property-appliers.h"

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

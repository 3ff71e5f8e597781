/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer target: Spawn's a(sv), as the daemon reads it from the bus, into a SandboxSpec
 * (bus_spec_read_properties), then back out as the Job's Properties (bus_spec_append).
 *
 * The input is a program that builds a well-formed D-Bus message: the bus itself rejects
 * malformed ones before they reach confined, so the interesting inputs are valid messages
 * with hostile content. Each property takes bytes from the input: which name (a known one, a
 * near-miss, or raw bytes), which signature (usually the right one, sometimes any of the
 * others), and the value's bytes. Whatever the input: no crash, no leak, no UB. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bus-spec.h"
#include "property-table.h"
#include "strv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct Input {
        const uint8_t *p;
        size_t left;
} Input;

static uint8_t take_byte(Input *in) {
        if (in->left == 0)
                return 0;
        in->left--;
        return *in->p++;
}

static uint64_t take_u64(Input *in) {
        uint64_t v = 0;
        for (int i = 0; i < 8; i++)
                v = (v << 8) | take_byte(in);
        return v;
}

/* A NUL-free, valid UTF-8 string (D-Bus demands both): bytes folded into printable ASCII,
 * with a few path-ish characters made likely. */
static char *take_string(Input *in) {
        static const char alphabet[] = "/./..-:@~+ abcAZ_09=\t%";
        size_t n = take_byte(in) % 64;
        char *s = malloc(n + 1);

        if (!s)
                return NULL;
        for (size_t i = 0; i < n; i++) {
                uint8_t b = take_byte(in);
                s[i] = b < 128 ? (char) (0x20 + b % 0x5f) : alphabet[b % (sizeof alphabet - 1)];
        }
        s[n] = 0;
        return s;
}

static int append_strv(sd_bus_message *m, Input *in) {
        unsigned n = take_byte(in) % 6;
        int r = sd_bus_message_open_container(m, 'a', "s");

        for (unsigned i = 0; r >= 0 && i < n; i++) {
                _cleanup_free_ char *s = take_string(in);
                r = s ? sd_bus_message_append(m, "s", s) : -ENOMEM;
        }
        return r < 0 ? r : sd_bus_message_close_container(m);
}

static int append_tuples(sd_bus_message *m, Input *in, const char *element) {
        unsigned n = take_byte(in) % 4;
        int r = sd_bus_message_open_container(m, 'a', element);

        for (unsigned i = 0; r >= 0 && i < n; i++) {
                if (streq(element, "(iiqq)")) {
                        r = sd_bus_message_append(m, "(iiqq)", (int32_t) take_byte(in) % 12, (int32_t) take_byte(in) % 20,
                                                  (uint16_t) take_u64(in), (uint16_t) take_u64(in));
                        continue;
                }
                if (streq(element, "(iayu)")) {
                        uint8_t address[20];
                        size_t size = take_byte(in) % sizeof address;

                        for (size_t k = 0; k < size; k++)
                                address[k] = take_byte(in);
                        r = sd_bus_message_open_container(m, 'r', "iayu");
                        if (r >= 0)
                                r = sd_bus_message_append(m, "i", (int32_t) take_byte(in) % 12);
                        if (r >= 0)
                                r = sd_bus_message_append_array(m, 'y', address, size);
                        if (r >= 0)
                                r = sd_bus_message_append(m, "u", (uint32_t) take_byte(in) % 160);
                        if (r >= 0)
                                r = sd_bus_message_close_container(m);
                        continue;
                }
                _cleanup_free_ char *a = take_string(in), *b = take_string(in);
                if (!a || !b)
                        return -ENOMEM;
                if (streq(element, "(ss)"))
                        r = sd_bus_message_append(m, "(ss)", a, b);
                else
                        r = sd_bus_message_append(m, "(ssbt)", a, b, take_byte(in) & 1, take_u64(in));
        }
        return r < 0 ? r : sd_bus_message_close_container(m);
}

/* fds cannot be appended on a bus that never authenticated: "h" stays out of the choice. */
static const char *const signatures[] = { "b", "i", "u", "t", "s", "as", "(bas)", "a(ss)", "a(ssbt)", "a(iayu)",
                                          "a(iiqq)" };

static int append_value(sd_bus_message *m, Input *in, const char *sig) {
        int r = sd_bus_message_open_container(m, 'v', sig);

        if (r < 0)
                return r;
        if (streq(sig, "b"))
                r = sd_bus_message_append(m, "b", take_byte(in) & 1);
        else if (streq(sig, "i"))
                r = sd_bus_message_append(m, "i", (int32_t) take_u64(in));
        else if (streq(sig, "u"))
                r = sd_bus_message_append(m, "u", (uint32_t) take_u64(in));
        else if (streq(sig, "t"))
                r = sd_bus_message_append(m, "t", take_u64(in));
        else if (streq(sig, "s")) {
                _cleanup_free_ char *s = take_string(in);
                r = s ? sd_bus_message_append(m, "s", s) : -ENOMEM;
        } else if (streq(sig, "as"))
                r = append_strv(m, in);
        else if (streq(sig, "(bas)")) {
                r = sd_bus_message_open_container(m, 'r', "bas");
                if (r >= 0)
                        r = sd_bus_message_append(m, "b", take_byte(in) & 1);
                if (r >= 0)
                        r = append_strv(m, in);
                if (r >= 0)
                        r = sd_bus_message_close_container(m);
        } else
                r = append_tuples(m, in, sig + 1);
        return r < 0 ? r : sd_bus_message_close_container(m);
}

static int append_properties(sd_bus_message *m, Input *in) {
        int r = sd_bus_message_open_container(m, 'a', "(sv)");

        while (r >= 0 && in->left > 0) {
                const PropertyInfo *info = &property_table[take_byte(in) % property_table_size];
                uint8_t how = take_byte(in);
                _cleanup_free_ char *raw = NULL;
                const char *name = info->name, *sig = info->signature;

                if (streq(sig, "h") || streq(sig, "a(hs)"))
                        continue;
                if (how % 16 == 0) {
                        raw = take_string(in);
                        if (!raw)
                                return -ENOMEM;
                        name = raw;
                }
                if (how / 16 == 0)
                        sig = signatures[take_byte(in) % (sizeof signatures / sizeof *signatures)];

                r = sd_bus_message_open_container(m, 'r', "sv");
                if (r >= 0)
                        r = sd_bus_message_append(m, "s", name);
                if (r >= 0)
                        r = append_value(m, in, sig);
                if (r >= 0)
                        r = sd_bus_message_close_container(m);
        }
        return r < 0 ? r : sd_bus_message_close_container(m);
}

static sd_bus *fuzz_bus(void) {
        static sd_bus *bus;
        int pair[2];

        /* A bus that is "open" (messages can be made on it) but never talks to anybody. */
        if (bus)
                return bus;
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0 || sd_bus_new(&bus) < 0 ||
            sd_bus_set_fd(bus, pair[0], pair[0]) < 0 || sd_bus_set_anonymous(bus, true) < 0 ||
            sd_bus_start(bus) < 0)
                abort();
        return bus;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *out = NULL;
        _cleanup_(sandbox_spec_freep) SandboxSpec *spec = sandbox_spec_new();
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        Input in = { data, size };
        sd_bus *bus = fuzz_bus();
        static uint64_t cookie;

        if (!spec || size > 16 * 1024)
                return 0;
        if (sd_bus_message_new_method_call(bus, &m, "org.confine.Confine1", "/org/confine/Confine1",
                                           "org.confine.Confine1.Manager", "Spawn") < 0)
                abort();
        if (append_properties(m, &in) < 0)
                return 0; /* sd-bus itself refused the content: it would never be sent */
        if (sd_bus_message_seal(m, ++cookie, 0) < 0 || sd_bus_message_rewind(m, true) < 0)
                abort();

        if (bus_spec_read_properties(m, spec, 256, &error) < 0)
                return 0;
        if (sd_bus_message_new_method_return(m, &out) < 0)
                abort();
        if (bus_spec_append(out, spec) < 0)
                abort(); /* what was accepted must be reportable as the Job's Properties */
        return 0;
}

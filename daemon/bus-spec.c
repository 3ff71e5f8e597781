/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "af-names.h"
#include "bus-spec.h"
#include "spec-fields.h"
#include "bus-util.h"
#include "cap-names.h"
#include "parse-util.h"
#include "property-appliers.h"
#include "property-apply.h"
#include "property-table.h"
#include "strv.h"

/* One list value (Environment, ReadOnlyPaths, SystemCallFilter, BindPaths…) holds at most this
 * many entries and bytes: far above any real use, far below what would let one request make
 * the daemon spend seconds or megabytes. */
#define PROPERTY_LIST_MAX_ENTRIES 4096
#define PROPERTY_LIST_MAX_BYTES (1024 * 1024)

/* a(iayu): family, address bytes, prefix length; the applier validates them. */
static int read_ip_prefixes(sd_bus_message *m, PropertyValue *v) {
        int r;

        r = sd_bus_message_enter_container(m, 'a', "(iayu)");
        if (r < 0)
                return r;
        while ((r = sd_bus_message_enter_container(m, 'r', "iayu")) > 0) {
                PropertyTuple t = { .fd = -EBADF };
                const void *data;
                size_t size;

                if (v->n_tuples >= PROPERTY_LIST_MAX_ENTRIES)
                        return -E2BIG;
                r = sd_bus_message_read(m, "i", &t.i);
                if (r >= 0)
                        r = sd_bus_message_read_array(m, 'y', &data, &size);
                if (r >= 0)
                        r = sd_bus_message_read(m, "u", &t.u);
                if (r >= 0)
                        r = sd_bus_message_exit_container(m);
                if (r < 0)
                        return r;
                if (size > 16) /* no address is longer: the applier refuses "more than 16 bytes" */
                        size = 17;
                t.bytes = malloc(size ?: 1);
                if (!t.bytes)
                        return -ENOMEM;
                memcpy(t.bytes, data, MIN(size, (size_t) 16));
                t.n_bytes = size;
                if (property_value_add_tuple(v, &t) < 0) {
                        free(t.bytes);
                        return -ENOMEM;
                }
        }
        if (r < 0)
                return r;
        return sd_bus_message_exit_container(m);
}

static int read_socket_bind(sd_bus_message *m, PropertyValue *v) {
        PropertyTuple t = { .fd = -EBADF };
        int r;

        r = sd_bus_message_enter_container(m, 'a', "(iiqq)");
        if (r < 0)
                return r;
        while ((r = sd_bus_message_read(m, "(iiqq)", &t.i, &t.i2, &t.q1, &t.q2)) > 0) {
                if (v->n_tuples >= PROPERTY_LIST_MAX_ENTRIES)
                        return -E2BIG;
                if (property_value_add_tuple(v, &t) < 0)
                        return -ENOMEM;
        }
        if (r < 0)
                return r;
        return sd_bus_message_exit_container(m);
}

/* a(sb) (EnvironmentFiles) and a(say) (SetCredential): a string and a flag or bytes. */
static int read_string_tuples(sd_bus_message *m, PropertyValue *v) {
        bool bytes = streq(v->info->signature, "a(say)");
        size_t total = 0;
        int r;

        r = sd_bus_message_enter_container(m, 'a', bytes ? "(say)" : "(sb)");
        if (r < 0)
                return r;
        while ((r = sd_bus_message_enter_container(m, 'r', bytes ? "say" : "sb")) > 0) {
                PropertyTuple t = { .fd = -EBADF };
                const void *data = NULL;
                const char *a;
                size_t size = 0;
                int flag = 0;

                r = sd_bus_message_read(m, "s", &a);
                if (r >= 0)
                        r = bytes ? sd_bus_message_read_array(m, 'y', &data, &size) : sd_bus_message_read(m, "b", &flag);
                if (r >= 0)
                        r = sd_bus_message_exit_container(m);
                if (r < 0)
                        return r;
                total += strlen(a) + size;
                if (v->n_tuples >= PROPERTY_LIST_MAX_ENTRIES || total > PROPERTY_LIST_MAX_BYTES)
                        return -E2BIG;
                t.flag = flag;
                t.a = strdup(a);
                t.n_bytes = size;
                t.bytes = size ? malloc(size) : NULL;
                if (!t.a || (size && !t.bytes) || property_value_add_tuple(v, &t) < 0) {
                        free(t.a);
                        free(t.bytes);
                        return -ENOMEM;
                }
                if (size)
                        memcpy(t.bytes, data, size);
        }
        if (r < 0)
                return r;
        return sd_bus_message_exit_container(m);
}

/* Reads the variant's contents, of the signature the table gives, into a PropertyValue. */
static int read_value(sd_bus_message *m, PropertyValue *v) {
        const char *sig = v->info->signature;
        const char *a, *b;
        PropertyTuple t;
        int r, flag;

        if (streq(sig, "b")) {
                r = sd_bus_message_read(m, "b", &flag);
                v->b = flag;
                return r;
        }
        if (streq(sig, "i"))
                return sd_bus_message_read(m, "i", &v->i);
        if (streq(sig, "u"))
                return sd_bus_message_read(m, "u", &v->u);
        if (streq(sig, "t"))
                return sd_bus_message_read(m, "t", &v->t);
        if (streq(sig, "h"))
                return sd_bus_message_read(m, "h", &v->fd);
        if (streq(sig, "s")) {
                r = sd_bus_message_read(m, "s", &a);
                if (r < 0)
                        return r;
                v->s = strdup(a);
                return v->s ? 0 : -ENOMEM;
        }
        if (streq(sig, "ay")) {
                const void *data;
                size_t size;

                r = sd_bus_message_read_array(m, 'y', &data, &size);
                if (r < 0)
                        return r;
                if (size > PROPERTY_LIST_MAX_BYTES)
                        return -E2BIG;
                v->bytes = size ? malloc(size) : NULL;
                if (size && !v->bytes)
                        return -ENOMEM;
                if (size)
                        memcpy(v->bytes, data, size);
                v->n_bytes = size;
                return 0;
        }
        if (streq(sig, "as"))
                return bus_message_read_strv_bounded(m, PROPERTY_LIST_MAX_ENTRIES, PROPERTY_LIST_MAX_BYTES, &v->strv);
        if (streq(sig, "(bas)")) {
                r = sd_bus_message_enter_container(m, 'r', "bas");
                if (r < 0)
                        return r;
                r = sd_bus_message_read(m, "b", &flag);
                if (r < 0)
                        return r;
                v->b = flag;
                r = bus_message_read_strv_bounded(m, PROPERTY_LIST_MAX_ENTRIES, PROPERTY_LIST_MAX_BYTES, &v->strv);
                if (r < 0)
                        return r;
                return sd_bus_message_exit_container(m);
        }
        if (streq(sig, "a(iayu)"))
                return read_ip_prefixes(m, v);
        if (streq(sig, "a(iiqq)"))
                return read_socket_bind(m, v);
        if (streq(sig, "a(sb)") || streq(sig, "a(say)"))
                return read_string_tuples(m, v);
        if (streq(sig, "a(hs)") || streq(sig, "a(ss)") || streq(sig, "a(ssbt)")) {
                r = sd_bus_message_enter_container(m, 'a', sig + 1);
                if (r < 0)
                        return r;
                for (;;) {
                        t = (PropertyTuple) { .fd = -EBADF };
                        if (streq(sig, "a(hs)"))
                                r = sd_bus_message_read(m, "(hs)", &t.fd, &a);
                        else if (streq(sig, "a(ss)"))
                                r = sd_bus_message_read(m, "(ss)", &a, &b);
                        else
                                r = sd_bus_message_read(m, "(ssbt)", &a, &b, &flag, &t.t);
                        if (r <= 0)
                                break;
                        if (v->n_tuples >= PROPERTY_LIST_MAX_ENTRIES)
                                return -E2BIG;
                        t.flag = streq(sig, "a(ssbt)") && flag;
                        t.a = strdup(a);
                        t.b = streq(sig, "a(hs)") ? NULL : strdup(b);
                        if (!t.a || (!streq(sig, "a(hs)") && !t.b) || property_value_add_tuple(v, &t) < 0) {
                                free(t.a);
                                free(t.b);
                                return -ENOMEM;
                        }
                }
                if (r < 0)
                        return r;
                return sd_bus_message_exit_container(m);
        }
        return -EINVAL;
}

int bus_spec_read_properties(sd_bus_message *m, SandboxSpec *spec, unsigned max_properties, sd_bus_error *error) {
        unsigned n = 0;
        int r;

        /* A property named twice is applied twice, in order, as systemd applies it: lists merge, a scalar
         * takes the last value (property-apply.c). */
        r = sd_bus_message_enter_container(m, 'a', "(sv)");
        if (r < 0)
                return r;

        while ((r = sd_bus_message_enter_container(m, 'r', "sv")) > 0) {
                _cleanup_(property_value_done) PropertyValue v = { .fd = -EBADF };
                _cleanup_free_ char *message = NULL;
                const char *name, *contents;

                if (++n > max_properties)
                        return sd_bus_error_setf(error, CONFINE_ERROR_QUOTA_EXCEEDED,
                                                 "MaxProperties: more than %u properties", max_properties);

                r = sd_bus_message_read(m, "s", &name);
                if (r < 0)
                        return r;
                v.info = property_info_lookup(name);
                if (!v.info && property_unsupported_lookup(name))
                        return sd_bus_error_setf(error, CONFINE_ERROR_NOT_SUPPORTED, "%s: %s", name,
                                                 property_unsupported_lookup(name)->reason);
                if (!v.info)
                        return sd_bus_error_setf(error, CONFINE_ERROR_UNKNOWN_PROPERTY, "Unknown property %s", name);

                r = sd_bus_message_peek_type(m, NULL, &contents);
                if (r < 0)
                        return r;
                if (!streq(contents, v.info->signature))
                        return sd_bus_error_setf(error, CONFINE_ERROR_INVALID_PROPERTY,
                                                 "%s: expected signature '%s', got '%s'", name, v.info->signature,
                                                 contents);
                r = sd_bus_message_enter_container(m, 'v', contents);
                if (r < 0)
                        return r;
                r = read_value(m, &v);
                if (r == -E2BIG)
                        return sd_bus_error_setf(error, CONFINE_ERROR_INVALID_PROPERTY,
                                                 "%s: more than %u entries or %u bytes in one value", name,
                                                 PROPERTY_LIST_MAX_ENTRIES, PROPERTY_LIST_MAX_BYTES);
                if (r < 0)
                        return sd_bus_error_setf(error, CONFINE_ERROR_INVALID_PROPERTY, "%s: %s", name, strerror(-r));

                r = property_apply(spec, &v, &message);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        return sd_bus_error_setf(error,
                                                 r == -EOPNOTSUPP ? CONFINE_ERROR_NOT_SUPPORTED : CONFINE_ERROR_INVALID_PROPERTY,
                                                 "%s", message ?: name);

                r = sd_bus_message_exit_container(m);
                if (r < 0)
                        return r;
                r = sd_bus_message_exit_container(m);
                if (r < 0)
                        return r;
        }
        if (r < 0)
                return r;
        return sd_bus_message_exit_container(m);
}

static int append_property(sd_bus_message *reply, const char *name, const char *sig, ...) {
        va_list ap;
        int r;

        r = sd_bus_message_open_container(reply, 'r', "sv");
        if (r < 0)
                return r;
        r = sd_bus_message_append(reply, "s", name);
        if (r < 0)
                return r;
        va_start(ap, sig);
        r = sd_bus_message_open_container(reply, 'v', sig);
        if (r >= 0)
                r = sd_bus_message_appendv(reply, sig, ap);
        va_end(ap);
        if (r < 0)
                return r;
        r = sd_bus_message_close_container(reply);
        if (r < 0)
                return r;
        return sd_bus_message_close_container(reply);
}

static int append_strv_property(sd_bus_message *reply, const char *name, char **l) {
        int r = sd_bus_message_open_container(reply, 'r', "sv");
        if (r >= 0)
                r = sd_bus_message_append(reply, "s", name);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'v', "as");
        if (r >= 0)
                r = sd_bus_message_append_strv(reply, l);
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        return r;
}

/* Path lists come back in their text form, with the - and + prefixes. */
static int append_paths(sd_bus_message *reply, const char *name, const PathEntry *p, size_t n) {
        _cleanup_strv_free_ char **l = NULL;

        if (n == 0)
                return 0;
        for (size_t i = 0; i < n; i++) {
                char *e;
                if (asprintf(&e, "%s%s%s", p[i].ignore_missing ? "-" : "", p[i].below_root ? "+" : "", p[i].path) < 0)
                        return -ENOMEM;
                if (strv_consume(&l, e) < 0)
                        return -ENOMEM;
        }
        return append_strv_property(reply, name, l);
}

static int append_device_allow(sd_bus_message *reply, const DeviceAllow *l, size_t n) {
        int r = sd_bus_message_open_container(reply, 'r', "sv");
        if (r >= 0)
                r = sd_bus_message_append(reply, "s", "DeviceAllow");
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'v', "a(ss)");
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'a', "(ss)");
        for (size_t i = 0; r >= 0 && i < n; i++) {
                char access[4];
                r = sd_bus_message_append(reply, "(ss)", l[i].node, device_access_to_string(l[i].access, access));
        }
        for (int k = 0; r >= 0 && k < 3; k++)
                r = sd_bus_message_close_container(reply);
        return r;
}

/* BindPaths= or BindReadOnlyPaths=: a(ssbt) as systemd shows them (source, destination, ignore a
 * missing source, MS_REC). */
static int append_bind_mounts(sd_bus_message *reply, const char *name, const BindMount *l, size_t n,
                              bool read_only) {
        bool any = false;
        int r = 0;

        for (size_t i = 0; i < n; i++)
                any = any || l[i].read_only == read_only;
        if (!any)
                return 0;
        r = sd_bus_message_open_container(reply, 'r', "sv");
        if (r >= 0)
                r = sd_bus_message_append(reply, "s", name);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'v', "a(ssbt)");
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'a', "(ssbt)");
        for (size_t i = 0; r >= 0 && i < n; i++)
                if (l[i].read_only == read_only)
                        r = sd_bus_message_append(reply, "(ssbt)", l[i].source, l[i].destination,
                                                  (int) l[i].ignore_missing, (uint64_t) (l[i].recursive ? MS_REC : 0));
        for (int k = 0; r >= 0 && k < 3; k++)
                r = sd_bus_message_close_container(reply);
        return r;
}

static int append_temporary_filesystems(sd_bus_message *reply, const TemporaryFileSystem *l, size_t n) {
        int r;

        if (n == 0)
                return 0;
        r = sd_bus_message_open_container(reply, 'r', "sv");
        if (r >= 0)
                r = sd_bus_message_append(reply, "s", "TemporaryFileSystem");
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'v', "a(ss)");
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'a', "(ss)");
        for (size_t i = 0; r >= 0 && i < n; i++)
                r = sd_bus_message_append(reply, "(ss)", l[i].path, strempty(l[i].options));
        for (int k = 0; r >= 0 && k < 3; k++)
                r = sd_bus_message_close_container(reply);
        return r;
}

/* RestrictAddressFamilies=: (bas), true for an allow-list, as systemd shows it. */
static int append_address_families(sd_bus_message *reply, const SandboxSpec *s) {
        int r;

        if (s->address_family_mode < 0)
                return 0;
        r = sd_bus_message_open_container(reply, 'r', "sv");
        if (r >= 0)
                r = sd_bus_message_append(reply, "s", "RestrictAddressFamilies");
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'v', "(bas)");
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'r', "bas");
        if (r >= 0)
                r = sd_bus_message_append(reply, "b", s->address_family_mode);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'a', "s");
        for (size_t i = 0; r >= 0 && i < s->n_address_families; i++) {
                const char *name = af_to_name(s->address_families[i]);
                if (name)
                        r = sd_bus_message_append(reply, "s", name);
        }
        for (int k = 0; r >= 0 && k < 4; k++)
                r = sd_bus_message_close_container(reply);
        return r;
}

static int append_ip_prefixes(sd_bus_message *reply, const char *name, const IPAddressPrefix *l, size_t n) {
        int r = sd_bus_message_open_container(reply, 'r', "sv");
        if (r >= 0)
                r = sd_bus_message_append(reply, "s", name);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'v', "a(iayu)");
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'a', "(iayu)");
        for (size_t i = 0; r >= 0 && i < n; i++) {
                r = sd_bus_message_open_container(reply, 'r', "iayu");
                if (r >= 0)
                        r = sd_bus_message_append(reply, "i", (int32_t) l[i].family);
                if (r >= 0)
                        r = sd_bus_message_append_array(reply, 'y', l[i].address, ip_family_address_size(l[i].family));
                if (r >= 0)
                        r = sd_bus_message_append(reply, "u", (uint32_t) l[i].prefixlen);
                if (r >= 0)
                        r = sd_bus_message_close_container(reply);
        }
        for (int k = 0; r >= 0 && k < 3; k++)
                r = sd_bus_message_close_container(reply);
        return r;
}

static int append_socket_bind(sd_bus_message *reply, const char *name, const SocketBindRule *l, size_t n) {
        int r = sd_bus_message_open_container(reply, 'r', "sv");
        if (r >= 0)
                r = sd_bus_message_append(reply, "s", name);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'v', "a(iiqq)");
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'a', "(iiqq)");
        for (size_t i = 0; r >= 0 && i < n; i++)
                r = sd_bus_message_append(reply, "(iiqq)", (int32_t) l[i].family, (int32_t) l[i].protocol, l[i].nr_ports,
                                          l[i].port_min);
        for (int k = 0; r >= 0 && k < 3; k++)
                r = sd_bus_message_close_container(reply);
        return r;
}

static int append_bytes_property(sd_bus_message *reply, const char *name, const uint8_t *p, size_t n) {
        int r = sd_bus_message_open_container(reply, 'r', "sv");
        if (r >= 0)
                r = sd_bus_message_append(reply, "s", name);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'v', "ay");
        if (r >= 0)
                r = sd_bus_message_append_array(reply, 'y', p, n);
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        return r;
}

static int append_u64_if_set(sd_bus_message *reply, const char *name, uint64_t v) {
        return v != UINT64_MAX ? append_property(reply, name, "t", v) : 0;
}

/* A (bas) filter list: whether it allows, and its names. */
static int append_filter_list(sd_bus_message *reply, const char *name, int allow, char **names) {
        int r = sd_bus_message_open_container(reply, 'r', "sv");

        if (r >= 0)
                r = sd_bus_message_append(reply, "s", name);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'v', "(bas)");
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'r', "bas");
        if (r >= 0)
                r = sd_bus_message_append(reply, "b", allow);
        if (r >= 0)
                r = sd_bus_message_append_strv(reply, names);
        for (int k = 0; r >= 0 && k < 3; k++)
                r = sd_bus_message_close_container(reply);
        return r;
}

static int env_file_at(sd_bus_message *reply, const SandboxSpec *s, size_t i) {
        const char *e = s->environment_files[i];
        return sd_bus_message_append(reply, "(sb)", e + (e[0] == '-'), (int) (e[0] == '-'));
}

static int load_credential_at(sd_bus_message *reply, const SandboxSpec *s, size_t i) {
        return sd_bus_message_append(reply, "(ss)", s->load_credentials[i].id, s->load_credentials[i].path);
}

static int set_credential_at(sd_bus_message *reply, const SandboxSpec *s, size_t i) {
        int r = sd_bus_message_open_container(reply, 'r', "say");
        if (r >= 0)
                r = sd_bus_message_append(reply, "s", s->set_credentials[i].id);
        if (r >= 0)
                r = sd_bus_message_append_array(reply, 'y', NULL, 0);
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        return r;
}

/* (sv) with an array of n structs of the signature element, each written by at(). */
static int append_pairs(sd_bus_message *reply, const char *name, const char *element, size_t n, const SandboxSpec *s,
                        int (*at)(sd_bus_message *, const SandboxSpec *, size_t)) {
        char array[16];
        int r;

        snprintf(array, sizeof array, "a%s", element);
        r = sd_bus_message_open_container(reply, 'r', "sv");
        if (r >= 0)
                r = sd_bus_message_append(reply, "s", name);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'v', array);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'a', element);
        for (size_t i = 0; r >= 0 && i < n; i++)
                r = at(reply, s, i);
        for (int k = 0; r >= 0 && k < 3; k++)
                r = sd_bus_message_close_container(reply);
        return r;
}

/* StandardInput=data, StandardOutputFileToAppend=/x…, as they would be given; files and credentials by
 * name and path only: StandardInputData= and SetCredential='s bytes may be secrets, and Job.Properties is
 * not the place to hand them back. */
static int append_io_properties(sd_bus_message *reply, const SandboxSpec *s) {
        static const char *const names[3] = { "StandardInput", "StandardOutput", "StandardError" };
        static const char *const modes[_STDIO_MODE_MAX] = {
                [STDIO_INHERIT] = "inherit", [STDIO_NULL] = "null", [STDIO_DATA] = "data",
                [STDIO_FILE] = "File", [STDIO_APPEND] = "FileToAppend", [STDIO_TRUNCATE] = "FileToTruncate",
        };
        int r = 0;

        for (int i = 0; r >= 0 && i < 3; i++) {
                StdioMode mode = i == 0 ? sandbox_spec_stdin_mode(s) : s->stdio_mode[i];
                char name[64];

                if (mode == STDIO_UNSET)
                        continue;
                if (!s->stdio_path[i]) {
                        r = append_property(reply, names[i], "s", modes[mode]);
                        continue;
                }
                snprintf(name, sizeof name, "%s%s", names[i], modes[mode]);
                r = append_property(reply, name, "s", s->stdio_path[i]);
        }
        if (r >= 0 && s->environment_files)
                r = append_pairs(reply, "EnvironmentFiles", "(sb)", strv_length(s->environment_files), s, env_file_at);
        if (r >= 0 && s->n_load_credentials > 0)
                r = append_pairs(reply, "LoadCredential", "(ss)", s->n_load_credentials, s, load_credential_at);
        if (r >= 0 && s->n_set_credentials > 0)
                r = append_pairs(reply, "SetCredential", "(say)", s->n_set_credentials, s, set_credential_at);
        return r;
}

int bus_spec_append(sd_bus_message *reply, const SandboxSpec *s) {
        int r;

        r = sd_bus_message_open_container(reply, 'a', "(sv)");
        if (r < 0)
                return r;

        r = append_strv_property(reply, "Environment", s->environment);
        if (r >= 0 && s->profile)
                r = append_property(reply, "Profile", "s", s->profile);
        if (r >= 0)
                r = append_property(reply, "WorkingDirectory", "s", s->working_directory ?: "/");
        if (r >= 0 && s->user)
                r = append_property(reply, "User", "s", s->user);
        if (r >= 0 && s->group)
                r = append_property(reply, "Group", "s", s->group);
        if (r >= 0 && s->supplementary_groups)
                r = append_strv_property(reply, "SupplementaryGroups", s->supplementary_groups);
        if (r >= 0)
                r = append_property(reply, "NoNewPrivileges", "b", s->no_new_privileges > 0);
        if (r >= 0)
                r = append_property(reply, "CapabilityBoundingSet", "t", s->capability_bounding_set);
        if (r >= 0 && s->ambient_capabilities)
                r = append_property(reply, "AmbientCapabilities", "t", s->ambient_capabilities);
        for (size_t i = 0; r >= 0 && i < spec_switches_size; i++) {
                bool on = spec_switch_get(s, spec_switches + i);
                if (on || spec_switches[i].shown_when_off)
                        r = append_property(reply, spec_switches[i].name, "b", (int) on);
        }
        if (r >= 0)
                r = append_property(reply, "KeyringMode", "s", keyring_mode_to_string(s->keyring_mode));
        if (r >= 0)
                r = append_property(reply, "MountAPIVFS", "b", (int) s->mount_apivfs);
        if (r >= 0 && s->personality >= 0)
                r = append_property(reply, "Personality", "s", personality_to_string((unsigned long) s->personality));
        if (r >= 0 && s->secure_bits != 0)
                r = append_property(reply, "SecureBits", "i", (int32_t) s->secure_bits);
        if (r >= 0 && s->unset_environment)
                r = append_strv_property(reply, "UnsetEnvironment", s->unset_environment);
        if (r >= 0)
                r = append_io_properties(reply, s);
        if (r >= 0)
                r = append_property(reply, "IgnoreSIGPIPE", "b", (int) s->ignore_sigpipe);
        if (r >= 0)
                r = append_u64_if_set(reply, "TimerSlackNSec", s->timer_slack_nsec);
        if (r >= 0 && s->coredump_filter_set)
                r = append_property(reply, "CoredumpFilter", "t", s->coredump_filter);
        if (r >= 0 && s->oom_score_adjust_set)
                r = append_property(reply, "OOMScoreAdjust", "i", (int32_t) s->oom_score_adjust);
        if (r >= 0 && s->cpu_affinity_size > 0)
                r = append_bytes_property(reply, "CPUAffinity", s->cpu_affinity, s->cpu_affinity_size);
        if (r >= 0 && s->ioprio_class >= 0)
                r = append_property(reply, "IOSchedulingClass", "i", (int32_t) s->ioprio_class);
        if (r >= 0 && s->ioprio_class >= 0)
                r = append_property(reply, "IOSchedulingPriority", "i", (int32_t) s->ioprio_priority);
        if (r >= 0 && s->cpu_sched_policy >= 0)
                r = append_property(reply, "CPUSchedulingPolicy", "i", (int32_t) s->cpu_sched_policy);
        if (r >= 0 && s->cpu_sched_policy >= 0)
                r = append_property(reply, "CPUSchedulingPriority", "i", (int32_t) s->cpu_sched_priority);
        if (r >= 0 && s->cpu_sched_policy >= 0)
                r = append_property(reply, "CPUSchedulingResetOnFork", "b", (int) s->cpu_sched_reset_on_fork);
        if (r >= 0)
                r = append_property(reply, "KillMode", "s", kill_mode_to_string(s->kill_mode));
        if (r >= 0)
                r = append_property(reply, "KillSignal", "i", (int32_t) s->kill_signal);
        if (r >= 0)
                r = append_property(reply, "FinalKillSignal", "i", (int32_t) s->final_kill_signal);
        if (r >= 0)
                r = append_property(reply, "SendSIGKILL", "b", (int) s->send_sigkill);
        if (r >= 0)
                r = append_property(reply, "TimeoutStopUSec", "t", s->timeout_stop_usec);
        if (r >= 0 && s->protect_proc != PROTECT_PROC_DEFAULT)
                r = append_property(reply, "ProtectProc", "s", protect_proc_to_string(s->protect_proc));
        if (r >= 0 && s->proc_subset != PROC_SUBSET_ALL)
                r = append_property(reply, "ProcSubset", "s", proc_subset_to_string(s->proc_subset));
        if (r >= 0 && s->protect_system != PROTECT_SYSTEM_NO)
                r = append_property(reply, "ProtectSystem", "s", protect_system_to_string(s->protect_system));
        if (r >= 0 && s->protect_home != PROTECT_HOME_NO)
                r = append_property(reply, "ProtectHome", "s", protect_home_to_string(s->protect_home));
        if (r >= 0 && s->root_directory)
                r = append_property(reply, "RootDirectory", "s", s->root_directory);
        if (r >= 0)
                r = append_paths(reply, "ReadWritePaths", s->read_write_paths, s->n_read_write_paths);
        if (r >= 0)
                r = append_paths(reply, "ReadOnlyPaths", s->read_only_paths, s->n_read_only_paths);
        if (r >= 0)
                r = append_paths(reply, "InaccessiblePaths", s->inaccessible_paths, s->n_inaccessible_paths);
        if (r >= 0)
                r = append_paths(reply, "NoExecPaths", s->no_exec_paths, s->n_no_exec_paths);
        if (r >= 0)
                r = append_paths(reply, "ExecPaths", s->exec_paths, s->n_exec_paths);
        if (r >= 0)
                r = append_bind_mounts(reply, "BindPaths", s->bind_mounts, s->n_bind_mounts, false);
        if (r >= 0)
                r = append_bind_mounts(reply, "BindReadOnlyPaths", s->bind_mounts, s->n_bind_mounts, true);
        if (r >= 0)
                r = append_temporary_filesystems(reply, s->temporary_filesystems, s->n_temporary_filesystems);
        if (r >= 0)
                r = append_address_families(reply, s);
        for (ExecDirectoryType t = 0; r >= 0 && t < _EXEC_DIRECTORY_TYPE_MAX; t++) {
                if (!s->directories[t].paths)
                        continue;
                r = append_strv_property(reply, exec_directory_type_to_string(t), s->directories[t].paths);
                if (r >= 0)
                        r = append_property(reply, exec_directory_type_mode_name(t), "u", s->directories[t].mode);
        }
        if (r >= 0 && s->runtime_directory_preserve != RUNTIME_DIRECTORY_PRESERVE_NO)
                r = append_property(reply, "RuntimeDirectoryPreserve", "s",
                                    runtime_directory_preserve_to_string(s->runtime_directory_preserve));
        if (r >= 0 && s->syscall_filter_mode >= 0) {
                r = sd_bus_message_open_container(reply, 'r', "sv");
                if (r >= 0)
                        r = sd_bus_message_append(reply, "s", "SystemCallFilter");
                if (r >= 0)
                        r = sd_bus_message_open_container(reply, 'v', "(bas)");
                if (r >= 0)
                        r = sd_bus_message_open_container(reply, 'r', "bas");
                if (r >= 0)
                        r = sd_bus_message_append(reply, "b", s->syscall_filter_mode);
                if (r >= 0)
                        r = sd_bus_message_append_strv(reply, s->syscall_names);
                for (int k = 0; r >= 0 && k < 3; k++)
                        r = sd_bus_message_close_container(reply);
        }
        if (r >= 0 && s->syscall_filter_mode >= 0)
                r = append_property(reply, "SystemCallErrorNumber", "i", (int32_t) s->syscall_errno);
        if (r >= 0 && s->syscall_log_mode >= 0) {
                r = sd_bus_message_open_container(reply, 'r', "sv");
                if (r >= 0)
                        r = sd_bus_message_append(reply, "s", "SystemCallLog");
                if (r >= 0)
                        r = sd_bus_message_open_container(reply, 'v', "(bas)");
                if (r >= 0)
                        r = sd_bus_message_open_container(reply, 'r', "bas");
                if (r >= 0)
                        r = sd_bus_message_append(reply, "b", s->syscall_log_mode);
                if (r >= 0)
                        r = sd_bus_message_append_strv(reply, s->syscall_log_names);
                for (int k = 0; r >= 0 && k < 3; k++)
                        r = sd_bus_message_close_container(reply);
        }
        if (r >= 0 && s->restrict_filesystems_mode >= 0)
                r = append_filter_list(reply, "RestrictFileSystems", s->restrict_filesystems_mode, s->restrict_filesystems);
        if (r >= 0 && s->network_interfaces_mode >= 0)
                r = append_filter_list(reply, "RestrictNetworkInterfaces", s->network_interfaces_mode, s->network_interfaces);
        if (r >= 0 && s->syscall_native_only)
                r = append_strv_property(reply, "SystemCallArchitectures", (char *[]) { (char *) "native", NULL });
        if (r >= 0)
                r = append_u64_if_set(reply, "RestrictNamespaces", s->restrict_namespaces);
        if (r >= 0 && s->tty_rows != UINT32_MAX)
                r = append_property(reply, "TTYRows", "u", s->tty_rows);
        if (r >= 0 && s->tty_columns != UINT32_MAX)
                r = append_property(reply, "TTYColumns", "u", s->tty_columns);
        if (r >= 0 && s->umask >= 0)
                r = append_property(reply, "UMask", "u", (uint32_t) s->umask);
        if (r >= 0 && s->nice_set)
                r = append_property(reply, "Nice", "i", (int32_t) s->nice);
        for (size_t i = 0; r >= 0 && i < property_table_size; i++) {
                const char *name = property_table[i].name;
                bool soft;
                int resource = rlimit_from_property_name(name, &soft);
                const ResourceLimit *l;

                if (resource < 0)
                        continue;
                l = s->rlimits + resource;
                if (soft ? l->soft_set : l->hard_set)
                        r = append_property(reply, name, "t", soft ? l->soft : l->hard);
        }
        for (size_t i = 0; r >= 0 && i < spec_limits_size; i++)
                if (spec_limit_is_set(s, spec_limits + i))
                        r = append_property(reply, spec_limits[i].name, "t", spec_limit_get(s, spec_limits + i));
        if (r >= 0 && s->device_policy != DEVICE_POLICY_AUTO)
                r = append_property(reply, "DevicePolicy", "s", device_policy_to_string(s->device_policy));
        if (r >= 0 && s->n_device_allow > 0)
                r = append_device_allow(reply, s->device_allow, s->n_device_allow);
        if (r >= 0 && s->n_ip_address_allow > 0)
                r = append_ip_prefixes(reply, "IPAddressAllow", s->ip_address_allow, s->n_ip_address_allow);
        if (r >= 0 && s->n_ip_address_deny > 0)
                r = append_ip_prefixes(reply, "IPAddressDeny", s->ip_address_deny, s->n_ip_address_deny);
        if (r >= 0 && s->ip_accounting)
                r = append_property(reply, "IPAccounting", "b", 1);
        if (r >= 0 && s->network_namespace_path)
                r = append_property(reply, "NetworkNamespacePath", "s", s->network_namespace_path);
        if (r >= 0 && s->n_socket_bind_allow > 0)
                r = append_socket_bind(reply, "SocketBindAllow", s->socket_bind_allow, s->n_socket_bind_allow);
        if (r >= 0 && s->n_socket_bind_deny > 0)
                r = append_socket_bind(reply, "SocketBindDeny", s->socket_bind_deny, s->n_socket_bind_deny);
        if (r < 0)
                return r;
        return sd_bus_message_close_container(reply);
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>

#include "bus-spec.h"
#include "bus-util.h"
#include "cap-names.h"
#include "parse-util.h"
#include "property-apply.h"
#include "property-table.h"
#include "strv.h"

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
        if (streq(sig, "as"))
                return sd_bus_message_read_strv(m, &v->strv);
        if (streq(sig, "(bas)")) {
                r = sd_bus_message_enter_container(m, 'r', "bas");
                if (r < 0)
                        return r;
                r = sd_bus_message_read(m, "b", &flag);
                if (r < 0)
                        return r;
                v->b = flag;
                r = sd_bus_message_read_strv(m, &v->strv);
                if (r < 0)
                        return r;
                return sd_bus_message_exit_container(m);
        }
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

int bus_spec_append(sd_bus_message *reply, const SandboxSpec *s) {
        int r;

        r = sd_bus_message_open_container(reply, 'a', "(sv)");
        if (r < 0)
                return r;

        r = sd_bus_message_open_container(reply, 'r', "sv");
        if (r >= 0)
                r = sd_bus_message_append(reply, "s", "Environment");
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'v', "as");
        if (r >= 0)
                r = sd_bus_message_append_strv(reply, s->environment);
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        if (r < 0)
                return r;

        r = append_property(reply, "WorkingDirectory", "s", s->working_directory ?: "/");
        if (r >= 0 && s->user)
                r = append_property(reply, "User", "s", s->user);
        if (r >= 0 && s->group)
                r = append_property(reply, "Group", "s", s->group);
        if (r >= 0)
                r = append_property(reply, "NoNewPrivileges", "b", s->no_new_privileges > 0);
        if (r >= 0)
                r = append_property(reply, "CapabilityBoundingSet", "t", s->capability_bounding_set);
        if (r >= 0)
                r = append_property(reply, "PrivateNetwork", "b", (int) s->private_network);
        if (r >= 0)
                r = append_property(reply, "PrivateTmp", "b", (int) s->private_tmp);
        if (r < 0)
                return r;
        return sd_bus_message_close_container(reply);
}

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
#include "property-table.h"
#include "strv.h"

typedef int (*PropertyReader)(sd_bus_message *m, SandboxSpec *s, const char *name, sd_bus_error *error);

#define invalid(error, name, ...) \
        sd_bus_error_setf((error), CONFINE_ERROR_INVALID_PROPERTY, name ": " __VA_ARGS__)

static int read_boolean(sd_bus_message *m, int *ret) {
        int b, r = sd_bus_message_read(m, "b", &b);
        if (r >= 0)
                *ret = !!b;
        return r;
}

static int read_string_once(sd_bus_message *m, const char *name, char **field, sd_bus_error *error) {
        const char *v;
        int r = sd_bus_message_read(m, "s", &v);
        if (r < 0)
                return r;
        if (*field)
                return sd_bus_error_setf(error, CONFINE_ERROR_INVALID_PROPERTY, "%s: given more than once", name);
        *field = strdup(v);
        return *field ? 0 : -ENOMEM;
}

static int read_environment(sd_bus_message *m, SandboxSpec *s, const char *name, sd_bus_error *error) {
        _cleanup_strv_free_ char **l = NULL;
        int r = sd_bus_message_read_strv(m, &l);
        if (r < 0)
                return r;
        STRV_FOREACH(e, l) {
                if (!env_assignment_is_valid(*e))
                        return invalid(error, "Environment", "invalid assignment \"%s\"", *e);
                r = strv_extend(&s->environment, *e);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int read_working_directory(sd_bus_message *m, SandboxSpec *s, const char *name, sd_bus_error *error) {
        int r = read_string_once(m, name, &s->working_directory, error);
        if (r < 0)
                return r;
        if (!path_is_normalized_absolute(s->working_directory))
                return invalid(error, "WorkingDirectory", "\"%s\" is not a normalized absolute path",
                               s->working_directory);
        return 0;
}

/* An fd from the caller: anything that can be read or written. Directories and O_PATH fds are
 * refused, since the job could use them to reach beyond its sandbox. */
static int take_caller_fd(int fd, const char *name, int *ret, sd_bus_error *error) {
        struct stat st;
        int flags, copy;

        flags = fcntl(fd, F_GETFL);
        if (flags < 0 || fstat(fd, &st) < 0)
                return sd_bus_error_setf(error, CONFINE_ERROR_INVALID_PROPERTY, "%s: bad file descriptor", name);
        if (flags & O_PATH)
                return sd_bus_error_setf(error, CONFINE_ERROR_INVALID_PROPERTY, "%s: O_PATH file descriptor", name);
        if (S_ISDIR(st.st_mode))
                return sd_bus_error_setf(error, CONFINE_ERROR_INVALID_PROPERTY, "%s: file descriptor is a directory", name);
        copy = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        if (copy < 0)
                return -errno;
        *ret = copy;
        return 0;
}

static int read_stdio_fd(sd_bus_message *m, SandboxSpec *s, const char *name, sd_bus_error *error) {
        int idx = streq(name, "StandardInputFileDescriptor") ? 0 : streq(name, "StandardOutputFileDescriptor") ? 1 : 2;
        int fd, r;

        r = sd_bus_message_read(m, "h", &fd);
        if (r < 0)
                return r;
        if (s->stdio_fds[idx] >= 0)
                return sd_bus_error_setf(error, CONFINE_ERROR_INVALID_PROPERTY, "%s: given more than once", name);
        return take_caller_fd(fd, name, &s->stdio_fds[idx], error);
}

static bool fd_name_is_valid(const char *n) {
        size_t l = strlen(n);
        if (l == 0 || l > 255)
                return false;
        for (const char *p = n; *p; p++)
                if (*p == ':' || *p < 0x20 || *p == 0x7f)
                        return false;
        return true;
}

static int read_extra_fds(sd_bus_message *m, SandboxSpec *s, const char *name, sd_bus_error *error) {
        const char *fdname;
        int fd, copy, r;

        r = sd_bus_message_enter_container(m, 'a', "(hs)");
        if (r < 0)
                return r;
        while ((r = sd_bus_message_read(m, "(hs)", &fd, &fdname)) > 0) {
                if (!fd_name_is_valid(fdname))
                        return invalid(error, "ExtraFileDescriptors", "invalid name \"%s\"", fdname);
                r = take_caller_fd(fd, "ExtraFileDescriptors", &copy, error);
                if (r < 0)
                        return r;
                r = sandbox_spec_add_extra_fd(s, copy, fdname);
                if (r < 0) {
                        safe_close(copy);
                        return r;
                }
        }
        if (r < 0)
                return r;
        return sd_bus_message_exit_container(m);
}

static bool user_name_is_valid(const char *u) {
        size_t l = strlen(u);
        if (l == 0 || l > 256 || u[0] == '-')
                return false;
        for (const char *p = u; *p; p++)
                if (!(('a' <= *p && *p <= 'z') || ('A' <= *p && *p <= 'Z') || ('0' <= *p && *p <= '9') ||
                      *p == '_' || *p == '-' || *p == '.' || (*p == '$' && p[1] == 0)))
                        return false;
        return true;
}

static int read_user_or_group(sd_bus_message *m, SandboxSpec *s, const char *name, sd_bus_error *error) {
        char **field = streq(name, "User") ? &s->user : &s->group;
        int r = read_string_once(m, name, field, error);
        if (r < 0)
                return r;
        if (!user_name_is_valid(*field))
                return sd_bus_error_setf(error, CONFINE_ERROR_INVALID_PROPERTY, "%s: invalid name \"%s\"", name, *field);
        return 0;
}

static int read_no_new_privileges(sd_bus_message *m, SandboxSpec *s, const char *name, sd_bus_error *error) {
        return read_boolean(m, &s->no_new_privileges);
}

static int read_capability_bounding_set(sd_bus_message *m, SandboxSpec *s, const char *name, sd_bus_error *error) {
        uint64_t v;
        int r = sd_bus_message_read(m, "t", &v);
        if (r < 0)
                return r;
        /* systemd passes all-ones for "everything"; any other bit past the known ones is a mistake. */
        if (v != UINT64_MAX && (v & ~CAP_ALL_MASK))
                return invalid(error, "CapabilityBoundingSet", "unknown capability bits 0x%" PRIx64, v & ~CAP_ALL_MASK);
        /* List properties accumulate; a bounding set narrows: the last one given wins, as in systemd's
         * transient units. */
        s->capability_bounding_set = v & CAP_ALL_MASK;
        s->capability_bounding_set_set = true;
        return 0;
}

static int read_private_network(sd_bus_message *m, SandboxSpec *s, const char *name, sd_bus_error *error) {
        int b, r = read_boolean(m, &b);
        if (r >= 0)
                s->private_network = b;
        return r;
}

static int read_private_tmp(sd_bus_message *m, SandboxSpec *s, const char *name, sd_bus_error *error) {
        int b, r = read_boolean(m, &b);
        if (r >= 0)
                s->private_tmp = b;
        return r;
}

static const struct {
        const char *name;
        PropertyReader read;
} property_readers[] = {
        { "Environment", read_environment },
        { "WorkingDirectory", read_working_directory },
        { "StandardInputFileDescriptor", read_stdio_fd },
        { "StandardOutputFileDescriptor", read_stdio_fd },
        { "StandardErrorFileDescriptor", read_stdio_fd },
        { "ExtraFileDescriptors", read_extra_fds },
        { "User", read_user_or_group },
        { "Group", read_user_or_group },
        { "NoNewPrivileges", read_no_new_privileges },
        { "CapabilityBoundingSet", read_capability_bounding_set },
        { "PrivateNetwork", read_private_network },
        { "PrivateTmp", read_private_tmp },
};

static PropertyReader reader_lookup(const char *name) {
        for (size_t i = 0; i < ELEMENTSOF(property_readers); i++)
                if (streq(property_readers[i].name, name))
                        return property_readers[i].read;
        return NULL;
}

int bus_spec_read_properties(sd_bus_message *m, SandboxSpec *spec, unsigned max_properties, sd_bus_error *error) {
        unsigned n = 0;
        int r;

        r = sd_bus_message_enter_container(m, 'a', "(sv)");
        if (r < 0)
                return r;

        while ((r = sd_bus_message_enter_container(m, 'r', "sv")) > 0) {
                const PropertyInfo *info;
                PropertyReader reader;
                const char *name, *contents;

                if (++n > max_properties)
                        return sd_bus_error_setf(error, CONFINE_ERROR_QUOTA_EXCEEDED,
                                                 "MaxProperties: more than %u properties", max_properties);

                r = sd_bus_message_read(m, "s", &name);
                if (r < 0)
                        return r;
                info = property_info_lookup(name);
                reader = reader_lookup(name);
                if (!info || !reader)
                        return sd_bus_error_setf(error, CONFINE_ERROR_UNKNOWN_PROPERTY, "Unknown property %s", name);

                r = sd_bus_message_peek_type(m, NULL, &contents);
                if (r < 0)
                        return r;
                if (!streq(contents, info->signature))
                        return sd_bus_error_setf(error, CONFINE_ERROR_INVALID_PROPERTY,
                                                 "%s: expected signature '%s', got '%s'", name, info->signature, contents);

                r = sd_bus_message_enter_container(m, 'v', contents);
                if (r < 0)
                        return r;
                r = reader(m, spec, name, error);
                if (r < 0) {
                        if (!sd_bus_error_is_set(error))
                                sd_bus_error_setf(error, CONFINE_ERROR_INVALID_PROPERTY, "%s: %s", name, strerror(-r));
                        return r;
                }
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

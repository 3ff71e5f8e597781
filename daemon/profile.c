/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile.h"
#include "property-apply.h"
#include "strv.h"

static FILE *profile_open(const char *name, char * const *dirs, char **ret_path) {
        STRV_FOREACH(d, dirs) {
                char *path;
                FILE *f;

                if (asprintf(&path, "%s/%s.conf", *d, name) < 0)
                        return NULL;
                f = fopen(path, "re");
                if (f) {
                        *ret_path = path;
                        return f;
                }
                free(path);
        }
        return NULL;
}

int preset_line_apply(const char *line, SandboxSpec *spec, char **ret_message) {
        _cleanup_(property_value_done) PropertyValue v = { .fd = -EBADF };
        const char *reason = NULL;
        int r;

        *ret_message = NULL;
        r = property_value_parse(line, &v, &reason);
        if (r >= 0 && streq(v.info->name, "Profile")) {
                reason = "Profile= cannot be given in a preset (a profile or [Defaults])";
                r = -EINVAL;
        }
        if (r >= 0)
                return property_apply(spec, &v, ret_message);
        if (!*ret_message && asprintf(ret_message, "%s", reason ?: strerror(-r)) < 0)
                *ret_message = NULL;
        return r;
}

int profile_apply(const char *name, char * const *dirs, SandboxSpec *spec, char **ret_message) {
        _cleanup_free_ char *path = NULL, *line = NULL;
        size_t n = 0;
        unsigned lineno = 0;
        FILE *f;
        int r = 0;

        f = profile_open(name, dirs, &path);
        if (!f) {
                if (asprintf(ret_message, "Profile: no profile \"%s\"", name) < 0)
                        *ret_message = NULL;
                return -ENOENT;
        }

        while (getline(&line, &n, f) > 0) {
                _cleanup_free_ char *message = NULL;
                char *s = line, *e;

                lineno++;
                while (isspace((unsigned char) *s))
                        s++;
                e = s + strlen(s);
                while (e > s && isspace((unsigned char) e[-1]))
                        *--e = 0;
                if (!*s || *s == '#')
                        continue;

                r = preset_line_apply(s, spec, &message);
                if (r < 0) {
                        if (asprintf(ret_message, "Profile: %s:%u: %s", path, lineno,
                                     message ?: strerror(-r)) < 0)
                                *ret_message = NULL;
                        break;
                }
        }
        fclose(f);
        return r;
}

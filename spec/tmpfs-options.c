/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "tmpfs-options.h"

/* Copies value into buf if it is 1…max digits (of the given base) followed by at most one of the
 * allowed suffix characters. */
static bool take_number(const char *value, size_t len, bool octal, const char *suffixes, char *buf, size_t size) {
        size_t digits = 0;

        if (len == 0 || len >= size)
                return false;
        while (digits < len && value[digits] >= '0' && value[digits] <= (octal ? '7' : '9'))
                digits++;
        if (digits == 0)
                return false;
        if (digits < len && !(digits + 1 == len && strchr(suffixes, value[digits])))
                return false;
        memcpy(buf, value, len);
        buf[len] = 0;
        return true;
}

static bool option_is(const char *opt, size_t len, const char *name) {
        return strlen(name) == len && strneq(opt, name, len);
}

static bool option_value(const char *opt, size_t len, const char *key, const char **ret_value, size_t *ret_len) {
        size_t k = strlen(key);

        if (len <= k || !strneq(opt, key, k) || opt[k] != '=')
                return false;
        *ret_value = opt + k + 1;
        *ret_len = len - k - 1;
        return true;
}

static bool parse_one(const char *opt, size_t len, TmpfsOptions *o) {
        const char *v;
        size_t vl;

        if (option_is(opt, len, "ro"))
                o->read_only = true;
        else if (option_is(opt, len, "rw"))
                o->read_only = false;
        else if (option_is(opt, len, "noexec"))
                o->noexec = true;
        else if (option_is(opt, len, "exec"))
                o->noexec = false;
        else if (option_is(opt, len, "nosuid") || option_is(opt, len, "nodev"))
                ; /* always on */
        else if (option_value(opt, len, "mode", &v, &vl))
                /* "1777" or "01777", at most 07777 */
                return vl <= 5 && take_number(v, vl, true, "", o->mode, sizeof o->mode) &&
                       strtoul(o->mode, NULL, 8) <= 07777;
        else if (option_value(opt, len, "size", &v, &vl))
                return take_number(v, vl, false, "kKmMgG%", o->size, sizeof o->size);
        else if (option_value(opt, len, "nr_inodes", &v, &vl))
                return take_number(v, vl, false, "kKmMgG", o->nr_inodes, sizeof o->nr_inodes);
        else
                return false;
        return true;
}

int tmpfs_options_parse(const char *s, TmpfsOptions *ret, char **ret_bad) {
        TmpfsOptions o = {};
        const char *p = s;

        while (*p) {
                size_t len = strcspn(p, ",");

                if (!parse_one(p, len, &o)) {
                        if (ret_bad)
                                *ret_bad = strndup(p, len);
                        return -EINVAL;
                }
                p += len;
                if (*p == ',') {
                        p++;
                        if (!*p) { /* a trailing comma: an empty option */
                                if (ret_bad)
                                        *ret_bad = strdup("");
                                return -EINVAL;
                        }
                }
        }

        *ret = o;
        return 0;
}

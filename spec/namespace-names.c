/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <sched.h>
#include <string.h>

#include "macro.h"
#include "namespace-names.h"
#include "parse-util.h"
#include "strv.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

static const struct {
        const char *name;
        uint64_t flag;
} namespace_names[] = {
        { "cgroup", CLONE_NEWCGROUP },
        { "ipc",    CLONE_NEWIPC },
        { "net",    CLONE_NEWNET },
        { "mnt",    CLONE_NEWNS },
        { "pid",    CLONE_NEWPID },
        { "user",   CLONE_NEWUSER },
        { "uts",    CLONE_NEWUTS },
        { "time",   CLONE_NEWTIME },
};

uint64_t namespace_flags_all(void) {
        uint64_t all = 0;
        for (size_t i = 0; i < ELEMENTSOF(namespace_names); i++)
                all |= namespace_names[i].flag;
        return all;
}

uint64_t namespace_flag_from_name(const char *name) {
        for (size_t i = 0; i < ELEMENTSOF(namespace_names); i++)
                if (streq(namespace_names[i].name, name))
                        return namespace_names[i].flag;
        return 0;
}

const char *namespace_flag_to_name(uint64_t flag) {
        for (size_t i = 0; i < ELEMENTSOF(namespace_names); i++)
                if (namespace_names[i].flag == flag)
                        return namespace_names[i].name;
        return NULL;
}

int namespace_flags_parse(const char *s, uint64_t *ret) {
        _cleanup_strv_free_ char **words = NULL;
        uint64_t flags = 0;
        bool invert = false;
        int r;

        r = parse_boolean(s);
        if (r >= 0) {
                *ret = r ? 0 : namespace_flags_all();
                return 0;
        }
        if (s[0] == '~') {
                invert = true;
                s++;
        }
        r = split_quoted(s, &words);
        if (r < 0)
                return r;
        if (!words || !words[0]) {
                *ret = UINT64_MAX;
                return 0;
        }
        STRV_FOREACH(w, words) {
                uint64_t f = namespace_flag_from_name(*w);
                if (f == 0)
                        return -EINVAL;
                flags |= f;
        }
        /* "" (and "~" alone) → UINT64_MAX, the reset; "~a b" → ~flags, every bit above the known ones set,
         * so that the merge can tell it from a list (systemd-run masks the inversion away). */
        *ret = invert ? ~flags : flags;
        return 0;
}

int namespace_flags_merge(uint64_t *allowed, bool *assigned, uint64_t value) {
        uint64_t all = namespace_flags_all(), high = value & ~all, flags, cur;
        bool invert;

        if (value == UINT64_MAX) {
                *allowed = UINT64_MAX;
                *assigned = false;
                return 0;
        }
        if (high != 0 && high != ~all)
                return -EINVAL;
        invert = high != 0;
        flags = (invert ? ~value : value) & all;
        cur = *allowed & all;

        if (!invert && (flags == 0 || flags == all))
                cur = flags;           /* yes or no: ignores what came before */
        else if (!*assigned)
                cur = invert ? all & ~flags : flags;
        else if (invert)
                cur &= ~flags;
        else
                cur |= flags;
        *allowed = cur == all ? UINT64_MAX : cur;
        *assigned = true;
        return 0;
}

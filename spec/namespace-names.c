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

int namespace_flags_parse(const char *s, uint64_t *ret) {
        _cleanup_strv_free_ char **words = NULL;
        uint64_t flags = 0;
        bool invert = false;
        int r;

        r = parse_boolean(s);
        if (r >= 0) {
                *ret = r ? 0 : UINT64_MAX;
                return 0;
        }
        if (s[0] == '~') {
                invert = true;
                s++;
        }
        r = split_quoted(s, &words);
        if (r < 0)
                return r;
        if (strv_length(words) == 0 && !invert) {
                *ret = UINT64_MAX; /* "": the default, no restriction */
                return 0;
        }
        STRV_FOREACH(w, words) {
                uint64_t f = namespace_flag_from_name(*w);
                if (f == 0)
                        return -EINVAL;
                flags |= f;
        }
        flags = invert ? namespace_flags_all() & ~flags : flags;
        *ret = flags == namespace_flags_all() ? UINT64_MAX : flags;
        return 0;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>

#include "macro.h"
#include "profile.h"
#include "spawn-defaults.h"
#include "spec-strictness.h"
#include "strv.h"

int spawn_defaults_apply(char * const *lines, SandboxSpec *spec, char **ret_message) {
        *ret_message = NULL;
        STRV_FOREACH(l, lines) {
                int r = preset_line_apply(*l, spec, ret_message);
                if (r < 0)
                        return r;
        }
        return 0;
}

int spawn_defaults_judge(char * const *lines, SandboxSpec *spec) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *base = NULL;
        _cleanup_free_ char *message = NULL;
        const char *loosened = NULL;
        int r;

        spec->defaults_loosened = NULL;
        if (!lines || !*lines)
                return 0;
        base = sandbox_spec_new();
        if (!base)
                return -ENOMEM;
        r = spawn_defaults_apply(lines, base, &message);
        if (r < 0)
                return r;
        if (!spec_stays_within_profile(spec, base, &loosened))
                spec->defaults_loosened = loosened ?: "[Defaults]";
        return 0;
}

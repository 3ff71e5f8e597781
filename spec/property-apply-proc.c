/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Appliers for ProtectProc= and ProcSubset= (PrivatePIDs= is a switch of spec-fields.h). They only
 * check and record; confine-exec mounts the job's /proc (exec-proc.c). */
#include "property-appliers.h"

#define proc_invalid(msg, v, fmt, ...) property_fail((msg), -EINVAL, "%s: " fmt, (v)->info->name, ##__VA_ARGS__)

int apply_protect_proc(SandboxSpec *s, const PropertyValue *v, char **msg) {
        ProtectProc p = protect_proc_from_string(v->s);

        if (p < 0)
                return proc_invalid(msg, v, "unknown value \"%s\", expected noaccess, invisible, ptraceable or default", v->s);
        s->protect_proc = p;
        return 0;
}

int apply_proc_subset(SandboxSpec *s, const PropertyValue *v, char **msg) {
        ProcSubset p = proc_subset_from_string(v->s);

        if (p < 0)
                return proc_invalid(msg, v, "unknown value \"%s\", expected all or pid", v->s);
        s->proc_subset = p;
        return 0;
}

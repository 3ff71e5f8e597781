/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "macro.h"
#include "protect-proc.h"

static const char *const protect_proc_table[_PROTECT_PROC_MAX] = {
        [PROTECT_PROC_DEFAULT] = "default",
        [PROTECT_PROC_NOACCESS] = "noaccess",
        [PROTECT_PROC_INVISIBLE] = "invisible",
        [PROTECT_PROC_PTRACEABLE] = "ptraceable",
};

const char *protect_proc_to_string(ProtectProc p) {
        return p >= 0 && p < _PROTECT_PROC_MAX ? protect_proc_table[p] : NULL;
}

ProtectProc protect_proc_from_string(const char *s) {
        for (int i = 0; i < _PROTECT_PROC_MAX; i++)
                if (streq(s, protect_proc_table[i]))
                        return (ProtectProc) i;
        return _PROTECT_PROC_INVALID;
}

static const char *const proc_subset_table[_PROC_SUBSET_MAX] = {
        [PROC_SUBSET_ALL] = "all",
        [PROC_SUBSET_PID] = "pid",
};

const char *proc_subset_to_string(ProcSubset p) {
        return p >= 0 && p < _PROC_SUBSET_MAX ? proc_subset_table[p] : NULL;
}

ProcSubset proc_subset_from_string(const char *s) {
        for (int i = 0; i < _PROC_SUBSET_MAX; i++)
                if (streq(s, proc_subset_table[i]))
                        return (ProcSubset) i;
        return _PROC_SUBSET_INVALID;
}

int protect_proc_rank(ProtectProc p) {
        return p >= 0 && p < _PROTECT_PROC_MAX ? (int) p : 0;
}

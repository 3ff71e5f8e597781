/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdbool.h>
#include <strings.h>

#include "cap-names.h"
#include "macro.h"

static const char *const capability_names[CAP_LAST_KNOWN + 1] = {
        "CAP_CHOWN",           "CAP_DAC_OVERRIDE",  "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
        "CAP_FSETID",          "CAP_KILL",          "CAP_SETGID",          "CAP_SETUID",
        "CAP_SETPCAP",         "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
        "CAP_NET_ADMIN",       "CAP_NET_RAW",       "CAP_IPC_LOCK",        "CAP_IPC_OWNER",
        "CAP_SYS_MODULE",      "CAP_SYS_RAWIO",     "CAP_SYS_CHROOT",      "CAP_SYS_PTRACE",
        "CAP_SYS_PACCT",       "CAP_SYS_ADMIN",     "CAP_SYS_BOOT",        "CAP_SYS_NICE",
        "CAP_SYS_RESOURCE",    "CAP_SYS_TIME",      "CAP_SYS_TTY_CONFIG",  "CAP_MKNOD",
        "CAP_LEASE",           "CAP_AUDIT_WRITE",   "CAP_AUDIT_CONTROL",   "CAP_SETFCAP",
        "CAP_MAC_OVERRIDE",    "CAP_MAC_ADMIN",     "CAP_SYSLOG",          "CAP_WAKE_ALARM",
        "CAP_BLOCK_SUSPEND",   "CAP_AUDIT_READ",    "CAP_PERFMON",         "CAP_BPF",
        "CAP_CHECKPOINT_RESTORE",
};

int capability_from_name(const char *name) {
        if (!name)
                return -EINVAL;
        for (int i = 0; i <= CAP_LAST_KNOWN; i++) {
                if (strcasecmp(name, capability_names[i]) == 0 ||
                    strcasecmp(name, capability_names[i] + 4) == 0)
                        return i;
        }
        return -EINVAL;
}

const char *capability_to_name(int cap) {
        if (cap < 0 || cap > CAP_LAST_KNOWN)
                return NULL;
        return capability_names[cap];
}

int capability_set_merge(uint64_t *set, uint64_t initial, uint64_t value) {
        uint64_t high = value & ~CAP_ALL_MASK, sum;
        bool invert;

        if (high != 0 && high != ~CAP_ALL_MASK)
                return -EINVAL;
        invert = high != 0;
        sum = (invert ? ~value : value) & CAP_ALL_MASK;

        if (sum == 0 || *set == initial)
                *set = invert ? ~sum & CAP_ALL_MASK : sum;
        else if (invert)
                *set &= ~sum;
        else
                *set |= sum;
        return 0;
}

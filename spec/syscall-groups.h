/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* The @groups of SystemCallFilter=, pinned to one systemd release (see syscall-groups.c). Pure: no I/O,
 * and no libseccomp: whether a name exists on this architecture is confine-exec's business. */

typedef struct SyscallGroup {
        const char *name;             /* "@mount" */
        const char *help;             /* one line, as systemd-analyze prints it */
        const char *const *members;   /* system call names and "@group" references; NULL-terminated */
} SyscallGroup;

extern const SyscallGroup syscall_group_table[];
extern const size_t syscall_group_table_size;

/* "@mount" → its entry, or NULL. */
const SyscallGroup *syscall_group_find(const char *name);

/* Whether name is a system call systemd knows: a member of @known (nested groups included) or of any
 * other group (systemd 252's @known lacks nfsservctl, set_tls and uretprobe, which other groups list). */
bool syscall_name_is_known(const char *name);

/* "@group" → every system call in it, nested groups resolved, sorted; "name" → { name }. The list holds
 * each name once. Returns -EINVAL for an unknown group or system call name, -ENOMEM. */
int syscall_group_expand(const char *name_or_group, char ***ret_names);

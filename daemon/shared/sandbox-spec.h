/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "macro.h"

/* The plain description of one sandboxed job. The bus side (bus-spec.c) fills it from an a(sv), the
 * daemon resolves names and adds defaults, spec-serialize.c carries it to confine-exec, and
 * daemon/exec/ applies it. No D-Bus and no kernel code touches this file. */

typedef struct ExtraFd {
        int fd;
        char *name;
} ExtraFd;

typedef struct SandboxSpec {
        char **argv;
        /* Environment= as given; after sandbox_spec_finalize() the complete environment of the job. */
        char **environment;
        char *working_directory;

        /* Caller fds; -EBADF means /dev/null. Not serialized: they travel as fds 0, 1, 2, 3… */
        int stdio_fds[3];
        ExtraFd *extra_fds;
        size_t n_extra_fds;

        /* User=/Group= as given (NULL: the caller's own). */
        char *user;
        char *group;

        /* Resolved identity. */
        uid_t uid;
        gid_t gid;
        gid_t *groups;
        size_t n_groups;

        int no_new_privileges;            /* -1: unset */
        uint64_t capability_bounding_set; /* CAP_ALL_MASK when unset */
        bool capability_bounding_set_set;

        bool private_network;
        bool private_tmp;
} SandboxSpec;

SandboxSpec *sandbox_spec_new(void);
SandboxSpec *sandbox_spec_free(SandboxSpec *s);
DEFINE_TRIVIAL_CLEANUP_FUNC(SandboxSpec *, sandbox_spec_free);

/* Whether the job asks for a mount namespace (any filesystem property). */
bool sandbox_spec_needs_mount_namespace(const SandboxSpec *s);

int sandbox_spec_add_extra_fd(SandboxSpec *s, int fd, const char *name);

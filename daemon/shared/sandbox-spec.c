/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>

#include "cap-names.h"
#include "sandbox-spec.h"
#include "strv.h"

SandboxSpec *sandbox_spec_new(void) {
        SandboxSpec *s = calloc(1, sizeof(SandboxSpec));
        if (!s)
                return NULL;
        s->stdio_fds[0] = s->stdio_fds[1] = s->stdio_fds[2] = -EBADF;
        s->uid = (uid_t) -1;
        s->gid = (gid_t) -1;
        s->no_new_privileges = -1;
        s->capability_bounding_set = CAP_ALL_MASK;
        return s;
}

SandboxSpec *sandbox_spec_free(SandboxSpec *s) {
        if (!s)
                return NULL;
        strv_free(s->argv);
        strv_free(s->environment);
        free(s->working_directory);
        for (int i = 0; i < 3; i++)
                safe_close(s->stdio_fds[i]);
        for (size_t i = 0; i < s->n_extra_fds; i++) {
                safe_close(s->extra_fds[i].fd);
                free(s->extra_fds[i].name);
        }
        free(s->extra_fds);
        free(s->user);
        free(s->group);
        free(s->groups);
        free(s);
        return NULL;
}

bool sandbox_spec_needs_mount_namespace(const SandboxSpec *s) {
        return s->private_tmp;
}

int sandbox_spec_add_extra_fd(SandboxSpec *s, int fd, const char *name) {
        ExtraFd *n;
        char *copy = strdup(name);

        if (!copy)
                return -ENOMEM;
        n = realloc(s->extra_fds, (s->n_extra_fds + 1) * sizeof(ExtraFd));
        if (!n) {
                free(copy);
                return -ENOMEM;
        }
        s->extra_fds = n;
        s->extra_fds[s->n_extra_fds++] = (ExtraFd) { .fd = fd, .name = copy };
        return 0;
}

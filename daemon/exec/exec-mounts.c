/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <sys/mount.h>

#include "exec-mounts.h"
#include "exec-report.h"

static void mount_private_tmp(const char *where) {
        if (mount("tmpfs", where, "tmpfs", MS_NOSUID | MS_NODEV, "mode=01777") < 0)
                exec_fail(EXEC_STEP_MOUNT, errno, "PrivateTmp=yes: tmpfs on %s", where);
}

void exec_setup_mounts(const SandboxSpec *spec) {
        if (!sandbox_spec_needs_mount_namespace(spec))
                return;

        /* Nothing we mount may propagate back to the host. */
        if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
                exec_fail(EXEC_STEP_MOUNT, errno, "make / private");

        if (spec->private_tmp) {
                mount_private_tmp("/tmp");
                mount_private_tmp("/var/tmp");
        }
}

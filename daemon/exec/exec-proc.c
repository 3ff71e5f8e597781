/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <sys/mount.h>

#include "exec-mount-util.h"
#include "exec-proc.h"

int exec_proc_detach(const char *path) {
        /* One at a time: a mount may be stacked on another. UMOUNT_NOFOLLOW: "proc" is the last
         * component, and a symlink there (in a RootDirectory=) is followed by the mount step instead. */
        for (unsigned i = 0; i < 64; i++)
                if (umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW) < 0)
                        return errno == EINVAL || errno == ENOENT ? 0 : -errno;
        return -ELOOP;
}

int exec_proc_mount(const SandboxSpec *spec, int target, int *ret_mounted) {
        _cleanup_close_ int fs = -EBADF;
        char hidepid[32];
        const char *options[3] = {};
        size_t n = 0;
        int r;

        if (spec->protect_proc != PROTECT_PROC_DEFAULT) {
                (void) snprintf(hidepid, sizeof hidepid, "hidepid=%s", protect_proc_to_string(spec->protect_proc));
                options[n++] = hidepid;
        }
        if (spec->proc_subset == PROC_SUBSET_PID)
                options[n++] = "subset=pid";

        /* fsopen() takes the PID namespace of the caller: with PrivatePIDs= we are the job's PID 1. A
         * kernel older than 5.8 refuses hidepid=invisible and subset=pid with EINVAL. */
        r = pseudofs_create("proc", options, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, &fs);
        if (r >= 0)
                r = mount_tree_attach(fs, target);
        if (r < 0)
                return r;
        *ret_mounted = TAKE_FD(fs);
        return 0;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <net/if.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "exec-namespaces.h"
#include "exec-report.h"

void exec_enter_namespaces(const SandboxSpec *spec) {
        /* A nested job starts from its parent's view: its mounts, network, IPC and host name. Its
         * own namespaces below are made from there. (The daemon placed it in the parent's PID
         * namespace already: that one can only be entered by a new process.) */
        if (spec->nest_fd >= 0) {
                if (setns(spec->nest_fd, CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS) < 0)
                        exec_fail(EXEC_STEP_NAMESPACES, errno, "join the parent job's namespaces");
                (void) close(spec->nest_fd);
        }

        /* One unshare() each, so that a failure names its property. The IPC namespace comes before
         * the mount namespace: a fresh /dev/mqueue (PrivateIPC=) belongs to the IPC namespace of
         * the process that mounts it. */
        const struct {
                bool wanted;
                int flag;
                const char *what;
        } namespaces[] = {
                { spec->private_ipc, CLONE_NEWIPC, "PrivateIPC=yes: unshare(CLONE_NEWIPC)" },
                { spec->protect_hostname, CLONE_NEWUTS, "ProtectHostname=yes: unshare(CLONE_NEWUTS)" },
                { sandbox_spec_needs_mount_namespace(spec), CLONE_NEWNS, "unshare(CLONE_NEWNS)" },
                /* netns_fd without PrivateNetwork=: NetworkNamespacePath='s namespace. */
                { spec->private_network || spec->netns_fd >= 0, CLONE_NEWNET, "PrivateNetwork=yes: unshare(CLONE_NEWNET)" },
        };

        for (size_t i = 0; i < ELEMENTSOF(namespaces); i++) {
                if (!namespaces[i].wanted)
                        continue;
                /* The daemon's prepared namespace (PrivateNetwork=) or NetworkNamespacePath='s: setns()
                 * refuses an fd that is no network namespace. */
                if (namespaces[i].flag == CLONE_NEWNET && spec->netns_fd >= 0) {
                        if (setns(spec->netns_fd, CLONE_NEWNET) < 0)
                                exec_fail(EXEC_STEP_NAMESPACES, errno,
                                          "PrivateNetwork=yes or NetworkNamespacePath=: enter the network namespace");
                        (void) close(spec->netns_fd);
                        continue;
                }
                if (unshare(namespaces[i].flag) < 0)
                        exec_fail(EXEC_STEP_NAMESPACES, errno, "%s", namespaces[i].what);
        }
}

void exec_setup_loopback(const SandboxSpec *spec) {
        _cleanup_close_ int fd = -EBADF;
        struct ifreq ifr = {};

        /* A prepared namespace has lo up already. */
        if (!spec->private_network || spec->netns_fd >= 0)
                return;

        fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                exec_fail(EXEC_STEP_LOOPBACK, errno, "PrivateNetwork=yes: socket()");

        strncpy(ifr.ifr_name, "lo", sizeof ifr.ifr_name - 1);
        if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
                exec_fail(EXEC_STEP_LOOPBACK, errno, "PrivateNetwork=yes: get flags of lo");
        ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
        if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
                exec_fail(EXEC_STEP_LOOPBACK, errno, "PrivateNetwork=yes: bring lo up");
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <net/if.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "exec-namespaces.h"
#include "exec-report.h"

void exec_enter_namespaces(const SandboxSpec *spec) {
        int flags = 0;

        if (sandbox_spec_needs_mount_namespace(spec))
                flags |= CLONE_NEWNS;
        if (spec->private_network)
                flags |= CLONE_NEWNET;

        if (flags != 0 && unshare(flags) < 0)
                exec_fail(spec->private_network ? EXEC_STEP_LOOPBACK : EXEC_STEP_MOUNT, errno,
                          "unshare(%s%s%s)", flags & CLONE_NEWNS ? "CLONE_NEWNS" : "",
                          (flags & CLONE_NEWNS) && (flags & CLONE_NEWNET) ? "|" : "",
                          flags & CLONE_NEWNET ? "CLONE_NEWNET" : "");
}

void exec_setup_loopback(const SandboxSpec *spec) {
        _cleanup_close_ int fd = -EBADF;
        struct ifreq ifr = {};

        if (!spec->private_network)
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

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* probe-sys: tries one system call that a seccomp property should stop, for the escape tests.
 *
 *   probe-sys ACTION [ARG]
 *
 * Prints one line, "OK" or "ERR <ERRNO NAME>", and exits 0 or 1; a filter that kills shows as death by
 * SIGSYS (exit 159 through exec-run). Actions that could harm the host call the system call with
 * arguments the kernel rejects after the permission check (a missing path, a bad fd, an invalid time):
 * unfiltered, the call reaches the kernel and fails with that error, never with EPERM; filtered, it
 * fails with the filter's errno or kills. Nothing here reboots, loads modules, swaps or sets the clock. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__) || defined(__i386__)
#include <sys/io.h>
#endif
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <linux/capability.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "macro.h"

#define MISSING "/nonexistent-confine-probe"
#define KEY_SPEC_PROCESS_KEYRING (-2) /* <linux/keyctl.h> */
#define KEY_SPEC_SESSION_KEYRING (-3)
#define KEYCTL_JOIN_SESSION_KEYRING 1
#define KEYCTL_SEARCH 10

static int result(long r) {
        if (r >= 0) {
                printf("OK\n");
                return 0;
        }
        printf("ERR %s\n", strerrorname_np(errno) ?: "?");
        return 1;
}

static long do_mmap_wx(void) {
        void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        return p == MAP_FAILED ? -1 : 0;
}

static long do_mprotect_x(void) {
        void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
                return -1;
        return mprotect(p, 4096, PROT_READ | PROT_EXEC);
}

static long do_personality(unsigned long persona) {
        int r = personality(persona);
        return r < 0 ? -1 : 0;
}

static long do_settime(void) {
        /* tv_nsec out of range: the kernel refuses it with EINVAL before it checks CAP_SYS_TIME. The C
         * library would refuse it without a system call, hence syscall(). */
        struct timespec ts = { .tv_sec = 0, .tv_nsec = 1000000000 };
        return syscall(SYS_clock_settime, CLOCK_REALTIME, &ts);
}

static long do_sched_fifo(void) {
        struct sched_param p = { .sched_priority = 1 };
        return sched_setscheduler(0, SCHED_FIFO, &p);
}

static long do_modify_ldt(void) {
        char buf[16];
        return syscall(SYS_modify_ldt, 0, buf, sizeof buf); /* read the LDT: harmless */
}

static long do_vm_read(pid_t pid) {
        char byte;
        struct iovec local = { &byte, 1 }, remote = { NULL, 1 };
        return process_vm_readv(pid, &local, 1, &remote, 1, 0);
}

static long do_ustat(void) {
        char buf[64];
        return syscall(SYS_ustat, 0xfffff, buf); /* no such device: EINVAL */
}

static long do_x32_syscall(void) {
#if defined(__x86_64__)
        /* getpid() through the x32 ABI: ENOSYS on kernels without x32, a pid on those with it. */
        return syscall(0x40000000 | SYS_getpid);
#else
        errno = ENOSYS;
        return -1;
#endif
}

int main(int argc, char *argv[]) {
        const char *a = argc > 1 ? argv[1] : "";
        const char *path = argc > 2 ? argv[2] : MISSING;

        setvbuf(stdout, NULL, _IOLBF, 0);

        if (streq(a, "noop"))
                return result(0);
        if (streq(a, "mount"))
                return result(mount("none", MISSING, "tmpfs", 0, NULL));
        if (streq(a, "mount-tmpfs")) /* PrivateMounts=: the test looks for it on the host */
                return result(mount("confine-probe", path, "tmpfs", MS_NOSUID | MS_NODEV, "size=16k"));
        if (streq(a, "umount"))
                return result(umount2(MISSING, 0));
        if (streq(a, "chroot"))
                return result(chroot("/"));
        if (streq(a, "kexec-load"))
                /* Flags no kernel knows: EINVAL after the permission check; ENOSYS without kexec. */
                return result(syscall(SYS_kexec_load, 0UL, 0UL, NULL, 0xdead0000UL));
        if (streq(a, "init-module"))
                return result(syscall(SYS_finit_module, -1, "", 0)); /* bad fd: EBADF */
        if (streq(a, "swapon"))
                return result(swapon(MISSING, 0)); /* ENOENT */
        if (streq(a, "settime"))
                return result(do_settime());
#if defined(__x86_64__) || defined(__i386__)
        if (streq(a, "ioperm"))
                return result(ioperm(0x80, 1, 0)); /* turning access off needs no privilege */
#endif
        if (streq(a, "ptrace"))
                return result(ptrace(PTRACE_TRACEME, 0, NULL, NULL));
        /* Another process, by pid (PrivatePIDs=): PTRACE_SEIZE does not stop it, and the kernel detaches
         * it when we exit. vm-read asks for one byte at address 0: the kernel looks the pid up (ESRCH)
         * and checks the ptrace permission (EPERM) before it reads, so "ERR EFAULT" means the process
         * and its memory were reached. */
        if (streq(a, "ptrace-seize"))
                return result(ptrace(PTRACE_SEIZE, (pid_t) atoi(path), NULL, NULL));
        if (streq(a, "vm-read"))
                return result(do_vm_read((pid_t) atoi(path)));
        if (streq(a, "add-key"))
                /* A key type that does not exist: ENODEV (or ENOSYS without keyrings). */
                return result(syscall(SYS_add_key, "confine-no-such-type", "probe", NULL, 0,
                                      KEY_SPEC_PROCESS_KEYRING));
        if (streq(a, "ustat"))
                return result(do_ustat());
        if (streq(a, "modify-ldt"))
                return result(do_modify_ldt());
        if (streq(a, "mmap-wx"))
                return result(do_mmap_wx());
        if (streq(a, "mprotect-x"))
                return result(do_mprotect_x());
        if (streq(a, "personality"))
                return result(do_personality(PER_LINUX32));
        if (streq(a, "personality-query"))
                return result(do_personality(0xffffffff));
        if (streq(a, "chmod-suid"))
                return result(chmod(path, 04755));
        if (streq(a, "chmod-sgid"))
                return result(chmod(path, 02755));
        if (streq(a, "chmod-plain"))
                return result(chmod(path, 0755));
        if (streq(a, "creat-suid"))
                return result(open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 04755));
        if (streq(a, "unshare-user"))
                return result(unshare(CLONE_NEWUSER));
        if (streq(a, "unshare-net"))
                return result(unshare(CLONE_NEWNET));
        if (streq(a, "unshare-ipc"))
                return result(unshare(CLONE_NEWIPC));
        if (streq(a, "socket-unix"))
                return result(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
        if (streq(a, "socket-inet"))
                return result(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
        if (streq(a, "socket-packet"))
                return result(socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
        if (streq(a, "sched-fifo"))
                return result(do_sched_fifo());
        /* KeyringMode=: a "user" key named ARG in the session keyring (the test adds it on the host side). */
        if (streq(a, "key-run") && argc > 3) {
                /* key-run NAME CMD…: CMD in a new session keyring of ours that holds the key. */
                if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL) < 0 ||
                    syscall(SYS_add_key, "user", path, "confine-probe", 13, KEY_SPEC_SESSION_KEYRING) < 0)
                        return result(-1);
                execvp(argv[3], argv + 3);
                return result(-1);
        }
        if (streq(a, "key-find"))
                return result(syscall(SYS_keyctl, KEYCTL_SEARCH, KEY_SPEC_SESSION_KEYRING, "user", path, 0));
        if (streq(a, "securebits-clear"))
                return result(prctl(PR_SET_SECUREBITS, 0, 0, 0, 0));
        if (streq(a, "personality-linux"))
                return result(do_personality(PER_LINUX));
        if (streq(a, "capeff")) {
                /* The effective set, as /proc/self/status prints it. */
                struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
                struct __user_cap_data_struct d[2] = {};
                if (syscall(SYS_capget, &h, d) < 0)
                        return result(-1);
                printf("OK %016llx\n", (unsigned long long) d[0].effective | (unsigned long long) d[1].effective << 32);
                return 0;
        }
        if (streq(a, "syslog"))
                return result(syscall(SYS_syslog, 10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0));
        if (streq(a, "capbset")) {
                /* Whether capability number ARG is in the bounding set: "OK 1" or "OK 0". */
                int r = prctl(PR_CAPBSET_READ, atoi(path), 0, 0, 0);
                if (r >= 0)
                        printf("OK %d\n", r);
                return r >= 0 ? 0 : result(-1);
        }
        if (streq(a, "x32-syscall"))
                return result(do_x32_syscall());

        fprintf(stderr, "probe-sys: unknown action \"%s\"\n", a);
        return 2;
}

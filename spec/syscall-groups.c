/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The system call groups of systemd 252 (as packaged in Debian 12: 252.39-1~deb12u2), in the order and
 * with the members `systemd-analyze syscall-filter` prints. The table was produced from that output on
 * the build host and is checked in; tests/unit/check-syscall-groups.sh compares it with the live output
 * whenever the installed systemd-analyze is release 252. Members that start with '@' are references to
 * other groups and stay references here: syscall_group_expand() resolves them when asked. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "strv.h"
#include "syscall-groups.h"

const SyscallGroup syscall_group_table[] = {
        {
                .name = "@default",
                .help = "System calls that are always permitted",
                .members = (const char *const[]) {
                        "arch_prctl", "brk", "cacheflush", "clock_getres", "clock_getres_time64",
                        "clock_gettime", "clock_gettime64", "clock_nanosleep",
                        "clock_nanosleep_time64", "execve", "exit", "exit_group", "futex",
                        "futex_time64", "futex_waitv", "get_robust_list", "get_thread_area",
                        "getegid", "getegid32", "geteuid", "geteuid32", "getgid", "getgid32",
                        "getgroups", "getgroups32", "getpgid", "getpgrp", "getpid", "getppid",
                        "getrandom", "getresgid", "getresgid32", "getresuid", "getresuid32",
                        "getrlimit", "getsid", "gettid", "gettimeofday", "getuid", "getuid32",
                        "membarrier", "mmap", "mmap2", "mprotect", "munmap", "nanosleep", "pause",
                        "prlimit64", "restart_syscall", "riscv_flush_icache", "riscv_hwprobe",
                        "rseq", "rt_sigreturn", "sched_getaffinity", "sched_yield",
                        "set_robust_list", "set_thread_area", "set_tid_address", "set_tls",
                        "sigreturn", "time", "ugetrlimit", "uretprobe",
                        NULL,
                },
        },
        {
                .name = "@aio",
                .help = "Asynchronous IO",
                .members = (const char *const[]) {
                        "io_cancel", "io_destroy", "io_getevents", "io_pgetevents",
                        "io_pgetevents_time64", "io_setup", "io_submit", "io_uring_enter",
                        "io_uring_register", "io_uring_setup",
                        NULL,
                },
        },
        {
                .name = "@basic-io",
                .help = "Basic IO",
                .members = (const char *const[]) {
                        "_llseek", "close", "close_range", "dup", "dup2", "dup3", "lseek",
                        "pread64", "preadv", "preadv2", "pwrite64", "pwritev", "pwritev2", "read",
                        "readv", "write", "writev",
                        NULL,
                },
        },
        {
                .name = "@chown",
                .help = "Change ownership of files and directories",
                .members = (const char *const[]) {
                        "chown", "chown32", "fchown", "fchown32", "fchownat", "lchown", "lchown32",
                        NULL,
                },
        },
        {
                .name = "@clock",
                .help = "Change the system time",
                .members = (const char *const[]) {
                        "adjtimex", "clock_adjtime", "clock_adjtime64", "clock_settime",
                        "clock_settime64", "settimeofday",
                        NULL,
                },
        },
        {
                .name = "@cpu-emulation",
                .help = "System calls for CPU emulation functionality",
                .members = (const char *const[]) {
                        "modify_ldt", "subpage_prot", "switch_endian", "vm86", "vm86old",
                        NULL,
                },
        },
        {
                .name = "@debug",
                .help = "Debugging, performance monitoring and tracing functionality",
                .members = (const char *const[]) {
                        "lookup_dcookie", "perf_event_open", "pidfd_getfd", "ptrace", "rtas",
                        "s390_runtime_instr", "sys_debug_setcontext",
                        NULL,
                },
        },
        {
                .name = "@file-system",
                .help = "File system operations",
                .members = (const char *const[]) {
                        "access", "chdir", "chmod", "close", "creat", "faccessat", "faccessat2",
                        "fallocate", "fchdir", "fchmod", "fchmodat", "fchmodat2", "fcntl",
                        "fcntl64", "fgetxattr", "flistxattr", "fremovexattr", "fsetxattr", "fstat",
                        "fstat64", "fstatat64", "fstatfs", "fstatfs64", "ftruncate", "ftruncate64",
                        "futimesat", "getcwd", "getdents", "getdents64", "getxattr",
                        "inotify_add_watch", "inotify_init", "inotify_init1", "inotify_rm_watch",
                        "lgetxattr", "link", "linkat", "listxattr", "llistxattr", "lremovexattr",
                        "lsetxattr", "lstat", "lstat64", "mkdir", "mkdirat", "mknod", "mknodat",
                        "newfstatat", "oldfstat", "oldlstat", "oldstat", "open", "openat",
                        "openat2", "readlink", "readlinkat", "removexattr", "rename", "renameat",
                        "renameat2", "rmdir", "setxattr", "stat", "stat64", "statfs", "statfs64",
                        "statx", "symlink", "symlinkat", "truncate", "truncate64", "unlink",
                        "unlinkat", "utime", "utimensat", "utimensat_time64", "utimes",
                        NULL,
                },
        },
        {
                .name = "@io-event",
                .help = "Event loop system calls",
                .members = (const char *const[]) {
                        "_newselect", "epoll_create", "epoll_create1", "epoll_ctl", "epoll_ctl_old",
                        "epoll_pwait", "epoll_pwait2", "epoll_wait", "epoll_wait_old", "eventfd",
                        "eventfd2", "poll", "ppoll", "ppoll_time64", "pselect6", "pselect6_time64",
                        "select",
                        NULL,
                },
        },
        {
                .name = "@ipc",
                .help = "SysV IPC, POSIX Message Queues or other IPC",
                .members = (const char *const[]) {
                        "ipc", "memfd_create", "mq_getsetattr", "mq_notify", "mq_open",
                        "mq_timedreceive", "mq_timedreceive_time64", "mq_timedsend",
                        "mq_timedsend_time64", "mq_unlink", "msgctl", "msgget", "msgrcv", "msgsnd",
                        "pipe", "pipe2", "process_madvise", "process_vm_readv", "process_vm_writev",
                        "semctl", "semget", "semop", "semtimedop", "semtimedop_time64", "shmat",
                        "shmctl", "shmdt", "shmget",
                        NULL,
                },
        },
        {
                .name = "@keyring",
                .help = "Kernel keyring access",
                .members = (const char *const[]) {
                        "add_key", "keyctl", "request_key",
                        NULL,
                },
        },
        {
                .name = "@memlock",
                .help = "Memory locking control",
                .members = (const char *const[]) {
                        "mlock", "mlock2", "mlockall", "munlock", "munlockall",
                        NULL,
                },
        },
        {
                .name = "@module",
                .help = "Loading and unloading of kernel modules",
                .members = (const char *const[]) {
                        "delete_module", "finit_module", "init_module",
                        NULL,
                },
        },
        {
                .name = "@mount",
                .help = "Mounting and unmounting of file systems",
                .members = (const char *const[]) {
                        "chroot", "fsconfig", "fsmount", "fsopen", "fspick", "mount",
                        "mount_setattr", "move_mount", "open_tree", "pivot_root", "umount",
                        "umount2",
                        NULL,
                },
        },
        {
                .name = "@network-io",
                .help = "Network or Unix socket IO, should not be needed if not network facing",
                .members = (const char *const[]) {
                        "accept", "accept4", "bind", "connect", "getpeername", "getsockname",
                        "getsockopt", "listen", "recv", "recvfrom", "recvmmsg", "recvmmsg_time64",
                        "recvmsg", "send", "sendmmsg", "sendmsg", "sendto", "setsockopt",
                        "shutdown", "socket", "socketcall", "socketpair",
                        NULL,
                },
        },
        {
                .name = "@obsolete",
                .help = "Unusual, obsolete or unimplemented system calls",
                .members = (const char *const[]) {
                        "_sysctl", "afs_syscall", "bdflush", "break", "create_module", "ftime",
                        "get_kernel_syms", "getpmsg", "gtty", "idle", "lock", "mpx", "prof",
                        "profil", "putpmsg", "query_module", "security", "sgetmask", "ssetmask",
                        "stime", "stty", "sysfs", "tuxcall", "ulimit", "uselib", "ustat", "vserver",
                        NULL,
                },
        },
        {
                .name = "@pkey",
                .help = "System calls used for memory protection keys",
                .members = (const char *const[]) {
                        "pkey_alloc", "pkey_free", "pkey_mprotect",
                        NULL,
                },
        },
        {
                .name = "@privileged",
                .help = "All system calls which need super-user capabilities",
                .members = (const char *const[]) {
                        "@chown", "@clock", "@module", "@raw-io", "@reboot", "@swap", "_sysctl",
                        "acct", "bpf", "capset", "chroot", "fanotify_init", "fanotify_mark",
                        "nfsservctl", "open_by_handle_at", "pivot_root", "quotactl", "quotactl_fd",
                        "setdomainname", "setfsuid", "setfsuid32", "setgroups", "setgroups32",
                        "sethostname", "setresuid", "setresuid32", "setreuid", "setreuid32",
                        "setuid", "setuid32", "vhangup",
                        NULL,
                },
        },
        {
                .name = "@process",
                .help = "Process control, execution, namespacing operations",
                .members = (const char *const[]) {
                        "capget", "clone", "clone3", "execveat", "fork", "getrusage", "kill",
                        "pidfd_open", "pidfd_send_signal", "prctl", "rt_sigqueueinfo",
                        "rt_tgsigqueueinfo", "setns", "swapcontext", "tgkill", "times", "tkill",
                        "unshare", "vfork", "wait4", "waitid", "waitpid",
                        NULL,
                },
        },
        {
                .name = "@raw-io",
                .help = "Raw I/O port access",
                .members = (const char *const[]) {
                        "ioperm", "iopl", "pciconfig_iobase", "pciconfig_read", "pciconfig_write",
                        "s390_pci_mmio_read", "s390_pci_mmio_write",
                        NULL,
                },
        },
        {
                .name = "@reboot",
                .help = "Reboot and reboot preparation/kexec",
                .members = (const char *const[]) {
                        "kexec_file_load", "kexec_load", "reboot",
                        NULL,
                },
        },
        {
                .name = "@resources",
                .help = "Alter resource settings",
                .members = (const char *const[]) {
                        "ioprio_set", "mbind", "migrate_pages", "move_pages", "nice",
                        "sched_setaffinity", "sched_setattr", "sched_setparam",
                        "sched_setscheduler", "set_mempolicy", "set_mempolicy_home_node",
                        "setpriority", "setrlimit",
                        NULL,
                },
        },
        {
                .name = "@setuid",
                .help = "Operations for changing user/group credentials",
                .members = (const char *const[]) {
                        "setgid", "setgid32", "setgroups", "setgroups32", "setregid", "setregid32",
                        "setresgid", "setresgid32", "setresuid", "setresuid32", "setreuid",
                        "setreuid32", "setuid", "setuid32",
                        NULL,
                },
        },
        {
                .name = "@signal",
                .help = "Process signal handling",
                .members = (const char *const[]) {
                        "rt_sigaction", "rt_sigpending", "rt_sigprocmask", "rt_sigsuspend",
                        "rt_sigtimedwait", "rt_sigtimedwait_time64", "sigaction", "sigaltstack",
                        "signal", "signalfd", "signalfd4", "sigpending", "sigprocmask",
                        "sigsuspend",
                        NULL,
                },
        },
        {
                .name = "@swap",
                .help = "Enable/disable swap devices",
                .members = (const char *const[]) {
                        "swapoff", "swapon",
                        NULL,
                },
        },
        {
                .name = "@sync",
                .help = "Synchronize files and memory to storage",
                .members = (const char *const[]) {
                        "fdatasync", "fsync", "msync", "sync", "sync_file_range",
                        "sync_file_range2", "syncfs",
                        NULL,
                },
        },
        {
                .name = "@system-service",
                .help = "General system service operations",
                .members = (const char *const[]) {
                        "@aio", "@basic-io", "@chown", "@default", "@file-system", "@io-event",
                        "@ipc", "@keyring", "@memlock", "@network-io", "@process", "@resources",
                        "@setuid", "@signal", "@sync", "@timer", "arm_fadvise64_64", "capget",
                        "capset", "copy_file_range", "fadvise64", "fadvise64_64", "flock",
                        "get_mempolicy", "getcpu", "getpriority", "ioctl", "ioprio_get", "kcmp",
                        "madvise", "mremap", "name_to_handle_at", "oldolduname", "olduname",
                        "personality", "readahead", "readdir", "remap_file_pages",
                        "sched_get_priority_max", "sched_get_priority_min", "sched_getattr",
                        "sched_getparam", "sched_getscheduler", "sched_rr_get_interval",
                        "sched_rr_get_interval_time64", "sched_yield", "sendfile", "sendfile64",
                        "setfsgid", "setfsgid32", "setfsuid", "setfsuid32", "setpgid", "setsid",
                        "splice", "sysinfo", "tee", "umask", "uname", "userfaultfd", "vmsplice",
                        NULL,
                },
        },
        {
                .name = "@timer",
                .help = "Schedule operations by time",
                .members = (const char *const[]) {
                        "alarm", "getitimer", "setitimer", "timer_create", "timer_delete",
                        "timer_getoverrun", "timer_gettime", "timer_gettime64", "timer_settime",
                        "timer_settime64", "timerfd_create", "timerfd_gettime", "timerfd_gettime64",
                        "timerfd_settime", "timerfd_settime64", "times",
                        NULL,
                },
        },
        {
                .name = "@known",
                .help = "All known syscalls declared in the kernel",
                .members = (const char *const[]) {
                        "@obsolete", "_llseek", "_newselect", "accept", "accept4", "access", "acct",
                        "add_key", "adjtimex", "alarm", "arc_gettls", "arc_settls",
                        "arc_usr_cmpxchg", "arch_prctl", "arm_fadvise64_64", "atomic_barrier",
                        "atomic_cmpxchg_32", "bind", "bpf", "brk", "cachectl", "cacheflush",
                        "capget", "capset", "chdir", "chmod", "chown", "chown32", "chroot",
                        "clock_adjtime", "clock_adjtime64", "clock_getres", "clock_getres_time64",
                        "clock_gettime", "clock_gettime64", "clock_nanosleep",
                        "clock_nanosleep_time64", "clock_settime", "clock_settime64", "clone",
                        "clone3", "close", "close_range", "connect", "copy_file_range", "creat",
                        "delete_module", "dipc", "dup", "dup2", "dup3", "epoll_create",
                        "epoll_create1", "epoll_ctl", "epoll_ctl_old", "epoll_pwait",
                        "epoll_pwait2", "epoll_wait", "epoll_wait_old", "eventfd", "eventfd2",
                        "exec_with_loader", "execv", "execve", "execveat", "exit", "exit_group",
                        "faccessat", "faccessat2", "fadvise64", "fadvise64_64", "fallocate",
                        "fanotify_init", "fanotify_mark", "fchdir", "fchmod", "fchmodat",
                        "fchmodat2", "fchown", "fchown32", "fchownat", "fcntl", "fcntl64",
                        "fdatasync", "fgetxattr", "finit_module", "flistxattr", "flock", "fork",
                        "fremovexattr", "fsconfig", "fsetxattr", "fsmount", "fsopen", "fspick",
                        "fstat", "fstat64", "fstatat64", "fstatfs", "fstatfs64", "fsync",
                        "ftruncate", "ftruncate64", "futex", "futex_requeue", "futex_time64",
                        "futex_wait", "futex_waitv", "futex_wake", "futimesat", "get_mempolicy",
                        "get_robust_list", "get_thread_area", "getcpu", "getcwd", "getdents",
                        "getdents64", "getdomainname", "getdtablesize", "getegid", "getegid32",
                        "geteuid", "geteuid32", "getgid", "getgid32", "getgroups", "getgroups32",
                        "gethostname", "getitimer", "getpagesize", "getpeername", "getpgid",
                        "getpgrp", "getpid", "getppid", "getpriority", "getrandom", "getresgid",
                        "getresgid32", "getresuid", "getresuid32", "getrlimit", "getrusage",
                        "getsid", "getsockname", "getsockopt", "gettid", "gettimeofday", "getuid",
                        "getuid32", "getxattr", "getxgid", "getxpid", "getxuid", "init_module",
                        "inotify_add_watch", "inotify_init", "inotify_init1", "inotify_rm_watch",
                        "io_cancel", "io_destroy", "io_getevents", "io_pgetevents",
                        "io_pgetevents_time64", "io_setup", "io_submit", "io_uring_enter",
                        "io_uring_register", "io_uring_setup", "ioctl", "ioperm", "iopl",
                        "ioprio_get", "ioprio_set", "ipc", "kcmp", "kern_features",
                        "kexec_file_load", "kexec_load", "keyctl", "kill", "landlock_add_rule",
                        "landlock_create_ruleset", "landlock_restrict_self", "lchown", "lchown32",
                        "lgetxattr", "link", "linkat", "listen", "listxattr", "llistxattr",
                        "lookup_dcookie", "lremovexattr", "lseek", "lsetxattr", "lstat", "lstat64",
                        "madvise", "map_shadow_stack", "mbind", "membarrier", "memfd_create",
                        "memfd_secret", "memory_ordering", "migrate_pages", "mincore", "mkdir",
                        "mkdirat", "mknod", "mknodat", "mlock", "mlock2", "mlockall", "mmap",
                        "mmap2", "modify_ldt", "mount", "mount_setattr", "move_mount", "move_pages",
                        "mprotect", "mq_getsetattr", "mq_notify", "mq_open", "mq_timedreceive",
                        "mq_timedreceive_time64", "mq_timedsend", "mq_timedsend_time64",
                        "mq_unlink", "mremap", "msgctl", "msgget", "msgrcv", "msgsnd", "msync",
                        "multiplexer", "munlock", "munlockall", "munmap", "name_to_handle_at",
                        "nanosleep", "newfstatat", "nice", "old_adjtimex", "oldfstat", "oldlstat",
                        "oldolduname", "oldstat", "oldumount", "olduname", "open",
                        "open_by_handle_at", "open_tree", "openat", "openat2", "or1k_atomic",
                        "osf_fstat", "osf_fstatfs", "osf_fstatfs64", "osf_getdirentries",
                        "osf_getdomainname", "osf_getitimer", "osf_getrusage", "osf_getsysinfo",
                        "osf_gettimeofday", "osf_lstat", "osf_mount", "osf_proplist_syscall",
                        "osf_select", "osf_set_program_attributes", "osf_setitimer",
                        "osf_setsysinfo", "osf_settimeofday", "osf_shmat", "osf_sigprocmask",
                        "osf_sigstack", "osf_stat", "osf_statfs", "osf_statfs64", "osf_swapon",
                        "osf_syscall", "osf_sysinfo", "osf_usleep_thread", "osf_utimes",
                        "osf_utsname", "osf_wait4", "pause", "pciconfig_iobase", "pciconfig_read",
                        "pciconfig_write", "perf_event_open", "perfctr", "personality",
                        "pidfd_getfd", "pidfd_open", "pidfd_send_signal", "pipe", "pipe2",
                        "pivot_root", "pkey_alloc", "pkey_free", "pkey_mprotect", "poll", "ppoll",
                        "ppoll_time64", "prctl", "pread64", "preadv", "preadv2", "prlimit64",
                        "process_madvise", "process_mrelease", "process_vm_readv",
                        "process_vm_writev", "pselect6", "pselect6_time64", "ptrace", "pwrite64",
                        "pwritev", "pwritev2", "quotactl", "quotactl_fd", "read", "readahead",
                        "readdir", "readlink", "readlinkat", "readv", "reboot", "recv", "recvfrom",
                        "recvmmsg", "recvmmsg_time64", "recvmsg", "remap_file_pages", "removexattr",
                        "rename", "renameat", "renameat2", "request_key", "restart_syscall",
                        "riscv_flush_icache", "riscv_hwprobe", "rmdir", "rseq", "rt_sigaction",
                        "rt_sigpending", "rt_sigprocmask", "rt_sigqueueinfo", "rt_sigreturn",
                        "rt_sigsuspend", "rt_sigtimedwait", "rt_sigtimedwait_time64",
                        "rt_tgsigqueueinfo", "rtas", "s390_guarded_storage", "s390_pci_mmio_read",
                        "s390_pci_mmio_write", "s390_runtime_instr", "s390_sthyi",
                        "sched_get_affinity", "sched_get_priority_max", "sched_get_priority_min",
                        "sched_getaffinity", "sched_getattr", "sched_getparam",
                        "sched_getscheduler", "sched_rr_get_interval",
                        "sched_rr_get_interval_time64", "sched_set_affinity", "sched_setaffinity",
                        "sched_setattr", "sched_setparam", "sched_setscheduler", "sched_yield",
                        "seccomp", "select", "semctl", "semget", "semop", "semtimedop",
                        "semtimedop_time64", "send", "sendfile", "sendfile64", "sendmmsg",
                        "sendmsg", "sendto", "set_mempolicy", "set_mempolicy_home_node",
                        "set_robust_list", "set_thread_area", "set_tid_address", "setdomainname",
                        "setfsgid", "setfsgid32", "setfsuid", "setfsuid32", "setgid", "setgid32",
                        "setgroups", "setgroups32", "sethae", "sethostname", "setitimer", "setns",
                        "setpgid", "setpgrp", "setpriority", "setregid", "setregid32", "setresgid",
                        "setresgid32", "setresuid", "setresuid32", "setreuid", "setreuid32",
                        "setrlimit", "setsid", "setsockopt", "settimeofday", "setuid", "setuid32",
                        "setxattr", "sgetmask", "shmat", "shmctl", "shmdt", "shmget", "shutdown",
                        "sigaction", "sigaltstack", "signal", "signalfd", "signalfd4", "sigpending",
                        "sigprocmask", "sigreturn", "sigsuspend", "socket", "socketcall",
                        "socketpair", "splice", "spu_create", "spu_run", "ssetmask", "stat",
                        "stat64", "statfs", "statfs64", "statx", "stime", "subpage_prot",
                        "swapcontext", "swapoff", "swapon", "switch_endian", "symlink", "symlinkat",
                        "sync", "sync_file_range", "sync_file_range2", "syncfs",
                        "sys_debug_setcontext", "syscall", "sysfs", "sysinfo", "syslog", "sysmips",
                        "tee", "tgkill", "time", "timer_create", "timer_delete", "timer_getoverrun",
                        "timer_gettime", "timer_gettime64", "timer_settime", "timer_settime64",
                        "timerfd", "timerfd_create", "timerfd_gettime", "timerfd_gettime64",
                        "timerfd_settime", "timerfd_settime64", "times", "tkill", "truncate",
                        "truncate64", "ugetrlimit", "umask", "umount", "umount2", "uname", "unlink",
                        "unlinkat", "unshare", "userfaultfd", "ustat", "utime", "utimensat",
                        "utimensat_time64", "utimes", "utrap_install", "vfork", "vhangup", "vm86",
                        "vm86old", "vmsplice", "wait4", "waitid", "waitpid", "write", "writev",
                        NULL,
                },
        },
};
const size_t syscall_group_table_size = ELEMENTSOF(syscall_group_table);

#define SYSCALL_GROUPS_MAX 64
_Static_assert(ELEMENTSOF(syscall_group_table) <= SYSCALL_GROUPS_MAX, "GroupWalk too small");

const SyscallGroup *syscall_group_find(const char *name) {
        if (!name)
                return NULL;
        for (size_t i = 0; i < syscall_group_table_size; i++)
                if (streq(syscall_group_table[i].name, name))
                        return syscall_group_table + i;
        return NULL;
}

/* Each group is visited once per walk: that makes the walks cycle-safe, and keeps references to one group
 * from several places (@system-service → @default, @known → …) from costing twice. */
typedef struct GroupWalk {
        bool visited[SYSCALL_GROUPS_MAX];
} GroupWalk;

static bool walk_enter(GroupWalk *w, const SyscallGroup *g) {
        size_t i = (size_t) (g - syscall_group_table);

        if (w->visited[i])
                return false;
        w->visited[i] = true;
        return true;
}

static bool group_contains(const SyscallGroup *g, const char *name, GroupWalk *w) {
        if (!walk_enter(w, g))
                return false;
        for (const char *const *m = g->members; *m; m++) {
                if ((*m)[0] == '@') {
                        const SyscallGroup *nested = syscall_group_find(*m);
                        if (nested && group_contains(nested, name, w))
                                return true;
                } else if (streq(*m, name))
                        return true;
        }
        return false;
}

/* @known, and the few names that systemd 252's @known lacks although its own groups list them (nfsservctl,
 * set_tls, uretprobe): every name in the table. */
bool syscall_name_is_known(const char *name) {
        GroupWalk w = {};

        if (!name || name[0] == '@' || name[0] == 0)
                return false;
        if (group_contains(syscall_group_find("@known"), name, &w))
                return true;
        for (size_t i = 0; i < syscall_group_table_size; i++)
                for (const char *const *m = syscall_group_table[i].members; *m; m++)
                        if (streq(*m, name))
                                return true;
        return false;
}

/* The names of a walk, each as often as the table lists it; static strings, not copies. */
typedef struct NameList {
        const char **names;
        size_t n, allocated;
} NameList;

static int group_collect(const SyscallGroup *g, NameList *l, GroupWalk *w) {
        int r;

        if (!walk_enter(w, g))
                return 0;
        for (const char *const *m = g->members; *m; m++) {
                if ((*m)[0] == '@') {
                        const SyscallGroup *nested = syscall_group_find(*m);
                        if (!nested)
                                return -EINVAL; /* a broken table: the unit test catches it */
                        r = group_collect(nested, l, w);
                        if (r < 0)
                                return r;
                        continue;
                }
                if (l->n == l->allocated) {
                        size_t a = MAX(l->allocated * 2, (size_t) 64);
                        const char **n = realloc(l->names, a * sizeof(char *));
                        if (!n)
                                return -ENOMEM;
                        l->names = n;
                        l->allocated = a;
                }
                l->names[l->n++] = *m;
        }
        return 0;
}

static int cmp_name(const void *a, const void *b) {
        return strcmp(*(const char *const *) a, *(const char *const *) b);
}

/* The group's names, sorted, each once. */
static int group_expand(const SyscallGroup *g, char ***ret) {
        _cleanup_free_ const char **names = NULL;
        NameList l = {};
        GroupWalk w = {};
        char **v;
        size_t k = 0;
        int r;

        r = group_collect(g, &l, &w);
        names = l.names;
        if (r < 0)
                return r;
        if (l.n > 0)
                qsort(names, l.n, sizeof(char *), cmp_name);
        /* An empty group still yields a list, so that callers can tell it from failure. */
        v = calloc(l.n + 1, sizeof(char *));
        if (!v)
                return -ENOMEM;
        for (size_t i = 0; i < l.n; i++) {
                if (k > 0 && streq(v[k - 1], names[i]))
                        continue;
                v[k] = strdup(names[i]);
                if (!v[k++]) {
                        strv_free(v);
                        return -ENOMEM;
                }
        }
        *ret = v;
        return 0;
}

int syscall_group_expand(const char *name_or_group, char ***ret_names) {
        _cleanup_strv_free_ char **names = NULL;
        int r;

        if (!name_or_group)
                return -EINVAL;

        if (name_or_group[0] == '@') {
                const SyscallGroup *g = syscall_group_find(name_or_group);
                if (!g)
                        return -EINVAL;
                r = group_expand(g, &names);
                if (r < 0)
                        return r;
        } else {
                if (!syscall_name_is_known(name_or_group))
                        return -EINVAL;
                r = strv_extend(&names, name_or_group);
                if (r < 0)
                        return r;
        }

        *ret_names = TAKE_PTR(names);
        return 0;
}

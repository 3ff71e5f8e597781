/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "device-policy.h"
#include "ip-prefix.h"
#include "exec-directory.h"
#include "macro.h"
#include "process-names.h"
#include "protect-proc.h"

/* The plain description of one sandboxed job. The bus side (bus-spec.c) fills it from an a(sv), the
 * daemon resolves names and adds defaults, spec-serialize.c carries it to confine-exec, and
 * daemon/exec/ applies it. No D-Bus and no kernel code touches this file. */

typedef struct ExtraFd {
        int fd;
        char *name;
} ExtraFd;

typedef enum ProtectSystem {
        PROTECT_SYSTEM_NO,
        PROTECT_SYSTEM_YES,    /* /usr, /boot, /efi read-only */
        PROTECT_SYSTEM_FULL,   /* … and /etc */
        PROTECT_SYSTEM_STRICT, /* everything but /dev, /proc, /sys */
        _PROTECT_SYSTEM_MAX,
        _PROTECT_SYSTEM_INVALID = -EINVAL,
} ProtectSystem;

typedef enum ProtectHome {
        PROTECT_HOME_NO,
        PROTECT_HOME_YES,       /* /home, /root, /run/user inaccessible */
        PROTECT_HOME_READ_ONLY,
        PROTECT_HOME_TMPFS,
        _PROTECT_HOME_MAX,
        _PROTECT_HOME_INVALID = -EINVAL,
} ProtectHome;

const char *protect_system_to_string(ProtectSystem p);
ProtectSystem protect_system_from_string(const char *s);
const char *protect_home_to_string(ProtectHome p);
ProtectHome protect_home_from_string(const char *s);

/* ReadOnlyPaths= and friends: "-/path" ignores a missing path, "+/path" is below RootDirectory. */
typedef struct PathEntry {
        char *path;
        bool ignore_missing;
        bool below_root;
} PathEntry;

typedef struct BindMount {
        char *source;
        char *destination;
        bool read_only;
        bool ignore_missing;
        bool recursive;
} BindMount;

typedef struct TemporaryFileSystem {
        char *path;
        char *options;
} TemporaryFileSystem;

/* One compiled seccomp filter (struct sock_filter[]), as confined hands it to confine-exec. */
typedef struct SeccompProgram {
        char *what;     /* the property and ABI it enforces, for errors: "SystemCallFilter= (x86-64)" */
        void *code;
        size_t size;    /* bytes: a multiple of 8 */
} SeccompProgram;

SeccompProgram *seccomp_programs_free(SeccompProgram *p, size_t n);

typedef struct SandboxSpec SandboxSpec;

/* StandardInput=, StandardOutput=, StandardError= (stdio-mode.c). */
typedef enum StdioMode {
        STDIO_UNSET,    /* confine's own: the caller's fd (Standard*FileDescriptor, flags 2 and 4) or /dev/null */
        STDIO_INHERIT,  /* stdout: a copy of stdin; stderr: a copy of stdout (systemd's "inherit") */
        STDIO_NULL,
        STDIO_FILE,     /* StandardInputFile=, StandardOutputFile=: opened, never truncated */
        STDIO_APPEND,
        STDIO_TRUNCATE,
        STDIO_DATA,     /* stdin only: StandardInputData= */
        _STDIO_MODE_MAX,
        _STDIO_MODE_INVALID = -EINVAL,
} StdioMode;

/* LoadCredential=ID:PATH and SetCredential=ID:DATA (or SetCredentialEncrypted=ID:BLOB). */
typedef struct LoadCredential {
        char *id;
        char *path;
} LoadCredential;

typedef struct SetCredential {
        char *id;
        uint8_t *data;
        size_t size;
        /* SetCredentialEncrypted=: data is systemd's encrypted blob until confined decrypts it, after
         * authorization (credential-decrypt.c); never serialized so. */
        bool encrypted;
} SetCredential;

typedef struct ResourceLimit {
        bool set;            /* either limit given */
        bool hard_set;       /* LimitX=; else the inherited hard limit stays */
        bool soft_set;       /* LimitXSoft= or "SOFT:HARD"; else soft follows hard */
        uint64_t soft, hard; /* UINT64_MAX: infinity */
} ResourceLimit;

/* "LimitNOFILE" for RLIMIT_NOFILE: the property that sets a resource limit. */
const char *rlimit_to_property_name(int resource);

#define SANDBOX_RLIMIT_MAX 16 /* RLIMIT_NLIMITS on Linux */

#define CGROUP_WEIGHT_DEFAULT UINT64_C(100)

struct SandboxSpec {
        char **argv;
        /* Environment= as given; after sandbox_spec_finalize() the complete environment of the job. */
        char **environment;
        char *working_directory;

        /* Caller fds; -EBADF means /dev/null. Not serialized: they travel as fds 0, 1, 2, 3… */
        int stdio_fds[3];
        /* StandardInput=/Output=/Error= and their files, opened by confine-exec with the job's file
         * system ids; StandardInputData=. A mode other than STDIO_UNSET excludes the caller's fd, flag 2
         * and flag 4 for that stream (Spawn refuses the pair). */
        StdioMode stdio_mode[3];
        char *stdio_path[3];
        uint8_t *stdin_data;
        size_t stdin_data_size;
        /* EnvironmentFile=: "-/path" lets a missing file pass; read by confine-exec with the job's file
         * system ids; its variables override Environment=, and UnsetEnvironment= applies after them. */
        char **environment_files;
        /* LoadCredential=, SetCredential=: one entry per ID (a later one replaces it). */
        LoadCredential *load_credentials;
        size_t n_load_credentials;
        SetCredential *set_credentials;
        size_t n_set_credentials;
        ExtraFd *extra_fds;
        size_t n_extra_fds;

        /* User=/Group= as given (NULL: the caller's own). */
        char *user;
        char *group;

        /* DynamicUser=: the daemon allocates a uid and gid of DynamicUserRange= for the job's lifetime
         * (daemon/dynamic-user.c) and fills uid and gid in when the job starts; the name is User=, or
         * "confine-<job id>". */
        bool dynamic_user;

        /* Resolved identity. */
        uid_t uid;
        gid_t gid;
        gid_t *groups;
        size_t n_groups;

        int no_new_privileges;            /* -1: unset */
        uint64_t capability_bounding_set; /* CAP_ALL_MASK when unset */
        bool capability_bounding_set_set;

        uint64_t ambient_capabilities;
        char **supplementary_groups; /* SupplementaryGroups= as given; resolved into groups */

        /* Flag 4: fd 0 is a new pseudo-terminal that the job takes as its controlling terminal. */
        bool controlling_terminal;
        /* Refuse TIOCSTI/TIOCLINUX (seccomp): the job holds a terminal (flag 4, or a caller's tty fd). */
        bool restrict_terminal_injection;
        /* Flag 8: confine-exec adds a filter that sends every system call of the job to confined,
         * which records it and lets it continue (learn mode). */
        bool learn_syscalls;

        bool private_network;
        /* PrivateNetwork=: the fd (in confine-exec) of a network namespace the daemon prepared, with lo
         * up, for this job alone; -1: confine-exec makes one. */
        int netns_fd;
        /* A nested job: the fd (in confine-exec) of its parent's main process, a pidfd, whose
         * mount, network, IPC and UTS namespaces it joins first; -1: none. */
        int nest_fd;
        bool private_tmp;
        bool private_devices;
        bool private_ipc;
        bool protect_hostname;
        bool protect_kernel_tunables;
        bool protect_kernel_modules;
        bool protect_control_groups;
        /* ProtectClock=: @clock denied, CAP_SYS_TIME/CAP_WAKE_ALARM dropped, DeviceAllow=char-rtc r implied.
         * ProtectKernelLogs=: syslog() denied, /proc/kmsg and /dev/kmsg hidden, CAP_SYSLOG dropped. */
        bool protect_clock;
        bool protect_kernel_logs;
        /* PrivateMounts=: a mount namespace of the job's own, with no propagation to or from the host. */
        bool private_mounts;
        /* MountAPIVFS=: /proc, /sys, /dev and /run (an empty tmpfs) in the job's tree where they are no
         * mount yet, which is below a RootDirectory=. More to see, so not a switch (yes is looser). */
        bool mount_apivfs;
        /* RemoveIPC=: the daemon removes the IPC objects of User=/Group= when the job ends (ipc-clean.c). */
        bool remove_ipc;
        /* PrivateUsers=: a user namespace mapping root, the job's user and groups to themselves. */
        bool private_users;
        KeyringMode keyring_mode;     /* private unless set, as for systemd's services */
        int personality;              /* -1: unset; PER_LINUX or PER_LINUX32 */
        int secure_bits;              /* SECBIT_* flags; 0: leave them */

        /* The process attributes of issue 15's part 2, set by confine-exec before the uid change
         * (exec-process.c); what grants something needs spawn-privileged (spawn-tier.c). */
        char **unset_environment;     /* UnsetEnvironment=: names or NAME=VALUE, applied by the daemon */
        bool ignore_sigpipe;
        uint64_t timer_slack_nsec;    /* UINT64_MAX: unset */
        uint64_t coredump_filter;
        bool coredump_filter_set;
        int oom_score_adjust;
        bool oom_score_adjust_set;
        uint8_t *cpu_affinity;        /* a CPU bit mask; NULL: unset */
        size_t cpu_affinity_size;
        int ioprio_class, ioprio_priority; /* -1: unset */
        int cpu_sched_policy;         /* -1: unset */
        int cpu_sched_priority;
        bool cpu_sched_reset_on_fork;

        /* How the daemon stops the job (Kill() with KillSignal=, RuntimeMaxUSec=, its own stop): daemon
         * side only, not serialized. */
        KillMode kill_mode;
        int kill_signal;              /* SIGTERM unless set */
        int final_kill_signal;        /* SIGKILL unless set */
        bool send_sigkill;            /* yes unless set */
        uint64_t timeout_stop_usec;   /* 90 s unless set; UINT64_MAX: wait for ever */
        /* PrivatePIDs=: a PID namespace of the job's own, with confine-exec's init as its PID 1 and a
         * fresh /proc. ProtectProc=/ProcSubset=: the hidepid=/subset= options of that /proc. */
        bool private_pids;
        ProtectProc protect_proc;
        ProcSubset proc_subset;
        ProtectSystem protect_system;
        ProtectHome protect_home;
        char *root_directory;
        PathEntry *read_write_paths, *read_only_paths, *inaccessible_paths;
        size_t n_read_write_paths, n_read_only_paths, n_inaccessible_paths;
        /* NoExecPaths=, ExecPaths=: noexec, recursively; ExecPaths= undoes it below (never the host's own). */
        PathEntry *no_exec_paths, *exec_paths;
        size_t n_no_exec_paths, n_exec_paths;
        BindMount *bind_mounts;
        size_t n_bind_mounts;
        /* StateDirectory= and the other four with their …Mode=. The daemon sets each root and the layout
         * (spec-directories.c); confine-exec creates them, with the job's file system ids in the user
         * layout, and keeps them writable; the daemon removes RuntimeDirectory= when the job ends. */
        ExecDirectory directories[_EXEC_DIRECTORY_TYPE_MAX];
        bool directories_user_layout;
        RuntimeDirectoryPreserve runtime_directory_preserve; /* daemon side only */
        TemporaryFileSystem *temporary_filesystems;
        size_t n_temporary_filesystems;

        /* Seccomp. The daemon expands @groups; confine-exec gets plain system call names. */
        int syscall_filter_mode;   /* -1: none; 1: allow-list; 0: deny-list */
        char **syscall_names;
        int syscall_errno;         /* 0: kill the process (SystemCallErrorNumber unset or "kill") */
        int syscall_log_mode;      /* SystemCallLog=: -1: none; 1: log the listed calls; 0: log all others */
        char **syscall_log_names;
        bool syscall_native_only;  /* SystemCallArchitectures=native */
        bool memory_deny_write_execute;
        bool lock_personality;
        bool restrict_suid_sgid;
        bool restrict_realtime;
        uint64_t restrict_namespaces;  /* CLONE_NEW* flags still allowed; UINT64_MAX: no restriction */
        bool restrict_namespaces_assigned; /* while merging assignments; not serialized */
        int address_family_mode;       /* -1: none; 1: allow-list; 0: deny-list */
        int *address_families;
        size_t n_address_families;
        /* RestrictFileSystems=: file system names, @groups expanded. Enforced by the daemon with a
         * BPF LSM program (bpf-restrict-fs.c), not serialized. */
        int restrict_filesystems_mode; /* -1: none; 1: allow-list; 0: deny-list */
        char **restrict_filesystems;
        /* The filters of all the above, compiled by the daemon (seccomp-build.c), in load order. */
        SeccompProgram *seccomp_programs;
        size_t n_seccomp_programs;

        ResourceLimit rlimits[SANDBOX_RLIMIT_MAX];
        int umask;                 /* -1: 0022 */
        /* TTYRows=/TTYColumns=: the window size of the pseudo-terminal of flag 4, set before the job
         * starts. UINT32_MAX: the kernel's default (0). */
        uint32_t tty_rows, tty_columns;
        int nice;
        bool nice_set;
        uint64_t runtime_max_usec; /* UINT64_MAX: none; enforced by the daemon */

        /* Profile=: the preset laid under the explicit properties. Daemon-side only, not
         * serialized: by the time confine-exec runs, the profile is part of the spec. */
        char *profile;
        /* The first property in which the explicit properties made it less strict (a static string),
         * NULL when the request stays within the profile. */
        const char *profile_loosened;
        /* Likewise for the administrator's [Defaults] of confined.conf (daemon/spawn-defaults.h). */
        const char *defaults_loosened;

        /* cgroup v2, enforced by the daemon on the job's cgroup. Unset is the kernel's own value:
         * UINT64_MAX for a maximum, 0 for MemoryLow, 100 for a weight. */
        uint64_t memory_max;
        uint64_t tasks_max;
        uint64_t cpu_quota_per_sec_usec;
        uint64_t memory_high;
        uint64_t memory_swap_max;
        uint64_t memory_low;
        uint64_t cpu_weight;       /* 1…10000, or 0 for "idle" (cpu.idle) */
        uint64_t io_weight;        /* 1…10000 */
        bool io_accounting;

        /* DeviceAllow= as given, and DevicePolicy=. The daemon resolves them into device_rules (with
         * the policy's default set) and enforces those with a BPF device program on the job's cgroup;
         * confine-exec gives the job a private /dev holding only the nodes they allow. Only the policy
         * and the rules are serialized. */
        DevicePolicy device_policy;
        DeviceAllow *device_allow;
        size_t n_device_allow;
        DeviceRule *device_rules;
        size_t n_device_rules;

        /* IPAddressAllow=, IPAddressDeny= and IPAccounting=: cgroup skb programs that the daemon
         * attaches to the job's cgroup (bpf-firewall.c). Daemon side only, not serialized. */
        IPAddressPrefix *ip_address_allow, *ip_address_deny;
        size_t n_ip_address_allow, n_ip_address_deny;
        bool ip_accounting;
        /* RestrictNetworkInterfaces=: -1 none, 1 allow-list, 0 deny-list; names resolved to ifindexes
         * by the daemon when the job starts and matched by the same programs. */
        int network_interfaces_mode;
        char **network_interfaces;
        /* NetworkNamespacePath=: the daemon opens it as the caller (netns-path.c) into netns_path_fd,
         * which confine-exec joins through netns_fd; PrivateNetwork= then has no effect, as in systemd.
         * Neither the path nor the daemon's fd is serialized. */
        char *network_namespace_path;
        int netns_path_fd;                 /* daemon side; -EBADF until opened */
        uid_t netns_path_owner;            /* the uid owning its user namespace, once opened */
        /* SocketBindAllow=, SocketBindDeny=: cgroup bind4/bind6 programs the daemon attaches. */
        SocketBindRule *socket_bind_allow, *socket_bind_deny;
        size_t n_socket_bind_allow, n_socket_bind_deny;
};

SandboxSpec *sandbox_spec_new(void);
SandboxSpec *sandbox_spec_free(SandboxSpec *s);
DEFINE_TRIVIAL_CLEANUP_FUNC(SandboxSpec *, sandbox_spec_free);

/* Whether the job asks for a mount namespace (any filesystem property). */
bool sandbox_spec_needs_mount_namespace(const SandboxSpec *s);

/* Whether the job gets a /proc instance of its own (PrivatePIDs=, ProtectProc=, ProcSubset=). */
bool sandbox_spec_needs_private_proc(const SandboxSpec *s);

/* Whether the job asks for any seccomp filter (so seccomp_programs must not be empty). */
bool sandbox_spec_wants_seccomp(const SandboxSpec *s);

/* Whether DeviceAllow=/DevicePolicy= restrict the job's devices (before or after resolution). */
bool sandbox_spec_restricts_devices(const SandboxSpec *s);

/* Whether the job gets the daemon's network programs (IPAddressAllow=/IPAddressDeny=/IPAccounting=,
 * RestrictNetworkInterfaces=, SocketBindAllow=/SocketBindDeny=). */
bool sandbox_spec_wants_network_bpf(const SandboxSpec *s);
/* Whether the job gets a $CREDENTIALS_DIRECTORY. */
bool sandbox_spec_has_credentials(const SandboxSpec *s);

/* StandardInput= as it takes effect: StandardInputData= alone implies "data", as in systemd. */
StdioMode sandbox_spec_stdin_mode(const SandboxSpec *s);

void load_credentials_free(LoadCredential *l, size_t n);
void set_credentials_free(SetCredential *l, size_t n);

int sandbox_spec_add_extra_fd(SandboxSpec *s, int fd, const char *name);

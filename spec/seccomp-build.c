/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The job's seccomp filters, compiled from its spec with libseccomp into raw BPF programs. confined
 * compiles them (once per distinct set of seccomp properties: seccomp-cache.c) and sends them to
 * confine-exec inside the sealed spec, which only loads them; so does exec-run for the executor tests.
 *
 * As in systemd, each property gets its own filter, once per ABI the kernel runs (x86-64, x86 and x32 on
 * an x86-64 kernel), so that every rule is written against one ABI's system call numbers and argument
 * layout. A filter lets the calls of other ABIs through; their own filter judges them. The kernel runs
 * every filter on every call and the strictest verdict wins, so the filters stack without interfering.
 * Unlike systemd, a rule that cannot be added or a filter that cannot be built is an error: the job does
 * not start without the protection it asked for.
 *
 * Where the kernel reads an argument as an int, it ignores the upper half of the 64-bit register. Rules
 * on such arguments therefore compare the low 32 bits only (a mask of 0xffffffff), or use ">" which also
 * catches any value with upper bits set; a plain 64-bit "==" could be dodged. */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#include "af-names.h"
#include "namespace-names.h"
#include "seccomp-build.h"
#include "seccomp-compact.h"
#include "strv.h"
#include "syscall-groups.h"

#define LOW32 UINT64_C(0xffffffff)

/* ipc()'s call number of shmat(), from <linux/ipc.h>, which clashes with <sys/shm.h>. */
#define IPC_CALL_SHMAT 21

typedef int (*AddRules)(scmp_filter_ctx ctx, uint32_t arch, const SandboxSpec *spec);

/* What a call that SystemCallFilter= does not allow gets: SystemCallErrorNumber=, or death by SIGSYS. */
static uint32_t violation_action(const SandboxSpec *spec) {
        return spec->syscall_errno > 0 ? SCMP_ACT_ERRNO((uint16_t) spec->syscall_errno) : SCMP_ACT_KILL_PROCESS;
}

static const char *arch_name(uint32_t arch) {
        switch (arch) {
        case SCMP_ARCH_X86_64:
                return "x86-64";
        case SCMP_ARCH_X86:
                return "x86";
        case SCMP_ARCH_X32:
                return "x32";
        case SCMP_ARCH_AARCH64:
                return "arm64";
        case SCMP_ARCH_ARM:
                return "arm";
        default:
                return "native";
        }
}

/* The ABIs the job's filters cover, the native one last. With SystemCallArchitectures=native the other
 * ABIs are killed outright (load_architecture_filter()), so their filters would never run. */
/* Whether this kernel runs x32 system calls. Where it does not (no CONFIG_X86_X32_ABI, or disabled at
 * boot), an x32 call passes the x86-64 filter as a foreign ABI and then fails with ENOSYS before any
 * kernel code runs for it, so an x32 filter would guard nothing: each one is a few hundred instructions
 * that the kernel checks and compiles for every job (about 2 us each on a small VM). The probe is
 * getpid() in the x32 numbering; asked once. */
static bool x32_runs(void) {
#if defined(__x86_64__) && !defined(__ILP32__)
        static int cached = -1;

        if (cached < 0)
                cached = syscall(0x40000000 /* __X32_SYSCALL_BIT */ | 39 /* getpid */) >= 0 || errno != ENOSYS;
        return cached;
#else
        return true;
#endif
}

static size_t job_archs(const SandboxSpec *spec, uint32_t ret[static 3]) {
        uint32_t native = seccomp_arch_native();
        size_t n = 0;

        if (!spec->syscall_native_only)
                switch (native) {
                case SCMP_ARCH_X86_64:
                        ret[n++] = SCMP_ARCH_X86;
                        if (x32_runs())
                                ret[n++] = SCMP_ARCH_X32;
                        break;
                case SCMP_ARCH_AARCH64:
                        ret[n++] = SCMP_ARCH_ARM;
                        break;
                }
        ret[n++] = native;
        return n;
}

static int filter_new(uint32_t arch, uint32_t default_action, uint32_t badarch_action, scmp_filter_ctx *ret) {
        scmp_filter_ctx ctx;
        int r;

        ctx = seccomp_init(default_action);
        if (!ctx)
                return -ENOMEM;
        r = 0;
        if (arch != seccomp_arch_native()) {
                r = seccomp_arch_remove(ctx, seccomp_arch_native());
                if (r >= 0)
                        r = seccomp_arch_add(ctx, arch);
        }
        if (r >= 0)
                r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, badarch_action);
        /* NoNewPrivileges= is the job's own setting: libseccomp must not set it behind our back. */
        if (r >= 0)
                r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
        /* Report the kernel's errno (EACCES without NoNewPrivileges), not ECANCELED. */
        if (r >= 0)
                r = seccomp_attr_set(ctx, SCMP_FLTATR_API_SYSRAWRC, 1);
        if (r < 0) {
                seccomp_release(ctx);
                return r;
        }
        *ret = ctx;
        return 0;
}


typedef struct Builder {
        const SandboxSpec *spec;
        SeccompProgram *programs;
        size_t n_programs;
        char *failed;           /* what failed, for the error message */
} Builder;

static int builder_fail(Builder *b, int r, const char *what, uint32_t arch, const char *step) {
        free(b->failed);
        if (asprintf(&b->failed, "%s (%s): %s", what, arch_name(arch), step) < 0)
                b->failed = NULL;
        return r;
}

/* The filter as the kernel takes it. libseccomp 2.5 exports to an fd only. */
static int export_program(scmp_filter_ctx ctx, void **ret_code, size_t *ret_size) {
        _cleanup_close_ int fd = memfd_create("seccomp-bpf", MFD_CLOEXEC);
        struct stat st;
        void *code;
        int r;

        if (fd < 0)
                return -errno;
        r = seccomp_export_bpf(ctx, fd);
        if (r < 0)
                return r;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (st.st_size <= 0 || st.st_size % sizeof(struct sock_filter) != 0 ||
            st.st_size / sizeof(struct sock_filter) > BPF_MAXINSNS)
                return -E2BIG;
        code = malloc((size_t) st.st_size);
        if (!code)
                return -ENOMEM;
        if (pread(fd, code, (size_t) st.st_size, 0) != st.st_size) {
                free(code);
                return -EIO;
        }
        *ret_code = code;
        *ret_size = (size_t) st.st_size;
        return 0;
}

/* Appends a compiled program, taking code. */
static int builder_add_code(Builder *b, const char *what, uint32_t arch, void *code, size_t size) {
        SeccompProgram *p;

        p = realloc(b->programs, (b->n_programs + 1) * sizeof(SeccompProgram));
        if (!p) {
                free(code);
                return -ENOMEM;
        }
        b->programs = p;
        p += b->n_programs;
        *p = (SeccompProgram) { .code = code, .size = size };
        if (asprintf(&p->what, "%s (%s)", what, arch_name(arch)) < 0) {
                free(code);
                return -ENOMEM;
        }
        b->n_programs++;
        return 0;
}

static int builder_add(Builder *b, scmp_filter_ctx ctx, const char *what, uint32_t arch) {
        void *code = NULL;
        size_t size = 0;
        int r;

        r = export_program(ctx, &code, &size);
        if (r < 0)
                return builder_fail(b, r, what, arch, "export filter");
        return builder_add_code(b, what, arch, code, size);
}

/* One filter of one property for one ABI. */
static int build_filter(Builder *b, const char *what, uint32_t arch, uint32_t default_action, AddRules add_rules) {
        scmp_filter_ctx ctx = NULL;
        int r;

        r = filter_new(arch, default_action, SCMP_ACT_ALLOW, &ctx);
        if (r < 0)
                return builder_fail(b, r, what, arch, "create filter");
        r = add_rules(ctx, arch, b->spec);
        if (r < 0)
                r = builder_fail(b, r, what, arch, "add rules");
        else
                r = builder_add(b, ctx, what, arch);
        seccomp_release(ctx);
        return r;
}

static int add_syscall_filter_rules(scmp_filter_ctx ctx, uint32_t arch, const SandboxSpec *spec);

/* SystemCallFilter= for x86-64 as ranges of numbers (seccomp-compact.c). 0: not applicable, use
 * libseccomp. The numbers are the same that add_syscall_filter_rules() gives libseccomp. */
static int build_compact_system_call_filter(Builder *b, const char *what, uint32_t arch, uint32_t default_action) {
        const SandboxSpec *spec = b->spec;
        bool allow_list = spec->syscall_filter_mode == 1;
        _cleanup_free_ int *nrs = NULL;
        size_t n = 0, size = 0;
        void *code = NULL;
        int r;

        if (arch != SCMP_ARCH_X86_64)
                return 0;
        /* One action for all: calls with an error number of their own go through libseccomp. */
        STRV_FOREACH(name, spec->syscall_names)
                if (strchr(*name, ':'))
                        return 0;
        nrs = calloc(strv_length(spec->syscall_names) + 1, sizeof(int));
        if (!nrs)
                return -ENOMEM;
        STRV_FOREACH(name, spec->syscall_names) {
                int nr = seccomp_syscall_resolve_name_arch(arch, *name);

                /* Negative: a pseudo-number for a call x86-64 lacks (there is no multiplexing here, no
                 * socketcall() or ipc()), which libseccomp skips too. */
                if (nr < 0 || (!allow_list && streq(*name, "execve")))
                        continue;
                nrs[n++] = nr;
        }
        if (allow_list)
                nrs[n++] = SCMP_SYS(execve);

        r = seccomp_compact_x86_64(nrs, n, allow_list ? SCMP_ACT_ALLOW : violation_action(spec),
                                   default_action, &code, &size);
        if (r == -E2BIG || r == -EINVAL)
                return 0;
        if (r < 0)
                return builder_fail(b, r, what, arch, "compile ranges");
        r = builder_add_code(b, what, arch, code, size);
        return r < 0 ? r : 1;
}

static int build_filters(Builder *b, const char *what, uint32_t default_action, AddRules add_rules) {
        uint32_t archs[3];
        size_t n = job_archs(b->spec, archs);
        int r;

        for (size_t i = 0; i < n; i++) {
                if (add_rules == add_syscall_filter_rules) {
                        r = build_compact_system_call_filter(b, what, archs[i], default_action);
                        if (r < 0)
                                return r;
                        if (r > 0)
                                continue;
                }
                r = build_filter(b, what, archs[i], default_action, add_rules);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* A rule with one comparison: "(arg & mask) == value". seccomp_rule_add() (not _exact) lets libseccomp
 * skip a system call this ABI lacks and rewrite one that this ABI multiplexes (socketcall(), ipc()). */
static int deny_masked(scmp_filter_ctx ctx, int error, int nr, unsigned arg, uint64_t mask, uint64_t value) {
        return seccomp_rule_add(ctx, SCMP_ACT_ERRNO((uint16_t) error), nr, 1,
                                SCMP_CMP(arg, SCMP_CMP_MASKED_EQ, mask, value));
}

/* Resolves a name libseccomp may know only at run time (newer than its headers). */
static int syscall_nr(const char *name) {
        int nr = seccomp_syscall_resolve_name(name);
        return nr == __NR_SCMP_ERROR ? -EOPNOTSUPP : nr;
}

/* SystemCallArchitectures=native: calls of any other ABI kill the process. On x86-64 that includes x32
 * calls (x86-64's audit arch with __X32_SYSCALL_BIT set): libseccomp treats them as a foreign ABI. */
static int build_architecture_filter(Builder *b) {
        const char *what = "SystemCallArchitectures=native";
        scmp_filter_ctx ctx = NULL;
        int r;

        r = filter_new(seccomp_arch_native(), SCMP_ACT_ALLOW, SCMP_ACT_KILL_PROCESS, &ctx);
        if (r < 0)
                return builder_fail(b, r, what, seccomp_arch_native(), "create filter");
        r = builder_add(b, ctx, what, seccomp_arch_native());
        seccomp_release(ctx);
        return r;
}

/* RestrictAddressFamilies=: socket() with a family outside the list fails with EAFNOSUPPORT. On x86,
 * libseccomp also refuses socketcall(SYS_SOCKET), whose family it cannot see: stricter than systemd,
 * which leaves x86 unfiltered. socketpair() stays allowed, as in systemd (it makes AF_UNIX pairs). */
static int add_address_family_rules(scmp_filter_ctx ctx, uint32_t arch, const SandboxSpec *spec) {
        int r;

        if (spec->address_family_mode == 1) {
                for (int af = 0; af < af_max(); af++) {
                        bool listed = false;

                        for (size_t i = 0; i < spec->n_address_families; i++)
                                listed = listed || spec->address_families[i] == af;
                        if (listed)
                                continue;
                        r = deny_masked(ctx, EAFNOSUPPORT, SCMP_SYS(socket), 0, LOW32, (uint64_t) af);
                        if (r < 0)
                                return r;
                }
                /* Families this build has no name for, and anything with upper bits set. */
                return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT), SCMP_SYS(socket), 1,
                                        SCMP_A0(SCMP_CMP_GT, (uint64_t) af_max() - 1));
        }

        for (size_t i = 0; i < spec->n_address_families; i++) {
                r = deny_masked(ctx, EAFNOSUPPORT, SCMP_SYS(socket), 0, LOW32,
                                (uint64_t) spec->address_families[i]);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* MemoryDenyWriteExecute=: no mapping both writable and executable, no mapping made executable later,
 * no executable shared memory segment. */
static int add_memory_deny_write_execute_rules(scmp_filter_ctx ctx, uint32_t arch, const SandboxSpec *spec) {
        const uint64_t wx = PROT_WRITE | PROT_EXEC;
        int r;

        if (arch == SCMP_ARCH_X86) {
                /* x86's old mmap() takes its arguments in memory, where no filter can look: refuse it.
                 * The C library uses mmap2(). */
                r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(mmap), 0);
                if (r >= 0)
                        r = deny_masked(ctx, EPERM, SCMP_SYS(mmap2), 2, wx, wx);
        } else {
                r = deny_masked(ctx, EPERM, SCMP_SYS(mmap), 2, wx, wx);
                if (r >= 0)
                        r = deny_masked(ctx, EPERM, SCMP_SYS(mmap2), 2, wx, wx);
        }
        if (r >= 0)
                r = deny_masked(ctx, EPERM, SCMP_SYS(mprotect), 2, PROT_EXEC, PROT_EXEC);
        if (r >= 0)
                r = deny_masked(ctx, EPERM, SCMP_SYS(pkey_mprotect), 2, PROT_EXEC, PROT_EXEC);
        if (r >= 0)
                r = deny_masked(ctx, EPERM, SCMP_SYS(shmat), 2, SHM_EXEC, SHM_EXEC);
        if (r >= 0 && arch == SCMP_ARCH_X86)
                /* shmat() through ipc(): the kernel ignores the version in the upper 16 bits of the call,
                 * which libseccomp's own rewrite compares; shmflg is the third argument there too. */
                r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ipc), 2,
                                     SCMP_A0(SCMP_CMP_MASKED_EQ, 0xffff, IPC_CALL_SHMAT),
                                     SCMP_A2(SCMP_CMP_MASKED_EQ, SHM_EXEC, SHM_EXEC));
        return r;
}

/* RestrictRealtime=: sched_setscheduler() may choose SCHED_OTHER, SCHED_BATCH and SCHED_IDLE only;
 * ">" also refuses SCHED_DEADLINE, SCHED_RESET_ON_FORK and upper-bit tricks, as in systemd.
 * sched_setattr() passes the policy in memory, where no filter can look: it is refused. */
static int add_restrict_realtime_rules(scmp_filter_ctx ctx, uint32_t arch, const SandboxSpec *spec) {
        int r;

        r = deny_masked(ctx, EPERM, SCMP_SYS(sched_setscheduler), 1, LOW32, SCHED_FIFO);
        if (r >= 0)
                r = deny_masked(ctx, EPERM, SCMP_SYS(sched_setscheduler), 1, LOW32, SCHED_RR);
        if (r >= 0)
                r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(sched_setscheduler), 1,
                                     SCMP_A1(SCMP_CMP_GT, SCHED_IDLE));
        if (r >= 0)
                r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(sched_setattr), 0);
        return r;
}

/* RestrictSUIDSGID=: no file or directory gets the set-user-ID or set-group-ID bit, whether by a mode
 * change or at creation (also of an O_TMPFILE file that could be linked in later). */
static int add_restrict_suid_sgid_rules(scmp_filter_ctx ctx, uint32_t arch, const SandboxSpec *spec) {
        static const struct {
                const char *name;
                unsigned mode_arg;
                int flags_arg; /* open(), openat(): the mode counts with O_CREAT or O_TMPFILE only */
        } calls[] = {
                { "chmod",     1, -1 }, { "fchmod",  1, -1 }, { "fchmodat", 2, -1 }, { "fchmodat2", 2, -1 },
                { "mkdir",     1, -1 }, { "mkdirat", 2, -1 }, { "mknod",    1, -1 }, { "mknodat",   2, -1 },
                { "creat",     1, -1 }, { "open",    2,  1 }, { "openat",   3,  2 },
        };
        static const uint64_t creating[] = { O_CREAT, O_TMPFILE & ~O_DIRECTORY };
        static const uint64_t bits[] = { S_ISUID, S_ISGID };
        int r;

        for (size_t i = 0; i < ELEMENTSOF(calls); i++) {
                int nr = syscall_nr(calls[i].name);
                if (nr < 0)
                        return nr;

                for (size_t b = 0; b < ELEMENTSOF(bits); b++) {
                        if (calls[i].flags_arg < 0) {
                                r = deny_masked(ctx, EPERM, nr, calls[i].mode_arg, bits[b], bits[b]);
                                if (r < 0)
                                        return r;
                                continue;
                        }
                        for (size_t c = 0; c < ELEMENTSOF(creating); c++) {
                                r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 2,
                                                     SCMP_CMP((unsigned) calls[i].flags_arg, SCMP_CMP_MASKED_EQ,
                                                              creating[c], creating[c]),
                                                     SCMP_CMP(calls[i].mode_arg, SCMP_CMP_MASKED_EQ, bits[b], bits[b]));
                                if (r < 0)
                                        return r;
                        }
                }
        }

        /* openat2() passes flags and mode in memory: ENOSYS, so that callers fall back to openat(). */
        return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(openat2), 0);
}

/* RestrictNamespaces=: unshare(), clone() and setns() with a namespace type that is not allowed fail with
 * EPERM, and setns() with type 0 (any) too. clone3() passes its flags in memory: ENOSYS, so that the C
 * library falls back to clone(), as systemd does. */
static int add_restrict_namespaces_rules(scmp_filter_ctx ctx, uint32_t arch, const SandboxSpec *spec) {
        uint64_t all = namespace_flags_all(), allowed = spec->restrict_namespaces & all;
        int r;

        if (allowed == 0)
                r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(setns), 0);
        else
                r = deny_masked(ctx, EPERM, SCMP_SYS(setns), 1, LOW32, 0);
        if (r < 0)
                return r;

        for (unsigned bit = 0; bit < 64; bit++) {
                uint64_t f = UINT64_C(1) << bit;

                if (!(all & f) || (allowed & f))
                        continue;
                r = deny_masked(ctx, EPERM, SCMP_SYS(unshare), 0, f, f);
                if (r < 0)
                        return r;
                /* CLONE_NEWTIME shares its bit with the exit signal of clone(), which cannot make one. */
                if (f != CLONE_NEWTIME) {
#if defined(__s390__) || defined(__s390x__)
                        r = deny_masked(ctx, EPERM, SCMP_SYS(clone), 1, f, f);
#else
                        r = deny_masked(ctx, EPERM, SCMP_SYS(clone), 0, f, f);
#endif
                        if (r < 0)
                                return r;
                }
                if (allowed != 0) {
                        r = deny_masked(ctx, EPERM, SCMP_SYS(setns), 1, f, f);
                        if (r < 0)
                                return r;
                }
        }

        return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
}

/* LockPersonality=: personality() may only keep the current persona P or query it (0xffffffff). A
 * filter that allows by default cannot carry "allow" exceptions, and libseccomp takes one comparison per
 * argument and rule, so "neither P nor 0xffffffff" is spelled as bit tests:
 *   - a bit set in P is set in both allowed values: clearing it is refused;
 *   - the bits clear in P must be all clear (P) or all set (0xffffffff): refused if any two differ,
 *     tested against the lowest of them;
 *   - anything above 32 bits is refused. */
static int add_lock_personality_rules(scmp_filter_ctx ctx, uint32_t arch, const SandboxSpec *spec) {
        /* The persona the job runs with: that of Personality=, or the one confine-exec inherits (ours), as
         * systemd's seccomp_lock_personality() takes it. */
        int persona = spec->personality >= 0 ? spec->personality : personality(0xffffffff);
        uint64_t p, clear;
        unsigned first = 0;
        int r;

        if (persona < 0)
                return -errno;
        p = (uint64_t) (unsigned) persona;
        clear = ~p & LOW32;

        r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(personality), 1, SCMP_A0(SCMP_CMP_GT, LOW32));
        if (r < 0)
                return r;
        for (unsigned bit = 0; bit < 32; bit++)
                if (p & (UINT64_C(1) << bit)) {
                        r = deny_masked(ctx, EPERM, SCMP_SYS(personality), 0, UINT64_C(1) << bit, 0);
                        if (r < 0)
                                return r;
                }
        if (clear == 0)
                return 0;
        while (!(clear & (UINT64_C(1) << first)))
                first++;
        for (unsigned bit = first + 1; bit < 32; bit++) {
                uint64_t a = UINT64_C(1) << first, b = UINT64_C(1) << bit;

                if (!(clear & b))
                        continue;
                r = deny_masked(ctx, EPERM, SCMP_SYS(personality), 0, a | b, a);
                if (r >= 0)
                        r = deny_masked(ctx, EPERM, SCMP_SYS(personality), 0, a | b, b);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* SystemCallFilter=: the spec holds plain names, groups already expanded by the daemon. Names that
 * libseccomp does not know, or that this ABI lacks, are skipped, as systemd skips them: an allow-list
 * refuses them anyway, and the daemon has already refused names systemd does not know. execve() stays
 * allowed: without it the job could not start (the daemon refuses filters that deny it). */
static int add_syscall_filter_rules(scmp_filter_ctx ctx, uint32_t arch, const SandboxSpec *spec) {
        bool allow_list = spec->syscall_filter_mode == 1;
        int r;

        STRV_FOREACH(entry, spec->syscall_names) {
                /* "name", or in a deny-list "name:N" / "name:kill": that call's own action. */
                const char *colon = strchr(*entry, ':');
                uint32_t action = allow_list ? SCMP_ACT_ALLOW : violation_action(spec);
                _cleanup_free_ char *name = colon ? strndup(*entry, (size_t) (colon - *entry)) : strdup(*entry);
                int nr;

                if (!name)
                        return -ENOMEM;
                if (colon && !allow_list)
                        action = streq(colon + 1, "kill") ? SCMP_ACT_KILL_PROCESS
                                                          : SCMP_ACT_ERRNO((uint16_t) strtoul(colon + 1, NULL, 10));
                nr = seccomp_syscall_resolve_name(name);
                if (nr == __NR_SCMP_ERROR || (!allow_list && streq(name, "execve")))
                        continue;
                r = seccomp_rule_add(ctx, action, nr, 0);
                if (r < 0 && r != -EEXIST)
                        return r;
        }
        if (allow_list) {
                r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(execve), 0);
                if (r < 0 && r != -EEXIST)
                        return r;
        }
        return 0;
}

/* SystemCallLog=: SECCOMP_RET_LOG for the listed calls (or for all others with "~"); everything is
 * allowed, so another filter's denial always wins over the log action. */
static int add_syscall_log_rules(scmp_filter_ctx ctx, uint32_t arch, const SandboxSpec *spec) {
        uint32_t action = spec->syscall_log_mode == 1 ? SCMP_ACT_LOG : SCMP_ACT_ALLOW;
        int r;

        STRV_FOREACH(name, spec->syscall_log_names) {
                int nr = seccomp_syscall_resolve_name(*name);

                if (nr == __NR_SCMP_ERROR)
                        continue;
                r = seccomp_rule_add(ctx, action, nr, 0);
                if (r < 0 && r != -EEXIST)
                        return r;
        }
        return 0;
}

/* Whether SystemCallFilter= refuses name outright. Its filter is loaded last, so the kernel runs it
 * first, and of two verdicts it keeps the stricter, or of two errnos the first: for such a name a denial
 * in an earlier filter can never be the answer, and is left out. */
static bool refused_by_system_call_filter(const SandboxSpec *spec, const char *name) {
        if (spec->syscall_filter_mode < 0)
                return false;
        return strv_contains(spec->syscall_names, name) != (spec->syscall_filter_mode == 1);
}

static int extend_with_group(char ***l, const char *group) {
        _cleanup_strv_free_ char **names = NULL;
        int r = syscall_group_expand(group, &names);

        return r < 0 ? r : strv_extend_strv(l, names);
}

/* PrivateDevices=, ProtectKernelModules=, ProtectHostname=, ProtectClock= and ProtectKernelLogs= bring
 * system call denials of their own, as in systemd: @raw-io, @module, the host name calls, @clock and
 * syslog(), with EPERM. The list leaves out what SystemCallFilter= refuses anyway. */
static int protection_denials(const SandboxSpec *spec, char ***ret) {
        _cleanup_strv_free_ char **all = NULL;
        int r = 0;

        if (spec->private_devices)
                r = extend_with_group(&all, "@raw-io");
        if (r >= 0 && spec->protect_kernel_modules)
                r = extend_with_group(&all, "@module");
        if (r >= 0 && spec->protect_hostname)
                r = strv_extend_strv(&all, (char *[]) { (char *) "sethostname", (char *) "setdomainname", NULL });
        if (r >= 0 && spec->protect_clock)
                r = extend_with_group(&all, "@clock");
        if (r >= 0 && spec->protect_kernel_logs)
                r = strv_extend(&all, "syslog");
        if (r < 0)
                return r;

        /* Keep, in place, the names SystemCallFilter= lets through. */
        size_t n = 0;
        for (size_t i = 0; all && all[i]; i++)
                if (refused_by_system_call_filter(spec, all[i]))
                        free(all[i]);
                else
                        all[n++] = all[i];
        if (all)
                all[n] = NULL;
        *ret = TAKE_PTR(all);
        return 0;
}

static int add_protection_rules(scmp_filter_ctx ctx, uint32_t arch, const SandboxSpec *spec) {
        _cleanup_strv_free_ char **names = NULL;
        int r = protection_denials(spec, &names);

        STRV_FOREACH(name, r >= 0 ? names : NULL) {
                int nr = seccomp_syscall_resolve_name(*name);
                if (nr == __NR_SCMP_ERROR)
                        continue;
                r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0);
                if (r == -EEXIST)
                        r = 0;
                if (r < 0)
                        break;
        }
        return r;
}

/* Whether the protections leave anything to deny: no filter at all when SystemCallFilter= refuses every
 * name (@system-service refuses all of @raw-io, @module and @clock). */
static int wants_protection_filter(const SandboxSpec *spec) {
        _cleanup_strv_free_ char **names = NULL;
        int r;

        if (!spec->private_devices && !spec->protect_kernel_modules && !spec->protect_hostname &&
            !spec->protect_clock && !spec->protect_kernel_logs)
                return 0;
        r = protection_denials(spec, &names);
        return r < 0 ? r : names && names[0];
}

/* TIOCSTI pushes bytes into a terminal's input as if typed, TIOCLINUX can paste the console's
 * selection: either lets a job drive whoever reads that terminal next (its caller's shell, when it
 * holds the caller's tty). The command is an int: compare the low 32 bits only, so that garbage in
 * the upper half of the register cannot slip past. */
static int add_terminal_injection_rules(scmp_filter_ctx ctx, uint32_t arch, const SandboxSpec *spec) {
        int r = deny_masked(ctx, EPERM, SCMP_SYS(ioctl), 1, UINT32_MAX, TIOCSTI);
        if (r >= 0)
                r = deny_masked(ctx, EPERM, SCMP_SYS(ioctl), 1, UINT32_MAX, TIOCLINUX);
        return r;
}

/* The order is the load order: SystemCallFilter= comes last, since it may forbid seccomp() itself.
 * Every property read here must be in seccomp_build_key() and in sandbox_spec_wants_seccomp(). */
int seccomp_build(const SandboxSpec *spec, SeccompProgram **ret, size_t *ret_n, char **ret_failed) {
        uint64_t all_namespaces = namespace_flags_all();
        Builder b = { .spec = spec };
        int r = 0;

        if (spec->syscall_native_only)
                r = build_architecture_filter(&b);
        if (r >= 0 && spec->syscall_log_mode >= 0)
                r = build_filters(&b, "SystemCallLog=", spec->syscall_log_mode == 1 ? SCMP_ACT_ALLOW : SCMP_ACT_LOG,
                                  add_syscall_log_rules);
        if (r >= 0 && spec->address_family_mode >= 0)
                r = build_filters(&b, "RestrictAddressFamilies=", SCMP_ACT_ALLOW, add_address_family_rules);
        if (r >= 0 && spec->memory_deny_write_execute)
                r = build_filters(&b, "MemoryDenyWriteExecute=yes", SCMP_ACT_ALLOW,
                                  add_memory_deny_write_execute_rules);
        if (r >= 0 && spec->restrict_realtime)
                r = build_filters(&b, "RestrictRealtime=yes", SCMP_ACT_ALLOW, add_restrict_realtime_rules);
        if (r >= 0 && spec->restrict_suid_sgid)
                r = build_filters(&b, "RestrictSUIDSGID=yes", SCMP_ACT_ALLOW, add_restrict_suid_sgid_rules);
        if (r >= 0 && (spec->restrict_namespaces & all_namespaces) != all_namespaces)
                r = build_filters(&b, "RestrictNamespaces=", SCMP_ACT_ALLOW, add_restrict_namespaces_rules);
        if (r >= 0 && spec->lock_personality)
                r = build_filters(&b, "LockPersonality=yes", SCMP_ACT_ALLOW, add_lock_personality_rules);
        if (r >= 0 && spec->restrict_terminal_injection)
                r = build_filters(&b, "terminal (TIOCSTI, TIOCLINUX)", SCMP_ACT_ALLOW, add_terminal_injection_rules);
        if (r >= 0)
                r = wants_protection_filter(spec);
        if (r > 0)
                r = build_filters(&b, "PrivateDevices=/ProtectKernelModules=/ProtectHostname=/ProtectClock=/ProtectKernelLogs=",
                                  SCMP_ACT_ALLOW,
                                  add_protection_rules);
        if (r >= 0 && spec->syscall_filter_mode >= 0)
                r = build_filters(&b, "SystemCallFilter=",
                                  spec->syscall_filter_mode == 1 ? violation_action(spec) : SCMP_ACT_ALLOW,
                                  add_syscall_filter_rules);
        if (r < 0) {
                seccomp_programs_free(b.programs, b.n_programs);
                if (ret_failed)
                        *ret_failed = b.failed;
                else
                        free(b.failed);
                return r;
        }
        free(b.failed);
        *ret = b.programs;
        *ret_n = b.n_programs;
        return 0;
}

typedef struct KeyWriter {
        uint8_t *data;
        size_t size;
        bool oom;
} KeyWriter;

static void key_put(KeyWriter *k, const void *p, size_t l) {
        uint8_t *n;

        if (k->oom)
                return;
        n = realloc(k->data, k->size + l);
        if (!n) {
                k->oom = true;
                return;
        }
        k->data = n;
        memcpy(k->data + k->size, p, l);
        k->size += l;
}

#define KEY_PUT(k, v) do { __typeof__(v) _v = (v); key_put((k), &_v, sizeof _v); } while (0)

int seccomp_build_key(const SandboxSpec *spec, uint8_t **ret, size_t *ret_size) {
        KeyWriter k = {};

        KEY_PUT(&k, spec->syscall_filter_mode);
        KEY_PUT(&k, spec->syscall_errno);
        KEY_PUT(&k, spec->syscall_log_mode);
        KEY_PUT(&k, strv_length(spec->syscall_log_names));
        STRV_FOREACH(name, spec->syscall_log_names)
                key_put(&k, *name, strlen(*name) + 1);
        KEY_PUT(&k, spec->syscall_native_only);
        KEY_PUT(&k, spec->memory_deny_write_execute);
        KEY_PUT(&k, spec->lock_personality);
        KEY_PUT(&k, spec->personality);
        KEY_PUT(&k, spec->restrict_terminal_injection);
        KEY_PUT(&k, spec->restrict_suid_sgid);
        KEY_PUT(&k, spec->restrict_realtime);
        KEY_PUT(&k, spec->restrict_namespaces);
        KEY_PUT(&k, spec->private_devices);
        KEY_PUT(&k, spec->protect_kernel_modules);
        KEY_PUT(&k, spec->protect_hostname);
        KEY_PUT(&k, spec->protect_clock);
        KEY_PUT(&k, spec->protect_kernel_logs);
        KEY_PUT(&k, spec->address_family_mode);
        KEY_PUT(&k, spec->n_address_families);
        for (size_t i = 0; i < spec->n_address_families; i++)
                KEY_PUT(&k, spec->address_families[i]);
        /* Each name with its NUL, so that the list cannot be read two ways. */
        KEY_PUT(&k, strv_length(spec->syscall_names));
        STRV_FOREACH(name, spec->syscall_names)
                key_put(&k, *name, strlen(*name) + 1);
        if (k.oom) {
                free(k.data);
                return -ENOMEM;
        }
        *ret = k.data;
        *ret_size = k.size;
        return 0;
}

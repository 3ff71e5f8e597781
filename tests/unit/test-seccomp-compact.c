/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The range-compiled x86-64 SystemCallFilter= program gives the same verdict as libseccomp's program for
 * the same rules, for every system call number and ABI tried: both are run through a small classic-BPF
 * interpreter. */
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "macro.h"
#include "seccomp-compact.h"
#include "strv.h"
#include "syscall-groups.h"
#include "tap.h"

/* Runs prog on data; an instruction this interpreter does not know fails the run. */
static bool bpf_run(const struct sock_filter *prog, size_t len, const struct seccomp_data *d, uint32_t *ret) {
        uint32_t a = 0;

        for (size_t pc = 0; pc < len; pc++) {
                const struct sock_filter *f = prog + pc;
                uint32_t word;

                switch (f->code) {
                case BPF_LD | BPF_W | BPF_ABS:
                        if (f->k > sizeof *d - 4 || f->k % 4)
                                return false;
                        memcpy(&word, (const uint8_t *) d + f->k, 4);
                        a = word;
                        break;
                case BPF_ALU | BPF_AND | BPF_K:
                        a &= f->k;
                        break;
                case BPF_JMP | BPF_JA:
                        pc += f->k;
                        break;
                case BPF_JMP | BPF_JEQ | BPF_K:
                        pc += a == f->k ? f->jt : f->jf;
                        break;
                case BPF_JMP | BPF_JGT | BPF_K:
                        pc += a > f->k ? f->jt : f->jf;
                        break;
                case BPF_JMP | BPF_JGE | BPF_K:
                        pc += a >= f->k ? f->jt : f->jf;
                        break;
                case BPF_JMP | BPF_JSET | BPF_K:
                        pc += (a & f->k) ? f->jt : f->jf;
                        break;
                case BPF_RET | BPF_K:
                        *ret = f->k;
                        return true;
                default:
                        printf("# unknown BPF instruction 0x%x at %zu\n", f->code, pc);
                        return false;
                }
        }
        return false;
}

/* libseccomp's program for the same rules: x86-64 only, other ABIs allowed. */
static int libseccomp_program(const int *nrs, size_t n, uint32_t listed, uint32_t unlisted, void **ret, size_t *size) {
        scmp_filter_ctx ctx = seccomp_init(unlisted);
        int fd = memfd_create("bpf", MFD_CLOEXEC), r = 0;
        struct stat st;

        if (!ctx || fd < 0)
                return -ENOMEM;
        if (seccomp_arch_native() != SCMP_ARCH_X86_64) {
                seccomp_arch_remove(ctx, seccomp_arch_native());
                seccomp_arch_add(ctx, SCMP_ARCH_X86_64);
        }
        seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ALLOW);
        for (size_t i = 0; i < n && r >= 0; i++) {
                r = seccomp_rule_add_exact(ctx, listed, nrs[i], 0);
                if (r == -EEXIST)
                        r = 0;
        }
        if (r >= 0)
                r = seccomp_export_bpf(ctx, fd);
        seccomp_release(ctx);
        if (r >= 0 && fstat(fd, &st) >= 0) {
                *ret = malloc((size_t) st.st_size);
                *size = (size_t) st.st_size;
                if (pread(fd, *ret, *size, 0) != st.st_size)
                        r = -EIO;
        }
        close(fd);
        return r;
}

static void check_same(const char *what, const int *nrs, size_t n, uint32_t listed, uint32_t unlisted) {
        _cleanup_free_ void *ref = NULL, *mine = NULL;
        size_t ref_size = 0, mine_size = 0;
        unsigned differ = 0, runs = 0;
        static const uint32_t archs[] = { AUDIT_ARCH_X86_64, AUDIT_ARCH_I386, AUDIT_ARCH_AARCH64, 0 };
        static const uint32_t special[] = { 0x3fffffff, 0x40000000, 0x40000001, 0x40000027, 0x400001ff,
                                            0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff };

        ASSERT_OK(libseccomp_program(nrs, n, listed, unlisted, &ref, &ref_size));
        ASSERT_OK(seccomp_compact_x86_64(nrs, n, listed, unlisted, &mine, &mine_size));
        if (!ref || !mine)
                return;
        for (size_t a = 0; a < ELEMENTSOF(archs); a++)
                for (uint32_t k = 0; k < 1100 + ELEMENTSOF(special); k++) {
                        struct seccomp_data d = { .nr = (int) (k < 1100 ? k : special[k - 1100]), .arch = archs[a] };
                        uint32_t x = 1, y = 2;

                        if (!bpf_run(ref, ref_size / 8, &d, &x) || !bpf_run(mine, mine_size / 8, &d, &y) || x != y) {
                                if (differ++ < 3)
                                        printf("# %s: arch 0x%x nr 0x%x: libseccomp 0x%x, ranges 0x%x\n", what,
                                               archs[a], (unsigned) d.nr, x, y);
                        }
                        runs++;
                }
        TAP_POINT(differ == 0, "%s: same verdict for %u (arch, nr) pairs; %zu instructions instead of %zu", what,
                  runs, mine_size / 8, ref_size / 8);
}

static size_t group_numbers(const char *group, int *nrs) {
        _cleanup_strv_free_ char **names = NULL;
        size_t n = 0;

        if (syscall_group_expand(group, &names) < 0)
                return 0;
        STRV_FOREACH(name, names) {
                int nr = seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86_64, *name);
                if (nr >= 0)
                        nrs[n++] = nr;
        }
        return n;
}

int main(void) {
        int nrs[2048];
        size_t n;

        n = group_numbers("@system-service", nrs);
        nrs[n++] = 59; /* execve */
        check_same("allow-list @system-service, kill", nrs, n, SCMP_ACT_ALLOW, SCMP_ACT_KILL_PROCESS);
        check_same("allow-list @system-service, EPERM", nrs, n, SCMP_ACT_ALLOW, SCMP_ACT_ERRNO(1));
        n = group_numbers("@mount", nrs);
        check_same("deny-list @mount, EUCLEAN", nrs, n, SCMP_ACT_ERRNO(117), SCMP_ACT_ALLOW);
        check_same("deny-list @mount, kill", nrs, n, SCMP_ACT_KILL_PROCESS, SCMP_ACT_ALLOW);
        check_same("allow-list of nothing", nrs, 0, SCMP_ACT_ALLOW, SCMP_ACT_KILL_PROCESS);
        nrs[0] = 0;
        check_same("allow-list of read() (number 0) only", nrs, 1, SCMP_ACT_ALLOW, SCMP_ACT_KILL_PROCESS);
        for (n = 0; n < 460; n++)
                nrs[n] = (int) n;
        nrs[n++] = 3; /* twice */
        check_same("allow-list of 0…459", nrs, n, SCMP_ACT_ALLOW, SCMP_ACT_KILL_PROCESS);

        /* Too many ranges for 8-bit jumps: refused, so that the caller uses libseccomp. */
        void *code = NULL;
        size_t size = 0;
        for (n = 0; n < 300; n++)
                nrs[n] = (int) (2 * n);
        ASSERT_ERR(seccomp_compact_x86_64(nrs, n, SCMP_ACT_ALLOW, SCMP_ACT_KILL_PROCESS, &code, &size), -E2BIG);
        nrs[0] = -5;
        ASSERT_ERR(seccomp_compact_x86_64(nrs, 1, SCMP_ACT_ALLOW, SCMP_ACT_KILL_PROCESS, &code, &size), -EINVAL);
        return tap_finish();
}

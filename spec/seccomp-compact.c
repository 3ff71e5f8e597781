/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "seccomp-compact.h"

#define X32_SYSCALL_BIT UINT32_C(0x40000000)
#define MAX_RANGES 120          /* 2 per range, and every jump to the two returns fits in 8 bits */

static int cmp_int(const void *a, const void *b) {
        int x = *(const int *) a, y = *(const int *) b;
        return (x > y) - (x < y);
}

int seccomp_compact_x86_64(const int *nrs, size_t n, uint32_t listed_action, uint32_t unlisted_action,
                           void **ret_code, size_t *ret_size) {
        _cleanup_free_ int *sorted = NULL;
        struct sock_filter *p;
        uint32_t lo[MAX_RANGES], hi[MAX_RANGES];
        size_t n_ranges = 0, len, i = 0;

        sorted = malloc((n ?: 1) * sizeof(int));
        if (!sorted)
                return -ENOMEM;
        memcpy(sorted, nrs, n * sizeof(int));
        qsort(sorted, n, sizeof(int), cmp_int);
        for (size_t k = 0; k < n; k++) {
                if (sorted[k] < 0 || (uint32_t) sorted[k] >= X32_SYSCALL_BIT)
                        return -EINVAL;
                if (n_ranges > 0 && (uint32_t) sorted[k] <= hi[n_ranges - 1] + 1) {
                        hi[n_ranges - 1] = MAX(hi[n_ranges - 1], (uint32_t) sorted[k]);
                        continue;
                }
                if (n_ranges == MAX_RANGES)
                        return -E2BIG;
                lo[n_ranges] = hi[n_ranges] = (uint32_t) sorted[k];
                n_ranges++;
        }

        /* 7 instructions of prologue, 2 per range, 2 returns. */
        len = 7 + 2 * n_ranges + 2;
        p = calloc(len, sizeof(struct sock_filter));
        if (!p)
                return -ENOMEM;

        size_t ret_unlisted = len - 2, ret_listed = len - 1;
        /* Another ABI: allowed here, judged by the filter for it. */
        p[i++] = (struct sock_filter) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
        p[i++] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
        p[i++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
        p[i++] = (struct sock_filter) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
        /* x32 numbers likewise, except -1, which the rules judge (libseccomp does the same). */
        p[i++] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, X32_SYSCALL_BIT, 0, 2);
        p[i++] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, UINT32_C(0xffffffff), 1, 0);
        p[i++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
        /* Ascending ranges: past this one, on to the next; inside it, listed; below it (and above the
         * previous one), not listed. */
        for (size_t r = 0; r < n_ranges; r++) {
                p[i] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, hi[r], 1, 0);
                i++;
                p[i] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, lo[r],
                                                     (uint8_t) (ret_listed - i - 1), (uint8_t) (ret_unlisted - i - 1));
                i++;
        }
        p[i++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, unlisted_action);
        p[i++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, listed_action);

        *ret_code = p;
        *ret_size = len * sizeof(struct sock_filter);
        return 0;
}

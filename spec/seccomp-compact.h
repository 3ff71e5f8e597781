/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* A SystemCallFilter= filter for x86-64 (plain system call numbers, no argument conditions) as ranges of
 * consecutive numbers: two instructions per range instead of libseccomp's one per system call.
 * @system-service's 299 x86-64 calls form 27 ranges: 62 instructions instead of 306, and the kernel's
 * check and JIT compile of each filter instruction costs about 2 us on a small VM, for every job.
 *
 * The program behaves exactly as libseccomp's for the same rules with "bad arch" allowed: another audit
 * arch is allowed (its own filter judges it), as is an x32 number (>= 0x40000000, but not -1); numbers
 * listed get listed_action, all others unlisted_action (both SECCOMP_RET_* values). nrs needs no order
 * and may repeat. Returns -E2BIG when the numbers form too many ranges for 8-bit jumps (the caller then
 * uses libseccomp), -EINVAL for a negative number. */
int seccomp_compact_x86_64(const int *nrs, size_t n, uint32_t listed_action, uint32_t unlisted_action,
                           void **ret_code, size_t *ret_size);

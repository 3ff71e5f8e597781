/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "sandbox-spec.h"

/* Compiled seccomp filters by their inputs: most jobs ask for one of a few filter sets (a profile, the
 * seed set), and compiling @system-service for three ABIs costs milliseconds. The few most recently used
 * sets are kept. */

#define SECCOMP_CACHE_SIZE 16

typedef struct SeccompCacheEntry {
        uint8_t *key;
        size_t key_size;
        SeccompProgram *programs;
        size_t n_programs;
        uint64_t last_used;
} SeccompCacheEntry;

typedef struct SeccompCache {
        SeccompCacheEntry entries[SECCOMP_CACHE_SIZE];
        size_t n_entries;
        uint64_t clock;
        uint64_t hits, misses;
} SeccompCache;

/* Gives spec its own copy of the compiled filters (spec->seccomp_programs), from the cache or compiled
 * now. On failure *ret_failed names the filter and the step. */
int seccomp_cache_apply(SeccompCache *c, SandboxSpec *spec, char **ret_failed);

void seccomp_cache_done(SeccompCache *c);

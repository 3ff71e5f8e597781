/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "seccomp-build.h"
#include "seccomp-cache.h"

static void entry_clear(SeccompCacheEntry *e) {
        free(e->key);
        seccomp_programs_free(e->programs, e->n_programs);
        *e = (SeccompCacheEntry) {};
}

static int programs_copy(const SeccompProgram *from, size_t n, SeccompProgram **ret) {
        SeccompProgram *p = calloc(n, sizeof(SeccompProgram));

        if (!p)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                p[i].what = strdup(from[i].what);
                p[i].code = malloc(from[i].size);
                p[i].size = from[i].size;
                if (!p[i].what || !p[i].code) {
                        seccomp_programs_free(p, n);
                        return -ENOMEM;
                }
                memcpy(p[i].code, from[i].code, from[i].size);
        }
        *ret = p;
        return 0;
}

static SeccompCacheEntry *cache_find(SeccompCache *c, const uint8_t *key, size_t key_size) {
        for (size_t i = 0; i < c->n_entries; i++)
                if (c->entries[i].key_size == key_size && memcmp(c->entries[i].key, key, key_size) == 0)
                        return c->entries + i;
        return NULL;
}

/* A free slot, or the least recently used one, emptied. */
static SeccompCacheEntry *cache_slot(SeccompCache *c) {
        SeccompCacheEntry *oldest;

        if (c->n_entries < SECCOMP_CACHE_SIZE)
                return c->entries + c->n_entries++;
        oldest = c->entries;
        for (size_t i = 1; i < c->n_entries; i++)
                if (c->entries[i].last_used < oldest->last_used)
                        oldest = c->entries + i;
        entry_clear(oldest);
        return oldest;
}

int seccomp_cache_apply(SeccompCache *c, SandboxSpec *spec, char **ret_failed) {
        _cleanup_free_ uint8_t *key = NULL;
        SeccompProgram *programs = NULL;
        SeccompCacheEntry *e;
        size_t key_size, n = 0;
        int r;

        if (!sandbox_spec_wants_seccomp(spec))
                return 0;

        r = seccomp_build_key(spec, &key, &key_size);
        if (r < 0)
                return r;
        e = cache_find(c, key, key_size);
        if (e)
                c->hits++;
        else {
                c->misses++;
                r = seccomp_build(spec, &programs, &n, ret_failed);
                if (r < 0)
                        return r;
                e = cache_slot(c);
                *e = (SeccompCacheEntry) {
                        .key = TAKE_PTR(key),
                        .key_size = key_size,
                        .programs = programs,
                        .n_programs = n,
                };
        }
        e->last_used = ++c->clock;

        r = programs_copy(e->programs, e->n_programs, &programs);
        if (r < 0)
                return r;
        seccomp_programs_free(spec->seccomp_programs, spec->n_seccomp_programs);
        spec->seccomp_programs = programs;
        spec->n_seccomp_programs = e->n_programs;
        return 0;
}

void seccomp_cache_done(SeccompCache *c) {
        for (size_t i = 0; i < c->n_entries; i++)
                entry_clear(c->entries + i);
        c->n_entries = 0;
}

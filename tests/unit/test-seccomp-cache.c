/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The daemon's cache of compiled seccomp filters: equal inputs share one compilation, different inputs
 * never do, and what a job gets is exactly what compiling its own spec gives. */
#include "property-apply.h"
#include "seccomp-build.h"
#include "seccomp-cache.h"
#include "tap.h"

static SandboxSpec *spec_with(const char *const *assignments) {
        SandboxSpec *s = sandbox_spec_new();

        for (const char *const *a = assignments; *a; a++) {
                _cleanup_free_ char *message = NULL;
                if (property_apply_text(s, *a, &message) < 0)
                        printf("# %s: %s\n", *a, message ?: "failed");
        }
        return s;
}

static bool programs_equal(const SeccompProgram *a, size_t n_a, const SeccompProgram *b, size_t n_b) {
        if (n_a != n_b)
                return false;
        for (size_t i = 0; i < n_a; i++)
                if (a[i].size != b[i].size || memcmp(a[i].code, b[i].code, a[i].size) != 0 ||
                    strcmp(a[i].what, b[i].what) != 0)
                        return false;
        return true;
}

static const char *const seed[] = { "SystemCallFilter=@system-service", "PrivateDevices=yes", NULL };
static const char *const seed_locked[] = { "SystemCallFilter=@system-service", "PrivateDevices=yes",
                                           "LockPersonality=yes", NULL };

static void test_hit_equals_compile(void) {
        SeccompCache c = {};
        _cleanup_(sandbox_spec_freep) SandboxSpec *a = spec_with(seed), *b = spec_with(seed), *d = spec_with(seed);
        SeccompProgram *direct = NULL;
        size_t n_direct = 0;

        ASSERT_OK(seccomp_build(d, &direct, &n_direct, NULL));
        ASSERT_TRUE(n_direct > 0);

        ASSERT_OK(seccomp_cache_apply(&c, a, NULL));
        ASSERT_EQ(c.misses, 1);
        ASSERT_TRUE(programs_equal(a->seccomp_programs, a->n_seccomp_programs, direct, n_direct));

        ASSERT_OK(seccomp_cache_apply(&c, b, NULL));
        ASSERT_EQ(c.hits, 1);
        ASSERT_EQ(c.misses, 1);
        ASSERT_TRUE(programs_equal(b->seccomp_programs, b->n_seccomp_programs, direct, n_direct));
        /* Each spec owns its copy. */
        ASSERT_TRUE(b->seccomp_programs[0].code != a->seccomp_programs[0].code);

        seccomp_programs_free(direct, n_direct);
        seccomp_cache_done(&c);
}

static void test_different_inputs_miss(void) {
        SeccompCache c = {};
        _cleanup_(sandbox_spec_freep) SandboxSpec *a = spec_with(seed), *b = spec_with(seed_locked), *none = sandbox_spec_new();
        static const char *const deny[] = { "SystemCallFilter=~@mount", NULL };
        static const char *const allow_mount[] = { "SystemCallFilter=@mount", NULL };
        _cleanup_(sandbox_spec_freep) SandboxSpec *x = spec_with(deny), *y = spec_with(allow_mount);

        ASSERT_OK(seccomp_cache_apply(&c, a, NULL));
        ASSERT_OK(seccomp_cache_apply(&c, b, NULL));
        ASSERT_EQ(c.misses, 2);
        ASSERT_TRUE(!programs_equal(a->seccomp_programs, a->n_seccomp_programs, b->seccomp_programs,
                                    b->n_seccomp_programs));
        /* The same names, allowed once and denied once. */
        ASSERT_OK(seccomp_cache_apply(&c, x, NULL));
        ASSERT_OK(seccomp_cache_apply(&c, y, NULL));
        ASSERT_EQ(c.misses, 4);
        ASSERT_EQ(c.hits, 0);

        /* No seccomp property: no program, no cache entry. */
        ASSERT_OK(seccomp_cache_apply(&c, none, NULL));
        ASSERT_EQ(none->n_seccomp_programs, 0);
        ASSERT_EQ(c.n_entries, 4);
        seccomp_cache_done(&c);
}

static void test_eviction(void) {
        SeccompCache c = {};
        char buf[64];

        for (int e = 1; e <= SECCOMP_CACHE_SIZE + 1; e++) {
                const char *assign[] = { "SystemCallFilter=~@mount", buf, NULL };
                SandboxSpec *s;

                snprintf(buf, sizeof buf, "SystemCallErrorNumber=%d", e);
                s = spec_with(assign);
                ASSERT_OK(seccomp_cache_apply(&c, s, NULL));
                sandbox_spec_free(s);
        }
        ASSERT_EQ(c.n_entries, SECCOMP_CACHE_SIZE);
        ASSERT_EQ(c.misses, SECCOMP_CACHE_SIZE + 1);

        /* The least recently used (errno 1) went; the newest stayed. */
        const char *first[] = { "SystemCallFilter=~@mount", "SystemCallErrorNumber=1", NULL };
        SandboxSpec *s = spec_with(first);
        ASSERT_OK(seccomp_cache_apply(&c, s, NULL));
        ASSERT_EQ(c.misses, SECCOMP_CACHE_SIZE + 2);
        sandbox_spec_free(s);
        snprintf(buf, sizeof buf, "SystemCallErrorNumber=%d", SECCOMP_CACHE_SIZE + 1);
        const char *last[] = { "SystemCallFilter=~@mount", buf, NULL };
        s = spec_with(last);
        ASSERT_OK(seccomp_cache_apply(&c, s, NULL));
        ASSERT_EQ(c.hits, 1);
        sandbox_spec_free(s);
        seccomp_cache_done(&c);
}

int main(void) {
        test_hit_equals_compile();
        test_different_inputs_miss();
        test_eviction();
        return tap_finish();
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Appliers for the seccomp properties: SystemCallFilter=, SystemCallErrorNumber=,
 * SystemCallArchitectures=, RestrictAddressFamilies=, RestrictNamespaces= and the switches
 * MemoryDenyWriteExecute=, LockPersonality=, RestrictSUIDSGID=, RestrictRealtime=. They check names
 * against the pinned tables and record plain values (groups expanded, each name once);
 * spec/seccomp-build.c compiles the filters. Unlike systemd, an unknown name is an error. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "af-names.h"
#include "namespace-names.h"
#include "property-appliers.h"
#include "strv.h"
#include "syscall-groups.h"

#define seccomp_invalid(msg, v, fmt, ...) property_fail((msg), -EINVAL, "%s: " fmt, (v)->info->name, ##__VA_ARGS__)

/* The architecture confine-exec runs on, as systemd names it. */
#if defined(__x86_64__) && defined(__ILP32__)
#define NATIVE_ARCH "x32"
#elif defined(__x86_64__)
#define NATIVE_ARCH "x86-64"
#elif defined(__i386__)
#define NATIVE_ARCH "x86"
#elif defined(__aarch64__)
#define NATIVE_ARCH "arm64"
#elif defined(__arm__)
#define NATIVE_ARCH "arm"
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define NATIVE_ARCH "ppc64-le"
#elif defined(__s390x__)
#define NATIVE_ARCH "s390x"
#elif defined(__riscv) && __riscv_xlen == 64
#define NATIVE_ARCH "riscv64"
#else
#define NATIVE_ARCH NULL
#endif

/* Every identifier systemd accepts in SystemCallArchitectures=. */
static const char *const syscall_arch_names[] = {
        "x86", "x86-64", "x32", "arm", "arm64", "loongarch64", "mips", "mips-le", "mips64", "mips64-le",
        "mips64-n32", "mips64-le-n32", "parisc", "parisc64", "ppc", "ppc64", "ppc64-le", "riscv64", "s390",
        "s390x",
};

/* l ∪ add: sorted, each name once. The lists of SystemCallFilter= stay in that form. */
static int names_union(char ***l, char * const *add) {
        int r = strv_extend_strv(l, add);
        if (r >= 0)
                strv_sort_unique(*l);
        return r;
}

/* Removes from l, in place, every name of remove (sorted, as names_union() leaves it). */
static void names_remove(char **l, char * const *remove) {
        size_t n = strv_length(remove);
        char **w = l;

        if (!l)
                return;
        for (char **r = l; *r; r++)
                if (strv_sorted_contains(remove, n, *r))
                        free(*r);
                else
                        *w++ = *r;
        *w = NULL;
}

/* As in systemd: an empty list resets the filter. The first assignment sets the mode; an allow-list
 * starts from @default. Later assignments of the same mode add names, of the other mode remove them.
 * Per-call error numbers ("name:EPERM") are not supported. A filter that would forbid execve() is
 * refused: confine-exec could not start the job. */
int apply_system_call_filter(SandboxSpec *s, const PropertyValue *v, char **msg) {
        _cleanup_strv_free_ char **listed = NULL, **names = NULL;
        int mode = s->syscall_filter_mode, r;

        if (!v->strv || !v->strv[0]) {
                s->syscall_names = strv_free(s->syscall_names);
                s->syscall_filter_mode = -1;
                return 0;
        }

        STRV_FOREACH(n, v->strv) {
                _cleanup_strv_free_ char **expanded = NULL;

                if (strchr(*n, ':'))
                        return property_fail(msg, -EOPNOTSUPP,
                                             "%s: per-system-call error numbers (\"%s\") are not supported, "
                                             "use SystemCallErrorNumber=", v->info->name, *n);
                r = syscall_group_expand(*n, &expanded);
                if (r == -EINVAL)
                        return seccomp_invalid(msg, v, "unknown system call or group \"%s\"", *n);
                if (r < 0)
                        return r;
                r = strv_extend_strv(&listed, expanded);
                if (r < 0)
                        return r;
        }
        strv_sort_unique(listed);

        names = strv_copy(s->syscall_names);
        if (!names)
                return -ENOMEM;
        if (mode < 0) {
                mode = v->b;
                if (mode == 1) {
                        _cleanup_strv_free_ char **defaults = NULL;

                        r = syscall_group_expand("@default", &defaults);
                        if (r >= 0)
                                r = names_union(&names, defaults);
                        if (r < 0)
                                return r;
                }
        }
        if (v->b == (mode == 1)) {
                r = names_union(&names, listed);
                if (r < 0)
                        return r;
        } else
                names_remove(names, listed);

        if (strv_contains(names, "execve") != (mode == 1))
                return seccomp_invalid(msg, v, "execve cannot be denied: the job could not start");

        strv_free(s->syscall_names);
        s->syscall_names = TAKE_PTR(names);
        s->syscall_filter_mode = mode;
        return 0;
}

/* 0 and INT32_MAX (how systemd's clients spell "kill") kill the process; 1…4095 is an errno. */
int apply_system_call_error_number(SandboxSpec *s, const PropertyValue *v, char **msg) {
        if (v->i == 0 || v->i == INT32_MAX)
                s->syscall_errno = 0;
        else if (v->i >= 1 && v->i <= 4095)
                s->syscall_errno = v->i;
        else
                return seccomp_invalid(msg, v, "%" PRIi32 " is not an error number (1…4095), or 0 to kill", v->i);
        return 0;
}

/* Only the native architecture can be allowed: confine-exec filters the other ABIs, but does not build
 * filters that admit them alone. An empty list resets. */
int apply_system_call_architectures(SandboxSpec *s, const PropertyValue *v, char **msg) {
        if (!v->strv || !v->strv[0]) {
                s->syscall_native_only = false;
                return 0;
        }

        STRV_FOREACH(a, v->strv) {
                bool known = false;

                if (streq(*a, "native") || (NATIVE_ARCH && streq(*a, NATIVE_ARCH)))
                        continue;
                for (size_t i = 0; i < ELEMENTSOF(syscall_arch_names); i++)
                        known = known || streq(*a, syscall_arch_names[i]);
                if (!known)
                        return seccomp_invalid(msg, v, "unknown architecture \"%s\"", *a);
                return property_fail(msg, -EOPNOTSUPP,
                                     "%s: only the native architecture (\"native\"%s%s%s) can be allowed, not \"%s\"",
                                     v->info->name, NATIVE_ARCH ? ", \"" : "", strempty(NATIVE_ARCH),
                                     NATIVE_ARCH ? "\"" : "", *a);
        }
        s->syscall_native_only = true;
        return 0;
}

static bool families_contain(const SandboxSpec *s, int af) {
        for (size_t i = 0; i < s->n_address_families; i++)
                if (s->address_families[i] == af)
                        return true;
        return false;
}

/* As in systemd: (true, []) or "none" allows no family, (false, []) resets; otherwise the first
 * assignment sets the mode, later ones of the same mode add families and of the other mode remove them. */
int apply_restrict_address_families(SandboxSpec *s, const PropertyValue *v, char **msg) {
        size_t n = strv_length(v->strv);
        _cleanup_free_ int *families = NULL;
        size_t k;

        if (n == 0 || (n == 1 && v->b && streq(v->strv[0], "none"))) {
                free(s->address_families);
                s->address_families = NULL;
                s->n_address_families = 0;
                s->address_family_mode = v->b ? 1 : -1;
                return 0;
        }

        families = calloc(n, sizeof(int));
        if (!families)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                families[i] = af_from_name(v->strv[i]);
                if (families[i] < 0)
                        return seccomp_invalid(msg, v, "unknown address family \"%s\"", v->strv[i]);
        }

        if (s->address_family_mode < 0)
                s->address_family_mode = v->b;

        if (v->b == (s->address_family_mode == 1)) {
                for (size_t i = 0; i < n; i++) {
                        int *a;

                        if (families_contain(s, families[i]))
                                continue;
                        a = realloc(s->address_families, (s->n_address_families + 1) * sizeof(int));
                        if (!a)
                                return -ENOMEM;
                        s->address_families = a;
                        s->address_families[s->n_address_families++] = families[i];
                }
                return 0;
        }

        k = 0;
        for (size_t i = 0; i < s->n_address_families; i++) {
                bool drop = false;

                for (size_t j = 0; j < n; j++)
                        drop = drop || s->address_families[i] == families[j];
                if (!drop)
                        s->address_families[k++] = s->address_families[i];
        }
        s->n_address_families = k;
        return 0;
}

/* The mask of CLONE_NEW* flags that stay allowed; all of them, or UINT64_MAX, is no restriction. As on
 * systemd's bus, a later assignment replaces an earlier one. */
int apply_restrict_namespaces(SandboxSpec *s, const PropertyValue *v, char **msg) {
        uint64_t all = namespace_flags_all();

        if (v->t != UINT64_MAX && (v->t & ~all))
                return seccomp_invalid(msg, v, "unknown namespace flags 0x%" PRIx64, v->t & ~all);
        s->restrict_namespaces = (v->t & all) == all ? UINT64_MAX : v->t;
        return 0;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Appliers for the seccomp properties: SystemCallFilter=, SystemCallErrorNumber=,
 * SystemCallArchitectures=, RestrictAddressFamilies=, RestrictNamespaces= and the switches
 * MemoryDenyWriteExecute=, LockPersonality=, RestrictSUIDSGID=, RestrictRealtime=. They check names
 * against the pinned tables and record plain values (groups expanded, each name once);
 * spec/seccomp-build.c compiles the filters. Unlike systemd, an unknown name is an error. */
#include <errno.h>
#include <inttypes.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>
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

/* The length of the system call name in an entry "name" or "name:ERRNO". */
static size_t entry_name_length(const char *e) {
        return strcspn(e, ":");
}

static bool entry_is(const char *e, const char *name, size_t l) {
        return entry_name_length(e) == l && strneq(e, name, l);
}

/* Removes from l, in place, every entry of the system call that e names (whatever its errno). */
static void names_remove_one(char **l, const char *e) {
        size_t n = entry_name_length(e);
        char **w = l;

        if (!l)
                return;
        for (char **r = l; *r; r++)
                if (entry_is(*r, e, n))
                        free(*r);
                else
                        *w++ = *r;
        *w = NULL;
}

typedef struct NameEntry {
        char *entry;
        size_t name_length;
        size_t order;           /* later entries replace earlier ones of the same call */
} NameEntry;

static int name_entry_compare(const void *a, const void *b) {
        const NameEntry *x = a, *y = b;
        int c = memcmp(x->entry, y->entry, MIN(x->name_length, y->name_length));

        if (c != 0)
                return c;
        if (x->name_length != y->name_length)
                return x->name_length < y->name_length ? -1 : 1;
        return x->order < y->order ? -1 : x->order > y->order;
}

/* Adds each entry of add to l, replacing an earlier entry of the same system call (a later errno wins,
 * as in systemd's hashmap_update()); l stays sorted. One sort, not a scan of l per entry: a group such
 * as @system-service adds hundreds of names to hundreds, on every Spawn that names it. On failure l is
 * unchanged. */
static int names_add(char ***l, char * const *add) {
        size_t n = strv_length(*l), k = strv_length(add), m = 0;
        _cleanup_free_ NameEntry *v = NULL;
        char **out;

        if (k == 0)
                return 0;
        v = calloc(n + k, sizeof *v);
        out = calloc(n + k + 1, sizeof *out);
        if (!v || !out) {
                free(out);
                return -ENOMEM;
        }
        for (size_t i = 0; i < k; i++) {
                char *e = strdup(add[i]);
                if (!e) {
                        for (size_t j = 0; j < i; j++)
                                free(v[n + j].entry);
                        free(out);
                        return -ENOMEM;
                }
                v[n + i] = (NameEntry) { e, entry_name_length(e), n + i };
        }
        for (size_t i = 0; i < n; i++)
                v[i] = (NameEntry) { (*l)[i], entry_name_length((*l)[i]), i };
        qsort(v, n + k, sizeof *v, name_entry_compare);
        for (size_t i = 0; i < n + k; i++)
                if (i + 1 < n + k && v[i + 1].name_length == v[i].name_length &&
                    memcmp(v[i + 1].entry, v[i].entry, v[i].name_length) == 0)
                        free(v[i].entry);
                else
                        out[m++] = v[i].entry;
        free(*l);
        *l = out;
        strv_sort_unique(*l);
        return 0;
}

static void names_remove(char **l, char * const *remove) {
        STRV_FOREACH(e, remove)
                names_remove_one(l, *e);
}

static bool names_contain(char * const *l, const char *name) {
        STRV_FOREACH(e, l)
                if (entry_is(*e, name, strlen(name)))
                        return true;
        return false;
}

/* "EPERM", "1"…"4095", "0" or "kill", as systemd's seccomp_parse_errno_or_action() reads the part after
 * the colon; stored as ":N" or ":kill". */
static int parse_call_errno(const char *s, char **ret_suffix) {
        char *end;
        long n = -1;

        if (streq(s, "kill"))
                return asprintf(ret_suffix, ":kill") < 0 ? -ENOMEM : 0;
        if (s[0] >= '0' && s[0] <= '9') {
                errno = 0;
                n = strtol(s, &end, 10);
                if (errno != 0 || *end || n > 4095)
                        return -EINVAL;
        } else
                for (int e = 1; e <= 4095 && n < 0; e++) {
                        const char *name = strerrorname_np(e);
                        if (name && streq(name, s))
                                n = e;
                }
        if (n < 0)
                return -EINVAL;
        return asprintf(ret_suffix, ":%ld", n) < 0 ? -ENOMEM : 0;
}

/* One word of SystemCallFilter=: "name", "@group", and in a deny-list "name:ERRNO" or "@group:ERRNO"
 * (systemd's parse_syscall_and_errno()). Appends the entries, groups expanded, to *listed. */
static int expand_filter_word(const char *word, bool allow, const PropertyValue *v, char ***listed, char **msg) {
        _cleanup_strv_free_ char **expanded = NULL;
        _cleanup_free_ char *name = NULL, *suffix = NULL;
        const char *colon = strchr(word, ':');
        int r;

        name = colon ? strndup(word, (size_t) (colon - word)) : strdup(word);
        if (!name)
                return -ENOMEM;
        if (colon) {
                if (allow)
                        return seccomp_invalid(msg, v, "\"%s\": only a denied system call can take an error "
                                               "number, not one of an allow-list", word);
                r = parse_call_errno(colon + 1, &suffix);
                if (r == -EINVAL)
                        return seccomp_invalid(msg, v, "\"%s\": invalid error number, expected an errno name, "
                                               "0…4095 or \"kill\"", word);
                if (r < 0)
                        return r;
        }
        r = syscall_group_expand(name, &expanded);
        if (r == -EINVAL)
                return seccomp_invalid(msg, v, "unknown system call or group \"%s\"", name);
        if (r < 0)
                return r;
        if (suffix)
                for (char **n = expanded; *n; n++) {
                        char *e;

                        if (asprintf(&e, "%s%s", *n, suffix) < 0)
                                return -ENOMEM;
                        free(*n);
                        *n = e;
                }
        /* One append per word, not per name: a group has hundreds. */
        return strv_extend_strv(listed, expanded);
}

/* As in systemd: an empty list resets the filter. The first assignment sets the mode; an allow-list
 * starts from @default. Later assignments of the same mode add names, of the other mode remove them.
 * In a deny-list, "name:ERRNO" gives that call its own error (or "kill"), the last one given winning.
 * A filter that would forbid execve() is refused: confine-exec could not start the job. */
int apply_system_call_filter(SandboxSpec *s, const PropertyValue *v, char **msg) {
        _cleanup_strv_free_ char **listed = NULL, **names = NULL;
        int mode = s->syscall_filter_mode, r;
        bool adds;

        if (!v->strv || !v->strv[0]) {
                s->syscall_names = strv_free(s->syscall_names);
                s->syscall_filter_mode = -1;
                return 0;
        }

        if (mode < 0)
                mode = v->b;
        /* The entries this assignment puts in the list: those of the list's own mode. Error numbers belong
         * to deny-list entries only, whichever way they get there. */
        adds = v->b == (mode == 1);
        STRV_FOREACH(n, v->strv) {
                r = expand_filter_word(*n, mode == 1 || !adds, v, &listed, msg);
                if (r < 0)
                        return r;
        }

        names = strv_copy(s->syscall_names);
        if (!names)
                return -ENOMEM;
        if (s->syscall_filter_mode < 0 && mode == 1) {
                _cleanup_strv_free_ char **defaults = NULL;

                r = syscall_group_expand("@default", &defaults);
                if (r >= 0)
                        r = names_add(&names, defaults);
                if (r < 0)
                        return r;
        }
        if (adds) {
                r = names_add(&names, listed);
                if (r < 0)
                        return r;
        } else
                names_remove(names, listed);

        if (names_contain(names, "execve") != (mode == 1))
                return seccomp_invalid(msg, v, "execve cannot be denied: the job could not start");

        strv_free(s->syscall_names);
        s->syscall_names = TAKE_PTR(names);
        s->syscall_filter_mode = mode;
        return 0;
}

/* Whether the kernel has SECCOMP_RET_LOG (Linux 4.14). The one kernel query of the appliers: without
 * it, SystemCallLog= cannot be enforced, and that is NotSupported at once rather than at spawn time. */
static bool kernel_can_log_system_calls(void) {
        uint32_t action = SECCOMP_RET_LOG;
        return syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0;
}

/* SystemCallLog= as systemd merges it: the first assignment sets the mode (a list: log those; "~": log
 * all others), later ones of the same mode add names, of the other mode remove them, "" resets.
 * Logging allows every call: it is no restriction, and no error numbers are taken. */
int apply_system_call_log(SandboxSpec *s, const PropertyValue *v, char **msg) {
        _cleanup_strv_free_ char **listed = NULL, **names = NULL;
        int mode = s->syscall_log_mode, r;

        if (!v->strv || !v->strv[0]) {
                s->syscall_log_names = strv_free(s->syscall_log_names);
                s->syscall_log_mode = -1;
                return 0;
        }
        if (!kernel_can_log_system_calls())
                return property_fail(msg, -EOPNOTSUPP, "%s: this kernel cannot log system calls (SECCOMP_RET_LOG)",
                                     v->info->name);
        if (mode < 0)
                mode = v->b;
        STRV_FOREACH(n, v->strv) {
                r = expand_filter_word(*n, true, v, &listed, msg);
                if (r < 0)
                        return r;
        }
        names = strv_copy(s->syscall_log_names);
        if (!names)
                return -ENOMEM;
        if (v->b == (mode == 1)) {
                r = names_add(&names, listed);
                if (r < 0)
                        return r;
        } else
                names_remove(names, listed);
        strv_free(s->syscall_log_names);
        s->syscall_log_names = TAKE_PTR(names);
        s->syscall_log_mode = mode;
        return 0;
}

/* 0, INT32_MAX - 1 (systemd 252's SECCOMP_ERROR_NUMBER_KILL, what systemd-run sends for "kill") and
 * INT32_MAX (older clients' "kill") kill the process; 1…4095 is an errno. */
int apply_system_call_error_number(SandboxSpec *s, const PropertyValue *v, char **msg) {
        if (v->i == 0 || v->i == INT32_MAX || v->i == INT32_MAX - 1)
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

/* The mask of CLONE_NEW* flags that stay allowed; all of them, or UINT64_MAX, is no restriction.
 * Repeated assignments combine as in systemd's unit files (namespace_flags_merge()). */
int apply_restrict_namespaces(SandboxSpec *s, const PropertyValue *v, char **msg) {
        if (namespace_flags_merge(&s->restrict_namespaces, &s->restrict_namespaces_assigned, v->t) < 0)
                return seccomp_invalid(msg, v, "unknown namespace flags 0x%" PRIx64, v->t & ~namespace_flags_all());
        return 0;
}

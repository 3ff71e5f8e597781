/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "spec-fields.h"
#include "strv.h"

#include "spec-nesting.h"

static bool groups_subset(const gid_t *a, size_t na, const gid_t *b, size_t nb) {
        for (size_t i = 0; i < na; i++) {
                bool found = false;
                for (size_t k = 0; k < nb && !found; k++)
                        found = a[i] == b[k];
                if (!found)
                        return false;
        }
        return true;
}

const char *spec_nested_loosens(const SandboxSpec *c, const SandboxSpec *p) {
        if (c->uid != p->uid)
                return "User";
        if (c->gid != p->gid)
                return "Group";
        if (!groups_subset(c->groups, c->n_groups, p->groups, p->n_groups))
                return "SupplementaryGroups";
        if (c->capability_bounding_set_set && (c->capability_bounding_set & ~p->capability_bounding_set))
                return "CapabilityBoundingSet";
        if (c->ambient_capabilities & ~p->ambient_capabilities)
                return "AmbientCapabilities";
        if (p->no_new_privileges > 0 && c->no_new_privileges == 0)
                return "NoNewPrivileges";
        for (int r = 0; r < SANDBOX_RLIMIT_MAX; r++) {
                const ResourceLimit *lc = c->rlimits + r, *lp = p->rlimits + r;
                if (lp->hard_set && lc->hard_set && lc->hard > lp->hard)
                        return rlimit_to_property_name(r);
                if (lp->hard_set && lc->soft_set && lc->soft > lp->hard)
                        return rlimit_to_property_name(r);
        }
        if (p->nice_set && c->nice_set && c->nice < p->nice)
                return "Nice";
        /* The child runs in its parent's network namespace; another one would leave it. (The parent's
         * network programs hold below its cgroup whatever the child asks: its own only add.) */
        if (c->network_namespace_path)
                return "NetworkNamespacePath";
        return NULL;
}

const char *spec_nested_unsupported(const SandboxSpec *c) {
        for (size_t i = 0; i < spec_limits_size; i++)
                if (!streq(spec_limits[i].name, "RuntimeMaxUSec") && spec_limit_is_set(c, spec_limits + i))
                        return spec_limits[i].name;
        if (c->io_accounting)
                return "IOAccounting";
        return NULL;
}

/* The names of a that b has (keep) or has not (!keep). */
static int strv_filter(char **a, char **b, bool keep, char ***ret) {
        _cleanup_strv_free_ char **l = NULL;

        STRV_FOREACH(x, a)
                if (strv_contains(b, *x) == keep && strv_extend(&l, *x) < 0)
                        return -ENOMEM;
        if (!l) {
                l = calloc(1, sizeof(char *));
                if (!l)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(l);
        return 0;
}

static int merge_syscall_filters(SandboxSpec *c, const SandboxSpec *p) {
        _cleanup_strv_free_ char **names = NULL;
        int mode, r;

        if (p->syscall_filter_mode < 0)
                return 0;
        if (c->syscall_filter_mode < 0) {
                names = strv_copy(p->syscall_names);
                mode = p->syscall_filter_mode;
                r = names ? 0 : -ENOMEM;
        } else if (p->syscall_filter_mode == 1 && c->syscall_filter_mode == 1) {
                mode = 1;
                r = strv_filter(c->syscall_names, p->syscall_names, true, &names);
        } else if (p->syscall_filter_mode == 1) {
                mode = 1;
                r = strv_filter(p->syscall_names, c->syscall_names, false, &names);
        } else if (c->syscall_filter_mode == 1) {
                mode = 1;
                r = strv_filter(c->syscall_names, p->syscall_names, false, &names);
        } else {
                mode = 0;
                names = strv_copy(c->syscall_names);
                r = names ? strv_extend_strv(&names, p->syscall_names) : -ENOMEM;
                if (r >= 0)
                        strv_sort_unique(names);
        }
        if (r < 0)
                return r;
        /* 0 is "kill the process", the harsher action. */
        if (c->syscall_filter_mode < 0 || p->syscall_errno == 0)
                c->syscall_errno = p->syscall_errno;
        c->syscall_filter_mode = mode;
        strv_free(c->syscall_names);
        c->syscall_names = TAKE_PTR(names);
        return 0;
}

int spec_nested_inherit(SandboxSpec *c, const SandboxSpec *p) {
        c->capability_bounding_set &= p->capability_bounding_set;
        c->capability_bounding_set_set = c->capability_bounding_set_set || p->capability_bounding_set_set;
        c->ambient_capabilities &= p->ambient_capabilities & c->capability_bounding_set;
        if (p->no_new_privileges > 0)
                c->no_new_privileges = 1;
        for (int r = 0; r < SANDBOX_RLIMIT_MAX; r++) {
                ResourceLimit *lc = c->rlimits + r;
                const ResourceLimit *lp = p->rlimits + r;

                if (!lp->set)
                        continue;
                if (lp->hard_set && !lc->hard_set) {
                        lc->hard = lp->hard;
                        lc->hard_set = true;
                }
                if (lp->soft_set && !lc->soft_set) {
                        lc->soft = lp->soft;
                        lc->soft_set = true;
                }
                if (lc->soft_set && lc->hard_set && lc->soft > lc->hard)
                        lc->soft = lc->hard;
                lc->set = true;
        }
        if (p->nice_set && !c->nice_set) {
                c->nice = p->nice;
                c->nice_set = true;
        }
        return merge_syscall_filters(c, p);
}

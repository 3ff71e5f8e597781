/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dynamic-user.h"
#include "identity.h"
#include "parse-util.h"
#include "strv.h"

#define MAX_GROUPS 1024

void identity_done(Identity *id) {
        free(id->groups);
        free(id->user_name);
        free(id->home);
        free(id->shell);
        *id = (Identity) {};
}

static int lookup_user(const char *user, uid_t by_uid, struct passwd **ret) {
        uid_t uid;

        errno = 0;
        if (!user)
                *ret = getpwuid(by_uid);
        else if (parse_uid(user, &uid) >= 0)
                *ret = getpwuid(uid);
        else
                *ret = getpwnam(user);
        if (*ret)
                return 0;
        return errno > 0 ? -errno : -ESRCH;
}

static int lookup_group(const char *group, gid_t *ret) {
        struct group *g;
        gid_t gid;

        if (parse_uid(group, &gid) >= 0) {
                *ret = gid;
                return 0;
        }
        errno = 0;
        g = getgrnam(group);
        if (!g)
                return errno > 0 ? -errno : -ESRCH;
        *ret = g->gr_gid;
        return 0;
}

int identity_resolve_dynamic(const SandboxSpec *spec, Identity *ret, const char **ret_reason) {
        Identity id = { .uid = (uid_t) -1, .gid = (gid_t) -1 };
        int r;

        if (spec->user && (!dynamic_user_name_is_valid(spec->user) || getpwnam(spec->user))) {
                *ret_reason = "DynamicUser";
                return getpwnam(spec->user) ? -EEXIST : -EINVAL;
        }
        if (spec->group && !streq_ptr(spec->group, spec->user)) {
                *ret_reason = "DynamicUser";
                return -EXDEV;
        }
        id.home = strdup("/");
        id.shell = strdup("/usr/sbin/nologin");
        if (!id.home || !id.shell) {
                identity_done(&id);
                return -ENOMEM;
        }
        STRV_FOREACH(g, spec->supplementary_groups) {
                gid_t gid, *n;

                r = lookup_group(*g, &gid);
                if (r < 0) {
                        identity_done(&id);
                        *ret_reason = "SupplementaryGroups";
                        return r;
                }
                n = realloc(id.groups, (id.n_groups + 1) * sizeof(gid_t));
                if (!n) {
                        identity_done(&id);
                        return -ENOMEM;
                }
                id.groups = n;
                id.groups[id.n_groups++] = gid;
        }
        *ret = id;
        return 0;
}

int identity_resolve(const SandboxSpec *spec, uid_t caller_uid, Identity *ret, const char **ret_reason) {
        Identity id = { .uid = (uid_t) -1, .gid = (gid_t) -1 };
        struct passwd *pw;
        int ngroups = MAX_GROUPS, r;
        uid_t numeric;

        r = lookup_user(spec->user, caller_uid, &pw);
        if (r < 0) {
                /* A bare number with no passwd entry is still a valid identity, as in systemd. */
                if (spec->user && parse_uid(spec->user, &numeric) >= 0 && spec->group) {
                        id.uid = numeric;
                        id.user_name = strdup(spec->user);
                        id.home = strdup("/");
                        id.shell = strdup("/usr/sbin/nologin");
                } else if (!spec->user) {
                        /* A caller with no passwd entry: run as its uid, with its uid as gid. */
                        id.uid = caller_uid;
                        id.gid = caller_uid;
                        if (asprintf(&id.user_name, "%u", (unsigned) caller_uid) < 0)
                                id.user_name = NULL;
                        id.home = strdup("/");
                        id.shell = strdup("/usr/sbin/nologin");
                } else {
                        *ret_reason = "User";
                        return r;
                }
                if (!id.user_name || !id.home || !id.shell) {
                        identity_done(&id);
                        return -ENOMEM;
                }
        } else {
                id.uid = pw->pw_uid;
                id.gid = pw->pw_gid;
                id.user_name = strdup(pw->pw_name);
                id.home = strdup(pw->pw_dir);
                id.shell = strdup(pw->pw_shell);
                if (!id.user_name || !id.home || !id.shell) {
                        identity_done(&id);
                        return -ENOMEM;
                }
                id.groups = calloc(MAX_GROUPS, sizeof(gid_t));
                if (!id.groups) {
                        identity_done(&id);
                        return -ENOMEM;
                }
                if (getgrouplist(pw->pw_name, pw->pw_gid, id.groups, &ngroups) < 0) {
                        identity_done(&id);
                        *ret_reason = "SupplementaryGroups";
                        return -E2BIG;
                }
                id.n_groups = (size_t) ngroups;
        }

        /* Group= replaces the user's primary group; the user's other groups would then be privilege
         * nobody asked for. SupplementaryGroups= adds to what is left. */
        if (spec->group) {
                free(id.groups);
                id.groups = NULL;
                id.n_groups = 0;
        }
        STRV_FOREACH(g, spec->supplementary_groups) {
                gid_t gid, *n;

                r = lookup_group(*g, &gid);
                if (r < 0) {
                        identity_done(&id);
                        *ret_reason = "SupplementaryGroups";
                        return r;
                }
                n = realloc(id.groups, (id.n_groups + 1) * sizeof(gid_t));
                if (!n) {
                        identity_done(&id);
                        return -ENOMEM;
                }
                id.groups = n;
                id.groups[id.n_groups++] = gid;
        }

        if (spec->group) {
                r = lookup_group(spec->group, &id.gid);
                if (r < 0) {
                        identity_done(&id);
                        *ret_reason = "Group";
                        return r;
                }
        }

        *ret = id;
        return 0;
}

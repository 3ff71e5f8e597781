/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Appliers for the filesystem and namespace properties: ProtectSystem=, ProtectHome=, the path
 * lists, binds, TemporaryFileSystem=, RootDirectory= and the Private…/Protect… switches. They only
 * check and record; daemon/exec/ mounts. */
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "filesystem-names.h"
#include "parse-util.h"
#include "property-appliers.h"
#include "strv.h"
#include "tmpfs-options.h"

/* Per list, so that one property cannot make confine-exec build an unbounded mount table. */
#define FS_ENTRIES_MAX 256u

#define fs_invalid(msg, v, fmt, ...) property_fail((msg), -EINVAL, "%s: " fmt, (v)->info->name, ##__VA_ARGS__)

/* An absolute path, simplified as systemd simplifies it ("//", "/./", a trailing "/." or "/"); ".."
 * stays refused. */
static int copy_path(const char *p, const PropertyValue *v, const char *what, char **ret, char **msg) {
        int r = path_simplify_absolute(p, ret);

        if (r == -EINVAL)
                return fs_invalid(msg, v, "%s \"%s\" is not an absolute path without \"..\"", what, p);
        return r;
}

static void path_entries_free(PathEntry **list, size_t *count) {
        for (size_t i = 0; i < *count; i++)
                free((*list)[i].path);
        free(*list);
        *list = NULL;
        *count = 0;
}

/* "no"/"yes"/… or a boolean ("true" = "yes"), as systemd reads ProtectSystem= and ProtectHome=. */
static int protect_level(const char *s, int (*from_string)(const char *s)) {
        int r = from_string(s);

        if (r >= 0)
                return r;
        r = parse_boolean(s);
        return r < 0 ? -EINVAL : r; /* 0 is …_NO, 1 is …_YES in both enums */
}

static int protect_system_level(const char *s) {
        return (int) protect_system_from_string(s);
}

static int protect_home_level(const char *s) {
        return (int) protect_home_from_string(s);
}

int apply_protect_system(SandboxSpec *s, const PropertyValue *v, char **msg) {
        int r = protect_level(v->s, protect_system_level);

        if (r < 0)
                return fs_invalid(msg, v, "unknown value \"%s\", expected no, yes, full or strict", v->s);
        s->protect_system = (ProtectSystem) r;
        return 0;
}

int apply_protect_home(SandboxSpec *s, const PropertyValue *v, char **msg) {
        int r = protect_level(v->s, protect_home_level);

        if (r < 0)
                return fs_invalid(msg, v, "unknown value \"%s\", expected no, yes, read-only or tmpfs", v->s);
        s->protect_home = (ProtectHome) r;
        return 0;
}

/* ReadWritePaths=, ReadOnlyPaths=, InaccessiblePaths=, NoExecPaths=, ExecPaths= and the old
 * …Directories= names. Each entry is
 * "[-][+]/path": "-" ignores a missing path, "+" takes it below RootDirectory= (systemd's order of
 * the two prefixes). As in systemd, entries accumulate and an empty list resets; a caller that resets
 * a profile's list loosens the profile, which spec-strictness.c sees on the merged result. */
int apply_fs_paths(SandboxSpec *s, const PropertyValue *v, char **msg) {
        const char *n = v->info->name;
        PathEntry **list;
        size_t *count;

        if (streq(n, "ReadWritePaths") || streq(n, "ReadWriteDirectories")) {
                list = &s->read_write_paths;
                count = &s->n_read_write_paths;
        } else if (streq(n, "ReadOnlyPaths") || streq(n, "ReadOnlyDirectories")) {
                list = &s->read_only_paths;
                count = &s->n_read_only_paths;
        } else if (streq(n, "InaccessiblePaths") || streq(n, "InaccessibleDirectories")) {
                list = &s->inaccessible_paths;
                count = &s->n_inaccessible_paths;
        } else if (streq(n, "NoExecPaths")) {
                list = &s->no_exec_paths;
                count = &s->n_no_exec_paths;
        } else if (streq(n, "ExecPaths")) {
                list = &s->exec_paths;
                count = &s->n_exec_paths;
        } else
                return fs_invalid(msg, v, "not a path list");

        if (!v->strv || !v->strv[0]) {
                path_entries_free(list, count);
                return 0;
        }
        STRV_FOREACH(e, v->strv) {
                PathEntry entry = {};
                const char *p = *e;
                PathEntry *grown;
                int r;

                if (*count >= FS_ENTRIES_MAX)
                        return fs_invalid(msg, v, "more than %u paths", FS_ENTRIES_MAX);
                if (*p == '-') {
                        entry.ignore_missing = true;
                        p++;
                }
                if (*p == '+') {
                        entry.below_root = true;
                        p++;
                }
                r = copy_path(p, v, "path", &entry.path, msg);
                if (r < 0)
                        return r;
                grown = realloc(*list, (*count + 1) * sizeof(PathEntry));
                if (!grown) {
                        free(entry.path);
                        return -ENOMEM;
                }
                *list = grown;
                grown[(*count)++] = entry;
        }
        return 0;
}

/* BindPaths= and BindReadOnlyPaths= a(ssbt): source, destination, ignore a missing source, and
 * mount flags of which systemd knows only MS_REC (recursive). */
int apply_bind_paths(SandboxSpec *s, const PropertyValue *v, char **msg) {
        bool read_only = streq(v->info->name, "BindReadOnlyPaths");

        /* As in systemd, an empty list resets: both BindPaths= and BindReadOnlyPaths= (one list). */
        if (v->n_tuples == 0) {
                for (size_t i = 0; i < s->n_bind_mounts; i++) {
                        free(s->bind_mounts[i].source);
                        free(s->bind_mounts[i].destination);
                }
                free(s->bind_mounts);
                s->bind_mounts = NULL;
                s->n_bind_mounts = 0;
                return 0;
        }
        for (size_t i = 0; i < v->n_tuples; i++) {
                const PropertyTuple *t = v->tuples + i;
                _cleanup_free_ char *source = NULL, *destination = NULL;
                BindMount *grown;
                int r;

                if (s->n_bind_mounts >= FS_ENTRIES_MAX)
                        return fs_invalid(msg, v, "more than %u bind mounts", FS_ENTRIES_MAX);
                if (t->t & ~(uint64_t) MS_REC)
                        return fs_invalid(msg, v, "unknown mount flags 0x%llx, only MS_REC is allowed",
                                          (unsigned long long) (t->t & ~(uint64_t) MS_REC));
                r = copy_path(t->a, v, "source", &source, msg);
                if (r < 0)
                        return r;
                r = copy_path(t->b, v, "destination", &destination, msg);
                if (r < 0)
                        return r;
                if (streq(destination, "/"))
                        return fs_invalid(msg, v, "cannot bind onto /, use RootDirectory=");

                grown = realloc(s->bind_mounts, (s->n_bind_mounts + 1) * sizeof(BindMount));
                if (!grown)
                        return -ENOMEM;
                s->bind_mounts = grown;
                grown[s->n_bind_mounts++] = (BindMount) {
                        .source = TAKE_PTR(source),
                        .destination = TAKE_PTR(destination),
                        .read_only = read_only,
                        .ignore_missing = t->flag,
                        .recursive = t->t & MS_REC,
                };
        }
        return 0;
}

/* TemporaryFileSystem= a(ss): a path and tmpfs options from a safe subset (tmpfs-options.h). An
 * empty list resets, as in systemd. */
int apply_temporary_filesystem(SandboxSpec *s, const PropertyValue *v, char **msg) {
        if (v->n_tuples == 0) {
                for (size_t i = 0; i < s->n_temporary_filesystems; i++) {
                        free(s->temporary_filesystems[i].path);
                        free(s->temporary_filesystems[i].options);
                }
                free(s->temporary_filesystems);
                s->temporary_filesystems = NULL;
                s->n_temporary_filesystems = 0;
                return 0;
        }
        for (size_t i = 0; i < v->n_tuples; i++) {
                const PropertyTuple *t = v->tuples + i;
                _cleanup_free_ char *path = NULL, *options = NULL, *bad = NULL;
                TemporaryFileSystem *grown;
                TmpfsOptions parsed;
                int r;

                if (s->n_temporary_filesystems >= FS_ENTRIES_MAX)
                        return fs_invalid(msg, v, "more than %u file systems", FS_ENTRIES_MAX);
                r = copy_path(t->a, v, "path", &path, msg);
                if (r < 0)
                        return r;
                r = tmpfs_options_parse(t->b, &parsed, &bad);
                if (r < 0)
                        return fs_invalid(msg, v, "%s: unsupported mount option \"%s\" (allowed: ro, rw, nosuid, "
                                          "nodev, noexec, exec, mode=, size=, nr_inodes=)", path, strempty(bad));
                options = strdup(t->b);
                if (!options)
                        return -ENOMEM;

                grown = realloc(s->temporary_filesystems,
                                (s->n_temporary_filesystems + 1) * sizeof(TemporaryFileSystem));
                if (!grown)
                        return -ENOMEM;
                s->temporary_filesystems = grown;
                grown[s->n_temporary_filesystems++] = (TemporaryFileSystem) {
                        .path = TAKE_PTR(path),
                        .options = TAKE_PTR(options),
                };
        }
        return 0;
}

int apply_root_directory(SandboxSpec *s, const PropertyValue *v, char **msg) {
        _cleanup_free_ char *path = NULL;
        int r;

        /* A scalar: the last assignment wins, and "" resets, as in systemd. */
        if (!v->s[0]) {
                free(s->root_directory);
                s->root_directory = NULL;
                return 0;
        }
        r = copy_path(v->s, v, "path", &path, msg);
        if (r < 0)
                return r;
        free(s->root_directory);
        s->root_directory = TAKE_PTR(path);
        return 0;
}

/* "@known" and the other groups to names; an unknown name or group is refused, where systemd logs and
 * ignores it: failing closed. */
static int filesystem_names_expand(const PropertyValue *v, char ***ret, char **msg) {
        _cleanup_strv_free_ char **names = NULL;

        STRV_FOREACH(w, v->strv) {
                const char *const *members = filesystem_group(*w);
                const char *one[] = { *w, NULL };

                if (streq(*w, "@known")) {
                        for (size_t i = 0; filesystem_name_at(i); i++)
                                if (!strv_contains(names, filesystem_name_at(i)) &&
                                    strv_extend(&names, filesystem_name_at(i)) < 0)
                                        return -ENOMEM;
                        continue;
                }
                if (!members && (*w[0] == '@' || !filesystem_magics(*w)))
                        return property_fail(msg, -EINVAL, "RestrictFileSystems: unknown file system %s \"%s\"",
                                             *w[0] == '@' ? "group" : "name", *w);
                for (const char *const *m = members ?: one; *m; m++)
                        if (!strv_contains(names, *m) && strv_extend(&names, *m) < 0)
                                return -ENOMEM;
        }
        *ret = TAKE_PTR(names);
        return 0;
}

/* As RestrictAddressFamilies= in systemd: (false, []) resets; the first assignment sets the mode,
 * later ones of the same mode add names and of the other mode remove them. */
int apply_restrict_filesystems(SandboxSpec *s, const PropertyValue *v, char **msg) {
        _cleanup_strv_free_ char **names = NULL;
        int r;

        if (!v->strv || !v->strv[0]) {
                s->restrict_filesystems = strv_free(s->restrict_filesystems);
                s->restrict_filesystems_mode = v->b ? 1 : -1;
                return 0;
        }
        r = filesystem_names_expand(v, &names, msg);
        if (r < 0)
                return r;
        if (s->restrict_filesystems_mode < 0)
                s->restrict_filesystems_mode = v->b;
        if (v->b == (s->restrict_filesystems_mode == 1)) {
                STRV_FOREACH(n, names)
                        if (!strv_contains(s->restrict_filesystems, *n) && strv_extend(&s->restrict_filesystems, *n) < 0)
                                return -ENOMEM;
                return 0;
        }
        size_t k = 0;
        for (size_t i = 0; s->restrict_filesystems && s->restrict_filesystems[i]; i++) {
                if (strv_contains(names, s->restrict_filesystems[i]))
                        free(s->restrict_filesystems[i]);
                else
                        s->restrict_filesystems[k++] = s->restrict_filesystems[i];
        }
        if (s->restrict_filesystems)
                s->restrict_filesystems[k] = NULL;
        return 0;
}

/* StateDirectory= and the others: relative paths, accumulated; an empty list resets, as in systemd.
 * Duplicates are dropped. */
int apply_exec_directory(SandboxSpec *s, const PropertyValue *v, char **msg) {
        ExecDirectoryType t = exec_directory_type_from_property(v->info->name, NULL);
        char ***list;

        if (t < 0)
                return fs_invalid(msg, v, "not a directory property");
        list = &s->directories[t].paths;
        if (!v->strv || !v->strv[0]) {
                *list = strv_free(*list);
                return 0;
        }
        STRV_FOREACH(e, v->strv)
                if (!exec_directory_path_is_valid(*e))
                        return fs_invalid(msg, v, "\"%s\" is not a relative, normalized path without \"..\", or "
                                          "it is below \"private\"", *e);
        if (strv_length(*list) + strv_length(v->strv) > EXEC_DIRECTORY_PATHS_MAX)
                return fs_invalid(msg, v, "more than %u paths", EXEC_DIRECTORY_PATHS_MAX);
        STRV_FOREACH(e, v->strv) {
                int r;

                if (strv_contains(*list, *e))
                        continue;
                r = strv_extend(list, *e);
                if (r < 0)
                        return r;
        }
        return 0;
}

int apply_exec_directory_mode(SandboxSpec *s, const PropertyValue *v, char **msg) {
        ExecDirectoryType t = exec_directory_type_from_property(v->info->name, NULL);

        if (t < 0)
                return fs_invalid(msg, v, "not a directory property");
        if (v->u > 07777)
                return fs_invalid(msg, v, "%04" PRIo32 " is not a file mode (at most 07777)", v->u);
        s->directories[t].mode = v->u;
        return 0;
}

int apply_runtime_directory_preserve(SandboxSpec *s, const PropertyValue *v, char **msg) {
        RuntimeDirectoryPreserve p = runtime_directory_preserve_from_string(v->s);

        if (p < 0) {
                int b = parse_boolean(v->s);
                if (b < 0)
                        return fs_invalid(msg, v, "unknown value \"%s\", expected no, yes or restart", v->s);
                p = b ? RUNTIME_DIRECTORY_PRESERVE_YES : RUNTIME_DIRECTORY_PRESERVE_NO;
        }
        s->runtime_directory_preserve = p;
        return 0;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dynamic-user.h"
#include "ipc-clean.h"
#include "log.h"
#include "macro.h"

DEFINE_TRIVIAL_CLEANUP_FUNC(FILE *, fclose);

bool dynamic_user_name_is_valid(const char *name) {
        size_t n = strlen(name);

        if (n == 0 || n > 31 || !((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_'))
                return false;
        return strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

static int mkdir_p(const char *path) {
        _cleanup_free_ char *p = strdup(path);

        if (!p)
                return -ENOMEM;
        for (char *s = strchr(p + 1, '/');; s = strchr(s + 1, '/')) {
                if (s)
                        *s = 0;
                if (mkdir(p, 0755) < 0 && errno != EEXIST)
                        return -errno;
                if (!s)
                        return 0;
                *s = '/';
        }
}

/* The host's file with one line added, and every line of that name dropped (there is none: the name is
 * not static, but /etc may change meanwhile). Readable by the job's user, who reads it in /etc. */
static int write_with_entry(const char *host, const char *path, const char *name, const char *entry) {
        _cleanup_(fclosep) FILE *in = fopen(host, "re"), *out = NULL;
        _cleanup_free_ char *line = NULL;
        size_t n = 0, l = strlen(name);
        int fd;

        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd < 0)
                return -errno;
        out = fdopen(fd, "we");
        if (!out) {
                safe_close(fd);
                return -errno;
        }
        while (in && getline(&line, &n, in) > 0)
                if (!(strneq(line, name, l) && line[l] == ':'))
                        fputs(line, out);
        fputs(entry, out);
        if (fflush(out) != 0 || ferror(out))
                return -EIO;
        return 0;
}

static int write_files(const char *registry, DynamicUser *u) {
        _cleanup_free_ char *dir = NULL, *entry = NULL;
        int r;

        if (asprintf(&dir, "%s/%u.d", registry, (unsigned) u->uid) < 0 ||
            asprintf(&u->passwd_path, "%s/passwd", dir) < 0 || asprintf(&u->group_path, "%s/group", dir) < 0)
                return -ENOMEM;
        if (mkdir(dir, 0755) < 0 && errno != EEXIST)
                return -errno;
        if (asprintf(&entry, "%s:x:%u:%u:Dynamic User:/:/usr/sbin/nologin\n", u->name, (unsigned) u->uid,
                     (unsigned) u->uid) < 0)
                return -ENOMEM;
        r = write_with_entry("/etc/passwd", u->passwd_path, u->name, entry);
        if (r < 0)
                return r;
        free(entry);
        if (asprintf(&entry, "%s:x:%u:\n", u->name, (unsigned) u->uid) < 0)
                return -ENOMEM;
        return write_with_entry("/etc/group", u->group_path, u->name, entry);
}

static void remove_files(const char *registry, DynamicUser *u) {
        char dir[sizeof DYNAMIC_USER_REGISTRY + 32];

        if (u->passwd_path)
                (void) unlink(u->passwd_path);
        if (u->group_path)
                (void) unlink(u->group_path);
        if ((size_t) snprintf(dir, sizeof dir, "%s/%u.d", registry, (unsigned) u->uid) < sizeof dir)
                (void) rmdir(dir);
        u->passwd_path = mfree(u->passwd_path);
        u->group_path = mfree(u->group_path);
}

static int take_entry(const char *registry, uid_t uid, const char *name) {
        char path[4096], line[64];
        int fd, l;

        if ((size_t) snprintf(path, sizeof path, "%s/%u", registry, (unsigned) uid) >= sizeof path)
                return -ENAMETOOLONG;
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd < 0)
                return -errno;
        l = snprintf(line, sizeof line, "%s\n", name);
        (void) !write(fd, line, (size_t) MIN(l, (int) sizeof line - 1));
        safe_close(fd);
        return 0;
}

int dynamic_user_acquire(const char *registry, uint32_t first, uint32_t last, uint32_t *cursor, const char *name,
                         DynamicUser *ret) {
        uint64_t count = (uint64_t) last - first + 1;
        int r;

        r = mkdir_p(registry);
        if (r < 0)
                return r;
        if (*cursor < first || *cursor > last)
                *cursor = first;
        for (uint64_t i = 0; i < count; i++) {
                uid_t uid = (uid_t) (first + (*cursor - first + i) % count);
                DynamicUser u = { .uid = uid };

                /* A static user or group of that number keeps it. */
                if (getpwuid(uid) || getgrgid((gid_t) uid))
                        continue;
                r = take_entry(registry, uid, name);
                if (r == -EEXIST)
                        continue;
                if (r < 0)
                        return r;
                u.name = strdup(name);
                r = u.name ? write_files(registry, &u) : -ENOMEM;
                if (r < 0) {
                        dynamic_user_release(registry, &u);
                        return r;
                }
                *cursor = uid == last ? first : uid + 1;
                *ret = u;
                return 0;
        }
        return -EUSERS;
}

void dynamic_user_release(const char *registry, DynamicUser *u) {
        char path[4096];

        if (!u || u->uid == (uid_t) -1)
                return;
        remove_files(registry, u);
        /* The job's cgroup was killed: give what is still exiting a moment. */
        for (int i = 0; i < 100 && ipc_id_in_use(u->uid, (gid_t) u->uid, true); i++)
                usleep(10000);
        if (ipc_id_in_use(u->uid, (gid_t) u->uid, true))
                log_warning("DynamicUser: uid %u still has processes; it stays taken", (unsigned) u->uid);
        else if ((size_t) snprintf(path, sizeof path, "%s/%u", registry, (unsigned) u->uid) < sizeof path)
                (void) unlink(path);
        u->name = mfree(u->name);
        u->uid = (uid_t) -1;
}

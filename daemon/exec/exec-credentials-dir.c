/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exec-credentials-dir.h"
#include "exec-mount-point.h"
#include "exec-report.h"
#include "property-appliers.h"

#define CREDENTIALS_DIR_DEPTH_MAX 16

void credentials_done(Credentials *c) {
        for (size_t i = 0; i < c->n; i++) {
                free(c->items[i].id);
                free(c->items[i].data);
        }
        free(c->items);
        *c = (Credentials) {};
}

static bool credentials_have(const Credentials *c, const char *id) {
        for (size_t i = 0; i < c->n; i++)
                if (streq(c->items[i].id, id))
                        return true;
        return false;
}

static void credentials_add(Credentials *c, const char *id, const uint8_t *data, size_t size) {
        CredentialData *n = realloc(c->items, (c->n + 1) * sizeof(CredentialData));
        char *copy_id = strdup(id);
        uint8_t *copy = malloc(size ?: 1);

        if (!n || !copy_id || !copy)
                exec_fail(EXEC_STEP_CREDENTIALS, ENOMEM, NULL);
        if (size)
                memcpy(copy, data, size);
        c->items = n;
        c->items[c->n++] = (CredentialData) { .id = copy_id, .data = copy, .size = size };
        c->total += size;
}

/* A regular file, read whole: 0 or -errno; -EFBIG past CREDENTIAL_SIZE_MAX or the total left. */
static int read_credential_file(int fd, Credentials *c, const char *id) {
        _cleanup_free_ uint8_t *buf = malloc(CREDENTIAL_SIZE_MAX + 1);
        size_t size = 0;
        struct stat st;

        if (!buf)
                return -ENOMEM;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (!S_ISREG(st.st_mode))
                return -EINVAL;
        for (;;) {
                ssize_t n = read(fd, buf + size, CREDENTIAL_SIZE_MAX + 1 - size);
                if (n < 0)
                        return -errno;
                if (n == 0)
                        break;
                size += (size_t) n;
                if (size > CREDENTIAL_SIZE_MAX || c->total + size > CREDENTIALS_TOTAL_SIZE_MAX)
                        return -EFBIG;
        }
        credentials_add(c, id, buf, size);
        return 0;
}

static _noreturn_ void fail_source(const SandboxSpec *spec, int error, const char *id, const char *path) {
        exec_fs_ids_leave(spec, true);
        exec_fail(EXEC_STEP_CREDENTIALS, error, "LoadCredential=%s:%s%s", id, path,
                  error == EFBIG ? ": larger than 1 MiB, or the credentials larger than 64 MiB together" :
                  error == EINVAL ? ": neither a regular file nor a directory" : "");
}

/* Each regular file below dir, sorted, as "sub_dir_file"; symlinks are not followed. */
static void read_directory(const SandboxSpec *spec, int dir, const char *prefix, int depth, Credentials *c,
                           const LoadCredential *lc) {
        struct dirent **entries = NULL;
        char fdpath[64];
        int n;

        if (depth > CREDENTIALS_DIR_DEPTH_MAX)
                fail_source(spec, ELOOP, lc->id, lc->path);
        snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", dir);
        n = scandir(fdpath, &entries, NULL, alphasort);
        if (n < 0)
                fail_source(spec, errno, lc->id, lc->path);
        for (int i = 0; i < n; i++) {
                const char *name = entries[i]->d_name;
                _cleanup_free_ char *id = NULL;
                _cleanup_close_ int fd = -EBADF;
                struct stat st;
                int r;

                if (streq(name, ".") || streq(name, "..") ||
                    asprintf(&id, "%s%s%s", prefix, prefix[0] ? "_" : "", name) < 0 ||
                    fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !(S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)))
                        continue;
                fd = openat(dir, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
                if (fd < 0)
                        fail_source(spec, errno, lc->id, lc->path);
                if (S_ISDIR(st.st_mode)) {
                        read_directory(spec, fd, id, depth + 1, c, lc);
                        continue;
                }
                if (strlen(id) > 255 || strchr(id, ':')) /* not a valid credential name */
                        fail_source(spec, EINVAL, lc->id, lc->path);
                if (credentials_have(c, id))
                        continue;
                r = read_credential_file(fd, c, id);
                if (r < 0)
                        fail_source(spec, -r, lc->id, lc->path);
        }
        for (int i = 0; i < n; i++)
                free(entries[i]);
        free(entries);
}

static bool set_credential_exists(const SandboxSpec *spec, const char *id) {
        for (size_t i = 0; i < spec->n_set_credentials; i++)
                if (streq(spec->set_credentials[i].id, id))
                        return true;
        return false;
}

void exec_read_credentials(const SandboxSpec *spec, Credentials *ret) {
        Credentials c = {};

        exec_fs_ids_enter(spec, true);
        for (size_t i = 0; i < spec->n_load_credentials; i++) {
                const LoadCredential *lc = spec->load_credentials + i;
                _cleanup_close_ int fd = open(lc->path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
                struct stat st;
                int r;

                if (fd < 0 && errno == ENOENT && set_credential_exists(spec, lc->id))
                        continue; /* SetCredential= is the fallback, as in systemd */
                if (fd < 0 || fstat(fd, &st) < 0)
                        fail_source(spec, errno, lc->id, lc->path);
                if (S_ISDIR(st.st_mode)) {
                        read_directory(spec, fd, "", 0, &c, lc);
                        continue;
                }
                if (credentials_have(&c, lc->id))
                        continue;
                r = read_credential_file(fd, &c, lc->id);
                if (r < 0)
                        fail_source(spec, -r, lc->id, lc->path);
        }
        exec_fs_ids_leave(spec, true);

        for (size_t i = 0; i < spec->n_set_credentials; i++) {
                const SetCredential *sc = spec->set_credentials + i;
                if (credentials_have(&c, sc->id))
                        continue;
                if (c.total + sc->size > CREDENTIALS_TOTAL_SIZE_MAX)
                        exec_fail(EXEC_STEP_CREDENTIALS, EFBIG, "SetCredential=%s: the credentials are larger than "
                                  "64 MiB together", sc->id);
                credentials_add(&c, sc->id, sc->data, sc->size);
        }
        *ret = c;
}

/* A directory of the job's tree that must be one, not a symlink somewhere else. */
static void ensure_directory(const char *path) {
        struct stat st;

        if (mkdir(path, 0755) < 0 && errno != EEXIST)
                exec_fail(EXEC_STEP_CREDENTIALS, errno, "create %s", path);
        if (lstat(path, &st) < 0)
                exec_fail(EXEC_STEP_CREDENTIALS, errno, "%s", path);
        if (!S_ISDIR(st.st_mode))
                exec_fail(EXEC_STEP_CREDENTIALS, ENOTDIR, "%s is not a directory", path);
}

void exec_setup_credentials_directory(const SandboxSpec *spec, const Credentials *creds) {
        const unsigned long flags = MS_NOSUID | MS_NODEV | MS_NOEXEC;
        _cleanup_close_ int dir = -EBADF;
        char options[128];

        if (!sandbox_spec_has_credentials(spec))
                return;
        ensure_directory("/run");
        ensure_directory("/run/credentials");
        snprintf(options, sizeof options, "mode=0755,size=%zu,nr_inodes=%zu", creds->total + (creds->n + 16) * 4096,
                 creds->n + 16);
        if (mount("credentials", "/run/credentials", "tmpfs", flags, options) < 0)
                exec_fail(EXEC_STEP_CREDENTIALS, errno, "mount a tmpfs on /run/credentials");
        if (mkdir(CREDENTIALS_DIRECTORY, 0700) < 0)
                exec_fail(EXEC_STEP_CREDENTIALS, errno, "create %s", CREDENTIALS_DIRECTORY);
        dir = open(CREDENTIALS_DIRECTORY, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
        if (dir < 0)
                exec_fail(EXEC_STEP_CREDENTIALS, errno, "open %s", CREDENTIALS_DIRECTORY);

        for (size_t i = 0; i < creds->n; i++) {
                const CredentialData *cd = creds->items + i;
                _cleanup_close_ int fd = openat(dir, cd->id, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0400);

                if (fd < 0)
                        exec_fail(EXEC_STEP_CREDENTIALS, errno, "create credential %s", cd->id);
                for (size_t done = 0; done < cd->size;) {
                        ssize_t n = write(fd, cd->data + done, cd->size - done);
                        if (n < 0)
                                exec_fail(EXEC_STEP_CREDENTIALS, errno, "write credential %s", cd->id);
                        done += (size_t) n;
                }
                if (fchown(fd, spec->uid, spec->gid) < 0 || fchmod(fd, 0400) < 0)
                        exec_fail(EXEC_STEP_CREDENTIALS, errno, "chown credential %s", cd->id);
        }
        if (fchown(dir, spec->uid, spec->gid) < 0 || fchmod(dir, 0500) < 0)
                exec_fail(EXEC_STEP_CREDENTIALS, errno, "chown %s", CREDENTIALS_DIRECTORY);

        /* Read-only: the superblock, so that no other mount of it can write, and this mount. */
        if (mount(NULL, "/run/credentials", NULL, MS_REMOUNT | MS_RDONLY | flags, options) < 0)
                exec_fail(EXEC_STEP_CREDENTIALS, errno, "make /run/credentials read-only");
        if (mount(NULL, "/run/credentials", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | flags, NULL) < 0)
                exec_fail(EXEC_STEP_CREDENTIALS, errno, "make the /run/credentials mount read-only");
}

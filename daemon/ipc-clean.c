/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ipc-clean.h"
#include "log.h"
#include "macro.h"

DEFINE_TRIVIAL_CLEANUP_FUNC(DIR *, closedir);
DEFINE_TRIVIAL_CLEANUP_FUNC(FILE *, fclose);
#define _cleanup_fclose_ _cleanup_(fclosep)

static bool ids_line_has(const char *line, unsigned long id) {
        unsigned long ids[4];

        /* "Uid:\t1000\t1000\t1000\t1000" */
        if (sscanf(line, "%*s %lu %lu %lu %lu", ids, ids + 1, ids + 2, ids + 3) != 4)
                return false;
        for (int i = 0; i < 4; i++)
                if (ids[i] == id)
                        return true;
        return false;
}

bool ipc_id_in_use(uid_t uid, gid_t gid, bool gid_valid) {
        _cleanup_(closedirp) DIR *d = opendir("/proc");
        struct dirent *de;

        if (!d)
                return true; /* cannot tell: leave everything */
        while ((de = readdir(d))) {
                char path[sizeof "/proc//status" + sizeof de->d_name], line[256];
                _cleanup_fclose_ FILE *f = NULL;

                if (de->d_name[0] < '1' || de->d_name[0] > '9')
                        continue;
                (void) snprintf(path, sizeof path, "/proc/%s/status", de->d_name);
                f = fopen(path, "re");
                if (!f)
                        continue; /* gone meanwhile */
                while (fgets(line, sizeof line, f))
                        if ((strneq(line, "Uid:", 4) && ids_line_has(line, uid)) ||
                            (gid_valid && strneq(line, "Gid:", 4) && ids_line_has(line, gid)))
                                return true;
        }
        return false;
}

static bool owned(unsigned long u, unsigned long cu, unsigned long g, unsigned long cg, uid_t uid, gid_t gid,
                  bool gid_valid) {
        return u == uid || cu == uid || (gid_valid && (g == gid || cg == gid));
}

/* /proc/sysvipc/{shm,sem,msg}: the id in column 2, then uid, gid, cuid, cgid at the given column. */
static int clean_sysv(const char *file, unsigned ids_column, int (*remove)(int id), uid_t uid, gid_t gid,
                      bool gid_valid) {
        _cleanup_fclose_ FILE *f = fopen(file, "re");
        char line[512];
        int n = 0;

        if (!f)
                return errno == ENOENT ? 0 : -errno;
        if (!fgets(line, sizeof line, f)) /* the header */
                return 0;
        while (fgets(line, sizeof line, f)) {
                unsigned long v[16] = {};
                unsigned count = 0;
                char *p = line, *end;

                while (count < ELEMENTSOF(v)) {
                        v[count] = strtoul(p, &end, 10);
                        if (end == p)
                                break;
                        count++;
                        p = end;
                }
                if (count < ids_column + 4)
                        continue;
                if (!owned(v[ids_column], v[ids_column + 2], v[ids_column + 1], v[ids_column + 3], uid, gid, gid_valid))
                        continue;
                if (remove((int) v[1]) < 0 && errno != EINVAL && errno != EIDRM)
                        log_warning_errno(errno, "RemoveIPC: cannot remove %s id %lu: %m", file, v[1]);
                else
                        n++;
        }
        return n;
}

static int remove_shm(int id) { return shmctl(id, IPC_RMID, NULL); }
static int remove_sem(int id) { return semctl(id, 0, IPC_RMID); }
static int remove_msg(int id) { return msgctl(id, IPC_RMID, NULL); }

/* /dev/shm and /dev/mqueue: the entries (and, in /dev/shm, directory trees) of uid or gid. */
static int clean_dir(int dir_fd, const char *what, uid_t uid, gid_t gid, bool gid_valid, unsigned depth) {
        _cleanup_(closedirp) DIR *d = NULL;
        struct dirent *de;
        int n = 0;

        d = fdopendir(dir_fd);
        if (!d) {
                safe_close(dir_fd);
                return -errno;
        }
        while ((de = readdir(d))) {
                struct stat st;

                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                        continue;
                if (S_ISDIR(st.st_mode) && depth < 16) {
                        int sub = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                        if (sub >= 0) {
                                int k = clean_dir(sub, what, uid, gid, gid_valid, depth + 1);
                                if (k > 0)
                                        n += k;
                        }
                }
                if (!(st.st_uid == uid || (gid_valid && st.st_gid == gid)))
                        continue;
                if (unlinkat(dirfd(d), de->d_name, S_ISDIR(st.st_mode) ? AT_REMOVEDIR : 0) < 0) {
                        if (errno != ENOENT && errno != ENOTEMPTY)
                                log_warning_errno(errno, "RemoveIPC: cannot remove %s/%s: %m", what, de->d_name);
                } else
                        n++;
        }
        return n;
}

static int clean_posix(const char *path, uid_t uid, gid_t gid, bool gid_valid) {
        int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

        if (fd < 0)
                return errno == ENOENT ? 0 : -errno; /* no mqueue file system mounted: as systemd */
        return clean_dir(fd, path, uid, gid, gid_valid, 0);
}

int ipc_clean(uid_t uid, gid_t gid) {
        bool gid_valid = gid != 0 && gid != (gid_t) -1;
        int n = 0, k;

        if (uid == 0 || uid == (uid_t) -1)
                return 0;
        if (ipc_id_in_use(uid, gid, gid_valid)) {
                log_debug("RemoveIPC: uid %u or gid %u still runs a process, leaving its IPC objects.",
                          (unsigned) uid, (unsigned) gid);
                return 0;
        }
        /* Columns: shm "key shmid perms size cpid lpid nattch uid gid cuid cgid …", sem "key semid perms
         * nsems uid gid cuid cgid …", msg "key msqid perms cbytes qnum lspid lrpid uid gid cuid cgid …". */
        k = clean_sysv("/proc/sysvipc/shm", 7, remove_shm, uid, gid, gid_valid);
        n += MAX(k, 0);
        k = clean_sysv("/proc/sysvipc/sem", 4, remove_sem, uid, gid, gid_valid);
        n += MAX(k, 0);
        k = clean_sysv("/proc/sysvipc/msg", 7, remove_msg, uid, gid, gid_valid);
        n += MAX(k, 0);
        k = clean_posix("/dev/shm", uid, gid, gid_valid);
        n += MAX(k, 0);
        k = clean_posix("/dev/mqueue", uid, gid, gid_valid);
        n += MAX(k, 0);
        return n;
}

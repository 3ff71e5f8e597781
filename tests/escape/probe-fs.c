/* SPDX-License-Identifier: GPL-2.0-or-later */
/* probe-fs: tries one filesystem, device, hostname or IPC operation from inside a job and says
 * whether it worked: "OK [detail]" and exit 0, or "ERR <ERRNO_NAME>" and exit 1 (2: bad usage).
 *
 *   write PATH [DATA]   create or truncate PATH and write DATA (default "confine\n")
 *   read PATH           open PATH and read it to the end; prints the bytes read
 *   mkdir PATH          mkdir PATH (and rmdir it again if it worked)
 *   stat PATH           lstat PATH
 *   listdir PATH        list PATH; prints the names, sorted
 *   open-dev PATH       open a device node O_RDONLY|O_NONBLOCK, without following symlinks
 *   mknod PATH          create a character device node (1:3, like /dev/null) at PATH
 *   sethostname NAME    sethostname(NAME)
 *   hostname            print the hostname
 *   ns NAME             print the inode of /proc/self/ns/NAME
 *   ipc KEY             shmget() an existing SysV shared memory segment by key
 *   ipc-create KEY      create a SysV shared memory segment with KEY (for the host side)
 *   ipc-remove KEY      remove it again
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static int ok(const char *detail) {
        printf("OK%s%s\n", detail ? " " : "", detail ? detail : "");
        return 0;
}

static int err(void) {
        int e = errno;
        const char *name = strerrorname_np(e);

        if (name)
                printf("ERR %s\n", name);
        else
                printf("ERR %d\n", e);
        return 1;
}

static int do_write(const char *path, const char *data) {
        size_t len = strlen(data);
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

        if (fd < 0)
                return err();
        if (write(fd, data, len) != (ssize_t) len) {
                int r = err();
                close(fd);
                return r;
        }
        if (close(fd) < 0)
                return err();
        return ok(NULL);
}

/* One read of at most 4 KiB: for files such as /proc/kcore, whose end is far away. */
static int do_read_head(const char *path) {
        char buf[4096], detail[32];
        ssize_t n;
        int fd = open(path, O_RDONLY | O_CLOEXEC);

        if (fd < 0)
                return err();
        n = read(fd, buf, sizeof buf);
        if (n < 0) {
                int r = err();
                close(fd);
                return r;
        }
        close(fd);
        snprintf(detail, sizeof detail, "%zd", n);
        return ok(detail);
}

static int do_read(const char *path) {
        char buf[4096], detail[64];
        size_t total = 0;
        ssize_t n;
        int fd = open(path, O_RDONLY | O_CLOEXEC);

        if (fd < 0)
                return err();
        while ((n = read(fd, buf, sizeof buf)) > 0)
                total += (size_t) n;
        if (n < 0) {
                int r = err();
                close(fd);
                return r;
        }
        close(fd);
        snprintf(detail, sizeof detail, "%zu", total);
        return ok(detail);
}

static int name_compare(const void *a, const void *b) {
        return strcmp(*(char *const *) a, *(char *const *) b);
}

static int do_listdir(const char *path) {
        char *names[1024];
        size_t n = 0;
        struct dirent *de;
        DIR *d = opendir(path);

        if (!d)
                return err();
        errno = 0;
        while ((de = readdir(d)) && n < 1024)
                if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
                        names[n++] = strdup(de->d_name);
        if (errno != 0) {
                int r = err();
                closedir(d);
                return r;
        }
        closedir(d);
        qsort(names, n, sizeof(char *), name_compare);
        printf("OK");
        for (size_t i = 0; i < n; i++) {
                printf(" %s", names[i]);
                free(names[i]);
        }
        printf("\n");
        return 0;
}

static int parse_key(const char *s, key_t *ret) {
        char *end;
        long v;

        errno = 0;
        v = strtol(s, &end, 0);
        if (errno != 0 || *end || v <= 0 || v > 0x7fffffff)
                return -1;
        *ret = (key_t) v;
        return 0;
}

int main(int argc, char *argv[]) {
        const char *cmd = argc > 1 ? argv[1] : "";
        const char *arg = argc > 2 ? argv[2] : NULL;
        struct stat st;
        key_t key;
        int fd, id;

        if (argc < 2 || (argc < 3 && strcmp(cmd, "hostname") != 0)) {
                fprintf(stderr, "Usage: probe-fs COMMAND [ARG...] (see the source)\n");
                return 2;
        }

        if (strcmp(cmd, "write") == 0)
                return do_write(arg, argc > 3 ? argv[3] : "confine\n");
        if (strcmp(cmd, "read") == 0)
                return do_read(arg);
        if (strcmp(cmd, "read-head") == 0)
                return do_read_head(arg);
        if (strcmp(cmd, "mkdir") == 0) {
                if (mkdir(arg, 0755) < 0)
                        return err();
                (void) rmdir(arg);
                return ok(NULL);
        }
        if (strcmp(cmd, "stat") == 0)
                return lstat(arg, &st) < 0 ? err() : ok(NULL);
        if (strcmp(cmd, "listdir") == 0)
                return do_listdir(arg);
        if (strcmp(cmd, "open-dev") == 0) {
                fd = open(arg, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
                if (fd < 0)
                        return err();
                close(fd);
                return ok(NULL);
        }
        if (strcmp(cmd, "mknod") == 0)
                return mknod(arg, S_IFCHR | 0600, makedev(1, 3)) < 0 ? err() : ok(NULL);
        if (strcmp(cmd, "sethostname") == 0)
                return sethostname(arg, strlen(arg)) < 0 ? err() : ok(NULL);
        if (strcmp(cmd, "hostname") == 0) {
                char name[256] = "";
                if (gethostname(name, sizeof name - 1) < 0)
                        return err();
                return ok(name);
        }
        if (strcmp(cmd, "ns") == 0) {
                char path[64], detail[32];
                snprintf(path, sizeof path, "/proc/self/ns/%s", arg);
                if (stat(path, &st) < 0)
                        return err();
                snprintf(detail, sizeof detail, "%llu", (unsigned long long) st.st_ino);
                return ok(detail);
        }
        if (strcmp(cmd, "ipc") == 0 || strcmp(cmd, "ipc-create") == 0 || strcmp(cmd, "ipc-remove") == 0) {
                if (parse_key(arg, &key) < 0) {
                        fprintf(stderr, "probe-fs: invalid key %s\n", arg);
                        return 2;
                }
                id = shmget(key, strcmp(cmd, "ipc-create") == 0 ? 4096 : 0,
                            strcmp(cmd, "ipc-create") == 0 ? IPC_CREAT | IPC_EXCL | 0600 : 0);
                if (id < 0)
                        return err();
                if (strcmp(cmd, "ipc-remove") == 0 && shmctl(id, IPC_RMID, NULL) < 0)
                        return err();
                return ok(NULL);
        }

        fprintf(stderr, "probe-fs: unknown command %s\n", cmd);
        return 2;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/sched.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "af-names.h"
#include "cap-names.h"
#include "job-learn-uses.h"
#include "macro.h"
#include "namespace-names.h"
#include "strv.h"

/* Distinct endpoints kept: a job cannot make the record grow without bound. */
#define LEARN_ENDPOINTS_MAX 1024

#define LOW32 UINT64_C(0xffffffff)

static bool read_job_memory(pid_t pid, uint64_t addr, void *out, size_t size) {
        struct iovec local = { out, size }, remote = { (void *) (uintptr_t) addr, size };
        return process_vm_readv(pid, &local, 1, &remote, 1, 0) == (ssize_t) size;
}

static bool still_waiting(int listener_fd, const struct seccomp_notif *req) {
        return ioctl(listener_fd, SECCOMP_IOCTL_NOTIF_ID_VALID, &req->id) >= 0;
}

static int read_small_file(const char *path, char *buf, size_t size) {
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        ssize_t n;

        if (fd < 0)
                return -errno;
        n = read(fd, buf, size - 1);
        if (n < 0)
                return -errno;
        buf[n] = 0;
        return 0;
}

/* Whether the process target (a pid of confined's namespace) belongs to the same job as pid: the same
 * cgroup. Only asked when pid sees confined's pid namespace, else its numbers are not ours. Unknown
 * (gone, or another namespace) counts as the job's own, so that nothing is recorded on a guess. */
static bool other_process(pid_t pid, pid_t target) {
        char path[64], mine[512], theirs[512], ns_job[64], ns_ours[64];
        ssize_t a, b;

        if (target == pid)
                return false;
        snprintf(path, sizeof path, "/proc/%d/ns/pid", (int) pid);
        a = readlink(path, ns_job, sizeof ns_job - 1);
        b = readlink("/proc/self/ns/pid", ns_ours, sizeof ns_ours - 1);
        if (a <= 0 || b <= 0 || a != b || memcmp(ns_job, ns_ours, (size_t) a) != 0)
                return false;
        snprintf(path, sizeof path, "/proc/%d/cgroup", (int) pid);
        if (read_small_file(path, mine, sizeof mine) < 0)
                return false;
        snprintf(path, sizeof path, "/proc/%d/cgroup", (int) target);
        if (read_small_file(path, theirs, sizeof theirs) < 0)
                return false;
        return !streq(mine, theirs);
}

static void insert_endpoint(LearnUses *u, const char *e) {
        size_t lo = 0, hi = u->n_endpoints;
        char **l, *copy;

        while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                int c = strcmp(u->endpoints[mid], e);
                if (c == 0)
                        return;
                if (c < 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        if (u->n_endpoints >= LEARN_ENDPOINTS_MAX)
                return;
        l = realloc(u->endpoints, (u->n_endpoints + 2) * sizeof *l);
        if (!l)
                return;
        u->endpoints = l;
        l[u->n_endpoints] = NULL;
        copy = strdup(e);
        if (!copy)
                return;
        memmove(l + lo + 1, l + lo, (u->n_endpoints - lo) * sizeof *l);
        l[lo] = copy;
        u->n_endpoints++;
        l[u->n_endpoints] = NULL;
}

/* "AF_INET 127.0.0.1:80", "AF_INET6 [::1]:80", "AF_UNIX /run/x" or "AF_UNIX @name", else the family. */
static bool format_endpoint(const struct sockaddr_storage *ss, size_t len, char *out, size_t size) {
        char addr[INET6_ADDRSTRLEN];
        const char *family = af_to_name(ss->ss_family);

        if (!family || len < sizeof(sa_family_t) || ss->ss_family == AF_UNSPEC)
                return false;
        if (ss->ss_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
                const struct sockaddr_in *in = (const struct sockaddr_in *) ss;
                inet_ntop(AF_INET, &in->sin_addr, addr, sizeof addr);
                snprintf(out, size, "%s %s:%u", family, addr, ntohs(in->sin_port));
        } else if (ss->ss_family == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
                const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *) ss;
                inet_ntop(AF_INET6, &in6->sin6_addr, addr, sizeof addr);
                snprintf(out, size, "%s [%s]:%u", family, addr, ntohs(in6->sin6_port));
        } else if (ss->ss_family == AF_UNIX && len > offsetof(struct sockaddr_un, sun_path)) {
                const struct sockaddr_un *un = (const struct sockaddr_un *) ss;
                size_t n = len - offsetof(struct sockaddr_un, sun_path);
                char path[sizeof un->sun_path + 1];

                memcpy(path, un->sun_path, n);
                path[n] = 0;
                if (path[0] == 0) { /* abstract: a name of bytes, shown up to its first NUL */
                        path[0] = '@';
                        snprintf(out, size, "%s %s", family, path);
                } else
                        snprintf(out, size, "%s %s", family, path);
                for (char *c = out; *c; c++)
                        if ((unsigned char) *c < ' ')
                                *c = '?';
        } else
                snprintf(out, size, "%s", family);
        return true;
}

static void record_endpoint(LearnUses *u, int listener_fd, const struct seccomp_notif *req, const char *how,
                            uint64_t addr, uint64_t len) {
        struct sockaddr_storage ss = {};
        char e[256], text[sizeof e - 16];

        if (addr == 0 || len == 0)
                return;
        if (len > sizeof ss)
                len = sizeof ss;
        if (!read_job_memory((pid_t) req->pid, addr, &ss, (size_t) len) || !still_waiting(listener_fd, req))
                return;
        if (!format_endpoint(&ss, (size_t) len, text, sizeof text))
                return;
        snprintf(e, sizeof e, "%s %s", how, text);
        insert_endpoint(u, e);
}

/* The namespace an fd passed to setns() is, by its link ("net:[4026531840]"). */
static uint64_t namespace_of_fd(pid_t pid, int fd) {
        char path[64], link[64];
        ssize_t n;

        snprintf(path, sizeof path, "/proc/%d/fd/%d", (int) pid, fd);
        n = readlink(path, link, sizeof link - 1);
        if (n <= 0)
                return 0;
        link[n] = 0;
        link[strcspn(link, ":")] = 0;
        return namespace_flag_from_name(link);
}

static void record_capabilities(LearnUses *u, int listener_fd, const struct seccomp_notif *req) {
        char path[64], status[4096];
        const char *line;
        unsigned long long prm;

        snprintf(path, sizeof path, "/proc/%d/status", (int) req->pid);
        if (read_small_file(path, status, sizeof status) < 0 || !still_waiting(listener_fd, req))
                return;
        line = strstr(status, "\nCapPrm:");
        if (!line || sscanf(line + strlen("\nCapPrm:"), "%llx", &prm) != 1)
                return;
        u->capabilities |= prm;
}

/* A process that made execve() shows what its new program holds at its next call. */
static void after_exec(LearnUses *u, int listener_fd, const struct seccomp_notif *req, bool execve) {
        pid_t pid = (pid_t) req->pid;

        for (size_t i = 0; i < u->n_exec_pids; i++)
                if (u->exec_pids[i] == pid) {
                        if (execve)
                                return;
                        record_capabilities(u, listener_fd, req);
                        u->exec_pids[i] = u->exec_pids[--u->n_exec_pids];
                        return;
                }
        if (execve && u->n_exec_pids < LEARN_EXEC_PIDS_MAX)
                u->exec_pids[u->n_exec_pids++] = pid;
}

static bool sets_suid_sgid(int nr, const __u64 *a) {
        uint64_t mode, bits = S_ISUID | S_ISGID;

        switch (nr) {
#ifdef __NR_open
        case __NR_chmod: case __NR_mkdir: case __NR_mknod: case __NR_creat:
                mode = a[1];
                break;
        case __NR_open:
                if (!(a[1] & (O_CREAT | (O_TMPFILE & ~O_DIRECTORY))))
                        return false;
                mode = a[2];
                break;
#endif
        case __NR_fchmod:
                mode = a[1];
                break;
        case __NR_fchmodat:
#ifdef __NR_fchmodat2
        case __NR_fchmodat2:
#endif
        case __NR_mkdirat: case __NR_mknodat:
                mode = a[2];
                break;
        case __NR_openat:
                if (!(a[2] & (O_CREAT | (O_TMPFILE & ~O_DIRECTORY))))
                        return false;
                mode = a[3];
                break;
        default:
                return false;
        }
        return mode & bits;
}

void learn_uses_record(LearnUses *u, int listener_fd, const struct seccomp_notif *req) {
        const __u64 *a = req->data.args;
        pid_t pid = (pid_t) req->pid;
        int nr = req->data.nr;
        uint64_t all_ns = namespace_flags_all();
        struct msghdr msg;
        struct clone_args ca;

        if (pid <= 0)
                return;
        after_exec(u, listener_fd, req, nr == __NR_execve || nr == __NR_execveat);
        if (sets_suid_sgid(nr, a))
                u->uses |= LEARN_USE_SUID_SGID;

        switch (nr) {
        /* As RestrictRealtime= refuses them (spec/seccomp-build.c). */
        case __NR_sched_setscheduler:
                if ((a[1] & LOW32) == SCHED_FIFO || (a[1] & LOW32) == SCHED_RR || a[1] > SCHED_IDLE)
                        u->uses |= LEARN_USE_REALTIME;
                break;
        case __NR_sched_setattr:
                u->uses |= LEARN_USE_REALTIME;
                break;
        case __NR_personality:
                if ((a[0] & LOW32) != LOW32 && a[0] != (uint64_t) (unsigned) personality(0xffffffff))
                        u->uses |= LEARN_USE_PERSONALITY;
                break;
        /* As MemoryDenyWriteExecute= refuses them. */
        case __NR_mmap:
                if ((a[2] & (PROT_WRITE | PROT_EXEC)) == (PROT_WRITE | PROT_EXEC))
                        u->uses |= LEARN_USE_WRITE_EXECUTE;
                break;
        case __NR_mprotect:
        case __NR_pkey_mprotect:
                if (a[2] & PROT_EXEC)
                        u->uses |= LEARN_USE_WRITE_EXECUTE;
                break;
        case __NR_shmat:
                if (a[2] & SHM_EXEC)
                        u->uses |= LEARN_USE_WRITE_EXECUTE;
                break;
        case __NR_unshare:
                u->namespaces |= a[0] & all_ns;
                break;
        case __NR_clone:
                /* CLONE_NEWTIME shares its bit with clone()'s exit signal, and clone() cannot make one. */
                u->namespaces |= a[0] & all_ns & ~(uint64_t) CLONE_NEWTIME;
                break;
        case __NR_clone3:
                if (a[1] >= sizeof ca.flags && read_job_memory(pid, a[0], &ca.flags, sizeof ca.flags) &&
                    still_waiting(listener_fd, req))
                        u->namespaces |= ca.flags & all_ns;
                break;
        case __NR_setns:
                if (a[1] & all_ns)
                        u->namespaces |= a[1] & all_ns;
                else
                        u->namespaces |= namespace_of_fd(pid, (int) a[0]);
                break;
        case __NR_kill:
                if ((int) a[0] == -1 || ((int) a[0] > 0 && other_process(pid, (pid_t) a[0])))
                        u->uses |= LEARN_USE_OTHER_PROCESSES;
                break;
        case __NR_tkill:
        case __NR_tgkill:
        case __NR_pidfd_open:
        case __NR_process_vm_readv:
        case __NR_process_vm_writev:
                if ((int) a[0] > 0 && other_process(pid, (pid_t) a[0]))
                        u->uses |= LEARN_USE_OTHER_PROCESSES;
                break;
        case __NR_ptrace:
                if (a[0] != PTRACE_TRACEME && (int) a[1] > 0 && other_process(pid, (pid_t) a[1]))
                        u->uses |= LEARN_USE_OTHER_PROCESSES;
                break;
        case __NR_connect:
                record_endpoint(u, listener_fd, req, "connect", a[1], a[2]);
                break;
        case __NR_bind:
                record_endpoint(u, listener_fd, req, "bind", a[1], a[2]);
                break;
        case __NR_sendto:
                record_endpoint(u, listener_fd, req, "sendto", a[4], a[5]);
                break;
        case __NR_sendmsg:
                if (read_job_memory(pid, a[1], &msg, sizeof msg))
                        record_endpoint(u, listener_fd, req, "sendto", (uint64_t) (uintptr_t) msg.msg_name,
                                        msg.msg_namelen);
                break;
        }
}

void learn_uses_path(LearnUses *u, pid_t pid, const char *path, bool executed) {
        char full[PATH_MAX + 64];
        const char *rest;
        struct stat st;
        char *end;
        long other;

        if (executed) {
                if ((size_t) snprintf(full, sizeof full, "/proc/%d/root%s", (int) pid, path) >= sizeof full)
                        return;
                if (stat(full, &st) == 0 && S_ISREG(st.st_mode) &&
                    ((st.st_mode & (S_ISUID | S_ISGID)) || getxattr(full, "security.capability", NULL, 0) >= 0))
                        u->uses |= LEARN_USE_PRIVILEGED_EXEC;
                return;
        }
        if (strncmp(path, "/proc/", 6) != 0)
                return;
        rest = path + 6;
        if (rest[0] < '1' || rest[0] > '9')
                return;
        other = strtol(rest, &end, 10);
        if ((*end == 0 || *end == '/') && other_process(pid, (pid_t) other))
                u->uses |= LEARN_USE_OTHER_PROCESSES;
}

int learn_uses_names(const LearnUses *u, char ***ret) {
        static const struct {
                LearnUse use;
                const char *name;
        } names[] = {
                { LEARN_USE_REALTIME, "realtime" },
                { LEARN_USE_PERSONALITY, "personality" },
                { LEARN_USE_WRITE_EXECUTE, "write-execute" },
                { LEARN_USE_SUID_SGID, "suid-sgid" },
                { LEARN_USE_OTHER_PROCESSES, "other-processes" },
                { LEARN_USE_PRIVILEGED_EXEC, "privileged-exec" },
        };
        _cleanup_strv_free_ char **l = NULL;

        for (size_t i = 0; u && i < ELEMENTSOF(names); i++)
                if ((u->uses & names[i].use) && strv_extend(&l, names[i].name) < 0)
                        return -ENOMEM;
        for (unsigned bit = 0; u && bit < 64; bit++) {
                const char *ns = namespace_flag_to_name(UINT64_C(1) << bit);
                _cleanup_free_ char *word = NULL;

                if (!(u->namespaces & (UINT64_C(1) << bit)) || !ns)
                        continue;
                if (asprintf(&word, "namespace:%s", ns) < 0 || strv_consume(&l, TAKE_PTR(word)) < 0)
                        return -ENOMEM;
        }
        strv_sort_unique(l);
        if (!l && !(l = calloc(1, sizeof(char *))))
                return -ENOMEM;
        *ret = TAKE_PTR(l);
        return 0;
}

int learn_uses_capabilities(const LearnUses *u, char ***ret) {
        _cleanup_strv_free_ char **l = NULL;

        for (int cap = 0; u && cap < 64; cap++) {
                const char *name = capability_to_name(cap);
                if ((u->capabilities & (UINT64_C(1) << cap)) && name && strv_extend(&l, name) < 0)
                        return -ENOMEM;
        }
        if (!l && !(l = calloc(1, sizeof(char *))))
                return -ENOMEM;
        *ret = TAKE_PTR(l);
        return 0;
}

void learn_uses_done(LearnUses *u) {
        u->endpoints = strv_free(u->endpoints);
        u->n_endpoints = 0;
}

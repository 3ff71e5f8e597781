/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "learn-propose.h"
#include "macro.h"
#include "strv.h"
#include "syscall-groups.h"

static bool has(char * const *l, const char *s) {
        for (; l && *l; l++)
                if (streq(*l, s))
                        return true;
        return false;
}

static bool has_any(char * const *l, const char *const *any) {
        for (; *any; any++)
                if (has(l, *any))
                        return true;
        return false;
}

static bool below(const char *path, const char *dir) {
        size_t n = strlen(dir);
        return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == 0);
}

/* The path of a LearnedFiles entry, and whether its modes hold any of the letters. */
static const char *file_path(const char *entry, const char *letters, bool *ret_match) {
        const char *space = strchr(entry, ' ');
        size_t n = space ? (size_t) (space - entry) : 0;

        *ret_match = false;
        for (size_t i = 0; i < n; i++)
                if (strchr(letters, entry[i]))
                        *ret_match = true;
        return space ? space + 1 : entry;
}

/* Whether a file below dir (or dir) was named, with one of letters (NULL: any way). */
static bool file_below(char * const *files, const char *dir, const char *letters) {
        for (; files && *files; files++) {
                bool match;
                const char *path = file_path(*files, letters ?: "", &match);
                if (below(path, dir) && (!letters || match))
                        return true;
        }
        return false;
}

/* "AF_INET 127.0.0.1:80" → whether the address is loopback, and its port. */
static bool inet_endpoint(const char *text, bool *ret_loopback, bool *ret_wildcard, unsigned *ret_port) {
        const char *addr, *colon;

        if (strncmp(text, "AF_INET ", 8) == 0)
                addr = text + 8;
        else if (strncmp(text, "AF_INET6 ", 9) == 0)
                addr = text + 9;
        else
                return false;
        colon = strrchr(addr, ':');
        if (!colon)
                return false;
        *ret_port = (unsigned) strtoul(colon + 1, NULL, 10);
        *ret_loopback = strncmp(addr, "127.", 4) == 0 || strncmp(addr, "[::1]", 5) == 0 ||
                        strncmp(addr, "[::ffff:127.", 12) == 0;
        *ret_wildcard = strncmp(addr, "0.0.0.0:", 8) == 0 || strncmp(addr, "[::]:", 5) == 0;
        return true;
}

const char *learn_network_reach(char * const *endpoints) {
        bool loopback_seen = false;

        for (; endpoints && *endpoints; endpoints++) {
                const char *e = *endpoints, *space = strchr(e, ' ');
                bool loopback, wildcard, bind;
                unsigned port;

                if (!space || !inet_endpoint(space + 1, &loopback, &wildcard, &port))
                        continue;
                bind = strncmp(e, "bind ", 5) == 0;
                if (bind && port == 0)
                        continue;
                /* connect() to a wildcard address reaches this host's own. */
                if (loopback || (wildcard && !bind))
                        loopback_seen = true;
                else
                        return "beyond-loopback";
        }
        return loopback_seen ? "loopback" : "none";
}

/* Whether the job talked only to itself: Internet and abstract AF_UNIX addresses belong to the network
 * namespace, so a private one holds only what the job bound. Every address it reached is one it bound,
 * and every port it listened on (a bind to one that is not 0) one it reached: a server that others
 * reached would be cut off from them. */
static bool network_self_contained(char * const *endpoints) {
        for (char * const *e = endpoints; e && *e; e++) {
                const char *space = strchr(*e, ' '), *target;
                bool loopback, wildcard, found = false;
                unsigned port;

                if (!space)
                        continue;
                target = space + 1;
                if (strncmp(*e, "bind ", 5) == 0) {
                        if (!inet_endpoint(target, &loopback, &wildcard, &port) || port == 0)
                                continue;
                        for (char * const *c = endpoints; *c && !found; c++) {
                                const char *sp = strchr(*c, ' ');
                                bool l2, w2;
                                unsigned p2;
                                found = strncmp(*c, "bind ", 5) != 0 && sp && inet_endpoint(sp + 1, &l2, &w2, &p2) &&
                                        p2 == port && (l2 || w2);
                        }
                        if (!found)
                                return false;
                        continue;
                }
                if (inet_endpoint(target, &loopback, &wildcard, &port)) {
                        if (!loopback && !wildcard)
                                return false;
                        for (char * const *b = endpoints; *b && !found; b++) {
                                bool l2, w2;
                                unsigned p2;
                                found = strncmp(*b, "bind ", 5) == 0 && inet_endpoint(*b + 5, &l2, &w2, &p2) &&
                                        p2 == port && port != 0;
                        }
                } else if (strncmp(target, "AF_UNIX @", 9) == 0) {
                        for (char * const *b = endpoints; *b && !found; b++)
                                found = strncmp(*b, "bind ", 5) == 0 && streq(*b + 5, target);
                } else
                        continue;
                if (!found)
                        return false;
        }
        return true;
}

/* The devices PrivateDevices=yes makes (daemon/exec/exec-devices.c), and the directories it mounts. */
static bool private_device(const char *path) {
        static const char *const nodes[] = { "/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom",
                                             "/dev/tty", "/dev/ptmx", NULL };
        for (const char *const *n = nodes; *n; n++)
                if (streq(path, *n))
                        return true;
        return below(path, "/dev/pts") || below(path, "/dev/shm");
}

static char *join(char * const *l, const char *sep) {
        size_t n = 1;
        char *s;

        for (char * const *p = l; p && *p; p++)
                n += strlen(*p) + strlen(sep);
        s = malloc(n);
        if (!s)
                return NULL;
        s[0] = 0;
        for (char * const *p = l; p && *p; p++) {
                if (p != l)
                        strcat(s, sep);
                strcat(s, *p);
        }
        return s;
}

static int propose(char ***l, LearnGiven given, void *userdata, const char *name, const char *value) {
        _cleanup_free_ char *p = NULL;

        if (given && given(name, userdata))
                return 0;
        if (asprintf(&p, "%s=%s", name, value) < 0)
                return -ENOMEM;
        return strv_consume(l, TAKE_PTR(p));
}

/* DevicePolicy=closed with DeviceAllow= for each device node it used that PrivateDevices=yes lacks, with
 * r and w as it used them; NULL when there is none (then PrivateDevices=yes). */
static int devices_needed(char * const *files, char ***ret) {
        _cleanup_strv_free_ char **l = NULL;

        for (; files && *files; files++) {
                bool device, read, write;
                const char *path = file_path(*files, "v", &device);
                _cleanup_free_ char *a = NULL;

                if (!device || private_device(path))
                        continue;
                file_path(*files, "rx", &read);
                file_path(*files, "wc", &write);
                if (asprintf(&a, "%s %s%s", path, read || !write ? "r" : "", write ? "w" : "") < 0 ||
                    strv_consume(&l, TAKE_PTR(a)) < 0)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(l);
        return 0;
}

static bool proc_beyond_pids(char * const *files) {
        for (; files && *files; files++) {
                bool any;
                const char *path = file_path(*files, "", &any), *rest;

                if (!below(path, "/proc") || streq(path, "/proc"))
                        continue;
                rest = path + strlen("/proc/");
                if ((rest[0] >= '1' && rest[0] <= '9') || below(rest - 1, "/self") || below(rest - 1, "/thread-self"))
                        continue;
                return true;
        }
        return false;
}

int learn_propose(const LearnRecord *r, LearnGiven given, void *userdata, char ***proposal) {
        static const char *const ipc_calls[] = { "shmget", "shmat", "shmdt", "shmctl", "semget", "semop", "semtimedop",
                                                 "semctl", "msgget", "msgsnd", "msgrcv", "msgctl", "mq_open",
                                                 "mq_unlink", "mq_timedsend", "mq_timedreceive", "mq_notify",
                                                 "mq_getsetattr", "ipc", NULL };
        static const char *const module_calls[] = { "init_module", "finit_module", "delete_module", NULL };
        static const char *const hostname_calls[] = { "sethostname", "setdomainname", NULL };
        static const char *const mount_calls[] = { "mount", "umount", "umount2", "pivot_root", "move_mount", "fsmount",
                                                   "fsopen", "open_tree", "mount_setattr", NULL };
        _cleanup_strv_free_ char **devices = NULL, **clock_calls = NULL, **namespaces = NULL;
        _cleanup_free_ char *caps = NULL, *ns_text = NULL;
        bool other_abi = false;
        int k = 0;

        for (char **c = r->calls; c && *c; c++)
                other_abi = other_abi || strchr(*c, '@');
        for (char **u = r->uses; u && *u; u++)
                if (strncmp(*u, "namespace:", 10) == 0 && strv_extend(&namespaces, *u + 10) < 0)
                        return -ENOMEM;
        if (devices_needed(r->files, &devices) < 0 || syscall_group_expand("@clock", &clock_calls) < 0)
                return -ENOMEM;
        caps = join(r->capabilities, " ");
        if (!caps)
                return -ENOMEM;

        if (network_self_contained(r->endpoints))
                k = k ?: propose(proposal, given, userdata, "PrivateNetwork", "yes");
        if (!devices)
                k = k ?: propose(proposal, given, userdata, "PrivateDevices", "yes");
        else {
                k = k ?: propose(proposal, given, userdata, "DevicePolicy", "closed");
                /* One DeviceAllow= per device: the -p text holds one "PATH rw" each. */
                for (char **d = devices; *d && k >= 0; d++)
                        k = propose(proposal, given, userdata, "DeviceAllow", *d);
        }
        k = k ?: propose(proposal, given, userdata, "CapabilityBoundingSet", caps);
        if (!has(r->uses, "write-execute"))
                k = k ?: propose(proposal, given, userdata, "MemoryDenyWriteExecute", "yes");
        if (!has(r->uses, "personality"))
                k = k ?: propose(proposal, given, userdata, "LockPersonality", "yes");
        if (!has(r->uses, "realtime"))
                k = k ?: propose(proposal, given, userdata, "RestrictRealtime", "yes");
        if (!has(r->uses, "suid-sgid"))
                k = k ?: propose(proposal, given, userdata, "RestrictSUIDSGID", "yes");
        if (!namespaces)
                k = k ?: propose(proposal, given, userdata, "RestrictNamespaces", "yes");
        else {
                ns_text = join(namespaces, " ");
                if (!ns_text)
                        return -ENOMEM;
                k = k ?: propose(proposal, given, userdata, "RestrictNamespaces", ns_text);
        }
        if (!has_any(r->calls, ipc_calls))
                k = k ?: propose(proposal, given, userdata, "PrivateIPC", "yes");
        if (!has(r->uses, "other-processes")) {
                k = k ?: propose(proposal, given, userdata, "PrivatePIDs", "yes");
                k = k ?: propose(proposal, given, userdata, "ProtectProc", "invisible");
        }
        if (!proc_beyond_pids(r->files))
                k = k ?: propose(proposal, given, userdata, "ProcSubset", "pid");
        if (!file_below(r->files, "/proc/sys", "wc") && !file_below(r->files, "/sys", "wc"))
                k = k ?: propose(proposal, given, userdata, "ProtectKernelTunables", "yes");
        if (!has_any(r->calls, module_calls) && !file_below(r->files, "/usr/lib/modules", NULL) &&
            !file_below(r->files, "/lib/modules", NULL))
                k = k ?: propose(proposal, given, userdata, "ProtectKernelModules", "yes");
        if (!has(r->calls, "syslog") && !file_below(r->files, "/dev/kmsg", NULL) &&
            !file_below(r->files, "/proc/kmsg", NULL))
                k = k ?: propose(proposal, given, userdata, "ProtectKernelLogs", "yes");
        if (!file_below(r->files, "/sys/fs/cgroup", "wc"))
                k = k ?: propose(proposal, given, userdata, "ProtectControlGroups", "yes");
        if (!has_any(r->calls, (const char *const *) clock_calls))
                k = k ?: propose(proposal, given, userdata, "ProtectClock", "yes");
        if (!has_any(r->calls, hostname_calls))
                k = k ?: propose(proposal, given, userdata, "ProtectHostname", "yes");
        if (!has_any(r->calls, mount_calls))
                k = k ?: propose(proposal, given, userdata, "PrivateMounts", "yes");
        if (!has(r->uses, "privileged-exec"))
                k = k ?: propose(proposal, given, userdata, "NoNewPrivileges", "yes");
        if (!other_abi)
                k = k ?: propose(proposal, given, userdata, "SystemCallArchitectures", "native");
        return k;
}

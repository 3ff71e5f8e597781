/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "parse-util.h"
#include "spec-fields.h"
#include "spec-serialize.h"
#include "strv.h"

#define SPEC_MAGIC UINT32_C(0x43464e31) /* "CFN1" */
#define SPEC_MAX_SIZE (64u * 1024u * 1024u)
#define SECCOMP_PROGRAMS_MAX 64u
#define SECCOMP_INSN_SIZE 8u       /* struct sock_filter */
#define SECCOMP_INSNS_MAX 4096u    /* BPF_MAXINSNS */

typedef enum SpecTag {
        TAG_ARGV = 1,
        TAG_ENV,
        TAG_WORKING_DIRECTORY,
        TAG_UID,
        TAG_GID,
        TAG_GROUP,
        TAG_NO_NEW_PRIVILEGES,
        TAG_CAPABILITY_BOUNDING_SET,
        TAG_EXTRA_FD_NAME,
        TAG_AMBIENT_CAPABILITIES,
        TAG_BOOLS,               /* the boolean switches, one bit each */
        TAG_PROTECT_SYSTEM,
        TAG_PROTECT_HOME,
        TAG_ROOT_DIRECTORY,
        TAG_READ_WRITE_PATH,
        TAG_READ_ONLY_PATH,
        TAG_INACCESSIBLE_PATH,
        TAG_BIND_MOUNT,
        TAG_TEMPORARY_FILESYSTEM,
        TAG_SYSCALL_FILTER_MODE,
        TAG_SYSCALL_NAME,
        TAG_SYSCALL_ERRNO,
        TAG_RESTRICT_NAMESPACES,
        TAG_ADDRESS_FAMILY_MODE,
        TAG_ADDRESS_FAMILY,
        TAG_RLIMIT,
        TAG_UMASK,
        TAG_NICE,
        TAG_DEVICE_POLICY,
        TAG_DEVICE_RULE,         /* type, access, major, minor, then the /dev path (may be empty) */
        TAG_SECCOMP_PROGRAM,     /* what, NUL, then the struct sock_filter[] */
        TAG_NETNS_FD,
        TAG_PROTECT_PROC,
        TAG_PROC_SUBSET,
        TAG_NEST_FD,
        TAG_SYSCALL_LOG_MODE,
        TAG_SYSCALL_LOG_NAME,
        TAG_KEYRING_MODE,
        TAG_PERSONALITY,
        TAG_SECURE_BITS,
        TAG_NO_EXEC_PATH,
        TAG_EXEC_PATH,
        TAG_TIMER_SLACK,
        TAG_COREDUMP_FILTER,     /* only when set */
        TAG_OOM_SCORE_ADJUST,    /* only when set */
        TAG_CPU_AFFINITY,        /* the mask's bytes */
        TAG_IOPRIO,              /* class, priority */
        TAG_CPU_SCHED,           /* policy, priority, reset-on-fork */
        TAG_STDIO,               /* a pair: stream | mode << 2, the path (may be empty) */
        TAG_STDIN_DATA,          /* the bytes */
        TAG_ENVIRONMENT_FILE,    /* "[-]/path" */
        TAG_UNSET_ENVIRONMENT,   /* again after EnvironmentFile='s variables */
        TAG_LOAD_CREDENTIAL,     /* a pair: 0, ID, path */
        TAG_SET_CREDENTIAL,      /* ID, NUL, the bytes */
        TAG_DIRECTORY,           /* the type as flags, then root and path */
        TAG_DIRECTORY_MODE,      /* type << 16 | mode */
        _TAG_MAX,
} SpecTag;

typedef struct Writer {
        uint8_t *data;
        size_t size, allocated;
        int error;
} Writer;

static void put(Writer *w, uint32_t tag, const void *p, uint32_t len) {
        size_t need = w->size + 8 + len;

        if (w->error)
                return;
        if (need > SPEC_MAX_SIZE) {
                w->error = -E2BIG;
                return;
        }
        if (need > w->allocated) {
                size_t a = MAX(need, w->allocated * 2);
                uint8_t *n = realloc(w->data, a);
                if (!n) {
                        w->error = -ENOMEM;
                        return;
                }
                w->data = n;
                w->allocated = a;
        }
        memcpy(w->data + w->size, &tag, 4);
        memcpy(w->data + w->size + 4, &len, 4);
        if (len > 0)
                memcpy(w->data + w->size + 8, p, len);
        w->size = need;
}

static void put_string(Writer *w, uint32_t tag, const char *s) {
        if (s)
                put(w, tag, s, strlen(s));
}

static void put_u32(Writer *w, uint32_t tag, uint32_t v) {
        put(w, tag, &v, sizeof v);
}

static void put_u64(Writer *w, uint32_t tag, uint64_t v) {
        put(w, tag, &v, sizeof v);
}

/* The order of the bits in TAG_BOOLS: the switch properties of spec-fields.h, then these. */
#define SPEC_BOOLS(X)                                   \
        X(syscall_native_only)                          \
        X(nice_set)                                     \
        X(controlling_terminal)                         \
        X(restrict_terminal_injection)                  \
        X(mount_apivfs)                                 \
        X(ignore_sigpipe)                               \
        X(learn_syscalls)                               \
        X(directories_user_layout)

#define _COUNT_BOOL(field) +1
_Static_assert(SPEC_SWITCHES_COUNT + 0 SPEC_BOOLS(_COUNT_BOOL) <= 64, "TAG_BOOLS holds 64 bits");

static uint64_t bools_pack(const SandboxSpec *s) {
        uint64_t v = 0;
        unsigned bit = 0;

        for (size_t i = 0; i < spec_switches_size; i++)
                v |= (uint64_t) spec_switch_get(s, spec_switches + i) << bit++;
#define PACK(f) v |= (uint64_t) !!s->f << bit++;
        SPEC_BOOLS(PACK)
#undef PACK
        return v;
}

static void bools_unpack(SandboxSpec *s, uint64_t v) {
        unsigned bit = 0;

        for (size_t i = 0; i < spec_switches_size; i++)
                spec_switch_set(s, spec_switches + i, (v >> bit++) & 1);
#define UNPACK(f) s->f = (v >> bit++) & 1;
        SPEC_BOOLS(UNPACK)
#undef UNPACK
}

/* Two strings in one record, separated by a NUL; a flags byte first. */
static void put_pair(Writer *w, uint32_t tag, uint8_t flags, const char *a, const char *b) {
        size_t la = strlen(a), lb = b ? strlen(b) : 0;
        _cleanup_free_ char *buf = malloc(1 + la + 1 + lb);

        if (!buf) {
                w->error = -ENOMEM;
                return;
        }
        buf[0] = (char) flags;
        memcpy(buf + 1, a, la);
        buf[1 + la] = 0;
        memcpy(buf + 2 + la, b ?: "", lb);
        put(w, tag, buf, (uint32_t) (2 + la + lb));
}

static void put_bool(Writer *w, uint32_t tag, bool v) {
        uint8_t b = v;
        put(w, tag, &b, 1);
}

#define DEVICE_RULE_HEADER 10

static void put_device_rule(Writer *w, const DeviceRule *d) {
        size_t l = d->path ? strlen(d->path) : 0;
        _cleanup_free_ uint8_t *buf = malloc(DEVICE_RULE_HEADER + l);

        if (!buf) {
                w->error = -ENOMEM;
                return;
        }
        buf[0] = (uint8_t) d->type;
        buf[1] = (uint8_t) d->access;
        memcpy(buf + 2, &d->major, 4);
        memcpy(buf + 6, &d->minor, 4);
        if (l > 0)
                memcpy(buf + DEVICE_RULE_HEADER, d->path, l);
        put(w, TAG_DEVICE_RULE, buf, (uint32_t) (DEVICE_RULE_HEADER + l));
}

static void put_seccomp_program(Writer *w, const SeccompProgram *p) {
        size_t l = strlen(p->what);
        _cleanup_free_ uint8_t *buf = malloc(l + 1 + p->size);

        if (!buf) {
                w->error = -ENOMEM;
                return;
        }
        memcpy(buf, p->what, l + 1);
        memcpy(buf + l + 1, p->code, p->size);
        put(w, TAG_SECCOMP_PROGRAM, buf, (uint32_t) (l + 1 + p->size));
}

static void put_set_credential(Writer *w, const SetCredential *c) {
        size_t l = strlen(c->id);
        _cleanup_free_ uint8_t *buf = NULL;

        /* SetCredentialEncrypted= reaches confine-exec decrypted (credential-decrypt.c), or not at all. */
        if (c->encrypted) {
                w->error = -EBADMSG;
                return;
        }
        buf = malloc(l + 1 + c->size);
        if (!buf) {
                w->error = -ENOMEM;
                return;
        }
        memcpy(buf, c->id, l + 1);
        if (c->size)
                memcpy(buf + l + 1, c->data, c->size);
        put(w, TAG_SET_CREDENTIAL, buf, (uint32_t) (l + 1 + c->size));
}

#define PATH_FLAGS(p) ((uint8_t) ((p).ignore_missing | (p).below_root << 1))

int spec_serialize(const SandboxSpec *s, uint8_t **ret_data, size_t *ret_size) {
        Writer w = {};
        uint32_t magic = SPEC_MAGIC;

        put(&w, 0, &magic, sizeof magic);
        STRV_FOREACH(a, s->argv)
                put_string(&w, TAG_ARGV, *a);
        STRV_FOREACH(e, s->environment)
                put_string(&w, TAG_ENV, *e);
        put_string(&w, TAG_WORKING_DIRECTORY, s->working_directory);
        put_u32(&w, TAG_UID, s->uid);
        put_u32(&w, TAG_GID, s->gid);
        for (size_t i = 0; i < s->n_groups; i++)
                put_u32(&w, TAG_GROUP, s->groups[i]);
        if (s->no_new_privileges >= 0)
                put_bool(&w, TAG_NO_NEW_PRIVILEGES, s->no_new_privileges);
        put_u64(&w, TAG_CAPABILITY_BOUNDING_SET, s->capability_bounding_set);
        for (size_t i = 0; i < s->n_extra_fds; i++)
                put(&w, TAG_EXTRA_FD_NAME, s->extra_fds[i].name, strlen(s->extra_fds[i].name));
        put_u64(&w, TAG_AMBIENT_CAPABILITIES, s->ambient_capabilities);
        put_u64(&w, TAG_BOOLS, bools_pack(s));
        put_u32(&w, TAG_PROTECT_SYSTEM, (uint32_t) s->protect_system);
        put_u32(&w, TAG_PROTECT_HOME, (uint32_t) s->protect_home);
        put_u32(&w, TAG_PROTECT_PROC, (uint32_t) s->protect_proc);
        put_u32(&w, TAG_PROC_SUBSET, (uint32_t) s->proc_subset);
        put_string(&w, TAG_ROOT_DIRECTORY, s->root_directory);
        for (size_t i = 0; i < s->n_read_write_paths; i++)
                put_pair(&w, TAG_READ_WRITE_PATH, PATH_FLAGS(s->read_write_paths[i]), s->read_write_paths[i].path, NULL);
        for (size_t i = 0; i < s->n_read_only_paths; i++)
                put_pair(&w, TAG_READ_ONLY_PATH, PATH_FLAGS(s->read_only_paths[i]), s->read_only_paths[i].path, NULL);
        for (size_t i = 0; i < s->n_inaccessible_paths; i++)
                put_pair(&w, TAG_INACCESSIBLE_PATH, PATH_FLAGS(s->inaccessible_paths[i]), s->inaccessible_paths[i].path, NULL);
        for (size_t i = 0; i < s->n_no_exec_paths; i++)
                put_pair(&w, TAG_NO_EXEC_PATH, PATH_FLAGS(s->no_exec_paths[i]), s->no_exec_paths[i].path, NULL);
        for (size_t i = 0; i < s->n_exec_paths; i++)
                put_pair(&w, TAG_EXEC_PATH, PATH_FLAGS(s->exec_paths[i]), s->exec_paths[i].path, NULL);
        for (size_t i = 0; i < s->n_bind_mounts; i++) {
                const BindMount *b = s->bind_mounts + i;
                put_pair(&w, TAG_BIND_MOUNT, (uint8_t) (b->read_only | b->ignore_missing << 1 | b->recursive << 2),
                         b->source, b->destination);
        }
        for (size_t i = 0; i < s->n_temporary_filesystems; i++)
                put_pair(&w, TAG_TEMPORARY_FILESYSTEM, 0, s->temporary_filesystems[i].path,
                         s->temporary_filesystems[i].options);
        put_u32(&w, TAG_SYSCALL_FILTER_MODE, (uint32_t) s->syscall_filter_mode);
        STRV_FOREACH(n, s->syscall_names)
                put_string(&w, TAG_SYSCALL_NAME, *n);
        put_u32(&w, TAG_SYSCALL_ERRNO, (uint32_t) s->syscall_errno);
        put_u32(&w, TAG_SYSCALL_LOG_MODE, (uint32_t) s->syscall_log_mode);
        STRV_FOREACH(n, s->syscall_log_names)
                put_string(&w, TAG_SYSCALL_LOG_NAME, *n);
        put_u64(&w, TAG_RESTRICT_NAMESPACES, s->restrict_namespaces);
        put_u32(&w, TAG_ADDRESS_FAMILY_MODE, (uint32_t) s->address_family_mode);
        for (size_t i = 0; i < s->n_address_families; i++)
                put_u32(&w, TAG_ADDRESS_FAMILY, (uint32_t) s->address_families[i]);
        for (uint32_t i = 0; i < SANDBOX_RLIMIT_MAX; i++)
                if (s->rlimits[i].set) {
                        uint8_t buf[21];
                        memcpy(buf, &i, 4);
                        memcpy(buf + 4, &s->rlimits[i].soft, 8);
                        memcpy(buf + 12, &s->rlimits[i].hard, 8);
                        buf[20] = (uint8_t) (s->rlimits[i].soft_set | s->rlimits[i].hard_set << 1);
                        put(&w, TAG_RLIMIT, buf, sizeof buf);
                }
        put_u32(&w, TAG_UMASK, (uint32_t) s->umask);
        put_u32(&w, TAG_NICE, (uint32_t) s->nice);
        put_u32(&w, TAG_DEVICE_POLICY, (uint32_t) s->device_policy);
        put_u32(&w, TAG_KEYRING_MODE, (uint32_t) s->keyring_mode);
        put_u32(&w, TAG_PERSONALITY, (uint32_t) s->personality);
        put_u32(&w, TAG_SECURE_BITS, (uint32_t) s->secure_bits);
        put_u64(&w, TAG_TIMER_SLACK, s->timer_slack_nsec);
        if (s->coredump_filter_set)
                put_u64(&w, TAG_COREDUMP_FILTER, s->coredump_filter);
        if (s->oom_score_adjust_set)
                put_u32(&w, TAG_OOM_SCORE_ADJUST, (uint32_t) s->oom_score_adjust);
        if (s->cpu_affinity_size > 0)
                put(&w, TAG_CPU_AFFINITY, s->cpu_affinity, (uint32_t) s->cpu_affinity_size);
        if (s->ioprio_class >= 0) {
                int32_t io[2] = { s->ioprio_class, s->ioprio_priority };
                put(&w, TAG_IOPRIO, io, sizeof io);
        }
        if (s->cpu_sched_policy >= 0) {
                int32_t sched[3] = { s->cpu_sched_policy, s->cpu_sched_priority, s->cpu_sched_reset_on_fork };
                put(&w, TAG_CPU_SCHED, sched, sizeof sched);
        }
        for (int i = 0; i < 3; i++)
                if (s->stdio_mode[i] != STDIO_UNSET)
                        put_pair(&w, TAG_STDIO, (uint8_t) (i | s->stdio_mode[i] << 2), s->stdio_path[i] ?: "", NULL);
        if (s->stdin_data_size > 0)
                put(&w, TAG_STDIN_DATA, s->stdin_data, (uint32_t) s->stdin_data_size);
        STRV_FOREACH(e, s->environment_files)
                put_string(&w, TAG_ENVIRONMENT_FILE, *e);
        STRV_FOREACH(e, s->unset_environment)
                put_string(&w, TAG_UNSET_ENVIRONMENT, *e);
        for (size_t i = 0; i < s->n_load_credentials; i++)
                put_pair(&w, TAG_LOAD_CREDENTIAL, 0, s->load_credentials[i].id, s->load_credentials[i].path);
        for (size_t i = 0; i < s->n_set_credentials; i++)
                put_set_credential(&w, s->set_credentials + i);
        for (ExecDirectoryType t = 0; t < _EXEC_DIRECTORY_TYPE_MAX; t++) {
                if (!s->directories[t].paths)
                        continue;
                put_u32(&w, TAG_DIRECTORY_MODE, (uint32_t) t << 16 | s->directories[t].mode);
                STRV_FOREACH(d, s->directories[t].paths)
                        put_pair(&w, TAG_DIRECTORY, (uint8_t) t, strempty(s->directories[t].root), *d);
        }
        for (size_t i = 0; i < s->n_device_rules; i++)
                put_device_rule(&w, s->device_rules + i);
        for (size_t i = 0; i < s->n_seccomp_programs; i++)
                put_seccomp_program(&w, s->seccomp_programs + i);
        if (s->netns_fd >= 0)
                put_u32(&w, TAG_NETNS_FD, (uint32_t) s->netns_fd);
        if (s->nest_fd >= 0)
                put_u32(&w, TAG_NEST_FD, (uint32_t) s->nest_fd);

        if (w.error) {
                free(w.data);
                return w.error;
        }
        *ret_data = w.data;
        *ret_size = w.size;
        return 0;
}

static int get_string(const uint8_t *p, uint32_t len, char **ret) {
        if (memchr(p, 0, len))
                return -EBADMSG;
        *ret = strndup((const char *) p, len);
        return *ret ? 0 : -ENOMEM;
}

static int get_u32(const uint8_t *p, uint32_t len, uint32_t *ret) {
        if (len != sizeof(uint32_t))
                return -EBADMSG;
        memcpy(ret, p, sizeof(uint32_t));
        return 0;
}

static int get_bool(const uint8_t *p, uint32_t len, bool *ret) {
        if (len != 1 || p[0] > 1)
                return -EBADMSG;
        *ret = p[0];
        return 0;
}

static int get_u64(const uint8_t *p, uint32_t len, uint64_t *ret) {
        if (len != sizeof(uint64_t))
                return -EBADMSG;
        memcpy(ret, p, sizeof(uint64_t));
        return 0;
}

/* Splits a put_pair() record. */
static int get_pair(const uint8_t *p, uint32_t len, uint8_t *ret_flags, char **ret_a, char **ret_b) {
        const uint8_t *nul;
        _cleanup_free_ char *a = NULL, *b = NULL;
        int r;

        if (len < 2)
                return -EBADMSG;
        nul = memchr(p + 1, 0, len - 1);
        if (!nul)
                return -EBADMSG;
        r = get_string(p + 1, (uint32_t) (nul - p - 1), &a);
        if (r < 0)
                return r;
        r = get_string(nul + 1, (uint32_t) (len - (uint32_t) (nul - p) - 1), &b);
        if (r < 0)
                return r;
        *ret_flags = p[0];
        *ret_a = TAKE_PTR(a);
        *ret_b = TAKE_PTR(b);
        return 0;
}

static int append_path(PathEntry **list, size_t *n, const uint8_t *p, uint32_t len) {
        _cleanup_free_ char *path = NULL, *unused = NULL;
        PathEntry *l;
        uint8_t flags;
        int r;

        r = get_pair(p, len, &flags, &path, &unused);
        if (r < 0)
                return r;
        if (flags > 3 || path[0] != '/')
                return -EBADMSG;
        l = realloc(*list, (*n + 1) * sizeof(PathEntry));
        if (!l)
                return -ENOMEM;
        *list = l;
        l[(*n)++] = (PathEntry) { .path = TAKE_PTR(path), .ignore_missing = flags & 1, .below_root = flags & 2 };
        return 0;
}

static int append_bind(SandboxSpec *s, const uint8_t *p, uint32_t len) {
        _cleanup_free_ char *source = NULL, *destination = NULL;
        BindMount *l;
        uint8_t flags;
        int r;

        r = get_pair(p, len, &flags, &source, &destination);
        if (r < 0)
                return r;
        if (flags > 7 || source[0] != '/' || destination[0] != '/')
                return -EBADMSG;
        l = realloc(s->bind_mounts, (s->n_bind_mounts + 1) * sizeof(BindMount));
        if (!l)
                return -ENOMEM;
        s->bind_mounts = l;
        l[s->n_bind_mounts++] = (BindMount) {
                .source = TAKE_PTR(source),
                .destination = TAKE_PTR(destination),
                .read_only = flags & 1,
                .ignore_missing = flags & 2,
                .recursive = flags & 4,
        };
        return 0;
}

static int append_tmpfs(SandboxSpec *s, const uint8_t *p, uint32_t len) {
        _cleanup_free_ char *path = NULL, *options = NULL;
        TemporaryFileSystem *l;
        uint8_t flags;
        int r;

        r = get_pair(p, len, &flags, &path, &options);
        if (r < 0)
                return r;
        if (flags != 0 || path[0] != '/')
                return -EBADMSG;
        l = realloc(s->temporary_filesystems, (s->n_temporary_filesystems + 1) * sizeof(TemporaryFileSystem));
        if (!l)
                return -ENOMEM;
        s->temporary_filesystems = l;
        l[s->n_temporary_filesystems++] = (TemporaryFileSystem) { .path = TAKE_PTR(path), .options = TAKE_PTR(options) };
        return 0;
}

static int append_family(SandboxSpec *s, int family) {
        int *n = realloc(s->address_families, (s->n_address_families + 1) * sizeof(int));
        if (!n)
                return -ENOMEM;
        s->address_families = n;
        s->address_families[s->n_address_families++] = family;
        return 0;
}

static int apply_rlimit(SandboxSpec *s, const uint8_t *p, uint32_t len) {
        uint32_t resource;

        if (len != 21 || p[20] == 0 || p[20] > 3)
                return -EBADMSG;
        memcpy(&resource, p, 4);
        if (resource >= SANDBOX_RLIMIT_MAX)
                return -EBADMSG;
        s->rlimits[resource].set = true;
        memcpy(&s->rlimits[resource].soft, p + 4, 8);
        memcpy(&s->rlimits[resource].hard, p + 12, 8);
        s->rlimits[resource].soft_set = p[20] & 1;
        s->rlimits[resource].hard_set = p[20] & 2;
        if (p[20] == 3 && s->rlimits[resource].soft > s->rlimits[resource].hard)
                return -EBADMSG;
        return 0;
}

static int append_device_rule(SandboxSpec *s, const uint8_t *p, uint32_t len) {
        _cleanup_free_ char *path = NULL;
        DeviceRule d = {};
        int r;

        if (len < DEVICE_RULE_HEADER)
                return -EBADMSG;
        d.type = (DeviceType) p[0];
        d.access = p[1];
        memcpy(&d.major, p + 2, 4);
        memcpy(&d.minor, p + 6, 4);
        if ((d.type != DEVICE_TYPE_CHAR && d.type != DEVICE_TYPE_BLOCK) || d.access == 0 ||
            (d.access & ~DEVICE_ACCESS_ALL))
                return -EBADMSG;
        if (len > DEVICE_RULE_HEADER) {
                r = get_string(p + DEVICE_RULE_HEADER, len - DEVICE_RULE_HEADER, &path);
                if (r < 0)
                        return r;
                if (device_node_kind(path) != DEVICE_NODE_PATH)
                        return -EBADMSG;
        }
        d.path = path;
        r = device_rules_add(&s->device_rules, &s->n_device_rules, &d);
        return r == -E2BIG ? -EBADMSG : r;
}

static int append_seccomp_program(SandboxSpec *s, const uint8_t *p, uint32_t len) {
        _cleanup_free_ char *what = NULL;
        _cleanup_free_ void *code = NULL;
        const uint8_t *nul = memchr(p, 0, len);
        SeccompProgram *l;
        size_t size;
        int r;

        if (!nul || nul == p || s->n_seccomp_programs >= SECCOMP_PROGRAMS_MAX)
                return -EBADMSG;
        size = len - (size_t) (nul + 1 - p);
        if (size == 0 || size % SECCOMP_INSN_SIZE != 0 || size / SECCOMP_INSN_SIZE > SECCOMP_INSNS_MAX)
                return -EBADMSG;
        r = get_string(p, (uint32_t) (nul - p), &what);
        if (r < 0)
                return r;
        code = malloc(size);
        if (!code)
                return -ENOMEM;
        memcpy(code, nul + 1, size);
        l = realloc(s->seccomp_programs, (s->n_seccomp_programs + 1) * sizeof(SeccompProgram));
        if (!l)
                return -ENOMEM;
        s->seccomp_programs = l;
        l[s->n_seccomp_programs++] = (SeccompProgram) { .what = TAKE_PTR(what), .code = TAKE_PTR(code), .size = size };
        return 0;
}

/* A directory as the daemon resolved it: an absolute root, the same for every path of its type. */
static int append_directory(SandboxSpec *s, const uint8_t *p, uint32_t len) {
        _cleanup_free_ char *root = NULL, *path = NULL;
        ExecDirectory *d;
        uint8_t type;
        int r;

        r = get_pair(p, len, &type, &root, &path);
        if (r < 0)
                return r;
        if (type >= _EXEC_DIRECTORY_TYPE_MAX || !path_is_normalized_absolute(root) ||
            !exec_directory_path_is_valid(path))
                return -EBADMSG;
        d = s->directories + type;
        if (d->root ? !streq(d->root, root) : d->paths != NULL)
                return -EBADMSG;
        if (strv_length(d->paths) >= EXEC_DIRECTORY_PATHS_MAX)
                return -EBADMSG;
        if (!d->root)
                d->root = TAKE_PTR(root);
        return strv_consume(&d->paths, TAKE_PTR(path));
}

static int append_group(SandboxSpec *s, gid_t g) {
        gid_t *n = realloc(s->groups, (s->n_groups + 1) * sizeof(gid_t));
        if (!n)
                return -ENOMEM;
        s->groups = n;
        s->groups[s->n_groups++] = g;
        return 0;
}

static int read_stdio(SandboxSpec *s, const uint8_t *p, uint32_t len) {
        _cleanup_free_ char *path = NULL, *unused = NULL;
        uint8_t flags;
        int stream, mode, r;

        r = get_pair(p, len, &flags, &path, &unused);
        if (r < 0)
                return r;
        stream = flags & 3;
        mode = flags >> 2;
        if (stream > 2 || mode <= STDIO_UNSET || mode >= _STDIO_MODE_MAX || s->stdio_mode[stream] != STDIO_UNSET)
                return -EBADMSG;
        if ((mode >= STDIO_FILE && mode <= STDIO_TRUNCATE) != (path[0] == '/'))
                return -EBADMSG;
        s->stdio_mode[stream] = mode;
        if (path[0])
                s->stdio_path[stream] = TAKE_PTR(path);
        return 0;
}

static int read_load_credential(SandboxSpec *s, const uint8_t *p, uint32_t len) {
        _cleanup_free_ char *id = NULL, *path = NULL;
        LoadCredential *n;
        uint8_t flags;
        int r;

        r = get_pair(p, len, &flags, &id, &path);
        if (r < 0)
                return r;
        if (flags != 0 || !id[0] || path[0] != '/' || s->n_load_credentials >= 4096)
                return -EBADMSG;
        n = realloc(s->load_credentials, (s->n_load_credentials + 1) * sizeof(LoadCredential));
        if (!n)
                return -ENOMEM;
        s->load_credentials = n;
        n[s->n_load_credentials++] = (LoadCredential) { .id = TAKE_PTR(id), .path = TAKE_PTR(path) };
        return 0;
}

static int read_set_credential(SandboxSpec *s, const uint8_t *p, uint32_t len) {
        const uint8_t *nul = memchr(p, 0, len);
        _cleanup_free_ char *id = NULL;
        _cleanup_free_ uint8_t *data = NULL;
        size_t size;
        SetCredential *n;
        int r;

        if (!nul || nul == p || s->n_set_credentials >= 4096)
                return -EBADMSG;
        r = get_string(p, (uint32_t) (nul - p), &id);
        if (r < 0)
                return r;
        size = len - (size_t) (nul - p) - 1;
        data = malloc(size ?: 1);
        if (!data)
                return -ENOMEM;
        if (size)
                memcpy(data, nul + 1, size);
        n = realloc(s->set_credentials, (s->n_set_credentials + 1) * sizeof(SetCredential));
        if (!n)
                return -ENOMEM;
        s->set_credentials = n;
        n[s->n_set_credentials++] = (SetCredential) { .id = TAKE_PTR(id), .data = TAKE_PTR(data), .size = size };
        return 0;
}

static int apply_record(SandboxSpec *s, uint32_t tag, const uint8_t *p, uint32_t len) {
        char *str = NULL;
        uint32_t u = 0;
        uint64_t v64 = 0;
        bool b = false;
        int r;

        switch (tag) {
        case TAG_ARGV:
        case TAG_ENV:
                r = get_string(p, len, &str);
                if (r < 0)
                        return r;
                return strv_consume(tag == TAG_ARGV ? &s->argv : &s->environment, str);
        case TAG_WORKING_DIRECTORY:
                if (s->working_directory)
                        return -EBADMSG;
                return get_string(p, len, &s->working_directory);
        case TAG_UID:
                r = get_u32(p, len, &u);
                s->uid = u;
                return r;
        case TAG_GID:
                r = get_u32(p, len, &u);
                s->gid = u;
                return r;
        case TAG_GROUP:
                r = get_u32(p, len, &u);
                return r < 0 ? r : append_group(s, u);
        case TAG_NO_NEW_PRIVILEGES:
                r = get_bool(p, len, &b);
                s->no_new_privileges = b;
                return r;
        case TAG_CAPABILITY_BOUNDING_SET:
                if (len != sizeof(uint64_t))
                        return -EBADMSG;
                memcpy(&s->capability_bounding_set, p, sizeof(uint64_t));
                s->capability_bounding_set_set = true;
                return 0;
        case TAG_AMBIENT_CAPABILITIES:
                return get_u64(p, len, &s->ambient_capabilities);
        case TAG_BOOLS:
                r = get_u64(p, len, &v64);
                if (r >= 0)
                        bools_unpack(s, v64);
                return r;
        case TAG_PROTECT_SYSTEM:
                r = get_u32(p, len, &u);
                if (r >= 0 && u >= _PROTECT_SYSTEM_MAX)
                        return -EBADMSG;
                s->protect_system = (ProtectSystem) u;
                return r;
        case TAG_PROTECT_HOME:
                r = get_u32(p, len, &u);
                if (r >= 0 && u >= _PROTECT_HOME_MAX)
                        return -EBADMSG;
                s->protect_home = (ProtectHome) u;
                return r;
        case TAG_PROTECT_PROC:
                r = get_u32(p, len, &u);
                if (r >= 0 && u >= _PROTECT_PROC_MAX)
                        return -EBADMSG;
                s->protect_proc = (ProtectProc) u;
                return r;
        case TAG_PROC_SUBSET:
                r = get_u32(p, len, &u);
                if (r >= 0 && u >= _PROC_SUBSET_MAX)
                        return -EBADMSG;
                s->proc_subset = (ProcSubset) u;
                return r;
        case TAG_ROOT_DIRECTORY:
                if (s->root_directory)
                        return -EBADMSG;
                return get_string(p, len, &s->root_directory);
        case TAG_READ_WRITE_PATH:
                return append_path(&s->read_write_paths, &s->n_read_write_paths, p, len);
        case TAG_READ_ONLY_PATH:
                return append_path(&s->read_only_paths, &s->n_read_only_paths, p, len);
        case TAG_INACCESSIBLE_PATH:
                return append_path(&s->inaccessible_paths, &s->n_inaccessible_paths, p, len);
        case TAG_TIMER_SLACK:
                return get_u64(p, len, &s->timer_slack_nsec);
        case TAG_COREDUMP_FILTER:
                r = get_u64(p, len, &s->coredump_filter);
                s->coredump_filter_set = true;
                return r < 0 ? r : (s->coredump_filter & ~COREDUMP_FILTER_ALL ? -EBADMSG : 0);
        case TAG_OOM_SCORE_ADJUST:
                r = get_u32(p, len, &u);
                s->oom_score_adjust = (int32_t) u;
                s->oom_score_adjust_set = true;
                return r < 0 ? r : (s->oom_score_adjust < -1000 || s->oom_score_adjust > 1000 ? -EBADMSG : 0);
        case TAG_CPU_AFFINITY:
                if (len == 0 || len > CPU_SET_MAX_CPUS / 8 || s->cpu_affinity)
                        return -EBADMSG;
                s->cpu_affinity = malloc(len);
                if (!s->cpu_affinity)
                        return -ENOMEM;
                memcpy(s->cpu_affinity, p, len);
                s->cpu_affinity_size = len;
                return 0;
        case TAG_IOPRIO: {
                int32_t io[2];
                if (len != sizeof io)
                        return -EBADMSG;
                memcpy(io, p, sizeof io);
                if (!ioprio_class_to_string(io[0]) || io[1] < 0 || io[1] > 7)
                        return -EBADMSG;
                s->ioprio_class = io[0];
                s->ioprio_priority = io[1];
                return 0;
        }
        case TAG_CPU_SCHED: {
                int32_t sched[3];
                if (len != sizeof sched)
                        return -EBADMSG;
                memcpy(sched, p, sizeof sched);
                if (!sched_policy_to_string(sched[0]) || sched[1] < 0 || sched[1] > 99 || sched[2] < 0 || sched[2] > 1)
                        return -EBADMSG;
                s->cpu_sched_policy = sched[0];
                s->cpu_sched_priority = sched[1];
                s->cpu_sched_reset_on_fork = sched[2];
                return 0;
        }
        case TAG_STDIO:
                return read_stdio(s, p, len);
        case TAG_STDIN_DATA:
                if (len == 0 || s->stdin_data)
                        return -EBADMSG;
                s->stdin_data = malloc(len);
                if (!s->stdin_data)
                        return -ENOMEM;
                memcpy(s->stdin_data, p, len);
                s->stdin_data_size = len;
                return 0;
        case TAG_ENVIRONMENT_FILE:
        case TAG_UNSET_ENVIRONMENT:
                r = get_string(p, len, &str);
                if (r < 0)
                        return r;
                return strv_consume(tag == TAG_ENVIRONMENT_FILE ? &s->environment_files : &s->unset_environment, str);
        case TAG_LOAD_CREDENTIAL:
                return read_load_credential(s, p, len);
        case TAG_SET_CREDENTIAL:
                return read_set_credential(s, p, len);
        case TAG_NO_EXEC_PATH:
                return append_path(&s->no_exec_paths, &s->n_no_exec_paths, p, len);
        case TAG_EXEC_PATH:
                return append_path(&s->exec_paths, &s->n_exec_paths, p, len);
        case TAG_BIND_MOUNT:
                return append_bind(s, p, len);
        case TAG_TEMPORARY_FILESYSTEM:
                return append_tmpfs(s, p, len);
        case TAG_SYSCALL_FILTER_MODE:
                r = get_u32(p, len, &u);
                s->syscall_filter_mode = (int32_t) u;
                return r < 0 ? r : (s->syscall_filter_mode < -1 || s->syscall_filter_mode > 1 ? -EBADMSG : 0);
        case TAG_SYSCALL_NAME:
                r = get_string(p, len, &str);
                if (r < 0)
                        return r;
                return strv_consume(&s->syscall_names, str);
        case TAG_SYSCALL_ERRNO:
                r = get_u32(p, len, &u);
                s->syscall_errno = (int32_t) u;
                return r < 0 ? r : (s->syscall_errno < 0 || s->syscall_errno > 4095 ? -EBADMSG : 0);
        case TAG_RESTRICT_NAMESPACES:
                return get_u64(p, len, &s->restrict_namespaces);
        case TAG_SYSCALL_LOG_MODE:
                r = get_u32(p, len, &u);
                s->syscall_log_mode = (int32_t) u;
                return r < 0 ? r : (s->syscall_log_mode < -1 || s->syscall_log_mode > 1 ? -EBADMSG : 0);
        case TAG_SYSCALL_LOG_NAME:
                r = get_string(p, len, &str);
                if (r < 0)
                        return r;
                return strv_consume(&s->syscall_log_names, str);
        case TAG_ADDRESS_FAMILY_MODE:
                r = get_u32(p, len, &u);
                s->address_family_mode = (int32_t) u;
                return r < 0 ? r : (s->address_family_mode < -1 || s->address_family_mode > 1 ? -EBADMSG : 0);
        case TAG_ADDRESS_FAMILY:
                r = get_u32(p, len, &u);
                return r < 0 ? r : append_family(s, (int) u);
        case TAG_RLIMIT:
                return apply_rlimit(s, p, len);
        case TAG_UMASK:
                r = get_u32(p, len, &u);
                s->umask = (int32_t) u;
                return r < 0 ? r : (s->umask < -1 || s->umask > 0777 ? -EBADMSG : 0);
        case TAG_NICE:
                r = get_u32(p, len, &u);
                s->nice = (int32_t) u;
                return r < 0 ? r : (s->nice < -20 || s->nice > 19 ? -EBADMSG : 0);
        case TAG_DEVICE_POLICY:
                r = get_u32(p, len, &u);
                if (r >= 0 && u >= _DEVICE_POLICY_MAX)
                        return -EBADMSG;
                s->device_policy = (DevicePolicy) u;
                return r;
        case TAG_DEVICE_RULE:
                return append_device_rule(s, p, len);
        case TAG_DIRECTORY:
                return append_directory(s, p, len);
        case TAG_DIRECTORY_MODE:
                r = get_u32(p, len, &u);
                if (r >= 0 && ((u >> 16) >= _EXEC_DIRECTORY_TYPE_MAX || (u & 0xffff) > 07777))
                        return -EBADMSG;
                if (r >= 0)
                        s->directories[u >> 16].mode = u & 0xffff;
                return r;
        case TAG_KEYRING_MODE:
                r = get_u32(p, len, &u);
                if (r >= 0 && u >= _KEYRING_MODE_MAX)
                        return -EBADMSG;
                s->keyring_mode = (KeyringMode) u;
                return r;
        case TAG_PERSONALITY:
                r = get_u32(p, len, &u);
                s->personality = (int32_t) u;
                return r < 0 ? r : (s->personality != -1 && !personality_to_string((unsigned long) s->personality) ? -EBADMSG : 0);
        case TAG_SECURE_BITS:
                r = get_u32(p, len, &u);
                s->secure_bits = (int32_t) u;
                return r < 0 ? r : (u & ~SECURE_BITS_ALL ? -EBADMSG : 0);
        case TAG_SECCOMP_PROGRAM:
                return append_seccomp_program(s, p, len);
        case TAG_NEST_FD:
                r = get_u32(p, len, &u);
                s->nest_fd = (int32_t) u;
                return r < 0 ? r : (s->nest_fd < 3 || s->nest_fd > 65535 ? -EBADMSG : 0);
        case TAG_NETNS_FD:
                r = get_u32(p, len, &u);
                s->netns_fd = (int32_t) u;
                return r < 0 ? r : (s->netns_fd < 3 || s->netns_fd > 65535 ? -EBADMSG : 0);
        case TAG_EXTRA_FD_NAME:
                r = get_string(p, len, &str);
                if (r < 0)
                        return r;
                r = sandbox_spec_add_extra_fd(s, -EBADF, str);
                free(str);
                return r;
        default:
                return -EBADMSG;
        }
}

int spec_deserialize(const uint8_t *data, size_t size, SandboxSpec **ret) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *s = NULL;
        uint32_t tag, len, magic;
        size_t off = 0;
        int r;

        if (size < 12)
                return -EBADMSG;
        memcpy(&tag, data, 4);
        memcpy(&len, data + 4, 4);
        memcpy(&magic, data + 8, 4);
        if (tag != 0 || len != 4 || magic != SPEC_MAGIC)
                return -EBADMSG;
        off = 12;

        s = sandbox_spec_new();
        if (!s)
                return -ENOMEM;

        while (off < size) {
                if (size - off < 8)
                        return -EBADMSG;
                memcpy(&tag, data + off, 4);
                memcpy(&len, data + off + 4, 4);
                off += 8;
                if (len > size - off)
                        return -EBADMSG;
                r = apply_record(s, tag, data + off, len);
                if (r < 0)
                        return r;
                off += len;
        }

        if (strv_length(s->argv) == 0)
                return -EBADMSG;

        *ret = TAKE_PTR(s);
        return 0;
}

int spec_serialize_to_memfd(const SandboxSpec *s, int *ret_fd) {
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ uint8_t *data = NULL;
        size_t size, done = 0;
        int r;

        r = spec_serialize(s, &data, &size);
        if (r < 0)
                return r;

        fd = memfd_create("confine-spec", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        if (fd < 0)
                return -errno;

        while (done < size) {
                ssize_t n = write(fd, data + done, size - done);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                done += (size_t) n;
        }

        if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0)
                return -errno;

        *ret_fd = TAKE_FD(fd);
        return 0;
}

int spec_deserialize_from_fd(int fd, SandboxSpec **ret) {
        struct stat st;
        void *p;
        int r;

        if (fstat(fd, &st) < 0)
                return -errno;
        if (!S_ISREG(st.st_mode) || st.st_size <= 0 || (uint64_t) st.st_size > SPEC_MAX_SIZE)
                return -EBADMSG;

        p = mmap(NULL, (size_t) st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED)
                return -errno;
        r = spec_deserialize(p, (size_t) st.st_size, ret);
        (void) munmap(p, (size_t) st.st_size);
        return r;
}

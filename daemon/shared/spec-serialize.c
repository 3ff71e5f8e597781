/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "spec-serialize.h"
#include "strv.h"

#define SPEC_MAGIC UINT32_C(0x43464e31) /* "CFN1" */
#define SPEC_MAX_SIZE (64u * 1024u * 1024u)

typedef enum SpecTag {
        TAG_ARGV = 1,
        TAG_ENV,
        TAG_WORKING_DIRECTORY,
        TAG_UID,
        TAG_GID,
        TAG_GROUP,
        TAG_NO_NEW_PRIVILEGES,
        TAG_CAPABILITY_BOUNDING_SET,
        TAG_PRIVATE_NETWORK,
        TAG_PRIVATE_TMP,
        TAG_EXTRA_FD_NAME,
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

static void put_bool(Writer *w, uint32_t tag, bool v) {
        uint8_t b = v;
        put(w, tag, &b, 1);
}

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
        put_bool(&w, TAG_PRIVATE_NETWORK, s->private_network);
        put_bool(&w, TAG_PRIVATE_TMP, s->private_tmp);
        for (size_t i = 0; i < s->n_extra_fds; i++)
                put(&w, TAG_EXTRA_FD_NAME, s->extra_fds[i].name, strlen(s->extra_fds[i].name));

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

static int append_group(SandboxSpec *s, gid_t g) {
        gid_t *n = realloc(s->groups, (s->n_groups + 1) * sizeof(gid_t));
        if (!n)
                return -ENOMEM;
        s->groups = n;
        s->groups[s->n_groups++] = g;
        return 0;
}

static int apply_record(SandboxSpec *s, uint32_t tag, const uint8_t *p, uint32_t len) {
        char *str = NULL;
        uint32_t u = 0;
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
        case TAG_PRIVATE_NETWORK:
                return get_bool(p, len, &s->private_network);
        case TAG_PRIVATE_TMP:
                return get_bool(p, len, &s->private_tmp);
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

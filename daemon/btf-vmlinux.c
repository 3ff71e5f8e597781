/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The few facts a BPF LSM program needs from the running kernel's BTF (/sys/kernel/btf/vmlinux):
 * the type id of the hook's function, which the program is loaded against, and the offsets of the
 * struct members it reads. The format is the kernel's Documentation/bpf/btf.rst: a header, then the
 * type section (each type a struct btf_type and its kind's trailing data), then the strings. */
#include <errno.h>
#include <fcntl.h>
#include <linux/btf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "btf-vmlinux.h"
#include "macro.h"

#define VMLINUX_BTF "/sys/kernel/btf/vmlinux"
#define VMLINUX_BTF_MAX (64u << 20)

struct BtfVmlinux {
        uint8_t *data;
        size_t size;
        const char *strings;
        uint32_t strings_len;
        const struct btf_type **types; /* by id; types[0] is void */
        uint32_t n_types;
};

static size_t btf_type_extra(const struct btf_type *t) {
        uint32_t vlen = BTF_INFO_VLEN(t->info);

        switch (BTF_INFO_KIND(t->info)) {
        case BTF_KIND_INT:
        case BTF_KIND_VAR:
        case BTF_KIND_DECL_TAG:
                return 4;
        case BTF_KIND_ARRAY:
                return sizeof(struct btf_array);
        case BTF_KIND_STRUCT:
        case BTF_KIND_UNION:
        case BTF_KIND_DATASEC:
        case 19: /* BTF_KIND_ENUM64 */
                return (size_t) vlen * 12;
        case BTF_KIND_ENUM:
        case BTF_KIND_FUNC_PROTO:
                return (size_t) vlen * 8;
        default:
                return 0;
        }
}

static const char *btf_name(const BtfVmlinux *b, uint32_t off) {
        return off < b->strings_len ? b->strings + off : "";
}

BtfVmlinux *btf_vmlinux_free(BtfVmlinux *b) {
        if (!b)
                return NULL;
        free(b->types);
        free(b->data);
        free(b);
        return NULL;
}

static int read_all(const char *path, uint8_t **ret, size_t *ret_size) {
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
        _cleanup_free_ uint8_t *buf = NULL;
        size_t size = 0, alloc = 0;

        if (fd < 0)
                return -errno;
        for (;;) {
                ssize_t k;

                if (size == alloc) {
                        uint8_t *p;
                        if (alloc >= VMLINUX_BTF_MAX)
                                return -EFBIG;
                        alloc = alloc ? alloc * 2 : 8u << 20;
                        p = realloc(buf, alloc);
                        if (!p)
                                return -ENOMEM;
                        buf = p;
                }
                k = read(fd, buf + size, alloc - size);
                if (k < 0)
                        return -errno;
                if (k == 0)
                        break;
                size += (size_t) k;
        }
        *ret = TAKE_PTR(buf);
        *ret_size = size;
        return 0;
}

int btf_vmlinux_load(BtfVmlinux **ret) {
        _cleanup_(btf_vmlinux_freep) BtfVmlinux *b = calloc(1, sizeof(BtfVmlinux));
        const struct btf_header *h;
        size_t pos, end, cap = 0;
        int r;

        if (!b)
                return -ENOMEM;
        r = read_all(VMLINUX_BTF, &b->data, &b->size);
        if (r < 0)
                return r;
        h = (const struct btf_header *) b->data;
        if (b->size < sizeof *h || h->magic != BTF_MAGIC || h->hdr_len > b->size ||
            (uint64_t) h->hdr_len + h->type_off + h->type_len > b->size ||
            (uint64_t) h->hdr_len + h->str_off + h->str_len > b->size)
                return -EBADMSG;
        b->strings = (const char *) b->data + h->hdr_len + h->str_off;
        b->strings_len = h->str_len;

        pos = h->hdr_len + h->type_off;
        end = pos + h->type_len;
        b->n_types = 1; /* id 0, void */
        while (pos + sizeof(struct btf_type) <= end) {
                const struct btf_type *t = (const struct btf_type *) (b->data + pos);

                if (b->n_types >= cap) {
                        const struct btf_type **p;
                        cap = cap ? cap * 2 : 65536;
                        p = realloc(b->types, cap * sizeof *p);
                        if (!p)
                                return -ENOMEM;
                        b->types = p;
                        b->types[0] = NULL;
                }
                b->types[b->n_types++] = t;
                pos += sizeof(struct btf_type) + btf_type_extra(t);
        }
        if (pos != end)
                return -EBADMSG;
        *ret = TAKE_PTR(b);
        return 0;
}

int btf_vmlinux_find(const BtfVmlinux *b, unsigned kind, const char *name, uint32_t *ret_id) {
        for (uint32_t id = 1; id < b->n_types; id++) {
                const struct btf_type *t = b->types[id];
                if (BTF_INFO_KIND(t->info) == kind && streq(btf_name(b, t->name_off), name) &&
                    (kind != BTF_KIND_STRUCT || BTF_INFO_VLEN(t->info) > 0)) {
                        *ret_id = id;
                        return 0;
                }
        }
        return -ENOENT;
}

/* Looks into anonymous struct and union members too, adding their offsets. */
static int member_offset(const BtfVmlinux *b, uint32_t id, const char *member, unsigned depth, uint32_t *ret_bits) {
        const struct btf_type *t;
        const struct btf_member *m;

        if (id == 0 || id >= b->n_types || depth > 8)
                return -ENOENT;
        t = b->types[id];
        if (BTF_INFO_KIND(t->info) != BTF_KIND_STRUCT && BTF_INFO_KIND(t->info) != BTF_KIND_UNION)
                return -ENOENT;
        m = (const struct btf_member *) (t + 1);
        for (uint32_t i = 0; i < BTF_INFO_VLEN(t->info); i++, m++) {
                uint32_t bits = BTF_INFO_KFLAG(t->info) ? BTF_MEMBER_BIT_OFFSET(m->offset) : m->offset, inner;
                const char *n = btf_name(b, m->name_off);

                if (streq(n, member)) {
                        *ret_bits = bits;
                        return 0;
                }
                if (!n[0] && member_offset(b, m->type, member, depth + 1, &inner) >= 0) {
                        *ret_bits = bits + inner;
                        return 0;
                }
        }
        return -ENOENT;
}

int btf_vmlinux_member_offset(const BtfVmlinux *b, const char *type, const char *member, int16_t *ret) {
        uint32_t id, bits;
        int r;

        r = btf_vmlinux_find(b, BTF_KIND_STRUCT, type, &id);
        if (r < 0)
                return r;
        r = member_offset(b, id, member, 0, &bits);
        if (r < 0)
                return r;
        if (bits % 8 != 0 || bits / 8 > INT16_MAX)
                return -ERANGE;
        *ret = (int16_t) (bits / 8);
        return 0;
}

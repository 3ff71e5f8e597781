/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The device side of DeviceAllow=/DevicePolicy=: resolving the entries into device numbers, and
 * the BPF_PROG_TYPE_CGROUP_DEVICE program that enforces them on the job's cgroup.
 *
 * The kernel runs the program on every open() of a device node and every mknod() by a process of
 * the cgroup, with a struct bpf_cgroup_dev_ctx: access_type (the BPF_DEVCG_ACC_* bits << 16 | the
 * BPF_DEVCG_DEV_* type), major and minor. Returning 1 allows, 0 denies with EPERM. The program is
 * one block per rule, each of which either allows or falls through to the next; after the last
 * one, deny:
 *
 *      r2 = ctx->access_type & 0xffff           the type
 *      r3 = ctx->access_type >> 16              the access asked for
 *      r4 = ctx->major
 *      r5 = ctx->minor
 *   rule:
 *      if r2 != TYPE goto next
 *      if r4 != MAJOR goto next                 (not for "any major")
 *      if r5 != MINOR goto next                 (not for a class)
 *      r1 = r3 & ~ACCESS; if r1 != 0 goto next  (not when the rule grants rwm)
 *      r0 = 1; exit
 *   next: …
 *      r0 = 0; exit
 *
 * device_rules_allow() in device-policy.c decides the same way, without the kernel. */
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "bpf-devices.h"
#include "log.h"
#include "macro.h"
#include "property-appliers.h"

_Static_assert(DEVICE_ACCESS_MKNOD == BPF_DEVCG_ACC_MKNOD, "access bits");
_Static_assert(DEVICE_ACCESS_READ == BPF_DEVCG_ACC_READ, "access bits");
_Static_assert(DEVICE_ACCESS_WRITE == BPF_DEVCG_ACC_WRITE, "access bits");
_Static_assert((int) DEVICE_TYPE_BLOCK == (int) BPF_DEVCG_DEV_BLOCK, "device types");
_Static_assert((int) DEVICE_TYPE_CHAR == (int) BPF_DEVCG_DEV_CHAR, "device types");

#define PROC_DEVICES_MAX (64 * 1024)

/* ---- resolving DeviceAllow= ---- */

/* A node below /dev: symlinks are followed only while they stay below it. */
static int stat_device_node(const char *path, struct stat *ret) {
        struct open_how how = {
                .flags = O_PATH | O_CLOEXEC,
                .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
        };
        _cleanup_close_ int dev = open("/dev", O_PATH | O_DIRECTORY | O_CLOEXEC), fd = -EBADF;

        if (dev < 0)
                return negative_errno();
        for (unsigned attempt = 0; attempt < 8; attempt++) {
                fd = (int) syscall(SYS_openat2, dev, path + strlen("/dev/"), &how, sizeof how);
                if (fd >= 0 || errno != EAGAIN)
                        break;
        }
        if (fd < 0)
                return negative_errno();
        if (fstat(fd, ret) < 0)
                return negative_errno();
        return 0;
}

static int read_proc_devices(char **ret) {
        _cleanup_close_ int fd = open("/proc/devices", O_RDONLY | O_CLOEXEC | O_NOCTTY);
        _cleanup_free_ char *buf = NULL;
        size_t size = 0;
        ssize_t l;

        if (fd < 0)
                return negative_errno();
        buf = malloc(PROC_DEVICES_MAX);
        if (!buf)
                return -ENOMEM;
        while (size < PROC_DEVICES_MAX - 1) {
                l = read(fd, buf + size, PROC_DEVICES_MAX - 1 - size);
                if (l < 0 && errno == EINTR)
                        continue;
                if (l < 0)
                        return negative_errno();
                if (l == 0)
                        break;
                size += (size_t) l;
        }
        buf[size] = 0;
        *ret = TAKE_PTR(buf);
        return 0;
}

static int add_path_rule(DeviceRule **rules, size_t *n, const DeviceAllow *a, char **ret_message) {
        struct stat st;
        DeviceRule rule;
        int r;

        r = stat_device_node(a->node, &st);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return property_fail(ret_message, -EINVAL, "DeviceAllow: %s: %s", a->node,
                                     r == -EXDEV ? "leads out of /dev" : strerror(-r));
        if (!S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode))
                return property_fail(ret_message, -EINVAL, "DeviceAllow: %s is not a device node", a->node);
        rule = (DeviceRule) {
                .type = S_ISCHR(st.st_mode) ? DEVICE_TYPE_CHAR : DEVICE_TYPE_BLOCK,
                .major = major(st.st_rdev),
                .minor = minor(st.st_rdev),
                .access = a->access,
                .path = a->node,
        };
        return device_rules_add(rules, n, &rule);
}

static int add_class_rules(DeviceRule **rules, size_t *n, const DeviceAllow *a, DeviceNodeKind kind,
                           bool may_be_missing, char **proc_devices, char **ret_message) {
        DeviceType type = kind == DEVICE_NODE_CHAR_CLASS ? DEVICE_TYPE_CHAR : DEVICE_TYPE_BLOCK;
        const char *name = a->node + (type == DEVICE_TYPE_CHAR ? strlen("char-") : strlen("block-"));
        _cleanup_free_ uint32_t *majors = NULL;
        int k, r;

        if (!*proc_devices) {
                r = read_proc_devices(proc_devices);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        return property_fail(ret_message, -EINVAL, "DeviceAllow: %s: cannot read /proc/devices: %s",
                                             a->node, strerror(-r));
        }
        k = device_class_majors(*proc_devices, type, name, &majors);
        if (k < 0)
                return k;
        if (k == 0 && may_be_missing)
                return 0;
        if (k == 0)
                return property_fail(ret_message, -EINVAL, "DeviceAllow: %s: no such %s device class in /proc/devices",
                                     a->node, type == DEVICE_TYPE_CHAR ? "character" : "block");
        for (int i = 0; i < k; i++) {
                DeviceRule rule = {
                        .type = type,
                        .major = majors[i],
                        .minor = DEVICE_NUMBER_ANY,
                        .access = a->access,
                };
                r = device_rules_add(rules, n, &rule);
                if (r < 0)
                        return r;
        }
        return 0;
}

int bpf_devices_resolve(SandboxSpec *spec, char **ret_message) {
        _cleanup_free_ char *proc_devices = NULL;
        DeviceRule *rules = NULL;
        size_t n = 0;
        int r = 0;

        if (!device_policy_restricts(spec->device_policy, spec->n_device_allow))
                return 0;

        r = device_rules_add_inaccessible(&rules, &n);
        if (r >= 0 && spec->device_policy != DEVICE_POLICY_STRICT)
                r = device_rules_add_defaults(&rules, &n);
        for (size_t i = 0; r >= 0 && i < spec->n_device_allow; i++) {
                const DeviceAllow *a = spec->device_allow + i;
                int kind = device_node_kind(a->node);

                if (kind < 0)
                        r = property_fail(ret_message, -EINVAL, "DeviceAllow: invalid device \"%s\"", a->node);
                else if (kind == DEVICE_NODE_PATH)
                        r = add_path_rule(&rules, &n, a, ret_message);
                else
                        /* The char-rtc that ProtectClock= implies: a host without a real-time clock has
                         * nothing to allow, which is no error (systemd skips it too). */
                        r = add_class_rules(&rules, &n, a, kind, spec->protect_clock && streq(a->node, "char-rtc"),
                                            &proc_devices, ret_message);
        }
        if (r == -E2BIG)
                r = property_fail(ret_message, -EINVAL, "DeviceAllow: more than %u devices and classes once resolved",
                                  DEVICE_RULES_MAX);
        if (r < 0) {
                device_rules_free(rules, n);
                return r;
        }

        device_rules_free(spec->device_rules, spec->n_device_rules);
        spec->device_rules = rules;
        spec->n_device_rules = n;
        return 0;
}

/* ---- the program ---- */

static struct bpf_insn insn_load_ctx(uint8_t reg, int16_t offset) {
        return (struct bpf_insn) { .code = BPF_LDX | BPF_MEM | BPF_W, .dst_reg = reg, .src_reg = BPF_REG_1, .off = offset };
}

static struct bpf_insn insn_alu32_imm(uint8_t op, uint8_t reg, int32_t imm) {
        return (struct bpf_insn) { .code = BPF_ALU | op | BPF_K, .dst_reg = reg, .imm = imm };
}

static struct bpf_insn insn_mov32_reg(uint8_t dst, uint8_t src) {
        return (struct bpf_insn) { .code = BPF_ALU | BPF_MOV | BPF_X, .dst_reg = dst, .src_reg = src };
}

static struct bpf_insn insn_jne_imm(uint8_t reg, int32_t imm, int16_t offset) {
        return (struct bpf_insn) { .code = BPF_JMP | BPF_JNE | BPF_K, .dst_reg = reg, .off = offset, .imm = imm };
}

static struct bpf_insn insn_return(int32_t value) {
        return (struct bpf_insn) { .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = value };
}

static struct bpf_insn insn_exit(void) {
        return (struct bpf_insn) { .code = BPF_JMP | BPF_EXIT };
}

/* Appends the block of one rule at *pos. Every test jumps past the end of the block. */
static void emit_rule(struct bpf_insn *insns, size_t *pos, const DeviceRule *rule) {
        bool full_access = (rule->access & DEVICE_ACCESS_ALL) == DEVICE_ACCESS_ALL;
        int16_t length = (int16_t) (1 + (rule->major != DEVICE_NUMBER_ANY) + (rule->minor != DEVICE_NUMBER_ANY) +
                                    (full_access ? 0 : 3) + 2);
        size_t start = *pos;
#define TO_NEXT ((int16_t) (length - (int16_t) (*pos - start) - 1))

        insns[*pos] = insn_jne_imm(BPF_REG_2, (int32_t) rule->type, TO_NEXT);
        (*pos)++;
        if (rule->major != DEVICE_NUMBER_ANY) {
                insns[*pos] = insn_jne_imm(BPF_REG_4, (int32_t) rule->major, TO_NEXT);
                (*pos)++;
        }
        if (rule->minor != DEVICE_NUMBER_ANY) {
                insns[*pos] = insn_jne_imm(BPF_REG_5, (int32_t) rule->minor, TO_NEXT);
                (*pos)++;
        }
        if (!full_access) {
                insns[(*pos)++] = insn_mov32_reg(BPF_REG_1, BPF_REG_3);
                insns[(*pos)++] = insn_alu32_imm(BPF_AND, BPF_REG_1, (int32_t) (~rule->access & DEVICE_ACCESS_ALL));
                insns[*pos] = insn_jne_imm(BPF_REG_1, 0, TO_NEXT);
                (*pos)++;
        }
        insns[(*pos)++] = insn_return(1);
        insns[(*pos)++] = insn_exit();
#undef TO_NEXT
}

int bpf_devices_build(const DeviceRule *rules, size_t n_rules, struct bpf_insn **ret_insns, size_t *ret_n) {
        _cleanup_free_ struct bpf_insn *insns = NULL;
        /* The loads, at most 8 instructions per rule, the final deny. */
        size_t pos = 0, max = 6 + 8 * n_rules + 2;

        if (n_rules > DEVICE_RULES_MAX)
                return -E2BIG;
        insns = calloc(max, sizeof(struct bpf_insn));
        if (!insns)
                return -ENOMEM;

        insns[pos++] = insn_load_ctx(BPF_REG_2, offsetof(struct bpf_cgroup_dev_ctx, access_type));
        insns[pos++] = insn_alu32_imm(BPF_AND, BPF_REG_2, 0xffff);
        insns[pos++] = insn_load_ctx(BPF_REG_3, offsetof(struct bpf_cgroup_dev_ctx, access_type));
        insns[pos++] = insn_alu32_imm(BPF_RSH, BPF_REG_3, 16);
        insns[pos++] = insn_load_ctx(BPF_REG_4, offsetof(struct bpf_cgroup_dev_ctx, major));
        insns[pos++] = insn_load_ctx(BPF_REG_5, offsetof(struct bpf_cgroup_dev_ctx, minor));
        for (size_t i = 0; i < n_rules; i++) {
                const DeviceRule *r = rules + i;
                /* Malformed rules never reach the kernel; they would only ever allow too much. */
                if ((r->type != DEVICE_TYPE_CHAR && r->type != DEVICE_TYPE_BLOCK) || r->access == 0 ||
                    (r->access & ~DEVICE_ACCESS_ALL) || (r->major != DEVICE_NUMBER_ANY && r->major > INT32_MAX) ||
                    (r->minor != DEVICE_NUMBER_ANY && r->minor > INT32_MAX) ||
                    (r->major == DEVICE_NUMBER_ANY && r->minor != DEVICE_NUMBER_ANY))
                        return -EINVAL;
                emit_rule(insns, &pos, r);
        }
        insns[pos++] = insn_return(0);
        insns[pos++] = insn_exit();

        *ret_insns = TAKE_PTR(insns);
        *ret_n = pos;
        return 0;
}

int bpf_devices_load(const DeviceRule *rules, size_t n_rules, int *ret_prog_fd, const char **ret_what) {
        _cleanup_free_ struct bpf_insn *insns = NULL;
        union bpf_attr attr;
        size_t n;
        int fd, r;

        *ret_what = "build";
        r = bpf_devices_build(rules, n_rules, &insns, &n);
        if (r < 0)
                return r;

        *ret_what = "BPF_PROG_LOAD";
        memset(&attr, 0, sizeof attr);
        attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
        attr.insns = (uint64_t) (uintptr_t) insns;
        attr.insn_cnt = (uint32_t) n;
        attr.license = (uint64_t) (uintptr_t) "GPL";
        memcpy(attr.prog_name, "confine_devices", sizeof "confine_devices");
        /* The kernel makes every bpf fd O_CLOEXEC. */
        fd = (int) syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof attr);
        if (fd < 0)
                return negative_errno();
        *ret_prog_fd = fd;
        return 0;
}

int bpf_devices_attach(int prog_fd, int cgroup_fd) {
        union bpf_attr attr;

        memset(&attr, 0, sizeof attr);
        attr.target_fd = (uint32_t) cgroup_fd;
        attr.attach_bpf_fd = (uint32_t) prog_fd;
        attr.attach_type = BPF_CGROUP_DEVICE;
        attr.attach_flags = BPF_F_ALLOW_MULTI;
        if (syscall(SYS_bpf, BPF_PROG_ATTACH, &attr, sizeof attr) < 0)
                return negative_errno();
        return 0;
}

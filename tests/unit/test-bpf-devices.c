/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The BPF device program of bpf-devices.c: run in a small interpreter of the instructions it uses,
 * it must decide exactly as device_rules_allow() does, for every rule set and request tried. As
 * root, the kernel's verifier must also accept it (BPF_PROG_LOAD; nothing is attached). */
#include <stddef.h>
#include <unistd.h>

#include "bpf-devices.h"
#include "tap.h"

/* Runs the program on one request; -1 on an instruction it does not know or a bad jump. */
static int run(const struct bpf_insn *insns, size_t n, DeviceType type, uint32_t major, uint32_t minor,
               unsigned access) {
        struct bpf_cgroup_dev_ctx ctx = {
                .access_type = (uint32_t) access << 16 | (uint32_t) type,
                .major = major,
                .minor = minor,
        };
        uint64_t reg[11] = {};
        size_t pc = 0;

        for (unsigned steps = 0; pc < n && steps < 100000; steps++) {
                const struct bpf_insn *i = insns + pc;
                uint32_t word;

                switch (i->code) {
                case BPF_LDX | BPF_MEM | BPF_W:
                        if (i->src_reg != BPF_REG_1 || i->off < 0 || (size_t) i->off + 4 > sizeof ctx)
                                return -1;
                        memcpy(&word, (const uint8_t *) &ctx + i->off, 4);
                        reg[i->dst_reg] = word;
                        break;
                case BPF_ALU | BPF_AND | BPF_K:
                        reg[i->dst_reg] = (uint32_t) reg[i->dst_reg] & (uint32_t) i->imm;
                        break;
                case BPF_ALU | BPF_RSH | BPF_K:
                        reg[i->dst_reg] = (uint32_t) reg[i->dst_reg] >> i->imm;
                        break;
                case BPF_ALU | BPF_MOV | BPF_X:
                        reg[i->dst_reg] = (uint32_t) reg[i->src_reg];
                        break;
                case BPF_ALU64 | BPF_MOV | BPF_K:
                        reg[i->dst_reg] = (uint64_t) (int64_t) i->imm;
                        break;
                case BPF_JMP | BPF_JNE | BPF_K:
                        if (reg[i->dst_reg] != (uint64_t) (int64_t) i->imm) {
                                if (i->off < 0)
                                        return -1;
                                pc += (size_t) i->off;
                        }
                        break;
                case BPF_JMP | BPF_EXIT:
                        return (int) reg[BPF_REG_0];
                default:
                        return -1;
                }
                pc++;
        }
        return -1;
}

static void check_rules(const char *what, const DeviceRule *rules, size_t n_rules) {
        static const uint32_t numbers[] = { 0, 1, 2, 3, 5, 7, 9, 10, 136, 237, 4095 };
        _cleanup_free_ struct bpf_insn *insns = NULL;
        unsigned mismatches = 0, tried = 0, allowed = 0, broken = 0;
        size_t n = 0;

        ASSERT_OK(bpf_devices_build(rules, n_rules, &insns, &n));
        if (!insns)
                return;
        for (DeviceType type = DEVICE_TYPE_BLOCK; type <= DEVICE_TYPE_CHAR; type++)
                for (size_t a = 0; a < ELEMENTSOF(numbers); a++)
                        for (size_t b = 0; b < ELEMENTSOF(numbers); b++)
                                for (unsigned access = 1; access <= DEVICE_ACCESS_ALL; access++) {
                                        int got = run(insns, n, type, numbers[a], numbers[b], access);
                                        bool want = device_rules_allow(rules, n_rules, type, numbers[a], numbers[b], access);
                                        tried++;
                                        allowed += want;
                                        broken += got < 0;
                                        mismatches += got != (int) want;
                                }
        TAP_POINT(mismatches == 0 && broken == 0, "%s: the program decides as device_rules_allow() (%u requests, %u allowed, %u differ, %u bad runs)",
                  what, tried, allowed, mismatches, broken);

        if (geteuid() == 0) {
                const char *step = NULL;
                int fd = -EBADF, r = bpf_devices_load(rules, n_rules, &fd, &step);
                TAP_POINT(r >= 0, "%s: the kernel accepts the program (%s: %s)", what, step ?: "-", r < 0 ? strerror(-r) : "ok");
                safe_close(fd);
        }
}

int main(void) {
        DeviceRule *rules = NULL;
        size_t n = 0;
        _cleanup_free_ struct bpf_insn *insns = NULL;
        size_t n_insns = 0;

        /* strict, nothing allowed: the loads, then deny */
        check_rules("no rules", NULL, 0);
        ASSERT_OK(bpf_devices_build(NULL, 0, &insns, &n_insns));
        ASSERT_EQ(n_insns, 8);

        ASSERT_OK(device_rules_add_inaccessible(&rules, &n));
        check_rules("strict (0:0 mknod only)", rules, n);
        ASSERT_OK(device_rules_add_defaults(&rules, &n));
        check_rules("closed", rules, n);
        ASSERT_OK(device_rules_add(&rules, &n, &(DeviceRule) { DEVICE_TYPE_CHAR, 10, 237, DEVICE_ACCESS_READ, (char *) "/dev/loop-control" }));
        ASSERT_OK(device_rules_add(&rules, &n, &(DeviceRule) { DEVICE_TYPE_BLOCK, 7, DEVICE_NUMBER_ANY, DEVICE_ACCESS_WRITE | DEVICE_ACCESS_MKNOD, NULL }));
        check_rules("closed + a node (r) + a class (wm)", rules, n);
        ASSERT_OK(device_rules_add(&rules, &n, &(DeviceRule) { DEVICE_TYPE_CHAR, DEVICE_NUMBER_ANY, DEVICE_NUMBER_ANY, DEVICE_ACCESS_MKNOD, NULL }));
        check_rules("… + char-* m", rules, n);
        device_rules_free(rules, n);

        /* Malformed rules never become a program. */
        ASSERT_ERR(bpf_devices_build(&(DeviceRule) { 3, 1, 3, DEVICE_ACCESS_READ, NULL }, 1, &insns, &n_insns), -EINVAL);
        ASSERT_ERR(bpf_devices_build(&(DeviceRule) { DEVICE_TYPE_CHAR, 1, 3, 0, NULL }, 1, &insns, &n_insns), -EINVAL);
        ASSERT_ERR(bpf_devices_build(&(DeviceRule) { DEVICE_TYPE_CHAR, DEVICE_NUMBER_ANY, 3, DEVICE_ACCESS_READ, NULL }, 1,
                                     &insns, &n_insns), -EINVAL);
        return tap_finish();
}

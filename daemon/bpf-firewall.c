/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <net/if.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bpf-firewall.h"
#include "log.h"
#include "macro.h"
#include "strv.h"

/* The accounting map's slots. */
enum { SLOT_INGRESS_BYTES, SLOT_INGRESS_PACKETS, SLOT_EGRESS_BYTES, SLOT_EGRESS_PACKETS, _SLOT_MAX };

static int bpf_call(int cmd, union bpf_attr *attr) {
        /* The kernel makes every bpf fd O_CLOEXEC. */
        int r = (int) syscall(SYS_bpf, cmd, attr, sizeof *attr);
        return r < 0 ? -errno : r;
}

static int map_create(uint32_t type, uint32_t key_size, uint32_t value_size, uint32_t max_entries, uint32_t flags) {
        union bpf_attr attr;

        memset(&attr, 0, sizeof attr);
        attr.map_type = type;
        attr.key_size = key_size;
        attr.value_size = value_size;
        attr.max_entries = max_entries;
        attr.map_flags = flags;
        return bpf_call(BPF_MAP_CREATE, &attr);
}

static int map_update(int fd, const void *key, const void *value) {
        union bpf_attr attr;

        memset(&attr, 0, sizeof attr);
        attr.map_fd = (uint32_t) fd;
        attr.key = (uint64_t) (uintptr_t) key;
        attr.value = (uint64_t) (uintptr_t) value;
        attr.flags = BPF_ANY;
        return bpf_call(BPF_MAP_UPDATE_ELEM, &attr);
}

static int map_lookup(int fd, const void *key, void *value) {
        union bpf_attr attr;

        memset(&attr, 0, sizeof attr);
        attr.map_fd = (uint32_t) fd;
        attr.key = (uint64_t) (uintptr_t) key;
        attr.value = (uint64_t) (uintptr_t) value;
        return bpf_call(BPF_MAP_LOOKUP_ELEM, &attr);
}

/* An LPM trie of the list's prefixes of one family; -EBADF (no map) when it has none. */
static int trie_create(const IPAddressPrefix *l, size_t n, int family, int *ret_fd) {
        size_t size = ip_family_address_size(family), count = 0;
        _cleanup_close_ int fd = -EBADF;
        struct {
                uint32_t prefixlen;
                uint8_t address[16];
        } key;
        uint8_t one = 1;
        int r;

        for (size_t i = 0; i < n; i++)
                count += l[i].family == family;
        if (count == 0) {
                *ret_fd = -EBADF;
                return 0;
        }
        fd = map_create(BPF_MAP_TYPE_LPM_TRIE, (uint32_t) (sizeof(uint32_t) + size), 1, (uint32_t) count,
                        BPF_F_NO_PREALLOC);
        if (fd < 0)
                return fd;
        for (size_t i = 0; i < n; i++) {
                if (l[i].family != family)
                        continue;
                key.prefixlen = l[i].prefixlen;
                memcpy(key.address, l[i].address, size);
                r = map_update(fd, &key, &one);
                if (r < 0)
                        return r;
        }
        *ret_fd = TAKE_FD(fd);
        return 0;
}

/* The ifindexes of the interface names; names no interface has are left out (logged). */
static int interfaces_create(char **names, int *ret_fd) {
        _cleanup_close_ int fd = -EBADF;
        uint8_t one = 1;
        int r;

        fd = map_create(BPF_MAP_TYPE_HASH, sizeof(uint32_t), 1, (uint32_t) MAX(strv_length(names), (size_t) 1), 0);
        if (fd < 0)
                return fd;
        STRV_FOREACH(n, names) {
                uint32_t index = if_nametoindex(*n);

                if (index == 0) {
                        log_warning("RestrictNetworkInterfaces: no interface \"%s\" here, ignoring it, as systemd does.", *n);
                        continue;
                }
                r = map_update(fd, &index, &one);
                if (r < 0)
                        return r;
        }
        *ret_fd = TAKE_FD(fd);
        return 0;
}

/* ---- the program: a few instructions, with forward jumps to labels ---- */

enum { LABEL_V4, LABEL_V6, LABEL_PASS, LABEL_DROP, _LABEL_MAX };

typedef struct Program {
        struct bpf_insn insns[160];
        size_t n;
        struct {
                size_t at;
                int label;
        } fixups[32];
        size_t n_fixups;
        ssize_t labels[_LABEL_MAX];
        unsigned uses[_LABEL_MAX];
        bool overflow;
} Program;

static void emit(Program *p, struct bpf_insn insn) {
        if (p->n >= ELEMENTSOF(p->insns)) {
                p->overflow = true;
                return;
        }
        p->insns[p->n++] = insn;
}

static void emit_jump(Program *p, uint8_t op, uint8_t reg, int32_t imm, int label) {
        if (p->n_fixups >= ELEMENTSOF(p->fixups)) {
                p->overflow = true;
                return;
        }
        p->fixups[p->n_fixups++] = (typeof(p->fixups[0])) { .at = p->n, .label = label };
        p->uses[label]++;
        emit(p, (struct bpf_insn) { .code = BPF_JMP | op | BPF_K, .dst_reg = reg, .imm = imm });
}

static void emit_goto(Program *p, int label) {
        emit_jump(p, BPF_JA, 0, 0, label);
}

static void set_label(Program *p, int label) {
        p->labels[label] = (ssize_t) p->n;
}

static void emit_mov_imm(Program *p, uint8_t reg, int32_t imm) {
        emit(p, (struct bpf_insn) { .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = reg, .imm = imm });
}

static void emit_mov_reg(Program *p, uint8_t dst, uint8_t src) {
        emit(p, (struct bpf_insn) { .code = BPF_ALU64 | BPF_MOV | BPF_X, .dst_reg = dst, .src_reg = src });
}

static void emit_add_imm(Program *p, uint8_t reg, int32_t imm) {
        emit(p, (struct bpf_insn) { .code = BPF_ALU64 | BPF_ADD | BPF_K, .dst_reg = reg, .imm = imm });
}

static void emit_load_ctx_u32(Program *p, uint8_t reg, int16_t offset) {
        emit(p, (struct bpf_insn) { .code = BPF_LDX | BPF_MEM | BPF_W, .dst_reg = reg, .src_reg = BPF_REG_6, .off = offset });
}

static void emit_store_stack_u32(Program *p, int16_t offset, int32_t imm) {
        emit(p, (struct bpf_insn) { .code = BPF_ST | BPF_MEM | BPF_W, .dst_reg = BPF_REG_10, .off = offset, .imm = imm });
}

static void emit_load_map(Program *p, uint8_t reg, int map_fd) {
        emit(p, (struct bpf_insn) { .code = BPF_LD | BPF_DW | BPF_IMM, .dst_reg = reg, .src_reg = BPF_PSEUDO_MAP_FD,
                                    .imm = map_fd });
        emit(p, (struct bpf_insn) {});
}

static void emit_call(Program *p, int32_t helper) {
        emit(p, (struct bpf_insn) { .code = BPF_JMP | BPF_CALL, .imm = helper });
}

/* r0 = the map's value for the key on the stack at fp+key_offset (NULL if none). */
static void emit_lookup(Program *p, int map_fd, int16_t key_offset) {
        emit_load_map(p, BPF_REG_1, map_fd);
        emit_mov_reg(p, BPF_REG_2, BPF_REG_10);
        emit_add_imm(p, BPF_REG_2, key_offset);
        emit_call(p, BPF_FUNC_map_lookup_elem);
}

/* The accounting slot += the register's value, atomically. */
static void emit_count(Program *p, int map_fd, int slot, uint8_t value_reg) {
        emit_store_stack_u32(p, -4, slot);
        emit_lookup(p, map_fd, -4);
        emit(p, (struct bpf_insn) { .code = BPF_JMP | BPF_JEQ | BPF_K, .dst_reg = BPF_REG_0, .off = 1, .imm = 0 });
        emit(p, (struct bpf_insn) { .code = BPF_STX | BPF_ATOMIC | BPF_DW, .dst_reg = BPF_REG_0, .src_reg = value_reg,
                                    .imm = BPF_ADD });
}

/* One family's block: the LPM key {prefix length, address} goes on the stack at fp+key_offset, the
 * peer's address read from the IP header into it; allow wins, then deny, then the packet passes. */
static void emit_family(Program *p, int allow_fd, int deny_fd, int16_t key_offset, uint32_t address_bits,
                        int32_t header_offset) {
        emit_store_stack_u32(p, key_offset, (int32_t) address_bits);
        emit_mov_reg(p, BPF_REG_1, BPF_REG_6);
        emit_mov_imm(p, BPF_REG_2, header_offset);
        emit_mov_reg(p, BPF_REG_3, BPF_REG_10);
        emit_add_imm(p, BPF_REG_3, key_offset + 4);
        emit_mov_imm(p, BPF_REG_4, (int32_t) (address_bits / 8));
        emit_call(p, BPF_FUNC_skb_load_bytes);
        /* A header too short to hold the address cannot be judged: dropped where this family has a deny
         * list (fail closed), passed where nothing of it can be denied. */
        emit_jump(p, BPF_JNE, BPF_REG_0, 0, deny_fd >= 0 ? LABEL_DROP : LABEL_PASS);
        if (allow_fd >= 0) {
                emit_lookup(p, allow_fd, key_offset);
                emit_jump(p, BPF_JNE, BPF_REG_0, 0, LABEL_PASS);
        }
        if (deny_fd >= 0) {
                emit_lookup(p, deny_fd, key_offset);
                emit_jump(p, BPF_JNE, BPF_REG_0, 0, LABEL_DROP);
        }
        emit_goto(p, LABEL_PASS);
}

/* Resolves the jumps to labels. */
static int program_fixup(Program *p) {
        if (p->overflow)
                return -E2BIG;
        for (size_t i = 0; i < p->n_fixups; i++) {
                ssize_t target = p->labels[p->fixups[i].label];
                if (target < 0)
                        return -EINVAL;
                p->insns[p->fixups[i].at].off = (int16_t) (target - (ssize_t) p->fixups[i].at - 1);
        }
        return 0;
}

static int program_build(const IPFirewall *fw, bool ingress, Program *p) {
        bool v4 = fw->allow_maps[0] >= 0 || fw->deny_maps[0] >= 0, v6 = fw->allow_maps[1] >= 0 || fw->deny_maps[1] >= 0;

        *p = (Program) { .labels = { -1, -1, -1, -1 } };
        emit_mov_reg(p, BPF_REG_6, BPF_REG_1);
        if (fw->interfaces_mode >= 0) {
                /* The key: skb->ifindex, on the stack at fp-4. */
                emit_load_ctx_u32(p, BPF_REG_7, offsetof(struct __sk_buff, ifindex));
                emit(p, (struct bpf_insn) { .code = BPF_STX | BPF_MEM | BPF_W, .dst_reg = BPF_REG_10, .src_reg = BPF_REG_7,
                                            .off = -4 });
                emit_lookup(p, fw->interfaces_map, -4);
                emit_jump(p, fw->interfaces_mode ? BPF_JEQ : BPF_JNE, BPF_REG_0, 0, LABEL_DROP);
        }
        if (v4 || v6) {
                emit_load_ctx_u32(p, BPF_REG_7, offsetof(struct __sk_buff, protocol));
                if (v4)
                        emit_jump(p, BPF_JEQ, BPF_REG_7, htons(ETH_P_IP), LABEL_V4);
                if (v6)
                        emit_jump(p, BPF_JEQ, BPF_REG_7, htons(ETH_P_IPV6), LABEL_V6);
                emit_goto(p, LABEL_PASS);
        }
        if (v4) {
                set_label(p, LABEL_V4);
                /* struct iphdr: saddr at 12, daddr at 16. */
                emit_family(p, fw->allow_maps[0], fw->deny_maps[0], -8, 32, ingress ? 12 : 16);
        }
        if (v6) {
                set_label(p, LABEL_V6);
                /* struct ipv6hdr: saddr at 8, daddr at 24. */
                emit_family(p, fw->allow_maps[1], fw->deny_maps[1], -24, 128, ingress ? 8 : 24);
        }
        set_label(p, LABEL_PASS);
        /* As systemd's, the accounting counts what passes. */
        if (fw->accounting_map >= 0) {
                emit_load_ctx_u32(p, BPF_REG_7, offsetof(struct __sk_buff, len));
                emit_count(p, fw->accounting_map, ingress ? SLOT_INGRESS_BYTES : SLOT_EGRESS_BYTES, BPF_REG_7);
                emit_mov_imm(p, BPF_REG_7, 1);
                emit_count(p, fw->accounting_map, ingress ? SLOT_INGRESS_PACKETS : SLOT_EGRESS_PACKETS, BPF_REG_7);
        }
        emit_mov_imm(p, BPF_REG_0, 1);
        emit(p, (struct bpf_insn) { .code = BPF_JMP | BPF_EXIT });
        /* The verifier refuses unreachable instructions: no drop block that nothing jumps to. */
        if (p->uses[LABEL_DROP] > 0) {
                set_label(p, LABEL_DROP);
                emit_mov_imm(p, BPF_REG_0, 0);
                emit(p, (struct bpf_insn) { .code = BPF_JMP | BPF_EXIT });
        }

        return program_fixup(p);
}

/* One rule's block: the protocol (r8) and the port (r7) tested, each test jumping past the block; at the
 * end of it, the rule's verdict. */
static void emit_bind_rule(Program *p, const SocketBindRule *r, int verdict) {
        int16_t length = (int16_t) ((r->protocol != 0) + (r->nr_ports ? 2 : 0) + 1);
        size_t start = p->n;
#define TO_NEXT ((int16_t) (length - (int16_t) (p->n - start) - 1))

        if (r->protocol != 0)
                emit(p, (struct bpf_insn) { .code = BPF_JMP | BPF_JNE | BPF_K, .dst_reg = BPF_REG_8, .off = TO_NEXT,
                                            .imm = r->protocol });
        if (r->nr_ports) {
                emit(p, (struct bpf_insn) { .code = BPF_JMP | BPF_JLT | BPF_K, .dst_reg = BPF_REG_7, .off = TO_NEXT,
                                            .imm = r->port_min });
                emit(p, (struct bpf_insn) { .code = BPF_JMP | BPF_JGT | BPF_K, .dst_reg = BPF_REG_7, .off = TO_NEXT,
                                            .imm = r->port_min + r->nr_ports - 1 });
        }
        emit_goto(p, verdict);
#undef TO_NEXT
}

static bool bind_rule_applies(const SocketBindRule *r, int family) {
        return r->family == AF_UNSPEC || r->family == family;
}

static bool bind_rule_matches_all(const SocketBindRule *r) {
        return r->protocol == 0 && r->nr_ports == 0;
}

/* The verifier refuses unreachable instructions: nothing is emitted after a rule that matches every
 * bind, and the verdicts only where something jumps or falls through to them. */
static int bind_program_build(const SandboxSpec *spec, int family, Program *p) {
        bool ends = false;

        *p = (Program) { .labels = { -1, -1, -1, -1 } };
        emit_mov_reg(p, BPF_REG_6, BPF_REG_1);
        emit_load_ctx_u32(p, BPF_REG_7, offsetof(struct bpf_sock_addr, user_port));
        emit(p, (struct bpf_insn) { .code = BPF_ALU | BPF_END | BPF_TO_BE, .dst_reg = BPF_REG_7, .imm = 16 });
        emit_load_ctx_u32(p, BPF_REG_8, offsetof(struct bpf_sock_addr, protocol));
        for (size_t i = 0; !ends && i < spec->n_socket_bind_allow; i++)
                if (bind_rule_applies(spec->socket_bind_allow + i, family)) {
                        emit_bind_rule(p, spec->socket_bind_allow + i, LABEL_PASS);
                        ends = bind_rule_matches_all(spec->socket_bind_allow + i);
                }
        for (size_t i = 0; !ends && i < spec->n_socket_bind_deny; i++)
                if (bind_rule_applies(spec->socket_bind_deny + i, family)) {
                        emit_bind_rule(p, spec->socket_bind_deny + i, LABEL_DROP);
                        ends = bind_rule_matches_all(spec->socket_bind_deny + i);
                }
        if (!ends || p->uses[LABEL_PASS] > 0) {
                set_label(p, LABEL_PASS);
                emit_mov_imm(p, BPF_REG_0, 1);
                emit(p, (struct bpf_insn) { .code = BPF_JMP | BPF_EXIT });
        }
        if (p->uses[LABEL_DROP] > 0) {
                set_label(p, LABEL_DROP);
                emit_mov_imm(p, BPF_REG_0, 0);
                emit(p, (struct bpf_insn) { .code = BPF_JMP | BPF_EXIT });
        }
        return program_fixup(p);
}

static int program_load(const Program *p, uint32_t type, uint32_t expected_attach, const char *name) {
        union bpf_attr attr;

        memset(&attr, 0, sizeof attr);
        attr.prog_type = type;
        attr.expected_attach_type = expected_attach;
        attr.insns = (uint64_t) (uintptr_t) p->insns;
        attr.insn_cnt = (uint32_t) p->n;
        attr.license = (uint64_t) (uintptr_t) "GPL";
        strncpy(attr.prog_name, name, sizeof attr.prog_name - 1);
        return bpf_call(BPF_PROG_LOAD, &attr);
}

int ip_firewall_load(const SandboxSpec *spec, IPFirewall *fw, const char **ret_what) {
        static const int families[2] = { AF_INET, AF_INET6 };
        Program p;
        int r;

        *ret_what = "BPF_MAP_CREATE";
        for (size_t i = 0; i < 2; i++) {
                r = trie_create(spec->ip_address_allow, spec->n_ip_address_allow, families[i], &fw->allow_maps[i]);
                if (r >= 0)
                        r = trie_create(spec->ip_address_deny, spec->n_ip_address_deny, families[i], &fw->deny_maps[i]);
                if (r < 0)
                        return r;
        }
        if (spec->network_interfaces_mode >= 0) {
                r = interfaces_create(spec->network_interfaces, &fw->interfaces_map);
                if (r < 0)
                        return r;
                fw->interfaces_mode = spec->network_interfaces_mode;
        }
        if (spec->ip_accounting) {
                fw->accounting_map = map_create(BPF_MAP_TYPE_ARRAY, sizeof(uint32_t), sizeof(uint64_t), _SLOT_MAX, 0);
                if (fw->accounting_map < 0)
                        return fw->accounting_map;
        }

        if (spec->n_socket_bind_allow > 0 || spec->n_socket_bind_deny > 0) {
                *ret_what = "build (bind)";
                r = bind_program_build(spec, AF_INET, &p);
                if (r < 0)
                        return r;
                *ret_what = "BPF_PROG_LOAD (bind4)";
                fw->bind4_fd = program_load(&p, BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_BIND, "confine_bind4");
                if (fw->bind4_fd < 0)
                        return fw->bind4_fd;
                *ret_what = "build (bind)";
                r = bind_program_build(spec, AF_INET6, &p);
                if (r < 0)
                        return r;
                *ret_what = "BPF_PROG_LOAD (bind6)";
                fw->bind6_fd = program_load(&p, BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_BIND, "confine_bind6");
                if (fw->bind6_fd < 0)
                        return fw->bind6_fd;
        }
        if (spec->n_ip_address_allow == 0 && spec->n_ip_address_deny == 0 && !spec->ip_accounting &&
            spec->network_interfaces_mode < 0)
                return 0;

        *ret_what = "build";
        r = program_build(fw, true, &p);
        if (r < 0)
                return r;
        *ret_what = "BPF_PROG_LOAD";
        fw->ingress_fd = program_load(&p, BPF_PROG_TYPE_CGROUP_SKB, 0, "confine_ip_in");
        if (fw->ingress_fd < 0)
                return fw->ingress_fd;
        *ret_what = "build";
        r = program_build(fw, false, &p);
        if (r < 0)
                return r;
        *ret_what = "BPF_PROG_LOAD";
        fw->egress_fd = program_load(&p, BPF_PROG_TYPE_CGROUP_SKB, 0, "confine_ip_out");
        return fw->egress_fd < 0 ? fw->egress_fd : 0;
}

static int program_attach(int prog_fd, int cgroup_fd, enum bpf_attach_type type) {
        union bpf_attr attr;

        memset(&attr, 0, sizeof attr);
        attr.target_fd = (uint32_t) cgroup_fd;
        attr.attach_bpf_fd = (uint32_t) prog_fd;
        attr.attach_type = type;
        attr.attach_flags = BPF_F_ALLOW_MULTI;
        return bpf_call(BPF_PROG_ATTACH, &attr);
}

int ip_firewall_attach(const IPFirewall *fw, int cgroup_fd, const char **ret_what) {
        int r;

        if (fw->bind4_fd >= 0) {
                *ret_what = "BPF_PROG_ATTACH (bind4)";
                r = program_attach(fw->bind4_fd, cgroup_fd, BPF_CGROUP_INET4_BIND);
                if (r < 0)
                        return r;
                *ret_what = "BPF_PROG_ATTACH (bind6)";
                r = program_attach(fw->bind6_fd, cgroup_fd, BPF_CGROUP_INET6_BIND);
                if (r < 0)
                        return r;
        }
        if (fw->ingress_fd < 0)
                return 0;
        *ret_what = "BPF_PROG_ATTACH (ingress)";
        r = program_attach(fw->ingress_fd, cgroup_fd, BPF_CGROUP_INET_INGRESS);
        if (r < 0)
                return r;
        *ret_what = "BPF_PROG_ATTACH (egress)";
        return program_attach(fw->egress_fd, cgroup_fd, BPF_CGROUP_INET_EGRESS);
}

int ip_firewall_read_counters(const IPFirewall *fw, IPCounters *ret) {
        uint64_t v[_SLOT_MAX];
        int r;

        if (fw->accounting_map < 0)
                return -ENODATA;
        for (uint32_t k = 0; k < _SLOT_MAX; k++) {
                r = map_lookup(fw->accounting_map, &k, v + k);
                if (r < 0)
                        return r;
        }
        *ret = (IPCounters) { v[SLOT_INGRESS_BYTES], v[SLOT_INGRESS_PACKETS], v[SLOT_EGRESS_BYTES],
                              v[SLOT_EGRESS_PACKETS] };
        return 0;
}

void ip_firewall_close(IPFirewall *fw) {
        for (size_t i = 0; i < 2; i++) {
                safe_close(fw->allow_maps[i]);
                safe_close(fw->deny_maps[i]);
        }
        safe_close(fw->accounting_map);
        safe_close(fw->interfaces_map);
        safe_close(fw->ingress_fd);
        safe_close(fw->egress_fd);
        safe_close(fw->bind4_fd);
        safe_close(fw->bind6_fd);
        *fw = IP_FIREWALL_INIT;
}

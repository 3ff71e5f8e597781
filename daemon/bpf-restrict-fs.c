/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* RestrictFileSystems=: one BPF LSM program on the file_open hook for all jobs, and two hash maps
 * that say which cgroups it restricts and how.
 *
 *   modes:   cgroup id → 1 (allow-list) or 0 (deny-list)
 *   entries: { cgroup id, superblock magic } → 1, the file systems listed for that cgroup
 *
 * On every open, of any process, the program reads file->f_inode->i_sb->s_magic and walks the
 * opener's cgroup ancestors from the root down (bpf_get_current_ancestor_cgroup_id()). Every
 * ancestor with a mode is a job, or a job a nested job runs in, and each must let the open pass: a
 * deny-list that lists the magic, or an allow-list that does not, makes it EPERM. So a nested job,
 * and any cgroup a job made below its own, is held by every job above it.
 *
 *      r6 = ctx[0]->f_inode->i_sb->s_magic         (BTF offsets of the running kernel)
 *   level L = 0, 1, … LEVELS-1:
 *      r0 = get_current_ancestor_cgroup_id(L); if r0 == 0 goto allow     (below the opener)
 *      key = { r0, (u32) r6, 0 }
 *      r0 = lookup(modes, &r0); if r0 == 0 goto next
 *      r8 = *r0
 *      r0 = lookup(entries, &key)
 *      if r8 == 0 goto deny_list
 *      if r0 == 0 goto deny; goto next
 *   deny_list: if r0 != 0 goto deny
 *   next: …
 *   allow: r0 = 0; exit
 *   deny:  r0 = -EPERM; exit
 *
 * The program is loaded when the first job asks for the property and stays attached while
 * confined runs (its link fd); a job's entries go when its cgroup does. */
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/btf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bpf-restrict-fs.h"
#include "btf-vmlinux.h"
#include "filesystem-names.h"
#include "log.h"
#include "strv.h"

#define LEVELS 32
#define ENTRIES_MAX 65536
#define VERIFIER_LOG_SIZE (4u << 20)

typedef struct EntryKey {
        uint64_t cgroup_id;
        uint32_t magic;
        uint32_t zero;
} EntryKey;

static int bpf_call(int cmd, union bpf_attr *attr) {
        int r = (int) syscall(SYS_bpf, cmd, attr, sizeof *attr);
        return r < 0 ? -errno : r;
}

/* Whether the BPF LSM is among the active LSMs: a program on an LSM hook loads and attaches either
 * way, but runs only if it is. */
static int bpf_lsm_active(const char **ret_why) {
        char buf[512] = {};
        int fd = open("/sys/kernel/security/lsm", O_RDONLY | O_CLOEXEC);
        ssize_t k;

        if (fd < 0 && errno == ENOENT && mount("securityfs", "/sys/kernel/security", "securityfs",
                                               MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) >= 0)
                fd = open("/sys/kernel/security/lsm", O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
                *ret_why = "/sys/kernel/security/lsm cannot be read (no securityfs)";
                return -EOPNOTSUPP;
        }
        k = read(fd, buf, sizeof buf - 1);
        close(fd);
        if (k < 0) {
                *ret_why = "/sys/kernel/security/lsm cannot be read";
                return -EOPNOTSUPP;
        }
        for (char *save = NULL, *w = strtok_r(buf, ",\n", &save); w; w = strtok_r(NULL, ",\n", &save))
                if (streq(w, "bpf"))
                        return 0;
        *ret_why = "the BPF LSM is not active (\"bpf\" is not in /sys/kernel/security/lsm; lsm= on the kernel "
                   "command line)";
        return -EOPNOTSUPP;
}

static int map_create(uint32_t key_size, uint32_t max_entries, const char *name) {
        union bpf_attr attr = {
                .map_type = BPF_MAP_TYPE_HASH,
                .key_size = key_size,
                .value_size = sizeof(uint32_t),
                .max_entries = max_entries,
                .map_flags = BPF_F_NO_PREALLOC,
        };

        snprintf(attr.map_name, sizeof attr.map_name, "%s", name);
        return bpf_call(BPF_MAP_CREATE, &attr);
}

#define INSN(c, d, s, o, i) ((struct bpf_insn) { .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) })
#define LDX_DW(dst, src, off) INSN(BPF_LDX | BPF_MEM | BPF_DW, dst, src, off, 0)
#define LDX_W(dst, src, off) INSN(BPF_LDX | BPF_MEM | BPF_W, dst, src, off, 0)
#define STX_DW(dst, src, off) INSN(BPF_STX | BPF_MEM | BPF_DW, dst, src, off, 0)
#define STX_W(dst, src, off) INSN(BPF_STX | BPF_MEM | BPF_W, dst, src, off, 0)
#define ST_W(dst, off, imm) INSN(BPF_ST | BPF_MEM | BPF_W, dst, 0, off, imm)
#define MOV64_IMM(dst, imm) INSN(BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, imm)
#define MOV64_REG(dst, src) INSN(BPF_ALU64 | BPF_MOV | BPF_X, dst, src, 0, 0)
#define MOV32_REG(dst, src) INSN(BPF_ALU | BPF_MOV | BPF_X, dst, src, 0, 0)
#define ADD64_IMM(dst, imm) INSN(BPF_ALU64 | BPF_ADD | BPF_K, dst, 0, 0, imm)
#define JEQ_IMM(dst, imm, off) INSN(BPF_JMP | BPF_JEQ | BPF_K, dst, 0, off, imm)
#define JNE_IMM(dst, imm, off) INSN(BPF_JMP | BPF_JNE | BPF_K, dst, 0, off, imm)
#define JA(off) INSN(BPF_JMP | BPF_JA, 0, 0, off, 0)
#define CALL(helper) INSN(BPF_JMP | BPF_CALL, 0, 0, 0, helper)
#define EXIT() INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

typedef enum Target { TARGET_NEXT, TARGET_ALLOW, TARGET_DENY } Target;

typedef struct Program {
        struct bpf_insn insns[16 + LEVELS * 24];
        size_t n;
        struct {
                size_t at;
                Target target;
        } jumps[LEVELS * 6];
        size_t n_jumps;
} Program;

static void emit(Program *p, struct bpf_insn i) {
        p->insns[p->n++] = i;
}

/* A 64-bit immediate, two instructions: the map's fd, which the kernel turns into the map. */
static void emit_ld_map_fd(Program *p, uint8_t dst, int fd) {
        emit(p, INSN(BPF_LD | BPF_DW | BPF_IMM, dst, BPF_PSEUDO_MAP_FD, 0, fd));
        emit(p, INSN(0, 0, 0, 0, 0));
}

/* A jump whose offset is filled in once the target's place is known. */
static void emit_jump(Program *p, struct bpf_insn i, Target target) {
        p->jumps[p->n_jumps].at = p->n;
        p->jumps[p->n_jumps++].target = target;
        emit(p, i);
}

static void patch(Program *p, Target target, size_t first_jump, size_t here) {
        for (size_t k = first_jump; k < p->n_jumps; k++)
                if (p->jumps[k].target == target)
                        p->insns[p->jumps[k].at].off = (int16_t) (here - p->jumps[k].at - 1);
}

static void build(Program *p, int modes_fd, int entries_fd, const int16_t off[3]) {
        /* The stack: the mode key at -8, the entry key at -24 (cgroup id), -16 (magic), -12 (0). */
        emit(p, LDX_DW(BPF_REG_6, BPF_REG_1, 0));
        emit(p, LDX_DW(BPF_REG_6, BPF_REG_6, off[0]));
        emit(p, LDX_DW(BPF_REG_6, BPF_REG_6, off[1]));
        emit(p, LDX_DW(BPF_REG_6, BPF_REG_6, off[2]));
        emit(p, MOV32_REG(BPF_REG_6, BPF_REG_6));
        for (int level = 0; level < LEVELS; level++) {
                size_t first = p->n_jumps;

                emit(p, MOV64_IMM(BPF_REG_1, level));
                emit(p, CALL(BPF_FUNC_get_current_ancestor_cgroup_id));
                emit_jump(p, JEQ_IMM(BPF_REG_0, 0, 0), TARGET_ALLOW);
                emit(p, STX_DW(BPF_REG_10, BPF_REG_0, -8));
                emit(p, STX_DW(BPF_REG_10, BPF_REG_0, -24));
                emit(p, STX_W(BPF_REG_10, BPF_REG_6, -16));
                emit(p, ST_W(BPF_REG_10, -12, 0));
                emit_ld_map_fd(p, BPF_REG_1, modes_fd);
                emit(p, MOV64_REG(BPF_REG_2, BPF_REG_10));
                emit(p, ADD64_IMM(BPF_REG_2, -8));
                emit(p, CALL(BPF_FUNC_map_lookup_elem));
                emit_jump(p, JEQ_IMM(BPF_REG_0, 0, 0), TARGET_NEXT);
                emit(p, LDX_W(BPF_REG_8, BPF_REG_0, 0));
                emit_ld_map_fd(p, BPF_REG_1, entries_fd);
                emit(p, MOV64_REG(BPF_REG_2, BPF_REG_10));
                emit(p, ADD64_IMM(BPF_REG_2, -24));
                emit(p, CALL(BPF_FUNC_map_lookup_elem));
                emit(p, JEQ_IMM(BPF_REG_8, 0, 2));                      /* a deny-list */
                emit_jump(p, JEQ_IMM(BPF_REG_0, 0, 0), TARGET_DENY);    /* allow-list: not listed */
                emit_jump(p, JA(0), TARGET_NEXT);
                emit_jump(p, JNE_IMM(BPF_REG_0, 0, 0), TARGET_DENY);    /* deny-list: listed */
                patch(p, TARGET_NEXT, first, p->n);
        }
        patch(p, TARGET_ALLOW, 0, p->n);
        emit(p, MOV64_IMM(BPF_REG_0, 0));
        emit(p, EXIT());
        patch(p, TARGET_DENY, 0, p->n);
        emit(p, MOV64_IMM(BPF_REG_0, -EPERM));
        emit(p, EXIT());
}

/* The verifier's log, asked for only after a refusal: with a log (log_level 1) the kernel prints every
 * instruction it walks and fails the load with ENOSPC once the buffer is full, even of a program it
 * accepts (before 6.4 always; since, a truncated log is ENOSPC too). This program's walk is tens of
 * kilobytes, so the first load is without a log and the second, with a large one, only says why. */
static void log_verifier(const union bpf_attr *load) {
        _cleanup_free_ char *buf = malloc(VERIFIER_LOG_SIZE);
        union bpf_attr attr = *load;
        int r;

        if (!buf)
                return;
        buf[0] = 0;
        attr.log_buf = (uint64_t) (uintptr_t) buf;
        attr.log_size = VERIFIER_LOG_SIZE;
        attr.log_level = 1;
        r = bpf_call(BPF_PROG_LOAD, &attr);
        if (r >= 0) {
                /* Accepted this time: nothing to say. */
                close(r);
                return;
        }
        /* The end of the log is where the verifier says what it refused. */
        size_t n = strnlen(buf, VERIFIER_LOG_SIZE);
        log_warning("RestrictFileSystems: the verifier's log (%s, its last part): %s", strerrorname_np(-r) ?: "?",
                    buf + (n > 2048 ? n - 2048 : 0));
}

static int load_and_attach(RestrictFs *fs, const char **ret_why) {
        _cleanup_(btf_vmlinux_freep) BtfVmlinux *btf = NULL;
        _cleanup_free_ Program *p = calloc(1, sizeof(Program));
        union bpf_attr attr;
        uint32_t hook_id;
        int16_t off[3];
        int r;

        if (!p)
                return -ENOMEM;
        r = bpf_lsm_active(ret_why);
        if (r < 0)
                return r;
        r = btf_vmlinux_load(&btf);
        if (r < 0) {
                *ret_why = "the kernel's BTF (/sys/kernel/btf/vmlinux) cannot be read";
                return r;
        }
        if (btf_vmlinux_find(btf, BTF_KIND_FUNC, "bpf_lsm_file_open", &hook_id) < 0 ||
            btf_vmlinux_member_offset(btf, "file", "f_inode", &off[0]) < 0 ||
            btf_vmlinux_member_offset(btf, "inode", "i_sb", &off[1]) < 0 ||
            btf_vmlinux_member_offset(btf, "super_block", "s_magic", &off[2]) < 0) {
                *ret_why = "the kernel's BTF lacks bpf_lsm_file_open or file->f_inode->i_sb->s_magic";
                return -EOPNOTSUPP;
        }

        fs->modes_fd = map_create(sizeof(uint64_t), ENTRIES_MAX, "confine_fs_mode");
        if (fs->modes_fd < 0) {
                *ret_why = "the kernel refused its BPF map";
                return fs->modes_fd;
        }
        fs->entries_fd = map_create(sizeof(EntryKey), ENTRIES_MAX, "confine_fs_list");
        if (fs->entries_fd < 0) {
                *ret_why = "the kernel refused its BPF map";
                return fs->entries_fd;
        }
        build(p, fs->modes_fd, fs->entries_fd, off);

        memset(&attr, 0, sizeof attr);
        attr.prog_type = BPF_PROG_TYPE_LSM;
        attr.expected_attach_type = BPF_LSM_MAC;
        attr.attach_btf_id = hook_id;
        attr.insns = (uint64_t) (uintptr_t) p->insns;
        attr.insn_cnt = (uint32_t) p->n;
        attr.license = (uint64_t) (uintptr_t) "GPL";
        memcpy(attr.prog_name, "confine_fs", sizeof "confine_fs");
        fs->prog_fd = bpf_call(BPF_PROG_LOAD, &attr);
        if (fs->prog_fd < 0) {
                /* EPERM: the kernel allows no BTF-attached program here; anything else is ours to fix. */
                if (fs->prog_fd != -EPERM)
                        log_verifier(&attr);
                *ret_why = fs->prog_fd == -EPERM ? "the kernel refused the BPF LSM program: BTF-attached BPF programs "
                                                   "are not permitted on this kernel"
                                                 : "the kernel's verifier refused the BPF LSM program";
                return fs->prog_fd;
        }
        memset(&attr, 0, sizeof attr);
        attr.raw_tracepoint.prog_fd = (uint32_t) fs->prog_fd;
        fs->link_fd = bpf_call(BPF_RAW_TRACEPOINT_OPEN, &attr);
        if (fs->link_fd < 0) {
                *ret_why = "the kernel refused to attach the BPF LSM program";
                return fs->link_fd;
        }
        log_info("RestrictFileSystems: BPF LSM program attached to file_open (%zu instructions).", p->n);
        return 0;
}

int restrict_fs_ensure(RestrictFs *fs, const char **ret_why) {
        const char *why = NULL;
        int r;

        if (fs->link_fd >= 0)
                return 0;
        if (fs->error < 0) {
                *ret_why = fs->why;
                return fs->error;
        }
        r = load_and_attach(fs, &why);
        if (r < 0) {
                restrict_fs_close(fs);
                /* Kept, so that every later request is answered alike without trying again; with the
                 * errno, so that a refusal of this host's can be told from a fault of the program's. */
                fs->error = r;
                snprintf(fs->why, sizeof fs->why, "%s (%s)", why, strerrorname_np(-r) ?: "?");
                *ret_why = fs->why;
                log_warning_errno(r, "RestrictFileSystems is not supported here: %s: %m", why);
        }
        return r;
}

void restrict_fs_close(RestrictFs *fs) {
        fs->link_fd = safe_close(fs->link_fd);
        fs->prog_fd = safe_close(fs->prog_fd);
        fs->modes_fd = safe_close(fs->modes_fd);
        fs->entries_fd = safe_close(fs->entries_fd);
}

static int map_update(int map_fd, const void *key, uint32_t value) {
        union bpf_attr attr = {
                .map_fd = (uint32_t) map_fd,
                .key = (uint64_t) (uintptr_t) key,
                .value = (uint64_t) (uintptr_t) &value,
                .flags = BPF_ANY,
        };
        return bpf_call(BPF_MAP_UPDATE_ELEM, &attr);
}

static void map_delete(int map_fd, const void *key) {
        union bpf_attr attr = {
                .map_fd = (uint32_t) map_fd,
                .key = (uint64_t) (uintptr_t) key,
        };
        (void) bpf_call(BPF_MAP_DELETE_ELEM, &attr);
}

/* Each name's magics, the call for each. */
static int for_each_magic(char **names, int (*f)(int map_fd, const EntryKey *key), int map_fd, uint64_t cgroup_id) {
        STRV_FOREACH(n, names) {
                const uint32_t *magics = filesystem_magics(*n);

                for (size_t i = 0; magics && i < FILESYSTEM_MAGICS_MAX && magics[i]; i++) {
                        EntryKey key = { .cgroup_id = cgroup_id, .magic = magics[i] };
                        int r = f(map_fd, &key);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

static int add_entry(int map_fd, const EntryKey *key) {
        return map_update(map_fd, key, 1);
}

static int delete_entry(int map_fd, const EntryKey *key) {
        map_delete(map_fd, key);
        return 0;
}

int restrict_fs_add(RestrictFs *fs, int cgroup_fd, const SandboxSpec *spec, uint64_t *ret_cgroup_id) {
        struct stat st;
        int r;

        /* A cgroup2 directory's inode number is its cgroup id. */
        if (fstat(cgroup_fd, &st) < 0)
                return -errno;
        /* The list first: while there is no mode, the program does not look at it. */
        r = for_each_magic(spec->restrict_filesystems, add_entry, fs->entries_fd, st.st_ino);
        if (r >= 0)
                r = map_update(fs->modes_fd, &(uint64_t) { st.st_ino }, spec->restrict_filesystems_mode == 1);
        if (r < 0) {
                (void) for_each_magic(spec->restrict_filesystems, delete_entry, fs->entries_fd, st.st_ino);
                return r;
        }
        *ret_cgroup_id = st.st_ino;
        return 0;
}

void restrict_fs_remove(RestrictFs *fs, uint64_t cgroup_id, const SandboxSpec *spec) {
        if (fs->modes_fd < 0 || cgroup_id == 0)
                return;
        map_delete(fs->modes_fd, &cgroup_id);
        (void) for_each_magic(spec->restrict_filesystems, delete_entry, fs->entries_fd, cgroup_id);
}

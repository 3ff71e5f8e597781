/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* RestrictFileSystems=: the magics of the names, and what the LSM program is built from, read from
 * this kernel's BTF. Loading the program is the escape test's (tests/escape/test-filesystem-escapes.sh). */
#include <linux/btf.h>
#include <linux/magic.h>
#include <stdio.h>
#include <unistd.h>

#include "btf-vmlinux.h"
#include "filesystem-names.h"
#include "tap.h"

static void test_names(void) {
        ASSERT_TRUE(filesystem_magics("tmpfs") && filesystem_magics("tmpfs")[0] == TMPFS_MAGIC);
        ASSERT_TRUE(filesystem_magics("ext4")[0] == EXT4_SUPER_MAGIC);
        ASSERT_TRUE(filesystem_magics("minix")[4] == MINIX3_SUPER_MAGIC);
        ASSERT_TRUE(filesystem_magics("devtmpfs") && filesystem_magics("devtmpfs")[0] == 0);
        ASSERT_TRUE(!filesystem_magics("nosuchfs"));
        ASSERT_TRUE(!filesystem_magics("@temporary"));
        ASSERT_STREQ(filesystem_group("@temporary")[1], "tmpfs");
        ASSERT_TRUE(!filesystem_group("@nosuch"));
        /* Every member of every group is a name of the table. */
        static const char *const groups[] = { "@basic-api", "@anonymous", "@application", "@auxiliary-api",
                                              "@common-block", "@historical-block", "@network", "@privileged-api",
                                              "@security", "@temporary" };
        bool all = true;
        for (size_t g = 0; g < ELEMENTSOF(groups); g++)
                for (const char *const *m = filesystem_group(groups[g]); m && *m; m++)
                        all = all && filesystem_magics(*m);
        TAP_POINT(all, "every group member has a table entry");
}

static void test_btf(void) {
        _cleanup_(btf_vmlinux_freep) BtfVmlinux *b = NULL;
        uint32_t id;
        int16_t off;

        if (access("/sys/kernel/btf/vmlinux", R_OK) < 0) {
                printf("ok %u - # SKIP no /sys/kernel/btf/vmlinux on this kernel\n", ++tap_count);
                return;
        }
        ASSERT_OK(btf_vmlinux_load(&b));
        TAP_POINT(btf_vmlinux_find(b, BTF_KIND_FUNC, "bpf_lsm_file_open", &id) >= 0 && id > 0,
                  "bpf_lsm_file_open is BTF type %u", id);
        ASSERT_OK(btf_vmlinux_member_offset(b, "file", "f_inode", &off));
        TAP_POINT(off > 0, "file->f_inode at %d", off);
        ASSERT_OK(btf_vmlinux_member_offset(b, "inode", "i_sb", &off));
        ASSERT_OK(btf_vmlinux_member_offset(b, "super_block", "s_magic", &off));
        TAP_POINT(off > 0, "super_block->s_magic at %d", off);
        ASSERT_ERR(btf_vmlinux_member_offset(b, "super_block", "no_such_member", &off), -ENOENT);
        ASSERT_ERR(btf_vmlinux_find(b, BTF_KIND_STRUCT, "no_such_struct_here", &id), -ENOENT);
}

int main(void) {
        test_names();
        test_btf();
        return tap_finish();
}

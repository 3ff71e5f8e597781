/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <linux/magic.h>
#include <string.h>

#include "filesystem-names.h"
#include "macro.h"

/* Magics that linux/magic.h does not carry, from the kernel sources of each file system. */
#define CONFIGFS_MAGIC_ 0x62656570
#define FUSE_CTL_SUPER_MAGIC_ 0x65735543
#define GFS2_MAGIC_ 0x01161970
#define MQUEUE_MAGIC_ 0x19800202
#define ORANGEFS_DEVREQ_MAGIC_ 0x20030528
#define NTFS3_SUPER_MAGIC_ 0x7366746e
#define RPC_PIPEFS_MAGIC_ 0x67596969
#define CEPH_SUPER_MAGIC_ 0x00c36400
#define OCFS2_SUPER_MAGIC_ 0x7461636f
#define VBOXSF_SUPER_MAGIC_ 0x786f4256
#define ZONEFS_MAGIC_ 0x5a4f4653
#define EXFAT_SUPER_MAGIC_ 0x2011bab0

static const struct {
        const char *name;
        uint32_t magics[FILESYSTEM_MAGICS_MAX + 1];
} filesystems[] = {
        { "afs", { AFS_FS_MAGIC, AFS_SUPER_MAGIC } },
        { "anon_inodefs", { ANON_INODE_FS_MAGIC } },
        { "apparmorfs", { AAFS_MAGIC } },
        { "autofs", { AUTOFS_SUPER_MAGIC } },
        { "binfmt_misc", { BINFMTFS_MAGIC } },
        { "bpf", { BPF_FS_MAGIC } },
        { "btrfs", { BTRFS_SUPER_MAGIC } },
        { "ceph", { CEPH_SUPER_MAGIC_ } },
        { "cgroup", { CGROUP_SUPER_MAGIC } },
        { "cgroup2", { CGROUP2_SUPER_MAGIC } },
        { "cifs", { CIFS_SUPER_MAGIC } },
        { "configfs", { CONFIGFS_MAGIC_ } },
        { "cramfs", { CRAMFS_MAGIC } },
        { "debugfs", { DEBUGFS_MAGIC } },
        { "devpts", { DEVPTS_SUPER_MAGIC } },
        { "devtmpfs", { 0 } }, /* in @basic-api; systemd knows no magic of its own for it */
        { "ecryptfs", { ECRYPTFS_SUPER_MAGIC } },
        { "efivarfs", { EFIVARFS_MAGIC } },
        { "erofs", { EROFS_SUPER_MAGIC_V1 } },
        { "exfat", { EXFAT_SUPER_MAGIC_ } },
        { "ext2", { EXT2_SUPER_MAGIC } },
        { "ext3", { EXT3_SUPER_MAGIC } },
        { "ext4", { EXT4_SUPER_MAGIC } },
        { "f2fs", { F2FS_SUPER_MAGIC } },
        { "fuse", { FUSE_SUPER_MAGIC } },
        { "fuseblk", { FUSE_SUPER_MAGIC } },
        { "fusectl", { FUSE_CTL_SUPER_MAGIC_ } },
        { "gfs", { GFS2_MAGIC_ } },
        { "gfs2", { GFS2_MAGIC_ } },
        { "hugetlbfs", { HUGETLBFS_MAGIC } },
        { "iso9660", { ISOFS_SUPER_MAGIC } },
        { "minix", { MINIX_SUPER_MAGIC, MINIX_SUPER_MAGIC2, MINIX2_SUPER_MAGIC, MINIX2_SUPER_MAGIC2, MINIX3_SUPER_MAGIC } },
        { "mqueue", { MQUEUE_MAGIC_ } },
        { "msdos", { MSDOS_SUPER_MAGIC } },
        { "ncp", { NCP_SUPER_MAGIC } },
        { "ncpfs", { NCP_SUPER_MAGIC } },
        { "nfs", { NFS_SUPER_MAGIC } },
        { "nfs4", { NFS_SUPER_MAGIC } },
        { "nsfs", { NSFS_MAGIC } },
        { "ntfs3", { NTFS3_SUPER_MAGIC_ } },
        { "ocfs2", { OCFS2_SUPER_MAGIC_ } },
        { "orangefs", { ORANGEFS_DEVREQ_MAGIC_ } },
        { "overlay", { OVERLAYFS_SUPER_MAGIC } },
        { "pipefs", { PIPEFS_MAGIC } },
        { "proc", { PROC_SUPER_MAGIC } },
        { "pstore", { PSTOREFS_MAGIC } },
        { "pvfs2", { ORANGEFS_DEVREQ_MAGIC_ } },
        { "ramfs", { RAMFS_MAGIC } },
        { "rpc_pipefs", { RPC_PIPEFS_MAGIC_ } },
        { "securityfs", { SECURITYFS_MAGIC } },
        { "selinuxfs", { SELINUX_MAGIC } },
        { "smackfs", { SMACK_MAGIC } },
        { "smb3", { SMB_SUPER_MAGIC } },
        { "smbfs", { SMB_SUPER_MAGIC } },
        { "sockfs", { SOCKFS_MAGIC } },
        { "squashfs", { SQUASHFS_MAGIC } },
        { "sysfs", { SYSFS_MAGIC } },
        { "tmpfs", { TMPFS_MAGIC } },
        { "tracefs", { TRACEFS_MAGIC } },
        { "udf", { UDF_SUPER_MAGIC } },
        { "vboxsf", { VBOXSF_SUPER_MAGIC_ } },
        { "vfat", { MSDOS_SUPER_MAGIC } },
        { "v9fs", { V9FS_MAGIC } },
        { "xenfs", { XENFS_SUPER_MAGIC } },
        { "xfs", { XFS_SUPER_MAGIC } },
        { "zonefs", { ZONEFS_MAGIC_ } },
};

#define G(...) ((const char *const[]) { __VA_ARGS__, NULL })
static const struct {
        const char *name;
        const char *const *members;
} groups[] = {
        { "@basic-api", G("cgroup", "cgroup2", "devpts", "devtmpfs", "mqueue", "proc", "sysfs") },
        { "@anonymous", G("anon_inodefs", "pipefs", "sockfs") },
        { "@application", G("autofs", "fuse", "overlay") },
        { "@auxiliary-api", G("binfmt_misc", "configfs", "efivarfs", "fusectl", "hugetlbfs", "rpc_pipefs", "securityfs") },
        { "@common-block", G("btrfs", "erofs", "exfat", "ext4", "f2fs", "iso9660", "ntfs3", "squashfs", "udf", "vfat",
                             "xfs") },
        { "@historical-block", G("ext2", "ext3", "minix") },
        { "@network", G("afs", "ceph", "cifs", "gfs", "gfs2", "ncp", "ncpfs", "nfs", "nfs4", "ocfs2", "orangefs", "pvfs2",
                        "smb3", "smbfs") },
        { "@privileged-api", G("bpf", "debugfs", "pstore", "tracefs") },
        { "@security", G("apparmorfs", "selinuxfs", "smackfs") },
        { "@temporary", G("ramfs", "tmpfs") },
};
#undef G

const uint32_t *filesystem_magics(const char *name) {
        for (size_t i = 0; i < ELEMENTSOF(filesystems); i++)
                if (streq(filesystems[i].name, name))
                        return filesystems[i].magics;
        return NULL;
}

const char *const *filesystem_group(const char *name) {
        for (size_t i = 0; i < ELEMENTSOF(groups); i++)
                if (streq(groups[i].name, name))
                        return groups[i].members;
        return NULL;
}

const char *filesystem_name_at(size_t i) {
        return i < ELEMENTSOF(filesystems) ? filesystems[i].name : NULL;
}

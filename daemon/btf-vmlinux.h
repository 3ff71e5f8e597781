/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdint.h>

#include "macro.h"

/* The running kernel's BTF, read for the type ids and member offsets a BPF program is built with. */
typedef struct BtfVmlinux BtfVmlinux;

int btf_vmlinux_load(BtfVmlinux **ret);
BtfVmlinux *btf_vmlinux_free(BtfVmlinux *b);
DEFINE_TRIVIAL_CLEANUP_FUNC(BtfVmlinux *, btf_vmlinux_free);

/* The id of the type of that BTF_KIND_* and name (a struct with members, not a declaration). */
int btf_vmlinux_find(const BtfVmlinux *b, unsigned kind, const char *name, uint32_t *ret_id);
/* The byte offset of member in struct type, anonymous members looked through. */
int btf_vmlinux_member_offset(const BtfVmlinux *b, const char *type, const char *member, int16_t *ret);

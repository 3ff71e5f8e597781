/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* File system names for RestrictFileSystems=, as systemd 252 spells them (filesystems-gperf.gperf),
 * with the superblock magic numbers the kernel gives them, and the @groups of its filesystems.c.
 * Pure. */

#define FILESYSTEM_MAGICS_MAX 5

/* The magics of a name ("tmpfs" → TMPFS_MAGIC), 0-terminated; NULL for an unknown name. A name
 * that systemd lists in a group but knows no magic of (devtmpfs) has an empty list. */
const uint32_t *filesystem_magics(const char *name);

/* "@basic-api" → its names, NULL-terminated; NULL for an unknown group. */
const char *const *filesystem_group(const char *name);

/* The i-th name of the table, NULL past the end: "@known" is all of them. */
const char *filesystem_name_at(size_t i);

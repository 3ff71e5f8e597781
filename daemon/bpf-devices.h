/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <linux/bpf.h>
#include <stddef.h>

#include "sandbox-spec.h"

/* DeviceAllow= and DevicePolicy= on the job's cgroup: a BPF_PROG_TYPE_CGROUP_DEVICE program, attached
 * (BPF_CGROUP_DEVICE) to the job's cgroup before the job is cloned into it. A cgroup v2 device
 * program needs no controller: it works wherever the job has a cgroup v2 of its own. */

/* Resolves spec->device_allow into spec->device_rules: a path by stat() below /dev (symlinks may
 * not lead out of it), a class by the majors /proc/devices lists for it; closed, and auto with
 * entries, add the default set first. Leaves the rules empty when nothing is restricted.
 * -EINVAL (with *ret_message) for a path that is not a device node or a class that names nothing. */
int bpf_devices_resolve(SandboxSpec *spec, char **ret_message);

/* The program for the rules: allow what a rule grants, deny the rest. Pure. */
int bpf_devices_build(const DeviceRule *rules, size_t n_rules, struct bpf_insn **ret_insns, size_t *ret_n);

/* Builds and loads the program; *ret_what names the bpf() command that failed. */
int bpf_devices_load(const DeviceRule *rules, size_t n_rules, int *ret_prog_fd, const char **ret_what);

/* Attaches the program to the cgroup (BPF_F_ALLOW_MULTI: programs above still apply too). */
int bpf_devices_attach(int prog_fd, int cgroup_fd);

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Nested sandboxes: a Spawn whose caller runs inside a job asks for a job inside that one. The
 * child runs in its parent's namespaces (so paths, /tmp and the network are the parent's view),
 * under the parent's seccomp filters, in a cgroup below the parent's, and its own properties
 * can only add to that. What the daemon cannot enforce from inside the parent (an identity,
 * capabilities, higher limits) is decided here, on resolved specs. Pure. */

#include "sandbox-spec.h"

/* The first property of child that asks for more than its parent has: another uid, gid or
 * group, a capability, NoNewPrivileges=no, a higher resource limit, a lower nice value, another
 * network namespace (NetworkNamespacePath=). NULL
 * when the child only tightens. child's identity must be resolved. */
const char *spec_nested_loosens(const SandboxSpec *child, const SandboxSpec *parent);

/* The first property of child that a job inside another cannot have: its cgroup lives in its
 * parent's, which holds processes, so it can have no controller limits of its own (the
 * parent's hold it). NULL if none. */
const char *spec_nested_unsupported(const SandboxSpec *child);

/* Lays the parent's process confinement under the child's: the bounding and ambient sets are
 * intersected, NoNewPrivileges is on if the parent's was, and each resource limit and the nice
 * value the child leaves unset is the parent's. The two SystemCallFilter= lists become one, which
 * allows only what both allow: the child's filters are loaded under the parent's, and a parent's
 * list that does not allow seccomp() would keep the child's from loading at all. A call that
 * either list denies then gets the harsher action of the two (kill before an errno). Returns
 * -ENOMEM, or 0. */
int spec_nested_inherit(SandboxSpec *child, const SandboxSpec *parent);

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "sandbox-spec.h"

/* PrivateUsers=yes: a user namespace of the job's own, mapping root, the job's user and its groups to
 * themselves and everything else to nobody, as systemd 252 does for a system service. Made after the
 * other namespaces and the mounts, so that those stay owned by the host's user namespace: root in the
 * job's user namespace cannot change them. Before the credentials, which then apply inside it. */
void exec_enter_user_namespace(const SandboxSpec *spec);

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdint.h>

#include "sandbox-spec.h"

/* IPAddressAllow=, IPAddressDeny= and IPAccounting= on the job's cgroup: two BPF_PROG_TYPE_CGROUP_SKB
 * programs (ingress, egress), attached with BPF_F_ALLOW_MULTI before the job is cloned into the
 * cgroup. As in systemd, a packet whose peer address (the source on ingress, the destination on
 * egress) matches an IPAddressAllow= prefix passes; else one that matches an IPAddressDeny= prefix
 * is dropped; else it passes. The prefixes sit in LPM tries, one per family and list. With
 * IPAccounting=, an array map counts the bytes and packets of each direction that pass, as
 * systemd counts them.
 *
 * RestrictNetworkInterfaces= is matched by the same programs, before the addresses: the names are
 * resolved to ifindexes (in the daemon's network namespace, the host's) when the job starts, and
 * skb->ifindex is looked up in a hash map of them. A name that no interface has is left out, as
 * systemd leaves it out. Since the set holds indexes, an interface renamed later keeps its rule, and
 * one created later under a listed name is not in the set.
 *
 * SocketBindAllow=/SocketBindDeny= are two BPF_PROG_TYPE_CGROUP_SOCK_ADDR programs (bind4, bind6): a
 * bind() to a port that an allow rule matches goes through, else one that a deny rule matches fails
 * with EPERM, else it goes through. As in systemd's program, a rule without ports (any) matches an
 * explicit bind() to port 0 too; the kernel's own choice of a port for a connect() without bind()
 * passes no bind hook.
 *
 * The programs of the cgroups above (a nested job's parent) stay attached and run too: a packet
 * passes only if every program passes it, so a nested job can add filters but never loosen them. */

typedef struct IPFirewall {
        int allow_maps[2];   /* AF_INET, AF_INET6 tries; -EBADF when the list has none of that family */
        int deny_maps[2];
        int accounting_map;  /* -EBADF without IPAccounting= */
        int interfaces_map;  /* RestrictNetworkInterfaces=: the ifindexes; -EBADF without it */
        int interfaces_mode; /* 1: allow-list, 0: deny-list, -1: none */
        int ingress_fd, egress_fd;  /* -EBADF when only SocketBind*= is set */
        int bind4_fd, bind6_fd;     /* -EBADF without SocketBind*= */
} IPFirewall;

typedef struct IPCounters {
        uint64_t ingress_bytes, ingress_packets, egress_bytes, egress_packets;
} IPCounters;

#define IP_FIREWALL_INIT                                                                                 \
        (IPFirewall) {                                                                                   \
                .allow_maps = { -EBADF, -EBADF }, .deny_maps = { -EBADF, -EBADF }, .accounting_map = -EBADF, \
                .interfaces_map = -EBADF, .interfaces_mode = -1, \
                .ingress_fd = -EBADF, .egress_fd = -EBADF, .bind4_fd = -EBADF, .bind6_fd = -EBADF        \
        }
#define IP_COUNTERS_UNSET ((IPCounters) { UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX })

/* Creates and fills the maps and loads both programs; *ret_what names the step that failed. */
int ip_firewall_load(const SandboxSpec *spec, IPFirewall *fw, const char **ret_what);
int ip_firewall_attach(const IPFirewall *fw, int cgroup_fd, const char **ret_what);
/* The counters so far; -ENODATA without IPAccounting=. */
int ip_firewall_read_counters(const IPFirewall *fw, IPCounters *ret);
void ip_firewall_close(IPFirewall *fw);

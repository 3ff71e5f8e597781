/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* DeviceAllow= and DevicePolicy=, as systemd.resource-control(5) defines them. Pure: the daemon
 * resolves paths and classes into DeviceRules (bpf-devices.c), turns the rules into a BPF device
 * program for the job's cgroup, and confine-exec builds a private /dev from the same rules. Both
 * sides decide with device_rules_allow(), so that what the job sees in /dev is what it may open. */

typedef enum DevicePolicy {
        DEVICE_POLICY_AUTO,   /* no restriction, unless DeviceAllow= is given: then as closed */
        DEVICE_POLICY_CLOSED, /* the pseudo devices (device_rules_add_defaults()) plus DeviceAllow= */
        DEVICE_POLICY_STRICT, /* DeviceAllow= only */
        _DEVICE_POLICY_MAX,
        _DEVICE_POLICY_INVALID = -EINVAL,
} DevicePolicy;

const char *device_policy_to_string(DevicePolicy p);
DevicePolicy device_policy_from_string(const char *s);

/* The kernel's values (BPF_DEVCG_ACC_*, BPF_DEVCG_DEV_*), so they go into the program as they are. */
#define DEVICE_ACCESS_MKNOD 1u
#define DEVICE_ACCESS_READ  2u
#define DEVICE_ACCESS_WRITE 4u
#define DEVICE_ACCESS_ALL   7u

typedef enum DeviceType {
        DEVICE_TYPE_BLOCK = 1,
        DEVICE_TYPE_CHAR = 2,
} DeviceType;

#define DEVICE_NUMBER_ANY UINT32_MAX

/* Limits: entries in DeviceAllow=, and rules once classes are expanded. */
#define DEVICE_ALLOW_MAX 256u
#define DEVICE_RULES_MAX 1024u

/* One DeviceAllow= entry as given. */
typedef struct DeviceAllow {
        char *node;      /* "/dev/null", "char-pts", "block-loop", "char-*" */
        unsigned access; /* DEVICE_ACCESS_* bits, never 0 */
} DeviceAllow;

/* One resolved entry: a device number (or a whole major, or a whole type) and its access. */
typedef struct DeviceRule {
        DeviceType type;
        uint32_t major;  /* DEVICE_NUMBER_ANY: any (a class "char-*") */
        uint32_t minor;  /* DEVICE_NUMBER_ANY: any (a class) */
        unsigned access;
        char *path;      /* the /dev node the rule came from, or NULL for a class */
} DeviceRule;

/* "r", "rw", "rwm" … in any order, each letter once; "" is "rwm", as in systemd. */
int device_access_from_string(const char *s, unsigned *ret);
/* Into buf (at least 4 bytes): "rwm", "r" … */
const char *device_access_to_string(unsigned access, char *buf);

typedef enum DeviceNodeKind {
        DEVICE_NODE_PATH,        /* /dev/… */
        DEVICE_NODE_CHAR_CLASS,  /* char-NAME */
        DEVICE_NODE_BLOCK_CLASS, /* block-NAME */
} DeviceNodeKind;

/* Checks the syntax of a DeviceAllow= node: a normalized absolute path below /dev/, or "char-" or
 * "block-" followed by a name of /proc/devices (printable, no blanks), a glob, or a number.
 * Returns the DeviceNodeKind, or -EINVAL. */
int device_node_kind(const char *node);

/* Whether a job with this policy and this many DeviceAllow= entries is restricted at all. */
bool device_policy_restricts(DevicePolicy p, size_t n_allow);
/* 0: unrestricted; 1: closed (or auto with entries); 2: strict. */
int device_policy_level(DevicePolicy p, size_t n_allow);

int device_allow_add(DeviceAllow **list, size_t *n, const char *node, unsigned access);
void device_allow_free(DeviceAllow *list, size_t n);
/* Every entry of a is granted by an entry of b with the same node and at least its access. */
bool device_allow_is_subset(const DeviceAllow *a, size_t n_a, const DeviceAllow *b, size_t n_b);

/* Appends a copy of rule (and of its path). -E2BIG past DEVICE_RULES_MAX. */
int device_rules_add(DeviceRule **rules, size_t *n, const DeviceRule *rule);
/* Appends systemd's default set of closed and auto: /dev/null, zero, full, random, urandom, tty and
 * ptmx (rwm) and the pseudo terminals, char-pts (rw). Their numbers are fixed by the kernel's
 * Documentation/admin-guide/devices.txt. */
int device_rules_add_defaults(DeviceRule **rules, size_t *n);
/* Appends mknod (only) of 0:0, character and block, which is no device: confine-exec creates such
 * nodes to cover InaccessiblePaths= with, and it already runs in the job's cgroup then. Every
 * restricted job gets these, under every policy. */
int device_rules_add_inaccessible(DeviceRule **rules, size_t *n);
void device_rules_free(DeviceRule *rules, size_t n);

/* What the BPF program decides: whether some rule grants every bit of access to this device. */
bool device_rules_allow(const DeviceRule *rules, size_t n, DeviceType type, uint32_t major, uint32_t minor,
                        unsigned access);

/* The majors a class name stands for, from the text of /proc/devices: "*" is every major
 * (DEVICE_NUMBER_ANY), a decimal number is itself, anything else is matched as a glob against the
 * names in the type's section. Returns how many were found (0: none), each once. */
int device_class_majors(const char *proc_devices, DeviceType type, const char *name, uint32_t **ret_majors);

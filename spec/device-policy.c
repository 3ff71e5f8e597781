/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device-policy.h"
#include "macro.h"
#include "parse-util.h"

static const char *const device_policy_table[_DEVICE_POLICY_MAX] = {
        [DEVICE_POLICY_AUTO] = "auto",
        [DEVICE_POLICY_CLOSED] = "closed",
        [DEVICE_POLICY_STRICT] = "strict",
};

const char *device_policy_to_string(DevicePolicy p) {
        return p >= 0 && p < _DEVICE_POLICY_MAX ? device_policy_table[p] : NULL;
}

DevicePolicy device_policy_from_string(const char *s) {
        for (int i = 0; i < _DEVICE_POLICY_MAX; i++)
                if (streq(s, device_policy_table[i]))
                        return (DevicePolicy) i;
        return _DEVICE_POLICY_INVALID;
}

int device_access_from_string(const char *s, unsigned *ret) {
        unsigned access = 0;

        if (s[0] == 0) {
                *ret = DEVICE_ACCESS_ALL;
                return 0;
        }
        for (const char *p = s; *p; p++) {
                unsigned bit = *p == 'r' ? DEVICE_ACCESS_READ :
                               *p == 'w' ? DEVICE_ACCESS_WRITE :
                               *p == 'm' ? DEVICE_ACCESS_MKNOD : 0;
                if (bit == 0 || (access & bit))
                        return -EINVAL;
                access |= bit;
        }
        *ret = access;
        return 0;
}

const char *device_access_to_string(unsigned access, char *buf) {
        char *p = buf;

        if (access & DEVICE_ACCESS_READ)
                *p++ = 'r';
        if (access & DEVICE_ACCESS_WRITE)
                *p++ = 'w';
        if (access & DEVICE_ACCESS_MKNOD)
                *p++ = 'm';
        *p = 0;
        return buf;
}

int device_node_kind(const char *node) {
        const char *name;
        DeviceNodeKind kind;

        if (strneq(node, "/dev/", 5)) {
                size_t l = strlen(node);
                if (l == 5 || node[l - 1] == '/' || !path_is_normalized_absolute(node))
                        return -EINVAL;
                for (const char *p = node; *p; p++)
                        if ((unsigned char) *p < 0x20 || *p == 0x7f)
                                return -EINVAL;
                return DEVICE_NODE_PATH;
        }
        if (strneq(node, "char-", 5)) {
                name = node + 5;
                kind = DEVICE_NODE_CHAR_CLASS;
        } else if (strneq(node, "block-", 6)) {
                name = node + 6;
                kind = DEVICE_NODE_BLOCK_CLASS;
        } else
                return -EINVAL;
        if (name[0] == 0 || strlen(name) > 64)
                return -EINVAL;
        for (const char *p = name; *p; p++)
                if (*p <= ' ' || *p >= 0x7f)
                        return -EINVAL;
        return kind;
}

bool device_policy_restricts(DevicePolicy p, size_t n_allow) {
        return p != DEVICE_POLICY_AUTO || n_allow > 0;
}

int device_policy_level(DevicePolicy p, size_t n_allow) {
        if (p == DEVICE_POLICY_STRICT)
                return 2;
        return device_policy_restricts(p, n_allow) ? 1 : 0;
}

int device_allow_add(DeviceAllow **list, size_t *n, const char *node, unsigned access) {
        DeviceAllow *l;
        char *copy;

        /* The same node twice: one entry with both accesses, as the program would grant anyway. */
        for (size_t i = 0; i < *n; i++)
                if (streq((*list)[i].node, node)) {
                        (*list)[i].access |= access;
                        return 0;
                }
        if (*n >= DEVICE_ALLOW_MAX)
                return -E2BIG;
        copy = strdup(node);
        if (!copy)
                return -ENOMEM;
        l = realloc(*list, (*n + 1) * sizeof(DeviceAllow));
        if (!l) {
                free(copy);
                return -ENOMEM;
        }
        *list = l;
        l[(*n)++] = (DeviceAllow) { .node = copy, .access = access };
        return 0;
}

void device_allow_free(DeviceAllow *list, size_t n) {
        for (size_t i = 0; i < n; i++)
                free(list[i].node);
        free(list);
}

bool device_allow_is_subset(const DeviceAllow *a, size_t n_a, const DeviceAllow *b, size_t n_b) {
        for (size_t i = 0; i < n_a; i++) {
                bool found = false;
                for (size_t k = 0; k < n_b && !found; k++)
                        found = streq(a[i].node, b[k].node) && (a[i].access & ~b[k].access) == 0;
                if (!found)
                        return false;
        }
        return true;
}

int device_rules_add(DeviceRule **rules, size_t *n, const DeviceRule *rule) {
        DeviceRule *l;
        char *path = NULL;

        if (*n >= DEVICE_RULES_MAX)
                return -E2BIG;
        if (rule->path) {
                path = strdup(rule->path);
                if (!path)
                        return -ENOMEM;
        }
        l = realloc(*rules, (*n + 1) * sizeof(DeviceRule));
        if (!l) {
                free(path);
                return -ENOMEM;
        }
        *rules = l;
        l[*n] = *rule;
        l[(*n)++].path = path;
        return 0;
}

int device_rules_add_defaults(DeviceRule **rules, size_t *n) {
        static const DeviceRule defaults[] = {
                { DEVICE_TYPE_CHAR, 1, 3, DEVICE_ACCESS_ALL, (char *) "/dev/null" },
                { DEVICE_TYPE_CHAR, 1, 5, DEVICE_ACCESS_ALL, (char *) "/dev/zero" },
                { DEVICE_TYPE_CHAR, 1, 7, DEVICE_ACCESS_ALL, (char *) "/dev/full" },
                { DEVICE_TYPE_CHAR, 1, 8, DEVICE_ACCESS_ALL, (char *) "/dev/random" },
                { DEVICE_TYPE_CHAR, 1, 9, DEVICE_ACCESS_ALL, (char *) "/dev/urandom" },
                { DEVICE_TYPE_CHAR, 5, 0, DEVICE_ACCESS_ALL, (char *) "/dev/tty" },
                { DEVICE_TYPE_CHAR, 5, 2, DEVICE_ACCESS_ALL, (char *) "/dev/ptmx" },
                /* char-pts: the Unix98 pty slaves. */
                { DEVICE_TYPE_CHAR, 136, DEVICE_NUMBER_ANY, DEVICE_ACCESS_READ | DEVICE_ACCESS_WRITE, NULL },
        };

        for (size_t i = 0; i < ELEMENTSOF(defaults); i++) {
                int r = device_rules_add(rules, n, defaults + i);
                if (r < 0)
                        return r;
        }
        return 0;
}

int device_rules_add_inaccessible(DeviceRule **rules, size_t *n) {
        static const DeviceRule nodes[] = {
                { DEVICE_TYPE_CHAR, 0, 0, DEVICE_ACCESS_MKNOD, NULL },
                { DEVICE_TYPE_BLOCK, 0, 0, DEVICE_ACCESS_MKNOD, NULL },
        };

        for (size_t i = 0; i < ELEMENTSOF(nodes); i++) {
                int r = device_rules_add(rules, n, nodes + i);
                if (r < 0)
                        return r;
        }
        return 0;
}

void device_rules_free(DeviceRule *rules, size_t n) {
        for (size_t i = 0; i < n; i++)
                free(rules[i].path);
        free(rules);
}

bool device_rules_allow(const DeviceRule *rules, size_t n, DeviceType type, uint32_t major, uint32_t minor,
                        unsigned access) {
        for (size_t i = 0; i < n; i++) {
                const DeviceRule *r = rules + i;

                if (r->type != type)
                        continue;
                if (r->major != DEVICE_NUMBER_ANY && r->major != major)
                        continue;
                if (r->minor != DEVICE_NUMBER_ANY && r->minor != minor)
                        continue;
                if (access & ~r->access)
                        continue;
                return true;
        }
        return false;
}

static int majors_add(uint32_t **majors, size_t *n, uint32_t major) {
        uint32_t *l;

        for (size_t i = 0; i < *n; i++)
                if ((*majors)[i] == major)
                        return 0;
        l = realloc(*majors, (*n + 1) * sizeof(uint32_t));
        if (!l)
                return -ENOMEM;
        *majors = l;
        l[(*n)++] = major;
        return 0;
}

/* A decimal major: 0 … 4095 (the kernel's 12 bits). */
static int parse_major(const char *s, uint32_t *ret) {
        uint32_t v = 0;

        if (!*s || strlen(s) > 4)
                return -EINVAL;
        for (const char *p = s; *p; p++) {
                if (*p < '0' || *p > '9')
                        return -EINVAL;
                v = v * 10 + (uint32_t) (*p - '0');
        }
        if (v >= 4096)
                return -ERANGE;
        *ret = v;
        return 0;
}

int device_class_majors(const char *proc_devices, DeviceType type, const char *name, uint32_t **ret_majors) {
        const char *header = type == DEVICE_TYPE_CHAR ? "Character devices:" : "Block devices:";
        _cleanup_free_ uint32_t *majors = NULL;
        bool in_section = false;
        size_t n = 0;
        uint32_t major;
        int r;

        if (streq(name, "*") || parse_major(name, &major) >= 0) {
                majors = malloc(sizeof(uint32_t));
                if (!majors)
                        return -ENOMEM;
                majors[0] = streq(name, "*") ? DEVICE_NUMBER_ANY : major;
                *ret_majors = TAKE_PTR(majors);
                return 1;
        }

        for (const char *line = proc_devices; line && *line;) {
                const char *end = strchrnul(line, '\n');
                size_t len = (size_t) (end - line);
                char buf[256], number[16], dev_name[200];

                if (len < sizeof buf) {
                        memcpy(buf, line, len);
                        buf[len] = 0;
                        if (streq(buf, "Character devices:") || streq(buf, "Block devices:"))
                                in_section = streq(buf, header);
                        else if (len == 0)
                                in_section = false;
                        else if (in_section && sscanf(buf, " %15s %199s", number, dev_name) == 2 &&
                                 parse_major(number, &major) >= 0 && fnmatch(name, dev_name, 0) == 0) {
                                r = majors_add(&majors, &n, major);
                                if (r < 0)
                                        return r;
                        }
                }
                line = *end ? end + 1 : end;
        }

        *ret_majors = n > 0 ? TAKE_PTR(majors) : NULL;
        return (int) n;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>

#include "bus-util.h"
#include "strv.h"

/* The uid and pid of a unique name, remembered: asking the bus costs a blocking round trip through
 * dbus-daemon (GetConnectionCredentials), two per Spawn+Wait. A unique name belongs to one connection
 * and is never given out again while the bus runs, and a connection's credentials (taken when it
 * connected) do not change, so an entry cannot go stale; the cache is only bounded. */
#define SENDER_UID_CACHE_SIZE 64

typedef struct SenderUid {
        char name[32];
        uid_t uid;
        pid_t pid;
        uint64_t used;
} SenderUid;

static SenderUid sender_uid_cache[SENDER_UID_CACHE_SIZE];
static uint64_t sender_uid_clock;

static SenderUid *sender_uid_find(const char *name) {
        for (size_t i = 0; i < SENDER_UID_CACHE_SIZE; i++)
                if (streq(sender_uid_cache[i].name, name))
                        return sender_uid_cache + i;
        return NULL;
}

static void sender_uid_remember(const char *name, uid_t uid, pid_t pid) {
        SenderUid *e = sender_uid_cache;

        if (strlen(name) >= sizeof e->name)
                return;
        for (size_t i = 1; i < SENDER_UID_CACHE_SIZE; i++)
                if (sender_uid_cache[i].used < e->used)
                        e = sender_uid_cache + i;
        strcpy(e->name, name);
        e->uid = uid;
        e->pid = pid;
        e->used = ++sender_uid_clock;
}

int bus_message_get_sender_creds(sd_bus_message *m, uid_t *ret_uid, pid_t *ret_pid) {
        _cleanup_(sd_bus_creds_unrefp) sd_bus_creds *creds = NULL;
        const char *sender = sd_bus_message_get_sender(m);
        SenderUid *e;
        uid_t uid;
        pid_t pid = 0;
        int r;

        /* Only unique names (":1.42"): a well-known name can change hands. */
        if (sender && sender[0] == ':') {
                e = sender_uid_find(sender);
                if (e) {
                        e->used = ++sender_uid_clock;
                        *ret_uid = e->uid;
                        if (ret_pid)
                                *ret_pid = e->pid;
                        return 0;
                }
        }

        r = sd_bus_query_sender_creds(m, SD_BUS_CREDS_EUID | SD_BUS_CREDS_UID | SD_BUS_CREDS_PID, &creds);
        if (r < 0)
                return r;
        r = sd_bus_creds_get_euid(creds, &uid);
        if (r < 0)
                r = sd_bus_creds_get_uid(creds, &uid);
        if (r < 0)
                return r;
        (void) sd_bus_creds_get_pid(creds, &pid);
        if (sender && sender[0] == ':')
                sender_uid_remember(sender, uid, pid);
        *ret_uid = uid;
        if (ret_pid)
                *ret_pid = pid;
        return 0;
}

int bus_message_get_sender_uid(sd_bus_message *m, uid_t *ret) {
        return bus_message_get_sender_creds(m, ret, NULL);
}

int bus_message_read_strv_bounded(sd_bus_message *m, size_t max_items, size_t max_bytes, char ***ret) {
        _cleanup_strv_free_ char **l = NULL;
        size_t n = 0, allocated = 0, bytes = 0;
        const char *s;
        int r;

        r = sd_bus_message_enter_container(m, 'a', "s");
        if (r < 0)
                return r;
        while ((r = sd_bus_message_read(m, "s", &s)) > 0) {
                bytes += strlen(s) + 1;
                if (n >= max_items || bytes > max_bytes)
                        return -E2BIG;
                if (n + 2 > allocated) {
                        size_t a = MAX(allocated * 2, (size_t) 8);
                        char **grown = reallocarray(l, a, sizeof(char *));
                        if (!grown)
                                return -ENOMEM;
                        l = grown;
                        allocated = a;
                }
                l[n] = strdup(s);
                if (!l[n])
                        return -ENOMEM;
                l[++n] = NULL;
        }
        if (r < 0)
                return r;
        r = sd_bus_message_exit_container(m);
        if (r < 0)
                return r;
        if (!l) {
                l = calloc(1, sizeof(char *));
                if (!l)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(l);
        return 0;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>

#include "bus-util.h"
#include "strv.h"

/* The uid of a unique name, remembered: asking the bus costs a blocking round trip through
 * dbus-daemon (GetConnectionCredentials), two per Spawn+Wait. A unique name belongs to one connection
 * and is never given out again while the bus runs, and a connection's uid does not change, so an entry
 * cannot go stale; the cache is only bounded. */
#define SENDER_UID_CACHE_SIZE 64

typedef struct SenderUid {
        char name[32];
        uid_t uid;
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

static void sender_uid_remember(const char *name, uid_t uid) {
        SenderUid *e = sender_uid_cache;

        if (strlen(name) >= sizeof e->name)
                return;
        for (size_t i = 1; i < SENDER_UID_CACHE_SIZE; i++)
                if (sender_uid_cache[i].used < e->used)
                        e = sender_uid_cache + i;
        strcpy(e->name, name);
        e->uid = uid;
        e->used = ++sender_uid_clock;
}

int bus_message_get_sender_uid(sd_bus_message *m, uid_t *ret) {
        _cleanup_(sd_bus_creds_unrefp) sd_bus_creds *creds = NULL;
        const char *sender = sd_bus_message_get_sender(m);
        SenderUid *e;
        int r;

        /* Only unique names (":1.42"): a well-known name can change hands. */
        if (sender && sender[0] == ':') {
                e = sender_uid_find(sender);
                if (e) {
                        e->used = ++sender_uid_clock;
                        *ret = e->uid;
                        return 0;
                }
        }

        r = sd_bus_query_sender_creds(m, SD_BUS_CREDS_EUID | SD_BUS_CREDS_UID, &creds);
        if (r < 0)
                return r;
        r = sd_bus_creds_get_euid(creds, ret);
        if (r < 0)
                r = sd_bus_creds_get_uid(creds, ret);
        if (r >= 0 && sender && sender[0] == ':')
                sender_uid_remember(sender, *ret);
        return r;
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

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>

#include "bus-util.h"
#include "log.h"
#include "polkit.h"
#include "strv.h"

typedef struct PolkitQuery {
        PolkitCallback callback;
        void *userdata;
} PolkitQuery;

static int polkit_reply(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error) {
        PolkitQuery *q = userdata;
        const sd_bus_error *e;
        int authorized, challenge, r;

        e = sd_bus_message_get_error(reply);
        if (e) {
                log_warning("polkit check failed (%s: %s), denying.", e->name, strempty(e->message));
                q->callback(-EACCES, false, e, q->userdata);
                return 0;
        }

        r = sd_bus_message_enter_container(reply, 'r', "bba{ss}");
        if (r >= 0)
                r = sd_bus_message_read(reply, "bb", &authorized, &challenge);
        if (r < 0) {
                log_warning_errno(r, "Malformed polkit reply, denying: %m");
                q->callback(-EBADMSG, false, NULL, q->userdata);
                return 0;
        }

        q->callback(authorized ? 1 : 0, challenge, NULL, q->userdata);
        return 0;
}

int polkit_check_async(sd_bus_message *message, const char *action, char **details, uint64_t timeout_usec,
                       PolkitCallback callback, void *userdata, sd_bus_slot **ret_slot) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *call = NULL;
        sd_bus *bus = sd_bus_message_get_bus(message);
        const char *sender = sd_bus_message_get_sender(message);
        uint32_t flags = 0;
        PolkitQuery *q;
        int r;

        if (!sender)
                return -EBADMSG;
        if (sd_bus_message_get_allow_interactive_authorization(message) > 0)
                flags |= 1; /* AllowUserInteraction */

        r = sd_bus_message_new_method_call(bus, &call, "org.freedesktop.PolicyKit1",
                                           "/org/freedesktop/PolicyKit1/Authority",
                                           "org.freedesktop.PolicyKit1.Authority", "CheckAuthorization");
        if (r < 0)
                return r;

        r = sd_bus_message_append(call, "(sa{sv})s", "system-bus-name", 1, "name", "s", sender, action);
        if (r < 0)
                return r;
        r = sd_bus_message_open_container(call, 'a', "{ss}");
        if (r < 0)
                return r;
        for (char **d = details; d && d[0] && d[1]; d += 2) {
                r = sd_bus_message_append(call, "{ss}", d[0], d[1]);
                if (r < 0)
                        return r;
        }
        r = sd_bus_message_close_container(call);
        if (r < 0)
                return r;
        r = sd_bus_message_append(call, "us", flags, "");
        if (r < 0)
                return r;

        q = calloc(1, sizeof *q);
        if (!q)
                return -ENOMEM;
        q->callback = callback;
        q->userdata = userdata;

        r = sd_bus_call_async(bus, ret_slot, call, polkit_reply, q, timeout_usec);
        if (r < 0) {
                free(q);
                return r;
        }
        /* The query lives exactly as long as the slot. */
        (void) sd_bus_slot_set_destroy_callback(*ret_slot, free);
        return 0;
}

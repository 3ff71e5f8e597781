/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>

#include "bus-context.h"
#include "bus-subscribe.h"
#include "bus-util.h"
#include "log.h"
#include "manager.h"
#include "polkit.h"

Subscriber *subscriber_free(Subscriber *s) {
        BusContext *c;

        if (!s)
                return NULL;
        c = s->context;
        if (s->prev)
                s->prev->next = s->next;
        else if (c->subscribers == s)
                c->subscribers = s->next;
        if (s->next)
                s->next->prev = s->prev;

        sd_bus_slot_unref(s->polkit_slot); /* cancels a pending check */
        sd_bus_track_unref(s->track);
        sd_bus_message_unref(s->request);
        free(s->name);
        free(s);
        return NULL;
}

bool subscriber_may_manage_jobs(BusContext *c, const char *sender) {
        if (!sender)
                return false;
        for (Subscriber *s = c->subscribers; s; s = s->next)
                if (subscriber_active(s) && streq(s->name, sender))
                        return true;
        return false;
}

unsigned subscribers_pending_of(BusContext *c, uid_t uid) {
        unsigned n = 0;
        for (Subscriber *s = c->subscribers; s; s = s->next)
                if (!subscriber_active(s) && s->uid == uid)
                        n++;
        return n;
}

static Subscriber *find_active(BusContext *c, const char *name) {
        for (Subscriber *s = c->subscribers; s; s = s->next)
                if (subscriber_active(s) && streq(s->name, name))
                        return s;
        return NULL;
}

static int on_subscriber_gone(sd_bus_track *t, void *userdata) {
        Subscriber *s = userdata;

        log_debug("Subscriber %s left the bus.", s->name);
        subscriber_free(s);
        return 0;
}

static void on_polkit_answer(int result, bool challenge, const sd_bus_error *e, void *userdata) {
        Subscriber *s = userdata;
        sd_bus_message *request = s->request;

        /* sd-bus holds the slot while this runs. */
        s->polkit_slot = sd_bus_slot_unref(s->polkit_slot);
        if (result > 0) {
                s->request = NULL;
                (void) sd_bus_reply_method_return(request, NULL);
                sd_bus_message_unref(request);
                /* A second Subscribe of the same connection that was checked at the same time. */
                for (Subscriber *o = s->context->subscribers; o; o = o->next)
                        if (o != s && subscriber_active(o) && streq(o->name, s->name)) {
                                subscriber_free(s);
                                return;
                        }
                log_info("%s (uid %u) subscribed to all jobs.", s->name, (unsigned) s->uid);
                return;
        }
        if (challenge)
                (void) sd_bus_reply_method_errorf(request, SD_BUS_ERROR_INTERACTIVE_AUTHORIZATION_REQUIRED,
                                                  "Interactive authentication required to subscribe to all jobs");
        else if (result < 0)
                (void) sd_bus_reply_method_errorf(request, SD_BUS_ERROR_ACCESS_DENIED,
                                                  "Authorization check failed (%s), access denied",
                                                  e && e->name ? e->name : "no answer from polkit");
        else
                (void) sd_bus_reply_method_errorf(request, SD_BUS_ERROR_ACCESS_DENIED,
                                                  "Not authorized to subscribe to all jobs (%s)",
                                                  POLKIT_ACTION_MANAGE_JOBS);
        subscriber_free(s);
}

int bus_manager_method_subscribe(sd_bus_message *message, void *userdata, sd_bus_error *error) {
        BusContext *c = userdata;
        const DaemonConfig *config = &c->manager->config;
        const char *sender = sd_bus_message_get_sender(message);
        Subscriber *s;
        uid_t uid;
        int r;

        if (!sender)
                return -EBADMSG;
        r = bus_message_get_sender_uid(message, &uid);
        if (r < 0)
                return r;
        if (find_active(c, sender))
                return sd_bus_reply_method_return(message, NULL);
        if (uid != 0 && bus_context_pending_checks_of(c, uid) >= config->max_pending_polkit_per_user)
                return sd_bus_error_setf(error, CONFINE_ERROR_QUOTA_EXCEEDED,
                                         "MaxPendingPerUser: %u authorization checks already pending",
                                         config->max_pending_polkit_per_user);

        s = calloc(1, sizeof *s);
        if (!s)
                return -ENOMEM;
        *s = (Subscriber) {
                .context = c,
                .uid = uid,
                .next = c->subscribers,
        };
        if (c->subscribers)
                c->subscribers->prev = s;
        c->subscribers = s;

        s->name = strdup(sender);
        if (!s->name) {
                subscriber_free(s);
                return -ENOMEM;
        }
        r = sd_bus_track_new(c->bus, &s->track, on_subscriber_gone, s);
        if (r >= 0)
                r = sd_bus_track_add_sender(s->track, message);
        if (r < 0) {
                subscriber_free(s);
                return sd_bus_error_set_errnof(error, -r, "Cannot track the caller: %s", strerror(-r));
        }

        if (uid == 0) {
                log_info("%s (uid 0) subscribed to all jobs.", s->name);
                return sd_bus_reply_method_return(message, NULL);
        }

        s->request = sd_bus_message_ref(message);
        r = polkit_check_async(message, POLKIT_ACTION_MANAGE_JOBS, NULL, config->polkit_timeout_usec,
                               on_polkit_answer, s, &s->polkit_slot);
        if (r < 0) {
                subscriber_free(s);
                return sd_bus_error_setf(error, SD_BUS_ERROR_ACCESS_DENIED, "Cannot ask polkit (%s), access denied",
                                         strerror(-r));
        }
        return 1;
}

int bus_manager_method_unsubscribe(sd_bus_message *message, void *userdata, sd_bus_error *error) {
        BusContext *c = userdata;
        const char *sender = sd_bus_message_get_sender(message);
        Subscriber *next;

        if (!sender)
                return -EBADMSG;
        /* Also a Subscribe still waiting for polkit: the calls take effect in the order they were sent. */
        for (Subscriber *s = c->subscribers; s; s = next) {
                next = s->next;
                if (!streq(s->name, sender))
                        continue;
                if (s->request)
                        (void) sd_bus_reply_method_errorf(s->request, SD_BUS_ERROR_FAILED,
                                                          "Subscribe was cancelled by Unsubscribe");
                subscriber_free(s);
        }
        return sd_bus_reply_method_return(message, NULL);
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "confine-ping-gate.h"

/* Shared between the filter (GDBus's worker thread), the pending replies (the main context)
 * and the owner: whoever drops the last reference frees it. */
typedef struct {
        gatomicrefcount ref;
        GMutex lock;
        gboolean closed;
        gchar *peer;
        GMainContext *context;
} GateState;

struct ConfinePingGate {
        GDBusConnection *connection;
        guint filter_id;
        GateState *state;
};

typedef struct {
        GateState *state;
        GDBusConnection *connection;
        GDBusMessage *ping;
} PendingReply;

static GateState *state_ref (GateState *s) {
        g_atomic_ref_count_inc (&s->ref);
        return s;
}

static void state_unref (GateState *s) {
        if (!g_atomic_ref_count_dec (&s->ref))
                return;
        g_mutex_clear (&s->lock);
        g_free (s->peer);
        g_main_context_unref (s->context);
        g_free (s);
}

static gboolean send_reply (gpointer data) {
        PendingReply *p = data;
        g_autoptr (GDBusMessage) reply = g_dbus_message_new_method_reply (p->ping);

        /* A failure means the connection is gone: the daemon no longer waits either. */
        (void) g_dbus_connection_send_message (p->connection, reply, G_DBUS_SEND_MESSAGE_FLAGS_NONE, NULL, NULL);
        return G_SOURCE_REMOVE;
}

static void pending_reply_free (gpointer data) {
        PendingReply *p = data;

        state_unref (p->state);
        g_object_unref (p->connection);
        g_object_unref (p->ping);
        g_free (p);
}

static gboolean is_ping_from (GDBusMessage *m, const gchar *peer) {
        return g_dbus_message_get_message_type (m) == G_DBUS_MESSAGE_TYPE_METHOD_CALL &&
               g_strcmp0 (g_dbus_message_get_interface (m), "org.freedesktop.DBus.Peer") == 0 &&
               g_strcmp0 (g_dbus_message_get_member (m), "Ping") == 0 &&
               g_strcmp0 (g_dbus_message_get_sender (m), peer) == 0;
}

/* Runs in GDBus's worker thread, for every message. Signals are queued to the main context
 * right after the filters of their own message ran, so a reply queued here comes after them:
 * sources of one priority are dispatched in the order they were attached. */
static GDBusMessage *filter (GDBusConnection *connection, GDBusMessage *message, gboolean incoming, gpointer data) {
        GateState *s = data;
        PendingReply *p;
        GSource *source;

        if (!incoming)
                return message;
        g_mutex_lock (&s->lock);
        if (s->closed || !is_ping_from (message, s->peer)) {
                g_mutex_unlock (&s->lock);
                return message;
        }
        p = g_new0 (PendingReply, 1);
        p->state = state_ref (s);
        p->connection = g_object_ref (connection);
        p->ping = message; /* the filter owns the message; we keep it and drop it from dispatch */
        source = g_idle_source_new ();
        g_source_set_priority (source, G_PRIORITY_DEFAULT);
        g_source_set_callback (source, send_reply, p, pending_reply_free);
        g_source_set_static_name (source, "[confine] Ping reply");
        g_source_attach (source, s->context);
        g_source_unref (source);
        g_mutex_unlock (&s->lock);
        return NULL;
}

static void filter_data_free (gpointer data) {
        state_unref (data);
}

ConfinePingGate *confine_ping_gate_new (GDBusConnection *connection, const gchar *peer, GMainContext *context) {
        ConfinePingGate *gate = g_new0 (ConfinePingGate, 1);
        GateState *s = g_new0 (GateState, 1);

        g_atomic_ref_count_init (&s->ref);
        g_mutex_init (&s->lock);
        s->peer = g_strdup (peer);
        s->context = g_main_context_ref (context);
        gate->state = s;
        gate->connection = g_object_ref (connection);
        gate->filter_id = g_dbus_connection_add_filter (connection, filter, state_ref (s), filter_data_free);
        return gate;
}

void confine_ping_gate_free (ConfinePingGate *gate) {
        if (!gate)
                return;
        /* The filter may still be running in the worker thread after remove_filter(): closed
         * makes it pass messages on from now on. Pings already held are still answered. */
        g_mutex_lock (&gate->state->lock);
        gate->state->closed = TRUE;
        g_mutex_unlock (&gate->state->lock);
        g_dbus_connection_remove_filter (gate->connection, gate->filter_id);
        state_unref (gate->state);
        g_object_unref (gate->connection);
        g_free (gate);
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gio/gio.h>

/* Flow control for Output signals (Spawn flag 2). confined stops reading a job's pipes
 * while more than a window of its Output is unacknowledged, and it acknowledges by calling
 * org.freedesktop.DBus.Peer.Ping on the owner: the reply tells it that the owner has taken
 * every earlier message. GDBus would answer in its worker thread at once, long before the
 * application has seen the Output signals queued for its main context, so the window would
 * bound nothing. The gate holds the daemon's Pings back and answers each from the client's
 * main context, after the signals that came before it have been dispatched. */
typedef struct ConfinePingGate ConfinePingGate;

ConfinePingGate *confine_ping_gate_new (GDBusConnection *connection, const gchar *peer, GMainContext *context);
/* Stops holding Pings back (GDBus answers them again) and frees the gate. */
void confine_ping_gate_free (ConfinePingGate *gate);

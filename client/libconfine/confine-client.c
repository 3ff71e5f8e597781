/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "confine-ping-gate.h"
#include "confine-private.h"
#include "confine/confine-error.h"

/**
 * ConfineClient:
 *
 * A connection to confined, org.confine.Confine1.Manager. Make one with
 * confine_client_new() for the system bus, or confine_client_new_for_connection() for
 * any message bus connection, for example one to another host through
 * systemd-stdio-bridge.
 *
 * Signals of the daemon (a job's output, its end …) are dispatched in the main context
 * that was the thread-default one when the client was made; run it.
 */
struct _ConfineClient {
        GObject parent_instance;
        GDBusConnection *connection;
        GMainContext *context;
        gchar *daemon_name;     /* the daemon's unique name: signals are taken only from it */
        ConfineDBusManager *manager;
        guint subscription;
        ConfinePingGate *gate;
        GHashTable *jobs;       /* object path → ConfineJob, not referenced */
        GHashTable *kept;       /* object path → ConfineJob, referenced: see keep_job() */
        guint n_pending_spawns;
        gboolean subscribed;
        gboolean allow_interactive;
        gboolean daemon_gone;   /* its unique name left the bus, or the connection closed */
        gulong closed_handler;
};

enum {
        PROP_0,
        PROP_CONNECTION,
        PROP_DAEMON_NAME,
        PROP_ALLOW_INTERACTIVE_AUTHORIZATION,
        N_PROPS
};
static GParamSpec *props[N_PROPS];

enum {
        SIGNAL_JOB_NEW,
        SIGNAL_JOB_REMOVED,
        N_SIGNALS
};
static guint signals[N_SIGNALS];

static void initable_iface_init (GInitableIface *iface);
static void async_initable_iface_init (GAsyncInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ConfineClient, confine_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, initable_iface_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_ASYNC_INITABLE, async_initable_iface_init))

static void confine_client_dispose (GObject *object) {
        ConfineClient *self = CONFINE_CLIENT (object);

        if (self->subscription) {
                g_dbus_connection_signal_unsubscribe (self->connection, self->subscription);
                self->subscription = 0;
        }
        if (self->closed_handler) {
                g_signal_handler_disconnect (self->connection, self->closed_handler);
                self->closed_handler = 0;
        }
        if (self->manager)
                g_signal_handlers_disconnect_by_data (self->manager, self);
        g_clear_pointer (&self->gate, confine_ping_gate_free);
        /* Kept jobs reference the client: they are gone by now, or this never ran. */
        g_hash_table_remove_all (self->kept);
        g_clear_object (&self->manager);
        G_OBJECT_CLASS (confine_client_parent_class)->dispose (object);
}

static void confine_client_finalize (GObject *object) {
        ConfineClient *self = CONFINE_CLIENT (object);

        g_hash_table_unref (self->kept);
        g_hash_table_unref (self->jobs);
        g_clear_object (&self->connection);
        g_main_context_unref (self->context);
        g_free (self->daemon_name);
        G_OBJECT_CLASS (confine_client_parent_class)->finalize (object);
}

static void confine_client_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec) {
        ConfineClient *self = CONFINE_CLIENT (object);

        switch (prop_id) {
        case PROP_CONNECTION: g_value_set_object (value, self->connection); break;
        case PROP_DAEMON_NAME: g_value_set_string (value, self->daemon_name); break;
        case PROP_ALLOW_INTERACTIVE_AUTHORIZATION: g_value_set_boolean (value, self->allow_interactive); break;
        default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
        }
}

static void confine_client_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec) {
        ConfineClient *self = CONFINE_CLIENT (object);

        switch (prop_id) {
        case PROP_CONNECTION: self->connection = g_value_dup_object (value); break;
        case PROP_ALLOW_INTERACTIVE_AUTHORIZATION: self->allow_interactive = g_value_get_boolean (value); break;
        default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
        }
}

static void confine_client_class_init (ConfineClientClass *klass) {
        GObjectClass *object_class = G_OBJECT_CLASS (klass);

        object_class->dispose = confine_client_dispose;
        object_class->finalize = confine_client_finalize;
        object_class->get_property = confine_client_get_property;
        object_class->set_property = confine_client_set_property;
        /* Errors of the daemon map to CONFINE_ERROR only once the domain is registered. */
        (void) CONFINE_ERROR;

        /**
         * ConfineClient:connection:
         *
         * The message bus connection to the daemon; %NULL at construction means the
         * system bus.
         */
        props[PROP_CONNECTION] = g_param_spec_object ("connection", NULL, NULL, G_TYPE_DBUS_CONNECTION,
                                                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                                                              G_PARAM_STATIC_STRINGS);
        /**
         * ConfineClient:daemon-name:
         *
         * The unique bus name of confined, once the client is initialized.
         */
        props[PROP_DAEMON_NAME] = g_param_spec_string ("daemon-name", NULL, NULL, NULL,
                                                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
        /**
         * ConfineClient:allow-interactive-authorization:
         *
         * Whether polkit may ask the user to authenticate for a spawn request (the
         * ALLOW_INTERACTIVE_AUTHORIZATION flag of D-Bus). Off by default.
         */
        props[PROP_ALLOW_INTERACTIVE_AUTHORIZATION] = g_param_spec_boolean (
                "allow-interactive-authorization", NULL, NULL, FALSE,
                G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
        g_object_class_install_properties (object_class, N_PROPS, props);

        /**
         * ConfineClient::job-new:
         * @self: the client
         * @job: the new job
         *
         * The daemon made a job: one of this connection's, or, after
         * confine_client_subscribe(), anybody's. Connect to @job's signals here to see all
         * of them.
         */
        signals[SIGNAL_JOB_NEW] = g_signal_new ("job-new", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                                NULL, NULL, G_TYPE_NONE, 1, CONFINE_TYPE_JOB);
        /**
         * ConfineClient::job-removed:
         * @self: the client
         * @job: the job, with its #ConfineJob:result and #ConfineJob:exit-status
         *
         * A job of this connection's (or, after confine_client_subscribe(), anybody's)
         * has exited; it stays queryable for a while (KeepExitedSec).
         */
        signals[SIGNAL_JOB_REMOVED] = g_signal_new ("job-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                                    NULL, NULL, NULL, G_TYPE_NONE, 1, CONFINE_TYPE_JOB);
}

static void confine_client_init (ConfineClient *self) {
        self->context = g_main_context_ref_thread_default ();
        self->jobs = g_hash_table_new (g_str_hash, g_str_equal);
        self->kept = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
}

/* --- jobs by object path */

GMainContext *_confine_client_get_context (ConfineClient *self) {
        return self->context;
}

void _confine_client_forget_job (ConfineClient *self, ConfineJob *job) {
        const gchar *path = confine_job_get_object_path (job);

        if (g_hash_table_lookup (self->jobs, path) == job)
                g_hash_table_remove (self->jobs, path);
}

/* The client references a job while it is held (nobody else has it yet) and, when
 * subscribed, from its JobNew to its JobRemoved, so that signals find the same object. */
static void keep_job (ConfineClient *self, ConfineJob *job) {
        const gchar *path = confine_job_get_object_path (job);

        if (!g_hash_table_contains (self->kept, path))
                g_hash_table_insert (self->kept, (gpointer) path, g_object_ref (job));
}

static void unkeep_job (ConfineClient *self, ConfineJob *job) {
        const gchar *path = confine_job_get_object_path (job);

        if (g_hash_table_lookup (self->kept, path) == job)
                g_hash_table_remove (self->kept, path);
}

/* Returns a new reference. */
static ConfineJob *job_for_path (ConfineClient *self, const gchar *path) {
        ConfineJob *job = g_hash_table_lookup (self->jobs, path);

        if (job)
                return g_object_ref (job);
        job = _confine_job_new (self, path);
        g_hash_table_insert (self->jobs, (gpointer) confine_job_get_object_path (job), job);
        return job;
}

void _confine_client_job_new (ConfineClient *self, ConfineJob *job) {
        g_signal_emit (self, signals[SIGNAL_JOB_NEW], 0, job);
}

void _confine_client_job_removed (ConfineClient *self, ConfineJob *job) {
        g_object_ref (job);
        unkeep_job (self, job);
        g_signal_emit (self, signals[SIGNAL_JOB_REMOVED], 0, job);
        g_object_unref (job);
}

/* Jobs that no finished spawn claimed (another caller's, seen through a subscription while
 * our spawn was pending): they need not wait any longer. */
static void release_unclaimed (ConfineClient *self) {
        GHashTableIter iter;
        gpointer value;
        g_autoptr (GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);

        g_hash_table_iter_init (&iter, self->kept);
        while (g_hash_table_iter_next (&iter, NULL, &value))
                if (_confine_job_is_held (value) && !g_object_get_data (value, "confine-claimed"))
                        g_ptr_array_add (held, g_object_ref (value));
        for (guint i = 0; i < held->len; i++) {
                _confine_job_release (held->pdata[i]);
                if (!self->subscribed)
                        unkeep_job (self, held->pdata[i]);
        }
}

static void on_daemon_signal (GDBusConnection *connection, const gchar *sender, const gchar *path,
                              const gchar *interface, const gchar *member, GVariant *parameters, gpointer data) {
        ConfineClient *self = data;
        g_autoptr (ConfineJob) job = NULL;
        const gchar *job_path = path;

        if (g_str_equal (path, CONFINE_MANAGER_PATH)) {
                if (!g_str_equal (interface, CONFINE_MANAGER_IFACE))
                        return;
                if (g_str_equal (member, "JobNew") && g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(to)")))
                        g_variant_get (parameters, "(t&o)", NULL, &job_path);
                else if (g_str_equal (member, "JobRemoved") &&
                         g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(tosi)")))
                        g_variant_get (parameters, "(t&o&si)", NULL, &job_path, NULL, NULL);
                else
                        return;
        }
        if (!g_str_has_prefix (job_path, CONFINE_JOB_PATH_PREFIX))
                return;

        job = g_hash_table_lookup (self->jobs, job_path);
        if (job)
                g_object_ref (job);
        else if (self->n_pending_spawns > 0 || self->subscribed) {
                /* A job that a pending spawn may be about to return, or one a subscriber sees
                 * for the first time: keep its signals until somebody can connect. */
                job = job_for_path (self, job_path);
                if (self->n_pending_spawns > 0)
                        _confine_job_hold (job);
                keep_job (self, job);
        } else
                return;
        _confine_job_deliver (job, interface, member, parameters);
}

/* --- the daemon leaving: waits for an Exited signal end */

gboolean _confine_client_daemon_is_there (ConfineClient *self) {
        return !self->daemon_gone;
}

static void daemon_gone (ConfineClient *self, const gchar *why) {
        g_autoptr (GPtrArray) jobs = g_ptr_array_new_with_free_func (g_object_unref);
        g_autoptr (GError) error = NULL;
        GHashTableIter iter;
        gpointer value;

        if (self->daemon_gone)
                return;
        self->daemon_gone = TRUE;
        /* As a Wait call would have failed: the daemon cannot answer any more. */
        error = g_error_new (G_DBUS_ERROR, G_DBUS_ERROR_NO_REPLY, "confined %s before the job exited", why);
        g_hash_table_iter_init (&iter, self->jobs);
        while (g_hash_table_iter_next (&iter, NULL, &value))
                g_ptr_array_add (jobs, g_object_ref (value));
        for (guint i = 0; i < jobs->len; i++)
                _confine_job_fail_exit_waits (jobs->pdata[i], error);
}

/* The manager proxy follows the daemon's unique name (its NameOwnerChanged match is the one
 * GDBusProxy adds anyway); it is dispatched in the client's context. */
static void on_daemon_owner (GObject *proxy, GParamSpec *pspec, gpointer data) {
        g_autofree gchar *owner = g_dbus_proxy_get_name_owner (G_DBUS_PROXY (proxy));

        if (!owner)
                daemon_gone (data, "left the bus");
}

static gboolean on_closed_in_context (gpointer data) {
        daemon_gone (data, "is unreachable: the connection closed");
        return G_SOURCE_REMOVE;
}

/* Emitted in the connection's context, which need not be the client's. */
static void on_connection_closed (GDBusConnection *connection, gboolean remote_peer_vanished, GError *error,
                                  gpointer data) {
        ConfineClient *self = data;

        g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, on_closed_in_context, g_object_ref (self),
                                    g_object_unref);
}

/* --- initialization: connection, the daemon's unique name, signals */

static gboolean client_setup (ConfineClient *self, const gchar *daemon_name, GError **error) {
        self->daemon_name = g_strdup (daemon_name);
        /* With a unique name and these flags the proxy does no I/O: the client has its own
         * signal subscription, and no property cache is needed. */
        self->manager = confine_dbus_manager_proxy_new_sync (
                self->connection,
                G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES | G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS |
                        G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START,
                self->daemon_name, CONFINE_MANAGER_PATH, NULL, error);
        if (!self->manager)
                return FALSE;
        /* One subscription for everything the daemon sends: its signals are unicast, and one
         * handler can then route a job's signals before its Spawn reply was seen. The sender
         * is the unique name, so that no other peer can pass its signals off as the daemon's.
         * Unicast signals reach us without a match rule: no AddMatch, no work for the bus. */
        self->subscription = g_dbus_connection_signal_subscribe (self->connection, self->daemon_name, NULL, NULL,
                                                                 NULL, NULL, G_DBUS_SIGNAL_FLAGS_NO_MATCH_RULE,
                                                                 on_daemon_signal, self, NULL);
        self->gate = confine_ping_gate_new (self->connection, self->daemon_name, self->context);
        g_signal_connect (self->manager, "notify::g-name-owner", G_CALLBACK (on_daemon_owner), self);
        self->closed_handler = g_signal_connect (self->connection, "closed", G_CALLBACK (on_connection_closed), self);
        if (g_dbus_connection_is_closed (self->connection))
                daemon_gone (self, "is unreachable: the connection closed");
        g_object_notify_by_pspec (G_OBJECT (self), props[PROP_DAEMON_NAME]);
        return TRUE;
}

static gboolean is_no_owner (const GError *error) {
        return g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER);
}

static GVariant *get_name_owner_sync (GDBusConnection *c, GCancellable *cancellable, GError **error) {
        return g_dbus_connection_call_sync (c, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                            "org.freedesktop.DBus", "GetNameOwner",
                                            g_variant_new ("(s)", CONFINE_BUS_NAME), G_VARIANT_TYPE ("(s)"),
                                            G_DBUS_CALL_FLAGS_NONE, -1, cancellable, error);
}

static gboolean initable_init (GInitable *initable, GCancellable *cancellable, GError **error) {
        ConfineClient *self = CONFINE_CLIENT (initable);
        g_autoptr (GVariant) owner = NULL;
        g_autoptr (GVariant) started = NULL;
        g_autoptr (GError) local = NULL;
        const gchar *name;

        if (!self->connection) {
                self->connection = g_bus_get_sync (G_BUS_TYPE_SYSTEM, cancellable, error);
                if (!self->connection)
                        return FALSE;
        }
        owner = get_name_owner_sync (self->connection, cancellable, &local);
        if (!owner && is_no_owner (local)) {
                /* Not running: let the bus start it (it is bus-activatable), then ask again. */
                g_clear_error (&local);
                started = g_dbus_connection_call_sync (self->connection, "org.freedesktop.DBus",
                                                       "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                                       "StartServiceByName",
                                                       g_variant_new ("(su)", CONFINE_BUS_NAME, 0),
                                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                                       cancellable, &local);
                if (started)
                        owner = get_name_owner_sync (self->connection, cancellable, &local);
        }
        if (!owner) {
                _confine_error_strip (local);
                g_propagate_error (error, g_steal_pointer (&local));
                return FALSE;
        }
        g_variant_get (owner, "(&s)", &name);
        return client_setup (self, name, error);
}

static void initable_iface_init (GInitableIface *iface) {
        iface->init = initable_init;
}

static void async_get_name_owner (GTask *task);

static void on_start_service (GObject *source, GAsyncResult *res, gpointer data) {
        g_autoptr (GTask) task = data;
        g_autoptr (GVariant) reply = NULL;
        GError *error = NULL;

        reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), res, &error);
        if (!reply) {
                _confine_task_return_error (task, error);
                return;
        }
        g_task_set_task_data (task, GINT_TO_POINTER (1), NULL); /* started: do not try again */
        async_get_name_owner (g_steal_pointer (&task));
}

static void on_name_owner (GObject *source, GAsyncResult *res, gpointer data) {
        g_autoptr (GTask) task = data;
        ConfineClient *self = g_task_get_source_object (task);
        g_autoptr (GVariant) reply = NULL;
        GError *error = NULL;
        const gchar *name;

        reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), res, &error);
        if (!reply && is_no_owner (error) && !g_task_get_task_data (task)) {
                g_clear_error (&error);
                g_dbus_connection_call (self->connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                        "org.freedesktop.DBus", "StartServiceByName",
                                        g_variant_new ("(su)", CONFINE_BUS_NAME, 0), G_VARIANT_TYPE ("(u)"),
                                        G_DBUS_CALL_FLAGS_NONE, -1, g_task_get_cancellable (task), on_start_service,
                                        g_steal_pointer (&task));
                return;
        }
        if (!reply) {
                _confine_task_return_error (task, error);
                return;
        }
        g_variant_get (reply, "(&s)", &name);
        if (!client_setup (self, name, &error))
                _confine_task_return_error (task, error);
        else
                g_task_return_boolean (task, TRUE);
}

static void async_get_name_owner (GTask *task) {
        ConfineClient *self = g_task_get_source_object (task);

        g_dbus_connection_call (self->connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                "org.freedesktop.DBus", "GetNameOwner", g_variant_new ("(s)", CONFINE_BUS_NAME),
                                G_VARIANT_TYPE ("(s)"), G_DBUS_CALL_FLAGS_NONE, -1, g_task_get_cancellable (task),
                                on_name_owner, task);
}

static void on_bus (GObject *source, GAsyncResult *res, gpointer data) {
        GTask *task = data;
        ConfineClient *self = g_task_get_source_object (task);
        GError *error = NULL;

        self->connection = g_bus_get_finish (res, &error);
        if (!self->connection) {
                _confine_task_return_error (task, error);
                g_object_unref (task);
                return;
        }
        async_get_name_owner (task);
}

static void async_initable_init_async (GAsyncInitable *initable, int io_priority, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data) {
        ConfineClient *self = CONFINE_CLIENT (initable);
        GTask *task = g_task_new (self, cancellable, callback, user_data);

        g_task_set_source_tag (task, async_initable_init_async);
        if (!self->connection)
                g_bus_get (G_BUS_TYPE_SYSTEM, cancellable, on_bus, task);
        else
                async_get_name_owner (task);
}

static gboolean async_initable_init_finish (GAsyncInitable *initable, GAsyncResult *res, GError **error) {
        return g_task_propagate_boolean (G_TASK (res), error);
}

static void async_initable_iface_init (GAsyncInitableIface *iface) {
        iface->init_async = async_initable_init_async;
        iface->init_finish = async_initable_init_finish;
}

/* --- constructors */

/**
 * confine_client_new:
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Connects to confined on the system bus (DBUS_SYSTEM_BUS_ADDRESS is honoured), starting
 * it by bus activation if it does not run. Blocks.
 *
 * Returns: (transfer full): a new client, or %NULL with @error set.
 */
ConfineClient *confine_client_new (GCancellable *cancellable, GError **error) {
        return g_initable_new (CONFINE_TYPE_CLIENT, cancellable, error, NULL);
}

/**
 * confine_client_new_async:
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the client is ready
 * @user_data: (closure): data for @callback
 *
 * Connects to confined on the system bus, asynchronously.
 */
void confine_client_new_async (GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data) {
        g_async_initable_new_async (CONFINE_TYPE_CLIENT, G_PRIORITY_DEFAULT, cancellable, callback, user_data, NULL);
}

static ConfineClient *new_finish (GAsyncResult *result, GError **error) {
        g_autoptr (GObject) source = g_async_result_get_source_object (result);
        GObject *object = g_async_initable_new_finish (G_ASYNC_INITABLE (source), result, error);

        return object ? CONFINE_CLIENT (object) : NULL;
}

/**
 * confine_client_new_finish:
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a new client, or %NULL with @error set.
 */
ConfineClient *confine_client_new_finish (GAsyncResult *result, GError **error) {
        return new_finish (result, error);
}

/**
 * confine_client_new_for_connection:
 * @connection: a message bus connection on which confined is reachable
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Connects to confined through @connection: for example a connection to another host's
 * system bus over ssh and systemd-stdio-bridge (made with g_dbus_connection_new() and
 * %G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION). Without file descriptor passing, spawn
 * with %CONFINE_SPAWN_FLAGS_PIPE. Blocks.
 *
 * Returns: (transfer full): a new client, or %NULL with @error set.
 */
ConfineClient *confine_client_new_for_connection (GDBusConnection *connection, GCancellable *cancellable,
                                                  GError **error) {
        g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), NULL);
        return g_initable_new (CONFINE_TYPE_CLIENT, cancellable, error, "connection", connection, NULL);
}

/**
 * confine_client_new_for_connection_async:
 * @connection: a message bus connection on which confined is reachable
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the client is ready
 * @user_data: (closure): data for @callback
 *
 * Connects to confined through @connection, asynchronously.
 */
void confine_client_new_for_connection_async (GDBusConnection *connection, GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data) {
        g_return_if_fail (G_IS_DBUS_CONNECTION (connection));
        g_async_initable_new_async (CONFINE_TYPE_CLIENT, G_PRIORITY_DEFAULT, cancellable, callback, user_data,
                                    "connection", connection, NULL);
}

/**
 * confine_client_new_for_connection_finish:
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a new client, or %NULL with @error set.
 */
ConfineClient *confine_client_new_for_connection_finish (GAsyncResult *result, GError **error) {
        return new_finish (result, error);
}

/* --- accessors */

/**
 * confine_client_get_connection:
 * @self: a #ConfineClient
 *
 * Returns: (transfer none): the client's bus connection.
 */
GDBusConnection *confine_client_get_connection (ConfineClient *self) {
        g_return_val_if_fail (CONFINE_IS_CLIENT (self), NULL);
        return self->connection;
}

/**
 * confine_client_get_daemon_name:
 * @self: a #ConfineClient
 *
 * Returns: (transfer none): the daemon's unique bus name.
 */
const gchar *confine_client_get_daemon_name (ConfineClient *self) {
        g_return_val_if_fail (CONFINE_IS_CLIENT (self), NULL);
        return self->daemon_name;
}

/**
 * confine_client_get_allow_interactive_authorization:
 * @self: a #ConfineClient
 *
 * Returns: whether polkit may ask the user to authenticate for a spawn request.
 */
gboolean confine_client_get_allow_interactive_authorization (ConfineClient *self) {
        g_return_val_if_fail (CONFINE_IS_CLIENT (self), FALSE);
        return self->allow_interactive;
}

/**
 * confine_client_set_allow_interactive_authorization:
 * @self: a #ConfineClient
 * @allow: whether polkit may ask the user to authenticate
 *
 * Sets #ConfineClient:allow-interactive-authorization.
 */
void confine_client_set_allow_interactive_authorization (ConfineClient *self, gboolean allow) {
        g_return_if_fail (CONFINE_IS_CLIENT (self));
        if (self->allow_interactive == !!allow)
                return;
        self->allow_interactive = !!allow;
        g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ALLOW_INTERACTIVE_AUTHORIZATION]);
}

/* --- spawn */

static GVariant *properties_or_empty (GVariant *properties) {
        return properties ? properties : g_variant_new_array (G_VARIANT_TYPE ("(sv)"), NULL, 0);
}

/* GDBus refuses an fd list on a stream that cannot carry fds (a bridge over ssh), even an
 * empty one, and closes the connection over it. */
static GUnixFDList *fd_list_or_null (GUnixFDList *fd_list) {
        return fd_list && g_unix_fd_list_get_length (fd_list) > 0 ? fd_list : NULL;
}

/* Spawn and Subscribe may need polkit, which may ask the user when allowed to. */
static GDBusCallFlags spawn_call_flags (ConfineClient *self) {
        return self->allow_interactive ? G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION : G_DBUS_CALL_FLAGS_NONE;
}

/* The job of a Spawn reply, held: its signals wait until the caller has it. */
static ConfineJob *claim_spawned (ConfineClient *self, const gchar *path) {
        ConfineJob *job = job_for_path (self, path);

        _confine_job_set_spawned (job);
        _confine_job_hold (job);
        g_object_set_data (G_OBJECT (job), "confine-claimed", GINT_TO_POINTER (1));
        return job;
}

static void hand_over (ConfineClient *self, ConfineJob *job) {
        g_object_set_data (G_OBJECT (job), "confine-claimed", NULL);
        _confine_job_release (job);
        if (!self->subscribed)
                unkeep_job (self, job);
}

static void spawn_done (ConfineClient *self) {
        if (--self->n_pending_spawns == 0)
                release_unclaimed (self);
}

/* Task data: the job, until spawn_finish() hands it over (or the task goes away unfinished). */
static void spawn_task_data_free (gpointer data) {
        ConfineJob *job = data;

        if (g_object_get_data (G_OBJECT (job), "confine-claimed"))
                hand_over (confine_job_get_client (job), job);
        g_object_unref (job);
}

static void on_spawn (GObject *source, GAsyncResult *res, gpointer data) {
        g_autoptr (GTask) task = data;
        ConfineClient *self = g_task_get_source_object (task);
        g_autofree gchar *path = NULL;
        GError *error = NULL;
        ConfineJob *job;

        if (!confine_dbus_manager_call_spawn_finish (CONFINE_DBUS_MANAGER (source), &path, NULL, NULL, res, &error)) {
                spawn_done (self);
                _confine_task_return_error (task, error);
                return;
        }
        job = claim_spawned (self, path);
        g_task_set_task_data (task, g_object_ref (job), spawn_task_data_free);
        spawn_done (self);
        g_task_return_pointer (task, job, g_object_unref);
}

/**
 * confine_client_spawn_async:
 * @self: a #ConfineClient
 * @argv: (array zero-terminated=1): the command line; argv[0] is the program
 * @properties: (nullable): the sandbox, a(sv), for example from
 *   confine_property_builder_end(); a floating reference is taken
 * @fd_list: (nullable): the file descriptors that h values in @properties refer to
 * @flags: #ConfineSpawnFlags
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the job
 * @user_data: (closure): data for @callback
 *
 * Runs a command in a new sandbox (Manager.Spawn). The reply comes once the command has
 * been executed. Signals of the job that arrive before confine_client_spawn_finish() are
 * kept and emitted afterwards, from the main context, so connect the handlers right after
 * it.
 */
void confine_client_spawn_async (ConfineClient *self, const gchar *const *argv, GVariant *properties,
                                 GUnixFDList *fd_list, ConfineSpawnFlags flags, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data) {
        GTask *task;

        g_return_if_fail (CONFINE_IS_CLIENT (self));
        g_return_if_fail (argv != NULL && argv[0] != NULL);
        g_return_if_fail (properties == NULL || g_variant_is_of_type (properties, G_VARIANT_TYPE ("a(sv)")));

        task = g_task_new (self, cancellable, callback, user_data);
        g_task_set_source_tag (task, confine_client_spawn_async);
        self->n_pending_spawns++;
        confine_dbus_manager_call_spawn (self->manager, argv, properties_or_empty (properties), flags,
                                         spawn_call_flags (self), -1, fd_list_or_null (fd_list), cancellable,
                                         on_spawn, task);
}

/**
 * confine_client_spawn_finish:
 * @self: a #ConfineClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the job, or %NULL with @error set: %CONFINE_ERROR for
 *   confine's errors (InvalidProperty, SpawnFailed …), %G_DBUS_ERROR for AccessDenied,
 *   InvalidArgs and the like.
 */
ConfineJob *confine_client_spawn_finish (ConfineClient *self, GAsyncResult *result, GError **error) {
        ConfineJob *job;

        g_return_val_if_fail (g_task_is_valid (result, self), NULL);
        job = g_task_propagate_pointer (G_TASK (result), error);
        if (job && g_object_get_data (G_OBJECT (job), "confine-claimed"))
                hand_over (self, job);
        return job;
}

/**
 * confine_client_spawn:
 * @self: a #ConfineClient
 * @argv: (array zero-terminated=1): the command line; argv[0] is the program
 * @properties: (nullable): the sandbox, a(sv); a floating reference is taken
 * @fd_list: (nullable): the file descriptors that h values in @properties refer to
 * @flags: #ConfineSpawnFlags
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Runs a command in a new sandbox, blocking until it has been executed. The job's signals
 * are emitted once the client's main context runs.
 *
 * Returns: (transfer full): the job, or %NULL with @error set.
 */
ConfineJob *confine_client_spawn (ConfineClient *self, const gchar *const *argv, GVariant *properties,
                                  GUnixFDList *fd_list, ConfineSpawnFlags flags, GCancellable *cancellable,
                                  GError **error) {
        g_autofree gchar *path = NULL;
        ConfineJob *job;
        gboolean ok;

        g_return_val_if_fail (CONFINE_IS_CLIENT (self), NULL);
        g_return_val_if_fail (argv != NULL && argv[0] != NULL, NULL);
        g_return_val_if_fail (properties == NULL || g_variant_is_of_type (properties, G_VARIANT_TYPE ("a(sv)")),
                              NULL);

        self->n_pending_spawns++;
        ok = confine_dbus_manager_call_spawn_sync (self->manager, argv, properties_or_empty (properties), flags,
                                                   spawn_call_flags (self), -1, fd_list_or_null (fd_list), &path,
                                                   NULL, NULL,
                                                   cancellable, error);
        if (!ok) {
                spawn_done (self);
                _confine_error_strip_out (error);
                return NULL;
        }
        job = claim_spawned (self, path);
        spawn_done (self);
        hand_over (self, job);
        return job;
}

/* --- get_job */

static void on_get_job (GObject *source, GAsyncResult *res, gpointer data) {
        g_autoptr (GTask) task = data;
        ConfineClient *self = g_task_get_source_object (task);
        g_autofree gchar *path = NULL;
        GError *error = NULL;

        if (!confine_dbus_manager_call_get_job_finish (CONFINE_DBUS_MANAGER (source), &path, res, &error))
                _confine_task_return_error (task, error);
        else
                g_task_return_pointer (task, job_for_path (self, path), g_object_unref);
}

/**
 * confine_client_get_job_async:
 * @self: a #ConfineClient
 * @id: a job id
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the job
 * @user_data: (closure): data for @callback
 *
 * Looks a job up by its id (Manager.GetJob). Its properties are not read: call
 * confine_job_refresh() for them.
 */
void confine_client_get_job_async (ConfineClient *self, guint64 id, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data) {
        GTask *task;

        g_return_if_fail (CONFINE_IS_CLIENT (self));
        task = g_task_new (self, cancellable, callback, user_data);
        g_task_set_source_tag (task, confine_client_get_job_async);
        confine_dbus_manager_call_get_job (self->manager, id, G_DBUS_CALL_FLAGS_NONE, -1, cancellable, on_get_job,
                                           task);
}

/**
 * confine_client_get_job_finish:
 * @self: a #ConfineClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the job, or %NULL with @error set (%CONFINE_ERROR_NO_SUCH_JOB).
 */
ConfineJob *confine_client_get_job_finish (ConfineClient *self, GAsyncResult *result, GError **error) {
        g_return_val_if_fail (g_task_is_valid (result, self), NULL);
        return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * confine_client_get_job:
 * @self: a #ConfineClient
 * @id: a job id
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Looks a job up by its id, blocking.
 *
 * Returns: (transfer full): the job, or %NULL with @error set (%CONFINE_ERROR_NO_SUCH_JOB).
 */
ConfineJob *confine_client_get_job (ConfineClient *self, guint64 id, GCancellable *cancellable, GError **error) {
        g_autofree gchar *path = NULL;

        g_return_val_if_fail (CONFINE_IS_CLIENT (self), NULL);
        if (!confine_dbus_manager_call_get_job_sync (self->manager, id, G_DBUS_CALL_FLAGS_NONE, -1, &path,
                                                     cancellable, error)) {
                _confine_error_strip_out (error);
                return NULL;
        }
        return job_for_path (self, path);
}

/* --- list_jobs */

static GPtrArray *jobs_from_list (ConfineClient *self, GVariant *list) {
        GPtrArray *jobs = g_ptr_array_new_with_free_func (g_object_unref);
        const gchar *state, *program, *path;
        GVariantIter iter;
        guint32 owner, pid;

        g_variant_iter_init (&iter, list);
        while (g_variant_iter_next (&iter, "(t&suu&s&o)", NULL, &state, &owner, &pid, &program, &path)) {
                ConfineJob *job = job_for_path (self, path);
                _confine_job_set_listed (job, state, owner, pid, program);
                g_ptr_array_add (jobs, job);
        }
        return jobs;
}

static void on_list_jobs (GObject *source, GAsyncResult *res, gpointer data) {
        g_autoptr (GTask) task = data;
        g_autoptr (GVariant) list = NULL;
        GError *error = NULL;

        if (!confine_dbus_manager_call_list_jobs_finish (CONFINE_DBUS_MANAGER (source), &list, res, &error))
                _confine_task_return_error (task, error);
        else
                g_task_return_pointer (task, jobs_from_list (g_task_get_source_object (task), list),
                                       (GDestroyNotify) g_ptr_array_unref);
}

/**
 * confine_client_list_jobs_async:
 * @self: a #ConfineClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the jobs
 * @user_data: (closure): data for @callback
 *
 * Lists the jobs the caller may see (Manager.ListJobs): its own, or all of them for root
 * and holders of org.confine.Confine1.manage-jobs.
 */
void confine_client_list_jobs_async (ConfineClient *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data) {
        GTask *task;

        g_return_if_fail (CONFINE_IS_CLIENT (self));
        task = g_task_new (self, cancellable, callback, user_data);
        g_task_set_source_tag (task, confine_client_list_jobs_async);
        confine_dbus_manager_call_list_jobs (self->manager, G_DBUS_CALL_FLAGS_NONE, -1, cancellable, on_list_jobs,
                                             task);
}

/**
 * confine_client_list_jobs_finish:
 * @self: a #ConfineClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type ConfineJob): the jobs, with their id, state,
 *   owner, main pid and program; %NULL with @error set.
 */
GPtrArray *confine_client_list_jobs_finish (ConfineClient *self, GAsyncResult *result, GError **error) {
        g_return_val_if_fail (g_task_is_valid (result, self), NULL);
        return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * confine_client_list_jobs:
 * @self: a #ConfineClient
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Lists the jobs the caller may see, blocking.
 *
 * Returns: (transfer container) (element-type ConfineJob): the jobs; %NULL with @error set.
 */
GPtrArray *confine_client_list_jobs (ConfineClient *self, GCancellable *cancellable, GError **error) {
        g_autoptr (GVariant) list = NULL;

        g_return_val_if_fail (CONFINE_IS_CLIENT (self), NULL);
        if (!confine_dbus_manager_call_list_jobs_sync (self->manager, G_DBUS_CALL_FLAGS_NONE, -1, &list, cancellable,
                                                       error)) {
                _confine_error_strip_out (error);
                return NULL;
        }
        return jobs_from_list (self, list);
}

/* --- subscribe, unsubscribe */

static gboolean is_unheld (gpointer key, gpointer value, gpointer data) {
        return !_confine_job_is_held (value);
}

static void set_subscribed (ConfineClient *self, gboolean subscribed) {
        self->subscribed = subscribed;
        /* Held jobs stay: a pending spawn may return them. */
        if (!subscribed)
                g_hash_table_foreach_remove (self->kept, is_unheld, NULL);
}

static void on_subscribe_reply (GObject *source, GAsyncResult *res, gpointer data) {
        g_autoptr (GTask) task = data;
        gboolean subscribe = GPOINTER_TO_INT (g_task_get_task_data (task));
        GError *error = NULL;
        gboolean ok;

        if (subscribe)
                ok = confine_dbus_manager_call_subscribe_finish (CONFINE_DBUS_MANAGER (source), res, &error);
        else
                ok = confine_dbus_manager_call_unsubscribe_finish (CONFINE_DBUS_MANAGER (source), res, &error);
        if (!ok) {
                _confine_task_return_error (task, error);
                return;
        }
        set_subscribed (g_task_get_source_object (task), subscribe);
        g_task_return_boolean (task, TRUE);
}

/**
 * confine_client_subscribe_async:
 * @self: a #ConfineClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when subscribed
 * @user_data: (closure): data for @callback
 *
 * Asks for the signals of every job (Manager.Subscribe): #ConfineClient::job-new and
 * #ConfineClient::job-removed for all jobs, and each job's own signals. Needs root or the
 * polkit action org.confine.Confine1.manage-jobs.
 */
void confine_client_subscribe_async (ConfineClient *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data) {
        GTask *task;

        g_return_if_fail (CONFINE_IS_CLIENT (self));
        task = g_task_new (self, cancellable, callback, user_data);
        g_task_set_source_tag (task, confine_client_subscribe_async);
        g_task_set_task_data (task, GINT_TO_POINTER (TRUE), NULL);
        /* Subscribed from now on, so that nothing sent right after the reply is dropped. */
        self->subscribed = TRUE;
        confine_dbus_manager_call_subscribe (self->manager, spawn_call_flags (self), -1, cancellable,
                                             on_subscribe_reply, task);
}

/**
 * confine_client_subscribe_finish:
 * @self: a #ConfineClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE if subscribed.
 */
gboolean confine_client_subscribe_finish (ConfineClient *self, GAsyncResult *result, GError **error) {
        gboolean ok;

        g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
        ok = g_task_propagate_boolean (G_TASK (result), error);
        if (!ok)
                set_subscribed (self, FALSE);
        return ok;
}

/**
 * confine_client_subscribe:
 * @self: a #ConfineClient
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Asks for the signals of every job, blocking.
 *
 * Returns: %TRUE if subscribed.
 */
gboolean confine_client_subscribe (ConfineClient *self, GCancellable *cancellable, GError **error) {
        g_return_val_if_fail (CONFINE_IS_CLIENT (self), FALSE);
        self->subscribed = TRUE;
        if (!confine_dbus_manager_call_subscribe_sync (self->manager, spawn_call_flags (self), -1, cancellable,
                                                       error)) {
                _confine_error_strip_out (error);
                set_subscribed (self, FALSE);
                return FALSE;
        }
        return TRUE;
}

/**
 * confine_client_unsubscribe_async:
 * @self: a #ConfineClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when unsubscribed
 * @user_data: (closure): data for @callback
 *
 * Ends confine_client_subscribe() (Manager.Unsubscribe).
 */
void confine_client_unsubscribe_async (ConfineClient *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data) {
        GTask *task;

        g_return_if_fail (CONFINE_IS_CLIENT (self));
        task = g_task_new (self, cancellable, callback, user_data);
        g_task_set_source_tag (task, confine_client_unsubscribe_async);
        g_task_set_task_data (task, GINT_TO_POINTER (FALSE), NULL);
        confine_dbus_manager_call_unsubscribe (self->manager, G_DBUS_CALL_FLAGS_NONE, -1, cancellable,
                                               on_subscribe_reply, task);
}

/**
 * confine_client_unsubscribe_finish:
 * @self: a #ConfineClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE if unsubscribed.
 */
gboolean confine_client_unsubscribe_finish (ConfineClient *self, GAsyncResult *result, GError **error) {
        g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
        return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * confine_client_unsubscribe:
 * @self: a #ConfineClient
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Ends confine_client_subscribe(), blocking.
 *
 * Returns: %TRUE if unsubscribed.
 */
gboolean confine_client_unsubscribe (ConfineClient *self, GCancellable *cancellable, GError **error) {
        g_return_val_if_fail (CONFINE_IS_CLIENT (self), FALSE);
        if (!confine_dbus_manager_call_unsubscribe_sync (self->manager, G_DBUS_CALL_FLAGS_NONE, -1, cancellable,
                                                         error)) {
                _confine_error_strip_out (error);
                return FALSE;
        }
        set_subscribed (self, FALSE);
        return TRUE;
}

/* --- running an async operation to its end */

static void store_result (GObject *source, GAsyncResult *res, gpointer data) {
        *(GAsyncResult **) data = g_object_ref (res);
}

GAsyncResult *_confine_run_in_context (GMainContext *context, ConfineAsyncStarter start, gpointer source,
                                       gpointer data, GCancellable *cancellable) {
        GAsyncResult *res = NULL;

        if (!g_main_context_acquire (context))
                return NULL;
        g_main_context_push_thread_default (context);
        start (source, data, cancellable, store_result, &res);
        while (!res)
                g_main_context_iteration (context, TRUE);
        g_main_context_pop_thread_default (context);
        g_main_context_release (context);
        return res;
}

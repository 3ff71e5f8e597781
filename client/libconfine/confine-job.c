/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "confine-private.h"

/**
 * ConfineJob:
 *
 * One sandboxed command, org.confine.Confine1.Job. Get one from confine_client_spawn(),
 * confine_client_get_job() or confine_client_list_jobs().
 *
 * The object follows the daemon's signals: #ConfineJob:state changes as the job runs,
 * #ConfineJob::exited is emitted when it has exited, and with %CONFINE_SPAWN_FLAGS_PIPE
 * #ConfineJob::output carries its stdout and stderr. Signals are dispatched in the main
 * context that was the thread-default one when the #ConfineClient was made.
 *
 * Other properties (owner, argv, CPU and memory use …) are filled by
 * confine_job_refresh(); #ConfineJob:result and #ConfineJob:exit-status also by the end of
 * the job.
 */
struct _ConfineJob {
        GObject parent_instance;
        ConfineClient *client;
        gchar *object_path;
        guint64 id;
        ConfineDBusJob *proxy; /* made on first use */

        gchar *state;
        gchar *result;
        gint exit_status;
        guint owner;
        gchar **argv;
        gchar *program;
        guint main_pid;
        guint64 start_timestamp;
        guint64 exit_timestamp;
        guint64 cpu_usage_nsec;
        guint64 memory_peak;
        guint64 io[4];  /* IOReadBytes, IOWriteBytes, IOReadOperations, IOWriteOperations */
        GVariant *sandbox_properties;
        gchar **learned_system_calls;
        gchar **learned_address_families;
        gchar **learned_paths, **learned_paths_written;
        GHashTable *learned_more;       /* LearnedFiles … → gchar** */

        gboolean held;
        GQueue events;  /* JobEvent, while held or while a replay is pending */
        GSource *replay;

        gboolean spawned_here;  /* by this client's connection: the daemon sends it Exited */
        GPtrArray *exit_waits;  /* GTask of confine_job_wait_async(), answered by Exited */
};

typedef struct {
        gchar *interface;
        gchar *member;
        GVariant *parameters;
} JobEvent;

enum {
        PROP_0,
        PROP_CLIENT,
        PROP_OBJECT_PATH,
        PROP_ID,
        PROP_STATE,
        PROP_RESULT,
        PROP_EXIT_STATUS,
        PROP_OWNER,
        PROP_ARGV,
        PROP_PROGRAM,
        PROP_MAIN_PID,
        PROP_START_TIMESTAMP,
        PROP_EXIT_TIMESTAMP,
        PROP_CPU_USAGE_NSEC,
        PROP_MEMORY_PEAK,
        PROP_SANDBOX_PROPERTIES,
        N_PROPS
};
static GParamSpec *props[N_PROPS];

enum {
        SIGNAL_EXITED,
        SIGNAL_OUTPUT,
        N_SIGNALS
};
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (ConfineJob, confine_job, G_TYPE_OBJECT)

static void job_event_free (gpointer data) {
        JobEvent *e = data;
        g_free (e->interface);
        g_free (e->member);
        g_variant_unref (e->parameters);
        g_free (e);
}

static void confine_job_dispose (GObject *object) {
        ConfineJob *self = CONFINE_JOB (object);

        if (self->replay) {
                g_source_destroy (self->replay);
                g_clear_pointer (&self->replay, g_source_unref);
        }
        g_queue_clear_full (&self->events, job_event_free);
        if (self->exit_waits && self->exit_waits->len > 0) {
                g_autoptr (GError) error = g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED, "The job object went away");
                _confine_job_fail_exit_waits (self, error);
        }
        g_clear_pointer (&self->exit_waits, g_ptr_array_unref);
        g_clear_object (&self->proxy);
        G_OBJECT_CLASS (confine_job_parent_class)->dispose (object);
}

static void confine_job_finalize (GObject *object) {
        ConfineJob *self = CONFINE_JOB (object);

        _confine_client_forget_job (self->client, self);
        g_object_unref (self->client);
        g_free (self->object_path);
        g_free (self->state);
        g_free (self->result);
        g_strfreev (self->argv);
        g_free (self->program);
        g_clear_pointer (&self->sandbox_properties, g_variant_unref);
        g_clear_pointer (&self->learned_system_calls, g_strfreev);
        g_clear_pointer (&self->learned_address_families, g_strfreev);
        g_clear_pointer (&self->learned_paths, g_strfreev);
        g_clear_pointer (&self->learned_paths_written, g_strfreev);
        g_clear_pointer (&self->learned_more, g_hash_table_unref);
        G_OBJECT_CLASS (confine_job_parent_class)->finalize (object);
}

static void confine_job_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec) {
        ConfineJob *self = CONFINE_JOB (object);

        switch (prop_id) {
        case PROP_CLIENT: g_value_set_object (value, self->client); break;
        case PROP_OBJECT_PATH: g_value_set_string (value, self->object_path); break;
        case PROP_ID: g_value_set_uint64 (value, self->id); break;
        case PROP_STATE: g_value_set_string (value, self->state); break;
        case PROP_RESULT: g_value_set_string (value, self->result); break;
        case PROP_EXIT_STATUS: g_value_set_int (value, self->exit_status); break;
        case PROP_OWNER: g_value_set_uint (value, self->owner); break;
        case PROP_ARGV: g_value_set_boxed (value, self->argv); break;
        case PROP_PROGRAM: g_value_set_string (value, self->program); break;
        case PROP_MAIN_PID: g_value_set_uint (value, self->main_pid); break;
        case PROP_START_TIMESTAMP: g_value_set_uint64 (value, self->start_timestamp); break;
        case PROP_EXIT_TIMESTAMP: g_value_set_uint64 (value, self->exit_timestamp); break;
        case PROP_CPU_USAGE_NSEC: g_value_set_uint64 (value, self->cpu_usage_nsec); break;
        case PROP_MEMORY_PEAK: g_value_set_uint64 (value, self->memory_peak); break;
        case PROP_SANDBOX_PROPERTIES: g_value_set_variant (value, self->sandbox_properties); break;
        default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
        }
}

static void confine_job_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec) {
        ConfineJob *self = CONFINE_JOB (object);
        const gchar *tail;

        switch (prop_id) {
        case PROP_CLIENT:
                self->client = g_value_dup_object (value);
                break;
        case PROP_OBJECT_PATH:
                self->object_path = g_value_dup_string (value);
                tail = self->object_path + strlen (CONFINE_JOB_PATH_PREFIX);
                if (g_str_has_prefix (self->object_path, CONFINE_JOB_PATH_PREFIX))
                        self->id = g_ascii_strtoull (tail, NULL, 10);
                break;
        default:
                G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
        }
}

static GParamSpec *string_prop (const gchar *name, const gchar *blurb) {
        return g_param_spec_string (name, NULL, blurb, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *uint64_prop (const gchar *name, const gchar *blurb) {
        return g_param_spec_uint64 (name, NULL, blurb, 0, G_MAXUINT64, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
}

static void confine_job_class_init (ConfineJobClass *klass) {
        GObjectClass *object_class = G_OBJECT_CLASS (klass);

        object_class->dispose = confine_job_dispose;
        object_class->finalize = confine_job_finalize;
        object_class->get_property = confine_job_get_property;
        object_class->set_property = confine_job_set_property;

        /**
         * ConfineJob:client:
         *
         * The client this job object belongs to.
         */
        props[PROP_CLIENT] = g_param_spec_object ("client", NULL, NULL, CONFINE_TYPE_CLIENT,
                                                  G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
        /**
         * ConfineJob:object-path:
         *
         * The job's D-Bus object path, /org/confine/Confine1/job/ID.
         */
        props[PROP_OBJECT_PATH] = g_param_spec_string ("object-path", NULL, NULL, NULL,
                                                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                                                               G_PARAM_STATIC_STRINGS);
        /**
         * ConfineJob:id:
         *
         * The job id, as in the object path and in Spawn's reply.
         */
        props[PROP_ID] = uint64_prop ("id", NULL);
        /**
         * ConfineJob:state:
         *
         * "starting", "running" or "exited"; %NULL until known. Changes are announced
         * with #GObject::notify.
         */
        props[PROP_STATE] = string_prop ("state", NULL);
        /**
         * ConfineJob:result:
         *
         * Why the job ended (success, exit-code, signal, core-dump, timeout, oom-kill,
         * killed, owner-gone, seccomp); %NULL or empty while it runs.
         */
        props[PROP_RESULT] = string_prop ("result", NULL);
        /**
         * ConfineJob:exit-status:
         *
         * The exit code, or the signal number if a signal ended the job.
         */
        props[PROP_EXIT_STATUS] = g_param_spec_int ("exit-status", NULL, NULL, G_MININT, G_MAXINT, 0,
                                                    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
        /**
         * ConfineJob:owner:
         *
         * The uid that spawned the job.
         */
        props[PROP_OWNER] = g_param_spec_uint ("owner", NULL, NULL, 0, G_MAXUINT, 0,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
        /**
         * ConfineJob:argv:
         *
         * The command line; %NULL until confine_job_refresh().
         */
        props[PROP_ARGV] = g_param_spec_boxed ("argv", NULL, NULL, G_TYPE_STRV,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
        /**
         * ConfineJob:program:
         *
         * The program, argv[0].
         */
        props[PROP_PROGRAM] = string_prop ("program", NULL);
        /**
         * ConfineJob:main-pid:
         *
         * The main process id, in the daemon's pid namespace. Do not signal it: use
         * confine_job_kill().
         */
        props[PROP_MAIN_PID] = g_param_spec_uint ("main-pid", NULL, NULL, 0, G_MAXUINT, 0,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
        /**
         * ConfineJob:start-timestamp:
         *
         * When the job started, in µs of CLOCK_REALTIME.
         */
        props[PROP_START_TIMESTAMP] = uint64_prop ("start-timestamp", NULL);
        /**
         * ConfineJob:exit-timestamp:
         *
         * When the job exited, in µs of CLOCK_REALTIME; 0 before.
         */
        props[PROP_EXIT_TIMESTAMP] = uint64_prop ("exit-timestamp", NULL);
        /**
         * ConfineJob:cpu-usage-nsec:
         *
         * CPU time used by the whole job, in ns, as of the last confine_job_refresh().
         */
        props[PROP_CPU_USAGE_NSEC] = uint64_prop ("cpu-usage-nsec", NULL);
        /**
         * ConfineJob:memory-peak:
         *
         * The highest memory use of the whole job, in bytes, as of the last
         * confine_job_refresh().
         */
        props[PROP_MEMORY_PEAK] = uint64_prop ("memory-peak", NULL);
        /**
         * ConfineJob:sandbox-properties:
         *
         * The effective sandbox spec (a(sv)), after profile, defaults and forced settings.
         */
        props[PROP_SANDBOX_PROPERTIES] = g_param_spec_variant ("sandbox-properties", NULL, NULL,
                                                               G_VARIANT_TYPE ("a(sv)"), NULL,
                                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
        g_object_class_install_properties (object_class, N_PROPS, props);

        /**
         * ConfineJob::exited:
         * @self: the job
         * @result: why it ended, as #ConfineJob:result
         * @status: the exit code or signal number, as #ConfineJob:exit-status
         *
         * Emitted once, when the job has exited (after the last #ConfineJob::output).
         */
        signals[SIGNAL_EXITED] = g_signal_new ("exited", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                               NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_INT);
        /**
         * ConfineJob::output:
         * @self: the job
         * @stream: which output
         * @data: the bytes, in order; empty at the end of @stream
         *
         * With %CONFINE_SPAWN_FLAGS_PIPE: the job wrote to its stdout or stderr. The daemon
         * sends no more than a window of output ahead of the handlers: it continues once
         * the client's main context has dispatched what came before.
         */
        signals[SIGNAL_OUTPUT] = g_signal_new ("output", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                               NULL, NULL, G_TYPE_NONE, 2, CONFINE_TYPE_STREAM, G_TYPE_BYTES);
}

static void confine_job_init (ConfineJob *self) {
        g_queue_init (&self->events);
        for (guint i = 0; i < G_N_ELEMENTS (self->io); i++)
                self->io[i] = G_MAXUINT64;
}

ConfineJob *_confine_job_new (ConfineClient *client, const gchar *object_path) {
        return g_object_new (CONFINE_TYPE_JOB, "client", client, "object-path", object_path, NULL);
}

/* --- cached state */

static void set_string (ConfineJob *self, gchar **field, const gchar *value, guint prop) {
        if (g_strcmp0 (*field, value) == 0)
                return;
        g_free (*field);
        *field = g_strdup (value);
        g_object_notify_by_pspec (G_OBJECT (self), props[prop]);
}

#define SET_NUMBER(self, field, value, prop)                                            \
        G_STMT_START {                                                                  \
                if ((self)->field != (value)) {                                         \
                        (self)->field = (value);                                        \
                        g_object_notify_by_pspec (G_OBJECT (self), props[prop]);        \
                }                                                                       \
        } G_STMT_END

static void set_argv (ConfineJob *self, const gchar *const *argv) {
        if (self->argv && g_strv_equal ((const gchar *const *) self->argv, argv))
                return;
        g_strfreev (self->argv);
        self->argv = g_strdupv ((gchar **) argv);
        g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ARGV]);
        set_string (self, &self->program, argv[0], PROP_PROGRAM);
}

void _confine_job_set_end (ConfineJob *self, const gchar *result, gint status) {
        g_object_freeze_notify (G_OBJECT (self));
        set_string (self, &self->result, result, PROP_RESULT);
        SET_NUMBER (self, exit_status, status, PROP_EXIT_STATUS);
        set_string (self, &self->state, "exited", PROP_STATE);
        g_object_thaw_notify (G_OBJECT (self));
}

void _confine_job_apply_properties (ConfineJob *self, GVariant *dict) {
        GVariantIter iter;
        const gchar *name;
        GVariant *v;

        g_object_freeze_notify (G_OBJECT (self));
        g_variant_iter_init (&iter, dict);
        while (g_variant_iter_next (&iter, "{&sv}", &name, &v)) {
                if (g_str_equal (name, "State") && g_variant_is_of_type (v, G_VARIANT_TYPE_STRING))
                        set_string (self, &self->state, g_variant_get_string (v, NULL), PROP_STATE);
                else if (g_str_equal (name, "Result") && g_variant_is_of_type (v, G_VARIANT_TYPE_STRING))
                        set_string (self, &self->result, g_variant_get_string (v, NULL), PROP_RESULT);
                else if (g_str_equal (name, "ExitStatus") && g_variant_is_of_type (v, G_VARIANT_TYPE_INT32))
                        SET_NUMBER (self, exit_status, g_variant_get_int32 (v), PROP_EXIT_STATUS);
                else if (g_str_equal (name, "Owner") && g_variant_is_of_type (v, G_VARIANT_TYPE_UINT32))
                        SET_NUMBER (self, owner, g_variant_get_uint32 (v), PROP_OWNER);
                else if (g_str_equal (name, "Argv") && g_variant_is_of_type (v, G_VARIANT_TYPE_STRING_ARRAY)) {
                        g_autofree const gchar **argv = g_variant_get_strv (v, NULL);
                        if (argv[0])
                                set_argv (self, argv);
                } else if (g_str_equal (name, "MainPID") && g_variant_is_of_type (v, G_VARIANT_TYPE_UINT32))
                        SET_NUMBER (self, main_pid, g_variant_get_uint32 (v), PROP_MAIN_PID);
                else if (g_str_equal (name, "StartTimestamp") && g_variant_is_of_type (v, G_VARIANT_TYPE_UINT64))
                        SET_NUMBER (self, start_timestamp, g_variant_get_uint64 (v), PROP_START_TIMESTAMP);
                else if (g_str_equal (name, "ExitTimestamp") && g_variant_is_of_type (v, G_VARIANT_TYPE_UINT64))
                        SET_NUMBER (self, exit_timestamp, g_variant_get_uint64 (v), PROP_EXIT_TIMESTAMP);
                else if (g_str_equal (name, "CPUUsageNSec") && g_variant_is_of_type (v, G_VARIANT_TYPE_UINT64))
                        SET_NUMBER (self, cpu_usage_nsec, g_variant_get_uint64 (v), PROP_CPU_USAGE_NSEC);
                else if (g_str_equal (name, "MemoryPeak") && g_variant_is_of_type (v, G_VARIANT_TYPE_UINT64))
                        SET_NUMBER (self, memory_peak, g_variant_get_uint64 (v), PROP_MEMORY_PEAK);
                else if (g_str_has_prefix (name, "IO") && g_variant_is_of_type (v, G_VARIANT_TYPE_UINT64)) {
                        static const char *const io_names[] = { "IOReadBytes", "IOWriteBytes", "IOReadOperations",
                                                                "IOWriteOperations" };
                        for (guint i = 0; i < G_N_ELEMENTS (io_names); i++)
                                if (g_str_equal (name, io_names[i]))
                                        self->io[i] = g_variant_get_uint64 (v);
                } else if (g_str_equal (name, "LearnedSystemCalls") && g_variant_is_of_type (v, G_VARIANT_TYPE_STRING_ARRAY)) {
                        g_strfreev (self->learned_system_calls);
                        self->learned_system_calls = g_variant_dup_strv (v, NULL);
                } else if (g_str_equal (name, "LearnedAddressFamilies") &&
                           g_variant_is_of_type (v, G_VARIANT_TYPE_STRING_ARRAY)) {
                        g_strfreev (self->learned_address_families);
                        self->learned_address_families = g_variant_dup_strv (v, NULL);
                } else if ((g_str_equal (name, "LearnedPaths") || g_str_equal (name, "LearnedPathsWritten")) &&
                           g_variant_is_of_type (v, G_VARIANT_TYPE_STRING_ARRAY)) {
                        gchar ***field = g_str_equal (name, "LearnedPaths") ? &self->learned_paths
                                                                            : &self->learned_paths_written;
                        g_strfreev (*field);
                        *field = g_variant_dup_strv (v, NULL);
                } else if ((g_str_equal (name, "LearnedFiles") || g_str_equal (name, "LearnedEndpoints") ||
                            g_str_equal (name, "LearnedUses") || g_str_equal (name, "LearnedCapabilities")) &&
                           g_variant_is_of_type (v, G_VARIANT_TYPE_STRING_ARRAY)) {
                        if (!self->learned_more)
                                self->learned_more = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                                            (GDestroyNotify) g_strfreev);
                        g_hash_table_replace (self->learned_more, g_strdup (name), g_variant_dup_strv (v, NULL));
                } else if (g_str_equal (name, "Properties") && g_variant_is_of_type (v, G_VARIANT_TYPE ("a(sv)"))) {
                        g_clear_pointer (&self->sandbox_properties, g_variant_unref);
                        self->sandbox_properties = g_variant_ref (v);
                        g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SANDBOX_PROPERTIES]);
                }
                g_variant_unref (v);
        }
        g_object_thaw_notify (G_OBJECT (self));
}

void _confine_job_set_spawned (ConfineJob *self) {
        self->spawned_here = TRUE;
        /* Spawn replies after execve() succeeded; signals that tell more may be queued. */
        if (!self->state)
                set_string (self, &self->state, "running", PROP_STATE);
}

/* --- waiting for the end by the Exited signal */

gboolean _confine_job_end_is_known (ConfineJob *self, const gchar **out_result, gint *out_status) {
        if (g_strcmp0 (self->state, "exited") != 0 || !self->result || !*self->result)
                return FALSE;
        *out_result = self->result;
        *out_status = self->exit_status;
        return TRUE;
}

gboolean _confine_job_end_comes_by_signal (ConfineJob *self) {
        return self->spawned_here && _confine_client_daemon_is_there (self->client);
}

void _confine_job_add_exit_wait (ConfineJob *self, GTask *task) {
        if (!self->exit_waits)
                self->exit_waits = g_ptr_array_new ();
        g_ptr_array_add (self->exit_waits, task);
}

static GPtrArray *take_exit_waits (ConfineJob *self) {
        GPtrArray *waits = self->exit_waits;

        self->exit_waits = NULL;
        return waits;
}

static void complete_exit_waits (ConfineJob *self) {
        g_autoptr (GPtrArray) waits = take_exit_waits (self);

        for (guint i = 0; waits && i < waits->len; i++)
                _confine_job_return_wait (waits->pdata[i], self->result, self->exit_status);
}

void _confine_job_fail_exit_waits (ConfineJob *self, const GError *error) {
        g_autoptr (GPtrArray) waits = take_exit_waits (self);

        for (guint i = 0; waits && i < waits->len; i++) {
                GTask *task = waits->pdata[i];
                g_task_return_error (task, g_error_copy (error));
                g_object_unref (task);
        }
}

void _confine_job_set_listed (ConfineJob *self, const gchar *state, guint owner, guint main_pid,
                              const gchar *program) {
        g_object_freeze_notify (G_OBJECT (self));
        set_string (self, &self->state, state, PROP_STATE);
        SET_NUMBER (self, owner, owner, PROP_OWNER);
        SET_NUMBER (self, main_pid, main_pid, PROP_MAIN_PID);
        set_string (self, &self->program, program, PROP_PROGRAM);
        g_object_thaw_notify (G_OBJECT (self));
}

/* --- signals from the daemon */

static void emit_output (ConfineJob *self, GVariant *parameters) {
        g_autoptr (GVariant) data = NULL;
        g_autoptr (GBytes) bytes = NULL;
        const gchar *stream;
        ConfineStream which;

        g_variant_get (parameters, "(&s@ay)", &stream, &data);
        if (g_str_equal (stream, "stdout"))
                which = CONFINE_STREAM_STDOUT;
        else if (g_str_equal (stream, "stderr"))
                which = CONFINE_STREAM_STDERR;
        else
                return;
        bytes = g_variant_get_data_as_bytes (data);
        g_signal_emit (self, signals[SIGNAL_OUTPUT], 0, which, bytes);
}

static void process (ConfineJob *self, const gchar *interface, const gchar *member, GVariant *p) {
        if (g_str_equal (interface, CONFINE_JOB_IFACE)) {
                if (g_str_equal (member, "Exited") && g_variant_is_of_type (p, G_VARIANT_TYPE ("(si)"))) {
                        const gchar *result;
                        gint status;

                        g_variant_get (p, "(&si)", &result, &status);
                        _confine_job_set_end (self, result, status);
                        g_signal_emit (self, signals[SIGNAL_EXITED], 0, result, status);
                        complete_exit_waits (self);
                } else if (g_str_equal (member, "Output") && g_variant_is_of_type (p, G_VARIANT_TYPE ("(say)")))
                        emit_output (self, p);
        } else if (g_str_equal (interface, DBUS_PROPERTIES_IFACE)) {
                if (g_str_equal (member, "PropertiesChanged") &&
                    g_variant_is_of_type (p, G_VARIANT_TYPE ("(sa{sv}as)"))) {
                        const gchar *iface;
                        g_autoptr (GVariant) changed = NULL;

                        g_variant_get (p, "(&s@a{sv}as)", &iface, &changed, NULL);
                        if (g_str_equal (iface, CONFINE_JOB_IFACE))
                                _confine_job_apply_properties (self, changed);
                }
        } else if (g_str_equal (interface, CONFINE_MANAGER_IFACE)) {
                if (g_str_equal (member, "JobNew"))
                        _confine_client_job_new (self->client, self);
                else if (g_str_equal (member, "JobRemoved") &&
                         g_variant_is_of_type (p, G_VARIANT_TYPE ("(tosi)"))) {
                        const gchar *result;
                        gint status;

                        g_variant_get (p, "(t&o&si)", NULL, NULL, &result, &status);
                        if (!self->result || !*self->result)
                                _confine_job_set_end (self, result, status);
                        complete_exit_waits (self);
                        _confine_client_job_removed (self->client, self);
                }
        }
}

void _confine_job_deliver (ConfineJob *self, const gchar *interface, const gchar *member, GVariant *parameters) {
        JobEvent *e;

        if (!self->held && g_queue_is_empty (&self->events)) {
                g_object_ref (self); /* a handler may drop the last reference */
                process (self, interface, member, parameters);
                g_object_unref (self);
                return;
        }
        e = g_new0 (JobEvent, 1);
        e->interface = g_strdup (interface);
        e->member = g_strdup (member);
        e->parameters = g_variant_ref (parameters);
        g_queue_push_tail (&self->events, e);
}

void _confine_job_hold (ConfineJob *self) {
        self->held = TRUE;
}

gboolean _confine_job_is_held (ConfineJob *self) {
        return self->held;
}

static gboolean replay (gpointer data) {
        ConfineJob *self = g_object_ref (data);
        JobEvent *e;

        g_clear_pointer (&self->replay, g_source_unref);
        self->held = FALSE;
        /* Events that arrive during a handler are appended and processed here, in order. */
        while ((e = g_queue_pop_head (&self->events))) {
                process (self, e->interface, e->member, e->parameters);
                job_event_free (e);
        }
        g_object_unref (self);
        return G_SOURCE_REMOVE;
}

void _confine_job_release (ConfineJob *self) {
        if (!self->held || self->replay)
                return;
        if (g_queue_is_empty (&self->events)) {
                self->held = FALSE;
                return;
        }
        /* Later, from the main context: the caller of spawn_finish() connects its handlers
         * first. Until then, new signals keep queueing behind the old ones. */
        self->replay = g_idle_source_new ();
        g_source_set_priority (self->replay, G_PRIORITY_DEFAULT);
        g_source_set_callback (self->replay, replay, self, NULL);
        g_source_set_static_name (self->replay, "[confine] job signal replay");
        g_source_attach (self->replay, _confine_client_get_context (self->client));
}

/* --- getters */

/**
 * confine_job_get_client:
 * @self: a #ConfineJob
 *
 * Returns: (transfer none): the client of this job.
 */
ConfineClient *confine_job_get_client (ConfineJob *self) {
        g_return_val_if_fail (CONFINE_IS_JOB (self), NULL);
        return self->client;
}

/**
 * confine_job_get_object_path:
 * @self: a #ConfineJob
 *
 * Returns: (transfer none): the job's D-Bus object path.
 */
const gchar *confine_job_get_object_path (ConfineJob *self) {
        g_return_val_if_fail (CONFINE_IS_JOB (self), NULL);
        return self->object_path;
}

/**
 * confine_job_get_id:
 * @self: a #ConfineJob
 *
 * Returns: the job id.
 */
guint64 confine_job_get_id (ConfineJob *self) {
        g_return_val_if_fail (CONFINE_IS_JOB (self), 0);
        return self->id;
}

/**
 * confine_job_get_state:
 * @self: a #ConfineJob
 *
 * Returns: (transfer none) (nullable): "starting", "running", "exited", or %NULL if not
 *   known yet.
 */
const gchar *confine_job_get_state (ConfineJob *self) {
        g_return_val_if_fail (CONFINE_IS_JOB (self), NULL);
        return self->state;
}

/**
 * confine_job_get_result:
 * @self: a #ConfineJob
 *
 * Returns: (transfer none) (nullable): why the job ended, or %NULL or "" while it runs.
 */
const gchar *confine_job_get_result (ConfineJob *self) {
        g_return_val_if_fail (CONFINE_IS_JOB (self), NULL);
        return self->result;
}

/**
 * confine_job_get_exit_status:
 * @self: a #ConfineJob
 *
 * Returns: the exit code, or the number of the signal that ended the job.
 */
gint confine_job_get_exit_status (ConfineJob *self) {
        g_return_val_if_fail (CONFINE_IS_JOB (self), 0);
        return self->exit_status;
}

/**
 * confine_job_get_exit_code:
 * @self: a #ConfineJob
 *
 * The job's end as a shell reports it: the exit code if it exited, 128 + the signal
 * number if a signal ended it.
 *
 * Returns: that code, or -1 if the job has not exited (as far as this object knows).
 */
gint confine_job_get_exit_code (ConfineJob *self) {
        g_return_val_if_fail (CONFINE_IS_JOB (self), -1);
        if (!self->result || !*self->result)
                return -1;
        if (g_str_equal (self->result, "success") || g_str_equal (self->result, "exit-code"))
                return self->exit_status & 0xff;
        return 128 + (self->exit_status & 0x7f);
}

/**
 * confine_job_get_owner:
 * @self: a #ConfineJob
 *
 * Returns: the uid that spawned the job.
 */
guint confine_job_get_owner (ConfineJob *self) {
        g_return_val_if_fail (CONFINE_IS_JOB (self), 0);
        return self->owner;
}

/**
 * confine_job_get_argv:
 * @self: a #ConfineJob
 *
 * Returns: (transfer none) (nullable) (array zero-terminated=1): the command line, or
 *   %NULL before confine_job_refresh().
 */
const gchar *const *confine_job_get_argv (ConfineJob *self) {
        g_return_val_if_fail (CONFINE_IS_JOB (self), NULL);
        return (const gchar *const *) self->argv;
}

/**
 * confine_job_get_program:
 * @self: a #ConfineJob
 *
 * Returns: (transfer none) (nullable): argv[0], if known.
 */
const gchar *confine_job_get_program (ConfineJob *self) {
        g_return_val_if_fail (CONFINE_IS_JOB (self), NULL);
        return self->program;
}

/**
 * confine_job_get_main_pid:
 * @self: a #ConfineJob
 *
 * Returns: the main process id, in the daemon's pid namespace.
 */
guint confine_job_get_main_pid (ConfineJob *self) {
        g_return_val_if_fail (CONFINE_IS_JOB (self), 0);
        return self->main_pid;
}

/**
 * confine_job_get_start_timestamp:
 * @self: a #ConfineJob
 *
 * Returns: when the job started, in µs of CLOCK_REALTIME.
 */
guint64 confine_job_get_start_timestamp (ConfineJob *self) {
        g_return_val_if_fail (CONFINE_IS_JOB (self), 0);
        return self->start_timestamp;
}

/**
 * confine_job_get_exit_timestamp:
 * @self: a #ConfineJob
 *
 * Returns: when the job exited, in µs of CLOCK_REALTIME, or 0.
 */
guint64 confine_job_get_exit_timestamp (ConfineJob *self) {
        g_return_val_if_fail (CONFINE_IS_JOB (self), 0);
        return self->exit_timestamp;
}

/**
 * confine_job_get_cpu_usage_nsec:
 * @self: a #ConfineJob
 *
 * Returns: the CPU time of the whole job in ns, as of the last confine_job_refresh().
 */
guint64 confine_job_get_cpu_usage_nsec (ConfineJob *self) {
        g_return_val_if_fail (CONFINE_IS_JOB (self), 0);
        return self->cpu_usage_nsec;
}

/**
 * confine_job_get_memory_peak:
 * @self: a #ConfineJob
 *
 * Returns: the peak memory use of the whole job in bytes, as of the last
 *   confine_job_refresh().
 */
guint64 confine_job_get_memory_peak (ConfineJob *self) {
        g_return_val_if_fail (CONFINE_IS_JOB (self), 0);
        return self->memory_peak;
}

/**
 * confine_job_get_io:
 * @self: a #ConfineJob
 * @read_bytes: (out) (optional): the bytes the job read
 * @write_bytes: (out) (optional): the bytes the job wrote
 * @read_operations: (out) (optional): its read operations
 * @write_operations: (out) (optional): its write operations
 *
 * The block I/O of the whole job (IOAccounting=yes), as of the last confine_job_refresh():
 * the job's IOReadBytes, IOWriteBytes, IOReadOperations and IOWriteOperations, each
 * G_MAXUINT64 without IOAccounting.
 *
 * Returns: whether the job accounts its I/O
 */
gboolean confine_job_get_io (ConfineJob *self, guint64 *read_bytes, guint64 *write_bytes, guint64 *read_operations,
                             guint64 *write_operations) {
        g_return_val_if_fail (CONFINE_IS_JOB (self), FALSE);
        if (read_bytes)
                *read_bytes = self->io[0];
        if (write_bytes)
                *write_bytes = self->io[1];
        if (read_operations)
                *read_operations = self->io[2];
        if (write_operations)
                *write_operations = self->io[3];
        return self->io[0] != G_MAXUINT64;
}

/**
 * confine_job_get_sandbox_properties:
 * @self: a #ConfineJob
 *
 * Returns: (transfer none) (nullable): the effective sandbox spec, a(sv), or %NULL
 *   before confine_job_refresh().
 */
GVariant *confine_job_get_sandbox_properties (ConfineJob *self) {
        g_return_val_if_fail (CONFINE_IS_JOB (self), NULL);
        return self->sandbox_properties;
}

/**
 * confine_job_get_learned_system_calls:
 * @self: a #ConfineJob
 *
 * Returns: (transfer none) (nullable) (array zero-terminated=1): with #CONFINE_SPAWN_FLAGS_LEARN, the
 *   system calls the job made, by name, as of the last confine_job_refresh(); %NULL before it.
 */
const gchar *const *confine_job_get_learned_system_calls (ConfineJob *self) {
        g_return_val_if_fail (CONFINE_IS_JOB (self), NULL);
        return (const gchar *const *) self->learned_system_calls;
}

/**
 * confine_job_get_learned_address_families:
 * @self: a #ConfineJob
 *
 * Returns: (transfer none) (nullable) (array zero-terminated=1): with #CONFINE_SPAWN_FLAGS_LEARN, the
 *   socket families the job asked for ("AF_UNIX" …), as of the last confine_job_refresh(); %NULL
 *   before it.
 */
const gchar *const *confine_job_get_learned_address_families (ConfineJob *self) {
        g_return_val_if_fail (CONFINE_IS_JOB (self), NULL);
        return (const gchar *const *) self->learned_address_families;
}

/**
 * confine_job_get_learned_paths:
 * @self: a #ConfineJob
 * @written: only the paths of calls that write
 *
 * Returns: (transfer none) (nullable) (array zero-terminated=1): with #CONFINE_SPAWN_FLAGS_LEARN, the
 *   paths the job's file system calls named, absolute, as of the last confine_job_refresh(); %NULL
 *   before it.
 */
const gchar *const *confine_job_get_learned_paths (ConfineJob *self, gboolean written) {
        g_return_val_if_fail (CONFINE_IS_JOB (self), NULL);
        return (const gchar *const *) (written ? self->learned_paths_written : self->learned_paths);
}

/**
 * confine_job_get_learned:
 * @self: a #ConfineJob
 * @property: "LearnedFiles", "LearnedEndpoints", "LearnedUses" or "LearnedCapabilities"
 *
 * Returns: (transfer none) (nullable) (array zero-terminated=1): with #CONFINE_SPAWN_FLAGS_LEARN, that
 *   property of the job as of the last confine_job_refresh(); %NULL before it, or for another name.
 */
const gchar *const *confine_job_get_learned (ConfineJob *self, const gchar *property) {
        g_return_val_if_fail (CONFINE_IS_JOB (self), NULL);
        g_return_val_if_fail (property, NULL);
        return self->learned_more ? g_hash_table_lookup (self->learned_more, property) : NULL;
}

/* --- for the method calls (confine-job-calls.c) */

ConfineDBusJob *_confine_job_get_proxy (ConfineJob *self) {
        if (!self->proxy) {
                g_autoptr (GError) error = NULL;
                /* The daemon's unique name, no property cache and no signal subscription of
                 * its own: this does no I/O and cannot fail for a valid path. */
                self->proxy = confine_dbus_job_proxy_new_sync (
                        confine_client_get_connection (self->client),
                        G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES | G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS |
                                G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START,
                        confine_client_get_daemon_name (self->client), self->object_path, NULL, &error);
                if (!self->proxy)
                        g_error ("confine: cannot make a proxy for %s: %s", self->object_path, error->message);
        }
        return self->proxy;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* confinectl's front. `confinectl run` in its common form (-p properties, -q, -G; our stdin, stdout
 * and stderr passed by fd) runs here, on sd-bus: GIO and its libraries take about 2.8 million
 * instructions to load and relocate before main(), sd-bus a third of that, and GDBus hands every
 * message between threads. Everything else (the other verbs, the other options, --help) is
 * confinectl-full's, the libconfine client, which this execs with the same arguments.
 *
 * On the bus: Hello; the AddMatch below, not waited for; Spawn to the well-known name, whose reply
 * names the daemon's unique name; then the job's Exited signal, which the daemon sends to the
 * connection that spawned it. No GetNameOwner, no Wait. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>
#include <unistd.h>

#include "confine-error-names.h"
#include "macro.h"
#include "property-table.h"
#include "property-text-io.h"

#define BUS_NAME "org.confine.Confine1"
#define MANAGER_PATH "/org/confine/Confine1"
#define MANAGER_IFACE "org.confine.Confine1.Manager"
#define JOB_IFACE "org.confine.Confine1.Job"
#define SPAWN_FLAG_KILL_ON_DISCONNECT UINT64_C(1)

/* As confinectl-full's (ctl.h). */
#define EXIT_SPAWN_FAILED 125
#define EXIT_CANNOT_EXECUTE 126
#define EXIT_NOT_FOUND 127
#define EXIT_USAGE 2

typedef struct Run {
        sd_event *event;
        sd_bus *bus;
        char *daemon_name;      /* from Spawn's reply: signals are taken only from it */
        char *job_path;
        int pending_signal;     /* arrived before the job existed */
} Run;

/* "confinectl: WHAT: MESSAGE (Name: what it means)", as confinectl-full prints errors. */
static void print_bus_error(const char *what, const sd_bus_error *e) {
        const char *name = e->name ?: "org.freedesktop.DBus.Error.Failed";
        const char *short_name = strrchr(name, '.');
        const char *description = confine_error_name_describe(name);

        fprintf(stderr, "confinectl: %s: %s (%s: %s)\n", what, e->message ?: name, short_name ? short_name + 1 : name,
                description ?: "an error from the daemon or the bus");
}

/* As systemd-run and env(1): 127 when the command was not found, 126 when it was found but could not
 * be executed; 125 for every other failure to start it. SpawnFailed ends in "[step=STEP errno=ENAME…]". */
static int spawn_failed_exit_code(const sd_bus_error *e) {
        const char *fields;

        if (!sd_bus_error_has_name(e, "org.confine.Confine1.Error.SpawnFailed") || !e->message)
                return EXIT_SPAWN_FAILED;
        fields = strstr(e->message, " [step=execve errno=");
        if (!fields)
                return EXIT_SPAWN_FAILED;
        fields += strlen(" [step=execve errno=");
        return strncmp(fields, "ENOENT", 6) == 0 && (fields[6] == ']' || fields[6] == ' ') ? EXIT_NOT_FOUND :
                                                                                            EXIT_CANNOT_EXECUTE;
}

static bool is_flag_option(const char *a) {
        return strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0 || strcmp(a, "-G") == 0 || strcmp(a, "--collect") == 0;
}

/* The common form of run, read as confinectl-full's getopt_long("+p:…") reads it: options before
 * and after the verb, up to "--" or the first non-option. Returns the index of the command, or 0
 * for anything else (confinectl-full's). The -p values go to props (argv's own strings). */
static int parse_common_run(int argc, char *argv[], const char **props, size_t *n_props) {
        bool verb = false;
        int i = 1;

        *n_props = 0;
        while (i < argc) {
                const char *a = argv[i];

                if (!verb && strcmp(a, "run") == 0) {
                        verb = true;
                        i++;
                } else if (strcmp(a, "--") == 0) {
                        i++;
                        break;
                } else if (a[0] != '-' || a[1] == 0)
                        break;
                else if (is_flag_option(a))
                        i++;
                else if (strcmp(a, "-p") == 0 || strcmp(a, "--property") == 0) {
                        if (i + 1 >= argc)
                                return 0; /* getopt's "requires an argument" */
                        props[(*n_props)++] = argv[i + 1];
                        i += 2;
                } else if (strncmp(a, "--property=", 11) == 0) {
                        props[(*n_props)++] = a + 11;
                        i++;
                } else if (strncmp(a, "-p", 2) == 0) {
                        props[(*n_props)++] = a + 2;
                        i++;
                } else
                        return 0;
        }
        return verb && i < argc ? i : 0;
}

/* confinectl-full: next to us in a build tree, else where it is installed. */
static _Noreturn void exec_full(char *argv[]) {
        char self[PATH_MAX], path[PATH_MAX + 32];
        ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);

        if (n > 0) {
                char *slash;

                self[n] = 0;
                slash = strrchr(self, '/');
                if (slash) {
                        *slash = 0;
                        (void) snprintf(path, sizeof path, "%s/confinectl-full", self);
                        if (access(path, X_OK) == 0)
                                execv(path, argv);
                }
        }
        execv(CONFINECTL_FULL_PATH, argv);
        fprintf(stderr, "confinectl: cannot execute %s: %s\n", CONFINECTL_FULL_PATH, strerror(errno));
        exit(EXIT_SPAWN_FAILED);
}

/* One Name=Value as its (sv), in its property's signature, as libconfine's builder sends it. */
static int append_value(sd_bus_message *m, const char *name, const PropertyValue *v, uint64_t t) {
        const char *sig = v->info->signature;
        int r;

        r = sd_bus_message_open_container(m, 'r', "sv");
        if (r >= 0)
                r = sd_bus_message_append(m, "s", name);
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'v', sig);
        if (r < 0)
                return r;
        if (strcmp(sig, "b") == 0)
                r = sd_bus_message_append(m, "b", (int) v->b);
        else if (strcmp(sig, "i") == 0)
                r = sd_bus_message_append(m, "i", v->i);
        else if (strcmp(sig, "u") == 0)
                r = sd_bus_message_append(m, "u", v->u);
        else if (strcmp(sig, "t") == 0)
                r = sd_bus_message_append(m, "t", t);
        else if (strcmp(sig, "s") == 0)
                r = sd_bus_message_append(m, "s", v->s ?: "");
        else if (strcmp(sig, "as") == 0)
                r = sd_bus_message_append_strv(m, v->strv);
        else if (strcmp(sig, "(bas)") == 0) {
                r = sd_bus_message_open_container(m, 'r', "bas");
                if (r >= 0)
                        r = sd_bus_message_append(m, "b", (int) v->b);
                if (r >= 0)
                        r = sd_bus_message_append_strv(m, v->strv);
                if (r >= 0)
                        r = sd_bus_message_close_container(m);
        } else if (strcmp(sig, "a(ss)") == 0 || strcmp(sig, "a(ssbt)") == 0) {
                bool ssbt = strcmp(sig, "a(ssbt)") == 0;

                r = sd_bus_message_open_container(m, 'a', ssbt ? "(ssbt)" : "(ss)");
                for (size_t i = 0; r >= 0 && i < v->n_tuples; i++)
                        r = ssbt ? sd_bus_message_append(m, "(ssbt)", v->tuples[i].a, v->tuples[i].b,
                                                         (int) v->tuples[i].flag, v->tuples[i].t) :
                                   sd_bus_message_append(m, "(ss)", v->tuples[i].a, v->tuples[i].b);
                if (r >= 0)
                        r = sd_bus_message_close_container(m);
        } else if (strcmp(sig, "a(iayu)") == 0) {
                r = sd_bus_message_open_container(m, 'a', "(iayu)");
                for (size_t i = 0; r >= 0 && i < v->n_tuples; i++) {
                        r = sd_bus_message_open_container(m, 'r', "iayu");
                        if (r >= 0)
                                r = sd_bus_message_append(m, "i", v->tuples[i].i);
                        if (r >= 0)
                                r = sd_bus_message_append_array(m, 'y', v->tuples[i].bytes, v->tuples[i].n_bytes);
                        if (r >= 0)
                                r = sd_bus_message_append(m, "u", v->tuples[i].u);
                        if (r >= 0)
                                r = sd_bus_message_close_container(m);
                }
                if (r >= 0)
                        r = sd_bus_message_close_container(m);
        } else if (strcmp(sig, "ay") == 0)
                r = sd_bus_message_append_array(m, 'y', v->bytes, v->n_bytes);
        else if (strcmp(sig, "a(sb)") == 0 || strcmp(sig, "a(say)") == 0) {
                bool say = strcmp(sig, "a(say)") == 0;

                r = sd_bus_message_open_container(m, 'a', say ? "(say)" : "(sb)");
                for (size_t i = 0; r >= 0 && i < v->n_tuples; i++) {
                        if (!say) {
                                r = sd_bus_message_append(m, "(sb)", v->tuples[i].a, (int) v->tuples[i].flag);
                                continue;
                        }
                        r = sd_bus_message_open_container(m, 'r', "say");
                        if (r >= 0)
                                r = sd_bus_message_append(m, "s", v->tuples[i].a);
                        if (r >= 0)
                                r = sd_bus_message_append_array(m, 'y', v->tuples[i].bytes, v->tuples[i].n_bytes);
                        if (r >= 0)
                                r = sd_bus_message_close_container(m);
                }
                if (r >= 0)
                        r = sd_bus_message_close_container(m);
        } else if (strcmp(sig, "a(iiqq)") == 0) {
                r = sd_bus_message_open_container(m, 'a', "(iiqq)");
                for (size_t i = 0; r >= 0 && i < v->n_tuples; i++)
                        r = sd_bus_message_append(m, "(iiqq)", v->tuples[i].i, v->tuples[i].i2, v->tuples[i].q1,
                                                  v->tuples[i].q2);
                if (r >= 0)
                        r = sd_bus_message_close_container(m);
        } else
                r = -EINVAL; /* h, a(hs): no text form */
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        return r;
}

/* The -p properties, parsed as confinectl-full parses them, then our stdio by fd. */
static int append_properties(sd_bus_message *m, const PropertyValue *values, size_t n) {
        static const char *const stdio_names[] = { "StandardInputFileDescriptor", "StandardOutputFileDescriptor",
                                                   "StandardErrorFileDescriptor" };
        int r = sd_bus_message_open_container(m, 'a', "(sv)");

        for (size_t i = 0; r >= 0 && i < n; i++) {
                r = append_value(m, values[i].info->name, &values[i], values[i].t);
                /* "LimitNOFILE=1024:4096" is two properties on the wire, as with systemd-run. */
                if (r >= 0 && values[i].has_soft) {
                        char soft[128];
                        (void) snprintf(soft, sizeof soft, "%sSoft", values[i].info->name);
                        r = append_value(m, soft, &values[i], values[i].soft);
                }
        }
        for (int fd = 0; r >= 0 && fd < 3; fd++) {
                bool set_by_property = false;
                /* -p StandardOutput=… sets that stream: our fd would contradict it. */
                for (size_t i = 0; i < n; i++)
                        if (property_text_stdio_stream(values[i].info->name) == fd)
                                set_by_property = true;
                if (!set_by_property)
                        r = sd_bus_message_append(m, "(sv)", stdio_names[fd], "h", fd);
        }
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        return r;
}

static void finish(Run *run, int code) {
        (void) sd_event_exit(run->event, code);
}

/* The job's end as a shell reports it: its exit code, or 128 + the signal that ended it. */
static int exit_code_of(const char *result, int status) {
        if (strcmp(result, "success") == 0 || strcmp(result, "exit-code") == 0)
                return status & 0xff;
        return 128 + (status & 0x7f);
}

static void send_kill(Run *run, int sig) {
        int r = sd_bus_call_method_async(run->bus, NULL, run->daemon_name, run->job_path, JOB_IFACE, "Kill", NULL, NULL,
                                         "i", (int32_t) sig);
        if (r < 0)
                fprintf(stderr, "confinectl: cannot forward signal %d to the job: %s\n", sig, strerror(-r));
}

/* Our SIGINT/SIGTERM/SIGHUP go to the job; its end is what ends us. */
static int on_signal(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata) {
        Run *run = userdata;

        if (run->job_path)
                send_kill(run, (int) si->ssi_signo);
        else
                run->pending_signal = (int) si->ssi_signo;
        return 0;
}

static int on_spawn_reply(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error) {
        const sd_bus_error *e = sd_bus_message_get_error(reply);
        Run *run = userdata;
        const char *path;
        uint64_t id;

        if (e) {
                print_bus_error("Spawn", e);
                finish(run, spawn_failed_exit_code(e));
                return 0;
        }
        if (sd_bus_message_read(reply, "ot", &path, &id) < 0 || !sd_bus_message_get_sender(reply)) {
                fprintf(stderr, "confinectl: Spawn: unexpected reply\n");
                finish(run, EXIT_SPAWN_FAILED);
                return 0;
        }
        run->daemon_name = strdup(sd_bus_message_get_sender(reply));
        run->job_path = strdup(path);
        if (!run->daemon_name || !run->job_path) {
                finish(run, EXIT_SPAWN_FAILED);
                return 0;
        }
        if (run->pending_signal)
                send_kill(run, run->pending_signal);
        return 0;
}

/* The daemon's signals about our job, and the connection's end. Signals from any other peer, or
 * before Spawn's reply named the daemon (it sends none about the job before), are not looked at. */
static int on_message(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        Run *run = userdata;
        const char *sender = sd_bus_message_get_sender(m), *result, *path;
        int32_t status;

        if (sd_bus_message_is_signal(m, "org.freedesktop.DBus.Local", "Disconnected")) {
                fprintf(stderr, "confinectl: Wait: the connection to the bus was lost (Disconnected: the connection "
                                "to the bus was lost)\n");
                finish(run, EXIT_SPAWN_FAILED);
                return 0;
        }
        if (!run->daemon_name || !sender || strcmp(sender, run->daemon_name) != 0)
                return 0;
        if (sd_bus_message_is_signal(m, JOB_IFACE, "Exited") &&
            strcmp(sd_bus_message_get_path(m), run->job_path) == 0 &&
            sd_bus_message_read(m, "si", &result, &status) >= 0)
                finish(run, exit_code_of(result, status));
        else if (sd_bus_message_is_signal(m, MANAGER_IFACE, "JobRemoved") &&
                 strcmp(sd_bus_message_get_path(m), MANAGER_PATH) == 0 &&
                 sd_bus_message_read(m, "tosi", NULL, &path, &result, &status) >= 0 &&
                 strcmp(path, run->job_path) == 0)
                finish(run, exit_code_of(result, status));
        return 0;
}

/* The daemon leaving the bus before the job's end: we would wait forever. */
static int on_name_owner_changed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        Run *run = userdata;
        const char *name, *old_owner, *new_owner;

        if (sd_bus_message_read(m, "sss", &name, &old_owner, &new_owner) < 0)
                return 0;
        if (run->daemon_name && strcmp(old_owner, run->daemon_name) == 0) {
                fprintf(stderr, "confinectl: Wait: confined left the bus before the job exited (NoReply: confined "
                                "did not answer)\n");
                finish(run, EXIT_SPAWN_FAILED);
        }
        return 0;
}

static int run_common(char *cmd[], const PropertyValue *values, size_t n_values) {
        static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP };
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        Run run = {};
        sigset_t mask;
        int r, code = EXIT_SPAWN_FAILED;

        /* As confinectl-full's builder: our stdio must be there to be passed. */
        for (int fd = 0; fd < 3; fd++)
                if (fcntl(fd, F_GETFD) < 0) {
                        fprintf(stderr, "confinectl: cannot pass fd %d: dup: %s\n", fd, strerror(errno));
                        return EXIT_USAGE;
                }

        r = sd_bus_open_system(&run.bus);
        if (r < 0) {
                fprintf(stderr, "confinectl: cannot connect to confined: %s (cannot connect to the system bus)\n",
                        strerror(-r));
                return EXIT_SPAWN_FAILED;
        }
        (void) sd_bus_set_allow_interactive_authorization(run.bus, 1);

        /* Handlers before the job exists, so that no signal is lost in between. */
        sigemptyset(&mask);
        for (size_t i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++)
                sigaddset(&mask, forwarded[i]);
        r = sigprocmask(SIG_BLOCK, &mask, NULL) < 0 ? -errno : sd_event_new(&run.event);
        for (size_t i = 0; r >= 0 && i < sizeof forwarded / sizeof forwarded[0]; i++)
                r = sd_event_add_signal(run.event, NULL, forwarded[i], on_signal, &run);
        if (r >= 0)
                r = sd_bus_attach_event(run.bus, run.event, SD_EVENT_PRIORITY_NORMAL);
        if (r >= 0)
                r = sd_bus_add_filter(run.bus, NULL, on_message, &run);
        /* The one match: the daemon's name changing owner. Sent before Spawn, so that the daemon
         * cannot leave unseen once it has the request; its reply is not waited for. */
        if (r >= 0)
                r = sd_bus_add_match_async(run.bus, NULL,
                                           "type='signal',sender='org.freedesktop.DBus',path='/org/freedesktop/DBus',"
                                           "interface='org.freedesktop.DBus',member='NameOwnerChanged',"
                                           "arg0='" BUS_NAME "'",
                                           on_name_owner_changed, NULL, &run);
        if (r >= 0)
                r = sd_bus_message_new_method_call(run.bus, &m, BUS_NAME, MANAGER_PATH, MANAGER_IFACE, "Spawn");
        if (r >= 0)
                r = sd_bus_message_append_strv(m, cmd);
        if (r >= 0)
                r = append_properties(m, values, n_values);
        if (r >= 0)
                r = sd_bus_message_append(m, "t", SPAWN_FLAG_KILL_ON_DISCONNECT);
        if (r >= 0)
                r = sd_bus_call_async(run.bus, NULL, m, on_spawn_reply, &run, 0);
        if (r >= 0)
                r = sd_event_loop(run.event);
        if (r < 0)
                fprintf(stderr, "confinectl: Spawn: %s\n", strerror(-r));
        else
                code = r;

        run.bus = sd_bus_flush_close_unref(run.bus);
        run.event = sd_event_unref(run.event);
        free(run.daemon_name);
        free(run.job_path);
        return code;
}

int main(int argc, char *argv[]) {
        const char **props;
        PropertyValue *values;
        size_t n_props = 0;
        int cmd, r;

        if (argc == 2 && strcmp(argv[1], "--version") == 0) {
                puts(CONFINE_VERSION);
                return 0;
        }
        props = calloc((size_t) argc, sizeof *props);
        values = calloc((size_t) argc, sizeof *values);
        if (!props || !values)
                return EXIT_SPAWN_FAILED;
        cmd = parse_common_run(argc, argv, props, &n_props);
        if (cmd == 0)
                exec_full(argv);

        for (size_t i = 0; i < n_props; i++) {
                const char *reason = NULL;

                values[i].fd = -EBADF;
                r = property_value_parse(props[i], &values[i], &reason);
                if (r == -ENOMEM)
                        return EXIT_SPAWN_FAILED;
                if (r < 0) {
                        fprintf(stderr, "confinectl: -p %s: %s\n", props[i], reason ?: strerror(-r));
                        for (size_t j = 0; j <= i; j++)
                                property_value_done(&values[j]);
                        free(values);
                        free(props);
                        return EXIT_USAGE;
                }
        }

        r = run_common(argv + cmd, values, n_props);
        for (size_t i = 0; i < n_props; i++)
                property_value_done(&values[i]);
        free(values);
        free(props);
        return r;
}

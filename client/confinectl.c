/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* confinectl: run and manage confine jobs. This sd-bus version is replaced by one on libconfine
 * (GIO) in a later change; the -p parser is already the shared one. */
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include "bus-util.h"
#include "json-out.h"
#include "parse-util.h"
#include "property-table.h"
#include "strv.h"

#define WAIT_TIMEOUT_USEC (UINT64_C(365) * 24 * 3600 * 1000000)

static char **arg_properties;
static bool arg_json;

static int bus_fail(const char *what, const sd_bus_error *e, int r) {
        if (e && sd_bus_error_is_set(e)) {
                const char *short_name = strrchr(e->name, '.');
                fprintf(stderr, "confinectl: %s: %s (%s)\n", what, strempty(e->message),
                        short_name ? short_name + 1 : e->name);
        } else
                fprintf(stderr, "confinectl: %s: %s\n", what, strerror(-r));
        return r < 0 ? r : -EIO;
}

static int connect_bus(sd_bus **ret) {
        int r = sd_bus_open_system(ret);
        if (r < 0)
                fprintf(stderr, "confinectl: cannot connect to the system bus: %s\n", strerror(-r));
        return r;
}

/* Appends one (sv) of the value's signature. */
static int append_value(sd_bus_message *m, const char *name, const PropertyValue *v) {
        const char *sig = v->info->signature;
        int r;

        r = sd_bus_message_open_container(m, 'r', "sv");
        if (r >= 0)
                r = sd_bus_message_append(m, "s", name);
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'v', sig);
        if (r < 0)
                return r;

        if (streq(sig, "b"))
                r = sd_bus_message_append(m, "b", (int) v->b);
        else if (streq(sig, "i"))
                r = sd_bus_message_append(m, "i", v->i);
        else if (streq(sig, "u"))
                r = sd_bus_message_append(m, "u", v->u);
        else if (streq(sig, "t"))
                r = sd_bus_message_append(m, "t", v->t);
        else if (streq(sig, "s"))
                r = sd_bus_message_append(m, "s", v->s);
        else if (streq(sig, "as"))
                r = sd_bus_message_append_strv(m, v->strv);
        else if (streq(sig, "(bas)")) {
                r = sd_bus_message_open_container(m, 'r', "bas");
                if (r >= 0)
                        r = sd_bus_message_append(m, "b", (int) v->b);
                if (r >= 0)
                        r = sd_bus_message_append_strv(m, v->strv);
                if (r >= 0)
                        r = sd_bus_message_close_container(m);
        } else if (streq(sig, "a(ss)") || streq(sig, "a(ssbt)")) {
                r = sd_bus_message_open_container(m, 'a', sig + 1);
                for (size_t i = 0; r >= 0 && i < v->n_tuples; i++) {
                        const PropertyTuple *t = v->tuples + i;
                        if (streq(sig, "a(ss)"))
                                r = sd_bus_message_append(m, "(ss)", t->a, t->b);
                        else
                                r = sd_bus_message_append(m, "(ssbt)", t->a, t->b, (int) t->flag, t->t);
                }
                if (r >= 0)
                        r = sd_bus_message_close_container(m);
        } else
                r = -EINVAL;

        if (r >= 0)
                r = sd_bus_message_close_container(m);
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        return r;
}

static int append_property(sd_bus_message *m, const char *assignment) {
        _cleanup_(property_value_done) PropertyValue v = { .fd = -EBADF };
        _cleanup_free_ char *soft_name = NULL;
        const char *reason = NULL;
        int r;

        r = property_value_parse(assignment, &v, &reason);
        if (r < 0) {
                if (r == -ENOMEM)
                        return r;
                fprintf(stderr, "confinectl: -p %s: %s\n", assignment, reason);
                return -EINVAL;
        }
        r = append_value(m, v.info->name, &v);
        if (r < 0 || !v.has_soft)
                return r;

        /* "LimitNOFILE=1024:4096" is two properties on the wire, as with systemd-run. */
        if (asprintf(&soft_name, "%sSoft", v.info->name) < 0)
                return -ENOMEM;
        v.t = v.soft;
        return append_value(m, soft_name, &v);
}

static int append_fd_property(sd_bus_message *m, const char *name, int fd) {
        return sd_bus_message_append(m, "(sv)", name, "h", fd);
}

/* Maps a job's end to our exit code as a shell would: the status, or 128+signal. */
static int exit_code_for(const char *result, int status) {
        if (streq(result, "success") || streq(result, "exit-code"))
                return status & 0xff;
        return 128 + (status & 0x7f);
}

static int print_job_record(sd_bus *bus, const char *path) {
        _cleanup_bus_error_ sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        int r;

        r = sd_bus_call_method(bus, CONFINE_BUS_NAME, path, "org.freedesktop.DBus.Properties", "GetAll", &error,
                               &reply, "s", CONFINE_JOB_INTERFACE);
        if (r < 0)
                return bus_fail("GetAll", &error, r);
        return arg_json ? json_print_properties(reply) : text_print_properties(reply);
}

typedef struct RunState {
        sd_bus *bus;
        const char *job_path;
        char *result;
        int status;
        bool done;
} RunState;

static int on_wait_reply(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error) {
        RunState *st = userdata;
        const sd_bus_error *e = sd_bus_message_get_error(reply);
        const char *result;
        int status;

        if (e) {
                bus_fail("Wait", e, -EIO);
                return sd_event_exit(sd_bus_get_event(st->bus), -EIO);
        }
        if (sd_bus_message_read(reply, "si", &result, &status) < 0)
                return sd_event_exit(sd_bus_get_event(st->bus), -EBADMSG);
        st->result = strdup(result);
        st->status = status;
        st->done = true;
        /* Now, while the bus is attached: leaving the loop closes it. */
        if (arg_json)
                (void) print_job_record(st->bus, st->job_path);
        return sd_event_exit(sd_bus_get_event(st->bus), 0);
}

/* Our SIGINT/SIGTERM go to the job; its end is what ends us. */
static int on_signal(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata) {
        RunState *st = userdata;
        return sd_bus_call_method_async(st->bus, NULL, CONFINE_BUS_NAME, st->job_path, CONFINE_JOB_INTERFACE, "Kill",
                                        NULL, NULL, "i", (int32_t) si->ssi_signo);
}

static int spawn_failed_exit_code(const sd_bus_error *e) {
        if (e && sd_bus_error_has_name(e, CONFINE_ERROR_SPAWN_FAILED) && e->message) {
                if (strstr(e->message, "execve") && strstr(e->message, "No such file"))
                        return 127;
                if (strstr(e->message, "execve") && strstr(e->message, "Permission denied"))
                        return 126;
        }
        return 125;
}

static int verb_run(int argc, char *argv[]) {
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL, *wait = NULL;
        _cleanup_bus_error_ sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(sd_event_unrefp) sd_event *event = NULL;
        RunState st = {};
        const char *path;
        uint64_t id;
        sigset_t mask;
        int r;

        if (argc < 1) {
                fprintf(stderr, "confinectl run: no command given\n");
                return 2;
        }
        if (connect_bus(&bus) < 0)
                return 125;

        r = sd_bus_message_new_method_call(bus, &m, CONFINE_BUS_NAME, CONFINE_MANAGER_PATH, CONFINE_MANAGER_INTERFACE,
                                           "Spawn");
        if (r < 0)
                return 125;
        (void) sd_bus_message_set_allow_interactive_authorization(m, true);

        r = sd_bus_message_append_strv(m, argv);
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'a', "(sv)");
        if (r >= 0)
                r = append_fd_property(m, "StandardInputFileDescriptor", STDIN_FILENO);
        if (r >= 0)
                r = append_fd_property(m, "StandardOutputFileDescriptor", STDOUT_FILENO);
        if (r >= 0)
                r = append_fd_property(m, "StandardErrorFileDescriptor", STDERR_FILENO);
        STRV_FOREACH(p, arg_properties) {
                if (r < 0)
                        break;
                r = append_property(m, *p);
        }
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        if (r >= 0)
                r = sd_bus_message_append(m, "t", SPAWN_FLAG_KILL_ON_DISCONNECT);
        if (r < 0)
                return r == -EINVAL ? 2 : 125;

        /* Block our signals before the job exists so that none is lost in between. */
        sigemptyset(&mask);
        sigaddset(&mask, SIGINT);
        sigaddset(&mask, SIGTERM);
        sigaddset(&mask, SIGHUP);
        sigprocmask(SIG_BLOCK, &mask, NULL);

        r = sd_bus_call(bus, m, 0, &error, &reply);
        if (r < 0) {
                bus_fail("Spawn", &error, r);
                return spawn_failed_exit_code(&error);
        }
        r = sd_bus_message_read(reply, "ot", &path, &id);
        if (r < 0)
                return 125;

        st.bus = bus;
        st.job_path = path;
        r = sd_event_default(&event);
        if (r >= 0)
                r = sd_bus_attach_event(bus, event, 0);
        if (r >= 0)
                r = sd_event_add_signal(event, NULL, SIGINT, on_signal, &st);
        if (r >= 0)
                r = sd_event_add_signal(event, NULL, SIGTERM, on_signal, &st);
        if (r >= 0)
                r = sd_event_add_signal(event, NULL, SIGHUP, on_signal, &st);
        if (r >= 0)
                r = sd_bus_message_new_method_call(bus, &wait, CONFINE_BUS_NAME, path, CONFINE_JOB_INTERFACE, "Wait");
        /* Wait has no answer before the job ends; the default 25 s method timeout must not apply. */
        if (r >= 0)
                r = sd_bus_call_async(bus, NULL, wait, on_wait_reply, &st, WAIT_TIMEOUT_USEC);
        if (r < 0)
                return 125;
        r = sd_event_loop(event);
        if (r < 0 || !st.done)
                return 125;

        r = exit_code_for(st.result, st.status);
        free(st.result);
        return r;
}

static int parse_job_id(const char *s, uint64_t *ret) {
        char *end;
        errno = 0;
        *ret = strtoull(s, &end, 10);
        if (errno || *end || *ret == 0) {
                fprintf(stderr, "confinectl: invalid job id: %s\n", s);
                return -EINVAL;
        }
        return 0;
}

static int get_job_path(sd_bus *bus, uint64_t id, char **ret) {
        _cleanup_bus_error_ sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        const char *path;
        int r;

        r = sd_bus_call_method(bus, CONFINE_BUS_NAME, CONFINE_MANAGER_PATH, CONFINE_MANAGER_INTERFACE, "GetJob",
                               &error, &reply, "t", id);
        if (r < 0)
                return bus_fail("GetJob", &error, r);
        r = sd_bus_message_read(reply, "o", &path);
        if (r < 0)
                return r;
        *ret = strdup(path);
        return *ret ? 0 : -ENOMEM;
}

static int verb_list(int argc, char *argv[]) {
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_bus_error_ sd_bus_error error = SD_BUS_ERROR_NULL;
        const char *state, *program, *path;
        uint32_t uid, pid;
        uint64_t id;
        unsigned n = 0;
        int r;

        if (connect_bus(&bus) < 0)
                return 1;
        r = sd_bus_call_method(bus, CONFINE_BUS_NAME, CONFINE_MANAGER_PATH, CONFINE_MANAGER_INTERFACE, "ListJobs",
                               &error, &reply, NULL);
        if (r < 0)
                return bus_fail("ListJobs", &error, r), 1;
        r = sd_bus_message_enter_container(reply, 'a', "(tsuuso)");
        if (r < 0)
                return 1;
        if (arg_json)
                fputs("[", stdout);
        else
                printf("%-6s %-8s %-6s %-8s %s\n", "ID", "STATE", "UID", "PID", "PROGRAM");
        while ((r = sd_bus_message_read(reply, "(tsuuso)", &id, &state, &uid, &pid, &program, &path)) > 0) {
                if (arg_json) {
                        printf("%s{\"id\":%" PRIu64 ",\"state\":", n ? "," : "", id);
                        json_print_string(state);
                        printf(",\"owner\":%" PRIu32 ",\"main_pid\":%" PRIu32 ",\"program\":", uid, pid);
                        json_print_string(program);
                        fputs(",\"path\":", stdout);
                        json_print_string(path);
                        fputs("}", stdout);
                } else
                        printf("%-6" PRIu64 " %-8s %-6" PRIu32 " %-8" PRIu32 " %s\n", id, state, uid, pid, program);
                n++;
        }
        if (arg_json)
                puts("]");
        else
                printf("\n%u job(s).\n", n);
        return r < 0 ? 1 : 0;
}

static int verb_status(int argc, char *argv[]) {
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_free_ char *path = NULL;
        uint64_t id;

        if (argc != 1 || parse_job_id(argv[0], &id) < 0)
                return 2;
        if (connect_bus(&bus) < 0 || get_job_path(bus, id, &path) < 0)
                return 1;
        return print_job_record(bus, path) < 0 ? 1 : 0;
}

static int verb_kill(int argc, char *argv[]) {
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_bus_error_ sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *path = NULL;
        int sig = SIGTERM, r;
        uint64_t id;

        if (argc < 1 || argc > 2 || parse_job_id(argv[0], &id) < 0)
                return 2;
        if (argc == 2) {
                sig = parse_signal(argv[1]);
                if (sig < 0) {
                        fprintf(stderr, "confinectl: invalid signal: %s\n", argv[1]);
                        return 2;
                }
        }
        if (connect_bus(&bus) < 0 || get_job_path(bus, id, &path) < 0)
                return 1;
        r = sd_bus_call_method(bus, CONFINE_BUS_NAME, path, CONFINE_JOB_INTERFACE, "Kill", &error, NULL, "i", sig);
        if (r < 0)
                return bus_fail("Kill", &error, r), 1;
        return 0;
}

static int verb_wait(int argc, char *argv[]) {
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
        _cleanup_bus_error_ sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *path = NULL;
        const char *result;
        int32_t status;
        uint64_t id;
        int r;

        if (argc != 1 || parse_job_id(argv[0], &id) < 0)
                return 2;
        if (connect_bus(&bus) < 0 || get_job_path(bus, id, &path) < 0)
                return 1;
        r = sd_bus_message_new_method_call(bus, &m, CONFINE_BUS_NAME, path, CONFINE_JOB_INTERFACE, "Wait");
        if (r < 0)
                return 1;
        r = sd_bus_call(bus, m, WAIT_TIMEOUT_USEC, &error, &reply);
        if (r < 0)
                return bus_fail("Wait", &error, r), 1;
        r = sd_bus_message_read(reply, "si", &result, &status);
        if (r < 0)
                return 1;
        if (arg_json)
                (void) print_job_record(bus, path);
        else
                printf("%s %d\n", result, status);
        return exit_code_for(result, status);
}

static void help(void) {
        printf("confinectl [OPTIONS...] COMMAND ...\n\n"
               "Run commands in a sandbox through the confine broker.\n\n"
               "Commands:\n"
               "  run [-p NAME=VALUE]... [--] CMD [ARGS...]  Run CMD sandboxed, wait, exit with its status\n"
               "  list                                       List jobs\n"
               "  status ID                                  Show a job\n"
               "  kill ID [SIGNAL]                           Send a signal to a job (default TERM)\n"
               "  wait ID                                    Wait for a job to exit\n\n"
               "Options:\n"
               "  -p --property=NAME=VALUE  Set a sandbox property, as systemd-run -p does\n"
               "     --json                 Print machine-readable JSON\n"
               "  -h --help                 Show this help\n"
               "     --version              Show the version\n\n"
               "Properties: ");
        for (size_t i = 0; i < property_table_size; i++)
                printf("%s%s", i ? " " : "", property_table[i].name);
        printf("\n");
}

/* Returns 1 to go on, 0 to exit successfully, or minus the exit code. "+" makes getopt stop at
 * the first non-option, so that the command of "run" keeps its own options. */
static int parse_options(int argc, char *argv[]) {
        enum { ARG_JSON = 0x100, ARG_VERSION };
        static const struct option options[] = {
                { "property", required_argument, NULL, 'p' },
                { "json", no_argument, NULL, ARG_JSON },
                { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, ARG_VERSION },
                {}
        };
        int c;

        while ((c = getopt_long(argc, argv, "+p:h", options, NULL)) >= 0)
                switch (c) {
                case 'p':
                        if (strv_extend(&arg_properties, optarg) < 0)
                                return -1;
                        break;
                case ARG_JSON:
                        arg_json = true;
                        break;
                case 'h':
                        help();
                        return 0;
                case ARG_VERSION:
                        puts(CONFINE_VERSION);
                        return 0;
                default:
                        return -2;
                }
        return 1;
}

int main(int argc, char *argv[]) {
        static const struct {
                const char *name;
                int (*run)(int argc, char *argv[]);
        } verbs[] = {
                { "run", verb_run }, { "list", verb_list }, { "status", verb_status },
                { "kill", verb_kill }, { "wait", verb_wait },
        };
        const char *verb;
        int r;

        /* Options may come before and after the verb: "confinectl --json run -p X=y -- cmd". */
        r = parse_options(argc, argv);
        if (r <= 0)
                return -r;
        if (optind >= argc) {
                help();
                return 2;
        }
        verb = argv[optind++];
        r = parse_options(argc, argv);
        if (r <= 0)
                return -r;

        for (size_t i = 0; i < ELEMENTSOF(verbs); i++)
                if (streq(verbs[i].name, verb)) {
                        r = verbs[i].run(argc - optind, argv + optind);
                        strv_free(arg_properties);
                        return r < 0 ? 1 : r;
                }
        fprintf(stderr, "confinectl: unknown command: %s\n", verb);
        return 2;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* confined: the confine broker. Only start-up lives here. */
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <systemd/sd-daemon.h>

#include "bus-context.h"
#include "bus-util.h"
#include "config.h"
#include "daemon-config.h"
#include "job.h"
#include "log.h"
#include "log-journal.h"
#include "manager.h"
#include "strv.h"

#define STOP_TIMEOUT_USEC (5 * UINT64_C(1000000))

static const char *arg_bus_address;
static const char *arg_exec_path = CONFINE_EXEC_PATH;
static const char *arg_cgroup;
static const char *arg_config = CONFINE_CONF_PATH;
static char **arg_profile_dirs;

static void help(void) {
        printf("confined [OPTIONS...]\n\n"
               "The confine sandbox broker (org.confine.Confine1).\n\n"
               "  -h --help               Show this help\n"
               "     --version            Show the version\n"
               "     --bus-address=ADDR   Use this bus instead of the system bus\n"
               "     --exec-path=PATH     Path of confine-exec (default %s)\n"
               "     --cgroup=PATH        cgroup v2 base for jobs, relative to the cgroup2 root\n"
               "     --config=PATH        Configuration file (default %s)\n"
               "     --profile-dir=DIR    Look for profiles here first (repeatable)\n"
               "  -v --verbose            Log at debug level\n",
               CONFINE_EXEC_PATH, CONFINE_CONF_PATH);
}

static int parse_argv(int argc, char *argv[]) {
        enum { ARG_VERSION = 0x100, ARG_BUS_ADDRESS, ARG_EXEC_PATH, ARG_CGROUP, ARG_CONFIG, ARG_PROFILE_DIR };
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, ARG_VERSION },
                { "bus-address", required_argument, NULL, ARG_BUS_ADDRESS },
                { "exec-path", required_argument, NULL, ARG_EXEC_PATH },
                { "cgroup", required_argument, NULL, ARG_CGROUP },
                { "config", required_argument, NULL, ARG_CONFIG },
                { "profile-dir", required_argument, NULL, ARG_PROFILE_DIR },
                { "verbose", no_argument, NULL, 'v' },
                {}
        };
        int c;

        while ((c = getopt_long(argc, argv, "hv", options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        help();
                        return 0;
                case ARG_VERSION:
                        puts(CONFINE_VERSION);
                        return 0;
                case ARG_BUS_ADDRESS:
                        arg_bus_address = optarg;
                        break;
                case ARG_EXEC_PATH:
                        arg_exec_path = optarg;
                        break;
                case ARG_CGROUP:
                        arg_cgroup = optarg;
                        break;
                case ARG_CONFIG:
                        arg_config = optarg;
                        break;
                case ARG_PROFILE_DIR:
                        if (optarg[0] != '/')
                                return log_error_errno(EINVAL, "--profile-dir needs an absolute path: %s", optarg);
                        if (strv_extend(&arg_profile_dirs, optarg) < 0)
                                return log_oom();
                        break;
                case 'v':
                        log_set_max_level(LOG_DEBUG);
                        break;
                default:
                        return -EINVAL;
                }
        if (optind < argc)
                return log_error_errno(EINVAL, "Unexpected argument: %s", argv[optind]);
        return 1;
}

static int connect_bus(sd_bus **ret) {
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        const char *address = arg_bus_address ?: getenv("DBUS_SYSTEM_BUS_ADDRESS");
        int r;

        if (!address)
                return sd_bus_open_system(ret);

        r = sd_bus_new(&bus);
        if (r < 0)
                return r;
        r = sd_bus_set_address(bus, address);
        if (r < 0)
                return r;
        r = sd_bus_set_bus_client(bus, true);
        if (r < 0)
                return r;
        r = sd_bus_set_trusted(bus, false);
        if (r < 0)
                return r;
        r = sd_bus_negotiate_fds(bus, true);
        if (r < 0)
                return r;
        r = sd_bus_negotiate_creds(bus, true, SD_BUS_CREDS_UID | SD_BUS_CREDS_EUID | SD_BUS_CREDS_PID);
        if (r < 0)
                return r;
        r = sd_bus_start(bus);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(bus);
        return 0;
}

typedef struct Shutdown {
        Manager *manager;
        sd_bus *bus;
        sd_event_source *deadline;
} Shutdown;

static int on_stop_deadline(sd_event_source *s, uint64_t usec, void *userdata) {
        Shutdown *sh = userdata;

        for (Job *j = sh->manager->jobs; j; j = j->next)
                if (j->state != JOB_EXITED && j->pidfd >= 0) {
                        log_warning("job %" PRIu64 ": still running after SIGTERM, killing it.", j->id);
                        (void) job_kill(j, SIGKILL);
                }
        return sd_event_exit(sd_event_source_get_event(s), 0);
}

static int on_idle_check(sd_event_source *s, void *userdata) {
        Shutdown *sh = userdata;

        if (sh->manager->n_jobs == 0)
                return sd_event_exit(sd_event_source_get_event(s), 0);
        return 0;
}

/* SIGTERM: stop taking work, SIGTERM the jobs, SIGKILL the rest after a timeout, exit. */
static int on_sigterm(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata) {
        Shutdown *sh = userdata;
        sd_event *e = sd_event_source_get_event(s);

        if (sh->deadline)
                return 0;
        log_info("Received SIG%s, stopping.", si->ssi_signo == SIGTERM ? "TERM" : "INT");
        (void) sd_bus_release_name(sh->bus, CONFINE_BUS_NAME);
        manager_stop_all_jobs(sh->manager);
        if (sh->manager->n_jobs == 0)
                return sd_event_exit(e, 0);

        (void) sd_event_add_time_relative(e, &sh->deadline, CLOCK_MONOTONIC, STOP_TIMEOUT_USEC, 0,
                                          on_stop_deadline, sh);
        /* Re-checked after every dispatch: exit as soon as the last job is reaped. */
        return sd_event_add_post(e, NULL, on_idle_check, sh);
}

int main(int argc, char *argv[]) {
        _cleanup_(sd_event_unrefp) sd_event *event = NULL;
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        Manager *m = NULL;
        BusContext *context = NULL;
        Shutdown shutdown = {};
        _cleanup_(daemon_config_done) DaemonConfig config = {};
        sigset_t mask;
        int r;

        log_set_prefix("confined");
        /* Under systemd the lines go to the journal with their fields (CONFINE_JOB_ID …);
         * elsewhere (tests/with-bus) to stderr as before. */
        (void) log_journal_setup(false);
        r = parse_argv(argc, argv);
        if (r <= 0)
                return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;

        if (geteuid() != 0)
                log_warning("Not running as root: jobs can only run as %u.", (unsigned) geteuid());

        daemon_config_defaults(&config);
        r = daemon_config_load(&config, arg_config);
        if (r < 0)
                return EXIT_FAILURE;

        /* The daemon's own signals are handled in the loop; children reset the mask in confine-exec. */
        sigemptyset(&mask);
        sigaddset(&mask, SIGTERM);
        sigaddset(&mask, SIGINT);
        sigprocmask(SIG_BLOCK, &mask, NULL);
        signal(SIGPIPE, SIG_IGN);

        r = sd_event_default(&event);
        if (r < 0)
                return log_error_errno(r, "Cannot create event loop: %m"), EXIT_FAILURE;

        r = connect_bus(&bus);
        if (r < 0)
                return log_error_errno(r, "Cannot connect to the bus: %m"), EXIT_FAILURE;
        r = sd_bus_attach_event(bus, event, SD_EVENT_PRIORITY_NORMAL);
        if (r < 0)
                return log_error_errno(r, "Cannot attach bus: %m"), EXIT_FAILURE;

        if (strv_extend(&arg_profile_dirs, CONFINE_PROFILE_DIR_ETC) < 0 ||
            strv_extend(&arg_profile_dirs, CONFINE_PROFILE_DIR_DATA) < 0)
                return log_oom(), EXIT_FAILURE;
        r = manager_new(event, arg_exec_path, arg_cgroup, arg_profile_dirs, &config, &m);
        if (r < 0)
                return log_error_errno(r, "Cannot set up: %m"), EXIT_FAILURE;
        shutdown.manager = m;
        shutdown.bus = bus;
        r = bus_context_new(bus, m, &context);
        if (r < 0) {
                log_error_errno(r, "Cannot put the objects on the bus: %m");
                goto finish;
        }

        r = sd_event_add_signal(event, NULL, SIGTERM, on_sigterm, &shutdown);
        if (r >= 0)
                r = sd_event_add_signal(event, NULL, SIGINT, on_sigterm, &shutdown);
        if (r < 0) {
                log_error_errno(r, "Cannot watch signals: %m");
                goto finish;
        }

        r = sd_bus_request_name(bus, CONFINE_BUS_NAME, 0);
        if (r < 0) {
                log_error_errno(r, "Cannot own %s: %m", CONFINE_BUS_NAME);
                goto finish;
        }

        (void) sd_notify(false, "READY=1\nSTATUS=Processing requests...");
        log_info("Ready, version %s.", CONFINE_VERSION);

        r = sd_event_loop(event);
        if (r < 0)
                log_error_errno(r, "Event loop failed: %m");

        (void) sd_notify(false, "STOPPING=1");
finish:
        sd_event_source_disable_unref(shutdown.deadline);
        /* The bus side first: it answers what still waits (Spawn, Wait) and lets go of the jobs. */
        bus_context_free(context);
        manager_free(m);
        strv_free(arg_profile_dirs);
        return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* confinectl: run and manage confine jobs, locally or on another host (-H). */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"

CtlOptions arg = { .threshold = -1 };

void ctl_print_error (const char *what, const GError *error) {
        g_autofree gchar *name = confine_error_dup_name (error);
        const char *short_name = name ? strrchr (name, '.') : NULL;

        if (short_name)
                fprintf (stderr, "confinectl: %s: %s (%s: %s)\n", what, error->message, short_name + 1,
                         confine_error_describe (error));
        else
                fprintf (stderr, "confinectl: %s: %s (%s)\n", what, error->message, confine_error_describe (error));
}

int ctl_write_all (int fd, const void *buf, size_t n) {
        const char *p = buf;

        while (n > 0) {
                ssize_t k = write (fd, p, n);
                if (k < 0 && errno == EINTR)
                        continue;
                if (k < 0 && errno == EAGAIN) {
                        struct pollfd pfd = { .fd = fd, .events = POLLOUT };
                        (void) poll (&pfd, 1, -1);
                        continue;
                }
                if (k < 0)
                        return -errno;
                p += k;
                n -= (size_t) k;
        }
        return 0;
}

ConfineClient *ctl_connect (void) {
        g_autoptr (GDBusConnection) connection = NULL;
        g_autoptr (GError) error = NULL;
        ConfineClient *client;

        if (arg.host) {
                connection = ctl_remote_connect (arg.host, arg.bridge, &error);
                if (!connection) {
                        fprintf (stderr, "confinectl: cannot reach the bus of %s through ssh and \"%s\": %s\n",
                                 arg.host, arg.bridge ?: CTL_DEFAULT_BRIDGE, error->message);
                        ctl_remote_close ();
                        return NULL;
                }
                client = confine_client_new_for_connection (connection, NULL, &error);
        } else
                client = confine_client_new (NULL, &error);
        if (!client) {
                ctl_print_error ("cannot connect to confined", error);
                ctl_remote_close ();
                return NULL;
        }
        confine_client_set_allow_interactive_authorization (client, TRUE);
        return client;
}

void ctl_disconnect (ConfineClient *client) {
        GDBusConnection *connection;

        if (!client)
                return;
        connection = confine_client_get_connection (client);
        (void) g_dbus_connection_flush_sync (connection, NULL, NULL);
        if (arg.host) {
                (void) g_dbus_connection_close_sync (connection, NULL, NULL);
                ctl_remote_close ();
        }
        g_object_unref (client);
}

static void help (void) {
        printf ("confinectl [OPTIONS...] COMMAND ...\n\n"
                "Run commands in a sandbox through the confine broker.\n\n"
                "Commands:\n"
                "  run [-p NAME=VALUE]... [--] CMD [ARGS...]  Run CMD sandboxed, wait, exit with its status\n"
                "  analyze [-p NAME=VALUE]... [--] CMD [ARGS...]  Show what run would start, its authorization\n"
                "                                             and its exposure (systemd-analyze security's checks)\n"
                "  learn [-p NAME=VALUE]... [--runs=N] [--verify] [--] CMD [ARGS...]\n"
                "                                             Run CMD recording its system calls; propose\n"
                "                                             the SystemCallFilter= it needs\n"
                "  list                                       List jobs\n"
                "  status ID                                  Show a job\n"
                "  kill ID [SIGNAL]                           Send a signal to a job (default TERM)\n"
                "  wait ID                                    Wait for a job to exit\n"
                "  monitor                                    Show the events of every job (needs manage-jobs)\n\n"
                "Options:\n"
                "  -p --property=NAME=VALUE  Set a sandbox property, as systemd-run -p does\n"
                "     --profile=NAME        Start from a named profile (Profile=NAME)\n"
                "  -E --setenv=NAME[=VALUE] Set an environment variable (without VALUE: our own value)\n"
                "     --uid=USER            Run as USER (User=)\n"
                "     --gid=GROUP           Run with GROUP (Group=)\n"
                "     --working-directory=DIR  Run in DIR (WorkingDirectory=; relative to ours)\n"
                "  -d --same-dir            Run in our working directory\n"
                "  -P --pipe                Pass stdin/stdout/stderr through the daemon, not by fd\n"
                "  -t --pty                 Run CMD on a new pseudo-terminal\n"
                "  -q --quiet               Print no informational messages\n"
                "     --no-block            Print the job's id and path and return at once; the job lives on\n"
                "  -G --collect             Accepted as systemd-run's: exited jobs are always collected\n"
                "     --json                Print machine-readable JSON\n"
                "     --threshold=N         analyze: exit 1 when the exposure is above N (0…100, or 0.0…10.0)\n"
                "     --runs=N              learn: run CMD N times and merge what it used (default 1)\n"
                "     --verify              learn: run CMD again under the proposal, compare its exit status\n"
                "  -H --host=[USER@]HOST    Operate on HOST, through ssh and systemd-stdio-bridge\n"
                "     --bridge=COMMAND      The bridge command to run on HOST (default: $CONFINE_SSH_BRIDGE\n"
                "                           or systemd-stdio-bridge); the ssh command is $CONFINE_SSH or ssh\n"
                "  -h --help                Show this help\n"
                "     --version             Show the version\n\n"
                "Properties:");
        for (const gchar *const *n = confine_property_builder_get_known_names (); *n; n++)
                printf (" %s", *n);
        printf ("\n");
}

/* systemd-analyze security's --threshold= is on its internal scale, 0 … 100; "6.5" is that level as
 * it prints levels, 65. */
static bool parse_threshold (const char *s, int *ret) {
        char *end = NULL;
        double d;
        long n;

        if (strchr (s, '.')) {
                d = g_ascii_strtod (s, &end);
                if (!end || *end || d < 0 || d > 10)
                        return false;
                *ret = (int) (d * 10 + 0.5);
                return true;
        }
        n = strtol (s, &end, 10);
        if (!end || *end || end == s || n < 0 || n > 100)
                return false;
        *ret = (int) n;
        return true;
}

/* Returns 1 to go on, 0 to exit successfully, or minus the exit code. "+" makes getopt stop at
 * the first non-option, so that the command of "run" keeps its own options. */
static int parse_options (int argc, char *argv[]) {
        enum { ARG_JSON = 0x100, ARG_VERSION, ARG_PROFILE, ARG_BRIDGE, ARG_UID, ARG_GID, ARG_WORKING_DIRECTORY,
               ARG_NO_BLOCK, ARG_THRESHOLD, ARG_RUNS, ARG_VERIFY };
        static const struct option options[] = {
                { "property", required_argument, NULL, 'p' },
                { "profile", required_argument, NULL, ARG_PROFILE },
                { "setenv", required_argument, NULL, 'E' },
                { "uid", required_argument, NULL, ARG_UID },
                { "gid", required_argument, NULL, ARG_GID },
                { "working-directory", required_argument, NULL, ARG_WORKING_DIRECTORY },
                { "same-dir", no_argument, NULL, 'd' },
                { "pipe", no_argument, NULL, 'P' },
                { "pty", no_argument, NULL, 't' },
                { "quiet", no_argument, NULL, 'q' },
                { "no-block", no_argument, NULL, ARG_NO_BLOCK },
                { "collect", no_argument, NULL, 'G' },
                { "json", no_argument, NULL, ARG_JSON },
                { "threshold", required_argument, NULL, ARG_THRESHOLD },
                { "runs", required_argument, NULL, ARG_RUNS },
                { "verify", no_argument, NULL, ARG_VERIFY },
                { "host", required_argument, NULL, 'H' },
                { "bridge", required_argument, NULL, ARG_BRIDGE },
                { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, ARG_VERSION },
                {}
        };
        int c;

        while ((c = getopt_long (argc, argv, "+p:E:dPtqGH:h", options, NULL)) >= 0)
                switch (c) {
                case 'p':
                        if (!arg.properties)
                                arg.properties = g_ptr_array_new ();
                        g_ptr_array_add (arg.properties, optarg);
                        break;
                case ARG_PROFILE:
                        arg.profile = optarg;
                        break;
                case 'E':
                        if (!arg.setenv)
                                arg.setenv = g_ptr_array_new ();
                        g_ptr_array_add (arg.setenv, optarg);
                        break;
                case ARG_UID:
                        arg.uid = optarg;
                        break;
                case ARG_GID:
                        arg.gid = optarg;
                        break;
                case ARG_WORKING_DIRECTORY:
                        arg.working_directory = optarg;
                        arg.same_dir = false;
                        break;
                case 'd':
                        arg.working_directory = NULL;
                        arg.same_dir = true;
                        break;
                case 'P':
                        arg.pipe = true;
                        break;
                case 't':
                        arg.pty = true;
                        break;
                case 'q':
                        arg.quiet = true;
                        break;
                case ARG_NO_BLOCK:
                        arg.no_block = true;
                        break;
                case 'G':
                        arg.collect = true;
                        break;
                case ARG_JSON:
                        arg.json = true;
                        break;
                case ARG_RUNS: {
                        char *end = NULL;
                        unsigned long n = strtoul (optarg, &end, 10);
                        if (!end || *end || end == optarg || n < 1 || n > 100) {
                                fprintf (stderr, "confinectl: --runs=%s: not a number from 1 to 100\n", optarg);
                                return -EXIT_USAGE;
                        }
                        arg.runs = (unsigned) n;
                        break;
                }
                case ARG_VERIFY:
                        arg.verify = true;
                        break;
                case ARG_THRESHOLD:
                        if (!parse_threshold (optarg, &arg.threshold)) {
                                fprintf (stderr, "confinectl: --threshold=%s: not a number from 0 to 100 (or 0.0 to 10.0)\n",
                                         optarg);
                                return -EXIT_USAGE;
                        }
                        break;
                case 'H':
                        arg.host = optarg;
                        break;
                case ARG_BRIDGE:
                        arg.bridge = optarg;
                        break;
                case 'h':
                        help ();
                        return 0;
                case ARG_VERSION:
                        puts (CONFINE_VERSION);
                        return 0;
                default:
                        return -EXIT_USAGE;
                }
        return 1;
}

int main (int argc, char *argv[]) {
        static const struct {
                const char *name;
                int (*run) (int argc, char *argv[]);
        } verbs[] = {
                { "run", verb_run },   { "analyze", verb_analyze }, { "learn", verb_learn },   { "list", verb_list }, { "status", verb_status },
                { "kill", verb_kill }, { "wait", verb_wait }, { "monitor", verb_monitor },
        };
        const char *verb;
        int r;

        /* Options may come before and after the verb: "confinectl --json run -p X=y -- cmd". */
        r = parse_options (argc, argv);
        if (r <= 0)
                return -r;
        if (optind >= argc) {
                help ();
                return EXIT_USAGE;
        }
        verb = argv[optind++];
        r = parse_options (argc, argv);
        if (r <= 0)
                return -r;
        if (!arg.bridge)
                arg.bridge = g_getenv ("CONFINE_SSH_BRIDGE");
        if (arg.bridge && !*arg.bridge)
                arg.bridge = NULL;

        for (size_t i = 0; i < G_N_ELEMENTS (verbs); i++)
                if (g_str_equal (verbs[i].name, verb)) {
                        r = verbs[i].run (argc - optind, argv + optind);
                        g_clear_pointer (&arg.properties, g_ptr_array_unref);
                        g_clear_pointer (&arg.setenv, g_ptr_array_unref);
                        return r;
                }
        fprintf (stderr, "confinectl: unknown command: %s\n", verb);
        return EXIT_USAGE;
}

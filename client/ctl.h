/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* confinectl: what the verbs share. All D-Bus goes through libconfine. */
#pragma once

#include <confine/confine.h>
#include <stdbool.h>

typedef struct CtlOptions {
        GPtrArray *properties;  /* -p "Name=Value", in order */
        GPtrArray *setenv;      /* -E "NAME[=VALUE]", in order */
        const char *profile;
        const char *uid;        /* --uid: User= */
        const char *gid;        /* --gid: Group= */
        const char *working_directory; /* --working-directory, or -d: our own */
        bool quiet;             /* -q */
        bool no_block;          /* --no-block: print the job and return, the job lives on */
        bool collect;           /* -G: accepted; exited jobs are always collected (KeepExitedSec) */
        bool same_dir;          /* -d */
        const char *host;       /* -H [user@]host */
        const char *bridge;     /* the command ssh runs on the host */
        bool json;
        int threshold;          /* analyze --threshold: tenths, 0 … 100; -1: none */
        unsigned runs;          /* learn --runs */
        bool verify;            /* learn --verify */
        bool pipe;
        bool pty;
} CtlOptions;

extern CtlOptions arg;

/* Exit codes of run, as a shell's: the job's own, 128+signal, or these. */
#define EXIT_SPAWN_FAILED 125
#define EXIT_CANNOT_EXECUTE 126
#define EXIT_NOT_FOUND 127
#define EXIT_USAGE 2

/* "confinectl: WHAT: MESSAGE (Name: what it means)" on stderr. */
void ctl_print_error (const char *what, const GError *error);

/* The client, local (system bus) or through -H; NULL after printing why. */
ConfineClient *ctl_connect (void);
/* Flushes what is queued, then ends the connection and, with -H, the ssh bridge. */
void ctl_disconnect (ConfineClient *client);

#define CTL_DEFAULT_BRIDGE "systemd-stdio-bridge"

/* -H: a message bus connection to HOST's system bus, through ssh and a stdio bridge. */
GDBusConnection *ctl_remote_connect (const char *host, const char *bridge, GError **error);
void ctl_remote_close (void);

/* Writes all of buf to fd, blocking (also on a non-blocking fd). */
int ctl_write_all (int fd, const void *buf, size_t n);

/* The properties of -p, then of the options that stand for properties, then --profile and, with
 * pass_fds, our stdio. NULL after printing why. */
ConfinePropertyBuilder *ctl_build_properties (bool pass_fds);

/* What learn adds to a run: spawn flags, properties after the options' ("Name=Value"), and where
 * the calls a learning job made go (g_strdup'ed names). started: the job ran (its status is real). */
typedef struct CtlRunExtra {
        ConfineSpawnFlags flags;
        char **properties;
        GPtrArray *learned;
        GPtrArray *families;    /* with learned: the socket families it asked for */
        GPtrArray *paths, *paths_written; /* with learned: the paths its calls named, and wrote */
        GPtrArray *files, *endpoints, *uses, *capabilities; /* with learned: LearnedFiles … */
        bool started;
} CtlRunExtra;

/* run: spawn, pass stdio, wait; returns run's exit code. */
int ctl_run (int argc, char *argv[], CtlRunExtra *extra);

int verb_run (int argc, char *argv[]);
int verb_learn (int argc, char *argv[]);
int verb_analyze (int argc, char *argv[]);
int verb_list (int argc, char *argv[]);
int verb_status (int argc, char *argv[]);
int verb_kill (int argc, char *argv[]);
int verb_wait (int argc, char *argv[]);
int verb_monitor (int argc, char *argv[]);

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <pthread.h>
#include <stdbool.h>
#include <systemd/sd-event.h>

#include "spawn.h"

/* The clone of each job's process, off the event loop. spawn_confine_exec() suspends its caller
 * until confine-exec has exec'd (CLONE_VFORK): a millisecond, more when the CPUs are busy. Done by
 * this thread, that suspends only it; the event loop meanwhile serves other callers, and hears of
 * each clone through an eventfd. One clone at a time, in the order submitted. */

typedef struct SpawnOrder SpawnOrder;
struct SpawnOrder {
        /* In: everything must stay valid until done() runs. */
        const char *exec_path;
        SpawnFds fds;
        int cgroup_fd;
        int pidns_fd;
        /* Closed by the thread right after the clone: the status pipe's write end. A later clone
         * copies the fd table, and a copy held there would keep the job's pipe from its EOF. */
        int close_after_clone;
        /* Out, for done(). */
        int error;              /* 0, or a negative errno */
        pid_t pid;
        int pidfd;
        /* Runs on the event loop's thread, once the clone is done or failed. */
        void (*done)(SpawnOrder *o);
        void *userdata;
        SpawnOrder *next;
};

typedef struct Spawner {
        pthread_t thread;
        pthread_mutex_t lock;   /* the two queues, stopping */
        pthread_cond_t wake;
        SpawnOrder *todo, *todo_tail;
        SpawnOrder *done, *done_tail;
        int event_fd;
        sd_event_source *event_source;
        bool stopping;
        bool running;           /* the thread runs: without it, callers spawn inline */
        bool initialized;
} Spawner;

/* Starts the thread. Without it (it could not start) spawner_running() is false. */
int spawner_init(Spawner *s, sd_event *event);
bool spawner_running(const Spawner *s);
void spawner_submit(Spawner *s, SpawnOrder *o);
/* Waits for the clone under way and those queued, runs their done() here, stops the thread. */
void spawner_done(Spawner *s);

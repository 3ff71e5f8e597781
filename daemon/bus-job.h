/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* org.confine.Confine1.Job, and the bus side of each job: the Spawn call waiting for exec, the
 * Wait calls, the owner's connection, the Output flow control. The model's events arrive
 * through bus_job_observer. */

#include <stdbool.h>
#include <stddef.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include "bus-context.h"
#include "bus-util.h"
#include "job.h"

typedef struct BusJob {
        BusContext *context;
        Job *job;                       /* set once job_start() succeeded */
        char object_path[sizeof CONFINE_JOB_PATH_PREFIX + 21];
        char *owner_name;               /* the caller's unique bus name; signals go there */

        sd_bus_message *spawn_message;  /* answered once exec succeeds or fails */
        sd_bus_message **waiters;       /* Wait calls, answered when the job has exited */
        size_t n_waiters;
        sd_bus_track *owner_track;      /* flags 1 and 2: tells when the owner leaves */

        /* Flag 2. At most one Peer.Ping to the owner is in flight; its reply acknowledges the
         * Output sent before it (up to ping_mark, job_stdio_sent_mark()). */
        sd_bus_slot *ping_slot;
        sd_event_source *ping_retry;
        uint64_t ping_mark;
        sd_bus_message *write_message;  /* the WriteInput whose bytes are not all written yet */
        sd_bus_message *close_message;  /* a CloseInput that came while a write was pending */
} BusJob;

extern const sd_bus_vtable job_vtable[];
extern const JobObserver bus_job_observer;

/* The bus side of a job about to start for the sender of spawn_message; bus_job_attach() ties it
 * to the job once job_start() has succeeded. */
int bus_job_new(BusContext *c, sd_bus_message *spawn_message, uint64_t flags, BusJob **ret);
void bus_job_attach(BusJob *bj, Job *j);
BusJob *bus_job_free(BusJob *bj);

int bus_job_find(sd_bus *bus, const char *path, const char *interface, void *userdata,
                 void **ret_found, sd_bus_error *error);
int bus_job_enumerate(sd_bus *bus, const char *path, void *userdata, char ***ret_nodes,
                      sd_bus_error *error);
const char *bus_job_path(Job *j);

/* Whether the sender of m may see job j: its owner, root, and a connection that holds
 * manage-jobs through an authorized Subscribe(). 1, 0, or a negative errno. */
int bus_job_check_access(Job *j, sd_bus_message *m);
/* Whether the sender of m is the job's owner or root: 1, 0, or a negative errno. Writing to a job
 * (its stdin, its terminal) takes this; seeing it takes bus_job_check_access(). */
int bus_job_sender_owns(Job *j, sd_bus_message *m);

/* A signal of job j, unicast to its owner (if to_owner) and to each active subscriber. Returns
 * the result of the send to the owner (0 if it was not asked for). */
typedef int (*BusJobSignalFill)(sd_bus_message *signal, Job *j, const void *userdata);
int bus_job_emit(Job *j, bool to_owner, const char *path, const char *interface, const char *member,
                 BusJobSignalFill fill, const void *userdata);

/* bus-job-stdio.c: flag 2's Output, WriteInput and CloseInput. */
int bus_job_stdio_output(Job *j, JobStream stream, const void *data, size_t size, bool to_owner);
void bus_job_stdio_input_written(Job *j, int error, const char *why);
void bus_job_stdio_input_closed(Job *j);
/* No more Peer.Ping to the owner: the job's output is over or goes nowhere. */
void bus_job_stdio_stop_pinging(BusJob *bj);
int bus_job_method_write_input(sd_bus_message *message, void *userdata, sd_bus_error *error);
int bus_job_method_close_input(sd_bus_message *message, void *userdata, sd_bus_error *error);

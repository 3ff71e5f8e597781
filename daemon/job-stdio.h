/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Spawn flag 2 ("pipe"): the job's stdin, stdout and stderr are pipes to the daemon.
 *
 * stdout and stderr go out as Job.Output signals, to the owner and to subscribers. Flow
 * control: while more than [Jobs] OutputWindowBytes of Output are not yet acknowledged by the
 * owner, the pipes are not read, so the job blocks in write() and nothing piles up in the
 * daemon or on the bus. The acknowledgement is a Peer.Ping to the owner: its reply comes after
 * the owner has read every earlier message.
 *
 * stdin is fed by Job.WriteInput, whose reply waits until every byte is in the pipe. */

#include <systemd/sd-bus.h>

typedef struct Job Job;
typedef struct JobStdio JobStdio;

/* Makes the three pipes. The job's ends go to child_fds[0..2], to be passed as its fds 0-2 and
 * closed by the caller once the job has them. */
int job_stdio_new(Job *j, int child_fds[3]);
JobStdio *job_stdio_free(JobStdio *s);

/* Starts reading stdout and stderr: once the job is published, so that no Output precedes the
 * Spawn reply and JobNew. */
int job_stdio_start(JobStdio *s);

/* The main process has been reaped (and its cgroup killed): stdin closes, and what is left in
 * stdout and stderr is sent, then both EOFs. Returns 1 while output is still to be sent (the
 * job is finished with job_finish() once it is), 0 if everything has been sent. */
int job_stdio_exited(JobStdio *s);

/* The owner left the bus: nothing more goes to it. stdout and stderr are closed (the job gets
 * EPIPE, subscribers get the EOFs), and so is stdin. May finish, and so free, the job. */
void job_stdio_owner_gone(JobStdio *s);

/* Job.WriteInput and Job.CloseInput; the caller has checked who may call them. */
int job_stdio_write_input(JobStdio *s, sd_bus_message *m, sd_bus_error *error);
int job_stdio_close_input(JobStdio *s, sd_bus_message *m, sd_bus_error *error);

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Spawn flag 2 ("pipe"): the job's stdin, stdout and stderr are pipes to the daemon.
 *
 * stdout and stderr go to the observer's output(), for the owner and for observers. Flow
 * control: while more than [Jobs] OutputWindowBytes of output are not yet acknowledged by the
 * owner (job_stdio_acknowledge()), each chunk counted as at least 4 KiB, the pipes are not read, so the job blocks in write() and
 * nothing piles up in the daemon or on the way to the owner.
 *
 * stdin is fed by job_stdio_write_input(); a write that does not fit at once completes later,
 * with the observer's input_written(). */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct Job Job;
typedef struct JobStdio JobStdio;

/* Makes the three pipes. The job's ends go to child_fds[0..2], to be passed as its fds 0-2 and
 * closed by the caller once the job has them. */
int job_stdio_new(Job *j, int child_fds[3]);
JobStdio *job_stdio_free(JobStdio *s);

/* Starts reading stdout and stderr: once the job is published, so that no output precedes the
 * observer's started(). */
int job_stdio_start(JobStdio *s);

/* The main process has been reaped (and its cgroup killed): stdin closes, and what is left in
 * stdout and stderr is sent, then both ends. Returns 1 while output is still to be sent (the
 * job is finished with job_finish() once it is), 0 if everything has been sent. */
int job_stdio_exited(JobStdio *s);

/* The owner stopped reading (it left, or does not answer): nothing more goes to it. stdout and
 * stderr are closed (the job gets EPIPE, observers get the ends), and so is stdin. May finish,
 * and so free, the job. */
void job_stdio_owner_gone(JobStdio *s);

/* Flow control. A mark for the output sent to the owner so far (its bytes, each chunk counted
 * as at least 4 KiB); whether some of it still waits for the owner's acknowledgement; and the
 * acknowledgement: the owner has read everything up to sent_mark (an earlier
 * job_stdio_sent_mark()). Acknowledging may send more output, and may
 * finish the job. */
uint64_t job_stdio_sent_mark(const JobStdio *s);
bool job_stdio_awaits_acknowledgement(const JobStdio *s);
void job_stdio_acknowledge(JobStdio *s, uint64_t sent_mark);

/* Writes data to the job's stdin: 0 when all of it is in, 1 when the rest follows as the pipe
 * drains (data must stay valid until the observer's input_written()), -EBADF when stdin is
 * closed, -EBUSY while an earlier write is pending, another negative errno when the write failed
 * (stdin is then closed; job_stdio_input_error_reason() says why in words). */
int job_stdio_write_input(JobStdio *s, const void *data, size_t size);
const char *job_stdio_input_error_reason(int error);
/* Closes stdin: 0 when done, 1 when it follows a pending write (the observer hears
 * input_closed()), -EBADF when stdin is closed already. */
int job_stdio_close_input(JobStdio *s);

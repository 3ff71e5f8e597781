/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "job-stdio.h"
#include "job.h"
#include "log.h"

/* The largest Output signal: one pipe's worth by default. */
#define OUTPUT_CHUNK (64 * 1024)

/* What one Output counts against the window: its bytes, but at least this. A job that writes a
 * few bytes at a time is read as fast as it writes, so a window counted in bytes alone let
 * hundreds of thousands of tiny signals be in flight (1 MiB of "yes\n"), and on a slow machine
 * (the test VM under TCG) the owner's replies to Kill or Wait queued behind all of them for
 * longer than its call timeout. With the floor at most window/OUTPUT_MIN_COST signals are
 * unacknowledged; meanwhile the pipe fills, and the next read takes a bigger chunk. */
#define OUTPUT_MIN_COST 4096

typedef struct OutputStream {
        JobStdio *stdio;
        JobStream stream;
        int fd;                 /* read end; -EBADF once the EOF has been sent */
        sd_event_source *source;
} OutputStream;

struct JobStdio {
        Job *job;
        OutputStream out[2];

        int input_fd;                   /* write end of the job's stdin; -EBADF once closed */
        sd_event_source *input_source;  /* EPOLLOUT, while a write waits for room */
        const uint8_t *write_data;      /* the observer's: valid until input_written() */
        size_t write_size, write_done;
        bool write_pending;             /* the observer hears input_written() once it is done */
        bool close_pending;             /* a close asked for while a write was pending */

        uint64_t sent;                  /* the window's count of the output sent to the owner */
        uint64_t acked;                 /* of which the owner has confirmed reading */

        bool owner_gone;
        bool draining;                  /* the main process is gone: read until empty, then EOF */
        bool finished;                  /* job_finish() has been called */
};

static uint64_t window(const JobStdio *s) {
        return s->job->manager->config.output_window_bytes;
}

static bool window_open(const JobStdio *s) {
        return s->owner_gone || s->sent - s->acked < window(s);
}

static bool output_open(const JobStdio *s) {
        return s->out[0].fd >= 0 || s->out[1].fd >= 0;
}

static void set_reading(JobStdio *s, bool on) {
        for (size_t i = 0; i < 2; i++)
                if (s->out[i].source)
                        (void) sd_event_source_set_enabled(s->out[i].source, on ? SD_EVENT_ON : SD_EVENT_OFF);
}

static int send_output(JobStdio *s, JobStream stream, const void *data, size_t size) {
        const JobObserver *o = s->job->manager->observer;
        return o ? o->output(s->job, stream, data, size, !s->owner_gone) : 0;
}

static void stream_close(JobStdio *s, OutputStream *o) {
        if (o->fd < 0)
                return;
        o->source = sd_event_source_disable_unref(o->source);
        o->fd = safe_close(o->fd);
        if (s->job->published)
                (void) send_output(s, o->stream, NULL, 0);
}

static void output_resume(JobStdio *s);

/* ---- flow control: the observer asks the owner, and tells what it has read */

uint64_t job_stdio_sent_mark(const JobStdio *s) {
        return s->sent;
}

bool job_stdio_awaits_acknowledgement(const JobStdio *s) {
        return !s->owner_gone && !s->finished && s->sent != s->acked;
}

void job_stdio_acknowledge(JobStdio *s, uint64_t sent_mark) {
        if (sent_mark <= s->acked || sent_mark > s->sent)
                return;
        s->acked = sent_mark;
        output_resume(s);
}

/* ---- output */

/* Reads one chunk from o and sends it. Returns 1 if something was sent, 0 if the stream is
 * empty for now or has just reached its EOF. */
static int stream_read(JobStdio *s, OutputStream *o) {
        static uint8_t buf[OUTPUT_CHUNK];
        size_t budget = OUTPUT_CHUNK;
        ssize_t n;

        if (!s->owner_gone)
                budget = (size_t) MIN((uint64_t) budget, window(s) - (s->sent - s->acked));
        n = read(o->fd, buf, budget);
        if (n < 0 && errno == EINTR)
                return 1;
        if (n < 0 && errno == EAGAIN) {
                /* After the exit nothing more can come: the job's cgroup has been killed. */
                if (!s->draining)
                        return 0;
                n = 0;
        } else if (n < 0) {
                log_warning_errno(errno, "job %" PRIu64 ": cannot read %s, closing it: %m", s->job->id,
                                  job_stream_to_string(o->stream));
                n = 0;
        }
        if (n == 0) {
                stream_close(s, o);
                return 0;
        }

        /* Counted first: the observer asks the owner to acknowledge up to here. */
        if (!s->owner_gone)
                s->sent += MAX((uint64_t) n, (uint64_t) OUTPUT_MIN_COST);
        (void) send_output(s, o->stream, buf, (size_t) n);
        return 1;
}

/* Once, when an exited job's output is all out. May free the job. */
static void stdio_finish(JobStdio *s) {
        if (s->finished)
                return;
        s->finished = true;
        job_finish(s->job);
}

/* After each read: pause while the window is full; finish the job once an exited job's
 * output is all out. */
static void output_settle(JobStdio *s) {
        if (s->draining && !output_open(s))
                stdio_finish(s);
        else
                set_reading(s, window_open(s));
}

/* Reads each stream until it is empty (at EOF, once the job has exited) or the window is full. */
static void output_drain(JobStdio *s) {
        for (size_t i = 0; i < 2; i++)
                while (s->out[i].fd >= 0 && window_open(s) && stream_read(s, &s->out[i]) > 0)
                        ;
}

static void output_resume(JobStdio *s) {
        if (!window_open(s))
                return;
        if (s->draining)
                output_drain(s);
        output_settle(s);
}

static int on_output_readable(sd_event_source *e, int fd, uint32_t revents, void *userdata) {
        OutputStream *o = userdata;
        JobStdio *s = o->stdio;

        if (window_open(s))
                (void) stream_read(s, o);
        output_settle(s);
        return 0;
}

/* ---- input */

/* Closes stdin, and tells the observer about the write and the close it was waiting for. */
static void input_close(JobStdio *s, const char *why) {
        const JobObserver *o = s->job->manager->observer;

        s->input_source = sd_event_source_disable_unref(s->input_source);
        s->input_fd = safe_close(s->input_fd);
        if (s->write_pending) {
                s->write_pending = false;
                if (o)
                        o->input_written(s->job, -EPIPE, why);
        }
        if (s->close_pending) {
                s->close_pending = false;
                if (o)
                        o->input_closed(s->job);
        }
}

static int on_input_writable(sd_event_source *e, int fd, uint32_t revents, void *userdata);

/* Writes what the pipe takes. Returns 0 once all is in, 1 while it waits for room, or a negative
 * errno (EPIPE: the job closed its stdin). */
static int input_progress(JobStdio *s) {
        int r;

        while (s->write_done < s->write_size) {
                ssize_t n = write(s->input_fd, s->write_data + s->write_done, s->write_size - s->write_done);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0 && errno == EAGAIN) {
                        if (s->input_source)
                                r = sd_event_source_set_enabled(s->input_source, SD_EVENT_ON);
                        else
                                r = sd_event_add_io(s->job->manager->event, &s->input_source, s->input_fd, EPOLLOUT,
                                                    on_input_writable, s);
                        return r < 0 ? r : 1;
                }
                if (n < 0)
                        return -errno;
                s->write_done += (size_t) n;
        }
        if (s->input_source)
                (void) sd_event_source_set_enabled(s->input_source, SD_EVENT_OFF);
        return 0;
}

static const char *input_error_reason(int r) {
        return r == -EPIPE ? "the job closed it" : strerror(-r);
}

static int on_input_writable(sd_event_source *e, int fd, uint32_t revents, void *userdata) {
        JobStdio *s = userdata;
        int r;

        r = input_progress(s);
        if (r > 0)
                return 0;
        if (r < 0) {
                input_close(s, input_error_reason(r));
                return 0;
        }
        s->write_pending = false;
        if (s->job->manager->observer)
                s->job->manager->observer->input_written(s->job, 0, NULL);
        if (s->close_pending)
                input_close(s, "CloseInput");
        return 0;
}

int job_stdio_write_input(JobStdio *s, const void *data, size_t size) {
        int r;

        if (s->input_fd < 0 || s->close_pending)
                return -EBADF;
        /* One at a time: the pending write is the back-pressure, and queueing more would let a
         * caller park any amount of data in the daemon. */
        if (s->write_pending)
                return -EBUSY;
        s->write_data = data;
        s->write_size = size;
        s->write_done = 0;
        r = input_progress(s);
        if (r > 0)
                s->write_pending = true;
        else if (r < 0)
                input_close(s, NULL);
        return r;
}

const char *job_stdio_input_error_reason(int error) {
        return input_error_reason(error);
}

int job_stdio_close_input(JobStdio *s) {
        if (s->input_fd < 0 || s->close_pending)
                return -EBADF;
        /* After the bytes of a pending write, as the caller sent them. */
        if (s->write_pending) {
                s->close_pending = true;
                return 1;
        }
        input_close(s, "CloseInput");
        return 0;
}

/* ---- life */

static int make_pipe(int fds[2], int daemon_end) {
        if (pipe2(fds, O_CLOEXEC) < 0)
                return -errno;
        /* Only the daemon's end: the job gets an ordinary blocking pipe. */
        if (fcntl(fds[daemon_end], F_SETFL, O_NONBLOCK) < 0) {
                int r = -errno;
                safe_close(fds[0]);
                safe_close(fds[1]);
                return r;
        }
        return 0;
}

int job_stdio_new(Job *j, int child_fds[3]) {
        JobStdio *s;
        int p[3][2], r;

        s = calloc(1, sizeof *s);
        if (!s)
                return -ENOMEM;
        *s = (JobStdio) {
                .job = j,
                .out = { { .stdio = s, .stream = JOB_STREAM_STDOUT, .fd = -EBADF },
                         { .stdio = s, .stream = JOB_STREAM_STDERR, .fd = -EBADF } },
                .input_fd = -EBADF,
        };
        for (size_t i = 0; i < 3; i++) {
                r = make_pipe(p[i], i == 0 ? 1 : 0);
                if (r < 0) {
                        for (size_t k = 0; k < i; k++) {
                                safe_close(p[k][0]);
                                safe_close(p[k][1]);
                        }
                        free(s);
                        return r;
                }
        }
        s->input_fd = p[0][1];
        child_fds[0] = p[0][0];
        for (size_t i = 0; i < 2; i++) {
                s->out[i].fd = p[i + 1][0];
                child_fds[i + 1] = p[i + 1][1];
        }
        j->stdio = s;
        return 0;
}

JobStdio *job_stdio_free(JobStdio *s) {
        if (!s)
                return NULL;
        for (size_t i = 0; i < 2; i++) {
                sd_event_source_disable_unref(s->out[i].source);
                safe_close(s->out[i].fd);
        }
        input_close(s, "the job is gone");
        free(s);
        return NULL;
}

int job_stdio_start(JobStdio *s) {
        int r;

        for (size_t i = 0; i < 2; i++) {
                if (s->out[i].fd < 0)
                        continue;
                r = sd_event_add_io(s->job->manager->event, &s->out[i].source, s->out[i].fd, EPOLLIN,
                                    on_output_readable, &s->out[i]);
                if (r < 0)
                        return r;
        }
        return 0;
}

int job_stdio_exited(JobStdio *s) {
        s->draining = true;
        input_close(s, "the job has exited");
        output_drain(s);
        if (!output_open(s)) {
                s->finished = true; /* the caller finishes the job */
                return 0;
        }
        set_reading(s, false); /* the rest comes as the owner acknowledges */
        return 1;
}

void job_stdio_owner_gone(JobStdio *s) {
        if (s->owner_gone)
                return;
        s->owner_gone = true;
        /* Output first: a job woken by EOF on stdin must find no reader left. */
        for (size_t i = 0; i < 2; i++)
                stream_close(s, &s->out[i]);
        input_close(s, "the owner left the bus");
        if (s->draining)
                stdio_finish(s);
}

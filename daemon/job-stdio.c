/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bus-job.h"
#include "bus-util.h"
#include "job-stdio.h"
#include "job.h"
#include "log.h"

/* The largest Output signal: one pipe's worth by default. */
#define OUTPUT_CHUNK (64 * 1024)
/* A bus that refuses the Ping for now (LimitsExceeded: too many pending calls) is asked again. */
#define PING_RETRY_USEC (100 * UINT64_C(1000))

typedef struct OutputStream {
        JobStdio *stdio;
        const char *name;       /* "stdout" or "stderr", as in the Output signal */
        int fd;                 /* read end; -EBADF once the EOF has been sent */
        sd_event_source *source;
} OutputStream;

struct JobStdio {
        Job *job;
        OutputStream out[2];

        int input_fd;                   /* write end of the job's stdin; -EBADF once closed */
        sd_event_source *input_source;  /* EPOLLOUT, while a WriteInput waits for room */
        sd_bus_message *write_message;  /* the WriteInput whose bytes are not all written yet */
        const uint8_t *write_data;      /* points into write_message */
        size_t write_size, write_done;
        sd_bus_message *close_message;  /* a CloseInput that came while a write was pending */

        uint64_t sent;                  /* Output bytes sent to the owner */
        uint64_t acked;                 /* of which the owner has confirmed reading */
        uint64_t ping_mark;             /* `sent` when the pending Ping went out */
        sd_bus_slot *ping_slot;
        sd_event_source *ping_retry;

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

static void stream_close(JobStdio *s, OutputStream *o) {
        if (o->fd < 0)
                return;
        o->source = sd_event_source_disable_unref(o->source);
        o->fd = safe_close(o->fd);
        if (s->job->published)
                (void) bus_job_send_output(s->job, o->name, NULL, 0, !s->owner_gone);
}

/* ---- flow control */

static void ping_owner(JobStdio *s);

static int on_ping_retry(sd_event_source *e, uint64_t usec, void *userdata) {
        JobStdio *s = userdata;

        s->ping_retry = sd_event_source_disable_unref(s->ping_retry);
        ping_owner(s);
        return 0;
}

static void output_resume(JobStdio *s);

static int on_ping_reply(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error) {
        JobStdio *s = userdata;
        const sd_bus_error *e = sd_bus_message_get_error(reply);

        /* sd-bus holds the slot while this runs. */
        s->ping_slot = sd_bus_slot_unref(s->ping_slot);
        if (e && sd_bus_error_has_name(e, SD_BUS_ERROR_LIMITS_EXCEEDED)) {
                if (sd_event_add_time_relative(s->job->manager->event, &s->ping_retry, CLOCK_MONOTONIC,
                                               PING_RETRY_USEC, 0, on_ping_retry, s) >= 0)
                        return 0;
        }
        if (e) {
                log_info("job %" PRIu64 ": owner %s does not answer Peer.Ping (%s: %s); its Output stops.",
                         s->job->id, s->job->owner_name, e->name, strempty(e->message));
                job_stdio_owner_gone(s);
                return 0;
        }
        s->acked = s->ping_mark;
        ping_owner(s);
        output_resume(s);
        return 0;
}

/* At most one Ping is in flight; its reply acknowledges everything sent before it. */
static void ping_owner(JobStdio *s) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *call = NULL;
        sd_bus *bus = s->job->manager->bus;
        int r;

        if (s->owner_gone || s->finished || s->ping_slot || s->ping_retry || s->sent == s->acked)
                return;
        r = sd_bus_message_new_method_call(bus, &call, s->job->owner_name, "/", "org.freedesktop.DBus.Peer", "Ping");
        /* No timeout: an owner that is stopped is slow, not gone; leaving the bus ends it. */
        if (r >= 0)
                r = sd_bus_call_async(bus, &s->ping_slot, call, on_ping_reply, s, UINT64_MAX);
        if (r < 0) {
                log_warning_errno(r, "job %" PRIu64 ": cannot ping the owner %s, its Output stops: %m",
                                  s->job->id, s->job->owner_name);
                job_stdio_owner_gone(s);
                return;
        }
        s->ping_mark = s->sent;
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
                log_warning_errno(errno, "job %" PRIu64 ": cannot read %s, closing it: %m", s->job->id, o->name);
                n = 0;
        }
        if (n == 0) {
                stream_close(s, o);
                return 0;
        }

        (void) bus_job_send_output(s->job, o->name, buf, (size_t) n, !s->owner_gone);
        if (!s->owner_gone) {
                s->sent += (uint64_t) n;
                ping_owner(s);
        }
        return 1;
}

/* Once, when an exited job's output is all out. May free the job. */
static void stdio_finish(JobStdio *s) {
        if (s->finished)
                return;
        s->finished = true;
        s->ping_slot = sd_bus_slot_unref(s->ping_slot);
        s->ping_retry = sd_event_source_disable_unref(s->ping_retry);
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

static void input_close(JobStdio *s, const char *why) {
        if (s->write_message) {
                (void) sd_bus_reply_method_errorf(s->write_message, SD_BUS_ERROR_FAILED,
                                                  "stdin of job %" PRIu64 " is closed: %s", s->job->id, why);
                s->write_message = sd_bus_message_unref(s->write_message);
        }
        if (s->close_message) {
                (void) sd_bus_reply_method_return(s->close_message, NULL);
                s->close_message = sd_bus_message_unref(s->close_message);
        }
        s->input_source = sd_event_source_disable_unref(s->input_source);
        s->input_fd = safe_close(s->input_fd);
}

static int on_input_writable(sd_event_source *e, int fd, uint32_t revents, void *userdata);

/* Writes what the pipe takes; answers the WriteInput once all of it is in. */
static void input_progress(JobStdio *s) {
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
                        if (r >= 0)
                                return;
                        errno = -r;
                }
                if (n < 0) {
                        input_close(s, errno == EPIPE ? "the job closed it" : strerror(errno));
                        return;
                }
                s->write_done += (size_t) n;
        }

        (void) sd_bus_reply_method_return(s->write_message, NULL);
        s->write_message = sd_bus_message_unref(s->write_message);
        if (s->input_source)
                (void) sd_event_source_set_enabled(s->input_source, SD_EVENT_OFF);
        if (s->close_message)
                input_close(s, "CloseInput");
}

static int on_input_writable(sd_event_source *e, int fd, uint32_t revents, void *userdata) {
        input_progress(userdata);
        return 0;
}

int job_stdio_write_input(JobStdio *s, sd_bus_message *m, sd_bus_error *error) {
        const void *data;
        size_t size;
        int r;

        r = sd_bus_message_read_array(m, 'y', &data, &size);
        if (r < 0)
                return r;
        if (s->input_fd < 0 || s->close_message)
                return sd_bus_error_setf(error, SD_BUS_ERROR_FAILED, "stdin of job %" PRIu64 " is closed",
                                         s->job->id);
        /* One at a time: the pending call is the back-pressure, and queueing more would let a
         * caller park any amount of data in the daemon. */
        if (s->write_message)
                return sd_bus_error_setf(error, SD_BUS_ERROR_LIMITS_EXCEEDED,
                                         "WriteInput: job %" PRIu64 " still has a WriteInput in progress; "
                                         "wait for its reply", s->job->id);
        s->write_message = sd_bus_message_ref(m);
        s->write_data = data;
        s->write_size = size;
        s->write_done = 0;
        input_progress(s);
        return 1;
}

int job_stdio_close_input(JobStdio *s, sd_bus_message *m, sd_bus_error *error) {
        if (s->input_fd < 0 || s->close_message)
                return sd_bus_error_setf(error, SD_BUS_ERROR_FAILED, "stdin of job %" PRIu64 " is closed",
                                         s->job->id);
        /* After the bytes of a pending WriteInput, as the caller sent them. */
        if (s->write_message) {
                s->close_message = sd_bus_message_ref(m);
                return 1;
        }
        input_close(s, "CloseInput");
        return sd_bus_reply_method_return(m, NULL);
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
                .out = { { .stdio = s, .name = "stdout", .fd = -EBADF }, { .stdio = s, .name = "stderr", .fd = -EBADF } },
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
        sd_bus_slot_unref(s->ping_slot);
        sd_event_source_disable_unref(s->ping_retry);
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
        s->ping_slot = sd_bus_slot_unref(s->ping_slot);
        s->ping_retry = sd_event_source_disable_unref(s->ping_retry);
        /* Output first: a job woken by EOF on stdin must find no reader left. */
        for (size_t i = 0; i < 2; i++)
                stream_close(s, &s->out[i]);
        input_close(s, "the owner left the bus");
        if (s->draining)
                stdio_finish(s);
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Spawn flag 2 on the bus: the Output signal, its flow control by Peer.Ping to the owner, and
 * Job.WriteInput and Job.CloseInput. The pipes themselves are the model's (job-stdio.c). */
#include <inttypes.h>
#include <string.h>

#include "bus-job.h"
#include "bus-util.h"
#include "job-stdio.h"
#include "log.h"

/* A bus that refuses the Ping for now (LimitsExceeded: too many pending calls) is asked again. */
#define PING_RETRY_USEC (100 * UINT64_C(1000))

static BusJob *bus_job_of(Job *j) {
        return j->observer_data;
}

/* ---- Output */

typedef struct OutputChunk {
        const char *stream;
        const void *data;
        size_t size;
} OutputChunk;

static int fill_output(sd_bus_message *s, Job *j, const void *userdata) {
        const OutputChunk *c = userdata;
        int r = sd_bus_message_append(s, "s", c->stream);
        if (r < 0)
                return r;
        /* An empty array needs a non-NULL pointer. */
        return sd_bus_message_append_array(s, 'y', c->size > 0 ? c->data : "", c->size);
}

void bus_job_stdio_stop_pinging(BusJob *bj) {
        bj->ping_slot = sd_bus_slot_unref(bj->ping_slot);
        bj->ping_retry = sd_event_source_disable_unref(bj->ping_retry);
}

static void ping_owner(BusJob *bj);

static int on_ping_retry(sd_event_source *e, uint64_t usec, void *userdata) {
        BusJob *bj = userdata;

        bj->ping_retry = sd_event_source_disable_unref(bj->ping_retry);
        ping_owner(bj);
        return 0;
}

static void owner_stops_reading(BusJob *bj) {
        bus_job_stdio_stop_pinging(bj);
        /* May finish, and so free, the job. */
        job_stdio_owner_gone(bj->job->stdio);
}

static int on_ping_reply(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error) {
        BusJob *bj = userdata;
        Job *j = bj->job;
        const sd_bus_error *e = sd_bus_message_get_error(reply);
        uint64_t mark = bj->ping_mark;

        /* sd-bus holds the slot while this runs. */
        bj->ping_slot = sd_bus_slot_unref(bj->ping_slot);
        if (e && sd_bus_error_has_name(e, SD_BUS_ERROR_LIMITS_EXCEEDED) &&
            sd_event_add_time_relative(sd_bus_get_event(bj->context->bus), &bj->ping_retry, CLOCK_MONOTONIC,
                                       PING_RETRY_USEC, 0, on_ping_retry, bj) >= 0)
                return 0;
        if (e) {
                log_info("job %" PRIu64 ": owner %s does not answer Peer.Ping (%s: %s); its Output stops.", j->id,
                         bj->owner_name, e->name, strempty(e->message));
                owner_stops_reading(bj);
                return 0;
        }
        /* What was sent after the Ping needs a Ping of its own. */
        if (job_stdio_sent_mark(j->stdio) != mark)
                ping_owner(bj);
        /* Last: reading more may finish, and so free, the job. */
        job_stdio_acknowledge(j->stdio, mark);
        return 0;
}

/* At most one Ping is in flight; its reply acknowledges everything sent before it. */
static void ping_owner(BusJob *bj) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *call = NULL;
        sd_bus *bus = bj->context->bus;
        Job *j = bj->job;
        int r;

        if (bj->ping_slot || bj->ping_retry || !j->stdio || !job_stdio_awaits_acknowledgement(j->stdio))
                return;
        r = sd_bus_message_new_method_call(bus, &call, bj->owner_name, "/", "org.freedesktop.DBus.Peer", "Ping");
        /* No timeout: an owner that is stopped is slow, not gone; leaving the bus ends it. */
        if (r >= 0)
                r = sd_bus_call_async(bus, &bj->ping_slot, call, on_ping_reply, bj, UINT64_MAX);
        if (r < 0) {
                log_warning_errno(r, "job %" PRIu64 ": cannot ping the owner %s, its Output stops: %m", j->id,
                                  bj->owner_name);
                owner_stops_reading(bj);
                return;
        }
        bj->ping_mark = job_stdio_sent_mark(j->stdio);
}

int bus_job_stdio_output(Job *j, JobStream stream, const void *data, size_t size, bool to_owner) {
        OutputChunk c = { .stream = job_stream_to_string(stream), .data = data, .size = size };
        BusJob *bj = bus_job_of(j);
        int r;

        if (!bj)
                return 0;
        r = bus_job_emit(j, to_owner, bj->object_path, CONFINE_JOB_INTERFACE, "Output", fill_output, &c);
        if (to_owner && size > 0)
                ping_owner(bj);
        return r;
}

/* ---- WriteInput and CloseInput */

/* Only the owner and root may feed a job's stdin, even if others may see the job. */
static int check_input_access(Job *j, sd_bus_message *message, const char *method, sd_bus_error *error) {
        int r;

        r = bus_job_sender_owns(j, message);
        if (r < 0)
                return r;
        if (r == 0)
                return sd_bus_error_setf(error, SD_BUS_ERROR_ACCESS_DENIED,
                                         "%s: only the owner of job %" PRIu64 " or root may write to its stdin", method,
                                         j->id);
        if (!j->stdio)
                return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS,
                                         "%s: job %" PRIu64 " was not spawned with flag 2 (pipe)", method, j->id);
        return 0;
}

static int stdin_closed(Job *j, sd_bus_error *error) {
        return sd_bus_error_setf(error, SD_BUS_ERROR_FAILED, "stdin of job %" PRIu64 " is closed", j->id);
}

int bus_job_method_write_input(sd_bus_message *message, void *userdata, sd_bus_error *error) {
        Job *j = userdata;
        BusJob *bj = bus_job_of(j);
        const void *data;
        size_t size;
        int r;

        r = check_input_access(j, message, "WriteInput", error);
        if (r < 0)
                return r;
        r = sd_bus_message_read_array(message, 'y', &data, &size);
        if (r < 0)
                return r;

        /* The bytes stay in the message, which is kept until they are all written. */
        r = job_stdio_write_input(j->stdio, data, size);
        if (r == -EBADF)
                return stdin_closed(j, error);
        if (r == -EBUSY)
                return sd_bus_error_setf(error, SD_BUS_ERROR_LIMITS_EXCEEDED,
                                         "WriteInput: job %" PRIu64 " still has a WriteInput in progress; "
                                         "wait for its reply", j->id);
        if (r < 0)
                return sd_bus_error_setf(error, SD_BUS_ERROR_FAILED, "stdin of job %" PRIu64 " is closed: %s", j->id,
                                         job_stdio_input_error_reason(r));
        if (r > 0) {
                bj->write_message = sd_bus_message_ref(message);
                return 1;
        }
        return sd_bus_reply_method_return(message, NULL);
}

void bus_job_stdio_input_written(Job *j, int error, const char *why) {
        BusJob *bj = bus_job_of(j);

        if (!bj || !bj->write_message)
                return;
        if (error < 0)
                (void) sd_bus_reply_method_errorf(bj->write_message, SD_BUS_ERROR_FAILED,
                                                  "stdin of job %" PRIu64 " is closed: %s", j->id, why);
        else
                (void) sd_bus_reply_method_return(bj->write_message, NULL);
        bj->write_message = sd_bus_message_unref(bj->write_message);
}

int bus_job_method_close_input(sd_bus_message *message, void *userdata, sd_bus_error *error) {
        Job *j = userdata;
        BusJob *bj = bus_job_of(j);
        int r;

        r = check_input_access(j, message, "CloseInput", error);
        if (r < 0)
                return r;
        r = job_stdio_close_input(j->stdio);
        if (r < 0)
                return stdin_closed(j, error);
        if (r > 0) {
                bj->close_message = sd_bus_message_ref(message);
                return 1;
        }
        return sd_bus_reply_method_return(message, NULL);
}

void bus_job_stdio_input_closed(Job *j) {
        BusJob *bj = bus_job_of(j);

        if (!bj || !bj->close_message)
                return;
        (void) sd_bus_reply_method_return(bj->close_message, NULL);
        bj->close_message = sd_bus_message_unref(bj->close_message);
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "bus-job.h"
#include "bus-spec.h"
#include "bus-subscribe.h"
#include "bus-util.h"
#include "job.h"
#include "log.h"
#include "strv.h"

/* Whether the sender is the job's owner or root: 1, 0, or a negative errno. */
static int sender_owns_job(Job *j, sd_bus_message *m) {
        uid_t uid;
        int r;

        r = bus_message_get_sender_uid(m, &uid);
        if (r < 0)
                return r;
        return uid == 0 || uid == j->owner_uid;
}

int bus_job_check_access(Job *j, sd_bus_message *m) {
        int r = sender_owns_job(j, m);
        if (r != 0)
                return r;
        /* manage-jobs is granted to a connection by an authorized Subscribe(), for as long as it
         * stays subscribed: one polkit check, not one per property read. */
        return subscriber_may_manage_jobs(j->manager, sd_bus_message_get_sender(m));
}

static Job *job_from_path(Manager *m, const char *path) {
        const char *p;
        char *end;
        uint64_t id;

        if (strncmp(path, CONFINE_JOB_PATH_PREFIX "/", strlen(CONFINE_JOB_PATH_PREFIX "/")) != 0)
                return NULL;
        p = path + strlen(CONFINE_JOB_PATH_PREFIX "/");
        if (*p < '1' || *p > '9')
                return NULL;
        errno = 0;
        id = strtoull(p, &end, 10);
        if (errno != 0 || *end)
                return NULL;
        return manager_find_job(m, id);
}

int bus_job_find(sd_bus *bus, const char *path, const char *interface, void *userdata,
                 void **ret_found, sd_bus_error *error) {
        sd_bus_message *m = sd_bus_get_current_message(bus);
        Job *j = job_from_path(userdata, path);
        int r;

        if (!j || !j->published)
                return 0;
        /* Other users' jobs do not exist for a caller: their argv may hold secrets. */
        if (m) {
                r = bus_job_check_access(j, m);
                if (r <= 0)
                        return 0;
        }
        *ret_found = j;
        return 1;
}

int bus_job_enumerate(sd_bus *bus, const char *path, void *userdata, char ***ret_nodes,
                      sd_bus_error *error) {
        sd_bus_message *msg = sd_bus_get_current_message(bus);
        Manager *m = userdata;
        _cleanup_strv_free_ char **l = NULL;
        int r;

        for (Job *j = m->jobs; j; j = j->next) {
                if (!j->published || (msg && bus_job_check_access(j, msg) <= 0))
                        continue;
                r = strv_extend(&l, j->object_path);
                if (r < 0)
                        return r;
        }
        if (!l) {
                l = calloc(1, sizeof(char *));
                if (!l)
                        return -ENOMEM;
        }
        *ret_nodes = TAKE_PTR(l);
        return 1;
}

static int property_get_state(sd_bus *bus, const char *path, const char *interface, const char *property,
                              sd_bus_message *reply, void *userdata, sd_bus_error *error) {
        Job *j = userdata;
        return sd_bus_message_append(reply, "s", job_state_to_string(j->state));
}

static int property_get_result(sd_bus *bus, const char *path, const char *interface, const char *property,
                               sd_bus_message *reply, void *userdata, sd_bus_error *error) {
        Job *j = userdata;
        return sd_bus_message_append(reply, "s", j->state == JOB_EXITED ? job_result_to_string(j->result) : "");
}

static int property_get_argv(sd_bus *bus, const char *path, const char *interface, const char *property,
                             sd_bus_message *reply, void *userdata, sd_bus_error *error) {
        Job *j = userdata;
        return sd_bus_message_append_strv(reply, j->spec->argv);
}

static int property_get_cpu(sd_bus *bus, const char *path, const char *interface, const char *property,
                            sd_bus_message *reply, void *userdata, sd_bus_error *error) {
        Job *j = userdata;
        uint64_t v = j->cpu_usage_nsec;

        /* While running, report the live value where the cgroup has it. */
        if (j->state != JOB_EXITED && j->cgroup_fd >= 0)
                (void) cgroup_job_cpu_usage_nsec(j->cgroup_fd, &v);
        return sd_bus_message_append(reply, "t", v);
}

static int property_get_memory_peak(sd_bus *bus, const char *path, const char *interface, const char *property,
                                    sd_bus_message *reply, void *userdata, sd_bus_error *error) {
        Job *j = userdata;
        uint64_t v = j->memory_peak;

        if (j->state != JOB_EXITED && j->cgroup_fd >= 0)
                (void) cgroup_job_memory_peak(j->cgroup_fd, &v);
        return sd_bus_message_append(reply, "t", v);
}

static int property_get_properties(sd_bus *bus, const char *path, const char *interface, const char *property,
                                   sd_bus_message *reply, void *userdata, sd_bus_error *error) {
        Job *j = userdata;
        return bus_spec_append(reply, j->spec);
}

static int method_kill(sd_bus_message *message, void *userdata, sd_bus_error *error) {
        Job *j = userdata;
        int32_t sig;
        int r;

        r = sd_bus_message_read(message, "i", &sig);
        if (r < 0)
                return r;
        if (sig <= 0 || sig > SIGRTMAX)
                return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS, "Invalid signal number %" PRIi32, sig);

        r = job_kill(j, sig);
        if (r < 0)
                return sd_bus_error_set_errnof(error, -r, "Cannot signal job %" PRIu64 ": %s", j->id, strerror(-r));
        return sd_bus_reply_method_return(message, NULL);
}

static int method_wait(sd_bus_message *message, void *userdata, sd_bus_error *error) {
        Job *j = userdata;
        int r;

        if (j->state == JOB_EXITED)
                return sd_bus_reply_method_return(message, "si", job_result_to_string(j->result), j->exit_status);
        r = job_add_waiter(j, message);
        if (r < 0)
                return r;
        return 1;
}

static int method_get_terminal(sd_bus_message *message, void *userdata, sd_bus_error *error) {
        Job *j = userdata;
        int r;

        /* The terminal is the job's input: only its owner may type into it, not an observer. */
        r = sender_owns_job(j, message);
        if (r < 0)
                return r;
        if (r == 0)
                return sd_bus_error_setf(error, SD_BUS_ERROR_ACCESS_DENIED,
                                         "Only the owner of job %" PRIu64 " may take its terminal", j->id);
        if (!(j->flags & SPAWN_FLAG_TERMINAL))
                return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS,
                                         "Job %" PRIu64 " has no terminal: it was not started with flag 4", j->id);
        if (j->terminal_fd < 0)
                return sd_bus_error_setf(error, SD_BUS_ERROR_FAILED, "Job %" PRIu64 " has exited: its terminal is gone",
                                         j->id);
        return sd_bus_reply_method_return(message, "h", j->terminal_fd);
}

/* Only the owner and root may feed a job's stdin, even if others may see the job. */
static int check_input_access(Job *j, sd_bus_message *message, const char *method, sd_bus_error *error) {
        int r;

        r = sender_owns_job(j, message);
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

static int method_write_input(sd_bus_message *message, void *userdata, sd_bus_error *error) {
        Job *j = userdata;
        int r;

        r = check_input_access(j, message, "WriteInput", error);
        if (r < 0)
                return r;
        return job_stdio_write_input(j->stdio, message, error);
}

static int method_close_input(sd_bus_message *message, void *userdata, sd_bus_error *error) {
        Job *j = userdata;
        int r;

        r = check_input_access(j, message, "CloseInput", error);
        if (r < 0)
                return r;
        return job_stdio_close_input(j->stdio, message, error);
}

const sd_bus_vtable job_vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_PROPERTY("Id", "t", NULL, offsetof(Job, id), SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("Owner", "u", NULL, offsetof(Job, owner_uid), SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("Argv", "as", property_get_argv, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("State", "s", property_get_state, 0, SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
        SD_BUS_PROPERTY("Result", "s", property_get_result, 0, 0),
        SD_BUS_PROPERTY("ExitStatus", "i", NULL, offsetof(Job, exit_status), 0),
        SD_BUS_PROPERTY("MainPID", "u", NULL, offsetof(Job, pid), SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("StartTimestamp", "t", NULL, offsetof(Job, start_timestamp), SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("ExitTimestamp", "t", NULL, offsetof(Job, exit_timestamp), 0),
        SD_BUS_PROPERTY("CPUUsageNSec", "t", property_get_cpu, 0, 0),
        SD_BUS_PROPERTY("MemoryPeak", "t", property_get_memory_peak, 0, 0),
        SD_BUS_PROPERTY("Properties", "a(sv)", property_get_properties, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_METHOD_WITH_ARGS("Kill", SD_BUS_ARGS("i", signal), SD_BUS_NO_RESULT, method_kill,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("Wait", SD_BUS_NO_ARGS, SD_BUS_RESULT("s", result, "i", status), method_wait,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("GetTerminal", SD_BUS_NO_ARGS, SD_BUS_RESULT("h", master), method_get_terminal,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("WriteInput", SD_BUS_ARGS("ay", data), SD_BUS_NO_RESULT, method_write_input,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("CloseInput", SD_BUS_NO_ARGS, SD_BUS_NO_RESULT, method_close_input,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_SIGNAL_WITH_ARGS("Exited", SD_BUS_ARGS("s", result, "i", status), 0),
        SD_BUS_SIGNAL_WITH_ARGS("Output", SD_BUS_ARGS("s", stream, "ay", data), 0),
        SD_BUS_VTABLE_END,
};

/* Job signals are unicast: to the owner's connection and to each subscriber, one message each. */
typedef int (*SignalFill)(sd_bus_message *signal, Job *j, const void *userdata);

static int send_one(Job *j, const char *destination, const char *path, const char *interface, const char *member,
                    SignalFill fill, const void *userdata) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *s = NULL;
        int r;

        r = sd_bus_message_new_signal(j->manager->bus, &s, path, interface, member);
        if (r >= 0)
                r = fill(s, j, userdata);
        if (r >= 0)
                r = sd_bus_message_set_destination(s, destination);
        if (r >= 0)
                r = sd_bus_send(NULL, s, NULL);
        if (r < 0)
                log_debug_errno(r, "job %" PRIu64 ": cannot send %s to %s: %m", j->id, member, destination);
        return r;
}

/* Returns the result of the send to the owner (0 if it was not asked for). */
static int emit(Job *j, bool to_owner, const char *path, const char *interface, const char *member,
                SignalFill fill, const void *userdata) {
        int r = 0;

        if (to_owner)
                r = send_one(j, j->owner_name, path, interface, member, fill, userdata);
        for (Subscriber *sub = j->manager->subscribers; sub; sub = sub->next)
                if (subscriber_active(sub) && !(to_owner && streq(sub->name, j->owner_name)))
                        (void) send_one(j, sub->name, path, interface, member, fill, userdata);
        return r;
}

static int fill_job_new(sd_bus_message *s, Job *j, const void *userdata) {
        return sd_bus_message_append(s, "to", j->id, j->object_path);
}

void bus_job_send_new(Job *j) {
        (void) emit(j, true, CONFINE_MANAGER_PATH, CONFINE_MANAGER_INTERFACE, "JobNew", fill_job_new, NULL);
}

static int fill_state_changed(sd_bus_message *s, Job *j, const void *userdata) {
        return sd_bus_message_append(s, "sa{sv}as", CONFINE_JOB_INTERFACE, 1, "State", "s",
                                     job_state_to_string(j->state), 0);
}

static int fill_exited(sd_bus_message *s, Job *j, const void *userdata) {
        return sd_bus_message_append(s, "si", job_result_to_string(j->result), j->exit_status);
}

static int fill_job_removed(sd_bus_message *s, Job *j, const void *userdata) {
        return sd_bus_message_append(s, "tosi", j->id, j->object_path, job_result_to_string(j->result),
                                     j->exit_status);
}

void bus_job_send_exited(Job *j) {
        (void) emit(j, true, j->object_path, CONFINE_JOB_INTERFACE, "Exited", fill_exited, NULL);
        (void) emit(j, true, j->object_path, "org.freedesktop.DBus.Properties", "PropertiesChanged",
                    fill_state_changed, NULL);
        (void) emit(j, true, CONFINE_MANAGER_PATH, CONFINE_MANAGER_INTERFACE, "JobRemoved", fill_job_removed, NULL);
}

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

int bus_job_send_output(Job *j, const char *stream, const void *data, size_t size, bool to_owner) {
        OutputChunk c = { .stream = stream, .data = data, .size = size };

        return emit(j, to_owner, j->object_path, CONFINE_JOB_INTERFACE, "Output", fill_output, &c);
}

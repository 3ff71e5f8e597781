/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bus-job.h"
#include "job-learn.h"
#include "bus-manager.h"
#include "bus-spec.h"
#include "bus-subscribe.h"
#include "bus-util.h"
#include "job.h"
#include "log.h"
#include "strv.h"

static BusJob *bus_job_of(Job *j) {
        return j->observer_data;
}

static int on_owner_gone(sd_bus_track *t, void *userdata) {
        BusJob *bj = userdata;

        /* Once is enough: sd-bus calls the handler again while an empty track lives. */
        bj->owner_track = sd_bus_track_unref(bj->owner_track);
        if (!bj->job)
                return 0;
        log_debug("job %" PRIu64 ": owner %s left the bus.", bj->job->id, bj->owner_name);
        bus_job_stdio_stop_pinging(bj);
        /* Last: it may finish, and so free, the job. */
        job_owner_gone(bj->job);
        return 0;
}

int bus_job_new(BusContext *c, sd_bus_message *spawn_message, uint64_t flags, BusJob **ret) {
        BusJob *bj;
        int r;

        bj = calloc(1, sizeof *bj);
        if (!bj)
                return -ENOMEM;
        bj->context = c;
        bj->spawn_message = sd_bus_message_ref(spawn_message);
        bj->owner_name = strdup(sd_bus_message_get_sender(spawn_message));
        if (!bj->owner_name) {
                r = -ENOMEM;
                goto fail;
        }
        if (flags & (SPAWN_FLAG_KILL_ON_DISCONNECT | SPAWN_FLAG_CAPTURE_OUTPUT)) {
                r = sd_bus_track_new(c->bus, &bj->owner_track, on_owner_gone, bj);
                if (r >= 0)
                        r = sd_bus_track_add_sender(bj->owner_track, spawn_message);
                if (r < 0)
                        goto fail;
        }
        *ret = bj;
        return 0;
fail:
        /* Not answered here: the caller replies to the Spawn with the error. */
        bj->spawn_message = sd_bus_message_unref(bj->spawn_message);
        bus_job_free(bj);
        return r;
}

void bus_job_attach(BusJob *bj, Job *j) {
        bj->job = j;
        (void) snprintf(bj->object_path, sizeof bj->object_path, CONFINE_JOB_PATH_PREFIX "/%" PRIu64, j->id);
}

BusJob *bus_job_free(BusJob *bj) {
        if (!bj)
                return NULL;
        if (bj->spawn_message)
                (void) sd_bus_reply_method_errorf(bj->spawn_message, CONFINE_ERROR_SPAWN_FAILED,
                                                  "Job %" PRIu64 " was dropped before it started",
                                                  bj->job ? bj->job->id : 0);
        sd_bus_message_unref(bj->spawn_message);
        for (size_t i = 0; i < bj->n_waiters; i++)
                sd_bus_message_unref(bj->waiters[i]);
        free(bj->waiters);
        sd_bus_track_unref(bj->owner_track);
        bus_job_stdio_stop_pinging(bj);
        sd_bus_message_unref(bj->write_message);
        sd_bus_message_unref(bj->close_message);
        free(bj->owner_name);
        free(bj);
        return NULL;
}

const char *bus_job_path(Job *j) {
        return bus_job_of(j)->object_path;
}

int bus_job_sender_owns(Job *j, sd_bus_message *m) {
        const char *sender = sd_bus_message_get_sender(m);
        BusJob *bj = bus_job_of(j);
        uid_t uid;
        int r;

        /* The connection that spawned it: for a nested job, a process inside the parent, whose
         * uid may not be the owner's. */
        if (bj && sender && streq(sender, bj->owner_name))
                return 1;
        r = bus_message_get_sender_uid(m, &uid);
        if (r < 0)
                return r;
        return uid == 0 || uid == j->owner_uid;
}

int bus_job_check_access(Job *j, sd_bus_message *m) {
        int r = bus_job_sender_owns(j, m);
        if (r != 0)
                return r;
        /* manage-jobs is granted to a connection by an authorized Subscribe(), for as long as it
         * stays subscribed: one polkit check, not one per property read. */
        return subscriber_may_manage_jobs(bus_job_of(j)->context, sd_bus_message_get_sender(m));
}

/* Jobs the bus may show: exec'd, and with their bus side. */
static bool job_visible(const Job *j) {
        return j->published && j->observer_data;
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
        BusContext *c = userdata;
        sd_bus_message *m = sd_bus_get_current_message(bus);
        Job *j = job_from_path(c->manager, path);
        int r;

        if (!j || !job_visible(j))
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
        BusContext *c = userdata;
        _cleanup_strv_free_ char **l = NULL;
        int r;

        for (Job *j = c->manager->jobs; j; j = j->next) {
                if (!job_visible(j) || (msg && bus_job_check_access(j, msg) <= 0))
                        continue;
                r = strv_extend(&l, bus_job_path(j));
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

/* ---- properties and methods */

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
        return sd_bus_message_append(reply, "t", job_cpu_usage_nsec(userdata));
}

static int property_get_memory_peak(sd_bus *bus, const char *path, const char *interface, const char *property,
                                    sd_bus_message *reply, void *userdata, sd_bus_error *error) {
        return sd_bus_message_append(reply, "t", job_memory_peak(userdata));
}

static int property_get_ip_counter(sd_bus *bus, const char *path, const char *interface, const char *property,
                                   sd_bus_message *reply, void *userdata, sd_bus_error *error) {
        IPCounters c = job_ip_counters(userdata);
        uint64_t v = streq(property, "IPIngressBytes") ? c.ingress_bytes :
                     streq(property, "IPIngressPackets") ? c.ingress_packets :
                     streq(property, "IPEgressBytes") ? c.egress_bytes : c.egress_packets;
        return sd_bus_message_append(reply, "t", v);
}

static int property_get_io(sd_bus *bus, const char *path, const char *interface, const char *property,
                           sd_bus_message *reply, void *userdata, sd_bus_error *error) {
        CgroupIOStat st = job_io_stat(userdata);
        uint64_t v = streq(property, "IOReadBytes") ? st.read_bytes
                   : streq(property, "IOWriteBytes") ? st.write_bytes
                   : streq(property, "IOReadOperations") ? st.read_operations
                   : st.write_operations;
        return sd_bus_message_append(reply, "t", v);
}

static int property_get_learned(sd_bus *bus, const char *path, const char *interface, const char *property,
                                sd_bus_message *reply, void *userdata, sd_bus_error *error) {
        _cleanup_strv_free_ char **names = NULL;
        Job *j = userdata;
        int r;

        r = job_learn_names(j->learn, &names);
        if (r < 0)
                return r;
        return sd_bus_message_append_strv(reply, names);
}

static int property_get_learned_families(sd_bus *bus, const char *path, const char *interface,
                                        const char *property, sd_bus_message *reply, void *userdata,
                                        sd_bus_error *error) {
        _cleanup_strv_free_ char **names = NULL;
        Job *j = userdata;
        int r;

        r = job_learn_families(j->learn, &names);
        if (r < 0)
                return r;
        return sd_bus_message_append_strv(reply, names);
}

static int property_get_learned_paths(sd_bus *bus, const char *path, const char *interface, const char *property,
                                      sd_bus_message *reply, void *userdata, sd_bus_error *error) {
        Job *j = userdata;
        return sd_bus_message_append_strv(reply, (char **) job_learn_paths(j->learn,
                                                                           streq(property, "LearnedPathsWritten")));
}

/* LearnedFiles, LearnedUses, LearnedCapabilities (made on each read) and LearnedEndpoints. */
static int property_get_learned_more(sd_bus *bus, const char *path, const char *interface, const char *property,
                                     sd_bus_message *reply, void *userdata, sd_bus_error *error) {
        _cleanup_strv_free_ char **l = NULL;
        Job *j = userdata;
        int r;

        if (streq(property, "LearnedEndpoints"))
                return sd_bus_message_append_strv(reply, (char **) job_learn_endpoints(j->learn));
        r = streq(property, "LearnedFiles") ? job_learn_files(j->learn, &l) :
            streq(property, "LearnedUses") ? job_learn_uses(j->learn, &l) : job_learn_capabilities(j->learn, &l);
        if (r < 0)
                return r;
        return sd_bus_message_append_strv(reply, l);
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

        /* The job's KillSignal= (SIGTERM unless set) is a stop, as systemctl stop is: KillMode=,
         * TimeoutStopUSec=, SendSIGKILL= and FinalKillSignal= apply. Any other signal goes as it is. */
        r = sig == j->spec->kill_signal ? job_stop(j) : job_kill(j, sig);
        if (r < 0)
                return sd_bus_error_set_errnof(error, -r, "Cannot signal job %" PRIu64 ": %s", j->id, strerror(-r));
        return sd_bus_reply_method_return(message, NULL);
}

static int method_wait(sd_bus_message *message, void *userdata, sd_bus_error *error) {
        Job *j = userdata;
        BusJob *bj = bus_job_of(j);
        sd_bus_message **n;

        if (j->state == JOB_EXITED)
                return sd_bus_reply_method_return(message, "si", job_result_to_string(j->result), j->exit_status);
        n = reallocarray(bj->waiters, bj->n_waiters + 1, sizeof(sd_bus_message *));
        if (!n)
                return -ENOMEM;
        bj->waiters = n;
        bj->waiters[bj->n_waiters++] = sd_bus_message_ref(message);
        return 1;
}

static int method_get_terminal(sd_bus_message *message, void *userdata, sd_bus_error *error) {
        Job *j = userdata;
        int r;

        /* The terminal is the job's input: only its owner may type into it, not an observer. */
        r = bus_job_sender_owns(j, message);
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
        r = sd_bus_reply_method_return(message, "h", j->terminal_fd);
        if (r < 0)
                return r;
        j->terminal_taken = true;
        /* An exited job's master was kept only for this: the owner now holds the output left in it. */
        if (j->state == JOB_EXITED)
                j->terminal_fd = safe_close(j->terminal_fd);
        return r;
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
        SD_BUS_PROPERTY("IPIngressBytes", "t", property_get_ip_counter, 0, 0),
        SD_BUS_PROPERTY("IPIngressPackets", "t", property_get_ip_counter, 0, 0),
        SD_BUS_PROPERTY("IPEgressBytes", "t", property_get_ip_counter, 0, 0),
        SD_BUS_PROPERTY("IPEgressPackets", "t", property_get_ip_counter, 0, 0),
        SD_BUS_PROPERTY("IOReadBytes", "t", property_get_io, 0, 0),
        SD_BUS_PROPERTY("IOWriteBytes", "t", property_get_io, 0, 0),
        SD_BUS_PROPERTY("IOReadOperations", "t", property_get_io, 0, 0),
        SD_BUS_PROPERTY("IOWriteOperations", "t", property_get_io, 0, 0),
        SD_BUS_PROPERTY("LearnedSystemCalls", "as", property_get_learned, 0, 0),
        SD_BUS_PROPERTY("LearnedAddressFamilies", "as", property_get_learned_families, 0, 0),
        SD_BUS_PROPERTY("LearnedPaths", "as", property_get_learned_paths, 0, 0),
        SD_BUS_PROPERTY("LearnedPathsWritten", "as", property_get_learned_paths, 0, 0),
        SD_BUS_PROPERTY("LearnedFiles", "as", property_get_learned_more, 0, 0),
        SD_BUS_PROPERTY("LearnedEndpoints", "as", property_get_learned_more, 0, 0),
        SD_BUS_PROPERTY("LearnedUses", "as", property_get_learned_more, 0, 0),
        SD_BUS_PROPERTY("LearnedCapabilities", "as", property_get_learned_more, 0, 0),
        SD_BUS_PROPERTY("Properties", "a(sv)", property_get_properties, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_METHOD_WITH_ARGS("Kill", SD_BUS_ARGS("i", signal), SD_BUS_NO_RESULT, method_kill,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("Wait", SD_BUS_NO_ARGS, SD_BUS_RESULT("s", result, "i", status), method_wait,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("GetTerminal", SD_BUS_NO_ARGS, SD_BUS_RESULT("h", master), method_get_terminal,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("WriteInput", SD_BUS_ARGS("ay", data), SD_BUS_NO_RESULT, bus_job_method_write_input,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("CloseInput", SD_BUS_NO_ARGS, SD_BUS_NO_RESULT, bus_job_method_close_input,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_SIGNAL_WITH_ARGS("Exited", SD_BUS_ARGS("s", result, "i", status), 0),
        SD_BUS_SIGNAL_WITH_ARGS("Output", SD_BUS_ARGS("s", stream, "ay", data), 0),
        SD_BUS_VTABLE_END,
};

/* ---- signals: unicast, to the owner's connection and to each subscriber, one message each */

static int send_one(Job *j, const char *destination, const char *path, const char *interface, const char *member,
                    BusJobSignalFill fill, const void *userdata) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *s = NULL;
        int r;

        r = sd_bus_message_new_signal(bus_job_of(j)->context->bus, &s, path, interface, member);
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

/* The owners of the jobs a nested job runs inside, innermost first: they see it too. */
static size_t ancestor_owners(Job *j, const char **names, size_t max) {
        size_t n = 0;

        /* Most jobs have no parent: no walk of the job list for them. */
        if (j->parent_id == 0)
                return 0;
        for (Job *p = manager_find_job(j->manager, j->parent_id); p && n < max;
             p = manager_find_job(j->manager, p->parent_id)) {
                BusJob *pb = bus_job_of(p);
                if (pb && !streq(pb->owner_name, bus_job_of(j)->owner_name))
                        names[n++] = pb->owner_name;
                if (p->parent_id == 0)
                        break;
        }
        return n;
}

static bool name_in(const char *name, const char *const *names, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (streq(names[i], name))
                        return true;
        return false;
}

int bus_job_emit(Job *j, bool to_owner, const char *path, const char *interface, const char *member,
                 BusJobSignalFill fill, const void *userdata) {
        BusJob *bj = bus_job_of(j);
        const char *ancestors[8];
        size_t n_ancestors = 0;
        int r = 0;

        if (to_owner) {
                r = send_one(j, bj->owner_name, path, interface, member, fill, userdata);
                n_ancestors = ancestor_owners(j, ancestors, ELEMENTSOF(ancestors));
                for (size_t i = 0; i < n_ancestors; i++)
                        if (!name_in(ancestors[i], ancestors, i))
                                (void) send_one(j, ancestors[i], path, interface, member, fill, userdata);
        }
        for (Subscriber *sub = bj->context->subscribers; sub; sub = sub->next)
                if (subscriber_active(sub) && !(to_owner && streq(sub->name, bj->owner_name)) &&
                    !name_in(sub->name, ancestors, n_ancestors))
                        (void) send_one(j, sub->name, path, interface, member, fill, userdata);
        return r;
}

static int fill_job_new(sd_bus_message *s, Job *j, const void *userdata) {
        return sd_bus_message_append(s, "to", j->id, bus_job_path(j));
}

static int fill_state_changed(sd_bus_message *s, Job *j, const void *userdata) {
        return sd_bus_message_append(s, "sa{sv}as", CONFINE_JOB_INTERFACE, 1, "State", "s",
                                     job_state_to_string(j->state), 0);
}

static int fill_exited(sd_bus_message *s, Job *j, const void *userdata) {
        return sd_bus_message_append(s, "si", job_result_to_string(j->result), j->exit_status);
}

static int fill_job_removed(sd_bus_message *s, Job *j, const void *userdata) {
        return sd_bus_message_append(s, "tosi", j->id, bus_job_path(j), job_result_to_string(j->result),
                                     j->exit_status);
}

/* ---- the model's events */

static void on_job_started(Job *j) {
        BusJob *bj = bus_job_of(j);
        int r;

        r = sd_bus_reply_method_return(bj->spawn_message, "ot", bj->object_path, j->id);
        if (r < 0)
                log_debug_errno(r, "job %" PRIu64 ": cannot send the Spawn reply: %m", j->id);
        bj->spawn_message = sd_bus_message_unref(bj->spawn_message);
        (void) bus_job_emit(j, true, CONFINE_MANAGER_PATH, CONFINE_MANAGER_INTERFACE, "JobNew", fill_job_new, NULL);
}

static void on_job_start_failed(Job *j, const JobFailure *failure) {
        _cleanup_bus_error_ sd_bus_error error = SD_BUS_ERROR_NULL;
        BusJob *bj = bus_job_of(j);

        bus_job_failure_to_error(failure, &error);
        (void) sd_bus_reply_method_error(bj->spawn_message, &error);
        bj->spawn_message = sd_bus_message_unref(bj->spawn_message);
}

static void on_job_exited(Job *j) {
        BusJob *bj = bus_job_of(j);

        bj->owner_track = sd_bus_track_unref(bj->owner_track);
        bus_job_stdio_stop_pinging(bj);

        (void) bus_job_emit(j, true, bj->object_path, CONFINE_JOB_INTERFACE, "Exited", fill_exited, NULL);
        (void) bus_job_emit(j, true, bj->object_path, "org.freedesktop.DBus.Properties", "PropertiesChanged",
                            fill_state_changed, NULL);
        (void) bus_job_emit(j, true, CONFINE_MANAGER_PATH, CONFINE_MANAGER_INTERFACE, "JobRemoved", fill_job_removed,
                            NULL);
        for (size_t i = 0; i < bj->n_waiters; i++) {
                (void) sd_bus_reply_method_return(bj->waiters[i], "si", job_result_to_string(j->result),
                                                  j->exit_status);
                bj->waiters[i] = sd_bus_message_unref(bj->waiters[i]);
        }
        bj->n_waiters = 0;
}

static void on_job_freed(Job *j) {
        j->observer_data = bus_job_free(j->observer_data);
}

const JobObserver bus_job_observer = {
        .started = on_job_started,
        .start_failed = on_job_start_failed,
        .output = bus_job_stdio_output,
        .input_written = bus_job_stdio_input_written,
        .input_closed = bus_job_stdio_input_closed,
        .exited = on_job_exited,
        .freed = on_job_freed,
};

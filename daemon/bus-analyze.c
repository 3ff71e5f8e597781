/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Manager.Analyze: Spawn's pipeline (parse → profile → checks → identity → tier) without polkit and
 * without a job, then the exposure report of what Spawn would run, and a look-up of the caller's
 * paths as the job would make it. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "bus-analyze.h"
#include "list.h"
#include "bus-context.h"
#include "bus-manager.h"
#include "bus-spec.h"
#include "bus-util.h"
#include "job.h"
#include "log.h"
#include "manager.h"
#include "path-check.h"
#include "spec-exposure.h"
#include "strv.h"

#define SYSTEM_BUS_SOCKET "/run/dbus/system_bus_socket"

struct AnalyzeRequest {
        BusContext *context;
        sd_bus_message *message;
        SpawnPlan plan;
        PathCheck *path_check;
        AnalyzeRequest *next, *prev;
};

AnalyzeRequest *analyze_request_free(AnalyzeRequest *req) {
        BusContext *c;

        if (!req)
                return NULL;
        c = req->context;
        LIST_REMOVE(c->analyses, req);
        c->n_analyses--;

        path_check_free(req->path_check);
        sd_bus_message_unref(req->message);
        spawn_plan_done(&req->plan);
        free(req);
        return NULL;
}

unsigned analyze_requests_pending_of(BusContext *c, uid_t uid) {
        unsigned n = 0;
        for (AnalyzeRequest *r = c->analyses; r; r = r->next)
                if (r->plan.origin.caller_uid == uid)
                        n++;
        return n;
}

/* The system bus socket a job could connect to: the standard one, and the one this daemon is on
 * ("unix:path=…"), if that differs. */
static char **bus_socket_paths(sd_bus *bus) {
        _cleanup_strv_free_ char **paths = NULL;
        const char *address = NULL, *p;

        if (strv_extend(&paths, SYSTEM_BUS_SOCKET) < 0)
                return NULL;
        if (sd_bus_get_address(bus, &address) >= 0 && address && (p = strstr(address, "path="))) {
                _cleanup_free_ char *path = strndup(p + 5, strcspn(p + 5, ",;"));
                if (!path)
                        return NULL;
                if (path[0] == '/' && !strv_contains(paths, path) && strv_extend(&paths, path) < 0)
                        return NULL;
        }
        return TAKE_PTR(paths);
}

static int append_details(sd_bus_message *reply, const SpawnPlan *plan) {
        _cleanup_(spawn_details_done) SpawnDetails d = {};
        int r;

        r = spawn_details_build(plan->spec, plan->id.user_name, &d);
        if (r < 0)
                return r;
        r = sd_bus_message_open_container(reply, 'a', "{ss}");
        for (size_t i = 0; r >= 0 && d.strv[i]; i += 2)
                r = sd_bus_message_append(reply, "{ss}", d.strv[i], d.strv[i + 1]);
        if (r < 0)
                return r;
        return sd_bus_message_close_container(reply);
}

static int append_report(sd_bus_message *reply, const ExposureReport *report) {
        int r;

        r = sd_bus_message_append(reply, "u", report->exposure);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'a', "(suuusb)");
        for (size_t i = 0; r >= 0 && i < report->n_checks; i++) {
                const ExposureCheck *k = &report->checks[i];
                r = sd_bus_message_append(reply, "(suuusb)", k->name, k->weight, k->badness, k->range, k->description,
                                          k->fixed);
        }
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        if (r >= 0)
                r = sd_bus_message_open_container(reply, 'a', "(sss)");
        for (size_t i = 0; r >= 0 && i < report->n_findings; i++) {
                const ExposureFinding *f = &report->findings[i];
                r = sd_bus_message_append(reply, "(sss)", f->id, f->property, f->description);
        }
        if (r >= 0)
                r = sd_bus_message_close_container(reply);
        return r;
}

static int analyze_reply(AnalyzeRequest *req, int check_result, const PathFailure *failures, size_t n_failures) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_strv_free_ char **sockets = bus_socket_paths(req->context->bus);
        _cleanup_free_ char *reason = NULL;
        const SpawnPlan *plan = &req->plan;
        ExposureReport report = {};
        const char *action;
        int r;

        if (!sockets)
                return -ENOMEM;
        r = exposure_report_build(plan->spec, sockets, &report);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n_failures; i++)
                if (streq(failures[i].property, "argv"))
                        exposure_report_add_finding(&report, "unresolvable-path", "argv",
                                                    "argv[0] \"%s\" would not execute: %s, looked up as uid %u "
                                                    "along the job's PATH", failures[i].path,
                                                    strerror(failures[i].error), (unsigned) plan->spec->uid);
                else
                        exposure_report_add_finding(&report, "unresolvable-path", failures[i].property,
                                                    "%s=%s would fail: %s, looked up as uid %u", failures[i].property,
                                                    failures[i].path, strerror(failures[i].error),
                                                    (unsigned) plan->spec->uid);
        if (check_result < 0)
                exposure_report_add_finding(&report, "unresolvable-path", "",
                                            "The caller paths could not be looked up: %s",
                                            check_result == -ETIME ? "the look-up did not finish in time" :
                                            strerror(-check_result));

        action = spawn_tier_action(plan->tier);
        if (plan->spec->profile_loosened) {
                if (asprintf(&reason, "%s (%s of Profile=%s)", plan->tier_reason, plan->spec->profile_loosened,
                             plan->spec->profile) < 0)
                        reason = NULL;
        } else if (plan->spec->defaults_loosened &&
                   asprintf(&reason, "%s (%s)", plan->tier_reason, plan->spec->defaults_loosened) < 0)
                reason = NULL;

        r = sd_bus_message_new_method_return(req->message, &reply);
        if (r >= 0)
                r = bus_spec_append(reply, plan->spec);
        if (r >= 0)
                r = sd_bus_message_append(reply, "ss", action ?: "", reason ?: plan->tier_reason);
        if (r >= 0)
                r = append_details(reply, plan);
        if (r >= 0)
                r = append_report(reply, &report);
        exposure_report_done(&report);
        if (r < 0)
                return r;
        return sd_bus_send(NULL, reply, NULL);
}

static void on_paths_checked(int result, const PathFailure *failures, size_t n_failures, void *userdata) {
        AnalyzeRequest *req = userdata;
        int r;

        r = analyze_reply(req, result, failures, n_failures);
        if (r < 0) {
                log_error_errno(r, "Cannot answer Analyze: %m");
                (void) sd_bus_reply_method_errnof(req->message, -r, "Cannot build the report: %m");
        }
        analyze_request_free(req);
}

int bus_manager_method_analyze(sd_bus_message *message, void *userdata, sd_bus_error *error) {
        _cleanup_(spawn_plan_done) SpawnPlan plan = {};
        BusContext *c = userdata;
        const DaemonConfig *config = &c->manager->config;
        AnalyzeRequest *req;
        int r;

        r = bus_spawn_plan(c, message, true, &plan, error);
        if (r < 0)
                return r;

        /* Each Analyze runs a look-up process: bounded as Spawn's pending checks are. */
        if (bus_context_pending_checks_of(c, plan.origin.caller_uid) >= config->max_pending_polkit_per_user)
                return sd_bus_error_setf(error, CONFINE_ERROR_QUOTA_EXCEEDED,
                                         "MaxPendingPerUser: %u authorization checks or analyses already pending",
                                         config->max_pending_polkit_per_user);
        if (c->n_analyses >= config->max_jobs_total)
                return sd_bus_error_setf(error, CONFINE_ERROR_QUOTA_EXCEEDED,
                                         "MaxJobsTotal: %u analyses already running", c->n_analyses);

        req = calloc(1, sizeof *req);
        if (!req)
                return -ENOMEM;
        *req = (AnalyzeRequest) {
                .context = c,
                .message = sd_bus_message_ref(message),
                .plan = plan,
                .next = c->analyses,
        };
        plan = (SpawnPlan) {};
        if (c->analyses)
                c->analyses->prev = req;
        c->analyses = req;
        c->n_analyses++;

        r = path_check_start(c->manager->event, &c->manager->path_checks, req->plan.spec,
                             req->plan.parent ? req->plan.parent->pidfd : -EBADF, on_paths_checked, req,
                             &req->path_check);
        if (r < 0) {
                analyze_request_free(req);
                return sd_bus_error_set_errnof(error, -r, "Cannot look up the caller paths: %s", strerror(-r));
        }
        return 1;
}

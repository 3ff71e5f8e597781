/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* org.confine.Confine1.Manager. Spawn goes: parse → validate → resolve → authorize → act → reply. */
#include <inttypes.h>
#include <linux/capability.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bpf-devices.h"
#include "bus-analyze.h"
#include "bus-context.h"
#include "bus-job.h"
#include "bus-manager.h"
#include "netns-path.h"
#include "list.h"
#include "bus-spec.h"
#include "bus-subscribe.h"
#include "bus-util.h"
#include "credential-decrypt.h"
#include "environment.h"
#include "identity.h"
#include "job.h"
#include "job-terminal.h"
#include "log.h"
#include "manager.h"
#include "polkit.h"
#include "profile.h"
#include "property-table.h"
#include "shell-quote.h"
#include "spawn-defaults.h"
#include "spawn-tier.h"
#include "spec-directories.h"
#include "spec-fields.h"
#include "spec-nesting.h"
#include "spec-strictness.h"
#include "strv.h"

/* A Spawn waiting for polkit. It ends when polkit answers or the caller leaves the bus. */
struct SpawnRequest {
        BusContext *context;
        sd_bus_message *message;
        SandboxSpec *spec;
        const char *action;
        SpawnOrigin origin;
        uint64_t flags;
        sd_bus_slot *polkit_slot;
        sd_bus_track *caller_track;
        SpawnRequest *next, *prev;
};

SpawnRequest *spawn_request_free(SpawnRequest *req) {
        BusContext *c;

        if (!req)
                return NULL;
        c = req->context;
        LIST_REMOVE(c->requests, req);
        c->n_requests--;

        sd_bus_slot_unref(req->polkit_slot); /* cancels a pending check */
        sd_bus_track_unref(req->caller_track);
        sd_bus_message_unref(req->message);
        sandbox_spec_free(req->spec);
        free(req);
        return NULL;
}

unsigned spawn_requests_pending_of(BusContext *c, uid_t uid) {
        unsigned n = 0;
        for (SpawnRequest *r = c->requests; r; r = r->next)
                if (r->origin.caller_uid == uid)
                        n++;
        return n;
}

static const char *errno_name(int error) {
        const char *name = strerrorname_np(error);
        return name ?: "EUNKNOWN";
}

int bus_job_failure_to_error(const JobFailure *f, sd_bus_error *error) {
        switch (f->kind) {
        case JOB_FAILURE_NOT_SUPPORTED:
                if (f->error == EOPNOTSUPP)
                        return sd_bus_error_setf(error, CONFINE_ERROR_NOT_SUPPORTED, "%s: %s", f->property, f->detail);
                return sd_bus_error_setf(error, CONFINE_ERROR_NOT_SUPPORTED, "%s: %s: %s", f->property, f->detail,
                                         strerror(f->error));
        case JOB_FAILURE_INVALID_PROPERTY:
                return sd_bus_error_setf(error, CONFINE_ERROR_INVALID_PROPERTY, "%s: %s", f->property, f->detail);
        case JOB_FAILURE_QUOTA:
                return sd_bus_error_setf(error, CONFINE_ERROR_QUOTA_EXCEEDED, "%s: %s", f->property, f->detail);
        case JOB_FAILURE_INTERNAL:
                return sd_bus_error_set_errnof(error, f->error, "%s %s: %s", f->step, f->detail, strerror(f->error));
        case JOB_FAILURE_SETUP:
        default:
                /* The documented form, "TEXT [step=STEP errno=ENAME( property=NAME)]": the words for
                 * people first, the fields for programs last. */
                return sd_bus_error_setf(error, CONFINE_ERROR_SPAWN_FAILED, "%s%s%s: %s [step=%s errno=%s%s%s]", f->step,
                                         f->detail[0] ? " " : "", f->detail, strerror(f->error), f->step,
                                         errno_name(f->error), f->property[0] ? " property=" : "", f->property);
        }
}

/* Starts the job and ties its bus side to it. The Spawn is answered later, once confine-exec has
 * exec'd the command or failed; an error here is the caller's to send. */
static int start_job(BusContext *c, sd_bus_message *message, SandboxSpec *spec, const SpawnOrigin *o, uint64_t flags,
                     sd_bus_error *error) {
        Job *parent = NULL, *j;
        JobFailure failure;
        BusJob *bj;
        int r;

        /* The parent may have ended while polkit was asked. */
        if (o->parent_id != 0) {
                parent = manager_find_job(c->manager, o->parent_id);
                if (!parent || !job_is_running(parent)) {
                        sandbox_spec_free(spec);
                        return sd_bus_error_setf(error, SD_BUS_ERROR_ACCESS_DENIED,
                                                 "Job %" PRIu64 ", which the request came from, has exited",
                                                 o->parent_id);
                }
        }
        /* Only now, authorized: decrypting is reading what was encrypted for this host. */
        r = spec_decrypt_credentials(spec, error);
        if (r < 0) {
                sandbox_spec_free(spec);
                return r;
        }
        r = bus_job_new(c, message, flags, &bj);
        if (r < 0) {
                sandbox_spec_free(spec);
                return sd_bus_error_set_errnof(error, -r, "Cannot track the caller: %s", strerror(-r));
        }
        r = job_start(c->manager, spec, o->owner_uid, flags, parent, bj, &j, &failure);
        if (r < 0) {
                bj->spawn_message = sd_bus_message_unref(bj->spawn_message);
                bus_job_free(bj);
                return bus_job_failure_to_error(&failure, error);
        }
        bus_job_attach(bj, j);
        return 1;
}

/* MaxJobsTotal and MaxJobsPerUser count the jobs starting or running and the spawns still
 * waiting for polkit, but for `self`: a request is checked when it comes and again when polkit
 * has said yes, so that no number of concurrent requests gets past a quota. */
static int check_job_quotas(BusContext *c, uid_t uid, const SpawnRequest *self, sd_bus_error *error) {
        const DaemonConfig *config = &c->manager->config;
        unsigned total = c->manager->n_jobs, mine = manager_count_jobs_of(c->manager, uid);

        for (SpawnRequest *r = c->requests; r; r = r->next) {
                if (r == self)
                        continue;
                total++;
                if (r->origin.owner_uid == uid)
                        mine++;
        }
        if (total >= config->max_jobs_total)
                return sd_bus_error_setf(error, CONFINE_ERROR_QUOTA_EXCEEDED,
                                         "MaxJobsTotal: %u jobs running or waiting for authorization", total);
        if (uid != 0 && mine >= config->max_jobs_per_user)
                return sd_bus_error_setf(error, CONFINE_ERROR_QUOTA_EXCEEDED,
                                         "MaxJobsPerUser: %u jobs of uid %u running or waiting for authorization", mine,
                                         (unsigned) uid);
        return 0;
}

static void spawn_request_run(SpawnRequest *req) {
        _cleanup_bus_error_ sd_bus_error error = SD_BUS_ERROR_NULL;
        int r;

        r = check_job_quotas(req->context, req->origin.owner_uid, req, &error);
        if (r >= 0)
                r = start_job(req->context, req->message, TAKE_PTR(req->spec), &req->origin, req->flags, &error);
        if (r < 0)
                (void) sd_bus_reply_method_error(req->message, &error);
        spawn_request_free(req);
}

static void on_polkit_answer(int result, bool challenge, const sd_bus_error *e, void *userdata) {
        SpawnRequest *req = userdata;

        /* The slot stays ours after its reply: spawn_request_free() unrefs it (sd-bus holds its
         * own reference while this callback runs). */
        if (result > 0) {
                spawn_request_run(req);
                return;
        }
        if (challenge)
                (void) sd_bus_reply_method_errorf(req->message, SD_BUS_ERROR_INTERACTIVE_AUTHORIZATION_REQUIRED,
                                                  "Interactive authentication required to spawn %s", req->spec->argv[0]);
        else if (result < 0)
                (void) sd_bus_reply_method_errorf(req->message, SD_BUS_ERROR_ACCESS_DENIED,
                                                  "Authorization check failed (%s), access denied",
                                                  e && e->name ? e->name : "no answer from polkit");
        else
                (void) sd_bus_reply_method_errorf(req->message, SD_BUS_ERROR_ACCESS_DENIED,
                                                  "Not authorized to spawn %s (%s)", req->spec->argv[0], req->action);
        spawn_request_free(req);
}

static int on_caller_gone(sd_bus_track *t, void *userdata) {
        SpawnRequest *req = userdata;

        log_info("Caller %s left during authorization; request dropped.", sd_bus_message_get_sender(req->message));
        spawn_request_free(req);
        return 0;
}

static int spawn_request_authorize(BusContext *c, sd_bus_message *message, SandboxSpec **spec, const SpawnOrigin *o,
                                   uint64_t flags, SpawnTier tier, const char *user_name, sd_bus_error *error) {
        const DaemonConfig *config = &c->manager->config;
        _cleanup_(spawn_details_done) SpawnDetails details = {};
        SpawnRequest *req;
        int r;

        if (bus_context_pending_checks_of(c, o->caller_uid) >= config->max_pending_polkit_per_user)
                return sd_bus_error_setf(error, CONFINE_ERROR_QUOTA_EXCEEDED,
                                         "MaxPendingPerUser: %u authorization checks already pending",
                                         config->max_pending_polkit_per_user);

        r = spawn_details_build(*spec, user_name, &details);
        if (r < 0)
                return r;

        req = calloc(1, sizeof *req);
        if (!req)
                return -ENOMEM;
        *req = (SpawnRequest) {
                .context = c,
                .message = sd_bus_message_ref(message),
                .spec = TAKE_PTR(*spec),
                .action = spawn_tier_action(tier),
                .origin = *o,
                .flags = flags,
                .next = c->requests,
        };
        if (c->requests)
                c->requests->prev = req;
        c->requests = req;
        c->n_requests++;

        r = sd_bus_track_new(c->bus, &req->caller_track, on_caller_gone, req);
        if (r >= 0)
                r = sd_bus_track_add_sender(req->caller_track, message);
        if (r >= 0)
                r = polkit_check_async(message, spawn_tier_action(tier), details.strv, config->polkit_timeout_usec,
                                       on_polkit_answer, req, &req->polkit_slot);
        if (r < 0) {
                spawn_request_free(req);
                return sd_bus_error_setf(error, SD_BUS_ERROR_ACCESS_DENIED,
                                         "Cannot ask polkit (%s), access denied", strerror(-r));
        }
        return 1;
}

static int read_argv(sd_bus_message *message, Manager *m, char ***ret, sd_bus_error *error) {
        _cleanup_strv_free_ char **argv = NULL;
        int r;

        r = bus_message_read_strv_bounded(message, SIZE_MAX, m->config.max_argv_bytes, &argv);
        if (r == -E2BIG)
                return sd_bus_error_setf(error, CONFINE_ERROR_QUOTA_EXCEEDED, "MaxArgvBytes: argv exceeds %" PRIu64 " bytes",
                                         m->config.max_argv_bytes);
        if (r < 0)
                return r;
        if (strv_length(argv) == 0 || argv[0][0] == 0)
                return sd_bus_error_set(error, SD_BUS_ERROR_INVALID_ARGS, "argv: empty command line");
        *ret = TAKE_PTR(argv);
        return 0;
}

/* Properties the daemon enforces on the job's cgroup: fail closed where this host cannot. */
static int check_cgroup_support(Manager *m, const SandboxSpec *spec, sd_bus_error *error) {
        static const struct {
                const char *property;
                const char *controller;
                CgroupController bit;
        } needs[] = {
                { "MemoryMax", "memory", CGROUP_CONTROLLER_MEMORY },
                { "MemoryHigh", "memory", CGROUP_CONTROLLER_MEMORY },
                { "MemorySwapMax", "memory", CGROUP_CONTROLLER_MEMORY },
                { "MemoryLow", "memory", CGROUP_CONTROLLER_MEMORY },
                { "TasksMax", "pids", CGROUP_CONTROLLER_PIDS },
                { "CPUQuotaPerSecUSec", "cpu", CGROUP_CONTROLLER_CPU },
                { "CPUWeight", "cpu", CGROUP_CONTROLLER_CPU },
                { "IOWeight", "io", CGROUP_CONTROLLER_IO },
                { "IOAccounting", "io", CGROUP_CONTROLLER_IO },
        };

        for (size_t i = 0; i < ELEMENTSOF(needs); i++) {
                const SpecField *f = spec_switch_lookup(needs[i].property);
                bool asked = false;

                if (f)
                        asked = spec_switch_get(spec, f);
                for (size_t k = 0; !f && k < spec_limits_size; k++)
                        if (streq(spec_limits[k].name, needs[i].property))
                                asked = spec_limit_is_set(spec, spec_limits + k);
                if (!asked)
                        continue;
                if (m->cgroup.fd < 0)
                        return sd_bus_error_setf(error, CONFINE_ERROR_NOT_SUPPORTED,
                                                 "%s: no writable cgroup v2 hierarchy on this host", needs[i].property);
                if (!(m->cgroup.controllers & needs[i].bit))
                        return sd_bus_error_setf(error, CONFINE_ERROR_NOT_SUPPORTED,
                                                 "%s: the cgroup v2 %s controller is not available under %s",
                                                 needs[i].property, needs[i].controller, m->cgroup.path);
        }
        return 0;
}

/* RestrictFileSystems=: the BPF LSM program is loaded on first use; where it cannot be, NotSupported
 * before polkit. */
static int check_restrict_filesystems(Manager *m, const SandboxSpec *spec, sd_bus_error *error) {
        const char *why = NULL;

        if (spec->restrict_filesystems_mode < 0)
                return 0;
        if (m->cgroup.fd < 0)
                return sd_bus_error_setf(error, CONFINE_ERROR_NOT_SUPPORTED,
                                         "RestrictFileSystems: no writable cgroup v2 hierarchy on this host");
        if (restrict_fs_ensure(&m->restrict_fs, &why) < 0)
                return sd_bus_error_setf(error, CONFINE_ERROR_NOT_SUPPORTED, "RestrictFileSystems: %s", why);
        return 0;
}

/* What confine-exec sets as root before the uid change, where the kernel wants a capability that
 * confined itself may lack (a container without CAP_SYS_RESOURCE): NotSupported up front, naming the
 * property, rather than a SpawnFailed later. */
static int check_process_privileges(const SandboxSpec *spec, sd_bus_error *error) {
        struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
        struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3] = {};
        uint64_t eff;

        if (syscall(SYS_capget, &h, d) < 0)
                return -errno;
        eff = d[0].effective | (uint64_t) d[1].effective << 32;
        if (spec->oom_score_adjust_set && spec->oom_score_adjust < 0 && !(eff & (UINT64_C(1) << CAP_SYS_RESOURCE)))
                return sd_bus_error_setf(error, CONFINE_ERROR_NOT_SUPPORTED,
                                         "OOMScoreAdjust: a negative score needs CAP_SYS_RESOURCE, which confined "
                                         "does not have on this host");
        if (sched_policy_is_realtime(spec->cpu_sched_policy) && !(eff & (UINT64_C(1) << CAP_SYS_NICE)))
                return sd_bus_error_setf(error, CONFINE_ERROR_NOT_SUPPORTED,
                                         "CPUSchedulingPolicy: a realtime policy needs CAP_SYS_NICE, which confined "
                                         "does not have on this host");
        if (spec->ioprio_class == IOPRIO_CLASS_RT_VALUE && !(eff & (UINT64_C(1) << CAP_SYS_ADMIN)))
                return sd_bus_error_setf(error, CONFINE_ERROR_NOT_SUPPORTED,
                                         "IOSchedulingClass: realtime needs CAP_SYS_ADMIN, which confined does not "
                                         "have on this host");
        return 0;
}

/* DeviceAllow=/DevicePolicy=: a BPF program on the job's cgroup v2, which needs no controller. The
 * entries are resolved here, once, into the device numbers both the program and the job's /dev use. */
static int check_devices(Manager *m, SandboxSpec *spec, sd_bus_error *error) {
        _cleanup_free_ char *msg = NULL;
        int r;

        /* As in systemd (unit_patch_contexts()): ProtectClock=yes implies DeviceAllow=char-rtc r, which
         * under DevicePolicy=auto also closes the job's devices to the default set. Added after the
         * profile and nesting comparisons, which see ProtectClock= itself. */
        if (spec->protect_clock) {
                r = device_allow_add(&spec->device_allow, &spec->n_device_allow, "char-rtc", DEVICE_ACCESS_READ);
                if (r == -E2BIG)
                        return sd_bus_error_setf(error, CONFINE_ERROR_INVALID_PROPERTY,
                                                 "ProtectClock: implies DeviceAllow=char-rtc r, one more than %u entries",
                                                 DEVICE_ALLOW_MAX);
                if (r < 0)
                        return r;
        }
        if (sandbox_spec_wants_network_bpf(spec) && m->cgroup.fd < 0)
                return sd_bus_error_setf(error, CONFINE_ERROR_NOT_SUPPORTED,
                                         "%s: no writable cgroup v2 hierarchy on this host for BPF network programs",
                                         spec->n_ip_address_deny > 0 ? "IPAddressDeny" :
                                         spec->n_ip_address_allow > 0 ? "IPAddressAllow" :
                                         spec->network_interfaces_mode >= 0 ? "RestrictNetworkInterfaces" :
                                         spec->n_socket_bind_deny > 0 ? "SocketBindDeny" :
                                         spec->n_socket_bind_allow > 0 ? "SocketBindAllow" : "IPAccounting");
        if (!sandbox_spec_restricts_devices(spec))
                return 0;
        if (m->cgroup.fd < 0)
                return sd_bus_error_setf(error, CONFINE_ERROR_NOT_SUPPORTED,
                                         "%s: no writable cgroup v2 hierarchy on this host for a BPF device program",
                                         spec->protect_clock ? "ProtectClock (DeviceAllow=char-rtc r)" :
                                         spec->n_device_allow > 0 ? "DeviceAllow" : "DevicePolicy");
        r = bpf_devices_resolve(spec, &msg);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return sd_bus_error_setf(error, CONFINE_ERROR_INVALID_PROPERTY, "%s", msg ?: "DeviceAllow");
        return 0;
}

/* confined.conf's [Defaults] under a fresh spec. The lines were checked when the file was read, so a
 * failure here is a value that stopped being valid on this host (a path, a user). */
static int lay_down_defaults(Manager *m, SandboxSpec *spec, sd_bus_error *error) {
        _cleanup_free_ char *msg = NULL;
        int r;

        r = spawn_defaults_apply(m->config.default_properties, spec, &msg);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return sd_bus_error_setf(error, r == -EOPNOTSUPP ? CONFINE_ERROR_NOT_SUPPORTED :
                                                 CONFINE_ERROR_INVALID_PROPERTY,
                                         "[Defaults] of confined.conf: %s", msg ?: strerror(-r));
        return 0;
}

/* Profile=NAME: the profile is the base and the explicit properties are laid over it, whatever
 * their order in the request, so the properties are read a second time, onto the profile. The
 * result is compared with the profile alone: for an unprivileged caller, loosening it is
 * privilege. */
static int lay_over_profile(Manager *m, sd_bus_message *message, SandboxSpec **spec, uid_t caller_uid,
                            sd_bus_error *error) {
        _cleanup_(sandbox_spec_freep) SandboxSpec *base = sandbox_spec_new(), *merged = sandbox_spec_new();
        _cleanup_free_ char *msg = NULL;
        const char *loosened = NULL;
        int r;

        if (!base || !merged)
                return -ENOMEM;
        r = lay_down_defaults(m, base, error);
        if (r >= 0)
                r = lay_down_defaults(m, merged, error);
        if (r < 0)
                return r;
        r = profile_apply((*spec)->profile, m->profile_dirs, base, &msg);
        if (r >= 0)
                r = profile_apply((*spec)->profile, m->profile_dirs, merged, &msg);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return sd_bus_error_setf(error, CONFINE_ERROR_INVALID_PROPERTY, "%s", msg ?: "Profile");

        r = sd_bus_message_rewind(message, true);
        if (r >= 0)
                r = sd_bus_message_skip(message, "as");
        if (r < 0)
                return r;
        r = bus_spec_read_properties(message, merged, m->config.max_properties, error);
        if (r < 0)
                return r;

        merged->argv = TAKE_PTR((*spec)->argv);
        /* Judged for root too: polkit's details and Analyze say whether a request stays within its profile. */
        if (!spec_stays_within_profile(merged, base, &loosened)) {
                log_debug("Request of uid %u loosens Profile=%s (%s).", (unsigned) caller_uid, merged->profile,
                          loosened);
                merged->profile_loosened = loosened ?: "Profile";
        }
        sandbox_spec_free(*spec);
        *spec = TAKE_PTR(merged);
        return 0;
}

/* StandardInput=/Output=/Error= set a stream that the caller's fd, flag 2's pipes or flag 4's terminal
 * would set too: one request, two sources, so a named error rather than a silent choice. */
static int check_stdio(const SandboxSpec *spec, uint64_t flags, sd_bus_error *error) {
        static const char *const names[3] = { "StandardInput", "StandardOutput", "StandardError" };
        StdioMode in = sandbox_spec_stdin_mode(spec);

        for (int i = 0; i < 3; i++) {
                StdioMode mode = i == 0 ? in : spec->stdio_mode[i];
                const char *name = i == 0 && spec->stdio_mode[0] == STDIO_UNSET ? "StandardInputData" : names[i];

                if (mode == STDIO_UNSET)
                        continue;
                if (spec->stdio_fds[i] >= 0)
                        return sd_bus_error_setf(error, CONFINE_ERROR_INVALID_PROPERTY,
                                                 "%s= conflicts with %sFileDescriptor: both set the job's fd %d", name,
                                                 names[i], i);
                if (flags & SPAWN_FLAG_CAPTURE_OUTPUT)
                        return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS,
                                                 "Flag 2 (pipe) conflicts with %s=: both set the job's fd %d", name, i);
                if (flags & SPAWN_FLAG_TERMINAL)
                        return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS,
                                                 "Flag 4 (terminal) conflicts with %s=: both set the job's fd %d", name, i);
        }
        if (spec->stdin_data_size > 0 && in != STDIO_DATA)
                return sd_bus_error_setf(error, CONFINE_ERROR_INVALID_PROPERTY,
                                         "StandardInputData= conflicts with StandardInput=%s: the data would not be read",
                                         in == STDIO_NULL ? "null" : "file");
        if (spec->stdio_mode[1] == STDIO_INHERIT && (in == STDIO_DATA || in == STDIO_FILE))
                return sd_bus_error_setf(error, CONFINE_ERROR_INVALID_PROPERTY,
                                         "StandardOutput=inherit would write to standard input, which is StandardInput=%s "
                                         "and read-only", in == STDIO_DATA ? "data" : "file");
        return 0;
}

static int check_flags(const SandboxSpec *spec, uint64_t flags, sd_bus_error *error) {
        static const char *const stdio_names[3] = {
                "StandardInputFileDescriptor", "StandardOutputFileDescriptor", "StandardErrorFileDescriptor",
        };
        int r;

        if (flags & ~SPAWN_FLAGS_ALL)
                return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS, "Unknown flags 0x%" PRIx64, flags);
        r = check_stdio(spec, flags, error);
        if (r < 0)
                return r;
        if (flags & SPAWN_FLAG_CAPTURE_OUTPUT) {
                if (flags & SPAWN_FLAG_TERMINAL)
                        return sd_bus_error_set(error, SD_BUS_ERROR_INVALID_ARGS,
                                                "Flags 2 (pipe) and 4 (pty) conflict: both set the job's stdio");
                for (size_t i = 0; i < 3; i++)
                        if (spec->stdio_fds[i] >= 0)
                                return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS,
                                                         "Flag 2 (pipe) conflicts with %s: both set the job's stdio",
                                                         stdio_names[i]);
        }
        /* systemd sizes the unit's TTYPath=; a job's only terminal of confine's making is flag 4's. A
         * terminal the caller passed stays as the caller keeps it. */
        if (!(flags & SPAWN_FLAG_TERMINAL) && (spec->tty_rows != UINT32_MAX || spec->tty_columns != UINT32_MAX))
                return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS,
                                         "%s sizes the pseudo-terminal of flag 4 (terminal), which this request "
                                         "does not ask for", spec->tty_rows != UINT32_MAX ? "TTYRows" : "TTYColumns");
        if ((flags & SPAWN_FLAG_TERMINAL) &&
            (spec->stdio_fds[0] >= 0 || spec->stdio_fds[1] >= 0 || spec->stdio_fds[2] >= 0))
                return sd_bus_error_set(error, SD_BUS_ERROR_INVALID_ARGS,
                                        "Flag 4 (terminal) gives the job a new pseudo-terminal as stdin, stdout and "
                                        "stderr: Standard*FileDescriptor cannot be given with it");
        return 0;
}

static gid_t primary_gid_of(uid_t uid) {
        struct passwd *pw = getpwuid(uid);
        return pw ? pw->pw_gid : (gid_t) uid;
}

/* NetworkNamespacePath=: opened as the caller now, before the authorization, which depends on who owns
 * the namespace (spawn-tier.c). */
static int open_network_namespace(SandboxSpec *spec, uid_t caller_uid, sd_bus_error *error) {
        int r;

        if (!spec->network_namespace_path)
                return 0;
        spec->netns_path_fd = safe_close(spec->netns_path_fd);
        r = netns_path_open(spec->network_namespace_path, caller_uid, primary_gid_of(caller_uid), &spec->netns_path_fd,
                            &spec->netns_path_owner);
        if (r == -ENOMEM)
                return r;
        if (r == -EMEDIUMTYPE)
                return sd_bus_error_setf(error, CONFINE_ERROR_INVALID_PROPERTY,
                                         "NetworkNamespacePath: \"%s\" is no network namespace",
                                         spec->network_namespace_path);
        if (r == -ETIME)
                return sd_bus_error_setf(error, CONFINE_ERROR_INVALID_PROPERTY,
                                         "NetworkNamespacePath: opening \"%s\" took more than %" PRIu64 " s",
                                         spec->network_namespace_path, NETNS_PATH_TIMEOUT_USEC / 1000000);
        if (r < 0)
                return sd_bus_error_setf(error, CONFINE_ERROR_INVALID_PROPERTY,
                                         "NetworkNamespacePath: cannot open \"%s\" as the caller (uid %u): %s",
                                         spec->network_namespace_path, (unsigned) caller_uid, strerror(-r));
        return 0;
}

/* A Spawn from inside a job asks for a job inside that one (spec-nesting.h). The caller is
 * recognized by the cgroup its process is in (its pid from the bus credentials): a job's
 * processes cannot leave its cgroup. */
static int find_parent_job(BusContext *c, pid_t pid, Job **ret, sd_bus_error *error) {
        int r;

        *ret = NULL;
        if (pid <= 0)
                return 0;
        r = manager_find_job_of_pid(c->manager, pid, ret);
        if (r == -ESRCH)
                return sd_bus_error_setf(error, SD_BUS_ERROR_ACCESS_DENIED,
                                         "The caller runs in the cgroup of a job that has exited or is unknown");
        if (r == -ENOENT)
                return sd_bus_error_setf(error, SD_BUS_ERROR_ACCESS_DENIED, "The caller (pid %d) is gone", (int) pid);
        if (r < 0)
                return sd_bus_error_set_errnof(error, -r, "Cannot tell whether the caller runs in a job: %s",
                                               strerror(-r));
        return 0;
}

/* What a nested request may not have, checked before polkit: no prompt for what is refused anyway. */
static int check_nested(const SandboxSpec *spec, const Job *parent, bool resolved, sd_bus_error *error) {
        const char *property;

        if (!resolved) {
                property = spec_nested_unsupported(spec);
                if (property)
                        return sd_bus_error_setf(error, CONFINE_ERROR_NOT_SUPPORTED,
                                                 "%s: a job spawned from inside job %" PRIu64 " has its cgroup inside "
                                                 "its parent's, which holds processes: it can have no limits of its own "
                                                 "(the parent's hold it)", property, parent->id);
                return 0;
        }
        property = spec_nested_loosens(spec, parent->spec);
        if (property)
                return sd_bus_error_setf(error, SD_BUS_ERROR_ACCESS_DENIED,
                                         "%s: the request comes from inside job %" PRIu64 ", and a job started from "
                                         "inside another may only tighten it",
                                         property, parent->id);
        return 0;
}

void spawn_plan_done(SpawnPlan *p) {
        p->spec = sandbox_spec_free(p->spec);
        identity_done(&p->id);
}

/* DynamicUser=: what systemd implies with it, so that the uid can leave files only where the job was given
 * a place to write (ReadWritePaths= and the like), and only when the job ends may it go to another job. */
static int apply_dynamic_user(SandboxSpec *spec, Identity *ret_id, sd_bus_error *error) {
        const char *reason = NULL;
        int r;

        r = identity_resolve_dynamic(spec, ret_id, &reason);
        if (r == -ENOMEM)
                return r;
        if (r == -EEXIST)
                return sd_bus_error_setf(error, CONFINE_ERROR_INVALID_PROPERTY,
                                         "DynamicUser: User=%s is a static user; run as it with User= alone", spec->user);
        if (r == -EINVAL)
                return sd_bus_error_setf(error, CONFINE_ERROR_INVALID_PROPERTY,
                                         "DynamicUser: User=%s is not a valid name for a dynamic user", spec->user);
        if (r == -EXDEV)
                return sd_bus_error_set(error, CONFINE_ERROR_INVALID_PROPERTY,
                                        "DynamicUser: Group= must be unset or the same as User=");
        if (r < 0)
                return sd_bus_error_setf(error, CONFINE_ERROR_INVALID_PROPERTY, "%s: cannot resolve: %s", reason,
                                         strerror(-r));
        if (spec->protect_system < PROTECT_SYSTEM_STRICT)
                spec->protect_system = PROTECT_SYSTEM_STRICT;
        if (spec->protect_home == PROTECT_HOME_NO)
                spec->protect_home = PROTECT_HOME_READ_ONLY;
        spec->private_tmp = true;
        spec->remove_ipc = true;
        spec->no_new_privileges = 1;
        spec->restrict_suid_sgid = true;
        return 0;
}

/* After the identity and the tier: the layout follows who the job runs as (spec-directories.h). */
static int resolve_directories(SandboxSpec *spec, uid_t caller_uid, const char *home, sd_bus_error *error) {
        int r;

        if (!spec_has_directories(spec))
                return 0;
        r = spec_directories_resolve(spec, caller_uid, home);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return sd_bus_error_setf(error, CONFINE_ERROR_INVALID_PROPERTY,
                                         "StateDirectory: uid %u has no home directory to hold its directories",
                                         (unsigned) spec->uid);
        return spec_directories_environment(spec, &spec->environment);
}

/* Spawn's pipeline up to the authorization, shared with Analyze: parse, lay over the profile, check,
 * resolve the identity, decide the tier and force its settings, build the environment. Errors are
 * Spawn's, named. Analyze skips only the job quotas, since it starts no job. */
int bus_spawn_plan(BusContext *c, sd_bus_message *message, bool for_analyze, SpawnPlan *ret, sd_bus_error *error) {
        _cleanup_(spawn_plan_done) SpawnPlan p = {};
        Manager *m = c->manager;
        const char *reason = NULL;
        uid_t caller_uid;
        pid_t caller_pid;
        char **env = NULL;
        SandboxSpec *spec;
        int r;

        r = bus_message_get_sender_creds(message, &caller_uid, &caller_pid);
        if (r < 0)
                return r;
        r = find_parent_job(c, caller_pid, &p.parent, error);
        if (r < 0)
                return r;
        p.origin = (SpawnOrigin) {
                .caller_uid = caller_uid,
                .owner_uid = p.parent ? p.parent->owner_uid : caller_uid,
                .parent_id = p.parent ? p.parent->id : 0,
        };

        p.spec = sandbox_spec_new();
        if (!p.spec)
                return -ENOMEM;
        r = lay_down_defaults(m, p.spec, error);
        if (r < 0)
                return r;

        r = read_argv(message, m, &p.spec->argv, error);
        if (r < 0)
                return r;
        r = bus_spec_read_properties(message, p.spec, m->config.max_properties, error);
        if (r < 0)
                return r;
        if (p.spec->profile) {
                r = lay_over_profile(m, message, &p.spec, caller_uid, error);
                if (r < 0)
                        return r;
        }
        r = spawn_defaults_judge(m->config.default_properties, p.spec);
        if (r < 0)
                return r;
        spec = p.spec;
        r = sd_bus_message_read(message, "t", &p.flags);
        if (r < 0)
                return r;
        r = check_flags(spec, p.flags, error);
        if (r < 0)
                return r;
        if (p.flags & SPAWN_FLAG_LEARN) {
                /* With PrivatePIDs= the job is not the process confined cloned: it is found by its cgroup
                 * (docs/design.md, "Learn mode"). */
                if (spec->private_pids && m->cgroup.fd < 0)
                        return sd_bus_error_set(error, CONFINE_ERROR_NOT_SUPPORTED,
                                                "PrivatePIDs: flag 8 (learn) finds a job in a PID namespace of its own "
                                                "by its cgroup, and this host has no writable cgroup v2 hierarchy");
                spec->learn_syscalls = true;
        }
        /* A job holding the caller's terminal must not type into it (TIOCSTI). */
        if (spec_holds_terminal(spec))
                spec->restrict_terminal_injection = true;
        if (strv_bytes(spec->environment) > m->config.max_environment_bytes)
                return sd_bus_error_setf(error, CONFINE_ERROR_QUOTA_EXCEEDED,
                                         "MaxEnvironmentBytes: Environment exceeds %" PRIu64 " bytes",
                                         m->config.max_environment_bytes);

        if (p.parent) {
                r = check_nested(spec, p.parent, false, error);
                if (r < 0)
                        return r;
        }
        r = check_cgroup_support(m, spec, error);
        if (r >= 0)
                r = check_restrict_filesystems(m, spec, error);
        if (r < 0)
                return r;
        r = check_process_privileges(spec, error);
        if (r < 0)
                return r;
        r = check_devices(m, spec, error);
        if (r < 0)
                return r;
        r = spec_check_credential_key(spec, error);
        if (r < 0)
                return r;

        if (!for_analyze) {
                r = check_job_quotas(c, p.origin.owner_uid, NULL, error);
                if (r < 0)
                        return r;
        }

        if (spec->dynamic_user) {
                r = apply_dynamic_user(spec, &p.id, error);
                if (r < 0)
                        return r;
        } else
                r = identity_resolve(spec, caller_uid, &p.id, &reason);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return sd_bus_error_setf(error, CONFINE_ERROR_INVALID_PROPERTY, "%s: cannot resolve \"%s\": %s",
                                         reason,
                                         streq(reason, "Group") ? spec->group :
                                         streq(reason, "SupplementaryGroups") ? "…" : strempty(spec->user),
                                         r == -ESRCH ? "no such user or group" : strerror(-r));

        spec->uid = p.id.uid;
        spec->gid = p.id.gid;
        spec->groups = TAKE_PTR(p.id.groups);
        spec->n_groups = p.id.n_groups;
        p.id.n_groups = 0;

        if (p.parent) {
                r = check_nested(spec, p.parent, true, error);
                if (r < 0)
                        return r;
                r = spec_nested_inherit(spec, p.parent->spec);
                if (r < 0)
                        return r;
        }

        r = open_network_namespace(spec, caller_uid, error);
        if (r < 0)
                return r;

        p.tier = spawn_tier_for(spec, &p.id, caller_uid, primary_gid_of(caller_uid), &p.tier_reason);
        spawn_tier_apply_forced(p.tier, spec);

        r = resolve_directories(spec, caller_uid, p.id.home, error);
        if (r < 0)
                return r;
        r = environment_build(spec->environment, p.id.user_name, p.id.home, p.id.shell, spec->extra_fds,
                              spec->n_extra_fds, &env);
        if (r < 0)
                return r;
        environment_unset(env, spec->unset_environment);
        strv_free(spec->environment);
        spec->environment = env;

        *ret = p;
        p = (SpawnPlan) {};
        return 0;
}

int spawn_details_build(const SandboxSpec *spec, const char *user_name, SpawnDetails *ret) {
        _cleanup_free_ char *command_line = shell_quote_argv(spec->argv);

        if (!command_line)
                return -ENOMEM;
        *ret = (SpawnDetails) {
                .command_line = TAKE_PTR(command_line),
                .strv = {
                        (char *) "program", spec->argv[0],
                        NULL, NULL, /* command_line, below */
                        (char *) "user", (char *) strempty(user_name),
                        (char *) "profile", spec->profile ?: (char *) "",
                        (char *) "within_profile", (char *) (spec->profile && !spec->profile_loosened ? "yes" : "no"),
                        (char *) "within_defaults", (char *) (spec->defaults_loosened ? "no" : "yes"),
                        NULL,
                },
        };
        ret->strv[2] = (char *) "command_line";
        ret->strv[3] = ret->command_line;
        return 0;
}

void spawn_details_done(SpawnDetails *d) {
        free(d->command_line);
        d->command_line = NULL;
}

static int method_spawn(sd_bus_message *message, void *userdata, sd_bus_error *error) {
        _cleanup_(spawn_plan_done) SpawnPlan p = {};
        BusContext *c = userdata;
        int r;

        r = bus_spawn_plan(c, message, false, &p, error);
        if (r < 0)
                return r;
        if (p.tier == SPAWN_TIER_ROOT)
                return start_job(c, message, TAKE_PTR(p.spec), &p.origin, p.flags, error);
        return spawn_request_authorize(c, message, &p.spec, &p.origin, p.flags, p.tier, p.id.user_name, error);
}

/* Jobs the bus shows: exec'd, and with their bus side. */
static bool job_visible(const Job *j) {
        return j->published && j->observer_data;
}

static int method_get_job(sd_bus_message *message, void *userdata, sd_bus_error *error) {
        BusContext *c = userdata;
        uint64_t id;
        Job *j;
        int r;

        r = sd_bus_message_read(message, "t", &id);
        if (r < 0)
                return r;
        j = manager_find_job(c->manager, id);
        if (!j || !job_visible(j) || bus_job_check_access(j, message) <= 0)
                return sd_bus_error_setf(error, CONFINE_ERROR_NO_SUCH_JOB, "No job %" PRIu64, id);
        return sd_bus_reply_method_return(message, "o", bus_job_path(j));
}

static int method_list_jobs(sd_bus_message *message, void *userdata, sd_bus_error *error) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        BusContext *c = userdata;
        uid_t uid;
        int r;

        r = bus_message_get_sender_uid(message, &uid);
        if (r < 0)
                return r;
        r = sd_bus_message_new_method_return(message, &reply);
        if (r < 0)
                return r;
        r = sd_bus_message_open_container(reply, 'a', "(tsuuso)");
        if (r < 0)
                return r;
        for (Job *j = c->manager->jobs; j; j = j->next) {
                if (!job_visible(j) || bus_job_check_access(j, message) <= 0)
                        continue;
                r = sd_bus_message_append(reply, "(tsuuso)", j->id, job_state_to_string(j->state), j->owner_uid,
                                          (uint32_t) j->pid, j->spec->argv[0], bus_job_path(j));
                if (r < 0)
                        return r;
        }
        r = sd_bus_message_close_container(reply);
        if (r < 0)
                return r;
        return sd_bus_send(NULL, reply, NULL);
}

static int property_get_supported(sd_bus *bus, const char *path, const char *interface, const char *property,
                                  sd_bus_message *reply, void *userdata, sd_bus_error *error) {
        int r = sd_bus_message_open_container(reply, 'a', "s");
        if (r < 0)
                return r;
        for (size_t i = 0; i < property_table_size; i++) {
                r = sd_bus_message_append(reply, "s", property_table[i].name);
                if (r < 0)
                        return r;
        }
        return sd_bus_message_close_container(reply);
}

static int property_get_njobs(sd_bus *bus, const char *path, const char *interface, const char *property,
                              sd_bus_message *reply, void *userdata, sd_bus_error *error) {
        BusContext *c = userdata;
        return sd_bus_message_append(reply, "u", c->manager->n_jobs);
}

static int property_get_version(sd_bus *bus, const char *path, const char *interface, const char *property,
                                sd_bus_message *reply, void *userdata, sd_bus_error *error) {
        return sd_bus_message_append(reply, "s", CONFINE_VERSION);
}

const sd_bus_vtable manager_vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_PROPERTY("Version", "s", property_get_version, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("SupportedProperties", "as", property_get_supported, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_PROPERTY("NJobs", "u", property_get_njobs, 0, 0),
        SD_BUS_METHOD_WITH_ARGS("Spawn",
                                SD_BUS_ARGS("as", argv, "a(sv)", properties, "t", flags),
                                SD_BUS_RESULT("o", job, "t", id),
                                method_spawn, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("Analyze",
                                SD_BUS_ARGS("as", argv, "a(sv)", properties, "t", flags),
                                SD_BUS_RESULT("a(sv)", effective_properties, "s", action, "s", action_reason,
                                              "a{ss}", action_details, "u", exposure, "a(suuusb)", checks,
                                              "a(sss)", findings),
                                bus_manager_method_analyze, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("GetJob", SD_BUS_ARGS("t", id), SD_BUS_RESULT("o", job), method_get_job,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("ListJobs", SD_BUS_NO_ARGS, SD_BUS_RESULT("a(tsuuso)", jobs), method_list_jobs,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("Subscribe", SD_BUS_NO_ARGS, SD_BUS_NO_RESULT, bus_manager_method_subscribe,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_ARGS("Unsubscribe", SD_BUS_NO_ARGS, SD_BUS_NO_RESULT, bus_manager_method_unsubscribe,
                                SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_SIGNAL_WITH_ARGS("JobNew", SD_BUS_ARGS("t", id, "o", job), 0),
        SD_BUS_SIGNAL_WITH_ARGS("JobRemoved", SD_BUS_ARGS("t", id, "o", job, "s", result, "i", status), 0),
        SD_BUS_VTABLE_END,
};

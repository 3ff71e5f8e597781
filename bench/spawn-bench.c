/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bench-spawn: drives confined over the bus with sd-bus, no CLI process in between.
 *
 *   bench-spawn latency    --props seed|none [--count N]
 *       one client, N Spawn+Wait in a row; prints the percentiles of Spawn-to-exec (the Spawn reply
 *       comes only after execve() of the job) and of Spawn-to-Wait-reply.
 *   bench-spawn throughput --props seed|none|mixed --clients C [--seconds S | --count N]
 *       C processes, each with its own bus connection, spawn /bin/true and Wait in a loop; prints
 *       jobs/s. With --count, the clients together run exactly N jobs.
 *
 * Output: one JSON object on stdout. The bus is the system bus (DBUS_SYSTEM_BUS_ADDRESS). */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <systemd/sd-bus.h>
#include <time.h>
#include <unistd.h>

#define DEST "org.confine.Confine1"
#define MANAGER_PATH "/org/confine/Confine1"
#define MANAGER_IFACE "org.confine.Confine1.Manager"
#define JOB_IFACE "org.confine.Confine1.Job"

typedef enum Props { PROPS_NONE, PROPS_SEED, PROPS_MIXED } Props;

/* Shared between the clients of one run. */
typedef struct Shared {
        uint64_t jobs;          /* finished, successful */
        uint64_t errors;
        uint64_t claimed;       /* --count: jobs handed out */
        int stop;
} Shared;

static uint64_t now_nsec(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * 1000000000 + (uint64_t) ts.tv_nsec;
}

/* The seed set: PrivateNetwork, PrivateTmp, ProtectSystem=strict, ProtectHome=yes,
 * PrivateDevices, CapabilityBoundingSet= (empty), NoNewPrivileges, SystemCallFilter=@system-service. */
static int append_seed(sd_bus_message *m) {
        int r = sd_bus_message_append(m, "(sv)(sv)(sv)(sv)(sv)(sv)(sv)",
                                      "PrivateNetwork", "b", 1,
                                      "PrivateTmp", "b", 1,
                                      "ProtectSystem", "s", "strict",
                                      "ProtectHome", "s", "yes",
                                      "PrivateDevices", "b", 1,
                                      "CapabilityBoundingSet", "t", UINT64_C(0),
                                      "NoNewPrivileges", "b", 1);
        if (r < 0)
                return r;
        r = sd_bus_message_open_container(m, 'r', "sv");
        if (r >= 0)
                r = sd_bus_message_append(m, "s", "SystemCallFilter");
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'v', "(bas)");
        if (r >= 0)
                r = sd_bus_message_append(m, "(bas)", 1, 1, "@system-service");
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        return r;
}

/* One job: Spawn /bin/true, then Wait. *ret_exec_ns: until the Spawn reply (the job has exec'd);
 * *ret_done_ns: until the Wait reply. */
static int spawn_one(sd_bus *bus, bool seed, uint64_t *ret_exec_ns, uint64_t *ret_done_ns) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        sd_bus_message *m = NULL, *reply = NULL;
        const char *path, *result;
        uint64_t t0, t1, id;
        int32_t status;
        int r;

        r = sd_bus_message_new_method_call(bus, &m, DEST, MANAGER_PATH, MANAGER_IFACE, "Spawn");
        if (r >= 0)
                r = sd_bus_message_append(m, "as", 1, "/bin/true");
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'a', "(sv)");
        if (r >= 0 && seed)
                r = append_seed(m);
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        if (r >= 0)
                r = sd_bus_message_append(m, "t", UINT64_C(0));
        if (r < 0)
                goto out;

        t0 = now_nsec();
        r = sd_bus_call(bus, m, 0, &error, &reply);
        t1 = now_nsec();
        if (r < 0) {
                fprintf(stderr, "bench-spawn: Spawn: %s\n", error.message ?: strerror(-r));
                goto out;
        }
        r = sd_bus_message_read(reply, "ot", &path, &id);
        if (r < 0)
                goto out;
        path = strdupa(path);
        reply = sd_bus_message_unref(reply);

        r = sd_bus_call_method(bus, DEST, path, JOB_IFACE, "Wait", &error, &reply, "");
        if (r < 0) {
                fprintf(stderr, "bench-spawn: Wait: %s\n", error.message ?: strerror(-r));
                goto out;
        }
        *ret_done_ns = now_nsec() - t0;
        *ret_exec_ns = t1 - t0;
        r = sd_bus_message_read(reply, "si", &result, &status);
        if (r >= 0 && strcmp(result, "success") != 0) {
                fprintf(stderr, "bench-spawn: job %" PRIu64 ": %s %d\n", id, result, status);
                r = -EPROTO;
        }
        /* Drop the signals the daemon sent us meanwhile (JobNew, Exited, …): nobody reads them. */
        while (r >= 0 && sd_bus_process(bus, NULL) > 0)
                ;
out:
        sd_bus_error_free(&error);
        sd_bus_message_unref(reply);
        sd_bus_message_unref(m);
        return r;
}

static int cmp_u64(const void *a, const void *b) {
        uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;
        return x < y ? -1 : x > y;
}

static double percentile_ms(const uint64_t *sorted, size_t n, double p) {
        size_t i = (size_t) (p / 100.0 * (double) (n - 1) + 0.5);
        return (double) sorted[i < n ? i : n - 1] / 1e6;
}

static void print_stats(const char *name, uint64_t *v, size_t n, bool comma) {
        double sum = 0;
        qsort(v, n, sizeof *v, cmp_u64);
        for (size_t i = 0; i < n; i++)
                sum += (double) v[i];
        printf("  \"%s\": {\"p50_ms\": %.3f, \"p90_ms\": %.3f, \"p99_ms\": %.3f, \"mean_ms\": %.3f, "
               "\"min_ms\": %.3f, \"max_ms\": %.3f}%s\n",
               name, percentile_ms(v, n, 50), percentile_ms(v, n, 90), percentile_ms(v, n, 99),
               sum / (double) n / 1e6, (double) v[0] / 1e6, (double) v[n - 1] / 1e6, comma ? "," : "");
}

static int open_bus(sd_bus **ret) {
        int r = sd_bus_open_system(ret);
        if (r < 0)
                fprintf(stderr, "bench-spawn: cannot connect to the system bus: %s\n", strerror(-r));
        return r;
}

static int run_latency(Props props, size_t count) {
        sd_bus *bus = NULL;
        uint64_t *exec_ns = calloc(count, sizeof(uint64_t)), *done_ns = calloc(count, sizeof(uint64_t));
        uint64_t e, d;
        int r;

        if (!exec_ns || !done_ns)
                return -ENOMEM;
        r = open_bus(&bus);
        if (r < 0)
                return r;
        /* Warm up: first connections, page cache, polkit-free root path, allocator. */
        for (int i = 0; i < 20 && r >= 0; i++)
                r = spawn_one(bus, props == PROPS_SEED, &e, &d);
        for (size_t i = 0; i < count && r >= 0; i++)
                r = spawn_one(bus, props == PROPS_SEED, &exec_ns[i], &done_ns[i]);
        sd_bus_flush_close_unref(bus);
        if (r < 0)
                return r;

        printf("{\n  \"props\": \"%s\",\n  \"count\": %zu,\n", props == PROPS_SEED ? "seed" : "none", count);
        print_stats("spawn_to_exec", exec_ns, count, true);
        print_stats("spawn_to_exit", done_ns, count, false);
        printf("}\n");
        free(exec_ns);
        free(done_ns);
        return 0;
}

static _Noreturn void client(Shared *sh, int start_fd, Props props, unsigned index, uint64_t count) {
        sd_bus *bus = NULL;
        uint64_t e, d;
        char c;

        if (open_bus(&bus) < 0)
                _exit(1);
        /* Wait until every client is connected: the parent closes the pipe. */
        (void) !read(start_fd, &c, 1);
        for (uint64_t k = 0; !__atomic_load_n(&sh->stop, __ATOMIC_RELAXED); k++) {
                bool seed = props == PROPS_SEED || (props == PROPS_MIXED && (index + k) % 2 == 0);

                if (count > 0 && __atomic_fetch_add(&sh->claimed, 1, __ATOMIC_RELAXED) >= count)
                        break;
                if (spawn_one(bus, seed, &e, &d) < 0)
                        __atomic_fetch_add(&sh->errors, 1, __ATOMIC_RELAXED);
                else if (!__atomic_load_n(&sh->stop, __ATOMIC_RELAXED))
                        __atomic_fetch_add(&sh->jobs, 1, __ATOMIC_RELAXED);
        }
        sd_bus_flush_close_unref(bus);
        _exit(0);
}

static int run_throughput(Props props, unsigned clients, double seconds, uint64_t count) {
        Shared *sh = mmap(NULL, sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        int start[2];
        pid_t *pids = calloc(clients, sizeof(pid_t));
        uint64_t t0, t1;
        int failed = 0;

        if (sh == MAP_FAILED || !pids || pipe(start) < 0)
                return -errno;
        for (unsigned i = 0; i < clients; i++) {
                pids[i] = fork();
                if (pids[i] < 0)
                        return -errno;
                if (pids[i] == 0) {
                        close(start[1]);
                        client(sh, start[0], props, i, count);
                }
        }
        close(start[0]);
        usleep(200 * 1000);     /* let them connect */
        t0 = now_nsec();
        close(start[1]);
        if (count == 0) {
                struct timespec ts = { (time_t) seconds, (long) ((seconds - (double) (time_t) seconds) * 1e9) };
                nanosleep(&ts, NULL);
                __atomic_store_n(&sh->stop, 1, __ATOMIC_RELAXED);
                t1 = now_nsec();
        }
        for (unsigned i = 0; i < clients; i++) {
                int st;
                if (waitpid(pids[i], &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
                        failed++;
        }
        if (count > 0)
                t1 = now_nsec();

        printf("{\"props\": \"%s\", \"clients\": %u, \"jobs\": %" PRIu64 ", \"errors\": %" PRIu64
               ", \"seconds\": %.3f, \"per_sec\": %.1f}\n",
               props == PROPS_SEED ? "seed" : props == PROPS_MIXED ? "mixed" : "none", clients, sh->jobs,
               sh->errors, (double) (t1 - t0) / 1e9, (double) sh->jobs / ((double) (t1 - t0) / 1e9));
        free(pids);
        return failed || sh->errors ? -EIO : 0;
}

static _Noreturn void usage(void) {
        fprintf(stderr, "Usage: bench-spawn latency --props seed|none [--count N]\n"
                        "       bench-spawn throughput --props seed|none|mixed --clients C [--seconds S | --count N]\n");
        exit(2);
}

int main(int argc, char *argv[]) {
        static const struct option options[] = {
                { "props", required_argument, NULL, 'p' },
                { "count", required_argument, NULL, 'n' },
                { "clients", required_argument, NULL, 'c' },
                { "seconds", required_argument, NULL, 's' },
                {}
        };
        Props props = PROPS_NONE;
        unsigned long count = 0, clients = 1;
        double seconds = 3;
        int c, r;

        while ((c = getopt_long(argc, argv, "", options, NULL)) >= 0)
                switch (c) {
                case 'p':
                        if (strcmp(optarg, "seed") == 0)
                                props = PROPS_SEED;
                        else if (strcmp(optarg, "none") == 0)
                                props = PROPS_NONE;
                        else if (strcmp(optarg, "mixed") == 0)
                                props = PROPS_MIXED;
                        else
                                usage();
                        break;
                case 'n':
                        count = strtoul(optarg, NULL, 10);
                        break;
                case 'c':
                        clients = strtoul(optarg, NULL, 10);
                        break;
                case 's':
                        seconds = strtod(optarg, NULL);
                        break;
                default:
                        usage();
                }
        if (optind + 1 != argc || clients == 0 || clients > 1024)
                usage();

        signal(SIGPIPE, SIG_IGN);
        if (strcmp(argv[optind], "latency") == 0 && props != PROPS_MIXED)
                r = run_latency(props, count ?: 500);
        else if (strcmp(argv[optind], "throughput") == 0)
                r = run_throughput(props, (unsigned) clients, seconds, count);
        else
                usage();
        return r < 0 ? 1 : 0;
}

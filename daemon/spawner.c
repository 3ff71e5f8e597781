/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "log.h"
#include "macro.h"
#include "spawner.h"

static void push(SpawnOrder **head, SpawnOrder **tail, SpawnOrder *o) {
        o->next = NULL;
        if (*tail)
                (*tail)->next = o;
        else
                *head = o;
        *tail = o;
}

static SpawnOrder *pop(SpawnOrder **head, SpawnOrder **tail) {
        SpawnOrder *o = *head;

        if (o) {
                *head = o->next;
                if (!*head)
                        *tail = NULL;
                o->next = NULL;
        }
        return o;
}

static void run_order(SpawnOrder *o) {
        o->pidfd = -EBADF;
        o->error = spawn_confine_exec(o->exec_path, &o->fds, o->cgroup_fd, o->pidns_fd, &o->pid, &o->pidfd);
        o->close_after_clone = safe_close(o->close_after_clone);
}

static void *spawner_thread(void *userdata) {
        Spawner *s = userdata;
        const uint64_t one = 1;

        pthread_mutex_lock(&s->lock);
        for (;;) {
                SpawnOrder *o;

                while (!s->stopping && !s->todo)
                        pthread_cond_wait(&s->wake, &s->lock);
                o = pop(&s->todo, &s->todo_tail);
                if (!o)
                        break; /* stopping, and nothing left to clone */
                pthread_mutex_unlock(&s->lock);
                run_order(o);
                pthread_mutex_lock(&s->lock);
                push(&s->done, &s->done_tail, o);
                (void) !write(s->event_fd, &one, sizeof one);
        }
        pthread_mutex_unlock(&s->lock);
        return NULL;
}

static void run_done(Spawner *s) {
        SpawnOrder *list, *o;

        pthread_mutex_lock(&s->lock);
        list = s->done;
        s->done = s->done_tail = NULL;
        pthread_mutex_unlock(&s->lock);
        while ((o = list)) {
                list = o->next;
                o->next = NULL;
                o->done(o); /* may submit again, or free what o belongs to */
        }
}

static int on_event_fd(sd_event_source *source, int fd, uint32_t revents, void *userdata) {
        uint64_t n;

        (void) !read(fd, &n, sizeof n);
        run_done(userdata);
        return 0;
}

int spawner_init(Spawner *s, sd_event *event) {
        sigset_t all, old;
        int r;

        *s = (Spawner) { .event_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK), .initialized = true };
        pthread_mutex_init(&s->lock, NULL);
        pthread_cond_init(&s->wake, NULL);
        if (s->event_fd < 0)
                return log_error_errno(errno, "Cannot make the spawner's eventfd: %m");
        r = sd_event_add_io(event, &s->event_source, s->event_fd, EPOLLIN, on_event_fd, s);
        if (r >= 0)
                r = sd_event_source_set_description(s->event_source, "spawner");
        if (r < 0)
                return log_error_errno(r, "Cannot watch the spawner's eventfd: %m");

        /* The thread takes no signal: the main thread reads them from its signalfd. */
        sigfillset(&all);
        pthread_sigmask(SIG_SETMASK, &all, &old);
        r = pthread_create(&s->thread, NULL, spawner_thread, s);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        if (r != 0) {
                log_warning_errno(r, "Cannot start the spawner thread, jobs are cloned on the event loop: %m");
                return 0;
        }
        s->running = true;
        return 0;
}

bool spawner_running(const Spawner *s) {
        return s->running;
}

void spawner_submit(Spawner *s, SpawnOrder *o) {
        pthread_mutex_lock(&s->lock);
        push(&s->todo, &s->todo_tail, o);
        pthread_cond_signal(&s->wake);
        pthread_mutex_unlock(&s->lock);
}

void spawner_done(Spawner *s) {
        if (!s->initialized)
                return;
        if (s->running) {
                pthread_mutex_lock(&s->lock);
                s->stopping = true;
                pthread_cond_signal(&s->wake);
                pthread_mutex_unlock(&s->lock);
                pthread_join(s->thread, NULL);
                s->running = false;
        }
        run_done(s);
        s->event_source = sd_event_source_disable_unref(s->event_source);
        s->event_fd = safe_close(s->event_fd);
        pthread_cond_destroy(&s->wake);
        pthread_mutex_destroy(&s->lock);
        s->initialized = false;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Learn mode (Spawn flag 8): confined is the listener of the job's SECCOMP_RET_USER_NOTIF filter. It
 * records each system call the job makes (its number and ABI, and for socket() and socketpair() the
 * family, an argument by value) and lets it continue; nothing is decided on what it records. No D-Bus. */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <systemd/sd-event.h>

typedef struct JobLearn JobLearn;

/* Takes the listener at fd number listener_fd of the process pidfd refers to (pidfd_getfd) and starts
 * answering it. */
int job_learn_attach(sd_event *event, int pidfd, int listener_fd, JobLearn **ret);
JobLearn *job_learn_free(JobLearn *l);

/* The calls recorded so far, by name (another ABI's as "name@abi"), sorted, each once; NULL-terminated. */
int job_learn_names(const JobLearn *l, char ***ret);
/* The socket families the job asked socket() and socketpair() for ("AF_UNIX"), NULL-terminated. */
int job_learn_families(const JobLearn *l, char ***ret);
/* The paths its calls named, absolute, sorted, each once: all of them, or those of calls that write.
 * Owned by l. */
char * const *job_learn_paths(const JobLearn *l, bool written);
/* Each path named with how it was used: "rw /etc/x" ("rwcxdv", or "-" for only named). */
int job_learn_files(const JobLearn *l, char ***ret);
/* "connect AF_INET 127.0.0.1:8080", "bind AF_UNIX /run/x", "sendto …": sorted, each once. Owned by l. */
char * const *job_learn_endpoints(const JobLearn *l);
/* What its calls' arguments used: "realtime", "write-execute", "namespace:net" … (job-learn-uses.h). */
int job_learn_uses(const JobLearn *l, char ***ret);
/* The capabilities its programs held (permitted) after their execve(): "cap_chown" …. */
int job_learn_capabilities(const JobLearn *l, char ***ret);
/* How many notifications were answered. */
uint64_t job_learn_count(const JobLearn *l);

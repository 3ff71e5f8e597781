/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <systemd/sd-bus.h>

typedef struct Job Job;
typedef struct Manager Manager;

extern const sd_bus_vtable job_vtable[];

int bus_job_find(sd_bus *bus, const char *path, const char *interface, void *userdata,
                 void **ret_found, sd_bus_error *error);
int bus_job_enumerate(sd_bus *bus, const char *path, void *userdata, char ***ret_nodes,
                      sd_bus_error *error);

/* Whether the sender of m may see job j: its owner and root. */
int bus_job_check_access(Job *j, sd_bus_message *m);

/* Unicast to the owner and to each subscriber. */
void bus_job_send_new(Job *j);
void bus_job_send_exited(Job *j);
/* Output(stream, data); size 0 is the stream's EOF. to_owner false: to subscribers only. Returns
 * the result of the send to the owner. */
int bus_job_send_output(Job *j, const char *stream, const void *data, size_t size, bool to_owner);

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <systemd/sd-bus.h>

void json_print_string(const char *s);
/* Prints a GetAll reply (a{sv}) as one JSON object / as "Name=Value" lines. */
int json_print_properties(sd_bus_message *reply);
int text_print_properties(sd_bus_message *reply);

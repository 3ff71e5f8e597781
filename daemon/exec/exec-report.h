/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "exec-status.h"
#include "macro.h"

void exec_report_set_fd(int fd);
int exec_report_get_fd(void);

/* Writes one {step, errno, detail} record to the status pipe and exits. */
_noreturn_ void exec_fail(ExecStep step, int error, const char *detail_format, ...) _printf_(3, 4);

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>

/* confined's log lines go to the journal, with their fields (MESSAGE, PRIORITY,
 * SYSLOG_IDENTIFIER, CODE_FILE/CODE_LINE and, for a job, CONFINE_JOB_ID, CONFINE_UID,
 * CONFINE_RESULT), when systemd started it with its stderr connected to the journal. */

/* Whether stderr is the journal: $JOURNAL_STREAM names stderr's device and inode. */
bool log_journal_is_stderr(void);

/* Installs the journal sink of basic/log.h if stderr is the journal (or force is set);
 * returns whether it did. */
bool log_journal_setup(bool force);

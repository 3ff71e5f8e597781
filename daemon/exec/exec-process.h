/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "sandbox-spec.h"

/* Attributes of the job's process that it inherits through fork() and execve(): Personality=,
 * OOMScoreAdjust=, CoredumpFilter=, CPUAffinity=, IOScheduling*=, CPUScheduling*=. Before the uid
 * change, as root: what grants something needs it (the daemon's tier check has allowed it). */
void exec_apply_process_attributes(const SandboxSpec *spec);

/* What a fork() would not pass on, in the job's own process (after the fork of PrivatePIDs=): IgnoreSIGPIPE=,
 * TimerSlackNSec=, the reset-on-fork flag of CPUSchedulingResetOnFork=. */
void exec_apply_job_attributes(const SandboxSpec *spec);

/* KeyringMode=: a session keyring of the job's own, made as the job's user (after the uid change), so
 * that it is the user's, as systemd makes it. */
void exec_setup_keyring(const SandboxSpec *spec);

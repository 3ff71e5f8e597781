/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Learn mode's proposal of the switches and lists beyond the system calls, the families and the paths
 * written (those are syscall-learn.h's and confinectl's): from what the job's calls used, the
 * tightest setting of each property that lets the recorded runs through. Pure. */

#include <stdbool.h>

/* What the runs recorded, merged (Job.Learned…): each list NULL-terminated, possibly empty. */
typedef struct LearnRecord {
        char **calls;           /* LearnedSystemCalls */
        char **files;           /* LearnedFiles: "MODES PATH" */
        char **endpoints;       /* LearnedEndpoints */
        char **uses;            /* LearnedUses */
        char **capabilities;    /* LearnedCapabilities: held; the caller narrows them by re-running */
} LearnRecord;

/* Whether the caller gave the property already: it is not proposed again. */
typedef bool (*LearnGiven)(const char *name, void *userdata);

/* "none", "loopback" or "beyond-loopback": where its Internet endpoints were (a bind to a wildcard
 * address counts as beyond, a bind to port 0 as none). */
const char *learn_network_reach(char * const *endpoints);

/* Appends "Name=Value" for: PrivateNetwork=, PrivateDevices= or DevicePolicy=closed with DeviceAllow=,
 * CapabilityBoundingSet= (the held set as is), MemoryDenyWriteExecute=, LockPersonality=,
 * RestrictRealtime=, RestrictSUIDSGID=, RestrictNamespaces=, PrivateIPC=, PrivatePIDs=, ProtectProc=,
 * ProcSubset=, ProtectKernelTunables=, ProtectKernelModules=, ProtectKernelLogs=,
 * ProtectControlGroups=, ProtectClock=, ProtectHostname=, PrivateMounts=, NoNewPrivileges=,
 * SystemCallArchitectures=. -ENOMEM. */
int learn_propose(const LearnRecord *r, LearnGiven given, void *userdata, char ***proposal);

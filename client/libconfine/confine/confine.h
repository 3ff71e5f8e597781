/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libconfine: a GIO client for confined (org.confine.Confine1 on the system bus). */
#pragma once

#include <confine/confine-enums.h>
#include <confine/confine-error.h>
#include <confine/confine-property-builder.h>
#include <confine/confine-job.h>
#include <confine/confine-client.h>
#include <confine/confine-analysis.h>

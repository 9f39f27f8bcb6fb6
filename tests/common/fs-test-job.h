/* fs-test-job.h: running a job to its end from a test
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fs-job.h"

G_BEGIN_DECLS

/* Runs @job in its worker and iterates this thread's default main context
 * (where its signals arrive) until it ends */
gboolean fs_test_run_job (FsJob         *job,
                          GCancellable  *cancellable,
                          GError       **error);

G_END_DECLS

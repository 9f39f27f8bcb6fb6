/* fs-test-job.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fs-test-job.h"

static void
job_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

gboolean
fs_test_run_job (FsJob         *job,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  fs_job_run_async (job, cancellable, job_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return fs_job_run_finish (job, result, error);
}

/* fs-job-view.h: a running job as a banner: step, bytes, speed, time left
 *
 * It follows the job's FsProgress (batched to the main loop), offers
 * Cancel, and at the end says what was written and what skipped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "fs-job.h"

G_BEGIN_DECLS

#define FS_TYPE_JOB_VIEW (fs_job_view_get_type ())
G_DECLARE_FINAL_TYPE (FsJobView, fs_job_view, FS, JOB_VIEW, GtkWidget)

FsJobView  *fs_job_view_new        (void);
/* Property "job": the job to follow, or NULL (the view hides) */
void        fs_job_view_set_job    (FsJobView *self,
                                    FsJob     *job);
FsJob      *fs_job_view_get_job    (FsJobView *self);
/* The step line as shown ("Writing “vm0” — 120 KiB of 1 MiB, 80 KiB/s, 12 s left") */
const char *fs_job_view_get_status (FsJobView *self);

/* Seconds since the job shown started; 0 without one */
double      fs_job_view_get_seconds_running (FsJobView *self);
/* Cancel, as Escape asks for it: at once in a job's first seconds, later
 * only after the user said so in a dialog (closed when the job ends) */
void        fs_job_view_ask_cancel (FsJobView *self);

/* Signal "cancel": the user pressed Cancel, or confirmed it */

G_END_DECLS

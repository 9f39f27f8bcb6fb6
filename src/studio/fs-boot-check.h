/* fs-boot-check.h: after a job reset a board into its firmware, whether
 * it runs
 *
 * Listens to the board's monitor, which takes the port back the moment a
 * job ends, so the boot output is there from its first byte; feeds it to
 * an FsBootLog, and ends as soon as the verdict is known: a failure at
 * once, a running app once it has run for a moment without crashing,
 * and nothing recognisable at the time limit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fs-boot-log.h"
#include "fs-job.h"
#include "fs-monitor.h"
#include "fs-progress.h"

G_BEGIN_DECLS

/* How long a board may take to say anything recognisable */
#define FS_BOOT_CHECK_TIMEOUT_MS   8000
/* A board reset by hand: a person gets to the button */
#define FS_BOOT_CHECK_MANUAL_TIMEOUT_MS 60000
/* How long a started app must run without a crash to count as running */
#define FS_BOOT_CHECK_SETTLE_MS    1000

#define FS_TYPE_BOOT_CHECK (fs_boot_check_get_type ())
G_DECLARE_FINAL_TYPE (FsBootCheck, fs_boot_check, FS, BOOT_CHECK, GObject)

/* On @monitor, which must be running (or paused, and started by the
 * caller right after this) when the check runs */
FsBootCheck *fs_boot_check_new                 (FsMonitor      *monitor);
/* The app the caller wrote: another one starting is a fall-back */
void         fs_boot_check_set_expected_offset (FsBootCheck    *self,
                                                guint32         offset);
/* The job that reset the board: without an expected offset, the app
 * partition its slots say the bootloader picks is expected (when the
 * job knows them when the check runs) */
void         fs_boot_check_set_job             (FsBootCheck    *self,
                                                FsJob          *job);
void         fs_boot_check_set_timeout         (FsBootCheck    *self,
                                                guint           timeout_ms);
/* The step of a job's progress the check stands for: done at the end */
void         fs_boot_check_set_progress        (FsBootCheck    *self,
                                                FsProgress     *progress);
void         fs_boot_check_run_async           (FsBootCheck    *self,
                                                GCancellable   *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer        user_data);
/* The verdict; NULL with FS_ERROR_CANCELLED only */
FsBootLog   *fs_boot_check_run_finish          (FsBootCheck    *self,
                                                GAsyncResult   *result,
                                                GError        **error);

G_END_DECLS

/* fs-board-session-private.h: what fs-board-session.c (the board, its
 * state, running jobs and checking the boot) and fs-board-session-steps.c
 * (each step's job and what it leaves in the record) share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fs-board-session.h"
#include "fs-boot-check.h"

G_BEGIN_DECLS

/* What the record's upload list says a Virtualize was */
#define FS_VIRTUALIZE_PREFIX "Virtualize: "

struct _FsBoardSession
{
  GObject           parent_instance;

  FsPortInfo       *port;
  FsDeviceRegistry *registry;
  FsTransport      *transport;
  FsMonitor        *monitor;
  FsBoardProfile   *profile;
  FsDeviceRecord   *record;
  FsJob            *job;
  FsJob            *last_job;
  FsJob            *slot_job;
  FsBootLog        *boot;
  gint              previous_slot;
  guint             baud;
  char             *stub_path;
};

typedef struct _StepData StepData;

/* Called when a step's job succeeded (and, for a job that resets the
 * board into its firmware, after the boot check: data->boot) */
typedef void (*FsStepDoneFunc) (FsBoardSession *self,
                                StepData       *data,
                                GTask          *task);

struct _StepData
{
  FsJob          *job;
  FsStepDoneFunc  done;
  char           *text;            /* what the step needs afterwards: a nickname, a title */
  gboolean        check_boot;
  guint32         expected_offset; /* the app the step wrote, G_MAXUINT32: any */
  FsBootCheck    *check;
  FsBootLog      *boot;            /* the boot check's verdict */
  gboolean        stop_monitor;    /* started for the check only */
};

/* The USB serial number a record remembers, or the virtual board's port */
const char *fs_board_session_port_key    (FsPortInfo          *port);
StepData *fs_board_session_step_data_new (const char          *text);
FsJob    *fs_board_session_new_job       (FsBoardSession      *self,
                                          FsJobKind            kind);
/* Runs @data's job; @done takes over the task when it succeeds. With
 * @data->check_boot the job ends with a boot check. */
void      fs_board_session_run_step      (FsBoardSession      *self,
                                          FsJob               *job,
                                          FsStepDoneFunc       done,
                                          StepData            *data,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
void      fs_board_session_fail_now      (FsBoardSession      *self,
                                          GError              *error,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
/* Saves the record (a failure is a warning) and tells about it */
void      fs_board_session_save_record   (FsBoardSession      *self);
void      fs_board_session_set_record    (FsBoardSession      *self,
                                          FsDeviceRecord      *record);
void      fs_board_session_set_slot_job  (FsBoardSession      *self,
                                          FsJob               *job);
/* The record's kind of FsDeviceBoot for @log (NULL: not checked) */
void      fs_board_session_boot_to_record (FsBoardSession     *self,
                                           FsBootLog          *log,
                                           FsDeviceBoot       *boot);

G_END_DECLS

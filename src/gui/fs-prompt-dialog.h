/* fs-prompt-dialog.h: what the user must do to the board, step by step
 *
 * Shown for a job's "prompt": the profile's numbered steps and a spinner
 * while the job keeps trying; on "prompt-done" it says "Board detected"
 * and closes by itself. Cancel cancels the job.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "fs-job.h"

G_BEGIN_DECLS

#define FS_TYPE_PROMPT_DIALOG (fs_prompt_dialog_get_type ())
G_DECLARE_FINAL_TYPE (FsPromptDialog, fs_prompt_dialog, FS, PROMPT_DIALOG, AdwWindow)

FsPromptDialog *fs_prompt_dialog_new (FsJob              *job,
                                      FsJobPromptKind     kind,
                                      const char         *title,
                                      const char * const *steps,
                                      GCancellable       *cancellable);

G_END_DECLS

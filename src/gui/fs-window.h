/* fs-window.h: the studio window
 *
 * The header bar holds the board selector (the detected boards, live),
 * the baud, the primary button whose action follows the selected board's
 * step (Register → Create VM → Virtualize → Upload) and the board menu
 * (Backup, Restore, Erase, Board info). A running job shows as a banner;
 * prompts for the user open as dialogs that close by themselves.
 *
 * Actions (win.*): primary, register, create-vm, virtualize, upload,
 * upload-file (s: a path, as the file chooser gives it), backup, restore,
 * erase, board-info, cancel, resume, select-port (s: a port name).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "fs-application.h"
#include "fs-board-session.h"

G_BEGIN_DECLS

#define FS_TYPE_WINDOW (fs_window_get_type ())
G_DECLARE_FINAL_TYPE (FsWindow, fs_window, FS, WINDOW, AdwApplicationWindow)

FsWindow       *fs_window_new         (FsApplication *application);
/* Property "session": the selected board, or NULL when there is none */
FsBoardSession *fs_window_get_session (FsWindow      *self);

G_END_DECLS

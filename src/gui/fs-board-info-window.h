/* fs-board-info-window.h: what a board is (its profile) and what it holds
 *
 * The profile's device summary, layouts, missing features and vendor
 * link; with a registered board, its chip facts and backups too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "fs-board-session.h"

G_BEGIN_DECLS

#define FS_TYPE_BOARD_INFO_WINDOW (fs_board_info_window_get_type ())
G_DECLARE_FINAL_TYPE (FsBoardInfoWindow, fs_board_info_window, FS, BOARD_INFO_WINDOW, AdwWindow)

FsBoardInfoWindow *fs_board_info_window_new (FsBoardSession *session);

G_END_DECLS

/* fs-sim-profile.h: a virtual board built after a board profile
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fs-sim-board.h"

G_BEGIN_DECLS

/* Sets @options' flash size and reset circuit from the profile @board_id
 * (shipped, or the user's own in g_get_user_config_dir()/flash-studio/boards);
 * FS_ERROR_NOT_FOUND when there is no such board */
gboolean fs_sim_board_options_apply_profile (FsSimBoardOptions  *options,
                                             const char         *board_id,
                                             GError            **error);

G_END_DECLS

/* fs-sim-profile.h: a virtual board built after a board profile
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fs-sim-board.h"

G_BEGIN_DECLS

/* Espressif's OUI, which every virtual board's MAC starts with */
#define FS_SIM_MAC_OUI "24:0a:c4"

/* Sets @options' flash size, reset circuit and MAC from the profile
 * @board_id (shipped, or the user's own in
 * g_get_user_config_dir()/flash-studio/boards); FS_ERROR_NOT_FOUND when
 * there is no such board */
gboolean fs_sim_board_options_apply_profile (FsSimBoardOptions  *options,
                                             const char         *board_id,
                                             GError            **error);

/* The MAC of the virtual board of @board_id: Espressif's OUI and three
 * bytes of the id's SHA-256, so that each board has its own, the same on
 * every run and every machine (the studio keys its records by MAC) */
void     fs_sim_board_mac_for_id            (const char         *board_id,
                                             guint8              mac[6]);
/* The same as "24:0a:c4:xx:xx:xx", as records and the command line write it */
char    *fs_sim_board_format_mac_for_id     (const char         *board_id);

G_END_DECLS

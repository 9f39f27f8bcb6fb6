/* fs-sim-profile.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "fs-board-catalog.h"
#include "fs-error.h"
#include "fs-sim-profile.h"

gboolean
fs_sim_board_options_apply_profile (FsSimBoardOptions  *options,
                                    const char         *board_id,
                                    GError            **error)
{
  g_autofree char *user_dir = g_build_filename (g_get_user_config_dir (), "flash-studio", "boards", NULL);
  g_autoptr(FsBoardCatalog) catalog = fs_board_catalog_new (user_dir);
  FsBoardProfile *profile = fs_board_catalog_lookup (catalog, board_id);

  if (profile == NULL)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_NOT_FOUND,
                   _("there is no board “%s” (“flash-studio-cli boards” lists them)"), board_id);
      return FALSE;
    }
  options->flash_size = fs_board_profile_get_flash_size (profile);
  options->has_reset_lines = fs_board_profile_get_reset_method (profile) == FS_BOARD_RESET_AUTO;
  return TRUE;
}

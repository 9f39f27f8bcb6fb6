/* fs-sim-profile.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "fs-board-catalog.h"
#include "fs-device-record.h"
#include "fs-error.h"
#include "fs-sim-profile.h"

#include <string.h>

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
  fs_sim_board_mac_for_id (board_id, options->chip.mac);
  options->has_reset_lines = fs_board_profile_get_reset_method (profile) == FS_BOARD_RESET_AUTO;
  options->hold_button = fs_board_profile_get_hold_button (profile) != NULL;
  return TRUE;
}

void
fs_sim_board_mac_for_id (const char *board_id,
                         guint8      mac[6])
{
  static const guint8 oui[3] = { 0x24, 0x0a, 0xc4 };
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize length = sizeof digest;

  g_return_if_fail (board_id != NULL);

  g_checksum_update (checksum, (const guchar *) board_id, -1);
  g_checksum_get_digest (checksum, digest, &length);
  memcpy (mac, oui, sizeof oui);
  memcpy (mac + 3, digest, 3);
}

char *
fs_sim_board_format_mac_for_id (const char *board_id)
{
  guint8 mac[6];

  fs_sim_board_mac_for_id (board_id, mac);
  return fs_device_mac_from_bytes (mac);
}

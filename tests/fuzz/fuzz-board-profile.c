/* fuzz-board-profile.c: board profile files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>
#include <string.h>

#include "fs-board-profile.h"
#include "fs-layout.h"
#include "fuzz.h"

#define ORIGIN "fuzz.board"

static guint
count_lines (const uint8_t *data,
             size_t         size)
{
  guint lines = 1;

  for (size_t i = 0; i < size; i++)
    if (data[i] == '\n')
      lines++;
  return lines;
}

/* Every error says where: "fuzz.board:LINE: …" with a line the input has,
 * or "fuzz.board: …" for what is missing from the whole file */
static void
check_error (const GError  *error,
             const uint8_t *data,
             size_t         size)
{
  const char *rest;

  g_assert (g_str_has_prefix (error->message, ORIGIN ":"));
  rest = error->message + strlen (ORIGIN ":");
  if (g_ascii_isdigit (*rest))
    {
      guint64 line = g_ascii_strtoull (rest, NULL, 10);
      g_assert (line >= 1 && line <= count_lines (data, size));
    }
  else
    g_assert (*rest == ' ');
}

static void
check_profile (FsBoardProfile *profile)
{
  const char * const *layouts = fs_board_profile_get_layouts (profile);
  const char * const *summary = fs_board_profile_get_summary (profile);
  guint64 flash_size = fs_board_profile_get_flash_size (profile);

  g_assert (*fs_board_profile_get_id (profile) != '\0');
  g_assert (*fs_board_profile_get_name (profile) != '\0');
  g_assert (*fs_board_profile_get_vendor (profile) != '\0');
  g_assert (fs_chip_lookup (fs_board_profile_get_chip (profile)) != NULL);
  g_assert (flash_size != 0 && (flash_size & (flash_size - 1)) == 0);
  g_assert (fs_board_profile_get_default_baud (profile) <= fs_board_profile_get_max_baud (profile));
  g_assert (fs_board_reset_method_to_string (fs_board_profile_get_reset_method (profile)) != NULL);
  if (fs_board_profile_get_reset_method (profile) == FS_BOARD_RESET_MANUAL)
    g_assert (fs_board_profile_get_steps (profile)[0] != NULL);
  g_assert (fs_board_profile_get_missing_features (profile) != NULL);

  for (guint i = 0; layouts[i] != NULL; i++)
    {
      g_autoptr(FsLayout) layout = fs_layout_new_builtin (layouts[i], NULL);
      g_assert (layout != NULL);
      g_assert (fs_layout_get_flash_size (layout) <= flash_size);
    }
  for (guint i = 0; summary[i] != NULL; i++)
    g_assert (strstr (summary[i], ": ") != NULL);

  /* A board matches the bridges it lists, with or without their product */
  for (guint i = 0; i < fs_board_profile_get_n_bridges (profile); i++)
    {
      const FsUsbBridge *bridge = fs_board_profile_get_bridge (profile, i);

      g_assert (bridge->description != NULL);
      g_assert (fs_board_profile_matches_usb (profile, bridge->vid, bridge->pid, bridge->product));
      g_assert (fs_board_profile_matches_usb (profile, bridge->vid, bridge->pid, NULL));
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsBoardProfile) profile = fs_board_profile_new_from_data ((const char *) data, size, ORIGIN, &error);

  if (profile == NULL)
    check_error (error, data, size);
  else
    check_profile (profile);
  return 0;
}

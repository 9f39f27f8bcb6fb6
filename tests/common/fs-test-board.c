/* fs-test-board.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>

#include "fs-test-board.h"

#define FLASH_NAME "flash.bin"

static FsSimBoard *
new_board (char     **dir,
           gboolean   instant)
{
  g_auto(FsSimBoardOptions) options = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *flash_path = NULL;
  FsSimBoard *board;

  *dir = g_dir_make_tmp ("fs-test-board-XXXXXX", &error);
  g_assert_no_error (error);
  flash_path = g_build_filename (*dir, FLASH_NAME, NULL);
  fs_sim_board_options_init_default (&options, flash_path);
  options.flash_size = 4 * 1024 * 1024;
  options.instant = instant;
  board = fs_sim_board_new (&options, &error);
  g_assert_no_error (error);
  return board;
}

FsSimBoard *
fs_test_board_new (char **dir)
{
  return new_board (dir, TRUE);
}

FsSimBoard *
fs_test_board_new_timed (char **dir)
{
  return new_board (dir, FALSE);
}

void
fs_test_board_remove_dir (char *dir)
{
  g_autofree char *flash_path = g_build_filename (dir, FLASH_NAME, NULL);

  g_remove (flash_path);
  g_rmdir (dir);
  g_free (dir);
}

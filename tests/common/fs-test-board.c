/* fs-test-board.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>

#include "fs-flash.h"
#include "fs-test-board.h"

#define FLASH_NAME "flash.bin"
#define DEFAULT_FLASH_SIZE (4 * 1024 * 1024)

static FsSimBoard *
new_board (char     **dir,
           guint64    flash_size,
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
  options.flash_size = flash_size;
  options.instant = instant;
  board = fs_sim_board_new (&options, &error);
  g_assert_no_error (error);
  return board;
}

FsSimBoard *
fs_test_board_new (char **dir)
{
  return new_board (dir, DEFAULT_FLASH_SIZE, TRUE);
}

FsSimBoard *
fs_test_board_new_sized (char    **dir,
                         guint64   flash_size)
{
  return new_board (dir, flash_size, TRUE);
}

FsSimBoard *
fs_test_board_new_timed (char **dir)
{
  return new_board (dir, DEFAULT_FLASH_SIZE, FALSE);
}

void
fs_test_board_remove_dir (char *dir)
{
  g_autofree char *flash_path = g_build_filename (dir, FLASH_NAME, NULL);

  g_remove (flash_path);
  g_rmdir (dir);
  g_free (dir);
}

GByteArray *
fs_test_board_read_until_quiet (FsSimBoard *board,
                                guint       quiet_ms)
{
  GByteArray *received = g_byte_array_new ();
  guint8 buffer[4096];
  gssize n;

  while ((n = fs_sim_board_read (board, buffer, sizeof buffer, quiet_ms, NULL, NULL)) > 0)
    g_byte_array_append (received, buffer, n);
  return received;
}

char *
fs_test_board_read_text (FsSimBoard *board,
                         guint       quiet_ms)
{
  GByteArray *bytes = fs_test_board_read_until_quiet (board, quiet_ms);

  g_byte_array_append (bytes, (const guint8 *) "", 1);
  return (char *) g_byte_array_free (bytes, FALSE);
}

void
fs_test_board_hold_reset (FsSimBoard *board,
                          gboolean    held)
{
  fs_sim_board_set_lines (board, FALSE, held);
  g_assert_true (fs_sim_board_wait_mode (board, held ? FS_SIM_MODE_RESET : FS_SIM_MODE_RUN, 2000));
  if (held)
    g_byte_array_unref (fs_test_board_read_until_quiet (board, 50));
}

void
fs_test_board_write_flash (FsSimBoard *board,
                           guint32     offset,
                           GBytes     *bytes)
{
  FsSimFlash *flash = fs_sim_board_get_flash (board);
  gsize len = g_bytes_get_size (bytes);
  guint32 sectors = (len + FS_FLASH_SECTOR_SIZE - 1) / FS_FLASH_SECTOR_SIZE * FS_FLASH_SECTOR_SIZE;
  g_autoptr(GError) error = NULL;

  fs_sim_flash_erase (flash, offset, sectors, &error);
  g_assert_no_error (error);
  fs_sim_flash_program (flash, offset, g_bytes_get_data (bytes, NULL), len, &error);
  g_assert_no_error (error);
}

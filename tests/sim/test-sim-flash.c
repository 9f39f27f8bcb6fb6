/* test-sim-flash.c: the virtual board's NOR flash
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <string.h>
#include <glib/gstdio.h>

#include "fs-error.h"
#include "fs-sim-flash.h"

#define MiB (1024u * 1024u)

typedef struct {
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->dir = g_dir_make_tmp ("fs-sim-flash-XXXXXX", NULL);
  fixture->path = g_build_filename (fixture->dir, "flash.bin", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_remove (fixture->path);
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static void
test_new_is_erased (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsSimFlash) flash = fs_sim_flash_new (fixture->path, 4 * MiB, &error);
  const guint8 *data;
  GStatBuf info;

  g_assert_no_error (error);
  g_assert_cmpuint (fs_sim_flash_get_size (flash), ==, 4 * MiB);
  data = fs_sim_flash_get_data (flash);
  for (gsize i = 0; i < 4 * MiB; i += 4093)
    g_assert_cmphex (data[i], ==, 0xFF);
  g_assert_cmpint (g_stat (fixture->path, &info), ==, 0);
  g_assert_cmpint (info.st_size, ==, 4 * MiB);
}

static void
test_program_clears_bits_only (Fixture       *fixture,
                               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsSimFlash) flash = fs_sim_flash_new (fixture->path, 4 * MiB, &error);
  const guint8 first[] = { 0xF0, 0x0F, 0xAA };
  const guint8 second[] = { 0x3C, 0xFF, 0x55 };
  const guint8 *data = fs_sim_flash_get_data (flash);

  g_assert_true (fs_sim_flash_program (flash, 0x1000, first, sizeof first, &error));
  g_assert_true (fs_sim_flash_program (flash, 0x1000, second, sizeof second, &error));
  g_assert_no_error (error);
  /* Programming over programmed bytes ANDs them, as on a real chip */
  g_assert_cmphex (data[0x1000], ==, 0x30);
  g_assert_cmphex (data[0x1001], ==, 0x0F);
  g_assert_cmphex (data[0x1002], ==, 0x00);

  g_assert_true (fs_sim_flash_erase (flash, 0x1000, 0x1000, &error));
  g_assert_cmphex (data[0x1000], ==, 0xFF);
  g_assert_cmphex (data[0x1002], ==, 0xFF);
}

static void
test_persists (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len = 0;

  {
    g_autoptr(FsSimFlash) flash = fs_sim_flash_new (fixture->path, 4 * MiB, &error);
    g_assert_true (fs_sim_flash_program (flash, 0x3FFFFC, (const guint8 *) "tail", 4, &error));
    g_assert_true (fs_sim_flash_sync (flash, &error));
  }
  g_assert_true (g_file_get_contents (fixture->path, &contents, &len, &error));
  g_assert_cmpuint (len, ==, 4 * MiB);
  g_assert_cmpmem (contents + 0x3FFFFC, 4, "tail", 4);

  {
    g_autoptr(FsSimFlash) again = fs_sim_flash_new (fixture->path, 4 * MiB, &error);
    g_assert_no_error (error);
    g_assert_cmpmem (fs_sim_flash_get_data (again) + 0x3FFFFC, 4, "tail", 4);
  }
}

static void
test_errors (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(GError) size_error = NULL;
  g_autoptr(GError) mismatch_error = NULL;
  g_autoptr(GError) align_error = NULL;
  g_autoptr(GError) range_error = NULL;
  g_autoptr(FsSimFlash) bad = fs_sim_flash_new (fixture->path, 3 * MiB, &size_error);
  g_autoptr(FsSimFlash) flash = fs_sim_flash_new (fixture->path, 4 * MiB, NULL);
  g_autoptr(FsSimFlash) other = fs_sim_flash_new (fixture->path, 8 * MiB, &mismatch_error);
  g_autofree char *expected = g_strdup_printf ("%s: the flash file has 4194304 bytes, not the 8 MiB of this board", fixture->path);

  g_assert_null (bad);
  g_assert_error (size_error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT);
  g_assert_null (other);
  g_assert_error (mismatch_error, FS_ERROR, FS_ERROR_INVALID_DATA);
  g_assert_cmpstr (mismatch_error->message, ==, expected);

  g_assert_false (fs_sim_flash_erase (flash, 0x1800, 0x1000, &align_error));
  g_assert_error (align_error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT);
  g_assert_false (fs_sim_flash_program (flash, 4 * MiB - 2, (const guint8 *) "abcd", 4, &range_error));
  g_assert_error (range_error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT);
}

static void
test_jedec_and_costs (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(FsSimFlash) flash = fs_sim_flash_new (fixture->path, 8 * MiB, NULL);
  FsSimFlashTiming timing;

  /* Winbond W25Q64: EF 40 17, as esptool prints "Manufacturer: ef Device: 4017" */
  g_assert_cmphex (fs_sim_flash_get_jedec_id (flash), ==, 0x1740EF);

  fs_sim_flash_timing_init_default (&timing);
  /* 0x1000–0x20000: 15 sectors up to the first block boundary, then one block */
  g_assert_cmpuint (fs_sim_flash_erase_cost (flash, 0x1000, 0x1F000), ==,
                    15 * timing.sector_erase_us + timing.block_erase_us);
  g_assert_cmpuint (fs_sim_flash_erase_cost (flash, 0, 8 * MiB), ==, timing.chip_erase_us);
  g_assert_cmpuint (fs_sim_flash_program_cost (flash, 1024 * 1024), ==, 4096 * timing.page_program_us);
  g_assert_cmpuint (fs_sim_flash_program_cost (flash, 1), ==, timing.page_program_us);

  timing.page_program_us = 0;
  fs_sim_flash_set_timing (flash, &timing);
  g_assert_cmpuint (fs_sim_flash_program_cost (flash, 4096), ==, 0);
}

static void
test_timing_parse (void)
{
  static const char *bad[] = { "", "sector", "sector=", "sector=45", "sector=45min", "disk=1ms", "page=-1us",
                               "chip=99999999999s" };
  FsSimFlashTiming timing;
  FsSimFlashTiming defaults;
  g_autoptr(GError) error = NULL;

  fs_sim_flash_timing_init_default (&defaults);
  timing = defaults;
  g_assert_true (fs_sim_flash_timing_parse (&timing, "sector=30ms, page=1ms,chip=10s", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (timing.sector_erase_us, ==, 30000);
  g_assert_cmpuint (timing.page_program_us, ==, 1000);
  g_assert_cmpuint (timing.chip_erase_us, ==, 10000000);
  g_assert_cmpuint (timing.block_erase_us, ==, defaults.block_erase_us);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) bad_error = NULL;

      timing = defaults;
      g_assert_false (fs_sim_flash_timing_parse (&timing, bad[i], &bad_error));
      g_assert_error (bad_error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT);
      g_assert_cmpmem (&timing, sizeof timing, &defaults, sizeof defaults);
    }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sim-flash/new-is-erased", Fixture, NULL, fixture_set_up, test_new_is_erased, fixture_tear_down);
  g_test_add ("/sim-flash/program-clears-bits-only", Fixture, NULL, fixture_set_up, test_program_clears_bits_only, fixture_tear_down);
  g_test_add ("/sim-flash/persists", Fixture, NULL, fixture_set_up, test_persists, fixture_tear_down);
  g_test_add ("/sim-flash/errors", Fixture, NULL, fixture_set_up, test_errors, fixture_tear_down);
  g_test_add_func ("/sim-flash/timing-parse", test_timing_parse);
  g_test_add ("/sim-flash/jedec-and-costs", Fixture, NULL, fixture_set_up, test_jedec_and_costs, fixture_tear_down);

  return g_test_run ();
}

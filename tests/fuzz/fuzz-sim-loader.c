/* fuzz-sim-loader.c: the virtual board's loader, fed any frames at all
 *
 * The first byte chooses the options (bit 0: compressed spill, bit 1: the
 * stub hangs, bit 2: start with a stub running); the rest is frames, each
 * a length byte followed by that many bytes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>
#include <glib/gstdio.h>

#include "fs-packet.h"
#include "fs-sim-loader.h"
#include "fuzz.h"

#define FLASH_SIZE (4 * 1024 * 1024)

/* One flash for all runs: a 4 MiB file is too slow to create for each.
 * The file is unlinked at once; the mapping stays. */
static FsSimFlash *
shared_flash (void)
{
  static FsSimFlash *flash = NULL;

  if (flash == NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *dir = g_dir_make_tmp ("fuzz-sim-loader-XXXXXX", &error);
      g_autofree char *path = NULL;

      g_assert_no_error (error);
      path = g_build_filename (dir, "flash.bin", NULL);
      flash = fs_sim_flash_new (path, FLASH_SIZE, &error);
      g_assert_no_error (error);
      g_unlink (path);
      g_rmdir (dir);
    }
  return flash;
}

static void
feed (FsSimLoader        *loader,
      GBytes             *frame,
      FsSimLoaderEffects *effects)
{
  g_autoptr(GPtrArray) replies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (frame, &len);

  fs_sim_loader_handle_frame (loader, data, len, replies, effects);
  g_bytes_unref (frame);
}

static void
upload_stub (FsSimLoader        *loader,
             FsSimLoaderEffects *effects)
{
  static const guint8 text[64] = { 0x36, 0x41 };
  const guint32 begin[] = { sizeof text, 1, 0x1800, 0x40080000 };
  const guint32 end[] = { 0, 0x40080000 };

  feed (loader, fs_packet_words_command_new (FS_OP_MEM_BEGIN, begin, 4), effects);
  feed (loader, fs_packet_data_command_new (FS_OP_MEM_DATA, 0, text, sizeof text), effects);
  feed (loader, fs_packet_words_command_new (FS_OP_MEM_END, end, 2), effects);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static gboolean dirty = TRUE;
  FsSimFlash *flash = shared_flash ();
  g_autoptr(FsSimChip) chip = NULL;
  g_autoptr(FsSimLoader) loader = NULL;
  FsSimLoaderEffects effects;
  FsSimChipConfig config;
  const guint8 mac[6] = { 0x24, 0x0A, 0xC4, 0x00, 0x00, 0x01 };
  gsize pos = 1;

  if (size == 0)
    return 0;
  if (dirty)
    {
      g_assert_true (fs_sim_flash_erase (flash, 0, FLASH_SIZE, NULL));
      dirty = FALSE;
    }

  fs_sim_chip_config_init_default (&config, mac);
  chip = fs_sim_chip_new (&config, flash);
  loader = fs_sim_loader_new (chip, flash);
  fs_sim_loader_set_compressed_spill (loader, (data[0] & 1) != 0);
  fs_sim_loader_set_stub_hangs (loader, (data[0] & 2) != 0);
  if ((data[0] & 4) != 0)
    {
      upload_stub (loader, &effects);
      g_assert_cmpint (fs_sim_loader_get_mode (loader), ==,
                       (data[0] & 2) != 0 ? FS_SIM_LOADER_ROM : FS_SIM_LOADER_STUB);
    }

  while (pos < size)
    {
      gsize len = MIN (data[pos], size - pos - 1);
      g_autoptr(GPtrArray) replies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

      fs_sim_loader_handle_frame (loader, data + pos + 1, len, replies, &effects);
      pos += 1 + len;

      if (effects.flash_written > 0 || effects.busy_us > 0)
        dirty = TRUE;
      g_assert_cmpuint (effects.flash_written, <=, FLASH_SIZE);
      /* Nothing goes back as an empty frame */
      for (guint i = 0; i < replies->len; i++)
        g_assert_cmpuint (g_bytes_get_size (g_ptr_array_index (replies, i)), >, 0);
    }

  fs_sim_loader_reset (loader);
  g_assert_cmpint (fs_sim_loader_get_mode (loader), ==, FS_SIM_LOADER_ROM);
  g_assert_cmpuint (fs_sim_flash_get_size (flash), ==, FLASH_SIZE);
  return 0;
}

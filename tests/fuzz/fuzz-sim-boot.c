/* fuzz-sim-boot.c: the virtual board booting whatever its flash holds
 *
 * The input is three pieces, each after a 16-bit little-endian length:
 * what lies at 0x1000 (the bootloader), at 0x8000 (the partition table)
 * and at 0xD000 (otadata), then the rest at 0x10000 (the first app).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib.h>

#include "fs-sim-boot.h"
#include "fuzz.h"

#define FLASH_SIZE (1024 * 1024)

static const guint32 piece_offsets[] = { 0x1000, 0x8000, 0xD000 };

static gsize
place (guint8        *flash,
       guint32        offset,
       guint32        room,
       const uint8_t *data,
       gsize          size)
{
  gsize n = MIN (size, room);

  memcpy (flash + offset, data, n);
  return n;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static guint8 flash[FLASH_SIZE];
  FsSimChipConfig chip;
  static const guint8 mac[6] = { 0x24, 0x0A, 0xC4, 0x00, 0x00, 0x01 };
  g_autoptr(FsSimBoot) boot = NULL;

  memset (flash, 0xFF, sizeof flash);
  for (guint i = 0; i < G_N_ELEMENTS (piece_offsets); i++)
    {
      guint32 room = (i + 1 < G_N_ELEMENTS (piece_offsets) ? piece_offsets[i + 1] : 0x10000) - piece_offsets[i];
      gsize len;

      if (size < 2)
        break;
      len = MIN ((gsize) (data[0] | data[1] << 8), size - 2);
      place (flash, piece_offsets[i], room, data + 2, len);
      data += 2 + len;
      size -= 2 + len;
    }
  place (flash, 0x10000, FLASH_SIZE - 0x10000, data, size);

  fs_sim_chip_config_init_default (&chip, mac);
  boot = fs_sim_boot_run (flash, sizeof flash, &chip, FS_SIM_RESET_POWERON);
  g_assert (boot->log != NULL && g_str_has_suffix (boot->log, "\r\n"));
  g_assert (g_utf8_validate (boot->log, -1, NULL));
  for (guint i = 0; i < boot->app_lines->len; i++)
    g_assert (g_utf8_validate (g_ptr_array_index (boot->app_lines, i), -1, NULL));
  return 0;
}

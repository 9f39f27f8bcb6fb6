/* fuzz-sim-boot.c: the virtual board booting whatever its flash holds
 *
 * The input is three pieces, each after a 16-bit little-endian length:
 * what lies at 0x1000 (the bootloader), at 0x8000 (the partition table)
 * and at 0xD000 (otadata), then the rest at 0x10000 (the first app). A
 * table may put a bytecode slot (data, 0x40) anywhere in the flash: the
 * app then runs what it holds.
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

static void
assert_text (const char *text)
{
  g_assert (text == NULL || g_utf8_validate (text, -1, NULL));
  g_assert (text == NULL || strpbrk (text, "\r\n") == NULL);
}

/* What the app prints is text, one line each, whatever its strings hold */
static void
check_app (FsSimBoot *boot)
{
  FsSimApp *app = boot->app;
  g_autofree char *end_text = NULL;

  g_assert (boot->app_running || fs_sim_app_is_empty (app));
  for (guint i = 0; i < app->lines->len; i++)
    assert_text (g_ptr_array_index (app->lines, i));
  assert_text (app->repeat_line);
  assert_text (app->no_program);
  assert_text (app->exception);
  g_assert ((app->end == FS_SIM_APP_PANICS) == (app->exception != NULL));
  if (!boot->app_running)
    return;
  g_assert (strlen (boot->elf_sha256) == 9);
  end_text = fs_sim_app_dup_end_text (app, boot->elf_sha256);
  g_assert ((end_text == NULL) == (app->end == FS_SIM_APP_RUNS));
  g_assert (end_text == NULL || (g_utf8_validate (end_text, -1, NULL) && g_str_has_suffix (end_text, "\r\n")));
  if (app->repeat_line != NULL)
    {
      g_autofree char *line = fs_sim_app_format_repeat (app, G_MAXUINT, G_MAXUINT64);
      assert_text (line);
    }
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
  check_app (boot);
  return 0;
}

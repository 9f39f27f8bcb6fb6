/* fs-chip.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "fs-chip.h"

static const FsChipInfo chips[] = {
  { FS_CHIP_ESP32,    "ESP32",    0x1000 },
  { FS_CHIP_ESP32_S2, "ESP32-S2", 0x1000 },
  { FS_CHIP_ESP32_C3, "ESP32-C3", 0x0000 },
  { FS_CHIP_ESP32_S3, "ESP32-S3", 0x0000 },
  { FS_CHIP_ESP32_C2, "ESP32-C2", 0x0000 },
  { FS_CHIP_ESP32_C6, "ESP32-C6", 0x0000 },
  { FS_CHIP_ESP32_H2, "ESP32-H2", 0x0000 },
};

const FsChipInfo *
fs_chip_lookup (FsChipId id)
{
  for (guint i = 0; i < G_N_ELEMENTS (chips); i++)
    if (chips[i].id == id)
      return &chips[i];
  return NULL;
}

static gboolean
chip_name_equal (const char *known,
                 const char *name)
{
  /* Compare ignoring case and dashes, so "esp32s3" finds "ESP32-S3" */
  while (*known != '\0' || *name != '\0')
    {
      if (*known == '-')
        known++;
      else if (*name == '-')
        name++;
      else if (g_ascii_tolower (*known) != g_ascii_tolower (*name))
        return FALSE;
      else
        known++, name++;
    }
  return TRUE;
}

const FsChipInfo *
fs_chip_lookup_by_name (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (chips); i++)
    if (chip_name_equal (chips[i].name, name))
      return &chips[i];
  return NULL;
}

char *
fs_chip_describe (guint16 id)
{
  const FsChipInfo *info = fs_chip_lookup (id);

  if (info != NULL)
    return g_strdup (info->name);
  return g_strdup_printf (_("chip id 0x%04x"), id);
}

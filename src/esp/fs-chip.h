/* fs-chip.h: the chips Flash Studio knows, as data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The chip id of an app image's extended header (ESP-IDF's esp_chip_id_t). */
typedef enum {
  FS_CHIP_ESP32    = 0x0000,
  FS_CHIP_ESP32_S2 = 0x0002,
  FS_CHIP_ESP32_C3 = 0x0005,
  FS_CHIP_ESP32_S3 = 0x0009,
  FS_CHIP_ESP32_C2 = 0x000C,
  FS_CHIP_ESP32_C6 = 0x000D,
  FS_CHIP_ESP32_H2 = 0x0010,
  FS_CHIP_UNKNOWN  = 0xFFFF,
} FsChipId;

typedef struct {
  FsChipId    id;
  const char *name;               /* "ESP32-S3": also ESP Web Tools' chipFamily */
  guint32     bootloader_offset;  /* where the second-stage bootloader lives */
} FsChipInfo;

const FsChipInfo *fs_chip_lookup         (FsChipId    id);
/* Case-insensitive, with or without the dash: "ESP32-S3", "esp32s3" */
const FsChipInfo *fs_chip_lookup_by_name (const char *name);
/* A name for messages, also for ids not in the table ("chip id 0x0017") */
char             *fs_chip_describe       (guint16     id);

G_END_DECLS

/* fs-device-record-private.h: what fs-device-record.c (the object) and
 * fs-device-record-json.c (its file format) share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fs-device-record.h"

G_BEGIN_DECLS

/* The format version this code writes; a newer one is refused rather
 * than half read and then overwritten without what it added */
#define RECORD_VERSION 1

struct _FsDeviceRecord
{
  GObject       parent_instance;

  char         *mac;
  char         *nickname;
  char         *board_id;
  char         *layout;
  char         *last_serial;
  FsDeviceChip  chip;           /* chip.name == NULL: not known */
  GPtrArray    *backups;        /* of FsDeviceBackup */
  GPtrArray    *vm_regions;     /* of FsDeviceVmRegion */
  GPtrArray    *uploads;        /* of FsDeviceUpload */
  FsDeviceFirmware firmware;
};

/* 32 lowercase hex digits */
gboolean fs_device_md5_is_valid (const char *md5);

G_END_DECLS

/* fs-otadata.h: the otadata partition, which selects the OTA slot that boots
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define FS_OTADATA_SIZE        0x2000u   /* two sectors, one entry at the start of each */
#define FS_OTADATA_ENTRY_SIZE  32

typedef enum {
  FS_OTA_STATE_NEW            = 0x0,
  FS_OTA_STATE_PENDING_VERIFY = 0x1,
  FS_OTA_STATE_VALID          = 0x2,
  FS_OTA_STATE_INVALID        = 0x3,
  FS_OTA_STATE_ABORTED        = 0x4,
  FS_OTA_STATE_UNDEFINED      = 0xFFFFFFFF,
} FsOtaState;

typedef struct {
  guint32 seq;
  guint8  label[20];
  guint32 state;
  guint32 crc;
} FsOtadataEntry;

/* ESP-IDF's CRC of an entry: CRC-32 of the little-endian sequence number */
guint32  fs_otadata_crc            (guint32               seq);
/* An entry the bootloader would use: sequence set, CRC right, state not
 * invalid or aborted */
gboolean fs_otadata_entry_is_valid (const FsOtadataEntry *entry);

#define FS_TYPE_OTADATA (fs_otadata_get_type ())
G_DECLARE_FINAL_TYPE (FsOtadata, fs_otadata, FS, OTADATA, GObject)

/* Both entries erased (as after erasing the partition): no slot selected */
FsOtadata            *fs_otadata_new              (void);
/* FS_OTADATA_SIZE bytes as read from the partition */
FsOtadata            *fs_otadata_new_from_bytes   (GBytes     *bytes,
                                                   GError    **error);
const FsOtadataEntry *fs_otadata_get_entry        (FsOtadata  *self,
                                                   guint       index);
/* The valid entry with the highest sequence number, or -1 */
gint                  fs_otadata_get_active_entry (FsOtadata  *self);
/* The slot (0 = ota_0) the bootloader boots with @n_slots OTA app
 * partitions, or -1 when no entry is valid (it then boots the factory app,
 * or ota_0 when there is none). */
gint                  fs_otadata_get_boot_slot    (FsOtadata  *self,
                                                   guint       n_slots);
/* Rewrites the entries as ESP-IDF's esp_ota_set_boot_partition() does to
 * boot @slot next; returns the index of the entry it changed (the sector
 * to erase and write), or -1 with FS_ERROR_INVALID_ARGUMENT. */
gint                  fs_otadata_select_slot      (FsOtadata  *self,
                                                   guint       slot,
                                                   guint       n_slots,
                                                   GError    **error);
/* FS_OTADATA_SIZE bytes: each entry at the start of its sector, 0xFF after */
GBytes               *fs_otadata_to_bytes         (FsOtadata  *self);

G_END_DECLS

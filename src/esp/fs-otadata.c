/* fs-otadata.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <zlib.h>

#include "fs-error.h"
#include "fs-flash.h"
#include "fs-otadata.h"

#define N_ENTRIES 2
#define ERASED_SEQ G_MAXUINT32

struct _FsOtadata {
  GObject         parent_instance;

  FsOtadataEntry  entries[N_ENTRIES];
};

G_DEFINE_FINAL_TYPE (FsOtadata, fs_otadata, G_TYPE_OBJECT)

static void
fs_otadata_class_init (FsOtadataClass *klass)
{
}

static void
fs_otadata_init (FsOtadata *self)
{
  /* erased flash */
  memset (self->entries, 0xFF, sizeof (self->entries));
}

static void
put_u32 (guint8  *out,
         guint32  value)
{
  for (guint i = 0; i < 4; i++)
    out[i] = (value >> (8 * i)) & 0xFF;
}

static guint32
get_u32 (const guint8 *in)
{
  return (guint32) in[0] | ((guint32) in[1] << 8) | ((guint32) in[2] << 16) | ((guint32) in[3] << 24);
}

guint32
fs_otadata_crc (guint32 seq)
{
  guint8 bytes[4];

  /* ESP-IDF seeds the ROM's crc32_le with UINT32_MAX, which is what
   * zlib's crc32 does when given 0xFFFFFFFF as the previous value. */
  put_u32 (bytes, seq);
  return crc32 (0xFFFFFFFF, bytes, sizeof (bytes));
}

gboolean
fs_otadata_entry_is_valid (const FsOtadataEntry *entry)
{
  g_return_val_if_fail (entry != NULL, FALSE);

  return entry->seq != ERASED_SEQ &&
         entry->crc == fs_otadata_crc (entry->seq) &&
         entry->state != FS_OTA_STATE_INVALID &&
         entry->state != FS_OTA_STATE_ABORTED;
}

FsOtadata *
fs_otadata_new (void)
{
  return g_object_new (FS_TYPE_OTADATA, NULL);
}

static void
entry_from_bytes (FsOtadataEntry *entry,
                  const guint8   *in)
{
  entry->seq = get_u32 (in);
  memcpy (entry->label, in + 4, sizeof (entry->label));
  entry->state = get_u32 (in + 24);
  entry->crc = get_u32 (in + 28);
}

static void
entry_to_bytes (const FsOtadataEntry *entry,
                guint8               *out)
{
  put_u32 (out, entry->seq);
  memcpy (out + 4, entry->label, sizeof (entry->label));
  put_u32 (out + 24, entry->state);
  put_u32 (out + 28, entry->crc);
}

FsOtadata *
fs_otadata_new_from_bytes (GBytes  *bytes,
                           GError **error)
{
  g_autoptr(FsOtadata) self = NULL;
  const guint8 *data;
  gsize len = 0;

  g_return_val_if_fail (bytes != NULL, NULL);

  data = g_bytes_get_data (bytes, &len);
  if (len != FS_OTADATA_SIZE)
    {
      g_autofree char *size = fs_format_size (len);
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                   _("the otadata partition is %s long instead of 8 KiB"), size);
      return NULL;
    }

  self = fs_otadata_new ();
  for (guint i = 0; i < N_ENTRIES; i++)
    entry_from_bytes (&self->entries[i], data + i * FS_FLASH_SECTOR_SIZE);
  return g_steal_pointer (&self);
}

const FsOtadataEntry *
fs_otadata_get_entry (FsOtadata *self,
                      guint      index)
{
  g_return_val_if_fail (FS_IS_OTADATA (self), NULL);
  g_return_val_if_fail (index < N_ENTRIES, NULL);

  return &self->entries[index];
}

gint
fs_otadata_get_active_entry (FsOtadata *self)
{
  gboolean valid0, valid1;

  g_return_val_if_fail (FS_IS_OTADATA (self), -1);

  valid0 = fs_otadata_entry_is_valid (&self->entries[0]);
  valid1 = fs_otadata_entry_is_valid (&self->entries[1]);
  /* On a tie the bootloader picks the first entry */
  if (valid0 && valid1)
    return self->entries[1].seq > self->entries[0].seq ? 1 : 0;
  if (valid0)
    return 0;
  if (valid1)
    return 1;
  return -1;
}

gint
fs_otadata_get_boot_slot (FsOtadata *self,
                          guint      n_slots)
{
  gint active;

  g_return_val_if_fail (FS_IS_OTADATA (self), -1);

  active = fs_otadata_get_active_entry (self);
  if (active < 0 || n_slots == 0)
    return -1;
  /* unsigned, as in the bootloader: a sequence number of 0 wraps */
  return (self->entries[active].seq - 1) % n_slots;
}

gint
fs_otadata_select_slot (FsOtadata  *self,
                        guint       slot,
                        guint       n_slots,
                        GError    **error)
{
  FsOtadataEntry *entry;
  guint64 seq;
  gint active;
  gint index;

  g_return_val_if_fail (FS_IS_OTADATA (self), -1);

  if (n_slots == 0)
    {
      g_set_error_literal (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
                           _("there is no OTA app partition to boot"));
      return -1;
    }
  if (slot >= n_slots)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
                   g_dngettext (GETTEXT_PACKAGE,
                                "There is no slot ota_%u: the partition table has %u OTA app partition",
                                "There is no slot ota_%u: the partition table has %u OTA app partitions",
                                n_slots),
                   slot, n_slots);
      return -1;
    }

  /* The bootloader boots slot (seq - 1) % n_slots: take the smallest such
   * sequence number not below the active one, in the other entry, so that
   * a power cut while writing it leaves the active entry intact. */
  active = fs_otadata_get_active_entry (self);
  seq = (slot + 1) % n_slots;
  if (active >= 0)
    {
      /* Never 0, which ESP-IDF would write after an active 0: (0 - 1)
       * wraps around and boots some other slot. */
      guint64 current = MAX (self->entries[active].seq, 1);

      if (seq < current)
        seq += (current - seq + n_slots - 1) / n_slots * n_slots;
      index = !active;
    }
  else
    {
      seq = slot + 1;
      index = 0;
    }
  if (seq >= ERASED_SEQ)
    {
      g_set_error_literal (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
                           _("The otadata sequence number has run out; erase the otadata partition to start again"));
      return -1;
    }

  entry = &self->entries[index];
  entry->seq = seq;
  entry->state = FS_OTA_STATE_UNDEFINED;
  entry->crc = fs_otadata_crc (entry->seq);
  return index;
}

GBytes *
fs_otadata_to_bytes (FsOtadata *self)
{
  guint8 *data;

  g_return_val_if_fail (FS_IS_OTADATA (self), NULL);

  data = g_malloc (FS_OTADATA_SIZE);
  memset (data, 0xFF, FS_OTADATA_SIZE);
  for (guint i = 0; i < N_ENTRIES; i++)
    entry_to_bytes (&self->entries[i], data + i * FS_FLASH_SECTOR_SIZE);
  return g_bytes_new_take (data, FS_OTADATA_SIZE);
}

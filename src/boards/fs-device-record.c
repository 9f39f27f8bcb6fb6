/* fs-device-record.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fs-device-record-private.h"
#include "fs-error.h"

G_DEFINE_FINAL_TYPE (FsDeviceRecord, fs_device_record, G_TYPE_OBJECT)

void
fs_device_chip_clear (FsDeviceChip *chip)
{
  g_clear_pointer (&chip->name, g_free);
  g_clear_pointer (&chip->description, g_free);
  memset (chip, 0, sizeof *chip);
}

void
fs_device_backup_free (FsDeviceBackup *backup)
{
  g_free (backup->path);
  g_free (backup->md5);
  g_date_time_unref (backup->date);
  g_free (backup);
}

void
fs_device_vm_region_free (FsDeviceVmRegion *region)
{
  g_free (region->name);
  g_free (region->path);
  g_free (region->md5);
  g_free (region);
}

void
fs_device_boot_clear (FsDeviceBoot *boot)
{
  g_clear_pointer (&boot->state, g_free);
  g_clear_pointer (&boot->text, g_free);
}

static void
boot_copy (FsDeviceBoot       *to,
           const FsDeviceBoot *from)
{
  fs_device_boot_clear (to);
  to->state = g_strdup (from->state);
  to->text = g_strdup (from->text);
}

static void
firmware_clear (FsDeviceFirmware *firmware)
{
  g_clear_pointer (&firmware->title, g_free);
  g_clear_pointer (&firmware->vm_id, g_free);
  g_clear_pointer (&firmware->date, g_date_time_unref);
  fs_device_boot_clear (&firmware->boot);
  firmware->kind = FS_DEVICE_FIRMWARE_UNKNOWN;
}

void
fs_device_upload_free (FsDeviceUpload *upload)
{
  g_date_time_unref (upload->date);
  g_free (upload->what);
  g_free (upload->result);
  fs_device_boot_clear (&upload->boot);
  g_free (upload);
}

gboolean
fs_device_mac_is_valid (const char *mac)
{
  if (mac == NULL || strlen (mac) != 17)
    return FALSE;
  for (guint i = 0; i < 17; i++)
    {
      gboolean ok = i % 3 == 2 ? mac[i] == ':' : (g_ascii_isdigit (mac[i]) || (mac[i] >= 'a' && mac[i] <= 'f'));
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

char *
fs_device_format_date (GDateTime *date)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (date);

  /* TRANSLATORS: when a backup was made or a program uploaded, see the
   * strftime(3) manual; "%-d" is the day without padding */
  return g_date_time_format (local, _("%-d %B %Y, %H:%M"));
}

char *
fs_device_mac_from_bytes (const guint8 mac[6])
{
  return g_strdup_printf ("%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

gboolean
fs_device_md5_is_valid (const char *md5)
{
  if (strlen (md5) != 32)
    return FALSE;
  for (guint i = 0; i < 32; i++)
    if (!g_ascii_isdigit (md5[i]) && !(md5[i] >= 'a' && md5[i] <= 'f'))
      return FALSE;
  return TRUE;
}

static void
fs_device_record_finalize (GObject *object)
{
  FsDeviceRecord *self = FS_DEVICE_RECORD (object);

  g_free (self->mac);
  g_free (self->nickname);
  g_free (self->board_id);
  g_free (self->layout);
  g_free (self->last_serial);
  fs_device_chip_clear (&self->chip);
  g_ptr_array_unref (self->backups);
  g_ptr_array_unref (self->vm_regions);
  g_ptr_array_unref (self->uploads);
  firmware_clear (&self->firmware);

  G_OBJECT_CLASS (fs_device_record_parent_class)->finalize (object);
}

static void
fs_device_record_class_init (FsDeviceRecordClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fs_device_record_finalize;
}

static void
fs_device_record_init (FsDeviceRecord *self)
{
  self->backups = g_ptr_array_new_with_free_func ((GDestroyNotify) fs_device_backup_free);
  self->vm_regions = g_ptr_array_new_with_free_func ((GDestroyNotify) fs_device_vm_region_free);
  self->uploads = g_ptr_array_new_with_free_func ((GDestroyNotify) fs_device_upload_free);
}

FsDeviceRecord *
fs_device_record_new (const char *mac)
{
  FsDeviceRecord *self;

  g_return_val_if_fail (fs_device_mac_is_valid (mac), NULL);

  self = g_object_new (FS_TYPE_DEVICE_RECORD, NULL);
  self->mac = g_strdup (mac);
  return self;
}

/* Getters and setters ---------------------------------------------------- */

/* An empty string is kept as NULL, as the file cannot hold it */
static void
set_text (char       **field,
          const char  *value)
{
  g_free (*field);
  *field = value != NULL && *value != '\0' ? g_strdup (value) : NULL;
}

const char *
fs_device_record_get_mac (FsDeviceRecord *self)
{
  g_return_val_if_fail (FS_IS_DEVICE_RECORD (self), NULL);
  return self->mac;
}

const char *
fs_device_record_get_nickname (FsDeviceRecord *self)
{
  g_return_val_if_fail (FS_IS_DEVICE_RECORD (self), NULL);
  return self->nickname;
}

void
fs_device_record_set_nickname (FsDeviceRecord *self,
                               const char     *nickname)
{
  g_return_if_fail (FS_IS_DEVICE_RECORD (self));
  set_text (&self->nickname, nickname);
}

const char *
fs_device_record_get_board_id (FsDeviceRecord *self)
{
  g_return_val_if_fail (FS_IS_DEVICE_RECORD (self), NULL);
  return self->board_id;
}

void
fs_device_record_set_board_id (FsDeviceRecord *self,
                               const char     *board_id)
{
  g_return_if_fail (FS_IS_DEVICE_RECORD (self));
  set_text (&self->board_id, board_id);
}

const char *
fs_device_record_get_layout (FsDeviceRecord *self)
{
  g_return_val_if_fail (FS_IS_DEVICE_RECORD (self), NULL);
  return self->layout;
}

void
fs_device_record_set_layout (FsDeviceRecord *self,
                             const char     *layout)
{
  g_return_if_fail (FS_IS_DEVICE_RECORD (self));
  set_text (&self->layout, layout);
}

const char *
fs_device_record_get_last_serial (FsDeviceRecord *self)
{
  g_return_val_if_fail (FS_IS_DEVICE_RECORD (self), NULL);
  return self->last_serial;
}

void
fs_device_record_set_last_serial (FsDeviceRecord *self,
                                  const char     *serial)
{
  g_return_if_fail (FS_IS_DEVICE_RECORD (self));
  set_text (&self->last_serial, serial);
}

const FsDeviceChip *
fs_device_record_get_chip (FsDeviceRecord *self)
{
  g_return_val_if_fail (FS_IS_DEVICE_RECORD (self), NULL);
  return self->chip.name != NULL ? &self->chip : NULL;
}

void
fs_device_record_set_chip (FsDeviceRecord     *self,
                           const FsDeviceChip *chip)
{
  g_return_if_fail (FS_IS_DEVICE_RECORD (self));
  g_return_if_fail (chip != NULL && chip->name != NULL);

  fs_device_chip_clear (&self->chip);
  self->chip = *chip;
  self->chip.name = g_strdup (chip->name);
  self->chip.description = g_strdup (chip->description);
}

GPtrArray *
fs_device_record_get_backups (FsDeviceRecord *self)
{
  g_return_val_if_fail (FS_IS_DEVICE_RECORD (self), NULL);
  return self->backups;
}

void
fs_device_record_add_backup (FsDeviceRecord *self,
                             const char     *path,
                             const char     *md5,
                             GDateTime      *date,
                             guint64         size)
{
  FsDeviceBackup *backup;

  g_return_if_fail (FS_IS_DEVICE_RECORD (self));
  g_return_if_fail (path != NULL && *path != '\0');
  g_return_if_fail (md5 != NULL && fs_device_md5_is_valid (md5));
  g_return_if_fail (date != NULL);

  backup = g_new0 (FsDeviceBackup, 1);
  backup->path = g_strdup (path);
  backup->md5 = g_strdup (md5);
  backup->date = g_date_time_ref (date);
  backup->size = size;
  g_ptr_array_add (self->backups, backup);
}

gboolean
fs_device_record_remove_backup (FsDeviceRecord *self,
                                const char     *path)
{
  g_return_val_if_fail (FS_IS_DEVICE_RECORD (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  for (guint i = 0; i < self->backups->len; i++)
    {
      FsDeviceBackup *backup = g_ptr_array_index (self->backups, i);

      if (g_str_equal (backup->path, path))
        {
          g_ptr_array_remove_index (self->backups, i);
          return TRUE;
        }
    }
  return FALSE;
}

GPtrArray *
fs_device_record_get_vm_regions (FsDeviceRecord *self)
{
  g_return_val_if_fail (FS_IS_DEVICE_RECORD (self), NULL);
  return self->vm_regions;
}

void
fs_device_record_add_vm_region (FsDeviceRecord *self,
                                const char     *name,
                                guint32         address,
                                const char     *path,
                                const char     *md5)
{
  FsDeviceVmRegion *region;

  g_return_if_fail (FS_IS_DEVICE_RECORD (self));
  g_return_if_fail (name != NULL && *name != '\0');
  g_return_if_fail (path != NULL && *path != '\0');
  g_return_if_fail (md5 != NULL && fs_device_md5_is_valid (md5));

  region = g_new0 (FsDeviceVmRegion, 1);
  region->name = g_strdup (name);
  region->address = address;
  region->path = g_strdup (path);
  region->md5 = g_strdup (md5);
  g_ptr_array_add (self->vm_regions, region);
}

void
fs_device_record_clear_vm_regions (FsDeviceRecord *self)
{
  g_return_if_fail (FS_IS_DEVICE_RECORD (self));
  g_ptr_array_set_size (self->vm_regions, 0);
}

GPtrArray *
fs_device_record_get_uploads (FsDeviceRecord *self)
{
  g_return_val_if_fail (FS_IS_DEVICE_RECORD (self), NULL);
  return self->uploads;
}

void
fs_device_record_add_upload (FsDeviceRecord *self,
                             GDateTime      *date,
                             const char     *what,
                             const char     *result)
{
  FsDeviceUpload *upload;

  g_return_if_fail (FS_IS_DEVICE_RECORD (self));
  g_return_if_fail (date != NULL);
  g_return_if_fail (what != NULL && *what != '\0');
  g_return_if_fail (result != NULL && *result != '\0');

  upload = g_new0 (FsDeviceUpload, 1);
  upload->date = g_date_time_ref (date);
  upload->what = g_strdup (what);
  upload->result = g_strdup (result);
  g_ptr_array_add (self->uploads, upload);
  if (self->uploads->len > FS_DEVICE_RECORD_MAX_UPLOADS)
    g_ptr_array_remove_range (self->uploads, 0, self->uploads->len - FS_DEVICE_RECORD_MAX_UPLOADS);
}

char *
fs_device_record_dup_vm_id (FsDeviceRecord *self)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_MD5);

  g_return_val_if_fail (FS_IS_DEVICE_RECORD (self), NULL);

  if (self->vm_regions->len == 0)
    return NULL;
  for (guint i = 0; i < self->vm_regions->len; i++)
    {
      const FsDeviceVmRegion *region = g_ptr_array_index (self->vm_regions, i);
      g_autofree char *entry = g_strdup_printf ("%08x %s\n", region->address, region->md5);

      g_checksum_update (checksum, (const guint8 *) entry, strlen (entry));
    }
  return g_strdup (g_checksum_get_string (checksum));
}

void
fs_device_record_set_upload_boot (FsDeviceRecord     *self,
                                  const FsDeviceBoot *boot)
{
  FsDeviceUpload *upload;

  g_return_if_fail (FS_IS_DEVICE_RECORD (self));
  g_return_if_fail (boot != NULL);
  g_return_if_fail (self->uploads->len > 0);

  upload = g_ptr_array_index (self->uploads, self->uploads->len - 1);
  boot_copy (&upload->boot, boot);
}

const FsDeviceFirmware *
fs_device_record_get_firmware (FsDeviceRecord *self)
{
  g_return_val_if_fail (FS_IS_DEVICE_RECORD (self), NULL);
  return &self->firmware;
}

void
fs_device_record_set_firmware (FsDeviceRecord       *self,
                               FsDeviceFirmwareKind  kind,
                               const char           *title,
                               GDateTime            *date)
{
  g_return_if_fail (FS_IS_DEVICE_RECORD (self));
  g_return_if_fail (kind == FS_DEVICE_FIRMWARE_UNKNOWN || date != NULL);

  firmware_clear (&self->firmware);
  self->firmware.kind = kind;
  self->firmware.title = g_strdup (title);
  self->firmware.date = date != NULL ? g_date_time_ref (date) : NULL;
  if (kind == FS_DEVICE_FIRMWARE_VM)
    self->firmware.vm_id = fs_device_record_dup_vm_id (self);
}

void
fs_device_record_set_firmware_boot (FsDeviceRecord     *self,
                                    const FsDeviceBoot *boot)
{
  g_return_if_fail (FS_IS_DEVICE_RECORD (self));
  g_return_if_fail (boot != NULL);
  boot_copy (&self->firmware.boot, boot);
}

static const char * const firmware_kinds[] = {
  [FS_DEVICE_FIRMWARE_UNKNOWN] = "unknown",
  [FS_DEVICE_FIRMWARE_VM] = "vm",
  [FS_DEVICE_FIRMWARE_ERASED] = "erased",
  [FS_DEVICE_FIRMWARE_BACKUP] = "backup",
};

const char *
fs_device_firmware_kind_to_string (FsDeviceFirmwareKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (firmware_kinds), NULL);
  return firmware_kinds[kind];
}

gboolean
fs_device_firmware_kind_from_string (const char           *text,
                                     FsDeviceFirmwareKind *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (firmware_kinds); i++)
    if (g_strcmp0 (text, firmware_kinds[i]) == 0)
      {
        *kind = i;
        return TRUE;
      }
  return FALSE;
}

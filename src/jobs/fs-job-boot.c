/* fs-job-boot.c: before a write, what the board will boot after it
 *
 * The ROM starts the bootloader at the chip's offset, the bootloader
 * checks the partition table against the flash size its own header
 * names, and starts the app that otadata selects. A write that breaks
 * that chain is refused (or, with force, said in a note) before a byte
 * is written: a flasher that reports success on a board that cannot
 * start is the most expensive kind of wrong.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fs-error.h"
#include "fs-flash.h"
#include "fs-image.h"
#include "fs-job-private.h"
#include "fs-otadata.h"

#define BRING_A_BOOTLOADER \
  N_("Bring one with the firmware: a merged image, an ESP Web Tools manifest that has one, or the build " \
     "folder’s bootloader/bootloader.bin at 0x%X.")

static guint32
bootloader_offset (FsJob *self)
{
  const FsChipInfo *info = fs_chip_lookup (self->facts.chip);

  return info != NULL ? info->bootloader_offset : 0x1000;
}

/* The region that writes @offset, or -1 */
static gint
region_at (FsJob   *self,
           guint32  offset)
{
  for (guint i = 0; i < self->regions->len; i++)
    {
      const FsJobRegion *region = fs_job_region (self, i);

      if (offset >= region->offset && offset - region->offset < region->size)
        return i;
    }
  return -1;
}

/* [@offset, @offset + @len) as the board will hold it: the regions'
 * data over what the board holds now (read only when some of it is not
 * written) */
static GBytes *
bytes_after_write (FsJob         *self,
                   FsLoader      *loader,
                   guint32        offset,
                   guint32        len,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GBytes) on_board = NULL;
  guint8 *data;
  gsize covered = 0;

  for (guint i = 0; i < self->regions->len; i++)
    {
      const FsJobRegion *region = fs_job_region (self, i);
      guint64 start = MAX (offset, region->offset);
      guint64 end = MIN ((guint64) offset + len, (guint64) region->offset + region->size);

      if (end > start)
        covered += end - start;
    }
  if (covered < len)
    {
      on_board = fs_loader_read_flash (loader, offset, len, NULL, NULL, cancellable, error);
      if (on_board == NULL)
        return NULL;
      data = g_bytes_unref_to_data (g_steal_pointer (&on_board), &(gsize) { 0 });
    }
  else
    data = g_malloc (len);
  for (guint i = 0; i < self->regions->len; i++)
    {
      const FsJobRegion *region = fs_job_region (self, i);
      const guint8 *src = g_bytes_get_data (fs_job_region_data (self, i), NULL);
      guint64 start = MAX (offset, region->offset);
      guint64 end = MIN ((guint64) offset + len, (guint64) region->offset + region->size);

      if (end > start)
        memcpy (data + (start - offset), src + (start - region->offset), end - start);
    }
  return g_bytes_new_take (data, len);
}

/* The app images the write puts where the bootloader looks for apps:
 * at an app partition of @table (also inside a merged image), or, with
 * no table to go by, any image past the table */
typedef struct {
  const FsJobRegion *region;
  const FsPartition *partition;   /* NULL without a table */
  GBytes            *image;       /* from the image's start to the region's end */
} WrittenApp;

static void
written_app_clear (WrittenApp *app)
{
  g_clear_pointer (&app->image, g_bytes_unref);
}

static void
add_written_app (GArray            *apps,
                 FsJob             *self,
                 guint              index,
                 const FsPartition *partition,
                 guint32            offset)
{
  const FsJobRegion *region = fs_job_region (self, index);
  GBytes *data = fs_job_region_data (self, index);
  WrittenApp app = { region, partition, NULL };

  if (offset < region->offset || offset - region->offset >= region->size ||
      ((const guint8 *) g_bytes_get_data (data, NULL))[offset - region->offset] != FS_IMAGE_MAGIC)
    return;
  app.image = g_bytes_new_from_bytes (data, offset - region->offset, region->size - (offset - region->offset));
  g_array_append_val (apps, app);
}

static GArray *
written_apps (FsJob            *self,
              FsPartitionTable *table)
{
  GArray *apps = g_array_new (FALSE, TRUE, sizeof (WrittenApp));

  g_array_set_clear_func (apps, (GDestroyNotify) written_app_clear);
  for (guint i = 0; i < self->regions->len; i++)
    {
      const FsJobRegion *region = fs_job_region (self, i);

      if (table == NULL)
        {
          if (region->offset > FS_PARTITION_TABLE_OFFSET)
            add_written_app (apps, self, i, NULL, region->offset);
          continue;
        }
      for (guint p = 0; p < fs_partition_table_get_n_partitions (table); p++)
        {
          const FsPartition *partition = fs_partition_table_get_partition (table, p);

          if (partition->type == FS_PARTITION_TYPE_APP)
            add_written_app (apps, self, i, partition, partition->offset);
        }
    }
  return apps;
}

/* Whether the write changes what the board boots: the bootloader, the
 * table, otadata or an app */
static gboolean
touches_boot (FsJob            *self,
              FsPartitionTable *table)
{
  const FsPartition *otadata = table != NULL ? fs_partition_table_find_by_type (table, FS_PARTITION_TYPE_DATA,
                                                                                 FS_PARTITION_SUBTYPE_OTA) : NULL;

  g_autoptr(GArray) apps = written_apps (self, table);

  return apps->len > 0 ||
         region_at (self, bootloader_offset (self)) >= 0 ||
         region_at (self, FS_PARTITION_TABLE_OFFSET) >= 0 ||
         (otadata != NULL && (region_at (self, otadata->offset) >= 0 ||
                              region_at (self, otadata->offset + FS_FLASH_SECTOR_SIZE) >= 0));
}

/* A problem that leaves the board unable to start: refused, unless the
 * job is forced, when it is said and written all the same */
static gboolean
would_not_boot (FsJob    *self,
                gboolean  fatal,
                GError  **error,
                const char *format,
                ...) G_GNUC_PRINTF (4, 5);

static gboolean
would_not_boot (FsJob      *self,
                gboolean    fatal,
                GError    **error,
                const char *format,
                ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (fatal && !self->force)
    {
      g_set_error_literal (error, FS_ERROR, FS_ERROR_WOULD_NOT_BOOT, message);
      return FALSE;
    }
  if (fatal)
    fs_job_emit_note (self, _("Written anyway, as forced: %s"), message);
  else
    fs_job_emit_note (self, "%s", message);
  return TRUE;
}

/* ---- the bootloader ---- */

typedef struct {
  gint     region;      /* the region that writes it, or -1: the board's own */
  GBytes  *bytes;       /* from its offset to the partition table's */
  FsImage *image;       /* NULL when there is none, or it is damaged */
} Bootloader;

static void
bootloader_clear (Bootloader *bootloader)
{
  g_clear_pointer (&bootloader->bytes, g_bytes_unref);
  g_clear_object (&bootloader->image);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Bootloader, bootloader_clear)

/* What is wrong with it, or NULL when it would start */
static char *
bootloader_problem (FsJob      *self,
                    Bootloader *bootloader)
{
  const guint8 *data = g_bytes_get_data (bootloader->bytes, NULL);
  guint32 offset = bootloader_offset (self);
  g_autoptr(GError) error = NULL;

  g_clear_object (&bootloader->image);
  if (data[0] == 0xFF)
    return g_strdup_printf (_("There is no bootloader at 0x%X: the flash is erased there"), offset);
  bootloader->image = fs_image_new_from_bytes (bootloader->bytes, &error);
  if (bootloader->image != NULL &&
      fs_image_validate (bootloader->image, self->facts.chip, 0, 0, &error))
    return NULL;
  g_clear_object (&bootloader->image);
  return g_strdup_printf (_("The bootloader at 0x%X is not valid: %s"), offset, error->message);
}

static gboolean
read_bootloader (FsJob         *self,
                 FsLoader      *loader,
                 Bootloader    *bootloader,
                 GCancellable  *cancellable,
                 GError       **error)
{
  guint32 offset = bootloader_offset (self);

  bootloader->region = region_at (self, offset);
  bootloader->bytes = bytes_after_write (self, loader, offset, FS_PARTITION_TABLE_OFFSET - offset,
                                         cancellable, error);
  return bootloader->bytes != NULL;
}

static gboolean
check_bootloader (FsJob       *self,
                  Bootloader  *bootloader,
                  gboolean     fatal,
                  GError     **error)
{
  g_autofree char *problem = bootloader_problem (self, bootloader);
  g_autofree char *bring = NULL;

  if (problem == NULL)
    return TRUE;
  bring = g_strdup_printf (_(BRING_A_BOOTLOADER), bootloader_offset (self));
  /* Writing a bootloader that cannot start stops the board whatever else is written */
  if (bootloader->region >= 0)
    return would_not_boot (self, TRUE, error, _("%s, so the board could not start. %s"), problem, bring);
  return would_not_boot (self, fatal, error, _("%s, and this write brings none, so the board could not start. %s"),
                         problem, bring);
}

/* ---- its flash size ---- */

/* Where the last partition ends: what the flash must hold at least */
static guint64
table_extent (FsPartitionTable  *table,
              const FsPartition **last)
{
  guint64 extent = 0;

  *last = NULL;
  for (guint i = 0; i < fs_partition_table_get_n_partitions (table); i++)
    {
      const FsPartition *partition = fs_partition_table_get_partition (table, i);

      if ((guint64) partition->offset + partition->size > extent)
        {
          extent = (guint64) partition->offset + partition->size;
          *last = partition;
        }
    }
  return extent;
}

/* The size to set the header to, or 0 to keep it */
static gboolean
wanted_flash_size (FsJob    *self,
                   guint64  *size,
                   GError  **error)
{
  *size = 0;
  switch (self->flash_size_mode)
    {
    case FS_FLASH_SIZE_DETECT:
      *size = self->facts.flash_size;
      if (*size == 0)
        {
          g_set_error (error, FS_ERROR, FS_ERROR_NOT_SUPPORTED,
                       _("The size of the board’s flash could not be detected: give it instead of “detect”"));
          return FALSE;
        }
      return TRUE;
    case FS_FLASH_SIZE_SET:
      *size = self->flash_size;
      return TRUE;
    case FS_FLASH_SIZE_ASK:
    case FS_FLASH_SIZE_KEEP:
    default:
      return TRUE;
    }
}

/* The bootloader written with its header saying @size, as esptool's
 * --flash-size does; the board's own one is written back so changed */
static gboolean
set_flash_size (FsJob       *self,
                Bootloader  *bootloader,
                guint64      size,
                GError     **error)
{
  g_autofree char *before = fs_format_size (fs_image_get_flash_size (bootloader->image));
  g_autofree char *after = fs_format_size (size);
  g_autoptr(GBytes) changed = NULL;

  if (self->facts.secure_boot)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_NOT_SUPPORTED,
                   _("Secure boot is on: the bootloader is signed, and changing its header would stop the board"));
      return FALSE;
    }
  changed = fs_image_set_flash_size (bootloader->bytes, size, error);
  if (changed == NULL)
    return FALSE;
  if (bootloader->region < 0)
    {
      g_autoptr(GBytes) image = g_bytes_new_from_bytes (changed, 0, fs_image_get_size (bootloader->image));

      fs_job_append_region (self, _("bootloader"), bootloader_offset (self), image);
    }
  else
    {
      const FsJobRegion *region = fs_job_region (self, bootloader->region);
      GBytes **data = (GBytes **) &g_ptr_array_index (self->region_data, bootloader->region);
      guint8 *copy = g_memdup2 (g_bytes_get_data (*data, NULL), region->size);

      memcpy (copy + (bootloader_offset (self) - region->offset), g_bytes_get_data (changed, NULL),
              fs_image_get_size (bootloader->image));
      g_bytes_unref (*data);
      *data = g_bytes_new_take (copy, region->size);
    }
  fs_job_emit_note (self, _("The bootloader’s header said %s of flash: it is written saying %s"), before, after);
  g_clear_pointer (&bootloader->bytes, g_bytes_unref);
  bootloader->bytes = g_steal_pointer (&changed);
  return TRUE;
}

static gboolean
check_flash_size (FsJob             *self,
                  Bootloader        *bootloader,
                  FsPartitionTable  *table,
                  GError           **error)
{
  const FsPartition *last = NULL;
  guint64 extent = table_extent (table, &last);
  guint64 header, wanted;
  g_autofree char *header_text = NULL;
  g_autofree char *board_text = NULL;
  g_autofree char *problem = NULL;

  if (!wanted_flash_size (self, &wanted, error))
    return FALSE;
  if (wanted != 0 && wanted != fs_image_get_flash_size (bootloader->image) &&
      !set_flash_size (self, bootloader, wanted, error))
    return FALSE;
  g_clear_object (&bootloader->image);
  bootloader->image = fs_image_new_from_bytes (bootloader->bytes, error);
  if (bootloader->image == NULL)
    return FALSE;
  header = fs_image_get_flash_size (bootloader->image);
  if (header == 0 || last == NULL || extent <= header)
    return TRUE;

  header_text = fs_format_size (header);
  board_text = fs_format_size (fs_job_flash_size (self));
  problem = g_strdup_printf (_("The bootloader’s header says the flash is %s, but the partition table goes up "
                               "to 0x%06llX (“%s” at 0x%06X): the bootloader would refuse the "
                               "table, and the board would not start. The board has %s"),
                             header_text, (unsigned long long) extent, last->label, last->offset, board_text);
  switch (self->flash_size_mode)
    {
    case FS_FLASH_SIZE_ASK:
      g_set_error (error, FS_ERROR, FS_ERROR_FLASH_SIZE,
                   _("%s: the header can say so as the bootloader is written."), problem);
      return FALSE;
    case FS_FLASH_SIZE_KEEP:
      fs_job_emit_note (self, _("%s. It is written as it is: Flash Studio can set the header to the board’s "
                                "flash size as it writes (flash-studio-cli write --flash-size detect)."), problem);
      return TRUE;
    case FS_FLASH_SIZE_DETECT:
    case FS_FLASH_SIZE_SET:
    default:
      return would_not_boot (self, TRUE, error, _("%s."), problem);
    }
}

/* ---- the apps ---- */

/* An app whose header names more flash than the board has stops at
 * start ("Detected size … smaller than the size in the binary image
 * header") */
static gboolean
check_app_flash_sizes (FsJob    *self,
                       GArray   *apps,
                       GError  **error)
{
  guint64 board = fs_job_flash_size (self);

  for (guint i = 0; board != 0 && i < apps->len; i++)
    {
      const WrittenApp *app = &g_array_index (apps, WrittenApp, i);
      g_autoptr(FsImage) image = fs_image_new_from_bytes (app->image, NULL);
      g_autofree char *header_text = NULL;
      g_autofree char *board_text = NULL;

      if (image == NULL || fs_image_get_flash_size (image) <= board)
        continue;
      header_text = fs_format_size (fs_image_get_flash_size (image));
      board_text = fs_format_size (board);
      if (!would_not_boot (self, TRUE, error,
                           _("“%s” was built for %s of flash, but the board has %s: it would stop as it "
                             "starts. Build it for the board’s flash size."),
                           app->region->name, header_text, board_text))
        return FALSE;
    }
  return TRUE;
}

/* The app partition the bootloader will pick: otadata's slot, else the
 * factory app, else ota_0 */
static const FsPartition *
boot_partition (FsJob             *self,
                FsLoader          *loader,
                FsPartitionTable  *table,
                GCancellable      *cancellable,
                GError           **error)
{
  const FsPartition *otadata = fs_partition_table_find_by_type (table, FS_PARTITION_TYPE_DATA,
                                                                FS_PARTITION_SUBTYPE_OTA);
  const FsPartition *factory = fs_partition_table_find_by_type (table, FS_PARTITION_TYPE_APP,
                                                                FS_PARTITION_SUBTYPE_FACTORY);
  guint n_slots = fs_partition_table_get_n_ota_slots (table);
  gint slot = -1;

  if (otadata != NULL && n_slots > 0)
    {
      g_autoptr(GBytes) bytes = bytes_after_write (self, loader, otadata->offset, FS_OTADATA_SIZE,
                                                   cancellable, error);
      g_autoptr(FsOtadata) entries = NULL;

      if (bytes == NULL)
        return NULL;
      entries = fs_otadata_new_from_bytes (bytes, NULL);
      if (entries != NULL)
        slot = fs_otadata_get_boot_slot (entries, n_slots);
    }
  if (slot >= 0)
    return fs_partition_table_find_by_type (table, FS_PARTITION_TYPE_APP, FS_PARTITION_SUBTYPE_OTA_0 + slot);
  if (factory != NULL)
    return factory;
  return fs_partition_table_find_by_type (table, FS_PARTITION_TYPE_APP, FS_PARTITION_SUBTYPE_OTA_0);
}

/* An app written where the bootloader will not look first is said */
static gboolean
check_boot_partition (FsJob             *self,
                      FsLoader          *loader,
                      FsPartitionTable  *table,
                      GArray            *apps,
                      GCancellable      *cancellable,
                      GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  const FsPartition *boots = boot_partition (self, loader, table, cancellable, &local_error);
  g_autoptr(GBytes) head = NULL;

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (boots == NULL)
    return would_not_boot (self, TRUE, error,
                           _("The partition table at 0x%X has no app partition, so the board could not start "
                             "an app."), FS_PARTITION_TABLE_OFFSET);
  for (guint i = 0; i < apps->len; i++)
    {
      const WrittenApp *app = &g_array_index (apps, WrittenApp, i);

      if (app->partition != NULL && app->partition->offset != boots->offset)
        fs_job_emit_note (self, _("The board will start “%s” at 0x%06X first, not “%s” in “%s”: switch the OTA "
                                  "slot to run it"),
                          boots->label, boots->offset, app->region->name, app->partition->label);
    }
  head = bytes_after_write (self, loader, boots->offset, 1, cancellable, error);
  if (head == NULL)
    return FALSE;
  if (((const guint8 *) g_bytes_get_data (head, NULL))[0] != FS_IMAGE_MAGIC)
    fs_job_emit_note (self, _("“%s” at 0x%06X, which the bootloader starts first, holds no app image"),
                      boots->label, boots->offset);
  return TRUE;
}

gboolean
fs_job_check_boot_chain (FsJob             *self,
                         FsLoader          *loader,
                         FsPartitionTable  *table,
                         GCancellable      *cancellable,
                         GError           **error)
{
  g_auto(Bootloader) bootloader = { -1, NULL, NULL };
  g_autoptr(GArray) apps = NULL;
  gboolean app;

  /* An erased table reads as one without entries: the bootloader finds nothing */
  if (table != NULL && fs_partition_table_get_n_partitions (table) == 0)
    table = NULL;
  apps = written_apps (self, table);
  app = apps->len > 0;

  /* A backup goes back whole, as it was: nothing to choose */
  self->touches_boot = self->kind == FS_JOB_RESTORE || touches_boot (self, table);
  if (!self->touches_boot || self->kind == FS_JOB_RESTORE)
    return TRUE;
  if (!read_bootloader (self, loader, &bootloader, cancellable, error) ||
      !check_bootloader (self, &bootloader, app, error))
    return FALSE;
  if (table == NULL)
    return would_not_boot (self, app, error,
                           _("After this write the board holds no valid partition table at 0x%X, so the "
                             "bootloader could not find an app. Bring the partition table "
                             "(partition-table.bin) with the firmware."), FS_PARTITION_TABLE_OFFSET);
  if (bootloader.image != NULL && !check_flash_size (self, &bootloader, table, error))
    return FALSE;
  return check_app_flash_sizes (self, apps, error) &&
         (!app || table == NULL || check_boot_partition (self, loader, table, apps, cancellable, error));
}

/* fs-job-flash.c: the work of a job on a connected board
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
#include "fs-partition-table.h"
#include "fs-write-plan.h"

/* ---- checks against the board, before anything is written ---- */

/* The table a write leaves on the board: the one being written, if a
 * region holds it, else the board's; NULL when neither is valid */
static FsPartitionTable *
table_after_write (FsJob         *self,
                   FsLoader      *loader,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GBytes) on_board = NULL;

  for (guint i = 0; i < self->regions->len; i++)
    {
      const FsJobRegion *region = fs_job_region (self, i);
      g_autoptr(GBytes) slice = NULL;
      guint32 at = FS_PARTITION_TABLE_OFFSET - region->offset;

      if (region->offset > FS_PARTITION_TABLE_OFFSET ||
          (guint64) region->offset + region->size < FS_PARTITION_TABLE_OFFSET + FS_PARTITION_ENTRY_SIZE)
        continue;
      slice = g_bytes_new_from_bytes (fs_job_region_data (self, i), at,
                                      MIN (FS_PARTITION_TABLE_MAX_LEN, region->size - at));
      return fs_partition_table_new_from_binary (slice, NULL);
    }
  on_board = fs_loader_read_flash (loader, FS_PARTITION_TABLE_OFFSET, FS_PARTITION_TABLE_MAX_LEN,
                                   NULL, NULL, cancellable, error);
  if (on_board == NULL)
    return NULL;
  return fs_partition_table_new_from_binary (on_board, NULL);
}

/* Where what is written at @offset must end, and what that space is */
static guint64
room_end (FsPartitionTable *table,
          const FsJobRegion *region,
          guint64            flash_size,
          const char       **room_name)
{
  *room_name = NULL;
  if (table == NULL || region->offset == 0 ||
      (region->offset < FS_PARTITION_TABLE_OFFSET &&
       (guint64) region->offset + region->size > FS_PARTITION_TABLE_OFFSET))
    return flash_size;   /* a merged image brings its own layout */
  if (region->offset < FS_PARTITION_TABLE_OFFSET)
    {
      *room_name = _("bootloader");
      return FS_PARTITION_TABLE_OFFSET;
    }
  if (region->offset < FS_PARTITION_TABLE_OFFSET + FS_PARTITION_TABLE_SIZE)
    {
      *room_name = _("partition table");
      return FS_PARTITION_TABLE_OFFSET + FS_PARTITION_TABLE_SIZE;
    }
  for (guint i = 0; i < fs_partition_table_get_n_partitions (table); i++)
    {
      const FsPartition *partition = fs_partition_table_get_partition (table, i);

      if (region->offset >= partition->offset &&
          region->offset < (guint64) partition->offset + partition->size)
        {
          *room_name = partition->label;
          return (guint64) partition->offset + partition->size;
        }
    }
  return flash_size;
}

/* An app image at the start of @data (or a merged image's bootloader) */
static FsImage *
find_image (FsJob       *self,
            guint        index,
            const char **where)
{
  GBytes *data = fs_job_region_data (self, index);
  const guint8 *bytes = g_bytes_get_data (data, NULL);
  gsize len = g_bytes_get_size (data);
  guint32 bootloader = 0x1000;

  *where = fs_job_region (self, index)->name;
  if (len > 0 && bytes[0] == FS_IMAGE_MAGIC)
    return fs_image_new_from_bytes (data, NULL);
  if (fs_job_region (self, index)->offset == 0 && len > bootloader && bytes[bootloader] == FS_IMAGE_MAGIC)
    {
      g_autoptr(GBytes) slice = g_bytes_new_from_bytes (data, bootloader, len - bootloader);

      return fs_image_new_from_bytes (slice, NULL);
    }
  return NULL;
}

static gboolean
check_image_chip (FsJob   *self,
                  guint    index,
                  GError **error)
{
  const char *name;
  g_autoptr(FsImage) image = find_image (self, index, &name);
  g_autofree char *built_for = NULL;
  g_autofree char *board = NULL;

  if (image == NULL || fs_image_get_chip_id (image) == self->facts.chip)
    return TRUE;
  built_for = fs_chip_describe (fs_image_get_chip_id (image));
  board = fs_chip_describe (self->facts.chip);
  g_set_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
               _("“%s” is built for the %s, but this board is an %s"), name, built_for, board);
  return FALSE;
}

static gboolean
check_fits (FsJob             *self,
            const FsJobRegion *region,
            guint64            flash_size,
            GError           **error)
{
  g_autofree char *flash = NULL;

  if (flash_size == 0 || (guint64) region->offset + region->size <= flash_size)
    return TRUE;
  flash = fs_format_size (flash_size);
  g_set_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
               _("“%s” (0x%08X–0x%08X) goes past the end of the board’s %s of flash"),
               region->name, region->offset, (guint32) (region->offset + region->size), flash);
  return FALSE;
}

static gboolean
check_before_write (FsJob         *self,
                    FsLoader      *loader,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(FsPartitionTable) table = NULL;
  g_autoptr(GError) local_error = NULL;
  guint64 flash_size = fs_job_flash_size (self);

  if (self->kind == FS_JOB_RESTORE && fs_job_region (self, 0)->size != flash_size)
    {
      g_autofree char *have = fs_format_size (fs_job_region (self, 0)->size);
      g_autofree char *want = fs_format_size (flash_size);

      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
                   _("The backup “%s” holds %s, but the board has %s of flash"),
                   fs_job_region (self, 0)->name, have, want);
      return FALSE;
    }
  table = table_after_write (self, loader, cancellable, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  for (guint i = 0; i < self->regions->len; i++)
    {
      const FsJobRegion *region = fs_job_region (self, i);
      const char *room_name;
      guint64 end = room_end (table, region, flash_size, &room_name);

      if (!check_fits (self, region, flash_size, error) || !check_image_chip (self, i, error))
        return FALSE;
      if (room_name != NULL && (guint64) region->offset + region->size > end)
        {
          g_autofree char *size = fs_format_size (region->size);
          g_autofree char *room = fs_format_size (end - region->offset);

          g_set_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
                       _("“%s” is %s, but “%s” has room for %s from 0x%08X"),
                       region->name, size, room_name, room, region->offset);
          return FALSE;
        }
    }
  return fs_job_check_boot_chain (self, loader, table, cancellable, error);
}

/* ---- writing ---- */

typedef struct {
  FsJob       *job;
  FsJobRegion *region;
  FsProgress  *progress;
  guint32      range_offset;
  guint32      range_size;
  guint32      range_done;
  guint64      changed_done;
  guint64      changed_total;
} WriteState;

/* The loader calls this after each chunk whose MD5 the board confirmed */
static void
chunk_written (guint64  done,
               guint64  total,
               gpointer user_data)
{
  WriteState *state = user_data;
  guint32 now = (guint32) MIN (done, state->range_size);
  guint32 delta = now - state->range_done;

  fs_job_emit_sectors (state->job, state->range_offset + state->range_done, delta, FS_REGION_WRITTEN);
  state->region->bytes_written += delta;
  state->range_done = now;
  state->changed_done += delta;
  fs_progress_set_bytes (state->progress, state->changed_done, state->changed_total);
}

static void
report_skipped (FsJob             *self,
                const FsJobRegion *region,
                GArray            *changed)
{
  guint32 at = region->offset;

  for (guint i = 0; i < changed->len; i++)
    {
      const FsFlashRange *range = &g_array_index (changed, FsFlashRange, i);

      fs_job_emit_sectors (self, at, range->offset - at, FS_REGION_SKIPPED);
      at = range->offset + range->size;
    }
  fs_job_emit_sectors (self, at, region->offset + region->size - at, FS_REGION_SKIPPED);
}

static gboolean
write_ranges (FsJob         *self,
              FsLoader      *loader,
              guint          index,
              GArray        *changed,
              WriteState    *state,
              GCancellable  *cancellable,
              GError       **error)
{
  FsJobRegion *region = fs_job_region (self, index);

  for (guint i = 0; i < changed->len; i++)
    {
      const FsFlashRange *range = &g_array_index (changed, FsFlashRange, i);
      g_autoptr(GBytes) slice = g_bytes_new_from_bytes (fs_job_region_data (self, index),
                                                        range->offset - region->offset, range->size);
      g_autoptr(GError) local_error = NULL;

      state->range_offset = range->offset;
      state->range_size = range->size;
      state->range_done = 0;
      if (!fs_loader_write_flash (loader, range->offset, slice, chunk_written, state,
                                  cancellable, &local_error))
        {
          g_autofree char *done = NULL;
          g_autofree char *size = NULL;

          region->state = FS_REGION_INTERRUPTED;
          region->stopped_at = range->offset + state->range_done;
          done = fs_format_size_approx (region->bytes_written + region->bytes_skipped);
          size = fs_format_size_approx (region->size);
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                      _("Writing “%s” stopped at 0x%06X, with %s of its %s written and "
                                        "checked: "),
                                      region->name, region->stopped_at, done, size);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
write_region (FsJob         *self,
              FsLoader      *loader,
              guint          index,
              FsProgress    *progress,
              GCancellable  *cancellable,
              GError       **error)
{
  FsJobRegion *region = fs_job_region (self, index);
  g_autoptr(GArray) changed = NULL;
  WriteState state = { self, region, NULL, 0, 0, 0, 0, 0 };

  fs_progress_add_step (progress, _("Comparing with the board"), 1);
  fs_progress_add_step (progress, region->name, 9);
  changed = fs_write_plan_find_changed (loader, region->offset, fs_job_region_data (self, index),
                                        cancellable, error);
  if (changed == NULL)
    return FALSE;
  fs_progress_step_done (progress);

  for (guint i = 0; i < changed->len; i++)
    state.changed_total += g_array_index (changed, FsFlashRange, i).size;
  region->bytes_skipped = region->size - (guint32) state.changed_total;
  report_skipped (self, region, changed);
  state.progress = fs_progress_get_child (progress);
  if (!write_ranges (self, loader, index, changed, &state, cancellable, error))
    return FALSE;
  region->state = changed->len == 0 ? FS_REGION_SKIPPED : FS_REGION_WRITTEN;
  region->stopped_at = region->offset + region->size;
  fs_progress_step_done (progress);
  return TRUE;
}

static gboolean refresh_slots (FsJob         *self,
                               FsLoader      *loader,
                               GCancellable  *cancellable,
                               GError       **error);

gboolean
fs_job_do_write (FsJob         *self,
                 FsLoader      *loader,
                 FsProgress    *progress,
                 GCancellable  *cancellable,
                 GError       **error)
{
  if (!check_before_write (self, loader, cancellable, error))
    return FALSE;
  for (guint i = 0; i < self->regions->len; i++)
    fs_progress_add_step (progress, fs_job_region (self, i)->name,
                          fs_job_region (self, i)->size / FS_FLASH_SECTOR_SIZE + 1);
  for (guint i = 0; i < self->regions->len; i++)
    {
      if (!write_region (self, loader, i, fs_progress_get_child (progress), cancellable, error))
        return FALSE;
      fs_progress_step_done (progress);
    }
  return !self->touches_boot || refresh_slots (self, loader, cancellable, error);
}

/* ---- verifying ---- */

gboolean
fs_job_do_verify (FsJob         *self,
                  FsLoader      *loader,
                  FsProgress    *progress,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(GString) differing = g_string_new (NULL);
  guint n_differing = 0;

  for (guint i = 0; i < self->regions->len; i++)
    {
      if (!check_fits (self, fs_job_region (self, i), fs_job_flash_size (self), error))
        return FALSE;
      fs_progress_add_step (progress, fs_job_region (self, i)->name, 1);
    }
  for (guint i = 0; i < self->regions->len; i++)
    {
      FsJobRegion *region = fs_job_region (self, i);
      g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_MD5);
      guint8 want[16], got[16];
      gsize len = sizeof want;

      g_checksum_update (checksum, g_bytes_get_data (fs_job_region_data (self, i), NULL), region->size);
      g_checksum_get_digest (checksum, want, &len);
      if (!fs_loader_flash_md5 (loader, region->offset, region->size, got, cancellable, error))
        return FALSE;
      region->state = memcmp (want, got, sizeof want) == 0 ? FS_REGION_VERIFIED : FS_REGION_DIFFERS;
      fs_job_emit_sectors (self, region->offset, region->size, region->state);
      if (region->state == FS_REGION_DIFFERS)
        g_string_append_printf (differing, "%s“%s”", n_differing++ > 0 ? ", " : "", region->name);
      fs_progress_step_done (progress);
    }
  if (n_differing > 0)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_VERIFY_FAILED,
                   g_dngettext (GETTEXT_PACKAGE, "The flash does not hold %s",
                                "The flash does not hold %s", n_differing),
                   differing->str);
      return FALSE;
    }
  return TRUE;
}

/* ---- reading ---- */

static void
bytes_read (guint64  done,
            guint64  total,
            gpointer user_data)
{
  fs_progress_set_bytes (user_data, done, total);
}

/* The range of a read or an erase is within the flash */
static gboolean
check_range_fits (FsJob   *self,
                  GError **error)
{
  guint64 flash_size = fs_job_flash_size (self);
  g_autofree char *flash = NULL;

  if (flash_size == 0 || (guint64) self->range_offset + self->range_size <= flash_size)
    return TRUE;
  flash = fs_format_size (flash_size);
  g_set_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
               _("0x%08X–0x%08X goes past the end of the board’s %s of flash"),
               self->range_offset, self->range_offset + self->range_size, flash);
  return FALSE;
}

gboolean
fs_job_do_read (FsJob         *self,
                FsLoader      *loader,
                FsProgress    *progress,
                GCancellable  *cancellable,
                GError       **error)
{
  guint64 flash_size = fs_job_flash_size (self);
  guint32 offset = self->range_offset;
  guint32 size = self->range_size;

  if (self->kind == FS_JOB_BACKUP)
    {
      if (flash_size == 0 || flash_size > G_MAXUINT32)
        {
          g_set_error (error, FS_ERROR, FS_ERROR_NOT_SUPPORTED,
                       _("The size of the board’s flash is not known: choose the board’s profile"));
          return FALSE;
        }
      offset = 0;
      size = (guint32) flash_size;
    }
  else if (!check_range_fits (self, error))
    return FALSE;
  self->data = fs_loader_read_flash (loader, offset, size, bytes_read, progress, cancellable, error);
  if (self->data == NULL)
    return FALSE;
  self->md5 = g_compute_checksum_for_bytes (G_CHECKSUM_MD5, self->data);
  return TRUE;
}

/* ---- erasing ---- */

gboolean
fs_job_do_erase (FsJob         *self,
                 FsLoader      *loader,
                 FsProgress    *progress,
                 GCancellable  *cancellable,
                 GError       **error)
{
  guint64 flash_size = fs_job_flash_size (self);

  if (self->range_size == 0)
    {
      if (!fs_loader_erase_flash (loader, cancellable, error))
        return FALSE;
      fs_job_emit_sectors (self, 0, (guint32) MIN (flash_size, G_MAXUINT32), FS_REGION_ERASED);
      /* Nothing is left to boot: no table, no slots */
      self->have_slots = TRUE;
      return TRUE;
    }
  if (!check_range_fits (self, error))
    return FALSE;
  if (!fs_loader_erase_region (loader, self->range_offset, self->range_size, cancellable, error))
    return FALSE;
  fs_job_emit_sectors (self, self->range_offset, self->range_size, FS_REGION_ERASED);
  fs_progress_set_bytes (progress, self->range_size, self->range_size);
  return TRUE;
}

/* ---- OTA slots ---- */

typedef struct {
  FsPartitionTable *table;
  const FsPartition *otadata_partition;
  FsOtadata        *otadata;
} Slots;

static void
slots_clear (Slots *slots)
{
  g_clear_object (&slots->table);
  g_clear_object (&slots->otadata);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Slots, slots_clear)

/* What each OTA app slot holds, from the head of its image */
static gboolean
read_slot_titles (FsJob             *self,
                  FsLoader          *loader,
                  FsPartitionTable  *table,
                  GCancellable      *cancellable,
                  GError           **error)
{
  guint n_slots = fs_partition_table_get_n_ota_slots (table);

  g_clear_pointer (&self->slot_titles, g_ptr_array_unref);
  self->slot_titles = g_ptr_array_new_with_free_func (g_free);
  for (guint slot = 0; slot < n_slots; slot++)
    {
      const FsPartition *partition = fs_partition_table_find_by_type (table, FS_PARTITION_TYPE_APP,
                                                                      FS_PARTITION_SUBTYPE_OTA_0 + slot);
      g_autoptr(GBytes) head = NULL;
      const guint8 *bytes;
      FsAppDesc desc;

      if (partition == NULL)
        {
          g_ptr_array_add (self->slot_titles, NULL);
          continue;
        }
      head = fs_loader_read_flash (loader, partition->offset, FS_APP_DESC_OFFSET + FS_APP_DESC_SIZE,
                                   NULL, NULL, cancellable, error);
      if (head == NULL)
        return FALSE;
      bytes = g_bytes_get_data (head, NULL);
      if (bytes[0] != FS_IMAGE_MAGIC)
        g_ptr_array_add (self->slot_titles, NULL);
      else if (fs_app_desc_parse (bytes + FS_APP_DESC_OFFSET, FS_APP_DESC_SIZE, &desc) &&
               desc.project_name[0] != '\0')
        g_ptr_array_add (self->slot_titles, g_strdup_printf ("%s %s", desc.project_name, desc.version));
      else
        g_ptr_array_add (self->slot_titles, g_strdup (_("an app image")));
    }
  return TRUE;
}

static gboolean
read_slots (FsJob         *self,
            FsLoader      *loader,
            Slots         *slots,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GBytes) table = NULL;
  g_autoptr(GBytes) otadata = NULL;
  g_autoptr(GError) local_error = NULL;

  table = fs_loader_read_flash (loader, FS_PARTITION_TABLE_OFFSET, FS_PARTITION_TABLE_MAX_LEN,
                                NULL, NULL, cancellable, error);
  if (table == NULL)
    return FALSE;
  g_clear_object (&slots->table);
  slots->table = fs_partition_table_new_from_binary (table, &local_error);
  if (slots->table == NULL)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_NOT_FOUND,
                   _("The board holds no valid partition table at 0x%06X: %s"),
                   FS_PARTITION_TABLE_OFFSET, local_error->message);
      return FALSE;
    }
  g_set_object (&self->table, G_OBJECT (slots->table));
  if (!read_slot_titles (self, loader, slots->table, cancellable, error))
    return FALSE;
  slots->otadata_partition = fs_partition_table_find_by_type (slots->table, FS_PARTITION_TYPE_DATA,
                                                              FS_PARTITION_SUBTYPE_OTA);
  self->slot_state.n_slots = fs_partition_table_get_n_ota_slots (slots->table);
  self->slot_state.has_otadata = slots->otadata_partition != NULL;
  if (slots->otadata_partition == NULL)
    return TRUE;
  otadata = fs_loader_read_flash (loader, slots->otadata_partition->offset, FS_OTADATA_SIZE,
                                  NULL, NULL, cancellable, error);
  if (otadata == NULL)
    return FALSE;
  g_clear_object (&slots->otadata);
  slots->otadata = fs_otadata_new_from_bytes (otadata, error);
  if (slots->otadata == NULL)
    return FALSE;
  self->slot_state.boot_slot = fs_otadata_get_boot_slot (slots->otadata, self->slot_state.n_slots);
  {
    gint active = fs_otadata_get_active_entry (slots->otadata);

    self->slot_state.sequence = active >= 0 ? fs_otadata_get_entry (slots->otadata, active)->seq : 0;
  }
  return TRUE;
}

static gboolean
switch_slot (FsJob         *self,
             FsLoader      *loader,
             Slots         *slots,
             GCancellable  *cancellable,
             GError       **error)
{
  guint n_slots = self->slot_state.n_slots;
  gint current = self->slot_state.boot_slot;
  guint target;
  const FsPartition *partition;
  g_autoptr(GBytes) otadata = NULL;
  g_autoptr(GBytes) sector = NULL;
  gint entry;

  if (slots->otadata_partition == NULL)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_NOT_SUPPORTED,
                   _("The board’s partition table has no otadata partition: it boots one app only"));
      return FALSE;
    }
  if (n_slots < 2)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_NOT_SUPPORTED,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The board’s partition table has %u OTA app slot: there is no other to boot",
                                "The board’s partition table has %u OTA app slots: there is no other to boot",
                                n_slots), n_slots);
      return FALSE;
    }
  target = self->slot >= 0 ? (guint) self->slot : (guint) (current < 0 ? 1 : (current + 1) % n_slots);
  if (target >= n_slots)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
                   _("There is no slot ota_%u: the board’s table has ota_0 to ota_%u"),
                   target, n_slots - 1);
      return FALSE;
    }
  if ((gint) target == current)
    {
      fs_job_emit_note (self, _("The board boots ota_%u already"), target);
      return TRUE;
    }
  partition = fs_partition_table_find_by_type (slots->table, FS_PARTITION_TYPE_APP,
                                               FS_PARTITION_SUBTYPE_OTA_0 + target);
  if (partition == NULL)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_NOT_FOUND, _("The board’s table has no ota_%u"), target);
      return FALSE;
    }
  /* Booting a slot that holds no app would leave the board dead */
  if (fs_job_get_slot_title (self, target) == NULL)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
                   _("“%s” holds no app image, so the board could not boot it: write an app "
                     "there first"), partition->label);
      return FALSE;
    }
  self->slot_state.switched_from = current < 0 ? 0 : current;
  entry = fs_otadata_select_slot (slots->otadata, target, n_slots, error);
  if (entry < 0)
    return FALSE;
  /* Only the entry's own sector: the other keeps the way back */
  otadata = fs_otadata_to_bytes (slots->otadata);
  sector = g_bytes_new_from_bytes (otadata, (gsize) entry * FS_FLASH_SECTOR_SIZE, FS_FLASH_SECTOR_SIZE);
  if (!fs_loader_write_flash (loader, slots->otadata_partition->offset + entry * FS_FLASH_SECTOR_SIZE,
                              sector, NULL, NULL, cancellable, error))
    return FALSE;
  if (!read_slots (self, loader, slots, cancellable, error))
    return FALSE;
  if (self->slot_state.boot_slot != (gint) target)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_VERIFY_FAILED,
                   _("The otadata was written, but the board would still boot slot %d"),
                   self->slot_state.boot_slot);
      return FALSE;
    }
  return TRUE;
}

gboolean
fs_job_do_slots (FsJob         *self,
                 FsLoader      *loader,
                 FsProgress    *progress,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_auto(Slots) slots = { NULL, NULL, NULL };

  if (!read_slots (self, loader, &slots, cancellable, error))
    return FALSE;
  self->have_slots = TRUE;
  fs_progress_set_bytes (progress, 1, 1);
  if (self->kind == FS_JOB_SLOT_SWITCH)
    return switch_slot (self, loader, &slots, cancellable, error);
  return TRUE;
}

/* After a write that changed what boots: the slots as the board holds
 * them now; a board left without a valid table has none */
static gboolean
refresh_slots (FsJob         *self,
               FsLoader      *loader,
               GCancellable  *cancellable,
               GError       **error)
{
  g_auto(Slots) slots = { NULL, NULL, NULL };
  g_autoptr(GError) local_error = NULL;

  self->slot_state = (FsSlotState) { .boot_slot = -1, .switched_from = -1 };
  g_clear_object (&self->table);
  g_clear_pointer (&self->slot_titles, g_ptr_array_unref);
  if (!read_slots (self, loader, &slots, cancellable, &local_error) &&
      !g_error_matches (local_error, FS_ERROR, FS_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  self->have_slots = TRUE;
  return TRUE;
}

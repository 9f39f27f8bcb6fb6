/* fs-merged.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "fs-error.h"
#include "fs-flash.h"
#include "fs-image.h"
#include "fs-merged.h"
#include "fs-partition-table.h"

static const guint8 partition_magic[] = { 0xAA, 0x50 };

gboolean
fs_merged_image_detect (GBytes   *bytes,
                        FsChipId  chip)
{
  const FsChipInfo *info = fs_chip_lookup (chip);
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  if (info == NULL || len < FS_PARTITION_TABLE_OFFSET + sizeof partition_magic)
    return FALSE;
  return data[info->bootloader_offset] == FS_IMAGE_MAGIC &&
         memcmp (data + FS_PARTITION_TABLE_OFFSET, partition_magic, sizeof partition_magic) == 0;
}

static gboolean
is_erased (const guint8 *data,
           gsize         len)
{
  for (gsize i = 0; i < len; i++)
    if (data[i] != 0xFF)
      return FALSE;
  return TRUE;
}

/* How much of a data partition is worth writing: up to the last sector
 * that holds something other than erased flash. */
static gsize
used_length (const guint8 *data,
             gsize         len)
{
  gsize used = len;

  while (used > 0)
    {
      gsize sector_start = (used - 1) / FS_FLASH_SECTOR_SIZE * FS_FLASH_SECTOR_SIZE;
      if (!is_erased (data + sector_start, used - sector_start))
        break;
      used = sector_start;
    }
  return used;
}

static FsFlashPart *
image_part (GBytes      *bytes,
            guint32      offset,
            const char  *name,
            GError     **error)
{
  g_autoptr(GBytes) rest = g_bytes_new_from_bytes (bytes, offset, g_bytes_get_size (bytes) - offset);
  g_autoptr(GBytes) data = NULL;
  g_autoptr(FsImage) image = fs_image_new_from_bytes (rest, error);

  if (image == NULL)
    {
      g_prefix_error (error, _("%s at 0x%x: "), name, offset);
      return NULL;
    }
  data = g_bytes_new_from_bytes (rest, 0, fs_image_get_size (image));
  return fs_flash_part_new (offset, data, name);
}

static gboolean
add_partition_part (GPtrArray          *parts,
                    GBytes             *bytes,
                    const FsPartition  *partition,
                    GError            **error)
{
  gsize len = g_bytes_get_size (bytes);
  const guint8 *data = g_bytes_get_data (bytes, NULL);
  gsize available, used;
  g_autoptr(GBytes) slice = NULL;

  if (partition->offset >= len)
    return TRUE;
  available = MIN ((gsize) partition->size, len - partition->offset);
  if (is_erased (data + partition->offset, available))
    return TRUE;

  if (partition->type == FS_PARTITION_TYPE_APP)
    {
      FsFlashPart *part = image_part (bytes, partition->offset, partition->label, error);
      if (part == NULL)
        return FALSE;
      g_ptr_array_add (parts, part);
      return TRUE;
    }

  used = used_length (data + partition->offset, available);
  slice = g_bytes_new_from_bytes (bytes, partition->offset, used);
  g_ptr_array_add (parts, fs_flash_part_new (partition->offset, slice, partition->label));
  return TRUE;
}

GPtrArray *
fs_merged_image_split (GBytes    *bytes,
                       FsChipId   chip,
                       GError   **error)
{
  const FsChipInfo *info = fs_chip_lookup (chip);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify) fs_flash_part_free);
  g_autoptr(GBytes) table_bytes = NULL;
  g_autoptr(FsPartitionTable) table = NULL;
  FsFlashPart *bootloader;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (info != NULL, NULL);

  if (!fs_merged_image_detect (bytes, chip))
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                   _("not a merged %s image: it needs a bootloader at 0x%x and a partition table at 0x%x"),
                   info->name, info->bootloader_offset, FS_PARTITION_TABLE_OFFSET);
      return NULL;
    }

  bootloader = image_part (bytes, info->bootloader_offset, "bootloader", error);
  if (bootloader == NULL)
    return NULL;
  g_ptr_array_add (parts, bootloader);

  table_bytes = g_bytes_new_from_bytes (bytes, FS_PARTITION_TABLE_OFFSET,
                                        MIN (g_bytes_get_size (bytes) - FS_PARTITION_TABLE_OFFSET,
                                             FS_PARTITION_TABLE_MAX_LEN));
  table = fs_partition_table_new_from_binary (table_bytes, error);
  if (table == NULL)
    {
      g_prefix_error (error, _("partition table at 0x%x: "), FS_PARTITION_TABLE_OFFSET);
      return NULL;
    }
  g_ptr_array_add (parts, fs_flash_part_new (FS_PARTITION_TABLE_OFFSET, table_bytes, "partition-table"));

  for (guint i = 0; i < fs_partition_table_get_n_partitions (table); i++)
    {
      if (!add_partition_part (parts, bytes, fs_partition_table_get_partition (table, i), error))
        return NULL;
    }
  return g_steal_pointer (&parts);
}

static gint
compare_parts_by_offset (gconstpointer a,
                         gconstpointer b)
{
  const FsFlashPart *pa = *(const FsFlashPart **) a;
  const FsFlashPart *pb = *(const FsFlashPart **) b;

  if (pa->offset != pb->offset)
    return pa->offset < pb->offset ? -1 : 1;
  return 0;
}

GBytes *
fs_merged_image_build (GPtrArray  *parts,
                       guint64     fill_to,
                       GError    **error)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_copy (parts, NULL, NULL);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  const FsFlashPart *previous = NULL;

  g_return_val_if_fail (parts != NULL, NULL);

  /* The copy borrows the parts: it must not free them */
  g_ptr_array_set_free_func (sorted, NULL);
  g_ptr_array_sort (sorted, compare_parts_by_offset);
  for (guint i = 0; i < sorted->len; i++)
    {
      const FsFlashPart *part = g_ptr_array_index (sorted, i);
      gsize len = g_bytes_get_size (part->data);
      guint64 end = (guint64) part->offset + len;

      if (part->offset < out->len)
        {
          g_set_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
                       _("“%s” at 0x%x overlaps “%s” (0x%x–0x%x)"),
                       part->name, part->offset, previous->name,
                       previous->offset, previous->offset + (guint) g_bytes_get_size (previous->data));
          return NULL;
        }
      if (fill_to != 0 && end > fill_to)
        {
          g_autofree char *size = fs_format_size (fill_to);
          g_set_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
                       _("“%s” ends at 0x%06" PRIx64 ", beyond the end of the %s flash"),
                       part->name, end, size);
          return NULL;
        }
      if (end > G_MAXUINT32)
        {
          g_set_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
                       _("“%s” ends beyond 4 GiB"), part->name);
          return NULL;
        }

      /* Gaps hold erased flash, so writing the image leaves them as erasing would */
      if (part->offset > out->len)
        {
          guint gap = part->offset - out->len;
          g_byte_array_set_size (out, part->offset);
          memset (out->data + out->len - gap, 0xFF, gap);
        }
      g_byte_array_append (out, g_bytes_get_data (part->data, NULL), len);
      previous = part;
    }

  if (fill_to > out->len)
    {
      guint gap = fill_to - out->len;
      g_byte_array_set_size (out, fill_to);
      memset (out->data + out->len - gap, 0xFF, gap);
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

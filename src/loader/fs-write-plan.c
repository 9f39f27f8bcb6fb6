/* fs-write-plan.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "fs-error.h"
#include "fs-flash.h"
#include "fs-write-plan.h"

static void
local_md5 (const guint8 *data,
           gsize         len,
           guint8        md5[16])
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_MD5);
  gsize digest_len = 16;

  g_checksum_update (checksum, data, len);
  g_checksum_get_digest (checksum, md5, &digest_len);
}

/* Whether the board holds @data at @offset */
static gboolean
board_holds (FsLoader      *loader,
             guint32        offset,
             const guint8  *data,
             gsize          len,
             gboolean      *holds,
             GCancellable  *cancellable,
             GError       **error)
{
  guint8 on_board[16];
  guint8 wanted[16];

  if (!fs_loader_flash_md5 (loader, offset, len, on_board, cancellable, error))
    return FALSE;
  local_md5 (data, len, wanted);
  *holds = memcmp (on_board, wanted, sizeof wanted) == 0;
  return TRUE;
}

static void
add_range (GArray  *ranges,
           guint32  offset,
           guint32  size)
{
  FsFlashRange *last = ranges->len > 0 ? &g_array_index (ranges, FsFlashRange, ranges->len - 1) : NULL;
  FsFlashRange range = { offset, size };

  if (last != NULL && last->offset + last->size == offset)
    last->size += size;
  else
    g_array_append_val (ranges, range);
}

GArray *
fs_write_plan_find_changed (FsLoader      *loader,
                            guint32        offset,
                            GBytes        *data,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autoptr(GArray) ranges = g_array_new (FALSE, FALSE, sizeof (FsFlashRange));
  gsize len = 0;
  const guint8 *bytes = g_bytes_get_data (data, &len);

  g_return_val_if_fail (FS_IS_LOADER (loader), NULL);

  if (offset % FS_FLASH_SECTOR_SIZE != 0)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
                   _("0x%x is not a multiple of 4 KiB (0x1000)"), offset);
      return NULL;
    }

  for (gsize block = 0; block < len; block += FS_FLASH_BLOCK_SIZE)
    {
      gsize block_len = MIN (FS_FLASH_BLOCK_SIZE, len - block);
      gboolean holds;

      if (!board_holds (loader, offset + block, bytes + block, block_len, &holds, cancellable, error))
        return NULL;
      if (holds)
        continue;
      for (gsize sector = block; sector < block + block_len; sector += FS_FLASH_SECTOR_SIZE)
        {
          gsize sector_len = MIN (FS_FLASH_SECTOR_SIZE, len - sector);

          if (!board_holds (loader, offset + sector, bytes + sector, sector_len, &holds, cancellable, error))
            return NULL;
          if (!holds)
            add_range (ranges, offset + sector, sector_len);
        }
    }
  return g_steal_pointer (&ranges);
}

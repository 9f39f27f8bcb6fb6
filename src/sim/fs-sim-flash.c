/* fs-sim-flash.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "fs-error.h"
#include "fs-flash.h"
#include "fs-sim-flash.h"

#define PAGE_SIZE_BYTES 256
#define JEDEC_WINBOND   0xEF
#define JEDEC_W25Q      0x40

struct _FsSimFlash
{
  GObject           parent_instance;

  guint8           *data;     /* the file, mapped */
  guint64           size;
  FsSimFlashTiming  timing;
};

G_DEFINE_FINAL_TYPE (FsSimFlash, fs_sim_flash, G_TYPE_OBJECT)

void
fs_sim_flash_timing_init_default (FsSimFlashTiming *timing)
{
  timing->sector_erase_us = 45000;
  timing->block_erase_us = 150000;
  timing->page_program_us = 700;
  timing->chip_erase_us = 20000000;
}

static gboolean
parse_duration_us (const char *text,
                   guint      *out)
{
  static const struct { const char *unit; guint64 us; } units[] = {
    { "us", 1 }, { "ms", 1000 }, { "s", 1000000 },
  };
  char *end = NULL;
  guint64 value;

  if (!g_ascii_isdigit (*text))
    return FALSE;
  value = g_ascii_strtoull (text, &end, 10);
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    {
      if (g_str_equal (end, units[i].unit) && value <= G_MAXUINT / units[i].us)
        {
          *out = value * units[i].us;
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
fs_sim_flash_timing_parse (FsSimFlashTiming  *timing,
                           const char        *text,
                           GError           **error)
{
  g_auto(GStrv) items = g_strsplit (text, ",", -1);
  FsSimFlashTiming parsed = *timing;

  if (items[0] == NULL)
    {
      g_set_error_literal (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
                           _("no flash timing given (sector=45ms, block=150ms, page=700us, chip=20s)"));
      return FALSE;
    }
  for (guint i = 0; items[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (g_strstrip (items[i]), "=", 2);
      guint *field = NULL;

      if (g_strv_length (pair) == 2)
        {
          if (g_str_equal (pair[0], "sector"))
            field = &parsed.sector_erase_us;
          else if (g_str_equal (pair[0], "block"))
            field = &parsed.block_erase_us;
          else if (g_str_equal (pair[0], "page"))
            field = &parsed.page_program_us;
          else if (g_str_equal (pair[0], "chip"))
            field = &parsed.chip_erase_us;
        }
      if (field == NULL || !parse_duration_us (pair[1], field))
        {
          g_set_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
                       _("“%s” is not a flash timing (sector=45ms, block=150ms, page=700us, chip=20s)"), items[i]);
          return FALSE;
        }
    }
  *timing = parsed;
  return TRUE;
}

static void
fs_sim_flash_finalize (GObject *object)
{
  FsSimFlash *self = FS_SIM_FLASH (object);

  if (self->data != NULL)
    {
      msync (self->data, self->size, MS_SYNC);
      munmap (self->data, self->size);
    }

  G_OBJECT_CLASS (fs_sim_flash_parent_class)->finalize (object);
}

static void
fs_sim_flash_class_init (FsSimFlashClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fs_sim_flash_finalize;
}

static void
fs_sim_flash_init (FsSimFlash *self)
{
  fs_sim_flash_timing_init_default (&self->timing);
}

static gboolean
set_errno_error (GError     **error,
                 const char  *path,
                 int          saved_errno)
{
  g_set_error (error, FS_ERROR, FS_ERROR_FAILED, "%s: %s", path, g_strerror (saved_errno));
  return FALSE;
}

/* A new flash file is an erased chip */
static gboolean
fill_erased (int          fd,
             guint64      size,
             const char  *path,
             GError     **error)
{
  guint8 block[FS_FLASH_BLOCK_SIZE];

  memset (block, 0xFF, sizeof block);
  for (guint64 written = 0; written < size; written += sizeof block)
    if (write (fd, block, sizeof block) != sizeof block)
      return set_errno_error (error, path, errno);
  return TRUE;
}

FsSimFlash *
fs_sim_flash_new (const char  *path,
                  guint64      size,
                  GError     **error)
{
  g_autoptr(FsSimFlash) self = NULL;
  struct stat info;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  if (size != 4 * 1024 * 1024 && size != 8 * 1024 * 1024 && size != 16 * 1024 * 1024)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
                   _("a virtual board's flash is 4, 8 or 16 MiB"));
      return NULL;
    }

  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      set_errno_error (error, path, errno);
      return NULL;
    }
  if (fstat (fd, &info) != 0 ||
      (info.st_size == 0 && !fill_erased (fd, size, path, error)))
    {
      if (error != NULL && *error == NULL)
        set_errno_error (error, path, errno);
      close (fd);
      return NULL;
    }
  if (info.st_size != 0 && (guint64) info.st_size != size)
    {
      g_autofree char *expected = fs_format_size (size);
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_DATA,
                   g_dngettext (GETTEXT_PACKAGE, "%s: the flash file has %lld byte, not the %s of this board",
                                "%s: the flash file has %lld bytes, not the %s of this board", info.st_size),
                   path, (long long) info.st_size, expected);
      close (fd);
      return NULL;
    }

  self = g_object_new (FS_TYPE_SIM_FLASH, NULL);
  self->size = size;
  self->data = mmap (NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  close (fd);
  if (self->data == MAP_FAILED)
    {
      self->data = NULL;
      set_errno_error (error, path, errno);
      return NULL;
    }
  return g_steal_pointer (&self);
}

guint64
fs_sim_flash_get_size (FsSimFlash *self)
{
  g_return_val_if_fail (FS_IS_SIM_FLASH (self), 0);
  return self->size;
}

guint32
fs_sim_flash_get_jedec_id (FsSimFlash *self)
{
  g_return_val_if_fail (FS_IS_SIM_FLASH (self), 0);
  return JEDEC_WINBOND | JEDEC_W25Q << 8 | (guint32) g_bit_storage (self->size - 1) << 16;
}

const guint8 *
fs_sim_flash_get_data (FsSimFlash *self)
{
  g_return_val_if_fail (FS_IS_SIM_FLASH (self), NULL);
  return self->data;
}

static gboolean
check_range (FsSimFlash  *self,
             guint32      offset,
             guint64      len,
             GError     **error)
{
  if (offset > self->size || len > self->size - offset)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
                   _("0x%x + 0x%llx is beyond the end of the flash"), offset,
                   (unsigned long long) len);
      return FALSE;
    }
  return TRUE;
}

gboolean
fs_sim_flash_erase (FsSimFlash  *self,
                    guint32      offset,
                    guint32      len,
                    GError     **error)
{
  g_return_val_if_fail (FS_IS_SIM_FLASH (self), FALSE);

  if (offset % FS_FLASH_SECTOR_SIZE != 0 || len % FS_FLASH_SECTOR_SIZE != 0)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
                   _("an erase must cover whole 4 KiB sectors (0x%x + 0x%x)"), offset, len);
      return FALSE;
    }
  if (!check_range (self, offset, len, error))
    return FALSE;
  memset (self->data + offset, 0xFF, len);
  return TRUE;
}

gboolean
fs_sim_flash_program (FsSimFlash    *self,
                      guint32        offset,
                      const guint8  *data,
                      gsize          len,
                      GError       **error)
{
  g_return_val_if_fail (FS_IS_SIM_FLASH (self), FALSE);

  if (!check_range (self, offset, len, error))
    return FALSE;
  for (gsize i = 0; i < len; i++)
    self->data[offset + i] &= data[i];
  return TRUE;
}

guint64
fs_sim_flash_erase_cost (FsSimFlash *self,
                         guint32     offset,
                         guint32     len)
{
  guint64 cost = 0;
  guint64 position = offset / FS_FLASH_SECTOR_SIZE * (guint64) FS_FLASH_SECTOR_SIZE;
  guint64 end = (guint64) offset + len;

  g_return_val_if_fail (FS_IS_SIM_FLASH (self), 0);

  if (offset == 0 && len >= self->size)
    return self->timing.chip_erase_us;
  while (position < end)
    {
      if (position % FS_FLASH_BLOCK_SIZE == 0 && end - position >= FS_FLASH_BLOCK_SIZE)
        {
          cost += self->timing.block_erase_us;
          position += FS_FLASH_BLOCK_SIZE;
        }
      else
        {
          cost += self->timing.sector_erase_us;
          position += FS_FLASH_SECTOR_SIZE;
        }
    }
  return cost;
}

guint64
fs_sim_flash_program_cost (FsSimFlash *self,
                           gsize       len)
{
  g_return_val_if_fail (FS_IS_SIM_FLASH (self), 0);
  return (guint64) (len + PAGE_SIZE_BYTES - 1) / PAGE_SIZE_BYTES * self->timing.page_program_us;
}

void
fs_sim_flash_set_timing (FsSimFlash             *self,
                         const FsSimFlashTiming *timing)
{
  g_return_if_fail (FS_IS_SIM_FLASH (self));
  self->timing = *timing;
}

gboolean
fs_sim_flash_sync (FsSimFlash  *self,
                   GError     **error)
{
  g_return_val_if_fail (FS_IS_SIM_FLASH (self), FALSE);

  if (msync (self->data, self->size, MS_SYNC) != 0)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_FAILED,
                   _("The virtual flash could not be saved to its file: %s"), g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

/* fs-sim-flash.h: the virtual board's SPI NOR flash, kept in a file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* How long the flash takes, in microseconds. The defaults are the typical
 * figures of a Winbond W25Q64JV datasheet: what a real board's flash does. */
typedef struct {
  guint sector_erase_us;   /* 4 KiB: 45 ms */
  guint block_erase_us;    /* 64 KiB: 150 ms */
  guint page_program_us;   /* 256 bytes: 0.7 ms */
  guint chip_erase_us;     /* whole chip: 20 s (W25Q64JV typical) */
} FsSimFlashTiming;

void     fs_sim_flash_timing_init_default (FsSimFlashTiming  *timing);
/* Overrides some of @timing from "sector=45ms,block=150ms,page=700us,chip=20s"
 * (units us, ms or s); FS_ERROR_INVALID_ARGUMENT naming what is wrong. */
gboolean fs_sim_flash_timing_parse        (FsSimFlashTiming  *timing,
                                           const char        *text,
                                           GError           **error);

#define FS_TYPE_SIM_FLASH (fs_sim_flash_get_type ())
G_DECLARE_FINAL_TYPE (FsSimFlash, fs_sim_flash, FS, SIM_FLASH, GObject)

/* Opens the flash file at @path, or creates it erased (all 0xFF). An
 * existing file must be exactly @size bytes: 4, 8 or 16 MiB. */
FsSimFlash   *fs_sim_flash_new          (const char        *path,
                                         guint64            size,
                                         GError           **error);
guint64       fs_sim_flash_get_size     (FsSimFlash        *self);
/* The JEDEC ID as a flasher reads it back through SPI_W0: manufacturer
 * (0xEF, Winbond) in bits 0–7, memory type (0x40) in 8–15, capacity
 * (log2 of the size: 0x16, 0x17, 0x18) in 16–23. */
guint32       fs_sim_flash_get_jedec_id (FsSimFlash        *self);
/* The flash's bytes, for reading: valid as long as @self lives */
const guint8 *fs_sim_flash_get_data     (FsSimFlash        *self);
/* Sets [@offset, @offset + @len) to 0xFF; both must be multiples of 4 KiB.
 * Returns FALSE (FS_ERROR_INVALID_ARGUMENT) outside the flash. */
gboolean      fs_sim_flash_erase        (FsSimFlash        *self,
                                         guint32            offset,
                                         guint32            len,
                                         GError           **error);
/* Programs as NOR flash does: each bit can only go from 1 to 0. */
gboolean      fs_sim_flash_program      (FsSimFlash        *self,
                                         guint32            offset,
                                         const guint8      *data,
                                         gsize              len,
                                         GError           **error);
/* The time an erase of [@offset, @offset + @len) takes: 64 KiB blocks
 * where the range covers whole blocks, 4 KiB sectors elsewhere. */
guint64       fs_sim_flash_erase_cost   (FsSimFlash        *self,
                                         guint32            offset,
                                         guint32            len);
guint64       fs_sim_flash_program_cost (FsSimFlash        *self,
                                         gsize              len);
void          fs_sim_flash_set_timing   (FsSimFlash        *self,
                                         const FsSimFlashTiming *timing);
/* Writes the flash file out (msync); done on finalize too */
gboolean      fs_sim_flash_sync         (FsSimFlash        *self,
                                         GError           **error);

G_END_DECLS

/* fs-loader.h: talking to an ESP32's serial loader, the ROM's or a stub's
 *
 * Plain synchronous calls: run them in a worker thread. Each checks
 * @cancellable between blocks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fs-chip.h"
#include "fs-transport.h"

G_BEGIN_DECLS

/* esptool's --before and --after */
typedef enum {
  FS_BEFORE_DEFAULT_RESET,   /* classic DTR/RTS reset into download mode, both timings */
  FS_BEFORE_NO_RESET,        /* the board is in download mode already */
  FS_BEFORE_MANUAL,          /* the user does it: prompt, then keep syncing until it answers */
} FsBefore;

typedef enum {
  FS_AFTER_HARD_RESET,       /* RTS pulse: the board boots its flash */
  FS_AFTER_NO_RESET,
} FsAfter;

typedef struct {
  FsChipId  chip;
  char      description[64];   /* "ESP32-D0WD-V3" */
  guint     revision_major;
  guint     revision_minor;
  guint8    mac[6];
  guint     xtal_mhz;
  guint32   flash_id;          /* JEDEC: manufacturer, type, capacity */
  guint64   flash_size;        /* from the capacity byte; 0 when unknown */
  gboolean  flash_encryption;
  gboolean  secure_boot;
} FsChipFacts;

/* Progress of a long transfer: @done of @total bytes */
typedef void (*FsLoaderProgressFunc) (guint64  done,
                                      guint64  total,
                                      gpointer user_data);

#define FS_TYPE_LOADER (fs_loader_get_type ())
G_DECLARE_FINAL_TYPE (FsLoader, fs_loader, FS, LOADER, GObject)

FsLoader    *fs_loader_new                (FsTransport          *transport);
FsTransport *fs_loader_get_transport      (FsLoader             *self);
gboolean     fs_loader_get_stub_running   (FsLoader             *self);

/* Resets the board into download mode as @before says and syncs, with
 * retries and both of esptool's reset timings. With FS_BEFORE_MANUAL the
 * caller has told the user what to do; this keeps trying until the board
 * answers or @cancellable fires. Failure says what was seen: a board that
 * booted its app ("boot:0x13 (SPI_FAST_FLASH_BOOT)": wrong boot mode) is
 * FS_ERROR_NO_ANSWER with that in the message; silence is FS_ERROR_NO_ANSWER
 * naming the port ("no board, or the wrong port"). */
gboolean     fs_loader_connect            (FsLoader             *self,
                                           FsBefore              before,
                                           GCancellable         *cancellable,
                                           GError              **error);
gboolean     fs_loader_read_reg           (FsLoader             *self,
                                           guint32               address,
                                           guint32              *value,
                                           GCancellable         *cancellable,
                                           GError              **error);
gboolean     fs_loader_write_reg          (FsLoader             *self,
                                           guint32               address,
                                           guint32               value,
                                           GCancellable         *cancellable,
                                           GError              **error);
/* Chip type from its magic (a chip table: ESP32 first), revision, MAC,
 * crystal, flash ID and size, flash encryption and secure boot (eFuses) */
gboolean     fs_loader_identify           (FsLoader             *self,
                                           FsChipFacts          *facts,
                                           GCancellable         *cancellable,
                                           GError              **error);
/* Uploads the stub in @stub_json (esptool's or esptool-js's stub JSON for
 * the chip) and waits a second for its "OHAI". A stub that does not greet
 * is abandoned: FALSE with FS_ERROR_TIMED_OUT, and the ROM loader carries on
 * (after a reset into download mode). */
gboolean     fs_loader_run_stub           (FsLoader             *self,
                                           GBytes               *stub_json,
                                           GCancellable         *cancellable,
                                           GError              **error);
/* SPI_ATTACH and SPI_SET_PARAMS for a flash of @flash_size */
gboolean     fs_loader_attach_flash       (FsLoader             *self,
                                           guint64               flash_size,
                                           GCancellable         *cancellable,
                                           GError              **error);
gboolean     fs_loader_change_baud        (FsLoader             *self,
                                           guint                 baud,
                                           GCancellable         *cancellable,
                                           GError              **error);
gboolean     fs_loader_flash_md5          (FsLoader             *self,
                                           guint32               offset,
                                           guint32               size,
                                           guint8                md5[16],
                                           GCancellable         *cancellable,
                                           GError              **error);
/* Writes @data at @offset (sector-aligned), compressed with zlib, then
 * checks its MD5 on the board. On the ROM loader, a compressed write may
 * change flash after the region (../shared/notes/rom-compressed-write-spill.md):
 * the write leaves nothing changed outside [offset, offset + size). */
gboolean     fs_loader_write_flash        (FsLoader             *self,
                                           guint32               offset,
                                           GBytes               *data,
                                           FsLoaderProgressFunc  progress,
                                           gpointer              user_data,
                                           GCancellable         *cancellable,
                                           GError              **error);
/* READ_FLASH on a stub, READ_FLASH_SLOW on the ROM; checked by MD5 */
GBytes      *fs_loader_read_flash         (FsLoader             *self,
                                           guint32               offset,
                                           guint32               size,
                                           FsLoaderProgressFunc  progress,
                                           gpointer              user_data,
                                           GCancellable         *cancellable,
                                           GError              **error);
/* ERASE_REGION on a stub; on the ROM, FLASH_BEGIN's erase */
gboolean     fs_loader_erase_region       (FsLoader             *self,
                                           guint32               offset,
                                           guint32               size,
                                           GCancellable         *cancellable,
                                           GError              **error);
gboolean     fs_loader_erase_flash        (FsLoader             *self,
                                           GCancellable         *cancellable,
                                           GError              **error);
gboolean     fs_loader_reset_after        (FsLoader             *self,
                                           FsAfter               after,
                                           GError              **error);

G_END_DECLS

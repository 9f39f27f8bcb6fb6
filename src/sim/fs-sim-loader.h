/* fs-sim-loader.h: the serial loader of a virtual ESP32: the ROM's, then the stub's
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "fs-sim-chip.h"
#include "fs-sim-flash.h"

G_BEGIN_DECLS

typedef enum {
  FS_SIM_LOADER_ROM,
  FS_SIM_LOADER_STUB,
} FsSimLoaderMode;

/* What handling a frame did besides the replies */
typedef struct {
  guint64  busy_us;        /* the flash (or the chip) is busy this long before the replies go out */
  guint    new_baud;       /* CHANGE_BAUDRATE: switch to this after the reply; 0 when unchanged */
  guint32  flash_written;  /* bytes of flash programmed while handling the frame */
  gboolean run_user_code;  /* FLASH_END asked to leave the loader: the chip boots from flash */
} FsSimLoaderEffects;

#define FS_TYPE_SIM_LOADER (fs_sim_loader_get_type ())
G_DECLARE_FINAL_TYPE (FsSimLoader, fs_sim_loader, FS, SIM_LOADER, GObject)

FsSimLoader     *fs_sim_loader_new                  (FsSimChip          *chip,
                                                     FsSimFlash         *flash);
/* Back to the ROM loader, as after a reset: no stub, no write in progress */
void             fs_sim_loader_reset                (FsSimLoader        *self);
FsSimLoaderMode  fs_sim_loader_get_mode             (FsSimLoader        *self);
/* The ROM's compressed writes change the flash after the region up to the
 * next 32 KiB of written data (../shared/notes/rom-compressed-write-spill.md);
 * off by default. */
void             fs_sim_loader_set_compressed_spill (FsSimLoader        *self,
                                                     gboolean            spill);
/* Some published stubs hang on some chips: with this set, an uploaded stub
 * never greets and the board answers nothing until it is reset. */
void             fs_sim_loader_set_stub_hangs       (FsSimLoader        *self,
                                                     gboolean            hangs);

/* Handles one SLIP-decoded frame from the host: a command, or an ack of
 * a stub READ_FLASH. Appends to @replies (of GBytes) the unframed frames
 * to send back, in order, exactly as the ROM or the stub sends them:
 * several for SYNC, none for a frame the loader ignores, the stub's
 * "OHAI" greeting after MEM_END with an entry point, READ_FLASH data. */
void             fs_sim_loader_handle_frame         (FsSimLoader        *self,
                                                     const guint8       *frame,
                                                     gsize               len,
                                                     GPtrArray          *replies,
                                                     FsSimLoaderEffects *effects);

G_END_DECLS

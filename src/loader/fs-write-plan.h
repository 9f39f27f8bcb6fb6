/* fs-write-plan.h: writing only what the board does not hold already
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fs-loader.h"

G_BEGIN_DECLS

typedef struct {
  guint32 offset;
  guint32 size;
} FsFlashRange;

/* The parts of [@offset, @offset + size of @data) where the flash differs
 * from @data, found by comparing MD5s on the board: a 64 KiB block first,
 * then its 4 KiB sectors where the block differs. Ranges are whole
 * sectors (or the data's end), in order, adjacent ones merged; an array
 * of FsFlashRange, empty when the board holds @data already. @offset must
 * be a multiple of 4 KiB. */
GArray *fs_write_plan_find_changed (FsLoader      *loader,
                                    guint32        offset,
                                    GBytes        *data,
                                    GCancellable  *cancellable,
                                    GError       **error);

G_END_DECLS

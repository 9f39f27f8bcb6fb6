/* fs-merged.h: merged ("factory") images: bootloader, table and apps in one file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "fs-chip.h"

G_BEGIN_DECLS

/* Whether @bytes looks like a merged image for @chip: an image header at
 * the chip's bootloader offset and a partition table at 0x8000. */
gboolean   fs_merged_image_detect (GBytes     *bytes,
                                   FsChipId    chip);
/* Splits a merged image that starts at flash address 0 into FsFlashParts:
 * "bootloader", "partition-table", then each partition the table names
 * that holds something (app partitions: the image there). */
GPtrArray *fs_merged_image_split  (GBytes     *bytes,
                                   FsChipId    chip,
                                   GError    **error);
/* One image from FsFlashParts, starting at flash address 0, gaps filled
 * with 0xFF, padded with 0xFF to @fill_to bytes (0: no padding). Parts
 * that overlap or end beyond @fill_to are FS_ERROR_INVALID_ARGUMENT. */
GBytes    *fs_merged_image_build  (GPtrArray  *parts,
                                   guint64     fill_to,
                                   GError    **error);

G_END_DECLS

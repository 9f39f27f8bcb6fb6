/* fs-map-region.h: what a flash map draws, made from a layout or from the
 * partition table read back from a board
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fs-layout.h"
#include "fs-partition-table.h"

G_BEGIN_DECLS

typedef enum {
  FS_MAP_KIND_SYSTEM,
  FS_MAP_KIND_VM,
  FS_MAP_KIND_BYTECODE,
  FS_MAP_KIND_STORAGE,
  FS_MAP_KIND_RESERVED,
  FS_MAP_KIND_FREE,       /* not in the layout or table: unused flash */
  FS_MAP_KIND_PROBLEM,    /* the validator found something wrong here */
} FsMapKind;

/* What the board was seen doing with a region's app after its last reset */
typedef enum {
  FS_MAP_BOOT_NOT_SEEN,
  FS_MAP_BOOT_RUNS,      /* the app the board runs */
  FS_MAP_BOOT_FAILED,    /* the app the board should run, and does not */
} FsMapBoot;

typedef struct {
  char      *name;       /* short, drawn on the map: "vm0", "nvs" */
  char      *title;      /* "Zerynth VM (slot 0)" */
  guint32    offset;
  guint32    size;
  FsMapKind  kind;
  char      *content;    /* what it holds, for the tooltip ("blink 1.2.3"), or NULL */
  char      *problem;    /* the validator's sentence, or NULL */
  gboolean   differs;    /* not as in the layout it is compared with */
  gboolean   active;     /* the FOTA slot that otadata selects */
  FsMapBoot  boot;
} FsMapRegion;

void        fs_map_region_clear        (FsMapRegion *region);
/* A deep copy of @regions (of FsMapRegion) */
GArray     *fs_map_regions_copy        (GArray      *regions);
const char *fs_map_kind_to_string      (FsMapKind    kind);

/* Of FsMapRegion in address order, with the gaps as FREE regions up to
 * @flash_size (0: the layout's). Regions the layout validator finds a
 * problem with (overlap, beyond the flash) are PROBLEM, with the message.
 * @active_slot: the VM slot that boots (-1: none marked). */
GArray     *fs_map_regions_from_layout (FsLayout          *layout,
                                        gint               active_slot);
/* The same from a table read back from a board (bootloader and table
 * regions added; kinds from the partition types), each region marked
 * "differs" when @compare (may be NULL) has no region with its offset,
 * size and label. @boot_slot as fs_otadata_get_boot_slot() gives it. */
GArray     *fs_map_regions_from_table  (FsPartitionTable  *table,
                                        guint64            flash_size,
                                        gint               boot_slot,
                                        FsLayout          *compare);

/* The region of @regions that holds @offset gets @boot; what the board
 * was seen doing says more than otadata, so no region is "active" then */
void        fs_map_regions_set_boot    (GArray            *regions,
                                        guint32            offset,
                                        FsMapBoot          boot);
/* The region of @regions that starts at @offset holds @content (what the
 * board holds there: "blink 1.2.3"); none does when none starts there */
void        fs_map_regions_set_content (GArray            *regions,
                                        guint32            offset,
                                        const char        *content);

G_END_DECLS

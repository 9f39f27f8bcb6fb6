/* fs-region-table.h: a flash map's regions as a table, as the seeds print
 * their layouts
 *
 * A row per region, in address order: start, end (the first address
 * after it), size, content (the region's title and name, and a problem
 * found with it) and what the board holds there (the app image's name
 * and version, whether the board runs it or boots it). Property
 * "selected-region" (-1: none) follows the row the user selects, and
 * selects the row it is set to: bound to FsFlashMap's "focus-region", the
 * table and the map follow each other.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "fs-map-region.h"

G_BEGIN_DECLS

typedef enum {
  FS_REGION_COLUMN_START,
  FS_REGION_COLUMN_END,
  FS_REGION_COLUMN_SIZE,
  FS_REGION_COLUMN_CONTENT,
  FS_REGION_COLUMN_BOARD,
} FsRegionColumn;

#define FS_TYPE_REGION_TABLE (fs_region_table_get_type ())
G_DECLARE_FINAL_TYPE (FsRegionTable, fs_region_table, FS, REGION_TABLE, GtkWidget)

FsRegionTable *fs_region_table_new                 (void);
/* @regions: of FsMapRegion (copied) */
void           fs_region_table_set_regions         (FsRegionTable  *self,
                                                    GArray         *regions);
guint          fs_region_table_get_n_rows          (FsRegionTable  *self);
gint           fs_region_table_get_selected_region (FsRegionTable  *self);
void           fs_region_table_set_selected_region (FsRegionTable  *self,
                                                    gint            index);
/* What the cell of region @index in @column says, its lines joined by
 * newlines ("" for an empty cell), for tests and for screen readers */
char          *fs_region_table_dup_cell_text       (FsRegionTable  *self,
                                                    guint           index,
                                                    FsRegionColumn  column);

G_END_DECLS

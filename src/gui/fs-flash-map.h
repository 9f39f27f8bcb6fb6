/* fs-flash-map.h: a flash layout drawn to scale, regions focusable
 *
 * A GtkSnapshot widget (CSS name "flashmap"): the regions of an
 * FsMapRegion array along the flash, small ones at a readable minimum
 * width, coloured by kind (light and dark), labels that fit or are
 * shortened (fs-map-label.h), the active FOTA slot marked, problems drawn
 * as problems; a tooltip and an accessible description per region;
 * Left/Right/Home/End move the focus between regions (the map's
 * selection, property "focus-region"), Enter activates one. While a job runs,
 * a per-sector overlay (erased, written, verified, skipped) is drawn over
 * the regions, redrawn at most once a frame however often it changes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "fs-job.h"
#include "fs-map-label.h"
#include "fs-map-region.h"

G_BEGIN_DECLS

#define FS_TYPE_FLASH_MAP (fs_flash_map_get_type ())
G_DECLARE_FINAL_TYPE (FsFlashMap, fs_flash_map, FS, FLASH_MAP, GtkWidget)

FsFlashMap        *fs_flash_map_new              (void);
/* @regions: of FsMapRegion (copied); @flash_size: the length drawn */
void               fs_flash_map_set_regions      (FsFlashMap    *self,
                                                  GArray        *regions,
                                                  guint64        flash_size);
guint              fs_flash_map_get_n_regions    (FsFlashMap    *self);
const FsMapRegion *fs_flash_map_get_region       (FsFlashMap    *self,
                                                  guint          index);

/* The live overlay: [@offset, @offset + @size) is now in @state */
void               fs_flash_map_set_sectors      (FsFlashMap    *self,
                                                  guint32        offset,
                                                  guint32        size,
                                                  FsRegionState  state);
void               fs_flash_map_clear_sectors    (FsFlashMap    *self);

/* Where region @index is drawn, in widget coordinates (FALSE before the
 * first allocation), for tests and for the tooltip */
gboolean           fs_flash_map_get_region_area  (FsFlashMap    *self,
                                                  guint          index,
                                                  graphene_rect_t *area);
/* The tooltip text of region @index: name, start, end, size in hex and
 * in human units, content, problem */
char              *fs_flash_map_dup_tooltip      (FsFlashMap    *self,
                                                  guint          index);
/* Property "focus-region": the region with the keyboard focus, outlined
 * (fainter while the focus is elsewhere), or -1; setting it moves the
 * outline without activating the region */
gint               fs_flash_map_get_focus_region (FsFlashMap    *self);
void               fs_flash_map_set_focus_region (FsFlashMap    *self,
                                                  gint           index);
/* What region @index shows of its name, size and mark at its width now
 * (NULL before the first allocation) */
const FsMapLabel  *fs_flash_map_get_region_label (FsFlashMap    *self,
                                                  guint          index);

/* Signal "region-activated" (guint index): Enter or a click on a region */

G_END_DECLS

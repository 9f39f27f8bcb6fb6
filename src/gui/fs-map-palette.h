/* fs-map-palette.h: the flash map's colours, light and dark
 *
 * Adwaita's palette, and tints of it for the regions' fills, so that the
 * text (the theme's foreground) reads on light and on dark.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "fs-job.h"
#include "fs-map-label.h"
#include "fs-map-region.h"

G_BEGIN_DECLS

typedef struct {
  GdkRGBA fg;
  GdkRGBA accent;
  GdkRGBA error;
  GdkRGBA warning;
  GdkRGBA success;
} FsMapPalette;

/* The palette of the style in use now (AdwStyleManager's "dark") */
const FsMapPalette *fs_map_palette_get          (void);
GdkRGBA             fs_map_palette_kind_fill    (FsMapKind           kind);
/* A sector's colour in the live overlay */
GdkRGBA             fs_map_palette_state_colour (const FsMapPalette *palette,
                                                 FsRegionState       state);
/* A mark's text, and the bar over the slot that boots */
const GdkRGBA      *fs_map_palette_mark_colour  (const FsMapPalette *palette,
                                                 FsMapMark           mark);

G_END_DECLS

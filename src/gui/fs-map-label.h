/* fs-map-label.h: what the flash map writes in a region, chosen to fit
 *
 * A region's name, size and mark, each written whole where the region is
 * wide enough, else in a short form ("boot" for "bootloader", "▶" for
 * "▶ runs"), else left out; never elided to a stub ("bo…", "28K"): the
 * region table under the map carries the full names and sizes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "fs-map-region.h"

G_BEGIN_DECLS

/* What the third line says about a region, most telling first */
typedef enum {
  FS_MAP_MARK_NONE,
  FS_MAP_MARK_RUNS,      /* the board was seen running its app */
  FS_MAP_MARK_FAILED,    /* the board does not boot its app */
  FS_MAP_MARK_BOOTS,     /* otadata selects it */
  FS_MAP_MARK_PROBLEM,   /* the layout check found it wrong */
  FS_MAP_MARK_DIFFERS,   /* not as in the layout compared with */
} FsMapMark;

typedef struct {
  char       *name;       /* the region's name, its short name, or NULL */
  char       *size;       /* fs_format_size() of it, or NULL */
  const char *mark;       /* "▶ runs", "▶", or NULL (translated, static) */
  FsMapMark   mark_kind;
} FsMapLabel;

/* The short name of a region named @name ("boot" for "bootloader", "pt"
 * for "partition-table"), or NULL for a name without one */
const char *fs_map_label_short_name (const char        *name);
FsMapMark   fs_map_label_mark_of    (const FsMapRegion *region);
/* What the region table says of @mark ("Runs"), translated, or NULL;
 * @style: the CSS class of its colour there ("success") */
const char *fs_map_label_mark_words (FsMapMark          mark,
                                     const char       **style);

/* @label: what of @region fits in @width pixels of text, measured with
 * @layout (the widget's font; its text and attributes are changed) */
void        fs_map_label_fit        (FsMapLabel        *label,
                                     PangoLayout       *layout,
                                     const FsMapRegion *region,
                                     int                width);
void        fs_map_label_clear      (FsMapLabel        *label);

/* Draws @label's lines from (@x, @y): the name in bold, the size, then
 * the mark in @mark_colour */
void        fs_map_label_append     (const FsMapLabel  *label,
                                     GtkSnapshot       *snapshot,
                                     PangoLayout       *layout,
                                     double             x,
                                     double             y,
                                     const GdkRGBA     *text_colour,
                                     const GdkRGBA     *mark_colour);

G_END_DECLS

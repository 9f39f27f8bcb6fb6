/* fs-layout.h: flash layouts, the map a board's flash is divided by
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "fs-partition-table.h"

G_BEGIN_DECLS

typedef enum {
  FS_REGION_KIND_SYSTEM,     /* bootloader, partition table, NVS, otadata, PHY */
  FS_REGION_KIND_VM,         /* the runtime's app slots */
  FS_REGION_KIND_BYTECODE,   /* the program's slots */
  FS_REGION_KIND_STORAGE,    /* free for the user's data */
  FS_REGION_KIND_RESERVED,
} FsRegionKind;

const char *fs_region_kind_to_string (FsRegionKind kind);

typedef struct {
  char         *id;          /* also the partition label */
  char         *title;       /* "Zerynth VM (slot 0)" */
  FsRegionKind  kind;
  guint32       offset;
  guint32       size;
  gint          slot;        /* FOTA slot 0 or 1, -1 for none */
  gboolean      in_partition_table;
  guint8        type;        /* partition type and subtype, when in the table */
  guint8        subtype;
  char         *note;        /* why it is where it is, or NULL */
} FsLayoutRegion;

#define FS_TYPE_LAYOUT (fs_layout_get_type ())
G_DECLARE_FINAL_TYPE (FsLayout, fs_layout, FS, LAYOUT, GObject)

/* Reads a layout keyfile ([Layout] then one [Region ID] group per region).
 * Syntax errors and impossible values fail here, naming @origin and the
 * group; problems of the whole (overlaps…) are for fs_layout_validate(). */
FsLayout             *fs_layout_new_from_data       (const char *data,
                                                     gsize       len,
                                                     const char *origin,
                                                     GError    **error);
/* The layouts Flash Studio ships ("esp32-8mb", "esp32-8mb-ble") */
FsLayout             *fs_layout_new_builtin         (const char *name,
                                                     GError    **error);
GStrv                 fs_layout_list_builtin        (void);

const char           *fs_layout_get_name            (FsLayout   *self);
const char           *fs_layout_get_title           (FsLayout   *self);
const char           *fs_layout_get_note            (FsLayout   *self);   /* or NULL */
guint64               fs_layout_get_flash_size      (FsLayout   *self);
guint                 fs_layout_get_n_regions       (FsLayout   *self);
/* Regions in address order */
const FsLayoutRegion *fs_layout_get_region          (FsLayout   *self,
                                                     guint       index);
const FsLayoutRegion *fs_layout_find_region         (FsLayout   *self,
                                                     const char *id);
/* The region of @kind for FOTA @slot, or NULL */
const FsLayoutRegion *fs_layout_find_slot           (FsLayout     *self,
                                                     FsRegionKind  kind,
                                                     guint         slot);

/* One FsProblem per problem, as fs_regions_check() finds them, plus those
 * of the partition table the layout generates. */
GPtrArray            *fs_layout_validate            (FsLayout   *self);
/* The partition table of the regions that belong in it, in address order */
FsPartitionTable     *fs_layout_to_partition_table  (FsLayout   *self);

G_END_DECLS

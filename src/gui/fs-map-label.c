/* fs-map-label.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "fs-flash.h"
#include "fs-map-label.h"

/* Where a region is too narrow for its name. Names are the layouts' region
 * ids and the partition labels ESP-IDF's tables use; the short forms are
 * names too (as "nvs" is), so they are not translated. */
static const struct {
  const char *name;
  const char *short_name;
} short_names[] = {
  { "bootloader", "boot" },
  { "partition-table", "pt" },
  { "otadata", "ota" },
  { "phy_init", "phy" },
  { "nvs_keys", "keys" },
  { "coredump", "core" },
  { "factory", "app" },
  { "bytecode0", "bc0" },
  { "bytecode1", "bc1" },
  { "storage", "stor" },
  { "storage2", "stor2" },
  { "reserved", "rsvd" },
};

/* Each mark on the map in words, and as its symbol alone where the words
 * do not fit; in the region table in words of its own, in a colour */
static const struct {
  const char *text;
  const char *symbol;
  const char *words;
  const char *style;
} marks[] = {
  [FS_MAP_MARK_NONE] = { NULL, NULL, NULL, NULL },
  /* TRANSLATORS: under the app the board was seen running, on the flash map */
  [FS_MAP_MARK_RUNS] = { N_("▶ runs"), "▶", N_("Runs"), "success" },
  /* TRANSLATORS: under the app the board should run and does not, on the flash map */
  [FS_MAP_MARK_FAILED] = { N_("✕ does not boot"), "✕", N_("Does not boot"), "error" },
  /* TRANSLATORS: under the FOTA slot the board starts, on the flash map */
  [FS_MAP_MARK_BOOTS] = { N_("● boots"), "●", N_("Boots"), "accent" },
  /* TRANSLATORS: under a region the layout check found wrong; the tooltip
   * says why, and so does the region table, under the region's name */
  [FS_MAP_MARK_PROBLEM] = { N_("⚠ problem"), "⚠", NULL, NULL },
  /* TRANSLATORS: under a partition that is not as in the layout compared with */
  [FS_MAP_MARK_DIFFERS] = { N_("≠ layout"), "≠", N_("Not as in the layout"), "warning" },
};

const char *
fs_map_label_short_name (const char *name)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (short_names); i++)
    if (g_str_equal (name, short_names[i].name))
      return short_names[i].short_name;
  return NULL;
}

FsMapMark
fs_map_label_mark_of (const FsMapRegion *region)
{
  /* What the board was seen doing says more than otadata */
  if (region->boot == FS_MAP_BOOT_RUNS)
    return FS_MAP_MARK_RUNS;
  if (region->boot == FS_MAP_BOOT_FAILED)
    return FS_MAP_MARK_FAILED;
  if (region->active)
    return FS_MAP_MARK_BOOTS;
  if (region->kind == FS_MAP_KIND_PROBLEM)
    return FS_MAP_MARK_PROBLEM;
  if (region->differs)
    return FS_MAP_MARK_DIFFERS;
  return FS_MAP_MARK_NONE;
}

/* The name line is bold, the others plain */
static void
set_text (PangoLayout *layout,
          const char  *text,
          gboolean     bold)
{
  g_autoptr(PangoAttrList) attributes = NULL;

  if (bold)
    {
      attributes = pango_attr_list_new ();
      pango_attr_list_insert (attributes, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
    }
  pango_layout_set_attributes (layout, attributes);
  pango_layout_set_text (layout, text, -1);
}

static gboolean
fits (PangoLayout *layout,
      const char  *text,
      gboolean     bold,
      int          width)
{
  int text_width;

  if (text == NULL)
    return FALSE;
  set_text (layout, text, bold);
  pango_layout_get_pixel_size (layout, &text_width, NULL);
  return text_width <= width;
}

/* @text if it fits, else @shorter if that does, else NULL */
static const char *
first_fitting (PangoLayout *layout,
               const char  *text,
               const char  *shorter,
               gboolean     bold,
               int          width)
{
  if (fits (layout, text, bold, width))
    return text;
  return fits (layout, shorter, bold, width) ? shorter : NULL;
}

void
fs_map_label_fit (FsMapLabel        *label,
                  PangoLayout       *layout,
                  const FsMapRegion *region,
                  int                width)
{
  g_autofree char *size = fs_format_size (region->size);

  fs_map_label_clear (label);
  /* Measured whole: an ellipsis is what this avoids */
  pango_layout_set_width (layout, -1);
  label->name = g_strdup (first_fitting (layout, region->name, fs_map_label_short_name (region->name), TRUE, width));
  if (fits (layout, size, FALSE, width))
    label->size = g_steal_pointer (&size);
  label->mark_kind = fs_map_label_mark_of (region);
  if (label->mark_kind != FS_MAP_MARK_NONE)
    label->mark = first_fitting (layout, _(marks[label->mark_kind].text), marks[label->mark_kind].symbol,
                                 FALSE, width);
}

const char *
fs_map_label_mark_words (FsMapMark    mark,
                         const char **style)
{
  g_return_val_if_fail (mark < G_N_ELEMENTS (marks), NULL);

  *style = marks[mark].style;
  return marks[mark].words != NULL ? _(marks[mark].words) : NULL;
}

void
fs_map_label_clear (FsMapLabel *label)
{
  g_clear_pointer (&label->name, g_free);
  g_clear_pointer (&label->size, g_free);
  label->mark = NULL;
  label->mark_kind = FS_MAP_MARK_NONE;
}

/* Draws @text (if any) at (@x, @y); the height of a line, drawn or not */
static int
append_line (GtkSnapshot   *snapshot,
             PangoLayout   *layout,
             const char    *text,
             gboolean       bold,
             double         x,
             double         y,
             const GdkRGBA *colour)
{
  int height;

  set_text (layout, text != NULL ? text : "", bold);
  pango_layout_get_pixel_size (layout, NULL, &height);
  if (text == NULL)
    return height;
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, colour);
  gtk_snapshot_restore (snapshot);
  return height;
}

void
fs_map_label_append (const FsMapLabel *label,
                     GtkSnapshot      *snapshot,
                     PangoLayout      *layout,
                     double            x,
                     double            y,
                     const GdkRGBA    *text_colour,
                     const GdkRGBA    *mark_colour)
{
  pango_layout_set_width (layout, -1);
  /* Lines keep their places when one is left out: sizes line up */
  y += append_line (snapshot, layout, label->name, TRUE, x, y, text_colour);
  y += append_line (snapshot, layout, label->size, FALSE, x, y, text_colour);
  append_line (snapshot, layout, label->mark, FALSE, x, y, mark_colour);
  pango_layout_set_attributes (layout, NULL);
}

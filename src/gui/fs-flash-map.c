/* fs-flash-map.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>
#include <string.h>

#include "fs-flash.h"
#include "fs-flash-map.h"
#include "fs-map-palette.h"

/* Narrower, a region's name and size are no longer readable */
#define MIN_REGION_WIDTH 44
#define MAP_HEIGHT       88
#define LABEL_PADDING    5
#define MARK_HEIGHT      4     /* the bar over the slot that boots */
#define STRIP_HEIGHT     6     /* the live overlay along the bottom */
#define STRIP_MARGIN     3
#define HATCH_SPACING    8.0

struct _FsFlashMap
{
  GtkWidget  parent_instance;

  GArray    *regions;   /* of FsMapRegion */
  GArray    *areas;     /* of graphene_rect_t, one per region, once allocated */
  GArray    *labels;    /* of FsMapLabel, one per area: what fits in it */
  guint64    flash_size;
  gint       focus;

  GByteArray *sectors;  /* one FsRegionState per 4 KiB sector of the flash */
  gboolean    overlay;  /* a job has set some sectors */
};

enum {
  SIGNAL_REGION_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_FOCUS_REGION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (FsFlashMap, fs_flash_map, GTK_TYPE_WIDGET)

/* Which of two states a pixel covering both shows: problems first, then
 * the furthest a sector got */
static guint
state_rank (FsRegionState state)
{
  switch (state)
    {
    case FS_REGION_PENDING: return 0;
    case FS_REGION_ERASED: return 1;
    case FS_REGION_SKIPPED: return 2;
    case FS_REGION_WRITTEN: return 3;
    case FS_REGION_VERIFIED: return 4;
    case FS_REGION_INTERRUPTED: return 5;
    case FS_REGION_DIFFERS: return 6;
    default: return 0;
    }
}

static const FsMapRegion *
region_at (FsFlashMap *self,
           guint       index)
{
  return &g_array_index (self->regions, FsMapRegion, index);
}

/* Widths: small regions at the minimum, the rest of the width shared in
 * proportion to size; repeated because a region may fall under the
 * minimum once others took theirs */
static void
compute_areas (FsFlashMap *self,
               int         width,
               int         height)
{
  guint n = self->regions->len;
  g_autofree gboolean *at_min = g_new0 (gboolean, n);
  g_autofree double *widths = g_new0 (double, n);
  gboolean changed = TRUE;
  double x = 0;

  g_array_set_size (self->areas, 0);
  if (n == 0 || width <= 0)
    return;

  if ((double) n * MIN_REGION_WIDTH >= width)
    {
      for (guint i = 0; i < n; i++)
        widths[i] = (double) width / n;
    }
  else
    {
      while (changed)
        {
          double spare = width;
          double total = 0;

          changed = FALSE;
          for (guint i = 0; i < n; i++)
            {
              if (at_min[i])
                spare -= MIN_REGION_WIDTH;
              else
                total += region_at (self, i)->size;
            }
          for (guint i = 0; i < n; i++)
            {
              if (at_min[i])
                {
                  widths[i] = MIN_REGION_WIDTH;
                  continue;
                }
              widths[i] = total > 0 ? spare * region_at (self, i)->size / total : MIN_REGION_WIDTH;
              if (widths[i] < MIN_REGION_WIDTH)
                at_min[i] = changed = TRUE;
            }
        }
    }

  /* Whole pixels, edge to edge (rounded: x is never negative) */
  for (guint i = 0; i < n; i++)
    {
      double left = (gint64) (x + 0.5);
      double right = (gint64) (x + widths[i] + 0.5);
      graphene_rect_t area = GRAPHENE_RECT_INIT (left, 0, right - left, height);

      g_array_append_val (self->areas, area);
      x += widths[i];
    }
}

static const graphene_rect_t *
area_at (FsFlashMap *self,
         guint       index)
{
  return &g_array_index (self->areas, graphene_rect_t, index);
}

/* What fits in each area, in the widget's font: measured when the areas
 * change rather than at each frame of a job's overlay */
static void
compute_labels (FsFlashMap *self)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);

  g_array_set_size (self->labels, 0);
  g_array_set_size (self->labels, self->areas->len);
  for (guint i = 0; i < self->areas->len; i++)
    {
      /* The pixel between neighbours, and padding on both sides */
      int width = (int) area_at (self, i)->size.width - 1 - 2 * LABEL_PADDING;

      fs_map_label_fit (&g_array_index (self->labels, FsMapLabel, i), layout, region_at (self, i), width);
    }
}

static void
allocate_regions (FsFlashMap *self,
                  int         width,
                  int         height)
{
  compute_areas (self, width, height);
  compute_labels (self);
}

static gint
region_index_at (FsFlashMap *self,
                 double      x)
{
  for (guint i = 0; i < self->areas->len; i++)
    {
      const graphene_rect_t *area = area_at (self, i);

      if (x >= area->origin.x && x < area->origin.x + area->size.width)
        return i;
    }
  return -1;
}

/* One line for a screen reader: what the tooltip says */
static char *
dup_description (FsFlashMap *self,
                 guint       index)
{
  g_autofree char *tooltip = fs_flash_map_dup_tooltip (self, index);
  g_auto(GStrv) lines = g_strsplit (tooltip, "\n", -1);

  return g_strjoinv (_("; "), lines);
}

static void
update_accessible (FsFlashMap *self)
{
  g_autofree char *description = NULL;

  if (self->focus >= 0)
    description = dup_description (self, self->focus);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description != NULL ? description : _("No regions"),
                                  -1);
}

static void
set_focus (FsFlashMap *self,
           gint        index)
{
  if (self->focus == index)
    return;
  self->focus = index;
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOCUS_REGION]);
}

static void
activate_region (FsFlashMap *self,
                 guint       index)
{
  set_focus (self, index);
  g_signal_emit (self, signals[SIGNAL_REGION_ACTIVATED], 0, index);
}

/* Drawing */

static void
append_hatch (GtkSnapshot           *snapshot,
              const graphene_rect_t *area,
              const GdkRGBA         *colour)
{
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, area);

  cairo_rectangle (cr, area->origin.x, area->origin.y, area->size.width, area->size.height);
  cairo_clip (cr);
  gdk_cairo_set_source_rgba (cr, colour);
  cairo_set_line_width (cr, 1.5);
  for (double x = area->origin.x - area->size.height; x < area->origin.x + area->size.width; x += HATCH_SPACING)
    {
      cairo_move_to (cr, x, area->origin.y + area->size.height);
      cairo_line_to (cr, x + area->size.height, area->origin.y);
    }
  cairo_stroke (cr);
  cairo_destroy (cr);
}

static void
append_outline (GtkSnapshot           *snapshot,
                const graphene_rect_t *area,
                float                  inset,
                float                  width,
                const GdkRGBA         *colour)
{
  GskRoundedRect outline;
  const float widths[4] = { width, width, width, width };
  const GdkRGBA colours[4] = { *colour, *colour, *colour, *colour };

  gsk_rounded_rect_init_from_rect (&outline, area, 0);
  gsk_rounded_rect_shrink (&outline, inset, inset, inset, inset);
  gtk_snapshot_append_border (snapshot, &outline, widths, colours);
}

static void
append_labels (FsFlashMap            *self,
               GtkSnapshot           *snapshot,
               PangoLayout           *layout,
               guint                  index,
               const graphene_rect_t *area,
               const FsMapPalette    *palette)
{
  const FsMapLabel *label = fs_flash_map_get_region_label (self, index);
  GdkRGBA text = palette->fg;

  if (region_at (self, index)->kind == FS_MAP_KIND_FREE)
    text.alpha *= 0.6;
  fs_map_label_append (label, snapshot, layout, area->origin.x + LABEL_PADDING, MARK_HEIGHT + LABEL_PADDING,
                       &text, fs_map_palette_mark_colour (palette, label->mark_kind));
}

/* The sectors under each pixel column, the most advanced state of them
 * drawn, equal columns merged into one rectangle */
static void
append_overlay (FsFlashMap            *self,
                GtkSnapshot           *snapshot,
                const FsMapRegion     *region,
                const graphene_rect_t *area,
                const FsMapPalette    *palette)
{
  guint first = region->offset / FS_FLASH_SECTOR_SIZE;
  guint end = MIN (((guint64) region->offset + region->size + FS_FLASH_SECTOR_SIZE - 1) / FS_FLASH_SECTOR_SIZE,
                   self->sectors->len);
  guint columns = MAX (1, (int) area->size.width - 2);
  double y = area->origin.y + area->size.height - STRIP_MARGIN - STRIP_HEIGHT;
  double x0 = area->origin.x + 1;
  guint run_start = 0;
  FsRegionState run_state = FS_REGION_PENDING;

  if (first >= end)
    return;
  for (guint column = 0; column <= columns; column++)
    {
      FsRegionState state = FS_REGION_PENDING;

      if (column < columns)
        {
          guint from = first + (guint64) (end - first) * column / columns;
          guint to = MAX (from + 1, first + (guint) ((guint64) (end - first) * (column + 1) / columns));

          for (guint s = from; s < to && s < end; s++)
            if (state_rank (self->sectors->data[s]) > state_rank (state))
              state = self->sectors->data[s];
        }
      if (column > 0 && (column == columns || state != run_state))
        {
          GdkRGBA colour = fs_map_palette_state_colour (palette, run_state);

          gtk_snapshot_append_color (snapshot, &colour,
                                     &GRAPHENE_RECT_INIT (x0 + run_start, y, column - run_start, STRIP_HEIGHT));
          run_start = column;
        }
      run_state = state;
    }
}

/* The selected region stays outlined while the focus is elsewhere (in the
 * region table, say), fainter */
static void
append_selection (FsFlashMap            *self,
                  GtkSnapshot           *snapshot,
                  const graphene_rect_t *block,
                  const FsMapPalette    *palette)
{
  GdkRGBA outline = palette->fg;

  if (!gtk_widget_has_focus (GTK_WIDGET (self)))
    outline.alpha *= 0.45;
  append_outline (snapshot, block, 3, 2, &outline);
}

static void
append_region (FsFlashMap            *self,
               GtkSnapshot           *snapshot,
               PangoLayout           *layout,
               guint                  index,
               const FsMapPalette    *palette)
{
  const FsMapRegion *region = region_at (self, index);
  const graphene_rect_t *area = area_at (self, index);
  /* A pixel between neighbours */
  graphene_rect_t block = GRAPHENE_RECT_INIT (area->origin.x, area->origin.y,
                                              MAX (1, area->size.width - 1), area->size.height);
  GdkRGBA fill = fs_map_palette_kind_fill (region->kind);

  gtk_snapshot_push_clip (snapshot, &block);
  gtk_snapshot_append_color (snapshot, &fill, &block);
  if (region->kind == FS_MAP_KIND_PROBLEM || region->kind == FS_MAP_KIND_RESERVED)
    {
      GdkRGBA hatch = region->kind == FS_MAP_KIND_PROBLEM ? palette->error : palette->fg;

      hatch.alpha = region->kind == FS_MAP_KIND_PROBLEM ? 0.35 : 0.12;
      append_hatch (snapshot, &block, &hatch);
    }
  if (region->active || region->boot != FS_MAP_BOOT_NOT_SEEN)
    gtk_snapshot_append_color (snapshot, fs_map_palette_mark_colour (palette, fs_map_label_mark_of (region)),
                               &GRAPHENE_RECT_INIT (block.origin.x, block.origin.y, block.size.width, MARK_HEIGHT));
  append_labels (self, snapshot, layout, index, &block, palette);
  if (self->overlay)
    append_overlay (self, snapshot, region, &block, palette);

  if (region->kind == FS_MAP_KIND_PROBLEM)
    append_outline (snapshot, &block, 0, 2, &palette->error);
  else if (region->differs)
    append_outline (snapshot, &block, 0, 2, &palette->warning);
  if ((gint) index == self->focus)
    append_selection (self, snapshot, &block, palette);
  gtk_snapshot_pop (snapshot);
}

static void
fs_flash_map_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  FsFlashMap *self = FS_FLASH_MAP (widget);
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, NULL);
  const FsMapPalette *palette = fs_map_palette_get ();

  pango_layout_set_single_paragraph_mode (layout, TRUE);
  for (guint i = 0; i < self->areas->len; i++)
    append_region (self, snapshot, layout, i, palette);
}

static void
fs_flash_map_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  FsFlashMap *self = FS_FLASH_MAP (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = self->regions->len * MIN_REGION_WIDTH;
  else
    *minimum = *natural = MAP_HEIGHT;
}

static void
fs_flash_map_size_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  allocate_regions (FS_FLASH_MAP (widget), width, height);
}

/* Input */

static void
move_focus (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  FsFlashMap *self = FS_FLASH_MAP (widget);
  gint last = (gint) self->regions->len - 1;

  if (last < 0)
    return;
  if (g_str_equal (action_name, "flash-map.first"))
    set_focus (self, 0);
  else if (g_str_equal (action_name, "flash-map.last"))
    set_focus (self, last);
  else if (g_str_equal (action_name, "flash-map.next"))
    set_focus (self, MIN (self->focus + 1, last));
  else if (g_str_equal (action_name, "flash-map.previous"))
    set_focus (self, MAX (self->focus - 1, 0));
}

static void
activate_focus (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  FsFlashMap *self = FS_FLASH_MAP (widget);

  if (self->focus >= 0)
    activate_region (self, self->focus);
}

static void
on_pressed (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            FsFlashMap      *self)
{
  gint index = region_index_at (self, x);

  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (index >= 0)
    activate_region (self, index);
}

static void
on_focus_enter (FsFlashMap *self)
{
  /* Tabbing in shows where the arrows start from */
  if (self->focus < 0 && self->regions->len > 0)
    set_focus (self, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
on_query_tooltip (FsFlashMap *self,
                  int         x,
                  int         y,
                  gboolean    keyboard_mode,
                  GtkTooltip *tooltip)
{
  gint index = keyboard_mode ? self->focus : region_index_at (self, x);
  g_autofree char *text = NULL;
  graphene_rect_t area;

  if (index < 0 || !fs_flash_map_get_region_area (self, index, &area))
    return FALSE;
  text = fs_flash_map_dup_tooltip (self, index);
  gtk_tooltip_set_text (tooltip, text);
  /* Moving to the next region asks again */
  gtk_tooltip_set_tip_area (tooltip, &(GdkRectangle) { area.origin.x, area.origin.y,
                                                       area.size.width, area.size.height });
  return TRUE;
}

/* API */

FsFlashMap *
fs_flash_map_new (void)
{
  return g_object_new (FS_TYPE_FLASH_MAP, NULL);
}

void
fs_flash_map_set_regions (FsFlashMap *self,
                          GArray     *regions,
                          guint64     flash_size)
{
  g_return_if_fail (FS_IS_FLASH_MAP (self));
  g_return_if_fail (regions != NULL);

  g_array_unref (self->regions);
  self->regions = fs_map_regions_copy (regions);
  self->flash_size = flash_size;
  g_byte_array_set_size (self->sectors, (flash_size + FS_FLASH_SECTOR_SIZE - 1) / FS_FLASH_SECTOR_SIZE);
  fs_flash_map_clear_sectors (self);
  allocate_regions (self, gtk_widget_get_width (GTK_WIDGET (self)), gtk_widget_get_height (GTK_WIDGET (self)));
  gtk_widget_queue_resize (GTK_WIDGET (self));

  /* Once the areas are the new regions', for whoever follows the focus */
  set_focus (self, MIN (self->focus, (gint) self->regions->len - 1));
  update_accessible (self);
}

guint
fs_flash_map_get_n_regions (FsFlashMap *self)
{
  g_return_val_if_fail (FS_IS_FLASH_MAP (self), 0);
  return self->regions->len;
}

const FsMapRegion *
fs_flash_map_get_region (FsFlashMap *self,
                         guint       index)
{
  g_return_val_if_fail (FS_IS_FLASH_MAP (self), NULL);
  g_return_val_if_fail (index < self->regions->len, NULL);
  return region_at (self, index);
}

void
fs_flash_map_set_sectors (FsFlashMap    *self,
                          guint32        offset,
                          guint32        size,
                          FsRegionState  state)
{
  guint first, end;

  g_return_if_fail (FS_IS_FLASH_MAP (self));

  first = offset / FS_FLASH_SECTOR_SIZE;
  end = MIN (((guint64) offset + size + FS_FLASH_SECTOR_SIZE - 1) / FS_FLASH_SECTOR_SIZE, self->sectors->len);
  if (first >= end)
    return;
  memset (self->sectors->data + first, state, end - first);
  self->overlay = TRUE;
  /* However often a job reports, one redraw a frame */
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
fs_flash_map_clear_sectors (FsFlashMap *self)
{
  g_return_if_fail (FS_IS_FLASH_MAP (self));

  if (self->sectors->len > 0)
    memset (self->sectors->data, FS_REGION_PENDING, self->sectors->len);
  self->overlay = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
fs_flash_map_get_region_area (FsFlashMap      *self,
                              guint            index,
                              graphene_rect_t *area)
{
  g_return_val_if_fail (FS_IS_FLASH_MAP (self), FALSE);
  g_return_val_if_fail (area != NULL, FALSE);

  if (index >= self->areas->len)
    return FALSE;
  *area = *area_at (self, index);
  return TRUE;
}

char *
fs_flash_map_dup_tooltip (FsFlashMap *self,
                          guint       index)
{
  const FsMapRegion *region;
  g_autoptr(GString) text = NULL;
  g_autofree char *size = NULL;

  g_return_val_if_fail (FS_IS_FLASH_MAP (self), NULL);
  g_return_val_if_fail (index < self->regions->len, NULL);

  region = region_at (self, index);
  size = fs_format_size (region->size);
  text = g_string_new (region->title != NULL ? region->title : region->name);
  /* TRANSLATORS: a region's start and end (the first address after it) on the flash map */
  g_string_append_printf (text, _("\n0x%06x – 0x%06x"), region->offset, region->offset + region->size);
  /* TRANSLATORS: a region's size in bytes, in hex, then in human units ("1 MiB") */
  g_string_append_printf (text, _("\n0x%x bytes (%s)"), region->size, size);
  if (region->content != NULL)
    /* TRANSLATORS: what a region of the flash holds ("blink 1.2.3") */
    g_string_append_printf (text, _("\nHolds %s"), region->content);
  if (region->boot == FS_MAP_BOOT_RUNS)
    g_string_append (text, _("\nThe board was seen running this app"));
  else if (region->boot == FS_MAP_BOOT_FAILED)
    g_string_append (text, _("\nThe board does not boot this app"));
  else if (region->active)
    g_string_append (text, _("\nThe board boots this slot"));
  if (region->differs)
    g_string_append (text, _("\nNot as in the layout"));
  if (region->problem != NULL)
    g_string_append_printf (text, "\n%s", region->problem);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

gint
fs_flash_map_get_focus_region (FsFlashMap *self)
{
  g_return_val_if_fail (FS_IS_FLASH_MAP (self), -1);
  return self->focus;
}

void
fs_flash_map_set_focus_region (FsFlashMap *self,
                               gint        index)
{
  g_return_if_fail (FS_IS_FLASH_MAP (self));
  g_return_if_fail (index >= -1);

  set_focus (self, index < (gint) self->regions->len ? index : -1);
}

const FsMapLabel *
fs_flash_map_get_region_label (FsFlashMap *self,
                               guint       index)
{
  g_return_val_if_fail (FS_IS_FLASH_MAP (self), NULL);

  if (index >= self->labels->len)
    return NULL;
  return &g_array_index (self->labels, FsMapLabel, index);
}

static void
fs_flash_map_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_FOCUS_REGION:
      g_value_set_int (value, FS_FLASH_MAP (object)->focus);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_flash_map_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_FOCUS_REGION:
      fs_flash_map_set_focus_region (FS_FLASH_MAP (object), g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
on_dark_changed (FsFlashMap *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
fs_flash_map_finalize (GObject *object)
{
  FsFlashMap *self = FS_FLASH_MAP (object);

  g_array_unref (self->regions);
  g_array_unref (self->areas);
  g_array_unref (self->labels);
  g_byte_array_unref (self->sectors);

  G_OBJECT_CLASS (fs_flash_map_parent_class)->finalize (object);
}

static void
fs_flash_map_class_init (FsFlashMapClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = fs_flash_map_finalize;
  object_class->get_property = fs_flash_map_get_property;
  object_class->set_property = fs_flash_map_set_property;
  widget_class->snapshot = fs_flash_map_snapshot;
  widget_class->measure = fs_flash_map_measure;
  widget_class->size_allocate = fs_flash_map_size_allocate;

  signals[SIGNAL_REGION_ACTIVATED] =
    g_signal_new ("region-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);

  /* The map's selection: the region the arrow keys move from, outlined */
  properties[PROP_FOCUS_REGION] =
    g_param_spec_int ("focus-region", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "flash-map.first", NULL, move_focus);
  gtk_widget_class_install_action (widget_class, "flash-map.last", NULL, move_focus);
  gtk_widget_class_install_action (widget_class, "flash-map.next", NULL, move_focus);
  gtk_widget_class_install_action (widget_class, "flash-map.previous", NULL, move_focus);
  gtk_widget_class_install_action (widget_class, "flash-map.activate", NULL, activate_focus);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, 0, "flash-map.first", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Home, 0, "flash-map.first", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_End, 0, "flash-map.last", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_End, 0, "flash-map.last", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0, "flash-map.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Right, 0, "flash-map.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0, "flash-map.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Left, 0, "flash-map.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, 0, "flash-map.activate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, 0, "flash-map.activate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "flash-map.activate", NULL);

  gtk_widget_class_set_css_name (widget_class, "flashmap");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
fs_flash_map_init (FsFlashMap *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkGesture *click = gtk_gesture_click_new ();
  GtkEventController *focus = gtk_event_controller_focus_new ();

  self->regions = g_array_new (FALSE, TRUE, sizeof (FsMapRegion));
  g_array_set_clear_func (self->regions, (GDestroyNotify) fs_map_region_clear);
  self->areas = g_array_new (FALSE, FALSE, sizeof (graphene_rect_t));
  self->labels = g_array_new (FALSE, TRUE, sizeof (FsMapLabel));
  g_array_set_clear_func (self->labels, (GDestroyNotify) fs_map_label_clear);
  self->sectors = g_byte_array_new ();
  self->focus = -1;

  gtk_widget_set_focusable (widget, TRUE);
  gtk_widget_set_hexpand (widget, TRUE);
  gtk_widget_set_has_tooltip (widget, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Flash map"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _("No regions"),
                                  -1);

  g_signal_connect (click, "pressed", G_CALLBACK (on_pressed), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (click));
  g_signal_connect_swapped (focus, "enter", G_CALLBACK (on_focus_enter), self);
  g_signal_connect_swapped (focus, "leave", G_CALLBACK (gtk_widget_queue_draw), self);
  gtk_widget_add_controller (widget, focus);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (on_dark_changed), self, G_CONNECT_SWAPPED);
}

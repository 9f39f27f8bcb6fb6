/* fs-region-table.c
 *
 * A GtkListBox styled as a table rather than a GtkColumnView: the table
 * sits in the flash view's scrolling page, where a list box takes the
 * height of its rows (a column view wants a scrolled window of its own),
 * and its rows read like the boxed lists under it.
 *
 * The cells line up with the column titles: the addresses and the size,
 * one line each, through a size group per column; content and board, which
 * wrap, as the two halves of a homogeneous box. A size group would not do
 * for them: it measures every row's cell for this row's height, at which a
 * wrapping label asks for its whole text on one line.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "fs-flash.h"
#include "fs-map-label.h"
#include "fs-region-table.h"

/* The column titles' msgctxt, as the NC_() below spell it out for xgettext */
#define COLUMN_CONTEXT  "region table"
#define N_COLUMNS       (FS_REGION_COLUMN_BOARD + 1)
#define N_FIXED_COLUMNS FS_REGION_COLUMN_CONTENT   /* the first ones: one line each */

struct _FsRegionTable
{
  GtkWidget     parent_instance;

  GtkListBox   *list;

  GtkSizeGroup *columns[N_FIXED_COLUMNS];
  GArray       *regions;       /* of FsMapRegion */
  gint          selected;
  gboolean      rebuilding;    /* rows going and coming: not the user's selection */
};

enum {
  PROP_0,
  PROP_SELECTED_REGION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (FsRegionTable, fs_region_table, GTK_TYPE_WIDGET)

static const struct {
  const char *title;
  float       xalign;
} columns[N_COLUMNS] = {
  /* TRANSLATORS: column titles of the flash regions' table in the window:
   * a region's first address, the first address after it, its size, what
   * it is, and what the board holds there (an app's name and version).
   * There is room for whole words, unlike in the command line's tables */
  [FS_REGION_COLUMN_START] = { NC_("region table", "Start"), 0 },
  [FS_REGION_COLUMN_END] = { NC_("region table", "End"), 0 },
  /* Right-aligned, so that the units line up */
  [FS_REGION_COLUMN_SIZE] = { NC_("region table", "Size"), 1 },
  [FS_REGION_COLUMN_CONTENT] = { NC_("region table", "Content"), 0 },
  [FS_REGION_COLUMN_BOARD] = { NC_("region table", "On the Board"), 0 },
};

/* ---- rows ---- */

static GtkWidget *
row_box_new (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  return box;
}

static gboolean
wraps (FsRegionColumn column)
{
  return column >= N_FIXED_COLUMNS;
}

/* The box that shares the rest of the row between the wrapping columns,
 * after the fixed ones */
static GtkWidget *
wrapping_box (GtkWidget *row_box)
{
  GtkWidget *last = gtk_widget_get_last_child (row_box);

  if (last != NULL && gtk_box_get_homogeneous (GTK_BOX (last)))
    return last;
  last = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_box_set_homogeneous (GTK_BOX (last), TRUE);
  gtk_widget_set_hexpand (last, TRUE);
  gtk_box_append (GTK_BOX (row_box), last);
  return last;
}

/* A cell: its lines one under the other, as wide as its column; cells
 * are added in column order */
static GtkWidget *
cell_new (FsRegionTable  *self,
          GtkWidget      *row_box,
          FsRegionColumn  column)
{
  GtkWidget *cell = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);

  gtk_widget_set_valign (cell, GTK_ALIGN_START);
  if (wraps (column))
    gtk_box_append (GTK_BOX (wrapping_box (row_box)), cell);
  else
    {
      gtk_size_group_add_widget (self->columns[column], cell);
      gtk_box_append (GTK_BOX (row_box), cell);
    }
  return cell;
}

static GtkWidget *
cell_at (GtkWidget      *row_box,
         FsRegionColumn  column)
{
  GtkWidget *cell = wraps (column) ? gtk_widget_get_first_child (wrapping_box (row_box))
                                   : gtk_widget_get_first_child (row_box);

  for (guint i = wraps (column) ? N_FIXED_COLUMNS : 0; i < column; i++)
    cell = gtk_widget_get_next_sibling (cell);
  return cell;
}

/* A line of @cell, wrapped at words where the column is narrow; @style:
 * CSS classes, space-separated, or NULL */
static void
add_line (GtkWidget  *cell,
          const char *text,
          const char *style)
{
  GtkWidget *label = gtk_label_new (text);
  g_auto(GStrv) classes = g_strsplit (style != NULL ? style : "", " ", -1);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  for (guint i = 0; classes[i] != NULL; i++)
    if (*classes[i] != '\0')
      gtk_widget_add_css_class (label, classes[i]);
  gtk_box_append (GTK_BOX (cell), label);
}

static void
add_text_cell (FsRegionTable  *self,
               GtkWidget      *row_box,
               FsRegionColumn  column,
               const char     *text,
               const char     *style)
{
  GtkWidget *cell = cell_new (self, row_box, column);
  GtkLabel *label;

  add_line (cell, text, style);
  label = GTK_LABEL (gtk_widget_get_first_child (cell));
  /* An address or a size is one word: "28 KiB" is not to be cut */
  gtk_label_set_wrap (label, wraps (column));
  gtk_label_set_xalign (label, columns[column].xalign);
}

/* The region's title as the layout or the table names it, its name (the
 * partition's label) under it, and what is wrong with it */
static void
add_content_cell (FsRegionTable     *self,
                  GtkWidget         *row_box,
                  const FsMapRegion *region)
{
  GtkWidget *cell = cell_new (self, row_box, FS_REGION_COLUMN_CONTENT);
  gboolean free_flash = region->kind == FS_MAP_KIND_FREE;

  add_line (cell, region->title != NULL ? region->title : region->name, free_flash ? "dim-label" : NULL);
  if (!free_flash && region->title != NULL && g_strcmp0 (region->title, region->name) != 0)
    add_line (cell, region->name, "address caption dim-label");
  if (region->problem != NULL)
    add_line (cell, region->problem, "caption error");
}

/* A problem has no words here: its sentence is under the content */
static void
add_mark (GtkWidget *cell,
          FsMapMark  mark)
{
  const char *style;
  const char *words = fs_map_label_mark_words (mark, &style);

  if (words != NULL)
    add_line (cell, words, style);
}

/* The image there ("blink 1.2.3"), then what the board was seen doing */
static void
add_board_cell (FsRegionTable     *self,
                GtkWidget         *row_box,
                const FsMapRegion *region)
{
  GtkWidget *cell = cell_new (self, row_box, FS_REGION_COLUMN_BOARD);
  FsMapMark mark = fs_map_label_mark_of (region);

  if (region->content != NULL)
    add_line (cell, region->content, NULL);
  /* Both when the board runs a slot that is not as in the layout */
  if (mark != FS_MAP_MARK_DIFFERS)
    add_mark (cell, mark);
  if (region->differs)
    add_mark (cell, FS_MAP_MARK_DIFFERS);
}

static GtkWidget *
region_row_new (FsRegionTable     *self,
                const FsMapRegion *region)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = row_box_new ();
  /* As the seeds print them: 0x1000, 0x8000, 0xD000 */
  g_autofree char *start = g_strdup_printf ("0x%X", region->offset);
  g_autofree char *end = g_strdup_printf ("0x%X", region->offset + region->size);
  g_autofree char *size = fs_format_size (region->size);

  add_text_cell (self, box, FS_REGION_COLUMN_START, start, "address");
  add_text_cell (self, box, FS_REGION_COLUMN_END, end, "address");
  add_text_cell (self, box, FS_REGION_COLUMN_SIZE, size, "numeric");
  add_content_cell (self, box, region);
  add_board_cell (self, box, region);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

/* The column titles, over the first row */
static GtkWidget *
header_new (FsRegionTable *self)
{
  GtkWidget *box = row_box_new ();

  for (guint i = 0; i < N_COLUMNS; i++)
    add_text_cell (self, box, i, g_dpgettext2 (GETTEXT_PACKAGE, COLUMN_CONTEXT, columns[i].title),
                   "caption-heading dim-label");
  return box;
}

static void
update_header (GtkListBoxRow *row,
               GtkListBoxRow *before,
               gpointer       user_data)
{
  if (before != NULL)
    gtk_list_box_row_set_header (row, NULL);
  else if (gtk_list_box_row_get_header (row) == NULL)
    gtk_list_box_row_set_header (row, header_new (user_data));
}

/* ---- selection ---- */

static void
on_row_selected (GtkListBox    *list,
                 GtkListBoxRow *row,
                 FsRegionTable *self)
{
  gint index = row != NULL ? gtk_list_box_row_get_index (row) : -1;

  if (self->rebuilding || index == self->selected)
    return;
  self->selected = index;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_REGION]);
}

/* Selects row @index (none for -1 or past the end); notifies only when
 * that changes what is selected, so that a binding to the map stops here */
static void
select_row (FsRegionTable *self,
            gint           index)
{
  GtkListBoxRow *row = index >= 0 ? gtk_list_box_get_row_at_index (self->list, index) : NULL;
  gint selected = row != NULL ? index : -1;
  gboolean changed = selected != self->selected;

  /* Before the list box says so: on_row_selected then sees no change */
  self->selected = selected;
  if (row != NULL)
    gtk_list_box_select_row (self->list, row);
  else
    gtk_list_box_unselect_all (self->list);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_REGION]);
}

/* ---- API ---- */

FsRegionTable *
fs_region_table_new (void)
{
  return g_object_new (FS_TYPE_REGION_TABLE, NULL);
}

void
fs_region_table_set_regions (FsRegionTable *self,
                             GArray        *regions)
{
  GtkWidget *child;

  g_return_if_fail (FS_IS_REGION_TABLE (self));
  g_return_if_fail (regions != NULL);

  g_array_unref (self->regions);
  self->regions = fs_map_regions_copy (regions);
  self->rebuilding = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  for (guint i = 0; i < self->regions->len; i++)
    gtk_list_box_append (self->list, region_row_new (self, &g_array_index (self->regions, FsMapRegion, i)));
  self->rebuilding = FALSE;
  /* The same index, as the map keeps it */
  select_row (self, MIN (self->selected, (gint) self->regions->len - 1));
}

guint
fs_region_table_get_n_rows (FsRegionTable *self)
{
  g_return_val_if_fail (FS_IS_REGION_TABLE (self), 0);
  return self->regions->len;
}

gint
fs_region_table_get_selected_region (FsRegionTable *self)
{
  g_return_val_if_fail (FS_IS_REGION_TABLE (self), -1);
  return self->selected;
}

void
fs_region_table_set_selected_region (FsRegionTable *self,
                                     gint           index)
{
  g_return_if_fail (FS_IS_REGION_TABLE (self));
  g_return_if_fail (index >= -1);

  select_row (self, index);
}

char *
fs_region_table_dup_cell_text (FsRegionTable  *self,
                               guint           index,
                               FsRegionColumn  column)
{
  GtkListBoxRow *row;
  GtkWidget *cell;
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (FS_IS_REGION_TABLE (self), NULL);
  g_return_val_if_fail (column < N_COLUMNS, NULL);

  row = gtk_list_box_get_row_at_index (self->list, index);
  g_return_val_if_fail (row != NULL, NULL);
  cell = cell_at (gtk_list_box_row_get_child (row), column);
  for (GtkWidget *line = gtk_widget_get_first_child (cell); line != NULL; line = gtk_widget_get_next_sibling (line))
    g_string_append_printf (text, "%s%s", text->len > 0 ? "\n" : "", gtk_label_get_text (GTK_LABEL (line)));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
fs_region_table_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), FS_TYPE_REGION_TABLE);

  G_OBJECT_CLASS (fs_region_table_parent_class)->dispose (object);
}

static void
fs_region_table_finalize (GObject *object)
{
  FsRegionTable *self = FS_REGION_TABLE (object);

  g_array_unref (self->regions);
  for (guint i = 0; i < N_FIXED_COLUMNS; i++)
    g_object_unref (self->columns[i]);

  G_OBJECT_CLASS (fs_region_table_parent_class)->finalize (object);
}

static void
fs_region_table_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_SELECTED_REGION:
      g_value_set_int (value, FS_REGION_TABLE (object)->selected);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_region_table_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_SELECTED_REGION:
      fs_region_table_set_selected_region (FS_REGION_TABLE (object), g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_region_table_class_init (FsRegionTableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fs_region_table_dispose;
  object_class->finalize = fs_region_table_finalize;
  object_class->get_property = fs_region_table_get_property;
  object_class->set_property = fs_region_table_set_property;

  properties[PROP_SELECTED_REGION] =
    g_param_spec_int ("selected-region", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/flashstudio/FlashStudio/fs-region-table.ui");
  gtk_widget_class_bind_template_child (widget_class, FsRegionTable, list);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "regiontable");
}

static void
fs_region_table_init (FsRegionTable *self)
{
  self->regions = g_array_new (FALSE, TRUE, sizeof (FsMapRegion));
  self->selected = -1;
  for (guint i = 0; i < N_FIXED_COLUMNS; i++)
    self->columns[i] = gtk_size_group_new (GTK_SIZE_GROUP_HORIZONTAL);
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_list_box_set_header_func (self->list, update_header, self, NULL);
  g_signal_connect (self->list, "row-selected", G_CALLBACK (on_row_selected), self);
}

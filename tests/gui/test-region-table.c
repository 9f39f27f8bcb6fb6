/* test-region-table.c: the flash map's region table in the real window
 * (under Xvfb) at its smallest size: a row per region of the esp32-8mb
 * layout after Create VM, the table and the map selecting each other's
 * region, what the board holds after Virtualize; and the map's labels,
 * whole or short, never elided
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fs-flash.h"
#include "fs-flash-view.h"
#include "fs-map-label.h"
#include "fs-region-table.h"
#include "fs-test-gui.h"
#include "fs-test-image.h"

#define WIDTH  800
#define HEIGHT 600

typedef struct {
  FsApplication *application;
  FsWindow      *window;
  FsFlashView   *view;
  FsFlashMap    *map;
  FsRegionTable *table;
  guint          map_notifies;
  guint          table_notifies;
} Fixture;

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static gboolean
table_allocated (gpointer user_data)
{
  Fixture *fixture = user_data;
  graphene_rect_t area;

  return gtk_widget_get_mapped (GTK_WIDGET (fixture->table)) &&
         fs_flash_map_get_region_area (fixture->map, 0, &area);
}

/* Registered, with a VM set made for the esp32-8mb layout: the map shows
 * that layout, nothing written yet */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  static const char * const strings[] = { "FSSIM:PRINT:I (300) zerynth: VM ready", NULL };
  g_autoptr(GBytes) vm = fs_test_printing_app ("zerynth-vm", strings);
  g_autofree char *package = NULL;

  fixture->application = fs_test_gui_application_new ("heltec-wifi-kit-32");
  fixture->window = fs_test_gui_window_new (fixture->application, WIDTH, HEIGHT);
  fixture->view = fs_test_gui_window_child (fixture->window, "flash_view");
  fixture->map = fs_flash_view_get_map (fixture->view);
  fixture->table = FS_REGION_TABLE (gtk_widget_get_template_child (GTK_WIDGET (fixture->view), FS_TYPE_FLASH_VIEW,
                                                                   "region_table"));
  g_signal_connect (fixture->map, "notify::focus-region", G_CALLBACK (count_notify), &fixture->map_notifies);
  g_signal_connect (fixture->table, "notify::selected-region", G_CALLBACK (count_notify),
                    &fixture->table_notifies);

  fs_test_gui_register (fixture->window, "desk board", FALSE);
  fs_test_gui_wait_idle (fixture->window);
  package = fs_test_gui_write_package (vm);
  fs_test_gui_create_vm (fixture->window, package);
  gtk_widget_activate_action_variant (GTK_WIDGET (fixture->window), "win.show-view", g_variant_new_string ("map"));
  g_assert_cmpstr (fs_flash_view_get_source (fixture->view), ==, "esp32-8mb");
  fs_test_gui_wait (table_allocated, fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  fs_test_gui_close (fixture->application, fixture->window);
}

static GtkListBox *
table_list (Fixture *fixture)
{
  return GTK_LIST_BOX (gtk_widget_get_first_child (GTK_WIDGET (fixture->table)));
}

/* The row the list box shows selected, or -1 */
static gint
selected_row (Fixture *fixture)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (table_list (fixture));

  return row != NULL ? gtk_list_box_row_get_index (row) : -1;
}

static void
assert_cell (Fixture        *fixture,
             guint           index,
             FsRegionColumn  column,
             const char     *expected)
{
  g_autofree char *text = fs_region_table_dup_cell_text (fixture->table, index, column);

  g_assert_cmpstr (text, ==, expected);
}

/* The layout as the seeds print it, the first 4 KiB unused, and the
 * second storage where the shipped layout moved it */
static void
test_rows (Fixture       *fixture,
           gconstpointer  user_data)
{
  static const struct { const char *start, *end, *size; } expected[] = {
    { "0x0", "0x1000", "4 KiB" },
    { "0x1000", "0x8000", "28 KiB" },
    { "0x8000", "0x9000", "4 KiB" },
    { "0x9000", "0xD000", "16 KiB" },
    { "0xD000", "0xF000", "8 KiB" },
    { "0xF000", "0x10000", "4 KiB" },
    { "0x10000", "0x110000", "1 MiB" },
    { "0x110000", "0x210000", "1 MiB" },
    { "0x210000", "0x290000", "512 KiB" },
    { "0x290000", "0x310000", "512 KiB" },
    { "0x310000", "0x390000", "512 KiB" },
    { "0x390000", "0x400000", "448 KiB" },
    { "0x400000", "0x800000", "4 MiB" },
  };

  g_assert_cmpuint (fs_region_table_get_n_rows (fixture->table), ==, G_N_ELEMENTS (expected));
  g_assert_cmpuint (fs_flash_map_get_n_regions (fixture->map), ==, G_N_ELEMENTS (expected));
  g_assert_nonnull (gtk_list_box_get_row_at_index (table_list (fixture), G_N_ELEMENTS (expected) - 1));
  g_assert_null (gtk_list_box_get_row_at_index (table_list (fixture), G_N_ELEMENTS (expected)));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      assert_cell (fixture, i, FS_REGION_COLUMN_START, expected[i].start);
      assert_cell (fixture, i, FS_REGION_COLUMN_END, expected[i].end);
      assert_cell (fixture, i, FS_REGION_COLUMN_SIZE, expected[i].size);
    }
  /* The layout's title, with the name the map and the partition table use */
  assert_cell (fixture, 0, FS_REGION_COLUMN_CONTENT, "Unused flash");
  assert_cell (fixture, 1, FS_REGION_COLUMN_CONTENT, "Bootloader\nbootloader");
  assert_cell (fixture, 4, FS_REGION_COLUMN_CONTENT, "Esp32 OTA data\notadata");
  assert_cell (fixture, 6, FS_REGION_COLUMN_CONTENT, "Zerynth VM (slot 0)\nvm0");
  assert_cell (fixture, 8, FS_REGION_COLUMN_CONTENT, "Zerynth Bytecode (slot 0)\nbytecode0");
  /* Nothing read from the board yet */
  assert_cell (fixture, 6, FS_REGION_COLUMN_BOARD, "");
  /* The table makes the window no wider than its smallest size */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), <=, WIDTH);
}

/* The map's keyboard moves the table's selection, and only once each */
static void
test_map_selects_row (Fixture       *fixture,
                      gconstpointer  user_data)
{
  GtkWidget *map = GTK_WIDGET (fixture->map);
  guint last = fs_flash_map_get_n_regions (fixture->map) - 1;

  g_assert_cmpint (selected_row (fixture), ==, fs_flash_map_get_focus_region (fixture->map));
  g_assert_true (gtk_widget_grab_focus (map));
  /* Focus coming in starts at the first region */
  g_assert_cmpint (fs_flash_map_get_focus_region (fixture->map), ==, 0);
  g_assert_cmpint (selected_row (fixture), ==, 0);

  fixture->map_notifies = fixture->table_notifies = 0;
  gtk_widget_activate_action (map, "flash-map.next", NULL);
  gtk_widget_activate_action (map, "flash-map.next", NULL);
  g_assert_cmpint (selected_row (fixture), ==, 2);
  g_assert_cmpint (fs_region_table_get_selected_region (fixture->table), ==, 2);
  g_assert_cmpuint (fixture->map_notifies, ==, 2);
  g_assert_cmpuint (fixture->table_notifies, ==, 2);

  gtk_widget_activate_action (map, "flash-map.last", NULL);
  g_assert_cmpint (selected_row (fixture), ==, last);
  /* The focus stays in the map */
  g_assert_true (gtk_widget_has_focus (map));
}

/* A row chosen in the table (as a click does) selects its region in the
 * map, which keeps it when the focus goes back there */
static void
test_row_selects_map (Fixture       *fixture,
                      gconstpointer  user_data)
{
  GtkListBoxRow *vm1 = gtk_list_box_get_row_at_index (table_list (fixture), 7);

  fixture->map_notifies = fixture->table_notifies = 0;
  gtk_list_box_select_row (table_list (fixture), vm1);
  g_assert_cmpint (fs_flash_map_get_focus_region (fixture->map), ==, 7);
  g_assert_cmpstr (fs_flash_map_get_region (fixture->map, 7)->name, ==, "vm1");
  g_assert_cmpuint (fixture->map_notifies, ==, 1);
  g_assert_cmpuint (fixture->table_notifies, ==, 1);

  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (fixture->map)));
  g_assert_cmpint (fs_flash_map_get_focus_region (fixture->map), ==, 7);
  gtk_widget_activate_action (GTK_WIDGET (fixture->map), "flash-map.previous", NULL);
  g_assert_cmpint (selected_row (fixture), ==, 6);

  /* Another source keeps the index: both still agree */
  fs_flash_view_set_source (fixture->view, "esp32-8mb-ble");
  g_assert_cmpint (fs_flash_map_get_focus_region (fixture->map), ==, 6);
  g_assert_cmpint (selected_row (fixture), ==, 6);
  assert_cell (fixture, 6, FS_REGION_COLUMN_SIZE, "1216 KiB");
}

static gboolean
shows_board_table (gpointer user_data)
{
  Fixture *fixture = user_data;

  return fs_region_table_get_n_rows (fixture->table) > 0 &&
         g_strcmp0 (fs_flash_map_get_region (fixture->map, 0)->name, "free") == 0 &&
         fs_board_session_get_slot_job (fs_window_get_session (fixture->window)) != NULL;
}

/* "On the board" before a read, after reading an empty board, then after
 * Virtualize: the image in slot 0, which runs, and an empty slot 1 */
static void
test_board_column (Fixture       *fixture,
                   gconstpointer  user_data)
{
  FsJob *slots;
  g_autofree char *expected = NULL;
  g_autofree char *vm0 = NULL;
  GtkWidget *read_button;
  GtkWidget *slots_list;

  fs_flash_view_set_source (fixture->view, "board");
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (fixture->table)));
  /* The page before a read: it offers the read, and does not widen the window */
  read_button = fs_test_gui_find_label (GTK_WIDGET (fixture->view), "Read from the Board");
  g_assert_nonnull (read_button);
  fs_test_gui_run_for (100);
  g_assert_true (gtk_widget_get_mapped (read_button));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), <=, WIDTH);

  /* Read from a board with nothing on it yet: the slot list says why it
   * lists no slot, rather than being an empty sliver */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.read-slots", NULL));
  fs_test_gui_wait_idle (fixture->window);
  fs_test_gui_run_for (100);
  slots_list = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (fixture->view), FS_TYPE_FLASH_VIEW,
                                                          "slots_list"));
  g_assert_nonnull (fs_test_gui_find_label (slots_list, "No slots: the board holds no partition table"));
  g_assert_cmpint (gtk_widget_get_height (slots_list), >=, 40);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.primary", NULL));
  fs_test_gui_wait_idle (fixture->window);
  fs_flash_view_set_source (fixture->view, "board");
  fs_test_gui_wait (shows_board_table, fixture);
  slots = fs_board_session_get_slot_job (fs_window_get_session (fixture->window));
  g_assert_nonnull (fs_job_get_slot_title (slots, 0));

  g_assert_cmpstr (fs_flash_map_get_region (fixture->map, 6)->name, ==, "vm0");
  vm0 = fs_region_table_dup_cell_text (fixture->table, 6, FS_REGION_COLUMN_BOARD);
  /* Runs once the boot check saw it, else otadata's Boots */
  g_assert_true (g_str_has_prefix (vm0, fs_job_get_slot_title (slots, 0)));
  expected = g_strdup_printf ("%s\nRuns", fs_job_get_slot_title (slots, 0));
  if (g_strcmp0 (vm0, expected) != 0)
    {
      g_free (expected);
      expected = g_strdup_printf ("%s\nBoots", fs_job_get_slot_title (slots, 0));
    }
  g_assert_cmpstr (vm0, ==, expected);
  assert_cell (fixture, 7, FS_REGION_COLUMN_BOARD, "empty");
  assert_cell (fixture, 1, FS_REGION_COLUMN_BOARD, "");
}

/* The short names, as data */
static void
test_short_names (void)
{
  g_assert_cmpstr (fs_map_label_short_name ("bootloader"), ==, "boot");
  g_assert_cmpstr (fs_map_label_short_name ("partition-table"), ==, "pt");
  g_assert_cmpstr (fs_map_label_short_name ("otadata"), ==, "ota");
  g_assert_cmpstr (fs_map_label_short_name ("phy_init"), ==, "phy");
  g_assert_null (fs_map_label_short_name ("vm0"));
  g_assert_null (fs_map_label_short_name (NULL));
}

static int
text_width (PangoLayout *layout,
            const char  *text,
            gboolean     bold)
{
  g_autoptr(PangoAttrList) attributes = pango_attr_list_new ();
  int width;

  if (bold)
    pango_attr_list_insert (attributes, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_layout_set_attributes (layout, attributes);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &width, NULL);
  return width;
}

/* What fits, at widths from roomy to none, measured in the font there is */
static void
test_label_fit (void)
{
  GtkWidget *label = g_object_ref_sink (gtk_label_new (NULL));
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (label, NULL);
  FsMapRegion bootloader = { .name = (char *) "bootloader", .offset = 0x1000, .size = 0x7000,
                             .kind = FS_MAP_KIND_SYSTEM, .active = TRUE };
  FsMapLabel fit = { NULL };
  int boot = text_width (layout, "boot", TRUE);

  fs_map_label_fit (&fit, layout, &bootloader, 400);
  g_assert_cmpstr (fit.name, ==, "bootloader");
  g_assert_cmpstr (fit.size, ==, "28 KiB");
  g_assert_cmpstr (fit.mark, ==, "● boots");

  /* Just room for "boot": where the map used to write "bo…" and "28K" */
  g_assert_cmpint (text_width (layout, "bootloader", TRUE), >, boot);
  g_assert_cmpint (text_width (layout, "● boots", FALSE), >, boot);
  fs_map_label_fit (&fit, layout, &bootloader, boot);
  g_assert_cmpstr (fit.name, ==, "boot");
  if (text_width (layout, "28 KiB", FALSE) > boot)
    g_assert_null (fit.size);
  else
    g_assert_cmpstr (fit.size, ==, "28 KiB");
  g_assert_cmpstr (fit.mark, ==, "●");
  g_assert_cmpint (fit.mark_kind, ==, FS_MAP_MARK_BOOTS);

  /* Narrower than "boot": nothing rather than a stub */
  fs_map_label_fit (&fit, layout, &bootloader, boot - 1);
  g_assert_null (fit.name);

  fs_map_label_fit (&fit, layout, &bootloader, 0);
  g_assert_null (fit.name);
  g_assert_null (fit.size);
  g_assert_null (fit.mark);

  fs_map_label_clear (&fit);
  g_object_unref (label);
}

/* In the window at 800 px: every label whole or short, the narrow system
 * regions by their short names, no size written as "28K" */
static void
test_map_labels (Fixture       *fixture,
                 gconstpointer  user_data)
{
  static const struct { const char *name, *drawn; } narrow[] = {
    { "bootloader", "boot" },
    { "partition-table", "pt" },
    { "otadata", "ota" },
    { "phy_init", "phy" },
  };

  for (guint i = 0; i < fs_flash_map_get_n_regions (fixture->map); i++)
    {
      const FsMapRegion *region = fs_flash_map_get_region (fixture->map, i);
      const FsMapLabel *label = fs_flash_map_get_region_label (fixture->map, i);
      g_autofree char *size = fs_format_size (region->size);

      g_assert_nonnull (label);
      g_assert_true (label->name == NULL || g_str_equal (label->name, region->name) ||
                     g_strcmp0 (label->name, fs_map_label_short_name (region->name)) == 0);
      g_assert_true (label->size == NULL || g_str_equal (label->size, size));
      for (guint j = 0; j < G_N_ELEMENTS (narrow); j++)
        if (g_str_equal (region->name, narrow[j].name))
          g_assert_cmpstr (label->name, ==, narrow[j].drawn);
    }
  /* A region with room keeps its name and size */
  g_assert_cmpstr (fs_flash_map_get_region (fixture->map, 12)->name, ==, "storage2");
  g_assert_cmpstr (fs_flash_map_get_region_label (fixture->map, 12)->name, ==, "storage2");
  g_assert_cmpstr (fs_flash_map_get_region_label (fixture->map, 12)->size, ==, "4 MiB");
}

int
main (int   argc,
      char *argv[])
{
  /* Skipped without a display */
  if (!fs_test_gui_init (&argc, &argv))
    return 77;

  g_test_add_func ("/region-table/short-names", test_short_names);
  g_test_add_func ("/region-table/label-fit", test_label_fit);
  g_test_add ("/region-table/rows", Fixture, NULL, fixture_set_up, test_rows, fixture_tear_down);
  g_test_add ("/region-table/map-selects-row", Fixture, NULL, fixture_set_up, test_map_selects_row,
              fixture_tear_down);
  g_test_add ("/region-table/row-selects-map", Fixture, NULL, fixture_set_up, test_row_selects_map,
              fixture_tear_down);
  g_test_add ("/region-table/map-labels", Fixture, NULL, fixture_set_up, test_map_labels, fixture_tear_down);
  g_test_add ("/region-table/board-column", Fixture, NULL, fixture_set_up, test_board_column, fixture_tear_down);
  return g_test_run ();
}

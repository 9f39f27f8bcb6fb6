/* test-flash-map.c: the flash map in a real window (under Xvfb): where
 * regions are drawn, what problems and the overlay look like, the
 * keyboard, the tooltips
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "fs-flash-map.h"
#include "fs-test-gui.h"

#define WIDTH     900
#define MIN_WIDTH 44   /* the widget's readable minimum per region */

typedef struct {
  GtkWindow  *window;
  FsFlashMap *map;
  guint       activated;
  guint       n_activated;
} Fixture;

static void
on_region_activated (FsFlashMap *map,
                     guint       index,
                     Fixture    *fixture)
{
  fixture->activated = index;
  fixture->n_activated++;
}

static gboolean
allocated (gpointer user_data)
{
  Fixture *fixture = user_data;
  graphene_rect_t area;

  return gtk_widget_get_width (GTK_WIDGET (fixture->map)) == WIDTH &&
         fs_flash_map_get_region_area (fixture->map, 0, &area);
}

static FsLayout *
load_layout (const char *name)
{
  g_autoptr(GError) error = NULL;
  FsLayout *layout;

  if (g_str_equal (name, "esp32-8mb-as-printed"))
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "esp32-8mb-as-printed.layout", NULL);
      g_autofree char *contents = NULL;
      gsize len;

      g_file_get_contents (path, &contents, &len, &error);
      g_assert_no_error (error);
      layout = fs_layout_new_from_data (contents, len, "esp32-8mb-as-printed.layout", &error);
    }
  else
    layout = fs_layout_new_builtin (name, &error);
  g_assert_no_error (error);
  return layout;
}

static void
show_layout (Fixture    *fixture,
             const char *name,
             gint        active_slot)
{
  g_autoptr(FsLayout) layout = load_layout (name);
  g_autoptr(GArray) regions = fs_map_regions_from_layout (layout, active_slot);

  fixture->map = fs_flash_map_new ();
  fs_flash_map_set_regions (fixture->map, regions, fs_layout_get_flash_size (layout));
  g_signal_connect (fixture->map, "region-activated", G_CALLBACK (on_region_activated), fixture);
  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, WIDTH, 120);
  gtk_window_set_resizable (fixture->window, FALSE);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->map));
  gtk_window_present (fixture->window);
  fs_test_gui_wait (allocated, fixture);
  g_assert_cmpuint (fs_flash_map_get_n_regions (fixture->map), ==, regions->len);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  gtk_window_destroy (fixture->window);
}

static graphene_rect_t
area (Fixture *fixture,
      guint    index)
{
  graphene_rect_t rect;

  g_assert_true (fs_flash_map_get_region_area (fixture->map, index, &rect));
  return rect;
}

static void
test_layout (Fixture       *fixture,
             gconstpointer  user_data)
{
  guint n;
  double min_end = 0;
  double proportional_width = 0, proportional_size = 0;

  show_layout (fixture, user_data, -1);
  n = fs_flash_map_get_n_regions (fixture->map);
  g_assert_cmpuint (n, ==, 13);

  /* Left to right in address order, edge to edge, none narrower than readable */
  for (guint i = 0; i < n; i++)
    {
      graphene_rect_t rect = area (fixture, i);

      g_assert_cmpfloat (rect.size.width, >=, MIN_WIDTH);
      g_assert_cmpfloat (rect.origin.x, ==, min_end);
      g_assert_cmpfloat (rect.size.height, ==, gtk_widget_get_height (GTK_WIDGET (fixture->map)));
      if (i > 0)
        g_assert_cmpuint (fs_flash_map_get_region (fixture->map, i)->offset, >,
                          fs_flash_map_get_region (fixture->map, i - 1)->offset);
      min_end = rect.origin.x + rect.size.width;
      if (rect.size.width > MIN_WIDTH)
        {
          proportional_width += rect.size.width;
          proportional_size += fs_flash_map_get_region (fixture->map, i)->size;
        }
    }
  g_assert_cmpfloat (min_end, ==, WIDTH);

  /* The big ones to scale with one another, to the pixel */
  for (guint i = 0; i < n; i++)
    {
      graphene_rect_t rect = area (fixture, i);
      double expected = fs_flash_map_get_region (fixture->map, i)->size * proportional_width / proportional_size;

      if (rect.size.width > MIN_WIDTH)
        g_assert_cmpfloat (fabs (rect.size.width - expected), <=, 1.0);
    }
  /* The 4 MiB storage is four times a 1 MiB slot, or thereabouts in either layout */
  g_assert_cmpfloat (area (fixture, 12).size.width, >, 2.5 * area (fixture, 6).size.width);
}

/* The widget rendered; a pixel of it as 0xAARRGGBB */
typedef struct {
  guchar *data;
  gsize   stride;
} Picture;

static void
picture_clear (Picture *picture)
{
  g_clear_pointer (&picture->data, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Picture, picture_clear)

static void
on_after_paint (GdkFrameClock *clock,
                gboolean      *painted)
{
  *painted = TRUE;
}

static gboolean
is_true (gpointer user_data)
{
  return *(gboolean *) user_data;
}

/* What the widget drew at the next frame */
static void
render (Fixture *fixture,
        Picture *picture)
{
  GtkWidget *widget = GTK_WIDGET (fixture->map);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gboolean painted = FALSE;
  gulong handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &painted);

  gtk_widget_queue_draw (widget);
  fs_test_gui_wait (is_true, &painted);
  g_signal_handler_disconnect (clock, handler);
  paintable = gtk_widget_paintable_new (widget);
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (fixture->window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  picture->stride = width * 4;
  picture->data = g_malloc (picture->stride * height);
  gdk_texture_download (texture, picture->data, picture->stride);
}

static guint32
pixel (Picture *picture,
       int      x,
       int      y)
{
  return *(guint32 *) (picture->data + y * picture->stride + x * 4);
}

static void
test_as_printed (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autofree char *tooltip = NULL;
  g_auto(Picture) picture = { NULL, 0 };
  graphene_rect_t storage2, vm0;
  const FsMapRegion *region;

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);
  show_layout (fixture, "esp32-8mb-as-printed", -1);
  region = fs_flash_map_get_region (fixture->map, 12);
  g_assert_cmpstr (region->name, ==, "storage2");
  g_assert_cmpint (region->kind, ==, FS_MAP_KIND_PROBLEM);
  tooltip = fs_flash_map_dup_tooltip (fixture->map, 12);
  g_assert_cmpstr (tooltip, ==,
                   "Free for user storage\n"
                   "0x392000 – 0x792000\n"
                   "0x400000 bytes (4 MiB)\n"
                   "“storage2” (0x392000–0x792000) overlaps “reserved” (0x390000–0x400000)");

  /* Outlined in Adwaita's light error colour; a sound region is not */
  storage2 = area (fixture, 12);
  vm0 = area (fixture, 6);
  render (fixture, &picture);
  g_assert_cmphex (pixel (&picture, storage2.origin.x, 40), ==, 0xffc01c28);
  g_assert_cmphex (pixel (&picture, storage2.origin.x + storage2.size.width / 2, 0), ==, 0xffc01c28);
  g_assert_cmphex (pixel (&picture, vm0.origin.x, 40), !=, 0xffc01c28);
}

static void
test_tooltips (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autofree char *vm = NULL;
  g_autofree char *free_flash = NULL;

  show_layout (fixture, "esp32-8mb-ble", 0);
  g_assert_true (gtk_widget_get_has_tooltip (GTK_WIDGET (fixture->map)));
  vm = fs_flash_map_dup_tooltip (fixture->map, 6);
  g_assert_cmpstr (vm, ==,
                   "Zerynth VM (slot 0)\n"
                   "0x010000 – 0x140000\n"
                   "0x130000 bytes (1216 KiB)\n"
                   "The board boots this slot");
  free_flash = fs_flash_map_dup_tooltip (fixture->map, 0);
  g_assert_cmpstr (free_flash, ==,
                   "Unused flash\n"
                   "0x000000 – 0x001000\n"
                   "0x1000 bytes (4 KiB)");
}

static void
test_keyboard (Fixture       *fixture,
               gconstpointer  user_data)
{
  GtkWidget *widget;
  guint last;

  show_layout (fixture, "esp32-8mb", -1);
  widget = GTK_WIDGET (fixture->map);
  last = fs_flash_map_get_n_regions (fixture->map) - 1;
  /* Focus coming in (the window gives it to its only focusable widget)
   * starts at the first region */
  g_assert_true (gtk_widget_grab_focus (widget));
  g_assert_true (gtk_widget_has_focus (widget));
  g_assert_cmpint (fs_flash_map_get_focus_region (fixture->map), ==, 0);

  gtk_widget_activate_action (widget, "flash-map.next", NULL);
  gtk_widget_activate_action (widget, "flash-map.next", NULL);
  g_assert_cmpint (fs_flash_map_get_focus_region (fixture->map), ==, 2);
  gtk_widget_activate_action (widget, "flash-map.previous", NULL);
  g_assert_cmpint (fs_flash_map_get_focus_region (fixture->map), ==, 1);
  gtk_widget_activate_action (widget, "flash-map.last", NULL);
  g_assert_cmpint (fs_flash_map_get_focus_region (fixture->map), ==, last);
  /* The ends hold */
  gtk_widget_activate_action (widget, "flash-map.next", NULL);
  g_assert_cmpint (fs_flash_map_get_focus_region (fixture->map), ==, last);
  gtk_widget_activate_action (widget, "flash-map.first", NULL);
  gtk_widget_activate_action (widget, "flash-map.previous", NULL);
  g_assert_cmpint (fs_flash_map_get_focus_region (fixture->map), ==, 0);

  g_assert_cmpuint (fixture->n_activated, ==, 0);
  for (guint i = 0; i < 6; i++)
    gtk_widget_activate_action (widget, "flash-map.next", NULL);
  gtk_widget_activate_action (widget, "flash-map.activate", NULL);
  g_assert_cmpuint (fixture->n_activated, ==, 1);
  g_assert_cmpuint (fixture->activated, ==, 6);
  g_assert_cmpstr (fs_flash_map_get_region (fixture->map, fixture->activated)->name, ==, "vm0");
}

static void
test_overlay (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_auto(Picture) picture = { NULL, 0 };
  graphene_rect_t vm0;
  int strip_y;

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);
  show_layout (fixture, "esp32-8mb", -1);
  vm0 = area (fixture, 6);
  strip_y = vm0.size.height - 6;

  /* The first half of the slot verified, a sector of the second erased */
  fs_flash_map_set_sectors (fixture->map, 0x10000, 0x80000, FS_REGION_VERIFIED);
  fs_flash_map_set_sectors (fixture->map, 0x100000, 0x1000, FS_REGION_ERASED);
  render (fixture, &picture);
  g_assert_cmphex (pixel (&picture, vm0.origin.x + 2, strip_y), ==, 0xff1b8553);
  g_assert_cmphex (pixel (&picture, vm0.origin.x + vm0.size.width / 2 - 2, strip_y), ==, 0xff1b8553);
  g_assert_cmphex (pixel (&picture, vm0.origin.x + vm0.size.width * 3 / 4, strip_y), !=, 0xff1b8553);
  /* Above the strip, the region's own colour */
  g_assert_cmphex (pixel (&picture, vm0.origin.x + 2, strip_y - 8), !=, 0xff1b8553);

  fs_flash_map_clear_sectors (fixture->map);
  picture_clear (&picture);
  render (fixture, &picture);
  g_assert_cmphex (pixel (&picture, vm0.origin.x + 2, strip_y), !=, 0xff1b8553);
}

int
main (int   argc,
      char *argv[])
{
  if (!fs_test_gui_init (&argc, &argv))
    {
      g_printerr ("No display\n");
      return 77;
    }

  g_test_add ("/flash-map/layout/esp32-8mb", Fixture, "esp32-8mb", NULL, test_layout, fixture_tear_down);
  g_test_add ("/flash-map/layout/esp32-8mb-ble", Fixture, "esp32-8mb-ble", NULL, test_layout, fixture_tear_down);
  g_test_add ("/flash-map/as-printed", Fixture, NULL, NULL, test_as_printed, fixture_tear_down);
  g_test_add ("/flash-map/tooltips", Fixture, NULL, NULL, test_tooltips, fixture_tear_down);
  g_test_add ("/flash-map/keyboard", Fixture, NULL, NULL, test_keyboard, fixture_tear_down);
  g_test_add ("/flash-map/overlay", Fixture, NULL, NULL, test_overlay, fixture_tear_down);
  return g_test_run ();
}

/* test-selector.c: the board selector of the window's header, with every
 * board there is, the virtual ones too, readable at any window size
 * (under Xvfb)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <string.h>
#include <glib/gstdio.h>

#include "fs-test-gui.h"
#include "fs-window.h"

typedef struct {
  FsApplication *application;
  FsWindow      *window;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  const int *size = user_data;

  fixture->application = fs_test_gui_application_new ("heltec-wifi-kit-32");
  fixture->window = fs_test_gui_window_new (fixture->application, size[0], size[1]);
}

#define LONG_NAME "The Bench Board With A Long Name That Somebody Gave It, Rev. B"

/* A profile of the user's own, with a name longer than any shipped */
static void
fixture_set_up_user_profile (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autofree char *dir = g_build_filename (g_get_user_config_dir (), "flash-studio", "boards", NULL);
  g_autofree char *path = g_build_filename (dir, "bench-board.board", NULL);
  const char *profile = "[Board]\nId=bench-board\nName=" LONG_NAME "\nVendor=Myself\nChip=ESP32\nFlashSize=4M\n"
                        "DefaultBaud=460800\nMaxBaud=921600\n"
                        "[Reset]\nMethod=auto\n";
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, profile, -1, &error);
  g_assert_no_error (error);
  fixture_set_up (fixture, user_data);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), "flash-studio", "boards",
                                            "bench-board.board", NULL);

  fs_test_gui_close (fixture->application, fixture->window);
  g_remove (path);
}

static GtkWidget *
open_selector (Fixture *fixture)
{
  GtkPopover *popover = GTK_POPOVER (fs_test_gui_window_child (fixture->window, "board_popover"));

  gtk_popover_popup (popover);
  fs_test_gui_run_for (300);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (popover)));
  return fs_test_gui_window_child (fixture->window, "ports_list");
}

/* A label no narrower than its text on one line: nothing wraps */
static void
assert_label_whole (GtkWidget *label)
{
  int natural = 0;

  gtk_widget_measure (label, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
  if (gtk_widget_get_width (label) < natural)
    g_error ("“%s” has %d px for %d px of text", gtk_label_get_text (GTK_LABEL (label)),
             gtk_widget_get_width (label), natural);
}

static void
assert_labels_whole (GtkWidget *root)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child) && gtk_widget_get_visible (child) && *gtk_label_get_text (GTK_LABEL (child)) != '\0')
        assert_label_whole (child);
      assert_labels_whole (child);
    }
}

/* The four virtual boards, each its own MAC, each row readable whole */
static void
test_virtual_boards (Fixture       *fixture,
                     gconstpointer  user_data)
{
  static const char * const names[] = {
    "Heltec Wi-Fi Kit 32", "ESP32 DevKit (generic)", "Pycom FiPy 1.0", "Vigotech VG-L7X controller",
  };
  GtkWidget *list = open_selector (fixture);
  g_autoptr(GHashTable) macs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_assert_nonnull (fs_test_gui_find_label (list, "Virtual Boards"));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      GtkWidget *row = fs_test_gui_find_label (list, names[i]);
      const char *subtitle;
      const char *mac;

      g_assert_nonnull (row);
      subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
      mac = strstr (subtitle, "24:0a:c4:");
      g_assert_nonnull (mac);
      g_assert_true (g_hash_table_add (macs, g_strdup (mac)));
      /* Never the few pixels it once had */
      g_assert_cmpint (gtk_widget_get_width (row), >=, 280);
      assert_labels_whole (row);
    }
}

/* The user's own board among the virtual ones, its long name whole */
static void
test_user_profile (Fixture       *fixture,
                   gconstpointer  user_data)
{
  GtkWidget *list = open_selector (fixture);
  GtkWidget *row = fs_test_gui_find_label (list, LONG_NAME);

  g_assert_nonnull (row);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "24:0a:c4:"));
  assert_labels_whole (row);
  g_assert_cmpint (gtk_widget_get_width (row), <=, gtk_widget_get_width (list));
}

/* The board picked in the selector is the window's, and its header says
 * which, that it is virtual, and where (the board button at any width,
 * the title when the view switcher gives it room) */
static void
test_choose_virtual_board (Fixture       *fixture,
                           gconstpointer  user_data)
{
  GtkWidget *list = open_selector (fixture);
  GtkWidget *row = fs_test_gui_find_label (list, "Pycom FiPy 1.0");
  AdwViewSwitcherTitle *title = ADW_VIEW_SWITCHER_TITLE (fs_test_gui_window_child (fixture->window, "window_title"));
  FsBoardSession *session;

  g_assert_nonnull (row);
  g_signal_emit_by_name (list, "row-activated", row);
  fs_test_gui_run_for (100);
  session = fs_window_get_session (fixture->window);
  g_assert_cmpstr (fs_port_info_get_name (fs_board_session_get_port (session)), ==, "sim:pycom-fipy");
  g_assert_false (gtk_widget_get_mapped (fs_test_gui_window_child (fixture->window, "board_popover")));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (fs_test_gui_window_child (fixture->window, "board_label"))), ==, "Pycom FiPy 1.0");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (fs_test_gui_window_child (fixture->window, "board_where_label"))), ==,
                   "virtual · sim:pycom-fipy");
  g_assert_cmpstr (adw_view_switcher_title_get_subtitle (title), ==, "virtual · sim:pycom-fipy");
  g_assert_true (gtk_widget_get_visible (fs_test_gui_window_child (fixture->window, "virtual_board_button")));
}

int
main (int   argc,
      char *argv[])
{
  static const int sizes[][2] = { { 1000, 700 }, { 800, 600 } };

  if (!fs_test_gui_init (&argc, &argv))
    return 77;

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *boards = g_strdup_printf ("/selector/%dx%d/virtual-boards", sizes[i][0], sizes[i][1]);
      g_autofree char *choose = g_strdup_printf ("/selector/%dx%d/choose-virtual-board", sizes[i][0], sizes[i][1]);
      g_autofree char *user = g_strdup_printf ("/selector/%dx%d/user-profile", sizes[i][0], sizes[i][1]);

      g_test_add (boards, Fixture, sizes[i], fixture_set_up, test_virtual_boards, fixture_tear_down);
      g_test_add (choose, Fixture, sizes[i], fixture_set_up, test_choose_virtual_board, fixture_tear_down);
      g_test_add (user, Fixture, sizes[i], fixture_set_up_user_profile, test_user_profile, fixture_tear_down);
    }
  return g_test_run ();
}

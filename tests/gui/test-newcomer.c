/* test-newcomer.c: what the README's quick start tells a newcomer to do,
 * in the real window from an empty home folder: the virtual Heltec board,
 * Register, Create VM with the demo firmware, Virtualize, then Upload of
 * the demo's two programs, watching the monitor.
 *
 * With FS_TEST_MODELLED_TIMING set (the newcomer-flow benchmark), the
 * virtual board runs at its modelled speed and each step's wall time is
 * printed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "fs-create-vm-dialog.h"
#include "fs-flash-view.h"
#include "fs-test-gui.h"
#include "fs-window.h"

#define RUNNING "Running flash-studio-virtual-demo " PACKAGE_VERSION " from Zerynth VM (slot 0)"

typedef struct {
  FsApplication *application;
  FsWindow      *window;
  FsMonitorView *monitor;
  const char    *needle;
  gsize          skip;       /* what the terminal showed before */
  gint64         started;
} Fixture;

static FsBoardSession *
session (Fixture *fixture)
{
  return fs_window_get_session (fixture->window);
}

static void
click_primary (Fixture *fixture)
{
  fixture->started = g_get_monotonic_time ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.primary", NULL));
}

/* The step's wall time, from the click to the board seen running */
static void
report (Fixture    *fixture,
        const char *step)
{
  double seconds = (g_get_monotonic_time () - fixture->started) / (double) G_USEC_PER_SEC;

  g_test_message ("%s: %.2f s", step, seconds);
  if (g_getenv ("FS_TEST_MODELLED_TIMING") != NULL)
    g_print ("%-40s %6.2f s\n", step, seconds);
}

static const char *
primary_label (Fixture *fixture)
{
  return gtk_button_get_label (fs_test_gui_window_child (fixture->window, "primary_button"));
}

static const char *
step_summary (Fixture    *fixture,
              const char *row)
{
  return adw_action_row_get_subtitle (fs_test_gui_window_child (fixture->window, row));
}

static gboolean
terminal_shows (gpointer user_data)
{
  Fixture *fixture = user_data;
  g_autofree char *text = fs_test_gui_terminal_text (fixture->monitor);

  return strlen (text) > fixture->skip && strstr (text + fixture->skip, fixture->needle) != NULL;
}

/* Until the monitor shows @needle after what it showed at @since */
static void
wait_for_terminal (Fixture    *fixture,
                   gsize       since,
                   const char *needle)
{
  fixture->needle = needle;
  fixture->skip = since;
  fs_test_gui_wait (terminal_shows, fixture);
}

static gsize
terminal_length (Fixture *fixture)
{
  g_autofree char *text = fs_test_gui_terminal_text (fixture->monitor);

  return strlen (text);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->application = fs_test_gui_application_new ("heltec-wifi-kit-32");
  fixture->window = fs_test_gui_window_new (fixture->application, 0, 0);
  fixture->monitor = fs_test_gui_window_child (fixture->window, "monitor_view");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  fs_test_gui_close (fixture->application, fixture->window);
}

static void
create_vm_with_the_demo (Fixture *fixture)
{
  FsCreateVmDialog *dialog;
  GtkWidget *demo_row;
  gboolean demo = FALSE;

  click_primary (fixture);
  dialog = FS_CREATE_VM_DIALOG (fs_test_gui_wait_for_window (FS_TYPE_CREATE_VM_DIALOG));
  demo_row = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (dialog), FS_TYPE_CREATE_VM_DIALOG, "demo_row"));
  g_assert_true (gtk_widget_get_visible (demo_row));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (demo_row)), ==,
                   "Demo firmware for the virtual board");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "create-vm.use-demo", NULL));
  g_object_get (dialog, "demo", &demo, NULL);
  g_assert_true (demo);
  g_assert_null (fs_create_vm_dialog_get_problem (dialog));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "create-vm.create", NULL));
  g_assert_cmpint (fs_board_session_get_step (session (fixture)), ==, FS_BOARD_STEP_VIRTUALIZE);
}

static void
upload_demo_program (Fixture    *fixture,
                     const char *program)
{
  AdwMessageDialog *dialog;

  click_primary (fixture);
  dialog = ADW_MESSAGE_DIALOG (fs_test_gui_wait_for_window (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_true (adw_message_dialog_has_response (dialog, program));
  g_assert_true (adw_message_dialog_has_response (dialog, "file"));
  adw_message_dialog_response (dialog, program);
  gtk_window_close (GTK_WINDOW (dialog));
  fs_test_gui_run_for (50);
  fs_test_gui_wait_idle (fixture->window);
}

static FsMapBoot
map_mark (Fixture    *fixture,
          const char *region_name)
{
  FsFlashMap *map = fs_flash_view_get_map (fs_test_gui_window_child (fixture->window, "flash_view"));

  for (guint i = 0; i < fs_flash_map_get_n_regions (map); i++)
    if (g_strcmp0 (fs_flash_map_get_region (map, i)->name, region_name) == 0)
      return fs_flash_map_get_region (map, i)->boot;
  g_assert_not_reached ();
}

static void
test_quick_start (Fixture       *fixture,
                  gconstpointer  user_data)
{
  gsize before;

  /* With no board plugged in, the virtual Heltec board is there */
  g_assert_cmpint (fs_port_info_get_kind (fs_board_session_get_port (session (fixture))), ==, FS_PORT_KIND_VIRTUAL);
  g_assert_cmpstr (primary_label (fixture), ==, "_Register");
  gtk_widget_activate_action_variant (GTK_WIDGET (fixture->window), "win.show-view", g_variant_new_string ("monitor"));

  fixture->started = g_get_monotonic_time ();
  fs_test_gui_register (fixture->window, "my first board", FALSE);
  fs_test_gui_wait_idle (fixture->window);
  report (fixture, "Register");
  g_assert_cmpstr (primary_label (fixture), ==, "_Create VM");

  create_vm_with_the_demo (fixture);
  report (fixture, "Create VM (the demo)");
  g_assert_cmpstr (primary_label (fixture), ==, "_Virtualize");

  before = terminal_length (fixture);
  click_primary (fixture);
  fs_test_gui_wait_idle (fixture->window);
  report (fixture, "Virtualize");
  g_assert_cmpstr (step_summary (fixture, "virtualize_step_row"), ==, RUNNING);
  g_assert_cmpstr (primary_label (fixture), ==, "_Upload");
  wait_for_terminal (fixture, before, "no program in bytecode slot 0 yet");
  g_assert_cmpint (map_mark (fixture, "vm0"), ==, FS_MAP_BOOT_RUNS);
  g_assert_cmpint (map_mark (fixture, "vm1"), ==, FS_MAP_BOOT_NOT_SEEN);

  before = terminal_length (fixture);
  upload_demo_program (fixture, "program-1");
  report (fixture, "Upload (demo program 1)");
  wait_for_terminal (fixture, before, "Hello from the demo program, version 1");
  g_assert_nonnull (strstr (step_summary (fixture, "upload_step_row"), RUNNING));

  before = terminal_length (fixture);
  upload_demo_program (fixture, "program-2");
  report (fixture, "Upload (demo program 2)");
  wait_for_terminal (fixture, before, "this is the demo program, version 2");
  g_assert_true (g_str_has_prefix (step_summary (fixture, "upload_step_row"), "demo-program-2.bin — verified"));
  g_assert_nonnull (strstr (step_summary (fixture, "upload_step_row"), RUNNING));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  if (!fs_test_gui_init (&argc, &argv))
    return 77;

  g_test_add ("/newcomer/quick-start", Fixture, NULL, fixture_set_up, test_quick_start, fixture_tear_down);
  return g_test_run ();
}

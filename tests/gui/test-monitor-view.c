/* test-monitor-view.c: the window's serial monitor on the in-process
 * virtual board (under Xvfb)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <string.h>
#include <glib/gstdio.h>

#include "fs-monitor-view.h"
#include "fs-test-gui.h"
#include "fs-test-image.h"
#include "fs-transport-sim.h"
#include "fs-window.h"

#define PORT "sim:heltec-wifi-kit-32"

/* What the test apps print after the boot log, colours and all */
static const char * const app_strings[] = {
  "FSSIM:PRINT:\033[0;32mI (320) vm: ready\033[0m",
  "FSSIM:PRINT:\033[0;33mW (330) wifi: no credentials\033[0m",
  "FSSIM:PRINT:plain line",
  NULL
};
static const char app_plain[] = "I (320) vm: ready\r\nW (330) wifi: no credentials\r\nplain line\r\n";

typedef struct {
  FsApplication *application;
  FsWindow      *window;
  FsMonitorView *view;
  const char    *needle;
} Fixture;

static FsBoardSession *
session (Fixture *fixture)
{
  return fs_window_get_session (fixture->window);
}

static FsSimBoard *
sim_board (Fixture *fixture)
{
  return fs_test_gui_sim_board (fixture->window);
}

static guint
count (const char *haystack,
       const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

static gboolean
terminal_has_needle (gpointer user_data)
{
  Fixture *fixture = user_data;
  g_autofree char *text = fs_test_gui_terminal_text (fixture->view);

  return strstr (text, fixture->needle) != NULL;
}

static void
wait_for_terminal (Fixture    *fixture,
                   const char *needle)
{
  fixture->needle = needle;
  fs_test_gui_wait (terminal_has_needle, fixture);
}

/* Until the board has said nothing for a while */
static void
wait_quiet (Fixture *fixture)
{
  FsMonitor *monitor = fs_board_session_get_monitor (session (fixture));
  guint64 before;

  do
    {
      before = fs_monitor_get_bytes_received (monitor);
      fs_test_gui_run_for (300);
    }
  while (fs_monitor_get_bytes_received (monitor) != before);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->application = fs_test_gui_application_new ("heltec-wifi-kit-32");
  fixture->window = fs_test_gui_window_new (fixture->application, 0, 0);
  fixture->view = fs_test_gui_window_child (fixture->window, "monitor_view");
  gtk_widget_activate_action_variant (GTK_WIDGET (fixture->window), "win.show-view", g_variant_new_string ("monitor"));
  wait_for_terminal (fixture, "Monitoring " PORT " at 115200 baud");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  fs_test_gui_close (fixture->application, fixture->window);
}

/* The board's flash, as the printing app's whole flash */
static void
flash_printing_app (Fixture *fixture)
{
  g_autoptr(GBytes) flash = fs_test_printing_flash (app_strings, 0);
  g_autoptr(GError) error = NULL;

  fs_sim_flash_program (fs_sim_board_get_flash (sim_board (fixture)), 0,
                        g_bytes_get_data (flash, NULL), g_bytes_get_size (flash), &error);
  g_assert_no_error (error);
}

/* Each line of @log, in order, from @text on: a terminal drops the
 * blanks that end a line */
static void
assert_lines_follow (const char *text,
                     const char *log)
{
  g_auto(GStrv) expected = g_strsplit (log, "\r\n", -1);
  g_auto(GStrv) shown = g_strsplit (text, "\n", -1);

  for (guint i = 0; expected[i] != NULL && expected[i + 1] != NULL; i++)
    {
      g_assert_nonnull (shown[i]);
      g_assert_cmpstr (g_strchomp (shown[i]), ==, g_strchomp (expected[i]));
    }
}

/* After Upload the monitor has the port back at once: the boot log
 * follows the job's notice from its first line on */
static void
test_boot_after_upload (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(GBytes) vm = fs_test_printing_app ("zerynth-vm", app_strings);
  g_autoptr(GBytes) program = fs_test_app_image (FS_CHIP_ESP32, "blink", 12 * 1024, 4);
  g_autofree char *package = fs_test_gui_write_package (vm);
  g_autofree char *program_path = fs_test_gui_input_path ("blink.bin");
  g_autofree char *boot_log = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;
  const char *notice;

  g_file_set_contents (program_path, g_bytes_get_data (program, NULL), g_bytes_get_size (program), &error);
  g_assert_no_error (error);
  fs_test_gui_register (fixture->window, "Desk board", FALSE);
  fs_test_gui_wait_idle (fixture->window);
  fs_test_gui_create_vm (fixture->window, package);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.primary", NULL);
  fs_test_gui_wait_idle (fixture->window);
  gtk_widget_activate_action_variant (GTK_WIDGET (fixture->window), "win.upload-file",
                                      g_variant_new_string (program_path));
  fs_test_gui_wait_idle (fixture->window);
  g_assert_cmpint (fs_board_session_get_step (session (fixture)), ==, FS_BOARD_STEP_UPLOAD);

  boot_log = fs_sim_board_dup_boot_log (sim_board (fixture));
  g_assert_true (g_str_has_prefix (boot_log, "ets Jun  8 2016 00:22:57\r\n"));
  wait_for_terminal (fixture, "plain line");
  text = fs_test_gui_terminal_text (fixture->view);
  notice = g_strrstr (text, "— The job is done: the board’s output follows —\n");
  g_assert_nonnull (notice);
  expected = g_strconcat (boot_log, app_plain, NULL);
  assert_lines_follow (strchr (notice, '\n') + 1, expected);
}

/* Unplugged, the monitor says so; plugged back, it says so and reads
 * the board again by itself */
static void
test_reconnect (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autofree char *text = NULL;
  g_autofree char *after = NULL;

  flash_printing_app (fixture);
  fs_sim_board_set_plugged (sim_board (fixture), FALSE);
  wait_for_terminal (fixture, "The board went away from " PORT ": waiting for it to come back");
  fs_sim_board_set_plugged (sim_board (fixture), TRUE);
  wait_for_terminal (fixture, "The board is back on " PORT);
  g_assert_cmpint (fs_monitor_get_state (fs_board_session_get_monitor (session (fixture))), ==,
                   FS_MONITOR_STATE_RUNNING);

  wait_quiet (fixture);
  text = fs_test_gui_terminal_text (fixture->view);
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "monitor.reset", NULL);
  for (;;)
    {
      g_clear_pointer (&after, g_free);
      after = fs_test_gui_terminal_text (fixture->view);
      if (count (after, "plain line") > count (text, "plain line"))
        break;
      fs_test_gui_run_for (50);
    }
  g_assert_cmpuint (count (after, "rst:0x1 (POWERON_RESET)"), >, count (text, "rst:0x1 (POWERON_RESET)"));
}

/* The log file holds what the board sent without its colours, and
 * without the view's timestamps and notices */
static void
test_log (Fixture       *fixture,
          gconstpointer  user_data)
{
  g_autofree char *path = fs_test_gui_input_path ("monitor.log");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *boot_log = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *logged = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GRegex) stamped = g_regex_new ("^\\[\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d\\] ets Jun  8 2016 00:22:57$",
                                           G_REGEX_MULTILINE, 0, NULL);
  g_autoptr(GError) error = NULL;

  flash_printing_app (fixture);
  wait_quiet (fixture);
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "monitor.timestamps", NULL);
  g_assert_true (fs_monitor_view_start_log (fixture->view, file, &error));
  g_assert_no_error (error);
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "monitor.reset", NULL);
  wait_for_terminal (fixture, "] plain line");
  wait_quiet (fixture);
  fs_monitor_view_stop_log (fixture->view);

  boot_log = fs_sim_board_dup_boot_log (sim_board (fixture));
  expected = g_strconcat (boot_log, app_plain, NULL);
  g_file_get_contents (path, &logged, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (logged, ==, expected);

  text = fs_test_gui_terminal_text (fixture->view);
  g_assert_true (g_regex_match (stamped, text, 0, NULL));
}

/* In hex, the boot log's first bytes as a dump line */
static void
test_hex (Fixture       *fixture,
          gconstpointer  user_data)
{
  g_autofree char *text = NULL;
  const char *line;

  flash_printing_app (fixture);
  wait_quiet (fixture);
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "monitor.hex", NULL);
  wait_for_terminal (fixture, "— Hex view —");
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "monitor.reset", NULL);
  /* "ets Jun " */
  wait_for_terminal (fixture, "65 74 73 20 4a 75 6e 20");
  text = fs_test_gui_terminal_text (fixture->view);
  line = strstr (text, "00000000  65 74 73 20 4a 75 6e 20");
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (strchr (line, '|'), "|ets Jun "));
  g_assert_null (strstr (text, "\nets Jun  8 2016 00:22:57"));
}

/* Not following, the view holds what arrives (the log does not wait)
 * and shows it when it follows again */
static void
test_hold (Fixture       *fixture,
           gconstpointer  user_data)
{
  GtkLabel *status = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (fixture->view), FS_TYPE_MONITOR_VIEW,
                                                               "status_label"));
  FsMonitor *monitor = fs_board_session_get_monitor (session (fixture));
  g_autofree char *before = NULL;
  g_autofree char *held = NULL;
  guint64 received;

  flash_printing_app (fixture);
  wait_quiet (fixture);
  before = fs_test_gui_terminal_text (fixture->view);
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "monitor.follow", NULL);
  received = fs_monitor_get_bytes_received (monitor);
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "monitor.reset", NULL);
  while (fs_monitor_get_bytes_received (monitor) == received)
    fs_test_gui_run_for (20);
  wait_quiet (fixture);
  held = fs_test_gui_terminal_text (fixture->view);
  g_assert_cmpuint (count (held, "plain line"), ==, count (before, "plain line"));
  g_assert_nonnull (strstr (gtk_label_get_text (status), " · held: "));

  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "monitor.follow", NULL);
  for (;;)
    {
      g_autofree char *after = fs_test_gui_terminal_text (fixture->view);

      if (count (after, "plain line") > count (before, "plain line"))
        break;
      fs_test_gui_run_for (20);
    }
  g_assert_null (strstr (gtk_label_get_text (status), " · held: "));
}

/* A line sent reaches the board with the ending chosen */
static void
test_send (Fixture       *fixture,
           gconstpointer  user_data)
{
  static const char * const lines[] = { "none", "cr", "lf", "crlf" };
  GtkEditable *entry = GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (fixture->view), FS_TYPE_MONITOR_VIEW,
                                                                    "send_entry"));
  GtkDropDown *ending = GTK_DROP_DOWN (gtk_widget_get_template_child (GTK_WIDGET (fixture->view),
                                                                      FS_TYPE_MONITOR_VIEW, "ending_dropdown"));
  const char expected[] = "nonecr\rlf\ncrlf\r\n";

  flash_printing_app (fixture);
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "monitor.reset", NULL);
  wait_for_terminal (fixture, "plain line");
  wait_quiet (fixture);
  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      gtk_drop_down_set_selected (ending, i);
      gtk_editable_set_text (entry, lines[i]);
      gtk_widget_activate_action (GTK_WIDGET (fixture->view), "monitor.send", NULL);
      g_assert_cmpstr (gtk_editable_get_text (entry), ==, "");
    }
  for (;;)
    {
      g_autoptr(GBytes) input = fs_sim_board_dup_console_input (sim_board (fixture));

      if (g_bytes_get_size (input) >= strlen (expected))
        {
          g_assert_cmpmem (g_bytes_get_data (input, NULL), g_bytes_get_size (input), expected, strlen (expected));
          break;
        }
      fs_test_gui_run_for (20);
    }
}

int
main (int   argc,
      char *argv[])
{
  if (!fs_test_gui_init (&argc, &argv))
    return 77;

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/monitor-view/boot-after-upload", test_boot_after_upload);
  ADD ("/monitor-view/reconnect", test_reconnect);
  ADD ("/monitor-view/log", test_log);
  ADD ("/monitor-view/hex", test_hex);
  ADD ("/monitor-view/hold", test_hold);
  ADD ("/monitor-view/send", test_send);
#undef ADD
  return g_test_run ();
}

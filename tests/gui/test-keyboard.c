/* test-keyboard.c: the window's keys, pressed through the X server: the
 * views and the search from wherever the focus is, the terminal's focus
 * when the monitor shows, and Escape on a long job
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "fs-job-view.h"
#include "fs-test-gui.h"
#include "fs-test-keys.h"

typedef struct {
  FsApplication *application;
  FsWindow      *window;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->application = fs_test_gui_application_new ("heltec-wifi-kit-32");
  fixture->window = fs_test_gui_window_new (fixture->application, 0, 0);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  fs_test_gui_close (fixture->application, fixture->window);
}

static const char *
visible_view (Fixture *fixture)
{
  return adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (fs_test_gui_window_child (fixture->window, "view_stack")));
}

static FsMonitorView *
monitor_view (Fixture *fixture)
{
  return FS_MONITOR_VIEW (fs_test_gui_window_child (fixture->window, "monitor_view"));
}

static void
press (Fixture    *fixture,
       const char *accelerator)
{
  fs_test_keys_press (GTK_WINDOW (fixture->window), accelerator);
}

static void
test_views (Fixture       *fixture,
            gconstpointer  user_data)
{
  GtkWidget *terminal = GTK_WIDGET (fs_monitor_view_get_terminal (monitor_view (fixture)));
  GtkSearchBar *search_bar;

  g_assert_cmpstr (visible_view (fixture), ==, "map");
  press (fixture, "<Control>2");
  g_assert_cmpstr (visible_view (fixture), ==, "monitor");
  /* Where typing goes to the board and Ctrl+F searches */
  g_assert_true (gtk_widget_has_focus (terminal));

  /* The terminal would have sent Ctrl+1 to the board */
  press (fixture, "<Control>1");
  g_assert_cmpstr (visible_view (fixture), ==, "map");
  g_assert_false (gtk_widget_has_focus (terminal));

  /* Ctrl+F from the map: the monitor's search */
  search_bar = GTK_SEARCH_BAR (gtk_widget_get_template_child (GTK_WIDGET (monitor_view (fixture)),
                                                              FS_TYPE_MONITOR_VIEW, "search_bar"));
  g_assert_false (gtk_search_bar_get_search_mode (search_bar));
  press (fixture, "<Control>f");
  g_assert_cmpstr (visible_view (fixture), ==, "monitor");
  g_assert_true (gtk_search_bar_get_search_mode (search_bar));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (fixture->window)),
                                         GTK_WIDGET (search_bar)));
  /* And from the search entry, back to the map */
  press (fixture, "<Control>1");
  g_assert_cmpstr (visible_view (fixture), ==, "map");
}

static gboolean
job_running (gpointer user_data)
{
  return fs_board_session_get_job (user_data) != NULL;
}

static gboolean
job_over (gpointer user_data)
{
  return fs_board_session_get_job (user_data) == NULL;
}

static gboolean
running_a_while (gpointer user_data)
{
  return fs_job_view_get_seconds_running (user_data) > 5.5;
}

static void
start_backup (Fixture *fixture)
{
  FsBoardSession *session = fs_window_get_session (fixture->window);

  fs_test_gui_wait_idle (fixture->window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.backup", NULL));
  fs_test_gui_wait (job_running, session);
}

static void
test_escape (Fixture       *fixture,
             gconstpointer  user_data)
{
  FsBoardSession *session = fs_window_get_session (fixture->window);
  FsJobView *job_view = FS_JOB_VIEW (fs_test_gui_window_child (fixture->window, "job_view"));
  GtkWindow *question;

  fs_test_gui_register (fixture->window, "Desk board", FALSE);

  /* In its first seconds, a job started by mistake goes at once, though
   * the toast saying the board is registered is still up (the toast
   * overlay would take Escape for itself) */
  start_backup (fixture);
  press (fixture, "Escape");
  fs_test_gui_wait (job_over, session);
  g_assert_null (fs_test_gui_find_window (ADW_TYPE_MESSAGE_DIALOG));

  /* Later, Escape asks; keeping on keeps it running */
  start_backup (fixture);
  fs_test_gui_wait (running_a_while, job_view);
  press (fixture, "Escape");
  question = fs_test_gui_find_window (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (question);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (question)), ==, "Cancel the Job?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (question)),
                            "“Backing up the whole flash” has run for"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (question), "continue");
  gtk_window_close (question);
  fs_test_gui_run_for (500);
  g_assert_nonnull (fs_board_session_get_job (session));

  press (fixture, "Escape");
  question = fs_test_gui_find_window (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (question);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (question), "cancel-job");
  gtk_window_close (question);
  fs_test_gui_wait (job_over, session);
  g_assert_null (fs_test_gui_find_window (ADW_TYPE_MESSAGE_DIALOG));
}

int
main (int   argc,
      char *argv[])
{
  /* A backup that lasts long enough to be worth asking about */
  g_setenv ("FS_TEST_MODELLED_TIMING", "1", TRUE);
  if (!fs_test_gui_init (&argc, &argv))
    return 77;

  g_test_add ("/keyboard/views", Fixture, NULL, fixture_set_up, test_views, fixture_tear_down);
  g_test_add ("/keyboard/escape", Fixture, NULL, fixture_set_up, test_escape, fixture_tear_down);
  return g_test_run ();
}

/* bench-startup.c: how soon the window shows, and how soon a board
 * plugged in shows in it
 *
 * Run under umockdev-wrapper (the board is a mock CP2102) and a display.
 * Prints the time from this process's start to the window's first frame,
 * and the time from a udev "add" to the board's row in the board list
 * (median of several plugs).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <umockdev.h>

#include "fs-test-gui.h"
#include "fs-test-util.h"

#define PLUGS 15

static gint64 first_frame_us;

/* When this process started, on the monotonic clock */
static gint64
process_start_us (void)
{
  g_autofree char *stat = NULL;
  g_autofree char *uptime = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after_name;
  double up;

  g_assert_true (g_file_get_contents ("/proc/self/stat", &stat, NULL, NULL));
  g_assert_true (g_file_get_contents ("/proc/uptime", &uptime, NULL, NULL));
  after_name = strrchr (stat, ')') + 2;
  fields = g_strsplit (after_name, " ", -1);
  up = g_ascii_strtod (uptime, NULL);
  /* Field 22 of stat, the 20th after the name: start time in clock ticks since boot */
  return g_get_monotonic_time () -
         (gint64) ((up - g_ascii_strtod (fields[19], NULL) / sysconf (_SC_CLK_TCK)) * G_USEC_PER_SEC);
}

static void
on_after_paint (GdkFrameClock *clock,
                gpointer       user_data)
{
  if (first_frame_us == 0)
    first_frame_us = g_get_monotonic_time ();
}

static void
on_realize (GtkWidget *widget,
            gpointer   user_data)
{
  g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint", G_CALLBACK (on_after_paint), NULL);
}

static gboolean
painted (gpointer user_data)
{
  return first_frame_us != 0;
}

static guint
n_rows (GtkListBox *list)
{
  guint n = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    n++;
  return n;
}

typedef struct {
  GtkListBox *list;
  guint       rows;
} RowsWanted;

static gboolean
rows_are (gpointer user_data)
{
  RowsWanted *wanted = user_data;

  return n_rows (wanted->list) == wanted->rows;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double da = *(const double *) a, db = *(const double *) b;

  return da < db ? -1 : da > db;
}

int
main (int   argc,
      char *argv[])
{
  gint64 start_us = process_start_us ();
  g_autoptr(UMockdevTestbed) testbed = umockdev_testbed_new ();
  g_autoptr(GError) error = NULL;
  FsApplication *application;
  FsWindow *window;
  RowsWanted wanted;
  double plug_ms[PLUGS];

  if (!umockdev_in_mock_environment () || !fs_test_gui_init (&argc, &argv))
    {
      g_printerr ("needs umockdev-wrapper and a display\n");
      return 77;
    }
  application = fs_test_gui_application_new ("heltec-wifi-kit-32");
  /* The virtual board stays listed beside the plugged one */
  g_settings_set_boolean (fs_application_get_settings (application), "show-virtual-board", TRUE);
  window = fs_window_new (application);
  g_signal_connect (window, "realize", G_CALLBACK (on_realize), NULL);
  gtk_window_present (GTK_WINDOW (window));
  fs_test_gui_wait (painted, NULL);
  printf ("Process start to the window's first frame: %.0f ms\n", (first_frame_us - start_us) / 1000.0);

  wanted.list = GTK_LIST_BOX (gtk_widget_get_template_child (GTK_WIDGET (window), FS_TYPE_WINDOW, "ports_list"));
  umockdev_testbed_add_from_string (testbed, fs_test_cp2102, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < PLUGS; i++)
    {
      gint64 plugged;

      wanted.rows = 1;
      fs_test_gui_wait (rows_are, &wanted);
      plugged = g_get_monotonic_time ();
      umockdev_testbed_uevent (testbed, FS_TEST_CP2102_TTY, "add");
      wanted.rows = 2;
      fs_test_gui_wait (rows_are, &wanted);
      plug_ms[i] = (g_get_monotonic_time () - plugged) / 1000.0;
      umockdev_testbed_uevent (testbed, FS_TEST_CP2102_TTY, "remove");
    }
  qsort (plug_ms, PLUGS, sizeof plug_ms[0], compare_doubles);
  printf ("udev add to the board's row in the board list: median %.1f ms, worst %.1f ms (%d plugs)\n",
          plug_ms[PLUGS / 2], plug_ms[PLUGS - 1], PLUGS);

  gtk_window_destroy (GTK_WINDOW (window));
  fs_test_gui_application_free (application);
  return 0;
}

/* test-monitor.c: the serial monitor on a virtual board in this process
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <string.h>
#include <glib.h>

#include "fs-error.h"
#include "fs-monitor.h"
#include "fs-test-board.h"
#include "fs-test-image.h"
#include "fs-transport-sim.h"

/* Long enough for a loaded machine: a guard, not a measurement */
#define GUARD_MS 20000

typedef struct {
  char        *dir;
  FsSimBoard  *board;
  FsTransport *transport;
  FsMonitor   *monitor;
  GString     *received;
  GByteArray  *written;    /* what went to the board, as recorded */
} Fixture;

static void
on_data (FsMonitor *monitor,
         GBytes    *bytes,
         Fixture   *fixture)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);

  g_assert_cmpuint (len, >, 0);
  g_string_append_len (fixture->received, data, len);
}

static void
record (FsTransportEvent  event,
        const guint8     *data,
        gsize             len,
        gpointer          user_data)
{
  Fixture *fixture = user_data;

  if (event == FS_TRANSPORT_EVENT_WRITE)
    g_byte_array_append (fixture->written, data, len);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  const char * const strings[] = { "FSSIM:PRINT:Hello from the monitor", "FSSIM:PRINT:second line", NULL };
  g_autoptr(GBytes) flash = fs_test_printing_flash (strings, 0);
  g_autoptr(GError) error = NULL;

  fixture->board = fs_test_board_new (&fixture->dir);
  fs_sim_flash_program (fs_sim_board_get_flash (fixture->board), 0,
                        g_bytes_get_data (flash, NULL), g_bytes_get_size (flash), &error);
  g_assert_no_error (error);
  fixture->transport = fs_transport_sim_new (fixture->board, "sim:test");
  fixture->monitor = fs_monitor_new (fixture->transport);
  fixture->received = g_string_new (NULL);
  fixture->written = g_byte_array_new ();
  fs_transport_set_recorder (fixture->transport, record, fixture);
  g_signal_connect (fixture->monitor, "data", G_CALLBACK (on_data), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_clear_object (&fixture->monitor);
  g_clear_object (&fixture->transport);
  g_clear_object (&fixture->board);
  fs_test_board_remove_dir (fixture->dir);
  g_string_free (fixture->received, TRUE);
  g_byte_array_unref (fixture->written);
}

static gboolean
guard_cb (gpointer user_data)
{
  g_error ("the monitor did not get there in %u ms", GUARD_MS);
  return G_SOURCE_REMOVE;
}

static void
wait_for_text (Fixture    *fixture,
               const char *text)
{
  guint guard = g_timeout_add (GUARD_MS, guard_cb, NULL);

  while (strstr (fixture->received->str, text) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (guard);
}

static void
set_true (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
}

/* Until the board has said nothing for 200 ms */
static void
wait_quiet (Fixture *fixture)
{
  gsize before;

  do
    {
      gboolean waited = FALSE;

      before = fixture->received->len;
      g_timeout_add_once (200, set_true, &waited);
      while (!waited)
        g_main_context_iteration (NULL, TRUE);
    }
  while (fixture->received->len != before);
}

/* Until the last boot log in what arrived ends with the app's lines */
static void
wait_for_boot (Fixture *fixture)
{
  guint guard = g_timeout_add (GUARD_MS, guard_cb, NULL);
  const char *start;

  while ((start = g_strrstr (fixture->received->str, "ets Jun  8 2016")) == NULL ||
         strstr (start, "second line\r\n") == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (guard);
}

static void
wait_for_state (Fixture        *fixture,
                FsMonitorState  state)
{
  guint guard = g_timeout_add (GUARD_MS, guard_cb, NULL);

  while (fs_monitor_get_state (fixture->monitor) != state)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (guard);
}

static void
test_boot_log (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *boot_log = NULL;
  g_autofree char *expected = NULL;
  const char *start;

  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_RUN, GUARD_MS));
  g_assert_true (fs_monitor_start (fixture->monitor, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fs_monitor_get_state (fixture->monitor), ==, FS_MONITOR_STATE_RUNNING);
  g_assert_true (fs_transport_get_is_open (fixture->transport));

  /* A whole boot, from the reset on, with nothing lost or added */
  fs_sim_board_press_reset (fixture->board);
  wait_for_boot (fixture);
  boot_log = fs_sim_board_dup_boot_log (fixture->board);
  g_assert_true (g_str_has_prefix (boot_log, "ets Jun  8 2016 00:22:57\r\n"));
  expected = g_strconcat (boot_log, "Hello from the monitor\r\nsecond line\r\n", NULL);
  start = g_strrstr (fixture->received->str, "ets Jun  8 2016 00:22:57\r\n");
  g_assert_cmpstr (start, ==, expected);
  g_assert_cmpuint (fs_monitor_get_bytes_received (fixture->monitor), ==, fixture->received->len);

  fs_monitor_stop (fixture->monitor);
  g_assert_cmpint (fs_monitor_get_state (fixture->monitor), ==, FS_MONITOR_STATE_STOPPED);
  g_assert_false (fs_transport_get_is_open (fixture->transport));
}

static void
test_send (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (fs_monitor_send (fixture->monitor, "early", FS_LINE_ENDING_LF, &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_DISCONNECTED);
  g_assert_cmpstr (error->message, ==, "The monitor is not connected to “sim:test”: start it first");
  g_clear_error (&error);

  g_assert_true (fs_monitor_start (fixture->monitor, &error));
  g_assert_no_error (error);
  g_assert_true (fs_monitor_send (fixture->monitor, "help", FS_LINE_ENDING_CRLF, &error));
  g_assert_no_error (error);
  g_assert_true (fs_monitor_send (fixture->monitor, "a", FS_LINE_ENDING_CR, &error));
  g_assert_true (fs_monitor_send (fixture->monitor, "b", FS_LINE_ENDING_LF, &error));
  g_assert_true (fs_monitor_send (fixture->monitor, "c", FS_LINE_ENDING_NONE, &error));
  g_assert_no_error (error);
  g_byte_array_append (fixture->written, (const guint8 *) "", 1);
  g_assert_cmpstr ((const char *) fixture->written->data, ==, "help\r\na\rb\nc");
}

/* A transport the monitor did not open stays open when it stops */
static void
test_shared_transport (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (fs_transport_open (fixture->transport, &error));
  g_assert_true (fs_monitor_start (fixture->monitor, &error));
  g_assert_true (fs_monitor_start (fixture->monitor, &error));
  g_assert_no_error (error);
  fs_monitor_stop (fixture->monitor);
  g_assert_true (fs_transport_get_is_open (fixture->transport));
}

static void
test_reset (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_RUN, GUARD_MS));
  g_assert_true (fs_monitor_start (fixture->monitor, &error));
  g_assert_no_error (error);
  wait_quiet (fixture);
  g_string_truncate (fixture->received, 0);
  /* EN pulled low, released: the board boots from flash again, not into
   * download mode */
  g_assert_true (fs_monitor_reset (fixture->monitor, &error));
  g_assert_no_error (error);
  wait_for_text (fixture, "second line\r\n");
  g_assert_nonnull (strstr (fixture->received->str, "rst:0x1 (POWERON_RESET)"));
  g_assert_cmpint (fs_sim_board_get_mode (fixture->board), ==, FS_SIM_MODE_RUN);
}

/* Unplugged under the running monitor, the dead port is closed; plugged
 * back, the monitor opens it again by itself */
static void
unplug_and_replug (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  fs_sim_board_set_plugged (fixture->board, FALSE);
  wait_for_state (fixture, FS_MONITOR_STATE_DISCONNECTED);
  g_assert_cmpstr (fs_monitor_state_to_string (fs_monitor_get_state (fixture->monitor)), ==, "disconnected");
  g_assert_false (fs_transport_get_is_open (fixture->transport));

  fs_sim_board_set_plugged (fixture->board, TRUE);
  wait_for_state (fixture, FS_MONITOR_STATE_RUNNING);
  g_assert_true (fs_transport_get_is_open (fixture->transport));
  g_string_truncate (fixture->received, 0);
  g_assert_true (fs_monitor_reset (fixture->monitor, &error));
  g_assert_no_error (error);
  wait_for_text (fixture, "second line\r\n");
}

static void
test_unplug (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (fs_monitor_start (fixture->monitor, &error));
  g_assert_no_error (error);
  unplug_and_replug (fixture);

  /* Stopped, it no longer looks for the port */
  fs_sim_board_set_plugged (fixture->board, FALSE);
  wait_for_state (fixture, FS_MONITOR_STATE_DISCONNECTED);
  fs_monitor_stop (fixture->monitor);
  fs_sim_board_set_plugged (fixture->board, TRUE);
  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_RUN, GUARD_MS));
  g_usleep (600 * 1000);
  g_main_context_iteration (NULL, FALSE);
  g_assert_cmpint (fs_monitor_get_state (fixture->monitor), ==, FS_MONITOR_STATE_STOPPED);
  g_assert_false (fs_transport_get_is_open (fixture->transport));
}

/* A transport someone else opened is as dead as any when the board goes
 * away: the monitor does the same with it */
static void
test_shared_transport_unplug (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (fs_transport_open (fixture->transport, &error));
  g_assert_true (fs_monitor_start (fixture->monitor, &error));
  g_assert_no_error (error);
  unplug_and_replug (fixture);
}

/* Paused for a job, the port stays open and what the board says
 * meanwhile is read when the monitor starts again */
static void
test_pause (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_RUN, GUARD_MS));
  g_assert_true (fs_monitor_start (fixture->monitor, &error));
  g_assert_no_error (error);
  fs_monitor_pause (fixture->monitor);
  g_assert_cmpint (fs_monitor_get_state (fixture->monitor), ==, FS_MONITOR_STATE_PAUSED);
  g_assert_true (fs_transport_get_is_open (fixture->transport));
  g_string_truncate (fixture->received, 0);
  fs_sim_board_press_reset (fixture->board);
  g_usleep (200 * 1000);
  g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (fixture->received->len, ==, 0);

  g_assert_true (fs_monitor_start (fixture->monitor, &error));
  g_assert_no_error (error);
  wait_for_text (fixture, "second line\r\n");
  g_assert_true (g_str_has_prefix (fixture->received->str, "ets Jun  8 2016 00:22:57\r\n"));
}

/* The monitor's baud reaches the port when it starts, and at once while
 * it runs */
static void
test_baud (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (fs_monitor_get_baud (fixture->monitor), ==, 115200);
  g_assert_true (fs_monitor_set_baud (fixture->monitor, 74880, &error));
  g_assert_true (fs_monitor_start (fixture->monitor, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fs_transport_get_baud (fixture->transport), ==, 74880);
  g_assert_true (fs_monitor_set_baud (fixture->monitor, 2000000, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fs_transport_get_baud (fixture->transport), ==, 2000000);
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/monitor/boot-log", test_boot_log);
  ADD ("/monitor/send", test_send);
  ADD ("/monitor/shared-transport", test_shared_transport);
  ADD ("/monitor/shared-transport-unplug", test_shared_transport_unplug);
  ADD ("/monitor/reset", test_reset);
  ADD ("/monitor/unplug", test_unplug);
  ADD ("/monitor/pause", test_pause);
  ADD ("/monitor/baud", test_baud);
#undef ADD
  return g_test_run ();
}

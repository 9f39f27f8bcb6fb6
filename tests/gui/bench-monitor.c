/* bench-monitor.c: the monitor view under a board that never stops talking
 *
 * The virtual board, at its real link speed, runs an app that prints
 * ESP-IDF log lines back to back at 2,000,000 baud; the window shows the
 * monitor with the default scrollback for FS_BENCH_SECONDS (60 unless
 * set). Prints the bytes the board sent and the monitor received (equal,
 * or the benchmark fails), the longest stall of the UI thread (the gap
 * between ticks of a 5 ms timer, less 5 ms), the process's memory over
 * time and its peak, and CPU time per MB: the whole process (the virtual
 * board's thread included) and the UI thread alone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>

#include "fs-monitor-view.h"
#include "fs-test-gui.h"
#include "fs-test-image.h"
#include "fs-transport-sim.h"
#include "fs-window.h"

#define TICK_MS 5

typedef struct {
  gint64  last_tick_us;
  gint64  worst_gap_us;
  gboolean measuring;
} Stall;

static gboolean
tick (gpointer user_data)
{
  Stall *stall = user_data;
  gint64 now = g_get_monotonic_time ();

  if (stall->measuring && stall->last_tick_us != 0)
    stall->worst_gap_us = MAX (stall->worst_gap_us, now - stall->last_tick_us);
  stall->last_tick_us = now;
  return G_SOURCE_CONTINUE;
}

/* VmRSS or VmHWM of this process, in KiB */
static guint64
memory_kib (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, field)) == NULL)
    return 0;
  return g_ascii_strtoull (line + strlen (field) + 1, NULL, 10);
}

static double
process_cpu_s (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static double
thread_cpu_s (void)
{
  struct timespec now;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  return now.tv_sec + now.tv_nsec / 1e9;
}


static guint64
wait_quiet (FsMonitor *monitor)
{
  guint64 before;

  do
    {
      before = fs_monitor_get_bytes_received (monitor);
      fs_test_gui_run_for (500);
    }
  while (fs_monitor_get_bytes_received (monitor) != before);
  return before;
}

int
main (int   argc,
      char *argv[])
{
  const char * const strings[] = {
    "FSSIM:BAUD:2000000",
    "FSSIM:REPEAT:0:\033[0;32mI (%u) sensor: t=21.5 C rh=48 % p=1013 hPa, all well\033[0m",
    NULL
  };
  const char *seconds_env = g_getenv ("FS_BENCH_SECONDS");
  guint seconds = seconds_env != NULL ? (guint) g_ascii_strtoull (seconds_env, NULL, 10) : 60;
  g_autoptr(GBytes) flash = fs_test_printing_flash (strings, 0);
  g_autoptr(GError) error = NULL;
  FsApplication *application;
  FsWindow *window;
  FsBoardSession *session;
  FsMonitor *monitor;
  FsSimBoard *board;
  Stall stall = { 0 };
  guint64 sent0, received0, sent, received;
  double cpu0, ui_cpu0, cpu, ui_cpu, mb;

  if (!fs_test_gui_init (&argc, &argv))
    {
      g_printerr ("needs a display\n");
      return 77;
    }
  /* The board at its real speed: the test setup makes it instant */
  g_unsetenv ("FLASH_STUDIO_SIM_TIMING");
  application = fs_test_gui_application_new ("heltec-wifi-kit-32");
  window = fs_window_new (application);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_present (GTK_WINDOW (window));
  session = fs_test_gui_wait_for_session (window);
  gtk_widget_activate_action_variant (GTK_WIDGET (window), "win.show-view", g_variant_new_string ("monitor"));
  monitor = fs_board_session_get_monitor (session);
  board = fs_test_gui_sim_board (window);

  fs_sim_flash_program (fs_sim_board_get_flash (board), 0, g_bytes_get_data (flash, NULL),
                        g_bytes_get_size (flash), &error);
  g_assert_no_error (error);
  g_assert_true (fs_monitor_set_baud (monitor, 2000000, &error));
  g_assert_no_error (error);
  wait_quiet (monitor);

  sent0 = fs_sim_board_get_bytes_sent (board);
  received0 = fs_monitor_get_bytes_received (monitor);
  cpu0 = process_cpu_s ();
  ui_cpu0 = thread_cpu_s ();
  g_timeout_add_full (G_PRIORITY_HIGH, TICK_MS, tick, &stall, NULL);
  stall.measuring = TRUE;
  fs_sim_board_press_reset (board);
  for (guint s = 1; s <= seconds; s++)
    {
      fs_test_gui_run_for (1000);
      if (s == 10 || s == 30 || s == seconds)
        printf ("after %2u s: %" G_GUINT64_FORMAT " bytes, RSS %" G_GUINT64_FORMAT " KiB\n", s,
                fs_monitor_get_bytes_received (monitor) - received0, memory_kib ("VmRSS:"));
    }
  stall.measuring = FALSE;

  /* Silence: the board held in download mode */
  fs_sim_board_set_jumper (board, TRUE);
  fs_sim_board_press_reset (board);
  wait_quiet (monitor);
  cpu = process_cpu_s () - cpu0;
  ui_cpu = thread_cpu_s () - ui_cpu0;
  sent = fs_sim_board_get_bytes_sent (board) - sent0;
  received = fs_monitor_get_bytes_received (monitor) - received0;
  mb = received / 1e6;

  printf ("%u s at 2000000 baud: board sent %" G_GUINT64_FORMAT " bytes, monitor received %" G_GUINT64_FORMAT
          " (%.1f kB/s)\n", seconds, sent, received, received / 1e3 / seconds);
  printf ("longest UI stall: %.1f ms (gap between %u ms ticks, less %u ms)\n",
          MAX (0, stall.worst_gap_us - TICK_MS * 1000) / 1000.0, TICK_MS, TICK_MS);
  printf ("peak memory (VmHWM): %" G_GUINT64_FORMAT " KiB, scrollback %u lines\n", memory_kib ("VmHWM:"),
          (guint) vte_terminal_get_scrollback_lines (fs_monitor_view_get_terminal (
            FS_MONITOR_VIEW (gtk_widget_get_template_child (GTK_WIDGET (window), FS_TYPE_WINDOW, "monitor_view")))));
  printf ("CPU per MB: %.3f s for the process (virtual board included), %.3f s for the UI thread\n",
          cpu / mb, ui_cpu / mb);

  fs_test_gui_close (application, window);
  if (sent != received)
    {
      g_printerr ("bytes lost: %" G_GUINT64_FORMAT "\n", sent - received);
      return 1;
    }
  return 0;
}

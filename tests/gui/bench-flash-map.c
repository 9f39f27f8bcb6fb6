/* bench-flash-map.c: the flash map while a job reports sectors
 *
 * A 4 MiB write reported as 1,000 sector updates a second (4 KiB each,
 * in order, each sector written and then, on a second pass, verified),
 * for a few seconds, with the window drawing. Prints the frame times
 * (from the frame clock's "after-paint") and the time the widget's
 * snapshot takes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>

#include "fs-flash-map.h"
#include "fs-test-gui.h"

#define WRITE_OFFSET    0x10000u
#define WRITE_SIZE      (4u * 1024 * 1024)
#define SECTOR          0x1000u
#define UPDATES_PER_SEC 1000
#define PASSES          4       /* written, verified, written, verified */

typedef struct {
  FsFlashMap *map;
  gint64      start_us;
  guint       updates;          /* done so far */
  GArray     *frame_us;         /* after-paint times */
  double      snapshot_total_us;
  double      snapshot_worst_us;
  guint       snapshots;
} Bench;

static guint
total_updates (void)
{
  return WRITE_SIZE / SECTOR * PASSES;
}

/* Catch up with the rate, whatever the timer's granularity */
static gboolean
feed (gpointer user_data)
{
  Bench *bench = user_data;
  guint due = MIN (total_updates (),
                   (g_get_monotonic_time () - bench->start_us) * UPDATES_PER_SEC / G_USEC_PER_SEC);

  for (; bench->updates < due; bench->updates++)
    {
      guint pass = bench->updates / (WRITE_SIZE / SECTOR);
      guint sector = bench->updates % (WRITE_SIZE / SECTOR);

      fs_flash_map_set_sectors (bench->map, WRITE_OFFSET + sector * SECTOR, SECTOR,
                                pass % 2 == 0 ? FS_REGION_WRITTEN : FS_REGION_VERIFIED);
    }
  return bench->updates < total_updates () ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* The widget's own snapshot, timed on its own, once a frame */
static void
time_snapshot (Bench *bench)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  gint64 start = g_get_monotonic_time ();
  double elapsed;

  GTK_WIDGET_GET_CLASS (bench->map)->snapshot (GTK_WIDGET (bench->map), snapshot);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  elapsed = g_get_monotonic_time () - start;
  bench->snapshot_total_us += elapsed;
  bench->snapshot_worst_us = MAX (bench->snapshot_worst_us, elapsed);
  bench->snapshots++;
}

static void
on_after_paint (GdkFrameClock *clock,
                Bench         *bench)
{
  gint64 now = g_get_monotonic_time ();

  if (bench->start_us == 0 || bench->updates >= total_updates ())
    return;
  g_array_append_val (bench->frame_us, now);
  time_snapshot (bench);
}

static gboolean
done (gpointer user_data)
{
  Bench *bench = user_data;

  return bench->updates >= total_updates ();
}

static gboolean
allocated (gpointer user_data)
{
  Bench *bench = user_data;
  graphene_rect_t area;

  return fs_flash_map_get_region_area (bench->map, 0, &area);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(FsLayout) layout = NULL;
  g_autoptr(GArray) regions = NULL;
  g_autoptr(GArray) frame_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  Bench bench = { .frame_us = frame_us };
  GtkWindow *window;
  double worst_ms = 0, total_ms;
  guint frames;

  if (!fs_test_gui_init (&argc, &argv))
    {
      g_printerr ("needs a display\n");
      return 77;
    }
  layout = fs_layout_new_builtin ("esp32-8mb", NULL);
  regions = fs_map_regions_from_layout (layout, 0);
  bench.map = fs_flash_map_new ();
  fs_flash_map_set_regions (bench.map, regions, fs_layout_get_flash_size (layout));
  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 1000, 120);
  gtk_window_set_child (window, GTK_WIDGET (bench.map));
  gtk_window_present (window);
  fs_test_gui_wait (allocated, &bench);
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                    G_CALLBACK (on_after_paint), &bench);

  bench.start_us = g_get_monotonic_time ();
  /* At the priority a job's batched reports come in at: higher, it
   * would starve the redraws, which no job does */
  g_timeout_add_full (G_PRIORITY_DEFAULT_IDLE, 1, feed, &bench, NULL);
  fs_test_gui_wait (done, &bench);

  frames = frame_us->len;
  g_assert_cmpuint (frames, >, 1);
  for (guint i = 1; i < frames; i++)
    worst_ms = MAX (worst_ms, (g_array_index (frame_us, gint64, i) - g_array_index (frame_us, gint64, i - 1)) / 1000.);
  total_ms = (g_array_index (frame_us, gint64, frames - 1) - g_array_index (frame_us, gint64, 0)) / 1000.;
  printf ("%u sector updates in %.2f s, %u frames\n", total_updates (),
          (g_get_monotonic_time () - bench.start_us) / (double) G_USEC_PER_SEC, frames);
  printf ("frame time: mean %.2f ms, worst %.2f ms, %.1f frames per second\n",
          total_ms / (frames - 1), worst_ms, (frames - 1) * 1000. / total_ms);
  printf ("snapshot: mean %.3f ms, worst %.3f ms\n",
          bench.snapshot_total_us / bench.snapshots / 1000., bench.snapshot_worst_us / 1000.);

  gtk_window_destroy (window);
  return 0;
}

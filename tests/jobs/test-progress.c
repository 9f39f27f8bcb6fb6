/* test-progress.c: a job's progress as weighted steps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <locale.h>

#include "fs-progress.h"

static void
test_weighted_steps (void)
{
  g_autoptr(FsProgress) progress = fs_progress_new ();
  FsProgress *write;

  fs_progress_add_step (progress, "Erasing", 10);
  fs_progress_add_step (progress, "Writing", 80);
  fs_progress_add_step (progress, "Verifying", 10);
  g_assert_cmpfloat (fs_progress_get_fraction (progress), ==, 0);

  fs_progress_step_done (progress);
  g_assert_cmpfloat_with_epsilon (fs_progress_get_fraction (progress), 0.10, 1e-9);

  /* Half the bytes of the writing step: 10 + 40 of 100 */
  write = fs_progress_get_child (progress);
  fs_progress_set_bytes (write, 512, 1024);
  g_assert_cmpfloat_with_epsilon (fs_progress_get_fraction (progress), 0.50, 1e-9);

  fs_progress_step_done (progress);
  fs_progress_step_done (progress);
  g_assert_cmpfloat_with_epsilon (fs_progress_get_fraction (progress), 1.0, 1e-9);
  /* Done is done: one step too many changes nothing */
  fs_progress_step_done (progress);
  g_assert_cmpfloat_with_epsilon (fs_progress_get_fraction (progress), 1.0, 1e-9);
}

static void
test_nested (void)
{
  g_autoptr(FsProgress) progress = fs_progress_new ();
  g_auto(FsProgressSnapshot) snapshot = { 0 };
  FsProgress *regions;
  FsProgress *region;

  fs_progress_add_step (progress, "Connecting", 1);
  fs_progress_add_step (progress, "Writing", 3);
  fs_progress_step_done (progress);

  regions = fs_progress_get_child (progress);
  fs_progress_add_step (regions, "bootloader", 1);
  fs_progress_add_step (regions, "app", 3);
  fs_progress_step_done (regions);
  region = fs_progress_get_child (regions);
  fs_progress_set_bytes (region, 1, 3);

  /* 1/4 + 3/4 × (1/4 + 3/4 × 1/3) = 0.625 */
  g_assert_cmpfloat_with_epsilon (fs_progress_get_fraction (progress), 0.625, 1e-9);

  fs_progress_get_snapshot (progress, &snapshot);
  g_assert_cmpstr (snapshot.step, ==, "app");
  g_assert_cmpuint (snapshot.bytes_done, ==, 1);
  g_assert_cmpuint (snapshot.bytes_total, ==, 3);
  g_assert_cmpfloat_with_epsilon (snapshot.fraction, 0.625, 1e-9);
}

static void
test_speed_and_eta (void)
{
  g_autoptr(FsProgress) progress = fs_progress_new ();
  g_auto(FsProgressSnapshot) first = { 0 };
  g_auto(FsProgressSnapshot) later = { 0 };

  fs_progress_set_bytes (progress, 0, 1000000);
  fs_progress_get_snapshot (progress, &first);
  g_assert_cmpint (first.eta_seconds, ==, -1);

  g_usleep (250 * 1000);
  fs_progress_set_bytes (progress, 100000, 1000000);
  fs_progress_get_snapshot (progress, &later);
  /* Some rate and a finite time left; their values depend on the clock */
  g_assert_cmpfloat (later.bytes_per_second, >, 0);
  g_assert_cmpint (later.eta_seconds, >=, 0);
}

/* Bytes as a ROM read delivers them: a 4 KiB block now and then, as many
 * per 250 ms as make @rate on average; the time left at each sample */
static gint64
feed (FsProgress *progress,
      guint64    *done,
      gint64     *now,
      double      rate,
      double      seconds,
      gint64     *etas,
      guint      *n_etas)
{
  g_auto(FsProgressSnapshot) snapshot = { 0 };
  double owed = 0;

  for (double t = 0; t < seconds; t += 0.25)
    {
      owed += rate * 0.25;
      /* Whole blocks only: one sample gets a block more than the next */
      while (owed >= 4096)
        {
          *done += 4096;
          owed -= 4096;
        }
      *now += 250 * G_TIME_SPAN_MILLISECOND;
      fs_progress_set_bytes_at (progress, *done, 64 * 1024 * 1024, *now);
      fs_progress_snapshot_clear (&snapshot);
      fs_progress_get_snapshot (progress, &snapshot);
      if (etas != NULL)
        etas[(*n_etas)++] = snapshot.eta_seconds;
    }
  return snapshot.eta_seconds;
}

/* The time left holds still at a steady rate delivered in bursts, moves
 * smoothly when the rate halves, and settles on the new rate */
static void
test_eta_steps (void)
{
  g_autoptr(FsProgress) progress = fs_progress_new ();
  const double remaining_then = 64.0 * 1024 * 1024;
  gint64 etas[200];
  guint n_etas = 0;
  guint64 done = 0;
  gint64 now = 1;
  gint64 eta;

  fs_progress_set_bytes_at (progress, 0, 64 * 1024 * 1024, now);
  /* 26 KB/s, the ROM's read rate, 4 KiB at a time: the rate each sample
   * sees swings between 16 and 32 KiB/s */
  feed (progress, &done, &now, 26000, 20, NULL, NULL);
  eta = feed (progress, &done, &now, 26000, 10, etas, &n_etas);
  g_assert_cmpfloat (fabs (eta - (remaining_then - done) / 26000), <, 0.05 * eta);
  for (guint i = 1; i < n_etas; i++)
    /* A quarter of a second gone, and a second of rounding either way */
    g_assert_cmpint (ABS (etas[i] - etas[i - 1]), <=, 0.02 * etas[i - 1] + 1);

  /* The rate halves: no jump, then the new figure */
  n_etas = 0;
  eta = feed (progress, &done, &now, 13000, 30, etas, &n_etas);
  for (guint i = 1; i < n_etas; i++)
    g_assert_cmpint (etas[i] - etas[i - 1], <=, 0.05 * etas[i - 1] + 1);
  g_assert_cmpfloat (fabs (eta - (remaining_then - done) / 13000), <, 0.05 * eta);
}

typedef struct {
  guint  calls;
  double last_fraction;
} WatchState;

static void
on_progress (const FsProgressSnapshot *snapshot,
             gpointer                  user_data)
{
  WatchState *state = user_data;

  state->calls++;
  state->last_fraction = snapshot->fraction;
}

static gpointer
worker (gpointer user_data)
{
  FsProgress *progress = user_data;

  for (guint i = 1; i <= 1000; i++)
    fs_progress_set_bytes (progress, i, 1000);
  return NULL;
}

/* A thousand updates from a worker reach the main loop as a few calls,
 * the last one with the final state */
static void
test_watch_batches (void)
{
  g_autoptr(FsProgress) progress = fs_progress_new ();
  WatchState state = { 0 };
  GThread *thread;
  guint id;

  id = fs_progress_watch (progress, NULL, on_progress, &state);
  thread = g_thread_new ("worker", worker, progress);
  g_thread_join (thread);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (state.calls, >=, 1);
  g_assert_cmpuint (state.calls, <, 1000);
  g_assert_cmpfloat_with_epsilon (state.last_fraction, 1.0, 1e-9);

  fs_progress_unwatch (progress, id);
  fs_progress_set_bytes (progress, 1, 1000);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpfloat_with_epsilon (state.last_fraction, 1.0, 1e-9);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/progress/weighted-steps", test_weighted_steps);
  g_test_add_func ("/progress/nested", test_nested);
  g_test_add_func ("/progress/speed-and-eta", test_speed_and_eta);
  g_test_add_func ("/progress/eta-steps", test_eta_steps);
  g_test_add_func ("/progress/watch-batches", test_watch_batches);

  return g_test_run ();
}

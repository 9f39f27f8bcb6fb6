/* bench-job.c: how fast jobs run on the virtual board with its timing model
 *
 *   bench-job write BAUD   1 MiB incompressible and 1 MiB firmware-like
 *   bench-job reupload     the same 1 MiB again, and with one sector changed
 *   bench-job backup       the whole 4 MiB flash at 921600 baud
 *
 * Each on the ROM loader and, when FS_STUB_JSON names one, with the stub.
 * The board's link runs at the baud the job asks for (10 bits a byte), its
 * flash at a W25Q64JV's typical erase and program times.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <stdio.h>
#include <zlib.h>

#include "fs-test-board.h"
#include "fs-test-job.h"
#include "fs-transport-sim.h"

#define KiB 1024u
#define MiB (1024u * 1024u)
#define OFFSET 0x10000u

typedef struct {
  char        *dir;
  FsSimBoard  *board;
  FsTransport *transport;
} Bench;

static void
bench_init (Bench *bench)
{
  bench->board = fs_test_board_new_timed (&bench->dir);
  bench->transport = fs_transport_sim_new (bench->board, "sim");
}

static void
bench_clear (Bench *bench)
{
  g_clear_object (&bench->transport);
  g_clear_object (&bench->board);
  fs_test_board_remove_dir (bench->dir);
}

static const char *
stub_path (gboolean use_stub)
{
  return use_stub ? g_getenv ("FS_STUB_JSON") : NULL;
}

/* Seconds the job took, from opening the port to the reset after */
static double
timed_job (Bench     *bench,
           FsJobKind  kind,
           guint      baud,
           gboolean   use_stub,
           GBytes    *data,
           FsJob    **out)
{
  g_autoptr(FsJob) job = fs_job_new (kind, bench->transport);
  g_autoptr(GError) error = NULL;
  gint64 start;

  fs_job_set_baud (job, baud);
  fs_job_set_stub (job, use_stub, stub_path (use_stub));
  if (data != NULL)
    fs_job_add_region (job, "data.bin", OFFSET, data);
  start = g_get_monotonic_time ();
  fs_test_run_job (job, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fs_job_get_used_stub (job), ==, use_stub);
  if (out != NULL)
    *out = g_steal_pointer (&job);
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

static GBytes *
incompressible (gsize len)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  guint8 *data = g_malloc (len);

  for (gsize i = 0; i < len; i++)
    data[i] = g_rand_int (rand) & 0xFF;
  return g_bytes_new_take (data, len);
}

/* Code from a small vocabulary of instruction words, string tables, and
 * zero-filled gaps: zlib takes it to about half, as it does ESP-IDF apps */
static GBytes *
firmware_like (gsize len)
{
  static const char * const words[] = {
    "esp_wifi", "nvs_flash", "ERROR", "connect", "task_wdt", "%s: %d\n", "heap_caps",
    "partition", "ota_begin", "gpio_set_level", "timeout", "mqtt", "sensor", "ble_gap",
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (2);
  g_autoptr(GByteArray) out = g_byte_array_sized_new (len);
  guint32 vocabulary[512];

  for (guint i = 0; i < G_N_ELEMENTS (vocabulary); i++)
    vocabulary[i] = g_rand_int (rand);
  while (out->len < len)
    {
      guint kind = g_rand_int_range (rand, 0, 20);

      if (kind < 16)
        for (guint i = 0; i < 16; i++)
          {
            guint32 word = vocabulary[g_rand_int_range (rand, 0, G_N_ELEMENTS (vocabulary))];

            word ^= g_rand_int_range (rand, 0, 4) == 0 ? g_rand_int (rand) & 0xFFFF : 0;
            g_byte_array_append (out, (const guint8 *) &word, 3);
          }
      else if (kind < 19)
        {
          const char *word = words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))];

          g_byte_array_append (out, (const guint8 *) word, strlen (word) + 1);
        }
      else
        {
          guint8 zeros[64] = { 0 };

          g_byte_array_append (out, zeros, g_rand_int_range (rand, 1, sizeof zeros));
        }
    }
  g_byte_array_set_size (out, len);
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static double
deflated_share (GBytes *data)
{
  uLongf out_len = compressBound (g_bytes_get_size (data));
  g_autofree guint8 *out = g_malloc (out_len);

  compress2 (out, &out_len, g_bytes_get_data (data, NULL), g_bytes_get_size (data), 9);
  return out_len / (double) g_bytes_get_size (data);
}

static const char *
loader_name (gboolean use_stub)
{
  return use_stub ? "stub" : "ROM ";
}

static guint
n_loaders (void)
{
  const char *path = g_getenv ("FS_STUB_JSON");

  if (path != NULL && g_file_test (path, G_FILE_TEST_EXISTS))
    return 2;
  g_print ("(no stub: set FS_STUB_JSON to measure with one)\n");
  return 1;
}

static void
bench_write (guint baud)
{
  g_autoptr(GBytes) random = incompressible (1 * MiB);
  g_autoptr(GBytes) firmware = firmware_like (1 * MiB);
  GBytes *datas[] = { random, firmware };
  const char *names[] = { "incompressible", "firmware-like " };
  double line_rate = baud / 10.0;
  guint loaders = n_loaders ();

  g_print ("Write 1 MiB at %u baud (line rate %.0f bytes/s); time from opening the port to the reset after\n",
           baud, line_rate);
  for (guint loader = 0; loader < loaders; loader++)
    for (guint i = 0; i < G_N_ELEMENTS (datas); i++)
      {
        Bench bench = { 0 };
        double seconds, rate;

        bench_init (&bench);
        seconds = timed_job (&bench, FS_JOB_WRITE, baud, loader == 1, datas[i], NULL);
        rate = g_bytes_get_size (datas[i]) / seconds;
        g_print ("  %s %s (deflates to %2.0f%%): %6.1f s, %7.0f bytes/s, %.2f × line rate\n",
                 loader_name (loader == 1), names[i], 100 * deflated_share (datas[i]), seconds, rate,
                 rate / line_rate);
        bench_clear (&bench);
      }
}

static void
bench_reupload (void)
{
  g_autoptr(GBytes) firmware = firmware_like (1 * MiB);
  g_autoptr(GBytes) changed = NULL;
  guint8 *copy = g_memdup2 (g_bytes_get_data (firmware, NULL), 1 * MiB);
  guint loaders = n_loaders ();

  copy[300 * KiB + 5] ^= 0x5A;
  changed = g_bytes_new_take (copy, 1 * MiB);
  g_print ("Upload 1 MiB firmware-like at 921600 baud, then again unchanged, then with one 4 KiB sector changed\n");
  for (guint loader = 0; loader < loaders; loader++)
    {
      Bench bench = { 0 };
      double full, same, one;

      bench_init (&bench);
      full = timed_job (&bench, FS_JOB_WRITE, 921600, loader == 1, firmware, NULL);
      same = timed_job (&bench, FS_JOB_WRITE, 921600, loader == 1, firmware, NULL);
      one = timed_job (&bench, FS_JOB_WRITE, 921600, loader == 1, changed, NULL);
      g_print ("  %s full %.2f s; unchanged %.2f s (%.3f of full); one sector changed %.2f s (%.3f of full)\n",
               loader_name (loader == 1), full, same, same / full, one, one / full);
      bench_clear (&bench);
    }
}

static void
bench_backup (void)
{
  guint loaders = n_loaders ();

  g_print ("Back up the whole 4 MiB flash at 921600 baud (line rate 92160 bytes/s)\n");
  for (guint loader = 0; loader < loaders; loader++)
    {
      Bench bench = { 0 };
      g_autoptr(FsJob) job = NULL;
      double seconds;

      bench_init (&bench);
      seconds = timed_job (&bench, FS_JOB_BACKUP, 921600, loader == 1, NULL, &job);
      g_assert_cmpuint (g_bytes_get_size (fs_job_get_data (job)), ==, 4 * MiB);
      g_print ("  %s %.1f s, %.0f bytes/s, %.2f × line rate\n", loader_name (loader == 1), seconds,
               4 * MiB / seconds, 4 * MiB / seconds / 92160);
      bench_clear (&bench);
    }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  if (argc == 3 && g_str_equal (argv[1], "write"))
    bench_write ((guint) g_ascii_strtoull (argv[2], NULL, 10));
  else if (argc == 2 && g_str_equal (argv[1], "reupload"))
    bench_reupload ();
  else if (argc == 2 && g_str_equal (argv[1], "backup"))
    bench_backup ();
  else
    {
      g_printerr ("Usage: %s write BAUD | reupload | backup\n", argv[0]);
      return 2;
    }
  return 0;
}

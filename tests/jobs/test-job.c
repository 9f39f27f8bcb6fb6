/* test-job.c: every kind of job against the in-process virtual board
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <string.h>

#include "fs-error.h"
#include "fs-flash.h"
#include "fs-image.h"
#include "fs-job.h"
#include "fs-partition-table.h"
#include "fs-test-board.h"
#include "fs-test-image.h"
#include "fs-test-job.h"
#include "fs-transport-sim.h"

#define KiB 1024u
#define MiB (1024u * 1024u)
#define FLASH_SIZE (4 * MiB)
#define PATTERN(i) ((guint8) (0xA5 ^ ((i) * 7) ^ ((i) >> 12)))

typedef struct {
  char        *dir;
  FsSimBoard  *board;
  FsTransport *transport;
  /* What the last job said */
  GPtrArray   *notes;
  GPtrArray   *prompts;       /* titles */
  GStrv        prompt_steps;
  guint        prompts_done;
  guint64      sectors[FS_REGION_INTERRUPTED + 1];   /* bytes reported per state */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->board = fs_test_board_new (&fixture->dir);
  fixture->transport = fs_transport_sim_new (fixture->board, "sim");
  fixture->notes = g_ptr_array_new_with_free_func (g_free);
  fixture->prompts = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_clear_object (&fixture->transport);
  g_clear_object (&fixture->board);
  fs_test_board_remove_dir (fixture->dir);
  g_ptr_array_unref (fixture->notes);
  g_ptr_array_unref (fixture->prompts);
  g_strfreev (fixture->prompt_steps);
}

static const guint8 *
flash (Fixture *fixture)
{
  return fs_sim_flash_get_data (fs_sim_board_get_flash (fixture->board));
}

static void
fill_flash_with_pattern (Fixture *fixture)
{
  FsSimFlash *sim_flash = fs_sim_board_get_flash (fixture->board);
  g_autofree guint8 *pattern = g_malloc (FLASH_SIZE);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < FLASH_SIZE; i++)
    pattern[i] = PATTERN (i);
  fs_sim_flash_erase (sim_flash, 0, FLASH_SIZE, &error);
  g_assert_no_error (error);
  fs_sim_flash_program (sim_flash, 0, pattern, FLASH_SIZE, &error);
  g_assert_no_error (error);
}

static GBytes *
random_bytes (gsize   len,
              guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint8 *data = g_malloc (len);

  for (gsize i = 0; i < len; i++)
    data[i] = g_rand_int (rand) & 0xFF;
  return g_bytes_new_take (data, len);
}

static void
on_note (FsJob      *job,
         const char *message,
         Fixture    *fixture)
{
  g_test_message ("note: %s", message);
  g_ptr_array_add (fixture->notes, g_strdup (message));
}

static void
on_sectors (FsJob   *job,
            guint    offset,
            guint    size,
            gint     state,
            Fixture *fixture)
{
  g_assert_cmpuint ((guint64) offset + size, <=, FLASH_SIZE);
  fixture->sectors[state] += size;
}

static void
on_prompt_done (FsJob   *job,
                gint     kind,
                Fixture *fixture)
{
  fixture->prompts_done++;
}

/* Runs @job to its end in this thread's main loop */
static gboolean
run_job (Fixture       *fixture,
         FsJob         *job,
         GCancellable  *cancellable,
         GError       **error)
{
  g_ptr_array_set_size (fixture->notes, 0);
  memset (fixture->sectors, 0, sizeof fixture->sectors);
  g_signal_connect (job, "note", G_CALLBACK (on_note), fixture);
  g_signal_connect (job, "sectors", G_CALLBACK (on_sectors), fixture);
  g_signal_connect (job, "prompt-done", G_CALLBACK (on_prompt_done), fixture);
  return fs_test_run_job (job, cancellable, error);
}

static FsJob *
new_write_job (Fixture *fixture,
               FsJobKind kind,
               gboolean  use_stub)
{
  FsJob *job = fs_job_new (kind, fixture->transport);

  fs_job_set_stub (job, use_stub, use_stub ? g_getenv ("FS_STUB_JSON") : NULL);
  return job;
}

static gboolean
have_stub (void)
{
  const char *path = g_getenv ("FS_STUB_JSON");

  if (path != NULL && g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  g_test_skip ("no stub loader: build-aux/run-tests installs esptool-js's into tests/interop");
  return FALSE;
}

static void
test_identify (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(FsJob) job = fs_job_new (FS_JOB_IDENTIFY, fixture->transport);
  g_autoptr(GError) error = NULL;
  const FsChipFacts *facts;

  fs_job_set_stub (job, FALSE, NULL);
  g_assert_null (fs_job_get_facts (job));
  g_assert_true (run_job (fixture, job, NULL, &error));
  g_assert_no_error (error);
  facts = fs_job_get_facts (job);
  g_assert_nonnull (facts);
  g_assert_cmpint (facts->chip, ==, FS_CHIP_ESP32);
  g_assert_cmpuint (facts->flash_size, ==, FLASH_SIZE);
  g_assert_false (fs_job_get_used_stub (job));
  g_assert_cmpfloat (fs_progress_get_fraction (fs_job_get_progress (job)), ==, 1.0);
  /* The board runs its flash again */
  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_RUN, 5000));
}

/* The port left at the monitor's baud before the reset, so that the
 * firmware's first lines are read at it */
static void
test_baud_after (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(FsJob) job = fs_job_new (FS_JOB_IDENTIFY, fixture->transport);
  g_autoptr(GError) error = NULL;

  fs_job_set_stub (job, FALSE, NULL);
  fs_job_set_baud (job, 460800);
  fs_job_set_baud_after (job, 9600);
  g_assert_true (fs_transport_open (fixture->transport, &error));
  g_assert_true (run_job (fixture, job, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fs_transport_get_baud (fixture->transport), ==, 9600);
  fs_transport_close (fixture->transport);
}

/* Without a stub installed where esptool and esptool-js put one, the ROM
 * loader does everything, and the job says so */
static void
test_no_stub_installed (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(FsJob) job = fs_job_new (FS_JOB_IDENTIFY, fixture->transport);
  g_autoptr(GError) error = NULL;

  g_assert_true (run_job (fixture, job, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (fs_job_get_used_stub (job));
  g_assert_cmpuint (fixture->notes->len, ==, 1);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (fixture->notes, 0), "Using the ROM loader: "));
}

static void
assert_flash_holds (Fixture *fixture,
                    guint32  offset,
                    GBytes  *data)
{
  g_assert_cmpmem (flash (fixture) + offset, g_bytes_get_size (data),
                   g_bytes_get_data (data, NULL), g_bytes_get_size (data));
}

/* Everything outside [@offset, @offset + @size) still holds the pattern */
static void
assert_pattern_outside (Fixture *fixture,
                        guint32  offset,
                        guint32  size,
                        guint32  offset2,
                        guint32  size2)
{
  const guint8 *bytes = flash (fixture);

  for (guint32 i = 0; i < FLASH_SIZE; i++)
    {
      if ((i >= offset && i < offset + size) || (i >= offset2 && i < offset2 + size2))
        continue;
      if (bytes[i] != PATTERN (i))
        g_error ("flash at 0x%06X changed: 0x%02X instead of 0x%02X", i, bytes[i], PATTERN (i));
    }
}

/* Two regions of odd sizes, written over a patterned flash with the ROM's
 * compressed-write spill on: nothing else changes, with and without a stub */
static void
test_write_leaves_the_rest (Fixture       *fixture,
                            gconstpointer  user_data)
{
  gboolean use_stub = GPOINTER_TO_INT (user_data);
  g_autoptr(FsJob) job = NULL;
  g_autoptr(GBytes) a = random_bytes (100 * KiB + 17, 1);
  g_autoptr(GBytes) b = random_bytes (64 * KiB, 2);
  g_autoptr(GError) error = NULL;
  FsSimFaults faults = { 0 };

  if (use_stub && !have_stub ())
    return;
  fill_flash_with_pattern (fixture);
  faults.compressed_spill = TRUE;
  fs_sim_board_set_faults (fixture->board, &faults);
  job = new_write_job (fixture, FS_JOB_WRITE, use_stub);
  fs_job_add_region (job, "a.bin", 0x100000, a);
  fs_job_add_region (job, "b.bin", 0x11A000, b);
  g_assert_true (run_job (fixture, job, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fs_job_get_used_stub (job), ==, use_stub);
  assert_flash_holds (fixture, 0x100000, a);
  assert_flash_holds (fixture, 0x11A000, b);
  assert_pattern_outside (fixture, 0x100000, g_bytes_get_size (a), 0x11A000, g_bytes_get_size (b));
  for (guint i = 0; i < 2; i++)
    {
      const FsJobRegion *region = fs_job_get_region (job, i);

      g_assert_cmpint (region->state, ==, FS_REGION_WRITTEN);
      g_assert_cmpuint (region->bytes_written + region->bytes_skipped, ==, region->size);
    }
  g_assert_cmpuint (fixture->sectors[FS_REGION_WRITTEN] + fixture->sectors[FS_REGION_SKIPPED], ==,
                    g_bytes_get_size (a) + g_bytes_get_size (b));
}

static void
write_once (Fixture     *fixture,
            guint32      offset,
            GBytes      *data,
            FsJobRegion *out)
{
  g_autoptr(FsJob) job = new_write_job (fixture, FS_JOB_WRITE, FALSE);
  g_autoptr(GError) error = NULL;

  fs_job_add_region (job, "app.bin", offset, data);
  run_job (fixture, job, NULL, &error);
  g_assert_no_error (error);
  *out = *fs_job_get_region (job, 0);
  out->name = NULL;
  assert_flash_holds (fixture, offset, data);
}

/* The second upload of the same data writes nothing; one changed sector
 * is all a third writes */
static void
test_write_skips_what_is_there (Fixture       *fixture,
                                gconstpointer  user_data)
{
  g_autoptr(GBytes) data = random_bytes (256 * KiB, 3);
  g_autoptr(GBytes) changed = NULL;
  FsJobRegion region;
  guint8 *copy;

  write_once (fixture, 0x10000, data, &region);
  g_assert_cmpint (region.state, ==, FS_REGION_WRITTEN);
  g_assert_cmpuint (region.bytes_written, ==, 256 * KiB);

  write_once (fixture, 0x10000, data, &region);
  g_assert_cmpint (region.state, ==, FS_REGION_SKIPPED);
  g_assert_cmpuint (region.bytes_written, ==, 0);
  g_assert_cmpuint (region.bytes_skipped, ==, 256 * KiB);
  g_assert_cmpuint (fixture->sectors[FS_REGION_SKIPPED], ==, 256 * KiB);

  copy = g_memdup2 (g_bytes_get_data (data, NULL), 256 * KiB);
  copy[100 * KiB] ^= 0xFF;
  changed = g_bytes_new_take (copy, 256 * KiB);
  write_once (fixture, 0x10000, changed, &region);
  g_assert_cmpint (region.state, ==, FS_REGION_WRITTEN);
  g_assert_cmpuint (region.bytes_written, ==, 4 * KiB);
  g_assert_cmpuint (region.bytes_skipped, ==, 252 * KiB);
}

static void
count_host_bytes (FsTransportEvent  event,
                  const guint8     *data,
                  gsize             len,
                  gpointer          user_data)
{
  if (event == FS_TRANSPORT_EVENT_WRITE)
    *(guint64 *) user_data += len;
}

/* Lost and damaged bytes are retried: the flash ends up exact, and the
 * retries show as more bytes sent than the same write took without faults */
static void
test_write_faults (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GBytes) data = random_bytes (256 * KiB, 4);
  FsSimFaults faults = { 0 };
  FsJobRegion region;
  guint64 clean = 0, faulty = 0;

  fs_transport_set_recorder (fixture->transport, count_host_bytes, &clean);
  write_once (fixture, 0x20000, data, &region);
  g_assert_cmpint (region.state, ==, FS_REGION_WRITTEN);

  /* A few over the job: a refused block ends the ROM's write, so each
   * costs a whole chunk (../shared/notes/esp32-rom-answers.md) */
  faults.drop_rate = 0.000015;
  faults.garble_rate = 0.000005;
  faults.seed = 11;
  fs_sim_board_set_faults (fixture->board, &faults);
  fs_transport_set_recorder (fixture->transport, count_host_bytes, &faulty);
  write_once (fixture, 0x80000, data, &region);
  g_assert_cmpint (region.state, ==, FS_REGION_WRITTEN);
  g_assert_cmpuint (faulty, >, clean);
}

/* An unplug part way: the job says where it stopped, and the bytes before
 * that are on the board; once plugged back, a rerun writes only the rest */
static void
test_unplug_and_resume (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(GBytes) data = random_bytes (512 * KiB, 5);
  g_autoptr(FsJob) job = new_write_job (fixture, FS_JOB_WRITE, FALSE);
  g_autoptr(FsJob) rerun = NULL;
  g_autoptr(FsTransport) replugged = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *where = NULL;
  g_autofree char *done = NULL;
  FsSimFaults faults = { 0 };
  const FsJobRegion *region;

  faults.unplug_after = 400 * KiB;   /* host bytes: compressed random data is a little larger */
  fs_sim_board_set_faults (fixture->board, &faults);
  fs_job_add_region (job, "app.bin", 0x40000, data);
  g_assert_false (run_job (fixture, job, NULL, &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_DISCONNECTED);
  region = fs_job_get_region (job, 0);
  g_assert_cmpint (region->state, ==, FS_REGION_INTERRUPTED);
  g_assert_cmpuint (region->stopped_at, >, 0x40000);
  g_assert_cmpuint (region->stopped_at, <, 0x40000 + 512 * KiB);
  g_assert_cmpuint (region->bytes_written, ==, region->stopped_at - 0x40000);
  done = fs_format_size_approx (region->bytes_written);
  where = g_strdup_printf ("Writing “app.bin” stopped at 0x%06X, with %s of its 512 KiB written and checked: ",
                           region->stopped_at, done);
  g_assert_true (g_str_has_prefix (error->message, where));
  g_assert_cmpmem (flash (fixture) + 0x40000, region->bytes_written,
                   g_bytes_get_data (data, NULL), region->bytes_written);

  faults.unplug_after = 0;
  fs_sim_board_set_faults (fixture->board, &faults);
  fs_sim_board_set_plugged (fixture->board, TRUE);
  /* The board's thread plugs it in: the port is back once it is powered */
  while (!fs_sim_board_get_plugged (fixture->board))
    g_usleep (1000);
  replugged = fs_transport_sim_new (fixture->board, "sim");
  rerun = fs_job_new (FS_JOB_WRITE, replugged);
  fs_job_set_stub (rerun, FALSE, NULL);
  fs_job_add_region (rerun, "app.bin", 0x40000, data);
  g_clear_error (&error);
  run_job (fixture, rerun, NULL, &error);
  g_assert_no_error (error);
  region = fs_job_get_region (rerun, 0);
  g_assert_cmpint (region->state, ==, FS_REGION_WRITTEN);
  g_assert_cmpuint (region->bytes_skipped, >=, fs_job_get_region (job, 0)->bytes_written);
  g_assert_cmpuint (region->bytes_written, <=, 512 * KiB - fs_job_get_region (job, 0)->bytes_written);
  assert_flash_holds (fixture, 0x40000, data);
}

static void
cancel_soon (FsJob        *job,
             guint         offset,
             guint         size,
             gint          state,
             GCancellable *cancellable)
{
  if (state == FS_REGION_WRITTEN)
    g_cancellable_cancel (cancellable);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(GBytes) data = random_bytes (1 * MiB, 6);
  g_autoptr(FsJob) job = new_write_job (fixture, FS_JOB_WRITE, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  fs_job_add_region (job, "big.bin", 0x100000, data);
  g_signal_connect (job, "sectors", G_CALLBACK (cancel_soon), cancellable);
  g_assert_false (run_job (fixture, job, cancellable, &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_CANCELLED);
  g_assert_cmpint (fs_job_get_region (job, 0)->state, ==, FS_REGION_INTERRUPTED);
  g_assert_cmpuint (fs_job_get_region (job, 0)->bytes_written, <, 1 * MiB);
}

static void
assert_refused (Fixture    *fixture,
                FsJob      *job,
                gint        code,
                const char *message)
{
  g_autofree guint8 *before = g_memdup2 (flash (fixture), FLASH_SIZE);
  g_autoptr(GError) error = NULL;

  g_assert_false (run_job (fixture, job, NULL, &error));
  g_assert_error (error, FS_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
  g_assert_cmpmem (flash (fixture), FLASH_SIZE, before, FLASH_SIZE);
}

static void
test_refuse_without_board (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(GBytes) data = random_bytes (8 * KiB, 7);
  g_autoptr(FsJob) unaligned = new_write_job (fixture, FS_JOB_WRITE, FALSE);
  g_autoptr(FsJob) overlapping = new_write_job (fixture, FS_JOB_WRITE, FALSE);
  g_autoptr(FsJob) empty = new_write_job (fixture, FS_JOB_WRITE, FALSE);
  g_autoptr(FsJob) erase = fs_job_new (FS_JOB_ERASE, fixture->transport);
  g_autoptr(GError) error = NULL;

  fs_job_add_region (unaligned, "app.bin", 0x10100, data);
  g_assert_false (fs_job_check (unaligned, &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "“app.bin” starts at 0x010100, which is not a multiple of 0x1000");
  assert_refused (fixture, unaligned, FS_ERROR_INVALID_ARGUMENT, error->message);
  g_clear_error (&error);

  fs_job_add_region (overlapping, "a.bin", 0x10000, data);
  fs_job_add_region (overlapping, "b.bin", 0x11000, data);
  assert_refused (fixture, overlapping, FS_ERROR_INVALID_ARGUMENT,
                  "“b.bin” (0x011000–0x013000) overlaps “a.bin” (0x010000–0x012000)");

  assert_refused (fixture, empty, FS_ERROR_INVALID_ARGUMENT, "There is nothing to write");

  fs_job_set_range (erase, 0x1000, 0x800);
  assert_refused (fixture, erase, FS_ERROR_INVALID_ARGUMENT,
                  "Flash is erased in whole 4 KiB sectors: 0x00001000 and 0x800 must be multiples of 0x1000");
  /* Nothing was tried on the board: it still runs its app */
  g_assert_cmpint (fs_sim_board_get_mode (fixture->board), !=, FS_SIM_MODE_DOWNLOAD);
}

/* The layout the slot tests and the room test use: two 1 MiB slots */
static GBytes *
two_slot_table (void)
{
  static const char csv[] =
    "nvs,      data, nvs,  0x9000,   0x4000\n"
    "otadata,  data, ota,  0xd000,   0x2000\n"
    "phy_init, data, phy,  0xf000,   0x1000\n"
    "ota_0,    app,  ota_0, 0x10000, 0x100000\n"
    "ota_1,    app,  ota_1, 0x110000, 0x100000\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(FsPartitionTable) table = fs_partition_table_new_from_csv (csv, strlen (csv), &error);
  GBytes *bytes;

  g_assert_no_error (error);
  bytes = fs_partition_table_to_binary (table, TRUE, &error);
  g_assert_no_error (error);
  return bytes;
}

static void
test_refuse_on_board (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GBytes) table = two_slot_table ();
  g_autoptr(GBytes) too_big = random_bytes (1 * MiB + 4 * KiB, 9);
  g_autoptr(GBytes) other_chip = fs_test_app_image (FS_CHIP_ESP32_C3, "c3", 4096, 8);
  g_autoptr(GBytes) past_end = random_bytes (128 * KiB, 10);
  g_autoptr(FsJob) big = new_write_job (fixture, FS_JOB_WRITE, FALSE);
  g_autoptr(FsJob) chip = new_write_job (fixture, FS_JOB_WRITE, FALSE);
  g_autoptr(FsJob) beyond = new_write_job (fixture, FS_JOB_WRITE, FALSE);
  FsJobRegion region;

  write_once (fixture, 0x8000, table, &region);

  fs_job_add_region (big, "app.bin", 0x110000, too_big);
  assert_refused (fixture, big, FS_ERROR_INVALID_ARGUMENT,
                  "“app.bin” is 1028 KiB, but “ota_1” has room for 1 MiB from 0x00110000");
  fs_job_add_region (chip, "c3.bin", 0x10000, other_chip);
  assert_refused (fixture, chip, FS_ERROR_INVALID_ARGUMENT,
                  "“c3.bin” is built for the ESP32-C3, but this board is an ESP32");
  fs_job_add_region (beyond, "tail.bin", 0x3F0000, past_end);
  assert_refused (fixture, beyond, FS_ERROR_INVALID_ARGUMENT,
                  "“tail.bin” (0x003F0000–0x00410000) goes past the end of the board’s 4 MiB of flash");
}

static void
test_verify (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(GBytes) data = random_bytes (40 * KiB, 12);
  g_autoptr(GBytes) other = random_bytes (40 * KiB, 13);
  g_autoptr(FsJob) same = new_write_job (fixture, FS_JOB_VERIFY, FALSE);
  g_autoptr(FsJob) differs = new_write_job (fixture, FS_JOB_VERIFY, FALSE);
  g_autoptr(GError) error = NULL;
  FsJobRegion region;

  write_once (fixture, 0x30000, data, &region);
  fs_job_add_region (same, "app.bin", 0x30000, data);
  g_assert_true (run_job (fixture, same, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fs_job_get_region (same, 0)->state, ==, FS_REGION_VERIFIED);

  fs_job_add_region (differs, "app.bin", 0x30000, data);
  fs_job_add_region (differs, "other.bin", 0x40000, other);
  g_assert_false (run_job (fixture, differs, NULL, &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_VERIFY_FAILED);
  g_assert_cmpstr (error->message, ==, "The flash does not hold “other.bin”");
  g_assert_cmpint (fs_job_get_region (differs, 0)->state, ==, FS_REGION_VERIFIED);
  g_assert_cmpint (fs_job_get_region (differs, 1)->state, ==, FS_REGION_DIFFERS);
}

static void
test_read_and_backup (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(FsJob) read = fs_job_new (FS_JOB_READ, fixture->transport);
  g_autoptr(FsJob) backup = fs_job_new (FS_JOB_BACKUP, fixture->transport);
  g_autoptr(FsJob) past = fs_job_new (FS_JOB_READ, fixture->transport);
  g_autoptr(GError) error = NULL;
  g_autofree char *md5 = NULL;

  fill_flash_with_pattern (fixture);
  fs_job_set_stub (read, FALSE, NULL);
  fs_job_set_range (read, 0x1234, 5000);
  g_assert_true (run_job (fixture, read, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (fs_job_get_data (read), NULL), g_bytes_get_size (fs_job_get_data (read)),
                   flash (fixture) + 0x1234, 5000);

  fs_job_set_stub (backup, FALSE, NULL);
  fs_job_set_baud (backup, 921600);
  g_assert_true (run_job (fixture, backup, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (fs_job_get_data (backup), NULL), g_bytes_get_size (fs_job_get_data (backup)),
                   flash (fixture), FLASH_SIZE);
  md5 = g_compute_checksum_for_data (G_CHECKSUM_MD5, flash (fixture), FLASH_SIZE);
  g_assert_cmpstr (fs_job_get_md5 (backup), ==, md5);

  fs_job_set_stub (past, FALSE, NULL);
  fs_job_set_range (past, FLASH_SIZE - 4 * KiB, 8 * KiB);
  g_assert_false (run_job (fixture, past, NULL, &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "0x003FF000–0x00401000 goes past the end of the board’s 4 MiB of flash");
}

static void
test_restore (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(GBytes) backup = NULL;
  g_autoptr(GBytes) half = NULL;
  g_autoptr(GBytes) scribble = random_bytes (16 * KiB, 14);
  g_autoptr(FsJob) restore = new_write_job (fixture, FS_JOB_RESTORE, FALSE);
  g_autoptr(FsJob) wrong_size = new_write_job (fixture, FS_JOB_RESTORE, FALSE);
  g_autoptr(GError) error = NULL;
  FsJobRegion region;

  fill_flash_with_pattern (fixture);
  backup = g_bytes_new (flash (fixture), FLASH_SIZE);
  write_once (fixture, 0x200000, scribble, &region);

  fs_job_add_region (restore, "board.bin", 0, backup);
  g_assert_true (run_job (fixture, restore, NULL, &error));
  g_assert_no_error (error);
  assert_flash_holds (fixture, 0, backup);
  /* Only the scribbled-over sectors went over the link */
  g_assert_cmpuint (fs_job_get_region (restore, 0)->bytes_written, ==, 16 * KiB);

  half = g_bytes_new_from_bytes (backup, 0, FLASH_SIZE / 2);
  fs_job_add_region (wrong_size, "half.bin", 0, half);
  assert_refused (fixture, wrong_size, FS_ERROR_INVALID_ARGUMENT,
                  "The backup “half.bin” holds 2 MiB, but the board has 4 MiB of flash");
}

static void
test_erase (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(FsJob) region = fs_job_new (FS_JOB_ERASE, fixture->transport);
  g_autoptr(FsJob) whole = fs_job_new (FS_JOB_ERASE, fixture->transport);
  g_autoptr(GError) error = NULL;
  const guint8 *bytes;

  fill_flash_with_pattern (fixture);
  fs_job_set_stub (region, FALSE, NULL);
  fs_job_set_range (region, 0x10000, 0x3000);
  g_assert_true (run_job (fixture, region, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->sectors[FS_REGION_ERASED], ==, 0x3000);
  bytes = flash (fixture);
  for (guint32 i = 0; i < FLASH_SIZE; i++)
    g_assert_cmpuint (bytes[i], ==, i >= 0x10000 && i < 0x13000 ? 0xFF : PATTERN (i));

  fs_job_set_stub (whole, FALSE, NULL);
  g_assert_true (run_job (fixture, whole, NULL, &error));
  g_assert_no_error (error);
  bytes = flash (fixture);
  for (guint32 i = 0; i < FLASH_SIZE; i++)
    g_assert_cmpuint (bytes[i], ==, 0xFF);
}

static const FsSlotState *
run_slot_job (Fixture   *fixture,
              FsJobKind  kind,
              gint       slot,
              FsJob    **out)
{
  g_autoptr(GError) error = NULL;

  *out = fs_job_new (kind, fixture->transport);
  fs_job_set_stub (*out, FALSE, NULL);
  fs_job_set_slot (*out, slot);
  g_assert_true (run_job (fixture, *out, NULL, &error));
  g_assert_no_error (error);
  return fs_job_get_slot_state (*out);
}

static void
test_slots (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(GBytes) table = two_slot_table ();
  g_autoptr(GBytes) app = fs_test_app_image (FS_CHIP_ESP32, "app", 4096, 8);
  g_autoptr(FsJob) show = NULL;
  g_autoptr(FsJob) other = NULL;
  g_autoptr(FsJob) back = NULL;
  g_autoptr(FsJob) empty_slot = NULL;
  g_autoptr(GBytes) blank = NULL;
  g_autofree char *boot_log = NULL;
  const FsSlotState *state;
  FsJobRegion region;

  g_autoptr(GBytes) bootloader = fs_test_app_image (FS_CHIP_ESP32, "bootloader", 2048, 9);

  /* A board that boots: bootloader, table, otadata, an app in ota_0 */
  write_once (fixture, 0x1000, bootloader, &region);
  write_once (fixture, 0x8000, table, &region);
  blank = g_bytes_new_take (memset (g_malloc (8 * KiB), 0xFF, 8 * KiB), 8 * KiB);
  write_once (fixture, 0xd000, blank, &region);
  write_once (fixture, 0x10000, app, &region);

  state = run_slot_job (fixture, FS_JOB_SLOT_SHOW, -1, &show);
  g_assert_cmpstr (fs_job_get_slot_title (show, 0), ==, "app 1.2.3");
  g_assert_null (fs_job_get_slot_title (show, 1));
  g_assert_nonnull (fs_job_get_partition_table (show));
  g_assert_true (state->has_otadata);
  g_assert_cmpuint (state->n_slots, ==, 2);
  g_assert_cmpint (state->boot_slot, ==, -1);

  /* ota_1 is empty: switching there would leave the board dead */
  empty_slot = fs_job_new (FS_JOB_SLOT_SWITCH, fixture->transport);
  fs_job_set_stub (empty_slot, FALSE, NULL);
  assert_refused (fixture, empty_slot, FS_ERROR_INVALID_ARGUMENT,
                  "“ota_1” holds no app image, so the board could not boot it: write an app there first");

  write_once (fixture, 0x110000, app, &region);
  state = run_slot_job (fixture, FS_JOB_SLOT_SWITCH, -1, &other);
  g_assert_cmpint (state->boot_slot, ==, 1);
  /* No valid otadata: the bootloader took ota_0 */
  g_assert_cmpint (state->switched_from, ==, 0);
  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_RUN, 5000));
  boot_log = fs_sim_board_dup_boot_log (fixture->board);
  g_assert_nonnull (strstr (boot_log, "Loaded app from partition at offset 0x110000"));
  state = run_slot_job (fixture, FS_JOB_SLOT_SWITCH, -1, &back);
  g_assert_cmpint (state->boot_slot, ==, 0);
  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_RUN, 5000));
  g_clear_pointer (&boot_log, g_free);
  boot_log = fs_sim_board_dup_boot_log (fixture->board);
  g_assert_nonnull (strstr (boot_log, "Loaded app from partition at offset 0x10000"));
  g_assert_cmpuint (state->sequence, >, fs_job_get_slot_state (other)->sequence);
}

static void
place_jumper (FsJob              *job,
              gint                kind,
              const char         *title,
              const char * const *steps,
              Fixture            *fixture)
{
  g_ptr_array_add (fixture->prompts, g_strdup (title));
  if (kind != FS_JOB_PROMPT_DOWNLOAD_MODE)
    return;
  g_strfreev (fixture->prompt_steps);
  fixture->prompt_steps = g_strdupv ((char **) steps);
  fs_sim_board_set_jumper (fixture->board, TRUE);
  fs_sim_board_press_reset (fixture->board);
}

/* A FiPy: no reset lines. The job shows the steps and keeps trying until
 * the board is in download mode; then asks for a reset to run the app. */
static void
test_manual_board (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(FsBoardProfile) fipy = fs_board_profile_new_builtin ("pycom-fipy", NULL);
  g_autoptr(FsJob) job = new_write_job (fixture, FS_JOB_WRITE, FALSE);
  g_autoptr(GBytes) data = random_bytes (8 * KiB, 15);
  g_autoptr(GError) error = NULL;
  FsSimFaults faults = { 0 };

  faults.needs_jumper = TRUE;
  fs_sim_board_set_faults (fixture->board, &faults);
  fs_job_set_profile (job, fipy);
  fs_job_add_region (job, "app.bin", 0x10000, data);
  g_signal_connect (job, "prompt", G_CALLBACK (place_jumper), fixture);
  g_assert_true (run_job (fixture, job, NULL, &error));
  g_assert_no_error (error);
  assert_flash_holds (fixture, 0x10000, data);
  g_assert_cmpuint (fixture->prompts->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (fixture->prompts, 0), ==, "Put the board in download mode");
  g_assert_cmpstrv (fixture->prompt_steps, fs_board_profile_get_steps (fipy));
  g_assert_cmpstr (g_ptr_array_index (fixture->prompts, 1), ==, "Reset the board to start its firmware");
  g_assert_cmpuint (fixture->prompts_done, ==, 1);
}

/* A board that booted its app: the message says so and how to get into
 * download mode by hand */
static void
test_no_download_mode (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(FsBoardProfile) devkit = fs_board_profile_new_builtin ("esp32-devkit", NULL);
  g_autoptr(FsJob) job = fs_job_new (FS_JOB_IDENTIFY, fixture->transport);
  g_autoptr(GError) error = NULL;
  FsSimFaults faults = { 0 };

  faults.needs_jumper = TRUE;
  fs_sim_board_set_faults (fixture->board, &faults);
  fs_job_set_profile (job, devkit);
  g_assert_false (run_job (fixture, job, NULL, &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_NO_ANSWER);
  g_assert_nonnull (strstr (error->message, "boot:0x13 (SPI_FAST_FLASH_BOOT)"));
  g_assert_nonnull (strstr (error->message, "To put the board in download mode by hand:\n  1. "));
  g_assert_nonnull (strstr (error->message, fs_board_profile_get_steps (devkit)[0]));
}

/* A stub that never greets: the job carries on with the ROM and says so */
static void
test_stub_hangs (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(FsJob) job = NULL;
  g_autoptr(GBytes) data = random_bytes (8 * KiB, 16);
  g_autoptr(GError) error = NULL;
  FsSimFaults faults = { 0 };

  if (!have_stub ())
    return;
  faults.stub_hangs = TRUE;
  fs_sim_board_set_faults (fixture->board, &faults);
  job = new_write_job (fixture, FS_JOB_WRITE, TRUE);
  fs_job_add_region (job, "app.bin", 0x10000, data);
  g_assert_true (run_job (fixture, job, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (fs_job_get_used_stub (job));
  g_assert_cmpuint (fixture->notes->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->notes, 0), ==,
                   "The stub did not greet within a second; carrying on with the ROM loader");
  assert_flash_holds (fixture, 0x10000, data);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  /* Nowhere to find an installed stub: only the one a test names */
  g_setenv ("HOME", "/nonexistent", TRUE);
  g_setenv ("PATH", "/nonexistent", TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)
  ADD ("/job/identify", test_identify, NULL);
  ADD ("/job/baud-after", test_baud_after, NULL);
  ADD ("/job/no-stub-installed", test_no_stub_installed, NULL);
  ADD ("/job/write/rest-unchanged/rom", test_write_leaves_the_rest, GINT_TO_POINTER (FALSE));
  ADD ("/job/write/rest-unchanged/stub", test_write_leaves_the_rest, GINT_TO_POINTER (TRUE));
  ADD ("/job/write/skip", test_write_skips_what_is_there, NULL);
  ADD ("/job/write/faults", test_write_faults, NULL);
  ADD ("/job/write/unplug-resume", test_unplug_and_resume, NULL);
  ADD ("/job/write/cancel", test_cancel, NULL);
  ADD ("/job/refuse/without-board", test_refuse_without_board, NULL);
  ADD ("/job/refuse/on-board", test_refuse_on_board, NULL);
  ADD ("/job/verify", test_verify, NULL);
  ADD ("/job/read-backup", test_read_and_backup, NULL);
  ADD ("/job/restore", test_restore, NULL);
  ADD ("/job/erase", test_erase, NULL);
  ADD ("/job/slots", test_slots, NULL);
  ADD ("/job/manual-board", test_manual_board, NULL);
  ADD ("/job/no-download-mode", test_no_download_mode, NULL);
  ADD ("/job/stub-hangs", test_stub_hangs, NULL);
#undef ADD

  return g_test_run ();
}

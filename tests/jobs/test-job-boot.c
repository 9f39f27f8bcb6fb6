/* test-job-boot.c: writes checked for what the board boots after them,
 * against the in-process virtual board, which boots as ESP-IDF does
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <string.h>

#include "fs-error.h"
#include "fs-image.h"
#include "fs-job.h"
#include "fs-otadata.h"
#include "fs-partition-table.h"
#include "fs-test-board.h"
#include "fs-test-image.h"
#include "fs-test-job.h"
#include "fs-transport-sim.h"

#define MiB (1024u * 1024u)
#define FLASH_SIZE (4 * MiB)
#define BOOTLOADER_OFFSET 0x1000
#define OTADATA_OFFSET 0xD000

typedef struct {
  char        *dir;
  FsSimBoard  *board;
  FsTransport *transport;
  GPtrArray   *notes;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->board = fs_test_board_new (&fixture->dir);
  fixture->transport = fs_transport_sim_new (fixture->board, "sim");
  fixture->notes = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_clear_object (&fixture->transport);
  g_clear_object (&fixture->board);
  fs_test_board_remove_dir (fixture->dir);
  g_ptr_array_unref (fixture->notes);
}

static void
on_note (FsJob      *job,
         const char *message,
         Fixture    *fixture)
{
  g_test_message ("note: %s", message);
  g_ptr_array_add (fixture->notes, g_strdup (message));
}

static gboolean
notes_contain (Fixture    *fixture,
               const char *text)
{
  for (guint i = 0; i < fixture->notes->len; i++)
    if (strstr (g_ptr_array_index (fixture->notes, i), text) != NULL)
      return TRUE;
  return FALSE;
}

/* A write of @n_parts parts (offset, bytes, offset, bytes…) */
static FsJob *
new_write (Fixture *fixture,
           guint    n_parts,
           ...)
{
  FsJob *job = fs_job_new (FS_JOB_WRITE, fixture->transport);
  va_list args;

  fs_job_set_stub (job, FALSE, NULL);
  va_start (args, n_parts);
  for (guint i = 0; i < n_parts; i++)
    {
      guint32 offset = va_arg (args, guint32);
      GBytes *data = va_arg (args, GBytes *);
      g_autofree char *name = g_strdup_printf ("part-%06x.bin", offset);

      fs_job_add_region (job, name, offset, data);
    }
  va_end (args);
  return job;
}

static gboolean
run (Fixture  *fixture,
     FsJob    *job,
     GError  **error)
{
  g_ptr_array_set_size (fixture->notes, 0);
  g_signal_connect (job, "note", G_CALLBACK (on_note), fixture);
  return fs_test_run_job (job, NULL, error);
}

static void
run_ok (Fixture *fixture,
        FsJob   *job)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (run (fixture, job, &error));
  g_assert_no_error (error);
}

static GBytes *
flash_copy (Fixture *fixture)
{
  return g_bytes_new (fs_sim_flash_get_data (fs_sim_board_get_flash (fixture->board)), FLASH_SIZE);
}

static const guint8 *
flash (Fixture *fixture)
{
  return fs_sim_flash_get_data (fs_sim_board_get_flash (fixture->board));
}

/* A table going up to 3 MiB: more than a 2 MiB bootloader allows */
static GBytes *
table_to_3mib (void)
{
  static const char csv[] =
    "nvs,      data, nvs,   0x9000,   0x4000\n"
    "otadata,  data, ota,   0xd000,   0x2000\n"
    "ota_0,    app,  ota_0, 0x10000,  0x100000\n"
    "ota_1,    app,  ota_1, 0x110000, 0x100000\n"
    "storage,  data, fat,   0x210000, 0xF0000\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(FsPartitionTable) table = fs_partition_table_new_from_csv (csv, strlen (csv), &error);
  GBytes *bytes;

  g_assert_no_error (error);
  bytes = fs_partition_table_to_binary (table, TRUE, &error);
  g_assert_no_error (error);
  return bytes;
}

static GBytes *
otadata_selecting (guint slot)
{
  g_autoptr(FsOtadata) otadata = fs_otadata_new ();
  g_autoptr(GError) error = NULL;

  fs_otadata_select_slot (otadata, slot, 2, &error);
  g_assert_no_error (error);
  return fs_otadata_to_bytes (otadata);
}

static char *
boot_log (Fixture *fixture)
{
  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_RUN, 5000));
  return fs_sim_board_dup_boot_log (fixture->board);
}

/* An app alone on an erased board: refused before anything is written,
 * with what to bring; the same app where a bootloader and a table are
 * already is written and boots */
static void
test_app_needs_bootloader (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(GBytes) app = fs_test_app_image (FS_CHIP_ESP32, "blink", 8192, 1);
  g_autoptr(GBytes) table = table_to_3mib ();
  g_autoptr(GBytes) bootloader = fs_test_bootloader_image (2);
  g_autoptr(GBytes) otadata = otadata_selecting (0);
  g_autoptr(GBytes) before = flash_copy (fixture);
  g_autoptr(GBytes) after = NULL;
  g_autoptr(FsJob) refused = new_write (fixture, 3, 0x8000, table, OTADATA_OFFSET, otadata, 0x10000, app);
  g_autoptr(FsJob) system = new_write (fixture, 3, BOOTLOADER_OFFSET, bootloader, 0x8000, table,
                                       OTADATA_OFFSET, otadata);
  g_autoptr(FsJob) written = new_write (fixture, 1, 0x10000, app);
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;

  g_assert_false (run (fixture, refused, &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_WOULD_NOT_BOOT);
  g_assert_cmpstr (error->message, ==,
                   "There is no bootloader at 0x1000: the flash is erased there, and this write brings none, "
                   "so the board could not start. Bring one with the firmware: a merged image, an ESP Web "
                   "Tools manifest that has one, or the build folder’s bootloader/bootloader.bin at 0x1000.");
  after = flash_copy (fixture);
  g_assert_true (g_bytes_equal (before, after));
  g_assert_cmpint (fs_job_get_region (refused, 0)->state, ==, FS_REGION_PENDING);

  /* Without an app nothing is refused: an incomplete chain is said */
  run_ok (fixture, system);
  run_ok (fixture, written);
  g_assert_cmpint (fs_job_get_region (written, 0)->state, ==, FS_REGION_WRITTEN);
  log = boot_log (fixture);
  g_assert_nonnull (strstr (log, "Loaded app from partition at offset 0x10000"));
  g_assert_nonnull (strstr (log, "Calling app_main()"));
  g_assert_true (fs_job_get_has_slots (written));
  g_assert_cmpstr (fs_job_get_slot_title (written, 0), ==, "blink 1.2.3");
  g_assert_cmpint (fs_job_get_slot_state (written)->boot_slot, ==, 0);
}

/* A damaged bootloader is refused even without an app: it stops the board */
static void
test_damaged_bootloader (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(GBytes) bootloader = fs_test_bootloader_image (2);
  gsize len = 0;
  guint8 *copy = g_bytes_unref_to_data (g_bytes_ref (bootloader), &len);
  g_autoptr(GBytes) damaged = NULL;
  g_autoptr(FsJob) job = NULL;
  g_autoptr(GError) error = NULL;

  copy[100] ^= 0x55;
  damaged = g_bytes_new_take (copy, len);
  job = new_write (fixture, 1, BOOTLOADER_OFFSET, damaged);
  g_assert_false (run (fixture, job, &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_WOULD_NOT_BOOT);
  g_assert_true (g_str_has_prefix (error->message, "The bootloader at 0x1000 is not valid: "));
  g_assert_cmpuint (flash (fixture)[BOOTLOADER_OFFSET], ==, 0xFF);
}

/* --force writes what would not boot, and says so */
static void
test_force (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(GBytes) app = fs_test_app_image (FS_CHIP_ESP32, "blink", 8192, 1);
  g_autoptr(FsJob) job = new_write (fixture, 1, 0x10000, app);

  fs_job_set_force (job, TRUE);
  run_ok (fixture, job);
  g_assert_cmpint (fs_job_get_region (job, 0)->state, ==, FS_REGION_WRITTEN);
  g_assert_true (notes_contain (fixture, "Written anyway, as forced: There is no bootloader at 0x1000"));
  g_assert_cmpmem (flash (fixture) + 0x10000, 16, g_bytes_get_data (app, NULL), 16);
}

typedef struct {
  FsFlashSizeMode mode;
  gboolean        own_bootloader;    /* the board's, not written */
} FlashSizeCase;

static const FlashSizeCase ask = { FS_FLASH_SIZE_ASK, FALSE };
static const FlashSizeCase keep = { FS_FLASH_SIZE_KEEP, FALSE };
static const FlashSizeCase detect = { FS_FLASH_SIZE_DETECT, FALSE };
static const FlashSizeCase detect_own = { FS_FLASH_SIZE_DETECT, TRUE };

static guint64
header_flash_size (Fixture *fixture)
{
  g_autoptr(GBytes) bytes = g_bytes_new (flash (fixture) + BOOTLOADER_OFFSET, 0x7000);
  g_autoptr(FsImage) image = fs_image_new_from_bytes (bytes, NULL);

  g_assert_nonnull (image);
  g_assert_true (fs_image_get_checksum_valid (image));
  g_assert_true (fs_image_get_digest_valid (image));
  return fs_image_get_flash_size (image);
}

/* A bootloader built for 2 MiB under a table that goes to 3 MiB: the
 * virtual board stops as ESP-IDF's bootloader does. Asked, nothing is
 * written; kept, a note says it; detected, the header says the board's
 * 4 MiB (also for the board's own bootloader) and the app runs. */
static void
test_flash_size (Fixture       *fixture,
                 gconstpointer  user_data)
{
  const FlashSizeCase *test = user_data;
  g_autoptr(GBytes) app = fs_test_app_image (FS_CHIP_ESP32, "blink", 8192, 1);
  g_autoptr(GBytes) table = table_to_3mib ();
  g_autoptr(GBytes) bootloader = fs_test_bootloader_image (1);
  g_autoptr(GBytes) otadata = otadata_selecting (0);
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(FsJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;

  if (test->own_bootloader)
    {
      g_autoptr(FsJob) first = new_write (fixture, 1, BOOTLOADER_OFFSET, bootloader);

      run_ok (fixture, first);
      job = new_write (fixture, 3, 0x8000, table, OTADATA_OFFSET, otadata, 0x10000, app);
    }
  else
    job = new_write (fixture, 4, BOOTLOADER_OFFSET, bootloader, 0x8000, table, OTADATA_OFFSET, otadata,
                     0x10000, app);
  fs_job_set_flash_size (job, test->mode, 0);
  before = flash_copy (fixture);

  if (test->mode == FS_FLASH_SIZE_ASK)
    {
      g_assert_false (run (fixture, job, &error));
      g_assert_error (error, FS_ERROR, FS_ERROR_FLASH_SIZE);
      g_assert_cmpstr (error->message, ==,
                       "The bootloader’s header says the flash is 2 MiB, but the partition table goes up to "
                       "0x300000 (“storage” at 0x210000): the bootloader would refuse the table, and the board "
                       "would not start. The board has 4 MiB: the header can say so as the bootloader is "
                       "written.");
      after = flash_copy (fixture);
      g_assert_true (g_bytes_equal (before, after));
      return;
    }
  run_ok (fixture, job);
  log = boot_log (fixture);
  if (test->mode == FS_FLASH_SIZE_KEEP)
    {
      g_assert_true (notes_contain (fixture, "It is written as it is"));
      g_assert_cmpuint (header_flash_size (fixture), ==, 2 * MiB);
      g_assert_nonnull (strstr (log, "partition 3 invalid - offset 0x110000 size 0x100000 exceeds flash chip "
                                     "size 0x200000"));
      return;
    }
  g_assert_true (notes_contain (fixture, "The bootloader’s header said 2 MiB of flash: it is written saying 4 MiB"));
  g_assert_cmpuint (header_flash_size (fixture), ==, 4 * MiB);
  g_assert_nonnull (strstr (log, "SPI Flash Size : 4MB"));
  g_assert_nonnull (strstr (log, "Calling app_main()"));
  if (test->own_bootloader)
    g_assert_cmpuint (fs_job_get_n_regions (job), ==, 4);
}

/* An app built for more flash than the board has stops at start */
static void
test_app_flash_size (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GBytes) bootloader = fs_test_bootloader_image (2);
  g_autoptr(GBytes) table = table_to_3mib ();
  g_autoptr(GBytes) app = fs_test_app_image (FS_CHIP_ESP32, "blink", 8192, 1);
  gsize len = 0;
  guint8 *copy = g_bytes_unref_to_data (g_bytes_ref (app), &len);
  g_autoptr(GBytes) app_for_8mib = NULL;
  g_autoptr(FsJob) job = NULL;
  g_autoptr(GError) error = NULL;

  copy[3] = (copy[3] & 0x0F) | 0x30;
  app_for_8mib = g_bytes_new_take (copy, len);
  job = new_write (fixture, 3, BOOTLOADER_OFFSET, bootloader, 0x8000, table, 0x10000, app_for_8mib);
  g_assert_false (run (fixture, job, &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_WOULD_NOT_BOOT);
  g_assert_cmpstr (error->message, ==,
                   "“part-010000.bin” was built for 8 MiB of flash, but the board has 4 MiB: it would stop as "
                   "it starts. Build it for the board’s flash size.");
}

/* An app written into the slot otadata does not select is said */
static void
test_other_slot (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GBytes) bootloader = fs_test_bootloader_image (2);
  g_autoptr(GBytes) table = table_to_3mib ();
  g_autoptr(GBytes) otadata = otadata_selecting (0);
  g_autoptr(GBytes) app = fs_test_app_image (FS_CHIP_ESP32, "blink", 8192, 1);
  g_autoptr(FsJob) job = new_write (fixture, 4, BOOTLOADER_OFFSET, bootloader, 0x8000, table,
                                    OTADATA_OFFSET, otadata, 0x110000, app);

  run_ok (fixture, job);
  g_assert_true (notes_contain (fixture, "The board will start “ota_0” at 0x010000 first, not "
                                         "“part-110000.bin” in “ota_1”"));
  g_assert_true (notes_contain (fixture, "“ota_0” at 0x010000, which the bootloader starts first, holds no "
                                         "app image"));
}

/* A write that leaves the boot chain alone (a program in a data
 * partition) reads nothing more and knows no slots */
static void
test_data_only (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GBytes) data = g_bytes_new_static ("program", 7);
  g_autoptr(FsJob) job = new_write (fixture, 1, 0x210000, data);
  g_autoptr(FsJob) erase = fs_job_new (FS_JOB_ERASE, fixture->transport);

  run_ok (fixture, job);
  g_assert_false (fs_job_get_has_slots (job));
  g_assert_cmpuint (fixture->notes->len, ==, 0);

  fs_job_set_stub (erase, FALSE, NULL);
  run_ok (fixture, erase);
  g_assert_true (fs_job_get_has_slots (erase));
  g_assert_null (fs_job_get_partition_table (erase));
  g_assert_cmpuint (fs_job_get_slot_state (erase)->n_slots, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

#define ADD(path, data, func) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)
  ADD ("/job-boot/app-needs-bootloader", NULL, test_app_needs_bootloader);
  ADD ("/job-boot/damaged-bootloader", NULL, test_damaged_bootloader);
  ADD ("/job-boot/force", NULL, test_force);
  ADD ("/job-boot/flash-size/ask", &ask, test_flash_size);
  ADD ("/job-boot/flash-size/keep", &keep, test_flash_size);
  ADD ("/job-boot/flash-size/detect", &detect, test_flash_size);
  ADD ("/job-boot/flash-size/detect-own-bootloader", &detect_own, test_flash_size);
  ADD ("/job-boot/app-flash-size", NULL, test_app_flash_size);
  ADD ("/job-boot/other-slot", NULL, test_other_slot);
  ADD ("/job-boot/data-only", NULL, test_data_only);
#undef ADD
  return g_test_run ();
}

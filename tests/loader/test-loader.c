/* test-loader.c: the loader against the in-process virtual board
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <string.h>
#include <glib/gstdio.h>

#include "fs-error.h"
#include "fs-loader.h"
#include "fs-write-plan.h"
#include "fs-transport-sim.h"

#define KiB 1024u
#define MiB (1024u * 1024u)
#define REGION_OFFSET 0x10000u
#define REGION_SIZE   (256 * KiB)
/* Far enough around the region to see a 32 KiB spill and more */
#define MARGIN        (64 * KiB)

typedef struct {
  char        *dir;
  char        *flash_path;
  FsSimBoard  *board;
  FsTransport *transport;
  FsLoader    *loader;
} Fixture;

typedef struct {
  gboolean has_reset_lines;
  gboolean start_in_download;
} BoardSetup;

static void
start_board (Fixture          *fixture,
             const BoardSetup *setup)
{
  g_auto(FsSimBoardOptions) options = { 0 };
  g_autoptr(GError) error = NULL;

  fs_sim_board_options_init_default (&options, fixture->flash_path);
  options.flash_size = 4 * MiB;
  options.has_reset_lines = setup->has_reset_lines;
  options.start_in_download = setup->start_in_download;
  options.instant = TRUE;
  options.chip.revision_major = 1;
  options.chip.xtal_mhz = 26;
  options.chip.flash_encryption = TRUE;
  fixture->board = fs_sim_board_new (&options, &error);
  g_assert_no_error (error);
  fixture->transport = fs_transport_sim_new (fixture->board, "sim");
  fs_transport_open (fixture->transport, &error);
  g_assert_no_error (error);
  fixture->loader = fs_loader_new (fixture->transport);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  static const BoardSetup normal = { TRUE, FALSE };

  fixture->dir = g_dir_make_tmp ("fs-loader-XXXXXX", NULL);
  fixture->flash_path = g_build_filename (fixture->dir, "flash.bin", NULL);
  start_board (fixture, user_data != NULL ? user_data : &normal);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_clear_object (&fixture->loader);
  g_clear_object (&fixture->transport);
  g_clear_object (&fixture->board);
  g_remove (fixture->flash_path);
  g_rmdir (fixture->dir);
  g_free (fixture->flash_path);
  g_free (fixture->dir);
}

static void
connect_rom (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  fs_loader_connect (fixture->loader, FS_BEFORE_DEFAULT_RESET, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (fs_loader_get_stub_running (fixture->loader));
  fs_loader_attach_flash (fixture->loader, 4 * MiB, NULL, &error);
  g_assert_no_error (error);
}

static gboolean
connect_stub (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) json = NULL;
  g_autofree char *contents = NULL;
  const char *path = g_getenv ("FS_STUB_JSON");
  gsize len = 0;

  if (path == NULL || !g_file_get_contents (path, &contents, &len, NULL))
    {
      g_test_skip ("no stub JSON: run “npm ci --prefix tests/interop”");
      return FALSE;
    }
  json = g_bytes_new_take (g_steal_pointer (&contents), len);
  fs_loader_connect (fixture->loader, FS_BEFORE_DEFAULT_RESET, NULL, &error);
  g_assert_no_error (error);
  fs_loader_run_stub (fixture->loader, json, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (fs_loader_get_stub_running (fixture->loader));
  fs_loader_attach_flash (fixture->loader, 4 * MiB, NULL, &error);
  g_assert_no_error (error);
  return TRUE;
}

static void
test_connect_default_reset (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  guint32 magic = 0;

  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_RUN, 2000));
  g_assert_true (fs_loader_connect (fixture->loader, FS_BEFORE_DEFAULT_RESET, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fs_sim_board_get_mode (fixture->board), ==, FS_SIM_MODE_DOWNLOAD);
  fs_loader_read_reg (fixture->loader, 0x40001000, &magic, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmphex (magic, ==, 0x00F01D83);
}

static void
record_lines (FsTransportEvent  event,
              const guint8     *data,
              gsize             len,
              gpointer          user_data)
{
  GString *lines = user_data;

  if (event == FS_TRANSPORT_EVENT_LINES && len == 2)
    g_string_append_printf (lines, "%s%d%d", lines->len > 0 ? " " : "", data[0], data[1]);
}

/* esptool's ClassicReset (DTR, RTS): 01, 10, 00; then HardReset: 01, 00 */
static void
test_reset_lines (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GString) lines = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  fs_transport_set_recorder (fixture->transport, record_lines, lines);
  fs_loader_connect (fixture->loader, FS_BEFORE_DEFAULT_RESET, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lines->str, ==, "01 10 00");
  g_string_truncate (lines, 0);
  fs_loader_reset_after (fixture->loader, FS_AFTER_HARD_RESET, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lines->str, ==, "01 00");
  g_string_truncate (lines, 0);
  fs_loader_reset_after (fixture->loader, FS_AFTER_NO_RESET, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lines->str, ==, "");
  fs_transport_set_recorder (fixture->transport, NULL, NULL);
}

static void
test_connect_no_reset (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_DOWNLOAD, 2000));
  g_assert_true (fs_loader_connect (fixture->loader, FS_BEFORE_NO_RESET, NULL, &error));
  g_assert_no_error (error);
}

static void
test_connect_needs_jumper (Fixture       *fixture,
                           gconstpointer  user_data)
{
  FsSimFaults faults = { .needs_jumper = TRUE };
  g_autoptr(GError) error = NULL;

  fs_sim_board_set_faults (fixture->board, &faults);
  g_assert_false (fs_loader_connect (fixture->loader, FS_BEFORE_DEFAULT_RESET, NULL, &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_NO_ANSWER);
  g_assert_nonnull (strstr (error->message, "boot:0x13 (SPI_FAST_FLASH_BOOT)"));
  g_assert_nonnull (strstr (error->message, "wrong boot mode"));

  /* With the jumper placed, the same reset reaches the loader */
  g_clear_error (&error);
  fs_sim_board_set_jumper (fixture->board, TRUE);
  g_assert_true (fs_loader_connect (fixture->loader, FS_BEFORE_DEFAULT_RESET, NULL, &error));
  g_assert_no_error (error);
}

static void
test_connect_silence (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_RUN, 2000));
  g_assert_false (fs_loader_connect (fixture->loader, FS_BEFORE_DEFAULT_RESET, NULL, &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_NO_ANSWER);
  g_assert_cmpstr (error->message, ==, "Nothing answered on “sim”: no board, or the wrong port");
}

static void
test_connect_unplugged (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fs_sim_board_set_plugged (fixture->board, FALSE);
  g_assert_false (fs_loader_connect (fixture->loader, FS_BEFORE_DEFAULT_RESET, NULL, &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_DISCONNECTED);
}

static void
test_identify (Fixture       *fixture,
               gconstpointer  user_data)
{
  static const guint8 mac[6] = { 0x24, 0x0A, 0xC4, 0x12, 0x34, 0x56 };
  g_autoptr(GError) error = NULL;
  FsChipFacts facts;

  connect_rom (fixture);
  g_assert_true (fs_loader_identify (fixture->loader, &facts, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (facts.chip, ==, FS_CHIP_ESP32);
  g_assert_cmpmem (facts.mac, 6, mac, 6);
  g_assert_cmpuint (facts.revision_major, ==, 1);
  g_assert_cmpuint (facts.revision_minor, ==, 0);
  g_assert_cmpuint (facts.xtal_mhz, ==, 26);
  g_assert_cmphex (facts.flash_id, ==,
                   fs_sim_flash_get_jedec_id (fs_sim_board_get_flash (fixture->board)));
  g_assert_cmphex (facts.flash_id >> 16, ==, 0x16);
  g_assert_cmpuint (facts.flash_size, ==, 4 * MiB);
  g_assert_true (facts.flash_encryption);
  g_assert_false (facts.secure_boot);
  g_assert_true (g_str_has_prefix (facts.description, "ESP32-"));
}

/* A pattern over the region and its margins, then random data to write */
static GBytes *
prepare_flash (Fixture *fixture,
               guint32  seed)
{
  FsSimFlash *flash = fs_sim_board_get_flash (fixture->board);
  g_autofree guint8 *pattern = g_malloc (REGION_SIZE + 2 * MARGIN);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GError) error = NULL;
  guint8 *data = g_malloc (REGION_SIZE);

  for (gsize i = 0; i < REGION_SIZE + 2 * MARGIN; i++)
    pattern[i] = (guint8) (i * 7 + (i >> 8));
  fs_sim_flash_erase (flash, REGION_OFFSET - MARGIN, REGION_SIZE + 2 * MARGIN, &error);
  g_assert_no_error (error);
  fs_sim_flash_program (flash, REGION_OFFSET - MARGIN, pattern, REGION_SIZE + 2 * MARGIN, &error);
  g_assert_no_error (error);
  for (gsize i = 0; i < REGION_SIZE; i++)
    data[i] = g_rand_int (rand) & 0xFF;
  return g_bytes_new_take (data, REGION_SIZE);
}

static void
assert_flash (Fixture *fixture,
              GBytes  *data)
{
  const guint8 *flash = fs_sim_flash_get_data (fs_sim_board_get_flash (fixture->board));

  g_assert_cmpmem (flash + REGION_OFFSET, REGION_SIZE, g_bytes_get_data (data, NULL), REGION_SIZE);
  for (gsize i = 0; i < MARGIN; i++)
    {
      gsize before = i;
      gsize after = MARGIN + REGION_SIZE + i;

      g_assert_cmphex (flash[REGION_OFFSET - MARGIN + before], ==,
                       (guint8) (before * 7 + (before >> 8)));
      g_assert_cmphex (flash[REGION_OFFSET - MARGIN + after], ==,
                       (guint8) (after * 7 + (after >> 8)));
    }
}

static void
count_progress (guint64  done,
                guint64  total,
                gpointer user_data)
{
  guint64 *last = user_data;

  g_assert_cmpuint (done, >=, *last);
  g_assert_cmpuint (done, <=, total);
  *last = done;
}

static void
write_and_check (Fixture *fixture,
                 guint32  seed)
{
  g_autoptr(GBytes) data = prepare_flash (fixture, seed);
  g_autoptr(GBytes) back = NULL;
  g_autoptr(GError) error = NULL;
  guint64 last = 0;

  g_assert_true (fs_loader_write_flash (fixture->loader, REGION_OFFSET, data,
                                        count_progress, &last, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (last, ==, REGION_SIZE);
  assert_flash (fixture, data);

  back = fs_loader_read_flash (fixture->loader, REGION_OFFSET + 4 * KiB, 8 * KiB + 100,
                               NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (back, NULL), g_bytes_get_size (back),
                   (const guint8 *) g_bytes_get_data (data, NULL) + 4 * KiB, 8 * KiB + 100);
}

static void
test_write_rom (Fixture       *fixture,
                gconstpointer  user_data)
{
  connect_rom (fixture);
  write_and_check (fixture, 1);
}

static void
test_write_rom_spill (Fixture       *fixture,
                      gconstpointer  user_data)
{
  FsSimFaults faults = { .compressed_spill = TRUE };

  fs_sim_board_set_faults (fixture->board, &faults);
  connect_rom (fixture);
  write_and_check (fixture, 2);
}

static void
test_write_rom_faults (Fixture       *fixture,
                       gconstpointer  user_data)
{
  FsSimFaults faults = { .drop_rate = 0.000004, .garble_rate = 0.000004, .seed = 7 };

  connect_rom (fixture);
  fs_sim_board_set_faults (fixture->board, &faults);
  write_and_check (fixture, 3);
}

/* Only what differs is found: nothing after a write, one sector after
 * one byte of it changed, the data's end when it stops inside a sector */
static void
check_find_changed (Fixture *fixture)
{
  g_autoptr(GBytes) data = prepare_flash (fixture, 4);
  g_autoptr(GByteArray) edited = g_byte_array_new ();
  g_autoptr(GBytes) edited_bytes = NULL;
  g_autoptr(GBytes) short_bytes = NULL;
  g_autoptr(GArray) before = NULL;
  g_autoptr(GArray) same = NULL;
  g_autoptr(GArray) one = NULL;
  g_autoptr(GArray) tail = NULL;
  g_autoptr(GError) error = NULL;
  FsFlashRange range;

  before = fs_write_plan_find_changed (fixture->loader, REGION_OFFSET, data, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (before->len, ==, 1);
  range = g_array_index (before, FsFlashRange, 0);
  g_assert_cmphex (range.offset, ==, REGION_OFFSET);
  g_assert_cmphex (range.size, ==, REGION_SIZE);

  g_assert_true (fs_loader_write_flash (fixture->loader, REGION_OFFSET, data, NULL, NULL, NULL, &error));
  same = fs_write_plan_find_changed (fixture->loader, REGION_OFFSET, data, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (same->len, ==, 0);

  g_byte_array_append (edited, g_bytes_get_data (data, NULL), REGION_SIZE);
  edited->data[0x12345 % REGION_SIZE] ^= 0xFF;
  edited_bytes = g_byte_array_free_to_bytes (g_steal_pointer (&edited));
  one = fs_write_plan_find_changed (fixture->loader, REGION_OFFSET, edited_bytes, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (one->len, ==, 1);
  range = g_array_index (one, FsFlashRange, 0);
  g_assert_cmphex (range.offset, ==, REGION_OFFSET + (0x12345 % REGION_SIZE) / 0x1000 * 0x1000);
  g_assert_cmphex (range.size, ==, 0x1000);

  /* A shorter image ending inside a sector: only its own bytes count */
  short_bytes = g_bytes_new_from_bytes (data, 0, 0x1800);
  tail = fs_write_plan_find_changed (fixture->loader, REGION_OFFSET, short_bytes, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tail->len, ==, 0);
}

static void
test_find_changed_rom (Fixture       *fixture,
                       gconstpointer  user_data)
{
  connect_rom (fixture);
  check_find_changed (fixture);
}

static void
test_find_changed_stub (Fixture       *fixture,
                        gconstpointer  user_data)
{
  if (!connect_stub (fixture))
    return;
  check_find_changed (fixture);
}

static void
test_write_stub (Fixture       *fixture,
                 gconstpointer  user_data)
{
  if (!connect_stub (fixture))
    return;
  write_and_check (fixture, 4);
}

static void
test_write_stub_faults (Fixture       *fixture,
                        gconstpointer  user_data)
{
  FsSimFaults faults = { .drop_rate = 0.000008, .garble_rate = 0.000008, .seed = 11 };

  if (!connect_stub (fixture))
    return;
  fs_sim_board_set_faults (fixture->board, &faults);
  write_and_check (fixture, 5);
}

static void
test_unaligned_end (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GBytes) data = prepare_flash (fixture, 6);
  g_autoptr(GBytes) part = g_bytes_new_from_bytes (data, 0, 40 * KiB + 3);
  g_autoptr(GError) error = NULL;
  const guint8 *flash = fs_sim_board_get_flash (fixture->board) != NULL ?
                        fs_sim_flash_get_data (fs_sim_board_get_flash (fixture->board)) : NULL;
  g_autofree guint8 *expected = g_memdup2 (flash + REGION_OFFSET - MARGIN, REGION_SIZE + 2 * MARGIN);

  memcpy (expected + MARGIN, g_bytes_get_data (part, NULL), g_bytes_get_size (part));
  fs_sim_board_set_faults (fixture->board, &(FsSimFaults) { .compressed_spill = TRUE });
  connect_rom (fixture);
  g_assert_true (fs_loader_write_flash (fixture->loader, REGION_OFFSET, part, NULL, NULL,
                                        NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (flash + REGION_OFFSET - MARGIN, REGION_SIZE + 2 * MARGIN,
                   expected, REGION_SIZE + 2 * MARGIN);
}

static void
assert_erased (Fixture *fixture,
               guint32  offset,
               guint32  size)
{
  const guint8 *flash = fs_sim_flash_get_data (fs_sim_board_get_flash (fixture->board));

  for (guint32 i = 0; i < size; i++)
    g_assert_cmphex (flash[offset + i], ==, 0xFF);
  g_assert_cmphex (flash[offset - 1], !=, 0xFF);
  g_assert_cmphex (flash[offset + size], !=, 0xFF);
}

static void
test_erase (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  g_bytes_unref (prepare_flash (fixture, 8));
  connect_rom (fixture);
  g_assert_true (fs_loader_erase_region (fixture->loader, REGION_OFFSET, 8 * KiB, NULL, &error));
  g_assert_no_error (error);
  assert_erased (fixture, REGION_OFFSET, 8 * KiB);
  g_assert_false (fs_loader_erase_region (fixture->loader, REGION_OFFSET + 1, 4 * KiB,
                                          NULL, &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  if (!connect_stub (fixture))
    return;
  g_assert_true (fs_loader_erase_region (fixture->loader, REGION_OFFSET + 64 * KiB, 12 * KiB,
                                         NULL, &error));
  g_assert_no_error (error);
  assert_erased (fixture, REGION_OFFSET + 64 * KiB, 12 * KiB);
}

static void
test_md5 (Fixture       *fixture,
          gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_MD5);
  const guint8 *flash = fs_sim_flash_get_data (fs_sim_board_get_flash (fixture->board));
  guint8 want[16], got[16];
  gsize len = sizeof want;

  g_bytes_unref (prepare_flash (fixture, 9));
  g_checksum_update (checksum, flash + 0x1000, 0x3000);
  g_checksum_get_digest (checksum, want, &len);
  connect_rom (fixture);
  g_assert_true (fs_loader_flash_md5 (fixture->loader, 0x1000, 0x3000, got, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (got, 16, want, 16);
  if (!connect_stub (fixture))
    return;
  g_assert_true (fs_loader_flash_md5 (fixture->loader, 0x1000, 0x3000, got, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (got, 16, want, 16);
}

static void
test_stub_hangs (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) json = NULL;
  const char *path = g_getenv ("FS_STUB_JSON");
  gsize len = 0;
  guint32 magic = 0;

  if (path == NULL || !g_file_get_contents (path, &contents, &len, NULL))
    {
      g_test_skip ("no stub JSON: run “npm ci --prefix tests/interop”");
      return;
    }
  json = g_bytes_new_take (g_steal_pointer (&contents), len);
  fs_sim_board_set_faults (fixture->board, &(FsSimFaults) { .stub_hangs = TRUE });
  connect_rom (fixture);
  g_assert_false (fs_loader_run_stub (fixture->loader, json, NULL, &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_TIMED_OUT);
  g_clear_error (&error);
  g_assert_false (fs_loader_get_stub_running (fixture->loader));
  g_assert_true (fs_loader_read_reg (fixture->loader, 0x40001000, &magic, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmphex (magic, ==, 0x00F01D83);
}

static void
test_bad_stub (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GBytes) json = g_bytes_new_static ("{\"text\": 3}", 11);
  g_autoptr(GError) error = NULL;

  connect_rom (fixture);
  g_assert_false (fs_loader_run_stub (fixture->loader, json, NULL, &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_DATA);
  g_assert_cmpstr (error->message, ==, "The stub lacks “$.entry”, “$.text” or “$.text_start”");
}

static void
test_bad_stub_address (Fixture       *fixture,
                       gconstpointer  user_data)
{
  static const char json[] = "{\"entry\": 1074521560, \"text\": \"AAAA\", \"text_start\": \"x\"}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (json, sizeof json - 1);
  g_autoptr(GError) error = NULL;

  connect_rom (fixture);
  g_assert_false (fs_loader_run_stub (fixture->loader, bytes, NULL, &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_DATA);
  g_assert_cmpstr (error->message, ==, "The stub’s “$.text_start” is not an address");
}

static void
test_hard_reset (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  connect_rom (fixture);
  g_assert_true (fs_loader_reset_after (fixture->loader, FS_AFTER_HARD_RESET, &error));
  g_assert_no_error (error);
  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_RUN, 2000));
}

static void
test_change_baud (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  guint32 magic = 0;
  FsChipFacts facts;

  connect_rom (fixture);
  g_assert_true (fs_loader_change_baud (fixture->loader, 460800, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fs_transport_get_baud (fixture->transport), ==, 460800);
  g_assert_true (fs_loader_identify (fixture->loader, &facts, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (facts.xtal_mhz, ==, 26);

  if (!connect_stub (fixture))
    return;
  g_assert_true (fs_loader_change_baud (fixture->loader, 921600, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (fs_loader_read_reg (fixture->loader, 0x40001000, &magic, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmphex (magic, ==, 0x00F01D83);
}

/* What a person does while the studio waits: jumper on, then reset */
static gpointer
person_thread (gpointer user_data)
{
  g_usleep (300 * 1000);
  fs_sim_board_set_jumper (user_data, TRUE);
  fs_sim_board_press_reset (user_data);
  return NULL;
}

static void
test_connect_manual (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  GThread *person;

  fs_sim_board_set_faults (fixture->board, &(FsSimFaults) { .needs_jumper = TRUE });
  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_RUN, 2000));
  person = g_thread_new ("person", person_thread, fixture->board);
  g_assert_true (fs_loader_connect (fixture->loader, FS_BEFORE_MANUAL, NULL, &error));
  g_assert_no_error (error);
  g_thread_join (person);
}

static gpointer
cancel_thread (gpointer user_data)
{
  g_usleep (300 * 1000);
  g_cancellable_cancel (user_data);
  return NULL;
}

static void
test_connect_manual_cancel (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  GThread *canceller;

  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_RUN, 2000));
  canceller = g_thread_new ("cancel", cancel_thread, cancellable);
  g_assert_false (fs_loader_connect (fixture->loader, FS_BEFORE_MANUAL, cancellable, &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_CANCELLED);
  g_thread_join (canceller);
}

static void
test_read_stub (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GBytes) back = NULL;
  g_autoptr(GError) error = NULL;
  const guint8 *flash = fs_sim_flash_get_data (fs_sim_board_get_flash (fixture->board));

  g_bytes_unref (prepare_flash (fixture, 10));
  if (!connect_stub (fixture))
    return;
  back = fs_loader_read_flash (fixture->loader, REGION_OFFSET - 100, 64 * KiB + 200,
                               NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (back, NULL), g_bytes_get_size (back),
                   flash + REGION_OFFSET - 100, 64 * KiB + 200);
}

int
main (int argc, char **argv)
{
  static const BoardSetup in_download = { TRUE, TRUE };
  static const BoardSetup no_lines = { FALSE, FALSE };

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)
  ADD ("/loader/connect/default-reset", test_connect_default_reset, NULL);
  ADD ("/loader/connect/reset-lines", test_reset_lines, NULL);
  ADD ("/loader/connect/no-reset", test_connect_no_reset, &in_download);
  ADD ("/loader/connect/needs-jumper", test_connect_needs_jumper, NULL);
  ADD ("/loader/connect/silence", test_connect_silence, &no_lines);
  ADD ("/loader/connect/unplugged", test_connect_unplugged, NULL);
  ADD ("/loader/connect/manual", test_connect_manual, NULL);
  ADD ("/loader/connect/manual-cancel", test_connect_manual_cancel, &no_lines);
  ADD ("/loader/change-baud", test_change_baud, NULL);
  ADD ("/loader/read/stub", test_read_stub, NULL);
  ADD ("/loader/identify", test_identify, NULL);
  ADD ("/loader/md5", test_md5, NULL);
  ADD ("/loader/write/rom", test_write_rom, NULL);
  ADD ("/loader/write/rom-spill", test_write_rom_spill, NULL);
  ADD ("/loader/write/rom-faults", test_write_rom_faults, NULL);
  ADD ("/loader/write/stub", test_write_stub, NULL);
  ADD ("/loader/write/stub-faults", test_write_stub_faults, NULL);
  ADD ("/loader/write/unaligned-end", test_unaligned_end, NULL);
  ADD ("/loader/find-changed/rom", test_find_changed_rom, NULL);
  ADD ("/loader/find-changed/stub", test_find_changed_stub, NULL);
  ADD ("/loader/erase", test_erase, NULL);
  ADD ("/loader/stub/hangs", test_stub_hangs, NULL);
  ADD ("/loader/stub/bad", test_bad_stub, NULL);
  ADD ("/loader/stub/bad-address", test_bad_stub_address, NULL);
  ADD ("/loader/hard-reset", test_hard_reset, NULL);
#undef ADD

  return g_test_run ();
}

/* test-sim-board.c: the virtual board as a host sees it, in-process
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "fs-device-record.h"
#include "fs-error.h"
#include "fs-image.h"
#include "fs-layout.h"
#include "fs-partition-table.h"
#include "fs-packet.h"
#include "fs-sim-app.h"
#include "fs-sim-board.h"
#include "fs-sim-profile.h"
#include "fs-slip.h"
#include "fs-test-board.h"
#include "fs-test-image.h"
#include "fs-test-util.h"

#define MiB (1024u * 1024u)

typedef struct {
  char          *dir;
  char          *flash_path;
  FsSimBoard    *board;
} Fixture;

/* @kind: NULL for a board with the classic reset circuit, "no lines"
 * for one without, "hold button" for one without that needs a button
 * held in download mode (the Vigotech) */
static void
start_board (Fixture    *fixture,
             const char *kind,
             gboolean    instant)
{
  g_auto(FsSimBoardOptions) options = { 0 };
  g_autoptr(GError) error = NULL;

  fs_sim_board_options_init_default (&options, fixture->flash_path);
  options.flash_size = 4 * MiB;
  options.has_reset_lines = kind == NULL;
  options.hold_button = g_strcmp0 (kind, "hold button") == 0;
  options.instant = instant;
  fixture->board = fs_sim_board_new (&options, &error);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->dir = g_dir_make_tmp ("fs-sim-board-XXXXXX", NULL);
  fixture->flash_path = g_build_filename (fixture->dir, "flash.bin", NULL);
  start_board (fixture, user_data, TRUE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_clear_object (&fixture->board);
  g_remove (fixture->flash_path);
  g_rmdir (fixture->dir);
  g_free (fixture->flash_path);
  g_free (fixture->dir);
}

/* esptool's classic reset into the ROM loader */
static void
classic_reset (FsSimBoard *board)
{
  fs_sim_board_set_lines (board, FALSE, TRUE);
  g_usleep (100 * 1000);
  fs_sim_board_set_lines (board, TRUE, TRUE);
  fs_sim_board_set_lines (board, TRUE, FALSE);
  g_usleep (50 * 1000);
  fs_sim_board_set_lines (board, FALSE, FALSE);
}

static void
send_sync (Fixture *fixture)
{
  g_autoptr(GByteArray) framed = fs_test_framed_sync ();

  g_assert_true (fs_sim_board_write (fixture->board, framed->data, framed->len, NULL));
}

static guint
count_responses (Fixture *fixture,
                 guint8   opcode,
                 guint    quiet_ms)
{
  g_autoptr(GByteArray) bytes = fs_test_board_read_until_quiet (fixture->board, quiet_ms);

  return fs_test_count_replies (bytes->data, bytes->len, opcode);
}

static void
test_power_on_boots_erased_flash (Fixture       *fixture,
                                  gconstpointer  user_data)
{
  g_autofree char *text = NULL;
  g_autofree char *log = NULL;

  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_RUN, 2000));
  text = fs_test_board_read_text (fixture->board, 200);
  g_assert_nonnull (strstr (text, "rst:0x1 (POWERON_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)"));
  g_assert_nonnull (strstr (text, "invalid header: 0xffffffff"));
  log = fs_sim_board_dup_boot_log (fixture->board);
  g_assert_nonnull (strstr (log, "invalid header"));
}

static void
test_classic_reset_enters_download (Fixture       *fixture,
                                    gconstpointer  user_data)
{
  g_autofree char *banner = NULL;

  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_RUN, 2000));
  fs_test_board_read_until_quiet (fixture->board, 100);
  classic_reset (fixture->board);
  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_DOWNLOAD, 2000));
  banner = fs_test_board_read_text (fixture->board, 100);
  g_assert_nonnull (strstr (banner, "boot:0x3 (DOWNLOAD_BOOT(UART0/UART1/SDIO_REI_REO_V2))"));
  g_assert_nonnull (strstr (banner, "waiting for download"));

  send_sync (fixture);
  g_assert_cmpuint (count_responses (fixture, FS_OP_SYNC, 100), ==, 8);

  /* esptool's hard reset: RTS pulse with DTR released boots the flash */
  fs_sim_board_set_lines (fixture->board, FALSE, TRUE);
  g_usleep (100 * 1000);
  fs_sim_board_set_lines (fixture->board, FALSE, FALSE);
  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_RUN, 2000));
}

static void
test_no_lines_needs_jumper (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_RUN, 2000));
  classic_reset (fixture->board);
  g_usleep (50 * 1000);
  g_assert_cmpint (fs_sim_board_get_mode (fixture->board), ==, FS_SIM_MODE_RUN);

  fs_sim_board_set_jumper (fixture->board, TRUE);
  fs_sim_board_press_reset (fixture->board);
  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_DOWNLOAD, 2000));
  fs_test_board_read_until_quiet (fixture->board, 100);
  send_sync (fixture);
  g_assert_cmpuint (count_responses (fixture, FS_OP_SYNC, 100), ==, 8);
}

/* The BOOT button held through a reset is download mode; let go, a
 * reset starts the firmware */
static void
test_boot_button_held (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;

  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_RUN, 2000));
  answer = fs_sim_board_control (fixture->board, "boot on", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (answer, ==, "ok");
  fs_sim_board_press_reset (fixture->board);
  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_DOWNLOAD, 2000));
  fs_sim_board_set_boot_held (fixture->board, FALSE);
  fs_sim_board_press_reset (fixture->board);
  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_RUN, 2000));
}

/* The Vigotech: the jumper and a reset alone start the firmware; the
 * Power button held is download mode, let go the firmware again */
static void
test_hold_button (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *held = NULL;
  g_autofree char *released = NULL;

  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_RUN, 2000));
  fs_sim_board_set_jumper (fixture->board, TRUE);
  fs_sim_board_press_reset (fixture->board);
  g_usleep (100 * 1000);
  g_assert_cmpint (fs_sim_board_get_mode (fixture->board), ==, FS_SIM_MODE_RUN);

  held = fs_sim_board_control (fixture->board, "hold on", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (held, ==, "ok");
  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_DOWNLOAD, 2000));
  fs_test_board_read_until_quiet (fixture->board, 100);
  send_sync (fixture);
  g_assert_cmpuint (count_responses (fixture, FS_OP_SYNC, 100), ==, 8);

  released = fs_sim_board_control (fixture->board, "hold off", &error);
  g_assert_no_error (error);
  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_RUN, 2000));
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  g_string_append_printf (user_data, "%s ", pspec->name);
}

/* What the person did is there for a window to show, notified once per change */
static void
test_person_properties (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(GString) log = g_string_new (NULL);
  gboolean jumper, boot_held, held, plugged;

  g_object_get (fixture->board, "jumper", &jumper, "boot-held", &boot_held, "held", &held,
                "plugged", &plugged, NULL);
  g_assert_false (jumper || boot_held || held);
  g_assert_true (plugged);
  g_signal_connect (fixture->board, "notify", G_CALLBACK (count_notify), log);
  g_free (fs_sim_board_control (fixture->board, "jumper on", NULL));
  g_free (fs_sim_board_control (fixture->board, "jumper on", NULL));
  g_free (fs_sim_board_control (fixture->board, "boot on", NULL));
  g_free (fs_sim_board_control (fixture->board, "hold on", NULL));
  g_free (fs_sim_board_control (fixture->board, "unplug", NULL));
  g_free (fs_sim_board_control (fixture->board, "reset", NULL));
  g_assert_cmpstr (log->str, ==, "jumper boot-held held plugged ");
  g_object_get (fixture->board, "jumper", &jumper, "plugged", &plugged, NULL);
  g_assert_true (jumper);
  g_assert_false (plugged);
  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_OFF, 2000));
}

static void
test_unplug_and_plug (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GError) read_error = NULL;
  g_autoptr(GError) write_error = NULL;
  guint8 buffer[16];

  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_RUN, 2000));
  fs_sim_board_set_plugged (fixture->board, FALSE);
  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_OFF, 2000));
  g_assert_cmpint (fs_sim_board_read (fixture->board, buffer, sizeof buffer, 100, NULL, &read_error), ==, -1);
  g_assert_error (read_error, FS_ERROR, FS_ERROR_DISCONNECTED);
  g_assert_false (fs_sim_board_write (fixture->board, buffer, 1, &write_error));
  g_assert_error (write_error, FS_ERROR, FS_ERROR_DISCONNECTED);

  fs_sim_board_set_plugged (fixture->board, TRUE);
  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_RUN, 2000));
}

static void
test_fault_unplug_after (Fixture       *fixture,
                         gconstpointer  user_data)
{
  FsSimFaults faults = { .unplug_after = 10 };
  char *reply;

  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_RUN, 2000));
  reply = fs_sim_board_control (fixture->board, "boot download", NULL);
  g_assert_cmpstr (reply, ==, "ok");
  g_free (reply);
  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_DOWNLOAD, 2000));
  fs_sim_board_set_faults (fixture->board, &faults);
  send_sync (fixture);
  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_OFF, 2000));
}

/* Counted from when the fault is set: "N more bytes from the host",
 * whatever the host sent before */
static void
test_fault_unplug_after_more (Fixture       *fixture,
                              gconstpointer  user_data)
{
  FsSimFaults faults = { .unplug_after = 100 };

  fs_sim_board_set_jumper (fixture->board, TRUE);
  fs_sim_board_press_reset (fixture->board);
  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_DOWNLOAD, 2000));
  for (guint i = 0; i < 4; i++)
    send_sync (fixture);
  fs_sim_board_set_faults (fixture->board, &faults);
  /* A sync is 46 bytes on the wire */
  send_sync (fixture);
  g_assert_false (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_OFF, 200));
  g_assert_true (fs_sim_board_get_plugged (fixture->board));
  send_sync (fixture);
  send_sync (fixture);
  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_OFF, 2000));
  g_assert_false (fs_sim_board_get_plugged (fixture->board));
}

static void
test_fault_garble (Fixture       *fixture,
                   gconstpointer  user_data)
{
  FsSimFaults faults = { .garble_rate = 0.01, .seed = 7 };
  guint good = 0;

  fs_sim_board_set_jumper (fixture->board, TRUE);
  fs_sim_board_press_reset (fixture->board);
  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_DOWNLOAD, 2000));
  fs_test_board_read_until_quiet (fixture->board, 100);
  fs_sim_board_set_faults (fixture->board, &faults);
  for (guint i = 0; i < 10; i++)
    {
      send_sync (fixture);
      good += count_responses (fixture, FS_OP_SYNC, 50);
    }
  /* Some syncs or answers are damaged, not all */
  g_assert_cmpuint (good, >, 0);
  g_assert_cmpuint (good, <, 80);
}

static void
test_control_commands (Fixture       *fixture,
                       gconstpointer  user_data)
{
  static const char *good[] = {
    "jumper on", "jumper off", "fault drop 0.5", "fault garble 0", "fault delay 10",
    "fault unplug-after 100000", "fault reset-after 4096", "fault needs-jumper on",
    "fault spill on", "fault stub-hang off", "fault seed 3", "fault clear",
  };
  static const char *bad[] = {
    "", "dance", "jumper maybe", "fault drop 2", "fault drop", "fault frobnicate 1", "reset now",
  };
  g_autofree char *status = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *reply = fs_sim_board_control (fixture->board, good[i], &error);
      g_assert_no_error (error);
      g_assert_cmpstr (reply, ==, "ok");
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *reply = fs_sim_board_control (fixture->board, bad[i], &error);
      g_assert_null (reply);
      g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT);
    }
  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_RUN, 2000));
  status = fs_sim_board_control (fixture->board, "status", NULL);
  g_assert_cmpstr (status, ==, "mode run");
}

/* The link is modelled at 10 bits a byte: with timing on, the ROM's 8
 * answers to a SYNC (8 × 14 bytes framed) cannot arrive sooner. */
static void
test_link_timing (void)
{
  Fixture fixture = { 0 };
  gint64 start;
  guint n;

  fixture.dir = g_dir_make_tmp ("fs-sim-board-XXXXXX", NULL);
  fixture.flash_path = g_build_filename (fixture.dir, "flash.bin", NULL);
  start_board (&fixture, NULL, FALSE);

  fs_sim_board_set_jumper (fixture.board, TRUE);
  fs_sim_board_press_reset (fixture.board);
  g_assert_true (fs_sim_board_wait_mode (fixture.board, FS_SIM_MODE_DOWNLOAD, 2000));
  fs_test_board_read_until_quiet (fixture.board, 100);

  start = g_get_monotonic_time ();
  send_sync (&fixture);
  n = count_responses (&fixture, FS_OP_SYNC, 100);
  g_assert_cmpuint (n, ==, 8);
  /* SYNC is 46 bytes framed; 8 replies of at least 14 bytes framed */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, (46 + 8 * 14) * 10 * G_USEC_PER_SEC / 115200);

  fixture_tear_down (&fixture, NULL);
}

static void
enter_download (Fixture *fixture)
{
  g_autofree char *reply = fs_sim_board_control (fixture->board, "boot download", NULL);

  g_assert_cmpstr (reply, ==, "ok");
  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_DOWNLOAD, 2000));
  g_byte_array_unref (fs_test_board_read_until_quiet (fixture->board, 100));
}

static void
test_fault_drop (Fixture       *fixture,
                 gconstpointer  user_data)
{
  FsSimFaults faults = { .drop_rate = 0.01, .seed = 11 };
  guint good = 0;

  enter_download (fixture);
  fs_sim_board_set_faults (fixture->board, &faults);
  for (guint i = 0; i < 10; i++)
    {
      send_sync (fixture);
      good += count_responses (fixture, FS_OP_SYNC, 50);
    }
  g_assert_cmpuint (good, >, 0);
  g_assert_cmpuint (good, <, 80);
}

static void
test_fault_delay (Fixture       *fixture,
                  gconstpointer  user_data)
{
  FsSimFaults faults = { .reply_delay_ms = 300 };
  guint8 byte;
  gint64 start;

  enter_download (fixture);
  fs_sim_board_set_faults (fixture->board, &faults);
  start = g_get_monotonic_time ();
  send_sync (fixture);
  g_assert_cmpint (fs_sim_board_read (fixture->board, &byte, 1, 2000, NULL, NULL), ==, 1);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 300 * G_TIME_SPAN_MILLISECOND);
}

static void
send_packet (Fixture *fixture,
             GBytes  *packet)
{
  g_autoptr(GByteArray) framed = g_byte_array_new ();

  fs_slip_encode (framed, g_bytes_get_data (packet, NULL), g_bytes_get_size (packet));
  g_assert_true (fs_sim_board_write (fixture->board, framed->data, framed->len, NULL));
}

static void
test_fault_reset_mid_write (Fixture       *fixture,
                            gconstpointer  user_data)
{
  const guint32 begin[] = { 4096, 4, 1024, 0x10000 };
  FsSimFaults faults = { .reset_after = 2048 };
  g_autoptr(GBytes) begin_packet = fs_packet_words_command_new (FS_OP_FLASH_BEGIN, begin, G_N_ELEMENTS (begin));
  guint8 block[1024];
  g_autofree char *log = NULL;

  memset (block, 0xA5, sizeof block);
  enter_download (fixture);
  fs_sim_board_set_faults (fixture->board, &faults);
  send_packet (fixture, begin_packet);
  for (guint seq = 0; seq < 4; seq++)
    {
      g_autoptr(GBytes) data = fs_packet_data_command_new (FS_OP_FLASH_DATA, seq, block, sizeof block);
      send_packet (fixture, data);
    }
  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_RUN, 2000));
  log = fs_sim_board_dup_boot_log (fixture->board);
  g_assert_nonnull (strstr (log, "RTCWDT_RTC_RESET"));
  /* What was programmed before the reset stays; nothing after it */
  g_assert_cmphex (fs_sim_flash_get_data (fs_sim_board_get_flash (fixture->board))[0x10000], ==, 0xA5);
  g_assert_cmphex (fs_sim_flash_get_data (fs_sim_board_get_flash (fixture->board))[0x10C00], ==, 0xFF);
}

static void
test_fault_needs_jumper (Fixture       *fixture,
                         gconstpointer  user_data)
{
  FsSimFaults faults = { .needs_jumper = TRUE };

  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_RUN, 2000));
  fs_sim_board_set_faults (fixture->board, &faults);
  classic_reset (fixture->board);
  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_RUN, 2000));
  g_usleep (20 * 1000);
  g_assert_cmpint (fs_sim_board_get_mode (fixture->board), ==, FS_SIM_MODE_RUN);

  fs_sim_board_set_jumper (fixture->board, TRUE);
  classic_reset (fixture->board);
  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_DOWNLOAD, 2000));
}

static GBytes *
make_image (guint32     load_addr,
            const char *text)
{
  FsImageBuildOptions options = {
    .chip = FS_CHIP_ESP32,
    .entry = load_addr,
    .flash_mode = FS_FLASH_MODE_DIO,
    .flash_size_code = 2,
    .max_rev_full = 0xFFFF,
    .append_digest = TRUE,
  };
  FsAppDesc desc = { 0 };
  g_autoptr(GPtrArray) segments = g_ptr_array_new_with_free_func ((GDestroyNotify) fs_image_segment_free);
  g_autoptr(GBytes) desc_bytes = NULL;
  g_autoptr(GBytes) strings = NULL;
  g_autoptr(GByteArray) padded = g_byte_array_new ();
  GBytes *image;

  g_strlcpy (desc.project_name, "blink", sizeof desc.project_name);
  g_strlcpy (desc.version, "2.0.1", sizeof desc.version);
  g_strlcpy (desc.idf_version, "v5.1.2", sizeof desc.idf_version);
  /* The app's strings follow its description in the first segment,
   * which the bootloader maps at the address matching its flash offset */
  desc_bytes = fs_app_desc_to_bytes (&desc);
  g_byte_array_append (padded, g_bytes_get_data (desc_bytes, NULL), g_bytes_get_size (desc_bytes));
  g_byte_array_append (padded, (const guint8 *) text, strlen (text) + 1);
  while (padded->len % 4 != 0)
    g_byte_array_append (padded, (const guint8 *) "", 1);
  strings = g_byte_array_free_to_bytes (g_steal_pointer (&padded));
  g_ptr_array_add (segments, fs_image_segment_new (0x3F400020, strings));
  image = fs_image_build (&options, segments, NULL);
  g_assert_nonnull (image);
  return image;
}

static void
program (FsSimFlash *flash,
         guint32     offset,
         GBytes     *bytes)
{
  g_autoptr(GError) error = NULL;

  fs_sim_flash_program (flash, offset, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
}

/* A factory app at 0x10000 behind a bootloader and a partition table */
static guint32
program_valid_flash (FsSimFlash *flash)
{
  const char *csv = "nvs, data, nvs, 0x9000, 0x6000,\nfactory, app, factory, 0x10000, 1M,\n";
  g_autoptr(FsPartitionTable) table = fs_partition_table_new_from_csv (csv, strlen (csv), NULL);
  g_autoptr(GBytes) table_bytes = fs_partition_table_to_binary (table, TRUE, NULL);
  g_autoptr(GBytes) bootloader = make_image (0x40080400, "");
  g_autoptr(GBytes) app = make_image (0x400D0018, "FSSIM:PRINT:Hello from the virtual board");

  program (flash, 0x1000, bootloader);
  program (flash, 0x8000, table_bytes);
  program (flash, 0x10000, app);
  return 0x10000 + g_bytes_get_size (app) - 33;   /* the checksum byte */
}

static void
test_boot_valid_and_corrupted (Fixture       *fixture,
                               gconstpointer  user_data)
{
  FsSimFlash *flash = fs_sim_board_get_flash (fixture->board);
  guint32 checksum_offset = program_valid_flash (flash);
  g_autofree char *output = NULL;
  g_autofree char *log = NULL;
  g_autofree char *corrupted_log = NULL;
  guint8 checksum = fs_sim_flash_get_data (flash)[checksum_offset];
  guint8 damaged = checksum & (checksum - 1);

  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_RUN, 2000));
  g_byte_array_unref (fs_test_board_read_until_quiet (fixture->board, 100));
  fs_sim_board_press_reset (fixture->board);
  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_RESET, 2000));
  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_RUN, 2000));
  output = fs_test_board_read_text (fixture->board, 200);
  log = fs_sim_board_dup_boot_log (fixture->board);
  g_test_message ("%s", log);
  g_assert_nonnull (strstr (log, "Loaded app from partition at offset 0x10000"));
  g_assert_nonnull (strstr (log, "blink"));
  g_assert_nonnull (strstr (log, "2.0.1"));
  g_assert_nonnull (strstr (output, "Hello from the virtual board\r\n"));

  /* Programming can only clear bits: clear one of the checksum's */
  g_assert_cmphex (damaged, !=, checksum);
  g_assert_true (fs_sim_flash_program (flash, checksum_offset, &damaged, 1, NULL));
  fs_sim_board_press_reset (fixture->board);
  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_RESET, 2000));
  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_RUN, 2000));
  corrupted_log = fs_sim_board_dup_boot_log (fixture->board);
  g_assert_nonnull (strstr (corrupted_log, "Checksum failed"));
  g_assert_null (strstr (corrupted_log, "Hello from the virtual board"));
}

/* What the board sends in the next @ms milliseconds: a board in a crash
 * loop is never quiet */
static char *
read_for (Fixture *fixture,
          guint    ms)
{
  g_autoptr(GByteArray) received = g_byte_array_new ();
  gint64 end = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;
  guint8 buffer[4096];

  while (g_get_monotonic_time () < end)
    {
      gssize n = fs_sim_board_read (fixture->board, buffer, sizeof buffer, 10, NULL, NULL);

      if (n > 0)
        g_byte_array_append (received, buffer, n);
    }
  g_byte_array_append (received, (const guint8 *) "", 1);
  return g_strdup ((const char *) received->data);
}

/* The flash erased and given an app holding @strings while the board is
 * held in reset, then a boot */
static void
boot_app (Fixture            *fixture,
          const char * const *strings)
{
  g_autoptr(GBytes) image = fs_test_printing_flash (strings, 0);

  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_RUN, 2000));
  fs_test_board_hold_reset (fixture->board, TRUE);
  fs_test_board_write_flash (fixture->board, 0, image);
  fs_test_board_hold_reset (fixture->board, FALSE);
}

static void
test_app_crash_loop (Fixture       *fixture,
                     gconstpointer  user_data)
{
  const char *crash = "Guru Meditation Error: Core  0 panic'ed (StoreProhibited). Exception was unhandled.\r\n";
  const char *reboot = "Rebooting...\r\nets Jun  8 2016 00:22:57\r\n\r\nrst:0xc (SW_CPU_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)\r\n";
  g_autofree char *output = NULL;
  g_autofree char *log = NULL;
  guint crashes, reboots;

  boot_app (fixture, (const char *[]) { "FSSIM:PRINT:about to crash", "FSSIM:PANIC:StoreProhibited", NULL });
  output = read_for (fixture, 1000);
  crashes = fs_test_count_text (output, crash);
  reboots = fs_test_count_text (output, reboot);

  g_assert_true (g_str_has_prefix (output, "ets Jun  8 2016 00:22:57\r\n\r\nrst:0x1 (POWERON_RESET)"));
  g_assert_true (strstr (output, "about to crash\r\n") < strstr (output, crash));
  /* Again and again, each time after its lines, and even in instant mode
   * no faster than the app's delay before it crashes */
  g_assert_cmpuint (reboots, >=, 3);
  g_assert_cmpuint (crashes, >=, reboots);
  g_assert_cmpuint (crashes, <=, reboots + 1);
  g_assert_cmpuint (fs_test_count_text (output, "about to crash\r\n"), ==, reboots + 1);
  g_assert_cmpuint (crashes, <=, 1000 / FS_SIM_APP_END_DELAY_MS + 1);
  log = fs_sim_board_dup_boot_log (fixture->board);
  g_assert_true (g_str_has_prefix (log, "ets Jun  8 2016 00:22:57\r\n\r\nrst:0xc (SW_CPU_RESET)"));
}

static void
test_app_abort_and_brownout (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autofree char *aborts = NULL;
  g_autofree char *browns_out = NULL;

  boot_app (fixture, (const char *[]) { "FSSIM:ABORT", NULL });
  aborts = read_for (fixture, 400);
  g_assert_nonnull (strstr (aborts, "\r\nabort() was called at PC 0x400d1f67 on core 0\r\n"));
  g_assert_nonnull (strstr (aborts, "Rebooting...\r\nets Jun  8 2016 00:22:57\r\n\r\nrst:0xc (SW_CPU_RESET)"));

  boot_app (fixture, (const char *[]) { "FSSIM:BROWNOUT", NULL });
  browns_out = read_for (fixture, 400);
  g_assert_null (strstr (browns_out, "abort()"));
  g_assert_nonnull (strstr (browns_out, "\r\nBrownout detector was triggered\r\n\r\n"
                                        "ets Jun  8 2016 00:22:57\r\n\r\nrst:0xc (SW_CPU_RESET)"));
}

/* A flasher must get hold of a board that crashes at each boot */
static void
test_download_stops_crash_loop (Fixture       *fixture,
                                gconstpointer  user_data)
{
  g_autofree char *looping = NULL;
  g_autofree char *banner = NULL;

  boot_app (fixture, (const char *[]) { "FSSIM:PANIC:LoadProhibited", NULL });
  looping = read_for (fixture, 300);
  g_assert_nonnull (strstr (looping, "rst:0xc (SW_CPU_RESET)"));
  enter_download (fixture);
  banner = fs_test_board_read_text (fixture->board, 3 * FS_SIM_APP_END_DELAY_MS);
  g_assert_cmpstr (banner, ==, "");
  send_sync (fixture);
  g_assert_cmpuint (count_responses (fixture, FS_OP_SYNC, 100), ==, 8);
}

/* The stamp of the line that ends with @text, or 0 */
static guint
stamp_of (GStrv       lines,
          const char *text)
{
  guint ms = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_suffix (lines[i], text) && sscanf (lines[i], "I (%u)", &ms) == 1)
      return ms;
  return 0;
}

static void
test_app_log_clock (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autofree char *output = NULL;
  g_autofree char *log = NULL;
  g_auto(GStrv) log_lines = NULL;
  g_auto(GStrv) lines = NULL;
  guint app_main_ms, started_ms, last_ms, ticks = 0;

  boot_app (fixture, (const char *[]) { "FSSIM:PRINT:I (%t) clock: started", "FSSIM:REPEAT:20:I (%t) clock: tick %u", NULL });
  output = read_for (fixture, 300);
  log = fs_sim_board_dup_boot_log (fixture->board);
  log_lines = g_strsplit (log, "\r\n", -1);
  lines = g_strsplit (output, "\r\n", -1);
  app_main_ms = stamp_of (log_lines, ") main_task: Calling app_main()");
  started_ms = stamp_of (lines, ") clock: started");

  /* The app's lines go on from the boot log's last stamp, never back in time */
  g_assert_cmpuint (app_main_ms, >, 0);
  g_assert_cmpuint (started_ms, >, app_main_ms);
  last_ms = started_ms;
  for (guint i = 0; lines[i] != NULL; i++)
    {
      guint ms, tick;

      if (sscanf (lines[i], "I (%u) clock: tick %u", &ms, &tick) != 2)
        continue;
      g_assert_cmpuint (tick, ==, ticks);
      g_assert_cmpuint (ms, >=, last_ms);
      last_ms = ms;
      ticks++;
    }
  g_assert_cmpuint (ticks, >=, 3);
  g_assert_cmpuint (last_ms, >=, started_ms + 2 * 20);
}

/* Each profile's virtual board is that board, with a MAC of its own
 * that stays the same from run to run (the studio keys records by MAC) */
static void
test_profile (void)
{
  static const struct {
    const char *id;
    guint64     flash_size;
    gboolean    has_reset_lines;
    const char *mac;
  } boards[] = {
    { "heltec-wifi-kit-32", 8 * MiB, TRUE, "24:0a:c4:00:84:c8" },
    { "pycom-fipy", 8 * MiB, FALSE, "24:0a:c4:11:15:8e" },
    { "esp32-devkit", 4 * MiB, TRUE, "24:0a:c4:ea:16:f5" },
    { "vigotech-vg-l7x", 4 * MiB, FALSE, "24:0a:c4:69:e4:1c" },
  };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (boards); i++)
    {
      g_auto(FsSimBoardOptions) options = { 0 };
      g_autofree char *mac = NULL;
      g_autofree char *formatted = fs_sim_board_format_mac_for_id (boards[i].id);

      fs_sim_board_options_init_default (&options, "unused.bin");
      g_assert_true (fs_sim_board_options_apply_profile (&options, boards[i].id, &error));
      g_assert_no_error (error);
      mac = fs_device_mac_from_bytes (options.chip.mac);
      g_assert_cmpstr (mac, ==, boards[i].mac);
      g_assert_cmpstr (formatted, ==, boards[i].mac);
      g_assert_cmpuint (options.flash_size, ==, boards[i].flash_size);
      g_assert_cmpint (options.has_reset_lines, ==, boards[i].has_reset_lines);
    }

  {
    g_auto(FsSimBoardOptions) options = { 0 };

    fs_sim_board_options_init_default (&options, "unused.bin");
    g_assert_false (fs_sim_board_options_apply_profile (&options, "no-such-board", &error));
    g_assert_error (error, FS_ERROR, FS_ERROR_NOT_FOUND);
  }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sim-board/power-on-boots-erased-flash", Fixture, NULL, fixture_set_up, test_power_on_boots_erased_flash, fixture_tear_down);
  g_test_add ("/sim-board/classic-reset-enters-download", Fixture, NULL, fixture_set_up, test_classic_reset_enters_download, fixture_tear_down);
  g_test_add ("/sim-board/no-lines-needs-jumper", Fixture, "no lines", fixture_set_up, test_no_lines_needs_jumper, fixture_tear_down);
  g_test_add ("/sim-board/boot-button-held", Fixture, NULL, fixture_set_up, test_boot_button_held, fixture_tear_down);
  g_test_add ("/sim-board/hold-button", Fixture, "hold button", fixture_set_up, test_hold_button, fixture_tear_down);
  g_test_add ("/sim-board/person-properties", Fixture, NULL, fixture_set_up, test_person_properties, fixture_tear_down);
  g_test_add ("/sim-board/unplug-and-plug", Fixture, NULL, fixture_set_up, test_unplug_and_plug, fixture_tear_down);
  g_test_add ("/sim-board/fault/unplug-after", Fixture, NULL, fixture_set_up, test_fault_unplug_after, fixture_tear_down);
  g_test_add ("/sim-board/fault/unplug-after-more", Fixture, NULL, fixture_set_up, test_fault_unplug_after_more,
              fixture_tear_down);
  g_test_add ("/sim-board/fault/garble", Fixture, NULL, fixture_set_up, test_fault_garble, fixture_tear_down);
  g_test_add ("/sim-board/control-commands", Fixture, NULL, fixture_set_up, test_control_commands, fixture_tear_down);
  g_test_add ("/sim-board/fault/drop", Fixture, NULL, fixture_set_up, test_fault_drop, fixture_tear_down);
  g_test_add ("/sim-board/fault/delay", Fixture, NULL, fixture_set_up, test_fault_delay, fixture_tear_down);
  g_test_add ("/sim-board/fault/reset-mid-write", Fixture, NULL, fixture_set_up, test_fault_reset_mid_write, fixture_tear_down);
  g_test_add ("/sim-board/fault/needs-jumper", Fixture, NULL, fixture_set_up, test_fault_needs_jumper, fixture_tear_down);
  g_test_add ("/sim-board/boot/valid-and-corrupted", Fixture, NULL, fixture_set_up, test_boot_valid_and_corrupted, fixture_tear_down);
  g_test_add ("/sim-board/app/crash-loop", Fixture, NULL, fixture_set_up, test_app_crash_loop, fixture_tear_down);
  g_test_add ("/sim-board/app/abort-and-brownout", Fixture, NULL, fixture_set_up, test_app_abort_and_brownout, fixture_tear_down);
  g_test_add ("/sim-board/app/download-stops-crash-loop", Fixture, NULL, fixture_set_up, test_download_stops_crash_loop, fixture_tear_down);
  g_test_add ("/sim-board/app/log-clock", Fixture, NULL, fixture_set_up, test_app_log_clock, fixture_tear_down);
  g_test_add_func ("/sim-board/link-timing", test_link_timing);
  g_test_add_func ("/sim-board/profile", test_profile);

  return g_test_run ();
}

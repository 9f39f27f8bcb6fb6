/* test-boot-log.c: boot output classified, as the virtual board prints it
 * (ESP-IDF's wording) and as real boards print what it cannot
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <string.h>

#include "fs-boot-log.h"
#include "fs-image.h"
#include "fs-sim-app.h"
#include "fs-sim-boot.h"
#include "fs-sim-demo.h"
#include "fs-test-image.h"

#define FLASH_SIZE (8 * 1024 * 1024)
#define ANY G_MAXUINT32

/* What the virtual board sends for @spec: its boot log, then what its
 * app prints, then, for an app that ends badly, the next boots */
static char *
board_says (const FsTestFlash *spec,
            guint              boots)
{
  g_autoptr(GBytes) flash = fs_test_boot_flash (spec);
  g_autoptr(GString) out = g_string_new (NULL);
  FsSimChipConfig chip;
  static const guint8 mac[6] = { 0x24, 0x0A, 0xC4, 0x12, 0x34, 0x56 };

  fs_sim_chip_config_init_default (&chip, mac);
  for (guint i = 0; i < boots; i++)
    {
      g_autoptr(FsSimBoot) boot = fs_sim_boot_run (g_bytes_get_data (flash, NULL), FLASH_SIZE, &chip,
                                                   i == 0 ? FS_SIM_RESET_POWERON : FS_SIM_RESET_SW);
      g_autofree char *end = NULL;

      g_string_append (out, boot->log);
      if (!boot->app_running)
        continue;
      for (guint j = 0; j < boot->app->lines->len; j++)
        {
          g_autofree char *line = fs_sim_app_format_line (g_ptr_array_index (boot->app->lines, j),
                                                          boot->app_start_ms);

          g_string_append_printf (out, "%s\r\n", line);
        }
      end = fs_sim_app_dup_end_text (boot->app, boot->elf_sha256);
      if (end == NULL)
        break;
      g_string_append (out, end);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static FsBootLog *
classify (const char *text,
          guint32     expected)
{
  FsBootLog *log = fs_boot_log_new (115200);

  fs_boot_log_set_expected_offset (log, expected);
  fs_boot_log_feed (log, (const guint8 *) text, strlen (text));
  fs_boot_log_finish (log);
  return log;
}

static GBytes *
demo_part (const char *name)
{
  g_autoptr(GError) error = NULL;
  GBytes *bytes = fs_sim_demo_build_part (name, &error);

  g_assert_no_error (error);
  return bytes;
}

static GBytes *
printing_app (const char *project,
              const char *string)
{
  const char *strings[] = { "FSSIM:PRINT:I (300) app: hello", string, NULL };

  return fs_test_printing_app (project, strings);
}

static void
assert_fails (FsBootLog     *log,
              FsBootProblem  problem,
              const char    *in_reason)
{
  g_test_message ("reason: %s\nhint: %s\nevidence: %s", fs_boot_log_get_reason (log),
                  fs_boot_log_get_hint (log), fs_boot_log_get_evidence (log));
  g_assert_cmpint (fs_boot_log_get_state (log), ==, FS_BOOT_STATE_DOES_NOT_BOOT);
  g_assert_cmpint (fs_boot_log_get_problem (log), ==, problem);
  g_assert_true (fs_boot_log_get_decided (log));
  g_assert_nonnull (fs_boot_log_get_hint (log));
  g_assert_nonnull (fs_boot_log_get_evidence (log));
  if (strstr (fs_boot_log_get_reason (log), in_reason) == NULL)
    g_error ("“%s” not in the reason “%s”", in_reason, fs_boot_log_get_reason (log));
}

static void
test_runs (void)
{
  g_autoptr(GBytes) bootloader = demo_part ("bootloader");
  g_autoptr(GBytes) app = demo_part ("app");
  FsTestFlash spec = { bootloader, TRUE, 0, app, NULL, NULL };
  g_autofree char *text = board_says (&spec, 1);
  g_autoptr(FsBootLog) log = classify (text, 0x10000);

  g_assert_cmpint (fs_boot_log_get_state (log), ==, FS_BOOT_STATE_RUNS);
  g_assert_cmpint (fs_boot_log_get_problem (log), ==, FS_BOOT_PROBLEM_NONE);
  g_assert_null (fs_boot_log_get_reason (log));
  g_assert_cmpstr (fs_boot_log_get_project (log), ==, "flash-studio-virtual-demo");
  g_assert_cmpstr (fs_boot_log_get_version (log), ==, "0.1.0");
  g_assert_cmpstr (fs_boot_log_get_partition (log), ==, "vm0");
  g_assert_cmpuint (fs_boot_log_get_offset (log), ==, 0x10000);
  g_assert_true (fs_boot_log_get_app_started (log));
  g_assert_cmpuint (fs_boot_log_get_n_restarts (log), ==, 0);
}

/* Tentative until the end: "Calling app_main()" is enough to run, not
 * to be decided */
static void
test_runs_is_tentative (void)
{
  g_autoptr(GBytes) bootloader = demo_part ("bootloader");
  g_autoptr(GBytes) app = demo_part ("app");
  FsTestFlash spec = { bootloader, TRUE, 0, app, NULL, NULL };
  g_autofree char *text = board_says (&spec, 1);
  g_autoptr(FsBootLog) log = fs_boot_log_new (115200);

  fs_boot_log_feed (log, (const guint8 *) text, strlen (text));
  g_assert_cmpint (fs_boot_log_get_state (log), ==, FS_BOOT_STATE_RUNS);
  g_assert_false (fs_boot_log_get_decided (log));
  fs_boot_log_finish (log);
  g_assert_true (fs_boot_log_get_decided (log));
}

static void
test_no_bootloader (void)
{
  g_autoptr(GBytes) app = demo_part ("app");
  FsTestFlash spec = { NULL, TRUE, 0, app, NULL, NULL };
  g_autofree char *text = board_says (&spec, 2);
  g_autoptr(FsBootLog) log = classify (text, ANY);

  assert_fails (log, FS_BOOT_PROBLEM_NO_BOOTLOADER, "There is no bootloader at 0x1000: the flash is erased");
  g_assert_cmpstr (fs_boot_log_get_evidence (log), ==, "invalid header: 0xffffffff");
}

/* An ESP-IDF bootloader built for 2 MB under the 8 MB layout's table */
static void
test_flash_size (void)
{
  g_autoptr(GBytes) bootloader = fs_test_bootloader_image (1);
  g_autoptr(GBytes) app = demo_part ("app");
  FsTestFlash spec = { bootloader, TRUE, 0, app, NULL, NULL };
  g_autofree char *text = board_says (&spec, 1);
  g_autoptr(FsBootLog) log = classify (text, 0x10000);

  assert_fails (log, FS_BOOT_PROBLEM_FLASH_SIZE,
                "The bootloader was built for 2 MB of flash, but the partition table goes past it: partition 4 "
                "at 0x110000 ends at 0x210000.");
  g_assert_true (g_str_has_suffix (fs_boot_log_get_evidence (log),
                                   "flash_parts: partition 4 invalid - offset 0x110000 size 0x100000 exceeds "
                                   "flash chip size 0x200000"));
}

static void
test_app_flash_size (void)
{
  g_autoptr(GBytes) bootloader = demo_part ("bootloader");
  g_autoptr(GBytes) app = demo_part ("app");
  g_autoptr(GBytes) app_16mb = fs_image_set_flash_size (app, 16 * 1024 * 1024, NULL);
  FsTestFlash spec = { bootloader, TRUE, 0, app_16mb, NULL, NULL };
  g_autofree char *text = board_says (&spec, 1);
  g_autoptr(FsBootLog) log = classify (text, ANY);

  assert_fails (log, FS_BOOT_PROBLEM_FLASH_SIZE, "The app was built for 16 MB of flash, but the chip has 8 MB");
}

static void
test_no_table (void)
{
  g_autoptr(GBytes) bootloader = demo_part ("bootloader");
  FsTestFlash spec = { bootloader, FALSE, -1, NULL, NULL, NULL };
  g_autofree char *text = board_says (&spec, 1);
  g_autoptr(FsBootLog) log = classify (text, ANY);

  assert_fails (log, FS_BOOT_PROBLEM_PARTITION_TABLE, "There is no partition table at 0x8000");
}

static void
test_no_app (void)
{
  g_autoptr(GBytes) bootloader = demo_part ("bootloader");
  FsTestFlash spec = { bootloader, TRUE, 0, NULL, NULL, NULL };
  g_autofree char *text = board_says (&spec, 1);
  g_autoptr(FsBootLog) log = classify (text, ANY);

  assert_fails (log, FS_BOOT_PROBLEM_NO_APP, "“vm0” at 0x010000 holds no app image");
}

/* A byte of the app's first string, which the checksum covers */
#define CODE_BYTE 0x121

static void
test_bad_checksum (void)
{
  g_autoptr(GBytes) bootloader = demo_part ("bootloader");
  g_autoptr(GBytes) app = printing_app ("blink", NULL);
  g_autoptr(GBytes) damaged = fs_test_bytes_flip (app, CODE_BYTE, 0x01);
  FsTestFlash spec = { bootloader, TRUE, 0, damaged, NULL, NULL };
  g_autofree char *text = board_says (&spec, 1);
  g_autoptr(FsBootLog) log = classify (text, ANY);

  assert_fails (log, FS_BOOT_PROBLEM_APP_INVALID, "in “vm0” at 0x010000, the app image’s checksum is wrong");
  g_assert_cmpuint (fs_boot_log_get_offset (log), ==, 0x10000);
}

static void
test_bad_digest (void)
{
  g_autoptr(GBytes) bootloader = demo_part ("bootloader");
  g_autoptr(GBytes) app = printing_app ("blink", NULL);
  g_autoptr(GBytes) damaged = fs_test_bytes_flip (app, g_bytes_get_size (app) - 1, 0x01);
  FsTestFlash spec = { bootloader, TRUE, 0, damaged, NULL, NULL };
  g_autofree char *text = board_says (&spec, 1);
  g_autoptr(FsBootLog) log = classify (text, ANY);

  assert_fails (log, FS_BOOT_PROBLEM_APP_INVALID, "SHA-256 does not match");
}

/* Slot 0 damaged, slot 1 fine: the board runs, but not what was written */
static void
test_fell_back (void)
{
  g_autoptr(GBytes) bootloader = demo_part ("bootloader");
  g_autoptr(GBytes) app = printing_app ("blink", NULL);
  g_autoptr(GBytes) damaged = fs_test_bytes_flip (app, CODE_BYTE, 0x01);
  FsTestFlash spec = { bootloader, TRUE, 0, damaged, app, NULL };
  g_autofree char *text = board_says (&spec, 1);
  g_autoptr(FsBootLog) expecting = classify (text, 0x10000);
  g_autoptr(FsBootLog) any = classify (text, ANY);

  assert_fails (expecting, FS_BOOT_PROBLEM_FELL_BACK,
                "The bootloader could not start the app in “vm0” at 0x010000 (the app image’s checksum is wrong");
  g_assert_cmpuint (fs_boot_log_get_offset (expecting), ==, 0x110000);
  g_assert_cmpint (fs_boot_log_get_state (any), ==, FS_BOOT_STATE_RUNS);
  g_assert_cmpstr (fs_boot_log_get_partition (any), ==, "vm1");
}

static void
test_crash_loop (void)
{
  g_autoptr(GBytes) bootloader = demo_part ("bootloader");
  g_autoptr(GBytes) app = printing_app ("crasher", "FSSIM:PANIC:LoadProhibited");
  FsTestFlash spec = { bootloader, TRUE, 0, app, NULL, NULL };
  g_autofree char *text = board_says (&spec, 3);
  g_autoptr(FsBootLog) log = classify (text, ANY);

  assert_fails (log, FS_BOOT_PROBLEM_CRASH,
                "The app crashes as it starts, and again each time the board restarts it: “Guru Meditation "
                "Error: Core  0 panic'ed (LoadProhibited). Exception was unhandled.”");
  g_assert_cmpstr (fs_boot_log_get_project (log), ==, "crasher");
}

static void
test_abort (void)
{
  g_autoptr(GBytes) bootloader = demo_part ("bootloader");
  g_autoptr(GBytes) app = printing_app ("aborter", "FSSIM:ABORT");
  FsTestFlash spec = { bootloader, TRUE, 0, app, NULL, NULL };
  g_autofree char *text = board_says (&spec, 2);
  g_autoptr(FsBootLog) log = classify (text, ANY);

  assert_fails (log, FS_BOOT_PROBLEM_CRASH, "abort() was called at PC");
}

static void
test_brownout (void)
{
  g_autoptr(GBytes) bootloader = demo_part ("bootloader");
  g_autoptr(GBytes) app = printing_app ("sagging", "FSSIM:BROWNOUT");
  FsTestFlash spec = { bootloader, TRUE, 0, app, NULL, NULL };
  g_autofree char *text = board_says (&spec, 2);
  g_autoptr(FsBootLog) log = classify (text, ANY);

  assert_fails (log, FS_BOOT_PROBLEM_BROWNOUT, "supply voltage dropped");
  g_assert_cmpstr (fs_boot_log_get_evidence (log), ==, "Brownout detector was triggered");
}

static void
test_download_mode (void)
{
  g_autofree char *text = fs_sim_boot_download_banner (FS_SIM_RESET_POWERON);
  g_autoptr(FsBootLog) log = classify (text, ANY);

  assert_fails (log, FS_BOOT_PROBLEM_DOWNLOAD_MODE, "still in download mode");
}

#define ROM_LINES \
  "ets Jun  8 2016 00:22:57\r\n\r\nrst:0x1 (POWERON_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)\r\n" \
  "configsip: 0, SPIWP:0xee\r\nclk_drv:0x00,q_drv:0x00,d_drv:0x00,cs0_drv:0x00,hd_drv:0x00,wp_drv:0x00\r\n" \
  "mode:DIO, clock div:2\r\nload:0x3fff0030,len:6612\r\nload:0x40078000,len:14788\r\n" \
  "load:0x40080400,len:3792\r\nentry 0x40080694\r\n"

/* ESP-IDF 4.4: the app's start-up lines are cpu_start's, and there is
 * no main_task */
static const char idf44_log[] =
  ROM_LINES
  "I (27) boot: ESP-IDF v4.4.4 2nd stage bootloader\r\n"
  "I (40) boot.esp32: SPI Flash Size : 4MB\r\n"
  "I (50) boot: Partition Table:\r\n"
  "I (53) boot: ## Label            Usage          Type ST Offset   Length\r\n"
  "I (61) boot:  0 nvs              WiFi data        01 02 00009000 00006000\r\n"
  "I (68) boot:  1 phy_init         RF data          01 01 0000f000 00001000\r\n"
  "I (76) boot:  2 factory          factory app      00 00 00010000 00100000\r\n"
  "I (83) boot: End of partition table\r\n"
  "I (87) esp_image: segment 0: paddr=00010020 vaddr=3f400020 size=0a0c0h ( 41152) map\r\n"
  "I (165) boot: Loaded app from partition at offset 0x10000\r\n"
  "I (165) boot: Disabling RNG early entropy source...\r\n"
  "I (181) cpu_start: Pro cpu up.\r\n"
  "I (196) cpu_start: Pro cpu start user code\r\n"
  "I (196) cpu_start: Application information:\r\n"
  "I (201) cpu_start: Project name:     hello-world\r\n"
  "I (206) cpu_start: App version:      v4.4.4\r\n"
  "I (267) cpu_start: Starting scheduler on PRO CPU.\r\n"
  "I (0) cpu_start: Starting scheduler on APP CPU.\r\n"
  "Hello world!\r\n";

/* Arduino's bootloader logs nothing: after the ROM, the sketch */
static const char arduino_log[] = ROM_LINES "Hello from setup()\r\n";

/* Two silent restarts after the app started, before it got going: a
 * loop without a word */
static const char silent_restarts_log[] =
  ROM_LINES "I (300) app: starting\r\n"
  "ets Jun  8 2016 00:22:57\r\n\r\nrst:0xc (SW_CPU_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)\r\n"
  "entry 0x40080694\r\nI (300) app: starting\r\n"
  "ets Jun  8 2016 00:22:57\r\n\r\nrst:0xc (SW_CPU_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)\r\n";

/* A watchdog's reset after the app started: a crash at once */
static const char watchdog_log[] =
  ROM_LINES "I (300) app: starting\r\nI (310) app: looping\r\nI (320) app: looping\r\n"
  "ets Jun  8 2016 00:22:57\r\n\r\nrst:0x8 (TG1WDT_SYS_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)\r\n";

/* ESP-IDF 4's newlib says a failed assert so */
static const char idf4_assert_log[] =
  ROM_LINES "I (300) app: starting\r\n"
  "assertion \"ret == ESP_OK\" failed: file \"../main/main.c\", line 12, function: app_main\r\n";

/* One esp_restart(), then the app runs on */
static const char one_restart_log[] =
  ROM_LINES "I (300) app: restarting once\r\n"
  "ets Jun  8 2016 00:22:57\r\n\r\nrst:0xc (SW_CPU_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)\r\n"
  "entry 0x40080694\r\nI (300) app: up\r\n";

/* A board read at the wrong baud: bytes, no lines */
static const char garbage_log[] = "\xf0\x8f\x1f\xe0\x03\x9c\x7f\r\n\xff\xfe\x80\x12xx\xe2\r\n";

static const char stopped_log[] = ROM_LINES "I (27) boot: ESP-IDF v5.1.4 2nd stage bootloader\r\n";

static void
test_idf44 (void)
{
  g_autoptr(FsBootLog) log = classify (idf44_log, ANY);

  g_assert_cmpint (fs_boot_log_get_state (log), ==, FS_BOOT_STATE_RUNS);
  g_assert_cmpstr (fs_boot_log_get_project (log), ==, "hello-world");
  g_assert_cmpstr (fs_boot_log_get_version (log), ==, "v4.4.4");
  g_assert_cmpstr (fs_boot_log_get_partition (log), ==, "factory");
  g_assert_cmpuint (fs_boot_log_get_offset (log), ==, 0x10000);
}

static void
test_arduino (void)
{
  g_autoptr(FsBootLog) log = classify (arduino_log, ANY);

  g_assert_cmpint (fs_boot_log_get_state (log), ==, FS_BOOT_STATE_RUNS);
  g_assert_null (fs_boot_log_get_project (log));
  g_assert_cmpuint (fs_boot_log_get_offset (log), ==, G_MAXUINT32);
}

static void
test_restarts (void)
{
  g_autoptr(FsBootLog) loop = classify (silent_restarts_log, ANY);
  g_autoptr(FsBootLog) once = classify (one_restart_log, ANY);

  g_autoptr(FsBootLog) watchdog = classify (watchdog_log, ANY);
  g_autoptr(FsBootLog) failed_assert = classify (idf4_assert_log, ANY);

  assert_fails (loop, FS_BOOT_PROBLEM_CRASH, "The app restarts over and over (SW_CPU_RESET)");
  g_assert_cmpuint (fs_boot_log_get_n_restarts (loop), ==, 2);
  assert_fails (watchdog, FS_BOOT_PROBLEM_CRASH, "A watchdog reset the app (TG1WDT_SYS_RESET)");
  assert_fails (failed_assert, FS_BOOT_PROBLEM_CRASH, "“assertion \"ret == ESP_OK\" failed: file");
  g_assert_cmpint (fs_boot_log_get_state (once), ==, FS_BOOT_STATE_RUNS);
  g_assert_cmpuint (fs_boot_log_get_n_restarts (once), ==, 1);
}

static void
test_unknown (void)
{
  g_autoptr(FsBootLog) garbage = classify (garbage_log, ANY);
  g_autoptr(FsBootLog) stopped = classify (stopped_log, ANY);
  g_autoptr(FsBootLog) nothing = classify ("", ANY);

  g_assert_cmpint (fs_boot_log_get_state (garbage), ==, FS_BOOT_STATE_UNKNOWN);
  g_assert_cmpstr (fs_boot_log_get_reason (garbage), ==, "Nothing recognisable came from the board at 115200 baud.");
  g_assert_nonnull (strstr (fs_boot_log_get_hint (garbage), "another baud"));
  g_assert_cmpint (fs_boot_log_get_state (nothing), ==, FS_BOOT_STATE_UNKNOWN);
  g_assert_cmpint (fs_boot_log_get_state (stopped), ==, FS_BOOT_STATE_UNKNOWN);
  g_assert_nonnull (strstr (fs_boot_log_get_reason (stopped), "stopped saying anything"));
}

/* What came before the reset is not this boot's: a panic in the job's
 * leftovers does not count */
static void
test_before_the_reset (void)
{
  g_autofree char *text = g_strconcat ("Guru Meditation Error: old\r\nI (1) app: old\r\n", arduino_log, NULL);
  g_autoptr(FsBootLog) log = classify (text, ANY);

  g_assert_cmpint (fs_boot_log_get_state (log), ==, FS_BOOT_STATE_RUNS);
}

/* ---- however the stream is cut ---- */

static void
assert_same (FsBootLog *a,
             FsBootLog *b)
{
  g_assert_cmpint (fs_boot_log_get_state (a), ==, fs_boot_log_get_state (b));
  g_assert_cmpint (fs_boot_log_get_problem (a), ==, fs_boot_log_get_problem (b));
  g_assert_cmpstr (fs_boot_log_get_reason (a), ==, fs_boot_log_get_reason (b));
  g_assert_cmpstr (fs_boot_log_get_hint (a), ==, fs_boot_log_get_hint (b));
  g_assert_cmpstr (fs_boot_log_get_evidence (a), ==, fs_boot_log_get_evidence (b));
  g_assert_cmpstr (fs_boot_log_get_project (a), ==, fs_boot_log_get_project (b));
  g_assert_cmpstr (fs_boot_log_get_version (a), ==, fs_boot_log_get_version (b));
  g_assert_cmpstr (fs_boot_log_get_partition (a), ==, fs_boot_log_get_partition (b));
  g_assert_cmpuint (fs_boot_log_get_offset (a), ==, fs_boot_log_get_offset (b));
  g_assert_cmpuint (fs_boot_log_get_n_restarts (a), ==, fs_boot_log_get_n_restarts (b));
}

/* Coloured, as ESP-IDF prints its lines */
static char *
coloured (const char *text)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_auto(GStrv) lines = g_strsplit (text, "\r\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *colour = lines[i][0] == 'E' ? "\033[0;31m" : lines[i][0] == 'I' ? "\033[0;32m" : "";

      g_string_append_printf (out, "%s%s%s%s", colour, lines[i], *colour != '\0' ? "\033[0m" : "",
                              lines[i + 1] != NULL ? "\r\n" : "");
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
assert_cut_anywhere (const char *text,
                     guint32     expected)
{
  g_autoptr(FsBootLog) whole = classify (text, expected);
  gsize len = strlen (text);
  g_autoptr(FsBootLog) bytewise = fs_boot_log_new (115200);

  for (gsize cut = 0; cut <= len; cut++)
    {
      g_autoptr(FsBootLog) log = fs_boot_log_new (115200);

      fs_boot_log_set_expected_offset (log, expected);
      fs_boot_log_feed (log, (const guint8 *) text, cut);
      fs_boot_log_feed (log, (const guint8 *) text + cut, len - cut);
      fs_boot_log_finish (log);
      assert_same (whole, log);
    }
  fs_boot_log_set_expected_offset (bytewise, expected);
  for (gsize i = 0; i < len; i++)
    fs_boot_log_feed (bytewise, (const guint8 *) text + i, 1);
  fs_boot_log_finish (bytewise);
  assert_same (whole, bytewise);
}

static void
test_cut_anywhere (void)
{
  g_autoptr(GBytes) bootloader = demo_part ("bootloader");
  g_autoptr(GBytes) small_bootloader = fs_test_bootloader_image (1);
  g_autoptr(GBytes) app = demo_part ("app");
  g_autoptr(GBytes) crasher = printing_app ("crasher", "FSSIM:PANIC:LoadProhibited");
  g_autoptr(GBytes) damaged = fs_test_bytes_flip (crasher, CODE_BYTE, 0x01);
  FsTestFlash runs = { bootloader, TRUE, 0, app, NULL, NULL };
  FsTestFlash too_small = { small_bootloader, TRUE, 0, app, NULL, NULL };
  FsTestFlash crashes = { bootloader, TRUE, 0, crasher, NULL, NULL };
  FsTestFlash falls_back = { bootloader, TRUE, 0, damaged, app, NULL };
  const FsTestFlash *flashes[] = { &runs, &too_small, &crashes, &falls_back };
  const char *texts[] = { idf44_log, arduino_log, silent_restarts_log, watchdog_log, idf4_assert_log, one_restart_log,
                          garbage_log, stopped_log };

  for (guint i = 0; i < G_N_ELEMENTS (flashes); i++)
    {
      g_autofree char *text = board_says (flashes[i], 2);
      g_autofree char *in_colour = coloured (text);

      assert_cut_anywhere (text, 0x10000);
      assert_cut_anywhere (in_colour, 0x10000);
    }
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    assert_cut_anywhere (texts[i], ANY);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/boot-log/runs", test_runs);
  g_test_add_func ("/boot-log/runs-is-tentative", test_runs_is_tentative);
  g_test_add_func ("/boot-log/no-bootloader", test_no_bootloader);
  g_test_add_func ("/boot-log/flash-size", test_flash_size);
  g_test_add_func ("/boot-log/app-flash-size", test_app_flash_size);
  g_test_add_func ("/boot-log/no-table", test_no_table);
  g_test_add_func ("/boot-log/no-app", test_no_app);
  g_test_add_func ("/boot-log/bad-checksum", test_bad_checksum);
  g_test_add_func ("/boot-log/bad-digest", test_bad_digest);
  g_test_add_func ("/boot-log/fell-back", test_fell_back);
  g_test_add_func ("/boot-log/crash-loop", test_crash_loop);
  g_test_add_func ("/boot-log/abort", test_abort);
  g_test_add_func ("/boot-log/brownout", test_brownout);
  g_test_add_func ("/boot-log/download-mode", test_download_mode);
  g_test_add_func ("/boot-log/esp-idf-4.4", test_idf44);
  g_test_add_func ("/boot-log/arduino", test_arduino);
  g_test_add_func ("/boot-log/restarts", test_restarts);
  g_test_add_func ("/boot-log/unknown", test_unknown);
  g_test_add_func ("/boot-log/before-the-reset", test_before_the_reset);
  g_test_add_func ("/boot-log/cut-anywhere", test_cut_anywhere);

  return g_test_run ();
}

/* test-boot-check.c: after each job that resets the board into its
 * firmware, the session says whether it runs, on the in-process virtual
 * boards: one test per kind of verdict, and the steps that follow them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "fs-board-session.h"
#include "fs-demo.h"
#include "fs-error.h"
#include "fs-image.h"
#include "fs-test-image.h"
#include "fs-test-session.h"
#include "fs-test-util.h"

#define HELTEC "heltec-wifi-kit-32"
#define FIPY   "pycom-fipy"
#define MiB    (1024u * 1024u)

static char *data_home;

typedef struct {
  FsDeviceRegistry *registry;
  FsBoardSession   *session;
  GString          *output;     /* what the monitor read */
} Fixture;

static void
on_data (FsMonitor *monitor,
         GBytes    *bytes,
         Fixture   *fixture)
{
  g_string_append_len (fixture->output, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->registry = fs_device_registry_new (NULL);
  fixture->session = fs_test_session_new (fixture->registry, user_data != NULL ? user_data : HELTEC);
  fixture->output = g_string_new (NULL);
  g_signal_connect (fs_board_session_get_monitor (fixture->session), "data", G_CALLBACK (on_data), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  fs_monitor_stop (fs_board_session_get_monitor (fixture->session));
  g_clear_object (&fixture->session);
  g_clear_object (&fixture->registry);
  g_string_free (fixture->output, TRUE);
  fs_test_remove_tree (data_home);
}

static GBytes *
flash_copy (Fixture *fixture)
{
  FsSimFlash *flash = fs_sim_board_get_flash (fs_test_session_sim_board (fixture->session));

  return g_bytes_new (fs_sim_flash_get_data (flash), fs_sim_flash_get_size (flash));
}

static void
put_flash (Fixture *fixture,
           guint32  offset,
           GBytes  *bytes)
{
  FsSimFlash *flash = fs_sim_board_get_flash (fs_test_session_sim_board (fixture->session));
  g_autoptr(GError) error = NULL;

  fs_sim_flash_program (flash, offset, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
}

static GBytes *
demo (const char *part)
{
  g_autoptr(GError) error = NULL;
  GBytes *bytes = fs_demo_dup_part (part, &error);

  g_assert_no_error (error);
  return bytes;
}

static void
create_vm (Fixture *fixture,
           FsVmSet *set)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (fs_board_session_create_vm (fixture->session, set, &error));
  g_assert_no_error (error);
}

static void
create_demo_vm (Fixture *fixture)
{
  g_autoptr(FsLayout) layout = fs_layout_new_builtin ("esp32-8mb", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(FsVmSet) set = fs_demo_new_vm_set (layout, FS_CHIP_ESP32, &error);

  g_assert_no_error (error);
  create_vm (fixture, set);
}

static gboolean
virtualize (Fixture          *fixture,
            FsFlashSizeMode   flash_size,
            GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  fs_board_session_virtualize_async (fixture->session, flash_size, NULL, fs_test_session_done, &result);
  return fs_board_session_run_finish (fixture->session, fs_test_session_wait (&result), NULL, error);
}

static void
upload (Fixture    *fixture,
        const char *part)
{
  g_autoptr(GBytes) program = demo (part);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  fs_board_session_upload_bytes_async (fixture->session, part, program, NULL, fs_test_session_done, &result);
  g_assert_true (fs_board_session_run_finish (fixture->session, fs_test_session_wait (&result), NULL, &error));
  g_assert_no_error (error);
}

/* A whole flash put back as a backup is: a restore, then its boot check */
static FsBootLog *
restore (Fixture           *fixture,
         const FsTestFlash *spec)
{
  g_autoptr(GBytes) flash = fs_test_boot_flash (spec);
  g_autofree char *path = g_build_filename (data_home, "backup.bin", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  fs_test_write_bytes (path, flash);
  fs_board_session_restore_async (fixture->session, path, NULL, fs_test_session_done, &result);
  g_assert_true (fs_board_session_run_finish (fixture->session, fs_test_session_wait (&result), NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (fs_board_session_get_boot (fixture->session));
  return fs_board_session_get_boot (fixture->session);
}

static void
assert_summary (Fixture     *fixture,
                FsBoardStep  step,
                FsStepState  state,
                const char  *summary)
{
  g_autofree char *text = NULL;

  g_assert_cmpint (fs_board_session_get_step_state (fixture->session, step, &text), ==, state);
  g_test_message ("step %d: %s", step, text);
  if (summary != NULL && (text == NULL || strstr (text, summary) == NULL))
    g_error ("“%s” not in the step’s summary “%s”", summary, text);
}

/* The newcomer's flow on the demo: Virtualize boots the VM from slot 0,
 * each program uploaded changes what the board prints */
static void
test_demo_flow (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *running = NULL;
  FsBootLog *boot;
  const char *after;
  gsize seen;

  fs_test_session_register (fixture->session);
  create_demo_vm (fixture);
  g_assert_true (fs_board_session_get_has_demo_vm (fixture->session));
  g_assert_cmpint (fs_board_session_get_step (fixture->session), ==, FS_BOARD_STEP_VIRTUALIZE);
  g_assert_true (fs_monitor_start (fs_board_session_get_monitor (fixture->session), &error));
  g_assert_true (virtualize (fixture, FS_FLASH_SIZE_ASK, &error));
  g_assert_no_error (error);

  boot = fs_board_session_get_boot (fixture->session);
  g_assert_cmpint (fs_boot_log_get_state (boot), ==, FS_BOOT_STATE_RUNS);
  running = fs_board_session_describe_boot (fixture->session, boot);
  g_assert_cmpstr (running, ==, "Running flash-studio-virtual-demo " PACKAGE_VERSION " from Zerynth VM (slot 0)");
  g_assert_cmpint (fs_board_session_get_step (fixture->session), ==, FS_BOARD_STEP_UPLOAD);
  assert_summary (fixture, FS_BOARD_STEP_VIRTUALIZE, FS_STEP_STATE_DONE, running);
  g_assert_nonnull (strstr (fixture->output->str, "no program in bytecode slot 0 yet"));
  /* What the "On the board" view shows, read back as the write left it */
  g_assert_nonnull (fs_board_session_get_slot_job (fixture->session));
  g_assert_cmpstr (fs_job_get_slot_title (fs_board_session_get_slot_job (fixture->session), 0), ==,
                   "flash-studio-virtual-demo " PACKAGE_VERSION);

  upload (fixture, "program-1");
  g_assert_cmpint (fs_boot_log_get_state (fs_board_session_get_boot (fixture->session)), ==, FS_BOOT_STATE_RUNS);
  g_assert_nonnull (strstr (fixture->output->str, "Hello from the demo program, version 1"));
  assert_summary (fixture, FS_BOARD_STEP_UPLOAD, FS_STEP_STATE_DONE, "program-1 — verified");

  /* What the board prints after this upload's reset */
  seen = fixture->output->len;
  upload (fixture, "program-2");
  /* The first program printed on until the job took the port: from the reset on */
  after = strstr (fixture->output->str + seen, "rst:0x1 (POWERON_RESET)");
  g_assert_nonnull (after);
  g_assert_nonnull (strstr (after, "this is the demo program, version 2"));
  g_assert_null (strstr (after, "version 1"));
  assert_summary (fixture, FS_BOARD_STEP_UPLOAD, FS_STEP_STATE_DONE, "Running flash-studio-virtual-demo");
}

/* The demo on a board that is not virtual is refused */
static void
test_demo_on_real_board (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(GPtrArray) profiles = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(FsPortInfo) port = NULL;
  g_autoptr(FsBoardSession) real = NULL;
  g_autoptr(FsLayout) layout = fs_layout_new_builtin ("esp32-8mb", NULL);
  g_autoptr(FsVmSet) set = fs_demo_new_vm_set (layout, FS_CHIP_ESP32, NULL);
  g_autoptr(FsDeviceRecord) record = fs_device_record_new ("24:0a:c4:00:00:07");
  g_autoptr(GError) error = NULL;

  /* A USB board: what opens it needs only a file there */
  g_autofree char *device = g_build_filename (data_home, "ttyUSB7", NULL);

  g_file_set_contents (device, "", 0, &error);
  g_assert_no_error (error);
  g_ptr_array_add (profiles, fs_board_profile_new_builtin (HELTEC, NULL));
  port = fs_port_info_new_usb (device, "/sys/devices/usb7", 0x10c4, 0xea60, "0007", NULL, NULL, profiles);
  fs_device_record_set_last_serial (record, "0007");
  g_assert_true (fs_device_registry_save (fixture->registry, record, &error));
  real = fs_board_session_new (port, fixture->registry, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fs_board_session_get_record (real));
  g_assert_false (fs_board_session_create_vm (real, set, &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT);
  g_assert_true (g_str_has_prefix (error->message, "The demo firmware is for the virtual board"));
}

/* An app-only package on an erased board: refused before anything is
 * written; on a board whose own bootloader is fine, written and booted */
static void
test_app_only (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GBytes) app = demo ("app");
  g_autoptr(FsLayout) layout = fs_layout_new_builtin ("esp32-8mb", NULL);
  g_autoptr(FsVmSet) set = fs_vm_set_new (app, NULL, "vm.bin", layout, FS_CHIP_ESP32, NULL);
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GBytes) bootloader = demo ("bootloader");
  g_autoptr(GError) error = NULL;

  fs_test_session_register (fixture->session);
  create_vm (fixture, set);
  before = flash_copy (fixture);
  g_assert_false (virtualize (fixture, FS_FLASH_SIZE_ASK, &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_WOULD_NOT_BOOT);
  g_assert_true (g_str_has_prefix (error->message, "There is no bootloader at 0x1000"));
  after = flash_copy (fixture);
  g_assert_true (g_bytes_equal (before, after));
  g_assert_cmpint (fs_board_session_get_step (fixture->session), ==, FS_BOARD_STEP_VIRTUALIZE);
  g_clear_error (&error);

  put_flash (fixture, 0x1000, bootloader);
  g_assert_true (virtualize (fixture, FS_FLASH_SIZE_ASK, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fs_boot_log_get_state (fs_board_session_get_boot (fixture->session)), ==, FS_BOOT_STATE_RUNS);
  g_assert_cmpint (fs_board_session_get_step (fixture->session), ==, FS_BOARD_STEP_UPLOAD);
}

/* A package whose bootloader was built for 2 MB: asked, nothing is
 * written; with the header set to the board's 8 MB, it boots */
static void
test_flash_size_fix (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GBytes) app = demo ("app");
  g_autoptr(GBytes) small = fs_test_bootloader_image (1);
  g_autoptr(FsLayout) layout = fs_layout_new_builtin ("esp32-8mb", NULL);
  g_autoptr(FsVmSet) set = fs_vm_set_new (app, small, "vm.bin", layout, FS_CHIP_ESP32, NULL);
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GBytes) written = NULL;
  g_autoptr(FsImage) image = NULL;
  g_autoptr(GError) error = NULL;

  fs_test_session_register (fixture->session);
  create_vm (fixture, set);
  before = flash_copy (fixture);
  g_assert_false (virtualize (fixture, FS_FLASH_SIZE_ASK, &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_FLASH_SIZE);
  after = flash_copy (fixture);
  g_assert_true (g_bytes_equal (before, after));
  g_clear_error (&error);

  g_assert_true (virtualize (fixture, FS_FLASH_SIZE_DETECT, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fs_boot_log_get_state (fs_board_session_get_boot (fixture->session)), ==, FS_BOOT_STATE_RUNS);
  g_clear_pointer (&after, g_bytes_unref);
  after = flash_copy (fixture);
  written = g_bytes_new_from_bytes (after, 0x1000, 0x7000);
  image = fs_image_new_from_bytes (written, NULL);
  g_assert_cmpuint (fs_image_get_flash_size (image), ==, 8 * MiB);
  g_assert_true (fs_image_get_digest_valid (image));
}

/* The steps follow the board: erased, it is at Virtualize; restored from
 * its original backup, it says what the backup runs */
static void
test_erase_and_restore (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(GBytes) bootloader = demo ("bootloader");
  g_autoptr(GBytes) app = fs_test_printing_app ("original-firmware", (const char *[]) { "FSSIM:PRINT:hi", NULL });
  FsTestFlash original = { bootloader, TRUE, 0, app, NULL, NULL };
  g_autoptr(GAsyncResult) erased = NULL;
  g_autoptr(GError) error = NULL;

  fs_test_session_register (fixture->session);
  create_demo_vm (fixture);
  g_assert_true (virtualize (fixture, FS_FLASH_SIZE_ASK, &error));
  g_assert_cmpint (fs_board_session_get_step (fixture->session), ==, FS_BOARD_STEP_UPLOAD);

  fs_board_session_erase_async (fixture->session, NULL, fs_test_session_done, &erased);
  g_assert_true (fs_board_session_run_finish (fixture->session, fs_test_session_wait (&erased), NULL, &error));
  g_assert_cmpint (fs_board_session_get_step (fixture->session), ==, FS_BOARD_STEP_VIRTUALIZE);
  assert_summary (fixture, FS_BOARD_STEP_VIRTUALIZE, FS_STEP_STATE_NEXT, "The flash was erased");
  assert_summary (fixture, FS_BOARD_STEP_UPLOAD, FS_STEP_STATE_WAITING, NULL);
  g_assert_null (fs_job_get_partition_table (fs_board_session_get_slot_job (fixture->session)));

  restore (fixture, &original);
  g_assert_cmpint (fs_board_session_get_step (fixture->session), ==, FS_BOARD_STEP_VIRTUALIZE);
  assert_summary (fixture, FS_BOARD_STEP_VIRTUALIZE, FS_STEP_STATE_NEXT,
                  "Backup backup.bin restored: Running original-firmware 1.2.3 from Zerynth VM (slot 0)");

  /* Virtualize again */
  g_assert_true (virtualize (fixture, FS_FLASH_SIZE_ASK, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fs_board_session_get_step (fixture->session), ==, FS_BOARD_STEP_UPLOAD);
}

/* The backup Register took of what the board came with, restored: the
 * original firmware is back, and runs */
static void
test_original_firmware (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(GBytes) original = fs_test_printing_flash ((const char *[]) { "FSSIM:PRINT:hello", NULL }, 0);
  g_autoptr(GAsyncResult) registered = NULL;
  g_autoptr(GAsyncResult) restored = NULL;
  g_autoptr(GError) error = NULL;
  const FsDeviceBackup *backup;

  put_flash (fixture, 0, original);
  fs_board_session_register_async (fixture->session, "desk", TRUE, NULL, fs_test_session_done, &registered);
  g_assert_true (fs_board_session_register_finish (fixture->session, fs_test_session_wait (&registered), &error));
  create_demo_vm (fixture);
  g_assert_true (virtualize (fixture, FS_FLASH_SIZE_ASK, &error));
  g_assert_cmpint (fs_board_session_get_step (fixture->session), ==, FS_BOARD_STEP_UPLOAD);

  backup = g_ptr_array_index (fs_device_record_get_backups (fs_board_session_get_record (fixture->session)), 0);
  fs_board_session_restore_async (fixture->session, backup->path, NULL, fs_test_session_done, &restored);
  g_assert_true (fs_board_session_run_finish (fixture->session, fs_test_session_wait (&restored), NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fs_board_session_get_step (fixture->session), ==, FS_BOARD_STEP_VIRTUALIZE);
  assert_summary (fixture, FS_BOARD_STEP_VIRTUALIZE, FS_STEP_STATE_NEXT,
                  "The original firmware is back: Running printer 1.2.3 from factory (0x010000)");
}

/* A VM that does not boot leaves the board at Virtualize, said why */
static void
test_vm_does_not_boot (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GBytes) bootloader = demo ("bootloader");
  g_autoptr(GBytes) crasher = fs_test_printing_app ("crashing-vm",
                                                    (const char *[]) { "FSSIM:PANIC:IllegalInstruction", NULL });
  g_autoptr(FsLayout) layout = fs_layout_new_builtin ("esp32-8mb", NULL);
  g_autoptr(FsVmSet) set = fs_vm_set_new (crasher, bootloader, "vm.bin", layout, FS_CHIP_ESP32, NULL);
  g_autoptr(GError) error = NULL;

  fs_test_session_register (fixture->session);
  create_vm (fixture, set);
  g_assert_true (virtualize (fixture, FS_FLASH_SIZE_ASK, &error));
  g_assert_cmpint (fs_boot_log_get_problem (fs_board_session_get_boot (fixture->session)), ==, FS_BOOT_PROBLEM_CRASH);
  g_assert_cmpint (fs_board_session_get_step (fixture->session), ==, FS_BOARD_STEP_VIRTUALIZE);
  assert_summary (fixture, FS_BOARD_STEP_VIRTUALIZE, FS_STEP_STATE_FAILED,
                  "The board does not boot: The app crashes as it starts, and again each time the board restarts it: "
                  "“Guru Meditation Error");
}

typedef struct {
  const char    *name;
  FsBootState    state;
  FsBootProblem  problem;
  const char    *reason;
} Verdict;

static void
assert_verdict (FsBootLog     *boot,
                const Verdict *verdict)
{
  g_test_message ("%s: %s", verdict->name, fs_boot_log_get_reason (boot));
  g_assert_cmpint (fs_boot_log_get_state (boot), ==, verdict->state);
  g_assert_cmpint (fs_boot_log_get_problem (boot), ==, verdict->problem);
  if (verdict->reason != NULL && strstr (fs_boot_log_get_reason (boot), verdict->reason) == NULL)
    g_error ("%s: “%s” not in “%s”", verdict->name, verdict->reason, fs_boot_log_get_reason (boot));
}

/* Each kind of board that does not boot, restored onto the board */
static void
test_restore_verdicts (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GBytes) bootloader = demo ("bootloader");
  g_autoptr(GBytes) small = fs_test_bootloader_image (1);
  g_autoptr(GBytes) app = demo ("app");
  g_autoptr(GBytes) printing = fs_test_printing_app ("blink", (const char *[]) { "FSSIM:PRINT:hi", NULL });
  g_autoptr(GBytes) damaged = fs_test_bytes_flip (printing, 0x121, 0x01);
  g_autoptr(GBytes) panics = fs_test_printing_app ("p", (const char *[]) { "FSSIM:PANIC:LoadProhibited", NULL });
  g_autoptr(GBytes) aborts = fs_test_printing_app ("a", (const char *[]) { "FSSIM:ABORT", NULL });
  g_autoptr(GBytes) browns = fs_test_printing_app ("b", (const char *[]) { "FSSIM:BROWNOUT", NULL });
  const struct {
    FsTestFlash flash;
    Verdict     verdict;
  } cases[] = {
    { { bootloader, TRUE, 0, app, NULL, NULL }, { "runs", FS_BOOT_STATE_RUNS, FS_BOOT_PROBLEM_NONE, NULL } },
    { { NULL, TRUE, 0, app, NULL, NULL },
      { "no bootloader", FS_BOOT_STATE_DOES_NOT_BOOT, FS_BOOT_PROBLEM_NO_BOOTLOADER, "no bootloader at 0x1000" } },
    { { small, TRUE, 0, app, NULL, NULL },
      { "2 MB bootloader", FS_BOOT_STATE_DOES_NOT_BOOT, FS_BOOT_PROBLEM_FLASH_SIZE, "built for 2 MB of flash" } },
    { { bootloader, FALSE, -1, NULL, NULL, NULL },
      { "no table", FS_BOOT_STATE_DOES_NOT_BOOT, FS_BOOT_PROBLEM_PARTITION_TABLE, "no partition table" } },
    { { bootloader, TRUE, 0, NULL, NULL, NULL },
      { "no app", FS_BOOT_STATE_DOES_NOT_BOOT, FS_BOOT_PROBLEM_NO_APP, "holds no app image" } },
    { { bootloader, TRUE, 0, damaged, NULL, NULL },
      { "checksum", FS_BOOT_STATE_DOES_NOT_BOOT, FS_BOOT_PROBLEM_APP_INVALID, "checksum is wrong" } },
    { { bootloader, TRUE, 0, damaged, app, NULL },
      { "fell back", FS_BOOT_STATE_DOES_NOT_BOOT, FS_BOOT_PROBLEM_FELL_BACK, "started the one in “vm1”" } },
    { { bootloader, TRUE, 0, panics, NULL, NULL },
      { "crash loop", FS_BOOT_STATE_DOES_NOT_BOOT, FS_BOOT_PROBLEM_CRASH, "Guru Meditation Error" } },
    { { bootloader, TRUE, 0, aborts, NULL, NULL },
      { "abort", FS_BOOT_STATE_DOES_NOT_BOOT, FS_BOOT_PROBLEM_CRASH, "abort() was called" } },
    { { bootloader, TRUE, 0, browns, NULL, NULL },
      { "brownout", FS_BOOT_STATE_DOES_NOT_BOOT, FS_BOOT_PROBLEM_BROWNOUT, "brownout" } },
  };

  fs_test_session_register (fixture->session);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_verdict (restore (fixture, &cases[i].flash), &cases[i].verdict);
}

/* Read at a baud the board does not talk at: nothing to go by */
static void
test_unknown (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(GBytes) bootloader = demo ("bootloader");
  g_autoptr(GBytes) app = demo ("app");
  FsTestFlash flash = { bootloader, TRUE, 0, app, NULL, NULL };
  FsMonitor *monitor = fs_board_session_get_monitor (fixture->session);
  g_autoptr(GError) error = NULL;
  FsBootLog *boot;

  fs_test_session_register (fixture->session);
  g_assert_true (fs_monitor_set_baud (monitor, 9600, &error));
  g_assert_true (fs_monitor_start (monitor, &error));
  boot = restore (fixture, &flash);
  g_assert_cmpint (fs_boot_log_get_state (boot), ==, FS_BOOT_STATE_UNKNOWN);
  g_assert_cmpstr (fs_boot_log_get_reason (boot), ==, "Nothing recognisable came from the board at 9600 baud.");
}

/* A FiPy reset by hand with the jumper still on: download mode */
static void
on_prompt (FsJob              *job,
           gint                kind,
           const char         *title,
           const char * const *steps,
           Fixture            *fixture)
{
  FsSimBoard *board = fs_test_session_sim_board (fixture->session);

  /* The user places the jumper to flash, and forgets it for the reset */
  fs_sim_board_set_jumper (board, TRUE);
  fs_sim_board_press_reset (board);
}

static void
on_job (FsBoardSession *session,
        GParamSpec     *pspec,
        Fixture        *fixture)
{
  FsJob *job = fs_board_session_get_job (session);

  if (job != NULL)
    g_signal_connect (job, "prompt", G_CALLBACK (on_prompt), fixture);
}

static void
test_download_mode (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GBytes) bootloader = demo ("bootloader");
  g_autoptr(GBytes) app = demo ("app");
  FsTestFlash flash = { bootloader, TRUE, 0, app, NULL, NULL };
  FsBootLog *boot;

  g_signal_connect (fixture->session, "notify::job", G_CALLBACK (on_job), fixture);
  fs_test_session_register (fixture->session);
  boot = restore (fixture, &flash);
  g_assert_cmpint (fs_boot_log_get_problem (boot), ==, FS_BOOT_PROBLEM_DOWNLOAD_MODE);
  g_assert_nonnull (strstr (fs_boot_log_get_hint (boot), "Remove the jumper"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;

  setlocale (LC_ALL, "C.UTF-8");
  data_home = g_dir_make_tmp ("fs-boot-check-XXXXXX", &error);
  g_assert_no_error (error);
  /* Before any thread: the registry and the virtual boards' flash go there */
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("FLASH_STUDIO_SIM_TIMING", "instant", TRUE);
  g_setenv ("HOME", "/nonexistent", TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, board, func) \
  g_test_add (path, Fixture, board, fixture_set_up, func, fixture_tear_down)
  ADD ("/boot-check/demo-flow", HELTEC, test_demo_flow);
  ADD ("/boot-check/demo-on-real-board", HELTEC, test_demo_on_real_board);
  ADD ("/boot-check/app-only", HELTEC, test_app_only);
  ADD ("/boot-check/flash-size-fix", HELTEC, test_flash_size_fix);
  ADD ("/boot-check/erase-and-restore", HELTEC, test_erase_and_restore);
  ADD ("/boot-check/original-firmware", HELTEC, test_original_firmware);
  ADD ("/boot-check/vm-does-not-boot", HELTEC, test_vm_does_not_boot);
  ADD ("/boot-check/restore-verdicts", HELTEC, test_restore_verdicts);
  ADD ("/boot-check/unknown", HELTEC, test_unknown);
  ADD ("/boot-check/download-mode", FIPY, test_download_mode);
#undef ADD
  return g_test_run ();
}

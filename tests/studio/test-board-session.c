/* test-board-session.c: the Register → Create VM → Virtualize → Upload flow
 * on the in-process virtual Heltec board
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <string.h>
#include <glib/gstdio.h>

#include "fs-board-session.h"
#include "fs-error.h"
#include "fs-flash.h"
#include "fs-merged.h"
#include "fs-test-image.h"
#include "fs-transport-sim.h"
#include "fs-test-session.h"
#include "fs-test-util.h"

#define BOARD "heltec-wifi-kit-32"

static char *data_home;

typedef struct {
  FsDeviceRegistry *registry;
  FsPortInfo       *port;
  FsBoardSession   *session;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->registry = fs_device_registry_new (NULL);
  fixture->session = fs_test_session_new (fixture->registry, BOARD);
  fixture->port = g_object_ref (fs_board_session_get_port (fixture->session));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_clear_object (&fixture->session);
  g_clear_object (&fixture->port);
  g_clear_object (&fixture->registry);
  fs_test_remove_tree (data_home);
}

static const guint8 *
board_flash (Fixture *fixture)
{
  FsTransport *transport = fs_board_session_get_transport (fixture->session);
  FsSimBoard *board = fs_transport_sim_get_board (FS_TRANSPORT_SIM (transport));

  return fs_sim_flash_get_data (fs_sim_board_get_flash (board));
}

static void
do_register (Fixture  *fixture,
             gboolean  backup_first)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  fs_board_session_register_async (fixture->session, "desk", backup_first, NULL, fs_test_session_done, &result);
  g_assert_nonnull (fs_board_session_get_job (fixture->session));
  fs_board_session_register_finish (fixture->session, fs_test_session_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_null (fs_board_session_get_job (fixture->session));
}

/* A package with a bootloader and an app, as a merged image on disk */
static char *
write_package (const char *name,
               GBytes     *app)
{
  g_autoptr(GBytes) merged = fs_test_factory_image (app, "esp32-8mb");
  char *path = g_build_filename (data_home, name, NULL);

  fs_test_write_bytes (path, merged);
  return path;
}

static void
do_create_vm (Fixture *fixture,
              GBytes  *app)
{
  g_autofree char *path = write_package ("factory.bin", app);
  g_autoptr(FsLayout) layout = fs_layout_new_builtin ("esp32-8mb", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(FsVmSet) set = fs_vm_set_new_from_file (path, layout, FS_CHIP_ESP32, &error);

  g_assert_no_error (error);
  fs_board_session_create_vm (fixture->session, set, &error);
  g_assert_no_error (error);
}

static gboolean
run_step (Fixture     *fixture,
          const char  *upload_path,
          FsJob      **job,
          GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  if (upload_path != NULL)
    fs_board_session_upload_async (fixture->session, upload_path, NULL, fs_test_session_done, &result);
  else
    fs_board_session_virtualize_async (fixture->session, FS_FLASH_SIZE_ASK, NULL, fs_test_session_done, &result);
  return fs_board_session_run_finish (fixture->session, fs_test_session_wait (&result), job, error);
}

/* After Virtualize: VM slot 0 boots and holds the VM; slot 1 is empty,
 * so there is nothing to switch to yet */
static void
check_slots (Fixture *fixture)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) switched = NULL;
  g_autoptr(GError) error = NULL;
  FsJob *job;

  fs_board_session_read_slots_async (fixture->session, NULL, fs_test_session_done, &result);
  g_assert_true (fs_board_session_run_finish (fixture->session, fs_test_session_wait (&result), NULL, &error));
  g_assert_no_error (error);
  job = fs_board_session_get_slot_job (fixture->session);
  g_assert_cmpint (fs_job_get_slot_state (job)->boot_slot, ==, 0);
  g_assert_cmpstr (fs_job_get_slot_title (job, 0), ==, "zerynth-vm 1.2.3");
  g_assert_null (fs_job_get_slot_title (job, 1));

  fs_board_session_switch_slot_async (fixture->session, -1, NULL, fs_test_session_done, &switched);
  g_assert_false (fs_board_session_run_finish (fixture->session, fs_test_session_wait (&switched), NULL, &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT);
  g_assert_cmpint (fs_board_session_get_previous_slot (fixture->session), ==, -1);
}

static void
test_flow (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autoptr(GBytes) vm = fs_test_app_image (FS_CHIP_ESP32, "zerynth-vm", 100 * 1024, 3);
  g_autoptr(GBytes) program = fs_test_app_image (FS_CHIP_ESP32, "blink", 20 * 1024, 4);
  g_autofree char *program_path = g_build_filename (data_home, "blink.bin", NULL);
  g_autoptr(FsBoardSession) again = NULL;
  g_autoptr(FsJob) job = NULL;
  g_autoptr(GError) error = NULL;
  FsDeviceRecord *record;
  const FsDeviceBackup *backup;
  g_autofree char *backup_md5 = NULL;
  g_autofree char *backup_data = NULL;
  gsize backup_len = 0;

  g_assert_cmpint (fs_board_session_get_step (fixture->session), ==, FS_BOARD_STEP_REGISTER);
  do_register (fixture, TRUE);
  record = fs_board_session_get_record (fixture->session);
  g_assert_nonnull (record);
  g_assert_cmpstr (fs_device_record_get_nickname (record), ==, "desk");
  g_assert_cmpstr (fs_device_record_get_board_id (record), ==, BOARD);
  g_assert_cmpuint (fs_device_record_get_chip (record)->flash_size, ==, 8 * 1024 * 1024);
  g_assert_cmpuint (fs_device_record_get_backups (record)->len, ==, 1);
  backup = g_ptr_array_index (fs_device_record_get_backups (record), 0);
  g_file_get_contents (backup->path, &backup_data, &backup_len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (backup_len, ==, 8 * 1024 * 1024);
  backup_md5 = g_compute_checksum_for_data (G_CHECKSUM_MD5, (const guint8 *) backup_data, backup_len);
  g_assert_cmpstr (backup->md5, ==, backup_md5);
  g_assert_cmpint (fs_board_session_get_step (fixture->session), ==, FS_BOARD_STEP_CREATE_VM);

  do_create_vm (fixture, vm);
  g_assert_cmpint (fs_board_session_get_step (fixture->session), ==, FS_BOARD_STEP_VIRTUALIZE);

  g_assert_true (run_step (fixture, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fs_board_session_get_step (fixture->session), ==, FS_BOARD_STEP_UPLOAD);
  g_assert_cmpmem (board_flash (fixture) + 0x10000, g_bytes_get_size (vm),
                   g_bytes_get_data (vm, NULL), g_bytes_get_size (vm));

  check_slots (fixture);

  g_file_set_contents (program_path, g_bytes_get_data (program, NULL), g_bytes_get_size (program), &error);
  g_assert_no_error (error);
  g_assert_true (run_step (fixture, program_path, &job, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fs_job_get_region (job, 0)->state, ==, FS_REGION_WRITTEN);
  g_clear_object (&job);
  /* The second upload of the same program finds it on the board */
  g_assert_true (run_step (fixture, program_path, &job, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fs_job_get_region (job, 0)->state, ==, FS_REGION_SKIPPED);

  /* The record is found again by the port's board */
  g_clear_object (&fixture->session);
  again = fs_board_session_new (fixture->port, fixture->registry, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fs_board_session_get_step (again), ==, FS_BOARD_STEP_UPLOAD);
  g_assert_cmpuint (fs_device_record_get_uploads (fs_board_session_get_record (again))->len, ==, 3);
}

/* Unplugged during Virtualize: the job says where it stopped; once the
 * board is back, Virtualize again completes, writing only the rest */
static void
test_unplug_and_resume (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(GBytes) vm = fs_test_app_image (FS_CHIP_ESP32, "zerynth-vm", 300 * 1024, 5);
  FsTransport *transport = fs_board_session_get_transport (fixture->session);
  FsSimBoard *board = fs_transport_sim_get_board (FS_TRANSPORT_SIM (transport));
  g_autoptr(FsJob) job = NULL;
  g_autoptr(GError) error = NULL;
  FsSimFaults faults = { 0 };
  guint vm_region;

  do_register (fixture, FALSE);
  do_create_vm (fixture, vm);
  faults.unplug_after = 200 * 1024;
  fs_sim_board_set_faults (board, &faults);
  g_assert_false (run_step (fixture, NULL, &job, &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_DISCONNECTED);
  vm_region = fs_job_get_n_regions (job) - 1;
  g_assert_cmpint (fs_job_get_region (job, vm_region)->state, ==, FS_REGION_INTERRUPTED);
  g_assert_cmpint (fs_board_session_get_step (fixture->session), ==, FS_BOARD_STEP_VIRTUALIZE);

  fs_sim_board_set_plugged (board, TRUE);
  while (!fs_sim_board_get_plugged (board))
    g_usleep (1000);
  g_clear_object (&job);
  g_clear_error (&error);
  run_step (fixture, NULL, &job, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fs_job_get_region (job, vm_region)->bytes_skipped, >, 0);
  g_assert_cmpint (fs_board_session_get_step (fixture->session), ==, FS_BOARD_STEP_UPLOAD);
  g_assert_cmpmem (board_flash (fixture) + 0x10000, g_bytes_get_size (vm),
                   g_bytes_get_data (vm, NULL), g_bytes_get_size (vm));
}

/* What the monitor handed on since it last let go of the port */
typedef struct {
  GString *text;
} Watch;

static void
on_monitor_data (FsMonitor *monitor,
                 GBytes    *bytes,
                 Watch     *watch)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);

  g_string_append_len (watch->text, data, len);
}

static void
on_monitor_state (FsMonitor  *monitor,
                  GParamSpec *pspec,
                  Watch      *watch)
{
  if (fs_monitor_get_state (monitor) == FS_MONITOR_STATE_PAUSED)
    g_string_truncate (watch->text, 0);
}

static void
wait_for_text (Watch      *watch,
               const char *text)
{
  gint64 end = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;

  while (strstr (watch->text->str, text) == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
wait_for_state (FsMonitor      *monitor,
                FsMonitorState  state)
{
  gint64 end = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;

  while (fs_monitor_get_state (monitor) != state)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* The monitor lets go of the port for Virtualize and reads again right
 * after the job's reset: the boot log is all there, from its first byte */
static void
test_monitor_around_jobs (Fixture       *fixture,
                          gconstpointer  user_data)
{
  const char * const strings[] = { "FSSIM:PRINT:\033[0;32mI (312) vm: ready\033[0m", NULL };
  g_autoptr(GBytes) vm = fs_test_printing_app ("zerynth-vm", strings);
  FsMonitor *monitor = fs_board_session_get_monitor (fixture->session);
  FsTransport *transport = fs_board_session_get_transport (fixture->session);
  FsSimBoard *board = fs_transport_sim_get_board (FS_TRANSPORT_SIM (transport));
  Watch watch = { g_string_new (NULL) };
  g_autofree char *boot_log = NULL;
  g_autoptr(GError) error = NULL;

  g_signal_connect (monitor, "data", G_CALLBACK (on_monitor_data), &watch);
  g_signal_connect (monitor, "notify::state", G_CALLBACK (on_monitor_state), &watch);
  do_register (fixture, FALSE);
  do_create_vm (fixture, vm);
  g_assert_true (fs_monitor_start (monitor, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fs_monitor_get_state (monitor), ==, FS_MONITOR_STATE_RUNNING);

  g_assert_true (run_step (fixture, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fs_monitor_get_state (monitor), ==, FS_MONITOR_STATE_RUNNING);
  wait_for_text (&watch, "I (312) vm: ready");
  boot_log = fs_sim_board_dup_boot_log (board);
  g_assert_true (g_str_has_prefix (watch.text->str, boot_log));
  g_assert_cmpstr (watch.text->str + strlen (boot_log), ==, "\033[0;32mI (312) vm: ready\033[0m\r\n");

  /* What is sent reaches the app, ending included */
  g_assert_true (fs_monitor_send (monitor, "led on", FS_LINE_ENDING_CRLF, &error));
  g_assert_no_error (error);
  for (gint64 end = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;; )
    {
      g_autoptr(GBytes) input = fs_sim_board_dup_console_input (board);

      if (g_bytes_get_size (input) == strlen ("led on\r\n"))
        {
          g_assert_cmpmem (g_bytes_get_data (input, NULL), g_bytes_get_size (input), "led on\r\n", 8);
          break;
        }
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_usleep (1000);
    }
  g_string_free (watch.text, TRUE);
  g_signal_handlers_disconnect_by_data (monitor, &watch);
}

/* Unplugged, the monitor waits for the board and reads again once it is
 * back (what a board prints as it powers on may come before its port) */
static void
test_monitor_reconnect (Fixture       *fixture,
                        gconstpointer  user_data)
{
  FsMonitor *monitor = fs_board_session_get_monitor (fixture->session);
  FsTransport *transport = fs_board_session_get_transport (fixture->session);
  FsSimBoard *board = fs_transport_sim_get_board (FS_TRANSPORT_SIM (transport));
  Watch watch = { g_string_new (NULL) };
  g_autoptr(GError) error = NULL;

  g_signal_connect (monitor, "data", G_CALLBACK (on_monitor_data), &watch);
  g_assert_true (fs_monitor_start (monitor, &error));
  g_assert_no_error (error);
  fs_sim_board_set_plugged (board, FALSE);
  wait_for_state (monitor, FS_MONITOR_STATE_DISCONNECTED);
  g_string_truncate (watch.text, 0);

  fs_sim_board_set_plugged (board, TRUE);
  wait_for_state (monitor, FS_MONITOR_STATE_RUNNING);
  g_assert_true (fs_monitor_reset (monitor, &error));
  g_assert_no_error (error);
  wait_for_text (&watch, "rst:0x1 (POWERON_RESET)");
  g_string_free (watch.text, TRUE);
  g_signal_handlers_disconnect_by_data (monitor, &watch);
}

/* The board back on another port: the session's link and its monitor
 * move there, and the monitor reads again at once */
static void
test_monitor_new_port (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(FsBoardProfile) profile = fs_board_profile_new_builtin (BOARD, NULL);
  g_autoptr(FsPortInfo) returning = fs_port_info_new_virtual (BOARD, profile);
  FsMonitor *monitor = fs_board_session_get_monitor (fixture->session);
  FsTransport *before = fs_board_session_get_transport (fixture->session);
  Watch watch = { g_string_new (NULL) };
  g_autoptr(GError) error = NULL;

  g_signal_connect (monitor, "data", G_CALLBACK (on_monitor_data), &watch);
  g_assert_true (fs_monitor_start (monitor, &error));
  g_assert_no_error (error);
  g_assert_true (fs_board_session_set_port (fixture->session, returning, &error));
  g_assert_no_error (error);
  g_assert_true (fs_board_session_get_port (fixture->session) == returning);
  g_assert_true (fs_board_session_get_transport (fixture->session) != before);
  g_assert_true (fs_monitor_get_transport (monitor) == fs_board_session_get_transport (fixture->session));
  g_assert_cmpint (fs_monitor_get_state (monitor), ==, FS_MONITOR_STATE_RUNNING);

  g_string_truncate (watch.text, 0);
  g_assert_true (fs_monitor_reset (monitor, &error));
  g_assert_no_error (error);
  wait_for_text (&watch, "rst:0x1 (POWERON_RESET)");
  g_string_free (watch.text, TRUE);
  g_signal_handlers_disconnect_by_data (monitor, &watch);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;

  setlocale (LC_ALL, "C.UTF-8");
  data_home = g_dir_make_tmp ("fs-board-session-XXXXXX", &error);
  g_assert_no_error (error);
  /* Before any thread: the registry and the virtual board's flash go there */
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("FLASH_STUDIO_SIM_TIMING", "instant", TRUE);
  g_setenv ("HOME", "/nonexistent", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/board-session/flow", Fixture, NULL, fixture_set_up, test_flow, fixture_tear_down);
  g_test_add ("/board-session/unplug-resume", Fixture, NULL, fixture_set_up, test_unplug_and_resume,
              fixture_tear_down);
  g_test_add ("/board-session/monitor-around-jobs", Fixture, NULL, fixture_set_up, test_monitor_around_jobs,
              fixture_tear_down);
  g_test_add ("/board-session/monitor-reconnect", Fixture, NULL, fixture_set_up, test_monitor_reconnect,
              fixture_tear_down);
  g_test_add ("/board-session/monitor-new-port", Fixture, NULL, fixture_set_up, test_monitor_new_port,
              fixture_tear_down);

  return g_test_run ();
}

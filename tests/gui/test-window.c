/* test-window.c: the real window, driven through the whole flow on the
 * in-process virtual boards (under Xvfb)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <string.h>
#include <glib/gstdio.h>

#include "fs-flash.h"
#include "fs-prompt-dialog.h"
#include "fs-test-gui.h"
#include "fs-test-job.h"
#include "fs-test-image.h"
#include "fs-transport-sim.h"
#include "fs-virtual-board-view.h"
#include "fs-window.h"

typedef struct {
  FsApplication *application;
  FsWindow      *window;
  FsJob         *last_job;
} Fixture;

static void
on_session_job (FsBoardSession *session,
                GParamSpec     *pspec,
                Fixture        *fixture)
{
  if (fs_board_session_get_job (session) != NULL)
    g_set_object (&fixture->last_job, fs_board_session_get_job (session));
}


static void
open_window (Fixture    *fixture,
             const char *board)
{
  fixture->application = fs_test_gui_application_new (board);
  fixture->window = fs_test_gui_window_new (fixture->application, 0, 0);
  g_signal_connect (fs_window_get_session (fixture->window), "notify::job",
                    G_CALLBACK (on_session_job), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->last_job);
  fs_test_gui_application_free (fixture->application);
  fs_test_gui_clear_data ();
}

static FsBoardSession *
session (Fixture *fixture)
{
  return fs_window_get_session (fixture->window);
}

static FsSimBoard *
sim_board (Fixture *fixture)
{
  return fs_test_gui_sim_board (fixture->window);
}

static const guint8 *
board_flash (Fixture *fixture)
{
  return fs_sim_flash_get_data (fs_sim_board_get_flash (sim_board (fixture)));
}

static const char *
primary_label (Fixture *fixture)
{
  GtkButton *button = GTK_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (fixture->window), FS_TYPE_WINDOW,
                                                                 "primary_button"));

  return gtk_button_get_label (button);
}

static void
wait_idle (Fixture *fixture)
{
  fs_test_gui_wait_idle (fixture->window);
}

static void
activate (Fixture    *fixture,
          const char *action,
          GVariant   *parameter)
{
  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (fixture->window), action, parameter));
}

static void
test_flow (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autoptr(GBytes) vm = fs_test_app_image (FS_CHIP_ESP32, "zerynth-vm", 96 * 1024, 3);
  g_autoptr(GBytes) program = fs_test_app_image (FS_CHIP_ESP32, "blink", 12 * 1024, 4);
  g_autofree char *package = fs_test_gui_write_package (vm);
  g_autofree char *program_path = fs_test_gui_input_path ("blink.bin");
  g_autoptr(FsLayout) layout = fs_layout_new_builtin ("esp32-8mb", NULL);
  const FsLayoutRegion *bytecode = fs_layout_find_slot (layout, FS_REGION_KIND_BYTECODE, 0);
  g_autoptr(GError) error = NULL;
  GtkLabel *board_label;
  GtkWidget *ports;
  AdwActionRow *row;

  open_window (fixture, "heltec-wifi-kit-32");
  g_assert_cmpstr (primary_label (fixture), ==, "_Register");

  fs_test_gui_register (fixture->window, "desk board", FALSE);
  wait_idle (fixture);
  g_assert_nonnull (fs_board_session_get_record (session (fixture)));
  g_assert_cmpstr (primary_label (fixture), ==, "_Create VM");
  board_label = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (fixture->window), FS_TYPE_WINDOW,
                                                          "board_label"));
  g_assert_cmpstr (gtk_label_get_text (board_label), ==, "desk board");
  /* The board list says so too */
  ports = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (fixture->window), FS_TYPE_WINDOW, "ports_list"));
  row = ADW_ACTION_ROW (fs_test_gui_find_child (ports, ADW_TYPE_ACTION_ROW));
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "desk board · registered · 24:0a:c4:00:84:c8");

  fs_test_gui_create_vm (fixture->window, package);
  g_assert_cmpstr (primary_label (fixture), ==, "_Virtualize");

  activate (fixture, "win.primary", NULL);
  wait_idle (fixture);
  g_assert_cmpint (fs_board_session_get_step (session (fixture)), ==, FS_BOARD_STEP_UPLOAD);
  g_assert_cmpstr (primary_label (fixture), ==, "_Upload");
  g_assert_cmpmem (board_flash (fixture) + 0x10000, g_bytes_get_size (vm), g_bytes_get_data (vm, NULL),
                   g_bytes_get_size (vm));
  g_assert_cmpuint (board_flash (fixture)[0x1000], ==, 0xE9);
  g_assert_cmpuint (board_flash (fixture)[0x8000], ==, 0xAA);

  g_file_set_contents (program_path, g_bytes_get_data (program, NULL), g_bytes_get_size (program), &error);
  g_assert_no_error (error);
  activate (fixture, "win.upload-file", g_variant_new_string (program_path));
  wait_idle (fixture);
  g_assert_cmpint (fs_job_get_region (fixture->last_job, 0)->state, ==, FS_REGION_WRITTEN);
  g_assert_cmpmem (board_flash (fixture) + bytecode->offset, g_bytes_get_size (program),
                   g_bytes_get_data (program, NULL), g_bytes_get_size (program));

  /* The second upload finds every sector on the board already */
  activate (fixture, "win.upload-file", g_variant_new_string (program_path));
  wait_idle (fixture);
  g_assert_cmpint (fs_job_get_region (fixture->last_job, 0)->state, ==, FS_REGION_SKIPPED);
  g_assert_cmpuint (fs_job_get_region (fixture->last_job, 0)->bytes_written, ==, 0);
}

static gboolean
no_prompt_open (gpointer user_data)
{
  return fs_test_gui_find_window (FS_TYPE_PROMPT_DIALOG) == NULL;
}

/* The switch of the row titled @title in @view */
static GtkSwitch *
virtual_switch (GtkWidget  *view,
                const char *title)
{
  GtkWidget *row = fs_test_gui_find_label (view, title);

  g_assert_nonnull (row);
  return GTK_SWITCH (fs_test_gui_find_child (row, GTK_TYPE_SWITCH));
}

static gboolean
switch_toggled (gpointer user_data)
{
  return GPOINTER_TO_INT (g_object_get_data (user_data, "toggled"));
}

static void
on_switch_toggled (GtkSwitch *widget)
{
  g_object_set_data (G_OBJECT (widget), "toggled", GINT_TO_POINTER (TRUE));
}

/* As a click does: the switch animates, then changes */
static void
toggle_virtual_switch (GtkWidget  *view,
                       const char *title)
{
  GtkSwitch *widget = virtual_switch (view, title);
  gulong handler = g_signal_connect (widget, "notify::active", G_CALLBACK (on_switch_toggled), NULL);

  g_object_set_data (G_OBJECT (widget), "toggled", NULL);
  gtk_widget_activate (GTK_WIDGET (widget));
  fs_test_gui_wait (switch_toggled, widget);
  g_signal_handler_disconnect (widget, handler);
}

static void
press_virtual_reset (GtkWidget *view)
{
  GtkWidget *row = fs_test_gui_find_label (view, "Reset Button");

  g_assert_nonnull (row);
  gtk_widget_activate (fs_test_gui_find_child (row, GTK_TYPE_BUTTON));
}

/* The FiPy has no reset lines: the dialog shows the jumper steps and the
 * virtual board's controls, the engine keeps syncing, and the dialog
 * closes once the board answers. Done with those controls only, as a
 * user does it. */
static void
test_fipy_prompt (Fixture       *fixture,
                  gconstpointer  user_data)
{
  GtkWindow *prompt;
  GtkWidget *view;
  GtkWidget *window_view;

  open_window (fixture, "pycom-fipy");
  window_view = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (fixture->window), FS_TYPE_WINDOW,
                                                           "virtual_board_view"));
  g_assert_true (gtk_widget_get_visible (window_view));
  fs_test_gui_register (fixture->window, "fipy", FALSE);
  prompt = fs_test_gui_wait_for_window (FS_TYPE_PROMPT_DIALOG);
  g_assert_nonnull (fs_test_gui_find_label (GTK_WIDGET (prompt), "Connect a jumper between GND and D0 (G23)."));
  /* Nothing happens until the user acts */
  fs_test_gui_run_for (500);
  g_assert_nonnull (fs_test_gui_find_window (FS_TYPE_PROMPT_DIALOG));
  g_assert_nonnull (fs_board_session_get_job (session (fixture)));

  view = fs_test_gui_find_child (GTK_WIDGET (prompt), FS_TYPE_VIRTUAL_BOARD_VIEW);
  g_assert_true (gtk_widget_get_visible (view));
  toggle_virtual_switch (view, "_Jumper from IO0 to GND");
  /* The window's own controls show the same board */
  g_assert_true (gtk_switch_get_active (virtual_switch (window_view, "_Jumper from IO0 to GND")));
  press_virtual_reset (view);
  fs_test_gui_wait (no_prompt_open, fixture);

  /* Step 4, in the window: its header's virtual board controls, the jumper off */
  wait_idle (fixture);
  gtk_menu_button_popup (GTK_MENU_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (fixture->window), FS_TYPE_WINDOW,
                                                                         "virtual_board_button")));
  fs_test_gui_run_for (100);
  g_assert_true (gtk_widget_get_mapped (window_view));
  toggle_virtual_switch (window_view, "_Jumper from IO0 to GND");
  wait_idle (fixture);
  g_assert_nonnull (fs_board_session_get_record (session (fixture)));
  g_assert_false (gtk_switch_get_active (virtual_switch (window_view, "_Jumper from IO0 to GND")));
}

static gboolean
failure_shown (gpointer user_data)
{
  return fs_test_gui_find_window (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

/* Unplugged during Virtualize: the window stays usable, says what
 * happened and offers Resume, which completes the job */
static void
test_unplug_resume (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GBytes) vm = fs_test_app_image (FS_CHIP_ESP32, "zerynth-vm", 300 * 1024, 5);
  g_autofree char *package = fs_test_gui_write_package (vm);
  FsSimFaults faults = { 0 };
  AdwMessageDialog *failure;

  open_window (fixture, "heltec-wifi-kit-32");
  fs_test_gui_register (fixture->window, "desk", FALSE);
  wait_idle (fixture);
  fs_test_gui_create_vm (fixture->window, package);

  faults.unplug_after = 150 * 1024;
  fs_sim_board_set_faults (sim_board (fixture), &faults);
  activate (fixture, "win.primary", NULL);
  wait_idle (fixture);
  fs_test_gui_wait (failure_shown, fixture);
  failure = ADW_MESSAGE_DIALOG (fs_test_gui_find_window (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_true (adw_message_dialog_has_response (failure, "resume"));
  g_assert_nonnull (strstr (fs_test_gui_message_text (failure), "stopped at 0x"));
  g_assert_cmpint (fs_job_get_region (fixture->last_job, fs_job_get_n_regions (fixture->last_job) - 1)->state,
                   ==, FS_REGION_INTERRUPTED);
  g_assert_cmpint (fs_board_session_get_step (session (fixture)), ==, FS_BOARD_STEP_VIRTUALIZE);
  /* The window still answers */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.board-info", NULL));

  fs_sim_board_set_plugged (sim_board (fixture), TRUE);
  while (!fs_sim_board_get_plugged (sim_board (fixture)))
    g_usleep (1000);
  adw_message_dialog_response (failure, "resume");
  gtk_window_close (GTK_WINDOW (failure));
  fs_test_gui_run_for (50);
  wait_idle (fixture);
  g_assert_cmpint (fs_board_session_get_step (session (fixture)), ==, FS_BOARD_STEP_UPLOAD);
  g_assert_cmpuint (fs_job_get_region (fixture->last_job, fs_job_get_n_regions (fixture->last_job) - 1)->bytes_skipped,
                    >, 0);
  g_assert_cmpmem (board_flash (fixture) + 0x10000, g_bytes_get_size (vm), g_bytes_get_data (vm, NULL),
                   g_bytes_get_size (vm));
}

/* An update the app wrote into VM slot 1 over the air, as FOTA does */
static void
write_update (Fixture *fixture,
              GBytes  *update)
{
  g_autoptr(FsJob) job = fs_job_new (FS_JOB_WRITE, fs_board_session_get_transport (session (fixture)));
  FsMonitor *monitor = fs_board_session_get_monitor (session (fixture));
  g_autoptr(GError) error = NULL;

  /* The window's monitor has the port: this job runs behind its back */
  fs_monitor_pause (monitor);
  fs_job_set_stub (job, FALSE, NULL);
  fs_job_add_region (job, "update.bin", 0x110000, update);
  fs_test_run_job (job, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (fs_monitor_start (monitor, &error));
  g_assert_no_error (error);
}

static char *
boot_log_after_reset (Fixture *fixture)
{
  g_assert_true (fs_sim_board_wait_mode (sim_board (fixture), FS_SIM_MODE_RUN, 5000));
  return fs_sim_board_dup_boot_log (sim_board (fixture));
}

/* Answers the confirmation of a slot switch, after checking it names the
 * slot and what it holds */
static void
confirm_switch (Fixture    *fixture,
                const char *action,
                const char *slot,
                const char *image)
{
  AdwMessageDialog *dialog;
  GtkWidget *view = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (fixture->window), FS_TYPE_WINDOW, "flash_view"));

  g_assert_true (gtk_widget_activate_action (view, action, NULL));
  dialog = ADW_MESSAGE_DIALOG (fs_test_gui_wait_for_window (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), slot));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), image));
  adw_message_dialog_response (dialog, "switch");
  gtk_window_close (GTK_WINDOW (dialog));
  fs_test_gui_run_for (50);
  wait_idle (fixture);
}

static void
test_slots (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(GBytes) vm = fs_test_app_image (FS_CHIP_ESP32, "zerynth-vm", 64 * 1024, 3);
  g_autoptr(GBytes) update = fs_test_app_image (FS_CHIP_ESP32, "zerynth-vm-next", 64 * 1024, 6);
  g_autofree char *package = fs_test_gui_write_package (vm);
  g_autofree char *log = NULL;
  FsJob *slots;

  open_window (fixture, "heltec-wifi-kit-32");
  fs_test_gui_register (fixture->window, "desk", FALSE);
  wait_idle (fixture);
  fs_test_gui_create_vm (fixture->window, package);
  activate (fixture, "win.primary", NULL);
  wait_idle (fixture);
  write_update (fixture, update);

  activate (fixture, "win.read-slots", NULL);
  wait_idle (fixture);
  slots = fs_board_session_get_slot_job (session (fixture));
  g_assert_cmpint (fs_job_get_slot_state (slots)->boot_slot, ==, 0);
  g_assert_cmpstr (fs_job_get_slot_title (slots, 1), ==, "zerynth-vm-next 1.2.3");

  confirm_switch (fixture, "flash.boot-other-slot", "VM slot 1 (ota_1)", "zerynth-vm-next 1.2.3");
  g_assert_cmpint (fs_job_get_slot_state (fs_board_session_get_slot_job (session (fixture)))->boot_slot, ==, 1);
  log = boot_log_after_reset (fixture);
  g_assert_nonnull (strstr (log, "Loaded app from partition at offset 0x110000"));

  confirm_switch (fixture, "flash.roll-back", "VM slot 0 (ota_0)", "zerynth-vm 1.2.3");
  g_clear_pointer (&log, g_free);
  log = boot_log_after_reset (fixture);
  g_assert_nonnull (strstr (log, "Loaded app from partition at offset 0x10000"));
}

static gboolean
monitor_disconnected (gpointer user_data)
{
  return fs_monitor_get_state (fs_board_session_get_monitor (session (user_data))) == FS_MONITOR_STATE_DISCONNECTED;
}

static gboolean
monitor_running (gpointer user_data)
{
  return fs_monitor_get_state (fs_board_session_get_monitor (session (user_data))) == FS_MONITOR_STATE_RUNNING;
}

/* The cable out with the window's own controls: the board goes away and
 * comes back as a real one does, and a job then runs on it */
static void
test_cable (Fixture       *fixture,
            gconstpointer  user_data)
{
  GtkWidget *view;

  open_window (fixture, "heltec-wifi-kit-32");
  view = fs_test_gui_window_child (fixture->window, "virtual_board_view");
  fs_test_gui_wait (monitor_running, fixture);
  gtk_menu_button_popup (fs_test_gui_window_child (fixture->window, "virtual_board_button"));
  fs_test_gui_run_for (100);
  g_assert_true (gtk_widget_get_mapped (view));

  toggle_virtual_switch (view, "USB _Cable Plugged In");
  g_assert_false (fs_sim_board_get_plugged (sim_board (fixture)));
  fs_test_gui_wait (monitor_disconnected, fixture);

  toggle_virtual_switch (view, "USB _Cable Plugged In");
  g_assert_true (fs_sim_board_get_plugged (sim_board (fixture)));
  fs_test_gui_wait (monitor_running, fixture);
  fs_test_gui_register (fixture->window, "desk", FALSE);
  wait_idle (fixture);
  g_assert_nonnull (fs_board_session_get_record (session (fixture)));
}

int
main (int   argc,
      char *argv[])
{
  if (!fs_test_gui_init (&argc, &argv))
    return 77;

  g_test_add ("/window/flow", Fixture, NULL, NULL, test_flow, fixture_tear_down);
  g_test_add ("/window/fipy-prompt", Fixture, NULL, NULL, test_fipy_prompt, fixture_tear_down);
  g_test_add ("/window/unplug-resume", Fixture, NULL, NULL, test_unplug_resume, fixture_tear_down);
  g_test_add ("/window/slots", Fixture, NULL, NULL, test_slots, fixture_tear_down);
  g_test_add ("/window/cable", Fixture, NULL, NULL, test_cable, fixture_tear_down);

  return g_test_run ();
}

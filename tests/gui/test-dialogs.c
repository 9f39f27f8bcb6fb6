/* test-dialogs.c: Create VM, Board Info, Preferences and the shortcuts
 * window, in real windows, on the in-process virtual Heltec board
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "fs-board-info-window.h"
#include "fs-create-vm-dialog.h"
#include "fs-flash.h"
#include "fs-gui-resources.h"
#include "fs-merged.h"
#include "fs-preferences-window.h"
#include "fs-test-image.h"
#include "fs-test-util.h"

#define BOARD "heltec-wifi-kit-32"

static char *data_home;

typedef struct {
  char             *dir;        /* the packages of a test */
  FsDeviceRegistry *registry;
  FsPortInfo       *port;
  FsBoardSession   *session;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(FsBoardProfile) profile = fs_board_profile_new_builtin (BOARD, NULL);
  g_autoptr(GError) error = NULL;

  fixture->dir = g_build_filename (data_home, "packages", NULL);
  g_assert_cmpint (g_mkdir_with_parents (fixture->dir, 0700), ==, 0);
  fixture->registry = fs_device_registry_new (NULL);
  fixture->port = fs_port_info_new_virtual (BOARD, profile);
  fixture->session = fs_board_session_new (fixture->port, fixture->registry, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_clear_object (&fixture->session);
  g_clear_object (&fixture->port);
  g_clear_object (&fixture->registry);
  g_free (fixture->dir);
  fs_test_remove_tree (data_home);
  g_assert_cmpint (g_mkdir_with_parents (data_home, 0700), ==, 0);
}

static void
done (GObject      *source,
      GAsyncResult *result,
      gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
do_register (Fixture *fixture)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  fs_board_session_register_async (fixture->session, "desk", FALSE, NULL, done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  fs_board_session_register_finish (fixture->session, result, &error);
  g_assert_no_error (error);
}

static char *
write_file (Fixture    *fixture,
            const char *name,
            GBytes     *data)
{
  char *path = g_build_filename (fixture->dir, name, NULL);

  fs_test_write_bytes (path, data);
  return path;
}

/* A merged image with a bootloader, a partition table and @app, as a
 * factory image is */
static char *
write_package (Fixture *fixture,
               GBytes  *app)
{
  g_autoptr(GBytes) merged = fs_test_factory_image (app, "esp32-8mb-ble");

  return write_file (fixture, "factory.bin", merged);
}

typedef gboolean (*WidgetTest) (GtkWidget *widget, gconstpointer data);

static GtkWidget *
find_widget (GtkWidget     *root,
             WidgetTest     test,
             gconstpointer  data)
{
  if (test (root, data))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, test, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
has_action (GtkWidget     *widget,
            gconstpointer  action_name)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action_name) == 0;
}

static gboolean
is_shown_error (GtkWidget     *widget,
                gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "error") && gtk_widget_get_visible (widget);
}

static gboolean
is_label (GtkWidget     *widget,
          gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && gtk_widget_is_drawable (widget) &&
         g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

/* The switch of the row titled @title */
static gboolean
is_switch_of (GtkWidget     *widget,
              gconstpointer  title)
{
  GtkWidget *row = gtk_widget_get_ancestor (widget, ADW_TYPE_PREFERENCES_ROW);

  return GTK_IS_SWITCH (widget) && row != NULL &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), title) == 0;
}

static gboolean
is_combo_row (GtkWidget     *widget,
              gconstpointer  data)
{
  return ADW_IS_COMBO_ROW (widget);
}

/* Shown, then laid out, so that is_drawable() says what a user sees */
static void
present (GtkWindow *window)
{
  gtk_window_present (window);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

static gboolean
create_is_enabled (FsCreateVmDialog *dialog)
{
  GtkWidget *button = find_widget (GTK_WIDGET (dialog), has_action, "create-vm.create");

  g_assert_nonnull (button);
  return gtk_widget_get_sensitive (button);
}

static void
test_create_vm_valid (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GBytes) vm = fs_test_app_image (FS_CHIP_ESP32, "zerynth-vm", 100 * 1024, 3);
  g_autofree char *path = write_package (fixture, vm);
  FsCreateVmDialog *dialog = fs_create_vm_dialog_new (fixture->session);
  g_autofree char *layout = NULL;

  present (GTK_WINDOW (dialog));
  g_object_get (dialog, "layout", &layout, NULL);
  g_assert_cmpstr (layout, ==, "esp32-8mb");
  /* Nothing chosen yet: nothing wrong, nothing to create */
  g_assert_null (fs_create_vm_dialog_get_problem (dialog));
  g_assert_false (create_is_enabled (dialog));

  fs_create_vm_dialog_set_file (dialog, path);
  g_assert_null (fs_create_vm_dialog_get_problem (dialog));
  g_assert_null (find_widget (GTK_WIDGET (dialog), is_shown_error, NULL));
  g_assert_true (create_is_enabled (dialog));
  /* The package's title, from its app description */
  g_assert_nonnull (find_widget (GTK_WIDGET (dialog), is_label, "zerynth-vm 1.2.3"));
  /* The preview lists the layout's regions, the VM slot marked */
  g_assert_nonnull (find_widget (GTK_WIDGET (dialog), is_label, "0x010000 – 0x10ffff"));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_create_vm_wrong_chip (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(GBytes) c3 = fs_test_app_image (FS_CHIP_ESP32_C3, "c3", 1024, 1);
  g_autofree char *path = write_file (fixture, "c3.bin", c3);
  FsCreateVmDialog *dialog = fs_create_vm_dialog_new (fixture->session);
  GtkWidget *label;

  do_register (fixture);
  present (GTK_WINDOW (dialog));
  fs_create_vm_dialog_set_file (dialog, path);
  g_assert_nonnull (strstr (fs_create_vm_dialog_get_problem (dialog), "ESP32-C3"));
  label = find_widget (GTK_WIDGET (dialog), is_shown_error, NULL);
  g_assert_nonnull (label);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, fs_create_vm_dialog_get_problem (dialog));
  g_assert_false (create_is_enabled (dialog));
  /* Not even the action goes through */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "create-vm.create", NULL);
  g_assert_cmpint (fs_board_session_get_step (fixture->session), ==, FS_BOARD_STEP_CREATE_VM);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* Whether a package fits depends on the layout's VM slot: 1 MiB without
 * BLE, 1216 KiB with it */
static void
test_create_vm_layout (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GBytes) vm = fs_test_app_image (FS_CHIP_ESP32, "zerynth-vm", 1100 * 1024, 4);
  g_autofree char *path = write_package (fixture, vm);
  FsCreateVmDialog *dialog = fs_create_vm_dialog_new (fixture->session);

  present (GTK_WINDOW (dialog));
  fs_create_vm_dialog_set_file (dialog, path);
  g_assert_nonnull (strstr (fs_create_vm_dialog_get_problem (dialog), "but only 1 MiB are available for it"));
  g_assert_false (create_is_enabled (dialog));

  fs_create_vm_dialog_set_layout (dialog, "esp32-8mb-ble");
  g_assert_null (fs_create_vm_dialog_get_problem (dialog));
  g_assert_null (find_widget (GTK_WIDGET (dialog), is_shown_error, NULL));
  g_assert_true (create_is_enabled (dialog));
  g_assert_nonnull (find_widget (GTK_WIDGET (dialog), is_label, "0x010000 – 0x13ffff"));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_create_vm_create (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GBytes) vm = fs_test_app_image (FS_CHIP_ESP32, "zerynth-vm", 100 * 1024, 3);
  g_autofree char *path = write_package (fixture, vm);
  g_autoptr(FsCreateVmDialog) dialog = g_object_ref_sink (fs_create_vm_dialog_new (fixture->session));
  g_autoptr(FsLayout) layout = NULL;

  do_register (fixture);
  present (GTK_WINDOW (dialog));
  fs_create_vm_dialog_set_layout (dialog, "esp32-8mb-ble");
  fs_create_vm_dialog_set_file (dialog, path);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "create-vm.create", NULL);

  g_assert_null (fs_create_vm_dialog_get_problem (dialog));
  g_assert_cmpint (fs_board_session_get_step (fixture->session), ==, FS_BOARD_STEP_VIRTUALIZE);
  layout = fs_board_session_dup_layout (fixture->session);
  g_assert_cmpstr (fs_layout_get_name (layout), ==, "esp32-8mb-ble");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (dialog)));
}

/* What fs_board_session_create_vm() refuses shows inline, and the dialog stays */
static void
test_create_vm_unregistered (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autoptr(GBytes) vm = fs_test_app_image (FS_CHIP_ESP32, "zerynth-vm", 100 * 1024, 3);
  g_autofree char *path = write_package (fixture, vm);
  FsCreateVmDialog *dialog = fs_create_vm_dialog_new (fixture->session);
  GtkWidget *label;

  present (GTK_WINDOW (dialog));
  fs_create_vm_dialog_set_file (dialog, path);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "create-vm.create", NULL);
  g_assert_cmpstr (fs_create_vm_dialog_get_problem (dialog), ==, "Register the board first");
  label = find_widget (GTK_WIDGET (dialog), is_shown_error, NULL);
  g_assert_nonnull (label);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, "Register the board first");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_board_info_steps (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(FsBoardProfile) fipy = fs_board_profile_new_builtin ("pycom-fipy", NULL);
  const char * const *steps = fs_board_profile_get_steps (fipy);
  FsBoardInfoWindow *window;

  fs_board_session_set_profile (fixture->session, fipy);
  window = fs_board_info_window_new (fixture->session);
  present (GTK_WINDOW (window));
  g_assert_nonnull (find_widget (GTK_WIDGET (window), is_label, "Pycom FiPy 1.0"));
  g_assert_cmpuint (g_strv_length ((char **) steps), ==, 4);
  for (guint i = 0; steps[i] != NULL; i++)
    {
      g_autofree char *number = g_strdup_printf ("%u", i + 1);

      g_assert_nonnull (find_widget (GTK_WIDGET (window), is_label, steps[i]));
      g_assert_nonnull (find_widget (GTK_WIDGET (window), is_label, number));
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Registering while the window is open shows what the board is */
static void
test_board_info_record (Fixture       *fixture,
                        gconstpointer  user_data)
{
  FsBoardInfoWindow *window = fs_board_info_window_new (fixture->session);

  present (GTK_WINDOW (window));
  g_assert_nonnull (find_widget (GTK_WIDGET (window), is_label, "Heltec Wi-Fi Kit 32"));
  g_assert_null (find_widget (GTK_WIDGET (window), is_label, "MAC Address"));

  do_register (fixture);
  present (GTK_WINDOW (window));
  g_assert_nonnull (find_widget (GTK_WIDGET (window), is_label, "desk"));
  g_assert_nonnull (find_widget (GTK_WIDGET (window), is_label,
                                 fs_device_record_get_mac (fs_board_session_get_record (fixture->session))));
  g_assert_nonnull (find_widget (GTK_WIDGET (window), is_label, "8 MiB"));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Which loader the last job ran, and where the stub came from */
static void
test_board_info_loader (Fixture       *fixture,
                        gconstpointer  user_data)
{
  const char *stub = g_getenv ("FS_STUB_JSON");
  g_autofree char *from = g_strdup_printf ("The stub loader, from %s", stub);
  FsBoardInfoWindow *window;

  if (stub == NULL || !g_file_test (stub, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no stub loader: build-aux/run-tests installs esptool-js's into tests/interop");
      return;
    }
  window = fs_board_info_window_new (fixture->session);
  present (GTK_WINDOW (window));
  g_assert_nonnull (find_widget (GTK_WIDGET (window), is_label, "Known after the first job"));

  fs_board_session_set_stub_path (fixture->session, stub);
  do_register (fixture);
  present (GTK_WINDOW (window));
  g_assert_true (fs_job_get_used_stub (fs_board_session_get_last_job (fixture->session)));
  g_assert_nonnull (find_widget (GTK_WIDGET (window), is_label, from));
  g_assert_null (find_widget (GTK_WIDGET (window), is_label, "Known after the first job"));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_preferences (void)
{
  g_autoptr(GSettings) settings = g_settings_new (SCHEMA_ID);
  FsPreferencesWindow *window = fs_preferences_window_new (settings);
  GtkWidget *backup;
  GtkWidget *baud;

  present (GTK_WINDOW (window));
  backup = find_widget (GTK_WIDGET (window), is_switch_of, "Back Up Before the First Write");
  g_assert_nonnull (backup);
  g_assert_true (g_settings_get_boolean (settings, "backup-before-first-write"));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (backup)));
  gtk_widget_activate (backup);
  g_assert_false (g_settings_get_boolean (settings, "backup-before-first-write"));

  baud = find_widget (GTK_WIDGET (window), is_combo_row, NULL);
  g_assert_nonnull (baud);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (baud)), ==, 0);
  adw_combo_row_set_selected (ADW_COMBO_ROW (baud), 4);
  g_assert_cmpuint (g_settings_get_uint (settings, "default-baud"), ==, 921600);
  g_settings_set_uint (settings, "default-baud", 115200);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (baud)), ==, 1);
  /* A rate the list does not offer shows as the board's default */
  g_settings_set_uint (settings, "default-baud", 57600);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (baud)), ==, 0);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_help_overlay (void)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/io/github/flashstudio/FlashStudio/gtk/help-overlay.ui");
  GObject *overlay = gtk_builder_get_object (builder, "help_overlay");

  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  gtk_window_destroy (GTK_WINDOW (overlay));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  setlocale (LC_ALL, "C.UTF-8");
  data_home = g_dir_make_tmp ("fs-dialogs-XXXXXX", &error);
  g_assert_no_error (error);
  /* Before any thread: the registry and the virtual board's flash go there */
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("FLASH_STUDIO_SIM_TIMING", "instant", TRUE);
  g_setenv ("HOME", "/nonexistent", TRUE);
  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    {
      /* TAP's way of skipping a whole program */
      printf ("1..0 # SKIP no display\n");
      fs_test_remove_tree (data_home);
      return 0;
    }
  adw_init ();
  /* A switch flips at once, as a user sees it at the end of its animation */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  /* Pulls the resources out of the static library */
  g_assert_nonnull (fs_gui_get_resource ());

  g_test_add ("/dialogs/create-vm/valid", Fixture, NULL, fixture_set_up, test_create_vm_valid, fixture_tear_down);
  g_test_add ("/dialogs/create-vm/wrong-chip", Fixture, NULL, fixture_set_up, test_create_vm_wrong_chip,
              fixture_tear_down);
  g_test_add ("/dialogs/create-vm/layout", Fixture, NULL, fixture_set_up, test_create_vm_layout,
              fixture_tear_down);
  g_test_add ("/dialogs/create-vm/create", Fixture, NULL, fixture_set_up, test_create_vm_create,
              fixture_tear_down);
  g_test_add ("/dialogs/create-vm/unregistered", Fixture, NULL, fixture_set_up, test_create_vm_unregistered,
              fixture_tear_down);
  g_test_add ("/dialogs/board-info/steps", Fixture, NULL, fixture_set_up, test_board_info_steps,
              fixture_tear_down);
  g_test_add ("/dialogs/board-info/record", Fixture, NULL, fixture_set_up, test_board_info_record,
              fixture_tear_down);
  g_test_add ("/dialogs/board-info/loader", Fixture, NULL, fixture_set_up, test_board_info_loader,
              fixture_tear_down);
  g_test_add_func ("/dialogs/preferences", test_preferences);
  g_test_add_func ("/dialogs/help-overlay", test_help_overlay);

  status = g_test_run ();
  fs_test_remove_tree (data_home);
  return status;
}

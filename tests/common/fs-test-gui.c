/* fs-test-gui.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <glib/gstdio.h>

#include "fs-create-vm-dialog.h"
#include "fs-flash.h"
#include "fs-merged.h"
#include "fs-partition-table.h"
#include "fs-test-gui.h"
#include "fs-test-image.h"
#include "fs-test-util.h"
#include "fs-transport-sim.h"

#define WAIT_LIMIT_US (60 * G_USEC_PER_SEC)

static char *test_home;

gboolean
fs_test_gui_init (int    *argc,
                  char ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *config = NULL;

  setlocale (LC_ALL, "C.UTF-8");
  test_home = g_dir_make_tmp ("fs-test-gui-XXXXXX", &error);
  g_assert_no_error (error);
  data = g_build_filename (test_home, "data", NULL);
  config = g_build_filename (test_home, "config", NULL);
  /* Before GTK or any thread reads them */
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  /* A benchmark times the board as it is modelled */
  if (g_getenv ("FS_TEST_MODELLED_TIMING") == NULL)
    g_setenv ("FLASH_STUDIO_SIM_TIMING", "instant", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_test_init (argc, argv, NULL);
  /* A headless session lacks services a desktop has (notifications): GTK
   * and GIO warn about them, which is no failure; criticals are */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  if (!gtk_init_check ())
    return FALSE;
  adw_init ();
  return TRUE;
}

FsApplication *
fs_test_gui_application_new (const char *board_id)
{
  static guint n_applications;
  FsApplication *application = fs_application_new ();
  g_autofree char *id = g_strdup_printf ("%s.Test%u", g_application_get_application_id (G_APPLICATION (application)),
                                         ++n_applications);
  g_autoptr(GError) error = NULL;

  /* Each on the session bus under a name of its own: one that is gone
   * may still be exported until its last reference goes */
  g_application_set_application_id (G_APPLICATION (application), id);
  g_application_set_flags (G_APPLICATION (application), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (application), NULL, &error);
  g_assert_no_error (error);
  fs_port_discovery_set_virtual_board_id (fs_application_get_discovery (application), board_id);
  return application;
}

void
fs_test_gui_application_free (FsApplication *application)
{
  fs_test_gui_run_for (50);
  g_object_unref (application);
}

void
fs_test_gui_clear_data (void)
{
  /* Only ever the test's own folder: GLib keeps the first answer of
   * g_get_user_data_dir(), so make sure it is the one set above */
  g_assert_true (g_str_has_prefix (g_get_user_data_dir (), test_home));
  if (g_file_test (g_get_user_data_dir (), G_FILE_TEST_IS_DIR))
    fs_test_remove_tree (g_get_user_data_dir ());
}

void
fs_test_gui_close (FsApplication *application,
                   FsWindow      *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  fs_test_gui_application_free (application);
  fs_test_gui_clear_data ();
}

FsWindow *
fs_test_gui_window_new (FsApplication *application,
                        int            width,
                        int            height)
{
  FsWindow *window = fs_window_new (application);

  if (width > 0 && height > 0)
    gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  fs_test_gui_wait_for_session (window);
  return window;
}

gpointer
fs_test_gui_window_child (FsWindow   *window,
                          const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (window), FS_TYPE_WINDOW, name);

  g_assert_nonnull (child);
  return child;
}

void
fs_test_gui_wait (GSourceFunc done,
                  gpointer    user_data)
{
  gint64 limit = g_get_monotonic_time () + WAIT_LIMIT_US;

  while (!done (user_data))
    {
      if (g_get_monotonic_time () > limit)
        g_error ("waited a minute in vain");
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gboolean
time_is_up (gpointer user_data)
{
  return g_get_monotonic_time () >= *(gint64 *) user_data;
}

void
fs_test_gui_run_for (guint milliseconds)
{
  gint64 until = g_get_monotonic_time () + milliseconds * 1000;

  fs_test_gui_wait (time_is_up, &until);
}

GtkWindow *
fs_test_gui_find_window (GType type)
{
  g_autoptr(GListModel) toplevels = gtk_window_get_toplevels ();

  g_object_ref (toplevels);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static gboolean
window_shown (gpointer user_data)
{
  return fs_test_gui_find_window (*(GType *) user_data) != NULL;
}

GtkWindow *
fs_test_gui_wait_for_window (GType type)
{
  fs_test_gui_wait (window_shown, &type);
  return fs_test_gui_find_window (type);
}

GtkWidget *
fs_test_gui_find_child (GtkWidget *root,
                        GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;
      found = fs_test_gui_find_child (child, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWidget *
fs_test_gui_find_label (GtkWidget  *root,
                        const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if ((GTK_IS_LABEL (child) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (child)), text) == 0) ||
          (ADW_IS_PREFERENCES_ROW (child) &&
           g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)), text) == 0))
        return child;
      found = fs_test_gui_find_label (child, text);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
is_laid_out (gpointer user_data)
{
  return gtk_widget_get_mapped (user_data) && gtk_widget_get_width (user_data) > 0;
}

const char *
fs_test_gui_message_text (AdwMessageDialog *dialog)
{
  GtkWidget *extra = adw_message_dialog_get_extra_child (dialog);
  GtkWidget *label = extra != NULL ? fs_test_gui_find_child (extra, GTK_TYPE_LABEL) : NULL;
  GtkWidget *scrolled = extra != NULL ? gtk_widget_get_ancestor (label, GTK_TYPE_SCROLLED_WINDOW) : NULL;
  int natural = 0;

  g_assert_nonnull (label);
  g_assert_true (gtk_label_get_selectable (GTK_LABEL (label)));
  fs_test_gui_wait (is_laid_out, label);
  /* Whole at its width: all of it is there to scroll to */
  gtk_widget_measure (label, GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (label), NULL, &natural, NULL, NULL);
  g_assert_cmpint (gtk_widget_get_height (label), >=, natural);
  g_assert_cmpint (gtk_label_get_ellipsize (GTK_LABEL (label)), ==, PANGO_ELLIPSIZE_NONE);
  /* And as much as fits seen at once, without scrolling a sliver */
  g_assert_nonnull (scrolled);
  g_assert_cmpint (gtk_widget_get_height (scrolled), >=, MIN (natural, 300));
  return gtk_label_get_text (GTK_LABEL (label));
}

char *
fs_test_gui_input_path (const char *name)
{
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  return g_build_filename (g_get_user_data_dir (), name, NULL);
}

char *
fs_test_gui_write_package (GBytes *vm)
{
  g_autoptr(GBytes) merged = fs_test_factory_image (vm, "esp32-8mb");
  char *path = fs_test_gui_input_path ("vm-factory.bin");

  fs_test_write_bytes (path, merged);
  return path;
}

void
fs_test_gui_register (FsWindow   *window,
                      const char *nickname,
                      gboolean    backup)
{
  AdwMessageDialog *dialog;
  GtkWidget *form;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.primary", NULL));
  dialog = ADW_MESSAGE_DIALOG (fs_test_gui_wait_for_window (ADW_TYPE_MESSAGE_DIALOG));
  form = adw_message_dialog_get_extra_child (dialog);
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_first_child (form)), nickname);
  gtk_switch_set_active (GTK_SWITCH (fs_test_gui_find_child (form, GTK_TYPE_SWITCH)), backup);
  adw_message_dialog_response (dialog, "register");
  gtk_window_close (GTK_WINDOW (dialog));
}

static gboolean
step_is_virtualize (gpointer user_data)
{
  return fs_board_session_get_step (fs_window_get_session (user_data)) == FS_BOARD_STEP_VIRTUALIZE;
}

void
fs_test_gui_create_vm (FsWindow   *window,
                       const char *package)
{
  FsCreateVmDialog *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.primary", NULL));
  dialog = FS_CREATE_VM_DIALOG (fs_test_gui_wait_for_window (FS_TYPE_CREATE_VM_DIALOG));
  fs_create_vm_dialog_set_layout (dialog, "esp32-8mb");
  fs_create_vm_dialog_set_file (dialog, package);
  g_assert_cmpstr (fs_create_vm_dialog_get_problem (dialog), ==, NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "create-vm.create", NULL));
  fs_test_gui_wait (step_is_virtualize, window);
}

static gboolean
is_idle (gpointer user_data)
{
  return fs_board_session_get_job (fs_window_get_session (user_data)) == NULL;
}

void
fs_test_gui_wait_idle (FsWindow *window)
{
  fs_test_gui_wait (is_idle, window);
}

static gboolean
has_session (gpointer user_data)
{
  return fs_window_get_session (user_data) != NULL;
}

FsBoardSession *
fs_test_gui_wait_for_session (FsWindow *window)
{
  fs_test_gui_wait (has_session, window);
  return fs_window_get_session (window);
}

FsSimBoard *
fs_test_gui_sim_board (FsWindow *window)
{
  FsTransport *transport = fs_board_session_get_transport (fs_window_get_session (window));

  return fs_transport_sim_get_board (FS_TRANSPORT_SIM (transport));
}

char *
fs_test_gui_terminal_text (FsMonitorView *view)
{
  VteTerminal *terminal = fs_monitor_view_get_terminal (view);
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (terminal));

  return vte_terminal_get_text_range (terminal, (glong) gtk_adjustment_get_lower (adjustment), 0,
                                      (glong) gtk_adjustment_get_upper (adjustment),
                                      vte_terminal_get_column_count (terminal) - 1, NULL, NULL, NULL);
}

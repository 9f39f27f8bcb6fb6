/* test-messages.c: what the window says after a job, read as a user reads
 * it at the window's smallest size: where a write went, in a toast, and
 * whole in its details; a failure whole, and copied whole (under Xvfb)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "fs-test-gui.h"
#include "fs-test-image.h"

typedef struct {
  FsApplication *application;
  FsWindow      *window;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GBytes) vm = fs_test_app_image (FS_CHIP_ESP32, "zerynth-vm", 96 * 1024, 3);
  g_autofree char *package = fs_test_gui_write_package (vm);

  fixture->application = fs_test_gui_application_new ("heltec-wifi-kit-32");
  fixture->window = fs_test_gui_window_new (fixture->application, 800, 600);
  fs_test_gui_register (fixture->window, "desk", FALSE);
  fs_test_gui_wait_idle (fixture->window);
  fs_test_gui_create_vm (fixture->window, package);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  fs_test_gui_close (fixture->application, fixture->window);
}

static void
virtualize (Fixture *fixture)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.primary", NULL));
  fs_test_gui_run_for (50);
  fs_test_gui_wait_idle (fixture->window);
}

static void
upload (Fixture    *fixture,
        const char *path)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.upload-file", "s", path));
  fs_test_gui_run_for (50);
  fs_test_gui_wait_idle (fixture->window);
}

static GtkWidget *
find_label_starting (GtkWidget  *root,
                     const char *start)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_LABEL (child) && g_str_has_prefix (gtk_label_get_text (GTK_LABEL (child)), start))
        return child;
      found = find_label_starting (child, start);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* What the toast's title shows of @text, read whole: @text itself, or
 * where the window is too narrow for it, its first words and "…" */
static const char *
toast_title (Fixture    *fixture,
             const char *text)
{
  g_autofree char *first_word = g_strndup (text, strcspn (text, " "));
  GtkWidget *label = find_label_starting (fs_test_gui_window_child (fixture->window, "toast_overlay"), first_word);
  const char *title;
  int natural = 0;

  g_assert_nonnull (label);
  fs_test_gui_run_for (300);
  gtk_widget_measure (label, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
  g_assert_cmpint (gtk_widget_get_width (label), >=, natural);
  title = gtk_label_get_text (GTK_LABEL (label));
  if (g_strcmp0 (title, text) != 0)
    {
      g_assert_true (g_str_has_suffix (title, "…"));
      g_assert_true (strncmp (title, text, strlen (title) - strlen ("…")) == 0);
    }
  return title;
}

/* The toast's Details button, pressed as a user would */
static AdwMessageDialog *
open_details (Fixture *fixture)
{
  GtkWidget *overlay = fs_test_gui_window_child (fixture->window, "toast_overlay");
  GtkWidget *label = fs_test_gui_find_label (overlay, "Details");

  g_assert_nonnull (label);
  gtk_widget_activate (gtk_widget_get_ancestor (label, GTK_TYPE_BUTTON));
  return ADW_MESSAGE_DIALOG (fs_test_gui_wait_for_window (ADW_TYPE_MESSAGE_DIALOG));
}

static void
close_dialog (AdwMessageDialog *dialog,
              const char       *response)
{
  adw_message_dialog_response (dialog, response);
  gtk_window_close (GTK_WINDOW (dialog));
  fs_test_gui_run_for (50);
}

/* Virtualize writes several regions: the toast gives the totals, its
 * details each region, where it went, and that the board runs */
#define SUMMARY "128.6\u00a0KiB written, 4 KiB already there, in 4 regions"
static void
test_write_details (Fixture       *fixture,
                    gconstpointer  user_data)
{
  AdwMessageDialog *details;
  const char *text;

  virtualize (fixture);
  g_assert_cmpstr (toast_title (fixture, SUMMARY), ==, SUMMARY);
  details = open_details (fixture);
  text = fs_test_gui_message_text (details);
  g_assert_cmpstr (text, ==,
                   SUMMARY "\n\n"
                   "25.3\u00a0KiB written: Bootloader at 0x001000\n"
                   "3 KiB written: Partition table at 0x008000\n"
                   /* Its second sector is erased, as the board's */
                   "4 KiB written, 4 KiB already there: Esp32 OTA data at 0x00D000\n"
                   "96.3\u00a0KiB written: Zerynth VM (slot 0) at 0x010000\n\n"
                   "Running zerynth-vm 1.2.3 from Zerynth VM (slot 0)");
  close_dialog (details, "close");
}

#define WRITTEN "12.3\u00a0KiB written: blink.bin → Zerynth Bytecode (slot 0) at 0x210000"
#define THERE "All 12.3\u00a0KiB already there: blink.bin → Zerynth Bytecode (slot 0) at 0x210000"

/* An upload: the toast says where the program went, the details that the
 * board runs it; a second upload finds it there */
static void
test_upload_toast (Fixture       *fixture,
                   gconstpointer  user_data)
{
  /* 12 KiB of program, and the image's header */
  g_autoptr(GBytes) program = fs_test_app_image (FS_CHIP_ESP32, "blink", 12 * 1024, 4);
  g_autofree char *path = fs_test_gui_input_path ("blink.bin");
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *details;

  virtualize (fixture);
  g_file_set_contents (path, g_bytes_get_data (program, NULL), g_bytes_get_size (program), &error);
  g_assert_no_error (error);
  upload (fixture, path);
  /* At 800 px, the amounts at least */
  g_assert_true (g_str_has_prefix (toast_title (fixture, WRITTEN), "12.3\u00a0KiB written: blink.bin → Zerynth"));
  details = open_details (fixture);
  g_assert_true (g_str_has_prefix (fs_test_gui_message_text (details), WRITTEN "\n\nRunning "));
  close_dialog (details, "close");

  upload (fixture, path);
  g_assert_true (g_str_has_prefix (toast_title (fixture, THERE), "All 12.3\u00a0KiB already there: blink.bin"));
}

/* A backup is listed under the day and time it was made, as people write them */
static void
test_backup_date (Fixture       *fixture,
                  gconstpointer  user_data)
{
  FsBoardSession *session = fs_window_get_session (fixture->window);
  GPtrArray *backups;
  const FsDeviceBackup *backup;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *month = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.backup", NULL));
  fs_test_gui_run_for (50);
  fs_test_gui_wait_idle (fixture->window);
  backups = fs_device_record_get_backups (fs_board_session_get_record (session));
  g_assert_cmpuint (backups->len, ==, 1);
  backup = g_ptr_array_index (backups, 0);
  local = g_date_time_to_local (backup->date);
  month = g_date_time_format (local, "%B");
  expected = g_strdup_printf ("%d %s %d, %02d:%02d", g_date_time_get_day_of_month (local), month,
                              g_date_time_get_year (local),
                              g_date_time_get_hour (local), g_date_time_get_minute (local));
  g_assert_nonnull (fs_test_gui_find_label (fs_test_gui_window_child (fixture->window, "flash_view"), expected));
}

static gboolean
dialog_shown (gpointer user_data)
{
  return fs_test_gui_find_window (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

static void
on_text_read (GObject      *clipboard,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **text = user_data;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (clipboard), result, NULL);
}

static gboolean
has_text (gpointer user_data)
{
  return *(char **) user_data != NULL;
}

/* The board unplugged mid-write: the failure is read whole, at 800×600,
 * and Copy puts all of it on the clipboard */
static void
test_failure_whole (Fixture       *fixture,
                    gconstpointer  user_data)
{
  FsSimFaults faults = { .unplug_after = 60 * 1024 };
  g_autofree char *copied = NULL;
  g_autofree char *shown = NULL;
  AdwMessageDialog *failure;

  fs_sim_board_set_faults (fs_test_gui_sim_board (fixture->window), &faults);
  virtualize (fixture);
  fs_test_gui_wait (dialog_shown, NULL);
  failure = ADW_MESSAGE_DIALOG (fs_test_gui_find_window (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpstr (adw_message_dialog_get_heading (failure), ==, "The Job Failed");
  shown = g_strdup (fs_test_gui_message_text (failure));
  g_assert_nonnull (strstr (shown, "stopped at 0x"));
  g_assert_true (g_str_has_suffix (shown, "Plug the board back in, then choose Resume: what is written "
                                          "already is kept."));

  close_dialog (failure, "copy");
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (fixture->window)), NULL, on_text_read,
                                 &copied);
  fs_test_gui_wait (has_text, &copied);
  g_assert_cmpstr (copied, ==, shown);
}

int
main (int   argc,
      char *argv[])
{
  if (!fs_test_gui_init (&argc, &argv))
    return 77;

  g_test_add ("/messages/write-details", Fixture, NULL, fixture_set_up, test_write_details, fixture_tear_down);
  g_test_add ("/messages/upload-toast", Fixture, NULL, fixture_set_up, test_upload_toast, fixture_tear_down);
  g_test_add ("/messages/backup-date", Fixture, NULL, fixture_set_up, test_backup_date, fixture_tear_down);
  g_test_add ("/messages/failure-whole", Fixture, NULL, fixture_set_up, test_failure_whole, fixture_tear_down);
  return g_test_run ();
}

/* fs-window-actions.c: what the window's actions do, and the jobs they run
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "fs-board-info-window.h"
#include "fs-create-vm-dialog.h"
#include "fs-demo.h"
#include "fs-error.h"
#include "fs-flash.h"
#include "fs-prompt-dialog.h"
#include "fs-window-private.h"

static void virtualize (FsWindow        *self,
                        FsFlashSizeMode  flash_size);

/* ---- the job running on the board ---- */

static void
on_job_prompt (FsJob              *job,
               gint                kind,
               const char         *title,
               const char * const *steps,
               FsWindow           *self)
{
  FsPromptDialog *dialog = fs_prompt_dialog_new (job, kind, title, steps, self->cancellable);

  if (self->prompt != NULL)
    gtk_window_close (self->prompt);
  g_set_weak_pointer (&self->prompt, GTK_WINDOW (dialog));
  self->prompt_kind = kind;
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_job_prompt_done (FsJob    *job,
                    gint      kind,
                    FsWindow *self)
{
  fs_window_toast (self, _("Board detected"));
}

/* Said once: the same note on every job ("using the ROM loader") is noise */
static void
on_job_note (FsJob      *job,
             const char *message,
             FsWindow   *self)
{
  if (g_hash_table_add (self->notes_shown, g_strdup (message)))
    fs_window_toast (self, message);
}

void
fs_window_follow_job (FsBoardSession *session,
                      GParamSpec     *pspec,
                      FsWindow       *self)
{
  FsJob *job = fs_board_session_get_job (session);

  if (job != NULL)
    {
      g_signal_connect_object (job, "prompt", G_CALLBACK (on_job_prompt), self, 0);
      g_signal_connect_object (job, "prompt-done", G_CALLBACK (on_job_prompt_done), self, 0);
      g_signal_connect_object (job, "note", G_CALLBACK (on_job_note), self, 0);
    }
  /* A job that ended waits for nobody; a reset prompt stays to be read,
   * unless the board was heard starting */
  else if (self->prompt != NULL &&
           (self->prompt_kind == FS_JOB_PROMPT_DOWNLOAD_MODE || fs_board_session_get_boot (session) != NULL))
    gtk_window_close (self->prompt);
  fs_job_view_set_job (self->job_view, job);
  fs_window_update_view (self);
}

void
fs_window_cancel_job (FsJobView *view,
                      FsWindow  *self)
{
  g_cancellable_cancel (self->cancellable);
}

/* A new cancellable for the next job: the last one may be cancelled */
static GCancellable *
job_cancellable (FsWindow *self)
{
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  return self->cancellable;
}

static void
on_boot_failure_response (AdwMessageDialog *dialog,
                          const char       *response,
                          FsWindow         *self)
{
  if (g_strcmp0 (response, "monitor") == 0)
    adw_view_stack_set_visible_child_name (self->view_stack, "monitor");
}

/* The write went well, the board does not start: why, and what to do */
static void
show_boot_failure (FsWindow  *self,
                   FsBootLog *boot)
{
  AdwMessageDialog *dialog;
  const char *hint = fs_boot_log_get_hint (boot);

  fs_window_dismiss_toast (self);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("The Board Does Not Boot"), NULL));
  if (hint != NULL)
    adw_message_dialog_format_body (dialog, "%s\n\n%s", fs_boot_log_get_reason (boot), hint);
  else
    adw_message_dialog_set_body (dialog, fs_boot_log_get_reason (boot));
  adw_message_dialog_add_responses (dialog, "close", _("_Close"), "monitor", _("Show the _Monitor"), NULL);
  adw_message_dialog_set_default_response (dialog, "close");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_boot_failure_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Where the write went, then what the board did after it: a step is
 * done when it runs */
static void
announce_write (FsWindow  *self,
                FsJob     *job,
                FsBootLog *boot)
{
  g_autofree char *written = fs_job_get_kind (job) != FS_JOB_SLOT_SWITCH
                             ? fs_board_session_describe_write (self->session, job) : NULL;
  g_autofree char *booted = boot != NULL ? fs_board_session_describe_boot (self->session, boot) : NULL;
  g_autofree char *text = NULL;

  if (boot != NULL && fs_boot_log_get_state (boot) == FS_BOOT_STATE_DOES_NOT_BOOT)
    {
      show_boot_failure (self, boot);
      return;
    }
  if (written != NULL && booted != NULL)
    text = g_strdup_printf ("%s\n\n%s", written, booted);
  fs_window_announce (self, text != NULL ? text : written != NULL ? written : booted);
}

static void
on_flash_size_response (AdwMessageDialog *dialog,
                        const char       *response,
                        FsWindow         *self)
{
  if (g_strcmp0 (response, "set") == 0 && self->session != NULL)
    virtualize (self, FS_FLASH_SIZE_DETECT);
}

/* The bootloader's header names too small a flash for the layout: what
 * esptool's --flash-size does, offered before anything is written */
static void
offer_flash_size (FsWindow     *self,
                  const GError *error)
{
  FsDeviceRecord *record = fs_board_session_get_record (self->session);
  const FsDeviceChip *chip = record != NULL ? fs_device_record_get_chip (record) : NULL;
  g_autofree char *size = fs_format_size (chip != NULL ? chip->flash_size : 0);
  g_autofree char *label = g_strdup_printf (_("_Set to %s and Write"), size);
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Set the Bootloader’s Flash Size?"),
                                                       NULL));
  adw_message_dialog_format_body (dialog, "%s\n\n%s", error->message,
                                  _("Flash Studio can write the bootloader with its header saying the board’s "
                                    "flash size, as esptool’s --flash-size does. Nothing has been written yet."));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "set", label, NULL);
  adw_message_dialog_set_response_appearance (dialog, "set", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "set");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_flash_size_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
run_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(FsWindow) self = user_data;
  g_autoptr(FsJob) job = NULL;
  g_autoptr(GError) error = NULL;
  FsBootLog *boot;
  FsJobKind kind;

  if (!fs_board_session_run_finish (FS_BOARD_SESSION (source), result, &job, &error))
    {
      if (g_error_matches (error, FS_ERROR, FS_ERROR_FLASH_SIZE))
        offer_flash_size (self, error);
      else if (g_error_matches (error, FS_ERROR, FS_ERROR_WOULD_NOT_BOOT))
        fs_window_show_failure (self, _("Nothing Was Written"), error);
      else
        fs_window_show_failure (self, _("The Job Failed"), error);
      return;
    }
  self->last_action = LAST_NONE;
  kind = job != NULL ? fs_job_get_kind (job) : FS_JOB_IDENTIFY;
  /* The jobs that reset the board into its firmware checked its boot */
  boot = kind == FS_JOB_WRITE || kind == FS_JOB_RESTORE || kind == FS_JOB_SLOT_SWITCH
         ? fs_board_session_get_boot (FS_BOARD_SESSION (source)) : NULL;
  if (kind == FS_JOB_WRITE || kind == FS_JOB_RESTORE || (kind == FS_JOB_SLOT_SWITCH && boot != NULL))
    announce_write (self, job, boot);
  else if (kind == FS_JOB_ERASE)
    fs_window_announce (self, _("The whole flash is erased"));
  else
    fs_window_announce (self, _("Done"));
}

/* ---- the steps ---- */

static void
register_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(FsWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!fs_board_session_register_finish (FS_BOARD_SESSION (source), result, &error))
    fs_window_show_failure (self, _("The Board Could Not Be Registered"), error);
  else
    fs_window_announce (self, _("Board registered"));
}

static void
on_register_response (AdwMessageDialog *dialog,
                      const char       *response,
                      FsWindow         *self)
{
  GtkEditable *nickname = g_object_get_data (G_OBJECT (dialog), "nickname");
  GtkSwitch *backup = g_object_get_data (G_OBJECT (dialog), "backup");

  if (g_strcmp0 (response, "register") != 0 || self->session == NULL)
    return;
  fs_board_session_register_async (self->session, gtk_editable_get_text (nickname),
                                   gtk_switch_get_active (backup), job_cancellable (self),
                                   register_done, g_object_ref (self));
}

static GtkWidget *
register_form (AdwMessageDialog *dialog,
               gboolean          backup_default)
{
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *nickname = adw_entry_row_new ();
  GtkWidget *backup_row = adw_action_row_new ();
  GtkWidget *backup = gtk_switch_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (nickname), _("Nickname"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (backup_row), _("Back up the whole flash first"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (backup_row),
                               _("Its original firmware can then always be restored"));
  gtk_switch_set_active (GTK_SWITCH (backup), backup_default);
  gtk_widget_set_valign (backup, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (backup_row), backup);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (backup_row), backup);
  gtk_list_box_append (GTK_LIST_BOX (list), nickname);
  gtk_list_box_append (GTK_LIST_BOX (list), backup_row);
  g_object_set_data (G_OBJECT (dialog), "nickname", nickname);
  g_object_set_data (G_OBJECT (dialog), "backup", backup);
  return list;
}

static void
ask_register (FsWindow *self)
{
  GSettings *settings = fs_application_get_settings (self->application);
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Register This Board"),
                                                       _("Flash Studio reads the chip’s facts and "
                                                         "remembers the board by its MAC address.")));
  adw_message_dialog_set_extra_child (dialog, register_form (dialog,
                                                             g_settings_get_boolean (settings, "backup-before-first-write")));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "register", _("_Register"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "register", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "register");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_register_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
virtualize (FsWindow        *self,
            FsFlashSizeMode  flash_size)
{
  self->last_action = LAST_VIRTUALIZE;
  fs_board_session_virtualize_async (self->session, flash_size, job_cancellable (self), run_done,
                                     g_object_ref (self));
}

static void
upload_file (FsWindow   *self,
             const char *path)
{
  self->last_action = LAST_UPLOAD;
  g_free (self->last_path);
  self->last_path = g_strdup (path);
  fs_board_session_upload_async (self->session, path, job_cancellable (self), run_done, g_object_ref (self));
}

static void
restore_file (FsWindow   *self,
              const char *path)
{
  self->last_action = LAST_RESTORE;
  g_free (self->last_path);
  self->last_path = g_strdup (path);
  fs_board_session_restore_async (self->session, path, job_cancellable (self), run_done, g_object_ref (self));
}

typedef void (*FileFunc) (FsWindow *self, const char *path);

static void
on_file_chosen (GtkNativeDialog *chooser,
                int              response,
                FsWindow        *self)
{
  FileFunc func = g_object_get_data (G_OBJECT (chooser), "func");

  if (response == GTK_RESPONSE_ACCEPT && self->session != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);

      if (path != NULL)
        func (self, path);
    }
  g_object_unref (chooser);
}

static void
choose_file (FsWindow   *self,
             const char *title,
             const char *accept,
             FileFunc    func)
{
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self),
                                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                                               accept, _("_Cancel"));
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Firmware images"));
  gtk_file_filter_add_pattern (filter, "*.bin");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_object_set_data (G_OBJECT (chooser), "func", func);
  g_signal_connect (chooser, "response", G_CALLBACK (on_file_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
primary (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  FsWindow *self = FS_WINDOW (widget);

  switch (fs_board_session_get_step (self->session))
    {
    case FS_BOARD_STEP_REGISTER:
      gtk_widget_activate_action (widget, "win.register", NULL);
      break;
    case FS_BOARD_STEP_CREATE_VM:
      gtk_widget_activate_action (widget, "win.create-vm", NULL);
      break;
    case FS_BOARD_STEP_VIRTUALIZE:
      gtk_widget_activate_action (widget, "win.virtualize", NULL);
      break;
    case FS_BOARD_STEP_UPLOAD:
    default:
      gtk_widget_activate_action (widget, "win.upload", NULL);
      break;
    }
}

static void
action_register (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  ask_register (FS_WINDOW (widget));
}

static void
action_create_vm (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  FsWindow *self = FS_WINDOW (widget);
  FsCreateVmDialog *dialog = fs_create_vm_dialog_new (self->session);

  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
action_virtualize (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  virtualize (FS_WINDOW (widget), FS_FLASH_SIZE_ASK);
}

static void
upload_demo_program (FsWindow   *self,
                     const char *part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) program = fs_demo_dup_part (part, &error);
  g_autofree char *name = g_strdup_printf ("demo-%s.bin", part);

  if (program == NULL)
    {
      fs_window_show_failure (self, _("The Demo Program Is Missing"), error);
      return;
    }
  self->last_action = LAST_NONE;
  fs_board_session_upload_bytes_async (self->session, name, program, job_cancellable (self), run_done,
                                       g_object_ref (self));
}

static void
on_upload_response (AdwMessageDialog *dialog,
                    const char       *response,
                    FsWindow         *self)
{
  if (self->session == NULL || g_strcmp0 (response, "cancel") == 0)
    return;
  if (g_strcmp0 (response, "file") == 0)
    choose_file (self, _("Upload a Program"), _("_Upload"), upload_file);
  else
    upload_demo_program (self, response);
}

/* The demo VM runs the demo's programs: they come first */
static void
ask_demo_program (FsWindow *self)
{
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Upload a Program"),
                                                       _("The demo VM runs the demo’s programs: upload one, then "
                                                         "the other, and watch the monitor change. A file of "
                                                         "your own works too.")));
  /* Stacked, the last one added comes first */
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "file", _("Choose a _File…"),
                                    "program-2", _("Demo Program _2"), "program-1", _("Demo Program _1"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "program-1", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "program-1");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_upload_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
action_upload (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  FsWindow *self = FS_WINDOW (widget);

  if (fs_board_session_get_has_demo_vm (self->session))
    ask_demo_program (self);
  else
    choose_file (self, _("Upload a Program"), _("_Upload"), upload_file);
}

static void
action_upload_file (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  upload_file (FS_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
action_backup (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  FsWindow *self = FS_WINDOW (widget);

  fs_board_session_backup_async (self->session, job_cancellable (self), run_done, g_object_ref (self));
}

static void
action_restore (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  choose_file (FS_WINDOW (widget), _("Restore a Backup"), _("_Restore"), restore_file);
}

static void
on_erase_response (AdwMessageDialog *dialog,
                   const char       *response,
                   FsWindow         *self)
{
  if (g_strcmp0 (response, "erase") != 0 || self->session == NULL)
    return;
  fs_board_session_erase_async (self->session, job_cancellable (self), run_done, g_object_ref (self));
}

static void
action_erase (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  FsWindow *self = FS_WINDOW (widget);
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Erase the Whole Flash?"),
                                                       _("Everything on the board is lost: its firmware, "
                                                         "its programs and its data. Backups kept by "
                                                         "Flash Studio stay.")));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "erase", _("_Erase"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "erase", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_erase_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
action_board_info (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  FsWindow *self = FS_WINDOW (widget);
  FsBoardInfoWindow *info = fs_board_info_window_new (self->session);

  gtk_window_set_transient_for (GTK_WINDOW (info), GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (info));
}

static void
action_resume (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  FsWindow *self = FS_WINDOW (widget);
  g_autofree char *path = g_strdup (self->last_path);

  switch (self->last_action)
    {
    case LAST_VIRTUALIZE:
      virtualize (self, FS_FLASH_SIZE_ASK);
      break;
    case LAST_UPLOAD:
      upload_file (self, path);
      break;
    case LAST_RESTORE:
      restore_file (self, path);
      break;
    case LAST_NONE:
    default:
      break;
    }
}

static void
action_read_slots (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  FsWindow *self = FS_WINDOW (widget);

  fs_board_session_read_slots_async (self->session, job_cancellable (self), run_done, g_object_ref (self));
}

static void
action_switch_slot (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  FsWindow *self = FS_WINDOW (widget);

  fs_board_session_switch_slot_async (self->session, g_variant_get_int32 (parameter), job_cancellable (self),
                                      run_done, g_object_ref (self));
}

static void
action_restore_backup (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  restore_file (FS_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
action_delete_backup (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  FsWindow *self = FS_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (!fs_board_session_delete_backup (self->session, g_variant_get_string (parameter, NULL), &error))
    fs_window_show_failure (self, _("The Backup Could Not Be Deleted"), error);
  else
    fs_window_toast (self, _("Backup deleted"));
}

static void
action_use_virtual_board (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  FsWindow *self = FS_WINDOW (widget);

  g_settings_set_boolean (fs_application_get_settings (self->application), "show-virtual-board", TRUE);
}

void
fs_window_class_install_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.primary", NULL, primary);
  gtk_widget_class_install_action (widget_class, "win.register", NULL, action_register);
  gtk_widget_class_install_action (widget_class, "win.create-vm", NULL, action_create_vm);
  gtk_widget_class_install_action (widget_class, "win.virtualize", NULL, action_virtualize);
  gtk_widget_class_install_action (widget_class, "win.upload", NULL, action_upload);
  gtk_widget_class_install_action (widget_class, "win.upload-file", "s", action_upload_file);
  gtk_widget_class_install_action (widget_class, "win.backup", NULL, action_backup);
  gtk_widget_class_install_action (widget_class, "win.restore", NULL, action_restore);
  gtk_widget_class_install_action (widget_class, "win.erase", NULL, action_erase);
  gtk_widget_class_install_action (widget_class, "win.board-info", NULL, action_board_info);
  gtk_widget_class_install_action (widget_class, "win.resume", NULL, action_resume);
  gtk_widget_class_install_action (widget_class, "win.use-virtual-board", NULL, action_use_virtual_board);
  gtk_widget_class_install_action (widget_class, "win.read-slots", NULL, action_read_slots);
  gtk_widget_class_install_action (widget_class, "win.switch-slot", "i", action_switch_slot);
  gtk_widget_class_install_action (widget_class, "win.restore-backup", "s", action_restore_backup);
  gtk_widget_class_install_action (widget_class, "win.delete-backup", "s", action_delete_backup);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "win.primary", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_u, GDK_CONTROL_MASK, "win.upload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_b, GDK_CONTROL_MASK, "win.backup", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK, "win.board-info", NULL);
}

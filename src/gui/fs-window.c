/* fs-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "fs-board-info-window.h"
#include "fs-create-vm-dialog.h"
#include "fs-error.h"
#include "fs-flash.h"
#include "fs-flash-view.h"
#include "fs-job-view.h"
#include "fs-prompt-dialog.h"
#include "fs-window.h"

static const guint bauds[] = { 115200, 230400, 460800, 921600, 1500000, 2000000 };

/* What Resume does again */
typedef enum {
  LAST_NONE,
  LAST_VIRTUALIZE,
  LAST_UPLOAD,
  LAST_RESTORE,
} LastAction;

struct _FsWindow
{
  AdwApplicationWindow  parent_instance;

  AdwToastOverlay      *toast_overlay;
  GtkPopover           *board_popover;
  GtkListBox           *ports_list;
  GtkLabel             *board_label;
  GtkDropDown          *baud_dropdown;
  AdwWindowTitle       *window_title;
  GtkButton            *primary_button;
  FsJobView            *job_view;
  GtkStack             *content_stack;
  AdwActionRow         *profile_row;
  AdwActionRow         *port_row;
  AdwActionRow         *chip_row;
  AdwActionRow         *mac_row;
  GtkImage             *register_step_icon;
  GtkImage             *create_vm_step_icon;
  GtkImage             *virtualize_step_icon;
  GtkImage             *upload_step_icon;
  AdwActionRow         *upload_step_row;
  FsFlashView          *flash_view;
  AdwLeaflet           *leaflet;

  FsApplication        *application;
  FsBoardSession       *session;
  GCancellable         *cancellable;
  GtkWindow            *prompt;          /* weak */
  FsJobPromptKind       prompt_kind;
  LastAction            last_action;
  char                 *last_path;
  GHashTable           *notes_shown;
};

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (FsWindow, fs_window, ADW_TYPE_APPLICATION_WINDOW)

static void       update_view     (FsWindow *self);
static GtkWidget *create_port_row (gpointer  item,
                                   gpointer  user_data);

/* ---- messages ---- */

static void
toast (FsWindow   *self,
       const char *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

/* A toast, and a desktop notification when the user is elsewhere */
static void
announce (FsWindow   *self,
          const char *text)
{
  toast (self, text);
  if (!gtk_window_is_active (GTK_WINDOW (self)))
    {
      g_autoptr(GNotification) notification = g_notification_new (_("Flash Studio"));

      g_notification_set_body (notification, text);
      g_application_send_notification (G_APPLICATION (self->application), "job", notification);
    }
}

static void
on_failure_response (AdwMessageDialog *dialog,
                     const char       *response,
                     FsWindow         *self)
{
  if (g_strcmp0 (response, "resume") == 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.resume", NULL);
}

/* What happened, and what to do: the engine's message says it; the dialog
 * adds the way on (Resume after an unplug) */
static void
show_failure (FsWindow     *self,
              const char   *heading,
              const GError *error)
{
  AdwMessageDialog *dialog;

  if (g_error_matches (error, FS_ERROR, FS_ERROR_CANCELLED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      toast (self, _("Cancelled"));
      return;
    }
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, error->message));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  if (g_error_matches (error, FS_ERROR, FS_ERROR_DISCONNECTED) && self->last_action != LAST_NONE)
    {
      adw_message_dialog_format_body (dialog, "%s\n\n%s", error->message,
                                      _("Plug the board back in, then choose Resume: what is "
                                        "written already is kept."));
      adw_message_dialog_add_response (dialog, "resume", _("_Resume"));
      adw_message_dialog_set_response_appearance (dialog, "resume", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (dialog, "resume");
    }
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_failure_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

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
  toast (self, _("Board detected"));
}

/* Said once: the same note on every job ("using the ROM loader") is noise */
static void
on_job_note (FsJob      *job,
             const char *message,
             FsWindow   *self)
{
  if (g_hash_table_add (self->notes_shown, g_strdup (message)))
    toast (self, message);
}

static void
on_session_job (FsBoardSession *session,
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
  /* A job that ended waits for nobody; a reset prompt stays to be read */
  else if (self->prompt != NULL && self->prompt_kind == FS_JOB_PROMPT_DOWNLOAD_MODE)
    gtk_window_close (self->prompt);
  fs_job_view_set_job (self->job_view, job);
  update_view (self);
}

static void
on_job_view_cancel (FsJobView *view,
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

static char *
describe_write (FsJob *job)
{
  guint64 written = 0, skipped = 0;
  g_autofree char *written_text = NULL;
  g_autofree char *skipped_text = NULL;

  for (guint i = 0; i < fs_job_get_n_regions (job); i++)
    {
      written += fs_job_get_region (job, i)->bytes_written;
      skipped += fs_job_get_region (job, i)->bytes_skipped;
    }
  written_text = g_format_size (written);
  skipped_text = g_format_size (skipped);
  if (written == 0)
    return g_strdup_printf (_("Nothing to write: the board holds all of it already (%s)"), skipped_text);
  if (skipped == 0)
    return g_strdup_printf (_("%s written and verified"), written_text);
  return g_strdup_printf (_("%s written and verified, %s skipped: already on the board"),
                          written_text, skipped_text);
}

static void
run_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(FsWindow) self = user_data;
  g_autoptr(FsJob) job = NULL;
  g_autoptr(GError) error = NULL;

  if (!fs_board_session_run_finish (FS_BOARD_SESSION (source), result, &job, &error))
    {
      show_failure (self, _("The Job Failed"), error);
      return;
    }
  if (job != NULL && (fs_job_get_kind (job) == FS_JOB_WRITE || fs_job_get_kind (job) == FS_JOB_RESTORE))
    {
      g_autofree char *text = describe_write (job);

      announce (self, text);
    }
  else
    announce (self, _("Done"));
  self->last_action = LAST_NONE;
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
    show_failure (self, _("The Board Could Not Be Registered"), error);
  else
    announce (self, _("Board registered"));
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
virtualize (FsWindow *self)
{
  self->last_action = LAST_VIRTUALIZE;
  fs_board_session_virtualize_async (self->session, job_cancellable (self), run_done, g_object_ref (self));
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
  virtualize (FS_WINDOW (widget));
}

static void
action_upload (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  choose_file (FS_WINDOW (widget), _("Upload a Program"), _("_Upload"), upload_file);
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
action_cancel (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  g_cancellable_cancel (FS_WINDOW (widget)->cancellable);
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
      virtualize (self);
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
    show_failure (self, _("The Backup Could Not Be Deleted"), error);
  else
    toast (self, _("Backup deleted"));
}

static void
action_use_virtual_board (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  FsWindow *self = FS_WINDOW (widget);

  g_settings_set_boolean (fs_application_get_settings (self->application), "show-virtual-board", TRUE);
}

/* ---- the selected board ---- */

static void
bind_ports (FsWindow *self)
{
  gtk_list_box_bind_model (self->ports_list, G_LIST_MODEL (fs_application_get_discovery (self->application)),
                           create_port_row, self, NULL);
}

static void
on_session_changed (FsWindow *self)
{
  update_view (self);
}

/* The board list says which boards are registered */
static void
on_session_record (FsWindow *self)
{
  bind_ports (self);
  update_view (self);
}

static void
set_session (FsWindow       *self,
             FsBoardSession *session)
{
  if (self->session == session)
    return;
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  self->last_action = LAST_NONE;
  if (session != NULL)
    {
      g_signal_connect_swapped (session, "notify::record", G_CALLBACK (on_session_record), self);
      g_signal_connect_swapped (session, "notify::step", G_CALLBACK (on_session_changed), self);
      g_signal_connect_swapped (session, "notify::profile", G_CALLBACK (on_session_changed), self);
      g_signal_connect (session, "notify::job", G_CALLBACK (on_session_job), self);
    }
  fs_job_view_set_job (self->job_view, session != NULL ? fs_board_session_get_job (session) : NULL);
  fs_flash_view_set_session (self->flash_view, session);
  update_view (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

static void
open_session (FsWindow   *self,
              FsPortInfo *port)
{
  g_autoptr(FsBoardSession) session = NULL;
  g_autoptr(GError) error = NULL;
  guint baud = g_settings_get_uint (fs_application_get_settings (self->application), "default-baud");

  session = fs_board_session_new (port, fs_application_get_registry (self->application), &error);
  if (session == NULL)
    {
      show_failure (self, _("The Port Cannot Be Used"), error);
      return;
    }
  /* The user's preference over the profile's default, when there is one */
  if (baud > 0)
    fs_board_session_set_baud (session, baud);
  set_session (self, session);
}

static void
on_profile_chosen (AdwMessageDialog *dialog,
                   const char       *response,
                   FsWindow         *self)
{
  FsPortInfo *port = g_object_get_data (G_OBJECT (dialog), "port");
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "cancel") == 0)
    return;
  if (!fs_port_discovery_choose_profile (fs_application_get_discovery (self->application), port,
                                         response, &error))
    {
      show_failure (self, _("The Board Could Not Be Chosen"), error);
      return;
    }
  open_session (self, port);
}

/* Several boards share a USB bridge: the user says which this is, once */
static void
ask_profile (FsWindow   *self,
             FsPortInfo *port)
{
  GPtrArray *profiles = fs_port_info_get_profiles (port);
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Which Board Is This?"), NULL));
  adw_message_dialog_format_body (dialog, _("Several boards use the USB bridge on %s. Flash Studio "
                                            "remembers your choice for this board."),
                                  fs_port_info_get_name (port));
  adw_message_dialog_add_response (dialog, "cancel", _("_Cancel"));
  for (guint i = 0; i < profiles->len; i++)
    {
      FsBoardProfile *profile = g_ptr_array_index (profiles, i);

      adw_message_dialog_add_response (dialog, fs_board_profile_get_id (profile),
                                       fs_board_profile_get_name (profile));
    }
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "port", g_object_ref (port), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_profile_chosen), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
select_port (FsWindow   *self,
             FsPortInfo *port)
{
  if (self->session != NULL && fs_board_session_get_port (self->session) == port)
    return;
  if (self->session != NULL && fs_board_session_get_job (self->session) != NULL)
    {
      toast (self, _("Wait for the job to end, or cancel it, before choosing another board"));
      return;
    }
  if (fs_port_info_get_profile (port) == NULL && fs_port_info_get_profiles (port)->len > 1)
    ask_profile (self, port);
  else
    open_session (self, port);
}

static void
on_port_activated (GtkListBox    *list,
                   GtkListBoxRow *row,
                   FsWindow      *self)
{
  FsPortInfo *port = g_object_get_data (G_OBJECT (row), "port");

  gtk_popover_popdown (self->board_popover);
  select_port (self, port);
}

static char *
port_title (FsPortInfo *port)
{
  FsBoardProfile *profile = fs_port_info_get_profile (port);
  GPtrArray *profiles = fs_port_info_get_profiles (port);

  if (profile != NULL)
    return g_strdup (fs_board_profile_get_name (profile));
  if (profiles->len > 1)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "One of %u board", "One of %u boards",
                                         profiles->len), profiles->len);
  return g_strdup (_("Unknown serial port"));
}

/* "Desk board · registered · /dev/ttyUSB0", or the access problem */
static char *
port_subtitle (FsWindow   *self,
               FsPortInfo *port)
{
  g_autoptr(FsDeviceRecord) record = NULL;
  const char *problem = fs_port_info_get_access_problem (port);
  const char *nickname;

  if (problem != NULL)
    return g_strdup (problem);
  record = fs_board_session_find_record (fs_application_get_registry (self->application), port);
  if (record == NULL)
    return g_strdup_printf (_("%s · not registered"), fs_port_info_get_name (port));
  nickname = fs_device_record_get_nickname (record);
  return g_strdup_printf (_("%s · registered · %s"), nickname != NULL ? nickname : fs_device_record_get_mac (record),
                          fs_port_info_get_name (port));
}

static GtkWidget *
create_port_row (gpointer item,
                 gpointer user_data)
{
  FsPortInfo *port = item;
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = port_title (port);
  g_autofree char *subtitle = port_subtitle (user_data, port);
  gboolean is_virtual = fs_port_info_get_kind (port) == FS_PORT_KIND_VIRTUAL;
  GtkWidget *icon = gtk_image_new_from_icon_name (is_virtual ? "applications-science-symbolic"
                                                             : "drive-harddisk-usb-symbolic");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "port", g_object_ref (port), g_object_unref);
  return row;
}

static gboolean
model_has_port (GListModel     *model,
                FsPortInfo     *port)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(FsPortInfo) item = g_list_model_get_item (model, i);

      if (item == port)
        return TRUE;
    }
  return FALSE;
}

/* The selected board went away (a job keeps it until it ends), or none
 * was selected: the first port listed is */
static void
on_ports_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  FsWindow   *self)
{
  if (self->session != NULL && !model_has_port (model, fs_board_session_get_port (self->session)) &&
      fs_board_session_get_job (self->session) == NULL)
    set_session (self, NULL);
  if (self->session == NULL && g_list_model_get_n_items (model) > 0)
    {
      g_autoptr(FsPortInfo) first = g_list_model_get_item (model, 0);

      select_port (self, first);
    }
  update_view (self);
}

/* ---- showing it ---- */

static const char *
primary_label (FsBoardStep step)
{
  switch (step)
    {
    case FS_BOARD_STEP_REGISTER: return _("_Register");
    case FS_BOARD_STEP_CREATE_VM: return _("_Create VM");
    case FS_BOARD_STEP_VIRTUALIZE: return _("_Virtualize");
    case FS_BOARD_STEP_UPLOAD:
    default: return _("_Upload");
    }
}

static void
set_step_icon (GtkImage *icon,
               gboolean  done,
               gboolean  next)
{
  gtk_image_set_from_icon_name (icon, done ? "emblem-ok-symbolic"
                                      : next ? "media-playback-start-symbolic" : "content-loading-symbolic");
  gtk_widget_remove_css_class (GTK_WIDGET (icon), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (icon), "accent");
  gtk_widget_remove_css_class (GTK_WIDGET (icon), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (icon), done ? "success" : next ? "accent" : "dim-label");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  done ? _("Done") : next ? _("Next") : _("Not yet"), -1);
}

static void
update_steps (FsWindow *self)
{
  FsBoardStep step = fs_board_session_get_step (self->session);
  FsDeviceRecord *record = fs_board_session_get_record (self->session);
  GPtrArray *uploads = record != NULL ? fs_device_record_get_uploads (record) : NULL;
  gboolean uploaded = FALSE;

  for (guint i = 0; uploads != NULL && i < uploads->len; i++)
    {
      const FsDeviceUpload *upload = g_ptr_array_index (uploads, i);

      if (!g_str_has_prefix (upload->what, "Virtualize: "))
        {
          g_autofree char *when = g_date_time_format (upload->date, "%x %X");
          g_autofree char *text = g_strdup_printf ("%s — %s, %s", upload->what, upload->result, when);

          adw_action_row_set_subtitle (self->upload_step_row, text);
          uploaded = TRUE;
        }
    }
  if (!uploaded)
    adw_action_row_set_subtitle (self->upload_step_row, "");
  set_step_icon (self->register_step_icon, step > FS_BOARD_STEP_REGISTER, step == FS_BOARD_STEP_REGISTER);
  set_step_icon (self->create_vm_step_icon, step > FS_BOARD_STEP_CREATE_VM, step == FS_BOARD_STEP_CREATE_VM);
  set_step_icon (self->virtualize_step_icon, step > FS_BOARD_STEP_VIRTUALIZE, step == FS_BOARD_STEP_VIRTUALIZE);
  set_step_icon (self->upload_step_icon, uploaded, step == FS_BOARD_STEP_UPLOAD);
}

static void
update_chip (FsWindow *self)
{
  FsDeviceRecord *record = fs_board_session_get_record (self->session);
  const FsDeviceChip *chip = record != NULL ? fs_device_record_get_chip (record) : NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->chip_row), chip != NULL && chip->name != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->mac_row), record != NULL);
  if (record == NULL)
    return;
  adw_action_row_set_subtitle (self->mac_row, fs_device_record_get_mac (record));
  if (chip != NULL && chip->name != NULL)
    {
      g_autofree char *flash = fs_format_size (chip->flash_size);
      g_autofree char *text = g_strdup_printf (_("%s rev. %u.%u, %s flash%s"),
                                               chip->description != NULL ? chip->description : chip->name,
                                               chip->revision / 100, chip->revision % 100, flash,
                                               chip->flash_encryption || chip->secure_boot
                                               ? _(", secured") : "");

      adw_action_row_set_subtitle (self->chip_row, text);
    }
}

static void
update_baud (FsWindow *self)
{
  guint baud = fs_board_session_get_baud (self->session);

  for (guint i = 0; i < G_N_ELEMENTS (bauds); i++)
    if (bauds[i] == baud)
      gtk_drop_down_set_selected (self->baud_dropdown, i);
}

static void
set_actions_enabled (FsWindow *self)
{
  gboolean has_board = self->session != NULL;
  gboolean idle = has_board && fs_board_session_get_job (self->session) == NULL;
  gboolean registered = has_board && fs_board_session_get_record (self->session) != NULL;
  gboolean has_vm = has_board && fs_board_session_get_step (self->session) >= FS_BOARD_STEP_VIRTUALIZE;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.primary", idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.register", idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.create-vm", idle && registered);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.virtualize", idle && has_vm);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.upload", idle && has_vm);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.upload-file", idle && has_vm);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.backup", idle && registered);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.restore", idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.erase", idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.board-info", has_board);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.resume", idle && self->last_action != LAST_NONE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.read-slots", idle && registered);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.switch-slot", idle && registered);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.restore-backup", idle && registered);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.delete-backup", idle && registered);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel", has_board && !idle);
}

static void
update_view (FsWindow *self)
{
  FsBoardProfile *profile;
  FsDeviceRecord *record;
  FsPortInfo *port;
  g_autofree char *title = NULL;

  set_actions_enabled (self);
  gtk_stack_set_visible_child_name (self->content_stack, self->session != NULL ? "board" : "no-board");
  gtk_widget_set_visible (GTK_WIDGET (self->primary_button), self->session != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->baud_dropdown), self->session != NULL);
  if (self->session == NULL)
    {
      gtk_label_set_text (self->board_label, _("No board"));
      adw_window_title_set_subtitle (self->window_title, NULL);
      return;
    }
  profile = fs_board_session_get_profile (self->session);
  record = fs_board_session_get_record (self->session);
  port = fs_board_session_get_port (self->session);
  title = port_title (port);
  gtk_label_set_text (self->board_label, record != NULL && fs_device_record_get_nickname (record) != NULL
                                         ? fs_device_record_get_nickname (record) : title);
  adw_window_title_set_subtitle (self->window_title, fs_port_info_get_name (port));
  adw_action_row_set_subtitle (self->profile_row, profile != NULL ? fs_board_profile_get_name (profile) : title);
  adw_action_row_set_subtitle (self->port_row, fs_port_info_get_name (port));
  gtk_button_set_label (self->primary_button, primary_label (fs_board_session_get_step (self->session)));
  update_chip (self);
  update_steps (self);
  update_baud (self);
}

static void
on_baud_selected (GtkDropDown *dropdown,
                  GParamSpec  *pspec,
                  FsWindow    *self)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (self->session != NULL && selected < G_N_ELEMENTS (bauds))
    fs_board_session_set_baud (self->session, bauds[selected]);
}

/* ---- the object ---- */

FsBoardSession *
fs_window_get_session (FsWindow *self)
{
  g_return_val_if_fail (FS_IS_WINDOW (self), NULL);
  return self->session;
}

static void
bind_settings (FsWindow *self)
{
  GSettings *settings = fs_application_get_settings (self->application);

  gtk_window_set_default_size (GTK_WINDOW (self), g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static gboolean
fs_window_close_request (GtkWindow *window)
{
  FsWindow *self = FS_WINDOW (window);
  GSettings *settings = fs_application_get_settings (self->application);
  int width = 0, height = 0;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (settings, "window-width", width);
  g_settings_set_int (settings, "window-height", height);
  g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (window));
  g_cancellable_cancel (self->cancellable);
  return GTK_WINDOW_CLASS (fs_window_parent_class)->close_request (window);
}

FsWindow *
fs_window_new (FsApplication *application)
{
  FsWindow *self = g_object_new (FS_TYPE_WINDOW, "application", application, NULL);
  GListModel *ports = G_LIST_MODEL (fs_application_get_discovery (application));
  g_autoptr(GtkStringList) baud_names = gtk_string_list_new (NULL);

  self->application = application;
  for (guint i = 0; i < G_N_ELEMENTS (bauds); i++)
    {
      g_autofree char *name = g_strdup_printf ("%u", bauds[i]);

      gtk_string_list_append (baud_names, name);
    }
  gtk_drop_down_set_model (self->baud_dropdown, G_LIST_MODEL (baud_names));
  g_signal_connect (self->baud_dropdown, "notify::selected", G_CALLBACK (on_baud_selected), self);
  bind_settings (self);
  bind_ports (self);
  g_signal_connect_object (ports, "items-changed", G_CALLBACK (on_ports_changed), self, 0);
  on_ports_changed (ports, 0, 0, 0, self);
  return self;
}

static void
fs_window_dispose (GObject *object)
{
  FsWindow *self = FS_WINDOW (object);

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_weak_pointer (&self->prompt);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->last_path, g_free);
  g_clear_pointer (&self->notes_shown, g_hash_table_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), FS_TYPE_WINDOW);

  G_OBJECT_CLASS (fs_window_parent_class)->dispose (object);
}

static void
fs_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, FS_WINDOW (object)->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_window_class_init (FsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = fs_window_dispose;
  object_class->get_property = fs_window_get_property;
  window_class->close_request = fs_window_close_request;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, FS_TYPE_BOARD_SESSION,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (FS_TYPE_JOB_VIEW);
  g_type_ensure (FS_TYPE_FLASH_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/flashstudio/FlashStudio/fs-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, board_popover);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, ports_list);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, board_label);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, baud_dropdown);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, primary_button);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, job_view);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, profile_row);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, port_row);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, chip_row);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, mac_row);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, register_step_icon);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, create_vm_step_icon);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, virtualize_step_icon);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, upload_step_icon);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, upload_step_row);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, flash_view);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, leaflet);

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
  gtk_widget_class_install_action (widget_class, "win.cancel", NULL, action_cancel);
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
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.cancel", NULL);
}

/* A narrow window shows the flash; the board card folds away (its facts
 * are in Board Info, its steps in the primary button) */
static void
on_leaflet_folded (AdwLeaflet *leaflet,
                   GParamSpec *pspec,
                   FsWindow   *self)
{
  if (adw_leaflet_get_folded (leaflet))
    adw_leaflet_set_visible_child (leaflet, GTK_WIDGET (self->flash_view));
}

static void
fs_window_init (FsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->notes_shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_signal_connect (self->job_view, "cancel", G_CALLBACK (on_job_view_cancel), self);
  g_signal_connect (self->ports_list, "row-activated", G_CALLBACK (on_port_activated), self);
  g_signal_connect (self->leaflet, "notify::folded", G_CALLBACK (on_leaflet_folded), self);
}

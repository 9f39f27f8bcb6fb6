/* fs-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "fs-flash.h"
#include "fs-window-private.h"

static const guint bauds[] = { 115200, 230400, 460800, 921600, 1500000, 2000000 };

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (FsWindow, fs_window, ADW_TYPE_APPLICATION_WINDOW)

static GtkWidget *create_port_row (gpointer  item,
                                   gpointer  user_data);

/* ---- the selected board ---- */

static FsPortKind
row_kind (GtkListBoxRow *row)
{
  return fs_port_info_get_kind (g_object_get_data (G_OBJECT (row), "port"));
}

/* The boards plugged in, then the virtual ones, each under its heading */
static void
update_port_header (GtkListBoxRow *row,
                    GtkListBoxRow *before,
                    gpointer       user_data)
{
  FsPortKind kind = row_kind (row);
  GtkWidget *header;

  if (before != NULL && row_kind (before) == kind)
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }
  header = gtk_label_new (kind == FS_PORT_KIND_VIRTUAL ? _("Virtual Boards") : _("Plugged In"));
  gtk_label_set_xalign (GTK_LABEL (header), 0);
  gtk_widget_add_css_class (header, "heading");
  gtk_widget_add_css_class (header, "board-list-heading");
  gtk_list_box_row_set_header (row, header);
}

static void
bind_ports (FsWindow *self)
{
  gtk_list_box_bind_model (self->ports_list, G_LIST_MODEL (fs_application_get_discovery (self->application)),
                           create_port_row, self, NULL);
  gtk_list_box_set_header_func (self->ports_list, update_port_header, NULL, NULL);
}

static void
on_session_changed (FsWindow *self)
{
  fs_window_update_view (self);
}

/* The board list says which boards are registered */
static void
on_session_record (FsWindow *self)
{
  bind_ports (self);
  fs_window_update_view (self);
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
      g_signal_connect_swapped (session, "notify::port", G_CALLBACK (on_session_changed), self);
      g_signal_connect_swapped (session, "notify::boot", G_CALLBACK (on_session_changed), self);
      g_signal_connect (session, "notify::job", G_CALLBACK (fs_window_follow_job), self);
    }
  fs_job_view_set_job (self->job_view, session != NULL ? fs_board_session_get_job (session) : NULL);
  fs_flash_view_set_session (self->flash_view, session);
  fs_monitor_view_set_session (self->monitor_view, session);
  fs_window_update_view (self);
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
      fs_window_show_failure (self, _("The Port Cannot Be Used"), error);
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
      fs_window_show_failure (self, _("The Board Could Not Be Chosen"), error);
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
      fs_window_toast (self, _("Wait for the job to end, or cancel it, before choosing another board"));
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

static const char *
port_icon (FsPortInfo *port)
{
  return fs_port_info_get_kind (port) == FS_PORT_KIND_VIRTUAL ? "applications-science-symbolic"
                                                                : "drive-harddisk-usb-symbolic";
}

/* "/dev/ttyUSB0", or "virtual · sim:pycom-fipy" */
static char *
port_where (FsPortInfo *port)
{
  if (fs_port_info_get_kind (port) == FS_PORT_KIND_VIRTUAL)
    return g_strdup_printf (_("virtual · %s"), fs_port_info_get_name (port));
  return g_strdup (fs_port_info_get_name (port));
}

/* "Desk board · registered · /dev/ttyUSB0", "not registered · 24:0a:c4:11:15:8e"
 * for a virtual board, or the access problem */
static char *
port_subtitle (FsWindow   *self,
               FsPortInfo *port)
{
  g_autoptr(FsDeviceRecord) record = NULL;
  const char *problem = fs_port_info_get_access_problem (port);
  const char *where = fs_port_info_get_mac (port) != NULL ? fs_port_info_get_mac (port) : fs_port_info_get_name (port);
  const char *nickname;

  if (problem != NULL)
    return g_strdup (problem);
  record = fs_board_session_find_record (fs_application_get_registry (self->application), port);
  if (record == NULL)
    return g_strdup_printf (_("not registered · %s"), where);
  nickname = fs_device_record_get_nickname (record);
  return g_strdup_printf (_("%s · registered · %s"), nickname != NULL ? nickname : fs_device_record_get_mac (record),
                          where);
}

static GtkWidget *
create_port_row (gpointer item,
                 gpointer user_data)
{
  FsPortInfo *port = item;
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = port_title (port);
  g_autofree char *subtitle = port_subtitle (user_data, port);
  GtkWidget *icon = gtk_image_new_from_icon_name (port_icon (port));

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

/* The board of @gone, back on a port of its own */
static FsPortInfo *
find_returning_port (GListModel *model,
                     FsPortInfo *gone)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(FsPortInfo) item = g_list_model_get_item (model, i);

      if (fs_port_info_is_same_board (gone, item))
        return g_steal_pointer (&item);
    }
  return NULL;
}

/* While its monitor is on, a board that went away stays selected: the
 * monitor takes it back when it returns */
static gboolean
keeps_gone_board (FsBoardSession *session)
{
  return fs_board_session_get_job (session) != NULL ||
         fs_monitor_get_state (fs_board_session_get_monitor (session)) != FS_MONITOR_STATE_STOPPED;
}

/* The selected board went away or came back, or none was selected: the
 * first port listed is */
static void
on_ports_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  FsWindow   *self)
{
  FsPortInfo *port = self->session != NULL ? fs_board_session_get_port (self->session) : NULL;

  if (port != NULL && !model_has_port (model, port))
    {
      g_autoptr(FsPortInfo) returning = find_returning_port (model, port);
      g_autoptr(GError) error = NULL;

      if (returning != NULL && fs_board_session_get_job (self->session) == NULL &&
          !fs_board_session_set_port (self->session, returning, &error))
        g_warning ("The board came back on %s, which cannot be used: %s",
                   fs_port_info_get_name (returning), error->message);
      else if (returning == NULL && !keeps_gone_board (self->session))
        set_session (self, NULL);
    }
  if (self->session == NULL && g_list_model_get_n_items (model) > 0)
    {
      g_autoptr(FsPortInfo) first = g_list_model_get_item (model, 0);

      select_port (self, first);
    }
  fs_window_update_view (self);
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
set_step_icon (GtkImage    *icon,
               FsStepState  state)
{
  static const struct {
    const char *icon;
    const char *style;
    const char *label;
  } looks[] = {
    [FS_STEP_STATE_WAITING] = { "content-loading-symbolic", "dim-label", N_("Not yet") },
    [FS_STEP_STATE_NEXT] = { "media-playback-start-symbolic", "accent", N_("Next") },
    [FS_STEP_STATE_DONE] = { "emblem-ok-symbolic", "success", N_("Done") },
    [FS_STEP_STATE_UNSURE] = { "dialog-warning-symbolic", "warning", N_("Done, but the board was not seen running") },
    [FS_STEP_STATE_FAILED] = { "dialog-error-symbolic", "error", N_("Failed") },
  };

  gtk_image_set_from_icon_name (icon, looks[state].icon);
  for (guint i = 0; i < G_N_ELEMENTS (looks); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (icon), looks[i].style);
  gtk_widget_add_css_class (GTK_WIDGET (icon), looks[state].style);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, _(looks[state].label), -1);
}

/* A step done (or tried) runs again from its row's button; the next
 * one from the primary button, or a click on its row */
static void
update_step (FsWindow     *self,
             FsBoardStep   step,
             AdwActionRow *row,
             GtkImage     *icon,
             GtkWidget    *again)
{
  g_autofree char *summary = NULL;
  FsStepState state = fs_board_session_get_step_state (self->session, step, &summary);

  set_step_icon (icon, state);
  adw_action_row_set_subtitle (row, summary != NULL ? summary : "");
  gtk_widget_set_visible (again, state == FS_STEP_STATE_DONE || state == FS_STEP_STATE_UNSURE ||
                                 state == FS_STEP_STATE_FAILED);
}

static void
update_steps (FsWindow *self)
{
  update_step (self, FS_BOARD_STEP_REGISTER, self->register_step_row, self->register_step_icon,
               self->register_step_again);
  update_step (self, FS_BOARD_STEP_CREATE_VM, self->create_vm_step_row, self->create_vm_step_icon,
               self->create_vm_step_again);
  update_step (self, FS_BOARD_STEP_VIRTUALIZE, self->virtualize_step_row, self->virtualize_step_icon,
               self->virtualize_step_again);
  update_step (self, FS_BOARD_STEP_UPLOAD, self->upload_step_row, self->upload_step_icon,
               self->upload_step_again);
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
  /* A program needs its VM on the board */
  gboolean holds_vm = has_board && fs_board_session_get_step (self->session) == FS_BOARD_STEP_UPLOAD;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.primary", idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.register", idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.create-vm", idle && registered);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.virtualize", idle && has_vm);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.upload", idle && holds_vm);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.upload-file", idle && holds_vm);
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

void
fs_window_update_view (FsWindow *self)
{
  FsBoardProfile *profile;
  FsDeviceRecord *record;
  FsPortInfo *port;
  g_autofree char *title = NULL;
  g_autofree char *where = NULL;
  const char *name;

  set_actions_enabled (self);
  gtk_stack_set_visible_child_name (self->content_stack, self->session != NULL ? "board" : "no-board");
  gtk_widget_set_visible (GTK_WIDGET (self->primary_button), self->session != NULL);
  if (self->session == NULL)
    {
      gtk_label_set_text (self->board_label, _("No board"));
      gtk_widget_set_visible (GTK_WIDGET (self->board_where_label), FALSE);
      adw_view_switcher_title_set_subtitle (self->window_title, NULL);
      fs_virtual_board_view_set_transport (self->virtual_board_view, NULL, NULL);
      gtk_widget_set_visible (self->virtual_board_button, FALSE);
      return;
    }
  profile = fs_board_session_get_profile (self->session);
  record = fs_board_session_get_record (self->session);
  port = fs_board_session_get_port (self->session);
  title = port_title (port);
  name = record != NULL && fs_device_record_get_nickname (record) != NULL
         ? fs_device_record_get_nickname (record) : title;
  where = port_where (port);
  gtk_label_set_text (self->board_label, name);
  gtk_label_set_text (self->board_where_label, where);
  gtk_widget_set_visible (GTK_WIDGET (self->board_where_label), TRUE);
  gtk_image_set_from_icon_name (self->board_icon, port_icon (port));
  adw_view_switcher_title_set_subtitle (self->window_title, where);
  fs_virtual_board_view_set_transport (self->virtual_board_view, fs_board_session_get_transport (self->session),
                                       profile);
  gtk_widget_set_visible (self->virtual_board_button, fs_virtual_board_view_get_board (self->virtual_board_view) != NULL);
  adw_action_row_set_subtitle (self->profile_row, profile != NULL ? fs_board_profile_get_name (profile) : title);
  adw_action_row_set_subtitle (self->port_row, where);
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
  g_clear_weak_pointer (&self->toast);
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
  g_type_ensure (FS_TYPE_MONITOR_VIEW);
  g_type_ensure (FS_TYPE_VIRTUAL_BOARD_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/flashstudio/FlashStudio/fs-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, board_popover);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, ports_list);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, board_icon);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, board_label);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, board_where_label);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, baud_dropdown);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, virtual_board_button);
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
  gtk_widget_class_bind_template_child (widget_class, FsWindow, register_step_row);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, create_vm_step_row);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, virtualize_step_row);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, upload_step_row);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, register_step_again);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, create_vm_step_again);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, virtualize_step_again);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, upload_step_again);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, flash_view);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, monitor_view);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, virtual_board_view);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, main_area);
  gtk_widget_class_bind_template_child (widget_class, FsWindow, leaflet);
  fs_window_class_install_actions (widget_class);
  fs_window_class_install_keys (widget_class);
  fs_window_class_install_messages (widget_class);
}

/* A narrow window shows the flash map or the monitor; the board card
 * folds away (its facts are in Board Info, its steps in the primary button) */
static void
on_leaflet_folded (AdwLeaflet *leaflet,
                   GParamSpec *pspec,
                   FsWindow   *self)
{
  if (adw_leaflet_get_folded (leaflet))
    adw_leaflet_set_visible_child (leaflet, self->main_area);
}

static void
fs_window_init (FsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->notes_shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_signal_connect (self->job_view, "cancel", G_CALLBACK (fs_window_cancel_job), self);
  g_signal_connect (self->ports_list, "row-activated", G_CALLBACK (on_port_activated), self);
  g_signal_connect (self->leaflet, "notify::folded", G_CALLBACK (on_leaflet_folded), self);
  fs_window_init_keys (self);
}

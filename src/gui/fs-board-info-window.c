/* fs-board-info-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fs-board-info-window.h"
#include "fs-flash.h"

#define VALUE_WIDTH_CHARS 24

struct _FsBoardInfoWindow
{
  AdwWindow            parent_instance;

  FsBoardSession      *session;
  GPtrArray           *rows;            /* what show_session() added, to take away again */

  AdwPreferencesGroup *board_group;
  AdwActionRow        *vendor_row;
  GtkWidget           *vendor_link_icon;
  AdwActionRow        *reset_row;
  AdwPreferencesGroup *steps_group;
  AdwPreferencesGroup *device_group;
  AdwPreferencesGroup *chip_group;
  AdwPreferencesGroup *backups_group;
  AdwPreferencesGroup *summary_group;
  AdwPreferencesGroup *layouts_group;
  AdwPreferencesGroup *missing_group;
};

G_DEFINE_FINAL_TYPE (FsBoardInfoWindow, fs_board_info_window, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GtkWidget *
add_row (FsBoardInfoWindow   *self,
         AdwPreferencesGroup *group,
         const char          *title,
         const char          *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->rows, row);
  return row;
}

/* A value on the right of @row, selectable so that a MAC or an MD5 can be copied */
static GtkWidget *
add_value (GtkWidget  *row,
           const char *name,
           const char *value)
{
  GtkWidget *label = gtk_label_new (value);

  /* A wrapping label in a row gets no more than its minimum width: only
   * long values wrap, in a column wide enough to read */
  if (g_utf8_strlen (value, -1) > VALUE_WIDTH_CHARS)
    {
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      /* A path breaks where it must */
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_width_chars (GTK_LABEL (label), VALUE_WIDTH_CHARS);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 36);
    }
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_RIGHT);
  gtk_label_set_xalign (GTK_LABEL (label), 1.0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  return label;
}

/* A fact: its name on the left, its value on the right */
static GtkWidget *
add_fact (FsBoardInfoWindow   *self,
          AdwPreferencesGroup *group,
          const char          *title,
          const char          *value)
{
  return add_value (add_row (self, group, title, NULL), title, value);
}

static void
show_groups (FsBoardInfoWindow *self)
{
  AdwPreferencesGroup *groups[] = {
    self->steps_group, self->device_group, self->chip_group, self->backups_group,
    self->summary_group, self->layouts_group, self->missing_group,
  };

  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    {
      gboolean used = FALSE;

      for (guint j = 0; j < self->rows->len && !used; j++)
        used = gtk_widget_is_ancestor (g_ptr_array_index (self->rows, j), GTK_WIDGET (groups[i]));
      gtk_widget_set_visible (GTK_WIDGET (groups[i]), used);
    }
}

static void
show_vendor (FsBoardInfoWindow *self,
             FsBoardProfile    *profile)
{
  const char *url = fs_board_profile_get_vendor_url (profile);

  adw_action_row_set_subtitle (self->vendor_row, fs_board_profile_get_vendor (profile));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->vendor_row), url != NULL ? "board-info.open-vendor" : NULL);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self->vendor_row), url != NULL);
  gtk_widget_set_visible (self->vendor_link_icon, url != NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->vendor_row), url);
}

static void
show_steps (FsBoardInfoWindow *self,
            FsBoardProfile    *profile)
{
  const char * const *steps = fs_board_profile_get_steps (profile);
  gboolean automatic = fs_board_profile_get_reset_method (profile) == FS_BOARD_RESET_AUTO;

  adw_action_row_set_subtitle (self->reset_row,
                               automatic ? _("Automatic: the USB bridge resets the board into download mode")
                                         : _("By hand: follow the steps below"));
  adw_preferences_group_set_description (self->steps_group,
                                         automatic ? _("If the automatic reset fails") : NULL);
  for (guint i = 0; steps[i] != NULL; i++)
    {
      GtkWidget *row = add_row (self, self->steps_group, steps[i], NULL);
      g_autofree char *number = g_strdup_printf ("%u", i + 1);
      GtkWidget *label = gtk_label_new (number);

      gtk_widget_add_css_class (label, "step-number");
      gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), label);
    }
}

/* "Flash Memory: 8 MB" as a fact */
static void
show_summary (FsBoardInfoWindow *self,
              FsBoardProfile    *profile)
{
  const char * const *summary = fs_board_profile_get_summary (profile);

  for (guint i = 0; summary[i] != NULL; i++)
    {
      const char *colon = strstr (summary[i], ": ");
      g_autofree char *label = NULL;

      if (colon == NULL)
        {
          add_row (self, self->summary_group, summary[i], NULL);
          continue;
        }
      label = g_strndup (summary[i], colon - summary[i]);
      add_fact (self, self->summary_group, label, colon + 2);
    }
}

static void
show_layouts (FsBoardInfoWindow *self,
              FsBoardProfile    *profile)
{
  const char * const *names = fs_board_profile_get_layouts (profile);
  const char * const *missing = fs_board_profile_get_missing_features (profile);

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(FsLayout) layout = fs_layout_new_builtin (names[i], NULL);

      add_row (self, self->layouts_group, layout != NULL ? fs_layout_get_title (layout) : names[i], names[i]);
    }
  for (guint i = 0; missing[i] != NULL; i++)
    add_row (self, self->missing_group, missing[i], NULL);
}

static const char *
on_off (gboolean on)
{
  return on ? _("On") : _("Off");
}

static void
show_chip (FsBoardInfoWindow  *self,
           const FsDeviceChip *chip)
{
  g_autofree char *revision = g_strdup_printf ("v%u.%u", chip->revision / 100, chip->revision % 100);
  g_autofree char *crystal = g_strdup_printf (_("%u MHz"), chip->crystal_mhz);
  g_autofree char *flash = chip->flash_size != 0 ? fs_format_size (chip->flash_size) : g_strdup (_("Unknown"));

  add_fact (self, self->chip_group, _("Chip"), chip->description != NULL ? chip->description : chip->name);
  add_fact (self, self->chip_group, _("Revision"), revision);
  add_fact (self, self->chip_group, _("Crystal"), crystal);
  add_fact (self, self->chip_group, _("Flash Size"), flash);
  add_fact (self, self->chip_group, _("Flash Encryption"), on_off (chip->flash_encryption));
  add_fact (self, self->chip_group, _("Secure Boot"), on_off (chip->secure_boot));
}

static void
show_backups (FsBoardInfoWindow *self,
              GPtrArray         *backups)
{
  for (guint i = 0; i < backups->len; i++)
    {
      const FsDeviceBackup *backup = g_ptr_array_index (backups, i);
      g_autofree char *date = fs_device_format_date (backup->date);
      g_autofree char *size = fs_format_size (backup->size);
      GtkWidget *row = add_row (self, self->backups_group, date, size);

      gtk_widget_add_css_class (add_value (row, _("MD5"), backup->md5), "address");
    }
}

static void
show_record (FsBoardInfoWindow *self,
             FsDeviceRecord    *record)
{
  const char *nickname = fs_device_record_get_nickname (record);
  GtkWidget *mac;

  if (nickname != NULL)
    add_fact (self, self->device_group, _("Name"), nickname);
  mac = add_fact (self, self->device_group, _("MAC Address"), fs_device_record_get_mac (record));
  gtk_widget_add_css_class (mac, "address");
  if (fs_device_record_get_chip (record) != NULL)
    show_chip (self, fs_device_record_get_chip (record));
  show_backups (self, fs_device_record_get_backups (record));
}

/* Which loader the last job ran: the stub writes and reads several times
 * faster than the ROM, and where it came from says which one */
static void
show_loader (FsBoardInfoWindow *self)
{
  FsJob *job = fs_board_session_get_last_job (self->session);
  g_autofree char *text = NULL;

  if (job == NULL)
    text = g_strdup (_("Known after the first job"));
  else if (fs_job_get_used_stub (job))
    /* TRANSLATORS: in Board Info; %s is the stub's file */
    text = g_strdup_printf (_("The stub loader, from %s"), fs_job_get_stub_file (job));
  else
    text = g_strdup (_("The chip’s ROM loader"));
  add_fact (self, self->device_group, _("Loader"), text);
}

static void
show_session (FsBoardInfoWindow *self)
{
  FsBoardProfile *profile = fs_board_session_get_profile (self->session);
  FsDeviceRecord *record = fs_board_session_get_record (self->session);

  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);

      adw_preferences_group_remove (ADW_PREFERENCES_GROUP (gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP)),
                                    row);
    }
  g_ptr_array_set_size (self->rows, 0);

  adw_preferences_group_set_title (self->board_group, fs_board_profile_get_name (profile));
  show_vendor (self, profile);
  show_steps (self, profile);
  if (record != NULL)
    show_record (self, record);
  show_loader (self);
  show_summary (self, profile);
  show_layouts (self, profile);
  show_groups (self);
}

static void
open_vendor_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  FsBoardInfoWindow *self = FS_BOARD_INFO_WINDOW (widget);
  const char *url = fs_board_profile_get_vendor_url (fs_board_session_get_profile (self->session));

  if (url != NULL)
    gtk_show_uri (GTK_WINDOW (self), url, GDK_CURRENT_TIME);
}

static void
fs_board_info_window_constructed (GObject *object)
{
  FsBoardInfoWindow *self = FS_BOARD_INFO_WINDOW (object);

  G_OBJECT_CLASS (fs_board_info_window_parent_class)->constructed (object);

  /* Registering or choosing another profile while the window is open */
  g_signal_connect_object (self->session, "notify::record", G_CALLBACK (show_session), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::profile", G_CALLBACK (show_session), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::last-job", G_CALLBACK (show_session), self, G_CONNECT_SWAPPED);
  show_session (self);
}

static void
fs_board_info_window_dispose (GObject *object)
{
  FsBoardInfoWindow *self = FS_BOARD_INFO_WINDOW (object);

  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), FS_TYPE_BOARD_INFO_WINDOW);

  G_OBJECT_CLASS (fs_board_info_window_parent_class)->dispose (object);
}

static void
fs_board_info_window_finalize (GObject *object)
{
  FsBoardInfoWindow *self = FS_BOARD_INFO_WINDOW (object);

  g_ptr_array_unref (self->rows);

  G_OBJECT_CLASS (fs_board_info_window_parent_class)->finalize (object);
}

static void
fs_board_info_window_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  FsBoardInfoWindow *self = FS_BOARD_INFO_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_board_info_window_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  FsBoardInfoWindow *self = FS_BOARD_INFO_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_board_info_window_class_init (FsBoardInfoWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = fs_board_info_window_constructed;
  object_class->dispose = fs_board_info_window_dispose;
  object_class->finalize = fs_board_info_window_finalize;
  object_class->get_property = fs_board_info_window_get_property;
  object_class->set_property = fs_board_info_window_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, FS_TYPE_BOARD_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/flashstudio/FlashStudio/fs-board-info-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FsBoardInfoWindow, board_group);
  gtk_widget_class_bind_template_child (widget_class, FsBoardInfoWindow, vendor_row);
  gtk_widget_class_bind_template_child (widget_class, FsBoardInfoWindow, vendor_link_icon);
  gtk_widget_class_bind_template_child (widget_class, FsBoardInfoWindow, reset_row);
  gtk_widget_class_bind_template_child (widget_class, FsBoardInfoWindow, steps_group);
  gtk_widget_class_bind_template_child (widget_class, FsBoardInfoWindow, device_group);
  gtk_widget_class_bind_template_child (widget_class, FsBoardInfoWindow, chip_group);
  gtk_widget_class_bind_template_child (widget_class, FsBoardInfoWindow, backups_group);
  gtk_widget_class_bind_template_child (widget_class, FsBoardInfoWindow, summary_group);
  gtk_widget_class_bind_template_child (widget_class, FsBoardInfoWindow, layouts_group);
  gtk_widget_class_bind_template_child (widget_class, FsBoardInfoWindow, missing_group);

  gtk_widget_class_install_action (widget_class, "board-info.open-vendor", NULL, open_vendor_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
fs_board_info_window_init (FsBoardInfoWindow *self)
{
  self->rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

FsBoardInfoWindow *
fs_board_info_window_new (FsBoardSession *session)
{
  g_return_val_if_fail (FS_IS_BOARD_SESSION (session), NULL);

  return g_object_new (FS_TYPE_BOARD_INFO_WINDOW, "session", session, NULL);
}

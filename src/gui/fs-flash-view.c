/* fs-flash-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "fs-flash.h"
#include "fs-flash-view.h"
#include "fs-region-table.h"

#define SOURCE_BOARD "board"

struct _FsFlashView
{
  GtkWidget            parent_instance;

  GtkWidget           *scroller;   /* bound so that dispose_template() unparents it */
  GtkDropDown         *source_dropdown;
  GtkStack            *map_stack;
  FsFlashMap          *map;
  FsRegionTable       *region_table;
  AdwPreferencesGroup *slots_group;
  GtkListBox          *slots_list;
  AdwPreferencesGroup *backups_group;
  GtkListBox          *backups_list;

  FsBoardSession      *session;
  GPtrArray           *sources;      /* of char*: layout names, then SOURCE_BOARD */
  gboolean             filling;
};

enum {
  PROP_0,
  PROP_SESSION,
  PROP_SOURCE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (FsFlashView, fs_flash_view, GTK_TYPE_WIDGET)

static FsJob *
slot_job (FsFlashView *self)
{
  return self->session != NULL ? fs_board_session_get_slot_job (self->session) : NULL;
}

static guint64
flash_size (FsFlashView *self)
{
  FsDeviceRecord *record = fs_board_session_get_record (self->session);
  FsBoardProfile *profile = fs_board_session_get_profile (self->session);

  if (record != NULL && fs_device_record_get_chip (record)->flash_size > 0)
    return fs_device_record_get_chip (record)->flash_size;
  return profile != NULL ? fs_board_profile_get_flash_size (profile) : 0;
}

/* The layout the board's VM uses, else the profile's first */
static FsLayout *
dup_reference_layout (FsFlashView *self)
{
  FsLayout *layout = fs_board_session_dup_layout (self->session);

  if (layout == NULL && self->sources->len > 1)
    layout = fs_layout_new_builtin (g_ptr_array_index (self->sources, 0), NULL);
  return layout;
}

/* ---- the map ---- */

static const char *
slot_content (FsJob *job,
              guint  slot)
{
  const char *title = fs_job_get_slot_title (job, slot);

  return title != NULL ? title : _("empty");
}

/* What the board was seen doing after its last reset, from its boot
 * log: it says more than otadata */
static void
mark_boot (FsFlashView *self,
           GArray      *regions)
{
  FsBootLog *boot = fs_board_session_get_boot (self->session);
  guint32 offset = boot != NULL ? fs_boot_log_get_offset (boot) : G_MAXUINT32;

  if (boot == NULL || offset == G_MAXUINT32)
    return;
  if (fs_boot_log_get_state (boot) == FS_BOOT_STATE_RUNS)
    fs_map_regions_set_boot (regions, offset, FS_MAP_BOOT_RUNS);
  else if (fs_boot_log_get_state (boot) == FS_BOOT_STATE_DOES_NOT_BOOT)
    fs_map_regions_set_boot (regions, offset, FS_MAP_BOOT_FAILED);
}

/* What each VM slot holds ("blink 1.2.3"), as the board was last read:
 * at the slot's address, whichever layout the map shows */
static void
mark_contents (FsFlashView *self,
               GArray      *regions)
{
  FsJob *job = slot_job (self);
  GObject *table = job != NULL ? fs_job_get_partition_table (job) : NULL;

  for (guint i = 0; table != NULL && i < fs_job_get_slot_state (job)->n_slots; i++)
    {
      const FsPartition *partition =
        fs_partition_table_find_by_type (FS_PARTITION_TABLE (table), FS_PARTITION_TYPE_APP,
                                         FS_PARTITION_SUBTYPE_OTA_0 + i);

      if (partition != NULL)
        fs_map_regions_set_content (regions, partition->offset, slot_content (job, i));
    }
}

static void
show_regions (FsFlashView *self,
              GArray      *regions,
              guint64      size)
{
  mark_boot (self, regions);
  mark_contents (self, regions);
  fs_flash_map_set_regions (self->map, regions, size);
  fs_region_table_set_regions (self->region_table, regions);
  gtk_stack_set_visible_child_name (self->map_stack, "map");
}

static void
update_map (FsFlashView *self)
{
  const char *source = fs_flash_view_get_source (self);
  FsJob *job = slot_job (self);
  gint boot_slot = job != NULL ? fs_job_get_slot_state (job)->boot_slot : -1;
  g_autoptr(GArray) regions = NULL;

  if (self->session == NULL || source == NULL)
    return;
  if (g_strcmp0 (source, SOURCE_BOARD) == 0)
    {
      g_autoptr(FsLayout) compare = dup_reference_layout (self);
      GObject *table = job != NULL ? fs_job_get_partition_table (job) : NULL;

      /* An erased table reads as one without entries */
      if (table != NULL && fs_partition_table_get_n_partitions (FS_PARTITION_TABLE (table)) == 0)
        table = NULL;
      if (table == NULL)
        {
          /* Read, or left so by an erase, and there is none */
          gtk_stack_set_visible_child_name (self->map_stack,
                                            job != NULL && fs_job_get_has_slots (job) ? "no-table" : "unread");
          return;
        }
      regions = fs_map_regions_from_table (FS_PARTITION_TABLE (table), flash_size (self), boot_slot, compare);
      show_regions (self, regions, flash_size (self));
      return;
    }
  {
    g_autoptr(FsLayout) layout = fs_layout_new_builtin (source, NULL);

    if (layout == NULL)
      return;
    regions = fs_map_regions_from_layout (layout, boot_slot);
    show_regions (self, regions, fs_layout_get_flash_size (layout));
  }
}

static char *
source_title (const char *source)
{
  g_autoptr(FsLayout) layout = NULL;

  if (g_strcmp0 (source, SOURCE_BOARD) == 0)
    return g_strdup (_("On the board"));
  layout = fs_layout_new_builtin (source, NULL);
  return g_strdup (layout != NULL ? fs_layout_get_title (layout) : source);
}

/* The profile's layouts, then what is on the board */
static void
fill_sources (FsFlashView *self)
{
  FsBoardProfile *profile = self->session != NULL ? fs_board_session_get_profile (self->session) : NULL;
  const char * const *layouts = profile != NULL ? fs_board_profile_get_layouts (profile) : NULL;
  g_autoptr(GtkStringList) titles = gtk_string_list_new (NULL);
  g_autoptr(FsLayout) current = self->session != NULL ? fs_board_session_dup_layout (self->session) : NULL;
  guint selected = 0;

  g_ptr_array_set_size (self->sources, 0);
  for (guint i = 0; layouts != NULL && layouts[i] != NULL; i++)
    {
      if (current != NULL && g_str_equal (layouts[i], fs_layout_get_name (current)))
        selected = i;
      g_ptr_array_add (self->sources, g_strdup (layouts[i]));
    }
  g_ptr_array_add (self->sources, g_strdup (SOURCE_BOARD));
  for (guint i = 0; i < self->sources->len; i++)
    {
      g_autofree char *title = source_title (g_ptr_array_index (self->sources, i));

      gtk_string_list_append (titles, title);
    }
  self->filling = TRUE;
  gtk_drop_down_set_model (self->source_dropdown, G_LIST_MODEL (titles));
  gtk_drop_down_set_selected (self->source_dropdown, selected);
  self->filling = FALSE;
}

static void
on_source_selected (GtkDropDown *dropdown,
                    GParamSpec  *pspec,
                    FsFlashView *self)
{
  if (self->filling)
    return;
  update_map (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOURCE]);
}

/* ---- FOTA slots ---- */

/* What the board was seen doing with @slot's app: "Runs", "Does not
 * boot", else, when otadata selects it, "Boots"; NULL for none */
static const char *
slot_mark (FsFlashView  *self,
           FsJob        *job,
           guint         slot,
           const char  **style)
{
  FsBootLog *boot = fs_board_session_get_boot (self->session);
  GObject *table = fs_job_get_partition_table (job);
  const FsPartition *partition = table != NULL
    ? fs_partition_table_find_by_type (FS_PARTITION_TABLE (table), FS_PARTITION_TYPE_APP, FS_PARTITION_SUBTYPE_OTA_0 + slot)
    : NULL;

  if (boot != NULL && fs_boot_log_get_offset (boot) != G_MAXUINT32)
    {
      if (partition == NULL || partition->offset != fs_boot_log_get_offset (boot))
        return NULL;
      *style = fs_boot_log_get_state (boot) == FS_BOOT_STATE_RUNS ? "success" : "error";
      return fs_boot_log_get_state (boot) == FS_BOOT_STATE_RUNS ? _("Runs") : _("Does not boot");
    }
  *style = "accent";
  return fs_job_get_slot_state (job)->boot_slot == (gint) slot ? _("Boots") : NULL;
}

static GtkWidget *
slot_row (FsFlashView *self,
          FsJob       *job,
          guint        slot)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = g_strdup_printf (_("VM slot %u (ota_%u)"), slot, slot);
  const char *style = NULL;
  const char *mark = slot_mark (self, job, slot, &style);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), slot_content (job, slot));
  if (mark != NULL)
    {
      GtkWidget *label = gtk_label_new (mark);

      gtk_widget_add_css_class (label, style);
      gtk_widget_add_css_class (label, "heading");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }
  return row;
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static gint
other_slot (FsJob *job)
{
  const FsSlotState *state = fs_job_get_slot_state (job);

  if (state->n_slots < 2)
    return -1;
  return state->boot_slot < 0 ? 1 : (state->boot_slot + 1) % (gint) state->n_slots;
}

/* Why there are no slots to list: an empty boxed list is a sliver */
static GtkWidget *
no_slots_row (FsJob *job)
{
  GtkWidget *row = adw_action_row_new ();
  GObject *table = job != NULL ? fs_job_get_partition_table (job) : NULL;

  if (job == NULL)
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Not read from the board yet"));
  else if (table == NULL || fs_partition_table_get_n_partitions (FS_PARTITION_TABLE (table)) == 0)
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No slots: the board holds no partition table"));
  else
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("The board’s partition table has no OTA slots"));
  return row;
}

static void
update_slots (FsFlashView *self)
{
  FsJob *job = slot_job (self);
  gboolean idle = self->session != NULL && fs_board_session_get_job (self->session) == NULL;
  gint other = job != NULL ? other_slot (job) : -1;
  gint previous = self->session != NULL ? fs_board_session_get_previous_slot (self->session) : -1;

  clear_list (self->slots_list);
  gtk_widget_set_visible (GTK_WIDGET (self->slots_group), self->session != NULL &&
                          fs_board_session_get_step (self->session) >= FS_BOARD_STEP_VIRTUALIZE);
  for (guint i = 0; job != NULL && i < fs_job_get_slot_state (job)->n_slots; i++)
    gtk_list_box_append (self->slots_list, slot_row (self, job, i));
  if (gtk_widget_get_first_child (GTK_WIDGET (self->slots_list)) == NULL)
    gtk_list_box_append (self->slots_list, no_slots_row (job));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "flash.boot-other-slot",
                                 idle && other >= 0 && fs_job_get_slot_title (job, other) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "flash.roll-back", idle && previous >= 0);
}

static void
on_switch_response (AdwMessageDialog *dialog,
                    const char       *response,
                    FsFlashView      *self)
{
  gint slot = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "slot"));

  if (g_strcmp0 (response, "switch") == 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.switch-slot", "i", slot);
}

/* Names the slot and what it holds before anything is written */
static void
ask_switch (FsFlashView *self,
            const char  *heading,
            gint         slot)
{
  FsJob *job = slot_job (self);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (root), heading, NULL));
  adw_message_dialog_format_body (dialog, _("From its next reset the board starts VM slot %d (ota_%d), "
                                            "which holds %s. The other slot is kept: you can switch back."),
                                  slot, slot, slot_content (job, slot));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "switch", _("_Switch"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "switch", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data (G_OBJECT (dialog), "slot", GINT_TO_POINTER (slot));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_switch_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
boot_other_slot (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  FsFlashView *self = FS_FLASH_VIEW (widget);

  ask_switch (self, _("Boot the Other Slot?"), other_slot (slot_job (self)));
}

static void
roll_back (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  FsFlashView *self = FS_FLASH_VIEW (widget);

  ask_switch (self, _("Roll Back?"), fs_board_session_get_previous_slot (self->session));
}

/* ---- backups ---- */

static void
on_backup_response (AdwMessageDialog *dialog,
                    const char       *response,
                    FsFlashView      *self)
{
  const char *path = g_object_get_data (G_OBJECT (dialog), "path");

  if (g_strcmp0 (response, "restore") == 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.restore-backup", "s", path);
  else if (g_strcmp0 (response, "delete") == 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.delete-backup", "s", path);
}

static void
ask_backup (FsFlashView *self,
            const char  *path,
            gboolean     restore)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *name = g_path_get_basename (path);
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (root),
                                                       restore ? _("Restore This Backup?") : _("Delete This Backup?"),
                                                       NULL));
  if (restore)
    adw_message_dialog_format_body (dialog, _("The whole flash is made as it was in %s: what is on the "
                                              "board now is lost unless it is backed up too."), name);
  else
    adw_message_dialog_format_body (dialog, _("%s is deleted: the flash it holds cannot be restored "
                                              "afterwards."), name);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"),
                                    restore ? "restore" : "delete", restore ? _("_Restore") : _("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (dialog, restore ? "restore" : "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "path", g_strdup (path), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_backup_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_restore_clicked (GtkButton   *button,
                    FsFlashView *self)
{
  ask_backup (self, g_object_get_data (G_OBJECT (button), "path"), TRUE);
}

static void
on_delete_clicked (GtkButton   *button,
                   FsFlashView *self)
{
  ask_backup (self, g_object_get_data (G_OBJECT (button), "path"), FALSE);
}

static GtkWidget *
backup_button (FsFlashView *self,
               const char  *icon,
               const char  *tooltip,
               const char  *path,
               GCallback    callback)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  g_object_set_data_full (G_OBJECT (button), "path", g_strdup (path), g_free);
  g_signal_connect (button, "clicked", callback, self);
  return button;
}

static GtkWidget *
backup_row (FsFlashView          *self,
            const FsDeviceBackup *backup)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *date = fs_device_format_date (backup->date);
  g_autofree char *size = fs_format_size (backup->size);
  g_autofree char *subtitle = g_strdup_printf (_("%s · MD5 %s"), size, backup->md5);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), date);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             backup_button (self, "edit-undo-symbolic", _("Restore"), backup->path,
                                            G_CALLBACK (on_restore_clicked)));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             backup_button (self, "user-trash-symbolic", _("Delete"), backup->path,
                                            G_CALLBACK (on_delete_clicked)));
  return row;
}

static void
update_backups (FsFlashView *self)
{
  FsDeviceRecord *record = self->session != NULL ? fs_board_session_get_record (self->session) : NULL;
  GPtrArray *backups = record != NULL ? fs_device_record_get_backups (record) : NULL;
  gboolean idle = self->session != NULL && fs_board_session_get_job (self->session) == NULL;

  clear_list (self->backups_list);
  gtk_widget_set_visible (GTK_WIDGET (self->backups_group), backups != NULL && backups->len > 0);
  for (guint i = 0; backups != NULL && i < backups->len; i++)
    gtk_list_box_append (self->backups_list, backup_row (self, g_ptr_array_index (backups, i)));
  gtk_widget_set_sensitive (GTK_WIDGET (self->backups_list), idle);
}

/* ---- following the session ---- */

static void
on_sectors (FsJob       *job,
            guint        offset,
            guint        size,
            gint         state,
            FsFlashView *self)
{
  fs_flash_map_set_sectors (self->map, offset, size, state);
}

static void
on_job_changed (FsFlashView *self)
{
  FsJob *job = fs_board_session_get_job (self->session);

  if (job != NULL)
    {
      fs_flash_map_clear_sectors (self->map);
      g_signal_connect_object (job, "sectors", G_CALLBACK (on_sectors), self, 0);
    }
  update_slots (self);
  update_backups (self);
}

static void
on_record_changed (FsFlashView *self)
{
  update_map (self);
  update_slots (self);
  update_backups (self);
}

static void
on_profile_changed (FsFlashView *self)
{
  fill_sources (self);
  on_record_changed (self);
}

void
fs_flash_view_set_session (FsFlashView    *self,
                           FsBoardSession *session)
{
  g_return_if_fail (FS_IS_FLASH_VIEW (self));

  if (self->session == session)
    return;
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  fs_flash_map_clear_sectors (self->map);
  if (session != NULL)
    {
      g_signal_connect_swapped (session, "notify::record", G_CALLBACK (on_record_changed), self);
      g_signal_connect_swapped (session, "notify::slot-job", G_CALLBACK (on_record_changed), self);
      g_signal_connect_swapped (session, "notify::boot", G_CALLBACK (on_record_changed), self);
      g_signal_connect_swapped (session, "notify::profile", G_CALLBACK (on_profile_changed), self);
      g_signal_connect_swapped (session, "notify::job", G_CALLBACK (on_job_changed), self);
      on_profile_changed (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

void
fs_flash_view_set_source (FsFlashView *self,
                          const char  *source)
{
  g_return_if_fail (FS_IS_FLASH_VIEW (self));

  for (guint i = 0; i < self->sources->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->sources, i), source) == 0)
      gtk_drop_down_set_selected (self->source_dropdown, i);
}

const char *
fs_flash_view_get_source (FsFlashView *self)
{
  guint selected;

  g_return_val_if_fail (FS_IS_FLASH_VIEW (self), NULL);

  selected = gtk_drop_down_get_selected (self->source_dropdown);
  return selected < self->sources->len ? g_ptr_array_index (self->sources, selected) : NULL;
}

FsFlashMap *
fs_flash_view_get_map (FsFlashView *self)
{
  g_return_val_if_fail (FS_IS_FLASH_VIEW (self), NULL);
  return self->map;
}

static void
fs_flash_view_dispose (GObject *object)
{
  FsFlashView *self = FS_FLASH_VIEW (object);

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), FS_TYPE_FLASH_VIEW);

  G_OBJECT_CLASS (fs_flash_view_parent_class)->dispose (object);
}

static void
fs_flash_view_finalize (GObject *object)
{
  g_ptr_array_unref (FS_FLASH_VIEW (object)->sources);

  G_OBJECT_CLASS (fs_flash_view_parent_class)->finalize (object);
}

static void
fs_flash_view_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  FsFlashView *self = FS_FLASH_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_SOURCE:
      g_value_set_string (value, fs_flash_view_get_source (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_flash_view_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  FsFlashView *self = FS_FLASH_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      fs_flash_view_set_session (self, g_value_get_object (value));
      break;
    case PROP_SOURCE:
      fs_flash_view_set_source (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_flash_view_class_init (FsFlashViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fs_flash_view_dispose;
  object_class->finalize = fs_flash_view_finalize;
  object_class->get_property = fs_flash_view_get_property;
  object_class->set_property = fs_flash_view_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, FS_TYPE_BOARD_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SOURCE] =
    g_param_spec_string ("source", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (FS_TYPE_FLASH_MAP);
  g_type_ensure (FS_TYPE_REGION_TABLE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/flashstudio/FlashStudio/fs-flash-view.ui");
  gtk_widget_class_bind_template_child (widget_class, FsFlashView, scroller);
  gtk_widget_class_bind_template_child (widget_class, FsFlashView, source_dropdown);
  gtk_widget_class_bind_template_child (widget_class, FsFlashView, map_stack);
  gtk_widget_class_bind_template_child (widget_class, FsFlashView, map);
  gtk_widget_class_bind_template_child (widget_class, FsFlashView, region_table);
  gtk_widget_class_bind_template_child (widget_class, FsFlashView, slots_group);
  gtk_widget_class_bind_template_child (widget_class, FsFlashView, slots_list);
  gtk_widget_class_bind_template_child (widget_class, FsFlashView, backups_group);
  gtk_widget_class_bind_template_child (widget_class, FsFlashView, backups_list);
  gtk_widget_class_install_action (widget_class, "flash.boot-other-slot", NULL, boot_other_slot);
  gtk_widget_class_install_action (widget_class, "flash.roll-back", NULL, roll_back);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "flashview");
}

static void
fs_flash_view_init (FsFlashView *self)
{
  self->sources = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self->source_dropdown, "notify::selected", G_CALLBACK (on_source_selected), self);
  /* The map's selection and the table's, each following the other */
  g_object_bind_property (self->map, "focus-region", self->region_table, "selected-region",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
}

/* fs-create-vm-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "fs-create-vm-dialog.h"
#include "fs-demo.h"
#include "fs-flash.h"

struct _FsCreateVmDialog
{
  AdwWindow             parent_instance;

  FsBoardSession       *session;
  GPtrArray            *layouts;        /* of FsLayout, the profile's, in its order */
  char                 *file;
  gboolean              demo;           /* the demo firmware instead of a file */
  FsLayout             *layout;         /* one of @layouts, or NULL */
  FsVmSet              *set;            /* the valid package for @layout, or NULL */
  char                 *problem;
  GtkFileChooserNative *chooser;

  AdwActionRow         *demo_row;
  AdwActionRow         *file_row;
  AdwActionRow         *package_row;
  GtkLabel             *problem_label;
  AdwComboRow          *layout_row;
  GtkStringList        *layout_titles;
  AdwPreferencesGroup  *regions_group;
  GtkListBox           *regions_list;
};

G_DEFINE_FINAL_TYPE (FsCreateVmDialog, fs_create_vm_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_FILE,
  PROP_LAYOUT,
  PROP_PROBLEM,
  PROP_DEMO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
region_kind_title (FsRegionKind kind)
{
  switch (kind)
    {
    case FS_REGION_KIND_SYSTEM:
      return _("System");
    case FS_REGION_KIND_VM:
      return _("VM");
    case FS_REGION_KIND_BYTECODE:
      return _("Program");
    case FS_REGION_KIND_STORAGE:
      return _("Storage");
    case FS_REGION_KIND_RESERVED:
      return _("Reserved");
    default:
      g_return_val_if_reached (NULL);
    }
}

static GtkWidget *
region_row_new (const FsLayoutRegion *region,
                gboolean              is_target)
{
  g_autofree char *size = fs_format_size (region->size);
  g_autofree char *subtitle = NULL;
  g_autofree char *range = g_strdup_printf ("0x%06x – 0x%06x", region->offset,
                                            region->offset + region->size - 1);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *range_label = gtk_label_new (range);

  if (is_target)
    /* TRANSLATORS: the size and kind of a flash region, e.g. "1984 KiB · VM" */
    subtitle = g_strdup_printf (_("%s · %s · the firmware goes here"), size, region_kind_title (region->kind));
  else
    subtitle = g_strdup_printf (_("%s · %s"), size, region_kind_title (region->kind));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), region->title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_add_css_class (range_label, "address");
  gtk_widget_add_css_class (range_label, "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), range_label);
  if (is_target)
    gtk_widget_add_css_class (row, "vm-slot");
  return row;
}

static void
show_regions (FsCreateVmDialog *self)
{
  const FsLayoutRegion *target = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->regions_list))) != NULL)
    gtk_list_box_remove (self->regions_list, child);
  adw_preferences_group_set_description (self->regions_group,
                                         self->layout != NULL ? fs_layout_get_note (self->layout) : NULL);
  if (self->layout == NULL)
    return;
  target = fs_layout_find_slot (self->layout, FS_REGION_KIND_VM, 0);
  for (guint i = 0; i < fs_layout_get_n_regions (self->layout); i++)
    {
      const FsLayoutRegion *region = fs_layout_get_region (self->layout, i);

      gtk_list_box_append (self->regions_list, region_row_new (region, region == target));
    }
}

static void
set_problem (FsCreateVmDialog *self,
             const char       *problem)
{
  if (g_strcmp0 (self->problem, problem) == 0)
    return;
  g_free (self->problem);
  self->problem = g_strdup (problem);
  gtk_label_set_text (self->problem_label, problem != NULL ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), problem != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
}

static void
show_package (FsCreateVmDialog *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->package_row), self->set != NULL);
  if (self->set != NULL)
    adw_action_row_set_subtitle (self->package_row, fs_vm_set_get_title (self->set));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "create-vm.create", self->set != NULL);
}

/* Reads the package again for the chosen layout: whether it fits
 * depends on the layout's VM slot */
static void
validate (FsCreateVmDialog *self)
{
  FsBoardProfile *profile = fs_board_session_get_profile (self->session);
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->set);
  if (self->demo && self->layout != NULL)
    self->set = fs_demo_new_vm_set (self->layout, fs_board_profile_get_chip (profile), &error);
  else if (self->file != NULL && self->layout != NULL)
    self->set = fs_vm_set_new_from_file (self->file, self->layout, fs_board_profile_get_chip (profile), &error);
  set_problem (self, error != NULL ? error->message : NULL);
  show_package (self);
}

static FsLayout *
find_layout (FsCreateVmDialog *self,
             const char       *name,
             guint            *index)
{
  for (guint i = 0; i < self->layouts->len; i++)
    {
      FsLayout *layout = g_ptr_array_index (self->layouts, i);

      if (g_strcmp0 (fs_layout_get_name (layout), name) == 0)
        {
          *index = i;
          return layout;
        }
    }
  return NULL;
}

void
fs_create_vm_dialog_set_layout (FsCreateVmDialog *self,
                                const char       *layout)
{
  guint index = GTK_INVALID_LIST_POSITION;
  FsLayout *found;

  g_return_if_fail (FS_IS_CREATE_VM_DIALOG (self));

  found = find_layout (self, layout, &index);
  if (found == self->layout)
    return;
  self->layout = found;
  adw_combo_row_set_selected (self->layout_row, index);
  show_regions (self);
  validate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAYOUT]);
}

void
fs_create_vm_dialog_set_file (FsCreateVmDialog *self,
                              const char       *path)
{
  g_autofree char *basename = NULL;

  g_return_if_fail (FS_IS_CREATE_VM_DIALOG (self));

  if (g_strcmp0 (self->file, path) == 0 && !self->demo)
    return;
  g_free (self->file);
  self->file = g_strdup (path);
  self->demo = FALSE;
  if (path != NULL)
    basename = g_filename_display_basename (path);
  adw_action_row_set_subtitle (self->file_row, basename != NULL ? basename : _("No file chosen"));
  validate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
}

void
fs_create_vm_dialog_use_demo (FsCreateVmDialog *self)
{
  g_return_if_fail (FS_IS_CREATE_VM_DIALOG (self));

  g_clear_pointer (&self->file, g_free);
  self->demo = TRUE;
  adw_action_row_set_subtitle (self->file_row, _("No file chosen"));
  validate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEMO]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
}

static void
use_demo_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  fs_create_vm_dialog_use_demo (FS_CREATE_VM_DIALOG (widget));
}

const char *
fs_create_vm_dialog_get_problem (FsCreateVmDialog *self)
{
  g_return_val_if_fail (FS_IS_CREATE_VM_DIALOG (self), NULL);
  return self->problem;
}

static void
layout_selected_cb (FsCreateVmDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->layout_row);

  if (selected < self->layouts->len)
    fs_create_vm_dialog_set_layout (self, fs_layout_get_name (g_ptr_array_index (self->layouts, selected)));
}

static void
chooser_response_cb (FsCreateVmDialog *self,
                     int               response,
                     GtkNativeDialog  *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        fs_create_vm_dialog_set_file (self, path);
    }
  g_clear_object (&self->chooser);
}

static void
add_filter (GtkFileChooser *chooser,
            const char     *name,
            const char     *pattern,
            ...)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  va_list args;

  gtk_file_filter_set_name (filter, name);
  va_start (args, pattern);
  for (const char *p = pattern; p != NULL; p = va_arg (args, const char *))
    gtk_file_filter_add_pattern (filter, p);
  va_end (args);
  gtk_file_chooser_add_filter (chooser, filter);
}

static void
choose_file_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  FsCreateVmDialog *self = FS_CREATE_VM_DIALOG (widget);
  GtkFileChooser *chooser;

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Choose Firmware"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), _("_Cancel"));
  chooser = GTK_FILE_CHOOSER (self->chooser);
  add_filter (chooser, _("Firmware Packages"), "*.bin", "*.json", NULL);
  add_filter (chooser, _("App or Merged Images"), "*.bin", NULL);
  add_filter (chooser, _("ESP Web Tools Manifests"), "*.json", NULL);
  g_signal_connect_swapped (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
create_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  FsCreateVmDialog *self = FS_CREATE_VM_DIALOG (widget);
  g_autoptr(GError) error = NULL;

  g_return_if_fail (self->set != NULL);

  if (!fs_board_session_create_vm (self->session, self->set, &error))
    {
      set_problem (self, error->message);
      return;
    }
  gtk_window_close (GTK_WINDOW (self));
}

static void
load_layouts (FsCreateVmDialog *self)
{
  const char * const *names = fs_board_profile_get_layouts (fs_board_session_get_profile (self->session));

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      FsLayout *layout = fs_layout_new_builtin (names[i], &error);

      /* The profile checked that its layouts exist */
      if (layout == NULL)
        {
          g_warning ("%s", error->message);
          continue;
        }
      g_ptr_array_add (self->layouts, layout);
      gtk_string_list_append (self->layout_titles, fs_layout_get_title (layout));
    }
}

/* The layout the board has (creating its VM again), else the profile's first */
static const char *
initial_layout (FsCreateVmDialog *self)
{
  g_autoptr(FsLayout) current = fs_board_session_dup_layout (self->session);
  guint index;

  if (current != NULL && find_layout (self, fs_layout_get_name (current), &index) != NULL)
    return fs_layout_get_name (g_ptr_array_index (self->layouts, index));
  if (self->layouts->len == 0)
    return NULL;
  return fs_layout_get_name (g_ptr_array_index (self->layouts, 0));
}

static void
fs_create_vm_dialog_constructed (GObject *object)
{
  FsCreateVmDialog *self = FS_CREATE_VM_DIALOG (object);

  G_OBJECT_CLASS (fs_create_vm_dialog_parent_class)->constructed (object);

  load_layouts (self);
  /* Only the virtual board can run it */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->demo_row), fs_demo_get_title ());
  gtk_widget_set_visible (GTK_WIDGET (self->demo_row),
                          fs_port_info_get_kind (fs_board_session_get_port (self->session)) == FS_PORT_KIND_VIRTUAL);
  fs_create_vm_dialog_set_layout (self, initial_layout (self));
  g_signal_connect_swapped (self->layout_row, "notify::selected", G_CALLBACK (layout_selected_cb), self);
}

static void
fs_create_vm_dialog_dispose (GObject *object)
{
  FsCreateVmDialog *self = FS_CREATE_VM_DIALOG (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_object (&self->set);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), FS_TYPE_CREATE_VM_DIALOG);

  G_OBJECT_CLASS (fs_create_vm_dialog_parent_class)->dispose (object);
}

static void
fs_create_vm_dialog_finalize (GObject *object)
{
  FsCreateVmDialog *self = FS_CREATE_VM_DIALOG (object);

  g_ptr_array_unref (self->layouts);
  g_free (self->file);
  g_free (self->problem);

  G_OBJECT_CLASS (fs_create_vm_dialog_parent_class)->finalize (object);
}

static void
fs_create_vm_dialog_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  FsCreateVmDialog *self = FS_CREATE_VM_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_FILE:
      g_value_set_string (value, self->file);
      break;
    case PROP_LAYOUT:
      g_value_set_string (value, self->layout != NULL ? fs_layout_get_name (self->layout) : NULL);
      break;
    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;
    case PROP_DEMO:
      g_value_set_boolean (value, self->demo);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_create_vm_dialog_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  FsCreateVmDialog *self = FS_CREATE_VM_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    case PROP_FILE:
      fs_create_vm_dialog_set_file (self, g_value_get_string (value));
      break;
    case PROP_LAYOUT:
      fs_create_vm_dialog_set_layout (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_create_vm_dialog_class_init (FsCreateVmDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = fs_create_vm_dialog_constructed;
  object_class->dispose = fs_create_vm_dialog_dispose;
  object_class->finalize = fs_create_vm_dialog_finalize;
  object_class->get_property = fs_create_vm_dialog_get_property;
  object_class->set_property = fs_create_vm_dialog_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, FS_TYPE_BOARD_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILE] =
    g_param_spec_string ("file", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAYOUT] =
    g_param_spec_string ("layout", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEMO] =
    g_param_spec_boolean ("demo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/flashstudio/FlashStudio/fs-create-vm-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, FsCreateVmDialog, demo_row);
  gtk_widget_class_bind_template_child (widget_class, FsCreateVmDialog, file_row);
  gtk_widget_class_bind_template_child (widget_class, FsCreateVmDialog, package_row);
  gtk_widget_class_bind_template_child (widget_class, FsCreateVmDialog, problem_label);
  gtk_widget_class_bind_template_child (widget_class, FsCreateVmDialog, layout_row);
  gtk_widget_class_bind_template_child (widget_class, FsCreateVmDialog, layout_titles);
  gtk_widget_class_bind_template_child (widget_class, FsCreateVmDialog, regions_group);
  gtk_widget_class_bind_template_child (widget_class, FsCreateVmDialog, regions_list);

  gtk_widget_class_install_action (widget_class, "create-vm.choose-file", NULL, choose_file_action);
  gtk_widget_class_install_action (widget_class, "create-vm.use-demo", NULL, use_demo_action);
  gtk_widget_class_install_action (widget_class, "create-vm.create", NULL, create_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
fs_create_vm_dialog_init (FsCreateVmDialog *self)
{
  self->layouts = g_ptr_array_new_with_free_func (g_object_unref);
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "create-vm.create", FALSE);
}

FsCreateVmDialog *
fs_create_vm_dialog_new (FsBoardSession *session)
{
  g_return_val_if_fail (FS_IS_BOARD_SESSION (session), NULL);

  return g_object_new (FS_TYPE_CREATE_VM_DIALOG, "session", session, NULL);
}

/* fs-preferences-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "fs-preferences-window.h"

/* The rows of the baud rate's combo row; 0 is the board's default */
static const guint bauds[] = { 0, 115200, 230400, 460800, 921600, 1500000, 2000000 };

struct _FsPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  AdwComboRow          *baud_row;
  GtkSwitch            *backup_switch;
  GtkSwitch            *virtual_switch;
  GtkSpinButton        *scrollback_spin;
  GtkSwitch            *timestamps_switch;
};

G_DEFINE_FINAL_TYPE (FsPreferencesWindow, fs_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A rate the list does not offer (set with gsettings) is not a row: the
 * binding then shows the key's default */
static gboolean
baud_to_row (GValue   *value,
             GVariant *variant,
             gpointer  user_data)
{
  guint baud = g_variant_get_uint32 (variant);

  for (guint i = 0; i < G_N_ELEMENTS (bauds); i++)
    if (bauds[i] == baud)
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
row_to_baud (const GValue       *value,
             const GVariantType *expected_type,
             gpointer            user_data)
{
  guint row = g_value_get_uint (value);

  if (row >= G_N_ELEMENTS (bauds))
    return NULL;
  return g_variant_new_uint32 (bauds[row]);
}

static void
fs_preferences_window_constructed (GObject *object)
{
  FsPreferencesWindow *self = FS_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (fs_preferences_window_parent_class)->constructed (object);

  g_settings_bind_with_mapping (self->settings, "default-baud", self->baud_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, baud_to_row, row_to_baud, NULL, NULL);
  g_settings_bind (self->settings, "backup-before-first-write", self->backup_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "show-virtual-board", self->virtual_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "monitor-scrollback", self->scrollback_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "monitor-timestamps", self->timestamps_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
}

static void
fs_preferences_window_dispose (GObject *object)
{
  FsPreferencesWindow *self = FS_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), FS_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (fs_preferences_window_parent_class)->dispose (object);
}

static void
fs_preferences_window_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  FsPreferencesWindow *self = FS_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  FsPreferencesWindow *self = FS_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_preferences_window_class_init (FsPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = fs_preferences_window_constructed;
  object_class->dispose = fs_preferences_window_dispose;
  object_class->get_property = fs_preferences_window_get_property;
  object_class->set_property = fs_preferences_window_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/flashstudio/FlashStudio/fs-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FsPreferencesWindow, baud_row);
  gtk_widget_class_bind_template_child (widget_class, FsPreferencesWindow, backup_switch);
  gtk_widget_class_bind_template_child (widget_class, FsPreferencesWindow, virtual_switch);
  gtk_widget_class_bind_template_child (widget_class, FsPreferencesWindow, scrollback_spin);
  gtk_widget_class_bind_template_child (widget_class, FsPreferencesWindow, timestamps_switch);
}

static void
fs_preferences_window_init (FsPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

FsPreferencesWindow *
fs_preferences_window_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (FS_TYPE_PREFERENCES_WINDOW, "settings", settings, NULL);
}

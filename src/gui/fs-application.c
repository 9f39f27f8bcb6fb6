/* fs-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "fs-application.h"
#include "fs-preferences-window.h"
#include "fs-window.h"

struct _FsApplication
{
  AdwApplication    parent_instance;

  FsBoardCatalog   *catalog;
  FsPortDiscovery  *discovery;
  FsDeviceRegistry *registry;
  GSettings        *settings;
  gboolean          updating_virtual;
};

G_DEFINE_FINAL_TYPE (FsApplication, fs_application, ADW_TYPE_APPLICATION)

FsApplication *
fs_application_new (void)
{
  return g_object_new (FS_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/flashstudio/FlashStudio",
                       NULL);
}

static guint
count_usb_ports (GListModel *model)
{
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(FsPortInfo) port = g_list_model_get_item (model, i);

      n += fs_port_info_get_kind (port) == FS_PORT_KIND_USB;
    }
  return n;
}

/* The virtual board is there when no real board is, or when the user
 * asks for it always */
static void
update_virtual_board (FsApplication *self)
{
  gboolean wanted = g_settings_get_boolean (self->settings, "show-virtual-board") ||
                    count_usb_ports (G_LIST_MODEL (self->discovery)) == 0;

  if (self->updating_virtual ||
      wanted == fs_port_discovery_get_virtual_board_enabled (self->discovery))
    return;
  self->updating_virtual = TRUE;
  fs_port_discovery_set_virtual_board_enabled (self->discovery, wanted);
  self->updating_virtual = FALSE;
}

static void
on_ports_changed (GListModel    *model,
                  guint          position,
                  guint          removed,
                  guint          added,
                  FsApplication *self)
{
  update_virtual_board (self);
}

static void
fs_application_startup (GApplication *application)
{
  FsApplication *self = FS_APPLICATION (application);
  g_autofree char *user_boards = g_build_filename (g_get_user_config_dir (), "flash-studio", "boards", NULL);
  g_autoptr(GError) error = NULL;

  G_APPLICATION_CLASS (fs_application_parent_class)->startup (application);

  self->settings = g_settings_new (SCHEMA_ID);
  self->catalog = fs_board_catalog_new (user_boards);
  self->registry = fs_device_registry_new (NULL);
  self->discovery = fs_port_discovery_new (self->catalog);
  g_signal_connect (self->discovery, "items-changed", G_CALLBACK (on_ports_changed), self);
  g_signal_connect_swapped (self->settings, "changed::show-virtual-board",
                            G_CALLBACK (update_virtual_board), self);
  /* Without udev (a container, a sandbox without /run/udev) the virtual
   * board is still there */
  if (!fs_port_discovery_start (self->discovery, &error))
    g_warning ("Boards plugged in will not be seen: %s", error->message);
  update_virtual_board (self);
}

static void
fs_application_activate (GApplication *application)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  if (window == NULL)
    window = GTK_WINDOW (fs_window_new (FS_APPLICATION (application)));
  gtk_window_present (window);
}

static void
fs_application_shutdown (GApplication *application)
{
  FsApplication *self = FS_APPLICATION (application);

  G_APPLICATION_CLASS (fs_application_parent_class)->shutdown (application);

  if (self->discovery != NULL)
    g_signal_handlers_disconnect_by_data (self->discovery, self);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->discovery);
  g_clear_object (&self->registry);
  g_clear_object (&self->catalog);
  g_clear_object (&self->settings);
}

/* An application that was registered and never run has no shutdown */
static void
fs_application_finalize (GObject *object)
{
  FsApplication *self = FS_APPLICATION (object);

  g_clear_object (&self->discovery);
  g_clear_object (&self->registry);
  g_clear_object (&self->catalog);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (fs_application_parent_class)->finalize (object);
}

static void
fs_application_class_init (FsApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = fs_application_finalize;

  app_class->startup = fs_application_startup;
  app_class->activate = fs_application_activate;
  app_class->shutdown = fs_application_shutdown;
}

static void
show_preferences (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  FsApplication *self = user_data;
  GtkWindow *preferences = GTK_WINDOW (fs_preferences_window_new (self->settings));

  gtk_window_set_transient_for (preferences, gtk_application_get_active_window (GTK_APPLICATION (self)));
  gtk_window_present (preferences);
}

static void
show_about (GSimpleAction *action,
            GVariant      *parameter,
            gpointer       user_data)
{
  const char *developers[] = { _("Flash Studio maintainers"), NULL };
  GtkApplication *application = user_data;

  adw_show_about_window (gtk_application_get_active_window (application),
                         "application-name", _("Flash Studio"),
                         "application-icon", APP_ID,
                         "version", PACKAGE_VERSION,
                         "developers", developers,
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "comments", _("Flash ESP32 boards, and watch what they print"),
                         NULL);
}

static void
quit (GSimpleAction *action,
      GVariant      *parameter,
      gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
fs_application_init (FsApplication *self)
{
  static const GActionEntry entries[] = {
    { "preferences", show_preferences },
    { "about", show_about },
    { "quit", quit },
  };
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };

  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", preferences_accels);
}

FsBoardCatalog *
fs_application_get_catalog (FsApplication *self)
{
  g_return_val_if_fail (FS_IS_APPLICATION (self), NULL);
  return self->catalog;
}

FsPortDiscovery *
fs_application_get_discovery (FsApplication *self)
{
  g_return_val_if_fail (FS_IS_APPLICATION (self), NULL);
  return self->discovery;
}

FsDeviceRegistry *
fs_application_get_registry (FsApplication *self)
{
  g_return_val_if_fail (FS_IS_APPLICATION (self), NULL);
  return self->registry;
}

GSettings *
fs_application_get_settings (FsApplication *self)
{
  g_return_val_if_fail (FS_IS_APPLICATION (self), NULL);
  return self->settings;
}

/* fs-port-discovery.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <glib-unix.h>
#include <errno.h>
#include <fcntl.h>
#include <libudev.h>

#include "fs-error.h"
#include "fs-port-discovery.h"
#include "fs-transport-serial.h"

#define CHOICE_KEY "Board"

struct _FsPortDiscovery
{
  GObject              parent_instance;

  FsBoardCatalog      *catalog;
  GPtrArray           *ports;            /* of FsPortInfo on USB, sorted by name */
  GPtrArray           *virtual_ports;    /* of FsPortInfo, listed after the USB ports */
  gboolean             virtual_enabled;
  char                *virtual_id;
  char                *choices_path;
  GKeyFile            *choices;
  struct udev         *udev;
  struct udev_monitor *monitor;
  GSource             *source;
};

enum {
  PROP_0,
  PROP_VIRTUAL_BOARD_ENABLED,
  PROP_VIRTUAL_BOARD_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void fs_port_discovery_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FsPortDiscovery, fs_port_discovery, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, fs_port_discovery_list_model_init))

static GType
fs_port_discovery_get_item_type (GListModel *model)
{
  return FS_TYPE_PORT_INFO;
}

static guint
fs_port_discovery_get_n_items (GListModel *model)
{
  FsPortDiscovery *self = FS_PORT_DISCOVERY (model);

  return self->ports->len + self->virtual_ports->len;
}

static gpointer
fs_port_discovery_get_item (GListModel *model,
                            guint       position)
{
  FsPortDiscovery *self = FS_PORT_DISCOVERY (model);

  if (position < self->ports->len)
    return g_object_ref (g_ptr_array_index (self->ports, position));
  position -= self->ports->len;
  if (position < self->virtual_ports->len)
    return g_object_ref (g_ptr_array_index (self->virtual_ports, position));
  return NULL;
}

static void
fs_port_discovery_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = fs_port_discovery_get_item_type;
  iface->get_n_items = fs_port_discovery_get_n_items;
  iface->get_item = fs_port_discovery_get_item;
}

/* The preferred board first, the others by name */
static int
compare_virtual_ports (gconstpointer a,
                       gconstpointer b,
                       gpointer      user_data)
{
  const char *preferred = user_data;
  FsBoardProfile *profile_a = fs_port_info_get_profile (*(FsPortInfo **) a);
  FsBoardProfile *profile_b = fs_port_info_get_profile (*(FsPortInfo **) b);
  gboolean a_first = g_str_equal (fs_board_profile_get_id (profile_a), preferred);
  gboolean b_first = g_str_equal (fs_board_profile_get_id (profile_b), preferred);

  if (a_first != b_first)
    return a_first ? -1 : 1;
  return g_utf8_collate (fs_board_profile_get_name (profile_a), fs_board_profile_get_name (profile_b));
}

/* The virtual boards follow the properties: one for every profile */
static void
update_virtual_ports (FsPortDiscovery *self)
{
  GPtrArray *profiles = fs_board_catalog_get_profiles (self->catalog);
  guint removed = self->virtual_ports->len;

  g_ptr_array_set_size (self->virtual_ports, 0);
  for (guint i = 0; self->virtual_enabled && i < profiles->len; i++)
    {
      FsBoardProfile *profile = g_ptr_array_index (profiles, i);

      g_ptr_array_add (self->virtual_ports, fs_port_info_new_virtual (fs_board_profile_get_id (profile), profile));
    }
  g_ptr_array_sort_with_data (self->virtual_ports, compare_virtual_ports, self->virtual_id);
  if (removed != 0 || self->virtual_ports->len != 0)
    g_list_model_items_changed (G_LIST_MODEL (self), self->ports->len, removed, self->virtual_ports->len);
}

static void
fs_port_discovery_dispose (GObject *object)
{
  FsPortDiscovery *self = FS_PORT_DISCOVERY (object);

  if (self->source != NULL)
    {
      g_source_destroy (self->source);
      g_clear_pointer (&self->source, g_source_unref);
    }
  g_clear_pointer (&self->monitor, udev_monitor_unref);
  g_clear_pointer (&self->udev, udev_unref);

  G_OBJECT_CLASS (fs_port_discovery_parent_class)->dispose (object);
}

static void
fs_port_discovery_finalize (GObject *object)
{
  FsPortDiscovery *self = FS_PORT_DISCOVERY (object);

  g_clear_object (&self->catalog);
  g_ptr_array_unref (self->ports);
  g_ptr_array_unref (self->virtual_ports);
  g_free (self->virtual_id);
  g_free (self->choices_path);
  g_key_file_unref (self->choices);

  G_OBJECT_CLASS (fs_port_discovery_parent_class)->finalize (object);
}

static void
fs_port_discovery_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  FsPortDiscovery *self = FS_PORT_DISCOVERY (object);

  switch (prop_id)
    {
    case PROP_VIRTUAL_BOARD_ENABLED:
      g_value_set_boolean (value, self->virtual_enabled);
      break;
    case PROP_VIRTUAL_BOARD_ID:
      g_value_set_string (value, self->virtual_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_port_discovery_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  FsPortDiscovery *self = FS_PORT_DISCOVERY (object);

  switch (prop_id)
    {
    case PROP_VIRTUAL_BOARD_ENABLED:
      fs_port_discovery_set_virtual_board_enabled (self, g_value_get_boolean (value));
      break;
    case PROP_VIRTUAL_BOARD_ID:
      fs_port_discovery_set_virtual_board_id (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_port_discovery_class_init (FsPortDiscoveryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fs_port_discovery_dispose;
  object_class->finalize = fs_port_discovery_finalize;
  object_class->get_property = fs_port_discovery_get_property;
  object_class->set_property = fs_port_discovery_set_property;

  properties[PROP_VIRTUAL_BOARD_ENABLED] =
    g_param_spec_boolean ("virtual-board-enabled", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VIRTUAL_BOARD_ID] =
    g_param_spec_string ("virtual-board-id", NULL, NULL, FS_PORT_DISCOVERY_DEFAULT_VIRTUAL_BOARD,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fs_port_discovery_init (FsPortDiscovery *self)
{
  self->ports = g_ptr_array_new_with_free_func (g_object_unref);
  self->virtual_ports = g_ptr_array_new_with_free_func (g_object_unref);
  self->virtual_id = g_strdup (FS_PORT_DISCOVERY_DEFAULT_VIRTUAL_BOARD);
  self->choices = g_key_file_new ();
}

static void
load_choices (FsPortDiscovery *self)
{
  g_autoptr(GError) error = NULL;

  if (!g_key_file_load_from_file (self->choices, self->choices_path, G_KEY_FILE_KEEP_COMMENTS, &error) &&
      !g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    g_warning ("%s: %s; the boards chosen for ports are forgotten", self->choices_path, error->message);
}

FsPortDiscovery *
fs_port_discovery_new (FsBoardCatalog *catalog)
{
  FsPortDiscovery *self;

  g_return_val_if_fail (FS_IS_BOARD_CATALOG (catalog), NULL);

  self = g_object_new (FS_TYPE_PORT_DISCOVERY, NULL);
  self->catalog = g_object_ref (catalog);
  self->choices_path = g_build_filename (g_get_user_config_dir (), "flash-studio", "port-choices.ini", NULL);
  load_choices (self);
  return self;
}

/* "USB 10c4:ea60 0001": a key file group per device. The serial number is
 * escaped, as a group name may not hold every character. */
static char *
choice_group (FsPortInfo *port)
{
  g_autofree char *serial = NULL;

  if (fs_port_info_get_kind (port) != FS_PORT_KIND_USB || fs_port_info_get_serial (port) == NULL)
    return NULL;
  serial = g_uri_escape_string (fs_port_info_get_serial (port), NULL, FALSE);
  return g_strdup_printf ("USB %04x:%04x %s", fs_port_info_get_vid (port), fs_port_info_get_pid (port), serial);
}

static void
apply_choice (FsPortDiscovery *self,
              FsPortInfo      *port)
{
  g_autofree char *group = choice_group (port);
  g_autofree char *id = NULL;
  FsBoardProfile *profile;

  if (group == NULL)
    return;
  id = g_key_file_get_string (self->choices, group, CHOICE_KEY, NULL);
  /* A profile the user has since removed: the choice no longer holds */
  profile = id != NULL ? fs_board_catalog_lookup (self->catalog, id) : NULL;
  if (profile != NULL)
    fs_port_info_set_profile (port, profile);
}

/* Opening is the one test that sees everything the kernel checks (mode,
 * group, the ACL udev's uaccess sets) */
static void
check_access (FsPortInfo *port)
{
  const char *node = fs_port_info_get_name (port);
  int fd = g_open (node, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC, 0);

  if (fd >= 0)
    g_close (fd, NULL);
  else if (errno == EACCES || errno == EPERM)
    {
      g_autofree char *problem = fs_transport_describe_permission_problem (node);
      fs_port_info_set_access_problem (port, problem);
    }
}

static gboolean
parse_usb_id (struct udev_device *usb,
              const char         *attribute,
              guint16            *out)
{
  const char *text = udev_device_get_sysattr_value (usb, attribute);
  guint64 value = 0;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 16, 0, G_MAXUINT16, &value, NULL))
    return FALSE;
  *out = value;
  return TRUE;
}

static gint
find_port (FsPortDiscovery *self,
           const char      *syspath)
{
  for (guint i = 0; i < self->ports->len; i++)
    if (g_strcmp0 (fs_port_info_get_syspath (g_ptr_array_index (self->ports, i)), syspath) == 0)
      return i;
  return -1;
}

static void
remove_port (FsPortDiscovery *self,
             const char      *syspath)
{
  gint position = find_port (self, syspath);

  if (position < 0)
    return;
  g_ptr_array_remove_index (self->ports, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
}

/* A port already listed (an add seen by both the enumeration and the
 * monitor) is replaced where it is: the newer facts win */
static void
insert_port (FsPortDiscovery *self,
             FsPortInfo      *port)
{
  gint listed = find_port (self, fs_port_info_get_syspath (port));
  guint position = 0;

  if (listed >= 0)
    {
      g_object_unref (g_ptr_array_index (self->ports, listed));
      g_ptr_array_index (self->ports, listed) = g_object_ref (port);
      g_list_model_items_changed (G_LIST_MODEL (self), listed, 1, 1);
      return;
    }
  while (position < self->ports->len &&
         g_strcmp0 (fs_port_info_get_name (g_ptr_array_index (self->ports, position)),
                    fs_port_info_get_name (port)) < 0)
    position++;
  g_ptr_array_insert (self->ports, position, g_object_ref (port));
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
}

static void
add_device (FsPortDiscovery    *self,
            struct udev_device *device)
{
  const char *node = udev_device_get_devnode (device);
  struct udev_device *usb = udev_device_get_parent_with_subsystem_devtype (device, "usb", "usb_device");
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(FsPortInfo) port = NULL;
  const char *product;
  guint16 vid, pid;

  /* Not on USB (ttyS0, a console): not where a development board is */
  if (node == NULL || usb == NULL || !parse_usb_id (usb, "idVendor", &vid) || !parse_usb_id (usb, "idProduct", &pid))
    return;

  product = udev_device_get_sysattr_value (usb, "product");
  profiles = fs_board_catalog_match_usb (self->catalog, vid, pid, product);
  port = fs_port_info_new_usb (node, udev_device_get_syspath (device), vid, pid,
                               udev_device_get_sysattr_value (usb, "serial"),
                               udev_device_get_sysattr_value (usb, "manufacturer"),
                               product, profiles);
  apply_choice (self, port);
  check_access (port);
  insert_port (self, port);
}

static gboolean
on_monitor_ready (int          fd,
                  GIOCondition condition,
                  gpointer     user_data)
{
  FsPortDiscovery *self = FS_PORT_DISCOVERY (user_data);
  struct udev_device *device;

  while ((device = udev_monitor_receive_device (self->monitor)) != NULL)
    {
      const char *action = udev_device_get_action (device);

      if (g_strcmp0 (action, "add") == 0)
        add_device (self, device);
      else if (g_strcmp0 (action, "remove") == 0)
        remove_port (self, udev_device_get_syspath (device));
      udev_device_unref (device);
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
start_monitor (FsPortDiscovery  *self,
               GError          **error)
{
  self->monitor = udev_monitor_new_from_netlink (self->udev, "udev");
  if (self->monitor == NULL ||
      udev_monitor_filter_add_match_subsystem_devtype (self->monitor, "tty", NULL) < 0 ||
      udev_monitor_enable_receiving (self->monitor) < 0)
    {
      int saved_errno = errno;
      g_set_error (error, FS_ERROR, FS_ERROR_FAILED,
                   _("Could not follow the serial ports being plugged in and out (udev: %s)"),
                   g_strerror (saved_errno));
      g_clear_pointer (&self->monitor, udev_monitor_unref);
      return FALSE;
    }
  self->source = g_unix_fd_source_new (udev_monitor_get_fd (self->monitor), G_IO_IN);
  g_source_set_callback (self->source, G_SOURCE_FUNC (on_monitor_ready), self, NULL);
  g_source_attach (self->source, g_main_context_get_thread_default ());
  return TRUE;
}

static void
enumerate (FsPortDiscovery *self)
{
  struct udev_enumerate *enumerate = udev_enumerate_new (self->udev);
  struct udev_list_entry *entry;

  udev_enumerate_add_match_subsystem (enumerate, "tty");
  udev_enumerate_scan_devices (enumerate);
  udev_list_entry_foreach (entry, udev_enumerate_get_list_entry (enumerate))
    {
      struct udev_device *device = udev_device_new_from_syspath (self->udev, udev_list_entry_get_name (entry));

      if (device == NULL)
        continue;
      add_device (self, device);
      udev_device_unref (device);
    }
  udev_enumerate_unref (enumerate);
}

gboolean
fs_port_discovery_start (FsPortDiscovery  *self,
                         GError          **error)
{
  g_return_val_if_fail (FS_IS_PORT_DISCOVERY (self), FALSE);
  g_return_val_if_fail (self->udev == NULL, FALSE);

  self->udev = udev_new ();
  if (self->udev == NULL)
    {
      int saved_errno = errno;
      g_set_error (error, FS_ERROR, FS_ERROR_FAILED,
                   _("Could not list the serial ports (udev: %s)"), g_strerror (saved_errno));
      return FALSE;
    }
  /* The monitor first, so that a port plugged in while the enumeration
   * runs is not missed */
  if (!start_monitor (self, error))
    {
      g_clear_pointer (&self->udev, udev_unref);
      return FALSE;
    }
  enumerate (self);
  return TRUE;
}

void
fs_port_discovery_set_virtual_board_enabled (FsPortDiscovery *self,
                                             gboolean         enabled)
{
  g_return_if_fail (FS_IS_PORT_DISCOVERY (self));

  enabled = !!enabled;
  if (self->virtual_enabled == enabled)
    return;
  self->virtual_enabled = enabled;
  update_virtual_ports (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIRTUAL_BOARD_ENABLED]);
}

gboolean
fs_port_discovery_get_virtual_board_enabled (FsPortDiscovery *self)
{
  g_return_val_if_fail (FS_IS_PORT_DISCOVERY (self), FALSE);
  return self->virtual_enabled;
}

void
fs_port_discovery_set_virtual_board_id (FsPortDiscovery *self,
                                        const char      *board_id)
{
  g_return_if_fail (FS_IS_PORT_DISCOVERY (self));
  g_return_if_fail (board_id != NULL);

  if (g_str_equal (self->virtual_id, board_id))
    return;
  g_free (self->virtual_id);
  self->virtual_id = g_strdup (board_id);
  if (self->virtual_enabled)
    update_virtual_ports (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIRTUAL_BOARD_ID]);
}

const char *
fs_port_discovery_get_virtual_board_id (FsPortDiscovery *self)
{
  g_return_val_if_fail (FS_IS_PORT_DISCOVERY (self), NULL);
  return self->virtual_id;
}

FsPortInfo *
fs_port_discovery_lookup (FsPortDiscovery *self,
                          const char      *name)
{
  g_return_val_if_fail (FS_IS_PORT_DISCOVERY (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < self->ports->len; i++)
    {
      FsPortInfo *port = g_ptr_array_index (self->ports, i);
      if (g_str_equal (fs_port_info_get_name (port), name))
        return port;
    }
  for (guint i = 0; i < self->virtual_ports->len; i++)
    {
      FsPortInfo *port = g_ptr_array_index (self->virtual_ports, i);
      if (g_str_equal (fs_port_info_get_name (port), name))
        return port;
    }
  return NULL;
}

static gboolean
save_choices (FsPortDiscovery  *self,
              GError          **error)
{
  g_autofree char *dir = g_path_get_dirname (self->choices_path);
  g_autoptr(GError) local_error = NULL;

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, FS_ERROR, FS_ERROR_FAILED,
                   _("Could not make the folder %s: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }
  /* Written to a temporary file, then renamed over the old */
  if (!g_key_file_save_to_file (self->choices, self->choices_path, &local_error))
    {
      g_set_error_literal (error, FS_ERROR, FS_ERROR_FAILED, local_error->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
fs_port_discovery_choose_profile (FsPortDiscovery  *self,
                                  FsPortInfo       *port,
                                  const char       *profile_id,
                                  GError          **error)
{
  g_autofree char *group = NULL;
  FsBoardProfile *profile;

  g_return_val_if_fail (FS_IS_PORT_DISCOVERY (self), FALSE);
  g_return_val_if_fail (FS_IS_PORT_INFO (port), FALSE);
  g_return_val_if_fail (profile_id != NULL, FALSE);

  profile = fs_board_catalog_lookup (self->catalog, profile_id);
  if (profile == NULL)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_NOT_FOUND,
                   _("There is no board “%s” (“flash-studio-cli boards” lists them)"), profile_id);
      return FALSE;
    }
  fs_port_info_set_profile (port, profile);

  group = choice_group (port);
  if (group == NULL)
    return TRUE;
  g_key_file_set_string (self->choices, group, CHOICE_KEY, profile_id);
  for (guint i = 0; i < self->ports->len; i++)
    {
      FsPortInfo *other = g_ptr_array_index (self->ports, i);
      g_autofree char *other_group = choice_group (other);

      if (g_strcmp0 (group, other_group) == 0)
        fs_port_info_set_profile (other, profile);
    }
  return save_choices (self, error);
}

/* fs-port-info.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "fs-port-info.h"
#include "fs-sim-profile.h"

struct _FsPortInfo
{
  GObject         parent_instance;

  FsPortKind      kind;
  char           *name;
  char           *syspath;
  guint16         vid;
  guint16         pid;
  char           *serial;
  char           *manufacturer;
  char           *product;
  char           *mac;              /* a virtual board's, or NULL */
  GPtrArray      *profiles;         /* of FsBoardProfile */
  FsBoardProfile *profile;          /* the chosen one, or NULL */
  char           *access_problem;
};

enum {
  PROP_0,
  PROP_PROFILE,
  PROP_ACCESS_PROBLEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (FsPortInfo, fs_port_info, G_TYPE_OBJECT)

static void
fs_port_info_finalize (GObject *object)
{
  FsPortInfo *self = FS_PORT_INFO (object);

  g_free (self->name);
  g_free (self->syspath);
  g_free (self->serial);
  g_free (self->manufacturer);
  g_free (self->product);
  g_free (self->mac);
  g_ptr_array_unref (self->profiles);
  g_clear_object (&self->profile);
  g_free (self->access_problem);

  G_OBJECT_CLASS (fs_port_info_parent_class)->finalize (object);
}

static void
fs_port_info_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  FsPortInfo *self = FS_PORT_INFO (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      g_value_set_object (value, self->profile);
      break;
    case PROP_ACCESS_PROBLEM:
      g_value_set_string (value, self->access_problem);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_port_info_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  FsPortInfo *self = FS_PORT_INFO (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      fs_port_info_set_profile (self, g_value_get_object (value));
      break;
    case PROP_ACCESS_PROBLEM:
      fs_port_info_set_access_problem (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_port_info_class_init (FsPortInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fs_port_info_finalize;
  object_class->get_property = fs_port_info_get_property;
  object_class->set_property = fs_port_info_set_property;

  properties[PROP_PROFILE] =
    g_param_spec_object ("profile", NULL, NULL, FS_TYPE_BOARD_PROFILE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACCESS_PROBLEM] =
    g_param_spec_string ("access-problem", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fs_port_info_init (FsPortInfo *self)
{
  self->profiles = g_ptr_array_new_with_free_func (g_object_unref);
}

FsPortInfo *
fs_port_info_new_usb (const char *name,
                      const char *syspath,
                      guint16     vid,
                      guint16     pid,
                      const char *serial,
                      const char *manufacturer,
                      const char *product,
                      GPtrArray  *profiles)
{
  FsPortInfo *self;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (syspath != NULL, NULL);
  g_return_val_if_fail (profiles != NULL, NULL);

  self = g_object_new (FS_TYPE_PORT_INFO, NULL);
  self->kind = FS_PORT_KIND_USB;
  self->name = g_strdup (name);
  self->syspath = g_strdup (syspath);
  self->vid = vid;
  self->pid = pid;
  self->serial = g_strdup (serial);
  self->manufacturer = g_strdup (manufacturer);
  self->product = g_strdup (product);
  for (guint i = 0; i < profiles->len; i++)
    g_ptr_array_add (self->profiles, g_object_ref (g_ptr_array_index (profiles, i)));
  if (profiles->len == 1)
    self->profile = g_object_ref (g_ptr_array_index (profiles, 0));
  return self;
}

FsPortInfo *
fs_port_info_new_virtual (const char     *board_id,
                          FsBoardProfile *profile)
{
  FsPortInfo *self;

  g_return_val_if_fail (board_id != NULL, NULL);
  g_return_val_if_fail (profile == NULL || FS_IS_BOARD_PROFILE (profile), NULL);

  self = g_object_new (FS_TYPE_PORT_INFO, NULL);
  self->kind = FS_PORT_KIND_VIRTUAL;
  self->name = g_strconcat ("sim:", board_id, NULL);
  self->mac = fs_sim_board_format_mac_for_id (board_id);
  if (profile != NULL)
    {
      g_ptr_array_add (self->profiles, g_object_ref (profile));
      self->profile = g_object_ref (profile);
    }
  return self;
}

FsPortKind
fs_port_info_get_kind (FsPortInfo *self)
{
  g_return_val_if_fail (FS_IS_PORT_INFO (self), FS_PORT_KIND_USB);
  return self->kind;
}

const char *
fs_port_info_get_name (FsPortInfo *self)
{
  g_return_val_if_fail (FS_IS_PORT_INFO (self), NULL);
  return self->name;
}

const char *
fs_port_info_get_syspath (FsPortInfo *self)
{
  g_return_val_if_fail (FS_IS_PORT_INFO (self), NULL);
  return self->syspath;
}

guint16
fs_port_info_get_vid (FsPortInfo *self)
{
  g_return_val_if_fail (FS_IS_PORT_INFO (self), 0);
  return self->vid;
}

guint16
fs_port_info_get_pid (FsPortInfo *self)
{
  g_return_val_if_fail (FS_IS_PORT_INFO (self), 0);
  return self->pid;
}

const char *
fs_port_info_get_serial (FsPortInfo *self)
{
  g_return_val_if_fail (FS_IS_PORT_INFO (self), NULL);
  return self->serial;
}

const char *
fs_port_info_get_manufacturer (FsPortInfo *self)
{
  g_return_val_if_fail (FS_IS_PORT_INFO (self), NULL);
  return self->manufacturer;
}

const char *
fs_port_info_get_product (FsPortInfo *self)
{
  g_return_val_if_fail (FS_IS_PORT_INFO (self), NULL);
  return self->product;
}

const char *
fs_port_info_get_mac (FsPortInfo *self)
{
  g_return_val_if_fail (FS_IS_PORT_INFO (self), NULL);
  return self->mac;
}

gboolean
fs_port_info_is_same_board (FsPortInfo *self,
                            FsPortInfo *other)
{
  g_return_val_if_fail (FS_IS_PORT_INFO (self), FALSE);
  g_return_val_if_fail (FS_IS_PORT_INFO (other), FALSE);

  if (self->kind != other->kind || self->vid != other->vid || self->pid != other->pid)
    return FALSE;
  /* Many bridges have no serial number: then only the same node will do */
  if (self->serial != NULL && *self->serial != '\0')
    return g_strcmp0 (self->serial, other->serial) == 0;
  return g_strcmp0 (self->name, other->name) == 0;
}

GPtrArray *
fs_port_info_get_profiles (FsPortInfo *self)
{
  g_return_val_if_fail (FS_IS_PORT_INFO (self), NULL);
  return self->profiles;
}

FsBoardProfile *
fs_port_info_get_profile (FsPortInfo *self)
{
  g_return_val_if_fail (FS_IS_PORT_INFO (self), NULL);
  return self->profile;
}

void
fs_port_info_set_profile (FsPortInfo     *self,
                          FsBoardProfile *profile)
{
  g_return_if_fail (FS_IS_PORT_INFO (self));
  g_return_if_fail (profile == NULL || FS_IS_BOARD_PROFILE (profile));

  if (g_set_object (&self->profile, profile))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROFILE]);
}

const char *
fs_port_info_get_access_problem (FsPortInfo *self)
{
  g_return_val_if_fail (FS_IS_PORT_INFO (self), NULL);
  return self->access_problem;
}

void
fs_port_info_set_access_problem (FsPortInfo *self,
                                 const char *problem)
{
  g_return_if_fail (FS_IS_PORT_INFO (self));

  if (g_strcmp0 (self->access_problem, problem) == 0)
    return;
  g_free (self->access_problem);
  self->access_problem = g_strdup (problem);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCESS_PROBLEM]);
}

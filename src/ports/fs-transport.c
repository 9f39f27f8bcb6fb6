/* fs-transport.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "fs-error.h"
#include "fs-transport.h"

#define DEFAULT_BAUD 115200

typedef struct
{
  char                  *name;
  FsTransportCaps        caps;
  guint                  baud;
  gboolean               is_open;
  FsTransportRecordFunc  record;
  gpointer               record_data;
} FsTransportPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (FsTransport, fs_transport, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_CAPS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
fs_transport_dispose (GObject *object)
{
  fs_transport_close (FS_TRANSPORT (object));
  G_OBJECT_CLASS (fs_transport_parent_class)->dispose (object);
}

static void
fs_transport_finalize (GObject *object)
{
  FsTransportPrivate *priv = fs_transport_get_instance_private (FS_TRANSPORT (object));

  g_free (priv->name);
  G_OBJECT_CLASS (fs_transport_parent_class)->finalize (object);
}

static void
fs_transport_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  FsTransportPrivate *priv = fs_transport_get_instance_private (FS_TRANSPORT (object));

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, priv->name);
      break;
    case PROP_CAPS:
      g_value_set_uint (value, priv->caps);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_transport_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  FsTransportPrivate *priv = fs_transport_get_instance_private (FS_TRANSPORT (object));

  switch (prop_id)
    {
    case PROP_NAME:
      priv->name = g_value_dup_string (value);
      break;
    case PROP_CAPS:
      priv->caps = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_transport_class_init (FsTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fs_transport_dispose;
  object_class->finalize = fs_transport_finalize;
  object_class->get_property = fs_transport_get_property;
  object_class->set_property = fs_transport_set_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAPS] =
    g_param_spec_uint ("caps", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fs_transport_init (FsTransport *self)
{
  FsTransportPrivate *priv = fs_transport_get_instance_private (self);

  priv->baud = DEFAULT_BAUD;
}

static void
record (FsTransport      *self,
        FsTransportEvent  event,
        const guint8     *data,
        gsize             len)
{
  FsTransportPrivate *priv = fs_transport_get_instance_private (self);

  if (priv->record != NULL)
    priv->record (event, data, len, priv->record_data);
}

static gboolean
check_open (FsTransport  *self,
            GError      **error)
{
  FsTransportPrivate *priv = fs_transport_get_instance_private (self);

  if (!priv->is_open)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_DISCONNECTED, _("%s is not open"), priv->name);
      return FALSE;
    }
  return TRUE;
}

gssize
fs_transport_read (FsTransport   *self,
                   guint8        *buffer,
                   gsize          len,
                   guint          timeout_ms,
                   GCancellable  *cancellable,
                   GError       **error)
{
  gssize n;

  g_return_val_if_fail (FS_IS_TRANSPORT (self), -1);

  if (!check_open (self, error) || g_cancellable_set_error_if_cancelled (cancellable, error))
    return -1;
  n = FS_TRANSPORT_GET_CLASS (self)->read (self, buffer, len, timeout_ms, cancellable, error);
  if (n > 0)
    record (self, FS_TRANSPORT_EVENT_READ, buffer, n);
  return n;
}

gboolean
fs_transport_write (FsTransport   *self,
                    const guint8  *data,
                    gsize          len,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_return_val_if_fail (FS_IS_TRANSPORT (self), FALSE);

  if (!check_open (self, error) || g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  record (self, FS_TRANSPORT_EVENT_WRITE, data, len);
  return FS_TRANSPORT_GET_CLASS (self)->write (self, data, len, cancellable, error);
}

gboolean
fs_transport_open (FsTransport  *self,
                   GError      **error)
{
  FsTransportPrivate *priv = fs_transport_get_instance_private (self);

  g_return_val_if_fail (FS_IS_TRANSPORT (self), FALSE);

  if (priv->is_open)
    return TRUE;
  if (!FS_TRANSPORT_GET_CLASS (self)->open (self, error))
    return FALSE;
  priv->is_open = TRUE;
  return TRUE;
}

void
fs_transport_close (FsTransport *self)
{
  FsTransportPrivate *priv = fs_transport_get_instance_private (self);

  g_return_if_fail (FS_IS_TRANSPORT (self));

  if (!priv->is_open)
    return;
  FS_TRANSPORT_GET_CLASS (self)->close (self);
  priv->is_open = FALSE;
}

gboolean
fs_transport_get_is_open (FsTransport *self)
{
  FsTransportPrivate *priv = fs_transport_get_instance_private (self);

  g_return_val_if_fail (FS_IS_TRANSPORT (self), FALSE);
  return priv->is_open;
}

const char *
fs_transport_get_name (FsTransport *self)
{
  FsTransportPrivate *priv = fs_transport_get_instance_private (self);

  g_return_val_if_fail (FS_IS_TRANSPORT (self), NULL);
  return priv->name;
}

FsTransportCaps
fs_transport_get_caps (FsTransport *self)
{
  FsTransportPrivate *priv = fs_transport_get_instance_private (self);

  g_return_val_if_fail (FS_IS_TRANSPORT (self), 0);
  return priv->caps;
}

guint
fs_transport_get_baud (FsTransport *self)
{
  FsTransportPrivate *priv = fs_transport_get_instance_private (self);

  g_return_val_if_fail (FS_IS_TRANSPORT (self), 0);
  return priv->baud;
}

gboolean
fs_transport_set_baud (FsTransport  *self,
                       guint         baud,
                       GError      **error)
{
  FsTransportPrivate *priv = fs_transport_get_instance_private (self);
  guint8 data[4] = { baud, baud >> 8, baud >> 16, baud >> 24 };

  g_return_val_if_fail (FS_IS_TRANSPORT (self), FALSE);

  if (priv->is_open && FS_TRANSPORT_GET_CLASS (self)->set_baud != NULL &&
      !FS_TRANSPORT_GET_CLASS (self)->set_baud (self, baud, error))
    return FALSE;
  priv->baud = baud;
  record (self, FS_TRANSPORT_EVENT_BAUD, data, sizeof data);
  return TRUE;
}

gboolean
fs_transport_set_lines (FsTransport  *self,
                        gboolean      dtr,
                        gboolean      rts,
                        GError      **error)
{
  FsTransportPrivate *priv = fs_transport_get_instance_private (self);
  guint8 data[2] = { !!dtr, !!rts };

  g_return_val_if_fail (FS_IS_TRANSPORT (self), FALSE);

  if (!check_open (self, error))
    return FALSE;
  if ((priv->caps & FS_TRANSPORT_CAN_SET_LINES) == 0)
    return TRUE;
  record (self, FS_TRANSPORT_EVENT_LINES, data, sizeof data);
  return FS_TRANSPORT_GET_CLASS (self)->set_lines (self, dtr, rts, error);
}

gboolean
fs_transport_flush_input (FsTransport  *self,
                          GError      **error)
{
  g_return_val_if_fail (FS_IS_TRANSPORT (self), FALSE);

  if (!check_open (self, error))
    return FALSE;
  if (FS_TRANSPORT_GET_CLASS (self)->flush_input == NULL)
    return TRUE;
  return FS_TRANSPORT_GET_CLASS (self)->flush_input (self, error);
}

void
fs_transport_set_recorder (FsTransport           *self,
                           FsTransportRecordFunc  func,
                           gpointer               user_data)
{
  FsTransportPrivate *priv = fs_transport_get_instance_private (self);

  g_return_if_fail (FS_IS_TRANSPORT (self));
  priv->record = func;
  priv->record_data = user_data;
}

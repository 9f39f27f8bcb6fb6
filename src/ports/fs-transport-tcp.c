/* fs-transport-tcp.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include "fs-error.h"
#include "fs-transport-tcp.h"

#define CONNECT_TIMEOUT_S 10

struct _FsTransportTcp
{
  FsTransport         parent_instance;

  char               *host;
  guint16             port;
  GSocketConnection  *connection;
};

G_DEFINE_FINAL_TYPE (FsTransportTcp, fs_transport_tcp, FS_TYPE_TRANSPORT)

static gboolean
set_error_from_io (FsTransportTcp  *self,
                   GError          *io_error,
                   GError         **error)
{
  const char *name = fs_transport_get_name (FS_TRANSPORT (self));

  if (g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_set_error_literal (error, FS_ERROR, FS_ERROR_CANCELLED, io_error->message);
  else if (g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
           g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE) ||
           g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED))
    g_set_error (error, FS_ERROR, FS_ERROR_DISCONNECTED, _("the connection to %s was closed"), name);
  else
    g_set_error (error, FS_ERROR, FS_ERROR_FAILED, "%s: %s", name, io_error->message);
  return FALSE;
}

static gboolean
fs_transport_tcp_open (FsTransport  *transport,
                       GError      **error)
{
  FsTransportTcp *self = FS_TRANSPORT_TCP (transport);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) local_error = NULL;

  g_socket_client_set_timeout (client, CONNECT_TIMEOUT_S);
  self->connection = g_socket_client_connect_to_host (client, self->host, self->port, NULL, &local_error);
  if (self->connection == NULL)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_NOT_FOUND, _("cannot connect to %s: %s"),
                   fs_transport_get_name (transport), local_error->message);
      return FALSE;
    }
  /* The loader protocol is small requests and replies: Nagle only delays them */
  g_socket_set_option (g_socket_connection_get_socket (self->connection), IPPROTO_TCP, TCP_NODELAY, 1, NULL);
  return TRUE;
}

static void
fs_transport_tcp_close (FsTransport *transport)
{
  FsTransportTcp *self = FS_TRANSPORT_TCP (transport);

  g_io_stream_close (G_IO_STREAM (self->connection), NULL, NULL);
  g_clear_object (&self->connection);
}

static gssize
fs_transport_tcp_read (FsTransport   *transport,
                       guint8        *buffer,
                       gsize          len,
                       guint          timeout_ms,
                       GCancellable  *cancellable,
                       GError       **error)
{
  FsTransportTcp *self = FS_TRANSPORT_TCP (transport);
  GSocket *socket = g_socket_connection_get_socket (self->connection);
  g_autoptr(GError) local_error = NULL;
  gssize n;

  if (!g_socket_condition_timed_wait (socket, G_IO_IN, (gint64) timeout_ms * 1000, cancellable, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        return 0;
      set_error_from_io (self, local_error, error);
      return -1;
    }
  n = g_socket_receive_with_blocking (socket, (char *) buffer, len, FALSE, cancellable, &local_error);
  if (n > 0)
    return n;
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    return 0;
  if (n == 0)
    g_set_error_literal (&local_error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "");
  set_error_from_io (self, local_error, error);
  return -1;
}

static gboolean
fs_transport_tcp_write (FsTransport   *transport,
                        const guint8  *data,
                        gsize          len,
                        GCancellable  *cancellable,
                        GError       **error)
{
  FsTransportTcp *self = FS_TRANSPORT_TCP (transport);
  GOutputStream *output = g_io_stream_get_output_stream (G_IO_STREAM (self->connection));
  g_autoptr(GError) local_error = NULL;

  if (!g_output_stream_write_all (output, data, len, NULL, cancellable, &local_error))
    return set_error_from_io (self, local_error, error);
  return TRUE;
}

static gboolean
fs_transport_tcp_flush_input (FsTransport  *transport,
                              GError      **error)
{
  guint8 buffer[4096];
  gssize n;

  while ((n = fs_transport_tcp_read (transport, buffer, sizeof buffer, 0, NULL, error)) > 0)
    ;
  return n == 0;
}

static void
fs_transport_tcp_finalize (GObject *object)
{
  FsTransportTcp *self = FS_TRANSPORT_TCP (object);

  g_free (self->host);
  G_OBJECT_CLASS (fs_transport_tcp_parent_class)->finalize (object);
}

static void
fs_transport_tcp_class_init (FsTransportTcpClass *klass)
{
  FsTransportClass *transport_class = FS_TRANSPORT_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = fs_transport_tcp_finalize;
  transport_class->open = fs_transport_tcp_open;
  transport_class->close = fs_transport_tcp_close;
  transport_class->read = fs_transport_tcp_read;
  transport_class->write = fs_transport_tcp_write;
  transport_class->flush_input = fs_transport_tcp_flush_input;
}

static void
fs_transport_tcp_init (FsTransportTcp *self)
{
}

FsTransport *
fs_transport_tcp_new (const char *host,
                      guint16     port,
                      const char *name)
{
  FsTransportTcp *self;

  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  self = g_object_new (FS_TYPE_TRANSPORT_TCP, "name", name, "caps", 0, NULL);
  self->host = g_strdup (host);
  self->port = port;
  return FS_TRANSPORT (self);
}

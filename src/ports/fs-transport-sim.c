/* fs-transport-sim.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "fs-error.h"
#include "fs-transport-sim.h"

struct _FsTransportSim
{
  FsTransport  parent_instance;

  FsSimBoard  *board;
};

G_DEFINE_FINAL_TYPE (FsTransportSim, fs_transport_sim, FS_TYPE_TRANSPORT)

static gboolean fs_transport_sim_flush_input (FsTransport *transport, GError **error);

static gboolean
fs_transport_sim_open (FsTransport  *transport,
                       GError      **error)
{
  FsTransportSim *self = FS_TRANSPORT_SIM (transport);

  /* An unplugged board's port is not there, as a USB bridge's node is not */
  if (!fs_sim_board_get_plugged (self->board))
    {
      g_set_error (error, FS_ERROR, FS_ERROR_NOT_FOUND, _("no such port: %s"), fs_transport_get_name (transport));
      return FALSE;
    }
  /* A port opens with the lines released, at the baud asked for, and
   * with nothing of what the board said while it was closed */
  fs_sim_board_set_host_baud (self->board, fs_transport_get_baud (transport));
  fs_sim_board_set_lines (self->board, FALSE, FALSE);
  return fs_transport_sim_flush_input (transport, error);
}

static void
fs_transport_sim_close (FsTransport *transport)
{
  FsTransportSim *self = FS_TRANSPORT_SIM (transport);

  fs_sim_board_set_lines (self->board, FALSE, FALSE);
}

static gssize
fs_transport_sim_read (FsTransport   *transport,
                       guint8        *buffer,
                       gsize          len,
                       guint          timeout_ms,
                       GCancellable  *cancellable,
                       GError       **error)
{
  FsTransportSim *self = FS_TRANSPORT_SIM (transport);

  return fs_sim_board_read (self->board, buffer, len, timeout_ms, cancellable, error);
}

static gboolean
fs_transport_sim_write (FsTransport   *transport,
                        const guint8  *data,
                        gsize          len,
                        GCancellable  *cancellable,
                        GError       **error)
{
  FsTransportSim *self = FS_TRANSPORT_SIM (transport);

  return fs_sim_board_write (self->board, data, len, error);
}

static gboolean
fs_transport_sim_set_baud (FsTransport  *transport,
                           guint         baud,
                           GError      **error)
{
  FsTransportSim *self = FS_TRANSPORT_SIM (transport);

  fs_sim_board_set_host_baud (self->board, baud);
  return TRUE;
}

static gboolean
fs_transport_sim_set_lines (FsTransport  *transport,
                            gboolean      dtr,
                            gboolean      rts,
                            GError      **error)
{
  FsTransportSim *self = FS_TRANSPORT_SIM (transport);

  fs_sim_board_set_lines (self->board, dtr, rts);
  return TRUE;
}

static gboolean
fs_transport_sim_flush_input (FsTransport  *transport,
                              GError      **error)
{
  FsTransportSim *self = FS_TRANSPORT_SIM (transport);
  guint8 buffer[4096];
  gssize n;

  while ((n = fs_sim_board_read (self->board, buffer, sizeof buffer, 0, NULL, error)) > 0)
    ;
  return n == 0;
}

static void
fs_transport_sim_finalize (GObject *object)
{
  FsTransportSim *self = FS_TRANSPORT_SIM (object);

  g_clear_object (&self->board);
  G_OBJECT_CLASS (fs_transport_sim_parent_class)->finalize (object);
}

static void
fs_transport_sim_class_init (FsTransportSimClass *klass)
{
  FsTransportClass *transport_class = FS_TRANSPORT_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = fs_transport_sim_finalize;
  transport_class->open = fs_transport_sim_open;
  transport_class->close = fs_transport_sim_close;
  transport_class->read = fs_transport_sim_read;
  transport_class->write = fs_transport_sim_write;
  transport_class->set_baud = fs_transport_sim_set_baud;
  transport_class->set_lines = fs_transport_sim_set_lines;
  transport_class->flush_input = fs_transport_sim_flush_input;
}

static void
fs_transport_sim_init (FsTransportSim *self)
{
}

FsTransport *
fs_transport_sim_new (FsSimBoard *board,
                      const char *name)
{
  FsTransportSim *self;

  g_return_val_if_fail (FS_IS_SIM_BOARD (board), NULL);

  self = g_object_new (FS_TYPE_TRANSPORT_SIM,
                       "name", name,
                       "caps", FS_TRANSPORT_CAN_SET_LINES | FS_TRANSPORT_CAN_SET_BAUD,
                       NULL);
  self->board = g_object_ref (board);
  return FS_TRANSPORT (self);
}

FsSimBoard *
fs_transport_sim_get_board (FsTransportSim *self)
{
  g_return_val_if_fail (FS_IS_TRANSPORT_SIM (self), NULL);
  return self->board;
}

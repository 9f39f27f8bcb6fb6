/* fs-transport-serial.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <grp.h>
#include <libserialport.h>
#include <sys/stat.h>

#include "fs-error.h"
#include "fs-transport-serial.h"

/* libserialport's time-outs are unbounded at 0: wait in slices, so that a
 * cancellable is looked at now and then */
#define WAIT_SLICE_MS 100

struct _FsTransportSerial
{
  FsTransport      parent_instance;

  struct sp_port  *port;
};

G_DEFINE_FINAL_TYPE (FsTransportSerial, fs_transport_serial, FS_TYPE_TRANSPORT)

char *
fs_transport_describe_permission_problem (const char *device_path)
{
  struct stat st;
  struct group *group = NULL;

  g_return_val_if_fail (device_path != NULL, NULL);

  if (stat (device_path, &st) == 0)
    group = getgrgid (st.st_gid);
  /* The group can be unknown (a container, a node made by hand): the udev rule still helps */
  if (group == NULL)
    return g_strdup_printf (_("You may not open %s: install Flash Studio's udev rule (it grants the "
                              "logged-in user access)"), device_path);
  return g_strdup_printf (_("You may not open %s: add yourself to the “%s” group (sudo usermod -aG %s $USER, "
                            "then log in again), or install Flash Studio's udev rule (it grants the "
                            "logged-in user access)"), device_path, group->gr_name, group->gr_name);
}

/* Turns what libserialport said into an FS_ERROR; @result is never SP_OK */
static gboolean
set_error (FsTransportSerial  *self,
           enum sp_return      result,
           GError            **error)
{
  const char *name = fs_transport_get_name (FS_TRANSPORT (self));
  int error_number = result == SP_ERR_FAIL ? sp_last_error_code () : 0;

  if (error_number == EACCES || error_number == EPERM)
    {
      g_autofree char *message = fs_transport_describe_permission_problem (name);
      g_set_error_literal (error, FS_ERROR, FS_ERROR_PERMISSION_DENIED, message);
    }
  else if (error_number == ENOENT)
    g_set_error (error, FS_ERROR, FS_ERROR_NOT_FOUND, _("no such port: %s"), name);
  else if (error_number == EIO || error_number == ENXIO || error_number == ENODEV)
    g_set_error (error, FS_ERROR, FS_ERROR_DISCONNECTED, _("the port disappeared: %s"), name);
  else if (result == SP_ERR_SUPP)
    g_set_error (error, FS_ERROR, FS_ERROR_NOT_SUPPORTED, _("%s does not support this"), name);
  else if (result == SP_ERR_FAIL)
    {
      char *message = sp_last_error_message ();
      g_set_error (error, FS_ERROR, FS_ERROR_FAILED, "%s: %s", name, message);
      sp_free_error_message (message);
    }
  else
    g_set_error (error, FS_ERROR, FS_ERROR_FAILED, _("%s: the serial port library failed (%d)"), name, result);
  return FALSE;
}

#define CHECK(self, call, error) \
  G_STMT_START { enum sp_return _r = (call); if (_r < 0) return set_error ((self), _r, (error)); } G_STMT_END

static gboolean
configure (FsTransportSerial  *self,
           GError            **error)
{
  CHECK (self, sp_set_bits (self->port, 8), error);
  CHECK (self, sp_set_parity (self->port, SP_PARITY_NONE), error);
  CHECK (self, sp_set_stopbits (self->port, 1), error);
  CHECK (self, sp_set_flowcontrol (self->port, SP_FLOWCONTROL_NONE), error);
  CHECK (self, sp_set_baudrate (self->port, fs_transport_get_baud (FS_TRANSPORT (self))), error);
  /* A port opens with the lines released */
  CHECK (self, sp_set_dtr (self->port, SP_DTR_OFF), error);
  CHECK (self, sp_set_rts (self->port, SP_RTS_OFF), error);
  return TRUE;
}

static gboolean
fs_transport_serial_open (FsTransport  *transport,
                          GError      **error)
{
  FsTransportSerial *self = FS_TRANSPORT_SERIAL (transport);
  enum sp_return result;

  if (sp_get_port_by_name (fs_transport_get_name (transport), &self->port) != SP_OK)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_NOT_FOUND, _("no such port: %s"), fs_transport_get_name (transport));
      return FALSE;
    }
  result = sp_open (self->port, SP_MODE_READ_WRITE);
  if (result != SP_OK || !configure (self, error))
    {
      if (result != SP_OK)
        set_error (self, result, error);
      else
        sp_close (self->port);
      g_clear_pointer (&self->port, sp_free_port);
      return FALSE;
    }
  return TRUE;
}

static void
fs_transport_serial_close (FsTransport *transport)
{
  FsTransportSerial *self = FS_TRANSPORT_SERIAL (transport);

  sp_close (self->port);
  g_clear_pointer (&self->port, sp_free_port);
}

static gssize
fs_transport_serial_read (FsTransport   *transport,
                          guint8        *buffer,
                          gsize          len,
                          guint          timeout_ms,
                          GCancellable  *cancellable,
                          GError       **error)
{
  FsTransportSerial *self = FS_TRANSPORT_SERIAL (transport);
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  for (;;)
    {
      gint64 left_ms = (deadline - g_get_monotonic_time ()) / 1000;
      enum sp_return n;

      if (left_ms <= 0)
        n = sp_nonblocking_read (self->port, buffer, len);
      else
        n = sp_blocking_read_next (self->port, buffer, len, MIN (left_ms, WAIT_SLICE_MS));
      if (n < 0)
        {
          set_error (self, n, error);
          return -1;
        }
      if (n > 0 || left_ms <= 0)
        return n;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return -1;
    }
}

static gboolean
fs_transport_serial_write (FsTransport   *transport,
                           const guint8  *data,
                           gsize          len,
                           GCancellable  *cancellable,
                           GError       **error)
{
  FsTransportSerial *self = FS_TRANSPORT_SERIAL (transport);

  while (len > 0)
    {
      enum sp_return n = sp_blocking_write (self->port, data, len, WAIT_SLICE_MS);

      if (n < 0)
        return set_error (self, n, error);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      data += n;
      len -= n;
    }
  return TRUE;
}

static gboolean
fs_transport_serial_set_baud (FsTransport  *transport,
                              guint         baud,
                              GError      **error)
{
  FsTransportSerial *self = FS_TRANSPORT_SERIAL (transport);

  CHECK (self, sp_set_baudrate (self->port, baud), error);
  return TRUE;
}

static gboolean
fs_transport_serial_set_lines (FsTransport  *transport,
                               gboolean      dtr,
                               gboolean      rts,
                               GError      **error)
{
  FsTransportSerial *self = FS_TRANSPORT_SERIAL (transport);

  CHECK (self, sp_set_dtr (self->port, dtr ? SP_DTR_ON : SP_DTR_OFF), error);
  CHECK (self, sp_set_rts (self->port, rts ? SP_RTS_ON : SP_RTS_OFF), error);
  return TRUE;
}

static gboolean
fs_transport_serial_flush_input (FsTransport  *transport,
                                 GError      **error)
{
  FsTransportSerial *self = FS_TRANSPORT_SERIAL (transport);

  CHECK (self, sp_flush (self->port, SP_BUF_INPUT), error);
  return TRUE;
}

static void
fs_transport_serial_class_init (FsTransportSerialClass *klass)
{
  FsTransportClass *transport_class = FS_TRANSPORT_CLASS (klass);

  transport_class->open = fs_transport_serial_open;
  transport_class->close = fs_transport_serial_close;
  transport_class->read = fs_transport_serial_read;
  transport_class->write = fs_transport_serial_write;
  transport_class->set_baud = fs_transport_serial_set_baud;
  transport_class->set_lines = fs_transport_serial_set_lines;
  transport_class->flush_input = fs_transport_serial_flush_input;
}

static void
fs_transport_serial_init (FsTransportSerial *self)
{
}

FsTransport *
fs_transport_serial_new (const char *device_path)
{
  g_return_val_if_fail (device_path != NULL, NULL);

  return g_object_new (FS_TYPE_TRANSPORT_SERIAL,
                       "name", device_path,
                       "caps", FS_TRANSPORT_CAN_SET_LINES | FS_TRANSPORT_CAN_SET_BAUD,
                       NULL);
}

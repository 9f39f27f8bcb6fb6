/* fs-transport-termios.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "fs-error.h"
#include "fs-transport-serial.h"
#include "fs-transport-termios.h"

/* Unix 98 pty slaves (Documentation/admin-guide/devices.txt) */
#define PTY_SLAVE_MAJOR_FIRST 136
#define PTY_SLAVE_MAJOR_LAST  143

struct _FsTransportTermios
{
  FsTransport  parent_instance;

  int          fd;
};

G_DEFINE_FINAL_TYPE (FsTransportTermios, fs_transport_termios, FS_TYPE_TRANSPORT)

static const struct {
  guint   baud;
  speed_t speed;
} speeds[] = {
  { 9600, B9600 }, { 19200, B19200 }, { 38400, B38400 }, { 57600, B57600 },
  { 115200, B115200 }, { 230400, B230400 }, { 460800, B460800 }, { 500000, B500000 },
  { 576000, B576000 }, { 921600, B921600 }, { 1000000, B1000000 }, { 1152000, B1152000 },
  { 1500000, B1500000 }, { 2000000, B2000000 }, { 2500000, B2500000 }, { 3000000, B3000000 },
  { 3500000, B3500000 }, { 4000000, B4000000 },
};

static gboolean
is_pty (const char *device_path)
{
  struct stat st;

  if (stat (device_path, &st) != 0 || !S_ISCHR (st.st_mode))
    return FALSE;
  return major (st.st_rdev) >= PTY_SLAVE_MAJOR_FIRST && major (st.st_rdev) <= PTY_SLAVE_MAJOR_LAST;
}

static void
close_port (FsTransportTermios *self)
{
  if (self->fd >= 0)
    g_close (self->fd, NULL);
  self->fd = -1;
}

static gboolean
is_gone (int error_number)
{
  return error_number == EIO || error_number == ENXIO || error_number == ENODEV;
}

static gboolean
set_error_from_errno (FsTransportTermios  *self,
                      int                  error_number,
                      GError             **error)
{
  const char *name = fs_transport_get_name (FS_TRANSPORT (self));

  if (is_gone (error_number))
    g_set_error (error, FS_ERROR, FS_ERROR_DISCONNECTED, _("the port disappeared: %s"), name);
  else
    g_set_error (error, FS_ERROR, FS_ERROR_FAILED, _("%s: %s"), name, g_strerror (error_number));
  return FALSE;
}

static gboolean
apply_baud (FsTransportTermios  *self,
            guint                baud,
            GError             **error)
{
  struct termios tio;

  for (gsize i = 0; i < G_N_ELEMENTS (speeds); i++)
    {
      if (speeds[i].baud != baud)
        continue;
      if (tcgetattr (self->fd, &tio) != 0 || cfsetspeed (&tio, speeds[i].speed) != 0 ||
          tcsetattr (self->fd, TCSANOW, &tio) != 0)
        return set_error_from_errno (self, errno, error);
      return TRUE;
    }
  g_set_error (error, FS_ERROR, FS_ERROR_NOT_SUPPORTED,
               _("%s cannot run at %u baud: choose a standard rate such as 115200 or 921600"),
               fs_transport_get_name (FS_TRANSPORT (self)), baud);
  return FALSE;
}

/* Raw 8N1, no flow control: the ROM loader's framing is all there is */
static gboolean
configure (FsTransportTermios  *self,
           GError             **error)
{
  struct termios tio;

  if (tcgetattr (self->fd, &tio) != 0)
    {
      if (errno != ENOTTY)
        return set_error_from_errno (self, errno, error);
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT, _("%s is not a serial port"),
                   fs_transport_get_name (FS_TRANSPORT (self)));
      return FALSE;
    }
  cfmakeraw (&tio);
  tio.c_cflag |= CLOCAL | CREAD;
  tio.c_cflag &= ~(CSTOPB | PARENB | CRTSCTS);
  tio.c_iflag &= ~(IXON | IXOFF | IXANY);
  if (tcsetattr (self->fd, TCSANOW, &tio) != 0)
    return set_error_from_errno (self, errno, error);
  return apply_baud (self, fs_transport_get_baud (FS_TRANSPORT (self)), error);
}

static gboolean
fs_transport_termios_open (FsTransport  *transport,
                           GError      **error)
{
  FsTransportTermios *self = FS_TRANSPORT_TERMIOS (transport);
  const char *path = fs_transport_get_name (transport);

  self->fd = open (path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (self->fd < 0)
    {
      int saved_errno = errno;

      if (saved_errno == ENOENT || saved_errno == ENXIO || saved_errno == ENODEV)
        g_set_error (error, FS_ERROR, FS_ERROR_NOT_FOUND, _("no such port: %s"), path);
      else if (saved_errno == EACCES || saved_errno == EPERM)
        {
          g_autofree char *message = fs_transport_describe_permission_problem (path);
          g_set_error_literal (error, FS_ERROR, FS_ERROR_PERMISSION_DENIED, message);
        }
      else
        set_error_from_errno (self, saved_errno, error);
      return FALSE;
    }
  if (!configure (self, error))
    {
      close_port (self);
      return FALSE;
    }
  return TRUE;
}

static void
fs_transport_termios_close (FsTransport *transport)
{
  FsTransportTermios *self = FS_TRANSPORT_TERMIOS (transport);

  close_port (self);
}

/* Waits for @events on the port or for @cancellable; 0 on time-out */
static int
wait_for (FsTransportTermios  *self,
          short                events,
          int                  timeout_ms,
          GCancellable        *cancellable,
          GError             **error)
{
  struct pollfd fds[2] = { { .fd = self->fd, .events = events } };
  GPollFD cancel_fd = { .fd = -1 };
  int n;

  if (g_cancellable_make_pollfd (cancellable, &cancel_fd))
    fds[1] = (struct pollfd) { .fd = cancel_fd.fd, .events = POLLIN };
  do
    n = poll (fds, cancel_fd.fd >= 0 ? 2 : 1, timeout_ms);
  while (n < 0 && errno == EINTR);
  if (cancel_fd.fd >= 0)
    g_cancellable_release_fd (cancellable);

  if (n < 0)
    {
      set_error_from_errno (self, errno, error);
      return -1;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return -1;
  /* A pty whose other end closed, or a USB port pulled out */
  if (n > 0 && (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)) != 0 && (fds[0].revents & POLLIN) == 0)
    {
      set_error_from_errno (self, EIO, error);
      return -1;
    }
  return n;
}

static gssize
fs_transport_termios_read (FsTransport   *transport,
                           guint8        *buffer,
                           gsize          len,
                           guint          timeout_ms,
                           GCancellable  *cancellable,
                           GError       **error)
{
  FsTransportTermios *self = FS_TRANSPORT_TERMIOS (transport);
  int ready = wait_for (self, POLLIN, MIN (timeout_ms, G_MAXINT), cancellable, error);
  gssize n;

  if (ready <= 0)
    return ready;
  n = read (self->fd, buffer, len);
  if (n > 0)
    return n;
  if (n < 0 && errno == EAGAIN)
    return 0;
  set_error_from_errno (self, n == 0 ? EIO : errno, error);
  return -1;
}

static gboolean
fs_transport_termios_write (FsTransport   *transport,
                            const guint8  *data,
                            gsize          len,
                            GCancellable  *cancellable,
                            GError       **error)
{
  FsTransportTermios *self = FS_TRANSPORT_TERMIOS (transport);

  while (len > 0)
    {
      gssize n = write (self->fd, data, len);

      if (n < 0 && errno != EAGAIN && errno != EINTR)
        return set_error_from_errno (self, errno, error);
      if (n < 0)
        {
          if (wait_for (self, POLLOUT, -1, cancellable, error) < 0)
            return FALSE;
          continue;
        }
      data += n;
      len -= n;
    }
  return TRUE;
}

static gboolean
fs_transport_termios_set_baud (FsTransport  *transport,
                               guint         baud,
                               GError      **error)
{
  return apply_baud (FS_TRANSPORT_TERMIOS (transport), baud, error);
}

static gboolean
set_line (FsTransportTermios  *self,
          int                  line,
          gboolean             on,
          GError             **error)
{
  if (ioctl (self->fd, on ? TIOCMBIS : TIOCMBIC, &line) != 0)
    return set_error_from_errno (self, errno, error);
  return TRUE;
}

static gboolean
fs_transport_termios_set_lines (FsTransport  *transport,
                                gboolean      dtr,
                                gboolean      rts,
                                GError      **error)
{
  FsTransportTermios *self = FS_TRANSPORT_TERMIOS (transport);

  return set_line (self, TIOCM_DTR, dtr, error) && set_line (self, TIOCM_RTS, rts, error);
}

static gboolean
fs_transport_termios_flush_input (FsTransport  *transport,
                                  GError      **error)
{
  FsTransportTermios *self = FS_TRANSPORT_TERMIOS (transport);

  if (tcflush (self->fd, TCIFLUSH) != 0)
    return set_error_from_errno (self, errno, error);
  return TRUE;
}

static void
fs_transport_termios_class_init (FsTransportTermiosClass *klass)
{
  FsTransportClass *transport_class = FS_TRANSPORT_CLASS (klass);

  transport_class->open = fs_transport_termios_open;
  transport_class->close = fs_transport_termios_close;
  transport_class->read = fs_transport_termios_read;
  transport_class->write = fs_transport_termios_write;
  transport_class->set_baud = fs_transport_termios_set_baud;
  transport_class->set_lines = fs_transport_termios_set_lines;
  transport_class->flush_input = fs_transport_termios_flush_input;
}

static void
fs_transport_termios_init (FsTransportTermios *self)
{
  self->fd = -1;
}

FsTransport *
fs_transport_termios_new (const char *device_path)
{
  g_return_val_if_fail (device_path != NULL, NULL);

  return g_object_new (FS_TYPE_TRANSPORT_TERMIOS,
                       "name", device_path,
                       "caps", is_pty (device_path) ? 0 : FS_TRANSPORT_CAN_SET_LINES | FS_TRANSPORT_CAN_SET_BAUD,
                       NULL);
}

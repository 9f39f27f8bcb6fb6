/* fs-transport-rfc2217.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "fs-error.h"
#include "fs-transport-rfc2217.h"
#include "fs-transport-tcp.h"

/* RFC 854 */
#define TELNET_SE    240
#define TELNET_SB    250
#define TELNET_WILL  251
#define TELNET_WONT  252
#define TELNET_DO    253
#define TELNET_DONT  254
#define TELNET_IAC   255

#define OPTION_BINARY    0
#define OPTION_SGA       3
#define OPTION_COM_PORT  44

/* RFC 2217 */
#define COM_SET_BAUDRATE  1
#define COM_SET_CONTROL   5
#define CONTROL_DTR_ON    8
#define CONTROL_DTR_OFF   9
#define CONTROL_RTS_ON    11
#define CONTROL_RTS_OFF   12
#define COM_SERVER_OFFSET 100

#define REPLY_TIMEOUT_MS   2000
#define MAX_SUBNEGOTIATION 64
#define READ_SIZE          4096

typedef enum {
  TELNET_DATA,
  TELNET_COMMAND,      /* after IAC */
  TELNET_OPTION,       /* after IAC WILL/WONT/DO/DONT */
  TELNET_SUB,          /* after IAC SB */
  TELNET_SUB_IAC,      /* IAC inside a subnegotiation */
} TelnetState;

struct _FsTransportRfc2217
{
  FsTransport  parent_instance;

  FsTransport *link;
  TelnetState  state;
  guint8       verb;
  GByteArray  *sub;
  /* Data that arrived while waiting for the server to confirm a command */
  GByteArray  *pending;
  /* The options we asked for, or agreed to, so that an answer is not answered again */
  gboolean     sent_will[256];
  gboolean     sent_do[256];
  /* Server replies seen since last cleared, one bit per command */
  guint32      replies;
};

G_DEFINE_FINAL_TYPE (FsTransportRfc2217, fs_transport_rfc2217, FS_TYPE_TRANSPORT)

static gboolean
send_option (FsTransportRfc2217  *self,
             guint8               verb,
             guint8               option,
             GError             **error)
{
  const guint8 command[] = { TELNET_IAC, verb, option };

  if (verb == TELNET_WILL || verb == TELNET_WONT)
    self->sent_will[option] = TRUE;
  else
    self->sent_do[option] = TRUE;
  return fs_transport_write (self->link, command, sizeof command, NULL, error);
}

static gboolean
option_supported (guint8 option)
{
  return option == OPTION_BINARY || option == OPTION_SGA || option == OPTION_COM_PORT;
}

/* Answers what the server asks, unless it answers what we asked */
static gboolean
handle_option (FsTransportRfc2217  *self,
               guint8               verb,
               guint8               option,
               GError             **error)
{
  if (verb == TELNET_DO && !self->sent_will[option])
    return send_option (self, option_supported (option) ? TELNET_WILL : TELNET_WONT, option, error);
  if (verb == TELNET_WILL && !self->sent_do[option])
    return send_option (self, option_supported (option) ? TELNET_DO : TELNET_DONT, option, error);
  return TRUE;
}

static void
handle_subnegotiation (FsTransportRfc2217 *self)
{
  guint8 command;

  if (self->sub->len < 2 || self->sub->data[0] != OPTION_COM_PORT)
    return;
  command = self->sub->data[1];
  if (command >= COM_SERVER_OFFSET && command < COM_SERVER_OFFSET + 32)
    self->replies |= 1u << (command - COM_SERVER_OFFSET);
}

/* Splits what came from the server into data, appended to @data, and
 * Telnet commands, handled; a command may span calls. */
static gboolean
receive (FsTransportRfc2217  *self,
         const guint8        *raw,
         gsize                len,
         GByteArray          *data,
         GError             **error)
{
  for (gsize i = 0; i < len; i++)
    {
      guint8 byte = raw[i];

      switch (self->state)
        {
        case TELNET_DATA:
          if (byte == TELNET_IAC)
            self->state = TELNET_COMMAND;
          else
            g_byte_array_append (data, &byte, 1);
          break;
        case TELNET_COMMAND:
          self->state = TELNET_DATA;
          if (byte == TELNET_IAC)
            g_byte_array_append (data, &byte, 1);
          else if (byte >= TELNET_WILL && byte <= TELNET_DONT)
            self->verb = byte, self->state = TELNET_OPTION;
          else if (byte == TELNET_SB)
            {
              g_byte_array_set_size (self->sub, 0);
              self->state = TELNET_SUB;
            }
          break;
        case TELNET_OPTION:
          self->state = TELNET_DATA;
          if (!handle_option (self, self->verb, byte, error))
            return FALSE;
          break;
        case TELNET_SUB:
          if (byte == TELNET_IAC)
            self->state = TELNET_SUB_IAC;
          else if (self->sub->len < MAX_SUBNEGOTIATION)
            g_byte_array_append (self->sub, &byte, 1);
          break;
        case TELNET_SUB_IAC:
          self->state = TELNET_SUB;
          if (byte == TELNET_IAC && self->sub->len < MAX_SUBNEGOTIATION)
            g_byte_array_append (self->sub, &byte, 1);
          else if (byte == TELNET_SE)
            {
              handle_subnegotiation (self);
              self->state = TELNET_DATA;
            }
          break;
        default:
          g_assert_not_reached ();
        }
    }
  return TRUE;
}

/* Reads from the link into self->pending, for up to @timeout_ms;
 * 0 when nothing came */
static gssize
receive_some (FsTransportRfc2217  *self,
              gsize                max,
              guint                timeout_ms,
              GCancellable        *cancellable,
              GError             **error)
{
  guint8 raw[READ_SIZE];
  gssize n = fs_transport_read (self->link, raw, MIN (max, sizeof raw), timeout_ms, cancellable, error);

  if (n > 0 && !receive (self, raw, n, self->pending, error))
    return -1;
  return n;
}

/* Sends a COM port command, its value with IAC doubled, and waits for
 * the server's reply (the command plus 100), keeping any data that comes first */
static gboolean
send_com_port (FsTransportRfc2217  *self,
               guint8               command,
               const guint8        *value,
               gsize                len,
               GError             **error)
{
  g_autoptr(GByteArray) packet = g_byte_array_new ();
  const guint8 head[] = { TELNET_IAC, TELNET_SB, OPTION_COM_PORT, command };
  const guint8 tail[] = { TELNET_IAC, TELNET_SE };
  gint64 deadline = g_get_monotonic_time () + REPLY_TIMEOUT_MS * 1000;
  guint32 bit = 1u << command;

  g_byte_array_append (packet, head, sizeof head);
  for (gsize i = 0; i < len; i++)
    {
      g_byte_array_append (packet, &value[i], 1);
      if (value[i] == TELNET_IAC)
        g_byte_array_append (packet, &value[i], 1);
    }
  g_byte_array_append (packet, tail, sizeof tail);
  self->replies &= ~bit;
  if (!fs_transport_write (self->link, packet->data, packet->len, NULL, error))
    return FALSE;

  while ((self->replies & bit) == 0)
    {
      gint64 left_ms = (deadline - g_get_monotonic_time ()) / 1000;

      if (left_ms <= 0)
        {
          g_set_error (error, FS_ERROR, FS_ERROR_TIMED_OUT,
                       _("%s did not confirm the setting: is it an RFC 2217 server?"),
                       fs_transport_get_name (FS_TRANSPORT (self)));
          return FALSE;
        }
      if (receive_some (self, READ_SIZE, left_ms, NULL, error) < 0)
        return FALSE;
    }
  return TRUE;
}

static gboolean
set_control (FsTransportRfc2217  *self,
             guint8               value,
             GError             **error)
{
  return send_com_port (self, COM_SET_CONTROL, &value, 1, error);
}

static gboolean
fs_transport_rfc2217_set_baud (FsTransport  *transport,
                               guint         baud,
                               GError      **error)
{
  const guint8 value[] = { baud >> 24, baud >> 16, baud >> 8, baud };

  return send_com_port (FS_TRANSPORT_RFC2217 (transport), COM_SET_BAUDRATE, value, sizeof value, error);
}

static gboolean
fs_transport_rfc2217_set_lines (FsTransport  *transport,
                                gboolean      dtr,
                                gboolean      rts,
                                GError      **error)
{
  FsTransportRfc2217 *self = FS_TRANSPORT_RFC2217 (transport);

  return set_control (self, dtr ? CONTROL_DTR_ON : CONTROL_DTR_OFF, error) &&
         set_control (self, rts ? CONTROL_RTS_ON : CONTROL_RTS_OFF, error);
}

static void
reset_session (FsTransportRfc2217 *self)
{
  self->state = TELNET_DATA;
  self->replies = 0;
  g_byte_array_set_size (self->pending, 0);
  memset (self->sent_will, 0, sizeof self->sent_will);
  memset (self->sent_do, 0, sizeof self->sent_do);
}

static gboolean
fs_transport_rfc2217_open (FsTransport  *transport,
                           GError      **error)
{
  FsTransportRfc2217 *self = FS_TRANSPORT_RFC2217 (transport);

  reset_session (self);
  if (!fs_transport_open (self->link, error))
    return FALSE;
  /* A port opens at the baud asked for, with the lines released */
  if (!send_option (self, TELNET_WILL, OPTION_COM_PORT, error) ||
      !send_option (self, TELNET_WILL, OPTION_BINARY, error) ||
      !send_option (self, TELNET_DO, OPTION_BINARY, error) ||
      !fs_transport_rfc2217_set_baud (transport, fs_transport_get_baud (transport), error) ||
      !fs_transport_rfc2217_set_lines (transport, FALSE, FALSE, error))
    {
      fs_transport_close (self->link);
      return FALSE;
    }
  return TRUE;
}

static void
fs_transport_rfc2217_close (FsTransport *transport)
{
  FsTransportRfc2217 *self = FS_TRANSPORT_RFC2217 (transport);

  fs_transport_close (self->link);
  reset_session (self);
}

static gssize
fs_transport_rfc2217_read (FsTransport   *transport,
                           guint8        *buffer,
                           gsize          len,
                           guint          timeout_ms,
                           GCancellable  *cancellable,
                           GError       **error)
{
  FsTransportRfc2217 *self = FS_TRANSPORT_RFC2217 (transport);
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gsize n;

  /* A read may bring only Telnet commands: read on until data or the deadline */
  while (self->pending->len == 0)
    {
      gint64 left_ms = MAX (0, (deadline - g_get_monotonic_time ()) / 1000);
      gssize got = receive_some (self, len, left_ms, cancellable, error);

      if (got < 0)
        return -1;
      if (got == 0 && left_ms == 0)
        return 0;
    }
  n = MIN (len, self->pending->len);
  memcpy (buffer, self->pending->data, n);
  g_byte_array_remove_range (self->pending, 0, n);
  return n;
}

static gboolean
fs_transport_rfc2217_write (FsTransport   *transport,
                            const guint8  *data,
                            gsize          len,
                            GCancellable  *cancellable,
                            GError       **error)
{
  FsTransportRfc2217 *self = FS_TRANSPORT_RFC2217 (transport);
  g_autoptr(GByteArray) escaped = g_byte_array_sized_new (len + 16);

  for (gsize i = 0; i < len; i++)
    {
      g_byte_array_append (escaped, &data[i], 1);
      if (data[i] == TELNET_IAC)
        g_byte_array_append (escaped, &data[i], 1);
    }
  return fs_transport_write (self->link, escaped->data, escaped->len, cancellable, error);
}

static gboolean
fs_transport_rfc2217_flush_input (FsTransport  *transport,
                                  GError      **error)
{
  FsTransportRfc2217 *self = FS_TRANSPORT_RFC2217 (transport);
  gssize n;

  /* Through the parser: what is dropped may hold the start of a command */
  while ((n = receive_some (self, READ_SIZE, 0, NULL, error)) > 0)
    ;
  g_byte_array_set_size (self->pending, 0);
  return n == 0;
}

static void
fs_transport_rfc2217_finalize (GObject *object)
{
  FsTransportRfc2217 *self = FS_TRANSPORT_RFC2217 (object);

  g_clear_object (&self->link);
  g_byte_array_unref (self->sub);
  g_byte_array_unref (self->pending);
  G_OBJECT_CLASS (fs_transport_rfc2217_parent_class)->finalize (object);
}

static void
fs_transport_rfc2217_class_init (FsTransportRfc2217Class *klass)
{
  FsTransportClass *transport_class = FS_TRANSPORT_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = fs_transport_rfc2217_finalize;
  transport_class->open = fs_transport_rfc2217_open;
  transport_class->close = fs_transport_rfc2217_close;
  transport_class->read = fs_transport_rfc2217_read;
  transport_class->write = fs_transport_rfc2217_write;
  transport_class->set_baud = fs_transport_rfc2217_set_baud;
  transport_class->set_lines = fs_transport_rfc2217_set_lines;
  transport_class->flush_input = fs_transport_rfc2217_flush_input;
}

static void
fs_transport_rfc2217_init (FsTransportRfc2217 *self)
{
  self->sub = g_byte_array_new ();
  self->pending = g_byte_array_new ();
}

FsTransport *
fs_transport_rfc2217_new (const char *host,
                          guint16     port,
                          const char *name)
{
  FsTransportRfc2217 *self;

  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  self = g_object_new (FS_TYPE_TRANSPORT_RFC2217,
                       "name", name,
                       "caps", FS_TRANSPORT_CAN_SET_LINES | FS_TRANSPORT_CAN_SET_BAUD,
                       NULL);
  self->link = fs_transport_tcp_new (host, port, name);
  return FS_TRANSPORT (self);
}

/* fs-sim-server.c
 *
 * Every source of a server runs in the board's main context, so the
 * server's state is touched by the board's thread only, but for set-up
 * (before the sources are attached) and tear-down (run there and waited
 * for).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <glib-unix.h>

#include "fs-error.h"
#include "fs-sim-server.h"

/* What a port keeps for a client that does not read, as a USB serial
 * driver does; past that, output is lost as on a real UART. */
#define MAX_PENDING (1024 * 1024)
#define READ_SIZE   4096

/* RFC 854 and RFC 2217 */
#define TELNET_IAC   255
#define TELNET_DONT  254
#define TELNET_DO    253
#define TELNET_WONT  252
#define TELNET_WILL  251
#define TELNET_SB    250
#define TELNET_SE    240
#define OPTION_BINARY    0
#define OPTION_SGA       3
#define OPTION_COM_PORT  44
#define COM_SET_BAUDRATE 1
#define COM_SET_CONTROL  5
#define COM_SERVER_OFFSET 100
#define CONTROL_DTR_ON   8
#define CONTROL_DTR_OFF  9
#define CONTROL_RTS_ON   11
#define CONTROL_RTS_OFF  12
#define MAX_SUBNEGOTIATION 64

typedef enum {
  TELNET_DATA,
  TELNET_COMMAND,          /* after IAC */
  TELNET_OPTION,           /* after IAC WILL/WONT/DO/DONT */
  TELNET_SUB_OPTION,       /* after IAC SB */
  TELNET_SUB_DATA,
  TELNET_SUB_IAC,
} TelnetState;

struct _FsSimServer
{
  GObject         parent_instance;

  FsSimBoard     *board;
  FsSimServeKind  kind;
  char           *address;
  gboolean        plugged;
  GByteArray     *pending;
  GSource        *write_source;

  /* pty, or a pty-like fd lent by the caller (umockdev's end of a mock port) */
  gboolean        borrowed_fd;
  char           *link_dir;
  char           *link_path;
  int             master_fd;
  int             slave_fd;
  GSource        *master_source;

  /* TCP and RFC 2217 */
  GSocket        *listener;
  GSource        *accept_source;
  GSocket        *client;
  GSource        *client_source;
  TelnetState     telnet_state;
  guint8          telnet_verb;
  guint8          sub_option;
  GByteArray     *sub_data;
  gboolean        dtr;
  gboolean        rts;
  guint           baud;
};

G_DEFINE_FINAL_TYPE (FsSimServer, fs_sim_server, G_TYPE_OBJECT)

static void
destroy_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static int
write_fd (FsSimServer *self)
{
  return self->kind == FS_SIM_SERVE_PTY ? self->master_fd : g_socket_get_fd (self->client);
}

static gboolean
has_peer (FsSimServer *self)
{
  return self->kind == FS_SIM_SERVE_PTY ? self->master_fd >= 0 : self->client != NULL;
}

static gboolean flush_pending (FsSimServer *self);

static gboolean
on_writable (int          fd,
             GIOCondition condition,
             gpointer     user_data)
{
  FsSimServer *self = user_data;

  g_clear_pointer (&self->write_source, g_source_unref);
  flush_pending (self);
  return G_SOURCE_REMOVE;
}

/* Writes what it can now; waits for the fd to take the rest */
static gboolean
flush_pending (FsSimServer *self)
{
  while (self->pending->len > 0 && has_peer (self))
    {
      gssize n = write (write_fd (self), self->pending->data, self->pending->len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && errno == EAGAIN)
        {
          if (self->write_source == NULL)
            {
              self->write_source = g_unix_fd_source_new (write_fd (self), G_IO_OUT);
              g_source_set_callback (self->write_source, (GSourceFunc) (void (*) (void)) on_writable, self, NULL);
              g_source_attach (self->write_source, fs_sim_board_get_context (self->board));
            }
          return TRUE;
        }
      if (n <= 0)
        {
          g_byte_array_set_size (self->pending, 0);
          return FALSE;
        }
      g_byte_array_remove_range (self->pending, 0, n);
    }
  return TRUE;
}

static void
queue_output (FsSimServer  *self,
              const guint8 *data,
              gsize         len)
{
  if (!has_peer (self))
    return;
  len = MIN (len, MAX_PENDING - MIN (MAX_PENDING, self->pending->len));
  g_byte_array_append (self->pending, data, len);
  if (self->write_source == NULL)
    flush_pending (self);
}

/* pty */

static gboolean
on_master_readable (int          fd,
                    GIOCondition condition,
                    gpointer     user_data)
{
  FsSimServer *self = user_data;
  guint8 buffer[READ_SIZE];
  gssize n = read (fd, buffer, sizeof buffer);

  if (n > 0)
    fs_sim_board_write (self->board, buffer, n, NULL);
  return G_SOURCE_CONTINUE;
}

static void
close_fd (int *fd)
{
  if (*fd >= 0)
    close (*fd);
  *fd = -1;
}

static void
close_pty (FsSimServer *self)
{
  destroy_source (&self->master_source);
  destroy_source (&self->write_source);
  g_byte_array_set_size (self->pending, 0);
  if (self->borrowed_fd)
    return;
  close_fd (&self->slave_fd);
  close_fd (&self->master_fd);
}

static void
watch_master (FsSimServer *self)
{
  self->master_source = g_unix_fd_source_new (self->master_fd, G_IO_IN);
  g_source_set_callback (self->master_source, (GSourceFunc) (void (*) (void)) on_master_readable, self, NULL);
  g_source_attach (self->master_source, fs_sim_board_get_context (self->board));
}

static gboolean
open_pty (FsSimServer  *self,
          GError      **error)
{
  char name[128];
  struct termios termios;

  self->master_fd = posix_openpt (O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
  if (self->master_fd < 0 || grantpt (self->master_fd) != 0 || unlockpt (self->master_fd) != 0 ||
      ptsname_r (self->master_fd, name, sizeof name) != 0)
    goto failed;

  /* Holding the slave open keeps the master readable with no client, and
   * sets the line discipline to raw: a UART passes bytes untouched. */
  self->slave_fd = g_open (name, O_RDWR | O_NOCTTY | O_CLOEXEC, 0);
  if (self->slave_fd < 0 || tcgetattr (self->slave_fd, &termios) != 0)
    goto failed;
  cfmakeraw (&termios);
  cfsetspeed (&termios, B115200);
  if (tcsetattr (self->slave_fd, TCSANOW, &termios) != 0)
    goto failed;

  g_unlink (self->link_path);
  if (symlink (name, self->link_path) != 0)
    goto failed;

  watch_master (self);
  return TRUE;

failed:
  g_set_error (error, FS_ERROR, FS_ERROR_FAILED, _("cannot make a pseudo-terminal: %s"), g_strerror (errno));
  close_pty (self);
  return FALSE;
}

/* RFC 2217 */

static void
send_option (FsSimServer *self,
             guint8       verb,
             guint8       option)
{
  const guint8 reply[] = { TELNET_IAC, verb, option };
  queue_output (self, reply, sizeof reply);
}

/* The server's answer to a COM port command: the command plus 100, and
 * the value now in force, with IAC doubled as everywhere in Telnet. */
static void
send_com_reply (FsSimServer  *self,
                guint8        command,
                const guint8 *value,
                gsize         len)
{
  g_autoptr(GByteArray) reply = g_byte_array_new ();
  const guint8 head[] = { TELNET_IAC, TELNET_SB, OPTION_COM_PORT, command + COM_SERVER_OFFSET };
  const guint8 tail[] = { TELNET_IAC, TELNET_SE };

  g_byte_array_append (reply, head, sizeof head);
  for (gsize i = 0; i < len; i++)
    {
      g_byte_array_append (reply, &value[i], 1);
      if (value[i] == TELNET_IAC)
        g_byte_array_append (reply, &value[i], 1);
    }
  g_byte_array_append (reply, tail, sizeof tail);
  queue_output (self, reply->data, reply->len);
}

static void
handle_com_port (FsSimServer  *self,
                 const guint8 *data,
                 gsize         len)
{
  guint8 command;

  if (len == 0)
    return;
  command = data[0];
  if (command == COM_SET_BAUDRATE && len == 5)
    {
      guint32 baud = (guint32) data[1] << 24 | data[2] << 16 | data[3] << 8 | data[4];
      guint8 now[4];

      if (baud != 0)
        {
          self->baud = baud;
          fs_sim_board_set_host_baud (self->board, baud);
        }
      now[0] = self->baud >> 24, now[1] = self->baud >> 16, now[2] = self->baud >> 8, now[3] = self->baud;
      send_com_reply (self, command, now, sizeof now);
      return;
    }
  if (command == COM_SET_CONTROL && len == 2)
    {
      switch (data[1])
        {
        case CONTROL_DTR_ON: self->dtr = TRUE; break;
        case CONTROL_DTR_OFF: self->dtr = FALSE; break;
        case CONTROL_RTS_ON: self->rts = TRUE; break;
        case CONTROL_RTS_OFF: self->rts = FALSE; break;
        default: break;
        }
      fs_sim_board_set_lines (self->board, self->dtr, self->rts);
    }
  /* Data size, parity, stop bits, masks, purge: accepted as asked */
  send_com_reply (self, command, data + 1, len - 1);
}

static gboolean
option_supported (guint8 option)
{
  return option == OPTION_BINARY || option == OPTION_SGA || option == OPTION_COM_PORT;
}

static void
handle_option (FsSimServer *self,
               guint8       verb,
               guint8       option)
{
  /* Agree to binary mode, no go-ahead and the COM port option in both
   * directions; refuse anything else. */
  if (verb == TELNET_WILL)
    send_option (self, option_supported (option) ? TELNET_DO : TELNET_DONT, option);
  else if (verb == TELNET_DO)
    send_option (self, option_supported (option) ? TELNET_WILL : TELNET_WONT, option);
}

/* Splits what the client sent into data for the board and Telnet
 * commands, byte by byte, so that a command may span reads. */
static void
receive_telnet (FsSimServer  *self,
                const guint8 *data,
                gsize         len,
                GByteArray   *board_data)
{
  for (gsize i = 0; i < len; i++)
    {
      guint8 byte = data[i];

      switch (self->telnet_state)
        {
        case TELNET_DATA:
          if (byte == TELNET_IAC)
            self->telnet_state = TELNET_COMMAND;
          else
            g_byte_array_append (board_data, &byte, 1);
          break;
        case TELNET_COMMAND:
          self->telnet_state = TELNET_DATA;
          if (byte == TELNET_IAC)
            g_byte_array_append (board_data, &byte, 1);
          else if (byte >= TELNET_WILL && byte <= TELNET_DONT)
            {
              self->telnet_verb = byte;
              self->telnet_state = TELNET_OPTION;
            }
          else if (byte == TELNET_SB)
            self->telnet_state = TELNET_SUB_OPTION;
          break;
        case TELNET_OPTION:
          handle_option (self, self->telnet_verb, byte);
          self->telnet_state = TELNET_DATA;
          break;
        case TELNET_SUB_OPTION:
          self->sub_option = byte;
          g_byte_array_set_size (self->sub_data, 0);
          self->telnet_state = TELNET_SUB_DATA;
          break;
        case TELNET_SUB_DATA:
          if (byte == TELNET_IAC)
            self->telnet_state = TELNET_SUB_IAC;
          else if (self->sub_data->len < MAX_SUBNEGOTIATION)
            g_byte_array_append (self->sub_data, &byte, 1);
          break;
        case TELNET_SUB_IAC:
          if (byte == TELNET_IAC)
            {
              if (self->sub_data->len < MAX_SUBNEGOTIATION)
                g_byte_array_append (self->sub_data, &byte, 1);
              self->telnet_state = TELNET_SUB_DATA;
              break;
            }
          if (byte == TELNET_SE && self->sub_option == OPTION_COM_PORT)
            handle_com_port (self, self->sub_data->data, self->sub_data->len);
          self->telnet_state = TELNET_DATA;
          break;
        default:
          g_assert_not_reached ();
        }
    }
}

/* TCP */

static void
drop_client (FsSimServer *self)
{
  destroy_source (&self->client_source);
  destroy_source (&self->write_source);
  g_byte_array_set_size (self->pending, 0);
  if (self->client != NULL)
    {
      g_socket_close (self->client, NULL);
      g_clear_object (&self->client);
    }
  /* A host closing its port releases the lines */
  if (self->kind == FS_SIM_SERVE_RFC2217 && (self->dtr || self->rts))
    {
      self->dtr = self->rts = FALSE;
      fs_sim_board_set_lines (self->board, FALSE, FALSE);
    }
  self->telnet_state = TELNET_DATA;
}

static gboolean
on_client_readable (GSocket      *socket,
                    GIOCondition  condition,
                    gpointer      user_data)
{
  FsSimServer *self = user_data;
  guint8 buffer[READ_SIZE];
  gssize n = g_socket_receive (socket, (char *) buffer, sizeof buffer, NULL, NULL);

  if (n <= 0)
    {
      g_clear_pointer (&self->client_source, g_source_unref);
      drop_client (self);
      return G_SOURCE_REMOVE;
    }
  if (self->kind == FS_SIM_SERVE_RFC2217)
    {
      g_autoptr(GByteArray) board_data = g_byte_array_new ();

      receive_telnet (self, buffer, n, board_data);
      if (board_data->len > 0)
        fs_sim_board_write (self->board, board_data->data, board_data->len, NULL);
    }
  else
    fs_sim_board_write (self->board, buffer, n, NULL);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_client_waiting (GSocket      *listener,
                   GIOCondition  condition,
                   gpointer      user_data)
{
  FsSimServer *self = user_data;
  g_autoptr(GSocket) client = g_socket_accept (listener, NULL, NULL);

  /* One host at a time, and none while the board is unplugged */
  if (client == NULL || self->client != NULL || !self->plugged)
    {
      if (client != NULL)
        g_socket_close (client, NULL);
      return G_SOURCE_CONTINUE;
    }
  g_socket_set_blocking (client, FALSE);
  /* Replies are small: held back for an ACK, each would wait the peer's
   * delayed-ACK timer (some 40 ms) */
  g_socket_set_option (client, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
  self->client = g_steal_pointer (&client);
  self->client_source = g_socket_create_source (self->client, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (self->client_source, (GSourceFunc) (void (*) (void)) on_client_readable, self, NULL);
  g_source_attach (self->client_source, fs_sim_board_get_context (self->board));
  if (self->kind == FS_SIM_SERVE_RFC2217)
    {
      send_option (self, TELNET_WILL, OPTION_COM_PORT);
      send_option (self, TELNET_WILL, OPTION_BINARY);
      send_option (self, TELNET_DO, OPTION_BINARY);
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
open_listener (FsSimServer  *self,
               guint16       port,
               GError      **error)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);
  g_autoptr(GSocketAddress) bound = NULL;

  self->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  if (self->listener == NULL ||
      !g_socket_bind (self->listener, address, TRUE, error) ||
      !g_socket_listen (self->listener, error) ||
      (bound = g_socket_get_local_address (self->listener, error)) == NULL)
    return FALSE;

  self->address = g_strdup_printf ("%s://127.0.0.1:%u",
                                   self->kind == FS_SIM_SERVE_RFC2217 ? "rfc2217" : "socket",
                                   g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_set_blocking (self->listener, FALSE);
  self->accept_source = g_socket_create_source (self->listener, G_IO_IN, NULL);
  g_source_set_callback (self->accept_source, (GSourceFunc) (void (*) (void)) on_client_waiting, self, NULL);
  g_source_attach (self->accept_source, fs_sim_board_get_context (self->board));
  return TRUE;
}

/* The board's side */

static void
on_board_output (gpointer      user_data,
                 const guint8 *data,
                 gsize         len)
{
  FsSimServer *self = user_data;

  if (self->kind != FS_SIM_SERVE_RFC2217)
    {
      queue_output (self, data, len);
      return;
    }
  for (gsize start = 0; start < len;)
    {
      const guint8 *iac = memchr (data + start, TELNET_IAC, len - start);
      gsize end = iac != NULL ? (gsize) (iac - data) + 1 : len;
      static const guint8 escape = TELNET_IAC;

      queue_output (self, data + start, end - start);
      if (iac != NULL)
        queue_output (self, &escape, 1);
      start = end;
    }
}

static void
on_board_plugged (gpointer user_data,
                  gboolean plugged)
{
  FsSimServer *self = user_data;
  g_autoptr(GError) error = NULL;

  self->plugged = plugged;
  if (self->kind != FS_SIM_SERVE_PTY)
    {
      /* The host's connection breaks as a USB port's does */
      if (!plugged)
        drop_client (self);
      return;
    }
  close_pty (self);
  if (plugged && self->borrowed_fd)
    watch_master (self);
  else if (plugged && !open_pty (self, &error))
    g_warning ("%s", error->message);
}

static const FsSimBoardSinkFuncs sink_funcs = {
  .output = on_board_output,
  .plugged = on_board_plugged,
};

typedef struct {
  FsSimServer *self;
  GMutex       lock;
  GCond        cond;
  gboolean     done;
} TearDown;

static gboolean
tear_down_in_board (gpointer user_data)
{
  TearDown *tear_down = user_data;
  FsSimServer *self = tear_down->self;

  fs_sim_board_set_sink (self->board, NULL, NULL);
  close_pty (self);
  drop_client (self);
  destroy_source (&self->accept_source);

  g_mutex_lock (&tear_down->lock);
  tear_down->done = TRUE;
  g_cond_signal (&tear_down->cond);
  g_mutex_unlock (&tear_down->lock);
  return G_SOURCE_REMOVE;
}

static void
fs_sim_server_dispose (GObject *object)
{
  FsSimServer *self = FS_SIM_SERVER (object);

  if (self->board != NULL)
    {
      TearDown tear_down = { .self = self };

      g_mutex_init (&tear_down.lock);
      g_cond_init (&tear_down.cond);
      g_main_context_invoke (fs_sim_board_get_context (self->board), tear_down_in_board, &tear_down);
      g_mutex_lock (&tear_down.lock);
      while (!tear_down.done)
        g_cond_wait (&tear_down.cond, &tear_down.lock);
      g_mutex_unlock (&tear_down.lock);
      g_mutex_clear (&tear_down.lock);
      g_cond_clear (&tear_down.cond);
      g_clear_object (&self->board);
    }
  if (self->listener != NULL)
    {
      g_socket_close (self->listener, NULL);
      g_clear_object (&self->listener);
    }
  if (self->link_path != NULL)
    g_unlink (self->link_path);
  if (self->link_dir != NULL)
    g_rmdir (self->link_dir);

  G_OBJECT_CLASS (fs_sim_server_parent_class)->dispose (object);
}

static void
fs_sim_server_finalize (GObject *object)
{
  FsSimServer *self = FS_SIM_SERVER (object);

  g_free (self->address);
  g_free (self->link_dir);
  g_free (self->link_path);
  g_byte_array_unref (self->pending);
  g_byte_array_unref (self->sub_data);

  G_OBJECT_CLASS (fs_sim_server_parent_class)->finalize (object);
}

static void
fs_sim_server_class_init (FsSimServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fs_sim_server_dispose;
  object_class->finalize = fs_sim_server_finalize;
}

static void
fs_sim_server_init (FsSimServer *self)
{
  self->master_fd = -1;
  self->slave_fd = -1;
  self->pending = g_byte_array_new ();
  self->sub_data = g_byte_array_new ();
  self->baud = 115200;
  self->plugged = TRUE;
}

FsSimServer *
fs_sim_server_new (FsSimBoard      *board,
                   FsSimServeKind   kind,
                   guint16          port,
                   GError         **error)
{
  g_autoptr(FsSimServer) self = g_object_new (FS_TYPE_SIM_SERVER, NULL);

  g_return_val_if_fail (FS_IS_SIM_BOARD (board), NULL);

  self->board = g_object_ref (board);
  self->kind = kind;
  self->plugged = fs_sim_board_get_plugged (board);
  if (kind == FS_SIM_SERVE_PTY)
    {
      self->link_dir = g_dir_make_tmp ("flash-studio-sim-XXXXXX", error);
      if (self->link_dir == NULL)
        return NULL;
      self->link_path = g_build_filename (self->link_dir, "ttyESP0", NULL);
      self->address = g_strdup (self->link_path);
      if (!open_pty (self, error))
        return NULL;
    }
  else if (!open_listener (self, port, error))
    return NULL;

  fs_sim_board_set_sink (board, &sink_funcs, self);
  return g_steal_pointer (&self);
}

FsSimServer *
fs_sim_server_new_for_fd (FsSimBoard *board,
                          int         fd,
                          const char *name)
{
  FsSimServer *self = g_object_new (FS_TYPE_SIM_SERVER, NULL);

  g_return_val_if_fail (FS_IS_SIM_BOARD (board), NULL);
  g_return_val_if_fail (fd >= 0, NULL);

  self->board = g_object_ref (board);
  self->kind = FS_SIM_SERVE_PTY;
  self->borrowed_fd = TRUE;
  self->master_fd = fd;
  self->address = g_strdup (name);
  self->plugged = fs_sim_board_get_plugged (board);
  g_unix_set_fd_nonblocking (fd, TRUE, NULL);
  watch_master (self);
  fs_sim_board_set_sink (board, &sink_funcs, self);
  return self;
}

const char *
fs_sim_server_get_address (FsSimServer *self)
{
  g_return_val_if_fail (FS_IS_SIM_SERVER (self), NULL);
  return self->address;
}

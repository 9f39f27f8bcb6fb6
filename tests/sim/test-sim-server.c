/* test-sim-server.c: the virtual board over a pty, raw TCP and RFC 2217
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "fs-packet.h"
#include "fs-sim-board.h"
#include "fs-sim-server.h"
#include "fs-test-board.h"
#include "fs-test-util.h"

#define IAC 255
#define SB  250
#define SE  240
#define WILL 251
#define COM_PORT 44

typedef struct {
  char        *dir;
  FsSimBoard  *board;
  FsSimServer *server;
  int          fd;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  FsSimServeKind kind = GPOINTER_TO_INT (user_data);
  g_autoptr(GError) error = NULL;

  fixture->board = fs_test_board_new (&fixture->dir);
  fixture->server = fs_sim_server_new (fixture->board, kind, 0, &error);
  g_assert_no_error (error);
  fixture->fd = -1;
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  if (fixture->fd >= 0)
    close (fixture->fd);
  g_clear_object (&fixture->server);
  g_clear_object (&fixture->board);
  fs_test_board_remove_dir (g_steal_pointer (&fixture->dir));
}

static int
connect_tcp (const char *address)
{
  const char *port_text = strrchr (address, ':') + 1;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  GSocket *socket;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", atoi (port_text), NULL, &error);
  g_assert_no_error (error);
  socket = g_socket_connection_get_socket (connection);
  /* Keep the fd past the connection object */
  return dup (g_socket_get_fd (socket));
}

static void
write_all (int           fd,
           const guint8 *data,
           gsize         len)
{
  while (len > 0)
    {
      gssize n = write (fd, data, len);
      g_assert_cmpint (n, >, 0);
      data += n;
      len -= n;
    }
}

/* Reads until @fd is quiet for @quiet_ms; -1 in *error_out when it fails */
static GByteArray *
read_until_quiet (int  fd,
                  guint quiet_ms,
                  int  *error_out)
{
  GByteArray *bytes = g_byte_array_new ();
  struct pollfd poll_fd = { .fd = fd, .events = POLLIN };

  *error_out = 0;
  while (poll (&poll_fd, 1, quiet_ms) > 0)
    {
      guint8 buffer[4096];
      gssize n = read (fd, buffer, sizeof buffer);

      if (n <= 0)
        {
          *error_out = n < 0 ? errno : -1;
          break;
        }
      g_byte_array_append (bytes, buffer, n);
    }
  return bytes;
}

static void
send_sync (int fd)
{
  g_autoptr(GByteArray) framed = fs_test_framed_sync ();

  write_all (fd, framed->data, framed->len);
}

static guint
count_sync_replies (GByteArray *bytes)
{
  return fs_test_count_replies (bytes->data, bytes->len, FS_OP_SYNC);
}

static void
enter_download (Fixture *fixture)
{
  g_autofree char *reply = fs_sim_board_control (fixture->board, "boot download", NULL);

  g_assert_cmpstr (reply, ==, "ok");
  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_DOWNLOAD, 2000));
}

static void
test_pty (Fixture       *fixture,
          gconstpointer  user_data)
{
  const char *address = fs_sim_server_get_address (fixture->server);
  g_autoptr(GByteArray) banner = NULL;
  g_autoptr(GByteArray) replies = NULL;
  g_autoptr(GByteArray) after_unplug = NULL;
  g_autoptr(GByteArray) after_plug = NULL;
  int error;

  g_assert_true (g_file_test (address, G_FILE_TEST_IS_SYMLINK));
  fixture->fd = g_open (address, O_RDWR | O_NOCTTY, 0);
  g_assert_cmpint (fixture->fd, >=, 0);

  enter_download (fixture);
  banner = read_until_quiet (fixture->fd, 200, &error);
  g_assert_nonnull (g_strstr_len ((const char *) banner->data, banner->len, "waiting for download"));
  send_sync (fixture->fd);
  replies = read_until_quiet (fixture->fd, 200, &error);
  g_assert_cmpuint (count_sync_replies (replies), ==, 8);

  /* Unplugged, the port vanishes under the client, as a USB port does */
  fs_sim_board_set_plugged (fixture->board, FALSE);
  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_OFF, 2000));
  after_unplug = read_until_quiet (fixture->fd, 500, &error);
  g_assert_cmpint (error, !=, 0);
  close (fixture->fd);

  /* …and comes back under the same name */
  fs_sim_board_set_plugged (fixture->board, TRUE);
  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_RUN, 2000));
  fixture->fd = g_open (address, O_RDWR | O_NOCTTY, 0);
  g_assert_cmpint (fixture->fd, >=, 0);
  enter_download (fixture);
  after_plug = read_until_quiet (fixture->fd, 200, &error);
  g_assert_nonnull (g_strstr_len ((const char *) after_plug->data, after_plug->len, "waiting for download"));
}

static void
test_tcp (Fixture       *fixture,
          gconstpointer  user_data)
{
  const char *address = fs_sim_server_get_address (fixture->server);
  g_autoptr(GByteArray) replies = NULL;
  g_autoptr(GByteArray) after_unplug = NULL;
  int error;

  g_assert_true (g_str_has_prefix (address, "socket://127.0.0.1:"));
  fixture->fd = connect_tcp (address);
  enter_download (fixture);
  g_byte_array_unref (read_until_quiet (fixture->fd, 200, &error));
  send_sync (fixture->fd);
  replies = read_until_quiet (fixture->fd, 200, &error);
  g_assert_cmpuint (count_sync_replies (replies), ==, 8);

  fs_sim_board_set_plugged (fixture->board, FALSE);
  after_unplug = read_until_quiet (fixture->fd, 500, &error);
  g_assert_cmpint (error, !=, 0);
}

static void
send_com_port (int          fd,
               guint8       command,
               const guint8 *value,
               gsize        len)
{
  g_autoptr(GByteArray) packet = g_byte_array_new ();
  const guint8 head[] = { IAC, SB, COM_PORT, command };
  const guint8 tail[] = { IAC, SE };

  g_byte_array_append (packet, head, sizeof head);
  g_byte_array_append (packet, value, len);
  g_byte_array_append (packet, tail, sizeof tail);
  write_all (fd, packet->data, packet->len);
}

static void
set_control (int    fd,
             guint8 value)
{
  send_com_port (fd, 5, &value, 1);
}

static void
test_rfc2217 (Fixture       *fixture,
              gconstpointer  user_data)
{
  const char *address = fs_sim_server_get_address (fixture->server);
  const guint8 will_com_port[] = { IAC, WILL, COM_PORT };
  const guint8 baud_921600[] = { 0x00, 0x0E, 0x10, 0x00 };
  const guint8 baud_115200[] = { 0x00, 0x01, 0xC2, 0x00 };
  const guint8 expected_baud_reply[] = { IAC, SB, COM_PORT, 101, 0x00, 0x0E, 0x10, 0x00, IAC, SE };
  g_autoptr(GByteArray) negotiation = NULL;
  g_autoptr(GByteArray) banner = NULL;
  g_autoptr(GByteArray) replies = NULL;
  g_autoptr(GByteArray) baud_reply = NULL;
  g_autoptr(GByteArray) wrong_baud = NULL;
  g_autoptr(GByteArray) right_baud = NULL;
  int error;

  g_assert_true (g_str_has_prefix (address, "rfc2217://127.0.0.1:"));
  fixture->fd = connect_tcp (address);
  write_all (fixture->fd, will_com_port, sizeof will_com_port);
  negotiation = read_until_quiet (fixture->fd, 200, &error);
  /* The server offers and accepts the COM port option */
  g_assert_nonnull (memmem (negotiation->data, negotiation->len, (const guint8[]) { IAC, 253, COM_PORT }, 3));
  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_RUN, 2000));

  /* esptool's classic reset, over the network */
  set_control (fixture->fd, 9);    /* DTR off */
  set_control (fixture->fd, 11);   /* RTS on: EN low */
  g_usleep (100 * 1000);
  set_control (fixture->fd, 8);    /* DTR on */
  set_control (fixture->fd, 12);   /* RTS off: EN high, IO0 low */
  g_usleep (50 * 1000);
  set_control (fixture->fd, 9);
  g_assert_true (fs_sim_board_wait_mode (fixture->board, FS_SIM_MODE_DOWNLOAD, 2000));
  banner = read_until_quiet (fixture->fd, 200, &error);
  g_assert_nonnull (g_strstr_len ((const char *) banner->data, banner->len, "waiting for download"));

  send_sync (fixture->fd);
  replies = read_until_quiet (fixture->fd, 200, &error);
  g_assert_cmpuint (count_sync_replies (replies), ==, 8);

  /* The baud reaches the board: at a baud its UART is not at, nothing is understood */
  send_com_port (fixture->fd, 1, baud_921600, sizeof baud_921600);
  baud_reply = read_until_quiet (fixture->fd, 200, &error);
  g_assert_cmpmem (baud_reply->data, baud_reply->len, expected_baud_reply, sizeof expected_baud_reply);
  send_sync (fixture->fd);
  wrong_baud = read_until_quiet (fixture->fd, 200, &error);
  g_assert_cmpuint (count_sync_replies (wrong_baud), ==, 0);

  send_com_port (fixture->fd, 1, baud_115200, sizeof baud_115200);
  g_byte_array_unref (read_until_quiet (fixture->fd, 200, &error));
  send_sync (fixture->fd);
  right_baud = read_until_quiet (fixture->fd, 200, &error);
  g_assert_cmpuint (count_sync_replies (right_baud), ==, 8);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sim-server/pty", Fixture, GINT_TO_POINTER (FS_SIM_SERVE_PTY), fixture_set_up, test_pty, fixture_tear_down);
  g_test_add ("/sim-server/tcp", Fixture, GINT_TO_POINTER (FS_SIM_SERVE_TCP), fixture_set_up, test_tcp, fixture_tear_down);
  g_test_add ("/sim-server/rfc2217", Fixture, GINT_TO_POINTER (FS_SIM_SERVE_RFC2217), fixture_set_up, test_rfc2217, fixture_tear_down);

  return g_test_run ();
}
